#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "cli/config.h"
#include "cli/workaround.h"
#include "cli/hostlist.h"
#include "ipmi/ipmi.h"
#include "ipmi/rmcpp.h"
#include "ipmi/session.h"

#define NONE32		UINT32_MAX
#define ARENA_CHUNK	(64 * 1024)
#define MAX_GROUPS	(UINT16_MAX - 1)
#define MAX_LABELS	UINT16_MAX
#define MSG_MAX		512

#define SEC		1000ULL
#define MIN		(60 * SEC)
#define HOUR		(60 * MIN)
#define DAY		(24 * HOUR)

/* settings given at one level (defaults, a group, a bmcs entry), in the
 * order of setting_keys */
enum {
	S_CREDENTIAL = 1 << 0,
	S_IFACE = 1 << 1,
	S_SUITE = 1 << 2,
	S_PRIV = 1 << 3,
	S_TIMEOUT = 1 << 4,
	S_RETRIES = 1 << 5,
	S_INSECURE = 1 << 6,
	S_WORKAROUNDS = 1 << 7,
	S_PORT = 1 << 8,
};

static const char *const setting_keys[] = {
	"credential", "interface", "cipher_suite", "privilege", "timeout",
	"retries", "insecure", "workarounds", "port", NULL,
};


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

struct config_priv {
	struct chunk	*arena;
	struct ient	*itab;		/* open addressing */
	size_t		 icap, in;
	uint32_t	*byname;	/* BMC index by name; NONE32 empty */
	size_t		 bcap;
};

static void *
arena_alloc(struct config_priv *p, size_t n)
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

static uint32_t
hash_bytes(const void *v, size_t n)
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
static const void *
intern(struct config_priv *p, const void *v, size_t n)
{
	uint32_t h = hash_bytes(v, n);
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
	if ((copy = arena_alloc(p, n)) == NULL)
		return NULL;
	memcpy(copy, v, n);
	p->itab[j].p = copy;
	p->itab[j].len = (uint32_t)n;
	p->itab[j].h = h;
	p->in++;
	return copy;
}

static const char *
intern_str(struct config_priv *p, const char *s)
{
	return intern(p, s, strlen(s) + 1);
}

/* --- small helpers ------------------------------------------------------- */

static int errf(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static int
errf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || len == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

/* Edit distance counting a swap of neighbours as one edit (nmae, name) */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t pp[65], prev[65], cur[65];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
		}
		memcpy(pp, prev, sizeof(pp));
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

/* The candidate close enough to word to be what was meant, or NULL. */
static const char *
suggest(const char *word, const char *const *cand, size_t ncand)
{
	size_t i, best = SIZE_MAX, lw = strlen(word), d;
	const char *pick = NULL;

	for (i = 0; i < ncand && cand[i] != NULL; i++) {
		size_t lc = strlen(cand[i]), pre = 0;

		while (pre < lw && pre < lc && word[pre] == cand[i][pre])
			pre++;
		d = edit_distance(word, cand[i]);
		/* "cipher" for cipher_suite: a long shared prefix counts */
		if (!(lw >= 3 && (pre == lw || pre == lc || pre >= 4)) &&
		    (d > (lw >= 6 ? 2 : 1) || d >= lw))
			continue;
		if (d < best) {
			best = d;
			pick = cand[i];
		}
	}
	return pick;
}

static void
did_you_mean(char *buf, size_t len, const char *word, const char *const *cand,
    size_t ncand)
{
	const char *s = suggest(word, cand, ncand);

	if (s != NULL)
		snprintf(buf, len, " (did you mean '%s'?)", s);
	else
		buf[0] = '\0';
}

static int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "true", "yes", "on", "True",
		"TRUE", "Yes", "YES", "On", "ON" };
	static const char *const no[] = { "false", "no", "off", "False",
		"FALSE", "No", "NO", "Off", "OFF" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* "12" or "1.5": digits with at most one dot; the length, or 0. */
static size_t
number_len(const char *s)
{
	size_t n = 0, digits = 0;
	int dot = 0;

	for (;; n++) {
		if (s[n] >= '0' && s[n] <= '9')
			digits++;
		else if (s[n] == '.' && !dot)
			dot = 1;
		else
			break;
	}
	return digits > 0 && s[n - 1] != '.' ? n : 0;
}

/* The value of the n characters number_len accepted (not strtod: locale) */
static double
number_val(const char *s, size_t n)
{
	double v = 0, scale = 1;
	int frac = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			frac = 1;
			continue;
		}
		if (frac)
			v += (s[i] - '0') * (scale /= 10);
		else
			v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * "500ms", "2s", "5m", "1h", "1d", "1h30m", "1.5s"; a bare number is
 * seconds.  In milliseconds, rounded; -1 on anything else or past max.
 */
int
config_parse_duration(const char *s, uint64_t max, uint64_t *ms)
{
	static const struct {
		const char	*u;
		uint64_t	 ms;
	} units[] = {
		{ "ms", 1 }, { "s", SEC }, { "m", MIN }, { "h", HOUR },
		{ "d", DAY },
	};
	double total = 0;
	size_t n, i, ul;

	if ((n = number_len(s)) > 0 && s[n] == '\0') {
		total = number_val(s, n) * SEC;
		goto done;
	}
	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		double v;

		if ((n = number_len(s)) == 0)
			return -1;
		v = number_val(s, n);
		s += n;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			ul = strlen(units[i].u);
			/* "m" must not eat the "m" of "ms" */
			if (!strncmp(s, units[i].u, ul) &&
			    !(s[ul] >= 'a' && s[ul] <= 'z'))
				break;
		}
		if (i == sizeof(units) / sizeof(units[0]))
			return -1;
		total += v * (double)units[i].ms;
		s += ul;
	}
done:
	if (!(total >= 0) || total > (double)max + 0.5)
		return -1;
	*ms = (uint64_t)(total + 0.5);
	return 0;
}

/* "512MiB", "1GiB", "10GB", "4096" (bytes); -1 past max. */
static int
parse_size(const char *s, uint64_t max, uint64_t *out)
{
	static const struct {
		const char	*u;
		uint64_t	 mul;
	} units[] = {
		{ "", 1 }, { "B", 1 },
		{ "KiB", 1ULL << 10 }, { "MiB", 1ULL << 20 },
		{ "GiB", 1ULL << 30 }, { "TiB", 1ULL << 40 },
		{ "kB", 1000 }, { "KB", 1000 }, { "MB", 1000000 },
		{ "GB", 1000000000 }, { "TB", 1000000000000ULL },
	};
	size_t n = number_len(s), i;
	double v;

	if (n == 0)
		return -1;
	v = number_val(s, n);
	s += n;
	if (*s == ' ')
		s++;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(s, units[i].u))
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		return -1;
	v *= (double)units[i].mul;
	if (v > (double)max)
		return -1;
	*out = (uint64_t)(v + 0.5);
	return 0;
}

/* "350", "350W", "1.2kW": watts, 1 to max; -1 otherwise. */
static int
parse_watts(const char *s, uint64_t max, uint64_t *out)
{
	size_t n = number_len(s);
	double v;

	if (n == 0)
		return -1;
	v = number_val(s, n);
	s += n;
	if (*s == ' ')
		s++;
	if (!strcmp(s, "kW") || !strcmp(s, "KW"))
		v *= 1000;
	else if (*s != '\0' && strcmp(s, "W") != 0)
		return -1;
	v += 0.5;
	if (v < 1 || v >= (double)max + 1)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* "30%" or "30": a whole percentage up to max. */
static int
parse_percent(const char *s, uint64_t max, uint64_t *out)
{
	char buf[24];
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '%')
		n--;
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return parse_u64(buf, 0, max, out);
}

/* group, credential and label names: letters, digits, '_', '-', '.' */
static int
valid_ident(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		    *s == '.'))
			return 0;
	return 1;
}

