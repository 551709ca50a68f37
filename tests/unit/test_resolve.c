#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include "ckmain.h"
#include "collector/resolve.h"
#include "lib/loop.h"

START_TEST(test_numeric)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;

	ck_assert_int_eq(resolve_numeric("10.0.0.7", 623, &ss, &len), 0);
	ck_assert_int_eq(ss.ss_family, AF_INET);
	ck_assert_uint_eq(len, sizeof(*sin));
	ck_assert_uint_eq(ntohs(sin->sin_port), 623);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0x0a000007);

	ck_assert_int_eq(resolve_numeric("::1", 1623, &ss, &len), 0);
	ck_assert_int_eq(ss.ss_family, AF_INET6);
	ck_assert_uint_eq(len, sizeof(*sin6));
	ck_assert_uint_eq(ntohs(sin6->sin6_port), 1623);
	ck_assert(IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr));

	/* a scoped literal keeps its scope */
	ck_assert_int_eq(resolve_numeric("fe80::1%lo", 623, &ss, &len), 0);
	ck_assert_int_eq(ss.ss_family, AF_INET6);
	ck_assert_uint_eq(sin6->sin6_scope_id, if_nametoindex("lo"));
	ck_assert_uint_eq(ntohs(sin6->sin6_port), 623);

	/* the C library's other numeric forms stay numbers, as they were
	 * with getaddrinfo: nothing is asked of DNS for them */
	ck_assert_int_eq(resolve_numeric("127.40967", 623, &ss, &len), 0);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0x7f00a007);
	ck_assert_int_eq(resolve_numeric("0x7f00a007", 623, &ss, &len), 0);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0x7f00a007);
	ck_assert_uint_eq(ntohs(sin->sin_port), 623);
	ck_assert_int_eq(resolve_numeric("10.0.0", 623, &ss, &len), 0);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0x0a000000);

	/* names, and what only looks like an address, are not literals */
	ck_assert_int_eq(resolve_numeric("bmc-7.example", 623, &ss, &len), -1);
	ck_assert_int_eq(resolve_numeric("deadbeef", 623, &ss, &len), -1);
	ck_assert_int_eq(resolve_numeric("10.0.0.1 x", 623, &ss, &len), -1);
	ck_assert_int_eq(resolve_numeric("10.0.0.256", 623, &ss, &len), -1);
	ck_assert_int_eq(resolve_numeric("", 623, &ss, &len), -1);
}
END_TEST

static int called;

static void
never(struct resolve_wait *w, const struct resolve_result *res)
{
	(void)w;
	(void)res;
	called++;
}

/* literals are answered at once and never reach c-ares */
START_TEST(test_literal_lookup)
{
	struct loop *l = loop_new();
	struct resolver *r;
	struct resolve_wait w;
	struct resolve_result res;

	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_nonnull(r = resolver_new(l));
	memset(&w, 0, sizeof(w));
	ck_assert_int_eq(resolver_lookup(r, "127.0.0.1", 623, &w, never, NULL,
	    &res), 1);
	ck_assert_int_eq(res.ok, 1);
	ck_assert_uint_eq(res.took_us, 0);
	ck_assert_int_eq(res.cached, 0);
	ck_assert_str_eq(res.addrstr, "127.0.0.1");
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&res.addr)->sin_port),
	    623);
	ck_assert_uint_eq(resolver_queries(r), 0);
	ck_assert_ptr_null(w.e);
	ck_assert_uint_eq(loop_nfds(l), 0);
	resolver_free(r);
	loop_free(l);
	ck_assert_int_eq(called, 0);
}
END_TEST

struct got {
	int			 n;
	struct resolve_result	 res;
};

static void
got_one(struct resolve_wait *w, const struct resolve_result *res)
{
	struct got *g = w->arg;

	g->n++;
	g->res = *res;
}

/*
 * A name from /etc/hosts (localhost: every Debian system has it) is asked
 * once: the second lookup, on another port, is the cache's, with its port.
 */
START_TEST(test_cache)
{
	struct loop *l = loop_new();
	struct resolver *r;
	struct resolve_wait w1, w2;
	struct resolve_result res;
	struct got g1 = { 0 }, g2 = { 0 };
	int rc, spins;

	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_nonnull(r = resolver_new(l));
	memset(&w1, 0, sizeof(w1));
	memset(&w2, 0, sizeof(w2));
	rc = resolver_lookup(r, "localhost", 623, &w1, got_one, &g1, &res);
	ck_assert_uint_eq(resolver_queries(r), 1);
	if (rc == 0) {
		/* asked of the loop after all: wait for it, bounded */
		for (spins = 0; g1.n == 0 && spins < 100; spins++)
			loop_run_once(l, 100);
		ck_assert_int_eq(g1.n, 1);
		res = g1.res;
	}
	ck_assert_int_eq(res.ok, 1);
	ck_assert_int_eq(res.cached, 0);
	ck_assert(res.addr.ss_family == AF_INET ||
	    res.addr.ss_family == AF_INET6);

	ck_assert_int_eq(resolver_lookup(r, "localhost", 1623, &w2, got_one,
	    &g2, &res), 1);
	ck_assert_int_eq(res.ok, 1);
	ck_assert_int_eq(res.cached, 1);
	ck_assert_uint_eq(resolver_queries(r), 1);
	if (res.addr.ss_family == AF_INET)
		ck_assert_uint_eq(ntohs(((struct sockaddr_in *)
		    &res.addr)->sin_port), 1623);
	else
		ck_assert_uint_eq(ntohs(((struct sockaddr_in6 *)
		    &res.addr)->sin6_port), 1623);

	/* forgotten: asked again */
	resolver_forget(r);
	rc = resolver_lookup(r, "localhost", 623, &w2, got_one, &g2, &res);
	ck_assert_uint_eq(resolver_queries(r), 2);
	/* cancelled (if it waits at all): never called back */
	resolver_cancel(r, &w2);
	ck_assert_ptr_null(w2.e);
	for (spins = 0; rc == 0 && spins < 10; spins++)
		loop_run_once(l, 10);
	ck_assert_int_eq(g2.n, 0);
	resolver_free(r);
	ck_assert_uint_eq(loop_nfds(l), 0);
	loop_free(l);
}
END_TEST

static Suite *
resolve_suite(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_numeric);
	tcase_add_test(tc, test_literal_lookup);
	tcase_add_test(tc, test_cache);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(resolve_suite());
}
