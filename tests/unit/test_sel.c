/*
 * ipmi/sel: the SEL codecs, the entry decoder, severities, descriptions,
 * and the walkers that read and clear the log.  Entries are written by
 * hand from IPMI v2.0 rev 1.1, 32.1-32.3 and 29.7, so the decoder is not
 * checked against itself.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/sel.h"

/* Upper Critical going high on temperature sensor 30h, reading and
 * threshold in data 2 and 3 */
static const uint8_t ev_thresh[16] = {
	0x01, 0x00, 0x02,
	0x00, 0x10, 0x5e, 0x5f,		/* 1600000000 */
	0x20, 0x00,			/* BMC (slave 20h), channel 0, LUN 0 */
	0x04, 0x01, 0x30,		/* EvM rev, temperature, sensor 30h */
	0x01,				/* assertion, threshold */
	0x59, 0x5c, 0x5a,		/* 01b 01b offset 9; 92; 90 */
};

/* Power Supply AC lost, sensor-specific, no data 2/3 */
static const uint8_t ev_psu[16] = {
	0x02, 0x00, 0x02, 0x01, 0x10, 0x5e, 0x5f,
	0x20, 0x00, 0x04, 0x08, 0x50, 0x6f, 0x03, 0xff, 0xff,
};

/* Correctable ECC from BIOS (software ID 33h), channel 1, LUN 2; OEM data */
static const uint8_t ev_ecc[16] = {
	0x03, 0x00, 0x02, 0x02, 0x10, 0x5e, 0x5f,
	0x33, 0x12, 0x04, 0x0c, 0x60, 0x6f, 0xa0, 0x00, 0x01,
};

/* redundancy lost, deasserted (generic discrete 0Bh) */
static const uint8_t ev_redund[16] = {
	0x04, 0x00, 0x02, 0x03, 0x10, 0x5e, 0x5f,
	0x20, 0x00, 0x04, 0x08, 0x51, 0x8b, 0x01, 0xff, 0xff,
};

/* a pre-init time stamp: 291 seconds after the log started */
static const uint8_t ev_preinit[16] = {
	0x05, 0x00, 0x02, 0x23, 0x01, 0x00, 0x00,
	0x20, 0x00, 0x04, 0x0c, 0x60, 0x6f, 0x01, 0xff, 0xff,
};

/* OEM timestamped: manufacturer 000157h (Intel) */
static const uint8_t ev_oem_ts[16] = {
	0x10, 0x00, 0xc1, 0x04, 0x10, 0x5e, 0x5f,
	0x57, 0x01, 0x00, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,
};

/* OEM non-timestamped */
static const uint8_t ev_oem[16] = {
	0x11, 0x00, 0xe5, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
};

/* record type 05h: neither system nor OEM */
static const uint8_t ev_unknown[16] = {
	0x12, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static const uint8_t *const all[] = {
	ev_thresh, ev_psu, ev_ecc, ev_redund, ev_preinit, ev_oem_ts, ev_oem,
	ev_unknown,
};
#define NALL	(sizeof(all) / sizeof(all[0]))

/* --- codecs ----------------------------------------------------------- */

START_TEST(test_info)
{
	static const uint8_t info[] = { 0x51, 0x03, 0x00, 0xd0, 0x3f, 0x11,
	    0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x8a };
	struct ipmi_sel_info_rsp r;
	uint8_t out[32];
	struct buf b;
	size_t n;

	buf_init_read(&b, info, sizeof(info));
	ck_assert_int_eq(ipmi_sel_info_rsp_decode(&b, &r), 0);
	ck_assert_uint_eq(r.version, 0x51);
	ck_assert_uint_eq(r.entries, 3);
	ck_assert_uint_eq(r.free, 0x3fd0);
	ck_assert_uint_eq(r.add_ts, 0x44332211);
	ck_assert_uint_eq(r.erase_ts, 0x88776655);
	ck_assert_uint_eq(r.support, SEL_SUP_OVERFLOW | SEL_SUP_DELETE |
	    SEL_SUP_RESERVE);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_sel_info_rsp_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(info));
	ck_assert_mem_eq(out, info, sizeof(info));
	for (n = 0; n < sizeof(info); n++) {
		buf_init_read(&b, info, n);
		ck_assert_int_eq(ipmi_sel_info_rsp_decode(&b, &r),
		    IPMI_E_SHORT);
	}
	for (n = 0; n < sizeof(info); n++) {
		buf_init_write(&b, out, n);
		ck_assert_int_eq(ipmi_sel_info_rsp_encode(&r, &b),
		    IPMI_E_NOSPACE);
	}
}
END_TEST

START_TEST(test_reserve_time_entry)
{
	struct ipmi_get_sel_req rq = { 0x1234, 0x0002, 0, SEL_READ_ALL }, rq2;
	struct ipmi_get_sel_rsp rs = { 0xffff, ev_psu, 16 }, rs2;
	uint8_t out[32];
	struct buf b;
	uint16_t resv;
	uint32_t ts;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_sel_reserve_rsp_encode(0x8001, &b), 0);
	ck_assert_mem_eq(out, "\x01\x80", 2);
	buf_init_read(&b, out, 2);
	ck_assert_int_eq(ipmi_sel_reserve_rsp_decode(&b, &resv), 0);
	ck_assert_uint_eq(resv, 0x8001);
	buf_init_read(&b, out, 1);
	ck_assert_int_eq(ipmi_sel_reserve_rsp_decode(&b, &resv),
	    IPMI_E_SHORT);

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_sel_time_rsp_encode(0x5f5e1000, &b), 0);
	ck_assert_mem_eq(out, "\x00\x10\x5e\x5f", 4);
	buf_init_read(&b, out, 4);
	ck_assert_int_eq(ipmi_sel_time_rsp_decode(&b, &ts), 0);
	ck_assert_uint_eq(ts, 1600000000u);
	buf_init_read(&b, out, 3);
	ck_assert_int_eq(ipmi_sel_time_rsp_decode(&b, &ts), IPMI_E_SHORT);

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_get_sel_req_encode(&rq, &b), 0);
	ck_assert_uint_eq(b.len, 6);
	ck_assert_mem_eq(out, "\x34\x12\x02\x00\x00\xff", 6);
	buf_init_read(&b, out, 6);
	ck_assert_int_eq(ipmi_get_sel_req_decode(&b, &rq2), 0);
	ck_assert_uint_eq(rq2.resv, 0x1234);
	ck_assert_uint_eq(rq2.id, 2);
	ck_assert_uint_eq(rq2.offset, 0);
	ck_assert_uint_eq(rq2.count, 0xff);
	buf_init_read(&b, out, 5);
	ck_assert_int_eq(ipmi_get_sel_req_decode(&b, &rq2), IPMI_E_SHORT);

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_get_sel_rsp_encode(&rs, &b), 0);
	ck_assert_uint_eq(b.len, 18);
	ck_assert_mem_eq(out, "\xff\xff", 2);
	ck_assert_mem_eq(out + 2, ev_psu, 16);
	buf_init_read(&b, out, 18);
	ck_assert_int_eq(ipmi_get_sel_rsp_decode(&b, &rs2), 0);
	ck_assert_uint_eq(rs2.next, 0xffff);
	ck_assert_uint_eq(rs2.len, 16);
	ck_assert_ptr_eq(rs2.data, out + 2);
	buf_init_read(&b, out, 2);
	ck_assert_int_eq(ipmi_get_sel_rsp_decode(&b, &rs2), 0);
	ck_assert_uint_eq(rs2.len, 0);
	buf_init_read(&b, out, 1);
	ck_assert_int_eq(ipmi_get_sel_rsp_decode(&b, &rs2), IPMI_E_SHORT);
	buf_init_write(&b, out, 17);
	ck_assert_int_eq(ipmi_get_sel_rsp_encode(&rs, &b), IPMI_E_NOSPACE);
}
END_TEST

