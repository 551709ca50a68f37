/*
 * cmd_daemon: bmcfleetd: a sweep of the configured fleet every
 * collector.sweep_interval (cli/collect.c does each), the power plans
 * whose time has come, SIGHUP reloads, SIGTERM stops.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_alerts.h"
#include "cli/cmd_plan.h"
#include "cli/collect.h"
#include "cli/collect_int.h"
#include "cli/serve.h"
#include "ipmi/crypto.h"

/*
 * After a reload: the database the config now names (unless --db gave
 * one), and a fresh connection to it either way, so SIGHUP also recovers
 * a connection that went bad.  A spool_dir change needs a restart: the
 * writer's batches live in the one it has open.
 */
static void
db_reopen(struct collect *co, const struct collect_opts *o)
{
	const char *want = o->db ? o->db : co->c.database;
	const char *sdir = o->spool_dir ? o->spool_dir :
	    co->c.collector.spool_dir;
	char *d;

	if (want != NULL && (co->db == NULL || strcmp(want, co->db) != 0) &&
	    (d = strdup(want)) != NULL) {
		if (co->db != NULL)
			crypto_wipe(co->db, strlen(co->db));
		free(co->db);
		co->db = d;
		fprintf(stderr, "bmcfleetd: database changed: reconnecting\n");
	}
	if (co->db != NULL && dbw_set_conninfo(co->dbw, co->db) != 0)
		fprintf(stderr, "bmcfleetd: database: out of memory\n");
	dbw_set_timeout(co->dbw, co->c.collector.db_timeout_ms);
	fs_close(&co->fs);	/* the next sweep connects afresh */
	if (sdir != NULL && co->spool.dir != NULL &&
	    strcmp(sdir, co->spool.dir) != 0)
		fprintf(stderr, "bmcfleetd: spool_dir changed to %s: restart "
		    "bmcfleetd to use it (batches wait in %s)\n", sdir,
		    co->spool.dir);
}

/* Every 5 s: a scheduled plan whose time has come? */
static int
due_check(struct collect *co, const struct collect_opts *o)
{
	static uint64_t last;
	int due;

	if (co->fs.pg == NULL || wall_ms() - last < 5000)
		return 0;
	last = wall_ms();
	if (fs_plan_due(&co->fs) <= 0)
		return 0;
	due = fleet_plan_run_due(o->cfg_path, co->db);
	/* the plan ran its own loop: ours served nothing on purpose */
	loop_stall_pause(co->loop);
	if (due == -2) {
		co->stopping = SIGTERM;	/* taken by the plan's loop */
		return 0;
	}
	return due;
}

static void
daemon_usage(FILE *f)
{
	fputs(
"usage: bmcfleetd [-c FILE] [--db CONNINFO] [--spool DIR] [--what LIST]\n"
"                 [--db-wait DURATION] [--no-lease] [--retire] [-q]\n"
"\n"
"Sweep the configured BMCs into PostgreSQL every collector.sweep_interval,\n"
"sharing the fleet with other bmcfleetd processes through leases, and run\n"
"the power plans stored with `plan apply --at TIME` when their time comes.\n"
"SIGHUP reloads the configuration (a broken one is refused, the old one\n"
"kept); SIGTERM or SIGINT stops at once (sessions in flight are closed,\n"
"their BMCs left due), lets the writer go on while it commits (up to\n"
"--db-wait, a duration like 30s or 2m, default 30s; not once it has\n"
"committed nothing for 1 s: rows wait in the spool), and exits.  Logs go\n"
"to stderr: a line per sweep, and for a sweep that touched no host, why\n"
"(\"not due: next in 4m10s\", \"leased by another collector, HOST:PID\",\n"
"\"backing off after failures\", \"no hosts in the config\").\n"
"BMCs of the database missing from the config are retired only a few at a\n"
"time (at most 3, and at most a tenth of the fleet) unless --retire.\n"
"Between sweeps: PET traps on collector.traps.listen (default UDP 162, else\n"
"10162 without the privilege; off disables) from configured BMCs only (and\n"
"their GUID when known; the rest dropped and counted) each start a SEL read\n"
"of their BMC at once and are linked to the entry they announced, or stored\n"
"as PET-only events; every collector.sel_interval a light pass asks each\n"
"BMC Get SEL Info and walks the SEL only where it moved.\n"
"With http.listen in the config: an HTTP listener on that address\n"
"(/api/v1/... JSON, docs/API.md), bearer token and TLS as configured; a\n"
"SIGHUP re-reads the token file, a changed address needs a restart.\n", f);
}

static void
on_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct collect *co = arg;

	(void)t;
	(void)co;
	loop_stop(l);
}

