/*
 * store: the SEL, the FRU devices, DCMI power and the boot options of a
 * simulated BMC.  See store.h for what each command does; the choices
 * that are ours, not the spec's, are commented where they are made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmc.h"
#include "ipmi/boot.h"
#include "ipmi/dcmi.h"
#include "ipmi/fru.h"
#include "ipmi/ipmi.h"
#include "ipmi/sel.h"
#include "model.h"
#include "sensors.h"
#include "store.h"

/* --- configuration ------------------------------------------------------ */

static unsigned	cfg_capacity = SIM_SEL_CAPACITY;
static uint32_t	cfg_epoch = SIM_SEL_EPOCH;
static uint64_t	cfg_start;

void
sim_store_configure(unsigned capacity, uint32_t epoch)
{
	if (capacity == 0)
		capacity = SIM_SEL_CAPACITY;
	if (capacity > SIM_SEL_CAPACITY_MAX)
		capacity = SIM_SEL_CAPACITY_MAX;
	cfg_capacity = capacity;
	cfg_epoch = epoch ? epoch : SIM_SEL_EPOCH;
}

void
sim_store_start(uint64_t now)
{
	cfg_start = now;
}

/* --- per-BMC state ------------------------------------------------------- */

struct sim_store {
	/* SEL: sel[i] is the entry with record ID i + 1 */
	uint8_t		(*sel)[SEL_ENTRY_LEN];
	unsigned	 nsel;
	unsigned	 nalloc;
	int		 sel_ready;	/* prehistory made */
	int		 overflow;	/* an event was dropped: log full */
	uint16_t	 resv;		/* last reservation; 0 none yet */
	uint32_t	 add_ts;
	uint32_t	 erase_ts;
	int64_t		 time_offset;	/* Set SEL Time, seconds */
	uint64_t	 sched_k;	/* next scheduled event */
	uint64_t	 sched_at;	/* its time, ms after the start */
	int		 temp_high;	/* CPU1 Temp over UNC (scheduled) */
	int		 ps1_lost;	/* PS1 AC lost (scheduled) */
	int		 ps2_failed;	/* PS2 failure (scheduled) */
	/* FRU */
	uint8_t		 fru_rev[2];	/* sim_store_fru_swap count */
	/* boot options */
	uint8_t		 boot_progress;	/* parameter 0 */
	uint8_t		 boot_clearing;	/* parameter 3 */
	uint8_t		 boot_ack;	/* parameter 4 */
	uint8_t		 boot_flags[BOOT_FLAGS_LEN]; /* parameter 5 */
	int		 boot_locked;	/* parameter 5 marked invalid/locked */
};

static struct sim_store *
store_get(struct sim_bmc *b)
{
	if (b->store == NULL)
		b->store = calloc(1, sizeof(*b->store));
	return b->store;
}

void
sim_store_free(struct sim_bmc *b)
{
	if (b->store != NULL)
		free(b->store->sel);
	free(b->store);
	b->store = NULL;
}

/* --- deterministic numbers ---------------------------------------------- */

enum {
	TAG_PREHISTORY = 1, TAG_GAP, TAG_KIND, TAG_DATA, TAG_SERIAL,
	TAG_BOARD, TAG_PSU, TAG_MFG, TAG_WATTS, TAG_NOISE,
};

static uint64_t
fin64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number from the BMC's seed, a purpose and an index. */
static uint64_t
hash(const struct sim_bmc *b, unsigned tag, uint64_t i)
{
	return fin64(b->seed ^ fin64(((uint64_t)tag << 48 ^ i) +
	    0x9e3779b97f4a7c15ULL));
}

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

