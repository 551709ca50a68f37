/*
 * sensors: the SDR repository of each model and the readings of its
 * sensors (IPMI v2.0 rev 1.1, 33 SDR repository, 35 sensor commands, 43
 * record formats).
 *
 * A model's sensors are a table in sensors_tab.c; its repository (the
 * record bytes the Get SDR commands serve) is built from the table the
 * first time a BMC of that model is asked, and shared by every BMC of the
 * model.  Readings are computed on demand from the BMC's seed, the sensor
 * number, the time and the power state, so they cost nothing while nobody
 * asks, are the same whichever tool asks, and drift by at most one raw
 * count per 30 s.
 */
#include <stddef.h>
#include <string.h>

#include "bmcstate.h"
#include "ipmi/ipmi.h"
#include "ipmi/sensor.h"
#include "quirk.h"
#include "sensors.h"
#include "sensors_int.h"

/* Commands beyond the ones ipmi/sdr.h and ipmi/sensor.h name. */
enum {
	CMD_GET_SDR_ALLOC_INFO = 0x21,		/* storage, 33.10 */
	CMD_GET_SENSOR_HYSTERESIS = 0x25,	/* sensor/event, 35.7 */
	CMD_GET_SENSOR_EVENT_ENABLE = 0x29,	/* 35.11 */
};

#define WINDOW_MS	30000u	/* readings move at most 1 count a window */

static uint32_t window_ms = WINDOW_MS;	/* sim_sensors_configure */

void
sim_sensors_configure(uint32_t ms)
{
	window_ms = ms;
}
#define SDR_VERSION	0x51
#define REC_MAX		64	/* full record, 16-byte name: 48 + 16 */
#define READ_MAX	64	/* largest Get SDR count but FFh */
#define ALLOC_UNIT	16	/* bytes per allocation unit */
#define ALLOC_UNITS	1024	/* a 16 KiB repository */
#define MAX_RECORDS	64

/* --- the repositories ------------------------------------------------- */

struct rec {
	uint16_t	 id;
	uint8_t		 len;		/* header included */
	uint8_t		 data[REC_MAX];
};

struct repo {
	const struct sim_model	*model;		/* NULL: slot free */
	int			 lower;		/* lie-sdr-key's: names lower */
	const struct mdef	*def;
	unsigned		 index;		/* in mdefs: the timestamps */
	unsigned		 nrec;
	struct rec		 rec[MAX_RECORDS];
	const struct sdef	*by_num[256];	/* sensors by number */
	size_t			 bytes;		/* of all records */
};

static struct repo repos[8];

/* The raw byte of a number as the format stores it. */
static uint8_t
enc_raw(uint8_t format, int v)
{
	switch (format) {
	case SDR_FMT_TWOS:
		return (uint8_t)(v & 0xff);
	case SDR_FMT_ONES:
		return (uint8_t)(v < 0 ? 0xff + v : v);
	default:
		return (uint8_t)v;
	}
}

static int
raw_min(uint8_t format)
{
	return format == SDR_FMT_TWOS ? -128 :
	    format == SDR_FMT_ONES ? -127 : 0;
}

static int
raw_max(uint8_t format)
{
	return format == SDR_FMT_TWOS || format == SDR_FMT_ONES ? 127 : 255;
}

static uint8_t
thresh_mask(const struct sdef *d)
{
	uint8_t m = 0;
	int i;

	if (d->cls->etype != THR)
		return 0;
	for (i = 0; i < SDR_TH_COUNT; i++)
		if (d->th[i] != TH_NONE)
			m |= (uint8_t)(1 << i);
	return m;
}

static size_t
put_name(uint8_t *p, const char *name)
{
	size_t n = strlen(name);

	if (n > SDR_ID_LEN_MAX)
		n = SDR_ID_LEN_MAX;
	p[0] = (uint8_t)(0xc0 | n);	/* 8-bit ASCII + Latin 1 */
	memcpy(p + 1, name, n);
	return 1 + n;
}

