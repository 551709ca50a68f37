#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rows.h"

#define BATCH_MAGIC	"BMCFLEET-BATCH 1\n"

static const struct {
	const char	*name;
	unsigned	 nfields;
	const char	*columns;
} tables[RT_COUNT] = {
	[RT_BMC] = { "bmc", 9,
	    "(bmc text, address text, port integer, labels jsonb, "
	    "credential text, settings jsonb, insecure boolean, groups jsonb, "
	    "complete boolean)" },
	[RT_RUN] = { "run", 8,
	    "(key text, collector text, started_at timestamptz, "
	    "finished_at timestamptz, targets integer, ok integer, "
	    "failed integer, summary jsonb)" },
	[RT_PROFILE] = { "profile", 12,
	    "(bmc text, manufacturer integer, product integer, "
	    "device_id integer, device_rev integer, firmware text, "
	    "ipmi_version text, guid text, cipher_suite integer, "
	    "fru_checked boolean, sdr_key text, ts timestamptz)" },
	[RT_READING] = { "reading", 15,
	    "(bmc text, owner integer, number integer, name text, "
	    "record_id integer, sensor_type text, kind text, units text, "
	    "thresholds jsonb, ts timestamptz, value double precision, "
	    "raw smallint, status text, state text, states integer)" },
	[RT_SEL] = { "sel", 15,
	    "(bmc text, record_id integer, raw bytea, record_type integer, "
	    "bmc_ts bigint, pre_init boolean, ts timestamptz, "
	    "sensor_type text, sensor_number integer, sensor text, "
	    "event_type integer, event_offset integer, direction text, "
	    "description text, severity text)" },
	[RT_SEL_CURSOR] = { "sel_cursor", 5,
	    "(bmc text, last_record_id integer, add_ts bigint, "
	    "erase_ts bigint, entries integer)" },
	[RT_FRU] = { "fru", 6,
	    "(bmc text, fru_id integer, name text, fields jsonb, raw bytea, "
	    "ts timestamptz)" },
	[RT_POWER] = { "power", 3,
	    "(bmc text, ts timestamptz, power_on boolean)" },
	[RT_DCMI] = { "dcmi", 8,
	    "(bmc text, ts timestamptz, power_on boolean, current_w integer, "
	    "min_w integer, max_w integer, avg_w integer, period_ms bigint)" },
	[RT_RESULT] = { "result", 8,
	    "(run_key text, bmc text, ok boolean, reason text, error text, "
	    "duration_ms integer, commands integer, ts timestamptz)" },
	/* apart from profile, so that batches spooled before it still
	 * parse */
	[RT_SYSFW] = { "sysfw", 3,
	    "(bmc text, version text, ts timestamptz)" },
	[RT_SDR] = { "sdr", 7,
	    "(key text, manufacturer integer, product integer, firmware text, "
	    "add_ts bigint, erase_ts bigint, records bytea)" },
	[RT_PET] = { "pet", 14,
	    "(bmc text, received_at timestamptz, source_addr text, "
	    "sequence integer, local_ts bigint, guid text, severity text, "
	    "sensor_type integer, sensor_number integer, event_data bytea, "
	    "specific_trap bigint, datagram bytea, sel_raw bytea, "
	    "pet_only boolean)" },
	[RT_READING_ID] = { "reading_id", 8,
	    "(sensor_id bigint, bmc_id bigint, ts timestamptz, "
	    "value double precision, raw smallint, status text, state text, "
	    "states integer)" },
	[RT_BATCH] = { "batch", 1, "(key text)" },
	[RT_READING_SAME] = { "reading_same", 8,
	    "(sensor_id bigint, bmc_id bigint, ts timestamptz, "
	    "value double precision, raw smallint, status text, state text, "
	    "states integer)" },
	[RT_CLAIM] = { "claim", 2, "(bmc_id bigint, digest bigint)" },
};

const char *
row_table_name(enum row_table t)
{
	return (unsigned)t < RT_COUNT ? tables[t].name : "?";
}

const char *
row_table_columns(enum row_table t)
{
	return (unsigned)t < RT_COUNT ? tables[t].columns : "()";
}