/* Why a BMC name or address cannot be used, or NULL. */
static const char *
bad_host(const char *s, int is_name)
{
	const char *c;

	if (*s == '\0')
		return "is empty";
	for (c = s; *c != '\0'; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return "holds a space or control character";
	if (!is_name)
		return NULL;
	if (strpbrk(s, ",=*?[]") != NULL || *s == '@' || *s == '!')
		return "may not hold , = * ? [ ] or start with @ or !";
	if ((c = strchr(s, ':')) != NULL && strchr(c + 1, ':') == NULL)
		return "holds a port: give it with 'port:'";
	return NULL;
}

/* --- YAML ---------------------------------------------------------------- */

struct btmp {
	uint32_t	 entry;		/* bmcs entry, or NONE32 */
	uint16_t	*g;		/* groups, unsorted until resolved */
	uint16_t	 ng, gcap;
};

struct level {
	struct config_settings		 s;
	unsigned			 set;	/* S_* */
	const struct config_label	*labels;
	uint16_t			 nlabels;
};

struct load {
	yaml_document_t		*doc;
	struct config		*c;
	struct config_priv	*p;
	const char		*path;
	char			*dir;		/* path's, with '/', or "" */
	char			*err;
	size_t			 errlen;
	int			 file_private;	/* mode & 077 == 0 */
	unsigned		 file_mode;
	struct level		 def;
	struct level		*gdef;		/* per group */
	yaml_node_t		**ghosts;	/* per group: hosts node */
	struct level		*ent;		/* per bmcs entry */
	size_t			 nent;
	struct btmp		*bt;		/* per BMC */
	size_t			 bcap;
	struct config_label	*lbuf;		/* merge scratch */
	size_t			 lcap;
};

static int yerr(struct load *, const yaml_node_t *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static int
yerr_at(struct load *l, unsigned long line, unsigned long col,
    const char *msg)
{
	return errf(l->err, l->errlen, "%s:%lu:%lu: %s", l->path, line, col,
	    msg);
}

static int
yerr(struct load *l, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return yerr_at(l, (unsigned long)n->start_mark.line + 1,
	    (unsigned long)n->start_mark.column + 1, msg);
}

static yaml_node_t *
node(struct load *l, int id)
{
	return yaml_document_get_node(l->doc, id);
}

static const char *
scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ?
	    (const char *)n->data.scalar.value : NULL;
}

/* "key:" with nothing after it, "~" or "null" */
static int
is_null(const yaml_node_t *n)
{
	const char *s = scalar(n);

	return s != NULL && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (*s == '\0' || !strcmp(s, "~") || !strcmp(s, "null") ||
	    !strcmp(s, "Null") || !strcmp(s, "NULL"));
}

/* A string value: a scalar, not null. */
static const char *
str(const yaml_node_t *n)
{
	return is_null(n) ? NULL : scalar(n);
}

struct keyref {
	const char		*key;
	const yaml_node_t	*kn;
};

static int
keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	if (r != 0)
		return r;
	if (x->kn->start_mark.index != y->kn->start_mark.index)
		return x->kn->start_mark.index < y->kn->start_mark.index ?
		    -1 : 1;
	return 0;
}

static int
key_list_err(struct load *l, const yaml_node_t *kn, const char *key,
    const char *what, const char *const *keys)
{
	char list[MSG_MAX / 2];
	size_t off = 0, k;

	list[0] = '\0';
	for (k = 0; keys[k] != NULL && off < sizeof(list); k++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
		    k ? ", " : "", keys[k]);
	return yerr(l, kn, "unknown key '%s' in %s (expected %s)", key, what,
	    list);
}

/*
 * n must be a mapping (or null, for an empty one: returns 1) with scalar
 * keys, none twice; with keys != NULL, each key one of those.
 */
static int
check_map(struct load *l, const yaml_node_t *n, const char *what,
    const char *const *keys)
{
	yaml_node_pair_t *pr;
	struct keyref *kr;
	size_t np, i, k;
	char hint[96];

	if (is_null(n))
		return 1;
	if (n->type != YAML_MAPPING_NODE)
		return yerr(l, n, "%s: expected a mapping (key: value)", what);
	np = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (np == 0)
		return 0;
	if ((kr = calloc(np, sizeof(*kr))) == NULL)
		return yerr(l, n, "out of memory");
	for (i = 0, pr = n->data.mapping.pairs.start; i < np; i++, pr++) {
		const yaml_node_t *kn = node(l, pr->key);
		const char *key = scalar(kn);

		if (key == NULL || is_null(kn)) {
			free(kr);
			return yerr(l, kn, "%s: expected a key name", what);
		}
		if (keys != NULL) {
			for (k = 0; keys[k] != NULL; k++)
				if (!strcmp(keys[k], key))
					break;
			if (keys[k] == NULL) {
				free(kr);
				did_you_mean(hint, sizeof(hint), key, keys,
				    SIZE_MAX);
				if (hint[0] != '\0')
					return yerr(l, kn, "unknown key "
					    "'%s'%s", key, hint);
				return key_list_err(l, kn, key, what, keys);
			}
		}
		kr[i].key = key;
		kr[i].kn = kn;
	}
	qsort(kr, np, sizeof(*kr), keyref_cmp);
	for (i = 1; i < np; i++)
		if (!strcmp(kr[i].key, kr[i - 1].key)) {
			const yaml_node_t *a = kr[i - 1].kn, *b = kr[i].kn;
			const char *key = kr[i].key;	/* the document's */

			free(kr);
			return yerr(l, b, "duplicate key '%s' (first at "
			    "line %lu, column %lu)", key,
			    (unsigned long)a->start_mark.line + 1,
			    (unsigned long)a->start_mark.column + 1);
		}
	free(kr);
	return 0;
}

/* each pair of mapping m whose key check_map has vetted as a scalar */
#define FOR_PAIRS(l, m, pr, kn, vn, kstr)				\
	for ((pr) = (m)->type == YAML_MAPPING_NODE ?			\
	    (m)->data.mapping.pairs.start : NULL;			\
	    (pr) != NULL && (pr) < (m)->data.mapping.pairs.top &&	\
	    ((kn) = node((l), (pr)->key)) != NULL &&			\
	    ((vn) = node((l), (pr)->value)) != NULL &&			\
	    ((kstr) = scalar(kn)) != NULL; (pr)++)

/* A path relative to the config file's directory, interned. */
static const char *
rel_path(struct load *l, const char *s)
{
	char *buf;
	const char *r;

	if (s[0] == '/' || l->dir[0] == '\0')
		return intern_str(l->p, s);
	if (asprintf(&buf, "%s%s", l->dir, s) < 0)
		return NULL;
	r = intern_str(l->p, buf);
	free(buf);
	return r;
}

static long
cred_find(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ncreds; i++)
		if (!strcmp(c->creds[i].name, name))
			return (long)i;
	return -1;
}

static long
group_find(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ngroups; i++)
		if (!strcmp(c->groups[i].name, name))
			return (long)i;
	return -1;
}

/* " (did you mean 'x'?)" for a name among credentials or groups */
static void
name_hint(char *buf, size_t len, const char *word, const struct config *c,
    int groups)
{
	const char *cand[64];
	size_t n = 0, i, total = groups ? c->ngroups : c->ncreds;
	const char *best = NULL;

	buf[0] = '\0';
	/* in batches, so a fleet with many groups still gets a hint */
	for (i = 0; i < total; i++) {
		cand[n++] = groups ? c->groups[i].name : c->creds[i].name;
		if (n == 63 || i + 1 == total) {
			const char *s;

			if (best != NULL)
				cand[n++] = best;
			if ((s = suggest(word, cand, n)) != NULL)
				best = s;
			n = 0;
		}
	}
	if (best != NULL)
		snprintf(buf, len, " (did you mean '%s'?)", best);
}

/* One setting; 1 if key is not a setting name. */
static int
y_setting(struct load *l, const char *key, const yaml_node_t *vn,
    struct config_settings *s, unsigned *set)
{
	const char *v = str(vn);
	char hint[96];
	uint64_t u;
	size_t k;
	int b;

	/* setting_keys[k] is the setting with the bit 1 << k */
	for (k = 0; setting_keys[k] != NULL; k++)
		if (!strcmp(setting_keys[k], key))
			break;
	if (setting_keys[k] == NULL)
		return 1;
	if (*set & 1U << k)
		return yerr(l, vn, "%s: given twice (directly and under "
		    "settings:)", key);
	if (!strcmp(key, "workarounds")) {
		yaml_node_item_t *it;
		size_t i;

		s->workarounds = 0;
		*set |= S_WORKAROUNDS;
		if (is_null(vn))
			return 0;
		if (vn->type != YAML_SEQUENCE_NODE)
			return yerr(l, vn, "workarounds: expected a list of "
			    "names like [no-name-lookup] (known: %s)",
			    workaround_names());
		for (it = vn->data.sequence.items.start;
		    it < vn->data.sequence.items.top; it++) {
			const yaml_node_t *e = node(l, *it);
			const char *w = str(e), *cand[16];
			uint32_t bit;

			if (w == NULL)
				return yerr(l, e, "workarounds: expected a "
				    "name (known: %s)", workaround_names());
			if ((bit = workaround_lookup(w)) == 0) {
				for (i = 0; i < 15 &&
				    (cand[i] = workaround_name(i)) != NULL; i++)
					;
				cand[i] = NULL;
				did_you_mean(hint, sizeof(hint), w, cand, i);
				if (hint[0] != '\0')
					return yerr(l, e, "unknown workaround "
					    "'%s'%s", w, hint);
				return yerr(l, e, "unknown workaround '%s' "
				    "(known: %s)", w, workaround_names());
			}
			s->workarounds |= bit;
		}
		return 0;
	}
	if (v == NULL)
		v = "";	/* each check below then explains itself */
	if (!strcmp(key, "credential")) {
		long i;

		if ((i = cred_find(l->c, v)) < 0) {
			if (vn->type != YAML_SCALAR_NODE || *v == '\0')
				return yerr(l, vn, "credential: expected the "
				    "name of an entry in credentials");
			name_hint(hint, sizeof(hint), v, l->c, 0);
			return yerr(l, vn, "unknown credential '%s'%s", v,
			    hint[0] ? hint : " (not in credentials)");
		}
		s->credential = (uint16_t)i;
		*set |= S_CREDENTIAL;
	} else if (!strcmp(key, "interface")) {
		if (!strcmp(v, "lan"))
			s->iface = IPMI_IFACE_LAN;
		else if (!strcmp(v, "lanplus"))
			s->iface = IPMI_IFACE_LANPLUS;
		else
			return yerr(l, vn, "interface: expected lan (IPMI "
			    "v1.5) or lanplus (IPMI v2.0)");
		*set |= S_IFACE;
	} else if (!strcmp(key, "cipher_suite")) {
		const struct ipmi_cipher_suite *cs;

		if (!strcmp(v, "auto"))
			s->cipher_suite = IPMI_SUITE_AUTO;
		else if (parse_u64(v, 0, 19, &u) != 0)
			return yerr(l, vn, "cipher_suite: expected auto or a "
			    "number 0..19");
		else if ((cs = ipmi_cipher_suite((int)u)) == NULL ||
		    !ipmi_cipher_suite_supported(cs))
			return yerr(l, vn, "cipher_suite: suite %u is not "
			    "supported (expected auto, 0-3, 6-8, 11-12 or "
			    "15-17)", (unsigned)u);
		else
			s->cipher_suite = (int8_t)u;
		*set |= S_SUITE;
	} else if (!strcmp(key, "privilege")) {
		if (!strcmp(v, "user"))
			s->priv = IPMI_PRIV_USER;
		else if (!strcmp(v, "operator"))
			s->priv = IPMI_PRIV_OPERATOR;
		else if (!strcmp(v, "admin"))
			s->priv = IPMI_PRIV_ADMIN;
		else
			return yerr(l, vn, "privilege: expected user, "
			    "operator or admin");
		*set |= S_PRIV;
	} else if (!strcmp(key, "timeout")) {
		if (config_parse_duration(v, 10 * MIN, &u) != 0 || u < 10)
			return yerr(l, vn, "timeout: expected a duration like "
			    "500ms, 2s (10ms to 10m)");
		s->timeout_ms = (uint32_t)u;
		*set |= S_TIMEOUT;
	} else if (!strcmp(key, "retries")) {
		if (parse_u64(v, 0, 20, &u) != 0)
			return yerr(l, vn, "retries: expected a number 0..20");
		s->retries = (uint8_t)u;
		*set |= S_RETRIES;
	} else if (!strcmp(key, "insecure")) {
		if (parse_bool(v, &b) != 0)
			return yerr(l, vn, "insecure: expected true or false");
		s->insecure = (uint8_t)b;
		*set |= S_INSECURE;
	} else {
		if (parse_u64(v, 1, 65535, &u) != 0)
			return yerr(l, vn, "port: expected a UDP port "
			    "1..65535");
		s->port = (uint16_t)u;
		*set |= S_PORT;
	}
	return 0;
}

