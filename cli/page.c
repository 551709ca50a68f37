/*
 * page: the status page's HTML from rows (see page.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/hostlist.h"
#include "cli/page.h"
#include "store/reportq.h"
#include "store/statusq.h"

static const char *const state_ids[PAGE_NSTATES] = {
	"hosts-ok", "hosts-failed", "hosts-unknown",
};
static const char *const state_words[PAGE_NSTATES] = {
	"ok", "failed", "unknown (never swept)",
};

void
page_html_escape(struct gbuf *out, const char *s)
{
	const char *run = s;

	if (s == NULL)
		return;
	for (; *s != '\0'; s++) {
		const char *ent;
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default:
			/* a control byte is no text a BMC should send */
			ent = (c < 0x20 && c != '\t' && c != '\n') ||
			    c == 0x7f ? "?" : NULL;
		}
		if (ent == NULL)
			continue;
		gbuf_add(out, run, (size_t)(s - run));
		gbuf_puts(out, ent);
		run = s + 1;
	}
	gbuf_add(out, run, (size_t)(s - run));
}

/* text, escaped, or a dash for none */
static void
cell(struct gbuf *out, const char *s)
{
	gbuf_puts(out, "<td>");
	if (s == NULL || *s == '\0')
		gbuf_puts(out, "&ndash;");
	else
		page_html_escape(out, s);
	gbuf_puts(out, "</td>");
}

long
page_hosts_from_rows(const struct reportq_rows *r, struct page_host **out)
{
	struct page_host *h;

	if ((h = calloc(r->nrows + 1, sizeof(*h))) == NULL)
		return -1;
	for (size_t i = 0; i < r->nrows; i++) {
		const char *ok = reportq_cell(r, i, SQ_H_OK);

		h[i].name = reportq_cell(r, i, SQ_H_NAME);
		h[i].state = ok == NULL ? PAGE_UNKNOWN : strcmp(ok, "t") == 0 ?
		    PAGE_OK : PAGE_FAILED;
		h[i].reason = reportq_cell(r, i, SQ_H_REASON);
		h[i].error = reportq_cell(r, i, SQ_H_ERROR);
		h[i].when = reportq_cell(r, i, SQ_H_WHEN);
	}
	*out = h;
	return (long)r->nrows;
}

static int
host_cmp(const void *a, const void *b)
{
	const struct page_host *x = *(const struct page_host *const *)a;
	const struct page_host *y = *(const struct page_host *const *)b;

	return hostlist_cmp(x->name != NULL ? x->name : "",
	    y->name != NULL ? y->name : "");
}

static const char style[] =
"body{font-family:sans-serif;margin:1.5em;color:#222}"
"h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}"
"table{border-collapse:collapse}"
"td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left;"
"vertical-align:top}"
"th{background:#eee}"
".counts td{text-align:right;font-size:1.2em}"
".banner{background:#fdd;border:1px solid #c00;padding:.6em;margin:1em 0}"
".critical{background:#fdd}.warning{background:#ffd}"
".none{color:#666}";

static void
render_counts(struct gbuf *out, const struct page_data *d,
    const size_t count[PAGE_NSTATES])
{
	/* no database and nothing else: no numbers rather than zeros */
	int known = d->db_error == NULL || d->source != NULL;

	gbuf_puts(out, "<h2>Hosts</h2>\n<table class=\"counts\">"
	    "<tr><th>state</th><th>hosts</th></tr>\n");
	for (int k = 0; k < PAGE_NSTATES; k++) {
		gbuf_printf(out, "<tr><th>%s</th><td><span id=\"%s\">",
		    state_words[k], state_ids[k]);
		if (known)
			gbuf_printf(out, "%zu", count[k]);
		else
			gbuf_putc(out, '?');
		gbuf_puts(out, "</span></td></tr>\n");
	}
	gbuf_puts(out, "<tr><th>retired</th><td><span id=\"hosts-retired\">");
	if (d->retired >= 0)
		gbuf_printf(out, "%lld", d->retired);
	else
		gbuf_puts(out, "?");
	gbuf_puts(out, "</span></td></tr>\n<tr><th>total (not retired)</th>"
	    "<td><span id=\"hosts-total\">");
	if (known)
		gbuf_printf(out, "%zu", d->nhosts);
	else
		gbuf_putc(out, '?');
	gbuf_puts(out, "</span></td></tr>\n</table>\n");
}

