#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/task_power.h"
#include "lib/loop.h"
#include "exec.h"
#include "ipmi/boot.h"
#include "ipmi/cmds.h"
#include "ipmi/ipmi.h"
#include "lib/gbuf.h"
#include "lib/json.h"
#include "webhook.h"

static const char *const op_names[] = {
	[EXEC_ON] = "on",
	[EXEC_OFF] = "off",
	[EXEC_SOFT_OFF] = "soft-off",
	[EXEC_CYCLE] = "cycle",
	[EXEC_RESET] = "reset",
	[EXEC_BOOTDEV_ON] = "bootdev-on",
};

const char *
exec_op_name(int op)
{
	return op >= 0 && (size_t)op < sizeof(op_names) / sizeof(op_names[0]) ?
	    op_names[op] : "?";
}

/* what a host an operation finished on went through, in words */
static const char *const op_done[] = {
	[EXEC_ON] = "turned on",
	[EXEC_OFF] = "turned off",
	[EXEC_SOFT_OFF] = "turned off",
	[EXEC_CYCLE] = "cycled",
	[EXEC_RESET] = "reset",
	[EXEC_BOOTDEV_ON] = "turned on",
};

const char *
exec_op_done(int op)
{
	return op >= 0 && (size_t)op < sizeof(op_done) / sizeof(op_done[0]) ?
	    op_done[op] : "done";
}

/*
 * The plan's events as the operator reads them; the names (plan-start,
 * batch-start, ...) stay in the audit log's operation column, the JSON
 * and CSV of `bmcfleet audit` and the webhook's "event", where programs
 * read them.
 */
static const struct {
	const char	*name;
	const char	*words;
} ev_words[] = {
	{ "plan-apply", "plan stored" },
	{ "plan-start", "plan started" },
	{ "plan-resume", "plan resumed" },
	{ "plan-pause", "plan paused" },
	{ "plan-abort", "plan aborted" },
	{ "plan-done", "plan done" },
	{ "plan-fail", "plan failed" },
	{ "batch-start", "batch started" },
	{ "resume-check", "checked after an interruption" },
};

const char *
exec_event_words(const char *name)
{
	for (size_t i = 0; i < sizeof(ev_words) / sizeof(ev_words[0]); i++)
		if (strcmp(ev_words[i].name, name) == 0)
			return ev_words[i].words;
	return name;
}

/* --- the tally ------------------------------------------------------------ */

static int target_on(int);

void
exec_tally(const struct exec_tally_host *h, size_t n, int64_t plan_id,
    char *out, size_t len)
{
	const char *words[8];
	size_t done[8], nw = 0, skipped = 0, failed = 0, left = 0, o = 0;
	size_t named = 0;
	int skip_on = 0, skip_off = 0;

	for (size_t r = 0; r < n; r++) {
		const char *w;
		size_t i;

		if (strcmp(h[r].state, "skipped") == 0) {
			skipped++;
			skip_off |= !target_on(h[r].op);
			skip_on |= target_on(h[r].op);
			continue;
		}
		if (strcmp(h[r].state, "failed") == 0) {
			failed++;
			continue;
		}
		if (strcmp(h[r].state, "confirmed") != 0 &&
		    (strcmp(h[r].state, "commanded") != 0 || h[r].verify)) {
			left++;
			continue;
		}
		w = exec_op_done(h[r].op);
		for (i = 0; i < nw && strcmp(words[i], w) != 0; i++)
			;
		if (i == nw && nw < sizeof(words) / sizeof(words[0])) {
			words[nw] = w;
			done[nw++] = 0;
		}
		if (i < nw)
			done[i]++;
	}
	if (len == 0)
		return;
	out[0] = '\0';
#define ADD(...) do { \
		if (o < len) \
			o += (size_t)snprintf(out + o, len - o, __VA_ARGS__); \
	} while (0)
	for (size_t i = 0; i < nw; i++)
		ADD("%zu %s, ", done[i], words[i]);
	if (nw == 0)
		ADD("0 %s, ", n > 0 ? exec_op_done(h[0].op) : "done");
	ADD("%zu skipped%s, %zu failed", skipped, skipped == 0 ? "" :
	    skip_on && skip_off ? " (already in the target state)" :
	    skip_on ? " (already on)" : " (already off)", failed);
	for (size_t r = 0; r < n && failed > 0; r++) {
		if (strcmp(h[r].state, "failed") != 0)
			continue;
		if (named == EXEC_TALLY_NAMED) {
			ADD(" and %zu more (bmcfleet plan status %" PRId64
			    " --hosts)", failed - named, plan_id);
			break;
		}
		ADD("%s%s (%s)", named == 0 ? ": " : ", ", h[r].name,
		    h[r].error != NULL && h[r].error[0] != '\0' ? h[r].error :
		    "no reason recorded");
		named++;
	}
	if (left > 0)
		ADD("; %zu not done yet", left);
