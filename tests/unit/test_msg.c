#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/msg.h"

/* Get Device ID from the remote console, rq_seq 1 (IPMI v2.0, 13.8) */
static const uint8_t get_devid_req[] = { 0x20, 0x18, 0xc8, 0x81, 0x04, 0x01,
    0x7a };
/* Get Channel Auth Caps, channel 0Eh + v2 bit, admin, rq_seq 0 */
static const uint8_t auth_caps_req[] = { 0x20, 0x18, 0xc8, 0x81, 0x00, 0x38,
    0x8e, 0x04, 0xb5 };

START_TEST(test_checksum)
{
	static const uint8_t hdr[] = { 0x20, 0x18 };
	static const uint8_t wrap[] = { 0xff, 0x02 };
	uint8_t body[] = { 0x81, 0x04, 0x01, 0x00 };

	ck_assert_uint_eq(ipmi_checksum(hdr, 2), 0xc8);
	ck_assert_uint_eq(ipmi_checksum(body, 3), 0x7a);
	ck_assert_uint_eq(ipmi_checksum(NULL, 0), 0x00);
	/* the sum wraps modulo 256: 0xff + 0x02 = 0x01 */
	ck_assert_uint_eq(ipmi_checksum(wrap, 2), 0xff);
	/* appending the checksum makes the whole sum zero */
	body[3] = ipmi_checksum(body, 3);
	ck_assert_uint_eq(ipmi_checksum(body, 4), 0x00);
}
END_TEST

START_TEST(test_encode_request)
{
	struct ipmi_msg m;
	uint8_t out[32];
	struct buf b;
	static const uint8_t data[] = { 0x8e, 0x04 };

	ipmi_msg_request(&m, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, 1, NULL, 0);
	ck_assert_uint_eq(m.rs_addr, IPMI_BMC_ADDR);
	ck_assert_uint_eq(m.rq_addr, IPMI_REMOTE_SWID);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(get_devid_req));
	ck_assert_mem_eq(out, get_devid_req, sizeof(get_devid_req));

	ipmi_msg_request(&m, IPMI_NETFN_APP, IPMI_CMD_GET_CHANNEL_AUTH_CAPS, 0,
	    data, sizeof(data));
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(auth_caps_req));
	ck_assert_mem_eq(out, auth_caps_req, sizeof(auth_caps_req));
}
END_TEST

/* a request helper never builds a response or an out-of-range sequence */
START_TEST(test_request_helper_masks)
{
	struct ipmi_msg m;

	ipmi_msg_request(&m, IPMI_NETFN_APP | 1, IPMI_CMD_GET_DEVICE_ID, 0x41,
	    NULL, 0);
	ck_assert_uint_eq(m.netfn, IPMI_NETFN_APP);
	ck_assert_uint_eq(m.rq_seq, 0x01);
	ck_assert_uint_eq(m.rs_lun, 0);
	ck_assert_uint_eq(m.rq_lun, 0);
	ck_assert_uint_eq(m.len, 0);
}
END_TEST

START_TEST(test_decode_request)
{
	struct ipmi_msg m;
	struct buf b;

	memset(&m, 0xa5, sizeof(m));
	buf_init_read(&b, auth_caps_req, sizeof(auth_caps_req));
	ck_assert_int_eq(ipmi_msg_decode(&b, &m), 0);
	ck_assert_uint_eq(m.rs_addr, 0x20);
	ck_assert_uint_eq(m.rs_lun, 0);
	ck_assert_uint_eq(m.rq_addr, 0x81);
	ck_assert_uint_eq(m.rq_lun, 0);
	ck_assert_uint_eq(m.netfn, IPMI_NETFN_APP);
	ck_assert_uint_eq(m.rq_seq, 0);
	ck_assert_uint_eq(m.cmd, IPMI_CMD_GET_CHANNEL_AUTH_CAPS);
	ck_assert_uint_eq(m.cc, 0);
	ck_assert_uint_eq(m.len, 2);
	/* data points into the caller's buffer */
	ck_assert_ptr_eq(m.data, auth_caps_req + 6);
	ck_assert_uint_eq(buf_left(&b), 0);
}
END_TEST

