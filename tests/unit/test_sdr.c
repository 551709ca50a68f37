/*
 * ipmi/sdr: the SDR repository codecs, record decoders and walker.
 * Records are written by hand from IPMI v2.0 rev 1.1, 43.1-43.9, so the
 * decoder is not checked against itself.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/sdr.h"

/* 43.1 full sensor: "CPU Temp", 2's complement, M -3, B -512, K1 1, K2 -2 */
static const uint8_t rec_full[] = {
	0x01, 0x00, 0x51, 0x01, 51,
	0x20, 0x00, 0x30, 0x03, 0x01,	/* owner, LUN, number, entity */
	0x7f, 0x68, 0x01, 0x01,		/* init, caps, type, event type */
	0x95, 0x7a, 0x95, 0x7a,		/* assertion, deassertion masks */
	0x1b, 0x1b,			/* readable, settable thresholds */
	0x80, 0x01, 0x00,		/* units: 2's compl., degrees C */
	0x00,				/* linear */
	0xfd, 0xc5,			/* M = 3FDh (-3), tolerance 5 */
	0x00, 0xa4,			/* B = 200h (-512), accuracy LS 24h */
	0x19,				/* accuracy MS 1, exp 2, input */
	0xe1,				/* K2 -2, K1 1 */
	0x07, 0x28, 0x50, 0x05, 0x7f, 0x80,
	0x00, 0x5a, 0x55, 0x00, 0x02, 0x05, /* UNR UCR UNC LNR LCR LNC */
	0x02, 0x03, 0x00, 0x00, 0x00,	/* hysteresis, reserved, OEM */
	0xc8, 'C', 'P', 'U', ' ', 'T', 'e', 'm', 'p',
};

/* 43.2 compact: "DIMM Temp " shared by 4, numeric from 1, entity too */
static const uint8_t rec_compact[] = {
	0x02, 0x00, 0x51, 0x02, 37,
	0x20, 0x00, 0x40, 0x20, 0x01,
	0x7f, 0x68, 0x01, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x12, 0x12,
	0x00, 0x01, 0x00,
	0x04, 0x81,			/* share 4, numeric; entity, offset 1 */
	0x01, 0x01, 0x00, 0x00, 0x00, 0x00,
	0xca, 'D', 'I', 'M', 'M', ' ', 'T', 'e', 'm', 'p', ' ',
};

/* 43.3 event-only: "PS Redundancy" */
static const uint8_t rec_evonly[] = {
	0x03, 0x00, 0x51, 0x03, 25,
	0x20, 0x00, 0x50, 0x0a, 0x01,
	0x0b, 0x0b, 0x01, 0x00, 0x00, 0x00,
	0xcd, 'P', 'S', ' ', 'R', 'e', 'd', 'u', 'n', 'd', 'a', 'n', 'c',
	'y',
};

/* 43.8 FRU device locator: logical FRU 0 "Mainboard" */
static const uint8_t rec_fru[] = {
	0x04, 0x00, 0x51, 0x11, 20,
	0x20, 0x00, 0x80, 0x00, 0x00, 0x10, 0x00, 0x07, 0x01, 0x00,
	0xc9, 'M', 'a', 'i', 'n', 'b', 'o', 'a', 'r', 'd',
};

/* 43.9 MC device locator: "BMC" */
static const uint8_t rec_mc[] = {
	0x05, 0x00, 0x51, 0x12, 14,
	0x20, 0x00, 0x00, 0xbf, 0x00, 0x00, 0x00, 0x2e, 0x01, 0x00,
	0xc3, 'B', 'M', 'C',
};

/* An OEM record: kept raw */
static const uint8_t rec_oem[] = {
	0x06, 0x00, 0x51, 0xc0, 4, 0x57, 0x01, 0x00, 0xaa,
};

static const struct {
	const uint8_t	*p;
	size_t		 n;
} repo[] = {
	{ rec_full, sizeof(rec_full) },
	{ rec_compact, sizeof(rec_compact) },
	{ rec_evonly, sizeof(rec_evonly) },
	{ rec_fru, sizeof(rec_fru) },
	{ rec_mc, sizeof(rec_mc) },
	{ rec_oem, sizeof(rec_oem) },
};
#define NREPO	(sizeof(repo) / sizeof(repo[0]))

/* --- codecs ----------------------------------------------------------- */

