#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "lib/errf.h"
#include "lib/gbuf.h"
#include "lib/json.h"
#include "lib/text.h"
#include "lib/units.h"
#include "lib/yml.h"
#include "scheduler/plan.h"

#define MSG_MAX		512
#define SEC		1000ULL
#define MIN		(60 * SEC)
#define HOUR		(60 * MIN)
#define DAY		(24 * HOUR)
#define MAX_WAIT_MS	DAY	/* intervals and timeouts */
#define JSON_LABEL	"plan JSON"

static const char *const op_names[PLAN_NOPS] = {
	"on", "off", "soft-off", "cycle", "reset", "bootdev-on",
};

static const char *const bootdev_names[] = {
	"none", "pxe", "disk", "bios", "cdrom",
};
#define NBOOTDEVS	(sizeof(bootdev_names) / sizeof(bootdev_names[0]))

static const char *const top_keys[] = { "version", "name", "stages", NULL };

static const char *const stage_keys[] = {
	"name", "targets", "op", "bootdev", "persistent", "efi", "batch",
	"interval", "budget", "verify", "verify_timeout", "soft_timeout",
	"retries", "failure_threshold", "on_failure", "after", NULL,
};

/* --- small helpers ------------------------------------------------------- */

/* A plain count, "0" to max (a sign or a fraction is not one). */
static int
parse_count(const char *s, uint32_t max, uint32_t *out)
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
	/* a bare number is seconds here, as the plan format documents */
	if (units_duration(s, UNITS_BARE_SEC, max_ms, out) != 0) {
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
	if (parse_count(s, PLAN_MAX_BATCH, out) != 0)
		goto bad;
	*pct = 0;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

/* "10%", "2.5%", "12.25%" */
static void
format_pct(uint32_t bp, char *buf, size_t len)
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
	return (unsigned)op < PLAN_NOPS ? op_names[op] : "?";
}

