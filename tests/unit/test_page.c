/*
 * page: the status page's HTML.  The escaper against hostile text, and
 * the page from rows made by hand (the columns of STATUSQ_HOSTS, _PLANS
 * and REPORTQ_EVENTS): counts under their ids, failing hosts with their
 * reasons in natural order, events newest first, nothing unescaped, the
 * banner when the database was not read.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/page.h"
#include "lib/gbuf.h"
#include "store/reportq.h"
#include "store/statusq.h"
#include "ckmain.h"

static char *
esc(const char *s)
{
	static char out[512];
	struct gbuf g = GBUF_INIT;

	page_html_escape(&g, s);
	ck_assert(!gbuf_failed(&g));
	snprintf(out, sizeof(out), "%s", gbuf_str(&g));
	gbuf_release(&g);
	return out;
}

START_TEST(escape)
{
	ck_assert_str_eq(esc("plain bmc-07.rack3"), "plain bmc-07.rack3");
	ck_assert_str_eq(esc("<script>alert('x')</script>"),
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	ck_assert_str_eq(esc("a&b \"q\""), "a&amp;b &quot;q&quot;");
	ck_assert_str_eq(esc("bell\a esc\x1b[31m del\x7f"),
	    "bell? esc?[31m del?");
	ck_assert_str_eq(esc("tab\tnl\n"), "tab\tnl\n");
	ck_assert_str_eq(esc("Temp \xc2\xb0" "C"), "Temp \xc2\xb0" "C");
	ck_assert_str_eq(esc(""), "");
	ck_assert_str_eq(esc(NULL), "");
}
END_TEST

/* rows of ncols cells from v (NULL: SQL NULL), pointing into v */
static void
rows_of(struct reportq_rows *r, size_t nrows, size_t ncols,
    const char **v)
{
	memset(r, 0, sizeof(*r));
	r->nrows = nrows;
	r->ncols = ncols;
	r->cell = calloc(nrows * ncols + 1, sizeof(*r->cell));
	r->len = calloc(nrows * ncols + 1, sizeof(*r->len));
	ck_assert(r->cell != NULL && r->len != NULL);
	for (size_t k = 0; k < nrows * ncols; k++) {
		r->cell[k] = (char *)v[k];
		r->len[k] = v[k] != NULL ? strlen(v[k]) : 0;
	}
}

static void
rows_free(struct reportq_rows *r)
{
	free(r->cell);
	free(r->len);
}

/* a host row of STATUSQ_HOSTS */
static void
host_row(const char **row, const char *name, const char *ok,
    const char *reason, const char *error)
{
	for (int c = 0; c < SQ_H_NCOLS; c++)
		row[c] = NULL;
	row[SQ_H_NAME] = name;
	row[SQ_H_POWER] = "on";
	row[SQ_H_OK] = ok;
	row[SQ_H_REASON] = reason;
	row[SQ_H_ERROR] = error;
	row[SQ_H_WHEN] = ok != NULL ? "2026-12-05T23:00:00Z" : NULL;
	row[SQ_H_NOMINAL] = "3";
}

static void
event_row(const char **row, const char *host, const char *ts,
    const char *sensor, const char *desc, const char *sev, const char *who)
{
	for (int c = 0; c < RQ_EV_NCOLS; c++)
		row[c] = NULL;
	row[RQ_EV_HOST] = host;
	row[RQ_EV_TS] = ts;
	row[RQ_EV_SENSOR] = sensor;
	row[RQ_EV_DESC] = desc;
	row[RQ_EV_SEV] = sev;
	row[RQ_EV_ACK_WHO] = who;
}

