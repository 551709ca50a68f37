/*
 * test_notify: the transports' pure parts (the RFC 5424 line, the RFC
 * 5322 message, header injection, the config's checks) against values
 * worked out by hand, and the syslog transport on the loop against a unix
 * datagram socket of the test's own.  The webhook and email transports
 * against real servers are tests/integration/notify.sh's.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/gbuf.h"
#include "lib/loop.h"
#include "scheduler/notify.h"
#include "scheduler/notify_int.h"
#include "tests/unit/ckmain.h"

#define NOW_US	1764964800123456LL	/* 2025-12-05T20:00:00.123456Z */

/* --- RFC 5424 ----------------------------------------------------------- */

START_TEST(syslog_line)
{
	struct gbuf		 b = GBUF_INIT;
	struct notify_msg	 m = {
		.severity = NOTIFY_CRIT,
		.subject = "PSU 1: failure detected",
		.text = "Power Supply PS1\nasserted",
		.bmc = "node7",
		.event_key = "sel:42",
		.msgid = "alert",
		.when = 1764964790,
	};

	notify_syslog_format(&b, &m, 3, "fleet-1", "bmcfleetd", 42, NOW_US);
	ck_assert(!gbuf_failed(&b));
	/* PRI: daemon (3) * 8 + crit (2) = 26 */
	ck_assert_str_eq(b.p, "<26>1 2025-12-05T20:00:00.123456Z fleet-1 "
	    "bmcfleetd 42 alert [bmcfleet@32473 severity=\"crit\" "
	    "bmc=\"node7\" event=\"sel:42\" time=\"2025-12-05T19:59:50Z\"] "
	    "\xef\xbb\xbfPSU 1: failure detected: Power Supply PS1 asserted");
	gbuf_release(&b);

	/* local7 debug, no optional fields: NILVALUEs, no empty params */
	m = (struct notify_msg){ .severity = NOTIFY_DEBUG, .subject = "x" };
	notify_syslog_format(&b, &m, 23, "", "my app", 1, NOW_US);
	ck_assert_str_eq(b.p, "<191>1 2025-12-05T20:00:00.123456Z - myapp 1 - "
	    "[bmcfleet@32473 severity=\"debug\"] \xef\xbb\xbfx");
	gbuf_release(&b);
}
END_TEST

START_TEST(syslog_escaping)
{
	struct gbuf		 b = GBUF_INIT;
	struct notify_msg	 m = {
		.severity = NOTIFY_WARNING,
		.subject = "a\r\nb\x01" "c \xff end",
		.bmc = "n\"1]\\x",
	};
	char			*big, *msg;
	size_t			 i;

	notify_syslog_format(&b, &m, 3, "h", "app", 1, NOW_US);
	/* RFC 5424, 6.3.3: '"', ']' and '\' escaped in a PARAM-VALUE */
	ck_assert_ptr_nonnull(strstr(b.p, " bmc=\"n\\\"1\\]\\\\x\"]"));
	/* one line: controls are spaces, a stray byte U+FFFD */
	ck_assert_ptr_nonnull(strstr(b.p, "\xef\xbb\xbf" "a  b c \xef\xbf\xbd end"));
	ck_assert_ptr_null(strpbrk(b.p, "\r\n\x01"));
	gbuf_release(&b);

	/* too long: cut to NOTIFY_SYSLOG_MAX, never inside a character */
	ck_assert_ptr_nonnull(big = malloc(3 * 1000 + 1));
	for (i = 0; i < 1000; i++)
		memcpy(big + 3 * i, "\xe2\x82\xac", 3);	/* U+20AC */
	big[3000] = '\0';
	m.subject = big;
	notify_syslog_format(&b, &m, 3, "h", "app", 1, NOW_US);
	ck_assert_uint_le(b.len, NOTIFY_SYSLOG_MAX);
	ck_assert_uint_gt(b.len, NOTIFY_SYSLOG_MAX - 3);
	msg = strstr(b.p, "\xef\xbb\xbf") + 3;
	ck_assert_uint_eq((size_t)(b.p + b.len - msg) % 3, 0);
	ck_assert_uint_eq(strlen(b.p), b.len);
	gbuf_release(&b);
	free(big);
}
END_TEST

