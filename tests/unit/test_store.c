/*
 * sim/store: the simulated BMC's SEL, FRU devices, DCMI power and boot
 * options, driven through sim_bmc_handle as a session would, and checked
 * with the library's own decoders (ipmi/sel.h, fru.h, dcmi.h, boot.h).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/boot.h"
#include "ipmi/cmds.h"
#include "ipmi/dcmi.h"
#include "ipmi/fru.h"
#include "ipmi/ipmi.h"
#include "ipmi/msg.h"
#include "ipmi/sel.h"
#include "sim/bmc.h"
#include "sim/hostile.h"
#include "sim/model.h"
#include "sim/quirk.h"
#include "sim/sensors.h"
#include "sim/store.h"

#define EPOCH	1650000000u
#define MAXREC	4096

static struct sim_bmc b, b2;
static uint8_t out[IPMI_MAX_PAYLOAD];
static size_t outlen;

static void
bmc_new(struct sim_bmc *x, const char *model, uint64_t seed, uint32_t index)
{
	sim_bmc_init(x, sim_model_find(model), seed, 1000);
	x->index = index;
}

static void
setup(void)
{
	sim_store_configure(0, EPOCH);
	sim_store_start(0);
	bmc_new(&b, "dell-r640", 42, 0);
	bmc_new(&b2, "dell-r640", 42, 1);
}

static void
teardown(void)
{
	sim_bmc_release(&b);
	sim_bmc_release(&b2);
	sim_store_configure(0, 0);
}

static uint8_t
call(struct sim_bmc *x, uint64_t now, uint8_t priv, uint8_t netfn,
    uint8_t cmd, const uint8_t *data, size_t len)
{
	struct ipmi_msg m;

	ipmi_msg_request(&m, netfn, cmd, 1, data, len);
	return sim_bmc_handle(x, now, priv, &m, out, sizeof(out), &outlen);
}

static uint8_t
storage(struct sim_bmc *x, uint64_t now, uint8_t cmd, const uint8_t *data,
    size_t len)
{
	return call(x, now, IPMI_PRIV_USER, IPMI_NETFN_STORAGE, cmd, data,
	    len);
}

/* --- SEL helpers --------------------------------------------------------- */

static struct ipmi_sel_info_rsp
sel_info(struct sim_bmc *x, uint64_t now)
{
	struct ipmi_sel_info_rsp i;
	struct buf r;

	ck_assert_uint_eq(storage(x, now, IPMI_CMD_GET_SEL_INFO, NULL, 0),
	    IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_sel_info_rsp_decode(&r, &i), 0);
	ck_assert_uint_eq(i.version, 0x51);
	ck_assert(i.support & SEL_SUP_RESERVE);
	return i;
}

static uint16_t
reserve(struct sim_bmc *x, uint64_t now)
{
	uint16_t resv;
	struct buf r;

	ck_assert_uint_eq(storage(x, now, IPMI_CMD_RESERVE_SEL, NULL, 0),
	    IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_sel_reserve_rsp_decode(&r, &resv), 0);
	ck_assert_uint_ne(resv, 0);
	return resv;
}

/* Get SEL Entry; the cc, with the next ID and the data in *rsp. */
static uint8_t
get_entry(struct sim_bmc *x, uint64_t now, uint16_t resv, uint16_t id,
    uint8_t off, uint8_t count, struct ipmi_get_sel_rsp *rsp)
{
	struct ipmi_get_sel_req q = { resv, id, off, count };
	uint8_t req[6];
	struct buf w, r;
	uint8_t cc;

	buf_init_write(&w, req, sizeof(req));
	ck_assert_int_eq(ipmi_get_sel_req_encode(&q, &w), 0);
	cc = storage(x, now, IPMI_CMD_GET_SEL_ENTRY, req, w.len);
	if (cc == IPMI_CC_OK) {
		buf_init_read(&r, out, outlen);
		ck_assert_int_eq(ipmi_get_sel_rsp_decode(&r, rsp), 0);
	}
	return cc;
}

/* Every entry, following next IDs from 0000h; returns how many. */
static unsigned
sel_read(struct sim_bmc *x, uint64_t now, uint8_t (*recs)[SEL_ENTRY_LEN])
{
	struct ipmi_sel_info_rsp i = sel_info(x, now);
	struct ipmi_get_sel_rsp rsp;
	uint16_t id = SEL_ID_FIRST;
	unsigned n = 0;

	if (i.entries == 0)
		return 0;
	do {
		ck_assert_uint_lt(n, MAXREC);
		ck_assert_uint_eq(get_entry(x, now, 0, id, 0, SEL_READ_ALL,
		    &rsp), IPMI_CC_OK);
		ck_assert_uint_eq(rsp.len, SEL_ENTRY_LEN);
		memcpy(recs[n++], rsp.data, SEL_ENTRY_LEN);
		id = rsp.next;
	} while (id != SEL_ID_LAST);
	ck_assert_uint_eq(n, i.entries);
	return n;
}

static void
decode(const uint8_t *rec, struct sel_entry *e)
{
	ck_assert_int_eq(sel_decode(rec, SEL_ENTRY_LEN, e), 0);
}

static uint8_t recs[MAXREC][SEL_ENTRY_LEN];
static uint8_t recs2[MAXREC][SEL_ENTRY_LEN];

/* --- SEL ----------------------------------------------------------------- */

START_TEST(test_sel_prehistory)
{
	unsigned n, i, pre = 0, oem_ts = 0, oem = 0, unc = 0, ps = 0,
	    ecc = 0, pu = 0;
	struct sel_entry e;

	n = sel_read(&b, 0, recs);
	ck_assert_uint_ge(n, 11);
	ck_assert_uint_le(n, 40);
	for (i = 0; i < n; i++) {
		decode(recs[i], &e);
		ck_assert_uint_eq(e.id, i + 1);
		ck_assert_int_eq(e.unknown, 0);
		if (e.has_timestamp && e.pre_init) {
			pre++;
			ck_assert_uint_eq(i, 0);
			ck_assert_uint_eq(e.timestamp, 0x12);
		} else if (e.has_timestamp) {
			ck_assert_uint_lt(e.timestamp, EPOCH);
			ck_assert_uint_gt(e.timestamp, EPOCH - 31 * 86400);
		}
		if (e.kind == SEL_KIND_OEM_TS) {
			oem_ts++;
			ck_assert_uint_eq(e.manufacturer, 674);
			ck_assert_uint_eq(e.oem_len, 6);
			continue;
		}
		if (e.kind == SEL_KIND_OEM) {
			oem++;
			ck_assert_uint_eq(e.oem_len, 13);
			continue;
		}
		ck_assert_int_eq(e.kind, SEL_KIND_SYSTEM);
		ck_assert_uint_eq(e.generator, 0x0020);
		ck_assert_uint_eq(e.evm_rev, 0x04);
		switch (e.sensor_number) {
		case SIM_SENSOR_CPU1_TEMP:
			ck_assert_uint_eq(e.sensor_type, 0x01);
			ck_assert_uint_eq(e.event_type, 0x01);
			ck_assert(e.offset == 7 || e.offset == 9);
			ck_assert_uint_eq(e.data2_use, SEL_DATA_TRIGGER);
			ck_assert_uint_eq(e.data3_use, SEL_DATA_TRIGGER);
			ck_assert_uint_eq(e.data[2], e.offset == 7 ? 85 : 90);
			if (e.direction == 0)
				ck_assert_uint_ge(e.data[1], e.data[2]);
			else
				ck_assert_uint_lt(e.data[1], e.data[2]);
			if (e.offset == 7 && e.direction == 0) {
				ck_assert_uint_eq(e.data[0], 0x57);
				unc++;
			}
			break;
		case SIM_SENSOR_PS1:
			ck_assert_uint_eq(e.sensor_type, 0x08);
			ck_assert_uint_eq(e.event_type, 0x6f);
			ck_assert(e.offset == 0 || e.offset == 1 ||
			    e.offset == 3);
			ps += e.offset == 3 && e.direction == 0;
			break;
		case SIM_SENSOR_MEMORY:
			ck_assert_uint_eq(e.sensor_type, 0x0c);
			ck_assert_uint_eq(e.offset, 0);
			ck_assert_uint_eq(e.data3_use, SEL_DATA_SENSOR);
			ck_assert_uint_lt(e.data[2], 12);
			ecc++;
			break;
		case SIM_SENSOR_POWER_UNIT:
			ck_assert_uint_eq(e.sensor_type, 0x09);
			ck_assert_uint_eq(e.offset, 0);
			pu++;
			break;
		default:
			ck_abort_msg("entry %u: unexpected sensor %02x", i + 1,
			    e.sensor_number);
		}
	}
	ck_assert_uint_eq(pre, 1);
	ck_assert_uint_ge(oem_ts, 1);
	ck_assert_uint_ge(oem, 1);
	ck_assert_uint_ge(unc, 1);
	ck_assert_uint_ge(ps, 1);
	ck_assert_uint_ge(ecc, 1);
	ck_assert_uint_ge(pu, 2);
	/* the BMC started off: the last power record says so */
	for (i = n; i-- > 0;) {
		decode(recs[i], &e);
		if (e.kind == SEL_KIND_SYSTEM &&
		    e.sensor_number == SIM_SENSOR_POWER_UNIT) {
			ck_assert_uint_eq(e.direction, 0);
			break;
		}
	}
	ck_assert_uint_eq(b.cnt.get_sel_entry, n);
}
END_TEST

