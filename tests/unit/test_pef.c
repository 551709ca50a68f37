/* test_pef: the PEF and LAN alerting codecs against bytes written from the
 * IPMI v2.0 tables (17-2, 30-6, 23-4, 22.24), not from the encoder. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ckmain.h"
#include "ipmi/ipmi.h"
#include "ipmi/pef.h"

START_TEST(test_caps)
{
	/* PEF 1.5, alert + power off + reset + power cycle, 16 filters */
	static const uint8_t w[] = { 0x51, 0x0f, 0x10 };
	struct pef_caps_rsp r, e = { 0x51, 0x0f, 0x10 };
	uint8_t out[8];
	struct buf b;
	struct ipmi_req req;

	buf_init_read(&b, w, sizeof(w));
	ck_assert_int_eq(pef_caps_rsp_decode(&b, &r), 0);
	ck_assert_uint_eq(r.version, 0x51);
	ck_assert_uint_eq(r.actions, PEF_ACT_ALERT | PEF_ACT_POWER_OFF |
	    PEF_ACT_RESET | PEF_ACT_POWER_CYCLE);
	ck_assert_uint_eq(r.nfilters, 16);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(pef_caps_rsp_encode(&e, &b), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_mem_eq(out, w, 3);
	buf_init_read(&b, w, 2);
	ck_assert_int_eq(pef_caps_rsp_decode(&b, &r), IPMI_E_SHORT);
	pef_req_caps(&req);
	ck_assert_uint_eq(req.netfn, IPMI_NETFN_SENSOR);
	ck_assert_uint_eq(req.cmd, 0x10);
	ck_assert_uint_eq(req.len, 0);
}
END_TEST

/* A filter: enabled software filter, alert action to policy 1, critical,
 * any generator/sensor/trigger/offset, event data masks 0 */
static const uint8_t filter_any_crit[] = {
	0x03,			/* set selector: filter 3 */
	0x80,			/* enabled, type 00b software */
	0x01,			/* action: alert */
	0x01,			/* group 0, policy 1 */
	0x10,			/* severity critical */
	0xff, 0xff,		/* generator ID: any */
	0xff, 0xff, 0xff,	/* sensor type, number, trigger: any */
	0xff, 0xff,		/* offset mask, LS byte first */
	0x00, 0x00, 0x00,	/* event data 1 AND, compare 1, 2 */
	0x00, 0x00, 0x00,
	0x00, 0x00, 0x00,
};

START_TEST(test_filter)
{
	static const uint8_t w2[] = {
		0x7f, 0xc0, 0x46, 0x5a, 0x08, 0x20, 0x00, 0x01, 0x30,
		0x6f, 0x34, 0x12, 1, 2, 3, 4, 5, 6, 7, 8, 9,
	};
	struct pef_filter f;
	uint8_t out[PEF_FILTER_DATA_LEN];
	struct ipmi_req req;

	pef_filter_any(&f, 3, PEF_SEV_CRITICAL, PEF_ACT_ALERT, 1);
	ck_assert_int_eq(pef_filter_encode(&f, out, sizeof(out)), 0);
	ck_assert_mem_eq(out, filter_any_crit, sizeof(filter_any_crit));
	ck_assert_int_eq(pef_filter_encode(&f, out, 20), IPMI_E_NOSPACE);

	/* every field in its place: manufacturer type (10b), group 5 +
	 * policy 10, diag interrupt + reset + power off, offset 0x1234 */
	ck_assert_int_eq(pef_filter_decode(w2, sizeof(w2), &f), 0);
	ck_assert_uint_eq(f.set, 0x7f);
	ck_assert(f.enabled);
	ck_assert_uint_eq(f.type, PEF_FILTER_MANUFACTURER);
	ck_assert_uint_eq(f.action, PEF_ACT_POWER_OFF | PEF_ACT_RESET |
	    PEF_ACT_GROUP_CONTROL);
	ck_assert_uint_eq(f.group, 5);
	ck_assert_uint_eq(f.policy, 10);
	ck_assert_uint_eq(f.severity, PEF_SEV_WARNING);
	ck_assert_uint_eq(f.gen1, 0x20);
	ck_assert_uint_eq(f.gen2, 0x00);
	ck_assert_uint_eq(f.sensor_type, 0x01);
	ck_assert_uint_eq(f.sensor_num, 0x30);
	ck_assert_uint_eq(f.trigger, 0x6f);
	ck_assert_uint_eq(f.offset_mask, 0x1234);
	ck_assert_uint_eq(f.ed[0][0], 1);
	ck_assert_uint_eq(f.ed[1][1], 5);
	ck_assert_uint_eq(f.ed[2][2], 9);
	ck_assert(!pef_filter_is_free(&f));
	ck_assert_int_eq(pef_filter_encode(&f, out, sizeof(out)), 0);
	ck_assert_mem_eq(out, w2, sizeof(w2));
	ck_assert_int_eq(pef_filter_decode(w2, 20, &f), IPMI_E_SHORT);

	memset(out, 0, sizeof(out));
	out[0] = 4;
	ck_assert_int_eq(pef_filter_decode(out, sizeof(out), &f), 0);
	ck_assert(pef_filter_is_free(&f));

	/* Set PEF Configuration Parameters: param 6, then the 21 bytes */
	pef_req_set(&req, PEF_PARAM_FILTER, filter_any_crit,
	    sizeof(filter_any_crit));
	ck_assert_uint_eq(req.netfn, IPMI_NETFN_SENSOR);
	ck_assert_uint_eq(req.cmd, 0x12);
	ck_assert_uint_eq(req.len, 22);
	ck_assert_uint_eq(req.data[0], 6);
	ck_assert_mem_eq(req.data + 1, filter_any_crit, 21);
}
END_TEST

