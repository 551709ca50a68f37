/*
 * evtab: the IPMI spec's names for sensor types, event/reading types and
 * event offsets (IPMI v2.0 rev 1.1, tables 36-1 to 36-3, 42-1 to 42-3),
 * shared by sensor decoding (discrete sensor states) and SEL descriptions.
 * Pure tables: every string is static, never NULL unless documented.
 */
#ifndef BMCFLEET_IPMI_EVTAB_H
#define BMCFLEET_IPMI_EVTAB_H

#include <stdint.h>

/* Event/reading type codes (table 42-1) */
#define IPMI_EVT_THRESHOLD	0x01
#define IPMI_EVT_SENSOR_SPECIFIC 0x6f

/* "Temperature", "Voltage", ... as ipmitool prints them; OEM (C0h-FFh)
 * gives "OEM reserved"; an unassigned code gives "Unknown". */
const char	*ipmi_sensor_type_name(uint8_t sensor_type);

/* "Threshold", "Discrete", "Sensor-specific", "OEM" ... */
const char	*ipmi_event_type_name(uint8_t event_type);

/*
 * The spec's words for offset (0-15) of an event or a discrete state:
 * generic tables for event/reading types 02h-0Ch, the threshold table for
 * 01h ("Upper Critical going high"), the sensor-specific table of
 * sensor_type for 6Fh ("Power Supply AC lost").  NULL when the spec
 * defines nothing there (the caller prints the offset number).
 */
const char	*ipmi_event_string(uint8_t event_type, uint8_t sensor_type,
		    uint8_t offset);

#endif
