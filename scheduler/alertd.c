/*
 * alertd: the alert engine: scan the sources, queue notifications, send
 * them.  See alertd.h.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/gbuf.h"
#include "lib/json.h"
#include "lib/loop.h"
#include "scheduler/alertd.h"
#include "scheduler/notify.h"
#include "store/alertstore.h"

#define SCAN_LIMIT	500	/* rows per source per scan */
#define KEY_MAX		512

static const char *const cur_names[AS_NCUR] = { "sel", "sensor",
	"inventory", "result" };

/* a matched event, copied out of the scan's result */
struct cand {
	size_t		 rule;
	struct alert_event e;
	int64_t		 id;
	int64_t		 bmc_id;
	uint64_t	 at_ms;
	char		*key;
	char		*strs;		/* the event's strings, one block */
};

struct lastkey {
	char		*key;
	int		 kind;		/* ALERT_RAISE, ALERT_CLEAR, -1 */
	uint64_t	 at_ms;		/* wall clock */
};

struct act {
	const struct alertd_action *a;
	struct alert_bucket	 bucket;
	int64_t			 in_flight;	/* the row on the wire, or 0 */
	struct alertd		*d;
};

struct alertd {
	struct loop		*loop;
	struct alertd_conf	 conf;
	struct alertstore	*store;
	struct act		*acts;
	int			 up;
	int			 have_cur;
	int64_t			 cur[AS_NCUR];
	int64_t			 next_cur[AS_NCUR];
	int			 scanning, need_scan, more;
	int			 heads_busy, need_send;
	struct cand		*cands;
	size_t			 ncands;
	struct loop_timer	 poll;
	struct loop_timer	 due;
	struct alertd_stats	 st;
};

static void	kick(struct alertd *);

static void
logf_(struct alertd *d, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (d->conf.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	d->conf.log(d->conf.log_arg, line);
}

static void
cands_free(struct alertd *d)
{
	for (size_t i = 0; i < d->ncands; i++) {
		free(d->cands[i].key);
		free(d->cands[i].strs);
	}
	free(d->cands);
	d->cands = NULL;
	d->ncands = 0;
}

/* --- rendering ---------------------------------------------------------- */

void
alertd_render(const struct alert_rule *r, const struct alert_event *e,
    int64_t event_id, uint64_t event_ms, char *subject, size_t slen,
    struct gbuf *text, struct gbuf *json)
{
	const char *src = alert_source_name(e->source);
	const char *sev = alert_severity_name(e->severity);
	int clear = e->kind == ALERT_CLEAR;
	struct json j;
	char when[32];
	time_t t = (time_t)(event_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(subject, slen, "[bmcfleet] %s: %s: %s%s%s", clear ?
	    "recovered" : sev, e->bmc ? e->bmc : "?",
	    e->sensor ? e->sensor : "", e->sensor ? ": " : "",
	    e->text ? e->text : src);
	gbuf_printf(text, "rule: %s\nbmc: %s\nstatus: %s\nseverity: %s\n"
	    "source: %s\n", r->name, e->bmc ? e->bmc : "?", clear ?
	    "recovered" : "problem", sev, src);
	if (e->sensor_type != NULL)
		gbuf_printf(text, "sensor type: %s\n", e->sensor_type);
	if (e->sensor != NULL)
		gbuf_printf(text, "sensor: %s\n", e->sensor);
	if (e->text != NULL)
		gbuf_printf(text, "event: %s\n", e->text);
	gbuf_printf(text, "time: %s\nevent id: %s:%" PRId64 "\n", when, src,
	    event_id);
	json_init(&j, json, 0);
	json_obj(&j);
	json_key_str(&j, "rule", r->name);
	json_key_str(&j, "status", clear ? "recovered" : "problem");
	json_key_str(&j, "bmc", e->bmc);
	json_key_str(&j, "severity", sev);
	json_key_str(&j, "source", src);
	json_key(&j, "event_id");
	json_i64(&j, event_id);
	json_key_str(&j, "sensor_type", e->sensor_type);
	json_key_str(&j, "sensor", e->sensor);
	json_key_str(&j, "text", e->text);
	if (e->source == ALERT_SRC_UNREACHABLE && !clear)
		json_key_u64(&j, "failed_sweeps", e->failures);
	json_key_str(&j, "time", when);
	json_end(&j);
}

/* --- scanning ------------------------------------------------------------ */

static void	scan_done(struct alertd *, int ok);

static void
enq_cb(void *arg, const struct alertstore_res *res, const char *err)
{
	struct alertd *d = arg;

	if (res == NULL) {
		logf_(d, "alerts: queueing notifications: %s", err);
		scan_done(d, 0);
		return;
	}
	memcpy(d->cur, d->next_cur, sizeof(d->cur));
	scan_done(d, 1);
}

static void
scan_done(struct alertd *d, int ok)
{
	cands_free(d);
	d->scanning = 0;
	if (ok && d->more)
		d->need_scan = 1;
	d->need_send = 1;
	kick(d);
}

static int
source_of(const char *w)
{
	unsigned b = alert_source_parse(w);

	return (int)b;
}

/* the last notification of each key the batch has, and what it was */
static int
last_find(struct lastkey *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].key, key))
			return (int)i;
	return -1;
}

