/*
 * config: bmcfleet.yaml loaded (config_load: the file, the top-level walk
 * in the order sections refer to each other), released, and queried.  The
 * sections, secrets, resolution and TARGETS selection have files of their
 * own (cli/config_*.c, sharing cli/config_int.h); the YAML helpers are
 * lib/yml's.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "cli/config.h"
#include "cli/config_int.h"
#include "ipmi/ipmi.h"
#include "ipmi/session.h"

#define ARENA_CHUNK	(64 * 1024)

/* --- memory: an arena that never moves, and an intern table over it ----- */

struct chunk {
	struct chunk	*next;
	size_t		 used, cap;
	alignas(max_align_t) unsigned char data[];
};

struct ient {
	const void	*p;
	uint32_t	 len, h;
};

void *
cfg_arena_alloc(struct config_priv *p, size_t n)
{
	struct chunk *c = p->arena;
	size_t off;

	n = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	if (c == NULL || c->cap - c->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		if ((c = malloc(sizeof(*c) + cap)) == NULL)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = p->arena;
		p->arena = c;
	}
	off = c->used;
	c->used += n;
	return c->data + off;
}

uint32_t
cfg_hash_bytes(const void *v, size_t n)
{
	const unsigned char *s = v;
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ *s++) * 16777619u;
	return h;
}

static int
itab_grow(struct config_priv *p)
{
	size_t cap = p->icap ? p->icap * 2 : 256, i, j;
	struct ient *t;

	if ((t = calloc(cap, sizeof(*t))) == NULL)
		return -1;
	for (i = 0; i < p->icap; i++) {
		if (p->itab[i].p == NULL)
			continue;
		for (j = p->itab[i].h & (cap - 1); t[j].p != NULL;
		    j = (j + 1) & (cap - 1))
			;
		t[j] = p->itab[i];
	}
	free(p->itab);
	p->itab = t;
	p->icap = cap;
	return 0;
}

/* One stored copy of these bytes; NULL when out of memory. */
const void *
cfg_intern(struct config_priv *p, const void *v, size_t n)
{
	uint32_t h = cfg_hash_bytes(v, n);
	size_t j;
	void *copy;

	if (n == 0)
		return "";
	if (p->in * 2 >= p->icap && itab_grow(p) != 0)
		return NULL;
	for (j = h & (p->icap - 1); p->itab[j].p != NULL;
	    j = (j + 1) & (p->icap - 1))
		if (p->itab[j].h == h && p->itab[j].len == n &&
		    memcmp(p->itab[j].p, v, n) == 0)
			return p->itab[j].p;
	if ((copy = cfg_arena_alloc(p, n)) == NULL)
		return NULL;
	memcpy(copy, v, n);
	p->itab[j].p = copy;
	p->itab[j].len = (uint32_t)n;
	p->itab[j].h = h;
	p->in++;
	return copy;
}

const char *
cfg_intern_str(struct config_priv *p, const char *s)
{
	return cfg_intern(p, s, strlen(s) + 1);
}

/* A path relative to the config file's directory, interned. */
const char *
rel_path(struct load *l, const char *s)
{
	char *buf;
	const char *r;

	if (s[0] == '/' || l->dir[0] == '\0')
		return cfg_intern_str(l->p, s);
	if (asprintf(&buf, "%s%s", l->dir, s) < 0)
		return NULL;
	r = cfg_intern_str(l->p, buf);
	free(buf);
	return r;
}

/* --- load, release, queries ---------------------------------------------- */

