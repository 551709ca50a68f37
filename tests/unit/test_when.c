/*
 * test_when: the one grammar for --since, --until and --at.  The
 * expected instants are worked out by hand (date -u -d ... +%s), not by
 * the code under test; local time runs under POSIX TZ strings, which
 * need no time zone database.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/when.h"
#include "tests/unit/ckmain.h"

/* 2026-12-05T17:14:12.500Z */
#define NOW	1796490852500LL

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static int64_t
parse(const char *s, enum when_dir dir)
{
	int64_t v = -7;

	ck_assert_msg(when_parse(s, NOW, dir, &v) == 0, "'%s' refused", s);
	return v;
}

START_TEST(ages)
{
	static const struct {
		const char	*s;
		int64_t		 ms;
	} v[] = {
		{ "30m", 30 * 60000LL }, { "1h", 3600000LL },
		{ "1d", 86400000LL }, { "2w", 14 * 86400000LL },
		{ "1h30m", 5400000LL }, { "90s", 90000LL }, { "0s", 0 },
		{ "500ms", 500 },
	};

	set_tz("UTC0");
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		/* the bug this replaces put the bound in the future */
		ck_assert_msg(parse(v[i].s, WHEN_AGO) == NOW - v[i].ms,
		    "%s ago", v[i].s);
		ck_assert_msg(parse(v[i].s, WHEN_AHEAD) == NOW + v[i].ms,
		    "in %s", v[i].s);
	}
	ck_assert_int_eq(parse("now", WHEN_AGO), NOW);
}
END_TEST

START_TEST(absolute_utc)
{
	static const struct {
		const char	*s;
		int64_t		 ms;
	} v[] = {
		/* date -u -d 2026-12-01T10:00:00Z +%s: 1796119200 */
		{ "2026-12-01T10:00Z", 1796119200000LL },
		{ "2026-12-01T10:00:00Z", 1796119200000LL },
		{ "2026-12-01 10:00:00z", 1796119200000LL },
		{ "2026-12-01t10:00:00.25Z", 1796119200250LL },
		{ "2026-12-01T10:00:00,123456Z", 1796119200123LL },
		/* the same instant at other offsets */
		{ "2026-12-01T11:00+01:00", 1796119200000LL },
		{ "2026-12-01T11:00:00+0100", 1796119200000LL },
		{ "2026-12-01T11:00+01", 1796119200000LL },
		{ "2026-12-01T04:30-05:30", 1796119200000LL },
		/* leap days, the epoch, the last instant */
		{ "2024-02-29T00:00Z", 1709164800000LL },
		{ "2000-02-29T00:00Z", 951782400000LL },
		{ "1970-01-01T00:00Z", 0 },
		{ "9999-12-31T23:59:59.999Z", 253402300799999LL },
	};

	/* a zone far from UTC: none of these may read it */
	set_tz("XYZ-9");
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ck_assert_msg(parse(v[i].s, WHEN_AGO) == v[i].ms, "%s: %lld",
		    v[i].s, (long long)parse(v[i].s, WHEN_AGO));
}
END_TEST

START_TEST(absolute_local)
{
	/* central Europe: UTC+1, UTC+2 from the last Sunday of March */
	set_tz("CET-1CEST,M3.5.0,M10.5.0/3");
	/* date -u -d 2026-11-30T23:00Z +%s: 1796079600 */
	ck_assert_int_eq(parse("2026-12-01", WHEN_AGO), 1796079600000LL);
	ck_assert_int_eq(parse("2026-12-01T10:00", WHEN_AGO),
	    1796119200000LL - 3600000LL);
	/* summer: UTC+2; 2026-07-01T10:00Z is 1782900000 */
	ck_assert_int_eq(parse("2026-07-01 12:00:00", WHEN_AGO),
	    1782900000000LL);
	set_tz("UTC0");
	ck_assert_int_eq(parse("2026-12-01", WHEN_AGO), 1796083200000LL);
}
END_TEST

