#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "scheduler/exec.h"
#include "tests/unit/ckmain.h"

/* the body as bmcfleet has always sent it, for plain words */
START_TEST(body_plain)
{
	char *b;

	ck_assert_ptr_nonnull(b = exec_notify_body("plan-start", 42,
	    "running", "alice", NULL, NULL));
	ck_assert_str_eq(b, "{\"event\": \"plan-start\", \"plan\": 42, "
	    "\"state\": \"running\", \"by\": \"alice\"}");
	free(b);
	ck_assert_ptr_nonnull(b = exec_notify_body("plan-pause", 7, "paused",
	    "ops@host", "racks-1", "3 of 10 failed"));
	ck_assert_str_eq(b, "{\"event\": \"plan-pause\", \"plan\": 7, "
	    "\"state\": \"paused\", \"by\": \"ops@host\", \"stage\": "
	    "\"racks-1\", \"reason\": \"3 of 10 failed\"}");
	free(b);
}
END_TEST

/*
 * who and the stage went into the body unescaped: a quote in either made
 * the receiver's JSON parser refuse the notification (or read other
 * fields); the reason lost its quotes, backslashes and controls
 */
START_TEST(body_escaped)
{
	char *b;

	ck_assert_ptr_nonnull(b = exec_notify_body("plan-abort", 1,
	    "aborted", "eve\", \"admin\": true, \"x\": \"", "st\"age\\1",
	    "host \"r1n2\" said:\n\tC:\\fail"));
	ck_assert_str_eq(b, "{\"event\": \"plan-abort\", \"plan\": 1, "
	    "\"state\": \"aborted\", \"by\": \"eve\\\", \\\"admin\\\": true, "
	    "\\\"x\\\": \\\"\", \"stage\": \"st\\\"age\\\\1\", \"reason\": "
	    "\"host \\\"r1n2\\\" said:\\u000a\\u0009C:\\\\fail\"}");
	free(b);
	/* a name that is not UTF-8 still makes valid JSON */
	ck_assert_ptr_nonnull(b = exec_notify_body("plan-done", 2, "done",
	    "j\xf6rg", NULL, NULL));
	ck_assert_str_eq(b, "{\"event\": \"plan-done\", \"plan\": 2, "
	    "\"state\": \"done\", \"by\": \"j\xef\xbf\xbdrg\"}");
	free(b);
	ck_assert_ptr_nonnull(b = exec_notify_body("plan-done", -1, "done",
	    NULL, NULL, NULL));
	ck_assert_str_eq(b, "{\"event\": \"plan-done\", \"plan\": -1, "
	    "\"state\": \"done\", \"by\": null}");
	free(b);
}
END_TEST

/* a long reason is sent whole (the old body stopped at 1 KiB) */
START_TEST(body_long_reason)
{
	char reason[3000], want[3100], *b;
	size_t i;

	for (i = 0; i < sizeof(reason) - 1; i++)
		reason[i] = (char)('a' + i % 26);
	reason[sizeof(reason) - 1] = '\0';
	ck_assert_ptr_nonnull(b = exec_notify_body("plan-fail", 3, "failed",
	    "bob", NULL, reason));
	snprintf(want, sizeof(want), "{\"event\": \"plan-fail\", \"plan\": 3, "
	    "\"state\": \"failed\", \"by\": \"bob\", \"reason\": \"%s\"}",
	    reason);
	ck_assert_str_eq(b, want);
	free(b);
}
END_TEST

static Suite *
exec_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("exec");
	tc = tcase_create("notify");
	tcase_add_test(tc, body_plain);
	tcase_add_test(tc, body_escaped);
	tcase_add_test(tc, body_long_reason);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(exec_suite());
}
