/*
 * test_webhook: the notifier against a small HTTP/1.1 server that runs on
 * the same loop, on 127.0.0.1 and an ephemeral port.  The server reads each
 * request until its body is complete (Content-Length), keeps it, and
 * answers with the next scripted status, at once, after a delay or never.
 */
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/loop.h"
#include "scheduler/webhook.h"

/* --- the server --------------------------------------------------------- */

#define MAXREQ	256

struct req {
	char		*head;		/* request line and headers, CRLF-ended */
	char		*body;
	size_t		 blen;
	uint64_t	 at;		/* loop_now() when it was complete */
};

struct srv;

struct conn {
	struct srv		*s;
	int			 fd;
	char			*buf;
	size_t			 len, cap;
	int			 status;	/* answer held back until t fires */
	struct loop_timer	 t;
	struct conn		*next;
};

struct srv {
	struct loop	*l;
	int		 lfd;
	int		 port;
	int		 status[MAXREQ];	/* 0: 200 */
	unsigned	 delay_ms;	/* before each answer */
	int		 mute;		/* never answer */
	struct req	 req[MAXREQ];
	size_t		 nreq;
	struct conn	*conns;
};

static void
conn_close(struct conn *c)
{
	struct conn	**pp;

	for (pp = &c->s->conns; *pp != c; pp = &(*pp)->next)
		;
	*pp = c->next;
	loop_timer_cancel(c->s->l, &c->t);
	loop_del_fd(c->s->l, c->fd);
	close(c->fd);
	free(c->buf);
	free(c);
}

static void
conn_answer(struct conn *c, int status)
{
	char	 rsp[128];
	int	 n;

	n = snprintf(rsp, sizeof(rsp), "HTTP/1.1 %d Scripted\r\n"
	    "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nok", status);
	/* a few bytes on loopback: the socket buffer takes them whole */
	ck_assert_int_eq(write(c->fd, rsp, (size_t)n), n);
}

static void
conn_delayed(struct loop *l, struct loop_timer *t, void *arg)
{
	struct conn	*c = arg;

	(void)l;
	(void)t;
	conn_answer(c, c->status);
}

/* Take every complete request out of c->buf. */
static void
conn_parse(struct conn *c)
{
	struct srv	*s = c->s;
	struct req	*r;
	char		*end, *cl;
	size_t		 hlen, blen, total;

	for (;;) {
		if (c->len == c->cap)
			return;
		c->buf[c->len] = '\0';
		if ((end = strstr(c->buf, "\r\n\r\n")) == NULL)
			return;
		hlen = (size_t)(end - c->buf) + 2;
		blen = 0;
		*end = '\0';
		if ((cl = strcasestr(c->buf, "\r\nContent-Length:")) != NULL)
			blen = strtoul(cl + 17, NULL, 10);
		*end = '\r';
		total = hlen + 2 + blen;
		if (c->len < total)
			return;
		ck_assert_uint_lt(s->nreq, MAXREQ);
		r = &s->req[s->nreq];
		ck_assert_ptr_nonnull(r->head = strndup(c->buf, hlen));
		ck_assert_ptr_nonnull(r->body = malloc(blen + 1));
		memcpy(r->body, c->buf + hlen + 2, blen);
		r->body[blen] = '\0';
		r->blen = blen;
		r->at = loop_now(s->l);
		c->status = s->status[s->nreq] != 0 ? s->status[s->nreq] : 200;
		s->nreq++;
		memmove(c->buf, c->buf + total, c->len - total);
		c->len -= total;
		if (s->mute)
			continue;
		if (s->delay_ms > 0)
			ck_assert_int_eq(loop_timer_set(s->l, &c->t,
			    loop_now(s->l) + s->delay_ms), 0);
		else
			conn_answer(c, c->status);
	}
}

