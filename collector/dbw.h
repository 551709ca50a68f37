/*
 * dbw: the database writer.  Batches of rows (collector/rows.h) go into
 * the spool first (collector/spool.h: durable before dbw_submit returns),
 * then, oldest first, into PostgreSQL over one non-blocking libpq
 * connection on the collector's event loop: each batch is one transaction
 * that COPYs every table into its temporary staging table and merges the
 * staging tables into the real ones (ON CONFLICT, so a batch merged twice
 * changes nothing).  A batch leaves the spool only once COMMIT succeeded.
 *
 * When the connection fails or drops, the writer reconnects with backoff
 * (1 s doubling to 30 s) and the batches wait in the spool; the loop never
 * blocks on the database.  A batch the server refuses for its content is
 * quarantined (spool_quarantine) and the next one goes on.
 *
 * Ownership: dbw_new copies conninfo; the spool belongs to the caller and
 * must outlive the writer.
 */
#ifndef BMCFLEET_COLLECTOR_DBW_H
#define BMCFLEET_COLLECTOR_DBW_H

#include <stddef.h>
#include <stdint.h>

#include "collector/rows.h"
#include "collector/spool.h"

struct loop;
struct dbw;

struct dbw_stats {
	uint64_t	batches;	/* committed */
	uint64_t	rows;		/* committed rows, all tables */
	uint64_t	readings;	/* committed sensor readings */
	uint64_t	failures;	/* connection failures seen */
	uint64_t	quarantined;
	uint64_t	busy_us;	/* time with a batch in flight */
	uint64_t	loaded;		/* batches read back from the spool
					   (an earlier run's, or past the
					   in-memory bounds) */
	uint64_t	replayed;	/* batches found stored already
					   (their key in reading_batch):
					   removed, nothing written */
	uint64_t	resynced;	/* sensors' states learnt again
					   (claims that did not hold) */
};

/*
 * A sensor's state as a committed batch left it, for a BMC whose claim
 * did not hold or could not (schema/008_state_claims.sql): what the
 * collector remembers of that BMC is put right with these.
 */
struct dbw_resync {
	const char	*bmc, *name;
	int		 owner, number;
	const char	*state;		/* NULL: none yet */
	int		 has_states;
	unsigned	 states;
	int64_t		 digest;	/* the BMC's, after the batch */
	long long	 bmc_id;
};

/* log: one line per state change worth telling an operator (may be NULL) */
struct dbw *dbw_new(struct loop *, const char *conninfo, struct spool *,
	    void (*log)(void *arg, const char *line), void *arg);
void	dbw_free(struct dbw *);

/*
 * Spool the batch and start writing it when the writer is free.  On
 * success the writer keeps r's buffers (swapped, not copied: it COPYs
 * from memory, not from the spool read back) and r comes back empty,
 * holding buffers of the writer's; on failure r is left untouched.
 * 0, or -1 with err (the spool could not take it: full or failing disk).
 */
int	dbw_submit(struct dbw *, struct rows *, char *err, size_t);
/*
 * A connection whose server gives no answer for ms (connecting, or a
 * batch's next reply) is dropped and reconnected with backoff, the batch
 * kept; 0 (the default) waits as long as TCP does.  Keepalives and
 * tcp_user_timeout cannot see a peer whose kernel still acknowledges (a
 * hung server or proxy): this can.
 */
void	dbw_set_timeout(struct dbw *, uint32_t ms);
/* Start on what the spool holds from an earlier run (called by dbw_new). */
void	dbw_kick(struct dbw *);

/* Batches not yet committed (in flight included). */
size_t	dbw_pending(const struct dbw *);
/* Connected (a batch may be in flight): not down, not connecting. */
int	dbw_up(const struct dbw *);
/* The database is connected and nothing is pending. */
int	dbw_idle(const struct dbw *);
/*
 * idle(arg) each time the writer finds nothing left to write (dbw_idle
 * has just become true: the last COMMIT answered, or it connected with
 * an empty spool), from within the writer; NULL stops it.  A drain waits on
 * this instead of polling dbw_idle.
 */
void	dbw_on_idle(struct dbw *, void (*idle)(void *), void *arg);
/* fn(arg, r) for each sensor state a committed batch read back (after
 * its COMMIT, from within the writer); NULL stops it. */
void	dbw_on_resync(struct dbw *, void (*fn)(void *,
	    const struct dbw_resync *), void *arg);
/*
 * A new conninfo (a configuration reloaded): copied; an idle writer
 * reconnects at once, a busy one at its next connection.  0, or -1 on
 * ENOMEM (the old one kept).
 */
int	dbw_set_conninfo(struct dbw *, const char *conninfo);
/* "connected", "connecting", "waiting to reconnect: ...". */
const char *dbw_status(const struct dbw *);
const struct dbw_stats *dbw_stats(const struct dbw *);

/*
 * What the writer does with a batch whose transaction failed (pure: the
 * decision query_done acts on).  conn_bad: the connection is gone;
 * sqlstate: the server's code for the first error ("" when none); tries:
 * how many times in a row this batch has already been written again
 * after an error of the moment.
 */
enum dbw_verdict {
	DBW_RECONNECT,		/* connection lost: the batch waits in the
				   spool, reconnect with backoff */
	DBW_RETRY,		/* an error of the moment (SQLSTATE class
				   40, 53, 57, 08), fewer than 5 tries so
				   far: the batch waits, is written again
				   after a reconnect */
	DBW_WAIT_SCHEMA,	/* no such table, column, function, object
				   or schema (42P01, 42703, 42883, 42704,
				   3F000): the batch waits for `db migrate` */
	DBW_REFUSE,		/* the batch's content, or an error of the
				   moment for the 6th time in a row: moved
				   to failed/, the next one goes on */
};
enum dbw_verdict dbw_verdict(int conn_bad, const char *sqlstate,
	    unsigned tries);

#endif