/* --- RFC 5322 ----------------------------------------------------------- */

static const char *const to2[] = { "ops@example.org", "pager@example.org" };

START_TEST(mail_message)
{
	struct gbuf		 b = GBUF_INIT;
	struct notify_msg	 m = {
		.severity = NOTIFY_CRIT,
		.subject = "[bmcfleet] node7: PSU 1 failure",
		.text = "Power Supply PS1: failure detected\n.\nend",
	};

	notify_mail_format(&b, &m, "bmcfleet@example.org", to2, 2,
	    "fleet-1.example.org", 1764964800, 7, 42);
	ck_assert(!gbuf_failed(&b));
	ck_assert_str_eq(b.p,
	    "Date: Fri, 05 Dec 2025 20:00:00 +0000\r\n"
	    "From: bmcfleet@example.org\r\n"
	    "To: ops@example.org,\r\n pager@example.org\r\n"
	    "Subject: [bmcfleet] node7: PSU 1 failure\r\n"
	    "Message-ID: <7.1764964800.42@fleet-1.example.org>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "X-Bmcfleet-Severity: crit\r\n"
	    "\r\n"
	    "Power Supply PS1: failure detected\r\n.\r\nend\r\n");
	gbuf_release(&b);
}
END_TEST

/* the text of header name (unfolded), or NULL; free it */
static char *
mail_header(const char *msg, const char *name)
{
	struct gbuf	 v = GBUF_INIT;
	const char	*p, *end;
	size_t		 n = strlen(name);

	end = strstr(msg, "\r\n\r\n");
	for (p = msg; p != NULL && p < end; p = strstr(p, "\r\n")) {
		if (p != msg)
			p += 2;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			for (;;) {
				const char *e = strstr(p, "\r\n");

				gbuf_add(&v, p, (size_t)(e - p));
				if (e[2] != ' ' && e[2] != '\t')
					break;
				p = e + 2;
			}
			return gbuf_detach(&v, NULL);
		}
	}
	return NULL;
}

START_TEST(mail_injection)
{
	struct gbuf		 b = GBUF_INIT;
	struct notify_msg	 m = {
		.severity = NOTIFY_ALERT,
		.subject = "PSU\r\nBcc: evil@example.com\r\n\r\nbody",
		.text = "x\ry\r\nz",
	};
	const char		*body, *p;
	char			*v;

	notify_mail_format(&b, &m, "a@b.c", to2, 1, "bad host\r\nX: y", 1,
	    1, 1);
	/* no header line but ours: Bcc stayed inside the Subject */
	ck_assert_ptr_null(mail_header(b.p, "Bcc"));
	ck_assert_ptr_nonnull(v = mail_header(b.p, "Subject"));
	ck_assert_str_eq(v, "PSU  Bcc: evil@example.com    body");
	free(v);
	ck_assert_ptr_nonnull(v = mail_header(b.p, "Message-ID"));
	ck_assert_str_eq(v, "<1.1.1@badhostXy>");
	free(v);
	ck_assert_ptr_null(mail_header(b.p, "X"));
	/* every line ends CRLF: no bare CR or LF anywhere */
	for (p = b.p; *p != '\0'; p++) {
		if (*p == '\r')
			ck_assert_int_eq(p[1], '\n');
		if (*p == '\n')
			ck_assert(p > b.p && p[-1] == '\r');
	}
	body = strstr(b.p, "\r\n\r\n") + 4;
	ck_assert_str_eq(body, "x\r\ny\r\nz\r\n");
	gbuf_release(&b);
}
END_TEST

