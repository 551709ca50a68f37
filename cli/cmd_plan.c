/*
 * plan: fleet power operations from the command line.
 *
 *   bmcfleet power on|off|cycle|reset|status TARGETS [--batch N]
 *       [--interval D] [--verify|--no-verify] [--budget W] [--soft]
 *       [--timeout D] [--retries N] [--yes] [--dry-run]
 *   bmcfleet plan apply FILE [--at TIME] [--dry-run] [--yes]
 *   bmcfleet plan run|resume ID, plan status ID [--watch], plan abort ID,
 *       plan list
 *   bmcfleet audit [--since TIME] [--host NAME] [--plan ID] [--limit N]
 *       [--format table|json|csv]
 *
 * apply: targets resolved through the config, each host's draw estimated
 * (peak DCMI reading while on, from the database, else the config's
 * per-model figure, else its default), batches sized by count and budget
 * (scheduler/plan.c), the schedule printed, then stored (power_plan, one
 * power_plan_host row per host and stage) unless --dry-run.  run: the
 * stored spec (not the file) through scheduler/exec.c.  A one-liner is a
 * one-stage plan applied and run at once.  What the operator reads says
 * what happened and what can be done next ("plan 3 stored, not running:
 * start it with ...", "plan 3 started (...); follow it: ..."), the end of
 * a run is a tally from the stored hosts (tally()), and plan events are
 * words in the terminal's output and the audit table, names in JSON and
 * CSV and the webhook.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/config.h"
#include "cli/opts.h"
#include "cli/sesscfg.h"
#include "cli/rail.h"
#include "cli/cmd_plan.h"
#include "cli/table.h"
#include "store/db.h"
#include "store/planstore.h"
#include "collector/driver.h"
#include "collector/task_power.h"
#include "lib/gbuf.h"
#include "lib/json.h"
#include "lib/loop.h"
#include "lib/log.h"
#include "lib/sdnotify.h"
#include "lib/units.h"
#include "lib/when.h"
#include "ipmi/boot.h"
#include "ipmi/cmds.h"
#include "ipmi/crypto.h"
#include "ipmi/ipmi.h"
#include "ipmi/session.h"
#include "scheduler/exec.h"
#include "scheduler/plan.h"
#include "scheduler/webhook.h"
#include "lib/text.h"


struct ctx {
	struct config	 c;
	int		 have_c;
	const char	*cfg_path;
	const char	*db;
	struct pg_conn	*pg;
	struct loop	*loop;
	struct sdnotify_wd wd;		/* bmcfleetd's watchdog, on this loop */
	/* per config BMC, built on first use */
	struct ipmi_session_cfg *scfg;
	struct sesscfg_creds creds;	/* passwords, read once each */
	char		 who[64];
	char		 origin[160];
	int		 yes;
	int		 dry_run;
	int		 quiet;
	int		 run_now;	/* power: apply, then run at once */
	size_t		 run_stages;	/* of the plan being run, for the */
	size_t		 run_hosts;	/* line that says it started */
	volatile int	 stop;		/* SIGTERM/SIGINT seen while a plan ran */
};

static void
ctx_release(struct ctx *x)
{
	sesscfg_release(&x->creds);
	free(x->scfg);
	db_close(x->pg);
	if (x->loop != NULL) {
		sdnotify_watchdog_stop(x->loop, &x->wd);
		loop_free(x->loop);
	}
	if (x->have_c)
		config_release(&x->c);
}

/* who and where, as direct mode's audit rows say it */
static void
who_and_where(struct ctx *x)
{
	rail_who(x->who, sizeof(x->who), x->origin, sizeof(x->origin));
}

/* A plan-level audit row by this user. */
static void
audit(struct ctx *x, int64_t id, const char *op, const char *result,
    const char *detail)
{
	struct plan_audit a = {
		.who = x->who, .origin = x->origin, .plan_id = id,
		.stage = -1, .batch = -1, .op = op, .result = result,
		.detail = detail, .duration_ms = -1,
	};

	(void)planstore_audit(x->pg, &a);
}

/* Config, database and loop.  0, or an exit status. */
static void
on_stop(struct loop *l, int signo, void *arg)
{
	struct ctx *x = arg;

	x->stop = signo;
	loop_stop(l);
}

