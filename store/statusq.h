/*
 * statusq: the SQL of `bmcfleet status`, the fleet at a glance from what
 * the collectors and the plans stored (no BMC is asked).
 *
 *	STATUSQ_HOSTS	one row per BMC not retired, in the server's
 *			order (the caller sorts naturally): its power as
 *			last seen, its last sweep's result, the health of
 *			its sensors' latest readings of the last day, and
 *			how old its newest reading is
 *	STATUSQ_PLANS	the plans running, paused or scheduled, with
 *			their hosts counted by state
 *	STATUSQ_EVENTS	one row: the last day's events (critical, not
 *			acknowledged), PET traps and PET-only events, and
 *			alert notifications by result, with the queue now
 *	STATUSQ_RETIRED	one row, one column: how many BMCs are retired
 *
 * No parameters: the queries' text is all there is.  Times come out as
 * ISO 8601 UTC and ages as milliseconds, both from the server's clock.
 */
#ifndef BMCFLEET_STORE_STATUSQ_H
#define BMCFLEET_STORE_STATUSQ_H

#include <stddef.h>

#include "store/reportq.h"

struct pg_conn;

enum statusq_kind {
	STATUSQ_HOSTS,
	STATUSQ_PLANS,
	STATUSQ_EVENTS,
	STATUSQ_RETIRED,
};

/* The query's text. */
const char *statusq_sql(enum statusq_kind);
/*
 * Run it on pg (blocking) into *rows, for reportq_rows_release.  Returns
 * as reportq_run: 0, REPORTQ_ERROR (err says), REPORTQ_NO_SCHEMA, or
 * REPORTQ_NOMEM.
 */
int	statusq_run(struct pg_conn *pg, enum statusq_kind,
	    struct reportq_rows *rows, char *err, size_t errlen);

/* STATUSQ_HOSTS' columns; NULL where nothing is known. */
enum {
	SQ_H_NAME,
	SQ_H_POWER,		/* on, off, unknown */
	SQ_H_OK,		/* t, f: the last sweep's result */
	SQ_H_REASON,		/* its reason when it failed */
	SQ_H_ERROR,		/* and the words of it */
	SQ_H_WHEN,		/* when it ended, ISO 8601 */
	SQ_H_AGE_MS,		/* how long ago */
	SQ_H_NOMINAL,		/* sensors by their latest state */
	SQ_H_WARNING,
	SQ_H_CRITICAL,
	SQ_H_NA,
	SQ_H_READ_AGE_MS,	/* the newest reading, how long ago */
	SQ_H_NCOLS
};

/* STATUSQ_PLANS' columns. */
enum {
	SQ_P_ID,
	SQ_P_NAME,
	SQ_P_STATE,		/* running, paused, scheduled */
	SQ_P_STAGE,		/* the stage in progress, from 0 */
	SQ_P_STAGES,		/* how many the plan has */
	SQ_P_HOSTS,
	SQ_P_DONE,		/* confirmed */
	SQ_P_SKIPPED,
	SQ_P_FAILED,
	SQ_P_STARTED,		/* ISO 8601, NULL: not yet */
	SQ_P_RUN_AT,		/* scheduled for */
	SQ_P_NCOLS
};

/* STATUSQ_EVENTS' columns (counts), over the last day but the queue. */
enum {
	SQ_E_EVENTS,
	SQ_E_CRITICAL,
	SQ_E_CRIT_UNACKED,	/* critical, nobody acknowledged */
	SQ_E_TRAPS,		/* PET traps accepted */
	SQ_E_PET_ONLY,		/* events no SEL entry confirmed */
	SQ_E_SENT,		/* notifications */
	SQ_E_FAILED,
	SQ_E_SUPPRESSED,
	SQ_E_QUEUED,		/* waiting now, however old */
	SQ_E_NCOLS
};

#endif
