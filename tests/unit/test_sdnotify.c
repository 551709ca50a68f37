#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/loop.h"
#include "lib/sdnotify.h"
#include "tests/unit/ckmain.h"

/* A manager's end: a datagram socket at name (abstract when it starts
 * with '@', as NOTIFY_SOCKET says), NOTIFY_SOCKET set to it. */
static int
listener(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, name);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(name));
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	else {
		unlink(name);
		len++;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, len), 0);
	setenv("NOTIFY_SOCKET", name, 1);
	return fd;
}

static ssize_t
take(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return n;
}

START_TEST(abstract_and_path)
{
	char name[64], buf[256];
	int fd;

	snprintf(name, sizeof(name), "@bmcfleet-test-sdn-%d", (int)getpid());
	fd = listener(name);
	ck_assert_int_eq(sdnotify_send("READY=1\nSTATUS=up"), 0);
	ck_assert_int_gt(take(fd, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "READY=1\nSTATUS=up");
	ck_assert_int_eq(sdnotify_sendf("STATUS=sweep %d: %s", 7, "ok"), 0);
	take(fd, buf, sizeof(buf));
	ck_assert_str_eq(buf, "STATUS=sweep 7: ok");
	close(fd);

	snprintf(name, sizeof(name), "/tmp/bmcfleet-test-sdn-%d", (int)getpid());
	fd = listener(name);
	ck_assert_int_eq(sdnotify_send("STOPPING=1"), 0);
	take(fd, buf, sizeof(buf));
	ck_assert_str_eq(buf, "STOPPING=1");
	close(fd);
	unlink(name);
	/* nobody there now: the caller hears of it */
	ck_assert_int_eq(sdnotify_send("STOPPING=1"), -1);
	/* a relative path is not the protocol's */
	setenv("NOTIFY_SOCKET", "relative", 1);
	ck_assert_int_eq(sdnotify_send("READY=1"), -1);
	/* not under systemd: nothing to do, nothing wrong */
	unsetenv("NOTIFY_SOCKET");
	ck_assert_int_eq(sdnotify_send("READY=1"), 0);
}
END_TEST

START_TEST(watchdog_env)
{
	char pid[32];

	unsetenv("NOTIFY_SOCKET");
	setenv("WATCHDOG_USEC", "60000000", 1);
	unsetenv("WATCHDOG_PID");
	/* no socket to ping: no watchdog */
	ck_assert_uint_eq(sdnotify_watchdog_usec(), 0);
	setenv("NOTIFY_SOCKET", "@x", 1);
	ck_assert_uint_eq(sdnotify_watchdog_usec(), 60000000);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	ck_assert_uint_eq(sdnotify_watchdog_usec(), 60000000);
	/* meant for another process (a parent that exec'd us not) */
	snprintf(pid, sizeof(pid), "%d", (int)getpid() + 1);
	setenv("WATCHDOG_PID", pid, 1);
	ck_assert_uint_eq(sdnotify_watchdog_usec(), 0);
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "60s", 1);
	ck_assert_uint_eq(sdnotify_watchdog_usec(), 0);
	unsetenv("WATCHDOG_USEC");
	ck_assert_uint_eq(sdnotify_watchdog_usec(), 0);
	unsetenv("NOTIFY_SOCKET");
}
END_TEST

static void
stop_it(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	loop_stop(l);
}

START_TEST(watchdog_pings_from_the_loop)
{
	char name[64], buf[64];
	struct sdnotify_wd wd;
	struct loop_timer end;
	struct loop *l = loop_new();
	int fd, n = 0;

	ck_assert_ptr_nonnull(l);
	snprintf(name, sizeof(name), "@bmcfleet-test-wd-%d", (int)getpid());
	fd = listener(name);
	/* 40 ms: a ping every 20 ms, one at the start */
	setenv("WATCHDOG_USEC", "40000", 1);
	ck_assert_int_eq(sdnotify_watchdog_start(l, &wd), 0);
	ck_assert_uint_eq(wd.every_ms, 20);
	loop_timer_init(&end, stop_it, NULL);
	loop_timer_set(l, &end, loop_now(l) + 110);
	ck_assert_int_eq(loop_run(l), 0);
	while (take(fd, buf, sizeof(buf)) > 0) {
		ck_assert_str_eq(buf, "WATCHDOG=1");
		n++;
	}
	ck_assert_int_ge(n, 5);
	ck_assert_int_le(n, 7);
	/* stopped: the loop has nothing left and returns */
	sdnotify_watchdog_stop(l, &wd);
	ck_assert_int_eq(loop_timer_armed(&wd.t), 0);
	/* no watchdog asked: start arms nothing */
	unsetenv("WATCHDOG_USEC");
	ck_assert_int_eq(sdnotify_watchdog_start(l, &wd), 0);
	ck_assert_int_eq(loop_timer_armed(&wd.t), 0);
	close(fd);
	loop_free(l);
	unsetenv("NOTIFY_SOCKET");
}
END_TEST

static Suite *
sdnotify_suite(void)
{
	Suite *s = suite_create("sdnotify");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, abstract_and_path);
	tcase_add_test(tc, watchdog_env);
	tcase_add_test(tc, watchdog_pings_from_the_loop);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(sdnotify_suite());
}