int
plan_op_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < PLAN_NOPS; i++)
		if (!strcmp(s, op_names[i]))
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
static int
has_control(const char *s)
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
static const char *
targets_problem(const char *s)
{
	const char *p = s, *e, *a, *b;
	int depth, have_in = 0;

	if (s[strspn(s, " \t")] == '\0')
		return "is empty";
	if (has_control(s))
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

/* --- YAML ---------------------------------------------------------------- */

struct sref {
	const yaml_node_t	*at;	/* the stage */
	const yaml_node_t	*name;
	const yaml_node_t	*after;	/* NULL: the default */
	const yaml_node_t	*op;
	const yaml_node_t	*soft_timeout, *bootdev, *persistent, *efi;
	int			 verify_set;
};

struct pload {
	yaml_document_t	*doc;
	struct plan	*p;
	const char	*path;		/* or JSON_LABEL */
	char		*err;
	size_t		 errlen;
	struct sref	*sr;		/* per stage */
};

/* "PATH:LINE:COL: ..." at node n (lib/yml), -1 */
#define yerr(l, n, ...)	\
	yml_errf((l)->err, (l)->errlen, (l)->path, (n), __VA_ARGS__)

static yaml_node_t *
node(struct pload *l, int id)
{
	return yaml_document_get_node(l->doc, id);
}

/* m a mapping of keys, each one of keys, none twice (lib/yml) */
static int
check_map(struct pload *l, const yaml_node_t *m, const char *what,
    const char *const *keys)
{
	return yml_check_keys(l->doc, m, what, keys, l->path, l->err,
	    l->errlen);
}

#define FOR_PAIRS(l, m, pr, kn, vn, kstr)				\
	for ((pr) = (m)->data.mapping.pairs.start;			\
	    (pr) < (m)->data.mapping.pairs.top &&			\
	    ((kn) = node((l), (pr)->key)) != NULL &&			\
	    ((vn) = node((l), (pr)->value)) != NULL &&			\
	    ((kstr) = yml_scalar(kn)) != NULL; (pr)++)

static int
y_wait(struct pload *l, const yaml_node_t *vn, const char *key, uint64_t min,
    uint64_t *out)
{
	if (plan_parse_duration(yml_str(vn), MAX_WAIT_MS, out) != 0 ||
	    *out < min)
		return yerr(l, vn, "%s: expected a duration like 10s, 2m, 1h "
		    "(%s to 1d)", key, min ? "1s" : "0s");
	return 0;
}

/* targets: "a,b" or [a, b] (joined with commas) */
static int
y_targets(struct pload *l, const yaml_node_t *vn, char **out)
{
	static const char expect[] = "expected TARGETS like \"@compute\", "
	    "\"rack=r12\", \"node[1-10]\" or \"!node5\", joined by commas";
	const yaml_node_item_t *it;
	const char *why;
	size_t len = 0;
	char *s;

	if (vn->type == YAML_SEQUENCE_NODE) {
		for (it = vn->data.sequence.items.start;
		    it < vn->data.sequence.items.top; it++) {
			const yaml_node_t *e = node(l, *it);

			if (yml_str(e) == NULL)
				return yerr(l, e, "targets: %s", expect);
			len += strlen(yml_str(e)) + 1;
		}
		if (len == 0)
			return yerr(l, vn, "targets: %s", expect);
		if ((s = malloc(len)) == NULL)
			return yerr(l, vn, "out of memory");
		s[0] = '\0';
		for (it = vn->data.sequence.items.start;
		    it < vn->data.sequence.items.top; it++) {
			if (s[0] != '\0')
				strcat(s, ",");
			strcat(s, yml_str(node(l, *it)));
		}
	} else if (yml_str(vn) == NULL) {
		return yerr(l, vn, "targets: %s", expect);
	} else if ((s = strdup(yml_str(vn))) == NULL)
		return yerr(l, vn, "out of memory");
	if ((why = targets_problem(s)) != NULL) {
		free(s);
		return yerr(l, vn, "targets %s: %s", why, expect);
	}
	*out = s;
	return 0;
}

static int
y_stage(struct pload *l, const yaml_node_t *m, size_t si)
{
	struct plan_stage *st = &l->p->stages[si];
	struct sref *r = &l->sr[si];
	const yaml_node_t *targets = NULL;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key, *v, *hint;
	uint32_t n;
	int b, i;

	r->at = m;
	st->line = (uint32_t)m->start_mark.line + 1;
	st->col = (uint32_t)m->start_mark.column + 1;
	st->retries = PLAN_DEFAULT_RETRIES;
	st->verify_timeout_ms = PLAN_DEFAULT_VERIFY_TIMEOUT_MS;
	st->soft_timeout_ms = PLAN_DEFAULT_SOFT_TIMEOUT_MS;
	if (m->type != YAML_MAPPING_NODE)
		return yerr(l, m, "a stage: expected {name, targets, op, ...}");
	if (check_map(l, m, "a stage", stage_keys) != 0)
		return -1;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		v = yml_str(vn) ? yml_str(vn) : "";
		if (!strcmp(key, "name")) {
			if (!text_is_ident(v))
				return yerr(l, vn, "name: expected a stage "
				    "name of letters, digits, '_', '-' or "
				    "'.'");
			if ((st->name = strdup(v)) == NULL)
				return yerr(l, vn, "out of memory");
			r->name = vn;
		} else if (!strcmp(key, "targets")) {
			if (y_targets(l, vn, &st->targets) != 0)
				return -1;
			targets = vn;
		} else if (!strcmp(key, "op")) {
			if ((i = plan_op_parse(v)) < 0) {
				if ((hint = text_suggest(v, op_names,
				    PLAN_NOPS)) != NULL)
					return yerr(l, vn, "op: unknown "
					    "operation '%s' (did you mean "
					    "'%s'?)", v, hint);
				return yerr(l, vn, "op: expected on, off, "
				    "soft-off, cycle, reset or bootdev-on");
			}
			st->op = (enum plan_op)i;
			r->op = vn;
		} else if (!strcmp(key, "bootdev")) {
			if ((i = plan_bootdev_parse(v)) < 0)
				return yerr(l, vn, "bootdev: expected pxe, "
				    "disk, bios or cdrom");
			st->bootdev = (enum plan_bootdev)i;
			r->bootdev = vn;
		} else if (!strcmp(key, "persistent") ||
		    !strcmp(key, "efi") || !strcmp(key, "verify")) {
			if (text_parse_bool(v, 0, &b) != 0)
				return yerr(l, vn, "%s: expected true or false",
				    key);
			if (key[0] == 'p') {
				st->persistent = (uint8_t)b;
				r->persistent = kn;
			} else if (key[0] == 'e') {
				st->efi = (uint8_t)b;
				r->efi = kn;
			} else {
				st->verify = (uint8_t)b;
				r->verify_set = 1;
			}
		} else if (!strcmp(key, "batch")) {
			if (!strcmp(v, "all")) {
				st->batch = 0;
				continue;
			}
			if (parse_count(v, PLAN_MAX_BATCH, &n) != 0 || n == 0)
				return yerr(l, vn, "batch: expected a number "
				    "of hosts 1..%d, or all", PLAN_MAX_BATCH);
			st->batch = n;
		} else if (!strcmp(key, "interval")) {
			if (y_wait(l, vn, key, 0, &st->interval_ms) != 0)
				return -1;
		} else if (!strcmp(key, "verify_timeout")) {
			if (y_wait(l, vn, key, SEC, &st->verify_timeout_ms))
				return -1;
		} else if (!strcmp(key, "soft_timeout")) {
			if (y_wait(l, vn, key, SEC, &st->soft_timeout_ms))
				return -1;
			r->soft_timeout = kn;
		} else if (!strcmp(key, "budget")) {
			if (yml_is_null(vn) || !strcmp(v, "none")) {
				st->budget_w = 0;
				continue;
			}
			if (plan_parse_watts(v, &st->budget_w) != 0)
				return yerr(l, vn, "budget: expected watts per "
				    "batch like 8000W or 8kW (up to 100MW), or "
				    "none");
		} else if (!strcmp(key, "retries")) {
			if (parse_count(v, PLAN_MAX_RETRIES, &n) != 0)
				return yerr(l, vn, "retries: expected a number "
				    "0..%d", PLAN_MAX_RETRIES);
			st->retries = (uint8_t)n;
		} else if (!strcmp(key, "failure_threshold")) {
			if (plan_parse_threshold(v, &st->failure_threshold,
			    &st->failure_pct) != 0)
				return yerr(l, vn, "failure_threshold: "
				    "expected a count of failed hosts like 3 "
				    "or a share like 10%% (at most 100%%)");
		} else if (!strcmp(key, "on_failure")) {
			if (!strcmp(v, "pause"))
				st->on_failure = PLAN_ON_FAILURE_PAUSE;
			else if (!strcmp(v, "abort"))
				st->on_failure = PLAN_ON_FAILURE_ABORT;
			else
				return yerr(l, vn, "on_failure: expected pause "
				    "or abort");
		} else {
			r->after = vn;
		}
	}
	if (st->name == NULL)
		return yerr(l, m, "a stage needs a name (letters, digits, '_', "
		    "'-' or '.')");
	if (targets == NULL)
		return yerr(l, m, "stage '%s': missing targets (TARGETS like "
		    "\"@compute\" or \"rack=r12\")", st->name);
	if (r->op == NULL)
		return yerr(l, m, "stage '%s': missing op (on, off, soft-off, "
		    "cycle, reset or bootdev-on)", st->name);
	if (!r->verify_set)
		st->verify = (uint8_t)plan_op_verifies(st->op);
	if (st->op == PLAN_OP_BOOTDEV_ON && r->bootdev == NULL)
		return yerr(l, r->op, "stage '%s': op bootdev-on needs "
		    "bootdev: pxe, disk, bios or cdrom", st->name);
	if (st->op != PLAN_OP_BOOTDEV_ON) {
		const yaml_node_t *x = r->bootdev ? r->bootdev :
		    r->persistent ? r->persistent : r->efi;

		if (x != NULL)
			return yerr(l, x, "stage '%s': %s: only with op: "
			    "bootdev-on", st->name, x == r->bootdev ?
			    "bootdev" : x == r->persistent ? "persistent" :
			    "efi");
	}
	if (st->op != PLAN_OP_SOFT_OFF && r->soft_timeout != NULL)
		return yerr(l, r->soft_timeout, "stage '%s': soft_timeout: "
		    "only with op: soft-off", st->name);
	return 0;
}