START_TEST(test_codecs)
{
	static const uint8_t info[] = { 0x51, 0x06, 0x00, 0xff, 0xff, 0x11,
	    0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x2f };
	struct ipmi_sdr_info_rsp ir;
	struct ipmi_get_sdr_req rq = { 0x1234, 0x0002, 5, 16 }, rq2;
	struct ipmi_get_sdr_rsp rs;
	uint8_t out[32];
	struct buf b;
	uint16_t resv;

	buf_init_read(&b, info, sizeof(info));
	ck_assert_int_eq(ipmi_sdr_info_rsp_decode(&b, &ir), 0);
	ck_assert_uint_eq(ir.version, 0x51);
	ck_assert_uint_eq(ir.count, 6);
	ck_assert_uint_eq(ir.free, 0xffff);
	ck_assert_uint_eq(ir.add_ts, 0x44332211);
	ck_assert_uint_eq(ir.erase_ts, 0x88776655);
	ck_assert_uint_eq(ir.support & SDR_SUP_RESERVE, SDR_SUP_RESERVE);
	ck_assert_uint_eq(SDR_SUP_UPDATE(ir.support), 1);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_sdr_info_rsp_encode(&ir, &b), 0);
	ck_assert_mem_eq(out, info, sizeof(info));
	for (size_t n = 0; n < sizeof(info); n++) {
		buf_init_read(&b, info, n);
		ck_assert_int_eq(ipmi_sdr_info_rsp_decode(&b, &ir),
		    IPMI_E_SHORT);
	}

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_get_sdr_req_encode(&rq, &b), 0);
	ck_assert_uint_eq(b.len, 6);
	ck_assert_mem_eq(out, "\x34\x12\x02\x00\x05\x10", 6);
	buf_init_read(&b, out, 6);
	ck_assert_int_eq(ipmi_get_sdr_req_decode(&b, &rq2), 0);
	ck_assert_uint_eq(rq2.resv, 0x1234);
	ck_assert_uint_eq(rq2.count, 16);

	buf_init_read(&b, "\x07\x00\xaa\xbb", 4);
	ck_assert_int_eq(ipmi_get_sdr_rsp_decode(&b, &rs), 0);
	ck_assert_uint_eq(rs.next, 7);
	ck_assert_uint_eq(rs.len, 2);
	ck_assert_uint_eq(rs.data[1], 0xbb);
	buf_init_read(&b, "\x07", 1);
	ck_assert_int_eq(ipmi_get_sdr_rsp_decode(&b, &rs), IPMI_E_SHORT);

	buf_init_read(&b, "\x01\x80", 2);
	ck_assert_int_eq(ipmi_sdr_reserve_rsp_decode(&b, &resv), 0);
	ck_assert_uint_eq(resv, 0x8001);
	buf_init_read(&b, "\x01", 1);
	ck_assert_int_eq(ipmi_sdr_reserve_rsp_decode(&b, &resv),
	    IPMI_E_SHORT);
}
END_TEST

/* --- records ---------------------------------------------------------- */

START_TEST(test_full)
{
	struct sdr_record r;
	const struct sdr_sensor *s = &r.u.sensor;

	ck_assert_int_eq(sdr_decode(rec_full, sizeof(rec_full), &r), 0);
	ck_assert_int_eq(r.decoded, 1);
	ck_assert_uint_eq(r.id, 1);
	ck_assert_uint_eq(r.type, SDR_TYPE_FULL);
	ck_assert_uint_eq(r.rawlen, sizeof(rec_full));
	ck_assert_mem_eq(r.raw, rec_full, sizeof(rec_full));
	ck_assert_uint_eq(s->owner_id, 0x20);
	ck_assert_uint_eq(s->number, 0x30);
	ck_assert_uint_eq(s->entity_id, 3);
	ck_assert_uint_eq(s->entity_instance, 1);
	ck_assert_uint_eq(s->sensor_type, 1);
	ck_assert_uint_eq(s->event_type, 1);
	ck_assert_uint_eq(s->assert_mask, 0x7a95);
	ck_assert_uint_eq(SDR_READABLE(s), 0x1b);
	ck_assert_uint_eq(SDR_SETTABLE(s), 0x1b);
	ck_assert_uint_eq(s->base_unit, 1);
	ck_assert_int_eq(s->has_analog, 1);
	ck_assert_uint_eq(s->factors.format, SDR_FMT_TWOS);
	ck_assert_uint_eq(s->factors.linear, SDR_L_LINEAR);
	ck_assert_int_eq(s->factors.m, -3);
	ck_assert_int_eq(s->factors.b, -512);
	ck_assert_int_eq(s->factors.k1, 1);
	ck_assert_int_eq(s->factors.k2, -2);
	ck_assert_uint_eq(s->factors.tolerance, 5);
	ck_assert_uint_eq(s->factors.accuracy, 100);
	ck_assert_uint_eq(s->factors.accuracy_exp, 2);
	ck_assert_uint_eq(s->direction, 1);
	ck_assert_uint_eq(s->ac_flags, 7);
	ck_assert_uint_eq(s->nominal, 0x28);
	ck_assert_uint_eq(s->normal_max, 0x50);
	ck_assert_uint_eq(s->normal_min, 0x05);
	ck_assert_uint_eq(s->sensor_max, 0x7f);
	ck_assert_uint_eq(s->sensor_min, 0x80);
	ck_assert_uint_eq(s->thresh[SDR_TH_UNR], 0x00);
	ck_assert_uint_eq(s->thresh[SDR_TH_UCR], 0x5a);
	ck_assert_uint_eq(s->thresh[SDR_TH_UNC], 0x55);
	ck_assert_uint_eq(s->thresh[SDR_TH_LCR], 0x02);
	ck_assert_uint_eq(s->thresh[SDR_TH_LNC], 0x05);
	ck_assert_uint_eq(s->hyst_pos, 2);
	ck_assert_uint_eq(s->hyst_neg, 3);
	ck_assert_uint_eq(s->share_count, 1);
	ck_assert_str_eq(s->id.text, "CPU Temp");
	ck_assert_uint_eq(s->id.enc, SDR_ID_LATIN1);
	ck_assert_int_eq(s->id.truncated, 0);
	ck_assert_str_eq(sdr_type_name(r.type), "Full Sensor");
}
END_TEST

