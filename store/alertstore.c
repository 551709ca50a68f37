/*
 * alertstore: the alert engine's connection (non-blocking, on the loop)
 * and its SQL.  See alertstore.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "lib/loop.h"
#include "store/alertstore.h"
#include "store/db.h"

#define MAXP		8
#define RETRY_MIN_MS	1000
#define RETRY_MAX_MS	30000
#define STANDBY_MS	5000

/* the engine's advisory lock: one sender per database */
#define LOCK_SQL	"SELECT pg_try_advisory_lock(hashtext('bmcfleet_alertd'))"

struct op {
	struct op	*next;
	char		*sql;		/* a copy: sent when its turn
					   comes, after the caller's frame
					   (alertstore_sent and _retry
					   build theirs on the stack) */
	int		 n;
	char		*p[MAXP];
	alertstore_cb	*cb;
	void		*arg;
};

enum phase { PH_DOWN, PH_CONNECTING, PH_LOCK, PH_LISTEN, PH_STANDBY,
	PH_UP };

struct alertstore {
	struct loop		*loop;
	char			*conninfo;
	struct alertstore_ops	 ops;
	PGconn			*conn;
	int			 fd;
	unsigned		 ev;
	enum phase		 ph;
	struct op		*head, *tail;	/* head is on the wire when
						   busy */
	int			 busy;
	PGresult		*last;
	struct loop_timer	 retry;
	uint64_t		 backoff_ms;
	char			 origin[300];	/* host:pid, for audit_log */
};

/*
 * A notification's end (sent, or given up) is also an audit_log row, so
 * `bmcfleet audit` is the one trail: operation "alert", the BMC, who
 * sent it (bmcfleetd, host:pid) and the rule, action, recipient and
 * subject.  Retries are not: alerts history has their count and error.
 */
#define AUDIT_NOTIFICATION \
	"INSERT INTO audit_log (who, origin, host, operation, result, " \
	"    detail) " \
	"SELECT 'bmcfleetd', $%d, u.bmc, 'alert', u.state, " \
	"    u.rule || ' -> ' || u.action || coalesce(' (' || u.recipient " \
	"    || ')', '') || ': ' || u.kind || ': ' || u.subject || " \
	"    coalesce('; ' || u.last_error, '') FROM u"

struct alertstore_res {
	PGresult	*r;
};

size_t
alertstore_nrows(const struct alertstore_res *res)
{
	return res != NULL && res->r != NULL ? (size_t)PQntuples(res->r) : 0;
}

const char *
alertstore_get(const struct alertstore_res *res, size_t row, int col)
{
	if (res == NULL || res->r == NULL || (int)row >= PQntuples(res->r) ||
	    col >= PQnfields(res->r) || PQgetisnull(res->r, (int)row, col))
		return NULL;
	return PQgetvalue(res->r, (int)row, col);
}

static void	on_fd(struct loop *, int, unsigned, void *);
static void	start_next(struct alertstore *);

static void
op_free(struct op *o)
{
	for (int i = 0; i < o->n; i++)
		free(o->p[i]);
	free(o->sql);
	free(o);
}

static void
drop_ops(struct alertstore *s)
{
	struct op *o;

	while ((o = s->head) != NULL) {
		s->head = o->next;
		op_free(o);
	}
	s->tail = NULL;
	s->busy = 0;
}

static void
set_state(struct alertstore *s, enum alertstore_state st, const char *why)
{
	if (s->ops.state != NULL)
		s->ops.state(s->ops.arg, st, why ? why : "");
}

static void
unwatch(struct alertstore *s)
{
	if (s->fd >= 0)
		loop_del_fd(s->loop, s->fd);
	s->fd = -1;
	s->ev = 0;
}

static void
chomp(char *m)
{
	size_t n = strlen(m);

	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
		m[--n] = '\0';
}

/* lose the connection; queued queries are dropped, a retry is set */
static void
conn_lost(struct alertstore *s, const char *why)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s", why ? why : "connection lost");
	chomp(msg);
	unwatch(s);
	PQclear(s->last);
	s->last = NULL;
	if (s->conn != NULL)
		PQfinish(s->conn);
	s->conn = NULL;
	drop_ops(s);
	s->ph = PH_DOWN;
	s->backoff_ms = s->backoff_ms == 0 ? RETRY_MIN_MS :
	    s->backoff_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : s->backoff_ms * 2;
	loop_timer_set(s->loop, &s->retry, loop_now(s->loop) + s->backoff_ms);
	set_state(s, ALERTSTORE_DOWN, msg);
}

