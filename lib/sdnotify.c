/* sdnotify: sd_notify(3)'s datagram protocol and a watchdog timer. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/sdnotify.h"

int
sdnotify_send(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	socklen_t salen;
	size_t plen;
	ssize_t n;
	int fd, e;

	if (path == NULL || *path == '\0')
		return 0;
	/* sd_notify(3): an absolute path, or '@' for the abstract namespace */
	if ((*path != '/' && *path != '@') ||
	    (plen = strlen(path)) >= sizeof(sa.sun_path)) {
		errno = EINVAL;
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, plen);
	if (*path == '@')
		sa.sun_path[0] = '\0';
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen +
	    (*path == '@' ? 0 : 1));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	n = sendto(fd, state, strlen(state), MSG_DONTWAIT | MSG_NOSIGNAL,
	    (struct sockaddr *)&sa, salen);
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(state) ? 0 : -1;
}

int
sdnotify_sendf(const char *fmt, ...)
{
	char s[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	return sdnotify_send(s);
}

uint64_t
sdnotify_watchdog_usec(void)
{
	const char *us = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	unsigned long long v;
	char *end;

	if (us == NULL || getenv("NOTIFY_SOCKET") == NULL)
		return 0;
	if (pid != NULL && *pid != '\0') {
		errno = 0;
		v = strtoull(pid, &end, 10);
		if (errno != 0 || *end != '\0' || v != (unsigned long long)getpid())
			return 0;
	}
	errno = 0;
	v = strtoull(us, &end, 10);
	if (errno != 0 || *end != '\0' || end == us)
		return 0;
	return v;
}

static void
on_watchdog(struct loop *l, struct loop_timer *t, void *arg)
{
	struct sdnotify_wd *wd = arg;

	(void)sdnotify_send("WATCHDOG=1");
	(void)loop_timer_set(l, t, loop_now(l) + wd->every_ms);
}

int
sdnotify_watchdog_start(struct loop *l, struct sdnotify_wd *wd)
{
	uint64_t us = sdnotify_watchdog_usec();

	loop_timer_init(&wd->t, on_watchdog, wd);
	/* half the interval, as sd_watchdog_enabled(3) advises */
	wd->every_ms = us / 2000;
	if (us == 0)
		return 0;
	if (wd->every_ms == 0)
		wd->every_ms = 1;
	(void)sdnotify_send("WATCHDOG=1");
	return loop_timer_set(l, &wd->t, loop_now(l) + wd->every_ms);
}

void
sdnotify_watchdog_stop(struct loop *l, struct sdnotify_wd *wd)
{
	if (wd->every_ms != 0)
		loop_timer_cancel(l, &wd->t);
	wd->every_ms = 0;
}
