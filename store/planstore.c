#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "lib/when.h"
#include "store/db.h"
#include "store/fleetstore.h"
#include "store/planstore.h"

#define LOCK_CLASS	0x626d6366	/* "bmcf": advisory locks of plans */


/*
 * ORDER BY a host name in natural order, as cli/hostlist's hostlist_cmp
 * sorts (127.0.0.2 before 127.0.0.10): each run of digits, its leading
 * zeros dropped, is prefixed with its length in three digits, so the
 * key compares numbers as numbers; bytewise ("C"), then by the name
 * itself (node1 and node01).  A batch is loaded, so commanded and
 * audited, in this order too.
 */
#define NATURAL(col) \
	"(SELECT string_agg(CASE WHEN m.t[1] ~ '^[0-9]' THEN " \
	"lpad(length(ltrim(m.t[1], '0'))::text, 3, '0') || " \
	"ltrim(m.t[1], '0') ELSE m.t[1] END, '' ORDER BY m.n) " \
	"FROM regexp_matches(" col ", '[0-9]+|[^0-9]+', 'g') " \
	"WITH ORDINALITY AS m(t, n)) COLLATE \"C\", " col " COLLATE \"C\""

static PGresult *
q(PGconn *pg, const char *sql, int n, const char *const *params)
{
	return PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0);
}

/* A query whose one parameter is a plan's ID. */
static PGresult *
q_plan(PGconn *pg, const char *sql, int64_t plan)
{
	char pid[32];
	const char *p[1] = { pid };

	snprintf(pid, sizeof(pid), "%" PRId64, plan);
	return q(pg, sql, 1, p);
}

/* A query whose parameters are a plan's ID and a stage. */
static PGresult *
q_stage(PGconn *pg, const char *sql, int64_t plan, int stage)
{
	char pid[32], st[16];
	const char *p[2] = { pid, st };

	snprintf(pid, sizeof(pid), "%" PRId64, plan);
	snprintf(st, sizeof(st), "%d", stage);
	return q(pg, sql, 2, p);
}

/* An advisory lock function of (LOCK_CLASS, plan). */
static PGresult *
q_lock(PGconn *pg, const char *sql, int64_t plan)
{
	char pid[32], lk[64];
	const char *p[2] = { lk, pid };

	snprintf(pid, sizeof(pid), "%" PRId64, plan);
	snprintf(lk, sizeof(lk), "%d", LOCK_CLASS);
	return q(pg, sql, 2, p);
}

/* The result's message on one line, into err (which may be NULL). */
static void
say_err(const PGresult *res, char *err, size_t errlen)
{
	size_t n;

	if (err == NULL || errlen == 0)
		return;
	snprintf(err, errlen, "%s", PQresultErrorMessage(res));
	n = strlen(err);
	while (n > 0 && err[n - 1] == '\n')
		err[--n] = '\0';
}

/* A query whose rows do not matter: 0, or -1 with err. */
static int
q_ok(PGconn *pg, const char *sql, int n, const char *const *params,
    char *err, size_t errlen)
{
	PGresult *res = q(pg, sql, n, params);
	ExecStatusType st = PQresultStatus(res);
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok)
		say_err(res, err, errlen);
	PQclear(res);
	return ok ? 0 : -1;
}

/* A query for rows: the result, or NULL with err. */
static PGresult *
q_rows(PGconn *pg, const char *sql, int n, const char *const *params,
    char *err, size_t errlen)
{
	PGresult *res = q(pg, sql, n, params);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		say_err(res, err, errlen);
		PQclear(res);
		return NULL;
	}
	return res;
}

/* --- the executor's store -------------------------------------------------- */

