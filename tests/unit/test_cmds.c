#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/cmds.h"
#include "ipmi/ipmi.h"
#include "ipmi/rmcpp.h"

/* Every prefix shorter than n bytes must decode to IPMI_E_SHORT. */
#define CHECK_SHORT(decode, bytes, n, out) do {				\
	struct buf sb_;							\
	size_t sn_;							\
	for (sn_ = 0; sn_ < (n); sn_++) {				\
		buf_init_read(&sb_, (bytes), sn_);			\
		ck_assert_int_eq(decode(&sb_, (out)), IPMI_E_SHORT);	\
	}								\
} while (0)

/* --- 22.13 Get Channel Authentication Capabilities -------------------- */

START_TEST(test_auth_caps_req)
{
	static const uint8_t want[] = { 0x8e, 0x04 };
	struct ipmi_auth_caps_req r = { IPMI_CHANNEL_CURRENT, 1,
	    IPMI_PRIV_ADMIN }, got;
	uint8_t out[8];
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_auth_caps_req_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, 2);
	ck_assert_mem_eq(out, want, 2);
	buf_init_read(&b, want, 2);
	ck_assert_int_eq(ipmi_auth_caps_req_decode(&b, &got), 0);
	ck_assert_uint_eq(got.channel, 0x0e);
	ck_assert_int_eq(got.v2, 1);
	ck_assert_uint_eq(got.priv, IPMI_PRIV_ADMIN);
	/* a v1.5-only console leaves bit 7 clear */
	r.v2 = 0;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_auth_caps_req_encode(&r, &b), 0);
	ck_assert_uint_eq(out[0], 0x0e);
	CHECK_SHORT(ipmi_auth_caps_req_decode, want, 2, &got);
	buf_init_write(&b, out, 1);
	ck_assert_int_eq(ipmi_auth_caps_req_encode(&r, &b), IPMI_E_NOSPACE);
}
END_TEST

START_TEST(test_auth_caps_rsp)
{
	/* channel 1; v2 ext; none, MD5, straight; non-null users; v1.5+v2.0 */
	static const uint8_t want[] = { 0x01, 0x95, 0x04, 0x03, 0x57, 0x01,
	    0x00, 0x00 };
	struct ipmi_auth_caps_rsp r, got;
	uint8_t out[16];
	struct buf b;

	buf_init_read(&b, want, sizeof(want));
	ck_assert_int_eq(ipmi_auth_caps_rsp_decode(&b, &got), 0);
	ck_assert_uint_eq(got.channel, 1);
	ck_assert_int_eq(got.v2_ext, 1);
	ck_assert_uint_eq(got.auth_types, (1 << IPMI_AUTH_NONE) |
	    (1 << IPMI_AUTH_MD5) | (1 << IPMI_AUTH_STRAIGHT));
	ck_assert_int_eq(got.kg_set, 0);
	ck_assert_int_eq(got.per_msg_auth_off, 0);
	ck_assert_int_eq(got.user_auth_off, 0);
	ck_assert_int_eq(got.nonnull_users, 1);
	ck_assert_int_eq(got.null_users, 0);
	ck_assert_int_eq(got.anonymous, 0);
	ck_assert_int_eq(got.v15, 1);
	ck_assert_int_eq(got.v20, 1);
	ck_assert_uint_eq(got.oem_iana, 343);
	ck_assert_uint_eq(got.oem_aux, 0);

	r = got;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_auth_caps_rsp_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	CHECK_SHORT(ipmi_auth_caps_rsp_decode, want, sizeof(want), &got);
}
END_TEST

START_TEST(test_auth_caps_rsp_flags)
{
	/* every byte 3 flag set, K_g set, OEM aux */
	static const uint8_t all[] = { 0x0e, 0xbf, 0x3f, 0x02, 0xa2, 0x02,
	    0x00, 0x5a };
	/* a v1.5 BMC: no extended bit, byte 4 reserved (and ignored) */
	static const uint8_t v15[] = { 0x01, 0x16, 0x00, 0x02, 0x00, 0x00,
	    0x00, 0x00 };
	struct ipmi_auth_caps_rsp got;
	uint8_t out[16];
	struct buf b;

	buf_init_read(&b, all, sizeof(all));
	ck_assert_int_eq(ipmi_auth_caps_rsp_decode(&b, &got), 0);
	ck_assert_uint_eq(got.auth_types, 0x3f);
	ck_assert_int_eq(got.kg_set, 1);
	ck_assert_int_eq(got.per_msg_auth_off, 1);
	ck_assert_int_eq(got.user_auth_off, 1);
	ck_assert_int_eq(got.nonnull_users, 1);
	ck_assert_int_eq(got.null_users, 1);
	ck_assert_int_eq(got.anonymous, 1);
	ck_assert_int_eq(got.v15, 0);
	ck_assert_int_eq(got.v20, 1);
	ck_assert_uint_eq(got.oem_iana, 674);
	ck_assert_uint_eq(got.oem_aux, 0x5a);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_auth_caps_rsp_encode(&got, &b), 0);
	ck_assert_mem_eq(out, all, sizeof(all));

	buf_init_read(&b, v15, sizeof(v15));
	ck_assert_int_eq(ipmi_auth_caps_rsp_decode(&b, &got), 0);
	ck_assert_int_eq(got.v2_ext, 0);
	ck_assert_uint_eq(got.auth_types, 0x16);
	ck_assert_int_eq(got.v15, 1);
	ck_assert_int_eq(got.v20, 0);
}
END_TEST

