/*
 * collect: one sweep of the configured fleet into PostgreSQL, the engine
 * behind `bmcfleet collect` (cli/cmd_collect.c) and bmcfleetd
 * (cli/cmd_daemon.c).
 *
 *   config (cli/config.c) -> targets -> per-BMC session settings
 *   -> what the database remembers (SEL cursors, FRU read times, the
 *      shared SDR cache), when it answers; without it the sweep still runs
 *      and its rows wait in the spool
 *   -> the fleet and the run as the first batch (the config is the source
 *      of truth: BMCs no longer in it are retired)
 *   -> the driver runs collector/sweep over every target; rows go to the
 *      writer (collector/dbw) in batches as hosts finish
 *   -> the run's summary, then the wait (--db-wait) for the writer
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

#include "cli/collect.h"
#include "cli/collect_int.h"
#include "cli/config.h"
#include "cli/hostlist.h"
#include "cli/progress.h"
#include "cli/sesscfg.h"
#include "cli/workaround.h"
#include "collector/hostprof.h"
#include "collector/fleetmem.h"
#include "collector/sdrmem.h"
#include "collector/sensorids.h"
#include "store/db.h"
#include "collector/dbw.h"
#include "collector/driver.h"
#include "store/fleetstore.h"
#include "lib/gbuf.h"
#include "lib/json.h"
#include "lib/loop.h"
#include "collector/rows.h"
#include "collector/spool.h"
#include "collector/sweep.h"
#include "ipmi/crypto.h"
#include "ipmi/ipmi.h"
#include "ipmi/rmcpp.h"
#include "ipmi/session.h"


static void
on_log(void *arg, const char *line)
{
	struct collect *co = arg;

	progress_clear(&co->bar);
	fprintf(stderr, "bmcfleet: %s\n", line);
}

/* A claim of the batch being handed over (sids_claims). */
static void
emit_claim(void *arg, long long bmc_id, int ok, int64_t digest)
{
	struct rows *r = arg;

	rows_start(r, RT_CLAIM);
	rows_int(r, bmc_id);
	if (ok)
		rows_int(r, digest);
	else
		rows_null(r);
	(void)rows_end(r);
}

/* Rows to the writer: spooled now, written when the database can. */
static void
flush_rows(void *arg)
{
	struct collect *co = arg;

	co->flushed_ms = loop_now(co->loop);
	if (co->rows.total == 0)
		return;
	/* the claims of this batch's readings of repeated states, with
	 * them (a row that cannot be written only costs the lookups) */
	sids_claims(co->ids, emit_claim, &co->rows);
	if (dbw_submit(co->dbw, &co->rows, co->spool_err,
	    sizeof(co->spool_err)) != 0) {
		char m[sizeof(co->spool_err) + 128];

		/*
		 * The spool is full or failing: nothing more can be kept, so
		 * stop reading (the SEL cursors in the database did not move,
		 * nor may those in memory: below).  Each refusal says what it
		 * cost, the later ones of a sweep too (the hosts stopped in
		 * flight, the run's end): what was read and is not stored
		 * must add up to these counts (tests/integration/faults.sh).
		 */
		snprintf(m, sizeof(m), "%s%s: %zu rows refused (%zu readings, "
		    "%zu SEL entries)", co->spool_failed ? "still: " : "",
		    co->spool_err, co->rows.total, co->rows.nrows[RT_READING] +
		    co->rows.nrows[RT_READING_ID] +
		    co->rows.nrows[RT_READING_SAME], co->rows.nrows[RT_SEL]);
		on_log(co, m);
		co->spool_failed = 1;
		loop_stop(co->loop);
		/*
		 * The hosts' cursors in memory moved past what was just
		 * refused (a host's SEL cursor moves when its walk ends, not
		 * when its rows are kept): forget them all, so that the next
		 * sweep reads every SEL and FRU afresh (the merge drops what
		 * is stored already).  Else a BMC whose SEL did not change
		 * again was taken as read, and the refused events were lost
		 * for good (the fault matrix, pg-stopped, under SANITIZE=1).
		 */
		for (size_t i = 0; i < co->n; i++) {
			co->hosts[i].have_cursor = 0;
			co->hosts[i].fru_read_ms = 0;
		}
	}
	rows_reset(&co->rows);
}

void
collect_flush(struct collect *co)
{
	flush_rows(co);
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
				/* negotiated: direct mode need not (hostprof.h) */
				hostprof_learned(t->host, t->port, &t->info,
				    co->scfg[i].flags, co->hosts[i].have_guid ?
				    co->hosts[i].guid : NULL);
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
	/* named in the summary */
	if (t->fail != DRV_OK && co->failv != NULL && co->nfail < co->n)
		co->failv[co->nfail++] = i;
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
}

