/*
 * webhook: POSTs over libcurl's multi interface on our loop
 * (scheduler/curlloop: curl's sockets are the loop's fds, its timeout a
 * loop timer); finished transfers are collected with
 * curl_multi_info_read.  One easy
 * handle is reused for every message, so its connection is kept alive
 * between notifications.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "lib/loop.h"
#include "scheduler/curlloop.h"
#include "scheduler/webhook.h"

/* no retry waits longer than this, whatever the attempt count */
#define BACKOFF_CAP_MS	3600000u

struct wh_msg {
	char		*body;
	size_t		 len;
	webhook_done_fn	*done;	/* one attempt, then this; NULL: plans' */
	void		*done_arg;
};

struct webhook {
	struct loop		*loop;
	struct curlloop		 cl;		/* the multi handle, on loop */
	CURL			*easy;
	struct curl_slist	*headers;	/* the token's copy lives here */
	char			*shown_url;	/* for log lines: no secrets */
	webhook_log_fn		*log;
	void			*log_arg;

	struct loop_timer	 retry_timer;	/* backoff before the next attempt */

	struct wh_msg		 q[WEBHOOK_QUEUE_MAX];	/* q[0] is sent first */
	size_t			 n;
	int			 on_wire;	/* easy is in multi, for q[0] */
	unsigned		 attempt;	/* attempts made for q[0] */

	unsigned		 backoff_ms, attempts, timeout_ms;
	struct webhook_stats	 stats;
	char			 errbuf[CURL_ERROR_SIZE];
	char			*ca_file;
};

static void	start_head(struct webhook *);

/*
 * libcurl's global state is per process, so the flag that says it was set
 * up is too; curl_global_init is not ours to call twice.
 */
static int	curl_ready;

static int
curl_setup(void)
{
	if (curl_ready)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	curl_ready = 1;
	return 0;
}

static void
wh_log(struct webhook *wh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
wh_log(struct webhook *wh, const char *fmt, ...)
{
	char	 line[512];
	va_list	 ap;

	if (wh->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	wh->log(wh->log_arg, line);
}

/* scheme://host[:port]/path: user info and the query may hold secrets */
static char *
url_shown(const char *url)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	char	*s = NULL;
	int	 ok;

	if ((u = curl_url()) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	ok = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    (strcasecmp(scheme, "http") == 0 ||
	    strcasecmp(scheme, "https") == 0) &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK;
	if (ok) {
		/* no port in the URL is not an error; port stays NULL */
		(void)curl_url_get(u, CURLUPART_PORT, &port, 0);
		if (asprintf(&s, "%s://%s%s%s%s", scheme, host,
		    port != NULL ? ":" : "", port != NULL ? port : "",
		    path) == -1) {
			s = NULL;
			errno = ENOMEM;
		}
	} else
		errno = EINVAL;
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return s;
}

/* --- curl <-> loop: scheduler/curlloop ---------------------------------- */

static void	process_done(struct webhook *);

static void
curl_done(void *arg)
{
	process_done(arg);
}

static size_t
discard_body(char *p, size_t size, size_t nmemb, void *arg)
{
	(void)p;
	(void)arg;
	return size * nmemb;
}

/* --- the queue ---------------------------------------------------------- */

/* Drop q[i]; a one-attempt message's done hears ok and why first. */
static void
msg_remove(struct webhook *wh, size_t i, int ok, const char *why)
{
	if (wh->q[i].done != NULL)
		wh->q[i].done(wh->q[i].done_arg, ok, why);
	free(wh->q[i].body);
	memmove(&wh->q[i], &wh->q[i + 1], (wh->n - i - 1) * sizeof(wh->q[0]));
	wh->n--;
	if (i == 0) {
		wh->attempt = 0;
		loop_timer_cancel(wh->loop, &wh->retry_timer);
	}
}

static void
retry_fired(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)l;
	(void)t;
	start_head(arg);
}

static int
retryable_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_OUT_OF_MEMORY:
		return 1;
	default:
		return 0;
	}
}