static long
stage_find(const struct plan *p, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(p->stages[i].name, name))
			return (long)i;
	return -1;
}

static int
size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* after: names to indices; the previous stage when not given */
static int
y_after(struct pload *l, size_t si)
{
	struct plan *p = l->p;
	struct plan_stage *st = &p->stages[si];
	const yaml_node_t *an = l->sr[si].after, *e;
	const char *cand[PLAN_MAX_STAGES + 1], *name, *hint;
	size_t n = 1, k, j;
	long x;

	if (an == NULL) {
		if (si == 0)
			return 0;
		if ((st->after = malloc(sizeof(*st->after))) == NULL)
			return yerr(l, l->sr[si].at, "out of memory");
		st->after[0] = si - 1;
		st->nafter = 1;
		return 0;
	}
	if (yml_is_null(an))
		return 0;
	if (an->type == YAML_SEQUENCE_NODE)
		n = (size_t)(an->data.sequence.items.top -
		    an->data.sequence.items.start);
	else if (yml_str(an) == NULL)
		return yerr(l, an, "after: expected a list of stage names, "
		    "[] for none");
	if (n == 0)
		return 0;
	if ((st->after = calloc(n, sizeof(*st->after))) == NULL)
		return yerr(l, an, "out of memory");
	for (k = 0; k < n; k++) {
		e = an->type == YAML_SEQUENCE_NODE ?
		    node(l, an->data.sequence.items.start[k]) : an;
		if ((name = yml_str(e)) == NULL)
			return yerr(l, e, "after: expected a stage name");
		if ((x = stage_find(p, p->nstages, name)) < 0) {
			for (j = 0; j < p->nstages; j++)
				cand[j] = p->stages[j].name;
			cand[j] = NULL;
			if ((hint = text_suggest(name, cand,
			    p->nstages)) != NULL)
				return yerr(l, e, "after: unknown stage '%s' "
				    "(did you mean '%s'?)", name, hint);
			return yerr(l, e, "after: unknown stage '%s' (not in "
			    "stages)", name);
		}
		if ((size_t)x == si)
			return yerr(l, e, "after: stage '%s' cannot wait for "
			    "itself", name);
		for (j = 0; j < st->nafter; j++)
			if (st->after[j] == (size_t)x)
				return yerr(l, e, "after: '%s' listed twice",
				    name);
		st->after[st->nafter++] = (size_t)x;
	}
	qsort(st->after, st->nafter, sizeof(*st->after), size_cmp);
	return 0;
}

