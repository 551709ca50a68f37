/*
 * rows: a batch of rows for the database, one buffer per staging table in
 * PostgreSQL's COPY text format (tab-separated, backslash escapes, \N for
 * NULL), so the writer can COPY each buffer as it is and the spool can
 * keep a batch on disk byte for byte.  Pure: memory only.
 *
 *   rows_start(r, RT_READING);
 *   rows_str(r, "node001"); rows_int(r, 32); ... rows_null(r);
 *   rows_end(r);
 *
 * Rows name BMCs by name and sensors by (owner, number, name), so a
 * batch means the same thing whenever it is merged (a spooled batch may
 * be merged after a restart); RT_READING_ID alone names a sensor the
 * database already holds by its IDs (sensor.id, bmc.id), which stay.
 *
 * A field function after a failed one is a no-op; rows_end returns -1 if
 * any field of the row failed (out of memory), and the row is dropped.
 */
#ifndef BMCFLEET_COLLECTOR_ROWS_H
#define BMCFLEET_COLLECTOR_ROWS_H

#include <stddef.h>
#include <stdint.h>

enum row_table {
	RT_BMC,		/* the config's BMCs (merged first: others refer) */
	RT_RUN,		/* a collection run */
	RT_PROFILE,	/* what Get Device ID said, the suite that worked */
	RT_READING,	/* a sensor and its reading */
	RT_SEL,		/* one SEL entry */
	RT_SEL_CURSOR,	/* where a BMC's SEL read stopped */
	RT_FRU,		/* one FRU device's decoded fields */
	RT_POWER,	/* chassis power seen */
	RT_DCMI,	/* a DCMI power reading */
	RT_RESULT,	/* one BMC's outcome in a collection run */
	RT_SDR,		/* an SDR repository for the shared cache */
	RT_PET,		/* a PET trap accepted, and the SEL entry it
			   announced (merged after RT_SEL: it links them) */
	RT_SYSFW,	/* the system (BIOS) firmware version */
	RT_READING_ID,	/* a reading of a sensor the database already
			   holds, by its IDs: COPYed into sensor_reading
			   as it is, once per batch (RT_BATCH's key) */
	RT_BATCH,	/* the batch's own key (dbw_submit adds it) */
	RT_READING_SAME,	/* as RT_READING_ID, a reading whose state
			   repeats the one the collector remembers for the
			   sensor (collector/sensorids.h): COPYed first,
			   under the batch's claims */
	RT_CLAIM,	/* a BMC's claim: the digest of its sensors'
			   states before the batch (NULL: none can hold),
			   for its RT_READING_SAME rows; not COPYed */
	RT_COUNT
};

struct rows_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

struct rows {
	struct rows_buf	 t[RT_COUNT];
	size_t		 nrows[RT_COUNT];
	size_t		 total;		/* rows in all tables */
	/* the row being written */
	int		 cur;		/* table, -1 none */
	size_t		 row_start;
	unsigned	 nfields;
	int		 bad;
};

void	rows_init(struct rows *);
/* Empty every table, keeping the memory. */
void	rows_reset(struct rows *);
void	rows_release(struct rows *);

int	rows_start(struct rows *, enum row_table);
void	rows_str(struct rows *, const char *);		/* NULL: \N */
void	rows_strn(struct rows *, const char *, size_t);
void	rows_int(struct rows *, long long);
void	rows_uint(struct rows *, unsigned long long);
void	rows_double(struct rows *, double);		/* NaN, inf: \N */
void	rows_bool(struct rows *, int);
void	rows_null(struct rows *);
void	rows_bytea(struct rows *, const uint8_t *, size_t);	/* \\x.. */
void	rows_time_ms(struct rows *, uint64_t unix_ms);	/* UTC, ISO */
/* Ends the row: 0, or -1 (the row was dropped). */
int	rows_end(struct rows *);

size_t	rows_bytes(const struct rows *);

/* "reading", "sel", ... (the staging table is stage_<name>). */
const char *row_table_name(enum row_table);
/* The staging table's columns, for CREATE TEMP TABLE: "(bmc text, ...)". */
const char *row_table_columns(enum row_table);
/* Fields per row of each table. */
unsigned row_table_nfields(enum row_table);

/*
 * A batch as one byte string, for the spool:
 *   "BMCFLEET-BATCH 1\n" then per non-empty table
 *   "@NAME NROWS NBYTES\n" and NBYTES of COPY text.
 * rows_serialize appends to *out (malloc'd, *len updated); -1 on ENOMEM.
 * rows_parse replaces r's contents; -1 with err on a malformed batch
 * (nothing is trusted: counts, sizes and field counts are checked).
 */
int	rows_serialize(const struct rows *, char **out, size_t *len);
int	rows_parse(struct rows *, const char *data, size_t len, char *err,
	    size_t errlen);

#endif