static int
label_cmp(const void *a, const void *b)
{
	const struct config_label *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* labels: {key: value, ...} -> interned array in *out, sorted by key */
static int
y_labels(struct load *l, const yaml_node_t *m, const struct config_label **out,
    uint16_t *nout)
{
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	struct config_label *v;
	size_t n = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((rc = check_map(l, m, "labels", NULL)) != 0)
		return rc < 0 ? -1 : 0;
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (n > MAX_LABELS)
		return yerr(l, m, "labels: more than %d", MAX_LABELS);
	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		return yerr(l, m, "out of memory");
	n = 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *val = str(vn);

		if (!valid_ident(key)) {
			free(v);
			return yerr(l, kn, "label name '%s': expected letters, "
			    "digits, '_', '-' or '.'", key);
		}
		if (val == NULL || *val == '\0' || strchr(val, ',') != NULL ||
		    bad_host(val, 0) != NULL) {
			free(v);
			return yerr(l, vn, "label '%s': expected a value "
			    "without spaces or commas, like r12", key);
		}
		if ((v[n].key = intern_str(l->p, key)) == NULL ||
		    (v[n].value = intern_str(l->p, val)) == NULL) {
			free(v);
			return yerr(l, vn, "out of memory");
		}
		n++;
	}
	qsort(v, n, sizeof(*v), label_cmp);
	*out = n ? intern(l->p, v, n * sizeof(*v)) : NULL;
	free(v);
	if (n > 0 && *out == NULL)
		return yerr(l, m, "out of memory");
	*nout = (uint16_t)n;
	return 0;
}

/*
 * A password in a libpq conninfo: the password keyword ("password=...",
 * spaces allowed around '=') or a URI's "user:secret@".
 */
static int
conninfo_has_password(const char *v)
{
	const char *p, *at, *colon;
	size_t n;

	if (!strncmp(v, "postgresql://", 13) || !strncmp(v, "postgres://", 11)) {
		p = strstr(v, "://") + 3;
		n = strcspn(p, "/?");
		at = memchr(p, '@', n);
		colon = memchr(p, ':', n);
		if ((at != NULL && colon != NULL && colon < at) ||
		    strstr(v, "password=") != NULL)
			return 1;
		return 0;
	}
	for (p = v; (p = strstr(p, "password")) != NULL; p += 8) {
		const char *q = p + 8;

		if (p != v && !isspace((unsigned char)p[-1]))
			continue;
		while (isspace((unsigned char)*q))
			q++;
		if (*q == '=')
			return 1;
	}
	return 0;
}

static int
y_database(struct load *l, const yaml_node_t *vn)
{
	const char *v = str(vn);

	if (v == NULL || *v == '\0')
		return yerr(l, vn, "database: expected a libpq conninfo string "
		    "like \"host=/run/postgresql dbname=bmcfleet\"");
	/* as an inline BMC password: never quote it in the message */
	if (!l->file_private && conninfo_has_password(v))
		return yerr(l, vn, "database: the conninfo holds a password, "
		    "so %s must be mode 0600, not %04o (chmod 600 it, or "
		    "use a ~/.pgpass file or PGPASSWORD)", l->path,
		    l->file_mode & 07777);
	free(l->c->database);
	if ((l->c->database = strdup(v)) == NULL)
		return yerr(l, vn, "out of memory");
	return 0;
}

static int
y_credentials(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "user", "password_file",
		"password_env", "password", NULL };
	struct config *c = l->c;
	yaml_node_pair_t *pr, *q;
	yaml_node_t *kn, *vn, *ck, *cv;
	const char *name, *ckey;
	size_t n;
	int rc;

	if ((rc = check_map(l, m, "credentials", NULL)) != 0)
		return rc < 0 ? -1 : 0;
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (n >= CONFIG_NO_CREDENTIAL)
		return yerr(l, m, "credentials: too many");
	if ((c->creds = calloc(n, sizeof(*c->creds))) == NULL)
		return yerr(l, m, "out of memory");
	FOR_PAIRS(l, m, pr, kn, vn, name) {
		struct config_credential *cr = &c->creds[c->ncreds];
		const yaml_node_t *src = NULL;

		if (!valid_ident(name))
			return yerr(l, kn, "credential name '%s': expected "
			    "letters, digits, '_', '-' or '.'", name);
		if (vn->type != YAML_MAPPING_NODE)
			return yerr(l, vn, "credential '%s': expected {user, "
			    "password_file or password_env}", name);
		if (check_map(l, vn, "a credential", keys) != 0)
			return -1;
		cr->name = intern_str(l->p, name);
		c->ncreds++;
		FOR_PAIRS(l, vn, q, ck, cv, ckey) {
			const char *v = scalar(cv);

			if (v == NULL)
				return yerr(l, cv, "credential '%s': %s: "
				    "expected a string", name, ckey);
			if (strcmp(ckey, "user") != 0 && src != NULL)
				return yerr(l, ck, "credential '%s': give one "
				    "of password_file, password_env or "
				    "password, not two", name);
			if (!strcmp(ckey, "user")) {
				if (strlen(v) > IPMI_MAX_USER)
					return yerr(l, cv, "credential '%s': "
					    "user: longer than %d bytes", name,
					    IPMI_MAX_USER);
				cr->user = intern_str(l->p, v);
				continue;
			}
			src = cv;
			if (!strcmp(ckey, "password_file")) {
				if (*v == '\0')
					return yerr(l, cv, "credential '%s': "
					    "password_file: expected a path",
					    name);
				cr->password_file = rel_path(l, v);
			} else if (!strcmp(ckey, "password_env")) {
				const char *e = v;

				for (; *e != '\0'; e++)
					if (!((*e >= 'A' && *e <= 'Z') ||
					    (*e >= 'a' && *e <= 'z') ||
					    *e == '_' || (e > v && *e >= '0' &&
					    *e <= '9')))
						break;
				if (*v == '\0' || *e != '\0')
					return yerr(l, cv, "credential '%s': "
					    "password_env: expected a variable "
					    "name like LAB_BMC_PASSWORD", name);
				cr->password_env = intern_str(l->p, v);
			} else {
				/* never quote it: the value is a secret */
				if (!l->file_private)
					return yerr(l, cv, "credential '%s': "
					    "an inline password needs %s to be "
					    "mode 0600, not %04o (chmod 600 "
					    "it, or use password_file or "
					    "password_env)", name, l->path,
					    l->file_mode & 07777);
				if (strlen(v) > IPMI_MAX_PASSWORD)
					return yerr(l, cv, "credential '%s': "
					    "password: longer than %d bytes",
					    name, IPMI_MAX_PASSWORD);
				if ((cr->password = strdup(v)) == NULL)
					return yerr(l, cv, "out of memory");
			}
		}
		if (cr->user == NULL)
			return yerr(l, vn, "credential '%s': missing user "
			    "(\"\" for the null user)", name);
		if (src == NULL)
			return yerr(l, vn, "credential '%s': missing a "
			    "password: give password_file or password_env",
			    name);
	}
	return 0;
}

