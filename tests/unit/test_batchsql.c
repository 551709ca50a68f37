/*
 * batchsql: the days of a batch's readings by ID, each once, and none
 * for a row without a time or past BATCH_DAYS; the claims as the trigger
 * reads them, NULL digests apart, and nothing for a row that is not one
 * the collector writes (letters, a value out of bigint's range, a
 * missing field).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/batchsql.h"

static struct rows_buf
buf(const char *s)
{
	struct rows_buf b;

	b.p = (char *)s;
	b.len = strlen(s);
	b.cap = b.len;
	return b;
}

START_TEST(days)
{
	char d[BATCH_DAYS][11], text[BATCH_DAYS * 64 + 64];
	struct rows_buf b;
	size_t n = 0;

	b = buf("1\t1\t2026-12-01 00:00:01.000+00\t\\N\n"
	    "2\t1\t2026-12-02 23:59:59.999+00\t\\N\n"
	    "3\t1\t2026-12-01 12:00:00.000+00\t\\N\n");
	ck_assert_int_eq(batch_days(&b, d), 2);
	ck_assert_str_eq(d[0], "2026-12-01");
	ck_assert_str_eq(d[1], "2026-12-02");
	b = buf("");
	ck_assert_int_eq(batch_days(&b, d), 0);
	b = buf("1\t1\n");
	ck_assert_int_eq(batch_days(&b, d), -1);
	b = buf("1\t1\t2026-1x-01 00:00:01.000+00\n");
	ck_assert_int_eq(batch_days(&b, d), -1);
	b = buf("1\t1\t2026-12-01 00:00:01.000+00");	/* no newline */
	ck_assert_int_eq(batch_days(&b, d), -1);
	for (int i = 0; i <= BATCH_DAYS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "1\t1\t%04d-01-01 00:00:00.000+00\n", 2000 + i);
	b = buf(text);
	ck_assert_int_eq(batch_days(&b, d), -1);
}
END_TEST

START_TEST(claims)
{
	struct rows_buf b;
	char *c, *u;

	b = buf("1\t-6359504402606452029\n22\t\\N\n3\t0\n");
	ck_assert_int_eq(batch_claims(&b, &c, &u), 0);
	ck_assert_str_eq(c, "1:-6359504402606452029,22:,3:0");
	ck_assert_str_eq(u, "22");
	free(c);
	free(u);
	b = buf("9223372036854775807\t-9223372036854775808\n");
	ck_assert_int_eq(batch_claims(&b, &c, &u), 0);
	ck_assert_str_eq(c, "9223372036854775807:-9223372036854775808");
	ck_assert_str_eq(u, "");
	free(c);
	free(u);
	{
		const char *bad[] = {
			"1\t9223372036854775808\n",	/* past bigint */
			"x\t1\n", "\t1\n", "1\t\n", "1\t-\n", "1\t1x\n",
			"-1\t1\n", "1 1\n", "1\t1", "1\t'\n",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			b = buf(bad[i]);
			c = u = (char *)1;
			ck_assert_msg(batch_claims(&b, &c, &u) == -1, "%s",
			    bad[i]);
			ck_assert_ptr_null(c);
			ck_assert_ptr_null(u);
		}
	}
}
END_TEST

static Suite *
batchsql_suite(void)
{
	Suite *s = suite_create("batchsql");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, days);
	tcase_add_test(tc, claims);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(batchsql_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
