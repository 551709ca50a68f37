/*
 * alertstore against PostgreSQL (BMCFLEET_TEST_PG; tests/integration/pgq.sh
 * runs it): marks queued behind one in flight are sent as they were
 * asked, though the SQL of alertstore_sent and _retry is built in their
 * own stack frames, long gone when their turn comes (a queued query kept
 * a pointer to it: the engine sent whatever the stack held by then, and
 * a mark was lost, its notification sent again).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "lib/loop.h"
#include "store/alertstore.h"
#include "store/db.h"

struct seen {
	enum alertstore_state	 state;
	int			 done, errors;
	char			 err[256];
};

static void
on_state(void *arg, enum alertstore_state st, const char *why)
{
	(void)why;
	((struct seen *)arg)->state = st;
}

static void
on_wake(void *arg)
{
	(void)arg;
}

static void
marked(void *arg, const struct alertstore_res *res, const char *err)
{
	struct seen *sn = arg;

	sn->done++;
	if (res == NULL) {
		sn->errors++;
		snprintf(sn->err, sizeof(sn->err), "%s", err ? err : "?");
	}
}

static void
pg_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);

	ck_assert_msg(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK,
	    "%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
}

static const char *
pg_value(PGconn *c, const char *sql, char *buf, size_t len)
{
	PGresult *r = PQexec(c, sql);

	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) ==
	    1, "%s: %s", sql, PQresultErrorMessage(r));
	snprintf(buf, len, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return buf;
}

/* three marks asked at once: the first goes, the others wait their turn */
static __attribute__((noinline)) void
mark_three(struct alertstore *s, struct seen *sn)
{
	ck_assert_int_eq(alertstore_sent(s, 1, marked, sn), 0);
	ck_assert_int_eq(alertstore_sent(s, 2, marked, sn), 0);
	ck_assert_int_eq(alertstore_retry(s, 3, "HTTP 503", 60000, 3600000,
	    marked, sn), 0);
}

/* the stack where mark_three's callees built their SQL, written over */
static __attribute__((noinline)) void
scribble(void)
{
	volatile char junk[8192];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)('x' + (i % 3));
	(void)junk[0];
}

static int
run_until(struct loop *l, int (*cond)(const struct seen *),
    const struct seen *sn, uint64_t ms)
{
	uint64_t end = loop_now(l) + ms;

	while (!cond(sn)) {
		if (loop_now(l) >= end)
			return 0;
		ck_assert_int_ge(loop_run_once(l, 20), 0);
	}
	return 1;
}

static int
is_up(const struct seen *sn)
{
	return sn->state == ALERTSTORE_UP;
}

static int
three_done(const struct seen *sn)
{
	return sn->done == 3;
}

START_TEST(pg_queued_marks_keep_their_sql)
{
	const char *ci = getenv("BMCFLEET_TEST_PG");
	char admin_ci[1024], dbci[1024], err[512], v[256];
	struct alertstore_ops ops;
	struct alertstore *s;
	struct seen sn;
	struct loop *l;
	PGconn *admin, *c;

	if (ci == NULL || *ci == '\0')
		return;	/* tests/integration/pgq.sh runs this part */
	snprintf(admin_ci, sizeof(admin_ci), "%s", ci);
	ck_assert_msg(db_connect(admin_ci, &admin, err, sizeof(err)) == 0,
	    "%s", err);
	pg_ok(admin, "SET client_min_messages = warning");
	pg_ok(admin, "DROP DATABASE IF EXISTS test_alertstore");
	pg_ok(admin, "CREATE DATABASE test_alertstore");
	PQfinish(admin);
	snprintf(dbci, sizeof(dbci), "%s dbname=test_alertstore", ci);
	ck_assert_msg(db_connect(dbci, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(db_migrate(c, db_schema_dir(), 0, NULL, err,
	    sizeof(err)) == 0, "%s", err);
	pg_ok(c, "INSERT INTO alert_notification (rule, action, kind, source, "
	    "source_id, dedup_key, severity, subject, text, body) SELECT "
	    "'r', 'hook', 'problem', 'sel', i, 'k' || i, 'critical', 's', "
	    "'t', '{}' FROM generate_series(1, 3) i");

	memset(&sn, 0, sizeof(sn));
	memset(&ops, 0, sizeof(ops));
	ops.state = on_state;
	ops.wake = on_wake;
	ops.arg = &sn;
	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_ptr_nonnull(s = alertstore_new(l, dbci, &ops));
	ck_assert(run_until(l, is_up, &sn, 10000));
	mark_three(s, &sn);
	scribble();
	ck_assert(run_until(l, three_done, &sn, 10000));
	ck_assert_msg(sn.errors == 0, "%d failed: %s", sn.errors, sn.err);
	ck_assert_str_eq(pg_value(c, "SELECT string_agg(id || '=' || state || "
	    "'/' || tries || coalesce('/' || last_error, ''), ' ' ORDER BY id) "
	    "FROM alert_notification", v, sizeof(v)),
	    "1=sent/1 2=sent/1 3=queued/1/HTTP 503");
	alertstore_free(s);
	loop_free(l);
	PQfinish(c);
}
END_TEST

static Suite *
alertstore_suite(void)
{
	Suite *su = suite_create("alertstore");
	TCase *tc = tcase_create("postgresql");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pg_queued_marks_keep_their_sql);
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	SRunner *sr = srunner_create(alertstore_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
