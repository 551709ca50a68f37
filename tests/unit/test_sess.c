/*
 * sim/sess: the BMC side of LAN sessions, driven by the real client state
 * machine (ipmi/session.c) in memory: both ends of every handshake are
 * ours, but neither is a mock of the other.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/cmds.h"
#include "ipmi/dcmi.h"
#include "ipmi/ipmi.h"
#include "ipmi/lan15.h"
#include "ipmi/rakp.h"
#include "ipmi/rmcp.h"
#include "ipmi/sdr.h"
#include "ipmi/session.h"
#include "sim/bmc.h"
#include "sim/hostile.h"
#include "sim/model.h"
#include "sim/quirk.h"
#include "sim/sess.h"

#define LIMIT	2
#define PEER	0x7f00000104d2ULL	/* 127.0.0.1:1234 */

static struct sim_user users[2];
static struct sim_auth auth;
static struct sim_bmc bmc;
static struct sim_slot slots[SIM_SESS_SLOTS(LIMIT)];
static struct sim_sess bs;
static uint64_t now;
static uint32_t rnd_state;
static uint8_t last_rsp[IPMI_MAX_PACKET];
static size_t last_rsp_len;
static uint8_t last_req[IPMI_MAX_PACKET];
static size_t last_req_len;
static int allow_drops;		/* count answers the client drops */
static unsigned client_drops;

/* xorshift: deterministic for both ends, different streams per seed */
static void
fill(uint32_t *st, void *p, size_t n)
{
	uint8_t *d = p;

	while (n--) {
		*st ^= *st << 13;
		*st ^= *st >> 17;
		*st ^= *st << 5;
		*d++ = (uint8_t)*st;
	}
}

static void
bmc_random(void *arg, void *p, size_t n)
{
	(void)arg;
	fill(&rnd_state, p, n);
}

static int
client_random(void *arg, void *p, size_t n)
{
	fill(arg, p, n);
	return 0;
}

static void
add_user(int i, const char *name, const char *pw, uint8_t priv)
{
	memset(&users[i], 0, sizeof(users[i]));
	strcpy(users[i].name, name);
	users[i].ulen = (uint8_t)strlen(name);
	memcpy(users[i].pw, pw, strlen(pw));
	users[i].pwlen = (uint8_t)strlen(pw);
	users[i].priv = priv;
}

static void
setup(void)
{
	add_user(0, "admin", "s3cret-pw", IPMI_PRIV_ADMIN);
	add_user(1, "viewer", "look", IPMI_PRIV_USER);
	memset(&auth, 0, sizeof(auth));
	auth.users = users;
	auth.nusers = 2;
	auth.suites = 1U << 3 | 1U << 17;
	auth.v15_types = 1U << IPMI_AUTH_MD5 | 1U << IPMI_AUTH_STRAIGHT;
	sim_bmc_init(&bmc, sim_model_find("openbmc"), 7, 1000);
	memset(slots, 0, sizeof(slots));
	memset(&bs, 0, sizeof(bs));
	bs.bmc = &bmc;
	bs.auth = &auth;
	bs.slots = slots;
	bs.nslots = SIM_SESS_SLOTS(LIMIT);
	bs.limit = LIMIT;
	bs.random = bmc_random;
	rnd_state = 0x12345678;
	now = 1000;
	allow_drops = 0;
	client_drops = 0;
}

struct client {
	struct ipmi_session	s;
	uint32_t		rnd;
	uint64_t		peer;
};

static const uint8_t *client_kg;	/* K_g for the next client_init */
static unsigned client_flags;		/* IPMI_SESS_* for the next one */
/* Workaround tests: the client may drop a quirky BMC's answer (counted,
 * not a test failure), and the client's datagrams may be altered first. */
static int drops_ok;
static unsigned ndrops;
static void (*tamper)(uint8_t *pkt, size_t len);
/* Hostile tests: the BMC's answers go through sim_hostile_datagram with
 * these quirks, as fleet.c sends them. */
static uint32_t rsp_quirks;
static unsigned ncopies;	/* copies fed to the client (echoes) */

static void
client_init(struct client *c, enum ipmi_iface iface, int suite,
    const char *user, const char *pw, uint32_t seed)
{
	struct ipmi_session_cfg cfg;

	memset(&cfg, 0, sizeof(cfg));
	if (client_kg != NULL) {
		cfg.kg = client_kg;
		cfg.kg_len = 20;
	}
	cfg.iface = iface;
	cfg.cipher_suite = suite;
	cfg.flags = client_flags;
	cfg.auth_type = IPMI_AUTHTYPE_AUTO;
	cfg.priv = IPMI_PRIV_ADMIN;
	cfg.user = user;
	cfg.password = (const uint8_t *)pw;
	cfg.password_len = strlen(pw);
	cfg.timeout_ms = 500;
	cfg.retries = 2;
	cfg.suites_timeout_ms = 200;
	cfg.random = client_random;
	c->rnd = seed;
	c->peer = PEER + seed;
	cfg.random_arg = &c->rnd;
	ck_assert_int_eq(ipmi_session_init(&c->s, &cfg), 0);
}

/*
 * Quirks duplicate and reorder (rsp_quirks): what fleet.c sends after an
 * answer, the answer again or the previous one, delivered right after it
 * (when the client may already wait for its next answer).  The client
 * must drop each copy without an event.
 */
static struct sim_echo echo;

static void
echoes(struct client *c, const uint8_t *p, size_t n)
{
	struct sim_send o[SIM_SENDS_MAX];
	int i, k, e;

	if (!(rsp_quirks & (SIM_Q_DUPLICATE | SIM_Q_REORDER)))
		return;
	k = sim_hostile_sends(rsp_quirks, &echo, c->peer, p, n, o);
	for (i = 1; i < k; i++) {
		e = ipmi_session_input(&c->s, o[i].p, o[i].len, now);
		ck_assert_msg(e < 0, "a copy of an earlier answer made event %d",
		    e);
		ncopies++;
	}
}

/*
 * Carry datagrams both ways until the client has nothing to send; return
 * the last event.  drop_next: lose that many client datagrams first.
 */