static int
y_defaults(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "credential", "interface",
		"cipher_suite", "privilege", "timeout", "retries", "insecure",
		"workarounds", "port", "labels", NULL };
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	int rc;

	if ((rc = check_map(l, m, "defaults", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		if (!strcmp(key, "labels")) {
			if (y_labels(l, vn, &l->def.labels, &l->def.nlabels))
				return -1;
		} else if (y_setting(l, key, vn, &l->def.s, &l->def.set) != 0)
			return -1;
	}
	return 0;
}

/* settings: {...} inside a group or a bmcs entry */
static int
y_settings(struct load *l, const yaml_node_t *m, struct level *lv)
{
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	int rc;

	if ((rc = check_map(l, m, "settings", setting_keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key)
		if (y_setting(l, key, vn, &lv->s, &lv->set) != 0)
			return -1;
	return 0;
}

static int
y_groups(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "hosts", "labels", "settings",
		"credential", "interface", "cipher_suite", "privilege",
		"timeout", "retries", "insecure", "workarounds", "port", NULL };
	struct config *c = l->c;
	yaml_node_pair_t *pr, *q;
	yaml_node_t *kn, *vn, *gk, *gv;
	const char *name, *gkey;
	size_t n;
	int rc;

	if ((rc = check_map(l, m, "groups", NULL)) != 0)
		return rc < 0 ? -1 : 0;
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (n > MAX_GROUPS)
		return yerr(l, m, "groups: more than %d", MAX_GROUPS);
	if ((c->groups = calloc(n, sizeof(*c->groups))) == NULL ||
	    (l->gdef = calloc(n, sizeof(*l->gdef))) == NULL ||
	    (l->ghosts = calloc(n, sizeof(*l->ghosts))) == NULL)
		return yerr(l, m, "out of memory");
	FOR_PAIRS(l, m, pr, kn, vn, name) {
		struct level *lv = &l->gdef[c->ngroups];

		if (!valid_ident(name) || !strcmp(name, "all"))
			return yerr(l, kn, "group name '%s': expected letters, "
			    "digits, '_', '-' or '.' (and not 'all')", name);
		if ((rc = check_map(l, vn, "a group", keys)) < 0)
			return -1;
		c->groups[c->ngroups].name = intern_str(l->p, name);
		c->ngroups++;
		if (rc == 1)
			continue;
		FOR_PAIRS(l, vn, q, gk, gv, gkey) {
			if (!strcmp(gkey, "hosts")) {
				l->ghosts[c->ngroups - 1] = gv;
			} else if (!strcmp(gkey, "labels")) {
				if (y_labels(l, gv, &lv->labels, &lv->nlabels))
					return -1;
			} else if (!strcmp(gkey, "settings")) {
				if (y_settings(l, gv, lv) != 0)
					return -1;
			} else if (y_setting(l, gkey, gv, &lv->s, &lv->set))
				return -1;
		}
		c->groups[c->ngroups - 1].labels = lv->labels;
		c->groups[c->ngroups - 1].nlabels = lv->nlabels;
	}
	return 0;
}

/* --- BMCs while loading -------------------------------------------------- */

static size_t
byname_slot(const struct config *c, const char *name)
{
	const struct config_priv *p = c->priv;
	size_t j;

	for (j = hash_bytes(name, strlen(name)) & (p->bcap - 1);
	    p->byname[j] != NONE32; j = (j + 1) & (p->bcap - 1))
		if (!strcmp(c->bmcs[p->byname[j]].name, name))
			break;
	return j;
}

static int
byname_rebuild(struct config *c, size_t want)
{
	struct config_priv *p = c->priv;
	size_t cap = 64, i;

	while (cap < want * 2)
		cap *= 2;
	free(p->byname);
	if ((p->byname = malloc(cap * sizeof(*p->byname))) == NULL)
		return -1;
	memset(p->byname, 0xff, cap * sizeof(*p->byname));
	p->bcap = cap;
	for (i = 0; i < c->nbmcs; i++)
		p->byname[byname_slot(c, c->bmcs[i].name)] = (uint32_t)i;
	return 0;
}

static int
bt_add_group(struct btmp *b, uint16_t g)
{
	uint16_t i, *v;

	for (i = 0; i < b->ng; i++)
		if (b->g[i] == g)
			return 0;
	if (b->ng == b->gcap) {
		unsigned cap = b->gcap ? b->gcap * 2u : 2u;

		if (cap > MAX_GROUPS)
			cap = MAX_GROUPS;
		if ((v = realloc(b->g, cap * sizeof(*v))) == NULL)
			return -1;
		b->g = v;
		b->gcap = (uint16_t)cap;
	}
	b->g[b->ng++] = g;
	return 0;
}

/* The BMC named name (interned), added if new; *isnew tells. */
static long
bmc_get(struct load *l, const char *name, const yaml_node_t *at, int *isnew)
{
	struct config *c = l->c;
	struct config_bmc *b;
	size_t j;

	if (c->nbmcs >= CONFIG_MAX_BMCS)
		return yerr(l, at, "more than %d BMCs", CONFIG_MAX_BMCS);
	if ((c->nbmcs + 1) * 2 > c->priv->bcap &&
	    byname_rebuild(c, c->nbmcs + 1) != 0)
		return yerr(l, at, "out of memory");
	j = byname_slot(c, name);
	*isnew = c->priv->byname[j] == NONE32;
	if (!*isnew)
		return (long)c->priv->byname[j];
	if (c->nbmcs == l->bcap) {
		size_t cap = l->bcap ? l->bcap * 2 : 64;
		struct btmp *bt;

		if ((b = realloc(c->bmcs, cap * sizeof(*b))) == NULL)
			return yerr(l, at, "out of memory");
		c->bmcs = b;
		if ((bt = realloc(l->bt, cap * sizeof(*bt))) == NULL)
			return yerr(l, at, "out of memory");
		l->bt = bt;
		l->bcap = cap;
	}
	b = &c->bmcs[c->nbmcs];
	memset(b, 0, sizeof(*b));
	memset(&l->bt[c->nbmcs], 0, sizeof(l->bt[0]));
	l->bt[c->nbmcs].entry = NONE32;
	if ((b->name = intern_str(c->priv, name)) == NULL)
		return yerr(l, at, "out of memory");
	b->address = b->name;
	b->line = (uint32_t)at->start_mark.line + 1;
	b->col = (uint16_t)(at->start_mark.column + 1 > UINT16_MAX ?
	    UINT16_MAX : at->start_mark.column + 1);
	c->priv->byname[j] = (uint32_t)c->nbmcs;
	return (long)c->nbmcs++;
}

/* hosts: "spec" or ["spec", ...] expanded into hl */
static int
y_hosts(struct load *l, const yaml_node_t *vn, struct hostlist *hl)
{
	char msg[256];
	const yaml_node_t *e;
	yaml_node_item_t *it;
	size_t i;

	if (vn->type == YAML_SEQUENCE_NODE) {
		for (it = vn->data.sequence.items.start;
		    it < vn->data.sequence.items.top; it++) {
			e = node(l, *it);
			if (str(e) == NULL)
				return yerr(l, e, "hosts: expected a host list "
				    "like \"node[001-120]\"");
			if (hostlist_expand(hl, str(e), msg, sizeof(msg)))
				return yerr(l, e, "%s", msg);
		}
	} else if (str(vn) == NULL) {
		return yerr(l, vn, "hosts: expected a host list like "
		    "\"node[001-120]\" or a list of them");
	} else if (hostlist_expand(hl, str(vn), msg, sizeof(msg)) != 0)
		return yerr(l, vn, "%s", msg);
	for (i = 0; i < hl->n; i++) {
		const char *why = bad_host(hl->hosts[i], 1);

		if (why != NULL)
			return yerr(l, vn, "host name '%s' %s", hl->hosts[i],
			    why);
	}
	return 0;
}

static int
y_bmc(struct load *l, const yaml_node_t *m, uint32_t ent)
{
	static const char *const keys[] = { "name", "address", "hosts",
		"groups", "labels", "settings", "credential", "interface",
		"cipher_suite", "privilege", "timeout", "retries", "insecure",
		"workarounds", "port", NULL };
	struct config *c = l->c;
	struct level *lv = &l->ent[ent];
	struct hostlist hl = { 0 };
	const yaml_node_t *name = NULL, *hosts = NULL, *addr = NULL;
	const yaml_node_t *groups = NULL;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key, *why, *address = NULL;
	uint16_t gidx[64];
	size_t ng = 0, i, k;
	int isnew;
	long bi;

	if (str(m) != NULL) {
		hosts = m;	/* "- node[1-4]" is short for {hosts: ...} */
	} else {
		if (check_map(l, m, "a bmcs entry", keys) != 0)
			return is_null(m) ? yerr(l, m, "a bmcs entry: expected "
			    "{name: ..., address: ...} or {hosts: ...}") : -1;
		FOR_PAIRS(l, m, pr, kn, vn, key) {
			if (!strcmp(key, "name"))
				name = vn;
			else if (!strcmp(key, "hosts"))
				hosts = vn;
			else if (!strcmp(key, "address"))
				addr = vn;
			else if (!strcmp(key, "groups"))
				groups = vn;
			else if (!strcmp(key, "labels")) {
				if (y_labels(l, vn, &lv->labels, &lv->nlabels))
					return -1;
			} else if (!strcmp(key, "settings")) {
				if (y_settings(l, vn, lv) != 0)
					return -1;
			} else if (y_setting(l, key, vn, &lv->s, &lv->set))
				return -1;
		}
	}
	if ((name == NULL) == (hosts == NULL))
		return yerr(l, m, "a bmcs entry needs either name (one BMC) or "
		    "hosts (a host list), not %s", name ? "both" : "neither");
	if (addr != NULL) {
		if (name == NULL)
			return yerr(l, addr, "address: only with name (a host "
			    "list's names are their addresses)");
		if ((address = str(addr)) == NULL ||
		    (why = bad_host(address, 0)) != NULL)
			return yerr(l, addr, "address: expected a host name or "
			    "IP address");
	}
	if (groups != NULL && !is_null(groups)) {
		const yaml_node_t *one[1] = { groups }, *const *e = one;
		size_t cnt = 1;

		if (groups->type == YAML_SEQUENCE_NODE) {
			e = NULL;
			cnt = (size_t)(groups->data.sequence.items.top -
			    groups->data.sequence.items.start);
		} else if (str(groups) == NULL)
			return yerr(l, groups, "groups: expected a list of "
			    "group names");
		if (cnt > sizeof(gidx) / sizeof(gidx[0]))
			return yerr(l, groups, "groups: more than %zu",
			    sizeof(gidx) / sizeof(gidx[0]));
		for (k = 0; k < cnt; k++) {
			const yaml_node_t *gn = e ? e[k] :
			    node(l, groups->data.sequence.items.start[k]);
			const char *g = str(gn);
			char hint[96];
			long gi;

			if (g == NULL)
				return yerr(l, gn, "groups: expected a group "
				    "name");
			if ((gi = group_find(c, g)) < 0) {
				name_hint(hint, sizeof(hint), g, c, 1);
				return yerr(l, gn, "unknown group '%s'%s", g,
				    hint[0] ? hint : " (not in groups)");
			}
			gidx[ng++] = (uint16_t)gi;
		}
	}
	if (name != NULL) {
		const char *s = str(name);

		if (s == NULL)
			return yerr(l, name, "name: expected a BMC name");
		if ((why = bad_host(s, 1)) != NULL)
			return yerr(l, name, "name '%s' %s", s, why);
		if ((hl.hosts = malloc(sizeof(*hl.hosts))) == NULL ||
		    (hl.hosts[0] = strdup(s)) == NULL) {
			hostlist_release(&hl);
			return yerr(l, name, "out of memory");
		}
		hl.n = 1;
	} else if (y_hosts(l, hosts, &hl) != 0) {
		hostlist_release(&hl);
		return -1;
	}
	for (i = 0; i < hl.n; i++) {
		struct btmp *bt;

		if ((bi = bmc_get(l, hl.hosts[i], m, &isnew)) < 0)
			goto fail;
		bt = &l->bt[bi];
		if (!isnew) {
			const struct config_bmc *b = &c->bmcs[bi];

			if (bt->entry == ent)
				yerr(l, m, "bmc '%s' is listed twice in this "
				    "entry", b->name);
			else
				yerr(l, m, "bmc '%s' is already defined at "
				    "%s:%lu:%lu", b->name, l->path,
				    (unsigned long)b->line,
				    (unsigned long)b->col);
			goto fail;
		}
		bt->entry = ent;
		if (address != NULL && (c->bmcs[bi].address = intern_str(l->p,
		    address)) == NULL) {
			yerr(l, m, "out of memory");
			goto fail;
		}
		for (k = 0; k < ng; k++)
			if (bt_add_group(bt, gidx[k]) != 0) {
				yerr(l, m, "out of memory");
				goto fail;
			}
	}
	hostlist_release(&hl);
	return 0;
fail:
	hostlist_release(&hl);
	return -1;
}

static int
y_bmcs(struct load *l, const yaml_node_t *s)
{
	yaml_node_item_t *it;
	size_t n;

	if (is_null(s))
		return 0;
	if (s->type != YAML_SEQUENCE_NODE)
		return yerr(l, s, "bmcs: expected a list of {name: ...} or "
		    "{hosts: ...} entries");
	n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
	if ((l->ent = calloc(n ? n : 1, sizeof(*l->ent))) == NULL)
		return yerr(l, s, "out of memory");
	for (it = s->data.sequence.items.start; it < s->data.sequence.items.top;
	    it++) {
		l->nent++;
		if (y_bmc(l, node(l, *it), (uint32_t)(l->nent - 1)) != 0)
			return -1;
	}
	return 0;
}

/* Each group's hosts: members, added as BMCs when no bmcs entry has them. */
static int
y_group_hosts(struct load *l)
{
	struct config *c = l->c;
	struct hostlist hl = { 0 };
	size_t g, i;
	int isnew;
	long bi;

	for (g = 0; g < c->ngroups; g++) {
		if (l->ghosts[g] == NULL || is_null(l->ghosts[g]))
			continue;
		if (y_hosts(l, l->ghosts[g], &hl) != 0)
			goto fail;
		for (i = 0; i < hl.n; i++) {
			if ((bi = bmc_get(l, hl.hosts[i], l->ghosts[g],
			    &isnew)) < 0)
				goto fail;
			if (bt_add_group(&l->bt[bi], (uint16_t)g) != 0) {
				yerr(l, l->ghosts[g], "out of memory");
				goto fail;
			}
		}
		hostlist_release(&hl);
	}
	return 0;
fail:
	hostlist_release(&hl);
	return -1;
}

static int
y_collector(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "concurrency", "sweep_interval",
		"sel_interval", "fru_interval", "sdr_interval", "min_gap",
		"spool_dir", "spool_max", "retention_days", "lease",
		"host_deadline", "host_max_requests", "suite_recheck",
		"db_timeout", NULL };
	struct config_collector *k = &l->c->collector;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	uint64_t u, *dst = NULL;
	int rc;

	if ((rc = check_map(l, m, "collector", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = str(vn) ? str(vn) : "";

		if (!strcmp(key, "concurrency")) {
			if (parse_u64(v, 1, 65536, &u) != 0)
				return yerr(l, vn, "concurrency: expected a "
				    "number 1..65536");
			k->concurrency = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "retention_days")) {
			if (parse_u64(v, 1, 36500, &u) != 0)
				return yerr(l, vn, "retention_days: expected a "
				    "number of days 1..36500");
			k->retention_days = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "spool_dir")) {
			if (*v == '\0')
				return yerr(l, vn, "spool_dir: expected a "
				    "directory");
			if ((k->spool_dir = rel_path(l, v)) == NULL)
				return yerr(l, vn, "out of memory");
			continue;
		}
		if (!strcmp(key, "spool_max")) {
			if (parse_size(v, 1ULL << 50, &u) != 0 || u < (1 << 20))
				return yerr(l, vn, "spool_max: expected a size "
				    "like 512MiB, 1GiB or bytes (at least "
				    "1MiB)");
			k->spool_max = u;
			continue;
		}
		if (!strcmp(key, "host_max_requests")) {
			if (parse_u64(v, 100, 10000000, &u) != 0)
				return yerr(l, vn, "host_max_requests: expected "
				    "a number 100..10000000");
			k->host_max_requests = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "host_deadline")) {
			if (config_parse_duration(v, DAY, &u) != 0 || u < SEC)
				return yerr(l, vn, "host_deadline: expected a "
				    "duration like 2m (1s to 1d)");
			k->host_deadline_ms = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "db_timeout")) {
			if (config_parse_duration(v, 10 * MIN, &u) != 0 ||
			    u < SEC)
				return yerr(l, vn, "db_timeout: expected a "
				    "duration like 30s (1s to 10m)");
			k->db_timeout_ms = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "min_gap")) {
			if (config_parse_duration(v, MIN, &u) != 0)
				return yerr(l, vn, "min_gap: expected a "
				    "duration like 0ms, 20ms (up to 1m)");
			k->min_gap_ms = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "sweep_interval"))
			dst = &k->sweep_interval_ms;
		else if (!strcmp(key, "sel_interval"))
			dst = &k->sel_interval_ms;
		else if (!strcmp(key, "fru_interval"))
			dst = &k->fru_interval_ms;
		else if (!strcmp(key, "sdr_interval"))
			dst = &k->sdr_interval_ms;
		else if (!strcmp(key, "suite_recheck"))
			dst = &k->suite_recheck_ms;
		else
			dst = &k->lease_ms;
		if (config_parse_duration(v, 365 * DAY, &u) != 0 || u < SEC)
			return yerr(l, vn, "%s: expected a duration like 30s, "
			    "5m, 24h (1s to 365d)", key);
		*dst = u;
	}
	return 0;
}

