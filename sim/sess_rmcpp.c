/*
 * sess_rmcpp: IPMI v2.0 RMCP+ sessions on a simulated BMC (sess.h): Open
 * Session, RAKP 1-4 with the ipmi/rakp math the client uses, and every
 * later message of the session with its integrity and confidentiality.
 */
#include <string.h>

#include "bmcstate.h"
#include "ipmi/crypto.h"
#include "ipmi/rakp.h"
#include "quirk.h"
#include "sess_int.h"

static size_t
reply20(struct ctx *c, struct sim_slot *sl, uint8_t pt, const uint8_t *p,
    size_t n)
{
	struct rmcpp_hdr h;
	uint8_t iv[16];

	memset(&h, 0, sizeof(h));
	h.payload_type = pt;
	if (sl != NULL) {
		h.session_id = sl->console_sid;
		h.seq = sl->out_seq++;
		if (sl->out_seq == 0)
			sl->out_seq = 1;
		h.authenticated = sl->keys.integ != IPMI_INTEG_NONE;
		h.encrypted = sl->keys.conf != IPMI_CONF_NONE;
		if (h.encrypted)
			rnd(c->s, iv, sizeof(iv));
	}
	if (rmcpp_encode(&c->out, &h, p, n, sl ? &sl->keys : NULL, iv) != 0)
		return 0;
	return c->out.len;
}

static size_t
reply20_msg(struct ctx *c, struct sim_slot *sl, const struct ipmi_msg *rsp)
{
	uint8_t mb[IPMI_MAX_PAYLOAD + 16];
	struct buf m;

	buf_init_write(&m, mb, sizeof(mb));
	if (ipmi_msg_encode(rsp, &m) != 0)
		return 0;
	return reply20(c, sl, RMCPP_PT_IPMI, m.data, m.len);
}

/* The suite with exactly these algorithms among those offered, or -1. */
static int
match_suite(const struct sim_auth *a, uint8_t auth, uint8_t integ,
    uint8_t conf, uint8_t *status)
{
	int id, auth_ok = 0, integ_ok = 0, conf_ok = 0;

	for (id = 0; id < 32; id++) {
		const struct ipmi_cipher_suite *cs;

		if (!(a->suites & 1U << id) ||
		    (cs = ipmi_cipher_suite(id)) == NULL)
			continue;
		auth_ok |= cs->auth == auth;
		integ_ok |= cs->integ == integ;
		conf_ok |= cs->conf == conf;
		if (cs->auth == auth && cs->integ == integ && cs->conf == conf)
			return id;
	}
	*status = !auth_ok ? RAKP_INVALID_AUTH_ALG :
	    !integ_ok ? RAKP_INVALID_INTEG_ALG :
	    !conf_ok ? RAKP_INVALID_CONF_ALG : RAKP_NO_CIPHER_MATCH;
	return -1;
}

/* 13.17-13.18 Open Session */
static size_t
open_session(struct ctx *c, const uint8_t *p, size_t n)
{
	struct sim_sess *s = c->s;
	struct rakp_open_req r;
	struct rakp_open_rsp out;
	struct sim_slot *sl = NULL;
	uint8_t d[64];
	struct buf b;
	int i;

	buf_init_read(&b, p, n);
	if (rakp_open_req_decode(&b, &r) != 0)
		return drop(c);
	memset(&out, 0, sizeof(out));
	out.tag = r.tag;
	out.console_sid = r.console_sid;
	if ((r.priv & 0x0f) > IPMI_PRIV_OEM)
		out.status = RAKP_INVALID_ROLE;
	else if (r.console_sid == 0)
		out.status = RAKP_INVALID_SESSION_ID;
	else if (match_suite(s->auth, r.auth, r.integ, r.conf,
	    &out.status) < 0)
		;
	else {
		for (i = 0; i < s->nslots && sl == NULL; i++)
			if ((s->slots[i].state == SIM_SLOT_OPENED ||
			    s->slots[i].state == SIM_SLOT_RAKP2) &&
			    s->slots[i].peer == c->peer &&
			    s->slots[i].console_sid == r.console_sid)
				sl = &s->slots[i];
		if (sl == NULL && ((s->quirks & SIM_Q_NO_SLOT) ||
		    (sl = sess_slot_new(s, c->now, 1)) == NULL)) {
			s->bmc->cnt.noslot++;
			out.status = RAKP_NO_RESOURCES;
		}
	}
	if (sl != NULL) {
		if (sl->state == SIM_SLOT_FREE) {
			sl->state = SIM_SLOT_OPENED;
			sl->v20 = 1;
			sl->peer = c->peer;
			sl->console_sid = r.console_sid;
			sl->auth = r.auth;
			sl->integ = r.integ;
			sl->conf = r.conf;
			sl->open_priv = r.priv & 0x0f;
			/* 0 asks for the highest level the suite allows */
			sl->max_priv = (r.priv & 0x0f) ? r.priv & 0x0f :
			    IPMI_PRIV_ADMIN;
		}
		sl->last = c->now;
		out.priv = sl->max_priv;
		out.bmc_sid = sl->bmc_sid;
		out.auth = sl->auth;
		out.integ = sl->integ;
		out.conf = sl->conf;
	}
	buf_init_write(&b, d, sizeof(d));
	if (rakp_open_rsp_encode(&out, &b) != 0)
		return 0;
	return reply20(c, NULL, RMCPP_PT_OPEN_RSP, d, b.len);
}

