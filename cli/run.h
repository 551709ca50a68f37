/*
 * run: what direct mode keeps per run and per host, shared by the verbs.
 * direct.c owns the run (host list, driver, output frame, summary); a verb
 * that needs several commands per host (sensors, sel, fru, ...) plugs in
 * through struct verb_ops and keeps its own per-host state in host->data.
 */
#ifndef BMCFLEET_CLI_RUN_H
#define BMCFLEET_CLI_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "cli/opts.h"
#include "cli/progress.h"
#include "collector/driver.h"
#include "collector/hostprof.h"
#include "ipmi/cmds.h"

struct run;
struct host;

struct verb_ops {
	/* The verb's own arguments (after its words); 0, or -1 with err. */
	int		(*parse)(struct run *, int argc, char **argv, char *err,
			    size_t errlen);
	/* rsp NULL: the session just became active.  See drv_step_fn. */
	enum drv_step	(*step)(struct run *, struct host *,
			    const struct ipmi_response *, struct drv_request *);
	/* Table output for every host, failed ones included. */
	void		(*table)(const struct run *);
	/* JSON members after "ok": true for a host that succeeded. */
	void		(*json)(const struct run *, const struct host *);
	/* Free host->data (called for every host, data may be NULL). */
	void		(*release)(struct run *, struct host *);
};

struct verb {
	const char		*w1, *w2;
	int			 id;
	uint8_t			 ctl;		/* chassis control code */
	const struct verb_ops	*ops;		/* NULL: built into direct.c */
};

struct host {
	struct drv_target	 t;		/* first: the driver's view */
	char			 addr[256];
	unsigned		 step;
	int			 power_on;
	int			 have_power;
	struct ipmi_device_id	 devid;
	int			 have_devid;
	uint8_t			 guid[16];
	int			 have_guid;
	void			*data;		/* the verb's, see release */
	/* the BMC's profile (collector/hostprof.h): PROF_NONE, or its
	 * suite asked for at once (PROF_USED) through scfg */
	int			 prof;
	struct hostprof		 pr;		/* when PROF_USED */
	struct ipmi_session_cfg	 scfg;
};
enum { PROF_NONE, PROF_USED, PROF_RELEARN };

struct run {
	const struct verb	*verb;
	const struct opts	*o;
	uint8_t			 identify_secs;
	int			 identify_force;
	struct host		*hosts;
	size_t			 n;
	size_t			 finished;
	size_t			 failed;	/* of those finished */
	int			 progress;	/* stderr is a terminal */
	struct progress		 bar;		/* when progress */
	int			 verbose;
	void			*vdata;		/* the verb's run-wide state */
	const char		*sdr_cache;	/* the SDR cache used, pruned at
						   the end (direct_sdr_cache_dir) */
};

/* For verbs: fail the host on a bad completion code ("what: words (0xNN)"). */
enum drv_step	run_cc_fail(struct drv_target *, const struct ipmi_response *,
		    const char *what);
/* Width of the widest host name (at least min), for table columns. */
size_t		run_name_width(const struct run *, size_t min);
/* "host: error: reason: message" for a failed host, as power verbs print. */
void		run_print_error(const struct host *);

#endif