/* --- 22.16 Get Session Challenge, 22.17 Activate Session -------------- */

START_TEST(test_challenge)
{
	static const uint8_t req[] = { 0x02, 'a', 'd', 'm', 'i', 'n', 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t rsp[20];
	struct ipmi_challenge_req rq, grq;
	struct ipmi_challenge_rsp rs, grs;
	uint8_t out[32];
	struct buf b;
	int i;

	memset(&rq, 0, sizeof(rq));
	rq.auth_type = IPMI_AUTH_MD5;
	memcpy(rq.user, "admin", 5);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_challenge_req_encode(&rq, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(req));
	ck_assert_mem_eq(out, req, sizeof(req));
	buf_init_read(&b, req, sizeof(req));
	ck_assert_int_eq(ipmi_challenge_req_decode(&b, &grq), 0);
	ck_assert_uint_eq(grq.auth_type, IPMI_AUTH_MD5);
	ck_assert_mem_eq(grq.user, rq.user, 16);
	CHECK_SHORT(ipmi_challenge_req_decode, req, sizeof(req), &grq);

	/* temporary session ID, little endian, then the challenge */
	rsp[0] = 0x44;
	rsp[1] = 0x33;
	rsp[2] = 0x22;
	rsp[3] = 0x11;
	for (i = 0; i < 16; i++)
		rsp[4 + i] = (uint8_t)(0xc0 + i);
	buf_init_read(&b, rsp, sizeof(rsp));
	ck_assert_int_eq(ipmi_challenge_rsp_decode(&b, &grs), 0);
	ck_assert_uint_eq(grs.temp_sid, 0x11223344);
	ck_assert_mem_eq(grs.challenge, rsp + 4, 16);
	rs = grs;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_challenge_rsp_encode(&rs, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(rsp));
	ck_assert_mem_eq(out, rsp, sizeof(rsp));
	CHECK_SHORT(ipmi_challenge_rsp_decode, rsp, sizeof(rsp), &grs);
}
END_TEST

START_TEST(test_activate)
{
	uint8_t req[22], rsp[10], out[32];
	struct ipmi_activate_req rq, grq;
	struct ipmi_activate_rsp rs, grs;
	struct buf b;
	int i;

	memset(&rq, 0, sizeof(rq));
	rq.auth_type = IPMI_AUTH_MD5;
	rq.priv = IPMI_PRIV_ADMIN;
	for (i = 0; i < 16; i++)
		rq.challenge[i] = (uint8_t)i;
	rq.outbound_seq = 0x0a0b0c0d;
	memcpy(req, "\x02\x04", 2);
	memcpy(req + 2, rq.challenge, 16);
	memcpy(req + 18, "\x0d\x0c\x0b\x0a", 4);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_activate_req_encode(&rq, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(req));
	ck_assert_mem_eq(out, req, sizeof(req));
	/* reserved high nibbles are dropped */
	req[0] = 0xf2;
	req[1] = 0x34;
	buf_init_read(&b, req, sizeof(req));
	ck_assert_int_eq(ipmi_activate_req_decode(&b, &grq), 0);
	ck_assert_uint_eq(grq.auth_type, IPMI_AUTH_MD5);
	ck_assert_uint_eq(grq.priv, IPMI_PRIV_ADMIN);
	ck_assert_mem_eq(grq.challenge, rq.challenge, 16);
	ck_assert_uint_eq(grq.outbound_seq, 0x0a0b0c0d);
	CHECK_SHORT(ipmi_activate_req_decode, req, sizeof(req), &grq);

	memset(&rs, 0, sizeof(rs));
	rs.auth_type = IPMI_AUTH_MD5;
	rs.sid = 0x01020304;
	rs.inbound_seq = 0x00000010;
	rs.priv = IPMI_PRIV_OPERATOR;
	memcpy(rsp, "\x02\x04\x03\x02\x01\x10\x00\x00\x00\x03", 10);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_activate_rsp_encode(&rs, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(rsp));
	ck_assert_mem_eq(out, rsp, sizeof(rsp));
	buf_init_read(&b, rsp, sizeof(rsp));
	ck_assert_int_eq(ipmi_activate_rsp_decode(&b, &grs), 0);
	ck_assert_uint_eq(grs.auth_type, IPMI_AUTH_MD5);
	ck_assert_uint_eq(grs.sid, 0x01020304);
	ck_assert_uint_eq(grs.inbound_seq, 0x10);
	ck_assert_uint_eq(grs.priv, IPMI_PRIV_OPERATOR);
	CHECK_SHORT(ipmi_activate_rsp_decode, rsp, sizeof(rsp), &grs);
}
END_TEST

/* --- 22.18 Set Session Privilege Level, 22.19 Close Session ----------- */

START_TEST(test_priv_and_close)
{
	static const uint8_t sid[] = { 0x78, 0x56, 0x34, 0x12 };
	uint8_t out[8], priv;
	uint32_t got;
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_priv_encode(0xf4, &b), 0);
	ck_assert_uint_eq(b.len, 1);
	ck_assert_uint_eq(out[0], 0x04);
	buf_init_read(&b, (const uint8_t *)"\x33", 1);
	ck_assert_int_eq(ipmi_priv_decode(&b, &priv), 0);
	ck_assert_uint_eq(priv, IPMI_PRIV_OPERATOR);
	buf_init_read(&b, NULL, 0);
	ck_assert_int_eq(ipmi_priv_decode(&b, &priv), IPMI_E_SHORT);

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_close_req_encode(0x12345678, &b), 0);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_mem_eq(out, sid, 4);
	buf_init_read(&b, sid, 4);
	ck_assert_int_eq(ipmi_close_req_decode(&b, &got), 0);
	ck_assert_uint_eq(got, 0x12345678);
	CHECK_SHORT(ipmi_close_req_decode, sid, sizeof(sid), &got);
}
END_TEST

