/*
 * ingest: sensor readings per second, sustained, into PostgreSQL through
 * bmcfleet's own database writer (collector/dbw: spool, COPY into the
 * staging tables, merge, COMMIT), with no BMC in the way.  Part of
 * make bench (tests/bench/run.sh), never of make check.
 *
 *   ingest CONNINFO SPOOLDIR ROUNDS [BATCH_KIB]
 *
 * The sensors are the ones a sweep already stored (every sensor of every
 * BMC not retired): each round is one new reading of each of them, a
 * second after the last, written as collector/sweep.c writes the reading
 * of a sensor whose IDs it has learnt (RT_READING_ID, same fields), in
 * batches of BATCH_KIB of COPY text
 * (default 256, collect's flush size).  Each reading keeps its sensor's
 * state as the database last holds it (a steady fleet: the state trigger
 * looks at every reading and finds nothing moved); writing one state for
 * all made the first round a state change for every discrete sensor the
 * sweeps left in another (40,000 events and sensor updates in 330,000
 * readings).  The writer is kept fed (a few
 * batches always wait in the spool) so the figure is the writer's and the
 * database's, not the producer's.
 *
 * Prints one line:
 *   ingest: readings N batches B wall_s W busy_s U cpu_s C rate_wall R
 *   rate_busy Q
 * wall from the first batch handed over to the last COMMIT, busy the time
 * with a batch in flight (dbw_stats), cpu this process's user+sys over the
 * same span.  Exit status 0, or 1 with a message when anything failed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include <libpq-fe.h>

#include "collector/dbw.h"
#include "lib/loop.h"
#include "collector/rows.h"
#include "collector/spool.h"

#define AHEAD		4		/* batches waiting for the writer */
#define WAIT_MS		120000		/* for the database, at most */

struct sensor {
	const char	*bmc, *name, *type, *kind, *units, *thresholds;
	const char	*state;		/* as the database last holds it */
	int		 owner, number, record_id, states;
	long long	 id, bmc_id;
};

static void
on_log(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "ingest: %s\n", line);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static const char *
val(PGresult *res, int i, int j)
{
	return PQgetisnull(res, i, j) ? NULL : PQgetvalue(res, i, j);
}

/* Run the loop until done(w) or the deadline; 0, or -1 on timeout. */
static int
run_until(struct loop *l, struct dbw *w, int (*done)(struct dbw *))
{
	double end = now_s() + WAIT_MS / 1000.0;

	while (!done(w)) {
		if (now_s() > end)
			return -1;
		if (loop_run_once(l, 50) == -1)
			return -1;
	}
	return 0;
}

static int
is_idle(struct dbw *w)
{
	return dbw_idle(w);
}

static int
has_room(struct dbw *w)
{
	return dbw_pending(w) < AHEAD;
}