/* "collect: 12/30 hosts, 1 failed, 8 in flight, 480 readings, 3 events",
 * redrawn by the timer */
static void
progress_text(void *arg, char *buf, size_t len)
{
	const struct collect *co = arg;
	const struct sweep_stats *st = sweep_stats(co->sweep);
	size_t busy = 0;

	for (size_t i = 0; i < co->n; i++)
		busy += (size_t)progress_in_flight(&co->hosts[i].t);
	snprintf(buf, len, "collect: %zu/%zu hosts, %zu failed, %zu in flight, "
	    "%zu readings, %zu events", co->finished, co->n, st->failed, busy,
	    st->readings, st->events);
}

/* The text a writer made: malloc'd, or NULL when out of memory. */
static char *
json_take(struct json *j)
{
	if (json_failed(j)) {
		gbuf_release(j->b);
		return NULL;
	}
	return gbuf_detach(j->b, NULL);
}

/*
 * {"rack": "r12", ...} and ["storage", ...]: every string escaped by
 * lib/json (bytes that are not UTF-8 become U+FFFD), so PostgreSQL never
 * refuses the fleet batch for a label a YAML file let through.
 */
static char *
labels_json(const struct config_bmc *b)
{
	struct gbuf g = GBUF_INIT;
	struct json j;

	json_init(&j, &g, JSON_SPACED);
	json_obj(&j);
	for (uint16_t i = 0; i < b->nlabels; i++)
		json_key_str(&j, b->labels[i].key, b->labels[i].value);
	json_end(&j);
	return json_take(&j);
}

static char *
groups_json(const struct config *c, const struct config_bmc *b)
{
	struct gbuf g = GBUF_INIT;
	struct json j;

	json_init(&j, &g, JSON_SPACED);
	json_arr(&j);
	for (uint16_t k = 0; k < b->ngroups; k++)
		json_str(&j, c->groups[b->groups[k]].name);
	json_end(&j);
	return json_take(&j);
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
	char host[128], summary[1024];

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
		size_t k;

		/* the failures by reason too: each host's own is its
		 * collection_result row */
		k = (size_t)snprintf(summary, sizeof(summary), "{\"readings\": "
		    "%zu, \"events\": %zu, \"frus\": %zu, \"sdr_walks\": "
		    "%zu, \"sdr_conflicts\": %zu, \"by_reason\": {",
		    st->readings, st->events, st->frus, st->sdr_walks,
		    st->sdr_conflicts);
		for (int f = 1, first = 1; f <= DRV_FAIL_LAST &&
		    k < sizeof(summary); f++) {
			if (st->by_reason[f] == 0)
				continue;
			k += (size_t)snprintf(summary + k, sizeof(summary) - k,
			    "%s\"%s\": %zu", first ? "" : ", ",
			    drv_fail_name(f), st->by_reason[f]);
			first = 0;
		}
		if (k < sizeof(summary))
			snprintf(summary + k, sizeof(summary) - k, "}}");
		rows_str(&co->rows, summary);
	} else {
		rows_null(&co->rows);
	}
	(void)rows_end(&co->rows);
}

static const char *
config_name_at(void *arg, size_t i)
{
	return ((const struct config *)arg)->bmcs[i].name;
}

/* A text[] literal of every configured BMC's name, for a parameter. */
static char *
fleet_names(const struct collect *co)
{
	return fs_text_array(co->c.nbmcs, config_name_at, (void *)&co->c);
}

static struct sweep_host *
host_named(struct collect *co, const char *name)
{
	long k = config_bmc_find(&co->c, name);

	return k < 0 || co->host_of[k] < 0 ? NULL :
	    &co->hosts[co->host_of[k]];
}

/* ipmi_guid_format's text back to wire order: 0, or -1. */
static int
guid_parse(const char *s, uint8_t g[16])
{
	int k = 15;

	for (; *s != '\0' && k >= 0; s++) {
		unsigned v;

		if (*s == '-')
			continue;
		if (sscanf(s, "%2x", &v) != 1 || s[1] == '\0')
			return -1;
		g[k--] = (uint8_t)v;
		s++;
	}
	return k == -1 && *s == '\0' ? 0 : -1;
}

