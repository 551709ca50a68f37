/*
 * collect_int: what cli/collect.c (one sweep of the fleet: the engine),
 * cli/cmd_collect.c (`bmcfleet collect`) and cli/cmd_daemon.c (bmcfleetd)
 * share.  Private to those three.
 */
#ifndef BMCFLEET_CLI_COLLECT_INT_H
#define BMCFLEET_CLI_COLLECT_INT_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "cli/config.h"
#include "cli/progress.h"
#include "cli/sesscfg.h"
#include "cli/sweepwhy.h"
#include "collector/dbw.h"
#include "collector/driver.h"
#include "store/fleetstore.h"
#include "collector/rows.h"
#include "collector/spool.h"
#include "collector/sweep.h"
#include "ipmi/session.h"
#include "lib/loop.h"

#define FLUSH_BYTES	(256 * 1024)
/* less, while a sweep runs, to a writer with nothing to do (collect.c:
 * flush_early), looked at every FLUSH_TICK_MS and when the writer says.
 * A batch costs the server about 5 ms besides its rows (the merges of a
 * few BMCs' results, profiles and power, the commit): at 32 KiB the 1k
 * warm sweep at concurrency 256 went as 33 batches, at 128 KiB 14, and
 * PostgreSQL's CPU fell from 48-55 to 41-47 ticks (docs/NOTES.md). */
#define FLUSH_EARLY_BYTES	(128 * 1024)
#define FLUSH_TICK_MS		50

/* A BMC that does not answer is asked less often (daemon only). */
struct backoff {
	unsigned	 streak;	/* sweeps in a row it did not answer */
	uint64_t	 retry_ms;	/* wall clock: not before */
	/* the cipher suite pinned (asked for directly) since when, and the
	 * one pinned before a renegotiation, to see a downgrade */
	uint64_t	 suite_since_ms;
	int		 suite_prev;	/* 0: none */
};

#define BACKOFF_MAX_MS	(3600 * 1000)
#define STOP_STALL_MS	1000	/* stopping: a writer committing nothing
				   this long is not waited for */

/* collect.done[i]: swept in this sweep's run; swept by this process
 * since the fleet was loaded (the light pass asks those, and every BMC
 * with a cursor until there is one: a restarted bmcfleetd polls SELs
 * before its first sweep) */
#define DONE_RUN	1
#define DONE_MINE	2

struct collect {
	struct config	 c;
	struct loop	*loop;
	struct spool	 spool;
	struct dbw	*dbw;
	struct rows	 rows;
	struct sweep	*sweep;
	struct sensor_ids *ids;		/* sensors' database IDs */
	struct sweep_host *hosts;
	struct ipmi_session_cfg *scfg;
	size_t		 n;
	size_t		 finished;
	int		 progress;	/* stderr is a terminal, not -q */
	struct progress	 bar;		/* drawn while a sweep runs */
	int		 quiet;
	int		 spool_failed;
	int		 retire;	/* --retire */
	int		 fleet_complete;/* the fleet rows retire the rest */
	uint64_t	 oldest_ms;	/* of this sweep's claims: the longest
					   since a BMC's last sweep */
	char		 spool_err[512];
	char		 run_key[128];
	uint64_t	 started_ms;
	struct fleetstore fs;		/* memory and leases (fs.pg NULL:
					   the database is away) */
	char		*db;		/* conninfo, owned */
	struct drv_target **tv;
	size_t		*idx;		/* per host: its config index */
	long		*host_of;	/* per config index: its host, -1 */
	struct sesscfg_creds creds;	/* passwords, read once each */
	unsigned	 what;
	volatile int	 stopping;	/* daemon: SIGTERM seen */
	volatile int	 halt;		/* SIGTERM or SIGINT: database waits
					   end at once */
	uint64_t	 drain_batches;	/* committed when last seen, and */
	uint64_t	 drain_moved_ms;/* when that changed (drain) */
	uint8_t		*done;		/* per host: DONE_* */
	int		 mine_any;	/* a DONE_MINE since the fleet loaded */
	uint64_t	 flushed_ms;	/* when rows last went to the writer */
	int		 daemon;	/* back off from dead BMCs */
	struct backoff	*back;		/* per host */
	struct loop_timer renew;	/* keeps the claimed leases */
	struct loop_timer tick;		/* rows to the writer every second */
	int		 lease;		/* share the fleet through leases */
	size_t		 swept;		/* hosts this run swept */
	size_t		*failv;		/* per failure of this run: its host */
	size_t		 nfail;
	int		 json;		/* collect --format json */
	struct sweep_idle idle;		/* why this run left hosts unswept
					   (set when swept < n) */
	struct collect_ev *ev;		/* bmcfleetd: traps, light passes
					   (cli/collect_event.c) */
	int		 sweeping;	/* a sweep's driver is running */
	struct fleetmem	*mem;		/* bmcfleetd: each BMC's latest sweep
					   (collector/fleetmem.h), for
					   /metrics; NULL in collect */
	uint64_t	 last_sweep_ms;	/* the last whole sweep: how long */
	uint64_t	 last_sweep_end_ms; /* and when it ended, 0 none */
	uint64_t	 sweeps;	/* whole sweeps since start */
	uint64_t	 plans_run;	/* bmcfleetd: scheduled plans it ran */
};

