/*
 * plan: a power plan, its stages, and the pure arithmetic the executor
 * needs (stage order, batches under a power budget, draw estimates).  No
 * I/O but reading the plan file in plan_load; no clock, no database.
 *
 * A plan file (deploy/plan.example.yaml shows every key):
 *
 *   name: "rack r12 maintenance power-on"	# optional
 *   stages:
 *     - name: storage			# letters, digits, _ - . (unique)
 *       targets: "@storage"		# TARGETS, as config_select takes
 *       op: on				# plan_op_parse's names
 *       batch: 20			# hosts per batch, or all (default)
 *       interval: 10s			# between batch starts (default 0s)
 *       budget: 8kW			# watts per batch, or none (default)
 *       verify: true			# see below for the default
 *       verify_timeout: 120s		# default 120s
 *       soft_timeout: 300s		# soft-off only: hard off after it
 *       bootdev: pxe			# bootdev-on only (required there):
 *       persistent: false		#   pxe|disk|bios|cdrom, next boot
 *       efi: false			#   or persistent, legacy or EFI
 *       retries: 1			# per host (0..20)
 *       failure_threshold: 10%		# or a count; default 0
 *       on_failure: pause		# pause (default) | abort
 *       after: [other]			# default: the previous stage;
 *					# [] for no dependency
 *
 * verify defaults to true for on, off, soft-off and cycle, false for
 * reset and bootdev-on.  Durations: 500ms, 10s, 5m, 1h, 1d, 1h30m; a bare
 * number is seconds.  Watts: 8000, 8000W, 8kW, 1.5kW, 0.1MW.
 *
 * Errors are one line, "FILE:LINE:COL: what, and what was expected", with
 * a did-you-mean for a misspelt key, operation or stage name.
 *
 * Ownership: a struct plan owns every string and array in it; plan_release
 * frees them.  Functions that fill a plan release nothing of what it held:
 * zero it (or release it) first.
 */
#ifndef BMCFLEET_SCHEDULER_PLAN_H
#define BMCFLEET_SCHEDULER_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define PLAN_MAX_STAGES		1000
#define PLAN_MAX_BATCHES	65536	/* batch_of is a uint16_t */

enum plan_op {
	PLAN_OP_ON,		/* "on": hosts already on are skipped */
	PLAN_OP_OFF,		/* "off": hard power off */
	PLAN_OP_SOFT_OFF,	/* "soft-off": ACPI shutdown, hard off after
				   soft_timeout */
	PLAN_OP_CYCLE,		/* "cycle" */
	PLAN_OP_RESET,		/* "reset" */
	PLAN_OP_BOOTDEV_ON,	/* "bootdev-on": set the boot device, then on */
	PLAN_NOPS
};

enum plan_bootdev {
	PLAN_BOOTDEV_NONE,	/* only when op is not bootdev-on */
	PLAN_BOOTDEV_PXE,
	PLAN_BOOTDEV_DISK,
	PLAN_BOOTDEV_BIOS,
	PLAN_BOOTDEV_CDROM,
};

enum plan_on_failure {
	PLAN_ON_FAILURE_PAUSE,
	PLAN_ON_FAILURE_ABORT,
};

struct plan_stage {
	char		*name;
	char		*targets;	/* TARGETS, as written */
	size_t		*after;		/* indices of stages this one waits
					   for, ascending; resolved (the
					   previous stage by default) */
	size_t		 nafter;
	uint64_t	 interval_ms;	/* between batch starts */
	uint64_t	 verify_timeout_ms;
	uint64_t	 soft_timeout_ms; /* soft-off: hard off after it */
	uint32_t	 batch;		/* hosts per batch; 0 = all */
	uint32_t	 budget_w;	/* per batch; 0 = no budget */
	uint32_t	 failure_threshold; /* a count of failed hosts, or
					       with failure_pct hundredths of
					       a percent (1000 = 10%) */
	uint32_t	 line, col;	/* where the stage was written (in the
					   JSON's text for plan_from_json);
					   0 from a one-liner */
	enum plan_op	 op;
	enum plan_bootdev bootdev;
	enum plan_on_failure on_failure;
	uint8_t		 persistent;	/* bootdev: every boot, not next */
	uint8_t		 efi;		/* bootdev: EFI, not legacy */
	uint8_t		 verify;
	uint8_t		 retries;
	uint8_t		 failure_pct;	/* failure_threshold is a percent */
};

