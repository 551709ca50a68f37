/*
 * report: `bmcfleet inventory`, `sensors` (without -H) and `events`, read
 * from the database `bmcfleet collect` fills.
 *
 *   options -> TARGETS resolved by the config (config_select) into BMC
 *   names, passed as one text[] parameter (@all needs no config: every
 *   BMC the database has, retired ones only with --retired)
 *   -> one parameterized query per report, built and run by
 *   store/reportq (user input is never part of the SQL text)
 *   -> the rows as cells (struct cells), hosts in natural order where the
 *   report is per host, by time where it is a log
 *   -> table (aligned columns), json (an array of objects) or csv (RFC
 *   4180 quoting, a header line), printed by cli/table.c
 *
 * Times go in as instants lib/when reads (ISO 8601, local unless it says
 * Z or an offset; an age such as 7d; today, yesterday) and come out as
 * ISO 8601 UTC, formatted by the server.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/config.h"
#include "cli/hostlist.h"
#include "cli/namelist.h"
#include "cli/opts.h"
#include "cli/out.h"
#include "cli/rail.h"
#include "cli/cmd_report.h"
#include "cli/table.h"
#include "store/db.h"
#include "store/reportq.h"
#include "ipmi/evtab.h"
#include "ipmi/iana.h"
#include "ipmi/sdr.h"
#include "ipmi/sensor.h"
#include "lib/gbuf.h"
#include "lib/loop.h"
#include "lib/when.h"

#define DEFAULT_CONFIG	"/etc/bmcfleet/bmcfleet.yaml"

struct ropts {
	enum reportq_kind report;
	const char	*verb;
	char		*targets;	/* NULL: @all */
	const char	*cfg_path;
	int		 cfg_given;	/* -c or $BMCFLEET_CONFIG */
	const char	*db;
	const char	*ci;		/* the conninfo used */
	enum table_format format;
	int		 retired;
	int		 all_frus;
	int		 has_since, has_until;
	int64_t		 since_ms, until_ms;	/* ms since 1970 UTC */
	int64_t		 now_ms;
	unsigned	 state;		/* namelist_health bits, 0: any */
	unsigned	 severity;	/* namelist_severity bits, 0: any */
	long long	 limit;		/* 0: none */
	int		 follow;	/* events --follow */
	int		 unacked;	/* events --unacked */
	int		 ack;		/* events ack ID... */
	const char	*note;		/* events ack --note */
	int64_t		*ids;		/* events ack: the IDs */
	size_t		 nids;
};

/* --- usage --------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fputs(
"usage: bmcfleet inventory [TARGETS] [--all-frus] [OPTIONS]\n"
"       bmcfleet inventory [TARGETS] --changes [--since TIME] [--limit N]\n"
"       bmcfleet sensors [TARGETS] [--state LIST] [--since TIME] [OPTIONS]\n"
"       bmcfleet events [TARGETS] [--since TIME] [--until TIME]\n"
"                       [--severity LIST] [--limit N] [--unacked] [OPTIONS]\n"
"       bmcfleet events --follow [TARGETS] [--severity LIST] [--unacked]\n"
"                       [--since TIME | --limit N] [--format table|json]\n"
"       bmcfleet events ack ID... [--note TEXT]\n"
"\n"
"Reports from the fleet database (what bmcfleet collect stored); the BMCs\n"
"are not asked.  `bmcfleet -H HOSTS ... sensors` asks them, in direct mode.\n"
"\n"
"  inventory          per host: manufacturer, product, firmware, BIOS,\n"
"                     IPMI version, GUID, last seen, and the serial and part\n"
"                     numbers of the latest FRU snapshot of device 0\n"
"      --all-frus     a row per FRU device instead (power supplies, ...)\n"
"      --changes      the inventory change log: field, old -> new, when;\n"
"                     FRU -1 is the BMC itself: bmc.firmware (Get Device\n"
"                     ID), system.firmware (the BIOS version)\n"
"  sensors            the latest reading of every sensor (default: of the\n"
"                     last 24 h); a count per state on a terminal\n"
"      --state LIST   only these: nominal,warning,critical,na (none:\n"
"                     said on stderr, in table output)\n"
"  events             the SEL history, oldest first (pre-init entries by\n"
"                     when they were read); EVENT-ID is what ack takes,\n"
"                     ACKED who acknowledged it last, and when\n"
"      --unacked      only events nobody acknowledged\n"
"      --follow       print the last 10 (or --limit N, or those --since\n"
"                     TIME), then each new event as it is stored, until\n"
"                     interrupted (exit 0); a lost connection is retried\n"
"                     and what was stored meanwhile printed; json: one\n"
"                     object a line\n"
"      --severity LIST  only these: info,warning,critical\n"
"      --until TIME   before TIME\n"
"      --limit N      only the N most recent (events, --changes)\n"
"      --since TIME   from TIME on (sensors, events, --changes)\n"
"  events ack ID...   record that you (the unix user) acknowledged these\n"
"                     events, in the events and the audit log; an unknown\n"
"                     ID writes nothing (exit 2)\n"
"      --note TEXT    why, or what was done\n"
"\n"
"  TARGETS            @all (default), @group, rack=r12, host[1-10], !host5;\n"
"                     '+' for hosts in both (@storage+rack=r12), ',' for\n"
"                     either; anything but @all is resolved by the config\n"
"  -c, --config FILE  bmcfleet.yaml (default $BMCFLEET_CONFIG, else\n"
"                     " DEFAULT_CONFIG ")\n"
"      --db CONNINFO  PostgreSQL (default $BMCFLEET_DB, else the config's)\n"
"      --retired      include BMCs no longer in the config\n"
"      --format table|json|csv   output format (table)\n"
"  TIME               an age: 90s, 30m, 1h, 7d, 2w, 1h30m (that long ago);\n"
"                     a date or time: 2026-11-30, 2026-11-30T12:00,\n"
"                     '2026-11-30 12:00:00' (local time), ...Z (UTC) or\n"
"                     ...+01:00; now, today, yesterday (local midnight)\n"
"\n"
"Exit status: 0 done (also when nothing matched), 1 database error,\n"
"2 usage or configuration error.\n\n", f);
	fputs(opts_targets_help, f);
}

static int	usage_error(const char *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
usage_error(const char *verb, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bmcfleet: %s: ", verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'bmcfleet %s --help'.\n", verb);
	return 2;
}

/* --- option values --------------------------------------------------------- */

/* --since/--until TIME as lib/when reads it: 0 with *ms, or exit status 2 */
static int
option_time(const char *verb, const char *opt, const char *s,
    int64_t now_ms, int64_t *ms)
{
	if (when_parse(s, now_ms, WHEN_AGO, ms) == 0)
		return 0;
	if (errno == ERANGE)
		return usage_error(verb, "%s '%s': out of range (1970 to "
		    "9999; an age up to 100 years)", opt, s);
	return usage_error(verb, "%s '%s': expected " WHEN_HELP, opt, s);
}