static void
remember(void *arg, const struct fs_memory *m)
{
	struct collect *co = arg;
	struct sweep_host *h;
	long k;

	if ((h = host_named(co, m->name)) == NULL)
		return;
	k = (long)co->idx[h - co->hosts];
	if (m->have_cursor) {
		h->have_cursor = 1;
		h->sel_entries = m->sel_entries;
		h->sel_add_ts = m->sel_add_ts;
		h->sel_erase_ts = m->sel_erase_ts;
		h->sel_last_id = m->sel_last_id;
	}
	if (m->have_fru)
		h->fru_read_ms = m->fru_checked_ms;
	if (m->guid != NULL && guid_parse(m->guid, h->guid) == 0)
		h->have_guid = 1;
	/* the suite that worked last time, if ours to pick */
	if (m->suite >= 0 && co->c.bmcs[k].s.cipher_suite == IPMI_SUITE_AUTO)
		co->scfg[h - co->hosts].cipher_suite = m->suite;
	/* the repository it used, should its key hold several whose first
	 * records are alike (sweep.h) */
	if (m->sdr_key != NULL && h->sdr_used == 0)
		h->sdr_used = sdrmem_key_id(m->sdr_key);
}

static int
sdr_held(void *arg, const char *key)
{
	return sweep_has_sdr(((struct collect *)arg)->sweep, key);
}

static void
sdr_loaded(void *arg, const char *key, const uint8_t *recs, size_t len)
{
	(void)sweep_add_sdr(((struct collect *)arg)->sweep, key, recs, len);
}

struct known {
	struct collect	*co;
	int		 first;		/* the first load: states and digests
					   of one snapshot */
};

static void
sensor_known(void *arg, const struct fs_sensor *se)
{
	const struct known *kn = arg;
	struct collect *co = kn->co;
	uint64_t key = sids_key(se->bmc, se->owner, se->number, se->name);

	/* ENOMEM: the sensor stays unknown, its readings go by name */
	if (sids_put(co->ids, key, sids_meta(se->record_id, se->type,
	    se->kind, se->units, se->thresholds), se->id, se->bmc_id) != 0)
		return;
	(void)sids_learn_state(co->ids, key, se->state, se->has_states,
	    se->states);
	/* later loads bring new sensors only: their BMCs' digests stay
	 * what this process made of them (a claim that fails, if the new
	 * ones hold states, and the writer's resync put it right) */
	if (kn->first)
		sids_learn_digest(co->ids, se->bmc_id, se->digest);
}

/* A committed batch's answer for a BMC whose claim failed. */
static void
on_resync(void *arg, const struct dbw_resync *r)
{
	struct collect *co = arg;

	(void)sids_learn_state(co->ids, sids_key(r->bmc, r->owner, r->number,
	    r->name), r->state, r->has_states, r->states);
	sids_learn_digest(co->ids, r->bmc_id, r->digest);
}


/*
 * The sensors created since the last load (the last run's merge), of
 * every BMC of the configuration: one query (store/fleetstore.c reads it
 * through a cursor, a few thousand rows at a time).
 */
static void
preload_sensor_ids(struct collect *co)
{
	struct known kn = { co, sids_max_id(co->ids) == 0 };
	char *names;

	if (co->c.nbmcs == 0 || (names = fs_text_array(co->c.nbmcs,
	    config_name_at, (void *)&co->c)) == NULL)
		return;
	(void)fs_sensor_ids(&co->fs, names, sids_max_id(co->ids),
	    sensor_known, &kn);
	free(names);
}

/*
 * What the database remembers: SEL cursors, the sensors' IDs, FRU read times, cipher
 * suites, the SDR repositories the fleet's BMCs last used.  Once, before
 * the sweep; a database that does not answer costs a full re-read,
 * nothing else.
 */