START_TEST(test_sel_deterministic)
{
	struct sim_bmc c;
	unsigned n, n2, i, seeds_differ = 0;

	/* same seed: the same log, byte for byte, even read later */
	bmc_new(&c, "dell-r640", 42, 0);
	n = sel_read(&b, 3600 * 1000, recs);
	n2 = sel_read(&c, 3600 * 1000, recs2);
	ck_assert_uint_eq(n, n2);
	ck_assert_mem_eq(recs, recs2, n * SEL_ENTRY_LEN);
	sim_bmc_release(&c);
	/* other seeds: other logs */
	for (i = 0; i < 8; i++) {
		bmc_new(&c, "dell-r640", 1000 + i, 0);
		n2 = sel_read(&c, 3600 * 1000, recs2);
		seeds_differ += n2 != n ||
		    memcmp(recs, recs2, n * SEL_ENTRY_LEN) != 0;
		sim_bmc_release(&c);
	}
	ck_assert_uint_eq(seeds_differ, 8);
}
END_TEST

START_TEST(test_sel_grows_with_time)
{
	struct sel_entry e;
	unsigned n0, n1, i;
	uint32_t last = 0;

	b.power_on = 1;
	n0 = sel_read(&b, 0, recs);
	/* a day later: an event every 2..10 minutes, some quiet */
	n1 = sel_read(&b, 86400ULL * 1000, recs);
	ck_assert_uint_gt(n1, n0 + 50);
	ck_assert_uint_lt(n1, n0 + 720);
	for (i = n0; i < n1; i++) {
		decode(recs[i], &e);
		ck_assert(e.has_timestamp);
		ck_assert_uint_ge(e.timestamp, EPOCH + 120);
		ck_assert_uint_le(e.timestamp, EPOCH + 86400);
		ck_assert_uint_ge(e.timestamp, last);
		last = e.timestamp;
	}
	ck_assert_uint_eq(sel_info(&b, 86400ULL * 1000).add_ts, last);
}
END_TEST

/*
 * The count the interop tests take from --stats: unknown (-1) until the
 * SEL is made, and asking does not make it; then what a client reads,
 * events due by then included.
 */
START_TEST(test_sel_count)
{
	unsigned n;

	b.power_on = 1;
	ck_assert_int_eq(sim_store_sel_count(&b, 0), -1);
	ck_assert_int_eq(sim_store_sel_count(&b, 3600ULL * 1000), -1);
	n = sel_read(&b, 0, recs);
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(sim_store_sel_count(&b, 0), (long)n);
	/* a day on: the events since are counted before anyone reads them */
	n = (unsigned)sim_store_sel_count(&b, 86400ULL * 1000);
	ck_assert_uint_eq(sel_read(&b, 86400ULL * 1000, recs), n);
	ck_assert_int_eq(sim_store_sel_count(&b, 86400ULL * 1000), (long)n);
}
END_TEST

static uint8_t
control(struct sim_bmc *x, uint64_t now, uint8_t ctl)
{
	return call(x, now, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_CONTROL, &ctl, 1);
}

START_TEST(test_sel_power_events)
{
	struct sel_entry e;
	unsigned n0, n;

	b.power_on = 1;
	n0 = sel_read(&b, 0, recs);
	ck_assert_uint_eq(control(&b, 10000, IPMI_CHASSIS_OFF), IPMI_CC_OK);
	n = sel_read(&b, 11000, recs);
	ck_assert_uint_eq(n, n0 + 1);
	decode(recs[n - 1], &e);
	ck_assert_uint_eq(e.sensor_number, SIM_SENSOR_POWER_UNIT);
	ck_assert_uint_eq(e.sensor_type, 0x09);
	ck_assert_uint_eq(e.event_type, 0x6f);
	ck_assert_uint_eq(e.offset, 0);
	ck_assert_uint_eq(e.direction, 0);	/* power off asserted */
	ck_assert_uint_eq(e.timestamp, EPOCH + 11);
	/* a cycle from off powers on: deasserted */
	ck_assert_uint_eq(control(&b, 20000, IPMI_CHASSIS_CYCLE), IPMI_CC_OK);
	n = sel_read(&b, 25000, recs);
	ck_assert_uint_eq(n, n0 + 2);
	decode(recs[n - 1], &e);
	ck_assert_uint_eq(e.sensor_number, SIM_SENSOR_POWER_UNIT);
	ck_assert_uint_eq(e.direction, 1);
	ck_assert_uint_eq(e.timestamp, EPOCH + 21);
}
END_TEST

START_TEST(test_sel_power_before_first_read)
{
	struct sel_entry e;
	unsigned n, i, found = 0;

	/* nobody looked at the SEL: nothing allocated */
	ck_assert_uint_eq(control(&b, 5000, IPMI_CHASSIS_ON), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 7000), 1);
	ck_assert_ptr_null(b.store);
	/* the first read sums it up: started off, came on at 6 s */
	n = sel_read(&b, 8000, recs);
	for (i = 0; i < n; i++) {
		decode(recs[i], &e);
		if (e.kind != SEL_KIND_SYSTEM ||
		    e.sensor_number != SIM_SENSOR_POWER_UNIT)
			continue;
		if (e.timestamp == EPOCH + 6) {
			ck_assert_uint_eq(e.direction, 1);
			ck_assert_uint_eq(i, n - 1);
			found++;
		}
	}
	ck_assert_uint_eq(found, 1);
	decode(recs[n - 2], &e);
	/* the prehistory ended powered off */
	ck_assert_uint_eq(e.sensor_number, SIM_SENSOR_POWER_UNIT);
	ck_assert_uint_eq(e.direction, 0);
}
END_TEST

START_TEST(test_sel_capacity_overflow)
{
	struct ipmi_sel_info_rsp i;
	unsigned n;

	sim_store_configure(5, EPOCH);
	i = sel_info(&b, 0);
	ck_assert_uint_eq(i.entries, 5);
	ck_assert_uint_eq(i.free, 0);
	ck_assert(i.support & SEL_SUP_OVERFLOW);
	n = sel_read(&b, 86400ULL * 1000, recs);
	ck_assert_uint_eq(n, 5);
	/* power events are dropped too */
	ck_assert_uint_eq(control(&b, 86401ULL * 1000, IPMI_CHASSIS_ON),
	    IPMI_CC_OK);
	ck_assert_uint_eq(sel_info(&b, 86403ULL * 1000).entries, 5);
}
END_TEST