/* Values made here, not read from the query's result (struct col.src). */
enum {
	D_VENDOR = -1,		/* "Dell Inc. (674)" */
	D_VENDOR_NAME = -2,	/* "Dell Inc.", NULL when not in our table */
	D_PRODUCT = -3,		/* "0x0100" */
	D_CHANGE = -4,		/* "old -> new" */
	D_SENSOR_NUM = -5,	/* "01h" */
	D_READING = -6,		/* "51 degrees C", "Presence detected" */
	D_ASSERTED = -7,	/* a discrete sensor's states in words */
	D_EV_TIME = -8,		/* ISO 8601, "pre-init +18s" */
	D_EV_SENSOR = -9,	/* its name, else "Memory #0x70" */
	D_EV_ACKED = -10,	/* "alice 2026-12-05T20:31:00Z" */
	D_EV_DESC = -11,	/* the description; "[PET only] ..." for an
				   event no SEL entry confirmed */
};

/* A column's value, NULL for SQL NULL. */
static const char *
val(const struct reportq_rows *res, int row, int col)
{
	return reportq_cell(res, (size_t)row, (size_t)col);
}

/* A column's value, "" for SQL NULL. */
static const char *
text(const struct reportq_rows *res, int row, int col)
{
	const char *v = val(res, row, col);

	return v != NULL ? v : "";
}

/* --- rows in host order ---------------------------------------------------- */

struct ord {
	const char	*host;
	int		 row;
};

static int
ord_cmp(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;
	int c = hostlist_cmp(x->host, y->host);

	return c != 0 ? c : (x->row > y->row) - (x->row < y->row);
}

/*
 * The rows of res in natural host order (column 0), keeping the query's
 * order within a host.  Returns a malloc'd array of res->nrows rows.
 */
static int *
host_order(const struct reportq_rows *res)
{
	int n = (int)res->nrows, *out;
	struct ord *o;

	if ((o = calloc((size_t)n + 1, sizeof(*o))) == NULL ||
	    (out = calloc((size_t)n + 1, sizeof(*out))) == NULL) {
		free(o);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		o[i].host = text(res, i, 0);
		o[i].row = i;
	}
	qsort(o, (size_t)n, sizeof(*o), ord_cmp);
	for (int i = 0; i < n; i++)
		out[i] = o[i].row;
	free(o);
	return out;
}

/* --- the reports' columns ------------------------------------------------- */

static const struct col cols_inventory[] = {
	{ "host", NULL, T_STR, COL_ALL, RQ_IV_HOST },
	{ "retired", NULL, T_BOOL, COL_DATA, RQ_IV_RETIRED },
	{ "fru_id", "FRU", T_NUM, COL_ALL | COL_RIGHT, RQ_IV_FRU },
	{ "fru_name", "NAME", T_STR, COL_ALL, RQ_IV_FRU_NAME },
	{ "manufacturer", NULL, T_STR, COL_TABLE, D_VENDOR },
	{ "manufacturer", NULL, T_STR, COL_DATA, D_VENDOR_NAME },
	{ "manufacturer_id", NULL, T_NUM, COL_DATA, RQ_IV_MFG },
	{ "product", NULL, T_STR, COL_TABLE, D_PRODUCT },
	{ "product_id", NULL, T_NUM, COL_DATA, RQ_IV_PRODUCT },
	{ "firmware", NULL, T_STR, COL_ALL, RQ_IV_FW },
	{ "ipmi_version", "IPMI", T_STR, COL_ALL, RQ_IV_IPMI },
	{ "product_name", "MODEL", T_STR, COL_ALL, RQ_IV_PNAME },
	{ "product_serial", "SERIAL", T_STR, COL_ALL, RQ_IV_PSERIAL },
	{ "product_part_number", "PART-NUMBER", T_STR, COL_ALL, RQ_IV_PPART },
	{ "board_serial", NULL, T_STR, COL_ALL, RQ_IV_BSERIAL },
	{ "board_part_number", NULL, T_STR, COL_DATA, RQ_IV_BPART },
	{ "chassis_serial", NULL, T_STR, COL_ALL, RQ_IV_CSERIAL },
	{ "last_seen", NULL, T_STR, COL_ALL, RQ_IV_SEEN },
	{ "guid", NULL, T_STR, COL_ALL, RQ_IV_GUID },
	{ "system_firmware", "BIOS", T_STR, COL_ALL, RQ_IV_SYSFW },
	{ "fields", NULL, T_JSON, COL_JSON, RQ_IV_FIELDS },
};

static const struct col cols_changes[] = {
	{ "changed_at", "WHEN", T_STR, COL_ALL, RQ_CH_WHEN },
	{ "host", NULL, T_STR, COL_ALL, RQ_CH_HOST },
	{ "retired", NULL, T_BOOL, COL_DATA, RQ_CH_RETIRED },
	{ "fru_id", "FRU", T_NUM, COL_ALL | COL_RIGHT, RQ_CH_FRU },
	{ "field", NULL, T_STR, COL_ALL, RQ_CH_FIELD },
	{ "change", NULL, T_STR, COL_TABLE, D_CHANGE },
	{ "old", NULL, T_STR, COL_DATA, RQ_CH_OLD },
	{ "new", NULL, T_STR, COL_DATA, RQ_CH_NEW },
};

static const struct col cols_sensors[] = {
	{ "host", NULL, T_STR, COL_ALL, RQ_SN_HOST },
	{ "retired", NULL, T_BOOL, COL_DATA, RQ_SN_RETIRED },
	{ "sensor", NULL, T_STR, COL_ALL, RQ_SN_NAME },
	{ "owner", NULL, T_NUM, COL_DATA, RQ_SN_OWNER },
	{ "num", NULL, T_STR, COL_TABLE, D_SENSOR_NUM },
	{ "number", NULL, T_NUM, COL_DATA, RQ_SN_NUM },
	{ "type", NULL, T_STR, COL_ALL, RQ_SN_TYPE },
	{ "kind", NULL, T_STR, COL_DATA, RQ_SN_KIND },
	{ "reading", NULL, T_STR, COL_TABLE, D_READING },
	{ "value", NULL, T_NUM, COL_DATA, RQ_SN_VALUE },
	{ "units", NULL, T_STR, COL_DATA, RQ_SN_UNITS },
	{ "raw", NULL, T_NUM, COL_DATA, RQ_SN_RAW },
	{ "status", NULL, T_STR, COL_ALL, RQ_SN_STATUS },
	{ "state", NULL, T_STR, COL_ALL, RQ_SN_STATE },
	{ "states", NULL, T_NUM, COL_DATA, RQ_SN_STATES },
	{ "asserted", NULL, T_STR, COL_DATA, D_ASSERTED },
	{ "ts", "WHEN", T_STR, COL_ALL, RQ_SN_TS },
};

