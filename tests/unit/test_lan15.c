#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/lan15.h"
#include "ipmi/rmcp.h"

/* Get Device ID request, rq_seq 1 (see test_msg.c) */
static const uint8_t msg[] = { 0x20, 0x18, 0xc8, 0x81, 0x04, 0x01, 0x7a };

/* "PASSW0RD", zero padded to 16 bytes */
static const uint8_t pw[16] = { 'P', 'A', 'S', 'S', 'W', '0', 'R', 'D' };

/*
 * IPMI v2.0 rev 1.1, 22.17.1: MD5(pw16, session ID LE, msg, seq LE, pw16)
 * for session ID 0x12345678 and sequence 5, computed with:
 *   P=50415353573052440000000000000000
 *   printf "${P}78563412""2018c88104017a""05000000${P}" | xxd -r -p |
 *       openssl dgst -md5
 */
static const uint8_t md5_code[16] = { 0x3d, 0xa9, 0xbd, 0x41, 0x5e, 0x37,
    0xb1, 0x9f, 0x07, 0x40, 0xe7, 0xf7, 0xf9, 0x67, 0xaf, 0x61 };

#define SID	0x12345678u
#define SEQ	5u

/* Decode a whole datagram: RMCP header, then the v1.5 wrapper. */
static int
decode(const uint8_t *p, size_t n, struct lan15_hdr *h, struct buf *b)
{
	struct rmcp_hdr r;

	buf_init_read(b, p, n);
	ck_assert_int_eq(rmcp_decode(b, &r), 0);
	ck_assert_uint_eq(r.cls, RMCP_CLASS_IPMI);
	return lan15_decode(b, h);
}

START_TEST(test_none_round_trip)
{
	static const uint8_t want[] = {
		0x06, 0x00, 0xff, 0x07,		/* RMCP */
		0x00,				/* auth type none */
		0x05, 0x00, 0x00, 0x00,		/* sequence, LE */
		0x78, 0x56, 0x34, 0x12,		/* session ID, LE */
		0x07,				/* message length */
		0x20, 0x18, 0xc8, 0x81, 0x04, 0x01, 0x7a,
	};
	struct lan15_hdr h;
	uint8_t out[64];
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_NONE, SEQ, SID, NULL, msg,
	    sizeof(msg)), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));

	memset(&h, 0xa5, sizeof(h));
	ck_assert_int_eq(decode(want, sizeof(want), &h, &b), 0);
	ck_assert_uint_eq(h.auth_type, IPMI_AUTH_NONE);
	ck_assert_uint_eq(h.seq, SEQ);
	ck_assert_uint_eq(h.session_id, SID);
	ck_assert_uint_eq(h.len, sizeof(msg));
	ck_assert_ptr_eq(h.msg, want + 14);
	ck_assert_uint_eq(h.auth_code[0], 0);
	ck_assert_uint_eq(h.auth_code[15], 0);
	ck_assert_uint_eq(buf_left(&b), 0);
	ck_assert_int_eq(lan15_check_auth(&h, pw), 0);
}
END_TEST

START_TEST(test_straight_password)
{
	uint8_t out[64], code[16], wrong[16];
	struct lan15_hdr h;
	struct buf b;

	ck_assert_int_eq(lan15_auth_code(IPMI_AUTH_STRAIGHT, SEQ, SID, pw, msg,
	    sizeof(msg), code), 0);
	ck_assert_mem_eq(code, pw, 16);

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_STRAIGHT, SEQ, SID, pw, msg,
	    sizeof(msg)), 0);
	ck_assert_uint_eq(b.len, 4 + 9 + 16 + 1 + sizeof(msg));
	ck_assert_uint_eq(out[4], IPMI_AUTH_STRAIGHT);
	ck_assert_mem_eq(out + 13, pw, 16);
	ck_assert_uint_eq(out[29], sizeof(msg));
	ck_assert_mem_eq(out + 30, msg, sizeof(msg));

	ck_assert_int_eq(decode(out, b.len, &h, &b), 0);
	ck_assert_uint_eq(h.auth_type, IPMI_AUTH_STRAIGHT);
	ck_assert_mem_eq(h.auth_code, pw, 16);
	ck_assert_int_eq(lan15_check_auth(&h, pw), 0);
	memcpy(wrong, pw, 16);
	wrong[15] = 0x01;
	ck_assert_int_eq(lan15_check_auth(&h, wrong), IPMI_E_AUTHCODE);
}
END_TEST

