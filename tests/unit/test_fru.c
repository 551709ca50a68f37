#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/fru.h"
#include "ipmi/ipmi.h"

/* --- an image builder: areas padded to 8 bytes with zero checksums ----- */

struct img {
	uint8_t	b[2048];
	size_t	n;
};

static void
put(struct img *m, const void *p, size_t n)
{
	ck_assert_uint_le(m->n + n, sizeof(m->b));
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
put8(struct img *m, uint8_t v)
{
	put(m, &v, 1);
}

/* A type/length byte (FRU spec 13) and its data. */
static void
field(struct img *m, int type, const void *p, size_t n)
{
	put8(m, (uint8_t)(type << 6 | n));
	put(m, p, n);
}

static void
text(struct img *m, const char *s)
{
	field(m, FRU_ENC_LATIN1, s, strlen(s));
}

static uint8_t
zsum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n-- > 0)
		s = (uint8_t)(s + *p++);
	return (uint8_t)-s;
}

/* C1h, pad so the checksum ends a multiple of 8, length, checksum. */
static void
area_end(struct img *m, size_t start)
{
	put8(m, 0xc1);
	while ((m->n + 1 - start) % 8 != 0)
		put8(m, 0);
	m->b[start + 1] = (uint8_t)((m->n + 1 - start) / 8);
	put8(m, zsum(m->b + start, m->n - start));
}

static void
header(struct img *m, uint8_t internal, uint8_t chassis, uint8_t board,
    uint8_t product, uint8_t mr)
{
	uint8_t h[8] = { 0x01, internal, chassis, board, product, mr, 0, 0 };

	h[7] = zsum(h, 7);
	memcpy(m->b, h, 8);
	if (m->n < 8)
		m->n = 8;
}

/* FRU spec 16.1: header with both checksums */
static void
record(struct img *m, uint8_t type, int eol, const uint8_t *d, uint8_t n)
{
	uint8_t h[5];

	h[0] = type;
	h[1] = (uint8_t)((eol ? 0x80 : 0) | 0x02);
	h[2] = n;
	h[3] = zsum(d, n);
	h[4] = zsum(h, 4);
	put(m, h, 5);
	put(m, d, n);
}

static int
has_problem(const struct fru *f, int area, int kind)
{
	size_t i;

	for (i = 0; i < f->nproblems; i++)
		if (f->problems[i].area == area && f->problems[i].kind == kind)
			return 1;
	return 0;
}

/*
 * A server's FRU as a vendor would write it:
 *   00h  common header
 *   08h  chassis (48 bytes): Rack Mount Chassis, part, serial, one custom
 *        field
 *   38h  board (56 bytes): English, made 2023-03-15 10:30 UTC,
 *        manufacturer, product, serial in BCD plus, part in 6-bit ASCII,
 *        file ID in binary, a Latin-1 custom field with accents
 *   70h  product (88 bytes): language 25 (English), all seven fields,
 *        asset tag empty, one custom field
 *   C8h  multirecord: power supply (5 + 24 bytes), DC output (5 + 13),
 *        OEM record (5 + 6, end of list); 258 bytes in all
 */
#define OFF_CHASSIS	0x08
#define OFF_BOARD	0x38
#define OFF_PRODUCT	0x70
#define OFF_MR		0xc8
static const uint8_t psu_rec[24] = {
	0x20, 0x03,		/* 800 W */
	0x84, 0x03,		/* 900 VA */
	0x32, 0x0a,		/* 50 A inrush for 10 ms */
	0x6c, 0x39,		/* 147.00 V */
	0x4c, 0x68,		/* 267.00 V */
	0x00, 0x00, 0x00, 0x00,	/* single range */
	47, 63,			/* Hz */
	20,			/* 20 ms dropout */
	0x0e,			/* hot swap, autoswitch, PFC */
	0x84, 0x13,		/* hold-up 1 s, peak 900 W */
	0x02,			/* 12 V and 5 V combined */
	0x58, 0x02,		/* 600 W combined */
	0x00,
};
static const uint8_t dc_rec[13] = {
	0x81,			/* standby, output 1 */
	0xb0, 0x04,		/* +12.00 V */
	0xc4, 0xff,		/* -0.60 V */
	0x3c, 0x00,		/* +0.60 V */
	0x78, 0x00,		/* 120 mV ripple */
	0x64, 0x00,		/* 100 mA */
	0x10, 0x27,		/* 10000 mA */
};
static const uint8_t oem_rec[6] = { 0x7c, 0x2a, 0x00, 0xde, 0xad, 0x01 };

static void
build_server(struct img *m)
{
	static const uint8_t bcd_serial[] = { 0x20, 0x23, 0xb0, 0x31, 0x5c,
	    0x70 };				/* "2023-0315.70" */
	static const uint8_t six_part[] = { 0xa1, 0x38, 0x92, 0xa5, 0x79,
	    0xa2 };				/* "ABCDEFGH" */
	static const uint8_t bin_id[] = { 0x01, 0xab };
	static const uint8_t mfg[] = { 0xd6, 0x4e, 0xda };	/* 14307030 */
	size_t a;

	memset(m, 0, sizeof(*m));
	m->n = 8;
	a = m->n;
	put8(m, 0x01);
	put8(m, 0);
	put8(m, 0x17);
	text(m, "CSE-819UTS-R1K02P");
	text(m, "C8190AB12N34567");
	text(m, "Rev A");
	area_end(m, a);
	ck_assert_uint_eq(m->n, OFF_BOARD);
	a = m->n;
	put8(m, 0x01);
	put8(m, 0);
	put8(m, 0x00);
	put(m, mfg, 3);
	text(m, "Supermicro");
	text(m, "X12DPU-6");
	field(m, FRU_ENC_BCDPLUS, bcd_serial, sizeof(bcd_serial));
	field(m, FRU_ENC_ASCII6, six_part, sizeof(six_part));
	field(m, FRU_ENC_BINARY, bin_id, sizeof(bin_id));
	text(m, "Caf\xe9 \xfc");
	area_end(m, a);
	ck_assert_uint_eq(m->n, OFF_PRODUCT);
	a = m->n;
	put8(m, 0x01);
	put8(m, 0);
	put8(m, 25);
	text(m, "Supermicro");
	text(m, "SYS-1029U-TRT");
	text(m, "SYS-1029U-TRT");
	text(m, "0123456789");
	text(m, "S314159265");
	field(m, FRU_ENC_LATIN1, "", 0);
	text(m, "fru-1.2");
	text(m, "custom:1");
	area_end(m, a);
	ck_assert_uint_eq(m->n, OFF_MR);
	record(m, FRU_MR_POWER_SUPPLY, 0, psu_rec, sizeof(psu_rec));
	record(m, FRU_MR_DC_OUTPUT, 0, dc_rec, sizeof(dc_rec));
	record(m, 0xc0, 1, oem_rec, sizeof(oem_rec));
	header(m, 0, OFF_CHASSIS / 8, OFF_BOARD / 8, OFF_PRODUCT / 8,
	    OFF_MR / 8);
}

