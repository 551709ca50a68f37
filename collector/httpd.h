/*
 * httpd: one HTTP listener on the collector's event loop.
 *
 * libmicrohttpd runs in its external-event mode: its epoll fd is one fd of
 * our loop and its timeout one of our timers, so a request is parsed and
 * answered between IPMI packets and no thread is started.  Only GET and
 * HEAD are served (405 otherwise); with a token, every request must carry
 * "Authorization: Bearer TOKEN" (401 otherwise).  Handlers must not block:
 * one that needs the database answers HTTPD_LATER and calls httpd_reply
 * from the query's callback.
 */
#ifndef BMCFLEET_COLLECTOR_HTTPD_H
#define BMCFLEET_COLLECTOR_HTTPD_H

#include <stddef.h>
#include <stdint.h>

struct loop; struct gbuf;
struct httpd;          /* one listener on the loop */
struct httpd_call;     /* one request in flight */
struct httpd_opts {
	const char *listen;      /* "ADDR:PORT"; ADDR may be [v6] */
	const char *tls_cert, *tls_key;   /* PEM file paths; both or neither */
	const char *token;       /* bearer token; NULL: none asked */
};
/* 0 and *out, or -1 with err */
int  httpd_open(struct loop *, const struct httpd_opts *, struct httpd **out, char *err, size_t errlen);
void httpd_close(struct httpd *);
/* A handler answers now (httpd_reply) or later (returns HTTPD_LATER and
 * calls httpd_reply from a loop callback; the call stays valid until then,
 * or until httpd_call_gone says the client left). prefix "/api/v1/" matches
 * every path under it; "/" only the root; longest prefix wins. */
#define HTTPD_LATER 1
typedef int httpd_handler(void *arg, struct httpd_call *);
int  httpd_route(struct httpd *, const char *prefix, httpd_handler *, void *arg);
const char *httpd_path(const struct httpd_call *);              /* "/api/v1/hosts" */
const char *httpd_arg(const struct httpd_call *, const char *name); /* query arg, NULL */
/* status 200...; body's bytes are taken (gbuf left empty) */
void httpd_reply(struct httpd_call *, int status, const char *content_type, struct gbuf *body);
/* for a handler that answered LATER: a callback when the client is gone */
void httpd_on_gone(struct httpd_call *, void (*gone)(void *arg), void *arg);
/* counters for /metrics */
struct httpd_stats { uint64_t requests, errors, refused_auth; };
const struct httpd_stats *httpd_stats(const struct httpd *);

/*
 * Additions beyond the shared interface.
 */
/* Replace the bearer token (NULL: none asked); the old one is wiped.
 * For SIGHUP.  0, or -1 with errno ENOMEM. */
int  httpd_set_token(struct httpd *, const char *token);
/* A header for the answer, given before httpd_reply (at most 4; copied).
 * 0, or -1 with errno ENOSPC or ENOMEM. */
int  httpd_add_header(struct httpd_call *, const char *name, const char *value);
/* The request's method ("GET" or "HEAD"; the others never reach a handler). */
const char *httpd_method(const struct httpd_call *);

#endif
