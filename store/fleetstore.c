/*
 * fleetstore: the collector's own SQL, awaited on the loop; see
 * fleetstore.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/fleetstore.h"
#include "lib/loop.h"

void
fs_init(struct fleetstore *fs, struct loop *l, uint64_t timeout_ms,
    volatile int *stop, void (*log)(void *, const char *), void *arg)
{
	memset(fs, 0, sizeof(*fs));
	fs->loop = l;
	fs->wait.timeout_ms = timeout_ms;
	fs->wait.stop = stop;
	fs->log = log;
	fs->log_arg = arg;
	fs->renew_fd = -1;
}

static void
say(struct fleetstore *fs, const char *line)
{
	fs->log(fs->log_arg, line);
}

/* The connection gave no answer (err): dropped, said unless stopping. */
static void
lost(struct fleetstore *fs, const char *err)
{
	char msg[768];

	PQfinish(fs->pg);
	fs->pg = NULL;
	if (fs->wait.stop == NULL || !*fs->wait.stop) {
		snprintf(msg, sizeof(msg), "database: %.600s; this sweep goes "
		    "on without it, rows wait in the spool", err);
		say(fs, msg);
	}
}

int
fs_connect(struct fleetstore *fs, const char *conninfo, char *err,
    size_t errlen)
{
	fs_close(fs);
	if (pgq_connect(fs->loop, conninfo, &fs->wait, &fs->pg, err,
	    errlen) != 0) {
		fs->pg = NULL;
		return FS_GONE;
	}
	return FS_OK;
}

void
fs_close(struct fleetstore *fs)
{
	if (fs->renewing) {
		loop_del_fd(fs->loop, fs->renew_fd);
		fs->renewing = 0;
	}
	if (fs->pg != NULL)
		PQfinish(fs->pg);
	fs->pg = NULL;
}

int
fs_up(struct fleetstore *fs)
{
	if (fs->pg != NULL && PQstatus(fs->pg) == CONNECTION_OK)
		return 1;
	fs_close(fs);
	return 0;
}

/*
 * One statement: the result with status want (the caller PQclears it),
 * or NULL: the server's error said (*rc FS_ERROR), or the connection gone
 * (*rc FS_GONE).
 */
static PGresult *
q(struct fleetstore *fs, const char *sql, int nparams,
    const char *const *params, int binary, ExecStatusType want, int *rc)
{
	char err[512];
	PGresult *res;

	*rc = FS_GONE;
	if (fs->pg == NULL)
		return NULL;
	fs_renew_settle(fs);
	if (fs->pg == NULL)
		return NULL;
	if ((res = pgq_exec(fs->loop, fs->pg, sql, nparams, params, binary,
	    &fs->wait, err, sizeof(err))) == NULL) {
		lost(fs, err);
		return NULL;
	}
	if (PQresultStatus(res) != want) {
		say(fs, PQresultErrorMessage(res));
		PQclear(res);
		*rc = FS_ERROR;
		return NULL;
	}
	*rc = FS_OK;
	return res;
}

char *
fs_text_array(size_t n, const char *(*name)(void *, size_t), void *arg)
{
	size_t cap = 3, len = 0;
	int first = 1;
	const char *s;
	char *p;

	for (size_t i = 0; i < n; i++)
		if ((s = name(arg, i)) != NULL)
			cap += 2 * strlen(s) + 3;
	if ((p = malloc(cap)) == NULL)
		return NULL;
	p[len++] = '{';
	for (size_t i = 0; i < n; i++) {
		if ((s = name(arg, i)) == NULL)
			continue;
		if (!first)
			p[len++] = ',';
		first = 0;
		p[len++] = '"';
		for (; *s; s++) {
			if (*s == '"' || *s == '\\')
				p[len++] = '\\';
			p[len++] = *s;
		}
		p[len++] = '"';
	}
	p[len++] = '}';
	p[len] = '\0';
	return p;
}

