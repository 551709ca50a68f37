/*
 * collect: "bmcfleet collect [TARGETS]", one sweep of the configured fleet
 * into PostgreSQL.
 *
 *   config (cli/config.c) -> targets -> per-BMC session settings
 *   -> what the database remembers (SEL cursors, FRU read times, the
 *      shared SDR cache), when it answers; without it the sweep still runs
 *      and its rows wait in the spool
 *   -> the fleet and the run as the first batch (the config is the source
 *      of truth: BMCs no longer in it are retired)
 *   -> the driver runs collector/sweep over every target; rows go to the
 *      writer (collector/dbw) in batches as hosts finish
 *   -> the run's summary, then wait (--db-wait) for the writer to drain
 *
 * Exit status: 0 every host swept and every row committed; 1 some host
 * failed, or rows are still in the spool; 2 usage or configuration error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "cli/collect.h"
#include "cli/config.h"
#include "cli/workaround.h"
#include "cli/plan.h"
#include "collector/db.h"
#include "collector/dbw.h"
#include "collector/driver.h"
#include "collector/loop.h"
#include "collector/pgq.h"
#include "collector/rows.h"
#include "collector/spool.h"
#include "collector/sweep.h"
#include "ipmi/crypto.h"
#include "ipmi/ipmi.h"
#include "ipmi/rmcpp.h"
#include "ipmi/session.h"

#define FLUSH_BYTES	(256 * 1024)
#define PW_MAX		64

/* A BMC that does not answer is asked less often (daemon only). */
struct backoff {
	unsigned	 streak;	/* sweeps in a row it did not answer */
	uint64_t	 retry_ms;	/* wall clock: not before */
	/* the cipher suite pinned (asked for directly) since when, and the
	 * one pinned before a renegotiation, to see a downgrade */
	uint64_t	 suite_since_ms;
	int		 suite_prev;	/* 0: none */
};

#define BACKOFF_MAX_MS	(3600 * 1000)

struct collect {
	struct config	 c;
	struct loop	*loop;
	struct spool	 spool;
	struct dbw	*dbw;
	struct rows	 rows;
	struct sweep	*sweep;
	struct sweep_host *hosts;
	struct ipmi_session_cfg *scfg;
	size_t		 n;
	size_t		 finished;
	int		 progress;
	int		 quiet;
	int		 spool_failed;
	int		 retire;	/* --retire */
	int		 fleet_complete;/* the fleet rows retire the rest */
	uint64_t	 oldest_ms;	/* of this sweep's claims: the longest
					   since a BMC's last sweep */
	char		 spool_err[512];
	char		 run_key[128];
	uint64_t	 started_ms;
	PGconn		*pg;		/* memory and leases, awaited on the
					   loop (dbq) */
	char		*db;		/* conninfo, owned */
	struct drv_target **tv;
	size_t		*idx;
	char		(*pws)[PW_MAX];
	int		*pwlen;
	unsigned	 what;
	volatile int	 stopping;	/* daemon: SIGTERM seen */
	volatile int	 halt;		/* SIGTERM or SIGINT: database waits
					   end at once */
	uint8_t		*done;		/* per host: swept in this run */
	uint64_t	 flushed_ms;	/* when rows last went to the writer */
	int		 daemon;	/* back off from dead BMCs */
	struct backoff	*back;		/* per host */
	struct loop_timer renew;	/* keeps the claimed leases */
	int		 renewing;	/* a renewal is out on co->pg */
	int		 renew_fd;	/* its socket, watched by the loop */
	struct loop_timer tick;		/* rows to the writer every second */
	int		 lease;		/* share the fleet through leases */
	size_t		 swept;		/* hosts this run swept */
};

static uint64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
usage(FILE *f)
{
	fputs(
"usage: bmcfleet collect [TARGETS] [-c FILE] [--db CONNINFO] [--spool DIR]\n"
"                        [--what LIST] [--db-wait SECS] [--no-lease]\n"
"                        [--retire] [-q]\n"
"\n"
"Sweep the configured BMCs once into PostgreSQL: identity, power, FRU\n"
"inventory (when due), sensor readings, new SEL events, DCMI power.\n"
"\n"
"  TARGETS            @all (default), @group, rack=r12, host[1-10], !host5\n"
"  -c, --config FILE  bmcfleet.yaml (default $BMCFLEET_CONFIG, else\n"
"                     /etc/bmcfleet/bmcfleet.yaml)\n"
"      --db CONNINFO  PostgreSQL (default: the config's, or $BMCFLEET_DB)\n"
"      --spool DIR    where batches wait for the database (default: the\n"
"                     config's collector.spool_dir)\n"
"      --what LIST    sensors,sel,fru,dcmi (default all)\n"
"      --db-wait SECS how long to wait for the database at the end\n"
"                     (default 30); rows not written by then stay in the\n"
"                     spool for the next run\n"
"      --no-lease     sweep every target even if another collector holds\n"
"                     its lease (default: share the fleet through leases)\n"
"      --retire       retire every BMC of the database that is not in the\n"
"                     config; without it only a few (at most 3, and at most\n"
"                     a tenth of the fleet) are, the rest kept and named\n"
"  -q, --quiet        no progress and no summary, errors only\n", f);
}

static void
on_log(void *arg, const char *line)
{
	struct collect *co = arg;

	if (co->progress)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "bmcfleet: %s\n", line);
}

/* Rows to the writer: spooled now, written when the database can. */
static void
flush_rows(void *arg)
{
	struct collect *co = arg;

	co->flushed_ms = loop_now(co->loop);
	if (co->rows.total == 0)
		return;
	if (dbw_submit(co->dbw, &co->rows, co->spool_err,
	    sizeof(co->spool_err)) != 0) {
		char m[sizeof(co->spool_err) + 128];

		/*
		 * The spool is full or failing: nothing more can be kept, so
		 * stop reading (the SEL cursors did not move: the next run
		 * reads the same events again).  Each refusal says what it
		 * cost, the later ones of a sweep too (the hosts stopped in
		 * flight, the run's end): what was read and is not stored
		 * must add up to these counts (tests/integration/faults.sh).
		 */
		snprintf(m, sizeof(m), "%s%s: %zu rows refused (%zu readings, "
		    "%zu SEL entries)", co->spool_failed ? "still: " : "",
		    co->spool_err, co->rows.total, co->rows.nrows[RT_READING],
		    co->rows.nrows[RT_SEL]);
		on_log(co, m);
		co->spool_failed = 1;
		loop_stop(co->loop);
	}
	rows_reset(&co->rows);
}

static void	renew_settle(struct collect *);

/*
 * One query on co->pg, awaited on the loop (sessions, timers and signals
 * go on) for at most collector.db_timeout.  The result, whatever its
 * status, or NULL when there is none: then the connection is dropped and
 * said, and this sweep goes on without the database's memory (rows wait
 * in the spool; the next sweep connects afresh).
 */
static PGresult *
dbq(struct collect *co, const char *sql, int nparams,
    const char *const *params, int binary)
{
	struct pgq_wait w = { co->c.collector.db_timeout_ms, &co->halt };
	char err[512], msg[640];
	PGresult *res;

	if (co->pg == NULL)
		return NULL;
	renew_settle(co);
	if (co->pg == NULL)
		return NULL;
	res = pgq_exec(co->loop, co->pg, sql, nparams, params, binary, &w,
	    err, sizeof(err));
	if (res == NULL) {
		PQfinish(co->pg);
		co->pg = NULL;
		if (!co->halt) {
			snprintf(msg, sizeof(msg), "database: %s; this sweep "
			    "goes on without it, rows wait in the spool", err);
			on_log(co, msg);
		}
	}
	return res;
}

/* A query's error, said (a NULL result was said by dbq already). */
static void
dbq_error(struct collect *co, const PGresult *res)
{
	if (res != NULL)
		on_log(co, PQresultErrorMessage(res));
}

static enum drv_step
collect_step(void *arg, struct drv_target *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct collect *co = arg;

	return sweep_step(co->sweep, t, rsp, req);
}

static int
suite_rank(int id)
{
	const struct ipmi_cipher_suite *cs = ipmi_cipher_suite(id);

	return cs != NULL ? ipmi_cipher_suite_rank(cs) : -1;
}

