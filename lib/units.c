/*
 * units: durations, sizes and watts; see units.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/units.h"

struct unit {
	const char	*u;
	uint64_t	 mul;
};

size_t
units_decimal(const char *s, uint64_t *num, uint64_t *den)
{
	size_t n = 0, digits = 0;
	int dot = 0;

	*num = 0;
	*den = 1;
	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	for (;; n++) {
		if (s[n] >= '0' && s[n] <= '9') {
			if (++digits > 18)
				return 0;
			*num = *num * 10 + (uint64_t)(s[n] - '0');
			if (dot)
				*den *= 10;
		} else if (s[n] == '.' && !dot) {
			dot = 1;
		} else
			break;
	}
	return s[n - 1] != '.' ? n : 0;
}

/* num / den * unit, rounded to the nearest; -1 past UINT64_MAX */
static int
scale(uint64_t num, uint64_t den, uint64_t unit, uint64_t *out)
{
	uint64_t whole = num / den, frac = num % den, f;

	if (whole != 0 && unit > UINT64_MAX / whole)
		return -1;
	whole *= unit;
	/* frac < den <= 10^18: frac * unit may overflow; then the fraction
	 * (below one unit) goes through a double, exact to 1 in 2^53 */
	if (frac != 0 && unit > UINT64_MAX / frac)
		f = (uint64_t)((double)frac / (double)den * (double)unit + 0.5);
	else
		f = (frac * unit + den / 2) / den;
	if (f > UINT64_MAX - whole)
		return -1;
	*out = whole + f;
	return 0;
}

static int
fail(int e)
{
	errno = e;
	return -1;
}

int
units_duration(const char *s, uint64_t bare_ms, uint64_t max_ms,
    uint64_t *out)
{
	/* longest first where one is the start of another: ms before m */
	static const struct unit units[] = {
		{ "ms", 1 }, { "s", UNITS_SEC }, { "m", UNITS_MIN },
		{ "h", UNITS_HOUR }, { "d", UNITS_DAY }, { "w", UNITS_WEEK },
	};
	uint64_t total = 0, num, den, v;
	size_t n, i, ul = 0;

	if (s == NULL || *s == '\0')
		return fail(EINVAL);
	if ((n = units_decimal(s, &num, &den)) > 0 && s[n] == '\0') {
		/* zero needs no unit: it is zero in every one */
		if (bare_ms == UNITS_BARE_NONE && num != 0)
			return fail(EINVAL);
		if (scale(num, den, bare_ms, &total) != 0)
			return fail(ERANGE);
		goto done;
	}
	while (*s != '\0') {
		if ((n = units_decimal(s, &num, &den)) == 0)
			return fail(EINVAL);
		s += n;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			ul = strlen(units[i].u);
			/* "m" must not eat the "m" of "ms" */
			if (!strncmp(s, units[i].u, ul) &&
			    !(s[ul] >= 'a' && s[ul] <= 'z'))
				break;
		}
		if (i == sizeof(units) / sizeof(units[0]))
			return fail(EINVAL);
		if (scale(num, den, units[i].mul, &v) != 0 ||
		    v > UINT64_MAX - total)
			return fail(ERANGE);
		total += v;
		s += ul;
	}
done:
	if (total > max_ms)
		return fail(ERANGE);
	*out = total;
	return 0;
}

int
units_duration_why(const char *s, uint64_t bare_ms, uint64_t min_ms,
    uint64_t max_ms, uint64_t *out, char *why, size_t len)
{
	char lo[32], hi[32];
	uint64_t v, num, den;
	size_t n;
	int e;

	if (units_duration(s, bare_ms, max_ms, &v) == 0) {
		if (v >= min_ms) {
			*out = v;
			return 0;
		}
		e = ERANGE;
	} else
		e = errno;
	units_format_duration(min_ms, lo, sizeof(lo));
	units_format_duration(max_ms, hi, sizeof(hi));
	if (e == EINVAL && s != NULL && (n = units_decimal(s, &num,
	    &den)) > 0 && s[n] == '\0')
		snprintf(why, len, "%s (%s to %s)", UNITS_DURATION_BARE, lo,
		    hi);
	else if (e == EINVAL)
		snprintf(why, len, "expected %s (%s to %s)",
		    UNITS_DURATION_HELP, lo, hi);
	else
		snprintf(why, len, "expected %s to %s", lo, hi);
	return fail(e);
}

void
units_format_duration(uint64_t ms, char *buf, size_t len)
{
	static const struct unit units[] = {
		{ "d", UNITS_DAY }, { "h", UNITS_HOUR }, { "m", UNITS_MIN },
		{ "s", UNITS_SEC },
	};
	size_t off = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (ms == 0 || ms % UNITS_SEC != 0) {
		snprintf(buf, len, ms == 0 ? "0s" : "%llums",
		    (unsigned long long)ms);
		return;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && off < len;
	    i++) {
		if (ms < units[i].mul)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%llu%s",
		    (unsigned long long)(ms / units[i].mul), units[i].u);
		ms %= units[i].mul;
	}
}

/* NUMBER, an optional space, then one of units (exactly). */
static int
number_unit(const char *s, const struct unit *units, size_t nunits,
    uint64_t max, uint64_t *out)
{
	uint64_t num, den, v;
	size_t n, i;

	if ((n = units_decimal(s, &num, &den)) == 0)
		return fail(EINVAL);
	s += n;
	if (*s == ' ')
		s++;
	for (i = 0; i < nunits; i++)
		if (!strcmp(s, units[i].u))
			break;
	if (i == nunits)
		return fail(EINVAL);
	if (scale(num, den, units[i].mul, &v) != 0 || v > max)
		return fail(ERANGE);
	*out = v;
	return 0;
}

int
units_size(const char *s, uint64_t max, uint64_t *out)
{
	static const struct unit units[] = {
		{ "", 1 }, { "B", 1 },
		{ "KiB", 1ULL << 10 }, { "MiB", 1ULL << 20 },
		{ "GiB", 1ULL << 30 }, { "TiB", 1ULL << 40 },
		{ "kB", 1000 }, { "KB", 1000 }, { "MB", 1000000 },
		{ "GB", 1000000000 }, { "TB", 1000000000000ULL },
	};

	return number_unit(s, units, sizeof(units) / sizeof(units[0]), max,
	    out);
}

int
units_percent(const char *s, uint64_t *out)
{
	uint64_t num, den, v;
	size_t n;

	if ((n = units_decimal(s, &num, &den)) == 0 || s[n] != '%' ||
	    s[n + 1] != '\0')
		return fail(EINVAL);
	/* hundredths, so "2.5%" is exact */
	if (scale(num, den, 100, &v) != 0 || v > 10000)
		return fail(ERANGE);
	*out = v;
	return 0;
}

int
units_watts(const char *s, uint64_t max, uint64_t *out)
{
	static const struct unit units[] = {
		{ "", 1 }, { "W", 1 }, { "kW", 1000 }, { "KW", 1000 },
		{ "MW", 1000000 },
	};

	return number_unit(s, units, sizeof(units) / sizeof(units[0]), max,
	    out);
}