static void
defaults_init(struct config *c)
{
	struct config_collector *k = &c->collector;

	c->defaults.timeout_ms = 1000;
	c->defaults.port = IPMI_PORT;
	c->defaults.credential = CONFIG_NO_CREDENTIAL;
	c->defaults.retries = 3;
	c->defaults.cipher_suite = IPMI_SUITE_AUTO;
	c->defaults.iface = IPMI_IFACE_LANPLUS;
	c->defaults.priv = IPMI_PRIV_ADMIN;
	k->concurrency = 256;
	k->sweep_interval_ms = 5 * UNITS_MIN;
	k->sel_interval_ms = UNITS_MIN;
	k->fru_interval_ms = UNITS_DAY;
	k->sdr_interval_ms = UNITS_DAY;
	k->suite_recheck_ms = UNITS_DAY;
	k->spool_max = 1ULL << 30;
	k->retention_days = 30;
	k->lease_ms = 10 * UNITS_MIN;
	k->host_deadline_ms = 2 * UNITS_MIN;
	k->db_timeout_ms = 30 * UNITS_SEC;
	k->host_max_requests = 100000;
	k->trap_guid_check = 1;
	c->power.default_watts = 500;
	c->power.inrush_pct = 30;
	c->scheduler.confirm_limit = 50;
	c->scheduler.poll_interval_ms = 2 * UNITS_SEC;
	c->alerts.give_up_ms = UNITS_DAY;
	c->alerts.poll_ms = 10 * UNITS_SEC;
}

/* --- every error of the file, not only the first ------------------------ */

#define ERRS_SHOWN	20

/* The error in l->err is one of the file's: kept (the first ERRS_SHOWN). */
static void
err_keep(struct load *l)
{
	if (l->nerr++ >= ERRS_SHOWN)
		return;
	if (l->nerr > 1)
		gbuf_putc(&l->errs, '\n');
	gbuf_puts(&l->errs, l->err != NULL ? l->err : "error");
}

/* "PATH:LINE:COL: ..." in l->err: 0 with its place (0-based), else -1 */
static int
err_place(const struct load *l, unsigned long *line, unsigned long *col)
{
	size_t n = strlen(l->path);
	char *end;

	if (l->err == NULL || strncmp(l->err, l->path, n) != 0 ||
	    l->err[n] != ':')
		return -1;
	*line = strtoul(l->err + n + 1, &end, 10);
	if (*end != ':' || *line == 0)
		return -1;
	*col = strtoul(end + 1, &end, 10);
	if (*end != ':' || *col == 0)
		return -1;
	(*line)--;
	(*col)--;
	return 0;
}

/* mark a is at or before the place (line, col) */
static int
mark_le(const yaml_mark_t *a, unsigned long line, unsigned long col)
{
	return a->line < line || (a->line == line && a->column <= col);
}

/*
 * The pair of the mapping f the error in l->err stands in (its key, or
 * inside its value; an empty value: where it ends), or -1.
 */
static long
err_pair(struct load *l, const yaml_node_t *f)
{
	const yaml_node_pair_t *pr, *p0 = f->data.mapping.pairs.start;
	const yaml_node_t *kn, *vn;
	unsigned long line, col;
	int pass;

	if (err_place(l, &line, &col) != 0)
		return -1;
	for (pass = 0; pass < 2; pass++)
		for (pr = p0; pr < f->data.mapping.pairs.top; pr++) {
			if ((kn = node(l, pr->key)) == NULL ||
			    (vn = node(l, pr->value)) == NULL)
				continue;
			if (pass == 0 && mark_le(&kn->start_mark, line, col) &&
			    !mark_le(&vn->end_mark, line, col))
				return (long)(pr - p0);
			if (pass == 1 && vn->end_mark.index ==
			    vn->start_mark.index && vn->end_mark.line == line &&
			    vn->end_mark.column == col)
				return (long)(pr - p0);
		}
	return -1;
}

/*
 * Walk the mapping m with fn, which fails at its first fault; a fault in
 * one of m's pairs (an unknown or repeated key, a bad value) is kept and
 * the walk done again without that pair, so the file's other faults in m
 * are found too.  Only for walkers that may run twice (their section's
 * fields, set again).  0 when m had no fault, else -1.
 */