int
main(int argc, char **argv)
{
	const char *conninfo, *spooldir;
	struct sensor *sv;
	struct spool sp;
	struct rows r;
	struct loop *l;
	struct dbw *w;
	PGconn *pg;
	PGresult *res;
	char err[512];
	long rounds;
	size_t batch, ns;
	uint64_t base_ms;
	double t0, c0, t1, c1;
	const struct dbw_stats *st;

	if (argc < 4 || argc > 5) {
		fputs("usage: ingest CONNINFO SPOOLDIR ROUNDS [BATCH_KIB]\n",
		    stderr);
		return 2;
	}
	conninfo = argv[1];
	spooldir = argv[2];
	rounds = strtol(argv[3], NULL, 10);
	batch = (argc > 4 ? strtoul(argv[4], NULL, 10) : 256) * 1024;
	if (rounds < 1 || batch < 1024) {
		fputs("ingest: ROUNDS >= 1, BATCH_KIB >= 1\n", stderr);
		return 2;
	}

	/* the fleet's sensors, and a timestamp after every stored reading */
	pg = PQconnectdb(conninfo);
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "ingest: %s", PQerrorMessage(pg));
		return 1;
	}
	res = PQexec(pg, "SELECT (extract(epoch FROM greatest(now(), "
	    "(SELECT max(ts) FROM sensor_reading))) * 1000)::bigint + 1000");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		fprintf(stderr, "ingest: %s", PQerrorMessage(pg));
		return 1;
	}
	base_ms = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	res = PQexec(pg, "SELECT b.name, s.owner, s.number, s.name, "
	    "s.record_id, s.sensor_type, s.kind, s.units, s.thresholds::text, "
	    "s.id, s.bmc_id, coalesce(s.last_state, 'nominal'), "
	    "coalesce(s.last_states, 0) FROM sensor s JOIN bmc b ON "
	    "b.id = s.bmc_id "
	    "WHERE b.retired_at IS NULL ORDER BY b.id, s.id");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) == 0) {
		fprintf(stderr, "ingest: no sensors in the database (sweep "
		    "first): %s", PQerrorMessage(pg));
		return 1;
	}
	ns = (size_t)PQntuples(res);
	if ((sv = calloc(ns, sizeof(*sv))) == NULL) {
		fputs("ingest: out of memory\n", stderr);
		return 1;
	}
	for (size_t i = 0; i < ns; i++) {
		int k = (int)i;
		const char *rid = val(res, k, 4);

		sv[i].bmc = val(res, k, 0);
		sv[i].owner = atoi(PQgetvalue(res, k, 1));
		sv[i].number = atoi(PQgetvalue(res, k, 2));
		sv[i].name = val(res, k, 3);
		sv[i].record_id = rid != NULL ? atoi(rid) : -1;
		sv[i].type = val(res, k, 5);
		sv[i].kind = val(res, k, 6);
		sv[i].units = val(res, k, 7);
		sv[i].thresholds = val(res, k, 8);
		sv[i].id = strtoll(PQgetvalue(res, k, 9), NULL, 10);
		sv[i].bmc_id = strtoll(PQgetvalue(res, k, 10), NULL, 10);
		sv[i].state = PQgetvalue(res, k, 11);
		sv[i].states = atoi(PQgetvalue(res, k, 12));
	}
	/* res stays alive: sv points into it */

	if (spool_open(&sp, spooldir, (uint64_t)1 << 34, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "ingest: %s\n", err);
		return 1;
	}
	if ((l = loop_new()) == NULL ||
	    (w = dbw_new(l, conninfo, &sp, on_log, NULL)) == NULL) {
		fputs("ingest: out of memory\n", stderr);
		return 1;
	}
	if (run_until(l, w, is_idle) != 0) {
		fprintf(stderr, "ingest: database not ready: %s\n",
		    dbw_status(w));
		return 1;
	}

	rows_init(&r);
	t0 = now_s();
	c0 = cpu_s();
	for (long round = 0; round < rounds; round++) {
		uint64_t ts = base_ms + (uint64_t)round * 1000;

		for (size_t i = 0; i < ns; i++) {
			const struct sensor *s = &sv[i];
			int thr = s->kind != NULL &&
			    strcmp(s->kind, "threshold") == 0;
			int raw = (int)((i * 7 + (size_t)round) % 200);

			rows_start(&r, RT_READING_ID);
			rows_int(&r, s->id);
			rows_int(&r, s->bmc_id);
			rows_time_ms(&r, ts);
			if (thr)
				rows_double(&r, raw * 0.5);
			else
				rows_null(&r);
			rows_int(&r, raw);
			rows_str(&r, thr ? "ok" : NULL);
			rows_str(&r, s->state);
			if (thr)
				rows_null(&r);
			else
				rows_int(&r, s->states);
			if (rows_end(&r) != 0) {
				fputs("ingest: out of memory\n", stderr);
				return 1;
			}
			if (rows_bytes(&r) < batch)
				continue;
			if (run_until(l, w, has_room) != 0 ||
			    dbw_submit(w, &r, err, sizeof(err)) != 0) {
				fprintf(stderr, "ingest: writer stuck: %s %s\n",
				    dbw_status(w), err);
				return 1;
			}
			rows_reset(&r);
		}
	}
	if (r.total > 0 && dbw_submit(w, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "ingest: %s\n", err);
		return 1;
	}
	if (run_until(l, w, is_idle) != 0) {
		fprintf(stderr, "ingest: writer did not finish: %s\n",
		    dbw_status(w));
		return 1;
	}
	t1 = now_s();
	c1 = cpu_s();
	st = dbw_stats(w);
	if (st->readings != (uint64_t)ns * (uint64_t)rounds ||
	    st->quarantined != 0) {
		fprintf(stderr, "ingest: %" PRIu64 " readings committed of %zu, "
		    "%" PRIu64 " batches refused\n", st->readings,
		    ns * (size_t)rounds, st->quarantined);
		return 1;
	}
	printf("ingest: readings %" PRIu64 " sensors %zu batches %" PRIu64
	    " wall_s %.3f busy_s %.3f cpu_s %.3f rate_wall %.0f "
	    "rate_busy %.0f\n", st->readings, ns, st->batches, t1 - t0,
	    (double)st->busy_us / 1e6, c1 - c0,
	    (double)st->readings / (t1 - t0),
	    st->busy_us ? (double)st->readings / ((double)st->busy_us / 1e6) :
	    0.0);
	rows_release(&r);
	dbw_free(w);
	loop_free(l);
	spool_close(&sp);
	PQclear(res);
	PQfinish(pg);
	free(sv);
	return 0;
}
