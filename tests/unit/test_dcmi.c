#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/dcmi.h"
#include "ipmi/ipmi.h"
#include "ipmi/walk.h"

/* DCMI 1.5 6.1.1: conformance 1.5, parameter revision 2 */
#define CAPS_HDR	0xdc, 0x01, 0x05, 0x02

static void
caps(const uint8_t *p, size_t n, uint8_t param, struct dcmi_caps_rsp *r)
{
	struct buf b;
	size_t i;

	buf_init_read(&b, p, n);
	ck_assert_int_eq(dcmi_caps_rsp_decode(&b, param, r), 0);
	ck_assert_uint_eq(r->major, 1);
	ck_assert_uint_eq(r->minor, 5);
	ck_assert_uint_eq(r->param_rev, 2);
	ck_assert_uint_eq(r->param, param);
	ck_assert_uint_eq(r->rawlen, n - 4);
	ck_assert_mem_eq(r->raw, p + 4, n - 4);
	/*
	 * every prefix is short; parameter 5 needs only its count (the
	 * periods that came are kept), an unknown parameter nothing
	 */
	for (i = 0; i < (param == 5 ? 5 : param > 5 ? 4 :
	    param == 2 ? 7 : n); i++) {
		struct dcmi_caps_rsp t;

		buf_init_read(&b, p, i);
		ck_assert_int_eq(dcmi_caps_rsp_decode(&b, param, &t),
		    IPMI_E_SHORT);
	}
}

START_TEST(test_caps_req)
{
	static const uint8_t want[] = { 0xdc, 0x03 };
	static const uint8_t other[] = { 0xdd, 0x03 };
	uint8_t out[4], p;
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(dcmi_caps_req_encode(DCMI_CAP_OPTIONAL, &b), 0);
	ck_assert_uint_eq(b.len, 2);
	ck_assert_mem_eq(out, want, 2);
	buf_init_read(&b, want, 2);
	ck_assert_int_eq(dcmi_caps_req_decode(&b, &p), 0);
	ck_assert_uint_eq(p, 3);
	buf_init_read(&b, other, 2);
	ck_assert_int_eq(dcmi_caps_req_decode(&b, &p), IPMI_E_MALFORMED);
	buf_init_read(&b, want, 1);
	ck_assert_int_eq(dcmi_caps_req_decode(&b, &p), IPMI_E_SHORT);
	buf_init_write(&b, out, 1);
	ck_assert_int_eq(dcmi_caps_req_encode(1, &b), IPMI_E_NOSPACE);
}
END_TEST

START_TEST(test_ready_requests)
{
	struct ipmi_req r;

	dcmi_caps_req(&r, DCMI_CAP_SUPPORTED);
	ck_assert_uint_eq(r.netfn, IPMI_NETFN_GROUP);
	ck_assert_uint_eq(r.cmd, DCMI_CMD_GET_CAPABILITIES);
	ck_assert_uint_eq(r.len, 2);
	ck_assert_mem_eq(r.data, "\xdc\x01", 2);
	dcmi_power_req(&r, DCMI_POWER_ENHANCED, 0x41);
	ck_assert_uint_eq(r.netfn, IPMI_NETFN_GROUP);
	ck_assert_uint_eq(r.cmd, DCMI_CMD_GET_POWER_READING);
	ck_assert_uint_eq(r.len, 4);
	ck_assert_mem_eq(r.data, "\xdc\x02\x41\x00", 4);
}
END_TEST

