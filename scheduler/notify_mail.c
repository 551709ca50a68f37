/*
 * notify_mail: an RFC 5322 message sent over SMTP with libcurl's multi
 * interface on the loop: one easy handle per message, on the hub's one
 * multi handle, whose sockets and timer are the loop's
 * (scheduler/curlloop, as the plan webhook's).  STARTTLS: CURLUSESSL_TRY
 * uses it when the server offers it, CURLUSESSL_ALL ("starttls:
 * require") fails the send when it does not.  libcurl dot-stuffs the
 * message itself.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "lib/gbuf.h"
#include "lib/loop.h"
#include "scheduler/notify.h"
#include "scheduler/notify_int.h"

#define SUBJECT_MAX	900	/* bytes of subject text, before encoding */
#define LINE_MAX_OCTETS	990	/* RFC 5322, 2.1.1: 998, with room */

/* --- the message -------------------------------------------------------- */

static const char *const wdays[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};
static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec",
};

static void
add_base64(struct gbuf *b, const unsigned char *p, size_t n)
{
	static const char	 a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t		 v;
	size_t			 i;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		gbuf_putc(b, a[v >> 18 & 63]);
		gbuf_putc(b, a[v >> 12 & 63]);
		gbuf_putc(b, a[v >> 6 & 63]);
		gbuf_putc(b, a[v & 63]);
	}
	if (n - i == 1) {
		v = (uint32_t)p[i] << 16;
		gbuf_putc(b, a[v >> 18 & 63]);
		gbuf_putc(b, a[v >> 12 & 63]);
		gbuf_puts(b, "==");
	} else if (n - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		gbuf_putc(b, a[v >> 18 & 63]);
		gbuf_putc(b, a[v >> 12 & 63]);
		gbuf_putc(b, a[v >> 6 & 63]);
		gbuf_putc(b, '=');
	}
}

/*
 * The subject on one line, controls made spaces; RFC 2047 encoded-words
 * (B, UTF-8) when it is not all ASCII, each at most 75 characters and
 * never splitting a character, folded onto continuation lines.
 */
static void
add_subject(struct gbuf *b, const char *subject)
{
	struct gbuf	 s = GBUF_INIT;
	size_t		 i, n, len;
	int		 ascii = 1;

	notify_text_add(&s, subject, NOTIFY_TEXT_LINE);
	len = s.len;
	if (len > SUBJECT_MAX) {
		len = SUBJECT_MAX;
		while (len > 0 && ((unsigned char)s.p[len] & 0xc0) == 0x80)
			len--;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)s.p[i] >= 0x80)
			ascii = 0;
	gbuf_puts(b, "Subject: ");
	if (ascii)
		gbuf_add(b, s.p, len);
	for (i = 0; !ascii && i < len; i += n) {
		/* 45 bytes are 60 of base64: 72 with "=?UTF-8?B?" and "?=" */
		n = len - i > 45 ? 45 : len - i;
		while (i + n < len && n > 0 &&
		    ((unsigned char)s.p[i + n] & 0xc0) == 0x80)
			n--;
		if (i > 0)
			gbuf_puts(b, "\r\n ");
		gbuf_puts(b, "=?UTF-8?B?");
		add_base64(b, (const unsigned char *)s.p + i, n);
		gbuf_puts(b, "?=");
	}
	gbuf_puts(b, "\r\n");
	if (gbuf_failed(&s))
		gbuf_add(b, NULL, (size_t)-1);	/* an impossible size fails b */
	gbuf_release(&s);
}