START_TEST(test_clear_codec)
{
	struct ipmi_clear_sel_req rq = { 0xbeef, SEL_CLEAR_INITIATE }, rq2;
	uint8_t out[8], bad[6], progress;
	struct buf b;
	size_t n;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_clear_sel_req_encode(&rq, &b), 0);
	ck_assert_uint_eq(b.len, 6);
	ck_assert_mem_eq(out, "\xef\xbe" "CLR\xaa", 6);
	buf_init_read(&b, out, 6);
	ck_assert_int_eq(ipmi_clear_sel_req_decode(&b, &rq2), 0);
	ck_assert_uint_eq(rq2.resv, 0xbeef);
	ck_assert_uint_eq(rq2.action, SEL_CLEAR_INITIATE);
	rq.action = SEL_CLEAR_STATUS;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_clear_sel_req_encode(&rq, &b), 0);
	ck_assert_mem_eq(out, "\xef\xbe" "CLR\x00", 6);
	for (n = 0; n < 6; n++) {
		buf_init_read(&b, out, n);
		ck_assert_int_eq(ipmi_clear_sel_req_decode(&b, &rq2),
		    IPMI_E_SHORT);
	}
	/* wrong letters, an unknown action */
	memcpy(bad, "\x00\x00" "CLr\xaa", 6);
	buf_init_read(&b, bad, 6);
	ck_assert_int_eq(ipmi_clear_sel_req_decode(&b, &rq2),
	    IPMI_E_MALFORMED);
	memcpy(bad, "\x00\x00" "CLR\x55", 6);
	buf_init_read(&b, bad, 6);
	ck_assert_int_eq(ipmi_clear_sel_req_decode(&b, &rq2),
	    IPMI_E_MALFORMED);

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_clear_sel_rsp_encode(SEL_ERASE_COMPLETED, &b), 0);
	ck_assert_uint_eq(b.len, 1);
	ck_assert_uint_eq(out[0], 1);
	buf_init_read(&b, "\xf0", 1);		/* reserved bits ignored */
	ck_assert_int_eq(ipmi_clear_sel_rsp_decode(&b, &progress), 0);
	ck_assert_uint_eq(progress, SEL_ERASE_IN_PROGRESS);
	buf_init_read(&b, out, 0);
	ck_assert_int_eq(ipmi_clear_sel_rsp_decode(&b, &progress),
	    IPMI_E_SHORT);
}
END_TEST

/* --- entries ---------------------------------------------------------- */

START_TEST(test_decode_threshold)
{
	struct sel_entry e;
	uint8_t rd, th;

	ck_assert_int_eq(sel_decode(ev_thresh, 16, &e), 0);
	ck_assert_uint_eq(e.id, 1);
	ck_assert_uint_eq(e.type, SEL_TYPE_SYSTEM);
	ck_assert_uint_eq(e.kind, SEL_KIND_SYSTEM);
	ck_assert_int_eq(e.unknown, 0);
	ck_assert_int_eq(e.has_timestamp, 1);
	ck_assert_uint_eq(e.timestamp, 1600000000u);
	ck_assert_int_eq(e.pre_init, 0);
	ck_assert_uint_eq(e.generator, 0x0020);
	ck_assert_uint_eq(e.gen_id, 0x10);
	ck_assert_int_eq(e.gen_software, 0);
	ck_assert_uint_eq(e.gen_channel, 0);
	ck_assert_uint_eq(e.gen_lun, 0);
	ck_assert_uint_eq(e.evm_rev, 4);
	ck_assert_uint_eq(e.sensor_type, 0x01);
	ck_assert_uint_eq(e.sensor_number, 0x30);
	ck_assert_uint_eq(e.direction, 0);
	ck_assert_uint_eq(e.event_type, 0x01);
	ck_assert_mem_eq(e.data, "\x59\x5c\x5a", 3);
	ck_assert_uint_eq(e.offset, 9);
	ck_assert_uint_eq(e.data2_use, SEL_DATA_TRIGGER);
	ck_assert_uint_eq(e.data3_use, SEL_DATA_TRIGGER);
	ck_assert_mem_eq(e.raw, ev_thresh, 16);
	ck_assert_int_eq(sel_threshold_raw(&e, &rd, &th),
	    SEL_TV_READING | SEL_TV_THRESHOLD);
	ck_assert_uint_eq(rd, 0x5c);
	ck_assert_uint_eq(th, 0x5a);
	ck_assert_int_eq(sel_threshold_raw(&e, NULL, NULL),
	    SEL_TV_READING | SEL_TV_THRESHOLD);
	/* bytes past 16 are ignored */
	{
		uint8_t longer[20];

		memcpy(longer, ev_thresh, 16);
		memset(longer + 16, 0xee, 4);
		ck_assert_int_eq(sel_decode(longer, sizeof(longer), &e), 0);
		ck_assert_mem_eq(e.raw, ev_thresh, 16);
	}
}
END_TEST

START_TEST(test_decode_discrete)
{
	struct sel_entry e;

	ck_assert_int_eq(sel_decode(ev_psu, 16, &e), 0);
	ck_assert_uint_eq(e.sensor_type, 0x08);
	ck_assert_uint_eq(e.sensor_number, 0x50);
	ck_assert_uint_eq(e.event_type, 0x6f);
	ck_assert_uint_eq(e.direction, 0);
	ck_assert_uint_eq(e.offset, 3);
	ck_assert_uint_eq(e.data2_use, SEL_DATA_UNSPECIFIED);
	ck_assert_uint_eq(e.data3_use, SEL_DATA_UNSPECIFIED);
	ck_assert_int_eq(sel_threshold_raw(&e, NULL, NULL), IPMI_E_INVAL);

	/* software ID 33h (BIOS SMI handler >> 1 | 1), channel 1, LUN 2 */
	ck_assert_int_eq(sel_decode(ev_ecc, 16, &e), 0);
	ck_assert_uint_eq(e.generator, 0x1233);
	ck_assert_uint_eq(e.gen_id, 0x19);
	ck_assert_int_eq(e.gen_software, 1);
	ck_assert_uint_eq(e.gen_channel, 1);
	ck_assert_uint_eq(e.gen_lun, 2);
	ck_assert_uint_eq(e.sensor_type, 0x0c);
	ck_assert_uint_eq(e.offset, 0);
	ck_assert_uint_eq(e.data2_use, SEL_DATA_OEM);
	ck_assert_uint_eq(e.data3_use, SEL_DATA_OEM);
	ck_assert_uint_eq(e.data[2], 1);

	/* generic discrete, deasserted */
	ck_assert_int_eq(sel_decode(ev_redund, 16, &e), 0);
	ck_assert_uint_eq(e.direction, 1);
	ck_assert_uint_eq(e.event_type, 0x0b);
	ck_assert_uint_eq(e.offset, 1);
}
END_TEST

START_TEST(test_decode_preinit)
{
	struct sel_entry e;
	uint8_t rec[16];

	ck_assert_int_eq(sel_decode(ev_preinit, 16, &e), 0);
	ck_assert_uint_eq(e.timestamp, 0x123);
	ck_assert_int_eq(e.pre_init, 1);
	/* the bound itself is pre-init (37.1); one past it is not */
	memcpy(rec, ev_preinit, 16);
	memcpy(rec + 3, "\x00\x00\x00\x20", 4);
	ck_assert_int_eq(sel_decode(rec, 16, &e), 0);
	ck_assert_int_eq(e.pre_init, 1);
	memcpy(rec + 3, "\x01\x00\x00\x20", 4);
	ck_assert_int_eq(sel_decode(rec, 16, &e), 0);
	ck_assert_int_eq(e.pre_init, 0);
	/* FFFFFFFFh (unspecified) is not pre-init */
	memcpy(rec + 3, "\xff\xff\xff\xff", 4);
	ck_assert_int_eq(sel_decode(rec, 16, &e), 0);
	ck_assert_int_eq(e.pre_init, 0);
}
END_TEST

