/*
 * collector/sdrcache: the on-disk SDR cache.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
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

/* dir/name last used age seconds before now */
static void
set_age(const char *name, time_t now, long age)
{
	char path[600];
	struct timespec ts[2];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ts[0].tv_sec = ts[1].tv_sec = now - age;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

/* a file of len bytes at dir/name, last used age seconds before now */
static void
put_file(const char *name, size_t len, time_t now, long age)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	for (size_t i = 0; i < len; i++)
		fputc('x', f);
	ck_assert_int_eq(fclose(f), 0);
	set_age(name, now, age);
}

static int
exists(const char *name)
{
	char path[600];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

static int
count_entries(void)
{
	char cmd[400];
	FILE *p;
	int n;

	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -c '\\.sdr$'", dir);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	ck_assert_int_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

/* only our names: entries and their temporary files */
START_TEST(test_name_kind)
{
	char name[160];

	sdrcache_name(&key, name, sizeof(name));
	ck_assert_str_eq(name, "674-256-4.40-01020304-57-1593835520-0.sdr");
	ck_assert_int_eq(sdrcache_name_kind(name), 1);
	ck_assert_int_eq(sdrcache_name_kind("0-0-0.00-00000000-0-0-0.sdr"), 1);
	ck_assert_int_eq(sdrcache_name_kind(
	    "4294967295-65535-255.255-ffffffff-65535-4294967295-0.sdr"), 1);
	ck_assert_int_eq(sdrcache_name_kind(
	    "674-256-4.40-01020304-57-0-0.sdr.tmp.aZ09xy"), 2);
	ck_assert_int_eq(sdrcache_name_kind(
	    "674-256-4.40-01020304-57-0-0.sdr.tmp.aZ09x"), 0);
	ck_assert_int_eq(sdrcache_name_kind(
	    "674-256-4.40-01020304-57-0-0.sdr.tmp.aZ09xyz"), 0);
	ck_assert_int_eq(sdrcache_name_kind("notes.sdr"), 0);
	ck_assert_int_eq(sdrcache_name_kind(".sdr"), 0);
	ck_assert_int_eq(sdrcache_name_kind("674-256-4.40-0102030-57-0-0.sdr"),
	    0);
	ck_assert_int_eq(sdrcache_name_kind(
	    "674-256-4.40-01020304-57-0-0.sdr.bak"), 0);
	ck_assert_int_eq(sdrcache_name_kind(
	    "674-256-4.40-01020304-57-0-0-1.sdr"), 0);
	ck_assert_int_eq(sdrcache_name_kind(
	    "x674-256-4.40-01020304-57-0-0.sdr"), 0);
	ck_assert_int_eq(sdrcache_name_kind(""), 0);
}
END_TEST

/*
 * bounded: a churning BMC's keys do not fill the disk, but a store does
 * not scan the directory: the run prunes once, at its end; used ones stay
 */
START_TEST(test_bounded)
{
	uint8_t rec[16] = { 1 }, *got;
	size_t len;
	struct sdr_repo_id k = key;
	char name[160];
	time_t now = time(NULL);

	for (int i = 0; i < SDRCACHE_MAX_ENTRIES + 40; i++) {
		k.add_ts = (uint32_t)i;
		ck_assert_int_eq(sdrcache_store(dir, &k, rec, sizeof(rec)), 0);
		/* used i seconds after the first: the first is the oldest */
		sdrcache_name(&k, name, sizeof(name));
		set_age(name, now, 3600 - i);
	}
	ck_assert_int_eq(count_entries(), SDRCACHE_MAX_ENTRIES + 40);
	/* the first one, used again: kept over newer ones */
	k.add_ts = 0;
	ck_assert_int_eq(sdrcache_load(dir, &k, &got, &len), 0);
	free(got);
	ck_assert_int_eq(sdrcache_prune(dir, &sdrcache_limits_default, now),
	    40);
	ck_assert_int_eq(count_entries(), SDRCACHE_MAX_ENTRIES);
	ck_assert_int_eq(sdrcache_load(dir, &k, &got, &len), 0);
	free(got);
	/* the least recently used went: 1 to 40; 41 stays */
	k.add_ts = 1;
	sdrcache_name(&k, name, sizeof(name));
	ck_assert(!exists(name));
	k.add_ts = 40;
	sdrcache_name(&k, name, sizeof(name));
	ck_assert(!exists(name));
	k.add_ts = 41;
	sdrcache_name(&k, name, sizeof(name));
	ck_assert(exists(name));
	/* within the bounds: nothing more */
	ck_assert_int_eq(sdrcache_prune(dir, &sdrcache_limits_default, now),
	    0);
}
END_TEST

/*
 * Unused for 30 days: gone; a store's leftover: gone after an hour; then
 * the size bound, oldest first.  What is not ours (another name, a
 * symbolic link, a directory) stays, however old.
 */
START_TEST(test_prune_age_size_and_not_ours)
{
	const struct sdrcache_limits small = { SDRCACHE_MAX_AGE_S, 0, 2500 };
	const long day = 24 * 3600;
	time_t now = time(NULL);
	char path[600], target[600];

	ck_assert_int_eq(mkdir(dir, 0700), 0);
	put_file("1-1-1.00-00000000-1-1-1.sdr", 1000, now, 31 * day);
	put_file("1-1-1.00-00000000-1-1-2.sdr", 1000, now, 30 * day + 60);
	put_file("1-1-1.00-00000000-1-1-3.sdr", 1000, now, 29 * day);
	put_file("1-1-1.00-00000000-1-1-4.sdr", 1000, now, 2 * day);
	put_file("1-1-1.00-00000000-1-1-5.sdr", 1000, now, 60);
	put_file("1-1-1.00-00000000-1-1-5.sdr.tmp.Ab12cd", 10, now, 7200);
	put_file("1-1-1.00-00000000-1-1-5.sdr.tmp.Ef34gh", 10, now, 60);
	/* not ours */
	put_file("notes.sdr", 5000, now, 400 * day);
	put_file("README", 5000, now, 400 * day);
	put_file("1-1-1.00-00000000-1-1-6.sdr.old", 5000, now, 400 * day);
	snprintf(path, sizeof(path), "%s/1-1-1.00-00000000-1-1-7.sdr", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	put_file("victim", 10, now, 400 * day);
	snprintf(target, sizeof(target), "%s/victim", dir);
	snprintf(path, sizeof(path), "%s/1-1-1.00-00000000-1-1-8.sdr", dir);
	ck_assert_int_eq(symlink(target, path), 0);

	/* 2 too old, the old leftover, then 3000 > 2500 bytes: entry 3 */
	ck_assert_int_eq(sdrcache_prune(dir, &small, now), 4);
	ck_assert(!exists("1-1-1.00-00000000-1-1-1.sdr"));
	ck_assert(!exists("1-1-1.00-00000000-1-1-2.sdr"));
	ck_assert(!exists("1-1-1.00-00000000-1-1-3.sdr"));
	ck_assert(exists("1-1-1.00-00000000-1-1-4.sdr"));
	ck_assert(exists("1-1-1.00-00000000-1-1-5.sdr"));
	ck_assert(!exists("1-1-1.00-00000000-1-1-5.sdr.tmp.Ab12cd"));
	ck_assert(exists("1-1-1.00-00000000-1-1-5.sdr.tmp.Ef34gh"));
	ck_assert(exists("notes.sdr"));
	ck_assert(exists("README"));
	ck_assert(exists("1-1-1.00-00000000-1-1-6.sdr.old"));
	ck_assert(exists("1-1-1.00-00000000-1-1-7.sdr"));
	ck_assert(exists("1-1-1.00-00000000-1-1-8.sdr"));
	ck_assert(exists("victim"));
	/* the count bound alone */
	ck_assert_int_eq(sdrcache_prune(dir, &(const struct sdrcache_limits){
	    0, 1, 0 }, now), 1);
	ck_assert(!exists("1-1-1.00-00000000-1-1-4.sdr"));
	ck_assert(exists("1-1-1.00-00000000-1-1-5.sdr"));
	/* no limits: nothing goes */
	put_file("1-1-1.00-00000000-1-1-9.sdr", 1000, now, 999 * day);
	ck_assert_int_eq(sdrcache_prune(dir, &(const struct sdrcache_limits){
	    0, 0, 0 }, now), 0);
	ck_assert(exists("1-1-1.00-00000000-1-1-9.sdr"));
}
END_TEST

/* a directory others may write to is not read, let alone pruned */
START_TEST(test_prune_unsafe_dir)
{
	time_t now = time(NULL);

	ck_assert_int_eq(mkdir(dir, 0700), 0);
	put_file("1-1-1.00-00000000-1-1-1.sdr", 10, now, 400 * 24 * 3600);
	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(sdrcache_prune(dir, &sdrcache_limits_default, now),
	    -1);
	ck_assert(exists("1-1-1.00-00000000-1-1-1.sdr"));
	ck_assert_int_eq(chmod(dir, 0700), 0);
	ck_assert_int_eq(sdrcache_prune(dir, &sdrcache_limits_default, now),
	    1);
	/* no directory: -1, as a cache never made */
	ck_assert_int_eq(sdrcache_prune("/nonexistent/bmcfleet-sdr",
	    &sdrcache_limits_default, now), -1);
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
	tcase_add_test(tc, test_name_kind);
	tcase_add_test(tc, test_bounded);
	tcase_add_test(tc, test_prune_age_size_and_not_ours);
	tcase_add_test(tc, test_prune_unsafe_dir);
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
