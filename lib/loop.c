#include <sys/signalfd.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/loop.h"
#include "lib/loop_backend.h"

struct loop_fde {
	loop_fd_cb	*cb;		/* NULL: fd not registered */
	void		*arg;
	unsigned	 events;
	uint64_t	 epoch;		/* loop->epoch when registered */
};

struct loop_sig {
	struct loop_sig	*next;
	int		 fd;
	int		 signo;
	loop_signal_cb	*cb;
	void		*arg;
};

struct loop {
	struct loop_backend	*be;
	struct loop_fde		*fds;	/* indexed by fd */
	size_t			 fdcap;
	size_t			 nfds;
	struct loop_timer	**heap;
	size_t			 nheap;
	size_t			 heapcap;
	struct loop_sig		*sigs;
	struct loop_defer	*defer_head, *defer_tail;	/* armed, FIFO */
	size_t			 ndefer;
	uint64_t		 now;	/* ms, cached while dispatching */
	uint64_t		 epoch;	/* one per wait */
	int			 dispatching;
	int			 stop;
	uint64_t		 woke_us;	/* the last wait's end, 0: none */
	uint64_t		 stall_max_us;
	struct loop_event	 fired[LOOP_BATCH];
};

static uint64_t
mono_us(void)
{
	struct timespec	 ts;

	/* CLOCK_MONOTONIC cannot fail with a valid pointer */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

struct loop *
loop_new(void)
{
	struct loop	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if ((l->be = loop_backend_new()) == NULL) {
		free(l);
		return NULL;
	}
	l->now = mono_us() / 1000;
	return l;
}

void
loop_free(struct loop *l)
{
	struct loop_sig	*s, *next;

	if (l == NULL)
		return;
	for (s = l->sigs; s != NULL; s = next) {
		next = s->next;
		close(s->fd);
		free(s);
	}
	loop_backend_free(l->be);
	free(l->fds);
	free(l->heap);
	free(l);
}

/* --- fds ---------------------------------------------------------------- */

static struct loop_fde *
fde_get(struct loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->fdcap || l->fds[fd].cb == NULL)
		return NULL;
	return &l->fds[fd];
}

static int
fd_grow(struct loop *l, int fd)
{
	struct loop_fde	*n;
	size_t		 cap;

	if ((size_t)fd < l->fdcap)
		return 0;
	cap = l->fdcap < 64 ? 64 : l->fdcap;
	while (cap <= (size_t)fd)
		cap *= 2;
	if (cap > SIZE_MAX / sizeof(*n)) {
		errno = ENOMEM;
		return -1;
	}
	if ((n = realloc(l->fds, cap * sizeof(*n))) == NULL)
		return -1;
	memset(n + l->fdcap, 0, (cap - l->fdcap) * sizeof(*n));
	l->fds = n;
	l->fdcap = cap;
	return 0;
}

int
loop_add_fd(struct loop *l, int fd, unsigned events, loop_fd_cb *cb,
    void *arg)
{
	struct loop_fde	*fde;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (cb == NULL || (events & ~(unsigned)(LOOP_READ | LOOP_WRITE))) {
		errno = EINVAL;
		return -1;
	}
	if (fde_get(l, fd) != NULL) {
		errno = EEXIST;
		return -1;
	}
	if (fd_grow(l, fd) == -1)
		return -1;
	if (loop_backend_set(l->be, fd, 0, events) == -1)
		return -1;
	fde = &l->fds[fd];
	fde->cb = cb;
	fde->arg = arg;
	fde->events = events;
	/* events already fetched for an earlier holder of this fd number */
	fde->epoch = l->epoch;
	l->nfds++;
	return 0;
}

