#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/loop.h"

/* --- timers ------------------------------------------------------------- */

#define NTIMERS	2000

struct order {
	uint64_t	 last;
	size_t		 fired;
	int		 bad;		/* fired out of deadline order */
};

struct ttimer {
	struct loop_timer	 t;
	struct order		*o;
	int			 fired;
	int			 cancelled;
};

static uint32_t	rng_state;

static uint32_t
rng(void)
{
	/* a fixed LCG so a failure reproduces */
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static void
order_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	struct ttimer	*tt = arg;

	ck_assert_ptr_eq(&tt->t, t);
	ck_assert(!loop_timer_armed(t));
	ck_assert_uint_le(t->when, loop_now(l));
	if (t->when < tt->o->last)
		tt->o->bad = 1;
	tt->o->last = t->when;
	tt->o->fired++;
	tt->fired++;
}

START_TEST(timer_order_random)
{
	struct loop	*l;
	struct ttimer	*tt;
	struct order	 o = { 0 };
	uint64_t	 base;
	size_t		 i;

	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_ptr_nonnull(tt = calloc(NTIMERS, sizeof(*tt)));
	rng_state = 1;
	/* deadlines in the past: everything is due in the first iteration */
	base = loop_now(l) - 100000;
	for (i = 0; i < NTIMERS; i++) {
		tt[i].o = &o;
		loop_timer_init(&tt[i].t, order_cb, &tt[i]);
		ck_assert_int_eq(loop_timer_set(l, &tt[i].t,
		    base + rng() % 50000), 0);
		ck_assert(loop_timer_armed(&tt[i].t));
	}
	/* move some of them, earlier and later, to exercise sift up and down */
	for (i = 0; i < NTIMERS; i += 7)
		ck_assert_int_eq(loop_timer_set(l, &tt[i].t,
		    base + rng() % 50000), 0);
	ck_assert_int_eq(loop_run_once(l, 0), NTIMERS);
	ck_assert_uint_eq(o.fired, NTIMERS);
	ck_assert_int_eq(o.bad, 0);
	for (i = 0; i < NTIMERS; i++)
		ck_assert_int_eq(tt[i].fired, 1);
	ck_assert_int_eq(loop_run(l), 0);
	free(tt);
	loop_free(l);
}
END_TEST

START_TEST(timer_order_future)
{
	struct loop	*l;
	struct ttimer	 tt[64];
	struct order	 o = { 0 };
	uint64_t	 start;
	size_t		 i;

	ck_assert_ptr_nonnull(l = loop_new());
	rng_state = 7;
	start = loop_now(l);
	for (i = 0; i < 64; i++) {
		tt[i].o = &o;
		tt[i].fired = 0;
		loop_timer_init(&tt[i].t, order_cb, &tt[i]);
		ck_assert_int_eq(loop_timer_set(l, &tt[i].t,
		    start + 1 + rng() % 40), 0);
	}
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_uint_eq(o.fired, 64);
	ck_assert_int_eq(o.bad, 0);
	ck_assert_uint_ge(loop_now(l), start + 1);
	loop_free(l);
}
END_TEST

START_TEST(timer_cancel_middle)
{
	struct loop	*l;
	struct ttimer	*tt;
	struct order	 o = { 0 };
	uint64_t	 base;
	size_t		 i, ncancel = 0;

	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_ptr_nonnull(tt = calloc(NTIMERS, sizeof(*tt)));
	rng_state = 3;
	base = loop_now(l) - 100000;
	for (i = 0; i < NTIMERS; i++) {
		tt[i].o = &o;
		loop_timer_init(&tt[i].t, order_cb, &tt[i]);
		ck_assert_int_eq(loop_timer_set(l, &tt[i].t,
		    base + rng() % 50000), 0);
	}
	/* random victims sit anywhere in the heap, the last slot included */
	for (i = 0; i < NTIMERS; i++) {
		if (rng() % 3 != 0 && i != NTIMERS - 1)
			continue;
		loop_timer_cancel(l, &tt[i].t);
		ck_assert(!loop_timer_armed(&tt[i].t));
		/* cancelling twice is harmless */
		loop_timer_cancel(l, &tt[i].t);
		tt[i].cancelled = 1;
		ncancel++;
	}
	ck_assert_int_eq(loop_run_once(l, 0), (int)(NTIMERS - ncancel));
	ck_assert_int_eq(o.bad, 0);
	for (i = 0; i < NTIMERS; i++)
		ck_assert_int_eq(tt[i].fired, !tt[i].cancelled);
	free(tt);
	loop_free(l);
}
END_TEST