/* --- codecs ----------------------------------------------------------- */

START_TEST(test_info_codec)
{
	static const uint8_t rsp[] = { 0x00, 0x04, 0x01 };
	struct ipmi_fru_info_rsp r, got;
	uint8_t out[8], id;
	struct buf b;
	size_t i;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_fru_info_req_encode(3, &b), 0);
	ck_assert_uint_eq(b.len, 1);
	ck_assert_uint_eq(out[0], 3);
	buf_init_read(&b, out, 1);
	ck_assert_int_eq(ipmi_fru_info_req_decode(&b, &id), 0);
	ck_assert_uint_eq(id, 3);

	buf_init_read(&b, rsp, sizeof(rsp));
	ck_assert_int_eq(ipmi_fru_info_rsp_decode(&b, &got), 0);
	ck_assert_uint_eq(got.size, 1024);
	ck_assert_int_eq(got.words, 1);
	r = got;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_fru_info_rsp_encode(&r, &b), 0);
	ck_assert_mem_eq(out, rsp, sizeof(rsp));
	for (i = 0; i < sizeof(rsp); i++) {
		buf_init_read(&b, rsp, i);
		ck_assert_int_eq(ipmi_fru_info_rsp_decode(&b, &got),
		    IPMI_E_SHORT);
	}
	buf_init_write(&b, out, 2);
	ck_assert_int_eq(ipmi_fru_info_rsp_encode(&r, &b), IPMI_E_NOSPACE);
}
END_TEST

START_TEST(test_read_codec)
{
	static const uint8_t req[] = { 0x00, 0x20, 0x01, 0x10 };
	static const uint8_t rsp[] = { 0x03, 0xaa, 0xbb, 0xcc };
	struct ipmi_fru_read_req q = { 0, 0x120, 0x10 }, gq;
	struct ipmi_fru_read_rsp r;
	uint8_t out[8];
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_fru_read_req_encode(&q, &b), 0);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_mem_eq(out, req, 4);
	buf_init_read(&b, req, 4);
	ck_assert_int_eq(ipmi_fru_read_req_decode(&b, &gq), 0);
	ck_assert_uint_eq(gq.offset, 0x120);
	ck_assert_uint_eq(gq.count, 0x10);
	buf_init_read(&b, req, 3);
	ck_assert_int_eq(ipmi_fru_read_req_decode(&b, &gq), IPMI_E_SHORT);

	buf_init_read(&b, rsp, sizeof(rsp));
	ck_assert_int_eq(ipmi_fru_read_rsp_decode(&b, &r), 0);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_uint_eq(r.len, 3);
	ck_assert_ptr_eq(r.data, rsp + 1);
	ck_assert_uint_eq(buf_left(&b), 0);
	/* a count the data does not back: len says what came */
	buf_init_read(&b, rsp, 2);
	ck_assert_int_eq(ipmi_fru_read_rsp_decode(&b, &r), 0);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_uint_eq(r.len, 1);
	buf_init_read(&b, rsp, 0);
	ck_assert_int_eq(ipmi_fru_read_rsp_decode(&b, &r), IPMI_E_SHORT);
	buf_init_write(&b, out, sizeof(out));
	r.count = 3;
	r.data = rsp + 1;
	r.len = 3;
	ck_assert_int_eq(ipmi_fru_read_rsp_encode(&r, &b), 0);
	ck_assert_mem_eq(out, rsp, sizeof(rsp));
}
END_TEST

/* --- the decoder ------------------------------------------------------ */

