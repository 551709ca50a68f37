/*
 * dbw: the decisions the database writer makes about a batch.
 *
 * Without a server: the verdict on a failed transaction by SQLSTATE and
 * tries (dbw_verdict), and a connection refused or silent (a peer that
 * accepts TCP and never says a word) losing the connection with the batch
 * kept in the spool.
 *
 * With BMCFLEET_TEST_PG set to a conninfo (tests/integration/dbw.sh
 * starts a PostgreSQL for it), against the real server, each case in a
 * database of its own with bmcfleet's schema: the oldest spooled batch
 * goes first and leaves the spool only after its COMMIT; a server that
 * goes silent mid-batch (its merge waiting on a lock) is dropped at the
 * timeout with the batch kept; a batch refused for its content moves to
 * failed/ and the next goes on, while one refused for a missing table
 * stays; an error of the moment (a trigger raising 40001) is retried 5
 * times, then the batch is set aside.  The server's own counts are the
 * oracle (a sequence, which no rollback undoes, counts the tries).
 */
#include <check.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "collector/dbw.h"
#include "collector/sensorids.h"
#include "collector/sensorids.h"
#include "collector/rows.h"
#include "collector/spool.h"
#include "lib/loop.h"
#include "silent.h"
#include "store/db.h"

/* --- the verdict ------------------------------------------------------ */

START_TEST(verdict_connection_lost)
{
	/* whatever the server said last, a dead connection keeps the batch */
	ck_assert_int_eq(dbw_verdict(1, "", 0), DBW_RECONNECT);
	ck_assert_int_eq(dbw_verdict(1, "23505", 0), DBW_RECONNECT);
	ck_assert_int_eq(dbw_verdict(1, "40001", 9), DBW_RECONNECT);
}
END_TEST

START_TEST(verdict_transient_five_retries)
{
	static const char *const ss[] = {
		"40001", "40P01", "53100", "53200", "57014", "57P01",
		"08006", "08003",
	};

	for (size_t i = 0; i < sizeof(ss) / sizeof(ss[0]); i++) {
		for (unsigned t = 0; t < 5; t++)
			ck_assert_msg(dbw_verdict(0, ss[i], t) == DBW_RETRY,
			    "%s after %u tries", ss[i], t);
		ck_assert_msg(dbw_verdict(0, ss[i], 5) == DBW_REFUSE,
		    "%s after 5 tries", ss[i]);
		ck_assert_msg(dbw_verdict(0, ss[i], 6) == DBW_REFUSE,
		    "%s after 6 tries", ss[i]);
	}
}
END_TEST

START_TEST(verdict_schema_missing_waits)
{
	static const char *const ss[] = {
		"42P01", "42703", "42883", "42704", "3F000",
	};

	for (size_t i = 0; i < sizeof(ss) / sizeof(ss[0]); i++) {
		ck_assert_msg(dbw_verdict(0, ss[i], 0) == DBW_WAIT_SCHEMA,
		    "%s", ss[i]);
		/* no limit: the batch waits for `db migrate` */
		ck_assert_msg(dbw_verdict(0, ss[i], 100) == DBW_WAIT_SCHEMA,
		    "%s", ss[i]);
	}
}
END_TEST

START_TEST(verdict_content_refused)
{
	/* unique and not-null violations, a bad value, a syntax error (class
	 * 42, but not a missing object), no SQLSTATE at all */
	static const char *const ss[] = {
		"23505", "23502", "22007", "22P02", "42601", "42501", "XX000",
		"",
	};

	for (size_t i = 0; i < sizeof(ss) / sizeof(ss[0]); i++)
		ck_assert_msg(dbw_verdict(0, ss[i], 0) == DBW_REFUSE, "'%s'",
		    ss[i]);
}
END_TEST

/* --- helpers ------------------------------------------------------------ */

struct fixture {
	struct loop	*l;
	struct spool	 sp;
	char		 dir[64];
	char		 log[16384];
	size_t		 loglen;
};

static void
log_line(void *arg, const char *line)
{
	struct fixture *f = arg;
	int n;

	n = snprintf(f->log + f->loglen, sizeof(f->log) - f->loglen, "%s\n",
	    line);
	if (n > 0 && (size_t)n < sizeof(f->log) - f->loglen)
		f->loglen += (size_t)n;
}

static int
log_count(const struct fixture *f, const char *what)
{
	const char *p = f->log;
	int n = 0;

	while ((p = strstr(p, what)) != NULL) {
		n++;
		p += strlen(what);
	}
	return n;
}

static void
fixture_open(struct fixture *f)
{
	char err[256];

	memset(f, 0, sizeof(*f));
	ck_assert_ptr_nonnull(f->l = loop_new());
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_dbw.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	ck_assert_msg(spool_open(&f->sp, f->dir, 1 << 20, err, sizeof(err)) ==
	    0, "%s", err);
}

static void
rm_dir(const char *dir)
{
	char p[512];
	struct dirent *e;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (unlink(p) == -1)
			rm_dir(p);
	}
	closedir(d);
	rmdir(dir);
}

static void
fixture_close(struct fixture *f)
{
	spool_close(&f->sp);
	ck_assert_uint_eq(loop_nfds(f->l), 0);
	loop_free(f->l);
	rm_dir(f->dir);
}

/* Batch files (NNNNNNNNNNNNNNNN.batch) in dir/sub ("" for the spool). */
static int
batch_files(const struct fixture *f, const char *sub)
{
	char p[256];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(p, sizeof(p), "%s/%s", f->dir, sub);
	if ((d = opendir(p)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strlen(e->d_name) == 22 &&
		    !strcmp(e->d_name + 16, ".batch"))
			n++;
	closedir(d);
	return n;
}

static int
has_batch(const struct fixture *f, const char *sub, uint64_t seq)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s/%016llu.batch", f->dir, sub,
	    (unsigned long long)seq);
	return access(p, F_OK) == 0;
}

/* A batch of one collection run row; started NULL: a good timestamp. */
static uint64_t
put_run(struct fixture *f, const char *key, const char *started)
{
	struct rows r;
	uint64_t seq;
	char err[256];

	rows_init(&r);
	ck_assert_int_eq(rows_start(&r, RT_RUN), 0);
	rows_str(&r, key);
	rows_str(&r, "test_dbw:1");
	if (started != NULL)
		rows_str(&r, started);
	else
		rows_time_ms(&r, 1700000000000ULL);
	rows_null(&r);		/* finished_at */
	rows_int(&r, 1);	/* targets */
	rows_int(&r, 1);	/* ok */
	rows_int(&r, 0);	/* failed */
	rows_null(&r);		/* summary */
	ck_assert_int_eq(rows_end(&r), 0);
	ck_assert_msg(spool_put(&f->sp, &r, &seq, err, sizeof(err)) == 0, "%s",
	    err);
	rows_release(&r);
	return seq;
}