static uint8_t
clear(struct sim_bmc *x, uint64_t now, uint8_t priv, uint16_t resv,
    uint8_t action)
{
	struct ipmi_clear_sel_req q = { resv, action };
	uint8_t req[6];
	struct buf w;

	buf_init_write(&w, req, sizeof(req));
	ck_assert_int_eq(ipmi_clear_sel_req_encode(&q, &w), 0);
	return call(x, now, priv, IPMI_NETFN_STORAGE, IPMI_CMD_CLEAR_SEL, req,
	    w.len);
}

START_TEST(test_sel_clear)
{
	static const uint8_t bad[6] = { 0, 0, 'C', 'L', 'X', 0xaa };
	struct ipmi_sel_info_rsp i;
	struct sel_entry e;
	uint16_t resv;
	uint8_t progress;
	struct buf r;
	unsigned n;

	ck_assert_uint_gt(sel_read(&b, 1000, recs), 1);
	resv = reserve(&b, 1000);
	/* a newer reservation cancels the older */
	ck_assert_uint_eq(reserve(&b, 1000), (uint16_t)(resv + 1));
	ck_assert_uint_eq(clear(&b, 2000, IPMI_PRIV_ADMIN, resv,
	    SEL_CLEAR_INITIATE), IPMI_CC_RESERVATION);
	resv++;
	ck_assert_uint_eq(clear(&b, 2000, IPMI_PRIV_USER, resv,
	    SEL_CLEAR_INITIATE), IPMI_CC_PRIVILEGE);
	ck_assert_uint_eq(call(&b, 2000, IPMI_PRIV_OPERATOR,
	    IPMI_NETFN_STORAGE, IPMI_CMD_CLEAR_SEL, bad, sizeof(bad)),
	    IPMI_CC_INVALID_FIELD);
	ck_assert_uint_eq(b.cnt.clear_sel, 0);

	ck_assert_uint_eq(clear(&b, 5000, IPMI_PRIV_OPERATOR, resv,
	    SEL_CLEAR_INITIATE), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_clear_sel_rsp_decode(&r, &progress), 0);
	ck_assert_uint_eq(progress, SEL_ERASE_COMPLETED);
	ck_assert_uint_eq(b.cnt.clear_sel, 1);
	/* polling with the same reservation: completed */
	ck_assert_uint_eq(clear(&b, 5100, IPMI_PRIV_OPERATOR, resv,
	    SEL_CLEAR_STATUS), IPMI_CC_OK);
	ck_assert_uint_eq(out[0] & 0x0f, SEL_ERASE_COMPLETED);
	ck_assert_uint_eq(b.cnt.clear_sel, 1);

	/* one "log area reset/cleared" entry, ID 1 */
	n = sel_read(&b, 6000, recs);
	ck_assert_uint_eq(n, 1);
	decode(recs[0], &e);
	ck_assert_uint_eq(e.id, 1);
	ck_assert_uint_eq(e.sensor_type, 0x10);
	ck_assert_uint_eq(e.event_type, 0x6f);
	ck_assert_uint_eq(e.offset, 0x02);
	ck_assert_uint_eq(e.direction, 0);
	ck_assert_uint_eq(e.timestamp, EPOCH + 5);
	i = sel_info(&b, 6000);
	ck_assert_uint_eq(i.erase_ts, EPOCH + 5);
	ck_assert_uint_eq(i.add_ts, EPOCH + 5);
	/* new events carry on from ID 2 */
	ck_assert_uint_eq(control(&b, 7000, IPMI_CHASSIS_ON), IPMI_CC_OK);
	n = sel_read(&b, 9000, recs);
	ck_assert_uint_eq(n, 2);
	decode(recs[1], &e);
	ck_assert_uint_eq(e.id, 2);
	ck_assert_uint_eq(e.sensor_number, SIM_SENSOR_POWER_UNIT);
}
END_TEST

/*
 * bmcsim's own record (--sel-dump): the view is what Get SEL Entry reads
 * at the same moment, entry for entry, on a log nobody read before, one
 * grown with time, a full one and a cleared one.
 */
START_TEST(test_sel_view_is_what_clients_read)
{
	static const uint64_t at[] = { 0, 3600ULL * 1000, 86400ULL * 1000 };
	struct sim_sel_view v;
	unsigned n, i, k;
	uint16_t resv;

	b.power_on = 1;
	/* nobody has read b2: the view makes its log, as a read would */
	ck_assert_ptr_null(b2.store);
	ck_assert_int_eq(sim_store_sel_view(&b2, 1000, &v), 0);
	ck_assert_ptr_nonnull(b2.store);
	n = sel_read(&b2, 1000, recs);
	ck_assert_uint_eq(v.n, n);
	ck_assert_mem_eq(v.raw, recs, (size_t)n * SEL_ENTRY_LEN);

	for (k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
		/* view first: it must catch up by itself, not after a read */
		ck_assert_int_eq(sim_store_sel_view(&b, at[k], &v), 0);
		ck_assert_uint_ne(v.n, 0);
		memcpy(recs2, v.raw, (size_t)v.n * SEL_ENTRY_LEN);
		n = sel_read(&b, at[k], recs);
		ck_assert_uint_eq(v.n, n);
		ck_assert_mem_eq(recs2, recs, (size_t)n * SEL_ENTRY_LEN);
		for (i = 0; i < n; i++)
			ck_assert_uint_eq(recs2[i][0] | recs2[i][1] << 8, i + 1);
		ck_assert_int_eq(v.overflow, 0);
		ck_assert_uint_eq(v.time, EPOCH + at[k] / 1000);
	}
	ck_assert_uint_gt(v.n, 50);	/* a day of events */

	/* cleared: one "log area reset" entry, ID 1 */
	resv = reserve(&b, 86401ULL * 1000);
	ck_assert_uint_eq(clear(&b, 86401ULL * 1000, IPMI_PRIV_OPERATOR, resv,
	    SEL_CLEAR_INITIATE), IPMI_CC_OK);
	ck_assert_int_eq(sim_store_sel_view(&b, 86401ULL * 1000, &v), 0);
	ck_assert_uint_eq(v.n, 1);
	ck_assert_uint_eq(v.raw[0], 1);
	ck_assert_uint_eq(v.raw[1], 0);

	/* full: the oldest stay, the overflow is reported */
	sim_store_configure(5, EPOCH);
	sim_bmc_release(&b2);
	bmc_new(&b2, "dell-r640", 42, 1);
	ck_assert_int_eq(sim_store_sel_view(&b2, 0, &v), 0);
	ck_assert_uint_eq(v.n, 5);
	ck_assert_int_eq(v.overflow, 1);
	ck_assert_uint_eq(sel_read(&b2, 0, recs), 5);
	ck_assert_mem_eq(v.raw, recs, 5 * SEL_ENTRY_LEN);
}
END_TEST