#undef ADD
}

/* --- the store ------------------------------------------------------------ */

/* The store's words into err, as the executor's error. */
static void
db_err(char *err, size_t errlen, const char *msg)
{
	if (err != NULL)
		snprintf(err, errlen, "database: %s", msg);
}

static void
exec_audit(const struct exec_cfg *c, int stage, int batch, const char *host,
    const char *op, const char *result, const char *detail,
    long duration_ms, const char *before, const char *after)
{
	struct plan_audit a = {
		.who = c->who, .origin = c->origin, .plan_id = c->plan_id,
		.stage = stage, .batch = batch, .host = host, .op = op,
		.result = result, .detail = detail,
		.duration_ms = duration_ms, .before = before, .after = after,
	};

	(void)c->store->audit(c->store_ctx, &a);
}

static int
set_plan(const struct exec_cfg *c, const char *state, int stage,
    const char *reason, char *err, size_t errlen)
{
	char m[512];

	if (c->store->plan_set(c->store_ctx, c->plan_id, state, stage, reason,
	    m, sizeof(m)) == 0)
		return 0;
	db_err(err, errlen, m);
	return -1;
}

/* --- the hosts of a batch -------------------------------------------------- */

enum hstate { H_PENDING, H_SKIPPED, H_COMMANDING, H_COMMANDED, H_CONFIRMED,
	H_FAILED };
static const char *const hstate_names[] = { "pending", "skipped",
    "commanding", "commanded", "confirmed", "failed" };

static int
hstate_parse(const char *s)
{
	for (int i = 0; i <= H_FAILED; i++)
		if (strcmp(s, hstate_names[i]) == 0)
			return i;
	return H_PENDING;
}

enum mode { M_STATUS, M_CONTROL };

struct xhost {
	struct drv_target t;		/* first */
	char		 name[256];
	int		 state;		/* enum hstate */
	unsigned	 attempts;
	char		 before[8];	/* on, off, unknown */
	/* one driver run */
	int		 mode;
	uint8_t		 ctl;
	int		 boot;		/* set the boot device first */
	struct boot_set	 bs;
	int		 have_power;
	int		 power_on;
	int		 ok;		/* the command was accepted */
	uint64_t	 t0;
};

struct run {
	const struct exec_cfg	*c;
	const struct exec_stage	*st;
	int			 stage;
	int			 batch;
	struct xhost		*h;
	size_t			 n;
	char			*err;
	size_t			 errlen;
};

