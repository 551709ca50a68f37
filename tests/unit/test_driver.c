/*
 * The driver against sockets that never answer or are not there: failure
 * classification, the fan-out cap, and that every host is finished once.
 * Full sessions against simulated BMCs are in tests/integration/.
 */
#include <check.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collector/driver.h"
#include "lib/loop.h"

struct ctx {
	unsigned	done;
	unsigned	steps;
	size_t		max_inflight;
	size_t		inflight;
};

static enum drv_step
step(void *arg, struct drv_target *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct ctx *c = arg;

	(void)t;
	(void)rsp;
	(void)req;
	c->steps++;
	return DRV_STEP_DONE;
}

static void
done(void *arg, struct drv_target *t)
{
	struct ctx *c = arg;

	(void)t;
	c->done++;
}

/* a bound UDP socket that reads nothing: a BMC that never answers */
static int
silent_socket(uint16_t *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void
base_cfg(struct driver_cfg *dc, struct ctx *c)
{
	static const uint8_t pw[] = "pw";

	memset(dc, 0, sizeof(*dc));
	dc->step = step;
	dc->done = done;
	dc->arg = c;
	dc->session.iface = IPMI_IFACE_LANPLUS;
	dc->session.cipher_suite = IPMI_SUITE_AUTO;
	dc->session.auth_type = IPMI_AUTHTYPE_AUTO;
	dc->session.priv = IPMI_PRIV_ADMIN;
	dc->session.user = "admin";
	dc->session.password = pw;
	dc->session.password_len = 2;
	dc->session.timeout_ms = 20;
	dc->session.retries = 1;
}

START_TEST(test_timeouts_and_fanout)
{
	struct drv_target t[5], *tv[5];
	struct driver_cfg dc;
	struct ctx c = { 0 };
	struct loop *l = loop_new();
	uint16_t port;
	int fd = silent_socket(&port);

	base_cfg(&dc, &c);
	dc.fanout = 2;
	memset(t, 0, sizeof(t));
	for (int i = 0; i < 5; i++) {
		t[i].name = t[i].host = "127.0.0.1";
		t[i].port = port;
		tv[i] = &t[i];
	}
	ck_assert_int_eq(driver_run(l, &dc, tv, 5), 1);
	ck_assert_uint_eq(c.done, 5);
	ck_assert_uint_eq(c.steps, 0);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(t[i].fail, DRV_FAIL_TIMEOUT);
		ck_assert_int_eq(t[i].err, IPMI_E_TIMEOUT);
		ck_assert_ptr_nonnull(strstr(t[i].errmsg, "get-channel-auth-caps"));
		ck_assert_uint_ge(t[i].end_ms, t[i].start_ms);
	}
	/* fan-out 2: the third host starts only after one of the first two
	 * finished, the fifth after the third or fourth */
	ck_assert_uint_ge(t[2].start_ms, t[0].end_ms < t[1].end_ms ?
	    t[0].end_ms : t[1].end_ms);
	ck_assert_uint_ge(t[4].start_ms, t[2].end_ms < t[3].end_ms ?
	    t[2].end_ms : t[3].end_ms);
	close(fd);
	loop_free(l);
}
END_TEST

START_TEST(test_unreachable)
{
	struct drv_target t, *tv = &t;
	struct driver_cfg dc;
	struct ctx c = { 0 };
	struct loop *l = loop_new();
	uint16_t port;
	int fd = silent_socket(&port);

	/* close it again: the port is now (almost certainly) unused, and
	 * loopback answers with ICMP port unreachable */
	close(fd);
	base_cfg(&dc, &c);
	memset(&t, 0, sizeof(t));
	t.name = t.host = "127.0.0.1";
	t.port = port;
	ck_assert_int_eq(driver_run(l, &dc, &tv, 1), 1);
	ck_assert_uint_eq(c.done, 1);
	ck_assert_int_eq(t.fail, DRV_FAIL_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(t.errmsg, "connection refused"));
	loop_free(l);
}
END_TEST