START_TEST(test_sel_entry_ids_and_partial_reads)
{
	struct ipmi_get_sel_rsp rsp;
	uint8_t whole[SEL_ENTRY_LEN];
	uint16_t resv;
	unsigned n;

	n = sel_read(&b, 0, recs);
	/* FFFFh is the last entry; nothing follows it */
	ck_assert_uint_eq(get_entry(&b, 0, 0, SEL_ID_LAST, 0, SEL_READ_ALL,
	    &rsp), IPMI_CC_OK);
	ck_assert_uint_eq(rsp.next, SEL_ID_LAST);
	ck_assert_mem_eq(rsp.data, recs[n - 1], SEL_ENTRY_LEN);
	ck_assert_uint_eq(get_entry(&b, 0, 0, 2, 0, SEL_READ_ALL, &rsp),
	    IPMI_CC_OK);
	ck_assert_uint_eq(rsp.next, 3);
	memcpy(whole, rsp.data, SEL_ENTRY_LEN);
	ck_assert_uint_eq(get_entry(&b, 0, 0, (uint16_t)(n + 1), 0,
	    SEL_READ_ALL, &rsp), IPMI_CC_NOT_PRESENT);
	ck_assert_uint_eq(get_entry(&b, 0, 0, 0x1234, 0, SEL_READ_ALL, &rsp),
	    IPMI_CC_NOT_PRESENT);
	/* a partial read needs the reservation */
	ck_assert_uint_eq(get_entry(&b, 0, 0, 2, 4, 6, &rsp),
	    IPMI_CC_RESERVATION);
	resv = reserve(&b, 0);
	ck_assert_uint_eq(get_entry(&b, 0, (uint16_t)(resv + 1), 2, 4, 6,
	    &rsp), IPMI_CC_RESERVATION);
	ck_assert_uint_eq(get_entry(&b, 0, resv, 2, 4, 6, &rsp), IPMI_CC_OK);
	ck_assert_uint_eq(rsp.len, 6);
	ck_assert_mem_eq(rsp.data, whole + 4, 6);
	ck_assert_uint_eq(get_entry(&b, 0, resv, 2, 10, SEL_READ_ALL, &rsp),
	    IPMI_CC_OK);
	ck_assert_uint_eq(rsp.len, 6);
	ck_assert_mem_eq(rsp.data, whole + 10, 6);
	ck_assert_uint_eq(get_entry(&b, 0, resv, 2, 10, 7, &rsp),
	    IPMI_CC_CANT_RETURN);
	ck_assert_uint_eq(get_entry(&b, 0, resv, 2, 16, 1, &rsp),
	    IPMI_CC_PARAM_RANGE);
	/* wrong length */
	ck_assert_uint_eq(storage(&b, 0, IPMI_CMD_GET_SEL_ENTRY, whole, 5),
	    IPMI_CC_REQ_LEN);
}
END_TEST

START_TEST(test_sel_time)
{
	uint8_t t[4] = { 0x00, 0x10, 0x5e, 0x5f };	/* 1600000000 */
	uint32_t ts;
	struct buf r;

	ck_assert_uint_eq(storage(&b, 5500, IPMI_CMD_GET_SEL_TIME, NULL, 0),
	    IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_sel_time_rsp_decode(&r, &ts), 0);
	ck_assert_uint_eq(ts, EPOCH + 5);
	ck_assert_uint_eq(call(&b, 6000, IPMI_PRIV_USER, IPMI_NETFN_STORAGE,
	    0x49, t, 4), IPMI_CC_PRIVILEGE);
	ck_assert_uint_eq(call(&b, 6000, IPMI_PRIV_OPERATOR,
	    IPMI_NETFN_STORAGE, 0x49, t, 4), IPMI_CC_OK);
	ck_assert_uint_eq(storage(&b, 16000, IPMI_CMD_GET_SEL_TIME, NULL, 0),
	    IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_sel_time_rsp_decode(&r, &ts), 0);
	ck_assert_uint_eq(ts, 1600000010u);
}
END_TEST

START_TEST(test_sel_not_store_commands)
{
	uint8_t z[8] = { 0 };

	/* Add / Delete SEL Entry are not simulated: C1h */
	ck_assert_uint_eq(storage(&b, 0, 0x44, z, 8), IPMI_CC_INVALID_CMD);
	ck_assert_uint_eq(storage(&b, 0, 0x46, z, 4), IPMI_CC_INVALID_CMD);
	ck_assert_uint_eq(storage(&b, 0, IPMI_CMD_GET_SEL_INFO, z, 1),
	    IPMI_CC_REQ_LEN);
}
END_TEST

/* --- FRU ----------------------------------------------------------------- */

static uint16_t
fru_size(struct sim_bmc *x, uint8_t dev)
{
	struct ipmi_fru_info_rsp i;
	struct buf r;

	ck_assert_uint_eq(storage(x, 0, IPMI_CMD_GET_FRU_INFO, &dev, 1),
	    IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_fru_info_rsp_decode(&r, &i), 0);
	ck_assert_int_eq(i.words, 0);
	return i.size;
}

static uint8_t
fru_chunk(struct sim_bmc *x, uint8_t dev, uint16_t off, uint8_t count,
    struct ipmi_fru_read_rsp *rsp)
{
	struct ipmi_fru_read_req q = { dev, off, count };
	uint8_t req[4];
	struct buf w, r;
	uint8_t cc;

	buf_init_write(&w, req, sizeof(req));
	ck_assert_int_eq(ipmi_fru_read_req_encode(&q, &w), 0);
	cc = storage(x, 0, IPMI_CMD_READ_FRU, req, w.len);
	if (cc == IPMI_CC_OK) {
		buf_init_read(&r, out, outlen);
		ck_assert_int_eq(ipmi_fru_read_rsp_decode(&r, rsp), 0);
		ck_assert_uint_eq(rsp->count, rsp->len);
	}
	return cc;
}

/* The whole device in chunks of chunk bytes; returns its size. */
static size_t
fru_read_all(struct sim_bmc *x, uint8_t dev, uint8_t chunk, uint8_t *img)
{
	struct ipmi_fru_read_rsp rsp;
	size_t size = fru_size(x, dev), n = 0;

	while (n < size) {
		ck_assert_uint_eq(fru_chunk(x, dev, (uint16_t)n, chunk, &rsp),
		    IPMI_CC_OK);
		ck_assert_uint_gt(rsp.len, 0);
		ck_assert_uint_le(rsp.len, chunk);
		memcpy(img + n, rsp.data, rsp.len);
		n += rsp.len;
	}
	ck_assert_uint_eq(n, size);
	return size;
}

static struct fru *
fru_of(const uint8_t *img, size_t len)
{
	struct fru *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fru_decode(img, len, f), 0);
	ck_assert_uint_eq(f->nproblems, 0);
	return f;
}

START_TEST(test_fru_board)
{
	uint8_t img[1024], img2[1024], img3[1024];
	size_t n, n2, n3;
	struct fru *f, *f2;

	n = fru_read_all(&b, 0, 16, img);
	n2 = fru_read_all(&b, 0, 200, img2);
	ck_assert_uint_eq(n, n2);
	ck_assert_mem_eq(img, img2, n);
	f = fru_of(img, n);
	ck_assert(f->chassis.present);
	ck_assert_uint_eq(f->chassis.type, 0x17);
	ck_assert(f->chassis.serial.present);
	ck_assert(f->board.present);
	ck_assert(f->board.has_mfg_time);
	ck_assert_uint_ge(f->board.mfg_minutes, 12097440u);
	ck_assert_str_eq(f->board.mfr.text, "Dell Inc.");
	ck_assert(f->board.product.present && f->board.part.present);
	ck_assert(f->board.file_id.present);
	ck_assert_uint_eq(f->board.ncustom, 1);
	ck_assert(f->product.present);
	ck_assert_str_eq(f->product.mfr.text, "Dell Inc.");
	ck_assert_str_eq(f->product.name.text, "PowerEdge R640");
	ck_assert(f->product.version.present);
	ck_assert_str_eq(f->product.serial.text, f->chassis.serial.text);
	ck_assert_uint_eq(f->product.asset_tag.enc, FRU_ENC_ASCII6);
	ck_assert_str_eq(f->product.asset_tag.text, "AT000001");
	ck_assert_uint_eq(b.cnt.read_fru, (n + 15) / 16 + (n + 199) / 200);

	/* another BMC: other serial numbers */
	n3 = fru_read_all(&b2, 0, 32, img3);
	f2 = fru_of(img3, n3);
	ck_assert_str_ne(f->board.serial.text, f2->board.serial.text);
	ck_assert_str_ne(f->chassis.serial.text, f2->chassis.serial.text);
	ck_assert_str_eq(f2->product.asset_tag.text, "AT000002");
	free(f2);

	/* the same seed and index: the same serials */
	sim_bmc_release(&b2);
	bmc_new(&b2, "dell-r640", 42, 0);
	n3 = fru_read_all(&b2, 0, 32, img3);
	ck_assert_uint_eq(n3, n);
	ck_assert_mem_eq(img3, img, n);
	free(f);
	/* reading the FRU allocates nothing */
	ck_assert_ptr_null(b.store);
}
END_TEST