/* Run the loop until cond holds or ms pass: 1 when it held. */
static int
run_until(struct fixture *f, int (*cond)(void *), void *arg, uint64_t ms)
{
	uint64_t end = loop_now(f->l) + ms;

	while (!cond(arg)) {
		if (loop_now(f->l) >= end)
			return 0;
		ck_assert_int_ge(loop_run_once(f->l, 20), 0);
	}
	return 1;
}

static int
failed_once(void *arg)
{
	return dbw_stats(arg)->failures >= 1;
}

static int
idle(void *arg)
{
	return dbw_idle(arg);
}

/* --- without a server ----------------------------------------------------- */

START_TEST(refused_connection_keeps_batch)
{
	struct fixture f;
	struct dbw *w;
	char ci[128];
	uint64_t seq;
	int s, port;

	fixture_open(&f);
	s = silent_listener(&port);
	close(s);	/* nobody listens there now */
	snprintf(ci, sizeof(ci), "host=127.0.0.1 port=%d dbname=x user=x",
	    port);
	seq = put_run(&f, "k", NULL);
	ck_assert_ptr_nonnull(w = dbw_new(f.l, ci, &f.sp, log_line, &f));
	ck_assert(run_until(&f, failed_once, w, 3000));
	ck_assert_msg(strncmp(dbw_status(w), "waiting to reconnect: ", 22) ==
	    0, "%s", dbw_status(w));
	ck_assert_int_eq(dbw_up(w), 0);
	ck_assert_uint_eq(dbw_pending(w), 1);
	ck_assert_uint_eq(spool_oldest(&f.sp), seq);
	ck_assert(has_batch(&f, "", seq));
	ck_assert_int_eq(batch_files(&f, "failed"), 0);
	ck_assert_uint_eq(dbw_stats(w)->batches, 0);
	ck_assert_uint_eq(dbw_stats(w)->quarantined, 0);
	ck_assert_int_eq(log_count(&f, "1 batch(es) kept in the spool"), 1);
	dbw_free(w);
	fixture_close(&f);
}
END_TEST

START_TEST(silent_server_dropped_batch_kept)
{
	struct fixture f;
	struct dbw *w;
	char ci[128];
	uint64_t seq, t0, took;
	int s, port;

	fixture_open(&f);
	s = silent_listener(&port);
	snprintf(ci, sizeof(ci), "host=127.0.0.1 port=%d dbname=x user=x "
	    "connect_timeout=30", port);
	seq = put_run(&f, "k", NULL);
	t0 = loop_now(f.l);
	ck_assert_ptr_nonnull(w = dbw_new(f.l, ci, &f.sp, log_line, &f));
	dbw_set_timeout(w, 300);
	ck_assert(run_until(&f, failed_once, w, 3000));
	took = loop_now(f.l) - t0;
	ck_assert_uint_ge(took, 290);
	ck_assert_uint_lt(took, 2000);
	ck_assert_msg(strstr(dbw_status(w), "no answer in 0.3 s") != NULL, "%s",
	    dbw_status(w));
	ck_assert_uint_eq(dbw_stats(w)->failures, 1);
	ck_assert_int_eq(dbw_up(w), 0);
	ck_assert_uint_eq(dbw_pending(w), 1);
	ck_assert(has_batch(&f, "", seq));
	ck_assert_int_eq(batch_files(&f, "failed"), 0);
	dbw_free(w);
	close(s);
	fixture_close(&f);
}
END_TEST

/* --- against PostgreSQL ------------------------------------------------- */

static const char *
test_pg(void)
{
	const char *ci = getenv("BMCFLEET_TEST_PG");

	return ci != NULL && *ci != '\0' ? ci : NULL;
}

static PGconn *
pg_connect(const char *ci)
{
	char err[512];
	PGconn *c;

	ck_assert_msg(db_connect(ci, &c, err, sizeof(err)) == 0, "%s", err);
	return c;
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

/* The first value of a query, as text ("" for NULL), in buf. */
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

/* A case against the server: its database, spool and writer. */
struct pgcase {
	struct fixture	 f;
	PGconn		*c;		/* to the case's database */
	char		 ci[1024];	/* its conninfo */
	char		 v[512];
	struct dbw	*w;
};

/*
 * Start a case in a database of its own with bmcfleet's schema, named
 * name: 0, or -1 when no server was given (tests/integration/dbw.sh runs
 * these).  setup (may be NULL) runs there first.
 */
static int
pg_begin(struct pgcase *pc, const char *name, const char *setup)
{
	char sql[256], err[512];
	PGconn *admin;

	if (test_pg() == NULL)
		return -1;
	memset(pc, 0, sizeof(*pc));
	fixture_open(&pc->f);
	admin = pg_connect(test_pg());
	pg_ok(admin, "SET client_min_messages = warning");
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
	pg_ok(admin, sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	pg_ok(admin, sql);
	PQfinish(admin);
	/* a later key=value overrides an earlier one */
	snprintf(pc->ci, sizeof(pc->ci), "%s dbname=%s", test_pg(), name);
	pc->c = pg_connect(pc->ci);
	ck_assert_msg(db_migrate(pc->c, db_schema_dir(), 0, NULL, err,
	    sizeof(err)) == 0, "%s", err);
	pg_ok(pc->c, "SET client_min_messages = warning");
	if (setup != NULL)
		pg_ok(pc->c, setup);
	return 0;
}

/* The writer, on what the spool holds now. */
static void
pg_writer(struct pgcase *pc)
{
	ck_assert_ptr_nonnull(pc->w = dbw_new(pc->f.l, pc->ci, &pc->f.sp,
	    log_line, &pc->f));
}

static void
pg_end(struct pgcase *pc)
{
	dbw_free(pc->w);
	PQfinish(pc->c);
	fixture_close(&pc->f);
}

/* The collection runs stored, by key, in the order they were stored. */
static const char *
pg_runs(struct pgcase *pc)
{
	return pg_value(pc->c, "SELECT coalesce(string_agg(key, ',' ORDER BY "
	    "id), '') FROM collection_run", pc->v, sizeof(pc->v));
}

/* A connection holding collection_run locked: the merge waits on it. */
static PGconn *
pg_lock_runs(struct pgcase *pc)
{
	PGconn *side = pg_connect(pc->ci);

	pg_ok(side, "BEGIN");
	pg_ok(side, "LOCK TABLE collection_run IN ACCESS EXCLUSIVE MODE");
	return side;
}

/* The writer's backend waits for a lock. */
static int
writer_waits_for_lock(void *arg)
{
	struct pgcase *pc = arg;

	return !strcmp(pg_value(pc->c, "SELECT count(*) FROM "
	    "pg_stat_activity WHERE application_name = 'bmcfleet-writer' AND "
	    "wait_event_type = 'Lock' AND datname = current_database()",
	    pc->v, sizeof(pc->v)), "1");
}

START_TEST(pg_oldest_first_removed_after_commit)
{
	struct pgcase pc;
	uint64_t s1, s2, s3;
	PGconn *side;

	if (pg_begin(&pc, "test_dbw_order", NULL) != 0)
		return;
	/* spooled in this order; keys not in it alphabetically */
	s1 = put_run(&pc.f, "run-c", NULL);
	s2 = put_run(&pc.f, "run-a", NULL);
	s3 = put_run(&pc.f, "run-b", NULL);
	ck_assert(s1 < s2 && s2 < s3);
	side = pg_lock_runs(&pc);
	pg_writer(&pc);
	ck_assert(run_until(&pc.f, writer_waits_for_lock, &pc, 10000));
	/* a while longer: still nothing committed, nothing removed */
	run_until(&pc.f, idle, pc.w, 300);
	ck_assert_int_eq(dbw_idle(pc.w), 0);
	ck_assert_uint_eq(dbw_pending(pc.w), 3);
	ck_assert_uint_eq(spool_oldest(&pc.f.sp), s1);
	ck_assert(has_batch(&pc.f, "", s1));
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 0);
	pg_ok(side, "COMMIT");
	PQfinish(side);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 3);
	ck_assert_uint_eq(dbw_stats(pc.w)->rows, 3);
	ck_assert_uint_eq(dbw_stats(pc.w)->failures, 0);
	ck_assert_uint_eq(spool_count(&pc.f.sp), 0);
	ck_assert_int_eq(batch_files(&pc.f, ""), 0);
	ck_assert_int_eq(batch_files(&pc.f, "failed"), 0);
	/* committed oldest first: ids follow the spool's order */
	ck_assert_str_eq(pg_runs(&pc), "run-c,run-a,run-b");
	pg_end(&pc);
}
END_TEST