static int
y_each_fault(struct load *l, const yaml_node_t *m,
    int (*fn)(struct load *, const yaml_node_t *))
{
	yaml_node_t f;
	yaml_node_pair_t *pairs;
	size_t np;
	long at;
	int bad = 0;

	if (m->type != YAML_MAPPING_NODE) {
		if (fn(l, m) == 0)
			return 0;
		err_keep(l);
		return -1;
	}
	np = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if ((pairs = calloc(np ? np : 1, sizeof(*pairs))) == NULL) {
		errf(l->err, l->errlen, "out of memory");
		err_keep(l);
		return -1;
	}
	memcpy(pairs, m->data.mapping.pairs.start, np * sizeof(*pairs));
	f = *m;
	f.data.mapping.pairs.start = pairs;
	f.data.mapping.pairs.top = pairs + np;
	f.data.mapping.pairs.end = pairs + np;
	while (fn(l, &f) != 0) {
		bad = 1;
		err_keep(l);
		if ((at = err_pair(l, &f)) < 0)
			break;
		/* without that pair: each pass takes one out, so it ends */
		memmove(pairs + at, pairs + at + 1, (np - (size_t)at - 1) *
		    sizeof(*pairs));
		np--;
		f.data.mapping.pairs.top = pairs + np;
	}
	free(pairs);
	return bad ? -1 : 0;
}

/* the top level's keys alone: the sections are walked by y_top */
static int
y_top_keys(struct load *l, const yaml_node_t *root)
{
	static const char *const keys[] = { "database", "credentials",
		"defaults", "groups", "bmcs", "collector", "power", "scheduler",
		"alerts", "http", NULL };

	return check_map(l, root, "the top level", keys) < 0 ? -1 : 0;
}

/*
 * A section that failed has kept its error; the others are walked all
 * the same, but those that name what a failed one defines (credentials
 * for the BMCs' settings, groups for bmcs), so that no error follows
 * from another.
 */
static int
y_top(struct load *l, const yaml_node_t *root)
{
	static const char *const keys[] = { "database", "credentials",
		"defaults", "groups", "bmcs", "collector", "power", "scheduler",
		"alerts", "http", NULL };
	const yaml_node_t *sect[10] = { NULL };
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	size_t i;
	long d;
	int creds_ok = 1, fleet_ok = 1;

	if (root->type != YAML_MAPPING_NODE || yml_is_null(root))
		return y_top_keys(l, root) != 0 ? (err_keep(l), -1) : 0;
	/* an unknown top-level key is told, and the rest still read */
	(void)y_each_fault(l, root, y_top_keys);
	FOR_PAIRS(l, root, pr, kn, vn, key)
		for (i = 0; keys[i] != NULL; i++)
			if (!strcmp(key, keys[i]) && sect[i] == NULL)
				sect[i] = vn;
	/* in the order they refer to each other, whatever the file's */
	if (sect[0] != NULL && y_database(l, sect[0]) != 0)
		err_keep(l);
	if (sect[1] != NULL && y_credentials(l, sect[1]) != 0) {
		err_keep(l);
		creds_ok = 0;
	}
	/* a credential called "default" is the default one */
	if ((d = cred_find(l->c, "default")) >= 0)
		l->c->defaults.credential = (uint16_t)d;
	if (creds_ok && sect[2] != NULL)
		(void)y_each_fault(l, sect[2], y_defaults);
	cfg_apply(&l->c->defaults, &l->def);
	if (creds_ok && sect[3] != NULL && y_groups(l, sect[3]) != 0) {
		err_keep(l);
		fleet_ok = 0;
	}
	if (creds_ok && fleet_ok && sect[4] != NULL && y_bmcs(l, sect[4]) != 0) {
		err_keep(l);
		fleet_ok = 0;
	}
	if (creds_ok && fleet_ok && y_group_hosts(l) != 0)
		err_keep(l);
	if (sect[5] != NULL)
		(void)y_each_fault(l, sect[5], y_collector);
	if (sect[6] != NULL)
		(void)y_each_fault(l, sect[6], y_power);
	if (sect[7] != NULL)
		(void)y_each_fault(l, sect[7], y_scheduler);
	if (sect[9] != NULL)
		(void)y_each_fault(l, sect[9], y_http);
	/* rules select BMCs: only over a fleet that loaded */
	if (creds_ok && fleet_ok && sect[8] != NULL)
		(void)y_each_fault(l, sect[8], y_alerts);
	return l->nerr > 0 ? -1 : 0;
}