START_TEST(test_decode_oem_unknown)
{
	struct sel_entry e;

	ck_assert_int_eq(sel_decode(ev_oem_ts, 16, &e), 0);
	ck_assert_uint_eq(e.id, 0x10);
	ck_assert_uint_eq(e.type, 0xc1);
	ck_assert_uint_eq(e.kind, SEL_KIND_OEM_TS);
	ck_assert_int_eq(e.has_timestamp, 1);
	ck_assert_uint_eq(e.timestamp, 0x5f5e1004);
	ck_assert_uint_eq(e.manufacturer, 0x000157);
	ck_assert_uint_eq(e.oem_len, 6);
	ck_assert_mem_eq(e.oem, "\xa1\xa2\xa3\xa4\xa5\xa6", 6);
	ck_assert_mem_eq(e.raw, ev_oem_ts, 16);
	ck_assert_str_eq(sel_kind_name(e.kind), "OEM timestamped");

	ck_assert_int_eq(sel_decode(ev_oem, 16, &e), 0);
	ck_assert_uint_eq(e.kind, SEL_KIND_OEM);
	ck_assert_int_eq(e.has_timestamp, 0);
	ck_assert_int_eq(e.pre_init, 0);
	ck_assert_uint_eq(e.oem_len, 13);
	ck_assert_mem_eq(e.oem, ev_oem + 3, 13);
	ck_assert_str_eq(sel_kind_name(e.kind), "OEM non-timestamped");

	ck_assert_int_eq(sel_decode(ev_unknown, 16, &e), 0);
	ck_assert_uint_eq(e.id, 0x12);
	ck_assert_uint_eq(e.type, 0x05);
	ck_assert_uint_eq(e.kind, SEL_KIND_UNKNOWN);
	ck_assert_int_eq(e.unknown, 1);
	ck_assert_int_eq(e.has_timestamp, 0);
	ck_assert_mem_eq(e.raw, ev_unknown, 16);
	ck_assert_str_eq(sel_kind_name(e.kind), "Unknown");
	ck_assert_str_eq(sel_kind_name(SEL_KIND_SYSTEM), "System Event");

	/* the edges of the type ranges */
	{
		static const struct { uint8_t t, kind; } edge[] = {
			{ 0x00, SEL_KIND_UNKNOWN }, { 0x01, SEL_KIND_UNKNOWN },
			{ 0x02, SEL_KIND_SYSTEM }, { 0x03, SEL_KIND_UNKNOWN },
			{ 0xbf, SEL_KIND_UNKNOWN }, { 0xc0, SEL_KIND_OEM_TS },
			{ 0xdf, SEL_KIND_OEM_TS }, { 0xe0, SEL_KIND_OEM },
			{ 0xff, SEL_KIND_OEM },
		};
		uint8_t rec[16];
		size_t i;

		memcpy(rec, ev_unknown, 16);
		for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
			rec[2] = edge[i].t;
			ck_assert_int_eq(sel_decode(rec, 16, &e), 0);
			ck_assert_uint_eq(e.kind, edge[i].kind);
		}
	}
}
END_TEST

START_TEST(test_decode_short)
{
	struct sel_entry e;
	size_t i, n;

	for (i = 0; i < NALL; i++)
		for (n = 0; n < SEL_ENTRY_LEN; n++) {
			memset(&e, 0x5a, sizeof(e));
			ck_assert_int_eq(sel_decode(all[i], n, &e),
			    IPMI_E_SHORT);
			/* nothing half-decoded is left behind */
			ck_assert_uint_eq(e.id, 0);
			ck_assert_uint_eq(e.kind, 0);
		}
}
END_TEST

/* --- severity and descriptions ---------------------------------------- */

static struct sel_entry
event(uint8_t sensor_type, uint8_t dirtype, uint8_t data1)
{
	uint8_t rec[16];
	struct sel_entry e;

	memcpy(rec, ev_psu, 16);
	rec[10] = sensor_type;
	rec[12] = dirtype;
	rec[13] = data1;
	ck_assert_int_eq(sel_decode(rec, 16, &e), 0);
	return e;
}

static int
sev(uint8_t sensor_type, uint8_t dirtype, uint8_t data1)
{
	struct sel_entry e = event(sensor_type, dirtype, data1);

	return sel_severity(&e);
}

START_TEST(test_severity)
{
	static const int thresh[12] = {
		SEL_SEV_WARNING, SEL_SEV_INFO, SEL_SEV_CRITICAL,
		SEL_SEV_WARNING, SEL_SEV_CRITICAL, SEL_SEV_CRITICAL,
		SEL_SEV_INFO, SEL_SEV_WARNING, SEL_SEV_WARNING,
		SEL_SEV_CRITICAL, SEL_SEV_CRITICAL, SEL_SEV_CRITICAL,
	};
	struct sel_entry e;
	unsigned i;

	for (i = 0; i < 12; i++) {
		ck_assert_int_eq(sev(0x01, 0x01, (uint8_t)(0x50 | i)),
		    thresh[i]);
		/* deassertions are info, whatever the offset */
		ck_assert_int_eq(sev(0x01, 0x81, (uint8_t)(0x50 | i)),
		    SEL_SEV_INFO);
	}
	for (i = 12; i < 16; i++)
		ck_assert_int_eq(sev(0x01, 0x01, (uint8_t)i), SEL_SEV_INFO);
	/* power supply */
	ck_assert_int_eq(sev(0x08, 0x6f, 0x00), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0x08, 0x6f, 0x01), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x08, 0x6f, 0x02), SEL_SEV_WARNING);
	ck_assert_int_eq(sev(0x08, 0x6f, 0x03), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x08, 0x6f, 0x04), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x08, 0xef, 0x03), SEL_SEV_INFO);
	/* memory */
	ck_assert_int_eq(sev(0x0c, 0x6f, 0x00), SEL_SEV_WARNING);
	ck_assert_int_eq(sev(0x0c, 0x6f, 0x01), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x0c, 0x6f, 0x05), SEL_SEV_WARNING);
	ck_assert_int_eq(sev(0x0c, 0x6f, 0x06), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0x0c, 0x6f, 0xa1), SEL_SEV_CRITICAL);
	/* processor */
	ck_assert_int_eq(sev(0x07, 0x6f, 0x00), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x07, 0x6f, 0x01), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x07, 0x6f, 0x07), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0x07, 0x6f, 0x0a), SEL_SEV_WARNING);
	/* power unit: off is info, a failure critical */
	ck_assert_int_eq(sev(0x09, 0x6f, 0x00), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0x09, 0x6f, 0x04), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x09, 0x6f, 0x06), SEL_SEV_CRITICAL);
	/* event logging: cleared is info, full a warning */
	ck_assert_int_eq(sev(0x10, 0x6f, 0x02), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0x10, 0x6f, 0x04), SEL_SEV_WARNING);
	/* drive slot, OS stop, a type without a row */
	ck_assert_int_eq(sev(0x0d, 0x6f, 0x00), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0x0d, 0x6f, 0x01), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x0d, 0x6f, 0x02), SEL_SEV_WARNING);
	ck_assert_int_eq(sev(0x0d, 0x6f, 0x05), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x0d, 0x6f, 0x06), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x0d, 0x6f, 0x07), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0x0d, 0x6f, 0x08), SEL_SEV_WARNING);
	ck_assert_int_eq(sev(0x20, 0x6f, 0x01), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x25, 0x6f, 0x00), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0xc0, 0x6f, 0x01), SEL_SEV_INFO);
	/* generic: severity 07h by offset, predictive failure, limit */
	ck_assert_int_eq(sev(0x01, 0x07, 0x00), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0x01, 0x07, 0x01), SEL_SEV_WARNING);
	ck_assert_int_eq(sev(0x01, 0x07, 0x02), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x01, 0x07, 0x03), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x01, 0x07, 0x04), SEL_SEV_WARNING);
	ck_assert_int_eq(sev(0x01, 0x07, 0x06), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x01, 0x07, 0x08), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0x04, 0x04, 0x01), SEL_SEV_WARNING);
	ck_assert_int_eq(sev(0x04, 0x05, 0x01), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x04, 0x0b, 0x01), SEL_SEV_WARNING);
	ck_assert_int_eq(sev(0x04, 0x0b, 0x05), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sev(0x04, 0x08, 0x01), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0x04, 0x70, 0x01), SEL_SEV_INFO);
	ck_assert_int_eq(sev(0x04, 0x00, 0x01), SEL_SEV_INFO);

	/* the vectors; OEM and unknown records are info */
	ck_assert_int_eq(sel_decode(ev_thresh, 16, &e), 0);
	ck_assert_int_eq(sel_severity(&e), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sel_decode(ev_redund, 16, &e), 0);
	ck_assert_int_eq(sel_severity(&e), SEL_SEV_INFO);
	ck_assert_int_eq(sel_decode(ev_oem_ts, 16, &e), 0);
	ck_assert_int_eq(sel_severity(&e), SEL_SEV_INFO);
	ck_assert_int_eq(sel_decode(ev_unknown, 16, &e), 0);
	ck_assert_int_eq(sel_severity(&e), SEL_SEV_INFO);

	ck_assert_str_eq(sel_severity_name(SEL_SEV_INFO), "info");
	ck_assert_str_eq(sel_severity_name(SEL_SEV_WARNING), "warning");
	ck_assert_str_eq(sel_severity_name(SEL_SEV_CRITICAL), "critical");
	ck_assert_str_eq(sel_severity_name(3), "unknown");
	ck_assert_str_eq(sel_severity_name(-1), "unknown");
	ck_assert_int_eq(sel_severity_parse("Critical"), SEL_SEV_CRITICAL);
	ck_assert_int_eq(sel_severity_parse("WARNING"), SEL_SEV_WARNING);
	ck_assert_int_eq(sel_severity_parse("info"), SEL_SEV_INFO);
	ck_assert_int_eq(sel_severity_parse("nominal"), -1);
	ck_assert_int_eq(sel_severity_parse(""), -1);
}
END_TEST