START_TEST(days_and_dst)
{
	int64_t now;

	set_tz("CET-1CEST,M3.5.0,M10.5.0/3");
	/* NOW is 18:14 in Paris: today began at 23:00Z the day before */
	ck_assert_int_eq(parse("today", WHEN_AGO), 1796425200000LL);
	ck_assert_int_eq(parse("yesterday", WHEN_AGO),
	    1796425200000LL - 86400000);
	/*
	 * 2026-03-30T12:00Z, the day after the clocks went forward
	 * (2026-03-29, a 23 h day): yesterday's midnight is 23 h before
	 * today's, an age of 1d is 24 h exactly.
	 */
	now = 1774872000000LL;
	{
		int64_t today, yday, day;

		ck_assert_int_eq(when_parse("today", now, WHEN_AGO, &today), 0);
		ck_assert_int_eq(when_parse("yesterday", now, WHEN_AGO, &yday),
		    0);
		ck_assert_int_eq(when_parse("1d", now, WHEN_AGO, &day), 0);
		/* 2026-03-29T22:00Z is local midnight (UTC+2) */
		ck_assert_int_eq(today, 1774821600000LL);
		ck_assert_int_eq(today - yday, 23 * 3600000LL);
		ck_assert_int_eq(now - day, 24 * 3600000LL);
	}
}
END_TEST

START_TEST(errors)
{
	static const char *const bad[] = {
		"", "bogus", "1", "30", "2026", "1764460800", "1.5", "-1h",
		"1 h", "h", "2026-12", "2026-1-01", "2026-12-1", "26-12-01",
		"2026-13-01", "2026-00-10", "2026-02-29", "2026-04-31",
		"2026-12-00", "2026-12-01T", "2026-12-01T10", "2026-12-01T1:00",
		"2026-12-01T24:00", "2026-12-01T10:60", "2026-12-01T10:00:60",
		"2026-12-01T10:00:00.", "2026-12-01T10:00+", "2026-12-01T10:00+1",
		"2026-12-01T10:00+01:", "2026-12-01T10:00+24:00",
		"2026-12-01T10:00+01:60", "2026-12-01Z", "2026-12-01 ",
		" 2026-12-01", "2026-12-01T10:00:00Zx", "Today", "tomorrow",
		"yesterday ", "2026/12/01", "2026-12-01T10:00:00 UTC",
	};
	int64_t v;

	set_tz("UTC0");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_msg(when_parse(bad[i], NOW, WHEN_AGO, &v) == -1,
		    "'%s' taken", bad[i]);
		ck_assert_msg(errno == EINVAL, "'%s': errno %d", bad[i],
		    errno);
	}
	ck_assert_int_eq(when_parse(NULL, NOW, WHEN_AGO, &v), -1);
	/* the years out of range */
	errno = 0;
	ck_assert_int_eq(when_parse("1969-12-31T23:59Z", NOW, WHEN_AGO, &v),
	    -1);
	ck_assert_int_eq(errno, ERANGE);
	errno = 0;
	ck_assert_int_eq(when_parse("1970-01-01T00:30+01:00", NOW, WHEN_AGO,
	    &v), -1);
	ck_assert_int_eq(errno, ERANGE);
	/* ages: past 100 years, or reaching before 1970 */
	errno = 0;
	ck_assert_int_eq(when_parse("5300w", NOW, WHEN_AGO, &v), -1);
	ck_assert_int_eq(errno, ERANGE);
	errno = 0;
	ck_assert_int_eq(when_parse("1d", 1000, WHEN_AGO, &v), -1);
	ck_assert_int_eq(errno, ERANGE);
}
END_TEST

START_TEST(format)
{
	char buf[32];

	ck_assert_uint_eq(when_format_utc(1796119200250LL, buf, sizeof(buf)),
	    24);
	ck_assert_str_eq(buf, "2026-12-01T10:00:00.250Z");
	when_format_utc(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1970-01-01T00:00:00.000Z");
	/* it reads back to the same instant */
	set_tz("XYZ-9");
	ck_assert_int_eq(parse("2026-12-01T10:00:00.250Z", WHEN_AGO),
	    1796119200250LL);
	/* too short a buffer, or out of range: nothing */
	ck_assert_uint_eq(when_format_utc(0, buf, 24), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(when_format_utc(-1, buf, sizeof(buf)), 0);
}
END_TEST

static Suite *
when_suite(void)
{
	Suite *s = suite_create("when");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, ages);
	tcase_add_test(tc, absolute_utc);
	tcase_add_test(tc, absolute_local);
	tcase_add_test(tc, days_and_dst);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, format);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(when_suite());
}