static void
render_failing(struct gbuf *out, const struct page_host *const *v,
    size_t n, size_t nfailed)
{
	size_t shown = 0;

	gbuf_printf(out, "<h2>Failing hosts (<span id=\"failing-count\">%zu"
	    "</span>)</h2>\n", nfailed);
	if (nfailed == 0) {
		gbuf_puts(out, "<p class=\"none\">none: every host's last "
		    "sweep succeeded or it was never swept</p>\n");
		return;
	}
	gbuf_puts(out, "<table id=\"failing\"><tr><th>host</th><th>reason"
	    "</th><th>error</th><th>when</th></tr>\n");
	for (size_t i = 0; i < n && shown < PAGE_MAX_FAILING; i++) {
		const struct page_host *h = v[i];
		const char *reason = h->reason != NULL ? h->reason : "unknown";

		if (h->state != PAGE_FAILED)
			continue;
		shown++;
		gbuf_puts(out, "<tr class=\"failing\" data-host=\"");
		page_html_escape(out, h->name);
		gbuf_puts(out, "\" data-reason=\"");
		page_html_escape(out, reason);
		gbuf_puts(out, "\">");
		cell(out, h->name);
		cell(out, reason);
		cell(out, h->error);
		cell(out, h->when);
		gbuf_puts(out, "</tr>\n");
	}
	gbuf_puts(out, "</table>\n");
	if (nfailed > shown)
		gbuf_printf(out, "<p>... and %zu more (bmcfleet status "
		    "--format json lists every one)</p>\n", nfailed - shown);
}

static void
render_events(struct gbuf *out, const struct reportq_rows *ev)
{
	gbuf_puts(out, "<h2>Warning and critical events, last day</h2>\n");
	if (ev == NULL) {
		gbuf_puts(out, "<p class=\"none\">not read</p>\n");
		return;
	}
	if (ev->nrows == 0) {
		gbuf_puts(out, "<p class=\"none\">none</p>\n");
		return;
	}
	gbuf_puts(out, "<table id=\"events\"><tr><th>time</th><th>host</th>"
	    "<th>sensor</th><th>event</th><th>severity</th>"
	    "<th>acknowledged</th></tr>\n");
	/* the query gives the newest last: newest first here */
	for (size_t i = ev->nrows; i-- > 0;) {
		const char *sev = reportq_cell(ev, i, RQ_EV_SEV);
		const char *ts = reportq_cell(ev, i, RQ_EV_TS);
		const char *who = reportq_cell(ev, i, RQ_EV_ACK_WHO);
		int crit = sev != NULL && strcmp(sev, "critical") == 0;

		gbuf_printf(out, "<tr class=\"event %s\" data-severity=\"",
		    crit ? "critical" : "warning");
		page_html_escape(out, sev);
		gbuf_puts(out, "\" data-host=\"");
		page_html_escape(out, reportq_cell(ev, i, RQ_EV_HOST));
		gbuf_puts(out, "\">");
		cell(out, ts != NULL ? ts : reportq_cell(ev, i, RQ_EV_SEEN));
		cell(out, reportq_cell(ev, i, RQ_EV_HOST));
		cell(out, reportq_cell(ev, i, RQ_EV_SENSOR));
		cell(out, reportq_cell(ev, i, RQ_EV_DESC));
		cell(out, sev);
		if (who != NULL) {
			gbuf_puts(out, "<td>by ");
			page_html_escape(out, who);
			gbuf_puts(out, "</td>");
		} else
			gbuf_puts(out, "<td>no</td>");
		gbuf_puts(out, "</tr>\n");
	}
	gbuf_puts(out, "</table>\n");
}

