#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errf.h"
#include "tests/unit/ckmain.h"

START_TEST(formats_and_fails)
{
	char err[64];

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(errf(err, sizeof(err), "line %d: '%s'", 7, "bad"),
	    -1);
	ck_assert_str_eq(err, "line 7: 'bad'");
}
END_TEST

START_TEST(truncates)
{
	char err[8];

	ck_assert_int_eq(errf(err, sizeof(err), "%s", "0123456789"), -1);
	ck_assert_str_eq(err, "0123456");
	/* one byte holds the terminator alone */
	ck_assert_int_eq(errf(err, 1, "%s", "abc"), -1);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(no_buffer)
{
	char err[4] = "abc";

	ck_assert_int_eq(errf(NULL, 64, "%s", "ignored"), -1);
	ck_assert_int_eq(errf(err, 0, "%s", "ignored"), -1);
	ck_assert_str_eq(err, "abc");
}
END_TEST

static Suite *
errf_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("errf");
	tc = tcase_create("errf");
	tcase_add_test(tc, formats_and_fails);
	tcase_add_test(tc, truncates);
	tcase_add_test(tc, no_buffer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(errf_suite());
}
