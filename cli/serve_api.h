/*
 * serve_api: bmcfleetd's /api/v1/: read-only JSON of what the CLI's
 * reports show, from the same queries and the same renderers
 * (docs/API.md).  Every answer comes from a query on the serve's async
 * connection: the handler answers later, the loop never waits.
 */
#ifndef BMCFLEET_CLI_SERVE_API_H
#define BMCFLEET_CLI_SERVE_API_H

struct serve;

/* /api/v1/ registered on srv->h: 0, or -1 with errno. */
int	serve_api_routes(struct serve *srv);
/* After httpd_close: what serve_api_routes made, freed. */
void	serve_api_close(struct serve *srv);

#endif
