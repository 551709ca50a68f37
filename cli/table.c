/*
 * table: the cells of a report and their output as a table, JSON or CSV
 * (see table.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/out.h"
#include "cli/table.h"
#include "lib/gbuf.h"
#include "lib/json.h"

/* --- cells: the report's rows, as strings ------------------------------- */


void
cells_release(struct cells *c)
{
	free(c->buf);
	free(c->off);
	memset(c, 0, sizeof(*c));
}

static int
cells_grow(struct cells *c, size_t more)
{
	void *p;

	if (c->n == c->ocap) {
		size_t k = c->ocap ? c->ocap * 2 : 256;

		if ((p = realloc(c->off, k * sizeof(*c->off))) == NULL)
			return -1;
		c->off = p;
		c->ocap = k;
	}
	if (c->len + more > c->cap) {
		size_t k = c->cap ? c->cap : 4096;

		while (k < c->len + more)
			k *= 2;
		if ((p = realloc(c->buf, k)) == NULL)
			return -1;
		c->buf = p;
		c->cap = k;
	}
	return 0;
}

/* Add one cell: a copy of s, or no value when s is NULL. */
void
cells_add(struct cells *c, const char *s)
{
	size_t l = s != NULL ? strlen(s) + 1 : 0;

	if (c->oom || cells_grow(c, l) != 0) {
		c->oom = 1;
		return;
	}
	if (s == NULL) {
		c->off[c->n++] = CELL_NULL;
		return;
	}
	memcpy(c->buf + c->len, s, l);
	c->off[c->n++] = c->len;
	c->len += l;
}

static const char *
cell(const struct cells *c, size_t i)
{
	return c->off[i] == CELL_NULL ? NULL : c->buf + c->off[i];
}

/* --- output ------------------------------------------------------------------ */

static size_t
table_rows(const struct table *t)
{
	return t->ncols ? t->c.n / t->ncols : 0;
}

/* Width on a terminal: UTF-8 continuation bytes take no column. */
static size_t
text_width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* The table's header of a column: "last_seen" -> "LAST-SEEN". */
static const char *
col_head(const struct col *c, char *buf, size_t cap)
{
	size_t i;

	if (c->head != NULL)
		return c->head;
	for (i = 0; c->key[i] != '\0' && i + 1 < cap; i++)
		buf[i] = c->key[i] == '_' ? '-' : (char)(c->key[i] >= 'a' &&
		    c->key[i] <= 'z' ? c->key[i] - 'a' + 'A' : c->key[i]);
	buf[i] = '\0';
	return buf;
}

static void
put_table(const struct table *t)
{
	size_t rows = table_rows(t), *w, last = 0;
	char hb[64];

	if ((w = calloc(t->ncols, sizeof(*w))) == NULL)
		return;
	for (size_t k = 0; k < t->ncols; k++) {
		if (!(t->cols[k].where & COL_TABLE))
			continue;
		w[k] = text_width(col_head(&t->cols[k], hb, sizeof(hb)));
		for (size_t r = 0; r < rows; r++) {
			const char *s = cell(&t->c, r * t->ncols + k);
			size_t l = s != NULL && *s != '\0' ? text_width(s) : 1;

			if (l > w[k])
				w[k] = l;
		}
		last = k;
	}
	for (size_t r = 0; r <= rows; r++) {
		const char *sep = "";

		for (size_t k = 0; k < t->ncols; k++) {
			const struct col *c = &t->cols[k];
			const char *s;
			size_t pad;

			if (!(c->where & COL_TABLE))
				continue;
			s = r == 0 ? col_head(c, hb, sizeof(hb)) :
			    cell(&t->c, (r - 1) * t->ncols + k);
			if (s == NULL || *s == '\0')
				s = "-";
			pad = w[k] - text_width(s);
			fputs(sep, stdout);
			if (c->where & COL_RIGHT && r > 0)
				printf("%*s", (int)pad, "");
			fputs(s, stdout);
			if (!(c->where & COL_RIGHT && r > 0) && k != last)
				printf("%*s", (int)pad, "");
			sep = "  ";
		}
		putchar('\n');
	}
	free(w);
}

static void
put_csv(const struct table *t)
{
	size_t rows = table_rows(t);

	for (size_t r = 0; r <= rows; r++) {
		const char *sep = "", *s;

		for (size_t k = 0; k < t->ncols; k++) {
			if (!(t->cols[k].where & COL_CSV))
				continue;
			s = r == 0 ? t->cols[k].key :
			    cell(&t->c, (r - 1) * t->ncols + k);
			if (r > 0 && s != NULL && t->cols[k].type == T_BOOL)
				s = *s == 't' ? "true" : "false";
			fputs(sep, stdout);
			out_csv_field(stdout, s, r > 0 &&
			    t->cols[k].type == T_STR);
			sep = ",";
		}
		putchar('\n');
	}
}