/* --- 20.1 Get Device ID ----------------------------------------------- */

/* device 20h, SDRs, rev 1, fw 2.17, IPMI 2.0, Intel (343), product 1234h */
static const uint8_t devid[] = { 0x20, 0x81, 0x02, 0x17, 0x02, 0xbf, 0x57,
    0x01, 0x00, 0x34, 0x12, 0x01, 0x02, 0x03, 0x04 };

START_TEST(test_device_id)
{
	struct ipmi_device_id d, got;
	uint8_t out[32];
	struct buf b;

	buf_init_read(&b, devid, sizeof(devid));
	ck_assert_int_eq(ipmi_device_id_decode(&b, &d), 0);
	ck_assert_uint_eq(d.device_id, 0x20);
	ck_assert_int_eq(d.provides_sdrs, 1);
	ck_assert_uint_eq(d.device_rev, 1);
	ck_assert_int_eq(d.fw_update, 0);
	ck_assert_uint_eq(d.fw_major, 2);
	ck_assert_uint_eq(d.fw_minor, 17);	/* BCD 17h */
	ck_assert_uint_eq(d.ipmi_version, 0x02);
	ck_assert_uint_eq(d.support, 0xbf);
	ck_assert_uint_eq(d.manufacturer, 343);
	ck_assert_uint_eq(d.product, 0x1234);
	ck_assert_int_eq(d.has_aux, 1);
	ck_assert_mem_eq(d.aux, "\x01\x02\x03\x04", 4);
	ck_assert_uint_eq(buf_left(&b), 0);

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_device_id_encode(&d, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(devid));
	ck_assert_mem_eq(out, devid, sizeof(devid));

	/* without the optional aux revision: 11 bytes */
	d.has_aux = 0;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_device_id_encode(&d, &b), 0);
	ck_assert_uint_eq(b.len, 11);
	memset(&got, 0xa5, sizeof(got));
	buf_init_read(&b, devid, 11);
	ck_assert_int_eq(ipmi_device_id_decode(&b, &got), 0);
	ck_assert_int_eq(got.has_aux, 0);
	ck_assert_mem_eq(got.aux, "\0\0\0\0", 4);
	ck_assert_uint_eq(got.product, 0x1234);
	/* a partial aux revision is taken as none */
	buf_init_read(&b, devid, 13);
	ck_assert_int_eq(ipmi_device_id_decode(&b, &got), 0);
	ck_assert_int_eq(got.has_aux, 0);
	CHECK_SHORT(ipmi_device_id_decode, devid, 11, &got);
}
END_TEST

START_TEST(test_device_id_bits)
{
	uint8_t p[sizeof(devid)], out[32];
	struct ipmi_device_id d;
	struct buf b;

	memcpy(p, devid, sizeof(p));
	p[1] = 0x0f;		/* no SDRs; reserved bits 6:4 clear */
	p[2] = 0x85;		/* update in progress, major 5 */
	p[3] = 0x09;		/* minor 9 */
	p[4] = 0x51;		/* IPMI 1.5 */
	p[8] = 0xf1;		/* reserved high nibble of the IANA */
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(ipmi_device_id_decode(&b, &d), 0);
	ck_assert_int_eq(d.provides_sdrs, 0);
	ck_assert_uint_eq(d.device_rev, 0x0f);
	ck_assert_int_eq(d.fw_update, 1);
	ck_assert_uint_eq(d.fw_major, 5);
	ck_assert_uint_eq(d.fw_minor, 9);
	ck_assert_uint_eq(d.ipmi_version, 0x51);
	ck_assert_uint_eq(d.manufacturer, 0x10157);

	/* BCD both ways: 10 <-> 10h, 99 <-> 99h, 0 <-> 00h */
	p[3] = 0x10;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(ipmi_device_id_decode(&b, &d), 0);
	ck_assert_uint_eq(d.fw_minor, 10);
	p[3] = 0x99;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(ipmi_device_id_decode(&b, &d), 0);
	ck_assert_uint_eq(d.fw_minor, 99);
	d.fw_minor = 42;
	d.fw_major = 0xff;	/* only 7 bits go out */
	d.manufacturer = 0xfffff;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_device_id_encode(&d, &b), 0);
	ck_assert_uint_eq(out[2], 0xff);	/* update bit + 7Fh */
	ck_assert_uint_eq(out[3], 0x42);
	ck_assert_mem_eq(out + 6, "\xff\xff\x0f", 3);
	d.fw_minor = 0;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_device_id_encode(&d, &b), 0);
	ck_assert_uint_eq(out[3], 0x00);
	buf_init_write(&b, out, 14);
	ck_assert_int_eq(ipmi_device_id_encode(&d, &b), IPMI_E_NOSPACE);
}
END_TEST

