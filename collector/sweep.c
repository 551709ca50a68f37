#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/fleetmem.h"
#include "collector/sdrmem.h"
#include "collector/sensorids.h"
#include "collector/task_fru.h"
#include "collector/task_power.h"
#include "collector/task_read.h"
#include "collector/task_sdr.h"
#include "collector/task_sel.h"
#include "ipmi/cmds.h"
#include "ipmi/dcmi.h"
#include "ipmi/evtab.h"
#include "ipmi/fru.h"
#include "ipmi/ipmi.h"
#include "ipmi/sdr.h"
#include "ipmi/sel.h"
#include "ipmi/sensor.h"
#include "lib/gbuf.h"
#include "lib/json.h"
#include "sweep.h"

#define KEY_MAX		SDRMEM_KEY_MAX

/*
 * The probe: Get SDR of record 0000h from offset 0 (no reservation needed
 * there, IPMI v2.0 33.12), as many bytes as the longest first record of
 * the candidates.  A BMC that answers C5h anyway gets a reservation first
 * from then on, one that answers "too long" is asked for less from then
 * on, and answers shorter than asked (the rest read with a reservation)
 * end the probe after PROBE_REQUESTS requests: it compares what it has,
 * the header at least.
 */
enum probe { PR_NONE, PR_RESERVE_WAIT, PR_READ_WAIT };
#define PROBE_REQUESTS	6

enum phase {
	P_DEVID, P_GUID, P_SYSFW, P_CHASSIS, P_SDR, P_FRU, P_READ, P_SEL, P_DCMI, P_DONE,
};

struct sweep_work {
	enum phase	 phase;
	struct sweep	*sweep;
	struct sweep_host *host;
	struct fm_host	*fm;		/* the host in sw->cfg.mem, or NULL */
	struct ipmi_device_id devid;
	int		 have_devid;
	uint8_t		 guid[16];
	int		 have_guid;
	/* the BIOS version, set by set; malloc'd when asked (with the
	 * inventory), like probe_buf: only what a warm sweep uses stays in
	 * the work of every host in flight */
	struct ipmi_sysinfo_str *sysfw;
	int		 have_sysfw;
	int		 have_power;
	int		 power_on;
	/* SDR: the repository info is asked without the walker (8 KiB,
	 * allocated only to walk), which is fed the same answer */
	struct sdr_walk	*sw;
	struct ipmi_sdr_info_rsp sdr_info;
	uint8_t		 sdr_info_raw[32];
	uint8_t		 sdr_info_len;
	int		 sdr_info_asked;
	uint8_t		*sdr_buf;
	const struct sdr_model *model;
	char		 sdr_base[KEY_MAX];	/* what the BMC says */
	char		 sdr_key[KEY_MAX];	/* the repository it used */
	int		 sdr_walked;
	/*
	 * A cold walk others wait for: while it walks, the host is in
	 * sweep->walking and hosts whose BMCs give the same sdr_base wait
	 * in its waiters (walk_end wakes them), so a cold sweep reads each
	 * repository once rather than once per host in flight.
	 */
	struct sweep_work *walk_next, **walk_pprev;
	struct sweep_work *waiters;
	struct sweep_work *wait_next, **wait_pprev;
	/* the probe: the host's first record against the memory's */
	enum probe	 probe;
	unsigned	 probe_reqs;
	uint16_t	 probe_resv;
	uint8_t		 probe_ask;		/* bytes the read asked */
	uint8_t		 probe_want;		/* bytes to compare */
	uint8_t		 probe_got;
	int		 probe_reserved;
	uint8_t		*probe_buf;		/* SDR_RECORD_MAX, malloc'd */
	/* FRU */
	int		 fru_done;
	size_t		 fru_cur;
	struct task_fru	 fru;
	int		 fru_started;
	/* readings */
	struct task_read rd;
	/* SEL */
	struct task_sel	 sel;
};

struct sweep {
	struct sweep_cfg  cfg;
	char		 *run_key;
	struct rows	 *rows;
	struct sdrmem	  mem;		/* the SDR repositories */
	struct sweep_work *walking;	/* cold walks in flight */
	struct sweep_stats st;
	struct fru	 *fru;		/* decoder scratch, one for all */
};

