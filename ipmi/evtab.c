#include <stddef.h>

#include "evtab.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Table 42-3, sensor type codes, spelled as ipmitool prints them. */
static const char *const sensor_types[] = {
	[0x01] = "Temperature",
	[0x02] = "Voltage",
	[0x03] = "Current",
	[0x04] = "Fan",
	[0x05] = "Physical Security",
	[0x06] = "Platform Security",
	[0x07] = "Processor",
	[0x08] = "Power Supply",
	[0x09] = "Power Unit",
	[0x0a] = "Cooling Device",
	[0x0b] = "Other",
	[0x0c] = "Memory",
	[0x0d] = "Drive Slot / Bay",
	[0x0e] = "POST Memory Resize",
	[0x0f] = "System Firmwares",
	[0x10] = "Event Logging Disabled",
	[0x11] = "Watchdog1",
	[0x12] = "System Event",
	[0x13] = "Critical Interrupt",
	[0x14] = "Button",
	[0x15] = "Module / Board",
	[0x16] = "Microcontroller",
	[0x17] = "Add-in Card",
	[0x18] = "Chassis",
	[0x19] = "Chip Set",
	[0x1a] = "Other FRU",
	[0x1b] = "Cable / Interconnect",
	[0x1c] = "Terminator",
	[0x1d] = "System Boot Initiated",
	[0x1e] = "Boot Error",
	[0x1f] = "OS Boot",
	[0x20] = "OS Critical Stop",
	[0x21] = "Slot / Connector",
	[0x22] = "System ACPI Power State",
	[0x23] = "Watchdog2",
	[0x24] = "Platform Alert",
	[0x25] = "Entity Presence",
	[0x26] = "Monitor ASIC",
	[0x27] = "LAN",
	[0x28] = "Management Subsystem Health",
	[0x29] = "Battery",
	[0x2a] = "Session Audit",
	[0x2b] = "Version Change",
	[0x2c] = "FRU State",
};

const char *
ipmi_sensor_type_name(uint8_t t)
{
	if (t >= 0xc0)
		return "OEM reserved";
	if (t < NELEM(sensor_types) && sensor_types[t] != NULL)
		return sensor_types[t];
	return "Unknown";
}

const char *
ipmi_event_type_name(uint8_t t)
{
	if (t == 0x00)
		return "Unspecified";
	if (t == IPMI_EVT_THRESHOLD)
		return "Threshold";
	if (t >= 0x02 && t <= 0x0c)
		return "Discrete";
	if (t == IPMI_EVT_SENSOR_SPECIFIC)
		return "Sensor-specific";
	if (t >= 0x70 && t <= 0x7f)
		return "OEM";
	return "Unknown";
}

/* Offsets 0-15 of one table, NULL where the spec defines nothing. */
typedef const char *const offsets[16];

/* Table 42-2: the threshold table (01h) and the generic ones (02h-0Ch). */
static offsets generic[0x0d] = {
	[0x01] = {
		"Lower Non-critical going low",
		"Lower Non-critical going high",
		"Lower Critical going low",
		"Lower Critical going high",
		"Lower Non-recoverable going low",
		"Lower Non-recoverable going high",
		"Upper Non-critical going low",
		"Upper Non-critical going high",
		"Upper Critical going low",
		"Upper Critical going high",
		"Upper Non-recoverable going low",
		"Upper Non-recoverable going high",
	},
	[0x02] = { "Transition to Idle", "Transition to Active",
	    "Transition to Busy" },
	[0x03] = { "State Deasserted", "State Asserted" },
	[0x04] = { "Predictive Failure Deasserted",
	    "Predictive Failure Asserted" },
	[0x05] = { "Limit Not Exceeded", "Limit Exceeded" },
	[0x06] = { "Performance Met", "Performance Lags" },
	[0x07] = {
		"Transition to OK",
		"Transition to Non-critical from OK",
		"Transition to Critical from less severe",
		"Transition to Non-recoverable from less severe",
		"Transition to Non-critical from more severe",
		"Transition to Critical from Non-recoverable",
		"Transition to Non-recoverable",
		"Monitor",
		"Informational",
	},
	[0x08] = { "Device Absent", "Device Present" },
	[0x09] = { "Device Disabled", "Device Enabled" },
	[0x0a] = {
		"Transition to Running",
		"Transition to In Test",
		"Transition to Power Off",
		"Transition to On Line",
		"Transition to Off Line",
		"Transition to Off Duty",
		"Transition to Degraded",
		"Transition to Power Save",
		"Install Error",
	},
	[0x0b] = {
		"Fully Redundant",
		"Redundancy Lost",
		"Redundancy Degraded",
		"Non-Redundant: Sufficient from Redundant",
		"Non-Redundant: Sufficient from Insufficient",
		"Non-Redundant: Insufficient Resources",
		"Redundancy Degraded from Fully Redundant",
		"Redundancy Degraded from Non-Redundant",
	},
	[0x0c] = { "D0 Power State", "D1 Power State", "D2 Power State",
	    "D3 Power State" },
};

