/*
 * status: `bmcfleet status`, the fleet at a glance, from what the
 * collectors and the plans stored; no BMC is asked.
 *
 *   options -> the config (the database, the spool, the sweep interval),
 *   when there is one
 *   -> two queries (store/statusq): a row per BMC, the plans in progress
 *   -> the spool's directory read (batches waiting, their bytes)
 *   -> struct status: hosts by power and by health, last sweeps (fresh,
 *   stale, never), failures by reason, plans, spool, the newest data's
 *   age; hosts in natural order
 *   -> lines on stdout (table) or one JSON object (json)
 *
 * A host is stale when its last sweep ended more than two sweep intervals
 * ago: a daemon sweeps each host once per interval, so one interval plus
 * the sweep's own time would flap; two say a sweep was missed.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd_status.h"
#include "cli/config.h"
#include "cli/hostlist.h"
#include "lib/gbuf.h"
#include "lib/json.h"
#include "lib/units.h"
#include "store/db.h"
#include "store/reportq.h"
#include "store/statusq.h"

#define DEFAULT_CONFIG	"/etc/bmcfleet/bmcfleet.yaml"
#define DEFAULT_INTERVAL_MS	(5 * 60 * 1000)
#define STATUS_NAMED	5	/* hosts named per line on the terminal */

enum { HEALTH_NOMINAL, HEALTH_WARNING, HEALTH_CRITICAL, HEALTH_UNKNOWN,
    HEALTH_N };
static const char *const health_names[HEALTH_N] = {
	"nominal", "warning", "critical", "unknown",
};
enum { POWER_ON, POWER_OFF, POWER_UNKNOWN, POWER_N };
static const char *const power_names[POWER_N] = { "on", "off", "unknown" };
enum { SENS_NOMINAL, SENS_WARNING, SENS_CRITICAL, SENS_NA, SENS_N };
static const char *const sens_names[SENS_N] = {
	"nominal", "warning", "critical", "na",
};

struct sopts {
	const char	*cfg_path;
	int		 cfg_given;
	const char	*db;
	int		 json;
	int		 check;
};

/* One BMC as the status sees it (pointers into the query's rows). */
struct shost {
	const char	*name;
	int		 power;		/* POWER_* */
	int		 health;	/* HEALTH_*: its worst sensor */
	int		 swept;		/* a result exists */
	int		 ok;
	int		 stale;		/* swept, but too long ago */
	const char	*reason, *error, *when;
	long long	 age_ms;	/* of its last result, -1: never */
};

/* A reason and its hosts, in host order. */
struct sreason {
	const char	*reason;
	size_t		 n;
};

struct status {
	struct shost	*h;		/* in natural order */
	size_t		 n;
	size_t		 power[POWER_N];
	size_t		 health[HEALTH_N];
	unsigned long long sensors[SENS_N];
	size_t		 fresh, stale, never, ok, failed;
	struct sreason	 reasons[32];	/* by first appearance */
	size_t		 nreasons;
	uint64_t	 interval_ms;
	long long	 newest_reading_ms, newest_result_ms;	/* ages, -1 */
	const char	*newest_result_at;
	/* the spool */
	const char	*spool_dir;	/* NULL: no config, not looked at */
	int		 spool_err;	/* errno of reading it, 0 */
	size_t		 spool_batches, spool_failed;
	uint64_t	 spool_bytes;
};