static void
params(const struct sim_sess *s, const struct sim_slot *sl,
    struct rakp_params *p)
{
	const struct sim_bmc *bmc = s->bmc;
	const struct sim_auth *a = s->auth;

	memset(p, 0, sizeof(*p));
	p->auth = sl->auth;
	p->console_sid = sl->console_sid;
	p->bmc_sid = sl->bmc_sid;
	memcpy(p->rm, sl->rm, 16);
	memcpy(p->rc, sl->rc, 16);
	memcpy(p->guid, bmc->guid, 16);
	p->role = sl->role;
	/*
	 * Quirks open-session-priv and sun20 (Sun ILOM, Supermicro X8DT*,
	 * Intel S5500WBV, Dell C5220...): the keys hash the privilege the
	 * Open Session Request asked for (0 = "highest") where 13.31 puts
	 * the RAKP 1 role's; its name-only lookup bit stays.
	 */
	if (s->quirks & (SIM_Q_OPENSESSPRIV | SIM_Q_SUN20))
		p->role = (uint8_t)((sl->role & 0xf0) | sl->open_priv);
	p->ulen = sl->user->ulen;
	memcpy(p->user, sl->user->name, sl->user->ulen);
	/*
	 * Quirk intel20 (Intel SE7520AF2 with its Server Management
	 * Module): RAKP 2 and the SIK hash the name NUL-padded to 16 bytes,
	 * ULENGTH 16 (RAKP 3 is checked otherwise: see rakp3()).
	 */
	if (s->quirks & SIM_Q_INTEL20)
		p->ulen = IPMI_MAX_USER;
	p->kuid = sl->user->pw;
	p->kuid_len = sl->user->pwlen;
	if (a->kglen) {
		p->kg = a->kg;
		p->kg_len = a->kglen;
	}
}

/* 13.20-13.21 RAKP Messages 1 and 2 */
static size_t
rakp1(struct ctx *c, const uint8_t *p, size_t n)
{
	struct sim_sess *s = c->s;
	struct rakp1 r;
	struct rakp2 out;
	struct rakp_params prm;
	struct sim_slot *sl;
	const struct sim_user *u = NULL;
	uint8_t d[96], priv;
	struct buf b;
	size_t len, ulen;

	buf_init_read(&b, p, n);
	if (rakp1_decode(&b, &r) != 0)
		return drop(c);
	memset(&out, 0, sizeof(out));
	out.tag = r.tag;
	if ((sl = sess_slot_by_sid(s, r.bmc_sid)) == NULL ||
	    (sl->state != SIM_SLOT_OPENED && sl->state != SIM_SLOT_RAKP2) ||
	    sl->peer != c->peer) {
		out.status = RAKP_INVALID_SESSION_ID;
		goto answer;
	}
	out.console_sid = sl->console_sid;
	priv = r.role & 0x0f;
	ulen = r.ulen;
	/* quirk intel20: a name padded with NULs is looked up without them */
	if (s->quirks & SIM_Q_INTEL20)
		for (ulen = 0; ulen < r.ulen && r.user[ulen] != 0; ulen++)
			;
	if ((u = sess_user_find(s->auth, r.user, ulen)) == NULL) {
		out.status = RAKP_UNAUTHORIZED_NAME;
	} else if (priv < IPMI_PRIV_CALLBACK || priv > IPMI_PRIV_OEM ||
	    (r.role & ~(0x0f | RAKP_ROLE_NAME_ONLY)) != 0 ||
	    /* firmware without name-only lookup takes the bit for a bad
	     * role (bmcfleet's no-name-lookup copes) */
	    ((s->quirks & SIM_Q_NAME_LOOKUP) &&
	    (r.role & RAKP_ROLE_NAME_ONLY))) {
		out.status = RAKP_INVALID_ROLE;
	} else if (priv > u->priv || priv > sl->max_priv) {
		out.status = RAKP_UNAUTHORIZED_ROLE;
	}
	if (out.status != RAKP_OK) {
		s->bmc->cnt.refused++;
		sess_slot_free(sl);	/* 13.21: an error ends the handshake */
		goto answer;
	}
	/* a resent RAKP 1 (same Rm) gets the same Rc; a new one, a new Rc */
	if (sl->state != SIM_SLOT_RAKP2 || memcmp(sl->rm, r.rm, 16) != 0 ||
	    sl->role != r.role || sl->user != u) {
		memcpy(sl->rm, r.rm, 16);
		rnd(s, sl->rc, 16);
		sl->role = r.role;
		sl->user = u;
		sl->state = SIM_SLOT_RAKP2;
	}
	sl->tag = r.tag;
	sl->last = c->now;
	params(s, sl, &prm);
	memcpy(out.rc, sl->rc, 16);
	memcpy(out.guid, s->bmc->guid, 16);
	out.code_len = rakp_code_len(sl->auth);
	if (rakp2_code(&prm, out.code) != 0)
		return 0;
	/*
	 * Quirks supermicro20 (Supermicro H8QME with SIMSO, every
	 * algorithm) and sun20 (Sun ILOM, HMAC-SHA1 only): the payload is
	 * one byte longer than 13.21's, the key exchange code 21 bytes
	 * for HMAC-SHA1.  The spare byte is zero.
	 */
	if ((s->quirks & SIM_Q_SUPERMICRO20) || ((s->quirks & SIM_Q_SUN20) &&
	    sl->auth == IPMI_AUTH_ALG_HMAC_SHA1))
		out.code[out.code_len++] = 0;
answer:
	buf_init_write(&b, d, sizeof(d));
	if (rakp2_encode(&out, &b) != 0)
		return 0;
	len = b.len;
	crypto_wipe(&prm, sizeof(prm));
	return reply20(c, NULL, RMCPP_PT_RAKP2, d, len);
}