START_TEST(test_md5_known_value)
{
	uint8_t code[16];

	ck_assert_int_eq(lan15_auth_code(IPMI_AUTH_MD5, SEQ, SID, pw, msg,
	    sizeof(msg), code), 0);
	ck_assert_mem_eq(code, md5_code, 16);
}
END_TEST

START_TEST(test_md5_round_trip)
{
	uint8_t out[64];
	struct lan15_hdr h;
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_MD5, SEQ, SID, pw, msg,
	    sizeof(msg)), 0);
	ck_assert_uint_eq(b.len, 30 + sizeof(msg));
	ck_assert_uint_eq(out[4], IPMI_AUTH_MD5);
	ck_assert_mem_eq(out + 5, "\x05\x00\x00\x00\x78\x56\x34\x12", 8);
	ck_assert_mem_eq(out + 13, md5_code, 16);

	ck_assert_int_eq(decode(out, b.len, &h, &b), 0);
	ck_assert_mem_eq(h.auth_code, md5_code, 16);
	ck_assert_uint_eq(h.len, sizeof(msg));
	ck_assert_mem_eq(h.msg, msg, sizeof(msg));
	ck_assert_int_eq(lan15_check_auth(&h, pw), 0);
}
END_TEST

/* every input of the MD5 code matters */
START_TEST(test_md5_bad_auth_code)
{
	uint8_t out[64], p[64], wrong[16];
	struct lan15_hdr h;
	struct buf b;
	size_t n;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_MD5, SEQ, SID, pw, msg,
	    sizeof(msg)), 0);
	n = b.len;

	/* the auth code itself */
	memcpy(p, out, n);
	p[20] ^= 0x01;
	ck_assert_int_eq(decode(p, n, &h, &b), 0);
	ck_assert_int_eq(lan15_check_auth(&h, pw), IPMI_E_AUTHCODE);
	/* a message byte */
	memcpy(p, out, n);
	p[n - 2] ^= 0x40;
	ck_assert_int_eq(decode(p, n, &h, &b), 0);
	ck_assert_int_eq(lan15_check_auth(&h, pw), IPMI_E_AUTHCODE);
	/* the sequence number */
	memcpy(p, out, n);
	p[5] = 0x06;
	ck_assert_int_eq(decode(p, n, &h, &b), 0);
	ck_assert_int_eq(lan15_check_auth(&h, pw), IPMI_E_AUTHCODE);
	/* the session ID */
	memcpy(p, out, n);
	p[12] = 0x13;
	ck_assert_int_eq(decode(p, n, &h, &b), 0);
	ck_assert_int_eq(lan15_check_auth(&h, pw), IPMI_E_AUTHCODE);
	/* the password */
	memcpy(wrong, pw, 16);
	wrong[0] = 'p';
	ck_assert_int_eq(decode(out, n, &h, &b), 0);
	ck_assert_int_eq(lan15_check_auth(&h, wrong), IPMI_E_AUTHCODE);
	ck_assert_int_eq(lan15_check_auth(&h, pw), 0);
}
END_TEST

START_TEST(test_unsupported_auth_types)
{
	uint8_t out[64], code[16];
	struct lan15_hdr h;
	struct buf b;
	uint8_t p[64];
	size_t n;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_MD2, SEQ, SID, pw, msg,
	    sizeof(msg)), IPMI_E_UNSUPPORTED);
	ck_assert_int_eq(lan15_auth_code(IPMI_AUTH_OEM, SEQ, SID, pw, msg,
	    sizeof(msg), code), IPMI_E_UNSUPPORTED);

	/* an MD2 packet parses, but is never taken as authenticated */
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_MD5, SEQ, SID, pw, msg,
	    sizeof(msg)), 0);
	n = b.len;
	memcpy(p, out, n);
	p[4] = IPMI_AUTH_MD2;
	ck_assert_int_eq(decode(p, n, &h, &b), 0);
	ck_assert_int_eq(lan15_check_auth(&h, pw), IPMI_E_UNSUPPORTED);

	/* reserved auth type 3 and the v2.0 marker are not v1.5 packets */
	p[4] = 0x03;
	ck_assert_int_eq(decode(p, n, &h, &b), IPMI_E_MALFORMED);
	p[4] = IPMI_AUTH_RMCPP;
	ck_assert_int_eq(decode(p, n, &h, &b), IPMI_E_MALFORMED);
}
END_TEST