static const char *
describe(const uint8_t *rec)
{
	static char out[128];
	struct sel_entry e;
	size_t n;

	ck_assert_int_eq(sel_decode(rec, 16, &e), 0);
	n = sel_describe(&e, out, sizeof(out));
	ck_assert_uint_eq(n, strlen(out));
	return out;
}

START_TEST(test_describe)
{
	struct sel_entry e;
	char small[8];
	size_t n;

	ck_assert_str_eq(describe(ev_thresh), "Upper Critical going high");
	ck_assert_str_eq(describe(ev_psu), "Power Supply AC lost");
	ck_assert_str_eq(describe(ev_ecc), "Correctable ECC");
	ck_assert_str_eq(describe(ev_oem_ts), "OEM record c1");
	ck_assert_str_eq(describe(ev_oem), "OEM record e5");
	ck_assert_str_eq(describe(ev_unknown), "Unknown record type 0x05");

	/* an offset no table defines, an OEM event type: empty, as ipmitool */
	e = event(0x08, 0x6f, 0x0e);
	ck_assert_uint_eq(sel_describe(&e, small, sizeof(small)), 0);
	ck_assert_str_eq(small, "");
	e = event(0x08, 0x72, 0x01);
	ck_assert_uint_eq(sel_describe(&e, small, sizeof(small)), 0);

	/* cut to the buffer, length as snprintf */
	ck_assert_int_eq(sel_decode(ev_thresh, 16, &e), 0);
	n = sel_describe(&e, small, sizeof(small));
	ck_assert_uint_eq(n, strlen("Upper Critical going high"));
	ck_assert_str_eq(small, "Upper C");
	ck_assert_uint_eq(sel_describe(&e, NULL, 0), n);
	small[0] = 'x';
	ck_assert_uint_eq(sel_describe(&e, small, 1), n);
	ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(test_threshold_values)
{
	/* y = 5 * x * 10^-1 */
	struct sdr_factors half = { .format = SDR_FMT_UNSIGNED, .m = 5,
	    .k2 = -1 };
	struct sdr_factors none = { .format = SDR_FMT_NONE, .m = 1 };
	struct sel_entry e;
	double rd = -1, th = -1;
	uint8_t rec[16];

	ck_assert_int_eq(sel_decode(ev_thresh, 16, &e), 0);
	ck_assert_int_eq(sel_threshold_values(&e, NULL, &rd, &th),
	    SEL_TV_READING | SEL_TV_THRESHOLD);
	ck_assert(rd == 92.0);
	ck_assert(th == 90.0);
	ck_assert_int_eq(sel_threshold_values(&e, &half, &rd, &th),
	    SEL_TV_READING | SEL_TV_THRESHOLD);
	ck_assert(rd == 46.0);
	ck_assert(th == 45.0);
	ck_assert_int_eq(sel_threshold_values(&e, &half, NULL, NULL),
	    SEL_TV_READING | SEL_TV_THRESHOLD);
	/* a sensor without analog readings converts nothing */
	rd = th = -1;
	ck_assert_int_eq(sel_threshold_values(&e, &none, &rd, &th), 0);
	ck_assert(rd == -1 && th == -1);

	/* only the reading (data 1 = 01b 00b) */
	memcpy(rec, ev_thresh, 16);
	rec[13] = 0x49;
	ck_assert_int_eq(sel_decode(rec, 16, &e), 0);
	rd = th = -1;
	ck_assert_int_eq(sel_threshold_values(&e, NULL, &rd, &th),
	    SEL_TV_READING);
	ck_assert(rd == 92.0 && th == -1);
	/* OEM codes there: nothing */
	rec[13] = 0xa9;
	ck_assert_int_eq(sel_decode(rec, 16, &e), 0);
	ck_assert_int_eq(sel_threshold_values(&e, NULL, &rd, &th), 0);
	/* not a threshold event, not a system event */
	ck_assert_int_eq(sel_decode(ev_psu, 16, &e), 0);
	ck_assert_int_eq(sel_threshold_values(&e, NULL, &rd, &th),
	    IPMI_E_INVAL);
	ck_assert_int_eq(sel_decode(ev_oem_ts, 16, &e), 0);
	ck_assert_int_eq(sel_threshold_values(&e, NULL, &rd, &th),
	    IPMI_E_INVAL);
	/* Upper Critical going high (offset 9): asserted above, deasserted
	 * back below, as ipmitool prints it */
	e.offset = 9;
	e.direction = 0;
	ck_assert_int_eq(sel_threshold_cmp(&e), '>');
	e.direction = 1;
	ck_assert_int_eq(sel_threshold_cmp(&e), '<');
	e.offset = 2;	/* Lower Critical going low */
	e.direction = 0;
	ck_assert_int_eq(sel_threshold_cmp(&e), '<');
	e.direction = 1;
	ck_assert_int_eq(sel_threshold_cmp(&e), '>');
}
END_TEST

/* --- the walker against a scripted BMC -------------------------------- */

/* A log of three entries with IDs 0001h, 0002h, 0005h. */
static const uint8_t *const log3[] = { ev_thresh, ev_psu, ev_oem_ts };
#define NLOG	(sizeof(log3) / sizeof(log3[0]))

struct fake {
	unsigned	entries;	/* what Get SEL Info says */
	uint16_t	free;
	uint8_t		support;
	unsigned	cancel_from;	/* Get SEL Entry numbers answered C5h */
	unsigned	cancel_n;
	int		empty_cb;	/* Get SEL Entry answers CBh */
	int		no_reserve;	/* Reserve answers C1h */
	int		refuse_all;	/* count FFh answered CAh */
	int		loop;		/* the last entry points at the first */
	int		runaway;	/* every entry points at a new one */
	uint16_t	back_from;	/* runaway: ... but this one points */
	uint16_t	back_to;	/* back at this one */
	size_t		rec_len;	/* entry bytes answered, 16 if 0 */
	unsigned	gets;		/* Get SEL Entry requests seen */
	unsigned	reserves;	/* Reserve SEL requests seen */
	uint16_t	resv;
};

static uint16_t
rec_id(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint8_t
answer(struct fake *fk, const struct ipmi_req *req, uint8_t *out, size_t *len)
{
	struct ipmi_sel_info_rsp info = { 0x51, 0, 0, 1000, 900, 0 };
	struct ipmi_get_sel_req rq;
	struct buf b;
	uint8_t rec[32];
	uint16_t next = SEL_ID_LAST;
	size_t i, n;

	*len = 0;
	ck_assert_uint_eq(req->netfn, IPMI_NETFN_STORAGE);
	buf_init_write(&b, out, 64);
	switch (req->cmd) {
	case IPMI_CMD_GET_SEL_INFO:
		ck_assert_uint_eq(req->len, 0);
		info.entries = (uint16_t)fk->entries;
		info.free = fk->free;
		info.support = fk->support;
		(void)ipmi_sel_info_rsp_encode(&info, &b);
		*len = b.len;
		return 0;
	case IPMI_CMD_RESERVE_SEL:
		ck_assert_uint_eq(req->len, 0);
		fk->reserves++;
		if (fk->no_reserve)
			return IPMI_CC_INVALID_CMD;
		(void)ipmi_sel_reserve_rsp_encode(++fk->resv, &b);
		*len = b.len;
		return 0;
	}
	ck_assert_uint_eq(req->cmd, IPMI_CMD_GET_SEL_ENTRY);
	ck_assert_uint_eq(req->len, 6);
	buf_init_read(&b, req->data, req->len);
	ck_assert_int_eq(ipmi_get_sel_req_decode(&b, &rq), 0);
	ck_assert_uint_eq(rq.resv, fk->no_reserve ? 0 : fk->resv);
	ck_assert_uint_eq(rq.offset, 0);
	fk->gets++;
	if (fk->gets >= fk->cancel_from &&
	    fk->gets < fk->cancel_from + fk->cancel_n)
		return IPMI_CC_RESERVATION;
	if (fk->empty_cb)
		return IPMI_CC_NOT_PRESENT;
	if (fk->refuse_all && rq.count == SEL_READ_ALL)
		return IPMI_CC_CANT_RETURN;
	ck_assert(rq.count == SEL_READ_ALL || rq.count == SEL_ENTRY_LEN);
	memset(rec, 0x77, sizeof(rec));
	if (fk->runaway) {
		uint16_t id = rq.id == 0 ? 1 : rq.id;

		memcpy(rec, ev_oem, 16);
		rec[0] = (uint8_t)id;
		rec[1] = (uint8_t)(id >> 8);
		/* ... until the IDs run out and it wraps to the first */
		next = id + 1 == SEL_ID_LAST ? 0 : (uint16_t)(id + 1);
		if (fk->back_from != 0 && id == fk->back_from)
			next = fk->back_to;
	} else {
		for (i = 0; i < NLOG; i++)
			if (rec_id(log3[i]) == rq.id || (rq.id == 0 && i == 0))
				break;
		if (i == NLOG)
			return IPMI_CC_NOT_PRESENT;
		memcpy(rec, log3[i], 16);
		if (i + 1 < NLOG)
			next = rec_id(log3[i + 1]);
		else if (fk->loop)
			next = rec_id(log3[0]);
	}
	n = fk->rec_len != 0 ? fk->rec_len : SEL_ENTRY_LEN;
	out[0] = (uint8_t)next;
	out[1] = (uint8_t)(next >> 8);
	memcpy(out + 2, rec, n);
	*len = 2 + n;
	return 0;
}

static int
walk(struct fake *fk, struct sel_walk *w, uint8_t *buf, size_t cap, int flags)
{
	struct ipmi_req req;
	uint8_t ans[64];
	size_t alen;
	unsigned guard = 0;
	uint8_t cc;
	int rc;

	sel_walk_init(w, buf, cap, flags);
	while ((rc = sel_walk_next(w, &req)) == IPMI_WALK_SEND) {
		ck_assert_uint_lt(++guard, 200000);
		ck_assert_uint_le(req.len, sizeof(req.data));
		cc = answer(fk, &req, ans, &alen);
		if ((rc = sel_walk_feed(w, cc, ans, alen)) < 0)
			break;
	}
	return rc;
}

static void
check_log3(const struct sel_walk *w, const uint8_t *buf)
{
	size_t i;

	ck_assert_uint_eq(w->nrecords, NLOG);
	ck_assert_uint_eq(w->len, NLOG * SEL_ENTRY_LEN);
	for (i = 0; i < NLOG; i++)
		ck_assert_mem_eq(buf + i * SEL_ENTRY_LEN, log3[i], 16);
	ck_assert_int_eq(w->truncated, 0);
}

static uint8_t wbuf[SEL_BUF_MAX];
static struct sel_walk w;

START_TEST(test_walk_plain)
{
	struct fake fk = { .entries = NLOG, .free = 0x3fd0,
	    .support = SEL_SUP_RESERVE };
	struct sel_entry e;
	unsigned i;

	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_log3(&w, wbuf);
	ck_assert_int_eq(w.have_info, 1);
	ck_assert_uint_eq(w.info.entries, NLOG);
	ck_assert_uint_eq(w.info.add_ts, 1000);
	ck_assert_uint_eq(w.info.erase_ts, 900);
	ck_assert_uint_eq(w.reserves, 0);
	ck_assert_uint_eq(fk.reserves, 1);
	ck_assert_uint_eq(fk.gets, NLOG);
	ck_assert_uint_eq(w.requests, 2 + NLOG);
	for (i = 0; i < w.nrecords; i++) {
		ck_assert_int_eq(sel_decode(wbuf + i * SEL_ENTRY_LEN,
		    SEL_ENTRY_LEN, &e), 0);
		ck_assert_uint_eq(e.id, rec_id(log3[i]));
	}
	ck_assert_int_eq(sel_walk_next(&w, NULL), IPMI_WALK_DONE);
	ck_assert_str_eq(sel_walk_state_name(w.state), "done");
	ck_assert_str_eq(sel_walk_state_name(99), "unknown");

	/* no Reserve SEL in the info: none sent, reservation 0 */
	fk = (struct fake){ .entries = NLOG, .no_reserve = 1 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_log3(&w, wbuf);
	ck_assert_uint_eq(fk.reserves, 0);
	/* Reserve SEL claimed but refused with C1h */
	fk = (struct fake){ .entries = NLOG, .support = SEL_SUP_RESERVE,
	    .no_reserve = 1 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_log3(&w, wbuf);
	ck_assert_uint_eq(fk.reserves, 1);
	/* more entries than the info said (logged while we read) */
	fk = (struct fake){ .entries = 1, .support = SEL_SUP_RESERVE };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_log3(&w, wbuf);
}
END_TEST

START_TEST(test_walk_whole_record_answers)
{
	/* an answer longer than an entry: the first 16 bytes */
	struct fake fk = { .entries = NLOG, .rec_len = 20 };

	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_log3(&w, wbuf);
	/* count FFh refused: 16 bytes asked instead, once */
	fk = (struct fake){ .entries = NLOG, .refuse_all = 1 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_log3(&w, wbuf);
	ck_assert_uint_eq(w.count, SEL_ENTRY_LEN);
	ck_assert_uint_eq(fk.gets, NLOG + 1);
}
END_TEST

START_TEST(test_walk_empty)
{
	struct fake fk = { .entries = 0, .free = 0 };

	/* zero entries and zero free space: nothing to read */
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	ck_assert_uint_eq(w.nrecords, 0);
	ck_assert_uint_eq(w.requests, 1);
	ck_assert_uint_eq(fk.gets, 0);
	/* entries claimed, CBh on the first read */
	fk = (struct fake){ .entries = 5, .support = SEL_SUP_RESERVE,
	    .empty_cb = 1 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	ck_assert_uint_eq(w.nrecords, 0);
	ck_assert_uint_eq(w.len, 0);
	ck_assert_uint_eq(fk.gets, 1);
	/* info only */
	fk = (struct fake){ .entries = NLOG };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), SEL_WALK_INFO_ONLY),
	    IPMI_WALK_DONE);
	ck_assert_uint_eq(w.requests, 1);
	ck_assert_int_eq(w.have_info, 1);
	ck_assert_uint_eq(w.info.entries, NLOG);
	ck_assert_uint_eq(fk.gets, 0);
}
END_TEST

START_TEST(test_walk_cancelled)
{
	/* the second Get SEL Entry is cancelled once */
	struct fake fk = { .entries = NLOG, .support = SEL_SUP_RESERVE,
	    .cancel_from = 2, .cancel_n = 1 };

	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_log3(&w, wbuf);
	ck_assert_uint_eq(w.reserves, 1);
	ck_assert_uint_eq(fk.resv, 2);
	ck_assert_uint_eq(fk.gets, NLOG + 1);
	/* five cancels are retried, the sixth fails */
	fk = (struct fake){ .entries = NLOG, .support = SEL_SUP_RESERVE,
	    .cancel_from = 1, .cancel_n = SEL_RESERVE_RETRIES };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_log3(&w, wbuf);
	fk = (struct fake){ .entries = NLOG, .support = SEL_SUP_RESERVE,
	    .cancel_from = 1, .cancel_n = 1000 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_E_CC);
	ck_assert_uint_eq(w.cc, IPMI_CC_RESERVATION);
	ck_assert_uint_eq(w.nrecords, 0);
	ck_assert_uint_eq(w.reserves, SEL_RESERVE_RETRIES);
	ck_assert_uint_eq(fk.gets, SEL_RESERVE_RETRIES + 1);
	ck_assert_str_eq(sel_walk_state_name(w.state), "failed");
	ck_assert_int_eq(sel_walk_next(&w, NULL), IPMI_E_CC);
	ck_assert_int_eq(sel_walk_feed(&w, 0, NULL, 0), IPMI_E_CC);
}
END_TEST

START_TEST(test_walk_loop_and_runaway)
{
	struct fake fk = { .entries = NLOG, .loop = 1 };

	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0),
	    IPMI_E_MALFORMED);
	ck_assert_uint_eq(w.nrecords, NLOG);
	ck_assert_uint_eq(fk.gets, NLOG);
	ck_assert_str_eq(w.why, "the next-record chain loops back");

	fk = (struct fake){ .entries = 3, .runaway = 1 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0),
	    IPMI_E_MALFORMED);
	ck_assert_uint_eq(w.nrecords, 3 + SEL_EXTRA_RECORDS);
	ck_assert_str_eq(w.why, "the next-record chain runs past the entries "
	    "Get SEL Info gave");

	/* whatever the count says, the ID space bounds the walk: every ID
	 * 0001h-FFFEh once, then the wrap to 0000h is a loop */
	fk = (struct fake){ .entries = 0xffff, .runaway = 1 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0),
	    IPMI_E_MALFORMED);
	ck_assert_uint_eq(w.nrecords, 0xfffe);
	ck_assert_uint_eq(w.len, (size_t)0xfffe * SEL_ENTRY_LEN);
	ck_assert_uint_eq(fk.gets, 0xfffe);

	/* a loop back past the first SEL_SEEN_IDS IDs the walk met ends at
	 * the bound the entries set (the walker keeps no bitmap of all) */
	fk = (struct fake){ .entries = 300, .runaway = 1, .back_from = 200,
	    .back_to = 100 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0),
	    IPMI_E_MALFORMED);
	ck_assert_uint_eq(w.nrecords, 300 + SEL_EXTRA_RECORDS);
	ck_assert_uint_eq(fk.gets, 300 + SEL_EXTRA_RECORDS);
	ck_assert_str_eq(w.why, "the next-record chain runs past the entries "
	    "Get SEL Info gave");
	/* one back to the start is caught at once */
	fk = (struct fake){ .entries = 300, .runaway = 1, .back_from = 200,
	    .back_to = 5 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0),
	    IPMI_E_MALFORMED);
	ck_assert_uint_eq(w.nrecords, 200);
	ck_assert_str_eq(w.why, "the next-record chain loops back");
}
END_TEST

