/*
 * sess_v15: IPMI v1.5 sessions on a simulated BMC (sess.h): Get Session
 * Challenge, Activate Session, and every later message of the session
 * with its auth code (none, MD5 or straight password).
 */
#include <string.h>

#include "bmcstate.h"
#include "ipmi/cmds.h"
#include "ipmi/crypto.h"
#include "ipmi/lan15.h"
#include "quirk.h"
#include "sess_int.h"

static void
pw16(const struct sim_user *u, uint8_t out[16])
{
	memset(out, 0, 16);
	memcpy(out, u->pw, u->pwlen > 16 ? 16 : u->pwlen);
}

static size_t
reply15(struct ctx *c, uint8_t at, uint32_t seq, uint32_t sid,
    const struct sim_user *u, const struct ipmi_msg *rsp)
{
	uint8_t mb[IPMI_MAX_PAYLOAD + 16], pw[16];
	struct buf m;
	int rc;

	buf_init_write(&m, mb, sizeof(mb));
	if (ipmi_msg_encode(rsp, &m) != 0)
		return 0;
	memset(pw, 0, sizeof(pw));
	if (u != NULL)
		pw16(u, pw);
	rc = lan15_encode(&c->out, at, seq, sid, pw, m.data, m.len);
	crypto_wipe(pw, sizeof(pw));
	return rc == 0 ? c->out.len : 0;
}

/* 22.16 Get Session Challenge */
static size_t
challenge(struct ctx *c, const struct ipmi_msg *req)
{
	struct sim_sess *s = c->s;
	struct ipmi_challenge_req r;
	struct ipmi_challenge_rsp out;
	const struct sim_user *u;
	struct sim_slot *sl = NULL;
	uint8_t d[IPMI_MAX_PAYLOAD], cc = IPMI_CC_OK;
	struct ipmi_msg rsp;
	struct buf b;
	size_t ulen, n = 0;
	int i;

	buf_init_read(&b, req->data, req->len);
	if (req->len != 17 || ipmi_challenge_req_decode(&b, &r) != 0) {
		cc = IPMI_CC_REQ_LEN;
		goto answer;
	}
	/* MD2 is only advertised (--v15-auth md2), to test that clients
	 * refuse it; a session asking for it is refused here */
	if (r.auth_type > IPMI_AUTH_OEM || r.auth_type == IPMI_AUTH_MD2 ||
	    !(s->auth->v15_types & 1U << r.auth_type)) {
		cc = IPMI_CC_INVALID_FIELD;
		goto answer;
	}
	for (ulen = 0; ulen < 16 && r.user[ulen] != 0; ulen++)
		;
	if ((u = sess_user_find(s->auth, r.user, ulen)) == NULL) {
		s->bmc->cnt.refused++;
		cc = ulen ? IPMI_CC_INVALID_USER : IPMI_CC_NULL_USER;
		goto answer;
	}
	/* a resent request from the same console gets the same challenge */
	for (i = 0; i < s->nslots && sl == NULL; i++)
		if (s->slots[i].state == SIM_SLOT_CHALLENGE &&
		    s->slots[i].peer == c->peer && s->slots[i].user == u &&
		    s->slots[i].auth_type == r.auth_type)
			sl = &s->slots[i];
	if (sl == NULL) {
		if ((sl = sess_slot_new(s, c->now, 0)) == NULL) {
			cc = IPMI_CC_NODE_BUSY;
			goto answer;
		}
		sl->state = SIM_SLOT_CHALLENGE;
		sl->peer = c->peer;
		sl->user = u;
		sl->auth_type = r.auth_type;
		rnd(s, sl->challenge, sizeof(sl->challenge));
	}
	sl->last = c->now;
	out.temp_sid = sl->bmc_sid;
	memcpy(out.challenge, sl->challenge, 16);
	buf_init_write(&b, d, sizeof(d));
	if (ipmi_challenge_rsp_encode(&out, &b) != 0)
		cc = IPMI_CC_UNSPECIFIED;
	else
		n = b.len;
answer:
	ipmi_msg_response(&rsp, req, cc, d, cc == IPMI_CC_OK ? n : 0);
	return reply15(c, IPMI_AUTH_NONE, 0, 0, NULL, &rsp);
}

