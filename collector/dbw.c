#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/random.h>

#include <libpq-fe.h>

#include "store/db.h"
#include "batchsql.h"
#include "dbw.h"
#include "lib/loop.h"

#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	30000
#define COPY_CHUNK	(64 * 1024)
#define MEM_BATCHES	8			/* kept in memory, at most */
#define MEM_BYTES	(16u * 1024 * 1024)	/* ... and their bytes */
#define MEM_KEEP_CAP	(8u * 1024 * 1024)	/* a spare buffer kept */

/*
 * Merge order matters: BMCs first (everything joins on their names), the
 * run before its results, sensors before their readings.
 */
static const enum row_table merge_order[] = {
	RT_BMC, RT_RUN, RT_SDR, RT_PROFILE, RT_SYSFW, RT_READING, RT_BATCH,
	RT_READING_SAME, RT_READING_ID, RT_SEL, RT_PET,
	RT_SEL_CURSOR,
	RT_FRU, RT_POWER, RT_DCMI, RT_RESULT,
};

static const char *const merge_sql[RT_COUNT] = {
	[RT_BMC] =
	    "INSERT INTO bmc AS t (name, address, port, labels, credential, "
	    "settings, insecure) "
	    "SELECT DISTINCT ON (s.bmc) s.bmc, s.address, s.port, s.labels, "
	    "s.credential, s.settings, s.insecure FROM stage_bmc s "
	    "ORDER BY s.bmc, s.ctid DESC "
	    "ON CONFLICT (name) DO UPDATE SET address = EXCLUDED.address, "
	    "port = EXCLUDED.port, labels = EXCLUDED.labels, "
	    "credential = EXCLUDED.credential, settings = EXCLUDED.settings, "
	    "insecure = EXCLUDED.insecure, retired_at = NULL, "
	    "updated_at = now() "
	    "WHERE (t.address, t.port, t.labels, t.credential, t.settings, "
	    "t.insecure, t.retired_at) IS DISTINCT FROM (EXCLUDED.address, "
	    "EXCLUDED.port, EXCLUDED.labels, EXCLUDED.credential, "
	    "EXCLUDED.settings, EXCLUDED.insecure, NULL::timestamptz);"
	    /* a complete fleet retires whoever is not in it */
	    "UPDATE bmc SET retired_at = now(), updated_at = now() "
	    "WHERE retired_at IS NULL AND EXISTS (SELECT 1 FROM stage_bmc "
	    "WHERE complete) AND name NOT IN (SELECT bmc FROM stage_bmc);"
	    "INSERT INTO bmc_group (name) SELECT DISTINCT g FROM stage_bmc s, "
	    "jsonb_array_elements_text(s.groups) g ON CONFLICT DO NOTHING;"
	    /* only the memberships that went: rewriting every one each
	     * run was a third of this statement's time */
	    "DELETE FROM bmc_group_member m USING bmc b, bmc_group g "
	    "WHERE m.bmc_id = b.id AND g.id = m.group_id "
	    "AND b.name IN (SELECT bmc FROM stage_bmc) AND NOT EXISTS "
	    "(SELECT 1 FROM stage_bmc s CROSS JOIN "
	    "jsonb_array_elements_text(s.groups) AS n(name) "
	    "WHERE s.bmc = b.name AND n.name = g.name);"
	    "INSERT INTO bmc_group_member (group_id, bmc_id) "
	    "SELECT DISTINCT g.id, b.id FROM stage_bmc s "
	    "JOIN bmc b ON b.name = s.bmc "
	    "CROSS JOIN jsonb_array_elements_text(s.groups) AS n(name) "
	    "JOIN bmc_group g ON g.name = n.name ON CONFLICT DO NOTHING;",
	[RT_RUN] =
	    "INSERT INTO collection_run AS t (key, collector, started_at, "
	    "finished_at, targets, ok, failed, summary) "
	    "SELECT DISTINCT ON (s.key) s.key, s.collector, s.started_at, "
	    "s.finished_at, s.targets, s.ok, s.failed, s.summary "
	    "FROM stage_run s ORDER BY s.key, s.ctid DESC "
	    "ON CONFLICT (key) DO UPDATE SET "
	    "finished_at = COALESCE(EXCLUDED.finished_at, t.finished_at), "
	    "targets = EXCLUDED.targets, ok = EXCLUDED.ok, "
	    "failed = EXCLUDED.failed, "
	    "summary = COALESCE(EXCLUDED.summary, t.summary);",
	[RT_SDR] =
	    "INSERT INTO sdr_cache (key, manufacturer, product, firmware, "
	    "add_ts, erase_ts, records) SELECT DISTINCT ON (key) key, "
	    "manufacturer, product, firmware, add_ts, erase_ts, records "
	    "FROM stage_sdr ORDER BY key ON CONFLICT (key) DO NOTHING;",
	[RT_PROFILE] =
	    "INSERT INTO bmc_profile AS p (bmc_id, manufacturer, product, "
	    "device_id, device_rev, firmware, ipmi_version, guid, "
	    "cipher_suite, sdr_key, fru_checked_at, sdr_checked_at, "
	    "updated_at) "
	    "SELECT DISTINCT ON (b.id) b.id, s.manufacturer, s.product, "
	    "s.device_id, s.device_rev, s.firmware, s.ipmi_version, s.guid, "
	    "s.cipher_suite, s.sdr_key, CASE WHEN s.fru_checked THEN s.ts END, "
	    "s.ts, s.ts FROM stage_profile s JOIN bmc b ON b.name = s.bmc "
	    "ORDER BY b.id, s.ts DESC "
	    "ON CONFLICT (bmc_id) DO UPDATE SET "
	    "manufacturer = EXCLUDED.manufacturer, "
	    "product = EXCLUDED.product, device_id = EXCLUDED.device_id, "
	    "device_rev = EXCLUDED.device_rev, firmware = EXCLUDED.firmware, "
	    "ipmi_version = EXCLUDED.ipmi_version, "
	    "guid = COALESCE(EXCLUDED.guid, p.guid), "
	    "cipher_suite = EXCLUDED.cipher_suite, "
	    "sdr_key = COALESCE(EXCLUDED.sdr_key, p.sdr_key), "
	    "fru_checked_at = COALESCE(EXCLUDED.fru_checked_at, "
	    "p.fru_checked_at), sdr_checked_at = EXCLUDED.sdr_checked_at, "
	    "updated_at = EXCLUDED.updated_at;",
	/* after the profile it updates; a change fires schema 003's
	 * trigger, which records it as an inventory change */
	[RT_SYSFW] =
	    "UPDATE bmc_profile p SET system_firmware = s.version "
	    "FROM (SELECT DISTINCT ON (b.id) b.id, s.version "
	    "FROM stage_sysfw s JOIN bmc b ON b.name = s.bmc "
	    "ORDER BY b.id, s.ts DESC) s WHERE p.bmc_id = s.id "
	    "AND p.system_firmware IS DISTINCT FROM s.version;",
	/* only sensors new or changed are upserted: ON CONFLICT DO UPDATE
	 * locks every conflicting row, whatever its WHERE says, so
	 * re-asserting each reading's unchanged sensor cost a third of the
	 * merge (PERFORMANCE.md); the newest reading's metadata wins */
	[RT_READING] =
	    "INSERT INTO sensor AS se (bmc_id, owner, number, name, record_id, "
	    "sensor_type, kind, units, thresholds) "
	    "SELECT x.bmc_id, x.owner, x.number, x.name, x.record_id, "
	    "x.sensor_type, x.kind, x.units, x.thresholds FROM "
	    "(SELECT DISTINCT ON (b.id, s.owner, s.number, s.name) "
	    "b.id AS bmc_id, s.owner, s.number, s.name, s.record_id, "
	    "s.sensor_type, s.kind, s.units, s.thresholds FROM stage_reading s "
	    "JOIN bmc b ON b.name = s.bmc "
	    "ORDER BY b.id, s.owner, s.number, s.name, s.ts DESC) x "
	    "LEFT JOIN sensor o ON o.bmc_id = x.bmc_id AND o.owner = x.owner "
	    "AND o.number = x.number AND o.name = x.name "
	    "WHERE o.id IS NULL OR (o.record_id, o.sensor_type, o.kind, "
	    "o.units, o.thresholds) IS DISTINCT FROM (x.record_id, "
	    "x.sensor_type, x.kind, x.units, x.thresholds) "
	    "ON CONFLICT (bmc_id, owner, number, name) DO UPDATE SET "
	    "record_id = EXCLUDED.record_id, "
	    "sensor_type = EXCLUDED.sensor_type, kind = EXCLUDED.kind, "
	    "units = EXCLUDED.units, thresholds = EXCLUDED.thresholds, "
	    "updated_at = now() "
	    "WHERE (se.record_id, se.sensor_type, se.kind, se.units, "
	    "se.thresholds) IS DISTINCT FROM (EXCLUDED.record_id, "
	    "EXCLUDED.sensor_type, EXCLUDED.kind, EXCLUDED.units, "
	    "EXCLUDED.thresholds);"
	    "SELECT bmcfleet_reading_partition(d) FROM (SELECT DISTINCT "
	    "(ts AT TIME ZONE 'UTC')::date AS d FROM stage_reading) x;"
	    "INSERT INTO sensor_reading (sensor_id, bmc_id, ts, value, raw, "
	    "status, state, states) "
	    "SELECT se.id, b.id, s.ts, s.value, s.raw, s.status, s.state, "
	    "s.states FROM stage_reading s JOIN bmc b ON b.name = s.bmc "
	    "JOIN sensor se ON se.bmc_id = b.id AND se.owner = s.owner "
	    "AND se.number = s.number AND se.name = s.name "
	    "ON CONFLICT DO NOTHING;",
	/*
	 * Readings by ID are COPYed into sensor_reading itself (start_copy),
	 * with no name to look up and no ON CONFLICT per row; the batch's
	 * key is stored in reading_batch by the statement that begins the
	 * transaction (begin_sql), which fails on a batch stored already (a
	 * replay: COMMIT done, spool file not yet removed): the batch is
	 * then removed, nothing written.  No join on sensor either: it cost
	 * a fifth of the rate, and sensor_reading has no foreign key (a
	 * deleted BMC's readings stay until their partition goes), so a
	 * reading of a sensor deleted since its ID was learnt is stored as
	 * such readings already are.  A reading twice in one batch (one
	 * sensor, one time) refuses the batch: the producer never writes
	 * one (collector/sensorids.h).
	 */
	[RT_BATCH] = "",
	[RT_READING_ID] = "",
	/* COPYed before any other reading: the only statement that reads
	 * the claims (schema/008_state_claims.sql) */
	[RT_READING_SAME] = "",
	[RT_CLAIM] = "",
	[RT_SEL] =
	    "INSERT INTO sel_event (bmc_id, record_id, raw, record_type, "
	    "bmc_ts, pre_init, ts, sensor_type, sensor_number, sensor, "
	    "event_type, event_offset, direction, description, severity) "
	    "SELECT b.id, s.record_id, s.raw, s.record_type, s.bmc_ts, "
	    "s.pre_init, s.ts, s.sensor_type, s.sensor_number, s.sensor, "
	    "s.event_type, s.event_offset, s.direction, s.description, "
	    "s.severity FROM stage_sel s JOIN bmc b ON b.name = s.bmc "
	    "ON CONFLICT (bmc_id, raw) DO NOTHING;",
	/* after the SEL rows: the trap is linked to the entry it announced
	 * (sel_raw), a PET-only event's row is marked source 'pet'; merged
	 * twice, the trap is the same row (its key) and the link stays */
	[RT_PET] =
	    "INSERT INTO pet_trap (bmc_id, received_at, source_addr, "
	    "sequence, local_ts, guid, severity, sensor_type, sensor_number, "
	    "event_data, specific_trap, datagram, pet_only) "
	    "SELECT b.id, s.received_at, s.source_addr, s.sequence, "
	    "s.local_ts, s.guid, s.severity, s.sensor_type, s.sensor_number, "
	    "s.event_data, s.specific_trap, s.datagram, s.pet_only "
	    "FROM stage_pet s JOIN bmc b ON b.name = s.bmc "
	    "ON CONFLICT (bmc_id, sequence, received_at) DO NOTHING;"
	    "UPDATE sel_event e SET pet_trap_id = t.id, source = CASE WHEN "
	    "s.pet_only THEN 'pet' ELSE e.source END "
	    "FROM stage_pet s JOIN bmc b ON b.name = s.bmc "
	    "JOIN pet_trap t ON t.bmc_id = b.id AND t.sequence = s.sequence "
	    "AND t.received_at = s.received_at "
	    "WHERE e.bmc_id = b.id AND e.raw = s.sel_raw "
	    "AND e.pet_trap_id IS NULL;",
	[RT_SEL_CURSOR] =
	    "INSERT INTO sel_cursor (bmc_id, last_record_id, add_ts, "
	    "erase_ts, entries, updated_at) "
	    "SELECT DISTINCT ON (b.id) b.id, s.last_record_id, s.add_ts, "
	    "s.erase_ts, s.entries, now() FROM stage_sel_cursor s "
	    "JOIN bmc b ON b.name = s.bmc ORDER BY b.id, s.ctid DESC "
	    "ON CONFLICT (bmc_id) DO UPDATE SET "
	    "last_record_id = EXCLUDED.last_record_id, "
	    "add_ts = EXCLUDED.add_ts, erase_ts = EXCLUDED.erase_ts, "
	    "entries = EXCLUDED.entries, updated_at = now();",
	[RT_FRU] =
	    "WITH n AS (SELECT DISTINCT ON (b.id, s.fru_id) b.id AS bmc_id, "
	    "s.fru_id, s.name, s.fields, s.raw, s.ts FROM stage_fru s "
	    "JOIN bmc b ON b.name = s.bmc ORDER BY b.id, s.fru_id, s.ts DESC), "
	    "l AS (SELECT DISTINCT ON (f.bmc_id, f.fru_id) f.bmc_id, f.fru_id, "
	    "f.fields FROM fru_snapshot f JOIN n USING (bmc_id, fru_id) "
	    "ORDER BY f.bmc_id, f.fru_id, f.taken_at DESC, f.id DESC), "
	    "c AS (SELECT n.*, l.fields AS old FROM n LEFT JOIN l "
	    "USING (bmc_id, fru_id) WHERE l.fields IS DISTINCT FROM n.fields), "
	    "ins AS (INSERT INTO fru_snapshot (bmc_id, fru_id, name, fields, "
	    "raw, taken_at) SELECT bmc_id, fru_id, name, fields, raw, ts "
	    "FROM c) "
	    "INSERT INTO inventory_change (bmc_id, fru_id, field, old_value, "
	    "new_value, changed_at) SELECT c.bmc_id, c.fru_id, k.key, "
	    "c.old ->> k.key, c.fields ->> k.key, c.ts FROM c CROSS JOIN "
	    "LATERAL (SELECT jsonb_object_keys(c.fields) UNION "
	    "SELECT jsonb_object_keys(c.old)) AS k(key) "
	    "WHERE c.old IS NOT NULL AND "
	    "(c.old ->> k.key) IS DISTINCT FROM (c.fields ->> k.key);",
	[RT_POWER] =
	    "INSERT INTO power_state (bmc_id, ts, power_on) "
	    "SELECT n.bmc_id, n.ts, n.power_on FROM (SELECT b.id AS bmc_id, "
	    "s.ts, s.power_on FROM stage_power s JOIN bmc b "
	    "ON b.name = s.bmc) n WHERE n.power_on IS DISTINCT FROM "
	    "(SELECT p.power_on FROM power_state p WHERE p.bmc_id = n.bmc_id "
	    "AND p.ts < n.ts ORDER BY p.ts DESC LIMIT 1) "
	    "ON CONFLICT DO NOTHING;",
	[RT_DCMI] =
	    "INSERT INTO power_reading (bmc_id, ts, power_on, current_w, "
	    "min_w, max_w, avg_w, period_ms) SELECT b.id, s.ts, s.power_on, "
	    "s.current_w, s.min_w, s.max_w, s.avg_w, s.period_ms "
	    "FROM stage_dcmi s JOIN bmc b ON b.name = s.bmc "
	    "ON CONFLICT DO NOTHING;",
	[RT_RESULT] =
	    "INSERT INTO collection_run (key, collector, started_at) "
	    "SELECT run_key, 'unknown', min(ts) FROM stage_result "
	    "GROUP BY run_key ON CONFLICT (key) DO NOTHING;"
	    "INSERT INTO collection_result (run_id, bmc_id, ok, reason, "
	    "error, duration_ms, commands, finished_at) "
	    "SELECT r.id, b.id, s.ok, s.reason, s.error, s.duration_ms, "
	    "s.commands, s.ts FROM stage_result s "
	    "JOIN collection_run r ON r.key = s.run_key "
	    "JOIN bmc b ON b.name = s.bmc ON CONFLICT DO NOTHING;"
	    /* swept this interval, and the holder's lease released, in
	     * the transaction that stores the sweep */
	    "UPDATE collector_lease l SET swept_at = CASE WHEN "
	    "s.reason IS DISTINCT FROM 'aborted' THEN s.ts "
	    "ELSE l.swept_at END, "
	    "expires_at = CASE WHEN l.holder = s.run_key "
	    "THEN LEAST(l.expires_at, now()) ELSE l.expires_at END "
	    "FROM stage_result s JOIN bmc b ON b.name = s.bmc "
	    "WHERE l.bmc_id = b.id AND (l.swept_at IS NULL OR "
	    "l.swept_at < s.ts OR s.reason = 'aborted');",
};