static int
watch(struct alertstore *s, unsigned ev)
{
	int fd = PQsocket(s->conn);

	if (fd < 0) {
		conn_lost(s, PQerrorMessage(s->conn));
		return -1;
	}
	if (fd != s->fd) {
		unwatch(s);
		if (loop_add_fd(s->loop, fd, ev, on_fd, s) != 0) {
			conn_lost(s, strerror(errno));
			return -1;
		}
		s->fd = fd;
	} else if (ev != s->ev && loop_mod_fd(s->loop, fd, ev) != 0) {
		conn_lost(s, strerror(errno));
		return -1;
	}
	s->ev = ev;
	return 0;
}

static void
connect_start(struct alertstore *s)
{
	if ((s->conn = db_connect_start(s->conninfo)) == NULL) {
		conn_lost(s, "out of memory");
		return;
	}
	if (PQstatus(s->conn) == CONNECTION_BAD) {
		conn_lost(s, PQerrorMessage(s->conn));
		return;
	}
	s->ph = PH_CONNECTING;
	(void)watch(s, LOOP_WRITE);
}

static int
push(struct alertstore *s, const char *sql, int n, const char *const *p,
    alertstore_cb *cb, void *arg, int front)
{
	struct op *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return -1;
	if ((o->sql = strdup(sql)) == NULL) {
		free(o);
		return -1;
	}
	o->cb = cb;
	o->arg = arg;
	for (o->n = 0; o->n < n; o->n++)
		if (p[o->n] != NULL && (o->p[o->n] = strdup(p[o->n])) ==
		    NULL) {
			op_free(o);
			return -1;
		}
	if (front && !s->busy) {
		o->next = s->head;
		s->head = o;
		if (s->tail == NULL)
			s->tail = o;
	} else {
		if (s->tail != NULL)
			s->tail->next = o;
		else
			s->head = o;
		s->tail = o;
	}
	start_next(s);
	return 0;
}

static void
setup_done(void *arg, const struct alertstore_res *res, const char *err)
{
	struct alertstore *s = arg;
	const char *v;

	if (res == NULL) {
		if (s->conn != NULL)
			conn_lost(s, err);
		return;
	}
	if (s->ph == PH_LOCK || s->ph == PH_STANDBY) {
		v = alertstore_get(res, 0, 0);
		if (v == NULL || strcmp(v, "t") != 0) {
			/* another engine sends: look again later */
			if (s->ph != PH_STANDBY) {
				s->ph = PH_STANDBY;
				set_state(s, ALERTSTORE_STANDBY,
				    "another bmcfleetd holds the alert lock");
			}
			loop_timer_set(s->loop, &s->retry, loop_now(s->loop) +
			    STANDBY_MS);
			return;
		}
		s->ph = PH_LISTEN;
		(void)push(s, "LISTEN bmcfleet_event; LISTEN bmcfleet_alert",
		    0, NULL, setup_done, s, 1);
		return;
	}
	if (s->ph == PH_LISTEN) {
		s->ph = PH_UP;
		s->backoff_ms = 0;
		set_state(s, ALERTSTORE_UP, "");
	}
}

static void
on_retry(struct loop *l, struct loop_timer *t, void *arg)
{
	struct alertstore *s = arg;

	(void)l;
	(void)t;
	if (s->ph == PH_DOWN)
		connect_start(s);
	else if (s->ph == PH_STANDBY)
		(void)push(s, LOCK_SQL, 0, NULL, setup_done, s, 1);
}

static void
start_next(struct alertstore *s)
{
	struct op *o = s->head;
	int ok;

	if (s->busy || o == NULL || s->conn == NULL || s->ph == PH_DOWN ||
	    s->ph == PH_CONNECTING)
		return;
	if (o->n > 0)
		ok = PQsendQueryParams(s->conn, o->sql, o->n, NULL,
		    (const char *const *)o->p, NULL, NULL, 0);
	else
		ok = PQsendQuery(s->conn, o->sql);
	if (!ok) {
		conn_lost(s, PQerrorMessage(s->conn));
		return;
	}
	s->busy = 1;
	(void)watch(s, LOOP_READ | LOOP_WRITE);
}

