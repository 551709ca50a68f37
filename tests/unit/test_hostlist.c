#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "cli/hostlist.h"

/*
 * Allocations counted, to show that counting a spec allocates nothing.
 * ASan brings its own malloc, which this would hide: not counted there.
 */
#if defined(__SANITIZE_ADDRESS__)
#define COUNT_ALLOCS	0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COUNT_ALLOCS	0
#endif
#endif
#ifndef COUNT_ALLOCS
#define COUNT_ALLOCS	1
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
void *malloc(size_t);
void *calloc(size_t, size_t);
void *realloc(void *, size_t);
static unsigned long nallocs;

void *
malloc(size_t n)
{
	nallocs++;
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t m)
{
	nallocs++;
	return __libc_calloc(n, m);
}

void *
realloc(void *p, size_t n)
{
	nallocs++;
	return __libc_realloc(p, n);
}
#endif

/* The iterator's hosts, space-separated, into got; their number. */
static size_t
iterate(const char *spec, char *got, size_t len)
{
	struct hostlist_iter	 it;
	const char		*h;
	char			 err[256] = "";
	size_t			 off = 0, n = 0;

	ck_assert_msg(hostlist_iter_init(&it, spec, HOSTLIST_MAX, err,
	    sizeof(err)) == 0, "'%s': %s", spec, err);
	got[0] = '\0';
	while ((h = hostlist_iter_next(&it)) != NULL) {
		off += (size_t)snprintf(got + off, len - off, "%s%s",
		    n > 0 ? " " : "", h);
		n++;
	}
	/* and stays at the end */
	ck_assert_ptr_null(hostlist_iter_next(&it));
	ck_assert_uint_eq(it.count, n);
	hostlist_iter_release(&it);
	return n;
}

/*
 * Expand spec and compare with the space-separated hosts in want; the
 * iterator and the count must agree with the expansion.
 */
static void
expect(const char *spec, const char *want)
{
	struct hostlist	 hl = { 0 };
	char		 err[256] = "", got[4096];
	size_t		 i, off = 0;
	uint64_t	 count;

	ck_assert_msg(hostlist_expand(&hl, spec, err, sizeof(err)) == 0,
	    "'%s': %s", spec, err);
	got[0] = '\0';
	for (i = 0; i < hl.n; i++)
		off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%s",
		    i > 0 ? " " : "", hl.hosts[i]);
	ck_assert_msg(strcmp(got, want) == 0, "'%s': got '%s', want '%s'",
	    spec, got, want);
	ck_assert_int_eq(hostlist_count(spec, &count, err, sizeof(err)), 0);
	ck_assert_uint_eq(count, hl.n);
	ck_assert_uint_eq(iterate(spec, got, sizeof(got)), hl.n);
	ck_assert_msg(strcmp(got, want) == 0, "'%s': iterator gave '%s', "
	    "want '%s'", spec, got, want);
	hostlist_release(&hl);
	ck_assert_ptr_null(hl.hosts);
	ck_assert_uint_eq(hl.n, 0);
}

/* Expect spec to fail with errno e and a message containing why. */
static void
expect_err(const char *spec, int e, const char *why)
{
	struct hostlist	 hl = { 0 };
	char		 err[256] = "";

	ck_assert_msg(hostlist_expand(&hl, spec, err, sizeof(err)) == -1,
	    "'%s' expanded", spec);
	ck_assert_msg(errno == e, "'%s': errno %d, want %d", spec, errno, e);
	ck_assert_msg(strstr(err, why) != NULL, "'%s': error '%s', want '%s'",
	    spec, err, why);
	ck_assert_msg(strncmp(err, "hostlist '", 10) == 0, "'%s': error '%s'",
	    spec, err);
	ck_assert_uint_eq(hl.n, 0);
	ck_assert_ptr_null(hl.hosts);
}

