/*
 * sesscfg: a configured BMC's session settings; see sesscfg.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/sesscfg.h"
#include "cli/workaround.h"
#include "ipmi/crypto.h"

int
sesscfg_init(struct sesscfg_creds *cr, const struct config *c)
{
	size_t n = c->ncreds ? c->ncreds : 1;

	memset(cr, 0, sizeof(*cr));
	if ((cr->pw = calloc(n, sizeof(*cr->pw))) == NULL ||
	    (cr->len = calloc(n, sizeof(*cr->len))) == NULL) {
		free(cr->pw);
		cr->pw = NULL;
		return -1;
	}
	cr->n = c->ncreds;
	for (size_t i = 0; i < cr->n; i++)
		cr->len[i] = -2;
	return 0;
}

void
sesscfg_release(struct sesscfg_creds *cr)
{
	if (cr->pw != NULL)
		crypto_wipe(cr->pw, cr->n * sizeof(*cr->pw));
	free(cr->pw);
	free(cr->len);
	memset(cr, 0, sizeof(*cr));
}

int
sesscfg_fill(const struct config *c, const struct config_bmc *b,
    struct sesscfg_creds *cr, struct ipmi_session_cfg *s, char *err,
    size_t errlen)
{
	uint16_t ci = b->s.credential;

	if (ci >= c->ncreds || ci >= cr->n) {
		snprintf(err, errlen, "%s: no credential", b->name);
		return -1;
	}
	if (cr->len[ci] == -2 && (cr->len[ci] = config_password(c,
	    c->creds[ci].name, cr->pw[ci], SESSCFG_PW_MAX, err,
	    errlen)) < 0) {
		cr->len[ci] = -1;	/* err says why, this once */
		return -1;
	}
	if (cr->len[ci] < 0) {
		snprintf(err, errlen, "%s: the password of credential %s "
		    "could not be read", b->name, c->creds[ci].name);
		return -1;
	}
	memset(s, 0, sizeof(*s));
	s->iface = b->s.iface;
	s->cipher_suite = b->s.cipher_suite;
	s->auth_type = IPMI_AUTHTYPE_AUTO;
	s->priv = b->s.priv;
	s->flags = (b->s.insecure ? IPMI_SESS_INSECURE : 0) |
	    workaround_session_flags(b->s.workarounds);
	s->user = c->creds[ci].user;
	s->password = (const uint8_t *)cr->pw[ci];
	s->password_len = (size_t)cr->len[ci];
	s->timeout_ms = b->s.timeout_ms;
	s->retries = b->s.retries;
	return 0;
}
