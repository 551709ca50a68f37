#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text.h"
#include "tests/unit/ckmain.h"

START_TEST(bool_words)
{
	static const char *const yes[] = { "true", "yes", "on", "True",
		"TRUE", "Yes", "YES", "On", "ON" };
	static const char *const no[] = { "false", "no", "off", "False",
		"FALSE", "No", "NO", "Off", "OFF" };
	size_t i;
	int b;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = -1;
		ck_assert_int_eq(text_parse_bool(yes[i], 0, &b), 0);
		ck_assert_int_eq(b, 1);
		b = -1;
		ck_assert_int_eq(text_parse_bool(no[i], 0, &b), 0);
		ck_assert_int_eq(b, 0);
	}
}
END_TEST

START_TEST(bool_refused)
{
	static const char *const bad[] = { "", "tRue", "y", "n", "1", "0",
		"onn", "true ", " true", "2", "-1", "nope" };
	size_t i;
	int b = 7;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(text_parse_bool(bad[i], 0, &b) == -1,
		    "'%s' taken", bad[i]);
		ck_assert_int_eq(b, 7);
	}
	ck_assert_int_eq(text_parse_bool("2", TEXT_BOOL_DIGITS, &b), -1);
	ck_assert_int_eq(text_parse_bool("01", TEXT_BOOL_DIGITS, &b), -1);
	ck_assert_int_eq(b, 7);
}
END_TEST

START_TEST(bool_digits)
{
	int b = -1;

	ck_assert_int_eq(text_parse_bool("1", TEXT_BOOL_DIGITS, &b), 0);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(text_parse_bool("0", TEXT_BOOL_DIGITS, &b), 0);
	ck_assert_int_eq(b, 0);
	ck_assert_int_eq(text_parse_bool("on", TEXT_BOOL_DIGITS, &b), 0);
	ck_assert_int_eq(b, 1);
}
END_TEST

START_TEST(distance)
{
	char a[70], b[70];

	ck_assert_uint_eq(text_edit_distance("", ""), 0);
	ck_assert_uint_eq(text_edit_distance("", "abc"), 3);
	ck_assert_uint_eq(text_edit_distance("abc", ""), 3);
	ck_assert_uint_eq(text_edit_distance("batch", "batch"), 0);
	/* a swap of neighbours is one edit, not two */
	ck_assert_uint_eq(text_edit_distance("bacth", "batch"), 1);
	ck_assert_uint_eq(text_edit_distance("nmae", "name"), 1);
	ck_assert_uint_eq(text_edit_distance("kitten", "sitting"), 3);
	ck_assert_uint_eq(text_edit_distance("abcdef", "badcfe"), 3);
	memset(a, 'a', 64);
	a[64] = '\0';
	memset(b, 'a', 65);
	b[65] = '\0';
	ck_assert_uint_eq(text_edit_distance(a, a), 0);
	ck_assert_uint_eq(text_edit_distance(a, "a"), 63);
	ck_assert_uint_eq(text_edit_distance(b, "a"), SIZE_MAX);
	ck_assert_uint_eq(text_edit_distance("a", b), SIZE_MAX);
}
END_TEST