struct errline {
	const char	*s;
	unsigned long	 line, col;
	size_t		 at;
};

static int
errline_cmp(const void *a, const void *b)
{
	const struct errline *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * l->err: the errors kept, a line each in the file's order (the sections
 * are walked in the order they refer to each other), and how many more
 * there were.
 */
static void
errs_report(struct load *l)
{
	struct errline v[ERRS_SHOWN];
	struct gbuf out = GBUF_INIT;
	char *text, *save = NULL, *line;
	size_t n = 0, i, plen = strlen(l->path);

	if (l->err == NULL || l->nerr == 0)
		return;
	if (gbuf_failed(&l->errs) || (text = gbuf_detach(&l->errs,
	    NULL)) == NULL) {
		errf(l->err, l->errlen, "%s: out of memory", l->path);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line != NULL &&
	    n < ERRS_SHOWN; line = strtok_r(NULL, "\n", &save)) {
		char *end;

		v[n].s = line;
		v[n].at = n;
		v[n].line = v[n].col = 0;
		if (strncmp(line, l->path, plen) == 0 && line[plen] == ':') {
			v[n].line = strtoul(line + plen + 1, &end, 10);
			if (*end == ':')
				v[n].col = strtoul(end + 1, NULL, 10);
		}
		n++;
	}
	qsort(v, n, sizeof(v[0]), errline_cmp);
	for (i = 0; i < n; i++)
		gbuf_printf(&out, "%s%s", i ? "\n" : "", v[i].s);
	if (l->nerr > ERRS_SHOWN)
		gbuf_printf(&out, "\n%s: and %zu more", l->path,
		    l->nerr - ERRS_SHOWN);
	errf(l->err, l->errlen, "%s", gbuf_failed(&out) ? "out of memory" :
	    gbuf_str(&out));
	gbuf_release(&out);
	free(text);
}

static void
load_free(struct load *l)
{
	size_t i;

	for (i = 0; l->bt != NULL && i < l->c->nbmcs; i++)
		free(l->bt[i].g);
	free(l->bt);
	free(l->ent);
	free(l->gdef);
	free(l->ghosts);
	free(l->lbuf);
	free(l->dir);
	gbuf_release(&l->errs);
}

/* wipe every scalar: an inline password must not linger in freed memory */
static void
doc_wipe(yaml_document_t *doc)
{
	yaml_node_t *n;

	for (n = doc->nodes.start; n < doc->nodes.top; n++)
		if (n->type == YAML_SCALAR_NODE)
			cfg_wipe(n->data.scalar.value, n->data.scalar.length);
}

/* and the parser's copies of the file's bytes */
static void
parser_wipe(yaml_parser_t *p)
{
	if (p->buffer.start != NULL)
		cfg_wipe(p->buffer.start, (size_t)(p->buffer.end -
		    p->buffer.start));
	if (p->raw_buffer.start != NULL)
		cfg_wipe(p->raw_buffer.start, (size_t)(p->raw_buffer.end -
		    p->raw_buffer.start));
}