#define MAX_HOST_WATTS	100000
#define MAX_MANUFACTURER 0xFFFFF	/* IPMI v2.0, 20.1: 20 bits */

struct modelref {
	struct config_power_model	 m;
	const yaml_node_t		*kn;
};

static int
model_cmp(const void *a, const void *b)
{
	const struct modelref *x = a, *y = b;

	if (x->m.manufacturer != y->m.manufacturer)
		return x->m.manufacturer < y->m.manufacturer ? -1 : 1;
	if (x->m.product != y->m.product)
		return x->m.product < y->m.product ? -1 : 1;
	/* equal models: the one written first first */
	return x->kn->start_mark.index < y->kn->start_mark.index ? -1 : 1;
}

/* "674:256": the manufacturer and product IDs, decimal. */
static int
parse_model(const char *key, uint64_t *mfr, uint64_t *product)
{
	const char *colon = strchr(key, ':');
	char buf[16];

	if (colon == NULL || (size_t)(colon - key) >= sizeof(buf))
		return -1;
	memcpy(buf, key, (size_t)(colon - key));
	buf[colon - key] = '\0';
	return parse_u64(buf, 0, MAX_MANUFACTURER, mfr) != 0 ||
	    parse_u64(colon + 1, 0, UINT16_MAX, product) != 0 ? -1 : 0;
}