static void
deliver(struct alertstore *s)
{
	struct op *o = s->head;
	struct alertstore_res res = { s->last };
	char err[256] = "";
	PGresult *r = s->last;

	s->head = o->next;
	if (s->head == NULL)
		s->tail = NULL;
	s->busy = 0;
	s->last = NULL;
	if (r == NULL)
		snprintf(err, sizeof(err), "no result");
	else if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK) {
		snprintf(err, sizeof(err), "%s", PQresultErrorMessage(r));
		chomp(err);
	}
	if (o->cb != NULL)
		o->cb(o->arg, err[0] ? NULL : &res, err[0] ? err : NULL);
	op_free(o);
	PQclear(r);
	start_next(s);
}

static void
read_input(struct alertstore *s)
{
	PGnotify *nt;
	int woke = 0;

	if (!PQconsumeInput(s->conn)) {
		conn_lost(s, PQerrorMessage(s->conn));
		return;
	}
	while ((nt = PQnotifies(s->conn)) != NULL) {
		woke = 1;
		PQfreemem(nt);
	}
	while (s->busy && !PQisBusy(s->conn)) {
		PGresult *r = PQgetResult(s->conn);

		if (r == NULL) {
			deliver(s);	/* may start the next one */
			if (s->conn == NULL)
				return;
			continue;
		}
		/* keep the last result, or the first error */
		if (s->last != NULL && PQresultStatus(s->last) ==
		    PGRES_FATAL_ERROR) {
			PQclear(r);
			continue;
		}
		PQclear(s->last);
		s->last = r;
	}
	if (woke && s->ph == PH_UP && s->ops.wake != NULL)
		s->ops.wake(s->ops.arg);
}

static void
on_fd(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct alertstore *s = arg;

	(void)l;
	(void)fd;
	if (s->ph == PH_CONNECTING) {
		switch (PQconnectPoll(s->conn)) {
		case PGRES_POLLING_READING:
			(void)watch(s, LOOP_READ);
			return;
		case PGRES_POLLING_WRITING:
			(void)watch(s, LOOP_WRITE);
			return;
		case PGRES_POLLING_OK:
			if (PQsetnonblocking(s->conn, 1) != 0) {
				conn_lost(s, PQerrorMessage(s->conn));
				return;
			}
			s->ph = PH_LOCK;
			(void)watch(s, LOOP_READ);
			(void)push(s, LOCK_SQL, 0, NULL, setup_done, s, 1);
			return;
		default:
			conn_lost(s, PQerrorMessage(s->conn));
			return;
		}
	}
	if (s->conn == NULL)
		return;
	if (ev & LOOP_WRITE) {
		int rc = PQflush(s->conn);

		if (rc < 0) {
			conn_lost(s, PQerrorMessage(s->conn));
			return;
		}
		if (rc == 0)
			(void)watch(s, LOOP_READ);
	}
	if (ev & LOOP_READ)
		read_input(s);
}

struct alertstore *
alertstore_new(struct loop *l, const char *conninfo,
    const struct alertstore_ops *ops)
{
	struct alertstore *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->conninfo = strdup(conninfo)) == NULL) {
		free(s);
		return NULL;
	}
	s->loop = l;
	s->ops = *ops;
	s->fd = -1;
	{
		char host[256] = "?";

		(void)gethostname(host, sizeof(host) - 1);
		snprintf(s->origin, sizeof(s->origin), "%s:%ld", host,
		    (long)getpid());
	}
	loop_timer_init(&s->retry, on_retry, s);
	connect_start(s);
	return s;
}

void
alertstore_free(struct alertstore *s)
{
	if (s == NULL)
		return;
	loop_timer_cancel(s->loop, &s->retry);
	unwatch(s);
	drop_ops(s);
	PQclear(s->last);
	if (s->conn != NULL)
		PQfinish(s->conn);
	explicit_bzero(s->conninfo, strlen(s->conninfo));
	free(s->conninfo);
	free(s);
}

enum alertstore_state
alertstore_state(const struct alertstore *s)
{
	return s->ph == PH_UP ? ALERTSTORE_UP : s->ph == PH_STANDBY ?
	    ALERTSTORE_STANDBY : ALERTSTORE_DOWN;
}

static int
query(struct alertstore *s, const char *sql, int n, const char *const *p,
    alertstore_cb *cb, void *arg)
{
	if (s->ph != PH_UP)
		return -1;
	return push(s, sql, n, p, cb, arg, 0);
}

int
alertstore_cursors(struct alertstore *s, alertstore_cb *cb, void *arg)
{
	return query(s, "SELECT source, last_id FROM alert_cursor", 0, NULL,
	    cb, arg);
}