static void
enqueue(struct alertd *d, struct lastkey *last, size_t nlast)
{
	struct gbuf b = GBUF_INIT, text = GBUF_INIT, body = GBUF_INIT;
	struct json j;
	uint64_t now = loop_wall_ms(), lnow = loop_now(d->loop);
	size_t i, k, ord = 0;
	char subject[512];

	json_init(&j, &b, 0);
	json_arr(&j);
	for (i = 0; i < d->ncands; i++) {
		struct cand *c = &d->cands[i];
		const struct alert_rule *r = &d->conf.rules[c->rule];
		int li = last_find(last, nlast, c->key), v;
		int lk = li >= 0 ? last[li].kind : -1;
		uint64_t lms = li >= 0 ? last[li].at_ms : 0;

		v = alert_decide(r, c->e.kind, lk, lms, now);
		if (v == ALERT_NO_RAISE)
			continue;
		gbuf_reset(&text);
		gbuf_reset(&body);
		alertd_render(r, &c->e, c->id, c->at_ms, subject,
		    sizeof(subject), &text, &body);
		for (k = 0; k < r->nactions; k++) {
			struct act *a = &d->acts[r->actions[k]];
			const char *state = "queued", *reason = NULL;

			if (v == ALERT_DEDUP) {
				state = "suppressed";
				reason = "dedup";
			} else if (!alert_bucket_take(&a->bucket, lnow)) {
				state = "suppressed";
				reason = "rate";
			}
			if (reason != NULL)
				d->st.suppressed++;
			else
				d->st.queued++;
			json_obj(&j);
			json_key_u64(&j, "ord", ord++);
			json_key_str(&j, "rule", r->name);
			json_key_str(&j, "action", a->a->name);
			json_key_str(&j, "recipient", a->a->recipient);
			json_key_str(&j, "kind", c->e.kind == ALERT_CLEAR ?
			    "recovery" : "problem");
			json_key_str(&j, "source",
			    alert_source_name(c->e.source));
			json_key(&j, "source_id");
			json_i64(&j, c->id);
			json_key(&j, "bmc_id");
			json_i64(&j, c->bmc_id);
			json_key_str(&j, "bmc", c->e.bmc);
			json_key_str(&j, "dedup_key", c->key);
			json_key_str(&j, "severity",
			    alert_severity_name(c->e.severity));
			json_key_str(&j, "state", state);
			json_key_str(&j, "reason", reason);
			json_key_u64(&j, "event_at_ms", c->at_ms);
			json_key_str(&j, "subject", subject);
			json_key_str(&j, "text", gbuf_str(&text));
			json_key_str(&j, "body", gbuf_str(&body));
			json_end(&j);
		}
		/* what a later event of the batch with this key sees */
		if (v == ALERT_NOTIFY) {
			if (li < 0) {
				li = (int)nlast;
				last[nlast].key = c->key;
				nlast++;
			}
			last[li].kind = c->e.kind;
			last[li].at_ms = now;
		}
	}
	json_end(&j);
	gbuf_release(&text);
	gbuf_release(&body);
	if (json_failed(&j) || gbuf_failed(&b) ||
	    alertstore_enqueue(d->store, gbuf_str(&b), d->next_cur, enq_cb,
	    d) != 0) {
		logf_(d, "alerts: queueing notifications: out of memory or "
		    "no database");
		gbuf_release(&b);
		scan_done(d, 0);
		return;
	}
	gbuf_release(&b);
}