START_TEST(mail_encoding)
{
	struct gbuf		 b = GBUF_INIT;
	struct notify_msg	 m = {
		.severity = NOTIFY_WARNING,
		.subject = "Temp\xc3\xa9rature \xc3\xa9lev\xc3\xa9" "e",
	};
	char			*v, *line;
	const char		*p, *e;
	size_t			 i;

	notify_mail_format(&b, &m, "a@b.c", to2, 1, "h", 1, 1, 1);
	ck_assert_ptr_nonnull(v = mail_header(b.p, "Subject"));
	/* RFC 2047: base64 of the UTF-8, worked out with python3's base64 */
	ck_assert_str_eq(v, "=?UTF-8?B?VGVtcMOpcmF0dXJlIMOpbGV2w6ll?=");
	free(v);
	/* no text: the subject is the body */
	p = strstr(b.p, "\r\n\r\n") + 4;
	ck_assert_str_eq(p, "Temp\xc3\xa9rature \xc3\xa9lev\xc3\xa9" "e\r\n");
	gbuf_release(&b);

	/* long: folded encoded-words of <= 75 characters; body lines cut */
	ck_assert_ptr_nonnull(line = malloc(2501));
	for (i = 0; i < 1250; i++)
		memcpy(line + 2 * i, "\xc3\xa9", 2);
	line[2500] = '\0';
	m.subject = line;
	m.text = line;
	notify_mail_format(&b, &m, "a@b.c", to2, 1, "h", 1, 1, 1);
	for (p = b.p; (e = strstr(p, "\r\n")) != NULL; p = e + 2) {
		ck_assert_uint_le((size_t)(e - p), 998);
		if (strncmp(p, "Subject:", 8) == 0 || *p == ' ')
			ck_assert_uint_le((size_t)(e - p), 76 + 9);
		/* a body line holds whole characters */
		if (p > strstr(b.p, "\r\n\r\n"))
			ck_assert_uint_eq((size_t)(e - p) % 2, 0);
	}
	gbuf_release(&b);
	free(line);
}
END_TEST

/* --- the config --------------------------------------------------------- */