START_TEST(test_walk_truncated)
{
	struct fake fk = { .entries = NLOG };

	/* room for two entries (and a half): the first two, flagged */
	ck_assert_int_eq(walk(&fk, &w, wbuf, 2 * SEL_ENTRY_LEN + 8, 0),
	    IPMI_WALK_DONE);
	ck_assert_int_eq(w.truncated, 1);
	ck_assert_uint_eq(w.nrecords, 2);
	ck_assert_uint_eq(w.len, 2 * SEL_ENTRY_LEN);
	ck_assert_uint_eq(w.next, rec_id(log3[2]));
	ck_assert_mem_eq(wbuf, log3[0], 16);
	ck_assert_mem_eq(wbuf + 16, log3[1], 16);
	ck_assert_uint_eq(fk.gets, 2);
	/* exactly the room needed is not truncated */
	fk = (struct fake){ .entries = NLOG };
	ck_assert_int_eq(walk(&fk, &w, wbuf, NLOG * SEL_ENTRY_LEN, 0),
	    IPMI_WALK_DONE);
	check_log3(&w, wbuf);
	/* no room at all, or no buffer */
	fk = (struct fake){ .entries = NLOG };
	ck_assert_int_eq(walk(&fk, &w, wbuf, 15, 0), IPMI_WALK_DONE);
	ck_assert_int_eq(w.truncated, 1);
	ck_assert_uint_eq(w.nrecords, 0);
	ck_assert_uint_eq(fk.gets, 0);
	ck_assert_int_eq(walk(&fk, &w, NULL, 100, 0), IPMI_WALK_DONE);
	ck_assert_int_eq(w.truncated, 1);
}
END_TEST

