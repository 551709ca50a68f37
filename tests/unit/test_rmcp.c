#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/rmcp.h"

/* DMTF ASF 2.0, 3.2.4.1: Presence Ping, RMCP seq ffh, message tag 5Ah */
static const uint8_t ping[] = {
	0x06, 0x00, 0xff, 0x06,			/* RMCP: v1.0, no ACK, ASF */
	0x00, 0x00, 0x11, 0xbe,			/* IANA 4542, big endian */
	0x80, 0x5a, 0x00, 0x00,			/* ping, tag, rsvd, len 0 */
};
/* 3.2.4.2: Presence Pong answering it, IPMI supported */
static const uint8_t pong[] = {
	0x06, 0x00, 0xff, 0x06,
	0x00, 0x00, 0x11, 0xbe,
	0x40, 0x5a, 0x00, 0x10,			/* pong, tag, rsvd, len 16 */
	0x00, 0x00, 0x11, 0xbe,			/* OEM IANA */
	0x00, 0x00, 0x00, 0x00,			/* OEM defined */
	0x81, 0x00,				/* entities, interactions */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* reserved */
};

START_TEST(test_rmcp_header)
{
	static const uint8_t want[] = { 0x06, 0x00, 0xff, 0x07 };
	uint8_t out[8];
	struct rmcp_hdr h;
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(rmcp_encode(&b, RMCP_SEQ_NOACK, RMCP_CLASS_IPMI), 0);
	ck_assert_uint_eq(b.len, RMCP_HDR_LEN);
	ck_assert_mem_eq(out, want, sizeof(want));

	buf_init_read(&b, want, sizeof(want));
	ck_assert_int_eq(rmcp_decode(&b, &h), 0);
	ck_assert_uint_eq(h.version, RMCP_VERSION);
	ck_assert_uint_eq(h.seq, 0xff);
	ck_assert_uint_eq(h.cls, RMCP_CLASS_IPMI);
	ck_assert_int_eq(h.ack, 0);
	ck_assert_uint_eq(buf_left(&b), 0);
}
END_TEST

/* an RMCP ACK: class with bit 7 set; the class comes back without it */
START_TEST(test_rmcp_ack_bit)
{
	static const uint8_t ack[] = { 0x06, 0x00, 0x05, 0x86 };
	struct rmcp_hdr h;
	struct buf b;

	buf_init_read(&b, ack, sizeof(ack));
	ck_assert_int_eq(rmcp_decode(&b, &h), 0);
	ck_assert_int_eq(h.ack, 1);
	ck_assert_uint_eq(h.cls, RMCP_CLASS_ASF);
	ck_assert_uint_eq(h.seq, 0x05);
}
END_TEST

START_TEST(test_rmcp_bad_version)
{
	static const uint8_t v0[] = { 0x00, 0x00, 0xff, 0x07 };
	static const uint8_t v7[] = { 0x07, 0x00, 0xff, 0x07 };
	struct rmcp_hdr h;
	struct buf b;

	buf_init_read(&b, v0, sizeof(v0));
	ck_assert_int_eq(rmcp_decode(&b, &h), IPMI_E_MALFORMED);
	buf_init_read(&b, v7, sizeof(v7));
	ck_assert_int_eq(rmcp_decode(&b, &h), IPMI_E_MALFORMED);
}
END_TEST

START_TEST(test_rmcp_short)
{
	static const uint8_t hdr[] = { 0x06, 0x00, 0xff, 0x07 };
	struct rmcp_hdr h;
	struct buf b;
	uint8_t out[3];
	size_t n;

	for (n = 0; n < sizeof(hdr); n++) {
		buf_init_read(&b, hdr, n);
		ck_assert_int_eq(rmcp_decode(&b, &h), IPMI_E_SHORT);
	}
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(rmcp_encode(&b, 0xff, RMCP_CLASS_IPMI),
	    IPMI_E_NOSPACE);
}
END_TEST

START_TEST(test_ping_round_trip)
{
	struct rmcp_hdr h;
	struct asf_msg m;
	uint8_t out[64];
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(asf_encode_ping(&b, 0xff, 0x5a), 0);
	ck_assert_uint_eq(b.len, sizeof(ping));
	ck_assert_mem_eq(out, ping, sizeof(ping));

	buf_init_read(&b, ping, sizeof(ping));
	ck_assert_int_eq(rmcp_decode(&b, &h), 0);
	ck_assert_uint_eq(h.cls, RMCP_CLASS_ASF);
	memset(&m, 0xa5, sizeof(m));
	ck_assert_int_eq(asf_decode(&b, &m), 0);
	ck_assert_uint_eq(m.iana, ASF_IANA);
	ck_assert_uint_eq(m.type, ASF_TYPE_PING);
	ck_assert_uint_eq(m.tag, 0x5a);
	/* pong-only fields are cleared, not left as they were */
	ck_assert_uint_eq(m.entities, 0);
	ck_assert_uint_eq(m.oem_iana, 0);
	ck_assert_uint_eq(buf_left(&b), 0);
}
END_TEST