/* RFC 5322, 3.6.4: the id's right side is a dot-atom; keep it plain */
static void
add_host(struct gbuf *b, const char *h)
{
	size_t	 n = 0;

	for (; h != NULL && *h != '\0'; h++)
		if ((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		    (*h >= '0' && *h <= '9') || *h == '-' ||
		    (*h == '.' && n > 0 && h[1] != '\0' && h[1] != '.')) {
			gbuf_putc(b, *h);
			n++;
		}
	if (n == 0)
		gbuf_puts(b, "localhost");
}

void
notify_mail_format(struct gbuf *b, const struct notify_msg *m,
    const char *from, const char *const *to, size_t nto,
    const char *hostname, time_t now, unsigned seq, long pid)
{
	struct gbuf	 body = GBUF_INIT;
	struct tm	 tm;
	size_t		 i, col;

	/* RFC 5322, 3.3: English names, whatever the locale */
	if (gmtime_r(&now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	gbuf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    wdays[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	gbuf_printf(b, "From: %s\r\nTo: ", from);
	for (i = 0; i < nto; i++)
		gbuf_printf(b, "%s%s", i > 0 ? ",\r\n " : "", to[i]);
	gbuf_puts(b, "\r\n");
	add_subject(b, m->subject);
	gbuf_printf(b, "Message-ID: <%u.%lld.%ld@", seq, (long long)now, pid);
	add_host(b, hostname);
	gbuf_puts(b, ">\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n");
	gbuf_printf(b, "X-Bmcfleet-Severity: %s\r\n\r\n",
	    notify_severity_name(m->severity));

	notify_text_add(&body, m->text != NULL ? m->text : m->subject,
	    NOTIFY_TEXT_BODY);
	/* RFC 5322, 2.1.1: no line past 998 octets; break between chars */
	for (i = 0, col = 0; i < body.len; i++) {
		if (body.p[i] == '\r') {
			col = 0;
			gbuf_puts(b, "\r\n");
			i++;	/* the LF: BODY made every line end CRLF */
			continue;
		}
		if (col >= LINE_MAX_OCTETS &&
		    ((unsigned char)body.p[i] & 0xc0) != 0x80) {
			gbuf_puts(b, "\r\n");
			col = 0;
		}
		gbuf_putc(b, body.p[i]);
		col++;
	}
	if (body.len == 0 || body.p[body.len - 1] != '\n')
		gbuf_puts(b, "\r\n");
	if (gbuf_failed(&body))
		gbuf_add(b, NULL, (size_t)-1);
	gbuf_release(&body);
}

/* --- curl <-> loop: scheduler/curlloop ---------------------------------- */

static void	collect_done(struct notify *);

static void
curl_done(void *arg)
{
	collect_done(arg);
}

static int
multi_setup(struct notify *n)
{
	if (n->cl.multi != NULL)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	return curlloop_open(&n->cl, n->loop, curl_done, n);
}

/* --- one send ------------------------------------------------------------ */

static size_t
read_mail(char *buf, size_t size, size_t nitems, void *arg)
{
	struct notify_send	*s = arg;
	size_t			 n = size * nitems;

	if (n > s->mlen - s->moff)
		n = s->mlen - s->moff;
	memcpy(buf, s->mail + s->moff, n);
	s->moff += n;
	return n;
}

static void
easy_drop(struct notify_send *s)
{
	struct notify	*n = s->t->n;

	if (s->easy != NULL) {
		(void)curl_multi_remove_handle(n->cl.multi, s->easy);
		curl_easy_cleanup(s->easy);
		s->easy = NULL;
	}
	curl_slist_free_all(s->rcpt);
	s->rcpt = NULL;
}

static void
mail_result(struct notify_send *s, CURLcode rc)
{
	long	 code = 0, oserr = 0;

	(void)curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &code);
	(void)curl_easy_getinfo(s->easy, CURLINFO_OS_ERRNO, &oserr);
	if (rc == CURLE_OK)
		notify_finish(s, 1, "SMTP %ld", code);
	else if (rc == CURLE_COULDNT_CONNECT && oserr == ECONNREFUSED)
		notify_finish(s, 0, "connection refused");
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		notify_finish(s, 0, "timed out");
	else if (rc == CURLE_USE_SSL_FAILED)
		notify_finish(s, 0, "STARTTLS required, not offered");
	else if (code >= 400)
		notify_finish(s, 0, "SMTP %ld: %s", code, s->errbuf[0] != '\0' ?
		    s->errbuf : curl_easy_strerror(rc));
	else
		notify_finish(s, 0, "%s", s->errbuf[0] != '\0' ? s->errbuf :
		    curl_easy_strerror(rc));
}

static void
collect_done(struct notify *n)
{
	struct notify_send	*s;
	CURLMsg			*msg;
	CURLcode		 rc;
	char			*priv;
	int			 left;

	while ((msg = curl_multi_info_read(n->cl.multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		rc = msg->data.result;	/* msg goes with the handle */
		priv = NULL;
		(void)curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    &priv);
		if ((s = (struct notify_send *)(void *)priv) == NULL)
			continue;
		mail_result(s, rc);
		easy_drop(s);
	}
}

int
notify_mail_send(struct notify_target *t, struct notify_send *s,
    const struct notify_msg *m)
{
	struct notify	*n = t->n;
	struct gbuf	 b = GBUF_INIT;
	CURL		*e;
	char		 path[300];
	size_t		 i;
	int		 ok;

	if (multi_setup(n) == -1) {
		errno = ENOMEM;
		return -1;
	}
	notify_mail_format(&b, m, t->from, (const char *const *)t->to, t->nto,
	    n->hostname, time(NULL), ++n->seq, (long)getpid());
	if (gbuf_failed(&b) || (s->errbuf = calloc(1, CURL_ERROR_SIZE)) == NULL ||
	    (s->mail = gbuf_detach(&b, &s->mlen)) == NULL) {
		gbuf_release(&b);
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < t->nto; i++) {
		struct curl_slist	*l;

		snprintf(path, sizeof(path), "<%s>", t->to[i]);
		if ((l = curl_slist_append(s->rcpt, path)) == NULL) {
			easy_drop(s);
			errno = ENOMEM;
			return -1;
		}
		s->rcpt = l;
	}
	snprintf(path, sizeof(path), "<%s>", t->from);
	if ((e = s->easy = curl_easy_init()) == NULL) {
		easy_drop(s);
		errno = ENOMEM;
		return -1;
	}
	ok = curl_easy_setopt(e, CURLOPT_URL, t->smtp_url) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
#if LIBCURL_VERSION_NUM >= 0x075500	/* 7.85.0 */
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps") ==
	    CURLE_OK &&
#else
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS)) == CURLE_OK &&
#endif
	    curl_easy_setopt(e, CURLOPT_MAIL_FROM, path) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_MAIL_RCPT, s->rcpt) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_READFUNCTION, read_mail) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_READDATA, s) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)s->mlen) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_USE_SSL,
	    t->starttls == NOTIFY_STARTTLS_REQUIRE ? (long)CURLUSESSL_ALL :
	    (long)CURLUSESSL_TRY) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER,
	    t->tls_verify ? 1L : 0L) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST,
	    t->tls_verify ? 2L : 0L) == CURLE_OK &&
	    (t->ca_file == NULL ||
	    curl_easy_setopt(e, CURLOPT_CAINFO, t->ca_file) == CURLE_OK) &&
	    (t->user == NULL ||
	    (curl_easy_setopt(e, CURLOPT_USERNAME, t->user) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_PASSWORD, t->password) == CURLE_OK)) &&
	    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)t->timeout_ms) ==
	    CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)s) == CURLE_OK &&
	    curlloop_set_close(&n->cl, e) == 0;
	if (!ok || curl_multi_add_handle(n->cl.multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		s->easy = NULL;
		easy_drop(s);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void
notify_mail_abort(struct notify_send *s)
{
	easy_drop(s);
}

void
notify_mail_cleanup(struct notify *n)
{
	curlloop_close(&n->cl);
}