static void
preload(struct collect *co)
{
	char *names;

	if (fs_memory(&co->fs, remember, co) == FS_GONE)
		return;
	if ((names = fleet_names(co)) == NULL)
		return;
	(void)fs_sdr_load(&co->fs, names, sdr_held, sdr_loaded, co);
	free(names);
	preload_sensor_ids(co);
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

static const char *
due_name_at(void *arg, size_t i)
{
	const struct collect *co = arg;

	/* swept in this run already: its result may not be committed yet,
	 * so the database cannot tell */
	if ((co->done[i] & DONE_RUN) || host_resting(co, i))
		return NULL;
	return co->hosts[i].t.name;
}

/* A text[] literal of the hosts' names still due, for a parameter. */
static char *
names_array(const struct collect *co)
{
	return fs_text_array(co->n, due_name_at, (void *)co);
}

struct claim {
	struct collect	*co;
	struct drv_target **tv;
	long		 n;
	uint64_t	*oldest_ms;
};

static void
claimed(void *arg, const char *name, long long age_ms)
{
	struct claim *cl = arg;
	struct sweep_host *h;

	/* how long ago the longest-waiting one was last swept */
	if (cl->oldest_ms != NULL && age_ms > 0 &&
	    (uint64_t)age_ms > *cl->oldest_ms)
		*cl->oldest_ms = (uint64_t)age_ms;
	if ((h = host_named(cl->co, name)) != NULL &&
	    !(cl->co->done[h - cl->co->hosts] & DONE_RUN)) {
		cl->co->done[h - cl->co->hosts] |= DONE_RUN | DONE_MINE;
		cl->co->mine_any = 1;
		cl->tv[cl->n++] = &h->t;
	}
}

/* Claim up to max hosts into tv (fleetstore.h); how many, or < 0. */
static long
lease_claim(struct collect *co, const char *names, uint64_t since_ms,
    size_t max, struct drv_target **tv, uint64_t *oldest_ms)
{
	struct claim cl = { co, tv, 0, oldest_ms };
	long rc;

	rc = fs_lease_claim(&co->fs, names, co->run_key, max, since_ms,
	    co->c.collector.lease_ms, claimed, &cl);
	return rc < 0 ? rc : cl.n;
}

/* Per-BMC session settings, the password read once per credential. */
static int
build_sessions(struct collect *co)
{
	const struct config *c = &co->c;
	char err[512];

	for (size_t i = 0; i < co->n; i++) {
		const struct config_bmc *b = &c->bmcs[co->idx[i]];

		if (sesscfg_fill(c, b, &co->creds, &co->scfg[i], err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "bmcfleet: %s\n", err);
			return -1;
		}
		if (b->s.workarounds & WA_NO_DCMI)
			co->hosts[i].no_dcmi = 1;
		co->hosts[i].t.name = b->name;
		co->hosts[i].t.host = b->address;
		co->hosts[i].t.port = b->s.port;
		co->hosts[i].t.session = &co->scfg[i];
	}
	return 0;
}

static int
fail_cmp(const void *a, const void *b, void *arg)
{
	const struct collect *co = arg;

	return hostlist_cmp(co->hosts[*(const size_t *)a].t.name,
	    co->hosts[*(const size_t *)b].t.name);
}

/* The run's summary as one JSON object on stdout (collect --format json). */
static void
summary_json(struct collect *co, uint64_t ms, int drained)
{
	const struct sweep_stats *st = sweep_stats(co->sweep);
	const struct dbw_stats *ds = dbw_stats(co->dbw);
	struct gbuf g = GBUF_INIT;
	struct json j;
	char secs[32];
	char *text;

	json_init(&j, &g, JSON_SPACED);
	json_obj(&j);
	json_key_str(&j, "run", co->run_key);
	json_key_u64(&j, "hosts", co->n);
	json_key_u64(&j, "swept", co->swept);
	json_key_u64(&j, "ok", st->ok);
	json_key_u64(&j, "failed", st->failed);
	snprintf(secs, sizeof(secs), "%.1f", (double)ms / 1000);
	json_key(&j, "seconds");
	json_raw(&j, secs);
	json_key(&j, "by_reason");
	json_obj(&j);
	for (int f = 1; f <= DRV_FAIL_LAST; f++)
		if (st->by_reason[f] > 0)
			json_key_u64(&j, drv_fail_name(f), st->by_reason[f]);
	json_end(&j);
	json_key(&j, "failures");
	json_arr(&j);
	for (size_t k = 0; k < co->nfail; k++) {
		const struct drv_target *t = &co->hosts[co->failv[k]].t;

		json_obj(&j);
		json_key_str(&j, "host", t->name);
		json_key_str(&j, "address", t->host);
		json_key_str(&j, "reason", drv_fail_name(t->fail));
		json_key_str(&j, "error", t->errmsg);
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "not_swept");
	if (co->swept < co->n) {
		char why[512];

		(void)sweep_idle_reason(&co->idle, why, sizeof(why));
		json_str(&j, why);
	} else
		json_null(&j);
	json_key_u64(&j, "readings", st->readings);
	json_key_u64(&j, "sel_entries", st->events);
	json_key_u64(&j, "fru_devices", st->frus);
	json_key_u64(&j, "sdr_reads", st->sdr_walks);
	json_key(&j, "database");
	json_obj(&j);
	json_key_bool(&j, "committed", drained);
	json_key_str(&j, "status", dbw_status(co->dbw));
	json_key_u64(&j, "rows", ds->rows);
	json_key_u64(&j, "batches", ds->batches);
	json_key_u64(&j, "pending", dbw_pending(co->dbw));
	json_key_u64(&j, "from_spool", ds->loaded);
	json_key_u64(&j, "already_stored", ds->replayed);
	json_key_str(&j, "spool", co->spool.dir);
	json_end(&j);
	json_end(&j);
	if ((text = json_take(&j)) == NULL) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		return;
	}
	printf("%s\n", text);
	fflush(stdout);
	free(text);
}

