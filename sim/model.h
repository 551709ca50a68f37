/*
 * model: the server models bmcsim can pretend to be: what Get Device ID
 * says (manufacturer, product, firmware) for each.  Real IANA enterprise
 * numbers, so ipmitool and FreeIPMI print real manufacturer names.
 *
 * Each model also has its own power timing, the defaults a fleet's knobs
 * (power_delay_ms, power_off_delay_ms, power_ramp_ms) override: how long a
 * chassis control takes to power the host on and off, and how long its
 * draw takes to rise to its peak after power-on (store_dcmi.c's readings).
 * The figures are plausible for the class of server, not measured.
 *
 * The LAN channel is 1, as on most BMCs, but 2 on hpe-dl380 (as on iLO),
 * so clients must find it with Get Channel Info (pefsim.h).
 */
#ifndef BMCFLEET_SIM_MODEL_H
#define BMCFLEET_SIM_MODEL_H

#include <stdint.h>

struct sim_model {
	const char	*name;		/* "dell-r640" */
	const char	*vendor;	/* for humans: "Dell Inc." */
	uint32_t	 manufacturer;	/* IANA enterprise number */
	uint16_t	 product;
	uint8_t		 device_id;
	uint8_t		 device_rev;
	uint8_t		 fw_major;
	uint8_t		 fw_minor;	/* binary; sent as BCD */
	uint8_t		 aux[4];
	uint32_t	 power_on_ms;	/* chassis control to power on */
	uint32_t	 power_off_ms;	/* ...and to power off (hard) */
	uint32_t	 ramp_ms;	/* draw rising to its peak after on */
	uint8_t		 lan_channel;	/* the LAN channel's number; 0: 1 */
};

/* The model with that name, or NULL. */
const struct sim_model *sim_model_find(const char *name);
/* Model number i of the table (wrapping), for "--model mix". */
const struct sim_model *sim_model_nth(unsigned i);
/* "dell-r640, hpe-dl380, ..." for help and error messages. */
const char	*sim_model_names(void);

#endif