/* --- 20.8 Get Device GUID -------------------------------------------- */

START_TEST(test_guid)
{
	uint8_t wire[16], g[16];
	char s[37];
	struct buf b;
	int i;

	for (i = 0; i < 16; i++)
		wire[i] = (uint8_t)i;
	buf_init_read(&b, wire, 16);
	ck_assert_int_eq(ipmi_guid_decode(&b, g), 0);
	ck_assert_mem_eq(g, wire, 16);
	/* least significant byte first on the wire: printed reversed */
	memset(s, 'x', sizeof(s));
	ipmi_guid_format(g, s);
	ck_assert_str_eq(s, "0f0e0d0c-0b0a-0908-0706-050403020100");
	ck_assert_uint_eq(strlen(s), 36);

	for (i = 0; i < 16; i++)
		g[i] = (uint8_t)(0xf0 | i);
	ipmi_guid_format(g, s);
	ck_assert_str_eq(s, "fffefdfc-fbfa-f9f8-f7f6-f5f4f3f2f1f0");
	CHECK_SHORT(ipmi_guid_decode, wire, 16, g);
}
END_TEST

/* --- 28.2 Get Chassis Status ----------------------------------------- */

START_TEST(test_chassis_status)
{
	/* on, policy "always on", last event "on via IPMI", identify ok */
	static const uint8_t three[] = { 0x41, 0x10, 0x40 };
	/* + fault bits, identify indefinite, intrusion; panel byte */
	static const uint8_t four[] = { 0x7f, 0x01, 0x61, 0x0f };
	struct ipmi_chassis_status s;
	uint8_t out[8];
	struct buf b;

	buf_init_read(&b, three, sizeof(three));
	ck_assert_int_eq(ipmi_chassis_status_decode(&b, &s), 0);
	ck_assert_int_eq(s.power_on, 1);
	ck_assert_int_eq(s.overload, 0);
	ck_assert_int_eq(s.interlock, 0);
	ck_assert_int_eq(s.power_fault, 0);
	ck_assert_int_eq(s.control_fault, 0);
	ck_assert_uint_eq(s.restore_policy, 2);
	ck_assert_uint_eq(s.last_event, 0x10);
	ck_assert_int_eq(s.identify_supported, 1);
	ck_assert_uint_eq(s.identify_state, 0);
	ck_assert_int_eq(s.has_front_panel, 0);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_chassis_status_encode(&s, &b), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_mem_eq(out, three, 3);

	buf_init_read(&b, four, sizeof(four));
	ck_assert_int_eq(ipmi_chassis_status_decode(&b, &s), 0);
	ck_assert_int_eq(s.power_on, 1);
	ck_assert_int_eq(s.overload, 1);
	ck_assert_int_eq(s.interlock, 1);
	ck_assert_int_eq(s.power_fault, 1);
	ck_assert_int_eq(s.control_fault, 1);
	ck_assert_uint_eq(s.restore_policy, 3);
	ck_assert_int_eq(s.identify_supported, 1);
	ck_assert_uint_eq(s.identify_state, 2);
	ck_assert_uint_eq(s.misc & 0x0f, 0x01);
	ck_assert_int_eq(s.has_front_panel, 1);
	ck_assert_uint_eq(s.front_panel, 0x0f);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_chassis_status_encode(&s, &b), 0);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_mem_eq(out, four, 4);

	/* off, no identify support: the state bits are not sent */
	memset(&s, 0, sizeof(s));
	s.identify_state = 2;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_chassis_status_encode(&s, &b), 0);
	ck_assert_mem_eq(out, "\x00\x00\x00", 3);
	CHECK_SHORT(ipmi_chassis_status_decode, three, sizeof(three), &s);
}
END_TEST

/* --- 28.3 Chassis Control, 28.5 Chassis Identify --------------------- */