struct plan {
	char			*name;	/* or NULL */
	struct plan_stage	*stages;	/* file order */
	size_t			 nstages;
};

/*
 * The one-liner's options (bmcfleet power on TARGETS --batch 20 ...).
 * Start from PLAN_STAGE_OPTS_INIT: every field is then "not given" and
 * the stage gets the same defaults as in a plan file.
 */
struct plan_stage_opts {
	uint32_t	 batch;		/* --batch; 0 = all */
	uint64_t	 interval_ms;	/* --interval */
	uint32_t	 budget_w;	/* --budget; 0 = none */
	int		 verify;	/* --verify 1, --no-verify 0, -1 */
	uint64_t	 timeout_ms;	/* --timeout; 0 = default: the soft
					   timeout with --soft, else the
					   verify timeout */
	int		 soft;		/* --soft: off becomes soft-off */
	int		 retries;	/* --retries; -1 = default (1) */
	uint32_t	 failure_threshold; /* as in plan_stage */
	uint8_t		 failure_pct;
	enum plan_on_failure on_failure;
	enum plan_bootdev bootdev;	/* bootdev-on: required */
	uint8_t		 persistent, efi;
};

#define PLAN_STAGE_OPTS_INIT	{ .verify = -1, .retries = -1 }

#define PLAN_DEFAULT_RETRIES		1
#define PLAN_DEFAULT_VERIFY_TIMEOUT_MS	120000
#define PLAN_DEFAULT_SOFT_TIMEOUT_MS	300000
#define PLAN_MAX_RETRIES		20
#define PLAN_MAX_BATCH			1000000
#define PLAN_MAX_WATTS			100000000	/* 100 MW */

/*
 * Read the plan file at path into p.  Returns 0, or -1 with p zeroed and
 * a message in err: "PATH:LINE:COL: ..." for a problem in the file (an
 * unknown key with a did-you-mean, a bad value and what was expected, a
 * duplicate stage name, an unknown stage or a cycle in after, a missing
 * bootdev), "PATH: ..." when it cannot be read.  Stages are checked on
 * their own: targets are not resolved against a configuration here.
 */
int	plan_load(struct plan *p, const char *path, char *err, size_t errlen);

/*
 * A one-stage plan from the one-liner: op on targets with opts (NULL for
 * all defaults).  The stage is named after the operation ("on", "soft-off")
 * and the plan "power OP TARGETS".  Returns 0, or -1 with errno EINVAL for
 * what plan_stage_opts_check refuses, ENOMEM.
 */
int	plan_from_oneliner(struct plan *p, enum plan_op op, const char *targets,
	    const struct plan_stage_opts *opts);
/*
 * Why opts do not fit op, in the one-liner's words ("--soft: only with
 * off"), or 0 when they do.  -1 with the message in err.
 */
int	plan_stage_opts_check(enum plan_op op, const char *targets,
	    const struct plan_stage_opts *opts, char *err, size_t errlen);

/* Free everything p owns and zero it; harmless on a zeroed plan. */
void	plan_release(struct plan *p);

/*
 * A topological order of p's stages honouring after: order (p->nstages
 * entries, caller's) gets stage indices such that every stage comes after
 * the stages it waits for, and among stages free to go the one written
 * first goes first.  Returns 0, or -1 with errno EINVAL when after holds
 * a cycle or an index out of range (a loaded plan never does).
 */
int	plan_order(const struct plan *p, size_t *order);

/* "on", "off", "soft-off", "cycle", "reset", "bootdev-on"; "?" otherwise */
const char *plan_op_name(enum plan_op op);
/* The op named s (plan_op_name's names), or -1. */
int	plan_op_parse(const char *s);
/* "pxe", "disk", "bios", "cdrom"; "none" for PLAN_BOOTDEV_NONE */
const char *plan_bootdev_name(enum plan_bootdev d);
/* The device named s, or -1 (also for "none"). */
int	plan_bootdev_parse(const char *s);
/* verify's default for op: 1 for on, off, soft-off and cycle */
int	plan_op_verifies(enum plan_op op);