START_TEST(test_decode_server)
{
	static struct img m;
	static struct fru f;

	build_server(&m);
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_uint_eq(f.nproblems, 0);
	ck_assert_uint_eq(f.version, 1);
	ck_assert_uint_eq(f.off_chassis, OFF_CHASSIS);
	ck_assert_uint_eq(f.off_board, OFF_BOARD);
	ck_assert_uint_eq(f.off_product, OFF_PRODUCT);
	ck_assert_uint_eq(f.off_mr, OFF_MR);
	ck_assert_uint_eq(f.off_internal, 0);

	ck_assert_int_eq(f.chassis.present, 1);
	ck_assert_uint_eq(f.chassis.type, 0x17);
	ck_assert_str_eq(fru_chassis_type_name(f.chassis.type),
	    "Rack Mount Chassis");
	ck_assert_str_eq(f.chassis.part.text, "CSE-819UTS-R1K02P");
	ck_assert_str_eq(f.chassis.serial.text, "C8190AB12N34567");
	ck_assert_uint_eq(f.chassis.ncustom, 1);
	ck_assert_str_eq(f.chassis.custom[0].text, "Rev A");

	ck_assert_int_eq(f.board.present, 1);
	ck_assert_uint_eq(f.board.lang, 0);
	ck_assert_int_eq(f.board.has_mfg_time, 1);
	ck_assert_uint_eq(f.board.mfg_minutes, 14307030);
	ck_assert_int_eq((long long)f.board.mfg_time, 1678876200LL);
	ck_assert_str_eq(f.board.mfr.text, "Supermicro");
	ck_assert_str_eq(f.board.product.text, "X12DPU-6");
	ck_assert_str_eq(f.board.serial.text, "2023-0315.70");
	ck_assert_uint_eq(f.board.serial.enc, FRU_ENC_BCDPLUS);
	ck_assert_str_eq(f.board.part.text, "ABCDEFGH");
	ck_assert_uint_eq(f.board.part.enc, FRU_ENC_ASCII6);
	ck_assert_uint_eq(f.board.part.len, 6);
	ck_assert_str_eq(f.board.file_id.text, "01ab");
	ck_assert_uint_eq(f.board.ncustom, 1);
	ck_assert_str_eq(f.board.custom[0].text, "Caf\xc3\xa9 \xc3\xbc");

	ck_assert_int_eq(f.product.present, 1);
	ck_assert_uint_eq(f.product.lang, 25);
	ck_assert_int_eq(fru_lang_english(f.product.lang), 1);
	ck_assert_str_eq(f.product.mfr.text, "Supermicro");
	ck_assert_str_eq(f.product.name.text, "SYS-1029U-TRT");
	ck_assert_str_eq(f.product.part.text, "SYS-1029U-TRT");
	ck_assert_str_eq(f.product.version.text, "0123456789");
	ck_assert_str_eq(f.product.serial.text, "S314159265");
	ck_assert_int_eq(f.product.asset_tag.present, 1);
	ck_assert_str_eq(f.product.asset_tag.text, "");
	ck_assert_str_eq(f.product.file_id.text, "fru-1.2");
	ck_assert_uint_eq(f.product.ncustom, 1);
	ck_assert_str_eq(f.product.custom[0].text, "custom:1");

	ck_assert_uint_eq(f.nmr, 3);
	ck_assert_uint_eq(f.mr[0].type, FRU_MR_POWER_SUPPLY);
	ck_assert_str_eq(fru_mr_type_name(f.mr[0].type),
	    "Power Supply Information");
	ck_assert_int_eq(f.mr[0].typed, 1);
	ck_assert_int_eq(f.mr[0].hdr_ok, 1);
	ck_assert_int_eq(f.mr[0].data_ok, 1);
	ck_assert_uint_eq(f.mr[0].version, 2);
	ck_assert_uint_eq(f.mr[0].offset, OFF_MR);
	ck_assert_uint_eq(f.mr[0].u.psu.capacity_w, 800);
	ck_assert_uint_eq(f.mr[0].u.psu.peak_va, 900);
	ck_assert_uint_eq(f.mr[0].u.psu.inrush_a, 50);
	ck_assert_uint_eq(f.mr[0].u.psu.inrush_ms, 10);
	ck_assert_uint_eq(f.mr[0].u.psu.low1_10mv, 14700);
	ck_assert_uint_eq(f.mr[0].u.psu.high1_10mv, 26700);
	ck_assert_uint_eq(f.mr[0].u.psu.low2_10mv, 0);
	ck_assert_uint_eq(f.mr[0].u.psu.low_hz, 47);
	ck_assert_uint_eq(f.mr[0].u.psu.high_hz, 63);
	ck_assert_uint_eq(f.mr[0].u.psu.dropout_ms, 20);
	ck_assert_uint_eq(f.mr[0].u.psu.flags, FRU_PSU_HOT_SWAP |
	    FRU_PSU_AUTOSWITCH | FRU_PSU_PFC);
	ck_assert_uint_eq(f.mr[0].u.psu.holdup_s, 1);
	ck_assert_uint_eq(f.mr[0].u.psu.peak_w, 900);
	ck_assert_uint_eq(f.mr[0].u.psu.combined_v1, 0);
	ck_assert_uint_eq(f.mr[0].u.psu.combined_v2, 2);
	ck_assert_uint_eq(f.mr[0].u.psu.combined_w, 600);
	ck_assert_uint_eq(f.mr[1].type, FRU_MR_DC_OUTPUT);
	ck_assert_int_eq(f.mr[1].typed, 1);
	ck_assert_int_eq(f.mr[1].u.dcout.standby, 1);
	ck_assert_uint_eq(f.mr[1].u.dcout.output, 1);
	ck_assert_int_eq(f.mr[1].u.dcout.nominal_10mv, 1200);
	ck_assert_int_eq(f.mr[1].u.dcout.neg_dev_10mv, -60);
	ck_assert_int_eq(f.mr[1].u.dcout.pos_dev_10mv, 60);
	ck_assert_uint_eq(f.mr[1].u.dcout.ripple_mv, 120);
	ck_assert_uint_eq(f.mr[1].u.dcout.min_ma, 100);
	ck_assert_uint_eq(f.mr[1].u.dcout.max_ma, 10000);
	ck_assert_int_eq(f.mr[1].eol, 0);
	ck_assert_uint_eq(f.mr[2].type, 0xc0);
	ck_assert_str_eq(fru_mr_type_name(0xc0), "OEM");
	ck_assert_int_eq(f.mr[2].typed, 0);
	ck_assert_int_eq(f.mr[2].eol, 1);
	ck_assert_uint_eq(f.mr[2].dlen, 6);
	ck_assert_mem_eq(f.mr[2].data, oem_rec, 6);
}
END_TEST

/* One field in a product area, decoded. */
static void
one_field(const uint8_t *tl_and_data, size_t n, struct fru *f)
{
	struct img m;
	size_t a;

	memset(&m, 0, sizeof(m));
	m.n = 8;
	a = m.n;
	put8(&m, 1);
	put8(&m, 0);
	put8(&m, 0);
	put(&m, tl_and_data, n);
	area_end(&m, a);
	header(&m, 0, 0, 0, 1, 0);
	ck_assert_int_eq(fru_decode(m.b, m.n, f), 0);
	ck_assert_uint_eq(f->nproblems, 0);
	ck_assert_int_eq(f->product.mfr.present, 1);
}

