#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/session.h"
#include "lib/loop.h"
#include "scheduler/exec.h"
#include "store/planstore.h"
#include "tests/unit/ckmain.h"

/* the body as bmcfleet has always sent it, for plain words */
START_TEST(body_plain)
{
	char *b;

	ck_assert_ptr_nonnull(b = exec_notify_body("plan-start", 42,
	    "running", "alice", NULL, NULL));
	ck_assert_str_eq(b, "{\"event\": \"plan-start\", \"plan\": 42, "
	    "\"state\": \"running\", \"by\": \"alice\"}");
	free(b);
	ck_assert_ptr_nonnull(b = exec_notify_body("plan-pause", 7, "paused",
	    "ops@host", "racks-1", "3 of 10 failed"));
	ck_assert_str_eq(b, "{\"event\": \"plan-pause\", \"plan\": 7, "
	    "\"state\": \"paused\", \"by\": \"ops@host\", \"stage\": "
	    "\"racks-1\", \"reason\": \"3 of 10 failed\"}");
	free(b);
}
END_TEST

/*
 * who and the stage went into the body unescaped: a quote in either made
 * the receiver's JSON parser refuse the notification (or read other
 * fields); the reason lost its quotes, backslashes and controls
 */
START_TEST(body_escaped)
{
	char *b;

	ck_assert_ptr_nonnull(b = exec_notify_body("plan-abort", 1,
	    "aborted", "eve\", \"admin\": true, \"x\": \"", "st\"age\\1",
	    "host \"r1n2\" said:\n\tC:\\fail"));
	ck_assert_str_eq(b, "{\"event\": \"plan-abort\", \"plan\": 1, "
	    "\"state\": \"aborted\", \"by\": \"eve\\\", \\\"admin\\\": true, "
	    "\\\"x\\\": \\\"\", \"stage\": \"st\\\"age\\\\1\", \"reason\": "
	    "\"host \\\"r1n2\\\" said:\\u000a\\u0009C:\\\\fail\"}");
	free(b);
	/* a name that is not UTF-8 still makes valid JSON */
	ck_assert_ptr_nonnull(b = exec_notify_body("plan-done", 2, "done",
	    "j\xf6rg", NULL, NULL));
	ck_assert_str_eq(b, "{\"event\": \"plan-done\", \"plan\": 2, "
	    "\"state\": \"done\", \"by\": \"j\xef\xbf\xbdrg\"}");
	free(b);
	ck_assert_ptr_nonnull(b = exec_notify_body("plan-done", -1, "done",
	    NULL, NULL, NULL));
	ck_assert_str_eq(b, "{\"event\": \"plan-done\", \"plan\": -1, "
	    "\"state\": \"done\", \"by\": null}");
	free(b);
}
END_TEST

/* a long reason is sent whole (the old body stopped at 1 KiB) */
START_TEST(body_long_reason)
{
	char reason[3000], want[3100], *b;
	size_t i;

	for (i = 0; i < sizeof(reason) - 1; i++)
		reason[i] = (char)('a' + i % 26);
	reason[sizeof(reason) - 1] = '\0';
	ck_assert_ptr_nonnull(b = exec_notify_body("plan-fail", 3, "failed",
	    "bob", NULL, reason));
	snprintf(want, sizeof(want), "{\"event\": \"plan-fail\", \"plan\": 3, "
	    "\"state\": \"failed\", \"by\": \"bob\", \"reason\": \"%s\"}",
	    reason);
	ck_assert_str_eq(b, want);
	free(b);
}
END_TEST

/* --- the executor's decisions, against a fake plan store --------------- */

/*
 * The fake holds one plan's hosts in memory and journals every call the
 * executor makes.  No test here needs a BMC to answer: the hosts whose
 * power is asked for have session settings the driver refuses before it
 * opens a socket (a password too long for IPMI), so they fail at once as
 * a BMC that does not answer would; the other decisions are made from
 * the stored states alone.
 */
#define F_MAX	16

struct fhost {
	int		 stage;
	int		 batch;
	char		 name[32];
	char		 state[16];
	unsigned	 attempts;
	char		 before[8];
	char		 after[8];
	char		 error[160];
};

struct faudit {
	int		 stage;
	int		 batch;
	char		 host[32];
	char		 op[32];
	char		 result[32];
	char		 detail[256];
};

