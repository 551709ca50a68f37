/* out: JSON strings and CSV fields, formula guard included. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/out.h"

static char *
csv(const char *s, int text)
{
	static char buf[256];
	FILE *f;

	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf), "w");

	ck_assert_ptr_nonnull(f);
	out_csv_field(f, s, text);
	fclose(f);
	return buf;
}

START_TEST(test_csv_plain)
{
	ck_assert_str_eq(csv("abc", 1), "abc");
	ck_assert_str_eq(csv("a,b", 1), "\"a,b\"");
	ck_assert_str_eq(csv("say \"hi\"", 1), "\"say \"\"hi\"\"\"");
	ck_assert_str_eq(csv("", 1), "\"\"");
	ck_assert_str_eq(csv(NULL, 1), "");
}
END_TEST

START_TEST(test_csv_formula)
{
	/* a BMC-supplied serial or name must not run in a spreadsheet */
	ck_assert_str_eq(csv("=HYPERLINK(\"x\")", 1),
	    "\"'=HYPERLINK(\"\"x\"\")\"");
	ck_assert_str_eq(csv("+1", 1), "\"'+1\"");
	ck_assert_str_eq(csv("-2+3", 1), "\"'-2+3\"");
	ck_assert_str_eq(csv("@SUM(A1)", 1), "\"'@SUM(A1)\"");
	ck_assert_str_eq(csv("\tx", 1), "\"'\tx\"");
	ck_assert_str_eq(csv("\rx", 1), "\"'\rx\"");
	/* numbers are numbers: a negative reading stays one */
	ck_assert_str_eq(csv("-12.5", 0), "-12.5");
	ck_assert_str_eq(csv("a=b", 1), "a=b");
}
END_TEST

START_TEST(test_json_str)
{
	char buf[64] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	out_json_str(f, "a\"b\\\n\x01\xff");
	fclose(f);
	/* controls as \u00XX, a byte that is not UTF-8 as U+FFFD */
	ck_assert_str_eq(buf, "\"a\\\"b\\\\\\u000a\\u0001\xef\xbf\xbd\"");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("out");
	TCase *tc = tcase_create("out");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_csv_plain);
	tcase_add_test(tc, test_csv_formula);
	tcase_add_test(tc, test_json_str);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