/* A number as PostgreSQL prints it, if JSON can hold it (not NaN). */
static int
json_number(const char *s)
{
	char *end;
	double v;

	if (!(*s == '-' || (*s >= '0' && *s <= '9')))
		return 0;
	v = strtod(s, &end);
	return *end == '\0' && isfinite(v);
}

/*
 * An array of objects, one a line; each object by lib/json (lines: the
 * objects alone, one a line, no array), appended to out.  -1 ENOMEM.
 */
static int
json_rows(const struct table *t, int lines, struct gbuf *out)
{
	size_t rows = table_rows(t);
	struct gbuf b = GBUF_INIT;
	struct json j;

	if (!lines)
		gbuf_puts(out, "[");
	for (size_t r = 0; r < rows; r++) {
		gbuf_reset(&b);
		json_init(&j, &b, JSON_SPACED);
		json_obj(&j);
		for (size_t k = 0; k < t->ncols; k++) {
			const char *s = cell(&t->c, r * t->ncols + k);

			if (!(t->cols[k].where & COL_JSON))
				continue;
			json_key(&j, t->cols[k].key);
			if (s == NULL)
				json_null(&j);
			else if (t->cols[k].type == T_STR)
				json_str(&j, s);
			else if (t->cols[k].type == T_BOOL)
				json_bool(&j, *s == 't');
			else if (t->cols[k].type == T_NUM && !json_number(s))
				json_null(&j);
			else
				json_raw(&j, s);	/* a number, or jsonb */
		}
		json_end(&j);
		if (json_failed(&j)) {
			gbuf_release(&b);
			return -1;
		}
		if (lines)
			gbuf_printf(out, "%s\n", gbuf_str(&b));
		else
			gbuf_printf(out, "%s\n  %s", r ? "," : "",
			    gbuf_str(&b));
	}
	gbuf_release(&b);
	if (!lines)
		gbuf_puts(out, rows ? "\n]\n" : "]\n");
	return gbuf_failed(out) ? -1 : 0;
}

int
table_json(const struct table *t, struct gbuf *out)
{
	if (t->c.oom)
		return -1;
	return json_rows(t, 0, out);
}

/* json_rows to stdout.  -1 ENOMEM. */
static int
put_json(const struct table *t, int lines)
{
	struct gbuf b = GBUF_INIT;
	int rc;

	if ((rc = json_rows(t, lines, &b)) == 0)
		fputs(gbuf_str(&b), stdout);
	gbuf_release(&b);
	return rc;
}

int
table_put(const struct table *t, enum table_format f)
{
	int rc = 0;

	if (t->c.oom)
		rc = -1;
	else if (f == F_JSON)
		rc = put_json(t, 0);
	else if (f == F_CSV)
		put_csv(t);
	else
		put_table(t);
	if (rc != 0) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		return 1;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bmcfleet: writing the report: %s\n",
		    strerror(errno));
		return 1;
	}
	return 0;
}

/* Rows padded to fixed widths (a longer cell pushes its line on). */
static void
put_fixed(const struct table *t, const size_t *minw, int head)
{
	size_t rows = table_rows(t), last = 0;
	char hb[64];

	for (size_t k = 0; k < t->ncols; k++)
		if (t->cols[k].where & COL_TABLE)
			last = k;
	for (size_t r = head ? 0 : 1; r <= rows; r++) {
		const char *sep = "";

		for (size_t k = 0; k < t->ncols; k++) {
			const struct col *c = &t->cols[k];
			const char *s;
			size_t w = minw[k], l;

			if (!(c->where & COL_TABLE))
				continue;
			/* never narrower than the header */
			if ((l = text_width(col_head(c, hb, sizeof(hb)))) > w)
				w = l;
			s = r == 0 ? col_head(c, hb, sizeof(hb)) :
			    cell(&t->c, (r - 1) * t->ncols + k);
			if (s == NULL || *s == '\0')
				s = "-";
			l = text_width(s);
			fputs(sep, stdout);
			if (c->where & COL_RIGHT && r > 0 && l < w)
				printf("%*s", (int)(w - l), "");
			fputs(s, stdout);
			if (!(c->where & COL_RIGHT && r > 0) && k != last &&
			    l < w)
				printf("%*s", (int)(w - l), "");
			sep = "  ";
		}
		putchar('\n');
	}
}

int
table_put_stream(const struct table *t, enum table_format f,
    const size_t *minw, int head)
{
	if (t->c.oom || (f == F_JSON && put_json(t, 1) != 0)) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		return 1;
	}
	if (f != F_JSON)
		put_fixed(t, minw, head);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bmcfleet: writing the report: %s\n",
		    strerror(errno));
		return 1;
	}
	return 0;
}