struct rearm {
	struct loop_timer	 t;
	struct loop_timer	 victim;
	int			 n;
	int			 victim_fired;
};

static void
rearm_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	struct rearm	*r = arg;

	ck_assert(!loop_timer_armed(t));
	/* cancelling the timer that fires is a no-op */
	loop_timer_cancel(l, t);
	if (++r->n < 5)
		ck_assert_int_eq(loop_timer_set(l, t, loop_now(l) + 2), 0);
	else
		loop_timer_cancel(l, &r->victim);
}

static void
victim_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	struct rearm	*r = arg;

	(void)l;
	(void)t;
	r->victim_fired = 1;
}

START_TEST(timer_rearm_from_callback)
{
	struct loop	*l;
	struct rearm	 r = { .n = 0 };
	uint64_t	 start;

	ck_assert_ptr_nonnull(l = loop_new());
	loop_timer_init(&r.t, rearm_cb, &r);
	loop_timer_init(&r.victim, victim_cb, &r);
	start = loop_now(l);
	ck_assert_int_eq(loop_timer_set(l, &r.t, start + 1), 0);
	ck_assert_int_eq(loop_timer_set(l, &r.victim, start + 60000), 0);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(r.n, 5);
	ck_assert_int_eq(r.victim_fired, 0);
	ck_assert(!loop_timer_armed(&r.victim));
	ck_assert_uint_ge(loop_now(l), start + 9);
	loop_free(l);
}
END_TEST

static void
zero_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	int	*n = arg;

	/* re-armed at "now": must not spin inside one iteration */
	if (++*n < 1000)
		ck_assert_int_eq(loop_timer_set(l, t, loop_now(l)), 0);
}

START_TEST(timer_rearm_now_no_spin)
{
	struct loop		*l;
	struct loop_timer	 t;
	int			 n = 0;

	ck_assert_ptr_nonnull(l = loop_new());
	loop_timer_init(&t, zero_cb, &n);
	ck_assert_int_eq(loop_timer_set(l, &t, loop_now(l)), 0);
	ck_assert_int_eq(loop_run_once(l, 0), 1);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(n, 1000);
	loop_free(l);
}
END_TEST

static void
noop_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)l;
	(void)t;
	(void)arg;
}