/*
 * One scan of every source.  A source's rows come in id order; a
 * "cursor" row per source says how far the scan went, so rows that are
 * not events (a sweep that succeeded after one that did too) still move
 * the cursor.  Unreachable: a failed result carries the failures in a
 * row up to it; a result that succeeded after a failure is the clear.
 */
static const char fetch_sql[] =
"WITH sel AS (SELECT e.*, b.name AS bmc FROM sel_event e "
"  JOIN bmc b ON b.id = e.bmc_id WHERE e.id > $1 ORDER BY e.id LIMIT $5), "
"sen AS (SELECT x.*, b.name AS bmc, s.name AS sensor, s.sensor_type "
"  FROM sensor_event x JOIN sensor s ON s.id = x.sensor_id "
"  JOIN bmc b ON b.id = x.bmc_id WHERE x.id > $2 ORDER BY x.id LIMIT $5), "
"inv AS (SELECT i.*, b.name AS bmc FROM inventory_change i "
"  JOIN bmc b ON b.id = i.bmc_id WHERE i.id > $3 ORDER BY i.id LIMIT $5), "
"res AS (SELECT r.*, b.name AS bmc FROM collection_result r "
"  JOIN bmc b ON b.id = r.bmc_id WHERE r.seq > $4 ORDER BY r.seq LIMIT $5) "
"SELECT CASE WHEN e.source = 'pet' THEN 'pet' ELSE 'sel' END, e.id, "
"  e.bmc_id, e.bmc, e.severity, e.sensor_type, e.sensor, e.description, "
"  coalesce(e.sensor_number::text, '') || '/' || "
"  coalesce(e.event_offset::text, ''), e.direction = 'deasserted', 0, "
"  (extract(epoch FROM coalesce(e.ts, e.seen_at)) * 1000)::bigint, "
"  e.first_read OR e.seen_at < now() - $6::bigint * interval '1 ms' "
"  FROM sel e "
"UNION ALL "
"SELECT 'sensor', x.id, x.bmc_id, x.bmc, "
"  CASE x.new_state WHEN 'critical' THEN 'critical' "
"  WHEN 'warning' THEN 'warning' ELSE 'info' END, x.sensor_type, "
"  x.sensor, x.sensor || ': ' || coalesce(x.old_state, '?') || ' -> ' || "
"  x.new_state, x.sensor, x.new_state = 'nominal', 0, "
"  (extract(epoch FROM x.at) * 1000)::bigint, "
"  x.at < now() - $6::bigint * interval '1 ms' FROM sen x "
"UNION ALL "
"SELECT 'inventory', i.id, i.bmc_id, i.bmc, 'warning', NULL, i.field, "
"  i.field || ': ' || coalesce(i.old_value, '') || ' -> ' || "
"  coalesce(i.new_value, ''), i.fru_id || ':' || i.field, false, 0, "
"  (extract(epoch FROM i.changed_at) * 1000)::bigint, "
"  i.changed_at < now() - $6::bigint * interval '1 ms' FROM inv i "
"UNION ALL "
"SELECT 'unreachable', r.seq, r.bmc_id, r.bmc, 'critical', NULL, NULL, "
"  CASE WHEN r.ok THEN 'BMC answers again' ELSE 'BMC unreachable: ' || "
"  coalesce(r.reason, 'failed') || coalesce(': ' || r.error, '') END, "
"  '', r.ok, f.n, (extract(epoch FROM r.finished_at) * 1000)::bigint, "
"  r.finished_at < now() - $6::bigint * interval '1 ms' FROM res r "
"  CROSS JOIN LATERAL (SELECT count(*) AS n FROM collection_result p "
"    WHERE p.bmc_id = r.bmc_id AND NOT p.ok AND p.seq <= r.seq AND "
"    p.seq > coalesce((SELECT max(q.seq) FROM collection_result q "
"    WHERE q.bmc_id = r.bmc_id AND q.ok AND q.seq < r.seq), 0)) f "
"  WHERE NOT r.ok OR f.n > 0 "
"UNION ALL SELECT 'cursor', 0, NULL, 'sel', NULL, NULL, NULL, NULL, "
"  (SELECT max(id) FROM sel)::text, NULL, NULL, NULL, NULL "
"UNION ALL SELECT 'cursor', 0, NULL, 'sensor', NULL, NULL, NULL, NULL, "
"  (SELECT max(id) FROM sen)::text, NULL, NULL, NULL, NULL "
"UNION ALL SELECT 'cursor', 0, NULL, 'inventory', NULL, NULL, NULL, NULL, "
"  (SELECT max(id) FROM inv)::text, NULL, NULL, NULL, NULL "
"UNION ALL SELECT 'cursor', 0, NULL, 'result', NULL, NULL, NULL, NULL, "
"  (SELECT max(seq) FROM res)::text, NULL, NULL, NULL, NULL";