/*
 * The one iterator every reader lists sensors with: records in order,
 * a shared one expanded, one that does not decode skipped, a truncated
 * tail ignored.
 */
START_TEST(test_iter)
{
	uint8_t buf[512], bad[8] = { 0x09, 0x00, 0x51, 0x02, 0x03, 0, 0, 0 };
	const char *want[] = { "full", "DIMM Temp 1", "DIMM Temp 2",
	    "DIMM Temp 3", "DIMM Temp 4", "fru", "evonly" };
	struct sdr_iter it;
	struct sdr_record r;
	size_t n = 0;
	unsigned k = 0;

	memcpy(buf + n, rec_full, sizeof(rec_full));
	n += sizeof(rec_full);
	memcpy(buf + n, rec_compact, sizeof(rec_compact));
	n += sizeof(rec_compact);
	memcpy(buf + n, bad, 8);	/* a 3-byte compact record: short */
	n += 8;
	memcpy(buf + n, rec_fru, sizeof(rec_fru));
	n += sizeof(rec_fru);
	memcpy(buf + n, rec_evonly, sizeof(rec_evonly));
	n += sizeof(rec_evonly);
	memcpy(buf + n, rec_full, 7);	/* cut short: ignored */
	n += 7;
	sdr_iter_init(&it, buf, n);
	while (sdr_iter_next(&it, &r)) {
		ck_assert_uint_lt(k, sizeof(want) / sizeof(want[0]));
		if (!strcmp(want[k], "full"))
			ck_assert_uint_eq(r.type, SDR_TYPE_FULL);
		else if (!strcmp(want[k], "fru"))
			ck_assert_uint_eq(r.type, SDR_TYPE_FRU_LOCATOR);
		else if (!strcmp(want[k], "evonly"))
			ck_assert_uint_eq(r.type, SDR_TYPE_EVENT_ONLY);
		else {
			ck_assert_uint_eq(r.type, SDR_TYPE_COMPACT);
			ck_assert_str_eq(r.u.sensor.id.text, want[k]);
			ck_assert_uint_eq(r.u.sensor.number, 0x40 + k - 1);
			ck_assert_uint_eq(r.u.sensor.share_count, 1);
		}
		k++;
	}
	ck_assert_uint_eq(k, sizeof(want) / sizeof(want[0]));
	ck_assert_int_eq(sdr_iter_next(&it, &r), 0);
	/* nothing at all */
	sdr_iter_init(&it, NULL, 0);
	ck_assert_int_eq(sdr_iter_next(&it, &r), 0);
}
END_TEST

START_TEST(test_compact_and_expand)
{
	struct sdr_record r, e;
	uint8_t alpha[sizeof(rec_compact)];

	ck_assert_int_eq(sdr_decode(rec_compact, sizeof(rec_compact), &r), 0);
	ck_assert_uint_eq(r.u.sensor.share_count, 4);
	ck_assert_uint_eq(r.u.sensor.mod_type, SDR_MOD_NUMERIC);
	ck_assert_uint_eq(r.u.sensor.mod_offset, 1);
	ck_assert_int_eq(r.u.sensor.entity_shared, 1);
	ck_assert_int_eq(r.u.sensor.has_analog, 0);
	ck_assert_str_eq(r.u.sensor.id.text, "DIMM Temp ");
	ck_assert_int_eq(sdr_expand(&r, 0, &e), 0);
	ck_assert_str_eq(e.u.sensor.id.text, "DIMM Temp 1");
	ck_assert_uint_eq(e.u.sensor.number, 0x40);
	ck_assert_int_eq(sdr_expand(&r, 3, &e), 0);
	ck_assert_str_eq(e.u.sensor.id.text, "DIMM Temp 4");
	ck_assert_uint_eq(e.u.sensor.number, 0x43);
	ck_assert_uint_eq(e.u.sensor.entity_instance, 4);
	ck_assert_uint_eq(e.u.sensor.share_count, 1);
	ck_assert_int_eq(sdr_expand(&r, 4, &e), IPMI_E_INVAL);

	/* alpha modifiers from offset 24: Y, Z, AA, AB; entity kept */
	memcpy(alpha, rec_compact, sizeof(alpha));
	alpha[23] = 0x14;
	alpha[24] = 24;
	ck_assert_int_eq(sdr_decode(alpha, sizeof(alpha), &r), 0);
	ck_assert_int_eq(sdr_expand(&r, 0, &e), 0);
	ck_assert_str_eq(e.u.sensor.id.text, "DIMM Temp Y");
	ck_assert_int_eq(sdr_expand(&r, 2, &e), 0);
	ck_assert_str_eq(e.u.sensor.id.text, "DIMM Temp AA");
	ck_assert_uint_eq(e.u.sensor.entity_instance, 1);
	ck_assert_int_eq(sdr_expand(&r, 3, &e), 0);
	ck_assert_str_eq(e.u.sensor.id.text, "DIMM Temp AB");

	/* not a sensor record */
	ck_assert_int_eq(sdr_decode(rec_fru, sizeof(rec_fru), &r), 0);
	ck_assert_int_eq(sdr_expand(&r, 0, &e), IPMI_E_INVAL);
}
END_TEST

