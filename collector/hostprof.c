#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/hostprof.h"
#include "collector/safefile.h"
#include "collector/sdrcache.h"
#include "ipmi/rmcpp.h"
#include "ipmi/session.h"
#include "lib/errf.h"

#define VERSION	1

static const struct {
	const char	*name;
	unsigned	 bit;
} quirk_words[] = {
	{ "no-suite-list", HOSTPROF_Q_NO_SUITE_LIST },
};
#define NQUIRKS	(sizeof(quirk_words) / sizeof(quirk_words[0]))

/* cli/workaround.c's words for the session flags */
static const struct {
	const char	*name;
	unsigned	 bit;
} wa_words[] = {
	{ "authcap", IPMI_SESS_WA_AUTHCAP },
	{ "ignore-seq-reset", IPMI_SESS_WA_SEQ_RESET },
	{ "integrity-check-value", IPMI_SESS_WA_ICV },
	{ "intel20", IPMI_SESS_WA_INTEL20 },
	{ "supermicro20", IPMI_SESS_WA_SUPERMICRO20 },
	{ "sun20", IPMI_SESS_WA_SUN20 },
	{ "no-name-lookup", IPMI_SESS_NO_NAME_ONLY },
};
#define NWA	(sizeof(wa_words) / sizeof(wa_words[0]))

unsigned
hostprof_wa(unsigned flags)
{
	unsigned m = 0;

	for (size_t i = 0; i < NWA; i++)
		m |= wa_words[i].bit;
	return flags & m;
}

