#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "tests/unit/ckmain.h"

/* json_escape of n bytes, as a string the test owns */
static char *
esc(const char *s, size_t n)
{
	struct gbuf b = GBUF_INIT;
	char *p;

	json_escape(&b, s, n);
	ck_assert_ptr_nonnull(p = gbuf_detach(&b, NULL));
	return p;
}

#define ESC_EQ(in, want)	do {					\
	char *got_ = esc(in, sizeof(in) - 1);				\
	ck_assert_str_eq(got_, want);					\
	free(got_);							\
} while (0)

#define FFFD	"\xef\xbf\xbd"

START_TEST(escape_ascii)
{
	ESC_EQ("", "\"\"");
	ESC_EQ("plain text 123", "\"plain text 123\"");
	ESC_EQ("a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
	ESC_EQ("\x7f", "\"\x7f\"");	/* DEL needs no escape (RFC 8259, 7) */
	ESC_EQ("x\0y", "\"x\\u0000y\"");
}
END_TEST

START_TEST(escape_controls)
{
	char in[2], want[16], *got;
	int c;

	/* every control as \u00XX, newline and tab included */
	for (c = 1; c < 0x20; c++) {
		in[0] = (char)c;
		in[1] = '\0';
		snprintf(want, sizeof(want), "\"\\u00%02x\"", c);
		got = esc(in, 1);
		ck_assert_str_eq(got, want);
		free(got);
	}
	ESC_EQ("a\nb\tc\r", "\"a\\u000ab\\u0009c\\u000d\"");
}
END_TEST

START_TEST(escape_utf8_kept)
{
	/* U+00E9 */
	ESC_EQ("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	/* U+0080 */
	ESC_EQ("\xc2\x80", "\"\xc2\x80\"");
	/* U+20AC */
	ESC_EQ("\xe2\x82\xac", "\"\xe2\x82\xac\"");
	/* U+0800 */
	ESC_EQ("\xe0\xa0\x80", "\"\xe0\xa0\x80\"");
	/* U+D7FF */
	ESC_EQ("\xed\x9f\xbf", "\"\xed\x9f\xbf\"");
	/* U+E000 */
	ESC_EQ("\xee\x80\x80", "\"\xee\x80\x80\"");
	/* U+FFFF */
	ESC_EQ("\xef\xbf\xbf", "\"\xef\xbf\xbf\"");
	/* U+10000 */
	ESC_EQ("\xf0\x90\x80\x80", "\"\xf0\x90\x80\x80\"");
	/* U+1F600 */
	ESC_EQ("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	/* U+10FFFF */
	ESC_EQ("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");
}
END_TEST

START_TEST(escape_utf8_repaired)
{
	/* a lone continuation */
	ESC_EQ("\x80", "\"" FFFD "\"");
	ESC_EQ("a\xbf" "b", "\"a" FFFD "b\"");
	/* overlong '/' */
	ESC_EQ("\xc0\xaf", "\"" FFFD FFFD "\"");
	ESC_EQ("\xc1\xbf", "\"" FFFD FFFD "\"");
	ESC_EQ("\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\"");	/* overlong */
	ESC_EQ("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"");	/* U+D800 */
	ESC_EQ("\xed\xbf\xbf", "\"" FFFD FFFD FFFD "\"");	/* U+DFFF */
	ESC_EQ("\xf0\x8f\xbf\xbf", "\"" FFFD FFFD FFFD FFFD "\"");
	ESC_EQ("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
	ESC_EQ("\xf5\x80", "\"" FFFD FFFD "\"");
	ESC_EQ("\xff\xfe", "\"" FFFD FFFD "\"");
	/* cut short, at the end and before ASCII */
	ESC_EQ("\xe2\x82", "\"" FFFD FFFD "\"");
	ESC_EQ("\xe2\x82" "A", "\"" FFFD FFFD "A\"");
	ESC_EQ("\xf0\x9f\x98", "\"" FFFD FFFD FFFD "\"");
	/* a quote inside a broken sequence is still escaped */
	ESC_EQ("\xc3\"", "\"" FFFD "\\\"\"");
}
END_TEST

/*
 * The oracle for random bytes: a decoder written apart from json.c's,
 * code point by code point.  1 when s (n bytes) is a JSON string literal
 * of valid UTF-8 with no raw control byte and no bare quote or backslash.
 */
static int
valid_literal(const unsigned char *s, size_t n)
{
	size_t i;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return 0;
	for (i = 1; i < n - 1;) {
		uint32_t cp;
		size_t len, k;

		if (s[i] < 0x20)
			return 0;
		if (s[i] == '\\') {
			if (i + 1 >= n - 1)
				return 0;
			if (s[i + 1] == '"' || s[i + 1] == '\\') {
				i += 2;
				continue;
			}
			if (s[i + 1] != 'u' || i + 6 > n - 1)
				return 0;
			i += 6;
			continue;
		}
		if (s[i] == '"')
			return 0;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			len = 2;
			cp = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			len = 3;
			cp = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			len = 4;
			cp = s[i] & 0x07;
		} else
			return 0;
		if (i + len > n - 1)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

START_TEST(escape_random_bytes)
{
	unsigned char in[64];
	uint32_t x = 12345;
	size_t n, i, same = 0;
	int round;

	for (round = 0; round < 20000; round++) {
		char *got;

		n = (size_t)(round % 64);
		for (i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			/* mostly high bytes, so sequences form and break */
			in[i] = (unsigned char)(x >> 16);
			if ((x >> 8) % 4 == 0)
				in[i] |= 0x80;
		}
		got = esc((const char *)in, n);
		ck_assert_msg(valid_literal((const unsigned char *)got,
		    strlen(got)), "round %d: not a valid literal", round);
		if (strlen(got) == n + 2 && memcmp(got + 1, in, n) == 0)
			same++;
		free(got);
	}
	ck_assert_uint_gt(same, 0);	/* some inputs were valid as they were */
	/* the oracle itself refuses what it must */
	ck_assert_int_eq(valid_literal((const unsigned char *)"\"\xed\xa0\x80\"",
	    5), 0);
	ck_assert_int_eq(valid_literal((const unsigned char *)"\"a\nb\"", 5),
	    0);
	ck_assert_int_eq(valid_literal((const unsigned char *)"\"a\"b\"", 5),
	    0);
}
END_TEST

static char *
take(struct gbuf *b)
{
	char *p = gbuf_detach(b, NULL);

	ck_assert_ptr_nonnull(p);
	return p;
}

START_TEST(writer_compact)
{
	struct gbuf b = GBUF_INIT;
	struct json j;
	char *p;

	json_init(&j, &b, 0);
	json_obj(&j);
	json_key(&j, "version");
	json_u64(&j, 1);
	json_key(&j, "name");
	json_null(&j);
	json_key(&j, "stages");
	json_arr(&j);
	json_obj(&j);
	json_key(&j, "name");
	json_str(&j, "a\"b");
	json_key(&j, "after");
	json_arr(&j);
	json_end(&j);
	json_key(&j, "verify");
	json_bool(&j, 1);
	json_end(&j);
	json_obj(&j);
	json_end(&j);
	json_end(&j);
	json_end(&j);
	ck_assert_int_eq(json_failed(&j), 0);
	p = take(&b);
	ck_assert_str_eq(p, "{\"version\":1,\"name\":null,\"stages\":[{\"name\":"
	    "\"a\\\"b\",\"after\":[],\"verify\":true},{}]}");
	free(p);
}
END_TEST

START_TEST(writer_spaced)
{
	struct gbuf b = GBUF_INIT;
	struct json j;
	char *p;

	json_init(&j, &b, JSON_SPACED);
	json_obj(&j);
	json_key(&j, "plan");
	json_i64(&j, -7);
	json_key(&j, "big");
	json_u64(&j, UINT64_MAX);
	json_key(&j, "min");
	json_i64(&j, INT64_MIN);
	json_key(&j, "by");
	json_str(&j, NULL);
	json_key(&j, "w");
	json_raw(&j, "12.5");
	json_key(&j, "list");
	json_arr(&j);
	json_str(&j, "x");
	json_strn(&j, "y\0z", 3);
	json_bool(&j, 0);
	json_end(&j);
	json_end(&j);
	ck_assert_int_eq(json_failed(&j), 0);
	p = take(&b);
	ck_assert_str_eq(p, "{\"plan\": -7, \"big\": 18446744073709551615, "
	    "\"min\": -9223372036854775808, \"by\": null, \"w\": 12.5, "
	    "\"list\": [\"x\", \"y\\u0000z\", false]}");
	free(p);
}
END_TEST

START_TEST(writer_misuse)
{
	struct gbuf b = GBUF_INIT;
	struct json j;
	int i;

	/* a value where a key is due */
	json_init(&j, &b, 0);
	json_obj(&j);
	json_u64(&j, 1);
	ck_assert_int_eq(json_failed(&j), 1);
	json_end(&j);
	ck_assert_str_eq(gbuf_str(&b), "{");	/* nothing after the misuse */
	gbuf_reset(&b);

	/* a key in an array, a key after a key, an end after a key */
	json_init(&j, &b, 0);
	json_arr(&j);
	json_key(&j, "k");
	ck_assert_int_eq(json_failed(&j), 1);
	gbuf_reset(&b);
	json_init(&j, &b, 0);
	json_obj(&j);
	json_key(&j, "k");
	json_key(&j, "k");
	ck_assert_int_eq(json_failed(&j), 1);
	gbuf_reset(&b);
	json_init(&j, &b, 0);
	json_obj(&j);
	json_key(&j, "k");
	json_end(&j);
	ck_assert_int_eq(json_failed(&j), 1);
	gbuf_reset(&b);

	/* an end with nothing open; a key at the top */
	json_init(&j, &b, 0);
	json_end(&j);
	ck_assert_int_eq(json_failed(&j), 1);
	json_init(&j, &b, 0);
	json_key(&j, "k");
	ck_assert_int_eq(json_failed(&j), 1);

	/* JSON_DEPTH levels, and not one more */
	gbuf_reset(&b);
	json_init(&j, &b, 0);
	for (i = 0; i < JSON_DEPTH; i++)
		json_arr(&j);
	ck_assert_int_eq(json_failed(&j), 0);
	json_arr(&j);
	ck_assert_int_eq(json_failed(&j), 1);
	gbuf_release(&b);
}
END_TEST

START_TEST(writer_oom)
{
	struct gbuf b = GBUF_INIT;
	struct json j;

	json_init(&j, &b, 0);
	json_obj(&j);
	gbuf_add(&b, "", SIZE_MAX);	/* an allocation that fails */
	json_key(&j, "k");
	json_str(&j, "v");
	json_end(&j);
	ck_assert_int_eq(json_failed(&j), 1);
	ck_assert_ptr_null(gbuf_detach(&b, NULL));
}
END_TEST

static Suite *
json_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("json");
	tc = tcase_create("escape");
	tcase_add_test(tc, escape_ascii);
	tcase_add_test(tc, escape_controls);
	tcase_add_test(tc, escape_utf8_kept);
	tcase_add_test(tc, escape_utf8_repaired);
	tcase_add_test(tc, escape_random_bytes);
	suite_add_tcase(s, tc);
	tc = tcase_create("writer");
	tcase_add_test(tc, writer_compact);
	tcase_add_test(tc, writer_spaced);
	tcase_add_test(tc, writer_misuse);
	tcase_add_test(tc, writer_oom);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(json_suite());
}
