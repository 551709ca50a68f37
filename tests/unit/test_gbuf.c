#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/gbuf.h"
#include "tests/unit/ckmain.h"

START_TEST(grows)
{
	struct gbuf b = GBUF_INIT;
	char *p;
	size_t i, len;

	ck_assert_str_eq(gbuf_str(&b), "");
	for (i = 0; i < 1000; i++)
		gbuf_printf(&b, "%zu,", i % 10);
	ck_assert_uint_eq(b.len, 2000);
	ck_assert_uint_eq(strlen(gbuf_str(&b)), 2000);
	ck_assert_int_eq(memcmp(b.p + 1990, "5,6,7,8,9,", 10), 0);
	gbuf_add(&b, "ab\0cd", 5);	/* bytes, NULs included */
	ck_assert_uint_eq(b.len, 2005);
	ck_assert_int_eq(memcmp(b.p + 2000, "ab\0cd", 6), 0);
	gbuf_reset(&b);
	ck_assert_str_eq(gbuf_str(&b), "");
	gbuf_puts(&b, "x");
	gbuf_putc(&b, 'y');
	ck_assert_ptr_nonnull(p = gbuf_detach(&b, &len));
	ck_assert_str_eq(p, "xy");
	ck_assert_uint_eq(len, 2);
	free(p);
	/* detached: the buffer is empty and usable again */
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(b.len, 0);
	gbuf_printf(&b, "%s", "");
	ck_assert_str_eq(gbuf_str(&b), "");
	gbuf_release(&b);
}
END_TEST

START_TEST(detach_empty)
{
	struct gbuf b;
	char *p;

	gbuf_init(&b);
	ck_assert_ptr_nonnull(p = gbuf_detach(&b, NULL));
	ck_assert_str_eq(p, "");
	free(p);
}
END_TEST

START_TEST(failure_is_sticky)
{
	struct gbuf b = GBUF_INIT;

	gbuf_puts(&b, "before");
	gbuf_add(&b, "x", SIZE_MAX);	/* cannot be had */
	ck_assert_int_eq(gbuf_failed(&b), 1);
	ck_assert_str_eq(gbuf_str(&b), "");
	gbuf_puts(&b, "after");
	gbuf_printf(&b, "%d", 1);
	ck_assert_int_eq(gbuf_failed(&b), 1);
	ck_assert_str_eq(gbuf_str(&b), "");
	errno = 0;
	ck_assert_ptr_null(gbuf_detach(&b, NULL));
	ck_assert_int_eq(errno, ENOMEM);
	/* detached: usable again */
	ck_assert_int_eq(gbuf_failed(&b), 0);
	gbuf_puts(&b, "again");
	ck_assert_str_eq(gbuf_str(&b), "again");
	gbuf_add(&b, "x", SIZE_MAX / 2);
	ck_assert_int_eq(gbuf_failed(&b), 1);
	gbuf_reset(&b);
	ck_assert_int_eq(gbuf_failed(&b), 0);
	gbuf_puts(&b, "z");
	ck_assert_str_eq(gbuf_str(&b), "z");
	gbuf_release(&b);
}
END_TEST

static Suite *
gbuf_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("gbuf");
	tc = tcase_create("gbuf");
	tcase_add_test(tc, grows);
	tcase_add_test(tc, detach_empty);
	tcase_add_test(tc, failure_is_sticky);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(gbuf_suite());
}