static void
on_done(void *arg, struct drv_target *t)
{
	struct collect *co = arg;

	size_t i = (size_t)((struct sweep_host *)t - co->hosts);
	const struct config_bmc *b = &co->c.bmcs[co->idx[i]];

	co->finished++;
	/*
	 * The cipher suite that worked is asked for directly next time (no
	 * Get Channel Cipher Suites round trip); a failure with it goes back
	 * to negotiating.  Only when the config leaves the suite to us.
	 */
	if (b->s.cipher_suite == IPMI_SUITE_AUTO) {
		struct backoff *k = &co->back[i];
		int was = co->scfg[i].cipher_suite;

		if (t->fail == DRV_OK && t->info.cipher_suite >= 0) {
			int now = t->info.cipher_suite;

			/* a renegotiation that ends weaker than before: a
			 * BMC reconfigured, a lossy network, or a forged
			 * suite list; say so, the operator decides */
			if (was == IPMI_SUITE_AUTO && k->suite_prev > 0 &&
			    suite_rank(now) < suite_rank(k->suite_prev)) {
				char m[160];

				snprintf(m, sizeof(m), "%s: cipher suite %d -> "
				    "%d: a downgrade (it is re-checked every "
				    "collector.suite_recheck)", t->name,
				    k->suite_prev, now);
				on_log(co, m);
			}
			if (was == IPMI_SUITE_AUTO) {
				k->suite_since_ms = wall_ms();
				k->suite_prev = 0;
			}
			co->scfg[i].cipher_suite = now;
		} else if (t->fail == DRV_FAIL_UNSUPPORTED ||
		    t->fail == DRV_FAIL_AUTH || t->fail == DRV_FAIL_SESSION ||
		    t->fail == DRV_FAIL_INSECURE) {
			if (was != IPMI_SUITE_AUTO)
				k->suite_prev = was;
			co->scfg[i].cipher_suite = IPMI_SUITE_AUTO;
		}
	}
	if (t->fail == DRV_FAIL_TIMEOUT || t->fail == DRV_FAIL_UNREACHABLE) {
		struct backoff *k = &co->back[i];
		uint64_t d = co->c.collector.sweep_interval_ms;

		for (unsigned n = 0; n < k->streak && d < BACKOFF_MAX_MS; n++)
			d *= 2;
		k->streak++;
		k->retry_ms = wall_ms() + (d < BACKOFF_MAX_MS ? d :
		    BACKOFF_MAX_MS);
	} else {
		co->back[i].streak = 0;
		co->back[i].retry_ms = 0;
	}
	sweep_done(co->sweep, t);
	/*
	 * Besides the size bound (the sweep's flush hook), at least once a
	 * second: a collector that dies loses at most a second of results,
	 * and its leases are only taken over for hosts it did not finish.
	 */
	if (loop_now(co->loop) - co->flushed_ms >= 1000)
		flush_rows(co);
	if (co->progress) {
		const struct sweep_stats *st = sweep_stats(co->sweep);

		fprintf(stderr, "\r\033[Kcollect: %zu/%zu hosts, %zu failed, "
		    "%zu readings, %zu events", co->finished, co->n,
		    st->failed, st->readings, st->events);
	}
}

/* A growing JSON text; on allocation failure it stays NULL. */
struct jtext {
	char	*p;
	size_t	 n, cap;
};

static void
jt_add(struct jtext *j, const char *s, size_t len)
{
	if (j->p == NULL && j->cap != 0)
		return;		/* failed before */
	if (j->n + len + 1 > j->cap) {
		size_t cap = j->cap ? j->cap : 256;
		char *p;

		while (j->n + len + 1 > cap)
			cap *= 2;
		if ((p = realloc(j->p, cap)) == NULL) {
			free(j->p);
			j->p = NULL;
			j->cap = 1;
			return;
		}
		j->p = p;
		j->cap = cap;
	}
	memcpy(j->p + j->n, s, len);
	j->n += len;
	j->p[j->n] = '\0';
}

/* s as a JSON string: quotes, backslashes and control bytes escaped;
 * bytes that are not UTF-8 become U+FFFD, so PostgreSQL never refuses
 * the fleet batch for a label a YAML file let through */
static void
jt_str(struct jtext *j, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	char esc[8];

	jt_add(j, "\"", 1);
	while (*u != '\0') {
		size_t n = 1, k;

		if (*u == '"' || *u == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*u;
			jt_add(j, esc, 2);
			u++;
			continue;
		}
		if (*u < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", *u);
			jt_add(j, esc, 6);
			u++;
			continue;
		}
		if (*u >= 0x80) {
			n = *u >= 0xf0 && *u < 0xf5 ? 4 : *u >= 0xe0 ? 3 :
			    *u >= 0xc2 && *u < 0xe0 ? 2 : 0;
			for (k = 1; k < n; k++)
				if ((u[k] & 0xc0) != 0x80)
					break;
			if (n == 0 || k < n) {
				jt_add(j, "\xef\xbf\xbd", 3);
				u++;
				continue;
			}
		}
		jt_add(j, (const char *)u, n);
		u += n;
	}
	jt_add(j, "\"", 1);
}

/* {"rack": "r12", ...}: malloc'd, or NULL when out of memory */
static char *
labels_json(const struct config_bmc *b)
{
	struct jtext j = { NULL, 0, 0 };

	jt_add(&j, "{", 1);
	for (uint16_t i = 0; i < b->nlabels; i++) {
		if (i > 0)
			jt_add(&j, ", ", 2);
		jt_str(&j, b->labels[i].key);
		jt_add(&j, ": ", 2);
		jt_str(&j, b->labels[i].value);
	}
	jt_add(&j, "}", 1);
	return j.p;
}

/* ["storage", ...]: malloc'd, or NULL when out of memory */
static char *
groups_json(const struct config *c, const struct config_bmc *b)
{
	struct jtext j = { NULL, 0, 0 };

	jt_add(&j, "[", 1);
	for (uint16_t g = 0; g < b->ngroups; g++) {
		if (g > 0)
			jt_add(&j, ", ", 2);
		jt_str(&j, c->groups[b->groups[g]].name);
	}
	jt_add(&j, "]", 1);
	return j.p;
}

/* The whole configured fleet, so the database follows the config. */
static void
emit_fleet(struct collect *co)
{
	const struct config *c = &co->c;
	char settings[256];

	for (size_t i = 0; i < c->nbmcs; i++) {
		const struct config_bmc *b = &c->bmcs[i];
		const struct config_credential *cr = config_bmc_credential(c, b);
		char *labels = labels_json(b), *groups = groups_json(c, b);

		snprintf(settings, sizeof(settings), "{\"interface\": \"%s\", "
		    "\"cipher_suite\": %d, \"privilege\": %u, "
		    "\"timeout_ms\": %u, \"retries\": %u, \"workarounds\": %u}",
		    b->s.iface == IPMI_IFACE_LAN ? "lan" : "lanplus",
		    b->s.cipher_suite, b->s.priv, b->s.timeout_ms, b->s.retries,
		    b->s.workarounds);
		rows_start(&co->rows, RT_BMC);
		rows_str(&co->rows, b->name);
		rows_str(&co->rows, b->address);
		rows_int(&co->rows, b->s.port);
		rows_str(&co->rows, labels != NULL ? labels : "{}");
		rows_str(&co->rows, cr != NULL ? cr->name : NULL);
		rows_str(&co->rows, settings);
		rows_bool(&co->rows, b->s.insecure);
		rows_str(&co->rows, groups != NULL ? groups : "[]");
		rows_bool(&co->rows, co->fleet_complete);
		(void)rows_end(&co->rows);
		free(labels);
		free(groups);
	}
}

static void
emit_run(struct collect *co, int finished)
{
	const struct sweep_stats *st = co->sweep != NULL ?
	    sweep_stats(co->sweep) : NULL;
	char host[128], summary[512];

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	rows_start(&co->rows, RT_RUN);
	rows_str(&co->rows, co->run_key);
	rows_str(&co->rows, host);
	rows_time_ms(&co->rows, co->started_ms);
	if (finished)
		rows_time_ms(&co->rows, wall_ms());
	else
		rows_null(&co->rows);
	rows_uint(&co->rows, co->n);
	rows_uint(&co->rows, finished && st ? st->ok : 0);
	rows_uint(&co->rows, finished && st ? st->failed : 0);
	if (finished && st != NULL) {
		snprintf(summary, sizeof(summary), "{\"readings\": %zu, "
		    "\"events\": %zu, \"frus\": %zu, \"sdr_walks\": %zu}",
		    st->readings, st->events, st->frus, st->sdr_walks);
		rows_str(&co->rows, summary);
	} else {
		rows_null(&co->rows);
	}
	(void)rows_end(&co->rows);
}

