/*
 * fleetstore: the text[] literal every lease and memory query takes, and
 * a store without a database answering FS_GONE at once (the sweep goes
 * on without it).  The queries themselves run against PostgreSQL in
 * tests/integration (collect-200, daemon-cadence, db-silent, db-traps);
 * with BMCFLEET_TEST_PG set (tests/integration/pgq.sh) the sensor IDs'
 * chunks, pipelined, are checked here against a real server.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/db.h"
#include "store/fleetstore.h"
#include "lib/loop.h"

static const char *const names[] = { "a", "b\"q", "c\\d", "", "e,f" };

static const char *
at(void *arg, size_t i)
{
	(void)arg;
	return names[i];
}

static const char *
odd(void *arg, size_t i)
{
	(void)arg;
	return i % 2 ? names[i] : NULL;
}

START_TEST(text_array)
{
	char *p;

	ck_assert_ptr_nonnull(p = fs_text_array(5, at, NULL));
	ck_assert_str_eq(p, "{\"a\",\"b\\\"q\",\"c\\\\d\",\"\",\"e,f\"}");
	free(p);
	ck_assert_ptr_nonnull(p = fs_text_array(5, odd, NULL));
	ck_assert_str_eq(p, "{\"b\\\"q\",\"\"}");
	free(p);
	ck_assert_ptr_nonnull(p = fs_text_array(0, at, NULL));
	ck_assert_str_eq(p, "{}");
	free(p);
}
END_TEST

static int logged;

static void
log_line(void *arg, const char *line)
{
	(void)arg;
	(void)line;
	logged++;
}

static int
never(void *arg, const char *key)
{
	(void)arg;
	(void)key;
	return 0;
}

START_TEST(no_database_gone)
{
	struct fleetstore fs;
	struct loop *l;
	char list[16];
	long a, b;
	int v;

	ck_assert_ptr_nonnull(l = loop_new());
	fs_init(&fs, l, 1000, NULL, log_line, NULL);
	ck_assert_int_eq(fs_up(&fs), 0);
	ck_assert_int_eq(fs_schema_version(&fs, &v), FS_GONE);
	ck_assert_int_eq(fs_missing(&fs, "{}", &a, &b, list, sizeof(list)),
	    FS_GONE);
	ck_assert_int_eq(fs_memory(&fs, NULL, NULL), FS_GONE);
	ck_assert_int_eq(fs_sdr_load(&fs, "{}", never, NULL, NULL), FS_GONE);
	ck_assert_int_eq(fs_lease_prepare(&fs), FS_GONE);
	ck_assert_int_eq(fs_lease_claim(&fs, "{}", "h", 10, 0, 1000, NULL,
	    NULL), FS_GONE);
	ck_assert_int_eq(fs_retention(&fs, 30, &v), FS_GONE);
	ck_assert_int_eq(fs_plan_due(&fs), FS_GONE);
	fs_renew(&fs, "h", 1000);
	fs_renew_settle(&fs);
	ck_assert_int_eq(logged, 0);	/* nothing to say: already away */
	fs_close(&fs);
	loop_free(l);
}
END_TEST

/* --- against PostgreSQL (BMCFLEET_TEST_PG) ------------------------------ */

static void
pg_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);

	ck_assert_msg(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK,
	    "%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
}

/* What fs_sensor_ids handed over: how many, their IDs' sum, and whether
 * each row's fields belong together (the test's sensors are named "S"
 * and their number, on BMCs named "bmc-"). */
struct seen {
	size_t		 n;
	long long	 sum;
	int		 bad;
};

static void
seen_one(void *arg, const struct fs_sensor *se)
{
	struct seen *sn = arg;
	char name[32];

	snprintf(name, sizeof(name), "S%d", se->number);
	if (strcmp(se->name, name) != 0 || strncmp(se->bmc, "bmc-", 4) != 0 ||
	    se->owner != 32 || strcmp(se->kind, "threshold") != 0 ||
	    se->record_id != -1 || se->units != NULL)
		sn->bad++;
	sn->n++;
	sn->sum += se->id;
}

/* The same, as the database has it, for bmcs (a text[] literal). */
static void
expected(PGconn *c, const char *bmcs, long long after, size_t *n,
    long long *sum)
{
	char sql[512];
	PGresult *r;

	snprintf(sql, sizeof(sql), "SELECT count(*), coalesce(sum(s.id), 0) "
	    "FROM sensor s JOIN bmc b ON b.id = s.bmc_id WHERE b.name = "
	    "ANY('%s'::text[]) AND s.id > %lld", bmcs, after);
	r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s",
	    PQresultErrorMessage(r));
	*n = (size_t)strtoull(PQgetvalue(r, 0, 0), NULL, 10);
	*sum = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
}

