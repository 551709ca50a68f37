/*
 * bmcsim: a simulated fleet of IPMI BMCs.  See bmcsim(1) and the headers in sim/.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "lib/loop.h"
#include "fleet.h"
#include "simconf.h"

struct app {
	struct sim_conf		 conf;
	struct sim_fleet	*fleet;
	int			 stats_failed;
};

/* Written whole, then renamed: a reader never sees half a file. */
static void
write_whole(struct app *a, const char *path,
    int (*fn)(struct sim_fleet *, FILE *), const char *what)
{
	char tmp[4200];
	FILE *f;
	int bad;

	if (path == NULL || a->fleet == NULL)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "bmcsim: %s: %s: %s\n", what, tmp,
		    strerror(errno));
		a->stats_failed = 1;
		return;
	}
	bad = fn(a->fleet, f) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		fprintf(stderr, "bmcsim: %s: %s: %s\n", what, path,
		    strerror(errno));
		a->stats_failed = 1;
		(void)unlink(tmp);
	}
}

/* --stats, then --sel-dump: when the dump is there, so are the stats */
static void
write_stats(struct app *a)
{
	write_whole(a, a->conf.stats_path, sim_fleet_stats, "stats");
	write_whole(a, a->conf.sel_dump_path, sim_fleet_sel_dump, "sel dump");
}

static void
on_signal(struct loop *l, int signo, void *arg)
{
	struct app *a = arg;

	if (signo == SIGUSR1) {
		write_stats(a);
		return;
	}
	if (signo == SIGUSR2) {
		if (a->fleet != NULL)
			sim_fleet_fru_swap(a->fleet);
		return;
	}
	loop_stop(l);
}

/* One socket per BMC: make sure the open-files limit allows them. */
static int
raise_nofile(uint32_t need)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == -1)
		return -1;
	if (r.rlim_cur != RLIM_INFINITY && r.rlim_cur >= need)
		return 0;
	if (r.rlim_max != RLIM_INFINITY && r.rlim_max < need) {
		r.rlim_max = need;	/* root may raise the hard limit */
		r.rlim_cur = need;
		if (setrlimit(RLIMIT_NOFILE, &r) == 0)
			return 0;
		getrlimit(RLIMIT_NOFILE, &r);
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
		return -1;
	}
	r.rlim_cur = need;
	return setrlimit(RLIMIT_NOFILE, &r);
}

int
main(int argc, char **argv)
{
	struct app a;
	struct loop *l;
	char err[512], first[INET_ADDRSTRLEN], last[INET_ADDRSTRLEN];
	struct in_addr ia;
	int rc;

	/* the control channel's client: no fleet, one line, one answer */
	if (argc >= 2 && strcmp(argv[1], "--ctl") == 0) {
		if (argc != 4) {
			fprintf(stderr, "usage: bmcsim --ctl PATH LINE\n");
			return 2;
		}
		return sim_fleet_ctl_client(argv[2], argv[3], stdout);
	}
	memset(&a, 0, sizeof(a));
	simconf_init(&a.conf);
	if ((rc = simconf_parse(&a.conf, argc, argv, err, sizeof(err))) != 0) {
		if (rc < 0)
			fprintf(stderr, "bmcsim: %s\n", err);
		simconf_release(&a.conf);
		return rc < 0 ? 2 : 0;
	}
	if (raise_nofile(a.conf.count + 64) != 0)
		fprintf(stderr, "bmcsim: warning: cannot raise the open-files "
		    "limit to %u; binding may fail (ulimit -n)\n",
		    a.conf.count + 64);
	/* a client that vanished must not kill us with SIGPIPE-like errors */
	signal(SIGPIPE, SIG_IGN);

	if ((l = loop_new()) == NULL) {
		fprintf(stderr, "bmcsim: event loop: %s\n", strerror(errno));
		simconf_release(&a.conf);
		return 1;
	}
	if (loop_add_signal(l, SIGTERM, on_signal, &a) == -1 ||
	    loop_add_signal(l, SIGINT, on_signal, &a) == -1 ||
	    loop_add_signal(l, SIGUSR1, on_signal, &a) == -1 ||
	    loop_add_signal(l, SIGUSR2, on_signal, &a) == -1) {
		fprintf(stderr, "bmcsim: signals: %s\n", strerror(errno));
		loop_free(l);
		simconf_release(&a.conf);
		return 1;
	}
	if ((a.fleet = sim_fleet_new(l, &a.conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bmcsim: %s\n", err);
		loop_free(l);
		simconf_release(&a.conf);
		return 1;
	}
	ia.s_addr = htonl(a.conf.base);
	inet_ntop(AF_INET, &ia, first, sizeof(first));
	ia.s_addr = htonl(a.conf.base + a.conf.count - 1);
	inet_ntop(AF_INET, &ia, last, sizeof(last));
	printf("bmcsim: ready: %u BMCs on %s-%s port %u (%u dead)\n",
	    a.conf.count, first, last, a.conf.port, sim_fleet_dead(a.fleet));
	fflush(stdout);

	rc = loop_run(l) == 0 ? 0 : 1;
	if (rc != 0)
		fprintf(stderr, "bmcsim: event loop: %s\n", strerror(errno));
	write_stats(&a);
	sim_fleet_free(a.fleet);
	loop_free(l);
	simconf_release(&a.conf);
	if (!a.conf.quiet)
		fprintf(stderr, "bmcsim: stopped\n");
	return rc ? rc : a.stats_failed;
}
