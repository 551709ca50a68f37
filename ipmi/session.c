/*
 * The client session state machine: the core.  See session.h for the
 * contract; the wire formats live in lan15.c, rmcpp.c, rakp.c, msg.c and
 * cmds.c.  Here: state and failure, building and sending packets,
 * checking what arrives (session IDs, auth codes, the sequence window),
 * requests, retransmission, keepalive and close.  The handshakes are in
 * session_v15.c (challenge, activate) and session_v20.c (cipher suites,
 * open session, RAKP); the failure in words in session_strerror.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "crypto.h"
#include "lan15.h"
#include "msg.h"
#include "rmcp.h"
#include "session.h"
#include "session_int.h"

/* how far a BMC's sequence number may run ahead or lag (6.12.13) */
#define SEQ_AHEAD	32
#define SEQ_BEHIND	16

static const char *const state_names[] = {
	[IPMI_SS_IDLE] = "idle",
	[IPMI_SS_AUTH_CAPS] = "get-channel-auth-caps",
	[IPMI_SS_CIPHER_SUITES] = "get-channel-cipher-suites",
	[IPMI_SS_CHALLENGE] = "get-session-challenge",
	[IPMI_SS_ACTIVATE] = "activate-session",
	[IPMI_SS_OPEN_SESSION] = "open-session",
	[IPMI_SS_RAKP1] = "rakp-1",
	[IPMI_SS_RAKP3] = "rakp-3",
	[IPMI_SS_SET_PRIV] = "set-session-privilege",
	[IPMI_SS_ACTIVE] = "active",
	[IPMI_SS_CLOSING] = "closing",
	[IPMI_SS_CLOSED] = "closed",
	[IPMI_SS_FAILED] = "failed",
};

const char *
ipmi_sess_state_name(enum ipmi_sess_state s)
{
	if ((size_t)s < sizeof(state_names) / sizeof(state_names[0]))
		return state_names[s];
	return "?";
}

