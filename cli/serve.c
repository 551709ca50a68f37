/*
 * serve: bmcfleetd's listener and its routes (see serve.h).  Each route
 * owner registers its paths here, one line each, from its own file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/collect_int.h"
#include "cli/serve.h"
#include "cli/serve_api.h"
#include "cli/serve_metrics.h"
#include "collector/httpd.h"
#include "ipmi/crypto.h"
#include "store/pgq.h"

#define TOKEN_MAX	1024

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL &&
	    strcmp(a, b) == 0);
}

int
serve_open(struct collect *co, struct serve **out, char *err, size_t errlen)
{
	const struct config_http *hc = &co->c.http;
	struct httpd_opts ho;
	struct serve *srv;
	char tok[TOKEN_MAX];
	int n;

	*out = NULL;
	if (hc->listen == NULL)
		return 0;
	if ((n = config_http_token(&co->c, tok, sizeof(tok), err,
	    errlen)) < 0)
		return -1;
	if ((srv = calloc(1, sizeof(*srv))) == NULL) {
		crypto_wipe(tok, sizeof(tok));
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	srv->co = co;
	memset(&ho, 0, sizeof(ho));
	ho.listen = hc->listen;
	ho.tls_cert = hc->tls_cert;
	ho.tls_key = hc->tls_key;
	ho.token = n > 0 ? tok : NULL;
	n = httpd_open(co->loop, &ho, &srv->h, err, errlen);
	crypto_wipe(tok, sizeof(tok));
	if (n != 0) {
		serve_close(srv);
		return -1;
	}
	if ((srv->listen = strdup(hc->listen)) == NULL ||
	    (hc->tls_cert != NULL && (srv->tls_cert = strdup(hc->tls_cert)) ==
	    NULL) || (hc->tls_key != NULL && (srv->tls_key =
	    strdup(hc->tls_key)) == NULL) || (co->db != NULL &&
	    ((srv->db = pgq_async_open(co->loop, co->db)) == NULL ||
	    (srv->dbinfo = strdup(co->db)) == NULL))) {
		serve_close(srv);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* the routes: one line per owner */
	if (serve_api_routes(srv) != 0 || serve_metrics_routes(srv) != 0) {
		serve_close(srv);
		snprintf(err, errlen, "http: routes: %s", strerror(errno));
		return -1;
	}
	fprintf(stderr, "bmcfleetd: http: listening on %s (%s%s)\n",
	    hc->listen, hc->tls_cert != NULL ? "https" : "http",
	    hc->token_file != NULL ? ", bearer token" : "");
	*out = srv;
	return 0;
}

void
serve_reload(struct serve *srv)
{
	const struct config_http *hc;
	char tok[TOKEN_MAX], err[512];
	int n;

	if (srv == NULL)
		return;
	hc = &srv->co->c.http;
	if (!same(hc->listen, srv->listen) || !same(hc->tls_cert,
	    srv->tls_cert) || !same(hc->tls_key, srv->tls_key))
		fprintf(stderr, "bmcfleetd: http: listen or TLS files changed: "
		    "restart bmcfleetd to use them (still on %s)\n",
		    srv->listen);
	if ((n = config_http_token(&srv->co->c, tok, sizeof(tok), err,
	    sizeof(err))) < 0)
		fprintf(stderr, "bmcfleetd: %s; keeping the previous token\n",
		    err);
	else if (httpd_set_token(srv->h, n > 0 ? tok : NULL) != 0)
		fprintf(stderr, "bmcfleetd: http: token: out of memory\n");
	crypto_wipe(tok, sizeof(tok));
	/* the database the daemon now uses (db_reopen may have changed it) */
	if (srv->co->db != NULL && !same(srv->co->db, srv->dbinfo)) {
		char *d = strdup(srv->co->db);
		struct pgq_async *a = d != NULL ? pgq_async_open(srv->co->loop,
		    d) : NULL;

		if (a == NULL) {
			free(d);
			return;
		}
		pgq_async_close(srv->db);
		srv->db = a;
		free(srv->dbinfo);
		srv->dbinfo = d;
	}
}

void
serve_close(struct serve *srv)
{
	if (srv == NULL)
		return;
	httpd_close(srv->h);	/* pending calls told first */
	serve_api_close(srv);
	pgq_async_close(srv->db);
	free(srv->listen);
	free(srv->tls_cert);
	free(srv->tls_key);
	if (srv->dbinfo != NULL)
		crypto_wipe(srv->dbinfo, strlen(srv->dbinfo));
	free(srv->dbinfo);
	free(srv);
}
