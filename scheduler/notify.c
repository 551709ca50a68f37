/*
 * notify: the targets, the sends in flight, and the one place a send's
 * done is called from (a zero-delay timer on the loop, so never from
 * within notify_send).  The webhook transport is here too, being a thin
 * layer over scheduler/webhook.c's one-attempt mode; syslog and email have
 * their own files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/errf.h"
#include "lib/gbuf.h"
#include "lib/json.h"
#include "lib/loop.h"
#include "scheduler/notify.h"
#include "scheduler/notify_int.h"
#include "scheduler/webhook.h"

#define SECRET_MAX	4096

/* --- words -------------------------------------------------------------- */

static const char *const kind_names[] = {
	[NOTIFY_WEBHOOK] = "webhook",
	[NOTIFY_SYSLOG] = "syslog",
	[NOTIFY_EMAIL] = "email",
};

static const char *const sev_names[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

/* RFC 5424, 6.2.1, table 1 */
static const struct {
	const char	*name;
	int		 code;
} facilities[] = {
	{ "kern", 0 }, { "user", 1 }, { "mail", 2 }, { "daemon", 3 },
	{ "auth", 4 }, { "syslog", 5 }, { "lpr", 6 }, { "news", 7 },
	{ "uucp", 8 }, { "cron", 9 }, { "authpriv", 10 }, { "ftp", 11 },
	{ "ntp", 12 }, { "security", 13 }, { "console", 14 },
	{ "local0", 16 }, { "local1", 17 }, { "local2", 18 }, { "local3", 19 },
	{ "local4", 20 }, { "local5", 21 }, { "local6", 22 }, { "local7", 23 },
};

const char *
notify_kind_name(enum notify_kind k)
{
	if ((unsigned)k >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "?";
	return kind_names[k];
}

int
notify_kind_parse(const char *word, enum notify_kind *kind)
{
	size_t	 i;

	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(word, kind_names[i]) == 0) {
			*kind = (enum notify_kind)i;
			return 0;
		}
	return -1;
}

const char *
notify_severity_name(enum notify_severity s)
{
	if ((unsigned)s > NOTIFY_DEBUG)
		return "?";
	return sev_names[s];
}

int
notify_severity_parse(const char *word, enum notify_severity *sev)
{
	size_t	 i;

	for (i = 0; i < sizeof(sev_names) / sizeof(sev_names[0]); i++)
		if (strcasecmp(word, sev_names[i]) == 0) {
			*sev = (enum notify_severity)i;
			return 0;
		}
	/* the long forms syslog(3) users know */
	if (strcasecmp(word, "emergency") == 0)
		*sev = NOTIFY_EMERG;
	else if (strcasecmp(word, "critical") == 0)
		*sev = NOTIFY_CRIT;
	else if (strcasecmp(word, "error") == 0)
		*sev = NOTIFY_ERR;
	else
		return -1;
	return 0;
}

int
notify_facility_parse(const char *word, int *facility)
{
	char	*end;
	long	 v;
	size_t	 i;

	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (strcasecmp(word, facilities[i].name) == 0) {
			*facility = facilities[i].code;
			return 0;
		}
	errno = 0;
	v = strtol(word, &end, 10);
	if (*word < '0' || *word > '9' || *end != '\0' || errno != 0 ||
	    v > 23)
		return -1;
	*facility = (int)v;
	return 0;
}

/* --- the config --------------------------------------------------------- */

void
notify_config_init(struct notify_config *c, enum notify_kind kind)
{
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->timeout_ms = NOTIFY_TIMEOUT_MS;
	c->tls_verify = 1;
	c->facility = NOTIFY_SYSLOG_FACILITY;
	c->starttls = NOTIFY_STARTTLS_TRY;
}

static int
has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/*
 * RFC 5321, 4.1.2 and RFC 5322, 3.4.1, narrowed to what needs no quoting:
 * local@domain, printable ASCII, none of the specials that would end a
 * header, an SMTP path or an address list.
 */
int
notify_addr_ok(const char *a)
{
	const char	*at, *p;

	if ((at = strchr(a, '@')) == NULL || at == a || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strlen(a) > 254)
		return 0;
	for (p = a; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return 0;
	return 1;
}

static int
url_scheme_is(const char *url, const char *const *schemes)
{
	size_t	 n;

	for (; *schemes != NULL; schemes++) {
		n = strlen(*schemes);
		if (strncasecmp(url, *schemes, n) == 0 &&
		    strncmp(url + n, "://", 3) == 0 && url[n + 3] != '\0' &&
		    url[n + 3] != '/')
			return 1;
	}
	return 0;
}

/* host[:port][/...] names this machine's loopback */
static int
loopback_host(const char *h)
{
	size_t	 n = strcspn(h, ":/?#");

	if (h[0] == '[')
		return strncmp(h, "[::1]", 5) == 0;
	return (n == 9 && strncasecmp(h, "localhost", 9) == 0) ||
	    (n >= 7 && strncmp(h, "127.", 4) == 0 &&
	    strspn(h, "0123456789.") == n);
}

int
notify_config_check(const struct notify_config *c, char *err, size_t errlen)
{
	static const char *const http[] = { "http", "https", NULL };
	static const char *const smtp[] = { "smtp", "smtps", NULL };
	const char	*nm = c->name;
	size_t		 i;

	if (nm == NULL || *nm == '\0' || has_ctl(nm))
		return errf(err, errlen, "action: a name is required");
	if (c->timeout_ms == 0 || c->timeout_ms > INT_MAX)
		return errf(err, errlen, "action '%s': timeout: must be more "
		    "than 0", nm);
	if (c->ca_file != NULL && *c->ca_file == '\0')
		return errf(err, errlen, "action '%s': ca_file: empty", nm);
	if (!c->tls_verify && !c->insecure)
		return errf(err, errlen, "action '%s': tls_verify: false needs "
		    "insecure: true", nm);
	switch (c->kind) {
	case NOTIFY_WEBHOOK:
		if (c->url == NULL)
			return errf(err, errlen, "action '%s': url: required "
			    "for a webhook", nm);
		if (has_ctl(c->url) || !url_scheme_is(c->url, http))
			return errf(err, errlen, "action '%s': url: '%s' is not "
			    "an http:// or https:// URL", nm, c->url);
		if (c->token != NULL && c->token_file != NULL)
			return errf(err, errlen, "action '%s': token_file and "
			    "a token: give one", nm);
		if (c->token != NULL && (has_ctl(c->token) || *c->token == '\0'))
			return errf(err, errlen, "action '%s': the token is "
			    "empty or holds a control character", nm);
		/* a bearer token over plain http is readable on every hop; a
		 * loopback URL (a local relay) has none */
		if ((c->token != NULL || c->token_file != NULL) &&
		    strncasecmp(c->url, "http://", 7) == 0 && !c->insecure &&
		    !loopback_host(c->url + 7))
			return errf(err, errlen, "action '%s': a token over "
			    "http:// travels in clear; use an https:// URL (or "
			    "set insecure: true)", nm);
		break;
	case NOTIFY_SYSLOG:
		if (c->socket_path != NULL && (*c->socket_path == '\0' ||
		    strlen(c->socket_path) >= 108))
			return errf(err, errlen, "action '%s': socket: '%s' is "
			    "empty or longer than a unix socket path can be",
			    nm, c->socket_path);
		if (c->facility < 0 || c->facility > 23)
			return errf(err, errlen, "action '%s': facility: %d is "
			    "not 0 to 23", nm, c->facility);
		if (c->app_name != NULL && (*c->app_name == '\0' ||
		    strlen(c->app_name) > 48 || strpbrk(c->app_name, " ") ||
		    has_ctl(c->app_name)))
			return errf(err, errlen, "action '%s': app_name: 1 to "
			    "48 printable characters, no spaces", nm);
		break;
	case NOTIFY_EMAIL:
		if (c->smtp_url == NULL)
			return errf(err, errlen, "action '%s': smtp: required "
			    "for email", nm);
		if (has_ctl(c->smtp_url) || !url_scheme_is(c->smtp_url, smtp))
			return errf(err, errlen, "action '%s': smtp: '%s' is "
			    "not an smtp:// or smtps:// URL", nm, c->smtp_url);
		if (c->from == NULL || !notify_addr_ok(c->from))
			return errf(err, errlen, "action '%s': from: %s%s%s", nm,
			    c->from == NULL ? "required" : "'",
			    c->from == NULL ? "" : c->from,
			    c->from == NULL ? "" : "' is not an e-mail address");
		if (c->nto == 0 || c->to == NULL)
			return errf(err, errlen, "action '%s': to: at least one "
			    "address is required", nm);
		for (i = 0; i < c->nto; i++)
			if (c->to[i] == NULL || !notify_addr_ok(c->to[i]))
				return errf(err, errlen, "action '%s': to: '%s' "
				    "is not an e-mail address", nm,
				    c->to[i] == NULL ? "" : c->to[i]);
		if (c->starttls != NOTIFY_STARTTLS_TRY &&
		    c->starttls != NOTIFY_STARTTLS_REQUIRE)
			return errf(err, errlen, "action '%s': starttls: not "
			    "'try' or 'require'", nm);
		if ((c->user == NULL) != (c->password_file == NULL))
			return errf(err, errlen, "action '%s': user and "
			    "password_file go together", nm);
		if (c->user != NULL && (*c->user == '\0' || has_ctl(c->user)))
			return errf(err, errlen, "action '%s': user: empty or "
			    "holds a control character", nm);
		/* a password goes over TLS or not at all */
		if (c->user != NULL && c->starttls != NOTIFY_STARTTLS_REQUIRE &&
		    strncasecmp(c->smtp_url, "smtps:", 6) != 0)
			return errf(err, errlen, "action '%s': user: a password "
			    "needs 'starttls: require' or an smtps:// URL", nm);
		break;
	default:
		return errf(err, errlen, "action '%s': unknown kind %d", nm,
		    (int)c->kind);
	}
	return 0;
}

/*
 * The first line of a secret's file, refused when group or others may
 * read or write it (as the credentials of the config are).
 */
static char *
secret_read(const char *what, const char *path, char *err, size_t errlen)
{
	struct stat	 st;
	char		 buf[SECRET_MAX + 1], *s;
	ssize_t		 r;
	size_t		 len = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		errf(err, errlen, "%s '%s': %s", what, path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (st.st_mode & 077) != 0) {
		close(fd);
		errf(err, errlen, "%s '%s': not a regular file of mode 0600 "
		    "or 0400", what, path);
		return NULL;
	}
	while (len < SECRET_MAX &&
	    (r = read(fd, buf + len, SECRET_MAX - len)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			errf(err, errlen, "%s '%s': %s", what, path,
			    strerror(errno));
			close(fd);
			explicit_bzero(buf, sizeof(buf));
			return NULL;
		}
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] == '\0' || has_ctl(buf)) {
		explicit_bzero(buf, sizeof(buf));
		errf(err, errlen, "%s '%s': the first line is empty or holds "
		    "a control character", what, path);
		return NULL;
	}
	s = strdup(buf);
	explicit_bzero(buf, sizeof(buf));
	if (s == NULL)
		errf(err, errlen, "%s: out of memory", what);
	return s;
}

static void
secret_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* --- sends and their dones ---------------------------------------------- */

static void
inflight_unlink(struct notify_send *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		s->t->inflight = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	s->prev = s->next = NULL;
}

static void
send_free(struct notify_send *s)
{
	free(s->mail);
	free(s->errbuf);
	free(s);
}

void
notify_finish(struct notify_send *s, int ok, const char *fmt, ...)
{
	struct notify	*n = s->t->n;
	va_list		 ap;

	if (s->finished)
		return;
	va_start(ap, fmt);
	vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
	va_end(ap);
	s->ok = ok;
	s->finished = 1;
	inflight_unlink(s);
	s->prev = n->fin_tail;
	if (n->fin_tail != NULL)
		n->fin_tail->next = s;
	else
		n->fin_head = s;
	n->fin_tail = s;
	if (!loop_timer_armed(&n->done_timer) &&
	    loop_timer_set(n->loop, &n->done_timer, loop_now(n->loop)) == -1 &&
	    n->log != NULL)
		/* the next finish tries again; nothing is lost meanwhile */
		n->log(n->log_arg, "notify: cannot arm a timer: out of memory");
}

static void
fin_unlink(struct notify *n, struct notify_send *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		n->fin_head = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	else
		n->fin_tail = s->prev;
	s->prev = s->next = NULL;
}

static void
call_done(struct notify_send *s)
{
	s->t->pending--;
	s->done(s->arg, s->ok, s->detail);
	send_free(s);
}

/* The dones of what finished before this call; later ones wait a turn. */
static void
done_fired(struct loop *l, struct loop_timer *timer, void *arg)
{
	struct notify		*n = arg;
	struct notify_send	*s, *batch;

	(void)l;
	(void)timer;
	batch = n->fin_head;
	n->fin_head = n->fin_tail = NULL;
	while ((s = batch) != NULL) {
		batch = s->next;
		if (batch != NULL)
			batch->prev = NULL;
		s->next = NULL;
		call_done(s);
	}
}

/* --- webhook ------------------------------------------------------------ */

static void
wh_done(void *arg, int ok, const char *why)
{
	notify_finish(arg, ok, "%s", why);
}

static void
wh_log(void *arg, const char *line)
{
	struct notify	*n = arg;

	if (n->log != NULL)
		n->log(n->log_arg, line);
}

static char *
default_json(const struct notify_msg *m, time_t now)
{
	struct gbuf	 b = GBUF_INIT;
	struct json	 j;
	char		 ts[32];
	struct tm	 tm;
	time_t		 when = m->when != 0 ? m->when : now;

	json_init(&j, &b, 0);
	json_obj(&j);
	json_key_str(&j, "severity", notify_severity_name(m->severity));
	json_key_str(&j, "subject", m->subject);
	json_key_str(&j, "text", m->text);
	json_key_str(&j, "bmc", m->bmc);
	json_key_str(&j, "event_key", m->event_key);
	if (gmtime_r(&when, &tm) != NULL &&
	    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
		json_key_str(&j, "time", ts);
	json_end(&j);
	if (json_failed(&j)) {
		gbuf_release(&b);
		errno = ENOMEM;
		return NULL;
	}
	return gbuf_detach(&b, NULL);
}

static int
webhook_target(struct notify_target *t, const struct notify_config *c,
    char *err, size_t errlen)
{
	char	*token = NULL;
	int	 rc = -1;

	if (c->token_file != NULL &&
	    (token = secret_read("token_file", c->token_file, err,
	    errlen)) == NULL)
		return -1;
	if ((t->wh = webhook_new(t->n->loop, c->url, token != NULL ? token :
	    c->token, wh_log, t->n)) == NULL)
		errf(err, errlen, "action '%s': webhook: %s", c->name,
		    strerror(errno));
	else if (webhook_set_timeout(t->wh, c->timeout_ms) == -1 ||
	    webhook_set_tls(t->wh, c->tls_verify, c->ca_file) == -1)
		errf(err, errlen, "action '%s': webhook: %s", c->name,
		    strerror(errno));
	else
		rc = 0;
	secret_free(token);
	return rc;
}

/* --- the interface ------------------------------------------------------ */

struct notify *
notify_new(struct loop *l, notify_log_fn *log, void *arg)
{
	struct notify	*n;

	if (l == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->loop = l;
	n->log = log;
	n->log_arg = arg;
	loop_timer_init(&n->done_timer, done_fired, n);
	if (gethostname(n->hostname, sizeof(n->hostname) - 1) == -1 ||
	    n->hostname[0] == '\0')
		strcpy(n->hostname, "localhost");
	return n;
}

static void
target_release(struct notify_target *t)
{
	size_t	 i;

	free(t->name);
	free(t->socket_path);
	free(t->app_name);
	free(t->smtp_url);
	free(t->from);
	for (i = 0; i < t->nto; i++)
		free(t->to[i]);
	free(t->to);
	free(t->ca_file);
	free(t->user);
	secret_free(t->password);
	free(t);
}

static int
dup_to(char **dst, const char *src)
{
	if (src == NULL) {
		*dst = NULL;
		return 0;
	}
	return (*dst = strdup(src)) == NULL ? -1 : 0;
}

struct notify_target *
notify_target_new(struct notify *n, const struct notify_config *c, char *err,
    size_t errlen)
{
	struct notify_target	*t;
	size_t			 i;

	if (notify_config_check(c, err, errlen) == -1)
		return NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		goto oom;
	t->n = n;
	t->kind = c->kind;
	t->timeout_ms = c->timeout_ms;
	t->fd = -1;
	t->facility = c->facility;
	t->starttls = c->starttls;
	t->tls_verify = c->tls_verify;
	if (dup_to(&t->name, c->name) == -1 ||
	    dup_to(&t->ca_file, c->ca_file) == -1)
		goto oom;
	switch (c->kind) {
	case NOTIFY_WEBHOOK:
		if (webhook_target(t, c, err, errlen) == -1) {
			target_release(t);
			return NULL;
		}
		break;
	case NOTIFY_SYSLOG:
		if (dup_to(&t->socket_path, c->socket_path != NULL ?
		    c->socket_path : NOTIFY_SYSLOG_PATH) == -1 ||
		    dup_to(&t->app_name, c->app_name != NULL ? c->app_name :
		    NOTIFY_APP_NAME) == -1)
			goto oom;
		break;
	case NOTIFY_EMAIL:
		if (dup_to(&t->smtp_url, c->smtp_url) == -1 ||
		    dup_to(&t->from, c->from) == -1 ||
		    dup_to(&t->user, c->user) == -1 ||
		    (t->to = calloc(c->nto, sizeof(*t->to))) == NULL)
			goto oom;
		for (i = 0; i < c->nto; i++, t->nto++)
			if (dup_to(&t->to[i], c->to[i]) == -1)
				goto oom;
		if (c->password_file != NULL &&
		    (t->password = secret_read("password_file",
		    c->password_file, err, errlen)) == NULL) {
			target_release(t);
			return NULL;
		}
		break;
	}
	n->ntargets++;
	return t;
oom:
	if (t != NULL)
		target_release(t);
	errf(err, errlen, "action '%s': out of memory", c->name);
	return NULL;
}

const char *
notify_target_name(const struct notify_target *t)
{
	return t->name;
}

size_t
notify_pending(const struct notify_target *t)
{
	return t->pending;
}

int
notify_send(struct notify_target *t, const struct notify_msg *m,
    notify_done_fn *done, void *arg)
{
	struct notify_send	*s;
	char			*json = NULL;
	int			 rc;

	if (t == NULL || m == NULL || m->subject == NULL || done == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	s->t = t;
	s->done = done;
	s->arg = arg;
	s->next = t->inflight;
	if (t->inflight != NULL)
		t->inflight->prev = s;
	t->inflight = s;
	t->pending++;
	switch (t->kind) {
	case NOTIFY_WEBHOOK:
		if (m->json == NULL &&
		    (json = default_json(m, time(NULL))) == NULL) {
			rc = -1;
			break;
		}
		rc = webhook_post(t->wh, m->json != NULL ? m->json : json,
		    wh_done, s);
		free(json);
		break;
	case NOTIFY_SYSLOG:
		rc = notify_syslog_send(t, s, m);
		break;
	case NOTIFY_EMAIL:
		rc = notify_mail_send(t, s, m);
		break;
	default:
		errno = EINVAL;
		rc = -1;
	}
	if (rc == -1 && !s->finished) {
		int	 saved = errno;

		inflight_unlink(s);
		t->pending--;
		send_free(s);
		errno = saved;
		return -1;
	}
	return 0;
}

void
notify_target_free(struct notify_target *t)
{
	struct notify		*n;
	struct notify_send	*s, *next;

	if (t == NULL)
		return;
	n = t->n;
	/* the webhook calls the dones of its queue: they finish here */
	webhook_free(t->wh);
	t->wh = NULL;
	while ((s = t->inflight) != NULL) {
		if (t->kind == NOTIFY_EMAIL)
			notify_mail_abort(s);
		notify_finish(s, 0, "cancelled");
	}
	notify_syslog_close(t);
	for (s = n->fin_head; s != NULL; s = next) {
		next = s->next;
		if (s->t == t) {
			fin_unlink(n, s);
			call_done(s);
		}
	}
	n->ntargets--;
	target_release(t);
}

void
notify_free(struct notify *n)
{
	if (n == NULL)
		return;
	loop_timer_cancel(n->loop, &n->done_timer);
	notify_mail_cleanup(n);
	free(n);
}
