/*
 * webhook: JSON notifications POSTed to one URL through libcurl's multi
 * interface, driven by the caller's loop (lib/loop.h), so a slow or
 * dead endpoint never blocks the loop or the plan that sends them.
 *
 * Messages go out one at a time, oldest first, so a receiver sees a plan's
 * events in the order they happened.  An attempt that fails on a connection
 * error, a timeout (10 s per attempt by default) or an HTTP 5xx or 429
 * answer is retried after 1 s, then 2 s, 4 s, ... (5 attempts in all by
 * default); any other answer that is not 2xx (a 4xx, or a 3xx: redirects
 * are not followed) fails the message at once.  Every failed attempt is
 * logged, the last one saying that the message was given up.  Log lines
 * name the URL without its user info, query or fragment, and never carry
 * the bearer token.
 *
 * The queue is bounded (WEBHOOK_QUEUE_MAX messages, the one being sent
 * included): when it is full, webhook_send drops the oldest message that is
 * not on the wire, with a log line.
 *
 * Requests carry Content-Type: application/json, User-Agent: bmcfleet and,
 * when a token was given, Authorization: Bearer TOKEN.  Only http:// and
 * https:// URLs are accepted; https verifies the peer against the system's
 * CAs.  libcurl's proxy variables (http_proxy, https_proxy, no_proxy) apply.
 *
 * libcurl's global state: the first webhook_new calls curl_global_init once
 * for the whole process, and nothing calls curl_global_cleanup (the state
 * lives until exit, as libcurl's documentation recommends for programs
 * that keep using it).  A program that uses libcurl outside this module as
 * well should call curl_global_init itself first, in main().
 *
 * Single-threaded like the loop: every function must be called from the
 * loop's thread.  The log callback must not call back into this module.
 */
#ifndef BMCFLEET_SCHEDULER_WEBHOOK_H
#define BMCFLEET_SCHEDULER_WEBHOOK_H

#include <stddef.h>

struct loop;
struct webhook;

#define WEBHOOK_QUEUE_MAX	100
#define WEBHOOK_TIMEOUT_MS	10000	/* per attempt, connecting included */
#define WEBHOOK_BACKOFF_MS	1000	/* before the first retry, then doubled */
#define WEBHOOK_ATTEMPTS	5	/* the first one included */

/*
 * Called with one line (no newline) for every failed attempt and every
 * dropped message.
 */
typedef void	webhook_log_fn(void *arg, const char *line);

/*
 * A notifier for url on loop l, or NULL with errno set: EINVAL when url is
 * not an http:// or https:// URL or the token holds a control character,
 * ENOMEM, EIO when libcurl fails to initialise.  bearer_token may be NULL
 * (no Authorization header); it is copied, and the copy is wiped by
 * webhook_free.  log may be NULL.  The loop must outlive the webhook.
 */
struct webhook *webhook_new(struct loop *l, const char *url,
	    const char *bearer_token, webhook_log_fn *log, void *arg);

/*
 * Queue a POST of json (copied; it is sent as is, not checked).  Returns at
 * once: 0, or -1 with errno (EINVAL for a NULL json, ENOMEM).  The outcome
 * shows in the stats and the log.
 */
int	webhook_send(struct webhook *, const char *json);

/*
 * How a webhook_post message ended: ok 1 (answered 2xx) or 0, with a few
 * words in why ("HTTP 503", "connection refused", "timed out", "queue
 * full", "cancelled", or libcurl's message); why is valid during the call
 * only.  The callback must not call into this webhook.
 */
typedef void	webhook_done_fn(void *arg, int ok, const char *why);

/*
 * The one-attempt mode, for a caller that keeps its messages and retries
 * them itself (scheduler/notify.c): queue a POST of json (copied) like
 * webhook_send, in the same queue and order, but make one attempt only,
 * whatever the answer, and then call done exactly once.  done is also
 * called when the message is pushed out of a full queue ("queue full":
 * from within a later webhook_send or webhook_post) and by webhook_free
 * ("cancelled").  Returns 0, or -1 with errno (EINVAL for a NULL json or
 * done, ENOMEM) and done is not called.  Such a message counts in the
 * stats as sent or failed, never as retried.
 */
int	webhook_post(struct webhook *, const char *json, webhook_done_fn *done,
	    void *arg);

/*
 * TLS for https:// URLs: verify 1 (the default) checks the peer's
 * certificate and name, 0 checks nothing (for test setups only); ca_file,
 * when not NULL, holds the PEM CAs to trust instead of the system's.
 * 0, or -1 with errno.
 */
int	webhook_set_tls(struct webhook *, int verify, const char *ca_file);

/* Messages queued, waiting to be retried or on the wire. */
size_t	webhook_pending(const struct webhook *);

struct webhook_stats {
	unsigned	sent;		/* answered 2xx */
	unsigned	retried;	/* attempts that were followed by a retry */
	unsigned	failed;		/* given up: not retryable or out of attempts */
	unsigned	dropped;	/* pushed out of a full queue */
};
struct webhook_stats webhook_get_stats(const struct webhook *);

/*
 * Tuning, mostly for tests: wait first_ms before the first retry, doubling
 * for each further one (up to an hour), and make at most attempts attempts
 * (>= 1) per message; give each attempt at most timeout_ms (1 to INT_MAX).
 * They apply from the next attempt on.  0, or -1 with EINVAL.
 */
int	webhook_set_backoff(struct webhook *, unsigned first_ms,
	    unsigned attempts);
int	webhook_set_timeout(struct webhook *, unsigned timeout_ms);

/*
 * Abandon whatever is pending (a request on the wire is cut off; each
 * webhook_post message's done is called, "cancelled"), close the
 * connections, wipe the token and free.  NULL is a no-op.  Must not be
 * called from the log callback.
 */
void	webhook_free(struct webhook *);

#endif
