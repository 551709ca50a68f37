/*
 * planstore: the SQL of power plans and their audit (schema 002:
 * power_plan, power_plan_host, audit_log): storing a plan and its hosts,
 * the executor's memory of each host and batch, the plan's state and
 * its advisory lock, the schedule, and the listings `bmcfleet plan` and
 * `bmcfleet audit` print.  Callers see C types, never libpq results.
 *
 * Every call is a short blocking query on a connection from
 * store/db.h's db_connect() (closed with db_close()); the header names it
 * `struct pg_conn *` (libpq's PGconn) so that callers need not include
 * libpq-fe.h.
 *
 * Error messages (err, errlen) are the server's, on one line (libpq's
 * trailing newline dropped), without a "database: " prefix.
 */
#ifndef BMCFLEET_STORE_PLANSTORE_H
#define BMCFLEET_STORE_PLANSTORE_H

#include <stddef.h>
#include <stdint.h>

struct pg_conn;

/* --- the executor's store: an interface a unit test can fake --------- */

/* One host of a batch as stored. */
struct plan_host_row {
	const char	*name;
	const char	*state;		/* pending, skipped, commanding, ... */
	unsigned	 attempts;
	const char	*before;	/* on, off, unknown, or "" */
};

/* One audit_log row; NULL strings and negative numbers are SQL nulls. */
struct plan_audit {
	const char	*who;
	const char	*origin;
	int64_t		 plan_id;	/* <= 0: none */
	int		 stage;		/* < 0: none */
	int		 batch;		/* < 0: none */
	const char	*host;		/* NULL for plan-level entries */
	const char	*op;
	const char	*result;
	const char	*detail;
	long		 duration_ms;	/* < 0: none */
	const char	*before;
	const char	*after;
};

/*
 * What the executor (scheduler/exec.c) asks of a plan store; ctx is the
 * store's (a struct pg_conn * for planstore_ops).  Functions with err
 * return 0, or -1 with err.
 */
struct plan_store_ops {
	/* the plan's advisory lock: 1 taken, 0 held by another session */
	int	(*lock)(void *ctx, int64_t plan);
	void	(*unlock)(void *ctx, int64_t plan);
	/* the plan's state into out: 0, or -1 when there is no such plan */
	int	(*plan_state)(void *ctx, int64_t plan, char *out, size_t len);
	/* 'running', started now unless before, by executor, no reason */
	int	(*plan_start)(void *ctx, int64_t plan, const char *executor,
		    char *err, size_t errlen);
	/* the state, the stage (< 0: unchanged) and reason (NULL: none);
	 * done, aborted and failed set finished_at; err may be NULL */
	int	(*plan_set)(void *ctx, int64_t plan, const char *state,
		    int stage, const char *reason, char *err, size_t errlen);
	/* the number of batches of a stage (0 on an error) */
	int	(*stage_batches)(void *ctx, int64_t plan, int stage);
	/* failed hosts and all hosts of a stage: 0, or -1 */
	int	(*stage_failures)(void *ctx, int64_t plan, int stage,
		    unsigned *failed, unsigned *total);
	/* the hosts of a batch by name, each through each() (the row's
	 * strings live until it returns); 0, or -1 with err */
	int	(*batch_load)(void *ctx, int64_t plan, int stage, int batch,
		    int (*each)(void *, const struct plan_host_row *),
		    void *arg, char *err, size_t errlen);
	/* a host's new state, attempts, power before (kept once set) and
	 * after (NULL: unchanged; "on"/"off" also recorded as the BMC's
	 * power state, source 'plan') and error (NULL: none) */
	int	(*host_save)(void *ctx, int64_t plan, int stage,
		    const struct plan_host_row *, const char *after,
		    const char *error, char *err, size_t errlen);
	/* one audit row: 0, or -1 */
	int	(*audit)(void *ctx, const struct plan_audit *);
};

/* The PostgreSQL implementation; ctx is a struct pg_conn *. */
extern const struct plan_store_ops planstore_ops;

/* --- the plan's state, shared by the executor and `plan` ------------- */

int	planstore_plan_state(struct pg_conn *, int64_t plan, char *out,
	    size_t len);
int	planstore_audit(struct pg_conn *, const struct plan_audit *);

