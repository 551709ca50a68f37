/*
 * sesscfg: a configured BMC's IPMI session settings (interface, cipher
 * suite, privilege, workarounds, timeouts, user and password), the one
 * way fleet commands build them (collect and bmcfleetd, power and plans).
 * Each credential's password is read once, kept in memory the caller
 * owns, and wiped by sesscfg_release.
 */
#ifndef BMCFLEET_CLI_SESSCFG_H
#define BMCFLEET_CLI_SESSCFG_H

#include <stddef.h>

#include "cli/config.h"
#include "ipmi/session.h"

#define SESSCFG_PW_MAX	64

struct sesscfg_creds {
	char		(*pw)[SESSCFG_PW_MAX];	/* per credential */
	int		*len;		/* -2: not read yet, -1: unreadable */
	size_t		 n;
};

/* For c's credentials, none read yet: 0, or -1 (ENOMEM). */
int	sesscfg_init(struct sesscfg_creds *, const struct config *c);
void	sesscfg_release(struct sesscfg_creds *);

/*
 * Fill *s for b (reading its credential's password on first use; s points
 * into creds for it, which must outlive s).  0, or -1 with err: no
 * credential, or the password could not be read.
 */
int	sesscfg_fill(const struct config *c, const struct config_bmc *b,
	    struct sesscfg_creds *creds, struct ipmi_session_cfg *s,
	    char *err, size_t errlen);

#endif