struct fake {
	int		 held;		/* the lock is another executor's */
	int		 locks;
	int		 unlocks;
	char		 state[32];	/* "" : no such plan */
	int		 abort_at;	/* loading this batch of stage 0 makes the
					   plan aborted (an operator): -1 never */
	const char	*start_fails;	/* plan_start's error, or NULL */
	char		 executor[64];
	struct fhost	 h[F_MAX];
	size_t		 nh;
	/* the journal */
	char		 sets[F_MAX][300];	/* "state stage reason" */
	size_t		 nsets;
	int		 loads[F_MAX];		/* stage * 100 + batch */
	size_t		 nloads;
	char		 saves[4 * F_MAX][96];	/* "name state attempts after" */
	size_t		 nsaves;
	struct faudit	 audit[4 * F_MAX];
	size_t		 naudit;
};

static void
fake_init(struct fake *f, const char *state)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->state, sizeof(f->state), "%s", state);
	f->abort_at = -1;
}

static void
fake_host(struct fake *f, int stage, int batch, const char *name,
    const char *state, unsigned attempts)
{
	struct fhost *h = &f->h[f->nh++];

	ck_assert_uint_le(f->nh, F_MAX);
	h->stage = stage;
	h->batch = batch;
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(h->state, sizeof(h->state), "%s", state);
	h->attempts = attempts;
}

static struct fhost *
fake_find(struct fake *f, int stage, const char *name)
{
	for (size_t i = 0; i < f->nh; i++)
		if (f->h[i].stage == stage && strcmp(f->h[i].name, name) == 0)
			return &f->h[i];
	return NULL;
}

static int
f_lock(void *ctx, int64_t plan)
{
	struct fake *f = ctx;

	(void)plan;
	f->locks++;
	return f->held ? 0 : 1;
}

static void
f_unlock(void *ctx, int64_t plan)
{
	(void)plan;
	((struct fake *)ctx)->unlocks++;
}

static int
f_plan_state(void *ctx, int64_t plan, char *out, size_t len)
{
	struct fake *f = ctx;

	(void)plan;
	if (f->state[0] == '\0')
		return -1;
	snprintf(out, len, "%s", f->state);
	return 0;
}

static int
f_plan_start(void *ctx, int64_t plan, const char *executor, char *err,
    size_t errlen)
{
	struct fake *f = ctx;

	(void)plan;
	if (f->start_fails != NULL) {
		snprintf(err, errlen, "%s", f->start_fails);
		return -1;
	}
	snprintf(f->state, sizeof(f->state), "running");
	snprintf(f->executor, sizeof(f->executor), "%s", executor);
	return 0;
}

static int
f_plan_set(void *ctx, int64_t plan, const char *state, int stage,
    const char *reason, char *err, size_t errlen)
{
	struct fake *f = ctx;

	(void)plan;
	(void)err;
	(void)errlen;
	ck_assert_uint_lt(f->nsets, F_MAX);
	snprintf(f->sets[f->nsets++], sizeof(f->sets[0]), "%s %d %s", state,
	    stage, reason != NULL ? reason : "-");
	snprintf(f->state, sizeof(f->state), "%s", state);
	return 0;
}

static int
f_stage_batches(void *ctx, int64_t plan, int stage)
{
	struct fake *f = ctx;
	int nb = 0;

	(void)plan;
	for (size_t i = 0; i < f->nh; i++)
		if (f->h[i].stage == stage && f->h[i].batch + 1 > nb)
			nb = f->h[i].batch + 1;
	return nb;
}

static int
f_stage_failures(void *ctx, int64_t plan, int stage, unsigned *failed,
    unsigned *total)
{
	struct fake *f = ctx;

	(void)plan;
	*failed = *total = 0;
	for (size_t i = 0; i < f->nh; i++)
		if (f->h[i].stage == stage) {
			++*total;
			*failed += strcmp(f->h[i].state, "failed") == 0;
		}
	return 0;
}

