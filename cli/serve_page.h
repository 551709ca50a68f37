/*
 * serve_page: bmcfleetd's status page, "/" (see serve_page.c).
 */
#ifndef BMCFLEET_CLI_SERVE_PAGE_H
#define BMCFLEET_CLI_SERVE_PAGE_H

struct serve;

/* The route "/" on srv->h, answered from srv->db.  0, or -1 (ENOMEM). */
int	serve_page_open(struct serve *srv);

#endif
