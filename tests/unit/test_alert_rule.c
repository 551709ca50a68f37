/*
 * test_alert_rule: the rules' decisions: matching by source, host,
 * severity, sensor type and text; de-duplication keys and verdicts;
 * recovery pairing; token buckets; backoff.
 */
#include <check.h>
#include <string.h>

#include "scheduler/alert_rule.h"
#include "tests/unit/ckmain.h"

static const char *const hosts[] = { "a1", "a2", "b7" };	/* sorted */

static struct alert_rule
rule(void)
{
	struct alert_rule r;

	memset(&r, 0, sizeof(r));
	r.name = "psu";
	r.sources = ALERT_SRC_DEFAULT;
	r.min_severity = ALERT_SEV_WARNING;
	r.all_hosts = 1;
	r.dedup_ms = ALERT_DEDUP_DEFAULT_MS;
	return r;
}

static struct alert_event
event(void)
{
	struct alert_event e;

	memset(&e, 0, sizeof(e));
	e.source = ALERT_SRC_SEL;
	e.bmc = "a2";
	e.severity = ALERT_SEV_CRITICAL;
	e.sensor_type = "Power Supply";
	e.sensor = "PS1 Status";
	e.text = "Power Supply AC lost";
	e.key = "81/3";
	e.kind = ALERT_RAISE;
	return e;
}

START_TEST(match_source_severity)
{
	struct alert_rule r = rule();
	struct alert_event e = event();

	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
	e.source = ALERT_SRC_PET;
	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
	e.source = ALERT_SRC_SENSOR;	/* not in the default sources */
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
	e = event();
	e.severity = ALERT_SEV_WARNING;
	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
	e.severity = ALERT_SEV_INFO;
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
}
END_TEST

START_TEST(match_hosts)
{
	struct alert_rule r = rule();
	struct alert_event e = event();

	r.all_hosts = 0;
	r.hosts = hosts;
	r.nhosts = 3;
	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
	e.bmc = "b7";
	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
	e.bmc = "a3";
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
	e.bmc = "";
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
	e.bmc = NULL;
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
	r.nhosts = 0;		/* targets that selected nothing */
	e.bmc = "a1";
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
}
END_TEST

START_TEST(match_type_text)
{
	struct alert_rule r = rule();
	struct alert_event e = event();

	r.sensor_type = "power supply";		/* any case */
	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
	r.sensor_type = "Temperature";
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
	e.sensor_type = NULL;
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
	e = event();
	r.sensor_type = NULL;
	r.text = "ac LOST";			/* substring, any case */
	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
	r.text = "AC restored";
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
	r.text = "Power*lost";			/* a glob: whole text */
	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
	r.text = "Supply*lost";
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
	r.text = "*supply ?C*";
	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
	e.text = NULL;
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
	r.text = "";
	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
}
END_TEST

START_TEST(match_clear_needs_recovery)
{
	struct alert_rule r = rule();
	struct alert_event e = event();

	e.kind = ALERT_CLEAR;
	e.severity = ALERT_SEV_INFO;	/* a deassertion's words differ */
	e.text = "Power Supply AC lost deasserted";
	r.text = "AC lost$";		/* would not match the clear's text */
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
	r.recovery = 1;
	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
	r.sensor_type = "Fan";		/* but the sensor type still counts */
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
	r.sensor_type = NULL;
	e.bmc = "zz";
	r.all_hosts = 0;
	r.hosts = hosts;
	r.nhosts = 3;
	ck_assert_int_eq(alert_rule_match(&r, &e), 0);
}
END_TEST

START_TEST(match_unreachable_sweeps)
{
	struct alert_rule r = rule();
	struct alert_event e = event();

	r.sources = ALERT_SRC_UNREACHABLE;
	r.sweeps = 3;
	e.source = ALERT_SRC_UNREACHABLE;
	e.sensor_type = NULL;
	e.text = "timeout";
	e.key = "";
	for (uint32_t f = 1; f <= 5; f++) {
		e.failures = f;
		ck_assert_int_eq(alert_rule_match(&r, &e), f == 3);
	}
	r.sweeps = 0;		/* unset: the first failure */
	e.failures = 1;
	ck_assert_int_eq(alert_rule_match(&r, &e), 1);
}
END_TEST