int
fs_schema_version(struct fleetstore *fs, int *version)
{
	PGresult *res;
	int rc, exists;

	*version = 0;
	if ((res = q(fs, "SELECT to_regclass('schema_migrations') IS NOT "
	    "NULL", 0, NULL, 0, PGRES_TUPLES_OK, &rc)) == NULL)
		return rc;
	exists = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") ==
	    0;
	PQclear(res);
	if (!exists)
		return FS_OK;
	if ((res = q(fs, "SELECT coalesce(max(version), 0) FROM "
	    "schema_migrations", 0, NULL, 0, PGRES_TUPLES_OK, &rc)) == NULL)
		return rc;
	if (PQntuples(res) == 1)
		*version = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return FS_OK;
}

int
fs_missing(struct fleetstore *fs, const char *names, long *missing,
    long *total, char *list, size_t listlen)
{
	const char *params[1] = { names };
	PGresult *res;
	int rc;

	if ((res = q(fs, "SELECT count(*) FILTER (WHERE NOT "
	    "(name = ANY($1::text[]))), count(*), string_agg(name, ', ' "
	    "ORDER BY name) FILTER (WHERE NOT (name = ANY($1::text[]))) "
	    "FROM bmc WHERE retired_at IS NULL", 1, params, 0,
	    PGRES_TUPLES_OK, &rc)) == NULL)
		return rc;
	*missing = atol(PQgetvalue(res, 0, 0));
	*total = atol(PQgetvalue(res, 0, 1));
	snprintf(list, listlen, "%s", PQgetvalue(res, 0, 2));
	PQclear(res);
	return FS_OK;
}

int
fs_memory(struct fleetstore *fs,
    void (*each)(void *, const struct fs_memory *), void *arg)
{
	PGresult *res;
	int rc;

	if ((res = q(fs, "SELECT b.name, c.entries, c.add_ts, c.erase_ts, "
	    "c.last_record_id, extract(epoch FROM p.fru_checked_at) * 1000, "
	    "p.cipher_suite, p.sdr_key, p.guid FROM bmc b "
	    "LEFT JOIN sel_cursor c ON c.bmc_id = b.id "
	    "LEFT JOIN bmc_profile p ON p.bmc_id = b.id "
	    "WHERE b.retired_at IS NULL", 0, NULL, 0, PGRES_TUPLES_OK,
	    &rc)) == NULL)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		struct fs_memory m;

		memset(&m, 0, sizeof(m));
		m.name = PQgetvalue(res, i, 0);
		if (!PQgetisnull(res, i, 1)) {
			m.have_cursor = 1;
			m.sel_entries = (uint16_t)strtoul(PQgetvalue(res, i,
			    1), NULL, 10);
			m.sel_add_ts = (uint32_t)strtoul(PQgetvalue(res, i,
			    2), NULL, 10);
			m.sel_erase_ts = (uint32_t)strtoul(PQgetvalue(res, i,
			    3), NULL, 10);
			m.sel_last_id = (uint16_t)strtoul(PQgetvalue(res, i,
			    4), NULL, 10);
		}
		if (!PQgetisnull(res, i, 5)) {
			m.have_fru = 1;
			m.fru_checked_ms = (uint64_t)strtod(PQgetvalue(res, i,
			    5), NULL);
		}
		m.suite = PQgetisnull(res, i, 6) ? -1 :
		    atoi(PQgetvalue(res, i, 6));
		m.sdr_key = PQgetisnull(res, i, 7) ? NULL :
		    PQgetvalue(res, i, 7);
		m.guid = PQgetisnull(res, i, 8) ? NULL : PQgetvalue(res, i, 8);
		each(arg, &m);
	}
	PQclear(res);
	return FS_OK;
}

static const char *
key_at(void *arg, size_t i)
{
	return ((const char **)arg)[i];
}

/*
 * The keys first (the BMCs' last used, not the whole sdr_cache table: it
 * holds every key any BMC ever reported, a churning one's included), then
 * the repositories of those not held already.
 */