int
hostprof_name(const char *host, uint16_t port, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	int n;

	if (*host == '\0')
		return -1;
	for (const unsigned char *p = (const unsigned char *)host; *p; p++) {
		unsigned char c = (unsigned char)tolower(*p);

		if (isalnum(c) || c == '.' || c == '-') {
			if (o + 1 >= len)
				return -1;
			out[o++] = (char)c;
		} else {
			if (o + 3 >= len)
				return -1;
			out[o++] = '_';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	/* a single file name: NAME_MAX, and never "." or ".." */
	n = snprintf(out + o, len - o, "-%u", (unsigned)port);
	if (n < 0 || (size_t)n >= len - o || o + (size_t)n > 200)
		return -1;
	return 0;
}

/* the host line's value: the host lower-cased, ":PORT" */
static void
host_key(const char *host, uint16_t port, char *out, size_t len)
{
	size_t i;

	for (i = 0; host[i] != '\0' && i + 1 < len; i++)
		out[i] = (char)tolower((unsigned char)host[i]);
	out[i] = '\0';
	snprintf(out + i, len - i, ":%u", (unsigned)port);
}

/* a whole decimal number in [0, max] */
static int
number(const char *s, int64_t max, int64_t *v)
{
	int64_t x = 0;

	if (*s == '\0' || strlen(s) > 18)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		x = x * 10 + (*s - '0');
	}
	if (x > max)
		return -1;
	*v = x;
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
hostprof_parse(const char *text, size_t len, const char *host,
    uint16_t port, int insecure, struct hostprof *p, char *why,
    size_t whylen)
{
	enum { K_VERSION, K_HOST, K_SUITE, K_FROM, K_PRIV, K_QUIRKS, K_GUID,
	    K_LEARNED, K_BY, K_WA, K_N };
	static const char *const keys[K_N] = { "version", "host",
	    "cipher_suite", "suite_from", "privilege", "quirks", "guid",
	    "learned", "by", "workarounds" };
	char buf[HOSTPROF_MAX_BYTES + 1], want[300], *line, *next, *val;
	unsigned seen = 0;
	int64_t v;
	int k;

	memset(p, 0, sizeof(*p));
	p->suite = -1;
	if (len > HOSTPROF_MAX_BYTES)
		return errf(why, whylen, "%s", "too long");
	if (memchr(text, '\0', len) != NULL)
		return errf(why, whylen, "%s", "a NUL byte");
	memcpy(buf, text, len);
	buf[len] = '\0';
	host_key(host, port, want, sizeof(want));
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			return errf(why, whylen, "%s", "no newline at the end");
		if (*line == '#' || *line == '\0')
			continue;
		if ((val = strchr(line, ' ')) == NULL)
			return errf(why, whylen, "line '%.40s': no value",
			    line);
		*val++ = '\0';
		for (k = 0; k < K_N && strcmp(line, keys[k]) != 0; k++)
			;
		if (k == K_N)
			return errf(why, whylen, "unknown key '%.40s'", line);
		if (seen & (1u << k))
			return errf(why, whylen, "'%s' twice", keys[k]);
		seen |= 1u << k;
		switch (k) {
		case K_VERSION:
			if (number(val, 1000, &v) != 0 || v != VERSION)
				return errf(why, whylen, "version '%.20s' "
				    "unknown", val);
			break;
		case K_HOST:
			if (strcmp(val, want) != 0)
				return errf(why, whylen, "for host "
				    "'%.80s', not this one", val);
			break;
		case K_SUITE: {
			const struct ipmi_cipher_suite *cs;

			if (number(val, 255, &v) != 0 ||
			    (cs = ipmi_cipher_suite((int)v)) == NULL ||
			    !ipmi_cipher_suite_supported(cs))
				return errf(why, whylen, "cipher suite "
				    "'%.20s' unknown", val);
			/* a file must not do what -C would be refused */
			if (!ipmi_cipher_suite_secure(cs) && !insecure)
				return errf(why, whylen, "cipher suite %s "
				    "is insecure (--insecure allows it)", val);
			p->suite = (int)v;
			break;
		}
		case K_FROM:
			if (strcmp(val, "list") == 0)
				p->listed = 1;
			else if (strcmp(val, "fallback") != 0)
				return errf(why, whylen, "suite_from "
				    "'%.20s' unknown", val);
			break;
		case K_PRIV:
			if (number(val, 5, &v) != 0 || v < 1)
				return errf(why, whylen, "privilege '%.20s' "
				    "out of range", val);
			p->priv = (uint8_t)v;
			break;
		case K_QUIRKS:
			if (strcmp(val, "-") == 0)
				break;
			for (char *q = strtok(val, ","); q != NULL;
			    q = strtok(NULL, ",")) {
				size_t i;

				for (i = 0; i < NQUIRKS &&
				    strcmp(q, quirk_words[i].name) != 0; i++)
					;
				if (i == NQUIRKS)
					return errf(why, whylen, "quirk "
					    "'%.40s' unknown", q);
				p->quirks |= quirk_words[i].bit;
			}
			break;
		case K_WA:
			if (strcmp(val, "-") == 0)
				break;
			for (char *q = strtok(val, ","); q != NULL;
			    q = strtok(NULL, ",")) {
				size_t i;

				for (i = 0; i < NWA &&
				    strcmp(q, wa_words[i].name) != 0; i++)
					;
				if (i == NWA)
					return errf(why, whylen, "workaround "
					    "'%.40s' unknown", q);
				p->workarounds |= wa_words[i].bit;
			}
			break;
		case K_GUID:
			if (strlen(val) != 32)
				return errf(why, whylen, "guid '%.40s' not "
				    "32 hex digits", val);
			for (int i = 0; i < 16; i++) {
				int hi = hexval(val[2 * i]),
				    lo = hexval(val[2 * i + 1]);

				if (hi < 0 || lo < 0)
					return errf(why, whylen, "guid "
					    "'%.40s' not 32 hex digits", val);
				p->guid[i] = (uint8_t)(hi << 4 | lo);
			}
			p->have_guid = 1;
			break;
		case K_LEARNED:
			if (number(val, INT64_C(1) << 40, &v) != 0)
				return errf(why, whylen, "learned '%.20s' "
				    "not a time", val);
			p->learned = v;
			break;
		case K_BY:
			if (strcmp(val, "direct") != 0 &&
			    strcmp(val, "collector") != 0)
				return errf(why, whylen, "by '%.20s' "
				    "unknown", val);
			snprintf(p->by, sizeof(p->by), "%s", val);
			break;
		}
	}
	for (k = 0; k < K_N; k++)
		if (!(seen & (1u << k)) && k != K_PRIV && k != K_QUIRKS &&
		    k != K_GUID && k != K_BY && k != K_WA)
			return errf(why, whylen, "no '%s' line", keys[k]);
	return 0;
}

size_t
hostprof_format(const struct hostprof *p, const char *host, uint16_t port,
    char *out, size_t len)
{
	char hk[300], q[64] = "", g[33] = "", w[160] = "";
	int n;

	host_key(host, port, hk, sizeof(hk));
	for (size_t i = 0; i < NQUIRKS; i++)
		if (p->quirks & quirk_words[i].bit) {
			if (q[0] != '\0')
				strcat(q, ",");
			strcat(q, quirk_words[i].name);
		}
	for (size_t i = 0; i < NWA; i++)
		if (p->workarounds & wa_words[i].bit) {
			if (w[0] != '\0')
				strcat(w, ",");
			strcat(w, wa_words[i].name);
		}
	for (int i = 0; p->have_guid && i < 16; i++)
		snprintf(g + 2 * i, 3, "%02x", p->guid[i]);
	n = snprintf(out, len,
	    "# bmcfleet: what sessions to this BMC learned (bmcfleet(1), "
	    "PROFILES)\n"
	    "version %d\nhost %s\ncipher_suite %d\nsuite_from %s\n"
	    "%s%.0u%s"
	    "quirks %s\nworkarounds %s\n%s%s%s"
	    "learned %" PRId64 "\nby %s\n",
	    VERSION, hk, p->suite, p->listed ? "list" : "fallback",
	    p->priv ? "privilege " : "", p->priv, p->priv ? "\n" : "",
	    q[0] ? q : "-", w[0] ? w : "-", g[0] ? "guid " : "", g, g[0] ? "\n" : "",
	    p->learned, p->by[0] ? p->by : "direct");
	if (n < 0 || (size_t)n >= len || (size_t)n > HOSTPROF_MAX_BYTES)
		return 0;
	return (size_t)n;
}

static int
path_of(const char *dir, const char *host, uint16_t port, char *out,
    size_t len)
{
	char name[256];
	int n;

	if (hostprof_name(host, port, name, sizeof(name)) != 0)
		return errno = ENAMETOOLONG, -1;
	n = snprintf(out, len, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= len ? (errno = ENAMETOOLONG, -1) : 0;
}

int
hostprof_load(const char *dir, const char *host, uint16_t port,
    int insecure, struct hostprof *p, char *why, size_t whylen)
{
	char path[4096], text[HOSTPROF_MAX_BYTES + 1], err[512];
	struct stat st;
	ssize_t n;
	int fd;

	memset(p, 0, sizeof(*p));
	p->suite = -1;
	if (path_of(dir, host, port, path, sizeof(path)) != 0)
		return 1;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 1;
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* the directory ours alone: nobody else planted the file */
	if (safefile_dir_ok(dir, err, sizeof(err)) != 0) {
		close(fd);
		snprintf(why, whylen, "%s", err);
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)) ||
	    st.st_size > HOSTPROF_MAX_BYTES) {
		close(fd);
		snprintf(why, whylen, "%s: not a regular file of ours, "
		    "writable by us alone, of at most %d bytes", path,
		    HOSTPROF_MAX_BYTES);
		return -1;
	}
	n = read(fd, text, sizeof(text));
	close(fd);
	if (n < 0 || n > HOSTPROF_MAX_BYTES) {
		snprintf(why, whylen, "%s: unreadable or too long", path);
		return -1;
	}
	if (hostprof_parse(text, (size_t)n, host, port, insecure, p, err,
	    sizeof(err)) != 0) {
		snprintf(why, whylen, "%s: %s", path, err);
		memset(p, 0, sizeof(*p));
		p->suite = -1;
		return -1;
	}
	return 0;
}