static void
conn_readable(struct loop *l, int fd, unsigned events, void *arg)
{
	struct conn	*c = arg;
	ssize_t		 n;

	(void)l;
	(void)fd;
	(void)events;
	if (c->cap - c->len < 65536) {
		c->cap = c->cap * 2 + 65536;
		ck_assert_ptr_nonnull(c->buf = realloc(c->buf, c->cap));
	}
	/* one byte kept for conn_parse's terminator */
	n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->len += (size_t)n;
	conn_parse(c);
}

static void
srv_accept(struct loop *l, int fd, unsigned events, void *arg)
{
	struct srv	*s = arg;
	struct conn	*c;
	int		 cfd;

	(void)events;
	while ((cfd = accept4(fd, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) != -1) {
		ck_assert_ptr_nonnull(c = calloc(1, sizeof(*c)));
		c->s = s;
		c->fd = cfd;
		loop_timer_init(&c->t, conn_delayed, c);
		c->next = s->conns;
		s->conns = c;
		ck_assert_int_eq(loop_add_fd(l, cfd, LOOP_READ, conn_readable,
		    c), 0);
	}
}

/* A socket bound to 127.0.0.1 and an ephemeral port; *port gets it. */
static int
bound_socket(int *port)
{
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof(sin);
	int			 fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &slen), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void
srv_start(struct srv *s, struct loop *l)
{
	memset(s, 0, sizeof(*s));
	s->l = l;
	s->lfd = bound_socket(&s->port);
	ck_assert_int_eq(listen(s->lfd, 16), 0);
	ck_assert_int_eq(loop_add_fd(l, s->lfd, LOOP_READ, srv_accept, s), 0);
}

static void
srv_stop(struct srv *s)
{
	size_t	 i;

	while (s->conns != NULL)
		conn_close(s->conns);
	loop_del_fd(s->l, s->lfd);
	close(s->lfd);
	for (i = 0; i < s->nreq; i++) {
		free(s->req[i].head);
		free(s->req[i].body);
	}
}

/* The value of header name in a request head, or NULL; free it. */
static char *
header(const struct req *r, const char *name)
{
	char	 key[64];
	char	*p, *e;

	snprintf(key, sizeof(key), "\r\n%s:", name);
	if ((p = strcasestr(r->head, key)) == NULL)
		return NULL;
	p += strlen(key);
	p += strspn(p, " ");
	e = strstr(p, "\r\n");
	return strndup(p, (size_t)(e - p));
}

static void
ck_header(const struct req *r, const char *name, const char *want)
{
	char	*v = header(r, name);

	if (want == NULL) {
		ck_assert_msg(v == NULL, "%s: %s present", name, v);
		return;
	}
	ck_assert_msg(v != NULL, "%s: missing", name);
	ck_assert_str_eq(v, want);
	free(v);
}

/* --- the notifier's side ------------------------------------------------ */

struct logcap {
	char	 text[16384];
	size_t	 len;
	unsigned lines;
};

static void
log_cap(void *arg, const char *line)
{
	struct logcap	*lc = arg;
	int		 n;

	n = snprintf(lc->text + lc->len, sizeof(lc->text) - lc->len, "%s\n",
	    line);
	ck_assert_int_gt(n, 0);
	ck_assert_uint_lt((size_t)n, sizeof(lc->text) - lc->len);
	lc->len += (size_t)n;
	lc->lines++;
}

static struct webhook *
wh_new(struct loop *l, int port, const char *path, const char *token,
    struct logcap *lc)
{
	struct webhook	*wh;
	char		 url[128];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	wh = webhook_new(l, url, token, log_cap, lc);
	ck_assert_ptr_nonnull(wh);
	return wh;
}

/* Run the loop until nothing is pending, or fail after max_ms. */
static void
run_idle(struct loop *l, struct webhook *wh, unsigned max_ms)
{
	uint64_t	 end = loop_now(l) + max_ms;

	while (webhook_pending(wh) > 0) {
		ck_assert_msg(loop_now(l) < end, "still %zu pending after %u ms",
		    webhook_pending(wh), max_ms);
		ck_assert_int_ge(loop_run_once(l, 50), 0);
	}
}

static void
run_for(struct loop *l, unsigned ms)
{
	uint64_t	 end = loop_now(l) + ms;

	while (loop_now(l) < end)
		ck_assert_int_ge(loop_run_once(l, 10), 0);
}

/* --- tests -------------------------------------------------------------- */

/* past the body size from which curl sends Expect: 100-continue (1 MB) */
#define BIG	(1536 * 1024)

START_TEST(post_body_and_headers)
{
	struct loop		*l;
	struct srv		 s;
	struct logcap		 lc = { .len = 0 };
	struct webhook		*wh;
	struct webhook_stats	 st;
	const char		*json = "{\"plan\":7,\"event\":\"started\"}";
	char			*big, *v;
	size_t			 base;

	ck_assert_ptr_nonnull(l = loop_new());
	srv_start(&s, l);
	base = loop_nfds(l);

	wh = wh_new(l, s.port, "/hook", "s3cr3t-tok", &lc);
	ck_assert_int_eq(webhook_send(wh, json), 0);
	ck_assert_uint_eq(webhook_pending(wh), 1);
	/* curl must not wait for a 100 Continue the server never sends */
	ck_assert_ptr_nonnull(big = malloc(BIG + 1));
	memset(big, 'x', BIG);
	big[0] = '"';
	big[BIG - 1] = '"';
	big[BIG] = '\0';
	ck_assert_int_eq(webhook_send(wh, big), 0);
	ck_assert_uint_eq(webhook_pending(wh), 2);
	run_idle(l, wh, 5000);
	st = webhook_get_stats(wh);
	ck_assert_uint_eq(st.sent, 2);
	ck_assert_uint_eq(st.retried + st.failed + st.dropped, 0);
	ck_assert_uint_eq(lc.lines, 0);

	ck_assert_uint_eq(s.nreq, 2);
	ck_assert(strncmp(s.req[0].head, "POST /hook HTTP/1.1\r\n", 21) == 0);
	ck_assert_str_eq(s.req[0].body, json);
	ck_header(&s.req[0], "Content-Type", "application/json");
	ck_header(&s.req[0], "Authorization", "Bearer s3cr3t-tok");
	ck_header(&s.req[0], "User-Agent", "bmcfleet");
	v = header(&s.req[0], "Host");
	ck_assert_ptr_nonnull(v);
	free(v);
	ck_assert_uint_eq(s.req[1].blen, BIG);
	ck_assert_str_eq(s.req[1].body, big);
	ck_header(&s.req[1], "Expect", NULL);
	ck_header(&s.req[1], "Authorization", "Bearer s3cr3t-tok");
	/* the connection was kept for the second message */
	ck_assert_ptr_nonnull(s.conns);
	ck_assert_ptr_null(s.conns->next);
	webhook_free(wh);
	free(big);
	/* the idle connection is closed and off the loop */
	run_for(l, 100);
	ck_assert_ptr_null(s.conns);
	ck_assert_uint_eq(loop_nfds(l), base);

	/* no token, no Authorization header */
	wh = wh_new(l, s.port, "/other", NULL, &lc);
	ck_assert_int_eq(webhook_send(wh, "{}"), 0);
	run_idle(l, wh, 5000);
	ck_assert_uint_eq(webhook_get_stats(wh).sent, 1);
	ck_assert_uint_eq(s.nreq, 3);
	ck_assert(strncmp(s.req[2].head, "POST /other HTTP/1.1\r\n", 22) == 0);
	ck_assert_str_eq(s.req[2].body, "{}");
	ck_header(&s.req[2], "Authorization", NULL);
	ck_header(&s.req[2], "Content-Type", "application/json");
	webhook_free(wh);

	srv_stop(&s);
	loop_free(l);
}
END_TEST

START_TEST(retry_5xx_then_sent)
{
	struct loop		*l;
	struct srv		 s;
	struct logcap		 lc = { .len = 0 };
	struct webhook		*wh;
	struct webhook_stats	 st;

	ck_assert_ptr_nonnull(l = loop_new());
	srv_start(&s, l);
	s.status[0] = 500;
	s.status[1] = 429;
	s.status[2] = 200;
	wh = wh_new(l, s.port, "/", "tok", &lc);
	ck_assert_int_eq(webhook_set_backoff(wh, 50, 5), 0);
	ck_assert_int_eq(webhook_send(wh, "{\"event\":\"finished\"}"), 0);
	run_idle(l, wh, 5000);
	st = webhook_get_stats(wh);
	ck_assert_uint_eq(st.sent, 1);
	ck_assert_uint_eq(st.retried, 2);
	ck_assert_uint_eq(st.failed, 0);
	ck_assert_uint_eq(s.nreq, 3);
	ck_assert_str_eq(s.req[1].body, s.req[0].body);
	ck_assert_str_eq(s.req[2].body, s.req[0].body);
	/* 50 ms, then 100 ms */
	ck_assert_uint_ge(s.req[1].at - s.req[0].at, 50);
	ck_assert_uint_ge(s.req[2].at - s.req[1].at, 100);
	ck_assert_uint_eq(lc.lines, 2);
	ck_assert_ptr_nonnull(strstr(lc.text, "attempt 1 of 5 failed: HTTP 500; "
	    "retrying in 50 ms"));
	ck_assert_ptr_nonnull(strstr(lc.text, "attempt 2 of 5 failed: HTTP 429; "
	    "retrying in 100 ms"));
	webhook_free(wh);
	srv_stop(&s);
	loop_free(l);
}
END_TEST

START_TEST(http_4xx_not_retried)
{
	struct loop		*l;
	struct srv		 s;
	struct logcap		 lc = { .len = 0 };
	struct webhook		*wh;
	struct webhook_stats	 st;

	ck_assert_ptr_nonnull(l = loop_new());
	srv_start(&s, l);
	s.status[0] = 404;
	s.status[1] = 204;
	wh = wh_new(l, s.port, "/missing", NULL, &lc);
	ck_assert_int_eq(webhook_set_backoff(wh, 10, 5), 0);
	ck_assert_int_eq(webhook_send(wh, "{\"n\":1}"), 0);
	ck_assert_int_eq(webhook_send(wh, "{\"n\":2}"), 0);
	run_idle(l, wh, 5000);
	st = webhook_get_stats(wh);
	ck_assert_uint_eq(st.failed, 1);
	ck_assert_uint_eq(st.retried, 0);
	ck_assert_uint_eq(st.sent, 1);	/* the next one was not held up */
	ck_assert_uint_eq(s.nreq, 2);
	ck_assert_str_eq(s.req[0].body, "{\"n\":1}");
	ck_assert_str_eq(s.req[1].body, "{\"n\":2}");
	ck_assert_uint_eq(lc.lines, 1);
	ck_assert_ptr_nonnull(strstr(lc.text, "webhook 'http://127.0.0.1:"));
	ck_assert_ptr_nonnull(strstr(lc.text, "/missing': attempt 1 failed: "
	    "HTTP 404; giving up (not retryable)"));
	webhook_free(wh);
	srv_stop(&s);
	loop_free(l);
}
END_TEST

START_TEST(refused_retried_then_failed)
{
	struct loop		*l;
	struct logcap		 lc = { .len = 0 };
	struct webhook		*wh;
	struct webhook_stats	 st;
	char			 url[160], shown[64];
	uint64_t		 t0;
	int			 fd, port;

	ck_assert_ptr_nonnull(l = loop_new());
	/* bound, not listening: a connect is refused, and the port stays ours */
	fd = bound_socket(&port);
	snprintf(url, sizeof(url),
	    "http://user:pw-secret@127.0.0.1:%d/x?key=query-secret", port);
	ck_assert_ptr_nonnull(wh = webhook_new(l, url, "token-secret",
	    log_cap, &lc));
	ck_assert_int_eq(webhook_set_backoff(wh, 30, 3), 0);
	t0 = loop_now(l);
	ck_assert_int_eq(webhook_send(wh, "{}"), 0);
	run_idle(l, wh, 5000);
	ck_assert_uint_ge(loop_now(l) - t0, 30 + 60);
	st = webhook_get_stats(wh);
	ck_assert_uint_eq(st.sent, 0);
	ck_assert_uint_eq(st.retried, 2);
	ck_assert_uint_eq(st.failed, 1);
	ck_assert_uint_eq(lc.lines, 3);
	snprintf(shown, sizeof(shown), "webhook 'http://127.0.0.1:%d/x': ",
	    port);
	ck_assert_ptr_nonnull(strstr(lc.text, shown));
	ck_assert_ptr_nonnull(strstr(lc.text, "attempt 1 of 3 failed: "));
	ck_assert_ptr_nonnull(strstr(lc.text, "; retrying in 30 ms\n"));
	ck_assert_ptr_nonnull(strstr(lc.text, "; retrying in 60 ms\n"));
	ck_assert_ptr_nonnull(strstr(lc.text, "attempt 3 of 3 failed: "));
	ck_assert_ptr_nonnull(strstr(lc.text, "; giving up\n"));
	ck_assert_msg(strstr(lc.text, "secret") == NULL, "leaked: %s",
	    lc.text);
	webhook_free(wh);
	close(fd);
	loop_free(l);
}
END_TEST

START_TEST(timeout_retried)
{
	struct loop		*l;
	struct srv		 s;
	struct logcap		 lc = { .len = 0 };
	struct webhook		*wh;
	struct webhook_stats	 st;
	uint64_t		 t0;

	ck_assert_ptr_nonnull(l = loop_new());
	srv_start(&s, l);
	s.mute = 1;
	wh = wh_new(l, s.port, "/", NULL, &lc);
	ck_assert_int_eq(webhook_set_backoff(wh, 20, 2), 0);
	ck_assert_int_eq(webhook_set_timeout(wh, 200), 0);
	t0 = loop_now(l);
	ck_assert_int_eq(webhook_send(wh, "{}"), 0);
	run_idle(l, wh, 5000);
	st = webhook_get_stats(wh);
	ck_assert_uint_eq(st.retried, 1);
	ck_assert_uint_eq(st.failed, 1);
	ck_assert_uint_eq(s.nreq, 2);
	/* curl's own clock, truncation to ms: a few ms of slack */
	ck_assert_uint_ge(s.req[1].at - t0, 200 + 20 - 5);
	ck_assert_uint_eq(lc.lines, 2);
	ck_assert_ptr_nonnull(strstr(lc.text, "timed out"));
	webhook_free(wh);
	srv_stop(&s);
	loop_free(l);
}
END_TEST

struct ticker {
	struct loop_timer	 t;
	uint64_t		 last_us, max_gap_us;
	unsigned		 ticks;
};

static void
tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct ticker	*tk = arg;
	uint64_t	 now = loop_now_us(l);

	if (tk->ticks > 0 && now - tk->last_us > tk->max_gap_us)
		tk->max_gap_us = now - tk->last_us;
	tk->last_us = now;
	tk->ticks++;
	ck_assert_int_eq(loop_timer_set(l, t, loop_now(l) + 20), 0);
}

