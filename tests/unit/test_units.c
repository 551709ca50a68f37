#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/units.h"
#include "tests/unit/ckmain.h"

START_TEST(decimals)
{
	uint64_t num, den, v;

	ck_assert_uint_eq(units_decimal("12", &num, &den), 2);
	ck_assert_uint_eq(num, 12);
	ck_assert_uint_eq(den, 1);
	ck_assert_uint_eq(units_decimal("1.25s", &num, &den), 4);
	ck_assert_uint_eq(num, 125);
	ck_assert_uint_eq(den, 100);
	/* no sign, no leading dot, no trailing dot, no exponent */
	ck_assert_uint_eq(units_decimal("-1", &num, &den), 0);
	ck_assert_uint_eq(units_decimal(".5", &num, &den), 0);
	ck_assert_uint_eq(units_decimal("5.", &num, &den), 0);
	ck_assert_uint_eq(units_decimal("1e3", &num, &den), 1);
	ck_assert_uint_eq(units_decimal("", &num, &den), 0);
	/* 18 digits at most, so num * 10 never overflows */
	ck_assert_uint_eq(units_decimal("999999999999999999", &num, &den), 18);
	ck_assert_uint_eq(units_decimal("1000000000000000000", &num, &den),
	    0);
	/* rounded to the nearest, exactly */
	ck_assert_int_eq(units_scale(15, 10, 1000, &v), 0);
	ck_assert_uint_eq(v, 1500);
	ck_assert_int_eq(units_scale(1, 3, 1000, &v), 0);
	ck_assert_uint_eq(v, 333);
	ck_assert_int_eq(units_scale(2, 3, 1000, &v), 0);
	ck_assert_uint_eq(v, 667);
	ck_assert_int_eq(units_scale(5, 1000, 1, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(units_scale(UINT64_MAX / 2, 1, 2, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX - 1);
	ck_assert_int_eq(units_scale(UINT64_MAX / 2 + 1, 1, 2, &v), -1);
	ck_assert_int_eq(units_scale(UINT64_MAX / 2 + 1, 1, 3, &v), -1);
}
END_TEST

START_TEST(durations)
{
	static const struct {
		const char	*s;
		uint64_t	 ms;
	} good[] = {
		{ "0", 0 }, { "0s", 0 }, { "10", 10000 }, { "1.5", 1500 },
		{ "500ms", 500 }, { "10s", 10000 }, { "5m", 300000 },
		{ "1h", 3600000 }, { "1d", 86400000 }, { "1h30m", 5400000 },
		{ "1.5s", 1500 }, { "0.0005s", 1 }, { "0.0004s", 0 },
		{ "2m30s", 150000 }, { "1m1ms", 60001 },
	};
	static const char *const bad[] = { "", "s", "10x", "-5s", "5 s",
		"1.s", "ms", "10sec", "1e3", "10s ", " 10s", "5mm" };
	uint64_t ms;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ms = 7;
		ck_assert_msg(units_parse_duration(good[i].s, UINT64_MAX, &ms)
		    == 0 && ms == good[i].ms, "'%s': %llu", good[i].s,
		    (unsigned long long)ms);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ms = 7;
		errno = 0;
		ck_assert_msg(units_parse_duration(bad[i], UINT64_MAX, &ms) ==
		    -1 && ms == 7 && errno == EINVAL, "'%s' taken", bad[i]);
	}
	ck_assert_int_eq(units_parse_duration(NULL, UINT64_MAX, &ms), -1);
	ck_assert_int_eq(units_parse_duration("1d", UNITS_DAY, &ms), 0);
	ck_assert_int_eq(units_parse_duration("1d1ms", UNITS_DAY, &ms), -1);
}
END_TEST

START_TEST(durations_formatted)
{
	static const struct {
		uint64_t	 ms;
		const char	*s;
	} fmts[] = {
		{ 0, "0s" }, { 1, "1ms" }, { 1500, "1500ms" }, { 1000, "1s" },
		{ 90000, "1m30s" }, { 5400000, "1h30m" }, { 86400000, "1d" },
		{ 90061000, "1d1h1m1s" },
	};
	char buf[64];
	uint64_t ms;
	size_t i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		units_format_duration(fmts[i].ms, buf, sizeof(buf));
		ck_assert_str_eq(buf, fmts[i].s);
		/* and it reads back */
		ck_assert_int_eq(units_parse_duration(buf, UINT64_MAX, &ms), 0);
		ck_assert_uint_eq(ms, fmts[i].ms);
	}
}
END_TEST

START_TEST(sizes)
{
	static const struct {
		const char	*s;
		uint64_t	 b;
	} good[] = {
		{ "4096", 4096 }, { "4096B", 4096 }, { "1KiB", 1024 },
		{ "512MiB", 512ULL << 20 }, { "1.5GiB", 3ULL << 29 },
		{ "2TiB", 2ULL << 40 }, { "10GB", 10000000000ULL },
		{ "10 GB", 10000000000ULL }, { "1kB", 1000 }, { "1KB", 1000 },
		{ "3MB", 3000000 }, { "1TB", 1000000000000ULL },
	};
	static const char *const bad[] = { "", "MiB", " 1", "1  MiB",
		"1mib", "1Kib", "-1", "1PiB", "1.5.5GB" };
	uint64_t b;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(units_parse_size(good[i].s, UINT64_MAX, &b) == 0 &&
		    b == good[i].b, "'%s'", good[i].s);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(units_parse_size(bad[i], UINT64_MAX, &b) == -1,
		    "'%s' taken", bad[i]);
	ck_assert_int_eq(units_parse_size("1GiB", 1ULL << 30, &b), 0);
	ck_assert_int_eq(units_parse_size("1.000001GiB", 1ULL << 30, &b), -1);
}
END_TEST

START_TEST(percents)
{
	uint64_t v = 0;

	ck_assert_int_eq(units_parse_percent("5", 10000, 1000000, &v), 0);
	ck_assert_uint_eq(v, 50000);
	ck_assert_int_eq(units_parse_percent("0.5%", 10000, 1000000, &v), 0);
	ck_assert_uint_eq(v, 5000);
	ck_assert_int_eq(units_parse_percent("2.5%", 100, 10000, &v), 0);
	ck_assert_uint_eq(v, 250);
	ck_assert_int_eq(units_parse_percent("100", 10000, 1000000, &v), 0);
	ck_assert_uint_eq(v, 1000000);
	ck_assert_int_eq(units_parse_percent("0.00005", 10000, 1000000, &v),
	    0);
	ck_assert_uint_eq(v, 1);
	v = 9;
	ck_assert_int_eq(units_parse_percent("100.01", 10000, 1000000, &v),
	    -1);
	ck_assert_int_eq(units_parse_percent("5%%", 100, 10000, &v), -1);
	ck_assert_int_eq(units_parse_percent("%", 100, 10000, &v), -1);
	ck_assert_int_eq(units_parse_percent("-1", 100, 10000, &v), -1);
	ck_assert_int_eq(units_parse_percent("5 %", 100, 10000, &v), -1);
	ck_assert_uint_eq(v, 9);
}
END_TEST

static Suite *
units_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("units");
	tc = tcase_create("units");
	tcase_add_test(tc, decimals);
	tcase_add_test(tc, durations);
	tcase_add_test(tc, durations_formatted);
	tcase_add_test(tc, sizes);
	tcase_add_test(tc, percents);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(units_suite());
}
