/*
 * serve_api: /api/v1/ (see serve_api.h and docs/API.md).
 *
 * A request is parsed into the filter the CLI's reports build from their
 * options (TARGETS resolved against the daemon's config), its query
 * queued on the async connection, and the answer rendered by the CLI's
 * own JSON writers (report_json, status_hosts_json): `bmcfleet events
 * --format json` and /api/v1/events print the same bytes for the same
 * filter.  The handler returns HTTPD_LATER; the query's callback replies.
 * A client that leaves first only clears req->call: the callback still
 * comes (pgq_async calls every callback, at the latest when it closes)
 * and frees the request then.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_report.h"
#include "cli/cmd_status.h"
#include "cli/collect_int.h"
#include "cli/namelist.h"
#include "cli/serve.h"
#include "cli/serve_api.h"
#include "collector/httpd.h"
#include "lib/gbuf.h"
#include "lib/json.h"
#include "lib/text.h"
#include "lib/when.h"
#include "store/pgq.h"
#include "store/reportq.h"
#include "store/statusq.h"

#define API_PREFIX	"/api/v1/"
#define API_MAX_LIMIT	100000

enum api_what { API_HOSTS, API_REPORT };

struct api_req {
	struct serve	*srv;
	struct httpd_call *call;	/* NULL: the client is gone */
	enum api_what	 what;
	struct reportq_filter f;
	struct reportq	 q;		/* the report's query */
	struct reportq	 qs;		/* sensors: the SDRs' */
	int		 built, built_s;
	int		 stage;		/* 0 the report, 1 the SDRs */
	struct reportq_rows rows, sdrs;
	const char	*states[32], *sevs[32];
	long long	 page;		/* events: from 1 */
	char		 next[1024];	/* events: the next page's Link */
};

static void
req_free(struct api_req *r)
{
	if (r->built)
		reportq_release(&r->q);
	if (r->built_s)
		reportq_release(&r->qs);
	reportq_rows_release(&r->rows);
	reportq_rows_release(&r->sdrs);
	free(r);
}