static int
pump(struct client *c, int ev, int drop_next)
{
	const uint8_t *tx;
	size_t len, n;
	uint8_t out[IPMI_MAX_PACKET], pkt[IPMI_MAX_PACKET];
	int guard;

	for (guard = 0; guard < 64; guard++) {
		if ((tx = ipmi_session_tx(&c->s, &len)) == NULL) {
			uint64_t dl = ipmi_session_deadline(&c->s);

			if (ev == IPMI_EV_FAILED || ev == IPMI_EV_CLOSED ||
			    ev == IPMI_EV_ACTIVE || ev == IPMI_EV_RESPONSE ||
			    dl == 0)
				return ev;
			now = dl;
			ev = ipmi_session_timer(&c->s, now);
			continue;
		}
		memcpy(last_req, tx, len);
		last_req_len = len;
		if (drop_next > 0) {
			drop_next--;
			continue;
		}
		memcpy(pkt, tx, len);
		if (tamper != NULL)
			tamper(pkt, len);
		n = sim_sess_input(&bs, c->peer, pkt, len, now, out, sizeof(out),
		    NULL);
		if (n == 0)
			continue;
		sim_hostile_datagram(rsp_quirks, out, n);
		memcpy(last_rsp, out, n);
		last_rsp_len = n;
		ev = ipmi_session_input(&c->s, out, n, now);
		if (ev < 0 && (drops_ok || allow_drops)) {
			ndrops++;
			client_drops++;
			ev = IPMI_EV_NONE;
		} else if (ev < 0)
			ck_abort_msg("client dropped the BMC's answer: %s",
			    ipmi_strerror(ev));
		echoes(c, out, n);
	}
	ck_abort_msg("pump did not settle");
	return ev;
}

static int
open_session(struct client *c)
{
	int ev = ipmi_session_open(&c->s, now);

	ck_assert_int_ge(ev, 0);
	return pump(c, ev, 0);
}

static const struct ipmi_response *
request(struct client *c, uint8_t netfn, uint8_t cmd, const uint8_t *d,
    size_t len)
{
	int ev;

	ck_assert_int_eq(ipmi_session_request(&c->s, netfn, cmd, d, len, now),
	    0);
	ev = pump(c, IPMI_EV_NONE, 0);
	ck_assert_int_eq(ev, IPMI_EV_RESPONSE);
	return ipmi_session_response(&c->s);
}

static void
close_session(struct client *c)
{
	ck_assert_int_eq(ipmi_session_close(&c->s, now), 0);
	ck_assert_int_eq(pump(c, IPMI_EV_NONE, 0), IPMI_EV_CLOSED);
	ipmi_session_release(&c->s);
}

/* power on through the session, then read it back after the delay */
static void
power_on_and_check(struct client *c)
{
	const struct ipmi_response *r;
	uint8_t on = IPMI_CHASSIS_ON;
	struct ipmi_chassis_status st;
	struct buf b;

	r = request(c, IPMI_NETFN_CHASSIS, IPMI_CMD_CHASSIS_CONTROL, &on, 1);
	ck_assert_int_eq(r->cc, IPMI_CC_OK);
	now += 1000;
	r = request(c, IPMI_NETFN_CHASSIS, IPMI_CMD_GET_CHASSIS_STATUS,
	    NULL, 0);
	ck_assert_int_eq(r->cc, IPMI_CC_OK);
	buf_init_read(&b, r->data, r->len);
	ck_assert_int_eq(ipmi_chassis_status_decode(&b, &st), 0);
	ck_assert_int_eq(st.power_on, 1);
}

START_TEST(test_v20_suites)
{
	static const int suites[] = { 3, 17 };
	struct client c;

	client_init(&c, IPMI_IFACE_LANPLUS, suites[_i], "admin", "s3cret-pw",
	    11);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	ck_assert_int_eq(c.s.info.cipher_suite, suites[_i]);
	ck_assert_int_eq(c.s.info.priv, IPMI_PRIV_ADMIN);
	ck_assert_int_eq(sim_sess_count(&bs, now), 1);
	power_on_and_check(&c);
	close_session(&c);
	ck_assert_int_eq(sim_sess_count(&bs, now), 0);
	ck_assert_uint_eq(bmc.cnt.sessions, 1);
	ck_assert_uint_eq(bmc.cnt.bad, 0);
}
END_TEST

START_TEST(test_auto_suite_picks_17)
{
	struct client c;

	client_init(&c, IPMI_IFACE_LANPLUS, IPMI_SUITE_AUTO, "admin",
	    "s3cret-pw", 12);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	ck_assert_int_eq(c.s.info.suites_listed, 1);
	ck_assert_int_eq(c.s.info.cipher_suite, 17);
	close_session(&c);
	/* a BMC offering only suite 3 gets suite 3 */
	auth.suites = 1U << 3;
	client_init(&c, IPMI_IFACE_LANPLUS, IPMI_SUITE_AUTO, "admin",
	    "s3cret-pw", 13);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	ck_assert_int_eq(c.s.info.cipher_suite, 3);
	close_session(&c);
}
END_TEST

START_TEST(test_v15)
{
	static const uint8_t types[] = { IPMI_AUTH_MD5, IPMI_AUTH_STRAIGHT };
	struct client c;

	auth.v15_types = (uint8_t)(1U << types[_i]);
	if (types[_i] == IPMI_AUTH_STRAIGHT) {
		/* the password in clear: refused unless --insecure */
		client_init(&c, IPMI_IFACE_LAN, -1, "admin", "s3cret-pw", 15);
		ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
		ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_INSECURE);
		ipmi_session_release(&c.s);
		client_flags = IPMI_SESS_INSECURE;
	}
	client_init(&c, IPMI_IFACE_LAN, -1, "admin", "s3cret-pw", 14);
	client_flags = 0;
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	ck_assert_int_eq(c.s.info.auth_type, types[_i]);
	power_on_and_check(&c);
	close_session(&c);
	ck_assert_int_eq(sim_sess_count(&bs, now), 0);
}
END_TEST

START_TEST(test_wrong_password_refused)
{
	struct client c;

	client_init(&c, IPMI_IFACE_LANPLUS, 17, "admin", "wrong", 15);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_PASSWORD);
	ipmi_session_release(&c.s);
	/* the console reported the bad RAKP 2 in RAKP 3: the slot is free */
	ck_assert_int_eq(sim_sess_count(&bs, now), 0);

	client_init(&c, IPMI_IFACE_LAN, -1, "admin", "wrong", 16);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_PASSWORD);
	ipmi_session_release(&c.s);
	ck_assert_uint_eq(bmc.cnt.sessions, 0);
	ck_assert_uint_ge(bmc.cnt.bad, 1);	/* activates with bad codes */
}
END_TEST

