/*
 * notify_syslog: RFC 5424 messages to a local unix datagram socket, and
 * the UTF-8 cleaning every transport's text goes through.
 *
 * The structured data's SD-ID is "bmcfleet@32473": RFC 5424, 7.2.2 keeps
 * names without an '@' for IANA-registered SD-IDs, and a private one needs
 * an enterprise number; bmcfleet has none, so it uses 32473, the number
 * RFC 5612 reserves for documentation and examples.  A site with its own
 * number should change NOTIFY_SD_ID.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/gbuf.h"
#include "scheduler/notify.h"
#include "scheduler/notify_int.h"

#define SD_VALUE_MAX	200	/* bytes of one PARAM-VALUE, before escaping */

/* RFC 3629, 4: the length of the UTF-8 character at p (n bytes left), or 0 */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t		 len, i;
	unsigned	 c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	c = p[1];
	if ((p[0] == 0xe0 && c < 0xa0) ||	/* overlong */
	    (p[0] == 0xed && c > 0x9f) ||	/* surrogates */
	    (p[0] == 0xf0 && c < 0x90) ||	/* overlong */
	    (p[0] == 0xf4 && c > 0x8f))		/* past U+10FFFF */
		return 0;
	return len;
}

static void
text_addn(struct gbuf *b, const char *s, size_t n, enum notify_text how)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, len;

	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			if (how == NOTIFY_TEXT_BODY && p[i] == '\t')
				gbuf_putc(b, '\t');
			else if (how == NOTIFY_TEXT_BODY && p[i] == '\r') {
				gbuf_puts(b, "\r\n");
				if (i + 1 < n && p[i + 1] == '\n')
					i++;
			} else if (how == NOTIFY_TEXT_BODY && p[i] == '\n')
				gbuf_puts(b, "\r\n");
			else if (how == NOTIFY_TEXT_LINE)
				gbuf_putc(b, ' ');
			i++;
			continue;
		}
		if ((len = utf8_len(p + i, n - i)) == 0) {
			gbuf_puts(b, "\xef\xbf\xbd");	/* U+FFFD */
			i++;
			continue;
		}
		gbuf_add(b, p + i, len);
		i += len;
	}
}

void
notify_text_add(struct gbuf *b, const char *s, enum notify_text how)
{
	if (s != NULL)
		text_addn(b, s, strlen(s), how);
}

/* n, backed off so that s[n] does not fall inside a UTF-8 character */
static size_t
utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* RFC 5424, 6: PRINTUSASCII, at most max bytes, "-" when nothing is left */
static void
add_token(struct gbuf *b, const char *s, size_t max)
{
	size_t	 n = 0;

	for (; s != NULL && *s != '\0' && n < max; s++)
		if (*s > ' ' && *s < 0x7f) {
			gbuf_putc(b, *s);
			n++;
		}
	if (n == 0)
		gbuf_putc(b, '-');
}

/* RFC 5424, 6.3.3: '"', '\' and ']' are escaped in a PARAM-VALUE */
static void
add_param(struct gbuf *b, const char *name, const char *value)
{
	struct gbuf	 v = GBUF_INIT;
	size_t		 n, i;

	if (value == NULL)
		return;
	n = strlen(value);
	if (n > SD_VALUE_MAX)
		n = utf8_cut(value, SD_VALUE_MAX);
	text_addn(&v, value, n, NOTIFY_TEXT_LINE);
	gbuf_printf(b, " %s=\"", name);
	for (i = 0; i < v.len; i++) {
		if (v.p[i] == '"' || v.p[i] == '\\' || v.p[i] == ']')
			gbuf_putc(b, '\\');
		gbuf_putc(b, v.p[i]);
	}
	gbuf_putc(b, '"');
	if (gbuf_failed(&v))
		gbuf_add(b, NULL, (size_t)-1);	/* fail b as well */
	gbuf_release(&v);
}

static void
add_time(struct gbuf *b, long long us)
{
	struct tm	 tm;
	time_t		 s = (time_t)(us / 1000000);
	char		 ts[32];

	if (gmtime_r(&s, &tm) == NULL ||
	    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		gbuf_putc(b, '-');
		return;
	}
	gbuf_printf(b, "%s.%06lldZ", ts, us % 1000000);
}

