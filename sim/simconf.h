/*
 * simconf: bmcsim's configuration, from the command line and an optional
 * YAML file (--config).  The file is read first; options on the command
 * line override it.  Per-BMC knobs start from the fleet-wide defaults and
 * take every matching "bmcs:" override in file order (then --dead,
 * --refuse-power and --ignore-power).
 *
 *   count: 50                    # like --count
 *   base: 127.0.1.1              # like --base
 *   port: 623
 *   seed: 1
 *   suites: [3, 17]              # cipher suites offered
 *   v15_auth: [md5, straight]    # IPMI v1.5 auth types offered
 *   kg: "0123...(hex)"           # BMC key; default: none (K_g = K_uid)
 *   users:
 *     - {name: admin, password: s3cret, privilege: admin}
 *     - {name: ops, password_file: /etc/ops.pw, privilege: operator}
 *   defaults:                    # every knob below, fleet-wide
 *     model: mix                 # or dell-r640, hpe-dl380, ...
 *     latency_ms: 0
 *     jitter_ms: 0
 *     loss: 0                    # percent of requests dropped
 *     power_delay_ms: 1500       # on and off; default: the model's
 *     power_off_delay_ms: 800    # off only; default: power_delay_ms
 *                                # if given, else the model's
 *     soft_off_ms: 5000          # soft off: the off delay plus this
 *     power_ramp_ms: 30000       # draw rising to its peak after power
 *                                # on; default: the model's
 *     session_limit: 4
 *     power: off                 # initial chassis power
 *     dead: false
 *     refuse_power: false        # Chassis Control answered D5h
 *     ignore_power: false        # accepted, power never changes
 *     quirks: [authcap]          # firmware bugs (quirk.h, bmcsim.1);
 *                                # every matching entry's add up;
 *                                # hostile ones too: [slow], [drip]...
 *     slow_ms: 900               # quirk slow: every answer's delay
 *     reboot_after: 20           # quirk reboot: in-session requests
 *                                # until every session is forgotten
 *     reboot_every_ms: 0         # ...or this long after the last
 *                                # reboot; 0: by requests only
 *     sel_capacity: 512          # fleet-wide only: SEL entries per BMC
 *     sel_epoch: 1700000000      # fleet-wide only: SEL time at start
 *     firmware_rev: 0            # an update: Get Device ID's minor
 *                                # version and the BIOS version (Get
 *                                # System Info Parameters) move on by it
 *   bmcs:                        # overrides by 1-based index or range
 *     - {index: 3, dead: true}
 *     - {index: "10-19", model: supermicro-x11, latency_ms: 200}
 *     - {index: 20, ignore_power: true}
 *
 * The models' power timing (model.c; on/off delay, ramp in ms): dell-r640
 * 1500/800, 30000; hpe-dl380 2500/1000, 45000; supermicro-x11 1200/600,
 * 20000; lenovo-sr650 2000/900, 40000; openbmc 1000/500, 25000.
 */
#ifndef BMCFLEET_SIM_SIMCONF_H
#define BMCFLEET_SIM_SIMCONF_H

#include <stddef.h>
#include <stdint.h>

#include "sess.h"

struct sim_model;

#define SIM_KNOB_MODEL	UINT32_MAX	/* a power timing left to the model */

struct sim_knobs {
	const struct sim_model	*model;		/* NULL: "mix" by index */
	uint32_t		 latency_ms;
	uint32_t		 jitter_ms;
	uint32_t		 loss_ppm;	/* parts per million dropped */
	uint32_t		 power_on_delay_ms;	/* or SIM_KNOB_MODEL */
	uint32_t		 power_off_delay_ms;	/* or SIM_KNOB_MODEL */
	uint32_t		 soft_off_ms;
	uint32_t		 power_ramp_ms;		/* or SIM_KNOB_MODEL */
	uint32_t		 session_limit;
	int			 power_on;
	int			 dead;
	int			 refuse_power;
	int			 ignore_power;
	uint32_t		 quirks;	/* SIM_Q_* (quirk.h); add up */
	uint32_t		 slow_ms;	/* quirk slow: answers' delay */
	uint32_t		 reboot_after;	/* quirk reboot: requests */
	uint32_t		 reboot_ms;	/* ...or time; 0 none */
	uint32_t		 fw_rev;	/* firmware and BIOS versions
						   moved on by this many */
};

