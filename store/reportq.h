/*
 * reportq: the SQL of fleet mode's reports (bmcfleet inventory, inventory
 * --changes, sensors without -H, events), read from what `bmcfleet
 * collect` stored.
 *
 * Two steps, so that the SQL can be checked without a database:
 *
 *	reportq_build	a filter (which report, which BMCs, since, until,
 *			states, severities, limit) -> the SQL text and its
 *			parameters.  Pure: no I/O, no clock (the caller
 *			gives now).  The SQL text of a report is the same
 *			whatever the filter: every value the user gave
 *			goes in as a parameter ($1...), never into the text,
 *			and a filter left out is a NULL parameter
 *			("$3::timestamptz IS NULL OR ...").
 *	reportq_run	runs it on a blocking connection and copies the rows
 *			into plain C strings (struct reportq_rows).
 *
 * Times go in as milliseconds since 1970 (lib/when reads what the user
 * wrote), are passed as ISO 8601 UTC timestamptz parameters the server
 * reads the same whatever its DateStyle and TimeZone, and come out as
 * ISO 8601 UTC text, formatted by the server.  Hosts come back in the server's (byte) order;
 * the caller sorts them naturally if it wants.
 */
#ifndef BMCFLEET_STORE_REPORTQ_H
#define BMCFLEET_STORE_REPORTQ_H

#include <stddef.h>
#include <stdint.h>

#include "lib/gbuf.h"

struct pg_conn;		/* libpq's PGconn */

enum reportq_kind {
	REPORTQ_INVENTORY,	/* per host, and per FRU device with all_frus */
	REPORTQ_CHANGES,	/* the inventory change log, oldest first */
	REPORTQ_SENSORS,	/* the latest reading of every sensor */
	REPORTQ_EVENTS,		/* the SEL history, oldest first */
	REPORTQ_EVENTS_NEW,	/* events --follow: stored after after_id
				   (or among ids), in id order; the columns
				   of REPORTQ_EVENTS */
	REPORTQ_SDRS,		/* the SDR repositories of the BMCs (binary):
				   the names of discrete sensors' states */
};

/* sensors without since: the readings of the last day, in ms */
#define REPORTQ_SENSORS_SINCE_MS	(24LL * 3600 * 1000)

struct reportq_filter {
	enum reportq_kind	 kind;
	const char *const	*names;		/* the BMCs: NULL every one,
						   else nnames (0: none) */
	size_t			 nnames;
	int			 retired;	/* BMCs retired too */
	int			 all_frus;	/* inventory: every FRU
						   device, not only 0 */
	int			 has_since, has_until;
	int64_t			 since_ms, until_ms;	/* ms since
							   1970 UTC */
	int64_t			 now_ms;	/* sensors without since:
						   from now - 24 h */
	const char *const	*states;	/* sensors: health names;
						   nstates 0: any */
	size_t			 nstates;
	const char *const	*severities;	/* events: severity names;
						   0: any */
	size_t			 nseverities;
	long long		 limit;		/* events, changes: the N
						   most recent; 0: all */
	int			 unacked;	/* events: only those nobody
						   acknowledged */
	int			 has_upto;	/* events: none past upto_id */
	int64_t			 upto_id;
	int64_t			 after_id;	/* events_new: id > after_id */
	long long		 offset;	/* events: skip this many of
						   the most recent (a page) */
	const int64_t		*ids;		/* events_new: and these */
	size_t			 nids;
};

#define REPORTQ_MAXPARAMS	9

/*
 * A report's query.  params point into the struct itself (and into
 * malloc'd text it owns): do not copy or move it between reportq_build
 * and reportq_release.
 */
struct reportq {
	enum reportq_kind	 kind;
	struct gbuf		 sql;
	const char		*params[REPORTQ_MAXPARAMS];	/* text; NULL:
								   SQL NULL */
	int			 nparams;
	int			 binary;	/* results in binary */
	char			*names, *states, *severities;	/* text[] */
	char			*ids;				/* bigint[] */
	char			 since[32], until[32], limit[32];
	char			 upto[32], after[32], offset[32];
};

/*
 * The query of filter f into q (which the caller then releases, whatever
 * this returns).  Returns 0, or -1 out of memory or a time outside
 * 1970..9999 (which lib/when never reads).
 */
int	reportq_build(const struct reportq_filter *f, struct reportq *q);
void	reportq_release(struct reportq *q);

/* Rows as text cells (binary ones as bytes), each NUL-terminated. */
struct reportq_rows {
	size_t	  nrows, ncols;
	char	**cell;		/* nrows * ncols; NULL: SQL NULL */
	size_t	 *len;		/* their lengths in bytes */
	char	 *buf;		/* what cell points into */
};

/* Cell (row, col), NULL for SQL NULL or out of range. */
const char *reportq_cell(const struct reportq_rows *, size_t row,
	    size_t col);
size_t	reportq_cell_len(const struct reportq_rows *, size_t row,
	    size_t col);
void	reportq_rows_release(struct reportq_rows *);

#define REPORTQ_ERROR		(-1)	/* err says: the server's message */
#define REPORTQ_NO_SCHEMA	(-2)	/* no bmcfleet tables: not migrated */
#define REPORTQ_NOMEM		(-3)