START_TEST(loop_not_blocked)
{
	struct loop		*l;
	struct srv		 s;
	struct logcap		 lc = { .len = 0 };
	struct webhook		*wh;
	struct ticker		 tk = { .ticks = 0 };
	uint64_t		 t0, t1;

	ck_assert_ptr_nonnull(l = loop_new());
	srv_start(&s, l);
	s.delay_ms = 1000;
	wh = wh_new(l, s.port, "/slow", "tok", &lc);
	loop_timer_init(&tk.t, tick, &tk);
	ck_assert_int_eq(loop_timer_set(l, &tk.t, loop_now(l)), 0);

	t0 = loop_now_us(l);
	ck_assert_int_eq(webhook_send(wh, "{\"event\":\"paused\"}"), 0);
	t1 = loop_now_us(l);
	ck_assert_uint_lt(t1 - t0, 20000);
	run_idle(l, wh, 5000);
	loop_timer_cancel(l, &tk.t);

	ck_assert_uint_eq(webhook_get_stats(wh).sent, 1);
	ck_assert_uint_eq(s.nreq, 1);
	ck_assert_uint_ge(loop_now_us(l) - t0, 1000000);
	/*
	 * about 50 ticks while the server sat on the request; a blocked loop
	 * would show one gap of a second.  Loose bounds: CI machines are busy.
	 */
	ck_assert_uint_ge(tk.ticks, 10);
	ck_assert_msg(tk.max_gap_us < 500000, "the loop stalled for %llu us",
	    (unsigned long long)tk.max_gap_us);
	webhook_free(wh);
	srv_stop(&s);
	loop_free(l);
}
END_TEST

