/*
 * fleetstore: the text[] literal every lease and memory query takes, and
 * a store without a database answering FS_GONE at once (the sweep goes
 * on without it).  The queries themselves run against PostgreSQL in
 * tests/integration (collect-200, daemon-cadence, db-silent, db-traps).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "store/fleetstore.h"
#include "lib/loop.h"

static const char *const names[] = { "a", "b\"q", "c\\d", "", "e,f" };

static const char *
at(void *arg, size_t i)
{
	(void)arg;
	return names[i];
}

static const char *
odd(void *arg, size_t i)
{
	(void)arg;
	return i % 2 ? names[i] : NULL;
}

START_TEST(text_array)
{
	char *p;

	ck_assert_ptr_nonnull(p = fs_text_array(5, at, NULL));
	ck_assert_str_eq(p, "{\"a\",\"b\\\"q\",\"c\\\\d\",\"\",\"e,f\"}");
	free(p);
	ck_assert_ptr_nonnull(p = fs_text_array(5, odd, NULL));
	ck_assert_str_eq(p, "{\"b\\\"q\",\"\"}");
	free(p);
	ck_assert_ptr_nonnull(p = fs_text_array(0, at, NULL));
	ck_assert_str_eq(p, "{}");
	free(p);
}
END_TEST

static int logged;

static void
log_line(void *arg, const char *line)
{
	(void)arg;
	(void)line;
	logged++;
}

static int
never(void *arg, const char *key)
{
	(void)arg;
	(void)key;
	return 0;
}

START_TEST(no_database_gone)
{
	struct fleetstore fs;
	struct loop *l;
	char list[16];
	long a, b;
	int v;

	ck_assert_ptr_nonnull(l = loop_new());
	fs_init(&fs, l, 1000, NULL, log_line, NULL);
	ck_assert_int_eq(fs_up(&fs), 0);
	ck_assert_int_eq(fs_schema_version(&fs, &v), FS_GONE);
	ck_assert_int_eq(fs_missing(&fs, "{}", &a, &b, list, sizeof(list)),
	    FS_GONE);
	ck_assert_int_eq(fs_memory(&fs, NULL, NULL), FS_GONE);
	ck_assert_int_eq(fs_sdr_load(&fs, "{}", never, NULL, NULL), FS_GONE);
	ck_assert_int_eq(fs_lease_prepare(&fs), FS_GONE);
	ck_assert_int_eq(fs_lease_claim(&fs, "{}", "h", 10, 0, 1000, NULL,
	    NULL), FS_GONE);
	ck_assert_int_eq(fs_retention(&fs, 30, &v), FS_GONE);
	ck_assert_int_eq(fs_plan_due(&fs), FS_GONE);
	fs_renew(&fs, "h", 1000);
	fs_renew_settle(&fs);
	ck_assert_int_eq(logged, 0);	/* nothing to say: already away */
	fs_close(&fs);
	loop_free(l);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("fleetstore");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, text_array);
	tcase_add_test(tc, no_database_gone);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
