/*
 * fleetmem: the latest sweep of every BMC, held in memory for bmcfleetd's
 * /metrics, /ipmi and status page (a scrape asks no BMC and no database).
 *
 * The sweep (collector/sweep.c) writes into it as each host's tasks
 * finish: Get Device ID, the BIOS version, Get Chassis Status, one
 * reading per sensor, Get SEL Info, the DCMI power reading, and the
 * host's result.  A part the host's last sweep did not get is marked
 * absent at the end of that sweep (fm_end), so what is held is always
 * the latest sweep's, never older news beside newer (but for the BIOS
 * version, asked on the FRU interval only).
 *
 * Memory, for 10,000 BMCs: one struct fm_host each (fixed size), and one
 * array of struct fm_sensor (24 bytes a sensor) per host; sensor names,
 * units and firmware strings are interned once for the whole fleet (a
 * fleet of few models holds each name once).  A sweep in flight holds a
 * second array for the host being read, swapped in when its readings
 * are done.
 *
 * Pure: no I/O, no clock (the caller gives times), one thread.
 */
#ifndef BMCFLEET_COLLECTOR_FLEETMEM_H
#define BMCFLEET_COLLECTOR_FLEETMEM_H

#include <stddef.h>
#include <stdint.h>

struct fleetmem;

/* fm_sensor.state: as the CLI derives it (ipmi/sensor.h sensor_health) */
enum fm_state { FM_NOMINAL, FM_WARNING, FM_CRITICAL, FM_NA };

enum {
	FM_S_VALUE = 1 << 0,	/* value holds a converted reading */
	FM_S_THRESHOLD = 1 << 1,/* a threshold sensor (event type 01h) */
};

struct fm_sensor {
	double		 value;		/* in units; meaningless without
					   FM_S_VALUE */
	uint32_t	 name;		/* fleetmem_str */
	uint32_t	 units;		/* fleetmem_str: the long form,
					   "degrees C"; 0 "" */
	uint16_t	 record_id;
	uint8_t		 number;
	uint8_t		 type;		/* IPMI sensor type (table 42-3) */
	uint8_t		 state;		/* enum fm_state */
	uint8_t		 flags;		/* FM_S_* */
};

/* fm_host.have: what the latest sweep got */
enum {
	FM_H_DEVID = 1 << 0,
	FM_H_SYSFW = 1 << 1,
	FM_H_CHASSIS = 1 << 2,
	FM_H_SENSORS = 1 << 3,	/* the readings phase ran to its end */
	FM_H_SEL = 1 << 4,
	FM_H_DCMI = 1 << 5,
	FM_H_SWEPT = 1 << 6,	/* a sweep ended: up, reason, when */
};

struct fm_host {
	const char	*name;		/* interned; stable */
	uint64_t	 when_ms;	/* unix ms the latest sweep ended */
	uint32_t	 dur_ms;	/* and how long it took */
	uint8_t		 have;		/* FM_H_* */
	uint8_t		 got;		/* FM_H_* of the sweep in flight */
	uint8_t		 up;
	uint8_t		 reason;	/* enum drv_fail when !up */
	/* Get Device ID */
	uint32_t	 manufacturer;	/* IANA */
	uint16_t	 product;
	uint8_t		 fw_major, fw_minor;
	uint8_t		 ipmi_version;	/* BCD */
	/* Get Chassis Status (IPMI v2.0 28.2) */
	uint8_t		 power_on;
	uint8_t		 chassis_misc;	/* byte 3: bit 2 drive fault,
					   bit 3 cooling/fan fault */
	/* Get SEL Info */
	uint16_t	 sel_entries;
	uint16_t	 sel_free;	/* bytes; FFFFh 65535 or more */
	/* DCMI Get Power Reading */
	uint16_t	 dcmi_watts;
	uint32_t	 sysfw;		/* fleetmem_str: BIOS version */
	/* the latest sweep's readings, in the order they were read */
	struct fm_sensor *s;
	uint32_t	 ns;
	/* the sweep in flight's, swapped in by fm_sensors_end */
	struct fm_sensor *next;
	uint32_t	 nnext, capnext;
};

struct fleetmem *fleetmem_new(void);	/* NULL on ENOMEM */
void	fleetmem_free(struct fleetmem *);

/* The host named name, added when new (NULL on ENOMEM); stable until
 * fleetmem_free. */
struct fm_host *fleetmem_host(struct fleetmem *, const char *name);
/* NULL when none */
const struct fm_host *fleetmem_find(const struct fleetmem *,
	    const char *name);
/* Hosts in the order they were added, i < fleetmem_count. */
size_t	fleetmem_count(const struct fleetmem *);
const struct fm_host *fleetmem_at(const struct fleetmem *, size_t i);
/* An interned string's text ("" for 0). */
const char *fleetmem_str(const struct fleetmem *, uint32_t id);
/* Intern s: its id (never 0 for a non-empty s), 0 for "" and on ENOMEM. */
uint32_t fleetmem_intern(struct fleetmem *, const char *s);
/* Bytes held: hosts, sensor arrays, interned strings, the index. */
size_t	fleetmem_bytes(const struct fleetmem *);

/*
 * One host's sweep: fm_begin, then what it learns in any order, then
 * fm_end.  A part not set between them is absent afterwards.
 */
void	fm_begin(struct fm_host *);
void	fm_devid(struct fm_host *, uint32_t manufacturer, uint16_t product,
	    uint8_t fw_major, uint8_t fw_minor, uint8_t ipmi_version);
void	fm_sysfw(struct fleetmem *, struct fm_host *, const char *version);
void	fm_chassis(struct fm_host *, int power_on, uint8_t misc);
/*
 * The readings: fm_sensors_begin with how many to expect (a hint),
 * fm_sensor per reading, fm_sensors_end when the phase ran to its end
 * (the new array replaces the last).  -1 on ENOMEM (that reading lost).
 */
int	fm_sensors_begin(struct fm_host *, size_t expect);
int	fm_sensor(struct fleetmem *, struct fm_host *, uint16_t record_id,
	    uint8_t number, uint8_t type, const char *name, const char *units,
	    int threshold, int have_value, double value, int state);
void	fm_sensors_end(struct fm_host *);
void	fm_sel(struct fm_host *, uint16_t entries, uint16_t free_bytes);
void	fm_dcmi(struct fm_host *, uint16_t watts);
void	fm_end(struct fm_host *, int up, int reason, uint64_t when_ms,
	    uint32_t dur_ms);

#endif
