/*
 * serve_page: bmcfleetd's status page, "/" (see serve_page.c).
 */
#ifndef BMCFLEET_CLI_SERVE_PAGE_H
#define BMCFLEET_CLI_SERVE_PAGE_H

struct fleetmem;
struct httpd;
struct pgq_async;

/*
 * The route "/" on h, answered from the async connection *db (read at
 * each request: a reload may replace it; NULL: no database) or, when the
 * database does not answer, from the daemon's memory of its sweeps, *mem
 * (mem or *mem NULL: none; collector/fleetmem.h).  db and mem outlive the
 * listener.  0, or -1 (ENOMEM).
 */
int	serve_page_open(struct httpd *h, struct pgq_async *const *db,
	    struct fleetmem *const *mem);

#endif