START_TEST(test_fru_psu)
{
	uint8_t img[1024];
	char serial[FRU_TEXT_MAX], board[FRU_TEXT_MAX];
	struct fru *f;
	size_t n, i;

	n = fru_read_all(&b, SIM_FRU_PS1, 16, img);
	f = fru_of(img, n);
	ck_assert(!f->chassis.present && !f->board.present);
	ck_assert(f->product.present);
	ck_assert(f->product.serial.present);
	ck_assert_uint_eq(f->nmr, 2);
	ck_assert_uint_eq(f->mr[0].type, FRU_MR_POWER_SUPPLY);
	ck_assert_uint_eq(f->mr[1].type, FRU_MR_DC_OUTPUT);
	for (i = 0; i < 2; i++) {
		ck_assert(f->mr[i].hdr_ok && f->mr[i].data_ok);
		ck_assert(f->mr[i].typed);
		ck_assert_uint_eq(f->mr[i].version, 2);
		ck_assert_int_eq(f->mr[i].eol, i == 1);
	}
	ck_assert_uint_eq(f->mr[0].u.psu.capacity_w, 750);
	ck_assert_uint_eq(f->mr[0].u.psu.low1_10mv, 9000);
	ck_assert_uint_eq(f->mr[1].u.dcout.output, 1);
	ck_assert_int_eq(f->mr[1].u.dcout.nominal_10mv, 1200);
	strcpy(serial, f->product.serial.text);
	free(f);

	n = fru_read_all(&b, 0, 32, img);
	f = fru_of(img, n);
	strcpy(board, f->board.serial.text);
	free(f);

	/* a PSU swap: a new PSU serial, the same board */
	sim_store_fru_swap(&b, SIM_FRU_PS1);
	n = fru_read_all(&b, SIM_FRU_PS1, 32, img);
	f = fru_of(img, n);
	ck_assert_str_ne(f->product.serial.text, serial);
	free(f);
	n = fru_read_all(&b, 0, 32, img);
	f = fru_of(img, n);
	ck_assert_str_eq(f->board.serial.text, board);
	free(f);
}
END_TEST

START_TEST(test_fru_errors_and_limits)
{
	struct ipmi_fru_read_rsp rsp;
	struct sim_bmc h;
	uint8_t img[1024], dev = 2;
	struct fru *f;
	size_t n, size;

	ck_assert_uint_eq(storage(&b, 0, IPMI_CMD_GET_FRU_INFO, &dev, 1),
	    IPMI_CC_NOT_PRESENT);
	ck_assert_uint_eq(fru_chunk(&b, 2, 0, 16, &rsp), IPMI_CC_NOT_PRESENT);
	ck_assert_uint_eq(storage(&b, 0, IPMI_CMD_GET_FRU_INFO, NULL, 0),
	    IPMI_CC_REQ_LEN);
	/* the message's room: most models take a big count */
	size = fru_size(&b, 0);
	ck_assert_uint_eq(fru_chunk(&b, 0, 0, 200, &rsp), IPMI_CC_OK);
	ck_assert_uint_eq(rsp.len, size < 200 ? size : 200);
	ck_assert_uint_eq(fru_chunk(&b, 0, 0, 255, &rsp),
	    IPMI_CC_CANT_RETURN);
	/* past the end: what is left; at the end: out of range */
	ck_assert_uint_eq(fru_chunk(&b, 0, (uint16_t)(size - 3), 16, &rsp),
	    IPMI_CC_OK);
	ck_assert_uint_eq(rsp.len, 3);
	ck_assert_uint_eq(fru_chunk(&b, 0, (uint16_t)size, 16, &rsp),
	    IPMI_CC_PARAM_RANGE);

	/* hpe-dl380: counts over 32 are refused with CAh */
	bmc_new(&h, "hpe-dl380", 7, 3);
	ck_assert_uint_eq(fru_chunk(&h, 0, 0, 33, &rsp), IPMI_CC_CANT_RETURN);
	ck_assert_uint_eq(fru_chunk(&h, 0, 0, 32, &rsp), IPMI_CC_OK);
	ck_assert_uint_eq(rsp.len, 32);
	n = fru_read_all(&h, 0, 32, img);
	f = fru_of(img, n);
	ck_assert_str_eq(f->board.mfr.text, "Hewlett Packard Enterprise");
	free(f);
	n = fru_read_all(&h, 1, 32, img);
	f = fru_of(img, n);
	ck_assert_uint_eq(f->mr[0].u.psu.capacity_w, 800);
	free(f);
	sim_bmc_release(&h);
}
END_TEST

START_TEST(test_fru_every_model_decodes)
{
	unsigned m;
	uint8_t img[1024];
	struct sim_bmc x;
	struct fru *f;
	size_t n;

	for (m = 0; m < 5; m++) {
		sim_bmc_init(&x, sim_model_nth(m), 99 + m, 1000);
		x.index = 65535;
		n = fru_read_all(&x, 0, 16, img);
		f = fru_of(img, n);
		ck_assert_str_eq(f->board.mfr.text, sim_model_nth(m)->vendor);
		free(f);
		n = fru_read_all(&x, 1, 16, img);
		f = fru_of(img, n);
		ck_assert_uint_eq(f->nmr, 2);
		free(f);
		sim_bmc_release(&x);
	}
}
END_TEST

/* --- DCMI ---------------------------------------------------------------- */