/* models: {"674:256": 350, ...} */
static int
y_models(struct load *l, const yaml_node_t *m)
{
	struct config_power *pw = &l->c->power;
	struct config_power_model *out;
	struct modelref *v;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	size_t n, i;
	int rc;

	if ((rc = check_map(l, m, "models", NULL)) != 0)
		return rc < 0 ? -1 : 0;
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		return yerr(l, m, "out of memory");
	n = 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		uint64_t a, b, w;

		if (parse_model(key, &a, &b) != 0) {
			free(v);
			return yerr(l, kn, "models: '%s': expected "
			    "\"MANUFACTURER_ID:PRODUCT_ID\" in decimal, as "
			    "bmc_profile has them, like \"674:256\"", key);
		}
		if (str(vn) == NULL || parse_watts(str(vn), MAX_HOST_WATTS,
		    &w) != 0) {
			free(v);
			return yerr(l, vn, "models: '%s': expected watts "
			    "like 350 or 350W (1W to 100kW)", key);
		}
		v[n].m.manufacturer = (uint32_t)a;
		v[n].m.product = (uint16_t)b;
		v[n].m.watts = (uint32_t)w;
		v[n].kn = kn;
		n++;
	}
	qsort(v, n, sizeof(*v), model_cmp);
	for (i = 1; i < n; i++)
		if (v[i].m.manufacturer == v[i - 1].m.manufacturer &&
		    v[i].m.product == v[i - 1].m.product) {
			const yaml_node_t *a = v[i - 1].kn, *b = v[i].kn;

			free(v);
			return yerr(l, b, "models: '%s' is the model of '%s' "
			    "(line %lu, column %lu) again", scalar(b),
			    scalar(a), (unsigned long)a->start_mark.line + 1,
			    (unsigned long)a->start_mark.column + 1);
		}
	if (n > 0 && (out = arena_alloc(l->p, n * sizeof(*out))) == NULL) {
		free(v);
		return yerr(l, m, "out of memory");
	}
	for (i = 0; i < n; i++)
		out[i] = v[i].m;
	free(v);
	pw->models = n > 0 ? out : NULL;
	pw->nmodels = n;
	return 0;
}