int
fs_sdr_load(struct fleetstore *fs, const char *names,
    int (*has)(void *, const char *key),
    void (*each)(void *, const char *key, const uint8_t *recs, size_t len),
    void *arg)
{
	const char *params[1] = { names };
	const char **keys;
	PGresult *res;
	char *want;
	size_t n = 0;
	int rc;

	if ((res = q(fs, "SELECT DISTINCT p.sdr_key FROM bmc_profile "
	    "p JOIN bmc b ON b.id = p.bmc_id WHERE p.sdr_key IS NOT NULL AND "
	    "b.retired_at IS NULL AND b.name = ANY($1::text[])", 1, params, 0,
	    PGRES_TUPLES_OK, &rc)) == NULL)
		return rc;
	if ((keys = calloc((size_t)PQntuples(res) + 1, sizeof(*keys))) ==
	    NULL) {
		PQclear(res);
		return FS_ERROR;
	}
	for (int i = 0; i < PQntuples(res); i++)
		if (!has(arg, PQgetvalue(res, i, 0)))
			keys[n++] = PQgetvalue(res, i, 0);
	want = n > 0 ? fs_text_array(n, key_at, keys) : NULL;
	free(keys);
	PQclear(res);
	if (want == NULL)
		return n > 0 ? FS_ERROR : FS_OK;
	params[0] = want;
	res = q(fs, "SELECT key, records FROM sdr_cache WHERE key = "
	    "ANY($1::text[])", 1, params, 1, PGRES_TUPLES_OK, &rc);
	free(want);
	if (res == NULL)
		return rc;
	for (int i = 0; i < PQntuples(res); i++)
		each(arg, PQgetvalue(res, i, 0),
		    (const uint8_t *)PQgetvalue(res, i, 1),
		    (size_t)PQgetlength(res, i, 1));
	PQclear(res);
	return FS_OK;
}

static const char *
nullable(const PGresult *res, int i, int j)
{
	return PQgetisnull(res, i, j) ? NULL : PQgetvalue(res, i, j);
}

static const char sensor_ids_sql[] =
    "DECLARE bmcfleet_sensor_ids NO SCROLL CURSOR FOR "
    "SELECT b.name, s.owner, s.number, s.name, s.id, "
    "s.bmc_id, s.record_id, s.sensor_type, s.kind, s.units, "
    "s.thresholds::text, s.last_state, s.last_states, "
    "coalesce(g.digest, 0) FROM sensor s JOIN bmc b ON b.id = s.bmc_id "
    "LEFT JOIN bmc_state_digest g ON g.bmc_id = s.bmc_id "
    "WHERE b.retired_at IS NULL AND b.name = ANY($1::text[]) AND "
    "s.id > $2::bigint";
#define SENSOR_IDS_FETCH	"FETCH 8192 FROM bmcfleet_sensor_ids"

static void
sensor_rows(const PGresult *res, void (*each)(void *,
    const struct fs_sensor *), void *arg)
{
	struct fs_sensor se;

	for (int i = 0; i < PQntuples(res); i++) {
		se.bmc = PQgetvalue(res, i, 0);
		se.owner = atoi(PQgetvalue(res, i, 1));
		se.number = atoi(PQgetvalue(res, i, 2));
		se.name = PQgetvalue(res, i, 3);
		se.id = strtoll(PQgetvalue(res, i, 4), NULL, 10);
		se.bmc_id = strtoll(PQgetvalue(res, i, 5), NULL, 10);
		se.record_id = PQgetisnull(res, i, 6) ? -1 :
		    atoi(PQgetvalue(res, i, 6));
		se.type = nullable(res, i, 7);
		se.kind = nullable(res, i, 8);
		se.units = nullable(res, i, 9);
		se.thresholds = nullable(res, i, 10);
		se.state = nullable(res, i, 11);
		se.has_states = !PQgetisnull(res, i, 12);
		se.states = se.has_states ? (unsigned)strtoul(PQgetvalue(res,
		    i, 12), NULL, 10) : 0;
		se.digest = strtoll(PQgetvalue(res, i, 13), NULL, 10);
		each(arg, &se);
	}
}

/* One statement on the connection, its result awaited: FS_OK, or FS_GONE
 * (the connection dropped) or FS_ERROR (refused, said) */