static void
last_cb(void *arg, const struct alertstore_res *res, const char *err)
{
	struct alertd *d = arg;
	struct lastkey *last;
	size_t n, i, nlast = 0;
	uint64_t now = loop_wall_ms();

	if (res == NULL) {
		logf_(d, "alerts: reading recent notifications: %s", err);
		scan_done(d, 0);
		return;
	}
	n = alertstore_nrows(res);
	/* room for every candidate's key too */
	if ((last = calloc(n + d->ncands + 1, sizeof(*last))) == NULL) {
		scan_done(d, 0);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *k = alertstore_get(res, i, 0);
		const char *kind = alertstore_get(res, i, 1);
		const char *age = alertstore_get(res, i, 2);
		uint64_t a = age ? strtoull(age, NULL, 10) : 0;

		if (k == NULL || kind == NULL)
			continue;
		/* keys are the candidates': point at their copies */
		for (size_t c = 0; c < d->ncands; c++)
			if (!strcmp(d->cands[c].key, k)) {
				last[nlast].key = d->cands[c].key;
				break;
			}
		if (last[nlast].key == NULL)
			continue;
		last[nlast].kind = !strcmp(kind, "recovery") ? ALERT_CLEAR :
		    ALERT_RAISE;
		last[nlast].at_ms = a > now ? 0 : now - a;
		nlast++;
	}
	enqueue(d, last, nlast);
	free(last);
}

static char *
dup_or_null(const char *s, char **w)
{
	char *r;

	if (s == NULL)
		return NULL;
	r = *w;
	strcpy(r, s);
	*w += strlen(s) + 1;
	return r;
}

static int
add_cand(struct alertd *d, const struct alertstore_res *res, size_t row,
    unsigned src, size_t rule)
{
	static const int cols[] = { 3, 4, 5, 6, 7, 8 };
	struct cand *c, *v;
	size_t len = 0;
	char *w, key[KEY_MAX];
	int sev;
	const char *s;

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if ((s = alertstore_get(res, row, cols[i])) != NULL)
			len += strlen(s) + 1;
	if ((v = realloc(d->cands, (d->ncands + 1) * sizeof(*v))) == NULL)
		return -1;
	d->cands = v;
	c = &v[d->ncands];
	memset(c, 0, sizeof(*c));
	if ((c->strs = malloc(len + 1)) == NULL)
		return -1;
	w = c->strs;
	c->rule = rule;
	c->id = strtoll(alertstore_get(res, row, 1), NULL, 10);
	s = alertstore_get(res, row, 2);
	c->bmc_id = s ? strtoll(s, NULL, 10) : 0;
	c->e.source = src;
	c->e.bmc = dup_or_null(alertstore_get(res, row, 3), &w);
	s = alertstore_get(res, row, 4);
	sev = s ? alert_severity_parse(s) : ALERT_SEV_INFO;
	c->e.severity = sev < 0 ? ALERT_SEV_INFO : sev;
	c->e.sensor_type = dup_or_null(alertstore_get(res, row, 5), &w);
	c->e.sensor = dup_or_null(alertstore_get(res, row, 6), &w);
	c->e.text = dup_or_null(alertstore_get(res, row, 7), &w);
	c->e.key = dup_or_null(alertstore_get(res, row, 8), &w);
	s = alertstore_get(res, row, 9);
	c->e.kind = s && !strcmp(s, "t") ? ALERT_CLEAR : ALERT_RAISE;
	s = alertstore_get(res, row, 10);
	c->e.failures = s ? (uint32_t)strtoul(s, NULL, 10) : 0;
	s = alertstore_get(res, row, 11);
	c->at_ms = s ? strtoull(s, NULL, 10) : 0;
	alert_dedup_key(&d->conf.rules[rule], &c->e, key, sizeof(key));
	if ((c->key = strdup(key)) == NULL) {
		free(c->strs);
		return -1;
	}
	d->ncands++;
	return 0;
}