void
collect_summary(struct collect *co, uint64_t ms, int drained)
{
	const struct sweep_stats *st = sweep_stats(co->sweep);
	const struct dbw_stats *ds = dbw_stats(co->dbw);

	/* failed hosts in natural order (.2 before .10), as every list */
	if (co->nfail > 1)
		qsort_r(co->failv, co->nfail, sizeof(*co->failv), fail_cmp, co);
	if (co->json) {
		summary_json(co, ms, drained);
		return;
	}
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
	fputc('\n', stderr);
	for (size_t k = 0; k < co->nfail && k < COLLECT_NAMED; k++) {
		const struct drv_target *t = &co->hosts[co->failv[k]].t;

		fprintf(stderr, "collect: failed %s: %s%s%s\n", t->name,
		    drv_fail_name(t->fail), t->errmsg[0] ? ": " : "",
		    t->errmsg);
	}
	if (co->nfail > COLLECT_NAMED)
		fprintf(stderr, "collect: ... and %zu more (all of them: "
		    "--format json, or `bmcfleet status`)\n",
		    co->nfail - COLLECT_NAMED);
	if (co->swept < co->n) {
		char why[512];

		(void)sweep_idle_reason(&co->idle, why, sizeof(why));
		fprintf(stderr, "collect: %zu of %zu hosts not swept: %s\n",
		    co->n - co->swept, co->n, why);
	}
	fprintf(stderr, "collect: %zu readings, %zu SEL entries read, %zu FRU "
	    "devices, %zu SDR repositories read (%zu hosts from memory)\n",
	    st->readings, st->events, st->frus, st->sdr_walks, st->sdr_hits);
	fprintf(stderr, "collect: longest loop stall %" PRIu64 " ms\n",
	    loop_stall_take(co->loop) / 1000);
	if (st->sdr_conflicts > 0)
		fprintf(stderr, "collect: %zu host(s) reported an SDR key the "
		    "memory holds for another repository: each read its own\n",
		    st->sdr_conflicts);
	if (st->sdr_waits > 0)
		fprintf(stderr, "collect: %zu host(s) waited for another "
		    "host's walk of their SDR repository\n", st->sdr_waits);
	if (ds->loaded > 0 || ds->replayed > 0)
		fprintf(stderr, "collect: database: %" PRIu64 " batch(es) read "
		    "back from the spool (an earlier run's, or past the memory's "
		    "bound); %" PRIu64 " found stored already, not written "
		    "again\n", ds->loaded, ds->replayed);
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

/*
 * While a sweep runs, the writer is kept busy: once it has nothing left
 * (told by the writer, or seen by the tick), the rows read since the
 * last flush go to it when they are FLUSH_EARLY_BYTES, not only at
 * FLUSH_BYTES or after a second.  Else it idles through the first part
 * of a sweep whose hosts all read at once, and the database's work
 * (several microseconds a reading) is left for after the last host:
 * the drain.  A flush between a host's readings is fine (the tick's
 * always was): each row stands alone.
 */
static void
flush_early(void *arg)
{
	struct collect *co = arg;

	if (co->sweeping && rows_bytes(&co->rows) >= FLUSH_EARLY_BYTES &&
	    dbw_idle(co->dbw))
		flush_rows(co);
}

/* The writer has nothing left: the drain ends now, not at its next poll. */
static void
on_writer_idle(void *arg)
{
	struct collect *co = arg;

	loop_stop(co->loop);
}

static void
on_poll_idle(struct loop *l, struct loop_timer *t, void *arg)
{
	struct collect *co = arg;

	if (dbw_idle(co->dbw)) {
		loop_stop(l);
		return;
	}
	/*
	 * Stopping: the writer is waited for while it commits; one that
	 * lost the database, or has committed nothing for STOP_STALL_MS
	 * (a silent one), is not: its rows are in the spool for the next
	 * start, and SIGTERM must not hang on a partition.
	 */
	if (co->halt) {
		uint64_t b = dbw_stats(co->dbw)->batches;

		if (b != co->drain_batches) {
			co->drain_batches = b;
			co->drain_moved_ms = loop_now(l);
		}
		if (!dbw_up(co->dbw) ||
		    loop_now(l) - co->drain_moved_ms >= STOP_STALL_MS) {
			loop_stop(l);
			return;
		}
	}
	loop_timer_set(l, t, loop_now(l) + 20);
}

/* Run the loop until the writer has nothing left, or secs have passed. */
int
collect_drain(struct collect *co, uint64_t ms)
{
	struct loop_timer deadline, poll;

	if (dbw_idle(co->dbw))
		return 1;
	co->drain_batches = dbw_stats(co->dbw)->batches;
	co->drain_moved_ms = loop_now(co->loop);
	loop_timer_init(&deadline, on_drain_timer, co);
	loop_timer_init(&poll, on_poll_idle, co);
	loop_timer_set(co->loop, &deadline, loop_now(co->loop) + ms);
	loop_timer_set(co->loop, &poll, loop_now(co->loop) + 20);
	dbw_on_idle(co->dbw, on_writer_idle, co);
	(void)loop_run(co->loop);
	dbw_on_idle(co->dbw, NULL, NULL);
	loop_timer_cancel(co->loop, &deadline);
	loop_timer_cancel(co->loop, &poll);
	return dbw_idle(co->dbw);
}


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
	sesscfg_release(&co->creds);
	free(co->tv);
	free(co->done);
	co->done = NULL;
	free(co->back);
	co->back = NULL;
	free(co->idx);
	free(co->host_of);
	co->host_of = NULL;
	for (size_t i = 0; co->hosts != NULL && i < co->n; i++)
		sweep_host_release(&co->hosts[i]);
	free(co->hosts);
	free(co->scfg);
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
int
collect_fleet_load(struct collect *co, const struct collect_opts *o)
{
	struct collect old = *co;	/* the fleet loaded before, if any */
	char err[CONFIG_ERR_MAX];
	int rc = 2;

	memset(&co->c, 0, sizeof(co->c));
	co->hosts = NULL;
	co->scfg = NULL;
	co->tv = NULL;
	co->done = NULL;
	co->back = NULL;
	co->idx = NULL;
	co->host_of = NULL;
	memset(&co->creds, 0, sizeof(co->creds));
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
	    sesscfg_init(&co->creds, &co->c) != 0 ||
	    (co->host_of = malloc((co->c.nbmcs ? co->c.nbmcs : 1) *
	    sizeof(*co->host_of))) == NULL) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		rc = 1;
		goto bad;
	}
	/* names to hosts in O(1): the database answers by name, 10,000 at
	 * a time */
	for (size_t k = 0; k < co->c.nbmcs; k++)
		co->host_of[k] = -1;
	for (size_t i = 0; i < co->n; i++)
		co->host_of[co->idx[i]] = (long)i;
	if (build_sessions(co) != 0)
		goto bad;
	/* what the previous load learned, by name */
	for (size_t i = 0; old.hosts != NULL && i < co->n; i++) {
		struct sweep_host *a = &co->hosts[i], *b;
		long k = config_bmc_find(&old.c, a->t.name), j;

		if (k < 0 || (j = old.host_of[k]) < 0)
			continue;
		b = &old.hosts[j];
		a->have_cursor = b->have_cursor;
		a->sel_entries = b->sel_entries;
		a->sel_add_ts = b->sel_add_ts;
		a->sel_erase_ts = b->sel_erase_ts;
		a->sel_last_id = b->sel_last_id;
		a->fru_read_ms = b->fru_read_ms;
		a->no_dcmi |= b->no_dcmi;
		memcpy(a->guid, b->guid, sizeof(a->guid));
		a->have_guid = b->have_guid;
		co->back[i] = old.back[j];
		if (co->c.bmcs[co->idx[i]].s.cipher_suite == IPMI_SUITE_AUTO)
			co->scfg[i].cipher_suite = old.scfg[j].cipher_suite;
	}
	co->mine_any = 0;	/* a new done[]: nothing swept yet */
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
		co->host_of = old.host_of;
		co->creds = old.creds;
		co->n = old.n;
	}
	return rc;
}

