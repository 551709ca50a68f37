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
#include "lib/log.h"
#include "lib/sdnotify.h"

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
		log_msg(LOG_NOTICE, NULL, "database changed: reconnecting");
	}
	if (co->db != NULL && dbw_set_conninfo(co->dbw, co->db) != 0)
		log_msg(LOG_ERR, NULL, "database: out of memory");
	dbw_set_timeout(co->dbw, co->c.collector.db_timeout_ms);
	fs_close(&co->fs);	/* the next sweep connects afresh */
	if (sdir != NULL && co->spool.dir != NULL &&
	    strcmp(sdir, co->spool.dir) != 0)
		log_msg(LOG_WARNING, NULL, "spool_dir changed to %s: restart "
		    "bmcfleetd to use it (batches wait in %s)", sdir,
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
	if (due > 0)
		co->plans_run += (uint64_t)due;	/* for /metrics */
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
"to stderr: a line per sweep, its first failed hosts a line each, and for\n"
"a sweep that touched no host, why (\"not due: next in 4m10s\", \"leased\n"
"by another collector, HOST:PID\", \"backing off after failures\", \"no\n"
"hosts in the config\").  Under systemd (deploy/systemd/bmcfleetd.service)\n"
"they go to the journal with a priority and BMC=, PLAN=, ERRNO= fields,\n"
"and the daemon reports READY, STATUS (the last sweep), WATCHDOG (from its\n"
"event loop), RELOADING and STOPPING through $NOTIFY_SOCKET.\n"
"BMCs of the database missing from the config are retired only a few at a\n"
"time (at most 3, and at most a tenth of the fleet) unless --retire.\n"
"Between sweeps: PET traps on collector.traps.listen (default UDP 162, else\n"
"10162 without the privilege; off disables) from configured BMCs only (and\n"
"their GUID when known; the rest dropped and counted) each start a SEL read\n"
"of their BMC at once and are linked to the entry they announced, or stored\n"
"as PET-only events; every collector.sel_interval a light pass asks each\n"
"BMC Get SEL Info and walks the SEL only where it moved.\n"
"With http.listen in the config: an HTTP listener on that address\n"
"(/api/v1/... JSON, docs/API.md; / a status page for people: hosts by\n"
"state, failing hosts and why, the last day's warning and critical events,\n"
"plans running), bearer token and TLS as configured; a\n"
"SIGHUP re-reads the token file, a changed address needs a restart.\n"
"There, /metrics and /ipmi?target=BMC serve Prometheus from each BMC's\n"
"latest sweep in memory, in ipmi_exporter's names (docs/METRICS.md).\n", f);
}

/* an error with its errno, as a field too */
static void
log_errno(int e)
{
	char f[32];

	snprintf(f, sizeof(f), "ERRNO=%d", e);
	log_msg(LOG_ERR, f, "%s", strerror(e));
}

/*
 * The sweep's first failed hosts, a line each with its BMC= field (in
 * the journal: `journalctl BMC=node042`); the count of the rest.  "sweep
 * N failed", not "sweep N:", which starts the sweep's own line (scripts
 * and the tests read those).
 */
static void
log_failed(struct collect *co, uint64_t n)
{
	size_t k;

	for (k = 0; k < co->nfail && k < COLLECT_NAMED; k++) {
		const struct drv_target *t = &co->hosts[co->failv[k]].t;
		char f[300];

		snprintf(f, sizeof(f), "BMC=%s", t->name);
		log_msg(LOG_WARNING, f, "sweep %" PRIu64 " failed %s: %s%s%s",
		    n, t->name, drv_fail_name(t->fail), t->errmsg[0] ? ": " :
		    "", t->errmsg);
	}
	if (co->nfail > k)
		log_msg(LOG_WARNING, NULL, "sweep %" PRIu64 " failed: ... and %zu "
		    "more (`bmcfleet status` lists them)", n,
		    co->nfail - k);
}

/*
 * Ready once it can serve: the config loaded, the spool open, the trap
 * and HTTP sockets bound; before the first sweep, so that `systemctl
 * start` returns without waiting a sweep of the fleet.  The watchdog
 * pings come from the loop from now on.
 */