int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	struct load l = { .doc = &doc, .c = c, .path = path, .err = err,
	    .errlen = errlen };
	const char *slash, *env;
	struct stat st;
	FILE *f;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	defaults_init(c);
	if ((c->priv = calloc(1, sizeof(*c->priv))) == NULL ||
	    (c->path = strdup(path)) == NULL ||
	    byname_rebuild(c, 0) != 0 ||
	    (c->collector.spool_dir = cfg_intern_str(c->priv,
	    "/var/lib/bmcfleet/spool")) == NULL) {
		config_release(c);
		return errf(err, errlen, "out of memory");
	}
	l.p = c->priv;
	slash = strrchr(path, '/');
	if ((l.dir = strndup(path, slash ? (size_t)(slash - path) + 1 : 0)) ==
	    NULL) {
		config_release(c);
		return errf(err, errlen, "out of memory");
	}
	if ((f = fopen(path, "re")) == NULL) {
		errf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(fileno(f), &st) != 0) {
		errf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		goto fail;
	}
	l.file_mode = (unsigned)st.st_mode;
	l.file_private = (st.st_mode & 077) == 0;
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		errf(err, errlen, "%s: cannot start the YAML parser", path);
		goto fail;
	}
	/* unbuffered: libyaml's buffer is then the only copy, and wiped */
	setvbuf(f, NULL, _IONBF, 0);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		yml_parser_errf_src(err, errlen, path, &parser, f, NULL, 0);
		parser_wipe(&parser);
		yaml_parser_delete(&parser);
		fclose(f);
		goto fail;
	}
	if ((root = yaml_document_get_root_node(&doc)) != NULL)
		rc = y_top(&l, root);
	if (rc == 0 && (rc = cfg_resolve(&l)) == 0)
		rc = cfg_alerts_resolve(&l);
	else if (rc != 0)
		errs_report(&l);
	doc_wipe(&doc);
	parser_wipe(&parser);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(f);
	if (rc != 0)
		goto fail;
	if ((env = getenv("BMCFLEET_DB")) != NULL && *env != '\0') {
		free(c->database);
		if ((c->database = strdup(env)) == NULL) {
			errf(err, errlen, "out of memory");
			goto fail;
		}
		c->database_from_env = 1;
	}
	load_free(&l);
	return 0;
fail:
	load_free(&l);
	config_release(c);
	return -1;
}

void
config_release(struct config *c)
{
	struct chunk *ch, *next;
	size_t i;

	for (i = 0; c->creds != NULL && i < c->ncreds; i++)
		if (c->creds[i].password != NULL) {
			cfg_wipe(c->creds[i].password,
			    strlen(c->creds[i].password));
			free(c->creds[i].password);
		}
	if (c->database != NULL) {
		cfg_wipe(c->database, strlen(c->database));
		free(c->database);
	}
	free(c->creds);
	free(c->groups);
	free(c->bmcs);
	free(c->path);
	if (c->priv != NULL) {
		for (ch = c->priv->arena; ch != NULL; ch = next) {
			next = ch->next;
			free(ch);
		}
		free(c->priv->itab);
		free(c->priv->byname);
		free(c->priv);
	}
	memset(c, 0, sizeof(*c));
}

const struct config_bmc *
config_bmcs(const struct config *c, size_t *n)
{
	*n = c->nbmcs;
	return c->bmcs;
}

long
config_bmc_find(const struct config *c, const char *name)
{
	size_t j;

	if (c->priv == NULL || c->priv->byname == NULL)
		return -1;
	j = byname_slot(c, name);
	return c->priv->byname[j] == NONE32 ? -1 : (long)c->priv->byname[j];
}

long
config_group_find(const struct config *c, const char *name)
{
	return group_find(c, name);
}

long
config_credential_find(const struct config *c, const char *name)
{
	return cred_find(c, name);
}

const char *
config_bmc_label(const struct config_bmc *b, const char *key)
{
	struct config_label k = { key, NULL }, *r;

	if (b->nlabels == 0)
		return NULL;
	r = bsearch(&k, b->labels, b->nlabels, sizeof(k), label_cmp);
	return r ? r->value : NULL;
}

const struct config_credential *
config_bmc_credential(const struct config *c, const struct config_bmc *b)
{
	return b->s.credential < c->ncreds ? &c->creds[b->s.credential] :
	    NULL;
}

uint32_t
config_model_watts(const struct config *c, uint32_t manufacturer,
    uint16_t product)
{
	size_t lo = 0, hi = c->power.nmodels, mid;
	const struct config_power_model *m;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		m = &c->power.models[mid];
		if (m->manufacturer == manufacturer && m->product == product)
			return m->watts;
		if (m->manufacturer < manufacturer ||
		    (m->manufacturer == manufacturer && m->product < product))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}
