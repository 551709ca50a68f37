/*
 * sensors_tab: the sensors of each model bmcsim plays (sensors_int.h):
 * the classes (record type, sensor and event types, units, conversion
 * factors), then per model every sensor with its entity, its reading on
 * and off, its drift and its thresholds, and the model's record IDs and
 * locator names.  sensors.c builds the SDR repositories and the readings
 * from them.
 */
#include <stddef.h>
#include <string.h>

#include "model.h"
#include "sensors_int.h"

#define FULL		SDR_TYPE_FULL
#define COMPACT		SDR_TYPE_COMPACT
#define EVONLY		SDR_TYPE_EVENT_ONLY
#define SPEC		0x6f	/* sensor-specific */
#define U		SDR_FMT_UNSIGNED
#define S1		SDR_FMT_ONES
#define S2		SDR_FMT_TWOS
#define NOA		SDR_FMT_NONE

/* units 2 */
#define DEGC	1
#define VOLTS	4
#define AMPS	5
#define WATTS	6
#define CFM	17
#define RPM	18

/*
 * Threshold classes: record type, sensor type, event type, format,
 * percent, unit, L, M, B, K1, K2, hysteresis, direction.
 */
static const struct cls T_TEMP =
    { FULL, 0x01, THR, U, 0, DEGC, 0, 1, 0, 0, 0, 2, 0, 0 };
static const struct cls T_TEMP2 =
    { FULL, 0x01, THR, S2, 0, DEGC, 0, 1, 0, 0, 0, 2, 0, 0 };
static const struct cls T_TEMPH =
    { FULL, 0x01, THR, U, 0, DEGC, 0, 5, 0, 0, -1, 2, 0, 0 };
static const struct cls T_MARGIN =
    { FULL, 0x01, THR, S1, 0, DEGC, 0, 1, 0, 0, 0, 1, 0, 0 };
static const struct cls T_FAN120 =
    { FULL, 0x04, THR, U, 0, RPM, 0, 120, 0, 0, 0, 1, 0, 0 };
static const struct cls T_FAN100 =
    { FULL, 0x04, THR, U, 0, RPM, 0, 100, 0, 0, 0, 1, 0, 0 };
static const struct cls T_FANPCT =
    { FULL, 0x04, THR, U, 1, 0, 0, 392, 0, 0, -3, 1, 0, 0 };
static const struct cls T_V12 =
    { FULL, 0x02, THR, U, 0, VOLTS, 0, 63, 0, 0, -3, 2, 0, 0 };
static const struct cls T_V12B =
    { FULL, 0x02, THR, U, 0, VOLTS, 0, 5, 10, 2, -2, 2, 0, 0 };
static const struct cls T_V5 =
    { FULL, 0x02, THR, U, 0, VOLTS, 0, 26, 0, 0, -3, 2, 0, 0 };
static const struct cls T_V33 =
    { FULL, 0x02, THR, U, 0, VOLTS, 0, 17, 0, 0, -3, 2, 0, 0 };
static const struct cls T_VBAT =
    { FULL, 0x02, THR, U, 0, VOLTS, 0, 16, 0, 0, -3, 2, 0, 0 };
static const struct cls T_VCORE =
    { FULL, 0x02, THR, U, 0, VOLTS, 0, 62, 0, 0, -4, 2, 0, 0 };
static const struct cls T_VLOW =
    { FULL, 0x02, THR, U, 0, VOLTS, 0, 1, 0, 0, -2, 2, 0, 0 };
static const struct cls T_VAC =
    { FULL, 0x02, THR, U, 0, VOLTS, 0, 2, 0, 0, 0, 2, 1, 0 };
static const struct cls T_W14 =
    { FULL, 0x0b, THR, U, 0, WATTS, 0, 14, 0, 0, 0, 1, 0, 0 };
static const struct cls T_W4 =
    { FULL, 0x0b, THR, U, 0, WATTS, 0, 4, 0, 0, 0, 1, 1, 0 };
static const struct cls T_W2 =
    { FULL, 0x0b, THR, U, 0, WATTS, 0, 2, 0, 0, 0, 1, 0, 0 };
static const struct cls T_AMP =
    { FULL, 0x03, THR, S2, 0, AMPS, 0, 2, 0, 0, -1, 1, 1, 0 };
/* airflow from the square of a fan-derived raw value: (x / 2)^2 CFM */
static const struct cls T_AIR =
    { FULL, 0x0b, THR, U, 0, CFM, SDR_L_SQR, 5, 0, 0, -1, 1, 0, 0 };