unsigned
row_table_nfields(enum row_table t)
{
	return (unsigned)t < RT_COUNT ? tables[t].nfields : 0;
}

void
rows_init(struct rows *r)
{
	memset(r, 0, sizeof(*r));
	r->cur = -1;
}

void
rows_reset(struct rows *r)
{
	for (int i = 0; i < RT_COUNT; i++) {
		r->t[i].len = 0;
		r->nrows[i] = 0;
	}
	r->total = 0;
	r->cur = -1;
	r->bad = 0;
}

void
rows_release(struct rows *r)
{
	for (int i = 0; i < RT_COUNT; i++)
		free(r->t[i].p);
	rows_init(r);
}

static int
grow(struct rows_buf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->cap - b->len >= more)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len < more) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	if ((p = realloc(b->p, cap)) == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

static void
put(struct rows *r, const char *s, size_t n)
{
	struct rows_buf *b;

	if (r->cur < 0 || r->bad)
		return;
	b = &r->t[r->cur];
	if (grow(b, n + 1) != 0) {
		r->bad = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

int
rows_start(struct rows *r, enum row_table t)
{
	if ((unsigned)t >= RT_COUNT)
		return -1;
	r->cur = (int)t;
	r->row_start = r->t[t].len;
	r->nfields = 0;
	r->bad = 0;
	return 0;
}

/* The separator before every field but the first. */
static void
sep(struct rows *r)
{
	if (r->nfields++ > 0)
		put(r, "\t", 1);
}

void
rows_strn(struct rows *r, const char *s, size_t n)
{
	size_t i, run = 0;

	sep(r);
	if (s == NULL) {
		put(r, "\\N", 2);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *esc = NULL;

		switch (s[i]) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\0': esc = ""; break;	/* text cannot hold NUL */
		}
		if (esc == NULL)
			continue;
		put(r, s + run, i - run);
		put(r, esc, strlen(esc));
		run = i + 1;
	}
	put(r, s + run, n - run);
}

void
rows_str(struct rows *r, const char *s)
{
	rows_strn(r, s, s != NULL ? strlen(s) : 0);
}

void
rows_int(struct rows *r, long long v)
{
	char b[32];

	sep(r);
	put(r, b, (size_t)snprintf(b, sizeof(b), "%lld", v));
}

void
rows_uint(struct rows *r, unsigned long long v)
{
	char b[32];

	sep(r);
	put(r, b, (size_t)snprintf(b, sizeof(b), "%llu", v));
}

void
rows_double(struct rows *r, double v)
{
	char b[40];

	sep(r);
	if (!isfinite(v))
		put(r, "\\N", 2);
	else
		put(r, b, (size_t)snprintf(b, sizeof(b), "%.17g", v));
}

void
rows_bool(struct rows *r, int v)
{
	sep(r);
	put(r, v ? "t" : "f", 1);
}

void
rows_null(struct rows *r)
{
	sep(r);
	put(r, "\\N", 2);
}

void
rows_bytea(struct rows *r, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char b[64];
	size_t k = 0;

	sep(r);
	if (p == NULL) {
		put(r, "\\N", 2);
		return;
	}
	/* COPY text unescapes \\x to \x, which bytea reads as hex */
	put(r, "\\\\x", 3);
	for (size_t i = 0; i < n; i++) {
		b[k++] = hex[p[i] >> 4];
		b[k++] = hex[p[i] & 15];
		if (k == sizeof(b)) {
			put(r, b, k);
			k = 0;
		}
	}
	put(r, b, k);
}

void
rows_time_ms(struct rows *r, uint64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char b[48];
	size_t n;

	sep(r);
	if (gmtime_r(&t, &tm) == NULL) {
		put(r, "\\N", 2);
		return;
	}
	n = strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S", &tm);
	n += (size_t)snprintf(b + n, sizeof(b) - n, ".%03u+00",
	    (unsigned)(ms % 1000));
	put(r, b, n);
}

int
rows_end(struct rows *r)
{
	int t = r->cur;

	if (t < 0)
		return -1;
	put(r, "\n", 1);
	if (r->bad || r->nfields != tables[t].nfields) {
		/* drop the partial row: the buffer ends where it began */
		r->t[t].len = r->row_start;
		r->cur = -1;
		return -1;
	}
	r->nrows[t]++;
	r->total++;
	r->cur = -1;
	return 0;
}

size_t
rows_bytes(const struct rows *r)
{
	size_t n = 0;

	for (int i = 0; i < RT_COUNT; i++)
		n += r->t[i].len;
	return n;
}

/* --- the spool's byte string ------------------------------------------- */

int
rows_serialize(const struct rows *r, char **out, size_t *len)
{
	size_t need = strlen(BATCH_MAGIC), n = *len;
	char hdr[96];
	char *p;

	for (int i = 0; i < RT_COUNT; i++)
		if (r->nrows[i] > 0)
			need += sizeof(hdr) + r->t[i].len;
	if ((p = realloc(*out, n + need)) == NULL)
		return -1;
	memcpy(p + n, BATCH_MAGIC, strlen(BATCH_MAGIC));
	n += strlen(BATCH_MAGIC);
	for (int i = 0; i < RT_COUNT; i++) {
		int h;

		if (r->nrows[i] == 0)
			continue;
		h = snprintf(hdr, sizeof(hdr), "@%s %zu %zu\n", tables[i].name,
		    r->nrows[i], r->t[i].len);
		memcpy(p + n, hdr, (size_t)h);
		n += (size_t)h;
		memcpy(p + n, r->t[i].p, r->t[i].len);
		n += r->t[i].len;
	}
	*out = p;
	*len = n;
	return 0;
}

/* Rows and fields in one table's COPY text; -1 when a row is malformed. */
static int
check_table(const char *p, size_t len, unsigned nfields, size_t *nrows)
{
	size_t rows = 0;
	unsigned f = 1;

	if (len > 0 && p[len - 1] != '\n')
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\t') {
			f++;
		} else if (p[i] == '\n') {
			if (f != nfields)
				return -1;
			rows++;
			f = 1;
		}
	}
	*nrows = rows;
	return 0;
}