int
loop_mod_fd(struct loop *l, int fd, unsigned events)
{
	struct loop_fde	*fde;

	if ((fde = fde_get(l, fd)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (events & ~(unsigned)(LOOP_READ | LOOP_WRITE)) {
		errno = EINVAL;
		return -1;
	}
	if (loop_backend_set(l->be, fd, fde->events, events) == -1)
		return -1;
	fde->events = events;
	return 0;
}

void
loop_del_fd(struct loop *l, int fd)
{
	struct loop_fde	*fde;

	if ((fde = fde_get(l, fd)) == NULL)
		return;
	/* fails only if the caller closed fd first: the kernel forgot it */
	(void)loop_backend_set(l->be, fd, fde->events, 0);
	memset(fde, 0, sizeof(*fde));
	l->nfds--;
}

size_t
loop_nfds(struct loop *l)
{
	return l->nfds;
}

/* --- timers: a binary min-heap on when, idx = slot + 1 ------------------- */

static void
heap_place(struct loop *l, size_t i, struct loop_timer *t)
{
	l->heap[i] = t;
	t->idx = i + 1;
}

static void
heap_up(struct loop *l, size_t i)
{
	struct loop_timer	*t = l->heap[i];
	size_t			 parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (l->heap[parent]->when <= t->when)
			break;
		heap_place(l, i, l->heap[parent]);
		i = parent;
	}
	heap_place(l, i, t);
}

static void
heap_down(struct loop *l, size_t i)
{
	struct loop_timer	*t = l->heap[i];
	size_t			 c;

	while ((c = 2 * i + 1) < l->nheap) {
		if (c + 1 < l->nheap && l->heap[c + 1]->when < l->heap[c]->when)
			c++;
		if (t->when <= l->heap[c]->when)
			break;
		heap_place(l, i, l->heap[c]);
		i = c;
	}
	heap_place(l, i, t);
}

static void
heap_fix(struct loop *l, size_t i)
{
	if (i > 0 && l->heap[i]->when < l->heap[(i - 1) / 2]->when)
		heap_up(l, i);
	else
		heap_down(l, i);
}

/*
 * Whether t sits in this loop's heap.  A timer copied by value, or left
 * armed in a loop since freed, has an idx that points elsewhere: treat it
 * as disarmed rather than corrupt the heap.
 */
static int
heap_has(const struct loop *l, const struct loop_timer *t)
{
	return t->idx != 0 && t->idx <= l->nheap && l->heap[t->idx - 1] == t;
}

static void
heap_remove(struct loop *l, struct loop_timer *t)
{
	size_t		 i = t->idx - 1;

	t->idx = 0;
	if (i == --l->nheap)
		return;
	heap_place(l, i, l->heap[l->nheap]);
	heap_fix(l, i);
}

void
loop_timer_init(struct loop_timer *t, loop_timer_cb *cb, void *arg)
{
	t->when = 0;
	t->idx = 0;
	t->cb = cb;
	t->arg = arg;
}

int
loop_timer_set(struct loop *l, struct loop_timer *t, uint64_t when_ms)
{
	struct loop_timer	**n;
	size_t			 cap;

	if (t->cb == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (heap_has(l, t)) {
		t->when = when_ms;
		heap_fix(l, t->idx - 1);
		return 0;
	}
	if (l->nheap == l->heapcap) {
		cap = l->heapcap < 16 ? 16 : l->heapcap * 2;
		if (cap > SIZE_MAX / sizeof(*n)) {
			errno = ENOMEM;
			return -1;
		}
		if ((n = realloc(l->heap, cap * sizeof(*n))) == NULL)
			return -1;
		l->heap = n;
		l->heapcap = cap;
	}
	t->when = when_ms;
	heap_place(l, l->nheap++, t);
	heap_up(l, l->nheap - 1);
	return 0;
}

void
loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	if (heap_has(l, t))
		heap_remove(l, t);
}

int
loop_timer_armed(const struct loop_timer *t)
{
	return t->idx != 0;
}

uint64_t
loop_now(struct loop *l)
{
	if (!l->dispatching)
		l->now = mono_us() / 1000;
	return l->now;
}

uint64_t
loop_now_us(struct loop *l)
{
	(void)l;
	return mono_us();
}

/* --- signals ------------------------------------------------------------ */

static void
signal_readable(struct loop *l, int fd, unsigned events, void *arg)
{
	struct loop_sig			*s = arg;
	struct signalfd_siginfo		 si;
	ssize_t				 n;

	(void)events;
	/* one callback per delivery; standard signals coalesce in the kernel */
	while ((n = read(fd, &si, sizeof(si))) == (ssize_t)sizeof(si)) {
		s->cb(l, (int)si.ssi_signo, s->arg);
		/* the callback may have taken this signalfd away */
		if (fde_get(l, fd) == NULL || l->fds[fd].arg != s)
			break;
	}
}

int
loop_add_signal(struct loop *l, int signo, loop_signal_cb *cb, void *arg)
{
	struct loop_sig	*s;
	sigset_t	 set;
	int		 rc;

	if (cb == NULL) {
		errno = EINVAL;
		return -1;
	}
	for (s = l->sigs; s != NULL; s = s->next) {
		if (s->signo == signo) {
			errno = EEXIST;
			return -1;
		}
	}
	sigemptyset(&set);
	if (sigaddset(&set, signo) == -1)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	s->signo = signo;
	s->cb = cb;
	s->arg = arg;
	/* blocked, or the default action would run before signalfd sees it */
	if ((rc = pthread_sigmask(SIG_BLOCK, &set, NULL)) != 0) {
		free(s);
		errno = rc;
		return -1;
	}
	if ((s->fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		free(s);
		return -1;
	}
	if (loop_add_fd(l, s->fd, LOOP_READ, signal_readable, s) == -1) {
		rc = errno;
		close(s->fd);
		free(s);
		errno = rc;
		return -1;
	}
	s->next = l->sigs;
	l->sigs = s;
	return 0;
}

/* --- deferred calls ----------------------------------------------------- */

void
loop_defer_init(struct loop_defer *d, loop_defer_cb *cb, void *arg)
{
	memset(d, 0, sizeof(*d));
	d->cb = cb;
	d->arg = arg;
}

void
loop_defer(struct loop *l, struct loop_defer *d)
{
	if (d->armed)
		return;
	d->armed = 1;
	d->next = NULL;
	d->prev = l->defer_tail;
	if (l->defer_tail != NULL)
		l->defer_tail->next = d;
	else
		l->defer_head = d;
	l->defer_tail = d;
	l->ndefer++;
}

void
loop_defer_cancel(struct loop *l, struct loop_defer *d)
{
	if (!d->armed)
		return;
	if (d->prev != NULL)
		d->prev->next = d->next;
	else
		l->defer_head = d->next;
	if (d->next != NULL)
		d->next->prev = d->prev;
	else
		l->defer_tail = d->prev;
	d->next = d->prev = NULL;
	d->armed = 0;
	l->ndefer--;
}

/* Run what was armed when we came here; what they arm runs next turn. */
static int
run_deferred(struct loop *l)
{
	size_t		 budget = l->ndefer;
	struct loop_defer *d;
	int		 ncb = 0;

	l->dispatching = 1;
	while (budget-- > 0 && (d = l->defer_head) != NULL) {
		loop_defer_cancel(l, d);
		d->cb(l, d, d->arg);
		ncb++;
	}
	l->dispatching = 0;
	return ncb;
}

/* --- running ------------------------------------------------------------ */

static int
wait_timeout(struct loop *l, int max_wait_ms)
{
	uint64_t	 delta;

	if (l->ndefer > 0)
		return 0;
	if (l->nheap == 0 || max_wait_ms == 0)
		return max_wait_ms;
	if (l->heap[0]->when <= l->now)
		return 0;
	delta = l->heap[0]->when - l->now;
	if (delta > INT_MAX)
		delta = INT_MAX;
	if (max_wait_ms > 0 && (uint64_t)max_wait_ms < delta)
		return max_wait_ms;
	return (int)delta;
}

static int
dispatch_fds(struct loop *l, int n)
{
	struct loop_fde	*fde;
	unsigned	 ev;
	int		 i, ncb = 0;

	for (i = 0; i < n; i++) {
		/* looked up afresh: earlier callbacks may have changed it */
		if ((fde = fde_get(l, l->fired[i].fd)) == NULL)
			continue;
		if (fde->epoch == l->epoch)
			continue;
		if ((ev = l->fired[i].events & fde->events) == 0)
			continue;
		fde->cb(l, l->fired[i].fd, ev, fde->arg);
		ncb++;
	}
	return ncb;
}

static int
dispatch_timers(struct loop *l)
{
	struct loop_timer	*t;
	size_t			 budget = l->nheap;
	int			 ncb = 0;

	/*
	 * The budget stops a callback that re-arms its timer at loop_now()
	 * from spinning here forever; what is left fires next iteration,
	 * after a zero-timeout look at the fds.
	 */
	while (budget-- > 0 && l->nheap > 0 && l->heap[0]->when <= l->now) {
		t = l->heap[0];
		heap_remove(l, t);
		t->cb(l, t, t->arg);
		ncb++;
	}
	return ncb;
}

int
loop_run_once(struct loop *l, int max_wait_ms)
{
	int	 n, ncb, nd;

	if (l->dispatching) {
		errno = EBUSY;
		return -1;
	}
	l->now = mono_us() / 1000;
	nd = run_deferred(l);
	if (max_wait_ms < 0) {
		/* nothing could ever wake us */
		if (l->nfds == 0 && l->nheap == 0 && l->ndefer == 0)
			return nd;
		max_wait_ms = -1;
	}
	{
		uint64_t	 t = mono_us();

		if (l->woke_us != 0 && t - l->woke_us > l->stall_max_us)
			l->stall_max_us = t - l->woke_us;
		l->now = t / 1000;
	}
	if ((n = loop_backend_wait(l->be, l->fired,
	    wait_timeout(l, max_wait_ms))) == -1)
		return -1;
	l->woke_us = mono_us();
	l->now = l->woke_us / 1000;
	l->epoch++;
	l->dispatching = 1;
	ncb = dispatch_fds(l, n);
	ncb += dispatch_timers(l);
	l->dispatching = 0;
	return ncb + nd;
}

int
loop_run(struct loop *l)
{
	l->stop = 0;
	while (!l->stop) {
		if (l->nfds == 0 && l->nheap == 0 && l->ndefer == 0)
			return 0;
		if (loop_run_once(l, -1) == -1)
			return -1;
	}
	return 0;
}

void
loop_stop(struct loop *l)
{
	l->stop = 1;
}

uint64_t
loop_stall_take(struct loop *l)
{
	uint64_t	 max = l->stall_max_us;

	l->stall_max_us = 0;
	return max;
}

void
loop_stall_pause(struct loop *l)
{
	l->woke_us = 0;
}

uint64_t
loop_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