void
sess_debugf(struct ipmi_session *s, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (s->cfg.debug == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	s->cfg.debug(s->cfg.debug_arg, line);
}

void
sess_set_state(struct ipmi_session *s, enum ipmi_sess_state to, const char *why)
{
	sess_debugf(s, "state %s -> %s, %s", ipmi_sess_state_name(s->state),
	    ipmi_sess_state_name(to), why);
	s->state = to;
}

int
sess_rnd(struct ipmi_session *s, void *p, size_t n)
{
	if (s->cfg.random != NULL)
		return s->cfg.random(s->cfg.random_arg, p, n);
	return crypto_random(p, n);
}

/* A random nonzero value, or 0 when the random source failed: the caller
 * fails the session (a guessable session ID or sequence is no fallback) */
uint32_t
sess_rnd_nonzero32(struct ipmi_session *s)
{
	uint32_t v = 0;
	int tries;

	for (tries = 0; v == 0 && tries < 8; tries++)
		if (sess_rnd(s, &v, sizeof(v)) == -1)
			return 0;
	return v;
}

int
sess_fail(struct ipmi_session *s, int err, uint8_t cc, const char *why)
{
	s->err = err;
	s->err_cc = cc;
	s->err_state = s->state;
	s->err_why = why;
	s->out_kind = OUT_NONE;
	s->deadline = 0;
	sess_set_state(s, IPMI_SS_FAILED, why);
	return IPMI_EV_FAILED;
}

int
ipmi_session_init(struct ipmi_session *s, const struct ipmi_session_cfg *cfg)
{
	size_t ulen = cfg->user != NULL ? strlen(cfg->user) : 0;

	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->cfg.user = NULL;
	s->cfg.password = NULL;
	s->cfg.kg = NULL;
	if (ulen > IPMI_MAX_USER || cfg->password_len > IPMI_MAX_PASSWORD ||
	    cfg->kg_len > IPMI_KG_LEN)
		return IPMI_E_INVAL;
	if (cfg->iface == IPMI_IFACE_LAN &&
	    cfg->password_len > IPMI_V15_PASSWORD)
		return IPMI_E_INVAL;
	/* a v1.5 auth type indexes the BMC's bitmask: 0..5 or auto */
	if (cfg->auth_type != IPMI_AUTHTYPE_AUTO &&
	    cfg->auth_type > IPMI_AUTH_OEM)
		return IPMI_E_INVAL;
	if (ulen > 0)
		memcpy(s->user, cfg->user, ulen);
	s->ulen = (uint8_t)ulen;
	if (cfg->password_len > 0)
		memcpy(s->password, cfg->password, cfg->password_len);
	s->pwlen = cfg->password_len;
	if (cfg->kg != NULL && cfg->kg_len > 0) {
		memcpy(s->kg, cfg->kg, cfg->kg_len);
		s->kglen = cfg->kg_len;
	}
	if (s->cfg.timeout_ms == 0)
		s->cfg.timeout_ms = 1000;
	if (s->cfg.suites_timeout_ms == 0)
		s->cfg.suites_timeout_ms = 500;
	if (s->cfg.priv == 0)
		s->cfg.priv = IPMI_PRIV_ADMIN;
	s->info.cipher_suite = -1;
	s->state = IPMI_SS_IDLE;
	return 0;
}

void
ipmi_session_release(struct ipmi_session *s)
{
	crypto_wipe(s->password, sizeof(s->password));
	crypto_wipe(s->kg, sizeof(s->kg));
	crypto_wipe(s->sik, sizeof(s->sik));
	crypto_wipe(s->rm, sizeof(s->rm));
	crypto_wipe(s->rc, sizeof(s->rc));
	crypto_wipe(s->challenge, sizeof(s->challenge));
	rmcpp_keys_wipe(&s->keys);
}

/* --- output ------------------------------------------------------------ */

static int in_session(const struct ipmi_session *s)
{
	return s->state == IPMI_SS_SET_PRIV || s->state == IPMI_SS_ACTIVE ||
	    s->state == IPMI_SS_CLOSING;
}

/* Wrap the outstanding message (or payload) into s->tx. */
int
sess_wrap(struct ipmi_session *s)
{
	uint8_t msgbuf[IPMI_MAX_PAYLOAD + 16], iv[16];
	uint8_t pw16[IPMI_V15_PASSWORD];
	struct buf m, out;
	struct ipmi_msg msg;
	struct rmcpp_hdr h;
	int rc;

	buf_init_write(&out, s->tx, sizeof(s->tx));
	if (s->out_kind == OUT_RMCPP) {
		memset(&h, 0, sizeof(h));
		h.payload_type = s->out_pt;
		if ((rc = rmcpp_encode(&out, &h, s->out_data, s->out_len, NULL,
		    NULL)) != 0)
			return rc;
		s->txlen = out.len;
		return 0;
	}

	ipmi_msg_request(&msg, s->out_netfn, s->out_cmd, s->rq_seq,
	    s->out_data, s->out_len);
	buf_init_write(&m, msgbuf, sizeof(msgbuf));
	if ((rc = ipmi_msg_encode(&msg, &m)) != 0)
		return rc;

	if (s->cfg.iface == IPMI_IFACE_LANPLUS &&
	    s->state != IPMI_SS_AUTH_CAPS) {
		memset(&h, 0, sizeof(h));
		h.payload_type = RMCPP_PT_IPMI;
		if (in_session(s)) {
			h.session_id = s->info.bmc_sid;
			h.seq = s->out_seq++;
			if (s->out_seq == 0)
				s->out_seq = 1;
			h.authenticated = s->keys.integ != IPMI_INTEG_NONE;
			h.encrypted = s->keys.conf != IPMI_CONF_NONE;
			if (h.encrypted && sess_rnd(s, iv, sizeof(iv)) == -1)
				return IPMI_E_CRYPTO;
		}
		rc = rmcpp_encode(&out, &h, m.data, m.len,
		    in_session(s) ? &s->keys : NULL, iv);
	} else {
		uint8_t at = IPMI_AUTH_NONE;
		uint32_t sid = 0, seq = 0;

		memset(pw16, 0, sizeof(pw16));
		memcpy(pw16, s->password, s->pwlen > 16 ? 16 : s->pwlen);
		if (s->state == IPMI_SS_ACTIVATE) {
			at = s->info.auth_type;
			sid = s->temp_sid;
		} else if (in_session(s)) {
			at = s->info.auth_type;
			sid = s->info.bmc_sid;
			seq = s->out_seq++;
			if (s->out_seq == 0)
				s->out_seq = 1;
		}
		rc = lan15_encode(&out, at, seq, sid, pw16, m.data, m.len);
		crypto_wipe(pw16, sizeof(pw16));
	}
	if (rc != 0)
		return rc;
	s->txlen = out.len;
	return 0;
}

static uint32_t
attempt_timeout(const struct ipmi_session *s)
{
	if (s->state == IPMI_SS_CIPHER_SUITES)
		return s->cfg.suites_timeout_ms;
	return s->cfg.timeout_ms;
}

static int
send_out(struct ipmi_session *s, uint64_t now)
{
	int rc;

	if ((rc = sess_wrap(s)) != 0)
		return sess_fail(s, rc, 0, "cannot build packet");
	s->deadline = now + attempt_timeout(s);
	return IPMI_EV_NONE;
}

int
sess_send_msg(struct ipmi_session *s, uint8_t netfn, uint8_t cmd,
    const uint8_t *data, size_t len, int internal, uint64_t now)
{
	if (len > sizeof(s->out_data))
		return IPMI_E_INVAL;
	s->out_kind = OUT_MSG;
	s->out_netfn = netfn;
	s->out_cmd = cmd;
	s->out_internal = internal;
	if (len > 0)	/* data may be NULL: memcpy must not see it */
		memcpy(s->out_data, data, len);
	s->out_len = len;
	s->rq_seq = (s->rq_seq + 1) & 0x3f;
	s->attempts = 0;
	s->bad_rx = 0;
	return send_out(s, now);
}

int
sess_send_payload(struct ipmi_session *s, uint8_t pt, const struct buf *p,
    uint64_t now)
{
	s->out_kind = OUT_RMCPP;
	s->out_pt = pt;
	memcpy(s->out_data, p->data, p->len);
	s->out_len = p->len;
	s->out_internal = 1;
	s->attempts = 0;
	s->bad_rx = 0;
	return send_out(s, now);
}

const uint8_t *
ipmi_session_tx(struct ipmi_session *s, size_t *len)
{
	if (s->txlen == 0)
		return NULL;
	*len = s->txlen;
	s->txlen = 0;
	return s->tx;
}

uint64_t
ipmi_session_deadline(const struct ipmi_session *s)
{
	return s->deadline;
}

const struct ipmi_response *
ipmi_session_response(const struct ipmi_session *s)
{
	return &s->rsp;
}

enum ipmi_sess_state
ipmi_session_state(const struct ipmi_session *s)
{
	return s->state;
}

int
ipmi_session_busy(const struct ipmi_session *s)
{
	return s->out_kind != OUT_NONE;
}

int
ipmi_session_error(const struct ipmi_session *s)
{
	return s->err;
}

/* --- handshake steps ---------------------------------------------------- */

/* Nothing outstanding in an active session: the next deadline is the
 * keepalive, if any, counted from now. */
static void
go_idle(struct ipmi_session *s, uint64_t now)
{
	s->out_kind = OUT_NONE;
	s->idle_since = now;
	s->deadline = s->cfg.keepalive_ms ? now + s->cfg.keepalive_ms : 0;
}

static int
step_auth_caps(struct ipmi_session *s, uint64_t now)
{
	struct ipmi_auth_caps_req req = { IPMI_CHANNEL_CURRENT,
	    s->cfg.iface == IPMI_IFACE_LANPLUS, s->cfg.priv };
	uint8_t d[4];
	struct buf b;

	buf_init_write(&b, d, sizeof(d));
	(void)ipmi_auth_caps_req_encode(&req, &b);
	sess_set_state(s, IPMI_SS_AUTH_CAPS, "opening");
	return sess_send_msg(s, IPMI_NETFN_APP, IPMI_CMD_GET_CHANNEL_AUTH_CAPS,
	    d, b.len, 1, now);
}

static int
step_after_caps(struct ipmi_session *s, const struct ipmi_auth_caps_rsp *c,
    uint64_t now)
{
	int insecure = (s->cfg.flags & IPMI_SESS_INSECURE) != 0;
	int authcap = (s->cfg.flags & IPMI_SESS_WA_AUTHCAP) != 0;

	s->info.v20 = c->v20;
	s->info.auth_types = c->auth_types;
	/*
	 * The answer is session-less and unauthenticated: anyone on the path
	 * can forge "per-message auth off" and make us take unauthenticated
	 * v1.5 answers.  With authcap the report is not believed at all, so
	 * it may not switch authentication off either.
	 */
	s->per_msg_auth_off = authcap || !insecure ? 0 : c->per_msg_auth_off;
	s->bmc_permsg_off = c->per_msg_auth_off;
	if (c->per_msg_auth_off && !s->per_msg_auth_off)
		sess_debugf(s, "the BMC reports per-message authentication "
		    "off: answers without an auth code are still refused "
		    "(--insecure takes them)");
	if (s->ulen == 0 && !insecure)
		return sess_fail(s, IPMI_E_INSECURE, 0,
		    "null user name refused");
	/*
	 * 22.13 user name status: refuse early, with words an operator can
	 * act on, what the BMC says it would refuse later.  Firmware that
	 * misreports these bits (FreeIPMI's "authcap" hardware) gets past
	 * with -W authcap; the login itself still proves the name.
	 */
	if (authcap)
		sess_debugf(s, "authcap: ignoring the reported capabilities "
		    "(auth types 0x%02x, non-null names %d, null names %d)",
		    c->auth_types, c->nonnull_users, c->null_users);
	else if (s->ulen > 0 && !c->nonnull_users)
		return sess_fail(s, IPMI_E_USER, 0, "the BMC reports non-null "
		    "user names disabled (workaround authcap, if it "
		    "misreports)");
	else if (s->ulen == 0 && !c->null_users && !c->anonymous)
		return sess_fail(s, IPMI_E_USER, 0, "the BMC reports null user "
		    "names disabled (workaround authcap, if it misreports)");

	if (s->cfg.iface == IPMI_IFACE_LANPLUS)
		return sess_v20_start(s, c, now);
	return sess_v15_start(s, c, now);
}

int
sess_step_set_priv(struct ipmi_session *s, uint64_t now)
{
	uint8_t d[1];
	struct buf b;

	s->in_init = 0;
	/* sessions start at User; ask only when we want more */
	if (s->cfg.priv <= IPMI_PRIV_USER) {
		s->info.priv = IPMI_PRIV_USER;
		sess_set_state(s, IPMI_SS_ACTIVE, "session established");
		go_idle(s, now);
		return IPMI_EV_ACTIVE;
	}
	buf_init_write(&b, d, sizeof(d));
	(void)ipmi_priv_encode(s->cfg.priv, &b);
	sess_set_state(s, IPMI_SS_SET_PRIV, "session authenticated");
	return sess_send_msg(s, IPMI_NETFN_APP, IPMI_CMD_SET_SESSION_PRIV, d,
	    b.len, 1, now);
}

int
ipmi_session_open(struct ipmi_session *s, uint64_t now)
{
	int insecure = (s->cfg.flags & IPMI_SESS_INSECURE) != 0;

	if (s->state != IPMI_SS_IDLE)
		return IPMI_E_INVAL;
	s->out_seq = 1;
	s->rq_seq = 0;
	if (s->ulen == 0 && !insecure) {
		sess_fail(s, IPMI_E_INSECURE, 0, "null user name refused");
		return IPMI_E_INSECURE;
	}
	if (s->cfg.iface == IPMI_IFACE_LANPLUS &&
	    s->cfg.cipher_suite != IPMI_SUITE_AUTO) {
		s->suite = ipmi_cipher_suite(s->cfg.cipher_suite);
		if (s->suite == NULL || !ipmi_cipher_suite_supported(s->suite)) {
			sess_fail(s, IPMI_E_UNSUPPORTED, 0,
			    "cipher suite not implemented");
			return IPMI_E_UNSUPPORTED;
		}
		if (!ipmi_cipher_suite_secure(s->suite) && !insecure) {
			sess_fail(s, IPMI_E_INSECURE, 0,
			    "insecure cipher suite");
			return IPMI_E_INSECURE;
		}
	}
	if (s->cfg.iface == IPMI_IFACE_LAN &&
	    s->cfg.auth_type == IPMI_AUTH_MD2) {
		/* insecure, and --insecure cannot help: we have no MD2 */
		sess_fail(s, IPMI_E_UNSUPPORTED, 0,
		    "auth type MD2 not implemented");
		return IPMI_E_UNSUPPORTED;
	}
	if (s->cfg.iface == IPMI_IFACE_LAN &&
	    s->cfg.auth_type == IPMI_AUTH_NONE && !insecure) {
		sess_fail(s, IPMI_E_INSECURE, 0, "auth type none refused");
		return IPMI_E_INSECURE;
	}
	/* the password in clear on every packet: as insecure as none */
	if (s->cfg.iface == IPMI_IFACE_LAN &&
	    s->cfg.auth_type == IPMI_AUTH_STRAIGHT && !insecure) {
		sess_fail(s, IPMI_E_INSECURE, 0, "auth type straight password "
		    "(sent in clear) refused");
		return IPMI_E_INSECURE;
	}
	step_auth_caps(s, now);
	return s->state == IPMI_SS_FAILED ? s->err : 0;
}

int
ipmi_session_request(struct ipmi_session *s, uint8_t netfn, uint8_t cmd,
    const uint8_t *data, size_t len, uint64_t now)
{
	if (s->state != IPMI_SS_ACTIVE)
		return IPMI_E_CLOSED;
	if (s->out_kind != OUT_NONE)
		return IPMI_E_BUSY;
	if (len > IPMI_MAX_PAYLOAD - 8)
		return IPMI_E_INVAL;
	sess_send_msg(s, netfn, cmd, data, len, 0, now);
	return s->state == IPMI_SS_FAILED ? s->err : 0;
}

int
ipmi_session_close(struct ipmi_session *s, uint64_t now)
{
	uint8_t d[4];
	struct buf b;

	/* from Set Session Privilege on, the session exists on the BMC
	 * (RAKP 4 or Activate Session answered): it is closed there too */
	if (s->state != IPMI_SS_ACTIVE && s->state != IPMI_SS_SET_PRIV) {
		if (s->state != IPMI_SS_FAILED && s->state != IPMI_SS_CLOSED) {
			/* earlier in the handshake: nothing to close on the
			 * BMC yet (a half-open RMCP+ session, between Open
			 * Session and RAKP 4, times out there) */
			s->out_kind = OUT_NONE;
			s->deadline = 0;
			sess_set_state(s, IPMI_SS_CLOSED,
			    "closed before active");
		}
		return 0;
	}
	buf_init_write(&b, d, sizeof(d));
	(void)ipmi_close_req_encode(s->info.bmc_sid, &b);
	sess_set_state(s, IPMI_SS_CLOSING, "close requested");
	sess_send_msg(s, IPMI_NETFN_APP, IPMI_CMD_CLOSE_SESSION, d, b.len, 1,
	    now);
	return 0;
}

/* --- input --------------------------------------------------------------- */

/* The sliding window of 6.12.13: drop replays, tolerate some reordering. */
/* 0 when an IPMI message (raw, as in a v1.5 packet) answers the request
 * outstanding, as on_msg() will require, else why not; decoding is pure. */
static int
answers_outstanding(const struct ipmi_session *s, const uint8_t *p,
    size_t n)
{
	struct ipmi_msg m;
	struct buf b;
	int rc;

	buf_init_read(&b, p, n);
	if ((rc = ipmi_msg_decode(&b, &m)) != 0)
		return rc;
	return s->out_kind == OUT_MSG && (m.netfn & 1) &&
	    m.netfn == (s->out_netfn | 1) && m.cmd == s->out_cmd &&
	    m.rq_seq == s->rq_seq ? 0 : IPMI_E_UNEXPECTED;
}

static int
seq_accept(struct ipmi_session *s, uint32_t seq)
{
	uint32_t d;

	/*
	 * ignore-seq-reset: v1.5 firmware that restarts its outbound sequence
	 * number, or sends 0 every time, has every answer after the first
	 * taken for a replay.  Take them: the auth code, keyed by the
	 * password, still proves the BMC sent the answer, and the rq_seq,
	 * netfn and command must match the request outstanding.  What is
	 * given up is replay protection of answers: a captured answer to the
	 * same command with the same 6-bit rq_seq can be played back.  Not
	 * for RMCP+: there the window is part of the integrity the suite
	 * promises.
	 */
	if ((s->cfg.flags & IPMI_SESS_WA_SEQ_RESET) &&
	    s->cfg.iface == IPMI_IFACE_LAN) {
		if (s->in_init && seq - s->in_top - 1 >= SEQ_AHEAD)
			sess_debugf(s, "ignore-seq-reset: answer with sequence "
			    "%u after %u taken", seq, s->in_top);
		s->in_init = 1;
		s->in_top = seq;
		s->in_mask = 1;
		return 0;
	}
	if (!s->in_init) {
		s->in_init = 1;
		s->in_top = seq;
		s->in_mask = 1;
		return 0;
	}
	d = seq - s->in_top;
	if (d != 0 && d <= SEQ_AHEAD) {
		s->in_mask = d >= 32 ? 1 : s->in_mask << d | 1;
		s->in_top = seq;
		return 0;
	}
	d = s->in_top - seq;
	if (d < SEQ_BEHIND && !(s->in_mask & 1U << d)) {
		s->in_mask |= 1U << d;
		return 0;
	}
	return IPMI_E_SEQ;
}

static int
on_msg(struct ipmi_session *s, const struct ipmi_msg *m, uint64_t now);

static int
input(struct ipmi_session *s, const uint8_t *pkt, size_t len, uint64_t now);

int
ipmi_session_input(struct ipmi_session *s, const uint8_t *pkt, size_t len,
    uint64_t now)
{
	int rc = input(s, pkt, len, now);

	/* an answer that cannot be decoded is still an answer */
	if ((rc == IPMI_E_SHORT || rc == IPMI_E_MALFORMED) &&
	    s->bad_rx < UINT8_MAX)
		s->bad_rx++;
	return rc;
}

static int
input(struct ipmi_session *s, const uint8_t *pkt, size_t len, uint64_t now)
{
	uint8_t plain[IPMI_MAX_PACKET];
	struct rmcp_hdr rh;
	struct ipmi_msg m;
	struct buf b, mb;
	size_t plen;
	int rc;

	if (s->state == IPMI_SS_IDLE || s->state == IPMI_SS_CLOSED ||
	    s->state == IPMI_SS_FAILED || s->out_kind == OUT_NONE)
		return IPMI_E_UNEXPECTED;
	buf_init_read(&b, pkt, len);
	if ((rc = rmcp_decode(&b, &rh)) != 0)
		return rc;
	if (rh.cls != RMCP_CLASS_IPMI)
		return IPMI_E_UNEXPECTED;
	if (buf_left(&b) < 1)
		return IPMI_E_SHORT;

	if (buf_cur(&b)[0] == IPMI_AUTH_RMCPP) {
		struct rmcpp_hdr h;

		if (s->cfg.iface != IPMI_IFACE_LANPLUS)
			return IPMI_E_UNEXPECTED;
		rc = rmcpp_decode(&b, &h, in_session(s) ? &s->keys : NULL,
		    plain, sizeof(plain), &plen);
		if (rc != 0)
			return rc;
		if (in_session(s)) {
			if (h.session_id != s->info.console_sid)
				return IPMI_E_SESSION_ID;
			if (h.payload_type != RMCPP_PT_IPMI)
				return IPMI_E_UNEXPECTED;
			if ((rc = seq_accept(s, h.seq)) != 0) {
				s->seq_drops++;
				return rc;
			}
		} else if (h.payload_type != RMCPP_PT_IPMI) {
			if (h.session_id != 0 && h.session_id !=
			    s->info.console_sid)
				return IPMI_E_SESSION_ID;
			return sess_on_rmcpp_payload(s, h.payload_type, plain,
			    plen, now);
		} else if (h.session_id != 0)
			return IPMI_E_SESSION_ID;
		buf_init_read(&mb, plain, plen);
	} else {
		struct lan15_hdr h;
		uint8_t pw16[IPMI_V15_PASSWORD];

		if ((rc = lan15_decode(&b, &h)) != 0)
			return rc;
		if (s->cfg.iface == IPMI_IFACE_LANPLUS &&
		    s->state != IPMI_SS_AUTH_CAPS &&
		    s->state != IPMI_SS_CIPHER_SUITES)
			return IPMI_E_UNEXPECTED;
		if (in_session(s) || s->state == IPMI_SS_ACTIVATE) {
			/* BMCs differ on which ID answers an activate; the
			 * auth code, keyed by the password, decides */
			if (s->state != IPMI_SS_ACTIVATE &&
			    h.session_id != s->info.bmc_sid)
				return IPMI_E_SESSION_ID;
			if (h.auth_type != s->info.auth_type &&
			    !(h.auth_type == IPMI_AUTH_NONE &&
			    s->per_msg_auth_off && s->state != IPMI_SS_ACTIVATE)) {
				if (h.auth_type == IPMI_AUTH_NONE &&
				    s->bmc_permsg_off)
					s->noauth_drops++;
				return IPMI_E_AUTHCODE;
			}
			memset(pw16, 0, sizeof(pw16));
			memcpy(pw16, s->password, s->pwlen > 16 ? 16 :
			    s->pwlen);
			rc = lan15_check_auth(&h, pw16);
			crypto_wipe(pw16, sizeof(pw16));
			if (rc != 0)
				return rc;
			if (in_session(s)) {
				uint32_t top = s->in_top, mask = s->in_mask;
				int init = s->in_init;

				if ((rc = seq_accept(s, h.seq)) != 0) {
					s->seq_drops++;
					return rc;
				}
				/* 22.17: the Activate Session answer goes
				 * with sequence number 0; a late copy of it
				 * (duplicated, reordered) must not start the
				 * window at 0, or every real answer after it
				 * falls outside: only an answer to the
				 * request outstanding moves the window */
				if ((rc = answers_outstanding(s, h.msg,
				    h.len)) != 0) {
					s->in_top = top;
					s->in_mask = mask;
					s->in_init = init;
					return rc;
				}
			}
		} else if (h.session_id != 0)
			return IPMI_E_SESSION_ID;
		buf_init_read(&mb, h.msg, h.len);
	}
	if ((rc = ipmi_msg_decode(&mb, &m)) != 0)
		return rc;
	return on_msg(s, &m, now);
}

static int
complete(struct ipmi_session *s, const struct ipmi_msg *m, uint64_t now)
{
	s->rsp.netfn = s->out_netfn;
	s->rsp.cmd = s->out_cmd;
	s->rsp.cc = m->cc;
	s->rsp.len = m->len;
	memcpy(s->rsp.data, m->data, m->len);
	go_idle(s, now);
	return IPMI_EV_RESPONSE;
}

static int
on_msg(struct ipmi_session *s, const struct ipmi_msg *m, uint64_t now)
{
	struct buf b;
	int rc;

	if (s->out_kind != OUT_MSG || !(m->netfn & 1) ||
	    m->netfn != (s->out_netfn | 1) || m->cmd != s->out_cmd ||
	    m->rq_seq != s->rq_seq)
		return IPMI_E_UNEXPECTED;
	/* an RMCP+ payload may hold more than an IPMI message can */
	if (m->len > sizeof(s->rsp.data))
		return IPMI_E_MALFORMED;
	s->last_rx = now;
	buf_init_read(&b, m->data, m->len);

	switch (s->state) {
	case IPMI_SS_AUTH_CAPS: {
		struct ipmi_auth_caps_rsp c;

		if (m->cc != IPMI_CC_OK)
			return sess_fail(s, IPMI_E_CC, m->cc,
			    "get channel auth caps refused");
		if ((rc = ipmi_auth_caps_rsp_decode(&b, &c)) != 0)
			return rc;
		s->out_kind = OUT_NONE;
		return step_after_caps(s, &c, now);
	}
	case IPMI_SS_CIPHER_SUITES:
		return sess_on_cipher_suites(s, m, now);
	case IPMI_SS_CHALLENGE:
		return sess_on_challenge(s, m, now);
	case IPMI_SS_ACTIVATE:
		return sess_on_activate(s, m, now);
	case IPMI_SS_SET_PRIV: {
		uint8_t p;

		if (m->cc != IPMI_CC_OK) {
			/* the BMC holds a session for us: give it back */
			s->err = m->cc == 0x80 || m->cc == 0x81 ||
			    m->cc == IPMI_CC_PRIVILEGE ? IPMI_E_PRIVILEGE :
			    IPMI_E_CC;
			s->err_cc = m->cc;
			s->err_state = s->state;
			s->out_kind = OUT_NONE;
			sess_set_state(s, IPMI_SS_ACTIVE, "privilege refused");
			return ipmi_session_close(s, now) == 0 &&
			    s->state == IPMI_SS_CLOSING ? IPMI_EV_NONE :
			    IPMI_EV_FAILED;
		}
		if ((rc = ipmi_priv_decode(&b, &p)) != 0)
			return rc;
		s->info.priv = p;
		go_idle(s, now);
		sess_set_state(s, IPMI_SS_ACTIVE, "privilege set");
		return IPMI_EV_ACTIVE;
	}
	case IPMI_SS_CLOSING:
		s->out_kind = OUT_NONE;
		s->deadline = 0;
		if (s->err != 0) {
			sess_set_state(s, IPMI_SS_FAILED,
			    "closed after failure");
			return IPMI_EV_FAILED;
		}
		sess_set_state(s, IPMI_SS_CLOSED, "close acknowledged");
		return IPMI_EV_CLOSED;
	case IPMI_SS_ACTIVE:
		if (s->out_internal) {	/* keepalive answered */
			go_idle(s, now);
			return IPMI_EV_NONE;
		}
		return complete(s, m, now);
	default:
		return IPMI_E_UNEXPECTED;
	}
}

/* --- timers --------------------------------------------------------------- */

int
ipmi_session_timer(struct ipmi_session *s, uint64_t now)
{
	if (s->deadline == 0 || now < s->deadline)
		return IPMI_EV_NONE;
	if (s->out_kind == OUT_NONE) {
		/* idle active session: keepalive with a cheap command */
		if (s->state == IPMI_SS_ACTIVE && s->cfg.keepalive_ms > 0)
			return sess_send_msg(s, IPMI_NETFN_APP,
			    IPMI_CMD_GET_DEVICE_ID, NULL, 0, 1, now);
		s->deadline = 0;
		return IPMI_EV_NONE;
	}
	if (s->attempts < s->cfg.retries &&
	    !(s->state == IPMI_SS_CIPHER_SUITES && s->attempts >= 1)) {
		s->attempts++;
		sess_debugf(s, "%s: no answer, resending (%u/%u)",
		    ipmi_sess_state_name(s->state), s->attempts,
		    s->cfg.retries);
		return send_out(s, now);
	}
	switch (s->state) {
	case IPMI_SS_CIPHER_SUITES:
		/* OpenIPMI and older BMCs never answer this: use suite 3 */
		s->suite_len = 0;
		return sess_choose_suite(s, now);
	case IPMI_SS_CLOSING:
		s->out_kind = OUT_NONE;
		s->deadline = 0;
		if (s->err != 0) {
			sess_set_state(s, IPMI_SS_FAILED, "close timed out");
			return IPMI_EV_FAILED;
		}
		sess_set_state(s, IPMI_SS_CLOSED, "close timed out");
		return IPMI_EV_CLOSED;
	case IPMI_SS_ACTIVATE:
		/* a BMC drops an activate whose auth code is wrong */
		return sess_fail(s, IPMI_E_PASSWORD, 0,
		    "no answer to activate session (wrong password?)");
	case IPMI_SS_RAKP1:
	case IPMI_SS_RAKP3:
		if (s->odd_rakp == (s->state == IPMI_SS_RAKP1 ? 2 : 4))
			return sess_fail(s, IPMI_E_MALFORMED, 0,
			    "RAKP code of the wrong length");
		if (s->state == IPMI_SS_RAKP1)
			return sess_fail(s, IPMI_E_TIMEOUT, 0, "no answer");
		return sess_fail(s, IPMI_E_PASSWORD, 0,
		    "no answer to RAKP 3 (password or K_g rejected?)");
	default:
		/* the BMC did answer, but never in a form we could use: say
		 * so rather than "no answer" */
		if (s->bad_rx > 0)
			return sess_fail(s, IPMI_E_MALFORMED, 0,
			    "only malformed answers");
		return sess_fail(s, IPMI_E_TIMEOUT, 0, "no answer");
	}
}
