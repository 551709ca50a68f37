/*
 * notify: the transports that carry an alert out of bmcfleetd, behind one
 * interface, on the caller's loop (lib/loop.h), never blocking it:
 *
 *	webhook	an HTTP(S) POST of a JSON body (scheduler/webhook.c, in its
 *		one-attempt mode), optional bearer token
 *	syslog	one RFC 5424 line to a local unix datagram socket
 *		(/dev/log unless told otherwise)
 *	email	an RFC 5322 text/plain message over SMTP (libcurl), with
 *		STARTTLS when the server offers it, or required
 *
 * Each notify_send is ONE attempt with a timeout.  Retries, backoff,
 * de-duplication and keeping the alert until it is delivered are the
 * caller's (the alert engine keeps every notification in the database):
 * nothing here survives a restart, and nothing is retried.
 *
 * Usage: one struct notify per loop (notify_new); a struct notify_target
 * per configured action (notify_target_new from a struct notify_config
 * the config loader filled, checked first by notify_config_check); then
 * notify_send as often as needed.
 *
 * Secrets: a token or password is read from its file when the target is
 * made (the file must not be readable or writable by group or others),
 * kept in memory for the target's life and wiped when it is freed; it
 * never appears in a detail string or a log line.
 *
 * Single-threaded like the loop: every function must be called from the
 * loop's thread.
 */
#ifndef BMCFLEET_SCHEDULER_NOTIFY_H
#define BMCFLEET_SCHEDULER_NOTIFY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct loop;
struct notify;
struct notify_target;

enum notify_kind {
	NOTIFY_WEBHOOK,
	NOTIFY_SYSLOG,
	NOTIFY_EMAIL,
};

/* RFC 5424, 6.2.1: the severity of a message (also its syslog level). */
enum notify_severity {
	NOTIFY_EMERG = 0,
	NOTIFY_ALERT = 1,
	NOTIFY_CRIT = 2,
	NOTIFY_ERR = 3,
	NOTIFY_WARNING = 4,
	NOTIFY_NOTICE = 5,
	NOTIFY_INFO = 6,
	NOTIFY_DEBUG = 7,
};

/* email: STARTTLS on an smtp:// URL (smtps:// is TLS from the start) */
enum notify_starttls {
	NOTIFY_STARTTLS_TRY = 0,	/* when the server offers it (default) */
	NOTIFY_STARTTLS_REQUIRE,	/* fail unless the session is TLS */
};

#define NOTIFY_TIMEOUT_MS	10000	/* per send, connecting included */
#define NOTIFY_SYSLOG_PATH	"/dev/log"
#define NOTIFY_SYSLOG_FACILITY	3	/* daemon */
#define NOTIFY_APP_NAME		"bmcfleetd"
#define NOTIFY_DETAIL_MAX	256	/* a detail string, NUL included */

/*
 * One action's settings, as the config loader fills them.  Every pointer
 * is the caller's and may be NULL unless said otherwise; notify_target_new
 * copies what it keeps, so the struct may go once the target exists.
 * Start from notify_config_init, which sets the defaults noted here.
 */
struct notify_config {
	enum notify_kind	 kind;
	const char		*name;		/* the action's name, for
						   messages; required */
	unsigned		 timeout_ms;	/* NOTIFY_TIMEOUT_MS */

	/* TLS, for webhook https:// and email */
	int			 tls_verify;	/* 1; 0 only with insecure */
	int			 insecure;	/* 0; 1 allows tls_verify 0 and a
						   token over http:// to a host
						   that is not loopback */
	const char		*ca_file;	/* PEM CAs instead of the
						   system's */

	/* webhook */
	const char		*url;		/* http:// or https://; required */
	const char		*token_file;	/* bearer token: first line */
	const char		*token;		/* or the token itself (e.g. from
						   an environment variable) */

	/* syslog */
	const char		*socket_path;	/* NOTIFY_SYSLOG_PATH */
	int			 facility;	/* 0..23, NOTIFY_SYSLOG_FACILITY */
	const char		*app_name;	/* NOTIFY_APP_NAME */

	/* email */
	const char		*smtp_url;	/* smtp://host[:port] or
						   smtps://host[:port];
						   required */
	const char		*from;		/* addr-spec; required */
	const char *const	*to;		/* addr-specs; at least one */
	size_t			 nto;
	enum notify_starttls	 starttls;	/* NOTIFY_STARTTLS_TRY */
	const char		*user;		/* AUTH, with password_file */
	const char		*password_file;	/* first line */
};

/* Zero c and set the defaults for kind. */
void	notify_config_init(struct notify_config *c, enum notify_kind kind);

/*
 * Check c as the config loader should before it accepts the file: 0, or
 * -1 with one message in err naming the action and the setting (e.g.
 * "action 'ops-mail': to: 'a@b\nc' is not an e-mail address").  Looks at
 * no file and no network: a missing token or password file is found by
 * notify_target_new.
 */
