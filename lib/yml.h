/*
 * yml: what every YAML loader (libyaml's document API) does alike: errors
 * that name file:line:column, scalars and nulls, mappings held to a list
 * of keys with "did you mean", and loading a file into a document.
 *
 * Errors go into the caller's buffer (err, len) as errf does, and the
 * functions that fail return -1.  Lines and columns count from 1.
 */
#ifndef BMCFLEET_LIB_YML_H
#define BMCFLEET_LIB_YML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <yaml.h>

/* "PATH:LINE:COL: MSG" at node n; returns -1. */
int	yml_errf(char *err, size_t len, const char *path, const yaml_node_t *n,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same at a line and a column kept from a node (1-based). */
int	yml_errf_at(char *err, size_t len, const char *path,
	    unsigned long line, unsigned long col, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));

/*
 * The parser's failure: "PATH:LINE:COL: problem (context at line L,
 * column C)", the context only when libyaml gives one; returns -1.
 */
int	yml_parser_errf(char *err, size_t len, const char *path,
	    const yaml_parser_t *);
/*
 * The same, but where libyaml stopped at a tab ("found character that
 * cannot start any token", for one) our own words: "PATH:LINE:COL: a tab
 * is not allowed in YAML indentation; use spaces" (or "here", past the
 * indentation).  The source is read again to see it: the file f (from its
 * start, by its descriptor; what is read is wiped), else the n bytes at
 * s; neither: libyaml's words but when they name a tab.  Returns -1.
 */
int	yml_parser_errf_src(char *err, size_t len, const char *path,
	    const yaml_parser_t *, FILE *f, const char *s, size_t n);

/*
 * Load the first document of the file at path, or of the n bytes at s
 * (path then only names it in errors), into doc, for the caller to
 * yaml_document_delete.  0, or -1 with "PATH: why" or a parser error.
 */
int	yml_load_file(yaml_document_t *doc, const char *path, char *err,
	    size_t len);
int	yml_load_string(yaml_document_t *doc, const char *s, size_t n,
	    const char *path, char *err, size_t len);

/* The text of a scalar node, or NULL for a mapping or a sequence. */
const char *yml_scalar(const yaml_node_t *);
/* 1 for "key:" with nothing after it, ~, null, Null and NULL (plain). */
int	yml_is_null(const yaml_node_t *);
/* A string value: the scalar's text, NULL for a null or not a scalar. */
const char *yml_str(const yaml_node_t *);
/*
 * A duration at n in lib/units' grammar, its unit required (but for 0),
 * min to max ms: 0 with *out, or -1 with what is wrong in msg, the value
 * quoted when n is a scalar ("'500': a number needs its unit (ms, s, m,
 * h, d, w), ..."), for the caller to put after the key's name.
 */
int	yml_duration(const yaml_node_t *n, uint64_t min, uint64_t max,
	    uint64_t *out, char *msg, size_t len);

/*
 * m must be a mapping with scalar keys, each one of keys (NULL-terminated;
 * keys NULL: any name) and none twice.  what names m in errors ("a
 * plan"): "unknown key 'x' (did you mean 'y'?)", "unknown key 'x' in WHAT
 * (expected a, b, c)", "duplicate key 'x' (first at line L, column C)".
 * The first fault in the document's order is the one told; duplicates are
 * found by sorting, so a mapping of a whole fleet is checked in n log n.
 * 0, or -1 with err.
 */
int	yml_check_keys(yaml_document_t *doc, const yaml_node_t *m,
	    const char *what, const char *const *keys, const char *path,
	    char *err, size_t len);

/*
 * Each pair of mapping m (none when m is not a mapping) whose key is a
 * scalar, as yml_check_keys has made sure: pr a yaml_node_pair_t *, kn and
 * vn yaml_node_t *, kstr the key's text.
 */
#define YML_FOR_PAIRS(doc, m, pr, kn, vn, kstr)				\
	for ((pr) = (m)->type == YAML_MAPPING_NODE ?			\
	    (m)->data.mapping.pairs.start : NULL;			\
	    (pr) != NULL && (pr) < (m)->data.mapping.pairs.top &&	\
	    ((kn) = yaml_document_get_node((doc), (pr)->key)) != NULL &&	\
	    ((vn) = yaml_document_get_node((doc), (pr)->value)) != NULL &&	\
	    ((kstr) = yml_scalar(kn)) != NULL; (pr)++)

#endif