static void
ck_refused(const struct notify_config *c, const char *want)
{
	char	 err[256];

	err[0] = '\0';
	ck_assert_int_eq(notify_config_check(c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, want);
}

START_TEST(config_checks)
{
	struct notify_config	 c;
	const char		*to[] = { "ops@example.org", "bad\r\n@x" };
	char			 err[256];

	notify_config_init(&c, NOTIFY_WEBHOOK);
	ck_assert_uint_eq(c.timeout_ms, NOTIFY_TIMEOUT_MS);
	ck_assert_int_eq(c.tls_verify, 1);
	ck_refused(&c, "action: a name is required");
	c.name = "hook";
	ck_refused(&c, "action 'hook': url: required for a webhook");
	c.url = "ftp://x/";
	ck_refused(&c, "action 'hook': url: 'ftp://x/' is not an http:// or "
	    "https:// URL");
	c.url = "https://hooks.example.org/a";
	ck_assert_int_eq(notify_config_check(&c, err, sizeof(err)), 0);
	c.token = "t";
	c.token_file = "/f";
	ck_refused(&c, "action 'hook': token_file and a token: give one");
	c.token_file = NULL;
	c.url = "http://hooks.example.org/a";
	ck_refused(&c, "action 'hook': a token over http:// travels in clear; "
	    "use an https:// URL (or set insecure: true)");
	c.url = "http://127.0.0.1:8080/a";
	ck_assert_int_eq(notify_config_check(&c, err, sizeof(err)), 0);
	c.url = "http://[::1]/a";
	ck_assert_int_eq(notify_config_check(&c, err, sizeof(err)), 0);
	c.url = "http://127.0.0.1.example.org/a";
	ck_refused(&c, "action 'hook': a token over http:// travels in clear; "
	    "use an https:// URL (or set insecure: true)");
	c.insecure = 1;
	ck_assert_int_eq(notify_config_check(&c, err, sizeof(err)), 0);
	c.insecure = 0;
	c.url = "https://hooks.example.org/a";
	c.tls_verify = 0;
	ck_refused(&c, "action 'hook': tls_verify: false needs insecure: true");

	notify_config_init(&c, NOTIFY_SYSLOG);
	c.name = "log";
	ck_assert_int_eq(c.facility, 3);
	ck_assert_int_eq(notify_config_check(&c, err, sizeof(err)), 0);
	c.facility = 24;
	ck_refused(&c, "action 'log': facility: 24 is not 0 to 23");

	notify_config_init(&c, NOTIFY_EMAIL);
	c.name = "mail";
	ck_refused(&c, "action 'mail': smtp: required for email");
	c.smtp_url = "smtp://127.0.0.1:25";
	ck_refused(&c, "action 'mail': from: required");
	c.from = "bmcfleet";
	ck_refused(&c, "action 'mail': from: 'bmcfleet' is not an e-mail "
	    "address");
	c.from = "bmcfleet@example.org";
	ck_refused(&c, "action 'mail': to: at least one address is required");
	c.to = to;
	c.nto = 2;
	ck_refused(&c, "action 'mail': to: 'bad\r\n@x' is not an e-mail "
	    "address");
	c.nto = 1;
	ck_assert_int_eq(notify_config_check(&c, err, sizeof(err)), 0);
	c.user = "u";
	ck_refused(&c, "action 'mail': user and password_file go together");
	c.password_file = "/pw";
	ck_refused(&c, "action 'mail': user: a password needs 'starttls: "
	    "require' or an smtps:// URL");
	c.starttls = NOTIFY_STARTTLS_REQUIRE;
	ck_assert_int_eq(notify_config_check(&c, err, sizeof(err)), 0);
}
END_TEST

START_TEST(words)
{
	enum notify_kind	 k;
	enum notify_severity	 s;
	int			 f;

	ck_assert_int_eq(notify_kind_parse("email", &k), 0);
	ck_assert_int_eq(k, NOTIFY_EMAIL);
	ck_assert_int_eq(notify_kind_parse("pager", &k), -1);
	ck_assert_str_eq(notify_kind_name(NOTIFY_SYSLOG), "syslog");
	ck_assert_int_eq(notify_severity_parse("warning", &s), 0);
	ck_assert_int_eq(s, NOTIFY_WARNING);
	ck_assert_int_eq(notify_severity_parse("critical", &s), 0);
	ck_assert_int_eq(s, NOTIFY_CRIT);
	ck_assert_int_eq(notify_severity_parse("bad", &s), -1);
	ck_assert_str_eq(notify_severity_name(NOTIFY_EMERG), "emerg");
	ck_assert_int_eq(notify_facility_parse("local7", &f), 0);
	ck_assert_int_eq(f, 23);
	ck_assert_int_eq(notify_facility_parse("daemon", &f), 0);
	ck_assert_int_eq(f, 3);
	ck_assert_int_eq(notify_facility_parse("16", &f), 0);
	ck_assert_int_eq(f, 16);
	ck_assert_int_eq(notify_facility_parse("24", &f), -1);
	ck_assert_int_eq(notify_facility_parse("-1", &f), -1);
}
END_TEST

/* --- on the loop -------------------------------------------------------- */

struct donecap {
	unsigned	 calls;
	int		 ok;
	char		 detail[NOTIFY_DETAIL_MAX];
};

static void
done_cap(void *arg, int ok, const char *detail)
{
	struct donecap	*d = arg;

	d->calls++;
	d->ok = ok;
	snprintf(d->detail, sizeof(d->detail), "%s", detail);
}

static void
run_until(struct loop *l, struct donecap *d, unsigned n)
{
	uint64_t	 end = loop_now(l) + 5000;

	while (d->calls < n) {
		ck_assert_msg(loop_now(l) < end, "no done after 5 s");
		ck_assert_int_ge(loop_run_once(l, 20), 0);
	}
	/* and no second call for the same send */
	ck_assert_int_ge(loop_run_once(l, 20), 0);
	ck_assert_uint_eq(d->calls, n);
}

static int
dgram_listener(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ck_assert_int_ge(fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0),
	    0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

START_TEST(syslog_on_loop)
{
	struct loop		*l;
	struct notify		*n;
	struct notify_target	*t;
	struct notify_config	 c;
	struct notify_msg	 m = {
		.severity = NOTIFY_ERR,
		.subject = "fan 3 lower critical",
		.bmc = "node1",
		.msgid = "alert",
	};
	struct donecap		 d = { 0 };
	char			 dir[] = "/tmp/test_notify.XXXXXX", path[128],
				 buf[4096], err[256];
	ssize_t			 r;
	unsigned		 i;
	int			 fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_ptr_nonnull(n = notify_new(l, NULL, NULL));
	notify_config_init(&c, NOTIFY_SYSLOG);
	c.name = "log";
	c.socket_path = path;
	c.facility = 16;
	ck_assert_ptr_nonnull(t = notify_target_new(n, &c, err, sizeof(err)));
	ck_assert_str_eq(notify_target_name(t), "log");

	/* nobody listens yet: the send fails, by reason, from the loop */
	ck_assert_int_eq(notify_send(t, &m, done_cap, &d), 0);
	ck_assert_uint_eq(d.calls, 0);
	ck_assert_uint_eq(notify_pending(t), 1);
	run_until(l, &d, 1);
	ck_assert_int_eq(d.ok, 0);
	ck_assert_str_eq(d.detail, "syslog socket: no such file or directory");
	ck_assert_uint_eq(notify_pending(t), 0);

	fd = dgram_listener(path);
	ck_assert_int_eq(notify_send(t, &m, done_cap, &d), 0);
	ck_assert_uint_eq(d.calls, 1);
	run_until(l, &d, 2);
	ck_assert_int_eq(d.ok, 1);
	ck_assert_str_eq(d.detail, "sent");
	ck_assert_int_gt(r = read(fd, buf, sizeof(buf) - 1), 0);
	buf[r] = '\0';
	ck_assert(strncmp(buf, "<131>1 ", 7) == 0);	/* local0.err */
	ck_assert_ptr_nonnull(strstr(buf, " bmcfleetd "));
	ck_assert_ptr_nonnull(strstr(buf, " alert [bmcfleet@32473 "
	    "severity=\"err\" bmc=\"node1\"] \xef\xbb\xbf"
	    "fan 3 lower critical"));

	/* never read: the socket fills, and a send says so, not blocking */
	for (i = 0; i < 10000 && !(d.calls > 2 && !d.ok); i++) {
		ck_assert_int_eq(notify_send(t, &m, done_cap, &d), 0);
		run_until(l, &d, 3 + i);
	}
	ck_assert_int_eq(d.ok, 0);
	ck_assert_str_eq(d.detail, "syslog socket full");

	/* syslogd restarted: a new socket at the same path is found */
	close(fd);
	unlink(path);
	fd = dgram_listener(path);
	i = d.calls;
	ck_assert_int_eq(notify_send(t, &m, done_cap, &d), 0);
	run_until(l, &d, i + 1);
	ck_assert_int_eq(d.ok, 1);
	ck_assert_int_gt(read(fd, buf, sizeof(buf)), 0);

	/* freeing calls what is still due, at once */
	ck_assert_int_eq(notify_send(t, &m, done_cap, &d), 0);
	notify_target_free(t);
	ck_assert_uint_eq(d.calls, i + 2);
	ck_assert_int_eq(notify_send(NULL, &m, done_cap, &d), -1);
	ck_assert_int_eq(errno, EINVAL);

	notify_free(n);
	loop_free(l);
	close(fd);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(refused_and_secrets)
{
	struct loop		*l;
	struct notify		*n;
	struct notify_target	*t;
	struct notify_config	 c;
	struct notify_msg	 m = { .severity = NOTIFY_CRIT, .subject = "s" };
	struct donecap		 d = { 0 };
	const char		*to[] = { "ops@example.org" };
	char			 dir[] = "/tmp/test_notify.XXXXXX", url[64],
				 pw[128], err[256];
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof(sin);
	int			 fd, pfd;

	/* bound, not listening: connections to it are refused */
	ck_assert_int_ge(fd = socket(AF_INET, SOCK_STREAM, 0), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000001);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &slen), 0);

	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_ptr_nonnull(n = notify_new(l, NULL, NULL));

	notify_config_init(&c, NOTIFY_WEBHOOK);
	c.name = "hook";
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/x",
	    ntohs(sin.sin_port));
	c.url = url;
	ck_assert_ptr_nonnull(t = notify_target_new(n, &c, err, sizeof(err)));
	ck_assert_int_eq(notify_send(t, &m, done_cap, &d), 0);
	ck_assert_uint_eq(d.calls, 0);
	run_until(l, &d, 1);
	ck_assert_int_eq(d.ok, 0);
	ck_assert_str_eq(d.detail, "connection refused");
	notify_target_free(t);

	notify_config_init(&c, NOTIFY_EMAIL);
	c.name = "mail";
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", ntohs(sin.sin_port));
	c.smtp_url = url;
	c.from = "bmcfleet@example.org";
	c.to = to;
	c.nto = 1;
	ck_assert_ptr_nonnull(t = notify_target_new(n, &c, err, sizeof(err)));
	ck_assert_int_eq(notify_send(t, &m, done_cap, &d), 0);
	run_until(l, &d, 2);
	ck_assert_int_eq(d.ok, 0);
	ck_assert_str_eq(d.detail, "connection refused");
	/* cancelled in flight: done at once, said so */
	ck_assert_int_eq(notify_send(t, &m, done_cap, &d), 0);
	notify_target_free(t);
	ck_assert_uint_eq(d.calls, 3);
	ck_assert_str_eq(d.detail, "cancelled");

	/* a password file others may read is refused, naming the file */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(pw, sizeof(pw), "%s/pw", dir);
	ck_assert_int_ge(pfd = open(pw, O_CREAT | O_WRONLY, 0644), 0);
	ck_assert_int_eq(write(pfd, "hunter2\n", 8), 8);
	close(pfd);
	ck_assert_int_eq(chmod(pw, 0644), 0);
	c.user = "u";
	c.password_file = pw;
	c.starttls = NOTIFY_STARTTLS_REQUIRE;
	ck_assert_ptr_null(notify_target_new(n, &c, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "password_file '"));
	ck_assert_ptr_nonnull(strstr(err, "not a regular file of mode 0600"));
	ck_assert_ptr_null(strstr(err, "hunter2"));
	ck_assert_int_eq(chmod(pw, 0600), 0);
	ck_assert_ptr_nonnull(t = notify_target_new(n, &c, err, sizeof(err)));
	notify_target_free(t);
	unlink(pw);
	rmdir(dir);

	notify_free(n);
	loop_free(l);
	close(fd);
}
END_TEST

static Suite *
notify_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("notify");
	tc = tcase_create("format");
	tcase_add_test(tc, syslog_line);
	tcase_add_test(tc, syslog_escaping);
	tcase_add_test(tc, mail_message);
	tcase_add_test(tc, mail_injection);
	tcase_add_test(tc, mail_encoding);
	tcase_add_test(tc, config_checks);
	tcase_add_test(tc, words);
	suite_add_tcase(s, tc);
	tc = tcase_create("loop");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, syslog_on_loop);
	tcase_add_test(tc, refused_and_secrets);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	/* loopback only: a proxy from the environment is wrong */
	setenv("no_proxy", "*", 1);
	return ck_main(notify_suite());
}