static void
fetch_cb(void *arg, const struct alertstore_res *res, const char *err)
{
	struct alertd *d = arg;
	struct gbuf b = GBUF_INIT;
	struct json j;
	size_t n, i, r, m[64], nm;
	unsigned per[AS_NCUR] = { 0 };

	if (res == NULL) {
		logf_(d, "alerts: reading events: %s", err);
		scan_done(d, 0);
		return;
	}
	memcpy(d->next_cur, d->cur, sizeof(d->cur));
	d->more = 0;
	n = alertstore_nrows(res);
	for (i = 0; i < n; i++) {
		const char *w = alertstore_get(res, i, 0);
		unsigned src;
		struct alert_event e;
		const char *s;

		if (w == NULL)
			continue;
		if (!strcmp(w, "cursor")) {
			const char *name = alertstore_get(res, i, 3);
			const char *v = alertstore_get(res, i, 8);

			for (int k = 0; v != NULL && name != NULL &&
			    k < AS_NCUR; k++)
				if (!strcmp(name, cur_names[k]))
					d->next_cur[k] = strtoll(v, NULL, 10);
			continue;
		}
		if ((src = (unsigned)source_of(w)) == 0)
			continue;
		d->st.events++;
		per[src == ALERT_SRC_SEL || src == ALERT_SRC_PET ? 0 :
		    src == ALERT_SRC_SENSOR ? 1 : src == ALERT_SRC_INVENTORY ?
		    2 : 3]++;
		s = alertstore_get(res, i, 12);
		if (s != NULL && !strcmp(s, "t"))
			continue;	/* older than give_up, or a BMC's
					   first SEL read: not news */
		memset(&e, 0, sizeof(e));
		e.source = src;
		e.bmc = alertstore_get(res, i, 3);
		s = alertstore_get(res, i, 4);
		e.severity = s ? alert_severity_parse(s) : ALERT_SEV_INFO;
		if (e.severity < 0)
			e.severity = ALERT_SEV_INFO;
		e.sensor_type = alertstore_get(res, i, 5);
		e.sensor = alertstore_get(res, i, 6);
		e.text = alertstore_get(res, i, 7);
		s = alertstore_get(res, i, 9);
		e.kind = s && !strcmp(s, "t") ? ALERT_CLEAR : ALERT_RAISE;
		s = alertstore_get(res, i, 10);
		e.failures = s ? (uint32_t)strtoul(s, NULL, 10) : 0;
		nm = alert_rules_match(d->conf.rules, d->conf.nrules, &e, m,
		    sizeof(m) / sizeof(m[0]));
		if (nm > sizeof(m) / sizeof(m[0]))
			nm = sizeof(m) / sizeof(m[0]);
		for (r = 0; r < nm; r++)
			if (add_cand(d, res, i, src, m[r]) != 0) {
				logf_(d, "alerts: out of memory");
				scan_done(d, 0);
				return;
			}
	}
	/* a cursor that moved may have more behind it: look once more */
	(void)per;
	if (memcmp(d->next_cur, d->cur, sizeof(d->cur)) != 0)
		d->more = 1;
	if (d->ncands == 0) {
		if (memcmp(d->next_cur, d->cur, sizeof(d->cur)) == 0) {
			scan_done(d, 1);
			return;
		}
		enqueue(d, NULL, 0);	/* the cursors move alone */
		return;
	}
	json_init(&j, &b, 0);
	json_arr(&j);
	for (i = 0; i < d->ncands; i++)
		json_str(&j, d->cands[i].key);
	json_end(&j);
	if (json_failed(&j) || alertstore_last(d->store, gbuf_str(&b),
	    last_cb, d) != 0) {
		gbuf_release(&b);
		scan_done(d, 0);
		return;
	}
	gbuf_release(&b);
}

/* --- sending -------------------------------------------------------------- */

struct sending {
	struct act	*a;
	int64_t		 id;
	uint32_t	 tries;
};

static void
mark_cb(void *arg, const struct alertstore_res *res, const char *err)
{
	struct act *a = arg;
	struct alertd *d = a->d;

	if (res == NULL)
		logf_(d, "alerts: marking notification %" PRId64 ": %s",
		    a->in_flight, err);
	a->in_flight = 0;
	d->need_send = 1;
	kick(d);
}