START_TEST(test_event_only_and_locators)
{
	struct sdr_record r;

	ck_assert_int_eq(sdr_decode(rec_evonly, sizeof(rec_evonly), &r), 0);
	ck_assert_uint_eq(r.u.sensor.number, 0x50);
	ck_assert_uint_eq(r.u.sensor.sensor_type, 0x0b);
	ck_assert_uint_eq(r.u.sensor.event_type, 0x0b);
	ck_assert_uint_eq(r.u.sensor.share_count, 1);
	ck_assert_str_eq(r.u.sensor.id.text, "PS Redundancy");

	ck_assert_int_eq(sdr_decode(rec_fru, sizeof(rec_fru), &r), 0);
	ck_assert_uint_eq(r.type, SDR_TYPE_FRU_LOCATOR);
	ck_assert_uint_eq(r.u.fru.access_addr, 0x20);
	ck_assert_uint_eq(r.u.fru.fru_id, 0);
	ck_assert_int_eq(r.u.fru.logical, 1);
	ck_assert_uint_eq(r.u.fru.dev_type, 0x10);
	ck_assert_uint_eq(r.u.fru.entity_id, 7);
	ck_assert_str_eq(r.u.fru.id.text, "Mainboard");

	ck_assert_int_eq(sdr_decode(rec_mc, sizeof(rec_mc), &r), 0);
	ck_assert_uint_eq(r.u.mc.addr, 0x20);
	ck_assert_uint_eq(r.u.mc.caps, 0xbf);
	ck_assert_uint_eq(r.u.mc.entity_id, 0x2e);
	ck_assert_str_eq(r.u.mc.id.text, "BMC");

	ck_assert_int_eq(sdr_decode(rec_oem, sizeof(rec_oem), &r), 0);
	ck_assert_int_eq(r.decoded, 0);
	ck_assert_uint_eq(r.type, 0xc0);
	ck_assert_uint_eq(r.rawlen, sizeof(rec_oem));
	ck_assert_mem_eq(r.raw, rec_oem, sizeof(rec_oem));
	ck_assert_str_eq(sdr_type_name(0xc0), "OEM");
	ck_assert_str_eq(sdr_type_name(0x12),
	    "Management Controller Device Locator");
}
END_TEST

/* An MC locator with the given ID string bytes. */
static void
id_record(uint8_t typelen, const void *s, size_t n, struct sdr_record *r)
{
	uint8_t b[64];

	memcpy(b, rec_mc, 16);
	b[4] = (uint8_t)(11 + n);
	b[15] = typelen;
	memcpy(b + 16, s, n);
	ck_assert_int_eq(sdr_decode(b, 16 + n, r), 0);
}

START_TEST(test_id_strings)
{
	struct sdr_record r;

	/* 6-bit packed "CPU1": 23h 30h 35h 11h, least significant first */
	id_record(0x83, "\x23\x5c\x47", 3, &r);
	ck_assert_str_eq(r.u.mc.id.text, "CPU1");
	ck_assert_uint_eq(r.u.mc.id.enc, SDR_ID_ASCII6);
	/* BCD plus */
	id_record(0x42, "\x12\xab", 2, &r);
	ck_assert_str_eq(r.u.mc.id.text, "12 -");
	/* Latin-1 to UTF-8; control characters as '?'; NUL ends */
	id_record(0xc4, "C\xe9\x01x", 4, &r);
	ck_assert_str_eq(r.u.mc.id.text, "C\xc3\xa9?x");
	id_record(0xc3, "ab\0", 3, &r);
	ck_assert_str_eq(r.u.mc.id.text, "ab");
	/* 16 bytes of Latin-1 high characters fit */
	id_record(0xd0, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
	    "\xff\xff\xff\xff", 16, &r);
	ck_assert_uint_eq(strlen(r.u.mc.id.text), 32);
	/* none */
	id_record(0xc0, "", 0, &r);
	ck_assert_str_eq(r.u.mc.id.text, "");
}
END_TEST

