/*
 * config's YAML helpers: errors at file:line:col, mappings checked for
 * unknown and duplicate keys, paths relative to the file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cli/config.h"
#include "cli/config_int.h"

int
yerr_at(struct load *l, unsigned long line, unsigned long col,
    const char *msg)
{
	return errf(l->err, l->errlen, "%s:%lu:%lu: %s", l->path, line, col,
	    msg);
}

int
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
int
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
				(void)text_did_you_mean(hint, sizeof(hint),
				    key, keys, SIZE_MAX);
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