static const struct col cols_events[] = {
	{ "time", NULL, T_STR, COL_TABLE, D_EV_TIME },
	{ "host", NULL, T_STR, COL_ALL, RQ_EV_HOST },
	{ "event_id", "EVENT-ID", T_NUM, COL_ALL | COL_RIGHT,
	    RQ_EV_EVENT_ID },
	{ "retired", NULL, T_BOOL, COL_DATA, RQ_EV_RETIRED },
	{ "record_id", "ID", T_NUM, COL_ALL | COL_RIGHT, RQ_EV_ID },
	{ "time", NULL, T_STR, COL_DATA, RQ_EV_TS },
	{ "pre_init", NULL, T_BOOL, COL_DATA, RQ_EV_PRE },
	{ "bmc_ts", NULL, T_NUM, COL_DATA, RQ_EV_BMC_TS },
	{ "seen_at", NULL, T_STR, COL_DATA, RQ_EV_SEEN },
	{ "sensor", NULL, T_STR, COL_TABLE, D_EV_SENSOR },
	{ "sensor", NULL, T_STR, COL_DATA, RQ_EV_SENSOR },
	{ "sensor_type", NULL, T_STR, COL_DATA, RQ_EV_STYPE },
	{ "sensor_number", NULL, T_NUM, COL_DATA, RQ_EV_SNUM },
	{ "direction", NULL, T_STR, COL_ALL, RQ_EV_DIR },
	{ "severity", NULL, T_STR, COL_ALL, RQ_EV_SEV },
	{ "acked", NULL, T_STR, COL_TABLE, D_EV_ACKED },
	{ "description", "EVENT", T_STR, COL_TABLE, D_EV_DESC },
	{ "description", NULL, T_STR, COL_DATA, RQ_EV_DESC },
	{ "record_type", NULL, T_NUM, COL_DATA, RQ_EV_RTYPE },
	{ "raw", NULL, T_STR, COL_DATA, RQ_EV_RAW },
	{ "acked_by", NULL, T_STR, COL_DATA, RQ_EV_ACK_WHO },
	{ "acked_at", NULL, T_STR, COL_DATA, RQ_EV_ACK_AT },
	{ "source", NULL, T_STR, COL_DATA, RQ_EV_SOURCE },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct rdef {
	const struct col *cols;
	size_t		 ncols;
	int		 by_host;	/* natural host order, else the SQL's */
} rdefs[] = {
	[REPORTQ_INVENTORY] = { cols_inventory, NELEM(cols_inventory), 1 },
	[REPORTQ_CHANGES] = { cols_changes, NELEM(cols_changes), 0 },
	[REPORTQ_SENSORS] = { cols_sensors, NELEM(cols_sensors), 1 },
	[REPORTQ_EVENTS] = { cols_events, NELEM(cols_events), 0 },
};

/* --- discrete sensors' states ------------------------------------------------- */

struct sdr_ev {
	int		key;		/* row in sdrs.res */
	uint8_t		owner, number, event_type, sensor_type;
};

/*
 * The SDR repositories of the selected BMCs (REPORTQ_SDRS): the sensor
 * table keeps a discrete sensor's type by name and not its event/reading
 * type, which the names of its states depend on.
 */
struct sdrs {
	struct reportq_rows res;	/* key, records (binary) */
	int		 loaded;	/* the query answered */
	struct sdr_ev	*e;
	size_t		 n;
};

static void
sdrs_release(struct sdrs *sd)
{
	reportq_rows_release(&sd->res);
	free(sd->e);
	memset(sd, 0, sizeof(*sd));
}

/*
 * Every sensor record's owner, number and types from sd->res (the
 * REPORTQ_SDRS rows); sd->loaded set.  -1 out of memory.
 */
static int
sdrs_index(struct sdrs *sd)
{
	struct sdr_iter *it;
	struct sdr_record rec;
	size_t cap = 0;
	void *p;

	sd->loaded = 1;
	if ((it = malloc(sizeof(*it))) == NULL)
		return -1;
	for (int k = 0; k < (int)sd->res.nrows; k++) {
		/* the sensors as direct mode and the collector list them */
		sdr_iter_init(it, (const uint8_t *)text(&sd->res, k,
		    RQ_SD_RECORDS), reportq_cell_len(&sd->res, (size_t)k,
		    RQ_SD_RECORDS));
		while (sdr_iter_next(it, &rec)) {
			const struct sdr_sensor *ss = &rec.u.sensor;

			if (rec.type != SDR_TYPE_FULL &&
			    rec.type != SDR_TYPE_COMPACT)
				continue;
			if (sd->n == cap) {
				cap = cap ? cap * 2 : 64;
				if ((p = realloc(sd->e, cap *
				    sizeof(*sd->e))) == NULL) {
					free(it);
					return -1;
				}
				sd->e = p;
			}
			sd->e[sd->n++] = (struct sdr_ev){ k, ss->owner_id,
			    ss->number, ss->event_type, ss->sensor_type };
		}
	}
	free(it);
	return 0;
}

/*
 * Every sensor record's owner, number and types, from the BMCs of the
 * filter f.  A query that fails costs only the names (states show as
 * bits); -1 out of memory.
 */
static int
sdrs_load(struct pg_conn *pg, const struct reportq_filter *f,
    struct sdrs *sd)
{
	struct reportq_filter sf = *f;
	struct reportq q;
	char err[512];
	int rc;

	memset(sd, 0, sizeof(*sd));
	sf.kind = REPORTQ_SDRS;
	if (reportq_build(&sf, &q) != 0) {
		reportq_release(&q);
		return -1;
	}
	rc = reportq_run(pg, &q, &sd->res, err, sizeof(err));
	reportq_release(&q);
	if (rc == REPORTQ_NOMEM)
		return -1;
	if (rc != 0)
		return 0;
	return sdrs_index(sd);
}

/*
 * The asserted states of row r of the sensors query in the spec's words,
 * ", " between, into out; NULL when its SDR is not known.
 */
static const char *
sdrs_states(const struct sdrs *sd, const struct reportq_rows *res, int r,
    char *out, size_t cap)
{
	const char *key = val(res, r, RQ_SN_SDR_KEY), *bits = val(res, r,
	    RQ_SN_STATES);
	unsigned long owner, number, b;
	const struct sdr_ev *e = NULL;
	size_t n = 0;
	int k;

	if (!sd->loaded || key == NULL || bits == NULL ||
	    val(res, r, RQ_SN_NUM) == NULL)
		return NULL;
	owner = strtoul(text(res, r, RQ_SN_OWNER), NULL, 10);
	number = strtoul(text(res, r, RQ_SN_NUM), NULL, 10);
	b = strtoul(bits, NULL, 10);
	for (k = 0; k < (int)sd->res.nrows; k++)
		if (strcmp(text(&sd->res, k, RQ_SD_KEY), key) == 0)
			break;
	for (size_t i = 0; i < sd->n && e == NULL; i++)
		if (sd->e[i].key == k && sd->e[i].owner == owner &&
		    sd->e[i].number == number)
			e = &sd->e[i];
	if (e == NULL)
		return NULL;
	out[0] = '\0';
	for (unsigned i = 0; i < 15; i++) {
		const char *w;
		char num[16];

		if (!(b >> i & 1))
			continue;
		if ((w = ipmi_event_string(e->event_type, e->sensor_type,
		    (uint8_t)i)) == NULL) {
			snprintf(num, sizeof(num), "State %u", i);
			w = num;
		}
		n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s",
		    n ? ", " : "", w);
	}
	return out;
}

