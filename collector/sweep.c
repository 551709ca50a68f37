#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/task_read.h"
#include "collector/task_sel.h"
#include "ipmi/cmds.h"
#include "ipmi/crypto.h"
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

#define MAX_FRUS	16
#define KEY_MAX		128
#define DIGEST_LEN	32	/* SHA-256 of a repository's records */
#define DIGEST_HEX	16	/* its hex digits in a key */

/* A sensor's threshold values as JSON ("" when none), beside its
 * description: decoded once per model, stored with every reading. */
struct sweep_thr {
	char		json[160];
};

/*
 * An SDR repository as every BMC with its key shares it.  The key binds
 * the bytes (sweep_sdr_bind); what a host can confirm cheaply is the
 * first record, kept whole to be compared with the host's own.
 */
struct sweep_model {
	char		 key[KEY_MAX];
	size_t		 baselen;	/* key[0..baselen): sdr_repo_key's */
	uint8_t		 digest[DIGEST_LEN];
	uint8_t		 first[SDR_RECORD_MAX];
	size_t		 first_len;	/* 0: no records */
	int		 priv;		/* one host's, in no list: freed by
					 * model_drop */
	struct sensor_desc *s;
	struct sweep_thr *thr;		/* s[i]'s thresholds */
	size_t		 n;
	uint8_t		 fru_ids[MAX_FRUS];
	char		 fru_names[MAX_FRUS][SDR_NAME_MAX];
	size_t		 nfru;
	size_t		 bytes;		/* what it holds, for the bound */
	uint64_t	 used;		/* sweep->tick when last handed out */
	unsigned	 refs;		/* hosts in flight that hold it */
	struct sweep_model *next;
};

/*
 * The models in memory are bounded: a BMC whose repository timestamps
 * move on every request would otherwise add one per sweep for ever.
 * Past either bound the least recently used model no host holds goes.
 */
#define SWEEP_MODELS_MAX	512
#define SWEEP_MODEL_BYTES_MAX	(64u << 20)

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
	P_DEVID, P_GUID, P_CHASSIS, P_SDR, P_FRU, P_READ, P_SEL, P_DCMI, P_DONE,
};