/*
 * A batch empties the staging tables it filled (its rows are never
 * merged again by a later batch), through the TRUNCATE of every one that
 * comes each 64 batches: 70 batches of one run each, and each run row
 * offered to collection_run once (a BEFORE INSERT trigger counts them: a
 * row left in stage_run would be offered again, ON CONFLICT or not).
 */
START_TEST(pg_staging_emptied_by_each_batch)
{
	struct pgcase pc;
	char key[32];

	if (pg_begin(&pc, "test_dbw_staging", "CREATE TABLE offered (n "
	    "integer); INSERT INTO offered VALUES (0); CREATE FUNCTION "
	    "count_offered() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
	    "UPDATE offered SET n = n + 1; RETURN NEW; END $$; CREATE TRIGGER "
	    "offered BEFORE INSERT ON collection_run FOR EACH ROW EXECUTE "
	    "FUNCTION count_offered()") != 0)
		return;
	for (int i = 0; i < 70; i++) {
		snprintf(key, sizeof(key), "run-%02d", i);
		(void)put_run(&pc.f, key, NULL);
	}
	pg_writer(&pc);
	ck_assert(run_until(&pc.f, idle, pc.w, 20000));
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 70);
	ck_assert_str_eq(pg_value(pc.c, "SELECT n FROM offered", pc.v,
	    sizeof(pc.v)), "70");
	ck_assert_str_eq(pg_value(pc.c, "SELECT count(*) FROM collection_run",
	    pc.v, sizeof(pc.v)), "70");
	pg_end(&pc);
}
END_TEST

/* dbw_on_idle's calls: how many, and what the writer said at the last. */
struct idle_seen {
	struct dbw	*w;
	int		 calls;
	int		 idle;
	uint64_t	 batches;
};

static void
on_idle_seen(void *arg)
{
	struct idle_seen *is = arg;

	is->calls++;
	is->idle = dbw_idle(is->w);
	is->batches = dbw_stats(is->w)->batches;
}

static int
seen_idle(void *arg)
{
	return ((struct idle_seen *)arg)->calls > 0;
}

/*
 * The drain waits on dbw_on_idle rather than polling: it is called once
 * the last batch is committed (not while one is in flight or waits),
 * with dbw_idle already true; again after each later batch; never once
 * cleared.
 */
START_TEST(pg_idle_hook_after_last_commit)
{
	struct pgcase pc;
	struct idle_seen is = { 0 };
	PGconn *side;

	if (pg_begin(&pc, "test_dbw_idle", NULL) != 0)
		return;
	(void)put_run(&pc.f, "run-1", NULL);
	(void)put_run(&pc.f, "run-2", NULL);
	side = pg_lock_runs(&pc);
	pg_writer(&pc);
	is.w = pc.w;
	dbw_on_idle(pc.w, on_idle_seen, &is);
	ck_assert(run_until(&pc.f, writer_waits_for_lock, &pc, 10000));
	run_until(&pc.f, seen_idle, &is, 200);
	ck_assert_int_eq(is.calls, 0);
	pg_ok(side, "COMMIT");
	PQfinish(side);
	ck_assert(run_until(&pc.f, seen_idle, &is, 10000));
	ck_assert_int_eq(is.calls, 1);
	ck_assert_int_eq(is.idle, 1);
	ck_assert_uint_eq(is.batches, 2);
	/* one more batch: one more call, after its commit */
	(void)put_run(&pc.f, "run-3", NULL);
	dbw_kick(pc.w);
	is.calls = 0;
	ck_assert(run_until(&pc.f, seen_idle, &is, 10000));
	ck_assert_int_eq(is.calls, 1);
	ck_assert_uint_eq(is.batches, 3);
	/* cleared: no more calls */
	dbw_on_idle(pc.w, NULL, NULL);
	is.calls = 0;
	(void)put_run(&pc.f, "run-4", NULL);
	dbw_kick(pc.w);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_int_eq(is.calls, 0);
	ck_assert_str_eq(pg_runs(&pc), "run-1,run-2,run-3,run-4");
	pg_end(&pc);
}
END_TEST

/* A run row in r, as put_run spools it. */
static void
run_row(struct rows *r, const char *key)
{
	ck_assert_int_eq(rows_start(r, RT_RUN), 0);
	rows_str(r, key);
	rows_str(r, "test_dbw:1");
	rows_time_ms(r, 1700000000000ULL);
	rows_null(r);
	rows_int(r, 1);
	rows_int(r, 1);
	rows_int(r, 0);
	rows_null(r);
	ck_assert_int_eq(rows_end(r), 0);
}

/*
 * Batches submitted while the writer is busy are spooled at once (the
 * write-ahead) and COPYed from memory, not read back; those an earlier
 * run left are read from the spool; all in the spool's order.
 */