START_TEST(test_policy)
{
	/* entry 2: policy 1, enabled, "always", channel 1, destination 3 */
	static const uint8_t w[] = { 0x02, 0x18, 0x13, 0x00 };
	static const uint8_t w2[] = { 0x05, 0xf4, 0xbf, 0x85 };
	struct pef_policy a;
	uint8_t out[PEF_POLICY_DATA_LEN];

	ck_assert_int_eq(pef_policy_decode(w, sizeof(w), &a), 0);
	ck_assert_uint_eq(a.set, 2);
	ck_assert_uint_eq(a.number, 1);
	ck_assert(a.enabled);
	ck_assert_uint_eq(a.policy, PEF_POLICY_ALWAYS);
	ck_assert_uint_eq(a.channel, 1);
	ck_assert_uint_eq(a.dest, 3);
	ck_assert(!a.event_string);
	ck_assert_int_eq(pef_policy_encode(&a, out, sizeof(out)), 0);
	ck_assert_mem_eq(out, w, sizeof(w));

	ck_assert_int_eq(pef_policy_decode(w2, sizeof(w2), &a), 0);
	ck_assert_uint_eq(a.number, 15);
	ck_assert(!a.enabled);
	ck_assert_uint_eq(a.policy, PEF_POLICY_NEXT_TYPE);
	ck_assert_uint_eq(a.channel, 11);
	ck_assert_uint_eq(a.dest, 15);
	ck_assert(a.event_string);
	ck_assert_uint_eq(a.string_set, 5);
	ck_assert(!pef_policy_is_free(&a));
	ck_assert_int_eq(pef_policy_decode(w2, 3, &a), IPMI_E_SHORT);
}
END_TEST

START_TEST(test_get_set)
{
	/* Get PEF Configuration Parameters, param 9 set 2 */
	static const uint8_t getw[] = { 0x09, 0x02, 0x00 };
	/* its answer: revision 11h, then the entry */
	static const uint8_t rspw[] = { 0x11, 0x02, 0x18, 0x13, 0x00 };
	struct ipmi_req req;
	struct pef_get_req g;
	struct pef_get_rsp r;
	struct pef_set_req s;
	struct buf b;
	uint8_t big[40];

	pef_req_get(&req, PEF_PARAM_POLICY, 2);
	ck_assert_uint_eq(req.cmd, 0x13);
	ck_assert_uint_eq(req.len, 3);
	ck_assert_mem_eq(req.data, getw, 3);
	buf_init_read(&b, req.data, req.len);
	ck_assert_int_eq(pef_get_req_decode(&b, &g), 0);
	ck_assert_uint_eq(g.param, 9);
	ck_assert_uint_eq(g.set, 2);
	ck_assert(!g.rev_only);

	buf_init_read(&b, rspw, sizeof(rspw));
	ck_assert_int_eq(pef_get_rsp_decode(&b, &r), 0);
	ck_assert_uint_eq(r.revision, PEF_PARAM_REVISION);
	ck_assert_uint_eq(r.len, 4);
	buf_init_read(&b, rspw, 0);
	ck_assert_int_eq(pef_get_rsp_decode(&b, &r), IPMI_E_SHORT);

	/* a Set with more data than any parameter has is refused */
	memset(big, 0, sizeof(big));
	big[0] = 6;
	buf_init_read(&b, big, sizeof(big));
	ck_assert_int_eq(pef_set_req_decode(&b, &s), IPMI_E_MALFORMED);
	buf_init_read(&b, big, 22);
	ck_assert_int_eq(pef_set_req_decode(&b, &s), 0);
	ck_assert_uint_eq(s.param, 6);
	ck_assert_uint_eq(s.len, 21);
}
END_TEST

