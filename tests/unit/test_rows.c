/* test_rows: COPY text escaping, row accounting, the batch byte string. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collector/rows.h"

static void
result_row(struct rows *r)
{
	rows_start(r, RT_RESULT);
	rows_str(r, "7");
	rows_str(r, "node\t01\\x\n");
	rows_bool(r, 1);
	rows_null(r);
	rows_str(r, NULL);
	rows_int(r, -12);
	rows_uint(r, 3);
	rows_time_ms(r, 1700000000123ULL);
}

START_TEST(test_escape)
{
	struct rows r;

	rows_init(&r);
	result_row(&r);
	ck_assert_int_eq(rows_end(&r), 0);
	ck_assert_uint_eq(r.nrows[RT_RESULT], 1);
	ck_assert_uint_eq(r.total, 1);
	ck_assert_str_eq(r.t[RT_RESULT].p[r.t[RT_RESULT].len - 1] == '\n' ?
	    "nl" : "x", "nl");
	r.t[RT_RESULT].p[r.t[RT_RESULT].len] = '\0';	/* grow left room */
	ck_assert_str_eq(r.t[RT_RESULT].p,
	    "7\tnode\\t01\\\\x\\n\tt\t\\N\t\\N\t-12\t3\t"
	    "2023-11-14 22:13:20.123+00\n");
	rows_release(&r);
}
END_TEST

START_TEST(test_bytea_double)
{
	static const uint8_t raw[3] = { 0x00, 0xab, 0xff };
	struct rows r;

	rows_init(&r);
	rows_start(&r, RT_SDR);
	rows_str(&r, "k");
	rows_double(&r, 1.5);
	rows_double(&r, NAN);
	rows_str(&r, "");
	rows_int(&r, 0);
	rows_int(&r, 1);
	rows_bytea(&r, raw, sizeof(raw));
	ck_assert_int_eq(rows_end(&r), 0);
	r.t[RT_SDR].p[r.t[RT_SDR].len] = '\0';
	ck_assert_str_eq(r.t[RT_SDR].p, "k\t1.5\t\\N\t\t0\t1\t\\\\x00abff\n");
	rows_release(&r);
}
END_TEST

START_TEST(test_wrong_field_count_dropped)
{
	struct rows r;

	rows_init(&r);
	result_row(&r);
	ck_assert_int_eq(rows_end(&r), 0);
	rows_start(&r, RT_RESULT);
	rows_int(&r, 1);
	ck_assert_int_eq(rows_end(&r), -1);
	ck_assert_uint_eq(r.nrows[RT_RESULT], 1);
	ck_assert_uint_eq(r.total, 1);
	/* the dropped row left nothing behind */
	ck_assert_ptr_null(memchr(r.t[RT_RESULT].p, '\n',
	    r.t[RT_RESULT].len - 1));
	rows_release(&r);
}
END_TEST

START_TEST(test_serialize_roundtrip)
{
	struct rows a, b;
	char *s = NULL, err[128];
	size_t len = 0;

	rows_init(&a);
	rows_init(&b);
	for (int i = 0; i < 3; i++) {
		result_row(&a);
		ck_assert_int_eq(rows_end(&a), 0);
	}
	rows_start(&a, RT_POWER);
	rows_str(&a, "n1");
	rows_time_ms(&a, 0);
	rows_bool(&a, 0);
	ck_assert_int_eq(rows_end(&a), 0);
	ck_assert_int_eq(rows_serialize(&a, &s, &len), 0);
	/* the byte string has no terminator: add one for strstr below */
	s = realloc(s, len + 1);
	ck_assert_ptr_nonnull(s);
	s[len] = '\0';
	ck_assert_int_eq(rows_parse(&b, s, len, err, sizeof(err)), 0);
	ck_assert_uint_eq(b.total, 4);
	ck_assert_uint_eq(b.nrows[RT_RESULT], 3);
	ck_assert_uint_eq(b.nrows[RT_POWER], 1);
	ck_assert_uint_eq(b.t[RT_RESULT].len, a.t[RT_RESULT].len);
	ck_assert_int_eq(memcmp(b.t[RT_RESULT].p, a.t[RT_RESULT].p,
	    a.t[RT_RESULT].len), 0);

	/* every truncation is refused, never over-read */
	for (size_t cut = 0; cut < len; cut++) {
		int rc = rows_parse(&b, s, cut, err, sizeof(err));

		/* a cut exactly between tables is a valid shorter batch */
		if (rc == 0)
			ck_assert_uint_lt(b.total, 4);
	}
	/* a lying byte count */
	{
		char *bad = malloc(len + 1);

		ck_assert_ptr_nonnull(bad);
		memcpy(bad, s, len + 1);
		char *at = strstr(bad, "@result 3 ");

		ck_assert_ptr_nonnull(at);
		at[8] = '4';
		ck_assert_int_eq(rows_parse(&b, bad, len, err, sizeof(err)),
		    -1);
		free(bad);
	}
	ck_assert_int_eq(rows_parse(&b, "junk", 4, err, sizeof(err)), -1);
	free(s);
	rows_release(&a);
	rows_release(&b);
}
END_TEST

static Suite *
rows_suite(void)
{
	Suite *s = suite_create("rows");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_bytea_double);
	tcase_add_test(tc, test_wrong_field_count_dropped);
	tcase_add_test(tc, test_serialize_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rows_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