START_TEST(test_walk_failures)
{
	struct fake fk = { .entries = NLOG, .rec_len = 15 };
	struct ipmi_req req;

	/* a short entry */
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0),
	    IPMI_E_MALFORMED);
	ck_assert_uint_eq(w.nrecords, 0);
	ck_assert_str_eq(w.why, "an entry shorter than 16 bytes");
	/* a short entry after good ones keeps the good ones */
	sel_walk_init(&w, wbuf, sizeof(wbuf), 0);
	(void)sel_walk_next(&w, &req);
	ck_assert_int_eq(sel_walk_feed(&w, 0, (const uint8_t *)
	    "\x51\x02\x00\x00\x00\0\0\0\0\0\0\0\0\x00", 14), 0);
	ck_assert_int_eq(sel_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_GET_SEL_ENTRY);
	ck_assert_int_eq(sel_walk_feed(&w, 0, (const uint8_t *)
	    "\x02\x00" "0123456789abcdef", 18), 0);
	ck_assert_int_eq(sel_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_mem_eq(req.data, "\x00\x00\x02\x00\x00\xff", 6);
	ck_assert_int_eq(sel_walk_feed(&w, 0, (const uint8_t *)"\xff\xff",
	    2), IPMI_E_MALFORMED);
	ck_assert_uint_eq(w.nrecords, 1);
	ck_assert_mem_eq(wbuf, "0123456789abcdef", 16);
	/* an answer without even the next ID */
	sel_walk_init(&w, wbuf, sizeof(wbuf), 0);
	(void)sel_walk_next(&w, &req);
	(void)sel_walk_feed(&w, 0, (const uint8_t *)
	    "\x51\x02\x00\x00\x00\0\0\0\0\0\0\0\0\x00", 14);
	(void)sel_walk_next(&w, &req);
	ck_assert_int_eq(sel_walk_feed(&w, 0, (const uint8_t *)"\xff", 1),
	    IPMI_E_SHORT);
	/* CBh later in the chain is a failure */
	sel_walk_init(&w, wbuf, sizeof(wbuf), 0);
	(void)sel_walk_next(&w, &req);
	(void)sel_walk_feed(&w, 0, (const uint8_t *)
	    "\x51\x02\x00\x00\x00\0\0\0\0\0\0\0\0\x00", 14);
	(void)sel_walk_next(&w, &req);
	(void)sel_walk_feed(&w, 0, (const uint8_t *)
	    "\x07\x00" "0123456789abcdef", 18);
	(void)sel_walk_next(&w, &req);
	ck_assert_int_eq(sel_walk_feed(&w, IPMI_CC_NOT_PRESENT, NULL, 0),
	    IPMI_E_CC);
	ck_assert_uint_eq(w.cc, IPMI_CC_NOT_PRESENT);
	/* a failing info, a short info, a failing reserve, a short reserve */
	sel_walk_init(&w, wbuf, sizeof(wbuf), 0);
	ck_assert_int_eq(sel_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_GET_SEL_INFO);
	ck_assert_int_eq(sel_walk_feed(&w, IPMI_CC_PRIVILEGE, NULL, 0),
	    IPMI_E_CC);
	ck_assert_uint_eq(w.cc, IPMI_CC_PRIVILEGE);
	sel_walk_init(&w, wbuf, sizeof(wbuf), 0);
	(void)sel_walk_next(&w, &req);
	ck_assert_int_eq(sel_walk_feed(&w, 0, (const uint8_t *)"\x51\x01",
	    2), IPMI_E_SHORT);
	ck_assert_int_eq(w.have_info, 0);
	sel_walk_init(&w, wbuf, sizeof(wbuf), 0);
	(void)sel_walk_next(&w, &req);
	(void)sel_walk_feed(&w, 0, (const uint8_t *)
	    "\x51\x02\x00\x00\x00\0\0\0\0\0\0\0\0\x02", 14);
	ck_assert_int_eq(sel_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_RESERVE_SEL);
	ck_assert_int_eq(sel_walk_feed(&w, IPMI_CC_NODE_BUSY, NULL, 0),
	    IPMI_E_CC);
	sel_walk_init(&w, wbuf, sizeof(wbuf), 0);
	(void)sel_walk_next(&w, &req);
	(void)sel_walk_feed(&w, 0, (const uint8_t *)
	    "\x51\x02\x00\x00\x00\0\0\0\0\0\0\0\0\x02", 14);
	(void)sel_walk_next(&w, &req);
	ck_assert_int_eq(sel_walk_feed(&w, 0, (const uint8_t *)"\x01", 1),
	    IPMI_E_SHORT);
	/* 16 bytes refused too */
	sel_walk_init(&w, wbuf, sizeof(wbuf), 0);
	(void)sel_walk_next(&w, &req);
	(void)sel_walk_feed(&w, 0, (const uint8_t *)
	    "\x51\x02\x00\x00\x00\0\0\0\0\0\0\0\0\x00", 14);
	(void)sel_walk_next(&w, &req);
	ck_assert_int_eq(sel_walk_feed(&w, IPMI_CC_REQ_TOO_LONG, NULL, 0), 0);
	(void)sel_walk_next(&w, &req);
	ck_assert_mem_eq(req.data, "\x00\x00\x00\x00\x00\x10", 6);
	ck_assert_int_eq(sel_walk_feed(&w, IPMI_CC_REQ_TOO_LONG, NULL, 0),
	    IPMI_E_CC);
	/* next() twice without an answer, feed() with no request */
	sel_walk_init(&w, wbuf, sizeof(wbuf), 0);
	ck_assert_int_eq(sel_walk_feed(&w, 0, NULL, 0), IPMI_E_INVAL);
	sel_walk_init(&w, wbuf, sizeof(wbuf), 0);
	(void)sel_walk_next(&w, &req);
	ck_assert_int_eq(sel_walk_next(&w, &req), IPMI_E_INVAL);
}
END_TEST