/*
 * What the database remembers: SEL cursors, FRU read times, SDR
 * repositories.  Blocking, once, before the sweep; a database that does
 * not answer within a few seconds costs a full re-read, nothing else.
 */
/* A text[] literal of every configured BMC's name, for a parameter. */
static char *
fleet_names(const struct collect *co)
{
	const struct config *c = &co->c;
	size_t cap = 3, n = 0;
	char *names;

	for (size_t i = 0; i < c->nbmcs; i++)
		cap += 2 * strlen(c->bmcs[i].name) + 3;
	if ((names = malloc(cap)) == NULL)
		return NULL;
	names[n++] = '{';
	for (size_t i = 0; i < c->nbmcs; i++) {
		const char *p = c->bmcs[i].name;

		if (i > 0)
			names[n++] = ',';
		names[n++] = '"';
		for (; *p; p++) {
			if (*p == '"' || *p == '\\')
				names[n++] = '\\';
			names[n++] = *p;
		}
		names[n++] = '"';
	}
	names[n++] = '}';
	names[n] = '\0';
	return names;
}

/*
 * The SDR repositories the fleet's BMCs last used and the memory lacks:
 * not the whole sdr_cache table every sweep (it holds every key any BMC
 * ever reported, a churning one's included).
 */
static void
preload_sdr(struct collect *co)
{
	const char *params[1];
	char *names, *want;
	PGresult *res;
	size_t cap = 3, n = 0;

	if ((names = fleet_names(co)) == NULL)
		return;
	params[0] = names;
	res = dbq(co, "SELECT DISTINCT p.sdr_key FROM bmc_profile "
	    "p JOIN bmc b ON b.id = p.bmc_id WHERE p.sdr_key IS NOT NULL AND "
	    "b.retired_at IS NULL AND b.name = ANY($1::text[])", 1, params, 0);
	free(names);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		dbq_error(co, res);
		PQclear(res);
		return;
	}
	for (int i = 0; i < PQntuples(res); i++)
		cap += 2 * (size_t)PQgetlength(res, i, 0) + 3;
	if ((want = malloc(cap)) == NULL) {
		PQclear(res);
		return;
	}
	want[n++] = '{';
	for (int i = 0; i < PQntuples(res); i++) {
		const char *k = PQgetvalue(res, i, 0);

		if (sweep_has_sdr(co->sweep, k))
			continue;
		if (n > 1)
			want[n++] = ',';
		want[n++] = '"';
		for (; *k; k++) {
			if (*k == '"' || *k == '\\')
				want[n++] = '\\';
			want[n++] = *k;
		}
		want[n++] = '"';
	}
	want[n++] = '}';
	want[n] = '\0';
	PQclear(res);
	if (n > 2) {
		params[0] = want;
		res = dbq(co, "SELECT key, records FROM sdr_cache "
		    "WHERE key = ANY($1::text[])", 1, params, 1);
		if (PQresultStatus(res) == PGRES_TUPLES_OK)
			for (int i = 0; i < PQntuples(res); i++)
				(void)sweep_add_sdr(co->sweep,
				    PQgetvalue(res, i, 0),
				    (const uint8_t *)PQgetvalue(res, i, 1),
				    (size_t)PQgetlength(res, i, 1));
		else
			dbq_error(co, res);
		PQclear(res);
	}
	free(want);
}

static void
preload(struct collect *co)
{
	PGresult *res;

	if (co->pg == NULL)
		return;
	res = dbq(co, "SELECT b.name, c.entries, c.add_ts, c.erase_ts, "
	    "c.last_record_id, extract(epoch FROM p.fru_checked_at) * 1000, "
	    "p.cipher_suite FROM bmc b LEFT JOIN sel_cursor c ON c.bmc_id = b.id "
	    "LEFT JOIN bmc_profile p ON p.bmc_id = b.id "
	    "WHERE b.retired_at IS NULL", 0, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		for (int i = 0; i < PQntuples(res); i++) {
			long k = config_bmc_find(&co->c, PQgetvalue(res, i, 0));
			struct sweep_host *h = NULL;

			if (k < 0)
				continue;
			for (size_t j = 0; j < co->n; j++)
				if (strcmp(co->hosts[j].t.name,
				    co->c.bmcs[k].name) == 0) {
					h = &co->hosts[j];
					break;
				}
			if (h == NULL)
				continue;
			if (!PQgetisnull(res, i, 1)) {
				h->have_cursor = 1;
				h->sel_entries = (uint16_t)strtoul(
				    PQgetvalue(res, i, 1), NULL, 10);
				h->sel_add_ts = (uint32_t)strtoul(
				    PQgetvalue(res, i, 2), NULL, 10);
				h->sel_erase_ts = (uint32_t)strtoul(
				    PQgetvalue(res, i, 3), NULL, 10);
				h->sel_last_id = (uint16_t)strtoul(
				    PQgetvalue(res, i, 4), NULL, 10);
			}
			if (!PQgetisnull(res, i, 5))
				h->fru_read_ms = (uint64_t)strtod(
				    PQgetvalue(res, i, 5), NULL);
			/* the suite that worked last time, if ours to pick */
			if (!PQgetisnull(res, i, 6) &&
			    co->c.bmcs[k].s.cipher_suite == IPMI_SUITE_AUTO)
				co->scfg[h - co->hosts].cipher_suite =
				    atoi(PQgetvalue(res, i, 6));
		}
	}
	PQclear(res);
	if (co->pg != NULL)
		preload_sdr(co);
}

/*
 * The daemon leaves a silent BMC alone for a while: the first miss costs
 * one interval, each further one doubles it (1 h at most); collect asks
 * every time.
 */
static int
host_resting(const struct collect *co, size_t i)
{
	return co->daemon && co->back[i].streak > 0 &&
	    co->back[i].retry_ms > wall_ms();
}

/* A text[] literal of the hosts' names, for a query parameter. */
static char *
names_array(const struct collect *co)
{
	size_t cap = 3, n = 0;
	int first = 1;
	char *p;

	for (size_t i = 0; i < co->n; i++)
		cap += 2 * strlen(co->hosts[i].t.name) + 3;
	if ((p = malloc(cap)) == NULL)
		return NULL;
	p[n++] = '{';
	for (size_t i = 0; i < co->n; i++) {
		const char *s = co->hosts[i].t.name;

		/* swept in this run already: its result may not be
		 * committed yet, so the database cannot tell */
		if (co->done[i])
			continue;
		if (host_resting(co, i))
			continue;
		if (!first)
			p[n++] = ',';
		first = 0;
		p[n++] = '"';
		for (; *s; s++) {
			if (*s == '"' || *s == '\\')
				p[n++] = '\\';
			p[n++] = *s;
		}
		p[n++] = '"';
	}
	p[n++] = '}';
	p[n] = '\0';
	return p;
}

/*
 * Leases: every BMC has a row in collector_lease; a collector claims a
 * chunk of the BMCs whose lease has expired and which nobody swept since
 * `since` (this run's start for collect, one interval ago for the
 * daemon), FOR UPDATE SKIP LOCKED so collectors claiming at once split
 * the fleet.  The result row's merge (collector/dbw.c) sets swept_at and
 * releases the lease in the transaction that stores the sweep.  A dead
 * collector's claims expire after collector.lease and are taken over.
 */
static int
lease_prepare(struct collect *co)
{
	PGresult *res = dbq(co, "INSERT INTO collector_lease "
	    "(bmc_id, holder, expires_at) SELECT id, '', '-infinity' "
	    "FROM bmc WHERE retired_at IS NULL ON CONFLICT DO NOTHING", 0,
	    NULL, 0);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		dbq_error(co, res);
	PQclear(res);
	return ok ? 0 : -1;
}