static int
f_batch_load(void *ctx, int64_t plan, int stage, int batch,
    int (*each)(void *, const struct plan_host_row *), void *arg,
    char *err, size_t errlen)
{
	struct fake *f = ctx;

	(void)plan;
	(void)err;
	(void)errlen;
	ck_assert_uint_lt(f->nloads, F_MAX);
	f->loads[f->nloads++] = stage * 100 + batch;
	if (stage == 0 && batch == f->abort_at)
		snprintf(f->state, sizeof(f->state), "aborted");
	for (size_t i = 0; i < f->nh; i++) {
		struct plan_host_row r;

		if (f->h[i].stage != stage || f->h[i].batch != batch)
			continue;
		r.name = f->h[i].name;
		r.state = f->h[i].state;
		r.attempts = f->h[i].attempts;
		r.before = f->h[i].before;
		if (each(arg, &r) != 0)
			return -1;
	}
	return 0;
}

static int
f_host_save(void *ctx, int64_t plan, int stage,
    const struct plan_host_row *r, const char *after, const char *error,
    char *err, size_t errlen)
{
	struct fake *f = ctx;
	struct fhost *h = fake_find(f, stage, r->name);

	(void)plan;
	(void)err;
	(void)errlen;
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_lt(f->nsaves, 4 * F_MAX);
	snprintf(f->saves[f->nsaves++], sizeof(f->saves[0]), "%s %s %u %s",
	    r->name, r->state, r->attempts, after != NULL ? after : "-");
	snprintf(h->state, sizeof(h->state), "%s", r->state);
	h->attempts = r->attempts;
	if (h->before[0] == '\0' && r->before != NULL)
		snprintf(h->before, sizeof(h->before), "%s", r->before);
	if (after != NULL)
		snprintf(h->after, sizeof(h->after), "%s", after);
	snprintf(h->error, sizeof(h->error), "%s", error != NULL ? error :
	    "");
	return 0;
}

static int
f_audit(void *ctx, const struct plan_audit *a)
{
	struct fake *f = ctx;
	struct faudit *r;

	ck_assert_uint_lt(f->naudit, 4 * F_MAX);
	r = &f->audit[f->naudit++];
	ck_assert_str_eq(a->who, "tester");
	ck_assert_str_eq(a->origin, "box:1");
	ck_assert_int_eq(a->plan_id, 7);
	r->stage = a->stage;
	r->batch = a->batch;
	snprintf(r->host, sizeof(r->host), "%s", a->host ? a->host : "-");
	snprintf(r->op, sizeof(r->op), "%s", a->op);
	snprintf(r->result, sizeof(r->result), "%s", a->result);
	snprintf(r->detail, sizeof(r->detail), "%s", a->detail ? a->detail :
	    "-");
	return 0;
}

static const struct plan_store_ops fake_ops = {
	.lock = f_lock,
	.unlock = f_unlock,
	.plan_state = f_plan_state,
	.plan_start = f_plan_start,
	.plan_set = f_plan_set,
	.stage_batches = f_stage_batches,
	.stage_failures = f_stage_failures,
	.batch_load = f_batch_load,
	.host_save = f_host_save,
	.audit = f_audit,
};

/* Settings the driver refuses before any I/O: the host never answers. */
static const struct ipmi_session_cfg *
silent_bmc(void *arg, const char *name, const char **address,
    uint16_t *port)
{
	static struct ipmi_session_cfg bad;

	(void)arg;
	(void)name;
	memset(&bad, 0, sizeof(bad));
	bad.password_len = 99;
	*address = "127.0.0.1";
	*port = 623;
	return &bad;
}

struct xrun {
	struct fake	 f;
	struct exec_stage st[2];
	size_t		 order[2];
	struct exec_cfg	 c;
	struct loop	*loop;
	volatile int	 stop;
	char		 err[512];
	char		 said[8][300];
	size_t		 nsaid;
};

static void
heard(void *arg, int ev, const char *line)
{
	struct xrun *x = arg;

	(void)ev;
	if (x->nsaid < 8)
		snprintf(x->said[x->nsaid++], sizeof(x->said[0]), "%s", line);
}

/* One stage 'on' by default, with its hosts to be added by the test. */
static void
xrun_init(struct xrun *x, const char *state)
{
	memset(x, 0, sizeof(*x));
	fake_init(&x->f, state);
	for (int i = 0; i < 2; i++) {
		snprintf(x->st[i].name, sizeof(x->st[i].name), "s%d", i);
		x->st[i].op = EXEC_ON;
		x->st[i].verify = 1;
		x->order[i] = (size_t)i;
	}
	ck_assert_ptr_nonnull(x->loop = loop_new());
	x->c.store = &fake_ops;
	x->c.store_ctx = &x->f;
	x->c.loop = x->loop;
	x->c.plan_id = 7;
	x->c.stages = x->st;
	x->c.nstages = 1;
	x->c.order = x->order;
	x->c.session = silent_bmc;
	x->c.concurrency = 4;
	x->c.poll_ms = 1;
	x->c.who = "tester";
	x->c.origin = "box:1";
	x->c.stop = &x->stop;
	x->c.progress = heard;
	x->c.progress_arg = x;
}