START_TEST(test_malformed)
{
	struct sdr_record r;
	uint8_t b[sizeof(rec_full)];

	ck_assert_int_eq(sdr_decode(rec_full, 0, &r), IPMI_E_SHORT);
	ck_assert_int_eq(sdr_decode(rec_full, 4, &r), IPMI_E_SHORT);
	/* truncated: the header claims more than arrived */
	for (size_t n = 5; n < sizeof(rec_full); n++)
		ck_assert_int_eq(sdr_decode(rec_full, n, &r), IPMI_E_SHORT);
	/* length too small for the fixed part of a full record */
	memcpy(b, rec_full, sizeof(b));
	b[4] = 30;
	ck_assert_int_eq(sdr_decode(b, sizeof(b), &r), IPMI_E_SHORT);
	ck_assert_uint_eq(r.rawlen, 35);
	/* the same for the others */
	memcpy(b, rec_compact, sizeof(rec_compact));
	b[4] = 26;
	ck_assert_int_eq(sdr_decode(b, sizeof(rec_compact), &r), IPMI_E_SHORT);
	memcpy(b, rec_evonly, sizeof(rec_evonly));
	b[4] = 11;
	ck_assert_int_eq(sdr_decode(b, sizeof(rec_evonly), &r), IPMI_E_SHORT);
	memcpy(b, rec_fru, sizeof(rec_fru));
	b[4] = 10;
	ck_assert_int_eq(sdr_decode(b, sizeof(rec_fru), &r), IPMI_E_SHORT);
	/* ID string claims more than the record holds: cut and flagged */
	memcpy(b, rec_full, sizeof(b));
	b[47] = 0xcf;
	ck_assert_int_eq(sdr_decode(b, sizeof(b), &r), 0);
	ck_assert_int_eq(r.u.sensor.id.truncated, 1);
	ck_assert_str_eq(r.u.sensor.id.text, "CPU Temp");
	/* ... and bytes after the record are not read */
	memcpy(b, rec_full, sizeof(b));
	b[4] = 47;	/* ID string cut to "CPU " */
	ck_assert_int_eq(sdr_decode(b, sizeof(b), &r), 0);
	ck_assert_str_eq(r.u.sensor.id.text, "CPU ");
	ck_assert_int_eq(r.u.sensor.id.truncated, 1);
	/* type/length byte with nothing after it */
	b[4] = 43;
	ck_assert_int_eq(sdr_decode(b, sizeof(b), &r), 0);
	ck_assert_str_eq(r.u.sensor.id.text, "");
}
END_TEST

START_TEST(test_iterator)
{
	uint8_t buf[512];
	size_t len = 0, off = 0, rl;
	const uint8_t *rec;
	unsigned i;

	for (i = 0; i < NREPO; i++) {
		memcpy(buf + len, repo[i].p, repo[i].n);
		len += repo[i].n;
	}
	for (i = 0; sdr_next_record(buf, len, &off, &rec, &rl) == 1; i++) {
		ck_assert_ptr_eq(rec, buf + off - rl);
		ck_assert_uint_eq(rl, repo[i].n);
	}
	ck_assert_uint_eq(i, NREPO);
	ck_assert_uint_eq(off, len);
	/* a cut cache: the last record is short */
	off = 0;
	for (i = 0; sdr_next_record(buf, len - 1, &off, &rec, &rl) == 1; i++)
		;
	ck_assert_uint_eq(i, NREPO - 1);
	ck_assert_int_eq(sdr_next_record(buf, len - 1, &off, &rec, &rl),
	    IPMI_E_SHORT);
	off = 0;
	ck_assert_int_eq(sdr_next_record(buf, 3, &off, &rec, &rl),
	    IPMI_E_SHORT);
	off = 0;
	ck_assert_int_eq(sdr_next_record(buf, 0, &off, &rec, &rl), 0);
}
END_TEST

/* --- the walker against a scripted BMC -------------------------------- */

struct fake {
	unsigned	count;		/* what Get SDR Repository Info says */
	size_t		max;		/* larger reads: CAh (0: no limit) */
	size_t		shortest;	/* answer at most this (0: no limit) */
	unsigned	cancel_from;	/* Get SDR number answered C5h ... */
	unsigned	cancel_n;	/* ... this many times */
	int		loop;		/* the last record points at the first */
	int		runaway;	/* records without end */
	int		empty_cb;	/* Get SDR answers CBh */
	int		no_reserve;	/* Reserve answers C1h */
	int		zero_data;	/* Get SDR answers with no bytes */
	unsigned	gets;		/* Get SDR requests seen */
	uint16_t	resv;
};

