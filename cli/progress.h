/*
 * progress: one status line on a terminal, redrawn from a loop timer while
 * a run goes on ("12/30 hosts done, 1 failed, 8 in flight, 2.3s").
 *
 * The line is drawn by time, not by completions: every PROGRESS_PERIOD_MS
 * while the loop runs, so a run whose hosts answer slowly, or all at once
 * at the end, still shows that it moves.  A run shorter than one period
 * draws nothing.  The caller says what the counts are (text); the module
 * adds the elapsed time, keeps the line to the terminal's width and erases
 * it before anything else is written to the terminal (progress_clear) and
 * at the end (progress_stop).  Nothing goes to stdout.
 *
 * The caller owns the struct and keeps it alive while the timer is armed,
 * from progress_start to progress_stop.
 */
#ifndef BMCFLEET_CLI_PROGRESS_H
#define BMCFLEET_CLI_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "collector/driver.h"
#include "lib/loop.h"

#define PROGRESS_PERIOD_MS	250

/* The counts, into buf (NUL-terminated, at most len bytes). */
typedef void	progress_text_fn(void *arg, char *buf, size_t len);

struct progress {
	struct loop	*loop;
	struct loop_timer timer;
	FILE		*f;
	progress_text_fn *text;
	void		*arg;
	uint64_t	 t0_ms;
	size_t		 width;		/* of the terminal, in columns */
	int		 on;		/* a run is being shown */
	int		 shown;		/* a line is on the screen now */
	unsigned	 draws;		/* lines drawn so far */
};

/*
 * Show a run on f (a terminal: the caller decides) from now on; the first
 * line is drawn one period from now.  Returns 0, or -1 if the timer could
 * not be armed (then nothing is shown).
 */
int	progress_start(struct progress *, struct loop *, FILE *f,
	    progress_text_fn *text, void *arg);
/* Draw the line now (e.g. the last counts, once every host is done). */
void	progress_draw(struct progress *);
/* Erase the line, before a message goes to the terminal; the next period
 * draws it again. */
void	progress_clear(struct progress *);
/*
 * The end: the final counts drawn once (only if a line was shown before),
 * then erased, and the timer disarmed.  Safe on a struct zeroed or never
 * started, and twice.
 */
void	progress_stop(struct progress *);
/*
 * A target the driver started and has not finished: it sets start_ms when
 * it starts a host and end_ms when it finishes one (a host swept before
 * keeps its old end_ms, earlier than the new start).
 */
static inline int
progress_in_flight(const struct drv_target *t)
{
	return t->start_ms > t->end_ms;
}
/* "2.3s" below a minute, "4m05s", "1h02m": buf of at least 16 bytes. */
void	progress_elapsed(uint64_t ms, char *buf, size_t len);

#endif