START_TEST(test_caps_supported)
{
	/* identification and chassis power; power management; KCS and
	 * primary LAN */
	static const uint8_t p1[] = { CAPS_HDR, 0x05, 0x01, 0x09 };
	struct dcmi_caps_rsp r;
	uint8_t out[64];
	struct buf b;

	caps(p1, sizeof(p1), DCMI_CAP_SUPPORTED, &r);
	ck_assert_uint_eq(r.supported.platform, DCMI_PLAT_IDENTIFICATION |
	    DCMI_PLAT_CHASSIS_POWER);
	ck_assert_uint_eq(r.supported.optional, DCMI_OPT_POWER_MGMT);
	ck_assert_uint_eq(r.supported.access, DCMI_ACC_KCS |
	    DCMI_ACC_PRIMARY_LAN);
	ck_assert_str_eq(dcmi_cap_name(0, 0),
	    "Identification support available");
	ck_assert_str_eq(dcmi_cap_name(1, 0), "Power management available");
	ck_assert_str_eq(dcmi_cap_name(2, 3),
	    "Out-of-band primary LAN channel available");
	ck_assert_ptr_null(dcmi_cap_name(0, 4));
	ck_assert_ptr_null(dcmi_cap_name(1, 1));
	ck_assert_ptr_null(dcmi_cap_name(2, 6));
	ck_assert_ptr_null(dcmi_cap_name(3, 0));
	ck_assert_ptr_null(dcmi_cap_name(0, -1));
	/* the encoder writes back what was decoded */
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(dcmi_caps_rsp_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(p1));
	ck_assert_mem_eq(out, p1, sizeof(p1));
	buf_init_write(&b, out, 5);
	ck_assert_int_eq(dcmi_caps_rsp_encode(&r, &b), IPMI_E_NOSPACE);
	/* two bytes are too few */
	{
		static const uint8_t p1s[] = { CAPS_HDR, 0x05, 0x01 };
		struct buf rb;

		buf_init_read(&rb, p1s, sizeof(p1s));
		ck_assert_int_eq(dcmi_caps_rsp_decode(&rb, DCMI_CAP_SUPPORTED,
		    &r), IPMI_E_SHORT);
	}
}
END_TEST

START_TEST(test_caps_attributes)
{
	/* 1024 SEL entries, rollover; temperature sampled every 5 s */
	static const uint8_t p2[] = { CAPS_HDR, 0x00, 0x84, 0x00, 0x00, 0x05 };
	/* power management controller at 20h, channel 1, revision 2 */
	static const uint8_t p3[] = { CAPS_HDR, 0x40, 0x12 };
	/* primary LAN on channel 1, no secondary LAN, no serial */
	static const uint8_t p4[] = { CAPS_HDR, 0x01, 0xff, 0xff };
	/* rolling averages over 5 s, 1 min, 1 h */
	static const uint8_t p5[] = { CAPS_HDR, 0x03, 0x05, 0x41, 0x81 };
	/* a count of 10 with two periods that came */
	static const uint8_t p5short[] = { CAPS_HDR, 0x0a, 0xc1, 0x1e };
	static const uint8_t other[] = { 0xdd, 0x01, 0x05, 0x02, 0x00 };
	/* an unknown parameter keeps the raw bytes */
	static const uint8_t p9[] = { CAPS_HDR, 0xaa, 0xbb };
	struct dcmi_caps_rsp r;
	struct buf b;

	caps(p2, sizeof(p2), DCMI_CAP_MANDATORY, &r);
	ck_assert_uint_eq(r.mandatory.sel_entries, 1024);
	ck_assert_int_eq(r.mandatory.sel_rollover, 1);
	ck_assert_int_eq(r.mandatory.sel_flush_all, 0);
	ck_assert_int_eq(r.mandatory.sel_flush_record, 0);
	ck_assert_uint_eq(r.mandatory.temp_sample_s, 5);
	caps(p3, sizeof(p3), DCMI_CAP_OPTIONAL, &r);
	ck_assert_uint_eq(r.optional.pm_addr, 0x20);
	ck_assert_uint_eq(r.optional.pm_channel, 1);
	ck_assert_uint_eq(r.optional.pm_rev, 2);
	caps(p4, sizeof(p4), DCMI_CAP_ACCESS, &r);
	ck_assert_uint_eq(r.access.primary_lan, 1);
	ck_assert_uint_eq(r.access.secondary_lan, 0xff);
	ck_assert_uint_eq(r.access.serial, 0xff);
	caps(p5, sizeof(p5), DCMI_CAP_POWER_STATS, &r);
	ck_assert_uint_eq(r.stats.n, 3);
	ck_assert_uint_eq(r.stats.period[0].unit, DCMI_UNIT_S);
	ck_assert_uint_eq(r.stats.period[0].duration, 5);
	ck_assert_uint_eq(r.stats.period[1].unit, DCMI_UNIT_MIN);
	ck_assert_uint_eq(r.stats.period[1].duration, 1);
	ck_assert_uint_eq(r.stats.period[2].unit, DCMI_UNIT_H);
	ck_assert_uint_eq(r.stats.period[2].raw, 0x81);
	caps(p5short, sizeof(p5short), DCMI_CAP_POWER_STATS, &r);
	ck_assert_uint_eq(r.stats.n, 2);
	ck_assert_uint_eq(r.stats.period[0].unit, DCMI_UNIT_DAY);
	ck_assert_uint_eq(r.stats.period[1].duration, 30);
	caps(p9, sizeof(p9), 9, &r);
	buf_init_read(&b, other, sizeof(other));
	ck_assert_int_eq(dcmi_caps_rsp_decode(&b, 1, &r), IPMI_E_MALFORMED);
	/* a parameter shorter than its layout */
	buf_init_read(&b, p3, sizeof(p3) - 1);
	ck_assert_int_eq(dcmi_caps_rsp_decode(&b, DCMI_CAP_OPTIONAL, &r),
	    IPMI_E_SHORT);
}
END_TEST

