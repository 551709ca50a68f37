/*
 * pgq: a PostgreSQL connection and its queries, waited for on the event
 * loop instead of in libpq.  The collector's own queries (leases, its
 * memory of each BMC, retention, the plan schedule) run between and
 * during sweeps; a blocking PQexec there would freeze every session,
 * timer and signal of the loop for as long as the database stays silent
 * (a network partition keeps it silent for minutes).  Here the loop runs
 * while the answer is awaited: fds, timers and signals are served, and
 * the wait ends at a deadline or when the caller's stop flag is set.
 *
 * The wait runs loop_run() itself, so these must not be called from a
 * loop callback.  A stop flag is read after each loop iteration: the
 * callback that sets it must call loop_stop() to end the iteration.
 *
 * After a timeout or a stop the connection's state is unknown (a query
 * may still be running on the server): PQfinish it.
 */
#ifndef BMCFLEET_STORE_PGQ_H
#define BMCFLEET_STORE_PGQ_H

#include <stddef.h>
#include <stdint.h>

struct pg_conn;		/* libpq's PGconn */
struct pg_result;	/* libpq's PGresult */

struct loop;

struct pgq_wait {
	uint64_t	 timeout_ms;	/* 0: no deadline */
	volatile int	*stop;		/* may be NULL */
};

/*
 * Connect with db_connect_start (the collector's keepalives and
 * timeouts), polling on the loop.  The connection is left non-blocking.
 * 0 and *out, or -1 with err (*out NULL): refused, timed out ("no answer
 * in N s") or stopped.
 */
int	pgq_connect(struct loop *, const char *conninfo,
	    const struct pgq_wait *, struct pg_conn **out, char *err,
	    size_t errlen);

/*
 * One command string (several statements allowed) with nparams text
 * parameters (then one statement only), results in text or, if binary,
 * in binary.  Returns the last result, whatever its status (check it as
 * after PQexec; the caller PQclears it), or NULL with err when there is
 * none: the query could not be sent, the connection broke, the deadline
 * passed or the stop flag was set.  On NULL, PQfinish the connection.
 */
struct pg_result *pgq_exec(struct loop *, struct pg_conn *, const char *sql,
	    int nparams, const char *const *params, int binary,
	    const struct pgq_wait *, char *err, size_t errlen);

/*
 * pgq_exec in two halves, so that the caller can work while the server
 * does: pgq_send sends the query without waiting (0, or -1 with err);
 * pgq_result awaits its results on the loop and returns the last, as
 * pgq_exec does.  Nothing else may be sent on c in between.  On -1 or
 * NULL, PQfinish the connection.
 */
int	pgq_send(struct pg_conn *, const char *sql, int nparams,
	    const char *const *params, int binary, char *err, size_t errlen);
struct pg_result *pgq_result(struct loop *, struct pg_conn *,
	    const struct pgq_wait *, char *err, size_t errlen);

/*
 * Read and drop the results of a query sent earlier without waiting for
 * it (PQsendQuery*), on the loop.  0 once none is left (each error
 * result's message passed to log, which may be NULL), -1 with err as
 * pgq_exec's NULL.
 */
int	pgq_finish(struct loop *, struct pg_conn *, const struct pgq_wait *,
	    void (*log)(void *, const char *), void *arg, char *err,
	    size_t errlen);

/*
 * An asynchronous connection, for loop callbacks (the calls above run a
 * nested loop and must not be used from one).  It connects lazily on the
 * first query, with db_connect_start, and connects again after a failure.
 * Queries are queued (at most PGQ_ASYNC_QUEUE) and run one at a time, each
 * with a deadline (PGQ_ASYNC_TIMEOUT_MS from when it was queued); params
 * are text, results text.  The callback owns res (PQclear it) and gets
 * NULL with err when the query failed, timed out or the connection broke;
 * an error result (PGRES_FATAL_ERROR) comes as res, to be checked.
 * pgq_async_query returns 0, or -1 with errno EAGAIN when the queue is
 * full, ENOMEM; the callback is then not called.  pgq_async_close calls
 * every pending callback with NULL ("closed").
 */
struct pgq_async;
typedef void pgq_async_cb(void *arg, struct pg_result *res /* NULL: failed */, const char *err);
#define PGQ_ASYNC_QUEUE		64
#define PGQ_ASYNC_TIMEOUT_MS	10000
struct pgq_async *pgq_async_open(struct loop *, const char *conninfo);  /* connects lazily, reconnects */
/* queued, one at a time; params text; results text (binary 0) */
int  pgq_async_query(struct pgq_async *, const char *sql, int nparams, const char *const *params, pgq_async_cb *, void *arg);
void pgq_async_close(struct pgq_async *);
/* PQclear for those outside store/ (NULL is a no-op). */
void pgq_clear(struct pg_result *);
/* pgq_async_query with the results in binary when binary is 1. */
int  pgq_async_query_fmt(struct pgq_async *, const char *sql, int nparams,
	    const char *const *params, int binary, pgq_async_cb *, void *arg);
/* Forget the callback of every queued query whose arg is arg (a caller
 * that goes away first); the queries still run, their results dropped. */
void pgq_async_forget(struct pgq_async *, void *arg);

#endif
