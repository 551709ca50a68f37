/*
 * ctl: bmcsim's control channel, the words (pure: no sockets).  A test
 * sends one line per datagram to the unix socket of --control PATH
 * (bmcsim --ctl PATH 'LINE' does it from a shell) and gets one line back:
 *
 *   sel-add ADDR[,ADDR...]|all [critical|warning|info] [deassert]
 *       add an event to the SEL of those BMCs now (store.h,
 *       sim_store_sel_add_now; default critical); bmcsim prints one line
 *       per entry added, "bmcsim: sel-add ADDR record=N at=UNIX_MS", and
 *       the PEF alerts on it (pefsim.h).  Answer: "ok N" (N entries
 *       added) or "error: ...".
 *   sel-rate N
 *       scheduled SEL events every 60000 / N ms on every BMC (0: back to
 *       the default, every 2..10 minutes by seed).  Answer: "ok".
 */
#ifndef BMCFLEET_SIM_CTL_H
#define BMCFLEET_SIM_CTL_H

#include <stddef.h>
#include <stdint.h>

#define SIM_CTL_MAX_ADDRS	64
#define SIM_CTL_LINE_MAX	2048

enum sim_ctl_verb { SIM_CTL_SEL_ADD = 1, SIM_CTL_SEL_RATE };

struct sim_ctl_cmd {
	enum sim_ctl_verb	 verb;
	int			 all;		/* sel-add all */
	uint32_t		 addrs[SIM_CTL_MAX_ADDRS]; /* host order */
	unsigned		 naddrs;
	int			 severity;	/* SIM_SEV_* (store.h) */
	int			 deassert;
	uint32_t		 rate;		/* sel-rate, per minute */
};

/*
 * Parse one line (a trailing newline is fine).  Returns 0, or -1 with
 * err filled ("sel-add: '10.0.0.x' is not an IPv4 address").
 */
int	sim_ctl_parse(const char *line, struct sim_ctl_cmd *, char *err,
	    size_t errlen);

#endif