/*
 * Depth-first from s: 1 with the cycle in path[*cstart..*depth) when one
 * is reachable.  color: 0 unseen, 1 on the path, 2 done.
 */
static int
find_cycle(const struct plan *p, size_t s, unsigned char *color, size_t *path,
    size_t *depth, size_t *cstart)
{
	size_t k, t;

	color[s] = 1;
	path[(*depth)++] = s;
	for (k = 0; k < p->stages[s].nafter; k++) {
		t = p->stages[s].after[k];
		if (color[t] == 1) {
			for (*cstart = 0; path[*cstart] != t; (*cstart)++)
				;
			return 1;
		}
		if (color[t] == 0 &&
		    find_cycle(p, t, color, path, depth, cstart))
			return 1;
	}
	color[s] = 2;
	(*depth)--;
	return 0;
}

static int
check_cycles(struct pload *l)
{
	const struct plan *p = l->p;
	unsigned char color[PLAN_MAX_STAGES] = { 0 };
	size_t path[PLAN_MAX_STAGES], depth = 0, cstart = 0, s, k, n, at;
	char msg[MSG_MAX];
	size_t off;

	for (s = 0; s < p->nstages; s++) {
		if (color[s] != 0 ||
		    !find_cycle(p, s, color, path, &depth, &cstart))
			continue;
		/* name it from the first stage, in file order, whose
		   explicit after: closes it: a default never points
		   forward, so one exists */
		n = depth - cstart;
		for (at = cstart, k = cstart; k < depth; k++)
			if (l->sr[path[k]].after != NULL &&
			    (l->sr[path[at]].after == NULL ||
			    path[k] < path[at]))
				at = k;
		off = 0;
		msg[0] = '\0';
		for (k = 0; k <= n && off < sizeof(msg); k++) {
			size_t x = path[cstart + (at - cstart + k) % n];

			off += (size_t)snprintf(msg + off, sizeof(msg) - off,
			    "%s%s", k ? " -> " : "", p->stages[x].name);
		}
		return yerr(l, l->sr[path[at]].after, "after: a cycle, %s "
		    "(each waits for the next)", msg);
	}
	return 0;
}

