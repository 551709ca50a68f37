/*
 * collector/task_alert: alert status and setup driven against a BMC held
 * here: its channels, PEF tables and LAN destinations, answering Get and
 * Set as the spec says (through ipmi/pef's codecs, whose bytes
 * test_pef checks against the spec).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "collector/task_alert.h"
#include "ipmi/buf.h"
#include "ipmi/ipmi.h"
#include "tests/unit/ckmain.h"

#define NFILT	8
#define NPOL	4
#define NDEST	4

struct fake {
	uint8_t			lan_chan;	/* 0: none */
	int			no_pef;
	int			no_port;	/* 0xC0 answers 0x80 */
	int			no_sip;		/* param 0 answers 0x80 */
	uint8_t			control, actions;
	struct pef_filter	f[NFILT + 1];
	struct pef_policy	p[NPOL + 1];
	char			community[LAN_COMMUNITY_LEN + 1];
	struct lan_dest_type	dt[NDEST + 1];
	struct lan_dest_addr	da[NDEST + 1];
	uint16_t		port[NDEST + 1];
	unsigned		sets;		/* Set requests, any */
	unsigned		sip_on, sip_off;
	uint8_t			set_chan;	/* channel of the last LAN Set */
};
static struct fake bmc;

static void
fake_init(void)
{
	unsigned i;

	memset(&bmc, 0, sizeof(bmc));
	bmc.lan_chan = 1;
	bmc.actions = PEF_ACT_POWER_OFF;
	strcpy(bmc.community, "public");
	for (i = 1; i <= NFILT; i++)
		bmc.f[i].set = (uint8_t)i;
	for (i = 1; i <= NPOL; i++)
		bmc.p[i].set = (uint8_t)i;
	for (i = 0; i <= NDEST; i++) {
		bmc.dt[i].set = bmc.da[i].set = (uint8_t)i;
		bmc.port[i] = 162;
	}
}

static void
pef_get(const struct drv_request *q, struct ipmi_response *a, struct buf *w)
{
	struct pef_get_req g;
	struct pef_get_rsp r;
	struct buf rd;

	buf_init_read(&rd, q->data, q->len);
	ck_assert_int_eq(pef_get_req_decode(&rd, &g), 0);
	memset(&r, 0, sizeof(r));
	r.revision = PEF_PARAM_REVISION;
	switch (g.param) {
	case PEF_PARAM_CONTROL:
		r.data[0] = bmc.control;
		r.len = 1;
		break;
	case PEF_PARAM_ACTION_CONTROL:
		r.data[0] = bmc.actions;
		r.len = 1;
		break;
	case PEF_PARAM_NUM_FILTERS:
		r.data[0] = NFILT;
		r.len = 1;
		break;
	case PEF_PARAM_NUM_POLICIES:
		r.data[0] = NPOL;
		r.len = 1;
		break;
	case PEF_PARAM_FILTER:
		ck_assert_uint_ge(g.set, 1);
		ck_assert_uint_le(g.set, NFILT);
		ck_assert_int_eq(pef_filter_encode(&bmc.f[g.set], r.data,
		    sizeof(r.data)), 0);
		r.len = PEF_FILTER_DATA_LEN;
		break;
	case PEF_PARAM_POLICY:
		ck_assert_uint_ge(g.set, 1);
		ck_assert_uint_le(g.set, NPOL);
		ck_assert_int_eq(pef_policy_encode(&bmc.p[g.set], r.data,
		    sizeof(r.data)), 0);
		r.len = PEF_POLICY_DATA_LEN;
		break;
	default:
		a->cc = IPMI_CC_PARAM_UNSUPPORTED;
		return;
	}
	ck_assert_int_eq(pef_get_rsp_encode(&r, w), 0);
}

