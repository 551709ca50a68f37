/*
 * The v1.5 handshake (IPMI v1.5, 6.12; v2.0 rev 1.1, 22.16-22.17): the
 * auth type chosen from what Get Channel Authentication Capabilities
 * offered, Get Session Challenge, Activate Session.  The auth codes
 * themselves are lan15.c's; the packets go through session.c.
 */
#include <string.h>

#include "cmds.h"
#include "msg.h"
#include "session.h"
#include "session_int.h"

/*
 * Choose the auth type (MD5 first; straight password and none only when
 * insecure, MD2 never) and ask for a challenge.
 */
int
sess_v15_start(struct ipmi_session *s, const struct ipmi_auth_caps_rsp *c,
    uint64_t now)
{
	struct ipmi_challenge_req req;
	uint8_t d[20];
	struct buf b;
	int insecure = (s->cfg.flags & IPMI_SESS_INSECURE) != 0;
	int authcap = (s->cfg.flags & IPMI_SESS_WA_AUTHCAP) != 0;

	if (s->cfg.auth_type != IPMI_AUTHTYPE_AUTO) {
		if (!(c->auth_types & 1 << s->cfg.auth_type) && !authcap)
			return sess_fail(s, IPMI_E_UNSUPPORTED, 0,
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
		return sess_fail(s, IPMI_E_INSECURE, 0, "BMC offers only the "
		    "straight password auth type (the password in clear)");
	else if (insecure && (c->auth_types & 1 << IPMI_AUTH_NONE))
		s->info.auth_type = IPMI_AUTH_NONE;
	else if (insecure && (c->auth_types & 1 << IPMI_AUTH_MD2))
		/* --insecure cannot help (no MD2 here): do not say it can */
		return sess_fail(s, IPMI_E_UNSUPPORTED, 0,
		    "BMC offers only auth type MD2, not implemented");
	else if (c->auth_types & (1 << IPMI_AUTH_NONE | 1 << IPMI_AUTH_MD2))
		return sess_fail(s, IPMI_E_INSECURE, 0,
		    "BMC offers only auth types none/MD2");
	else
		return sess_fail(s, IPMI_E_UNSUPPORTED, 0, "the BMC reports no "
		    "MD5 or straight password auth type (workaround authcap, "
		    "if it misreports)");
	if ((s->info.auth_type == IPMI_AUTH_NONE || s->info.auth_type ==
	    IPMI_AUTH_MD2 || s->info.auth_type == IPMI_AUTH_STRAIGHT) &&
	    !insecure)
		return sess_fail(s, IPMI_E_INSECURE, 0, "auth type "
		    "none/MD2/straight password refused");

	memset(&req, 0, sizeof(req));
	req.auth_type = s->info.auth_type;
	memcpy(req.user, s->user, s->ulen);
	buf_init_write(&b, d, sizeof(d));
	(void)ipmi_challenge_req_encode(&req, &b);
	sess_set_state(s, IPMI_SS_CHALLENGE, "auth type chosen");
	return sess_send_msg(s, IPMI_NETFN_APP, IPMI_CMD_GET_SESSION_CHALLENGE,
	    d, b.len, 1, now);
}

/* The challenge: Activate Session with it, signed with the auth type. */
int
sess_on_challenge(struct ipmi_session *s, const struct ipmi_msg *m,
    uint64_t now)
{
	struct ipmi_challenge_rsp c;
	struct ipmi_activate_req a;
	uint8_t d[32];
	struct buf w;
	struct buf b;
	int rc;

	buf_init_read(&b, m->data, m->len);

	if (m->cc == IPMI_CC_INVALID_USER)
		return sess_fail(s, IPMI_E_USER, m->cc, "invalid user name");
	if (m->cc == IPMI_CC_NULL_USER)
		return sess_fail(s, IPMI_E_USER, m->cc, "null user disabled");
	if (m->cc != IPMI_CC_OK)
		return sess_fail(s, IPMI_E_CC, m->cc, "challenge refused");
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
	if ((a.outbound_seq = sess_rnd_nonzero32(s)) == 0)
		return sess_fail(s, IPMI_E_CRYPTO, 0, "no random bytes");
	buf_init_write(&w, d, sizeof(d));
	(void)ipmi_activate_req_encode(&a, &w);
	sess_set_state(s, IPMI_SS_ACTIVATE, "challenge received");
	return sess_send_msg(s, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_SESSION, d,
	    w.len, 1, now);
}

/* Activate Session answered: the session exists on the BMC. */
int
sess_on_activate(struct ipmi_session *s, const struct ipmi_msg *m,
    uint64_t now)
{
	struct ipmi_activate_rsp a;
	struct buf b;
	int rc;

	buf_init_read(&b, m->data, m->len);

	switch (m->cc) {
	case IPMI_CC_OK:
		break;
	case IPMI_CC_NO_SESSION_SLOT:
	case IPMI_CC_NO_SLOT_USER:
		return sess_fail(s, IPMI_E_NOSLOT, m->cc,
		    "no session slot");
	case 0x83:	/* no slot at the requested privilege */
	case IPMI_CC_PRIV_EXCEEDED:
		return sess_fail(s, IPMI_E_PRIVILEGE, m->cc,
		    "privilege level refused");
	default:
		return sess_fail(s, IPMI_E_CC, m->cc, "activate refused");
	}
	if ((rc = ipmi_activate_rsp_decode(&b, &a)) != 0)
		return rc;
	if (a.sid == 0)
		return IPMI_E_MALFORMED;
	if (a.auth_type != s->info.auth_type)
		return sess_fail(s, IPMI_E_UNSUPPORTED, 0,
		    "BMC switched auth type");
	s->info.bmc_sid = a.sid;
	s->out_seq = a.inbound_seq != 0 ? a.inbound_seq : 1;
	return sess_step_set_priv(s, now);
}