/* Get Device ID response, completion code 0, two data bytes */
START_TEST(test_response_round_trip)
{
	static const uint8_t want[] = { 0x81, 0x1c, 0x63, 0x20, 0x04, 0x01,
	    0x00, 0x20, 0x81, 0x3a };
	static const uint8_t data[] = { 0x20, 0x81 };
	struct ipmi_msg req, rsp, got;
	uint8_t out[32];
	struct buf b;

	buf_init_read(&b, get_devid_req, sizeof(get_devid_req));
	ck_assert_int_eq(ipmi_msg_decode(&b, &req), 0);
	ipmi_msg_response(&rsp, &req, IPMI_CC_OK, data, sizeof(data));
	ck_assert_uint_eq(rsp.netfn, IPMI_NETFN_APP | 1);
	ck_assert_uint_eq(rsp.rq_seq, 1);
	ck_assert_uint_eq(rsp.cmd, IPMI_CMD_GET_DEVICE_ID);

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_msg_encode(&rsp, &b), 0);
	/* the requester's address comes first in a response */
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));

	buf_init_read(&b, out, sizeof(want));
	ck_assert_int_eq(ipmi_msg_decode(&b, &got), 0);
	ck_assert_uint_eq(got.rq_addr, 0x81);
	ck_assert_uint_eq(got.rs_addr, 0x20);
	ck_assert_uint_eq(got.netfn, 0x07);
	ck_assert_uint_eq(got.rq_seq, 1);
	ck_assert_uint_eq(got.cmd, 0x01);
	ck_assert_uint_eq(got.cc, 0x00);
	ck_assert_uint_eq(got.len, 2);
	ck_assert_mem_eq(got.data, data, 2);
}
END_TEST

/* a failing completion code with no data: the shortest response */
START_TEST(test_response_cc_only)
{
	static const uint8_t want[] = { 0x81, 0x1c, 0x63, 0x20, 0x08, 0x3b,
	    0xd4, 0xc9 };
	struct ipmi_msg m, got;
	uint8_t out[16];
	struct buf b;

	ipmi_msg_request(&m, IPMI_NETFN_APP, IPMI_CMD_SET_SESSION_PRIV, 2,
	    NULL, 0);
	ipmi_msg_response(&m, &m, IPMI_CC_PRIVILEGE, NULL, 0);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), 0);
	ck_assert_uint_eq(b.len, IPMI_MSG_OVERHEAD + 1);
	ck_assert_mem_eq(out, want, sizeof(want));
	buf_init_read(&b, want, sizeof(want));
	ck_assert_int_eq(ipmi_msg_decode(&b, &got), 0);
	ck_assert_uint_eq(got.cc, IPMI_CC_PRIVILEGE);
	ck_assert_uint_eq(got.len, 0);
}
END_TEST

/* LUNs travel in the low bits and come back on the right side */
START_TEST(test_luns_round_trip)
{
	struct ipmi_msg m, got;
	uint8_t out[16];
	struct buf b;

	ipmi_msg_request(&m, IPMI_NETFN_CHASSIS, IPMI_CMD_GET_CHASSIS_STATUS,
	    0x3f, NULL, 0);
	m.rs_lun = 2;
	m.rq_lun = 1;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), 0);
	ck_assert_uint_eq(out[1], 0x02);		/* netfn 0 << 2 | rsLUN */
	ck_assert_uint_eq(out[4], 0xfd);		/* 0x3f << 2 | rqLUN */
	buf_init_read(&b, out, b.len);
	ck_assert_int_eq(ipmi_msg_decode(&b, &got), 0);
	ck_assert_uint_eq(got.rs_lun, 2);
	ck_assert_uint_eq(got.rq_lun, 1);
	ck_assert_uint_eq(got.rq_seq, 0x3f);

	ipmi_msg_response(&m, &got, 0, NULL, 0);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), 0);
	ck_assert_uint_eq(out[0], 0x81);
	ck_assert_uint_eq(out[1], 0x05);		/* netfn 1 << 2 | rqLUN */
	ck_assert_uint_eq(out[3], 0x20);
	ck_assert_uint_eq(out[4], 0xfe);		/* 0x3f << 2 | rsLUN */
	buf_init_read(&b, out, b.len);
	ck_assert_int_eq(ipmi_msg_decode(&b, &got), 0);
	ck_assert_uint_eq(got.rs_lun, 2);
	ck_assert_uint_eq(got.rq_lun, 1);
}
END_TEST

