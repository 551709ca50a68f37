/*
 * The RMCP+ handshake (IPMI v2.0 rev 1.1, 13.15-13.31): the cipher suite
 * chosen from Get Channel Cipher Suites, Open Session, RAKP 1-4, the
 * session keys, and the firmware workarounds for each step.  The
 * messages are rakp.c's codecs; the packets go through session.c.
 */
#include <string.h>

#include "cmds.h"
#include "crypto.h"
#include "msg.h"
#include "rakp.h"
#include "rmcpp.h"
#include "session.h"
#include "session_int.h"

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
		sess_set_state(s, IPMI_SS_CIPHER_SUITES,
		    "choosing a cipher suite");
	return sess_send_msg(s, IPMI_NETFN_APP,
	    IPMI_CMD_GET_CHANNEL_CIPHER_SUITES, d, b.len, 1, now);
}

static int
step_open_session(struct ipmi_session *s, uint64_t now, const char *why)
{
	struct rakp_open_req req;
	uint8_t d[32];
	struct buf b;

	s->info.cipher_suite = s->suite->id;
	if ((s->info.console_sid = sess_rnd_nonzero32(s)) == 0)
		return sess_fail(s, IPMI_E_CRYPTO, 0, "no random bytes");
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
	sess_set_state(s, IPMI_SS_OPEN_SESSION, why);
	sess_debugf(s, "cipher suite %d", s->suite->id);
	return sess_send_payload(s, RMCPP_PT_OPEN_REQ, &b, now);
}

int
sess_choose_suite(struct ipmi_session *s, uint64_t now)
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
		return sess_fail(s, IPMI_E_INSECURE, 0,
		    "no secure cipher suite offered");
	s->info.suites_listed = n > 0;
	s->suite = best != NULL ? best : ipmi_cipher_suite(3);
	return step_open_session(s, now, n > 0 ? "cipher suite chosen" :
	    "cipher suite list empty, trying suite 3");
}

/* v2.0 supported: list the cipher suites, or open the configured one */
int
sess_v20_start(struct ipmi_session *s, const struct ipmi_auth_caps_rsp *c,
    uint64_t now)
{
	if (!c->v20)
		return sess_fail(s, IPMI_E_UNSUPPORTED, 0,
		    "BMC does not support IPMI v2.0");
	if (s->cfg.cipher_suite == IPMI_SUITE_AUTO) {
		s->suite_index = 0;
		s->suite_len = 0;
		return step_cipher_suites(s, now);
	}
	return step_open_session(s, now, "v2.0 supported");
}

/* One more piece of the list: ask for the next, or choose. */
int
sess_on_cipher_suites(struct ipmi_session *s, const struct ipmi_msg *m,
    uint64_t now)
{
	struct ipmi_cipher_suites_rsp r;
	struct buf b;

	buf_init_read(&b, m->data, m->len);

	if (m->cc != IPMI_CC_OK ||
	    ipmi_cipher_suites_rsp_decode(&b, &r) != 0) {
		s->suite_len = 0;
		return sess_choose_suite(s, now);
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
	return sess_choose_suite(s, now);
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
	return sess_fail(s, err, status, why);
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
		if (sess_wrap(s) != 0)
			s->txlen = 0;
	}
	return sess_fail(s, err, 0, why);
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
	sess_debugf(s, "RAKP %d: %s of %zu bytes, expected %zu: dropped", msg,
	    msg == 2 ? "key exchange code" : "integrity check value", got,
	    want);
	return IPMI_E_MALFORMED;
}

int
sess_on_rmcpp_payload(struct ipmi_session *s, uint8_t pt, const uint8_t *p,
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
			return sess_fail(s, IPMI_E_UNSUPPORTED, 0,
			    "BMC changed the cipher suite's algorithms");
		if (r.bmc_sid == 0)
			return IPMI_E_MALFORMED;
		s->info.bmc_sid = r.bmc_sid;
		if (sess_rnd(s, s->rm, 16) == -1)
			return sess_fail(s, IPMI_E_CRYPTO, 0,
			    "no random bytes");
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
		sess_set_state(s, IPMI_SS_RAKP1, "open session accepted");
		return sess_send_payload(s, RMCPP_PT_RAKP1, &w, now);
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
			return sess_fail(s, IPMI_E_CRYPTO, 0, "HMAC failed");
		/* the whole HMAC is checked; a spare last byte is not */
		if (crypto_memcmp(code, r.code, want) != 0)
			return fail_rakp3(s, RAKP_INVALID_ICV, IPMI_E_PASSWORD,
			    "RAKP 2 key exchange code mismatch");
		/* a retried handshake may have armed keys already */
		rmcpp_keys_wipe(&s->keys);
		if (rakp_sik(&prm, s->sik) != 0 ||
		    rakp_keys(s->suite->auth, s->suite->integ, s->suite->conf,
		    s->sik, &s->keys) != 0 || rmcpp_keys_arm(&s->keys) != 0)
			return sess_fail(s, IPMI_E_CRYPTO, 0, "HMAC failed");
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
			return sess_fail(s, IPMI_E_CRYPTO, 0, "HMAC failed");
		r3.tag = ++s->tag;
		r3.status = RAKP_OK;
		r3.bmc_sid = s->info.bmc_sid;
		r3.code_len = rakp_code_len(s->suite->auth);
		buf_init_write(&w, d, sizeof(d));
		(void)rakp3_encode(&r3, &w);
		sess_set_state(s, IPMI_SS_RAKP3, "RAKP 2 verified");
		return sess_send_payload(s, RMCPP_PT_RAKP3, &w, now);
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
			return sess_fail(s, IPMI_E_CRYPTO, 0, "HMAC failed");
		if (crypto_memcmp(code, r.icv, want) != 0)
			return sess_fail(s, IPMI_E_BMC_KEY, 0,
			    "RAKP 4 integrity check failed");
		s->out_seq = 1;
		return sess_step_set_priv(s, now);
	}
	return IPMI_E_UNEXPECTED;
}