enum dbw_state {
	DBW_DOWN,		/* waiting to reconnect */
	DBW_CONNECTING,
	DBW_SETUP,		/* session settings and staging tables */
	DBW_READY,
	DBW_BEGIN,		/* a batch: BEGIN sent */
	DBW_COPY,		/* COPY stage_<table> in progress */
	DBW_MERGE,		/* merge and COMMIT sent */
};

struct dbw {
	struct loop	*loop;
	char		*conninfo;
	struct spool	*spool;
	void		(*log)(void *, const char *);
	void		*log_arg;

	PGconn		*conn;
	int		 fd;		/* registered with the loop, or -1 */
	unsigned	 watching;
	enum dbw_state	 state;
	struct loop_timer retry;
	struct loop_timer stuck;	/* no answer in timeout_ms */
	uint32_t	 timeout_ms;	/* 0: wait for ever */
	unsigned	 backoff_ms;
	char		 status[700];
	char		 error[512];	/* first error of the query */
	char		 sqlstate[6];	/* its SQLSTATE, "" when none */
	uint64_t	 again_seq;	/* the batch transient errors hit, */
	unsigned	 again_n;	/* how many times in a row */

	/*
	 * Batches spooled by this process and still in memory, oldest
	 * first: the writer COPYs from them rather than reading the spool
	 * back (dbw_submit took the caller's buffers by a swap).  Bounded by
	 * MEM_BATCHES and MEM_BYTES; a batch past the bounds, or left by an
	 * earlier run, is read from the spool.
	 */
	struct mem_batch {
		uint64_t	seq;
		struct rows	r;
	}		 mem[MEM_BATCHES];
	size_t		 nmem;
	size_t		 mem_bytes;