static uint64_t
now_ms(const struct sweep *sw)
{
	struct timespec ts;

	if (sw->cfg.clock != NULL)
		return sw->cfg.clock(sw->cfg.clock_arg);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* --- FRU fields as JSON ------------------------------------------------ */

static void
jfield(struct json *j, const char *k, const struct fru_field *f)
{
	if (f->present && f->text[0] != '\0')
		json_key_str(j, k, f->text);
}

size_t
sweep_fru_json(const struct fru *f, char *out, size_t cap)
{
	struct gbuf b = GBUF_INIT;
	struct json j;
	char k[48], v[64];

	if (cap == 0)
		return 0;
	json_init(&j, &b, JSON_SPACED);
	json_obj(&j);
	if (f->chassis.present) {
		json_key_str(&j, "chassis.type",
		    fru_chassis_type_name(f->chassis.type));
		jfield(&j, "chassis.part_number", &f->chassis.part);
		jfield(&j, "chassis.serial", &f->chassis.serial);
		for (size_t i = 0; i < f->chassis.ncustom; i++) {
			snprintf(k, sizeof(k), "chassis.custom.%zu", i);
			jfield(&j, k, &f->chassis.custom[i]);
		}
	}
	if (f->board.present) {
		if (f->board.has_mfg_time) {
			struct tm tm;

			if (gmtime_r(&f->board.mfg_time, &tm) != NULL) {
				strftime(v, sizeof(v), "%Y-%m-%dT%H:%M:%SZ",
				    &tm);
				json_key_str(&j, "board.mfg_date", v);
			}
		}
		jfield(&j, "board.manufacturer", &f->board.mfr);
		jfield(&j, "board.product", &f->board.product);
		jfield(&j, "board.serial", &f->board.serial);
		jfield(&j, "board.part_number", &f->board.part);
		jfield(&j, "board.fru_file_id", &f->board.file_id);
		for (size_t i = 0; i < f->board.ncustom; i++) {
			snprintf(k, sizeof(k), "board.custom.%zu", i);
			jfield(&j, k, &f->board.custom[i]);
		}
	}
	if (f->product.present) {
		jfield(&j, "product.manufacturer", &f->product.mfr);
		jfield(&j, "product.name", &f->product.name);
		jfield(&j, "product.part_number", &f->product.part);
		jfield(&j, "product.version", &f->product.version);
		jfield(&j, "product.serial", &f->product.serial);
		jfield(&j, "product.asset_tag", &f->product.asset_tag);
		jfield(&j, "product.fru_file_id", &f->product.file_id);
		for (size_t i = 0; i < f->product.ncustom; i++) {
			snprintf(k, sizeof(k), "product.custom.%zu", i);
			jfield(&j, k, &f->product.custom[i]);
		}
	}
	for (size_t i = 0; i < f->nmr; i++) {
		const struct fru_mr *m = &f->mr[i];

		if (!m->typed || m->type != FRU_MR_POWER_SUPPLY)
			continue;
		snprintf(k, sizeof(k), "psu.%zu.capacity_w", i);
		snprintf(v, sizeof(v), "%u", m->u.psu.capacity_w);
		json_key_str(&j, k, v);
	}
	json_end(&j);
	return json_into(&j, out, cap);
}

/* --- the SDR memory, for the preload ------------------------------------ */

int
sweep_add_sdr(struct sweep *sw, const char *key, const uint8_t *recs,
    size_t len)
{
	struct sdr_model *m;

	return sdrmem_add(&sw->mem, key, recs, len, &m);
}

int
sweep_has_sdr(const struct sweep *sw, const char *key)
{
	return sdrmem_lookup(&sw->mem, key) != NULL;
}

size_t
sweep_models(const struct sweep *sw, size_t *bytes)
{
	if (bytes != NULL)
		*bytes = sw->mem.bytes;
	return sw->mem.n;
}

/* --- life cycle ------------------------------------------------------------ */

struct sweep *
sweep_new(const struct sweep_cfg *cfg, struct rows *rows)
{
	struct sweep *sw;

	if ((sw = calloc(1, sizeof(*sw))) == NULL)
		return NULL;
	sw->cfg = *cfg;
	sw->rows = rows;
	if ((sw->run_key = strdup(cfg->run_key ? cfg->run_key : "")) == NULL ||
	    (sw->fru = malloc(sizeof(*sw->fru))) == NULL) {
		free(sw->run_key);
		free(sw);
		return NULL;
	}
	return sw;
}

int
sweep_begin(struct sweep *sw, const char *run_key)
{
	char *k;

	if ((k = strdup(run_key)) == NULL)
		return -1;
	free(sw->run_key);
	sw->run_key = k;
	memset(&sw->st, 0, sizeof(sw->st));
	return 0;
}

void
sweep_free(struct sweep *sw)
{
	if (sw == NULL)
		return;
	sdrmem_free(&sw->mem);
	free(sw->fru);
	free(sw->run_key);
	free(sw);
}

const struct sweep_stats *
sweep_stats(const struct sweep *sw)
{
	return &sw->st;
}

static enum drv_step next_phase(struct sweep *, struct sweep_host *,
			    struct drv_request *);

/* The cold walk in flight of what a BMC calls base, if any. */
static struct sweep_work *
walk_find(const struct sweep *sw, const char *base)
{
	struct sweep_work *v;

	for (v = sw->walking; v != NULL; v = v->walk_next)
		if (strcmp(v->sdr_base, base) == 0)
			return v;
	return NULL;
}

static void
walk_begin(struct sweep *sw, struct sweep_work *w)
{
	w->walk_next = sw->walking;
	if (sw->walking != NULL)
		sw->walking->walk_pprev = &w->walk_next;
	sw->walking = w;
	w->walk_pprev = &sw->walking;
}

static void
wait_begin(struct sweep_work *walker, struct sweep_work *w)
{
	w->wait_next = walker->waiters;
	if (walker->waiters != NULL)
		walker->waiters->wait_pprev = &w->wait_next;
	walker->waiters = w;
	w->wait_pprev = &walker->waiters;
}

static void
wait_leave(struct sweep_work *w)
{
	if (w->wait_pprev == NULL)
		return;
	*w->wait_pprev = w->wait_next;
	if (w->wait_next != NULL)
		w->wait_next->wait_pprev = w->wait_pprev;
	w->wait_next = NULL;
	w->wait_pprev = NULL;
}

/*
 * The walk is over, done or failed: its waiters start their SDR phase
 * again (the repository info, then the memory's model confirmed by the
 * probe, or a walk of their own when the walker failed: the first to
 * ask walks, the others wait for it).  Their next requests go out from
 * the loop (driver_resume), not from inside the walker's step.
 */
static void
walk_end(struct sweep_work *w)
{
	struct sweep_work *v;
	struct drv_request req;
	enum drv_step st;

	if (w->walk_pprev != NULL) {
		*w->walk_pprev = w->walk_next;
		if (w->walk_next != NULL)
			w->walk_next->walk_pprev = w->walk_pprev;
		w->walk_next = NULL;
		w->walk_pprev = NULL;
	}
	while ((v = w->waiters) != NULL) {
		wait_leave(v);
		memset(&req, 0, sizeof(req));
		v->phase = P_SDR;
		st = next_phase(v->sweep, v->host, &req);
		driver_resume(&v->host->t, st, &req);
	}
}

static void
work_free(struct sweep_host *h)
{
	struct sweep_work *w = h->w;

	if (w == NULL)
		return;
	walk_end(w);
	wait_leave(w);
	free(w->sysfw);
	free(w->probe_buf);
	sdrmem_drop(w->model);
	free(w->sw);
	free(w->sdr_buf);
	task_fru_release(&w->fru);
	task_sel_release(&w->sel);
	free(w);
	h->w = NULL;
}

void
sweep_host_release(struct sweep_host *h)
{
	work_free(h);
}

/* --- rows ---------------------------------------------------------------------- */

static void
emit_reading(struct sweep *sw, struct sweep_host *h,
    const struct sensor_desc *s, const struct sdrmem_thr *thr,
    const struct ipmi_sensor_reading_rsp *rd, uint64_t ts)
{
	struct rows *r = sw->rows;
	int na = sensor_reading_na(rd);
	int have_v = 0, health;
	double v = 0;
	const char *type = ipmi_sensor_type_name(s->sensor_type);
	const char *kind = sensor_kind_name(s->kind);
	const char *units = s->kind == SENSOR_KIND_THRESHOLD ? s->units : NULL;
	const char *thrj = thr->json[0] ? thr->json : NULL;
	long long id, bmc_id;
	int by_id = 0, has_states;

	/* a sensor the database holds, its metadata as last written: by
	 * its IDs (once a time); else by name, with its metadata */
	if (sw->cfg.ids != NULL)
		by_id = sids_get(sw->cfg.ids, sids_key(h->t.name, s->owner,
		    s->number, s->name), sids_meta(s->record_id, type, kind,
		    units, thrj), ts, &id, &bmc_id);
	if (!na && s->kind == SENSOR_KIND_THRESHOLD && s->analog &&
	    sensor_convert(&s->f, rd->raw, &v) == 0)
		have_v = 1;
	health = sensor_health(s->event_type, s->sensor_type, na ? NULL : rd);
	has_states = s->kind == SENSOR_KIND_DISCRETE && !na && rd->has_state;
	if (by_id == 2) {
		/* read twice at one time (a duplicate SDR record): once */
	} else {
		if (by_id) {
			/* its state as remembered: the database need not
			 * look (collector/sensorids.h) */
			rows_start(r, sids_same(sw->cfg.ids, health,
			    has_states, rd->states) ? RT_READING_SAME :
			    RT_READING_ID);
			rows_int(r, id);
			rows_int(r, bmc_id);
		} else {
			rows_start(r, RT_READING);
			rows_str(r, h->t.name);
			rows_int(r, s->owner);
			rows_int(r, s->number);
			rows_str(r, s->name);
			rows_int(r, s->record_id);
			rows_str(r, type);
			rows_str(r, kind);
			rows_str(r, units);
			rows_str(r, thrj);
		}
		rows_time_ms(r, ts);
		if (have_v)
			rows_double(r, v);
		else
			rows_null(r);
		rows_int(r, rd->raw);
		if (s->kind == SENSOR_KIND_THRESHOLD)
			rows_str(r, sensor_status_name(na ? SENSOR_ST_NA :
			    sensor_thresh_status(rd, NULL)));
		else
			rows_null(r);
		rows_str(r, sensor_health_name(health));
		if (has_states)
			rows_int(r, rd->states);
		else
			rows_null(r);
		if (rows_end(r) == 0)
			h->readings++;
	}
	if (h->w != NULL && h->w->fm != NULL)
		(void)fm_sensor(sw->cfg.mem, h->w->fm, s->record_id, s->number,
		    s->sensor_type, s->name, s->units,
		    s->kind == SENSOR_KIND_THRESHOLD, have_v, v, health);
}

/*
 * The repository a host used last, while it is still in memory: a SEL
 * read between sweeps (after a trap, in a light pass) names its sensors
 * with it as the sweep would.
 */
static const struct sdr_model *
model_used(const struct sweep *sw, const struct sweep_host *h)
{
	const struct sdr_model *m;

	if (h->w != NULL && h->w->model != NULL)
		return h->w->model;
	if (h->sdr_used == 0)
		return NULL;
	for (m = sw->mem.models; m != NULL; m = m->next)
		if (sdrmem_id(m) == h->sdr_used)
			return m;
	return NULL;
}

static void
emit_sel(struct sweep *sw, struct sweep_host *h, const uint8_t *rec)
{
	const struct sdr_model *m = model_used(sw, h);
	const char *sensor = NULL;
	struct rows *r = sw->rows;
	struct sel_entry e;
	char desc[160];

	if (sel_decode(rec, SEL_ENTRY_LEN, &e) != 0)
		return;
	(void)sel_describe(&e, desc, sizeof(desc));
	if (e.kind == SEL_KIND_SYSTEM && m != NULL) {
		/* the sensor as direct mode's sel list names it */
		const struct sensor_desc *d = sensor_desc_match(m->s, m->n,
		    (uint8_t)(e.generator & 0xff), e.sensor_number,
		    e.sensor_type);

		if (d != NULL)
			sensor = d->name;
	}
	rows_start(r, RT_SEL);
	rows_str(r, h->t.name);
	rows_int(r, e.id);
	rows_bytea(r, e.raw, SEL_ENTRY_LEN);
	rows_int(r, e.type);
	if (e.has_timestamp)
		rows_uint(r, e.timestamp);
	else
		rows_null(r);
	rows_bool(r, e.has_timestamp && e.pre_init);
	if (e.has_timestamp && !e.pre_init && e.timestamp != 0xffffffffu)
		rows_time_ms(r, (uint64_t)e.timestamp * 1000);
	else
		rows_null(r);
	if (e.kind == SEL_KIND_SYSTEM) {
		rows_str(r, ipmi_sensor_type_name(e.sensor_type));
		rows_int(r, e.sensor_number);
		rows_str(r, sensor);
		rows_int(r, e.event_type);
		rows_int(r, e.offset);
		rows_str(r, e.direction ? "deasserted" : "asserted");
	} else {
		for (int i = 0; i < 6; i++)
			rows_null(r);
	}
	rows_str(r, desc);
	rows_str(r, sel_severity_name(sel_severity(&e)));
	if (rows_end(r) == 0)
		h->events++;
}

static void
emit_sel_cursor(struct sweep *sw, struct sweep_host *h,
    const struct ipmi_sel_info_rsp *in, uint16_t last)
{
	struct rows *r = sw->rows;

	rows_start(r, RT_SEL_CURSOR);
	rows_str(r, h->t.name);
	rows_int(r, last);
	rows_uint(r, in->add_ts);
	rows_uint(r, in->erase_ts);
	rows_int(r, in->entries);
	(void)rows_end(r);
}

void
sweep_emit_sel(struct sweep *sw, struct sweep_host *h, const uint8_t *rec)
{
	emit_sel(sw, h, rec);
}

void
sweep_emit_sel_cursor(struct sweep *sw, struct sweep_host *h,
    const struct ipmi_sel_info_rsp *in, uint16_t last)
{
	struct fm_host *f;

	emit_sel_cursor(sw, h, in, last);
	if (sw->cfg.mem != NULL &&
	    (f = fleetmem_host(sw->cfg.mem, h->t.name)) != NULL)
		fm_sel(f, in->entries, in->free);
}

static void
emit_fru(struct sweep *sw, struct sweep_host *h, uint8_t id,
    const char *name, const uint8_t *img, size_t len)
{
	struct rows *r = sw->rows;
	char json[4096];

	if (fru_decode(img, len, sw->fru) != 0)
		return;
	if (sweep_fru_json(sw->fru, json, sizeof(json)) == 0)
		return;
	rows_start(r, RT_FRU);
	rows_str(r, h->t.name);
	rows_int(r, id);
	rows_str(r, name);
	rows_str(r, json);
	rows_bytea(r, img, len);
	rows_time_ms(r, now_ms(sw));
	if (rows_end(r) == 0)
		h->frus++;
}

/* --- the pipeline ------------------------------------------------------------ */

static void
req_plain(struct drv_request *req, uint8_t netfn, uint8_t cmd)
{
	req->netfn = netfn;
	req->cmd = cmd;
	req->len = 0;
}

/* Get System Info Parameters: the next set of the BIOS version */
static void
sysfw_req(const struct ipmi_sysinfo_str *s, struct drv_request *req)
{
	struct ipmi_sysinfo_req q = { 0, IPMI_SYSINFO_FW_VERSION, s->next, 0 };
	struct buf b;

	req_plain(req, IPMI_NETFN_APP, IPMI_CMD_GET_SYSTEM_INFO);
	buf_init_write(&b, req->data, sizeof(req->data));
	(void)ipmi_sysinfo_req_encode(&q, &b);	/* 4 bytes of 64 */
	req->len = b.len;
}

static enum drv_step
fail(struct sweep_host *h, int err, const char *what, uint8_t cc)
{
	return driver_fail_cmd(&h->t, err, what, cc);
}

static enum drv_step	sdr_step(struct sweep *, struct sweep_host *,
			    const struct ipmi_response *, struct drv_request *);
static enum drv_step	sdr_keep_walk(struct sweep *, struct sweep_host *,
			    struct drv_request *);

/* The host uses m, held in memory: no walk. */
static enum drv_step
sdr_hit(struct sweep *sw, struct sweep_host *h, struct sdr_model *m,
    struct drv_request *req)
{
	struct sweep_work *w = h->w;

	w->model = sdrmem_hold(&sw->mem, m);
	snprintf(w->sdr_key, sizeof(w->sdr_key), "%s", m->key);
	h->sdr_used = sdrmem_id(m);
	sw->st.sdr_hits++;
	/* the walker's 8 KiB are not needed any more, nor the probe's */
	free(w->sw);
	w->sw = NULL;
	free(w->probe_buf);
	w->probe_buf = NULL;
	w->probe = PR_NONE;
	w->phase = P_FRU;
	return next_phase(sw, h, req);
}

/* Walk the repository the walker has the info of, from its reservation. */
static enum drv_step
sdr_start_walk(struct sweep *sw, struct sweep_host *h,
    struct drv_request *req)
{
	struct sweep_work *w = h->w;
	struct ipmi_req ir;
	size_t cap = sdr_walk_bytes(w->sdr_info.count);
	int rc;

	w->probe = PR_NONE;
	free(w->probe_buf);
	w->probe_buf = NULL;
	if ((w->sw = malloc(sizeof(*w->sw))) == NULL)
		return fail(h, IPMI_E_NOSPACE, "sdr", 0);
	/* the walker's Get SDR Repository Info, answered already */
	sdr_walk_init(w->sw, NULL, 0, 0);
	if (sdr_walk_next(w->sw, &ir) != IPMI_WALK_SEND ||
	    (rc = sdr_walk_feed(w->sw, IPMI_CC_OK, w->sdr_info_raw,
	    w->sdr_info_len)) < 0)
		return fail(h, IPMI_E_INVAL, "sdr repository", 0);
	if ((w->sdr_buf = malloc(cap)) == NULL)
		return fail(h, IPMI_E_NOSPACE, "sdr", 0);
	w->sw->buf = w->sdr_buf;
	w->sw->cap = cap;
	return sdr_step(sw, h, NULL, req);
}

/*
 * None of the repositories in memory is the host's: wait for a walk of
 * another host's BMC that says the same (when it ends the host probes
 * again, against that one too), else walk, the one host that does while
 * others wait.  conflict: there were candidates, none the host's own.
 */
static enum drv_step
sdr_walk_or_wait(struct sweep *sw, struct sweep_host *h, int conflict,
    struct drv_request *req)
{
	struct sweep_work *w = h->w, *v;

	if ((v = walk_find(sw, w->sdr_base)) != NULL && v != w) {
		w->probe = PR_NONE;
		wait_begin(v, w);
		sw->st.sdr_waits++;
		return DRV_STEP_WAIT;
	}
	if (conflict)
		sw->st.sdr_conflicts++;
	if (w->walk_pprev == NULL)
		walk_begin(sw, w);
	return sdr_start_walk(sw, h, req);
}

/*
 * The probe is over: the candidate whose first record is the host's, or
 * a walk.  A host whose first record matches none of the repositories
 * its key selects, or several and not the one it used last, walks its
 * own (a conflict: two repositories behind one key).  One whose probe
 * said nothing (an error, or less than a header) walks too, without a
 * conflict.
 */
static enum drv_step
probe_decide(struct sweep *sw, struct sweep_host *h, int decided,
    struct drv_request *req)
{
	struct sweep_work *w = h->w;
	struct sdr_model *m, *one = NULL, *last = NULL;
	size_t blen = strlen(w->sdr_base), nmatch = 0, ncand = 0;

	if (!decided)
		return sdr_start_walk(sw, h, req);
	for (m = sw->mem.models; m != NULL; m = m->next) {
		if (!sdrmem_of(m, w->sdr_base, blen))
			continue;
		ncand++;
		if (!sdrmem_first_is(m, w->probe_buf, w->probe_got))
			continue;
		nmatch++;
		one = m;
		if (sdrmem_id(m) == h->sdr_used)
			last = m;
	}
	if (nmatch == 1)
		return sdr_hit(sw, h, one, req);
	if (last != NULL)
		return sdr_hit(sw, h, last, req);
	return sdr_walk_or_wait(sw, h, ncand > 0, req);
}

/* The probe's next request: a reservation when it needs one, or Get SDR. */
static enum drv_step
probe_send(struct sweep *sw, struct sweep_host *h, struct drv_request *req)
{
	struct sweep_work *w = h->w;
	struct ipmi_get_sdr_req q;
	struct buf b;
	size_t n;

	if (w->probe_reqs >= PROBE_REQUESTS)
		return probe_decide(sw, h, w->probe_got >= SDR_HDR_LEN, req);
	w->probe_reqs++;
	if ((h->sdr_probe_resv || w->probe_got > 0) && !w->probe_reserved) {
		req_plain(req, IPMI_NETFN_STORAGE, IPMI_CMD_RESERVE_SDR_REPO);
		w->probe = PR_RESERVE_WAIT;
		return DRV_STEP_SEND;
	}
	n = (size_t)w->probe_want - w->probe_got;
	q.resv = w->probe_reserved ? w->probe_resv : 0;
	q.id = SDR_ID_FIRST;
	q.offset = w->probe_got;
	q.count = (uint8_t)n;
	req->netfn = IPMI_NETFN_STORAGE;
	req->cmd = IPMI_CMD_GET_SDR;
	buf_init_write(&b, req->data, sizeof(req->data));
	(void)ipmi_get_sdr_req_encode(&q, &b);
	req->len = b.len;
	w->probe_ask = q.count;
	w->probe = PR_READ_WAIT;
	return DRV_STEP_SEND;
}

/*
 * The memory holds repositories under the key the host's BMC reports:
 * read the host's own first record to see which, if any, is its own.
 */
static enum drv_step
probe_begin(struct sweep *sw, struct sweep_host *h, struct drv_request *req)
{
	struct sweep_work *w = h->w;
	size_t blen = strlen(w->sdr_base), want = 0;

	for (const struct sdr_model *m = sw->mem.models; m != NULL; m = m->next)
		if (sdrmem_of(m, w->sdr_base, blen) && m->first_len > want)
			want = m->first_len;
	/* FFh would mean "the whole record" */
	if (want > SDR_READ_ALL - 1)
		want = SDR_READ_ALL - 1;
	if (h->sdr_probe_max != 0 && want > h->sdr_probe_max)
		want = h->sdr_probe_max;
	if (want < SDR_HDR_LEN)
		want = SDR_HDR_LEN;
	if (w->probe_buf == NULL &&
	    (w->probe_buf = malloc(SDR_RECORD_MAX)) == NULL)
		return fail(h, IPMI_E_NOSPACE, "sdr", 0);
	w->probe_want = (uint8_t)want;
	w->probe_got = 0;
	w->probe_reqs = 0;
	w->probe_reserved = 0;
	return probe_send(sw, h, req);
}

static enum drv_step
probe_feed(struct sweep *sw, struct sweep_host *h,
    const struct ipmi_response *rsp, struct drv_request *req)
{
	struct sweep_work *w = h->w;
	struct ipmi_get_sdr_rsp gr;
	struct buf b;
	size_t n;

	if (w->probe == PR_RESERVE_WAIT) {
		w->probe_reserved = 1;
		w->probe_resv = 0;
		buf_init_read(&b, rsp->data, rsp->len);
		/* C1h: no reservations here, 0 it is (as the walker does) */
		if (rsp->cc == IPMI_CC_OK &&
		    ipmi_sdr_reserve_rsp_decode(&b, &w->probe_resv) != 0)
			return probe_decide(sw, h, 0, req);
		if (rsp->cc != IPMI_CC_OK && rsp->cc != IPMI_CC_INVALID_CMD)
			return probe_decide(sw, h, 0, req);
		return probe_send(sw, h, req);
	}
	switch (rsp->cc) {
	case IPMI_CC_OK:
		break;
	case IPMI_CC_RESERVATION:
		/* wants one even at offset 0, or ours was cancelled */
		if (w->probe_got == 0)
			h->sdr_probe_resv = 1;
		w->probe_reserved = 0;
		return probe_send(sw, h, req);
	case IPMI_CC_REQ_LEN:
	case IPMI_CC_REQ_TOO_LONG:
	case IPMI_CC_CANT_RETURN:
	case IPMI_CC_UNSPECIFIED:
		/* more than one answer holds: ask less, from now on */
		if (w->probe_got > 0 || w->probe_ask / 2 < SDR_HDR_LEN)
			return probe_decide(sw, h,
			    w->probe_got >= SDR_HDR_LEN, req);
		h->sdr_probe_max = w->probe_ask / 2;
		w->probe_want = h->sdr_probe_max;
		return probe_send(sw, h, req);
	case IPMI_CC_NOT_PRESENT:
		/* no first record: none of the candidates is its own */
		w->probe_got = 0;
		return probe_decide(sw, h, 1, req);
	default:
		return probe_decide(sw, h, 0, req);
	}
	buf_init_read(&b, rsp->data, rsp->len);
	if (ipmi_get_sdr_rsp_decode(&b, &gr) != 0 || gr.len == 0)
		return probe_decide(sw, h, 0, req);
	n = gr.len < w->probe_ask ? gr.len : w->probe_ask;
	memcpy(w->probe_buf + w->probe_got, gr.data, n);
	w->probe_got = (uint8_t)(w->probe_got + n);
	/* a first record shorter than the candidates' ends there */
	if (w->probe_got >= SDR_HDR_LEN &&
	    (size_t)SDR_HDR_LEN + w->probe_buf[4] < w->probe_want)
		w->probe_want = (uint8_t)(SDR_HDR_LEN + w->probe_buf[4]);
	if (w->probe_got >= w->probe_want)
		return probe_decide(sw, h, 1, req);
	if (w->probe_got >= SDR_HDR_LEN) {
		/* a short answer: what one answer holds is what we compare,
		 * from now on too */
		h->sdr_probe_max = w->probe_got;
		return probe_decide(sw, h, 1, req);
	}
	/* not even a header: the rest of it, with a reservation */
	return probe_send(sw, h, req);
}

/*
 * SDR: the repository info is in; memory (confirmed by the probe) or a
 * walk.
 */
static enum drv_step
sdr_step(struct sweep *sw, struct sweep_host *h,
    const struct ipmi_response *rsp, struct drv_request *req)
{
	struct sweep_work *w = h->w;
	struct sdr_model *m;
	struct ipmi_req ir;
	int rc;

	if (rsp != NULL && w->probe != PR_NONE)
		return probe_feed(sw, h, rsp, req);
	if (w->sw == NULL && !w->sdr_info_asked) {
		/* IPMI v2.0 33.9 */
		req_plain(req, IPMI_NETFN_STORAGE, IPMI_CMD_GET_SDR_REPO_INFO);
		w->sdr_info_asked = 1;
		return DRV_STEP_SEND;
	}
	if (w->sw == NULL && rsp != NULL) {
		struct buf b;

		if (rsp->cc != IPMI_CC_OK)
			return fail(h, IPMI_E_CC, "sdr repository", rsp->cc);
		buf_init_read(&b, rsp->data, rsp->len);
		if (ipmi_sdr_info_rsp_decode(&b, &w->sdr_info) != 0)
			return fail(h, IPMI_E_SHORT, "sdr repository", 0);
		/* what the decoder reads is at the start */
		w->sdr_info_len = (uint8_t)(rsp->len < sizeof(w->sdr_info_raw) ?
		    rsp->len : sizeof(w->sdr_info_raw));
		memcpy(w->sdr_info_raw, rsp->data, w->sdr_info_len);
		{
			const struct ipmi_sdr_info_rsp *in = &w->sdr_info;
			size_t blen;

			struct sdr_repo_id id;

			task_sdr_repo_id(&w->devid, in, &id);
			sdr_repo_key(&id, w->sdr_base, sizeof(w->sdr_base));
			blen = strlen(w->sdr_base);
			if (in->count == 0) {
				/* nothing to confirm: the key says it all */
				if (sdrmem_bind(w->sdr_base, NULL, 0,
				    w->sdr_key, sizeof(w->sdr_key)) == 0 &&
				    (m = sdrmem_lookup(&sw->mem, w->sdr_key)) != NULL)
					return sdr_hit(sw, h, m, req);
			} else {
				for (m = sw->mem.models; m != NULL; m = m->next)
					if (sdrmem_of(m, w->sdr_base, blen))
						return probe_begin(sw, h, req);
				/* another host walks it: wait for its model */
				return sdr_walk_or_wait(sw, h, 0, req);
			}
			return sdr_start_walk(sw, h, req);
		}
	}
	if (rsp != NULL) {
		rc = sdr_walk_feed(w->sw, rsp->cc, rsp->data, rsp->len);
		if (rc < 0)
			return fail(h, rc, "sdr repository", w->sw->cc);
	}
	rc = sdr_walk_next(w->sw, &ir);
	if (rc == IPMI_WALK_SEND) {
		drv_req_from(req, &ir);
		return DRV_STEP_SEND;
	}
	if (rc < 0)
		return fail(h, rc, "sdr repository", w->sw->cc);
	return sdr_keep_walk(sw, h, req);
}

/*
 * Walked: into memory for the others under the key its bytes bind, and
 * into the database.  A key held with other bytes keeps them: the host
 * uses its walk alone.
 */
static enum drv_step
sdr_keep_walk(struct sweep *sw, struct sweep_host *h, struct drv_request *req)
{
	struct sweep_work *w = h->w;
	struct sdr_model *m = NULL;
	int rc;

	sw->st.sdr_walks++;
	w->sdr_walked = 1;
	if (sdrmem_bind(w->sdr_base, w->sdr_buf, w->sw->len, w->sdr_key,
	    sizeof(w->sdr_key)) != 0)
		return fail(h, IPMI_E_NOSPACE, "sdr", 0);
	rc = sdrmem_add(&sw->mem, w->sdr_key, w->sdr_buf, w->sw->len, &m);
	if (rc < 0)
		return fail(h, IPMI_E_NOSPACE, "sdr", 0);
	if (rc > 0) {
		sw->st.sdr_conflicts++;
		if ((m = sdrmem_model_new(w->sdr_key, w->sdr_buf, w->sw->len)) ==
		    NULL)
			return fail(h, IPMI_E_NOSPACE, "sdr", 0);
		m->priv = 1;
		w->sdr_key[0] = '\0';	/* no sdr_cache row is its own */
		h->sdr_used = 0;
	} else {
		h->sdr_used = sdrmem_id(m);
	}
	w->model = sdrmem_hold(&sw->mem, m);
	walk_end(w);
	if (!m->priv) {
		char fw[16];

		rows_start(sw->rows, RT_SDR);
		rows_str(sw->rows, w->sdr_key);
		rows_uint(sw->rows, w->devid.manufacturer);
		rows_uint(sw->rows, w->devid.product);
		snprintf(fw, sizeof(fw), "%u.%02u", w->devid.fw_major,
		    w->devid.fw_minor);
		rows_str(sw->rows, fw);
		rows_uint(sw->rows, w->sw->info.add_ts);
		rows_uint(sw->rows, w->sw->info.erase_ts);
		rows_bytea(sw->rows, w->sdr_buf, w->sw->len);
		(void)rows_end(sw->rows);
	}
	free(w->sdr_buf);
	w->sdr_buf = NULL;
	free(w->sw);
	w->sw = NULL;
	w->phase = P_FRU;
	return next_phase(sw, h, req);
}

/* FRU: device 0, then each logical device the SDRs locate. */
static enum drv_step
fru_step(struct sweep *sw, struct sweep_host *h,
    const struct ipmi_response *rsp, struct drv_request *req)
{
	struct sweep_work *w = h->w;
	const struct sdr_model *m = w->model;

	for (;;) {
		if (!w->fru_started) {
			size_t ndev = 1 + (m != NULL ? m->nfru : 0);

			if (w->fru_cur >= ndev) {
				h->fru_read_ms = now_ms(sw);
				w->fru_done = 1;
				w->phase = P_READ;
				return next_phase(sw, h, req);
			}
			task_fru_init(&w->fru, w->fru_cur == 0 ? 0 :
			    m->fru_ids[w->fru_cur - 1]);
			w->fru_started = 1;
			rsp = NULL;
		}
		if (task_fru_step(&w->fru, rsp, req) == DRV_STEP_SEND)
			return DRV_STEP_SEND;
		rsp = NULL;
		if (w->fru.oom)
			return fail(h, IPMI_E_NOSPACE, "fru", 0);
		if (w->fru.rc == IPMI_WALK_DONE && w->fru.rd.len > 0)
			emit_fru(sw, h, w->fru.rd.dev_id, w->fru_cur == 0 ?
			    "Builtin FRU Device" : m->fru_names[w->fru_cur - 1],
			    w->fru.buf, w->fru.rd.len);
		/* a device that cannot be read does not stop the others */
		task_fru_release(&w->fru);
		w->fru_started = 0;
		w->fru_cur++;
	}
}

static enum drv_step
read_step(struct sweep *sw, struct sweep_host *h,
    const struct ipmi_response *rsp, struct drv_request *req)
{
	struct sweep_work *w = h->w;
	const struct sdr_model *m = w->model;
	struct task_reading got;
	enum drv_step st;

	if (m == NULL) {
		w->phase = P_SEL;
		return next_phase(sw, h, req);
	}
	if (rsp == NULL) {
		task_read_init(&w->rd, m->s, m->n);
		if (w->fm != NULL)
			(void)fm_sensors_begin(w->fm, m->n);
	}
	st = task_read_step(&w->rd, rsp, req, &got);
	if (got.answered && got.ok)
		emit_reading(sw, h, &m->s[got.i], &m->thr[got.i], &got.rd,
		    now_ms(sw));
	if (st == DRV_STEP_SEND)
		return st;
	if (w->fm != NULL)
		fm_sensors_end(w->fm);
	w->phase = P_SEL;
	return next_phase(sw, h, req);
}

static enum drv_step
sel_step(struct sweep *sw, struct sweep_host *h,
    const struct ipmi_response *rsp, struct drv_request *req)
{
	struct sweep_work *w = h->w;
	struct task_sel *t = &w->sel;
	enum drv_step st;

	if (rsp == NULL) {
		struct task_sel_cursor c = { h->sel_entries, h->sel_add_ts,
		    h->sel_erase_ts };

		task_sel_init(t, h->have_cursor ? &c : NULL);
	}
	st = task_sel_step(t, rsp, req);
	if (st == DRV_STEP_SEND)
		return st;
	if (st == DRV_STEP_FAIL)
		return fail(h, t->err, "sel", t->w != NULL ? t->w->cc : 0);
	if (w->fm != NULL && t->have_info)
		fm_sel(w->fm, t->info.entries, t->info.free);
	if (!t->unchanged) {
		uint16_t last = 0;

		for (unsigned i = 0; i < t->w->nrecords; i++) {
			const uint8_t *rec = t->buf +
			    (size_t)i * SEL_ENTRY_LEN;

			emit_sel(sw, h, rec);
			last = (uint16_t)(rec[0] | rec[1] << 8);
		}
		/* the cursor after its events, in the same or a later batch */
		emit_sel_cursor(sw, h, &t->w->info, last);
		h->have_cursor = 1;
		h->sel_entries = t->w->info.entries;
		h->sel_add_ts = t->w->info.add_ts;
		h->sel_erase_ts = t->w->info.erase_ts;
		h->sel_last_id = last;
	}
	task_sel_release(t);
	w->phase = P_DCMI;
	return next_phase(sw, h, req);
}

/* Start the phase w->phase (skipping what is not wanted or not due). */
static enum drv_step
next_phase(struct sweep *sw, struct sweep_host *h, struct drv_request *req)
{
	struct sweep_work *w = h->w;
	unsigned what = sw->cfg.what;

	for (;;) {
		switch (w->phase) {
		case P_DEVID:
			req_plain(req, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID);
			return DRV_STEP_SEND;
		case P_GUID:
			/* asked with the inventory (the FRU's interval): a
			 * GUID does not change between sweeps */
			if (!(what & SWEEP_FRU) || (h->fru_read_ms != 0 &&
			    now_ms(sw) - h->fru_read_ms <
			    sw->cfg.fru_interval_ms)) {
				w->phase = P_CHASSIS;
				continue;
			}
			req_plain(req, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_GUID);
			return DRV_STEP_SEND;
		case P_SYSFW:
			/* the BIOS version, with the GUID (so when it is
			 * due); not again from a BMC that refused it */
			if (h->no_sysfw || !(what & SWEEP_FRU) ||
			    (h->fru_read_ms != 0 && now_ms(sw) -
			    h->fru_read_ms < sw->cfg.fru_interval_ms)) {
				w->phase = P_CHASSIS;
				continue;
			}
			if (w->sysfw == NULL &&
			    (w->sysfw = malloc(sizeof(*w->sysfw))) == NULL)
				return fail(h, IPMI_E_NOSPACE, "sysinfo", 0);
			ipmi_sysinfo_str_init(w->sysfw);
			sysfw_req(w->sysfw, req);
			return DRV_STEP_SEND;
		case P_CHASSIS: {
			struct task_power p;

			task_power_init(&p, TASK_POWER_STATUS);
			return task_power_step(&p, NULL, req);
		}
		case P_SDR:
			if (!(what & (SWEEP_SENSORS | SWEEP_SEL | SWEEP_FRU))) {
				w->phase = P_DCMI;
				continue;
			}
			w->sdr_info_asked = 0;
			return sdr_step(sw, h, NULL, req);
		case P_FRU:
			if (!(what & SWEEP_FRU) || (h->fru_read_ms != 0 &&
			    now_ms(sw) - h->fru_read_ms <
			    sw->cfg.fru_interval_ms)) {
				w->phase = P_READ;
				continue;
			}
			return fru_step(sw, h, NULL, req);
		case P_READ:
			if (!(what & SWEEP_SENSORS)) {
				w->phase = P_SEL;
				continue;
			}
			return read_step(sw, h, NULL, req);
		case P_SEL:
			if (!(what & SWEEP_SEL)) {
				w->phase = P_DCMI;
				continue;
			}
			return sel_step(sw, h, NULL, req);
		case P_DCMI:
			if (!(what & SWEEP_DCMI) || h->no_dcmi) {
				w->phase = P_DONE;
				continue;
			}
			{
				struct ipmi_req ir;

				dcmi_power_req(&ir, DCMI_POWER_SYSTEM, 0);
				drv_req_from(req, &ir);
			}
			return DRV_STEP_SEND;
		case P_DONE:
		default:
			return DRV_STEP_DONE;
		}
	}
}

static enum drv_step step(struct sweep *, struct drv_target *,
    const struct ipmi_response *, struct drv_request *);

/*
 * Rows go to the writer by size after any step, not only as hosts end:
 * with every host in flight (concurrency 10000) few end before the last
 * seconds, and the readings of all of them grew in one buffer (27 MB of
 * the 10k sweep's peak) until the once-a-second flush handed it over.
 */
enum drv_step
sweep_step(void *arg, struct drv_target *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct sweep *sw = arg;
	enum drv_step rc = step(sw, t, rsp, req);

	if (sw->cfg.flush != NULL && sw->cfg.flush_bytes > 0 &&
	    rows_bytes(sw->rows) >= sw->cfg.flush_bytes)
		sw->cfg.flush(sw->cfg.flush_arg);
	return rc;
}

static enum drv_step
step(struct sweep *sw, struct drv_target *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct sweep_host *h = (struct sweep_host *)t;
	struct sweep_work *w;
	struct buf b;

	if (rsp == NULL) {
		work_free(h);
		if ((h->w = calloc(1, sizeof(*h->w))) == NULL) {
			driver_fail(t, IPMI_E_NOSPACE, "out of memory");
			return DRV_STEP_FAIL;
		}
		h->readings = h->events = h->frus = 0;
		h->started_ms = now_ms(sw);
		h->w->phase = P_DEVID;
		h->w->sweep = sw;
		h->w->host = h;
		if (sw->cfg.mem != NULL &&
		    (h->w->fm = fleetmem_host(sw->cfg.mem, t->name)) != NULL)
			fm_begin(h->w->fm);
		return next_phase(sw, h, req);
	}
	w = h->w;
	switch (w->phase) {
	case P_DEVID:
		if (rsp->cc != IPMI_CC_OK)
			return fail(h, IPMI_E_CC, "get device id", rsp->cc);
		buf_init_read(&b, rsp->data, rsp->len);
		if (ipmi_device_id_decode(&b, &w->devid) != 0)
			return fail(h, IPMI_E_MALFORMED, "get device id", 0);
		w->have_devid = 1;
		if (w->fm != NULL)
			fm_devid(w->fm, w->devid.manufacturer,
			    w->devid.product, w->devid.fw_major,
			    w->devid.fw_minor, w->devid.ipmi_version);
		w->phase = P_GUID;
		return next_phase(sw, h, req);
	case P_GUID:
		/* optional: many BMCs lack the command */
		buf_init_read(&b, rsp->data, rsp->len);
		if (rsp->cc == IPMI_CC_OK && ipmi_guid_decode(&b, w->guid) == 0) {
			w->have_guid = 1;
			/* kept: bmcfleetd holds a trap's GUID to it */
			memcpy(h->guid, w->guid, sizeof(h->guid));
			h->have_guid = 1;
		}
		w->phase = P_SYSFW;
		return next_phase(sw, h, req);
	case P_SYSFW: {
		struct ipmi_sysinfo_rsp si;
		int rc = -1;

		/* optional (IPMI v2.0): a refusal is remembered, a string
		 * that does not parse is only not stored */
		if (rsp->cc != IPMI_CC_OK)
			h->no_sysfw = 1;
		buf_init_read(&b, rsp->data, rsp->len);
		if (rsp->cc == IPMI_CC_OK && ipmi_sysinfo_rsp_decode(&b,
		    &si) == 0 && (rc = ipmi_sysinfo_str_feed(w->sysfw,
		    &si)) == 0) {
			sysfw_req(w->sysfw, req);
			return DRV_STEP_SEND;
		}
		w->have_sysfw = rc == 1;
		w->phase = P_CHASSIS;
		return next_phase(sw, h, req);
	}
	case P_CHASSIS: {
		struct task_power p;

		/* no power state is no failure: the sweep goes on */
		task_power_init(&p, TASK_POWER_STATUS);
		if (task_power_step(&p, rsp, req) == DRV_STEP_DONE) {
			struct ipmi_chassis_status cs;

			w->have_power = 1;
			w->power_on = p.power_on;
			/* the fault bits, for /metrics (28.2, byte 3) */
			buf_init_read(&b, rsp->data, rsp->len);
			if (w->fm != NULL)
				fm_chassis(w->fm, p.power_on,
				    ipmi_chassis_status_decode(&b, &cs) == 0 ?
				    cs.misc : 0);
		}
		w->phase = P_SDR;
		return next_phase(sw, h, req);
	}
	case P_SDR:
		return sdr_step(sw, h, rsp, req);
	case P_FRU:
		return fru_step(sw, h, rsp, req);
	case P_READ:
		return read_step(sw, h, rsp, req);
	case P_SEL:
		return sel_step(sw, h, rsp, req);
	case P_DCMI:
		if (rsp->cc == IPMI_CC_OK) {
			struct dcmi_power_rsp p;

			buf_init_read(&b, rsp->data, rsp->len);
			if (dcmi_power_rsp_decode(&b, &p) == 0) {
				struct rows *r = sw->rows;

				if (w->fm != NULL)
					fm_dcmi(w->fm, p.current_w);
				rows_start(r, RT_DCMI);
				rows_str(r, t->name);
				rows_time_ms(r, now_ms(sw));
				if (w->have_power)
					rows_bool(r, w->power_on);
				else
					rows_null(r);
				rows_int(r, p.current_w);
				rows_int(r, p.min_w);
				rows_int(r, p.max_w);
				rows_int(r, p.avg_w);
				rows_uint(r, p.period_ms);
				(void)rows_end(r);
			}
		} else {
			h->no_dcmi = 1;	/* not a failure: many BMCs lack it */
		}
		w->phase = P_DONE;
		return next_phase(sw, h, req);
	default:
		return DRV_STEP_DONE;
	}
}

void
sweep_done(void *arg, struct drv_target *t)
{
	struct sweep *sw = arg;
	struct sweep_host *h = (struct sweep_host *)t;
	struct sweep_work *w = h->w;
	struct rows *r = sw->rows;
	uint64_t now = now_ms(sw);

	if (w != NULL && w->have_devid) {
		char fw[16], iv[8];

		snprintf(fw, sizeof(fw), "%u.%02u", w->devid.fw_major,
		    w->devid.fw_minor);
		snprintf(iv, sizeof(iv), "%u.%u", w->devid.ipmi_version & 0xf,
		    w->devid.ipmi_version >> 4);
		rows_start(r, RT_PROFILE);
		rows_str(r, t->name);
		rows_uint(r, w->devid.manufacturer);
		rows_uint(r, w->devid.product);
		rows_uint(r, w->devid.device_id);
		rows_uint(r, w->devid.device_rev);
		rows_str(r, fw);
		rows_str(r, iv);
		if (w->have_guid) {
			char g[37];

			ipmi_guid_format(w->guid, g);
			rows_str(r, g);
		} else
			rows_null(r);
		if (t->info.cipher_suite >= 0)
			rows_int(r, t->info.cipher_suite);
		else
			rows_null(r);
		rows_bool(r, w->fru_done);
		rows_str(r, w->sdr_key[0] ? w->sdr_key : NULL);
		rows_time_ms(r, now);
		(void)rows_end(r);
	}
	if (w != NULL && w->fm != NULL && w->have_sysfw &&
	    w->sysfw->text[0] != '\0')
		fm_sysfw(sw->cfg.mem, w->fm, w->sysfw->text);
	if (w != NULL && w->fm != NULL)
		fm_end(w->fm, t->fail == DRV_OK, t->fail, now,
		    (uint32_t)(t->end_ms - t->start_ms));
	else if (sw->cfg.mem != NULL) {
		/* failed before its work began: still its latest sweep */
		struct fm_host *f = fleetmem_host(sw->cfg.mem, t->name);

		if (f != NULL) {
			fm_begin(f);
			fm_end(f, t->fail == DRV_OK, t->fail, now,
			    (uint32_t)(t->end_ms - t->start_ms));
		}
	}
	if (w != NULL && w->have_devid && w->have_sysfw &&
	    w->sysfw->text[0] != '\0') {
		rows_start(r, RT_SYSFW);
		rows_str(r, t->name);
		rows_str(r, w->sysfw->text);
		rows_time_ms(r, now);
		(void)rows_end(r);
	}
	if (w != NULL && w->have_power) {
		rows_start(r, RT_POWER);
		rows_str(r, t->name);
		rows_time_ms(r, h->started_ms);
		rows_bool(r, w->power_on);
		(void)rows_end(r);
	}
	rows_start(r, RT_RESULT);
	rows_str(r, sw->run_key);
	rows_str(r, t->name);
	rows_bool(r, t->fail == DRV_OK);
	if (t->fail == DRV_OK) {
		rows_null(r);
		rows_null(r);
	} else {
		rows_str(r, drv_fail_name(t->fail));
		rows_str(r, t->errmsg);
	}
	rows_int(r, (long long)(t->end_ms - t->start_ms));
	rows_uint(r, t->requests);
	rows_time_ms(r, now);
	(void)rows_end(r);

	if (t->fail == DRV_OK)
		sw->st.ok++;
	else {
		sw->st.failed++;
		if ((unsigned)t->fail <= DRV_FAIL_LAST)
			sw->st.by_reason[t->fail]++;
	}
	sw->st.readings += h->readings;
	sw->st.events += h->events;
	sw->st.frus += h->frus;
	work_free(h);
	if (sw->cfg.flush != NULL && rows_bytes(r) >= sw->cfg.flush_bytes)
		sw->cfg.flush(sw->cfg.flush_arg);
}
