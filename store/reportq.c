/*
 * reportq: the reports' SQL (see reportq.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "lib/when.h"
#include "store/fleetstore.h"
#include "store/planstore.h"
#include "store/reportq.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A timestamptz as ISO 8601 UTC, by the server. */
#define ISO(x)	"to_char((" x ") AT TIME ZONE 'UTC', " \
		"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* $1: names (NULL: all), $2: retired ones too */
#define WHERE_BMC \
	"($1::text[] IS NULL OR b.name = ANY ($1::text[])) " \
	"AND ($2::boolean OR b.retired_at IS NULL)"

/* $3: every FRU device, else device 0 only */
static const char sql_inventory[] =
"SELECT b.name, b.retired_at IS NOT NULL, p.manufacturer, p.product, "
"    p.firmware, p.ipmi_version, p.guid, "
"    " ISO("coalesce(ls.t, p.updated_at)") ", f.fru_id, f.name, "
"    f.fields ->> 'product.name', f.fields ->> 'product.serial', "
"    f.fields ->> 'product.part_number', f.fields ->> 'board.serial', "
"    f.fields ->> 'board.part_number', f.fields ->> 'chassis.serial', "
"    f.fields::text, p.system_firmware "
"FROM bmc b "
"LEFT JOIN bmc_profile p ON p.bmc_id = b.id "
"LEFT JOIN LATERAL (SELECT max(r.finished_at) AS t FROM collection_result r "
"    WHERE r.bmc_id = b.id AND r.ok) ls ON true "
"LEFT JOIN LATERAL (SELECT DISTINCT ON (s.fru_id) s.fru_id, s.name, "
"    s.fields FROM fru_snapshot s "
"    WHERE s.bmc_id = b.id AND ($3::boolean OR s.fru_id = 0) "
"    ORDER BY s.fru_id, s.taken_at DESC, s.id DESC) f ON true "
"WHERE " WHERE_BMC " "
"ORDER BY b.name, f.fru_id";

/* The N most recent, oldest first.  $3: since, $4: limit */
static const char sql_changes[] =
"SELECT * FROM (SELECT " ISO("c.changed_at") ", b.name, "
"    b.retired_at IS NOT NULL, c.fru_id, c.field, c.old_value, c.new_value, "
"    c.changed_at AS k, c.id "
"  FROM inventory_change c JOIN bmc b ON b.id = c.bmc_id "
"  WHERE " WHERE_BMC " "
"    AND ($3::timestamptz IS NULL OR c.changed_at >= $3::timestamptz) "
"  ORDER BY c.changed_at DESC, c.id DESC LIMIT $4::bigint) x "
"ORDER BY k, id";

/*
 * The latest reading per sensor: one backward step of the (sensor_id, ts)
 * index per sensor, where DISTINCT ON over the readings would read every
 * reading of the window.  $3: since, $4: states
 */
static const char sql_sensors[] =
"SELECT b.name, s.name, s.owner, s.number, s.sensor_type, s.kind, s.units, "
"    r.value, r.raw, r.status, r.state, r.states, " ISO("r.ts") ", "
"    b.retired_at IS NOT NULL, p.sdr_key "
"FROM bmc b JOIN sensor s ON s.bmc_id = b.id "
"LEFT JOIN bmc_profile p ON p.bmc_id = b.id "
"JOIN LATERAL (SELECT * FROM sensor_reading r WHERE r.sensor_id = s.id "
"    AND r.ts >= $3::timestamptz ORDER BY r.ts DESC LIMIT 1) r "
"    ON true "
"WHERE " WHERE_BMC " "
"    AND ($4::text[] IS NULL OR r.state = ANY ($4::text[])) "
"ORDER BY b.name, s.record_id, s.owner, s.number, s.name";

/* The latest acknowledgement of event e, if any. */
#define EV_ACK \
	"LEFT JOIN LATERAL (SELECT a.who, a.at FROM event_ack a " \
	"    WHERE a.event_id = e.id ORDER BY a.at DESC, a.id DESC LIMIT 1) a " \
	"    ON true "