START_TEST(test_caps_long)
{
	uint8_t p[64];
	struct dcmi_caps_rsp r;
	struct buf b;

	/* more parameter data than kept: the first 32 bytes */
	memset(p, 0x11, sizeof(p));
	p[0] = 0xdc;
	p[4] = 40;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(dcmi_caps_rsp_decode(&b, DCMI_CAP_POWER_STATS, &r),
	    0);
	ck_assert_uint_eq(r.rawlen, 32);
	ck_assert_uint_eq(r.stats.n, DCMI_PERIODS_MAX);
}
END_TEST

START_TEST(test_power_reading)
{
	static const uint8_t req[] = { 0xdc, 0x01, 0x00, 0x00 };
	/* 200 W now, 150 min, 300 max, 190 average, over 1000 ms, active */
	static const uint8_t rsp[] = { 0xdc, 0xc8, 0x00, 0x96, 0x00, 0x2c,
	    0x01, 0xbe, 0x00, 0xc0, 0xf3, 0x65, 0x65, 0xe8, 0x03, 0x00, 0x00,
	    0x40 };
	struct dcmi_power_req q = { DCMI_POWER_SYSTEM, 0 }, gq;
	struct dcmi_power_rsp r;
	uint8_t out[32];
	struct buf b;
	size_t i;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(dcmi_power_req_encode(&q, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(req));
	ck_assert_mem_eq(out, req, sizeof(req));
	buf_init_read(&b, req, sizeof(req));
	ck_assert_int_eq(dcmi_power_req_decode(&b, &gq), 0);
	ck_assert_uint_eq(gq.mode, DCMI_POWER_SYSTEM);
	buf_init_read(&b, req, 3);
	ck_assert_int_eq(dcmi_power_req_decode(&b, &gq), IPMI_E_SHORT);

	buf_init_read(&b, rsp, sizeof(rsp));
	ck_assert_int_eq(dcmi_power_rsp_decode(&b, &r), 0);
	ck_assert_uint_eq(r.current_w, 200);
	ck_assert_uint_eq(r.min_w, 150);
	ck_assert_uint_eq(r.max_w, 300);
	ck_assert_uint_eq(r.avg_w, 190);
	ck_assert_uint_eq(r.timestamp, 0x6565f3c0);
	ck_assert_uint_eq(r.period_ms, 1000);
	ck_assert_uint_eq(r.state, 0x40);
	ck_assert_int_eq(r.active, 1);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(dcmi_power_rsp_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(rsp));
	ck_assert_mem_eq(out, rsp, sizeof(rsp));
	for (i = 0; i < sizeof(rsp); i++) {
		buf_init_read(&b, rsp, i);
		ck_assert_int_eq(dcmi_power_rsp_decode(&b, &r), IPMI_E_SHORT);
	}
	/* not active: power off, or no measurement yet */
	memcpy(out, rsp, sizeof(rsp));
	out[17] = 0x00;
	buf_init_read(&b, out, sizeof(rsp));
	ck_assert_int_eq(dcmi_power_rsp_decode(&b, &r), 0);
	ck_assert_int_eq(r.active, 0);
	out[0] = 0x00;
	buf_init_read(&b, out, sizeof(rsp));
	ck_assert_int_eq(dcmi_power_rsp_decode(&b, &r), IPMI_E_MALFORMED);
	buf_init_write(&b, out, 10);
	ck_assert_int_eq(dcmi_power_rsp_encode(&r, &b), IPMI_E_NOSPACE);
}
END_TEST

static Suite *
dcmi_suite(void)
{
	Suite *s = suite_create("dcmi");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_caps_req);
	tcase_add_test(tc, test_ready_requests);
	tcase_add_test(tc, test_caps_supported);
	tcase_add_test(tc, test_caps_attributes);
	tcase_add_test(tc, test_caps_long);
	tcase_add_test(tc, test_power_reading);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dcmi_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
