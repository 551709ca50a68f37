/*
 * loop: a single-threaded event loop in the manner of Redis ae.c.
 *
 * File descriptors are watched level-triggered for LOOP_READ and LOOP_WRITE;
 * an error or hangup on an fd is reported as every event it is watched for,
 * so the callback's next read or write sees the error.  Timers are
 * caller-owned structs kept in a binary min-heap on CLOCK_MONOTONIC: arming
 * and cancelling are O(log n) and allocate only when the heap grows.
 * Signals arrive through signalfd and are dispatched like any other fd.
 *
 * Callbacks may add, modify and delete any fd, and set or cancel any timer
 * (the one firing included), while the loop dispatches: events still queued
 * for an fd deleted earlier in the same batch are dropped, and so are events
 * for an fd number that was deleted and registered again in that batch.
 * The loop is not re-entrant: loop_run_once from a callback fails (EBUSY),
 * and loop_free must not be called from a callback.
 *
 * Functions returning int return 0 on success and -1 with errno set on
 * failure, unless stated otherwise.
 */
#ifndef BMCFLEET_LIB_LOOP_H
#define BMCFLEET_LIB_LOOP_H

#include <stddef.h>
#include <stdint.h>

struct loop;
struct loop_timer;

enum {
	LOOP_READ = 1 << 0,
	LOOP_WRITE = 1 << 1,
};

/* events is the subset of LOOP_READ | LOOP_WRITE that is ready. */
typedef void	loop_fd_cb(struct loop *, int fd, unsigned events, void *arg);
/* The timer is disarmed before its callback runs, which may re-arm it. */
typedef void	loop_timer_cb(struct loop *, struct loop_timer *, void *arg);
typedef void	loop_signal_cb(struct loop *, int signo, void *arg);
struct loop_defer;
typedef void	loop_defer_cb(struct loop *, struct loop_defer *, void *arg);

/*
 * Owned by the caller, who keeps it alive while it is armed.  Zero it or
 * call loop_timer_init before the first loop_timer_set; cb and arg may be
 * changed while the timer is not armed.  Timers with the same deadline fire
 * in no particular order.
 */
struct loop_timer {
	uint64_t	 when;	/* absolute deadline, loop_now() units (ms) */
	size_t		 idx;	/* heap slot + 1; 0 = not armed */
	loop_timer_cb	*cb;
	void		*arg;
};

/*
 * A one-shot call just before the loop's next wait: work that the
 * callbacks of one turn produce piecemeal, done once at its end (the
 * datagrams many sessions queued, sent with one system call).  Owned by
 * the caller, who keeps it alive while it is armed; zero it or call
 * loop_defer_init first.  loop_defer arms it (a no-op if armed);
 * loop_defer_cancel disarms it (a no-op if not).  A deferred callback may
 * arm any deferral again, its own included: that one runs before the
 * wait after, and the wait in between does not block.  An armed deferral
 * counts as something to wait for (loop_run does not return).
 */
struct loop_defer {
	struct loop_defer *next, *prev;
	int		 armed;
	loop_defer_cb	*cb;
	void		*arg;
};
void	loop_defer_init(struct loop_defer *, loop_defer_cb *, void *arg);
void	loop_defer(struct loop *, struct loop_defer *);
void	loop_defer_cancel(struct loop *, struct loop_defer *);

/*
 * A new loop, or NULL with errno set.  loop_free releases the loop and the
 * signalfds it created.  It closes no caller fd and does not touch timers
 * still armed (they keep a stale idx: loop_timer_init them before reuse);
 * signals added with loop_add_signal stay blocked.
 */
struct loop *loop_new(void);
void	loop_free(struct loop *);

/*
 * Watch fd (>= 0, not yet registered) for events, which may be 0 to
 * register it without watching anything yet.  cb must not be NULL.  Fails
 * with EEXIST for an fd already registered, and with whatever epoll_ctl(2)
 * says (EPERM for a regular file).  Call loop_del_fd before close(fd).
 */
int	loop_add_fd(struct loop *, int fd, unsigned events, loop_fd_cb *,
	    void *arg);
/* Change the events watched on a registered fd (ENOENT if it is not). */
int	loop_mod_fd(struct loop *, int fd, unsigned events);
/* Forget fd; a no-op if it is not registered. */
void	loop_del_fd(struct loop *, int fd);
size_t	loop_nfds(struct loop *);	/* registered fds, signalfds too */

void	loop_timer_init(struct loop_timer *, loop_timer_cb *, void *arg);
/*
 * Arm the timer to fire once loop_now() >= when_ms, or move it if it is
 * already armed.  A deadline in the past fires on the next iteration.
 * Fails with EINVAL if the timer has no callback, ENOMEM if the heap cannot
 * grow.
 */
int	loop_timer_set(struct loop *, struct loop_timer *, uint64_t when_ms);
/* Disarm the timer; a no-op if it is not armed. */
void	loop_timer_cancel(struct loop *, struct loop_timer *);
int	loop_timer_armed(const struct loop_timer *);

/*
 * Milliseconds on CLOCK_MONOTONIC since an arbitrary epoch.  While the loop
 * dispatches, the value is the one read when the iteration's wait ended, so
 * every callback of a batch sees the same time; outside dispatch it is read
 * fresh.  loop_now_us is the same clock in microseconds, always read fresh
 * (loop_now_us() / 1000 >= loop_now()).
 */
uint64_t loop_now(struct loop *);
uint64_t loop_now_us(struct loop *);
/* The wall clock (CLOCK_REALTIME) in ms since 1970: for what is stored or
 * shown, never for timers (they take loop_now's monotonic time). */
uint64_t loop_wall_ms(void);

/*
 * Call cb whenever signo arrives.  The signal is blocked in the calling
 * thread and read from a signalfd, so cb runs from the loop, not from a
 * signal handler.  Fails with EEXIST if signo already has a callback.
 */
int	loop_add_signal(struct loop *, int signo, loop_signal_cb *cb,
	    void *arg);

/*
 * Run until loop_stop() is called or nothing is left to wait for (no fds
 * and no armed timers).  Returns 0, or -1 if waiting failed.  loop_stop
 * takes effect once the current iteration has been dispatched.
 */
int	loop_run(struct loop *);
/*
 * One iteration: wait for at most max_wait_ms (-1: until an fd is ready or
 * the first timer is due; returns at once if there is nothing to wait for),
 * then dispatch ready fds and due timers.  Returns the number of callbacks
 * run, or -1.
 */
int	loop_run_once(struct loop *, int max_wait_ms);
void	loop_stop(struct loop *);

/*
 * Stalls: the time from the end of one wait to the start of the next, in
 * microseconds: what the callbacks took, and whatever the caller did
 * between iterations (a blocking call there included), during which no
 * fd, timer or signal is served.  loop_stall_take returns the longest
 * since the last take (or the loop's start) and starts anew;
 * loop_stall_pause leaves the time until the next wait uncounted (the
 * caller serves nothing on purpose then, e.g. runs another loop).
 */
uint64_t loop_stall_take(struct loop *);
void	loop_stall_pause(struct loop *);

#endif