/* What the READING column says, as direct mode's sensors table does. */
static const char *
reading_text(const struct sdrs *sd, const struct reportq_rows *res, int r,
    char *out, size_t cap)
{
	const char *kind = val(res, r, RQ_SN_KIND), *units = val(res, r,
	    RQ_SN_UNITS);
	const char *v = val(res, r, RQ_SN_VALUE), *raw = val(res, r, RQ_SN_RAW);
	const char *st = val(res, r, RQ_SN_STATUS), *bits = val(res, r,
	    RQ_SN_STATES);

	if (kind != NULL && strcmp(kind, "event-only") == 0)
		snprintf(out, cap, "Event-Only");
	else if (kind != NULL && strcmp(kind, "threshold") == 0) {
		if (v != NULL)
			snprintf(out, cap, "%s%s%s", v, units ? " " : "",
			    units ? units : "");
		else if (st != NULL && strcmp(st, "na") == 0)
			snprintf(out, cap, "Not Available");
		else if (raw != NULL)
			snprintf(out, cap, "raw 0x%02lx",
			    strtoul(raw, NULL, 10) & 0xff);
		else
			snprintf(out, cap, "No Reading");
	} else if (bits == NULL)
		snprintf(out, cap, "Not Available");
	else if (strtoul(bits, NULL, 10) == 0)
		snprintf(out, cap, "-");
	else if (sdrs_states(sd, res, r, out, cap) == NULL)
		snprintf(out, cap, "states 0x%04lx",
		    strtoul(bits, NULL, 10) & 0x7fff);
	return out;
}

/* --- cells from the result -------------------------------------------------- */

/* A D_* value of row r, in buf or static; NULL for none. */
static const char *
derive(int id, const struct reportq_rows *res, int r, const struct sdrs *sd,
    char *buf, size_t cap)
{
	const char *a, *b;

	switch (id) {
	case D_VENDOR:
	case D_VENDOR_NAME:
		if ((a = val(res, r, RQ_IV_MFG)) == NULL)
			return NULL;
		b = ipmi_iana_name((uint32_t)strtoul(a, NULL, 10));
		if (id == D_VENDOR_NAME)
			return b;
		snprintf(buf, cap, "%s (%s)", b != NULL ? b : "unknown", a);
		return buf;
	case D_PRODUCT:
		if ((a = val(res, r, RQ_IV_PRODUCT)) == NULL)
			return NULL;
		snprintf(buf, cap, "0x%04lx", strtoul(a, NULL, 10));
		return buf;
	case D_CHANGE:
		a = val(res, r, RQ_CH_OLD);
		b = val(res, r, RQ_CH_NEW);
		snprintf(buf, cap, "%s -> %s", a != NULL ? a : "(none)",
		    b != NULL ? b : "(none)");
		return buf;
	case D_SENSOR_NUM:
		if ((a = val(res, r, RQ_SN_NUM)) == NULL)
			return NULL;
		snprintf(buf, cap, "%02lXh", strtoul(a, NULL, 10));
		return buf;
	case D_READING:
		return reading_text(sd, res, r, buf, cap);
	case D_ASSERTED:
		return sdrs_states(sd, res, r, buf, cap);
	case D_EV_TIME:
		if ((a = val(res, r, RQ_EV_TS)) != NULL)
			return a;
		b = val(res, r, RQ_EV_BMC_TS);
		if (*text(res, r, RQ_EV_PRE) != 't' || b == NULL)
			return NULL;
		snprintf(buf, cap, "pre-init +%ss", b);
		return buf;
	case D_EV_SENSOR:
		if ((a = val(res, r, RQ_EV_SENSOR)) != NULL)
			return a;
		a = val(res, r, RQ_EV_STYPE);
		b = val(res, r, RQ_EV_SNUM);
		if (a == NULL || b == NULL)
			return NULL;
		snprintf(buf, cap, "%s #0x%02lx", a, strtoul(b, NULL, 10));
		return buf;
	case D_EV_ACKED:
		if ((a = val(res, r, RQ_EV_ACK_WHO)) == NULL)
			return NULL;
		snprintf(buf, cap, "%s %s", a, text(res, r, RQ_EV_ACK_AT));
		return buf;
	case D_EV_DESC:
		a = val(res, r, RQ_EV_DESC);
		if ((b = val(res, r, RQ_EV_SOURCE)) == NULL ||
		    strcmp(b, "pet") != 0)
			return a;
		snprintf(buf, cap, "[PET only] %s", a != NULL ? a : "");
		return buf;
	}
	return NULL;
}

/* Every row of res (in ord's order, if any) into t's cells. */
static void
fill(struct table *t, const struct reportq_rows *res, const int *ord,
    const struct sdrs *sd)
{
	char buf[512];

	for (int i = 0; i < (int)res->nrows; i++) {
		int r = ord != NULL ? ord[i] : i;

		for (size_t k = 0; k < t->ncols; k++) {
			int src = t->cols[k].src;

			cells_add(&t->c, src >= 0 ? val(res, r, src) :
			    derive(src, res, r, sd, buf, sizeof(buf)));
		}
	}
}

/* --- the database -------------------------------------------------------------- */

/*
 * The rows of f's query into *rows.  Returns 0, or -1 with the error said
 * (the exit status is 1).
 */
static int
query(struct pg_conn *pg, const char *verb, const struct reportq_filter *f,
    struct reportq_rows *rows)
{
	struct reportq q;
	char m[512];
	int rc;

	memset(rows, 0, sizeof(*rows));
	if ((rc = reportq_build(f, &q)) != 0)
		rc = REPORTQ_NOMEM;
	else
		rc = reportq_run(pg, &q, rows, m, sizeof(m));
	reportq_release(&q);
	switch (rc) {
	case 0:
		return 0;
	case REPORTQ_NO_SCHEMA:
		fprintf(stderr, "bmcfleet: %s: the database has no bmcfleet "
		    "schema: run 'bmcfleet db migrate'\n", verb);
		break;
	case REPORTQ_NOMEM:
		fprintf(stderr, "bmcfleet: out of memory\n");
		break;
	default:
		fprintf(stderr, "bmcfleet: %s: query failed: %s\n", verb, m);
		break;
	}
	return -1;
}

/* --- JSON for bmcfleetd's /api/v1/ ------------------------------------------ */

int
report_json(enum reportq_kind kind, const struct reportq_rows *res,
    const struct reportq_rows *sdr_rows, struct gbuf *out)
{
	const struct rdef *d;
	struct table t;
	struct sdrs sd;
	int *ord = NULL, rc = -1;

	if ((size_t)kind >= NELEM(rdefs) || rdefs[kind].cols == NULL) {
		errno = EINVAL;
		return -1;
	}
	d = &rdefs[kind];
	memset(&t, 0, sizeof(t));
	memset(&sd, 0, sizeof(sd));
	/* the rows are borrowed: sd.res is never released here */
	if (sdr_rows != NULL)
		sd.res = *sdr_rows;
	if ((t.cols = malloc(d->ncols * sizeof(*t.cols))) == NULL ||
	    (d->by_host && (ord = host_order(res)) == NULL) ||
	    (sdr_rows != NULL && sdrs_index(&sd) != 0))
		goto out;
	memcpy(t.cols, d->cols, d->ncols * sizeof(*t.cols));
	t.ncols = d->ncols;
	fill(&t, res, ord, &sd);
	rc = table_json(&t, out);
out:
	free(sd.e);
	free(ord);
	free(t.cols);
	cells_release(&t.c);
	if (rc != 0)
		errno = ENOMEM;
	return rc;
}