START_TEST(test_walk_requests)
{
	static const uint8_t info[] = { 0x51, 0x01, 0x00, 0xff, 0xff, 0, 0, 0,
	    0, 0, 0, 0, 0, 0x02 };
	struct ipmi_req req;

	sel_walk_init(&w, wbuf, sizeof(wbuf), 0);
	ck_assert_int_eq(sel_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.netfn, IPMI_NETFN_STORAGE);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_GET_SEL_INFO);
	ck_assert_uint_eq(req.len, 0);
	ck_assert_int_eq(sel_walk_feed(&w, 0, info, sizeof(info)), 0);
	ck_assert_int_eq(sel_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_RESERVE_SEL);
	ck_assert_uint_eq(req.len, 0);
	ck_assert_int_eq(sel_walk_feed(&w, 0, (const uint8_t *)"\x34\x12", 2),
	    0);
	/* the whole of entry 0000h */
	ck_assert_int_eq(sel_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_GET_SEL_ENTRY);
	ck_assert_uint_eq(req.len, 6);
	ck_assert_mem_eq(req.data, "\x34\x12\x00\x00\x00\xff", 6);
	ck_assert_int_eq(sel_walk_feed(&w, 0, (const uint8_t *)
	    "\x09\x00" "\x01\x00\x02" "0123456789abc", 18), 0);
	/* then the next one the answer named */
	ck_assert_int_eq(sel_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_mem_eq(req.data, "\x34\x12\x09\x00\x00\xff", 6);
	ck_assert_int_eq(sel_walk_feed(&w, 0, (const uint8_t *)
	    "\xff\xff" "\x09\x00\x02" "0123456789abc", 18), 0);
	ck_assert_int_eq(sel_walk_next(&w, &req), IPMI_WALK_DONE);
	ck_assert_uint_eq(w.nrecords, 2);
}
END_TEST

/* --- clearing --------------------------------------------------------- */

struct fake_clear {
	unsigned	busy;		/* status answers in progress */
	int		instant;	/* initiate answers completed */
	int		no_byte;	/* initiate answers no data */
	int		no_reserve;
	unsigned	cancel_n;	/* Clear SEL answered C5h */
	uint8_t		fail_cc;	/* Clear SEL answered this */
	unsigned	inits, statuses, reserves;
	uint16_t	resv;
};

