/*
 * sweepwhy: why a sweep touched no host (see sweepwhy.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/sweepwhy.h"
#include "lib/units.h"

struct out {
	char	*p;
	size_t	 cap, n;
	int	 parts;
};

static void	add(struct out *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* One part of the reason, "; " before all but the first. */
static void
add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (o->parts++ > 0) {
		k = snprintf(o->p + (o->n < o->cap ? o->n : o->cap),
		    o->n < o->cap ? o->cap - o->n : 0, "; ");
		o->n += (size_t)k;
	}
	va_start(ap, fmt);
	k = vsnprintf(o->p + (o->n < o->cap ? o->n : o->cap),
	    o->n < o->cap ? o->cap - o->n : 0, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->n += (size_t)k;
}

/* A wait in words, to the second above one: "59m59s", not "3598397ms". */
static void
wait_text(uint64_t ms, char *buf, size_t cap)
{
	if (ms >= 1000)
		ms = (ms + 999) / 1000 * 1000;
	units_format_duration(ms, buf, cap);
}

static const char *
hosts(long n)
{
	return n == 1 ? "host" : "hosts";
}

size_t
sweep_idle_reason(const struct sweep_idle *w, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, 0 };
	char d[32];
	long accounted;

	if (cap > 0)
		buf[0] = '\0';
	if (w->hosts == 0) {
		add(&o, "no hosts in the config (or none left by its "
		    "TARGETS)");
		return o.n;
	}
	if (w->stopping) {
		add(&o, "stopping");
		return o.n;
	}
	if (w->spool_failed) {
		add(&o, "the spool refuses rows: nothing more is read");
		return o.n;
	}
	if (w->known && w->not_due > 0) {
		wait_text(w->next_ms, d, sizeof(d));
		add(&o, "not due: next in %s (%ld %s swept this interval)", d,
		    w->not_due, hosts(w->not_due));
	}
	if (w->known && w->leased > 0) {
		if (w->holder[0] != '\0')
			add(&o, "leased by another collector, %s (%ld %s)",
			    w->holder, w->leased, hosts(w->leased));
		else
			add(&o, "leased by another collector (%ld %s)",
			    w->leased, hosts(w->leased));
	}
	if (w->resting > 0) {
		wait_text(w->retry_ms, d, sizeof(d));
		add(&o, "backing off after failures: next try in %s (%zu %s)",
		    d, w->resting, hosts((long)w->resting));
	}
	if (w->known && w->missing > 0)
		add(&o, "not in the database yet (%ld %s): the fleet rows "
		    "were not written", w->missing, hosts(w->missing));
	accounted = (long)w->resting + (w->known ? w->not_due + w->leased +
	    w->missing : 0);
	if (!w->known && w->db_away)
		add(&o, "the database is away");
	else if (o.parts == 0 || accounted < (long)w->hosts)
		add(&o, "%ld %s not accounted for (claimed by another "
		    "collector just now?)", (long)w->hosts - accounted,
		    hosts((long)w->hosts - accounted));
	return o.n;
}