START_TEST(test_refused_before_any_packet)
{
	struct drv_target t, *tv = &t;
	struct driver_cfg dc;
	struct ctx c = { 0 };
	struct loop *l = loop_new();

	base_cfg(&dc, &c);
	dc.session.cipher_suite = 0;	/* refused without IPMI_SESS_INSECURE */
	memset(&t, 0, sizeof(t));
	t.name = t.host = "127.0.0.1";
	t.port = 9;
	ck_assert_int_eq(driver_run(l, &dc, &tv, 1), 1);
	ck_assert_int_eq(t.fail, DRV_FAIL_INSECURE);
	ck_assert_ptr_nonnull(strstr(t.errmsg, "cipher suite 0 refused"));
	ck_assert_uint_eq(c.done, 1);
	ck_assert_int_eq(driver_run(l, &dc, &tv, 0), 0);
	loop_free(l);
}
END_TEST

/* the first host to finish stops the loop, as the collector does when
 * its spool refuses rows */
static void
done_stop(void *arg, struct drv_target *t)
{
	struct ctx *c = arg;
	extern struct loop *test_loop;

	(void)t;
	if (c->done++ == 0)
		loop_stop(test_loop);
}
struct loop *test_loop;

static void
on_quit(struct loop *l, struct loop_timer *tm, void *arg)
{
	(void)tm;
	(void)arg;
	loop_stop(l);
}

START_TEST(test_stopped_mid_run)
{
	struct drv_target t[4], *tv[4];
	struct ipmi_session_cfg fast;
	struct driver_cfg dc;
	struct ctx c = { 0 };
	struct loop_timer quit;
	uint16_t port;
	int fd = silent_socket(&port);

	test_loop = loop_new();
	base_cfg(&dc, &c);
	dc.done = done_stop;
	dc.fanout = 3;
	dc.session.timeout_ms = 200;
	dc.session.retries = 5;
	fast = dc.session;
	fast.timeout_ms = 20;
	fast.retries = 0;
	memset(t, 0, sizeof(t));
	for (int i = 0; i < 4; i++) {
		t[i].name = t[i].host = "127.0.0.1";
		t[i].port = port;
		tv[i] = &t[i];
	}
	t[0].session = &fast;
	ck_assert_int_eq(driver_run(test_loop, &dc, tv, 4), 1);
	/* the first finished (and the fourth took its place); the three in
	 * flight when the loop stopped were failed and handed back */
	ck_assert_uint_eq(c.done, 4);
	ck_assert_int_eq(t[0].fail, DRV_FAIL_TIMEOUT);
	for (int i = 1; i < 4; i++) {
		ck_assert_int_eq(t[i].fail, DRV_FAIL_ABORTED);
		ck_assert_uint_lt(t[i].end_ms - t[i].start_ms, 200);
	}
	/* nothing of the run is left in the loop: running it again must not
	 * call back into driver_run's dead frame (ASan: use after return) */
	ck_assert_uint_eq(loop_nfds(test_loop), 0);
	loop_timer_init(&quit, on_quit, NULL);
	loop_timer_set(test_loop, &quit, loop_now(test_loop) + 500);
	ck_assert_int_eq(loop_run(test_loop), 0);
	ck_assert_uint_eq(c.done, 4);
	close(fd);
	loop_free(test_loop);
}
END_TEST

START_TEST(test_deadline)
{
	struct drv_target t[2], *tv[2];
	struct driver_cfg dc;
	struct ctx c = { 0 };
	struct loop *l = loop_new();
	uint16_t port;
	int fd = silent_socket(&port);

	base_cfg(&dc, &c);
	/* 20 resends of 200 ms: 4 s without a deadline */
	dc.session.timeout_ms = 200;
	dc.session.retries = 20;
	dc.host_deadline_ms = 300;
	memset(t, 0, sizeof(t));
	for (int i = 0; i < 2; i++) {
		t[i].name = t[i].host = "127.0.0.1";
		t[i].port = port;
		tv[i] = &t[i];
	}
	ck_assert_int_eq(driver_run(l, &dc, tv, 2), 1);
	ck_assert_uint_eq(c.done, 2);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(t[i].fail, DRV_FAIL_DEADLINE);
		ck_assert_ptr_nonnull(strstr(t[i].errmsg, "not done after"));
		ck_assert_uint_ge(t[i].end_ms - t[i].start_ms, 300);
		ck_assert_uint_lt(t[i].end_ms - t[i].start_ms, 1000);
	}
	ck_assert_str_eq(drv_fail_name(DRV_FAIL_DEADLINE), "deadline");
	close(fd);
	loop_free(l);
}
END_TEST

