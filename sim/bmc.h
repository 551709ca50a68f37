/*
 * bmc: one simulated BMC's state and its IPMI command handlers, pure: the
 * caller passes the current time (ms, monotonic) and gets a completion code
 * and response data back.  No sockets, no sessions (sess.c), no clock.
 *
 * Power changes are not instant, as on real hardware: a chassis control
 * schedules up to two transitions (a cycle is off, then on) that take
 * effect when their time has come; they are applied lazily whenever the
 * state is looked at, so an idle fleet needs no timers.  Powering on takes
 * power_on_delay_ms, off power_off_delay_ms; a soft off (ACPI, 05h) takes
 * the off delay plus soft_off_ms, the host's OS shutting down.  A cycle is
 * off after the off delay, on again after the on delay; a new command
 * replaces whatever is still pending (a hard off ends a slow soft off).
 *
 * Hosts that misbehave, for tests of power scheduling: refuse_power
 * answers every Chassis Control with D5h ("command not supported in
 * present state": a definite refusal, which clients do not retry, unlike
 * C0h "node busy"); ignore_power accepts it (00h) and nothing happens, a
 * stuck host.
 */
#ifndef BMCFLEET_SIM_BMC_H
#define BMCFLEET_SIM_BMC_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi/msg.h"

struct sim_model;

struct sim_power_step {
	uint64_t	when;	/* 0 = unused */
	int		on;
};

/*
 * What happened, for --stats and for tests of staged power operations.
 * ctl[] counts each Chassis Control executed (accepted with 00h, ignored
 * ones too) once: a copy resent in the same session after a lost answer is
 * answered again from sess.c's cache and counted in ctl_resent instead.
 */
struct sim_counters {
	uint32_t	ctl[6];		/* chassis control, by IPMI_CHASSIS_* */
	uint32_t	ctl_refused;	/* answered D5h: refuse_power */
	uint32_t	ctl_resent;	/* duplicates answered from the cache */
	uint32_t	identify;
	uint32_t	sessions;	/* sessions activated */
	uint32_t	refused;	/* handshakes refused: password, user */
	uint32_t	noslot;		/* refused for want of a session slot */
	uint32_t	rx;		/* datagrams received */
	uint32_t	dropped;	/* lost on purpose (--loss, dead) */
	uint32_t	bad;		/* undecodable or failing verification */
	/* data commands served (sensors.c, store.c) */
	uint32_t	get_sdr;	/* Get SDR, every partial read */
	uint32_t	get_sensor_reading;	/* every request, errors too */
	uint32_t	readings;	/* Get Sensor Reading answered 00h,
					 * each once: sess.c */
	uint32_t	readings_resent; /* copies answered again */
	uint32_t	get_sensor_thresholds;
	uint32_t	get_sel_entry;
	uint32_t	clear_sel;
	uint32_t	read_fru;	/* Read FRU Data */
	uint32_t	dcmi_power;	/* Get Power Reading */
	uint32_t	set_boot;	/* Set System Boot Options */
	uint32_t	quirk_drops;	/* requests a quirk left unanswered */
	uint32_t	reboots;	/* quirk reboot: sessions forgotten */
};

struct sim_store;

struct sim_bmc {
	const struct sim_model	*model;
	uint8_t		 guid[16];
	uint32_t	 power_on_delay_ms;
	uint32_t	 power_off_delay_ms;
	uint32_t	 soft_off_ms;	/* soft off: the off delay plus this */
	uint32_t	 ramp_ms;	/* store.c: draw rising to its peak */
	uint8_t		 refuse_power;	/* Chassis Control answered D5h */
	uint8_t		 ignore_power;	/* accepted, and nothing happens */
	uint32_t	 quirks;	/* SIM_Q_* (quirk.h) */
	int		 power_on;
	struct sim_power_step pending[2];
	uint64_t	 power_changed;	/* when power_on last changed */
	uint64_t	 power_on_at;	/* last change to on; 0 never */
	uint64_t	 power_off_at;	/* last change to off; 0 never */
	uint64_t	 identify_until; /* 0 off, UINT64_MAX forced on */
	struct sim_counters cnt;
	uint64_t	 seed;		/* per BMC: GUID, serials, readings */
	uint32_t	 index;		/* 0-based place in the fleet */
	struct sim_store *store;	/* SEL, FRU, boot options: store.c */
	uint16_t	 sdr_resv;	/* sensors.c: SDR reservation, 0 none */
	uint32_t	 churn;		/* hostile.c: quirk churn's moves */
};

#define SIM_SOFT_OFF_MS	5000	/* default soft_off_ms: an OS shutdown */

/*
 * A BMC of this model, powered off.  guid_seed makes the GUID unique.
 * Powering on and off both take power_delay_ms, soft off SIM_SOFT_OFF_MS
 * more; the draw ramps over the model's ramp_ms.  The caller may set the
 * power fields (delays, ramp, refuse/ignore, power_on) afterwards, before
 * the first command.
 */
void	sim_bmc_init(struct sim_bmc *, const struct sim_model *,
	    uint64_t guid_seed, uint32_t power_delay_ms);

/* Free what the BMC allocated on demand (store.c's SEL). */
void	sim_bmc_release(struct sim_bmc *);

/* Apply due power transitions; returns the power state at now. */
int	sim_bmc_power(struct sim_bmc *, uint64_t now);

/*
 * Handle a request that arrived in a session at privilege priv.  Writes the
 * response data (after the completion code) to out (cap bytes, at least
 * IPMI_MAX_PAYLOAD) and its length to *outlen; returns the completion code.
 * Session commands (Set Session Privilege, Close Session) are sess.c's.
 */
uint8_t	sim_bmc_handle(struct sim_bmc *, uint64_t now, uint8_t priv,
	    const struct ipmi_msg *req, uint8_t *out, size_t cap,
	    size_t *outlen);

#endif
