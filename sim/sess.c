#include <string.h>

#include "bmc.h"
#include "ipmi/buf.h"
#include "ipmi/cmds.h"
#include "ipmi/crypto.h"
#include "ipmi/dcmi.h"
#include "ipmi/lan15.h"
#include "ipmi/msg.h"
#include "ipmi/rakp.h"
#include "ipmi/rmcp.h"
#include "ipmi/sdr.h"
#include "ipmi/sensor.h"
#include "quirk.h"
#include "sess.h"

#define CHANNEL		1	/* the LAN channel's number */
#define SEQ_BEHIND	16	/* IPMI v2.0 rev 1.1, 6.12.13 windows */
#define SEQ_AHEAD	32

/* What one datagram turned into: the answer is built in out. */
struct ctx {
	struct sim_sess	*s;
	uint64_t	 peer;
	uint64_t	 now;
	struct buf	 out;
	int		 bad;
	int		 served;	/* an in-session request was answered */
};

static void
rnd(struct sim_sess *s, void *p, size_t n)
{
	s->random(s->random_arg, p, n);
}

static uint32_t
new_sid(struct sim_sess *s)
{
	uint32_t sid;
	int i, again;

	do {
		rnd(s, &sid, sizeof(sid));
		again = sid == 0;
		for (i = 0; i < s->nslots && !again; i++)
			again = s->slots[i].state != SIM_SLOT_FREE &&
			    s->slots[i].bmc_sid == sid;
	} while (again);
	return sid;
}

static void
slot_free(struct sim_slot *sl)
{
	crypto_wipe(sl, sizeof(*sl));
	sl->state = SIM_SLOT_FREE;
}

static int
slot_open(const struct sim_slot *sl)
{
	return sl->state != SIM_SLOT_FREE && sl->state != SIM_SLOT_CLOSED &&
	    sl->state != SIM_SLOT_CHALLENGE;
}

/* Forget sessions idle too long, as a BMC's session timer does. */
static void
expire(struct sim_sess *s, uint64_t now)
{
	int i;

	for (i = 0; i < s->nslots; i++) {
		struct sim_slot *sl = &s->slots[i];
		uint64_t idle = now - sl->last;

		if (sl->state == SIM_SLOT_FREE)
			continue;
		if (sl->state == SIM_SLOT_ACTIVE15 ||
		    sl->state == SIM_SLOT_ACTIVE20) {
			if (idle >= SIM_SESS_IDLE_MS)
				slot_free(sl);
		} else if (idle >= SIM_SESS_HALFOPEN_MS)
			slot_free(sl);
	}
}

int
sim_sess_count(struct sim_sess *s, uint64_t now)
{
	int i, n = 0;

	expire(s, now);
	for (i = 0; i < s->nslots; i++)
		n += slot_open(&s->slots[i]);
	return n;
}

void
sim_sess_wipe(struct sim_sess *s)
{
	int i;

	for (i = 0; i < s->nslots; i++)
		slot_free(&s->slots[i]);
}

/*
 * A slot for a new handshake.  open: counts against the session limit
 * (NULL when the limit is reached).  A pending v1.5 challenge does not; when
 * every slot is taken the oldest challenge makes room.
 */
static struct sim_slot *
slot_new(struct sim_sess *s, uint64_t now, int open)
{
	struct sim_slot *sl, *freeslot = NULL, *oldest = NULL;
	int i;

	if (open && sim_sess_count(s, now) >= s->limit)
		return NULL;
	expire(s, now);
	for (i = 0; i < s->nslots; i++) {
		sl = &s->slots[i];
		if (sl->state == SIM_SLOT_FREE && freeslot == NULL)
			freeslot = sl;
		if (sl->state == SIM_SLOT_CLOSED || sl->state ==
		    SIM_SLOT_CHALLENGE)
			if (oldest == NULL || sl->last < oldest->last)
				oldest = sl;
	}
	if ((sl = freeslot) == NULL && (sl = oldest) == NULL)
		return NULL;
	slot_free(sl);
	sl->last = now;
	sl->bmc_sid = new_sid(s);
	return sl;
}