static const uint8_t *
find(uint16_t id, size_t *n, uint16_t *next, size_t *idx)
{
	size_t i;

	for (i = 0; i < NREPO; i++) {
		uint16_t rid = (uint16_t)(repo[i].p[0] | repo[i].p[1] << 8);

		if (rid == id || (id == 0 && i == 0)) {
			*n = repo[i].n;
			*idx = i;
			*next = i + 1 < NREPO ?
			    (uint16_t)(repo[i + 1].p[0] | repo[i + 1].p[1] << 8) :
			    0xffff;
			return repo[i].p;
		}
	}
	return NULL;
}

static uint8_t
answer(struct fake *fk, const struct ipmi_req *req, uint8_t *out, size_t *len)
{
	struct ipmi_sdr_info_rsp info = { 0x51, 0, 0xffff, 1000, 900, 0x22 };
	struct ipmi_get_sdr_req rq;
	struct buf b;
	const uint8_t *rec;
	uint8_t runrec[5 + 8];
	size_t n, idx, cnt;
	uint16_t next;

	*len = 0;
	ck_assert_uint_eq(req->netfn, IPMI_NETFN_STORAGE);
	buf_init_write(&b, out, 300);
	switch (req->cmd) {
	case IPMI_CMD_GET_SDR_REPO_INFO:
		ck_assert_uint_eq(req->len, 0);
		info.count = (uint16_t)fk->count;
		(void)ipmi_sdr_info_rsp_encode(&info, &b);
		*len = b.len;
		return 0;
	case IPMI_CMD_RESERVE_SDR_REPO:
		if (fk->no_reserve)
			return IPMI_CC_INVALID_CMD;
		(void)ipmi_sdr_reserve_rsp_encode(++fk->resv, &b);
		*len = b.len;
		return 0;
	}
	ck_assert_uint_eq(req->cmd, IPMI_CMD_GET_SDR);
	buf_init_read(&b, req->data, req->len);
	ck_assert_int_eq(ipmi_get_sdr_req_decode(&b, &rq), 0);
	ck_assert_uint_eq(rq.resv, fk->no_reserve ? 0 : fk->resv);
	ck_assert_uint_gt(rq.count, 0);
	fk->gets++;
	if (fk->gets >= fk->cancel_from &&
	    fk->gets < fk->cancel_from + fk->cancel_n)
		return IPMI_CC_RESERVATION;
	if (fk->empty_cb)
		return IPMI_CC_NOT_PRESENT;
	if (fk->max != 0 && rq.count > fk->max)
		return IPMI_CC_CANT_RETURN;
	if (fk->runaway) {
		/* every record is new and points at another */
		uint16_t id = rq.id == 0 ? 1 : rq.id;

		memcpy(runrec, "\0\0\x51\xc0\x08" "ABCDEFGH", sizeof(runrec));
		runrec[0] = (uint8_t)id;
		runrec[1] = (uint8_t)(id >> 8);
		rec = runrec;
		n = sizeof(runrec);
		next = (uint16_t)(id + 1);
	} else {
		rec = find(rq.id, &n, &next, &idx);
		ck_assert_ptr_nonnull(rec);
		if (fk->loop && idx == NREPO - 1)
			next = 1;
	}
	ck_assert_uint_le(rq.offset, n);
	cnt = rq.count;
	if (rq.offset + cnt > n)
		cnt = n - rq.offset;
	if (fk->shortest && cnt > fk->shortest)
		cnt = fk->shortest;
	if (fk->zero_data)
		cnt = 0;
	out[0] = (uint8_t)next;
	out[1] = (uint8_t)(next >> 8);
	memcpy(out + 2, rec + rq.offset, cnt);
	*len = 2 + cnt;
	return 0;
}

static int
walk(struct fake *fk, struct sdr_walk *w, uint8_t *buf, size_t cap, int flags)
{
	struct ipmi_req req;
	uint8_t ans[300];
	size_t alen;
	unsigned guard = 0;
	uint8_t cc;
	int rc;

	sdr_walk_init(w, buf, cap, flags);
	while ((rc = sdr_walk_next(w, &req)) == IPMI_WALK_SEND) {
		ck_assert_uint_lt(++guard, 100000);
		cc = answer(fk, &req, ans, &alen);
		if ((rc = sdr_walk_feed(w, cc, ans, alen)) < 0)
			break;
	}
	return rc;
}

static void
check_whole(const struct sdr_walk *w, const uint8_t *buf)
{
	size_t off = 0, i;

	ck_assert_uint_eq(w->nrecords, NREPO);
	for (i = 0; i < NREPO; i++) {
		ck_assert_mem_eq(buf + off, repo[i].p, repo[i].n);
		off += repo[i].n;
	}
	ck_assert_uint_eq(w->len, off);
}

