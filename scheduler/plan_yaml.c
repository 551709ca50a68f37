/* plan_yaml: the plan file and stored plan loader; see plan.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "lib/errf.h"
#include "lib/text.h"
#include "lib/yml.h"
#include "scheduler/plan.h"
#include "scheduler/plan_int.h"

static const char *const top_keys[] = { "version", "name", "stages", NULL };

static const char *const stage_keys[] = {
	"name", "targets", "op", "bootdev", "persistent", "efi", "batch",
	"interval", "budget", "verify", "verify_timeout", "soft_timeout",
	"retries", "failure_threshold", "on_failure", "after", NULL,
};

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
	YML_FOR_PAIRS((l)->doc, (m), pr, kn, vn, kstr)

static int
y_wait(struct pload *l, const yaml_node_t *vn, const char *key, uint64_t min,
    uint64_t *out)
{
	char msg[256];

	if (yml_duration(vn, min, MAX_WAIT_MS, out, msg, sizeof(msg)) == 0)
		return 0;
	return yerr(l, vn, "%s: %s", key, msg);
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
	if ((why = plan_targets_problem(s)) != NULL) {
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
				if ((hint = text_suggest(v, plan_op_names,
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
			if (plan_parse_count(v, PLAN_MAX_BATCH, &n) != 0 || n == 0)
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
			if (plan_parse_count(v, PLAN_MAX_RETRIES, &n) != 0)
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
			if (yml_str(vn) == NULL || plan_has_control(yml_str(vn)))
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