static void
daemon_ready(struct collect *co, struct sdnotify_wd *wd)
{
	(void)sdnotify_sendf("READY=1\nSTATUS=%zu BMCs, the first sweep "
	    "starting", co->n);
	if (sdnotify_watchdog_start(co->loop, wd) != 0)
		log_msg(LOG_WARNING, NULL, "watchdog: %s", strerror(errno));
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
	struct sdnotify_wd wd = { .every_ms = 0 };
	struct alerts_engine *alerts = NULL;
	struct serve *srv = NULL;
	char herr[1024];
	int rc;
	uint64_t next, n = 0, last_ms = 0, settled_ms = 0;

	log_init("bmcfleetd");
	if ((rc = collect_getopts(argc, argv, &o, "bmcfleetd", 0,
	    daemon_usage)) != -1)
		return rc;
	if ((rc = collect_start(&co, &o, 1)) != 0)
		goto out;
	rc = 1;
	if (loop_add_signal(co.loop, SIGTERM, collect_on_signal, &co) != 0 ||
	    loop_add_signal(co.loop, SIGINT, collect_on_signal, &co) != 0 ||
	    loop_add_signal(co.loop, SIGHUP, collect_on_signal, &co) != 0) {
		log_msg(LOG_ERR, NULL, "signals: %s", strerror(errno));
		goto out;
	}
	if (collect_events_open(&co) != 0) {
		log_msg(LOG_ERR, NULL, "events: out of memory");
		goto out;
	}
	/* http: (cli/serve.c) on the loop, between and during sweeps */
	if (serve_open(&co, &srv, herr, sizeof(herr)) != 0) {
		log_msg(LOG_ERR, NULL, "%s", herr);
		goto out;
	}
	/* the alert engine runs on the loop, between and during sweeps */
	alerts = alerts_engine_start(co.loop, &co.c, co.db);
	loop_timer_init(&tick, on_tick, &co);
	log_msg(LOG_NOTICE, NULL, "%zu BMCs from %s, a sweep every %" PRIu64
	    " s", co.n, o.cfg_path, co.c.collector.sweep_interval_ms / 1000);
	daemon_ready(&co, &wd);
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
		/*
		 * Serving /metrics, the first sweep takes every BMC it may
		 * lease, swept lately or not: the memory behind /metrics and
		 * /ipmi starts empty, and would stay partial for up to an
		 * interval after a restart.  Another collector's leases are
		 * still respected.
		 */
		if ((rc = collect_sweep(&co, n == 0 && srv != NULL ? t0 :
		    t0 - interval + lag)) != 0) {
			if (rc == -1)
				log_errno(errno);
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
			log_msg(LOG_INFO, NULL, "sweep %" PRIu64 ": 0 hosts "
			    "due: %s; database: %s, %zu batch(es) pending",
			    ++n, why, dbw_status(co.dbw), dbw_pending(co.dbw));
			(void)sdnotify_sendf("STATUS=sweep %" PRIu64 ": 0 "
			    "hosts due; database: %s, %zu batch(es) pending",
			    n, dbw_status(co.dbw), dbw_pending(co.dbw));
			(void)loop_stall_take(co.loop);
		} else {
			log_msg(st->failed ? LOG_WARNING : LOG_INFO, NULL,
			    "sweep %" PRIu64 ": %zu hosts "
			    "due%s, swept in %.1f s: %zu ok, %zu failed; %zu "
			    "readings, %zu SEL entries; database: %s, %zu "
			    "batch(es) pending; longest loop stall %" PRIu64
			    " ms", ++n, co.swept, late,
			    (double)last_ms / 1000, st->ok, st->failed,
			    st->readings, st->events, dbw_status(co.dbw),
			    dbw_pending(co.dbw),
			    loop_stall_take(co.loop) / 1000);
			(void)sdnotify_sendf("STATUS=sweep %" PRIu64 ": %zu "
			    "ok, %zu failed in %.1f s; database: %s, %zu "
			    "batch(es) pending", n, st->ok, st->failed,
			    (double)last_ms / 1000, dbw_status(co.dbw),
			    dbw_pending(co.dbw));
		}
		log_failed(&co, n);
		{
			char ev[512];

			collect_events_words(&co, ev, sizeof(ev));
			log_msg(LOG_INFO, NULL, "sweep %" PRIu64 " events: %s",
			    n, ev);
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
			(void)sdnotify_sendf("RELOADING=1\nMONOTONIC_USEC=%"
			    PRIu64, loop_now_us(co.loop));
			collect_events_suspend(&co);
			alerts_engine_stop(alerts);	/* it holds the config */
			rc = collect_fleet_load(&co, &o);
			if (collect_events_resume(&co) != 0) {
				log_msg(LOG_ERR, NULL, "events: out of memory");
				rc = 1;
				goto out;
			}
			if (rc == 0) {
				log_msg(LOG_NOTICE, NULL, "reloaded %s: %zu "
				    "BMCs", o.cfg_path, co.n);
				db_reopen(&co, &o);
				serve_reload(srv);
			}
			else
				log_msg(LOG_ERR, NULL, "reload of %s "
				    "refused; keeping the previous fleet",
				    o.cfg_path);
			(void)sdnotify_sendf("READY=1\nSTATUS=%s %s: %zu "
			    "BMCs", rc == 0 ? "reloaded" : "reload refused, "
			    "kept", o.cfg_path, co.n);
			alerts = alerts_engine_start(co.loop, &co.c, co.db);
			continue;
		}
		if (co.stopping)
			break;
	}
	/* traps still waiting for their entry stored first, PET-only */
	(void)sdnotify_send("STOPPING=1\nSTATUS=stopping: writing the last "
	    "rows");
	collect_events_close(&co);
	log_msg(LOG_NOTICE, NULL, "stopping: %s",
	    collect_drain(&co, o.wait_ms) ? "every row written" :
	    "rows wait in the spool for the next start");
	rc = 0;
out:
	serve_close(srv);
	alerts_engine_stop(alerts);
	collect_events_close(&co);
	sdnotify_watchdog_stop(co.loop, &wd);	/* before the loop goes */
	collect_close(&co);
	return rc;
}