/*
 * driver_open: targets added while another driver runs on the loop
 * finish on their own (fan-out kept) and never stop the loop under the
 * other; one added again after it finished runs again; driver_close
 * aborts what is in flight and leaves nothing in the loop.
 */
START_TEST(test_persistent)
{
	struct drv_target t[4], slow, *sv[1] = { &slow };
	struct ipmi_session_cfg fast;
	struct driver_cfg dc, dslow;
	struct ctx c = { 0 }, cs = { 0 };
	struct driver *d;
	struct loop *l = loop_new();
	uint16_t port;
	int fd = silent_socket(&port);

	base_cfg(&dc, &c);
	dc.fanout = 2;
	fast = dc.session;
	fast.timeout_ms = 20;
	fast.retries = 0;
	dc.session.timeout_ms = 1000;	/* the template: 1 s x 2 */
	dc.session.retries = 1;
	base_cfg(&dslow, &cs);
	dslow.session.timeout_ms = 150;
	dslow.session.retries = 1;
	memset(t, 0, sizeof(t));
	memset(&slow, 0, sizeof(slow));
	slow.name = slow.host = "127.0.0.1";
	slow.port = port;
	for (int i = 0; i < 4; i++) {
		t[i].name = t[i].host = "127.0.0.1";
		t[i].port = port;
		t[i].session = &fast;
	}
	ck_assert_ptr_nonnull(d = driver_open(l, &dc));
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(driver_add(d, &t[i]), 0);
	ck_assert_uint_eq(driver_busy(d), 3);
	/* the other driver: ~300 ms of a silent BMC; ours finish inside */
	ck_assert_int_eq(driver_run(l, &dslow, sv, 1), 1);
	ck_assert_int_eq(slow.fail, DRV_FAIL_TIMEOUT);
	ck_assert_uint_eq(cs.done, 1);
	ck_assert_uint_eq(c.done, 3);
	ck_assert_uint_eq(driver_busy(d), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(t[i].fail, DRV_FAIL_TIMEOUT);
	ck_assert_uint_ge(t[2].start_ms, t[0].end_ms < t[1].end_ms ?
	    t[0].end_ms : t[1].end_ms);
	/* again, and one more that is in flight when the driver closes */
	ck_assert_int_eq(driver_add(d, &t[0]), 0);
	t[3].session = NULL;	/* the template: still in flight */
	ck_assert_int_eq(driver_add(d, &t[3]), 0);
	ck_assert_int_eq(driver_run(l, &dslow, sv, 1), 1);
	ck_assert_uint_eq(c.done, 4);
	ck_assert_int_eq(t[0].fail, DRV_FAIL_TIMEOUT);
	driver_close(d);
	ck_assert_uint_eq(c.done, 5);
	ck_assert_int_eq(t[3].fail, DRV_FAIL_ABORTED);
	ck_assert_uint_eq(loop_nfds(l), 0);
	close(fd);
	loop_free(l);
}
END_TEST

START_TEST(test_fail_names)
{
	ck_assert_str_eq(drv_fail_name(DRV_OK), "ok");
	ck_assert_str_eq(drv_fail_name(DRV_FAIL_TIMEOUT), "timeout");
	ck_assert_str_eq(drv_fail_name(DRV_FAIL_AUTH), "authentication");
	ck_assert_str_eq(drv_fail_name((enum drv_fail)99), "?");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("driver");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_timeouts_and_fanout);
	tcase_add_test(tc, test_unreachable);
	tcase_add_test(tc, test_refused_before_any_packet);
	tcase_add_test(tc, test_fail_names);
	tcase_add_test(tc, test_stopped_mid_run);
	tcase_add_test(tc, test_deadline);
	tcase_add_test(tc, test_persistent);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