/*
 * Table 42-3: sensor-specific offsets (event/reading type 6Fh), by sensor
 * type.  Where event data 2 refines an offset (system firmware progress,
 * power supply configuration error, version change) the offset's own
 * name is given.
 */
static offsets specific[0x2d] = {
	[0x05] = {
		"General Chassis intrusion",
		"Drive Bay intrusion",
		"I/O Card area intrusion",
		"Processor area intrusion",
		"System unplugged from LAN",
		"Unauthorized dock",
		"FAN area intrusion",
	},
	[0x06] = {
		"Front Panel Lockout violation attempted",
		"Pre-boot password violation - user password",
		"Pre-boot password violation - setup password",
		"Pre-boot password violation - network boot password",
		"Other pre-boot password violation",
		"Out-of-band access password violation",
	},
	[0x07] = {
		"IERR",
		"Thermal Trip",
		"FRB1/BIST failure",
		"FRB2/Hang in POST failure",
		"FRB3/Processor startup/init failure",
		"Configuration Error",
		"SM BIOS Uncorrectable CPU-complex Error",
		"Presence detected",
		"Disabled",
		"Terminator presence detected",
		"Throttled",
		"Uncorrectable machine check exception",
		"Correctable machine check error",
	},
	[0x08] = {
		"Presence detected",
		"Failure detected",
		"Predictive failure",
		"Power Supply AC lost",
		"AC lost or out-of-range",
		"AC out-of-range, but present",
		"Config Error",
		"Power Supply Inactive",
	},
	[0x09] = {
		"Power off/down",
		"Power cycle",
		"240VA power down",
		"Interlock power down",
		"AC lost",
		"Soft-power control failure",
		"Failure detected",
		"Predictive failure",
	},
	[0x0c] = {
		"Correctable ECC",
		"Uncorrectable ECC",
		"Parity",
		"Memory Scrub Failed",
		"Memory Device Disabled",
		"Correctable ECC logging limit reached",
		"Presence Detected",
		"Configuration Error",
		"Spare",
		"Throttled",
		"Critical Overtemperature",
	},
	[0x0d] = {
		"Drive Present",
		"Drive Fault",
		"Predictive Failure",
		"Hot Spare",
		"Parity Check In Progress",
		"In Critical Array",
		"In Failed Array",
		"Rebuild In Progress",
		"Rebuild Aborted",
	},
	[0x0f] = {
		"System Firmware Error",
		"System Firmware Hang",
		"System Firmware Progress",
	},
	[0x10] = {
		"Correctable memory error logging disabled",
		"Event logging disabled",
		"Log area reset/cleared",
		"All event logging disabled",
		"Log full",
		"Log almost full",
	},
	[0x11] = {
		"BIOS Reset",
		"OS Reset",
		"OS Shut Down",
		"OS Power Down",
		"OS Power Cycle",
		"OS NMI/Diag Interrupt",
		"OS Expired",
		"OS pre-timeout Interrupt",
	},
	[0x12] = {
		"System Reconfigured",
		"OEM System boot event",
		"Undetermined system hardware failure",
		"Entry added to auxiliary log",
		"PEF Action",
		"Timestamp Clock Sync",
	},
	[0x13] = {
		"NMI/Diag Interrupt",
		"Bus Timeout",
		"I/O Channel check NMI",
		"Software NMI",
		"PCI PERR",
		"PCI SERR",
		"EISA failsafe timeout",
		"Bus Correctable error",
		"Bus Uncorrectable error",
		"Fatal NMI",
		"Bus Fatal Error",
		"Bus Degraded",
	},
	[0x14] = {
		"Power Button pressed",
		"Sleep Button pressed",
		"Reset Button pressed",
		"FRU Latch",
		"FRU Service",
	},
	[0x19] = { "Soft Power Control Failure", "Thermal Trip" },
	[0x1b] = { "Connected", "Config Error" },
	[0x1d] = {
		"Initiated by power up",
		"Initiated by hard reset",
		"Initiated by warm reset",
		"User requested PXE boot",
		"Automatic boot to diagnostic",
		"OS initiated hard reset",
		"OS initiated warm reset",
		"System Restart",
	},
	[0x1e] = {
		"No bootable media",
		"Non-bootable disk in drive",
		"PXE server not found",
		"Invalid boot sector",
		"Timeout waiting for selection",
	},
	[0x1f] = {
		"A: boot completed",
		"C: boot completed",
		"PXE boot completed",
		"Diagnostic boot completed",
		"CD-ROM boot completed",
		"ROM boot completed",
		"boot completed - device not specified",
		"Installation started",
		"Installation completed",
		"Installation aborted",
		"Installation failed",
	},
	[0x20] = {
		"Error during system startup",
		"Run-time critical stop",
		"OS graceful stop",
		"OS graceful shutdown",
		"PEF initiated soft shutdown",
		"Agent not responding",
	},
	[0x21] = {
		"Fault Status",
		"Identify Status",
		"Device Installed",
		"Ready for Device Installation",
		"Ready for Device Removal",
		"Slot Power is Off",
		"Device Removal Request",
		"Interlock",
		"Slot is Disabled",
		"Spare Device",
	},
	[0x22] = {
		"S0/G0: working",
		"S1: sleeping with system hw & processor context maintained",
		"S2: sleeping, processor context lost",
		"S3: sleeping, processor & hw context lost, memory retained",
		"S4: non-volatile sleep/suspend-to-disk",
		"S5/G2: soft-off",
		"S4/S5: soft-off",
		"G3: mechanical off",
		"Sleeping in S1/S2/S3 state",
		"G1: sleeping",
		"S5: entered by override",
		"Legacy ON state",
		"Legacy OFF state",
		NULL,
		"Unknown",
	},
	[0x23] = {
		"Timer expired",
		"Hard reset",
		"Power down",
		"Power cycle",
		NULL, NULL, NULL, NULL,
		"Timer interrupt",
	},
	[0x24] = {
		"Platform generated page",
		"Platform generated LAN alert",
		"Platform Event Trap generated",
		"Platform generated SNMP trap, OEM format",
	},
	[0x25] = { "Present", "Absent", "Disabled" },
	[0x27] = { "Heartbeat Lost", "Heartbeat" },
	[0x28] = {
		"Sensor access degraded or unavailable",
		"Controller access degraded or unavailable",
		"Management controller off-line",
		"Management controller unavailable",
		"Sensor failure",
		"FRU failure",
	},
	[0x29] = { "Low", "Failed", "Presence Detected" },
	[0x2a] = {
		"Session Activated",
		"Session Deactivated",
		"Invalid Username or Password",
		"Invalid password disable",
	},
	[0x2b] = {
		"Hardware change detected",
		"Firmware or software change detected",
		"Hardware incompatibility detected",
		"Firmware or software incompatibility detected",
		"Invalid or unsupported hardware version",
		"Invalid or unsupported firmware or software version",
		"Hardware change success",
		"Firmware or software change success",
	},
	[0x2c] = {
		"Not Installed",
		"Inactive",
		"Activation Requested",
		"Activation in Progress",
		"Active",
		"Deactivation Requested",
		"Deactivation in Progress",
		"Communication lost",
	},
};

const char *
ipmi_event_string(uint8_t event_type, uint8_t sensor_type, uint8_t offset)
{
	event_type &= 0x7f;	/* the direction bit, if a caller kept it */
	if (offset > 15)
		return NULL;
	if (event_type < NELEM(generic))
		return generic[event_type][offset];
	if (event_type == IPMI_EVT_SENSOR_SPECIFIC &&
	    sensor_type < NELEM(specific))
		return specific[sensor_type][offset];
	return NULL;
}