static void
pef_set(const struct drv_request *q, struct ipmi_response *a)
{
	struct pef_set_req s;
	struct buf rd;
	struct pef_filter f;
	struct pef_policy p;

	buf_init_read(&rd, q->data, q->len);
	ck_assert_int_eq(pef_set_req_decode(&rd, &s), 0);
	bmc.sets++;
	switch (s.param) {
	case PEF_PARAM_SET_IN_PROGRESS:
		if (bmc.no_sip) {
			a->cc = IPMI_CC_PARAM_UNSUPPORTED;
			return;
		}
		if (s.data[0] == PARAM_SET_IN_PROGRESS)
			bmc.sip_on++;
		else
			bmc.sip_off++;
		break;
	case PEF_PARAM_CONTROL:
		bmc.control = s.data[0];
		break;
	case PEF_PARAM_ACTION_CONTROL:
		bmc.actions = s.data[0];
		break;
	case PEF_PARAM_FILTER:
		ck_assert_int_eq(pef_filter_decode(s.data, s.len, &f), 0);
		ck_assert_uint_le(f.set, NFILT);
		bmc.f[f.set] = f;
		break;
	case PEF_PARAM_POLICY:
		ck_assert_int_eq(pef_policy_decode(s.data, s.len, &p), 0);
		ck_assert_uint_le(p.set, NPOL);
		bmc.p[p.set] = p;
		break;
	default:
		a->cc = IPMI_CC_PARAM_UNSUPPORTED;
	}
}

static void
lan_get(const struct drv_request *q, struct ipmi_response *a, struct buf *w)
{
	struct lan_get_req g;
	struct lan_get_rsp r;
	struct lan_dest_port dp;
	struct buf rd;

	buf_init_read(&rd, q->data, q->len);
	ck_assert_int_eq(lan_get_req_decode(&rd, &g), 0);
	ck_assert_uint_eq(g.channel, bmc.lan_chan);
	memset(&r, 0, sizeof(r));
	r.revision = 0x11;
	switch (g.param) {
	case LAN_PARAM_COMMUNITY:
		ck_assert_int_eq(lan_community_encode(bmc.community, r.data), 0);
		r.len = LAN_COMMUNITY_LEN;
		break;
	case LAN_PARAM_NUM_DEST:
		r.data[0] = NDEST;
		r.len = 1;
		break;
	case LAN_PARAM_DEST_TYPE:
		ck_assert_uint_le(g.set, NDEST);
		(void)lan_dest_type_encode(&bmc.dt[g.set], r.data,
		    sizeof(r.data));
		r.len = LAN_DEST_TYPE_DATA_LEN;
		break;
	case LAN_PARAM_DEST_ADDR:
		ck_assert_uint_le(g.set, NDEST);
		(void)lan_dest_addr_encode(&bmc.da[g.set], r.data,
		    sizeof(r.data));
		r.len = LAN_DEST_ADDR_DATA_LEN;
		break;
	case LAN_PARAM_OEM_DEST_PORT:
		if (bmc.no_port) {
			a->cc = IPMI_CC_PARAM_UNSUPPORTED;
			return;
		}
		dp.set = g.set;
		dp.port = bmc.port[g.set & 0x0f];
		(void)lan_dest_port_encode(&dp, r.data, sizeof(r.data));
		r.len = LAN_DEST_PORT_DATA_LEN;
		break;
	default:
		a->cc = IPMI_CC_PARAM_UNSUPPORTED;
		return;
	}
	ck_assert_int_eq(lan_get_rsp_encode(&r, w), 0);
}

static void
lan_set(const struct drv_request *q, struct ipmi_response *a)
{
	struct lan_set_req s;
	struct lan_dest_type dt;
	struct lan_dest_addr da;
	struct lan_dest_port dp;
	struct buf rd;

	buf_init_read(&rd, q->data, q->len);
	ck_assert_int_eq(lan_set_req_decode(&rd, &s), 0);
	bmc.sets++;
	bmc.set_chan = s.channel;
	switch (s.param) {
	case LAN_PARAM_SET_IN_PROGRESS:
		if (bmc.no_sip) {
			a->cc = IPMI_CC_PARAM_UNSUPPORTED;
			return;
		}
		if (s.data[0] == PARAM_SET_IN_PROGRESS)
			bmc.sip_on++;
		else
			bmc.sip_off++;
		break;
	case LAN_PARAM_COMMUNITY:
		ck_assert_int_eq(lan_community_decode(s.data, s.len,
		    bmc.community), 0);
		break;
	case LAN_PARAM_DEST_TYPE:
		ck_assert_int_eq(lan_dest_type_decode(s.data, s.len, &dt), 0);
		bmc.dt[dt.set] = dt;
		break;
	case LAN_PARAM_DEST_ADDR:
		ck_assert_int_eq(lan_dest_addr_decode(s.data, s.len, &da), 0);
		bmc.da[da.set] = da;
		break;
	case LAN_PARAM_OEM_DEST_PORT:
		if (bmc.no_port) {
			a->cc = IPMI_CC_PARAM_UNSUPPORTED;
			return;
		}
		ck_assert_int_eq(lan_dest_port_decode(s.data, s.len, &dp), 0);
		bmc.port[dp.set] = dp.port;
		break;
	default:
		a->cc = IPMI_CC_PARAM_UNSUPPORTED;
	}
}