static void
send_done(void *arg, int ok, const char *detail)
{
	struct sending *s = arg;
	struct act *a = s->a;
	struct alertd *d = a->d;
	int rc;

	if (!ok && !strcmp(detail, "cancelled")) {
		/* the engine stops: the row stays queued for the next one */
		a->in_flight = 0;
		free(s);
		return;
	}
	if (ok) {
		d->st.sent++;
		rc = alertstore_sent(d->store, s->id, mark_cb, a);
	} else {
		d->st.retried++;
		logf_(d, "alerts: action '%s': notification %" PRId64 " try "
		    "%u failed: %s; next in %" PRIu64 " ms", a->a->name, s->id,
		    s->tries + 1, detail, alert_backoff_ms(s->tries + 1));
		rc = alertstore_retry(d->store, s->id, detail,
		    alert_backoff_ms(s->tries + 1), d->conf.give_up_ms,
		    mark_cb, a);
	}
	free(s);
	if (rc != 0) {
		/* no database: the row stays queued and is sent again */
		a->in_flight = 0;
	}
}

static void
heads_cb(void *arg, const struct alertstore_res *res, const char *err)
{
	struct alertd *d = arg;
	size_t n, i, k;
	int64_t wait = -1;

	d->heads_busy = 0;
	if (res == NULL) {
		logf_(d, "alerts: reading the queue: %s", err);
		return;
	}
	n = alertstore_nrows(res);
	for (i = 0; i < n; i++) {
		const char *name = alertstore_get(res, i, 1);
		int64_t due = strtoll(alertstore_get(res, i, 2), NULL, 10);
		struct act *a = NULL;
		struct notify_msg m;
		struct sending *s;
		const char *sev, *kind;

		for (k = 0; k < d->conf.nactions; k++)
			if (name && !strcmp(d->conf.actions[k].name, name))
				a = &d->acts[k];
		if (a == NULL || a->in_flight != 0)
			continue;	/* an action no longer configured */
		if (due > 0) {
			if (wait < 0 || due < wait)
				wait = due;
			continue;
		}
		if ((s = calloc(1, sizeof(*s))) == NULL)
			continue;
		s->a = a;
		s->id = strtoll(alertstore_get(res, i, 0), NULL, 10);
		s->tries = (uint32_t)strtoul(alertstore_get(res, i, 3), NULL,
		    10);
		memset(&m, 0, sizeof(m));
		kind = alertstore_get(res, i, 4);
		sev = alertstore_get(res, i, 5);
		m.severity = kind && !strcmp(kind, "recovery") ? NOTIFY_NOTICE :
		    sev && !strcmp(sev, "critical") ? NOTIFY_CRIT :
		    sev && !strcmp(sev, "warning") ? NOTIFY_WARNING :
		    NOTIFY_INFO;
		m.msgid = kind && !strcmp(kind, "recovery") ? "recovery" :
		    "alert";
		m.bmc = alertstore_get(res, i, 6);
		m.subject = alertstore_get(res, i, 7);
		m.text = alertstore_get(res, i, 8);
		m.json = a->a->webhook ? alertstore_get(res, i, 9) : NULL;
		m.when = (time_t)(strtoll(alertstore_get(res, i, 10) ?
		    alertstore_get(res, i, 10) : "0", NULL, 10) / 1000);
		m.event_key = alertstore_get(res, i, 11);
		a->in_flight = s->id;
		if (notify_send(a->a->target, &m, send_done, s) != 0) {
			a->in_flight = 0;
			free(s);
			logf_(d, "alerts: action '%s': cannot send", a->a->name);
		}
	}
	if (wait >= 0)
		loop_timer_set(d->loop, &d->due, loop_now(d->loop) +
		    (uint64_t)wait + 5);
	kick(d);
}

/* --- driving ---------------------------------------------------------------- */