static struct sim_slot *
slot_by_sid(struct sim_sess *s, uint32_t sid)
{
	int i;

	if (sid == 0)
		return NULL;
	for (i = 0; i < s->nslots; i++)
		if (s->slots[i].state != SIM_SLOT_FREE &&
		    s->slots[i].bmc_sid == sid)
			return &s->slots[i];
	return NULL;
}

static const struct sim_user *
user_find(const struct sim_auth *a, const uint8_t *name, size_t len)
{
	int i;

	for (i = 0; i < a->nusers; i++)
		if (a->users[i].ulen == len &&
		    memcmp(a->users[i].name, name, len) == 0)
			return &a->users[i];
	return NULL;
}

static void
pw16(const struct sim_user *u, uint8_t out[16])
{
	memset(out, 0, 16);
	memcpy(out, u->pw, u->pwlen > 16 ? 16 : u->pwlen);
}

/* The sequence window: a replay outside it is dropped, a duplicate served. */
static int
seq_ok(struct sim_slot *sl, uint32_t seq)
{
	uint32_t d = seq - sl->in_top;

	if (d != 0 && d <= SEQ_AHEAD) {
		sl->in_top = seq;
		return 1;
	}
	return sl->in_top - seq <= SEQ_BEHIND;
}

/* --- commands answered by the session layer ----------------------------- */

static uint8_t
auth_caps(struct ctx *c, const struct ipmi_msg *req, uint8_t *d, size_t *n)
{
	const struct sim_auth *a = c->s->auth;
	struct ipmi_auth_caps_req r;
	struct ipmi_auth_caps_rsp rsp;
	struct buf b;
	int i;

	buf_init_read(&b, req->data, req->len);
	if (req->len != 2 || ipmi_auth_caps_req_decode(&b, &r) != 0)
		return IPMI_CC_REQ_LEN;
	if ((r.channel != IPMI_CHANNEL_CURRENT && r.channel != CHANNEL) ||
	    r.priv < IPMI_PRIV_CALLBACK || r.priv > IPMI_PRIV_OEM)
		return IPMI_CC_INVALID_FIELD;
	memset(&rsp, 0, sizeof(rsp));
	rsp.channel = CHANNEL;
	rsp.v2_ext = r.v2;
	rsp.auth_types = a->v15_types;
	for (i = 0; i < a->nusers; i++) {
		if (a->users[i].ulen == 0)
			rsp.null_users = 1;
		else
			rsp.nonnull_users = 1;
	}
	rsp.kg_set = a->kglen != 0;
	rsp.v15 = 1;
	rsp.v20 = r.v2 && a->suites != 0;
	if (c->s->quirks & SIM_Q_AUTHCAP) {
		/* firmware that misreports its capabilities (the Asus, Intel
		 * and Sun ELOM BMCs of FreeIPMI's "authcap"): no v1.5 auth
		 * type and no non-null user names, while it takes MD5 and
		 * RMCP+ logins by name all the same.  The v2.0 bit stays
		 * true: FreeIPMI's workaround does not skip that check */
		rsp.auth_types = 0;
		rsp.nonnull_users = 0;
	}
	buf_init_write(&b, d, IPMI_MAX_PAYLOAD);
	if (ipmi_auth_caps_rsp_encode(&rsp, &b) != 0)
		return IPMI_CC_UNSPECIFIED;
	*n = b.len;
	return IPMI_CC_OK;
}

