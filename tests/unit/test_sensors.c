/*
 * sim/sensors: each model's SDR repository read back through the commands
 * and checked with ipmi/sdr's decoders; readings, thresholds and the
 * completion codes of the SDR and sensor commands.
 */
#include <check.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/msg.h"
#include "ipmi/sdr.h"
#include "ipmi/sensor.h"
#include "sim/bmc.h"
#include "sim/hostile.h"
#include "sim/model.h"
#include "sim/quirk.h"
#include "sim/sensors.h"

#define NMODELS		5
#define MAXREC		80
#define WINDOW		30000u

static uint8_t out[IPMI_MAX_PAYLOAD];
static size_t outlen;

static uint8_t
call(struct sim_bmc *b, uint64_t now, uint8_t netfn, uint8_t cmd,
    const uint8_t *data, size_t len)
{
	struct ipmi_msg m;

	ipmi_msg_request(&m, netfn, cmd, 1, data, len);
	return sim_bmc_handle(b, now, IPMI_PRIV_USER, &m, out, sizeof(out),
	    &outlen);
}

static uint8_t
get_sdr(struct sim_bmc *b, uint16_t resv, uint16_t id, uint8_t off,
    uint8_t count)
{
	struct ipmi_get_sdr_req q = { resv, id, off, count };
	uint8_t req[6];
	struct buf w;

	buf_init_write(&w, req, sizeof(req));
	ck_assert_int_eq(ipmi_get_sdr_req_encode(&q, &w), 0);
	return call(b, 0, IPMI_NETFN_STORAGE, IPMI_CMD_GET_SDR, req, w.len);
}

static uint16_t
reserve(struct sim_bmc *b)
{
	uint16_t resv;
	struct buf r;

	ck_assert_int_eq(call(b, 0, IPMI_NETFN_STORAGE,
	    IPMI_CMD_RESERVE_SDR_REPO, NULL, 0), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_sdr_reserve_rsp_decode(&r, &resv), 0);
	ck_assert_uint_ne(resv, 0);
	return resv;
}

static void
repo_info(struct sim_bmc *b, struct ipmi_sdr_info_rsp *info)
{
	struct buf r;

	ck_assert_int_eq(call(b, 0, IPMI_NETFN_STORAGE,
	    IPMI_CMD_GET_SDR_REPO_INFO, NULL, 0), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_sdr_info_rsp_decode(&r, info), 0);
}

struct repo {
	unsigned		n;
	struct sdr_record	rec[MAXREC];
};

/*
 * Every record twice: whole (count FFh) and in a 5-byte header read plus
 * 16-byte partial reads under a reservation; both must agree.
 */
static void
walk(struct sim_bmc *b, struct repo *rp)
{
	uint8_t whole[SDR_RECORD_MAX], part[SDR_RECORD_MAX];
	struct ipmi_get_sdr_rsp rsp;
	uint16_t id = SDR_ID_FIRST, next, resv;
	size_t wlen, plen, want;
	struct buf r;

	memset(rp, 0, sizeof(*rp));
	resv = reserve(b);
	while (id != SDR_ID_LAST) {
		ck_assert_uint_lt(rp->n, MAXREC);
		ck_assert_int_eq(get_sdr(b, 0, id, 0, SDR_READ_ALL),
		    IPMI_CC_OK);
		buf_init_read(&r, out, outlen);
		ck_assert_int_eq(ipmi_get_sdr_rsp_decode(&r, &rsp), 0);
		ck_assert_uint_ge(rsp.len, SDR_HDR_LEN);
		ck_assert_uint_eq(rsp.len, SDR_HDR_LEN + rsp.data[4]);
		memcpy(whole, rsp.data, rsp.len);
		wlen = rsp.len;
		next = rsp.next;

		ck_assert_int_eq(get_sdr(b, resv, id, 0, SDR_HDR_LEN),
		    IPMI_CC_OK);
		buf_init_read(&r, out, outlen);
		ck_assert_int_eq(ipmi_get_sdr_rsp_decode(&r, &rsp), 0);
		ck_assert_uint_eq(rsp.len, SDR_HDR_LEN);
		ck_assert_uint_eq(rsp.next, next);
		memcpy(part, rsp.data, rsp.len);
		plen = rsp.len;
		want = SDR_HDR_LEN + part[4];
		while (plen < want) {
			ck_assert_int_eq(get_sdr(b, resv,
			    (uint16_t)(whole[0] | whole[1] << 8), (uint8_t)plen,
			    16), IPMI_CC_OK);
			buf_init_read(&r, out, outlen);
			ck_assert_int_eq(ipmi_get_sdr_rsp_decode(&r, &rsp), 0);
			ck_assert_uint_gt(rsp.len, 0);
			ck_assert_uint_le(rsp.len, 16);
			memcpy(part + plen, rsp.data, rsp.len);
			plen += rsp.len;
		}
		ck_assert_uint_eq(plen, wlen);
		ck_assert_mem_eq(part, whole, wlen);
		ck_assert_int_eq(sdr_decode(whole, wlen, &rp->rec[rp->n]), 0);
		ck_assert(rp->rec[rp->n].decoded);
		if (id != SDR_ID_FIRST)
			ck_assert_uint_eq(rp->rec[rp->n].id, id);
		rp->n++;
		id = next;
	}
}

static int
is_sensor(const struct sdr_record *r)
{
	return r->type == SDR_TYPE_FULL || r->type == SDR_TYPE_COMPACT ||
	    r->type == SDR_TYPE_EVENT_ONLY;
}

static const struct sdr_sensor *
find_sensor(const struct repo *rp, uint8_t num)
{
	unsigned i;

	for (i = 0; i < rp->n; i++)
		if (is_sensor(&rp->rec[i]) && rp->rec[i].u.sensor.number == num)
			return &rp->rec[i].u.sensor;
	return NULL;
}

static const struct sdr_record *
find_record(const struct repo *rp, uint8_t num)
{
	unsigned i;

	for (i = 0; i < rp->n; i++)
		if (is_sensor(&rp->rec[i]) && rp->rec[i].u.sensor.number == num)
			return &rp->rec[i];
	return NULL;
}