static struct dcmi_power_rsp
power_reading(struct sim_bmc *x, uint64_t now, uint8_t mode, uint8_t attr)
{
	struct dcmi_power_req q = { mode, attr };
	struct dcmi_power_rsp p;
	uint8_t req[4];
	struct buf w, r;

	buf_init_write(&w, req, sizeof(req));
	ck_assert_int_eq(dcmi_power_req_encode(&q, &w), 0);
	ck_assert_uint_eq(call(x, now, IPMI_PRIV_USER, IPMI_NETFN_GROUP,
	    DCMI_CMD_GET_POWER_READING, req, w.len), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(dcmi_power_rsp_decode(&r, &p), 0);
	ck_assert(p.active);
	ck_assert_uint_le(p.min_w, p.avg_w);
	ck_assert_uint_le(p.avg_w, p.max_w);
	ck_assert_uint_le(p.min_w, p.current_w);
	ck_assert_uint_le(p.current_w, p.max_w);
	return p;
}

START_TEST(test_dcmi_power_follows_power)
{
	struct dcmi_power_rsp p;
	unsigned calls = 0;
	uint64_t t;

	b.power_on = 1;
	for (t = 0; t < 7200; t += 97) {
		p = power_reading(&b, 1000 * t, DCMI_POWER_SYSTEM, 0);
		calls++;
		ck_assert_uint_ge(p.min_w, 130);
		ck_assert_uint_le(p.max_w, 490);
	}
	ck_assert_uint_eq(p.timestamp, EPOCH + t - 97);
	ck_assert_uint_eq(p.period_ms, 3600000);
	ck_assert_uint_eq(p.state, 0x40);
	/* off: standby watts, once the window is past the change */
	ck_assert_uint_eq(control(&b, 7200000, IPMI_CHASSIS_OFF), IPMI_CC_OK);
	p = power_reading(&b, 7201000 + 2000, DCMI_POWER_SYSTEM, 0);
	ck_assert_uint_le(p.current_w, 10);
	ck_assert_uint_ge(p.max_w, 130);	/* on a moment ago */
	p = power_reading(&b, 7201000 + 3600000, DCMI_POWER_SYSTEM, 0);
	ck_assert_uint_le(p.max_w, 10);
	ck_assert_uint_ge(p.min_w, 1);
	/* a rolling period of 1 minute (mode 02h) */
	p = power_reading(&b, 7201000 + 3600000, DCMI_POWER_ENHANCED, 0x41);
	ck_assert_uint_eq(p.period_ms, 60000);
	ck_assert_uint_eq(b.cnt.dcmi_power, calls + 3);
	/* and never any allocation */
	ck_assert_ptr_null(b.store);
}
END_TEST

START_TEST(test_dcmi_power_by_seed)
{
	struct dcmi_power_rsp p1, p2;
	unsigned i, differ = 0;
	struct sim_bmc x;

	b.power_on = 1;
	p1 = power_reading(&b, 600000, DCMI_POWER_SYSTEM, 0);
	for (i = 0; i < 4; i++) {
		sim_bmc_init(&x, sim_model_find("openbmc"), 500 + i, 1000);
		x.power_on = 1;
		p2 = power_reading(&x, 600000, DCMI_POWER_SYSTEM, 0);
		differ += p2.avg_w != p1.avg_w;
		sim_bmc_release(&x);
	}
	ck_assert_uint_ge(differ, 3);
	/* same seed, same time: same numbers */
	sim_bmc_init(&x, sim_model_find("dell-r640"), 42, 1000);
	x.power_on = 1;
	p2 = power_reading(&x, 600000, DCMI_POWER_SYSTEM, 0);
	ck_assert_uint_eq(p1.current_w, p2.current_w);
	ck_assert_uint_eq(p1.min_w, p2.min_w);
	ck_assert_uint_eq(p1.max_w, p2.max_w);
	ck_assert_uint_eq(p1.avg_w, p2.avg_w);
	ck_assert_uint_eq(p1.timestamp, p2.timestamp);
	sim_bmc_release(&x);
}
END_TEST

START_TEST(test_dcmi_caps_and_errors)
{
	uint8_t req[4] = { DCMI_GROUP_ID, DCMI_CAP_SUPPORTED, 0, 0 };
	struct dcmi_caps_rsp c;
	struct buf r;
	unsigned p;

	/* parameter 1: DCh, 1.5, revision 2, platform/optional/access */
	ck_assert_uint_eq(call(&b, 0, IPMI_PRIV_USER, IPMI_NETFN_GROUP,
	    DCMI_CMD_GET_CAPABILITIES, req, 2), IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 7);
	ck_assert_uint_eq(out[0], DCMI_GROUP_ID);
	ck_assert_uint_eq(out[1], 1);
	ck_assert_uint_eq(out[2], 5);
	ck_assert_uint_eq(out[3], 2);
	ck_assert(out[4] & DCMI_PLAT_SEL_LOGGING);
	ck_assert(out[5] & DCMI_OPT_POWER_MGMT);
	ck_assert(out[6] & DCMI_ACC_PRIMARY_LAN);
	/* parameter 2: SEL entries, temperature sampling 5 s */
	req[1] = DCMI_CAP_MANDATORY;
	ck_assert_uint_eq(call(&b, 0, IPMI_PRIV_USER, IPMI_NETFN_GROUP,
	    DCMI_CMD_GET_CAPABILITIES, req, 2), IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 9);
	ck_assert_uint_eq(out[4] | (out[5] & 0x0f) << 8, SIM_SEL_CAPACITY);
	ck_assert_uint_eq(out[5] & 0xe0, 0);	/* no rollover */
	ck_assert_uint_eq(out[8], 5);
	/* 3 to 5 decode with the library */
	for (p = DCMI_CAP_OPTIONAL; p <= DCMI_CAP_POWER_STATS; p++) {
		req[1] = (uint8_t)p;
		ck_assert_uint_eq(call(&b, 0, IPMI_PRIV_USER,
		    IPMI_NETFN_GROUP, DCMI_CMD_GET_CAPABILITIES, req, 2),
		    IPMI_CC_OK);
		buf_init_read(&r, out, outlen);
		ck_assert_int_eq(dcmi_caps_rsp_decode(&r, (uint8_t)p, &c), 0);
		ck_assert_uint_eq(c.major, 1);
		ck_assert_uint_eq(c.minor, 5);
	}
	ck_assert_uint_eq(c.stats.n, 4);
	ck_assert_uint_eq(c.stats.period[0].unit, DCMI_UNIT_MIN);
	ck_assert_uint_eq(c.stats.period[0].duration, 1);
	req[1] = 6;
	ck_assert_uint_eq(call(&b, 0, IPMI_PRIV_USER, IPMI_NETFN_GROUP,
	    DCMI_CMD_GET_CAPABILITIES, req, 2), IPMI_CC_PARAM_RANGE);

	/* a DCMI command with another group ID: CCh */
	req[0] = 0x00;
	req[1] = DCMI_POWER_SYSTEM;
	ck_assert_uint_eq(call(&b, 0, IPMI_PRIV_USER, IPMI_NETFN_GROUP,
	    DCMI_CMD_GET_POWER_READING, req, 4), IPMI_CC_INVALID_FIELD);
	/* another group's command (PICMG, HPM.x): not ours */
	ck_assert_uint_eq(call(&b, 0, IPMI_PRIV_USER, IPMI_NETFN_GROUP,
	    0x2e, req, 1), IPMI_CC_INVALID_CMD);
	/* a DCMI command we do not simulate: C1h */
	req[0] = DCMI_GROUP_ID;
	ck_assert_uint_eq(call(&b, 0, IPMI_PRIV_USER, IPMI_NETFN_GROUP,
	    0x03, req, 4), IPMI_CC_INVALID_CMD);
	/* power reading: unknown mode, unknown period */
	req[1] = 0x05;
	ck_assert_uint_eq(call(&b, 0, IPMI_PRIV_USER, IPMI_NETFN_GROUP,
	    DCMI_CMD_GET_POWER_READING, req, 4), IPMI_CC_INVALID_FIELD);
	req[1] = DCMI_POWER_ENHANCED;
	req[2] = 0x42;
	ck_assert_uint_eq(call(&b, 0, IPMI_PRIV_USER, IPMI_NETFN_GROUP,
	    DCMI_CMD_GET_POWER_READING, req, 4), IPMI_CC_INVALID_FIELD);
	ck_assert_uint_eq(call(&b, 0, IPMI_PRIV_USER, IPMI_NETFN_GROUP,
	    DCMI_CMD_GET_POWER_READING, req, 2), IPMI_CC_REQ_LEN);
}
END_TEST

/* --- boot options ------------------------------------------------------- */

static uint8_t
boot_set(struct sim_bmc *x, uint8_t priv, const uint8_t *data, size_t len)
{
	return call(x, 0, priv, IPMI_NETFN_CHASSIS, IPMI_CMD_SET_BOOT_OPTIONS,
	    data, len);
}

static uint8_t
boot_get(struct sim_bmc *x, uint8_t param)
{
	uint8_t req[3] = { param, 0, 0 };

	return call(x, 0, IPMI_PRIV_USER, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_GET_BOOT_OPTIONS, req, 3);
}

START_TEST(test_boot_round_trip)
{
	/* what ipmitool chassis bootdev pxe sends, then a persistent EFI
	 * disk */
	static const uint8_t progress[2] = { 0x00, 0x01 };
	static const uint8_t ack[3] = { 0x04, 0x01, 0x01 };
	static const uint8_t pxe[6] = { 0x05, 0x80, 0x04, 0x00, 0x00, 0x00 };
	static const uint8_t commit[2] = { 0x00, 0x02 };
	static const uint8_t done[2] = { 0x00, 0x00 };
	struct boot_flags fl;
	uint8_t disk[6];
	struct buf r;
	int invalid;

	/* nothing set: no override */
	ck_assert_uint_eq(boot_get(&b, BOOT_PARAM_FLAGS), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(boot_flags_rsp_decode(&r, &fl, &invalid), 0);
	ck_assert_int_eq(fl.valid, 0);
	ck_assert_uint_eq(fl.device, BOOT_DEV_NONE);
	ck_assert_ptr_null(b.store);

	ck_assert_uint_eq(boot_set(&b, IPMI_PRIV_OPERATOR, progress, 2),
	    IPMI_CC_OK);
	ck_assert_uint_eq(boot_get(&b, BOOT_PARAM_SET_IN_PROGRESS),
	    IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 3);
	ck_assert_uint_eq(out[0], 1);
	ck_assert_uint_eq(out[1], 0);
	ck_assert_uint_eq(out[2], 1);
	ck_assert_uint_eq(boot_set(&b, IPMI_PRIV_OPERATOR, ack, 3),
	    IPMI_CC_OK);
	ck_assert_uint_eq(boot_set(&b, IPMI_PRIV_OPERATOR, pxe, 6),
	    IPMI_CC_OK);
	ck_assert_uint_eq(boot_set(&b, IPMI_PRIV_OPERATOR, commit, 2),
	    IPMI_CC_OK);
	ck_assert_uint_eq(boot_set(&b, IPMI_PRIV_OPERATOR, done, 2),
	    IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.set_boot, 5);
	ck_assert_uint_eq(boot_get(&b, BOOT_PARAM_FLAGS), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(boot_flags_rsp_decode(&r, &fl, &invalid), 0);
	ck_assert_int_eq(invalid, 0);
	ck_assert_int_eq(fl.valid, 1);
	ck_assert_int_eq(fl.persistent, 0);
	ck_assert_int_eq(fl.efi, 0);
	ck_assert_uint_eq(fl.device, BOOT_DEV_PXE);
	ck_assert_uint_eq(boot_get(&b, BOOT_PARAM_SET_IN_PROGRESS),
	    IPMI_CC_OK);
	ck_assert_uint_eq(out[2], 0);
	ck_assert_uint_eq(boot_get(&b, 4), IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 4);
	ck_assert_uint_eq(out[3], 0x01);

	memset(&fl, 0, sizeof(fl));
	fl.valid = fl.persistent = fl.efi = 1;
	fl.device = BOOT_DEV_DISK;
	disk[0] = BOOT_PARAM_FLAGS;
	boot_flags_encode(&fl, disk + 1);
	ck_assert_uint_eq(boot_set(&b, IPMI_PRIV_ADMIN, disk, 6), IPMI_CC_OK);
	ck_assert_uint_eq(boot_get(&b, BOOT_PARAM_FLAGS), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	memset(&fl, 0, sizeof(fl));
	ck_assert_int_eq(boot_flags_rsp_decode(&r, &fl, NULL), 0);
	ck_assert(fl.valid && fl.persistent && fl.efi);
	ck_assert_uint_eq(fl.device, BOOT_DEV_DISK);

	/* other devices round-trip too */
	disk[2] = BOOT_DEV_BIOS;
	ck_assert_uint_eq(boot_set(&b, IPMI_PRIV_ADMIN, disk, 6), IPMI_CC_OK);
	ck_assert_uint_eq(boot_get(&b, BOOT_PARAM_FLAGS), IPMI_CC_OK);
	ck_assert_uint_eq(out[3] & 0x3c, BOOT_DEV_BIOS);
	disk[2] = BOOT_DEV_CDROM;
	ck_assert_uint_eq(boot_set(&b, IPMI_PRIV_ADMIN, disk, 6), IPMI_CC_OK);
	ck_assert_uint_eq(boot_get(&b, BOOT_PARAM_FLAGS), IPMI_CC_OK);
	ck_assert_uint_eq(out[3] & 0x3c, BOOT_DEV_CDROM);
}
END_TEST

START_TEST(test_boot_refusals)
{
	static const uint8_t pxe[6] = { 0x05, 0x80, 0x04, 0x00, 0x00, 0x00 };
	static const uint8_t other[2] = { 0x07, 0x00 };

	ck_assert_uint_eq(boot_set(&b, IPMI_PRIV_USER, pxe, 6),
	    IPMI_CC_PRIVILEGE);
	ck_assert_uint_eq(b.cnt.set_boot, 0);
	ck_assert_ptr_null(b.store);
	ck_assert_uint_eq(boot_set(&b, IPMI_PRIV_OPERATOR, pxe, 5),
	    IPMI_CC_REQ_LEN);
	ck_assert_uint_eq(boot_set(&b, IPMI_PRIV_OPERATOR, other, 2), 0x80);
	ck_assert_uint_eq(boot_get(&b, 7), 0x80);
	ck_assert_uint_eq(boot_get(&b, 1), 0x80);
	ck_assert_uint_eq(call(&b, 0, IPMI_PRIV_USER, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_GET_BOOT_OPTIONS, pxe, 2), IPMI_CC_REQ_LEN);
}
END_TEST

/* --- hostile BMCs (quirk.h) ------------------------------------------------ */

START_TEST(test_hostile_drip_fru)
{
	struct ipmi_fru_read_rsp rsp;
	static uint8_t img[1024], want[1024];
	size_t n, size;
	uint8_t dev;

	b.quirks = SIM_Q_DRIP;
	bmc_new(&b2, "dell-r640", 42, 0);	/* b without the quirk */
	for (dev = 0; dev < 2; dev++) {
		/* whatever is asked: "1 byte read", 00h, and that byte */
		ck_assert_uint_eq(fru_chunk(&b, dev, 0, 16, &rsp), IPMI_CC_OK);
		ck_assert_uint_eq(rsp.count, 1);
		ck_assert_uint_eq(rsp.len, 1);
		ck_assert_uint_eq(rsp.data[0], 0x01);	/* header version */
		/* a client that keeps asking reads the device right */
		b.cnt.read_fru = 0;
		size = fru_read_all(&b, dev, 16, img);
		ck_assert_uint_eq(b.cnt.read_fru, size);
		n = fru_read_all(&b2, dev, 16, want);
		ck_assert_uint_eq(n, size);
		ck_assert_mem_eq(img, want, size);
	}
}
END_TEST

START_TEST(test_hostile_lie_fru_offset)
{
	struct ipmi_fru_read_rsp rsp;
	static uint8_t img[1024], want[1024];
	uint8_t hdr[8], sum = 0, dev;
	struct fru *f;
	size_t size, i;

	b.quirks = SIM_Q_LIE_FRU_OFFSET;
	bmc_new(&b2, "dell-r640", 42, 0);
	for (dev = 0; dev < 2; dev++) {
		size = fru_read_all(&b2, dev, 16, want);
		b.cnt.read_fru = 0;
		ck_assert_uint_eq(fru_size(&b, dev), size);
		ck_assert_uint_eq(fru_chunk(&b, dev, 0, 8, &rsp), IPMI_CC_OK);
		ck_assert_uint_eq(rsp.len, 8);
		memcpy(hdr, rsp.data, 8);
		/* the product area starts 16 bytes past the end... */
		ck_assert_uint_eq(hdr[4] * 8u, (size + SIM_LIE_FRU_PAST + 7) /
		    8 * 8);
		ck_assert_uint_ge(hdr[4] * 8u, size + SIM_LIE_FRU_PAST);
		/* ...in a header whose checksum is good, the rest true */
		for (i = 0; i < 8; i++)
			sum = (uint8_t)(sum + hdr[i]);
		ck_assert_uint_eq(sum, 0);
		for (i = 0; i < 4; i++)
			ck_assert_uint_eq(hdr[i], want[i]);
		ck_assert_uint_eq(hdr[5], want[5]);
		/* byte by byte, the same lie */
		ck_assert_uint_eq(fru_chunk(&b, dev, 4, 1, &rsp), IPMI_CC_OK);
		ck_assert_uint_eq(rsp.data[0], hdr[4]);
		ck_assert_uint_eq(fru_chunk(&b, dev, 6, 2, &rsp), IPMI_CC_OK);
		ck_assert_uint_eq(rsp.data[1], hdr[7]);
		/* the areas themselves are untouched */
		ck_assert_uint_eq(fru_chunk(&b, dev, 8, 16, &rsp), IPMI_CC_OK);
		ck_assert_mem_eq(rsp.data, want + 8, 16);
		/* the client's reads only are counted */
		ck_assert_uint_eq(b.cnt.read_fru, 4);
		/* the codec says where the lie is */
		fru_read_all(&b, dev, 16, img);
		ck_assert_ptr_nonnull(f = calloc(1, sizeof(*f)));
		fru_decode(img, size, f);
		ck_assert_uint_ge(f->nproblems, 1);
		for (i = 0; i < f->nproblems; i++)
			if (f->problems[i].area == FRU_AREA_PRODUCT &&
			    f->problems[i].kind == FRU_PROB_OFFSET)
				break;
		ck_assert_msg(i < f->nproblems, "no product area offset "
		    "problem");
		free(f);
	}
}
END_TEST

START_TEST(test_hostile_lie_sel_count)
{
	struct ipmi_get_sel_rsp rsp;
	struct sim_sel_view v;
	uint16_t id = SEL_ID_FIRST;
	unsigned n = 0;

	b.quirks = SIM_Q_LIE_SEL_COUNT;
	ck_assert_int_eq(sim_store_sel_view(&b, 0, &v), 0);
	ck_assert_uint_gt(v.n, 0);
	/* Get SEL Info claims 1000 entries more than the chain holds */
	ck_assert_uint_eq(sel_info(&b, 0).entries, v.n + SIM_LIE_SEL_EXTRA);
	do {
		ck_assert_uint_lt(n, MAXREC);
		ck_assert_uint_eq(get_entry(&b, 0, 0, id, 0, SEL_READ_ALL,
		    &rsp), IPMI_CC_OK);
		ck_assert_mem_eq(rsp.data, v.raw + n * SEL_ENTRY_LEN,
		    SEL_ENTRY_LEN);
		n++;
		id = rsp.next;
	} while (id != SEL_ID_LAST);
	ck_assert_uint_eq(n, v.n);
	/* a client that goes by the count and asks for ID n + 1 is refused
	 * (CBh): the chain, not the count, says where the log ends */
	ck_assert_uint_eq(get_entry(&b, 0, 0, (uint16_t)(v.n + 1), 0,
	    SEL_READ_ALL, &rsp), IPMI_CC_NOT_PRESENT);
}
END_TEST

START_TEST(test_hostile_endless_sel)
{
	static uint8_t seen[0x10000 / 8];
	struct ipmi_get_sel_rsp rsp;
	struct sim_sel_view v;
	uint16_t id = SEL_ID_FIRST, rid;
	unsigned steps, nv;

	b.quirks = SIM_Q_ENDLESS_SEL;
	ck_assert_int_eq(sim_store_sel_view(&b, 0, &v), 0);
	nv = v.n;
	ck_assert_uint_gt(nv, 0);
	/* Get SEL Info tells the truth */
	ck_assert_uint_eq(sel_info(&b, 0).entries, nv);
	memset(seen, 0, sizeof(seen));
	for (steps = 0; steps < SIM_ENDLESS_SEL_IDS; steps++) {
		ck_assert_uint_eq(get_entry(&b, 0, 0, id, 0, SEL_READ_ALL,
		    &rsp), IPMI_CC_OK);
		ck_assert_uint_eq(rsp.len, SEL_ENTRY_LEN);
		rid = (uint16_t)(rsp.data[0] | rsp.data[1] << 8);
		ck_assert_uint_eq(rid, steps + 1);
		ck_assert(!(seen[rid / 8] & 1 << rid % 8));
		seen[rid / 8] |= (uint8_t)(1 << rid % 8);
		/* a well-formed entry: a real one under another ID */
		ck_assert_int_eq(sim_store_sel_view(&b, 0, &v), 0);
		ck_assert_mem_eq(rsp.data + 2, v.raw + ((rid - 1u) % nv) *
		    SEL_ENTRY_LEN + 2, SEL_ENTRY_LEN - 2);
		ck_assert_uint_ne(rsp.next, SEL_ID_LAST);
		id = rsp.next;
	}
	/* 65,534 distinct IDs (every one but 0000h and FFFFh), then the
	 * first again: the chain never ends */
	ck_assert_uint_eq(id, 1);
	ck_assert_uint_eq(b.cnt.get_sel_entry, SIM_ENDLESS_SEL_IDS);
	/* "the last entry" is FFFEh, partial reads work */
	ck_assert_uint_eq(get_entry(&b, 0, 0, SEL_ID_LAST, 0, 4, &rsp),
	    IPMI_CC_OK);
	ck_assert_uint_eq(rsp.len, 4);
	ck_assert_uint_eq(rsp.data[0] | rsp.data[1] << 8, 0xfffe);
	ck_assert_uint_eq(rsp.next, 1);
	ck_assert_uint_eq(get_entry(&b, 0, 0, 1, 16, 1, &rsp),
	    IPMI_CC_PARAM_RANGE);
}
END_TEST

static Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *sel = tcase_create("sel");
	TCase *fru = tcase_create("fru");
	TCase *dcmi = tcase_create("dcmi");
	TCase *boot = tcase_create("boot");

	tcase_add_checked_fixture(sel, setup, teardown);
	tcase_add_test(sel, test_sel_prehistory);
	tcase_add_test(sel, test_sel_deterministic);
	tcase_add_test(sel, test_sel_grows_with_time);
	tcase_add_test(sel, test_sel_count);
	tcase_add_test(sel, test_sel_power_events);
	tcase_add_test(sel, test_sel_power_before_first_read);
	tcase_add_test(sel, test_sel_capacity_overflow);
	tcase_add_test(sel, test_sel_clear);
	tcase_add_test(sel, test_sel_view_is_what_clients_read);
	tcase_add_test(sel, test_sel_entry_ids_and_partial_reads);
	tcase_add_test(sel, test_sel_time);
	tcase_add_test(sel, test_sel_not_store_commands);
	suite_add_tcase(s, sel);
	tcase_add_checked_fixture(fru, setup, teardown);
	tcase_add_test(fru, test_fru_board);
	tcase_add_test(fru, test_fru_psu);
	tcase_add_test(fru, test_fru_errors_and_limits);
	tcase_add_test(fru, test_fru_every_model_decodes);
	suite_add_tcase(s, fru);
	tcase_add_checked_fixture(dcmi, setup, teardown);
	tcase_add_test(dcmi, test_dcmi_power_follows_power);
	tcase_add_test(dcmi, test_dcmi_power_by_seed);
	tcase_add_test(dcmi, test_dcmi_caps_and_errors);
	suite_add_tcase(s, dcmi);
	tcase_add_checked_fixture(boot, setup, teardown);
	tcase_add_test(boot, test_boot_round_trip);
	tcase_add_test(boot, test_boot_refusals);

	TCase *hostile = tcase_create("hostile");
	tcase_add_checked_fixture(hostile, setup, teardown);
	tcase_set_timeout(hostile, 60);
	tcase_add_test(hostile, test_hostile_drip_fru);
	tcase_add_test(hostile, test_hostile_lie_fru_offset);
	tcase_add_test(hostile, test_hostile_lie_sel_count);
	tcase_add_test(hostile, test_hostile_endless_sel);
	suite_add_tcase(s, hostile);
	suite_add_tcase(s, boot);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(store_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
