/*
 * httpd: libmicrohttpd on our loop; see httpd.h.
 *
 * MHD runs with MHD_USE_EPOLL and no thread of its own: its epoll fd is
 * one fd of our loop (level-triggered: readable while any socket of its
 * set is ready), MHD_run serves what is ready without blocking, and
 * MHD_get_timeout arms one loop timer for its connection timeouts and
 * for work it left pending.  Each event costs O(1) in the number of
 * connections.  A handler answering later has its connection suspended
 * (MHD_ALLOW_SUSPEND_RESUME); httpd_reply resumes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <microhttpd.h>

#include "collector/httpd.h"
#include "lib/errf.h"
#include "lib/gbuf.h"
#include "lib/loop.h"

#define HTTPD_MAX_ROUTES	16
#define HTTPD_CONN_LIMIT	64	/* connections at once */
#define HTTPD_CONN_TIMEOUT	30	/* s idle before a connection ends */
#define HTTPD_CONN_MEMORY	(32 * 1024)	/* per connection: headers */
#define HTTPD_PEM_MAX		(64 * 1024)

struct route {
	char		*prefix;
	size_t		 len;
	httpd_handler	*fn;
	void		*arg;
};

struct httpd_call {
	struct httpd	*h;
	struct MHD_Connection *conn;
	struct httpd_call *prev, *next;	/* h->calls: answering later */
	char		*path;
	const char	*method;
	int		 later;		/* suspended, awaiting httpd_reply */
	int		 replied;
	struct MHD_Response *resp;	/* the answer, once given */
	unsigned	 status;
	void		(*gone)(void *);
	void		*gone_arg;
	char		*hdr[4][2];	/* httpd_add_header's */
	size_t		 nhdr;
};

struct httpd {
	struct loop	*loop;
	struct MHD_Daemon *d;
	int		 epfd;		/* MHD's, on our loop */
	struct loop_timer timer;
	struct route	 routes[HTTPD_MAX_ROUTES];
	size_t		 nroutes;
	char		*token;		/* NULL: none asked */
	char		*cert, *key;	/* PEM, for MHD's lifetime */
	struct httpd_call *calls;	/* suspended ones */
	struct httpd_stats st;
	int		 running;	/* inside MHD_run */
};

static void	httpd_kick(struct httpd *);

static void
wipe_free(char *s)
{
	if (s == NULL)
		return;
	/* volatile: the wipe of a secret must not be optimised away */
	for (volatile char *p = s; *p != '\0'; p++)
		*p = '\0';
	free(s);
}

static void
on_mhd_log(void *arg, const char *fmt, va_list ap)
{
	(void)arg;
	fputs("bmcfleetd: http: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (*fmt != '\0' && fmt[strlen(fmt) - 1] != '\n')
		fputc('\n', stderr);
}

/* Serve what is ready, then arm the timer for what MHD waits on next. */
static void
httpd_run(struct httpd *h)
{
	MHD_UNSIGNED_LONG_LONG ms;

	h->running = 1;
	(void)MHD_run(h->d);
	h->running = 0;
	if (MHD_get_timeout(h->d, &ms) == MHD_YES)
		(void)loop_timer_set(h->loop, &h->timer, loop_now(h->loop) +
		    (ms > 3600000 ? 3600000 : (uint64_t)ms));
	else
		loop_timer_cancel(h->loop, &h->timer);
}

static void
on_epoll(struct loop *l, int fd, unsigned ev, void *arg)
{
	(void)l;
	(void)fd;
	(void)ev;
	httpd_run(arg);
}

static void
on_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)l;
	(void)t;
	httpd_run(arg);
}

/* MHD_run on the next iteration (a resumed call's answer to send). */
static void
httpd_kick(struct httpd *h)
{
	(void)loop_timer_set(h->loop, &h->timer, loop_now(h->loop));
}