START_TEST(expand_plain)
{
	expect("node1", "node1");
	expect("a,b,c", "a b c");
	expect("  a , b\t,c  ", "a b c");
	expect("host:623", "host:623");
	expect("fe80::1", "fe80::1");
	expect("[fe80::1]:623", "[fe80::1]:623");
	expect("[2001:db8::1],h[1-2]", "[2001:db8::1] h1 h2");
}
END_TEST

START_TEST(expand_ranges)
{
	expect("node[1-3]", "node1 node2 node3");
	expect("node[1-3,5,7-8]", "node1 node2 node3 node5 node7 node8");
	expect("node[ 1-2 , 4 ]", "node1 node2 node4");
	expect("n[3]", "n3");
	expect("[1-3]", "1 2 3");
	expect("node[1-3]:624", "node1:624 node2:624 node3:624");
	expect("node[1-2]-ipmi", "node1-ipmi node2-ipmi");
	expect("10.0.1.[1-3]", "10.0.1.1 10.0.1.2 10.0.1.3");
	expect("a[1-2],b[3-4]", "a1 a2 b3 b4");
	expect("x[0-0]", "x0");
}
END_TEST

START_TEST(expand_padding)
{
	expect("node[01-03]", "node01 node02 node03");
	expect("node[8-10]", "node8 node9 node10");
	expect("n[08-11]", "n08 n09 n10 n11");
	expect("n[007]", "n007");
	expect("n[0-1]", "n0 n1");
	expect("n[00-01,3,010-011]", "n00 n01 n3 n010 n011");
	/* as pdsh: the width of the start; a wider end just grows */
	expect("n[098-100]", "n098 n099 n100");
	expect("n[98-100]", "n98 n99 n100");
	expect("n[9-010]", "n9 n10");
}
END_TEST

START_TEST(expand_nesting)
{
	expect("r[1-2]n[01-03]",
	    "r1n01 r1n02 r1n03 r2n01 r2n02 r2n03");
	expect("r[1-2]n[1,3]s[7-8]",
	    "r1n1s7 r1n1s8 r1n3s7 r1n3s8 r2n1s7 r2n1s8 r2n3s7 r2n3s8");
	expect("[1-2][1-2]", "11 12 21 22");
	expect("10.0.[1-2].[1-2]:623",
	    "10.0.1.1:623 10.0.1.2:623 10.0.2.1:623 10.0.2.2:623");
}
END_TEST

