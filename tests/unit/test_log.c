#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "tests/unit/ckmain.h"

START_TEST(journal_datagram)
{
	char buf[512];
	size_t n;
	static const char want[] =
	    "PRIORITY=4\nSYSLOG_IDENTIFIER=bmcfleetd\n"
	    "BMC=node042\nERRNO=110\n"
	    "MESSAGE=sweep 3: failed node042: timeout\n";

	/* fields: good keys kept, bad ones dropped (lower case, a leading
	 * underscore is journald's own, no '=', empty) */
	n = log_journal_format(buf, sizeof(buf), LOG_WARNING, "bmcfleetd",
	    "BMC=node042\nbmc=x\n_PID=1\nNOEQUALS\n\nERRNO=110",
	    "sweep 3: failed node042: timeout");
	ck_assert_uint_eq(n, sizeof(want) - 1);
	ck_assert_mem_eq(buf, want, n);
	/* no fields */
	n = log_journal_format(buf, sizeof(buf), LOG_INFO, "x", NULL, "m");
	ck_assert_uint_eq(n, strlen("PRIORITY=6\nSYSLOG_IDENTIFIER=x\n"
	    "MESSAGE=m\n"));
	ck_assert_mem_eq(buf, "PRIORITY=6\nSYSLOG_IDENTIFIER=x\nMESSAGE=m\n",
	    n);
}
END_TEST

START_TEST(journal_binary_value)
{
	char buf[128];
	size_t n, h = strlen("PRIORITY=3\nSYSLOG_IDENTIFIER=d\n");

	/* a newline in the message: the name, a little-endian 64-bit
	 * length, the bytes (systemd.io/JOURNAL_NATIVE_PROTOCOL) */
	n = log_journal_format(buf, sizeof(buf), LOG_ERR, "d", NULL, "a\nbc");
	ck_assert_uint_eq(n, h + 8 + 8 + 4 + 1);
	ck_assert_mem_eq(buf + h, "MESSAGE\n\4\0\0\0\0\0\0\0a\nbc\n", 21);
	/* too small a buffer: the size it needs, nothing past len */
	memset(buf, 'z', sizeof(buf));
	ck_assert_uint_eq(log_journal_format(buf, 10, LOG_ERR, "d", NULL,
	    "a\nbc"), n);
	ck_assert_int_eq(buf[10], 'z');
}
END_TEST

/* stderr into a file while fn runs; its text */
static char *
stderr_of(void (*fn)(void))
{
	static char out[4096];
	FILE *f = tmpfile();
	int keep = dup(STDERR_FILENO);
	size_t n;

	ck_assert_ptr_nonnull(f);
	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(keep, STDERR_FILENO);
	close(keep);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

static void
two_lines(void)
{
	struct stat st;
	char js[64];

	/* JOURNAL_STREAM naming another file: stderr all the same */
	ck_assert_int_eq(stat("/", &st), 0);
	snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", js, 1);
	log_init("bmcfleetd");
	ck_assert_int_eq(log_to_journal(), 0);
	log_msg(LOG_WARNING, "BMC=n1", "sweep %d: failed %s", 2, "n1");
	log_msg(LOG_INFO, NULL, "%s", "stopping: every row written");
	unsetenv("JOURNAL_STREAM");
}

START_TEST(stderr_lines)
{
	/* the lines bmcfleetd always printed: no priority, no fields */
	ck_assert_str_eq(stderr_of(two_lines),
	    "bmcfleetd: sweep 2: failed n1\n"
	    "bmcfleetd: stopping: every row written\n");
}
END_TEST

static void
long_line(void)
{
	static char m[3000];

	memset(m, 'a', sizeof(m) - 1);
	log_init("d");
	log_msg(LOG_INFO, NULL, "%s", m);
}

START_TEST(long_lines_whole)
{
	char *out = stderr_of(long_line);

	/* past the 1 KiB buffer log_msg formats into first, whole */
	ck_assert_uint_eq(strlen(out), strlen("d: ") + 2999 + 1);
	ck_assert_int_eq(out[3 + 2998], 'a');
	ck_assert_int_eq(out[3 + 2999], '\n');
}
END_TEST

static Suite *
log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, journal_datagram);
	tcase_add_test(tc, journal_binary_value);
	tcase_add_test(tc, stderr_lines);
	tcase_add_test(tc, long_lines_whole);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(log_suite());
}
