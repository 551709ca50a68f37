/*
 * collector/hostprof: the per-BMC profiles direct mode and the collector
 * keep beside the SDR cache.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/hostprof.h"
#include "ipmi/session.h"
#include "ckmain.h"

static char dir[256];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/bmcfleet-hostprof-test.%ld/profile",
	    (long)getpid());
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '/tmp/bmcfleet-hostprof-test.%ld'",
	    (long)getpid());
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_name)
{
	char n[256];

	ck_assert_int_eq(hostprof_name("127.0.166.1", 623, n, sizeof(n)), 0);
	ck_assert_str_eq(n, "127.0.166.1-623");
	ck_assert_int_eq(hostprof_name("BMC7.Example", 6230, n, sizeof(n)),
	    0);
	ck_assert_str_eq(n, "bmc7.example-6230");
	/* no '/' or ':' in a file name; '_' escaped too, so no clash */
	ck_assert_int_eq(hostprof_name("fe80::1", 623, n, sizeof(n)), 0);
	ck_assert_str_eq(n, "fe80_3a_3a1-623");
	ck_assert_int_eq(hostprof_name("../x_", 623, n, sizeof(n)), 0);
	ck_assert_str_eq(n, ".._2fx_5f-623");
	ck_assert_int_eq(hostprof_name("", 623, n, sizeof(n)), -1);
	ck_assert_int_eq(hostprof_name("abc", 623, n, 6), -1);
}
END_TEST

START_TEST(test_round_trip)
{
	struct ipmi_session_info in = { 0 };
	struct hostprof p, q;
	uint8_t guid[16];
	char text[HOSTPROF_MAX_BYTES + 1], why[256];
	size_t n;

	for (int i = 0; i < 16; i++)
		guid[i] = (uint8_t)(i * 17);
	in.cipher_suite = 3;
	in.suites_listed = 0;
	in.priv = 4;
	ck_assert_int_eq(hostprof_from_info(&p, &in, IPMI_SESS_WA_SUN20 |
	    IPMI_SESS_INSECURE, guid, "collector", 1700000000), 0);
	ck_assert_int_eq(p.listed, 0);
	ck_assert_uint_eq(p.quirks, HOSTPROF_Q_NO_SUITE_LIST);
	ck_assert_uint_eq(p.workarounds, IPMI_SESS_WA_SUN20);
	n = hostprof_format(&p, "Bmc1", 623, text, sizeof(text));
	ck_assert_uint_gt(n, 0);
	ck_assert_ptr_null(strstr(text, "Bmc1"));	/* lower-cased */
	ck_assert_int_eq(hostprof_parse(text, n, "bmc1", 623, 0, &q, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(q.suite, 3);
	ck_assert_int_eq(q.listed, 0);
	ck_assert_uint_eq(q.priv, 4);
	ck_assert_uint_eq(q.quirks, HOSTPROF_Q_NO_SUITE_LIST);
	ck_assert_uint_eq(q.workarounds, IPMI_SESS_WA_SUN20);
	ck_assert_int_eq(q.have_guid, 1);
	ck_assert_mem_eq(q.guid, guid, 16);
	ck_assert_int_eq(q.learned, 1700000000);
	ck_assert_str_eq(q.by, "collector");
	/* another host's file is not this host's */
	ck_assert_int_eq(hostprof_parse(text, n, "bmc1", 624, 0, &q, why,
	    sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "not this one"));
	/* v1.5 (no suite): nothing to keep */
	in.cipher_suite = -1;
	ck_assert_int_eq(hostprof_from_info(&p, &in, 0, NULL, "direct", 1),
	    -1);
}
END_TEST

static int
parse(const char *text, int insecure, char *why, size_t len)
{
	struct hostprof p;

	return hostprof_parse(text, strlen(text), "h", 623, insecure, &p, why,
	    len);
}

#define BASE "version 1\nhost h:623\nsuite_from list\nlearned 5\n"

START_TEST(test_parse_refuses)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ BASE "cipher_suite 0\n", "insecure" },
		{ BASE "cipher_suite 1\n", "insecure" },
		{ BASE "cipher_suite 20\n", "unknown" },
		{ BASE "cipher_suite 9\n", "unknown" },	/* not supported */
		{ BASE "cipher_suite -3\n", "unknown" },
		{ BASE "cipher_suite 17\ncipher_suite 3\n", "twice" },
		{ BASE "cipher_suite 17\npassword x\n", "unknown key" },
		{ BASE "cipher_suite 17\nprivilege 9\n", "out of range" },
		{ BASE "cipher_suite 17\nquirks no-such\n", "unknown" },
		{ BASE "cipher_suite 17\nworkarounds nope\n", "unknown" },
		{ BASE "cipher_suite 17\nguid 00zz\n", "hex" },
		{ BASE "cipher_suite 17", "newline" },
		{ "version 2\nhost h:623\ncipher_suite 17\n", "version" },
		{ "version 1\nhost h:623\nsuite_from list\ncipher_suite 17\n",
		    "no 'learned'" },
		{ BASE, "no 'cipher_suite'" },
		{ BASE "cipher_suite 17 \n", "unknown" },
		{ BASE "cipher_suite\n", "no value" },
	};
	char why[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		ck_assert_msg(parse(bad[i].text, 0, why, sizeof(why)) == -1,
		    "case %zu accepted", i);
		ck_assert_msg(strstr(why, bad[i].why) != NULL,
		    "case %zu: '%s' lacks '%s'", i, why, bad[i].why);
	}
	/* the run's --insecure lets a file's suite 0 through, as -C 0 */
	ck_assert_int_eq(parse(BASE "cipher_suite 0\n", 1, why, sizeof(why)),
	    0);
	ck_assert_int_eq(parse(BASE "cipher_suite 17\n", 0, why, sizeof(why)),
	    0);
}
END_TEST