START_TEST(test_unknown_user_refused)
{
	struct client c;

	client_init(&c, IPMI_IFACE_LANPLUS, 3, "nobody", "s3cret-pw", 17);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_USER);
	ipmi_session_release(&c.s);
	client_init(&c, IPMI_IFACE_LAN, -1, "nobody", "s3cret-pw", 18);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_USER);
	ipmi_session_release(&c.s);
	ck_assert_uint_eq(bmc.cnt.refused, 2);
	ck_assert_int_eq(sim_sess_count(&bs, now), 0);
}
END_TEST

START_TEST(test_user_privilege_limit)
{
	struct client c;

	/* a User-level account asking for admin is refused in RAKP 2 */
	client_init(&c, IPMI_IFACE_LANPLUS, 3, "viewer", "look", 19);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_PRIVILEGE);
	ipmi_session_release(&c.s);
}
END_TEST

START_TEST(test_session_limit)
{
	struct client a, b, c;

	client_init(&a, IPMI_IFACE_LANPLUS, 17, "admin", "s3cret-pw", 20);
	client_init(&b, IPMI_IFACE_LAN, -1, "admin", "s3cret-pw", 21);
	client_init(&c, IPMI_IFACE_LANPLUS, 3, "admin", "s3cret-pw", 22);
	ck_assert_int_eq(open_session(&a), IPMI_EV_ACTIVE);
	ck_assert_int_eq(open_session(&b), IPMI_EV_ACTIVE);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_NOSLOT);
	ipmi_session_release(&c.s);
	/* v1.5 hears it from Activate Session */
	client_init(&c, IPMI_IFACE_LAN, -1, "admin", "s3cret-pw", 23);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_NOSLOT);
	ipmi_session_release(&c.s);
	ck_assert_uint_eq(bmc.cnt.noslot, 2);

	close_session(&b);
	client_init(&c, IPMI_IFACE_LANPLUS, 3, "admin", "s3cret-pw", 24);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	close_session(&c);
	close_session(&a);
}
END_TEST

START_TEST(test_idle_sessions_expire)
{
	struct client a, b;

	client_init(&a, IPMI_IFACE_LANPLUS, 17, "admin", "s3cret-pw", 25);
	client_init(&b, IPMI_IFACE_LANPLUS, 17, "admin", "s3cret-pw", 26);
	ck_assert_int_eq(open_session(&a), IPMI_EV_ACTIVE);
	ck_assert_int_eq(open_session(&b), IPMI_EV_ACTIVE);
	/* both clients vanish without closing */
	ipmi_session_release(&a.s);
	ipmi_session_release(&b.s);
	now += SIM_SESS_IDLE_MS - 1;
	ck_assert_int_eq(sim_sess_count(&bs, now), 2);
	now += 1;
	ck_assert_int_eq(sim_sess_count(&bs, now), 0);
	client_init(&a, IPMI_IFACE_LANPLUS, 17, "admin", "s3cret-pw", 27);
	ck_assert_int_eq(open_session(&a), IPMI_EV_ACTIVE);
	close_session(&a);
}
END_TEST

START_TEST(test_lost_handshake_messages_cost_no_slot)
{
	struct client c;
	int ev;

	/* every handshake request sent twice (the first answer "lost") */
	client_init(&c, IPMI_IFACE_LANPLUS, 17, "admin", "s3cret-pw", 28);
	ev = ipmi_session_open(&c.s, now);
	for (int i = 0; i < 16 && ev != IPMI_EV_ACTIVE; i++) {
		const uint8_t *tx;
		size_t len, n;
		uint8_t out[IPMI_MAX_PACKET];

		if ((tx = ipmi_session_tx(&c.s, &len)) == NULL)
			break;
		n = sim_sess_input(&bs, c.peer, tx, len, now, out, sizeof(out),
		    NULL);
		ck_assert_uint_gt(n, 0);
		/* the answer is lost; the client resends after its timeout */
		now = ipmi_session_deadline(&c.s);
		ev = ipmi_session_timer(&c.s, now);
		ck_assert_int_ge(ev, 0);
		if ((tx = ipmi_session_tx(&c.s, &len)) == NULL)
			break;
		n = sim_sess_input(&bs, c.peer, tx, len, now, out, sizeof(out),
		    NULL);
		ck_assert_uint_gt(n, 0);
		ev = ipmi_session_input(&c.s, out, n, now);
		ck_assert_int_ge(ev, 0);
	}
	ck_assert_int_eq(ev, IPMI_EV_ACTIVE);
	ck_assert_int_eq(sim_sess_count(&bs, now), 1);
	ck_assert_uint_eq(bmc.cnt.sessions, 1);
	close_session(&c);
}
END_TEST

