/*
 * sensors: each model's SDR repository and the readings of its sensors,
 * pure like bmc.c: a reading is a function of the BMC's seed, its power
 * state and the time, so tests can assert exact values and an idle fleet
 * costs nothing.  The repositories are built once per model and shared by
 * every BMC of that model.
 *
 * Sensors every model has (store_sel.c's SEL events refer to them):
 *   0x01 "CPU1 Temp"   full, threshold, temperature, M=1 B=0, unsigned,
 *                      degrees C; UNC 85, UC 90, UNR 95 (raw = degrees)
 *   0x50 "Power Unit"  event-only or full, type 09h, event type 6Fh
 *   0x60 "PS1 Status"  type 08h, event type 6Fh (presence, failure, AC lost)
 *   0x61 "PS2 Status"  type 08h, event type 6Fh
 *   0x70 "Memory"      type 0Ch, event type 6Fh (correctable, uncorrectable
 *                      ECC)
 * and a FRU device locator (11h) for logical FRU device 1, "PS1 FRU".
 */
#ifndef BMCFLEET_SIM_SENSORS_H
#define BMCFLEET_SIM_SENSORS_H

#include <stdint.h>

#include "ipmi/buf.h"
#include "ipmi/msg.h"

struct sim_bmc;

#define SIM_SENSOR_CPU1_TEMP	0x01
#define SIM_SENSOR_POWER_UNIT	0x50
#define SIM_SENSOR_PS1		0x60
#define SIM_SENSOR_PS2		0x61
#define SIM_SENSOR_MEMORY	0x70
#define SIM_FRU_PS1		1

/*
 * Get SDR Repository Info, Reserve SDR Repository, Get SDR, Get Sensor
 * Reading, Get Sensor Thresholds (and what else sensors need).  Returns
 * -1 when req is not one of these, else the completion code with the
 * response data written to w.
 */
/*
 * Readings move by at most one raw count per window_ms (30000 unless set);
 * 0 freezes every reading at its start value.  Fleet-wide, set once
 * before any reading.
 */
void	sim_sensors_configure(uint32_t window_ms);

int	sim_sensors_handle(struct sim_bmc *, uint64_t now,
	    const struct ipmi_msg *req, struct buf *w);

/*
 * The raw reading byte of threshold sensor number at now, as Get Sensor
 * Reading would answer it (per the SDR's format and factors): for a SEL
 * event's trigger reading, say.  Returns 0, or -1 when there is no such
 * threshold sensor or its reading is unavailable now (powered off).
 */
int	sim_sensor_raw(struct sim_bmc *, uint64_t now, uint8_t number,
	    uint8_t *raw);

/*
 * The entity ID and instance of sensor number in the BMC's SDR (for a
 * PET's entity fields); -1 and zeros when there is no such sensor.
 */
int	sim_sensor_entity(const struct sim_bmc *, uint8_t number,
	    uint8_t *entity, uint8_t *instance);

#endif