START_TEST(test_truncated)
{
	uint8_t out[64];
	struct lan15_hdr h;
	struct buf b;
	size_t n, len;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_MD5, SEQ, SID, pw, msg,
	    sizeof(msg)), 0);
	len = b.len;
	/* cut in the header, the auth code, the length or the message */
	for (n = 4; n < len; n++)
		ck_assert_int_eq(decode(out, n, &h, &b), IPMI_E_SHORT);
	ck_assert_int_eq(decode(out, len, &h, &b), 0);
}
END_TEST

/* a message length that points past the end of the datagram */
START_TEST(test_length_past_end)
{
	uint8_t p[] = { 0x06, 0x00, 0xff, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x08, 0x20, 0x18, 0xc8, 0x81, 0x04, 0x01,
	    0x7a };
	struct lan15_hdr h;
	struct buf b;

	ck_assert_int_eq(decode(p, sizeof(p), &h, &b), IPMI_E_SHORT);
	p[13] = 0xff;
	ck_assert_int_eq(decode(p, sizeof(p), &h, &b), IPMI_E_SHORT);
	p[13] = 0x07;
	ck_assert_int_eq(decode(p, sizeof(p), &h, &b), 0);
	ck_assert_uint_eq(h.len, 7);
}
END_TEST

/*
 * 13.6: a pad byte keeps datagrams off 56, 84, 112, 128 and 156 bytes.  The
 * encoder adds it; the decoder must ignore it (and any other trailing junk)
 * and authenticate only the declared message.
 */
START_TEST(test_legacy_pad)
{
	uint8_t m[64], out[128];
	struct lan15_hdr h;
	struct buf b;

	memset(m, 0x33, sizeof(m));
	/* none: 14 bytes of headers + 42 = 56 -> padded to 57 */
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_NONE, 1, 2, NULL, m, 42),
	    0);
	ck_assert_uint_eq(b.len, 57);
	ck_assert_uint_eq(out[56], 0x00);
	ck_assert_int_eq(decode(out, 57, &h, &b), 0);
	ck_assert_uint_eq(h.len, 42);
	ck_assert_uint_eq(buf_left(&b), 0);
	/* one byte less is no special length: no pad */
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_NONE, 1, 2, NULL, m, 41),
	    0);
	ck_assert_uint_eq(b.len, 55);

	/* MD5: 30 bytes of headers + 26 = 56 -> padded; code still checks */
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_MD5, SEQ, SID, pw, m, 26),
	    0);
	ck_assert_uint_eq(b.len, 57);
	ck_assert_int_eq(decode(out, 57, &h, &b), 0);
	ck_assert_uint_eq(h.len, 26);
	ck_assert_int_eq(lan15_check_auth(&h, pw), 0);
	/* 84 = 30 + 54 */
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_MD5, SEQ, SID, pw, m, 54),
	    0);
	ck_assert_uint_eq(b.len, 85);

	/* junk past the message is dropped whatever its value */
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_MD5, SEQ, SID, pw, msg,
	    sizeof(msg)), 0);
	out[b.len] = 0xee;
	out[b.len + 1] = 0xee;
	ck_assert_int_eq(decode(out, b.len + 2, &h, &b), 0);
	ck_assert_uint_eq(h.len, sizeof(msg));
	ck_assert_uint_eq(buf_left(&b), 0);
	ck_assert_int_eq(lan15_check_auth(&h, pw), 0);
}
END_TEST

START_TEST(test_encode_refusals)
{
	uint8_t big[256], out[400];
	struct buf b;

	memset(big, 0, sizeof(big));
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_NONE, 0, 0, NULL, big,
	    256), IPMI_E_INVAL);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_NONE, 0, 0, NULL, big,
	    255), 0);
	ck_assert_uint_eq(b.len, 14 + 255);
	ck_assert_uint_eq(out[13], 0xff);

	buf_init_write(&b, out, 30 + sizeof(msg) - 1);
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_MD5, SEQ, SID, pw, msg,
	    sizeof(msg)), IPMI_E_NOSPACE);
	buf_init_write(&b, out, 57 - 1);
	ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_NONE, 0, 0, NULL, big, 42),
	    IPMI_E_NOSPACE);
}
END_TEST

static Suite *
lan15_suite(void)
{
	Suite *s = suite_create("lan15");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_none_round_trip);
	tcase_add_test(tc, test_straight_password);
	tcase_add_test(tc, test_md5_known_value);
	tcase_add_test(tc, test_md5_round_trip);
	tcase_add_test(tc, test_md5_bad_auth_code);
	tcase_add_test(tc, test_unsupported_auth_types);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_length_past_end);
	tcase_add_test(tc, test_legacy_pad);
	tcase_add_test(tc, test_encode_refusals);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(lan15_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
