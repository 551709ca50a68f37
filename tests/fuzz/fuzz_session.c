/*
 * fuzz_session: the client session state machine against BMC datagrams
 * chosen by the fuzzer, in every handshake state.
 *
 * Input layout:
 *   byte 0   configuration
 *              bit 0     v1.5 (1) or v2.0 (0)
 *              bits 1-2  v2.0: suite 3, 17, auto, 0 (insecure)
 *                        v1.5: auth auto, MD5, straight, none (insecure)
 *              bit 3     privilege User (no Set Session Privilege step)
 *              bit 4     keepalive every 1000 ms
 *              bit 5     the BMC lists cipher suites 3 and 17
 *              bit 6     a K_g on both sides
 *              bit 7     2 retries instead of none
 *   byte 1   bits 0-3: handshake steps an honest BMC answers first;
 *            bit 4: then a Get Device ID request; bit 5: then a close
 *   records  flags, length, bytes (cut short by the end of the input)
 *              flags bits 0-1  0 raw datagram
 *                              1 payload sealed by the BMC (type below)
 *                              2 cc and data of an answer to the
 *                                outstanding message, sealed by the BMC
 *                              3 the honest BMC answers (bytes unused)
 *              bit 2           fire the timer afterwards
 *              bits 3-5        payload type for mode 1
 *              bit 6           then a request, if the session is idle
 *              bit 7           the length is two bytes, little-endian
 *
 * "Sealed" means wrapped the way the BMC's session is at that moment:
 * with the RMCP+ keys and the next sequence number, or the v1.5 auth code,
 * so the fuzzer reaches what lies behind the HMAC.  After the records the
 * session is closed with a silent BMC and must reach CLOSED or FAILED.
 *
 * Invariants: the state is valid; a failed session says why and has no
 * timer; a session mid-handshake or with a message outstanding always has
 * a deadline; every datagram sent is at most IPMI_MAX_PACKET bytes and
 * starts with an IPMI-class RMCP header; responses fit their buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/buf.h"
#include "ipmi/cmds.h"
#include "ipmi/ipmi.h"
#include "ipmi/lan15.h"
#include "ipmi/msg.h"
#include "ipmi/rakp.h"
#include "ipmi/rmcp.h"
#include "ipmi/rmcpp.h"
#include "ipmi/session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

#define BMC_SID		0x0b0c0d0eu
#define BMC_SID15	0x51d00001u
#define TEMP_SID	0x7e3e0001u

static const uint8_t PW[] = { 'f', 'u', 'z', 'z', 'p', 'w' };
static const uint8_t KG[] = { 'f', 'u', 'z', 'z', 'k', 'g' };

struct fz {
	struct ipmi_session	 s;
	struct ipmi_session_cfg	 cfg;
	uint32_t		 rnd;
	uint64_t		 now;

	/* the honest BMC */
	int			 list_suites;
	uint32_t		 console_sid;
	struct rakp_params	 prm;
	uint8_t			 sik[32];
	struct rmcpp_keys	 keys;
	int			 active;
	uint8_t			 at;
	uint32_t		 tx_seq;
	uint8_t			 iv_ctr;
	int			 rmcpp;		/* last request was RMCP+ */
	int			 have_req;	/* a decoded request to answer */
	uint8_t			 rq_pt;
	uint8_t			 plain[IPMI_MAX_PACKET];
	size_t			 plen;
	struct ipmi_msg		 req;
	uint8_t			 out[IPMI_MAX_PACKET + 64];
	size_t			 outlen;
};

static int
fake_random(void *arg, void *p, size_t n)
{
	uint32_t *st = arg;
	uint8_t *q = p;
	size_t i;

	for (i = 0; i < n; i++) {
		*st = *st * 1103515245u + 12345u;
		q[i] = (uint8_t)(*st >> 16);
	}
	return 0;
}

static void
pw16(uint8_t out[16])
{
	memset(out, 0, 16);
	memcpy(out, PW, sizeof(PW));
}

/* --- invariants ----------------------------------------------------------- */

