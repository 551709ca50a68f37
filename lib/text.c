#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "lib/text.h"

int
text_parse_bool(const char *s, unsigned flags, int *out)
{
	static const char *const yes[] = { "true", "yes", "on", "True",
		"TRUE", "Yes", "YES", "On", "ON" };
	static const char *const no[] = { "false", "no", "off", "False",
		"FALSE", "No", "NO", "Off", "OFF" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = 0;
			return 0;
		}
	}
	if ((flags & TEXT_BOOL_DIGITS) && (!strcmp(s, "1") || !strcmp(s, "0"))) {
		*out = s[0] == '1';
		return 0;
	}
	return -1;
}

int
text_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
text_is_ident(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		    *s == '.'))
			return 0;
	return 1;
}

int
text_is_env_name(const char *s)
{
	const char *e;

	for (e = s; *e != '\0'; e++)
		if (!((*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z') ||
		    *e == '_' || (e > s && *e >= '0' && *e <= '9')))
			return 0;
	return *s != '\0';
}

size_t
text_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t pp[65], prev[65], cur[65];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		prev[j] = pp[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
		}
		memcpy(pp, prev, sizeof(pp));
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

const char *
text_suggest(const char *word, const char *const *cand, size_t ncand)
{
	size_t i, best = SIZE_MAX, bpre = 0, lw = strlen(word), d;
	const char *pick = NULL;

	for (i = 0; i < ncand && cand[i] != NULL; i++) {
		size_t lc = strlen(cand[i]), pre = 0;

		while (pre < lw && pre < lc && word[pre] == cand[i][pre])
			pre++;
		d = text_edit_distance(word, cand[i]);
		if (!(lw >= 3 && (pre == lw || pre == lc || pre >= 4)) &&
		    (d > (lw >= 6 ? 2 : 1) || d >= lw))
			continue;
		if (d < best || (d == best && pre > bpre)) {
			best = d;
			bpre = pre;
			pick = cand[i];
		}
	}
	return pick;
}

char *
text_did_you_mean(char *buf, size_t len, const char *word,
    const char *const *cand, size_t ncand)
{
	const char *s = text_suggest(word, cand, ncand);

	if (len == 0)
		return buf;
	if (s != NULL)
		snprintf(buf, len, " (did you mean '%s'?)", s);
	else
		buf[0] = '\0';
	return buf;
}

/* the bits of the len bytes at name, 0 when no entry of t has them */
static uint32_t
flag_bits_n(const struct text_flag *t, size_t n, const char *name,
    size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strncmp(t[i].name, name, len) == 0 &&
		    t[i].name[len] == '\0')
			return t[i].bits;
	return 0;
}

uint32_t
text_flag_bits(const struct text_flag *t, size_t n, const char *name)
{
	return flag_bits_n(t, n, name, strlen(name));
}

const char *
text_flag_name(const struct text_flag *t, size_t n, size_t i)
{
	return i < n ? t[i].name : NULL;
}

int
text_parse_flags(const char *list, const struct text_flag *t, size_t n,
    unsigned flags, uint32_t *bits, const char **bad, size_t *badlen)
{
	const char *p = list, *e;
	uint32_t acc = 0, b;
	size_t len;

	for (;;) {
		e = strchr(p, ',');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		if (len == 0 && (flags & TEXT_FLAGS_SKIP_EMPTY))
			b = 0;
		else if (len == 0 || (b = flag_bits_n(t, n, p, len)) == 0) {
			*bad = p;
			*badlen = len;
			return -1;
		}
		acc |= b;
		if (e == NULL)
			break;
		p = e + 1;
	}
	*bits = acc;
	return 0;
}