START_TEST(test_encodings)
{
	/* FRU spec 13: "IPMI" packed in 6 bits */
	static const uint8_t six[] = { 0x83, 0x29, 0xdc, 0xa6 };
	/* BCD plus: every code, reserved ones included */
	static const uint8_t bcd[] = { 0x48, 0x01, 0x23, 0x45, 0x67, 0x89,
	    0xab, 0xcd, 0xef };
	static const uint8_t bin[] = { 0x03, 0x00, 0x7f, 0xff };
	/* Latin-1 with a control character, then a NUL ends the text */
	static const uint8_t lat[] = { 0xc7, 'a', 0xe9, 0x01, 0xa0, 0x00,
	    'x', 'y' };
	static const uint8_t c1[] = { 0xc3, 0x80, 0x9f, 0xff };
	/* 4 bytes of 6-bit ASCII: 5 characters and 2 bits to spare */
	static const uint8_t six5[] = { 0x84, 0x41, 0x10, 0x04, 0x01 };
	static struct fru f;

	one_field(six, sizeof(six), &f);
	ck_assert_str_eq(f.product.mfr.text, "IPMI");
	ck_assert_uint_eq(f.product.mfr.enc, FRU_ENC_ASCII6);
	one_field(bcd, sizeof(bcd), &f);
	ck_assert_str_eq(f.product.mfr.text, "0123456789 -.???");
	one_field(bin, sizeof(bin), &f);
	ck_assert_str_eq(f.product.mfr.text, "007fff");
	one_field(lat, sizeof(lat), &f);
	ck_assert_str_eq(f.product.mfr.text, "a\xc3\xa9?\xc2\xa0");
	ck_assert_uint_eq(f.product.mfr.len, 7);
	one_field(c1, sizeof(c1), &f);
	ck_assert_str_eq(f.product.mfr.text, "??\xc3\xbf");
	one_field(six5, sizeof(six5), &f);
	ck_assert_uint_eq(strlen(f.product.mfr.text), 5);
	ck_assert_str_eq(f.product.mfr.text, "!!!!!");
}
END_TEST

/* The longest field of each encoding fits without truncation. */
START_TEST(test_longest_fields)
{
	static uint8_t fld[64];
	static struct fru f;
	int t;

	for (t = 0; t < 4; t++) {
		fld[0] = (uint8_t)(t << 6 | 63);
		memset(fld + 1, t == 3 ? 0xe9 : 0xff, 63);
		one_field(fld, sizeof(fld), &f);
		ck_assert_int_eq(f.product.mfr.truncated, 0);
		ck_assert_uint_eq(strlen(f.product.mfr.text),
		    t == 2 ? 84 : 126);
	}
}
END_TEST

START_TEST(test_blank_and_short)
{
	static uint8_t ff[256], zero[256];
	static struct fru f;
	static struct img m;

	memset(ff, 0xff, sizeof(ff));
	ck_assert_int_eq(fru_decode(ff, sizeof(ff), &f), IPMI_E_MALFORMED);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_HEADER, FRU_PROB_VERSION), 1);
	ck_assert_int_eq(fru_decode(zero, sizeof(zero), &f), IPMI_E_MALFORMED);
	build_server(&m);
	ck_assert_int_eq(fru_decode(m.b, 7, &f), IPMI_E_SHORT);
	ck_assert_int_eq(fru_decode(m.b, 0, &f), IPMI_E_SHORT);
	/* a header alone: areas past the end, each said once */
	ck_assert_int_eq(fru_decode(m.b, 8, &f), 0);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_CHASSIS, FRU_PROB_OFFSET), 1);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_BOARD, FRU_PROB_OFFSET), 1);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_PRODUCT, FRU_PROB_OFFSET), 1);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_MULTIRECORD,
	    FRU_PROB_OFFSET), 1);
	ck_assert_uint_eq(f.nproblems, 4);
}
END_TEST

START_TEST(test_bad_header_checksum)
{
	static struct img m;
	static struct fru f;

	build_server(&m);
	m.b[7] ^= 0x01;
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_HEADER, FRU_PROB_CHECKSUM),
	    1);
	ck_assert_uint_eq(f.nproblems, 1);
	/* the fields still read */
	ck_assert_str_eq(f.product.serial.text, "S314159265");
	ck_assert_uint_eq(f.nmr, 3);
}
END_TEST

START_TEST(test_bad_area_checksum)
{
	static struct img m;
	static struct fru f;

	build_server(&m);
	m.b[OFF_PRODUCT - 1] ^= 0x10;	/* board area checksum */
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_uint_eq(f.nproblems, 1);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_BOARD, FRU_PROB_CHECKSUM), 1);
	ck_assert_uint_eq(f.problems[0].offset, OFF_PRODUCT - 1);
	ck_assert_str_eq(f.board.mfr.text, "Supermicro");
	ck_assert_str_eq(f.board.custom[0].text, "Caf\xc3\xa9 \xc3\xbc");
	ck_assert_str_eq(fru_problem_str(f.problems[0].kind),
	    "checksum mismatch");
	ck_assert_str_eq(fru_area_name(f.problems[0].area), "board info area");
}
END_TEST

START_TEST(test_area_offset_past_end)
{
	static struct img m;
	static struct fru f;

	build_server(&m);
	m.b[4] = 0xf0;			/* product at F00h */
	m.b[7] = 0;
	m.b[7] = zsum(m.b, 7);
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_PRODUCT, FRU_PROB_OFFSET), 1);
	ck_assert_int_eq(f.product.present, 0);
	ck_assert_str_eq(f.board.mfr.text, "Supermicro");
	ck_assert_uint_eq(f.nmr, 3);
}
END_TEST

START_TEST(test_field_past_area_end)
{
	static struct img m;
	static struct fru f;

	build_server(&m);
	/* the chassis serial, after the 17-byte part number, claims 63 */
	ck_assert_uint_eq(m.b[OFF_CHASSIS + 3 + 1 + 17], 0xcf);
	m.b[OFF_CHASSIS + 3 + 1 + 17] = 0xff;
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_CHASSIS, FRU_PROB_FIELD), 1);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_CHASSIS,
	    FRU_PROB_CHECKSUM), 1);
	ck_assert_str_eq(f.chassis.part.text, "CSE-819UTS-R1K02P");
	ck_assert_int_eq(f.chassis.serial.present, 0);
	ck_assert_uint_eq(f.chassis.ncustom, 0);
	ck_assert_str_eq(f.board.mfr.text, "Supermicro");
}
END_TEST