/* 13.22-13.23 RAKP Messages 3 and 4 */
static size_t
rakp3(struct ctx *c, const uint8_t *p, size_t n)
{
	struct sim_sess *s = c->s;
	struct rakp3 r;
	struct rakp4 out;
	struct rakp_params prm;
	struct sim_slot *sl;
	uint8_t d[64], code[32], sik[32];
	struct buf b;
	size_t len;
	int fresh;

	buf_init_read(&b, p, n);
	if (rakp3_decode(&b, &r) != 0)
		return drop(c);
	memset(&out, 0, sizeof(out));
	out.tag = r.tag;
	if ((sl = sess_slot_by_sid(s, r.bmc_sid)) == NULL || sl->peer != c->peer ||
	    !(sl->state == SIM_SLOT_RAKP2 ||
	    (sl->state == SIM_SLOT_ACTIVE20 && !sl->used))) {
		out.status = RAKP_INVALID_SESSION_ID;
		goto answer;
	}
	out.console_sid = sl->console_sid;
	if (r.status != RAKP_OK) {
		/* the console gave up (e.g. our RAKP 2 code did not match) */
		sess_slot_free(sl);
		return 0;
	}
	fresh = sl->state == SIM_SLOT_RAKP2;
	params(s, sl, &prm);
	/*
	 * Quirk intel20: RAKP 3 is checked against the name unpadded and
	 * the role without its name-only lookup bit (13.31 wants both as
	 * RAKP 1 sent them).
	 */
	if (s->quirks & SIM_Q_INTEL20) {
		prm.ulen = sl->user->ulen;
		prm.role &= (uint8_t)~RAKP_ROLE_NAME_ONLY;
	}
	if (rakp3_code(&prm, code) != 0)
		return 0;
	params(s, sl, &prm);
	if (r.code_len != rakp_code_len(sl->auth) ||
	    crypto_memcmp(code, r.code, r.code_len) != 0) {
		/* the console does not know the password */
		s->bmc->cnt.refused++;
		out.status = RAKP_INVALID_ICV;
		if (fresh)
			sess_slot_free(sl);
		goto answer;
	}
	if (fresh && sim_sess_count(s, c->now) > s->limit) {
		s->bmc->cnt.noslot++;
		out.status = RAKP_NO_RESOURCES;
		sess_slot_free(sl);
		goto answer;
	}
	if (rakp_sik(&prm, sik) != 0 || rakp4_icv(&prm, sik, out.icv) != 0)
		return 0;
	out.icv_len = rakp_icv_len(sl->auth);
	/*
	 * Quirk integrity-check-value (Supermicro X8DTG/X8DTU, Intel
	 * S5500WBV, S2600JF): with cipher suite 0 the RAKP 4 ICV should be
	 * empty (13.23) but 12 bytes come, which no key could produce.
	 */
	if ((s->quirks & SIM_Q_ICV) && sl->auth == IPMI_AUTH_ALG_NONE) {
		rnd(s, out.icv, 12);
		out.icv_len = 12;
	}
	if (fresh) {
		rmcpp_keys_wipe(&sl->keys);
		if (rakp_keys(sl->auth, sl->integ, sl->conf, sik,
		    &sl->keys) != 0 || rmcpp_keys_arm(&sl->keys) != 0)
			return 0;
		sl->state = SIM_SLOT_ACTIVE20;
		sl->max_priv = sl->role & 0x0f;
		sl->priv = sl->max_priv < IPMI_PRIV_USER ? sl->max_priv :
		    IPMI_PRIV_USER;
		sl->out_seq = 1;
		sl->in_top = 0;
		s->bmc->cnt.sessions++;
	}
	sl->last = c->now;
answer:
	crypto_wipe(sik, sizeof(sik));
	crypto_wipe(&prm, sizeof(prm));
	buf_init_write(&b, d, sizeof(d));
	if (rakp4_encode(&out, &b) != 0)
		return 0;
	len = b.len;
	return reply20(c, NULL, RMCPP_PT_RAKP4, d, len);
}

