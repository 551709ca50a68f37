/*
 * model: the server models bmcsim can pretend to be: what Get Device ID
 * says (manufacturer, product, firmware) for each.  Real IANA enterprise
 * numbers, so ipmitool and FreeIPMI print real manufacturer names.
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
};

/* The model with that name, or NULL. */
const struct sim_model *sim_model_find(const char *name);
/* Model number i of the table (wrapping), for "--model mix". */
const struct sim_model *sim_model_nth(unsigned i);
/* "dell-r640, hpe-dl380, ..." for help and error messages. */
const char	*sim_model_names(void);

#endif