START_TEST(pg_submitted_from_memory_left_from_spool)
{
	struct pgcase pc;
	struct rows r;
	char err[256];
	PGconn *side;

	if (pg_begin(&pc, "test_dbw_memory", NULL) != 0)
		return;
	(void)put_run(&pc.f, "run-e", NULL);	/* an earlier run's */
	(void)put_run(&pc.f, "run-d", NULL);
	side = pg_lock_runs(&pc);
	pg_writer(&pc);
	ck_assert(run_until(&pc.f, writer_waits_for_lock, &pc, 10000));
	rows_init(&r);
	run_row(&r, "run-b");
	ck_assert_msg(dbw_submit(pc.w, &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(r.total, 0);	/* the writer took the rows */
	run_row(&r, "run-c");
	run_row(&r, "run-a");
	ck_assert_msg(dbw_submit(pc.w, &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(r.total, 0);
	/* spooled before any of them committed; one batch merges its runs
	 * in key order */
	ck_assert_int_eq(batch_files(&pc.f, ""), 4);
	ck_assert_uint_eq(dbw_pending(pc.w), 4);
	pg_ok(side, "COMMIT");
	PQfinish(side);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 4);
	ck_assert_uint_eq(dbw_stats(pc.w)->rows, 5);
	ck_assert_uint_eq(dbw_stats(pc.w)->loaded, 2);
	ck_assert_int_eq(batch_files(&pc.f, ""), 0);
	ck_assert_str_eq(pg_runs(&pc), "run-e,run-d,run-b,run-a,run-c");
	/* the writer idle: the next one goes at once, from memory too */
	run_row(&r, "run-f");
	ck_assert_msg(dbw_submit(pc.w, &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_uint_eq(dbw_stats(pc.w)->loaded, 2);
	ck_assert_str_eq(pg_runs(&pc), "run-e,run-d,run-b,run-a,run-c,run-f");
	rows_release(&r);
	pg_end(&pc);
}
END_TEST

/* One reading of bmc "b1"'s sensor 32/7 "Temp" in units, at unix s. */
static void
reading_row(struct rows *r, const char *units, uint64_t s, int raw)
{
	ck_assert_int_eq(rows_start(r, RT_READING), 0);
	rows_str(r, "b1");
	rows_int(r, 32);
	rows_int(r, 7);
	rows_str(r, "Temp");
	rows_int(r, 12);
	rows_str(r, "Temperature");
	rows_str(r, "threshold");
	rows_str(r, units);
	rows_str(r, "{\"unc\": 85}");
	rows_time_ms(r, s * 1000);
	rows_double(r, raw * 0.5);
	rows_int(r, raw);
	rows_str(r, "ok");
	rows_str(r, "nominal");
	rows_null(r);
	ck_assert_int_eq(rows_end(r), 0);
}

static int
spool_has(struct rows *r, struct pgcase *pc)
{
	char err[256];
	uint64_t seq;

	ck_assert_msg(spool_put(&pc->f.sp, r, &seq, err, sizeof(err)) == 0,
	    "%s", err);
	rows_reset(r);
	return (int)seq;
}

/*
 * A sensor's metadata is written when it is new or changed (the newest
 * reading of the batch says it), not re-asserted with every reading; the
 * readings land either way, and a batch merged again adds nothing.
 */
START_TEST(pg_sensor_changed_readings_once)
{
	struct pgcase pc;
	struct rows r;

	if (pg_begin(&pc, "test_dbw_sensor", "INSERT INTO bmc (name, "
	    "address) VALUES ('b1', '127.0.163.1')") != 0)
		return;
	rows_init(&r);
	reading_row(&r, "degrees C", 1700000000, 50);
	reading_row(&r, "degrees C", 1700000001, 51);
	(void)spool_has(&r, &pc);
	/* the unit changes: the batch's newest reading says so */
	reading_row(&r, "degrees F", 1700000002, 52);
	reading_row(&r, "degrees K", 1700000003, 53);
	(void)spool_has(&r, &pc);
	/* a batch that is the first again (replayed): adds nothing */
	reading_row(&r, "degrees C", 1700000000, 50);
	reading_row(&r, "degrees C", 1700000001, 51);
	(void)spool_has(&r, &pc);
	pg_writer(&pc);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 3);
	ck_assert_uint_eq(dbw_stats(pc.w)->quarantined, 0);
	ck_assert_str_eq(pg_value(pc.c, "SELECT count(*) || ' ' || "
	    "string_agg(raw::text, ',' ORDER BY ts) FROM sensor_reading",
	    pc.v, sizeof(pc.v)), "4 50,51,52,53");
	/* the last batch's newest reading set the metadata back */
	ck_assert_str_eq(pg_value(pc.c, "SELECT count(*) || ' ' || "
	    "min(units) || ' ' || min(record_id) FROM sensor", pc.v,
	    sizeof(pc.v)), "1 degrees C 12");
	rows_release(&r);
	pg_end(&pc);
}
END_TEST

/* The fleet's row of BMC name, in the groups given as a JSON array. */
static void
bmc_row(struct rows *r, const char *name, const char *groups)
{
	ck_assert_int_eq(rows_start(r, RT_BMC), 0);
	rows_str(r, name);
	rows_str(r, "127.0.163.9");
	rows_int(r, 623);
	rows_str(r, "{}");
	rows_str(r, "default");
	rows_str(r, "{}");
	rows_str(r, "f");
	rows_str(r, groups);
	rows_str(r, "f");
	ck_assert_int_eq(rows_end(r), 0);
}

/*
 * Group membership follows the fleet: a BMC leaves the groups it is no
 * longer in and joins its new ones; memberships that stay are not
 * rewritten (their row versions are the same after a run that changes
 * nothing).
 */
START_TEST(pg_group_members_follow_the_fleet)
{
	static const char members[] = "SELECT coalesce(string_agg(b.name "
	    "|| ':' || g.name, ',' ORDER BY b.name, g.name), '') FROM "
	    "bmc_group_member m JOIN bmc b ON b.id = m.bmc_id JOIN bmc_group "
	    "g ON g.id = m.group_id";
	static const char versions[] = "SELECT string_agg(xmin::text, ',' "
	    "ORDER BY group_id, bmc_id) FROM bmc_group_member";
	struct pgcase pc;
	struct rows r;
	char before[256];

	if (pg_begin(&pc, "test_dbw_groups", NULL) != 0)
		return;
	rows_init(&r);
	bmc_row(&r, "b1", "[\"x\", \"y\"]");
	bmc_row(&r, "b2", "[\"x\"]");
	(void)spool_has(&r, &pc);
	pg_writer(&pc);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_str_eq(pg_value(pc.c, members, pc.v, sizeof(pc.v)),
	    "b1:x,b1:y,b2:x");
	/* b1 leaves x for z and keeps y; b2 leaves every group */
	bmc_row(&r, "b1", "[\"y\", \"z\"]");
	bmc_row(&r, "b2", "[]");
	(void)spool_has(&r, &pc);
	dbw_kick(pc.w);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_str_eq(pg_value(pc.c, members, pc.v, sizeof(pc.v)),
	    "b1:y,b1:z");
	snprintf(before, sizeof(before), "%s", pg_value(pc.c, versions,
	    pc.v, sizeof(pc.v)));
	/* the same fleet again: nothing moves, nothing is rewritten */
	bmc_row(&r, "b1", "[\"z\", \"y\"]");
	bmc_row(&r, "b2", "[]");
	(void)spool_has(&r, &pc);
	dbw_kick(pc.w);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 3);
	ck_assert_str_eq(pg_value(pc.c, members, pc.v, sizeof(pc.v)),
	    "b1:y,b1:z");
	ck_assert_str_eq(pg_value(pc.c, versions, pc.v, sizeof(pc.v)),
	    before);
	rows_release(&r);
	pg_end(&pc);
}
END_TEST

/* A reading of sensor id 1 of BMC id 1 by their IDs, at unix s. */
static void
reading_id_row(struct rows *r, uint64_t s, int raw, const char *state)
{
	ck_assert_int_eq(rows_start(r, RT_READING_ID), 0);
	rows_int(r, 1);
	rows_int(r, 1);
	rows_time_ms(r, s * 1000);
	rows_double(r, raw * 0.5);
	rows_int(r, raw);
	rows_str(r, "ok");
	rows_str(r, state);
	rows_null(r);
	ck_assert_int_eq(rows_end(r), 0);
}

static void
batch_row(struct rows *r, const char *key)
{
	ck_assert_int_eq(rows_start(r, RT_BATCH), 0);
	rows_str(r, key);
	ck_assert_int_eq(rows_end(r), 0);
}

/* A reading by IDs at unix s, into table: its state, and its state bits
 * (-1: none). */
static void
reading_in(struct rows *r, enum row_table table, long long id,
    long long bmc_id, uint64_t s, const char *state, int states)
{
	ck_assert_int_eq(rows_start(r, table), 0);
	rows_int(r, id);
	rows_int(r, bmc_id);
	rows_time_ms(r, s * 1000);
	rows_null(r);
	rows_int(r, 0);
	rows_null(r);
	rows_str(r, state);
	if (states >= 0)
		rows_int(r, states);
	else
		rows_null(r);
	ck_assert_int_eq(rows_end(r), 0);
}

static void
reading_of(struct rows *r, long long id, long long bmc_id, uint64_t s,
    const char *state, int states)
{
	reading_in(r, RT_READING_ID, id, bmc_id, s, state, states);
}

/*
 * Sensor state changes (schema 005's trigger, as 007 finds the sensors):
 * the same events whether a batch's sensor IDs are dense (one walk over
 * sensor's key) or sparse (one probe per sensor).  Worked out by hand:
 * a first state is no event; the newest reading of a sensor in a batch
 * decides; 'na' keeps the state; a reading older than the last change
 * changes nothing; a replayed batch changes nothing; a change of state
 * bits alone is an event.
 */
START_TEST(pg_sensor_state_dense_and_sparse)
{
	struct pgcase pc;
	struct rows r;
	const char *first[] = { "nominal", "nominal", "warning", "nominal",
	    "nominal", "nominal", "nominal", "nominal" };

	if (pg_begin(&pc, "test_dbw_state", "INSERT INTO bmc (id, name, "
	    "address) VALUES (1, 'b1', '127.0.171.1'), (2, 'b2', "
	    "'127.0.171.2'); INSERT INTO sensor (id, bmc_id, owner, number, "
	    "name, kind) SELECT i, 1, 32, i, 'S' || i, 'discrete' FROM "
	    "generate_series(1, 8) i; INSERT INTO sensor (id, bmc_id, owner, "
	    "number, name, kind) VALUES (1000, 2, 32, 1, 'S1000', "
	    "'discrete')") != 0)
		return;
	rows_init(&r);
	/* dense (IDs 1-8): first states, no event */
	for (int i = 0; i < 8; i++)
		reading_of(&r, i + 1, 1, 100, first[i], i == 0 ? 1 : -1);
	batch_row(&r, "0b1");
	(void)spool_has(&r, &pc);
	/* dense (3-8): 3 and 5 change; 6's newest reading is as before;
	 * 7 has no reading; 8's reading is older than its state */
	reading_of(&r, 3, 1, 101, "nominal", -1);
	reading_of(&r, 5, 1, 101, "critical", -1);
	reading_of(&r, 6, 1, 102, "nominal", -1);
	reading_of(&r, 6, 1, 101, "warning", -1);
	reading_of(&r, 7, 1, 101, "na", -1);
	reading_of(&r, 8, 1, 99, "critical", -1);
	batch_row(&r, "0b2");
	(void)spool_has(&r, &pc);
	/* the same batch again: replayed, nothing */
	reading_of(&r, 3, 1, 101, "nominal", -1);
	reading_of(&r, 5, 1, 101, "critical", -1);
	reading_of(&r, 6, 1, 102, "nominal", -1);
	reading_of(&r, 6, 1, 101, "warning", -1);
	reading_of(&r, 7, 1, 101, "na", -1);
	reading_of(&r, 8, 1, 99, "critical", -1);
	batch_row(&r, "0b2");
	(void)spool_has(&r, &pc);
	/* sparse (2 and 1000): 2 changes, 1000's first state */
	reading_of(&r, 2, 1, 103, "warning", -1);
	reading_of(&r, 1000, 2, 103, "nominal", -1);
	batch_row(&r, "0b3");
	(void)spool_has(&r, &pc);
	/* sparse: 1's state bits change, 1000 changes, 7 as before */
	reading_of(&r, 1, 1, 104, "nominal", 2);
	reading_of(&r, 7, 1, 104, "nominal", -1);
	reading_of(&r, 1000, 2, 104, "critical", -1);
	batch_row(&r, "0b4");
	(void)spool_has(&r, &pc);
	/* sparse, out of order: older than 1000's change, 2 as before */
	reading_of(&r, 2, 1, 105, "warning", -1);
	reading_of(&r, 1000, 2, 50, "nominal", -1);
	batch_row(&r, "0b5");
	(void)spool_has(&r, &pc);
	pg_writer(&pc);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 5);
	ck_assert_uint_eq(dbw_stats(pc.w)->replayed, 1);
	ck_assert_str_eq(pg_value(pc.c, "SELECT string_agg(format('%s:%s:%s>"
	    "%s:%s@%s', sensor_id, bmc_id, old_state, new_state, "
	    "coalesce(old_states::text, '') || '>' || "
	    "coalesce(new_states::text, ''), extract(epoch FROM at)::bigint), "
	    "' ' ORDER BY at, sensor_id) FROM sensor_event", pc.v, sizeof(pc.v)),
	    "3:1:warning>nominal:>@101 5:1:nominal>critical:>@101 "
	    "2:1:nominal>warning:>@103 1:1:nominal>nominal:1>2@104 "
	    "1000:2:nominal>critical:>@104");
	ck_assert_str_eq(pg_value(pc.c, "SELECT string_agg(format('%s=%s%s@%s',"
	    " id, last_state, coalesce('/' || last_states, ''), "
	    "extract(epoch FROM last_state_at)::bigint), ' ' ORDER BY id) "
	    "FROM sensor", pc.v, sizeof(pc.v)), "1=nominal/2@104 2=warning@103 "
	    "3=nominal@101 4=nominal@100 5=critical@101 6=nominal@100 "
	    "7=nominal@100 8=nominal@100 1000=critical@104");
	rows_release(&r);
	pg_end(&pc);
}
END_TEST

/* A reading by IDs as the collector sends a repeated state. */
static void
reading_same(struct rows *r, long long id, long long bmc_id, uint64_t s,
    const char *state)
{
	reading_in(r, RT_READING_SAME, id, bmc_id, s, state, -1);
}

/* A BMC's claim: digest as text, NULL for none. */
static void
claim_row(struct rows *r, long long bmc_id, const char *digest)
{
	ck_assert_int_eq(rows_start(r, RT_CLAIM), 0);
	rows_int(r, bmc_id);
	if (digest != NULL)
		rows_int(r, strtoll(digest, NULL, 10));
	else
		rows_null(r);
	ck_assert_int_eq(rows_end(r), 0);
}

/* What the writer read back: "bmc/sensor=state:digest ..." */
struct resynced {
	char	text[1024];
};

static void
on_resync(void *arg, const struct dbw_resync *rs)
{
	struct resynced *x = arg;
	size_t k = strlen(x->text);

	snprintf(x->text + k, sizeof(x->text) - k, "%s%s/%s=%s:%lld",
	    k ? " " : "", rs->bmc, rs->name, rs->state ? rs->state : "-",
	    (long long)rs->digest);
}

/*
 * Claims (schema 008): readings of repeated states under a claim that
 * holds are not looked at (shown here by one whose state did move: the
 * database trusts the claim, and the collector never sends such a one);
 * the claims are read by the COPY of those readings only, so the batch's
 * other readings by ID take the whole way; a claim that does not hold,
 * or none, sends its BMC's readings the whole way (their state changes
 * and events stored) and reads that BMC's states back, handed over after
 * COMMIT; bmc_state_digest stays the XOR of the sensors' state hashes;
 * the hash is the one the collector computes.
 */
START_TEST(pg_state_claims)
{
	struct pgcase pc;
	struct rows r;
	struct resynced rs;
	char d1[32], d2[32];

	if (pg_begin(&pc, "test_dbw_claims", "INSERT INTO bmc (id, name, "
	    "address) VALUES (1, 'b1', '127.0.171.1'), (2, 'b2', "
	    "'127.0.171.2'); INSERT INTO sensor (id, bmc_id, owner, number, "
	    "name, kind) SELECT i, CASE WHEN i <= 3 THEN 1 ELSE 2 END, 32, i, "
	    "'S' || i, 'discrete' FROM generate_series(1, 5) i") != 0)
		return;
	memset(&rs, 0, sizeof(rs));
	rows_init(&r);
	/* first states, the whole way */
	for (int i = 1; i <= 5; i++)
		reading_of(&r, i, i <= 3 ? 1 : 2, 100, "nominal", i == 5 ? 3 :
		    -1);
	batch_row(&r, "0c1");
	(void)spool_has(&r, &pc);
	pg_writer(&pc);
	dbw_on_resync(pc.w, on_resync, &rs);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_str_eq(pg_value(pc.c, "SELECT digest::text FROM "
	    "bmc_state_digest WHERE bmc_id = 1", d1, sizeof(d1)),
	    pg_value(pc.c, "SELECT bmcfleet_xor(bmcfleet_state_hash(id, "
	    "last_state, last_states))::text FROM sensor WHERE bmc_id = 1",
	    pc.v, sizeof(pc.v)));
	(void)pg_value(pc.c, "SELECT digest::text FROM bmc_state_digest "
	    "WHERE bmc_id = 2", d2, sizeof(d2));
	ck_assert_int_eq(sids_state_hash(5, "nominal", 1, 3), strtoll(
	    pg_value(pc.c, "SELECT bmcfleet_state_hash(5, 'nominal', 3)",
	    pc.v, sizeof(pc.v)), NULL, 10));
	ck_assert_int_eq(sids_state_hash(4, "nominal", 0, 0), strtoll(
	    pg_value(pc.c, "SELECT bmcfleet_state_hash(4, 'nominal', NULL)",
	    pc.v, sizeof(pc.v)), NULL, 10));

	/* b1's claim holds: its repeated reading is not looked at (1 stays
	 * nominal); 2 goes by ID, the whole way (warning, an event) */
	reading_same(&r, 1, 1, 101, "critical");
	reading_of(&r, 2, 1, 101, "warning", -1);
	claim_row(&r, 1, d1);
	batch_row(&r, "0c2");
	(void)spool_has(&r, &pc);
	dbw_kick(pc.w);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_str_eq(rs.text, "");
	/* b2 had nothing: its digest as it was */
	ck_assert_str_eq(pg_value(pc.c, "SELECT digest::text FROM "
	    "bmc_state_digest WHERE bmc_id = 2", pc.v, sizeof(pc.v)), d2);
	ck_assert_str_eq(pg_value(pc.c, "SELECT string_agg(id || '=' || "
	    "last_state, ' ' ORDER BY id) FROM sensor", pc.v, sizeof(pc.v)),
	    "1=nominal 2=warning 3=nominal 4=nominal 5=nominal");

	/* b2's claim does not hold (a wrong digest, as after another
	 * writer's change) and b1 has none: both the whole way, both
	 * read back */
	reading_same(&r, 4, 2, 102, "critical");
	reading_same(&r, 3, 1, 102, "warning");
	claim_row(&r, 2, "12345");
	claim_row(&r, 1, NULL);
	batch_row(&r, "0c3");
	(void)spool_has(&r, &pc);
	dbw_kick(pc.w);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_str_eq(pg_value(pc.c, "SELECT string_agg(id || '=' || "
	    "last_state, ' ' ORDER BY id) FROM sensor", pc.v, sizeof(pc.v)),
	    "1=nominal 2=warning 3=warning 4=critical 5=nominal");
	ck_assert_str_eq(pg_value(pc.c, "SELECT string_agg(sensor_id || ':' "
	    "|| old_state || '>' || new_state, ' ' ORDER BY sensor_id) FROM "
	    "sensor_event", pc.v, sizeof(pc.v)),
	    "2:nominal>warning 3:nominal>warning 4:nominal>critical");
	ck_assert_str_eq(pg_value(pc.c, "SELECT string_agg(format('%s/%s=%s:%s',"
	    " b.name, s.name, s.last_state, g.digest), ' ' ORDER BY b.name, "
	    "s.name) FROM sensor s JOIN bmc b ON b.id = s.bmc_id JOIN "
	    "bmc_state_digest g ON g.bmc_id = s.bmc_id", pc.v, sizeof(pc.v)),
	    rs.text[0] != '\0' ? rs.text : "(nothing read back)");
	ck_assert_uint_eq(dbw_stats(pc.w)->resynced, 5);
	/* the digests as the sensors' states say */
	ck_assert_str_eq(pg_value(pc.c, "SELECT count(*) FROM (SELECT bmc_id, "
	    "bmcfleet_xor(bmcfleet_state_hash(id, last_state, last_states)) "
	    "AS d FROM sensor GROUP BY bmc_id) x JOIN bmc_state_digest g "
	    "USING (bmc_id) WHERE g.digest = x.d", pc.v, sizeof(pc.v)), "2");
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 3);
	rows_release(&r);
	pg_end(&pc);
}
END_TEST

/*
 * Readings by ID are stored once per batch key: a batch merged twice (its
 * COMMIT done, its spool file not yet removed) changes nothing and leaves
 * the spool, a batch dbw_submit spools gets a key of its own, a batch of
 * readings by ID without a key is refused; the alert trigger sees them (a
 * state change is an event); a batch of the older form (sensors by name)
 * is still merged.
 */
START_TEST(pg_readings_by_id_once_per_batch)
{
	struct pgcase pc;
	struct rows r;
	char err[256];

	if (pg_begin(&pc, "test_dbw_by_id", "INSERT INTO bmc (id, name, "
	    "address) VALUES (1, 'b1', '127.0.163.1'); INSERT INTO sensor "
	    "(id, bmc_id, owner, number, name, kind) VALUES (1, 1, 32, 7, "
	    "'Temp', 'threshold')") != 0)
		return;
	rows_init(&r);
	reading_id_row(&r, 1700000000, 50, "nominal");
	reading_id_row(&r, 1700000001, 51, "nominal");
	batch_row(&r, "0a1");
	(void)spool_has(&r, &pc);
	/* the same batch again, as a replay finds it */
	reading_id_row(&r, 1700000000, 50, "nominal");
	reading_id_row(&r, 1700000001, 51, "nominal");
	batch_row(&r, "0a1");
	(void)spool_has(&r, &pc);
	/* no key: refused, set aside */
	reading_id_row(&r, 1700000005, 55, "nominal");
	(void)spool_has(&r, &pc);
	/* an older spool's batch: the sensor by name */
	reading_row(&r, "degrees C", 1700000002, 52);
	(void)spool_has(&r, &pc);
	pg_writer(&pc);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 2);
	ck_assert_uint_eq(dbw_stats(pc.w)->replayed, 1);
	ck_assert_uint_eq(dbw_stats(pc.w)->quarantined, 1);
	ck_assert_int_eq(batch_files(&pc.f, ""), 0);
	ck_assert_int_eq(batch_files(&pc.f, "failed"), 1);
	ck_assert_str_eq(pg_value(pc.c, "SELECT count(*) || ' ' || "
	    "string_agg(raw::text, ',' ORDER BY ts) FROM sensor_reading",
	    pc.v, sizeof(pc.v)), "3 50,51,52");
	ck_assert_str_eq(pg_value(pc.c, "SELECT string_agg(key, ',') FROM "
	    "reading_batch", pc.v, sizeof(pc.v)), "0a1");
	/* submitted: a key of its own; a state change is an event */
	reading_id_row(&r, 1700000003, 90, "critical");
	ck_assert_msg(dbw_submit(pc.w, &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(r.total, 0);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_str_eq(pg_value(pc.c, "SELECT count(*) || ' ' || "
	    "max(raw) FROM sensor_reading", pc.v, sizeof(pc.v)), "4 90");
	ck_assert_str_eq(pg_value(pc.c, "SELECT count(*) || ' ' || "
	    "sum(length(key)) FROM reading_batch", pc.v, sizeof(pc.v)),
	    "2 35");
	ck_assert_str_eq(pg_value(pc.c, "SELECT old_state || '>' || "
	    "new_state FROM sensor_event", pc.v, sizeof(pc.v)),
	    "nominal>critical");
	ck_assert_uint_eq(dbw_stats(pc.w)->readings, 2 + 1 + 1);
	rows_release(&r);
	pg_end(&pc);
}
END_TEST

START_TEST(pg_silent_mid_batch_dropped_batch_kept)
{
	struct pgcase pc;
	PGconn *side;
	uint64_t seq;

	if (pg_begin(&pc, "test_dbw_silent", NULL) != 0)
		return;
	seq = put_run(&pc.f, "run-s", NULL);
	side = pg_lock_runs(&pc);
	pg_writer(&pc);
	dbw_set_timeout(pc.w, 400);
	ck_assert(run_until(&pc.f, writer_waits_for_lock, &pc, 10000));
	/* the server says nothing while the merge waits: dropped */
	ck_assert(run_until(&pc.f, failed_once, pc.w, 5000));
	ck_assert_msg(strstr(dbw_status(pc.w), "no answer in 0.4 s") != NULL,
	    "%s", dbw_status(pc.w));
	ck_assert_int_eq(dbw_up(pc.w), 0);
	ck_assert_uint_eq(dbw_pending(pc.w), 1);
	ck_assert(has_batch(&pc.f, "", seq));
	ck_assert_int_eq(batch_files(&pc.f, "failed"), 0);
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 0);
	/* the lock goes: reconnected after the backoff, written, removed
	 * (the abandoned backend may commit it too: merged twice, one row) */
	pg_ok(side, "ROLLBACK");
	PQfinish(side);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 1);
	ck_assert_uint_eq(dbw_stats(pc.w)->failures, 1);
	ck_assert_int_eq(batch_files(&pc.f, ""), 0);
	ck_assert_str_eq(pg_runs(&pc), "run-s");
	pg_end(&pc);
}
END_TEST