static void
usage(FILE *f)
{
	fputs(
"usage: bmcfleet status [-c FILE] [--db CONNINFO] [--format table|json]\n"
"                       [--check]\n"
"\n"
"The fleet at a glance, from the database (no BMC is asked):\n"
"  hosts      the BMCs not retired, by power state as last seen (on, off,\n"
"             unknown) and by health, the worst state among the latest\n"
"             readings of their sensors of the last 24 h (nominal,\n"
"             warning, critical; unknown: none); the sensors by state\n"
"  sweeps     how many hosts were swept in the last two sweep intervals\n"
"             (collector.sweep_interval; 5m without a config), the\n"
"             stale and never swept ones, first 5 named; how many of\n"
"             those last sweeps were ok and how many failed\n"
"  failures   the hosts whose last sweep failed, by reason, first 5 of\n"
"             each named (--format json: every one, with its error)\n"
"  plans      the power plans running, paused or scheduled: id, name,\n"
"             stage, hosts confirmed, skipped and failed of all\n"
"  events     the last day's SEL and PET events (a BMC's first read, its\n"
"             history, not counted), critical ones and those nobody\n"
"             acknowledged (events ack), PET traps accepted, PET-only\n"
"  alerts     the last day's notifications sent, failed and suppressed\n"
"             (alerts history), and those queued now\n"
"  spool      batches and bytes waiting in the config's\n"
"             collector.spool_dir for the database (and quarantined)\n"
"  database   how old the newest stored reading and sweep result are\n"
"\n"
"  -c, --config FILE  bmcfleet.yaml (default $BMCFLEET_CONFIG, else\n"
"                     " DEFAULT_CONFIG ")\n"
"      --db CONNINFO  PostgreSQL (default: the config's, or $BMCFLEET_DB)\n"
"      --format table|json   output format (table); json is one object:\n"
"                     hosts, power, health, sensors, sweeps, by_reason,\n"
"                     failures, stale_hosts, events, plans, spool,\n"
"                     database,\n"
"                     per_host\n"
"      --check        exit 1 when any host's last sweep failed, is stale\n"
"                     or never happened (for monitoring)\n"
"\n"
"Exit status: 0 the database was read (whatever the fleet's state, unless\n"
"--check), 1 database error (or --check found a host failing), 2 usage\n"
"or configuration error.\n", f);
}

static int
parse_args(struct sopts *so, int argc, char **argv, int *help)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'F' },
		{ "check", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+c:h", lo, NULL)) != -1) {
		switch (ch) {
		case 'c':
			so->cfg_path = optarg;
			so->cfg_given = 1;
			break;
		case 'D':
			so->db = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "json") == 0)
				so->json = 1;
			else if (strcmp(optarg, "table") != 0) {
				fprintf(stderr, "bmcfleet: status: --format "
				    "'%s': expected table or json\n", optarg);
				return 2;
			}
			break;
		case 'K':
			so->check = 1;
			break;
		case 'h':
			*help = 1;
			return 0;
		default:
			fprintf(stderr, "bmcfleet: status: unknown option "
			    "'%s'\nTry 'bmcfleet status --help'.\n",
			    argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bmcfleet: status: unexpected argument '%s'\n"
		    "Try 'bmcfleet status --help'.\n", argv[optind]);
		return 2;
	}
	return 0;
}

/* --- the spool ------------------------------------------------------------ */