static void
model_bmc(struct sim_bmc *b, unsigned i, uint64_t seed)
{
	const struct sim_model *m = sim_model_nth(i);

	ck_assert_ptr_nonnull(m);
	sim_bmc_init(b, m, seed, 1000);
}

static int
reading(struct sim_bmc *b, uint64_t now, uint8_t num,
    struct ipmi_sensor_reading_rsp *rd)
{
	struct buf r;
	uint8_t cc;

	cc = call(b, now, IPMI_NETFN_SENSOR, IPMI_CMD_GET_SENSOR_READING,
	    &num, 1);
	if (cc != IPMI_CC_OK)
		return cc;
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_sensor_reading_rsp_decode(&r, rd), 0);
	return 0;
}

static struct repo repos[NMODELS];

static void
walk_all(void)
{
	struct sim_bmc b;
	unsigned i;

	for (i = 0; i < NMODELS; i++) {
		model_bmc(&b, i, 7);
		walk(&b, &repos[i]);
	}
}

/* --- the repositories ------------------------------------------------- */

/* LNR <= LCR <= LNC < nominal < UNC <= UCR <= UNR, those that exist. */
static void
thresholds_ordered(const struct sdr_sensor *s)
{
	static const int order[] = { SDR_TH_LNR, SDR_TH_LCR, SDR_TH_LNC, -1,
	    SDR_TH_UNC, SDR_TH_UCR, SDR_TH_UNR };
	int prev = -1000, v, prev_nominal = 0;
	size_t k;

	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		if (order[k] < 0)
			v = sensor_raw_int(&s->factors, s->nominal);
		else if (SDR_READABLE(s) & (1 << order[k]))
			v = sensor_raw_int(&s->factors, s->thresh[order[k]]);
		else
			continue;
		ck_assert_msg(v > prev || (v == prev && order[k] >= 0 &&
		    !prev_nominal), "%s: thresholds out of order", s->id.text);
		prev = v;
		prev_nominal = order[k] < 0;
	}
}

START_TEST(test_repository_shape)
{
	unsigned i = (unsigned)_i, j, k, nsens = 0, nfru = 0, nmc = 0;
	unsigned nlin = 0, ntwos = 0, nones = 0, nevonly = 0, ncompact = 0;
	struct ipmi_sdr_info_rsp info;
	const struct repo *rp = &repos[i];
	struct sim_bmc b;

	model_bmc(&b, i, 7);
	repo_info(&b, &info);
	ck_assert_uint_eq(info.version, 0x51);
	ck_assert_uint_eq(info.count, rp->n);
	ck_assert_uint_eq(info.add_ts, 0x64000000u + i * 0x1000u);
	ck_assert_uint_lt(info.erase_ts, info.add_ts);
	ck_assert(info.support & SDR_SUP_RESERVE);
	ck_assert_uint_gt(info.free, 0);
	ck_assert_uint_ge(rp->n, 30);
	ck_assert_uint_le(rp->n, 60);

	for (j = 0; j < rp->n; j++) {
		const struct sdr_record *r = &rp->rec[j];
		const char *name;

		ck_assert_uint_eq(r->version, 0x51);
		ck_assert_uint_ne(r->id, SDR_ID_FIRST);
		ck_assert_uint_ne(r->id, SDR_ID_LAST);
		if (r->type == SDR_TYPE_FRU_LOCATOR) {
			nfru++;
			name = r->u.fru.id.text;
			ck_assert_int_eq(r->u.fru.id.truncated, 0);
		} else if (r->type == SDR_TYPE_MC_LOCATOR) {
			nmc++;
			name = r->u.mc.id.text;
			ck_assert_uint_eq(r->u.mc.addr, 0x20);
		} else {
			const struct sdr_sensor *s = &r->u.sensor;

			ck_assert(is_sensor(r));
			nsens++;
			name = s->id.text;
			ck_assert_int_eq(s->id.truncated, 0);
			ck_assert_uint_eq(s->owner_id, 0x20);
			ck_assert_uint_eq(s->share_count, 1);
			ck_assert_uint_ne(s->entity_id, 0);
			if (r->type == SDR_TYPE_EVENT_ONLY)
				nevonly++;
			if (r->type == SDR_TYPE_COMPACT)
				ncompact++;
			if (r->type == SDR_TYPE_FULL &&
			    s->event_type == 0x01) {
				ck_assert_uint_ne(s->factors.format,
				    SDR_FMT_NONE);
				ck_assert_uint_ne(s->factors.m, 0);
				nlin += s->factors.linear != SDR_L_LINEAR;
				ntwos += s->factors.format == SDR_FMT_TWOS;
				nones += s->factors.format == SDR_FMT_ONES;
				/* settable as readable; hysteresis set */
				ck_assert_uint_eq(SDR_SETTABLE(s),
				    SDR_READABLE(s));
				if (SDR_READABLE(s)) {
					ck_assert_uint_eq(s->caps & 0x0c, 0x08);
					ck_assert_uint_gt(s->hyst_pos, 0);
				}
				thresholds_ordered(s);
			}
			for (k = 0; k < j; k++)
				if (is_sensor(&rp->rec[k]))
					ck_assert_uint_ne(
					    rp->rec[k].u.sensor.number,
					    s->number);
		}
		ck_assert_uint_gt(strlen(name), 0);
		ck_assert_uint_le(strlen(name), 16);
		for (k = 0; k < j; k++) {
			const struct sdr_record *o = &rp->rec[k];
			const char *on = o->type == SDR_TYPE_FRU_LOCATOR ?
			    o->u.fru.id.text : o->type == SDR_TYPE_MC_LOCATOR ?
			    o->u.mc.id.text : o->u.sensor.id.text;

			ck_assert_uint_ne(o->id, r->id);
			ck_assert_str_ne(on, name);
		}
	}
	ck_assert_uint_ge(nsens, 30);
	ck_assert_uint_eq(nfru, 1);
	ck_assert_uint_eq(nmc, 1);
	ck_assert_uint_ge(nlin, 1);
	ck_assert_uint_ge(ntwos, 1);
	ck_assert_uint_ge(nones, 1);
	ck_assert_uint_ge(nevonly, 1);
	ck_assert_uint_ge(ncompact, 1);
}
END_TEST