static int
quarantined_and_idle(void *arg)
{
	return dbw_stats(arg)->quarantined >= 1 && dbw_idle(arg);
}

START_TEST(pg_refused_batch_to_failed_next_goes_on)
{
	struct pgcase pc;
	uint64_t bad, good;

	if (pg_begin(&pc, "test_dbw_refused", NULL) != 0)
		return;
	/* 22007: a started_at no timestamptz reads */
	bad = put_run(&pc.f, "run-bad", "not a time");
	good = put_run(&pc.f, "run-good", NULL);
	pg_writer(&pc);
	ck_assert(run_until(&pc.f, quarantined_and_idle, pc.w, 10000));
	ck_assert_uint_eq(dbw_stats(pc.w)->quarantined, 1);
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 1);
	ck_assert_uint_eq(dbw_stats(pc.w)->failures, 0);
	ck_assert(has_batch(&pc.f, "failed", bad));
	ck_assert_int_eq(batch_files(&pc.f, "failed"), 1);
	ck_assert(!has_batch(&pc.f, "", bad));
	ck_assert(!has_batch(&pc.f, "", good));
	ck_assert_uint_eq(spool_count(&pc.f.sp), 0);
	ck_assert_int_eq(log_count(&pc.f, "refused: "), 1);
	ck_assert_int_eq(log_count(&pc.f, "moved to "), 1);
	ck_assert_str_eq(pg_runs(&pc), "run-good");
	pg_end(&pc);
}
END_TEST

