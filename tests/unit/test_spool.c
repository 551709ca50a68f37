/* test_spool: durable order, reopen after a crash, the bound, quarantine. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/safefile.h"
#include "collector/spool.h"

static char dir[256];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_spool.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
one_row(struct rows *r, const char *bmc, int on)
{
	rows_start(r, RT_POWER);
	rows_str(r, bmc);
	rows_time_ms(r, 1000);
	rows_bool(r, on);
	ck_assert_int_eq(rows_end(r), 0);
}

START_TEST(test_order_and_reopen)
{
	struct spool s;
	struct rows r;
	char err[256], sub[300];
	uint64_t seq[3];
	FILE *f;

	rows_init(&r);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), 0);
	ck_assert_uint_eq(spool_oldest(&s), 0);
	for (int i = 0; i < 3; i++) {
		rows_reset(&r);
		one_row(&r, i == 0 ? "a" : i == 1 ? "b" : "c", i);
		ck_assert_int_eq(spool_put(&s, &r, &seq[i], err, sizeof(err)),
		    0);
	}
	ck_assert_uint_eq(seq[0], 1);
	ck_assert_uint_eq(seq[2], 3);
	ck_assert_uint_eq(spool_count(&s), 3);
	ck_assert_int_eq(spool_remove(&s, seq[0]), 0);
	spool_close(&s);

	/* a crash mid-write leaves a temporary file: dropped on open */
	snprintf(sub, sizeof(sub), "%s/tmp.0000000000000009", dir);
	ck_assert_ptr_nonnull(f = fopen(sub, "w"));
	fputs("BMCFLEET-BATCH 1\n@power 1 9", f);
	fclose(f);

	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), 0);
	ck_assert_uint_eq(spool_count(&s), 2);
	ck_assert_uint_eq(spool_oldest(&s), 2);
	ck_assert_int_eq(access(sub, F_OK), -1);
	ck_assert_int_eq(spool_load(&s, 2, &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(r.nrows[RT_POWER], 1);
	ck_assert_int_eq(strncmp(r.t[RT_POWER].p, "b\t", 2), 0);
	/* numbering goes on after the highest found */
	rows_reset(&r);
	one_row(&r, "d", 1);
	ck_assert_int_eq(spool_put(&s, &r, &seq[0], err, sizeof(err)), 0);
	ck_assert_uint_eq(seq[0], 4);
	spool_close(&s);
	rows_release(&r);
}
END_TEST

START_TEST(test_bound)
{
	struct spool s;
	struct rows r;
	char err[256];
	uint64_t seq;
	int i;

	rows_init(&r);
	one_row(&r, "a-bmc-with-a-long-name", 1);
	ck_assert_int_eq(spool_open(&s, dir, 200, err, sizeof(err)), 0);
	for (i = 0; i < 10; i++)
		if (spool_put(&s, &r, &seq, err, sizeof(err)) != 0)
			break;
	ck_assert_int_lt(i, 10);
	ck_assert_int_gt(i, 0);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_ptr_nonnull(strstr(err, "full"));
	/* nothing half-written */
	ck_assert_uint_eq(spool_count(&s), (size_t)i);
	ck_assert_uint_le(s.used, 200);
	/* an empty batch costs nothing */
	rows_reset(&r);
	ck_assert_int_eq(spool_put(&s, &r, &seq, err, sizeof(err)), 0);
	ck_assert_uint_eq(seq, 0);
	spool_close(&s);
	rows_release(&r);
}
END_TEST

START_TEST(test_quarantine_and_garbage)
{
	struct spool s;
	struct rows r;
	char err[256], path[300];
	uint64_t seq;
	FILE *f;

	rows_init(&r);
	one_row(&r, "a", 1);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(spool_put(&s, &r, &seq, err, sizeof(err)), 0);
	ck_assert_int_eq(spool_quarantine(&s, seq), 0);
	ck_assert_uint_eq(spool_count(&s), 0);
	snprintf(path, sizeof(path), "%s/failed/%016llu.batch", dir,
	    (unsigned long long)seq);
	ck_assert_int_eq(access(path, F_OK), 0);
	spool_close(&s);

	/* a damaged batch file is reported, not trusted */
	snprintf(path, sizeof(path), "%s/%016d.batch", dir, 7);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("BMCFLEET-BATCH 1\n@power 2 5\na\tb\n", f);
	fclose(f);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), 0);
	ck_assert_uint_eq(spool_oldest(&s), 7);
	ck_assert_int_eq(spool_load(&s, 7, &r, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "0000000000000007.batch"));
	spool_close(&s);
	rows_release(&r);
}
END_TEST