/* Bytes 6-23 (offsets 5-22) of full and compact records. */
static void
put_common(uint8_t *p, const struct sdef *d)
{
	const struct cls *c = d->cls;
	uint16_t as, de, rd;
	uint8_t th = thresh_mask(d);
	int i;

	p[5] = IPMI_BMC_ADDR;
	p[6] = 0x00;			/* channel 0, LUN 0 */
	p[7] = d->num;
	p[8] = d->entity;
	p[9] = d->inst;
	if (c->etype == THR) {
		/* scanning, events, thresholds, hysteresis, type; enabled */
		p[10] = th ? 0x7f : 0x67;
		/* auto re-arm; hysteresis and thresholds readable, settable */
		p[11] = th ? 0x68 : 0x40;
		as = de = 0;
		for (i = 0; i < SDR_TH_COUNT; i++) {
			if (!(th & (1 << i)))
				continue;
			if (i < SDR_TH_UNC) {
				/* going low; lower threshold reading mask */
				as |= (uint16_t)(1 << (2 * i) | 1 << (12 + i));
				de |= (uint16_t)(1 << (2 * i));
			} else {
				as |= (uint16_t)(1 << (2 * i + 1));
				de |= (uint16_t)(1 << (2 * i + 1) |
				    1 << (12 + i - SDR_TH_UNC));
			}
		}
		rd = (uint16_t)(th | th << 8);	/* readable, settable */
	} else {
		p[10] = 0x67;
		p[11] = 0x40;		/* auto re-arm, events per state */
		as = de = rd = c->smask;
	}
	p[12] = c->stype;
	p[13] = c->etype;
	p[14] = (uint8_t)(as & 0xff);
	p[15] = (uint8_t)(as >> 8);
	p[16] = (uint8_t)(de & 0xff);
	p[17] = (uint8_t)(de >> 8);
	p[18] = (uint8_t)(rd & 0xff);
	p[19] = (uint8_t)(rd >> 8);
	p[20] = (uint8_t)(c->format << 6 | c->percent);
	p[21] = c->unit;
	p[22] = 0;
}

static size_t
build_full(uint8_t *p, const struct sdef *d)
{
	const struct cls *c = d->cls;
	static const uint8_t at[SDR_TH_COUNT] = {
		/* where each threshold goes: LNC LCR LNR UNC UCR UNR */
		41, 40, 39, 38, 37, 36,
	};
	int i, lo, hi, nmax, nmin;

	put_common(p, d);
	p[23] = c->linear;
	p[24] = (uint8_t)(c->m & 0xff);
	p[25] = (uint8_t)(((c->m >> 8) & 3) << 6);	/* tolerance 0 */
	p[26] = (uint8_t)(c->b & 0xff);
	p[27] = (uint8_t)(((c->b >> 8) & 3) << 6);	/* accuracy 0 */
	p[28] = c->dir & 3;
	p[29] = (uint8_t)((c->k2 & 0xf) << 4 | (c->k1 & 0xf));
	if (c->format != SDR_FMT_NONE) {
		lo = raw_min(c->format);
		hi = raw_max(c->format);
		/* normal range: up to the first bound either side, if any */
		nmax = d->th[SDR_TH_UNC] != TH_NONE ? d->th[SDR_TH_UNC] :
		    d->th[SDR_TH_UCR] != TH_NONE ? d->th[SDR_TH_UCR] : TH_NONE;
		nmin = d->th[SDR_TH_LNC] != TH_NONE ? d->th[SDR_TH_LNC] :
		    d->th[SDR_TH_LCR] != TH_NONE ? d->th[SDR_TH_LCR] : TH_NONE;
		p[30] = SDR_AC_NOMINAL;
		p[31] = enc_raw(c->format, d->nom);
		if (nmax != TH_NONE) {
			p[30] |= SDR_AC_NORMAL_MAX;
			p[32] = enc_raw(c->format, nmax);
		}
		if (nmin != TH_NONE) {
			p[30] |= SDR_AC_NORMAL_MIN;
			p[33] = enc_raw(c->format, nmin);
		}
		p[34] = enc_raw(c->format, hi);
		p[35] = enc_raw(c->format, lo);
	}
	for (i = 0; i < SDR_TH_COUNT; i++)
		if (d->th[i] != TH_NONE)
			p[at[i]] = enc_raw(c->format, d->th[i]);
	if (thresh_mask(d)) {
		p[42] = c->hyst;
		p[43] = c->hyst;
	}
	return 47 + put_name(p + 47, d->name);
}