static const char *
xrun_go(struct xrun *x)
{
	return exec_run(&x->c, x->err, sizeof(x->err));
}

static void
xrun_release(struct xrun *x)
{
	loop_free(x->loop);
}

/* "op result" of audit row i, for comparing */
static const char *
arow(const struct xrun *x, size_t i)
{
	static char s[80];

	ck_assert_uint_lt(i, x->f.naudit);
	snprintf(s, sizeof(s), "%s %s", x->f.audit[i].op,
	    x->f.audit[i].result);
	return s;
}

/* a resumed plan runs only what is left: finished hosts are not touched,
 * batches without work are not started */
START_TEST(resume_skips_done)
{
	struct xrun x;

	xrun_init(&x, "paused");
	fake_host(&x.f, 0, 0, "a1", "confirmed", 1);
	fake_host(&x.f, 0, 0, "a2", "skipped", 0);
	fake_host(&x.f, 0, 1, "b1", "failed", 2);
	fake_host(&x.f, 0, 1, "b2", "confirmed", 1);
	/* commanded and not to be verified is as far as it goes */
	x.st[0].verify = 0;
	fake_host(&x.f, 0, 2, "c1", "commanded", 1);
	x.st[0].fail_threshold = 1;
	ck_assert_str_eq(xrun_go(&x), "done");
	ck_assert_str_eq(x.err, "");
	ck_assert_int_eq(x.f.nloads, 3);
	ck_assert_uint_eq(x.f.nsaves, 0);
	ck_assert_str_eq(x.f.executor, "box:1");
	/* a plan that had run before resumes, it does not start */
	ck_assert_uint_eq(x.f.naudit, 2);
	ck_assert_str_eq(arow(&x, 0), "plan-resume running");
	ck_assert_str_eq(arow(&x, 1), "plan-done done");
	ck_assert_int_eq(x.f.nsets, 2);
	ck_assert_str_eq(x.f.sets[0], "running 0 -");
	ck_assert_str_eq(x.f.sets[1], "done -1 -");
	ck_assert_int_eq(x.f.locks, 1);
	ck_assert_int_eq(x.f.unlocks, 1);
	xrun_release(&x);

	xrun_init(&x, "stored");
	ck_assert_str_eq(xrun_go(&x), "done");
	ck_assert_str_eq(arow(&x, 0), "plan-start running");
	xrun_release(&x);
}
END_TEST

/* a crash left a cycle 'commanding': it may have been sent, and a second
 * cycle would cycle the node twice: taken as commanded, not sent again */
START_TEST(resume_cycle_not_repeated)
{
	struct xrun x;

	xrun_init(&x, "running");
	x.st[0].op = EXEC_CYCLE;
	x.st[0].verify = 0;
	fake_host(&x.f, 0, 0, "n1", "commanding", 1);
	ck_assert_str_eq(xrun_go(&x), "done");
	ck_assert_uint_eq(x.f.nsaves, 1);
	ck_assert_str_eq(x.f.saves[0], "n1 commanded 1 -");
	/* no command audited: none was sent */
	ck_assert_uint_eq(x.f.naudit, 3);
	ck_assert_str_eq(arow(&x, 0), "plan-resume running");
	ck_assert_str_eq(arow(&x, 1), "batch-start started");
	ck_assert_str_eq(arow(&x, 2), "plan-done done");
	xrun_release(&x);
}
END_TEST