static void
say(const struct exec_cfg *c, int ev, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (c->progress == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	c->progress(c->progress_arg, ev, line);
}

static enum drv_step
x_step(void *arg, struct drv_target *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct xhost *h = (struct xhost *)t;
	struct task_power p;
	struct ipmi_req ir;
	enum drv_step st;
	int rc;

	(void)arg;
	if (h->mode == M_STATUS) {
		task_power_init(&p, TASK_POWER_STATUS);
		if ((st = task_power_step(&p, rsp, req)) == DRV_STEP_FAIL)
			driver_fail(t, p.err, "%s", p.why);
		if (p.have_power) {
			h->have_power = 1;
			h->power_on = p.power_on;
		}
		return st;
	}
	/* control, with the boot device first for bootdev-on */
	if (h->boot) {
		if (rsp != NULL && boot_set_feed(&h->bs, rsp->cc, rsp->data,
		    rsp->len) < 0 && h->bs.step == BOOT_STEP_FAILED) {
			driver_fail(t, IPMI_E_CC, "set boot device: %s (0x%02x)",
			    ipmi_ccstr(h->bs.cc), h->bs.cc);
			return DRV_STEP_FAIL;
		}
		if ((rc = boot_set_next(&h->bs, &ir)) == IPMI_WALK_SEND) {
			req->netfn = ir.netfn;
			req->cmd = ir.cmd;
			memcpy(req->data, ir.data, ir.len);
			req->len = ir.len;
			return DRV_STEP_SEND;
		}
		if (rc < 0) {
			driver_fail(t, IPMI_E_CC, "set boot device: %s (0x%02x)",
			    ipmi_ccstr(h->bs.cc), h->bs.cc);
			return DRV_STEP_FAIL;
		}
		h->boot = 0;
		rsp = NULL;
	}
	task_power_init(&p, h->ctl);
	if ((st = task_power_step(&p, rsp, req)) == DRV_STEP_FAIL)
		driver_fail(t, p.err, "%s", p.why);
	else if (st == DRV_STEP_DONE)
		h->ok = 1;
	return st;
}

/* One driver run over the hosts in tv: status or control. */
static int stopped(const struct exec_cfg *);

static int
drive(struct run *r, struct xhost **tv, size_t n)
{
	struct driver_cfg dc;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct xhost *h = tv[i];
		const char *addr = NULL;
		uint16_t port = 623;

		h->t.session = r->c->session(r->c->session_arg, h->name, &addr,
		    &port);
		h->t.name = h->name;
		h->t.host = addr != NULL ? addr : h->name;
		h->t.port = port;
		h->have_power = 0;
		h->ok = 0;
	}
	if (stopped(r->c)) {
		snprintf(r->err, r->errlen, "stopped by a signal");
		return -1;
	}
	memset(&dc, 0, sizeof(dc));
	dc.fanout = r->c->concurrency;
	dc.step = x_step;
	dc.arg = r;
	if (driver_run(r->c->loop, &dc, (struct drv_target **)tv, n) == -1) {
		snprintf(r->err, r->errlen, "driver: %s", strerror(errno));
		return -1;
	}
	/* a stop abandons the batch as a crash would: what was written
	 * before each command stands, and a resume goes on from there */
	if (stopped(r->c)) {
		snprintf(r->err, r->errlen, "stopped by a signal");
		return -1;
	}
	return 0;
}

static int
stopped(const struct exec_cfg *c)
{
	return c->stop != NULL && *c->stop != 0;
}

static void
on_wake(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	loop_stop(l);
}

/* Wait ms on the loop (the webhook and the database keep going). */
static void
nap(struct loop *l, uint64_t ms)
{
	struct loop_timer t;

	if (ms == 0)
		return;
	loop_timer_init(&t, on_wake, NULL);
	loop_timer_set(l, &t, loop_now(l) + ms);
	(void)loop_run(l);
	loop_timer_cancel(l, &t);
}

static uint64_t
mono_ms(const struct run *r)
{
	return loop_now(r->c->loop);
}

/* Write a host's state (and what goes with it). */
static int
save(struct run *r, struct xhost *h, const char *error, const char *after)
{
	struct plan_host_row row;
	char m[512];

	row.name = h->name;
	row.state = hstate_names[h->state];
	row.attempts = h->attempts;
	row.before = h->before;
	if (r->c->store->host_save(r->c->store_ctx, r->c->plan_id, r->stage,
	    &row, after, error, m, sizeof(m)) == 0)
		return 0;
	db_err(r->err, r->errlen, m);
	return -1;
}

static void
audit(struct run *r, struct xhost *h, const char *op, const char *result,
    const char *detail, const char *after)
{
	long dur = h->t.end_ms >= h->t.start_ms ?
	    (long)(h->t.end_ms - h->t.start_ms) : -1;

	exec_audit(r->c, r->stage, r->batch, h->name, op, result, detail,
	    dur, h->before[0] ? h->before : NULL, after);
}

/* The power state a finished operation leaves. */
static int
target_on(int op)
{
	return op != EXEC_OFF && op != EXEC_SOFT_OFF;
}

/*
 * Poll hosts in tv until each is in the target state or timeout_ms has
 * passed.  Sets have_power/power_on on each.  Returns how many reached it;
 * reached[i] says which.
 */
