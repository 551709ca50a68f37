/* test_units: the one grammar for durations, sizes and watts. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "lib/units.h"
#include "tests/unit/ckmain.h"

START_TEST(durations)
{
	static const struct {
		const char	*s;
		uint64_t	 ms;
	} ok[] = {
		{ "500ms", 500 }, { "1.5s", 1500 }, { "2s", 2000 },
		{ "1m", 60000 }, { "1h30m", 5400000 }, { "2d", 172800000 },
		{ "1w", 604800000 }, { "1m30s", 90000 }, { "0s", 0 },
		{ "0.0005s", 1 }, { "1h1ms", 3600001 },
	};
	static const char *const bad[] = {
		"", "s", "1", "1x", "1 s", "-1s", "1.s", ".5s", "1ss", "1mm",
		"1sec", "1s ", " 1s", "1.2.3s", "9999999999999999999s",
	};
	uint64_t ms;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ck_assert_msg(units_duration(ok[i].s, UNITS_BARE_NONE,
		    UINT64_MAX, &ms) == 0, "%s refused", ok[i].s);
		ck_assert_msg(ms == ok[i].ms, "%s: %llu", ok[i].s,
		    (unsigned long long)ms);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(units_duration(bad[i], UNITS_BARE_NONE,
		    UINT64_MAX, &ms) == -1, "'%s' taken", bad[i]);
	/* a bare number only where the caller names its unit */
	errno = 0;
	ck_assert_int_eq(units_duration("30", UNITS_BARE_NONE, UINT64_MAX,
	    &ms), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(units_duration("30", UNITS_BARE_SEC, UINT64_MAX,
	    &ms), 0);
	ck_assert_uint_eq(ms, 30000);
	ck_assert_int_eq(units_duration("250", UNITS_BARE_MS, UINT64_MAX,
	    &ms), 0);
	ck_assert_uint_eq(ms, 250);
	/* but zero, which is zero in every unit */
	ms = 7;
	ck_assert_int_eq(units_duration("0", UNITS_BARE_NONE, UINT64_MAX,
	    &ms), 0);
	ck_assert_uint_eq(ms, 0);
	ck_assert_int_eq(units_duration("0.0", UNITS_BARE_NONE, UINT64_MAX,
	    &ms), 0);
	ck_assert_int_eq(units_duration("0.5", UNITS_BARE_NONE, UINT64_MAX,
	    &ms), -1);
	/* the bound, inclusive */
	ck_assert_int_eq(units_duration("1d", UNITS_BARE_NONE, UNITS_DAY,
	    &ms), 0);
	errno = 0;
	ck_assert_int_eq(units_duration("1d1ms", UNITS_BARE_NONE, UNITS_DAY,
	    &ms), -1);
	ck_assert_int_eq(errno, ERANGE);
	/* past 64 bits */
	ck_assert_int_eq(units_duration("999999999999999999w",
	    UNITS_BARE_NONE, UINT64_MAX, &ms), -1);
}
END_TEST

/* The words an error gives for each way a duration is wrong. */
START_TEST(duration_why)
{
	char why[128];
	uint64_t ms = 7;

	ck_assert_int_eq(units_duration_why("2s", UNITS_BARE_NONE, 100,
	    UNITS_DAY, &ms, why, sizeof(why)), 0);
	ck_assert_uint_eq(ms, 2000);
	/* power --interval 2000 was 33m20s: now it asks for the unit */
	errno = 0;
	ck_assert_int_eq(units_duration_why("2000", UNITS_BARE_NONE, 0,
	    UNITS_DAY, &ms, why, sizeof(why)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(why, "a number needs its unit (ms, s, m, h, d, w), "
	    "like 500ms, 30s, 5m, 1h30m or 2d (0s to 1d)");
	ck_assert_uint_eq(ms, 2000);	/* untouched */
	ck_assert_int_eq(units_duration_why("2 s", UNITS_BARE_NONE, 0,
	    UNITS_DAY, &ms, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "expected a duration like 500ms, 30s, 5m, "
	    "1h30m or 2d (0s to 1d)");
	/* below min and past max alike */
	errno = 0;
	ck_assert_int_eq(units_duration_why("50ms", UNITS_BARE_NONE, 100,
	    UNITS_DAY, &ms, why, sizeof(why)), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_str_eq(why, "expected 100ms to 1d");
	ck_assert_int_eq(units_duration_why("25h", UNITS_BARE_NONE, 100,
	    UNITS_DAY, &ms, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "expected 100ms to 1d");
	/* where a caller documents its bare unit, the range is in it */
	ck_assert_int_eq(units_duration_why("1500", UNITS_BARE_MS, 10,
	    10 * UNITS_MIN, &ms, why, sizeof(why)), 0);
	ck_assert_uint_eq(ms, 1500);
	ck_assert_int_eq(units_duration_why("600001", UNITS_BARE_MS, 10,
	    10 * UNITS_MIN, &ms, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "expected 10ms to 10m");
}
END_TEST

START_TEST(format_round_trip)
{
	static const uint64_t v[] = { 0, 1, 999, 1000, 61000, 5400000,
	    90061000, 1500, UNITS_WEEK * 3 };
	char buf[64];
	uint64_t ms;

	units_format_duration(5400000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1h30m");
	units_format_duration(1500, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1500ms");
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		units_format_duration(v[i], buf, sizeof(buf));
		ck_assert_int_eq(units_duration(buf, UNITS_BARE_NONE,
		    UINT64_MAX, &ms), 0);
		ck_assert_uint_eq(ms, v[i]);
	}
}
END_TEST

START_TEST(sizes_and_watts)
{
	uint64_t v;

	ck_assert_int_eq(units_size("512MiB", UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 512ULL << 20);
	ck_assert_int_eq(units_size("1.5GiB", UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 3ULL << 29);
	ck_assert_int_eq(units_size("10 GB", UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 10000000000ULL);
	ck_assert_int_eq(units_size("4096", UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(units_size("1mb", UINT64_MAX, &v), -1);
	ck_assert_int_eq(units_size("2TiB", 1ULL << 40, &v), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(units_watts("1.2kW", 100000, &v), 0);
	ck_assert_uint_eq(v, 1200);
	ck_assert_int_eq(units_watts("350", 100000, &v), 0);
	ck_assert_uint_eq(v, 350);
	ck_assert_int_eq(units_watts("350w", 100000, &v), -1);
	/* a fraction far below the unit, through the double path */
	ck_assert_int_eq(units_size("0.000000000001TB", UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 1);
}
END_TEST

static Suite *
units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("units");

	tcase_add_test(tc, durations);
	tcase_add_test(tc, duration_why);
	tcase_add_test(tc, format_round_trip);
	tcase_add_test(tc, sizes_and_watts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(units_suite());
}