void
collect_on_signal(struct loop *l, int signo, void *arg)
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
int
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
	fs_init(&co->fs, co->loop, co->c.collector.db_timeout_ms, &co->halt,
	    on_log, co);
	signal(SIGPIPE, SIG_IGN);
	memset(&sc, 0, sizeof(sc));
	sc.run_key = "";
	sc.what = o->what;
	sc.fru_interval_ms = co->c.collector.fru_interval_ms;
	sc.flush_bytes = FLUSH_BYTES;
	sc.flush = flush_rows;
	sc.flush_arg = co;
	co->what = o->what;
	/* bmcfleetd keeps each BMC's latest sweep for /metrics */
	if (co->daemon && co->mem == NULL &&
	    (co->mem = fleetmem_new()) == NULL) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		return 1;
	}
	sc.mem = co->mem;
	if (co->ids == NULL && (co->ids = sids_new()) == NULL) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		return 1;
	}
	sc.ids = co->ids;
	if ((co->sweep = sweep_new(&sc, &co->rows)) == NULL ||
	    (co->dbw = dbw_new(co->loop, co->db, &co->spool, on_log, co)) ==
	    NULL) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		return 1;
	}
	dbw_set_timeout(co->dbw, co->c.collector.db_timeout_ms);
	dbw_on_resync(co->dbw, on_resync, co);
	if (spool_count(&co->spool) > 0 && !co->quiet)
		fprintf(stderr, "bmcfleet: %zu batch(es) from an earlier run "
		    "in %s go first\n", spool_count(&co->spool), spool_dir);
	return 0;
}

