#include <sys/epoll.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/loop.h"
#include "lib/loop_backend.h"

struct loop_backend {
	int			 epfd;
	struct epoll_event	 ev[LOOP_BATCH];
};

struct loop_backend *
loop_backend_new(void)
{
	struct loop_backend	*be;

	if ((be = calloc(1, sizeof(*be))) == NULL)
		return NULL;
	if ((be->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		free(be);
		return NULL;
	}
	return be;
}

void
loop_backend_free(struct loop_backend *be)
{
	if (be == NULL)
		return;
	close(be->epfd);
	free(be);
}

int
loop_backend_set(struct loop_backend *be, int fd, unsigned oldev,
    unsigned newev)
{
	struct epoll_event	 ee = { 0 };
	int			 op;

	if (oldev == newev)
		return 0;
	if (oldev == 0)
		op = EPOLL_CTL_ADD;
	else if (newev == 0)
		op = EPOLL_CTL_DEL;
	else
		op = EPOLL_CTL_MOD;
	/*
	 * An fd watched for nothing is taken out of epoll: epoll reports
	 * EPOLLHUP/EPOLLERR even on an empty mask, and level-triggered that
	 * would wake the loop forever for an fd nobody is listening to.
	 */
	if (newev & LOOP_READ)
		ee.events |= EPOLLIN;
	if (newev & LOOP_WRITE)
		ee.events |= EPOLLOUT;
	ee.data.fd = fd;
	return epoll_ctl(be->epfd, op, fd, &ee);
}

int
loop_backend_wait(struct loop_backend *be, struct loop_event *ev,
    int timeout_ms)
{
	int	 i, n;

	if ((n = epoll_wait(be->epfd, be->ev, LOOP_BATCH, timeout_ms)) == -1) {
		/* a signal without SA_RESTART: the loop recomputes its wait */
		if (errno == EINTR)
			return 0;
		return -1;
	}
	for (i = 0; i < n; i++) {
		ev[i].fd = be->ev[i].data.fd;
		ev[i].events = 0;
		if (be->ev[i].events & EPOLLIN)
			ev[i].events |= LOOP_READ;
		if (be->ev[i].events & EPOLLOUT)
			ev[i].events |= LOOP_WRITE;
		/* let the callback's read or write pick up the error itself */
		if (be->ev[i].events & (EPOLLERR | EPOLLHUP))
			ev[i].events |= LOOP_READ | LOOP_WRITE;
	}
	return n;
}