/* 22.15: records "C0h, ID, auth, integrity, confidentiality" per suite. */
static uint8_t
cipher_suites(struct ctx *c, const struct ipmi_msg *req, uint8_t *d,
    size_t *n)
{
	struct ipmi_cipher_suites_req r;
	struct ipmi_cipher_suites_rsp rsp;
	uint8_t all[64 * 16];
	size_t len = 0, off;
	struct buf b;
	int id;

	buf_init_read(&b, req->data, req->len);
	if (req->len != 3 || ipmi_cipher_suites_req_decode(&b, &r) != 0)
		return IPMI_CC_REQ_LEN;
	if (r.channel != IPMI_CHANNEL_CURRENT && r.channel != CHANNEL)
		return IPMI_CC_INVALID_FIELD;
	for (id = 0; id < 32; id++) {
		const struct ipmi_cipher_suite *cs;

		if (!(c->s->auth->suites & 1U << id) ||
		    (cs = ipmi_cipher_suite(id)) == NULL)
			continue;
		all[len++] = 0xc0;
		all[len++] = (uint8_t)id;
		all[len++] = cs->auth;
		all[len++] = (uint8_t)(0x40 | cs->integ);
		all[len++] = (uint8_t)(0x80 | cs->conf);
	}
	/*
	 * Quirk sun20 (Sun Fire 4100 ILOM): after the good records come
	 * some whose tag bits are wrong.  Here the last record is sent
	 * again with every tag bit clear: 00h where the start of record's
	 * C0h belongs, its algorithms untagged (22.15 wants 00b, 01b, 10b).
	 * A parser that reads on folds these bytes into the record before.
	 */
	if ((c->s->quirks & SIM_Q_SUN20) && len >= 5 && len + 5 <= sizeof(all)) {
		for (id = 0; id < 5; id++)
			all[len + id] = all[len - 5 + id] & 0x3f;
		len += 5;
	}
	memset(&rsp, 0, sizeof(rsp));
	rsp.channel = CHANNEL;
	off = (size_t)r.index * 16;
	if (off < len) {
		rsp.len = (uint8_t)(len - off > 16 ? 16 : len - off);
		memcpy(rsp.data, all + off, rsp.len);
	}
	buf_init_write(&b, d, IPMI_MAX_PAYLOAD);
	if (ipmi_cipher_suites_rsp_encode(&rsp, &b) != 0)
		return IPMI_CC_UNSPECIFIED;
	*n = b.len;
	return IPMI_CC_OK;
}

/* 22.18 Set Session Privilege Level */
static uint8_t
set_priv(struct sim_slot *sl, const struct ipmi_msg *req, uint8_t *d,
    size_t *n)
{
	uint8_t p;

	if (req->len != 1)
		return IPMI_CC_REQ_LEN;
	p = req->data[0] & 0x0f;
	if (p != 0) {
		if (p < IPMI_PRIV_USER || p > IPMI_PRIV_OEM)
			return 0x80;	/* level not available for user */
		if (p > sl->max_priv)
			return 0x81;	/* exceeds the session's limit */
		sl->priv = p;
	}
	d[0] = sl->priv;
	*n = 1;
	return IPMI_CC_OK;
}

/* 22.19 Close Session: our own session or another of this BMC's. */
static uint8_t
close_session(struct ctx *c, struct sim_slot *self, const struct ipmi_msg *req,
    struct sim_slot **closed)
{
	struct sim_slot *t;
	uint32_t sid;
	struct buf b;

	buf_init_read(&b, req->data, req->len);
	if (req->len < 4 || ipmi_close_req_decode(&b, &sid) != 0)
		return IPMI_CC_REQ_LEN;
	if (sid == self->bmc_sid) {
		*closed = self;
		return IPMI_CC_OK;
	}
	if ((t = slot_by_sid(c->s, sid)) == NULL || !slot_open(t))
		return IPMI_CC_INVALID_SESSION_ID;
	if (self->priv < IPMI_PRIV_ADMIN)
		return IPMI_CC_PRIVILEGE;
	slot_free(t);
	return IPMI_CC_OK;
}

static int
is_control(const struct ipmi_msg *req)
{
	return req->netfn == IPMI_NETFN_CHASSIS &&
	    req->cmd == IPMI_CMD_CHASSIS_CONTROL && req->len == 1;
}

/*
 * Is req a copy of the session's previous request, a Chassis Control whose
 * answer was lost?  Then *cc is the answer it got.  Clients resend with
 * the same rq_seq (what it is for) and often a new session sequence
 * number, which seq_ok has let through.
 */