static void
reply_json_error(struct httpd_call *call, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
reply_json_error(struct httpd_call *call, int status, const char *fmt, ...)
{
	struct gbuf b = GBUF_INIT;
	struct json j;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_init(&j, &b, JSON_SPACED);
	json_obj(&j);
	json_key_str(&j, "error", msg);
	json_end(&j);
	gbuf_putc(&b, '\n');
	httpd_reply(call, status, "application/json", &b);
	gbuf_release(&b);
}

static void
on_gone(void *arg)
{
	((struct api_req *)arg)->call = NULL;
}

static void	on_result(void *, struct pg_result *, const char *);

static int
send_query(struct api_req *r, const struct reportq *q)
{
	return pgq_async_query_fmt(r->srv->db, gbuf_str(&q->sql), q->nparams,
	    q->params, q->binary, on_result, r);
}

/* The answer, from the rows in hand. */
static void
answer(struct api_req *r)
{
	struct gbuf b = GBUF_INIT;
	int rc;

	if (r->what == API_HOSTS)
		rc = status_hosts_json(&r->rows,
		    r->srv->co->c.collector.sweep_interval_ms, &b);
	else
		rc = report_json(r->f.kind, &r->rows, r->f.kind ==
		    REPORTQ_SENSORS && r->sdrs.ncols > 0 ? &r->sdrs : NULL, &b);
	if (rc != 0) {
		gbuf_release(&b);
		reply_json_error(r->call, 503, "out of memory");
		return;
	}
	/* a full page: there may be more */
	if (r->next[0] != '\0' && r->f.limit > 0 &&
	    (long long)r->rows.nrows == r->f.limit)
		(void)httpd_add_header(r->call, "Link", r->next);
	httpd_reply(r->call, 200, "application/json", &b);
	gbuf_release(&b);
}

static void
on_result(void *arg, struct pg_result *res, const char *err)
{
	struct api_req *r = arg;
	struct reportq_rows *into;
	char m[512];
	int rc;

	if (r->call == NULL) {
		pgq_clear(res);
		req_free(r);
		return;
	}
	if (res == NULL) {
		reply_json_error(r->call, 503, "database: %s", err != NULL ?
		    err : "no answer");
		req_free(r);
		return;
	}
	into = r->stage == 0 ? &r->rows : &r->sdrs;
	rc = reportq_result(res, into, m, sizeof(m));
	pgq_clear(res);
	if (r->stage == 1 && rc != REPORTQ_NOMEM && rc != 0) {
		/* as the CLI: without its SDRs a sensor's states are bits */
		reportq_rows_release(&r->sdrs);
		rc = 0;
	}
	if (rc == REPORTQ_NO_SCHEMA) {
		reply_json_error(r->call, 503, "the database has no bmcfleet "
		    "schema: run 'bmcfleet db migrate'");
		req_free(r);
		return;
	}
	if (rc != 0) {
		reply_json_error(r->call, 503, "query failed: %s",
		    rc == REPORTQ_NOMEM ? "out of memory" : m);
		req_free(r);
		return;
	}
	if (r->stage == 0 && r->what == API_REPORT &&
	    r->f.kind == REPORTQ_SENSORS) {
		r->stage = 1;
		if (send_query(r, &r->qs) == 0)
			return;
	}
	answer(r);
	req_free(r);
}

/* "true"/"false" (and YAML's words) into *b; absent: 0. */
static int
arg_bool(struct httpd_call *call, const char *name, int *b)
{
	const char *v = httpd_arg(call, name);

	*b = 0;
	if (v == NULL)
		return 0;
	if (*v == '\0') {
		*b = 1;		/* ?retired alone */
		return 0;
	}
	return text_parse_bool(v, 0, b);
}

static int
arg_time(struct httpd_call *call, const char *name, int64_t now, int *has,
    int64_t *ms, char *err, size_t errlen)
{
	const char *v = httpd_arg(call, name);

	*has = 0;
	if (v == NULL)
		return 0;
	if (when_parse(v, now, WHEN_AGO, ms) != 0) {
		snprintf(err, errlen, "%s '%s': expected " WHEN_HELP, name, v);
		return -1;
	}
	*has = 1;
	return 0;
}

static int
arg_num(struct httpd_call *call, const char *name, uint64_t min,
    uint64_t max, long long *out, char *err, size_t errlen)
{
	const char *v = httpd_arg(call, name);
	uint64_t u;

	if (v == NULL)
		return 0;
	if (text_parse_uint(v, min, max, &u) != 0) {
		snprintf(err, errlen, "%s '%s': expected a number %llu..%llu",
		    name, v, (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*out = (long long)u;
	return 0;
}

/* The Link to the next page: this request's query, page + 1, the same
 * upto_id (events stored since the first page do not shift the pages). */
static void
next_link(struct api_req *r, struct httpd_call *call)
{
	static const char *const keep[] = { "targets", "since", "until",
		"severity", "limit", "retired", "unacked", NULL };
	struct gbuf b = GBUF_INIT;

	gbuf_puts(&b, "<" API_PREFIX "events?");
	for (size_t i = 0; keep[i] != NULL; i++) {
		const char *v = httpd_arg(call, keep[i]);

		if (v == NULL)
			continue;
		gbuf_printf(&b, "%s=", keep[i]);
		for (const char *p = v; *p != '\0'; p++)
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <=
			    'Z') || (*p >= '0' && *p <= '9') ||
			    strchr("-._~", *p) != NULL)
				gbuf_putc(&b, *p);
			else
				gbuf_printf(&b, "%%%02X", (unsigned char)*p);
		gbuf_putc(&b, '&');
	}
	gbuf_printf(&b, "page=%lld", r->page + 1);
	if (r->f.has_upto)
		gbuf_printf(&b, "&upto_id=%lld", (long long)r->f.upto_id);
	gbuf_puts(&b, ">; rel=\"next\"");
	if (!gbuf_failed(&b) && b.len < sizeof(r->next))
		memcpy(r->next, gbuf_str(&b), b.len + 1);
	gbuf_release(&b);
}

/*
 * The request's arguments into r->f, as the CLI's options would be.
 * 0, or -1 with the 400's message in err.
 */
static int
parse_filter(struct api_req *r, struct httpd_call *call, const char **names_out[],
    char *err, size_t errlen)
{
	struct reportq_filter *f = &r->f;
	const struct config *c = &r->srv->co->c;
	const char *targets = httpd_arg(call, "targets"), *v;
	unsigned mask = 0;
	long long upto = 0;
	int64_t now = (int64_t)loop_wall_ms();
	size_t *idx = NULL, n;
	const char **names;

	*names_out = NULL;
	f->now_ms = now;
	if (arg_bool(call, "retired", &f->retired) != 0) {
		snprintf(err, errlen, "retired: expected true or false");
		return -1;
	}
	if (f->kind == REPORTQ_INVENTORY && arg_bool(call, "all_frus",
	    &f->all_frus) != 0) {
		snprintf(err, errlen, "all_frus: expected true or false");
		return -1;
	}
	if (f->kind == REPORTQ_EVENTS && arg_bool(call, "unacked",
	    &f->unacked) != 0) {
		snprintf(err, errlen, "unacked: expected true or false");
		return -1;
	}
	if (f->kind != REPORTQ_INVENTORY && arg_time(call, "since", now,
	    &f->has_since, &f->since_ms, err, errlen) != 0)
		return -1;
	if (f->kind == REPORTQ_EVENTS && arg_time(call, "until", now,
	    &f->has_until, &f->until_ms, err, errlen) != 0)
		return -1;
	if ((f->kind == REPORTQ_EVENTS || f->kind == REPORTQ_CHANGES) &&
	    arg_num(call, "limit", 1, API_MAX_LIMIT, &f->limit, err,
	    errlen) != 0)
		return -1;
	if (f->kind == REPORTQ_EVENTS) {
		r->page = 1;
		if (arg_num(call, "page", 1, 1000000, &r->page, err,
		    errlen) != 0 || arg_num(call, "upto_id", 1, INT64_MAX,
		    &upto, err, errlen) != 0)
			return -1;
		if (r->page > 1 && f->limit == 0) {
			snprintf(err, errlen, "page: give limit too");
			return -1;
		}
		f->offset = (r->page - 1) * f->limit;
		if (upto > 0) {
			f->has_upto = 1;
			f->upto_id = upto;
		}
		if ((v = httpd_arg(call, "severity")) != NULL) {
			if (namelist_mask(&namelist_severity, "severity", v,
			    &mask, err, errlen) != 0)
				return -1;
			f->severities = r->sevs;
			f->nseverities = namelist_words(&namelist_severity,
			    mask, r->sevs, 32);
		}
	}
	if (f->kind == REPORTQ_SENSORS && (v = httpd_arg(call, "state")) !=
	    NULL) {
		if (namelist_mask(&namelist_health, "state", v, &mask, err,
		    errlen) != 0)
			return -1;
		f->states = r->states;
		f->nstates = namelist_words(&namelist_health, mask, r->states,
		    32);
	}
	if (targets == NULL || strcmp(targets, "@all") == 0)
		return 0;
	if (config_select(c, targets, &idx, &n, err, errlen) != 0)
		return -1;
	if ((names = calloc(n + 1, sizeof(*names))) == NULL) {
		free(idx);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		names[i] = c->bmcs[idx[i]].name;
	free(idx);
	f->names = names;
	f->nnames = n;
	*names_out = names;
	return 0;
}

static int
api_handle(void *arg, struct httpd_call *call)
{
	struct serve *srv = arg;
	const char *path = httpd_path(call) + strlen(API_PREFIX);
	struct api_req *r;
	const char **names = NULL;
	char err[512];
	int rc;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		reply_json_error(call, 503, "out of memory");
		return 0;
	}
	r->srv = srv;
	r->call = call;
	r->what = API_REPORT;
	if (strcmp(path, "hosts") == 0)
		r->what = API_HOSTS;
	else if (strcmp(path, "inventory") == 0)
		r->f.kind = REPORTQ_INVENTORY;
	else if (strcmp(path, "inventory/changes") == 0)
		r->f.kind = REPORTQ_CHANGES;
	else if (strcmp(path, "sensors") == 0)
		r->f.kind = REPORTQ_SENSORS;
	else if (strcmp(path, "events") == 0)
		r->f.kind = REPORTQ_EVENTS;
	else {
		free(r);
		reply_json_error(call, 404, "no such path: %s",
		    httpd_path(call));
		return 0;
	}
	if (srv->db == NULL) {
		free(r);
		reply_json_error(call, 503, "no database configured");
		return 0;
	}
	if (r->what == API_HOSTS) {
		rc = pgq_async_query(srv->db, statusq_sql(STATUSQ_HOSTS), 0,
		    NULL, on_result, r);
		goto sent;
	}
	if (parse_filter(r, call, &names, err, sizeof(err)) != 0) {
		free(names);
		req_free(r);
		reply_json_error(call, 400, "%s", err);
		return 0;
	}
	if (r->f.kind == REPORTQ_EVENTS && r->f.limit > 0)
		next_link(r, call);
	r->built = 1;
	rc = reportq_build(&r->f, &r->q);
	if (rc == 0 && r->f.kind == REPORTQ_SENSORS) {
		struct reportq_filter sf = r->f;

		sf.kind = REPORTQ_SDRS;
		r->built_s = 1;
		rc = reportq_build(&sf, &r->qs);
	}
	free(names);		/* copied into the queries' parameters */
	r->f.names = NULL;
	if (rc != 0) {
		req_free(r);
		reply_json_error(call, 503, "out of memory");
		return 0;
	}
	rc = send_query(r, &r->q);
sent:
	if (rc != 0) {
		req_free(r);
		reply_json_error(call, 503, errno == EAGAIN ? "busy: too many "
		    "queries waiting for the database" : "out of memory");
		return 0;
	}
	httpd_on_gone(call, on_gone, r);
	return HTTPD_LATER;
}

int
serve_api_routes(struct serve *srv)
{
	return httpd_route(srv->h, API_PREFIX, api_handle, srv);
}

void
serve_api_close(struct serve *srv)
{
	(void)srv;
}