enum {
	SIM_K_MODEL = 1 << 0,
	SIM_K_LATENCY = 1 << 1,
	SIM_K_JITTER = 1 << 2,
	SIM_K_LOSS = 1 << 3,
	SIM_K_POWER_DELAY = 1 << 4,	/* power_delay_ms: on and off */
	SIM_K_SESSION_LIMIT = 1 << 5,
	SIM_K_POWER = 1 << 6,
	SIM_K_DEAD = 1 << 7,
	SIM_K_POWER_OFF_DELAY = 1 << 8,
	SIM_K_SOFT_OFF = 1 << 9,
	SIM_K_POWER_RAMP = 1 << 10,
	SIM_K_REFUSE_POWER = 1 << 11,
	SIM_K_IGNORE_POWER = 1 << 12,
	SIM_K_QUIRKS = 1 << 13,
	SIM_K_SLOW_MS = 1 << 14,
	SIM_K_REBOOT_AFTER = 1 << 15,
	SIM_K_HOSTILE = 1 << 16,	/* --hostile: hostile_k0 below */
	SIM_K_REBOOT_MS = 1 << 17,
	SIM_K_FW_REV = 1 << 18,
};

struct sim_override {
	uint32_t		first, last;	/* 1-based, inclusive */
	unsigned		set;		/* SIM_K_* given */
	struct sim_knobs	k;
	/* SIM_K_HOSTILE: BMC first is the hostile_k0-th of its --hostile
	 * list, and takes sim_quirk_hostile_nth(hostile_k0); the next
	 * BMC the next set, and so on */
	uint32_t		hostile_k0;
};

#define SIM_MAX_USERS	16
#define SIM_MAX_COUNT	65536

struct sim_conf {
	uint32_t		 count;
	uint32_t		 base;		/* IPv4, host byte order */
	uint16_t		 port;
	uint64_t		 seed;
	struct sim_knobs	 def;
	struct sim_user		 users[SIM_MAX_USERS];
	struct sim_auth		 auth;		/* users points at users[] */
	struct sim_override	*ov;		/* owned */
	size_t			 nov;
	char			*stats_path;	/* owned; NULL = none */
	char			*sel_dump_path;	/* owned; NULL = none */
	char			*control_path;	/* owned; --control; NULL = none */
	uint32_t		 sel_rate;	/* --sel-rate per minute; 0 =
						 * every 2..10 min by seed */
	uint32_t		 sel_capacity;	/* SEL entries; 0 = default */
	uint32_t		 sel_epoch;	/* SEL time at start; 0 = now */
	uint32_t		 reading_window_ms; /* readings move at most a
						     count per window; 0 =
						     frozen */
	int			 quiet;
};

/* Defaults: 1 BMC at 127.0.1.1:623, user admin/admin, suites 3 and 17. */
void	simconf_init(struct sim_conf *);
void	simconf_release(struct sim_conf *);

/*
 * Parse argv (and the --config file it names).  Returns 0, 1 when --help
 * or --version was printed to stdout (exit 0), or -1 with err filled.
 * A --password argument is overwritten in argv so ps(1) does not show it.
 */
int	simconf_parse(struct sim_conf *, int argc, char **argv, char *err,
	    size_t errlen);
/* Read a YAML file into the configuration; -1 with "FILE:LINE:COL: ..." */
int	simconf_load(struct sim_conf *, const char *path, char *err,
	    size_t errlen);

/*
 * The knobs of BMC number index (0-based).  Power timings may still be
 * SIM_KNOB_MODEL: simconf_power resolves them for the BMC's model.
 */
void	simconf_knobs(const struct sim_conf *, uint32_t index,
	    struct sim_knobs *);

/* A BMC's power timing in ms: its knobs where set, else the model's. */
void	simconf_power(const struct sim_knobs *, const struct sim_model *,
	    uint32_t *on_ms, uint32_t *off_ms, uint32_t *ramp_ms);

/* "3,7,10-12" -> overrides setting dead; -1 on a bad list. */
int	simconf_add_dead(struct sim_conf *, const char *list, char *err,
	    size_t errlen);
/* "NAME[,NAME...][:LIST]" (--quirk): quirks for the BMCs of LIST, or for
 * every BMC; -1 on an unknown name or a bad list. */
int	simconf_add_quirks(struct sim_conf *, const char *arg, char *err,
	    size_t errlen);
/* "191-200" (--hostile): the BMCs of LIST hostile, each in one way, the
 * ways in turn (sim_quirk_hostile_nth); -1 on a bad list. */
int	simconf_add_hostile(struct sim_conf *, const char *list, char *err,
	    size_t errlen);
/* The same for refuse_power (ignore 0) or ignore_power (ignore 1). */
int	simconf_add_misbehaving(struct sim_conf *, const char *list,
	    int ignore, char *err, size_t errlen);

#endif
