/*
 * notify_drv: tests/integration/notify.sh's driver for scheduler/notify:
 * make one target from the options, send --count messages through it one
 * after another on a loop, and print each outcome:
 *
 *	send 1: ok HTTP 200
 *	send 2: fail HTTP 503
 *
 * Exit 0 when every send was delivered, 1 when one failed, 2 on a usage
 * or set-up error.  Built for make check, never installed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/loop.h"
#include "scheduler/notify.h"

#define MAXTO	8

struct run {
	struct loop	*l;
	unsigned	 done, failed;
	int		 waiting;
};

static void
on_done(void *arg, int ok, const char *detail)
{
	struct run	*r = arg;

	r->done++;
	if (!ok)
		r->failed++;
	printf("send %u: %s %s\n", r->done, ok ? "ok" : "fail", detail);
	fflush(stdout);
	r->waiting = 0;
}

static void
on_log(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "notify_drv: %s\n", line);
}

static void
usage(void)
{
	fprintf(stderr, "usage: notify_drv --kind webhook|syslog|email "
	    "[--name N] [--url URL] [--token-file F] [--socket PATH] "
	    "[--facility F] [--smtp URL] [--from A] [--to A]... "
	    "[--starttls try|require] [--user U --password-file F] "
	    "[--ca-file F] [--insecure] [--timeout MS] [--severity S] "
	    "[--subject S] [--text T] [--json J] [--bmc B] [--event K] "
	    "[--count N]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "url", required_argument, NULL, 'u' },
		{ "token-file", required_argument, NULL, 'T' },
		{ "socket", required_argument, NULL, 'S' },
		{ "facility", required_argument, NULL, 'F' },
		{ "smtp", required_argument, NULL, 'm' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "starttls", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'U' },
		{ "password-file", required_argument, NULL, 'P' },
		{ "ca-file", required_argument, NULL, 'C' },
		{ "insecure", no_argument, NULL, 'I' },
		{ "timeout", required_argument, NULL, 'o' },
		{ "severity", required_argument, NULL, 'v' },
		{ "subject", required_argument, NULL, 'j' },
		{ "text", required_argument, NULL, 'x' },
		{ "json", required_argument, NULL, 'J' },
		{ "bmc", required_argument, NULL, 'b' },
		{ "event", required_argument, NULL, 'e' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct notify_config	 c;
	struct notify_msg	 m = { .severity = NOTIFY_CRIT,
				       .subject = "test", .msgid = "alert" };
	struct notify		*n;
	struct notify_target	*t;
	struct run		 r = { 0 };
	const char		*to[MAXTO];
	enum notify_kind	 kind = NOTIFY_WEBHOOK;
	char			 err[512];
	unsigned		 count = 1, i;
	int			 ch, have_kind = 0;

	/* the kind first: notify_config_init sets its defaults */
	for (i = 1; i + 1 < (unsigned)argc; i++)
		if (strcmp(argv[i], "--kind") == 0) {
			if (notify_kind_parse(argv[i + 1], &kind) == -1)
				usage();
			have_kind = 1;
		}
	if (!have_kind)
		usage();
	notify_config_init(&c, kind);
	c.name = "test";
	c.to = to;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			break;
		case 'n':
			c.name = optarg;
			break;
		case 'u':
			c.url = optarg;
			break;
		case 'T':
			c.token_file = optarg;
			break;
		case 'S':
			c.socket_path = optarg;
			break;
		case 'F':
			if (notify_facility_parse(optarg, &c.facility) == -1)
				usage();
			break;
		case 'm':
			c.smtp_url = optarg;
			break;
		case 'f':
			c.from = optarg;
			break;
		case 't':
			if (c.nto == MAXTO)
				usage();
			to[c.nto++] = optarg;
			break;
		case 's':
			if (strcmp(optarg, "require") == 0)
				c.starttls = NOTIFY_STARTTLS_REQUIRE;
			else if (strcmp(optarg, "try") != 0)
				usage();
			break;
		case 'U':
			c.user = optarg;
			break;
		case 'P':
			c.password_file = optarg;
			break;
		case 'C':
			c.ca_file = optarg;
			break;
		case 'I':
			c.insecure = 1;
			c.tls_verify = 0;
			break;
		case 'o':
			c.timeout_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'v':
			if (notify_severity_parse(optarg, &m.severity) == -1)
				usage();
			break;
		case 'j':
			m.subject = optarg;
			break;
		case 'x':
			m.text = optarg;
			break;
		case 'J':
			m.json = optarg;
			break;
		case 'b':
			m.bmc = optarg;
			break;
		case 'e':
			m.event_key = optarg;
			break;
		case 'c':
			count = (unsigned)strtoul(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if ((r.l = loop_new()) == NULL ||
	    (n = notify_new(r.l, on_log, NULL)) == NULL) {
		fprintf(stderr, "notify_drv: set-up failed\n");
		return 2;
	}
	if ((t = notify_target_new(n, &c, err, sizeof(err))) == NULL) {
		fprintf(stderr, "notify_drv: %s\n", err);
		return 2;
	}
	for (i = 0; i < count; i++) {
		r.waiting = 1;
		if (notify_send(t, &m, on_done, &r) == -1) {
			perror("notify_drv: notify_send");
			return 2;
		}
		while (r.waiting)
			if (loop_run_once(r.l, 1000) == -1) {
				perror("notify_drv: loop");
				return 2;
			}
	}
	notify_target_free(t);
	notify_free(n);
	loop_free(r.l);
	return r.failed == 0 ? 0 : 1;
}
