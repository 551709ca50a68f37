/*
 * reportq: the shape of the reports' SQL, without a database.  For each
 * report: the placeholders are $1..$n, each with one type, n is the
 * parameter count; the columns the printer reads by position are the
 * ones selected; the filters (TARGETS, --retired, --all-frus, --since,
 * --until, --state, --severity, --limit) are parameters, NULL when not
 * given, and never change the SQL text, so a value holding a quote and a
 * semicolon cannot reach it; the ordering clauses; the bounds of --since
 * and --until as the server gets them (ISO 8601 UTC timestamptz).  The output format (table, json, csv) is not
 * part of the filter at all: the printer alone sees it.
 * tests/integration/report.sh runs these queries against PostgreSQL.
 */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/reportq.h"
#include "ckmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* a value an operator could give: a quote, a semicolon, a backslash */
#define EVIL	"x'); DROP TABLE bmc; --\"\\"
/* ... and as a text[] literal's element */
#define EVIL_LIT "\"x'); DROP TABLE bmc; --\\\"\\\\\""

static const char *const evil[] = { EVIL, "web1" };

/* the SQL with every run of white space as one space */
static char *
norm(const struct reportq *q)
{
	const char *s = gbuf_str(&q->sql);
	char *out = malloc(strlen(s) + 1), *o = out;

	ck_assert_ptr_nonnull(out);
	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s)) {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
			continue;
		}
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static void
build(const struct reportq_filter *f, struct reportq *q)
{
	ck_assert_int_eq(reportq_build(f, q), 0);
	ck_assert_int_eq(q->kind, f->kind);
}

static void
has(const struct reportq *q, const char *frag)
{
	char *s = norm(q);

	ck_assert_msg(strstr(s, frag) != NULL, "no '%s' in: %s", frag, s);
	free(s);
}

static void
ends_with(const struct reportq *q, const char *frag)
{
	char *s = norm(q);
	size_t n = strlen(s), m = strlen(frag);

	ck_assert_msg(n >= m && strcmp(s + n - m, frag) == 0,
	    "does not end in '%s': %s", frag, s);
	free(s);
}

/*
 * Every placeholder is $k::types[k-1] with 1 <= k <= nparams, and each
 * of $1..$nparams is used: the numbering and the casts of a report.
 */
static void
placeholders(const struct reportq *q, const char *const *types, int n)
{
	const char *s = gbuf_str(&q->sql), *p;
	unsigned seen = 0;

	ck_assert_int_eq(q->nparams, n);
	ck_assert_int_le(q->nparams, REPORTQ_MAXPARAMS);
	for (p = strchr(s, '$'); p != NULL; p = strchr(p + 1, '$')) {
		char *end;
		long k = strtol(p + 1, &end, 10);
		size_t tl;

		ck_assert_msg(end != p + 1 && k >= 1 && k <= n,
		    "placeholder '%.6s' out of $1..$%d", p, n);
		tl = strlen(types[k - 1]);
		ck_assert_msg(strncmp(end, "::", 2) == 0 &&
		    strncmp(end + 2, types[k - 1], tl) == 0 &&
		    !isalnum((unsigned char)end[2 + tl]) && end[2 + tl] != '[',
		    "$%ld is not ::%s: '%.20s'", k, types[k - 1], p);
		seen |= 1u << k;
	}
	ck_assert_uint_eq(seen, ((1u << n) - 1) << 1);
}

/*
 * The items of the first SELECT list that is not "SELECT *", counted at
 * the top level (commas inside parentheses and quotes are not theirs).
 */
static int
select_items(const struct reportq *q)
{
	const char *s = gbuf_str(&q->sql), *p;
	int depth = 0, n = 1;
	char quote = 0;

	for (p = strstr(s, "SELECT "); p != NULL && strncmp(p, "SELECT *", 8)
	    == 0; p = strstr(p + 1, "SELECT "))
		;
	ck_assert_ptr_nonnull(p);
	for (p += 7; *p != '\0'; p++) {
		if (quote) {
			quote = *p == quote ? 0 : quote;
			continue;
		}
		if (*p == '\'' || *p == '"')
			quote = *p;
		else if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == ',' && depth == 0)
			n++;
		else if (depth == 0 && strncmp(p, " FROM ", 6) == 0)
			return n;
	}
	ck_abort_msg("no FROM after the SELECT list");
	return -1;
}