static void
answer(const struct drv_request *q, struct ipmi_response *a)
{
	struct buf w, rd;

	memset(a, 0, sizeof(*a));
	a->netfn = q->netfn;
	a->cmd = q->cmd;
	buf_init_write(&w, a->data, sizeof(a->data));
	if (q->netfn == IPMI_NETFN_APP && q->cmd == IPMI_CMD_GET_CHANNEL_INFO) {
		struct chan_info_req c;
		struct chan_info_rsp r;

		buf_init_read(&rd, q->data, q->len);
		ck_assert_int_eq(chan_info_req_decode(&rd, &c), 0);
		memset(&r, 0, sizeof(r));
		r.channel = c.channel;
		if (c.channel == 0x0f)
			r.medium = CHAN_MEDIUM_SYSTEM;
		else if (c.channel == bmc.lan_chan)
			r.medium = CHAN_MEDIUM_LAN;
		else if (c.channel == 1 || c.channel == 6)
			r.medium = CHAN_MEDIUM_IPMB;	/* on a board */
		else {
			a->cc = IPMI_CC_INVALID_FIELD;	/* not present */
			return;
		}
		ck_assert_int_eq(chan_info_rsp_encode(&r, &w), 0);
	} else if (q->netfn == IPMI_NETFN_SENSOR &&
	    q->cmd == IPMI_CMD_GET_PEF_CAPS) {
		struct pef_caps_rsp c = { 0x51, 0x0f, NFILT };

		if (bmc.no_pef) {
			a->cc = IPMI_CC_INVALID_CMD;
			return;
		}
		ck_assert_int_eq(pef_caps_rsp_encode(&c, &w), 0);
	} else if (q->netfn == IPMI_NETFN_SENSOR &&
	    q->cmd == IPMI_CMD_GET_PEF_CONFIG)
		pef_get(q, a, &w);
	else if (q->netfn == IPMI_NETFN_SENSOR &&
	    q->cmd == IPMI_CMD_SET_PEF_CONFIG)
		pef_set(q, a);
	else if (q->netfn == IPMI_NETFN_TRANSPORT &&
	    q->cmd == IPMI_CMD_GET_LAN_CONFIG)
		lan_get(q, a, &w);
	else if (q->netfn == IPMI_NETFN_TRANSPORT &&
	    q->cmd == IPMI_CMD_SET_LAN_CONFIG)
		lan_set(q, a);
	else
		a->cc = IPMI_CC_INVALID_CMD;
	a->len = a->cc == IPMI_CC_OK ? w.len : 0;
}

static enum drv_step
run(struct task_alert *t)
{
	struct drv_request q;
	struct ipmi_response *a = malloc(sizeof(*a));
	enum drv_step st;
	int n = 0;

	ck_assert_ptr_nonnull(a);
	st = task_alert_step(t, NULL, &q);
	while (st == DRV_STEP_SEND && n++ < 400) {
		answer(&q, a);
		st = task_alert_step(t, a, &q);
	}
	ck_assert_int_lt(n, 400);
	free(a);
	return st;
}

static struct task_alert *
setup(const char *dest, uint8_t sev, int dry)
{
	struct task_alert_want w;
	struct task_alert *t = malloc(sizeof(*t));

	ck_assert_ptr_nonnull(t);
	memset(&w, 0, sizeof(w));
	ck_assert_int_eq(task_alert_parse_dest(dest, &w), 0);
	strcpy(w.community, "fleet");
	w.min_severity = sev;
	w.dry_run = dry;
	task_alert_init(t, TASK_ALERT_SETUP, &w);
	return t;
}