static int
poll_until(struct run *r, struct xhost **tv, size_t n, int want_on,
    uint64_t timeout_ms, uint8_t *reached)
{
	uint64_t deadline = mono_ms(r) + timeout_ms;
	struct xhost **left;
	size_t nleft = n;
	int got = 0;

	if ((left = malloc((n ? n : 1) * sizeof(*left))) == NULL)
		return -1;
	memcpy(left, tv, n * sizeof(*left));
	memset(reached, 0, n);
	for (;;) {
		size_t k = 0;

		for (size_t i = 0; i < nleft; i++)
			left[i]->mode = M_STATUS;
		if (drive(r, left, nleft) != 0) {
			free(left);
			return -1;
		}
		for (size_t i = 0; i < nleft; i++) {
			struct xhost *h = left[i];

			if (h->have_power && h->power_on == want_on) {
				for (size_t j = 0; j < n; j++)
					if (tv[j] == h)
						reached[j] = 1;
				got++;
			} else {
				left[k++] = h;
			}
		}
		nleft = k;
		if (nleft == 0 || mono_ms(r) >= deadline)
			break;
		nap(r->c->loop, r->c->poll_ms);
	}
	free(left);
	return got;
}

/* --- one batch ------------------------------------------------------------- */

static int
ctl_of(int op)
{
	switch (op) {
	case EXEC_OFF:
		return IPMI_CHASSIS_OFF;
	case EXEC_SOFT_OFF:
		return IPMI_CHASSIS_SOFT;
	case EXEC_CYCLE:
		return IPMI_CHASSIS_CYCLE;
	case EXEC_RESET:
		return IPMI_CHASSIS_RESET;
	default:
		return IPMI_CHASSIS_ON;
	}
}

/*
 * Step 2 of a batch: the power state of the pending hosts in tv.  One
 * already in the target state is skipped, one that does not answer is
 * retried or failed (never taken for off); tv keeps the *n hosts left to
 * command.  0, or -1 with r->err.
 */
static int
check_state(struct run *r, struct xhost **tv, size_t *n)
{
	const struct exec_stage *st = r->st;
	size_t k = 0;

	for (size_t i = 0; i < *n; i++)
		tv[i]->mode = M_STATUS;
	if (drive(r, tv, *n) != 0)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		struct xhost *h = tv[i];

		if (!h->have_power) {
			/* unreachable is never taken for off */
			h->attempts++;
			snprintf(h->before, sizeof(h->before), "unknown");
			h->state = h->attempts > st->retries ? H_FAILED :
			    H_PENDING;
			if (save(r, h, h->t.errmsg, NULL) != 0)
				return -1;
			audit(r, h, "status", "failed", h->t.errmsg, NULL);
			say(r->c, EXEC_EV_HOST, "%s: %s: %s", h->name,
			    h->state == H_FAILED ? "failed" : "will retry",
			    h->t.errmsg);
			continue;
		}
		snprintf(h->before, sizeof(h->before), "%s", h->power_on ?
		    "on" : "off");
		if ((st->op == EXEC_ON || st->op == EXEC_BOOTDEV_ON) &&
		    h->power_on) {
			h->state = H_SKIPPED;
			if (save(r, h, NULL, "on") != 0)
				return -1;
			audit(r, h, exec_op_name(st->op), "skipped",
			    "already on", "on");
			continue;
		}
		if ((st->op == EXEC_OFF || st->op == EXEC_SOFT_OFF) &&
		    !h->power_on) {
			h->state = H_SKIPPED;
			if (save(r, h, NULL, "off") != 0)
				return -1;
			audit(r, h, exec_op_name(st->op), "skipped",
			    "already off", "off");
			continue;
		}
		tv[k++] = h;
	}
	*n = k;
	return 0;
}