static void
param_null(const struct reportq *q, int i)
{
	ck_assert_msg(q->params[i] == NULL, "$%d is '%s', not NULL", i + 1,
	    q->params[i]);
}

static void
param_eq(const struct reportq *q, int i, const char *want)
{
	ck_assert_msg(q->params[i] != NULL, "$%d is NULL", i + 1);
	ck_assert_str_eq(q->params[i], want);
}

/* Every filter given: the SQL text stays that of none given. */
static void
same_sql(const struct reportq_filter *none, const struct reportq_filter *all)
{
	struct reportq a, b;
	const char *s;

	build(none, &a);
	build(all, &b);
	ck_assert_str_eq(gbuf_str(&a.sql), gbuf_str(&b.sql));
	s = gbuf_str(&b.sql);
	ck_assert_ptr_null(strstr(s, "DROP"));
	ck_assert_ptr_null(strstr(s, "web1"));
	ck_assert_ptr_null(strchr(s, ';'));
	ck_assert_ptr_null(strchr(s, '\\'));
	reportq_release(&a);
	reportq_release(&b);
}

/* The WHERE every report has: TARGETS ($1) and --retired ($2). */
#define WHERE_BMC "($1::text[] IS NULL OR b.name = ANY ($1::text[])) " \
	"AND ($2::boolean OR b.retired_at IS NULL)"

/* --- inventory ------------------------------------------------------------ */

static const char *const inv_types[] = { "text[]", "boolean", "boolean" };

