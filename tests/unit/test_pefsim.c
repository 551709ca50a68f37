/*
 * sim/pefsim: a simulated BMC's PEF, LAN alert destinations and PET
 * traps, driven through sim_bmc_handle as a session would and checked
 * with the library's own codecs (ipmi/pef.h, ipmi/pet.h): the filter
 * matcher against hand-made filters, parameter round trips, the channel
 * to discover, and a trap's bytes decoded back to the SEL entry.
 */
#include <check.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/msg.h"
#include "ipmi/pef.h"
#include "ipmi/pet.h"
#include "ipmi/sel.h"
#include "sim/bmc.h"
#include "sim/model.h"
#include "sim/pefsim.h"
#include "sim/sensors.h"
#include "sim/store.h"
#include "ckmain.h"

#define EPOCH	1650000000u

static struct sim_bmc b;
static uint8_t out[IPMI_MAX_PAYLOAD];
static size_t outlen;

static void
setup(void)
{
	sim_store_configure(0, EPOCH);
	sim_store_start(0);
	sim_store_sel_rate(0);
	sim_bmc_init(&b, sim_model_find("dell-r640"), 42, 1000);
	b.addr = 0x7f004801;	/* 127.0.72.1 */
}

static void
teardown(void)
{
	sim_bmc_release(&b);
}

static uint8_t
call(struct sim_bmc *x, uint8_t priv, uint8_t netfn, uint8_t cmd,
    const uint8_t *data, size_t len)
{
	struct ipmi_msg m;

	ipmi_msg_request(&m, netfn, cmd, 1, data, len);
	return sim_bmc_handle(x, 1000, priv, &m, out, sizeof(out), &outlen);
}

static uint8_t
pef_set(const uint8_t *data, size_t len)
{
	struct ipmi_req r;

	pef_req_set(&r, data[0], data + 1, len - 1);
	return call(&b, IPMI_PRIV_ADMIN, r.netfn, r.cmd, r.data, r.len);
}

/* Get PEF parameter: the data after the revision byte into out */
static uint8_t
pef_get(uint8_t param, uint8_t set)
{
	struct ipmi_req r;
	uint8_t cc;

	pef_req_get(&r, param, set);
	cc = call(&b, IPMI_PRIV_USER, r.netfn, r.cmd, r.data, r.len);
	if (cc == IPMI_CC_OK) {
		ck_assert_uint_ge(outlen, 1);
		ck_assert_uint_eq(out[0], PEF_PARAM_REVISION);
		memmove(out, out + 1, --outlen);
	}
	return cc;
}

static uint8_t
lan_set(uint8_t ch, uint8_t param, const uint8_t *data, size_t len)
{
	struct ipmi_req r;

	lan_req_set(&r, ch, param, data, len);
	return call(&b, IPMI_PRIV_ADMIN, r.netfn, r.cmd, r.data, r.len);
}

static uint8_t
lan_get(uint8_t ch, uint8_t param, uint8_t set)
{
	struct ipmi_req r;
	uint8_t cc;

	lan_req_get(&r, ch, param, set);
	cc = call(&b, IPMI_PRIV_USER, r.netfn, r.cmd, r.data, r.len);
	if (cc == IPMI_CC_OK) {
		ck_assert_uint_ge(outlen, 1);
		memmove(out, out + 1, --outlen);
	}
	return cc;
}

/* A system event record as the SEL holds it. */
static void
rec(uint8_t r[16], uint8_t stype, uint8_t snum, uint8_t etype, int deassert,
    uint8_t d1, uint8_t d2, uint8_t d3)
{
	memset(r, 0, 16);
	r[0] = 7;
	r[2] = SEL_TYPE_SYSTEM;
	r[3] = 0x10;
	r[4] = 0x20;
	r[5] = 0x30;
	r[6] = 0x62;
	r[7] = 0x20;
	r[9] = 0x04;
	r[10] = stype;
	r[11] = snum;
	r[12] = (uint8_t)((deassert ? 0x80 : 0) | etype);
	r[13] = d1;
	r[14] = d2;
	r[15] = d3;
}

