#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/errf.h"
#include "lib/text.h"
#include "lib/units.h"
#include "lib/yml.h"

#define MSG_MAX		512

static int
verrf_at(char *err, size_t len, const char *path, unsigned long line,
    unsigned long col, const char *fmt, va_list ap)
{
	char msg[MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return errf(err, len, "%s:%lu:%lu: %s", path, line, col, msg);
}

int
yml_errf(char *err, size_t len, const char *path, const yaml_node_t *n,
    const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verrf_at(err, len, path, (unsigned long)n->start_mark.line + 1,
	    (unsigned long)n->start_mark.column + 1, fmt, ap);
	va_end(ap);
	return rc;
}

int
yml_errf_at(char *err, size_t len, const char *path, unsigned long line,
    unsigned long col, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verrf_at(err, len, path, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

int
yml_parser_errf(char *err, size_t len, const char *path,
    const yaml_parser_t *parser)
{
	char ctx[160] = "";

	if (parser->context != NULL)
		snprintf(ctx, sizeof(ctx), " (%s at line %lu, column %lu)",
		    parser->context,
		    (unsigned long)parser->context_mark.line + 1,
		    (unsigned long)parser->context_mark.column + 1);
	return errf(err, len, "%s:%lu:%lu: %s%s", path,
	    (unsigned long)parser->problem_mark.line + 1,
	    (unsigned long)parser->problem_mark.column + 1,
	    parser->problem ? parser->problem : "YAML syntax error", ctx);
}

/*
 * What stands at a place of the source (line and column 0-based, the
 * column in characters as libyaml counts them), fed in pieces: whether it
 * is a tab, and whether only blanks come before it on its line.
 */
struct tabscan {
	unsigned long	 line, col;	/* where we are */
	unsigned long	 want_line, want_col;
	int		 blank;		/* only ' ' and '\t' so far */
	int		 done, tab;
};

/* 1 once the place is reached (or passed) */
static int
tabscan_feed(struct tabscan *t, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n && !t->done; i++) {
		if ((p[i] & 0xC0) == 0x80)
			continue;	/* UTF-8: one character, its first byte */
		if (t->line == t->want_line && t->col == t->want_col) {
			t->tab = p[i] == '\t';
			t->done = 1;
			break;
		}
		if (p[i] == '\n') {
			if (t->line == t->want_line) {
				t->done = 1;
				break;
			}
			t->line++;
			t->col = 0;
			t->blank = 1;
			continue;
		}
		if (t->line == t->want_line && p[i] != ' ' && p[i] != '\t')
			t->blank = 0;
		t->col++;
	}
	return t->done;
}

int
yml_parser_errf_src(char *err, size_t len, const char *path,
    const yaml_parser_t *parser, FILE *f, const char *s, size_t n)
{
	struct tabscan t = { 0, 0, parser->problem_mark.line,
	    parser->problem_mark.column, 1, 0, 0 };
	unsigned char buf[4096];
	ssize_t got;
	off_t off = 0;

	/* the bytes again (a config's may hold a secret: wiped after) */
	if (f != NULL) {
		while (!t.done && (got = pread(fileno(f), buf, sizeof(buf),
		    off)) > 0) {
			(void)tabscan_feed(&t, buf, (size_t)got);
			off += got;
		}
		explicit_bzero(buf, sizeof(buf));
	} else if (s != NULL) {
		(void)tabscan_feed(&t, (const unsigned char *)s, n);
	}
	if (!t.tab && parser->problem != NULL &&
	    strstr(parser->problem, "tab character") != NULL)
		t.tab = t.blank = 1;	/* libyaml's words for it */
	if (!t.tab)
		return yml_parser_errf(err, len, path, parser);
	return errf(err, len, "%s:%lu:%lu: %s", path,
	    (unsigned long)parser->problem_mark.line + 1,
	    (unsigned long)parser->problem_mark.column + 1, t.blank ?
	    "a tab is not allowed in YAML indentation; use spaces" :
	    "a tab is not allowed here in YAML; use a space");
}

/* the document from a parser whose input is set; 0 or -1 with err */
static int
load(yaml_parser_t *parser, yaml_document_t *doc, const char *path,
    char *err, size_t len, FILE *f, const char *s, size_t n)
{
	int rc = 0;

	if (!yaml_parser_load(parser, doc))
		rc = yml_parser_errf_src(err, len, path, parser, f, s, n);
	yaml_parser_delete(parser);
	return rc;
}

int
yml_load_file(yaml_document_t *doc, const char *path, char *err, size_t len)
{
	yaml_parser_t parser;
	FILE *f;
	int rc;

	if ((f = fopen(path, "re")) == NULL)
		return errf(err, len, "%s: %s", path, strerror(errno));
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		return errf(err, len, "%s: cannot start the YAML parser", path);
	}
	yaml_parser_set_input_file(&parser, f);
	rc = load(&parser, doc, path, err, len, f, NULL, 0);
	fclose(f);
	return rc;
}

int
yml_load_string(yaml_document_t *doc, const char *s, size_t n,
    const char *path, char *err, size_t len)
{
	yaml_parser_t parser;

	if (!yaml_parser_initialize(&parser))
		return errf(err, len, "%s: cannot start the YAML parser", path);
	yaml_parser_set_input_string(&parser, (const unsigned char *)s, n);
	return load(&parser, doc, path, err, len, NULL, s, n);
}

const char *
yml_scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ?
	    (const char *)n->data.scalar.value : NULL;
}