static int
count_of(const char *html, const char *needle)
{
	int n = 0;

	for (const char *p = html; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

START_TEST(render)
{
	const char *hv[5 * SQ_H_NCOLS], *ev[3 * RQ_EV_NCOLS];
	const char *pv[SQ_P_NCOLS] = { "7", "<b>fw</b>", "running", "1",
	    "3", "10", "4", "1", "2", "2026-12-05T22:00:00Z", NULL };
	struct reportq_rows hosts, events, plans;
	struct page_host *h;
	struct page_data d;
	struct gbuf g = GBUF_INIT;
	const char *html, *a, *b, *c;
	long n;

	host_row(hv, "bmc10", "t", NULL, NULL);
	host_row(hv + SQ_H_NCOLS, "bmc9", "f", "timeout",
	    "no answer in 3 s");
	host_row(hv + 2 * SQ_H_NCOLS, "bmc<script>x</script>", "f",
	    "auth", "rakp2: <img src=x onerror=alert(1)>");
	host_row(hv + 3 * SQ_H_NCOLS, "bmc2", NULL, NULL, NULL);
	host_row(hv + 4 * SQ_H_NCOLS, "bmc1", "t", NULL, NULL);
	rows_of(&hosts, 5, SQ_H_NCOLS, hv);
	event_row(ev, "bmc1", "2026-12-05T20:00:00Z", "CPU1 Temp",
	    "Upper Critical going high", "critical", NULL);
	event_row(ev + RQ_EV_NCOLS, "bmc2", "2026-12-05T21:00:00Z",
	    "<svg onload=alert(1)>", "fan \"slow\"", "warning", "root");
	event_row(ev + 2 * RQ_EV_NCOLS, "bmc9", "2026-12-05T22:00:00Z",
	    "PSU2", "Power Supply AC lost", "critical", NULL);
	rows_of(&events, 3, RQ_EV_NCOLS, ev);
	rows_of(&plans, 1, SQ_P_NCOLS, pv);

	n = page_hosts_from_rows(&hosts, &h);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(h[0].state, PAGE_OK);
	ck_assert_int_eq(h[1].state, PAGE_FAILED);
	ck_assert_int_eq(h[3].state, PAGE_UNKNOWN);
	memset(&d, 0, sizeof(d));
	d.hosts = h;
	d.nhosts = (size_t)n;
	d.retired = 4;
	d.plans = &plans;
	d.events = &events;
	d.now = "2026-12-05T23:10:00Z";
	d.refresh_s = 30;
	ck_assert_int_eq(page_render(&g, &d), 0);
	html = gbuf_str(&g);

	ck_assert_ptr_nonnull(strstr(html, "<!DOCTYPE html>"));
	ck_assert_ptr_nonnull(strstr(html, "content=\"30\""));
	ck_assert_ptr_nonnull(strstr(html, "<span id=\"hosts-ok\">2</span>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "<span id=\"hosts-failed\">2</span>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "<span id=\"hosts-unknown\">1</span>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "<span id=\"hosts-retired\">4</span>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "<span id=\"hosts-total\">5</span>"));
	ck_assert_ptr_null(strstr(html, "db-unavailable"));

	/* no tag of a BMC's survives, nor a script of any kind */
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "<img"));
	ck_assert_ptr_null(strstr(html, "<svg"));
	ck_assert_ptr_null(strstr(html, "<b>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "data-host=\"bmc&lt;script&gt;x&lt;/script&gt;\" "
	    "data-reason=\"auth\""));
	ck_assert_ptr_nonnull(strstr(html,
	    "<td>rakp2: &lt;img src=x onerror=alert(1)&gt;</td>"));
	ck_assert_ptr_nonnull(strstr(html, "fan &quot;slow&quot;"));

	/* failing hosts, naturally ordered: bmc9 before bmc<script> */
	ck_assert_int_eq(count_of(html, "<tr class=\"failing\""), 2);
	a = strstr(html, "data-host=\"bmc9\" data-reason=\"timeout\"");
	b = strstr(html, "data-host=\"bmc&lt;script");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(strstr(html, "<td>no answer in 3 s</td>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "<span id=\"failing-count\">2</span>"));

	/* events newest first, critical marked, ack shown */
	ck_assert_int_eq(count_of(html, "<tr class=\"event "), 3);
	ck_assert_int_eq(count_of(html, "data-severity=\"critical\""), 2);
	a = strstr(html, "2026-12-05T22:00:00Z");
	b = strstr(html, "2026-12-05T21:00:00Z");
	c = strstr(html, "2026-12-05T20:00:00Z");
	ck_assert(a != NULL && b != NULL && c != NULL && a < b && b < c);
	ck_assert_ptr_nonnull(strstr(html, "<td>by root</td>"));

	/* the plan: stage 1 of 3 shown as 2 of 3, done 4 + 1 skipped */
	ck_assert_ptr_nonnull(strstr(html, "<tr class=\"plan\" data-plan=\"7\">"));
	ck_assert_ptr_nonnull(strstr(html, "<td>&lt;b&gt;fw&lt;/b&gt;</td>"));
	ck_assert_ptr_nonnull(strstr(html, "<td>2 of 3</td><td>10</td>"
	    "<td>5</td><td>2</td>"));

	gbuf_release(&g);
	free(h);
	rows_free(&hosts);
	rows_free(&events);
	rows_free(&plans);
}
END_TEST