/* --- main ---------------------------------------------------------------------- */

/*
 * events ack ID... [--note TEXT]: the IDs from argv[first...] into
 * ro->ids.  other: a report's option was given.  0, or exit status 2.
 */
static int
ack_args(struct ropts *ro, int argc, char **argv, int first, int other)
{
	char *end;
	long long v;

	if (other || ro->follow || ro->unacked || ro->severity ||
	    ro->retired || ro->all_frus || ro->format != F_TABLE)
		return usage_error("events ack", "takes IDs and --note TEXT "
		    "(and -c, --db) only");
	if (first >= argc)
		return usage_error("events ack", "which events? give their "
		    "IDs (the EVENT-ID column of bmcfleet events)");
	if ((ro->ids = calloc((size_t)(argc - first), sizeof(*ro->ids))) ==
	    NULL)
		return usage_error("events ack", "out of memory");
	for (int i = first; i < argc; i++) {
		errno = 0;
		v = strtoll(argv[i], &end, 10);
		if (errno || *end != '\0' || end == argv[i] || v < 1)
			return usage_error("events ack", "'%s' is not an event "
			    "ID (a number, the EVENT-ID column of bmcfleet "
			    "events)", argv[i]);
		ro->ids[ro->nids++] = v;
	}
	if (ro->note != NULL && strlen(ro->note) > 1000)
		return usage_error("events ack", "--note: at most 1000 bytes");
	ro->ack = 1;
	return 0;
}

static int
parse_args(struct ropts *ro, int argc, char **argv, int *help)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'F' },
		{ "retired", no_argument, NULL, 'R' },
		{ "all-frus", no_argument, NULL, 'A' },
		{ "changes", no_argument, NULL, 'X' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "state", required_argument, NULL, 'T' },
		{ "severity", required_argument, NULL, 'V' },
		{ "limit", required_argument, NULL, 'L' },
		{ "follow", no_argument, NULL, 'f' },
		{ "unacked", no_argument, NULL, 'N' },
		{ "note", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *v = ro->verb, *since = NULL, *until = NULL, *bad = NULL;
	int ch, changes = 0, limit = 0;
	int64_t now = (int64_t)loop_wall_ms();
	char word[64], msg[256], *end;
	size_t tl = 0;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":c:h", lo, NULL)) != -1) {
		switch (ch) {
		case 'c':
			ro->cfg_path = optarg;
			ro->cfg_given = 1;
			break;
		case 'D':
			ro->db = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "table") == 0)
				ro->format = F_TABLE;
			else if (strcmp(optarg, "json") == 0)
				ro->format = F_JSON;
			else if (strcmp(optarg, "csv") == 0)
				ro->format = F_CSV;
			else
				return usage_error(v, "--format '%s': expected "
				    "table, json or csv", optarg);
			break;
		case 'R':
			ro->retired = 1;
			break;
		case 'A':
			ro->all_frus = 1;
			break;
		case 'X':
			changes = 1;
			break;
		case 'S':
			since = optarg;
			break;
		case 'U':
			until = optarg;
			break;
		case 'T':
			if (namelist_mask(&namelist_health, "--state", optarg,
			    &ro->state, msg, sizeof(msg)) != 0)
				return usage_error(v, "%s", msg);
			break;
		case 'V':
			if (namelist_mask(&namelist_severity, "--severity",
			    optarg, &ro->severity, msg, sizeof(msg)) != 0)
				return usage_error(v, "%s", msg);
			break;
		case 'L':
			errno = 0;
			ro->limit = strtoll(optarg, &end, 10);
			if (errno || *end || end == optarg || ro->limit < 1)
				return usage_error(v, "--limit '%s': expected "
				    "a number of rows, at least 1", optarg);
			limit = 1;
			break;
		case 'f':
			ro->follow = 1;
			break;
		case 'N':
			ro->unacked = 1;
			break;
		case 'n':
			ro->note = optarg;
			break;
		case 'h':
			*help = 1;
			return 0;
		case ':':
			return usage_error(v, "%s needs a value",
			    argv[optind - 1]);
		default:
			if (optopt != 0)
				snprintf(word, sizeof(word), "-%c", optopt);
			else
				snprintf(word, sizeof(word), "%s",
				    argv[optind - 1]);
			return usage_error(v, "unknown option '%s'%s", word,
			    ro->report == REPORTQ_SENSORS ?
			    " (without -H, sensors reads the database; "
			    "-H HOSTLIST asks the BMCs)" : "");
		}
	}
	/* events ack ID...: the IDs, not TARGETS */
	if (ro->report == REPORTQ_EVENTS && optind < argc &&
	    strcmp(argv[optind], "ack") == 0)
		return ack_args(ro, argc, argv, optind + 1, changes || limit ||
		    since != NULL || until != NULL);
	if (ro->note != NULL)
		return usage_error(v, "--note is for events ack");
	/* TARGETS: one comma list, or several words joined */
	for (int i = optind; i < argc; i++)
		tl += strlen(argv[i]) + 1;
	if (tl > 0) {
		if ((ro->targets = malloc(tl)) == NULL)
			return usage_error(v, "out of memory");
		ro->targets[0] = '\0';
		for (int i = optind; i < argc; i++) {
			if (i > optind)
				strcat(ro->targets, ",");
			strcat(ro->targets, argv[i]);
		}
	}

	if (changes)
		ro->report = REPORTQ_CHANGES;
	if (ro->report != REPORTQ_INVENTORY && ro->all_frus)
		bad = "--all-frus is for inventory";
	else if (changes && ro->report != REPORTQ_CHANGES)
		bad = "--changes is for inventory";
	else if (ro->report != REPORTQ_SENSORS && ro->state != 0)
		bad = "--state is for sensors (events: --severity)";
	else if (ro->report != REPORTQ_EVENTS && ro->severity != 0)
		bad = "--severity is for events (sensors: --state)";
	else if (ro->report != REPORTQ_EVENTS && until != NULL)
		bad = "--until is for events";
	else if (ro->report != REPORTQ_EVENTS && ro->report != REPORTQ_CHANGES && limit)
		bad = "--limit is for events and inventory --changes";
	else if (ro->report == REPORTQ_INVENTORY && since != NULL)
		bad = "--since is for sensors, events and inventory --changes";
	else if (ro->report != REPORTQ_EVENTS && (ro->follow || ro->unacked))
		bad = ro->follow ? "--follow is for events" :
		    "--unacked is for events";
	else if (ro->follow && until != NULL)
		bad = "--until and --follow: a stream has no end";
	else if (ro->follow && ro->format == F_CSV)
		bad = "--follow prints table or json";
	if (bad != NULL)
		return usage_error(v, "%s", bad);
	if (since != NULL) {
		if (option_time(v, "--since", since, now, &ro->since_ms) != 0)
			return 2;
		ro->has_since = 1;
	}
	ro->now_ms = now;	/* sensors without --since: the last day */
	if (until != NULL) {
		if (option_time(v, "--until", until, now, &ro->until_ms) != 0)
			return 2;
		ro->has_until = 1;
	}
	return 0;
}