static int
step(struct fleetstore *fs, const char *sql, int nparams,
    const char *const *params, ExecStatusType want)
{
	char err[512];
	PGresult *res;
	int rc = FS_OK;

	if (pgq_send(fs->pg, sql, nparams, params, 0, err, sizeof(err)) != 0 ||
	    (res = pgq_result(fs->loop, fs->pg, &fs->wait, err,
	    sizeof(err))) == NULL) {
		lost(fs, err);
		return FS_GONE;
	}
	if (PQresultStatus(res) != want) {
		say(fs, PQresultErrorMessage(res));
		rc = FS_ERROR;
	}
	PQclear(res);
	return rc;
}

/*
 * One query through a cursor: one scan of sensor for the whole fleet (a
 * query per chunk of BMCs scanned it once a chunk: three times the
 * server's CPU for 1,000 BMCs), its rows taken FETCH by FETCH so that no
 * more than two fetches' results are held (a 10,000-BMC fleet's 330,000
 * sensors in one result would be about 120 MB), the next fetch running on
 * the server while this process files the one before.  In a transaction
 * of its own (a cursor needs one), rolled back when anything failed.
 */
int
fs_sensor_ids(struct fleetstore *fs, const char *names, long long after_id,
    void (*each)(void *, const struct fs_sensor *), void *arg)
{
	char after[24], err[512];
	const char *params[2] = { names, after };
	PGresult *res;
	int rc, more = 1;

	if (fs->pg == NULL)
		return FS_GONE;
	fs_renew_settle(fs);
	if (fs->pg == NULL)
		return FS_GONE;
	snprintf(after, sizeof(after), "%lld", after_id);
	/* one snapshot: a BMC's digest and its sensors' states agree */
	if ((rc = step(fs, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL,
	    PGRES_COMMAND_OK)) != FS_OK)
		return rc;
	if ((rc = step(fs, sensor_ids_sql, 2, params, PGRES_COMMAND_OK)) !=
	    FS_OK)
		goto end;
	if (pgq_send(fs->pg, SENSOR_IDS_FETCH, 0, NULL, 0, err,
	    sizeof(err)) != 0) {
		lost(fs, err);
		return FS_GONE;
	}
	while (more) {
		if ((res = pgq_result(fs->loop, fs->pg, &fs->wait, err,
		    sizeof(err))) == NULL) {
			lost(fs, err);
			return FS_GONE;
		}
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			/* nothing else was sent: the connection is clear */
			say(fs, PQresultErrorMessage(res));
			PQclear(res);
			rc = FS_ERROR;
			goto end;
		}
		more = PQntuples(res) > 0;
		if (more && pgq_send(fs->pg, SENSOR_IDS_FETCH, 0, NULL, 0, err,
		    sizeof(err)) != 0) {
			PQclear(res);
			lost(fs, err);
			return FS_GONE;
		}
		sensor_rows(res, each, arg);
		PQclear(res);
	}
end:
	if (fs->pg == NULL)
		return FS_GONE;
	{
		int end_rc = step(fs, rc == FS_OK ? "COMMIT" : "ROLLBACK", 0,
		    NULL, PGRES_COMMAND_OK);

		return rc != FS_OK ? rc : end_rc;
	}
}

int
fs_lease_prepare(struct fleetstore *fs)
{
	PGresult *res;
	int rc;

	if ((res = q(fs, "INSERT INTO collector_lease (bmc_id, holder, "
	    "expires_at) SELECT id, '', '-infinity' FROM bmc WHERE "
	    "retired_at IS NULL ON CONFLICT DO NOTHING", 0, NULL, 0,
	    PGRES_COMMAND_OK, &rc)) == NULL)
		return rc;
	PQclear(res);
	return FS_OK;
}