START_TEST(test_fixed_sensors)
{
	const struct repo *rp = &repos[_i];
	const struct sdr_record *r;
	const struct sdr_sensor *s;
	unsigned j;
	double v;
	int found = 0;

	r = find_record(rp, SIM_SENSOR_CPU1_TEMP);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->type, SDR_TYPE_FULL);
	s = &r->u.sensor;
	ck_assert_str_eq(s->id.text, "CPU1 Temp");
	ck_assert_uint_eq(s->sensor_type, 0x01);
	ck_assert_uint_eq(s->event_type, 0x01);
	ck_assert_uint_eq(s->base_unit, 1);
	ck_assert_uint_eq(s->factors.format, SDR_FMT_UNSIGNED);
	ck_assert_uint_eq(s->factors.linear, SDR_L_LINEAR);
	ck_assert_int_eq(s->factors.m, 1);
	ck_assert_int_eq(s->factors.b, 0);
	ck_assert_int_eq(s->factors.k1, 0);
	ck_assert_int_eq(s->factors.k2, 0);
	ck_assert_uint_eq(s->thresh[SDR_TH_UNC], 85);
	ck_assert_uint_eq(s->thresh[SDR_TH_UCR], 90);
	ck_assert_uint_eq(s->thresh[SDR_TH_UNR], 95);
	ck_assert_uint_eq(SDR_READABLE(s) & 0x38, 0x38);
	ck_assert_int_eq(sensor_convert(&s->factors, 85, &v), 0);
	ck_assert(v == 85.0);

	r = find_record(rp, SIM_SENSOR_POWER_UNIT);
	ck_assert_ptr_nonnull(r);
	ck_assert(r->type == SDR_TYPE_FULL || r->type == SDR_TYPE_EVENT_ONLY);
	ck_assert_str_eq(r->u.sensor.id.text, "Power Unit");
	ck_assert_uint_eq(r->u.sensor.sensor_type, 0x09);
	ck_assert_uint_eq(r->u.sensor.event_type, 0x6f);

	s = find_sensor(rp, SIM_SENSOR_PS1);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->id.text, "PS1 Status");
	ck_assert_uint_eq(s->sensor_type, 0x08);
	ck_assert_uint_eq(s->event_type, 0x6f);
	s = find_sensor(rp, SIM_SENSOR_PS2);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->id.text, "PS2 Status");
	ck_assert_uint_eq(s->sensor_type, 0x08);
	ck_assert_uint_eq(s->event_type, 0x6f);
	s = find_sensor(rp, SIM_SENSOR_MEMORY);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->id.text, "Memory");
	ck_assert_uint_eq(s->sensor_type, 0x0c);
	ck_assert_uint_eq(s->event_type, 0x6f);

	for (j = 0; j < rp->n; j++) {
		const struct sdr_fru_locator *f = &rp->rec[j].u.fru;

		if (rp->rec[j].type != SDR_TYPE_FRU_LOCATOR)
			continue;
		ck_assert_str_eq(f->id.text, "PS1 FRU");
		ck_assert_uint_eq(f->access_addr, 0x20);
		ck_assert_uint_eq(f->fru_id, SIM_FRU_PS1);
		ck_assert_int_eq(f->logical, 1);
		ck_assert_uint_eq(f->dev_type, 0x10);
		found = 1;
	}
	ck_assert(found);
}
END_TEST

/* Repositories are the same for every BMC of a model, and differ between. */
START_TEST(test_shared_per_model)
{
	struct sim_bmc a, b;
	struct ipmi_sdr_info_rsp ia, ib;
	uint8_t first[SDR_RECORD_MAX];
	size_t n;
	unsigned i;

	model_bmc(&a, 0, 1);
	model_bmc(&b, 0, 999);
	ck_assert_int_eq(get_sdr(&a, 0, SDR_ID_FIRST, 0, SDR_READ_ALL), 0);
	memcpy(first, out, outlen);
	n = outlen;
	ck_assert_int_eq(get_sdr(&b, 0, SDR_ID_FIRST, 0, SDR_READ_ALL), 0);
	ck_assert_uint_eq(outlen, n);
	ck_assert_mem_eq(out, first, n);
	for (i = 1; i < NMODELS; i++) {
		model_bmc(&a, i - 1, 1);
		model_bmc(&b, i, 1);
		repo_info(&a, &ia);
		repo_info(&b, &ib);
		ck_assert_uint_ne(ia.add_ts, ib.add_ts);
	}
}
END_TEST

/* --- Get SDR and reservations ----------------------------------------- */

