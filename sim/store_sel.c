/*
 * store_sel: a simulated BMC's SEL (store.h): the records, a prehistory
 * made the first time the log is looked at, the events that come as time
 * goes by and with each power change, the SEL commands, and bmcsim's own
 * view of the log (--sel-dump).
 */
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "model.h"
#include "sensors.h"
#include "store_int.h"

/* Numbers from a seed, one after another: the prehistory, OEM records. */
struct rng {
	uint64_t	s;
};

static unsigned
rnd(struct rng *r, unsigned n)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return n ? (unsigned)(fin64(r->s) % n) : 0;
}

/* --- SEL: records --------------------------------------------------------- */

uint32_t
store_sel_time(const struct sim_store *st, uint64_t ms)
{
	uint64_t s = ms > store_cfg_start ? (ms - store_cfg_start) / 1000 : 0;
	int64_t off = st != NULL ? st->time_offset : 0;

	return (uint32_t)((int64_t)store_cfg_epoch + (int64_t)s + off);
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A system event record (32.1) from the BMC (generator 0020h), EvM 04h. */
static void
rec_system(uint8_t r[SEL_ENTRY_LEN], uint32_t ts, uint8_t stype,
    uint8_t snum, int deassert, uint8_t etype, uint8_t d1, uint8_t d2,
    uint8_t d3)
{
	memset(r, 0, SEL_ENTRY_LEN);
	r[2] = SEL_TYPE_SYSTEM;
	put_le32(r + 3, ts);
	r[7] = IPMI_BMC_ADDR;
	r[8] = 0x00;			/* channel 0, LUN 0 */
	r[9] = 0x04;
	r[10] = stype;
	r[11] = snum;
	r[12] = (uint8_t)((deassert ? 0x80 : 0) | (etype & 0x7f));
	r[13] = d1;
	r[14] = d2;
	r[15] = d3;
}

/* Sensor types and the offsets we log (IPMI v2.0 table 42-3). */
enum {
	ST_TEMP = 0x01, ST_PSU = 0x08, ST_POWER_UNIT = 0x09,
	ST_MEMORY = 0x0c, ST_EVENT_LOG = 0x10,
};
#define ET_THRESHOLD	0x01
#define ET_SPECIFIC	0x6f

/*
 * CPU1 Temp crossing a threshold going high: offset 07h (upper
 * non-critical, 85) or 09h (upper critical, 90); data 1 says data 2 is
 * the trigger reading and data 3 the threshold.
 */
static void
rec_temp(uint8_t r[SEL_ENTRY_LEN], uint32_t ts, int critical, int deassert,
    uint8_t reading)
{
	uint8_t off = critical ? 0x09 : 0x07;

	rec_system(r, ts, ST_TEMP, SIM_SENSOR_CPU1_TEMP, deassert,
	    ET_THRESHOLD, (uint8_t)(0x50 | off), reading,
	    critical ? 90 : 85);
}

/* A sensor-specific offset with nothing in data 2 and 3. */
static void
rec_discrete(uint8_t r[SEL_ENTRY_LEN], uint32_t ts, uint8_t stype,
    uint8_t snum, int deassert, uint8_t off)
{
	rec_system(r, ts, stype, snum, deassert, ET_SPECIFIC, off, 0xff, 0xff);
}

/* Correctable ECC (offset 00h), data 3 the DIMM (sensor-specific). */
static void
rec_ecc(uint8_t r[SEL_ENTRY_LEN], uint32_t ts, uint8_t dimm)
{
	rec_system(r, ts, ST_MEMORY, SIM_SENSOR_MEMORY, 0, ET_SPECIFIC, 0x30,
	    0xff, dimm);
}

static void
rec_oem_ts(uint8_t r[SEL_ENTRY_LEN], uint32_t ts, uint32_t iana,
    struct rng *g)
{
	int i;

	memset(r, 0, SEL_ENTRY_LEN);
	r[2] = SEL_TYPE_OEM_TS;
	put_le32(r + 3, ts);
	r[7] = (uint8_t)iana;
	r[8] = (uint8_t)(iana >> 8);
	r[9] = (uint8_t)(iana >> 16);
	for (i = 10; i < SEL_ENTRY_LEN; i++)
		r[i] = (uint8_t)rnd(g, 256);
}

static void
rec_oem(uint8_t r[SEL_ENTRY_LEN], struct rng *g)
{
	int i;

	memset(r, 0, SEL_ENTRY_LEN);
	r[2] = SEL_TYPE_OEM;
	for (i = 3; i < SEL_ENTRY_LEN; i++)
		r[i] = (uint8_t)rnd(g, 256);
}

/* Append r (its ID is set here), added at ts; a full log drops it. */
static void
sel_add(struct sim_store *st, uint8_t r[SEL_ENTRY_LEN], uint32_t ts)
{
	if (st->nsel >= store_cfg_capacity) {
		st->overflow = 1;
		return;
	}
	if (st->nsel == st->nalloc) {
		unsigned n = st->nalloc ? st->nalloc * 2 : 16;
		void *p;

		if (n > store_cfg_capacity)
			n = store_cfg_capacity;
		if ((p = realloc(st->sel, (size_t)n * SEL_ENTRY_LEN)) == NULL) {
			st->overflow = 1;
			return;
		}
		st->sel = p;
		st->nalloc = n;
	}
	r[0] = (uint8_t)(st->nsel + 1);
	r[1] = (uint8_t)((st->nsel + 1) >> 8);
	memcpy(st->sel[st->nsel++], r, SEL_ENTRY_LEN);
	st->add_ts = ts;
}

/* --- SEL: the prehistory ------------------------------------------------ */

enum {
	INC_TEMP_UNC, INC_TEMP_UC, INC_PS_AC, INC_PS_FAIL, INC_ECC,
	INC_POWER, INC_OEM_TS, INC_OEM,
};
static const uint8_t inc_records[] = { 2, 2, 2, 2, 1, 2, 1, 1 };
#define PRE_MAX		40	/* records, the most */
#define PRE_MIN		11	/* the ones every log has, plus one */
#define PRE_INIT_TS	0x00000012u
#define DAY		86400u

/*
 * The log as the BMC had it when the simulator started.  started_on: the
 * chassis power then, which the last power record agrees with.
 */
static void
sel_prehistory(const struct sim_bmc *b, struct sim_store *st, int started_on)
{
	static const uint8_t must[] = {
		INC_TEMP_UNC, INC_PS_AC, INC_ECC, INC_POWER, INC_OEM_TS,
		INC_OEM,
	};
	static const uint8_t extra[] = {
		INC_TEMP_UNC, INC_TEMP_UC, INC_PS_AC, INC_PS_FAIL, INC_ECC,
		INC_ECC, INC_POWER, INC_OEM_TS,
	};
	struct rng g = { b->seed ^ (uint64_t)TAG_PREHISTORY << 56 };
	uint8_t inc[PRE_MAX], r[SEL_ENTRY_LEN];
	unsigned ninc = 0, nrec = 1, target, i;
	uint32_t span, step, t, t2, start;

	target = PRE_MIN + rnd(&g, PRE_MAX - PRE_MIN + 1);
	if (!started_on)
		target--;		/* room for the last power off */
	for (i = 0; i < sizeof(must); i++) {
		inc[ninc++] = must[i];
		nrec += inc_records[must[i]];
	}
	while (nrec < target) {
		uint8_t k = extra[rnd(&g, sizeof(extra))];

		if (nrec + inc_records[k] > target)
			k = INC_ECC;
		inc[ninc++] = k;
		nrec += inc_records[k];
	}
	for (i = ninc - 1; i > 0; i--) {
		unsigned j = rnd(&g, i + 1);
		uint8_t x = inc[i];

		inc[i] = inc[j];
		inc[j] = x;
	}

	/* the BMC did not know the time yet: pre-init time stamp */
	rec_discrete(r, PRE_INIT_TS, ST_PSU, SIM_SENSOR_PS1, 0, 0x00);
	sel_add(st, r, PRE_INIT_TS);

	/* then 3..30 days of history, up to an hour before the start */
	span = (3 + rnd(&g, 28)) * DAY;
	start = store_cfg_epoch - span;
	step = (span - 3600) / ninc;
	for (i = 0; i < ninc; i++) {
		int crit = 0;

		t = start + step * i + rnd(&g, step / 2);
		t2 = t + 60 + rnd(&g, step / 4);
		switch (inc[i]) {
		case INC_TEMP_UC:
			crit = 1;
			/* FALLTHROUGH */
		case INC_TEMP_UNC:
			rec_temp(r, t, crit, 0, (uint8_t)((crit ? 90 : 85) +
			    rnd(&g, 5)));
			sel_add(st, r, t);
			rec_temp(r, t2, crit, 1, (uint8_t)((crit ? 85 : 80) +
			    rnd(&g, 5)));
			sel_add(st, r, t2);
			break;
		case INC_PS_AC:
		case INC_PS_FAIL: {
			uint8_t off = inc[i] == INC_PS_AC ? 0x03 : 0x01;

			rec_discrete(r, t, ST_PSU, SIM_SENSOR_PS1, 0, off);
			sel_add(st, r, t);
			rec_discrete(r, t2, ST_PSU, SIM_SENSOR_PS1, 1, off);
			sel_add(st, r, t2);
			break;
		}
		case INC_ECC:
			rec_ecc(r, t, (uint8_t)rnd(&g, 12));
			sel_add(st, r, t);
			break;
		case INC_POWER:
			rec_discrete(r, t, ST_POWER_UNIT, SIM_SENSOR_POWER_UNIT,
			    0, 0x00);
			sel_add(st, r, t);
			rec_discrete(r, t2, ST_POWER_UNIT,
			    SIM_SENSOR_POWER_UNIT, 1, 0x00);
			sel_add(st, r, t2);
			break;
		case INC_OEM_TS:
			rec_oem_ts(r, t, b->model->manufacturer, &g);
			sel_add(st, r, t);
			break;
		default:
			rec_oem(r, &g);
			sel_add(st, r, t);
			break;
		}
	}
	if (!started_on) {
		t = store_cfg_epoch - 1800 + rnd(&g, 1200);
		rec_discrete(r, t, ST_POWER_UNIT, SIM_SENSOR_POWER_UNIT, 0,
		    0x00);
		sel_add(st, r, t);
	}
	st->erase_ts = SEL_TS_UNSPECIFIED;	/* never erased */
}

/* --- SEL: events as time goes by ----------------------------------------- */

#define GAP_MIN_S	120
#define GAP_MAX_S	600

static uint64_t
sched_gap(const struct sim_bmc *b, uint64_t k)
{
	if (store_cfg_gap_ms != 0)
		return store_cfg_gap_ms;
	return (GAP_MIN_S + hash(b, TAG_GAP, k) %
	    (GAP_MAX_S - GAP_MIN_S + 1)) * 1000;
}

/*
 * Scheduled event k at ms, the chassis on or off: CPU1 Temp over its
 * upper non-critical threshold and back, correctable ECC (only while the
 * host runs), PS1 AC lost and back, PS2 failure and back, an OEM record.
 */
static void
sched_event(const struct sim_bmc *b, struct sim_store *st, uint64_t k,
    uint64_t ms, int on)
{
	uint64_t h = hash(b, TAG_KIND, k), d = hash(b, TAG_DATA, k);
	uint32_t ts = store_sel_time(st, ms);
	uint8_t r[SEL_ENTRY_LEN];
	struct rng g = { d };
	unsigned kind = (unsigned)(h % 16);

	/* --sel-rate: every slot an entry; a kind the power state rules
	 * out becomes PS1 AC lost or back */
	if (store_cfg_gap_ms != 0) {
		kind = (unsigned)(h % 13);
		if ((!on && kind <= 5 && !st->temp_high) ||
		    (!on && kind >= 6 && kind <= 8))
			kind = 9;
	}
	switch (kind) {
	case 0: case 1: case 2: case 3: case 4: case 5:
		if (!on && !st->temp_high)
			return;
		st->temp_high = !st->temp_high;
		rec_temp(r, ts, 0, !st->temp_high, (uint8_t)(st->temp_high ?
		    86 + d % 4 : 80 + d % 5));
		break;
	case 6: case 7: case 8:
		if (!on)
			return;
		rec_ecc(r, ts, (uint8_t)(d % 12));
		break;
	case 9: case 10:
		st->ps1_lost = !st->ps1_lost;
		rec_discrete(r, ts, ST_PSU, SIM_SENSOR_PS1, !st->ps1_lost,
		    0x03);
		break;
	case 11:
		st->ps2_failed = !st->ps2_failed;
		rec_discrete(r, ts, ST_PSU, SIM_SENSOR_PS2, !st->ps2_failed,
		    0x01);
		break;
	case 12:
		rec_oem_ts(r, ts, b->model->manufacturer, &g);
		break;
	default:
		return;		/* a quiet spell */
	}
	sel_add(st, r, ts);
}

/* Log the scheduled events due by until (ms), the chassis on or off. */
static void
catch_up(const struct sim_bmc *b, struct sim_store *st, uint64_t until,
    int on)
{
	while (store_cfg_start + st->sched_at <= until) {
		sched_event(b, st, st->sched_k, store_cfg_start + st->sched_at, on);
		st->sched_k++;
		st->sched_at += sched_gap(b, st->sched_k);
	}
}

static void
log_power(struct sim_store *st, uint64_t when, int on)
{
	uint8_t r[SEL_ENTRY_LEN];
	uint32_t ts = store_sel_time(st, when);

	/* power off/down: asserted going off, deasserted coming on */
	rec_discrete(r, ts, ST_POWER_UNIT, SIM_SENSOR_POWER_UNIT, on, 0x00);
	sel_add(st, r, ts);
}

void
sim_store_power_event(struct sim_bmc *b, uint64_t when, int on)
{
	struct sim_store *st = b->store;

	/* not made yet: sel_open sums up what happened before */
	if (st == NULL || !st->sel_ready)
		return;
	/* called before b->power_on changes: it is the state until when */
	catch_up(b, st, when, b->power_on);
	log_power(st, when, on);
}

/* The SEL, made and brought up to date at now; NULL out of memory. */
static struct sim_store *
sel_open(struct sim_bmc *b, uint64_t now)
{
	struct sim_store *st;

	if ((st = store_get(b)) == NULL)
		return NULL;
	if (!st->sel_ready) {
		int changed = b->power_changed != 0;

		sel_prehistory(b, st, changed ? !b->power_on : b->power_on);
		st->sel_ready = 1;
		st->sched_k = 0;
		st->sched_at = sched_gap(b, 0);
		if (changed) {
			catch_up(b, st, b->power_changed, !b->power_on);
			log_power(st, b->power_changed, b->power_on);
		}
	}
	sim_bmc_power(b, now);		/* logs what is due */
	catch_up(b, st, now, b->power_on);
	return st;
}

void
sim_store_rate_changed(struct sim_bmc *b, uint64_t now)
{
	struct sim_store *st = b->store;

	if (st == NULL || !st->sel_ready)
		return;		/* made later, at the new rate */
	/* st->sched_at was computed at the old rate: catch up first */
	sim_bmc_power(b, now);
	catch_up(b, st, now, b->power_on);
	if (store_cfg_start + st->sched_at > now)
		st->sched_at = now - store_cfg_start + sched_gap(b, st->sched_k);
}

int
sim_store_sel_add_now(struct sim_bmc *b, uint64_t now, int severity,
    int deassert, uint8_t rec[SEL_ENTRY_LEN])
{
	struct sim_store *st;
	uint8_t r[SEL_ENTRY_LEN];
	uint32_t ts;
	unsigned before;

	if ((st = sel_open(b, now)) == NULL)
		return -1;
	ts = store_sel_time(st, now);
	switch (severity) {
	case SIM_SEV_CRITICAL:
		rec_discrete(r, ts, ST_PSU, SIM_SENSOR_PS1, deassert, 0x01);
		break;
	case SIM_SEV_WARNING:
		rec_temp(r, ts, 0, deassert, deassert ? 82 : 87);
		break;
	default:
		rec_discrete(r, ts, ST_PSU, SIM_SENSOR_PS1, deassert, 0x00);
		break;
	}
	before = st->nsel;
	sel_add(st, r, ts);
	if (st->nsel == before)
		return -1;
	if (rec != NULL)
		memcpy(rec, st->sel[st->nsel - 1], SEL_ENTRY_LEN);
	return (int)st->nsel;
}

int
sim_store_sel_new(struct sim_bmc *b, uint64_t now, unsigned *seen,
    struct sim_sel_view *v)
{
	struct sim_store *st;

	memset(v, 0, sizeof(*v));
	if ((st = sel_open(b, now)) == NULL)
		return -1;
	if (*seen > st->nsel)
		*seen = 0;	/* cleared since */
	v->n = st->nsel - *seen;
	v->raw = v->n ? st->sel[*seen] : NULL;
	v->overflow = st->overflow;
	v->time = store_sel_time(st, now);
	*seen = st->nsel;
	return 0;
}

long
sim_store_sel_count(struct sim_bmc *b, uint64_t now)
{
	struct sim_store *st;

	if (b->store == NULL || !b->store->sel_ready)
		return -1;
	if ((st = sel_open(b, now)) == NULL)
		return -1;
	return (long)st->nsel;
}

/* --- SEL: commands ------------------------------------------------------- */

int
store_sel_info(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	struct ipmi_sel_info_rsp i;
	struct sim_store *st;
	unsigned long fr;

	NEED(0);
	if ((st = sel_open(b, now)) == NULL)
		return IPMI_CC_OUT_OF_SPACE;
	memset(&i, 0, sizeof(i));
	i.version = 0x51;
	i.entries = (uint16_t)st->nsel;
	fr = (unsigned long)(store_cfg_capacity - st->nsel) * SEL_ENTRY_LEN;
	i.free = (uint16_t)(fr > 0xffff ? 0xffff : fr);
	i.add_ts = st->add_ts;
	i.erase_ts = st->erase_ts;
	i.support = SEL_SUP_ALLOC_INFO | SEL_SUP_RESERVE |
	    (st->overflow ? SEL_SUP_OVERFLOW : 0);
	ENC(ipmi_sel_info_rsp_encode(&i, w));
	return IPMI_CC_OK;
}

/* 31.3 Get SEL Allocation Info: one 16-byte unit per entry */
int
store_sel_alloc(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	struct sim_store *st;
	uint16_t fr;

	NEED(0);
	if ((st = sel_open(b, now)) == NULL)
		return IPMI_CC_OUT_OF_SPACE;
	fr = (uint16_t)(store_cfg_capacity - st->nsel);
	ENC(buf_put_le16(w, (uint16_t)store_cfg_capacity));
	ENC(buf_put_le16(w, SEL_ENTRY_LEN));
	ENC(buf_put_le16(w, fr));
	ENC(buf_put_le16(w, fr));
	ENC(buf_put_u8(w, 1));
	return IPMI_CC_OK;
}

int
store_sel_reserve(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	struct sim_store *st;

	NEED(0);
	if ((st = sel_open(b, now)) == NULL)
		return IPMI_CC_OUT_OF_SPACE;
	/* a new reservation cancels the previous one; 0000h is never one */
	if (++st->resv == 0)
		st->resv = 1;
	ENC(ipmi_sel_reserve_rsp_encode(st->resv, w));
	return IPMI_CC_OK;
}

int
store_sel_entry(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	struct ipmi_get_sel_req q;
	struct ipmi_get_sel_rsp rsp;
	struct sim_store *st;
	struct buf r;
	unsigned idx, n;

	b->cnt.get_sel_entry++;
	NEED(6);
	buf_init_read(&r, req->data, req->len);
	if (ipmi_get_sel_req_decode(&r, &q) != 0)
		return IPMI_CC_REQ_LEN;
	if ((st = sel_open(b, now)) == NULL)
		return IPMI_CC_OUT_OF_SPACE;
	/* only a partial read needs the reservation (31.5) */
	if (q.offset != 0 && (st->resv == 0 || q.resv != st->resv))
		return IPMI_CC_RESERVATION;
	if (st->nsel == 0)
		return IPMI_CC_NOT_PRESENT;
	if (q.id == SEL_ID_FIRST)
		idx = 0;
	else if (q.id == SEL_ID_LAST)
		idx = st->nsel - 1;
	else if (q.id > st->nsel)
		return IPMI_CC_NOT_PRESENT;
	else
		idx = q.id - 1u;
	if (q.offset >= SEL_ENTRY_LEN)
		return IPMI_CC_PARAM_RANGE;
	n = SEL_ENTRY_LEN - q.offset;
	if (q.count != SEL_READ_ALL) {
		if (q.count > n)
			return IPMI_CC_CANT_RETURN;
		n = q.count;
	}
	rsp.next = idx + 1 < st->nsel ? (uint16_t)(idx + 2) : SEL_ID_LAST;
	rsp.data = st->sel[idx] + q.offset;
	rsp.len = n;
	ENC(ipmi_get_sel_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

int
store_sel_clear(struct sim_bmc *b, uint64_t now, uint8_t priv,
    const struct ipmi_msg *req, struct buf *w)
{
	struct ipmi_clear_sel_req q;
	struct sim_store *st;
	uint8_t r[SEL_ENTRY_LEN];
	struct buf rd;
	uint32_t ts;
	int rc;

	if (priv < IPMI_PRIV_OPERATOR)
		return IPMI_CC_PRIVILEGE;
	NEED(6);
	buf_init_read(&rd, req->data, req->len);
	if ((rc = ipmi_clear_sel_req_decode(&rd, &q)) != 0)
		return rc == IPMI_E_SHORT ? IPMI_CC_REQ_LEN :
		    IPMI_CC_INVALID_FIELD;
	if ((st = sel_open(b, now)) == NULL)
		return IPMI_CC_OUT_OF_SPACE;
	if (st->resv == 0 || q.resv != st->resv)
		return IPMI_CC_RESERVATION;
	if (q.action == SEL_CLEAR_INITIATE) {
		/*
		 * Done at once.  The reservation stays, so a client polling
		 * the erasure status with it gets "completed", not C5h.
		 */
		b->cnt.clear_sel++;
		free(st->sel);
		st->sel = NULL;
		st->nsel = st->nalloc = 0;
		st->overflow = 0;
		ts = store_sel_time(st, now);
		st->erase_ts = ts;
		rec_discrete(r, ts, ST_EVENT_LOG, SIM_SENSOR_EVENT_LOG, 0,
		    0x02);
		sel_add(st, r, ts);
	}
	ENC(ipmi_clear_sel_rsp_encode(SEL_ERASE_COMPLETED, w));
	return IPMI_CC_OK;
}

int
store_sel_get_time(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	NEED(0);
	ENC(ipmi_sel_time_rsp_encode(store_sel_time(b->store, now), w));
	return IPMI_CC_OK;
}

int
store_sel_set_time(struct sim_bmc *b, uint64_t now, uint8_t priv,
    const struct ipmi_msg *req)
{
	struct sim_store *st;
	uint32_t want, have;
	struct buf r;

	if (priv < IPMI_PRIV_OPERATOR)
		return IPMI_CC_PRIVILEGE;
	NEED(4);
	buf_init_read(&r, req->data, req->len);
	if (buf_get_le32(&r, &want) != 0)
		return IPMI_CC_REQ_LEN;
	if ((st = store_get(b)) == NULL)
		return IPMI_CC_OUT_OF_SPACE;
	have = store_sel_time(st, now);
	st->time_offset += (int64_t)want - (int64_t)have;
	return IPMI_CC_OK;
}

/* --- SEL: bmcsim's own record ------------------------------------------- */

int
sim_store_sel_view(struct sim_bmc *b, uint64_t now, struct sim_sel_view *v)
{
	struct sim_store *st;

	memset(v, 0, sizeof(*v));
	if ((st = sel_open(b, now)) == NULL)
		return -1;
	v->raw = st->nsel ? st->sel[0] : NULL;
	v->n = st->nsel;
	v->overflow = st->overflow;
	v->time = store_sel_time(st, now);
	return 0;
}