/* --- the matcher ------------------------------------------------------------ */

START_TEST(test_filter_match)
{
	struct pef_filter f;
	uint8_t psu[16], temp[16], oem[16];

	rec(psu, 0x08, SIM_SENSOR_PS1, 0x6f, 0, 0x01, 0xff, 0xff);
	rec(temp, 0x01, SIM_SENSOR_CPU1_TEMP, 0x01, 0, 0x57, 87, 85);
	memset(oem, 0, sizeof(oem));
	oem[2] = 0xe0;

	pef_filter_any(&f, 1, PEF_SEV_CRITICAL, PEF_ACT_ALERT, 1);
	ck_assert(sim_pef_filter_match(&f, psu));
	ck_assert(sim_pef_filter_match(&f, temp));
	ck_assert(!sim_pef_filter_match(&f, oem));

	f.sensor_type = 0x08;
	ck_assert(sim_pef_filter_match(&f, psu));
	ck_assert(!sim_pef_filter_match(&f, temp));
	f.sensor_num = SIM_SENSOR_PS2;
	ck_assert(!sim_pef_filter_match(&f, psu));
	f.sensor_num = SIM_SENSOR_PS1;
	f.trigger = 0x01;
	ck_assert(!sim_pef_filter_match(&f, psu));
	f.trigger = 0x6f;
	/* offsets: failure (01h) yes, presence (00h) no */
	f.offset_mask = 1u << 1;
	ck_assert(sim_pef_filter_match(&f, psu));
	f.offset_mask = 1u << 0;
	ck_assert(!sim_pef_filter_match(&f, psu));
	f.offset_mask = 0xffff;
	/* generator: the BMC (20h) on channel 0 */
	f.gen1 = 0x22;
	ck_assert(!sim_pef_filter_match(&f, psu));
	f.gen1 = 0x20;
	f.gen2 = 0x00;
	ck_assert(sim_pef_filter_match(&f, psu));
	/* deassertions go through the same filter */
	psu[12] |= 0x80;
	ck_assert(sim_pef_filter_match(&f, psu));

	/* event data 3 exactly 85 (the threshold): all bits exact */
	pef_filter_any(&f, 1, PEF_SEV_WARNING, PEF_ACT_ALERT, 1);
	f.ed[2][0] = 0xff;
	f.ed[2][1] = 0xff;
	f.ed[2][2] = 85;
	ck_assert(sim_pef_filter_match(&f, temp));
	f.ed[2][2] = 90;
	ck_assert(!sim_pef_filter_match(&f, temp));
	/* data 1 bits 3:0 not exact: any of them equal to compare 2 */
	pef_filter_any(&f, 1, PEF_SEV_WARNING, PEF_ACT_ALERT, 1);
	f.ed[0][0] = 0x0f;
	f.ed[0][1] = 0x00;
	f.ed[0][2] = 0x08;	/* 0111b vs 1000b: no bit equal */
	ck_assert(!sim_pef_filter_match(&f, temp));
	f.ed[0][2] = 0x01;	/* 0111b vs 0001b: bits 0,3 equal */
	ck_assert(sim_pef_filter_match(&f, temp));
}
END_TEST

/* --- parameters ------------------------------------------------------------- */