static void
check(struct fz *f, int rc)
{
	struct ipmi_session *s = &f->s;
	enum ipmi_sess_state st = ipmi_session_state(s);
	uint64_t dl = ipmi_session_deadline(s);
	char why[48];

	CHECK(rc >= IPMI_E_RAKP && rc <= IPMI_EV_FAILED);
	CHECK(st > IPMI_SS_IDLE && st <= IPMI_SS_FAILED);
	CHECK(dl == 0 || dl >= f->now);
	if (ipmi_session_busy(s))
		CHECK(dl != 0);
	switch (st) {
	case IPMI_SS_FAILED:
		CHECK(ipmi_session_error(s) < 0);
		/* FALLTHROUGH */
	case IPMI_SS_CLOSED:
		CHECK(dl == 0 && !ipmi_session_busy(s));
		break;
	case IPMI_SS_ACTIVE:
		break;
	default:
		/* mid-handshake with nothing outstanding would hang */
		CHECK(ipmi_session_busy(s));
	}
	if (rc == IPMI_EV_FAILED)
		CHECK(st == IPMI_SS_FAILED);
	if (rc == IPMI_EV_CLOSED)
		CHECK(st == IPMI_SS_CLOSED);
	if (rc == IPMI_EV_ACTIVE || rc == IPMI_EV_RESPONSE)
		CHECK(st == IPMI_SS_ACTIVE);
	if (rc == IPMI_EV_RESPONSE)
		CHECK(ipmi_session_response(s)->len <= IPMI_MAX_PAYLOAD);
	CHECK(s->txlen <= IPMI_MAX_PACKET);
	CHECK(ipmi_session_strerror(s, why, sizeof(why)) == why);
	CHECK(strlen(why) < sizeof(why));
	CHECK(ipmi_sess_state_name(st)[0] != '?');
}

/* --- the honest BMC ------------------------------------------------------- */

/* Take the session's datagram, if any; decode it as the BMC. */
static void
drain(struct fz *f)
{
	const uint8_t *p;
	struct rmcp_hdr rh;
	struct buf b, mb;
	size_t n;

	if ((p = ipmi_session_tx(&f->s, &n)) == NULL)
		return;
	CHECK(n > 0 && n <= IPMI_MAX_PACKET);
	CHECK(ipmi_session_tx(&f->s, &n) == NULL);	/* handed out once */
	f->have_req = 0;
	buf_init_read(&b, p, n);
	CHECK(rmcp_decode(&b, &rh) == 0 && rh.cls == RMCP_CLASS_IPMI);
	CHECK(buf_left(&b) > 0);
	if (buf_cur(&b)[0] == IPMI_AUTH_RMCPP) {
		struct rmcpp_hdr h;
		struct buf c = b;

		f->rmcpp = 1;
		if (rmcpp_decode(&b, &h, f->active ? &f->keys : NULL, f->plain,
		    sizeof(f->plain), &f->plen) != 0 &&
		    rmcpp_decode(&c, &h, NULL, f->plain, sizeof(f->plain),
		    &f->plen) != 0)
			return;
		f->rq_pt = h.payload_type;
		if (h.payload_type != RMCPP_PT_IPMI) {
			f->have_req = 1;
			return;
		}
	} else {
		struct lan15_hdr h;

		f->rmcpp = 0;
		CHECK(lan15_decode(&b, &h) == 0);
		memcpy(f->plain, h.msg, h.len);
		f->plen = h.len;
		f->rq_pt = RMCPP_PT_IPMI;
	}
	buf_init_read(&mb, f->plain, f->plen);
	/* the session builds only well-formed requests */
	CHECK(ipmi_msg_decode(&mb, &f->req) == 0);
	CHECK((f->req.netfn & 1) == 0);
	f->have_req = 1;
}

