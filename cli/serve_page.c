/*
 * serve_page: bmcfleetd's "/", the status page for people (the HTML is
 * cli/page.c's).
 *
 *   GET / -> four queries on the serve's async connection, queued at once
 *   and run one after another: the hosts and the plans as `bmcfleet
 *   status` reads them (store/statusq), the last day's warning and
 *   critical events as `bmcfleet events --severity warning,critical
 *   --since -1d --limit 50` reads them (store/reportq), the retired count
 *   -> the page, answered from the last callback (HTTPD_LATER)
 *
 * When the database does not answer (no database configured, refused,
 * an error, or pgq's deadline, PGQ_ASYNC_TIMEOUT_MS, passed: every
 * query's callback comes by then) the page still answers 200, with a
 * "database unavailable" banner and the hosts as this daemon's latest
 * sweeps left them in memory (collector/fleetmem: its own hosts only, no
 * retired count, events or plans).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/page.h"
#include "cli/serve_page.h"
#include "collector/driver.h"
#include "collector/fleetmem.h"
#include "collector/httpd.h"
#include "lib/gbuf.h"
#include "lib/loop.h"
#include "store/pgq.h"
#include "store/reportq.h"
#include "store/statusq.h"

#define PAGE_EVENTS		50
#define PAGE_REFRESH_S		30

enum { Q_HOSTS, Q_PLANS, Q_EVENTS, Q_RETIRED, Q_N };

/* The route's own: what serve_page_open was given. */
struct page_srv {
	struct pgq_async *const *db;	/* the serve's; *db NULL: none */
	struct fleetmem *const *mem;	/* the daemon's; NULL, *mem NULL:
					   none */
};

/* One page in the making. */
struct page_req {
	struct page_srv	*srv;
	struct httpd_call *call;	/* NULL once answered or gone */
	struct reportq_rows rows[Q_N];
	int		 got[Q_N];	/* its rows are in */
	int		 pending;	/* queries not answered yet */
	int		 in_handler;	/* callbacks inside pgq_async_query */
	char		 err[512];	/* the first failure */
};

static void
req_free(struct page_req *r)
{
	if (*r->srv->db != NULL)
		pgq_async_forget(*r->srv->db, r);
	for (int k = 0; k < Q_N; k++)
		reportq_rows_release(&r->rows[k]);
	free(r);
}

static void
iso_of(time_t t, char *buf, size_t cap)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, cap, "?");
}

/* room for a host's time */
struct mem_when {
	char		 s[32];
};

/*
 * The hosts as this daemon's latest sweeps left them (collector/
 * fleetmem), for when the database does not answer: into *out (the
 * caller frees it).  The count, or -1 out of memory.
 */
static long
hosts_from_mem(const struct fleetmem *fm, struct page_host **out)
{
	size_t n = fleetmem_count(fm);
	struct page_host *h;
	struct mem_when *m;

	/* one block: the hosts, then their times */
	if ((h = calloc(n + 1, sizeof(*h) + sizeof(*m))) == NULL)
		return -1;
	m = (struct mem_when *)(h + n + 1);
	for (size_t i = 0; i < n; i++) {
		const struct fm_host *f = fleetmem_at(fm, i);

		h[i].name = f->name;
		if (!(f->have & FM_H_SWEPT)) {
			h[i].state = PAGE_UNKNOWN;
			continue;
		}
		h[i].state = f->up ? PAGE_OK : PAGE_FAILED;
		if (!f->up)
			h[i].reason = drv_fail_name((enum drv_fail)f->reason);
		iso_of((time_t)(f->when_ms / 1000), m[i].s, sizeof(m[i].s));
		h[i].when = m[i].s;
	}
	*out = h;
	return (long)n;
}

/* The page from what came in, to the client; r is freed. */
static void
req_answer(struct page_req *r)
{
	struct page_data d;
	struct page_host *h = NULL;
	struct gbuf body = GBUF_INIT;
	char now[32];
	long n = 0;
	int db = r->err[0] == '\0' && r->got[Q_HOSTS];

	memset(&d, 0, sizeof(d));
	if (db && (n = page_hosts_from_rows(&r->rows[Q_HOSTS], &h)) < 0) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		db = 0;
	}
	iso_of(time(NULL), now, sizeof(now));
	d.now = now;
	d.refresh_s = PAGE_REFRESH_S;
	d.retired = -1;
	if (db) {
		const char *v = reportq_cell(&r->rows[Q_RETIRED], 0, 0);

		d.hosts = h;
		d.nhosts = (size_t)n;
		d.plans = r->got[Q_PLANS] ? &r->rows[Q_PLANS] : NULL;
		d.events = r->got[Q_EVENTS] ? &r->rows[Q_EVENTS] : NULL;
		if (v != NULL)
			d.retired = strtoll(v, NULL, 10);
	} else {
		d.db_error = r->err[0] != '\0' ? r->err : "no answer";
		free(h);
		h = NULL;
		if (r->srv->mem != NULL && *r->srv->mem != NULL &&
		    (n = hosts_from_mem(*r->srv->mem, &h)) >= 0) {
			d.hosts = h;
			d.nhosts = (size_t)n;
			d.source = "this collector's memory of its latest "
			    "sweeps";
		}
	}
	if (page_render(&body, &d) != 0) {
		gbuf_reset(&body);
		gbuf_puts(&body, "out of memory\n");
		httpd_reply(r->call, 500, "text/plain; charset=utf-8", &body);
	} else
		httpd_reply(r->call, 200, "text/html; charset=utf-8", &body);
	r->call = NULL;
	gbuf_release(&body);
	free(h);
	req_free(r);
}