START_TEST(pg_missing_table_keeps_batch)
{
	struct pgcase pc;
	uint64_t seq;

	if (pg_begin(&pc, "test_dbw_schema", "ALTER TABLE collection_run "
	    "RENAME TO collection_run_gone") != 0)
		return;
	seq = put_run(&pc.f, "run-m", NULL);
	pg_writer(&pc);
	ck_assert(run_until(&pc.f, failed_once, pc.w, 10000));
	ck_assert_msg(strstr(dbw_status(pc.w), "lacks bmcfleet's schema") !=
	    NULL, "%s", dbw_status(pc.w));
	ck_assert_uint_eq(dbw_stats(pc.w)->quarantined, 0);
	ck_assert_uint_eq(dbw_pending(pc.w), 1);
	ck_assert(has_batch(&pc.f, "", seq));
	ck_assert_int_eq(batch_files(&pc.f, "failed"), 0);
	/* the schema is back: the same batch is written */
	pg_ok(pc.c, "ALTER TABLE collection_run_gone RENAME TO collection_run");
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 1);
	ck_assert_uint_eq(dbw_stats(pc.w)->quarantined, 0);
	ck_assert_int_eq(batch_files(&pc.f, ""), 0);
	ck_assert_int_eq(batch_files(&pc.f, "failed"), 0);
	ck_assert_str_eq(pg_runs(&pc), "run-m");
	pg_end(&pc);
}
END_TEST