int
yml_is_null(const yaml_node_t *n)
{
	const char *s = yml_scalar(n);

	return s != NULL && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (*s == '\0' || !strcmp(s, "~") || !strcmp(s, "null") ||
	    !strcmp(s, "Null") || !strcmp(s, "NULL"));
}

const char *
yml_str(const yaml_node_t *n)
{
	return yml_is_null(n) ? NULL : yml_scalar(n);
}

/* a key of a mapping and where it stands in it */
struct keyref {
	const char		*key;
	const yaml_node_t	*kn;
	size_t			 at;
};

static int
keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	if (r != 0)
		return r;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* "unknown key 'x' ..." at kn: with a suggestion, else with the list */
static int
unknown_key(const yaml_node_t *kn, const char *key, const char *what,
    const char *const *keys, const char *path, char *err, size_t len)
{
	const char *hint;
	char list[MSG_MAX / 2];
	size_t k, off;

	if ((hint = text_suggest(key, keys, SIZE_MAX)) != NULL)
		return yml_errf(err, len, path, kn, "unknown key '%s' (did you "
		    "mean '%s'?)", key, hint);
	list[0] = '\0';
	for (k = 0, off = 0; keys[k] != NULL && off < sizeof(list); k++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
		    k ? ", " : "", keys[k]);
	return yml_errf(err, len, path, kn, "unknown key '%s' in %s (expected "
	    "%s)", key, what, list);
}

int
yml_check_keys(yaml_document_t *doc, const yaml_node_t *m, const char *what,
    const char *const *keys, const char *path, char *err, size_t len)
{
	struct keyref *kr, *dup = NULL;
	const yaml_node_t *kn;
	const char *key;
	size_t np, nk, i, k;
	int rc = 0;

	if (m->type != YAML_MAPPING_NODE)
		return yml_errf(err, len, path, m, "%s: expected a mapping "
		    "(key: value)", what);
	np = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (np == 0)
		return 0;
	if ((kr = calloc(np, sizeof(*kr))) == NULL)
		return yml_errf(err, len, path, m, "out of memory");
	/* the keys up to the first that is no name or an unknown one */
	for (nk = 0; nk < np; nk++) {
		kn = yaml_document_get_node(doc,
		    m->data.mapping.pairs.start[nk].key);
		if ((key = yml_str(kn)) == NULL)
			break;
		for (k = 0; keys != NULL && keys[k] != NULL; k++)
			if (!strcmp(keys[k], key))
				break;
		if (keys != NULL && keys[k] == NULL)
			break;
		kr[nk].key = key;
		kr[nk].kn = kn;
		kr[nk].at = nk;
	}
	/* a duplicate before that is the first fault */
	qsort(kr, nk, sizeof(*kr), keyref_cmp);
	for (i = 1; i < nk; i++)
		if (!strcmp(kr[i].key, kr[i - 1].key) &&
		    (dup == NULL || kr[i].at < dup->at))
			dup = &kr[i];
	if (dup != NULL) {
		/* the earliest second of a key: the one before it, sorted by
		 * place within the key, is the first */
		const yaml_node_t *a = dup[-1].kn;

		rc = yml_errf(err, len, path, dup->kn, "duplicate key '%s' "
		    "(first at line %lu, column %lu)", dup->key,
		    (unsigned long)a->start_mark.line + 1,
		    (unsigned long)a->start_mark.column + 1);
	} else if (nk < np) {
		kn = yaml_document_get_node(doc,
		    m->data.mapping.pairs.start[nk].key);
		if ((key = yml_str(kn)) == NULL)
			rc = yml_errf(err, len, path, kn, "%s: expected a key "
			    "name", what);
		else
			rc = unknown_key(kn, key, what, keys, path, err, len);
	}
	free(kr);
	return rc;
}

int
yml_duration(const yaml_node_t *n, uint64_t min, uint64_t max, uint64_t *out,
    char *msg, size_t len)
{
	const char *v = yml_str(n);
	char why[160];

	if (units_duration_why(v, UNITS_BARE_NONE, min, max, out, why,
	    sizeof(why)) == 0)
		return 0;
	if (v == NULL)		/* a list or a mapping */
		snprintf(msg, len, "%s", why);
	else
		snprintf(msg, len, "'%s': %s", v, why);
	return -1;
}
