/* log: stderr lines, or journald's native protocol under systemd. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/log.h"

#define JOURNAL_SOCKET	"/run/systemd/journal/socket"

static struct {
	const char	*ident;
	int		 journal_fd;	/* -1: stderr lines */
} lg = { NULL, -1 };

/* systemd.exec(5): $JOURNAL_STREAM is "DEVICE:INODE" of the stream fd */
static int
stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	int used = 0;

	if (js == NULL || sscanf(js, "%llu:%llu%n", &dev, &ino, &used) != 2 ||
	    js[used] != '\0')
		return 0;
	if (fstat(STDERR_FILENO, &st) != 0)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *ident)
{
	struct sockaddr_un sa;
	int fd;

	lg.ident = ident;
	if (lg.journal_fd != -1 || !stderr_is_journal())
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, JOURNAL_SOCKET, sizeof(JOURNAL_SOCKET));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	/* connected once: each message is one send, no lookup */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return;
	}
	lg.journal_fd = fd;
}

int
log_to_journal(void)
{
	return lg.journal_fd != -1;
}

static int
key_ok(const char *k, size_t n)
{
	if (n == 0 || n > 64 || k[0] == '_' || (k[0] >= '0' && k[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= '0' &&
		    k[i] <= '9') || k[i] == '_'))
			return 0;
	return 1;
}

/* appends n bytes at *at when they fit; counts them either way */
static void
put(char *buf, size_t len, size_t *at, const void *p, size_t n)
{
	if (*at < len && n <= len - *at)
		memcpy(buf + *at, p, n);
	*at += n;
}

size_t
log_journal_format(char *buf, size_t len, int prio, const char *ident,
    const char *fields, const char *msg)
{
	char head[96];
	size_t at = 0, n = strlen(msg);
	int hn;

	hn = snprintf(head, sizeof(head), "PRIORITY=%d\nSYSLOG_IDENTIFIER=",
	    prio & 7);
	put(buf, len, &at, head, (size_t)hn);
	put(buf, len, &at, ident, strlen(ident));
	put(buf, len, &at, "\n", 1);
	for (const char *f = fields; f != NULL && *f != '\0';) {
		const char *eol = strchr(f, '\n'), *eq;
		size_t flen = eol ? (size_t)(eol - f) : strlen(f);

		eq = memchr(f, '=', flen);
		if (eq != NULL && key_ok(f, (size_t)(eq - f))) {
			put(buf, len, &at, f, flen);
			put(buf, len, &at, "\n", 1);
		}
		f += flen + (eol != NULL);
	}
	if (memchr(msg, '\n', n) == NULL) {
		put(buf, len, &at, "MESSAGE=", 8);
		put(buf, len, &at, msg, n);
		put(buf, len, &at, "\n", 1);
	} else {
		/* a value with a newline: the name, a 64-bit LE length, bytes */
		unsigned char le[8];
		uint64_t v = n;

		for (int i = 0; i < 8; i++, v >>= 8)
			le[i] = (unsigned char)(v & 0xff);
		put(buf, len, &at, "MESSAGE\n", 8);
		put(buf, len, &at, le, 8);
		put(buf, len, &at, msg, n);
		put(buf, len, &at, "\n", 1);
	}
	return at;
}

static void
to_journal_or_stderr(int prio, const char *fields, const char *msg)
{
	const char *ident = lg.ident ? lg.ident : "bmcfleet";

	if (lg.journal_fd != -1) {
		char small[2048], *buf = small;
		size_t need;

		need = log_journal_format(small, sizeof(small), prio, ident,
		    fields, msg);
		if (need > sizeof(small) && (buf = malloc(need)) != NULL)
			(void)log_journal_format(buf, need, prio, ident, fields,
			    msg);
		if (buf != NULL && send(lg.journal_fd, buf, need,
		    MSG_NOSIGNAL) == (ssize_t)need) {
			if (buf != small)
				free(buf);
			return;
		}
		if (buf != small)
			free(buf);
	}
	if (lg.ident != NULL)
		fprintf(stderr, "%s: %s\n", lg.ident, msg);
	else
		fprintf(stderr, "%s\n", msg);
}

void
log_msg(int prio, const char *fields, const char *fmt, ...)
{
	char small[1024], *msg = small;
	va_list ap;
	int n, e = errno;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(small) && (msg = malloc((size_t)n + 1)) != NULL) {
		va_start(ap, fmt);
		(void)vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	to_journal_or_stderr(prio, fields, msg ? msg : small);
	if (msg != small)
		free(msg);
	errno = e;
}
