/*
 * namelist: the one grammar of --state and --severity lists, for direct
 * mode's sensors and sel list and for the reports: words in any case,
 * repeats folded, an unknown word named, an empty word refused; and the
 * words back in canonical form for the reports' queries.
 */
#include <check.h>
#include <string.h>

#include "cli/namelist.h"
#include "ipmi/sel.h"
#include "ipmi/sensor.h"
#include "ckmain.h"

static unsigned
mask_of(const struct namelist *l, const char *list)
{
	char err[256];
	unsigned m = 0xdead;

	ck_assert_msg(namelist_mask(l, "--state", list, &m, err,
	    sizeof(err)) == 0, "'%s': %s", list, err);
	return m;
}

static void
refused(const struct namelist *l, const char *opt, const char *list,
    const char *want)
{
	char err[256] = "";
	unsigned m = 0xdead;

	ck_assert_int_eq(namelist_mask(l, opt, list, &m, err, sizeof(err)),
	    -1);
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(m, 0xdead);	/* untouched */
}

START_TEST(health)
{
	const struct namelist *l = &namelist_health;

	ck_assert_uint_eq(mask_of(l, "nominal"), 1u << SENSOR_NOMINAL);
	ck_assert_uint_eq(mask_of(l, "warning,critical"),
	    1u << SENSOR_WARNING | 1u << SENSOR_CRITICAL);
	ck_assert_uint_eq(mask_of(l, "NA,Critical,na"),
	    1u << SENSOR_NA | 1u << SENSOR_CRITICAL);
	refused(l, "--state", "warning,hot", "--state: unknown state 'hot' "
	    "(nominal, warning, critical, na)");
	refused(l, "--state", "warning,", "--state 'warning,': expected a "
	    "list of nominal, warning, critical, na");
	refused(l, "--state", ",warning", "--state ',warning': expected a "
	    "list of nominal, warning, critical, na");
	refused(l, "--state", "", "--state '': expected a list of nominal, "
	    "warning, critical, na");
	refused(l, "--state", "warning,,critical", "--state "
	    "'warning,,critical': expected a list of nominal, warning, "
	    "critical, na");
	refused(l, "--state", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "--state 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': expected "
	    "a list of nominal, warning, critical, na");
}
END_TEST

START_TEST(severity)
{
	const struct namelist *l = &namelist_severity;

	ck_assert_uint_eq(mask_of(l, "info,warning,critical"),
	    1u << SEL_SEV_INFO | 1u << SEL_SEV_WARNING | 1u << SEL_SEV_CRITICAL);
	refused(l, "--severity", "nominal", "--severity: unknown severity "
	    "'nominal' (info, warning, critical)");
	/* sel list says --state for its severities */
	refused(l, "--state", "fatal", "--state: unknown severity 'fatal' "
	    "(info, warning, critical)");
}
END_TEST

START_TEST(words)
{
	const char *w[8];
	char err[64];

	ck_assert_uint_eq(namelist_words(&namelist_health, 0, w, 8), 0);
	ck_assert_uint_eq(namelist_words(&namelist_health,
	    mask_of(&namelist_health, "Critical,warning,critical"), w, 8), 2);
	ck_assert_str_eq(w[0], "warning");
	ck_assert_str_eq(w[1], "critical");
	ck_assert_uint_eq(namelist_words(&namelist_health,
	    mask_of(&namelist_health, "na,nominal,warning"), w, 2), 2);
	ck_assert_str_eq(w[0], "nominal");
	ck_assert_str_eq(w[1], "warning");
	/* an err too small is cut, not overrun */
	ck_assert_int_eq(namelist_mask(&namelist_severity, "--severity", "x",
	    &(unsigned){ 0 }, err, 8), -1);
	ck_assert_str_eq(err, "--sever");
}
END_TEST

/* the words as prose, for "no sensor is warning or critical" */
START_TEST(join)
{
	char out[64];

	ck_assert_str_eq(namelist_join(&namelist_health,
	    mask_of(&namelist_health, "critical"), "or", out, sizeof(out)),
	    "critical");
	ck_assert_str_eq(namelist_join(&namelist_health,
	    mask_of(&namelist_health, "critical,warning"), "or", out,
	    sizeof(out)), "warning or critical");
	ck_assert_str_eq(namelist_join(&namelist_health,
	    mask_of(&namelist_health, "na,nominal,warning"), "or", out,
	    sizeof(out)), "nominal, warning or na");
	ck_assert_str_eq(namelist_join(&namelist_health, 0, "or", out,
	    sizeof(out)), "");
	/* cut, not overrun */
	ck_assert_str_eq(namelist_join(&namelist_health,
	    mask_of(&namelist_health, "critical,warning"), "or", out, 8),
	    "warning");
}
END_TEST

static Suite *
namelist_suite(void)
{
	Suite *s = suite_create("namelist");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, health);
	tcase_add_test(tc, severity);
	tcase_add_test(tc, words);
	tcase_add_test(tc, join);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(namelist_suite());
}