/* The columns of an event (RQ_EV_*), then the order keys k and id. */
#define EV_COLS \
	"b.name, e.record_id, " ISO("e.ts") ", e.pre_init, " \
	"    e.bmc_ts, " ISO("e.seen_at") ", e.sensor, e.sensor_type, " \
	"    e.sensor_number, e.direction, e.description, e.severity, " \
	"    e.record_type, encode(e.raw, 'hex'), b.retired_at IS NOT NULL, " \
	"    e.id AS event_id, a.who, " ISO("a.at") ", e.source, " \
	"    coalesce(e.ts, e.seen_at) AS k, e.id "

/*
 * By time; entries without one (pre-init) by when they were read.  $3:
 * since, $4: until, $5: severities, $6: limit, $7: no event past this id
 * (--follow's tail: what came later is announced), $8: unacked only, $9:
 * skip this many of the most recent first (/api/v1/events' pages)
 */
static const char sql_events[] =
"SELECT * FROM (SELECT " EV_COLS
"  FROM sel_event e JOIN bmc b ON b.id = e.bmc_id "
"  " EV_ACK
"  WHERE " WHERE_BMC " "
"    AND ($3::timestamptz IS NULL OR "
"        coalesce(e.ts, e.seen_at) >= $3::timestamptz) "
"    AND ($4::timestamptz IS NULL OR "
"        coalesce(e.ts, e.seen_at) < $4::timestamptz) "
"    AND ($5::text[] IS NULL OR e.severity = ANY ($5::text[])) "
"    AND ($7::bigint IS NULL OR e.id <= $7::bigint) "
"    AND (NOT $8::boolean OR a.who IS NULL) "
"  ORDER BY k DESC, e.id DESC LIMIT $6::bigint OFFSET $9::bigint) x "
"ORDER BY k, id";

/*
 * --follow: the events stored since the last fetch, in the order they
 * were stored.  $3: severities, $4: unacked only, $5: after this id, $6:
 * these ids too (announced, but numbered below one already seen: a
 * transaction that took its id earlier and committed later).
 */
static const char sql_events_new[] =
"SELECT " EV_COLS
"FROM sel_event e JOIN bmc b ON b.id = e.bmc_id "
EV_ACK
"WHERE " WHERE_BMC " "
"    AND ($3::text[] IS NULL OR e.severity = ANY ($3::text[])) "
"    AND (NOT $4::boolean OR a.who IS NULL) "
"    AND (e.id > $5::bigint OR e.id = ANY ($6::bigint[])) "
"ORDER BY e.id";

/*
 * The SDR repositories of the selected BMCs, from the shared cache: the
 * sensor table keeps a discrete sensor's type by name and not its
 * event/reading type, which the names of its states depend on.
 */
static const char sql_sdrs[] =
"SELECT c.key, c.records FROM sdr_cache c WHERE c.key IN "
"    (SELECT p.sdr_key FROM bmc b JOIN bmc_profile p ON p.bmc_id = b.id "
"    WHERE " WHERE_BMC ")";

static const struct {
	const char	*sql;
	int		 nparams;
	int		 binary;
} queries[] = {
	[REPORTQ_INVENTORY] = { sql_inventory, 3, 0 },
	[REPORTQ_CHANGES] = { sql_changes, 4, 0 },
	[REPORTQ_SENSORS] = { sql_sensors, 4, 0 },
	[REPORTQ_EVENTS] = { sql_events, 9, 0 },
	[REPORTQ_EVENTS_NEW] = { sql_events_new, 6, 0 },
	[REPORTQ_SDRS] = { sql_sdrs, 2, 1 },
};

static const char *
name_at(void *arg, size_t i)
{
	return ((const char *const *)arg)[i];
}

/* A bigint[] literal of the n ids of v (malloc'd into *out), or NULL. */
static const char *
id_array(const int64_t *v, size_t n, char **out)
{
	size_t cap = 2 + n * 21, o = 0;

	if ((*out = malloc(cap + 1)) == NULL)
		return NULL;
	(*out)[o++] = '{';
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(*out + o, cap + 1 - o, "%s%lld",
		    i ? "," : "", (long long)v[i]);
	snprintf(*out + o, cap + 1 - o, "}");
	return *out;
}

/* A text[] literal of the n words of v (malloc'd into *out), or NULL. */
static const char *
text_array(const char *const *v, size_t n, char **out)
{
	if (v == NULL)
		return NULL;
	*out = fs_text_array(n, name_at, (void *)(uintptr_t)v);
	return *out;
}

