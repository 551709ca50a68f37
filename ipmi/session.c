/*
 * The client session state machine.  See session.h for the contract; the
 * wire formats live in lan15.c, rmcpp.c, rakp.c, msg.c and cmds.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "crypto.h"
#include "lan15.h"
#include "msg.h"
#include "rakp.h"
#include "rmcp.h"
#include "session.h"

enum { OUT_NONE, OUT_MSG, OUT_RMCPP };

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

static void debugf(struct ipmi_session *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
debugf(struct ipmi_session *s, const char *fmt, ...)
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

static void
set_state(struct ipmi_session *s, enum ipmi_sess_state to, const char *why)
{
	debugf(s, "state %s -> %s, %s", ipmi_sess_state_name(s->state),
	    ipmi_sess_state_name(to), why);
	s->state = to;
}

static int
rnd(struct ipmi_session *s, void *p, size_t n)
{
	if (s->cfg.random != NULL)
		return s->cfg.random(s->cfg.random_arg, p, n);
	return crypto_random(p, n);
}

/* A random nonzero value, or 0 when the random source failed: the caller
 * fails the session (a guessable session ID or sequence is no fallback) */
static uint32_t
rnd_nonzero32(struct ipmi_session *s)
{
	uint32_t v = 0;
	int tries;

	for (tries = 0; v == 0 && tries < 8; tries++)
		if (rnd(s, &v, sizeof(v)) == -1)
			return 0;
	return v;
}

static int
fail(struct ipmi_session *s, int err, uint8_t cc, const char *why)
{
	s->err = err;
	s->err_cc = cc;
	s->err_state = s->state;
	s->err_why = why;
	s->out_kind = OUT_NONE;
	s->deadline = 0;
	set_state(s, IPMI_SS_FAILED, why);
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
static int
wrap(struct ipmi_session *s)
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
			if (h.encrypted && rnd(s, iv, sizeof(iv)) == -1)
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

	if ((rc = wrap(s)) != 0)
		return fail(s, rc, 0, "cannot build packet");
	s->deadline = now + attempt_timeout(s);
	return IPMI_EV_NONE;
}