/* A failed attempt in a few words: "HTTP 503", "connection refused". */
static void
attempt_why(struct webhook *wh, CURLcode rc, long code, char *why,
    size_t len)
{
	long	 oserr = 0;

	if (rc == CURLE_OK) {
		snprintf(why, len, "HTTP %ld", code);
		return;
	}
	(void)curl_easy_getinfo(wh->easy, CURLINFO_OS_ERRNO, &oserr);
	if (rc == CURLE_COULDNT_CONNECT && oserr == ECONNREFUSED)
		snprintf(why, len, "connection refused");
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(why, len, "timed out");
	else
		snprintf(why, len, "%s", wh->errbuf[0] != '\0' ?
		    wh->errbuf : curl_easy_strerror(rc));
}

/* One attempt for q[0] is over: rc is curl's verdict, code the HTTP status. */
static void
attempt_done(struct webhook *wh, CURLcode rc, long code)
{
	char		 why[CURL_ERROR_SIZE + 32];
	uint64_t	 delay;
	unsigned	 i;
	int		 retry;

	wh->attempt++;
	if (rc == CURLE_OK && code >= 200 && code < 300) {
		wh->stats.sent++;
		snprintf(why, sizeof(why), "HTTP %ld", code);
		msg_remove(wh, 0, 1, why);
		return;
	}
	attempt_why(wh, rc, code, why, sizeof(why));
	if (rc == CURLE_OK)
		retry = code >= 500 || code == 429;
	else
		retry = retryable_curl(rc);
	if (wh->q[0].done != NULL) {
		/* the caller keeps the message and retries it itself */
		wh->stats.failed++;
		msg_remove(wh, 0, 0, why);
		return;
	}
	if (retry && wh->attempt < wh->attempts) {
		delay = wh->backoff_ms;
		for (i = 1; i < wh->attempt && delay < BACKOFF_CAP_MS; i++)
			delay *= 2;
		if (delay > BACKOFF_CAP_MS)
			delay = BACKOFF_CAP_MS;
		if (loop_timer_set(wh->loop, &wh->retry_timer,
		    loop_now(wh->loop) + delay) == 0) {
			wh->stats.retried++;
			wh_log(wh, "webhook '%s': attempt %u of %u failed: %s; "
			    "retrying in %llu ms", wh->shown_url, wh->attempt,
			    wh->attempts, why, (unsigned long long)delay);
			return;
		}
	}
	wh->stats.failed++;
	if (!retry)
		wh_log(wh, "webhook '%s': attempt %u failed: %s; giving up "
		    "(not retryable)", wh->shown_url, wh->attempt, why);
	else
		wh_log(wh, "webhook '%s': attempt %u of %u failed: %s; "
		    "giving up", wh->shown_url, wh->attempt, wh->attempts, why);
	msg_remove(wh, 0, 0, why);
}

static void
process_done(struct webhook *wh)
{
	CURLMsg		*m;
	CURLcode	 rc;
	long		 code;
	int		 left;

	while ((m = curl_multi_info_read(wh->cl.multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE || m->easy_handle != wh->easy)
			continue;
		rc = m->data.result;	/* m is invalid once the handle goes */
		code = 0;
		(void)curl_easy_getinfo(wh->easy, CURLINFO_RESPONSE_CODE,
		    &code);
		(void)curl_multi_remove_handle(wh->cl.multi, wh->easy);
		wh->on_wire = 0;
		attempt_done(wh, rc, code);
	}
	start_head(wh);
}

/* Put q[0] on the wire unless it is there already or waiting to retry. */
static void
start_head(struct webhook *wh)
{
	while (wh->n > 0 && !wh->on_wire &&
	    !loop_timer_armed(&wh->retry_timer)) {
		wh->errbuf[0] = '\0';
		if (curl_easy_setopt(wh->easy, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)wh->q[0].len) == CURLE_OK &&
		    curl_easy_setopt(wh->easy, CURLOPT_POSTFIELDS,
		    wh->q[0].body) == CURLE_OK &&
		    curl_easy_setopt(wh->easy, CURLOPT_TIMEOUT_MS,
		    (long)wh->timeout_ms) == CURLE_OK &&
		    curl_multi_add_handle(wh->cl.multi, wh->easy) == CURLM_OK) {
			wh->on_wire = 1;
			return;
		}
		/* counts as a failed attempt; may give up and try the next */
		attempt_done(wh, CURLE_OUT_OF_MEMORY, 0);
	}
}