struct sweep_work {
	enum phase	 phase;
	struct ipmi_device_id devid;
	int		 have_devid;
	uint8_t		 guid[16];
	int		 have_guid;
	int		 have_power;
	int		 power_on;
	/* SDR */
	struct sdr_walk	*sw;
	uint8_t		*sdr_buf;
	const struct sweep_model *model;
	char		 sdr_base[KEY_MAX];	/* what the BMC says */
	char		 sdr_key[KEY_MAX];	/* the repository it used */
	int		 sdr_walked;
	/* the probe: the host's first record against the memory's */
	enum probe	 probe;
	unsigned	 probe_reqs;
	uint16_t	 probe_resv;
	uint8_t		 probe_ask;		/* bytes the read asked */
	uint8_t		 probe_want;		/* bytes to compare */
	uint8_t		 probe_got;
	int		 probe_reserved;
	uint8_t		 probe_buf[SDR_RECORD_MAX];
	/* FRU */
	int		 fru_done;
	size_t		 fru_cur;
	struct fru_read	 fr;
	uint8_t		*fru_buf;
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
	struct sweep_model *models;
	size_t		 nmodels, model_bytes;
	uint64_t	 tick;
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

/* --- small JSON, for thresholds and FRU fields ------------------------ */

/*
 * The object the writer holds, into out[cap] when it fits: its length, or
 * 0 (too long, or out of memory) with out "".  The gbuf is released.
 */
static size_t
json_into(struct json *j, char *out, size_t cap)
{
	size_t n = strlen(gbuf_str(j->b));

	out[0] = '\0';
	if (json_failed(j) || n + 1 > cap)
		n = 0;
	else
		memcpy(out, gbuf_str(j->b), n + 1);
	gbuf_release(j->b);
	return n;
}

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

/* --- the SDR memory ------------------------------------------------------ */

static int
sdr_digest(const uint8_t *recs, size_t len, uint8_t out[DIGEST_LEN])
{
	struct crypto_seg seg = { recs, len };

	return crypto_digest(CRYPTO_SHA256, &seg, 1, out);
}

/* base (blen bytes) ":" the digest's first DIGEST_HEX hex digits */
static int
key_bind(const char *base, size_t blen, const uint8_t digest[DIGEST_LEN],
    char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	char *p = out;

	if (blen + 1 + DIGEST_HEX >= outlen)
		return -1;
	memmove(p, base, blen);
	p += blen;
	*p++ = ':';
	for (int i = 0; i < DIGEST_HEX / 2; i++) {
		*p++ = hex[digest[i] >> 4];
		*p++ = hex[digest[i] & 0xf];
	}
	*p = '\0';
	return 0;
}

int
sweep_sdr_bind(const char *base, const uint8_t *recs, size_t len, char *out,
    size_t outlen)
{
	uint8_t d[DIGEST_LEN];

	if (sdr_digest(recs, len, d) != 0)
		return -1;
	return key_bind(base, strlen(base), d, out, outlen);
}

/* The first 8 bytes of a digest, what a host remembers; never 0. */
static uint64_t
digest_id(const uint8_t d[DIGEST_LEN])
{
	uint64_t v = 0;

	for (int i = 0; i < DIGEST_HEX / 2; i++)
		v = v << 8 | d[i];
	return v != 0 ? v : 1;
}

uint64_t
sweep_sdr_key_id(const char *key)
{
	const char *p = strrchr(key, ':');
	uint64_t v = 0;

	if (p == NULL || strlen(++p) != DIGEST_HEX)
		return 0;
	for (; *p; p++) {
		int x = *p >= '0' && *p <= '9' ? *p - '0' :
		    *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;

		if (x < 0)
			return 0;
		v = v << 4 | (uint64_t)x;
	}
	return v != 0 ? v : 1;
}

static void
thresholds_json(const struct sensor_desc *s, struct sweep_thr *t)
{
	static const char *const names[SDR_TH_COUNT] = { "lnc", "lcr", "lnr",
	    "unc", "ucr", "unr" };
	struct gbuf b = GBUF_INIT;
	struct json j;
	char v[40];
	int n = 0;

	t->json[0] = '\0';
	if (s->kind != SENSOR_KIND_THRESHOLD || !s->analog)
		return;
	json_init(&j, &b, JSON_SPACED);
	json_obj(&j);
	for (int k = 0; k < SDR_TH_COUNT; k++) {
		double x;

		if (!(s->readable_th >> k & 1) ||
		    sensor_convert(&s->f, s->th_raw[k], &x) != 0 ||
		    !isfinite(x))
			continue;
		json_key(&j, names[k]);
		snprintf(v, sizeof(v), "%.10g", x);
		json_raw(&j, v);
		n++;
	}
	json_end(&j);
	/* none readable: no object at all */
	if (json_into(&j, t->json, sizeof(t->json)) == 0 || n == 0)
		t->json[0] = '\0';
}

/* Decode a repository into a model; NULL on ENOMEM. */
static struct sweep_model *
model_new(const char *key, const uint8_t *recs, size_t len)
{
	struct sweep_model *m;
	struct sdr_iter *it;
	struct sdr_record rec;
	const uint8_t *raw;
	size_t off = 0, rlen;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((it = malloc(sizeof(*it))) == NULL) {
		free(m);
		return NULL;
	}
	snprintf(m->key, sizeof(m->key), "%s", key);
	if (sdr_next_record(recs, len, &off, &raw, &rlen) == 1 &&
	    rlen <= sizeof(m->first)) {
		memcpy(m->first, raw, rlen);
		m->first_len = rlen;
	}
	sdr_iter_init(it, recs, len);
	while (sdr_iter_next(it, &rec)) {
		if (rec.type == SDR_TYPE_FRU_LOCATOR) {
			/* logical FRU devices behind the BMC itself */
			if (rec.u.fru.logical &&
			    (rec.u.fru.access_addr & 0xfe) == SENSOR_OWNER_BMC &&
			    rec.u.fru.fru_id != 0 && m->nfru < MAX_FRUS) {
				m->fru_ids[m->nfru] = rec.u.fru.fru_id;
				snprintf(m->fru_names[m->nfru],
				    sizeof(m->fru_names[0]), "%s",
				    rec.u.fru.id.text);
				m->nfru++;
			}
			continue;
		}
	}
	free(it);
	if (task_read_list(recs, len, &m->s, &m->n) != 0 ||
	    (m->n > 0 && (m->thr = malloc(m->n * sizeof(*m->thr))) == NULL)) {
		free(m->s);
		free(m);
		return NULL;
	}
	for (size_t i = 0; i < m->n; i++)
		thresholds_json(&m->s[i], &m->thr[i]);
	return m;
}

static struct sweep_model *
model_lookup(const struct sweep *sw, const char *key)
{
	for (struct sweep_model *m = sw->models; m != NULL; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

/* Hold m for a host (refs) until work_free. */
static const struct sweep_model *
model_hold(struct sweep *sw, struct sweep_model *m)
{
	if (m != NULL) {
		m->used = ++sw->tick;
		m->refs++;
	}
	return m;
}

static void
model_free(struct sweep_model *m)
{
	free(m->s);
	free(m->thr);
	free(m);
}

static void
model_drop(const struct sweep_model *cm)
{
	struct sweep_model *m = (struct sweep_model *)cm;

	if (m != NULL && m->refs > 0)
		m->refs--;
	if (m != NULL && m->priv && m->refs == 0)
		model_free(m);
}

/* Evict least recently used models no host holds, down to the bounds. */
static void
models_trim(struct sweep *sw, const struct sweep_model *keep)
{
	while (sw->nmodels > SWEEP_MODELS_MAX ||
	    sw->model_bytes > SWEEP_MODEL_BYTES_MAX) {
		struct sweep_model **pp, **victim = NULL;

		for (pp = &sw->models; *pp != NULL; pp = &(*pp)->next)
			if ((*pp)->refs == 0 && *pp != keep &&
			    (victim == NULL || (*pp)->used < (*victim)->used))
				victim = pp;
		if (victim == NULL)
			return;		/* every model is in use */
		{
			struct sweep_model *m = *victim;

			*victim = m->next;
			sw->nmodels--;
			sw->model_bytes -= m->bytes;
			model_free(m);
		}
	}
}

/*
 * A repository into the memory under key, which must be bound to its
 * bytes (sweep_sdr_bind): 0 with *out the model (new, or held already
 * with the same digest), 1 when the key does not name these bytes or is
 * held with others (those stay: a walk never replaces what other hosts
 * use), -1 on ENOMEM.
 */
static int
model_add(struct sweep *sw, const char *key, const uint8_t *recs, size_t len,
    struct sweep_model **out)
{
	struct sweep_model *m;
	uint8_t d[DIGEST_LEN];
	char want[KEY_MAX];
	const char *colon = strrchr(key, ':');
	size_t baselen;

	if (colon == NULL || sdr_digest(recs, len, d) != 0)
		return 1;
	baselen = (size_t)(colon - key);
	if (key_bind(key, baselen, d, want, sizeof(want)) != 0 ||
	    strcmp(want, key) != 0)
		return 1;
	if ((m = model_lookup(sw, key)) != NULL) {
		if (memcmp(m->digest, d, sizeof(d)) != 0)
			return 1;
		*out = m;
		return 0;
	}
	if ((m = model_new(key, recs, len)) == NULL)
		return -1;
	m->baselen = baselen;
	memcpy(m->digest, d, sizeof(d));
	m->bytes = sizeof(*m) + m->n * (sizeof(*m->s) + sizeof(*m->thr));
	m->used = ++sw->tick;
	m->next = sw->models;
	sw->models = m;
	sw->nmodels++;
	sw->model_bytes += m->bytes;
	models_trim(sw, m);
	*out = m;
	return 0;
}

int
sweep_add_sdr(struct sweep *sw, const char *key, const uint8_t *recs,
    size_t len)
{
	struct sweep_model *m;

	return model_add(sw, key, recs, len, &m);
}

/* Whether m is held under base, what a BMC says about its repository. */
static int
model_of(const struct sweep_model *m, const char *base, size_t blen)
{
	return m->baselen == blen && memcmp(m->key, base, blen) == 0;
}

/*
 * Whether m's first record starts with the len bytes a BMC gave for its
 * own: the header at least (record ID, type and length), all of it when
 * it came whole; len 0 is a BMC that has no first record (CBh).
 */
static int
model_first_is(const struct sweep_model *m, const uint8_t *p, size_t len)
{
	if (len == 0)
		return m->first_len == 0;
	return len >= SDR_HDR_LEN && len <= m->first_len &&
	    memcmp(m->first, p, len) == 0;
}

int
sweep_has_sdr(const struct sweep *sw, const char *key)
{
	return model_lookup(sw, key) != NULL;
}

size_t
sweep_models(const struct sweep *sw, size_t *bytes)
{
	if (bytes != NULL)
		*bytes = sw->model_bytes;
	return sw->nmodels;
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
	struct sweep_model *m, *next;

	if (sw == NULL)
		return;
	for (m = sw->models; m != NULL; m = next) {
		next = m->next;
		free(m->s);
		free(m);
	}
	free(sw->fru);
	free(sw->run_key);
	free(sw);
}

const struct sweep_stats *
sweep_stats(const struct sweep *sw)
{
	return &sw->st;
}

static void
work_free(struct sweep_host *h)
{
	struct sweep_work *w = h->w;

	if (w == NULL)
		return;
	model_drop(w->model);
	free(w->sw);
	free(w->sdr_buf);
	free(w->fru_buf);
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
    const struct sensor_desc *s, const struct sweep_thr *thr,
    const struct ipmi_sensor_reading_rsp *rd, uint64_t ts)
{
	struct rows *r = sw->rows;
	int na = sensor_reading_na(rd);
	double v;

	rows_start(r, RT_READING);
	rows_str(r, h->t.name);
	rows_int(r, s->owner);
	rows_int(r, s->number);
	rows_str(r, s->name);
	rows_int(r, s->record_id);
	rows_str(r, ipmi_sensor_type_name(s->sensor_type));
	rows_str(r, sensor_kind_name(s->kind));
	rows_str(r, s->kind == SENSOR_KIND_THRESHOLD ? s->units : NULL);
	rows_str(r, thr->json[0] ? thr->json : NULL);
	rows_time_ms(r, ts);
	if (!na && s->kind == SENSOR_KIND_THRESHOLD && s->analog &&
	    sensor_convert(&s->f, rd->raw, &v) == 0)
		rows_double(r, v);
	else
		rows_null(r);
	rows_int(r, rd->raw);
	if (s->kind == SENSOR_KIND_THRESHOLD)
		rows_str(r, sensor_status_name(na ? SENSOR_ST_NA :
		    sensor_thresh_status(rd, NULL)));
	else
		rows_null(r);
	rows_str(r, sensor_health_name(sensor_health(s->event_type,
	    s->sensor_type, na ? NULL : rd)));
	if (s->kind == SENSOR_KIND_DISCRETE && !na && rd->has_state)
		rows_int(r, rd->states);
	else
		rows_null(r);
	if (rows_end(r) == 0)
		h->readings++;
}

static void
emit_sel(struct sweep *sw, struct sweep_host *h, const uint8_t *rec)
{
	const struct sweep_model *m = h->w->model;
	const char *sensor = NULL;
	struct rows *r = sw->rows;
	struct sel_entry e;
	char desc[160];

	if (sel_decode(rec, SEL_ENTRY_LEN, &e) != 0)
		return;
	(void)sel_describe(&e, desc, sizeof(desc));
	if (e.kind == SEL_KIND_SYSTEM && m != NULL) {
		for (size_t i = 0; i < m->n; i++)
			if (m->s[i].number == e.sensor_number &&
			    m->s[i].sensor_type == e.sensor_type) {
				sensor = m->s[i].name;
				break;
			}
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

static enum drv_step
fail(struct sweep_host *h, int err, const char *what, uint8_t cc)
{
	if (err == IPMI_E_CC)
		driver_fail(&h->t, err, "%s: %s (0x%02x)", what,
		    ipmi_ccstr(cc), cc);
	else
		driver_fail(&h->t, err, "%s: %s", what, ipmi_strerror(err));
	return DRV_STEP_FAIL;
}

static enum drv_step	next_phase(struct sweep *, struct sweep_host *,
			    struct drv_request *);
static enum drv_step	sdr_step(struct sweep *, struct sweep_host *,
			    const struct ipmi_response *, struct drv_request *);
static enum drv_step	sdr_keep_walk(struct sweep *, struct sweep_host *,
			    struct drv_request *);

/* The host uses m, held in memory: no walk. */
static enum drv_step
sdr_hit(struct sweep *sw, struct sweep_host *h, struct sweep_model *m,
    struct drv_request *req)
{
	struct sweep_work *w = h->w;

	w->model = model_hold(sw, m);
	snprintf(w->sdr_key, sizeof(w->sdr_key), "%s", m->key);
	h->sdr_used = digest_id(m->digest);
	sw->st.sdr_hits++;
	/* the walker's 8 KiB are not needed any more */
	free(w->sw);
	w->sw = NULL;
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
	size_t n, cap;

	w->probe = PR_NONE;
	n = (size_t)w->sw->info.count + SDR_EXTRA_RECORDS;
	if (n > SDR_MAX_RECORDS)
		n = SDR_MAX_RECORDS;
	cap = n * SDR_RECORD_MAX;
	if ((w->sdr_buf = malloc(cap)) == NULL)
		return fail(h, IPMI_E_NOSPACE, "sdr", 0);
	w->sw->buf = w->sdr_buf;
	w->sw->cap = cap;
	return sdr_step(sw, h, NULL, req);
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
	struct sweep_model *m, *one = NULL, *last = NULL;
	size_t blen = strlen(w->sdr_base), nmatch = 0, ncand = 0;

	if (!decided)
		return sdr_start_walk(sw, h, req);
	for (m = sw->models; m != NULL; m = m->next) {
		if (!model_of(m, w->sdr_base, blen))
			continue;
		ncand++;
		if (!model_first_is(m, w->probe_buf, w->probe_got))
			continue;
		nmatch++;
		one = m;
		if (digest_id(m->digest) == h->sdr_used)
			last = m;
	}
	if (nmatch == 1)
		return sdr_hit(sw, h, one, req);
	if (last != NULL)
		return sdr_hit(sw, h, last, req);
	if (ncand > 0)
		sw->st.sdr_conflicts++;
	return sdr_start_walk(sw, h, req);
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

	for (const struct sweep_model *m = sw->models; m != NULL; m = m->next)
		if (model_of(m, w->sdr_base, blen) && m->first_len > want)
			want = m->first_len;
	/* FFh would mean "the whole record" */
	if (want > SDR_READ_ALL - 1)
		want = SDR_READ_ALL - 1;
	if (h->sdr_probe_max != 0 && want > h->sdr_probe_max)
		want = h->sdr_probe_max;
	if (want < SDR_HDR_LEN)
		want = SDR_HDR_LEN;
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
	struct sweep_model *m;
	struct ipmi_req ir;
	int rc;

	if (rsp != NULL && w->probe != PR_NONE)
		return probe_feed(sw, h, rsp, req);
	if (rsp != NULL) {
		int had = w->sw->have_info;

		rc = sdr_walk_feed(w->sw, rsp->cc, rsp->data, rsp->len);
		if (rc < 0)
			return fail(h, rc, "sdr repository", w->sw->cc);
		if (!had && w->sw->have_info) {
			const struct ipmi_sdr_info_rsp *in = &w->sw->info;
			size_t blen;

			struct sdr_repo_id id = {
				w->devid.manufacturer, w->devid.product,
				w->devid.fw_major, w->devid.fw_minor,
				{ w->devid.aux[0], w->devid.aux[1],
				w->devid.aux[2], w->devid.aux[3] },
				in->count, in->add_ts, in->erase_ts };

			sdr_repo_key(&id, w->sdr_base, sizeof(w->sdr_base));
			blen = strlen(w->sdr_base);
			if (in->count == 0) {
				/* nothing to confirm: the key says it all */
				if (sweep_sdr_bind(w->sdr_base, NULL, 0,
				    w->sdr_key, sizeof(w->sdr_key)) == 0 &&
				    (m = model_lookup(sw, w->sdr_key)) != NULL)
					return sdr_hit(sw, h, m, req);
			} else {
				for (m = sw->models; m != NULL; m = m->next)
					if (model_of(m, w->sdr_base, blen))
						return probe_begin(sw, h, req);
			}
			return sdr_start_walk(sw, h, req);
		}
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
	struct sweep_model *m = NULL;
	int rc;

	sw->st.sdr_walks++;
	w->sdr_walked = 1;
	if (sweep_sdr_bind(w->sdr_base, w->sdr_buf, w->sw->len, w->sdr_key,
	    sizeof(w->sdr_key)) != 0)
		return fail(h, IPMI_E_NOSPACE, "sdr", 0);
	rc = model_add(sw, w->sdr_key, w->sdr_buf, w->sw->len, &m);
	if (rc < 0)
		return fail(h, IPMI_E_NOSPACE, "sdr", 0);
	if (rc > 0) {
		sw->st.sdr_conflicts++;
		if ((m = model_new(w->sdr_key, w->sdr_buf, w->sw->len)) ==
		    NULL)
			return fail(h, IPMI_E_NOSPACE, "sdr", 0);
		m->priv = 1;
		w->sdr_key[0] = '\0';	/* no sdr_cache row is its own */
		h->sdr_used = 0;
	} else {
		h->sdr_used = digest_id(m->digest);
	}
	w->model = model_hold(sw, m);
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
	const struct sweep_model *m = w->model;
	struct ipmi_req ir;
	int rc;

	for (;;) {
		if (!w->fru_started) {
			size_t ndev = 1 + (m != NULL ? m->nfru : 0);

			if (w->fru_cur >= ndev) {
				h->fru_read_ms = now_ms(sw);
				w->fru_done = 1;
				w->phase = P_READ;
				return next_phase(sw, h, req);
			}
			fru_read_init(&w->fr, w->fru_cur == 0 ? 0 :
			    m->fru_ids[w->fru_cur - 1], NULL, 0);
			w->fru_started = 1;
			rsp = NULL;
		}
		if (rsp != NULL) {
			if (w->fr.state == FRU_READ_INFO_WAIT &&
			    rsp->cc == IPMI_CC_OK && w->fru_buf == NULL) {
				struct ipmi_fru_info_rsp in;
				struct buf b;

				buf_init_read(&b, rsp->data, rsp->len);
				if (ipmi_fru_info_rsp_decode(&b, &in) == 0 &&
				    in.size > 0) {
					if ((w->fru_buf = malloc(in.size)) ==
					    NULL)
						return fail(h, IPMI_E_NOSPACE,
						    "fru", 0);
					w->fr.buf = w->fru_buf;
					w->fr.cap = in.size;
				}
			}
			rc = fru_read_feed(&w->fr, rsp->cc, rsp->data,
			    rsp->len);
			rsp = NULL;
			if (rc < 0)
				goto next_device;
		}
		rc = fru_read_next(&w->fr, &ir);
		if (rc == IPMI_WALK_SEND) {
			drv_req_from(req, &ir);
			return DRV_STEP_SEND;
		}
		if (rc == IPMI_WALK_DONE && w->fr.len > 0)
			emit_fru(sw, h, w->fr.dev_id, w->fru_cur == 0 ?
			    "Builtin FRU Device" : m->fru_names[w->fru_cur - 1],
			    w->fru_buf, w->fr.len);
next_device:
		/* a device that cannot be read does not stop the others */
		free(w->fru_buf);
		w->fru_buf = NULL;
		w->fru_started = 0;
		w->fru_cur++;
	}
}

static enum drv_step
read_step(struct sweep *sw, struct sweep_host *h,
    const struct ipmi_response *rsp, struct drv_request *req)
{
	struct sweep_work *w = h->w;
	const struct sweep_model *m = w->model;
	struct task_reading got;

	if (m == NULL) {
		w->phase = P_SEL;
		return next_phase(sw, h, req);
	}
	if (rsp == NULL)
		task_read_init(&w->rd, m->s, m->n);
	if (task_read_step(&w->rd, rsp, req, &got) == DRV_STEP_SEND) {
		if (got.answered && got.ok)
			emit_reading(sw, h, &m->s[got.i], &m->thr[got.i],
			    &got.rd, now_ms(sw));
		return DRV_STEP_SEND;
	}
	if (got.answered && got.ok)
		emit_reading(sw, h, &m->s[got.i], &m->thr[got.i], &got.rd,
		    now_ms(sw));
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
		case P_CHASSIS:
			req_plain(req, IPMI_NETFN_CHASSIS,
			    IPMI_CMD_GET_CHASSIS_STATUS);
			return DRV_STEP_SEND;
		case P_SDR:
			if (!(what & (SWEEP_SENSORS | SWEEP_SEL | SWEEP_FRU))) {
				w->phase = P_DCMI;
				continue;
			}
			if ((w->sw = malloc(sizeof(*w->sw))) == NULL)
				return fail(h, IPMI_E_NOSPACE, "sdr", 0);
			sdr_walk_init(w->sw, NULL, 0, 0);
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

enum drv_step
sweep_step(void *arg, struct drv_target *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct sweep *sw = arg;
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
		w->phase = P_GUID;
		return next_phase(sw, h, req);
	case P_GUID:
		/* optional: many BMCs lack the command */
		buf_init_read(&b, rsp->data, rsp->len);
		if (rsp->cc == IPMI_CC_OK && ipmi_guid_decode(&b, w->guid) == 0)
			w->have_guid = 1;
		w->phase = P_CHASSIS;
		return next_phase(sw, h, req);
	case P_CHASSIS:
		if (rsp->cc == IPMI_CC_OK) {
			struct ipmi_chassis_status cs;

			buf_init_read(&b, rsp->data, rsp->len);
			if (ipmi_chassis_status_decode(&b, &cs) == 0) {
				w->have_power = 1;
				w->power_on = cs.power_on;
			}
		}
		w->phase = P_SDR;
		return next_phase(sw, h, req);
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