START_TEST(test_tampered_and_replayed_packets_dropped)
{
	struct client c;
	uint8_t pkt[IPMI_MAX_PACKET], out[IPMI_MAX_PACKET];
	size_t len;
	int bad = 0;

	client_init(&c, IPMI_IFACE_LANPLUS, 17, "admin", "s3cret-pw", 29);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	request(&c, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	memcpy(pkt, last_req, last_req_len);
	len = last_req_len;

	/* a flipped bit in the HMAC'd body: no answer */
	pkt[20] ^= 1;
	ck_assert_uint_eq(sim_sess_input(&bs, c.peer, pkt, len, now, out,
	    sizeof(out), &bad), 0);
	ck_assert_int_eq(bad, 1);
	pkt[20] ^= 1;
	/* truncated: no answer */
	ck_assert_uint_eq(sim_sess_input(&bs, c.peer, pkt, len - 5, now, out,
	    sizeof(out), &bad), 0);
	ck_assert_int_eq(bad, 1);
	/* the same packet again (a duplicate) is served */
	ck_assert_uint_gt(sim_sess_input(&bs, c.peer, pkt, len, now, out,
	    sizeof(out), &bad), 0);
	ck_assert_int_eq(bad, 0);
	/* after 40 more requests it is a replay outside the window */
	for (int i = 0; i < 40; i++)
		request(&c, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_uint_eq(sim_sess_input(&bs, c.peer, pkt, len, now, out,
	    sizeof(out), &bad), 0);
	ck_assert_int_eq(bad, 1);
	close_session(&c);
}
END_TEST

START_TEST(test_close_resent_is_answered)
{
	struct client c;
	uint8_t out[IPMI_MAX_PACKET], close_pkt[IPMI_MAX_PACKET];
	size_t len;

	client_init(&c, IPMI_IFACE_LANPLUS, 3, "admin", "s3cret-pw", 30);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	close_session(&c);
	memcpy(close_pkt, last_req, last_req_len);
	len = last_req_len;
	ck_assert_int_eq(sim_sess_count(&bs, now), 0);
	/* the answer was lost: the resent close is still answered */
	ck_assert_uint_gt(sim_sess_input(&bs, c.peer, close_pkt, len, now, out,
	    sizeof(out), NULL), 0);
}
END_TEST

START_TEST(test_session_less_and_ping)
{
	uint8_t pkt[64], out[IPMI_MAX_PACKET];
	struct buf b, r;
	struct rmcp_hdr rh;
	struct asf_msg m;
	size_t n;

	buf_init_write(&b, pkt, sizeof(pkt));
	ck_assert_int_eq(asf_encode_ping(&b, 0xff, 9), 0);
	n = sim_sess_input(&bs, PEER, pkt, b.len, now, out, sizeof(out), NULL);
	ck_assert_uint_gt(n, 0);
	buf_init_read(&r, out, n);
	ck_assert_int_eq(rmcp_decode(&r, &rh), 0);
	ck_assert_int_eq(rh.cls, RMCP_CLASS_ASF);
	ck_assert_int_eq(asf_decode(&r, &m), 0);
	ck_assert_int_eq(m.type, ASF_TYPE_PONG);
	ck_assert_int_eq(m.tag, 9);
	ck_assert_int_eq(m.entities & ASF_ENTITY_IPMI, ASF_ENTITY_IPMI);

	/* a Get Device ID outside a session is not answered */
	{
		uint8_t mb[32], pw[16] = { 0 };
		struct ipmi_msg msg;
		struct buf w;

		ipmi_msg_request(&msg, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID,
		    1, NULL, 0);
		buf_init_write(&w, mb, sizeof(mb));
		ck_assert_int_eq(ipmi_msg_encode(&msg, &w), 0);
		buf_init_write(&b, pkt, sizeof(pkt));
		ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_NONE, 0, 0, pw,
		    w.data, w.len), 0);
		ck_assert_uint_eq(sim_sess_input(&bs, PEER, pkt, b.len, now,
		    out, sizeof(out), NULL), 0);
	}
	/* a PET Acknowledge is: an alert receiver need not log in */
	{
		static const uint8_t ack[12] = { 1, 0, 0x10, 0x20, 0x30, 0x40,
		    0x20, 0x20, 0x60, 0x01, 0xff, 0xff };
		uint8_t mb[32], pw[16] = { 0 };
		struct ipmi_msg msg;
		struct buf w;

		ipmi_msg_request(&msg, IPMI_NETFN_SENSOR, 0x17, 1, ack,
		    sizeof(ack));
		buf_init_write(&w, mb, sizeof(mb));
		ck_assert_int_eq(ipmi_msg_encode(&msg, &w), 0);
		buf_init_write(&b, pkt, sizeof(pkt));
		ck_assert_int_eq(lan15_encode(&b, IPMI_AUTH_NONE, 0, 0, pw,
		    w.data, w.len), 0);
		ck_assert_uint_gt(sim_sess_input(&bs, PEER, pkt, b.len, now,
		    out, sizeof(out), NULL), 0);
		/* nothing pending: answered 00h, counted as matching none */
		ck_assert_uint_eq(bmc.cnt.pet_ack_unknown, 1);
	}
	/* garbage */
	ck_assert_uint_eq(sim_sess_input(&bs, PEER, (const uint8_t *)"\x06", 1,
	    now, out, sizeof(out), NULL), 0);
	ck_assert_uint_eq(bmc.cnt.bad, 2);
}
END_TEST

START_TEST(test_kg)
{
	static const uint8_t kg[] = "0123456789abcdefghij";
	struct client c;

	memcpy(auth.kg, kg, 20);
	auth.kglen = 20;
	/* without the BMC key the RAKP 4 check fails */
	client_init(&c, IPMI_IFACE_LANPLUS, 17, "admin", "s3cret-pw", 31);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_BMC_KEY);
	ipmi_session_release(&c.s);
	now += SIM_SESS_HALFOPEN_MS;	/* that BMC session stays half-open */

	client_kg = kg;
	client_init(&c, IPMI_IFACE_LANPLUS, 17, "admin", "s3cret-pw", 32);
	client_kg = NULL;
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	power_on_and_check(&c);
	close_session(&c);
}
END_TEST

/* --- firmware quirks and the workarounds for them ------------------------ */

/*
 * Each quirky BMC must fail the client without its workaround (else the
 * quirk reproduces nothing) and pass with it; where it makes sense, a
 * correct BMC must still pass with the workaround on.
 */

/* A session that failed may hold a slot on the BMC until it idles out. */
static void
forget_failed(struct client *c)
{
	ipmi_session_release(&c->s);
	now += SIM_SESS_IDLE_MS;
	ck_assert_int_eq(sim_sess_count(&bs, now), 0);
}

static int
open_with(struct client *c, int suite, unsigned flags, const char *pw,
    uint32_t seed)
{
	client_flags = flags;
	client_init(c, IPMI_IFACE_LANPLUS, suite, "admin", pw, seed);
	client_flags = 0;
	drops_ok = 1;
	ndrops = 0;
	return open_session(c);
}

static void
expect_active(struct client *c)
{
	ck_assert_int_eq(ipmi_session_state(&c->s), IPMI_SS_ACTIVE);
	power_on_and_check(c);
	close_session(c);
	now += 1000;
}

static void
expect_failed(struct client *c, int err, const char *words)
{
	char why[256];

	ck_assert_int_eq(ipmi_session_state(&c->s), IPMI_SS_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c->s), err);
	ipmi_session_strerror(&c->s, why, sizeof(why));
	if (words != NULL)
		ck_assert_msg(strstr(why, words) != NULL, "'%s' lacks '%s'",
		    why, words);
	forget_failed(c);
}

/* the Open Session Request's privilege byte (RMCP 4 + RMCP+ header 12 +
 * tag 1), set to 0 = "highest", as FreeIPMI sends it by default */
static void
open_priv_highest(uint8_t *pkt, size_t len)
{
	if (len > 17 && pkt[5] == RMCPP_PT_OPEN_REQ)
		pkt[17] = 0;
}