/* The first N inserts of key 'run-t' raise serialization_failure (40001),
 * each counted in a sequence, which a rollback does not undo. */
#define PLANT(n)							\
    "CREATE SEQUENCE tries;"						\
    "CREATE FUNCTION planted() RETURNS trigger AS $$ BEGIN "		\
    "IF NEW.key = 'run-t' THEN IF nextval('tries') <= " #n " THEN "	\
    "RAISE EXCEPTION 'planted' USING ERRCODE = '40001'; "		\
    "END IF; END IF; "							\
    "RETURN NEW; END $$ LANGUAGE plpgsql;"				\
    "CREATE TRIGGER planted BEFORE INSERT ON collection_run "		\
    "FOR EACH ROW EXECUTE FUNCTION planted()"

START_TEST(pg_transient_retried_then_set_aside)
{
	struct pgcase pc;
	uint64_t t, after;

	if (pg_begin(&pc, "test_dbw_transient", PLANT(1000000)) != 0)
		return;
	t = put_run(&pc.f, "run-t", NULL);
	after = put_run(&pc.f, "run-after", NULL);
	pg_writer(&pc);
	/* about a second of backoff a try */
	ck_assert(run_until(&pc.f, quarantined_and_idle, pc.w, 20000));
	/* written 6 times: the first and 5 again; then set aside */
	ck_assert_str_eq(pg_value(pc.c, "SELECT last_value FROM tries", pc.v,
	    sizeof(pc.v)), "6");
	ck_assert_int_eq(log_count(&pc.f, "not written this time (SQLSTATE "
	    "40001"), 5);
	ck_assert_uint_eq(dbw_stats(pc.w)->failures, 5);
	ck_assert_uint_eq(dbw_stats(pc.w)->quarantined, 1);
	ck_assert(has_batch(&pc.f, "failed", t));
	ck_assert_int_eq(batch_files(&pc.f, "failed"), 1);
	/* the one behind it was not held up */
	ck_assert(!has_batch(&pc.f, "", after));
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 1);
	ck_assert_str_eq(pg_runs(&pc), "run-after");
	pg_end(&pc);
}
END_TEST