START_TEST(test_get_sdr_codes)
{
	struct ipmi_get_sdr_rsp rsp;
	struct ipmi_msg m;
	struct sim_bmc b;
	uint16_t r1, r2, id, next;
	uint32_t before;
	struct buf r, w;
	uint8_t len;

	model_bmc(&b, (unsigned)_i, 3);
	ck_assert_uint_eq(b.cnt.get_sdr, 0);
	r1 = reserve(&b);
	r2 = reserve(&b);
	ck_assert_uint_eq(r2, (uint16_t)(r1 + 1));
	/* offset 0 needs no reservation */
	ck_assert_int_eq(get_sdr(&b, 0, SDR_ID_FIRST, 0, 5), IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 2 + 5);
	id = (uint16_t)(out[2] | out[3] << 8);
	len = out[6];
	/* the first record alone is no walk (bmcfleet's probe); the
	 * second from offset 0, answered, is one each time */
	ck_assert_uint_eq(b.cnt.sdr_walks, 0);
	next = (uint16_t)(out[0] | out[1] << 8);
	ck_assert_int_eq(get_sdr(&b, 0, next, 0, 65), IPMI_CC_CANT_RETURN);
	ck_assert_int_eq(get_sdr(&b, 0, id, 0, 5), IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.sdr_walks, 0);
	ck_assert_int_eq(get_sdr(&b, 0, next, 0, 5), IPMI_CC_OK);
	ck_assert_int_eq(get_sdr(&b, r2, next, 2, 3), IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.sdr_walks, 1);
	/* partial reads need the current one */
	ck_assert_int_eq(get_sdr(&b, r1, id, 5, 4), IPMI_CC_RESERVATION);
	ck_assert_int_eq(get_sdr(&b, 0, id, 5, 4), IPMI_CC_RESERVATION);
	ck_assert_int_eq(get_sdr(&b, r2, id, 5, 4), IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 2 + 4);
	/* too much at once, unless it is "all" */
	ck_assert_int_eq(get_sdr(&b, r2, id, 0, 65), IPMI_CC_CANT_RETURN);
	ck_assert_int_eq(get_sdr(&b, r2, id, 0, 64), IPMI_CC_OK);
	ck_assert_int_eq(get_sdr(&b, r2, id, 0, SDR_READ_ALL), IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 2 + 5 + (size_t)len);
	/* past the end: what is there */
	ck_assert_int_eq(get_sdr(&b, r2, id, (uint8_t)(len + 5 - 3), 16),
	    IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 2 + 3);
	/* unknown record */
	ck_assert_int_eq(get_sdr(&b, 0, 0x7777, 0, 5), IPMI_CC_NOT_PRESENT);
	/* the last record, and nothing after it */
	ck_assert_int_eq(get_sdr(&b, 0, SDR_ID_LAST, 0, SDR_READ_ALL),
	    IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_get_sdr_rsp_decode(&r, &rsp), 0);
	ck_assert_uint_eq(rsp.next, SDR_ID_LAST);
	ck_assert_uint_eq(rsp.data[3], SDR_TYPE_MC_LOCATOR);
	/* wrong lengths */
	before = b.cnt.get_sdr;
	ck_assert_int_eq(call(&b, 0, IPMI_NETFN_STORAGE, IPMI_CMD_GET_SDR,
	    out, 5), IPMI_CC_REQ_LEN);
	ck_assert_uint_eq(b.cnt.get_sdr, before + 1);
	ck_assert_int_eq(call(&b, 0, IPMI_NETFN_STORAGE,
	    IPMI_CMD_GET_SDR_REPO_INFO, out, 1), IPMI_CC_REQ_LEN);
	/* allocation info: 16-byte units, some free */
	ck_assert_int_eq(call(&b, 0, IPMI_NETFN_STORAGE, 0x21, NULL, 0),
	    IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 9);
	ck_assert_uint_eq(out[2] | out[3] << 8, 16);
	ck_assert_uint_gt(out[4] | out[5] << 8, 0);
	/* not ours: the SEL's commands (store_sel.c's) */
	ipmi_msg_request(&m, IPMI_NETFN_STORAGE, 0x40, 1, NULL, 0);
	buf_init_write(&w, out, sizeof(out));
	ck_assert_int_eq(sim_sensors_handle(&b, 0, &m, &w), -1);
	ck_assert_uint_eq(w.len, 0);
}
END_TEST

/* The reservation ID wraps past FFFFh without ever being 0. */
START_TEST(test_reservation_wraps)
{
	struct sim_bmc b;

	model_bmc(&b, 0, 3);
	b.sdr_resv = 0xfffe;
	ck_assert_uint_eq(reserve(&b), 0xffff);
	ck_assert_uint_eq(reserve(&b), 1);
}
END_TEST

/* --- readings --------------------------------------------------------- */

static void
raw_value(const struct sdr_sensor *s, uint8_t raw, int *v)
{
	*v = sensor_raw_int(&s->factors, raw);
}

START_TEST(test_readings_ok_when_on)
{
	const struct repo *rp = &repos[_i];
	struct ipmi_sensor_reading_rsp rd;
	struct sim_bmc b;
	uint64_t seed, t;
	unsigned j;

	for (seed = 1; seed <= 20; seed++) {
		model_bmc(&b, (unsigned)_i, seed);
		b.power_on = 1;
		for (t = 0; t < 4; t++) {
			uint64_t now = 12345 + t * 3600000u;

			for (j = 0; j < rp->n; j++) {
				const struct sdr_record *r = &rp->rec[j];
				const struct sdr_sensor *s = &r->u.sensor;

				if (!is_sensor(r))
					continue;
				if (r->type == SDR_TYPE_EVENT_ONLY) {
					ck_assert_int_eq(reading(&b, now,
					    s->number, &rd),
					    IPMI_CC_NOT_PRESENT);
					continue;
				}
				ck_assert_int_eq(reading(&b, now, s->number,
				    &rd), 0);
				ck_assert_uint_eq(rd.flags & 0xe0, 0xc0);
				ck_assert(rd.has_state);
				if (s->event_type != 0x01) {
					ck_assert_uint_eq(rd.states &
					    ~s->reading_mask, 0);
					ck_assert_int_eq(sensor_health(
					    s->event_type, s->sensor_type, &rd),
					    SENSOR_NOMINAL);
					continue;
				}
				/* healthy, but for a CPU1 running hot */
				if (s->number != SIM_SENSOR_CPU1_TEMP)
					ck_assert_msg(rd.thresh == 0,
					    "%s %02x raw %u thresh %02x",
					    b.model->name, s->number, rd.raw,
					    rd.thresh);
			}
		}
	}
}
END_TEST

/* What the discrete sensors say, on and off. */
START_TEST(test_discrete_states)
{
	struct ipmi_sensor_reading_rsp rd;
	struct sim_bmc b;
	int on;

	for (on = 0; on <= 1; on++) {
		model_bmc(&b, (unsigned)_i, 11);
		b.power_on = on;
		ck_assert_int_eq(reading(&b, 0, SIM_SENSOR_PS1, &rd), 0);
		ck_assert_uint_eq(rd.states, 0x0001);	/* presence */
		ck_assert_int_eq(reading(&b, 0, SIM_SENSOR_PS2, &rd), 0);
		ck_assert_uint_eq(rd.states, 0x0001);
		ck_assert_int_eq(reading(&b, 0, SIM_SENSOR_MEMORY, &rd), 0);
		ck_assert_uint_eq(rd.states, 0);
		ck_assert_int_eq(reading(&b, 0, SIM_SENSOR_POWER_UNIT, &rd),
		    0);
		ck_assert_uint_eq(rd.states, on ? 0 : 0x0001);
		ck_assert_int_eq(reading(&b, 0, 0x62, &rd), 0);
		ck_assert_uint_eq(rd.states, 0x0080);	/* CPU present */
	}
}
END_TEST