int
hostprof_store(const char *dir, const char *host, uint16_t port,
    const struct hostprof *p)
{
	char path[4096], tmp[4200], pre[4200], text[HOSTPROF_MAX_BYTES + 1],
	    err[512];
	size_t len;
	int fd, saved;

	if ((len = hostprof_format(p, host, port, text, sizeof(text))) == 0)
		return errno = EINVAL, -1;
	if (sdrcache_mkdirs(dir) == -1 ||
	    path_of(dir, host, port, path, sizeof(path)) == -1)
		return -1;
	if (safefile_dir_ok(dir, err, sizeof(err)) != 0)
		return errno = EACCES, -1;
	snprintf(pre, sizeof(pre), "%s.tmp.", path);
	if ((fd = safefile_tmp(pre, tmp, sizeof(tmp))) == -1)
		return -1;
	if (write(fd, text, len) != (ssize_t)len) {
		saved = errno ? errno : EIO;
		close(fd);
		unlink(tmp);
		return errno = saved, -1;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		return errno = saved, -1;
	}
	return 0;
}

void
hostprof_forget(const char *dir, const char *host, uint16_t port)
{
	char path[4096], err[512];

	if (safefile_dir_ok(dir, err, sizeof(err)) == 0 &&
	    path_of(dir, host, port, path, sizeof(path)) == 0)
		(void)unlink(path);
}

int
hostprof_from_info(struct hostprof *p, const struct ipmi_session_info *in,
    unsigned flags, const uint8_t *guid, const char *by, time_t now)
{
	memset(p, 0, sizeof(*p));
	p->suite = -1;
	if (in->cipher_suite < 0)
		return -1;
	p->suite = in->cipher_suite;
	p->listed = in->suites_listed != 0;
	if (!p->listed)
		p->quirks |= HOSTPROF_Q_NO_SUITE_LIST;
	p->workarounds = hostprof_wa(flags);
	if (in->priv >= 1 && in->priv <= 5)
		p->priv = in->priv;
	if (guid != NULL) {
		memcpy(p->guid, guid, 16);
		p->have_guid = 1;
	}
	p->learned = (int64_t)now;
	snprintf(p->by, sizeof(p->by), "%s", by);
	return 0;
}

void
hostprof_learned(const char *host, uint16_t port,
    const struct ipmi_session_info *in, unsigned flags, const uint8_t *guid)
{
	char dir[4096];
	struct hostprof p;

	if (sdrcache_profile_dir(NULL, dir, sizeof(dir)) != 0 ||
	    hostprof_from_info(&p, in, flags, guid, "collector",
	    time(NULL)) != 0)
		return;
	(void)hostprof_store(dir, host, port, &p);
}