static const struct alert_item *
item(const struct task_alert *t, const char *what)
{
	size_t i;

	for (i = 0; i < t->nitems; i++)
		if (strcmp(t->items[i].what, what) == 0)
			return &t->items[i];
	ck_abort_msg("no item '%s'", what);
	return NULL;
}

/* A factory-fresh BMC: everything is written, read back, and a second
 * setup finds nothing to do and sends no Set at all. */
START_TEST(test_setup_fresh_then_idempotent)
{
	struct task_alert *t;
	unsigned i, ours = 0;

	fake_init();
	t = setup("127.0.73.200:16162", PEF_SEV_WARNING, 0);
	ck_assert_int_eq(run(t), DRV_STEP_DONE);
	ck_assert_str_eq(t->why, "");
	ck_assert_uint_eq(t->plan.channel, 1);
	ck_assert_uint_eq(t->plan.dest, 1);
	ck_assert_uint_eq(t->plan.policy_entry, 1);
	ck_assert_uint_eq(t->plan.policy, 1);
	/* community, type, address, port, policy, 3 filters, PEF, alert */
	ck_assert_uint_eq(t->nchanged, 10);
	ck_assert_str_eq(item(t, "destination 1 address")->old, "0.0.0.0");
	ck_assert_str_eq(item(t, "destination 1 address")->new,
	    "127.0.73.200");
	ck_assert_str_eq(item(t, "community")->old, "\"public\"");
	ck_assert(item(t, "PEF")->changed);

	/* the BMC, as an independent reader sees it */
	ck_assert_str_eq(bmc.community, "fleet");
	ck_assert_mem_eq(bmc.da[1].ip, "\x7f\x00\x49\xc8", 4);
	ck_assert_uint_eq(bmc.port[1], 16162);
	ck_assert_uint_eq(bmc.dt[1].type, LAN_DEST_PET);
	ck_assert(bmc.dt[1].ack);
	ck_assert(bmc.p[1].enabled);
	ck_assert_uint_eq(bmc.p[1].number, 1);
	ck_assert_uint_eq(bmc.p[1].channel, 1);
	ck_assert_uint_eq(bmc.p[1].dest, 1);
	ck_assert(bmc.control & PEF_CTL_ENABLE);
	ck_assert_uint_eq(bmc.actions, PEF_ACT_ALERT | PEF_ACT_POWER_OFF);
	for (i = 1; i <= NFILT; i++)
		if (bmc.f[i].enabled) {
			ck_assert(bmc.f[i].action & PEF_ACT_ALERT);
			ck_assert_uint_eq(bmc.f[i].policy, 1);
			ck_assert_uint_ge(bmc.f[i].severity, PEF_SEV_WARNING);
			ck_assert_uint_eq(bmc.f[i].sensor_type, 0xff);
			ours++;
		}
	ck_assert_uint_eq(ours, 3);	/* warning, critical, non-recov. */
	ck_assert_uint_eq(bmc.sip_on, 2);	/* LAN and PEF */
	ck_assert_uint_eq(bmc.sip_off, 2);
	free(t);

	bmc.sets = 0;
	t = setup("127.0.73.200:16162", PEF_SEV_WARNING, 0);
	ck_assert_int_eq(run(t), DRV_STEP_DONE);
	ck_assert_uint_eq(t->nchanged, 0);
	ck_assert_uint_eq(bmc.sets, 0);
	ck_assert_uint_eq(t->plan.dest, 1);
	free(t);
}
END_TEST

/* Someone else's destination, policy and filter are left alone: ours go
 * to the next free ones, with a policy number nobody uses. */
