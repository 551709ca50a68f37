/*
 * The session's failure in operator's words (ipmi_session_strerror):
 * what failed, at which step, and the likelier story (a firmware bug and
 * its workaround, the auth types or suites the BMC offers).  Reads the
 * session, never changes it.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "rakp.h"
#include "session.h"

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
