/*
 * alertstore: the alert engine's SQL (schema/005_alerts.sql) and its own
 * non-blocking connection on the loop.  Queries are queued and run one
 * after another; each one's callback gets the rows (or an error) from the
 * loop, so nothing here blocks the sweeps.  The connection LISTENs on
 * 'bmcfleet_event' and 'bmcfleet_alert' and tells the caller of every
 * notification; it holds the engine's advisory lock, so only one
 * bmcfleetd sends while the others stand by.
 *
 * alertstore_history is apart: a blocking query for `bmcfleet alerts
 * history` over a connection of db_connect.
 */
#ifndef BMCFLEET_STORE_ALERTSTORE_H
#define BMCFLEET_STORE_ALERTSTORE_H

#include <stddef.h>
#include <stdint.h>

struct loop;
struct pg_conn;
struct alertstore;

/* a result: rows of text values (NULL for SQL NULL); valid in the call */
struct alertstore_res;
size_t	alertstore_nrows(const struct alertstore_res *);
const char *alertstore_get(const struct alertstore_res *, size_t row,
	    int col);

/* res NULL and err set when the query failed (the connection may have
 * been lost: the state callback says so) */
typedef void	alertstore_cb(void *arg, const struct alertstore_res *res,
	    const char *err);

enum alertstore_state {
	ALERTSTORE_DOWN,	/* not connected; retried with backoff */
	ALERTSTORE_STANDBY,	/* connected, another engine holds the lock */
	ALERTSTORE_UP,		/* connected, the lock held, listening */
};

struct alertstore_ops {
	/* the state changed; why is a short text (an error, or "") */
	void	(*state)(void *arg, enum alertstore_state, const char *why);
	/* a NOTIFY arrived on one of the channels */
	void	(*wake)(void *arg);
	void	*arg;
};

/*
 * A store on loop l for conninfo (copied, wiped when freed); it starts
 * connecting at once.  NULL when out of memory.
 */
struct alertstore *alertstore_new(struct loop *l, const char *conninfo,
	    const struct alertstore_ops *ops);
/* Queries queued and not answered are dropped, their callbacks never
 * called; the connection closed.  NULL is a no-op. */
void	alertstore_free(struct alertstore *);
enum alertstore_state alertstore_state(const struct alertstore *);

/*
 * The queries.  Each returns 0 once queued, or -1 (not connected, out of
 * memory; cb is then not called).
 *
 * fetch: new source rows past the cursors (sel, sensor, inventory,
 * result), at most limit of each, in id order.  Columns: source word
 * (sel pet sensor inventory unreachable, or "cursor" rows: col 1 the
 * cursor name, col 2 the highest id scanned), id, bmc_id, bmc, severity,
 * sensor_type, sensor, text, key, clear ("t"/"f"), failures, event time
 * (ms since 1970), stale ("t" when seen longer than stale_ms ago).
 */
enum { AS_CUR_SEL, AS_CUR_SENSOR, AS_CUR_INVENTORY, AS_CUR_RESULT,
	AS_NCUR };
int	alertstore_cursors(struct alertstore *, alertstore_cb *, void *);
int	alertstore_fetch(struct alertstore *, const int64_t cur[AS_NCUR],
	    unsigned limit, uint64_t stale_ms, alertstore_cb *, void *);

/*
 * last: for a JSON array of dedup keys, the newest notification that was
 * not suppressed of each: key, kind (problem, recovery), its age in ms.
 */
int	alertstore_last(struct alertstore *, const char *keys_json,
	    alertstore_cb *, void *);

/*
 * enqueue: in one statement (one transaction), the rows of a JSON array
 * (objects with rule action recipient kind source source_id bmc_id bmc
 * dedup_key severity state reason event_at_ms subject text body) into
 * alert_notification (a row already there for its rule, action and
 * source row adds nothing), and the cursors set to cur.
 */
int	alertstore_enqueue(struct alertstore *, const char *rows_json,
	    const int64_t cur[AS_NCUR], alertstore_cb *, void *);

/*
 * heads: per action, its oldest queued notification: id, action, the ms
 * until it is due (<= 0: now), tries, kind, severity, bmc, subject, text,
 * body, event time in ms.
 */
int	alertstore_heads(struct alertstore *, alertstore_cb *, void *);

/* sent: mark row id sent. */
int	alertstore_sent(struct alertstore *, int64_t id, alertstore_cb *,
	    void *);
/*
 * retry: row id's attempt failed with error: tries + 1, the next try in
 * backoff_ms; failed for good when created longer than give_up_ms ago.
 */
int	alertstore_retry(struct alertstore *, int64_t id, const char *error,
	    uint64_t backoff_ms, uint64_t give_up_ms, alertstore_cb *, void *);

/* --- alerts history (blocking) ---------------------------------------- */

struct alertstore_filter {
	const char *const	*bmcs;		/* names, or NULL: all */
	size_t			 nbmcs;
	const char		*rule;		/* or NULL */
	int64_t			 since_ms;	/* or -1 */
	unsigned		 limit;		/* 0: no limit */
};

/*
 * Every notification of the filter, oldest first; per row fn gets the
 * columns: id, created (ISO 8601, UTC), rule, action, recipient, kind,
 * source, source_id, bmc, severity, state, reason, tries, last_error,
 * sent (ISO or NULL), subject.  0, or -1 with err.
 */
#define ALERTSTORE_HISTORY_COLS	16
int	alertstore_history(struct pg_conn *, const struct alertstore_filter *,
	    void (*fn)(void *arg, const char *const *cols), void *arg,
	    char *err, size_t errlen);

#endif