START_TEST(queue_drops_oldest)
{
	struct loop		*l;
	struct srv		 s;
	struct logcap		 lc = { .len = 0 };
	struct webhook		*wh;
	struct webhook_stats	 st;
	char			 json[32];
	size_t			 i;
	int			 n;

	ck_assert_ptr_nonnull(l = loop_new());
	srv_start(&s, l);
	wh = wh_new(l, s.port, "/", NULL, &lc);
	/* 0 goes on the wire at once; 1-5 are pushed out by 100-104 */
	for (n = 0; n < WEBHOOK_QUEUE_MAX + 5; n++) {
		snprintf(json, sizeof(json), "{\"n\":%d}", n);
		ck_assert_int_eq(webhook_send(wh, json), 0);
	}
	ck_assert_uint_eq(webhook_pending(wh), WEBHOOK_QUEUE_MAX);
	st = webhook_get_stats(wh);
	ck_assert_uint_eq(st.dropped, 5);
	ck_assert_uint_eq(lc.lines, 5);
	ck_assert_ptr_nonnull(strstr(lc.text, "queue full (100 messages): "
	    "dropped the oldest"));
	run_idle(l, wh, 10000);
	st = webhook_get_stats(wh);
	ck_assert_uint_eq(st.sent, WEBHOOK_QUEUE_MAX);
	ck_assert_uint_eq(s.nreq, WEBHOOK_QUEUE_MAX);
	ck_assert_str_eq(s.req[0].body, "{\"n\":0}");
	for (i = 1; i < s.nreq; i++) {
		snprintf(json, sizeof(json), "{\"n\":%zu}", i + 5);
		ck_assert_str_eq(s.req[i].body, json);
	}
	webhook_free(wh);
	srv_stop(&s);
	loop_free(l);
}
END_TEST

