/*
 * silent: a TCP listener on 127.0.0.1 and an ephemeral port that accepts
 * (the kernel does) and never answers: a partitioned server, a hung proxy.
 * Close it to make the port refuse.
 */
#ifndef BMCFLEET_TESTS_SILENT_H
#define BMCFLEET_TESTS_SILENT_H

#include <check.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static inline int
silent_listener(int *port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int s;

	ck_assert_int_ge(s = socket(AF_INET, SOCK_STREAM, 0), 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(s, 8), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return s;
}

#endif