int
fleet_daemon_main(int argc, char **argv)
{
	struct collect_opts o;
	struct collect co;
	struct loop_timer tick;
	struct alerts_engine *alerts = NULL;
	struct serve *srv = NULL;
	char herr[1024];
	int rc;
	uint64_t next, n = 0, last_ms = 0, settled_ms = 0;

	if ((rc = collect_getopts(argc, argv, &o, "bmcfleetd", 0,
	    daemon_usage)) != -1)
		return rc;
	if ((rc = collect_start(&co, &o, 1)) != 0)
		goto out;
	rc = 1;
	if (loop_add_signal(co.loop, SIGTERM, collect_on_signal, &co) != 0 ||
	    loop_add_signal(co.loop, SIGINT, collect_on_signal, &co) != 0 ||
	    loop_add_signal(co.loop, SIGHUP, collect_on_signal, &co) != 0) {
		fprintf(stderr, "bmcfleetd: signals: %s\n", strerror(errno));
		goto out;
	}
	if (collect_events_open(&co) != 0) {
		fprintf(stderr, "bmcfleetd: events: out of memory\n");
		goto out;
	}
	/* http: (cli/serve.c) on the loop, between and during sweeps */
	if (serve_open(&co, &srv, herr, sizeof(herr)) != 0) {
		fprintf(stderr, "bmcfleetd: %s\n", herr);
		goto out;
	}
	/* the alert engine runs on the loop, between and during sweeps */
	alerts = alerts_engine_start(co.loop, &co.c, co.db);
	loop_timer_init(&tick, on_tick, &co);
	fprintf(stderr, "bmcfleetd: %zu BMCs from %s, a sweep every %" PRIu64
	    " s\n", co.n, o.cfg_path,
	    co.c.collector.sweep_interval_ms / 1000);
	for (;;) {
		uint64_t t0 = wall_ms(), interval =
		    co.c.collector.sweep_interval_ms, lag;
		const struct sweep_stats *st;
		char late[64] = "";

		/*
		 * A BMC is due one interval after its own last sweep, and its
		 * swept_at is when its results were committed: during or
		 * after the previous sweep, after that sweep's t0.  Claiming
		 * only those swept before t0 - interval skipped every one of
		 * them, so each BMC went two intervals between sweeps.  The
		 * time from the previous sweep's start until the writer had
		 * committed all of it is added back (at most 90% of an
		 * interval, so another collector's fresh sweeps stay
		 * untouched).
		 */
		lag = settled_ms + 200;
		if (lag > interval / 10 * 9)
			lag = interval / 10 * 9;
		if ((rc = collect_sweep(&co, t0 - interval + lag)) != 0) {
			if (rc == -1)
				fprintf(stderr, "bmcfleetd: %s\n",
				    strerror(errno));
			rc = 1;
			goto out;
		}
		st = sweep_stats(co.sweep);
		last_ms = wall_ms() - t0;
		if (co.swept > 0 && co.oldest_ms > 0)
			snprintf(late, sizeof(late), ", the latest %.1f s late",
			    co.oldest_ms > interval ?
			    (double)(co.oldest_ms - interval) / 1000 : 0.0);
		/* the stall: since the previous line, the wait included */
		if (co.swept == 0) {
			char why[512];

			(void)sweep_idle_reason(&co.idle, why, sizeof(why));
			fprintf(stderr, "bmcfleetd: sweep %" PRIu64 ": 0 hosts "
			    "due: %s; database: %s, %zu batch(es) pending\n",
			    ++n, why, dbw_status(co.dbw), dbw_pending(co.dbw));
			(void)loop_stall_take(co.loop);
		} else
			fprintf(stderr, "bmcfleetd: sweep %" PRIu64 ": %zu hosts "
			    "due%s, swept in %.1f s: %zu ok, %zu failed; %zu "
			    "readings, %zu SEL entries; database: %s, %zu "
			    "batch(es) pending; longest loop stall %" PRIu64
			    " ms\n", ++n, co.swept, late,
			    (double)last_ms / 1000, st->ok, st->failed,
			    st->readings, st->events, dbw_status(co.dbw),
			    dbw_pending(co.dbw),
			    loop_stall_take(co.loop) / 1000);
		{
			char ev[512];

			collect_events_words(&co, ev, sizeof(ev));
			fprintf(stderr, "bmcfleetd: sweep %" PRIu64 " events: "
			    "%s\n", n, ev);
		}
		/* wait for the next interval; the writer works meanwhile, and
		 * power plans whose time has come run (sweeps wait for them) */
		next = t0 + interval;
		settled_ms = 0;
		while (!co.stopping && wall_ms() < next) {
			uint64_t left = next - wall_ms(), step;

			/* when the sweep's last rows were committed: its BMCs'
			 * swept_at is no later than this */
			if (settled_ms == 0 && dbw_idle(co.dbw))
				settled_ms = wall_ms() - t0;
			if (due_check(&co, &o) > 0)
				continue;
			step = settled_ms == 0 ? 100 : 1000;
			loop_timer_set(co.loop, &tick, loop_now(co.loop) +
			    (left < step ? left : step));
			(void)loop_run(co.loop);
		}
		if (settled_ms == 0)
			settled_ms = wall_ms() - t0;
		loop_timer_cancel(co.loop, &tick);
		if (co.stopping == SIGHUP) {
			co.stopping = 0;
			collect_events_suspend(&co);
			alerts_engine_stop(alerts);	/* it holds the config */
			rc = collect_fleet_load(&co, &o);
			if (collect_events_resume(&co) != 0) {
				fprintf(stderr, "bmcfleetd: events: out of "
				    "memory\n");
				rc = 1;
				goto out;
			}
			if (rc == 0) {
				fprintf(stderr, "bmcfleetd: reloaded %s: %zu "
				    "BMCs\n", o.cfg_path, co.n);
				db_reopen(&co, &o);
				serve_reload(srv);
			}
			else
				fprintf(stderr, "bmcfleetd: reload of %s "
				    "refused; keeping the previous fleet\n",
				    o.cfg_path);
			alerts = alerts_engine_start(co.loop, &co.c, co.db);
			continue;
		}
		if (co.stopping)
			break;
	}
	/* traps still waiting for their entry stored first, PET-only */
	collect_events_close(&co);
	fprintf(stderr, "bmcfleetd: stopping: %s\n",
	    collect_drain(&co, o.wait_ms) ? "every row written" :
	    "rows wait in the spool for the next start");
	rc = 0;
out:
	serve_close(srv);
	alerts_engine_stop(alerts);
	collect_events_close(&co);
	collect_close(&co);
	return rc;
}
