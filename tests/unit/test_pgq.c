/*
 * pgq: the loop goes on while the database is awaited, a silent database
 * ends at the deadline, the stop flag ends the wait.  A peer that accepts
 * TCP and never says a word stands for a partitioned database; with
 * BMCFLEET_TEST_PG set to a conninfo (tests/integration/pgq.sh starts a
 * PostgreSQL for it) the same holds against a real server: results come
 * back, a query that outlasts its deadline is abandoned.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "lib/loop.h"
#include "silent.h"
#include "store/pgq.h"

struct ticker {
	struct loop_timer t;
	int		 n;
	int		 stop_at;	/* set *flag at this tick, 0: never */
	volatile int	*flag;
};

static void
on_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct ticker *k = arg;

	if (++k->n == k->stop_at && k->flag != NULL) {
		*k->flag = 1;
		loop_stop(l);
	}
	loop_timer_set(l, t, loop_now(l) + 10);
}

START_TEST(silent_server_times_out_loop_served)
{
	struct pgq_wait w = { .timeout_ms = 400 };
	struct ticker k = { .n = 0 };
	struct loop *l;
	char ci[128], err[256];
	PGconn *c = (PGconn *)1;
	uint64_t t0, took;
	int s, port;

	ck_assert_ptr_nonnull(l = loop_new());
	s = silent_listener(&port);
	snprintf(ci, sizeof(ci), "host=127.0.0.1 port=%d dbname=x user=x "
	    "connect_timeout=30", port);
	loop_timer_init(&k.t, on_tick, &k);
	loop_timer_set(l, &k.t, loop_now(l) + 10);
	t0 = loop_now(l);
	ck_assert_int_eq(pgq_connect(l, ci, &w, &c, err, sizeof(err)), -1);
	took = loop_now(l) - t0;
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(err, "no answer in 0.4 s") != NULL, "%s", err);
	ck_assert_uint_ge(took, 390);
	ck_assert_uint_lt(took, 2000);
	/* the loop's own timers went on meanwhile (every 10 ms) */
	ck_assert_int_ge(k.n, 10);
	ck_assert_uint_lt(loop_stall_take(l), 100 * 1000);
	loop_timer_cancel(l, &k.t);
	ck_assert_uint_eq(loop_nfds(l), 0);	/* nothing left registered */
	close(s);
	loop_free(l);
}
END_TEST

START_TEST(stop_flag_ends_wait)
{
	volatile int stop = 0;
	struct pgq_wait w = { .timeout_ms = 10000, .stop = &stop };
	struct ticker k = { .stop_at = 5, .flag = &stop };
	struct loop *l;
	char ci[128], err[256];
	PGconn *c;
	uint64_t t0;
	int s, port;

	ck_assert_ptr_nonnull(l = loop_new());
	s = silent_listener(&port);
	snprintf(ci, sizeof(ci), "host=127.0.0.1 port=%d dbname=x user=x",
	    port);
	loop_timer_init(&k.t, on_tick, &k);
	loop_timer_set(l, &k.t, loop_now(l) + 10);
	t0 = loop_now(l);
	ck_assert_int_eq(pgq_connect(l, ci, &w, &c, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "stopped") != NULL, "%s", err);
	ck_assert_uint_lt(loop_now(l) - t0, 1000);
	/* already set: no wait at all */
	ck_assert_int_eq(pgq_connect(l, ci, &w, &c, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "stopped") != NULL, "%s", err);
	loop_timer_cancel(l, &k.t);
	close(s);
	loop_free(l);
}
END_TEST

START_TEST(refused_said)
{
	struct pgq_wait w = { .timeout_ms = 3000 };
	struct loop *l;
	char ci[128], err[256];
	PGconn *c;
	int s, port;

	ck_assert_ptr_nonnull(l = loop_new());
	s = silent_listener(&port);
	close(s);	/* nobody listens there now */
	snprintf(ci, sizeof(ci), "host=127.0.0.1 port=%d dbname=x user=x",
	    port);
	ck_assert_int_eq(pgq_connect(l, ci, &w, &c, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "refused") != NULL, "%s", err);
	ck_assert_uint_eq(loop_nfds(l), 0);
	loop_free(l);
}
END_TEST