START_TEST(test_one_owner)
{
	struct spool a, b;
	char err[256];

	ck_assert_int_eq(spool_open(&a, dir, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(spool_open(&b, dir, 0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "in use by another collector"));
	spool_close(&a);
	ck_assert_int_eq(spool_open(&b, dir, 0, err, sizeof(err)), 0);
	spool_close(&b);
}
END_TEST

/* a spool directory someone else may write to, or a lock planted as a
 * symlink, is refused, and the symlink's target is left whole */
START_TEST(test_hostile_directory)
{
	struct spool s;
	struct rows r;
	char err[512], lock[300], victim[300], sub[300];
	uint64_t seq;
	FILE *f;
	struct stat st;

	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "writable by others"));
	ck_assert_int_eq(chmod(dir, 0770), 0);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "writable by its group"));
	ck_assert_int_eq(chmod(dir, 0700), 0);

	snprintf(victim, sizeof(victim), "%s/victim", dir);
	ck_assert_ptr_nonnull(f = fopen(victim, "w"));
	fputs("precious\n", f);
	fclose(f);
	snprintf(lock, sizeof(lock), "%s/lock", dir);
	ck_assert_int_eq(symlink(victim, lock), 0);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "symlink"));
	ck_assert_int_eq(stat(victim, &st), 0);
	ck_assert_int_eq(st.st_size, 9);
	ck_assert_int_eq(unlink(lock), 0);

	/* failed/ as a file or a symlink: every quarantine would fail and
	 * the writer stall on the first refused batch; refused at open */
	snprintf(sub, sizeof(sub), "%s/failed", dir);
	ck_assert_int_eq(symlink(victim, sub), 0);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "failed' is not a directory") != NULL,
	    "%s", err);
	ck_assert_int_eq(unlink(sub), 0);
	ck_assert_ptr_nonnull(f = fopen(sub, "w"));
	fclose(f);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "failed' is not a directory") != NULL,
	    "%s", err);
	ck_assert_int_eq(unlink(sub), 0);
	ck_assert_int_eq(mkdir(sub, 0777), 0);
	ck_assert_int_eq(chmod(sub, 0777), 0);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "writable by others") != NULL, "%s", err);
	ck_assert_int_eq(rmdir(sub), 0);

	/* temporaries: unpredictable names, the sequence kept for tracing */
	rows_init(&r);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), 0);
	one_row(&r, "a", 1);
	ck_assert_int_eq(spool_put(&s, &r, &seq, err, sizeof(err)), 0);
	snprintf(sub, sizeof(sub), "%s/%016llu.batch", dir,
	    (unsigned long long)seq);
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	spool_close(&s);
	rows_release(&r);
}
END_TEST

/* Write text to dir/name. */
static void
plant(const char *name, const char *text)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

#define POWER_BATCH	"BMCFLEET-BATCH 1\n@power 1 32\n" \
			"n1\t2026-12-01 00:00:01.000+00\tt\n"

/*
 * Only names spool_put writes are batches: "1.batch" (an operator's
 * rename back from failed/) used to be indexed as batch 1, which
 * spool_load looks for as 0000000000000001.batch: the load failed, the
 * move aside failed, and the writer stalled on it for good.  fuzz_spool
 * found it.
 */
START_TEST(test_foreign_names)
{
	static const char *const foreign[] = { "1.batch", "-1.batch",
		" 0000000000000002.batch", "+0000000000000002.batch",
		"00000000000000003.batch", "0000000000000004.batch.bak",
		"18446744073709551615.batch", "0000000000000000.batch" };
	struct spool s;
	struct rows r;
	char err[256];
	uint64_t seq;
	size_t i;

	for (i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
		plant(foreign[i], POWER_BATCH);
	plant("0000000000000005.batch", POWER_BATCH);
	rows_init(&r);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), 0);
	ck_assert_uint_eq(spool_count(&s), 1);
	ck_assert_uint_eq(spool_oldest(&s), 5);
	ck_assert_int_eq(spool_load(&s, 5, &r, err, sizeof(err)), 0);
	ck_assert_int_eq(spool_remove(&s, 5), 0);
	one_row(&r, "a", 1);
	ck_assert_int_eq(spool_put(&s, &r, &seq, err, sizeof(err)), 0);
	ck_assert_uint_eq(seq, 6);
	spool_close(&s);
	rows_release(&r);
}
END_TEST

START_TEST(test_safefile_tmp)
{
	char pre[300], a[320], b[320];
	int fa, fb;

	snprintf(pre, sizeof(pre), "%s/x.", dir);
	ck_assert_int_ge(fa = safefile_tmp(pre, a, sizeof(a)), 0);
	ck_assert_int_ge(fb = safefile_tmp(pre, b, sizeof(b)), 0);
	ck_assert_str_ne(a, b);
	ck_assert_uint_eq(strlen(a), strlen(pre) + 6);
	close(fa);
	close(fb);
	ck_assert_int_eq(safefile_dir_ok(a, b, sizeof(b)), -1);
	ck_assert_ptr_nonnull(strstr(b, "not a directory"));
	ck_assert_int_eq(safefile_dir_ok(dir, b, sizeof(b)), 0);
}
END_TEST

/*
 * The last 16-digit number: a put past it would write a name the next
 * open does not read back (a batch acknowledged, then lost), so it fails.
 */
START_TEST(test_last_seq)
{
	struct spool s;
	struct rows r;
	char err[256];
	uint64_t seq;

	plant("9999999999999999.batch", POWER_BATCH);
	rows_init(&r);
	one_row(&r, "a", 1);
	ck_assert_int_eq(spool_open(&s, dir, 0, err, sizeof(err)), 0);
	ck_assert_uint_eq(spool_oldest(&s), 9999999999999999ULL);
	ck_assert_int_eq(spool_put(&s, &r, &seq, err, sizeof(err)), -1);
	ck_assert_int_eq(errno, EOVERFLOW);
	ck_assert_uint_eq(spool_count(&s), 1);
	spool_close(&s);
	rows_release(&r);
}
END_TEST

static Suite *
spool_suite(void)
{
	Suite *s = suite_create("spool");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_order_and_reopen);
	tcase_add_test(tc, test_bound);
	tcase_add_test(tc, test_quarantine_and_garbage);
	tcase_add_test(tc, test_one_owner);
	tcase_add_test(tc, test_hostile_directory);
	tcase_add_test(tc, test_safefile_tmp);
	tcase_add_test(tc, test_foreign_names);
	tcase_add_test(tc, test_last_seq);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(spool_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