START_TEST(match_many)
{
	struct alert_rule rs[4];
	struct alert_event e = event();
	size_t out[2], n;

	for (size_t i = 0; i < 4; i++)
		rs[i] = rule();
	rs[1].min_severity = ALERT_SEV_INFO;
	rs[2].sources = ALERT_SRC_SENSOR;
	n = alert_rules_match(rs, 4, &e, out, 2);
	ck_assert_uint_eq(n, 3);	/* 0, 1, 3; only two written */
	ck_assert_uint_eq(out[0], 0);
	ck_assert_uint_eq(out[1], 1);
}
END_TEST

START_TEST(dedup_keys)
{
	struct alert_rule r = rule();
	struct alert_event e = event(), f;
	char a[128], b[128];

	ck_assert_uint_lt(alert_dedup_key(&r, &e, a, sizeof(a)), sizeof(a));
	ck_assert_str_eq(a, "psu\x1f" "a2\x1fsel\x1f" "81/3");
	f = e;
	f.kind = ALERT_CLEAR;	/* a raise and its clear share the key */
	alert_dedup_key(&r, &f, b, sizeof(b));
	ck_assert_str_eq(a, b);
	f.source = ALERT_SRC_PET;	/* PET and SEL: one condition */
	alert_dedup_key(&r, &f, b, sizeof(b));
	ck_assert_str_eq(a, b);
	f = e;
	f.bmc = "a1";
	alert_dedup_key(&r, &f, b, sizeof(b));
	ck_assert_str_ne(a, b);
	f = e;
	f.key = "81/4";
	alert_dedup_key(&r, &f, b, sizeof(b));
	ck_assert_str_ne(a, b);
	/* cut short: says what it needs */
	ck_assert_uint_eq(alert_dedup_key(&r, &e, b, 4), strlen(a));
	ck_assert_uint_eq(strlen(b), 3);
}
END_TEST

START_TEST(decide)
{
	struct alert_rule r = rule();
	uint64_t w = r.dedup_ms, t = 1000000;

	ck_assert_int_eq(alert_decide(&r, ALERT_RAISE, -1, 0, t), ALERT_NOTIFY);
	ck_assert_int_eq(alert_decide(&r, ALERT_RAISE, ALERT_RAISE, t, t + 1),
	    ALERT_DEDUP);
	ck_assert_int_eq(alert_decide(&r, ALERT_RAISE, ALERT_RAISE, t,
	    t + w - 1), ALERT_DEDUP);
	ck_assert_int_eq(alert_decide(&r, ALERT_RAISE, ALERT_RAISE, t, t + w),
	    ALERT_NOTIFY);
	ck_assert_int_eq(alert_decide(&r, ALERT_RAISE, ALERT_CLEAR, t, t + 1),
	    ALERT_NOTIFY);
	ck_assert_int_eq(alert_decide(&r, ALERT_CLEAR, ALERT_RAISE, t, t + w * 9),
	    ALERT_NOTIFY);
	ck_assert_int_eq(alert_decide(&r, ALERT_CLEAR, ALERT_CLEAR, t, t + 1),
	    ALERT_NO_RAISE);
	ck_assert_int_eq(alert_decide(&r, ALERT_CLEAR, -1, 0, t),
	    ALERT_NO_RAISE);
	r.dedup_ms = 0;
	ck_assert_int_eq(alert_decide(&r, ALERT_RAISE, ALERT_RAISE, t, t),
	    ALERT_NOTIFY);
	ck_assert_str_eq(alert_verdict_name(ALERT_DEDUP), "dedup");
	ck_assert_str_eq(alert_verdict_name(ALERT_NO_RAISE), "no-raise");
}
END_TEST