START_TEST(pg_transient_twice_then_written)
{
	struct pgcase pc;

	if (pg_begin(&pc, "test_dbw_twice", PLANT(2)) != 0)
		return;
	(void)put_run(&pc.f, "run-t", NULL);
	pg_writer(&pc);
	ck_assert(run_until(&pc.f, idle, pc.w, 10000));
	/* two refusals, the third try commits */
	ck_assert_str_eq(pg_value(pc.c, "SELECT last_value FROM tries", pc.v,
	    sizeof(pc.v)), "3");
	ck_assert_uint_eq(dbw_stats(pc.w)->failures, 2);
	ck_assert_uint_eq(dbw_stats(pc.w)->quarantined, 0);
	ck_assert_uint_eq(dbw_stats(pc.w)->batches, 1);
	ck_assert_int_eq(batch_files(&pc.f, "failed"), 0);
	ck_assert_str_eq(pg_runs(&pc), "run-t");
	pg_end(&pc);
}
END_TEST

static Suite *
dbw_suite(void)
{
	Suite *s = suite_create("dbw");
	TCase *tc = tcase_create("verdict");
	TCase *tn = tcase_create("no server");
	TCase *tp = tcase_create("postgresql");

	tcase_add_test(tc, verdict_connection_lost);
	tcase_add_test(tc, verdict_transient_five_retries);
	tcase_add_test(tc, verdict_schema_missing_waits);
	tcase_add_test(tc, verdict_content_refused);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tn, 20);
	tcase_add_test(tn, refused_connection_keeps_batch);
	tcase_add_test(tn, silent_server_dropped_batch_kept);
	suite_add_tcase(s, tn);
	tcase_set_timeout(tp, 60);
	tcase_add_test(tp, pg_oldest_first_removed_after_commit);
	tcase_add_test(tp, pg_idle_hook_after_last_commit);
	tcase_add_test(tp, pg_submitted_from_memory_left_from_spool);
	tcase_add_test(tp, pg_sensor_changed_readings_once);
	tcase_add_test(tp, pg_group_members_follow_the_fleet);
	tcase_add_test(tp, pg_readings_by_id_once_per_batch);
	tcase_add_test(tp, pg_sensor_state_dense_and_sparse);
	tcase_add_test(tp, pg_state_claims);
	tcase_add_test(tp, pg_staging_emptied_by_each_batch);
	tcase_add_test(tp, pg_silent_mid_batch_dropped_batch_kept);
	tcase_add_test(tp, pg_refused_batch_to_failed_next_goes_on);
	tcase_add_test(tp, pg_missing_table_keeps_batch);
	tcase_add_test(tp, pg_transient_retried_then_set_aside);
	tcase_add_test(tp, pg_transient_twice_then_written);
	suite_add_tcase(s, tp);
	return s;
}

#include "ckmain.h"

int
main(void)
{
	return ck_main(dbw_suite());
}