/*
 * Run q on pg (blocking) and copy its rows into *rows, for
 * reportq_rows_release.  Returns 0, or one of REPORTQ_* above (*rows
 * empty; with REPORTQ_ERROR the server's message on one line in err).
 */
int	reportq_run(struct pg_conn *pg, const struct reportq *q,
	    struct reportq_rows *rows, char *err, size_t errlen);

/*
 * Run sql with its nparams text parameters (NULL: SQL NULL) on pg, its
 * rows in text into *rows: what reportq_run does for any query of store/
 * (store/statusq.c's too).  The same returns as reportq_run.
 */
int	reportq_exec(struct pg_conn *pg, const char *sql, int nparams,
	    const char *const *params, int binary, struct reportq_rows *rows,
	    char *err, size_t errlen);

/*
 * A result already in hand (store/pgq.h's async queries) into *rows,
 * classified as reportq_run does; res is only read (the caller PQclears
 * it).  The same returns as reportq_run.
 */
struct pg_result;
int	reportq_result(const struct pg_result *res, struct reportq_rows *rows,
	    char *err, size_t errlen);

/* --- events --follow --------------------------------------------------- */

/*
 * LISTEN bmcfleet_event (schema 003: each stored sel_event's id, at its
 * commit) on pg, then the highest event id stored so far into *max_id:
 * anything past it will be announced.  0, or REPORTQ_* as reportq_run.
 */
int	reportq_listen(struct pg_conn *pg, int64_t *max_id, char *err,
	    size_t errlen);
/* The connection's socket, to wait on for announcements. */
int	reportq_socket(struct pg_conn *pg);
/*
 * Read what arrived on pg's socket (without blocking) and take its
 * announcements: event ids appended to ids[*n..cap) (more than cap are
 * dropped: a fetch by id > last seen finds them), *any set to 1 when
 * there was at least one, 2 when some did not fit.  0, or -1 when the
 * connection is lost.
 */
int	reportq_notified(struct pg_conn *pg, int64_t *ids, size_t cap,
	    size_t *n, int *any);

/* --- events ack ------------------------------------------------------------ */

struct reportq_ack {
	const int64_t	*ids;		/* sel_event ids */
	size_t		 nids;
	const char	*who;		/* unix user */
	const char	*origin;	/* host:pid (tty) */
	const char	*note;		/* NULL: none */
};

#define REPORTQ_UNKNOWN		(-4)	/* ids that name no event */

/*
 * One event_ack row per event and one audit_log row (operation
 * 'event-ack', the event's BMC as host, "event ID: note" as detail), in
 * one transaction.  Returns 0; REPORTQ_UNKNOWN with the unknown ids
 * ("3, 17") appended to unknown and nothing written; or another
 * REPORTQ_* with err.
 */
int	reportq_ack(struct pg_conn *pg, const struct reportq_ack *a,
	    struct gbuf *unknown, char *err, size_t errlen);

/*
 * The columns of each report, in the order the query gives them.  The
 * changes and events queries select two more, after these, to order by.
 */
enum {
	RQ_IV_HOST, RQ_IV_RETIRED, RQ_IV_MFG, RQ_IV_PRODUCT, RQ_IV_FW,
	RQ_IV_IPMI, RQ_IV_GUID, RQ_IV_SEEN, RQ_IV_FRU, RQ_IV_FRU_NAME,
	RQ_IV_PNAME, RQ_IV_PSERIAL, RQ_IV_PPART, RQ_IV_BSERIAL, RQ_IV_BPART,
	RQ_IV_CSERIAL, RQ_IV_FIELDS,
	RQ_IV_SYSFW,		/* the BIOS version (schema 003) */
	RQ_IV_NCOLS
};
enum {
	RQ_CH_WHEN, RQ_CH_HOST, RQ_CH_RETIRED, RQ_CH_FRU, RQ_CH_FIELD,
	RQ_CH_OLD, RQ_CH_NEW,
	RQ_CH_NCOLS
};
enum {
	RQ_SN_HOST, RQ_SN_NAME, RQ_SN_OWNER, RQ_SN_NUM, RQ_SN_TYPE,
	RQ_SN_KIND, RQ_SN_UNITS, RQ_SN_VALUE, RQ_SN_RAW, RQ_SN_STATUS,
	RQ_SN_STATE, RQ_SN_STATES, RQ_SN_TS, RQ_SN_RETIRED, RQ_SN_SDR_KEY,
	RQ_SN_NCOLS
};
enum {
	RQ_EV_HOST, RQ_EV_ID, RQ_EV_TS, RQ_EV_PRE, RQ_EV_BMC_TS, RQ_EV_SEEN,
	RQ_EV_SENSOR, RQ_EV_STYPE, RQ_EV_SNUM, RQ_EV_DIR, RQ_EV_DESC,
	RQ_EV_SEV, RQ_EV_RTYPE, RQ_EV_RAW, RQ_EV_RETIRED,
	RQ_EV_EVENT_ID,		/* sel_event.id: what events ack takes */
	RQ_EV_ACK_WHO, RQ_EV_ACK_AT,	/* the latest ack, NULL: none */
	RQ_EV_SOURCE,	/* 'sel', or 'pet': a PET-only event (schema 004) */
	RQ_EV_NCOLS
};
enum {
	RQ_SD_KEY,		/* bmc_profile.sdr_key, text */
	RQ_SD_RECORDS,		/* the repository's records, bytes */
	RQ_SD_NCOLS
};

#endif
