/*
 * rail: direct mode's rail for verbs that change a BMC's state (power
 * on|off|cycle|reset|soft|diag, sel clear), the same as fleet mode's
 * plans: above a limit a terminal asks and a script needs --yes; and the
 * trail afterwards: one audit_log row per host when a database is
 * configured, one syslog line per host always.
 *
 * The limit is the config's scheduler.confirm_limit when the config
 * ($BMCFLEET_CONFIG, else /etc/bmcfleet/bmcfleet.yaml) is readable, else
 * RAIL_CONFIRM_LIMIT, the config's own default.  The database is --db,
 * else the config's database: (which $BMCFLEET_DB overrides), else
 * $BMCFLEET_DB.
 */
#ifndef BMCFLEET_CLI_RAIL_H
#define BMCFLEET_CLI_RAIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RAIL_CONFIRM_LIMIT	50	/* as scheduler.confirm_limit */
#define RAIL_SHOW_HOSTS		3	/* hosts the question names */
#define RAIL_DB_TIMEOUT		"3"	/* seconds to reach the database */

struct rail {
	char		 who[64];	/* the OS user */
	char		 origin[160];	/* host:pid and the tty, if any */
	uint32_t	 limit;		/* ask above this many hosts */
	char		*db;		/* conninfo (owned), NULL: none */
};

/*
 * Fill r: who and where, the limit and the database.  A config that is
 * there but cannot be loaded is warned about on errf, once; a missing one
 * is not.  Returns 0, or -1 when out of memory.
 */
int	rail_setup(struct rail *r, const char *db_opt, FILE *errf);
/* Free and wipe the conninfo; r may be reused. */
void	rail_release(struct rail *r);

/* The OS user, and "HOST:PID[ TTY]" as fleet mode's audit rows. */
void	rail_who(char *who, size_t wholen, char *origin, size_t originlen);

enum rail_answer {
	RAIL_GO,		/* at most limit hosts, --yes, or "y" */
	RAIL_DECLINED,		/* asked and not confirmed: exit 1 */
	RAIL_REFUSED,		/* not a terminal, no --yes: exit 2 */
};

/*
 * The rail for action ("power off") on n hosts, first naming the first
 * few (at most RAIL_SHOW_HOSTS).  interactive: in is a terminal, ask on
 * out; otherwise refuse on out.  Says "not confirmed: nothing done" when
 * declined.
 */
enum rail_answer rail_confirm(const char *action, const char *const *first,
	    size_t n, uint32_t limit, int yes, int interactive, FILE *in,
	    FILE *out);

/* One host's outcome; detail NULL when ok. */
struct rail_result {
	const char	*host;
	int		 ok;
	const char	*detail;
};

/*
 * "power off node07 by alice: ok" or "...: failed: timeout: ..." into buf.
 */
void	rail_log_line(char *buf, size_t len, const char *action,
	    const struct rail_result *res, const char *who);

/*
 * The trail of action (audit operation op: "off", "sel-clear") on n
 * hosts: a syslog line each (LOG_AUTH, LOG_NOTICE), and an audit_log row
 * each when r->db is set.  A database that cannot be reached or written
 * is said once on errf ("audit not written") and the rest goes on.
 * Returns the rows written, or -1 when none could be.
 */
long	rail_record(const struct rail *r, const char *action, const char *op,
	    const struct rail_result *res, size_t n, FILE *errf);

#endif