static int
run_batch(struct run *r, int *commanded_any)
{
	const struct exec_stage *st = r->st;
	int want_on = target_on(st->op);
	struct xhost **tv;
	uint8_t *reached;
	size_t n;
	int rc = -1;

	*commanded_any = 0;
	if ((tv = calloc(r->n ? r->n : 1, sizeof(*tv))) == NULL ||
	    (reached = calloc(r->n ? r->n : 1, 1)) == NULL) {
		free(tv);
		snprintf(r->err, r->errlen, "out of memory");
		return -1;
	}

	/*
	 * 1. a host a crash left 'commanding' may have its command: wait for
	 * the state it leads to before anything is sent again
	 */
	n = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->h[i].state == H_COMMANDING &&
		    (st->op == EXEC_ON || st->op == EXEC_OFF ||
		    st->op == EXEC_SOFT_OFF || st->op == EXEC_BOOTDEV_ON))
			tv[n++] = &r->h[i];
	if (n > 0) {
		say(r->c, EXEC_EV_HOST, "%zu host(s) may have been commanded "
		    "before an interruption: checking before sending again", n);
		if (poll_until(r, tv, n, want_on, st->verify_timeout_ms,
		    reached) < 0)
			goto out;
		for (size_t i = 0; i < n; i++) {
			tv[i]->state = reached[i] ? H_CONFIRMED : H_PENDING;
			if (save(r, tv[i], NULL, reached[i] ? (want_on ? "on" :
			    "off") : NULL) != 0)
				goto out;
			audit(r, tv[i], "resume-check", reached[i] ?
			    "confirmed" : "not-reached", reached[i] ?
			    "the command sent before the interruption took "
			    "effect" : "not in the target state: commanding "
			    "again", NULL);
		}
	}
	/* cycle/reset left commanding: the command took (no way to tell) */
	for (size_t i = 0; i < r->n; i++)
		if (r->h[i].state == H_COMMANDING) {
			r->h[i].state = H_COMMANDED;
			if (save(r, &r->h[i], NULL, NULL) != 0)
				goto out;
		}

	for (;;) {
		/* 2. the state of the pending hosts: skip, or command */
		n = 0;
		for (size_t i = 0; i < r->n; i++)
			if (r->h[i].state == H_PENDING)
				tv[n++] = &r->h[i];
		if (n == 0)
			break;
		if (check_state(r, tv, &n) != 0)
			goto out;
		if (n == 0)
			continue;

		/* 3. 'commanding' committed before anything is sent */
		for (size_t i = 0; i < n; i++) {
			tv[i]->state = H_COMMANDING;
			tv[i]->attempts++;
			tv[i]->mode = M_CONTROL;
			tv[i]->ctl = (uint8_t)ctl_of(st->op);
			tv[i]->boot = st->op == EXEC_BOOTDEV_ON;
			if (tv[i]->boot)
				boot_set_init(&tv[i]->bs, st->bootdev,
				    st->persistent, st->efi);
			if (save(r, tv[i], NULL, NULL) != 0)
				goto out;
		}
		/* 4. the command */
		if (drive(r, tv, n) != 0)
			goto out;
		*commanded_any = 1;
		{
			size_t k = 0;

			for (size_t i = 0; i < n; i++) {
				struct xhost *h = tv[i];

				if (h->ok) {
					h->state = H_COMMANDED;
					if (save(r, h, NULL, NULL) != 0)
						goto out;
					audit(r, h, exec_op_name(st->op), "ok",
					    NULL, NULL);
					tv[k++] = h;
					continue;
				}
				h->state = h->attempts > st->retries ?
				    H_FAILED : H_PENDING;
				if (save(r, h, h->t.errmsg, NULL) != 0)
					goto out;
				audit(r, h, exec_op_name(st->op), "failed",
				    h->t.errmsg, NULL);
				say(r->c, EXEC_EV_HOST, "%s: %s: %s", h->name,
				    h->state == H_FAILED ? "failed" :
				    "will retry", h->t.errmsg);
			}
			n = k;
		}
		/* 5. verification */
		if (!st->verify || n == 0)
			continue;
		if (st->op == EXEC_SOFT_OFF) {
			size_t k = 0;

			if (poll_until(r, tv, n, 0, st->soft_timeout_ms,
			    reached) < 0)
				goto out;
			for (size_t i = 0; i < n; i++)
				if (!reached[i])
					tv[k++] = tv[i];
				else {
					tv[i]->state = H_CONFIRMED;
					if (save(r, tv[i], NULL, "off") != 0)
						goto out;
					audit(r, tv[i], "soft-off", "confirmed",
					    NULL, "off");
				}
			/* the soft-off timed out: a hard off */
			for (size_t i = 0; i < k; i++) {
				tv[i]->mode = M_CONTROL;
				tv[i]->ctl = IPMI_CHASSIS_OFF;
				tv[i]->boot = 0;
			}
			if (drive(r, tv, k) != 0)
				goto out;
			for (size_t i = 0; i < k; i++)
				audit(r, tv[i], "off", tv[i]->ok ? "ok" :
				    "failed", tv[i]->ok ? "soft-off timed out: "
				    "hard off" : tv[i]->t.errmsg, NULL);
			n = k;
		}
		if (poll_until(r, tv, n, want_on, st->verify_timeout_ms,
		    reached) < 0)
			goto out;
		for (size_t i = 0; i < n; i++) {
			struct xhost *h = tv[i];
			char why[128];

			if (reached[i]) {
				h->state = H_CONFIRMED;
				if (save(r, h, NULL, want_on ? "on" : "off") !=
				    0)
					goto out;
				audit(r, h, "verify", "confirmed", NULL,
				    want_on ? "on" : "off");
				continue;
			}
			snprintf(why, sizeof(why), "not %s after %" PRIu64
			    " s (power %s)", want_on ? "on" : "off",
			    st->verify_timeout_ms / 1000, !h->have_power ?
			    "unknown" : h->power_on ? "on" : "off");
			/* a host that accepted but never changed: no retry
			 * (it may act late; a second command could double it) */
			h->state = H_FAILED;
			if (save(r, h, why, !h->have_power ? "unknown" :
			    h->power_on ? "on" : "off") != 0)
				goto out;
			audit(r, h, "verify", "failed", why, !h->have_power ?
			    "unknown" : h->power_on ? "on" : "off");
			say(r->c, EXEC_EV_HOST, "%s: failed: %s", h->name, why);
		}
	}
	/* not verified: commanded is as far as it goes */
	rc = 0;