static int
resent_control(const struct ctx *c, const struct sim_slot *sl,
    const struct ipmi_msg *req, uint8_t *cc)
{
	if (!sl->ctl_valid || !is_control(req) ||
	    req->rq_seq != sl->ctl_rq_seq || req->data[0] != sl->ctl_byte ||
	    c->now - sl->ctl_at > SIM_SESS_RESEND_MS)
		return 0;
	*cc = sl->ctl_cc;
	return 1;
}

/* Any other request means the client moved on: forget the cache. */
static void
remember_control(const struct ctx *c, struct sim_slot *sl,
    const struct ipmi_msg *req, uint8_t cc)
{
	if (!is_control(req)) {
		sl->ctl_valid = 0;
		return;
	}
	if (sl->ctl_valid && req->rq_seq == sl->ctl_rq_seq &&
	    req->data[0] == sl->ctl_byte && cc == sl->ctl_cc &&
	    c->now - sl->ctl_at <= SIM_SESS_RESEND_MS)
		return;		/* a copy: the window runs from the first */
	sl->ctl_valid = 1;
	sl->ctl_rq_seq = req->rq_seq;
	sl->ctl_byte = req->data[0];
	sl->ctl_cc = cc;
	sl->ctl_at = c->now;
}

static int
is_reading(const struct ipmi_msg *req)
{
	return req->netfn == IPMI_NETFN_SENSOR &&
	    req->cmd == IPMI_CMD_GET_SENSOR_READING && req->len == 1;
}

/*
 * Count a reading served once per request: a copy of the session's
 * previous request (the same rq_seq and sensor, within SIM_SESS_RESEND_MS)
 * was resent after a lost answer, and the client keeps one answer.
 */
static void
count_reading(const struct ctx *c, struct sim_slot *sl,
    const struct ipmi_msg *req, uint8_t cc)
{
	struct sim_counters *cnt = &c->s->bmc->cnt;

	if (!is_reading(req) || cc != IPMI_CC_OK) {
		sl->rd_valid = 0;
		return;
	}
	if (sl->rd_valid && req->rq_seq == sl->rd_rq_seq &&
	    req->data[0] == sl->rd_sensor &&
	    c->now - sl->rd_at <= SIM_SESS_RESEND_MS) {
		cnt->readings_resent++;
		return;		/* the window runs from the first */
	}
	cnt->readings++;
	sl->rd_valid = 1;
	sl->rd_rq_seq = req->rq_seq;
	sl->rd_sensor = req->data[0];
	sl->rd_at = c->now;
}

/*
 * Firmware bugs that swallow a request whole: the client hears nothing,
 * resends, and spends its retries (quirk.h).
 */
static int
quirk_drops(const struct sim_sess *s, const struct ipmi_msg *req)
{
	/* no-dcmi: DCMI (group extension 2Ch, group DCh) is never answered */
	if ((s->quirks & SIM_Q_NO_DCMI) && req->netfn == IPMI_NETFN_GROUP &&
	    req->len >= 1 && req->data[0] == DCMI_GROUP_ID)
		return 1;
	/* sdr-small-reads: a Get SDR for more than 16 bytes (33.12 byte 6)
	 * is never answered, instead of the CAh "cannot return" it should */
	if ((s->quirks & SIM_Q_SDR_SMALL_READS) &&
	    req->netfn == IPMI_NETFN_STORAGE && req->cmd == IPMI_CMD_GET_SDR &&
	    req->len >= 6 && req->data[5] > 16)
		return 1;
	return 0;
}

/*
 * An in-session (or session-less, self NULL) request: fill the response
 * message.  rsp_data must hold IPMI_MAX_PAYLOAD bytes.
 */
static void
dispatch(struct ctx *c, struct sim_slot *self, const struct ipmi_msg *req,
    struct ipmi_msg *rsp, uint8_t *rsp_data, struct sim_slot **closed)
{
	size_t n = 0;
	uint8_t cc;