START_TEST(test_readings_deterministic_and_slow)
{
	const struct repo *rp = &repos[_i];
	struct ipmi_sensor_reading_rsp r1, r2;
	struct sim_bmc a, b;
	unsigned j, w, moved = 0;

	model_bmc(&a, (unsigned)_i, 77);
	model_bmc(&b, (unsigned)_i, 77);
	a.power_on = b.power_on = 1;
	for (j = 0; j < rp->n; j++) {
		const struct sdr_sensor *s = &rp->rec[j].u.sensor;
		int prev = 0, v;

		if (rp->rec[j].type != SDR_TYPE_FULL || s->event_type != 0x01)
			continue;
		for (w = 0; w < 400; w++) {
			uint64_t now = 5000 + (uint64_t)w * WINDOW;

			ck_assert_int_eq(reading(&a, now, s->number, &r1), 0);
			/* the same BMC seconds later, another with the seed */
			ck_assert_int_eq(reading(&b, now + 7000, s->number,
			    &r2), 0);
			raw_value(s, r1.raw, &v);
			if (((now + 7000) / WINDOW) == now / WINDOW) {
				ck_assert_uint_eq(r1.raw, r2.raw);
				ck_assert_uint_eq(r1.thresh, r2.thresh);
			}
			if (w > 0) {
				ck_assert_msg(abs(v - prev) <= 1,
				    "%s %s: %d then %d", a.model->name,
				    s->id.text, prev, v);
				moved += v != prev;
			}
			prev = v;
		}
	}
	ck_assert_uint_gt(moved, 0);	/* they do drift */
}
END_TEST

/* Seeds differ: not every BMC reads the same. */
START_TEST(test_readings_vary_by_seed)
{
	struct ipmi_sensor_reading_rsp rd;
	struct sim_bmc b;
	uint8_t seen[256];
	unsigned distinct = 0;
	uint64_t seed;

	memset(seen, 0, sizeof(seen));
	for (seed = 1; seed <= 40; seed++) {
		model_bmc(&b, (unsigned)_i, seed);
		b.power_on = 1;
		ck_assert_int_eq(reading(&b, 1000, SIM_SENSOR_CPU1_TEMP, &rd),
		    0);
		if (!seen[rd.raw]++)
			distinct++;
	}
	ck_assert_uint_ge(distinct, 4);
}
END_TEST

START_TEST(test_powered_off)
{
	const struct repo *rp = &repos[_i];
	struct ipmi_sensor_reading_rsp rd;
	struct sim_bmc b;
	unsigned j, fans = 0, na = 0;
	int ambient = -1;
	double v;

	model_bmc(&b, (unsigned)_i, 21);
	ck_assert_int_eq(sim_bmc_power(&b, 0), 0);
	for (j = 0; j < rp->n; j++) {
		const struct sdr_sensor *s = &rp->rec[j].u.sensor;

		if (rp->rec[j].type != SDR_TYPE_FULL || s->event_type != 0x01)
			continue;
		ck_assert_int_eq(reading(&b, 60000, s->number, &rd), 0);
		if (rd.flags & SENSOR_RD_UNAVAILABLE) {
			/* main rails, the CPU's own margin, stopped fans */
			ck_assert(s->sensor_type == 0x02 ||
			    s->sensor_type == 0x01 || s->sensor_type == 0x04);
			if (s->sensor_type == 0x04)
				fans++;
			else
				na++;
			continue;
		}
		ck_assert_int_eq(sensor_convert(&s->factors, rd.raw, &v), 0);
		/* a stopped fan is unavailable, never 0 under its bound */
		ck_assert_uint_ne(s->sensor_type, 0x04);
		if (s->base_unit == 6)		/* watts */
			ck_assert(v >= 0 && v <= 10);
		if (s->sensor_type == 0x01 && s->base_unit == 1 &&
		    s->factors.format == SDR_FMT_UNSIGNED &&
		    s->factors.m == 1 && ambient < 0 &&
		    s->number == SIM_SENSOR_CPU1_TEMP)
			ambient = (int)v;
	}
	ck_assert_uint_ge(fans, 6);
	ck_assert_uint_ge(na, 3);		/* main rails */
	ck_assert_int_ge(ambient, 15);
	ck_assert_int_le(ambient, 35);
	/* the same BMC powered on spins its fans */
	b.power_on = 1;
	ck_assert_int_eq(reading(&b, 60000, 0x30, &rd), 0);
	ck_assert_uint_gt(rd.raw, 0);
}
END_TEST

/* About one BMC in ten has its CPU1 climb past UNC now and then. */
START_TEST(test_cpu1_runs_hot_sometimes)
{
	struct ipmi_sensor_reading_rsp rd;
	struct sim_bmc b;
	unsigned hot = 0, w;
	uint64_t seed;

	for (seed = 1; seed <= 200; seed++) {
		int max = 0, crossed = 0;

		model_bmc(&b, (unsigned)_i, seed);
		b.power_on = 1;
		for (w = 0; w < 130; w++) {
			ck_assert_int_eq(reading(&b, (uint64_t)w * WINDOW,
			    SIM_SENSOR_CPU1_TEMP, &rd), 0);
			if (rd.raw > max)
				max = rd.raw;
			if (rd.thresh & (1 << SDR_TH_UNC)) {
				ck_assert_uint_ge(rd.raw, 85);
				crossed = 1;
			}
			ck_assert_uint_lt(rd.raw, 90);
		}
		if (crossed)
			hot++;
		else
			ck_assert_int_lt(max, 85);
	}
	ck_assert_uint_ge(hot, 5);
	ck_assert_uint_le(hot, 45);
}
END_TEST