START_TEST(test_quirk_open_session_priv)
{
	static const int suites[] = { 3, 17 };
	struct client c;

	/* our Open Session names the privilege RAKP 1 asks for: the BMC
	 * that hashes the former where the latter belongs agrees anyway */
	bs.quirks = SIM_Q_OPENSESSPRIV;
	ck_assert_int_eq(open_with(&c, suites[_i], 0, "s3cret-pw", 40),
	    IPMI_EV_ACTIVE);
	expect_active(&c);
	/* the quirk is real: an Open Session asking for "highest" (0), as
	 * FreeIPMI's does without -W opensesspriv, breaks the RAKP 2 code */
	tamper = open_priv_highest;
	ck_assert_int_eq(open_with(&c, suites[_i], 0, "s3cret-pw", 41),
	    IPMI_EV_FAILED);
	expect_failed(&c, IPMI_E_PASSWORD, "RAKP 2 key exchange code mismatch");
	/* ...which a correct BMC takes */
	bs.quirks = 0;
	ck_assert_int_eq(open_with(&c, suites[_i], 0, "s3cret-pw", 42),
	    IPMI_EV_ACTIVE);
	expect_active(&c);
	tamper = NULL;
}
END_TEST

START_TEST(test_quirk_integrity_check_value)
{
	struct client c;
	int rc;

	auth.suites |= 1U << 0;
	bs.quirks = SIM_Q_ICV;
	/* suite 0's RAKP 4 carries 12 bytes where none belong: dropped,
	 * and the timeout says why */
	ck_assert_int_eq(open_with(&c, 0, IPMI_SESS_INSECURE, "s3cret-pw", 43),
	    IPMI_EV_FAILED);
	ck_assert_uint_ge(ndrops, 1);
	expect_failed(&c, IPMI_E_MALFORMED,
	    "RAKP 4 integrity check value is 12 bytes, cipher suite 0's is 0");
	ck_assert_int_eq(open_with(&c, 0, IPMI_SESS_INSECURE | IPMI_SESS_WA_ICV,
	    "s3cret-pw", 44), IPMI_EV_ACTIVE);
	ck_assert_uint_eq(ndrops, 0);
	expect_active(&c);
	/* the workaround does not make suite 0 acceptable by itself */
	client_flags = IPMI_SESS_WA_ICV;
	client_init(&c, IPMI_IFACE_LANPLUS, 0, "admin", "s3cret-pw", 45);
	client_flags = 0;
	rc = ipmi_session_open(&c.s, now);
	ck_assert_int_eq(rc, IPMI_E_INSECURE);
	ipmi_session_release(&c.s);
	/* other suites are untouched by the quirk and the flag */
	ck_assert_int_eq(open_with(&c, 17, IPMI_SESS_WA_ICV, "s3cret-pw", 46),
	    IPMI_EV_ACTIVE);
	expect_active(&c);
	/* a correct BMC's empty ICV still passes */
	bs.quirks = 0;
	ck_assert_int_eq(open_with(&c, 0, IPMI_SESS_INSECURE | IPMI_SESS_WA_ICV,
	    "s3cret-pw", 47), IPMI_EV_ACTIVE);
	expect_active(&c);
}
END_TEST

START_TEST(test_quirk_intel20)
{
	static const int suites[] = { 3, 17 };
	struct client c;

	bs.quirks = SIM_Q_INTEL20;
	ck_assert_int_eq(open_with(&c, suites[_i], 0, "s3cret-pw", 48),
	    IPMI_EV_FAILED);
	expect_failed(&c, IPMI_E_PASSWORD, "RAKP 2 key exchange code mismatch");
	ck_assert_int_eq(open_with(&c, suites[_i], IPMI_SESS_WA_INTEL20,
	    "s3cret-pw", 49), IPMI_EV_ACTIVE);
	expect_active(&c);
	/* the padding hides no wrong password */
	ck_assert_int_eq(open_with(&c, suites[_i], IPMI_SESS_WA_INTEL20,
	    "wrong", 50), IPMI_EV_FAILED);
	expect_failed(&c, IPMI_E_PASSWORD, NULL);
	/* a correct BMC refuses the padded name, as the spec says it must:
	 * the flag is for that firmware only */
	bs.quirks = 0;
	ck_assert_int_eq(open_with(&c, suites[_i], IPMI_SESS_WA_INTEL20,
	    "s3cret-pw", 51), IPMI_EV_FAILED);
	expect_failed(&c, IPMI_E_USER, "unauthorized name");
}
END_TEST

START_TEST(test_quirk_supermicro20)
{
	static const int suites[] = { 3, 17 };
	static const char *const len[] = { "21 bytes, cipher suite 3's is 20",
	    "33 bytes, cipher suite 17's is 32" };
	struct client c;

	bs.quirks = SIM_Q_SUPERMICRO20;
	ck_assert_int_eq(open_with(&c, suites[_i], 0, "s3cret-pw", 52),
	    IPMI_EV_FAILED);
	ck_assert_uint_ge(ndrops, 1);
	expect_failed(&c, IPMI_E_MALFORMED, len[_i]);
	ck_assert_int_eq(open_with(&c, suites[_i], IPMI_SESS_WA_SUPERMICRO20,
	    "s3cret-pw", 53), IPMI_EV_ACTIVE);
	expect_active(&c);
	/* the HMAC in the long code is still checked in full */
	ck_assert_int_eq(open_with(&c, suites[_i], IPMI_SESS_WA_SUPERMICRO20,
	    "wrong", 54), IPMI_EV_FAILED);
	expect_failed(&c, IPMI_E_PASSWORD, "RAKP 2 key exchange code mismatch");
	/* a correct BMC's code of the right length passes */
	bs.quirks = 0;
	ck_assert_int_eq(open_with(&c, suites[_i], IPMI_SESS_WA_SUPERMICRO20,
	    "s3cret-pw", 55), IPMI_EV_ACTIVE);
	expect_active(&c);
}
END_TEST