	*closed = NULL;
	c->served = self != NULL;
	if (req->netfn == IPMI_NETFN_APP &&
	    req->cmd == IPMI_CMD_GET_CHANNEL_AUTH_CAPS)
		cc = auth_caps(c, req, rsp_data, &n);
	else if (req->netfn == IPMI_NETFN_APP &&
	    req->cmd == IPMI_CMD_GET_CHANNEL_CIPHER_SUITES)
		cc = cipher_suites(c, req, rsp_data, &n);
	else if (self == NULL)
		cc = IPMI_CC_INVALID_CMD;	/* not reached: filtered */
	else if (req->netfn == IPMI_NETFN_APP &&
	    req->cmd == IPMI_CMD_SET_SESSION_PRIV)
		cc = set_priv(self, req, rsp_data, &n);
	else if (req->netfn == IPMI_NETFN_APP &&
	    req->cmd == IPMI_CMD_CLOSE_SESSION)
		cc = close_session(c, self, req, closed);
	else if (req->netfn == IPMI_NETFN_APP &&
	    (req->cmd == IPMI_CMD_GET_SESSION_CHALLENGE ||
	    req->cmd == IPMI_CMD_ACTIVATE_SESSION))
		cc = IPMI_CC_ILLEGAL;	/* not inside a session */
	else if (req->netfn & 1)
		cc = IPMI_CC_INVALID_CMD;
	else if (resent_control(c, self, req, &cc))
		c->s->bmc->cnt.ctl_resent++;
	else
		cc = sim_bmc_handle(c->s->bmc, c->now, self->priv, req,
		    rsp_data, IPMI_MAX_PAYLOAD, &n);
	if (self != NULL) {
		remember_control(c, self, req, cc);
		count_reading(c, self, req, cc);
	}
	if (cc != IPMI_CC_OK)
		n = 0;
	ipmi_msg_response(rsp, req, cc, rsp_data, n);
}

static int
session_less_cmd(const struct ipmi_msg *m)
{
	return m->netfn == IPMI_NETFN_APP &&
	    (m->cmd == IPMI_CMD_GET_CHANNEL_AUTH_CAPS ||
	    m->cmd == IPMI_CMD_GET_CHANNEL_CIPHER_SUITES);
}

/* --- IPMI v1.5 ----------------------------------------------------------- */

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