int
planstore_audit(PGconn *pg, const struct plan_audit *a)
{
	char pid[32], st[16], ba[16], dur[32];
	const char *p[12];

	snprintf(pid, sizeof(pid), "%" PRId64, a->plan_id);
	snprintf(st, sizeof(st), "%d", a->stage);
	snprintf(ba, sizeof(ba), "%d", a->batch);
	snprintf(dur, sizeof(dur), "%ld", a->duration_ms);
	p[0] = a->who;
	p[1] = a->origin;
	p[2] = a->plan_id > 0 ? pid : NULL;
	p[3] = a->stage >= 0 ? st : NULL;
	p[4] = a->batch >= 0 ? ba : NULL;
	p[5] = a->host;
	p[6] = a->op;
	p[7] = a->result;
	p[8] = a->detail;
	p[9] = a->duration_ms >= 0 ? dur : NULL;
	p[10] = a->before;
	p[11] = a->after;
	return q_ok(pg, "INSERT INTO audit_log (who, origin, plan_id, stage, "
	    "batch, host, operation, result, detail, duration_ms, "
	    "power_before, power_after) VALUES ($1, $2, $3, $4, $5, $6, $7, "
	    "$8, $9, $10, $11, $12)", 12, p, NULL, 0);
}

int
planstore_plan_state(PGconn *pg, int64_t plan, char *out, size_t len)
{
	PGresult *res;

	res = q_plan(pg, "SELECT state FROM power_plan WHERE id = $1::bigint",
	    plan);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		PQclear(res);
		return -1;
	}
	snprintf(out, len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int
ps_lock(void *ctx, int64_t plan)
{
	PGresult *res;
	int locked;

	res = q_lock(ctx, "SELECT pg_try_advisory_lock($1::integer, "
	    "$2::integer)", plan);
	locked = PQresultStatus(res) == PGRES_TUPLES_OK &&
	    strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return locked;
}

static void
ps_unlock(void *ctx, int64_t plan)
{
	PQclear(q_lock(ctx, "SELECT pg_advisory_unlock($1::integer, "
	    "$2::integer)", plan));
}

static int
ps_plan_state(void *ctx, int64_t plan, char *out, size_t len)
{
	return planstore_plan_state(ctx, plan, out, len);
}

static int
ps_plan_start(void *ctx, int64_t plan, const char *executor, char *err,
    size_t errlen)
{
	char pid[32];
	const char *p[2];

	snprintf(pid, sizeof(pid), "%" PRId64, plan);
	p[0] = pid;
	p[1] = executor;
	return q_ok(ctx, "UPDATE power_plan SET state = 'running', "
	    "started_at = COALESCE(started_at, now()), executor = $2, "
	    "reason = NULL WHERE id = $1::bigint", 2, p, err, errlen);
}

static int
ps_plan_set(void *ctx, int64_t plan, const char *state, int stage,
    const char *reason, char *err, size_t errlen)
{
	char pid[32], st[16];
	const char *p[4];

	snprintf(pid, sizeof(pid), "%" PRId64, plan);
	snprintf(st, sizeof(st), "%d", stage);
	p[0] = pid;
	p[1] = state;
	p[2] = stage >= 0 ? st : NULL;
	p[3] = reason;
	return q_ok(ctx, "UPDATE power_plan SET state = $2, "
	    "stage = COALESCE($3::integer, stage), reason = $4, "
	    "finished_at = CASE WHEN $2 IN ('done', 'aborted', 'failed') "
	    "THEN now() ELSE finished_at END WHERE id = $1::bigint", 4, p,
	    err, errlen);
}

static int
ps_stage_batches(void *ctx, int64_t plan, int stage)
{
	PGresult *res;
	int nb;

	res = q_stage(ctx, "SELECT coalesce(max(batch), -1) FROM "
	    "power_plan_host WHERE plan_id = $1::bigint AND "
	    "stage = $2::integer", plan, stage);
	nb = PQresultStatus(res) == PGRES_TUPLES_OK ?
	    atoi(PQgetvalue(res, 0, 0)) + 1 : 0;
	PQclear(res);
	return nb;
}

static int
ps_stage_failures(void *ctx, int64_t plan, int stage, unsigned *failed,
    unsigned *total)
{
	PGresult *res;

	res = q_stage(ctx, "SELECT count(*) FILTER (WHERE state = 'failed'), "
	    "count(*) FROM power_plan_host WHERE plan_id = $1::bigint "
	    "AND stage = $2::integer", plan, stage);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return -1;
	}
	*failed = (unsigned)atoi(PQgetvalue(res, 0, 0));
	*total = (unsigned)atoi(PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

static int
ps_batch_load(void *ctx, int64_t plan, int stage, int batch,
    int (*each)(void *, const struct plan_host_row *), void *arg,
    char *err, size_t errlen)
{
	char pid[32], st[16], ba[16];
	const char *p[3];
	PGresult *res;

	snprintf(pid, sizeof(pid), "%" PRId64, plan);
	snprintf(st, sizeof(st), "%d", stage);
	snprintf(ba, sizeof(ba), "%d", batch);
	p[0] = pid;
	p[1] = st;
	p[2] = ba;
	if ((res = q_rows(ctx, "SELECT name, state, attempts, "
	    "coalesce(power_before, '') FROM power_plan_host "
	    "WHERE plan_id = $1::bigint AND stage = $2::integer "
	    "AND batch = $3::integer ORDER BY " NATURAL("name"), 3, p, err,
	    errlen)) ==
	    NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct plan_host_row h;

		h.name = PQgetvalue(res, i, 0);
		h.state = PQgetvalue(res, i, 1);
		h.attempts = (unsigned)atoi(PQgetvalue(res, i, 2));
		h.before = PQgetvalue(res, i, 3);
		if (each(arg, &h) != 0) {
			snprintf(err, errlen, "out of memory");
			PQclear(res);
			return -1;
		}
	}
	PQclear(res);
	return 0;
}

static int
ps_host_save(void *ctx, int64_t plan, int stage,
    const struct plan_host_row *h, const char *after, const char *error,
    char *err, size_t errlen)
{
	char pid[32], st[16], att[16];
	const char *p[8];

	snprintf(pid, sizeof(pid), "%" PRId64, plan);
	snprintf(st, sizeof(st), "%d", stage);
	snprintf(att, sizeof(att), "%u", h->attempts);
	p[0] = pid;
	p[1] = st;
	p[2] = h->name;
	p[3] = h->state;
	p[4] = att;
	p[5] = h->before != NULL && h->before[0] ? h->before : NULL;
	p[6] = after;
	p[7] = error;
	/* what we saw is the power state history too */
	if (after != NULL && strcmp(after, "unknown") != 0) {
		const char *pp[2] = { h->name, after };

		(void)q_ok(ctx, "INSERT INTO power_state (bmc_id, ts, "
		    "power_on, source) SELECT id, now(), $2 = 'on', 'plan' "
		    "FROM bmc WHERE name = $1 ON CONFLICT DO NOTHING", 2, pp,
		    NULL, 0);
	}
	return q_ok(ctx, "UPDATE power_plan_host SET state = $4, "
	    "attempts = $5::integer, power_before = COALESCE(power_before, $6), "
	    "power_after = COALESCE($7, power_after), error = $8, "
	    "commanded_at = CASE WHEN $4 = 'commanded' THEN now() ELSE "
	    "commanded_at END, confirmed_at = CASE WHEN $4 = 'confirmed' "
	    "THEN now() ELSE confirmed_at END "
	    "WHERE plan_id = $1::bigint AND stage = $2::integer AND name = $3",
	    8, p, err, errlen);
}

static int
ps_audit(void *ctx, const struct plan_audit *a)
{
	return planstore_audit(ctx, a);
}

const struct plan_store_ops planstore_ops = {
	.lock = ps_lock,
	.unlock = ps_unlock,
	.plan_state = ps_plan_state,
	.plan_start = ps_plan_start,
	.plan_set = ps_plan_set,
	.stage_batches = ps_stage_batches,
	.stage_failures = ps_stage_failures,
	.batch_load = ps_batch_load,
	.host_save = ps_host_save,
	.audit = ps_audit,
};

/* --- storing a plan ------------------------------------------------------- */

static const char *
name_at(void *arg, size_t i)
{
	return ((const char *const *)arg)[i];
}

int
planstore_estimates(PGconn *pg, const char *const *names, size_t n,
    void (*each)(void *, const struct plan_host_est *), void *arg,
    char *err, size_t errlen)
{
	char *lit;
	const char *p[1];
	PGresult *res;

	if ((lit = fs_text_array(n, name_at, (void *)names)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p[0] = lit;
	res = q_rows(pg,
	    "SELECT b.name, (SELECT max(pr.max_w) FROM power_reading pr "
	    "WHERE pr.bmc_id = b.id AND pr.power_on AND "
	    "pr.ts > now() - interval '30 days'), p.manufacturer, p.product, "
	    "(SELECT ps.power_on FROM power_state ps WHERE ps.bmc_id = b.id "
	    "ORDER BY ps.ts DESC LIMIT 1) FROM bmc b "
	    "LEFT JOIN bmc_profile p ON p.bmc_id = b.id "
	    "WHERE b.name = ANY($1::text[])", 1, p, err, errlen);
	free(lit);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		struct plan_host_est e;

		memset(&e, 0, sizeof(e));
		e.name = PQgetvalue(res, r, 0);
		if ((e.have_peak = !PQgetisnull(res, r, 1)))
			e.peak_w = (uint32_t)atoi(PQgetvalue(res, r, 1));
		if ((e.have_model = !PQgetisnull(res, r, 2))) {
			e.manufacturer = (uint32_t)strtoul(PQgetvalue(res, r,
			    2), NULL, 10);
			e.product = (uint16_t)strtoul(PQgetvalue(res, r, 3),
			    NULL, 10);
		}
		if ((e.have_power = !PQgetisnull(res, r, 4)))
			e.power_on = PQgetvalue(res, r, 4)[0] == 't';
		each(arg, &e);
	}
	PQclear(res);
	return 0;
}

int
planstore_plan_create(PGconn *pg, const char *name, const char *spec,
    const char *run_at, const char *who, const char *origin, int64_t *id,
    char *err, size_t errlen)
{
	const char *p[6];
	PGresult *res;

	p[0] = name;
	p[1] = spec;
	p[2] = run_at != NULL ? "scheduled" : "stored";
	p[3] = run_at;
	p[4] = who;
	p[5] = origin;
	if ((res = q_rows(pg, "INSERT INTO power_plan (name, spec, "
	    "state, run_at, created_by, created_from) VALUES ($1, "
	    "$2::jsonb, $3, $4::timestamptz, $5, $6) RETURNING id", 6, p, err,
	    errlen)) == NULL)
		return -1;
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

int
planstore_host_add(PGconn *pg, int64_t plan, size_t stage, const char *name,
    unsigned batch, uint32_t watts)
{
	char pid[32], st[32], ba[16], w[16];
	const char *p[5];

	snprintf(pid, sizeof(pid), "%" PRId64, plan);
	snprintf(st, sizeof(st), "%zu", stage);
	snprintf(ba, sizeof(ba), "%u", batch);
	snprintf(w, sizeof(w), "%u", watts);
	p[0] = pid;
	p[1] = st;
	p[2] = name;
	p[3] = ba;
	p[4] = w;
	return q_ok(pg, "INSERT INTO power_plan_host "
	    "(plan_id, stage, name, bmc_id, batch, est_watts) "
	    "VALUES ($1::bigint, $2::integer, $3, (SELECT id "
	    "FROM bmc WHERE name = $3), $4::integer, "
	    "$5::integer)", 5, p, NULL, 0);
}

int
planstore_plan_spec(PGconn *pg, int64_t plan, char **spec)
{
	PGresult *res;

	*spec = NULL;
	res = q_plan(pg, "SELECT spec FROM power_plan WHERE "
	    "id = $1::bigint", plan);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		PQclear(res);
		return -1;
	}
	*spec = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return *spec != NULL ? 0 : -1;
}

int
planstore_plan_abort(PGconn *pg, int64_t plan)
{
	PGresult *res;
	int done;

	res = q_plan(pg, "UPDATE power_plan SET "
	    "state = 'aborted', reason = 'aborted by an "
	    "operator', finished_at = now() WHERE id = "
	    "$1::bigint AND state NOT IN ('done', 'aborted') "
	    "RETURNING id", plan);
	done = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
	PQclear(res);
	return done;
}

int
planstore_plan_next_due(PGconn *pg, int64_t *id)
{
	PGresult *res;

	res = PQexec(pg, "SELECT id FROM power_plan WHERE state = "
	    "'scheduled' AND run_at <= now() ORDER BY run_at, id "
	    "LIMIT 1");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 1;
}

int
planstore_plan_scheduled(PGconn *pg, int64_t plan)
{
	PGresult *res;
	int still;

	res = q_plan(pg, "SELECT 1 FROM power_plan WHERE "
	    "id = $1::bigint AND state = 'scheduled'", plan);
	still = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0;
	PQclear(res);
	return still;
}

/* --- listings ----------------------------------------------------------- */

void
plan_table_release(struct plan_table *t)
{
	for (size_t i = 0; t->cols != NULL && i < t->ncols; i++)
		free(t->cols[i]);
	for (size_t i = 0; t->cells != NULL && i < t->ncols * t->nrows; i++)
		free(t->cells[i]);
	free(t->cols);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

int
planstore_table_of(const struct pg_result *res, struct plan_table *t,
    char *err, size_t errlen)
{
	size_t nf, nr;

	memset(t, 0, sizeof(*t));
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		say_err(res, err, errlen);
		return -1;
	}
	nf = (size_t)PQnfields(res);
	nr = (size_t)PQntuples(res);
	t->cols = calloc(nf ? nf : 1, sizeof(*t->cols));
	t->cells = calloc(nf != 0 && nr != 0 ? nf * nr : 1,
	    sizeof(*t->cells));
	if (t->cols == NULL || t->cells == NULL)
		goto nomem;
	t->ncols = nf;
	t->nrows = nr;
	for (size_t f = 0; f < nf; f++)
		if ((t->cols[f] = strdup(PQfname(res, (int)f))) == NULL)
			goto nomem;
	for (size_t r = 0; r < nr; r++)
		for (size_t f = 0; f < nf; f++)
			if (!PQgetisnull(res, (int)r, (int)f) &&
			    (t->cells[r * nf + f] = strdup(PQgetvalue(res,
			    (int)r, (int)f))) == NULL)
				goto nomem;
	return 0;
nomem:
	plan_table_release(t);
	snprintf(err, errlen, "out of memory");
	return -1;
}

/* A query's rows (res, cleared here) as a table. */
static int
table(PGresult *res, struct plan_table *t, char *err, size_t errlen)
{
	int rc = planstore_table_of(res, t, err, errlen);

	PQclear(res);
	return rc;
}

static const char sql_plan_hosts[] = "SELECT stage, batch + 1 AS batch, "
    "name AS host, state, attempts, coalesce(power_before, '') AS before, "
    "coalesce(power_after, '') AS after, coalesce(error, '') AS error "
    "FROM power_plan_host WHERE plan_id = $1::bigint "
    "ORDER BY stage, batch, " NATURAL("name");

static const char sql_plan_list[] = "SELECT id, coalesce(name, '') AS "
    "name, state, to_char(created_at AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created, "
    "created_by AS by, coalesce(to_char(run_at AT TIME "
    "ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') "
    "AS run_at, (SELECT count(*) FROM power_plan_host h "
    "WHERE h.plan_id = p.id) AS hosts, coalesce(reason, "
    "'') AS reason FROM power_plan p ORDER BY id";

static const char sql_audit_list[] =
    "SELECT * FROM (SELECT to_char(at AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS at, who, origin, plan_id "
    "AS plan, stage, batch + 1 AS batch, host, operation, result, "
    "duration_ms, power_before AS before, power_after AS after, "
    "detail, id FROM audit_log WHERE ($1::timestamptz IS NULL OR at >= "
    "$1::timestamptz) AND ($2::text IS NULL OR host = $2) AND "
    "($3::text IS NULL OR plan_id = $3::bigint) ORDER BY id DESC "
    "LIMIT $4::integer) a ORDER BY id";

int
planstore_plan_show(PGconn *pg, int64_t plan, struct plan_table *t,
    char *err, size_t errlen)
{
	return table(q_plan(pg, "SELECT id, coalesce(name, '') AS name, "
	    "state, coalesce(spec -> 'stages' -> stage ->> 'name', '') AS stage, "
	    "to_char(created_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created, created_by AS by, "
	    "coalesce(to_char(run_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') AS run_at, "
	    "coalesce(reason, '') AS reason FROM power_plan "
	    "WHERE id = $1::bigint", plan), t, err, errlen);
}

int
planstore_plan_batches(PGconn *pg, int64_t plan, struct plan_table *t,
    char *err, size_t errlen)
{
	return table(q_plan(pg, "SELECT h.stage, "
	    "p.spec -> 'stages' -> h.stage ->> 'name' AS name, "
	    "h.batch + 1 AS batch, count(*) AS hosts, "
	    "count(*) FILTER (WHERE h.state = 'pending') AS pending, "
	    "count(*) FILTER (WHERE h.state IN ('commanding', 'commanded')) "
	    "AS commanded, count(*) FILTER (WHERE h.state = 'confirmed') "
	    "AS confirmed, count(*) FILTER (WHERE h.state = 'skipped') "
	    "AS skipped, count(*) FILTER (WHERE h.state = 'failed') AS failed, "
	    "sum(h.est_watts) AS est_watts FROM power_plan_host h "
	    "JOIN power_plan p ON p.id = h.plan_id WHERE h.plan_id = "
	    "$1::bigint GROUP BY 1, 2, 3 ORDER BY 1, 3", plan), t, err,
	    errlen);
}

int
planstore_plan_hosts(PGconn *pg, int64_t plan, struct plan_table *t,
    char *err, size_t errlen)
{
	return table(q_plan(pg, sql_plan_hosts, plan), t, err, errlen);
}

int
planstore_plan_list(PGconn *pg, struct plan_table *t, char *err,
    size_t errlen)
{
	return table(q(pg, sql_plan_list, 0, NULL), t, err, errlen);
}

int
planstore_listing(enum planstore_listing what, int64_t plan,
    int64_t since_ms, const char *host, const char *plan_s,
    const char *limit, struct planstore_q *pq, char *err, size_t errlen)
{
	memset(pq, 0, sizeof(*pq));
	switch (what) {
	case PLANSTORE_LIST:
		pq->sql = sql_plan_list;
		return 0;
	case PLANSTORE_HOSTS:
		pq->sql = sql_plan_hosts;
		snprintf(pq->buf[0], sizeof(pq->buf[0]), "%" PRId64, plan);
		pq->params[0] = pq->buf[0];
		pq->nparams = 1;
		return 0;
	case PLANSTORE_AUDIT:
		break;
	}
	/* an instant as ISO 8601 UTC: never text the server interprets */
	if (since_ms >= 0 && when_format_utc(since_ms, pq->buf[0],
	    sizeof(pq->buf[0])) == 0) {
		snprintf(err, errlen, "audit: a time out of range");
		return -1;
	}
	pq->sql = sql_audit_list;
	pq->params[0] = since_ms >= 0 ? pq->buf[0] : NULL;
	pq->params[1] = host;
	pq->params[2] = plan_s;
	pq->params[3] = limit != NULL ? limit : "1000";
	pq->nparams = 4;
	return 0;
}

int
planstore_audit_list(PGconn *pg, int64_t since_ms, const char *host,
    const char *plan, const char *limit, struct plan_table *t, char *err,
    size_t errlen)
{
	struct planstore_q pq;

	if (planstore_listing(PLANSTORE_AUDIT, 0, since_ms, host, plan, limit,
	    &pq, err, errlen) != 0) {
		memset(t, 0, sizeof(*t));
		return -1;
	}
	return table(q(pg, pq.sql, pq.nparams, pq.params), t, err, errlen);
}