START_TEST(test_thresholds_match_sdr)
{
	const struct repo *rp = &repos[_i];
	struct ipmi_sensor_thresh_rsp th;
	struct sim_bmc b;
	struct buf r;
	unsigned j, k, n = 0;
	uint32_t before;
	uint8_t hy[2];

	model_bmc(&b, (unsigned)_i, 5);
	for (j = 0; j < rp->n; j++) {
		const struct sdr_sensor *s = &rp->rec[j].u.sensor;

		if (!is_sensor(&rp->rec[j]) ||
		    rp->rec[j].type == SDR_TYPE_EVENT_ONLY)
			continue;
		before = b.cnt.get_sensor_thresholds;
		if (s->event_type != 0x01) {
			ck_assert_int_eq(call(&b, 0, IPMI_NETFN_SENSOR,
			    IPMI_CMD_GET_SENSOR_THRESHOLDS, &s->number, 1),
			    IPMI_CC_ILLEGAL);
			continue;
		}
		ck_assert_int_eq(call(&b, 0, IPMI_NETFN_SENSOR,
		    IPMI_CMD_GET_SENSOR_THRESHOLDS, &s->number, 1), IPMI_CC_OK);
		ck_assert_uint_eq(b.cnt.get_sensor_thresholds, before + 1);
		buf_init_read(&r, out, outlen);
		ck_assert_int_eq(ipmi_sensor_thresh_rsp_decode(&r, &th), 0);
		ck_assert_uint_eq(th.readable, SDR_READABLE(s));
		for (k = 0; k < SDR_TH_COUNT; k++)
			if (th.readable & (1 << k))
				ck_assert_uint_eq(th.raw[k], s->thresh[k]);
		/* hysteresis as the SDR has it */
		hy[0] = s->number;
		hy[1] = 0xff;
		ck_assert_int_eq(call(&b, 0, IPMI_NETFN_SENSOR, 0x25, hy, 2),
		    IPMI_CC_OK);
		ck_assert_uint_eq(outlen, 2);
		ck_assert_uint_eq(out[0], s->hyst_pos);
		ck_assert_uint_eq(out[1], s->hyst_neg);
		/* event enables: on, with the SDR's assertion events */
		ck_assert_int_eq(call(&b, 0, IPMI_NETFN_SENSOR, 0x29,
		    &s->number, 1), IPMI_CC_OK);
		ck_assert_uint_eq(outlen, 5);
		ck_assert_uint_eq(out[0], 0xc0);
		ck_assert_uint_eq(out[1] | out[2] << 8,
		    s->assert_mask & 0x0fff);
		n++;
	}
	ck_assert_uint_ge(n, 20);
}
END_TEST

START_TEST(test_sensor_codes)
{
	struct ipmi_sensor_reading_rsp rd;
	const struct repo *rp = &repos[_i];
	struct sim_bmc b;
	uint8_t two[2] = { SIM_SENSOR_CPU1_TEMP, 0 }, num, raw;
	uint32_t before;

	model_bmc(&b, (unsigned)_i, 5);
	for (num = 0xff; find_sensor(rp, num) != NULL; num--)
		;
	before = b.cnt.get_sensor_reading;
	ck_assert_int_eq(reading(&b, 0, num, &rd), IPMI_CC_NOT_PRESENT);
	ck_assert_uint_eq(b.cnt.get_sensor_reading, before + 1);
	ck_assert_int_eq(call(&b, 0, IPMI_NETFN_SENSOR,
	    IPMI_CMD_GET_SENSOR_THRESHOLDS, &num, 1), IPMI_CC_NOT_PRESENT);
	ck_assert_int_eq(call(&b, 0, IPMI_NETFN_SENSOR,
	    IPMI_CMD_GET_SENSOR_READING, NULL, 0), IPMI_CC_REQ_LEN);
	ck_assert_int_eq(call(&b, 0, IPMI_NETFN_SENSOR,
	    IPMI_CMD_GET_SENSOR_READING, two, 2), IPMI_CC_REQ_TOO_LONG);
	/* Get Device SDR Info: the repository is the way */
	ck_assert_int_eq(call(&b, 0, IPMI_NETFN_SENSOR, 0x20, NULL, 0),
	    IPMI_CC_INVALID_CMD);
	/* the exported reading agrees with the command */
	b.power_on = 1;
	ck_assert_int_eq(reading(&b, 90000, SIM_SENSOR_CPU1_TEMP, &rd), 0);
	ck_assert_int_eq(sim_sensor_raw(&b, 90000, SIM_SENSOR_CPU1_TEMP,
	    &raw), 0);
	ck_assert_uint_eq(raw, rd.raw);
	ck_assert_int_eq(sim_sensor_raw(&b, 90000, num, &raw), -1);
	ck_assert_int_eq(sim_sensor_raw(&b, 90000, SIM_SENSOR_PS1, &raw), -1);
}
END_TEST

/* Readings convert to values in a sane range for their units. */
START_TEST(test_values_sane)
{
	const struct repo *rp = &repos[_i];
	struct ipmi_sensor_reading_rsp rd;
	struct sim_bmc b;
	unsigned j;
	double v;

	model_bmc(&b, (unsigned)_i, 9);
	b.power_on = 1;
	for (j = 0; j < rp->n; j++) {
		const struct sdr_sensor *s = &rp->rec[j].u.sensor;
		double lo = -1e9, hi = 1e9;

		if (rp->rec[j].type != SDR_TYPE_FULL || s->event_type != 0x01)
			continue;
		ck_assert_int_eq(reading(&b, 1000, s->number, &rd), 0);
		ck_assert_int_eq(sensor_convert(&s->factors, rd.raw, &v), 0);
		ck_assert(isfinite(v));
		switch (s->base_unit) {
		case 1:
			lo = -60; hi = 130;
			break;
		case 4:
			lo = 0.5; hi = 260;
			break;
		case 5:
			lo = 0; hi = 50;
			break;
		case 6:
			lo = 10; hi = 1500;
			break;
		case 18:
			lo = 1000; hi = 20000;
			break;
		case 0:
			if (SDR_UNITS_PERCENT(s->units1)) {
				lo = 5; hi = 100;
			}
			break;
		}
		ck_assert_msg(v >= lo && v <= hi, "%s %s = %g",
		    b.model->name, s->id.text, v);
	}
}
END_TEST