static int
send_msg(struct ipmi_session *s, uint8_t netfn, uint8_t cmd,
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

static int
send_payload(struct ipmi_session *s, uint8_t pt, const struct buf *p,
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
	set_state(s, IPMI_SS_AUTH_CAPS, "opening");
	return send_msg(s, IPMI_NETFN_APP, IPMI_CMD_GET_CHANNEL_AUTH_CAPS,
	    d, b.len, 1, now);
}

static int
step_cipher_suites(struct ipmi_session *s, uint64_t now)
{
	struct ipmi_cipher_suites_req req = { IPMI_CHANNEL_CURRENT,
	    RMCPP_PT_IPMI, s->suite_index };
	uint8_t d[4];
	struct buf b;

	buf_init_write(&b, d, sizeof(d));
	(void)ipmi_cipher_suites_req_encode(&req, &b);
	if (s->state != IPMI_SS_CIPHER_SUITES)
		set_state(s, IPMI_SS_CIPHER_SUITES, "choosing a cipher suite");
	return send_msg(s, IPMI_NETFN_APP,
	    IPMI_CMD_GET_CHANNEL_CIPHER_SUITES, d, b.len, 1, now);
}

static int
step_open_session(struct ipmi_session *s, uint64_t now, const char *why)
{
	struct rakp_open_req req;
	uint8_t d[32];
	struct buf b;

	s->info.cipher_suite = s->suite->id;
	if ((s->info.console_sid = rnd_nonzero32(s)) == 0)
		return fail(s, IPMI_E_CRYPTO, 0, "no random bytes");
	s->tag++;
	memset(&req, 0, sizeof(req));
	req.tag = s->tag;
	/* ask for the level we want, not "highest": some BMCs mishandle 0 */
	req.priv = s->cfg.priv;
	req.console_sid = s->info.console_sid;
	req.auth = s->suite->auth;
	req.integ = s->suite->integ;
	req.conf = s->suite->conf;
	buf_init_write(&b, d, sizeof(d));
	(void)rakp_open_req_encode(&req, &b);
	set_state(s, IPMI_SS_OPEN_SESSION, why);
	debugf(s, "cipher suite %d", s->suite->id);
	return send_payload(s, RMCPP_PT_OPEN_REQ, &b, now);
}

static int
choose_suite(struct ipmi_session *s, uint64_t now)
{
	struct ipmi_cipher_suite list[64];
	const struct ipmi_cipher_suite *best = NULL;
	int n, i, best_rank = -1;

	/*
	 * sun20: Sun ILOM lists its good records, then some whose tag bits
	 * (22.15) are wrong; read up to the first bad one.  The lenient
	 * parser would fold the bad bytes into the record before them and
	 * lose it too.  Given up: suites listed after a bad record.
	 */
	if (s->cfg.flags & IPMI_SESS_WA_SUN20)
		n = ipmi_cipher_suites_parse_prefix(s->suite_data, s->suite_len,
		    list, 64);
	else
		n = ipmi_cipher_suites_parse(s->suite_data, s->suite_len, list,
		    64);
	for (i = 0; i < n; i++) {
		const struct ipmi_cipher_suite *cs = ipmi_cipher_suite(list[i].id);
		int r;

		/* trust the algorithms only when they match the standard ID */
		if (cs == NULL || cs->auth != list[i].auth ||
		    cs->integ != list[i].integ || cs->conf != list[i].conf) {
			if (s->suites_odd < 255)
				s->suites_odd++;
			continue;
		}
		if (!ipmi_cipher_suite_secure(cs) &&
		    !(s->cfg.flags & IPMI_SESS_INSECURE))
			continue;
		if ((r = ipmi_cipher_suite_rank(cs)) > best_rank) {
			best = cs;
			best_rank = r;
		}
	}
	if (n > 0 && best == NULL)
		return fail(s, IPMI_E_INSECURE, 0,
		    "no secure cipher suite offered");
	s->info.suites_listed = n > 0;
	s->suite = best != NULL ? best : ipmi_cipher_suite(3);
	return step_open_session(s, now, n > 0 ? "cipher suite chosen" :
	    "cipher suite list empty, trying suite 3");
}

static int
step_after_caps(struct ipmi_session *s, const struct ipmi_auth_caps_rsp *c,
    uint64_t now)
{
	struct ipmi_challenge_req req;
	uint8_t d[20];
	struct buf b;
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
		debugf(s, "the BMC reports per-message authentication off: "
		    "answers without an auth code are still refused "
		    "(--insecure takes them)");
	if (s->ulen == 0 && !insecure)
		return fail(s, IPMI_E_INSECURE, 0, "null user name refused");
	/*
	 * 22.13 user name status: refuse early, with words an operator can
	 * act on, what the BMC says it would refuse later.  Firmware that
	 * misreports these bits (FreeIPMI's "authcap" hardware) gets past
	 * with -W authcap; the login itself still proves the name.
	 */
	if (authcap)
		debugf(s, "authcap: ignoring the reported capabilities "
		    "(auth types 0x%02x, non-null names %d, null names %d)",
		    c->auth_types, c->nonnull_users, c->null_users);
	else if (s->ulen > 0 && !c->nonnull_users)
		return fail(s, IPMI_E_USER, 0, "the BMC reports non-null "
		    "user names disabled (workaround authcap, if it "
		    "misreports)");
	else if (s->ulen == 0 && !c->null_users && !c->anonymous)
		return fail(s, IPMI_E_USER, 0, "the BMC reports null user "
		    "names disabled (workaround authcap, if it misreports)");

	if (s->cfg.iface == IPMI_IFACE_LANPLUS) {
		if (!c->v20)
			return fail(s, IPMI_E_UNSUPPORTED, 0,
			    "BMC does not support IPMI v2.0");
		if (s->cfg.cipher_suite == IPMI_SUITE_AUTO) {
			s->suite_index = 0;
			s->suite_len = 0;
			return step_cipher_suites(s, now);
		}
		return step_open_session(s, now, "v2.0 supported");
	}

	if (s->cfg.auth_type != IPMI_AUTHTYPE_AUTO) {
		if (!(c->auth_types & 1 << s->cfg.auth_type) && !authcap)
			return fail(s, IPMI_E_UNSUPPORTED, 0,
			    "auth type not offered by BMC");
		s->info.auth_type = s->cfg.auth_type;
	} else if (authcap) {
		/* the report is not believed: try the strongest, never
		 * fall to straight or none on a claim we ignore */
		s->info.auth_type = IPMI_AUTH_MD5;
	} else if (c->auth_types & 1 << IPMI_AUTH_MD5)
		s->info.auth_type = IPMI_AUTH_MD5;
	else if (insecure && (c->auth_types & 1 << IPMI_AUTH_STRAIGHT))
		s->info.auth_type = IPMI_AUTH_STRAIGHT;
	else if (c->auth_types & 1 << IPMI_AUTH_STRAIGHT)
		/* the password in clear on the wire, every packet */
		return fail(s, IPMI_E_INSECURE, 0, "BMC offers only the "
		    "straight password auth type (the password in clear)");
	else if (insecure && (c->auth_types & 1 << IPMI_AUTH_NONE))
		s->info.auth_type = IPMI_AUTH_NONE;
	else if (insecure && (c->auth_types & 1 << IPMI_AUTH_MD2))
		/* --insecure cannot help (no MD2 here): do not say it can */
		return fail(s, IPMI_E_UNSUPPORTED, 0,
		    "BMC offers only auth type MD2, not implemented");
	else if (c->auth_types & (1 << IPMI_AUTH_NONE | 1 << IPMI_AUTH_MD2))
		return fail(s, IPMI_E_INSECURE, 0,
		    "BMC offers only auth types none/MD2");
	else
		return fail(s, IPMI_E_UNSUPPORTED, 0, "the BMC reports no "
		    "MD5 or straight password auth type (workaround authcap, "
		    "if it misreports)");
	if ((s->info.auth_type == IPMI_AUTH_NONE || s->info.auth_type ==
	    IPMI_AUTH_MD2 || s->info.auth_type == IPMI_AUTH_STRAIGHT) &&
	    !insecure)
		return fail(s, IPMI_E_INSECURE, 0, "auth type none/MD2/straight "
		    "password refused");

	memset(&req, 0, sizeof(req));
	req.auth_type = s->info.auth_type;
	memcpy(req.user, s->user, s->ulen);
	buf_init_write(&b, d, sizeof(d));
	(void)ipmi_challenge_req_encode(&req, &b);
	set_state(s, IPMI_SS_CHALLENGE, "auth type chosen");
	return send_msg(s, IPMI_NETFN_APP, IPMI_CMD_GET_SESSION_CHALLENGE,
	    d, b.len, 1, now);
}

static int
step_set_priv(struct ipmi_session *s, uint64_t now)
{
	uint8_t d[1];
	struct buf b;

	s->in_init = 0;
	/* sessions start at User; ask only when we want more */
	if (s->cfg.priv <= IPMI_PRIV_USER) {
		s->info.priv = IPMI_PRIV_USER;
		set_state(s, IPMI_SS_ACTIVE, "session established");
		go_idle(s, now);
		return IPMI_EV_ACTIVE;
	}
	buf_init_write(&b, d, sizeof(d));
	(void)ipmi_priv_encode(s->cfg.priv, &b);
	set_state(s, IPMI_SS_SET_PRIV, "session authenticated");
	return send_msg(s, IPMI_NETFN_APP, IPMI_CMD_SET_SESSION_PRIV, d, b.len,
	    1, now);
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
		fail(s, IPMI_E_INSECURE, 0, "null user name refused");
		return IPMI_E_INSECURE;
	}
	if (s->cfg.iface == IPMI_IFACE_LANPLUS &&
	    s->cfg.cipher_suite != IPMI_SUITE_AUTO) {
		s->suite = ipmi_cipher_suite(s->cfg.cipher_suite);
		if (s->suite == NULL || !ipmi_cipher_suite_supported(s->suite)) {
			fail(s, IPMI_E_UNSUPPORTED, 0,
			    "cipher suite not implemented");
			return IPMI_E_UNSUPPORTED;
		}
		if (!ipmi_cipher_suite_secure(s->suite) && !insecure) {
			fail(s, IPMI_E_INSECURE, 0, "insecure cipher suite");
			return IPMI_E_INSECURE;
		}
	}
	if (s->cfg.iface == IPMI_IFACE_LAN &&
	    s->cfg.auth_type == IPMI_AUTH_MD2) {
		/* insecure, and --insecure cannot help: we have no MD2 */
		fail(s, IPMI_E_UNSUPPORTED, 0, "auth type MD2 not implemented");
		return IPMI_E_UNSUPPORTED;
	}
	if (s->cfg.iface == IPMI_IFACE_LAN &&
	    s->cfg.auth_type == IPMI_AUTH_NONE && !insecure) {
		fail(s, IPMI_E_INSECURE, 0, "auth type none refused");
		return IPMI_E_INSECURE;
	}
	/* the password in clear on every packet: as insecure as none */
	if (s->cfg.iface == IPMI_IFACE_LAN &&
	    s->cfg.auth_type == IPMI_AUTH_STRAIGHT && !insecure) {
		fail(s, IPMI_E_INSECURE, 0, "auth type straight password "
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
	send_msg(s, netfn, cmd, data, len, 0, now);
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
			set_state(s, IPMI_SS_CLOSED, "closed before active");
		}
		return 0;
	}
	buf_init_write(&b, d, sizeof(d));
	(void)ipmi_close_req_encode(s->info.bmc_sid, &b);
	set_state(s, IPMI_SS_CLOSING, "close requested");
	send_msg(s, IPMI_NETFN_APP, IPMI_CMD_CLOSE_SESSION, d, b.len, 1, now);
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
			debugf(s, "ignore-seq-reset: answer with sequence "
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
on_rmcpp_payload(struct ipmi_session *s, uint8_t pt, const uint8_t *p,
    size_t n, uint64_t now);
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
			return on_rmcpp_payload(s, h.payload_type, plain, plen,
			    now);
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
rakp_fail(struct ipmi_session *s, uint8_t status, const char *why)
{
	int err;

	switch (status) {
	case RAKP_NO_RESOURCES:
	case RAKP_NO_RESOURCES_ROLE:
		err = IPMI_E_NOSLOT;
		break;
	case RAKP_UNAUTHORIZED_NAME:
	case RAKP_INVALID_NAME_LEN:
		err = IPMI_E_USER;
		break;
	case RAKP_INVALID_ROLE:
	case RAKP_UNAUTHORIZED_ROLE:
		err = IPMI_E_PRIVILEGE;
		break;
	case RAKP_NO_CIPHER_MATCH:
	case RAKP_INVALID_AUTH_ALG:
	case RAKP_INVALID_INTEG_ALG:
	case RAKP_INVALID_CONF_ALG:
	case RAKP_NO_MATCHING_AUTH:
	case RAKP_NO_MATCHING_INTEG:
		err = IPMI_E_UNSUPPORTED;
		break;
	case RAKP_INVALID_ICV:
		err = IPMI_E_PASSWORD;
		break;
	default:
		err = IPMI_E_RAKP;
	}
	return fail(s, err, status, why);
}

static void
fill_params(struct ipmi_session *s, struct rakp_params *p)
{
	memset(p, 0, sizeof(*p));
	p->auth = s->suite->auth;
	p->console_sid = s->info.console_sid;
	p->bmc_sid = s->info.bmc_sid;
	memcpy(p->rm, s->rm, 16);
	memcpy(p->rc, s->rc, 16);
	memcpy(p->guid, s->guid, 16);
	p->role = s->role;
	p->ulen = s->rakp_ulen;		/* as RAKP 1 sent it (intel20) */
	memcpy(p->user, s->user, s->rakp_ulen);
	p->kuid = s->password;
	p->kuid_len = s->pwlen;
	if (s->kglen > 0) {
		p->kg = s->kg;
		p->kg_len = s->kglen;
	}
}

/*
 * Fail, but first tell the BMC with a RAKP 3 carrying the error status
 * (13.31): it frees the session slot at once instead of holding it until
 * its handshake timer runs out.  Sent once, never retransmitted.
 */
static int
fail_rakp3(struct ipmi_session *s, uint8_t status, int err, const char *why)
{
	struct rakp3 r3;
	struct buf w;

	memset(&r3, 0, sizeof(r3));
	r3.tag = ++s->tag;
	r3.status = status;
	r3.bmc_sid = s->info.bmc_sid;
	buf_init_write(&w, s->out_data, sizeof(s->out_data));
	if (rakp3_encode(&r3, &w) == 0) {
		s->out_kind = OUT_RMCPP;
		s->out_pt = RMCPP_PT_RAKP3;
		s->out_len = w.len;
		if (wrap(s) != 0)
			s->txlen = 0;
	}
	return fail(s, err, 0, why);
}

/*
 * IPMI v2.0 rev 1.1, 13.21: the RAKP 2 key exchange code is as long as the
 * authentication algorithm's HMAC.  Two firmware bugs make it one byte
 * longer (a payload length off by one):
 *   supermicro20: Supermicro H8QME with SIMSO (Peppercon firmware), for
 *     every algorithm;
 *   sun20: Sun Fire 4100/4200/4500 ILOM, HMAC-SHA1 (suites 1-3) only.
 * The code's first bytes are the HMAC and are checked in full; given up:
 * nothing but the spare byte, which no key covers.
 */
static int
long_rakp2_ok(const struct ipmi_session *s)
{
	if (s->cfg.flags & IPMI_SESS_WA_SUPERMICRO20)
		return 1;
	return (s->cfg.flags & IPMI_SESS_WA_SUN20) &&
	    s->suite->auth == IPMI_AUTH_ALG_HMAC_SHA1;
}

/* Drop a RAKP 2 or 4 whose code has the wrong length, but remember it: if
 * the handshake then times out, that is the likelier story. */
static int
odd_length(struct ipmi_session *s, int msg, size_t got, size_t want)
{
	s->odd_rakp = (uint8_t)msg;
	s->odd_len = (uint8_t)got;
	s->odd_want = (uint8_t)want;
	debugf(s, "RAKP %d: %s of %zu bytes, expected %zu: dropped", msg,
	    msg == 2 ? "key exchange code" : "integrity check value", got,
	    want);
	return IPMI_E_MALFORMED;
}

static int
on_rmcpp_payload(struct ipmi_session *s, uint8_t pt, const uint8_t *p,
    size_t n, uint64_t now)
{
	struct rakp_params prm;
	uint8_t code[32], d[64];
	struct buf b, w;
	size_t want;
	int rc;

	buf_init_read(&b, p, n);
	if (s->state == IPMI_SS_OPEN_SESSION && pt == RMCPP_PT_OPEN_RSP) {
		struct rakp_open_rsp r;
		struct rakp1 r1;

		if ((rc = rakp_open_rsp_decode(&b, &r)) != 0)
			return rc;
		if (r.tag != s->tag || r.console_sid != s->info.console_sid)
			return IPMI_E_UNEXPECTED;
		if (r.status != RAKP_OK)
			return rakp_fail(s, r.status, "open session refused");
		if (r.auth != s->suite->auth || r.integ != s->suite->integ ||
		    r.conf != s->suite->conf)
			return fail(s, IPMI_E_UNSUPPORTED, 0,
			    "BMC changed the cipher suite's algorithms");
		if (r.bmc_sid == 0)
			return IPMI_E_MALFORMED;
		s->info.bmc_sid = r.bmc_sid;
		if (rnd(s, s->rm, 16) == -1)
			return fail(s, IPMI_E_CRYPTO, 0, "no random bytes");
		s->role = s->cfg.priv;
		if (!(s->cfg.flags & IPMI_SESS_NO_NAME_ONLY))
			s->role |= RAKP_ROLE_NAME_ONLY;
		/*
		 * intel20: Intel's SE7520AF2 (Server Management Module) hashes
		 * the user name NUL-padded to 16 bytes with ULENGTH 16, though
		 * 13.20 (table 13-11) allows no NULs in it; send it that way
		 * so that both ends hash the same bytes (FreeIPMI does too).
		 * Given up: nothing in the key exchange; a BMC that follows
		 * the spec refuses the padded name ("unauthorized name").
		 */
		s->rakp_ulen = (s->cfg.flags & IPMI_SESS_WA_INTEL20) ?
		    IPMI_MAX_USER : s->ulen;
		memset(&r1, 0, sizeof(r1));
		r1.tag = ++s->tag;
		r1.bmc_sid = r.bmc_sid;
		memcpy(r1.rm, s->rm, 16);
		r1.role = s->role;
		r1.ulen = s->rakp_ulen;
		memcpy(r1.user, s->user, s->rakp_ulen);	/* NULs past ulen */
		buf_init_write(&w, d, sizeof(d));
		(void)rakp1_encode(&r1, &w);
		set_state(s, IPMI_SS_RAKP1, "open session accepted");
		return send_payload(s, RMCPP_PT_RAKP1, &w, now);
	}
	if (s->state == IPMI_SS_RAKP1 && pt == RMCPP_PT_RAKP2) {
		struct rakp2 r;
		struct rakp3 r3;

		if ((rc = rakp2_decode(&b, &r)) != 0)
			return rc;
		if (r.tag != s->tag)
			return IPMI_E_UNEXPECTED;
		if (r.status != RAKP_OK)
			return rakp_fail(s, r.status, "RAKP 2 refused");
		if (r.console_sid != s->info.console_sid)
			return IPMI_E_SESSION_ID;
		want = rakp_code_len(s->suite->auth);
		if (r.code_len != want && !(r.code_len == want + 1 &&
		    long_rakp2_ok(s)))
			return odd_length(s, 2, r.code_len, want);
		memcpy(s->rc, r.rc, 16);
		memcpy(s->guid, r.guid, 16);
		fill_params(s, &prm);
		if (rakp2_code(&prm, code) != 0)
			return fail(s, IPMI_E_CRYPTO, 0, "HMAC failed");
		/* the whole HMAC is checked; a spare last byte is not */
		if (crypto_memcmp(code, r.code, want) != 0)
			return fail_rakp3(s, RAKP_INVALID_ICV, IPMI_E_PASSWORD,
			    "RAKP 2 key exchange code mismatch");
		if (rakp_sik(&prm, s->sik) != 0 ||
		    rakp_keys(s->suite->auth, s->suite->integ, s->suite->conf,
		    s->sik, &s->keys) != 0)
			return fail(s, IPMI_E_CRYPTO, 0, "HMAC failed");
		/*
		 * intel20: that firmware checks the RAKP 3 code against the
		 * name unpadded and the role without its name-only lookup
		 * bit, where 13.31 wants both as RAKP 1 sent them (FreeIPMI's
		 * workaround, proven on the board, hashes the same).
		 */
		if (s->cfg.flags & IPMI_SESS_WA_INTEL20) {
			prm.ulen = s->ulen;
			prm.role &= (uint8_t)~RAKP_ROLE_NAME_ONLY;
		}
		if (rakp3_code(&prm, r3.code) != 0)
			return fail(s, IPMI_E_CRYPTO, 0, "HMAC failed");
		r3.tag = ++s->tag;
		r3.status = RAKP_OK;
		r3.bmc_sid = s->info.bmc_sid;
		r3.code_len = rakp_code_len(s->suite->auth);
		buf_init_write(&w, d, sizeof(d));
		(void)rakp3_encode(&r3, &w);
		set_state(s, IPMI_SS_RAKP3, "RAKP 2 verified");
		return send_payload(s, RMCPP_PT_RAKP3, &w, now);
	}
	if (s->state == IPMI_SS_RAKP3 && pt == RMCPP_PT_RAKP4) {
		struct rakp4 r;

		if ((rc = rakp4_decode(&b, &r)) != 0)
			return rc;
		if (r.tag != s->tag)
			return IPMI_E_UNEXPECTED;
		if (r.status != RAKP_OK)
			return rakp_fail(s, r.status, "RAKP 4 refused");
		if (r.console_sid != s->info.console_sid)
			return IPMI_E_SESSION_ID;
		want = rakp_icv_len(s->suite->auth);
		/*
		 * integrity-check-value: with cipher suite 0 (RAKP-none) the
		 * RAKP 4 ICV must be empty (13.23, 13.28), but Supermicro
		 * X8DTG/X8DTU and Intel S5500WBV/S2600JF send one anyway.
		 * With no SIK there is nothing to check it against, so it is
		 * ignored.  Given up: nothing suite 0 had; every other suite
		 * still needs an ICV of exactly its length, checked in full.
		 */
		if (r.icv_len != want && !(want == 0 &&
		    s->suite->auth == IPMI_AUTH_ALG_NONE &&
		    (s->cfg.flags & IPMI_SESS_WA_ICV)))
			return odd_length(s, 4, r.icv_len, want);
		fill_params(s, &prm);
		if (rakp4_icv(&prm, s->sik, code) != 0)
			return fail(s, IPMI_E_CRYPTO, 0, "HMAC failed");
		if (crypto_memcmp(code, r.icv, want) != 0)
			return fail(s, IPMI_E_BMC_KEY, 0,
			    "RAKP 4 integrity check failed");
		s->out_seq = 1;
		return step_set_priv(s, now);
	}
	return IPMI_E_UNEXPECTED;
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
			return fail(s, IPMI_E_CC, m->cc,
			    "get channel auth caps refused");
		if ((rc = ipmi_auth_caps_rsp_decode(&b, &c)) != 0)
			return rc;
		s->out_kind = OUT_NONE;
		return step_after_caps(s, &c, now);
	}
	case IPMI_SS_CIPHER_SUITES: {
		struct ipmi_cipher_suites_rsp r;

		if (m->cc != IPMI_CC_OK ||
		    ipmi_cipher_suites_rsp_decode(&b, &r) != 0) {
			s->suite_len = 0;
			return choose_suite(s, now);
		}
		if (s->suite_len + r.len <= sizeof(s->suite_data)) {
			memcpy(s->suite_data + s->suite_len, r.data, r.len);
			s->suite_len += r.len;
		}
		if (r.len == 16 && s->suite_index < 63 &&
		    s->suite_len + 16 <= sizeof(s->suite_data)) {
			s->suite_index++;
			return step_cipher_suites(s, now);
		}
		return choose_suite(s, now);
	}
	case IPMI_SS_CHALLENGE: {
		struct ipmi_challenge_rsp c;
		struct ipmi_activate_req a;
		uint8_t d[32];
		struct buf w;

		if (m->cc == IPMI_CC_INVALID_USER)
			return fail(s, IPMI_E_USER, m->cc, "invalid user name");
		if (m->cc == IPMI_CC_NULL_USER)
			return fail(s, IPMI_E_USER, m->cc, "null user disabled");
		if (m->cc != IPMI_CC_OK)
			return fail(s, IPMI_E_CC, m->cc, "challenge refused");
		if ((rc = ipmi_challenge_rsp_decode(&b, &c)) != 0)
			return rc;
		if (c.temp_sid == 0)
			return IPMI_E_MALFORMED;
		s->temp_sid = c.temp_sid;
		memcpy(s->challenge, c.challenge, 16);
		memset(&a, 0, sizeof(a));
		a.auth_type = s->info.auth_type;
		a.priv = s->cfg.priv;
		memcpy(a.challenge, c.challenge, 16);
		if ((a.outbound_seq = rnd_nonzero32(s)) == 0)
			return fail(s, IPMI_E_CRYPTO, 0, "no random bytes");
		buf_init_write(&w, d, sizeof(d));
		(void)ipmi_activate_req_encode(&a, &w);
		set_state(s, IPMI_SS_ACTIVATE, "challenge received");
		return send_msg(s, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_SESSION, d,
		    w.len, 1, now);
	}
	case IPMI_SS_ACTIVATE: {
		struct ipmi_activate_rsp a;

		switch (m->cc) {
		case IPMI_CC_OK:
			break;
		case IPMI_CC_NO_SESSION_SLOT:
		case IPMI_CC_NO_SLOT_USER:
			return fail(s, IPMI_E_NOSLOT, m->cc,
			    "no session slot");
		case 0x83:	/* no slot at the requested privilege */
		case IPMI_CC_PRIV_EXCEEDED:
			return fail(s, IPMI_E_PRIVILEGE, m->cc,
			    "privilege level refused");
		default:
			return fail(s, IPMI_E_CC, m->cc, "activate refused");
		}
		if ((rc = ipmi_activate_rsp_decode(&b, &a)) != 0)
			return rc;
		if (a.sid == 0)
			return IPMI_E_MALFORMED;
		if (a.auth_type != s->info.auth_type)
			return fail(s, IPMI_E_UNSUPPORTED, 0,
			    "BMC switched auth type");
		s->info.bmc_sid = a.sid;
		s->out_seq = a.inbound_seq != 0 ? a.inbound_seq : 1;
		return step_set_priv(s, now);
	}
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
			set_state(s, IPMI_SS_ACTIVE, "privilege refused");
			return ipmi_session_close(s, now) == 0 &&
			    s->state == IPMI_SS_CLOSING ? IPMI_EV_NONE :
			    IPMI_EV_FAILED;
		}
		if ((rc = ipmi_priv_decode(&b, &p)) != 0)
			return rc;
		s->info.priv = p;
		go_idle(s, now);
		set_state(s, IPMI_SS_ACTIVE, "privilege set");
		return IPMI_EV_ACTIVE;
	}
	case IPMI_SS_CLOSING:
		s->out_kind = OUT_NONE;
		s->deadline = 0;
		if (s->err != 0) {
			set_state(s, IPMI_SS_FAILED, "closed after failure");
			return IPMI_EV_FAILED;
		}
		set_state(s, IPMI_SS_CLOSED, "close acknowledged");
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
			return send_msg(s, IPMI_NETFN_APP,
			    IPMI_CMD_GET_DEVICE_ID, NULL, 0, 1, now);
		s->deadline = 0;
		return IPMI_EV_NONE;
	}
	if (s->attempts < s->cfg.retries &&
	    !(s->state == IPMI_SS_CIPHER_SUITES && s->attempts >= 1)) {
		s->attempts++;
		debugf(s, "%s: no answer, resending (%u/%u)",
		    ipmi_sess_state_name(s->state), s->attempts,
		    s->cfg.retries);
		return send_out(s, now);
	}
	switch (s->state) {
	case IPMI_SS_CIPHER_SUITES:
		/* OpenIPMI and older BMCs never answer this: use suite 3 */
		s->suite_len = 0;
		return choose_suite(s, now);
	case IPMI_SS_CLOSING:
		s->out_kind = OUT_NONE;
		s->deadline = 0;
		if (s->err != 0) {
			set_state(s, IPMI_SS_FAILED, "close timed out");
			return IPMI_EV_FAILED;
		}
		set_state(s, IPMI_SS_CLOSED, "close timed out");
		return IPMI_EV_CLOSED;
	case IPMI_SS_ACTIVATE:
		/* a BMC drops an activate whose auth code is wrong */
		return fail(s, IPMI_E_PASSWORD, 0,
		    "no answer to activate session (wrong password?)");
	case IPMI_SS_RAKP1:
	case IPMI_SS_RAKP3:
		if (s->odd_rakp == (s->state == IPMI_SS_RAKP1 ? 2 : 4))
			return fail(s, IPMI_E_MALFORMED, 0,
			    "RAKP code of the wrong length");
		if (s->state == IPMI_SS_RAKP1)
			return fail(s, IPMI_E_TIMEOUT, 0, "no answer");
		return fail(s, IPMI_E_PASSWORD, 0,
		    "no answer to RAKP 3 (password or K_g rejected?)");
	default:
		/* the BMC did answer, but never in a form we could use: say
		 * so rather than "no answer" */
		if (s->bad_rx > 0)
			return fail(s, IPMI_E_MALFORMED, 0,
			    "only malformed answers");
		return fail(s, IPMI_E_TIMEOUT, 0, "no answer");
	}
}