/* Claim up to max hosts into tv; returns how many, -1 on error. */
static long
lease_claim(struct collect *co, const char *names, uint64_t since_ms,
    size_t max, struct drv_target **tv, uint64_t *oldest_ms)
{
	char lim[32], since[64], lease[32];
	const char *params[5];
	PGresult *res;
	long n = 0;

	snprintf(lim, sizeof(lim), "%zu", max);
	snprintf(since, sizeof(since), "%.3f", (double)since_ms / 1000);
	snprintf(lease, sizeof(lease), "%" PRIu64 " milliseconds",
	    co->c.collector.lease_ms);
	params[0] = names;
	params[1] = co->run_key;
	params[2] = lim;
	params[3] = since;
	params[4] = lease;
	res = dbq(co,
	    "UPDATE collector_lease l SET holder = $2, acquired_at = now(), "
	    "expires_at = now() + $5::interval "
	    "FROM (SELECT l2.bmc_id FROM collector_lease l2 "
	    "JOIN bmc b ON b.id = l2.bmc_id "
	    "WHERE b.retired_at IS NULL AND b.name = ANY($1::text[]) "
	    "AND l2.expires_at < now() AND (l2.swept_at IS NULL OR "
	    "l2.swept_at < to_timestamp($4::double precision)) "
	    "ORDER BY l2.bmc_id LIMIT $3::integer "
	    "FOR UPDATE OF l2 SKIP LOCKED) c "
	    "WHERE l.bmc_id = c.bmc_id "
	    "RETURNING (SELECT name FROM bmc WHERE id = l.bmc_id), "
	    "(extract(epoch FROM now() - l.swept_at) * 1000)::bigint",
	    5, params, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		dbq_error(co, res);
		PQclear(res);
		return -1;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = PQgetvalue(res, i, 0);

		/* how long ago the longest-waiting one was last swept */
		if (oldest_ms != NULL && !PQgetisnull(res, i, 1)) {
			long long age = atoll(PQgetvalue(res, i, 1));

			if (age > 0 && (uint64_t)age > *oldest_ms)
				*oldest_ms = (uint64_t)age;
		}

		for (size_t j = 0; j < co->n; j++)
			if (strcmp(co->hosts[j].t.name, name) == 0) {
				if (!co->done[j]) {
					co->done[j] = 1;
					tv[n++] = &co->hosts[j].t;
				}
				break;
			}
	}
	PQclear(res);
	return n;
}

/* Per-BMC session settings, the password read once per credential. */
static int
build_sessions(struct collect *co, const size_t *idx, char (*pws)[PW_MAX],
    int *pwlen)
{
	const struct config *c = &co->c;
	char err[512];

	for (size_t i = 0; i < c->ncreds; i++)
		pwlen[i] = -2;		/* not read yet */
	for (size_t i = 0; i < co->n; i++) {
		const struct config_bmc *b = &c->bmcs[idx[i]];
		struct ipmi_session_cfg *s = &co->scfg[i];
		uint16_t ci = b->s.credential;

		if (ci >= c->ncreds) {
			fprintf(stderr, "bmcfleet: %s: no credential\n",
			    b->name);
			return -1;
		}
		if (pwlen[ci] == -2) {
			pwlen[ci] = config_password(c, c->creds[ci].name,
			    pws[ci], PW_MAX, err, sizeof(err));
			if (pwlen[ci] < 0) {
				fprintf(stderr, "bmcfleet: %s\n", err);
				return -1;
			}
		}
		s->iface = b->s.iface;
		s->cipher_suite = b->s.cipher_suite;
		s->auth_type = IPMI_AUTHTYPE_AUTO;
		s->priv = b->s.priv;
		s->flags = (b->s.insecure ? IPMI_SESS_INSECURE : 0) |
		    workaround_session_flags(b->s.workarounds);
		s->user = c->creds[ci].user;
		s->password = (const uint8_t *)pws[ci];
		s->password_len = (size_t)pwlen[ci];
		s->timeout_ms = b->s.timeout_ms;
		s->retries = b->s.retries;
		if (b->s.workarounds & WA_NO_DCMI)
			co->hosts[i].no_dcmi = 1;
		co->hosts[i].t.name = b->name;
		co->hosts[i].t.host = b->address;
		co->hosts[i].t.port = b->s.port;
		co->hosts[i].t.session = s;
	}
	return 0;
}

static unsigned
parse_what(const char *s)
{
	unsigned w = 0;
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "sensors") == 0)
			w |= SWEEP_SENSORS;
		else if (strcmp(tok, "sel") == 0)
			w |= SWEEP_SEL;
		else if (strcmp(tok, "fru") == 0)
			w |= SWEEP_FRU;
		else if (strcmp(tok, "dcmi") == 0)
			w |= SWEEP_DCMI;
		else if (strcmp(tok, "all") == 0)
			w |= SWEEP_ALL;
		else
			return 0;
	}
	return w;
}

static void
print_summary(struct collect *co, uint64_t ms, int drained)
{
	const struct sweep_stats *st = sweep_stats(co->sweep);
	const struct dbw_stats *ds = dbw_stats(co->dbw);

	fprintf(stderr, "collect: %zu hosts in %.1f s: %zu ok, %zu failed",
	    co->n, (double)ms / 1000, st->ok, st->failed);
	if (st->failed > 0) {
		const char *sep = " (";

		for (int f = 1; f <= DRV_FAIL_LAST; f++) {
			if (st->by_reason[f] == 0)
				continue;
			fprintf(stderr, "%s%zu %s", sep, st->by_reason[f],
			    drv_fail_name(f));
			sep = ", ";
		}
		fputs(")", stderr);
	}
	fprintf(stderr, "\ncollect: %zu readings, %zu SEL entries read, %zu FRU "
	    "devices, %zu SDR repositories read (%zu hosts from memory)\n",
	    st->readings, st->events, st->frus, st->sdr_walks, st->sdr_hits);
	fprintf(stderr, "collect: longest loop stall %" PRIu64 " ms\n",
	    loop_stall_take(co->loop) / 1000);
	if (drained)
		fprintf(stderr, "collect: database: %" PRIu64 " rows in %"
		    PRIu64 " batches committed\n", ds->rows, ds->batches);
	else
		fprintf(stderr, "collect: database: %s; %zu batch(es) wait in "
		    "%s for the next run\n", dbw_status(co->dbw),
		    dbw_pending(co->dbw), co->spool.dir);
}

static void
on_drain_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	loop_stop(l);
}

static void
on_poll_idle(struct loop *l, struct loop_timer *t, void *arg)
{
	struct collect *co = arg;

	/* stopping: a writer that lost the database waits no more (its
	 * rows are in the spool for the next start) */
	if (dbw_idle(co->dbw) || (co->halt && !dbw_up(co->dbw))) {
		loop_stop(l);
		return;
	}
	loop_timer_set(l, t, loop_now(l) + 20);
}

/* Run the loop until the writer has nothing left, or secs have passed. */
static int
drain(struct collect *co, unsigned secs)
{
	struct loop_timer deadline, poll;

	if (dbw_idle(co->dbw))
		return 1;
	loop_timer_init(&deadline, on_drain_timer, co);
	loop_timer_init(&poll, on_poll_idle, co);
	loop_timer_set(co->loop, &deadline, loop_now(co->loop) +
	    (uint64_t)secs * 1000);
	loop_timer_set(co->loop, &poll, loop_now(co->loop) + 20);
	(void)loop_run(co->loop);
	loop_timer_cancel(co->loop, &deadline);
	loop_timer_cancel(co->loop, &poll);
	return dbw_idle(co->dbw);
}

struct collect_opts {
	const char	*cfg_path;
	const char	*db;
	const char	*spool_dir;
	const char	*targets;
	unsigned	 what;
	unsigned	 wait_s;
	int		 quiet;
	int		 lease;
	int		 retire;	/* --retire: retire BMCs gone from the
					   config however many */
};

static void
run_key_new(struct collect *co)
{
	char host[64];

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	co->started_ms = wall_ms();
	snprintf(co->run_key, sizeof(co->run_key), "%s:%ld:%" PRIu64, host,
	    (long)getpid(), co->started_ms);
}

/* Forget the fleet: hosts, sessions, passwords, the config. */
static void
fleet_unload(struct collect *co)
{
	if (co->pws != NULL)
		for (size_t i = 0; i < co->c.ncreds; i++)
			crypto_wipe(co->pws[i], PW_MAX);
	free(co->pws);
	free(co->pwlen);
	free(co->tv);
	free(co->done);
	co->done = NULL;
	free(co->back);
	co->back = NULL;
	free(co->idx);
	for (size_t i = 0; co->hosts != NULL && i < co->n; i++)
		sweep_host_release(&co->hosts[i]);
	free(co->hosts);
	free(co->scfg);
	co->pws = NULL;
	co->pwlen = NULL;
	co->tv = NULL;
	co->idx = NULL;
	co->hosts = NULL;
	co->scfg = NULL;
	co->n = 0;
	config_release(&co->c);
}