START_TEST(no_database)
{
	struct page_data d;
	struct gbuf g = GBUF_INIT;
	const char *html;

	memset(&d, 0, sizeof(d));
	d.retired = -1;
	d.db_error = "connection refused <again>";
	ck_assert_int_eq(page_render(&g, &d), 0);
	html = gbuf_str(&g);
	ck_assert_ptr_nonnull(strstr(html, "id=\"db-unavailable\""));
	ck_assert_ptr_nonnull(strstr(html, "connection refused &lt;again&gt;"));
	/* no zeros that look like a fleet */
	ck_assert_ptr_nonnull(strstr(html, "<span id=\"hosts-ok\">?</span>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "<span id=\"hosts-total\">?</span>"));
	ck_assert_ptr_null(strstr(html, "http-equiv"));
	ck_assert_ptr_null(strstr(html, "failing-count"));
	ck_assert_ptr_nonnull(strstr(html, "<p class=\"none\">not known</p>"));
	gbuf_release(&g);
}
END_TEST

/* the database away, the hosts from the collector's memory */
START_TEST(from_memory)
{
	struct page_host h[3] = {
		{ "bmc2", PAGE_FAILED, "timeout", NULL, "2026-12-05T23:00:00Z" },
		{ "bmc1", PAGE_OK, NULL, NULL, "2026-12-05T23:00:00Z" },
		{ "bmc3", PAGE_UNKNOWN, NULL, NULL, NULL },
	};
	struct page_data d;
	struct gbuf g = GBUF_INIT;
	const char *html;

	memset(&d, 0, sizeof(d));
	d.hosts = h;
	d.nhosts = 3;
	d.retired = -1;
	d.db_error = "connection refused";
	d.source = "memory";
	ck_assert_int_eq(page_render(&g, &d), 0);
	html = gbuf_str(&g);
	ck_assert_ptr_nonnull(strstr(html, "id=\"db-unavailable\""));
	ck_assert_ptr_nonnull(strstr(html, "the hosts below are from memory"));
	ck_assert_ptr_nonnull(strstr(html, "<span id=\"hosts-ok\">1</span>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "<span id=\"hosts-failed\">1</span>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "<span id=\"hosts-unknown\">1</span>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "<span id=\"hosts-retired\">?</span>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "data-host=\"bmc2\" data-reason=\"timeout\""));
	gbuf_release(&g);
}
END_TEST

static Suite *
page_suite(void)
{
	Suite *s = suite_create("page");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, escape);
	tcase_add_test(tc, render);
	tcase_add_test(tc, no_database);
	tcase_add_test(tc, from_memory);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(page_suite());
}