int
alertstore_fetch(struct alertstore *s, const int64_t cur[AS_NCUR],
    unsigned limit, uint64_t stale_ms, alertstore_cb *cb, void *arg)
{
	char b[6][24];
	const char *p[6];

	for (int i = 0; i < AS_NCUR; i++) {
		snprintf(b[i], sizeof(b[i]), "%" PRId64, cur[i]);
		p[i] = b[i];
	}
	snprintf(b[4], sizeof(b[4]), "%u", limit);
	snprintf(b[5], sizeof(b[5]), "%" PRIu64, stale_ms);
	p[4] = b[4];
	p[5] = b[5];
	return query(s, fetch_sql, 6, p, cb, arg);
}

int
alertstore_last(struct alertstore *s, const char *keys_json,
    alertstore_cb *cb, void *arg)
{
	const char *p[1] = { keys_json };

	return query(s,
	    "SELECT k.key, n.kind, (extract(epoch FROM now() - n.created_at) "
	    "* 1000)::bigint FROM jsonb_array_elements_text($1::jsonb) "
	    "AS k(key) CROSS JOIN LATERAL (SELECT kind, created_at FROM "
	    "alert_notification a WHERE a.dedup_key = k.key AND "
	    "a.state <> 'suppressed' ORDER BY a.id DESC LIMIT 1) n",
	    1, p, cb, arg);
}

int
alertstore_enqueue(struct alertstore *s, const char *rows_json,
    const int64_t cur[AS_NCUR], alertstore_cb *cb, void *arg)
{
	char b[AS_NCUR][24];
	const char *p[1 + AS_NCUR];

	p[0] = rows_json;
	for (int i = 0; i < AS_NCUR; i++) {
		snprintf(b[i], sizeof(b[i]), "%" PRId64, cur[i]);
		p[1 + i] = b[i];
	}
	/* one statement: the rows and the cursors commit together */
	return query(s,
	    "WITH ins AS (INSERT INTO alert_notification (rule, action, "
	    "recipient, kind, source, source_id, bmc_id, bmc, dedup_key, "
	    "severity, state, reason, event_at, subject, text, body) "
	    "SELECT rule, action, recipient, kind, source, source_id, "
	    "bmc_id, bmc, dedup_key, severity, state, reason, "
	    "to_timestamp(event_at_ms / 1000.0), subject, text, body "
	    "FROM jsonb_to_recordset($1::jsonb) AS x(rule text, action text, "
	    "recipient text, kind text, source text, source_id bigint, "
	    "bmc_id bigint, bmc text, dedup_key text, severity text, "
	    "state text, reason text, event_at_ms bigint, subject text, "
	    "text text, body text, ord int) ORDER BY ord "
	    "ON CONFLICT (rule, action, source, source_id) DO NOTHING "
	    "RETURNING id), "
	    "cur AS (UPDATE alert_cursor c SET last_id = v.id, "
	    "updated_at = now() FROM (VALUES ('sel', $2::bigint), "
	    "('sensor', $3::bigint), ('inventory', $4::bigint), "
	    "('result', $5::bigint)) AS v(source, id) "
	    "WHERE c.source = v.source AND c.last_id <> v.id RETURNING 1) "
	    "SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM cur)",
	    1 + AS_NCUR, p, cb, arg);
}

int
alertstore_heads(struct alertstore *s, alertstore_cb *cb, void *arg)
{
	return query(s,
	    "SELECT DISTINCT ON (action) id, action, "
	    "(extract(epoch FROM next_try_at - now()) * 1000)::bigint, tries, "
	    "kind, severity, bmc, subject, text, body, "
	    "(extract(epoch FROM coalesce(event_at, created_at)) * 1000)"
	    "::bigint, source || ':' || source_id "
	    "FROM alert_notification WHERE state = 'queued' "
	    "ORDER BY action, id", 0, NULL, cb, arg);
}

