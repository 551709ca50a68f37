/*
 * sensor: reading sensors.  The codecs of Get Sensor Reading (IPMI v2.0
 * rev 1.1, 35.14) and Get Sensor Thresholds (35.9), the conversion of raw
 * readings into values (36.3), units (43.17, table 43-15), and the state a
 * sensor is in: threshold status as ipmitool prints it, and a health in
 * the spirit of FreeIPMI's sensor interpretation.
 *
 * Pure: no I/O, no allocation, and no libm (the programs link none): the
 * few transcendental functions the linearizations need are computed here,
 * within 1e-15 relative of libm's (exp10 of arguments past +-100: 1e-13).
 */
#ifndef BMCFLEET_IPMI_SENSOR_H
#define BMCFLEET_IPMI_SENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "sdr.h"

enum {
	IPMI_CMD_GET_SENSOR_THRESHOLDS = 0x27,	/* sensor/event netfn */
	IPMI_CMD_GET_SENSOR_READING = 0x2d,
};

/*
 * Codecs.  Decoders return 0, IPMI_E_SHORT or IPMI_E_MALFORMED; encoders
 * 0 or IPMI_E_NOSPACE.  Both requests are the sensor number alone.
 */
int	ipmi_sensor_req_encode(uint8_t number, struct buf *);
int	ipmi_sensor_req_decode(struct buf *, uint8_t *number);

/*
 * 35.14 Get Sensor Reading.  Byte 2 holds the flags; byte 3 the threshold
 * comparison bits (threshold sensors, SDR_TH_* bit numbers) or discrete
 * states 0-7, byte 4 discrete states 8-14.  Bytes 3 and 4 are optional on
 * the wire: has_state / has_state2 say whether they arrived.  Some BMCs
 * answer only the reading byte when the reading is unavailable: that
 * decodes with flags 0 and "unavailable" set.
 */
enum {
	SENSOR_RD_EVENTS = 1 << 7,	/* 0: all event messages disabled */
	SENSOR_RD_SCANNING = 1 << 6,	/* 0: sensor scanning disabled */
	SENSOR_RD_UNAVAILABLE = 1 << 5,	/* reading/state unavailable */
};
struct ipmi_sensor_reading_rsp {
	uint8_t		raw;		/* the reading, per the SDR's format */
	uint8_t		flags;		/* SENSOR_RD_* */
	int		has_state;	/* byte 3 arrived */
	int		has_state2;	/* byte 4 arrived */
	uint8_t		thresh;		/* byte 3 [5:0]: at or past a bound */
	uint16_t	states;		/* discrete: bits 0-14 */
};
int	ipmi_sensor_reading_rsp_encode(const struct ipmi_sensor_reading_rsp *,
	    struct buf *);
int	ipmi_sensor_reading_rsp_decode(struct buf *,
	    struct ipmi_sensor_reading_rsp *);

/* The reading cannot be used: unavailable, or scanning disabled. */
int	sensor_reading_na(const struct ipmi_sensor_reading_rsp *);

/* 35.9 Get Sensor Thresholds: mask of readable ones and 6 raw values. */
struct ipmi_sensor_thresh_rsp {
	uint8_t		readable;	/* bit SDR_TH_* set: value is valid */
	uint8_t		raw[SDR_TH_COUNT]; /* indexed by SDR_TH_* */
};
int	ipmi_sensor_thresh_rsp_encode(const struct ipmi_sensor_thresh_rsp *,
	    struct buf *);
int	ipmi_sensor_thresh_rsp_decode(struct buf *,
	    struct ipmi_sensor_thresh_rsp *);

/*
 * 36.3: y = L[(M * x + B * 10^K1) * 10^K2] units, x the raw reading read
 * as unsigned, 1's or 2's complement.  Returns 0 with *value set;
 * IPMI_E_UNSUPPORTED for format "no analog reading" and the OEM
 * linearizations (70h-7Fh) and reserved ones; IPMI_E_MALFORMED when the
 * function is undefined there (ln of 0 or less, 1/0, square root of a
 * negative): *value is then NaN.  Never produces an infinity from finite
 * factors but through exp of a large argument, which saturates to
 * +HUGE_VAL; callers that print should test isfinite().
 */
int	sensor_convert(const struct sdr_factors *, uint8_t raw, double *value);

/* The raw byte as a signed or unsigned number, per the format. */
int	sensor_raw_int(const struct sdr_factors *, uint8_t raw);

/*
 * The step between neighbouring readings, for comparing within the
 * sensor's own precision: |M * 10^K2| when linear; otherwise the larger of
 * the steps to the raw values on either side of raw.  0 when unknown.
 */
double	sensor_resolution(const struct sdr_factors *, uint8_t raw);
/* Tolerance in units: tolerance/2 raw counts, |M| * 10^K2 each (linear). */
double	sensor_tolerance(const struct sdr_factors *);
/* Accuracy in percent: accuracy * 10^accuracy_exp / 100. */
double	sensor_accuracy(const struct sdr_factors *);

/*
 * Units (table 43-15).  sensor_unit_name: "degrees C", "Volts", "RPM" ...
 * as ipmitool prints them; "unspecified" for 0, "unknown" past the table.
 * sensor_unit_short: "C", "V", "A", "W", "RPM", ... as FreeIPMI abbreviates
 * them; the long name where FreeIPMI has no shorter one.  Never NULL.
 */
enum { SENSOR_UNITS_LONG = 0, SENSOR_UNITS_SHORT = 1 };
const char *sensor_unit_name(uint8_t unit);
const char *sensor_unit_short(uint8_t unit);
/*
 * Rate unit (units 1 [5:3]): "" for none, else "microsecond" ... "day"
 * (SENSOR_UNITS_LONG) or "us", "ms", "s", "min", "hr", "d" (SHORT).
 */