START_TEST(test_bad_checksums)
{
	uint8_t p[sizeof(auth_caps_req)];
	struct ipmi_msg m;
	struct buf b;

	/* checksum 1 covers the first two bytes */
	memcpy(p, auth_caps_req, sizeof(p));
	p[2] ^= 0x01;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(ipmi_msg_decode(&b, &m), IPMI_E_CHECKSUM);
	ck_assert_uint_eq(b.pos, 0);
	memcpy(p, auth_caps_req, sizeof(p));
	p[0] = 0x22;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(ipmi_msg_decode(&b, &m), IPMI_E_CHECKSUM);

	/* checksum 2 covers the rest, data included */
	memcpy(p, auth_caps_req, sizeof(p));
	p[sizeof(p) - 1] ^= 0x80;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(ipmi_msg_decode(&b, &m), IPMI_E_CHECKSUM);
	memcpy(p, auth_caps_req, sizeof(p));
	p[7] = 0x03;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(ipmi_msg_decode(&b, &m), IPMI_E_CHECKSUM);
	ck_assert_uint_eq(b.pos, 0);
}
END_TEST

START_TEST(test_truncated)
{
	/* a response with valid checksums but no room for a completion code */
	static const uint8_t no_cc[] = { 0x81, 0x1c, 0x63, 0x20, 0x04, 0x01,
	    0xdb };
	struct ipmi_msg m;
	struct buf b;
	size_t n;

	for (n = 0; n < IPMI_MSG_OVERHEAD; n++) {
		buf_init_read(&b, get_devid_req, n);
		ck_assert_int_eq(ipmi_msg_decode(&b, &m), IPMI_E_SHORT);
		ck_assert_uint_eq(b.pos, 0);
	}
	buf_init_read(&b, no_cc, sizeof(no_cc));
	ck_assert_int_eq(ipmi_msg_decode(&b, &m), IPMI_E_SHORT);
	ck_assert_uint_eq(b.pos, 0);
	/* the same seven bytes as a request are complete */
	buf_init_read(&b, get_devid_req, sizeof(get_devid_req));
	ck_assert_int_eq(ipmi_msg_decode(&b, &m), 0);
	ck_assert_uint_eq(m.len, 0);
}
END_TEST

START_TEST(test_encode_refusals)
{
	uint8_t big[IPMI_MAX_PAYLOAD + 1], out[300];
	struct ipmi_msg m;
	struct buf b;

	memset(big, 0, sizeof(big));
	ipmi_msg_request(&m, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, 0, NULL, 0);
	buf_init_write(&b, out, sizeof(out));
	m.netfn = 0x40;
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), IPMI_E_INVAL);
	m.netfn = IPMI_NETFN_APP;
	m.rq_seq = 0x40;
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), IPMI_E_INVAL);
	m.rq_seq = 0;
	m.rs_lun = 4;
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), IPMI_E_INVAL);
	m.rs_lun = 0;
	m.rq_lun = 4;
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), IPMI_E_INVAL);
	m.rq_lun = 0;
	m.data = big;
	m.len = sizeof(big);
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), IPMI_E_INVAL);
	ck_assert_uint_eq(b.len, 0);
	/* the largest payload fits in a large enough buffer */
	m.len = IPMI_MAX_PAYLOAD;
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), 0);
	ck_assert_uint_eq(b.len, IPMI_MSG_OVERHEAD + IPMI_MAX_PAYLOAD);

	/* one byte short: nothing is written */
	buf_init_write(&b, out, sizeof(get_devid_req) - 1);
	m.len = 0;
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), IPMI_E_NOSPACE);
	ck_assert_uint_eq(b.len, 0);
	/* a response needs one more byte for its completion code */
	buf_init_write(&b, out, IPMI_MSG_OVERHEAD);
	m.netfn |= 1;
	ck_assert_int_eq(ipmi_msg_encode(&m, &b), IPMI_E_NOSPACE);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

static Suite *
msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_checksum);
	tcase_add_test(tc, test_encode_request);
	tcase_add_test(tc, test_request_helper_masks);
	tcase_add_test(tc, test_decode_request);
	tcase_add_test(tc, test_response_round_trip);
	tcase_add_test(tc, test_response_cc_only);
	tcase_add_test(tc, test_luns_round_trip);
	tcase_add_test(tc, test_bad_checksums);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_encode_refusals);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(msg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