static uint8_t
clear_answer(struct fake_clear *fk, const struct ipmi_req *req, uint8_t *out,
    size_t *len)
{
	struct ipmi_clear_sel_req rq;
	struct buf b;

	*len = 0;
	ck_assert_uint_eq(req->netfn, IPMI_NETFN_STORAGE);
	if (req->cmd == IPMI_CMD_RESERVE_SEL) {
		fk->reserves++;
		if (fk->no_reserve)
			return IPMI_CC_INVALID_CMD;
		fk->resv = (uint16_t)(0x100 + fk->reserves);
		out[0] = (uint8_t)fk->resv;
		out[1] = (uint8_t)(fk->resv >> 8);
		*len = 2;
		return 0;
	}
	ck_assert_uint_eq(req->cmd, IPMI_CMD_CLEAR_SEL);
	buf_init_read(&b, req->data, req->len);
	ck_assert_int_eq(ipmi_clear_sel_req_decode(&b, &rq), 0);
	ck_assert_uint_eq(rq.resv, fk->resv);
	if (fk->cancel_n > 0) {
		fk->cancel_n--;
		return IPMI_CC_RESERVATION;
	}
	if (fk->fail_cc)
		return fk->fail_cc;
	if (rq.action == SEL_CLEAR_INITIATE) {
		fk->inits++;
		if (fk->no_byte)
			return 0;
		out[0] = fk->instant ? SEL_ERASE_COMPLETED :
		    SEL_ERASE_IN_PROGRESS;
	} else {
		ck_assert_uint_eq(fk->inits, 1);
		fk->statuses++;
		out[0] = fk->statuses > fk->busy ? SEL_ERASE_COMPLETED :
		    SEL_ERASE_IN_PROGRESS;
	}
	*len = 1;
	return 0;
}

static int
clear(struct fake_clear *fk, struct sel_clear *c)
{
	struct ipmi_req req;
	uint8_t ans[8];
	size_t alen;
	unsigned guard = 0;
	uint8_t cc;
	int rc;

	sel_clear_init(c);
	while ((rc = sel_clear_next(c, &req)) == IPMI_WALK_SEND) {
		ck_assert_uint_lt(++guard, 1000);
		cc = clear_answer(fk, &req, ans, &alen);
		if ((rc = sel_clear_feed(c, cc, ans, alen)) < 0)
			break;
	}
	return rc;
}

START_TEST(test_clear)
{
	struct fake_clear fk = { .busy = 2 };
	struct sel_clear c;
	struct ipmi_req req;

	/* in progress twice, then completed */
	ck_assert_int_eq(clear(&fk, &c), IPMI_WALK_DONE);
	ck_assert_uint_eq(fk.inits, 1);
	ck_assert_uint_eq(fk.statuses, 3);
	ck_assert_uint_eq(c.polls, 2);
	ck_assert_int_eq(c.initiated, 1);
	ck_assert_uint_eq(c.requests, 5);
	ck_assert_str_eq(sel_clear_state_name(c.state), "done");
	/* completed at once: no polling */
	fk = (struct fake_clear){ .instant = 1 };
	ck_assert_int_eq(clear(&fk, &c), IPMI_WALK_DONE);
	ck_assert_uint_eq(fk.statuses, 0);
	/* no progress byte to the initiate: poll */
	fk = (struct fake_clear){ .no_byte = 1 };
	ck_assert_int_eq(clear(&fk, &c), IPMI_WALK_DONE);
	ck_assert_uint_eq(fk.statuses, 1);
	/* no reservations */
	fk = (struct fake_clear){ .no_reserve = 1, .busy = 1 };
	ck_assert_int_eq(clear(&fk, &c), IPMI_WALK_DONE);
	ck_assert_uint_eq(c.resv, 0);
	/* cancelled: reserve again, within the bound */
	fk = (struct fake_clear){ .cancel_n = SEL_RESERVE_RETRIES };
	ck_assert_int_eq(clear(&fk, &c), IPMI_WALK_DONE);
	ck_assert_uint_eq(fk.reserves, SEL_RESERVE_RETRIES + 1);
	fk = (struct fake_clear){ .cancel_n = SEL_RESERVE_RETRIES + 1 };
	ck_assert_int_eq(clear(&fk, &c), IPMI_E_CC);
	ck_assert_uint_eq(c.cc, IPMI_CC_RESERVATION);
	ck_assert_int_eq(c.initiated, 0);
	/* never completes: bounded */
	fk = (struct fake_clear){ .busy = 1000 };
	ck_assert_int_eq(clear(&fk, &c), IPMI_E_TIMEOUT);
	ck_assert_int_eq(c.initiated, 1);
	ck_assert_uint_eq(fk.statuses, SEL_CLEAR_POLLS);
	ck_assert_int_eq(sel_clear_next(&c, &req), IPMI_E_TIMEOUT);
	/* refused */
	fk = (struct fake_clear){ .fail_cc = IPMI_CC_PRIVILEGE };
	ck_assert_int_eq(clear(&fk, &c), IPMI_E_CC);
	ck_assert_uint_eq(c.cc, IPMI_CC_PRIVILEGE);
	ck_assert_str_eq(sel_clear_state_name(c.state), "failed");
	ck_assert_str_eq(sel_clear_state_name(-1), "unknown");
}
END_TEST

START_TEST(test_clear_requests)
{
	struct sel_clear c;
	struct ipmi_req req;

	sel_clear_init(&c);
	ck_assert_int_eq(sel_clear_next(&c, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.netfn, IPMI_NETFN_STORAGE);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_RESERVE_SEL);
	ck_assert_uint_eq(req.len, 0);
	ck_assert_int_eq(sel_clear_feed(&c, 0, (const uint8_t *)"\x34\x12",
	    2), 0);
	ck_assert_int_eq(sel_clear_next(&c, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_CLEAR_SEL);
	ck_assert_uint_eq(req.len, 6);
	ck_assert_mem_eq(req.data, "\x34\x12" "CLR\xaa", 6);
	ck_assert_int_eq(sel_clear_feed(&c, 0, (const uint8_t *)"\x00", 1),
	    0);
	ck_assert_int_eq(sel_clear_next(&c, &req), IPMI_WALK_SEND);
	ck_assert_mem_eq(req.data, "\x34\x12" "CLR\x00", 6);
	ck_assert_int_eq(c.state, SEL_CLEAR_STATUS_WAIT);
	/* a status answer without its byte */
	ck_assert_int_eq(sel_clear_feed(&c, 0, NULL, 0), IPMI_E_SHORT);
	/* a short reservation, a failing one */
	sel_clear_init(&c);
	(void)sel_clear_next(&c, &req);
	ck_assert_int_eq(sel_clear_feed(&c, 0, (const uint8_t *)"\x34", 1),
	    IPMI_E_SHORT);
	sel_clear_init(&c);
	(void)sel_clear_next(&c, &req);
	ck_assert_int_eq(sel_clear_feed(&c, IPMI_CC_NODE_BUSY, NULL, 0),
	    IPMI_E_CC);
	/* out of order */
	sel_clear_init(&c);
	ck_assert_int_eq(sel_clear_feed(&c, 0, NULL, 0), IPMI_E_INVAL);
	sel_clear_init(&c);
	(void)sel_clear_next(&c, &req);
	ck_assert_int_eq(sel_clear_next(&c, &req), IPMI_E_INVAL);
}
END_TEST

static Suite *
sel_suite(void)
{
	Suite *s = suite_create("sel");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_info);
	tcase_add_test(tc, test_reserve_time_entry);
	tcase_add_test(tc, test_clear_codec);
	tcase_add_test(tc, test_decode_threshold);
	tcase_add_test(tc, test_decode_discrete);
	tcase_add_test(tc, test_decode_preinit);
	tcase_add_test(tc, test_decode_oem_unknown);
	tcase_add_test(tc, test_decode_short);
	tcase_add_test(tc, test_severity);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_threshold_values);
	tcase_add_test(tc, test_walk_plain);
	tcase_add_test(tc, test_walk_whole_record_answers);
	tcase_add_test(tc, test_walk_empty);
	tcase_add_test(tc, test_walk_cancelled);
	tcase_add_test(tc, test_walk_loop_and_runaway);
	tcase_add_test(tc, test_walk_truncated);
	tcase_add_test(tc, test_walk_failures);
	tcase_add_test(tc, test_walk_requests);
	tcase_add_test(tc, test_clear);
	tcase_add_test(tc, test_clear_requests);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sel_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
