/*
 * sweepwhy: why a collector's sweep touched no host, in words for
 * bmcfleetd's log ("not due: next in 4m10s").  Pure: the caller counts
 * (the config, its back-off state, the leases in the database) and this
 * says it, so the wording is tested without a database or a clock.
 */
#ifndef BMCFLEET_CLI_SWEEPWHY_H
#define BMCFLEET_CLI_SWEEPWHY_H

#include <stddef.h>
#include <stdint.h>

/* What a sweep that claimed nothing saw; zeroed: nothing known. */
struct sweep_idle {
	size_t		 hosts;		/* targets in the config */
	size_t		 resting;	/* backed off after failing */
	uint64_t	 retry_ms;	/* the first of them again in */
	int		 known;		/* the database's counts below */
	long		 not_due;	/* swept (by anyone) this interval */
	uint64_t	 next_ms;	/* the first of them due again in */
	long		 leased;	/* leased by another collector */
	char		 holder[96];	/* one of those holders, "" none */
	long		 missing;	/* not in the database (yet) */
	int		 stopping;	/* SIGTERM: claimed nothing more */
	int		 spool_failed;	/* the spool refused rows */
	int		 db_away;	/* no database, no lease decided */
};

/*
 * Why nothing was swept, into out[cap]: "no hosts in the config", "not
 * due: next in 4m10s (20 hosts)", "leased by another collector (host:42)
 * (3 hosts)", several parts joined by "; ".  Returns the length it
 * needed (as snprintf).
 */
size_t	sweep_idle_reason(const struct sweep_idle *, char *out, size_t cap);

#endif