static void
kick(struct alertd *d)
{
	if (!d->up || !d->have_cur)
		return;
	if (d->need_scan && !d->scanning) {
		d->need_scan = 0;
		d->scanning = 1;
		if (alertstore_fetch(d->store, d->cur, SCAN_LIMIT,
		    d->conf.give_up_ms, fetch_cb, d) != 0) {
			d->scanning = 0;
			return;
		}
	}
	if (d->need_send && !d->heads_busy && !d->scanning) {
		d->need_send = 0;
		d->heads_busy = 1;
		if (alertstore_heads(d->store, heads_cb, d) != 0)
			d->heads_busy = 0;
	}
}

static void
cursors_cb(void *arg, const struct alertstore_res *res, const char *err)
{
	struct alertd *d = arg;
	size_t n, i;

	if (res == NULL) {
		logf_(d, "alerts: reading cursors: %s", err);
		return;
	}
	n = alertstore_nrows(res);
	for (i = 0; i < n; i++)
		for (int k = 0; k < AS_NCUR; k++)
			if (!strcmp(alertstore_get(res, i, 0), cur_names[k]))
				d->cur[k] = strtoll(alertstore_get(res, i, 1),
				    NULL, 10);
	d->have_cur = 1;
	d->need_scan = d->need_send = 1;
	kick(d);
}

static void
on_state(void *arg, enum alertstore_state st, const char *why)
{
	struct alertd *d = arg;

	if (st == ALERTSTORE_UP) {
		logf_(d, "alerts: engine up: %zu rules, %zu actions",
		    d->conf.nrules, d->conf.nactions);
		d->up = 1;
		d->have_cur = 0;
		d->scanning = d->heads_busy = 0;
		cands_free(d);
		if (alertstore_cursors(d->store, cursors_cb, d) != 0)
			logf_(d, "alerts: reading cursors: out of memory");
		return;
	}
	if (d->up || st == ALERTSTORE_STANDBY)
		logf_(d, "alerts: engine %s%s%s", st == ALERTSTORE_STANDBY ?
		    "standing by" : "down", *why ? ": " : "", why);
	d->up = 0;
	d->have_cur = 0;
	d->scanning = d->heads_busy = 0;
	cands_free(d);
}

static void
on_wake(void *arg)
{
	struct alertd *d = arg;

	d->need_scan = d->need_send = 1;
	kick(d);
}

static void
on_poll(struct loop *l, struct loop_timer *t, void *arg)
{
	struct alertd *d = arg;

	loop_timer_set(l, t, loop_now(l) + d->conf.poll_ms);
	on_wake(d);
}

static void
on_due(struct loop *l, struct loop_timer *t, void *arg)
{
	struct alertd *d = arg;

	(void)l;
	(void)t;
	d->need_send = 1;
	kick(d);
}

struct alertd *
alertd_new(struct loop *l, const char *conninfo,
    const struct alertd_conf *conf)
{
	struct alertd *d;
	struct alertstore_ops ops;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->loop = l;
	d->conf = *conf;
	if (d->conf.poll_ms == 0)
		d->conf.poll_ms = 10000;
	if ((d->acts = calloc(conf->nactions + 1, sizeof(*d->acts))) == NULL) {
		free(d);
		return NULL;
	}
	for (size_t i = 0; i < conf->nactions; i++) {
		d->acts[i].a = &conf->actions[i];
		d->acts[i].d = d;
		alert_bucket_init(&d->acts[i].bucket,
		    conf->actions[i].rate_per_day, conf->actions[i].burst);
	}
	loop_timer_init(&d->poll, on_poll, d);
	loop_timer_init(&d->due, on_due, d);
	ops.state = on_state;
	ops.wake = on_wake;
	ops.arg = d;
	if ((d->store = alertstore_new(l, conninfo, &ops)) == NULL) {
		free(d->acts);
		free(d);
		return NULL;
	}
	loop_timer_set(l, &d->poll, loop_now(l) + d->conf.poll_ms);
	return d;
}

void
alertd_free(struct alertd *d)
{
	if (d == NULL)
		return;
	loop_timer_cancel(d->loop, &d->poll);
	loop_timer_cancel(d->loop, &d->due);
	alertstore_free(d->store);
	cands_free(d);
	free(d->acts);
	free(d);
}

struct alertd_stats
alertd_get_stats(const struct alertd *d)
{
	return d->st;
}