START_TEST(test_area_length_zero)
{
	static struct img m;
	static struct fru f;

	build_server(&m);
	m.b[OFF_BOARD + 1] = 0;		/* board area length */
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_BOARD, FRU_PROB_LENGTH), 1);
	ck_assert_int_eq(f.board.present, 0);
	ck_assert_str_eq(f.product.name.text, "SYS-1029U-TRT");
}
END_TEST

START_TEST(test_no_end_marker)
{
	static struct fru f;
	struct img m;
	size_t a;

	/* a product area of fields only, no C1h, no room for it */
	memset(&m, 0, sizeof(m));
	m.n = 8;
	a = m.n;
	put8(&m, 1);
	put8(&m, 2);
	put8(&m, 0);
	text(&m, "ACME");
	text(&m, "Box");
	put8(&m, 0);
	put8(&m, 0);
	put8(&m, 0);
	put8(&m, zsum(m.b + a, m.n - a));
	ck_assert_uint_eq(m.n - a, 16);
	header(&m, 0, 0, 0, 1, 0);
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_str_eq(f.product.mfr.text, "ACME");
	ck_assert_str_eq(f.product.name.text, "Box");
	/* three empty binary fields, then the checksum ends the area */
	ck_assert_int_eq(has_problem(&f, FRU_AREA_PRODUCT, FRU_PROB_NO_END),
	    1);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_PRODUCT, FRU_PROB_CHECKSUM),
	    0);
}
END_TEST

START_TEST(test_too_many_custom)
{
	static struct fru f;
	static struct img m;
	size_t a, i;

	memset(&m, 0, sizeof(m));
	m.n = 8;
	a = m.n;
	put8(&m, 1);
	put8(&m, 0);
	put8(&m, 0x11);
	/* not "P": a one-byte 8-bit field would be C1h, the end mark */
	text(&m, "PN");
	text(&m, "SN");
	for (i = 0; i < FRU_CUSTOM_MAX + 3; i++)
		text(&m, "cf");
	area_end(&m, a);
	header(&m, 0, 1, 0, 0, 0);
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_uint_eq(f.chassis.ncustom, FRU_CUSTOM_MAX);
	ck_assert_uint_eq(f.nproblems, 1);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_CHASSIS, FRU_PROB_TOO_MANY),
	    1);
	ck_assert_str_eq(fru_chassis_type_name(0x11), "Main Server Chassis");
	ck_assert_str_eq(fru_chassis_type_name(0x00), "Unspecified");
	ck_assert_str_eq(fru_chassis_type_name(0x24), "Stick PC");
	ck_assert_str_eq(fru_chassis_type_name(0x25), "Unknown");
}
END_TEST

/* Every prefix of the image decodes without reading past it. */
START_TEST(test_truncated_image)
{
	static struct img m;
	static struct fru f;
	uint8_t *p;
	size_t n;

	build_server(&m);
	for (n = 0; n <= m.n; n++) {
		/* exactly n bytes, so ASan sees an over-read */
		p = malloc(n ? n : 1);
		ck_assert_ptr_nonnull(p);
		memcpy(p, m.b, n);
		if (n < 8)
			ck_assert_int_eq(fru_decode(p, n, &f), IPMI_E_SHORT);
		else
			ck_assert_int_eq(fru_decode(p, n, &f), 0);
		free(p);
	}
	/* cut inside the board area, just after the serial number */
	ck_assert_int_eq(fru_decode(m.b, OFF_BOARD + 0x21, &f), 0);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_BOARD, FRU_PROB_TRUNCATED),
	    1);
	ck_assert_str_eq(f.board.mfr.text, "Supermicro");
	ck_assert_str_eq(f.board.product.text, "X12DPU-6");
	ck_assert_str_eq(f.board.serial.text, "2023-0315.70");
	ck_assert_int_eq(f.board.part.present, 0);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_BOARD, FRU_PROB_NO_END), 1);
	/* one byte earlier, the serial number runs past the data */
	ck_assert_int_eq(fru_decode(m.b, OFF_BOARD + 0x20, &f), 0);
	ck_assert_int_eq(f.board.serial.present, 0);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_BOARD, FRU_PROB_FIELD), 1);
	ck_assert_int_eq(fru_decode(m.b, OFF_BOARD + 0x21, &f), 0);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_PRODUCT, FRU_PROB_OFFSET),
	    1);
	ck_assert_str_eq(f.chassis.serial.text, "C8190AB12N34567");
	/* cut inside the DC output record */
	ck_assert_int_eq(fru_decode(m.b, OFF_MR + 29 + 8, &f), 0);
	ck_assert_uint_eq(f.nmr, 2);
	ck_assert_int_eq(f.mr[0].typed, 1);
	ck_assert_int_eq(f.mr[1].typed, 0);
	ck_assert_uint_eq(f.mr[1].dlen, 3);
	ck_assert_int_eq(f.mr[1].data_ok, 0);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_MULTIRECORD,
	    FRU_PROB_RECORD_LEN), 1);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_MULTIRECORD,
	    FRU_PROB_RECORD_SHORT), 1);
}
END_TEST