/* --- storing a plan (plan apply, power) ------------------------------ */

/* A host's draw and power as the database knows them. */
struct plan_host_est {
	const char	*name;
	int		 have_peak;	/* the peak DCMI reading while on, */
	uint32_t	 peak_w;	/* of the last 30 days */
	int		 have_model;	/* the BMC's profile */
	uint32_t	 manufacturer;
	uint16_t	 product;
	int		 have_power;	/* the last power state seen */
	int		 power_on;
};

/*
 * Of the BMCs named (n names), each one the database knows, through
 * each().  0, or -1 with err.
 */
int	planstore_estimates(struct pg_conn *, const char *const *names,
	    size_t n, void (*each)(void *, const struct plan_host_est *),
	    void *arg, char *err, size_t errlen);

/* A new plan (spec: its JSON; run_at NULL: 'stored', else 'scheduled'). */
int	planstore_plan_create(struct pg_conn *, const char *name,
	    const char *spec, const char *run_at, const char *who,
	    const char *origin, int64_t *id, char *err, size_t errlen);
/* One host of a stage, in a batch, with its estimated draw. */
int	planstore_host_add(struct pg_conn *, int64_t plan, size_t stage,
	    const char *name, unsigned batch, uint32_t watts);

/* The stored spec (JSON, malloc'd, for the caller to free): 0, or -1
 * when there is no such plan. */
int	planstore_plan_spec(struct pg_conn *, int64_t plan, char **spec);

/* Abort a plan not done or aborted: 1 aborted, 0 not (none, or done). */
int	planstore_plan_abort(struct pg_conn *, int64_t plan);

/* The schedule: the next plan due (1 and *id, 0 none), and whether a
 * plan is still scheduled (1, 0). */
int	planstore_plan_next_due(struct pg_conn *, int64_t *id);
int	planstore_plan_scheduled(struct pg_conn *, int64_t plan);

/* --- listings ----------------------------------------------------------- */

/* A query's result as text: column names and cells (NULL: SQL null). */
struct plan_table {
	size_t	  ncols;
	size_t	  nrows;
	char	**cols;
	char	**cells;		/* row-major, nrows * ncols */
};
void	plan_table_release(struct plan_table *);

/* Each fills *t (to be released): 0, or -1 with err. */
int	planstore_plan_show(struct pg_conn *, int64_t plan,
	    struct plan_table *t, char *err, size_t errlen);
int	planstore_plan_batches(struct pg_conn *, int64_t plan,
	    struct plan_table *t, char *err, size_t errlen);
int	planstore_plan_hosts(struct pg_conn *, int64_t plan,
	    struct plan_table *t, char *err, size_t errlen);
int	planstore_plan_list(struct pg_conn *, struct plan_table *t,
	    char *err, size_t errlen);
/*
 * The audit log, newest limit rows (NULL: 1000) in id order; since_ms:
 * rows from that instant on (ms since 1970 UTC), -1 for all; host and
 * plan (text) NULL for all.
 */
int	planstore_audit_list(struct pg_conn *, int64_t since_ms,
	    const char *host, const char *plan, const char *limit,
	    struct plan_table *t, char *err, size_t errlen);

/*
 * The listings' queries, for a caller that runs them itself (bmcfleetd's
 * /api/v1/, on store/pgq.h's async connection): the SQL and text
 * parameters into *pq (params point into it: do not move it), then the
 * result into a table with planstore_table_of (res only read).  The
 * functions above run the same.  0, or -1 with err.
 */
enum planstore_listing {
	PLANSTORE_LIST,		/* plan list */
	PLANSTORE_HOSTS,	/* plan status --hosts: plan's hosts */
	PLANSTORE_AUDIT,	/* audit: since_ms, host, plan_s, limit */
};
struct planstore_q {
	const char	*sql;
	int		 nparams;
	const char	*params[4];
	char		 buf[1][32];
};
struct pg_result;
int	planstore_listing(enum planstore_listing, int64_t plan,
	    int64_t since_ms, const char *host, const char *plan_s,
	    const char *limit, struct planstore_q *pq, char *err,
	    size_t errlen);
int	planstore_table_of(const struct pg_result *res, struct plan_table *t,
	    char *err, size_t errlen);

#endif