START_TEST(test_chassis_control)
{
	uint8_t out[4], ctl, in;
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_chassis_ctl_encode(IPMI_CHASSIS_CYCLE, &b), 0);
	ck_assert_uint_eq(b.len, 1);
	ck_assert_uint_eq(out[0], 0x02);
	for (in = 0; in <= IPMI_CHASSIS_SOFT; in++) {
		buf_init_read(&b, &in, 1);
		ck_assert_int_eq(ipmi_chassis_ctl_decode(&b, &ctl), 0);
		ck_assert_uint_eq(ctl, in);
	}
	in = 0xf3;		/* reserved bits ignored: hard reset */
	buf_init_read(&b, &in, 1);
	ck_assert_int_eq(ipmi_chassis_ctl_decode(&b, &ctl), 0);
	ck_assert_uint_eq(ctl, IPMI_CHASSIS_RESET);
	in = 0x06;
	buf_init_read(&b, &in, 1);
	ck_assert_int_eq(ipmi_chassis_ctl_decode(&b, &ctl), IPMI_E_MALFORMED);
	buf_init_read(&b, NULL, 0);
	ck_assert_int_eq(ipmi_chassis_ctl_decode(&b, &ctl), IPMI_E_SHORT);
	ck_assert_str_eq(ipmi_chassis_ctl_name(IPMI_CHASSIS_OFF), "off");
	ck_assert_str_eq(ipmi_chassis_ctl_name(IPMI_CHASSIS_ON), "on");
	ck_assert_str_eq(ipmi_chassis_ctl_name(IPMI_CHASSIS_CYCLE), "cycle");
	ck_assert_str_eq(ipmi_chassis_ctl_name(IPMI_CHASSIS_RESET), "reset");
	ck_assert_str_eq(ipmi_chassis_ctl_name(IPMI_CHASSIS_DIAG), "diag");
	ck_assert_str_eq(ipmi_chassis_ctl_name(IPMI_CHASSIS_SOFT), "soft");
	ck_assert_str_eq(ipmi_chassis_ctl_name(0x06), "unknown");
}
END_TEST

START_TEST(test_identify)
{
	struct ipmi_identify_req r, got;
	uint8_t out[4];
	struct buf b;

	/* no data: the BMC's default 15 seconds */
	memset(&r, 0, sizeof(r));
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_identify_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, 0);
	buf_init_read(&b, NULL, 0);
	ck_assert_int_eq(ipmi_identify_decode(&b, &got), 0);
	ck_assert_int_eq(got.has_seconds, 0);
	ck_assert_int_eq(got.has_force, 0);
	ck_assert_uint_eq(got.seconds, 15);
	ck_assert_int_eq(got.force, 0);

	/* an interval; 0 turns identify off */
	r.has_seconds = 1;
	r.seconds = 0;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_identify_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, 1);
	ck_assert_uint_eq(out[0], 0);
	buf_init_read(&b, out, 1);
	ck_assert_int_eq(ipmi_identify_decode(&b, &got), 0);
	ck_assert_int_eq(got.has_seconds, 1);
	ck_assert_uint_eq(got.seconds, 0);
	ck_assert_int_eq(got.has_force, 0);

	/* force on: byte 2 needs byte 1, even when the caller omits it */
	memset(&r, 0, sizeof(r));
	r.has_force = 1;
	r.force = 1;
	r.seconds = 30;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_identify_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, 2);
	ck_assert_mem_eq(out, "\x1e\x01", 2);
	buf_init_read(&b, out, 2);
	ck_assert_int_eq(ipmi_identify_decode(&b, &got), 0);
	ck_assert_int_eq(got.has_seconds, 1);
	ck_assert_int_eq(got.has_force, 1);
	ck_assert_int_eq(got.force, 1);
	ck_assert_uint_eq(got.seconds, 30);
	/* only bit 0 of byte 2 means force */
	buf_init_read(&b, (const uint8_t *)"\x05\xfe", 2);
	ck_assert_int_eq(ipmi_identify_decode(&b, &got), 0);
	ck_assert_int_eq(got.force, 0);
	ck_assert_int_eq(got.has_force, 1);
}
END_TEST

/* --- 22.15 Get Channel Cipher Suites ---------------------------------- */

START_TEST(test_cipher_suites_req_rsp)
{
	static const uint8_t req[] = { 0x0e, 0x00, 0x80 };
	static const uint8_t rsp[] = { 0x01, 0xc0, 0x03, 0x01, 0x41, 0x81 };
	struct ipmi_cipher_suites_req r = { IPMI_CHANNEL_CURRENT, 0, 0 }, gr;
	struct ipmi_cipher_suites_rsp s, gs;
	uint8_t out[32], big[18];
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_cipher_suites_req_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_mem_eq(out, req, 3);
	r.index = 0x41;		/* index is 6 bits */
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_cipher_suites_req_encode(&r, &b), 0);
	ck_assert_uint_eq(out[2], 0x81);
	buf_init_read(&b, out, 3);
	ck_assert_int_eq(ipmi_cipher_suites_req_decode(&b, &gr), 0);
	ck_assert_uint_eq(gr.channel, 0x0e);
	ck_assert_uint_eq(gr.payload_type, 0);
	ck_assert_uint_eq(gr.index, 1);
	CHECK_SHORT(ipmi_cipher_suites_req_decode, req, 3, &gr);

	buf_init_read(&b, rsp, sizeof(rsp));
	ck_assert_int_eq(ipmi_cipher_suites_rsp_decode(&b, &gs), 0);
	ck_assert_uint_eq(gs.channel, 1);
	ck_assert_uint_eq(gs.len, 5);
	ck_assert_mem_eq(gs.data, rsp + 1, 5);
	s = gs;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_cipher_suites_rsp_encode(&s, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(rsp));
	ck_assert_mem_eq(out, rsp, sizeof(rsp));
	/* the last page may hold no records at all */
	buf_init_read(&b, rsp, 1);
	ck_assert_int_eq(ipmi_cipher_suites_rsp_decode(&b, &gs), 0);
	ck_assert_uint_eq(gs.len, 0);
	buf_init_read(&b, rsp, 0);
	ck_assert_int_eq(ipmi_cipher_suites_rsp_decode(&b, &gs), IPMI_E_SHORT);
	/* 16 record bytes fit a page, 17 do not */
	memset(big, 0xc0, sizeof(big));
	buf_init_read(&b, big, 17);
	ck_assert_int_eq(ipmi_cipher_suites_rsp_decode(&b, &gs), 0);
	ck_assert_uint_eq(gs.len, 16);
	buf_init_read(&b, big, 18);
	ck_assert_int_eq(ipmi_cipher_suites_rsp_decode(&b, &gs),
	    IPMI_E_MALFORMED);
	/* an encoder never sends more than a page */
	s.len = 20;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_cipher_suites_rsp_encode(&s, &b), 0);
	ck_assert_uint_eq(b.len, 17);
}
END_TEST

