#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/units.h"

size_t
units_decimal(const char *s, uint64_t *num, uint64_t *den)
{
	size_t n = 0, digits = 0;
	int dot = 0;

	*num = 0;
	*den = 1;
	if (*s < '0' || *s > '9')
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
	return digits > 0 && s[n - 1] != '.' ? n : 0;
}

int
units_scale(uint64_t num, uint64_t den, uint64_t unit, uint64_t *out)
{
	uint64_t whole = num / den, frac = num % den;

	if (whole != 0 && unit > UINT64_MAX / whole)
		return -1;
	/* frac < den <= 10^18: frac * unit may overflow, so go by halves */
	if (frac != 0 && unit > UINT64_MAX / frac) {
		double f = (double)frac / (double)den * (double)unit;

		*out = whole * unit + (uint64_t)(f + 0.5);
		return 0;
	}
	*out = whole * unit + (frac * unit + den / 2) / den;
	return 0;
}

int
units_parse_duration(const char *s, uint64_t max_ms, uint64_t *out)
{
	static const struct {
		const char	*u;
		uint64_t	 ms;
	} units[] = {
		{ "ms", 1 }, { "s", UNITS_SEC }, { "m", UNITS_MIN }, { "h", UNITS_HOUR },
		{ "d", UNITS_DAY },
	};
	uint64_t total = 0, num, den, v;
	size_t n, i, ul = 0;

	if (s == NULL || *s == '\0')
		goto bad;
	if ((n = units_decimal(s, &num, &den)) > 0 && s[n] == '\0') {
		if (units_scale(num, den, UNITS_SEC, &total) != 0)
			goto bad;
		goto done;
	}
	while (*s != '\0') {
		if ((n = units_decimal(s, &num, &den)) == 0)
			goto bad;
		s += n;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			ul = strlen(units[i].u);
			/* "m" must not eat the "m" of "ms" */
			if (!strncmp(s, units[i].u, ul) &&
			    !(s[ul] >= 'a' && s[ul] <= 'z'))
				break;
		}
		if (i == sizeof(units) / sizeof(units[0]) ||
		    units_scale(num, den, units[i].ms, &v) != 0 ||
		    v > UINT64_MAX - total)
			goto bad;
		total += v;
		s += ul;
	}
done:
	if (total > max_ms)
		goto bad;
	*out = total;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

void
units_format_duration(uint64_t ms, char *buf, size_t len)
{
	static const struct {
		const char	*u;
		uint64_t	 ms;
	} units[] = {
		{ "d", UNITS_DAY }, { "h", UNITS_HOUR }, { "m", UNITS_MIN }, { "s", UNITS_SEC },
	};
	size_t i, off = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (ms == 0 || ms % UNITS_SEC != 0) {
		snprintf(buf, len, ms == 0 ? "0s" : "%llums",
		    (unsigned long long)ms);
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]) && off < len; i++) {
		if (ms < units[i].ms)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%llu%s",
		    (unsigned long long)(ms / units[i].ms), units[i].u);
		ms %= units[i].ms;
	}
}

int
units_parse_size(const char *s, uint64_t max, uint64_t *out)
{
	static const struct {
		const char	*u;
		uint64_t	 mul;
	} units[] = {
		{ "", 1 }, { "B", 1 },
		{ "KiB", 1ULL << 10 }, { "MiB", 1ULL << 20 },
		{ "GiB", 1ULL << 30 }, { "TiB", 1ULL << 40 },
		{ "kB", 1000 }, { "KB", 1000 }, { "MB", 1000000 },
		{ "GB", 1000000000 }, { "TB", 1000000000000ULL },
	};
	uint64_t num, den, v;
	size_t n, i;

	if (s == NULL || (n = units_decimal(s, &num, &den)) == 0)
		goto bad;
	s += n;
	if (*s == ' ')
		s++;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(s, units[i].u))
			break;
	if (i == sizeof(units) / sizeof(units[0]) ||
	    units_scale(num, den, units[i].mul, &v) != 0 || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

int
units_parse_percent(const char *s, uint64_t per, uint64_t max, uint64_t *out)
{
	uint64_t num, den, v;
	size_t n;

	if (s == NULL || (n = units_decimal(s, &num, &den)) == 0 ||
	    !(s[n] == '\0' || (s[n] == '%' && s[n + 1] == '\0')) ||
	    units_scale(num, den, per, &v) != 0 || v > max) {
		errno = EINVAL;
		return -1;
	}
	*out = v;
	return 0;
}