int
reportq_build(const struct reportq_filter *f, struct reportq *q)
{
	const char **p = q->params;
	int64_t since = f->since_ms;
	int has_since = f->has_since;

	memset(q, 0, sizeof(*q));
	if ((size_t)f->kind >= NELEM(queries))
		return -1;
	q->kind = f->kind;
	q->nparams = queries[f->kind].nparams;
	q->binary = queries[f->kind].binary;
	gbuf_puts(&q->sql, queries[f->kind].sql);
	if (f->kind == REPORTQ_SENSORS && !has_since) {
		since = f->now_ms > REPORTQ_SENSORS_SINCE_MS ?
		    f->now_ms - REPORTQ_SENSORS_SINCE_MS : 0;
		has_since = 1;
	}
	/* a time past what the grammar reads is the caller's bug */
	if ((has_since && when_format_utc(since, q->since,
	    sizeof(q->since)) == 0) || (f->has_until &&
	    when_format_utc(f->until_ms, q->until, sizeof(q->until)) == 0))
		return -1;
	snprintf(q->limit, sizeof(q->limit), "%lld", f->limit);
	snprintf(q->upto, sizeof(q->upto), "%lld", (long long)f->upto_id);
	snprintf(q->offset, sizeof(q->offset), "%lld", f->offset);
	snprintf(q->after, sizeof(q->after), "%lld", (long long)f->after_id);

	p[0] = text_array(f->names, f->nnames, &q->names);
	p[1] = f->retired ? "true" : "false";
	switch (f->kind) {
	case REPORTQ_INVENTORY:
		p[2] = f->all_frus ? "true" : "false";
		break;
	case REPORTQ_CHANGES:
		p[2] = has_since ? q->since : NULL;
		p[3] = f->limit ? q->limit : NULL;
		break;
	case REPORTQ_SENSORS:
		p[2] = q->since;
		p[3] = f->nstates ? text_array(f->states, f->nstates,
		    &q->states) : NULL;
		break;
	case REPORTQ_EVENTS:
		p[2] = has_since ? q->since : NULL;
		p[3] = f->has_until ? q->until : NULL;
		p[4] = f->nseverities ? text_array(f->severities,
		    f->nseverities, &q->severities) : NULL;
		p[5] = f->limit ? q->limit : NULL;
		p[6] = f->has_upto ? q->upto : NULL;
		p[7] = f->unacked ? "true" : "false";
		p[8] = f->offset ? q->offset : NULL;
		break;
	case REPORTQ_EVENTS_NEW:
		p[2] = f->nseverities ? text_array(f->severities,
		    f->nseverities, &q->severities) : NULL;
		p[3] = f->unacked ? "true" : "false";
		p[4] = q->after;
		p[5] = id_array(f->ids, f->nids, &q->ids);
		break;
	case REPORTQ_SDRS:
		break;
	}
	if (gbuf_failed(&q->sql) || (f->names != NULL && q->names == NULL) ||
	    (p[3] == NULL && f->kind == REPORTQ_SENSORS && f->nstates) ||
	    (p[4] == NULL && f->kind == REPORTQ_EVENTS && f->nseverities) ||
	    (f->kind == REPORTQ_EVENTS_NEW && (p[5] == NULL ||
	    (p[2] == NULL && f->nseverities))))
		return -1;
	return 0;
}

void
reportq_release(struct reportq *q)
{
	gbuf_release(&q->sql);
	free(q->names);
	free(q->states);
	free(q->severities);
	free(q->ids);
	memset(q, 0, sizeof(*q));
}

const char *
reportq_cell(const struct reportq_rows *rows, size_t row, size_t col)
{
	if (row >= rows->nrows || col >= rows->ncols)
		return NULL;
	return rows->cell[row * rows->ncols + col];
}

size_t
reportq_cell_len(const struct reportq_rows *rows, size_t row, size_t col)
{
	if (row >= rows->nrows || col >= rows->ncols)
		return 0;
	return rows->len[row * rows->ncols + col];
}

void
reportq_rows_release(struct reportq_rows *rows)
{
	free(rows->cell);
	free(rows->len);
	free(rows->buf);
	memset(rows, 0, sizeof(*rows));
}