int
rows_parse(struct rows *r, const char *data, size_t len, char *err,
    size_t errlen)
{
	size_t off = strlen(BATCH_MAGIC);

	rows_reset(r);
	if (len < off || memcmp(data, BATCH_MAGIC, off) != 0) {
		snprintf(err, errlen, "not a bmcfleet batch (bad magic)");
		return -1;
	}
	while (off < len) {
		char name[32], line[96];
		const char *nl;
		size_t n, nrows, nbytes, counted;
		int t, used;

		nl = memchr(data + off, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - (data + off)) : 0;
		if (nl == NULL || n == 0 || n >= sizeof(line)) {
			snprintf(err, errlen, "malformed table header at byte "
			    "%zu", off);
			return -1;
		}
		memcpy(line, data + off, n);
		line[n] = '\0';
		if (sscanf(line, "@%31s %zu %zu%n", name, &nrows, &nbytes,
		    &used) != 3 || (size_t)used != n) {
			snprintf(err, errlen, "malformed table header '%s'",
			    line);
			return -1;
		}
		off += n + 1;
		for (t = 0; t < RT_COUNT; t++)
			if (strcmp(name, tables[t].name) == 0)
				break;
		if (t == RT_COUNT || r->nrows[t] > 0) {
			snprintf(err, errlen, "unknown or repeated table '%s'",
			    name);
			return -1;
		}
		if (nbytes > len - off) {
			snprintf(err, errlen, "table '%s' claims %zu bytes, "
			    "%zu left", name, nbytes, len - off);
			return -1;
		}
		if (check_table(data + off, nbytes, tables[t].nfields,
		    &counted) != 0 || counted != nrows) {
			snprintf(err, errlen, "table '%s': rows do not match "
			    "its header", name);
			return -1;
		}
		if (grow(&r->t[t], nbytes) != 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (nbytes > 0)		/* an empty table may have no buffer */
			memcpy(r->t[t].p, data + off, nbytes);
		r->t[t].len = nbytes;
		r->nrows[t] = nrows;
		r->total += nrows;
		off += nbytes;
	}
	return 0;
}