const char *sensor_rate_name(uint8_t rate, int style);

/*
 * The whole unit string of a sensor record into out (always terminated
 * when len > 0); returns the length it needed, as snprintf.
 *   long  (ipmitool): "degrees C", "Volts", "percent" (percentage and
 *         unspecified), "% Watts", "Volts/Amps", "Joules*second",
 *         "Amps per second"
 *   short (FreeIPMI): "C", "V", "%", "% W", "V/A", "J*s", "A/s"
 * ipmitool prints no rate unit; we add it, so "per second" is not lost.
 */
size_t	sensor_units_format(const struct sdr_sensor *, int style, char *out,
	    size_t len);

/*
 * Threshold status from the comparison bits of a reading, as ipmitool's
 * status column: "ok", "nc", "cr", "nr", or "na" when the reading is
 * unavailable or scanning is disabled.  *bound (may be NULL) gets the most
 * severe bound crossed, upper first on a tie (SDR_TH_*), or -1.
 */
enum sensor_status {
	SENSOR_ST_OK,
	SENSOR_ST_NC,
	SENSOR_ST_CR,
	SENSOR_ST_NR,
	SENSOR_ST_NA,
};
int	sensor_thresh_status(const struct ipmi_sensor_reading_rsp *,
	    int *bound);
const char *sensor_status_name(int);		/* "ok", "nc", ... */
const char *sensor_thresh_name(int);		/* "lnc", "ucr", ... */

/*
 * Health of one sensor, for --state filters:
 *   threshold sensors (event/reading type 01h): nominal; warning when a
 *     non-critical bound is crossed; critical when a critical or
 *     non-recoverable one is.
 *   discrete sensors: the worst of the asserted states in this table,
 *     nominal for every state not in it:
 *       sensor type 07h processor: 0 IERR, 1 thermal trip, 2-4 FRB1-3
 *         failure, 5 configuration error: critical
 *       08h power supply: 1 failure detected, 3 AC lost, 4 AC lost or out
 *         of range: critical; 2 predictive failure, 5 out of range but
 *         present, 6 configuration error: warning
 *       0Ch memory: 1 uncorrectable ECC, 2 parity, 3 memory scrub
 *         failed, 4 device disabled, 7 configuration error, 10 critical
 *         overtemperature: critical; 0 correctable ECC, 5 correctable
 *         ECC logging limit reached, 9 throttled: warning
 *       0Dh drive slot: 1 drive fault: critical; 2 predictive failure:
 *         warning
 *       event type 04h (predictive failure), state 1: warning
 *       event type 05h (limit exceeded), state 1: critical
 *       event type 07h (severity): 1 and 4 warning; 2, 3, 5, 6 critical
 *   na when the reading is unavailable or scanning is disabled, and for
 *     event-only sensors (nothing to read).
 */
enum sensor_health {
	SENSOR_NOMINAL,
	SENSOR_WARNING,
	SENSOR_CRITICAL,
	SENSOR_NA,
};
/* A NULL reading (event-only sensor, or no answer) is na. */
int	sensor_health(uint8_t event_type, uint8_t sensor_type,
	    const struct ipmi_sensor_reading_rsp *);
/* Of one discrete state (offset 0-14) alone: nominal, warning, critical. */
int	sensor_state_health(uint8_t event_type, uint8_t sensor_type,
	    unsigned offset);
const char *sensor_health_name(int);	/* "nominal", "warning", ... */
/* "nominal" etc. (any case) to the enum; -1 when none. */
int	sensor_health_parse(const char *);

/*
 * What an SDR sensor record says of one sensor, decoded once: the one
 * place a record becomes the fields every reader uses (direct mode's
 * sensor and SEL lists, the sweep's rows).  Names lose the trailing
 * spaces records keep; units are sensor_units_format's long form;
 * factors and thresholds are filled only for analog sensors.
 */
enum sensor_kind {
	SENSOR_KIND_THRESHOLD,	/* event/reading type 01h */
	SENSOR_KIND_DISCRETE,	/* any other type */
	SENSOR_KIND_EVENT_ONLY,	/* an event-only record: nothing to read */
};
/* The slave address of the BMC itself: sensors it owns are read
 * directly, others would need bridging. */
#define SENSOR_OWNER_BMC	0x20

struct sensor_desc {
	uint16_t	record_id;
	uint8_t		rtype;		/* SDR_TYPE_FULL, _COMPACT, _EVENT_ONLY */
	uint8_t		owner;
	uint8_t		number;
	uint8_t		sensor_type;
	uint8_t		event_type;
	uint8_t		kind;		/* enum sensor_kind */
	uint8_t		analog;		/* has conversion factors */
	uint8_t		readable_th;	/* SDR_TH_* bits with a value */
	uint8_t		th_raw[SDR_TH_COUNT];
	struct sdr_factors f;
	char		name[SDR_NAME_MAX];
	char		units[40];
};

/* rec must be a sensor (sdr_is_sensor). */
void	sensor_desc_from(const struct sdr_record *rec, struct sensor_desc *);
/* "threshold", "discrete", "event-only". */
const char *sensor_kind_name(int kind);
/* 1 when Get Sensor Reading can ask it: not event-only, owned by the BMC. */
int	sensor_desc_polled(const struct sensor_desc *);
/*
 * The sensor a system event names, among n: same number, owner (the
 * generator's slave address) and sensor type, else the first with the
 * same number and type (as ipmitool matches); NULL when none.
 */
const struct sensor_desc *sensor_desc_match(const struct sensor_desc *,
	    size_t n, uint8_t owner, uint8_t number, uint8_t sensor_type);

#endif