/*
 * The words of plan files, for the one-liner's options too.  Each returns
 * 0, or -1 (errno EINVAL) without touching *out.
 *	durations	"500ms", "10s", "5m", "1h", "1d", "1h30m", "1.5s";
 *			a bare number is refused, but 0; in ms, up to
 *			max_ms (units_duration_why says why not)
 *	watts		"8000", "8000W", "8kW", "1.5kW", "0.1MW"; 1 W to
 *			PLAN_MAX_WATTS
 *	thresholds	"3" (a count, *pct = 0) or "10%", "2.5%" (hundredths
 *			of a percent, *pct = 1), at most 100%
 */
int	plan_parse_duration(const char *s, uint64_t max_ms, uint64_t *out);
int	plan_parse_watts(const char *s, uint32_t *out);
int	plan_parse_threshold(const char *s, uint32_t *out, uint8_t *pct);
/* "1h30m", "10s", "1500ms", "0s": what plan_parse_duration reads back */
void	plan_format_duration(uint64_t ms, char *buf, size_t len);

/*
 * Whether failed failures among hosts hosts cross st's threshold: more
 * failures than the count, or a larger share than the percentage.  With
 * the default threshold 0 any failure trips it.
 */
int	plan_stage_tripped(const struct plan_stage *st, size_t failed,
	    size_t hosts);

/*
 * The canonical JSON of p into *out (malloc'd, NUL terminated; caller
 * frees): every key of every stage in a fixed order, defaults written
 * out, after resolved to names, durations as plan_format_duration writes
 * them, watts as numbers; no whitespace.  Equal plans give equal bytes.
 * Returns 0, or -1 (ENOMEM) with *out NULL.
 */
int	plan_to_json(const struct plan *p, char **out);
/*
 * Read back what plan_to_json wrote (or any plan file in JSON) into p,
 * with the same checks as plan_load; errors name "plan JSON:LINE:COL".
 * Returns 0, or -1 with p zeroed and the message in err.
 */
int	plan_from_json(struct plan *p, const char *json, char *err,
	    size_t errlen);

/*
 * Assign each of n hosts (in the caller's order, by name) to a batch:
 * batch_of[i] gets host i's batch number, *nbatches how many there are.
 * Greedy in order: a host goes in the current batch unless it would make
 * it hold more than batch_max hosts (0 = no limit) or its estimated draw
 * exceed budget_w (0 = no budget); then it starts the next batch.  The
 * draw of a batch is the sum of watts[i] * (100 + inrush_pct) / 100,
 * compared exactly (sum of watts[i] * (100 + inrush_pct) <= budget_w *
 * 100), so a batch may use the budget to the last watt.  Batches are
 * never merged or reordered: hosts keep the caller's order.
 *
 * Returns 0, or -1 with a message in err when one host alone needs more
 * than the budget ("host 3 needs 1300 W with 30% inrush, over the budget
 * of 1200 W", by index into watts) or there would be more than
 * PLAN_MAX_BATCHES batches.  n == 0 gives no batches.
 */
int	plan_batches(const uint32_t *watts, size_t n, unsigned batch_max,
	    uint32_t budget_w, uint32_t inrush_pct, uint16_t *batch_of,
	    size_t *nbatches, char *err, size_t errlen);

/*
 * A host's estimated draw in watts: the peak DCMI reading the collector
 * stored while it was on, else the per-model figure from the config
 * (config_model_watts), else the default (power.default_watts).  0 means
 * "none" for the first two.  Inrush is not included: plan_batches adds it.
 */
uint32_t plan_estimate_watts(uint32_t dcmi_peak_w, uint32_t model_w,
	    uint32_t default_w);

/*
 * How many hosts two stages both select: a and b are host indices in
 * ascending order (as config_select gives them).  The first nfirst
 * common ones go into first (which may be NULL when nfirst is 0), in
 * ascending order.  plan apply warns with it; both stages still act on
 * such a host.
 */
size_t	plan_overlap(const size_t *a, size_t na, const size_t *b, size_t nb,
	    size_t *first, size_t nfirst);

/*
 * When batch b (from 0) of the stage order[oi] starts, as the executor
 * (scheduler/exec.c) decides it, in words for the preview: the first
 * batch of the plan "starts first", a stage's first "when stage NAME is
 * over", the next "when batch b is verified" (or commanded, without
 * verification) and, with an interval, "no sooner than 10s after it
 * started" (the interval runs from the last batch that sent commands: one
 * whose hosts are all in the target state sends nothing and waits for
 * nothing).  Written into buf, which is returned.
 */
const char *plan_batch_rule(const struct plan *, const size_t *order,
	    size_t oi, size_t b, char *buf, size_t len);

#endif