START_TEST(test_quirk_sun20)
{
	struct client c;

	bs.quirks = SIM_Q_SUN20;
	auth.suites = 1U << 3 | 1U << 17;
	/* the records after 3 have wrong tag bits: without the workaround
	 * suite 17's is lost, suite 3 is chosen, and its RAKP 2 code is a
	 * byte long */
	ck_assert_int_eq(open_with(&c, IPMI_SUITE_AUTO, 0, "s3cret-pw", 56),
	    IPMI_EV_FAILED);
	ck_assert_int_eq(c.s.info.cipher_suite, 3);
	expect_failed(&c, IPMI_E_MALFORMED, "21 bytes, cipher suite 3's is 20");
	ck_assert_int_eq(open_with(&c, IPMI_SUITE_AUTO, IPMI_SESS_WA_SUN20,
	    "s3cret-pw", 57), IPMI_EV_ACTIVE);
	ck_assert_int_eq(c.s.info.cipher_suite, 17);
	expect_active(&c);
	/* suite 3 itself: the long code (and the Open Session privilege
	 * hashed, which our client survives anyway) */
	ck_assert_int_eq(open_with(&c, 3, 0, "s3cret-pw", 58), IPMI_EV_FAILED);
	expect_failed(&c, IPMI_E_MALFORMED, "21 bytes");
	ck_assert_int_eq(open_with(&c, 3, IPMI_SESS_WA_SUN20, "s3cret-pw", 59),
	    IPMI_EV_ACTIVE);
	expect_active(&c);
	ck_assert_int_eq(open_with(&c, 3, IPMI_SESS_WA_SUN20, "wrong", 60),
	    IPMI_EV_FAILED);
	expect_failed(&c, IPMI_E_PASSWORD, "RAKP 2 key exchange code mismatch");
	/* a BMC listing only suite 17, then a bad record: nothing usable
	 * without the workaround, suite 17 with it */
	auth.suites = 1U << 17;
	ck_assert_int_eq(open_with(&c, IPMI_SUITE_AUTO, 0, "s3cret-pw", 61),
	    IPMI_EV_FAILED);
	expect_failed(&c, IPMI_E_INSECURE, NULL);
	ck_assert_int_eq(open_with(&c, IPMI_SUITE_AUTO, IPMI_SESS_WA_SUN20,
	    "s3cret-pw", 62), IPMI_EV_ACTIVE);
	ck_assert_int_eq(c.s.info.cipher_suite, 17);
	expect_active(&c);
	/* a correct BMC with the workaround on */
	bs.quirks = 0;
	auth.suites = 1U << 3 | 1U << 17;
	ck_assert_int_eq(open_with(&c, IPMI_SUITE_AUTO, IPMI_SESS_WA_SUN20,
	    "s3cret-pw", 63), IPMI_EV_ACTIVE);
	ck_assert_int_eq(c.s.info.cipher_suite, 17);
	expect_active(&c);
	ck_assert_int_eq(open_with(&c, 3, IPMI_SESS_WA_SUN20, "s3cret-pw", 64),
	    IPMI_EV_ACTIVE);
	expect_active(&c);
}
END_TEST

/* --- hostile BMCs (quirk.h) ----------------------------------------------- */

START_TEST(test_hostile_no_slot)
{
	struct client c;

	/* not one session open, and still none to be had */
	bs.quirks = SIM_Q_NO_SLOT;
	client_init(&c, IPMI_IFACE_LANPLUS, 3, "admin", "s3cret-pw", 90);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_NOSLOT);
	ipmi_session_release(&c.s);
	/* v1.5: Activate Session answered 81h */
	client_init(&c, IPMI_IFACE_LAN, -1, "admin", "s3cret-pw", 91);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_NOSLOT);
	ipmi_session_release(&c.s);
	ck_assert_uint_eq(bmc.cnt.noslot, 2);
	ck_assert_uint_eq(bmc.cnt.sessions, 0);
	ck_assert_int_eq(sim_sess_count(&bs, now), 0);
	/* the same BMC without the quirk has room */
	bs.quirks = 0;
	client_init(&c, IPMI_IFACE_LANPLUS, 3, "admin", "s3cret-pw", 92);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	close_session(&c);
}
END_TEST