static uint32_t
sel_time(const struct sim_store *st, uint64_t ms)
{
	uint64_t s = ms > cfg_start ? (ms - cfg_start) / 1000 : 0;
	int64_t off = st != NULL ? st->time_offset : 0;

	return (uint32_t)((int64_t)cfg_epoch + (int64_t)s + off);
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
	if (st->nsel >= cfg_capacity) {
		st->overflow = 1;
		return;
	}
	if (st->nsel == st->nalloc) {
		unsigned n = st->nalloc ? st->nalloc * 2 : 16;
		void *p;

		if (n > cfg_capacity)
			n = cfg_capacity;
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
	start = cfg_epoch - span;
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
		t = cfg_epoch - 1800 + rnd(&g, 1200);
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
	uint32_t ts = sel_time(st, ms);
	uint8_t r[SEL_ENTRY_LEN];
	struct rng g = { d };

	switch (h % 16) {
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
	while (cfg_start + st->sched_at <= until) {
		sched_event(b, st, st->sched_k, cfg_start + st->sched_at, on);
		st->sched_k++;
		st->sched_at += sched_gap(b, st->sched_k);
	}
}

static void
log_power(struct sim_store *st, uint64_t when, int on)
{
	uint8_t r[SEL_ENTRY_LEN];
	uint32_t ts = sel_time(st, when);

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

enum {
	CMD_GET_SEL_ALLOC = 0x41,
	CMD_SET_SEL_TIME = 0x49,
};

#define NEED(n)	do { if (req->len != (n)) return IPMI_CC_REQ_LEN; } while (0)
#define ENC(expr) \
	do { if ((expr) != 0) return IPMI_CC_UNSPECIFIED; } while (0)

static int
sel_info(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
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
	fr = (unsigned long)(cfg_capacity - st->nsel) * SEL_ENTRY_LEN;
	i.free = (uint16_t)(fr > 0xffff ? 0xffff : fr);
	i.add_ts = st->add_ts;
	i.erase_ts = st->erase_ts;
	i.support = SEL_SUP_ALLOC_INFO | SEL_SUP_RESERVE |
	    (st->overflow ? SEL_SUP_OVERFLOW : 0);
	ENC(ipmi_sel_info_rsp_encode(&i, w));
	return IPMI_CC_OK;
}

/* 31.3 Get SEL Allocation Info: one 16-byte unit per entry */
static int
sel_alloc(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	struct sim_store *st;
	uint16_t fr;

	NEED(0);
	if ((st = sel_open(b, now)) == NULL)
		return IPMI_CC_OUT_OF_SPACE;
	fr = (uint16_t)(cfg_capacity - st->nsel);
	ENC(buf_put_le16(w, (uint16_t)cfg_capacity));
	ENC(buf_put_le16(w, SEL_ENTRY_LEN));
	ENC(buf_put_le16(w, fr));
	ENC(buf_put_le16(w, fr));
	ENC(buf_put_u8(w, 1));
	return IPMI_CC_OK;
}

static int
sel_reserve(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
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

static int
sel_entry(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
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

static int
sel_clear(struct sim_bmc *b, uint64_t now, uint8_t priv,
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
		ts = sel_time(st, now);
		st->erase_ts = ts;
		rec_discrete(r, ts, ST_EVENT_LOG, SIM_SENSOR_EVENT_LOG, 0,
		    0x02);
		sel_add(st, r, ts);
	}
	ENC(ipmi_clear_sel_rsp_encode(SEL_ERASE_COMPLETED, w));
	return IPMI_CC_OK;
}

static int
sel_get_time(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	NEED(0);
	ENC(ipmi_sel_time_rsp_encode(sel_time(b->store, now), w));
	return IPMI_CC_OK;
}

static int
sel_set_time(struct sim_bmc *b, uint64_t now, uint8_t priv,
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
	have = sel_time(st, now);
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
	v->time = sel_time(st, now);
	return 0;
}

/* --- FRU ------------------------------------------------------------------ */

/* How each model's FRU reads; the part numbers are made up. */
struct look {
	const char	*model;
	const char	*product;
	const char	*part;
	const char	*board;
	const char	*board_part;
	const char	*chassis_part;
	const char	*prefix;	/* of serial numbers */
	const char	*psu_mfr;
	const char	*psu_name;
	const char	*psu_part;
	uint16_t	 psu_watts;
	uint8_t		 read_max;	/* Read FRU Data count; 0: any */
};

static const struct look looks[] = {
	{ "dell-r640", "PowerEdge R640", "R640-SIM", "PowerEdge R640 MB",
	    "0SIM40A", "CH-R640-SIM", "CN", "Dell Inc.", "PWR SPLY,750W,RDNT",
	    "0SIMP75", 750, 0 },
	/* refuses reads over 32 bytes with CAh, as some iLOs do */
	{ "hpe-dl380", "ProLiant DL380 Gen10", "SIM380-B21",
	    "ProLiant DL380 Gen10 System Board", "SIM380-001", "SIM380-CH",
	    "2M2", "HPE", "800W FS Plat Hot Plug PSU", "SIMP80-B21", 800, 32 },
	{ "supermicro-x11", "SuperServer 1029P-SIM", "SYS-1029P-SIM",
	    "X11DPi-SIM", "MBD-X11DPI-SIM", "CSE-819-SIM", "S", "SUPERMICRO",
	    "PWS-1K0-SIM", "PWS-1K0-SIM-1R", 1000, 0 },
	{ "lenovo-sr650", "ThinkSystem SR650", "7X0SIM", "SR650 System Planar",
	    "01SIM650", "00SIM65", "J30", "Lenovo",
	    "ThinkSystem 750W Platinum PSU", "SIMP750L", 750, 0 },
	{ "openbmc", "OpenBMC Reference Server", "OBMC-REF-1",
	    "Reference Board", "OBMC-MB-1", "OBMC-CH-1", "OB",
	    "OpenBMC project", "Generic 550W PSU", "OBMC-PSU-550", 550, 0 },
};

static const struct look *
look_of(const struct sim_model *m)
{
	size_t i;

	for (i = 0; i < sizeof(looks) / sizeof(looks[0]); i++)
		if (strcmp(looks[i].model, m->name) == 0)
			return &looks[i];
	return &looks[sizeof(looks) / sizeof(looks[0]) - 1];
}

#define FRU_SIM_MAX	512

struct img {
	uint8_t		p[FRU_SIM_MAX];
	size_t		n;
};

static uint8_t
zsum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n-- > 0)
		s = (uint8_t)(s + *p++);
	return (uint8_t)-s;
}

static size_t
area_begin(struct img *m)
{
	size_t s = m->n;

	m->p[m->n++] = 0x01;		/* format version */
	m->p[m->n++] = 0x00;		/* length, set by area_end */
	return s;
}

static void
area_end(struct img *m, size_t s)
{
	m->p[m->n++] = 0xc1;		/* no more fields */
	while ((m->n + 1 - s) % 8)
		m->p[m->n++] = 0x00;
	m->p[s + 1] = (uint8_t)((m->n + 1 - s) / 8);
	m->p[m->n] = zsum(m->p + s, m->n - s);
	m->n++;
}

/* An 8-bit ASCII field (type/length 11b). */
static void
field(struct img *m, const char *s)
{
	size_t n = strlen(s);

	if (n > 63)
		n = 63;
	m->p[m->n++] = (uint8_t)(0xc0 | n);
	memcpy(m->p + m->n, s, n);
	m->n += n;
}

/*
 * A 6-bit packed ASCII field (10b, FRU spec 13.1.1): characters 20h-5Fh,
 * four in three bytes from the low bits.  Callers keep the length a
 * multiple of four, where ipmitool and FreeIPMI read the same text.
 */
static void
field6(struct img *m, const char *s)
{
	size_t nch = strlen(s), nb = (nch * 6 + 7) / 8, i;
	uint8_t *p = m->p + m->n + 1;

	m->p[m->n] = (uint8_t)(0x80 | nb);
	memset(p, 0, nb);
	for (i = 0; i < nch; i++) {
		unsigned v = (unsigned)(s[i] - 0x20) & 0x3f, bit = (unsigned)i * 6;

		p[bit / 8] |= (uint8_t)(v << (bit % 8));
		if (bit % 8 > 2)
			p[bit / 8 + 1] |= (uint8_t)(v >> (8 - bit % 8));
	}
	m->n += 1 + nb;
}

static void
header(struct img *m, unsigned chassis, unsigned board, unsigned product,
    unsigned mr)
{
	m->p[0] = 0x01;
	m->p[1] = 0x00;			/* no internal use area */
	m->p[2] = (uint8_t)(chassis / 8);
	m->p[3] = (uint8_t)(board / 8);
	m->p[4] = (uint8_t)(product / 8);
	m->p[5] = (uint8_t)(mr / 8);
	m->p[6] = 0x00;
	m->p[7] = zsum(m->p, 7);
}

static void
le16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* A multirecord: header (16.1) with both checksums, then the data. */
static void
record(struct img *m, uint8_t type, int last, const uint8_t *d, size_t n)
{
	uint8_t *h = m->p + m->n;

	h[0] = type;
	h[1] = (uint8_t)((last ? 0x80 : 0) | 0x02);
	h[2] = (uint8_t)n;
	h[3] = zsum(d, n);
	h[4] = zsum(h, 4);
	memcpy(h + 5, d, n);
	m->n += 5 + n;
}

static void
serial(const struct sim_bmc *b, char *out, size_t len, unsigned tag,
    const char *prefix, uint8_t rev)
{
	/* the low byte is the revision: a swap always changes it */
	unsigned h = (unsigned)(hash(b, tag, 0) & 0xffff) << 8 | rev;

	snprintf(out, len, "%.6s%06X%05u", prefix, h, (unsigned)(b->index + 1) %
	    100000);
}

/* Minutes since 1996-01-01 to 2019-01-01, and four years more at most. */
#define MFG_2019	12097440u
#define MFG_SPAN	(4u * 365 * 1440)

static void
fru_board(const struct sim_bmc *b, uint8_t rev, struct img *m)
{
	const struct sim_model *md = b->model;
	const struct look *lk = look_of(md);
	char sn[32], bsn[32], bp[8], txt[64];
	uint32_t mfg = MFG_2019 + (uint32_t)(hash(b, TAG_MFG, rev) % MFG_SPAN);
	size_t a;

	serial(b, sn, sizeof(sn), TAG_SERIAL, lk->prefix, rev);
	snprintf(bp, sizeof(bp), "%.4sB", lk->prefix);
	serial(b, bsn, sizeof(bsn), TAG_BOARD, bp, rev);
	m->n = 8;
	/* chassis info area (FRU spec 10): rack mount chassis */
	a = area_begin(m);
	m->p[m->n++] = 0x17;
	field(m, lk->chassis_part);
	field(m, sn);
	area_end(m, a);
	/* board info area (11) */
	m->p[3] = (uint8_t)(m->n / 8);
	a = area_begin(m);
	m->p[m->n++] = 0x00;		/* English */
	m->p[m->n++] = (uint8_t)mfg;
	m->p[m->n++] = (uint8_t)(mfg >> 8);
	m->p[m->n++] = (uint8_t)(mfg >> 16);
	field(m, md->vendor);
	field(m, lk->board);
	field(m, bsn);
	field(m, lk->board_part);
	field(m, "FRU Ver 0.01");
	snprintf(txt, sizeof(txt), "BMC FW %u.%02u", md->fw_major,
	    md->fw_minor);
	field(m, txt);			/* custom */
	area_end(m, a);
	/* product info area (12) */
	m->p[4] = (uint8_t)(m->n / 8);
	a = area_begin(m);
	m->p[m->n++] = 0x00;
	field(m, md->vendor);
	field(m, lk->product);
	field(m, lk->part);
	field(m, "A01");
	field(m, sn);
	snprintf(txt, sizeof(txt), "AT%06u", (unsigned)(b->index + 1) %
	    1000000);
	field6(m, txt);			/* asset tag, 8 characters */
	field(m, "FRU Ver 0.01");
	area_end(m, a);
	header(m, 8, (unsigned)m->p[3] * 8, (unsigned)m->p[4] * 8, 0);
}

static void
fru_psu(const struct sim_bmc *b, uint8_t rev, struct img *m)
{
	const struct look *lk = look_of(b->model);
	uint8_t d[24];
	char sn[32];
	size_t a, mr;
	unsigned peak = lk->psu_watts + lk->psu_watts / 5;

	serial(b, sn, sizeof(sn), TAG_PSU, "PS", rev);
	m->n = 8;
	a = area_begin(m);
	m->p[m->n++] = 0x00;
	field(m, lk->psu_mfr);
	field(m, lk->psu_name);
	field(m, lk->psu_part);
	field(m, "A00");
	field(m, sn);
	field(m, "PS1");		/* asset tag */
	field(m, "PSU Ver 1.0");
	area_end(m, a);
	mr = m->n;
	/* power supply information (FRU spec 18.1) */
	memset(d, 0, sizeof(d));
	le16(d + 0, lk->psu_watts);
	le16(d + 2, lk->psu_watts + lk->psu_watts / 10);	/* peak VA */
	d[4] = 40;			/* inrush A */
	d[5] = 10;			/* inrush ms */
	le16(d + 6, 9000);		/* 90-140 V */
	le16(d + 8, 14000);
	le16(d + 10, 18000);		/* 180-264 V */
	le16(d + 12, 26400);
	d[14] = 47;
	d[15] = 63;
	d[16] = 10;			/* dropout tolerance ms */
	/* hot swap, autoswitch, power factor correction */
	d[17] = 0x0e;
	le16(d + 18, 1u << 12 | (peak > 0xfff ? 0xfff : peak));
	d[20] = 0x00;			/* no combined wattage */
	le16(d + 21, 0);
	d[23] = 0;
	record(m, FRU_MR_POWER_SUPPLY, 0, d, 24);
	/* DC output (18.2): output 1, 12.00 V +-0.60 V, 60 mV ripple */
	memset(d, 0, sizeof(d));
	d[0] = 0x01;
	le16(d + 1, 1200);
	le16(d + 3, 60);
	le16(d + 5, 60);
	le16(d + 7, 60);
	le16(d + 9, 500);		/* 0.5 A */
	le16(d + 11, (unsigned)lk->psu_watts * 1000 / 12 > 65535 ? 65535 :
	    (unsigned)lk->psu_watts * 1000 / 12);
	record(m, FRU_MR_DC_OUTPUT, 1, d, 13);
	header(m, 0, 0, 8, (unsigned)mr);
}

/* The image of FRU device dev into m; -1 when there is no such device. */
static int
fru_image(const struct sim_bmc *b, uint8_t dev, struct img *m)
{
	uint8_t rev = b->store != NULL && dev < 2 ? b->store->fru_rev[dev] : 0;

	memset(m->p, 0, sizeof(m->p));
	if (dev == 0)
		fru_board(b, rev, m);
	else if (dev == SIM_FRU_PS1)
		fru_psu(b, rev, m);
	else
		return -1;
	return 0;
}

void
sim_store_fru_swap(struct sim_bmc *b, uint8_t dev)
{
	struct sim_store *st;

	if (dev < 2 && (st = store_get(b)) != NULL)
		st->fru_rev[dev]++;
}

static int
fru_info(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	struct ipmi_fru_info_rsp rsp;
	struct img m;

	NEED(1);
	if (fru_image(b, req->data[0], &m) != 0)
		return IPMI_CC_NOT_PRESENT;
	rsp.size = (uint16_t)m.n;
	rsp.words = 0;
	ENC(ipmi_fru_info_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

static int
fru_read(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	struct ipmi_fru_read_req q;
	struct ipmi_fru_read_rsp rsp;
	struct img m;
	struct buf r;
	size_t max, n;

	b->cnt.read_fru++;
	NEED(4);
	buf_init_read(&r, req->data, req->len);
	if (ipmi_fru_read_req_decode(&r, &q) != 0)
		return IPMI_CC_REQ_LEN;
	if (fru_image(b, q.dev_id, &m) != 0)
		return IPMI_CC_NOT_PRESENT;
	max = look_of(b->model)->read_max;
	if (max == 0 || max > SIM_FRU_READ_MAX)
		max = SIM_FRU_READ_MAX;
	if (w->cap - w->len < max + 1)
		max = w->cap - w->len - 1;
	if (q.count > max)
		return IPMI_CC_CANT_RETURN;
	if (q.offset >= m.n)
		return IPMI_CC_PARAM_RANGE;
	n = m.n - q.offset;
	if (n > q.count)
		n = q.count;
	rsp.count = (uint8_t)n;
	rsp.data = m.p + q.offset;
	rsp.len = n;
	ENC(ipmi_fru_read_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

/* --- DCMI ----------------------------------------------------------------- */

/* Rolling average periods of Get Power Reading mode 02h (table 6-7). */
static const uint8_t periods[] = {
	0x41,	/* 1 minute */
	0x45,	/* 5 minutes */
	0x4f,	/* 15 minutes */
	0x81,	/* 1 hour */
};

static uint32_t
period_s(uint8_t p)
{
	static const uint32_t unit[] = { 1, 60, 3600, 86400 };

	return (uint32_t)(p & 0x3f) * unit[p >> 6];
}

static int
dcmi_caps(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	struct dcmi_caps_rsp rsp;
	unsigned sel = cfg_capacity > 0x0fff ? 0x0fff : cfg_capacity;
	uint8_t param;
	struct buf r;
	size_t i;

	(void)b;
	buf_init_read(&r, req->data, req->len);
	if (req->len != 2)
		return IPMI_CC_REQ_LEN;
	if (dcmi_caps_req_decode(&r, &param) != 0)
		return IPMI_CC_INVALID_FIELD;
	memset(&rsp, 0, sizeof(rsp));
	rsp.major = 1;
	rsp.minor = 5;
	rsp.param_rev = 2;
	switch (param) {
	case DCMI_CAP_SUPPORTED:
		/*
		 * Three bytes: platform, optional, access capabilities, as
		 * ipmitool, FreeIPMI and OpenBMC have them (FreeIPMI times
		 * out on a fourth byte).
		 */
		rsp.raw[0] = DCMI_PLAT_SEL_LOGGING | DCMI_PLAT_CHASSIS_POWER |
		    DCMI_PLAT_TEMPERATURE;
		rsp.raw[1] = DCMI_OPT_POWER_MGMT;
		rsp.raw[2] = DCMI_ACC_PRIMARY_LAN;
		rsp.rawlen = 3;
		break;
	case DCMI_CAP_MANDATORY:
		/*
		 * SEL attributes (no rollover: a full log drops events),
		 * identification (none), temperature monitoring (CPU), the
		 * temperature sampling period in seconds.
		 */
		rsp.raw[0] = (uint8_t)sel;
		rsp.raw[1] = (uint8_t)(sel >> 8);
		rsp.raw[2] = 0x00;
		rsp.raw[3] = 0x02;
		rsp.raw[4] = 5;
		rsp.rawlen = 5;
		break;
	case DCMI_CAP_OPTIONAL:
		/* power is managed by the BMC itself, channel 0 */
		rsp.raw[0] = IPMI_BMC_ADDR;
		rsp.raw[1] = 0x01;
		rsp.rawlen = 2;
		break;
	case DCMI_CAP_ACCESS:
		rsp.raw[0] = 0x01;	/* primary LAN: channel 1 */
		rsp.raw[1] = 0xff;
		rsp.raw[2] = 0xff;
		rsp.rawlen = 3;
		break;
	case DCMI_CAP_POWER_STATS:
		rsp.raw[0] = sizeof(periods);
		for (i = 0; i < sizeof(periods); i++)
			rsp.raw[1 + i] = periods[i];
		rsp.rawlen = 1 + sizeof(periods);
		break;
	default:
		return IPMI_CC_PARAM_RANGE;
	}
	ENC(dcmi_caps_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

/*
 * Watts.  Standby (3..8 W) when off.  When on and steady: 150..450 W by
 * seed, a triangle drift of +-8% over 10..30 minutes and a little noise.
 * After a power-on the draw rises in a straight line from standby to the
 * BMC's peak (12..19% over the steady centre, so above any steady
 * reading) over ramp_ms, as fans and disks spin up and the host POSTs,
 * then settles to the steady draw over half that again.  A host that was
 * on when the simulator started, or whose power-on is older than the
 * last two transitions, is steady.  All a function of the seed, the
 * power transitions and the time, like everything here.
 */
static uint64_t
sim_s(uint64_t ms)
{
	return ms > cfg_start ? (ms - cfg_start) / 1000 : 0;
}

static unsigned
standby(const struct sim_bmc *b, uint64_t s)
{
	uint64_t h = hash(b, TAG_WATTS, 0), noise = hash(b, TAG_NOISE, s);

	return 3 + (unsigned)(h % 5) + (noise % 4 == 0);
}

static unsigned
steady(const struct sim_bmc *b, uint64_t s)
{
	uint64_t h = hash(b, TAG_WATTS, 0), noise = hash(b, TAG_NOISE, s);
	unsigned base, amp, per, x, tri;

	base = 150 + (unsigned)(h % 301);
	amp = base * 8 / 100;
	per = 600 + (unsigned)((h >> 16) % 1201);
	x = (unsigned)((s + (h >> 32)) % per);
	tri = x < per / 2 ? x : per - x;	/* 0..per/2 */
	return base - amp + 2 * amp * tri / (per / 2) +
	    (unsigned)(noise % 7) - 3;
}

unsigned
sim_store_peak_watts(const struct sim_bmc *b)
{
	uint64_t h = hash(b, TAG_WATTS, 0);
	unsigned base = 150 + (unsigned)(h % 301);

	/* steady tops out at base * 108% + 3, below this for base >= 75 */
	return base * (112 + (unsigned)((h >> 48) % 8)) / 100;
}

/*
 * The power state at t (ms), from the current state and the last change
 * to each; *since is when an on period began, 0 when that is not known
 * (on from the start, or before the changes kept).
 */
static int
state_at(const struct sim_bmc *b, uint64_t t, uint64_t *since)
{
	uint64_t on_at = b->power_on_at, off_at = b->power_off_at, began;
	int on = b->power_on;

	*since = 0;
	for (;;) {
		began = on ? on_at : off_at;
		if (began == 0 || t >= began) {
			if (on)
				*since = began;
			return on;
		}
		/* before it began, the chassis was in the other state */
		if (on)
			on_at = 0;
		else
			off_at = 0;
		on = !on;
	}
}

static unsigned
watts_at(const struct sim_bmc *b, uint64_t t)
{
	uint64_t since, x, s = sim_s(t), settle = b->ramp_ms / 2;
	unsigned peak = sim_store_peak_watts(b), lo, st;

	if (!state_at(b, t, &since))
		return standby(b, s);
	x = t - since;
	if (since == 0 || b->ramp_ms == 0 || x >= b->ramp_ms + settle)
		return steady(b, s);
	if (x < b->ramp_ms) {
		lo = standby(b, s);
		return lo + (unsigned)((uint64_t)(peak - lo) * x / b->ramp_ms);
	}
	st = steady(b, s);
	x -= b->ramp_ms;
	return peak - (unsigned)((uint64_t)(peak - st) * x / settle);
}

unsigned
sim_store_watts(struct sim_bmc *b, uint64_t now)
{
	sim_bmc_power(b, now);
	return watts_at(b, now);
}

static int
dcmi_power(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	struct dcmi_power_req q;
	struct dcmi_power_rsp rsp;
	uint64_t now_s, up_s, sum = 0, step, t, from, edge[5];
	uint32_t win;
	unsigned k, n = 0, v;
	struct buf r;
	size_t i;

	b->cnt.dcmi_power++;
	if (req->len != 4)
		return IPMI_CC_REQ_LEN;
	buf_init_read(&r, req->data, req->len);
	if (dcmi_power_req_decode(&r, &q) != 0)
		return IPMI_CC_INVALID_FIELD;
	sim_bmc_power(b, now);
	now_s = sim_s(now);
	up_s = now_s + 1;
	if (q.mode == DCMI_POWER_SYSTEM) {
		/* statistics since the simulator started, the last hour */
		win = up_s > 3600 ? 3600 : (uint32_t)up_s;
	} else if (q.mode == DCMI_POWER_ENHANCED) {
		for (i = 0; i < sizeof(periods); i++)
			if (periods[i] == q.attr)
				break;
		if (i == sizeof(periods))
			return IPMI_CC_INVALID_FIELD;
		win = period_s(q.attr);
	} else
		return IPMI_CC_INVALID_FIELD;
	/* up to 60 samples over the window, back from now */
	step = win / 60 ? win / 60 : 1;
	memset(&rsp, 0, sizeof(rsp));
	rsp.min_w = 0xffff;
	for (k = 0; k < 60 && (uint64_t)k * step < win; k++) {
		if (now_s < (uint64_t)k * step)
			break;
		v = watts_at(b, now - (uint64_t)k * step * 1000);
		if (k == 0)
			rsp.current_w = (uint16_t)v;
		if (v < rsp.min_w)
			rsp.min_w = (uint16_t)v;
		if (v > rsp.max_w)
			rsp.max_w = (uint16_t)v;
		sum += v;
		n++;
	}
	/*
	 * Minimum and maximum are over the whole window, as a BMC sampling
	 * far more often than we do sees them: the top of a ramp, the last
	 * moment before a change, count even between samples.
	 */
	from = now > (uint64_t)win * 1000 ? now - (uint64_t)win * 1000 : 0;
	edge[0] = b->power_on_at ? b->power_on_at + b->ramp_ms : 0;
	edge[1] = b->power_on_at ? b->power_on_at - 1 : 0;
	edge[2] = b->power_on_at;
	edge[3] = b->power_off_at ? b->power_off_at - 1 : 0;
	edge[4] = b->power_off_at;
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		if ((t = edge[i]) == 0 || t <= from || t > now)
			continue;
		v = watts_at(b, t);
		if (v < rsp.min_w)
			rsp.min_w = (uint16_t)v;
		if (v > rsp.max_w)
			rsp.max_w = (uint16_t)v;
	}
	rsp.avg_w = (uint16_t)(sum / (n ? n : 1));
	rsp.timestamp = sel_time(b->store, now);
	rsp.period_ms = win * 1000;
	rsp.state = 0x40;
	rsp.active = 1;
	ENC(dcmi_power_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

static int
dcmi_handle(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	int dcmi = req->cmd == DCMI_CMD_GET_CAPABILITIES ||
	    req->cmd == DCMI_CMD_GET_POWER_READING;

	/*
	 * Another group (PICMG 00h: ipmitool asks for HPM.x capabilities)
	 * is not ours: C1h, as on a BMC that knows only DCMI.
	 */
	if (req->len < 1 || req->data[0] != DCMI_GROUP_ID) {
		if (!dcmi)
			return -1;
		return req->len < 1 ? IPMI_CC_REQ_LEN : IPMI_CC_INVALID_FIELD;
	}
	switch (req->cmd) {
	case DCMI_CMD_GET_CAPABILITIES:
		return dcmi_caps(b, req, w);
	case DCMI_CMD_GET_POWER_READING:
		return dcmi_power(b, now, req, w);
	default:
		return IPMI_CC_INVALID_CMD;
	}
}

/* --- boot options ---------------------------------------------------------- */

#define BOOT_PARAM_VALID_CLEARING	3
#define BOOT_PARAM_ACK			4
#define BOOT_CC_UNSUPPORTED		0x80	/* parameter not supported */

static int
boot_set(struct sim_bmc *b, uint8_t priv, const struct ipmi_msg *req)
{
	struct boot_set_req q;
	struct sim_store *st;
	struct buf r;

	if (priv < IPMI_PRIV_OPERATOR)
		return IPMI_CC_PRIVILEGE;
	buf_init_read(&r, req->data, req->len);
	if (req->len < 1)
		return IPMI_CC_REQ_LEN;
	if (boot_set_req_decode(&r, &q) != 0)
		return IPMI_CC_REQ_TOO_LONG;
	switch (q.param) {
	case BOOT_PARAM_SET_IN_PROGRESS:
	case BOOT_PARAM_VALID_CLEARING:
		if (q.len != 1)
			return IPMI_CC_REQ_LEN;
		break;
	case BOOT_PARAM_ACK:
		if (q.len != 2)
			return IPMI_CC_REQ_LEN;
		break;
	case BOOT_PARAM_FLAGS:
		if (q.len != BOOT_FLAGS_LEN)
			return IPMI_CC_REQ_LEN;
		break;
	default:
		return BOOT_CC_UNSUPPORTED;
	}
	if (q.param == BOOT_PARAM_SET_IN_PROGRESS && (q.data[0] & 0x03) == 3)
		return IPMI_CC_INVALID_FIELD;
	if ((st = store_get(b)) == NULL)
		return IPMI_CC_OUT_OF_SPACE;
	b->cnt.set_boot++;
	switch (q.param) {
	case BOOT_PARAM_SET_IN_PROGRESS:
		/* commit write (2) changes nothing: writes apply at once */
		if ((q.data[0] & 0x03) != BOOT_COMMIT_WRITE)
			st->boot_progress = q.data[0] & 0x03;
		break;
	case BOOT_PARAM_VALID_CLEARING:
		st->boot_clearing = q.data[0] & 0x1f;
		break;
	case BOOT_PARAM_ACK:
		/* write mask, then the acknowledge bits */
		st->boot_ack = (uint8_t)((st->boot_ack & ~q.data[0]) |
		    (q.data[1] & q.data[0]));
		break;
	default:
		memcpy(st->boot_flags, q.data, BOOT_FLAGS_LEN);
		st->boot_locked = q.invalid;
		break;
	}
	return IPMI_CC_OK;
}

static int
boot_get(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	static const struct sim_store none;
	const struct sim_store *st = b->store != NULL ? b->store : &none;
	struct boot_get_req q;
	struct boot_get_rsp rsp;
	struct buf r;

	NEED(3);
	buf_init_read(&r, req->data, req->len);
	if (boot_get_req_decode(&r, &q) != 0)
		return IPMI_CC_REQ_LEN;
	memset(&rsp, 0, sizeof(rsp));
	rsp.version = 1;
	rsp.param = q.param;
	switch (q.param) {
	case BOOT_PARAM_SET_IN_PROGRESS:
		rsp.data[0] = st->boot_progress;
		rsp.len = 1;
		break;
	case BOOT_PARAM_VALID_CLEARING:
		rsp.data[0] = st->boot_clearing;
		rsp.len = 1;
		break;
	case BOOT_PARAM_ACK:
		rsp.data[0] = 0x00;
		rsp.data[1] = st->boot_ack;
		rsp.len = 2;
		break;
	case BOOT_PARAM_FLAGS:
		memcpy(rsp.data, st->boot_flags, BOOT_FLAGS_LEN);
		rsp.len = BOOT_FLAGS_LEN;
		rsp.invalid = st->boot_locked;
		break;
	default:
		return BOOT_CC_UNSUPPORTED;
	}
	ENC(boot_get_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

/* --- dispatch ----------------------------------------------------------- */

int
sim_store_handle(struct sim_bmc *b, uint64_t now, uint8_t priv,
    const struct ipmi_msg *req, struct buf *w)
{
	switch (req->netfn) {
	case IPMI_NETFN_STORAGE:
		switch (req->cmd) {
		case IPMI_CMD_GET_FRU_INFO:
			return fru_info(b, req, w);
		case IPMI_CMD_READ_FRU:
			return fru_read(b, req, w);
		case IPMI_CMD_GET_SEL_INFO:
			return sel_info(b, now, req, w);
		case CMD_GET_SEL_ALLOC:
			return sel_alloc(b, now, req, w);
		case IPMI_CMD_RESERVE_SEL:
			return sel_reserve(b, now, req, w);
		case IPMI_CMD_GET_SEL_ENTRY:
			return sel_entry(b, now, req, w);
		case IPMI_CMD_CLEAR_SEL:
			return sel_clear(b, now, priv, req, w);
		case IPMI_CMD_GET_SEL_TIME:
			return sel_get_time(b, now, req, w);
		case CMD_SET_SEL_TIME:
			return sel_set_time(b, now, priv, req);
		}
		break;
	case IPMI_NETFN_GROUP:
		return dcmi_handle(b, now, req, w);
	case IPMI_NETFN_CHASSIS:
		switch (req->cmd) {
		case IPMI_CMD_SET_BOOT_OPTIONS:
			return boot_set(b, priv, req);
		case IPMI_CMD_GET_BOOT_OPTIONS:
			return boot_get(b, req, w);
		}
		break;
	}
	return -1;
}