/* 22.17 Activate Session, authenticated with the challenge's auth type. */
static size_t
activate(struct ctx *c, struct sim_slot *sl, const struct lan15_hdr *h,
    const struct ipmi_msg *req)
{
	struct sim_sess *s = c->s;
	struct ipmi_activate_req r;
	struct ipmi_activate_rsp out;
	uint8_t d[IPMI_MAX_PAYLOAD], cc = IPMI_CC_OK;
	struct ipmi_msg rsp;
	struct buf b;
	size_t n = 0;

	buf_init_read(&b, req->data, req->len);
	if (req->len != 22 || ipmi_activate_req_decode(&b, &r) != 0 ||
	    r.auth_type != h->auth_type ||
	    crypto_memcmp(r.challenge, sl->challenge, 16) != 0)
		return drop(c);
	if (sl->state == SIM_SLOT_ACTIVE15) {
		/* our answer was lost: say the same again */
		if (sl->used || sl->peer != c->peer)
			return drop(c);
	} else {
		if ((r.priv & 0x0f) > sl->user->priv ||
		    (r.priv & 0x0f) < IPMI_PRIV_CALLBACK) {
			cc = IPMI_CC_PRIV_EXCEEDED;
			goto answer;
		}
		if ((s->quirks & SIM_Q_NO_SLOT) ||
		    sim_sess_count(s, c->now) >= s->limit) {
			s->bmc->cnt.noslot++;
			cc = IPMI_CC_NO_SESSION_SLOT;
			goto answer;
		}
		sl->state = SIM_SLOT_ACTIVE15;
		sl->max_priv = r.priv & 0x0f;
		/* 22.17: a session starts at User level (or lower) */
		sl->priv = sl->max_priv < IPMI_PRIV_USER ? sl->max_priv :
		    IPMI_PRIV_USER;
		sl->out_seq = r.outbound_seq;
		do
			rnd(s, &sl->in_top, sizeof(sl->in_top));
		while (sl->in_top == 0 || sl->in_top == UINT32_MAX);
		s->bmc->cnt.sessions++;
	}
	sl->last = c->now;
	memset(&out, 0, sizeof(out));
	out.auth_type = sl->auth_type;
	out.sid = sl->bmc_sid;
	out.inbound_seq = sl->in_top + 1;
	out.priv = sl->max_priv;
	buf_init_write(&b, d, sizeof(d));
	if (ipmi_activate_rsp_encode(&out, &b) != 0)
		cc = IPMI_CC_UNSPECIFIED;
	else
		n = b.len;
answer:
	ipmi_msg_response(&rsp, req, cc, d, cc == IPMI_CC_OK ? n : 0);
	return reply15(c, sl->auth_type, 0, sl->bmc_sid, sl->user, &rsp);
}

size_t
sess_input15(struct ctx *c, struct buf *b)
{
	struct sim_sess *s = c->s;
	struct lan15_hdr h;
	struct ipmi_msg req, rsp;
	struct sim_slot *sl, *closed;
	uint8_t d[IPMI_MAX_PAYLOAD], pw[16];
	struct buf mb;
	uint32_t seq;
	int rc;

	if (lan15_decode(b, &h) != 0)
		return drop(c);
	buf_init_read(&mb, h.msg, h.len);
	if (h.session_id == 0) {
		if (h.auth_type != IPMI_AUTH_NONE ||
		    ipmi_msg_decode(&mb, &req) != 0 || req.netfn & 1)
			return drop(c);
		if (req.netfn == IPMI_NETFN_APP &&
		    req.cmd == IPMI_CMD_GET_SESSION_CHALLENGE)
			return challenge(c, &req);
		if (!sess_session_less_cmd(&req))
			return drop(c);
		if (sess_less_drops(c, &req))
			return 0;
		sess_dispatch(c, NULL, &req, &rsp, d, &closed);
		return reply15(c, IPMI_AUTH_NONE, 0, 0, NULL, &rsp);
	}

	if ((sl = sess_slot_by_sid(s, h.session_id)) == NULL ||
	    (sl->state != SIM_SLOT_CHALLENGE && sl->state != SIM_SLOT_ACTIVE15 &&
	    !(sl->state == SIM_SLOT_CLOSED && !sl->v20)) ||
	    h.auth_type != sl->auth_type)
		return drop(c);
	pw16(sl->user, pw);
	rc = lan15_check_auth(&h, pw);
	crypto_wipe(pw, sizeof(pw));
	if (rc != 0 || ipmi_msg_decode(&mb, &req) != 0 || req.netfn & 1)
		return drop(c);
	if (req.netfn == IPMI_NETFN_APP && req.cmd == IPMI_CMD_ACTIVATE_SESSION &&
	    (sl->state == SIM_SLOT_CHALLENGE || sl->state == SIM_SLOT_ACTIVE15))
		return activate(c, sl, &h, &req);
	if (sl->state == SIM_SLOT_CHALLENGE)
		return drop(c);
	if (sl->state == SIM_SLOT_CLOSED) {
		/* a resent Close Session whose answer was lost */
		if (req.netfn != IPMI_NETFN_APP ||
		    req.cmd != IPMI_CMD_CLOSE_SESSION)
			return drop(c);
		ipmi_msg_response(&rsp, &req, IPMI_CC_OK, NULL, 0);
	} else {
		if ((rc = sess_serve(c, sl, h.seq, &req, &rsp, d, &closed)) <= 0)
			return rc < 0 ? drop(c) : 0;
		if (closed != NULL)
			closed->state = SIM_SLOT_CLOSED;
	}
	seq = sl->out_seq++;
	if (sl->out_seq == 0)
		sl->out_seq = 1;
	/* firmware that never advances its outbound sequence number: every
	 * answer says 0, which a client's replay window takes for a replay */
	if (s->quirks & SIM_Q_SEQ_RESET)
		seq = 0;
	return reply15(c, sl->auth_type, seq, sl->bmc_sid, sl->user, &rsp);
}