START_TEST(test_cipher_suites_parse)
{
	static const uint8_t s3[] = { 0xc0, 0x03, 0x01, 0x41, 0x81 };
	static const uint8_t s17[] = { 0xc0, 0x11, 0x03, 0x44, 0x81 };
	/* a common BMC's whole list: suites 0, 1, 2, 3 and 17 */
	static const uint8_t list[] = {
		0xc0, 0x00, 0x00, 0x40, 0x80,
		0xc0, 0x01, 0x01, 0x40, 0x80,
		0xc0, 0x02, 0x01, 0x41, 0x80,
		0xc0, 0x03, 0x01, 0x41, 0x81,
		0xc0, 0x11, 0x03, 0x44, 0x81,
	};
	/* an OEM record (C1h, with an IANA that looks like record starts) */
	static const uint8_t oem[] = {
		0xc1, 0x80, 0xc0, 0xc1, 0x00, 0x01, 0x41, 0x81,
		0xc0, 0x03, 0x01, 0x41, 0x81,
	};
	struct ipmi_cipher_suite cs[8];

	memset(cs, 0, sizeof(cs));
	ck_assert_int_eq(ipmi_cipher_suites_parse(s3, sizeof(s3), cs, 8), 1);
	ck_assert_uint_eq(cs[0].id, 3);
	ck_assert_uint_eq(cs[0].auth, IPMI_AUTH_ALG_HMAC_SHA1);
	ck_assert_uint_eq(cs[0].integ, IPMI_INTEG_HMAC_SHA1_96);
	ck_assert_uint_eq(cs[0].conf, IPMI_CONF_AES_CBC_128);
	ck_assert_int_eq(ipmi_cipher_suites_parse(s17, sizeof(s17), cs, 8), 1);
	ck_assert_uint_eq(cs[0].id, 17);
	ck_assert_uint_eq(cs[0].auth, IPMI_AUTH_ALG_HMAC_SHA256);
	ck_assert_uint_eq(cs[0].integ, IPMI_INTEG_HMAC_SHA256_128);
	ck_assert_uint_eq(cs[0].conf, IPMI_CONF_AES_CBC_128);

	ck_assert_int_eq(ipmi_cipher_suites_parse(list, sizeof(list), cs, 8),
	    5);
	ck_assert_uint_eq(cs[0].id, 0);
	ck_assert_uint_eq(cs[0].auth, 0);
	ck_assert_uint_eq(cs[0].integ, 0);
	ck_assert_uint_eq(cs[0].conf, 0);
	ck_assert_uint_eq(cs[2].id, 2);
	ck_assert_uint_eq(cs[2].integ, 1);
	ck_assert_uint_eq(cs[2].conf, 0);
	ck_assert_uint_eq(cs[4].id, 17);
	/* each record matches the standard table */
	for (int i = 0; i < 5; i++) {
		const struct ipmi_cipher_suite *std =
		    ipmi_cipher_suite(cs[i].id);

		ck_assert_ptr_nonnull(std);
		ck_assert_mem_eq(&cs[i], std, sizeof(*std));
	}
	/* at most max are written */
	memset(cs, 0xee, sizeof(cs));
	ck_assert_int_eq(ipmi_cipher_suites_parse(list, sizeof(list), cs, 2),
	    2);
	ck_assert_uint_eq(cs[1].id, 1);
	ck_assert_uint_eq(cs[2].id, 0xee);
	/* OEM suites are skipped, and their IANA is not read as records */
	ck_assert_int_eq(ipmi_cipher_suites_parse(oem, sizeof(oem), cs, 8), 1);
	ck_assert_uint_eq(cs[0].id, 3);
	ck_assert_int_eq(ipmi_cipher_suites_parse(list, 0, cs, 8), 0);
}
END_TEST

