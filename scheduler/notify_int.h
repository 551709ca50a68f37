/*
 * notify_int: what notify.c and its transports (notify_syslog.c,
 * notify_mail.c) share, and their pure formatters, which the unit test
 * calls directly.  Not for other modules.
 */
#ifndef BMCFLEET_SCHEDULER_NOTIFY_INT_H
#define BMCFLEET_SCHEDULER_NOTIFY_INT_H

#include <stddef.h>
#include <time.h>

#include "lib/gbuf.h"
#include "lib/loop.h"
#include "scheduler/curlloop.h"
#include "scheduler/notify.h"

/* RFC 5612's example enterprise number, for want of one of our own */
#define NOTIFY_SD_ID	"bmcfleet@32473"

struct webhook;

/* One send from notify_send until its done has been called. */
struct notify_send {
	struct notify_target	*t;
	notify_done_fn		*done;
	void			*arg;
	int			 finished;	/* on the hub's finished list */
	int			 ok;
	char			 detail[NOTIFY_DETAIL_MAX];
	struct notify_send	*prev, *next;	/* t's in flight, or the
						   hub's finished */
	/* email */
	void			*easy;		/* CURL * */
	void			*rcpt;		/* struct curl_slist * */
	char			*mail;		/* the RFC 5322 message */
	size_t			 mlen, moff;
	char			*errbuf;	/* CURL_ERROR_SIZE */
};

struct notify {
	struct loop		*loop;
	notify_log_fn		*log;
	void			*log_arg;
	struct curlloop		 cl;		/* email's multi handle, made
						   on first use */
	struct loop_timer	 done_timer;	/* calls the finished' dones */
	struct notify_send	*fin_head, *fin_tail;
	unsigned		 ntargets;
	unsigned		 seq;		/* for Message-IDs */
	char			 hostname[256];
};

struct notify_target {
	struct notify		*n;
	enum notify_kind	 kind;
	char			*name;
	unsigned		 timeout_ms;
	struct notify_send	*inflight;	/* not finished yet */
	size_t			 pending;	/* done not called yet */

	struct webhook		*wh;

	char			*socket_path;
	int			 fd;		/* -1: not connected */
	int			 facility;
	char			*app_name;

	char			*smtp_url, *from, **to;
	size_t			 nto;
	enum notify_starttls	 starttls;
	int			 tls_verify;
	char			*ca_file;
	char			*user, *password;
};

/* The send is over: off t's in-flight list, its done called soon. */
void	notify_finish(struct notify_send *, int ok, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* transports: 0, or -1 with errno (nothing started) */
int	notify_syslog_send(struct notify_target *, struct notify_send *,
	    const struct notify_msg *);
void	notify_syslog_close(struct notify_target *);
int	notify_mail_send(struct notify_target *, struct notify_send *,
	    const struct notify_msg *);
/* Take s off the wire (its done is the caller's business). */
void	notify_mail_abort(struct notify_send *);
void	notify_mail_cleanup(struct notify *);

/*
 * Append s as UTF-8 to b: bytes that are not UTF-8 become U+FFFD; C0
 * controls and DEL become a space (NOTIFY_TEXT_LINE) or are dropped
 * (NOTIFY_TEXT_STRIP); NOTIFY_TEXT_BODY keeps tabs and turns every line
 * end (LF, CRLF, a lone CR) into CRLF, dropping other controls.
 */
enum notify_text {
	NOTIFY_TEXT_LINE,
	NOTIFY_TEXT_STRIP,
	NOTIFY_TEXT_BODY,
};
void	notify_text_add(struct gbuf *b, const char *s, enum notify_text how);

/*
 * RFC 5424, 6: one syslog message, no trailer.  now_us is the time of
 * sending (microseconds since the epoch, UTC).  hostname, app_name are
 * cut to the RFC's lengths and printable ASCII.  The result is at most
 * NOTIFY_SYSLOG_MAX bytes: MSG is cut (at a character boundary) to fit.
 */
#define NOTIFY_SYSLOG_MAX	2048
void	notify_syslog_format(struct gbuf *b, const struct notify_msg *m,
	    int facility, const char *hostname, const char *app_name,
	    long pid, long long now_us);

/*
 * RFC 5322 (and 2045, 2047): the whole message with CRLF line ends: Date,
 * From, To, Subject, Message-ID <SEQ.NOW.PID@HOSTNAME>, MIME-Version,
 * Content-Type text/plain; charset=utf-8, Content-Transfer-Encoding 8bit,
 * then the text (lines longer than 998 bytes broken).  from and to are
 * addresses notify_config_check accepted.
 */
void	notify_mail_format(struct gbuf *b, const struct notify_msg *m,
	    const char *from, const char *const *to, size_t nto,
	    const char *hostname, time_t now, unsigned seq, long pid);

/* An addr-spec we are willing to put in a header and an SMTP command. */
int	notify_addr_ok(const char *addr);

#endif
