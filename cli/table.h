/*
 * table: a report's rows as text cells (struct cells, ncols per row) and
 * its columns, printed as aligned columns, JSON (an array of objects) or
 * CSV (RFC 4180 quoting, a header line).  The cells are copies the table
 * owns; cells_release frees them.
 */
#ifndef BMCFLEET_CLI_TABLE_H
#define BMCFLEET_CLI_TABLE_H

#include <stddef.h>
#include <stdint.h>

enum table_format { F_TABLE, F_JSON, F_CSV };

#define CELL_NULL	SIZE_MAX

/* Every cell's text back to back in one buffer, found by offset. */
struct cells {
	char	*buf;
	size_t	 len, cap;
	size_t	*off;		/* CELL_NULL: no value */
	size_t	 n, ocap;
	int	 oom;
};

/* Add one cell: a copy of s, or no value when s is NULL.  Out of memory
 * sets oom, which table_put reports. */
void	cells_add(struct cells *c, const char *s);
void	cells_release(struct cells *c);

enum {
	COL_TABLE = 1 << 0,
	COL_JSON = 1 << 1,
	COL_CSV = 1 << 2,
	COL_RIGHT = 1 << 3,	/* right-aligned in the table */
};
#define COL_DATA	(COL_JSON | COL_CSV)
#define COL_ALL		(COL_TABLE | COL_DATA)

enum ctype { T_STR, T_NUM, T_BOOL, T_JSON };

struct col {
	const char	*key;	/* json and csv */
	const char	*head;	/* table; NULL: the key in capitals */
	enum ctype	 type;	/* for json */
	unsigned	 where;	/* COL_* */
	int		 src;	/* the query's column, or the caller's
				   own (cmd_report.c's D_*) */
};

struct table {
	struct col	*cols;	/* the report's, adjusted to its options */
	size_t		 ncols;
	struct cells	 c;	/* ncols per row */
};

/*
 * Print t to stdout in format f.  Returns 0, or 1 (an exit status) with a
 * message on stderr when the cells ran out of memory or stdout failed.
 */
int	table_put(const struct table *t, enum table_format f);

/*
 * t as table_put prints it with F_JSON (an array of objects), appended
 * to out: 0, or -1 out of memory.  bmcfleetd's /api/v1/ answers with it.
 */
struct gbuf;
int	table_json(const struct table *t, struct gbuf *out);

/*
 * Print t's rows as part of a stream (events --follow): F_JSON one object
 * a line, no array; else the table's columns padded to minw[k] or their
 * header's width (not measured from the rows, so that lines printed later
 * line up), with the header line first when head.  Returns as table_put.
 */
int	table_put_stream(const struct table *t, enum table_format f,
	    const size_t *minw, int head);

#endif