START_TEST(test_hostile_reboot)
{
	const struct ipmi_response *r;
	struct client c, d;
	int i, ev;

	bs.reboot_after = 5;
	/* _i: RMCP+ or v1.5 */
	client_init(&c, _i ? IPMI_IFACE_LAN : IPMI_IFACE_LANPLUS, _i ? -1 : 3,
	    "admin", "s3cret-pw", 93);
	client_init(&d, IPMI_IFACE_LANPLUS, 17, "admin", "s3cret-pw", 94);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	ck_assert_int_eq(open_session(&d), IPMI_EV_ACTIVE);
	/* from now on, five in-session requests, whoever sends them... */
	bs.quirks = SIM_Q_REBOOT;
	for (i = 0; i < 5; i++) {
		r = request(i % 2 ? &d : &c, IPMI_NETFN_APP,
		    IPMI_CMD_GET_DEVICE_ID, NULL, 0);
		ck_assert_int_eq(r->cc, IPMI_CC_OK);
		ck_assert_uint_eq(bmc.cnt.reboots, i == 4);
	}
	ck_assert_int_eq(sim_sess_count(&bs, now), 0);
	/* ...and both sessions are gone: no answer, as from a BMC that
	 * never knew them, until the client gives up */
	ck_assert_int_eq(ipmi_session_request(&c.s, IPMI_NETFN_APP,
	    IPMI_CMD_GET_DEVICE_ID, NULL, 0, now), 0);
	ev = pump(&c, IPMI_EV_NONE, 0);
	ck_assert_int_eq(ev, IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_TIMEOUT);
	ck_assert_uint_ge(bmc.cnt.bad, 1);
	ipmi_session_release(&c.s);
	ipmi_session_release(&d.s);
	/* a new session works (its Set Session Privilege Level is the first
	 * request of the count), until the fifth request */
	client_init(&c, IPMI_IFACE_LANPLUS, 3, "admin", "s3cret-pw", 95);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	for (i = 0; i < 3; i++)
		request(&c, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_uint_eq(bmc.cnt.reboots, 1);
	ck_assert_int_eq(sim_sess_count(&bs, now), 1);
	r = request(&c, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(r->cc, IPMI_CC_OK);
	ck_assert_uint_eq(bmc.cnt.reboots, 2);
	ck_assert_int_eq(sim_sess_count(&bs, now), 0);
	ipmi_session_release(&c.s);
}
END_TEST

START_TEST(test_hostile_reboot_timed)
{
	const struct ipmi_response *r;
	struct client c;

	/* every 5 s, whatever the requests (1000 of them would be needed) */
	bs.quirks = SIM_Q_REBOOT;
	bs.reboot_after = 1000;
	bs.reboot_ms = 5000;
	client_init(&c, IPMI_IFACE_LANPLUS, 3, "admin", "s3cret-pw", 110);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	now += 4000;
	r = request(&c, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	ck_assert_int_eq(r->cc, IPMI_CC_OK);
	ck_assert_uint_eq(bmc.cnt.reboots, 0);
	/* 5 s after the first datagram: the BMC restarted, the session is
	 * gone, and the client hears nothing more */
	now += 1500;
	ck_assert_int_eq(ipmi_session_request(&c.s, IPMI_NETFN_APP,
	    IPMI_CMD_GET_DEVICE_ID, NULL, 0, now), 0);
	ck_assert_int_eq(pump(&c, IPMI_EV_NONE, 0), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_TIMEOUT);
	ck_assert_uint_eq(bmc.cnt.reboots, 1);
	ck_assert_int_eq(sim_sess_count(&bs, now), 0);
	ipmi_session_release(&c.s);
}
END_TEST

START_TEST(test_hostile_rmcpp_length)
{
	struct client c;
	unsigned claim;
	char why[256];

	/* the Open Session Response's payload length claims 32 bytes more
	 * than the datagram holds: the client must not take it */
	rsp_quirks = SIM_Q_LIE_RMCPP_LEN;
	drops_ok = 1;
	ndrops = 0;
	client_init(&c, IPMI_IFACE_LANPLUS, 3, "admin", "s3cret-pw", 96);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_uint_ge(ndrops, 1);
	ck_assert_int_eq(c.s.err_state, IPMI_SS_OPEN_SESSION);
	ck_assert_uint_eq(bmc.cnt.sessions, 0);
	/* and says the BMC answered, malformed, rather than "no answer" */
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_MALFORMED);
	ck_assert_ptr_nonnull(strstr(ipmi_session_strerror(&c.s, why,
	    sizeof(why)), "shorter than their length fields claim"));
	/* the last answer: RMCP, auth type 06h, payload 11h, session ID 0 */
	ck_assert_uint_ge(last_rsp_len, 16);
	ck_assert_uint_eq(last_rsp[4], IPMI_AUTH_RMCPP);
	ck_assert_uint_eq(last_rsp[5] & 0x3f, RMCPP_PT_OPEN_RSP);
	claim = last_rsp[14] | last_rsp[15] << 8;
	ck_assert_uint_eq(claim, last_rsp_len - 16 + SIM_LIE_RMCPP_EXTRA);
	ipmi_session_release(&c.s);
	/* in-session answers carry an integrity code: left alone, and the
	 * session opened without the lie works */
	rsp_quirks = 0;
	client_init(&c, IPMI_IFACE_LANPLUS, 3, "admin", "s3cret-pw", 97);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	rsp_quirks = SIM_Q_LIE_RMCPP_LEN;
	ndrops = 0;
	power_on_and_check(&c);
	ck_assert_uint_eq(ndrops, 0);
	close_session(&c);
}
END_TEST

START_TEST(test_hostile_duplicate_reorder)
{
	static const uint32_t q[] = { SIM_Q_DUPLICATE, SIM_Q_REORDER,
	    SIM_Q_DUPLICATE | SIM_Q_REORDER };
	const struct ipmi_response *r;
	struct client c;
	int i;

	/* _i: v1.5, RMCP+ suite 3, RMCP+ suite 17; each way of copying */
	for (size_t k = 0; k < sizeof(q) / sizeof(q[0]); k++) {
		rsp_quirks = q[k];
		memset(&echo, 0, sizeof(echo));
		ncopies = 0;
		client_init(&c, _i ? IPMI_IFACE_LANPLUS : IPMI_IFACE_LAN,
		    _i == 0 ? -1 : _i == 1 ? 3 : 17, "admin", "s3cret-pw",
		    (uint32_t)(98 + k));
		ck_assert_msg(open_session(&c) == IPMI_EV_ACTIVE,
		    "quirks %x: %s", q[k], ipmi_strerror(ipmi_session_error(
		    &c.s)));
		for (i = 0; i < 6; i++) {
			r = request(&c, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID,
			    NULL, 0);
			ck_assert_int_eq(r->cc, IPMI_CC_OK);
		}
		power_on_and_check(&c);
		close_session(&c);
		ck_assert_uint_gt(ncopies, 3);
		bmc.power_on = 0;
		memset(bmc.pending, 0, sizeof(bmc.pending));
	}
}
END_TEST

static void
teardown(void)
{
	/* frees the slots' kept crypto contexts (CK_FORK=no runs them all
	 * in one process, under the leak checker) */
	if (bs.slots != NULL)
		sim_sess_wipe(&bs);
	rsp_quirks = 0;
	drops_ok = 0;
	tamper = NULL;
	client_flags = 0;
}


/* --- quirks: the firmware bugs, against the real client and its flags ----- */

/* a client with session flags (the workarounds) */
static void
client_with_flags(struct client *c, enum ipmi_iface iface, int suite,
    unsigned flags, uint32_t seed)
{
	client_init(c, iface, suite, "admin", "s3cret-pw", seed);
	c->s.cfg.flags = flags;
}

/* authcap, _i 0 v1.5, 1 v2.0: the caps lie, the login works */
START_TEST(test_quirk_authcap)
{
	enum ipmi_iface iface = _i ? IPMI_IFACE_LANPLUS : IPMI_IFACE_LAN;
	struct client c;

	bs.quirks = SIM_Q_AUTHCAP;
	client_with_flags(&c, iface, _i ? 17 : -1, 0, 40);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_USER);
	ck_assert_uint_eq(c.s.info.auth_types, 0);
	ck_assert_int_eq(c.s.info.v20, _i);	/* the v2.0 bit stays right */
	ipmi_session_release(&c.s);

	client_with_flags(&c, iface, _i ? 17 : -1, IPMI_SESS_WA_AUTHCAP, 41);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	if (!_i)
		ck_assert_uint_eq(c.s.info.auth_type, IPMI_AUTH_MD5);
	power_on_and_check(&c);
	close_session(&c);
}
END_TEST

/* ignore-seq-reset: v1.5 answers all say sequence 0 */
START_TEST(test_quirk_seq_reset)
{
	struct client c;
	int ev;

	bs.quirks = SIM_Q_SEQ_RESET;
	allow_drops = 1;
	client_with_flags(&c, IPMI_IFACE_LAN, -1, 0, 42);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	ck_assert_int_eq(ipmi_session_request(&c.s, IPMI_NETFN_APP,
	    IPMI_CMD_GET_DEVICE_ID, NULL, 0, now), 0);
	ev = pump(&c, IPMI_EV_NONE, 0);
	ck_assert_int_eq(ev, IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_TIMEOUT);
	ck_assert_uint_eq(client_drops, 3);	/* the request and 2 resends */
	ck_assert_uint_eq(c.s.seq_drops, 3);
	ipmi_session_release(&c.s);

	client_drops = 0;
	client_with_flags(&c, IPMI_IFACE_LAN, -1, IPMI_SESS_WA_SEQ_RESET, 43);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	power_on_and_check(&c);
	close_session(&c);
	ck_assert_uint_eq(client_drops, 0);

	/* RMCP+ is not affected */
	client_with_flags(&c, IPMI_IFACE_LANPLUS, 17, 0, 44);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	power_on_and_check(&c);
	close_session(&c);
	ck_assert_uint_eq(client_drops, 0);
}
END_TEST

/* no-name-lookup: RAKP 1 with the name-only bit gets 09h */
START_TEST(test_quirk_name_lookup)
{
	struct client c;

	bs.quirks = SIM_Q_NAME_LOOKUP;
	client_with_flags(&c, IPMI_IFACE_LANPLUS, 17, 0, 45);
	ck_assert_int_eq(open_session(&c), IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c.s), IPMI_E_PRIVILEGE);
	ck_assert_uint_eq(c.s.err_cc, RAKP_INVALID_ROLE);
	ipmi_session_release(&c.s);

	client_with_flags(&c, IPMI_IFACE_LANPLUS, 17, IPMI_SESS_NO_NAME_ONLY, 46);
	ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
	power_on_and_check(&c);
	close_session(&c);
}
END_TEST

