/*
 * when: the times operators write; see when.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/units.h"
#include "lib/when.h"

#define DAY_MS		(86400LL * 1000)
/* 10000-01-01T00:00:00Z, the first instant past the grammar's years */
#define END_MS		(2932897LL * DAY_MS)

static int
fail(int e)
{
	errno = e;
	return -1;
}

/*
 * Days from 1970-01-01 to y-m-d (proleptic Gregorian).  The year is
 * counted from March, so that February's leap day falls at its end and
 * the day of the year follows from the month by one linear formula.
 */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t yy = m <= 2 ? y - 1 : y;
	int64_t era = yy / 400, yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static int
days_in_month(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : n[m - 1];
}

/* exactly n digits at *p, moved past */
static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

/* the character c at *p, moved past */
static int
lit(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

/* tm (local time, any DST) as ms since 1970; -1 when mktime cannot */
static int
local_ms(struct tm *tm, int64_t *out)
{
	time_t t;

	tm->tm_isdst = -1;	/* whichever is in force that day */
	if ((t = mktime(tm)) == (time_t)-1)
		return fail(ERANGE);
	*out = (int64_t)t * 1000;
	return 0;
}

/* local midnight of now's day, days later (-1: yesterday) */
static int
local_midnight(int64_t now_ms, int days, int64_t *out)
{
	time_t t = (time_t)(now_ms / 1000);
	struct tm tm;

	if (now_ms < 0 || localtime_r(&t, &tm) == NULL)
		return fail(ERANGE);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;	/* mktime carries into the month */
	return local_ms(&tm, out);
}

/* YYYY-MM-DD[(T|t| )HH:MM[:SS[(.|,)FRAC]][Z|z|(+|-)HH[[:]MM]]] */
static int
parse_iso(const char *p, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, oh = 0, om = 0;
	int zone = 0, sign = 1;
	int64_t v;

	if (digits(&p, 4, &y) || lit(&p, '-') || digits(&p, 2, &mo) ||
	    lit(&p, '-') || digits(&p, 2, &d))
		return fail(EINVAL);
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || lit(&p, ':') || digits(&p, 2, &mi))
			return fail(EINVAL);
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return fail(EINVAL);
			if (*p == '.' || *p == ',') {
				int scale = 100;

				p++;
				if (*p < '0' || *p > '9')
					return fail(EINVAL);
				/* milliseconds; finer digits are dropped */
				for (; *p >= '0' && *p <= '9'; p++) {
					ms += (*p - '0') * scale;
					scale /= 10;
				}
			}
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
			zone = 1;
		} else if (*p == '+' || *p == '-') {
			sign = *p++ == '-' ? -1 : 1;
			if (digits(&p, 2, &oh))
				return fail(EINVAL);
			if (*p == ':' ? (p++, digits(&p, 2, &om)) :
			    *p != '\0' && digits(&p, 2, &om))
				return fail(EINVAL);
			if (oh > 23 || om > 59)
				return fail(EINVAL);
			zone = 1;
		}
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
		return fail(EINVAL);
	if (y < 1970)
		return fail(ERANGE);
	if (zone) {
		v = days_from_civil(y, mo, d) * DAY_MS +
		    ((int64_t)h * 3600 + mi * 60 + sec) * 1000 -
		    (int64_t)sign * (oh * 3600 + om * 60) * 1000;
	} else {
		struct tm tm;

		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = sec;
		if (local_ms(&tm, &v) != 0)
			return -1;
	}
	*out = v + ms;
	return 0;
}

int
when_parse(const char *s, int64_t now_ms, enum when_dir dir,
    int64_t *out_ms)
{
	uint64_t age;
	int64_t v;

	if (s == NULL || *s == '\0')
		return fail(EINVAL);
	if (strcmp(s, "now") == 0) {
		v = now_ms;
	} else if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
		if (local_midnight(now_ms, *s == 'y' ? -1 : 0, &v) != 0)
			return -1;
	} else if (s[strspn(s, "0123456789.")] == '\0') {
		/* "2026" or "1764460800": a year, seconds, an age? */
		return fail(EINVAL);
	} else if (units_duration(s, UNITS_BARE_NONE, WHEN_MAX_AGE_MS,
	    &age) == 0) {
		v = now_ms + (int64_t)dir * (int64_t)age;
	} else if (errno == ERANGE) {
		return -1;
	} else if (parse_iso(s, &v) != 0) {
		return -1;
	}
	if (v < 0 || v >= END_MS)
		return fail(ERANGE);
	*out_ms = v;
	return 0;
}

size_t
when_format_utc(int64_t ms, char *buf, size_t len)
{
	time_t t;
	struct tm tm;
	int n;

	if (len > 0)
		buf[0] = '\0';
	if (ms < 0 || ms >= END_MS)
		return 0;
	t = (time_t)(ms / 1000);
	if (gmtime_r(&t, &tm) == NULL)
		return 0;
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	if (n < 0 || (size_t)n >= len) {
		if (len > 0)
			buf[0] = '\0';
		return 0;
	}
	return (size_t)n;
}