/* --- the interface ------------------------------------------------------ */

static int
token_ok(const char *t)
{
	for (; *t != '\0'; t++)
		if ((unsigned char)*t < 0x20 || *t == 0x7f)
			return 0;
	return 1;
}

static int
easy_setup(struct webhook *wh, const char *url, const char *token)
{
	char	*auth;
	size_t	 len;
	int	 ok;

	if ((wh->headers = curl_slist_append(NULL,
	    "Content-Type: application/json")) == NULL)
		return -1;
	/* curl would send "Expect: 100-continue" for a large body and wait */
	if (curl_slist_append(wh->headers, "Expect:") == NULL)
		return -1;
	if (token != NULL) {
		len = strlen("Authorization: Bearer ") + strlen(token) + 1;
		if ((auth = malloc(len)) == NULL)
			return -1;
		snprintf(auth, len, "Authorization: Bearer %s", token);
		ok = curl_slist_append(wh->headers, auth) != NULL;
		explicit_bzero(auth, len);
		free(auth);
		if (!ok)
			return -1;
	}
	ok = curl_easy_setopt(wh->easy, CURLOPT_URL, url) == CURLE_OK &&
	    curl_easy_setopt(wh->easy, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
#if LIBCURL_VERSION_NUM >= 0x075500	/* 7.85.0 */
	    curl_easy_setopt(wh->easy, CURLOPT_PROTOCOLS_STR,
	    "http,https") == CURLE_OK &&
#else
	    curl_easy_setopt(wh->easy, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) == CURLE_OK &&
#endif
	    curl_easy_setopt(wh->easy, CURLOPT_HTTPHEADER,
	    wh->headers) == CURLE_OK &&
	    curl_easy_setopt(wh->easy, CURLOPT_USERAGENT,
	    "bmcfleet") == CURLE_OK &&
	    curl_easy_setopt(wh->easy, CURLOPT_POST, 1L) == CURLE_OK &&
	    curl_easy_setopt(wh->easy, CURLOPT_WRITEFUNCTION,
	    discard_body) == CURLE_OK &&
	    curl_easy_setopt(wh->easy, CURLOPT_ERRORBUFFER,
	    wh->errbuf) == CURLE_OK &&
	    curlloop_set_close(&wh->cl, wh->easy) == 0;
	return ok ? 0 : -1;
}

struct webhook *
webhook_new(struct loop *l, const char *url, const char *bearer_token,
    webhook_log_fn *log, void *arg)
{
	struct webhook	*wh;
	int		 saved;

	if (l == NULL || url == NULL ||
	    (bearer_token != NULL && !token_ok(bearer_token))) {
		errno = EINVAL;
		return NULL;
	}
	if (curl_setup() == -1) {
		errno = EIO;
		return NULL;
	}
	if ((wh = calloc(1, sizeof(*wh))) == NULL)
		return NULL;
	wh->loop = l;
	wh->log = log;
	wh->log_arg = arg;
	wh->backoff_ms = WEBHOOK_BACKOFF_MS;
	wh->attempts = WEBHOOK_ATTEMPTS;
	wh->timeout_ms = WEBHOOK_TIMEOUT_MS;
	loop_timer_init(&wh->retry_timer, retry_fired, wh);
	if ((wh->shown_url = url_shown(url)) == NULL) {
		saved = errno;
		webhook_free(wh);
		errno = saved;
		return NULL;
	}
	if (curlloop_open(&wh->cl, l, curl_done, wh) != 0 ||
	    (wh->easy = curl_easy_init()) == NULL ||
	    easy_setup(wh, url, bearer_token) == -1) {
		webhook_free(wh);
		errno = ENOMEM;
		return NULL;
	}
	return wh;
}

static int
enqueue(struct webhook *wh, const char *json, webhook_done_fn *done,
    void *arg)
{
	struct wh_msg	 m;

	if (wh == NULL || json == NULL) {
		errno = EINVAL;
		return -1;
	}
	m.len = strlen(json);
	if ((m.body = malloc(m.len + 1)) == NULL)
		return -1;
	memcpy(m.body, json, m.len + 1);
	m.done = done;
	m.done_arg = arg;
	if (wh->n == WEBHOOK_QUEUE_MAX) {
		/* the oldest not on the wire: cutting a request off helps no one */
		msg_remove(wh, wh->on_wire ? 1 : 0, 0, "queue full");
		wh->stats.dropped++;
		wh_log(wh, "webhook '%s': queue full (%d messages): dropped "
		    "the oldest", wh->shown_url, WEBHOOK_QUEUE_MAX);
	}
	wh->q[wh->n++] = m;
	start_head(wh);
	return 0;
}

int
webhook_send(struct webhook *wh, const char *json)
{
	return enqueue(wh, json, NULL, NULL);
}

int
webhook_post(struct webhook *wh, const char *json, webhook_done_fn *done,
    void *arg)
{
	if (done == NULL) {
		errno = EINVAL;
		return -1;
	}
	return enqueue(wh, json, done, arg);
}

int
webhook_set_tls(struct webhook *wh, int verify, const char *ca_file)
{
	char	*copy = NULL;

	if (ca_file != NULL && (copy = strdup(ca_file)) == NULL)
		return -1;
	if (curl_easy_setopt(wh->easy, CURLOPT_SSL_VERIFYPEER,
	    verify ? 1L : 0L) != CURLE_OK ||
	    curl_easy_setopt(wh->easy, CURLOPT_SSL_VERIFYHOST,
	    verify ? 2L : 0L) != CURLE_OK ||
	    (copy != NULL && curl_easy_setopt(wh->easy, CURLOPT_CAINFO,
	    copy) != CURLE_OK)) {
		free(copy);
		errno = EINVAL;
		return -1;
	}
	free(wh->ca_file);
	wh->ca_file = copy;
	return 0;
}

size_t
webhook_pending(const struct webhook *wh)
{
	return wh->n;
}

struct webhook_stats
webhook_get_stats(const struct webhook *wh)
{
	return wh->stats;
}

int
webhook_set_backoff(struct webhook *wh, unsigned first_ms, unsigned attempts)
{
	if (attempts < 1) {
		errno = EINVAL;
		return -1;
	}
	wh->backoff_ms = first_ms;
	wh->attempts = attempts;
	return 0;
}

int
webhook_set_timeout(struct webhook *wh, unsigned timeout_ms)
{
	if (timeout_ms == 0 || timeout_ms > INT_MAX) {
		errno = EINVAL;
		return -1;
	}
	wh->timeout_ms = timeout_ms;
	return 0;
}

void
webhook_free(struct webhook *wh)
{
	struct curl_slist	*h;
	size_t			 i;

	if (wh == NULL)
		return;
	loop_timer_cancel(wh->loop, &wh->retry_timer);
	if (wh->on_wire)
		(void)curl_multi_remove_handle(wh->cl.multi, wh->easy);
	/* the connection cache goes with the handles: sockets close here */
	if (wh->easy != NULL)
		curl_easy_cleanup(wh->easy);
	curlloop_close(&wh->cl);
	for (h = wh->headers; h != NULL; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(wh->headers);
	for (i = 0; i < wh->n; i++) {
		if (wh->q[i].done != NULL)
			wh->q[i].done(wh->q[i].done_arg, 0, "cancelled");
		free(wh->q[i].body);
	}
	free(wh->ca_file);
	free(wh->shown_url);
	free(wh);
}