long
fs_lease_claim(struct fleetstore *fs, const char *names, const char *holder,
    size_t max, uint64_t since_ms, uint64_t lease_ms,
    void (*each)(void *, const char *name, long long age_ms), void *arg)
{
	char lim[32], since[64], lease[32];
	const char *params[5];
	PGresult *res;
	long n;
	int rc;

	snprintf(lim, sizeof(lim), "%zu", max);
	snprintf(since, sizeof(since), "%.3f", (double)since_ms / 1000);
	snprintf(lease, sizeof(lease), "%" PRIu64 " milliseconds", lease_ms);
	params[0] = names;
	params[1] = holder;
	params[2] = lim;
	params[3] = since;
	params[4] = lease;
	if ((res = q(fs,
	    "UPDATE collector_lease l SET holder = $2, acquired_at = now(), "
	    "expires_at = now() + $5::interval "
	    "FROM (SELECT l2.bmc_id FROM collector_lease l2 "
	    "JOIN bmc b ON b.id = l2.bmc_id "
	    "WHERE b.retired_at IS NULL AND b.name = ANY($1::text[]) "
	    "AND l2.expires_at < now() AND (l2.swept_at IS NULL OR "
	    "l2.swept_at < to_timestamp($4::double precision)) "
	    "ORDER BY l2.bmc_id LIMIT $3::integer "
	    "FOR UPDATE OF l2 SKIP LOCKED) c "
	    "WHERE l.bmc_id = c.bmc_id "
	    "RETURNING (SELECT name FROM bmc WHERE id = l.bmc_id), "
	    "(extract(epoch FROM now() - l.swept_at) * 1000)::bigint",
	    5, params, 0, PGRES_TUPLES_OK, &rc)) == NULL)
		return rc;
	n = PQntuples(res);
	for (int i = 0; i < n; i++)
		each(arg, PQgetvalue(res, i, 0), PQgetisnull(res, i, 1) ? -1 :
		    atoll(PQgetvalue(res, i, 1)));
	PQclear(res);
	return n;
}

int
fs_lease_idle(struct fleetstore *fs, const char *names, const char *holder,
    uint64_t since_ms, struct fs_idle *out)
{
	char since[64];
	const char *params[3];
	PGresult *res;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(since, sizeof(since), "%.3f", (double)since_ms / 1000);
	params[0] = names;
	params[1] = since;
	params[2] = holder;
	/* a lease holder is a run key, host:pid:ms; the host:pid names it */
	if ((res = q(fs,
	    "WITH l AS (SELECT coalesce(l.swept_at >= "
	    "to_timestamp($2::double precision), false) AS recent, "
	    "l.swept_at, l.expires_at >= now() AND l.holder <> $3 "
	    "AND l.holder <> '' AS leased, l.holder "
	    "FROM collector_lease l JOIN bmc b ON b.id = l.bmc_id "
	    "WHERE b.retired_at IS NULL AND b.name = ANY($1::text[])) "
	    "SELECT count(*) FILTER (WHERE recent), "
	    "greatest(0, (extract(epoch FROM min(swept_at) FILTER "
	    "(WHERE recent) - to_timestamp($2::double precision)) * 1000)"
	    "::bigint), "
	    "count(*) FILTER (WHERE NOT recent AND leased), "
	    "cardinality($1::text[]) - count(*), "
	    "regexp_replace(mode() WITHIN GROUP (ORDER BY holder) FILTER "
	    "(WHERE NOT recent AND leased), ':[0-9]+$', '') FROM l",
	    3, params, 0, PGRES_TUPLES_OK, &rc)) == NULL)
		return rc;
	out->not_due = atol(PQgetvalue(res, 0, 0));
	out->next_ms = PQgetisnull(res, 0, 1) ? 0 :
	    strtoull(PQgetvalue(res, 0, 1), NULL, 10);
	out->leased = atol(PQgetvalue(res, 0, 2));
	out->missing = atol(PQgetvalue(res, 0, 3));
	snprintf(out->holder, sizeof(out->holder), "%s",
	    PQgetvalue(res, 0, 4));
	PQclear(res);
	return FS_OK;
}