static uint8_t wbuf[SDR_BUF_MAX];
static struct sdr_walk w;

START_TEST(test_walk_plain)
{
	struct fake fk = { .count = NREPO };
	struct sdr_record r;
	const uint8_t *rec;
	size_t off = 0, rl;
	unsigned n = 0;

	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_whole(&w, wbuf);
	ck_assert_int_eq(w.have_info, 1);
	ck_assert_uint_eq(w.info.count, NREPO);
	ck_assert_uint_eq(w.info.add_ts, 1000);
	ck_assert_uint_eq(w.info.erase_ts, 900);
	ck_assert_uint_eq(w.reserves, 0);
	while (sdr_next_record(wbuf, w.len, &off, &rec, &rl) == 1) {
		ck_assert_int_eq(sdr_decode(rec, rl, &r), 0);
		n++;
	}
	ck_assert_uint_eq(n, NREPO);
	ck_assert_int_eq(sdr_walk_next(&w, NULL), IPMI_WALK_DONE);
	ck_assert_str_eq(sdr_walk_state_name(w.state), "done");
}
END_TEST

START_TEST(test_walk_shrinks)
{
	struct fake fk = { .count = NREPO, .max = 7 };

	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_whole(&w, wbuf);
	ck_assert_uint_eq(w.chunk, 4);
	fk = (struct fake){ .count = NREPO, .max = 1 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_whole(&w, wbuf);
	ck_assert_uint_eq(w.chunk, 1);
}
END_TEST

START_TEST(test_walk_short_answers)
{
	struct fake fk = { .count = NREPO, .shortest = 3 };

	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_whole(&w, wbuf);
}
END_TEST

START_TEST(test_walk_cancelled)
{
	/* the 4th Get SDR is in the body of the first record */
	struct fake fk = { .count = NREPO, .cancel_from = 4, .cancel_n = 1 };

	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_whole(&w, wbuf);
	ck_assert_uint_eq(w.reserves, 1);
	ck_assert_uint_eq(fk.resv, 2);
	/* five cancels are retried, the sixth fails */
	fk = (struct fake){ .count = NREPO, .cancel_from = 3, .cancel_n = 5 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_whole(&w, wbuf);
	fk = (struct fake){ .count = NREPO, .cancel_from = 3, .cancel_n = 6 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_E_CC);
	ck_assert_uint_eq(w.cc, IPMI_CC_RESERVATION);
	ck_assert_uint_eq(w.nrecords, 0);
}
END_TEST

START_TEST(test_walk_loop_and_runaway)
{
	struct fake fk = { .count = NREPO, .loop = 1 };

	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0),
	    IPMI_E_MALFORMED);
	ck_assert_uint_eq(w.nrecords, NREPO);
	ck_assert_str_eq(sdr_walk_state_name(w.state), "failed");
	ck_assert_str_eq(w.why, "the next-record chain loops back");

	fk = (struct fake){ .count = 3, .runaway = 1 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0),
	    IPMI_E_MALFORMED);
	ck_assert_uint_eq(w.nrecords, 3 + SDR_EXTRA_RECORDS);
	ck_assert_str_eq(w.why, "the next-record chain runs past the record "
	    "count");

	/* the hard cap holds whatever the count says */
	fk = (struct fake){ .count = 0xffff, .runaway = 1 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0),
	    IPMI_E_MALFORMED);
	ck_assert_uint_eq(w.nrecords, SDR_MAX_RECORDS);
	ck_assert_uint_eq(w.len, (size_t)SDR_MAX_RECORDS * 13);
}
END_TEST

START_TEST(test_walk_empty_and_info_only)
{
	struct fake fk = { .count = 0 };

	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	ck_assert_uint_eq(w.nrecords, 0);
	ck_assert_uint_eq(w.requests, 1);
	fk = (struct fake){ .count = 5, .empty_cb = 1 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	ck_assert_uint_eq(w.nrecords, 0);
	ck_assert_uint_eq(w.len, 0);
	fk = (struct fake){ .count = NREPO };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), SDR_WALK_INFO_ONLY),
	    IPMI_WALK_DONE);
	ck_assert_uint_eq(w.requests, 1);
	ck_assert_int_eq(w.have_info, 1);
	ck_assert_uint_eq(w.info.count, NREPO);
	ck_assert_uint_eq(fk.gets, 0);
}
END_TEST