void
collect_close(struct collect *co)
{
	dbw_free(co->dbw);
	sweep_free(co->sweep);
	sids_free(co->ids);
	co->ids = NULL;
	fleetmem_free(co->mem);
	co->mem = NULL;
	rows_release(&co->rows);
	if (co->spool.dir != NULL)
		spool_close(&co->spool);
	if (co->loop != NULL)
		loop_free(co->loop);
	fs_close(&co->fs);
	if (co->db != NULL)
		crypto_wipe(co->db, strlen(co->db));	/* may hold a password */
	free(co->db);
	co->db = NULL;
	free(co->failv);
	co->failv = NULL;
	co->nfail = 0;
	fleet_unload(co);
}

/* Drop reading partitions older than collector.retention_days. */
static void
retention(struct collect *co)
{
	int dropped;

	if (co->c.collector.retention_days == 0)
		return;
	if (fs_retention(&co->fs, co->c.collector.retention_days, &dropped) ==
	    FS_OK && dropped > 0 && !co->quiet)
		fprintf(stderr, "bmcfleet: retention: dropped %d day(s) of "
		    "readings older than %u days\n", dropped,
		    co->c.collector.retention_days);
}

/*
 * Rows go to the writer at least once a second while a sweep runs, not
 * only as hosts finish: with every host in flight they finish together,
 * and the writer would idle through the sweep and then hold it all.
 * Every FLUSH_TICK_MS an idle writer gets what there is (flush_early).
 */
static void
on_flush_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct collect *co = arg;

	if (loop_now(l) - co->flushed_ms >= 1000)
		flush_rows(co);
	else
		flush_early(co);
	loop_timer_set(l, t, loop_now(l) + FLUSH_TICK_MS);
}

/*
 * Keep the leases of the chunk in hand while it runs (a chunk may take
 * longer than a lease): one small UPDATE every lease/3, sent without
 * blocking and read back when the socket says so (fs_renew).
 */