static void
seal_msg(struct fz *f, const uint8_t *m, size_t n)
{
	struct buf w;
	uint8_t p16[16];

	buf_init_write(&w, f->out, sizeof(f->out));
	f->outlen = 0;
	if (f->cfg.iface == IPMI_IFACE_LANPLUS) {
		struct rmcpp_hdr h = { RMCPP_PT_IPMI, 0, 0, 0, 0 };
		uint8_t iv[16];
		size_t i;

		for (i = 0; i < sizeof(iv); i++)
			iv[i] = f->iv_ctr++;
		if (f->active) {
			h.session_id = f->console_sid;
			h.seq = f->tx_seq++;
			h.authenticated = f->keys.integ != IPMI_INTEG_NONE;
			h.encrypted = f->keys.conf != IPMI_CONF_NONE;
		}
		if (rmcpp_encode(&w, &h, m, n, f->active ? &f->keys : NULL,
		    iv) != 0)
			return;
	} else {
		pw16(p16);
		if (f->active) {
			if (lan15_encode(&w, f->at, f->tx_seq++, BMC_SID15,
			    p16, m, n) != 0)
				return;
		} else if (f->s.state == IPMI_SS_ACTIVATE) {
			if (lan15_encode(&w, f->s.info.auth_type, 0, TEMP_SID,
			    p16, m, n) != 0)
				return;
		} else if (lan15_encode(&w, IPMI_AUTH_NONE, 0, 0, p16, m, n) !=
		    0)
			return;
	}
	f->outlen = w.len;
}

static void
seal_payload(struct fz *f, uint8_t pt, const uint8_t *p, size_t n)
{
	struct rmcpp_hdr h = { pt, 0, 0, 0, 0 };
	struct buf w;
	uint8_t iv[16];

	memset(iv, 0x11, sizeof(iv));
	buf_init_write(&w, f->out, sizeof(f->out));
	f->outlen = 0;
	if (f->active) {
		h.session_id = f->console_sid;
		h.seq = f->tx_seq++;
		h.authenticated = f->keys.integ != IPMI_INTEG_NONE;
		h.encrypted = f->keys.conf != IPMI_CONF_NONE;
	}
	if (rmcpp_encode(&w, &h, p, n, f->active ? &f->keys : NULL, iv) == 0)
		f->outlen = w.len;
}

/* A response message to the decoded request, sealed. */
static void
answer_msg(struct fz *f, uint8_t cc, const uint8_t *d, size_t n)
{
	uint8_t m[IPMI_MAX_PACKET];
	struct ipmi_msg r;
	struct buf w;

	ipmi_msg_response(&r, &f->req, cc, d, n);
	buf_init_write(&w, m, sizeof(m));
	if (ipmi_msg_encode(&r, &w) != 0)
		return;
	seal_msg(f, m, w.len);
}

static void
answer_payload(struct fz *f)
{
	uint8_t d[128];
	struct buf r, w;
	size_t i;

	buf_init_read(&r, f->plain, f->plen);
	buf_init_write(&w, d, sizeof(d));
	switch (f->rq_pt) {
	case RMCPP_PT_OPEN_REQ: {
		struct rakp_open_req q;
		struct rakp_open_rsp a;

		if (rakp_open_req_decode(&r, &q) != 0)
			return;
		f->console_sid = q.console_sid;
		memset(&f->prm, 0, sizeof(f->prm));
		f->prm.auth = q.auth;
		f->keys.integ = q.integ;
		f->keys.conf = q.conf;
		memset(&a, 0, sizeof(a));
		a.tag = q.tag;
		a.priv = q.priv;
		a.console_sid = q.console_sid;
		a.bmc_sid = BMC_SID;
		a.auth = q.auth;
		a.integ = q.integ;
		a.conf = q.conf;
		(void)rakp_open_rsp_encode(&a, &w);
		seal_payload(f, RMCPP_PT_OPEN_RSP, d, w.len);
		break;
	}
	case RMCPP_PT_RAKP1: {
		struct rakp1 q;
		struct rakp2 a;

		if (rakp1_decode(&r, &q) != 0)
			return;
		memset(&a, 0, sizeof(a));
		a.tag = q.tag;
		a.console_sid = f->console_sid;
		f->prm.console_sid = f->console_sid;
		f->prm.bmc_sid = BMC_SID;
		memcpy(f->prm.rm, q.rm, 16);
		for (i = 0; i < 16; i++) {
			f->prm.rc[i] = (uint8_t)(0xc0 + i);
			f->prm.guid[i] = (uint8_t)(0xa0 + i);
		}
		f->prm.role = q.role;
		f->prm.ulen = q.ulen;
		memcpy(f->prm.user, q.user, q.ulen);
		f->prm.kuid = PW;
		f->prm.kuid_len = sizeof(PW);
		if (f->cfg.kg != NULL) {
			f->prm.kg = KG;
			f->prm.kg_len = sizeof(KG);
		}
		memcpy(a.rc, f->prm.rc, 16);
		memcpy(a.guid, f->prm.guid, 16);
		if (rakp2_code(&f->prm, a.code) != 0)
			return;
		a.code_len = rakp_code_len(f->prm.auth);
		(void)rakp2_encode(&a, &w);
		seal_payload(f, RMCPP_PT_RAKP2, d, w.len);
		break;
	}
	case RMCPP_PT_RAKP3: {
		struct rakp3 q;
		struct rakp4 a;
		uint8_t integ = f->keys.integ, conf = f->keys.conf;

		if (rakp3_decode(&r, &q) != 0)
			return;
		memset(&a, 0, sizeof(a));
		a.tag = q.tag;
		a.console_sid = f->console_sid;
		if (rakp_sik(&f->prm, f->sik) != 0 ||
		    rakp_keys(f->prm.auth, integ, conf, f->sik, &f->keys) != 0 ||
		    rakp4_icv(&f->prm, f->sik, a.icv) != 0)
			return;
		a.icv_len = rakp_icv_len(f->prm.auth);
		(void)rakp4_encode(&a, &w);
		seal_payload(f, RMCPP_PT_RAKP4, d, w.len);
		f->active = 1;
		f->tx_seq = 1;
		break;
	}
	}
}