out:
	free(tv);
	free(reached);
	return rc;
}

/* --- the plan --------------------------------------------------------------- */

/* One stored host into r->h (sized by the count of rows first). */
struct loader {
	struct run	*r;
	size_t		 cap;
};

static int
load_one(void *arg, const struct plan_host_row *row)
{
	struct loader *ld = arg;
	struct run *r = ld->r;
	struct xhost *h;

	if (r->n == ld->cap) {
		size_t cap = ld->cap ? 2 * ld->cap : 16;

		if ((h = realloc(r->h, cap * sizeof(*h))) == NULL)
			return -1;
		r->h = h;
		ld->cap = cap;
	}
	h = &r->h[r->n++];
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", row->name);
	h->state = hstate_parse(row->state);
	h->attempts = row->attempts;
	snprintf(h->before, sizeof(h->before), "%s", row->before);
	return 0;
}

/* Load the hosts of (stage, batch) into r->h. */
static int
load_batch(struct run *r, int batch)
{
	struct loader ld = { r, 0 };
	char m[512];

	free(r->h);
	r->h = NULL;
	r->n = 0;
	if (r->c->store->batch_load(r->c->store_ctx, r->c->plan_id, r->stage,
	    batch, load_one, &ld, m, sizeof(m)) != 0) {
		db_err(r->err, r->errlen, m);
		return -1;
	}
	if (r->h == NULL && (r->h = calloc(1, sizeof(*r->h))) == NULL) {
		snprintf(r->err, r->errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int
plan_state(const struct exec_cfg *c, char *out, size_t len)
{
	return c->store->plan_state(c->store_ctx, c->plan_id, out, len);
}

char *
exec_notify_body(const char *event, int64_t plan_id, const char *state,
    const char *who, const char *stage, const char *reason)
{
	struct gbuf b = GBUF_INIT;
	struct json j;

	json_init(&j, &b, JSON_SPACED);
	json_obj(&j);
	json_key(&j, "event");
	json_str(&j, event);
	json_key(&j, "plan");
	json_i64(&j, plan_id);
	json_key(&j, "state");
	json_str(&j, state);
	json_key(&j, "by");
	json_str(&j, who);
	if (stage != NULL) {
		json_key(&j, "stage");
		json_str(&j, stage);
	}
	if (reason != NULL) {
		json_key(&j, "reason");
		json_str(&j, reason);
	}
	json_end(&j);
	if (json_failed(&j)) {
		gbuf_release(&b);
		return NULL;
	}
	return gbuf_detach(&b, NULL);
}

static void
notify(const struct exec_cfg *c, const char *event, const char *state,
    const char *stage, const char *reason)
{
	const char *w = exec_event_words(event);
	char *body;

	/* "plan started" -> "plan 7 started": the caller reports the end
	 * (done) with its tally */
	if (strncmp(w, "plan ", 5) == 0)
		w += 5;
	if (strcmp(event, "plan-done") != 0)
		say(c, strcmp(event, "plan-start") == 0 ||
		    strcmp(event, "plan-resume") == 0 ? EXEC_EV_START :
		    EXEC_EV_PLAN, "plan %" PRId64 " %s%s%s", c->plan_id, w,
		    reason ? ": " : "", reason ? reason : "");
	exec_audit(c, -1, -1, NULL, event, state, reason, -1, NULL, NULL);
	if (c->webhook == NULL)
		return;
	if ((body = exec_notify_body(event, c->plan_id, state, c->who, stage,
	    reason)) == NULL)
		return;
	(void)webhook_send(c->webhook, body);
	free(body);
}

/*
 * Before a batch waits its interval: the state of its pending hosts
 * (check_state), so that a batch with nothing to send does not wait.
 * Returns how many hosts are left to command (or to check again after an
 * interruption), or -1 with r->err.
 */
static int
precheck(struct run *r)
{
	struct xhost **tv;
	size_t n = 0;
	int work = 0;

	if ((tv = calloc(r->n ? r->n : 1, sizeof(*tv))) == NULL) {
		snprintf(r->err, r->errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < r->n; i++)
		if (r->h[i].state == H_PENDING)
			tv[n++] = &r->h[i];
	if (n > 0 && check_state(r, tv, &n) != 0) {
		free(tv);
		return -1;
	}
	free(tv);
	for (size_t i = 0; i < r->n; i++)
		work += r->h[i].state == H_PENDING ||
		    r->h[i].state == H_COMMANDING;
	return work;
}

/* Failures of the stage so far, against its threshold: 1 when crossed. */
static int
threshold_crossed(struct run *r, unsigned *failed, unsigned *total)
{
	unsigned f, n;

	if (r->c->store->stage_failures(r->c->store_ctx, r->c->plan_id,
	    r->stage, &f, &n) != 0)
		return 0;
	*failed = f;
	*total = n;
	if (r->st->fail_pct)
		return (uint64_t)f * 10000 > (uint64_t)r->st->fail_threshold * n;
	return f > r->st->fail_threshold;
}

const char *
exec_run(const struct exec_cfg *c, char *err, size_t errlen)
{
	static char state[32];
	struct run r;
	char pid[32], reason[256], m[512];
	const char *result = NULL;

	memset(&r, 0, sizeof(r));
	err[0] = '\0';
	r.c = c;
	r.err = err;
	r.errlen = errlen;
	snprintf(pid, sizeof(pid), "%" PRId64, c->plan_id);
	if (c->store->lock(c->store_ctx, c->plan_id) != 1) {
		snprintf(err, errlen, "plan %s is being run by another "
		    "executor", pid);
		return NULL;
	}
	/* nothing to run is no failure of the plan: its state stays (an
	 * aborted plan run again must not become resumable) */
	if (plan_state(c, state, sizeof(state)) != 0) {
		snprintf(err, errlen, "no plan %s", pid);
		c->store->unlock(c->store_ctx, c->plan_id);
		return NULL;
	}
	if (strcmp(state, "done") == 0 || strcmp(state, "aborted") == 0) {
		snprintf(err, errlen, "plan %s is %s: nothing to run", pid,
		    state);
		c->store->unlock(c->store_ctx, c->plan_id);
		return NULL;
	}
	if (c->store->plan_start(c->store_ctx, c->plan_id, c->origin, m,
	    sizeof(m)) != 0) {
		db_err(err, errlen, m);
		goto out;
	}
	notify(c, strcmp(state, "running") == 0 || strcmp(state, "paused") ==
	    0 || strcmp(state, "failed") == 0 ? "plan-resume" : "plan-start",
	    "running", NULL, NULL);

	for (size_t oi = 0; oi < c->nstages; oi++) {
		int stage = (int)c->order[oi];
		uint64_t last_start = 0, started;
		int nb;

		r.stage = stage;
		r.st = &c->stages[stage];
		if (set_plan(c, "running", stage, NULL, err, errlen) != 0)
			goto out;
		/* the batches of this stage */
		nb = c->store->stage_batches(c->store_ctx, c->plan_id, stage);
		for (int b = 0; b < nb; b++) {
			size_t todo = 0;
			int commanded = 0;
			unsigned failed, total;

			if (stopped(c)) {
				snprintf(err, errlen, "stopped by a signal");
				goto out;
			}
			if (plan_state(c, state, sizeof(state)) == 0 &&
			    strcmp(state, "aborted") == 0) {
				say(c, EXEC_EV_PLAN, "plan %s aborted by an "
				    "operator: stopping", pid);
				result = "aborted";
				goto out;
			}
			r.batch = b;
			if (load_batch(&r, b) != 0)
				goto out;
			for (size_t i = 0; i < r.n; i++)
				if (r.h[i].state == H_PENDING ||
				    r.h[i].state == H_COMMANDING ||
				    (r.h[i].state == H_COMMANDED &&
				    r.st->verify))
					todo++;
			if (todo == 0)
				continue;
			/*
			 * batches that command start an interval apart; one
			 * whose hosts are all in the target state already (or
			 * failed at the check) sends nothing and does not wait
			 */
			if (last_start != 0 && r.st->interval_ms > 0 &&
			    mono_ms(&r) < last_start + r.st->interval_ms) {
				int work;

				if ((work = precheck(&r)) < 0)
					goto out;
				if (work > 0 && mono_ms(&r) < last_start +
				    r.st->interval_ms)
					nap(c->loop, last_start +
					    r.st->interval_ms - mono_ms(&r));
			}
			if (stopped(c)) {
				snprintf(err, errlen, "stopped by a signal");
				goto out;
			}
			started = mono_ms(&r);
			say(c, EXEC_EV_BATCH, "stage %s: batch %d/%d: %zu "
			    "host(s)", r.st->name, b + 1, nb, r.n);
			{
				char d[64];

				snprintf(d, sizeof(d), "%zu host(s)", r.n);
				exec_audit(c, stage, b, NULL, "batch-start",
				    "started", d, -1, NULL, NULL);
			}
			/* commanded but not verified before a crash: verify */
			for (size_t i = 0; i < r.n; i++)
				if (r.h[i].state == H_COMMANDED && r.st->verify)
					r.h[i].state = H_COMMANDING;
			if (run_batch(&r, &commanded) != 0)
				goto out;
			if (commanded)
				last_start = started;
			{
				size_t ok = 0, sk = 0, fl = 0;
				int on = target_on(r.st->op);
				int skips = r.st->op != EXEC_CYCLE &&
				    r.st->op != EXEC_RESET;

				for (size_t i = 0; i < r.n; i++) {
					ok += r.h[i].state == H_CONFIRMED ||
					    r.h[i].state == H_COMMANDED;
					sk += r.h[i].state == H_SKIPPED;
					fl += r.h[i].state == H_FAILED;
				}
				say(c, EXEC_EV_BATCH_DONE, "stage %s: batch "
				    "%d/%d %s: %zu %s, %zu skipped%s, %zu "
				    "failed", r.st->name, b + 1, nb,
				    r.st->verify ? "verified" : "commanded",
				    ok, exec_op_done(r.st->op), sk,
				    !skips || sk == 0 ? "" : on ?
				    " (already on)" : " (already off)", fl);
			}
			if (threshold_crossed(&r, &failed, &total)) {
				snprintf(reason, sizeof(reason), "stage %s: %u "
				    "of %u hosts failed, over the threshold",
				    r.st->name, failed, total);
				result = r.st->abort_on_fail ? "aborted" :
				    "paused";
				if (set_plan(c, result, stage, reason, err,
				    errlen) != 0)
					goto out;
				notify(c, r.st->abort_on_fail ? "plan-abort" :
				    "plan-pause", result, r.st->name, reason);
				goto out;
			}
		}
	}
	if (set_plan(c, "done", -1, NULL, err, errlen) != 0)
		goto out;
	notify(c, "plan-done", "done", NULL, NULL);
	result = "done";
out:
	free(r.h);
	if (result == NULL && stopped(c)) {
		/* not a failure: paused where it stood, for plan resume */
		snprintf(reason, sizeof(reason), "stopped by a signal; resume "
		    "with bmcfleet plan resume %s", pid);
		if (set_plan(c, "paused", -1, reason, err, errlen) == 0) {
			notify(c, "plan-pause", "paused", NULL, reason);
			result = "paused";
		}
	}
	if (result == NULL && err[0] != '\0') {
		/* a local or database error: the plan stays resumable */
		(void)set_plan(c, "failed", -1, err, NULL, 0);
		notify(c, "plan-fail", "failed", NULL, err);
	}
	c->store->unlock(c->store_ctx, c->plan_id);
	return result;
}