static size_t
build_compact(uint8_t *p, const struct sdef *d)
{
	put_common(p, d);
	p[23] = 0x01;		/* not shared, numeric modifier */
	p[24] = 0x00;
	p[25] = d->cls->hyst;
	p[26] = d->cls->hyst;
	return 31 + put_name(p + 31, d->name);
}

static size_t
build_event_only(uint8_t *p, const struct sdef *d)
{
	p[5] = IPMI_BMC_ADDR;
	p[6] = 0x00;
	p[7] = d->num;
	p[8] = d->entity;
	p[9] = d->inst;
	p[10] = d->cls->stype;
	p[11] = d->cls->etype;
	p[12] = 0x01;		/* not shared */
	p[13] = 0x00;
	return 16 + put_name(p + 16, d->name);
}

/* 43.8: logical FRU device 1 behind the BMC, a power supply's. */
static size_t
build_fru_locator(uint8_t *p)
{
	p[5] = IPMI_BMC_ADDR;
	p[6] = SIM_FRU_PS1;
	p[7] = 0x80;		/* logical, LUN 0, bus 0 */
	p[8] = 0x00;		/* channel 0 */
	p[10] = 0x10;		/* FRU inventory behind a controller */
	p[11] = 0x00;
	p[12] = ENT_PSU;
	p[13] = 1;
	return 15 + put_name(p + 15, "PS1 FRU");
}

/* 43.9: the BMC itself, with what Get Device ID says it supports. */
static size_t
build_mc_locator(uint8_t *p, const char *name)
{
	p[5] = IPMI_BMC_ADDR;
	p[6] = 0x00;
	p[7] = 0x00;
	p[8] = 0x8f;		/* chassis, FRU, SEL, SDR repository, sensor */
	p[12] = 0x06;		/* system management module */
	p[13] = 1;
	return 15 + put_name(p + 15, name);
}

static void
add_record(struct repo *r, uint8_t type, const struct sdef *d,
    const char *name)
{
	struct rec *x = &r->rec[r->nrec];
	uint8_t *p = x->data;
	size_t n;

	memset(p, 0, sizeof(x->data));
	x->id = (uint16_t)(r->def->first_id + r->nrec * r->def->id_step);
	switch (type) {
	case SDR_TYPE_FULL:
		n = build_full(p, d);
		break;
	case SDR_TYPE_COMPACT:
		n = build_compact(p, d);
		break;
	case SDR_TYPE_EVENT_ONLY:
		n = build_event_only(p, d);
		break;
	case SDR_TYPE_FRU_LOCATOR:
		n = build_fru_locator(p);
		break;
	default:
		n = build_mc_locator(p, name);
		break;
	}
	p[0] = (uint8_t)(x->id & 0xff);
	p[1] = (uint8_t)(x->id >> 8);
	p[2] = SDR_VERSION;
	p[3] = type;
	p[4] = (uint8_t)(n - SDR_HDR_LEN);
	x->len = (uint8_t)n;
	r->bytes += n;
	r->nrec++;
}

/* Where a record's ID string type/length byte is (43.1-43.3, 43.8, 43.9). */
static size_t
name_at(uint8_t type)
{
	switch (type) {
	case SDR_TYPE_FULL:
		return 47;
	case SDR_TYPE_COMPACT:
		return 31;
	case SDR_TYPE_EVENT_ONLY:
		return 16;
	default:
		return 15;	/* FRU and MC device locators */
	}
}

/*
 * lie-sdr-key: the model's repository with every ID string lower-cased,
 * so that the count, the time stamps and the sensor numbers are the
 * model's and only the bytes (names, the first record's included)
 * differ.
 */