START_TEST(queue_drops_head_in_backoff)
{
	struct loop		*l;
	struct srv		 s;
	struct logcap		 lc = { .len = 0 };
	struct webhook		*wh;
	struct webhook_stats	 st;
	char			 json[32];
	size_t			 i;
	uint64_t		 end;
	int			 n;

	ck_assert_ptr_nonnull(l = loop_new());
	srv_start(&s, l);
	s.status[0] = 503;
	wh = wh_new(l, s.port, "/", NULL, &lc);
	ck_assert_int_eq(webhook_set_backoff(wh, 60000, 5), 0);
	ck_assert_int_eq(webhook_send(wh, "{\"n\":0}"), 0);
	end = loop_now(l) + 5000;
	while (webhook_get_stats(wh).retried == 0 && loop_now(l) < end)
		ck_assert_int_ge(loop_run_once(l, 50), 0);
	ck_assert_uint_eq(webhook_get_stats(wh).retried, 1);
	/* 0 waits a minute to be retried: it is the oldest, and goes */
	for (n = 1; n <= WEBHOOK_QUEUE_MAX; n++) {
		snprintf(json, sizeof(json), "{\"n\":%d}", n);
		ck_assert_int_eq(webhook_send(wh, json), 0);
	}
	ck_assert_uint_eq(webhook_get_stats(wh).dropped, 1);
	run_idle(l, wh, 10000);
	st = webhook_get_stats(wh);
	ck_assert_uint_eq(st.sent, WEBHOOK_QUEUE_MAX);
	ck_assert_uint_eq(st.failed, 0);
	ck_assert_uint_eq(s.nreq, WEBHOOK_QUEUE_MAX + 1);
	for (i = 1; i < s.nreq; i++) {
		snprintf(json, sizeof(json), "{\"n\":%zu}", i);
		ck_assert_str_eq(s.req[i].body, json);
	}
	webhook_free(wh);
	srv_stop(&s);
	loop_free(l);
}
END_TEST

