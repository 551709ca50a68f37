/* test_sweepwhy: why bmcfleetd's sweep touched no host, in words. */
#include <check.h>
#include <string.h>

#include "cli/sweepwhy.h"
#include "tests/unit/ckmain.h"

static const char *
why(const struct sweep_idle *w)
{
	static char buf[512];

	(void)sweep_idle_reason(w, buf, sizeof(buf));
	return buf;
}

START_TEST(no_hosts)
{
	struct sweep_idle w;

	memset(&w, 0, sizeof(w));
	ck_assert_str_eq(why(&w), "no hosts in the config (or none left by "
	    "its TARGETS)");
}
END_TEST

START_TEST(not_due)
{
	struct sweep_idle w;

	memset(&w, 0, sizeof(w));
	w.hosts = 20;
	w.known = 1;
	w.not_due = 20;
	w.next_ms = 249001;
	ck_assert_str_eq(why(&w), "not due: next in 4m10s (20 hosts swept "
	    "this interval)");
}
END_TEST

START_TEST(leased)
{
	struct sweep_idle w;

	memset(&w, 0, sizeof(w));
	w.hosts = 3;
	w.known = 1;
	w.leased = 3;
	strcpy(w.holder, "web7:4242");
	ck_assert_str_eq(why(&w), "leased by another collector, web7:4242 "
	    "(3 hosts)");
	w.holder[0] = '\0';
	w.leased = 1;
	w.not_due = 2;
	w.next_ms = 1500;	/* to the second, up */
	ck_assert_str_eq(why(&w), "not due: next in 2s (2 hosts swept "
	    "this interval); leased by another collector (1 host)");
}
END_TEST

START_TEST(resting_and_rest)
{
	struct sweep_idle w;

	memset(&w, 0, sizeof(w));
	w.hosts = 5;
	w.resting = 2;
	w.retry_ms = 30000;
	w.known = 1;
	w.not_due = 1;
	w.next_ms = 60000;
	/* two hosts nobody can say anything about */
	ck_assert_str_eq(why(&w), "not due: next in 1m (1 host swept this "
	    "interval); backing off after failures: next try in 30s (2 "
	    "hosts); 2 hosts not accounted for (claimed by another "
	    "collector just now?)");
	/* the database away: what the back-off knows, and that */
	memset(&w, 0, sizeof(w));
	w.hosts = 2;
	w.resting = 2;
	w.retry_ms = 1000;
	w.db_away = 1;
	ck_assert_str_eq(why(&w), "backing off after failures: next try in "
	    "1s (2 hosts); the database is away");
	memset(&w, 0, sizeof(w));
	w.hosts = 2;
	w.resting = 2;
	w.retry_ms = 1000;
	ck_assert_str_eq(why(&w), "backing off after failures: next try in "
	    "1s (2 hosts)");
}
END_TEST

START_TEST(stopping_spool_missing)
{
	struct sweep_idle w;
	char small[8];

	memset(&w, 0, sizeof(w));
	w.hosts = 4;
	w.stopping = 1;
	ck_assert_str_eq(why(&w), "stopping");
	w.stopping = 0;
	w.spool_failed = 1;
	ck_assert_str_eq(why(&w), "the spool refuses rows: nothing more is "
	    "read");
	w.spool_failed = 0;
	w.known = 1;
	w.missing = 4;
	ck_assert_str_eq(why(&w), "not in the database yet (4 hosts): the "
	    "fleet rows were not written");
	/* cut, terminated, the length it needed */
	ck_assert_uint_eq(sweep_idle_reason(&w, small, sizeof(small)),
	    strlen(why(&w)));
	ck_assert_str_eq(small, "not in ");
}
END_TEST

static Suite *
sweepwhy_suite(void)
{
	Suite *s = suite_create("sweepwhy");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, no_hosts);
	tcase_add_test(tc, not_due);
	tcase_add_test(tc, leased);
	tcase_add_test(tc, resting_and_rest);
	tcase_add_test(tc, stopping_spool_missing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(sweepwhy_suite());
}