/*
 * The sensor IDs of the named BMCs through one cursor, more of them than
 * one fetch holds (8,192): every sensor of every BMC named, each once,
 * its fields together; a BMC the database lacks and an empty list are
 * nothing; after_id leaves out the older ones; a query the server
 * refuses ends with FS_ERROR, said, and the connection still answers
 * (its transaction rolled back).
 */
START_TEST(pg_sensor_ids_cursor)
{
	const char *ci = getenv("BMCFLEET_TEST_PG");
	char admin_ci[1024], dbci[1024], err[512];
	struct fleetstore fs;
	struct seen sn;
	struct loop *l;
	PGconn *admin, *c;
	long long sum;
	size_t n;
	int v;

	if (ci == NULL || *ci == '\0')
		return;	/* tests/integration/pgq.sh runs this part */
	snprintf(admin_ci, sizeof(admin_ci), "%s", ci);
	ck_assert_msg(db_connect(admin_ci, &admin, err, sizeof(err)) == 0,
	    "%s", err);
	pg_ok(admin, "SET client_min_messages = warning");
	pg_ok(admin, "DROP DATABASE IF EXISTS test_fleetstore_ids");
	pg_ok(admin, "CREATE DATABASE test_fleetstore_ids");
	PQfinish(admin);
	snprintf(dbci, sizeof(dbci), "%s dbname=test_fleetstore_ids", ci);
	ck_assert_msg(db_connect(dbci, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(db_migrate(c, db_schema_dir(), 0, NULL, err,
	    sizeof(err)) == 0, "%s", err);
	/* interleaved IDs: each BMC's sensors are not one run of IDs */
	pg_ok(c, "INSERT INTO bmc (name, address) SELECT 'bmc-' || x, "
	    "'127.0.0.1' FROM unnest(ARRAY['a','b','c','d']) x");
	pg_ok(c, "INSERT INTO sensor (bmc_id, owner, number, name, kind) "
	    "SELECT b.id, 32, n, 'S' || n, 'threshold' FROM "
	    "generate_series(1, 3000) n CROSS JOIN bmc b ORDER BY n, b.name");

	ck_assert_ptr_nonnull(l = loop_new());
	fs_init(&fs, l, 5000, NULL, log_line, NULL);
	ck_assert_int_eq(fs_connect(&fs, dbci, err, sizeof(err)), FS_OK);

	memset(&sn, 0, sizeof(sn));
	ck_assert_int_eq(fs_sensor_ids(&fs, "{bmc-c,bmc-a,nobody,bmc-b}", 0,
	    seen_one, &sn), FS_OK);
	expected(c, "{bmc-a,bmc-b,bmc-c}", 0, &n, &sum);
	ck_assert_uint_eq(n, 9000);
	ck_assert_uint_eq(sn.n, n);
	ck_assert_int_eq(sn.sum, sum);
	ck_assert_int_eq(sn.bad, 0);

	memset(&sn, 0, sizeof(sn));
	ck_assert_int_eq(fs_sensor_ids(&fs, "{}", 0, seen_one, &sn), FS_OK);
	ck_assert_uint_eq(sn.n, 0);

	/* after_id: only the newer ones */
	{
		PGresult *r = PQexec(c, "SELECT max(id) - 5 FROM sensor");
		long long after = strtoll(PQgetvalue(r, 0, 0), NULL, 10);

		PQclear(r);
		memset(&sn, 0, sizeof(sn));
		ck_assert_int_eq(fs_sensor_ids(&fs, "{bmc-a,bmc-b,bmc-c,bmc-d}",
		    after, seen_one, &sn), FS_OK);
		ck_assert_uint_eq(sn.n, 5);
		expected(c, "{bmc-a,bmc-b,bmc-c,bmc-d}", after, &n, &sum);
		ck_assert_int_eq(sn.sum, sum);
	}

	/* refused: FS_ERROR, said, the connection kept and clear */
	logged = 0;
	memset(&sn, 0, sizeof(sn));
	ck_assert_int_eq(fs_sensor_ids(&fs, "{not a literal", 0, seen_one,
	    &sn), FS_ERROR);
	ck_assert_uint_eq(sn.n, 0);
	ck_assert_int_eq(logged, 1);
	ck_assert_int_eq(fs_up(&fs), 1);
	ck_assert_int_eq(fs_schema_version(&fs, &v), FS_OK);
	ck_assert_int_gt(v, 0);
	/* and the next load works: no cursor or transaction left behind */
	memset(&sn, 0, sizeof(sn));
	ck_assert_int_eq(fs_sensor_ids(&fs, "{bmc-d}", 0, seen_one, &sn),
	    FS_OK);
	ck_assert_uint_eq(sn.n, 3000);

	fs_close(&fs);
	ck_assert_uint_eq(loop_nfds(l), 0);
	loop_free(l);
	PQfinish(c);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("fleetstore");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, text_array);
	tcase_add_test(tc, no_database_gone);
	tcase_add_test(tc, pg_sensor_ids_cursor);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