START_TEST(expand_count)
{
	struct hostlist	 hl = { 0 };
	char		 err[256];
	char		 want[32];

	ck_assert_int_eq(hostlist_expand(&hl, "10.0.1.[1-50]", err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(hl.n, 50);
	ck_assert_str_eq(hl.hosts[49], "10.0.1.50");
	/* appends to what is there */
	ck_assert_int_eq(hostlist_expand(&hl, "n[0001-1000]", err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(hl.n, 1050);
	ck_assert_str_eq(hl.hosts[50], "n0001");
	ck_assert_str_eq(hl.hosts[1049], "n1000");
	/* a failure leaves the list alone */
	ck_assert_int_eq(hostlist_expand(&hl, "a,[", err, sizeof(err)), -1);
	ck_assert_uint_eq(hl.n, 1050);
	hostlist_release(&hl);

	/* exactly the limit is fine */
	ck_assert_int_eq(hostlist_expand(&hl, "r[1-1000]n[1-1000]", err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(hl.n, HOSTLIST_MAX);
	snprintf(want, sizeof(want), "r%dn%d", 1000, 1000);
	ck_assert_str_eq(hl.hosts[hl.n - 1], want);
	hostlist_release(&hl);
}
END_TEST

START_TEST(expand_errors)
{
	expect_err("node[3-1]", EINVAL,
	    "hostlist 'node[3-1]': range end before start");
	expect_err("node[1-3", EINVAL, "missing ']'");
	expect_err("node1-3]", EINVAL, "unexpected ']'");
	expect_err("node[1-[2]]", EINVAL, "nested '['");
	expect_err("a,node[1-3,b", EINVAL, "hostlist 'node[1-3,b'");
	expect_err("node[]", EINVAL, "empty range");
	expect_err("node[1,,3]", EINVAL, "empty range");
	expect_err("node[1-3,]", EINVAL, "empty range");
	expect_err("node[,1]", EINVAL, "empty range");
	expect_err("node[a-c]", EINVAL, "non-numeric range");
	expect_err("node[1-c]", EINVAL, "non-numeric range");
	expect_err("node[1-]", EINVAL, "non-numeric range");
	expect_err("node[-3]", EINVAL, "non-numeric range");
	expect_err("node[1-2-3]", EINVAL, "non-numeric range");
	expect_err("node[+1]", EINVAL, "non-numeric range");
	expect_err("node[1234567890123456789]", EINVAL, "number too long");
	expect_err("a,,b", EINVAL, "hostlist 'a,,b': empty item");
	expect_err("a,", EINVAL, "empty item");
	expect_err(",a", EINVAL, "empty item");
	expect_err("a, ,b", EINVAL, "empty item");
	expect_err("", EINVAL, "empty host list");
	expect_err("node 1", EINVAL, "whitespace inside a host name");
}
END_TEST

START_TEST(expand_too_many)
{
	/* these would be gigabytes: the count must stop them first */
	expect_err("r[1-1000]n[1-1001]", E2BIG,
	    "expands to 1001000 hosts, more than 1000000");
	expect_err("n[0-999999999999999999]", E2BIG,
	    "expands to 1000000000000000000 hosts, more than 1000000");
	/* past 64 bits the count saturates, and says so */
	expect_err("a[1-100000000]b[1-100000000]c[1-100000000]", E2BIG,
	    "expands to more than 1000000 hosts");
	/* the limit is on the whole spec, not per item */
	expect_err("a[1-600000],b[1-600000]", E2BIG,
	    "hostlist 'a[1-600000],b[1-600000]': expands to 1200000 hosts, "
	    "more than 1000000");
}
END_TEST

START_TEST(count_big)
{
	struct timespec	 t0, t1;
	uint64_t	 count = 0;
	unsigned long	 before = 0;
	char		 err[256];
	long		 us;
	int		 rc;

	/* node[1-999999] once ran 11 minutes at 670 MB: now arithmetic */
#if COUNT_ALLOCS
	before = nallocs;
#endif
	/* no ck_assert in between: Check's own bookkeeping allocates */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = hostlist_count("node[1-999999]", &count, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
#if COUNT_ALLOCS
	ck_assert_uint_eq(nallocs, before);
#endif
	ck_assert_int_eq(rc, 0);
	(void)before;
	ck_assert_uint_eq(count, 999999);
	us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) /
	    1000;
	ck_assert_msg(us < 1000, "counting took %ld us", us);
	ck_assert_int_eq(hostlist_count("r[1-1000]n[1-1000],x,y[01-10]",
	    &count, err, sizeof(err)), 0);
	ck_assert_uint_eq(count, 1000011);
	ck_assert_int_eq(hostlist_count("a[1-100000000]b[1-100000000]"
	    "c[1-100000000]", &count, err, sizeof(err)), 0);
	ck_assert_uint_eq(count, UINT64_MAX);
	ck_assert_int_eq(hostlist_count("n[2-1]", &count, err, sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(expand_max)
{
	struct hostlist		 hl = { 0 };
	struct hostlist_iter	 it;
	unsigned long		 before = 0;
	char			 err[256];
	int			 rc;

	/* refused before any host string is made */
#if COUNT_ALLOCS
	before = nallocs;
#endif
	rc = hostlist_expand_max(&hl, "node[1-999999]", 100000, err,
	    sizeof(err));
#if COUNT_ALLOCS
	ck_assert_uint_eq(nallocs, before);
#endif
	ck_assert_int_eq(rc, -1);
	(void)before;
	ck_assert_int_eq(errno, E2BIG);
	ck_assert_str_eq(err, "hostlist 'node[1-999999]': expands to 999999 "
	    "hosts, more than 100000");
	ck_assert_ptr_null(hl.hosts);
	ck_assert_int_eq(hostlist_iter_init(&it, "node[1-999999]", 100000,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(errno, E2BIG);
	/* the limit itself is fine */
	ck_assert_int_eq(hostlist_expand_max(&hl, "n[1-3],m", 4, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(hl.n, 4);
	hostlist_release(&hl);
	ck_assert_int_eq(hostlist_expand_max(&hl, "n[1-3],m[1-2]", 4, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "hostlist 'n[1-3],m[1-2]': expands to 5 hosts, "
	    "more than 4");
	/* the iterator walks a big list without holding it */
	ck_assert_int_eq(hostlist_iter_init(&it, "node[1-999999]", 1000000,
	    err, sizeof(err)), 0);
	{
		const char	*h, *last = NULL;
		uint64_t	 n = 0;

		while ((h = hostlist_iter_next(&it)) != NULL) {
			last = h;
			n++;
		}
		ck_assert_uint_eq(n, 999999);
		(void)last;
	}
	hostlist_iter_release(&it);
}
END_TEST

START_TEST(dash_needs_brackets)
{
	expect_err("127.0.60.1-30", EINVAL, "hostlist '127.0.60.1-30': a range "
	    "needs brackets: did you mean 127.0.60.[1-30]? (a host of that "
	    "name: 127.0.60.1-[30])");
	expect_err("node1-30", EINVAL, "did you mean node[1-30]?");
	expect_err("a,node01-16:624", EINVAL, "hostlist 'node01-16:624': a "
	    "range needs brackets: did you mean node[01-16]:624? (a host of "
	    "that name: node01-[16]:624)");
	expect_err("7-9", EINVAL, "did you mean [7-9]?");
	expect_err("10.0.0.1-10.0.0.30", EINVAL, "hostlist '10.0.0.1-10.0.0.30'"
	    ": a range needs brackets: did you mean 10.0.0.[1-30]?");
	expect_err("10.0.0.01-10.0.0.030", EINVAL, "did you mean "
	    "10.0.0.[01-030]?");
	/* names a host may have */
	expect("rack-1", "rack-1");
	expect("node1-ipmi", "node1-ipmi");
	expect("rack12-1", "rack12-1");
	expect("node5-5", "node5-5");
	expect("n-1-2x", "n-1-2x");
	expect("a1b-2", "a1b-2");
	expect("fe80::1-2", "fe80::1-2");
	expect("node1-30.example.com", "node1-30.example.com");
	expect("10.0.0.9-10.0.0.1", "10.0.0.9-10.0.0.1");
	expect("10.0.0.1-10.0.1.30", "10.0.0.1-10.0.1.30");
	expect("10.0.0.1-10.0.0", "10.0.0.1-10.0.0");
	/* brackets make any name literal, and ranges work as ever */
	expect("node1-[30]", "node1-30");
	expect("127.0.60.[1-3]", "127.0.60.1 127.0.60.2 127.0.60.3");
	expect("node[1-2]-3", "node1-3 node2-3");
}
END_TEST

START_TEST(expand_err_buffer)
{
	struct hostlist	 hl = { 0 };
	char		 small[12], spec[300];

	/* a NULL or short buffer is not written past */
	ck_assert_int_eq(hostlist_expand(&hl, "n[2-1]", NULL, 0), -1);
	ck_assert_int_eq(hostlist_expand(&hl, "n[2-1]", small, sizeof(small)),
	    -1);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	/* a long item is quoted in part, and the reason still shows */
	memset(spec, 'x', sizeof(spec) - 1);
	spec[sizeof(spec) - 1] = '\0';
	spec[sizeof(spec) - 2] = ']';
	{
		char	 err[256];

		ck_assert_int_eq(hostlist_expand(&hl, spec, err, sizeof(err)),
		    -1);
		ck_assert_ptr_nonnull(strstr(err, "...': unbalanced"));
	}
}
END_TEST

START_TEST(cmp_natural)
{
	ck_assert_int_lt(hostlist_cmp("node2", "node10"), 0);
	ck_assert_int_gt(hostlist_cmp("node10", "node2"), 0);
	ck_assert_int_lt(hostlist_cmp("10.0.0.9", "10.0.0.10"), 0);
	ck_assert_int_lt(hostlist_cmp("10.0.0.255", "10.0.1.0"), 0);
	ck_assert_int_lt(hostlist_cmp("9.0.0.1", "10.0.0.1"), 0);
	ck_assert_int_eq(hostlist_cmp("node1", "node1"), 0);
	ck_assert_int_lt(hostlist_cmp("node", "node1"), 0);
	ck_assert_int_lt(hostlist_cmp("a1", "b0"), 0);
	ck_assert_int_lt(hostlist_cmp("r1n10", "r2n1"), 0);
	ck_assert_int_lt(hostlist_cmp("r1n2", "r1n10"), 0);
	/* different names, same number: not equal, and consistently so */
	ck_assert_int_ne(hostlist_cmp("node1", "node01"), 0);
	ck_assert_int_eq(hostlist_cmp("node1", "node01"),
	    -hostlist_cmp("node01", "node1"));
	/* the rest of the name decides before the zeros do */
	ck_assert_int_lt(hostlist_cmp("n01a", "n1b"), 0);
	/* numbers longer than any integer type */
	ck_assert_int_lt(hostlist_cmp("n99999999999999999999999",
	    "n100000000000000000000000"), 0);
}
END_TEST

START_TEST(sort_unique)
{
	struct hostlist	 hl = { 0 };
	char		 err[256];
	size_t		 i;
	static const char *const want[] = {
		"10.0.0.1", "10.0.0.2", "10.0.0.9", "10.0.0.10", "10.0.0.100",
		"node1", "node2", "node10", "node11",
	};

	ck_assert_int_eq(hostlist_expand(&hl,
	    "node[10-11],10.0.0.[100,10,9],node2,node[1-2],10.0.0.[1-2],"
	    "node10,10.0.0.9,node1", err, sizeof(err)), 0);
	ck_assert_uint_eq(hl.n, 13);
	hostlist_sort_unique(&hl);
	ck_assert_uint_eq(hl.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < hl.n; i++)
		ck_assert_str_eq(hl.hosts[i], want[i]);
	/* idempotent, and fine on tiny lists */
	hostlist_sort_unique(&hl);
	ck_assert_uint_eq(hl.n, sizeof(want) / sizeof(want[0]));
	hostlist_release(&hl);
	hostlist_sort_unique(&hl);
	ck_assert_int_eq(hostlist_expand(&hl, "a,a,a", err, sizeof(err)), 0);
	hostlist_sort_unique(&hl);
	ck_assert_uint_eq(hl.n, 1);
	ck_assert_str_eq(hl.hosts[0], "a");
	hostlist_release(&hl);
	hostlist_release(&hl);
}
END_TEST

START_TEST(split_port)
{
	char		 host[64];
	uint16_t	 port;

	ck_assert_int_eq(hostlist_split_port("node1", host, sizeof(host),
	    &port, 623), 0);
	ck_assert_str_eq(host, "node1");
	ck_assert_uint_eq(port, 623);
	ck_assert_int_eq(hostlist_split_port("node1:624", host, sizeof(host),
	    &port, 623), 0);
	ck_assert_str_eq(host, "node1");
	ck_assert_uint_eq(port, 624);
	ck_assert_int_eq(hostlist_split_port("10.0.0.1:65535", host,
	    sizeof(host), &port, 623), 0);
	ck_assert_str_eq(host, "10.0.0.1");
	ck_assert_uint_eq(port, 65535);
	ck_assert_int_eq(hostlist_split_port("[fe80::1]:6230", host,
	    sizeof(host), &port, 623), 0);
	ck_assert_str_eq(host, "fe80::1");
	ck_assert_uint_eq(port, 6230);
	ck_assert_int_eq(hostlist_split_port("[fe80::1]", host, sizeof(host),
	    &port, 623), 0);
	ck_assert_str_eq(host, "fe80::1");
	ck_assert_uint_eq(port, 623);
	/* more than one colon and no brackets: all address, no port */
	ck_assert_int_eq(hostlist_split_port("2001:db8::1", host, sizeof(host),
	    &port, 623), 0);
	ck_assert_str_eq(host, "2001:db8::1");
	ck_assert_uint_eq(port, 623);
	ck_assert_int_eq(hostlist_split_port("::1", host, sizeof(host),
	    &port, 7), 0);
	ck_assert_str_eq(host, "::1");
	ck_assert_uint_eq(port, 7);

	/* bad ports */
	port = 1;
	ck_assert_int_eq(hostlist_split_port("h:0", host, sizeof(host), &port,
	    623), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(port, 1);
	ck_assert_int_eq(hostlist_split_port("h:65536", host, sizeof(host),
	    &port, 623), -1);
	ck_assert_int_eq(hostlist_split_port("h:99999999999999999999", host,
	    sizeof(host), &port, 623), -1);
	ck_assert_int_eq(hostlist_split_port("h:", host, sizeof(host), &port,
	    623), -1);
	ck_assert_int_eq(hostlist_split_port("h:-1", host, sizeof(host), &port,
	    623), -1);
	ck_assert_int_eq(hostlist_split_port("h:62a", host, sizeof(host),
	    &port, 623), -1);
	ck_assert_int_eq(hostlist_split_port("h: 623", host, sizeof(host),
	    &port, 623), -1);
	ck_assert_int_eq(hostlist_split_port("[fe80::1]:", host, sizeof(host),
	    &port, 623), -1);
	ck_assert_int_eq(hostlist_split_port("[fe80::1]x", host, sizeof(host),
	    &port, 623), -1);
	ck_assert_int_eq(hostlist_split_port("[fe80::1", host, sizeof(host),
	    &port, 623), -1);
	/* empty hosts */
	ck_assert_int_eq(hostlist_split_port("", host, sizeof(host), &port,
	    623), -1);
	ck_assert_int_eq(hostlist_split_port(":623", host, sizeof(host), &port,
	    623), -1);
	ck_assert_int_eq(hostlist_split_port("[]:623", host, sizeof(host),
	    &port, 623), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* too long: the buffer must hold the name and its NUL */
	ck_assert_int_eq(hostlist_split_port("abcd:1", host, 5, &port, 623),
	    0);
	ck_assert_str_eq(host, "abcd");
	ck_assert_int_eq(hostlist_split_port("abcde:1", host, 5, &port, 623),
	    -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ck_assert_int_eq(hostlist_split_port("[abcde]", host, 5, &port, 623),
	    -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
}
END_TEST

static Suite *
hostlist_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("hostlist");
	tc = tcase_create("expand");
	/* the 1,000,000-host case is slow under ASan */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, expand_plain);
	tcase_add_test(tc, expand_ranges);
	tcase_add_test(tc, expand_padding);
	tcase_add_test(tc, expand_nesting);
	tcase_add_test(tc, expand_count);
	tcase_add_test(tc, expand_errors);
	tcase_add_test(tc, expand_too_many);
	tcase_add_test(tc, expand_err_buffer);
	tcase_add_test(tc, count_big);
	tcase_add_test(tc, expand_max);
	tcase_add_test(tc, dash_needs_brackets);
	suite_add_tcase(s, tc);
	tc = tcase_create("order");
	tcase_add_test(tc, cmp_natural);
	tcase_add_test(tc, sort_unique);
	suite_add_tcase(s, tc);
	tc = tcase_create("split_port");
	tcase_add_test(tc, split_port);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 nfail;

	sr = srunner_create(hostlist_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