START_TEST(test_walk_failures)
{
	struct fake fk = { .count = NREPO, .no_reserve = 1 };
	struct ipmi_req req;

	/* no Reserve SDR Repository: reservation 0 */
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0), IPMI_WALK_DONE);
	check_whole(&w, wbuf);
	/* answers without record bytes */
	fk = (struct fake){ .count = NREPO, .zero_data = 1 };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(wbuf), 0),
	    IPMI_E_MALFORMED);
	ck_assert_str_eq(w.why, "no data where its header belongs");
	/* not enough room: whole records kept */
	fk = (struct fake){ .count = NREPO };
	ck_assert_int_eq(walk(&fk, &w, wbuf, sizeof(rec_full) + 10, 0),
	    IPMI_E_NOSPACE);
	ck_assert_uint_eq(w.nrecords, 1);
	ck_assert_uint_eq(w.len, sizeof(rec_full));
	/* a failing info, a short info */
	sdr_walk_init(&w, wbuf, sizeof(wbuf), 0);
	ck_assert_int_eq(sdr_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_GET_SDR_REPO_INFO);
	ck_assert_int_eq(sdr_walk_feed(&w, IPMI_CC_INVALID_CMD, NULL, 0),
	    IPMI_E_CC);
	ck_assert_uint_eq(w.cc, IPMI_CC_INVALID_CMD);
	ck_assert_int_eq(sdr_walk_next(&w, &req), IPMI_E_CC);
	sdr_walk_init(&w, wbuf, sizeof(wbuf), 0);
	(void)sdr_walk_next(&w, &req);
	ck_assert_int_eq(sdr_walk_feed(&w, 0, (const uint8_t *)"\x51\x01", 2),
	    IPMI_E_SHORT);
	/* next() twice without an answer, feed() with no request */
	sdr_walk_init(&w, wbuf, sizeof(wbuf), 0);
	ck_assert_int_eq(sdr_walk_feed(&w, 0, NULL, 0), IPMI_E_INVAL);
	sdr_walk_init(&w, wbuf, sizeof(wbuf), 0);
	(void)sdr_walk_next(&w, &req);
	ck_assert_int_eq(sdr_walk_next(&w, &req), IPMI_E_INVAL);
}
END_TEST

START_TEST(test_walk_requests)
{
	struct ipmi_req req;
	static const uint8_t info[] = { 0x51, 0x01, 0x00, 0xff, 0xff, 0, 0, 0,
	    0, 0, 0, 0, 0, 0x02 };

	sdr_walk_init(&w, wbuf, sizeof(wbuf), 0);
	ck_assert_int_eq(sdr_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_int_eq(sdr_walk_feed(&w, 0, info, sizeof(info)), 0);
	ck_assert_int_eq(sdr_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_RESERVE_SDR_REPO);
	ck_assert_uint_eq(req.len, 0);
	ck_assert_int_eq(sdr_walk_feed(&w, 0, (const uint8_t *)"\x34\x12", 2),
	    0);
	/* the header first: 5 bytes at offset 0 of record 0000h */
	ck_assert_int_eq(sdr_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_GET_SDR);
	ck_assert_uint_eq(req.len, 6);
	ck_assert_mem_eq(req.data, "\x34\x12\x00\x00\x00\x05", 6);
	ck_assert_int_eq(sdr_walk_feed(&w, 0, (const uint8_t *)
	    "\x09\x00\x07\x00\x51\x12\x14", 7), 0);
	/* then the body in 16-byte chunks */
	ck_assert_int_eq(sdr_walk_next(&w, &req), IPMI_WALK_SEND);
	ck_assert_mem_eq(req.data, "\x34\x12\x00\x00\x05\x10", 6);
}
END_TEST


/* The one SDR repository key: direct mode's files and the collector's. */
START_TEST(test_repo_key)
{
	struct sdr_repo_id id = { 674, 256, 4, 5, { 1, 0xab, 0, 0xff }, 40,
	    1700000000u, 0 };
	char k[SDR_REPO_KEY_MAX];
	struct sdr_repo_id big = { 0xffffffffu, 0xffff, 0xff, 0xff,
	    { 0xff, 0xff, 0xff, 0xff }, 0xffff, 0xffffffffu, 0xffffffffu };

	sdr_repo_key(&id, k, sizeof(k));
	ck_assert_str_eq(k, "674:256:4.05:01ab00ff:40:1700000000:0");
	sdr_repo_key(&big, k, sizeof(k));
	ck_assert_uint_lt(strlen(k), SDR_REPO_KEY_MAX);
}
END_TEST

static Suite *
sdr_suite(void)
{
	Suite *s = suite_create("sdr");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_codecs);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_compact_and_expand);
	tcase_add_test(tc, test_iter);
	tcase_add_test(tc, test_event_only_and_locators);
	tcase_add_test(tc, test_id_strings);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_iterator);
	tcase_add_test(tc, test_walk_plain);
	tcase_add_test(tc, test_walk_shrinks);
	tcase_add_test(tc, test_walk_short_answers);
	tcase_add_test(tc, test_walk_cancelled);
	tcase_add_test(tc, test_walk_loop_and_runaway);
	tcase_add_test(tc, test_walk_empty_and_info_only);
	tcase_add_test(tc, test_walk_failures);
	tcase_add_test(tc, test_walk_requests);
	tcase_add_test(tc, test_repo_key);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sdr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