START_TEST(timer_wait_and_errors)
{
	struct loop		*l;
	struct loop_timer	 t = { 0 };
	uint64_t		 us;

	ck_assert_ptr_nonnull(l = loop_new());
	/* no callback */
	ck_assert_int_eq(loop_timer_set(l, &t, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	t.cb = noop_timer;
	/* the wait comes from the heap top, moved later then earlier */
	ck_assert_int_eq(loop_timer_set(l, &t, loop_now(l) + 5000), 0);
	/* the clock read before the deadline is made: a preemption between
	 * the two (a loaded machine) must not look like an early timer */
	us = loop_now_us(l);
	ck_assert_int_eq(loop_timer_set(l, &t, loop_now(l) + 30), 0);
	ck_assert_int_eq(loop_run_once(l, -1), 1);
	ck_assert_uint_ge(loop_now_us(l) - us, 29000);
	ck_assert_uint_lt(loop_now_us(l) - us, 2000000);
	/* nothing left: returns at once instead of blocking forever */
	ck_assert_int_eq(loop_run_once(l, -1), 0);
	/* a bounded wait with a later timer returns at the bound */
	ck_assert_int_eq(loop_timer_set(l, &t, loop_now(l) + 60000), 0);
	ck_assert_int_eq(loop_run_once(l, 10), 0);
	ck_assert(loop_timer_armed(&t));
	loop_free(l);
}
END_TEST

/* --- fds ---------------------------------------------------------------- */

struct pipecb {
	int	 rfd;
	int	 calls;
	unsigned last;
	int	 other;		/* fd to delete, -1 for none */
	int	 deleted;
};

static void
pipe_read_cb(struct loop *l, int fd, unsigned events, void *arg)
{
	struct pipecb	*p = arg;
	char		 c;

	ck_assert_int_eq(fd, p->rfd);
	p->calls++;
	p->last = events;
	ck_assert_int_eq(read(fd, &c, 1), 1);
	loop_del_fd(l, fd);
}

START_TEST(fd_pipe_readable)
{
	struct loop	*l;
	struct pipecb	 p = { 0 };
	int		 fds[2];

	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_int_eq(pipe(fds), 0);
	p.rfd = fds[0];
	ck_assert_int_eq(loop_add_fd(l, fds[0], LOOP_READ, pipe_read_cb, &p),
	    0);
	ck_assert_uint_eq(loop_nfds(l), 1);
	/* not readable yet */
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_int_eq(write(fds[1], "x", 1), 1);
	/* the callback deletes its own fd, leaving nothing: loop_run ends */
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(p.calls, 1);
	ck_assert_uint_eq(p.last, LOOP_READ);
	ck_assert_uint_eq(loop_nfds(l), 0);
	close(fds[0]);
	close(fds[1]);
	loop_free(l);
}
END_TEST

static void
never_cb(struct loop *l, int fd, unsigned events, void *arg)
{
	(void)l;
	(void)fd;
	(void)events;
	(void)arg;
	ck_abort_msg("callback of a deleted fd ran");
}

START_TEST(fd_register_errors)
{
	struct loop	*l;
	int		 fds[2], big;

	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(loop_add_fd(l, -1, LOOP_READ, never_cb, NULL), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(loop_add_fd(l, fds[0], LOOP_READ, NULL, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(loop_add_fd(l, fds[0], 0x10, never_cb, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(loop_mod_fd(l, fds[0], LOOP_READ), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(loop_add_fd(l, fds[0], 0, never_cb, NULL), 0);
	ck_assert_int_eq(loop_add_fd(l, fds[0], LOOP_READ, never_cb, NULL), -1);
	ck_assert_int_eq(errno, EEXIST);
	/* watched for nothing: readable data must not call back */
	ck_assert_int_eq(write(fds[1], "x", 1), 1);
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_int_eq(loop_mod_fd(l, fds[0], 0), 0);
	loop_del_fd(l, fds[0]);
	loop_del_fd(l, fds[0]);
	loop_del_fd(l, 123456);
	ck_assert_uint_eq(loop_nfds(l), 0);

	/* a high fd number grows the table (the simulator opens 10,000) */
	if ((big = fcntl(fds[0], F_DUPFD_CLOEXEC, 20000)) != -1) {
		ck_assert_int_eq(loop_add_fd(l, big, LOOP_READ, never_cb,
		    NULL), 0);
		ck_assert_uint_eq(loop_nfds(l), 1);
		loop_del_fd(l, big);
		close(big);
	}
	close(fds[0]);
	close(fds[1]);
	loop_free(l);
}
END_TEST

struct rw {
	int	 rcalls, wcalls;
	unsigned wev;
};

static void
write_cb(struct loop *l, int fd, unsigned events, void *arg)
{
	struct rw	*r = arg;

	(void)fd;
	r->wcalls++;
	r->wev = events;
	/* like a sender with nothing left queued: stop watching */
	ck_assert_int_eq(loop_mod_fd(l, fd, 0), 0);
}

static void
eof_cb(struct loop *l, int fd, unsigned events, void *arg)
{
	struct rw	*r = arg;
	char		 c;

	ck_assert_uint_eq(events, LOOP_READ);
	ck_assert_int_eq(read(fd, &c, 1), 0);
	r->rcalls++;
	loop_del_fd(l, fd);
}

START_TEST(fd_write_and_hangup)
{
	struct loop	*l;
	struct rw	 r = { 0 };
	int		 fds[2];

	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(loop_add_fd(l, fds[1], LOOP_WRITE, write_cb, &r), 0);
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_uint_eq(r.wev, LOOP_WRITE);
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	loop_del_fd(l, fds[1]);
	close(fds[1]);
	/* the writer went away: a hangup reads as readable, then EOF */
	ck_assert_int_eq(loop_add_fd(l, fds[0], LOOP_READ, eof_cb, &r), 0);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(r.rcalls, 1);
	close(fds[0]);
	loop_free(l);
}
END_TEST

struct pair {
	int	 a[2], b[2], c[2];
	int	 calls;
	int	 reused;	/* the new pipe got b's read fd number */
	int	 c_calls;
};

static void
c_cb(struct loop *l, int fd, unsigned events, void *arg)
{
	struct pair	*p = arg;

	(void)events;
	p->c_calls++;
	loop_del_fd(l, fd);
}

static void
killer_cb(struct loop *l, int fd, unsigned events, void *arg)
{
	struct pair	*p = arg;
	int		 victim;

	(void)events;
	p->calls++;
	/* whichever of the two runs first deletes the other */
	victim = fd == p->a[0] ? p->b[0] : p->a[0];
	loop_del_fd(l, fd);
	loop_del_fd(l, victim);
	close(victim);
	/*
	 * A new fd likely reuses the victim's number; its event, still queued
	 * in this batch, belonged to the old pipe and must not reach c_cb.
	 */
	ck_assert_int_eq(pipe(p->c), 0);
	p->reused = p->c[0] == victim;
	ck_assert_int_eq(write(p->c[1], "c", 1), 1);
	ck_assert_int_eq(loop_add_fd(l, p->c[0], LOOP_READ, c_cb, p), 0);
	if (victim == p->a[0])
		p->a[0] = -1;
	else
		p->b[0] = -1;
}

START_TEST(fd_delete_other_in_batch)
{
	struct loop	*l;
	struct pair	 p = { .calls = 0 };

	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_int_eq(pipe(p.a), 0);
	ck_assert_int_eq(pipe(p.b), 0);
	ck_assert_int_eq(write(p.a[1], "a", 1), 1);
	ck_assert_int_eq(write(p.b[1], "b", 1), 1);
	ck_assert_int_eq(loop_add_fd(l, p.a[0], LOOP_READ, killer_cb, &p), 0);
	ck_assert_int_eq(loop_add_fd(l, p.b[0], LOOP_READ, killer_cb, &p), 0);
	/* both are ready in one batch; only the first callback may run */
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_int_eq(p.calls, 1);
	ck_assert_int_eq(p.c_calls, 0);
	ck_assert_uint_eq(loop_nfds(l), 1);
	/* the new fd is served from the next iteration on */
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(p.c_calls, 1);
	if (p.a[0] != -1)
		close(p.a[0]);
	if (p.b[0] != -1)
		close(p.b[0]);
	close(p.a[1]);
	close(p.b[1]);
	close(p.c[0]);
	close(p.c[1]);
	loop_free(l);
}
END_TEST

struct many {
	int	 calls;
	int	*fds;
	int	 n;
};

static void
many_cb(struct loop *l, int fd, unsigned events, void *arg)
{
	struct many	*m = arg;
	int		 i;

	(void)events;
	m->calls++;
	/* the first one to run takes all the others down with it */
	for (i = 0; i < m->n; i++)
		loop_del_fd(l, m->fds[i]);
	(void)fd;
}

START_TEST(fd_delete_all_in_big_batch)
{
	struct loop	*l;
	struct many	 m = { 0 };
	int		 fds[2], i;

	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], "x", 1), 1);
	/* more ready fds than one epoll_wait batch returns */
	m.n = 600;
	ck_assert_ptr_nonnull(m.fds = calloc((size_t)m.n, sizeof(int)));
	for (i = 0; i < m.n; i++) {
		ck_assert_int_ne(m.fds[i] = dup(fds[0]), -1);
		ck_assert_int_eq(loop_add_fd(l, m.fds[i], LOOP_READ, many_cb,
		    &m), 0);
	}
	ck_assert_uint_eq(loop_nfds(l), (size_t)m.n);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(m.calls, 1);
	for (i = 0; i < m.n; i++)
		close(m.fds[i]);
	free(m.fds);
	close(fds[0]);
	close(fds[1]);
	loop_free(l);
}
END_TEST

/* --- signals, run and stop ---------------------------------------------- */

struct sigrec {
	int	 signo;
	int	 calls;
};

static void
sig_cb(struct loop *l, int signo, void *arg)
{
	struct sigrec	*s = arg;

	s->signo = signo;
	s->calls++;
	loop_stop(l);
}

/* --- deferred calls ----------------------------------------------------- */

struct dtrace {
	char		 ev[16];	/* 'f' fd callback, 'd' deferred */
	size_t		 n;
	int		 rearm;		/* deferred calls that re-arm */
	struct loop_defer d;
};

static void
dtrace_fd(struct loop *l, int fd, unsigned events, void *arg)
{
	struct dtrace	*t = arg;

	(void)fd;
	(void)events;
	if (t->n < sizeof(t->ev))
		t->ev[t->n++] = 'f';
	/* armed many times in a turn, it runs once */
	loop_defer(l, &t->d);
	loop_defer(l, &t->d);
}

static void
dtrace_defer(struct loop *l, struct loop_defer *d, void *arg)
{
	struct dtrace	*t = arg;

	ck_assert_ptr_eq(d, &t->d);
	ck_assert(!d->armed);
	if (t->n < sizeof(t->ev))
		t->ev[t->n++] = 'd';
	if (t->rearm > 0) {
		t->rearm--;
		loop_defer(l, d);
	}
}

START_TEST(defer_once_per_turn)
{
	struct loop	*l;
	struct dtrace	 t;
	int		 p[2];

	memset(&t, 0, sizeof(t));
	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	loop_defer_init(&t.d, dtrace_defer, &t);
	ck_assert_int_eq(loop_add_fd(l, p[0], LOOP_READ, dtrace_fd, &t), 0);
	/* the pipe stays readable: fd, then the deferred call before the
	 * next wait, then fd again */
	ck_assert_int_eq(loop_run_once(l, 0), 1);
	ck_assert_int_eq(loop_run_once(l, 0), 2);
	ck_assert_int_eq(loop_run_once(l, 0), 2);
	t.ev[t.n] = '\0';
	ck_assert_str_eq(t.ev, "fdfdf");
	/* cancelled: never runs */
	loop_defer_cancel(l, &t.d);
	loop_defer_cancel(l, &t.d);
	loop_del_fd(l, p[0]);
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_uint_eq(t.n, 5);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}
END_TEST

START_TEST(defer_rearm_keeps_running)
{
	struct loop	*l;
	struct dtrace	 t;

	memset(&t, 0, sizeof(t));
	ck_assert_ptr_nonnull(l = loop_new());
	loop_defer_init(&t.d, dtrace_defer, &t);
	/* nothing else to wait for: a blocking wait would hang here, and
	 * loop_run would return before the re-armed calls ran */
	t.rearm = 3;
	loop_defer(l, &t.d);
	ck_assert_int_eq(loop_run_once(l, -1), 1);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_uint_eq(t.n, 4);
	ck_assert(!t.d.armed);
	loop_free(l);
}
END_TEST

START_TEST(signal_via_signalfd)
{
	struct loop	*l;
	struct sigrec	 s = { 0 };

	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_int_eq(loop_add_signal(l, SIGUSR1, sig_cb, &s), 0);
	ck_assert_int_eq(loop_add_signal(l, SIGUSR1, sig_cb, &s), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_uint_eq(loop_nfds(l), 1);
	/* blocked now, so this would otherwise have killed the test */
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(s.calls, 1);
	ck_assert_int_eq(s.signo, SIGUSR1);
	loop_free(l);
}
END_TEST

START_TEST(run_nothing_left)
{
	struct loop		*l;
	struct loop_timer	 t;

	ck_assert_ptr_nonnull(l = loop_new());
	ck_assert_uint_eq(loop_nfds(l), 0);
	ck_assert_int_eq(loop_run(l), 0);
	loop_timer_init(&t, noop_timer, NULL);
	ck_assert_int_eq(loop_timer_set(l, &t, loop_now(l) + 5), 0);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert(!loop_timer_armed(&t));
	loop_free(l);
}
END_TEST

static void
stop_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	int	*n = arg;

	(*n)++;
	/* stays armed: loop_run must return because of loop_stop alone */
	ck_assert_int_eq(loop_timer_set(l, t, loop_now(l) + 1), 0);
	ck_assert_int_eq(loop_run_once(l, 0), -1);
	ck_assert_int_eq(errno, EBUSY);
	loop_stop(l);
}

START_TEST(run_stop)
{
	struct loop		*l;
	struct loop_timer	 t;
	int			 n = 0;

	ck_assert_ptr_nonnull(l = loop_new());
	loop_timer_init(&t, stop_cb, &n);
	ck_assert_int_eq(loop_timer_set(l, &t, loop_now(l)), 0);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(n, 1);
	ck_assert(loop_timer_armed(&t));
	/* loop_run again resumes */
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(n, 2);
	loop_timer_cancel(l, &t);
	ck_assert_int_eq(loop_run(l), 0);
	loop_free(l);
}
END_TEST

static void
slow_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)l;
	(void)t;
	(void)arg;
	usleep(60 * 1000);
}

/*
 * A stall is what a callback takes, and what the caller does between two
 * iterations; a wait is not one, and a pause leaves the time out.
 */
START_TEST(stall_measured)
{
	struct loop		*l;
	struct loop_timer	 t;
	uint64_t		 s;

	ck_assert_ptr_nonnull(l = loop_new());
	loop_timer_init(&t, slow_cb, NULL);
	ck_assert_int_eq(loop_stall_take(l), 0);
	/* a 100 ms wait, then the 60 ms callback: only the latter counts,
	 * once the next wait starts */
	ck_assert_int_eq(loop_timer_set(l, &t, loop_now(l) + 100), 0);
	ck_assert_int_eq(loop_run_once(l, -1), 1);
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	s = loop_stall_take(l);
	ck_assert_uint_ge(s, 60 * 1000);
	ck_assert_uint_lt(s, 100 * 1000 + 60 * 1000);
	ck_assert_uint_eq(loop_stall_take(l), 0);
	/* the caller's own blocking between iterations */
	usleep(80 * 1000);
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_uint_ge(loop_stall_take(l), 80 * 1000);
	/* ...unless paused */
	loop_stall_pause(l);
	usleep(80 * 1000);
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_uint_lt(loop_stall_take(l), 80 * 1000);
	loop_free(l);
}
END_TEST

static Suite *
loop_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("loop");
	tc = tcase_create("timers");
	tcase_add_test(tc, timer_order_random);
	tcase_add_test(tc, timer_order_future);
	tcase_add_test(tc, timer_cancel_middle);
	tcase_add_test(tc, timer_rearm_from_callback);
	tcase_add_test(tc, timer_rearm_now_no_spin);
	tcase_add_test(tc, timer_wait_and_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("fds");
	tcase_add_test(tc, fd_pipe_readable);
	tcase_add_test(tc, fd_register_errors);
	tcase_add_test(tc, fd_write_and_hangup);
	tcase_add_test(tc, fd_delete_other_in_batch);
	tcase_add_test(tc, fd_delete_all_in_big_batch);
	suite_add_tcase(s, tc);
	tc = tcase_create("run");
	tcase_add_test(tc, signal_via_signalfd);
	tcase_add_test(tc, run_nothing_left);
	tcase_add_test(tc, run_stop);
	tcase_add_test(tc, stall_measured);
	tcase_add_test(tc, defer_once_per_turn);
	tcase_add_test(tc, defer_rearm_keeps_running);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 nfail;

	sr = srunner_create(loop_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