/* an operator's abort (plan abort) is seen before the next batch */
START_TEST(aborted_stops)
{
	struct xrun x;

	xrun_init(&x, "stored");
	fake_host(&x.f, 0, 0, "a1", "confirmed", 1);
	fake_host(&x.f, 0, 1, "b1", "pending", 0);
	x.f.abort_at = 0;
	ck_assert_str_eq(xrun_go(&x), "aborted");
	/* batch 1 was never loaded, nothing of it saved or sent */
	ck_assert_int_eq(x.f.nloads, 1);
	ck_assert_int_eq(x.f.loads[0], 0);
	ck_assert_uint_eq(x.f.nsaves, 0);
	ck_assert_str_eq(x.f.state, "aborted");
	ck_assert_str_eq(x.f.sets[x.f.nsets - 1], "running 0 -");
	ck_assert_int_eq(x.f.unlocks, 1);
	ck_assert_str_eq(x.said[x.nsaid - 1], "plan 7 aborted by an operator: "
	    "stopping");
	xrun_release(&x);

	/*
	 * done or aborted before it starts: nothing to run, no host touched,
	 * and the plan's state stays (it was set to 'failed', which made an
	 * aborted plan resumable, until issue 12's review)
	 */
	xrun_init(&x, "aborted");
	fake_host(&x.f, 0, 0, "a1", "pending", 0);
	ck_assert_ptr_null(xrun_go(&x));
	ck_assert_str_eq(x.err, "plan 7 is aborted: nothing to run");
	ck_assert_uint_eq(x.f.nloads + x.f.nsaves, 0);
	ck_assert_uint_eq(x.f.nsets, 0);
	ck_assert_str_eq(x.f.state, "aborted");
	ck_assert_str_eq(x.f.executor, "");
	ck_assert_int_eq(x.f.unlocks, 1);
	xrun_release(&x);
	xrun_init(&x, "done");
	ck_assert_ptr_null(xrun_go(&x));
	ck_assert_str_eq(x.err, "plan 7 is done: nothing to run");
	ck_assert_uint_eq(x.f.nsets, 0);
	ck_assert_str_eq(x.f.state, "done");
	xrun_release(&x);
	xrun_init(&x, "");
	ck_assert_ptr_null(xrun_go(&x));
	ck_assert_str_eq(x.err, "no plan 7");
	xrun_release(&x);
}
END_TEST

/* one executor per plan: a held lock refuses the run, touches nothing */
START_TEST(locked_elsewhere)
{
	struct xrun x;

	xrun_init(&x, "running");
	x.f.held = 1;
	fake_host(&x.f, 0, 0, "a1", "pending", 0);
	ck_assert_ptr_null(xrun_go(&x));
	ck_assert_str_eq(x.err, "plan 7 is being run by another executor");
	ck_assert_int_eq(x.f.unlocks, 0);
	ck_assert_uint_eq(x.f.naudit + x.f.nsets + x.f.nloads, 0);
	ck_assert_str_eq(x.f.state, "running");
	xrun_release(&x);
}
END_TEST

/* a BMC that does not answer is never taken for off (or on): it is
 * retried, then failed, and the stage's threshold pauses the plan */
START_TEST(silent_host_fails_and_pauses)
{
	struct xrun x;

	xrun_init(&x, "stored");
	x.st[0].op = EXEC_OFF;
	x.st[0].retries = 1;
	x.st[0].fail_threshold = 0;
	fake_host(&x.f, 0, 0, "h1", "pending", 0);
	fake_host(&x.f, 0, 1, "h2", "pending", 0);
	ck_assert_str_eq(xrun_go(&x), "paused");
	ck_assert_uint_eq(x.f.nsaves, 2);
	ck_assert_str_eq(x.f.saves[0], "h1 pending 1 -");
	ck_assert_str_eq(x.f.saves[1], "h1 failed 2 -");
	ck_assert_str_eq(fake_find(&x.f, 0, "h1")->before, "unknown");
	ck_assert(strncmp(fake_find(&x.f, 0, "h1")->error,
	    "bad session settings", 20) == 0);
	/* the batch after the crossing is not started */
	ck_assert_int_eq(x.f.nloads, 1);
	ck_assert_str_eq(fake_find(&x.f, 0, "h2")->state, "pending");
	/* every action is an audit row */
	ck_assert_uint_eq(x.f.naudit, 5);
	ck_assert_str_eq(arow(&x, 0), "plan-start running");
	ck_assert_str_eq(arow(&x, 1), "batch-start started");
	ck_assert_str_eq(x.f.audit[1].detail, "1 host(s)");
	ck_assert_int_eq(x.f.audit[1].stage, 0);
	ck_assert_int_eq(x.f.audit[1].batch, 0);
	ck_assert_str_eq(arow(&x, 2), "status failed");
	ck_assert_str_eq(x.f.audit[2].host, "h1");
	ck_assert_str_eq(arow(&x, 3), "status failed");
	ck_assert_str_eq(arow(&x, 4), "plan-pause paused");
	ck_assert_str_eq(x.f.audit[4].detail, "stage s0: 1 of 2 hosts failed, "
	    "over the threshold");
	ck_assert_str_eq(x.f.sets[x.f.nsets - 1], "paused 0 stage s0: 1 of 2 "
	    "hosts failed, over the threshold");
	ck_assert_int_eq(x.f.unlocks, 1);
	xrun_release(&x);

	/* the same with on_failure: abort, and no retries */
	xrun_init(&x, "stored");
	x.st[0].abort_on_fail = 1;
	fake_host(&x.f, 0, 0, "h1", "pending", 0);
	ck_assert_str_eq(xrun_go(&x), "aborted");
	ck_assert_uint_eq(x.f.nsaves, 1);
	ck_assert_str_eq(x.f.saves[0], "h1 failed 1 -");
	ck_assert_str_eq(arow(&x, x.f.naudit - 1), "plan-abort aborted");
	ck_assert_str_eq(x.f.state, "aborted");
	xrun_release(&x);
}
END_TEST