/* The renewal's answer, read when the socket says so. */
static void
renew_read(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct fleetstore *fs = arg;
	PGresult *res;

	if (ev & LOOP_WRITE) {
		int f = PQflush(fs->pg);

		if (f == -1) {
			say(fs, PQerrorMessage(fs->pg));
			goto done;
		}
		if (f == 0)
			(void)loop_mod_fd(l, fd, LOOP_READ);
	}
	if (!(ev & LOOP_READ))
		return;
	if (!PQconsumeInput(fs->pg)) {
		say(fs, PQerrorMessage(fs->pg));
		goto done;
	}
	while (!PQisBusy(fs->pg)) {
		if ((res = PQgetResult(fs->pg)) == NULL)
			goto done;
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			say(fs, PQresultErrorMessage(res));
		PQclear(res);
	}
	return;
done:
	loop_del_fd(l, fd);
	fs->renewing = 0;
}

void
fs_renew(struct fleetstore *fs, const char *holder, uint64_t lease_ms)
{
	const char *params[2];
	char lease[32];
	int f = 0;

	if (fs->pg == NULL || fs->renewing)
		return;		/* the last one still out: no pile-up */
	snprintf(lease, sizeof(lease), "%" PRIu64 " milliseconds", lease_ms);
	params[0] = holder;
	params[1] = lease;
	if (PQsetnonblocking(fs->pg, 1) != 0 ||
	    /* rows the writer's merge holds are skipped, never waited
	     * for: it is releasing them, and waiting in another order than
	     * its own deadlocked the two (seen by the fault matrix) */
	    !PQsendQueryParams(fs->pg, "UPDATE collector_lease l SET "
	    "expires_at = now() + $2::interval FROM (SELECT bmc_id FROM "
	    "collector_lease WHERE holder = $1 AND expires_at > now() "
	    "ORDER BY bmc_id FOR UPDATE SKIP LOCKED) r "
	    "WHERE l.bmc_id = r.bmc_id", 2, NULL, params, NULL, NULL, 0) ||
	    (f = PQflush(fs->pg)) == -1 ||
	    loop_add_fd(fs->loop, fs->renew_fd = PQsocket(fs->pg), LOOP_READ |
	    (f == 1 ? LOOP_WRITE : 0), renew_read, fs) != 0) {
		say(fs, PQerrorMessage(fs->pg));
		return;
	}
	fs->renewing = 1;
}

void
fs_renew_settle(struct fleetstore *fs)
{
	char err[512], msg[600];

	if (fs->pg == NULL || !fs->renewing)
		return;
	loop_del_fd(fs->loop, fs->renew_fd);
	fs->renewing = 0;
	if (pgq_finish(fs->loop, fs->pg, &fs->wait, fs->log, fs->log_arg,
	    err, sizeof(err)) != 0) {
		snprintf(msg, sizeof(msg), "lease renewal: %s", err);
		lost(fs, msg);
	}
}

int
fs_retention(struct fleetstore *fs, unsigned days, int *dropped)
{
	const char *params[1];
	char d[16];
	PGresult *res;
	int rc;

	*dropped = 0;
	snprintf(d, sizeof(d), "%u", days);
	params[0] = d;
	if ((res = q(fs, "SELECT bmcfleet_reading_retention($1::integer)", 1,
	    params, 0, PGRES_TUPLES_OK, &rc)) == NULL)
		return rc;
	*dropped = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	/*
	 * SDR repositories no BMC uses any more (a firmware update, or a
	 * BMC whose timestamps move on every request), after a day: the
	 * table would otherwise grow by one row per such sweep for ever.
	 */
	if ((res = q(fs, "DELETE FROM sdr_cache c WHERE c.created_at < "
	    "now() - interval '1 day' AND NOT EXISTS (SELECT 1 FROM "
	    "bmc_profile p WHERE p.sdr_key = c.key)", 0, NULL, 0,
	    PGRES_COMMAND_OK, &rc)) == NULL)
		return rc;
	PQclear(res);
	return FS_OK;
}

int
fs_plan_due(struct fleetstore *fs)
{
	PGresult *res;
	int rc, due;

	if ((res = q(fs, "SELECT 1 FROM power_plan WHERE state = "
	    "'scheduled' AND run_at <= now() LIMIT 1", 0, NULL, 0,
	    PGRES_TUPLES_OK, &rc)) == NULL)
		return rc;
	due = PQntuples(res) > 0;
	PQclear(res);
	return due;
}