START_TEST(test_cipher_suites_prefix)
{
	/* Sun ILOM (sun20): good records, then one with every tag bit clear */
	static const uint8_t sun[] = {
		0xc0, 0x03, 0x01, 0x41, 0x81,
		0xc0, 0x11, 0x03, 0x44, 0x81,
		0x00, 0x11, 0x03, 0x04, 0x01,
	};
	static const uint8_t oem_first[] = {
		0xc1, 0x80, 0xc0, 0xc1, 0x00, 0x01, 0x41, 0x81,
		0xc0, 0x03, 0x01, 0x41, 0x81,
	};
	/* an algorithm byte with the wrong tag ends the list there */
	static const uint8_t bad_alg[] = {
		0xc0, 0x03, 0x01, 0x41, 0x81,
		0xc0, 0x11, 0x03, 0x04, 0x81,
	};
	static const uint8_t cut[] = { 0xc0, 0x03, 0x01, 0x41, 0x81, 0xc0,
	    0x11, 0x03 };
	struct ipmi_cipher_suite cs[4];

	/* the lenient parser folds the bad record into suite 17's */
	ck_assert_int_eq(ipmi_cipher_suites_parse(sun, sizeof(sun), cs, 4), 2);
	ck_assert_uint_eq(cs[1].id, 17);
	ck_assert_uint_ne(cs[1].auth, IPMI_AUTH_ALG_HMAC_SHA256);
	/* the prefix parser keeps both good ones whole */
	ck_assert_int_eq(ipmi_cipher_suites_parse_prefix(sun, sizeof(sun), cs,
	    4), 2);
	ck_assert_mem_eq(&cs[0], ipmi_cipher_suite(3), sizeof(cs[0]));
	ck_assert_mem_eq(&cs[1], ipmi_cipher_suite(17), sizeof(cs[1]));
	ck_assert_int_eq(ipmi_cipher_suites_parse_prefix(sun, sizeof(sun), cs,
	    1), 1);
	ck_assert_int_eq(ipmi_cipher_suites_parse_prefix(oem_first,
	    sizeof(oem_first), cs, 4), 1);
	ck_assert_uint_eq(cs[0].id, 3);
	ck_assert_int_eq(ipmi_cipher_suites_parse_prefix(bad_alg,
	    sizeof(bad_alg), cs, 4), 1);
	ck_assert_int_eq(ipmi_cipher_suites_parse_prefix(cut, sizeof(cut), cs,
	    4), 1);
	ck_assert_int_eq(ipmi_cipher_suites_parse_prefix(cut, 0, cs, 4), 0);
	ck_assert_int_eq(ipmi_cipher_suites_parse_prefix(sun + 10, 5, cs, 4),
	    0);
}
END_TEST

START_TEST(test_cipher_suites_malformed)
{
	static const uint8_t no_start[] = { 0x03, 0x01, 0x41, 0x81 };
	static const uint8_t lone[] = { 0xc0, 0x03, 0x01, 0x41, 0x81, 0xc0 };
	static const uint8_t oem_cut[] = { 0xc1, 0x80, 0x00, 0x00 };
	/* a record without a confidentiality algorithm is no suite */
	static const uint8_t partial[] = { 0xc0, 0x05, 0x01, 0x41,
	    0xc0, 0x03, 0x01, 0x41, 0x81 };
	struct ipmi_cipher_suite cs[4];

	ck_assert_int_eq(ipmi_cipher_suites_parse(no_start, sizeof(no_start),
	    cs, 4), IPMI_E_MALFORMED);
	ck_assert_int_eq(ipmi_cipher_suites_parse(lone, sizeof(lone), cs, 4),
	    IPMI_E_MALFORMED);
	ck_assert_int_eq(ipmi_cipher_suites_parse(lone, 1, cs, 4),
	    IPMI_E_MALFORMED);
	ck_assert_int_eq(ipmi_cipher_suites_parse(oem_cut, sizeof(oem_cut),
	    cs, 4), IPMI_E_MALFORMED);
	ck_assert_int_eq(ipmi_cipher_suites_parse(partial, sizeof(partial),
	    cs, 4), 1);
	ck_assert_uint_eq(cs[0].id, 3);
	/* a record with only an ID */
	ck_assert_int_eq(ipmi_cipher_suites_parse(lone + 4, 0, cs, 4), 0);
	ck_assert_int_eq(ipmi_cipher_suites_parse((const uint8_t *)"\xc0\x03",
	    2, cs, 4), 0);
}
END_TEST

/* --- 22.14b Get System Info Parameters ----------------------------------- */

START_TEST(test_sysinfo_req)
{
	/* get parameter 1, set 2, block 0; worked out from the table */
	static const uint8_t want[] = { 0x00, 0x01, 0x02, 0x00 };
	struct ipmi_sysinfo_req r = { 0, IPMI_SYSINFO_FW_VERSION, 2, 0 }, got;
	uint8_t out[8];
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_sysinfo_req_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_mem_eq(out, want, 4);
	buf_init_read(&b, want, 4);
	ck_assert_int_eq(ipmi_sysinfo_req_decode(&b, &got), 0);
	ck_assert_int_eq(got.rev_only, 0);
	ck_assert_uint_eq(got.param, 1);
	ck_assert_uint_eq(got.set, 2);
	r.rev_only = 1;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_sysinfo_req_encode(&r, &b), 0);
	ck_assert_uint_eq(out[0], 0x80);
	CHECK_SHORT(ipmi_sysinfo_req_decode, want, 4, &got);
	buf_init_write(&b, out, 3);
	ck_assert_int_eq(ipmi_sysinfo_req_encode(&r, &b), IPMI_E_NOSPACE);
}
END_TEST

/* "SE5C620.86B.02.01.0013" (22 bytes) as a BMC sends it: two sets */
static const uint8_t fw_set0[] = { 0x11, 0x00, 0x00, 22, 'S', 'E', '5',
	'C', '6', '2', '0', '.', '8', '6', 'B', '.', '0', '2' };