START_TEST(test_multirecord_problems)
{
	static struct img m;
	static struct fru f;
	size_t dc;

	/* no end-of-list: the data ends after the DC output record */
	build_server(&m);
	dc = OFF_MR + 5 + sizeof(psu_rec);
	ck_assert_int_eq(fru_decode(m.b, dc + 5 + sizeof(dc_rec), &f), 0);
	ck_assert_uint_eq(f.nmr, 2);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_MULTIRECORD,
	    FRU_PROB_NO_EOL), 1);

	/* a bad record checksum: kept, flagged, the walk goes on */
	build_server(&m);
	m.b[OFF_MR + 5] ^= 0x01;
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_uint_eq(f.nmr, 3);
	ck_assert_int_eq(f.mr[0].data_ok, 0);
	ck_assert_int_eq(f.mr[0].typed, 1);
	ck_assert_int_eq(f.mr[1].data_ok, 1);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_MULTIRECORD,
	    FRU_PROB_RECORD), 1);

	/* a bad header checksum: its length cannot be trusted, walk stops */
	build_server(&m);
	m.b[dc + 2] ^= 0x40;
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_uint_eq(f.nmr, 1);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_MULTIRECORD,
	    FRU_PROB_RECORD_HDR), 1);

	/* a record version other than 2 */
	build_server(&m);
	m.b[dc + 1] = 0x03;
	m.b[dc + 4] = 0;
	m.b[dc + 4] = zsum(m.b + dc, 4);
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_uint_eq(f.nmr, 3);
	ck_assert_uint_eq(f.mr[1].version, 3);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_MULTIRECORD,
	    FRU_PROB_VERSION), 1);
}
END_TEST

START_TEST(test_multirecord_many)
{
	static struct img m;
	static struct fru f;
	static const uint8_t d[1] = { 0x5a };
	size_t i;

	memset(&m, 0, sizeof(m));
	m.n = 8;
	for (i = 0; i < FRU_MR_MAX + 5; i++)
		record(&m, 0xd0, i == FRU_MR_MAX + 4, d, 1);
	header(&m, 0, 0, 0, 0, 1);
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_uint_eq(f.nmr, FRU_MR_MAX);
	ck_assert_uint_eq(f.nproblems, 1);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_MULTIRECORD,
	    FRU_PROB_TOO_MANY), 1);
	/* a short power supply record stays raw */
	memset(&m, 0, sizeof(m));
	m.n = 8;
	record(&m, FRU_MR_POWER_SUPPLY, 1, psu_rec, 10);
	header(&m, 0, 0, 0, 0, 1);
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_uint_eq(f.nmr, 1);
	ck_assert_int_eq(f.mr[0].typed, 0);
	ck_assert_int_eq(has_problem(&f, FRU_AREA_MULTIRECORD,
	    FRU_PROB_RECORD_SHORT), 1);
}
END_TEST

START_TEST(test_mfg_time_unspecified)
{
	static struct img m;
	static struct fru f;

	build_server(&m);
	m.b[OFF_BOARD + 3] = m.b[OFF_BOARD + 4] = m.b[OFF_BOARD + 5] = 0;
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_int_eq(f.board.has_mfg_time, 0);
	ck_assert_int_eq((long long)f.board.mfg_time, 0);
	/* the edited bytes broke the checksum: said, fields kept */
	ck_assert_int_eq(has_problem(&f, FRU_AREA_BOARD, FRU_PROB_CHECKSUM), 1);
	/* one minute: 1996-01-01 00:01 UTC */
	m.b[OFF_BOARD + 3] = 1;
	ck_assert_int_eq(fru_decode(m.b, m.n, &f), 0);
	ck_assert_int_eq((long long)f.board.mfg_time, 820454460LL);
}
END_TEST

/* --- the reader, against a scripted BMC ------------------------------- */

struct fake {
	const uint8_t	*img;
	size_t		 size;		/* area size it reports */
	int		 words;
	size_t		 max;		/* largest answer, in bytes */
	uint8_t		 big_cc;	/* cc for requests over max */
	int		 short_answers;	/* answer max bytes, not refuse */
	int		 zero_at;	/* request number to answer empty */
	int		 busy;		/* answer FRU busy this many times */
	uint8_t		 info_cc;
	int		 bogus_count;	/* claim 255 in the count byte */
	unsigned	 reads;
	unsigned	 refusals;
	size_t		 largest;	/* largest count asked, bytes */
};

static uint8_t
fake_answer(struct fake *fk, const struct ipmi_req *req, uint8_t *out,
    size_t *len)
{
	struct ipmi_fru_read_req rq;
	struct buf b;
	size_t off, n, unit = fk->words ? 2 : 1;

	ck_assert_uint_eq(req->netfn, IPMI_NETFN_STORAGE);
	*len = 0;
	if (req->cmd == IPMI_CMD_GET_FRU_INFO) {
		ck_assert_uint_eq(req->len, 1);
		if (fk->info_cc)
			return fk->info_cc;
		out[0] = (uint8_t)(fk->size & 0xff);
		out[1] = (uint8_t)(fk->size >> 8);
		out[2] = fk->words ? 1 : 0;
		*len = 3;
		return 0;
	}
	ck_assert_uint_eq(req->cmd, IPMI_CMD_READ_FRU);
	buf_init_read(&b, req->data, req->len);
	ck_assert_int_eq(ipmi_fru_read_req_decode(&b, &rq), 0);
	fk->reads++;
	if (fk->busy > 0) {
		fk->busy--;
		return IPMI_CC_FRU_BUSY;
	}
	off = rq.offset * unit;
	n = rq.count * unit;
	if (n > fk->largest)
		fk->largest = n;
	ck_assert_uint_gt(n, 0);
	if (fk->zero_at && (int)fk->reads == fk->zero_at) {
		out[0] = 0;
		*len = 1;
		return 0;
	}
	if (n > fk->max) {
		if (!fk->short_answers) {
			fk->refusals++;
			return fk->big_cc;
		}
		n = fk->max;
	}
	/* a word device answers whole words, past an odd size too */
	ck_assert_uint_le(off + n, fk->size + unit - 1);
	if (off + n > fk->size && !fk->words)
		n = fk->size - off;
	out[0] = fk->bogus_count ? 0xff : (uint8_t)(n / unit);
	memcpy(out + 1, fk->img + off, n);
	*len = 1 + n;
	return 0;
}

