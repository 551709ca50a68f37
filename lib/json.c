#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lib/json.h"

enum {
	JSON_O_ARRAY = 1 << 0,
	JSON_O_MEMBER = 1 << 1,		/* something written at this level */
};

/* The length of the UTF-8 sequence at u (n bytes left), or 0 (RFC 3629). */
static size_t
utf8_len(const unsigned char *u, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, k;

	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		len = 2;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		len = 3;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	/* the second byte's range excludes overlongs, surrogates, > 10FFFF */
	if (u[0] == 0xe0)
		lo = 0xa0;
	else if (u[0] == 0xed)
		hi = 0x9f;
	else if (u[0] == 0xf0)
		lo = 0x90;
	else if (u[0] == 0xf4)
		hi = 0x8f;
	if (u[1] < lo || u[1] > hi)
		return 0;
	for (k = 2; k < len; k++)
		if ((u[k] & 0xc0) != 0x80)
			return 0;
	return len;
}

void
json_escape(struct gbuf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, len;
	char esc[8];

	gbuf_putc(b, '"');
	while (i < n) {
		if (u[i] >= 0x20 && u[i] != '"' && u[i] != '\\' &&
		    (len = utf8_len(u + i, n - i)) != 0) {
			i += len;
			continue;
		}
		gbuf_add(b, s + run, i - run);
		if (u[i] == '"' || u[i] == '\\') {
			esc[0] = '\\';
			esc[1] = (char)u[i];
			gbuf_add(b, esc, 2);
		} else if (u[i] < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", u[i]);
			gbuf_add(b, esc, 6);
		} else {
			gbuf_add(b, "\xef\xbf\xbd", 3);	/* U+FFFD */
		}
		run = ++i;
	}
	gbuf_add(b, s + run, i - run);
	gbuf_putc(b, '"');
}

void
json_init(struct json *j, struct gbuf *b, unsigned flags)
{
	memset(j, 0, sizeof(*j));
	j->b = b;
	j->flags = flags;
}

/* before a value: the comma, or nothing after a key; 0, or -1 (misuse) */
static int
value(struct json *j)
{
	unsigned char *o;

	if (j->bad)
		return -1;
	if (j->after_key) {
		j->after_key = 0;
		return 0;
	}
	if (j->depth == 0)
		return 0;
	o = &j->open[j->depth - 1];
	if (!(*o & JSON_O_ARRAY)) {
		j->bad = 1;	/* an object wants a key first */
		return -1;
	}
	if (*o & JSON_O_MEMBER)
		gbuf_puts(j->b, j->flags & JSON_SPACED ? ", " : ",");
	*o |= JSON_O_MEMBER;
	return 0;
}

static void
open_level(struct json *j, unsigned char kind)
{
	if (value(j) != 0)
		return;
	if (j->depth == JSON_DEPTH) {
		j->bad = 1;
		return;
	}
	j->open[j->depth++] = kind;
	gbuf_putc(j->b, kind & JSON_O_ARRAY ? '[' : '{');
}

void
json_obj(struct json *j)
{
	open_level(j, 0);
}

void
json_arr(struct json *j)
{
	open_level(j, JSON_O_ARRAY);
}

void
json_end(struct json *j)
{
	if (j->bad)
		return;
	if (j->depth == 0 || j->after_key) {
		j->bad = 1;
		return;
	}
	j->depth--;
	gbuf_putc(j->b, j->open[j->depth] & JSON_O_ARRAY ? ']' : '}');
}

void
json_key(struct json *j, const char *key)
{
	unsigned char *o;

	if (j->bad)
		return;
	if (j->depth == 0 || j->after_key ||
	    (j->open[j->depth - 1] & JSON_O_ARRAY)) {
		j->bad = 1;
		return;
	}
	o = &j->open[j->depth - 1];
	if (*o & JSON_O_MEMBER)
		gbuf_puts(j->b, j->flags & JSON_SPACED ? ", " : ",");
	*o |= JSON_O_MEMBER;
	json_escape(j->b, key, strlen(key));
	gbuf_puts(j->b, j->flags & JSON_SPACED ? ": " : ":");
	j->after_key = 1;
}

void
json_strn(struct json *j, const char *s, size_t n)
{
	if (value(j) == 0)
		json_escape(j->b, s, n);
}

void
json_str(struct json *j, const char *s)
{
	if (s == NULL)
		json_null(j);
	else
		json_strn(j, s, strlen(s));
}

void
json_u64(struct json *j, uint64_t v)
{
	if (value(j) == 0)
		gbuf_printf(j->b, "%" PRIu64, v);
}

void
json_i64(struct json *j, int64_t v)
{
	if (value(j) == 0)
		gbuf_printf(j->b, "%" PRId64, v);
}

void
json_bool(struct json *j, int v)
{
	if (value(j) == 0)
		gbuf_puts(j->b, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	if (value(j) == 0)
		gbuf_puts(j->b, "null");
}

void
json_raw(struct json *j, const char *text)
{
	if (value(j) == 0)
		gbuf_puts(j->b, text);
}

void
json_key_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void
json_key_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void
json_key_bool(struct json *j, const char *key, int v)
{
	json_key(j, key);
	json_bool(j, v);
}

int
json_failed(const struct json *j)
{
	return j->bad || gbuf_failed(j->b);
}

size_t
json_into(struct json *j, char *out, size_t cap)
{
	size_t n = strlen(gbuf_str(j->b));

	if (cap > 0)
		out[0] = '\0';
	if (json_failed(j) || n + 1 > cap)
		n = 0;
	else
		memcpy(out, gbuf_str(j->b), n + 1);
	gbuf_release(j->b);
	return n;
}