/* "no secure cipher suite offered (the BMC lists 1, 15, 16)" */
static void
suites_refused(const struct ipmi_session *s, char *buf, size_t len)
{
	struct ipmi_cipher_suite list[64];
	size_t off;
	int n, i;

	n = ipmi_cipher_suites_parse(s->suite_data, s->suite_len, list, 64);
	off = (size_t)snprintf(buf, len, "no secure cipher suite offered "
	    "(the BMC lists");
	for (i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%d",
		    i == 0 ? " " : ", ", list[i].id);
	if (off < len)
		snprintf(buf + off, len - off, ")");
}

const char *
ipmi_session_strerror(const struct ipmi_session *s, char *buf, size_t len)
{
	const char *what = ipmi_strerror(s->err);

	switch (s->err) {
	case IPMI_E_TIMEOUT:
		if (s->err_state == IPMI_SS_OPEN_SESSION && s->suite != NULL) {
			/* auth caps answered, so the BMC is there */
			snprintf(buf, len, "no answer to the RMCP+ open session "
			    "request for cipher suite %d (the BMC may not "
			    "support it)", s->suite->id);
			break;
		}
		snprintf(buf, len, "%s during %s", what,
		    ipmi_sess_state_name(s->err_state));
		if (s->noauth_drops > 0) {
			size_t n = strlen(buf);

			snprintf(buf + n, len - n, "; %u answers without an "
			    "auth code dropped (the BMC has per-message "
			    "authentication off; --insecure takes them)",
			    s->noauth_drops);
		}
		break;
	case IPMI_E_MALFORMED:
		if (s->odd_rakp == 2 && s->err_state == IPMI_SS_RAKP1) {
			snprintf(buf, len, "BMC's RAKP 2 key exchange code is "
			    "%u bytes, cipher suite %d's is %u (a firmware bug: "
			    "see workarounds supermicro20, sun20)", s->odd_len,
			    s->info.cipher_suite, s->odd_want);
			break;
		}
		if (s->odd_rakp == 4 && s->err_state == IPMI_SS_RAKP3) {
			snprintf(buf, len, "BMC's RAKP 4 integrity check value "
			    "is %u bytes, cipher suite %d's is %u%s", s->odd_len,
			    s->info.cipher_suite, s->odd_want, s->odd_want == 0 ?
			    " (a firmware bug: see workaround "
			    "integrity-check-value)" : "");
			break;
		}
		if (s->bad_rx > 0) {
			snprintf(buf, len, "%u answer%s during %s malformed or "
			    "shorter than their length fields claim, none "
			    "usable", s->bad_rx, s->bad_rx == 1 ? "" : "s",
			    ipmi_sess_state_name(s->err_state));
			break;
		}
		snprintf(buf, len, "%s", what);
		break;
	case IPMI_E_INSECURE:
		if (s->err_state == IPMI_SS_IDLE && s->suite != NULL)
			snprintf(buf, len, "cipher suite %d refused: it lacks "
			    "%s protection", s->suite->id,
			    s->suite->auth == IPMI_AUTH_ALG_NONE ?
			    "authentication, integrity and confidentiality" :
			    s->suite->integ == IPMI_INTEG_NONE ?
			    "integrity and confidentiality" :
			    "confidentiality");
		else if (s->err_state == IPMI_SS_IDLE && s->ulen == 0)
			snprintf(buf, len, "null user name refused");
		else if (s->err_state == IPMI_SS_IDLE &&
		    s->cfg.auth_type == IPMI_AUTH_STRAIGHT)
			snprintf(buf, len, "auth type straight password refused: "
			    "it sends the password in clear");
		else if (s->err_state == IPMI_SS_IDLE)
			snprintf(buf, len, "auth type none refused");
		else if (s->err_state == IPMI_SS_CIPHER_SUITES &&
		    s->suites_odd > 0)
			snprintf(buf, len, "%s; %u suite records unlike their "
			    "IDs' algorithms (see workaround sun20)", what,
			    s->suites_odd);
		else if (s->err_state == IPMI_SS_CIPHER_SUITES)
			suites_refused(s, buf, len);
		else if (s->err_state == IPMI_SS_AUTH_CAPS &&
		    s->cfg.iface == IPMI_IFACE_LAN &&
		    (s->info.auth_types & 1 << IPMI_AUTH_STRAIGHT))
			snprintf(buf, len, "BMC offers no IPMI v1.5 auth type "
			    "better than the straight password, which sends it "
			    "in clear");
		else if (s->err_state == IPMI_SS_AUTH_CAPS &&
		    s->cfg.iface == IPMI_IFACE_LAN)
			snprintf(buf, len, "BMC offers only IPMI v1.5 auth "
			    "types none/MD2");
		else
			snprintf(buf, len, "%s", what);
		break;
	case IPMI_E_PASSWORD:
		snprintf(buf, len, "%s (%s)", "wrong password: the BMC did "
		    "not accept it", s->err_state == IPMI_SS_RAKP1 ?
		    "RAKP 2 key exchange code mismatch" :
		    s->err_state == IPMI_SS_RAKP3 ? "RAKP 3 not accepted" :
		    "activate session not answered");
		break;
	case IPMI_E_CC:
		snprintf(buf, len, "%s: %s (0x%02x) during %s", what,
		    ipmi_ccstr(s->err_cc), s->err_cc,
		    ipmi_sess_state_name(s->err_state));
		break;
	case IPMI_E_RAKP:
	case IPMI_E_USER:
	case IPMI_E_PRIVILEGE:
	case IPMI_E_NOSLOT:
	case IPMI_E_UNSUPPORTED:
		if (s->err == IPMI_E_UNSUPPORTED &&
		    s->err_state == IPMI_SS_IDLE &&
		    s->cfg.iface == IPMI_IFACE_LAN &&
		    s->cfg.auth_type == IPMI_AUTH_MD2) {
			snprintf(buf, len, "auth type MD2 is not implemented "
			    "by bmcfleet");
			break;
		}
		if (s->err == IPMI_E_UNSUPPORTED && s->err_cc == 0 &&
		    s->err_state == IPMI_SS_AUTH_CAPS &&
		    s->cfg.iface == IPMI_IFACE_LAN &&
		    s->cfg.auth_type == IPMI_AUTHTYPE_AUTO &&
		    (s->info.auth_types & (1 << IPMI_AUTH_MD2 |
		    1 << IPMI_AUTH_MD5 | 1 << IPMI_AUTH_STRAIGHT |
		    1 << IPMI_AUTH_NONE)) == 1 << IPMI_AUTH_MD2) {
			snprintf(buf, len, "BMC offers only IPMI v1.5 auth "
			    "type MD2, which bmcfleet does not implement");
			break;
		}
		/* refused on the strength of the capabilities answer */
		if (s->err_state == IPMI_SS_AUTH_CAPS && s->err_cc == 0 &&
		    s->err_why != NULL) {
			snprintf(buf, len, "%s: %s", what, s->err_why);
			break;
		}
		if (s->err_cc != 0 && (s->err_state == IPMI_SS_OPEN_SESSION ||
		    s->err_state == IPMI_SS_RAKP1 ||
		    s->err_state == IPMI_SS_RAKP3)) {
			snprintf(buf, len, "%s: %s%s", what,
			    rakp_status_str(s->err_cc),
			    /* firmware without name-only lookup says this */
			    s->err_state == IPMI_SS_RAKP1 &&
			    s->err_cc == RAKP_INVALID_ROLE &&
			    !(s->cfg.flags & IPMI_SESS_NO_NAME_ONLY) ?
			    " (a BMC without name-only lookup? workaround "
			    "no-name-lookup)" : "");
			break;
		}
		if (s->err_cc != 0) {
			snprintf(buf, len, "%s (completion code 0x%02x)", what,
			    s->err_cc);
			break;
		}
		snprintf(buf, len, "%s", what);
		break;
	default:
		snprintf(buf, len, "%s", what);
	}
	return buf;
}