static void
repo_lower(struct repo *r)
{
	for (unsigned k = 0; k < r->nrec; k++) {
		struct rec *x = &r->rec[k];
		size_t at = name_at(x->data[3]), n;

		if (at >= x->len)
			continue;
		n = x->data[at] & 0x1f;
		for (size_t i = at + 1; i < x->len && i <= at + n; i++)
			if (x->data[i] >= 'A' && x->data[i] <= 'Z')
				x->data[i] = (uint8_t)(x->data[i] - 'A' + 'a');
	}
}

static const struct repo *
repo_for(const struct sim_model *m, int lower)
{
	struct repo *r;
	size_t i;

	for (i = 0; i < NELEM(repos); i++)
		if (repos[i].model == m && repos[i].def != NULL &&
		    repos[i].lower == lower)
			return &repos[i];
	for (i = 0; i < NELEM(repos) - 1; i++)
		if (repos[i].def == NULL)
			break;
	r = &repos[i];		/* the last slot is reused past 7 models */
	memset(r, 0, sizeof(*r));
	r->model = m;
	r->def = sensors_mdef_for(m, &r->index);
	for (i = 0; i < r->def->nsensors && r->nrec < MAX_RECORDS - 2; i++) {
		const struct sdef *d = &r->def->sensors[i];

		add_record(r, d->cls->rec, d, NULL);
		r->by_num[d->num] = d;
	}
	add_record(r, SDR_TYPE_FRU_LOCATOR, NULL, NULL);
	add_record(r, SDR_TYPE_MC_LOCATOR, NULL, r->def->mc_name);
	if (lower) {
		r->lower = 1;
		repo_lower(r);
	}
	return r;
}

/* The repository b serves: its model's, or lie-sdr-key's variant. */
static const struct repo *
bmc_repo(const struct sim_bmc *b)
{
	return repo_for(b->model, (b->quirks & SIM_Q_LIE_SDR_KEY) != 0);
}

/* --- readings --------------------------------------------------------- */

static uint64_t
mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
hash2(uint64_t seed, uint64_t salt)
{
	return mix(seed ^ mix(salt));
}

/* A triangle wave 0..a..0 of period 2a: moves by exactly 1 per step. */
static int
tri(uint64_t x, unsigned a)
{
	uint64_t p;

	if (a == 0)
		return 0;
	p = x % (2 * a);
	return (int)(p > a ? 2 * a - p : p);
}

#define HOT_SALT	0x686f74u	/* "hot" */
#define HOT_PERIOD	120u		/* windows: an excursion an hour */
#define HOT_PEAK	88

/* Roughly one BMC in ten has a CPU1 that now and then runs hot. */
static int
cpu1_runs_hot(const struct sim_bmc *b)
{
	return hash2(b->seed, HOT_SALT) % 10 == 0;
}

struct reading {
	int		avail;
	int		value;		/* analog, as a signed number */
	uint16_t	states;		/* discrete */
};

static int
is_temperature(const struct cls *c)
{
	return c->stype == 0x01;
}

static void
compute(struct sim_bmc *b, uint64_t now, const struct sdef *d,
    struct reading *rd)
{
	const struct cls *c = d->cls;
	uint64_t w = window_ms ? now / window_ms : 0,
	    h = hash2(b->seed, d->num), x;
	int on = sim_bmc_power(b, now), var, drift, v, bump, k;

	memset(rd, 0, sizeof(*rd));
	rd->avail = 1;
	if (c->etype != THR) {
		rd->states = (uint16_t)(on ? d->nom : d->off);
		return;
	}
	/* a step every k windows, from a phase of the BMC's own */
	k = 1 + (int)((h >> 8) % 4);
	x = w / (uint64_t)k + (h >> 16) % 1024;
	drift = tri(x, d->amp) - d->amp / 2;
	var = d->jit ? (int)(h % (2u * d->jit + 1)) - d->jit : 0;
	/*
	 * Fans of a host that is off stop; BMCs then say "reading
	 * unavailable" rather than report 0 RPM under a lower threshold,
	 * which would make every powered-off host critical.
	 */
	if (!on && (d->off == OFF_NA || c->stype == 0x04)) {
		rd->avail = 0;
		return;
	}
	if (!on && d->off != OFF_SAME) {
		/* what is left when the host is off: ambient, standby */
		v = d->off + (is_temperature(c) ? tri(x, 1) : 0);
	} else {
		v = d->nom + var + drift;
		if (d->num == SIM_SENSOR_CPU1_TEMP && cpu1_runs_hot(b)) {
			/* a slow climb past UNC and back, once a period */
			uint64_t ph = hash2(b->seed, HOT_SALT + 1) % HOT_PERIOD;
			int xh = (int)((w + ph) % HOT_PERIOD);
			int dist = xh - (int)HOT_PERIOD / 2;

			bump = HOT_PEAK - (d->nom + var) -
			    (dist < 0 ? -dist : dist);
			if (bump > drift)
				v = d->nom + var + bump;
		}
	}
	if (v < raw_min(c->format))
		v = raw_min(c->format);
	if (v > raw_max(c->format))
		v = raw_max(c->format);
	rd->value = v;
}