/* The walker of ipmi/sdr reads the same repository, in 16-byte chunks. */
START_TEST(test_walker_reads_it)
{
	static struct sdr_walk wk;
	static uint8_t buf[16384];
	struct ipmi_req q;
	struct sim_bmc b;
	int rc;

	model_bmc(&b, (unsigned)_i, 5);
	sdr_walk_init(&wk, buf, sizeof(buf), 0);
	while ((rc = sdr_walk_next(&wk, &q)) == IPMI_WALK_SEND) {
		uint8_t cc = call(&b, 0, q.netfn, q.cmd, q.data, q.len);

		ck_assert_int_eq(sdr_walk_feed(&wk, cc, out, outlen), 0);
	}
	ck_assert_int_eq(rc, IPMI_WALK_DONE);
	ck_assert_uint_eq(wk.nrecords, repos[_i].n);
}
END_TEST

/* --- hostile BMCs (quirk.h) ------------------------------------------------ */

/*
 * A record as a client that follows the protocol reads it: the header,
 * then what its length byte says in reads of up to 16 bytes, taking
 * whatever count comes.  Returns the bytes read; *reads the requests.
 */
static size_t
read_record(struct sim_bmc *b, uint16_t resv, uint16_t id, uint8_t *rec,
    uint16_t *next, unsigned *reads)
{
	struct ipmi_get_sdr_rsp rsp;
	size_t n = 0, want = SDR_HDR_LEN;
	struct buf r;

	while (n < want) {
		ck_assert_uint_lt(*reads, 100000);
		(*reads)++;
		ck_assert_int_eq(get_sdr(b, resv, id, (uint8_t)n,
		    (uint8_t)(want - n > 16 ? 16 : want - n)), IPMI_CC_OK);
		buf_init_read(&r, out, outlen);
		ck_assert_int_eq(ipmi_get_sdr_rsp_decode(&r, &rsp), 0);
		if (rsp.len == 0)
			break;		/* past the true end */
		memcpy(rec + n, rsp.data, rsp.len);
		n += rsp.len;
		*next = rsp.next;
		if (n >= SDR_HDR_LEN)
			want = SDR_HDR_LEN + rec[4];
	}
	return n;
}

START_TEST(test_hostile_drip_sdr)
{
	struct sim_bmc b, good;
	uint8_t rec[SDR_RECORD_MAX], whole[SDR_RECORD_MAX];
	struct ipmi_get_sdr_rsp rsp;
	uint16_t id = SDR_ID_FIRST, next = 0, resv;
	unsigned reads = 0, bytes = 0, nrec = 0;
	size_t n;
	struct buf r;

	model_bmc(&b, _i, 7);
	model_bmc(&good, _i, 7);
	b.quirks = SIM_Q_DRIP;
	/* whatever is asked, one byte, with 00h and the true next ID */
	ck_assert_int_eq(get_sdr(&b, 0, SDR_ID_FIRST, 0, SDR_READ_ALL),
	    IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 3);
	ck_assert_int_eq(get_sdr(&good, 0, SDR_ID_FIRST, 0, SDR_READ_ALL),
	    IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 2 + SDR_HDR_LEN + out[2 + 4]);
	/* a client that keeps asking gets every record right, a byte a read */
	resv = reserve(&b);
	while (id != SDR_ID_LAST) {
		ck_assert_uint_lt(nrec, MAXREC);
		n = read_record(&b, resv, id, rec, &next, &reads);
		ck_assert_int_eq(get_sdr(&good, 0, id, 0, SDR_READ_ALL),
		    IPMI_CC_OK);
		buf_init_read(&r, out, outlen);
		ck_assert_int_eq(ipmi_get_sdr_rsp_decode(&r, &rsp), 0);
		memcpy(whole, rsp.data, rsp.len);
		ck_assert_uint_eq(n, rsp.len);
		ck_assert_mem_eq(rec, whole, n);
		ck_assert_uint_eq(next, rsp.next);
		bytes += (unsigned)n;
		nrec++;
		id = next;
	}
	ck_assert_uint_eq(nrec, repos[_i].n);
	ck_assert_uint_eq(reads, bytes);
}
END_TEST

START_TEST(test_hostile_churn)
{
	struct ipmi_sdr_info_rsp a, c, g1, g2;
	struct sim_bmc b, good;
	int i;

	model_bmc(&b, _i, 7);
	model_bmc(&good, _i, 7);
	b.quirks = SIM_Q_CHURN;
	repo_info(&good, &g1);
	repo_info(&good, &g2);
	ck_assert_uint_eq(g1.add_ts, g2.add_ts);
	/* every request a later addition time; nothing else moves */
	repo_info(&b, &a);
	ck_assert_uint_gt(a.add_ts, g1.add_ts);
	for (i = 0; i < 10; i++) {
		repo_info(&b, &c);
		ck_assert_uint_gt(c.add_ts, a.add_ts);
		ck_assert_uint_eq(c.count, g1.count);
		ck_assert_uint_eq(c.erase_ts, g1.erase_ts);
		a = c;
	}
	ck_assert_uint_eq(b.churn, 11);
}
END_TEST

/*
 * lie-sdr-key: the model's key (repository info, and Get Device ID is the
 * model's anyway), the model's sensors, every name lower-cased: another
 * repository behind the same key, its first record included.
 */