/* The honest answer to the last request, in f->out (outlen 0: none). */
static void
answer(struct fz *f)
{
	uint8_t d[64];
	struct buf r, w;

	f->outlen = 0;
	if (!f->have_req)
		return;
	f->have_req = 0;	/* once: replays are the fuzzer's business */
	if (f->rq_pt != RMCPP_PT_IPMI) {
		answer_payload(f);
		return;
	}
	buf_init_read(&r, f->req.data, f->req.len);
	buf_init_write(&w, d, sizeof(d));
	switch (f->req.cmd) {
	case IPMI_CMD_GET_CHANNEL_AUTH_CAPS: {
		struct ipmi_auth_caps_req q;
		struct ipmi_auth_caps_rsp a;

		if (ipmi_auth_caps_req_decode(&r, &q) != 0)
			return;
		memset(&a, 0, sizeof(a));
		a.channel = 1;
		a.v2_ext = q.v2;
		a.auth_types = 1 << IPMI_AUTH_NONE | 1 << IPMI_AUTH_MD5 |
		    1 << IPMI_AUTH_STRAIGHT;
		a.v15 = 1;
		a.v20 = 1;
		(void)ipmi_auth_caps_rsp_encode(&a, &w);
		break;
	}
	case IPMI_CMD_GET_CHANNEL_CIPHER_SUITES: {
		static const uint8_t list[] = { 0xc0, 0x03, 0x01, 0x41, 0x81,
		    0xc0, 0x11, 0x03, 0x44, 0x81 };
		struct ipmi_cipher_suites_rsp a;

		if (!f->list_suites)
			return;
		memset(&a, 0, sizeof(a));
		a.channel = 1;
		if (f->req.len == 3 && (f->req.data[2] & 0x3f) == 0) {
			memcpy(a.data, list, sizeof(list));
			a.len = sizeof(list);
		}
		(void)ipmi_cipher_suites_rsp_encode(&a, &w);
		break;
	}
	case IPMI_CMD_GET_SESSION_CHALLENGE: {
		struct ipmi_challenge_rsp a;

		a.temp_sid = TEMP_SID;
		memset(a.challenge, 0x3c, 16);
		(void)ipmi_challenge_rsp_encode(&a, &w);
		break;
	}
	case IPMI_CMD_ACTIVATE_SESSION: {
		struct ipmi_activate_req q;
		struct ipmi_activate_rsp a;

		if (ipmi_activate_req_decode(&r, &q) != 0)
			return;
		a.auth_type = q.auth_type;
		a.sid = BMC_SID15;
		a.inbound_seq = 0x100;
		a.priv = q.priv;
		(void)ipmi_activate_rsp_encode(&a, &w);
		answer_msg(f, IPMI_CC_OK, d, w.len);
		f->active = 1;
		f->at = q.auth_type;
		f->tx_seq = q.outbound_seq;
		return;
	}
	case IPMI_CMD_SET_SESSION_PRIV:
		(void)buf_put_bytes(&w, f->req.data, f->req.len > 1 ? 1 :
		    f->req.len);
		break;
	case IPMI_CMD_GET_DEVICE_ID: {
		struct ipmi_device_id a;

		memset(&a, 0, sizeof(a));
		a.manufacturer = 343;
		(void)ipmi_device_id_encode(&a, &w);
		break;
	}
	case IPMI_CMD_CLOSE_SESSION:
		break;
	default:
		answer_msg(f, IPMI_CC_INVALID_CMD, NULL, 0);
		return;
	}
	answer_msg(f, IPMI_CC_OK, d, w.len);
}