/* Threshold comparison status (35.14 byte 3): at or past each bound. */
static uint8_t
compare(const struct sdef *d, int v)
{
	uint8_t bits = 0;
	int i;

	for (i = 0; i < SDR_TH_COUNT; i++) {
		if (d->th[i] == TH_NONE)
			continue;
		if (i < SDR_TH_UNC ? v <= d->th[i] : v >= d->th[i])
			bits |= (uint8_t)(1 << i);
	}
	return bits;
}

static const struct sdef *
sensor(struct sim_bmc *b, uint8_t num)
{
	return bmc_repo(b)->by_num[num];
}

int
sim_sensor_raw(struct sim_bmc *b, uint64_t now, uint8_t number, uint8_t *raw)
{
	const struct sdef *d = sensor(b, number);
	struct reading rd;

	if (d == NULL || d->cls->etype != THR)
		return -1;
	compute(b, now, d, &rd);
	if (!rd.avail)
		return -1;
	*raw = enc_raw(d->cls->format, rd.value);
	return 0;
}

/* --- commands --------------------------------------------------------- */

#define ENC(expr) \
	do { if ((expr) != 0) return IPMI_CC_UNSPECIFIED; } while (0)

static int
repo_info(const struct repo *r, const struct ipmi_msg *req, struct buf *w)
{
	struct ipmi_sdr_info_rsp info;
	uint32_t ts = 0x64000000u + r->index * 0x1000u;
	size_t used = (r->bytes + ALLOC_UNIT - 1) / ALLOC_UNIT;

	if (req->len != 0)
		return IPMI_CC_REQ_LEN;
	memset(&info, 0, sizeof(info));
	info.version = SDR_VERSION;
	info.count = (uint16_t)r->nrec;
	info.free = (uint16_t)((ALLOC_UNITS - used) * ALLOC_UNIT);
	info.add_ts = ts;
	info.erase_ts = ts - 0x100;
	/* non-modal update; reserve and allocation info supported */
	info.support = 1 << 5 | SDR_SUP_RESERVE | SDR_SUP_ALLOC_INFO;
	ENC(ipmi_sdr_info_rsp_encode(&info, w));
	return IPMI_CC_OK;
}

/* 33.10 Get SDR Repository Allocation Info. */
static int
alloc_info(const struct repo *r, const struct ipmi_msg *req, struct buf *w)
{
	size_t i, used = 0;

	if (req->len != 0)
		return IPMI_CC_REQ_LEN;
	for (i = 0; i < r->nrec; i++)
		used += (r->rec[i].len + ALLOC_UNIT - 1) / ALLOC_UNIT;
	ENC(buf_put_le16(w, ALLOC_UNITS));
	ENC(buf_put_le16(w, ALLOC_UNIT));
	ENC(buf_put_le16(w, (uint16_t)(ALLOC_UNITS - used)));
	ENC(buf_put_le16(w, (uint16_t)(ALLOC_UNITS - used)));
	ENC(buf_put_u8(w, (REC_MAX + ALLOC_UNIT - 1) / ALLOC_UNIT));
	return IPMI_CC_OK;
}