	/* the batch in flight; batch_seq: whose rows batch holds (0 none),
	 * kept across a reconnect so a batch retried is not read again */
	uint64_t	 seq;
	uint64_t	 batch_seq;
	struct rows	 batch;
	int		 table;		/* index into merge_order while COPYing */
	size_t		 copy_off;
	int		 copy_active;	/* the server said COPY_IN */
	int		 copy_ended;
	uint64_t	 started_us;
	struct dbw_stats st;
	void		(*idle)(void *);	/* dbw_on_idle */
	void		*idle_arg;
	/* dbw_on_resync, and what the batch in flight read back */
	void		(*resync)(void *, const struct dbw_resync *);
	void		*resync_arg;
	PGresult	*resync_res;
	unsigned	 since_truncate;	/* batches since the staging
					   tables were truncated */
	size_t		 staged_rows;	/* rows staged since */
};

static void	on_fd(struct loop *, int, unsigned, void *);
static void	next_batch(struct dbw *);
static void	conn_failed(struct dbw *, const char *);

static void	logf_(struct dbw *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
logf_(struct dbw *w, const char *fmt, ...)
{
	char line[768];
	va_list ap;

	if (w->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	w->log(w->log_arg, line);
}

/* libpq's messages end in a newline; ours do not. */
static void
chomp(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static void
watch(struct dbw *w, unsigned ev)
{
	int fd = w->conn != NULL ? PQsocket(w->conn) : -1;

	if (fd != w->fd) {
		if (w->fd >= 0)
			loop_del_fd(w->loop, w->fd);
		w->fd = -1;
		if (fd >= 0 && loop_add_fd(w->loop, fd, ev, on_fd, w) == 0)
			w->fd = fd;
		w->watching = ev;
		return;
	}
	if (fd >= 0 && ev != w->watching && loop_mod_fd(w->loop, fd, ev) == 0)
		w->watching = ev;
}

/*
 * The server said something, or was asked something new: the deadline
 * for its next answer moves.  A server that stays silent past it (a
 * partition, a proxy gone dead: TCP's own timers need the peer's kernel
 * to fall silent too) loses the connection; the batch stays spooled.
 */
static void
progress(struct dbw *w)
{
	if (w->timeout_ms == 0 || w->state == DBW_DOWN ||
	    w->state == DBW_READY) {
		loop_timer_cancel(w->loop, &w->stuck);
		return;
	}
	loop_timer_set(w->loop, &w->stuck, loop_now(w->loop) + w->timeout_ms);
}

static void
on_stuck(struct loop *l, struct loop_timer *t, void *arg)
{
	struct dbw *w = arg;
	char msg[96];

	(void)l;
	(void)t;
	if (w->state == DBW_DOWN || w->state == DBW_READY)
		return;
	snprintf(msg, sizeof(msg), "no answer in %.1f s",
	    (double)w->timeout_ms / 1000);
	conn_failed(w, msg);
}

static void
drop_conn(struct dbw *w)
{
	if (w->fd >= 0)
		loop_del_fd(w->loop, w->fd);
	w->fd = -1;
	w->watching = 0;
	if (w->conn != NULL)
		PQfinish(w->conn);
	w->conn = NULL;
	/* a batch's read-back dies with its transaction */
	PQclear(w->resync_res);
	w->resync_res = NULL;
}

static void
on_retry(struct loop *l, struct loop_timer *t, void *arg);

/* The connection is unusable: the batch stays in the spool. */
static void
conn_failed(struct dbw *w, const char *why)
{
	char msg[640];

	snprintf(msg, sizeof(msg), "%s", why);
	chomp(msg);
	drop_conn(w);
	w->st.failures++;
	if (w->state >= DBW_BEGIN)
		w->st.busy_us += loop_now_us(w->loop) - w->started_us;
	w->state = DBW_DOWN;
	if (w->backoff_ms == 0)
		w->backoff_ms = BACKOFF_MIN_MS;
	snprintf(w->status, sizeof(w->status), "waiting to reconnect: %s",
	    msg);
	logf_(w, "database: %s; %zu batch(es) kept in the spool, retrying in "
	    "%u s", msg, spool_count(w->spool), w->backoff_ms / 1000);
	loop_timer_set(w->loop, &w->retry, loop_now(w->loop) + w->backoff_ms);
	w->backoff_ms = w->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
	    w->backoff_ms * 2;
}

static void
connect_start(struct dbw *w)
{
	w->conn = db_connect_start(w->conninfo);
	if (w->conn == NULL) {
		conn_failed(w, "out of memory");
		return;
	}
	if (PQstatus(w->conn) == CONNECTION_BAD) {
		conn_failed(w, PQerrorMessage(w->conn));
		return;
	}
	w->state = DBW_CONNECTING;
	progress(w);
	snprintf(w->status, sizeof(w->status), "connecting");
	/* libpq: start as if PQconnectPoll had said "writing" */
	watch(w, LOOP_WRITE);
}

static void
on_retry(struct loop *l, struct loop_timer *t, void *arg)
{
	struct dbw *w = arg;

	(void)l;
	(void)t;
	if (w->state == DBW_DOWN)
		connect_start(w);
}

/* Send a query; flushing continues from the loop. */
static int
send_query(struct dbw *w, const char *sql)
{
	w->error[0] = '\0';
	w->sqlstate[0] = '\0';
	if (!PQsendQuery(w->conn, sql)) {
		conn_failed(w, PQerrorMessage(w->conn));
		return -1;
	}
	progress(w);
	watch(w, LOOP_READ | LOOP_WRITE);
	return 0;
}

/* Whether table t is COPYed into a staging table of its own. */
static int
staged(int t)
{
	return t != RT_READING_ID && t != RT_READING_SAME && t != RT_BATCH &&
	    t != RT_CLAIM;
}

/*
 * Whether t's staging table is emptied by the batch that filled it
 * (DELETE before its COMMIT, rolled back with it) rather than ON COMMIT
 * DELETE ROWS: the small tables nearly every batch of a warm sweep fills
 * (a BMC's result, profile, power).  PostgreSQL truncates every ON COMMIT
 * DELETE ROWS table at every COMMIT that touched a temporary table, each
 * with its TOAST table and index: with all thirteen so, 7% of the writer
 * backend's CPU on the 1k warm sweep.  Deleting is no way for the large
 * ones (a cold sweep stages every reading by name: deleting them, the 10k
 * cold sweep took 38-51 s against 32).
 */
static int
deleted(int t)
{
	return t == RT_RUN || t == RT_PROFILE || t == RT_POWER ||
	    t == RT_DCMI || t == RT_RESULT || t == RT_SEL_CURSOR ||
	    t == RT_SYSFW;
}

static void
send_setup(struct dbw *w)
{
	char sql[8192];
	size_t n;

	n = (size_t)snprintf(sql, sizeof(sql),
	    "SET TIME ZONE 'UTC'; SET application_name = 'bmcfleet-writer';");
	/* none for the tables COPYed elsewhere or not at all */
	for (int t = 0; t < RT_COUNT; t++)
		if (staged(t))
			n += (size_t)snprintf(sql + n, sizeof(sql) - n,
			    "CREATE TEMP TABLE IF NOT EXISTS stage_%s %s%s;",
			    row_table_name(t), row_table_columns(t),
			    deleted(t) ? "" : " ON COMMIT DELETE ROWS");
	w->since_truncate = 0;
	w->staged_rows = 0;
	w->state = DBW_SETUP;
	(void)send_query(w, sql);
}



/*
 * What begins a batch's transaction: BEGIN, and for readings by ID the
 * partitions of their days and the batch's key (a batch stored already
 * fails here, 23505), and the claims its readings of repeated states go
 * under (schema/008_state_claims.sql: only with such readings, which
 * are COPYed first) with the BMCs to learn again.  malloc'd; NULL when
 * the batch cannot be written (its rows, key or claims are not what
 * dbw_submit's producer writes), with why in err.
 */
static char *
begin_sql(const struct dbw *w, char *err, size_t errlen)
{
	static char days[BATCH_DAYS][11];
	char more[BATCH_DAYS][11];
	const struct rows_buf *k = &w->batch.t[RT_BATCH];
	char *claims = NULL, *unknown = NULL;
	size_t cap, n;
	int nd, nm, ok;
	char *sql;

	if (w->batch.nrows[RT_READING_ID] == 0 &&
	    w->batch.nrows[RT_READING_SAME] == 0)
		return strdup("BEGIN");
	nd = batch_days(&w->batch.t[RT_READING_ID], days);
	nm = batch_days(&w->batch.t[RT_READING_SAME], more);
	for (int i = 0; nd >= 0 && i < nm; i++) {
		int j;

		for (j = 0; j < nd && strcmp(days[j], more[i]) != 0; j++)
			;
		if (j == nd && nd == BATCH_DAYS)
			nd = -1;
		else if (j == nd)
			memcpy(days[nd++], more[i], sizeof(more[i]));
	}
	if (nd < 0 || nm < 0) {
		snprintf(err, errlen, "readings by ID without a time, or of "
		    "more than %d days", BATCH_DAYS);
		return NULL;
	}
	/* one key, hex, as batch_key writes it (the buffer has no NUL) */
	ok = w->batch.nrows[RT_BATCH] == 1 && k->len >= 2 && k->len <= 65 &&
	    k->p[k->len - 1] == '\n';
	for (size_t i = 0; ok && i < k->len - 1; i++)
		ok = (k->p[i] >= '0' && k->p[i] <= '9') ||
		    (k->p[i] >= 'a' && k->p[i] <= 'f');
	if (!ok) {
		snprintf(err, errlen, "readings by ID without one batch key");
		return NULL;
	}
	if (w->batch.nrows[RT_CLAIM] > 0 &&
	    batch_claims(&w->batch.t[RT_CLAIM], &claims, &unknown) != 0) {
		snprintf(err, errlen, "claims not as the collector writes "
		    "them");
		return NULL;
	}
	cap = 384 + (size_t)nd * 16 + k->len + (claims ? strlen(claims) +
	    strlen(unknown) : 0);
	if ((sql = malloc(cap)) == NULL) {
		free(claims);
		free(unknown);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n = (size_t)snprintf(sql, cap, "BEGIN; SELECT "
	    "bmcfleet_reading_partition(d) FROM unnest('{");
	for (int i = 0; i < nd; i++)
		n += (size_t)snprintf(sql + n, cap - n, "%s%s", i ? "," : "",
		    days[i]);
	n += (size_t)snprintf(sql + n, cap - n, "}'::date[]) d; INSERT INTO "
	    "reading_batch (key) VALUES ('%.*s');", (int)k->len - 1, k->p);
	if (claims != NULL)
		snprintf(sql + n, cap - n, "SELECT set_config('bmcfleet.claims', "
		    "'%s', true), set_config('bmcfleet.resync', '%s', true);",
		    w->batch.nrows[RT_READING_SAME] > 0 ? claims : "", unknown);
	free(claims);
	free(unknown);
	return sql;
}

/* The next table with rows, from merge_order[from]; -1 when none. */
static int
next_table(const struct dbw *w, int from)
{
	for (int i = from; i < (int)(sizeof(merge_order) /
	    sizeof(merge_order[0])); i++)
		if (w->batch.nrows[merge_order[i]] > 0 &&
		    merge_order[i] != RT_BATCH)	/* stored by begin_sql */
			return i;
	return -1;
}

static void
start_copy(struct dbw *w, int i)
{
	char sql[128];

	w->table = i;
	w->copy_off = 0;
	w->copy_active = 0;
	w->copy_ended = 0;
	w->state = DBW_COPY;
	if (merge_order[i] == RT_READING_ID ||
	    merge_order[i] == RT_READING_SAME)
		snprintf(sql, sizeof(sql), "COPY sensor_reading (sensor_id, "
		    "bmc_id, ts, value, raw, status, state, states) FROM STDIN");
	else
		snprintf(sql, sizeof(sql), "COPY stage_%s FROM STDIN",
		    row_table_name(merge_order[i]));
	(void)send_query(w, sql);
}

/*
 * The states of the BMCs to learn again (the trigger's and the writer's
 * list), as this transaction leaves them: read before COMMIT, handed to
 * the collector after it (dbw_on_resync).
 */
static const char resync_sql[] =
    "SELECT b.name AS resync_bmc, s.owner, s.number, s.name, s.last_state, "
    "s.last_states, coalesce(g.digest, 0), s.bmc_id FROM sensor s "
    "JOIN bmc b ON b.id = s.bmc_id "
    "LEFT JOIN bmc_state_digest g ON g.bmc_id = s.bmc_id "
    "WHERE s.bmc_id = ANY (string_to_array(nullif(current_setting("
    "'bmcfleet.resync', true), ''), ',')::bigint[]) ORDER BY s.bmc_id, s.id;";

#define TRUNCATE_EVERY	64
#define TRUNCATE_ROWS	8192

static void
send_merge(struct dbw *w)
{
	size_t cap = 64 + sizeof(resync_sql) + RT_COUNT * 48, n = 0;
	char *sql;

	for (size_t i = 0; i < sizeof(merge_order) / sizeof(merge_order[0]);
	    i++)
		if (w->batch.nrows[merge_order[i]] > 0)
			cap += strlen(merge_sql[merge_order[i]]) + 1;
	if ((sql = malloc(cap)) == NULL) {
		conn_failed(w, "out of memory");
		return;
	}
	for (size_t i = 0; i < sizeof(merge_order) / sizeof(merge_order[0]);
	    i++) {
		const char *m = merge_sql[merge_order[i]];

		if (w->batch.nrows[merge_order[i]] == 0)
			continue;
		memcpy(sql + n, m, strlen(m));
		n += strlen(m);
	}
	/*
	 * The tables emptied by their batch (deleted()): what the deletes
	 * leave (dead rows and line pointers: no vacuum on temporary
	 * tables, and scans read them) goes every TRUNCATE_EVERY batches,
	 * or once TRUNCATE_ROWS rows were staged in them since the last.
	 */
	for (int t = 0; t < RT_COUNT; t++)
		if (deleted(t))
			w->staged_rows += w->batch.nrows[t];
	if (++w->since_truncate >= TRUNCATE_EVERY ||
	    w->staged_rows >= TRUNCATE_ROWS) {
		n += (size_t)snprintf(sql + n, cap - n, "TRUNCATE");
		for (int t = 0, k = 0; t < RT_COUNT; t++)
			if (deleted(t))
				n += (size_t)snprintf(sql + n, cap - n,
				    "%s stage_%s", k++ ? "," : "",
				    row_table_name(t));
		sql[n++] = ';';
		w->since_truncate = 0;
		w->staged_rows = 0;
	} else {
		for (size_t i = 0; i < sizeof(merge_order) /
		    sizeof(merge_order[0]); i++)
			if (w->batch.nrows[merge_order[i]] > 0 &&
			    deleted(merge_order[i]))
				n += (size_t)snprintf(sql + n, cap - n,
				    "DELETE FROM stage_%s;",
				    row_table_name(merge_order[i]));
	}
	if (w->batch.nrows[RT_CLAIM] > 0) {
		memcpy(sql + n, resync_sql, strlen(resync_sql));
		n += strlen(resync_sql);
	}
	memcpy(sql + n, "COMMIT;", 8);
	w->state = DBW_MERGE;
	(void)send_query(w, sql);
	free(sql);
}

/* Push COPY data until libpq's buffer is full or all of it is sent. */
static void
push_copy(struct dbw *w)
{
	const struct rows_buf *b = &w->batch.t[merge_order[w->table]];
	int rc;

	while (w->copy_off < b->len) {
		size_t n = b->len - w->copy_off;

		if (n > COPY_CHUNK)
			n = COPY_CHUNK;
		rc = PQputCopyData(w->conn, b->p + w->copy_off, (int)n);
		if (rc == -1) {
			conn_failed(w, PQerrorMessage(w->conn));
			return;
		}
		if (rc == 0) {
			watch(w, LOOP_READ | LOOP_WRITE);
			return;
		}
		w->copy_off += n;
	}
	if (!w->copy_ended) {
		rc = PQputCopyEnd(w->conn, NULL);
		if (rc == -1) {
			conn_failed(w, PQerrorMessage(w->conn));
			return;
		}
		if (rc == 0) {
			watch(w, LOOP_READ | LOOP_WRITE);
			return;
		}
		w->copy_ended = 1;
	}
	watch(w, LOOP_READ | LOOP_WRITE);
}

/*
 * Errors that say the schema is missing or older than this bmcfleet, not
 * that the batch is bad (SQLSTATE class 42 undefined table, column,
 * function or object; 3F000 no such schema): such a batch is kept.
 */
static int
schema_missing(const char *ss)
{
	return !strcmp(ss, "42P01") || !strcmp(ss, "42703") ||
	    !strcmp(ss, "42883") || !strcmp(ss, "42704") ||
	    !strcmp(ss, "3F000");
}

#define TRANSIENT_MAX	5	/* tries of one batch that keep failing so */

/*
 * Errors of the moment, not of the batch: class 40 (a deadlock, a
 * serialization failure), 57 (the server shutting down, a statement
 * cancelled by statement_timeout), 53 (out of resources), 08 (the
 * connection).  The batch is kept and written again after a reconnect,
 * up to TRANSIENT_MAX times after its first try; one that meets them
 * once more (the TRANSIENT_MAX + 1st time in a row) is set aside like a
 * bad one, so that it cannot hold up every batch behind it for ever.
 */
static int
transient(const char *ss)
{
	return !strncmp(ss, "40", 2) || !strncmp(ss, "57", 2) ||
	    !strncmp(ss, "53", 2) || !strncmp(ss, "08", 2);
}

enum dbw_verdict
dbw_verdict(int conn_bad, const char *sqlstate, unsigned tries)
{
	if (conn_bad)
		return DBW_RECONNECT;
	if (transient(sqlstate) && tries < TRANSIENT_MAX)
		return DBW_RETRY;
	if (schema_missing(sqlstate))
		return DBW_WAIT_SCHEMA;
	return DBW_REFUSE;
}

/* The batch is refused for its content: set it aside, go on. */
static void
batch_refused(struct dbw *w)
{
	logf_(w, "database: batch %" PRIu64 " refused: %s; moved to %s/failed",
	    w->seq, w->error, w->spool->dir);
	w->batch_seq = 0;
	if (spool_quarantine(w->spool, w->seq) != 0)
		logf_(w, "spool: cannot move batch %" PRIu64 " aside: %s",
		    w->seq, strerror(errno));
	w->st.quarantined++;
	/* the transaction is aborted: a fresh connection is simplest */
	drop_conn(w);
	w->st.busy_us += loop_now_us(w->loop) - w->started_us;
	w->state = DBW_DOWN;
	connect_start(w);
}

/*
 * The batch was stored by an earlier transaction (its key is in
 * reading_batch: a crash after COMMIT, before the spool file went): it
 * leaves the spool, nothing written.
 */
static void
batch_replayed(struct dbw *w)
{
	logf_(w, "database: batch %" PRIu64 " was stored already (its key "
	    "is in reading_batch); removed from the spool", w->seq);
	w->batch_seq = 0;
	if (spool_remove(w->spool, w->seq) != 0)
		logf_(w, "spool: cannot remove stored batch %" PRIu64 ": %s",
		    w->seq, strerror(errno));
	w->st.replayed++;
	/* the transaction is aborted: a fresh connection is simplest */
	drop_conn(w);
	w->st.busy_us += loop_now_us(w->loop) - w->started_us;
	w->state = DBW_DOWN;
	connect_start(w);
}

/* What the committed batch read back, to the collector; then dropped. */
static void
resync_apply(struct dbw *w)
{
	PGresult *res = w->resync_res;
	struct dbw_resync r;

	w->resync_res = NULL;
	if (res == NULL)
		return;
	for (int i = 0; w->resync != NULL && i < PQntuples(res); i++) {
		r.bmc = PQgetvalue(res, i, 0);
		r.owner = atoi(PQgetvalue(res, i, 1));
		r.number = atoi(PQgetvalue(res, i, 2));
		r.name = PQgetvalue(res, i, 3);
		r.state = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4);
		r.has_states = !PQgetisnull(res, i, 5);
		r.states = r.has_states ? (unsigned)strtoul(PQgetvalue(res,
		    i, 5), NULL, 10) : 0;
		r.digest = strtoll(PQgetvalue(res, i, 6), NULL, 10);
		r.bmc_id = strtoll(PQgetvalue(res, i, 7), NULL, 10);
		w->resync(w->resync_arg, &r);
	}
	w->st.resynced += (uint64_t)PQntuples(res);
	PQclear(res);
}

/* The current query finished (PQgetResult gave NULL). */
static void
query_done(struct dbw *w)
{
	int i;

	/* the batch's key is stored: the batch was, whole */
	if (w->error[0] != '\0' && w->state == DBW_BEGIN &&
	    !strcmp(w->sqlstate, "23505")) {
		batch_replayed(w);
		return;
	}
	if (w->error[0] != '\0' && w->state != DBW_SETUP) {
		char e[700];
		const char *m = w->error;

		/* not committed: what it read back never happened */
		PQclear(w->resync_res);
		w->resync_res = NULL;
		switch (dbw_verdict(PQstatus(w->conn) == CONNECTION_BAD,
		    w->sqlstate, w->again_seq == w->seq ? w->again_n : 0)) {
		case DBW_RECONNECT:
			conn_failed(w, w->error);
			break;
		case DBW_RETRY:
			if (w->again_seq != w->seq)
				w->again_n = 0;
			w->again_seq = w->seq;
			w->again_n++;
			snprintf(e, sizeof(e), "batch %" PRIu64 " not written "
			    "this time (SQLSTATE %s: %.*s); it waits in the "
			    "spool", w->seq, w->sqlstate,
			    (int)strcspn(w->error, "\n"), w->error);
			conn_failed(w, e);
			break;
		case DBW_WAIT_SCHEMA:
			/* not the batch's fault: it waits for the schema */
			if (!strncmp(m, "ERROR:", 6))
				m += 6 + strspn(m + 6, " ");
			snprintf(e, sizeof(e), "the database lacks bmcfleet's "
			    "schema (%.*s): run `bmcfleet db migrate`; batch %"
			    PRIu64 " waits in the spool", (int)strcspn(m, "\n"),
			    m, w->seq);
			conn_failed(w, e);
			break;
		case DBW_REFUSE:
			batch_refused(w);
			break;
		}
		return;
	}
	switch (w->state) {
	case DBW_SETUP:
		if (w->error[0] != '\0') {
			/* no schema yet, or no rights: the operator must act */
			char e[600];

			snprintf(e, sizeof(e), "setup failed: %s (has `bmcfleet "
			    "db migrate` been run?)", w->error);
			conn_failed(w, e);
			return;
		}
		w->state = DBW_READY;
		progress(w);
		w->backoff_ms = 0;
		snprintf(w->status, sizeof(w->status), "connected");
		logf_(w, "database: connected");
		watch(w, LOOP_READ);
		next_batch(w);
		return;
	case DBW_BEGIN:
		if ((i = next_table(w, 0)) < 0)
			send_merge(w);
		else
			start_copy(w, i);
		return;
	case DBW_COPY:
		if ((i = next_table(w, w->table + 1)) < 0)
			send_merge(w);
		else
			start_copy(w, i);
		return;
	case DBW_MERGE:
		w->batch_seq = 0;
		w->st.batches++;
		w->st.rows += w->batch.total;
		w->st.readings += w->batch.nrows[RT_READING] +
		    w->batch.nrows[RT_READING_ID] +
		    w->batch.nrows[RT_READING_SAME];
		w->st.busy_us += loop_now_us(w->loop) - w->started_us;
		if (spool_remove(w->spool, w->seq) != 0)
			logf_(w, "spool: cannot remove committed batch %" PRIu64
			    ": %s", w->seq, strerror(errno));
		resync_apply(w);
		w->state = DBW_READY;
		progress(w);
		watch(w, LOOP_READ);
		next_batch(w);
		return;
	default:
		return;
	}
}

static void
read_results(struct dbw *w)
{
	if (!PQconsumeInput(w->conn)) {
		conn_failed(w, PQerrorMessage(w->conn));
		return;
	}
	progress(w);
	while (w->conn != NULL && !PQisBusy(w->conn)) {
		PGresult *res = PQgetResult(w->conn);
		ExecStatusType st;

		if (res == NULL) {
			query_done(w);
			return;
		}
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK && w->state == DBW_MERGE &&
		    PQnfields(res) == 8 &&
		    strcmp(PQfname(res, 0), "resync_bmc") == 0) {
			PQclear(w->resync_res);
			w->resync_res = res;
			continue;
		}
		if (st == PGRES_COPY_IN) {
			PQclear(res);
			w->copy_active = 1;
			push_copy(w);
			return;	/* results resume after the copy ends */
		}
		if (st == PGRES_FATAL_ERROR && w->error[0] == '\0') {
			const char *ss = PQresultErrorField(res,
			    PG_DIAG_SQLSTATE);

			snprintf(w->error, sizeof(w->error), "%s",
			    PQresultErrorMessage(res));
			chomp(w->error);
			snprintf(w->sqlstate, sizeof(w->sqlstate), "%s",
			    ss != NULL ? ss : "");
		}
		PQclear(res);
	}
}

static void
on_fd(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct dbw *w = arg;

	(void)l;
	(void)fd;
	if (w->state == DBW_CONNECTING) {
		progress(w);
		switch (PQconnectPoll(w->conn)) {
		case PGRES_POLLING_READING:
			watch(w, LOOP_READ);
			return;
		case PGRES_POLLING_WRITING:
			watch(w, LOOP_WRITE);
			return;
		case PGRES_POLLING_OK:
			if (PQsetnonblocking(w->conn, 1) != 0) {
				conn_failed(w, PQerrorMessage(w->conn));
				return;
			}
			send_setup(w);
			return;
		default:
			conn_failed(w, PQerrorMessage(w->conn));
			return;
		}
	}
	if (w->conn == NULL)
		return;
	if (ev & LOOP_WRITE) {
		int rc;

		int copying = w->state == DBW_COPY && w->copy_active &&
		    !w->copy_ended;

		if (copying) {
			push_copy(w);
			if (w->conn == NULL)
				return;
			copying = !w->copy_ended;
		}
		rc = PQflush(w->conn);
		if (rc == -1) {
			conn_failed(w, PQerrorMessage(w->conn));
			return;
		}
		if (rc == 0 && !copying)
			watch(w, LOOP_READ);
	}
	if (ev & LOOP_READ)
		read_results(w);
}

static size_t
rows_cap(const struct rows *r)
{
	size_t n = 0;

	for (int i = 0; i < RT_COUNT; i++)
		n += r->t[i].cap;
	return n;
}

/* Empty a buffer that held a batch, its memory kept unless it grew past
 * MEM_KEEP_CAP (one large sweep must not pin its size for good). */
static void
recycle(struct rows *r)
{
	if (rows_cap(r) > MEM_KEEP_CAP)
		rows_release(r);
	else
		rows_reset(r);
}

/* mem[0] leaves the queue; its buffers (or, with into, batch's old ones,
 * swapped for them: no copy) go to the spare slot at the end. */
static void
mem_shift(struct dbw *w, struct rows *into)
{
	struct rows t = w->mem[0].r;

	w->mem_bytes -= rows_bytes(&t);
	if (into != NULL) {
		struct rows u = *into;

		*into = t;
		t = u;
	}
	recycle(&t);
	memmove(&w->mem[0], &w->mem[1], (w->nmem - 1) * sizeof(w->mem[0]));
	w->nmem--;
	w->mem[w->nmem].seq = 0;
	w->mem[w->nmem].r = t;
}

static void
next_batch(struct dbw *w)
{
	char err[512], *sql;
	uint64_t seq;

	if (w->state != DBW_READY)
		return;
	while ((seq = spool_oldest(w->spool)) != 0) {
		/* gone from the spool (set aside): forget them */
		while (w->nmem > 0 && w->mem[0].seq < seq)
			mem_shift(w, NULL);
		/* in memory: the batch just spooled, or one a failed
		 * transaction left in w->batch; else an earlier run's */
		if (w->batch_seq == seq)
			break;
		if (w->nmem > 0 && w->mem[0].seq == seq) {
			mem_shift(w, &w->batch);
			w->batch_seq = seq;
			break;
		}
		w->batch_seq = 0;
		if (spool_load(w->spool, seq, &w->batch, err, sizeof(err)) ==
		    0) {
			w->batch_seq = seq;
			w->st.loaded++;
			break;
		}
		/* unreadable: set aside, never block the ones behind it */
		logf_(w, "%s; moved to %s/failed", err, w->spool->dir);
		if (spool_quarantine(w->spool, seq) != 0) {
			logf_(w, "spool: cannot move batch %" PRIu64
			    " aside: %s", seq, strerror(errno));
			return;
		}
		w->st.quarantined++;
	}
	if (seq == 0) {
		while (w->nmem > 0)
			mem_shift(w, NULL);
		/* the drain waits on this, not on a poll: the last COMMIT's
		 * answer ends it */
		if (w->idle != NULL)
			w->idle(w->idle_arg);
		return;
	}
	w->seq = seq;
	w->started_us = loop_now_us(w->loop);
	w->state = DBW_BEGIN;
	if ((sql = begin_sql(w, w->error, sizeof(w->error))) == NULL) {
		batch_refused(w);
		return;
	}
	(void)send_query(w, sql);
	free(sql);
}

struct dbw *
dbw_new(struct loop *l, const char *conninfo, struct spool *sp,
    void (*log)(void *, const char *), void *arg)
{
	struct dbw *w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if ((w->conninfo = strdup(conninfo)) == NULL) {
		free(w);
		return NULL;
	}
	w->loop = l;
	w->spool = sp;
	w->log = log;
	w->log_arg = arg;
	w->fd = -1;
	rows_init(&w->batch);
	for (size_t i = 0; i < MEM_BATCHES; i++)
		rows_init(&w->mem[i].r);
	loop_timer_init(&w->retry, on_retry, w);
	loop_timer_init(&w->stuck, on_stuck, w);
	connect_start(w);
	return w;
}

void
dbw_free(struct dbw *w)
{
	if (w == NULL)
		return;
	loop_timer_cancel(w->loop, &w->retry);
	loop_timer_cancel(w->loop, &w->stuck);
	drop_conn(w);
	rows_release(&w->batch);
	for (size_t i = 0; i < MEM_BATCHES; i++)
		rows_release(&w->mem[i].r);
	free(w->conninfo);
	free(w);
}

/*
 * A batch of readings by ID gets its key, random, spooled with it: the
 * spool's batch numbers start again at 1 when it is empty, so they are
 * no key of their own.  0, or -1 (no randomness, no memory).
 */
static int
batch_key(struct rows *r, char *err, size_t errlen)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t b[16];
	char key[2 * sizeof(b) + 1];

	if ((r->nrows[RT_READING_ID] == 0 && r->nrows[RT_READING_SAME] == 0) ||
	    r->nrows[RT_BATCH] > 0)
		return 0;
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		snprintf(err, errlen, "batch key: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(b); i++) {
		key[2 * i] = hex[b[i] >> 4];
		key[2 * i + 1] = hex[b[i] & 15];
	}
	key[2 * sizeof(b)] = '\0';
	if (rows_start(r, RT_BATCH) != 0)
		goto nomem;
	rows_str(r, key);
	if (rows_end(r) != 0)
		goto nomem;
	return 0;
nomem:
	snprintf(err, errlen, "batch key: out of memory");
	return -1;
}

int
dbw_submit(struct dbw *w, struct rows *r, char *err, size_t errlen)
{
	uint64_t seq;
	size_t bytes;

	if (r->total == 0)
		return 0;
	if (batch_key(r, err, errlen) != 0)
		return -1;
	bytes = rows_bytes(r);
	if (spool_put(w->spool, r, &seq, err, errlen) != 0)
		return -1;
	if (w->nmem < MEM_BATCHES && w->mem_bytes + bytes <= MEM_BYTES) {
		struct rows t = w->mem[w->nmem].r;

		w->mem[w->nmem].r = *r;
		w->mem[w->nmem].seq = seq;
		w->nmem++;
		w->mem_bytes += bytes;
		*r = t;
	}
	rows_reset(r);
	next_batch(w);
	return 0;
}

void
dbw_set_timeout(struct dbw *w, uint32_t ms)
{
	w->timeout_ms = ms;
	progress(w);
}

void
dbw_kick(struct dbw *w)
{
	next_batch(w);
}

size_t
dbw_pending(const struct dbw *w)
{
	return spool_count(w->spool);
}

int
dbw_set_conninfo(struct dbw *w, const char *conninfo)
{
	char *c;

	if (strcmp(conninfo, w->conninfo) == 0)
		return 0;
	if ((c = strdup(conninfo)) == NULL)
		return -1;
	free(w->conninfo);
	w->conninfo = c;
	/* idle or waiting: reconnect now; mid-batch: the batch finishes on
	 * the old connection and the next reconnect takes the new one */
	if (w->state == DBW_READY) {
		drop_conn(w);
		w->state = DBW_DOWN;
		connect_start(w);
	}
	return 0;
}

int
dbw_up(const struct dbw *w)
{
	return w->state >= DBW_READY;
}

int
dbw_idle(const struct dbw *w)
{
	return w->state == DBW_READY && spool_count(w->spool) == 0;
}

void
dbw_on_idle(struct dbw *w, void (*idle)(void *), void *arg)
{
	w->idle = idle;
	w->idle_arg = arg;
}

void
dbw_on_resync(struct dbw *w, void (*fn)(void *, const struct dbw_resync *),
    void *arg)
{
	w->resync = fn;
	w->resync_arg = arg;
}

const char *
dbw_status(const struct dbw *w)
{
	return w->status;
}

const struct dbw_stats *
dbw_stats(const struct dbw *w)
{
	return &w->st;
}
