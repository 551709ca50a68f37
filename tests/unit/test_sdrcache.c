/*
 * collector/sdrcache: the on-disk SDR cache.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/sdrcache.h"

static char dir[256];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/bmcfleet-sdrcache-test.%ld",
	    (long)getpid());
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const struct sdr_repo_id key = { 674, 0x0100, 4, 40,
    { 1, 2, 3, 4 }, 57, 0x5f000000, 0 };

START_TEST(test_round_trip_and_key)
{
	uint8_t rec[300], *got;
	size_t len;
	char sub[300];
	struct sdr_repo_id k2 = key;
	struct stat st;

	for (size_t i = 0; i < sizeof(rec); i++)
		rec[i] = (uint8_t)(i * 7);
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	ck_assert_int_eq(sdrcache_load(sub, &key, &got, &len), -1);
	ck_assert_int_eq(sdrcache_store(sub, &key, rec, sizeof(rec)), 0);
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(sdrcache_load(sub, &key, &got, &len), 0);
	ck_assert_uint_eq(len, sizeof(rec));
	ck_assert_mem_eq(got, rec, len);
	free(got);
	/* a repository that changed has another key: a miss */
	k2.add_ts++;
	ck_assert_int_eq(sdrcache_load(sub, &k2, &got, &len), -1);
	k2 = key;
	k2.fw_minor = 41;
	ck_assert_int_eq(sdrcache_load(sub, &k2, &got, &len), -1);
}
END_TEST

START_TEST(test_damaged_entry_is_a_miss_and_removed)
{
	uint8_t rec[64] = { 1, 2, 3 }, *got;
	size_t len;
	char path[600], name[160];
	FILE *f;

	ck_assert_int_eq(sdrcache_store(dir, &key, rec, sizeof(rec)), 0);
	sdrcache_name(&key, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	fseek(f, 20, SEEK_SET);
	fputc(0xff, f);
	fclose(f);
	ck_assert_int_eq(sdrcache_load(dir, &key, &got, &len), -1);
	ck_assert_int_eq(access(path, F_OK), -1);
	/* truncated */
	ck_assert_int_eq(sdrcache_store(dir, &key, rec, sizeof(rec)), 0);
	ck_assert_int_eq(truncate(path, 30), 0);
	ck_assert_int_eq(sdrcache_load(dir, &key, &got, &len), -1);
	/* an empty repository is a valid entry */
	ck_assert_int_eq(sdrcache_store(dir, &key, rec, 0), 0);
	ck_assert_int_eq(sdrcache_load(dir, &key, &got, &len), 0);
	ck_assert_uint_eq(len, 0);
	free(got);
}
END_TEST

START_TEST(test_dir_choice)
{
	char out[256];

	ck_assert_int_eq(sdrcache_dir("/x/y", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "/x/y");
	setenv("BMCFLEET_SDR_CACHE", "/env/dir", 1);
	ck_assert_int_eq(sdrcache_dir(NULL, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "/env/dir");
	unsetenv("BMCFLEET_SDR_CACHE");
	setenv("XDG_CACHE_HOME", "/xdg", 1);
	ck_assert_int_eq(sdrcache_dir(NULL, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "/xdg/bmcfleet/sdr");
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/home/op", 1);
	ck_assert_int_eq(sdrcache_dir(NULL, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "/home/op/.cache/bmcfleet/sdr");
	ck_assert_int_eq(sdrcache_dir("/a-very-long-name", out, 5), -1);
	/* the standard check value of CRC-32 */
	ck_assert_uint_eq(sdrcache_crc32((const uint8_t *)"123456789", 9),
	    0xcbf43926U);
}
END_TEST

/* bounded: a churning BMC's keys do not fill the disk; used ones stay */
START_TEST(test_bounded)
{
	uint8_t rec[16] = { 1 }, *got;
	size_t len;
	struct sdr_repo_id k = key;
	char cmd[400];
	FILE *p;
	int n;

	for (int i = 0; i < SDRCACHE_MAX_ENTRIES + 40; i++) {
		k.add_ts = (uint32_t)i;
		ck_assert_int_eq(sdrcache_store(dir, &k, rec, sizeof(rec)), 0);
		if (i == 200) {
			/* the first one, used again: kept over newer ones */
			struct sdr_repo_id k0 = key;

			k0.add_ts = 0;
			ck_assert_int_eq(sdrcache_load(dir, &k0, &got, &len),
			    0);
			free(got);
		}
	}
	k.add_ts = 0;
	ck_assert_int_eq(sdrcache_load(dir, &k, &got, &len), 0);
	free(got);
	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -c '\\.sdr$'", dir);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	ck_assert_int_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	ck_assert_int_eq(n, SDRCACHE_MAX_ENTRIES);
	/* by hand, to a smaller bound: the just-loaded entry survives */
	ck_assert_int_eq(sdrcache_trim(dir, 1), SDRCACHE_MAX_ENTRIES - 1);
	ck_assert_int_eq(sdrcache_load(dir, &k, &got, &len), 0);
	free(got);
}
END_TEST

static Suite *
sdrcache_suite(void)
{
	Suite *s = suite_create("sdrcache");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_round_trip_and_key);
	tcase_add_test(tc, test_damaged_entry_is_a_miss_and_removed);
	tcase_add_test(tc, test_dir_choice);
	tcase_add_test(tc, test_bounded);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sdrcache_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
