#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/progress.h"

void
progress_elapsed(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;

	if (s < 60)
		snprintf(buf, len, "%u.%us", (unsigned)s,
		    (unsigned)(ms % 1000 / 100));
	else if (s < 3600)
		snprintf(buf, len, "%um%02us", (unsigned)(s / 60),
		    (unsigned)(s % 60));
	else
		snprintf(buf, len, "%uh%02um", (unsigned)(s / 3600),
		    (unsigned)(s / 60 % 60));
}

static void
on_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct progress *p = arg;

	progress_draw(p);
	(void)loop_timer_set(l, t, loop_now(l) + PROGRESS_PERIOD_MS);
}

int
progress_start(struct progress *p, struct loop *l, FILE *f,
    progress_text_fn *text, void *arg)
{
	struct winsize ws;

	memset(p, 0, sizeof(*p));
	p->loop = l;
	p->f = f;
	p->text = text;
	p->arg = arg;
	p->t0_ms = loop_now(l);
	/* a line longer than the terminal wraps, and "\r" then erases only
	 * its last row: keep it one column short of the width */
	p->width = 80;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		p->width = ws.ws_col;
	loop_timer_init(&p->timer, on_tick, p);
	if (loop_timer_set(l, &p->timer, p->t0_ms + PROGRESS_PERIOD_MS) != 0)
		return -1;
	p->on = 1;
	return 0;
}

void
progress_draw(struct progress *p)
{
	char counts[200], el[16], line[256];
	size_t max;

	if (!p->on)
		return;
	p->text(p->arg, counts, sizeof(counts));
	progress_elapsed(loop_now(p->loop) - p->t0_ms, el, sizeof(el));
	snprintf(line, sizeof(line), "%s, %s", counts, el);
	max = p->width - 1 < sizeof(line) - 1 ? p->width - 1 :
	    sizeof(line) - 1;
	if (strlen(line) > max)
		line[max] = '\0';
	fprintf(p->f, "\r\033[K%s", line);
	fflush(p->f);
	p->shown = 1;
	p->draws++;
}

void
progress_clear(struct progress *p)
{
	if (!p->shown)
		return;
	fputs("\r\033[K", p->f);
	fflush(p->f);
	p->shown = 0;
}

void
progress_stop(struct progress *p)
{
	if (!p->on)
		return;
	loop_timer_cancel(p->loop, &p->timer);
	if (p->draws > 0)
		progress_draw(p);
	progress_clear(p);
	p->on = 0;
}