/* What bmcfleetd's events did since it started (collect_event.c). */
struct collect_ev_stats {
	uint64_t	 traps;		/* accepted, resends not counted */
	uint64_t	 acked;		/* PET Acknowledges answered OK */
	uint64_t	 reads;		/* SEL reads after traps */
	uint64_t	 entries;	/* SEL entries those reads found */
	uint64_t	 confirmed;	/* traps linked to their entry */
	uint64_t	 pet_only;	/* traps stored as PET-only events */
	uint64_t	 passes;	/* light passes */
	uint64_t	 light_asked;	/* Get SEL Info asked */
	uint64_t	 light_walked;	/* SEL walked: it moved */
	uint64_t	 light_failed;	/* no answer (not failed: counted) */
};

struct collect_opts {
	const char	*cfg_path;
	const char	*db;
	const char	*spool_dir;
	const char	*targets;
	unsigned	 what;
	uint64_t	 wait_ms;	/* --db-wait */
	int		 quiet;
	int		 lease;
	int		 retire;	/* --retire: retire BMCs gone from the
					   config however many */
	int		 json;		/* --format json: the summary as JSON
					   on stdout */
};

#define wall_ms()	loop_wall_ms()

/*
 * The command line both commands take into o (defaults first): the
 * options, then with targets a TARGETS operand.  -1 to go on; else the
 * exit status, 0 after --help (usage to stdout) or 2 after a bad option
 * (said as "PROG: ...", then usage to stderr) or an operand too many.
 */
int	collect_getopts(int argc, char **argv, struct collect_opts *o,
	    const char *prog, int targets, void (*usage)(FILE *));
/*
 * co zeroed and set from o (daemon: quiet, and silent BMCs backed off),
 * the config loaded and the hosts built, then collect_open: 0, or an exit
 * status (collect_close co either way).
 */
int	collect_start(struct collect *co, const struct collect_opts *o,
	    int daemon);

/*
 * Load the config and build the hosts (what an earlier load knew carries
 * over by name): 0, 2 for a configuration error (said), 1 otherwise.
 */
int	collect_fleet_load(struct collect *, const struct collect_opts *);
/* The spool, the loop, the sweep and the writer: 0, or an exit status. */
int	collect_open(struct collect *, const struct collect_opts *);
void	collect_close(struct collect *);
/*
 * One sweep; BMCs swept by anyone since since_ms are left alone.  0, -1
 * on a local error (errno), -2 when the schema is refused (said).
 */
int	collect_sweep(struct collect *, uint64_t since_ms);
/* Run the loop until the writer has nothing left or ms passed: 1 when
 * every row is written. */
int	collect_drain(struct collect *, uint64_t ms);
/*
 * The run's summary on stderr: the counts, the failures by reason and the
 * first COLLECT_NAMED failed hosts by name (natural order), or with
 * co->json the whole of it, every failed host included, as one JSON
 * object on stdout.
 */
void	collect_summary(struct collect *, uint64_t ms, int drained);
#define COLLECT_NAMED	5
/* Rows to the writer now (spooled, then written when it can). */
void	collect_flush(struct collect *);

/*
 * bmcfleetd's events (cli/collect_event.c): the trap listener as
 * collector.traps says, trap-triggered SEL reads and the sel_interval
 * light pass, on co's loop.  open: 0 or -1 (ENOMEM; a listener that
 * cannot bind is said and left out).  Around a reload of the fleet:
 * suspend before (reads in flight stopped, waiting traps stored PET-only),
 * resume after (the new fleet's addresses).  close: all of it.
 */
int	collect_events_open(struct collect *);
void	collect_events_suspend(struct collect *);
int	collect_events_resume(struct collect *);
void	collect_events_close(struct collect *);
const struct collect_ev_stats *collect_events_stats(const struct collect *);
/* The trap listener's counters; NULL when it is not listening. */
struct traprx_stats;
const struct traprx_stats *collect_events_rx_stats(const struct collect *);
/* "traps: 3 received, ...; light passes: ..." for the sweep's log line */
void	collect_events_words(const struct collect *, char *, size_t);

/* SIGTERM, SIGINT and SIGHUP, for loop_add_signal. */
void	collect_on_signal(struct loop *, int signo, void *arg);

#endif