START_TEST(test_setup_beside_others)
{
	struct task_alert *t;

	fake_init();
	memcpy(bmc.da[1].ip, "\x0a\x00\x00\x01", 4);
	bmc.p[1].enabled = 1;
	bmc.p[1].number = 1;
	bmc.p[1].channel = 1;
	bmc.p[1].dest = 1;
	pef_filter_any(&bmc.f[1], 1, PEF_SEV_CRITICAL, PEF_ACT_ALERT, 1);
	t = setup("127.0.73.200", PEF_SEV_CRITICAL, 0);
	ck_assert_int_eq(run(t), DRV_STEP_DONE);
	ck_assert_uint_eq(t->plan.dest, 2);
	ck_assert_uint_eq(t->plan.policy_entry, 2);
	ck_assert_uint_eq(t->plan.policy, 2);
	ck_assert_mem_eq(bmc.da[1].ip, "\x0a\x00\x00\x01", 4);
	ck_assert_mem_eq(bmc.da[2].ip, "\x7f\x00\x49\xc8", 4);
	ck_assert_uint_eq(bmc.port[2], 162);
	ck_assert_uint_eq(bmc.f[1].policy, 1);		/* theirs */
	ck_assert_uint_eq(bmc.f[2].policy, 2);		/* ours, critical */
	ck_assert_uint_eq(bmc.f[3].policy, 2);		/* non-recoverable */
	ck_assert(!bmc.f[4].enabled);
	free(t);
}
END_TEST

START_TEST(test_no_free_destination)
{
	struct task_alert *t;
	unsigned d;

	fake_init();
	for (d = 1; d <= NDEST; d++)
		memcpy(bmc.da[d].ip, "\x0a\x00\x00\x09", 4);
	t = setup("127.0.73.200", PEF_SEV_WARNING, 0);
	ck_assert_int_eq(run(t), DRV_STEP_FAIL);
	ck_assert_str_eq(t->why, "no free alert destination (4 in use)");
	ck_assert_uint_eq(bmc.sets, 0);
	free(t);
}
END_TEST

START_TEST(test_no_free_filter)
{
	struct task_alert *t;
	unsigned i;

	fake_init();
	for (i = 1; i <= NFILT; i++)
		pef_filter_any(&bmc.f[i], (uint8_t)i, PEF_SEV_INFO,
		    PEF_ACT_POWER_OFF, 0);
	t = setup("127.0.73.200", PEF_SEV_CRITICAL, 0);
	ck_assert_int_eq(run(t), DRV_STEP_FAIL);
	ck_assert_str_eq(t->why, "no free event filter (8 in use)");
	ck_assert_uint_eq(bmc.sets, 0);
	free(t);
}
END_TEST

START_TEST(test_pef_unsupported)
{
	struct task_alert *t;

	fake_init();
	bmc.no_pef = 1;
	t = setup("127.0.73.200", PEF_SEV_WARNING, 0);
	ck_assert_int_eq(run(t), DRV_STEP_FAIL);
	ck_assert_str_eq(t->why, "no PEF (get PEF capabilities: invalid "
	    "command (0xc1))");
	free(t);

	fake_init();
	bmc.lan_chan = 0;
	t = malloc(sizeof(*t));
	task_alert_init(t, TASK_ALERT_STATUS, NULL);
	ck_assert_int_eq(run(t), DRV_STEP_FAIL);
	ck_assert_str_eq(t->why, "no LAN channel (channels 1-11)");
	free(t);
}
END_TEST

/* Channel 1 is IPMB on this board; the LAN is channel 2: every LAN
 * parameter and the policy entry name channel 2. */
START_TEST(test_lan_channel_2)
{
	struct task_alert *t;

	fake_init();
	bmc.lan_chan = 2;
	t = setup("127.0.73.200", PEF_SEV_CRITICAL, 0);
	ck_assert_int_eq(run(t), DRV_STEP_DONE);
	ck_assert_uint_eq(t->st.nlan, 1);
	ck_assert_uint_eq(t->st.lan[0], 2);
	ck_assert_uint_eq(bmc.set_chan, 2);
	ck_assert_uint_eq(bmc.p[1].channel, 2);
	free(t);
}
END_TEST

START_TEST(test_port_only_162)
{
	struct task_alert *t;

	fake_init();
	bmc.no_port = 1;
	bmc.no_sip = 1;
	t = setup("127.0.73.200:16162", PEF_SEV_WARNING, 0);
	ck_assert_int_eq(run(t), DRV_STEP_FAIL);
	ck_assert_str_eq(t->why, "this BMC sends alerts to UDP port 162 only");
	ck_assert_uint_eq(bmc.sets, 0);
	free(t);

	/* port 162 works there, without set-in-progress */
	t = setup("127.0.73.200", PEF_SEV_WARNING, 0);
	ck_assert_int_eq(run(t), DRV_STEP_DONE);
	ck_assert(!t->st.have_port);
	ck_assert_mem_eq(bmc.da[1].ip, "\x7f\x00\x49\xc8", 4);
	ck_assert_uint_eq(bmc.sip_on, 0);
	free(t);
}
END_TEST