/* --- pgq_async -------------------------------------------------------- */

struct answers {
	int		 n, failed;
	char		 err[256];
	struct loop	*l;
	int		 stop_at;
};

static void
on_answer(void *arg, struct pg_result *res, const char *err)
{
	struct answers *a = arg;

	a->n++;
	if (res == NULL) {
		a->failed++;
		snprintf(a->err, sizeof(a->err), "%s", err != NULL ? err : "");
	}
	PQclear(res);
	if (a->n == a->stop_at)
		loop_stop(a->l);
}

/* A refused connection fails the query from the loop, never from the
 * caller's stack; the next, in the retry pause, fails the same way. */
START_TEST(async_refused_from_loop)
{
	struct answers a = { .stop_at = 1 };
	struct pgq_async *q;
	struct loop_timer guard;
	char ci[128];
	int s, port;

	ck_assert_ptr_nonnull(a.l = loop_new());
	s = silent_listener(&port);
	close(s);
	snprintf(ci, sizeof(ci), "host=127.0.0.1 port=%d dbname=x user=x",
	    port);
	ck_assert_ptr_nonnull(q = pgq_async_open(a.l, ci));
	ck_assert_int_eq(pgq_async_query(q, "SELECT 1", 0, NULL, on_answer,
	    &a), 0);
	ck_assert_int_eq(a.n, 0);	/* not yet: from the loop */
	loop_timer_init(&guard, on_tick, &(struct ticker){ 0 });
	loop_timer_set(a.l, &guard, loop_now(a.l) + 5000);
	(void)loop_run(a.l);
	ck_assert_int_eq(a.n, 1);
	ck_assert_int_eq(a.failed, 1);
	ck_assert_msg(strstr(a.err, "refused") != NULL, "%s", a.err);
	/* in the retry pause: failed at once, from the loop again */
	a.stop_at = 2;
	ck_assert_int_eq(pgq_async_query(q, "SELECT 1", 0, NULL, on_answer,
	    &a), 0);
	ck_assert_int_eq(a.n, 1);
	(void)loop_run(a.l);
	ck_assert_int_eq(a.failed, 2);
	ck_assert_msg(strstr(a.err, "refused") != NULL, "%s", a.err);
	loop_timer_cancel(a.l, &guard);
	pgq_async_close(q);
	ck_assert_uint_eq(loop_nfds(a.l), 0);
	loop_free(a.l);
}
END_TEST