static int
y_plan(struct pload *l, const yaml_node_t *root)
{
	struct plan *p = l->p;
	const yaml_node_t *stages = NULL;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	size_t n, i;
	long x;

	if (root == NULL || yml_is_null(root))
		return errf(l->err, l->errlen, "%s:1:1: expected a plan (name "
		    "and stages)", l->path);
	if (root->type != YAML_MAPPING_NODE)
		return yerr(l, root, "expected a plan (name: and stages:)");
	if (check_map(l, root, "a plan", top_keys) != 0)
		return -1;
	FOR_PAIRS(l, root, pr, kn, vn, key) {
		if (!strcmp(key, "version")) {
			if (yml_str(vn) == NULL || strcmp(yml_str(vn), "1") != 0)
				return yerr(l, vn, "version: expected 1");
		} else if (!strcmp(key, "name")) {
			if (yml_is_null(vn))
				continue;
			if (yml_str(vn) == NULL || has_control(yml_str(vn)))
				return yerr(l, vn, "name: expected text "
				    "without control characters");
			if ((p->name = strdup(yml_str(vn))) == NULL)
				return yerr(l, vn, "out of memory");
		} else
			stages = vn;
	}
	if (stages == NULL)
		return yerr(l, root, "missing stages (a list of stages, each "
		    "with name, targets and op)");
	if (stages->type != YAML_SEQUENCE_NODE)
		return yerr(l, stages, "stages: expected a list of stages, "
		    "each with name, targets and op");
	n = (size_t)(stages->data.sequence.items.top -
	    stages->data.sequence.items.start);
	if (n == 0)
		return yerr(l, stages, "stages: expected at least one stage");
	if (n > PLAN_MAX_STAGES)
		return yerr(l, stages, "stages: more than %d",
		    PLAN_MAX_STAGES);
	if ((p->stages = calloc(n, sizeof(*p->stages))) == NULL ||
	    (l->sr = calloc(n, sizeof(*l->sr))) == NULL)
		return yerr(l, stages, "out of memory");
	for (i = 0; i < n; i++) {
		p->nstages++;
		if (y_stage(l, node(l, stages->data.sequence.items.start[i]),
		    i) != 0)
			return -1;
		if ((x = stage_find(p, i, p->stages[i].name)) >= 0)
			return yerr(l, l->sr[i].name, "duplicate stage name "
			    "'%s' (first at line %lu, column %lu)",
			    p->stages[i].name,
			    (unsigned long)l->sr[x].name->start_mark.line + 1,
			    (unsigned long)l->sr[x].name->start_mark.column +
			    1);
	}
	for (i = 0; i < n; i++)
		if (y_after(l, i) != 0)
			return -1;
	return check_cycles(l);
}

/* Parse doc into p, then free doc; err as plan_load's. */
static int
load(struct plan *p, yaml_document_t *doc, const char *label, char *err,
    size_t errlen)
{
	struct pload l = { .doc = doc, .p = p, .path = label, .err = err,
	    .errlen = errlen };
	int rc;

	rc = y_plan(&l, yaml_document_get_root_node(doc));
	free(l.sr);
	yaml_document_delete(doc);
	return rc;
}

int
plan_load(struct plan *p, const char *path, char *err, size_t errlen)
{
	yaml_document_t doc;
	int rc;

	memset(p, 0, sizeof(*p));
	if (yml_load_file(&doc, path, err, errlen) != 0)
		return -1;
	if ((rc = load(p, &doc, path, err, errlen)) != 0)
		plan_release(p);
	return rc;
}