static struct MHD_Response *
resp_text(const char *ctype, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static struct MHD_Response *
resp_text(const char *ctype, const char *fmt, ...)
{
	struct MHD_Response *r;
	struct gbuf b = GBUF_INIT;
	va_list ap;
	char tmp[512];
	size_t len;
	char *p;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	gbuf_puts(&b, tmp);
	if ((p = gbuf_detach(&b, &len)) == NULL)
		return NULL;
	if ((r = MHD_create_response_from_buffer(len, p,
	    MHD_RESPMEM_MUST_FREE)) == NULL) {
		free(p);
		return NULL;
	}
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	return r;
}

static enum MHD_Result
queue(struct httpd *h, struct MHD_Connection *c, unsigned status,
    struct MHD_Response *r)
{
	enum MHD_Result rc;

	if (r == NULL)
		return MHD_NO;	/* out of memory: MHD closes the connection */
	if (status >= 400)
		h->st.errors++;
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
queue_error(struct httpd *h, struct MHD_Connection *c, unsigned status,
    const char *msg)
{
	return queue(h, c, status, resp_text("application/json",
	    "{\"error\": \"%s\"}\n", msg));
}

/* "Authorization: Bearer TOKEN", compared in time that does not depend
 * on where the first difference is. */
static int
authorized(const struct httpd *h, struct MHD_Connection *c)
{
	const char *a, *given;
	size_t n, m;
	unsigned char d;

	if (h->token == NULL)
		return 1;
	a = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (a == NULL || strncasecmp(a, "Bearer ", 7) != 0)
		return 0;
	for (given = a + 7; *given == ' '; given++)
		;
	n = strlen(h->token);
	m = strlen(given);
	d = n != m;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(h->token[i] ^ (i < m ? given[i] : 0));
	return d == 0;
}

static const struct route *
route_of(const struct httpd *h, const char *path)
{
	const struct route *best = NULL;

	for (size_t i = 0; i < h->nroutes; i++) {
		const struct route *r = &h->routes[i];
		int under = r->len > 1 && r->prefix[r->len - 1] == '/';

		if (under ? strncmp(path, r->prefix, r->len) != 0 &&
		    !(strlen(path) + 1 == r->len && strncmp(path, r->prefix,
		    r->len - 1) == 0) : strcmp(path, r->prefix) != 0)
			continue;
		if (best == NULL || r->len > best->len)
			best = r;
	}
	return best;
}

static void
call_unlink(struct httpd_call *k)
{
	struct httpd *h = k->h;

	if (!k->later)
		return;
	if (k->prev != NULL)
		k->prev->next = k->next;
	else
		h->calls = k->next;
	if (k->next != NULL)
		k->next->prev = k->prev;
	k->prev = k->next = NULL;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **con_cls)
{
	struct httpd *h = cls;
	struct httpd_call *k = *con_cls;
	const struct route *r;
	struct MHD_Response *resp;
	int rc;

	(void)version;
	(void)upload_data;
	if (k != NULL) {
		/* resumed: the answer httpd_reply made */
		*upload_size = 0;
		if (k->resp == NULL)
			return MHD_YES;		/* still waiting */
		resp = k->resp;
		k->resp = NULL;
		return queue(h, c, k->status, resp);
	}
	h->st.requests++;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		if ((resp = resp_text("application/json", "{\"error\": "
		    "\"method not allowed: only GET and HEAD\"}\n")) != NULL)
			(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
			    "GET, HEAD");
		return queue(h, c, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
	}
	if (!authorized(h, c)) {
		h->st.refused_auth++;
		if ((resp = resp_text("application/json", "{\"error\": "
		    "\"a bearer token is required\"}\n")) != NULL)
			(void)MHD_add_response_header(resp,
			    MHD_HTTP_HEADER_WWW_AUTHENTICATE,
			    "Bearer realm=\"bmcfleet\"");
		return queue(h, c, MHD_HTTP_UNAUTHORIZED, resp);
	}
	if ((r = route_of(h, url)) == NULL)
		return queue_error(h, c, MHD_HTTP_NOT_FOUND, "no such path");
	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (k->path = strdup(url)) == NULL) {
		free(k);
		return queue_error(h, c, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "out of memory");
	}
	k->h = h;
	k->conn = c;
	k->method = strcmp(method, MHD_HTTP_METHOD_GET) == 0 ? "GET" : "HEAD";
	*con_cls = k;
	rc = r->fn(r->arg, k);
	if (!k->replied && rc != HTTPD_LATER)
		httpd_reply(k, 500, "application/json", NULL);
	if (k->replied) {
		resp = k->resp;
		k->resp = NULL;
		return queue(h, c, k->status, resp);
	}
	/* answered later: off MHD's books until httpd_reply */
	k->later = 1;
	if ((k->next = h->calls) != NULL)
		k->next->prev = k;
	h->calls = k;
	MHD_suspend_connection(c);
	return MHD_YES;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	struct httpd_call *k = *con_cls;

	(void)cls;
	(void)c;
	(void)why;
	if (k == NULL)
		return;
	if (!k->replied && k->gone != NULL)
		k->gone(k->gone_arg);
	call_unlink(k);
	if (k->resp != NULL)
		MHD_destroy_response(k->resp);
	for (size_t i = 0; i < k->nhdr; i++) {
		free(k->hdr[i][0]);
		free(k->hdr[i][1]);
	}
	free(k->path);
	free(k);
	*con_cls = NULL;
}

void
httpd_reply(struct httpd_call *k, int status, const char *ctype,
    struct gbuf *body)
{
	char *p = NULL;
	size_t len = 0;

	if (k->replied) {
		if (body != NULL)
			gbuf_reset(body);
		return;
	}
	k->replied = 1;
	if (body != NULL && (p = gbuf_detach(body, &len)) == NULL) {
		status = 503;
		k->resp = resp_text("application/json",
		    "{\"error\": \"out of memory\"}\n");
	} else if (body == NULL)
		k->resp = resp_text("application/json", "{\"error\": "
		    "\"internal error\"}\n");
	else if ((k->resp = MHD_create_response_from_buffer(len, p,
	    MHD_RESPMEM_MUST_FREE)) == NULL)
		free(p);
	else
		(void)MHD_add_response_header(k->resp,
		    MHD_HTTP_HEADER_CONTENT_TYPE, ctype != NULL ? ctype :
		    "text/plain; charset=utf-8");
	for (size_t i = 0; i < k->nhdr && k->resp != NULL; i++)
		(void)MHD_add_response_header(k->resp, k->hdr[i][0],
		    k->hdr[i][1]);
	k->status = (unsigned)status;
	if (k->later) {
		call_unlink(k);
		k->later = 0;
		MHD_resume_connection(k->conn);
		httpd_kick(k->h);
	}
}

int
httpd_add_header(struct httpd_call *k, const char *name, const char *value)
{
	char *n, *v;

	if (k->nhdr == sizeof(k->hdr) / sizeof(k->hdr[0])) {
		errno = ENOSPC;
		return -1;
	}
	if ((n = strdup(name)) == NULL || (v = strdup(value)) == NULL) {
		free(n);
		return -1;
	}
	k->hdr[k->nhdr][0] = n;
	k->hdr[k->nhdr++][1] = v;
	return 0;
}

void
httpd_on_gone(struct httpd_call *k, void (*gone)(void *), void *arg)
{
	k->gone = gone;
	k->gone_arg = arg;
}

const char *
httpd_path(const struct httpd_call *k)
{
	return k->path;
}

const char *
httpd_method(const struct httpd_call *k)
{
	return k->method;
}

const char *
httpd_arg(const struct httpd_call *k, const char *name)
{
	return MHD_lookup_connection_value(k->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

const struct httpd_stats *
httpd_stats(const struct httpd *h)
{
	return &h->st;
}

int
httpd_route(struct httpd *h, const char *prefix, httpd_handler *fn,
    void *arg)
{
	struct route *r;

	if (h->nroutes == HTTPD_MAX_ROUTES || *prefix != '/') {
		errno = h->nroutes == HTTPD_MAX_ROUTES ? ENOSPC : EINVAL;
		return -1;
	}
	r = &h->routes[h->nroutes];
	if ((r->prefix = strdup(prefix)) == NULL)
		return -1;
	r->len = strlen(prefix);
	r->fn = fn;
	r->arg = arg;
	h->nroutes++;
	return 0;
}

int
httpd_set_token(struct httpd *h, const char *token)
{
	char *t = NULL;

	if (token != NULL && *token != '\0' && (t = strdup(token)) == NULL)
		return -1;
	wipe_free(h->token);
	h->token = t;
	return 0;
}

/* A PEM file into a string, at start (never from a handler). */
static char *
read_pem(const char *what, const char *path, char *err, size_t errlen)
{
	struct stat st;
	char *p;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		(void)errf(err, errlen, "http: %s %s: %s", what, path,
		    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > HTTPD_PEM_MAX || (p = malloc((size_t)st.st_size +
	    1)) == NULL) {
		close(fd);
		(void)errf(err, errlen, "http: %s %s: not a regular file of "
		    "at most %d bytes", what, path, HTTPD_PEM_MAX);
		return NULL;
	}
	n = read(fd, p, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(p);
		(void)errf(err, errlen, "http: %s %s: short read", what, path);
		return NULL;
	}
	p[n] = '\0';
	return p;
}

/* "ADDR:PORT" or "[V6]:PORT" bound and listening: the fd, or -1. */
static int
bind_listen(const char *listen_at, char *err, size_t errlen)
{
	struct addrinfo hints, *ai = NULL;
	char host[128];
	const char *colon = strrchr(listen_at, ':'), *port;
	size_t hl;
	int fd, one = 1, rc;

	if (colon == NULL || colon == listen_at || colon[1] == '\0')
		return errf(err, errlen, "http: listen %s: expected ADDR:PORT",
		    listen_at);
	port = colon + 1;
	hl = (size_t)(colon - listen_at);
	if (listen_at[0] == '[' && colon[-1] == ']') {
		listen_at++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return errf(err, errlen, "http: listen %s: address too long",
		    listen_at);
	memcpy(host, listen_at, hl);
	host[hl] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0)
		return errf(err, errlen, "http: listen %s: %s", host,
		    gai_strerror(rc));
	if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		freeaddrinfo(ai);
		return errf(err, errlen, "http: socket: %s", strerror(errno));
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, 64) != 0) {
		rc = errno;
		close(fd);
		freeaddrinfo(ai);
		return errf(err, errlen, "http: cannot listen on %s:%s: %s",
		    host, port, strerror(rc));
	}
	freeaddrinfo(ai);
	return fd;
}

int
httpd_open(struct loop *loop, const struct httpd_opts *o, struct httpd **out,
    char *err, size_t errlen)
{
	struct httpd *h;
	const union MHD_DaemonInfo *di;
	unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
	    MHD_USE_ERROR_LOG;
	int fd = -1;

	*out = NULL;
	if ((o->tls_cert == NULL) != (o->tls_key == NULL))
		return errf(err, errlen, "http: give both tls_cert and tls_key, "
		    "or neither");
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return errf(err, errlen, "out of memory");
	h->loop = loop;
	h->epfd = -1;
	loop_timer_init(&h->timer, on_timer, h);
	if (httpd_set_token(h, o->token) != 0) {
		(void)errf(err, errlen, "out of memory");
		goto fail;
	}
	if (o->tls_cert != NULL) {
		if ((h->cert = read_pem("tls_cert", o->tls_cert, err,
		    errlen)) == NULL || (h->key = read_pem("tls_key",
		    o->tls_key, err, errlen)) == NULL)
			goto fail;
		flags |= MHD_USE_TLS;
	}
	if ((fd = bind_listen(o->listen, err, errlen)) < 0)
		goto fail;
	if (h->cert != NULL)
		h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
		    MHD_OPTION_LISTEN_SOCKET, fd,
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTPD_CONN_LIMIT,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTPD_CONN_TIMEOUT,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		    (size_t)HTTPD_CONN_MEMORY,
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
		    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, h,
		    MHD_OPTION_HTTPS_MEM_CERT, h->cert,
		    MHD_OPTION_HTTPS_MEM_KEY, h->key,
		    MHD_OPTION_END);
	else
		h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
		    MHD_OPTION_LISTEN_SOCKET, fd,
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTPD_CONN_LIMIT,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTPD_CONN_TIMEOUT,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		    (size_t)HTTPD_CONN_MEMORY,
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
		    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, h,
		    MHD_OPTION_END);
	if (h->d == NULL) {
		close(fd);
		(void)errf(err, errlen, "http: cannot start the listener on %s%s",
		    o->listen, h->cert != NULL ? " (check the TLS certificate "
		    "and key)" : "");
		goto fail;
	}
	if ((di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD)) ==
	    NULL || (h->epfd = di->epoll_fd) < 0 ||
	    loop_add_fd(loop, h->epfd, LOOP_READ, on_epoll, h) != 0) {
		(void)errf(err, errlen, "http: watching the listener: %s",
		    strerror(errno));
		h->epfd = -1;
		goto fail;
	}
	httpd_run(h);
	*out = h;
	return 0;
fail:
	httpd_close(h);
	return -1;
}

void
httpd_close(struct httpd *h)
{
	if (h == NULL)
		return;
	/* MHD stops only with no connection suspended: each call waiting
	 * for its answer is told its client is gone, then answered 503 */
	while (h->calls != NULL) {
		struct httpd_call *k = h->calls;

		if (k->gone != NULL)
			k->gone(k->gone_arg);
		k->gone = NULL;
		httpd_reply(k, 503, NULL, NULL);
	}
	loop_timer_cancel(h->loop, &h->timer);
	if (h->epfd >= 0)
		loop_del_fd(h->loop, h->epfd);
	if (h->d != NULL)
		MHD_stop_daemon(h->d);
	for (size_t i = 0; i < h->nroutes; i++)
		free(h->routes[i].prefix);
	wipe_free(h->token);
	free(h->cert);
	wipe_free(h->key);
	free(h);
}