/*
 * The config, when one is needed or asked for; its BMC names for TARGETS
 * into *names (NULL: all).  Returns 0, or the exit status.
 */
static int
resolve_targets(struct ropts *ro, struct config *c, int *loaded,
    const char ***names, size_t *nnames)
{
	int all = ro->targets == NULL || strcmp(ro->targets, "@all") == 0;
	const char *env = getenv("BMCFLEET_DB");
	char err[CONFIG_ERR_MAX];
	size_t *idx = NULL, n;

	*names = NULL;
	*nnames = 0;
	/* the config is needed for TARGETS, or as the database's source */
	if (!ro->cfg_given && all && (ro->db != NULL || (env != NULL &&
	    *env != '\0')))
		return 0;
	if (!ro->cfg_given && access(ro->cfg_path, F_OK) != 0) {
		if (all)
			return 0;	/* connect_db says what is missing */
		fprintf(stderr, "bmcfleet: %s: TARGETS other than @all are "
		    "resolved by the fleet's config: give -c FILE or set "
		    "$BMCFLEET_CONFIG\n", ro->verb);
		return 2;
	}
	if (config_load(c, ro->cfg_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: %s\n", err);
		return 2;
	}
	*loaded = 1;
	if (all)
		return 0;
	if (config_select(c, ro->targets, &idx, &n, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: %s: %s\n", ro->verb, err);
		return 2;
	}
	/* the names stay the config's */
	if ((*names = calloc(n + 1, sizeof(**names))) == NULL) {
		free(idx);
		fprintf(stderr, "bmcfleet: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		(*names)[i] = c->bmcs[idx[i]].name;
	*nnames = n;
	free(idx);
	return 0;
}

/* Connected, or NULL with the error said and *rc the exit status. */
static struct pg_conn *
connect_db(struct ropts *ro, const struct config *c, int loaded,
    int *rc)
{
	const char *ci = ro->db, *e = getenv("BMCFLEET_DB"), *m;
	char err[1024];
	struct pg_conn *pg;

	if (ci == NULL && e != NULL && *e != '\0')
		ci = e;
	if (ci == NULL && loaded)
		ci = c->database;
	if (ci == NULL) {
		fprintf(stderr, "bmcfleet: %s: no database: give --db CONNINFO, "
		    "set $BMCFLEET_DB, or database: in the config (-c FILE)\n",
		    ro->verb);
		*rc = 2;
		return NULL;
	}
	ro->ci = ci;
	if (db_connect(ci, &pg, err, sizeof(err)) != 0) {
		m = strstr(err, "connect to the database: ");
		fprintf(stderr, "bmcfleet: %s: database not reachable: %s\n",
		    ro->verb, m != NULL ? m + 25 : err);
		return NULL;
	}
	return pg;
}

/* The report's columns, showing in the table only what applies. */
static struct col *
columns(const struct ropts *ro, const struct rdef *d)
{
	struct col *c;

	if ((c = malloc(d->ncols * sizeof(*c))) == NULL)
		return NULL;
	memcpy(c, d->cols, d->ncols * sizeof(*c));
	for (size_t k = 0; k < d->ncols; k++)
		if (ro->report == REPORTQ_INVENTORY && !ro->all_frus &&
		    (strcmp(c[k].key, "fru_id") == 0 ||
		    strcmp(c[k].key, "fru_name") == 0))
			c[k].where &= ~(unsigned)COL_TABLE;
	return c;
}

/* What the options ask of the database. */
static void
filter_of(const struct ropts *ro, const char *const *names, size_t nnames,
    struct reportq_filter *f, const char **states, const char **sevs)
{
	memset(f, 0, sizeof(*f));
	f->kind = ro->report;
	f->names = names;
	f->nnames = nnames;
	f->retired = ro->retired;
	f->all_frus = ro->all_frus;
	f->has_since = ro->has_since;
	f->since_ms = ro->since_ms;
	f->has_until = ro->has_until;
	f->until_ms = ro->until_ms;
	f->now_ms = ro->now_ms;
	f->states = states;
	f->nstates = namelist_words(&namelist_health, ro->state, states, 32);
	f->severities = sevs;
	f->nseverities = namelist_words(&namelist_severity, ro->severity,
	    sevs, 32);
	f->limit = ro->limit;
	f->unacked = ro->unacked;
}

/* On a terminal, after the sensors: how many in each state. */
static void
sensors_summary(const struct reportq_rows *res)
{
	size_t by_state[SENSOR_NA + 1] = { 0 };
	int h;

	for (int r = 0; r < (int)res->nrows; r++) {
		h = sensor_health_parse(text(res, r, RQ_SN_STATE));
		by_state[h >= 0 && h < SENSOR_NA ? h : SENSOR_NA]++;
	}
	fprintf(stderr, "sensors: %d shown:", (int)res->nrows);
	for (h = 0; h <= SENSOR_NA; h++)
		fprintf(stderr, "%s %zu %s", h ? "," : "", by_state[h],
		    sensor_health_name(h));
	fputc('\n', stderr);
}

/* --state and nothing found: an empty table is an answer, said as one */
static void
no_sensor_note(const struct ropts *ro)
{
	char words[128], when[64] = "of the last 24 h";
	time_t t;
	struct tm tm;

	fflush(stdout);
	namelist_join(&namelist_health, ro->state, "or", words,
	    sizeof(words));
	if (ro->has_since) {
		t = (time_t)(ro->since_ms / 1000);
		strftime(when, sizeof(when), "since %Y-%m-%d %H:%M:%S UTC",
		    gmtime_r(&t, &tm));
	}
	fprintf(stderr, "sensors: no sensor is %s (the latest readings %s)\n",
	    words, when);
}

/* --- events ack ------------------------------------------------------------ */

static int
events_ack(const struct ropts *ro, struct pg_conn *pg)
{
	struct reportq_ack a = { ro->ids, ro->nids, NULL, NULL, ro->note };
	struct gbuf unknown = GBUF_INIT;
	char who[64], origin[256], err[512];
	int rc;

	rail_who(who, sizeof(who), origin, sizeof(origin));
	a.who = who;
	a.origin = origin;
	rc = reportq_ack(pg, &a, &unknown, err, sizeof(err));
	switch (rc) {
	case 0:
		printf("acknowledged %zu event%s as %s\n", ro->nids,
		    ro->nids == 1 ? "" : "s", who);
		break;
	case REPORTQ_UNKNOWN:
		fprintf(stderr, "bmcfleet: events ack: no such event: %s "
		    "(nothing acknowledged)\n", gbuf_str(&unknown));
		rc = 2;
		break;
	case REPORTQ_NO_SCHEMA:
		fprintf(stderr, "bmcfleet: events ack: the database has no "
		    "event_ack table: run 'bmcfleet db migrate'\n");
		rc = 1;
		break;
	case REPORTQ_NOMEM:
		fprintf(stderr, "bmcfleet: out of memory\n");
		rc = 1;
		break;
	default:
		fprintf(stderr, "bmcfleet: events ack: %s (nothing "
		    "acknowledged)\n", err);
		rc = 1;
		break;
	}
	gbuf_release(&unknown);
	return rc;
}

/* --- events --follow -------------------------------------------------------- */

/* the tail printed before following, without --limit or --since */
#define FOLLOW_TAIL		10
/* announcements kept per wake-up for ids below the last seen */
#define FOLLOW_IDS		4096
/*
 * ids up to this far below the last one printed are remembered as
 * printed or not: an announcement read after the fetch that printed its
 * event (a burst read in pieces) is not printed twice
 */
#define FOLLOW_WINDOW		65536
#define FOLLOW_BACKOFF_MS	500
#define FOLLOW_BACKOFF_MAX_MS	30000

static volatile sig_atomic_t follow_stop;

static void
follow_on_signal(int sig)
{
	follow_stop = sig;
}

struct follow {
	const struct ropts *ro;
	struct reportq_filter f;
	struct table	 t;
	size_t		*minw;
	int		 head;		/* the header is printed */
	int64_t		 last;		/* the highest event id seen */
	int64_t		*ids;		/* announced ids below last */
	size_t		 nids;
	int		 force;		/* fetch past last whatever was
					   announced (some did not fit in
					   ids; a reconnection) */
	uint8_t		*printed;	/* FOLLOW_WINDOW bits by id: printed,
					   for ids in (last - WINDOW, last] */
};

/* 1 when event id (at most fw->last) was printed, as far as we know. */
static int
follow_printed(const struct follow *fw, int64_t id)
{
	uint64_t b = (uint64_t)id % FOLLOW_WINDOW;

	if (id > fw->last || id <= fw->last - FOLLOW_WINDOW)
		return 0;
	return fw->printed[b / 8] >> (b % 8) & 1;
}

/* The last id seen moves on to id; the ids it passes are not printed. */
static void
follow_advance(struct follow *fw, int64_t id)
{
	if (id <= fw->last)
		return;
	if (id - fw->last >= FOLLOW_WINDOW)
		memset(fw->printed, 0, FOLLOW_WINDOW / 8);
	else
		for (int64_t i = fw->last + 1; i <= id; i++) {
			uint64_t b = (uint64_t)i % FOLLOW_WINDOW;

			fw->printed[b / 8] &= (uint8_t)~(1u << (b % 8));
		}
	fw->last = id;
}

/* Column widths a stream's lines keep. */
static const struct {
	const char	*key;
	size_t		 w;
} follow_widths[] = {
	{ "event_id", 8 }, { "time", 20 }, { "host", 14 }, { "record_id", 5 },
	{ "sensor", 20 }, { "direction", 10 }, { "severity", 8 },
	{ "acked", 1 },
};

/* The rows of res, printed; the last id seen moves on.  0, or 1. */
static int
follow_print(struct follow *fw, const struct reportq_rows *res)
{
	int64_t id, max = fw->last;
	uint64_t b;
	int rc;

	for (size_t r = 0; r < res->nrows; r++)
		if ((id = strtoll(text(res, (int)r, RQ_EV_EVENT_ID), NULL,
		    10)) > max)
			max = id;
	follow_advance(fw, max);
	for (size_t r = 0; r < res->nrows; r++) {
		id = strtoll(text(res, (int)r, RQ_EV_EVENT_ID), NULL, 10);
		if (id > fw->last - FOLLOW_WINDOW) {
			b = (uint64_t)id % FOLLOW_WINDOW;
			fw->printed[b / 8] |= (uint8_t)(1u << (b % 8));
		}
	}
	cells_release(&fw->t.c);
	fill(&fw->t, res, NULL, NULL);
	if (res->nrows == 0 && fw->head)
		return 0;
	rc = table_put_stream(&fw->t, fw->ro->format, fw->minw, !fw->head);
	fw->head = 1;
	return rc;
}

/*
 * What was stored since fw->last (and the announced ids below it),
 * printed.  0, 1 (the exit status: printing failed), or -1 (the query
 * failed: the connection is taken as lost).
 */
static int
follow_fetch(struct follow *fw, struct pg_conn *pg, char *err, size_t len)
{
	struct reportq_filter f = fw->f;
	struct reportq q;
	struct reportq_rows res;
	size_t k = 0;
	int rc, newer = 0;

	/* what was announced: past the last seen, or below it and not
	 * printed yet (committed late, or filtered out: asked again) */
	for (size_t i = 0; i < fw->nids; i++)
		if (fw->ids[i] > fw->last)
			newer = 1;
		else if (!follow_printed(fw, fw->ids[i]))
			fw->ids[k++] = fw->ids[i];
	fw->nids = k;
	if (!newer && k == 0 && !fw->force)
		return 0;	/* printed already: no query */
	fw->force = 0;
	f.kind = REPORTQ_EVENTS_NEW;
	f.after_id = fw->last;
	f.ids = fw->ids;
	f.nids = fw->nids;
	if (reportq_build(&f, &q) != 0) {
		reportq_release(&q);
		snprintf(err, len, "out of memory");
		return -1;
	}
	rc = reportq_run(pg, &q, &res, err, len);
	reportq_release(&q);
	if (rc != 0)
		return -1;
	fw->nids = 0;
	rc = follow_print(fw, &res);
	reportq_rows_release(&res);
	return rc;
}

/* Sleep ms unless a signal ends it. */
static void
follow_sleep(int ms)
{
	if (!follow_stop)
		(void)poll(NULL, 0, ms);
}

/*
 * Connect and LISTEN (again), until it works or a signal stops it.  A
 * reconnection catches up from fw->last.  The connection, or NULL.
 */
static struct pg_conn *
follow_reconnect(struct follow *fw, int *rc)
{
	int delay = FOLLOW_BACKOFF_MS;
	struct pg_conn *pg;
	char err[1024];
	int64_t max;

	while (!follow_stop) {
		pg = NULL;
		err[0] = '\0';
		follow_sleep(delay);
		if (follow_stop)
			break;
		if (db_connect(fw->ro->ci, &pg, err, sizeof(err)) == 0 &&
		    reportq_listen(pg, &max, err, sizeof(err)) == 0) {
			fprintf(stderr, "bmcfleet: events: reconnected; "
			    "catching up from event %lld\n",
			    (long long)fw->last);
			fw->nids = 0;
			fw->force = 1;
			if ((*rc = follow_fetch(fw, pg, err, sizeof(err))) >= 0)
				return pg;
		}
		fprintf(stderr, "bmcfleet: events: still no database (%s); "
		    "again in %d ms\n", err, delay * 2 > FOLLOW_BACKOFF_MAX_MS ?
		    FOLLOW_BACKOFF_MAX_MS : delay * 2);
		db_close(pg);
		pg = NULL;
		delay = delay * 2 > FOLLOW_BACKOFF_MAX_MS ?
		    FOLLOW_BACKOFF_MAX_MS : delay * 2;
	}
	return NULL;
}

/*
 * events --follow: the tail (the last FOLLOW_TAIL, --limit N or --since),
 * then every event as its announcement arrives, by waiting on the
 * connection's socket: no polling.  Ends on SIGINT or SIGTERM (0).
 */
static int
events_follow(const struct ropts *ro, struct pg_conn *pg,
    const struct reportq_filter *f0)
{
	struct follow fw;
	struct sigaction sa, old_int, old_term;
	struct reportq_rows res;
	char err[1024];
	int rc = 0, any;

	memset(&fw, 0, sizeof(fw));
	fw.ro = ro;
	fw.f = *f0;
	fw.t.cols = (struct col *)cols_events;
	fw.t.ncols = NELEM(cols_events);
	if ((fw.minw = calloc(fw.t.ncols, sizeof(*fw.minw))) == NULL ||
	    (fw.ids = calloc(FOLLOW_IDS, sizeof(*fw.ids))) == NULL ||
	    (fw.printed = calloc(FOLLOW_WINDOW / 8, 1)) == NULL) {
		free(fw.minw);
		free(fw.ids);
		fprintf(stderr, "bmcfleet: out of memory\n");
		return 1;
	}
	for (size_t k = 0; k < fw.t.ncols; k++)
		for (size_t i = 0; i < NELEM(follow_widths); i++)
			if (strcmp(cols_events[k].key, follow_widths[i].key)
			    == 0)
				fw.minw[k] = follow_widths[i].w;
	/* line by line, so that `| grep` sees each event as it comes */
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = follow_on_signal;	/* no SA_RESTART: poll ends */
	sigemptyset(&sa.sa_mask);
	follow_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	/* LISTEN first: an event stored after the tail's query is announced */
	if (reportq_listen(pg, &fw.last, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: events: listen failed: %s\n", err);
		rc = 1;
		goto out;
	}
	fw.f.has_upto = 1;
	fw.f.upto_id = fw.last;
	if (!ro->has_since && ro->limit == 0)
		fw.f.limit = FOLLOW_TAIL;
	if (query(pg, ro->verb, &fw.f, &res) != 0) {
		rc = 1;
		goto out;
	}
	fw.f.has_upto = 0;
	fw.f.has_since = 0;	/* a new event counts whatever its time */
	fw.f.limit = 0;
	rc = follow_print(&fw, &res);
	reportq_rows_release(&res);
	/* the header is for a terminal's reader; json lines have none */
	fw.head = 1;

	while (rc == 0 && !follow_stop) {
		struct pollfd pfd = { reportq_socket(pg), POLLIN, 0 };
		int lost = 0;

		if (poll(&pfd, 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			lost = 1;
			snprintf(err, sizeof(err), "poll: %s", strerror(errno));
		}
		any = 0;
		if (!lost && reportq_notified(pg, fw.ids, FOLLOW_IDS,
		    &fw.nids, &any) != 0) {
			lost = 1;
			snprintf(err, sizeof(err), "the server closed the "
			    "connection");
		}
		/* libpq reads what comes during a fetch, announcements
		 * too: take them before waiting on the socket again */
		while (!lost && any && rc == 0) {
			fw.force = any == 2;
			if ((rc = follow_fetch(&fw, pg, err, sizeof(err))) < 0) {
				lost = 1;
				rc = 0;
				break;
			}
			any = 0;
			if (reportq_notified(pg, fw.ids, FOLLOW_IDS, &fw.nids,
			    &any) != 0) {
				lost = 1;
				snprintf(err, sizeof(err), "the server closed "
				    "the connection");
			}
		}
		if (!lost)
			continue;
		fprintf(stderr, "bmcfleet: events: connection lost (%s); "
		    "reconnecting\n", err);
		db_close(pg);
		pg = follow_reconnect(&fw, &rc);
		if (pg == NULL)
			break;
	}
	if (follow_stop)
		rc = 0;
out:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	fw.t.cols = NULL;
	cells_release(&fw.t.c);
	free(fw.minw);
	free(fw.ids);
	free(fw.printed);
	db_close(pg);
	return rc;
}

int
fleet_report_main(int argc, char **argv)
{
	struct ropts ro;
	struct config c;
	struct table t;
	struct sdrs sd;
	struct reportq_filter f;
	struct reportq_rows res;
	struct pg_conn *pg = NULL;
	const char **names = NULL, *states[32], *sevs[32];
	size_t nnames = 0;
	int help = 0, loaded = 0, rc, *ord = NULL;
	const struct rdef *d;

	memset(&ro, 0, sizeof(ro));
	memset(&c, 0, sizeof(c));
	memset(&t, 0, sizeof(t));
	memset(&sd, 0, sizeof(sd));
	memset(&res, 0, sizeof(res));
	ro.verb = argv[0];
	if (strcmp(argv[0], "inventory") == 0)
		ro.report = REPORTQ_INVENTORY;
	else if (strcmp(argv[0], "sensors") == 0)
		ro.report = REPORTQ_SENSORS;
	else if (strcmp(argv[0], "events") == 0)
		ro.report = REPORTQ_EVENTS;
	else
		return usage_error("report", "unknown report '%s'", argv[0]);
	if ((ro.cfg_path = getenv("BMCFLEET_CONFIG")) != NULL &&
	    *ro.cfg_path != '\0')
		ro.cfg_given = 1;
	else
		ro.cfg_path = DEFAULT_CONFIG;
	if ((rc = parse_args(&ro, argc, argv, &help)) != 0 || help) {
		if (help)
			usage(stdout);
		goto out;
	}
	if ((rc = resolve_targets(&ro, &c, &loaded, &names, &nnames)) != 0)
		goto out;
	rc = 1;
	if ((pg = connect_db(&ro, &c, loaded, &rc)) == NULL)
		goto out;

	if (ro.ack) {
		rc = events_ack(&ro, pg);
		goto out;
	}
	filter_of(&ro, names, nnames, &f, states, sevs);
	if (ro.follow) {
		rc = events_follow(&ro, pg, &f);
		pg = NULL;	/* closed by events_follow */
		goto out;
	}
	d = &rdefs[ro.report];
	if (query(pg, ro.verb, &f, &res) != 0)
		goto out;
	if ((t.cols = columns(&ro, d)) == NULL ||
	    (d->by_host && (ord = host_order(&res)) == NULL) ||
	    (ro.report == REPORTQ_SENSORS && sdrs_load(pg, &f, &sd) != 0)) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		goto out;
	}
	t.ncols = d->ncols;
	fill(&t, &res, ord, &sd);
	db_close(pg);
	pg = NULL;
	if ((rc = table_put(&t, ro.format)) == 0 &&
	    ro.report == REPORTQ_SENSORS && ro.state != 0 && res.nrows == 0 &&
	    ro.format == F_TABLE)
		no_sensor_note(&ro);
	else if (rc == 0 && ro.report == REPORTQ_SENSORS &&
	    isatty(STDERR_FILENO))
		sensors_summary(&res);
out:
	reportq_rows_release(&res);
	sdrs_release(&sd);
	db_close(pg);
	free(ord);
	free(t.cols);
	cells_release(&t.c);
	free(names);
	free(ro.targets);
	free(ro.ids);
	if (loaded)
		config_release(&c);
	return rc;
}
