/*
 * bmcstate: what one simulated BMC is, below every part that acts on it:
 * struct sim_bmc, its counters, and the power state.  bmc.c (the
 * commands and the dispatch), store.c, sensors.c and hostile.c all work
 * on this struct; keeping it here, apart from bmc.c, lets them do so
 * without including the dispatcher that includes them.
 *
 * Power changes are not instant, as on real hardware: a chassis control
 * (bmc.c) schedules up to two transitions in pending[] (a cycle is off,
 * then on) that take effect when their time has come; sim_bmc_power
 * applies them lazily whenever the state is looked at, so an idle fleet
 * needs no timers.  Each change is handed to power_event, which the SEL
 * logs.
 */
#ifndef BMCFLEET_SIM_BMCSTATE_H
#define BMCFLEET_SIM_BMCSTATE_H

#include <stdint.h>

struct sim_model;

struct sim_power_step {
	uint64_t	when;	/* 0 = unused */
	int		on;
};

/*
 * What happened, for --stats and for tests of staged power operations.
 * ctl[] counts each Chassis Control executed (accepted with 00h, ignored
 * ones too) once: a copy resent in the same session after a lost answer is
 * answered again from sess_cmd.c's cache and counted in ctl_resent instead.
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
					 * each once: sess_cmd.c */
	uint32_t	readings_resent; /* copies answered again */
	uint32_t	get_sensor_thresholds;
	uint32_t	get_sel_entry;
	uint32_t	clear_sel;
	uint32_t	read_fru;	/* Read FRU Data */
	uint32_t	dcmi_power;	/* Get Power Reading */
	uint32_t	set_boot;	/* Set System Boot Options */
	uint32_t	quirk_drops;	/* requests a quirk left unanswered */
	uint32_t	reboots;	/* quirk reboot: sessions forgotten */
	/* PET traps (pefsim.h) */
	uint32_t	pet_sent;	/* first copies */
	uint32_t	pet_resent;	/* copies resent, no ack yet */
	uint32_t	pet_acked;	/* PET Acknowledges that matched */
	uint32_t	pet_gave_up;	/* retries spent, never acknowledged */
	uint32_t	pet_ack_unknown; /* PET Acknowledges matching none */
	/* SDR repository walks: Get SDR answered for the repository's
	 * second record from offset 0 (sensors.c), what a reader does only
	 * past the first record; bmcfleet's probe of the first record is
	 * not one.  A resent copy counts again. */
	uint32_t	sdr_walks;
	uint32_t	cipher_suites;	/* Get Channel Cipher Suites received,
					 * answered or not */
};

struct sim_store;
struct sim_pef;

struct sim_bmc {
	const struct sim_model	*model;
	uint8_t		 guid[16];
	uint32_t	 power_on_delay_ms;
	uint32_t	 power_off_delay_ms;
	uint32_t	 soft_off_ms;	/* soft off: the off delay plus this */
	uint32_t	 ramp_ms;	/* store_dcmi.c: draw rising to peak */
	uint8_t		 refuse_power;	/* Chassis Control answered D5h */
	uint8_t		 ignore_power;	/* accepted, and nothing happens */
	uint32_t	 quirks;	/* SIM_Q_* (quirk.h) */
	uint8_t		 fw_rev;	/* an update: firmware and BIOS
					   versions moved on by this */
	int		 power_on;
	struct sim_power_step pending[2];
	uint64_t	 power_changed;	/* when power_on last changed */
	uint64_t	 power_on_at;	/* last change to on; 0 never */
	uint64_t	 power_off_at;	/* last change to off; 0 never */
	uint64_t	 identify_until; /* 0 off, UINT64_MAX forced on */
	struct sim_counters cnt;
	uint64_t	 seed;		/* per BMC: GUID, serials, readings */
	uint32_t	 index;		/* 0-based place in the fleet */
	uint32_t	 addr;		/* its IPv4 address, host order (LAN
					 * parameter 3, the traps' agent) */
	struct sim_store *store;	/* SEL, FRU, boot options: store.c */
	struct sim_pef	*pef;		/* PEF, LAN alerting: pefsim.c */
	uint16_t	 sdr_resv;	/* sensors.c: SDR reservation, 0 none */
	uint32_t	 churn;		/* hostile.c: quirk churn's moves */
	/* a power change took effect: the store's SEL logs it (bmc.c sets
	 * sim_store_power_event; NULL logs nothing) */
	void		(*power_event)(struct sim_bmc *, uint64_t when,
			    int on);
};

/* Apply due power transitions; returns the power state at now. */
int	sim_bmc_power(struct sim_bmc *, uint64_t now);

#endif