/* A batch's name: 16 digits, then ".batch" (collector/spool.c). */
static int
is_batch(const char *name)
{
	size_t i;

	for (i = 0; i < 16; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return strcmp(name + 16, ".batch") == 0;
}

static int
spool_scan(const char *dir, size_t *batches, uint64_t *bytes)
{
	char path[4096];
	struct dirent *de;
	struct stat sb;
	DIR *d;

	*batches = 0;
	*bytes = 0;
	if ((d = opendir(dir)) == NULL)
		return errno;
	while ((de = readdir(d)) != NULL) {
		if (!is_batch(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &sb) != 0)
			continue;	/* written meanwhile */
		(*batches)++;
		*bytes += (uint64_t)sb.st_size;
	}
	closedir(d);
	return 0;
}

/* --- the status from the rows ----------------------------------------------- */

static long long
num(const struct reportq_rows *r, size_t row, int col, long long none)
{
	const char *v = reportq_cell(r, row, (size_t)col);

	return v != NULL ? strtoll(v, NULL, 10) : none;
}

static int
host_cmp(const void *a, const void *b)
{
	return hostlist_cmp(((const struct shost *)a)->name,
	    ((const struct shost *)b)->name);
}

static void
note_reason(struct status *s, const char *reason)
{
	size_t k;

	for (k = 0; k < s->nreasons; k++)
		if (strcmp(s->reasons[k].reason, reason) == 0) {
			s->reasons[k].n++;
			return;
		}
	if (s->nreasons < sizeof(s->reasons) / sizeof(s->reasons[0]))
		s->reasons[s->nreasons++] = (struct sreason){ reason, 1 };
}

/* The status of the hosts' rows; -1 out of memory. */
static int
status_build(struct status *s, const struct reportq_rows *r)
{
	if ((s->h = calloc(r->nrows + 1, sizeof(*s->h))) == NULL)
		return -1;
	s->n = r->nrows;
	s->newest_reading_ms = -1;
	s->newest_result_ms = -1;
	for (size_t i = 0; i < r->nrows; i++) {
		struct shost *h = &s->h[i];
		const char *p = reportq_cell(r, i, SQ_H_POWER);
		long long c[SENS_N], rd;

		h->name = reportq_cell(r, i, SQ_H_NAME);
		h->power = p == NULL ? POWER_UNKNOWN : strcmp(p, "on") == 0 ?
		    POWER_ON : strcmp(p, "off") == 0 ? POWER_OFF :
		    POWER_UNKNOWN;
		c[SENS_NOMINAL] = num(r, i, SQ_H_NOMINAL, 0);
		c[SENS_WARNING] = num(r, i, SQ_H_WARNING, 0);
		c[SENS_CRITICAL] = num(r, i, SQ_H_CRITICAL, 0);
		c[SENS_NA] = num(r, i, SQ_H_NA, 0);
		for (int k = 0; k < SENS_N; k++)
			s->sensors[k] += (unsigned long long)c[k];
		h->health = c[SENS_CRITICAL] > 0 ? HEALTH_CRITICAL :
		    c[SENS_WARNING] > 0 ? HEALTH_WARNING :
		    c[SENS_NOMINAL] > 0 ? HEALTH_NOMINAL : HEALTH_UNKNOWN;
		h->swept = reportq_cell(r, i, SQ_H_OK) != NULL;
		h->ok = h->swept && strcmp(reportq_cell(r, i, SQ_H_OK),
		    "t") == 0;
		h->reason = reportq_cell(r, i, SQ_H_REASON);
		h->error = reportq_cell(r, i, SQ_H_ERROR);
		h->when = reportq_cell(r, i, SQ_H_WHEN);
		h->age_ms = num(r, i, SQ_H_AGE_MS, -1);
		h->stale = h->swept && h->age_ms > 2 * (long long)s->interval_ms;
		if (h->swept && (s->newest_result_ms < 0 || h->age_ms <
		    s->newest_result_ms)) {
			s->newest_result_ms = h->age_ms;
			s->newest_result_at = h->when;
		}
		rd = num(r, i, SQ_H_READ_AGE_MS, -1);
		if (rd >= 0 && (s->newest_reading_ms < 0 ||
		    rd < s->newest_reading_ms))
			s->newest_reading_ms = rd;
	}
	qsort(s->h, s->n, sizeof(*s->h), host_cmp);
	for (size_t i = 0; i < s->n; i++) {
		struct shost *h = &s->h[i];

		s->power[h->power]++;
		s->health[h->health]++;
		if (!h->swept)
			s->never++;
		else if (h->stale)
			s->stale++;
		else
			s->fresh++;
		if (h->swept && h->ok)
			s->ok++;
		else if (h->swept) {
			s->failed++;
			note_reason(s, h->reason != NULL ? h->reason :
			    "unknown");
		}
	}
	return 0;
}

/* A failed host's reason, as note_reason filed it. */
static const char *
reason_of(const struct shost *h)
{
	return h->reason != NULL ? h->reason : "unknown";
}

/* --- table ------------------------------------------------------------------ */

static void
age_text(long long ms, char *buf, size_t cap)
{
	char d[32];

	if (ms < 0) {
		snprintf(buf, cap, "none");
		return;
	}
	/* to the second: "12s ago", not "12345ms ago" */
	units_format_duration((uint64_t)(ms < 1000 ? ms : ms / 1000 * 1000),
	    d, sizeof(d));
	snprintf(buf, cap, "%s ago", d);
}

/* Up to STATUS_NAMED names of the hosts match() picks, ", " between. */
static void
name_some(const struct status *s, int (*match)(const struct shost *,
    const void *), const void *arg, size_t total)
{
	size_t shown = 0;

	for (size_t i = 0; i < s->n && shown < STATUS_NAMED; i++)
		if (match(&s->h[i], arg))
			printf("%s%s", shown++ ? ", " : "", s->h[i].name);
	if (total > shown)
		printf(", ... and %zu more", total - shown);
}

static int
is_stale(const struct shost *h, const void *arg)
{
	(void)arg;
	return h->swept && h->stale;
}

static int
is_never(const struct shost *h, const void *arg)
{
	(void)arg;
	return !h->swept;
}

static int
failed_for(const struct shost *h, const void *arg)
{
	return h->swept && !h->ok && strcmp(reason_of(h), arg) == 0;
}

static void
print_table(const struct status *s, const struct reportq_rows *plans,
    const struct reportq_rows *ev)
{
	char d[32], a[48];

	printf("%-10s %zu (%zu on, %zu off, %zu unknown)\n", "hosts:", s->n,
	    s->power[POWER_ON], s->power[POWER_OFF], s->power[POWER_UNKNOWN]);
	printf("%-10s %zu nominal, %zu warning, %zu critical, %zu unknown "
	    "(hosts by their worst sensor); sensors: %llu nominal, %llu "
	    "warning, %llu critical, %llu na\n", "health:",
	    s->health[HEALTH_NOMINAL], s->health[HEALTH_WARNING],
	    s->health[HEALTH_CRITICAL], s->health[HEALTH_UNKNOWN],
	    s->sensors[SENS_NOMINAL], s->sensors[SENS_WARNING],
	    s->sensors[SENS_CRITICAL], s->sensors[SENS_NA]);
	units_format_duration(2 * s->interval_ms, d, sizeof(d));
	printf("%-10s %zu of %zu swept in the last %s (2 x sweep_interval); "
	    "last sweep: %zu ok, %zu failed\n", "sweeps:", s->fresh, s->n, d,
	    s->ok, s->failed);
	if (s->stale > 0) {
		printf("%-10s %zu: ", "stale:", s->stale);
		name_some(s, is_stale, NULL, s->stale);
		putchar('\n');
	}
	if (s->never > 0) {
		printf("%-10s %zu: ", "never:", s->never);
		name_some(s, is_never, NULL, s->never);
		putchar('\n');
	}
	if (s->nreasons == 0)
		printf("%-10s none\n", "failures:");
	for (size_t k = 0; k < s->nreasons; k++) {
		printf("%-10s %zu %s: ", k == 0 ? "failures:" : "",
		    s->reasons[k].n, s->reasons[k].reason);
		name_some(s, failed_for, s->reasons[k].reason,
		    s->reasons[k].n);
		putchar('\n');
	}
	if (plans->nrows == 0)
		printf("%-10s none running, paused or scheduled\n", "plans:");
	for (size_t i = 0; i < plans->nrows; i++) {
		const char *name = reportq_cell(plans, i, SQ_P_NAME);
		const char *st = reportq_cell(plans, i, SQ_P_STATE);
		long long stage = num(plans, i, SQ_P_STAGE, -1);

		printf("%-10s %s", i == 0 ? "plans:" : "",
		    reportq_cell(plans, i, SQ_P_ID));
		if (name != NULL)
			printf(" '%s'", name);
		printf(" %s", st != NULL ? st : "?");
		if (stage >= 0)
			printf(", stage %lld of %lld", stage + 1,
			    num(plans, i, SQ_P_STAGES, 0));
		else if (st != NULL && strcmp(st, "scheduled") == 0 &&
		    reportq_cell(plans, i, SQ_P_RUN_AT) != NULL)
			printf(" for %s", reportq_cell(plans, i, SQ_P_RUN_AT));
		printf(": %lld of %lld hosts done (%lld confirmed, %lld "
		    "skipped), %lld failed\n",
		    num(plans, i, SQ_P_DONE, 0) + num(plans, i, SQ_P_SKIPPED, 0),
		    num(plans, i, SQ_P_HOSTS, 0), num(plans, i, SQ_P_DONE, 0),
		    num(plans, i, SQ_P_SKIPPED, 0),
		    num(plans, i, SQ_P_FAILED, 0));
	}
	if (ev->nrows == 1) {
		printf("%-10s %lld in the last day (%lld critical, %lld of them "
		    "not acknowledged); PET traps: %lld, %lld PET-only\n",
		    "events:", num(ev, 0, SQ_E_EVENTS, 0),
		    num(ev, 0, SQ_E_CRITICAL, 0),
		    num(ev, 0, SQ_E_CRIT_UNACKED, 0), num(ev, 0, SQ_E_TRAPS, 0),
		    num(ev, 0, SQ_E_PET_ONLY, 0));
		printf("%-10s %lld sent, %lld failed, %lld suppressed in the "
		    "last day; %lld queued now\n", "alerts:",
		    num(ev, 0, SQ_E_SENT, 0), num(ev, 0, SQ_E_FAILED, 0),
		    num(ev, 0, SQ_E_SUPPRESSED, 0), num(ev, 0, SQ_E_QUEUED, 0));
	}
	if (s->spool_dir == NULL)
		printf("%-10s not looked at (no config)\n", "spool:");
	else if (s->spool_err == ENOENT)
		printf("%-10s nothing waiting (%s does not exist)\n", "spool:",
		    s->spool_dir);
	else if (s->spool_err != 0)
		printf("%-10s %s: %s\n", "spool:", s->spool_dir,
		    strerror(s->spool_err));
	else
		printf("%-10s %zu batch(es), %" PRIu64 " bytes waiting in %s"
		    "%s%zu quarantined\n", "spool:", s->spool_batches,
		    s->spool_bytes, s->spool_dir, "; ", s->spool_failed);
	age_text(s->newest_reading_ms, d, sizeof(d));
	age_text(s->newest_result_ms, a, sizeof(a));
	printf("%-10s newest reading %s, newest sweep result %s\n",
	    "database:", d, a);
}

/* --- json ------------------------------------------------------------------- */

static void
json_age(struct json *j, const char *key, long long ms)
{
	char v[32];

	json_key(j, key);
	if (ms < 0) {
		json_null(j);
		return;
	}
	snprintf(v, sizeof(v), "%.1f", (double)ms / 1000);
	json_raw(j, v);
}

static void
json_num(struct json *j, const char *key, const struct reportq_rows *r,
    size_t row, int col)
{
	const char *v = reportq_cell(r, row, (size_t)col);

	json_key(j, key);
	if (v == NULL)
		json_null(j);
	else
		json_i64(j, strtoll(v, NULL, 10));
}

/* Each host: its power, health, last sweep (per_host, /api/v1/hosts). */
static void
json_per_host(struct json *j, const struct status *s)
{
	json_arr(j);
	for (size_t i = 0; i < s->n; i++) {
		const struct shost *h = &s->h[i];

		json_obj(j);
		json_key_str(j, "host", h->name);
		json_key_str(j, "power", power_names[h->power]);
		json_key_str(j, "health", health_names[h->health]);
		json_key_str(j, "last_sweep", h->when);
		json_key_str(j, "result", !h->swept ? NULL : h->ok ? "ok" :
		    "failed");
		json_key_str(j, "reason", h->swept && !h->ok ? reason_of(h) :
		    NULL);
		json_key_bool(j, "stale", !h->swept || h->stale);
		json_end(j);
	}
	json_end(j);
}

int
status_hosts_json(const struct reportq_rows *hosts, uint64_t interval_ms,
    struct gbuf *out)
{
	struct status s;
	struct json j;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	s.interval_ms = interval_ms ? interval_ms : DEFAULT_INTERVAL_MS;
	if (status_build(&s, hosts) == 0) {
		json_init(&j, out, JSON_SPACED);
		json_per_host(&j, &s);
		gbuf_putc(out, '\n');
		rc = json_failed(&j) || gbuf_failed(out) ? -1 : 0;
	}
	free(s.h);
	return rc;
}

static int
print_json(const struct status *s, const struct reportq_rows *plans,
    const struct reportq_rows *ev)
{
	struct gbuf g = GBUF_INIT;
	struct json j;
	int k;

	json_init(&j, &g, JSON_SPACED);
	json_obj(&j);
	json_key_u64(&j, "hosts", s->n);
	json_key(&j, "power");
	json_obj(&j);
	for (k = 0; k < POWER_N; k++)
		json_key_u64(&j, power_names[k], s->power[k]);
	json_end(&j);
	json_key(&j, "health");
	json_obj(&j);
	for (k = 0; k < HEALTH_N; k++)
		json_key_u64(&j, health_names[k], s->health[k]);
	json_end(&j);
	json_key(&j, "sensors");
	json_obj(&j);
	for (k = 0; k < SENS_N; k++)
		json_key_u64(&j, sens_names[k], s->sensors[k]);
	json_end(&j);
	json_key(&j, "sweeps");
	json_obj(&j);
	json_key_u64(&j, "interval_s", s->interval_ms / 1000);
	json_key_u64(&j, "fresh", s->fresh);
	json_key_u64(&j, "stale", s->stale);
	json_key_u64(&j, "never", s->never);
	json_key_u64(&j, "ok", s->ok);
	json_key_u64(&j, "failed", s->failed);
	json_end(&j);
	json_key(&j, "by_reason");
	json_obj(&j);
	for (size_t r = 0; r < s->nreasons; r++)
		json_key_u64(&j, s->reasons[r].reason, s->reasons[r].n);
	json_end(&j);
	json_key(&j, "failures");
	json_arr(&j);
	for (size_t i = 0; i < s->n; i++) {
		const struct shost *h = &s->h[i];

		if (!h->swept || h->ok)
			continue;
		json_obj(&j);
		json_key_str(&j, "host", h->name);
		json_key_str(&j, "reason", reason_of(h));
		json_key_str(&j, "error", h->error);
		json_key_str(&j, "at", h->when);
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "stale_hosts");
	json_arr(&j);
	for (size_t i = 0; i < s->n; i++)
		if (!s->h[i].swept || s->h[i].stale)
			json_str(&j, s->h[i].name);
	json_end(&j);
	if (ev->nrows == 1) {
		static const char *const names[SQ_E_NCOLS] = { "last_day",
			"critical", "critical_unacked", "pet_traps",
			"pet_only", "alerts_sent", "alerts_failed",
			"alerts_suppressed", "alerts_queued" };

		json_key(&j, "events");
		json_obj(&j);
		for (int c = 0; c < SQ_E_NCOLS; c++)
			json_key_u64(&j, names[c], (uint64_t)num(ev, 0, c, 0));
		json_end(&j);
	}
	json_key(&j, "plans");
	json_arr(&j);
	for (size_t i = 0; i < plans->nrows; i++) {
		json_obj(&j);
		json_num(&j, "id", plans, i, SQ_P_ID);
		json_key_str(&j, "name", reportq_cell(plans, i, SQ_P_NAME));
		json_key_str(&j, "state", reportq_cell(plans, i, SQ_P_STATE));
		json_num(&j, "stage", plans, i, SQ_P_STAGE);
		json_num(&j, "stages", plans, i, SQ_P_STAGES);
		json_num(&j, "hosts", plans, i, SQ_P_HOSTS);
		json_num(&j, "confirmed", plans, i, SQ_P_DONE);
		json_num(&j, "skipped", plans, i, SQ_P_SKIPPED);
		json_num(&j, "failed", plans, i, SQ_P_FAILED);
		json_key_str(&j, "started_at", reportq_cell(plans, i,
		    SQ_P_STARTED));
		json_key_str(&j, "run_at", reportq_cell(plans, i,
		    SQ_P_RUN_AT));
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "spool");
	json_obj(&j);
	json_key_str(&j, "dir", s->spool_dir);
	if (s->spool_dir != NULL && s->spool_err != 0 &&
	    s->spool_err != ENOENT)
		json_key_str(&j, "error", strerror(s->spool_err));
	json_key_u64(&j, "batches", s->spool_batches);
	json_key_u64(&j, "bytes", s->spool_bytes);
	json_key_u64(&j, "quarantined", s->spool_failed);
	json_end(&j);
	json_key(&j, "database");
	json_obj(&j);
	json_age(&j, "newest_reading_age_s", s->newest_reading_ms);
	json_age(&j, "newest_result_age_s", s->newest_result_ms);
	json_key_str(&j, "newest_result_at", s->newest_result_at);
	json_end(&j);
	json_key(&j, "per_host");
	json_per_host(&j, s);
	json_end(&j);
	if (json_failed(&j)) {
		gbuf_release(&g);
		fprintf(stderr, "bmcfleet: out of memory\n");
		return 1;
	}
	printf("%s\n", gbuf_str(&g));
	gbuf_release(&g);
	return 0;
}

/* --- main ------------------------------------------------------------------- */

int
fleet_status_main(int argc, char **argv)
{
	struct reportq_rows hosts, plans, events;
	struct sopts so;
	struct status s;
	struct config c;
	struct pg_conn *pg = NULL;
	const char *ci, *e;
	char err[1024];
	int help = 0, loaded = 0, rc;

	memset(&so, 0, sizeof(so));
	memset(&s, 0, sizeof(s));
	memset(&c, 0, sizeof(c));
	memset(&hosts, 0, sizeof(hosts));
	memset(&plans, 0, sizeof(plans));
	memset(&events, 0, sizeof(events));
	if ((so.cfg_path = getenv("BMCFLEET_CONFIG")) != NULL &&
	    *so.cfg_path != '\0')
		so.cfg_given = 1;
	else
		so.cfg_path = DEFAULT_CONFIG;
	if ((rc = parse_args(&so, argc, argv, &help)) != 0 || help) {
		if (help)
			usage(stdout);
		return rc;
	}
	/* the config when given or present: the spool and the interval */
	if (so.cfg_given || access(so.cfg_path, F_OK) == 0) {
		if (config_load(&c, so.cfg_path, err, sizeof(err)) != 0) {
			fprintf(stderr, "bmcfleet: %s\n", err);
			return 2;
		}
		loaded = 1;
	}
	s.interval_ms = loaded ? c.collector.sweep_interval_ms :
	    DEFAULT_INTERVAL_MS;
	if (s.interval_ms == 0)
		s.interval_ms = DEFAULT_INTERVAL_MS;
	ci = so.db;
	if (ci == NULL && loaded)
		ci = c.database;
	if (ci == NULL && (e = getenv("BMCFLEET_DB")) != NULL && *e != '\0')
		ci = e;
	rc = 2;
	if (ci == NULL) {
		fprintf(stderr, "bmcfleet: status: no database: give --db "
		    "CONNINFO, set $BMCFLEET_DB, or database: in the config "
		    "(-c FILE)\n");
		goto out;
	}
	rc = 1;
	if (db_connect(ci, &pg, err, sizeof(err)) != 0) {
		const char *m = strstr(err, "connect to the database: ");

		fprintf(stderr, "bmcfleet: status: database not reachable: "
		    "%s\n", m != NULL ? m + 25 : err);
		goto out;
	}
	if ((rc = statusq_run(pg, STATUSQ_HOSTS, &hosts, err,
	    sizeof(err))) == 0)
		rc = statusq_run(pg, STATUSQ_PLANS, &plans, err, sizeof(err));
	if (rc == 0)
		rc = statusq_run(pg, STATUSQ_EVENTS, &events, err,
		    sizeof(err));
	db_close(pg);
	if (rc != 0) {
		if (rc == REPORTQ_NO_SCHEMA)
			fprintf(stderr, "bmcfleet: status: the database has "
			    "no bmcfleet schema: run `bmcfleet db migrate`\n");
		else if (rc == REPORTQ_NOMEM)
			fprintf(stderr, "bmcfleet: out of memory\n");
		else
			fprintf(stderr, "bmcfleet: status: %s\n", err);
		rc = 1;
		goto out;
	}
	if (loaded && c.collector.spool_dir != NULL) {
		char fdir[4096];
		uint64_t fbytes;

		s.spool_dir = c.collector.spool_dir;
		s.spool_err = spool_scan(s.spool_dir, &s.spool_batches,
		    &s.spool_bytes);
		snprintf(fdir, sizeof(fdir), "%s/failed", s.spool_dir);
		if (s.spool_err == 0)
			(void)spool_scan(fdir, &s.spool_failed, &fbytes);
	}
	if (status_build(&s, &hosts) != 0) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		rc = 1;
		goto out;
	}
	if (so.json)
		rc = print_json(&s, &plans, &events);
	else {
		print_table(&s, &plans, &events);
		rc = fflush(stdout) != 0 || ferror(stdout);
	}
	if (rc == 0 && so.check && (s.failed > 0 || s.stale > 0 ||
	    s.never > 0))
		rc = 1;
out:
	free(s.h);
	reportq_rows_release(&hosts);
	reportq_rows_release(&plans);
	reportq_rows_release(&events);
	if (loaded)
		config_release(&c);
	return rc;
}