/* Walk to the end; returns the last rc. */
static int
fake_walk(struct fake *fk, struct fru_read *r, uint8_t *buf, size_t cap)
{
	struct ipmi_req req;
	uint8_t ans[300];
	size_t alen;
	uint8_t cc;
	int rc, guard = 0;

	fru_read_init(r, 0, buf, cap);
	while ((rc = fru_read_next(r, &req)) == IPMI_WALK_SEND) {
		ck_assert_int_lt(guard++, 100000);
		cc = fake_answer(fk, &req, ans, &alen);
		if ((rc = fru_read_feed(r, cc, ans, alen)) < 0)
			return rc;
	}
	return rc;
}

START_TEST(test_reader_plain)
{
	static struct img m;
	static uint8_t buf[FRU_IMAGE_MAX];
	struct fake fk;
	struct fru_read r;
	static struct fru f;

	build_server(&m);
	memset(&fk, 0, sizeof(fk));
	fk.img = m.b;
	fk.size = m.n;
	fk.max = 255;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_WALK_DONE);
	ck_assert_uint_eq(r.len, m.n);
	ck_assert_mem_eq(buf, m.b, m.n);
	ck_assert_int_eq(r.truncated, 0);
	ck_assert_uint_eq(fk.largest, FRU_READ_CHUNK);
	ck_assert_uint_eq(fk.reads, (m.n + FRU_READ_CHUNK - 1) / FRU_READ_CHUNK);
	ck_assert_int_eq(fru_decode(buf, r.len, &f), 0);
	ck_assert_str_eq(f.product.serial.text, "S314159265");
	/* after DONE, next keeps saying DONE; feed is refused */
	ck_assert_int_eq(fru_read_next(&r, NULL), IPMI_WALK_DONE);
}
END_TEST

START_TEST(test_reader_shrinks)
{
	static const uint8_t ccs[] = { IPMI_CC_CANT_RETURN, IPMI_CC_REQ_LEN,
	    IPMI_CC_REQ_TOO_LONG, IPMI_CC_UNSPECIFIED };
	static struct img m;
	static uint8_t buf[4096];
	struct fake fk;
	struct fru_read r;
	size_t i;

	build_server(&m);
	for (i = 0; i < sizeof(ccs); i++) {
		memset(&fk, 0, sizeof(fk));
		fk.img = m.b;
		fk.size = m.n;
		fk.max = 20;
		fk.big_cc = ccs[i];
		ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)),
		    IPMI_WALK_DONE);
		ck_assert_uint_eq(r.len, m.n);
		ck_assert_mem_eq(buf, m.b, m.n);
		/* 32 refused, 24 refused, 16 kept */
		ck_assert_uint_eq(fk.refusals, 2);
		ck_assert_uint_eq(r.chunk, 16);
		ck_assert_uint_eq(r.retries, 2);
	}
	/* down to a byte at a time */
	memset(&fk, 0, sizeof(fk));
	fk.img = m.b;
	fk.size = 40;
	fk.max = 1;
	fk.big_cc = IPMI_CC_CANT_RETURN;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_WALK_DONE);
	ck_assert_uint_eq(r.len, 40);
	ck_assert_mem_eq(buf, m.b, 40);
	ck_assert_uint_eq(r.chunk, 1);
	/* refusing even one byte fails with the code */
	fk.max = 0;
	fk.refusals = 0;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_E_CC);
	ck_assert_uint_eq(r.cc, IPMI_CC_CANT_RETURN);
	ck_assert_int_eq(r.state, FRU_READ_FAILED);
	ck_assert_uint_le(fk.refusals, FRU_READ_RETRIES);
	ck_assert_int_eq(fru_read_next(&r, NULL), IPMI_E_CC);
}
END_TEST

START_TEST(test_reader_short_answers)
{
	static struct img m;
	static uint8_t buf[4096];
	struct fake fk;
	struct fru_read r;

	build_server(&m);
	memset(&fk, 0, sizeof(fk));
	fk.img = m.b;
	fk.size = m.n;
	fk.max = 10;
	fk.short_answers = 1;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_WALK_DONE);
	ck_assert_uint_eq(r.len, m.n);
	ck_assert_mem_eq(buf, m.b, m.n);
	ck_assert_uint_eq(r.chunk, 10);
	ck_assert_uint_eq(r.retries, 0);
	/* a count byte that claims more than came: what came counts */
	memset(&fk, 0, sizeof(fk));
	fk.img = m.b;
	fk.size = m.n;
	fk.max = 255;
	fk.bogus_count = 1;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_WALK_DONE);
	ck_assert_mem_eq(buf, m.b, m.n);
}
END_TEST

START_TEST(test_reader_zero_length)
{
	static struct img m;
	static uint8_t buf[4096];
	struct fake fk;
	struct fru_read r;

	build_server(&m);
	memset(&fk, 0, sizeof(fk));
	fk.img = m.b;
	fk.size = m.n;
	fk.max = 255;
	fk.zero_at = 3;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)),
	    IPMI_E_MALFORMED);
	ck_assert_uint_eq(fk.reads, 3);
	ck_assert_uint_eq(r.len, 2 * FRU_READ_CHUNK);
	/* and no data at all, not even the count */
	fru_read_init(&r, 0, buf, sizeof(buf));
	r.state = FRU_READ_INFO;
	{
		struct ipmi_req req;
		static const uint8_t info[] = { 0x00, 0x01, 0x00 };

		ck_assert_int_eq(fru_read_next(&r, &req), IPMI_WALK_SEND);
		ck_assert_int_eq(fru_read_feed(&r, 0, info, 3), 0);
		ck_assert_int_eq(fru_read_next(&r, &req), IPMI_WALK_SEND);
		ck_assert_int_eq(fru_read_feed(&r, 0, NULL, 0), IPMI_E_SHORT);
		ck_assert_int_eq(fru_read_next(&r, &req), IPMI_E_SHORT);
	}
}
END_TEST

