/*
 * serve: bmcfleetd's HTTP side.  With http.listen set, serve_open puts a
 * listener (collector/httpd.h) on the collector's loop and every route
 * owner registers its paths: /api/v1/ (cli/serve_api.c), /metrics and
 * /ipmi (cli/serve_metrics.c), / (cli/serve_page.c).  Handlers run on the
 * loop between and during sweeps: none may block.  A handler that needs
 * the database queries srv->db (store/pgq.h's async connection) and
 * answers HTTPD_LATER.
 */
#ifndef BMCFLEET_CLI_SERVE_H
#define BMCFLEET_CLI_SERVE_H

struct collect;
struct httpd;
struct pgq_async;

struct serve {
	struct collect	*co;	/* the daemon's; outlives the serve */
	struct httpd	*h;
	struct pgq_async *db;	/* queries from handlers; NULL without a
				   database */
	char		*listen;	/* owned: what was bound, and with */
	char		*tls_cert, *tls_key;	/* (a change: restart) */
	char		*dbinfo;	/* owned: db's conninfo */
	struct serve_api *api;		/* cli/serve_api.c's */
};

/*
 * With the config's http.listen: the listener bound and the routes set,
 * 0 and *out; without it, 0 and *out NULL (HTTP off); -1 with err when
 * the address cannot be bound, the TLS files or the token file cannot be
 * read (a startup error).
 */
int	serve_open(struct collect *, struct serve **out, char *err,
	    size_t errlen);
/*
 * After SIGHUP (the config reloaded into co): the token file read again;
 * a changed listen address or TLS files are logged as needing a restart.
 */
void	serve_reload(struct serve *);
/* Closes the listener; pending requests are dropped.  NULL is a no-op. */
void	serve_close(struct serve *);

#endif
