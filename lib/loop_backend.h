/*
 * loop_backend: the readiness API under lib/loop.c.  Internal to the
 * loop; only loop.c and loop_epoll.c include this header.
 *
 * The backend knows fds and LOOP_READ/LOOP_WRITE masks, nothing about
 * callbacks or timers, so a kqueue or poll backend is one more file.
 */
#ifndef BMCFLEET_LIB_LOOP_BACKEND_H
#define BMCFLEET_LIB_LOOP_BACKEND_H

#define LOOP_BATCH	256	/* most events returned by one wait */

struct loop_backend;

struct loop_event {
	int		 fd;
	unsigned	 events;	/* LOOP_READ | LOOP_WRITE */
};

/* NULL with errno set on failure. */
struct loop_backend	*loop_backend_new(void);
void			 loop_backend_free(struct loop_backend *);
/*
 * Change what fd is watched for from oldev to newev; a mask of 0 means not
 * watched at all, so this adds, modifies or removes.  0, or -1 with errno.
 */
int	loop_backend_set(struct loop_backend *, int fd, unsigned oldev,
	    unsigned newev);
/*
 * Wait up to timeout_ms (-1: forever) and store at most LOOP_BATCH ready
 * fds in ev.  Errors and hangups are reported as LOOP_READ | LOOP_WRITE.
 * Returns the number stored, 0 on timeout or EINTR, -1 with errno.
 */
int	loop_backend_wait(struct loop_backend *, struct loop_event *ev,
	    int timeout_ms);

#endif