/* At most PGQ_ASYNC_QUEUE wait; closing answers each of them. */
START_TEST(async_queue_bounded)
{
	struct answers a = { .stop_at = -1 };
	struct pgq_async *q;
	char ci[128];
	int s, port;

	ck_assert_ptr_nonnull(a.l = loop_new());
	s = silent_listener(&port);
	snprintf(ci, sizeof(ci), "host=127.0.0.1 port=%d dbname=x user=x",
	    port);
	ck_assert_ptr_nonnull(q = pgq_async_open(a.l, ci));
	for (int i = 0; i < PGQ_ASYNC_QUEUE; i++)
		ck_assert_int_eq(pgq_async_query(q, "SELECT $1::int", 1,
		    (const char *const[]){ "7" }, on_answer, &a), 0);
	ck_assert_int_eq(pgq_async_query(q, "SELECT 1", 0, NULL, on_answer,
	    &a), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(loop_run_once(a.l, 50) >= 0, 1);
	ck_assert_int_eq(a.n, 0);	/* the silent server: nothing yet */
	pgq_async_close(q);
	ck_assert_int_eq(a.n, PGQ_ASYNC_QUEUE);
	ck_assert_int_eq(a.failed, PGQ_ASYNC_QUEUE);
	ck_assert_str_eq(a.err, "closed");
	ck_assert_uint_eq(loop_nfds(a.l), 0);
	close(s);
	loop_free(a.l);
}
END_TEST

/* Against a real PostgreSQL, when the environment names one. */
START_TEST(real_server)
{
	const char *ci = getenv("BMCFLEET_TEST_PG");
	struct pgq_wait w = { .timeout_ms = 5000 };
	struct ticker k = { .n = 0 };
	const char *params[1] = { "41" };
	struct loop *l;
	char err[256];
	PGresult *r;
	PGconn *c;
	int n0;

	if (ci == NULL || *ci == '\0')
		return;	/* tests/integration/pgq.sh runs this part */
	ck_assert_ptr_nonnull(l = loop_new());
	loop_timer_init(&k.t, on_tick, &k);
	loop_timer_set(l, &k.t, loop_now(l) + 10);
	ck_assert_msg(pgq_connect(l, ci, &w, &c, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_ptr_nonnull(r = pgq_exec(l, c, "SELECT $1::int + 1", 1,
	    params, 0, &w, err, sizeof(err)));
	ck_assert_int_eq(PQresultStatus(r), PGRES_TUPLES_OK);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "42");
	PQclear(r);
	/* several statements: the last result */
	ck_assert_ptr_nonnull(r = pgq_exec(l, c, "SELECT 1; SELECT 'two'", 0,
	    NULL, 0, &w, err, sizeof(err)));
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "two");
	PQclear(r);
	/* an error is a result, the connection goes on */
	ck_assert_ptr_nonnull(r = pgq_exec(l, c, "SELECT * FROM no_such", 0,
	    NULL, 0, &w, err, sizeof(err)));
	ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
	PQclear(r);
	/* a query longer than its deadline: abandoned, the loop served */
	w.timeout_ms = 300;
	n0 = k.n;
	ck_assert_ptr_null(pgq_exec(l, c, "SELECT pg_sleep(3)", 0, NULL, 0,
	    &w, err, sizeof(err)));
	ck_assert_msg(strstr(err, "no answer in 0.3 s") != NULL, "%s", err);
	ck_assert_int_ge(k.n - n0, 10);
	PQfinish(c);
	/* pgq_finish: results of a query sent without waiting */
	w.timeout_ms = 5000;
	ck_assert_int_eq(pgq_connect(l, ci, &w, &c, err, sizeof(err)), 0);
	ck_assert_int_eq(PQsendQuery(c, "SELECT 1"), 1);
	ck_assert_int_eq(pgq_finish(l, c, &w, NULL, NULL, err, sizeof(err)),
	    0);
	ck_assert_ptr_nonnull(r = pgq_exec(l, c, "SELECT 2", 0, NULL, 0, &w,
	    err, sizeof(err)));
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "2");
	PQclear(r);
	/* pgq_send, work, pgq_result: the query ran meanwhile; an error
	 * is a result there too, and the next one goes on */
	ck_assert_int_eq(pgq_send(c, "SELECT $1::int * 2", 1, params, 0, err,
	    sizeof(err)), 0);
	ck_assert_ptr_nonnull(r = pgq_result(l, c, &w, err, sizeof(err)));
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "82");
	ck_assert_int_eq(pgq_send(c, "SELECT * FROM no_such", 0, NULL, 0, err,
	    sizeof(err)), 0);
	PQclear(r);	/* the first result outlives the second's send */
	ck_assert_ptr_nonnull(r = pgq_result(l, c, &w, err, sizeof(err)));
	ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
	PQclear(r);
	ck_assert_int_eq(pgq_send(c, "SELECT 'three'", 0, NULL, 0, err,
	    sizeof(err)), 0);
	ck_assert_ptr_nonnull(r = pgq_result(l, c, &w, err, sizeof(err)));
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "three");
	PQclear(r);
	PQfinish(c);
	loop_timer_cancel(l, &k.t);
	ck_assert_uint_eq(loop_nfds(l), 0);
	loop_free(l);
}
END_TEST

static Suite *
pgq_suite(void)
{
	Suite *s = suite_create("pgq");
	TCase *tc = tcase_create("wait");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, silent_server_times_out_loop_served);
	tcase_add_test(tc, stop_flag_ends_wait);
	tcase_add_test(tc, refused_said);
	tcase_add_test(tc, async_refused_from_loop);
	tcase_add_test(tc, async_queue_bounded);
	tcase_add_test(tc, real_server);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pgq_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