START_TEST(uints)
{
	uint64_t v = 7;

	ck_assert_int_eq(text_parse_uint("0", 0, 10, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(text_parse_uint("10", 0, 10, &v), 0);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(text_parse_uint("007", 0, 10, &v), 0);
	ck_assert_uint_eq(v, 7);
	ck_assert_int_eq(text_parse_uint("18446744073709551615", 0,
	    UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	v = 9;
	ck_assert_int_eq(text_parse_uint("18446744073709551616", 0,
	    UINT64_MAX, &v), -1);
	ck_assert_int_eq(text_parse_uint("11", 0, 10, &v), -1);
	ck_assert_int_eq(text_parse_uint("4", 5, 10, &v), -1);
	ck_assert_int_eq(text_parse_uint("", 0, 10, &v), -1);
	ck_assert_int_eq(text_parse_uint("-1", 0, 10, &v), -1);
	ck_assert_int_eq(text_parse_uint("+1", 0, 10, &v), -1);
	ck_assert_int_eq(text_parse_uint(" 1", 0, 10, &v), -1);
	ck_assert_int_eq(text_parse_uint("1 ", 0, 10, &v), -1);
	ck_assert_int_eq(text_parse_uint("1.0", 0, 10, &v), -1);
	ck_assert_int_eq(text_parse_uint("0x1", 0, 10, &v), -1);
	ck_assert_uint_eq(v, 9);
}
END_TEST

/* fn says 1 for each of good (ng) and 0 for each of bad (nb) */
static void
words(int (*fn)(const char *), const char *const *good, size_t ng,
    const char *const *bad, size_t nb)
{
	size_t i;

	for (i = 0; i < ng; i++)
		ck_assert_msg(fn(good[i]) == 1, "'%s' refused", good[i]);
	for (i = 0; i < nb; i++)
		ck_assert_msg(fn(bad[i]) == 0, "'%s' taken", bad[i]);
}
#define WORDS(fn, good, bad)	words((fn), (good),			\
	sizeof(good) / sizeof(good[0]), (bad), sizeof(bad) / sizeof(bad[0]))

START_TEST(idents)
{
	static const char *const good[] = { "a", "rack-12", "r1.n2", "_x",
		"A_b-C.9", "-", "." };
	static const char *const bad[] = { "", " a", "a b", "a,b", "a/b",
		"caf\xc3\xa9", "a\n", "@g", "!x", "a[1]" };

	WORDS(text_is_ident, good, bad);
}
END_TEST

START_TEST(env_names)
{
	static const char *const good[] = { "A", "LAB_BMC_PASSWORD", "_x",
		"a1", "B_2_", "_0" };
	static const char *const bad[] = { "", "1A", "0", "A-B", "A.B",
		"A B", " A", "A=", "caf\xc3\xa9", "$A" };

	WORDS(text_is_env_name, good, bad);
}
END_TEST

static const char *const keys[] = {
	"name", "targets", "op", "bootdev", "persistent", "efi", "batch",
	"interval", "budget", "verify", "verify_timeout", "soft_timeout",
	"retries", "failure_threshold", "on_failure", "after", NULL,
};

START_TEST(suggestions)
{
	static const char *const ops[] = { "on", "off", "soft-off", "cycle" };

	ck_assert_str_eq(text_suggest("bacth", keys, SIZE_MAX), "batch");
	ck_assert_str_eq(text_suggest("nmae", keys, SIZE_MAX), "name");
	ck_assert_str_eq(text_suggest("intervall", keys, SIZE_MAX),
	    "interval");
	/* a long shared start counts, and the nearer of two wins */
	ck_assert_str_eq(text_suggest("verify_time", keys, SIZE_MAX),
	    "verify_timeout");
	ck_assert_str_eq(text_suggest("failure", keys, SIZE_MAX),
	    "failure_threshold");
	/* a tie goes to the longer shared start */
	ck_assert_str_eq(text_suggest("of", ops, 4), "off");
	ck_assert_str_eq(text_suggest("cycel", ops, 4), "cycle");
	/* nothing close: no guess */
	ck_assert_ptr_null(text_suggest("zzz", keys, SIZE_MAX));
	ck_assert_ptr_null(text_suggest("x", ops, 4));
	ck_assert_ptr_null(text_suggest("power", keys, SIZE_MAX));
	/* ncand bounds the list as a NULL does */
	ck_assert_ptr_null(text_suggest("bacth", keys, 6));
	ck_assert_ptr_null(text_suggest("bacth", keys, 0));
}
END_TEST

START_TEST(did_you_mean)
{
	char buf[64], small[8];

	ck_assert_str_eq(text_did_you_mean(buf, sizeof(buf), "bacth", keys,
	    SIZE_MAX), " (did you mean 'batch'?)");
	ck_assert_str_eq(text_did_you_mean(buf, sizeof(buf), "zzz", keys,
	    SIZE_MAX), "");
	ck_assert_str_eq(text_did_you_mean(small, sizeof(small), "bacth",
	    keys, SIZE_MAX), " (did y");
	ck_assert_ptr_eq(text_did_you_mean(buf, 0, "bacth", keys, SIZE_MAX),
	    buf);
}
END_TEST

static const struct text_flag flags[] = {
	{ "authcap", 1 << 0 },
	{ "intel20", 1 << 1 },
	{ "sun20", 1 << 2 },
	{ "lies", (1 << 3) | (1 << 4) },	/* a group */
};
#define NFLAGS	(sizeof(flags) / sizeof(flags[0]))

START_TEST(flag_names)
{
	ck_assert_uint_eq(text_flag_bits(flags, NFLAGS, "intel20"), 2);
	ck_assert_uint_eq(text_flag_bits(flags, NFLAGS, "lies"), 0x18);
	ck_assert_uint_eq(text_flag_bits(flags, NFLAGS, "intel"), 0);
	ck_assert_uint_eq(text_flag_bits(flags, NFLAGS, "intel200"), 0);
	ck_assert_uint_eq(text_flag_bits(flags, NFLAGS, ""), 0);
	ck_assert_uint_eq(text_flag_bits(flags, 1, "intel20"), 0);
	ck_assert_str_eq(text_flag_name(flags, NFLAGS, 0), "authcap");
	ck_assert_str_eq(text_flag_name(flags, NFLAGS, 3), "lies");
	ck_assert_ptr_null(text_flag_name(flags, NFLAGS, 4));
}
END_TEST

/* list, flags, 0 and the bits, or -1 and the entry at fault */
static void
flag_list(const char *list, unsigned fl, int rc, uint32_t want,
    const char *bad)
{
	uint32_t bits = 0xdead;
	const char *at = NULL;
	size_t n = 99;

	ck_assert_int_eq(text_parse_flags(list, flags, NFLAGS, fl, &bits,
	    &at, &n), rc);
	if (rc == 0) {
		ck_assert_uint_eq(bits, want);
		return;
	}
	ck_assert_uint_eq(bits, 0xdead);	/* untouched */
	ck_assert_ptr_nonnull(at);
	ck_assert_uint_eq(n, strlen(bad));
	ck_assert_int_eq(strncmp(at, bad, n), 0);
	ck_assert(at >= list && at + n <= list + strlen(list));
}

START_TEST(flag_lists)
{
	flag_list("authcap", 0, 0, 1, NULL);
	flag_list("authcap,sun20", 0, 0, 5, NULL);
	flag_list("sun20,lies,authcap,sun20", 0, 0, 0x1d, NULL);
	flag_list("authcap,intel2", 0, -1, 0, "intel2");
	flag_list("authcapp,sun20", 0, -1, 0, "authcapp");
	flag_list("authcap,sun20x", 0, -1, 0, "sun20x");
	flag_list("Authcap", 0, -1, 0, "Authcap");
	flag_list("authcap ", 0, -1, 0, "authcap ");
	/* empty entries: faults, unless skipped */
	flag_list("", 0, -1, 0, "");
	flag_list("authcap,,sun20", 0, -1, 0, "");
	flag_list("authcap,", 0, -1, 0, "");
	flag_list(",authcap", 0, -1, 0, "");
	flag_list("authcap,,sun20", TEXT_FLAGS_SKIP_EMPTY, 0, 5, NULL);
	flag_list(",authcap,", TEXT_FLAGS_SKIP_EMPTY, 0, 1, NULL);
	flag_list("", TEXT_FLAGS_SKIP_EMPTY, 0, 0, NULL);
	flag_list(",,", TEXT_FLAGS_SKIP_EMPTY, 0, 0, NULL);
	flag_list("authcap,,nope", TEXT_FLAGS_SKIP_EMPTY, -1, 0, "nope");
}
END_TEST

/* the entry at fault is where it stands in the list, not a copy */
START_TEST(flag_fault_place)
{
	static const char list[] = "authcap,intel20,bogus,sun20";
	const char *at;
	uint32_t bits;
	size_t n;

	ck_assert_int_eq(text_parse_flags(list, flags, NFLAGS, 0, &bits, &at,
	    &n), -1);
	ck_assert_ptr_eq(at, list + 16);
	ck_assert_uint_eq(n, 5);
}
END_TEST

static Suite *
text_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("text");
	tc = tcase_create("bool");
	tcase_add_test(tc, bool_words);
	tcase_add_test(tc, bool_refused);
	tcase_add_test(tc, bool_digits);
	tcase_add_test(tc, idents);
	tcase_add_test(tc, env_names);
	tcase_add_test(tc, uints);
	suite_add_tcase(s, tc);
	tc = tcase_create("suggest");
	tcase_add_test(tc, distance);
	tcase_add_test(tc, suggestions);
	tcase_add_test(tc, did_you_mean);
	suite_add_tcase(s, tc);
	tc = tcase_create("flags");
	tcase_add_test(tc, flag_names);
	tcase_add_test(tc, flag_lists);
	tcase_add_test(tc, flag_fault_place);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(text_suite());
}