static size_t
drop(struct ctx *c)
{
	c->bad = 1;
	return 0;
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
	if ((u = user_find(s->auth, r.user, ulen)) == NULL) {
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
		if ((sl = slot_new(s, c->now, 0)) == NULL) {
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

static size_t
input15(struct ctx *c, struct buf *b)
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
		if (!session_less_cmd(&req))
			return drop(c);
		dispatch(c, NULL, &req, &rsp, d, &closed);
		return reply15(c, IPMI_AUTH_NONE, 0, 0, NULL, &rsp);
	}

	if ((sl = slot_by_sid(s, h.session_id)) == NULL ||
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
		if (!seq_ok(sl, h.seq))
			return drop(c);
		sl->used = 1;
		sl->last = c->now;
		if (quirk_drops(s, &req)) {
			s->bmc->cnt.quirk_drops++;
			return 0;
		}
		dispatch(c, sl, &req, &rsp, d, &closed);
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

/* --- IPMI v2.0 RMCP+ ----------------------------------------------------- */

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
		    (sl = slot_new(s, c->now, 1)) == NULL)) {
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
	if ((sl = slot_by_sid(s, r.bmc_sid)) == NULL ||
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
	if ((u = user_find(s->auth, r.user, ulen)) == NULL) {
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
		slot_free(sl);	/* 13.21: an error ends the handshake */
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
	if ((sl = slot_by_sid(s, r.bmc_sid)) == NULL || sl->peer != c->peer ||
	    !(sl->state == SIM_SLOT_RAKP2 ||
	    (sl->state == SIM_SLOT_ACTIVE20 && !sl->used))) {
		out.status = RAKP_INVALID_SESSION_ID;
		goto answer;
	}
	out.console_sid = sl->console_sid;
	if (r.status != RAKP_OK) {
		/* the console gave up (e.g. our RAKP 2 code did not match) */
		slot_free(sl);
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
			slot_free(sl);
		goto answer;
	}
	if (fresh && sim_sess_count(s, c->now) > s->limit) {
		s->bmc->cnt.noslot++;
		out.status = RAKP_NO_RESOURCES;
		slot_free(sl);
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
		if (rakp_keys(sl->auth, sl->integ, sl->conf, sik,
		    &sl->keys) != 0)
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

static size_t
input20(struct ctx *c, struct buf *b)
{
	struct sim_sess *s = c->s;
	uint8_t plain[IPMI_MAX_PACKET], d[IPMI_MAX_PAYLOAD];
	struct rmcpp_hdr h;
	struct ipmi_msg req, rsp;
	struct sim_slot *sl, *closed;
	struct buf mb;
	size_t n;
	uint32_t sid;

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
			    !session_less_cmd(&req))
				return drop(c);
			dispatch(c, NULL, &req, &rsp, d, &closed);
			return reply20_msg(c, NULL, &rsp);
		default:
			return drop(c);
		}
	}
	if ((sl = slot_by_sid(s, sid)) == NULL ||
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
	if (!seq_ok(sl, h.seq))
		return drop(c);
	sl->used = 1;
	sl->last = c->now;
	if (quirk_drops(s, &req)) {
		s->bmc->cnt.quirk_drops++;
		return 0;
	}
	dispatch(c, sl, &req, &rsp, d, &closed);
	n = reply20_msg(c, sl, &rsp);
	if (closed != NULL)
		closed->state = SIM_SLOT_CLOSED;
	return n;
}

/*
 * Quirk reboot: the BMC restarts after reboot_after in-session requests,
 * as after a firmware crash or update, once the last one's answer is
 * built: every session and the SDR reservation are gone.
 */
static void
reboot(struct sim_sess *s, uint64_t now)
{
	s->served = 0;
	s->booted = now;
	sim_sess_wipe(s);
	s->bmc->sdr_resv = 0;
	s->bmc->cnt.reboots++;
}

static void
reboot_check(struct sim_sess *s, const struct ctx *c)
{
	uint32_t after = s->reboot_after ? s->reboot_after : SIM_REBOOT_AFTER;

	if (!(s->quirks & SIM_Q_REBOOT) || !c->served || ++s->served < after)
		return;
	reboot(s, c->now);
}

/* ...and with reboot_ms, the BMC restarted while nobody was asking. */
static void
reboot_timed(struct sim_sess *s, uint64_t now)
{
	if (!(s->quirks & SIM_Q_REBOOT) || s->reboot_ms == 0)
		return;
	if (s->booted == 0)
		s->booted = now;
	else if (now - s->booted >= s->reboot_ms)
		reboot(s, now);
}

size_t
sim_sess_input(struct sim_sess *s, uint64_t peer, const uint8_t *pkt,
    size_t len, uint64_t now, uint8_t *out, size_t cap, int *bad)
{
	struct ctx c;
	struct rmcp_hdr rh;
	struct buf b;
	size_t n = 0;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.peer = peer;
	c.now = now;
	buf_init_write(&c.out, out, cap);
	buf_init_read(&b, pkt, len);
	reboot_timed(s, now);
	if (rmcp_decode(&b, &rh) != 0 || rh.ack) {
		c.bad = 1;
	} else if (rh.cls == RMCP_CLASS_ASF) {
		struct asf_msg m;

		if (asf_decode(&b, &m) == 0 && m.type == ASF_TYPE_PING) {
			if (asf_encode_pong(&c.out, rh.seq, m.tag,
			    ASF_ENTITY_IPMI) == 0)
				n = c.out.len;
		} else
			c.bad = 1;
	} else if (rh.cls != RMCP_CLASS_IPMI || buf_left(&b) < 1) {
		c.bad = 1;
	} else if (buf_cur(&b)[0] == IPMI_AUTH_RMCPP) {
		n = input20(&c, &b);
	} else {
		n = input15(&c, &b);
	}
	reboot_check(s, &c);
	if (c.bad)
		s->bmc->cnt.bad++;
	if (bad != NULL)
		*bad = c.bad;
	return n;
}