/* the threshold: a count of failures tolerated, or a share of the
 * stage's hosts (hundredths of a percent), crossed only when exceeded */
START_TEST(threshold_limits)
{
	struct xrun x;

	/* 1 of 2 failed against 50%: not over */
	xrun_init(&x, "stored");
	x.st[0].fail_pct = 1;
	x.st[0].fail_threshold = 5000;
	fake_host(&x.f, 0, 0, "h1", "pending", 0);
	fake_host(&x.f, 0, 0, "ok1", "confirmed", 1);
	ck_assert_str_eq(xrun_go(&x), "done");
	ck_assert_str_eq(fake_find(&x.f, 0, "h1")->state, "failed");
	xrun_release(&x);

	/* 1 of 3 failed against 30%: over */
	xrun_init(&x, "stored");
	x.st[0].fail_pct = 1;
	x.st[0].fail_threshold = 3000;
	fake_host(&x.f, 0, 0, "h1", "pending", 0);
	fake_host(&x.f, 0, 0, "ok1", "confirmed", 1);
	fake_host(&x.f, 0, 0, "ok2", "skipped", 0);
	ck_assert_str_eq(xrun_go(&x), "paused");
	xrun_release(&x);

	/* a count: 1 tolerated, 2 over (failures of earlier runs count) */
	xrun_init(&x, "paused");
	x.st[0].fail_threshold = 1;
	fake_host(&x.f, 0, 0, "h1", "pending", 0);
	ck_assert_str_eq(xrun_go(&x), "done");
	xrun_release(&x);
	xrun_init(&x, "paused");
	x.st[0].fail_threshold = 1;
	fake_host(&x.f, 0, 0, "h1", "pending", 0);
	fake_host(&x.f, 0, 0, "old", "failed", 2);
	ck_assert_str_eq(xrun_go(&x), "paused");
	xrun_release(&x);
}
END_TEST

/* stages run in the order given (dependencies first), and a stage's
 * failures do not count against another's threshold */
START_TEST(stage_order)
{
	struct xrun x;

	xrun_init(&x, "stored");
	x.c.nstages = 2;
	x.order[0] = 1;
	x.order[1] = 0;
	fake_host(&x.f, 0, 0, "a1", "pending", 0);
	fake_host(&x.f, 1, 0, "b1", "failed", 2);
	fake_host(&x.f, 1, 0, "b2", "pending", 0);
	x.st[0].fail_threshold = 1;
	x.st[1].fail_threshold = 2;
	ck_assert_str_eq(xrun_go(&x), "done");
	ck_assert_int_eq(x.f.nloads, 2);
	ck_assert_int_eq(x.f.loads[0], 100);
	ck_assert_int_eq(x.f.loads[1], 0);
	ck_assert_str_eq(x.f.sets[0], "running 1 -");
	ck_assert_str_eq(x.f.sets[1], "running 0 -");
	ck_assert_str_eq(x.f.sets[2], "done -1 -");
	ck_assert_str_eq(fake_find(&x.f, 0, "a1")->state, "failed");
	ck_assert_str_eq(fake_find(&x.f, 1, "b2")->state, "failed");
	xrun_release(&x);
}
END_TEST