START_TEST(inventory_default)
{
	struct reportq_filter f = { .kind = REPORTQ_INVENTORY };
	struct reportq q;

	build(&f, &q);
	placeholders(&q, inv_types, 3);
	ck_assert_int_eq(select_items(&q), RQ_IV_NCOLS);
	ck_assert_int_eq(q.binary, 0);
	param_null(&q, 0);		/* @all */
	param_eq(&q, 1, "false");	/* not retired ones */
	param_eq(&q, 2, "false");	/* FRU device 0 only */
	has(&q, "WHERE " WHERE_BMC " ORDER BY");
	/* the latest snapshot of each device */
	has(&q, "WHERE s.bmc_id = b.id AND ($3::boolean OR s.fru_id = 0) "
	    "ORDER BY s.fru_id, s.taken_at DESC, s.id DESC) f ON true");
	/* last seen: the last good collection, else the profile's time */
	has(&q, "SELECT max(r.finished_at) AS t FROM collection_result r "
	    "WHERE r.bmc_id = b.id AND r.ok");
	has(&q, "to_char((coalesce(ls.t, p.updated_at)) AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
	ends_with(&q, "ORDER BY b.name, f.fru_id");
	reportq_release(&q);
}
END_TEST

START_TEST(inventory_filters)
{
	struct reportq_filter none = { .kind = REPORTQ_INVENTORY };
	struct reportq_filter f = { .kind = REPORTQ_INVENTORY, .names = evil,
	    .nnames = 2, .retired = 1, .all_frus = 1 };
	struct reportq q;

	build(&f, &q);
	param_eq(&q, 0, "{" EVIL_LIT ",\"web1\"}");
	param_eq(&q, 1, "true");
	param_eq(&q, 2, "true");
	reportq_release(&q);
	same_sql(&none, &f);

	/* a selection of no BMC matches none, unlike @all */
	f.nnames = 0;
	build(&f, &q);
	param_eq(&q, 0, "{}");
	reportq_release(&q);
}
END_TEST

/* --- inventory --changes ---------------------------------------------------- */

static const char *const ch_types[] = { "text[]", "boolean",
	"timestamptz", "bigint" };

START_TEST(changes_default)
{
	struct reportq_filter f = { .kind = REPORTQ_CHANGES,
	    .now_ms = 2000000000000LL };
	struct reportq q;

	build(&f, &q);
	placeholders(&q, ch_types, 4);
	/* and the two it orders by */
	ck_assert_int_eq(select_items(&q), RQ_CH_NCOLS + 2);
	param_null(&q, 0);
	param_eq(&q, 1, "false");
	param_null(&q, 2);	/* no --since: all of them, not the last day */
	param_null(&q, 3);	/* LIMIT NULL: no limit */
	has(&q, "WHERE " WHERE_BMC " AND ($3::timestamptz IS NULL OR "
	    "c.changed_at >= $3::timestamptz)");
	/* the N most recent, shown oldest first */
	ends_with(&q, "ORDER BY c.changed_at DESC, c.id DESC "
	    "LIMIT $4::bigint) x ORDER BY k, id");
	reportq_release(&q);
}
END_TEST

START_TEST(changes_filters)
{
	struct reportq_filter none = { .kind = REPORTQ_CHANGES };
	struct reportq_filter f = { .kind = REPORTQ_CHANGES, .names = evil,
	    .nnames = 1, .retired = 1, .has_since = 1, .since_ms = 1764460800250LL,
	    .limit = 5 };
	struct reportq q;

	build(&f, &q);
	param_eq(&q, 0, "{" EVIL_LIT "}");
	param_eq(&q, 1, "true");
	param_eq(&q, 2, "2025-11-30T00:00:00.250Z");
	param_eq(&q, 3, "5");
	reportq_release(&q);
	same_sql(&none, &f);
}
END_TEST

/* --- sensors ------------------------------------------------------------------ */

static const char *const sn_types[] = { "text[]", "boolean",
	"timestamptz", "text[]" };

START_TEST(sensors_default)
{
	struct reportq_filter f = { .kind = REPORTQ_SENSORS,
	    .now_ms = 1790000000500LL };
	struct reportq q;

	build(&f, &q);
	placeholders(&q, sn_types, 4);
	ck_assert_int_eq(select_items(&q), RQ_SN_NCOLS);
	param_null(&q, 0);
	param_eq(&q, 1, "false");
	/* no --since: the readings of the last 24 h before now */
	ck_assert_int_eq(REPORTQ_SENSORS_SINCE_MS, 86400000);
	/* date -u -d @1789913600: 2026-09-20T14:13:20Z */
	param_eq(&q, 2, "2026-09-20T14:13:20.500Z");
	param_null(&q, 3);	/* any state */
	/* the latest reading of each sensor since the bound */
	has(&q, "JOIN LATERAL (SELECT * FROM sensor_reading r WHERE "
	    "r.sensor_id = s.id AND r.ts >= $3::timestamptz "
	    "ORDER BY r.ts DESC LIMIT 1) r ON true");
	has(&q, "WHERE " WHERE_BMC " AND ($4::text[] IS NULL OR "
	    "r.state = ANY ($4::text[])) ORDER BY");
	ends_with(&q, "ORDER BY b.name, s.record_id, s.owner, s.number, "
	    "s.name");
	reportq_release(&q);
}
END_TEST

START_TEST(sensors_filters)
{
	static const char *const states[] = { "warning", "critical" };
	static const char *const bad[] = { EVIL };
	struct reportq_filter none = { .kind = REPORTQ_SENSORS };
	struct reportq_filter f = { .kind = REPORTQ_SENSORS, .names = evil,
	    .nnames = 2, .retired = 1, .has_since = 1, .since_ms = 1764460800000LL,
	    .now_ms = 1790000000000LL, .states = states, .nstates = 2 };
	struct reportq q;

	build(&f, &q);
	param_eq(&q, 0, "{" EVIL_LIT ",\"web1\"}");
	param_eq(&q, 1, "true");
	param_eq(&q, 2, "2025-11-30T00:00:00.000Z");	/* --since wins */
	param_eq(&q, 3, "{\"warning\",\"critical\"}");
	reportq_release(&q);
	same_sql(&none, &f);

	/* a state is a parameter too, whatever it holds */
	f.states = bad;
	f.nstates = 1;
	build(&f, &q);
	param_eq(&q, 3, "{" EVIL_LIT "}");
	reportq_release(&q);
	same_sql(&none, &f);
}
END_TEST

/* --- events ------------------------------------------------------------------ */

static const char *const ev_types[] = { "text[]", "boolean",
	"timestamptz", "timestamptz", "text[]", "bigint", "bigint",
	"boolean", "bigint" };

START_TEST(events_default)
{
	struct reportq_filter f = { .kind = REPORTQ_EVENTS,
	    .now_ms = 2000000000000LL };
	struct reportq q;

	build(&f, &q);
	placeholders(&q, ev_types, 9);
	ck_assert_int_eq(select_items(&q), RQ_EV_NCOLS + 2);
	param_null(&q, 0);
	param_eq(&q, 1, "false");
	param_null(&q, 2);	/* no --since: from the first */
	param_null(&q, 3);
	param_null(&q, 4);
	param_null(&q, 5);
	param_null(&q, 6);	/* not --follow's tail: every id */
	param_eq(&q, 7, "false");	/* acked ones too */
	param_null(&q, 8);	/* from the most recent */
	/* the latest ack, and the event's own id (what ack takes) */
	has(&q, "e.id AS event_id, a.who, to_char((a.at) AT TIME ZONE 'UTC'");
	has(&q, "LEFT JOIN LATERAL (SELECT a.who, a.at FROM event_ack a "
	    "WHERE a.event_id = e.id ORDER BY a.at DESC, a.id DESC LIMIT 1) a "
	    "ON true");
	has(&q, "AND ($7::bigint IS NULL OR e.id <= $7::bigint) "
	    "AND (NOT $8::boolean OR a.who IS NULL)");
	/* an entry without a time (pre-init) counts by when it was read */
	has(&q, "WHERE " WHERE_BMC " AND ($3::timestamptz IS NULL OR "
	    "coalesce(e.ts, e.seen_at) >= $3::timestamptz) "
	    "AND ($4::timestamptz IS NULL OR "
	    "coalesce(e.ts, e.seen_at) < $4::timestamptz) "
	    "AND ($5::text[] IS NULL OR e.severity = ANY ($5::text[]))");
	has(&q, "coalesce(e.ts, e.seen_at) AS k, e.id FROM sel_event e");
	ends_with(&q, "ORDER BY k DESC, e.id DESC LIMIT $6::bigint "
	    "OFFSET $9::bigint) x ORDER BY k, id");
	reportq_release(&q);
}
END_TEST

START_TEST(events_filters)
{
	static const char *const sevs[] = { "critical" };
	struct reportq_filter none = { .kind = REPORTQ_EVENTS };
	struct reportq_filter f = { .kind = REPORTQ_EVENTS, .names = evil,
	    .nnames = 2, .has_since = 1, .since_ms = 1788998400000LL,
	    .has_until = 1, .until_ms = 1789907200125LL, .severities = sevs,
	    .nseverities = 1, .limit = 9000000000LL, .unacked = 1,
	    .has_upto = 1, .upto_id = 9000000000123LL, .offset = 200 };
	struct reportq q;

	build(&f, &q);
	param_eq(&q, 6, "9000000000123");
	param_eq(&q, 7, "true");
	param_eq(&q, 0, "{" EVIL_LIT ",\"web1\"}");
	param_eq(&q, 1, "false");
	/* date -u -d @1788998400, @1789907200 */
	param_eq(&q, 2, "2026-09-10T00:00:00.000Z");
	param_eq(&q, 3, "2026-09-20T12:26:40.125Z");
	param_eq(&q, 4, "{\"critical\"}");
	param_eq(&q, 5, "9000000000");
	param_eq(&q, 8, "200");
	reportq_release(&q);
	same_sql(&none, &f);
}
END_TEST

/*
 * --follow's fetch: the filters of events (but time and limit), the ids
 * past the last seen and those announced below it, in id order; the
 * columns of events, so one printer serves both.
 */
static const char *const evn_types[] = { "text[]", "boolean", "text[]",
	"boolean", "bigint", "bigint[]" };

START_TEST(events_new)
{
	static const char *const sevs[] = { "critical", "warning" };
	static const int64_t ids[] = { 17, 9000000000123LL };
	struct reportq_filter none = { .kind = REPORTQ_EVENTS_NEW };
	struct reportq_filter f = { .kind = REPORTQ_EVENTS_NEW, .names = evil,
	    .nnames = 2, .severities = sevs, .nseverities = 2, .unacked = 1,
	    .after_id = 42, .ids = ids, .nids = 2,
	    /* not this query's: no parameter, no effect */
	    .has_since = 1, .since_ms = 1788998400000LL, .limit = 3 };
	struct reportq q;

	build(&none, &q);
	placeholders(&q, evn_types, 6);
	ck_assert_int_eq(select_items(&q), RQ_EV_NCOLS + 2);
	param_null(&q, 0);
	param_eq(&q, 1, "false");
	param_null(&q, 2);
	param_eq(&q, 3, "false");
	param_eq(&q, 4, "0");
	param_eq(&q, 5, "{}");	/* no announcement below the last: none */
	has(&q, "WHERE " WHERE_BMC " AND ($3::text[] IS NULL OR "
	    "e.severity = ANY ($3::text[])) AND (NOT $4::boolean OR "
	    "a.who IS NULL) AND (e.id > $5::bigint OR "
	    "e.id = ANY ($6::bigint[]))");
	ends_with(&q, "ORDER BY e.id");
	reportq_release(&q);

	build(&f, &q);
	param_eq(&q, 0, "{" EVIL_LIT ",\"web1\"}");
	param_eq(&q, 2, "{\"critical\",\"warning\"}");
	param_eq(&q, 3, "true");
	param_eq(&q, 4, "42");
	param_eq(&q, 5, "{17,9000000000123}");
	reportq_release(&q);
	same_sql(&none, &f);
}
END_TEST

/*
 * A bound outside what lib/when reads cannot be written as a timestamptz
 * the server reads back: the build fails rather than send it.
 */
START_TEST(times_out_of_range)
{
	struct reportq_filter f = { .kind = REPORTQ_EVENTS, .has_since = 1,
	    .since_ms = -1 };
	struct reportq q;

	ck_assert_int_eq(reportq_build(&f, &q), -1);
	reportq_release(&q);
	f.since_ms = 0;
	f.has_until = 1;
	f.until_ms = 253402300800000LL;	/* 10000-01-01 */
	ck_assert_int_eq(reportq_build(&f, &q), -1);
	reportq_release(&q);
	f.until_ms = 253402300799999LL;
	build(&f, &q);
	param_eq(&q, 2, "1970-01-01T00:00:00.000Z");
	param_eq(&q, 3, "9999-12-31T23:59:59.999Z");
	reportq_release(&q);
}
END_TEST

/* --- the SDR repositories, for the names of discrete states ----------------- */

START_TEST(sdrs)
{
	static const char *const types[] = { "text[]", "boolean" };
	struct reportq_filter f = { .kind = REPORTQ_SDRS, .names = evil,
	    .nnames = 2, .retired = 1, .states = evil, .nstates = 1 };
	struct reportq q;

	build(&f, &q);
	placeholders(&q, types, 2);
	ck_assert_int_eq(select_items(&q), RQ_SD_NCOLS);
	ck_assert_int_eq(q.binary, 1);	/* the records are bytes */
	param_eq(&q, 0, "{" EVIL_LIT ",\"web1\"}");
	param_eq(&q, 1, "true");
	has(&q, "WHERE c.key IN (SELECT p.sdr_key FROM bmc b JOIN "
	    "bmc_profile p ON p.bmc_id = b.id WHERE " WHERE_BMC ")");
	reportq_release(&q);
}
END_TEST

START_TEST(bad_kind)
{
	struct reportq_filter f = { .kind = (enum reportq_kind)99 };
	struct reportq q;

	ck_assert_int_eq(reportq_build(&f, &q), -1);
	reportq_release(&q);
}
END_TEST

/* --- rows ---------------------------------------------------------------------- */

START_TEST(cells)
{
	char a[] = "web1", b[] = "";
	char *cell[] = { a, NULL, b, a };
	size_t len[] = { 4, 0, 0, 4 };
	struct reportq_rows r = { 2, 2, cell, len, NULL };

	ck_assert_str_eq(reportq_cell(&r, 0, 0), "web1");
	ck_assert_ptr_null(reportq_cell(&r, 0, 1));	/* SQL NULL */
	ck_assert_str_eq(reportq_cell(&r, 1, 0), "");	/* empty text */
	ck_assert_ptr_null(reportq_cell(&r, 2, 0));
	ck_assert_ptr_null(reportq_cell(&r, 0, 2));
	ck_assert_uint_eq(reportq_cell_len(&r, 1, 1), 4);
	ck_assert_uint_eq(reportq_cell_len(&r, 9, 9), 0);
}
END_TEST

static Suite *
reportq_suite(void)
{
	Suite *s = suite_create("reportq");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, inventory_default);
	tcase_add_test(tc, inventory_filters);
	tcase_add_test(tc, changes_default);
	tcase_add_test(tc, changes_filters);
	tcase_add_test(tc, sensors_default);
	tcase_add_test(tc, sensors_filters);
	tcase_add_test(tc, events_default);
	tcase_add_test(tc, events_filters);
	tcase_add_test(tc, events_new);
	tcase_add_test(tc, times_out_of_range);
	tcase_add_test(tc, sdrs);
	tcase_add_test(tc, bad_kind);
	tcase_add_test(tc, cells);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(reportq_suite());
}