START_TEST(test_community_kept)
{
	struct task_alert *t;
	struct task_alert_want w;

	/* no --community: a BMC's own is kept, not set back to public */
	fake_init();
	strcpy(bmc.community, "site-pet");
	memset(&w, 0, sizeof(w));
	ck_assert_int_eq(task_alert_parse_dest("127.0.73.200", &w), 0);
	w.min_severity = PEF_SEV_WARNING;
	t = malloc(sizeof(*t));
	ck_assert_ptr_nonnull(t);
	task_alert_init(t, TASK_ALERT_SETUP, &w);
	ck_assert_int_eq(run(t), DRV_STEP_DONE);
	ck_assert_str_eq(t->why, "");
	ck_assert(!item(t, "community")->changed);
	ck_assert_str_eq(bmc.community, "site-pet");
	free(t);

	/* a BMC with none gets public */
	fake_init();
	bmc.community[0] = '\0';
	t = malloc(sizeof(*t));
	ck_assert_ptr_nonnull(t);
	task_alert_init(t, TASK_ALERT_SETUP, &w);
	ck_assert_int_eq(run(t), DRV_STEP_DONE);
	ck_assert(item(t, "community")->changed);
	ck_assert_str_eq(bmc.community, "public");
	free(t);
}
END_TEST

START_TEST(test_dry_run_and_status)
{
	struct task_alert *t;

	fake_init();
	t = setup("127.0.73.200", PEF_SEV_INFO, 1);
	ck_assert_int_eq(run(t), DRV_STEP_DONE);
	/* community, type, address, policy, 4 filters, PEF, alert (the
	 * port is 162 already) */
	ck_assert_uint_eq(t->nchanged, 10);
	ck_assert(!item(t, "destination 1 port")->changed);
	ck_assert_uint_eq(bmc.sets, 0);
	free(t);

	t = malloc(sizeof(*t));
	task_alert_init(t, TASK_ALERT_STATUS, NULL);
	ck_assert_int_eq(run(t), DRV_STEP_DONE);
	ck_assert_uint_eq(bmc.sets, 0);
	ck_assert_uint_eq(t->st.nfilters, NFILT);
	ck_assert_uint_eq(t->st.npolicies, NPOL);
	ck_assert_uint_eq(t->st.ndest, NDEST);
	ck_assert_str_eq(t->st.community, "public");
	ck_assert(t->st.have_port);
	ck_assert_uint_eq(t->nitems, 0);
	free(t);
}
END_TEST

START_TEST(test_parse_dest)
{
	struct task_alert_want w;

	ck_assert_int_eq(task_alert_parse_dest("10.1.2.3", &w), 0);
	ck_assert_uint_eq(w.port, 0);
	ck_assert_int_eq(task_alert_parse_dest("10.1.2.3:16162", &w), 0);
	ck_assert_uint_eq(w.port, 16162);
	ck_assert_int_eq(task_alert_parse_dest("10.1.2", &w), -1);
	ck_assert_int_eq(task_alert_parse_dest("10.1.2.300", &w), -1);
	ck_assert_int_eq(task_alert_parse_dest("10.1.2.3:0", &w), -1);
	ck_assert_int_eq(task_alert_parse_dest("10.1.2.3:x", &w), -1);
	ck_assert_int_eq(task_alert_parse_dest("host:162", &w), -1);
}
END_TEST

static Suite *
task_alert_suite(void)
{
	Suite *s = suite_create("task_alert");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_setup_fresh_then_idempotent);
	tcase_add_test(tc, test_setup_beside_others);
	tcase_add_test(tc, test_no_free_destination);
	tcase_add_test(tc, test_no_free_filter);
	tcase_add_test(tc, test_pef_unsupported);
	tcase_add_test(tc, test_lan_channel_2);
	tcase_add_test(tc, test_port_only_162);
	tcase_add_test(tc, test_dry_run_and_status);
	tcase_add_test(tc, test_community_kept);
	tcase_add_test(tc, test_parse_dest);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(task_alert_suite());
}