/* --- driving -------------------------------------------------------------- */

static void
input(struct fz *f, const uint8_t *p, size_t n)
{
	int rc;

	if (n == 0 && p == NULL)
		return;
	rc = ipmi_session_input(&f->s, p, n, f->now);
	check(f, rc);
	drain(f);
}

static void
timer(struct fz *f)
{
	uint64_t dl = ipmi_session_deadline(&f->s);

	if (dl == 0)
		return;
	f->now = dl;
	check(f, ipmi_session_timer(&f->s, f->now));
	drain(f);
}

static void
honest(struct fz *f)
{
	answer(f);
	if (f->outlen > 0)
		input(f, f->out, f->outlen);
}

static void
maybe_request(struct fz *f)
{
	static const uint8_t none[1];

	if (ipmi_session_state(&f->s) == IPMI_SS_ACTIVE &&
	    !ipmi_session_busy(&f->s)) {
		CHECK(ipmi_session_request(&f->s, IPMI_NETFN_APP,
		    IPMI_CMD_GET_DEVICE_ID, none, 0, f->now) == 0);
		check(f, 0);
		drain(f);
	}
}

static const uint8_t payload_types[8] = {
	RMCPP_PT_IPMI, RMCPP_PT_OPEN_RSP, RMCPP_PT_RAKP2, RMCPP_PT_RAKP4,
	RMCPP_PT_SOL, RMCPP_PT_OPEN_REQ, RMCPP_PT_RAKP1, RMCPP_PT_RAKP3,
};

/* cc and data from the fuzzer, in an answer to the outstanding message */
static void
sealed_answer(struct fz *f, const uint8_t *p, size_t n)
{
	struct ipmi_session *s = &f->s;
	uint8_t d[IPMI_MAX_PACKET];

	f->outlen = 0;
	if (s->out_kind == 2) {		/* RMCP+ payload: answer its type */
		if (n > sizeof(d))
			n = sizeof(d);
		memcpy(d, p, n);
		/* the tag and our session ID, so the status is looked at */
		if (n >= 1)
			d[0] = s->tag;
		if (n >= 8) {
			d[4] = s->info.console_sid & 0xff;
			d[5] = (s->info.console_sid >> 8) & 0xff;
			d[6] = (s->info.console_sid >> 16) & 0xff;
			d[7] = (uint8_t)(s->info.console_sid >> 24);
		}
		seal_payload(f, (uint8_t)(s->out_pt + 1), d, n);
		return;
	}
	if (n == 0)
		return;
	/*
	 * By hand, not ipmi_msg_encode(): a BMC may send more data than an
	 * IPMI message can hold, and the session must cope.
	 */
	if (n > sizeof(d) - 7)
		n = sizeof(d) - 7;
	d[0] = IPMI_REMOTE_SWID;
	d[1] = (uint8_t)((s->out_netfn | 1) << 2);
	d[2] = ipmi_checksum(d, 2);
	d[3] = IPMI_BMC_ADDR;
	d[4] = (uint8_t)(s->rq_seq << 2);
	d[5] = s->out_cmd;
	memcpy(d + 6, p, n);		/* cc, then data */
	d[6 + n] = ipmi_checksum(d + 3, 3 + n);
	seal_msg(f, d, 7 + n);
}