START_TEST(test_pong_round_trip)
{
	struct rmcp_hdr h;
	struct asf_msg m;
	uint8_t out[64];
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(asf_encode_pong(&b, 0xff, 0x5a, ASF_ENTITY_IPMI |
	    0x01), 0);
	ck_assert_uint_eq(b.len, sizeof(pong));
	ck_assert_mem_eq(out, pong, sizeof(pong));

	buf_init_read(&b, pong, sizeof(pong));
	ck_assert_int_eq(rmcp_decode(&b, &h), 0);
	ck_assert_uint_eq(h.cls, RMCP_CLASS_ASF);
	ck_assert_int_eq(asf_decode(&b, &m), 0);
	ck_assert_uint_eq(m.iana, ASF_IANA);
	ck_assert_uint_eq(m.type, ASF_TYPE_PONG);
	ck_assert_uint_eq(m.tag, 0x5a);
	ck_assert_uint_eq(m.oem_iana, ASF_IANA);
	ck_assert_uint_eq(m.oem_defined, 0);
	ck_assert_uint_eq(m.entities, 0x81);
	ck_assert_uint_eq(m.entities & ASF_ENTITY_IPMI, ASF_ENTITY_IPMI);
	ck_assert_uint_eq(m.interactions, 0);
	ck_assert_uint_eq(buf_left(&b), 0);
}
END_TEST

/* a pong cut anywhere in its 16 data bytes, or claiming fewer, is short */
START_TEST(test_pong_truncated)
{
	uint8_t p[sizeof(pong)];
	struct rmcp_hdr h;
	struct asf_msg m;
	struct buf b;
	size_t n;

	for (n = 12; n < sizeof(pong); n++) {
		buf_init_read(&b, pong, n);
		ck_assert_int_eq(rmcp_decode(&b, &h), 0);
		ck_assert_int_eq(asf_decode(&b, &m), IPMI_E_SHORT);
	}
	for (n = 4; n < 12; n++) {
		buf_init_read(&b, pong, n);
		ck_assert_int_eq(rmcp_decode(&b, &h), 0);
		ck_assert_int_eq(asf_decode(&b, &m), IPMI_E_SHORT);
	}
	memcpy(p, pong, sizeof(p));
	p[11] = 0x0f;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(rmcp_decode(&b, &h), 0);
	ck_assert_int_eq(asf_decode(&b, &m), IPMI_E_SHORT);
}
END_TEST

START_TEST(test_asf_bad_iana)
{
	uint8_t p[sizeof(ping)];
	struct rmcp_hdr h;
	struct asf_msg m;
	struct buf b;

	memcpy(p, ping, sizeof(p));
	p[7] = 0xbf;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(rmcp_decode(&b, &h), 0);
	ck_assert_int_eq(asf_decode(&b, &m), IPMI_E_MALFORMED);
}
END_TEST

/* a ping whose length claims data that is not there */
START_TEST(test_ping_length_past_end)
{
	uint8_t p[sizeof(ping)];
	struct rmcp_hdr h;
	struct asf_msg m;
	struct buf b;

	memcpy(p, ping, sizeof(p));
	p[11] = 0x04;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(rmcp_decode(&b, &h), 0);
	ck_assert_int_eq(asf_decode(&b, &m), IPMI_E_SHORT);
}
END_TEST

START_TEST(test_asf_encode_nospace)
{
	uint8_t out[sizeof(pong)];
	struct buf b;

	buf_init_write(&b, out, sizeof(ping) - 1);
	ck_assert_int_eq(asf_encode_ping(&b, 0xff, 1), IPMI_E_NOSPACE);
	buf_init_write(&b, out, sizeof(pong) - 1);
	ck_assert_int_eq(asf_encode_pong(&b, 0xff, 1, 0x81), IPMI_E_NOSPACE);
	buf_init_write(&b, out, sizeof(pong));
	ck_assert_int_eq(asf_encode_pong(&b, 0xff, 1, 0x81), 0);
}
END_TEST

static Suite *
rmcp_suite(void)
{
	Suite *s = suite_create("rmcp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_rmcp_header);
	tcase_add_test(tc, test_rmcp_ack_bit);
	tcase_add_test(tc, test_rmcp_bad_version);
	tcase_add_test(tc, test_rmcp_short);
	tcase_add_test(tc, test_ping_round_trip);
	tcase_add_test(tc, test_pong_round_trip);
	tcase_add_test(tc, test_pong_truncated);
	tcase_add_test(tc, test_asf_bad_iana);
	tcase_add_test(tc, test_ping_length_past_end);
	tcase_add_test(tc, test_asf_encode_nospace);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rmcp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