static int
reserve(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	if (req->len != 0)
		return IPMI_CC_REQ_LEN;
	if (++b->sdr_resv == 0)
		b->sdr_resv = 1;	/* 0 is "no reservation" */
	ENC(ipmi_sdr_reserve_rsp_encode(b->sdr_resv, w));
	return IPMI_CC_OK;
}

static int
get_sdr(struct sim_bmc *b, const struct repo *r, const struct ipmi_msg *req,
    struct buf *w)
{
	struct ipmi_get_sdr_req q;
	struct ipmi_get_sdr_rsp rsp;
	const struct rec *x = NULL;
	struct buf in;
	size_t i, n;

	b->cnt.get_sdr++;
	if (req->len != 6)
		return IPMI_CC_REQ_LEN;
	buf_init_read(&in, req->data, req->len);
	if (ipmi_get_sdr_req_decode(&in, &q) != 0)
		return IPMI_CC_REQ_LEN;
	if (q.offset != 0 && (b->sdr_resv == 0 || q.resv != b->sdr_resv))
		return IPMI_CC_RESERVATION;
	if (r->nrec == 0)
		return IPMI_CC_NOT_PRESENT;
	if (q.id == SDR_ID_FIRST) {
		i = 0;
	} else if (q.id == SDR_ID_LAST) {
		i = r->nrec - 1;
	} else {
		for (i = 0; i < r->nrec; i++)
			if (r->rec[i].id == q.id)
				break;
		if (i == r->nrec)
			return IPMI_CC_NOT_PRESENT;
	}
	x = &r->rec[i];
	if (q.count != SDR_READ_ALL && q.count > READ_MAX)
		return IPMI_CC_CANT_RETURN;
	n = q.offset >= x->len ? 0 : x->len - q.offset;
	if (q.count != SDR_READ_ALL && q.count < n)
		n = q.count;
	if (i == 1 && q.offset == 0)
		b->cnt.sdr_walks++;	/* a walk past the first record */
	rsp.next = i + 1 < r->nrec ? r->rec[i + 1].id : SDR_ID_LAST;
	rsp.data = x->data + (q.offset < x->len ? q.offset : 0);
	rsp.len = n;
	ENC(ipmi_get_sdr_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

/* The sensor a one-byte sensor request names, or a completion code. */
static int
which(struct sim_bmc *b, const struct ipmi_msg *req, size_t minlen,
    size_t maxlen, const struct sdef **d)
{
	if (req->len < minlen)
		return IPMI_CC_REQ_LEN;
	if (req->len > maxlen)
		return IPMI_CC_REQ_TOO_LONG;
	if (req->rs_lun != 0)
		return IPMI_CC_NOT_PRESENT;	/* every sensor is on LUN 0 */
	*d = sensor(b, req->data[0]);
	if (*d == NULL || (*d)->cls->rec == SDR_TYPE_EVENT_ONLY)
		return IPMI_CC_NOT_PRESENT;
	return IPMI_CC_OK;
}

static int
get_reading(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	struct ipmi_sensor_reading_rsp rsp;
	const struct sdef *d;
	struct reading rd;
	int cc;

	b->cnt.get_sensor_reading++;
	if ((cc = which(b, req, 1, 1, &d)) != IPMI_CC_OK)
		return cc;
	compute(b, now, d, &rd);
	memset(&rsp, 0, sizeof(rsp));
	rsp.flags = SENSOR_RD_EVENTS | SENSOR_RD_SCANNING;
	rsp.has_state = 1;
	rsp.has_state2 = 1;
	if (d->cls->etype != THR) {
		rsp.states = rd.states & d->cls->smask;
	} else if (!rd.avail) {
		rsp.flags |= SENSOR_RD_UNAVAILABLE;
	} else {
		rsp.raw = enc_raw(d->cls->format, rd.value);
		rsp.thresh = compare(d, rd.value);
	}
	ENC(ipmi_sensor_reading_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

static int
get_thresholds(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	struct ipmi_sensor_thresh_rsp rsp;
	const struct sdef *d;
	int cc, i;

	b->cnt.get_sensor_thresholds++;
	if ((cc = which(b, req, 1, 1, &d)) != IPMI_CC_OK)
		return cc;
	if (d->cls->etype != THR)
		return IPMI_CC_ILLEGAL;
	memset(&rsp, 0, sizeof(rsp));
	rsp.readable = thresh_mask(d);
	for (i = 0; i < SDR_TH_COUNT; i++)
		if (d->th[i] != TH_NONE)
			rsp.raw[i] = enc_raw(d->cls->format, d->th[i]);
	ENC(ipmi_sensor_thresh_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

/* 35.7: sensor number, then a reserved byte (FFh). */
static int
get_hysteresis(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	const struct sdef *d;
	uint8_t h;
	int cc;

	if ((cc = which(b, req, 1, 2, &d)) != IPMI_CC_OK)
		return cc;
	if (d->cls->etype != THR)
		return IPMI_CC_ILLEGAL;
	h = thresh_mask(d) ? d->cls->hyst : 0;
	ENC(buf_put_u8(w, h));
	ENC(buf_put_u8(w, h));
	return IPMI_CC_OK;
}

/* 35.11: events and scanning on; the masks the SDR says are supported. */
static int
get_event_enable(struct sim_bmc *b, const struct ipmi_msg *req,
    struct buf *w)
{
	const struct repo *r = bmc_repo(b);
	const struct sdef *d;
	const uint8_t *p = NULL;
	size_t i;
	int cc;

	if ((cc = which(b, req, 1, 1, &d)) != IPMI_CC_OK)
		return cc;
	for (i = 0; i < r->nrec; i++)
		if (r->rec[i].data[7] == d->num &&
		    r->rec[i].data[3] != SDR_TYPE_FRU_LOCATOR &&
		    r->rec[i].data[3] != SDR_TYPE_MC_LOCATOR)
			p = r->rec[i].data;
	if (p == NULL)
		return IPMI_CC_NOT_PRESENT;
	ENC(buf_put_u8(w, SENSOR_RD_EVENTS | SENSOR_RD_SCANNING));
	if (d->cls->etype == THR) {
		ENC(buf_put_u8(w, p[14]));
		ENC(buf_put_u8(w, p[15] & 0x0f));
		ENC(buf_put_u8(w, p[16]));
		ENC(buf_put_u8(w, p[17] & 0x0f));
	} else {
		ENC(buf_put_bytes(w, p + 14, 4));
	}
	return IPMI_CC_OK;
}

int
sim_sensors_handle(struct sim_bmc *b, uint64_t now,
    const struct ipmi_msg *req, struct buf *w)
{
	const struct repo *r;

	if (req->netfn == IPMI_NETFN_STORAGE) {
		switch (req->cmd) {
		case IPMI_CMD_GET_SDR_REPO_INFO:
			return repo_info(bmc_repo(b), req, w);
		case CMD_GET_SDR_ALLOC_INFO:
			return alloc_info(bmc_repo(b), req, w);
		case IPMI_CMD_RESERVE_SDR_REPO:
			return reserve(b, req, w);
		case IPMI_CMD_GET_SDR:
			r = bmc_repo(b);
			return get_sdr(b, r, req, w);
		}
		return -1;
	}
	if (req->netfn != IPMI_NETFN_SENSOR)
		return -1;
	switch (req->cmd) {
	case IPMI_CMD_GET_SENSOR_READING:
		return get_reading(b, now, req, w);
	case IPMI_CMD_GET_SENSOR_THRESHOLDS:
		return get_thresholds(b, req, w);
	case CMD_GET_SENSOR_HYSTERESIS:
		return get_hysteresis(b, req, w);
	case CMD_GET_SENSOR_EVENT_ENABLE:
		return get_event_enable(b, req, w);
	}
	return -1;
}

int
sim_sensor_entity(const struct sim_bmc *b, uint8_t number, uint8_t *entity,
    uint8_t *instance)
{
	unsigned idx;
	const struct mdef *md = sensors_mdef_for(b->model, &idx);
	size_t i;

	for (i = 0; i < md->nsensors; i++)
		if (md->sensors[i].num == number) {
			*entity = md->sensors[i].entity;
			*instance = md->sensors[i].inst;
			return 0;
		}
	*entity = 0;
	*instance = 0;
	return -1;
}