static void
configure(struct fz *f, uint8_t c)
{
	static const int suites[4] = { 3, 17, IPMI_SUITE_AUTO, 0 };
	static const uint8_t auths[4] = { IPMI_AUTHTYPE_AUTO, IPMI_AUTH_MD5,
	    IPMI_AUTH_STRAIGHT, IPMI_AUTH_NONE };
	int sel = (c >> 1) & 3;

	memset(&f->cfg, 0, sizeof(f->cfg));
	f->cfg.iface = c & 1 ? IPMI_IFACE_LAN : IPMI_IFACE_LANPLUS;
	f->cfg.cipher_suite = suites[sel];
	f->cfg.auth_type = c & 1 ? auths[sel] : IPMI_AUTHTYPE_AUTO;
	if (sel == 3)
		f->cfg.flags = IPMI_SESS_INSECURE;
	f->cfg.priv = c & 0x08 ? IPMI_PRIV_USER : IPMI_PRIV_ADMIN;
	f->cfg.user = "fuzz";
	f->cfg.password = PW;
	f->cfg.password_len = sizeof(PW);
	if (c & 0x40) {
		f->cfg.kg = KG;
		f->cfg.kg_len = sizeof(KG);
	}
	f->cfg.timeout_ms = 1000;
	f->cfg.retries = c & 0x80 ? 2 : 0;
	f->cfg.suites_timeout_ms = 300;
	f->cfg.keepalive_ms = c & 0x10 ? 1000 : 0;
	f->cfg.random = fake_random;
	f->cfg.random_arg = &f->rnd;
	f->list_suites = (c & 0x20) != 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f;
	size_t i = 2, n;
	unsigned steps, k;
	uint8_t fl;

	if (size < 2)
		return 0;
	memset(&f, 0, sizeof(f));
	f.rnd = 0x5eed;
	f.now = 1000;
	configure(&f, data[0]);
	CHECK(ipmi_session_init(&f.s, &f.cfg) == 0);
	if (ipmi_session_open(&f.s, f.now) != 0) {
		CHECK(ipmi_session_state(&f.s) == IPMI_SS_FAILED);
		ipmi_session_release(&f.s);
		return 0;
	}
	check(&f, 0);
	drain(&f);

	steps = data[1] & 0x0f;
	for (k = 0; k < steps; k++)
		honest(&f);
	if (data[1] & 0x10)
		maybe_request(&f);
	if ((data[1] & 0x20) && ipmi_session_state(&f.s) == IPMI_SS_ACTIVE) {
		CHECK(ipmi_session_close(&f.s, f.now) == 0);
		check(&f, 0);
		drain(&f);
	}

	while (i + 2 <= size) {
		fl = data[i];
		n = data[i + 1];
		i += 2;
		if ((fl & 0x80) && i < size)
			n |= (size_t)data[i++] << 8;
		if (n > size - i)
			n = size - i;
		switch (fl & 3) {
		case 0:
			input(&f, data + i, n);
			break;
		case 1:
			if (f.cfg.iface == IPMI_IFACE_LANPLUS &&
			    payload_types[fl >> 3 & 7] != RMCPP_PT_IPMI)
				seal_payload(&f, payload_types[fl >> 3 & 7],
				    data + i, n);
			else
				seal_msg(&f, data + i, n);
			if (f.outlen > 0)
				input(&f, f.out, f.outlen);
			break;
		case 2:
			sealed_answer(&f, data + i, n);
			if (f.outlen > 0)
				input(&f, f.out, f.outlen);
			break;
		case 3:
			honest(&f);
			break;
		}
		i += n;
		if (fl & 0x04)
			timer(&f);
		if (fl & 0x40)
			maybe_request(&f);
	}

	/* a silent BMC: the close must finish on its own */
	CHECK(ipmi_session_close(&f.s, f.now) == 0);
	check(&f, 0);
	drain(&f);
	for (k = 0; k < 16 && ipmi_session_deadline(&f.s) != 0; k++)
		timer(&f);
	CHECK(ipmi_session_state(&f.s) == IPMI_SS_CLOSED ||
	    ipmi_session_state(&f.s) == IPMI_SS_FAILED);
	CHECK(ipmi_session_deadline(&f.s) == 0);
	ipmi_session_release(&f.s);
	return 0;
}