/*
 * A batch that sent no command does not make the next one wait: the
 * interval runs from the start of the last batch that sent commands (it
 * ran from every batch's start, so batches whose hosts were all in the
 * target state, or failed at the check, still waited their interval)
 */
START_TEST(nothing_sent_no_wait)
{
	struct xrun x;
	uint64_t t0;

	xrun_init(&x, "stored");
	x.st[0].op = EXEC_OFF;
	x.st[0].interval_ms = 3000;
	x.st[0].fail_threshold = 10;
	fake_host(&x.f, 0, 0, "h1", "pending", 0);
	fake_host(&x.f, 0, 1, "h2", "pending", 0);
	fake_host(&x.f, 0, 2, "h3", "pending", 0);
	t0 = loop_now(x.loop);
	ck_assert_str_eq(xrun_go(&x), "done");
	ck_assert_uint_lt(loop_now(x.loop) - t0, 1000);
	ck_assert_int_eq(x.f.nloads, 3);
	ck_assert_str_eq(fake_find(&x.f, 0, "h3")->state, "failed");
	xrun_release(&x);
}
END_TEST

/*
 * What the operator reads says what happened in words: the event names
 * (plan-start, batch-start, ...) stay in the audit rows and the webhook,
 * where programs read them
 */
START_TEST(progress_in_words)
{
	struct xrun x;

	ck_assert_str_eq(exec_event_words("plan-start"), "plan started");
	ck_assert_str_eq(exec_event_words("batch-start"), "batch started");
	ck_assert_str_eq(exec_event_words("plan-pause"), "plan paused");
	ck_assert_str_eq(exec_event_words("verify"), "verify");
	ck_assert_str_eq(exec_op_done(EXEC_SOFT_OFF), "turned off");
	ck_assert_str_eq(exec_op_done(EXEC_CYCLE), "cycled");

	xrun_init(&x, "stored");
	x.st[0].op = EXEC_OFF;
	x.st[0].fail_threshold = 0;
	fake_host(&x.f, 0, 0, "h1", "pending", 0);
	ck_assert_str_eq(xrun_go(&x), "paused");
	ck_assert_str_eq(arow(&x, 0), "plan-start running");
	ck_assert_uint_ge(x.nsaid, 4);
	ck_assert_str_eq(x.said[0], "plan 7 started");
	ck_assert_str_eq(x.said[1], "stage s0: batch 1/1: 1 host(s)");
	ck_assert(strncmp(x.said[2], "h1: failed: ", 12) == 0);
	ck_assert_str_eq(x.said[3], "stage s0: batch 1/1 verified: 0 turned "
	    "off, 0 skipped, 1 failed");
	ck_assert_str_eq(x.said[4], "plan 7 paused: stage s0: 1 of 1 hosts "
	    "failed, over the threshold");
	for (size_t i = 0; i < x.nsaid; i++)
		ck_assert_ptr_null(strstr(x.said[i], "plan-"));
	xrun_release(&x);

	/* done is the caller's to tell, with its tally */
	xrun_init(&x, "paused");
	ck_assert_str_eq(xrun_go(&x), "done");
	ck_assert_uint_eq(x.nsaid, 1);
	ck_assert_str_eq(x.said[0], "plan 7 resumed");
	xrun_release(&x);
}
END_TEST

/*
 * The end of a plan in words: per operation what was done, skipped,
 * failed by name with the reason (the first few), and what is left (a
 * plan said "plan 7: done" and nothing of its hosts)
 */
