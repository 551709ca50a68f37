#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/errf.h"
#include "lib/text.h"
#include "lib/yml.h"

#define MSG_MAX		512

int
yml_errf(char *err, size_t len, const char *path, const yaml_node_t *n,
    const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return errf(err, len, "%s:%lu:%lu: %s", path,
	    (unsigned long)n->start_mark.line + 1,
	    (unsigned long)n->start_mark.column + 1, msg);
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

/* the document from a parser whose input is set; 0 or -1 with err */
static int
load(yaml_parser_t *parser, yaml_document_t *doc, const char *path,
    char *err, size_t len)
{
	int rc = 0;

	if (!yaml_parser_load(parser, doc))
		rc = yml_parser_errf(err, len, path, parser);
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
	rc = load(&parser, doc, path, err, len);
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
	return load(&parser, doc, path, err, len);
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

int
yml_check_keys(yaml_document_t *doc, const yaml_node_t *m, const char *what,
    const char *const *keys, const char *path, char *err, size_t len)
{
	yaml_node_pair_t *pr, *q;
	const yaml_node_t *kn, *qn;
	const char *key, *hint;
	char list[MSG_MAX / 2];
	size_t k, off;

	if (m->type != YAML_MAPPING_NODE)
		return yml_errf(err, len, path, m, "%s: expected a mapping "
		    "(key: value)", what);
	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top;
	    pr++) {
		kn = yaml_document_get_node(doc, pr->key);
		if ((key = yml_str(kn)) == NULL)
			return yml_errf(err, len, path, kn, "%s: expected a "
			    "key name", what);
		for (k = 0; keys[k] != NULL; k++)
			if (!strcmp(keys[k], key))
				break;
		if (keys[k] == NULL) {
			if ((hint = text_suggest(key, keys, SIZE_MAX)) != NULL)
				return yml_errf(err, len, path, kn, "unknown "
				    "key '%s' (did you mean '%s'?)", key, hint);
			list[0] = '\0';
			for (k = 0, off = 0; keys[k] != NULL &&
			    off < sizeof(list); k++)
				off += (size_t)snprintf(list + off,
				    sizeof(list) - off, "%s%s", k ? ", " : "",
				    keys[k]);
			return yml_errf(err, len, path, kn, "unknown key '%s' "
			    "in %s (expected %s)", key, what, list);
		}
		for (q = m->data.mapping.pairs.start; q < pr; q++) {
			qn = yaml_document_get_node(doc, q->key);
			if (!strcmp(yml_scalar(qn), key))
				return yml_errf(err, len, path, kn, "duplicate "
				    "key '%s' (first at line %lu, column %lu)",
				    key, (unsigned long)qn->start_mark.line + 1,
				    (unsigned long)qn->start_mark.column + 1);
		}
	}
	return 0;
}