START_TEST(test_store_load)
{
	struct ipmi_session_info in = { 0 };
	struct hostprof p, q;
	char path[400], why[600];
	struct stat st;
	FILE *f;

	in.cipher_suite = 17;
	in.suites_listed = 1;
	ck_assert_int_eq(hostprof_load(dir, "10.0.0.1", 623, 0, &q, why,
	    sizeof(why)), 1);
	ck_assert_int_eq(hostprof_from_info(&p, &in, 0, NULL, "direct", 9), 0);
	ck_assert_int_eq(hostprof_store(dir, "10.0.0.1", 623, &p), 0);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	snprintf(path, sizeof(path), "%s/10.0.0.1-623", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(hostprof_load(dir, "10.0.0.1", 623, 0, &q, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(q.suite, 17);
	ck_assert_int_eq(q.listed, 1);

	/* writable by others: not trusted */
	ck_assert_int_eq(chmod(path, 0622), 0);
	ck_assert_int_eq(hostprof_load(dir, "10.0.0.1", 623, 0, &q, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(q.suite, -1);
	ck_assert_int_eq(chmod(path, 0600), 0);
	/* a symlink is not followed */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink("/etc/hostname", path), 0);
	ck_assert_int_eq(hostprof_load(dir, "10.0.0.1", 623, 0, &q, why,
	    sizeof(why)), -1);
	/* a store replaces it, atomically, and does not write through it */
	ck_assert_int_eq(hostprof_store(dir, "10.0.0.1", 623, &p), 0);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	/* too long */
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	for (int i = 0; i < 200; i++)
		fputs("# padding\n", f);
	fclose(f);
	ck_assert_int_eq(hostprof_load(dir, "10.0.0.1", 623, 0, &q, why,
	    sizeof(why)), -1);
	hostprof_forget(dir, "10.0.0.1", 623);
	ck_assert_int_eq(hostprof_load(dir, "10.0.0.1", 623, 0, &q, why,
	    sizeof(why)), 1);
	/* a directory others may write to is not read */
	ck_assert_int_eq(hostprof_store(dir, "10.0.0.1", 623, &p), 0);
	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(hostprof_load(dir, "10.0.0.1", 623, 0, &q, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(hostprof_store(dir, "10.0.0.1", 623, &p), -1);
}
END_TEST

static Suite *
hostprof_suite(void)
{
	Suite *s = suite_create("hostprof");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_name);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_parse_refuses);
	tcase_add_test(tc, test_store_load);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(hostprof_suite());
}
