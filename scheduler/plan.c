/* plan: a power plan's words, checks, one-liner and stage order; see plan.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errf.h"
#include "lib/units.h"
#include "scheduler/plan.h"
#include "scheduler/plan_int.h"


const char *const plan_op_names[PLAN_NOPS] = {
	"on", "off", "soft-off", "cycle", "reset", "bootdev-on",
};

static const char *const bootdev_names[] = {
	"none", "pxe", "disk", "bios", "cdrom",
};
#define NBOOTDEVS	(sizeof(bootdev_names) / sizeof(bootdev_names[0]))


/* --- small helpers ------------------------------------------------------- */

/* A plain count, "0" to max (a sign or a fraction is not one). */
int
plan_parse_count(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t num, den;
	size_t n = units_decimal(s, &num, &den);

	if (n == 0 || s[n] != '\0' || den != 1 || num > max)
		return -1;
	*out = (uint32_t)num;
	return 0;
}

int
plan_parse_duration(const char *s, uint64_t max_ms, uint64_t *out)
{
	/* a bare number could be seconds or ms: its unit is required */
	if (units_duration(s, UNITS_BARE_NONE, max_ms, out) != 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

void
plan_format_duration(uint64_t ms, char *buf, size_t len)
{
	units_format_duration(ms, buf, len);
}

int
plan_parse_watts(const char *s, uint32_t *out)
{
	uint64_t v;

	if (s == NULL || units_watts(s, PLAN_MAX_WATTS, &v) != 0 || v < 1) {
		errno = EINVAL;
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int
plan_parse_threshold(const char *s, uint32_t *out, uint8_t *pct)
{
	uint64_t v;

	if (s == NULL)
		goto bad;
	if (strchr(s, '%') != NULL) {
		if (units_percent(s, &v) != 0)
			goto bad;
		*out = (uint32_t)v;
		*pct = 1;
		return 0;
	}
	if (plan_parse_count(s, PLAN_MAX_BATCH, out) != 0)
		goto bad;
	*pct = 0;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

/* "10%", "2.5%", "12.25%" */
void
plan_format_pct(uint32_t bp, char *buf, size_t len)
{
	if (bp % 100 == 0)
		snprintf(buf, len, "%u%%", bp / 100);
	else if (bp % 10 == 0)
		snprintf(buf, len, "%u.%u%%", bp / 100, bp % 100 / 10);
	else
		snprintf(buf, len, "%u.%02u%%", bp / 100, bp % 100);
}

const char *
plan_op_name(enum plan_op op)
{
	return (unsigned)op < PLAN_NOPS ? plan_op_names[op] : "?";
}

int
plan_op_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < PLAN_NOPS; i++)
		if (!strcmp(s, plan_op_names[i]))
			return i;
	return -1;
}

const char *
plan_bootdev_name(enum plan_bootdev d)
{
	return (unsigned)d < NBOOTDEVS ? bootdev_names[d] : "?";
}

int
plan_bootdev_parse(const char *s)
{
	size_t i;

	for (i = 1; s != NULL && i < NBOOTDEVS; i++)
		if (!strcmp(s, bootdev_names[i]))
			return (int)i;
	return -1;
}

int
plan_op_verifies(enum plan_op op)
{
	return op == PLAN_OP_ON || op == PLAN_OP_OFF ||
	    op == PLAN_OP_SOFT_OFF || op == PLAN_OP_CYCLE;
}

int
plan_stage_tripped(const struct plan_stage *st, size_t failed, size_t hosts)
{
	if (st->failure_pct)
		return (uint64_t)failed * 10000 >
		    (uint64_t)st->failure_threshold * hosts;
	return failed > st->failure_threshold;
}

/*
 * C0 and C1 controls, DEL, and the line and paragraph separators: none
 * belongs in a name or TARGETS, and plan_to_json writes text as it is,
 * where the plan's YAML reader would fold NEL, LS and PS (YAML 1.1, 5.4:
 * line breaks) into a space and refuse the rest, so a stored plan would
 * read back different, or not at all.
 */
int
plan_has_control(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	for (; *u != '\0'; u++)
		if (*u < ' ' || *u == 0x7f ||
		    (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) ||
		    (u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 ||
		    u[2] == 0xa9)))
			return 1;
	return 0;
}

/*
 * Why s cannot be TARGETS, or NULL.  Only the shape is checked here (the
 * items themselves are config_select's business, against a config): no
 * empty item, brackets that close, something that is not an exclusion.
 */
const char *
plan_targets_problem(const char *s)
{
	const char *p = s, *e, *a, *b;
	int depth, have_in = 0;

	if (s[strspn(s, " \t")] == '\0')
		return "is empty";
	if (plan_has_control(s))
		return "holds a control character";
	for (;;) {
		for (depth = 0, e = p; *e != '\0' && (*e != ',' || depth > 0);
		    e++) {
			depth += (*e == '[') - (*e == ']');
			if (depth < 0)
				return "has a ']' without its '['";
		}
		if (depth > 0)
			return "has a '[' without its ']'";
		for (a = p; a < e && (*a == ' ' || *a == '\t'); a++)
			;
		for (b = e; b > a && (b[-1] == ' ' || b[-1] == '\t'); b--)
			;
		if (a < b && *a == '!')
			a++;
		else if (a < b)
			have_in = 1;
		if (a == b)
			return "has an empty item";
		if (*e == '\0')
			break;
		p = e + 1;
	}
	if (!have_in)
		return "only excludes (start from something, like "
		    "\"@all,!node5\")";
	return NULL;
}

void
plan_release(struct plan *p)
{
	size_t i;

	for (i = 0; p->stages != NULL && i < p->nstages; i++) {
		free(p->stages[i].name);
		free(p->stages[i].targets);
		free(p->stages[i].after);
	}
	free(p->stages);
	free(p->name);
	memset(p, 0, sizeof(*p));
}

/* --- one-liner ----------------------------------------------------------- */

int
plan_stage_opts_check(enum plan_op op, const char *targets,
    const struct plan_stage_opts *o, char *err, size_t errlen)
{
	const char *why;

	if ((unsigned)op >= PLAN_NOPS)
		return errf(err, errlen, "unknown operation %d", (int)op);
	if (targets == NULL)
		return errf(err, errlen, "no targets (give @all for every "
		    "BMC)");
	if ((why = plan_targets_problem(targets)) != NULL)
		return errf(err, errlen, "targets '%s' %s", targets, why);
	if (o == NULL)
		return op == PLAN_OP_BOOTDEV_ON ? errf(err, errlen,
		    "bootdev-on needs a boot device: pxe, disk, bios or "
		    "cdrom") : 0;
	if (o->soft && op != PLAN_OP_OFF && op != PLAN_OP_SOFT_OFF)
		return errf(err, errlen, "--soft: only with off");
	if (o->batch > PLAN_MAX_BATCH)
		return errf(err, errlen, "--batch: at most %d hosts",
		    PLAN_MAX_BATCH);
	if (o->interval_ms > MAX_WAIT_MS)
		return errf(err, errlen, "--interval: at most 1d");
	if (o->budget_w > PLAN_MAX_WATTS)
		return errf(err, errlen, "--budget: at most 100MW");
	if (o->timeout_ms != 0 && (o->timeout_ms < SEC ||
	    o->timeout_ms > MAX_WAIT_MS))
		return errf(err, errlen, "--timeout: expected 1s to 1d");
	if (o->retries > PLAN_MAX_RETRIES)
		return errf(err, errlen, "--retries: expected 0..%d",
		    PLAN_MAX_RETRIES);
	if (o->failure_pct ? o->failure_threshold > 10000 :
	    o->failure_threshold > PLAN_MAX_BATCH)
		return errf(err, errlen, "--failure-threshold: at most 100%% "
		    "or %d hosts", PLAN_MAX_BATCH);
	if ((unsigned)o->on_failure > PLAN_ON_FAILURE_ABORT)
		return errf(err, errlen, "--on-failure: expected pause or "
		    "abort");
	if ((unsigned)o->bootdev >= NBOOTDEVS)
		return errf(err, errlen, "--bootdev: expected pxe, disk, bios "
		    "or cdrom");
	if (op == PLAN_OP_BOOTDEV_ON && o->bootdev == PLAN_BOOTDEV_NONE)
		return errf(err, errlen, "bootdev-on needs a boot device: pxe, "
		    "disk, bios or cdrom");
	if (op != PLAN_OP_BOOTDEV_ON && (o->bootdev != PLAN_BOOTDEV_NONE ||
	    o->persistent || o->efi))
		return errf(err, errlen, "a boot device, --persistent and "
		    "--efi: only with bootdev-on");
	return 0;
}

int
plan_from_oneliner(struct plan *p, enum plan_op op, const char *targets,
    const struct plan_stage_opts *opts)
{
	static const struct plan_stage_opts none = PLAN_STAGE_OPTS_INIT;
	const struct plan_stage_opts *o = opts ? opts : &none;
	struct plan_stage *st;
	char err[8];

	memset(p, 0, sizeof(*p));
	if (plan_stage_opts_check(op, targets, opts, err, sizeof(err)) != 0) {
		errno = EINVAL;
		return -1;
	}
	if (o->soft)
		op = PLAN_OP_SOFT_OFF;
	if ((p->stages = calloc(1, sizeof(*p->stages))) == NULL)
		goto oom;
	p->nstages = 1;
	st = &p->stages[0];
	if ((st->name = strdup(plan_op_name(op))) == NULL ||
	    (st->targets = strdup(targets)) == NULL ||
	    asprintf(&p->name, "power %s %s", plan_op_name(op), targets) < 0) {
		p->name = NULL;
		goto oom;
	}
	st->op = op;
	st->batch = o->batch;
	st->interval_ms = o->interval_ms;
	st->budget_w = o->budget_w;
	st->verify = (uint8_t)(o->verify < 0 ? plan_op_verifies(op) :
	    o->verify != 0);
	st->verify_timeout_ms = PLAN_DEFAULT_VERIFY_TIMEOUT_MS;
	st->soft_timeout_ms = PLAN_DEFAULT_SOFT_TIMEOUT_MS;
	if (o->timeout_ms != 0) {
		if (op == PLAN_OP_SOFT_OFF)
			st->soft_timeout_ms = o->timeout_ms;
		else
			st->verify_timeout_ms = o->timeout_ms;
	}
	st->retries = (uint8_t)(o->retries < 0 ? PLAN_DEFAULT_RETRIES :
	    o->retries);
	st->failure_threshold = o->failure_threshold;
	st->failure_pct = o->failure_pct;
	st->on_failure = o->on_failure;
	st->bootdev = o->bootdev;
	st->persistent = o->persistent;
	st->efi = o->efi;
	return 0;
oom:
	plan_release(p);
	errno = ENOMEM;
	return -1;
}

/* --- order --------------------------------------------------------------- */

int
plan_order(const struct plan *p, size_t *order)
{
	unsigned char *done;
	size_t n = 0, i, k;

	if (p->nstages == 0)
		return 0;
	if ((done = calloc(p->nstages, 1)) == NULL)
		return -1;
	/* Kahn's, always taking the first ready stage in file order: n^2
	   over at most PLAN_MAX_STAGES stages is nothing */
	while (n < p->nstages) {
		for (i = 0; i < p->nstages; i++) {
			if (done[i])
				continue;
			for (k = 0; k < p->stages[i].nafter; k++)
				if (p->stages[i].after[k] >= p->nstages ||
				    !done[p->stages[i].after[k]])
					break;
			if (k == p->stages[i].nafter)
				break;
		}
		if (i == p->nstages) {
			free(done);
			errno = EINVAL;
			return -1;
		}
		done[i] = 1;
		order[n++] = i;
	}
	free(done);
	return 0;
}