/* The session ID of an RMCP+ header, read without decoding it (13.6). */
static int
peek_sid(const struct buf *b, uint32_t *sid)
{
	const uint8_t *p = buf_cur(b);
	size_t off = 2;

	if (buf_left(b) < 2)
		return -1;
	if ((p[1] & 0x3f) == RMCPP_PT_OEM)
		off += 6;	/* OEM IANA and payload ID */
	if (buf_left(b) < off + 4)
		return -1;
	*sid = (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
	    (uint32_t)p[off + 2] << 16 | (uint32_t)p[off + 3] << 24;
	return 0;
}

size_t
sess_input20(struct ctx *c, struct buf *b)
{
	struct sim_sess *s = c->s;
	uint8_t plain[IPMI_MAX_PACKET], d[IPMI_MAX_PAYLOAD];
	struct rmcpp_hdr h;
	struct ipmi_msg req, rsp;
	struct sim_slot *sl, *closed;
	struct buf mb;
	size_t n;
	uint32_t sid;
	int rc;

	if (s->auth->suites == 0 || peek_sid(b, &sid) != 0)
		return drop(c);
	if (sid == 0) {
		if (rmcpp_decode(b, &h, NULL, plain, sizeof(plain), &n) != 0)
			return drop(c);
		switch (h.payload_type) {
		case RMCPP_PT_OPEN_REQ:
			return open_session(c, plain, n);
		case RMCPP_PT_RAKP1:
			return rakp1(c, plain, n);
		case RMCPP_PT_RAKP3:
			return rakp3(c, plain, n);
		case RMCPP_PT_IPMI:
			buf_init_read(&mb, plain, n);
			if (ipmi_msg_decode(&mb, &req) != 0 || req.netfn & 1 ||
			    !sess_session_less_cmd(&req))
				return drop(c);
			if (sess_less_drops(c, &req))
				return 0;
			sess_dispatch(c, NULL, &req, &rsp, d, &closed);
			return reply20_msg(c, NULL, &rsp);
		default:
			return drop(c);
		}
	}
	if ((sl = sess_slot_by_sid(s, sid)) == NULL ||
	    (sl->state != SIM_SLOT_ACTIVE20 && !(sl->state == SIM_SLOT_CLOSED &&
	    sl->v20)))
		return drop(c);
	if (rmcpp_decode(b, &h, &sl->keys, plain, sizeof(plain), &n) != 0 ||
	    h.payload_type != RMCPP_PT_IPMI)
		return drop(c);
	buf_init_read(&mb, plain, n);
	if (ipmi_msg_decode(&mb, &req) != 0 || req.netfn & 1)
		return drop(c);
	if (sl->state == SIM_SLOT_CLOSED) {
		if (req.netfn != IPMI_NETFN_APP ||
		    req.cmd != IPMI_CMD_CLOSE_SESSION)
			return drop(c);
		ipmi_msg_response(&rsp, &req, IPMI_CC_OK, NULL, 0);
		return reply20_msg(c, sl, &rsp);
	}
	if ((rc = sess_serve(c, sl, h.seq, &req, &rsp, d, &closed)) <= 0)
		return rc < 0 ? drop(c) : 0;
	n = reply20_msg(c, sl, &rsp);
	if (closed != NULL)
		closed->state = SIM_SLOT_CLOSED;
	return n;
}