static void
on_result(struct page_req *r, int k, struct pg_result *res, const char *err)
{
	char e[256] = "";
	int rc = REPORTQ_ERROR, ran = res != NULL;

	if (ran)
		rc = reportq_result(res, &r->rows[k], e, sizeof(e));
	pgq_clear(res);
	if (rc == 0)
		r->got[k] = 1;
	else if (r->err[0] == '\0')
		snprintf(r->err, sizeof(r->err), "%s",
		    rc == REPORTQ_NO_SCHEMA ? "no bmcfleet schema (run "
		    "bmcfleet db migrate)" : rc == REPORTQ_NOMEM ?
		    "out of memory" : !ran ? (err != NULL && *err !=
		    '\0' ? err : "no answer") : e);
	/* libpq's messages run over lines: one line on the page */
	for (char *c = r->err; *c != '\0'; c++)
		if (*c == '\n' || *c == '\t')
			*c = ' ';
	if (--r->pending == 0 && !r->in_handler)
		req_answer(r);
}

/* one callback per query, so that each knows its rows */
#define ON(k, name) \
static void \
name(void *arg, struct pg_result *res, const char *err) \
{ \
	on_result(arg, k, res, err); \
}
ON(Q_HOSTS, on_hosts)
ON(Q_PLANS, on_plans)
ON(Q_EVENTS, on_events)
ON(Q_RETIRED, on_retired)
#undef ON

static void
on_gone(void *arg)
{
	struct page_req *r = arg;

	r->call = NULL;
	req_free(r);
}

/* Queue a query; a failure to queue is the page's database error. */
static void
ask(struct page_req *r, const char *sql, int nparams,
    const char *const *params, pgq_async_cb *cb)
{
	r->pending++;
	if (pgq_async_query(*r->srv->db, sql, nparams, params, cb, r) != 0) {
		r->pending--;
		if (r->err[0] == '\0')
			snprintf(r->err, sizeof(r->err), "%s", errno == EAGAIN ?
			    "too many queries waiting" : strerror(errno));
	}
}

static int
page_handler(void *arg, struct httpd_call *call)
{
	struct page_srv *srv = arg;
	struct page_req *r;
	struct reportq q;
	static const char *const sev[] = { "warning", "critical" };
	struct reportq_filter f;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		struct gbuf b = GBUF_INIT;

		gbuf_puts(&b, "out of memory\n");
		httpd_reply(call, 500, "text/plain; charset=utf-8", &b);
		gbuf_release(&b);
		return 0;
	}
	r->srv = srv;
	r->call = call;
	if (*srv->db == NULL) {
		snprintf(r->err, sizeof(r->err), "no database configured");
		req_answer(r);
		return 0;
	}
	memset(&f, 0, sizeof(f));
	f.kind = REPORTQ_EVENTS;
	f.has_since = 1;
	f.now_ms = (int64_t)loop_wall_ms();
	f.since_ms = f.now_ms - 24LL * 3600 * 1000;
	f.severities = sev;
	f.nseverities = 2;
	f.limit = PAGE_EVENTS;
	r->in_handler = 1;
	ask(r, statusq_sql(STATUSQ_HOSTS), 0, NULL, on_hosts);
	ask(r, statusq_sql(STATUSQ_PLANS), 0, NULL, on_plans);
	if (reportq_build(&f, &q) == 0)
		ask(r, gbuf_str(&q.sql), q.nparams, q.params, on_events);
	else if (r->err[0] == '\0')
		snprintf(r->err, sizeof(r->err), "out of memory");
	reportq_release(&q);
	ask(r, statusq_sql(STATUSQ_RETIRED), 0, NULL, on_retired);
	r->in_handler = 0;
	if (r->pending == 0) {
		/* every answer came at once (the connection is down) */
		req_answer(r);
		return 0;
	}
	httpd_on_gone(call, on_gone, r);
	return HTTPD_LATER;
}

int
serve_page_open(struct httpd *h, struct pgq_async *const *db,
    struct fleetmem *const *mem)
{
	/* one listener per process, and no hook to free it at close */
	static struct page_srv ps;

	ps.db = db;
	ps.mem = mem;
	return httpd_route(h, "/", page_handler, &ps);
}