int	notify_config_check(const struct notify_config *c, char *err,
	    size_t errlen);

/* The kind's word in the config ("webhook", "syslog", "email"). */
const char *notify_kind_name(enum notify_kind);
/* The word for a kind, 0, or -1 for an unknown word. */
int	notify_kind_parse(const char *word, enum notify_kind *kind);
/* RFC 5424's keyword ("emerg" .. "debug"), and back (-1: unknown). */
const char *notify_severity_name(enum notify_severity);
int	notify_severity_parse(const char *word, enum notify_severity *sev);
/* Syslog facility by name ("daemon", "local0" .. "local7", ...) or
 * number, into *facility; 0, or -1. */
int	notify_facility_parse(const char *word, int *facility);

/*
 * One notification.  Every string is UTF-8 (bytes that are not are
 * replaced), copied by notify_send.  What each transport makes of it:
 *
 *	webhook	POSTs json as is; when json is NULL, a JSON object of the
 *		other fields ({"severity","subject","text","bmc","event_key",
 *		"time"}).
 *	syslog	<PRI>1 TIME HOST APP PID MSGID [bmcfleet@32473
 *		severity=".." bmc=".." event=".." time=".."] BOM subject:
 *		text, one line (controls become spaces), at most 2048 bytes.
 *		32473 is RFC 5612's documentation enterprise number: RFC 5424
 *		keeps SD-IDs without '@' for IANA, and bmcfleet has no number
 *		of its own.
 *	email	Subject: the subject (CR, LF and other controls made spaces,
 *		so no header can be injected; RFC 2047-encoded when not
 *		ASCII), text as the text/plain body (the subject when text is
 *		NULL), X-Bmcfleet-Severity: the severity's keyword.
 */
struct notify_msg {
	enum notify_severity	 severity;
	const char		*subject;	/* one line; required */
	const char		*text;		/* the body, may be multi-line */
	const char		*json;		/* webhook body, or NULL */
	const char		*bmc;		/* the BMC's name, or NULL */
	const char		*event_key;	/* what the alert is about
						   ("sel:42", "sensor:7:3"),
						   or NULL */
	const char		*msgid;		/* syslog MSGID ("alert",
						   "recovery"), or NULL: "-" */
	time_t			 when;		/* the event's time; 0: now */
};

/*
 * How a send ended: ok 1 (delivered: HTTP 2xx, the datagram written, the
 * SMTP server took the message) or 0 with a short reason in detail
 * ("HTTP 503", "connection refused", "timed out", "SMTP 550: ...",
 * "syslog socket full", "cancelled").  detail is never NULL; it is valid
 * during the call only.  The callback may call notify_send again (on any
 * target) but must not free the target the send was made on, nor the
 * struct notify.
 */
typedef void	notify_done_fn(void *arg, int ok, const char *detail);

/* A line for the daemon's log (a transport's trouble beyond one send). */
typedef void	notify_log_fn(void *arg, const char *line);

/*
 * The transports' shared state for loop l (the libcurl multi handle for
 * email), or NULL with errno set (ENOMEM, EIO when libcurl fails to
 * initialise).  log may be NULL.  The loop must outlive it.
 */
struct notify *notify_new(struct loop *l, notify_log_fn *log, void *arg);

/*
 * A target for the action c, or NULL with a message in err (c fails
 * notify_config_check, a token or password file cannot be read or is
 * open to group or others, out of memory).  The syslog socket is not
 * opened here: a missing /dev/log is each send's failure, so syslogd may
 * start later.
 */
struct notify_target *notify_target_new(struct notify *n,
	    const struct notify_config *c, char *err, size_t errlen);

/* The action's name, as configured. */
const char *notify_target_name(const struct notify_target *);

/*
 * Send m once through t.  Returns 0 when the attempt started (or failed
 * in a way done will tell): done is then called exactly once, later, from
 * the loop, never from within notify_send.  Returns -1 with errno when
 * nothing was started and done will not be called: EINVAL (NULL t, m, a
 * NULL subject or done), ENOMEM.
 */
int	notify_send(struct notify_target *t, const struct notify_msg *m,
	    notify_done_fn *done, void *arg);

/* Sends started on t whose done has not been called yet. */
size_t	notify_pending(const struct notify_target *t);

/*
 * Cancel t's sends in flight, calling each one's done (ok 0, "cancelled")
 * before it returns; close its sockets, wipe its secrets and free it.
 * NULL is a no-op.  Must not be called from a done callback.
 */
void	notify_target_free(struct notify_target *t);

/*
 * Free n; every target made from it must be freed first.  NULL is a
 * no-op.
 */
void	notify_free(struct notify *n);

#endif