int
plan_from_json(struct plan *p, const char *json, char *err, size_t errlen)
{
	yaml_document_t doc;
	int rc;

	memset(p, 0, sizeof(*p));
	if (yml_load_string(&doc, json, strlen(json), JSON_LABEL, err,
	    errlen) != 0)
		return -1;
	if ((rc = load(p, &doc, JSON_LABEL, err, errlen)) != 0)
		plan_release(p);
	return rc;
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
	if ((why = targets_problem(targets)) != NULL)
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

/* --- JSON ---------------------------------------------------------------- */

static void
j_dur(struct json *j, const char *key, uint64_t ms)
{
	char d[64];

	plan_format_duration(ms, d, sizeof(d));
	json_key(j, key);
	json_str(j, d);
}

int
plan_to_json(const struct plan *p, char **out)
{
	struct gbuf b = GBUF_INIT;
	struct json j;
	char pct[32];
	size_t i, k;

	*out = NULL;
	json_init(&j, &b, 0);
	json_obj(&j);
	json_key_u64(&j, "version", 1);
	json_key(&j, "name");
	json_str(&j, p->name);		/* NULL: null */
	json_key(&j, "stages");
	json_arr(&j);
	for (i = 0; i < p->nstages; i++) {
		const struct plan_stage *st = &p->stages[i];

		json_obj(&j);
		json_key(&j, "name");
		json_str(&j, st->name);
		json_key(&j, "targets");
		json_str(&j, st->targets);
		json_key(&j, "op");
		json_str(&j, plan_op_name(st->op));
		if (st->op == PLAN_OP_BOOTDEV_ON) {
			json_key(&j, "bootdev");
			json_str(&j, plan_bootdev_name(st->bootdev));
			json_key_bool(&j, "persistent", st->persistent);
			json_key_bool(&j, "efi", st->efi);
		}
		json_key(&j, "batch");
		if (st->batch == 0)
			json_str(&j, "all");
		else
			json_u64(&j, st->batch);
		j_dur(&j, "interval", st->interval_ms);
		json_key(&j, "budget");
		if (st->budget_w == 0)
			json_null(&j);
		else
			json_u64(&j, st->budget_w);
		json_key_bool(&j, "verify", st->verify);
		j_dur(&j, "verify_timeout", st->verify_timeout_ms);
		if (st->op == PLAN_OP_SOFT_OFF)
			j_dur(&j, "soft_timeout", st->soft_timeout_ms);
		json_key_u64(&j, "retries", st->retries);
		json_key(&j, "failure_threshold");
		if (st->failure_pct) {
			format_pct(st->failure_threshold, pct, sizeof(pct));
			json_str(&j, pct);
		} else
			json_u64(&j, st->failure_threshold);
		json_key(&j, "on_failure");
		json_str(&j, st->on_failure == PLAN_ON_FAILURE_ABORT ? "abort" :
		    "pause");
		json_key(&j, "after");
		json_arr(&j);
		for (k = 0; k < st->nafter; k++)
			json_str(&j, st->after[k] < p->nstages ?
			    p->stages[st->after[k]].name : "?");
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	if (json_failed(&j)) {
		gbuf_release(&b);
		errno = ENOMEM;
		return -1;
	}
	*out = gbuf_detach(&b, NULL);
	return *out != NULL ? 0 : -1;
}

/* --- batches and estimates ----------------------------------------------- */

int
plan_batches(const uint32_t *watts, size_t n, unsigned batch_max,
    uint32_t budget_w, uint32_t inrush_pct, uint16_t *batch_of,
    size_t *nbatches, char *err, size_t errlen)
{
	/* in hundredths of a watt, so the comparison is exact */
	uint64_t cap = (uint64_t)budget_w * 100, sum = 0, d;
	size_t i, batch = 0, in = 0;

	*nbatches = 0;
	if (n == 0)
		return 0;
	if (inrush_pct > 10000)
		return errf(err, errlen, "inrush %u%% is past 10000%%",
		    inrush_pct);
	for (i = 0; i < n; i++) {
		d = (uint64_t)watts[i] * (100 + inrush_pct);
		if (budget_w != 0 && d > cap)
			return errf(err, errlen, "host %zu needs %llu W with "
			    "%u%% inrush, over the budget of %u W", i,
			    (unsigned long long)((d + 99) / 100), inrush_pct,
			    budget_w);
		if (in > 0 && ((batch_max != 0 && in == batch_max) ||
		    (budget_w != 0 && sum + d > cap))) {
			if (++batch == PLAN_MAX_BATCHES)
				return errf(err, errlen, "more than %d batches",
				    PLAN_MAX_BATCHES);
			in = 0;
			sum = 0;
		}
		batch_of[i] = (uint16_t)batch;
		in++;
		sum += d;
	}
	*nbatches = batch + 1;
	return 0;
}

uint32_t
plan_estimate_watts(uint32_t dcmi_peak_w, uint32_t model_w, uint32_t default_w)
{
	if (dcmi_peak_w != 0)
		return dcmi_peak_w;
	if (model_w != 0)
		return model_w;
	return default_w;
}