START_TEST(test_guid)
{
	uint8_t w[17], out[17];
	struct pef_guid g;
	int i;

	w[0] = 0x01;
	for (i = 1; i < 17; i++)
		w[i] = (uint8_t)i;
	ck_assert_int_eq(pef_guid_decode(w, sizeof(w), &g), 0);
	ck_assert(g.use);
	ck_assert_uint_eq(g.guid[15], 16);
	ck_assert_int_eq(pef_guid_encode(&g, out, sizeof(out)), 0);
	ck_assert_mem_eq(out, w, 17);
	ck_assert_int_eq(pef_guid_decode(w, 16, &g), IPMI_E_SHORT);
}
END_TEST

START_TEST(test_lan_params)
{
	/* Set LAN Config, channel 1, param 19, destination 1: IPv4,
	 * default gateway, 192.168.1.10, MAC 00:11:22:33:44:55 */
	static const uint8_t addrw[] = {
		0x01, 0x13, 0x01, 0x00, 0x00, 0xc0, 0xa8, 0x01, 0x0a,
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
	};
	/* param 18, destination 1: PET, acknowledged, 3 s, 3 retries */
	static const uint8_t typew[] = { 0x01, 0x80, 0x03, 0x03 };
	/* Get LAN Config channel 2 param 16: the request */
	static const uint8_t getw[] = { 0x02, 0x10, 0x00, 0x00 };
	struct lan_dest_addr a, e;
	struct lan_dest_type t;
	struct lan_dest_port p;
	struct lan_set_req s;
	struct lan_get_req g;
	struct ipmi_req req;
	struct buf b;
	uint8_t out[16], v6[13];

	memset(&e, 0, sizeof(e));
	e.set = 1;
	e.format = LAN_ADDR_IPV4;
	memcpy(e.ip, "\xc0\xa8\x01\x0a", 4);
	memcpy(e.mac, "\x00\x11\x22\x33\x44\x55", 6);
	ck_assert_int_eq(lan_dest_addr_encode(&e, out, sizeof(out)), 0);
	lan_req_set(&req, 1, LAN_PARAM_DEST_ADDR, out, LAN_DEST_ADDR_DATA_LEN);
	ck_assert_uint_eq(req.netfn, IPMI_NETFN_TRANSPORT);
	ck_assert_uint_eq(req.cmd, 0x01);
	ck_assert_uint_eq(req.len, sizeof(addrw));
	ck_assert_mem_eq(req.data, addrw, sizeof(addrw));
	buf_init_read(&b, req.data, req.len);
	ck_assert_int_eq(lan_set_req_decode(&b, &s), 0);
	ck_assert_uint_eq(s.channel, 1);
	ck_assert_uint_eq(s.param, 19);
	ck_assert_int_eq(lan_dest_addr_decode(s.data, s.len, &a), 0);
	ck_assert_mem_eq(a.ip, e.ip, 4);
	ck_assert_mem_eq(a.mac, e.mac, 6);
	ck_assert(!a.backup_gw);
	ck_assert_int_eq(lan_dest_addr_decode(s.data, 12, &a), IPMI_E_SHORT);
	memcpy(v6, s.data, 13);
	v6[1] = 0x10;
	ck_assert_int_eq(lan_dest_addr_decode(v6, 13, &a), IPMI_E_MALFORMED);

	ck_assert_int_eq(lan_dest_type_decode(typew, 4, &t), 0);
	ck_assert_uint_eq(t.set, 1);
	ck_assert(t.ack);
	ck_assert_uint_eq(t.type, LAN_DEST_PET);
	ck_assert_uint_eq(t.timeout, 3);
	ck_assert_uint_eq(t.retries, 3);
	ck_assert_int_eq(lan_dest_type_encode(&t, out, sizeof(out)), 0);
	ck_assert_mem_eq(out, typew, 4);
	ck_assert_int_eq(lan_dest_type_decode(typew, 3, &t), IPMI_E_SHORT);

	/* the OEM port: 16162 = 0x3f22, LS byte first */
	p.set = 2;
	p.port = 16162;
	ck_assert_int_eq(lan_dest_port_encode(&p, out, sizeof(out)), 0);
	ck_assert_uint_eq(out[0], 2);
	ck_assert_uint_eq(out[1], 0x22);
	ck_assert_uint_eq(out[2], 0x3f);
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(lan_dest_port_decode(out, 3, &p), 0);
	ck_assert_uint_eq(p.port, 16162);
	ck_assert_int_eq(lan_dest_port_decode(out, 2, &p), IPMI_E_SHORT);

	lan_req_get(&req, 2, LAN_PARAM_COMMUNITY, 0);
	ck_assert_uint_eq(req.cmd, 0x02);
	ck_assert_mem_eq(req.data, getw, sizeof(getw));
	buf_init_read(&b, req.data, req.len);
	ck_assert_int_eq(lan_get_req_decode(&b, &g), 0);
	ck_assert_uint_eq(g.channel, 2);
	ck_assert_uint_eq(g.param, 16);
}
END_TEST