int
alertstore_sent(struct alertstore *s, int64_t id, alertstore_cb *cb,
    void *arg)
{
	char b[24], sql[1024];
	const char *p[2] = { b, s->origin };

	snprintf(b, sizeof(b), "%" PRId64, id);
	snprintf(sql, sizeof(sql),
	    "WITH u AS (UPDATE alert_notification SET state = 'sent', "
	    "sent_at = now(), tries = tries + 1 WHERE id = $1 AND "
	    "state = 'queued' RETURNING *) " AUDIT_NOTIFICATION, 2);
	return query(s, sql, 2, p, cb, arg);
}

int
alertstore_retry(struct alertstore *s, int64_t id, const char *error,
    uint64_t backoff_ms, uint64_t give_up_ms, alertstore_cb *cb, void *arg)
{
	char b[3][24], sql[1536];
	const char *p[5] = { b[0], error, b[1], b[2], s->origin };

	snprintf(b[0], sizeof(b[0]), "%" PRId64, id);
	snprintf(b[1], sizeof(b[1]), "%" PRIu64, backoff_ms);
	snprintf(b[2], sizeof(b[2]), "%" PRIu64, give_up_ms);
	snprintf(sql, sizeof(sql),
	    "WITH u AS (UPDATE alert_notification SET tries = tries + 1, "
	    "last_error = $2, next_try_at = now() + $3::bigint * "
	    "interval '1 ms', state = CASE WHEN created_at < now() - "
	    "$4::bigint * interval '1 ms' THEN 'failed' ELSE 'queued' END, "
	    "reason = CASE WHEN created_at < now() - $4::bigint * "
	    "interval '1 ms' THEN 'gave up' ELSE reason END "
	    "WHERE id = $1 AND state = 'queued' RETURNING *) "
	    AUDIT_NOTIFICATION " WHERE u.state = 'failed'", 5);
	return query(s, sql, 5, p, cb, arg);
}

/* --- history ------------------------------------------------------------ */

int
alertstore_history(struct pg_conn *conn, const struct alertstore_filter *f,
    void (*fn)(void *arg, const char *const *cols), void *arg, char *err,
    size_t errlen)
{
	PGconn *c = (PGconn *)conn;
	PGresult *r;
	char *names = NULL, since[24], lim[16];
	const char *p[4];
	size_t len = 3, i;
	int row, col;

	/* the names as a JSON array: names are ours, but quote anyway */
	if (f->bmcs != NULL) {
		for (i = 0; i < f->nbmcs; i++)
			len += strlen(f->bmcs[i]) * 2 + 3;
		if ((names = malloc(len)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		char *w = names;

		*w++ = '[';
		for (i = 0; i < f->nbmcs; i++) {
			if (i > 0)
				*w++ = ',';
			*w++ = '"';
			for (const char *q = f->bmcs[i]; *q; q++) {
				if (*q == '"' || *q == '\\')
					*w++ = '\\';
				*w++ = *q;
			}
			*w++ = '"';
		}
		*w++ = ']';
		*w = '\0';
	}
	snprintf(since, sizeof(since), "%" PRId64, f->since_ms);
	snprintf(lim, sizeof(lim), "%u", f->limit);
	p[0] = names;
	p[1] = f->rule;
	p[2] = f->since_ms >= 0 ? since : NULL;
	p[3] = f->limit > 0 ? lim : NULL;
	r = PQexecParams(c,
	    "SELECT * FROM (SELECT id, to_char(created_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), rule, action, recipient, kind, "
	    "source, source_id, bmc, severity, state, reason, tries, "
	    "last_error, to_char(sent_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), subject "
	    "FROM alert_notification WHERE "
	    "($1::jsonb IS NULL OR bmc IN (SELECT "
	    "jsonb_array_elements_text($1::jsonb))) "
	    "AND ($2::text IS NULL OR rule = $2) "
	    "AND ($3::bigint IS NULL OR created_at >= to_timestamp($3::bigint "
	    "/ 1000.0)) ORDER BY id DESC LIMIT $4::bigint) x ORDER BY id",
	    4, NULL, p, NULL, NULL, 0);
	free(names);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(r));
		chomp(err);
		PQclear(r);
		return -1;
	}
	for (row = 0; row < PQntuples(r); row++) {
		const char *cols[ALERTSTORE_HISTORY_COLS];

		for (col = 0; col < ALERTSTORE_HISTORY_COLS; col++)
			cols[col] = PQgetisnull(r, row, col) ? NULL :
			    PQgetvalue(r, row, col);
		fn(arg, cols);
	}
	PQclear(r);
	return 0;
}