void
notify_syslog_format(struct gbuf *b, const struct notify_msg *m, int facility,
    const char *hostname, const char *app_name, long pid, long long now_us)
{
	char	 pidbuf[24], when[32];
	size_t	 start = b->len;
	struct tm tm;

	/* RFC 5424, 6.2.1: PRI is facility * 8 + severity */
	gbuf_printf(b, "<%d>1 ", facility * 8 + ((int)m->severity & 7));
	add_time(b, now_us);
	gbuf_putc(b, ' ');
	add_token(b, hostname, 255);
	gbuf_putc(b, ' ');
	add_token(b, app_name, 48);
	gbuf_putc(b, ' ');
	snprintf(pidbuf, sizeof(pidbuf), "%ld", pid);
	add_token(b, pidbuf, 128);
	gbuf_putc(b, ' ');
	add_token(b, m->msgid, 32);
	gbuf_puts(b, " [" NOTIFY_SD_ID);
	add_param(b, "severity", notify_severity_name(m->severity));
	add_param(b, "bmc", m->bmc);
	add_param(b, "event", m->event_key);
	if (m->when != 0 && gmtime_r(&m->when, &tm) != NULL &&
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
		add_param(b, "time", when);
	/* RFC 5424, 6.4: MSG-UTF8 starts with a BOM */
	gbuf_puts(b, "] \xef\xbb\xbf");
	notify_text_add(b, m->subject, NOTIFY_TEXT_LINE);
	if (m->text != NULL && *m->text != '\0') {
		gbuf_puts(b, ": ");
		notify_text_add(b, m->text, NOTIFY_TEXT_LINE);
	}
	if (!gbuf_failed(b) && b->len - start > NOTIFY_SYSLOG_MAX) {
		b->len = start + utf8_cut(b->p + start, NOTIFY_SYSLOG_MAX);
		b->p[b->len] = '\0';
	}
}

/* strerror, lowercase as our messages are */
static void
finish_errno(struct notify_send *s, const char *what, int e)
{
	char	 word[128];

	snprintf(word, sizeof(word), "%s", strerror(e));
	if (word[0] >= 'A' && word[0] <= 'Z' &&
	    (word[1] < 'A' || word[1] > 'Z'))
		word[0] = (char)(word[0] - 'A' + 'a');
	notify_finish(s, 0, "%s: %s", what, word);
}

static int
sock_connect(struct notify_target *t)
{
	struct sockaddr_un	 sun;
	int			 fd, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	/* notify_config_check kept the path shorter than sun_path */
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", t->socket_path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	t->fd = fd;
	return 0;
}

void
notify_syslog_close(struct notify_target *t)
{
	if (t->fd != -1) {
		close(t->fd);
		t->fd = -1;
	}
}

int
notify_syslog_send(struct notify_target *t, struct notify_send *s,
    const struct notify_msg *m)
{
	struct gbuf	 b = GBUF_INIT;
	struct timespec	 ts;
	ssize_t		 w;
	int		 try;

	clock_gettime(CLOCK_REALTIME, &ts);
	notify_syslog_format(&b, m, t->facility, t->n->hostname, t->app_name,
	    (long)getpid(), (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	if (gbuf_failed(&b)) {
		gbuf_release(&b);
		errno = ENOMEM;
		return -1;
	}
	for (try = 0; try < 2; try++) {
		if (t->fd == -1 && sock_connect(t) == -1) {
			finish_errno(s, "syslog socket", errno);
			break;
		}
		w = send(t->fd, b.p, b.len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w == (ssize_t)b.len) {
			notify_finish(s, 1, "sent");
			break;
		}
		if (w >= 0) {
			notify_finish(s, 0, "syslog socket: short write");
			break;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
			notify_finish(s, 0, "syslog socket full");
			break;
		}
		/* syslogd restarted: its new socket wants a new connection */
		notify_syslog_close(t);
		if (try == 1 || (errno != ECONNREFUSED && errno != ENOTCONN &&
		    errno != EPIPE && errno != ECONNRESET)) {
			finish_errno(s, "syslog socket", errno);
			break;
		}
	}
	gbuf_release(&b);
	return 0;
}