/* The server's message on one line, without libpq's trailing newline. */
static void
pg_message(const char *m, char *out, size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return;
	for (; *m != '\0' && n + 1 < cap; m++)
		out[n++] = *m == '\n' || *m == '\t' ? ' ' : *m;
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* Every cell of res into rows: one block of text, NUL after each. */
static int
copy_rows(const PGresult *res, struct reportq_rows *rows)
{
	size_t nr = (size_t)PQntuples(res), nc = (size_t)PQnfields(res);
	size_t total = 0, o = 0, k = 0;

	for (size_t r = 0; r < nr; r++)
		for (size_t c = 0; c < nc; c++)
			total += (size_t)PQgetlength(res, (int)r, (int)c) + 1;
	if ((rows->cell = calloc(nr * nc + 1, sizeof(*rows->cell))) == NULL ||
	    (rows->len = calloc(nr * nc + 1, sizeof(*rows->len))) == NULL ||
	    (rows->buf = malloc(total + 1)) == NULL) {
		reportq_rows_release(rows);
		return REPORTQ_NOMEM;
	}
	rows->nrows = nr;
	rows->ncols = nc;
	for (size_t r = 0; r < nr; r++)
		for (size_t c = 0; c < nc; c++, k++) {
			size_t n = (size_t)PQgetlength(res, (int)r, (int)c);

			rows->len[k] = n;
			if (PQgetisnull(res, (int)r, (int)c))
				continue;
			memcpy(rows->buf + o, PQgetvalue(res, (int)r, (int)c),
			    n);
			rows->buf[o + n] = '\0';
			rows->cell[k] = rows->buf + o;
			o += n + 1;
		}
	return 0;
}

int
reportq_run(struct pg_conn *pg, const struct reportq *q,
    struct reportq_rows *rows, char *err, size_t errlen)
{
	return reportq_exec(pg, gbuf_str(&q->sql), q->nparams, q->params,
	    q->binary, rows, err, errlen);
}

int
reportq_exec(struct pg_conn *pg, const char *sql, int nparams,
    const char *const *params, int binary, struct reportq_rows *rows,
    char *err, size_t errlen)
{
	PGresult *res;
	int rc;

	memset(rows, 0, sizeof(*rows));
	if (errlen > 0)
		err[0] = '\0';
	res = PQexecParams(pg, sql, nparams, NULL, params, NULL, NULL, binary);
	if (res == NULL) {
		pg_message(PQerrorMessage(pg), err, errlen);
		return REPORTQ_ERROR;
	}
	rc = reportq_result(res, rows, err, errlen);
	PQclear(res);
	return rc;
}

int
reportq_result(const struct pg_result *res, struct reportq_rows *rows,
    char *err, size_t errlen)
{
	const char *state;

	memset(rows, 0, sizeof(*rows));
	if (errlen > 0)
		err[0] = '\0';
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return copy_rows(res, rows);
	if ((state = PQresultErrorField(res, PG_DIAG_SQLSTATE)) != NULL &&
	    strcmp(state, "42P01") == 0)
		return REPORTQ_NO_SCHEMA;		/* undefined_table */
	pg_message(PQresultErrorMessage(res), err, errlen);
	return REPORTQ_ERROR;
}

/* --- events --follow and events ack ---------------------------------------- */

/* The server's messages outside a query (its FATAL when it shuts down):
 * the follower says the connection was lost in its own words. */
static void
notice_drop(void *arg, const char *m)
{
	(void)arg;
	(void)m;
}

int
reportq_listen(struct pg_conn *pg, int64_t *max_id, char *err, size_t errlen)
{
	static const char sql[] = "LISTEN bmcfleet_event";
	struct reportq_rows rows;
	PGresult *res;
	int rc;

	PQsetNoticeProcessor(pg, notice_drop, NULL);
	res = PQexec(pg, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_message(res != NULL ? PQresultErrorMessage(res) :
		    PQerrorMessage(pg), err, errlen);
		PQclear(res);
		return REPORTQ_ERROR;
	}
	PQclear(res);
	/* after LISTEN: whatever commits later is announced */
	if ((rc = reportq_exec(pg, "SELECT coalesce(max(id), 0) FROM "
	    "sel_event", 0, NULL, 0, &rows, err, errlen)) != 0)
		return rc;
	*max_id = strtoll(reportq_cell(&rows, 0, 0) != NULL ?
	    reportq_cell(&rows, 0, 0) : "0", NULL, 10);
	reportq_rows_release(&rows);
	return 0;
}

int
reportq_socket(struct pg_conn *pg)
{
	return PQsocket(pg);
}

int
reportq_notified(struct pg_conn *pg, int64_t *ids, size_t cap, size_t *n,
    int *any)
{
	PGnotify *nf;
	char *end;
	long long v;

	if (PQconsumeInput(pg) == 0 || PQstatus(pg) != CONNECTION_OK)
		return -1;
	while ((nf = PQnotifies(pg)) != NULL) {
		if (*any == 0)
			*any = 1;
		if (strcmp(nf->relname, "bmcfleet_event") == 0) {
			v = strtoll(nf->extra, &end, 10);
			if (end != nf->extra && *end == '\0' && v > 0) {
				if (*n < cap)
					ids[(*n)++] = v;
				else
					*any = 2;	/* some dropped */
			}
		}
		PQfreemem(nf);
	}
	return 0;
}

/* A command that returns no rows; 0, or REPORTQ_ERROR with err. */
static int
command(PGconn *pg, const char *sql, char *err, size_t errlen)
{
	PGresult *res = PQexec(pg, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		pg_message(res != NULL ? PQresultErrorMessage(res) :
		    PQerrorMessage(pg), err, errlen);
	PQclear(res);
	return ok ? 0 : REPORTQ_ERROR;
}

int
reportq_ack(struct pg_conn *pg, const struct reportq_ack *a,
    struct gbuf *unknown, char *err, size_t errlen)
{
	struct reportq_rows rows;
	char *ids = NULL, detail[1200];
	const char *p[3];
	int rc;

	if (errlen > 0)
		err[0] = '\0';
	if (id_array(a->ids, a->nids, &ids) == NULL)
		return REPORTQ_NOMEM;
	if ((rc = command(pg, "BEGIN", err, errlen)) != 0)
		goto out;
	p[0] = ids;
	/* every id first: one unknown and nothing is written */
	rc = reportq_exec(pg, "SELECT x FROM unnest($1::bigint[]) x "
	    "WHERE NOT EXISTS (SELECT 1 FROM sel_event e WHERE e.id = x) "
	    "ORDER BY x", 1, p, 0, &rows, err, errlen);
	if (rc != 0)
		goto rollback;
	for (size_t r = 0; r < rows.nrows; r++)
		gbuf_printf(unknown, "%s%s", r ? ", " : "",
		    reportq_cell(&rows, r, 0));
	reportq_rows_release(&rows);
	if (unknown->len > 0) {
		rc = REPORTQ_UNKNOWN;
		goto rollback;
	}
	p[1] = a->who;
	p[2] = a->note;
	rc = reportq_exec(pg, "INSERT INTO event_ack (event_id, who, note) "
	    "SELECT DISTINCT x, $2::text, $3::text FROM unnest($1::bigint[]) x "
	    "RETURNING event_id, (SELECT b.name FROM sel_event e JOIN bmc b "
	    "ON b.id = e.bmc_id WHERE e.id = event_id)", 3, p, 0, &rows, err,
	    errlen);
	if (rc != 0)
		goto rollback;
	for (size_t r = 0; r < rows.nrows && rc == 0; r++) {
		struct plan_audit au = {
			.who = a->who, .origin = a->origin, .plan_id = -1,
			.stage = -1, .batch = -1,
			.host = reportq_cell(&rows, r, 1), .op = "event-ack",
			.result = "ok", .detail = detail, .duration_ms = -1,
		};

		snprintf(detail, sizeof(detail), "event %s%s%s",
		    reportq_cell(&rows, r, 0), a->note != NULL ? ": " : "",
		    a->note != NULL ? a->note : "");
		if (planstore_audit(pg, &au) != 0) {
			pg_message(PQerrorMessage(pg), err, errlen);
			rc = REPORTQ_ERROR;
		}
	}
	reportq_rows_release(&rows);
	if (rc == 0 && (rc = command(pg, "COMMIT", err, errlen)) == 0)
		goto out;
rollback:
	(void)command(pg, "ROLLBACK", err[0] != '\0' ? NULL : err,
	    err[0] != '\0' ? 0 : errlen);
out:
	free(ids);
	return rc;
}