/* Discrete classes: the supported states in smask. */
static const struct cls D_PU =
    { FULL, 0x09, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0051 };
static const struct cls D_PS =
    { COMPACT, 0x08, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x000f };
static const struct cls D_MEM =
    { COMPACT, 0x0c, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0023 };
static const struct cls D_CPU =
    { COMPACT, 0x07, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0083 };
static const struct cls D_INTR =
    { COMPACT, 0x05, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0001 };
static const struct cls D_REDUN =
    { COMPACT, 0x09, 0x0b, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0007 };
static const struct cls D_PRES =
    { COMPACT, 0x15, 0x08, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0003 };
static const struct cls D_DIG =
    { COMPACT, 0x01, 0x03, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0003 };

/* Event-only classes: nothing to read, events in the SEL only. */
static const struct cls E_MEM =
    { EVONLY, 0x0c, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const struct cls E_POST =
    { EVONLY, 0x0f, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const struct cls E_SEL =
    { EVONLY, 0x10, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const struct cls E_SYS =
    { EVONLY, 0x12, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const struct cls E_NMI =
    { EVONLY, 0x13, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const struct cls E_BOOT =
    { EVONLY, 0x1f, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const struct cls E_ACPI =
    { EVONLY, 0x22, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const struct cls E_WDOG =
    { EVONLY, 0x23, SPEC, NOA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

#define N	TH_NONE
#define NA	OFF_NA
#define SAME	OFF_SAME
#define TH(lnc, lc, lnr, unc, uc, unr)	{ lnc, lc, lnr, unc, uc, unr }
#define NOTH	TH(N, N, N, N, N, N)

/* analog: number, name, class, entity, instance, on, off, amp, jit, th */
#define A(num, name, cls, ent, inst, on, off, amp, jit, th) \
	{ num, name, &cls, ent, inst, on, off, amp, jit, th }
/* discrete: the states asserted on and off */
#define D(num, name, cls, ent, inst, on, off) \
	{ num, name, &cls, ent, inst, on, off, 0, 0, NOTH }
#define E(num, name, cls, ent, inst) \
	{ num, name, &cls, ent, inst, 0, 0, 0, 0, NOTH }

/* The sensors every model has, with the contract of sensors.h. */
#define CPU1_TEMP(nom) \
	A(0x01, "CPU1 Temp", T_TEMP, ENT_CPU, 1, nom, 24, 3, 5, \
	    TH(5, 0, N, 85, 90, 95))
#define FIXED_DISCRETE(ps1, ps2) \
	D(0x50, "Power Unit", D_PU, ENT_PWR, 1, 0x00, 0x01), \
	D(0x60, ps1, D_PS, ENT_PSU, 1, 0x01, 0x01), \
	D(0x61, ps2, D_PS, ENT_PSU, 2, 0x01, 0x01), \
	D(0x70, "Memory", D_MEM, ENT_MEMD, 1, 0x00, 0x00)

static const struct sdef dell_r640[] = {
	CPU1_TEMP(45),
	A(0x02, "CPU2 Temp", T_TEMP, ENT_CPU, 2, 43, 24, 3, 5,
	    TH(5, 0, N, 85, 90, 95)),
	A(0x04, "Inlet Temp", T_TEMP2, ENT_AIR, 1, 22, SAME, 2, 3,
	    TH(3, -7, N, 42, 47, N)),
	A(0x05, "Exhaust Temp", T_TEMP, ENT_BOARD, 1, 34, 24, 2, 3,
	    TH(8, 3, N, 70, 75, N)),
	A(0x06, "DIMM A Temp", T_TEMP, ENT_MEMD, 1, 36, 24, 2, 3,
	    TH(N, N, N, 85, 90, N)),
	A(0x07, "DIMM B Temp", T_TEMP, ENT_MEMD, 2, 37, 24, 2, 3,
	    TH(N, N, N, 85, 90, N)),
	A(0x10, "PS1 Voltage", T_VAC, ENT_PSU, 1, 115, SAME, 1, 2,
	    TH(N, 90, N, N, 132, N)),
	A(0x11, "PS2 Voltage", T_VAC, ENT_PSU, 2, 115, SAME, 1, 2,
	    TH(N, 90, N, N, 132, N)),
	A(0x12, "CPU1 VCORE", T_VCORE, ENT_CPU, 1, 161, NA, 1, 2,
	    TH(145, 129, N, 177, 226, N)),
	A(0x13, "CPU2 VCORE", T_VCORE, ENT_CPU, 2, 161, NA, 1, 2,
	    TH(145, 129, N, 177, 226, N)),
	A(0x14, "12V", T_V12, ENT_BOARD, 1, 190, NA, 1, 1,
	    TH(181, 171, N, 200, 209, N)),
	A(0x15, "5V", T_V5, ENT_BOARD, 1, 192, NA, 1, 1,
	    TH(183, 173, N, 202, 212, N)),
	A(0x16, "3.3V", T_V33, ENT_BOARD, 1, 194, NA, 1, 1,
	    TH(184, 175, N, 204, 213, N)),
	A(0x17, "VBAT", T_VBAT, ENT_BATT, 1, 188, SAME, 1, 2,
	    TH(169, 156, N, N, N, N)),
	A(0x20, "Pwr Consumption", T_W14, ENT_BOARD, 1, 16, 0, 1, 2,
	    TH(N, N, N, 64, 70, N)),
	A(0x21, "PS1 Current", T_AMP, ENT_PSU, 1, 5, 0, 1, 1,
	    TH(N, N, N, 40, 50, N)),
	A(0x22, "PS2 Current", T_AMP, ENT_PSU, 2, 5, 0, 1, 1,
	    TH(N, N, N, 40, 50, N)),
	A(0x23, "Airflow", T_AIR, ENT_BOARD, 1, 16, 0, 1, 2,
	    TH(N, N, N, 26, 28, N)),
	A(0x30, "Fan1", T_FAN120, ENT_FAN, 1, 50, 0, 2, 4,
	    TH(7, 5, N, N, N, N)),
	A(0x31, "Fan2", T_FAN120, ENT_FAN, 2, 50, 0, 2, 4,
	    TH(7, 5, N, N, N, N)),
	A(0x32, "Fan3", T_FAN120, ENT_FAN, 3, 51, 0, 2, 4,
	    TH(7, 5, N, N, N, N)),
	A(0x33, "Fan4", T_FAN120, ENT_FAN, 4, 51, 0, 2, 4,
	    TH(7, 5, N, N, N, N)),
	A(0x34, "Fan5", T_FAN120, ENT_FAN, 5, 52, 0, 2, 4,
	    TH(7, 5, N, N, N, N)),
	A(0x35, "Fan6", T_FAN120, ENT_FAN, 6, 52, 0, 2, 4,
	    TH(7, 5, N, N, N, N)),
	A(0x40, "CPU1 Margin", T_MARGIN, ENT_CPU, 1, -40, NA, 2, 5,
	    TH(N, N, N, -10, -5, N)),
	FIXED_DISCRETE("PS1 Status", "PS2 Status"),
	D(0x51, "PS Redundancy", D_REDUN, ENT_PWR, 1, 0x01, 0x01),
	D(0x62, "CPU1 Status", D_CPU, ENT_CPU, 1, 0x80, 0x80),
	D(0x63, "CPU2 Status", D_CPU, ENT_CPU, 2, 0x80, 0x80),
	D(0x71, "Intrusion", D_INTR, ENT_CHASS, 1, 0x00, 0x00),
	D(0x72, "Riser1 Presence", D_PRES, ENT_BOARD2, 1, 0x02, 0x02),
	D(0x73, "CPU1 Prochot", D_DIG, ENT_CPU, 1, 0x01, 0x01),
	E(0xa0, "ECC Corr Err", E_MEM, ENT_MEMD, 1),
	E(0xa1, "POST Err", E_POST, ENT_BIOS, 1),
	E(0xa2, "OS Watchdog", E_WDOG, ENT_BOARD, 1),
	E(0xa3, "Event Log", E_SEL, ENT_BOARD, 1),
	E(0xa4, "ACPI State", E_ACPI, ENT_BOARD, 1),
};

static const struct sdef hpe_dl380[] = {
	CPU1_TEMP(42),
	A(0x02, "03-CPU 2", T_TEMP, ENT_CPU, 2, 40, 24, 3, 5,
	    TH(N, N, N, 70, 100, N)),
	A(0x03, "04-P1 DIMM 1-6", T_TEMP, ENT_MEMD, 1, 35, 24, 2, 3,
	    TH(N, N, N, 87, 90, N)),
	A(0x04, "01-Inlet Ambient", T_TEMP2, ENT_AIR, 1, 21, SAME, 2, 3,
	    TH(N, N, N, 42, 46, N)),
	A(0x05, "05-P2 DIMM 1-6", T_TEMP, ENT_MEMD, 2, 35, 24, 2, 3,
	    TH(N, N, N, 87, 90, N)),
	A(0x06, "07-HD Max", T_TEMP, ENT_DRIVE, 1, 33, 24, 2, 3,
	    TH(N, N, N, 60, 65, N)),
	A(0x07, "14-Chipset", T_TEMP, ENT_BOARD, 1, 50, 26, 2, 4,
	    TH(N, N, N, 105, 110, N)),
	A(0x08, "15-VR P1", T_TEMP, ENT_CPU, 1, 40, 24, 2, 4,
	    TH(N, N, N, 115, 120, N)),
	A(0x09, "16-VR P2", T_TEMP, ENT_CPU, 2, 39, 24, 2, 4,
	    TH(N, N, N, 115, 120, N)),
	A(0x0a, "21-Exhaust", T_TEMP, ENT_BOARD, 2, 35, 24, 2, 3,
	    TH(N, N, N, 70, 75, N)),
	A(0x0b, "24-BMC", T_TEMP, ENT_BOARD, 3, 55, 50, 2, 3,
	    TH(N, N, N, 100, 105, N)),
	A(0x10, "12V", T_V12, ENT_BOARD, 1, 190, NA, 1, 1,
	    TH(N, 171, N, N, 209, N)),
	A(0x11, "5V", T_V5, ENT_BOARD, 1, 192, NA, 1, 1,
	    TH(N, 173, N, N, 212, N)),
	A(0x12, "3.3V", T_V33, ENT_BOARD, 1, 194, NA, 1, 1,
	    TH(N, 175, N, N, 213, N)),
	A(0x13, "VBAT", T_VBAT, ENT_BATT, 1, 188, SAME, 1, 2,
	    TH(169, 156, N, N, N, N)),
	A(0x14, "CPU1 VCORE", T_VCORE, ENT_CPU, 1, 158, NA, 1, 2,
	    TH(N, 129, N, N, 226, N)),
	A(0x15, "CPU2 VCORE", T_VCORE, ENT_CPU, 2, 158, NA, 1, 2,
	    TH(N, 129, N, N, 226, N)),
	A(0x20, "Power Supply 1", T_W2, ENT_PSU, 1, 60, 3, 1, 3,
	    TH(N, N, N, N, 250, N)),
	A(0x21, "Power Supply 2", T_W2, ENT_PSU, 2, 58, 3, 1, 3,
	    TH(N, N, N, N, 250, N)),
	A(0x22, "Power Meter", T_W2, ENT_BOARD, 1, 118, 4, 1, 5, NOTH),
	A(0x23, "Airflow", T_AIR, ENT_BOARD, 1, 15, 0, 1, 2,
	    TH(N, N, N, 26, 28, N)),
	A(0x24, "PS1 Current", T_AMP, ENT_PSU, 1, 6, 0, 1, 1,
	    TH(N, N, N, 40, 50, N)),
	A(0x30, "Fan 1", T_FANPCT, ENT_FAN, 1, 60, 0, 2, 5, NOTH),
	A(0x31, "Fan 2", T_FANPCT, ENT_FAN, 2, 60, 0, 2, 5, NOTH),
	A(0x32, "Fan 3", T_FANPCT, ENT_FAN, 3, 62, 0, 2, 5, NOTH),
	A(0x33, "Fan 4", T_FANPCT, ENT_FAN, 4, 62, 0, 2, 5, NOTH),
	A(0x34, "Fan 5", T_FANPCT, ENT_FAN, 5, 64, 0, 2, 5, NOTH),
	A(0x35, "Fan 6", T_FANPCT, ENT_FAN, 6, 64, 0, 2, 5, NOTH),
	A(0x40, "CPU1 Margin", T_MARGIN, ENT_CPU, 1, -42, NA, 2, 5,
	    TH(N, N, N, -10, -5, N)),
	FIXED_DISCRETE("PS1 Status", "PS2 Status"),
	D(0x51, "Power Supplies", D_REDUN, ENT_PWR, 1, 0x01, 0x01),
	D(0x62, "Proc 1 Status", D_CPU, ENT_CPU, 1, 0x80, 0x80),
	D(0x63, "Proc 2 Status", D_CPU, ENT_CPU, 2, 0x80, 0x80),
	D(0x71, "Intrusion", D_INTR, ENT_CHASS, 1, 0x00, 0x00),
	D(0x72, "Riser 1 Present", D_PRES, ENT_BOARD2, 1, 0x02, 0x02),
	D(0x73, "Proc 1 Prochot", D_DIG, ENT_CPU, 1, 0x01, 0x01),
	E(0xa0, "Memory Errors", E_MEM, ENT_MEMD, 1),
	E(0xa1, "POST Error", E_POST, ENT_BIOS, 1),
	E(0xa2, "ASR Watchdog", E_WDOG, ENT_BOARD, 1),
	E(0xa3, "IML Log", E_SEL, ENT_BOARD, 1),
	E(0xa4, "OS Boot", E_BOOT, ENT_BOARD, 1),
};

static const struct sdef supermicro_x11[] = {
	CPU1_TEMP(44),
	A(0x02, "CPU2 Temp", T_TEMP, ENT_CPU, 2, 42, 24, 3, 5,
	    TH(5, 0, N, 85, 90, 95)),
	A(0x03, "PCH Temp", T_TEMP, ENT_BOARD, 1, 48, 25, 2, 4,
	    TH(5, 0, N, 85, 90, 95)),
	A(0x04, "System Temp", T_TEMP2, ENT_BOARD, 2, 30, 24, 2, 3,
	    TH(-5, -7, -9, 80, 85, 90)),
	A(0x05, "Peripheral Temp", T_TEMP2, ENT_BOARD, 3, 36, 24, 2, 3,
	    TH(-5, -7, -9, 80, 85, 90)),
	A(0x06, "VRMCpu1 Temp", T_TEMP, ENT_CPU, 1, 38, 24, 2, 4,
	    TH(5, 0, N, 95, 100, 105)),
	A(0x07, "VRMCpu2 Temp", T_TEMP, ENT_CPU, 2, 37, 24, 2, 4,
	    TH(5, 0, N, 95, 100, 105)),
	A(0x08, "DIMMA~F Temp", T_TEMP, ENT_MEMD, 1, 33, 24, 2, 3,
	    TH(5, 0, N, 80, 85, 90)),
	A(0x09, "DIMMG~L Temp", T_TEMP, ENT_MEMD, 2, 33, 24, 2, 3,
	    TH(5, 0, N, 80, 85, 90)),
	A(0x0a, "Inlet Temp", T_TEMP2, ENT_AIR, 1, 23, SAME, 2, 3,
	    TH(-5, -7, -9, 40, 45, 50)),
	A(0x10, "12V", T_V12B, ENT_BOARD, 1, 40, NA, 1, 1,
	    TH(28, 16, 4, 52, 64, 76)),
	A(0x11, "5VCC", T_V5, ENT_BOARD, 1, 192, NA, 1, 1,
	    TH(183, 173, 165, 202, 212, 220)),
	A(0x12, "3.3VCC", T_V33, ENT_BOARD, 1, 194, NA, 1, 1,
	    TH(184, 175, 166, 204, 213, 222)),
	A(0x13, "VBAT", T_VBAT, ENT_BATT, 1, 188, SAME, 1, 2,
	    TH(169, 156, 150, N, N, N)),
	A(0x14, "Vcpu1", T_VLOW, ENT_CPU, 1, 180, NA, 1, 2,
	    TH(162, 153, 144, 198, 207, 216)),
	A(0x15, "Vcpu2", T_VLOW, ENT_CPU, 2, 180, NA, 1, 2,
	    TH(162, 153, 144, 198, 207, 216)),
	A(0x16, "VDimmABC", T_VLOW, ENT_MEMD, 1, 120, NA, 1, 1,
	    TH(108, 102, 96, 132, 138, 144)),
	A(0x17, "VDimmDEF", T_VLOW, ENT_MEMD, 2, 120, NA, 1, 1,
	    TH(108, 102, 96, 132, 138, 144)),
	A(0x18, "5VSB", T_V5, ENT_BOARD, 2, 193, SAME, 1, 1,
	    TH(183, 173, 165, 202, 212, 220)),
	A(0x19, "3.3VSB", T_V33, ENT_BOARD, 2, 195, SAME, 1, 1,
	    TH(184, 175, 166, 204, 213, 222)),
	A(0x1a, "1.8V PCH", T_VLOW, ENT_BOARD, 3, 180, NA, 1, 1,
	    TH(171, 162, 153, 189, 198, 207)),
	A(0x1b, "PVNN PCH", T_VLOW, ENT_BOARD, 4, 100, NA, 1, 1,
	    TH(90, 85, 80, 110, 115, 120)),
	A(0x1c, "1.05V PCH", T_VLOW, ENT_BOARD, 5, 105, NA, 1, 1,
	    TH(95, 89, 84, 115, 121, 126)),
	A(0x20, "PS1 Input Power", T_W4, ENT_PSU, 1, 40, 2, 1, 3,
	    TH(N, N, N, N, 200, N)),
	A(0x21, "PS2 Input Power", T_W4, ENT_PSU, 2, 39, 2, 1, 3,
	    TH(N, N, N, N, 200, N)),
	A(0x22, "PS1 Current", T_AMP, ENT_PSU, 1, 4, 0, 1, 1,
	    TH(N, N, N, 40, 50, N)),
	A(0x23, "Airflow", T_AIR, ENT_BOARD, 1, 14, 0, 1, 2,
	    TH(N, N, N, 26, 28, N)),
	A(0x30, "FAN1", T_FAN100, ENT_FAN, 1, 35, 0, 2, 4,
	    TH(7, 5, 3, 253, 254, 255)),
	A(0x31, "FAN2", T_FAN100, ENT_FAN, 2, 35, 0, 2, 4,
	    TH(7, 5, 3, 253, 254, 255)),
	A(0x32, "FAN3", T_FAN100, ENT_FAN, 3, 36, 0, 2, 4,
	    TH(7, 5, 3, 253, 254, 255)),
	A(0x33, "FAN4", T_FAN100, ENT_FAN, 4, 36, 0, 2, 4,
	    TH(7, 5, 3, 253, 254, 255)),
	A(0x34, "FAN5", T_FAN100, ENT_FAN, 5, 37, 0, 2, 4,
	    TH(7, 5, 3, 253, 254, 255)),
	A(0x35, "FAN6", T_FAN100, ENT_FAN, 6, 37, 0, 2, 4,
	    TH(7, 5, 3, 253, 254, 255)),
	A(0x36, "FANA", T_FAN100, ENT_FAN, 7, 30, 0, 2, 4,
	    TH(7, 5, 3, 253, 254, 255)),
	A(0x40, "CPU1 Margin", T_MARGIN, ENT_CPU, 1, -38, NA, 2, 5,
	    TH(N, N, N, -10, -5, N)),
	FIXED_DISCRETE("PS1 Status", "PS2 Status"),
	D(0x51, "PS Redundancy", D_REDUN, ENT_PWR, 1, 0x01, 0x01),
	D(0x62, "CPU1 Status", D_CPU, ENT_CPU, 1, 0x80, 0x80),
	D(0x63, "CPU2 Status", D_CPU, ENT_CPU, 2, 0x80, 0x80),
	D(0x71, "Chassis Intru", D_INTR, ENT_CHASS, 1, 0x00, 0x00),
	E(0xa0, "ECC Error", E_MEM, ENT_MEMD, 1),
	E(0xa1, "Watchdog2", E_WDOG, ENT_BOARD, 1),
	E(0xa2, "BIOS POST", E_POST, ENT_BIOS, 1),
};

static const struct sdef lenovo_sr650[] = {
	CPU1_TEMP(46),
	A(0x02, "CPU2 Temp", T_TEMP, ENT_CPU, 2, 44, 24, 3, 5,
	    TH(5, 0, N, 85, 90, 95)),
	A(0x04, "Ambient Temp", T_TEMP2, ENT_AIR, 1, 22, SAME, 2, 3,
	    TH(N, N, N, 43, 47, 50)),
	A(0x05, "Exhaust Temp", T_TEMP, ENT_BOARD, 1, 33, 24, 2, 3,
	    TH(N, N, N, 70, 80, N)),
	A(0x06, "CPU1 VR Temp", T_TEMP, ENT_CPU, 1, 39, 24, 2, 4,
	    TH(N, N, N, 110, 115, N)),
	A(0x07, "CPU2 VR Temp", T_TEMP, ENT_CPU, 2, 38, 24, 2, 4,
	    TH(N, N, N, 110, 115, N)),
	A(0x08, "DIMM AB VR Temp", T_TEMP, ENT_MEMD, 1, 35, 24, 2, 3,
	    TH(N, N, N, 110, 115, N)),
	A(0x09, "DIMM CD VR Temp", T_TEMP, ENT_MEMD, 2, 35, 24, 2, 3,
	    TH(N, N, N, 110, 115, N)),
	A(0x10, "Planar 3.3V", T_V33, ENT_BOARD, 1, 194, NA, 1, 1,
	    TH(N, 175, N, N, 213, N)),
	A(0x11, "Planar 5V", T_V5, ENT_BOARD, 1, 192, NA, 1, 1,
	    TH(N, 173, N, N, 212, N)),
	A(0x12, "Planar 12V", T_V12, ENT_BOARD, 1, 190, NA, 1, 1,
	    TH(N, 171, N, N, 209, N)),
	A(0x13, "Planar VBAT", T_VBAT, ENT_BATT, 1, 188, SAME, 1, 2,
	    TH(169, 156, N, N, N, N)),
	A(0x14, "CPU1 VCORE", T_VCORE, ENT_CPU, 1, 163, NA, 1, 2,
	    TH(145, 129, N, 177, 226, N)),
	A(0x15, "CPU2 VCORE", T_VCORE, ENT_CPU, 2, 163, NA, 1, 2,
	    TH(145, 129, N, 177, 226, N)),
	A(0x20, "Sys Power", T_W4, ENT_BOARD, 1, 52, 2, 1, 4,
	    TH(N, N, N, N, 240, N)),
	A(0x21, "CPU Power", T_W2, ENT_CPU, 1, 40, 0, 1, 4, NOTH),
	A(0x22, "Mem Power", T_W2, ENT_MEMD, 1, 10, 0, 1, 2, NOTH),
	A(0x23, "PS1 Current", T_AMP, ENT_PSU, 1, 5, 0, 1, 1,
	    TH(N, N, N, 40, 50, N)),
	A(0x24, "Airflow", T_AIR, ENT_BOARD, 1, 16, 0, 1, 2,
	    TH(N, N, N, 26, 28, N)),
	A(0x30, "Fan 1A Tach", T_FAN120, ENT_FAN, 1, 45, 0, 2, 4,
	    TH(N, 5, N, N, N, N)),
	A(0x31, "Fan 2A Tach", T_FAN120, ENT_FAN, 2, 45, 0, 2, 4,
	    TH(N, 5, N, N, N, N)),
	A(0x32, "Fan 3A Tach", T_FAN120, ENT_FAN, 3, 46, 0, 2, 4,
	    TH(N, 5, N, N, N, N)),
	A(0x33, "Fan 4A Tach", T_FAN120, ENT_FAN, 4, 46, 0, 2, 4,
	    TH(N, 5, N, N, N, N)),
	A(0x34, "Fan 5A Tach", T_FAN120, ENT_FAN, 5, 47, 0, 2, 4,
	    TH(N, 5, N, N, N, N)),
	A(0x35, "Fan 6A Tach", T_FAN120, ENT_FAN, 6, 47, 0, 2, 4,
	    TH(N, 5, N, N, N, N)),
	A(0x40, "CPU1 Margin", T_MARGIN, ENT_CPU, 1, -44, NA, 2, 5,
	    TH(N, N, N, -10, -5, N)),
	FIXED_DISCRETE("PS1 Status", "PS2 Status"),
	D(0x51, "PS Redundancy", D_REDUN, ENT_PWR, 1, 0x01, 0x01),
	D(0x62, "CPU1 Status", D_CPU, ENT_CPU, 1, 0x80, 0x80),
	D(0x71, "Chassis Intru", D_INTR, ENT_CHASS, 1, 0x00, 0x00),
	D(0x72, "Riser 1 Presence", D_PRES, ENT_BOARD2, 1, 0x02, 0x02),
	E(0xa0, "OS Boot", E_BOOT, ENT_BOARD, 1),
	E(0xa1, "Watchdog", E_WDOG, ENT_BOARD, 1),
	E(0xa2, "ACPI State", E_ACPI, ENT_BOARD, 1),
	E(0xa3, "Critical Int", E_NMI, ENT_BOARD, 1),
	E(0xa4, "Sys Event", E_SYS, ENT_BOARD, 1),
};

static const struct sdef openbmc[] = {
	CPU1_TEMP(47),
	A(0x02, "CPU2 Temp", T_TEMP, ENT_CPU, 2, 45, 24, 3, 5,
	    TH(5, 0, N, 85, 90, 95)),
	A(0x03, "inlet_temp", T_TEMP2, ENT_AIR, 1, 24, SAME, 2, 3,
	    TH(N, -5, N, 40, 45, N)),
	A(0x04, "outlet_temp", T_TEMP, ENT_BOARD, 1, 36, 25, 2, 3,
	    TH(N, N, N, 70, 75, N)),
	A(0x05, "dimm0_temp", T_TEMPH, ENT_MEMD, 1, 74, 48, 2, 6,
	    TH(N, N, N, 170, 180, N)),
	A(0x06, "dimm1_temp", T_TEMPH, ENT_MEMD, 2, 75, 48, 2, 6,
	    TH(N, N, N, 170, 180, N)),
	A(0x07, "dimm2_temp", T_TEMPH, ENT_MEMD, 3, 73, 48, 2, 6,
	    TH(N, N, N, 170, 180, N)),
	A(0x08, "dimm3_temp", T_TEMPH, ENT_MEMD, 4, 74, 48, 2, 6,
	    TH(N, N, N, 170, 180, N)),
	A(0x10, "p12v", T_V12, ENT_BOARD, 1, 191, NA, 1, 1,
	    TH(181, 171, N, 200, 209, N)),
	A(0x11, "p5v", T_V5, ENT_BOARD, 1, 193, NA, 1, 1,
	    TH(183, 173, N, 202, 212, N)),
	A(0x12, "p3v3", T_V33, ENT_BOARD, 1, 194, NA, 1, 1,
	    TH(184, 175, N, 204, 213, N)),
	A(0x13, "p3v3_stby", T_V33, ENT_BOARD, 2, 195, SAME, 1, 1,
	    TH(184, 175, N, 204, 213, N)),
	A(0x14, "vbat", T_VBAT, ENT_BATT, 1, 189, SAME, 1, 2,
	    TH(169, 156, N, N, N, N)),
	A(0x15, "p0_vcore", T_VCORE, ENT_CPU, 1, 160, NA, 1, 2,
	    TH(145, 129, N, 177, 226, N)),
	A(0x16, "p1_vcore", T_VCORE, ENT_CPU, 2, 160, NA, 1, 2,
	    TH(145, 129, N, 177, 226, N)),
	A(0x20, "total_power", T_W4, ENT_BOARD, 1, 48, 2, 1, 4,
	    TH(N, N, N, 200, 220, N)),
	A(0x21, "ps0_input_power", T_W2, ENT_PSU, 1, 96, 4, 1, 4,
	    TH(N, N, N, N, 240, N)),
	A(0x22, "ps0_input_curr", T_AMP, ENT_PSU, 1, 5, 0, 1, 1,
	    TH(N, N, N, 40, 50, N)),
	A(0x23, "airflow", T_AIR, ENT_BOARD, 1, 15, 0, 1, 2,
	    TH(N, N, N, 26, 28, N)),
	A(0x30, "fan0", T_FAN100, ENT_FAN, 1, 60, 0, 2, 5,
	    TH(N, 10, N, N, N, N)),
	A(0x31, "fan1", T_FAN100, ENT_FAN, 2, 60, 0, 2, 5,
	    TH(N, 10, N, N, N, N)),
	A(0x32, "fan2", T_FAN100, ENT_FAN, 3, 61, 0, 2, 5,
	    TH(N, 10, N, N, N, N)),
	A(0x33, "fan3", T_FAN100, ENT_FAN, 4, 61, 0, 2, 5,
	    TH(N, 10, N, N, N, N)),
	A(0x34, "fan4", T_FAN100, ENT_FAN, 5, 62, 0, 2, 5,
	    TH(N, 10, N, N, N, N)),
	A(0x35, "fan5", T_FAN100, ENT_FAN, 6, 62, 0, 2, 5,
	    TH(N, 10, N, N, N, N)),
	A(0x40, "cpu0_margin", T_MARGIN, ENT_CPU, 1, -36, NA, 2, 5,
	    TH(N, N, N, -10, -5, N)),
	FIXED_DISCRETE("PS1 Status", "PS2 Status"),
	D(0x62, "cpu0_status", D_CPU, ENT_CPU, 1, 0x80, 0x80),
	D(0x71, "intrusion", D_INTR, ENT_CHASS, 1, 0x00, 0x00),
	D(0x72, "tpm_present", D_PRES, ENT_BOARD2, 1, 0x02, 0x02),
	E(0xa0, "os_boot", E_BOOT, ENT_BOARD, 1),
	E(0xa1, "watchdog2", E_WDOG, ENT_BOARD, 1),
	E(0xa2, "event_log", E_SEL, ENT_BOARD, 1),
};

static const struct mdef mdefs[] = {
	{ "dell-r640", dell_r640, NELEM(dell_r640), 0x0001, 1, "iDRAC" },
	{ "hpe-dl380", hpe_dl380, NELEM(hpe_dl380), 0x0001, 1, "iLO 5" },
	{ "supermicro-x11", supermicro_x11, NELEM(supermicro_x11), 0x0001, 1,
	    "BMC" },
	{ "lenovo-sr650", lenovo_sr650, NELEM(lenovo_sr650), 0x0002, 2,
	    "XCC" },
	{ "openbmc", openbmc, NELEM(openbmc), 0x0100, 1, "bmc" },
};

const struct mdef *
sensors_mdef_for(const struct sim_model *m, unsigned *index)
{
	size_t i;

	for (i = 0; m != NULL && i < NELEM(mdefs); i++) {
		if (strcmp(mdefs[i].model, m->name) == 0) {
			*index = (unsigned)i;
			return &mdefs[i];
		}
	}
	*index = 0;		/* an unknown model looks like the first */
	return &mdefs[0];
}
