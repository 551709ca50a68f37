/*
 * sess_cmd: the commands a simulated BMC's session layer answers itself
 * (Get Channel Authentication Capabilities and Get Channel Cipher Suites,
 * outside a session too; Set Session Privilege Level, Close Session), the
 * resend caches of Chassis Control and Get Sensor Reading, the quirks
 * that swallow a request, and the dispatch of every other in-session
 * request to sim_bmc_handle.
 */
#include <string.h>

#include "bmc.h"
#include "ipmi/cmds.h"
#include "ipmi/dcmi.h"
#include "ipmi/pet.h"
#include "ipmi/sensor.h"
#include "pefsim.h"
#include "quirk.h"
#include "sess_int.h"

/* the LAN channel's number: 1, or the model's (pefsim.h) */
#define CHANNEL		sim_pef_lan_channel(c->s->bmc)

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
	if ((t = sess_slot_by_sid(c->s, sid)) == NULL || !sess_slot_open(t))
		return IPMI_CC_INVALID_SESSION_ID;
	if (self->priv < IPMI_PRIV_ADMIN)
		return IPMI_CC_PRIVILEGE;
	sess_slot_free(t);
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
int
sess_quirk_drops(const struct sim_sess *s, const struct ipmi_msg *req)
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
	/* no-cipher-suites: as ipmi_sim, in a session or out of one */
	if ((s->quirks & SIM_Q_NO_CIPHER_SUITES) &&
	    req->netfn == IPMI_NETFN_APP &&
	    req->cmd == IPMI_CMD_GET_CHANNEL_CIPHER_SUITES)
		return 1;
	return 0;
}

static void
count_suites(struct ctx *c, const struct ipmi_msg *req)
{
	if (req->netfn == IPMI_NETFN_APP &&
	    req->cmd == IPMI_CMD_GET_CHANNEL_CIPHER_SUITES)
		c->s->bmc->cnt.cipher_suites++;
}

int
sess_less_drops(struct ctx *c, const struct ipmi_msg *req)
{
	count_suites(c, req);
	if (!sess_quirk_drops(c->s, req))
		return 0;
	c->s->bmc->cnt.quirk_drops++;
	return 1;
}

/*
 * An in-session (or session-less, self NULL) request: fill the response
 * message.  rsp_data must hold IPMI_MAX_PAYLOAD bytes.
 */
void
sess_dispatch(struct ctx *c, struct sim_slot *self, const struct ipmi_msg *req,
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
	else if (self == NULL && req->netfn == IPMI_NETFN_SENSOR &&
	    req->cmd == IPMI_CMD_PET_ACK)
		cc = sim_bmc_handle(c->s->bmc, c->now, IPMI_PRIV_CALLBACK, req,
		    rsp_data, IPMI_MAX_PAYLOAD, &n);
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

int
sess_session_less_cmd(const struct ipmi_msg *m)
{
	/* PET Acknowledge too: an alert receiver need not log in (30.8) */
	return (m->netfn == IPMI_NETFN_APP &&
	    (m->cmd == IPMI_CMD_GET_CHANNEL_AUTH_CAPS ||
	    m->cmd == IPMI_CMD_GET_CHANNEL_CIPHER_SUITES)) ||
	    (m->netfn == IPMI_NETFN_SENSOR && m->cmd == IPMI_CMD_PET_ACK);
}

int
sess_serve(struct ctx *c, struct sim_slot *sl, uint32_t seq,
    const struct ipmi_msg *req, struct ipmi_msg *rsp, uint8_t *rsp_data,
    struct sim_slot **closed)
{
	if (!sess_seq_ok(sl, seq))
		return -1;
	sl->used = 1;
	sl->last = c->now;
	count_suites(c, req);
	if (sess_quirk_drops(c->s, req)) {
		c->s->bmc->cnt.quirk_drops++;
		return 0;
	}
	sess_dispatch(c, sl, req, rsp, rsp_data, closed);
	return 1;
}
