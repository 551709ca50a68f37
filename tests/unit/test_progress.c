/*
 * cli/progress: the terminal's status line is drawn by a loop timer, not
 * by completions: nothing within the first period, then one line a period
 * while the loop runs (a run whose hosts all finish at the end still shows
 * it moves); erased on demand and at the end, where the last counts are
 * drawn once; never drawn after a stop.  Written to a memory stream here.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/progress.h"
#include "lib/loop.h"
#include "ckmain.h"

#define ERASE	"\r\033[K"

struct fake {
	struct loop	*l;
	struct loop_timer stop;
	unsigned	 n;		/* the counts the text says */
};

static void
text(void *arg, char *buf, size_t len)
{
	struct fake *f = arg;

	snprintf(buf, len, "%u done", f->n);
}

static void
on_stop(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	loop_stop(l);
}

/* lines drawn in s: the texts between erasures */
static unsigned
lines(const char *s, const char *word)
{
	unsigned n = 0;

	for (const char *p = s; (p = strstr(p, word)) != NULL; p++)
		n++;
	return n;
}

START_TEST(elapsed)
{
	char b[16];

	progress_elapsed(0, b, sizeof(b));
	ck_assert_str_eq(b, "0.0s");
	progress_elapsed(2345, b, sizeof(b));
	ck_assert_str_eq(b, "2.3s");
	progress_elapsed(59999, b, sizeof(b));
	ck_assert_str_eq(b, "59.9s");
	progress_elapsed(245000, b, sizeof(b));
	ck_assert_str_eq(b, "4m05s");
	progress_elapsed(3720000, b, sizeof(b));
	ck_assert_str_eq(b, "1h02m");
}
END_TEST

/* a run of about 1.1 s: a line a period (4; at least 2 on a loaded
 * machine) though nothing moves meanwhile, the last counts once more at
 * the end, then erased */
START_TEST(by_time)
{
	struct fake f = { 0 };
	struct progress p;
	char *buf = NULL, *end;
	size_t len = 0;
	unsigned n;
	FILE *m = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(f.l = loop_new());
	ck_assert_int_eq(progress_start(&p, f.l, m, text, &f), 0);
	loop_timer_init(&f.stop, on_stop, &f);
	ck_assert_int_eq(loop_timer_set(f.l, &f.stop, loop_now(f.l) + 1120),
	    0);
	ck_assert_int_eq(loop_run(f.l), 0);
	f.n = 7;
	progress_stop(&p);
	fflush(m);
	n = lines(buf, "0 done, ");
	ck_assert_msg(n >= 2 && n <= 4, "%u lines: %s", n, buf);
	/* not before the first period */
	ck_assert_msg(strncmp(buf, ERASE "0 done, 0.0s", 16) != 0 &&
	    strncmp(buf, ERASE "0 done, 0.1s", 16) != 0, "%s", buf);
	ck_assert_msg(strncmp(buf, ERASE "0 done, ", 12) == 0, "%s", buf);
	/* the end: the last counts, then the line erased */
	ck_assert_uint_eq(lines(buf, "7 done, "), 1);
	end = strstr(buf, "7 done, ");
	ck_assert_msg(strchr(end, '\r') == buf + len - strlen(ERASE) &&
	    strcmp(buf + len - strlen(ERASE), ERASE) == 0, "%s", buf);
	ck_assert(!loop_timer_armed(&p.timer));
	/* stopped: nothing more, twice is harmless */
	progress_stop(&p);
	progress_clear(&p);
	progress_draw(&p);
	fflush(m);
	ck_assert_uint_eq(lines(buf, "done"), n + 1);
	loop_free(f.l);
	fclose(m);
	free(buf);
}
END_TEST

/* shorter than a period: nothing at all, not even the final counts */
START_TEST(short_run)
{
	struct fake f = { 0 };
	struct progress p, zero;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f.l = loop_new());
	ck_assert_int_eq(progress_start(&p, f.l, m, text, &f), 0);
	loop_timer_init(&f.stop, on_stop, &f);
	ck_assert_int_eq(loop_timer_set(f.l, &f.stop, loop_now(f.l) + 100),
	    0);
	ck_assert_int_eq(loop_run(f.l), 0);
	progress_clear(&p);
	progress_stop(&p);
	fflush(m);
	ck_assert_uint_eq(len, 0);
	/* a struct never started: stop and clear do nothing */
	memset(&zero, 0, sizeof(zero));
	progress_clear(&zero);
	progress_stop(&zero);
	loop_free(f.l);
	fclose(m);
	free(buf);
}
END_TEST

/* clear before a message: erased once, drawn again at the next period */
START_TEST(clear_then_redraw)
{
	struct fake f = { 0 };
	struct progress p;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f.l = loop_new());
	ck_assert_int_eq(progress_start(&p, f.l, m, text, &f), 0);
	progress_draw(&p);
	progress_clear(&p);
	progress_clear(&p);	/* nothing shown: no second erase */
	fputs("message\n", m);
	loop_timer_init(&f.stop, on_stop, &f);
	ck_assert_int_eq(loop_timer_set(f.l, &f.stop, loop_now(f.l) + 300),
	    0);
	ck_assert_int_eq(loop_run(f.l), 0);
	progress_stop(&p);
	fflush(m);
	ck_assert_msg(strncmp(buf, ERASE "0 done, 0.0s" ERASE "message\n"
	    ERASE "0 done, 0.", strlen(ERASE "0 done, 0.0s" ERASE
	    "message\n" ERASE "0 done, 0.")) == 0, "%s", buf);
	loop_free(f.l);
	fclose(m);
	free(buf);
}
END_TEST

static Suite *
progress_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, elapsed);
	tcase_add_test(tc, by_time);
	tcase_add_test(tc, short_run);
	tcase_add_test(tc, clear_then_redraw);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(progress_suite());
}