static int
y_power(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "default_watts", "inrush",
		"models", NULL };
	struct config_power *pw = &l->c->power;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	uint64_t u;
	int rc;

	if ((rc = check_map(l, m, "power", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = str(vn) ? str(vn) : "";

		if (!strcmp(key, "default_watts")) {
			if (parse_watts(v, MAX_HOST_WATTS, &u) != 0)
				return yerr(l, vn, "default_watts: expected "
				    "watts like 500 or 500W (1W to 100kW)");
			pw->default_watts = (uint32_t)u;
		} else if (!strcmp(key, "inrush")) {
			if (parse_percent(v, 1000, &u) != 0)
				return yerr(l, vn, "inrush: expected a "
				    "percentage like 30%% (0%% to 1000%%)");
			pw->inrush_pct = (uint32_t)u;
		} else if (y_models(l, vn) != 0)
			return -1;
	}
	return 0;
}

/* An http:// or https:// URL with a host, no spaces; never quoted back:
 * it may carry a secret. */
static int
valid_url(const char *s)
{
	const char *h;

	if (!strncmp(s, "https://", 8))
		h = s + 8;
	else if (!strncmp(s, "http://", 7))
		h = s + 7;
	else
		return 0;
	if (*h == '\0' || *h == '/' || *h == '?' || *h == '#' || *h == ':')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return 0;
	return 1;
}

/* LAB_BMC_PASSWORD */
static int
valid_env_name(const char *v)
{
	const char *e;

	for (e = v; *e != '\0'; e++)
		if (!((*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z') ||
		    *e == '_' || (e > v && *e >= '0' && *e <= '9')))
			return 0;
	return *v != '\0';
}

/* host[:port][/...] names this machine: 127.0.0.0/8, localhost, [::1] */
static int
loopback_url(const char *h)
{
	size_t n = strcspn(h, ":/?#");

	if (!strncmp(h, "[::1]", 5))
		return 1;
	if (n == 9 && !strncmp(h, "localhost", 9))
		return 1;
	if (strncmp(h, "127.", 4) != 0)
		return 0;
	for (size_t i = 4; i < n; i++)
		if (!isdigit((unsigned char)h[i]) && h[i] != '.')
			return 0;
	return 1;
}

static int
y_webhook(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "url", "token_file", "token_env",
		"insecure", NULL };
	struct config_webhook *w = &l->c->scheduler.webhook;
	const yaml_node_t *token = NULL;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	int rc;

	if ((rc = check_map(l, m, "webhook", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = str(vn) ? str(vn) : "";

		if (!strcmp(key, "insecure")) {
			if (parse_bool(v, &w->insecure) != 0)
				return yerr(l, vn, "webhook: insecure: expected "
				    "true or false");
			continue;
		}
		if (!strcmp(key, "url")) {
			if (!valid_url(v))
				return yerr(l, vn, "webhook: url: expected an "
				    "http:// or https:// URL without spaces");
			if ((w->url = intern_str(l->p, v)) == NULL)
				return yerr(l, vn, "out of memory");
			continue;
		}
		if (token != NULL)
			return yerr(l, kn, "webhook: give token_file or "
			    "token_env, not both");
		token = kn;
		if (!strcmp(key, "token_file")) {
			if (*v == '\0')
				return yerr(l, vn, "webhook: token_file: "
				    "expected a path");
			if ((w->token_file = rel_path(l, v)) == NULL)
				return yerr(l, vn, "out of memory");
		} else {
			if (!valid_env_name(v))
				return yerr(l, vn, "webhook: token_env: "
				    "expected a variable name like "
				    "BMCFLEET_WEBHOOK_TOKEN");
			if ((w->token_env = intern_str(l->p, v)) == NULL)
				return yerr(l, vn, "out of memory");
		}
	}
	if (w->url == NULL)
		return yerr(l, m, "webhook: missing url (an http:// or "
		    "https:// URL)");
	/* a bearer token over plain http is readable on every hop; a
	 * loopback URL (a local relay) has none */
	if (token != NULL && !strncmp(w->url, "http://", 7) && !w->insecure &&
	    !loopback_url(w->url + 7))
		return yerr(l, token, "webhook: a token over http:// travels "
		    "in clear; use an https:// URL (or set insecure: true)");
	return 0;
}

static int
y_scheduler(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "confirm_limit", "webhook",
		"poll_interval", NULL };
	struct config_scheduler *k = &l->c->scheduler;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	uint64_t u;
	int rc;

	if ((rc = check_map(l, m, "scheduler", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = str(vn) ? str(vn) : "";

		if (!strcmp(key, "confirm_limit")) {
			if (parse_u64(v, 0, CONFIG_MAX_BMCS, &u) != 0)
				return yerr(l, vn, "confirm_limit: expected a "
				    "number of hosts 0..%d (0: always ask)",
				    CONFIG_MAX_BMCS);
			k->confirm_limit = (uint32_t)u;
		} else if (!strcmp(key, "poll_interval")) {
			if (config_parse_duration(v, MIN, &u) != 0 || u < 100)
				return yerr(l, vn, "poll_interval: expected a "
				    "duration like 500ms, 2s (100ms to 1m)");
			k->poll_interval_ms = (uint32_t)u;
		} else if (y_webhook(l, vn) != 0)
			return -1;
	}
	return 0;
}

/* --- resolution ---------------------------------------------------------- */

static void
apply(struct config_settings *d, const struct level *lv)
{
	const struct config_settings *s = &lv->s;

	if (lv->set & S_CREDENTIAL)
		d->credential = s->credential;
	if (lv->set & S_IFACE)
		d->iface = s->iface;
	if (lv->set & S_SUITE)
		d->cipher_suite = s->cipher_suite;
	if (lv->set & S_PRIV)
		d->priv = s->priv;
	if (lv->set & S_TIMEOUT)
		d->timeout_ms = s->timeout_ms;
	if (lv->set & S_RETRIES)
		d->retries = s->retries;
	if (lv->set & S_INSECURE)
		d->insecure = s->insecure;
	if (lv->set & S_WORKAROUNDS)
		d->workarounds = s->workarounds;
	if (lv->set & S_PORT)
		d->port = s->port;
}

/* merge lv's labels into l->lbuf[0..*n), later levels winning */
static int
merge_labels(struct load *l, size_t *n, const struct level *lv)
{
	size_t i, j;

	for (i = 0; i < lv->nlabels; i++) {
		/* keys are interned: equal keys are equal pointers */
		for (j = 0; j < *n; j++)
			if (l->lbuf[j].key == lv->labels[i].key)
				break;
		if (j == *n) {
			if (*n == l->lcap) {
				size_t cap = l->lcap ? l->lcap * 2 : 16;
				struct config_label *v;

				if ((v = realloc(l->lbuf, cap * sizeof(*v))) ==
				    NULL)
					return -1;
				l->lbuf = v;
				l->lcap = cap;
			}
			(*n)++;
		}
		l->lbuf[j] = lv->labels[i];
	}
	return 0;
}

static int
u16_cmp(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static int
bmc_cmp(const void *a, const void *b)
{
	return hostlist_cmp(((const struct config_bmc *)a)->name,
	    ((const struct config_bmc *)b)->name);
}

static int
resolve(struct load *l)
{
	struct config *c = l->c;
	const struct level none = { .set = 0 };
	const uint16_t *pg = NULL;
	uint32_t pent = NONE32;
	size_t i, k, nl;
	int first = 1;

	for (i = 0; i < c->nbmcs; i++) {
		struct config_bmc *b = &c->bmcs[i];
		struct btmp *bt = &l->bt[i];
		const struct level *ent = bt->entry == NONE32 ? &none :
		    &l->ent[bt->entry];

		if (bt->ng > 1)
			qsort(bt->g, bt->ng, sizeof(*bt->g), u16_cmp);
		b->ngroups = bt->ng;
		if (bt->ng > 0 && (b->groups = intern(l->p, bt->g, bt->ng *
		    sizeof(*bt->g))) == NULL)
			return errf(l->err, l->errlen, "out of memory");
		free(bt->g);
		bt->g = NULL;
		for (k = 0; k < bt->ng; k++)
			c->groups[b->groups[k]].nmembers++;
		/* a host range's BMCs share all this: do it once per run */
		if (!first && bt->entry == pent && b->groups == pg) {
			b->s = b[-1].s;
			b->labels = b[-1].labels;
			b->nlabels = b[-1].nlabels;
			continue;
		}
		first = 0;
		pent = bt->entry;
		pg = b->groups;
		b->s = c->defaults;
		nl = 0;
		if (merge_labels(l, &nl, &l->def) != 0)
			return errf(l->err, l->errlen, "out of memory");
		for (k = 0; k < b->ngroups; k++) {
			apply(&b->s, &l->gdef[b->groups[k]]);
			if (merge_labels(l, &nl, &l->gdef[b->groups[k]]) != 0)
				return errf(l->err, l->errlen, "out of memory");
		}
		apply(&b->s, ent);
		if (merge_labels(l, &nl, ent) != 0)
			return errf(l->err, l->errlen, "out of memory");
		if (nl > MAX_LABELS)
			return yerr_at(l, b->line, b->col, "too many labels");
		if (nl > 1)
			qsort(l->lbuf, nl, sizeof(*l->lbuf), label_cmp);
		b->nlabels = (uint16_t)nl;
		b->labels = NULL;
		if (nl > 0 && (b->labels = intern(l->p, l->lbuf, nl *
		    sizeof(*l->lbuf))) == NULL)
			return errf(l->err, l->errlen, "out of memory");
	}
	/* after sharing: one check per BMC, at the place it came from */
	for (i = 0; i < c->nbmcs; i++) {
		const struct config_bmc *b = &c->bmcs[i];
		const struct ipmi_cipher_suite *cs;
		char msg[MSG_MAX];

		if (b->s.credential == CONFIG_NO_CREDENTIAL) {
			snprintf(msg, sizeof(msg), "bmc '%s' has no credential "
			    "(set credential in defaults, its group or its "
			    "entry)", b->name);
			return yerr_at(l, b->line, b->col, msg);
		}
		if (b->s.insecure)
			continue;
		if (c->creds[b->s.credential].user[0] == '\0') {
			snprintf(msg, sizeof(msg), "bmc '%s': credential '%s' "
			    "is the null user, which needs insecure: true",
			    b->name, c->creds[b->s.credential].name);
			return yerr_at(l, b->line, b->col, msg);
		}
		if (b->s.iface == IPMI_IFACE_LANPLUS &&
		    b->s.cipher_suite != IPMI_SUITE_AUTO &&
		    (cs = ipmi_cipher_suite(b->s.cipher_suite)) != NULL &&
		    !ipmi_cipher_suite_secure(cs)) {
			snprintf(msg, sizeof(msg), "bmc '%s': cipher_suite %d "
			    "lacks authentication, integrity or encryption, "
			    "which needs insecure: true", b->name,
			    b->s.cipher_suite);
			return yerr_at(l, b->line, b->col, msg);
		}
	}
	if (c->nbmcs > 1)
		qsort(c->bmcs, c->nbmcs, sizeof(*c->bmcs), bmc_cmp);
	if (byname_rebuild(c, c->nbmcs) != 0)
		return errf(l->err, l->errlen, "out of memory");
	return 0;
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
	k->sweep_interval_ms = 5 * MIN;
	k->sel_interval_ms = MIN;
	k->fru_interval_ms = DAY;
	k->sdr_interval_ms = DAY;
	k->suite_recheck_ms = DAY;
	k->spool_max = 1ULL << 30;
	k->retention_days = 30;
	k->lease_ms = 10 * MIN;
	k->host_deadline_ms = 2 * MIN;
	k->db_timeout_ms = 30 * SEC;
	k->host_max_requests = 100000;
	c->power.default_watts = 500;
	c->power.inrush_pct = 30;
	c->scheduler.confirm_limit = 50;
	c->scheduler.poll_interval_ms = 2 * SEC;
}

static int
y_top(struct load *l, const yaml_node_t *root)
{
	static const char *const keys[] = { "database", "credentials",
		"defaults", "groups", "bmcs", "collector", "power", "scheduler",
		NULL };
	const yaml_node_t *sect[8] = { NULL };
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	size_t i;
	long d;
	int rc;

	if ((rc = check_map(l, root, "the top level", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, root, pr, kn, vn, key)
		for (i = 0; keys[i] != NULL; i++)
			if (!strcmp(key, keys[i]))
				sect[i] = vn;
	/* in the order they refer to each other, whatever the file's */
	if (sect[0] != NULL && y_database(l, sect[0]) != 0)
		return -1;
	if (sect[1] != NULL && y_credentials(l, sect[1]) != 0)
		return -1;
	/* a credential called "default" is the default one */
	if ((d = cred_find(l->c, "default")) >= 0)
		l->c->defaults.credential = (uint16_t)d;
	if (sect[2] != NULL && y_defaults(l, sect[2]) != 0)
		return -1;
	apply(&l->c->defaults, &l->def);
	if (sect[3] != NULL && y_groups(l, sect[3]) != 0)
		return -1;
	if (sect[4] != NULL && y_bmcs(l, sect[4]) != 0)
		return -1;
	if (y_group_hosts(l) != 0)
		return -1;
	if (sect[5] != NULL && y_collector(l, sect[5]) != 0)
		return -1;
	if (sect[6] != NULL && y_power(l, sect[6]) != 0)
		return -1;
	if (sect[7] != NULL && y_scheduler(l, sect[7]) != 0)
		return -1;
	return 0;
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
}

/* wipe every scalar: an inline password must not linger in freed memory */
static void
doc_wipe(yaml_document_t *doc)
{
	yaml_node_t *n;

	for (n = doc->nodes.start; n < doc->nodes.top; n++)
		if (n->type == YAML_SCALAR_NODE)
			wipe(n->data.scalar.value, n->data.scalar.length);
}

/* and the parser's copies of the file's bytes */
static void
parser_wipe(yaml_parser_t *p)
{
	if (p->buffer.start != NULL)
		wipe(p->buffer.start, (size_t)(p->buffer.end -
		    p->buffer.start));
	if (p->raw_buffer.start != NULL)
		wipe(p->raw_buffer.start, (size_t)(p->raw_buffer.end -
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
	    (c->collector.spool_dir = intern_str(c->priv,
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
		char ctx[160] = "";

		if (parser.context != NULL)
			snprintf(ctx, sizeof(ctx), " (%s at line %lu, column "
			    "%lu)", parser.context,
			    (unsigned long)parser.context_mark.line + 1,
			    (unsigned long)parser.context_mark.column + 1);
		errf(err, errlen, "%s:%lu:%lu: %s%s", path,
		    (unsigned long)parser.problem_mark.line + 1,
		    (unsigned long)parser.problem_mark.column + 1,
		    parser.problem ? parser.problem : "YAML syntax error", ctx);
		parser_wipe(&parser);
		yaml_parser_delete(&parser);
		fclose(f);
		goto fail;
	}
	if ((root = yaml_document_get_root_node(&doc)) != NULL)
		rc = y_top(&l, root);
	if (rc == 0)
		rc = resolve(&l);
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
			wipe(c->creds[i].password,
			    strlen(c->creds[i].password));
			free(c->creds[i].password);
		}
	if (c->database != NULL) {
		wipe(c->database, strlen(c->database));
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

/*
 * The first line of the secret file at path into line (cap bytes, NUL
 * terminated), refused unless only its owner may read it.  Messages start
 * with what ("credential 'x': password file") and the path.  Its length,
 * or -1.
 */
static int
read_secret_file(const char *what, const char *path, char *line, size_t cap,
    char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	size_t len;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return errf(err, errlen, "%s %s: %s", what, path,
		    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return errf(err, errlen, "%s %s: not a regular file", what,
		    path);
	}
	if ((st.st_mode & 077) != 0) {
		close(fd);
		return errf(err, errlen, "%s %s is mode %04o, readable or "
		    "writable by group or others; chmod 600 it", what, path,
		    (unsigned)st.st_mode & 07777);
	}
	n = read(fd, line, cap - 1);
	close(fd);
	if (n < 0)
		return errf(err, errlen, "%s %s: %s", what, path,
		    strerror(errno));
	line[n] = '\0';
	len = strcspn(line, "\r\n");
	if (len == cap - 1) {
		wipe(line, cap);
		return errf(err, errlen, "%s %s: first line longer than %zu "
		    "bytes", what, path, cap - 2);
	}
	line[len] = '\0';
	return (int)len;
}

int
config_password(const struct config *c, const char *credential, char *out,
    size_t cap, char *err, size_t errlen)
{
	const struct config_credential *cr;
	char line[256], what[128];
	const char *src;
	size_t len;
	long i;

	if (cap == 0)
		return errf(err, errlen, "no room for a password");
	out[0] = '\0';
	line[0] = '\0';
	if ((i = cred_find(c, credential)) < 0)
		return errf(err, errlen, "unknown credential '%s'",
		    credential);
	cr = &c->creds[i];
	if (cr->password != NULL) {
		src = cr->password;
	} else if (cr->password_env != NULL) {
		if ((src = getenv(cr->password_env)) == NULL)
			return errf(err, errlen, "credential '%s': environment "
			    "variable %s is not set", cr->name,
			    cr->password_env);
	} else {
		snprintf(what, sizeof(what), "credential '%s': password file",
		    cr->name);
		if (read_secret_file(what, cr->password_file, line,
		    sizeof(line), err, errlen) < 0)
			return -1;
		src = line;
	}
	if ((len = strlen(src)) >= cap) {
		wipe(line, sizeof(line));
		return errf(err, errlen, "credential '%s': password longer "
		    "than %zu bytes", cr->name, cap - 1);
	}
	memcpy(out, src, len + 1);
	wipe(line, sizeof(line));
	return (int)len;
}

int
config_webhook_token(const struct config *c, char *out, size_t cap,
    char *err, size_t errlen)
{
	const struct config_webhook *w = &c->scheduler.webhook;
	const char *src;
	char *line;
	size_t len;
	int n;

	if (cap == 0)
		return errf(err, errlen, "no room for a token");
	out[0] = '\0';
	if (w->token_env != NULL) {
		if ((src = getenv(w->token_env)) == NULL)
			return errf(err, errlen, "webhook: environment "
			    "variable %s is not set", w->token_env);
		if ((len = strlen(src)) >= cap)
			return errf(err, errlen, "webhook: the token in %s is "
			    "longer than %zu bytes", w->token_env, cap - 1);
		memcpy(out, src, len + 1);
		return (int)len;
	}
	if (w->token_file == NULL)
		return 0;
	/* one byte more than out holds, to tell a long line from a fit */
	if ((line = malloc(cap + 1)) == NULL)
		return errf(err, errlen, "out of memory");
	if ((n = read_secret_file("webhook: token_file", w->token_file, line,
	    cap + 1, err, errlen)) < 0) {
		free(line);
		return -1;
	}
	memcpy(out, line, (size_t)n + 1);
	wipe(line, cap + 1);
	free(line);
	return n;
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

/* --- target selection ---------------------------------------------------- */

/* Mark the BMCs one item selects; how many, or -1 with err set. */
static long
select_item(const struct config *c, const char *it, unsigned char *mark,
    char *err, size_t errlen)
{
	struct hostlist hl = { 0 };
	const char *eq;
	char msg[256], hint[96];
	size_t i, k;
	long n = 0, g;

	if (!strcmp(it, "@all")) {
		memset(mark, 1, c->nbmcs);
		return (long)c->nbmcs;
	}
	if (it[0] == '@') {
		if ((g = group_find(c, it + 1)) < 0) {
			name_hint(hint, sizeof(hint), it + 1, c, 1);
			return errf(err, errlen, "unknown group '%s'%s", it + 1,
			    hint);
		}
		for (i = 0; i < c->nbmcs; i++)
			for (k = 0; k < c->bmcs[i].ngroups; k++)
				if (c->bmcs[i].groups[k] == g) {
					mark[i] = 1;
					n++;
				}
		return n;
	}
	if ((eq = strchr(it, '=')) != NULL) {
		char *key = strndup(it, (size_t)(eq - it));

		if (key == NULL)
			return errf(err, errlen, "out of memory");
		if (!valid_ident(key) || hostlist_expand(&hl, eq + 1, msg,
		    sizeof(msg)) != 0) {
			free(key);
			hostlist_release(&hl);
			return errf(err, errlen, "target '%s': expected a "
			    "label like rack=r12", it);
		}
		for (i = 0; i < c->nbmcs; i++) {
			const char *v = config_bmc_label(&c->bmcs[i], key);

			for (k = 0; v != NULL && k < hl.n; k++)
				if (!strcmp(v, hl.hosts[k])) {
					mark[i] = 1;
					n++;
					break;
				}
		}
		free(key);
		hostlist_release(&hl);
		return n;
	}
	if (strpbrk(it, "*?") != NULL) {
		for (i = 0; i < c->nbmcs; i++)
			if (fnmatch(it, c->bmcs[i].name, 0) == 0) {
				mark[i] = 1;
				n++;
			}
		return n;
	}
	if (hostlist_expand(&hl, it, msg, sizeof(msg)) != 0)
		return errf(err, errlen, "target '%s': %s", it, msg);
	for (k = 0; k < hl.n; k++) {
		long bi = config_bmc_find(c, hl.hosts[k]);

		if (bi < 0) {
			errf(err, errlen, "target '%s': no BMC named '%s' in "
			    "%s", it, hl.hosts[k], c->path);
			hostlist_release(&hl);
			return -1;
		}
		n += !mark[bi];
		mark[bi] = 1;
	}
	hostlist_release(&hl);
	return n;
}

int
config_select(const struct config *c, const char *targets, size_t **idx,
    size_t *n, char *err, size_t errlen)
{
	unsigned char *in = NULL, *out = NULL, *one = NULL;
	const char *p = targets, *s, *e;
	char *item = NULL;
	int have_in = 0, rc = -1;
	size_t i, k;

	*idx = NULL;
	*n = 0;
	if (targets[strspn(targets, " \t")] == '\0')
		return errf(err, errlen, "no targets (give @all for every "
		    "BMC)");
	if (c->nbmcs == 0)
		return errf(err, errlen, "no BMCs in %s", c->path ? c->path :
		    "the configuration");
	if ((in = calloc(c->nbmcs, 1)) == NULL ||
	    (out = calloc(c->nbmcs, 1)) == NULL ||
	    (one = calloc(c->nbmcs, 1)) == NULL) {
		errf(err, errlen, "out of memory");
		goto done;
	}
	for (;;) {
		int depth = 0, excl;
		long got;

		/* split at commas outside brackets: host[1-3,7] is one */
		for (e = p; *e != '\0' && (*e != ',' || depth > 0); e++)
			depth += (*e == '[') - (*e == ']');
		for (s = p; s < e && (*s == ' ' || *s == '\t'); s++)
			;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		free(item);
		if ((item = strndup(s, (size_t)(e - s))) == NULL) {
			errf(err, errlen, "out of memory");
			goto done;
		}
		excl = item[0] == '!';
		if (item[excl] == '\0') {
			errf(err, errlen, "targets '%s': empty item (expected "
			    "@group, host[1-10], key=value or !exclusion)",
			    targets);
			goto done;
		}
		memset(one, 0, c->nbmcs);
		if ((got = select_item(c, item + excl, one, err, errlen)) < 0)
			goto done;
		if (got == 0) {
			errf(err, errlen, "target '%s' matches no BMC", item);
			goto done;
		}
		for (i = 0; i < c->nbmcs; i++)
			(excl ? out : in)[i] |= one[i];
		have_in |= !excl;
		for (p = s + strlen(item); *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0')
			break;
		p++;		/* the comma */
	}
	if (!have_in) {
		errf(err, errlen, "targets '%s' only exclude: start from "
		    "something, e.g. '@all,%s'", targets, targets);
		goto done;
	}
	for (i = 0, k = 0; i < c->nbmcs; i++)
		k += in[i] && !out[i];
	if (k == 0) {
		errf(err, errlen, "targets '%s' leave no BMC after exclusions",
		    targets);
		goto done;
	}
	if ((*idx = malloc(k * sizeof(**idx))) == NULL) {
		errf(err, errlen, "out of memory");
		goto done;
	}
	for (i = 0; i < c->nbmcs; i++)
		if (in[i] && !out[i])
			(*idx)[(*n)++] = i;
	rc = 0;
done:
	free(item);
	free(in);
	free(out);
	free(one);
	return rc;
}