static const uint8_t fw_set1[] = { 0x11, 0x01, '.', '0', '1', '.', '0',
	'0', '1', '3', 0, 0, 0, 0, 0, 0, 0, 0 };

START_TEST(test_sysinfo_string)
{
	struct ipmi_sysinfo_rsp r, e;
	struct ipmi_sysinfo_str s;
	uint8_t out[32];
	struct buf b;

	ipmi_sysinfo_str_init(&s);
	buf_init_read(&b, fw_set0, sizeof(fw_set0));
	ck_assert_int_eq(ipmi_sysinfo_rsp_decode(&b, &r), 0);
	ck_assert_uint_eq(r.revision, 0x11);
	ck_assert_uint_eq(r.set, 0);
	ck_assert_uint_eq(r.len, 16);
	ck_assert_int_eq(ipmi_sysinfo_str_feed(&s, &r), 0);
	ck_assert_uint_eq(s.next, 1);
	/* set 0 again, not set 1: refused */
	ck_assert_int_eq(ipmi_sysinfo_str_feed(&s, &r), IPMI_E_MALFORMED);
	buf_init_read(&b, fw_set1, sizeof(fw_set1));
	ck_assert_int_eq(ipmi_sysinfo_rsp_decode(&b, &r), 0);
	ck_assert_int_eq(ipmi_sysinfo_str_feed(&s, &r), 1);
	ck_assert_str_eq(s.text, "SE5C620.86B.02.01.0013");

	/* what bmcsim sends is what was decoded: byte for byte */
	ck_assert_int_eq(ipmi_sysinfo_str_set(s.text, 0, &e), 0);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_sysinfo_rsp_encode(&e, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(fw_set0));
	ck_assert_mem_eq(out, fw_set0, sizeof(fw_set0));
	ck_assert_int_eq(ipmi_sysinfo_str_set(s.text, 1, &e), 0);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_sysinfo_rsp_encode(&e, &b), 0);
	ck_assert_mem_eq(out, fw_set1, sizeof(fw_set1));
	ck_assert_int_eq(ipmi_sysinfo_str_set(s.text, 2, &e),
	    IPMI_E_MALFORMED);
	CHECK_SHORT(ipmi_sysinfo_rsp_decode, fw_set0, 1, &r);
}
END_TEST

START_TEST(test_sysinfo_string_hostile)
{
	/* a length of 200 claimed, a short block sent: what arrived */
	static const uint8_t lying[] = { 0x11, 0x00, 0x00, 200, 'A', '1',
	    0x07, 0xff };
	/* UCS-2 (encoding 2) is not read */
	static const uint8_t ucs2[] = { 0x11, 0x00, 0x02, 4, 'A', 0, 'B',
	    0 };
	static const uint8_t rev_only[] = { 0x11 };
	struct ipmi_sysinfo_rsp r;
	struct ipmi_sysinfo_str s;
	struct buf b;

	ipmi_sysinfo_str_init(&s);
	buf_init_read(&b, lying, sizeof(lying));
	ck_assert_int_eq(ipmi_sysinfo_rsp_decode(&b, &r), 0);
	ck_assert_int_eq(ipmi_sysinfo_str_feed(&s, &r), 1);
	ck_assert_str_eq(s.text, "A1??");
	ipmi_sysinfo_str_init(&s);
	buf_init_read(&b, ucs2, sizeof(ucs2));
	ck_assert_int_eq(ipmi_sysinfo_rsp_decode(&b, &r), 0);
	ck_assert_int_eq(ipmi_sysinfo_str_feed(&s, &r), IPMI_E_MALFORMED);
	ipmi_sysinfo_str_init(&s);
	buf_init_read(&b, rev_only, sizeof(rev_only));
	ck_assert_int_eq(ipmi_sysinfo_rsp_decode(&b, &r), 0);
	ck_assert_int_eq(r.has_data, 0);
	ck_assert_int_eq(ipmi_sysinfo_str_feed(&s, &r), IPMI_E_MALFORMED);
}
END_TEST

static Suite *
cmds_suite(void)
{
	Suite *s = suite_create("cmds");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_auth_caps_req);
	tcase_add_test(tc, test_auth_caps_rsp);
	tcase_add_test(tc, test_auth_caps_rsp_flags);
	tcase_add_test(tc, test_challenge);
	tcase_add_test(tc, test_activate);
	tcase_add_test(tc, test_priv_and_close);
	tcase_add_test(tc, test_device_id);
	tcase_add_test(tc, test_device_id_bits);
	tcase_add_test(tc, test_guid);
	tcase_add_test(tc, test_chassis_status);
	tcase_add_test(tc, test_chassis_control);
	tcase_add_test(tc, test_identify);
	tcase_add_test(tc, test_cipher_suites_req_rsp);
	tcase_add_test(tc, test_cipher_suites_parse);
	tcase_add_test(tc, test_cipher_suites_malformed);
	tcase_add_test(tc, test_cipher_suites_prefix);
	tcase_add_test(tc, test_sysinfo_req);
	tcase_add_test(tc, test_sysinfo_string);
	tcase_add_test(tc, test_sysinfo_string_hostile);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cmds_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
