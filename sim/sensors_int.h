/*
 * sensors_int: what the files of bmcsim's sensors (sensors.h) share, and
 * nothing else includes.
 *
 *   sensors.c      the SDR repositories built from the tables, the
 *                  readings, and the SDR and sensor commands
 *   sensors_tab.c  the tables: each model's sensors, their classes
 *                  (types, units, conversion factors) and thresholds
 */
#ifndef BMCFLEET_SIM_SENSORS_INT_H
#define BMCFLEET_SIM_SENSORS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi/sdr.h"

struct sim_model;

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define TH_NONE		(-1000)	/* no such threshold */
#define OFF_NA		(-1000)	/* reading unavailable while powered off */
#define OFF_SAME	(-1001)	/* standby: reads the same on and off */

#define THR		0x01	/* threshold event/reading type */

/* entity IDs, table 43-13 */
#define ENT_CPU	0x03
#define ENT_BOARD	0x07
#define ENT_PSU	0x0a
#define ENT_BOARD2 0x10	/* system internal expansion board (riser) */
#define ENT_PWR	0x13	/* power unit */
#define ENT_CHASS	0x17
#define ENT_DRIVE	0x1a
#define ENT_FAN	0x1d
#define ENT_MEMD	0x20
#define ENT_BIOS	0x22
#define ENT_BATT	0x28
#define ENT_AIR	0x37	/* air inlet */

/* What a kind of sensor is: record type, types, units, conversion. */
struct cls {
	uint8_t		rec;		/* full, compact, event-only */
	uint8_t		stype;		/* sensor type, table 42-3 */
	uint8_t		etype;		/* event/reading type, table 42-1 */
	uint8_t		format;		/* SDR_FMT_* (full records) */
	uint8_t		percent;	/* units 1 bit 0 */
	uint8_t		unit;		/* units 2, table 43-15 */
	uint8_t		linear;		/* SDR_L_* */
	int16_t		m, b;
	int8_t		k1, k2;
	uint8_t		hyst;		/* both ways, raw counts */
	uint8_t		dir;		/* 1 input, 2 output */
	uint16_t	smask;		/* discrete: states it can assert */
};

/*
 * One sensor of a model.  Analog: nom is the raw reading (as a signed
 * number for the signed formats) when powered on, before the per-BMC
 * offset (+-jit) and the drift (amp counts peak to peak); off the reading
 * when powered off, OFF_NA or OFF_SAME.  Discrete: nom and off are the
 * asserted states on and off.
 */
struct sdef {
	uint8_t		 num;
	const char	*name;
	const struct cls *cls;
	uint8_t		 entity;
	uint8_t		 inst;
	int16_t		 nom;
	int16_t		 off;
	uint8_t		 amp;
	uint8_t		 jit;
	int16_t		 th[SDR_TH_COUNT];	/* LNC LCR LNR UNC UCR UNR */
};

/* Per model: the sensor table, record IDs, and the locators' names. */
struct mdef {
	const char		*model;		/* sim_model name */
	const struct sdef	*sensors;
	size_t			 nsensors;
	uint16_t		 first_id;
	uint16_t		 id_step;
	const char		*mc_name;
};

/*
 * The table of model m, and its place in the list (*index: the
 * repository's time stamps differ by it); an unknown model, or NULL, gets
 * the first.
 */
const struct mdef *sensors_mdef_for(const struct sim_model *m, unsigned *index);

#endif