static void
on_renew(struct loop *l, struct loop_timer *t, void *arg)
{
	struct collect *co = arg;

	loop_timer_set(l, t, loop_now(l) + co->c.collector.lease_ms / 3);
	fs_renew(&co->fs, co->run_key, co->c.collector.lease_ms);
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
	char *names, list[260];
	long missing, total;
	int rc;

	co->fleet_complete = 0;
	if ((names = fleet_names(co)) == NULL)
		return;
	rc = fs_missing(&co->fs, names, &missing, &total, list, sizeof(list));
	free(names);
	if (rc != FS_OK)
		return;
	if (missing == 0) {
		co->fleet_complete = 1;
	} else {
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
	size_t n = 0;
	int have, want = 1, rc;

	/* no answer: not refused, rows wait in the spool (said); an error
	 * answered: refused (said) */
	if ((rc = fs_schema_version(&co->fs, &have)) != FS_OK)
		return rc == FS_GONE ? 0 : -1;
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
 * The hosts a sweep did not claim (all of them when it claimed nothing):
 * what the config, the back-off and the leases say of them, for the
 * daemon's log and collect's summary (cli/sweepwhy.c words it).
 */
static void
idle_why(struct collect *co, uint64_t since_ms)
{
	struct sweep_idle *w = &co->idle;
	uint64_t now = wall_ms();
	struct fs_idle fi;
	char *names;

	memset(w, 0, sizeof(*w));
	w->hosts = co->n - co->swept;
	w->stopping = co->stopping != 0 && co->stopping != SIGHUP;
	w->spool_failed = co->spool_failed;
	for (size_t i = 0; i < co->n; i++)
		if (host_resting(co, i)) {
			uint64_t in = co->back[i].retry_ms - now;

			if (w->resting++ == 0 || in < w->retry_ms)
				w->retry_ms = in;
		}
	w->db_away = co->fs.pg == NULL;
	if (co->n == 0 || co->fs.pg == NULL || !co->lease ||
	    (names = names_array(co)) == NULL)
		return;
	if (fs_lease_idle(&co->fs, names, co->run_key, since_ms, &fi) ==
	    FS_OK) {
		w->known = 1;
		w->not_due = fi.not_due;
		w->next_ms = fi.next_ms;
		w->leased = fi.leased;
		w->missing = fi.missing;
		snprintf(w->holder, sizeof(w->holder), "%s", fi.holder);
	}
	free(names);
}

/*
 * One sweep: the fleet and the run, the database's memory, the targets
 * (by lease chunks, or all), the run's end.  BMCs swept by anyone since
 * since_ms are left alone.  Returns 0, -1 on a local error (errno), or
 * -2 when the database's schema is refused (already said).
 */
int
collect_sweep(struct collect *co, uint64_t since_ms)
{
	struct driver_cfg dc;
	char err[512];
	int lease = co->lease;

	run_key_new(co);
	co->finished = 0;
	co->swept = 0;
	co->oldest_ms = 0;
	co->nfail = 0;
	memset(&co->idle, 0, sizeof(co->idle));
	free(co->failv);
	if ((co->failv = calloc(co->n ? co->n : 1, sizeof(*co->failv))) ==
	    NULL)
		return -1;
	/* a spool that refused rows last time may have room now (the writer
	 * drained it, or the operator freed space): try again each sweep,
	 * loudly again if it still refuses */
	co->spool_failed = 0;
	if (sweep_begin(co->sweep, co->run_key) != 0)
		return -1;
	if (!fs_up(&co->fs)) {
		char ci[4096];

		/* connected on the loop: a silent server costs at most
		 * db_timeout, and SIGTERM ends the wait */
		co->fs.wait.timeout_ms = co->c.collector.db_timeout_ms;
		snprintf(ci, sizeof(ci), "%s connect_timeout=3", co->db);
		if (fs_connect(&co->fs, ci, err, sizeof(err)) != FS_OK) {
			if (!co->quiet && !co->halt)
				on_log(co, "database not reachable now; "
				    "sweeping every target without its memory "
				    "or leases, rows wait in the spool");
		} else if (schema_check(co) != 0)
			return -2;
	}
	/* unknown with the database away: nobody is retired blind */
	if (co->fs.pg != NULL)
		retire_check(co);
	else
		co->fleet_complete = 0;
	/* the fleet and the run first: every later row refers to them */
	emit_fleet(co);
	emit_run(co, 0);
	flush_rows(co);
	/*
	 * The database's memory is read while the writer stores the fleet:
	 * two connections, two server processes, and the loop serves the
	 * writer while the preload's answers are awaited.  A BMC the fleet
	 * batch adds (or brings back from retirement) has no memory to
	 * read yet anyway; leases, which need every BMC's row, wait for it.
	 */
	if (co->fs.pg != NULL)
		preload(co);
	if (co->fs.pg != NULL && !collect_drain(co, 10000) && !co->quiet)
		on_log(co, "the database did not take the fleet in 10 s; "
		    "sweeping every target without leases");
	if (co->fs.pg != NULL && dbw_idle(co->dbw))
		lease = lease && fs_lease_prepare(&co->fs) == FS_OK;
	else
		lease = 0;

	suite_recheck(co);
	co->sweeping = 1;
	dbw_on_idle(co->dbw, flush_early, co);
	loop_timer_init(&co->tick, on_flush_tick, co);
	loop_timer_set(co->loop, &co->tick, loop_now(co->loop) +
	    FLUSH_TICK_MS);
	if (co->progress)
		(void)progress_start(&co->bar, co->loop, stderr, progress_text,
		    co);
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
		for (size_t i = 0; i < co->n; i++)
			co->done[i] &= (uint8_t)~DONE_RUN;
		if ((names = names_array(co)) == NULL)
			goto fail;
		/* a daemon told to stop claims no more (SIGTERM stopped
		 * the chunk in hand too: collect_on_signal) */
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
				fs_renew_settle(&co->fs);
				free(names);
				goto fail;
			}
			loop_timer_cancel(co->loop, &co->renew);
			fs_renew_settle(&co->fs);
			free(names);
			if ((names = names_array(co)) == NULL)
				goto fail;
		}
		free(names);
		/* the database went away between chunks: the rest is swept
		 * without leases, as when it is away at the start */
		if (co->fs.pg == NULL && !co->spool_failed && !co->stopping) {
			size_t rest = 0;

			for (size_t i = 0; i < co->n; i++)
				if (!(co->done[i] & DONE_RUN) &&
				    !host_resting(co, i)) {
					co->done[i] |= DONE_RUN | DONE_MINE;
					co->mine_any = 1;
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
	co->sweeping = 0;
	dbw_on_idle(co->dbw, NULL, NULL);
	progress_stop(&co->bar);
	if (co->swept < co->n || co->n == 0)
		idle_why(co, since_ms);
	emit_run(co, 1);
	flush_rows(co);
	retention(co);
	co->last_sweep_end_ms = wall_ms();
	co->last_sweep_ms = co->last_sweep_end_ms - co->started_ms;
	co->sweeps++;
	return 0;
fail:
	loop_timer_cancel(co->loop, &co->tick);
	co->sweeping = 0;
	dbw_on_idle(co->dbw, NULL, NULL);
	progress_stop(&co->bar);
	return -1;
}