START_TEST(tally_words)
{
	struct exec_tally_host h[] = {
		{ EXEC_ON, 1, "confirmed", "n1", NULL },
		{ EXEC_ON, 1, "skipped", "n2", NULL },
		{ EXEC_ON, 1, "failed", "n3", "not on after 120 s (power off)" },
		{ EXEC_OFF, 0, "commanded", "n4", NULL },
		{ EXEC_SOFT_OFF, 1, "confirmed", "n5", NULL },
		{ EXEC_ON, 1, "commanded", "n6", NULL },
		{ EXEC_ON, 1, "pending", "n7", NULL },
		{ EXEC_OFF, 1, "failed", "n8", "" },
		{ EXEC_OFF, 1, "skipped", "n9", NULL },
		{ EXEC_CYCLE, 1, "failed", "n10", "timeout" },
		{ EXEC_CYCLE, 1, "failed", "n11", "timeout" },
		{ EXEC_CYCLE, 1, "failed", "n12", "timeout" },
	};
	char out[512];

	exec_tally(h, 1, 7, out, sizeof(out));
	ck_assert_str_eq(out, "1 turned on, 0 skipped, 0 failed");
	exec_tally(h, 3, 7, out, sizeof(out));
	ck_assert_str_eq(out, "1 turned on, 1 skipped (already on), 1 failed: "
	    "n3 (not on after 120 s (power off))");
	/* commanded counts as done where the stage does not verify; a
	 * pending host, or one commanded but not verified, is not done */
	exec_tally(h, 7, 7, out, sizeof(out));
	ck_assert_str_eq(out, "1 turned on, 2 turned off, 1 skipped (already "
	    "on), 1 failed: n3 (not on after 120 s (power off)); 2 not done "
	    "yet");
	exec_tally(h, 12, 7, out, sizeof(out));
	ck_assert_str_eq(out, "1 turned on, 2 turned off, 2 skipped (already "
	    "in the target state), 5 failed: n3 (not on after 120 s (power "
	    "off)), n8 (no reason recorded), n10 (timeout) and 2 more "
	    "(bmcfleet plan status 7 --hosts); 2 not done yet");
	exec_tally(&h[8], 1, 7, out, sizeof(out));
	ck_assert_str_eq(out, "0 turned off, 1 skipped (already off), 0 failed");
	exec_tally(NULL, 0, 7, out, sizeof(out));
	ck_assert_str_eq(out, "0 done, 0 skipped, 0 failed");
	/* cut short, still a string */
	exec_tally(h, 12, 7, out, 10);
	ck_assert_str_eq(out, "1 turned ");
}
END_TEST

/* a stop signal pauses the plan where it stands, resumable */
START_TEST(stop_pauses)
{
	struct xrun x;

	xrun_init(&x, "stored");
	fake_host(&x.f, 0, 0, "h1", "pending", 0);
	x.stop = 15;
	ck_assert_str_eq(xrun_go(&x), "paused");
	ck_assert_uint_eq(x.f.nloads + x.f.nsaves, 0);
	ck_assert_str_eq(x.f.sets[x.f.nsets - 1], "paused -1 stopped by a "
	    "signal; resume with bmcfleet plan resume 7");
	ck_assert_str_eq(arow(&x, x.f.naudit - 1), "plan-pause paused");
	ck_assert_int_eq(x.f.unlocks, 1);
	xrun_release(&x);
}
END_TEST

/* a store error leaves the plan failed (resumable) and says so */
START_TEST(store_error_fails)
{
	struct xrun x;

	xrun_init(&x, "stored");
	x.f.start_fails = "connection lost";
	fake_host(&x.f, 0, 0, "h1", "pending", 0);
	ck_assert_ptr_null(xrun_go(&x));
	ck_assert_str_eq(x.err, "database: connection lost");
	ck_assert_str_eq(x.f.sets[x.f.nsets - 1], "failed -1 database: "
	    "connection lost");
	ck_assert_uint_eq(x.f.naudit, 1);
	ck_assert_str_eq(arow(&x, 0), "plan-fail failed");
	ck_assert_str_eq(x.f.audit[0].detail, "database: connection lost");
	ck_assert_int_eq(x.f.unlocks, 1);
	xrun_release(&x);
}
END_TEST

static Suite *
exec_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("exec");
	tc = tcase_create("notify");
	tcase_add_test(tc, body_plain);
	tcase_add_test(tc, body_escaped);
	tcase_add_test(tc, body_long_reason);
	suite_add_tcase(s, tc);
	tc = tcase_create("run");
	tcase_add_test(tc, resume_skips_done);
	tcase_add_test(tc, resume_cycle_not_repeated);
	tcase_add_test(tc, aborted_stops);
	tcase_add_test(tc, locked_elsewhere);
	tcase_add_test(tc, silent_host_fails_and_pauses);
	tcase_add_test(tc, threshold_limits);
	tcase_add_test(tc, stage_order);
	tcase_add_test(tc, stop_pauses);
	tcase_add_test(tc, nothing_sent_no_wait);
	tcase_add_test(tc, progress_in_words);
	tcase_add_test(tc, tally_words);
	tcase_add_test(tc, store_error_fails);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(exec_suite());
}