static int
ctx_open(struct ctx *x)
{
	char err[CONFIG_ERR_MAX];

	who_and_where(x);
	if (config_load(&x->c, x->cfg_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: %s\n", err);
		return 2;
	}
	x->have_c = 1;
	if (x->db == NULL)
		x->db = x->c.database;
	if (x->db == NULL) {
		fprintf(stderr, "bmcfleet: no database: give --db, database: "
		    "in %s, or $BMCFLEET_DB\n", x->cfg_path);
		return 2;
	}
	if (db_connect(x->db, &x->pg, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: database not reachable: %s\n", err);
		x->pg = NULL;
		return 1;
	}
	if ((x->loop = loop_new()) == NULL) {
		fprintf(stderr, "bmcfleet: event loop: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	/* a plan stops within a moment of SIGTERM or ^C, paused, resumable */
	if (loop_add_signal(x->loop, SIGTERM, on_stop, x) != 0 ||
	    loop_add_signal(x->loop, SIGINT, on_stop, x) != 0) {
		fprintf(stderr, "bmcfleet: signals: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

/* The session settings of a configured BMC (exec_session_fn). */
static const struct ipmi_session_cfg *
session_of(void *arg, const char *name, const char **address, uint16_t *port)
{
	struct ctx *x = arg;
	const struct config_bmc *b;
	struct ipmi_session_cfg *s;
	char err[512];
	long k;

	if ((k = config_bmc_find(&x->c, name)) < 0)
		return NULL;
	b = &x->c.bmcs[k];
	if (x->scfg == NULL) {
		x->scfg = calloc(x->c.nbmcs ? x->c.nbmcs : 1,
		    sizeof(*x->scfg));
		if (x->scfg == NULL || sesscfg_init(&x->creds, &x->c) != 0)
			return NULL;
	}
	s = &x->scfg[k];
	*address = b->address;
	*port = b->s.port;
	if (s->user != NULL)
		return s;
	if (sesscfg_fill(&x->c, b, &x->creds, s, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: %s\n", err);
		return NULL;
	}
	return s;
}

/* --- power status ---------------------------------------------------------- */

struct shost {
	struct drv_target t;
	int		 have;
	int		 on;
};

static enum drv_step
status_step(void *arg, struct drv_target *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct shost *h = (struct shost *)t;
	struct task_power p;
	enum drv_step st;

	(void)arg;
	task_power_init(&p, TASK_POWER_STATUS);
	if ((st = task_power_step(&p, rsp, req)) == DRV_STEP_FAIL)
		driver_fail(t, p.err, "%s", p.why);
	if (p.have_power) {
		h->have = 1;
		h->on = p.power_on;
	}
	return st;
}

static int
power_status(struct ctx *x, const size_t *idx, size_t n)
{
	struct shost *hs;
	struct drv_target **tv;
	struct driver_cfg dc;
	size_t on = 0, off = 0, bad = 0;

	if ((hs = calloc(n ? n : 1, sizeof(*hs))) == NULL ||
	    (tv = calloc(n ? n : 1, sizeof(*tv))) == NULL) {
		free(hs);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *addr;
		uint16_t port;

		hs[i].t.name = x->c.bmcs[idx[i]].name;
		hs[i].t.session = session_of(x, hs[i].t.name, &addr, &port);
		hs[i].t.host = addr;
		hs[i].t.port = port;
		tv[i] = &hs[i].t;
	}
	memset(&dc, 0, sizeof(dc));
	dc.fanout = x->c.collector.concurrency;
	dc.step = status_step;
	(void)driver_run(x->loop, &dc, tv, n);
	for (size_t i = 0; i < n; i++) {
		if (!hs[i].have) {
			printf("%s: unknown: %s: %s\n", hs[i].t.name,
			    drv_fail_name(hs[i].t.fail), hs[i].t.errmsg);
			bad++;
			continue;
		}
		printf("%s: %s\n", hs[i].t.name, hs[i].on ? "on" : "off");
		on += hs[i].on;
		off += !hs[i].on;
	}
	fflush(stdout);
	fprintf(stderr, "power: %zu on, %zu off, %zu unknown\n", on, off, bad);
	free(hs);
	free(tv);
	return bad ? 1 : 0;
}

/* --- apply ------------------------------------------------------------------- */

struct staged {
	size_t		*idx;		/* config BMC indices, by name */
	size_t		 n;
	uint32_t	*watts;
	uint16_t	*batch_of;
	size_t		 nbatches;
	char		*last_power;	/* 'y' on, 'n' off, '?' unknown */
};

static void
staged_release(struct staged *s, size_t n)
{
	for (size_t i = 0; s != NULL && i < n; i++) {
		free(s[i].idx);
		free(s[i].watts);
		free(s[i].batch_of);
		free(s[i].last_power);
	}
	free(s);
}

/* Estimates and last-seen power from the database. */
struct est_arg {
	struct ctx	*x;
	struct staged	*s;
};

static void
est_one(void *arg, const struct plan_host_est *e)
{
	struct est_arg *a = arg;
	struct ctx *x = a->x;
	struct staged *s = a->s;
	uint32_t model = e->have_model ? config_model_watts(&x->c,
	    e->manufacturer, e->product) : 0;

	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(x->c.bmcs[s->idx[i]].name, e->name) != 0)
			continue;
		s->watts[i] = plan_estimate_watts(e->have_peak ? e->peak_w : 0,
		    model, x->c.power.default_watts);
		if (e->have_power)
			s->last_power[i] = e->power_on ? 'y' : 'n';
		break;
	}
}

static int
estimate(struct ctx *x, struct staged *s)
{
	struct est_arg a = { x, s };
	const char **names;
	char err[512];
	int rc;

	if ((names = calloc(s->n ? s->n : 1, sizeof(*names))) == NULL ||
	    (s->watts = calloc(s->n ? s->n : 1, sizeof(*s->watts))) == NULL ||
	    (s->last_power = calloc(s->n ? s->n : 1, 1)) == NULL) {
		free(names);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++) {
		names[i] = x->c.bmcs[s->idx[i]].name;
		s->watts[i] = plan_estimate_watts(0, 0,
		    x->c.power.default_watts);
		s->last_power[i] = '?';
	}
	rc = planstore_estimates(x->pg, names, s->n, est_one, &a, err,
	    sizeof(err));
	free(names);
	if (rc != 0)
		fprintf(stderr, "bmcfleet: database: %s\n", err);
	return rc;
}

static int
confirm(struct ctx *x, size_t hosts, const char *what)
{
	char line[16];

	if (x->yes || hosts <= x->c.scheduler.confirm_limit)
		return 1;
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "bmcfleet: %s touches %zu hosts, more than "
		    "scheduler.confirm_limit (%u): give --yes\n", what, hosts,
		    x->c.scheduler.confirm_limit);
		return 0;
	}
	fprintf(stderr, "%s touches %zu hosts. Go on? [y/N] ", what, hosts);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

/*
 * Every stage's targets, estimates and batches, in the stages' order, so
 * that an unknown host in the last stage stops the plan before anything
 * is printed or stored.  0, or an exit status (a message said).
 */
static int
resolve(struct ctx *x, const struct plan *pl, const size_t *order,
    struct staged *s)
{
	char err[512];

	for (size_t oi = 0; oi < pl->nstages; oi++) {
		const struct plan_stage *st = &pl->stages[order[oi]];
		struct staged *g = &s[order[oi]];

		if (config_select(&x->c, st->targets, &g->idx, &g->n, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "bmcfleet: stage %s: %s\n", st->name,
			    err);
			return 2;
		}
		if (estimate(x, g) != 0)
			return 1;
		if ((g->batch_of = calloc(g->n ? g->n : 1,
		    sizeof(*g->batch_of))) == NULL) {
			fprintf(stderr, "bmcfleet: out of memory\n");
			return 1;
		}
		if (plan_batches(g->watts, g->n, st->batch, st->budget_w,
		    x->c.power.inrush_pct, g->batch_of, &g->nbatches, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "bmcfleet: stage %s: %s\n", st->name,
			    err);
			return 2;
		}
	}
	return 0;
}

/*
 * A host two stages select is acted on by both, in the stages' order
 * (an off stage and a later on stage is a way to cycle): said, since it
 * is more often a TARGETS written ',' for '+'.
 */
static void
warn_overlaps(struct ctx *x, const struct plan *pl, const size_t *order,
    const struct staged *s)
{
	enum { SHOWN = 3 };

	for (size_t i = 0; i < pl->nstages; i++)
		for (size_t j = i + 1; j < pl->nstages; j++) {
			const struct staged *a = &s[order[i]], *b =
			    &s[order[j]];
			const char *an = pl->stages[order[i]].name;
			const char *bn = pl->stages[order[j]].name;
			size_t first[SHOWN], n, k;

			n = plan_overlap(a->idx, a->n, b->idx, b->n, first,
			    SHOWN);
			if (n == 0)
				continue;
			fprintf(stderr, "bmcfleet: warning: stages %s and %s "
			    "both select %zu host%s (", an, bn, n,
			    n == 1 ? "" : "s");
			for (k = 0; k < n && k < SHOWN; k++)
				fprintf(stderr, "%s%s", k ? ", " : "",
				    x->c.bmcs[first[k]].name);
			if (n > SHOWN)
				fprintf(stderr, ", and %zu more", n - SHOWN);
			fprintf(stderr, "): each stage acts on them, %s "
			    "first\n", an);
		}
}

/* Resolve, estimate, batch and print a plan; store it unless dry-run.
 * *id gets the new plan's ID.  0, or an exit status. */
static int
apply(struct ctx *x, const struct plan *pl, const char *run_at,
    int64_t *id)
{
	struct staged *s;
	size_t *order, total = 0;
	char err[512];
	int rc = 1;

	*id = 0;
	if ((s = calloc(pl->nstages ? pl->nstages : 1, sizeof(*s))) == NULL ||
	    (order = calloc(pl->nstages ? pl->nstages : 1,
	    sizeof(*order))) == NULL) {
		free(s);
		return 1;
	}
	if (plan_order(pl, order) != 0) {
		fprintf(stderr, "bmcfleet: the plan's stages depend on each "
		    "other in a cycle\n");
		rc = 2;
		goto out;
	}
	/* every stage's hosts and batches before a line is printed */
	if ((rc = resolve(x, pl, order, s)) != 0)
		goto out;
	rc = 1;
	warn_overlaps(x, pl, order, s);
	printf("plan%s%s: %zu stage(s)\n", pl->name ? " " : "",
	    pl->name ? pl->name : "", pl->nstages);
	for (size_t oi = 0; oi < pl->nstages; oi++) {
		size_t k = order[oi];
		const struct plan_stage *st = &pl->stages[k];
		struct staged *g = &s[k];
		uint64_t peak = 0;
		size_t likely_skip = 0;
		char iv[32];

		total += g->n;
		for (size_t i = 0; i < g->n; i++)
			if ((st->op == PLAN_OP_ON ||
			    st->op == PLAN_OP_BOOTDEV_ON) ?
			    g->last_power[i] == 'y' :
			    (st->op == PLAN_OP_OFF || st->op ==
			    PLAN_OP_SOFT_OFF) && g->last_power[i] == 'n')
				likely_skip++;
		plan_format_duration(st->interval_ms, iv, sizeof(iv));
		printf("stage %s: %s %zu host(s) in %zu batch(es)%s%s%s",
		    st->name, plan_op_name(st->op), g->n, g->nbatches,
		    st->interval_ms ? ", " : "", st->interval_ms ? iv : "",
		    st->interval_ms ? " apart" : "");
		if (st->budget_w)
			printf(", budget %u W per batch (inrush +%u%%)",
			    st->budget_w, x->c.power.inrush_pct);
		printf("%s\n", st->verify ? ", verified" : "");
		for (size_t b = 0; b < g->nbatches; b++) {
			uint64_t w = 0;
			size_t nh = 0;
			char at[160];

			for (size_t i = 0; i < g->n; i++)
				if (g->batch_of[i] == b) {
					w += (uint64_t)g->watts[i] *
					    (100 + x->c.power.inrush_pct) / 100;
					nh++;
				}
			if (w > peak)
				peak = w;
			printf("  batch %zu: %zu host(s), est. %" PRIu64
			    " W with inrush, %s\n", b + 1, nh, w,
			    plan_batch_rule(pl, order, oi, b, at, sizeof(at)));
		}
		printf("  estimated peak per batch: %" PRIu64 " W; %zu host(s) "
		    "last seen %s (skipped if still so)\n", peak, likely_skip,
		    st->op == PLAN_OP_OFF || st->op == PLAN_OP_SOFT_OFF ?
		    "off" : "on");
		if (g->nbatches > 1 && st->interval_ms > 0)
			printf("  a batch whose hosts are all %s already sends "
			    "nothing and does not wait\n", st->op ==
			    PLAN_OP_OFF || st->op == PLAN_OP_SOFT_OFF ? "off" :
			    "on");
	}
	if (x->dry_run) {
		printf("dry run: nothing stored, nothing sent\n");
		rc = 0;
		goto out;
	}
	if (!confirm(x, total, "this plan")) {
		rc = 2;
		goto out;
	}
	{
		char *json = NULL;

		if (plan_to_json(pl, &json) != 0)
			goto out;
		rc = planstore_plan_create(x->pg, pl->name, json, run_at, x->who,
		    x->origin, id, err, sizeof(err));
		free(json);
		if (rc != 0) {
			fprintf(stderr, "bmcfleet: database: %s\n", err);
			rc = 1;
			goto out;
		}
		rc = 1;
	}
	for (size_t k = 0; k < pl->nstages; k++) {
		const struct staged *g = &s[k];

		for (size_t i = 0; i < g->n; i++)
			(void)planstore_host_add(x->pg, *id, k,
			    x->c.bmcs[g->idx[i]].name, g->batch_of[i],
			    g->watts[i]);
	}
	audit(x, *id, "plan-apply", run_at ? "scheduled" : "stored", run_at);
	/* power runs it now and says so when it starts */
	if (run_at != NULL)
		printf("plan %" PRId64 " stored, scheduled for %s: bmcfleetd "
		    "starts it then (to start it now: bmcfleet plan run %"
		    PRId64 ")\n", *id, run_at, *id);
	else if (!x->run_now)
		printf("plan %" PRId64 " stored, not running: start it with "
		    "bmcfleet plan run %" PRId64 "\n", *id, *id);
	rc = 0;
out:
	staged_release(s, pl->nstages);
	free(order);
	return rc;
}

/* --- run --------------------------------------------------------------------- */

static void
on_progress(void *arg, int ev, const char *line)
{
	struct ctx *x = arg;

	/* "plan 7 started" says what else the operator can do, even -q */
	if (ev == EXEC_EV_START) {
		char id[32];

		if (sscanf(line, "plan %31s", id) != 1)
			id[0] = '\0';
		printf("%s (%zu stage%s, %zu host%s); follow it: bmcfleet plan "
		    "status %s\n", line, x->run_stages, x->run_stages == 1 ?
		    "" : "s", x->run_hosts, x->run_hosts == 1 ? "" : "s", id);
	} else if (!x->quiet) {
		printf("%s\n", line);
	}
	fflush(stdout);
}

static int
exec_stage_of(const struct plan_stage *ps, struct exec_stage *es)
{
	memset(es, 0, sizeof(*es));
	snprintf(es->name, sizeof(es->name), "%s", ps->name);
	switch (ps->op) {
	case PLAN_OP_ON: es->op = EXEC_ON; break;
	case PLAN_OP_OFF: es->op = EXEC_OFF; break;
	case PLAN_OP_SOFT_OFF: es->op = EXEC_SOFT_OFF; break;
	case PLAN_OP_CYCLE: es->op = EXEC_CYCLE; break;
	case PLAN_OP_RESET: es->op = EXEC_RESET; break;
	case PLAN_OP_BOOTDEV_ON: es->op = EXEC_BOOTDEV_ON; break;
	default: return -1;
	}
	if (ps->op == PLAN_OP_BOOTDEV_ON) {
		int d = boot_dev_parse(plan_bootdev_name(ps->bootdev));

		if (d < 0)
			return -1;
		es->bootdev = (uint8_t)d;
	}
	es->persistent = ps->persistent;
	es->efi = ps->efi;
	es->interval_ms = ps->interval_ms;
	es->verify = ps->verify;
	es->verify_timeout_ms = ps->verify_timeout_ms;
	es->soft_timeout_ms = ps->soft_timeout_ms;
	es->retries = ps->retries;
	es->fail_threshold = ps->failure_threshold;
	es->fail_pct = ps->failure_pct;
	es->abort_on_fail = ps->on_failure == PLAN_ON_FAILURE_ABORT;
	return 0;
}

/* The stored plan's spec into *pl: 0, or 1 with a message ("no plan"). */
static int
plan_of(struct ctx *x, int64_t id, struct plan *pl)
{
	char err[512], *spec;

	memset(pl, 0, sizeof(*pl));
	if (planstore_plan_spec(x->pg, id, &spec) != 0) {
		fprintf(stderr, "bmcfleet: no plan %" PRId64 "\n", id);
		return 1;
	}
	if (plan_from_json(pl, spec, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: plan %" PRId64 ": stored spec: %s\n",
		    id, err);
		free(spec);
		return 1;
	}
	free(spec);
	return 0;
}

/*
 * The plan's hosts as stored, in words (exec_tally), into out.  0, or -1
 * with err.
 */
static int
tally(struct ctx *x, int64_t id, const struct plan *pl, char *out,
    size_t len, char *err, size_t errlen)
{
	struct plan_table t;
	struct exec_tally_host *th;
	size_t n = 0;

	if (planstore_plan_hosts(x->pg, id, &t, err, errlen) != 0)
		return -1;
	if ((th = calloc(t.nrows ? t.nrows : 1, sizeof(*th))) == NULL) {
		plan_table_release(&t);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* stage, batch, host, state, attempts, before, after, error */
	for (size_t r = 0; r < t.nrows; r++) {
		char **c = &t.cells[r * t.ncols];
		long k = c[0] != NULL ? strtol(c[0], NULL, 10) : -1;
		struct exec_stage es;

		if (t.ncols < 8 || k < 0 || (size_t)k >= pl->nstages ||
		    c[2] == NULL || c[3] == NULL ||
		    exec_stage_of(&pl->stages[k], &es) != 0)
			continue;
		th[n].op = es.op;
		th[n].verify = es.verify;
		th[n].name = c[2];
		th[n].state = c[3];
		th[n].error = c[7];
		n++;
	}
	exec_tally(th, n, id, out, len);
	free(th);
	plan_table_release(&t);
	return 0;
}

static void
wh_log(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "bmcfleet: webhook: %s\n", line);
}

static int
run_plan(struct ctx *x, int64_t id)
{
	struct plan pl;
	struct exec_stage *es = NULL;
	struct exec_cfg ec;
	struct webhook *wh = NULL;
	struct plan_table t;
	size_t *order = NULL;
	char err[512], pid[32], sum[1024];
	const char *result;
	int rc = 1;

	snprintf(pid, sizeof(pid), "%" PRId64, id);
	if (plan_of(x, id, &pl) != 0)
		return 1;
	x->run_stages = pl.nstages;
	x->run_hosts = 0;
	if (planstore_plan_batches(x->pg, id, &t, err, sizeof(err)) == 0) {
		/* stage, name, batch, hosts, ... */
		for (size_t r = 0; r < t.nrows; r++)
			if (t.ncols > 3 && t.cells[r * t.ncols + 3] != NULL)
				x->run_hosts += strtoul(t.cells[r * t.ncols +
				    3], NULL, 10);
		plan_table_release(&t);
	}
	if ((es = calloc(pl.nstages ? pl.nstages : 1, sizeof(*es))) == NULL ||
	    (order = calloc(pl.nstages ? pl.nstages : 1, sizeof(*order))) ==
	    NULL || plan_order(&pl, order) != 0)
		goto out;
	for (size_t i = 0; i < pl.nstages; i++)
		if (exec_stage_of(&pl.stages[i], &es[i]) != 0)
			goto out;
	if (x->c.scheduler.webhook.url != NULL) {
		char tok[512];
		int tl = config_webhook_token(&x->c, tok, sizeof(tok), err,
		    sizeof(err));

		if (tl < 0)
			fprintf(stderr, "bmcfleet: webhook: %s (notifications "
			    "off)\n", err);
		else
			wh = webhook_new(x->loop, x->c.scheduler.webhook.url,
			    tl > 0 ? tok : NULL, wh_log, x);
		crypto_wipe(tok, sizeof(tok));
	}
	memset(&ec, 0, sizeof(ec));
	ec.store = &planstore_ops;
	ec.store_ctx = x->pg;
	ec.loop = x->loop;
	ec.plan_id = id;
	ec.stages = es;
	ec.nstages = pl.nstages;
	ec.order = order;
	ec.session = session_of;
	ec.session_arg = x;
	ec.concurrency = x->c.collector.concurrency;
	ec.poll_ms = x->c.scheduler.poll_interval_ms;
	ec.who = x->who;
	ec.origin = x->origin;
	ec.webhook = wh;
	ec.progress = on_progress;
	ec.progress_arg = x;
	ec.stop = &x->stop;
	result = exec_run(&ec, err, sizeof(err));
	if (result == NULL && (strncmp(err, "plan ", 5) == 0 ||
	    strncmp(err, "no plan ", 8) == 0))
		fprintf(stderr, "bmcfleet: %s\n", err);
	else if (result == NULL)
		fprintf(stderr, "bmcfleet: plan %s: %s\n", pid, err);
	/* the end in words: what was done, skipped, failed (named) */
	if (result != NULL && tally(x, id, &pl, sum, sizeof(sum), err,
	    sizeof(err)) == 0)
		printf("plan %s %s: %s\n", pid, strcmp(result, "done") == 0 ?
		    "done" : "so far", sum);
	else if (result != NULL)
		printf("plan %s %s\n", pid, result);
	if (result != NULL && (strcmp(result, "paused") == 0 ||
	    strcmp(result, "failed") == 0))
		printf("plan %s is %s: resume it with bmcfleet plan resume %s, "
		    "or give up with bmcfleet plan abort %s\n", pid, result,
		    pid, pid);
	/* let the notifications go out (bounded) */
	for (int i = 0; wh != NULL && webhook_pending(wh) > 0 && i < 150;
	    i++)
		(void)loop_run_once(x->loop, 100);
	rc = result != NULL && strcmp(result, "done") == 0 ? 0 : 1;
out:
	webhook_free(wh);
	free(es);
	free(order);
	plan_release(&pl);
	return rc;
}

/* --- status, list, abort, audit ------------------------------------------------ */

/* A listing as columns (NULL cells as "-"); empty: said when no rows. */
static int
print_table(int rc, struct plan_table *t, const char *err,
    const char *empty)
{
	size_t nf = t->ncols, nr = t->nrows, *w;

	if (rc != 0) {
		fprintf(stderr, "bmcfleet: database: %s\n", err);
		return 1;
	}
	if (nr == 0 && empty != NULL) {
		printf("%s\n", empty);
		plan_table_release(t);
		return 0;
	}
	if ((w = calloc(nf ? nf : 1, sizeof(*w))) == NULL) {
		plan_table_release(t);
		return 1;
	}
	for (size_t f = 0; f < nf; f++) {
		w[f] = strlen(t->cols[f]);
		for (size_t r = 0; r < nr; r++)
			if (t->cells[r * nf + f] != NULL &&
			    strlen(t->cells[r * nf + f]) > w[f])
				w[f] = strlen(t->cells[r * nf + f]);
	}
	for (size_t f = 0; f < nf; f++) {
		const char *c = t->cols[f];
		char up[64];
		size_t k;

		for (k = 0; c[k] && k < sizeof(up) - 1; k++)
			up[k] = (char)(c[k] >= 'a' && c[k] <= 'z' ? c[k] - 32 :
			    c[k] == '_' ? '-' : c[k]);
		up[k] = '\0';
		printf("%-*s%s", f + 1 < nf ? (int)w[f] : 0, up,
		    f + 1 < nf ? "  " : "\n");
	}
	for (size_t r = 0; r < nr; r++)
		for (size_t f = 0; f < nf; f++)
			printf("%-*s%s", f + 1 < nf ? (int)w[f] : 0,
			    t->cells[r * nf + f] == NULL ? "-" :
			    t->cells[r * nf + f], f + 1 < nf ? "  " : "\n");
	free(w);
	plan_table_release(t);
	return 0;
}

static int
plan_status(struct ctx *x, int64_t id, int hosts)
{
	struct plan_table t;
	struct plan pl;
	char err[512], sum[1024];
	int rc;

	if ((rc = planstore_plan_show(x->pg, id, &t, err, sizeof(err))) == 0 &&
	    t.nrows == 0) {
		plan_table_release(&t);
		fprintf(stderr, "bmcfleet: no plan %" PRId64 " (bmcfleet plan "
		    "list shows the plans)\n", id);
		return 1;
	}
	if ((rc = print_table(rc, &t, err, NULL)) != 0)
		return rc;
	rc = print_table(planstore_plan_batches(x->pg, id, &t, err,
	    sizeof(err)), &t, err, "no hosts");
	if (rc != 0)
		return rc;
	if (plan_of(x, id, &pl) == 0) {
		if (tally(x, id, &pl, sum, sizeof(sum), err, sizeof(err)) == 0)
			printf("tally: %s\n", sum);
		plan_release(&pl);
	}
	if (!hosts)
		return 0;
	return print_table(planstore_plan_hosts(x->pg, id, &t, err,
	    sizeof(err)), &t, err, NULL);
}

static int
parse_id(const char *s, int64_t *id)
{
	char *end;

	errno = 0;
	*id = strtoll(s, &end, 10);
	return errno || *end || *id <= 0 ? -1 : 0;
}

/*
 * --since or --at TIME as lib/when reads it (an age is that long ago, or
 * with WHEN_AHEAD from now): 0 with *ms, or exit status 2.
 */
static int
option_time(const char *opt, const char *s, enum when_dir dir, int64_t *ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (when_parse(s, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
	    dir, ms) == 0)
		return 0;
	fprintf(stderr, "bmcfleet: %s '%s': %s\n", opt, s, errno == ERANGE ?
	    "out of range (1970 to 9999; an age up to 100 years)" :
	    "expected " WHEN_HELP);
	return 2;
}

/* --interval, --timeout D: min_ms to 1d, its unit required; 0 or 2 */
static int
option_duration(const char *opt, const char *s, uint64_t min_ms,
    uint64_t *ms)
{
	char why[128];

	if (units_duration_why(s, UNITS_BARE_NONE, min_ms, UNITS_DAY, ms, why,
	    sizeof(why)) == 0)
		return 0;
	fprintf(stderr, "bmcfleet: %s '%s': %s\n", opt, s, why);
	return 2;
}

/*
 * The audit log's columns (planstore_audit_list's, by number).  The
 * operation is its name in JSON and CSV (plan-start, batch-start, on,
 * verify: what programs match) and in words in the table.
 */
enum { AU_OP_WORDS = 100 };
static const struct col audit_cols[] = {
	{ "at", NULL, T_STR, COL_ALL, 0 },
	{ "who", NULL, T_STR, COL_ALL, 1 },
	{ "origin", NULL, T_STR, COL_ALL, 2 },
	{ "plan", NULL, T_NUM, COL_ALL | COL_RIGHT, 3 },
	{ "stage", NULL, T_NUM, COL_ALL | COL_RIGHT, 4 },
	{ "batch", NULL, T_NUM, COL_ALL | COL_RIGHT, 5 },
	{ "host", NULL, T_STR, COL_ALL, 6 },
	{ "operation", NULL, T_STR, COL_DATA, 7 },
	{ "operation", NULL, T_STR, COL_TABLE, AU_OP_WORDS },
	{ "result", NULL, T_STR, COL_ALL, 8 },
	{ "duration_ms", NULL, T_NUM, COL_ALL | COL_RIGHT, 9 },
	{ "before", NULL, T_STR, COL_ALL, 10 },
	{ "after", NULL, T_STR, COL_ALL, 11 },
	{ "detail", NULL, T_STR, COL_ALL, 12 },
	{ "id", NULL, T_NUM, COL_DATA, 13 },
};

/* The audit rows t as a table of audit_cols (cells copied). */
static void
audit_fill(struct table *out, const struct plan_table *t)
{
	size_t nc = sizeof(audit_cols) / sizeof(audit_cols[0]);

	memset(out, 0, sizeof(*out));
	out->cols = (struct col *)audit_cols;
	out->ncols = nc;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t k = 0; k < nc; k++) {
			int src = audit_cols[k].src;

			if (src == AU_OP_WORDS)
				cells_add(&out->c, t->cells[r * t->ncols + 7] ==
				    NULL ? NULL : exec_event_words(
				    t->cells[r * t->ncols + 7]));
			else
				cells_add(&out->c, (size_t)src < t->ncols ?
				    t->cells[r * t->ncols + src] : NULL);
		}
}

static int
audit_main(struct ctx *x, int64_t since_ms, const char *host,
    const char *plan, const char *limit, enum table_format f)
{
	struct plan_table t;
	struct table out;
	char err[512];
	int rc;

	if (planstore_audit_list(x->pg, since_ms, host, plan, limit, &t, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: database: %s\n", err);
		return 1;
	}
	if (t.nrows == 0 && f == F_TABLE) {
		printf("no audit entries\n");
		plan_table_release(&t);
		return 0;
	}
	audit_fill(&out, &t);
	plan_table_release(&t);
	rc = table_put(&out, f);
	cells_release(&out.c);
	return rc;
}

int
audit_json(const struct plan_table *t, struct gbuf *out)
{
	struct table tb;
	int rc;

	audit_fill(&tb, t);
	rc = table_json(&tb, out);
	cells_release(&tb.c);
	return rc;
}

int
plan_table_json(const struct plan_table *t, struct gbuf *out)
{
	struct json j;

	json_init(&j, out, JSON_SPACED);
	json_arr(&j);
	for (size_t r = 0; r < t->nrows; r++) {
		json_obj(&j);
		for (size_t f = 0; f < t->ncols; f++)
			json_key_str(&j, t->cols[f], t->cells[r * t->ncols + f]);
		json_end(&j);
	}
	json_end(&j);
	gbuf_putc(out, '\n');
	return json_failed(&j) || gbuf_failed(out) ? -1 : 0;
}

/* --- entry points ---------------------------------------------------------------- */

static const char *const power_words[] = { "on", "off", "cycle", "reset",
    "status", NULL };
static const char *const plan_words[] = { "apply", "run", "resume",
    "status", "abort", "list", NULL };

static int
is_word(const char *w, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcmp(w, *words) == 0)
			return 1;
	return 0;
}

/* "unknown plan command 'aply' (did you mean 'apply'?)", exit status 2 */
static int
unknown_word(const char *cmd, const char *what, const char *w,
    const char *const *words)
{
	char hint[64];

	fprintf(stderr, "bmcfleet: unknown %s %s '%s'%s\nTry 'bmcfleet %s "
	    "--help'.\n", cmd, what, w, text_did_you_mean(hint, sizeof(hint),
	    w, words, SIZE_MAX), cmd);
	return 2;
}

static void
usage(FILE *f)
{
	fputs(
"usage: bmcfleet power on|off|cycle|reset|status TARGETS [options]\n"
"       bmcfleet plan apply FILE [--at TIME] [--dry-run] [--yes]\n"
"       bmcfleet plan run|resume|abort ID | plan status ID [--hosts] |\n"
"                plan list\n"
"       bmcfleet audit [--since TIME] [--host NAME] [--plan ID] [--limit N]\n"
"                [--format table|json|csv]\n"
"\n"
"Fleet power operations in stages and batches, from bmcfleet.yaml's BMCs,\n"
"kept in PostgreSQL so a crash resumes instead of repeating.\n"
"\n"
"TARGETS: @group, key=value, host[1-10], name*, !exclusion; '+' for\n"
"hosts in both (@storage+rack=r12), ',' for either.  plan apply resolves\n"
"every stage before printing and warns when two stages share hosts.\n"
"\n"
"power options (a one-stage plan, applied and run at once):\n"
"  --batch N          hosts per batch (default: all)\n"
"  --interval D       a batch starts when the one before is verified and\n"
"                     no sooner than D after the last batch that sent\n"
"                     commands started (10s, 1m)\n"
"  --budget W         watts per batch (estimated draw, inrush included)\n"
"  --verify / --no-verify   poll until the state is confirmed (default on)\n"
"  --timeout D        verification timeout, or with --soft the time before\n"
"                     a hard off (default 120s / 300s)\n"
"  --soft             off: ACPI soft-off first, hard off after --timeout\n"
"  --retries N        per host (default 1)\n"
"  --yes              do not ask, even above scheduler.confirm_limit\n"
"  --dry-run          show the batches; store and send nothing\n"
"plan status shows the counts per batch and the tally (turned on/off,\n"
"skipped, failed by name); --hosts every host, in natural order.  An ID\n"
"that does not exist: 'no plan ID', exit 1.\n"
"audit options:\n"
"  --format table|json|csv   output (table); JSON and CSV keep the event\n"
"                     names (plan-start, batch-start) that the table says\n"
"                     in words\n"
"Common: -c FILE (bmcfleet.yaml), --db CONNINFO, -q.\n"
"D: a duration with its unit (500ms, 10s, 1m, 1h30m).  TIME: an age\n"
"(1h, 2d: ago for --since, from now for --at), a date or a local time\n"
"(2026-12-01, 2026-12-01T10:00; Z or +01:00 for UTC or an offset), now,\n"
"today or yesterday.\n"
"'on' never cycles a node that is on: hosts already in the target state\n"
"are skipped and recorded as such; a host that does not answer is never\n"
"reported as off.  Every action is a row of the audit log.\n\n", f);
	fputs(opts_targets_help, f);
}

int
fleet_plan_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'D' },
		{ "batch", required_argument, NULL, 'b' },
		{ "interval", required_argument, NULL, 'i' },
		{ "budget", required_argument, NULL, 'B' },
		{ "verify", no_argument, NULL, 'v' },
		{ "no-verify", no_argument, NULL, 'V' },
		{ "timeout", required_argument, NULL, 't' },
		{ "soft", no_argument, NULL, 's' },
		{ "retries", required_argument, NULL, 'r' },
		{ "yes", no_argument, NULL, 'y' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "at", required_argument, NULL, 'a' },
		{ "hosts", no_argument, NULL, 'H' },
		{ "since", required_argument, NULL, 'S' },
		{ "host", required_argument, NULL, 'h' },
		{ "plan", required_argument, NULL, 'P' },
		{ "limit", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'F' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, '?' + 256 },
		{ NULL, 0, NULL, 0 },
	};
	struct plan_stage_opts po = PLAN_STAGE_OPTS_INIT;
	const char *verb = argv[0], *at = NULL, *since = NULL, *host = NULL;
	const char *planid = NULL, *limit = NULL, *format = NULL;
	enum table_format fmt = F_TABLE;
	struct ctx x;
	int ch, rc, show_hosts = 0;
	char err[512];

	memset(&x, 0, sizeof(x));
	x.cfg_path = getenv("BMCFLEET_CONFIG");
	if (x.cfg_path == NULL)
		x.cfg_path = "/etc/bmcfleet/bmcfleet.yaml";
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:q", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': x.cfg_path = optarg; break;
		case 'D': x.db = optarg; break;
		case 'b':
			po.batch = (uint32_t)strtoul(optarg, NULL, 10);
			if (po.batch == 0) {
				fprintf(stderr, "bmcfleet: --batch: expected a "
				    "number of hosts, 1 or more\n");
				return 2;
			}
			break;
		case 'i':
			if (option_duration("--interval", optarg, 0,
			    &po.interval_ms) != 0)
				return 2;
			break;
		case 'B':
			if (plan_parse_watts(optarg, &po.budget_w) != 0) {
				fprintf(stderr, "bmcfleet: --budget: expected "
				    "watts like 8000W or 8kW\n");
				return 2;
			}
			break;
		case 'v': po.verify = 1; break;
		case 'V': po.verify = 0; break;
		case 't':
			if (option_duration("--timeout", optarg, UNITS_SEC,
			    &po.timeout_ms) != 0)
				return 2;
			break;
		case 's': po.soft = 1; break;
		case 'r': po.retries = atoi(optarg); break;
		case 'y': x.yes = 1; break;
		case 'n': x.dry_run = 1; break;
		case 'a': {
			static char atbuf[32];
			int64_t ms;

			/* an instant, given to PostgreSQL as UTC: "10m" is
			 * from now, a time without Z or offset local */
			if ((rc = option_time("--at", optarg, WHEN_AHEAD,
			    &ms)) != 0)
				return rc;
			when_format_utc(ms, atbuf, sizeof(atbuf));
			at = atbuf;
			break;
		}
		case 'H': show_hosts = 1; break;
		case 'S': since = optarg; break;
		case 'h': host = optarg; break;
		case 'P': planid = optarg; break;
		case 'l': limit = optarg; break;
		case 'F':
			format = optarg;
			if (strcmp(optarg, "table") == 0)
				fmt = F_TABLE;
			else if (strcmp(optarg, "json") == 0)
				fmt = F_JSON;
			else if (strcmp(optarg, "csv") == 0)
				fmt = F_CSV;
			else {
				fprintf(stderr, "bmcfleet: --format '%s': "
				    "expected table, json or csv\n", optarg);
				return 2;
			}
			break;
		case 'q': x.quiet = 1; break;
		case '?' + 256:
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (format != NULL && strcmp(verb, "audit") != 0) {
		fprintf(stderr, "bmcfleet: %s: --format is audit's (table, "
		    "json or csv)\n", verb);
		return 2;
	}
	if (strcmp(verb, "audit") == 0) {
		int64_t since_ms = -1;

		if (since != NULL && (rc = option_time("--since", since,
		    WHEN_AGO, &since_ms)) != 0)
			return rc;
		if ((rc = ctx_open(&x)) == 0)
			rc = audit_main(&x, since_ms, host, planid, limit, fmt);
		ctx_release(&x);
		return rc;
	}
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	if (strcmp(verb, "power") == 0) {
		const char *op = argv[0];
		int pop = plan_op_parse(op);
		struct plan pl;
		int64_t id;
		size_t *idx = NULL, n = 0;

		if (strcmp(op, "status") != 0 && (pop < 0 ||
		    pop == PLAN_OP_BOOTDEV_ON))
			return unknown_word("power", "action", op, power_words);
		if (argc != 2) {
			fprintf(stderr, "bmcfleet: power %s: expected TARGETS "
			    "(@group, rack=r12, host[1-10], !host5, @all)\n",
			    op);
			return 2;
		}
		if (strcmp(op, "status") == 0) {
			if ((rc = ctx_open(&x)) == 0) {
				if (config_select(&x.c, argv[1], &idx, &n, err,
				    sizeof(err)) != 0) {
					fprintf(stderr, "bmcfleet: %s\n", err);
					rc = 2;
				} else {
					rc = power_status(&x, idx, n);
				}
			}
			free(idx);
			ctx_release(&x);
			return rc;
		}
		if (strcmp(op, "off") == 0 && po.soft)
			pop = PLAN_OP_SOFT_OFF;
		if (pop < 0 || pop == PLAN_OP_BOOTDEV_ON) {
			fprintf(stderr, "bmcfleet: power: unknown operation "
			    "'%s' (on, off, cycle, reset, status)\n", op);
			return 2;
		}
		if (plan_stage_opts_check(pop, argv[1], &po, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "bmcfleet: power %s: %s\n", op, err);
			return 2;
		}
		memset(&pl, 0, sizeof(pl));
		if (plan_from_oneliner(&pl, pop, argv[1], &po) != 0) {
			fprintf(stderr, "bmcfleet: out of memory\n");
			return 1;
		}
		x.run_now = 1;
		if ((rc = ctx_open(&x)) == 0 &&
		    (rc = apply(&x, &pl, NULL, &id)) == 0 && !x.dry_run)
			rc = run_plan(&x, id);
		plan_release(&pl);
		ctx_release(&x);
		return rc;
	}
	if (strcmp(verb, "plan") != 0) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "apply") == 0) {
		struct plan pl;
		int64_t id;

		if (argc != 2) {
			fprintf(stderr, "bmcfleet: plan apply FILE\n");
			return 2;
		}
		memset(&pl, 0, sizeof(pl));
		if (plan_load(&pl, argv[1], err, sizeof(err)) != 0) {
			fprintf(stderr, "bmcfleet: %s\n", err);
			return 2;
		}
		if ((rc = ctx_open(&x)) == 0)
			rc = apply(&x, &pl, at, &id);
		plan_release(&pl);
		ctx_release(&x);
		return rc;
	}
	if (strcmp(argv[0], "list") == 0) {
		if ((rc = ctx_open(&x)) == 0) {
			struct plan_table t;

			rc = print_table(planstore_plan_list(x.pg, &t, err,
			    sizeof(err)), &t, err, "no plans");
		}
		ctx_release(&x);
		return rc;
	}
	{
		int64_t id;

		/* the commands that take an ID, and words meant for one */
		if (!is_word(argv[0], plan_words))
			return unknown_word("plan", "command", argv[0],
			    plan_words);
		if (argc != 2 || parse_id(argv[1], &id) != 0) {
			fprintf(stderr, "bmcfleet: plan %s: expected a plan "
			    "ID\n", argv[0]);
			return 2;
		}
		if ((rc = ctx_open(&x)) != 0) {
			ctx_release(&x);
			return rc;
		}
		if (strcmp(argv[0], "run") == 0 ||
		    strcmp(argv[0], "resume") == 0) {
			rc = run_plan(&x, id);
		} else if (strcmp(argv[0], "status") == 0) {
			/* live on a terminal while the plan runs */
			for (;;) {
				char st[32] = "";

				rc = plan_status(&x, id, show_hosts);
				if (rc != 0 || !isatty(STDOUT_FILENO))
					break;
				(void)planstore_plan_state(x.pg, id, st,
				    sizeof(st));
				if (strcmp(st, "running") != 0)
					break;
				fflush(stdout);
				sleep(1);
				printf("\033[H\033[2J");
			}
		} else if (strcmp(argv[0], "abort") == 0) {
			char pid[32], st[32];

			snprintf(pid, sizeof(pid), "%" PRId64, id);
			rc = planstore_plan_abort(x.pg, id) ? 0 : 1;
			if (rc == 0) {
				audit(&x, id, "plan-abort", "aborted",
				    "by an operator");
				printf("plan %s aborted: a running executor "
				    "stops before its next batch\n", pid);
			} else if (planstore_plan_state(x.pg, id, st,
			    sizeof(st)) != 0) {
				fprintf(stderr, "bmcfleet: no plan %s\n", pid);
			} else {
				fprintf(stderr, "bmcfleet: plan %s is %s: "
				    "nothing to abort\n", pid, st);
			}
		} else {
			usage(stderr);
			rc = 2;
		}
		ctx_release(&x);
		return rc;
	}
}

int
fleet_plan_run_due(const char *cfg_path, const char *db)
{
	struct ctx x;
	int ran = 0;

	memset(&x, 0, sizeof(x));
	x.cfg_path = cfg_path;
	x.db = db;
	x.yes = 1;
	if (ctx_open(&x) != 0) {
		ctx_release(&x);
		return -1;
	}
	/* bmcfleetd's own loop waits meanwhile: the pings come from this one */
	(void)sdnotify_watchdog_start(x.loop, &x.wd);
	/* each due plan once per call; one that cannot start stays due */
	for (int k = 0; k < 16; k++) {
		int64_t id;

		if (!planstore_plan_next_due(x.pg, &id))
			break;
		char f[32];

		snprintf(f, sizeof(f), "PLAN=%" PRId64, id);
		log_msg(LOG_NOTICE, f, "plan %" PRId64 " is due: running it",
		    id);
		(void)run_plan(&x, id);
		ran++;
		if (x.stop)
			break;
		if (planstore_plan_scheduled(x.pg, id))
			break;
	}
	ctx_release(&x);
	/* a stop signal the plan's loop took is the daemon's too */
	return x.stop ? -2 : ran;
}
