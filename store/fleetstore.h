/*
 * fleetstore: the collector's own SQL, apart from the rows it writes
 * (collector/dbw.c): schema check, retirement, what the database
 * remembers of each BMC (SEL cursor, FRU read time, cipher suite, SDR
 * repositories), leases, retention and the plan schedule.  Callers see C
 * types and callbacks, never libpq results.
 *
 * Every query is awaited on the event loop (store/pgq.h) for at most
 * the store's deadline: a database that does not answer in time, or a
 * stop flag that is set, drops the connection (fs->pg becomes NULL, said
 * through log unless stopping) and the call returns FS_GONE; the caller
 * goes on without the database (rows wait in the spool).  An error the
 * server answers with is said and returns FS_ERROR, the connection kept.
 * Calls on a store whose connection is gone return FS_GONE at once.
 */
#ifndef BMCFLEET_STORE_FLEETSTORE_H
#define BMCFLEET_STORE_FLEETSTORE_H

#include <stddef.h>
#include <stdint.h>

struct pg_conn;		/* libpq's PGconn */

#include "store/pgq.h"

struct loop;

#define FS_OK		0
#define FS_ERROR	(-1)	/* the server said no (said) */
#define FS_GONE		(-2)	/* no connection, or it was just dropped */

struct fleetstore {
	struct loop	*loop;
	struct pg_conn	*pg;		/* NULL: the database is away */
	struct pgq_wait	 wait;		/* deadline and stop flag */
	void		(*log)(void *, const char *);
	void		*log_arg;
	int		 renewing;	/* a lease renewal is out */
	int		 renew_fd;	/* its socket, watched by the loop */
};

/* Ready to connect; log may not be NULL. */
void	fs_init(struct fleetstore *, struct loop *, uint64_t timeout_ms,
	    volatile int *stop, void (*log)(void *, const char *), void *arg);
/* Connect (awaited on the loop); FS_OK, or FS_GONE with err. */
int	fs_connect(struct fleetstore *, const char *conninfo, char *err,
	    size_t errlen);
void	fs_close(struct fleetstore *);
/* Connected and the connection sound; else closed, and 0. */
int	fs_up(struct fleetstore *);

/*
 * A text[] literal ({"a","b"}) for a query parameter: name(arg, i) for i
 * in [0, n), those it returns NULL for left out; malloc'd, NULL on ENOMEM.
 */
char	*fs_text_array(size_t n, const char *(*name)(void *, size_t),
	    void *arg);

/* The schema version the database is at (0: none); FS_OK or an error. */
int	fs_schema_version(struct fleetstore *, int *version);

/*
 * Of the BMCs not retired, those not named in names (a text[] literal):
 * how many, out of how many, and their names joined by ", " (cut to
 * listlen).
 */
int	fs_missing(struct fleetstore *, const char *names, long *missing,
	    long *total, char *list, size_t listlen);

/* What the database remembers of a BMC. */
struct fs_memory {
	const char	*name;
	int		 have_cursor;	/* the SEL cursor below is set */
	uint16_t	 sel_entries;
	uint32_t	 sel_add_ts;
	uint32_t	 sel_erase_ts;
	uint16_t	 sel_last_id;
	int		 have_fru;
	uint64_t	 fru_checked_ms;	/* epoch ms */
	int		 suite;		/* cipher suite, -1: none */
	const char	*sdr_key;	/* NULL: none */
	const char	*guid;		/* bmc_profile.guid as text, NULL */
};

/* Each BMC not retired, once. */
int	fs_memory(struct fleetstore *,
	    void (*each)(void *, const struct fs_memory *), void *arg);

/*
 * The SDR repositories last used by the BMCs named (a text[] literal) and
 * not already held (has(arg, key) true): each key and its records.
 */
int	fs_sdr_load(struct fleetstore *, const char *names,
	    int (*has)(void *, const char *key),
	    void (*each)(void *, const char *key, const uint8_t *recs,
	    size_t len), void *arg);

/*
 * The sensors of the BMCs named in names (a text[] literal) with an ID
 * above after_id (collect learns the sensors created since its last
 * load), in no particular order: each one's key, IDs and metadata (NULL
 * fields as NULL, record_id -1).  One query, read through a cursor a few
 * thousand rows at a time (at most two fetches held), in a transaction
 * of its own: FS_OK; FS_ERROR (said) with the rows of the fetches before
 * handed over and the connection clear; FS_GONE.
 */
struct fs_sensor {
	const char	*bmc, *name;
	int		 owner, number, record_id;
	long long	 id, bmc_id;
	const char	*type, *kind, *units, *thresholds;
	/* its state (NULL: none yet) and its BMC's digest of them
	 * (schema/008_state_claims.sql), of one snapshot */
	const char	*state;
	int		 has_states;
	unsigned	 states;
	int64_t		 digest;
};

int	fs_sensor_ids(struct fleetstore *, const char *names,
	    long long after_id,
	    void (*each)(void *, const struct fs_sensor *), void *arg);

/*
 * Leases: every BMC has a row in collector_lease; a collector claims a
 * chunk of the BMCs whose lease has expired and which nobody swept since
 * since_ms (wall clock), FOR UPDATE SKIP LOCKED so collectors claiming at
 * once split the fleet.  The result row's merge (collector/dbw.c) sets
 * swept_at and releases the lease in the transaction that stores the
 * sweep.  A dead collector's claims expire after lease_ms and are taken
 * over.
 */
int	fs_lease_prepare(struct fleetstore *);
/*
 * Claim up to max of names for holder: each claimed name with how long
 * ago it was last swept (ms, -1: never).  The number claimed, or an error.
 */
long	fs_lease_claim(struct fleetstore *, const char *names,
	    const char *holder, size_t max, uint64_t since_ms,
	    uint64_t lease_ms, void (*each)(void *, const char *name,
	    long long age_ms), void *arg);
/*
 * Why a claim found nothing, for the log: of names (a text[] literal),
 * those swept by anyone since since_ms (*not_due) and in how many ms the
 * first of them is due again (*next_ms: its sweep's time less since_ms);
 * the others whose lease another holder than holder keeps (*leased) and
 * the most frequent of those holders as host:pid (into holder_out, ""
 * when none); the names the database does not have (*missing).
 */
struct fs_idle {
	long		 not_due;
	uint64_t	 next_ms;
	long		 leased;
	long		 missing;
	char		 holder[96];
};
int	fs_lease_idle(struct fleetstore *, const char *names,
	    const char *holder, uint64_t since_ms, struct fs_idle *out);
/*
 * Extend holder's unexpired leases by lease_ms without waiting (called
 * from a loop timer while a chunk runs); nothing if one is still out.
 * fs_renew_settle reads it back before the next query (on the loop).
 */
void	fs_renew(struct fleetstore *, const char *holder, uint64_t lease_ms);
void	fs_renew_settle(struct fleetstore *);

/*
 * Drop reading partitions older than days (*dropped: how many days'
 * worth), and SDR repositories no BMC has used for a day.
 */
int	fs_retention(struct fleetstore *, unsigned days, int *dropped);

/* A plan scheduled for now or earlier: 1, 0, or an error. */
int	fs_plan_due(struct fleetstore *);

#endif