static long long
num(const struct reportq_rows *r, size_t row, int col)
{
	const char *v = reportq_cell(r, row, (size_t)col);

	return v != NULL ? strtoll(v, NULL, 10) : 0;
}

static void
render_plans(struct gbuf *out, const struct reportq_rows *p)
{
	gbuf_puts(out, "<h2>Plans running, paused or scheduled</h2>\n");
	if (p == NULL) {
		gbuf_puts(out, "<p class=\"none\">not read</p>\n");
		return;
	}
	if (p->nrows == 0) {
		gbuf_puts(out, "<p class=\"none\">none</p>\n");
		return;
	}
	gbuf_puts(out, "<table id=\"plans\"><tr><th>id</th><th>name</th>"
	    "<th>state</th><th>stage</th><th>hosts</th><th>done</th>"
	    "<th>failed</th></tr>\n");
	for (size_t i = 0; i < p->nrows; i++) {
		const char *stage = reportq_cell(p, i, SQ_P_STAGE);

		gbuf_puts(out, "<tr class=\"plan\" data-plan=\"");
		page_html_escape(out, reportq_cell(p, i, SQ_P_ID));
		gbuf_puts(out, "\">");
		cell(out, reportq_cell(p, i, SQ_P_ID));
		cell(out, reportq_cell(p, i, SQ_P_NAME));
		cell(out, reportq_cell(p, i, SQ_P_STATE));
		if (stage != NULL)
			gbuf_printf(out, "<td>%lld of %lld</td>",
			    num(p, i, SQ_P_STAGE) + 1, num(p, i, SQ_P_STAGES));
		else
			cell(out, NULL);
		gbuf_printf(out, "<td>%lld</td><td>%lld</td><td>%lld</td>"
		    "</tr>\n", num(p, i, SQ_P_HOSTS),
		    num(p, i, SQ_P_DONE) + num(p, i, SQ_P_SKIPPED),
		    num(p, i, SQ_P_FAILED));
	}
	gbuf_puts(out, "</table>\n");
}

int
page_render(struct gbuf *out, const struct page_data *d)
{
	const struct page_host **v;
	size_t count[PAGE_NSTATES] = { 0 };

	if ((v = calloc(d->nhosts + 1, sizeof(*v))) == NULL)
		return -1;
	for (size_t i = 0; i < d->nhosts; i++) {
		v[i] = &d->hosts[i];
		if (d->hosts[i].state < PAGE_NSTATES)
			count[d->hosts[i].state]++;
	}
	qsort(v, d->nhosts, sizeof(*v), host_cmp);
	gbuf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\">\n");
	if (d->refresh_s > 0)
		gbuf_printf(out, "<meta http-equiv=\"refresh\" content=\"%u\">"
		    "\n", d->refresh_s);
	gbuf_printf(out, "<title>bmcfleet status</title>\n<style>%s</style>"
	    "</head>\n<body>\n<h1>bmcfleet status</h1>\n", style);
	if (d->now != NULL) {
		gbuf_puts(out, "<p>as of <span id=\"as-of\">");
		page_html_escape(out, d->now);
		gbuf_puts(out, "</span></p>\n");
	}
	if (d->db_error != NULL) {
		gbuf_puts(out, "<div class=\"banner\" id=\"db-unavailable\">"
		    "<strong>database unavailable</strong>: ");
		page_html_escape(out, d->db_error);
		gbuf_puts(out, d->source != NULL ? "; the hosts below are from "
		    : "; nothing below is from the database");
		page_html_escape(out, d->source);
		gbuf_puts(out, "</div>\n");
	}
	render_counts(out, d, count);
	if (d->db_error != NULL && d->source == NULL)
		gbuf_puts(out, "<h2>Failing hosts</h2>\n<p class=\"none\">not "
		    "known</p>\n");
	else
		render_failing(out, v, d->nhosts, count[PAGE_FAILED]);
	render_events(out, d->events);
	render_plans(out, d->plans);
	gbuf_puts(out, "</body></html>\n");
	free(v);
	return gbuf_failed(out) ? -1 : 0;
}