START_TEST(test_pef_params)
{
	struct pef_caps_rsp caps;
	struct pef_filter f, g;
	struct pef_policy p, q;
	struct buf r;
	uint8_t d[PEF_FILTER_DATA_LEN + 1], v;

	ck_assert_uint_eq(call(&b, IPMI_PRIV_USER, IPMI_NETFN_SENSOR,
	    IPMI_CMD_GET_PEF_CAPS, NULL, 0), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(pef_caps_rsp_decode(&r, &caps), 0);
	ck_assert_uint_eq(caps.version, 0x51);
	ck_assert_uint_eq(caps.actions, PEF_ACT_ALERT);
	ck_assert_uint_eq(caps.nfilters, SIM_PEF_FILTERS);

	/* factory: PEF off, filters 1-4 pre-configured and off, 5 free */
	ck_assert_uint_eq(pef_get(PEF_PARAM_CONTROL, 0), IPMI_CC_OK);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_uint_eq(pef_get(PEF_PARAM_FILTER, 1), IPMI_CC_OK);
	ck_assert_int_eq(pef_filter_decode(out, outlen, &g), 0);
	ck_assert_uint_eq(g.type, PEF_FILTER_MANUFACTURER);
	ck_assert(!g.enabled);
	ck_assert(!pef_filter_is_free(&g));
	ck_assert_uint_eq(pef_get(PEF_PARAM_FILTER, 5), IPMI_CC_OK);
	ck_assert_int_eq(pef_filter_decode(out, outlen, &g), 0);
	ck_assert(pef_filter_is_free(&g));

	/* a filter, written and read back */
	pef_filter_any(&f, 5, PEF_SEV_CRITICAL, PEF_ACT_ALERT, 3);
	f.sensor_type = 0x08;
	f.offset_mask = 0x0002;
	f.ed[2][0] = 0xf0;
	d[0] = PEF_PARAM_FILTER;
	ck_assert_int_eq(pef_filter_encode(&f, d + 1, sizeof(d) - 1), 0);
	ck_assert_uint_eq(pef_set(d, sizeof(d)), IPMI_CC_OK);
	ck_assert_uint_eq(pef_get(PEF_PARAM_FILTER, 5), IPMI_CC_OK);
	ck_assert_uint_eq(outlen, PEF_FILTER_DATA_LEN);
	ck_assert_int_eq(pef_filter_decode(out, outlen, &g), 0);
	ck_assert_uint_eq(g.set, 5);
	ck_assert_int_eq(g.enabled, 1);
	ck_assert_uint_eq(g.action, PEF_ACT_ALERT);
	ck_assert_uint_eq(g.policy, 3);
	ck_assert_uint_eq(g.severity, PEF_SEV_CRITICAL);
	ck_assert_uint_eq(g.sensor_type, 0x08);
	ck_assert_uint_eq(g.sensor_num, PEF_MATCH_ANY);
	ck_assert_uint_eq(g.offset_mask, 0x0002);
	ck_assert_mem_eq(g.ed, f.ed, sizeof(f.ed));
	/* parameter 7: the filter's first byte alone */
	d[0] = PEF_PARAM_FILTER_DATA1;
	d[1] = 5;
	d[2] = 0x00;
	ck_assert_uint_eq(pef_set(d, 3), IPMI_CC_OK);
	ck_assert_uint_eq(pef_get(PEF_PARAM_FILTER, 5), IPMI_CC_OK);
	ck_assert_int_eq(pef_filter_decode(out, outlen, &g), 0);
	ck_assert(!g.enabled);

	/* a policy */
	memset(&p, 0, sizeof(p));
	p.set = 2;
	p.number = 3;
	p.enabled = 1;
	p.policy = PEF_POLICY_ALWAYS;
	p.channel = 1;
	p.dest = 2;
	d[0] = PEF_PARAM_POLICY;
	ck_assert_int_eq(pef_policy_encode(&p, d + 1, sizeof(d) - 1), 0);
	ck_assert_uint_eq(pef_set(d, 1 + PEF_POLICY_DATA_LEN), IPMI_CC_OK);
	ck_assert_uint_eq(pef_get(PEF_PARAM_POLICY, 2), IPMI_CC_OK);
	ck_assert_int_eq(pef_policy_decode(out, outlen, &q), 0);
	ck_assert_uint_eq(q.set, 2);
	ck_assert_uint_eq(q.number, 3);
	ck_assert_int_eq(q.enabled, 1);
	ck_assert_uint_eq(q.policy, PEF_POLICY_ALWAYS);
	ck_assert_uint_eq(q.channel, 1);
	ck_assert_uint_eq(q.dest, 2);

	/* one-byte parameters; read-only and unknown ones */
	d[0] = PEF_PARAM_ACTION_CONTROL;
	d[1] = PEF_ACT_ALERT;
	ck_assert_uint_eq(pef_set(d, 2), IPMI_CC_OK);
	ck_assert_uint_eq(pef_get(PEF_PARAM_ACTION_CONTROL, 0), IPMI_CC_OK);
	ck_assert_uint_eq(out[0], PEF_ACT_ALERT);
	d[0] = PEF_PARAM_NUM_FILTERS;
	ck_assert_uint_eq(pef_set(d, 2), IPMI_CC_READ_ONLY);
	ck_assert_uint_eq(pef_get(PEF_PARAM_NUM_POLICIES, 0), IPMI_CC_OK);
	ck_assert_uint_eq(out[0], SIM_PEF_POLICIES);
	ck_assert_uint_eq(pef_get(0x40, 0), IPMI_CC_PARAM_UNSUPPORTED);
	ck_assert_uint_eq(pef_get(PEF_PARAM_FILTER, SIM_PEF_FILTERS + 1),
	    IPMI_CC_PARAM_RANGE);
	/* set in progress: a second "in progress" is refused */
	d[0] = PEF_PARAM_SET_IN_PROGRESS;
	d[1] = PARAM_SET_IN_PROGRESS;
	ck_assert_uint_eq(pef_set(d, 2), IPMI_CC_OK);
	ck_assert_uint_eq(pef_set(d, 2), IPMI_CC_SET_IN_PROGRESS);
	d[1] = PARAM_SET_COMPLETE;
	ck_assert_uint_eq(pef_set(d, 2), IPMI_CC_OK);
	/* setting needs admin */
	v = 1;
	{
		struct ipmi_req rq;

		pef_req_set(&rq, PEF_PARAM_CONTROL, &v, 1);
		ck_assert_uint_eq(call(&b, IPMI_PRIV_OPERATOR, rq.netfn,
		    rq.cmd, rq.data, rq.len), IPMI_CC_PRIVILEGE);
	}
}
END_TEST

START_TEST(test_lan_params)
{
	struct lan_dest_type t, t2;
	struct lan_dest_addr a, a2;
	struct lan_dest_port pt, pt2;
	uint8_t d[LAN_PARAM_MAX];
	char com[LAN_COMMUNITY_LEN + 1];

	ck_assert_uint_eq(lan_get(1, LAN_PARAM_NUM_DEST, 0), IPMI_CC_OK);
	ck_assert_uint_eq(out[0] & LAN_NUM_DEST_MASK, SIM_LAN_DESTS);
	ck_assert_uint_eq(lan_get(1, LAN_PARAM_COMMUNITY, 0), IPMI_CC_OK);
	ck_assert_int_eq(lan_community_decode(out, outlen, com), 0);
	ck_assert_str_eq(com, "public");
	ck_assert_uint_eq(lan_get(1, 3, 0), IPMI_CC_OK);	/* its IP */
	ck_assert_mem_eq(out, "\x7f\x00\x48\x01", 4);

	ck_assert_int_eq(lan_community_encode("fleet", d), 0);
	ck_assert_uint_eq(lan_set(1, LAN_PARAM_COMMUNITY, d,
	    LAN_COMMUNITY_LEN), IPMI_CC_OK);
	ck_assert_uint_eq(lan_get(1, LAN_PARAM_COMMUNITY, 0), IPMI_CC_OK);
	ck_assert_int_eq(lan_community_decode(out, outlen, com), 0);
	ck_assert_str_eq(com, "fleet");

	memset(&t, 0, sizeof(t));
	t.set = 3;
	t.ack = 1;
	t.type = LAN_DEST_PET;
	t.timeout = 2;
	t.retries = 4;
	ck_assert_int_eq(lan_dest_type_encode(&t, d, sizeof(d)), 0);
	ck_assert_uint_eq(lan_set(1, LAN_PARAM_DEST_TYPE, d,
	    LAN_DEST_TYPE_DATA_LEN), IPMI_CC_OK);
	ck_assert_uint_eq(lan_get(1, LAN_PARAM_DEST_TYPE, 3), IPMI_CC_OK);
	ck_assert_int_eq(lan_dest_type_decode(out, outlen, &t2), 0);
	ck_assert_uint_eq(t2.set, 3);
	ck_assert_int_eq(t2.ack, 1);
	ck_assert_uint_eq(t2.type, LAN_DEST_PET);
	ck_assert_uint_eq(t2.timeout, 2);
	ck_assert_uint_eq(t2.retries, 4);

	memset(&a, 0, sizeof(a));
	a.set = 3;
	memcpy(a.ip, "\x7f\x00\x48\xfa", 4);
	memcpy(a.mac, "\x02\x00\x00\x00\x00\x01", 6);
	ck_assert_int_eq(lan_dest_addr_encode(&a, d, sizeof(d)), 0);
	ck_assert_uint_eq(lan_set(1, LAN_PARAM_DEST_ADDR, d,
	    LAN_DEST_ADDR_DATA_LEN), IPMI_CC_OK);
	ck_assert_uint_eq(lan_get(0x0e, LAN_PARAM_DEST_ADDR, 3), IPMI_CC_OK);
	ck_assert_int_eq(lan_dest_addr_decode(out, outlen, &a2), 0);
	ck_assert_uint_eq(a2.set, 3);
	ck_assert_uint_eq(a2.format, LAN_ADDR_IPV4);
	ck_assert_int_eq(a2.backup_gw, 0);
	ck_assert_mem_eq(a2.ip, a.ip, 4);
	ck_assert_mem_eq(a2.mac, a.mac, 6);

	pt.set = 3;
	pt.port = 16200;
	ck_assert_int_eq(lan_dest_port_encode(&pt, d, sizeof(d)), 0);
	ck_assert_uint_eq(lan_set(1, LAN_PARAM_OEM_DEST_PORT, d,
	    LAN_DEST_PORT_DATA_LEN), IPMI_CC_OK);
	ck_assert_uint_eq(lan_get(1, LAN_PARAM_OEM_DEST_PORT, 3), IPMI_CC_OK);
	ck_assert_int_eq(lan_dest_port_decode(out, outlen, &pt2), 0);
	ck_assert_uint_eq(pt2.port, 16200);
	ck_assert_uint_eq(lan_get(1, LAN_PARAM_OEM_DEST_PORT, 1), IPMI_CC_OK);
	ck_assert_int_eq(lan_dest_port_decode(out, outlen, &pt2), 0);
	ck_assert_uint_eq(pt2.port, 162);

	/* not the LAN channel; a selector past the destinations; RO */
	ck_assert_uint_eq(lan_get(2, LAN_PARAM_NUM_DEST, 0),
	    IPMI_CC_INVALID_FIELD);
	ck_assert_uint_eq(lan_get(1, LAN_PARAM_DEST_TYPE, SIM_LAN_DESTS + 1),
	    IPMI_CC_PARAM_RANGE);
	d[0] = 9;
	ck_assert_uint_eq(lan_set(1, LAN_PARAM_NUM_DEST, d, 1),
	    IPMI_CC_READ_ONLY);
	ck_assert_uint_eq(lan_get(1, 0x99, 0), IPMI_CC_PARAM_UNSUPPORTED);
}
END_TEST

/* hpe-dl380's LAN is channel 2: a client must ask Get Channel Info */
START_TEST(test_channel_info)
{
	static const struct { const char *model; uint8_t lan; } m[] = {
		{ "dell-r640", 1 }, { "hpe-dl380", 2 },
	};
	struct chan_info_rsp c;
	struct sim_bmc x;
	struct ipmi_req rq;
	struct buf r;
	size_t i;
	uint8_t ch;

	for (i = 0; i < 2; i++) {
		sim_bmc_init(&x, sim_model_find(m[i].model), 7, 0);
		for (ch = 1; ch <= IPMI_MAX_CHANNEL; ch++) {
			chan_req_info(&rq, ch);
			if (call(&x, IPMI_PRIV_USER, rq.netfn, rq.cmd, rq.data,
			    rq.len) != IPMI_CC_OK)
				continue;
			buf_init_read(&r, out, outlen);
			ck_assert_int_eq(chan_info_rsp_decode(&r, &c), 0);
			if (c.medium == CHAN_MEDIUM_LAN)
				break;
		}
		ck_assert_uint_eq(ch, m[i].lan);
		ck_assert_uint_eq(c.channel, m[i].lan);
		ck_assert_uint_eq(sim_pef_lan_channel(&x), m[i].lan);
		sim_bmc_release(&x);
	}
}
END_TEST

/* --- traps ------------------------------------------------------------------- */

/* destination 1 at 127.0.72.250:16200, policy 1, one filter, PEF on */
static void
configure(int ack)
{
	struct lan_dest_type t = { 1, 0, LAN_DEST_PET, 2, 2 };
	struct lan_dest_addr a;
	struct lan_dest_port pt = { 1, 16200 };
	struct pef_filter f;
	struct pef_policy p;
	uint8_t d[PEF_FILTER_DATA_LEN + 1];

	t.ack = ack;
	ck_assert_int_eq(lan_dest_type_encode(&t, d, sizeof(d)), 0);
	ck_assert_uint_eq(lan_set(1, LAN_PARAM_DEST_TYPE, d,
	    LAN_DEST_TYPE_DATA_LEN), IPMI_CC_OK);
	memset(&a, 0, sizeof(a));
	a.set = 1;
	memcpy(a.ip, "\x7f\x00\x48\xfa", 4);
	ck_assert_int_eq(lan_dest_addr_encode(&a, d, sizeof(d)), 0);
	ck_assert_uint_eq(lan_set(1, LAN_PARAM_DEST_ADDR, d,
	    LAN_DEST_ADDR_DATA_LEN), IPMI_CC_OK);
	ck_assert_int_eq(lan_dest_port_encode(&pt, d, sizeof(d)), 0);
	ck_assert_uint_eq(lan_set(1, LAN_PARAM_OEM_DEST_PORT, d,
	    LAN_DEST_PORT_DATA_LEN), IPMI_CC_OK);

	/* critical power supply events only */
	pef_filter_any(&f, 6, PEF_SEV_CRITICAL, PEF_ACT_ALERT, 1);
	f.sensor_type = 0x08;
	f.offset_mask = 1u << 1;
	d[0] = PEF_PARAM_FILTER;
	ck_assert_int_eq(pef_filter_encode(&f, d + 1, sizeof(d) - 1), 0);
	ck_assert_uint_eq(pef_set(d, sizeof(d)), IPMI_CC_OK);
	memset(&p, 0, sizeof(p));
	p.set = 1;
	p.number = 1;
	p.enabled = 1;
	p.channel = 1;
	p.dest = 1;
	d[0] = PEF_PARAM_POLICY;
	ck_assert_int_eq(pef_policy_encode(&p, d + 1, sizeof(d) - 1), 0);
	ck_assert_uint_eq(pef_set(d, 1 + PEF_POLICY_DATA_LEN), IPMI_CC_OK);
	d[0] = PEF_PARAM_ACTION_CONTROL;
	d[1] = PEF_ACT_ALERT;
	ck_assert_uint_eq(pef_set(d, 2), IPMI_CC_OK);
	d[0] = PEF_PARAM_CONTROL;
	d[1] = PEF_CTL_ENABLE;
	ck_assert_uint_eq(pef_set(d, 2), IPMI_CC_OK);
}

START_TEST(test_trap_bytes)
{
	struct sim_alert a[4];
	struct pet_trap t;
	struct pet p;
	struct sel_entry e;
	uint8_t r[16], sel[16], pkt[512];
	struct buf w;
	int id;

	/* the prehistory is not alerted on, nor is anything before PEF on */
	ck_assert_int_ge(sim_store_sel_add_now(&b, 1000, SIM_SEV_CRITICAL, 0,
	    NULL), 1);
	configure(0);
	ck_assert_uint_eq(sim_pef_take(&b, 1000, a, 4), 0);
	/* a warning (CPU temperature) matches no filter */
	ck_assert_int_ge(sim_store_sel_add_now(&b, 1000, SIM_SEV_WARNING, 0,
	    NULL), 1);
	ck_assert_uint_eq(sim_pef_take(&b, 1000, a, 4), 0);
	/* the critical one does */
	id = sim_store_sel_add_now(&b, 1000, SIM_SEV_CRITICAL, 0, r);
	ck_assert_int_ge(id, 1);
	ck_assert_uint_eq(sim_pef_take(&b, 1000, a, 4), 1);
	ck_assert_uint_eq(a[0].dest, 1);
	ck_assert_mem_eq(a[0].ip, "\x7f\x00\x48\xfa", 4);
	ck_assert_uint_eq(a[0].port, 16200);
	ck_assert_uint_eq(sim_pef_take(&b, 1000, a + 1, 3), 0);

	buf_init_write(&w, pkt, sizeof(pkt));
	ck_assert_int_eq(sim_pef_trap_encode(&b, &a[0],
	    (const uint8_t *)"\x7f\x00\x48\x01", 4242, &w), 0);
	ck_assert_int_eq(pet_datagram_decode(pkt, w.len, &t, &p), 0);
	ck_assert_str_eq(t.community, "public");
	ck_assert_mem_eq(t.agent_addr, "\x7f\x00\x48\x01", 4);
	ck_assert_uint_eq(t.timeticks, 4242);
	ck_assert_uint_eq(t.varbind_len, 47);
	ck_assert_mem_eq(p.guid, b.guid, 16);
	ck_assert_uint_eq(p.severity, PET_SEV_CRITICAL);
	ck_assert_uint_eq(p.sensor_type, 0x08);
	ck_assert_uint_eq(p.sensor_number, SIM_SENSOR_PS1);
	ck_assert_uint_eq(p.event_type, 0x6f);
	ck_assert_uint_eq(p.offset, 0x01);
	ck_assert_uint_eq(p.direction, 0);
	ck_assert_uint_eq(p.entity, 0x0a);	/* power supply, the SDR's */
	ck_assert_uint_eq(p.manufacturer, 674);
	ck_assert_uint_eq(p.timestamp, EPOCH + 1 - PET_EPOCH_UNIX);
	/* back to the SEL record: the entry, but for its record ID */
	pet_to_sel(&p, sel);
	ck_assert_int_eq(sel_decode(sel, 16, &e), 0);
	ck_assert_mem_eq(sel + 2, r + 2, 14);

	/* the recovery: deasserted, the same filter */
	ck_assert_int_ge(sim_store_sel_add_now(&b, 1000, SIM_SEV_CRITICAL, 1,
	    NULL), 1);
	ck_assert_uint_eq(sim_pef_take(&b, 1000, a, 4), 1);
	ck_assert_uint_eq(a[0].pet.direction, 1);
	ck_assert_uint_ne(a[0].pet.sequence, p.sequence);

	/* PEF off: nothing */
	{
		uint8_t d[2] = { PEF_PARAM_CONTROL, 0 };

		ck_assert_uint_eq(pef_set(d, 2), IPMI_CC_OK);
	}
	ck_assert_int_ge(sim_store_sel_add_now(&b, 1000, SIM_SEV_CRITICAL, 0,
	    NULL), 1);
	ck_assert_uint_eq(sim_pef_take(&b, 1000, a, 4), 0);
	ck_assert_uint_eq(b.cnt.pet_acked, 0);
}
END_TEST

/* an acknowledged destination: resent each timeout until the ack */
START_TEST(test_ack_and_resend)
{
	struct sim_alert a[2], x;
	struct ipmi_pet_ack_req ack;
	uint8_t d[PET_ACK_REQ_LEN];
	struct buf w;

	configure(1);
	ck_assert_int_ge(sim_store_sel_add_now(&b, 1000, SIM_SEV_CRITICAL, 0,
	    NULL), 1);
	ck_assert_uint_eq(sim_pef_take(&b, 1000, a, 2), 1);
	/* timeout 2 s, 2 retries */
	ck_assert_int_eq(sim_pef_resend(&b, 2999, &x), 0);
	ck_assert_int_eq(sim_pef_resend(&b, 3000, &x), 1);
	ck_assert_uint_eq(x.pet.sequence, a[0].pet.sequence);
	ck_assert_int_eq(sim_pef_resend(&b, 3000, &x), 0);
	ck_assert_uint_eq(b.cnt.pet_resent, 1);

	/* a stranger's ack changes nothing */
	pet_ack_from(&a[0].pet, &ack);
	ack.sequence++;
	buf_init_write(&w, d, sizeof(d));
	ck_assert_int_eq(ipmi_pet_ack_req_encode(&ack, &w), 0);
	ck_assert_uint_eq(call(&b, IPMI_PRIV_CALLBACK, IPMI_NETFN_SENSOR,
	    IPMI_CMD_PET_ACK, d, w.len), IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.pet_ack_unknown, 1);
	ck_assert_int_eq(sim_pef_resend(&b, 5000, &x), 1);

	/* the right one ends the resends */
	pet_ack_from(&a[0].pet, &ack);
	buf_init_write(&w, d, sizeof(d));
	ck_assert_int_eq(ipmi_pet_ack_req_encode(&ack, &w), 0);
	ck_assert_uint_eq(call(&b, IPMI_PRIV_CALLBACK, IPMI_NETFN_SENSOR,
	    IPMI_CMD_PET_ACK, d, w.len), IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.pet_acked, 1);
	ck_assert_int_eq(sim_pef_resend(&b, 60000, &x), 0);
	ck_assert_uint_eq(b.cnt.pet_gave_up, 0);

	/* never acknowledged: two resends, then it gives up */
	ck_assert_int_ge(sim_store_sel_add_now(&b, 1000, SIM_SEV_CRITICAL, 0,
	    NULL), 1);
	ck_assert_uint_eq(sim_pef_take(&b, 1000, a, 2), 1);
	ck_assert_int_eq(sim_pef_resend(&b, 3000, &x), 1);
	ck_assert_int_eq(sim_pef_resend(&b, 5000, &x), 1);
	ck_assert_int_eq(sim_pef_resend(&b, 7000, &x), 0);
	ck_assert_uint_eq(b.cnt.pet_gave_up, 1);
	ck_assert_uint_eq(b.cnt.pet_resent, 4);
}
END_TEST

static Suite *
pefsim_suite(void)
{
	Suite *s = suite_create("pefsim");
	TCase *tc = tcase_create("pefsim");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_filter_match);
	tcase_add_test(tc, test_pef_params);
	tcase_add_test(tc, test_lan_params);
	tcase_add_test(tc, test_channel_info);
	tcase_add_test(tc, test_trap_bytes);
	tcase_add_test(tc, test_ack_and_resend);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(pefsim_suite());
}