START_TEST(bucket)
{
	struct alert_bucket b;
	uint64_t t = 5000;
	int ok = 0;

	alert_bucket_init(&b, 30 * 1440, 5);	/* 30/min: one per 2 s; burst 5 */
	for (int i = 0; i < 20; i++)
		ok += alert_bucket_take(&b, t);
	ck_assert_int_eq(ok, 5);
	ck_assert_int_eq(alert_bucket_take(&b, t + 1999), 0);
	ck_assert_int_eq(alert_bucket_take(&b, t + 2000), 1);
	ck_assert_int_eq(alert_bucket_take(&b, t + 2001), 0);
	/* a long quiet time refills to the burst, not beyond */
	t += 3600 * 1000;
	ok = 0;
	for (int i = 0; i < 20; i++)
		ok += alert_bucket_take(&b, t);
	ck_assert_int_eq(ok, 5);
	/* over 60 s at 30/min, 30 more and no more (small steps lose none) */
	ok = 0;
	for (uint64_t s = 1; s <= 60000; s += 7)
		ok += alert_bucket_take(&b, t + s);
	ck_assert_int_ge(ok, 29);
	ck_assert_int_le(ok, 30);
	/* below one a minute: 1/h, burst 3 (a minute's refill was once
	 * rounded up to one a minute) */
	alert_bucket_init(&b, 24, 3);
	t = 1000;
	ok = 0;
	for (int i = 0; i < 10; i++)
		ok += alert_bucket_take(&b, t);
	ck_assert_int_eq(ok, 3);
	ck_assert_int_eq(alert_bucket_take(&b, t + 60 * 1000), 0);
	ck_assert_int_eq(alert_bucket_take(&b, t + 3599 * 1000), 0);
	ck_assert_int_eq(alert_bucket_take(&b, t + 3600 * 1000), 1);
	ck_assert_int_eq(alert_bucket_take(&b, t + 3601 * 1000), 0);
	/* a day quiet: full again, three and no more */
	ok = 0;
	for (int i = 0; i < 10; i++)
		ok += alert_bucket_take(&b, t + 90000 * 1000ULL);
	ck_assert_int_eq(ok, 3);
	/* the fastest rate the config reads, 1000000/s: no overflow */
	alert_bucket_init(&b, 1000000ULL * 86400, 100000);
	ok = 0;
	for (int i = 0; i < 200000; i++)
		ok += alert_bucket_take(&b, 7);
	ck_assert_int_eq(ok, 100000);
	ck_assert_int_eq(alert_bucket_take(&b, 8), 1);
	ck_assert_int_eq(alert_bucket_take(&b, 86400000ULL * 365), 1);
	alert_bucket_init(&b, 0, 0);	/* no limit */
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(alert_bucket_take(&b, 1), 1);
}
END_TEST

START_TEST(backoff)
{
	ck_assert_uint_eq(alert_backoff_ms(1), 1000);
	ck_assert_uint_eq(alert_backoff_ms(2), 2000);
	ck_assert_uint_eq(alert_backoff_ms(3), 4000);
	ck_assert_uint_eq(alert_backoff_ms(9), 256000);
	ck_assert_uint_eq(alert_backoff_ms(10), 300000);
	ck_assert_uint_eq(alert_backoff_ms(1000000), 300000);
}
END_TEST

START_TEST(words)
{
	ck_assert_uint_eq(alert_source_parse("PET"), ALERT_SRC_PET);
	ck_assert_uint_eq(alert_source_parse("inventory"), ALERT_SRC_INVENTORY);
	ck_assert_uint_eq(alert_source_parse("sels"), 0);
	ck_assert_int_eq(alert_severity_parse("Critical"), ALERT_SEV_CRITICAL);
	ck_assert_int_eq(alert_severity_parse("nc"), ALERT_SEV_WARNING);
	ck_assert_int_eq(alert_severity_parse("ok"), ALERT_SEV_INFO);
	ck_assert_int_eq(alert_severity_parse("bad"), -1);
	ck_assert_str_eq(alert_severity_name(ALERT_SEV_WARNING), "warning");
}
END_TEST

static Suite *
alert_rule_suite(void)
{
	Suite *s = suite_create("alert_rule");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, match_source_severity);
	tcase_add_test(tc, match_hosts);
	tcase_add_test(tc, match_type_text);
	tcase_add_test(tc, match_clear_needs_recovery);
	tcase_add_test(tc, match_unreachable_sweeps);
	tcase_add_test(tc, match_many);
	tcase_add_test(tc, dedup_keys);
	tcase_add_test(tc, decide);
	tcase_add_test(tc, bucket);
	tcase_add_test(tc, backoff);
	tcase_add_test(tc, words);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(alert_rule_suite());
}