START_TEST(test_community)
{
	uint8_t w[LAN_COMMUNITY_LEN];
	char s[LAN_COMMUNITY_LEN + 1];
	uint8_t rsp[] = { 0x11, 'p', 'u', 'b', 'l', 'i', 'c', 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0 };
	struct lan_get_rsp r;
	struct buf b;

	ck_assert_int_eq(lan_community_encode("public", w), 0);
	ck_assert_mem_eq(w, rsp + 1, LAN_COMMUNITY_LEN);
	ck_assert_int_eq(lan_community_encode("0123456789abcdefgh", w), 0);
	ck_assert_int_eq(lan_community_decode(w, sizeof(w), s), 0);
	ck_assert_str_eq(s, "0123456789abcdefgh");
	ck_assert_int_eq(lan_community_encode("0123456789abcdefghi", w),
	    IPMI_E_INVAL);

	buf_init_read(&b, rsp, sizeof(rsp));
	ck_assert_int_eq(lan_get_rsp_decode(&b, &r), 0);
	ck_assert_uint_eq(r.revision, 0x11);
	ck_assert_uint_eq(r.len, 18);
	ck_assert_int_eq(lan_community_decode(r.data, r.len, s), 0);
	ck_assert_str_eq(s, "public");
	ck_assert_int_eq(lan_community_decode(r.data, 17, s), IPMI_E_SHORT);
	/* a control byte ends the string: nothing unprintable reaches us */
	r.data[2] = 0x07;
	ck_assert_int_eq(lan_community_decode(r.data, r.len, s), 0);
	ck_assert_str_eq(s, "pu");
}
END_TEST

START_TEST(test_chan_info)
{
	/* channel 2, 802.3 LAN, IPMB-1.0 protocol (01h), multi-session
	 * (10b) with 1 active, IPMI IANA 7154 = 0x001bf2 LS first */
	static const uint8_t w[] = { 0x02, 0x04, 0x01, 0x81, 0xf2, 0x1b,
	    0x00, 0x00, 0x00 };
	struct chan_info_rsp r;
	struct ipmi_req req;
	struct buf b;
	uint8_t out[16];

	buf_init_read(&b, w, sizeof(w));
	ck_assert_int_eq(chan_info_rsp_decode(&b, &r), 0);
	ck_assert_uint_eq(r.channel, 2);
	ck_assert_uint_eq(r.medium, CHAN_MEDIUM_LAN);
	ck_assert_uint_eq(r.protocol, 1);
	ck_assert_uint_eq(r.sessions, 2);
	ck_assert_uint_eq(r.active, 1);
	ck_assert_uint_eq(r.iana, 7154);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(chan_info_rsp_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(w));
	ck_assert_mem_eq(out, w, sizeof(w));
	/* the aux bytes are optional; the IANA is not */
	buf_init_read(&b, w, 7);
	ck_assert_int_eq(chan_info_rsp_decode(&b, &r), 0);
	buf_init_read(&b, w, 6);
	ck_assert_int_eq(chan_info_rsp_decode(&b, &r), IPMI_E_SHORT);

	chan_req_info(&req, 7);
	ck_assert_uint_eq(req.netfn, IPMI_NETFN_APP);
	ck_assert_uint_eq(req.cmd, 0x42);
	ck_assert_uint_eq(req.len, 1);
	ck_assert_uint_eq(req.data[0], 7);
}
END_TEST

START_TEST(test_severity)
{
	ck_assert_int_eq(pef_severity_parse("warning"), 0x08);
	ck_assert_int_eq(pef_severity_parse("critical"), 0x10);
	ck_assert_int_eq(pef_severity_parse("info"), 0x02);
	ck_assert_int_eq(pef_severity_parse("information"), 0x02);
	ck_assert_int_eq(pef_severity_parse("non-recoverable"), 0x20);
	ck_assert_int_eq(pef_severity_parse("bad"), -1);
	ck_assert_str_eq(pef_severity_name(0x10), "critical");
	ck_assert_str_eq(pef_severity_name(0x03), "unknown");
}
END_TEST

static Suite *
pef_suite(void)
{
	Suite *s = suite_create("pef");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_caps);
	tcase_add_test(tc, test_filter);
	tcase_add_test(tc, test_policy);
	tcase_add_test(tc, test_get_set);
	tcase_add_test(tc, test_guid);
	tcase_add_test(tc, test_lan_params);
	tcase_add_test(tc, test_community);
	tcase_add_test(tc, test_chan_info);
	tcase_add_test(tc, test_severity);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(pef_suite());
}