START_TEST(test_hostile_lie_sdr_key)
{
	static struct repo lie;
	struct ipmi_sdr_info_rsp gi, li;
	struct ipmi_sensor_reading_rsp rd;
	struct sim_bmc b, good;
	const struct repo *rp = &repos[_i];
	unsigned i, lowered = 0;

	model_bmc(&b, _i, 7);
	model_bmc(&good, _i, 7);
	b.quirks = SIM_Q_LIE_SDR_KEY;
	repo_info(&good, &gi);
	repo_info(&b, &li);
	ck_assert_uint_eq(li.count, gi.count);
	ck_assert_uint_eq(li.add_ts, gi.add_ts);
	ck_assert_uint_eq(li.erase_ts, gi.erase_ts);
	walk(&b, &lie);
	ck_assert_uint_eq(lie.n, rp->n);
	ck_assert_mem_ne(lie.rec[0].raw, rp->rec[0].raw, rp->rec[0].rawlen);
	for (i = 0; i < rp->n; i++) {
		const struct sdr_record *g = &rp->rec[i], *l = &lie.rec[i];
		const char *gn = is_sensor(g) ? g->u.sensor.id.text :
		    g->type == SDR_TYPE_FRU_LOCATOR ? g->u.fru.id.text :
		    g->u.mc.id.text;
		const char *ln = is_sensor(l) ? l->u.sensor.id.text :
		    l->type == SDR_TYPE_FRU_LOCATOR ? l->u.fru.id.text :
		    l->u.mc.id.text;

		ck_assert_uint_eq(l->type, g->type);
		ck_assert_uint_eq(l->rawlen, g->rawlen);
		ck_assert_uint_eq(strlen(ln), strlen(gn));
		for (size_t k = 0; gn[k]; k++)
			ck_assert_int_eq(ln[k], tolower((unsigned char)gn[k]));
		if (strcmp(ln, gn) != 0)
			lowered++;
		if (is_sensor(l)) {
			ck_assert_uint_eq(l->u.sensor.number,
			    g->u.sensor.number);
			if (l->type != SDR_TYPE_EVENT_ONLY)
				ck_assert_int_eq(reading(&b, 1000,
				    l->u.sensor.number, &rd), 0);
		}
	}
	/* some models name sensors in lower case already */
	ck_assert_uint_gt(lowered, 0);
}
END_TEST

START_TEST(test_hostile_lie_sdr_length)
{
	struct sim_bmc b, good;
	uint8_t rec[SDR_RECORD_MAX], hdr;
	struct ipmi_get_sdr_rsp rsp;
	struct sdr_record sr;
	uint16_t next, resv;
	unsigned reads = 0;
	size_t n, truelen;
	struct buf r;

	model_bmc(&b, _i, 7);
	model_bmc(&good, _i, 7);
	b.quirks = SIM_Q_LIE_SDR_LEN;
	ck_assert_int_eq(get_sdr(&good, 0, SDR_ID_FIRST, 0, SDR_READ_ALL),
	    IPMI_CC_OK);
	truelen = outlen - 2;
	hdr = out[2 + 4];
	/* a whole read: the header claims 32 bytes more than came */
	ck_assert_int_eq(get_sdr(&b, 0, SDR_ID_FIRST, 0, SDR_READ_ALL),
	    IPMI_CC_OK);
	ck_assert_uint_eq(outlen - 2, truelen);
	ck_assert_uint_eq(out[2 + 4], hdr + SIM_LIE_SDR_EXTRA);
	ck_assert_uint_gt(SDR_HDR_LEN + out[2 + 4], outlen - 2);
	/* the codec refuses the record: its length is a claim */
	ck_assert_int_ne(sdr_decode(out + 2, outlen - 2, &sr), 0);
	/* the same lie in a read of byte 4 alone, none in one past it */
	resv = reserve(&b);
	ck_assert_int_eq(get_sdr(&b, resv, SDR_ID_FIRST, 4, 1), IPMI_CC_OK);
	ck_assert_uint_eq(out[2], hdr + SIM_LIE_SDR_EXTRA);
	ck_assert_int_eq(get_sdr(&b, 0, SDR_ID_FIRST, 0, 4), IPMI_CC_OK);
	memcpy(rec, out, outlen);
	ck_assert_int_eq(get_sdr(&good, 0, SDR_ID_FIRST, 0, 4), IPMI_CC_OK);
	ck_assert_mem_eq(rec, out, outlen);
	/* a client reading by the claim runs out: reads past the true end
	 * answer 00h with no data, which it must take as the end */
	n = read_record(&b, resv, SDR_ID_FIRST, rec, &next, &reads);
	ck_assert_uint_eq(n, truelen);
	ck_assert_int_eq(get_sdr(&b, resv, SDR_ID_FIRST, (uint8_t)truelen,
	    16), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_get_sdr_rsp_decode(&r, &rsp), 0);
	ck_assert_uint_eq(rsp.len, 0);
}
END_TEST

static Suite *
sensors_suite(void)
{
	Suite *s = suite_create("sensors");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, walk_all, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_repository_shape, 0, NMODELS);
	tcase_add_loop_test(tc, test_fixed_sensors, 0, NMODELS);
	tcase_add_test(tc, test_shared_per_model);
	tcase_add_loop_test(tc, test_get_sdr_codes, 0, NMODELS);
	tcase_add_test(tc, test_reservation_wraps);
	tcase_add_loop_test(tc, test_readings_ok_when_on, 0, NMODELS);
	tcase_add_loop_test(tc, test_discrete_states, 0, NMODELS);
	tcase_add_loop_test(tc, test_readings_deterministic_and_slow, 0,
	    NMODELS);
	tcase_add_loop_test(tc, test_readings_vary_by_seed, 0, NMODELS);
	tcase_add_loop_test(tc, test_powered_off, 0, NMODELS);
	tcase_add_loop_test(tc, test_cpu1_runs_hot_sometimes, 0, NMODELS);
	tcase_add_loop_test(tc, test_thresholds_match_sdr, 0, NMODELS);
	tcase_add_loop_test(tc, test_sensor_codes, 0, NMODELS);
	tcase_add_loop_test(tc, test_values_sane, 0, NMODELS);
	tcase_add_loop_test(tc, test_walker_reads_it, 0, NMODELS);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_unchecked_fixture(tc, walk_all, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_hostile_drip_sdr, 0, NMODELS);
	tcase_add_loop_test(tc, test_hostile_churn, 0, NMODELS);
	tcase_add_loop_test(tc, test_hostile_lie_sdr_length, 0, NMODELS);
	tcase_add_loop_test(tc, test_hostile_lie_sdr_key, 0, NMODELS);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sensors_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