/*
 * Load the config and build the hosts; what an earlier load knew of a
 * host (SEL cursor, FRU read time, DCMI) carries over by name.  0, 2 for
 * a configuration error (message printed), 1 for anything else.
 */
static int
fleet_load(struct collect *co, const struct collect_opts *o)
{
	struct collect old = *co;	/* the fleet loaded before, if any */
	char err[512];
	int rc = 2;

	memset(&co->c, 0, sizeof(co->c));
	co->hosts = NULL;
	co->scfg = NULL;
	co->tv = NULL;
	co->done = NULL;
	co->back = NULL;
	co->idx = NULL;
	co->pws = NULL;
	co->pwlen = NULL;
	co->n = 0;
	if (config_load(&co->c, o->cfg_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: %s\n", err);
		goto bad;
	}
	if (config_select(&co->c, o->targets, &co->idx, &co->n, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: %s\n", err);
		goto bad;
	}
	if ((co->hosts = calloc(co->n ? co->n : 1, sizeof(*co->hosts))) ==
	    NULL ||
	    (co->scfg = calloc(co->n ? co->n : 1, sizeof(*co->scfg))) == NULL ||
	    (co->tv = calloc(co->n ? co->n : 1, sizeof(*co->tv))) == NULL ||
	    (co->done = calloc(co->n ? co->n : 1, 1)) == NULL ||
	    (co->back = calloc(co->n ? co->n : 1, sizeof(*co->back))) ==
	    NULL ||
	    (co->pws = calloc(co->c.ncreds ? co->c.ncreds : 1,
	    sizeof(*co->pws))) == NULL ||
	    (co->pwlen = calloc(co->c.ncreds ? co->c.ncreds : 1,
	    sizeof(int))) == NULL) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		rc = 1;
		goto bad;
	}
	if (build_sessions(co, co->idx, co->pws, co->pwlen) != 0)
		goto bad;
	/* what the previous load learned, by name */
	for (size_t i = 0; old.hosts != NULL && i < co->n; i++)
		for (size_t j = 0; j < old.n; j++) {
			struct sweep_host *a = &co->hosts[i], *b = &old.hosts[j];

			if (strcmp(a->t.name, b->t.name) != 0)
				continue;
			a->have_cursor = b->have_cursor;
			a->sel_entries = b->sel_entries;
			a->sel_add_ts = b->sel_add_ts;
			a->sel_erase_ts = b->sel_erase_ts;
			a->sel_last_id = b->sel_last_id;
			a->fru_read_ms = b->fru_read_ms;
			a->no_dcmi |= b->no_dcmi;
			co->back[i] = old.back[j];
			if (co->c.bmcs[co->idx[i]].s.cipher_suite ==
			    IPMI_SUITE_AUTO)
				co->scfg[i].cipher_suite =
				    old.scfg[j].cipher_suite;
			break;
		}
	if (old.hosts != NULL)
		fleet_unload(&old);
	return 0;
bad:
	/* a reload that fails keeps the fleet it had */
	fleet_unload(co);
	if (old.hosts != NULL) {
		co->c = old.c;
		co->hosts = old.hosts;
		co->scfg = old.scfg;
		co->tv = old.tv;
		co->done = old.done;
		co->back = old.back;
		co->idx = old.idx;
		co->pws = old.pws;
		co->pwlen = old.pwlen;
		co->n = old.n;
	}
	return rc;
}

static void
on_stop_signal(struct loop *l, int signo, void *arg)
{
	struct collect *co = arg;

	co->stopping = signo;
	if (signo != SIGHUP)
		co->halt = 1;
	/*
	 * SIGTERM and SIGINT take effect now, not after the chunk in hand:
	 * the driver fails the sessions in flight "aborted" (each told Close
	 * Session) and returns; their leases are released and, not having
	 * been swept, they are due again for the next collector.  SIGHUP
	 * waits for the sweep to end.
	 */
	if (signo != SIGHUP)
		loop_stop(l);
}

/* Spool, loop, writer.  0, or 1 with a message. */
static int
collect_open(struct collect *co, const struct collect_opts *o)
{
	const char *spool_dir = o->spool_dir ? o->spool_dir :
	    co->c.collector.spool_dir;
	struct sweep_cfg sc;
	char err[512];

	/* owned: a reload frees the config it came from */
	free(co->db);
	co->db = o->db ? strdup(o->db) : co->c.database ? strdup(co->c.database)
	    : NULL;
	if (co->db == NULL) {
		fprintf(stderr, "bmcfleet: no database: give --db, database: "
		    "in %s, or $BMCFLEET_DB\n", o->cfg_path);
		return 2;
	}
	if (spool_open(&co->spool, spool_dir, co->c.collector.spool_max, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: %s\n", err);
		return 1;
	}
	if ((co->loop = loop_new()) == NULL) {
		fprintf(stderr, "bmcfleet: event loop: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&sc, 0, sizeof(sc));
	sc.run_key = "";
	sc.what = o->what;
	sc.fru_interval_ms = co->c.collector.fru_interval_ms;
	sc.flush_bytes = FLUSH_BYTES;
	sc.flush = flush_rows;
	sc.flush_arg = co;
	co->what = o->what;
	if ((co->sweep = sweep_new(&sc, &co->rows)) == NULL ||
	    (co->dbw = dbw_new(co->loop, co->db, &co->spool, on_log, co)) ==
	    NULL) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		return 1;
	}
	dbw_set_timeout(co->dbw, co->c.collector.db_timeout_ms);
	if (spool_count(&co->spool) > 0 && !co->quiet)
		fprintf(stderr, "bmcfleet: %zu batch(es) from an earlier run "
		    "in %s go first\n", spool_count(&co->spool), spool_dir);
	return 0;
}

static void
collect_close(struct collect *co)
{
	dbw_free(co->dbw);
	sweep_free(co->sweep);
	rows_release(&co->rows);
	if (co->spool.dir != NULL)
		spool_close(&co->spool);
	if (co->loop != NULL)
		loop_free(co->loop);
	if (co->pg != NULL)
		PQfinish(co->pg);
	if (co->db != NULL)
		crypto_wipe(co->db, strlen(co->db));	/* may hold a password */
	free(co->db);
	co->db = NULL;
	fleet_unload(co);
}

/* Drop reading partitions older than collector.retention_days. */
static void
retention(struct collect *co)
{
	const char *params[1];
	char days[16];
	PGresult *res;

	if (co->pg == NULL || co->c.collector.retention_days == 0)
		return;
	snprintf(days, sizeof(days), "%u", co->c.collector.retention_days);
	params[0] = days;
	res = dbq(co, "SELECT bmcfleet_reading_retention("
	    "$1::integer)", 1, params, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		dbq_error(co, res);
	else if (atoi(PQgetvalue(res, 0, 0)) > 0 && !co->quiet)
		fprintf(stderr, "bmcfleet: retention: dropped %s day(s) of "
		    "readings older than %s days\n", PQgetvalue(res, 0, 0),
		    days);
	PQclear(res);
	if (co->pg == NULL)
		return;
	/*
	 * SDR repositories no BMC uses any more (a firmware update, or a
	 * BMC whose timestamps move on every request), after a day: the
	 * table would otherwise grow by one row per such sweep for ever.
	 */
	res = dbq(co, "DELETE FROM sdr_cache c WHERE c.created_at < "
	    "now() - interval '1 day' AND NOT EXISTS (SELECT 1 FROM "
	    "bmc_profile p WHERE p.sdr_key = c.key)", 0, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		dbq_error(co, res);
	PQclear(res);
}

/*
 * Rows go to the writer at least once a second while a sweep runs, not
 * only as hosts finish: with every host in flight they finish together,
 * and the writer would idle through the sweep and then hold it all.
 */
static void
on_flush_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct collect *co = arg;

	if (loop_now(l) - co->flushed_ms >= 1000)
		flush_rows(co);
	loop_timer_set(l, t, loop_now(l) + 1000);
}

/*
 * Keep the leases of the chunk in hand while it runs (a chunk may take
 * longer than a lease): one small UPDATE every lease/3, sent without
 * blocking (the sessions in flight share this loop: a database that went
 * silent must not freeze them) and read back when the socket says so.
 * Leases already released by a committed result are left alone.
 */
static void
renew_read(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct collect *co = arg;
	PGresult *res;

	if (ev & LOOP_WRITE) {
		int f = PQflush(co->pg);

		if (f == -1) {
			on_log(co, PQerrorMessage(co->pg));
			goto done;
		}
		if (f == 0)
			(void)loop_mod_fd(l, fd, LOOP_READ);
	}
	if (!(ev & LOOP_READ))
		return;
	if (!PQconsumeInput(co->pg)) {
		on_log(co, PQerrorMessage(co->pg));
		goto done;
	}
	while (!PQisBusy(co->pg)) {
		if ((res = PQgetResult(co->pg)) == NULL)
			goto done;
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			on_log(co, PQresultErrorMessage(res));
		PQclear(res);
	}
	return;
done:
	loop_del_fd(l, fd);
	co->renewing = 0;
	(void)PQsetnonblocking(co->pg, 0);
}

static void
on_renew(struct loop *l, struct loop_timer *t, void *arg)
{
	struct collect *co = arg;
	const char *params[2];
	char lease[32];
	int f = 0;

	loop_timer_set(l, t, loop_now(l) + co->c.collector.lease_ms / 3);
	if (co->pg == NULL || co->renewing)
		return;		/* the last one still out: no pile-up */
	snprintf(lease, sizeof(lease), "%" PRIu64 " milliseconds",
	    co->c.collector.lease_ms);
	params[0] = co->run_key;
	params[1] = lease;
	if (PQsetnonblocking(co->pg, 1) != 0 ||
	    !PQsendQueryParams(co->pg, "UPDATE collector_lease SET "
	    "expires_at = now() + $2::interval WHERE holder = $1 "
	    "AND expires_at > now()", 2, NULL, params, NULL, NULL, 0) ||
	    (f = PQflush(co->pg)) == -1 ||
	    loop_add_fd(l, co->renew_fd = PQsocket(co->pg), LOOP_READ |
	    (f == 1 ? LOOP_WRITE : 0), renew_read, co) != 0) {
		on_log(co, PQerrorMessage(co->pg));
		(void)PQsetnonblocking(co->pg, 0);
		return;
	}
	co->renewing = 1;
}

/*
 * Before the connection's next query: a renewal still out is read back
 * (on the loop, for at most collector.db_timeout: a database that went
 * silent loses the connection, not the loop).
 */
static void
renew_settle(struct collect *co)
{
	struct pgq_wait w = { co->c.collector.db_timeout_ms, &co->halt };
	char err[512], msg[640];

	if (co->pg == NULL || !co->renewing)
		return;
	loop_del_fd(co->loop, co->renew_fd);
	co->renewing = 0;
	if (pgq_finish(co->loop, co->pg, &w, on_log, co, err,
	    sizeof(err)) != 0) {
		PQfinish(co->pg);
		co->pg = NULL;
		if (!co->halt) {
			snprintf(msg, sizeof(msg), "database: lease renewal: "
			    "%s; this sweep goes on without it", err);
			on_log(co, msg);
		}
	}
}

#define RETIRE_QUIET_MAX	3	/* retired without --retire, at most */

/*
 * BMCs the database has and the config does not: retired by the fleet
 * rows when there are a few (RETIRE_QUIET_MAX, and no more than a tenth of
 * the fleet) or --retire says so, always named on stderr; otherwise kept,
 * and said.  A `collect -c test.yaml` with three hosts must not quietly
 * retire the other thousand.  Sets co->fleet_complete.
 */
static void
retire_check(struct collect *co)
{
	const char *params[1];
	char *names;
	PGresult *res;
	long missing, total;

	co->fleet_complete = 0;
	if ((names = fleet_names(co)) == NULL)
		return;
	params[0] = names;
	res = dbq(co, "SELECT count(*) FILTER (WHERE NOT "
	    "(name = ANY($1::text[]))), count(*), string_agg(name, ', ' "
	    "ORDER BY name) FILTER (WHERE NOT (name = ANY($1::text[]))) "
	    "FROM bmc WHERE retired_at IS NULL", 1, params, 0);
	free(names);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		dbq_error(co, res);
		PQclear(res);
		return;
	}
	missing = atol(PQgetvalue(res, 0, 0));
	total = atol(PQgetvalue(res, 0, 1));
	if (missing == 0) {
		co->fleet_complete = 1;
	} else {
		const char *list = PQgetvalue(res, 0, 2);
		char msg[400];
		int many = missing > RETIRE_QUIET_MAX || missing * 10 > total;

		if (!many || co->retire) {
			co->fleet_complete = 1;
			snprintf(msg, sizeof(msg), "retiring %ld BMC(s) no longer "
			    "in the config: %.250s%s", missing, list,
			    strlen(list) > 250 ? ", ..." : "");
		} else
			snprintf(msg, sizeof(msg), "%ld of the database's %ld "
			    "BMCs are not in this config and were kept (%.200s"
			    "%s); run with --retire to retire them", missing,
			    total, list, strlen(list) > 200 ? ", ..." : "");
		on_log(co, msg);
	}
	PQclear(res);
}

/*
 * A cipher suite learned once is asked for directly (no Get Channel Cipher
 * Suites round trip), but not for ever: one learned in a bad moment (the
 * list lost, suite 3 taken) or from a forged list would stay.  Every
 * collector.suite_recheck the BMC's list is read afresh; on_done() says
 * when that ends weaker than before.
 */
static void
suite_recheck(struct collect *co)
{
	uint64_t now = wall_ms(), every = co->c.collector.suite_recheck_ms;

	for (size_t i = 0; i < co->n; i++) {
		struct backoff *k = &co->back[i];

		if (co->c.bmcs[co->idx[i]].s.cipher_suite != IPMI_SUITE_AUTO ||
		    co->scfg[i].cipher_suite == IPMI_SUITE_AUTO)
			continue;
		if (k->suite_since_ms == 0)
			k->suite_since_ms = now;	/* preloaded: from now */
		else if (now - k->suite_since_ms >= every) {
			k->suite_prev = co->scfg[i].cipher_suite;
			co->scfg[i].cipher_suite = IPMI_SUITE_AUTO;
		}
	}
}

/*
 * A database that answers but lacks bmcfleet's schema, or holds an older
 * one: refuse before any BMC is asked (every batch would wait in the spool
 * for a migration nobody knows is needed).  A database that does not
 * answer is not refused: rows wait in the spool for it.  0 or -1, said.
 */
static int
schema_check(struct collect *co)
{
	struct db_migration *m = NULL;
	char err[512];
	PGresult *res;
	size_t n = 0;
	int have = 0, want = 1;

	/* as db_schema_version, awaited on the loop */
	res = dbq(co, "SELECT to_regclass('schema_migrations') IS NOT NULL",
	    0, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		PQclear(res);
		res = dbq(co, "SELECT coalesce(max(version), 0) FROM "
		    "schema_migrations", 0, NULL, 0);
		if (PQresultStatus(res) == PGRES_TUPLES_OK &&
		    PQntuples(res) == 1)
			have = atoi(PQgetvalue(res, 0, 0));
		else
			have = -1;
	} else if (PQresultStatus(res) != PGRES_TUPLES_OK)
		have = -1;
	if (have == -1) {
		/* no answer: not refused, rows wait in the spool (said) */
		if (res != NULL)
			fprintf(stderr, "bmcfleet: database: reading the "
			    "schema version: %s", PQresultErrorMessage(res));
		PQclear(res);
		return res == NULL ? 0 : -1;
	}
	PQclear(res);
	if (db_migrations_scan(db_schema_dir(), &m, &n, err, sizeof(err)) == 0
	    && n > 0)
		want = m[n - 1].version;
	db_migrations_free(m, n);
	if (have >= want)
		return 0;
	if (have == 0)
		fprintf(stderr, "bmcfleet: the database has no bmcfleet schema: "
		    "run `bmcfleet db migrate` first (nothing was swept)\n");
	else
		fprintf(stderr, "bmcfleet: the database's schema is at version "
		    "%d, this bmcfleet needs %d: run `bmcfleet db migrate` "
		    "first (nothing was swept)\n", have, want);
	return -1;
}

/*
 * One sweep: the fleet and the run, the database's memory, the targets
 * (by lease chunks, or all), the run's end.  BMCs swept by anyone since
 * since_ms are left alone.  Returns 0, -1 on a local error (errno), or
 * -2 when the database's schema is refused (already said).
 */
static int
collect_sweep(struct collect *co, uint64_t since_ms)
{
	struct driver_cfg dc;
	char err[512];
	int lease = co->lease;

	run_key_new(co);
	co->finished = 0;
	co->swept = 0;
	co->oldest_ms = 0;
	/* a spool that refused rows last time may have room now (the writer
	 * drained it, or the operator freed space): try again each sweep,
	 * loudly again if it still refuses */
	co->spool_failed = 0;
	if (sweep_begin(co->sweep, co->run_key) != 0)
		return -1;
	if (co->pg != NULL && PQstatus(co->pg) != CONNECTION_OK) {
		PQfinish(co->pg);
		co->pg = NULL;
	}
	if (co->pg == NULL) {
		struct pgq_wait w = { co->c.collector.db_timeout_ms,
		    &co->halt };
		char ci[4096];

		/* connected on the loop: a silent server costs at most
		 * db_timeout, and SIGTERM ends the wait */
		snprintf(ci, sizeof(ci), "%s connect_timeout=3", co->db);
		if (pgq_connect(co->loop, ci, &w, &co->pg, err,
		    sizeof(err)) != 0) {
			co->pg = NULL;
			if (!co->quiet && !co->halt)
				on_log(co, "database not reachable now; "
				    "sweeping every target without its memory "
				    "or leases, rows wait in the spool");
		} else if (schema_check(co) != 0)
			return -2;
	}
	/* unknown with the database away: nobody is retired blind */
	if (co->pg != NULL)
		retire_check(co);
	else
		co->fleet_complete = 0;
	/* the fleet and the run first: every later row refers to them */
	emit_fleet(co);
	emit_run(co, 0);
	flush_rows(co);
	/* the fleet in the database before leases and memory are read */
	if (co->pg != NULL && !drain(co, 10) && !co->quiet)
		on_log(co, "the database did not take the fleet in 10 s; "
		    "sweeping every target without leases");
	if (co->pg != NULL && dbw_idle(co->dbw)) {
		preload(co);
		lease = lease && lease_prepare(co) == 0;
	} else {
		lease = 0;
	}

	suite_recheck(co);
	loop_timer_init(&co->tick, on_flush_tick, co);
	loop_timer_set(co->loop, &co->tick, loop_now(co->loop) + 1000);
	memset(&dc, 0, sizeof(dc));
	dc.fanout = co->c.collector.concurrency;
	dc.min_gap_ms = co->c.collector.min_gap_ms;
	dc.host_deadline_ms = co->c.collector.host_deadline_ms;
	dc.max_requests = co->c.collector.host_max_requests;
	dc.step = collect_step;
	dc.done = on_done;
	dc.arg = co;
	if (lease) {
		size_t chunk = 4 * (size_t)(dc.fanout ? dc.fanout : 256);
		char *names;
		long k;

		/* before the names: names_array leaves out the hosts done in
		 * this run, and the previous sweep's marks hid every BMC
		 * from every other daemon sweep */
		memset(co->done, 0, co->n);
		if ((names = names_array(co)) == NULL)
			goto fail;
		/* a daemon told to stop claims no more (SIGTERM stopped
		 * the chunk in hand too: on_stop_signal) */
		loop_timer_init(&co->renew, on_renew, co);
		while (!co->spool_failed && !co->stopping &&
		    (k = lease_claim(co, names, since_ms, chunk, co->tv,
		    &co->oldest_ms)) > 0) {
			co->swept += (size_t)k;
			loop_timer_set(co->loop, &co->renew, loop_now(co->loop) +
			    co->c.collector.lease_ms / 3);
			if (driver_run(co->loop, &dc, co->tv, (size_t)k) ==
			    -1) {
				loop_timer_cancel(co->loop, &co->renew);
				renew_settle(co);
				free(names);
				goto fail;
			}
			loop_timer_cancel(co->loop, &co->renew);
			renew_settle(co);
			free(names);
			if ((names = names_array(co)) == NULL)
				goto fail;
		}
		free(names);
		/* the database went away between chunks: the rest is swept
		 * without leases, as when it is away at the start */
		if (co->pg == NULL && !co->spool_failed && !co->stopping) {
			size_t rest = 0;

			for (size_t i = 0; i < co->n; i++)
				if (!co->done[i] && !host_resting(co, i)) {
					co->done[i] = 1;
					co->tv[rest++] = &co->hosts[i].t;
				}
			co->swept += rest;
			if (rest > 0 && driver_run(co->loop, &dc, co->tv,
			    rest) == -1)
				goto fail;
		}
	} else {
		for (size_t i = 0; i < co->n; i++)
			co->tv[i] = &co->hosts[i].t;
		co->swept = co->n;
		if (!co->spool_failed &&
		    driver_run(co->loop, &dc, co->tv, co->n) == -1)
			goto fail;
	}
	loop_timer_cancel(co->loop, &co->tick);
	if (co->progress)
		fputs("\r\033[K", stderr);
	emit_run(co, 1);
	flush_rows(co);
	retention(co);
	return 0;
fail:
	loop_timer_cancel(co->loop, &co->tick);
	return -1;
}

static int
parse_common(int ch, struct collect_opts *o, const char *prog)
{
	char *end;

	switch (ch) {
	case 'c':
		o->cfg_path = optarg;
		return 0;
	case 'D':
		o->db = optarg;
		return 0;
	case 'S':
		o->spool_dir = optarg;
		return 0;
	case 'w':
		if ((o->what = parse_what(optarg)) == 0) {
			fprintf(stderr, "%s: --what: expected a list of "
			    "sensors, sel, fru, dcmi\n", prog);
			return 2;
		}
		return 0;
	case 'W':
		errno = 0;
		o->wait_s = (unsigned)strtoul(optarg, &end, 10);
		if (errno || *end || o->wait_s > 86400) {
			fprintf(stderr, "%s: --db-wait: expected seconds, 0 "
			    "to 86400\n", prog);
			return 2;
		}
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	case 'L':
		o->lease = 0;
		return 0;
	case 'R':
		o->retire = 1;
		return 0;
	default:
		return 2;
	}
}

static const struct option common_lo[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "db", required_argument, NULL, 'D' },
	{ "spool", required_argument, NULL, 'S' },
	{ "what", required_argument, NULL, 'w' },
	{ "db-wait", required_argument, NULL, 'W' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "no-lease", no_argument, NULL, 'L' },
	{ "retire", no_argument, NULL, 'R' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
opts_defaults(struct collect_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cfg_path = getenv("BMCFLEET_CONFIG");
	if (o->cfg_path == NULL)
		o->cfg_path = "/etc/bmcfleet/bmcfleet.yaml";
	o->targets = "@all";
	o->what = SWEEP_ALL;
	o->wait_s = 30;
	o->lease = 1;
}

int
fleet_collect_main(int argc, char **argv)
{
	struct collect_opts o;
	struct collect co;
	int ch, rc, drained;
	uint64_t t0;

	opts_defaults(&o);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+c:qh", common_lo, NULL)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			return 0;
		}
		if (parse_common(ch, &o, "bmcfleet: collect") != 0) {
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		o.targets = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "bmcfleet: collect: unexpected argument '%s'\n",
		    argv[optind]);
		return 2;
	}
	memset(&co, 0, sizeof(co));
	rows_init(&co.rows);
	co.quiet = o.quiet;
	co.lease = o.lease;
	co.retire = o.retire;
	if ((rc = fleet_load(&co, &o)) != 0)
		goto out;
	if ((rc = collect_open(&co, &o)) != 0)
		goto out;
	co.progress = !co.quiet && isatty(STDERR_FILENO);
	t0 = wall_ms();
	rc = 1;
	if ((rc = collect_sweep(&co, wall_ms())) != 0) {
		if (rc == -1)
			fprintf(stderr, "bmcfleet: %s\n", strerror(errno));
		rc = 1;
		goto out;
	}
	drained = drain(&co, o.wait_s);
	if (!co.quiet)
		print_summary(&co, wall_ms() - t0, drained);
	rc = !co.spool_failed && drained &&
	    sweep_stats(co.sweep)->failed == 0 ? 0 : 1;
out:
	collect_close(&co);
	return rc;
}

/*
 * After a reload: the database the config now names (unless --db gave
 * one), and a fresh connection to it either way, so SIGHUP also recovers
 * a connection that went bad.  A spool_dir change needs a restart: the
 * writer's batches live in the one it has open.
 */
static void
db_reopen(struct collect *co, const struct collect_opts *o)
{
	const char *want = o->db ? o->db : co->c.database;
	const char *sdir = o->spool_dir ? o->spool_dir :
	    co->c.collector.spool_dir;
	char *d;

	if (want != NULL && (co->db == NULL || strcmp(want, co->db) != 0) &&
	    (d = strdup(want)) != NULL) {
		if (co->db != NULL)
			crypto_wipe(co->db, strlen(co->db));
		free(co->db);
		co->db = d;
		fprintf(stderr, "bmcfleetd: database changed: reconnecting\n");
	}
	if (co->db != NULL && dbw_set_conninfo(co->dbw, co->db) != 0)
		fprintf(stderr, "bmcfleetd: database: out of memory\n");
	dbw_set_timeout(co->dbw, co->c.collector.db_timeout_ms);
	if (co->pg != NULL) {
		PQfinish(co->pg);	/* the next sweep connects afresh */
		co->pg = NULL;
	}
	if (sdir != NULL && co->spool.dir != NULL &&
	    strcmp(sdir, co->spool.dir) != 0)
		fprintf(stderr, "bmcfleetd: spool_dir changed to %s: restart "
		    "bmcfleetd to use it (batches wait in %s)\n", sdir,
		    co->spool.dir);
}

/* Every 5 s: a scheduled plan whose time has come? */
static int
due_check(struct collect *co, const struct collect_opts *o)
{
	static uint64_t last;
	PGresult *res;
	int due;

	if (co->pg == NULL || wall_ms() - last < 5000)
		return 0;
	last = wall_ms();
	res = dbq(co, "SELECT 1 FROM power_plan WHERE state = "
	    "'scheduled' AND run_at <= now() LIMIT 1", 0, NULL, 0);
	due = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0;
	PQclear(res);
	if (!due)
		return 0;
	due = fleet_plan_run_due(o->cfg_path, co->db);
	/* the plan ran its own loop: ours served nothing on purpose */
	loop_stall_pause(co->loop);
	if (due == -2) {
		co->stopping = SIGTERM;	/* taken by the plan's loop */
		return 0;
	}
	return due;
}

static void
daemon_usage(FILE *f)
{
	fputs(
"usage: bmcfleetd [-c FILE] [--db CONNINFO] [--spool DIR] [--what LIST]\n"
"                 [--no-lease] [--retire] [-q]\n"
"\n"
"Sweep the configured BMCs into PostgreSQL every collector.sweep_interval,\n"
"sharing the fleet with other bmcfleetd processes through leases, and run\n"
"the power plans stored with `plan apply --at TIME` when their time comes.\n"
"SIGHUP reloads the configuration (a broken one is refused, the old one\n"
"kept); SIGTERM or SIGINT stops at once (sessions in flight are closed,\n"
"their BMCs left due), waits up to --db-wait seconds for the database,\n"
"and exits.  Logs go to stderr.\n"
"BMCs of the database missing from the config are retired only a few at a\n"
"time (at most 3, and at most a tenth of the fleet) unless --retire.\n", f);
}

static void
on_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct collect *co = arg;

	(void)t;
	(void)co;
	loop_stop(l);
}

int
fleet_daemon_main(int argc, char **argv)
{
	struct collect_opts o;
	struct collect co;
	struct loop_timer tick;
	int ch, rc;
	uint64_t next, n = 0, last_ms = 0, settled_ms = 0;

	opts_defaults(&o);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+c:qh", common_lo, NULL)) != -1) {
		if (ch == 'h') {
			daemon_usage(stdout);
			return 0;
		}
		if (parse_common(ch, &o, "bmcfleetd") != 0) {
			daemon_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bmcfleetd: unexpected argument '%s'\n",
		    argv[optind]);
		return 2;
	}
	memset(&co, 0, sizeof(co));
	rows_init(&co.rows);
	co.quiet = 1;		/* no progress bar; the summary is logged */
	co.daemon = 1;
	co.lease = o.lease;
	co.retire = o.retire;
	if ((rc = fleet_load(&co, &o)) != 0)
		goto out;
	if ((rc = collect_open(&co, &o)) != 0)
		goto out;
	rc = 1;
	if (loop_add_signal(co.loop, SIGTERM, on_stop_signal, &co) != 0 ||
	    loop_add_signal(co.loop, SIGINT, on_stop_signal, &co) != 0 ||
	    loop_add_signal(co.loop, SIGHUP, on_stop_signal, &co) != 0) {
		fprintf(stderr, "bmcfleetd: signals: %s\n", strerror(errno));
		goto out;
	}
	loop_timer_init(&tick, on_tick, &co);
	fprintf(stderr, "bmcfleetd: %zu BMCs from %s, a sweep every %" PRIu64
	    " s\n", co.n, o.cfg_path,
	    co.c.collector.sweep_interval_ms / 1000);
	for (;;) {
		uint64_t t0 = wall_ms(), interval =
		    co.c.collector.sweep_interval_ms, lag;
		const struct sweep_stats *st;
		char late[64] = "";

		/*
		 * A BMC is due one interval after its own last sweep, and its
		 * swept_at is when its results were committed: during or
		 * after the previous sweep, after that sweep's t0.  Claiming
		 * only those swept before t0 - interval skipped every one of
		 * them, so each BMC went two intervals between sweeps.  The
		 * time from the previous sweep's start until the writer had
		 * committed all of it is added back (at most 90% of an
		 * interval, so another collector's fresh sweeps stay
		 * untouched).
		 */
		lag = settled_ms + 200;
		if (lag > interval / 10 * 9)
			lag = interval / 10 * 9;
		if ((rc = collect_sweep(&co, t0 - interval + lag)) != 0) {
			if (rc == -1)
				fprintf(stderr, "bmcfleetd: %s\n",
				    strerror(errno));
			rc = 1;
			goto out;
		}
		st = sweep_stats(co.sweep);
		last_ms = wall_ms() - t0;
		if (co.swept > 0 && co.oldest_ms > 0)
			snprintf(late, sizeof(late), ", the latest %.1f s late",
			    co.oldest_ms > interval ?
			    (double)(co.oldest_ms - interval) / 1000 : 0.0);
		/* the stall: since the previous line, the wait included */
		fprintf(stderr, "bmcfleetd: sweep %" PRIu64 ": %zu hosts due"
		    "%s, swept in %.1f s: %zu ok, %zu failed; %zu readings, "
		    "%zu SEL entries; database: %s, %zu batch(es) pending; "
		    "longest loop stall %" PRIu64 " ms\n",
		    ++n, co.swept, late, (double)last_ms / 1000, st->ok,
		    st->failed, st->readings, st->events, dbw_status(co.dbw),
		    dbw_pending(co.dbw), loop_stall_take(co.loop) / 1000);
		/* wait for the next interval; the writer works meanwhile, and
		 * power plans whose time has come run (sweeps wait for them) */
		next = t0 + interval;
		settled_ms = 0;
		while (!co.stopping && wall_ms() < next) {
			uint64_t left = next - wall_ms(), step;

			/* when the sweep's last rows were committed: its BMCs'
			 * swept_at is no later than this */
			if (settled_ms == 0 && dbw_idle(co.dbw))
				settled_ms = wall_ms() - t0;
			if (due_check(&co, &o) > 0)
				continue;
			step = settled_ms == 0 ? 100 : 1000;
			loop_timer_set(co.loop, &tick, loop_now(co.loop) +
			    (left < step ? left : step));
			(void)loop_run(co.loop);
		}
		if (settled_ms == 0)
			settled_ms = wall_ms() - t0;
		loop_timer_cancel(co.loop, &tick);
		if (co.stopping == SIGHUP) {
			co.stopping = 0;
			if (fleet_load(&co, &o) == 0) {
				fprintf(stderr, "bmcfleetd: reloaded %s: %zu "
				    "BMCs\n", o.cfg_path, co.n);
				db_reopen(&co, &o);
			}
			else
				fprintf(stderr, "bmcfleetd: reload of %s "
				    "refused; keeping the previous fleet\n",
				    o.cfg_path);
			continue;
		}
		if (co.stopping)
			break;
	}
	fprintf(stderr, "bmcfleetd: stopping: %s\n",
	    drain(&co, o.wait_s) ? "every row written" :
	    "rows wait in the spool for the next start");
	rc = 0;
out:
	collect_close(&co);
	return rc;
}