START_TEST(free_while_pending)
{
	struct loop	*l;
	struct srv	 s;
	struct logcap	 lc = { .len = 0 };
	struct webhook	*wh;
	uint64_t	 end;
	size_t		 base;

	ck_assert_ptr_nonnull(l = loop_new());
	srv_start(&s, l);
	s.delay_ms = 10000;
	base = loop_nfds(l);
	wh = wh_new(l, s.port, "/", "tok", &lc);
	ck_assert_int_eq(webhook_send(wh, "{\"n\":1}"), 0);
	ck_assert_int_eq(webhook_send(wh, "{\"n\":2}"), 0);
	end = loop_now(l) + 5000;
	while (s.nreq == 0 && loop_now(l) < end)
		ck_assert_int_ge(loop_run_once(l, 50), 0);
	ck_assert_uint_eq(s.nreq, 1);
	ck_assert_uint_gt(loop_nfds(l), base);
	webhook_free(wh);
	/* curl's socket is off the loop; the server sees it close */
	run_for(l, 100);
	ck_assert_ptr_null(s.conns);
	ck_assert_uint_eq(loop_nfds(l), base);
	ck_assert_uint_eq(lc.lines, 0);
	srv_stop(&s);
	loop_free(l);
}
END_TEST

START_TEST(bad_arguments)
{
	struct loop	*l;
	struct webhook	*wh;

	ck_assert_ptr_nonnull(l = loop_new());
	errno = 0;
	ck_assert_ptr_null(webhook_new(l, "ftp://127.0.0.1/x", NULL, NULL,
	    NULL));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(webhook_new(l, "file:///etc/passwd", NULL, NULL,
	    NULL));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(webhook_new(l, "127.0.0.1:80/x", NULL, NULL,
	    NULL));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(webhook_new(l, "http://127.0.0.1/",
	    "tok\r\nX-Injected: 1", NULL, NULL));
	ck_assert_int_eq(errno, EINVAL);

	ck_assert_ptr_nonnull(wh = webhook_new(l, "HTTPS://example.invalid/",
	    NULL, NULL, NULL));
	ck_assert_int_eq(webhook_send(wh, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(webhook_set_backoff(wh, 10, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(webhook_set_timeout(wh, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(webhook_pending(wh), 0);
	webhook_free(wh);
	webhook_free(NULL);
	loop_free(l);
}
END_TEST

/* --- the one-attempt mode (scheduler/notify.c's) -------------------- */

struct donecap {
	unsigned	 calls;
	int		 ok[8];
	char		 why[8][128];
};

static void
done_cap(void *arg, int ok, const char *why)
{
	struct donecap	*d = arg;

	ck_assert_uint_lt(d->calls, 8);
	d->ok[d->calls] = ok;
	snprintf(d->why[d->calls], sizeof(d->why[0]), "%s", why);
	d->calls++;
}

START_TEST(post_one_attempt)
{
	struct loop		*l;
	struct srv		 s;
	struct logcap		 lc = { .len = 0 };
	struct webhook		*wh;
	struct webhook_stats	 st;
	struct donecap		 d = { .calls = 0 };
	int			 refused, port;

	ck_assert_ptr_nonnull(l = loop_new());
	srv_start(&s, l);
	s.status[0] = 503;
	s.status[1] = 200;
	wh = wh_new(l, s.port, "/hook", NULL, &lc);
	/* plans' retries stay configured; a posted message ignores them */
	ck_assert_int_eq(webhook_set_backoff(wh, 10, 5), 0);
	ck_assert_int_eq(webhook_post(wh, "{\"a\":1}", done_cap, &d), 0);
	ck_assert_int_eq(webhook_post(wh, "{\"a\":2}", done_cap, &d), 0);
	ck_assert_uint_eq(d.calls, 0);
	run_idle(l, wh, 5000);
	ck_assert_uint_eq(s.nreq, 2);	/* the 503 was not retried */
	ck_assert_uint_eq(d.calls, 2);
	ck_assert_int_eq(d.ok[0], 0);
	ck_assert_str_eq(d.why[0], "HTTP 503");
	ck_assert_int_eq(d.ok[1], 1);
	ck_assert_str_eq(d.why[1], "HTTP 200");
	ck_assert_str_eq(s.req[0].body, "{\"a\":1}");
	ck_assert_str_eq(s.req[1].body, "{\"a\":2}");
	st = webhook_get_stats(wh);
	ck_assert_uint_eq(st.sent, 1);
	ck_assert_uint_eq(st.failed, 1);
	ck_assert_uint_eq(st.retried, 0);
	ck_assert_int_eq(webhook_post(wh, "{}", NULL, NULL), -1);
	webhook_free(wh);

	/* refused: said so, once; free cancels what is left, once each */
	refused = bound_socket(&port);
	memset(&d, 0, sizeof(d));
	wh = wh_new(l, port, "/", NULL, &lc);
	ck_assert_int_eq(webhook_post(wh, "{}", done_cap, &d), 0);
	run_idle(l, wh, 5000);
	ck_assert_uint_eq(d.calls, 1);
	ck_assert_int_eq(d.ok[0], 0);
	ck_assert_str_eq(d.why[0], "connection refused");
	ck_assert_int_eq(webhook_post(wh, "{}", done_cap, &d), 0);
	ck_assert_int_eq(webhook_post(wh, "{}", done_cap, &d), 0);
	webhook_free(wh);
	ck_assert_uint_eq(d.calls, 3);
	ck_assert_str_eq(d.why[1], "cancelled");
	ck_assert_str_eq(d.why[2], "cancelled");
	close(refused);

	srv_stop(&s);
	loop_free(l);
}
END_TEST

static Suite *
webhook_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("webhook");
	tc = tcase_create("delivery");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, post_body_and_headers);
	tcase_add_test(tc, retry_5xx_then_sent);
	tcase_add_test(tc, http_4xx_not_retried);
	tcase_add_test(tc, refused_retried_then_failed);
	tcase_add_test(tc, timeout_retried);
	tcase_add_test(tc, loop_not_blocked);
	tcase_add_test(tc, post_one_attempt);
	suite_add_tcase(s, tc);
	tc = tcase_create("queue");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, queue_drops_oldest);
	tcase_add_test(tc, queue_drops_head_in_backoff);
	tcase_add_test(tc, free_while_pending);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 nfail;

	/* the server is on loopback: a proxy from the environment is wrong */
	setenv("no_proxy", "*", 1);
	sr = srunner_create(webhook_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
