/*
 * exec: the power plan executor.  It runs a stored plan (schema 002:
 * power_plan, power_plan_host) stage by stage and batch by batch, with the
 * database as its memory, so a crash or a restart resumes where it
 * stopped:
 *
 *   per batch: Get Chassis Status of its pending hosts (one already in the
 *   target state is skipped, one that does not answer is never taken for
 *   off) -> 'commanding' committed -> the power command (bootdev first
 *   for bootdev-on) -> 'commanded' -> verification by polling until the
 *   state is confirmed or the timeout (soft-off: a hard off after its
 *   timeout) -> 'confirmed' | 'failed'; failures retried up to the
 *   stage's retries; the stage's failure threshold pauses or aborts the
 *   plan; the next batch starts when this one is over (verified, or
 *   commanded without verification) and no sooner than the stage's
 *   interval after the last batch that sent commands started: a batch
 *   whose hosts are all in the target state already sends nothing and
 *   waits for nothing.
 *
 * A host left 'commanding' by a crash may have received its command: the
 * executor polls it until the target state or the verify timeout before
 * it sends anything again, so a command is not repeated on a resume.
 *
 * Every action is an audit_log row (who, from where, host, operation,
 * result, timing, power before and after).  One executor per plan: a
 * PostgreSQL advisory lock on the plan's ID, held while it runs.
 *
 * The plan's memory is a plan store (store/planstore.h): the executor
 * asks it through struct plan_store_ops, PostgreSQL's (planstore_ops) in
 * bmcfleet, a fake in the unit test.
 *
 * Blocking: the store's calls are short blocking queries on the
 * executor's connection; the IPMI work runs on the loop through the
 * driver, and waits are loop timers, so the webhook (if any) progresses.
 */
#ifndef BMCFLEET_SCHEDULER_EXEC_H
#define BMCFLEET_SCHEDULER_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "collector/driver.h"
#include "store/planstore.h"

struct loop;
struct webhook;

enum exec_op {
	EXEC_ON,
	EXEC_OFF,
	EXEC_SOFT_OFF,		/* soft, then hard off after soft_timeout */
	EXEC_CYCLE,
	EXEC_RESET,
	EXEC_BOOTDEV_ON,	/* the boot device, then on */
};
const char *exec_op_name(int);
/* What a host an operation finished on went through: "turned on",
 * "turned off", "cycled", "reset" (static strings). */
const char *exec_op_done(int);
/*
 * A plan event's name in the audit log and the webhook ("plan-start",
 * "batch-start", ...) in words for people ("plan started"); any other
 * name (a host's operation: "on", "verify") as it is.
 */
const char *exec_event_words(const char *name);

struct exec_stage {
	char		 name[64];
	int		 op;		/* enum exec_op */
	uint8_t		 bootdev;	/* enum boot_dev, for bootdev-on */
	int		 persistent;
	int		 efi;
	uint64_t	 interval_ms;	/* between batch starts */
	int		 verify;
	uint64_t	 verify_timeout_ms;
	uint64_t	 soft_timeout_ms;
	unsigned	 retries;	/* per host, after the first attempt */
	uint32_t	 fail_threshold; /* failures tolerated, or with
					    fail_pct hundredths of a percent
					    of the stage's hosts */
	int		 fail_pct;
	int		 abort_on_fail;	/* else pause */
};

/* The session settings of a host, by name (the caller's config). */
typedef const struct ipmi_session_cfg *exec_session_fn(void *arg,
	    const char *name, const char **address, uint16_t *port);

enum exec_event {
	EXEC_EV_START,		/* "plan N started" or "plan N resumed" */
	EXEC_EV_PLAN,		/* paused, aborted, failed (with the reason);
				   the end (done) is the caller's to tell */
	EXEC_EV_BATCH,		/* a batch begins */
	EXEC_EV_HOST,		/* a host's state changed */
	EXEC_EV_BATCH_DONE,
};

struct exec_cfg {
	const struct plan_store_ops *store;
	void		*store_ctx;	/* the store's first argument */
	struct loop	*loop;
	int64_t		 plan_id;
	const struct exec_stage *stages;
	size_t		 nstages;
	const size_t	*order;		/* stage indices, dependencies first */
	exec_session_fn	*session;
	void		*session_arg;
	unsigned	 concurrency;
	uint32_t	 poll_ms;	/* verification polling */
	const char	*who;		/* unix user */
	const char	*origin;	/* host:pid (tty) */
	struct webhook	*webhook;	/* NULL: none */
	/* set (by a signal handler, which also stops the loop) to stop:
	 * the commands in flight are abandoned at once, every host keeps
	 * the state written before its command, and the plan is paused,
	 * resumable (NULL: never) */
	volatile int	*stop;
	/* progress: one line per event worth telling (may be NULL) */
	void		(*progress)(void *arg, int ev, const char *line);
	void		*progress_arg;
};

/* One host of a plan as stored, for exec_tally. */
struct exec_tally_host {
	int		 op;		/* enum exec_op of its stage */
	int		 verify;	/* its stage verifies */
	const char	*state;		/* pending, skipped, commanding, ... */
	const char	*name;
	const char	*error;		/* NULL or "": none recorded */
};
#define EXEC_TALLY_NAMED	3	/* failed hosts named, the rest counted */

/*
 * A plan's hosts (n, in the order to name them) in words, into out:
 * per operation the hosts it was done on (confirmed, or commanded where
 * the stage does not verify), skipped (already in the target state),
 * failed (the first EXEC_TALLY_NAMED named with the reason, then "and N
 * more (bmcfleet plan status ID --hosts)") and, while the plan is not
 * over, those not done yet:
 *
 *   20 turned on, 10 skipped (already on), 1 failed: n7 (not on after
 *   120 s (power off)); 5 not done yet
 */
void	exec_tally(const struct exec_tally_host *, size_t n, int64_t plan_id,
	    char *out, size_t len);

/*
 * Run (or resume) the plan.  Returns the plan's state as stored at the
 * end ("done", "paused", "aborted", "failed"), or NULL with err on a local
 * or database error (the plan is left as it was: resumable).
 */
const char *exec_run(const struct exec_cfg *, char *err, size_t errlen);

/*
 * The webhook body of a plan notification, {"event": ..., "plan": N,
 * "state": ..., "by": ..., "stage": ..., "reason": ...} (stage and reason
 * only when not NULL, who NULL as null), every string escaped by
 * lib/json.  malloc'd, for the caller to free; NULL when out of memory.
 */
char	*exec_notify_body(const char *event, int64_t plan_id,
	    const char *state, const char *who, const char *stage,
	    const char *reason);

#endif