/* ask once; 1 and the answer's cc if answered, 0 if it timed out */
static int
ask(struct client *c, uint8_t netfn, uint8_t cmd, const uint8_t *d,
    size_t len, uint8_t *cc)
{
	int ev;

	ck_assert_int_eq(ipmi_session_request(&c->s, netfn, cmd, d, len, now),
	    0);
	ev = pump(c, IPMI_EV_NONE, 0);
	if (ev == IPMI_EV_RESPONSE) {
		*cc = ipmi_session_response(&c->s)->cc;
		return 1;
	}
	ck_assert_int_eq(ev, IPMI_EV_FAILED);
	ck_assert_int_eq(ipmi_session_error(&c->s), IPMI_E_TIMEOUT);
	return 0;
}

/* no-dcmi and sdr-small-reads: requests left unanswered, and counted */
START_TEST(test_quirk_drops)
{
	struct dcmi_power_req pr = { DCMI_POWER_SYSTEM, 0 };
	struct ipmi_get_sdr_req sr = { 0, SDR_ID_FIRST, 0, 16 };
	uint8_t dcmi[8], sdr[8], cc;
	struct buf b;
	size_t dlen, slen;
	struct client c;
	int q;

	buf_init_write(&b, dcmi, sizeof(dcmi));
	ck_assert_int_eq(dcmi_power_req_encode(&pr, &b), 0);
	dlen = b.len;
	for (q = 0; q < 2; q++) {
		bs.quirks = q ? SIM_Q_NO_DCMI | SIM_Q_SDR_SMALL_READS : 0;
		bmc.cnt.quirk_drops = 0;
		client_with_flags(&c, IPMI_IFACE_LANPLUS, 17, 0, (uint32_t)(47 + q));
		ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
		/* 5 and 16 bytes are read either way */
		for (sr.count = 5; sr.count <= 16; sr.count += 11) {
			buf_init_write(&b, sdr, sizeof(sdr));
			ck_assert_int_eq(ipmi_get_sdr_req_encode(&sr, &b), 0);
			slen = b.len;
			ck_assert_int_eq(ask(&c, IPMI_NETFN_STORAGE,
			    IPMI_CMD_GET_SDR, sdr, slen, &cc), 1);
			ck_assert_uint_eq(cc, IPMI_CC_OK);
		}
		/* 17: answered by the clean BMC only */
		sr.count = 17;
		buf_init_write(&b, sdr, sizeof(sdr));
		ck_assert_int_eq(ipmi_get_sdr_req_encode(&sr, &b), 0);
		slen = b.len;
		ck_assert_int_eq(ask(&c, IPMI_NETFN_STORAGE, IPMI_CMD_GET_SDR,
		    sdr, slen, &cc), !q);
		ipmi_session_release(&c.s);
		client_with_flags(&c, IPMI_IFACE_LANPLUS, 17, 0, (uint32_t)(49 + q));
		ck_assert_int_eq(open_session(&c), IPMI_EV_ACTIVE);
		ck_assert_int_eq(ask(&c, IPMI_NETFN_GROUP,
		    DCMI_CMD_GET_POWER_READING, dcmi, dlen, &cc), !q);
		ipmi_session_release(&c.s);
		/* the request and 2 resends of each */
		ck_assert_uint_eq(bmc.cnt.quirk_drops, q ? 6 : 0);
		now += SIM_SESS_IDLE_MS;	/* the abandoned sessions go */
	}
}
END_TEST

static Suite *
sess_suite(void)
{
	Suite *s = suite_create("sess");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_v20_suites, 0, 2);
	tcase_add_test(tc, test_auto_suite_picks_17);
	tcase_add_loop_test(tc, test_v15, 0, 2);
	tcase_add_test(tc, test_wrong_password_refused);
	tcase_add_test(tc, test_unknown_user_refused);
	tcase_add_test(tc, test_user_privilege_limit);
	tcase_add_test(tc, test_session_limit);
	tcase_add_test(tc, test_idle_sessions_expire);
	tcase_add_test(tc, test_lost_handshake_messages_cost_no_slot);
	tcase_add_test(tc, test_tampered_and_replayed_packets_dropped);
	tcase_add_test(tc, test_close_resent_is_answered);
	tcase_add_test(tc, test_session_less_and_ping);
	tcase_add_test(tc, test_kg);
	tcase_add_loop_test(tc, test_quirk_open_session_priv, 0, 2);
	tcase_add_test(tc, test_quirk_integrity_check_value);
	tcase_add_loop_test(tc, test_quirk_intel20, 0, 2);
	tcase_add_loop_test(tc, test_quirk_supermicro20, 0, 2);
	tcase_add_test(tc, test_quirk_sun20);
	tcase_add_loop_test(tc, test_quirk_authcap, 0, 2);
	tcase_add_test(tc, test_quirk_seq_reset);
	tcase_add_test(tc, test_quirk_name_lookup);
	tcase_add_test(tc, test_quirk_drops);
	tcase_add_test(tc, test_hostile_no_slot);
	tcase_add_loop_test(tc, test_hostile_reboot, 0, 2);
	tcase_add_test(tc, test_hostile_rmcpp_length);
	tcase_add_test(tc, test_hostile_reboot_timed);
	tcase_add_loop_test(tc, test_hostile_duplicate_reorder, 0, 3);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sess_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