START_TEST(test_reader_words)
{
	static struct img m;
	static uint8_t buf[4096];
	struct fake fk;
	struct fru_read r;

	build_server(&m);
	memset(&fk, 0, sizeof(fk));
	fk.img = m.b;
	fk.size = m.n - 1;	/* odd: the last word brings one byte too many */
	fk.words = 1;
	fk.max = 255;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_WALK_DONE);
	ck_assert_int_eq(r.words, 1);
	ck_assert_uint_eq(r.len, m.n - 1);
	ck_assert_mem_eq(buf, m.b, m.n - 1);
	ck_assert_uint_eq(fk.largest, FRU_READ_CHUNK);
	/* and shrinking keeps whole words */
	memset(&fk, 0, sizeof(fk));
	fk.img = m.b;
	fk.size = m.n;
	fk.words = 1;
	fk.max = 7;
	fk.big_cc = IPMI_CC_CANT_RETURN;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_WALK_DONE);
	ck_assert_mem_eq(buf, m.b, m.n);
	ck_assert_uint_eq(r.chunk, 4);
	/* a word device answering short keeps the offset on a word */
	memset(&fk, 0, sizeof(fk));
	fk.img = m.b;
	fk.size = m.n;
	fk.words = 1;
	fk.max = 6;
	fk.short_answers = 1;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_WALK_DONE);
	ck_assert_mem_eq(buf, m.b, m.n);
	ck_assert_uint_eq(r.chunk, 6);
}
END_TEST

START_TEST(test_reader_busy_and_limits)
{
	static struct img m;
	static uint8_t buf[64];
	struct fake fk;
	struct fru_read r;
	struct ipmi_req req;

	build_server(&m);
	/* busy a few times: retried */
	memset(&fk, 0, sizeof(fk));
	fk.img = m.b;
	fk.size = m.n;
	fk.max = 255;
	fk.busy = 3;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_WALK_DONE);
	ck_assert_uint_eq(r.retries, 3);
	/* an area larger than the buffer: read what fits, say so */
	ck_assert_uint_eq(r.len, sizeof(buf));
	ck_assert_int_eq(r.truncated, 1);
	ck_assert_uint_eq(r.area_size, m.n);
	ck_assert_mem_eq(buf, m.b, sizeof(buf));
	/* busy forever: bounded */
	memset(&fk, 0, sizeof(fk));
	fk.img = m.b;
	fk.size = m.n;
	fk.max = 255;
	fk.busy = 1000;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_E_CC);
	ck_assert_uint_eq(r.cc, IPMI_CC_FRU_BUSY);
	ck_assert_uint_eq(fk.reads, FRU_READ_RETRIES + 1);
	/* area info refused */
	memset(&fk, 0, sizeof(fk));
	fk.info_cc = IPMI_CC_NOT_PRESENT;
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_E_CC);
	ck_assert_uint_eq(r.cc, IPMI_CC_NOT_PRESENT);
	/* an empty device */
	memset(&fk, 0, sizeof(fk));
	ck_assert_int_eq(fake_walk(&fk, &r, buf, sizeof(buf)), IPMI_WALK_DONE);
	ck_assert_uint_eq(r.len, 0);
	ck_assert_uint_eq(fk.reads, 0);
	/* another error code on a read */
	fru_read_init(&r, 2, buf, sizeof(buf));
	ck_assert_int_eq(fru_read_next(&r, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_GET_FRU_INFO);
	ck_assert_uint_eq(req.data[0], 2);
	ck_assert_int_eq(fru_read_feed(&r, 0, (const uint8_t *)"\x10\x00\x00",
	    3), 0);
	ck_assert_int_eq(fru_read_next(&r, &req), IPMI_WALK_SEND);
	ck_assert_uint_eq(req.len, 4);
	ck_assert_mem_eq(req.data, "\x02\x00\x00\x10", 4);
	ck_assert_int_eq(fru_read_feed(&r, IPMI_CC_PRIVILEGE, NULL, 0),
	    IPMI_E_CC);
	ck_assert_uint_eq(r.cc, IPMI_CC_PRIVILEGE);
	/* a short area info answer */
	fru_read_init(&r, 0, buf, sizeof(buf));
	ck_assert_int_eq(fru_read_next(&r, &req), IPMI_WALK_SEND);
	ck_assert_int_eq(fru_read_feed(&r, 0, (const uint8_t *)"\x10", 1),
	    IPMI_E_SHORT);
	/* out of order: feed without a request, next twice */
	fru_read_init(&r, 0, buf, sizeof(buf));
	ck_assert_int_eq(fru_read_feed(&r, 0, NULL, 0), IPMI_E_INVAL);
	fru_read_init(&r, 0, buf, sizeof(buf));
	ck_assert_int_eq(fru_read_next(&r, &req), IPMI_WALK_SEND);
	ck_assert_int_eq(fru_read_next(&r, &req), IPMI_E_INVAL);
}
END_TEST

static Suite *
fru_suite(void)
{
	Suite *s = suite_create("fru");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_info_codec);
	tcase_add_test(tc, test_read_codec);
	tcase_add_test(tc, test_decode_server);
	tcase_add_test(tc, test_encodings);
	tcase_add_test(tc, test_longest_fields);
	tcase_add_test(tc, test_blank_and_short);
	tcase_add_test(tc, test_bad_header_checksum);
	tcase_add_test(tc, test_bad_area_checksum);
	tcase_add_test(tc, test_area_offset_past_end);
	tcase_add_test(tc, test_field_past_area_end);
	tcase_add_test(tc, test_area_length_zero);
	tcase_add_test(tc, test_no_end_marker);
	tcase_add_test(tc, test_too_many_custom);
	tcase_add_test(tc, test_truncated_image);
	tcase_add_test(tc, test_multirecord_problems);
	tcase_add_test(tc, test_multirecord_many);
	tcase_add_test(tc, test_mfg_time_unspecified);
	tcase_add_test(tc, test_reader_plain);
	tcase_add_test(tc, test_reader_shrinks);
	tcase_add_test(tc, test_reader_short_answers);
	tcase_add_test(tc, test_reader_zero_length);
	tcase_add_test(tc, test_reader_words);
	tcase_add_test(tc, test_reader_busy_and_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fru_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
