/*
 * serve_metrics: /metrics and /ipmi (see serve_metrics.h).
 *
 * The names, help texts, types and labels are ipmi_exporter 1.6.1's (the
 * version Debian ships, which tests/interop/metrics-vs-ipmi_exporter.sh
 * runs beside us): its "ipmi" collector sorts FreeIPMI's sensors into
 * families by their unit ("C", "RPM", "V", "A", "W"; "%" of a Fan), every
 * other sensor into ipmi_sensor_value/_state with FreeIPMI's name for the
 * sensor type; a reading FreeIPMI calls N/A is NaN.
 *
 * Speed: a 10,000-BMC fleet of ~40 sensors is ~800,000 lines (tens of
 * MB): numbers are written without printf where they are whole or have
 * few decimals, and each family walks the fleet once.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/collect_int.h"
#include "cli/serve.h"
#include "cli/serve_metrics.h"
#include "collector/driver.h"
#include "collector/fleetmem.h"
#include "collector/httpd.h"
#include "collector/traprx.h"
#include "ipmi/iana.h"
#include "lib/gbuf.h"
#include "lib/loop.h"

#define CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* --- numbers and labels ------------------------------------------------------ */

static size_t
put_uint(uint64_t u, char *out)
{
	char t[24];
	size_t n = 0, i;

	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	for (i = 0; i < n; i++)
		out[i] = t[n - 1 - i];
	out[n] = '\0';
	return n;
}

size_t
metrics_format_value(double v, char *out)
{
	static const double p10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	size_t n = 0;
	double a;

	if (isnan(v))
		return (size_t)sprintf(out, "NaN");
	if (isinf(v))
		return (size_t)sprintf(out, v > 0 ? "+Inf" : "-Inf");
	a = v < 0 ? -v : v;
	if (a < 1e12) {
		/* the fewest decimals (up to 6) that say v to 1e-9 of it:
		 * sensor readings are a few significant digits */
		for (int k = 0; k < 7; k++) {
			/* a < 1e12, so m < 1e18 fits: no libm */
			double m = a * p10[k], r = (double)(uint64_t)(m + 0.5);

			if ((m > r ? m - r : r - m) > 1e-9 * (m > 1 ? m : 1))
				continue;
			if (r == 0) {
				out[0] = '0';
				out[1] = '\0';
				return 1;
			}
			if (v < 0)
				out[n++] = '-';
			{
				uint64_t u = (uint64_t)r, ip, fp;
				uint64_t d = (uint64_t)p10[k];

				ip = u / d;
				fp = u % d;
				n += put_uint(ip, out + n);
				if (k > 0) {
					out[n++] = '.';
					for (int j = k - 1; j >= 0; j--) {
						out[n + (size_t)j] =
						    (char)('0' + fp % 10);
						fp /= 10;
					}
					n += (size_t)k;
					out[n] = '\0';
				}
			}
			return n;
		}
	}
	return (size_t)snprintf(out, 32, "%.17g", v);
}

/* A label value, escaped as the text format wants (\\, \", \n). */
static void
put_label(struct gbuf *b, const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p == '\\' || *p == '"' || *p == '\n')
			break;
	if (*p == '\0') {
		gbuf_add(b, s, (size_t)(p - s));
		return;
	}
	for (p = s; *p != '\0'; p++) {
		if (*p == '\\')
			gbuf_add(b, "\\\\", 2);
		else if (*p == '"')
			gbuf_add(b, "\\\"", 2);
		else if (*p == '\n')
			gbuf_add(b, "\\n", 2);
		else
			gbuf_putc(b, *p);
	}
}

static void
put_value(struct gbuf *b, double v)
{
	char t[40];
	size_t n = metrics_format_value(v, t);

	t[n++] = '\n';
	gbuf_add(b, t, n);
}

/* --- what ipmi_exporter calls things ---------------------------------------- */

/*
 * FreeIPMI's words for the IPMI sensor types (IPMI v2.0 table 42-3), as
 * ipmi_exporter passes them on in the type label.  Checked against it for
 * the types bmcsim serves (tests/interop/metrics-vs-ipmi_exporter.sh);
 * the others follow the spec's names the same way.
 */
static const char *const fi_types[] = {
	[0x01] = "Temperature",
	[0x02] = "Voltage",
	[0x03] = "Current",
	[0x04] = "Fan",
	[0x05] = "Physical Security",
	[0x06] = "Platform Security Violation Attempt",
	[0x07] = "Processor",
	[0x08] = "Power Supply",
	[0x09] = "Power Unit",
	[0x0a] = "Cooling Device",
	[0x0b] = "Other Units Based Sensor",
	[0x0c] = "Memory",
	[0x0d] = "Drive Slot",
	[0x0e] = "POST Memory Resize",
	[0x0f] = "System Firmware Progress",
	[0x10] = "Event Logging Disabled",
	[0x11] = "Watchdog 1",
	[0x12] = "System Event",
	[0x13] = "Critical Interrupt",
	[0x14] = "Button/Switch",
	[0x15] = "Module/Board",
	[0x16] = "Microcontroller/Coprocessor",
	[0x17] = "Add In Card",
	[0x18] = "Chassis",
	[0x19] = "Chip Set",
	[0x1a] = "Other FRU",
	[0x1b] = "Cable/Interconnect",
	[0x1c] = "Terminator",
	[0x1d] = "System Boot Initiated",
	[0x1e] = "Boot Error",
	[0x1f] = "OS Boot",
	[0x20] = "OS Critical Stop",
	[0x21] = "Slot/Connector",
	[0x22] = "System ACPI Power State",
	[0x23] = "Watchdog 2",
	[0x24] = "Platform Alert",
	[0x25] = "Entity Presence",
	[0x26] = "Monitor ASIC/IC",
	[0x27] = "LAN",
	[0x28] = "Management Subsystem Health",
	[0x29] = "Battery",
	[0x2a] = "Session Audit",
	[0x2b] = "Version Change",
	[0x2c] = "FRU State",
};

static const char *
fi_type_name(uint8_t t)
{
	if (t < sizeof(fi_types) / sizeof(fi_types[0]) && fi_types[t] != NULL)
		return fi_types[t];
	return t >= 0xc0 ? "OEM Reserved" : "Unknown";
}

/*
 * bmc-info's "Manufacturer ID": the IANA registry's name for the
 * enterprise number, then the number.  Only the registry names of the
 * vendors checked against FreeIPMI are here; for the others FreeIPMI
 * prints the registry's name and we the number alone (a listed
 * difference).
 */
static const struct {
	uint32_t	 id;
	const char	*name;
} fi_vendors[] = {
	{ 11, "Hewlett-Packard" },
	{ 674, "Dell Inc." },
	{ 10876, "Super Micro Computer Inc." },
	{ 19046, "Lenovo Enterprise Business Group" },
};

static void
put_manufacturer(struct gbuf *b, uint32_t id)
{
	char t[24];

	for (size_t i = 0; i < sizeof(fi_vendors) / sizeof(fi_vendors[0]); i++)
		if (fi_vendors[i].id == id) {
			gbuf_puts(b, fi_vendors[i].name);
			gbuf_puts(b, " (");
			put_uint(id, t);
			gbuf_puts(b, t);
			gbuf_putc(b, ')');
			return;
		}
	put_uint(id, t);
	gbuf_puts(b, t);
}

/* the ipmi collector's sensor families, by unit */
enum cls { C_GENERIC, C_TEMP, C_FAN_RPM, C_FAN_RATIO, C_VOLT, C_CURR,
	C_POWER, C_NCLS };

static enum cls
sensor_class(const char *units, uint8_t type)
{
	/* units are sensor_units_format's long form */
	switch (units[0]) {
	case 'd':
		return strcmp(units, "degrees C") == 0 ? C_TEMP : C_GENERIC;
	case 'R':
		return strcmp(units, "RPM") == 0 ? C_FAN_RPM : C_GENERIC;
	case 'V':
		return strcmp(units, "Volts") == 0 ? C_VOLT : C_GENERIC;
	case 'A':
		return strcmp(units, "Amps") == 0 ? C_CURR : C_GENERIC;
	case 'W':
		return strcmp(units, "Watts") == 0 ? C_POWER : C_GENERIC;
	case 'p':
		return strcmp(units, "percent") == 0 && type == 0x04 ?
		    C_FAN_RATIO : C_GENERIC;
	default:
		return C_GENERIC;
	}
}

enum kind {
	K_BMC_INFO, K_COOLING_FAULT, K_DRIVE_FAULT, K_POWER_STATE,
	K_VALUE, K_STATE, K_DCMI, K_DURATION, K_SEL_FREE, K_SEL_COUNT, K_UP,
};

struct family {
	const char	*name;
	const char	*help;
	enum kind	 kind;
	unsigned	 cls;		/* K_VALUE, K_STATE: 1 << enum cls */
};

#define STATE_HELP(what) "Reported state of a " what \
	" (0=nominal, 1=warning, 2=critical)."

/* ipmi_exporter's order: by name */
static const struct family families[] = {
	{ "ipmi_bmc_info", "Constant metric with value '1' providing details "
	    "about the BMC.", K_BMC_INFO, 0 },
	/* newer ipmi_exporters' chassis collector; 1.6.1 has power only */
	{ "ipmi_chassis_cooling_fault_state", "Current Cooling/fan fault "
	    "state (1=false, 0=true).", K_COOLING_FAULT, 0 },
	{ "ipmi_chassis_drive_fault_state", "Current drive fault state "
	    "(1=false, 0=true).", K_DRIVE_FAULT, 0 },
	{ "ipmi_chassis_power_state", "Current power state (1=on, 0=off).",
	    K_POWER_STATE, 0 },
	{ "ipmi_current_amperes", "Current reading in Amperes.", K_VALUE,
	    1u << C_CURR },
	{ "ipmi_current_state", STATE_HELP("current sensor"), K_STATE,
	    1u << C_CURR },
	{ "ipmi_dcmi_power_consumption_watts", "Current power consumption in "
	    "Watts.", K_DCMI, 0 },
	{ "ipmi_fan_speed_ratio", "Fan speed as a proportion of the maximum "
	    "speed.", K_VALUE, 1u << C_FAN_RATIO },
	{ "ipmi_fan_speed_rpm", "Fan speed in rotations per minute.", K_VALUE,
	    1u << C_FAN_RPM },
	{ "ipmi_fan_speed_state", STATE_HELP("fan speed sensor"), K_STATE,
	    1u << C_FAN_RPM | 1u << C_FAN_RATIO },
	{ "ipmi_power_state", STATE_HELP("power sensor"), K_STATE,
	    1u << C_POWER },
	{ "ipmi_power_watts", "Power reading in Watts.", K_VALUE,
	    1u << C_POWER },
	{ "ipmi_scrape_duration_seconds", "Returns how long the scrape took "
	    "to complete in seconds.", K_DURATION, 0 },
	{ "ipmi_sel_free_space_bytes", "Current free space remaining for new "
	    "SEL entries.", K_SEL_FREE, 0 },
	{ "ipmi_sel_logs_count", "Current number of log entries in the SEL.",
	    K_SEL_COUNT, 0 },
	{ "ipmi_sensor_state", "Indicates the severity of the state reported "
	    "by an IPMI sensor (0=nominal, 1=warning, 2=critical).", K_STATE,
	    1u << C_GENERIC },
	{ "ipmi_sensor_value", "Generic data read from an IPMI sensor of "
	    "unknown type, relying on labels for context.", K_VALUE,
	    1u << C_GENERIC },
	{ "ipmi_temperature_celsius", "Temperature reading in degree Celsius.",
	    K_VALUE, 1u << C_TEMP },
	{ "ipmi_temperature_state", STATE_HELP("temperature sensor"), K_STATE,
	    1u << C_TEMP },
	{ "ipmi_up", "'1' if a scrape of the IPMI device was successful, '0' "
	    "otherwise.", K_UP, 0 },
	{ "ipmi_voltage_state", STATE_HELP("voltage sensor"), K_STATE,
	    1u << C_VOLT },
	{ "ipmi_voltage_volts", "Voltage reading in Volts.", K_VALUE,
	    1u << C_VOLT },
};

/* ipmi_exporter's collectors, in its ipmi_up order */
static const struct {
	const char	*name;
	uint8_t		 have;		/* FM_H_* */
} collectors[] = {
	{ "bmc", FM_H_DEVID },
	{ "chassis", FM_H_CHASSIS },
	{ "dcmi", FM_H_DCMI },
	{ "ipmi", FM_H_SENSORS },
	{ "sel", FM_H_SEL },
};

/* --- rendering ------------------------------------------------------------------ */

struct render {
	struct gbuf	*b;
	const struct fleetmem *fm;
	int		 bmc_label;
	const struct family *f;
	int		 started;	/* HELP and TYPE written */
	/* (units, type) -> class, for the few units a fleet has */
	uint32_t	 uid[64];
	uint8_t		 utype[64];
	uint8_t		 ucls[64];
	size_t		 nu;
	const uint8_t	*cls;		/* the host's sensors' classes */
};

static void
family_head(struct render *r)
{
	const char *type = "gauge";

	if (r->started)
		return;
	r->started = 1;
	/* promtool's lint wants "_count" on histograms and summaries
	 * only, but spares untyped families: /metrics says untyped */
	if (r->f->kind == K_SEL_COUNT && r->bmc_label)
		type = "untyped";
	gbuf_puts(r->b, "# HELP ");
	gbuf_puts(r->b, r->f->name);
	gbuf_putc(r->b, ' ');
	gbuf_puts(r->b, r->f->help);
	gbuf_puts(r->b, "\n# TYPE ");
	gbuf_puts(r->b, r->f->name);
	gbuf_putc(r->b, ' ');
	gbuf_puts(r->b, type);
	gbuf_putc(r->b, '\n');
}

/* "NAME{" or "NAME{bmc="HOST"," up to the first label of the series */
static void
series_open(struct render *r, const struct fm_host *h)
{
	family_head(r);
	gbuf_puts(r->b, r->f->name);
	if (r->bmc_label) {
		gbuf_puts(r->b, "{bmc=\"");
		put_label(r->b, h->name);
		gbuf_putc(r->b, '"');
	} else
		gbuf_putc(r->b, '{');
}

/* a series with no label of its own: NAME{bmc="HOST"} or NAME */
static void
series_plain(struct render *r, const struct fm_host *h, double v)
{
	family_head(r);
	gbuf_puts(r->b, r->f->name);
	if (r->bmc_label) {
		gbuf_puts(r->b, "{bmc=\"");
		put_label(r->b, h->name);
		gbuf_puts(r->b, "\"}");
	}
	gbuf_putc(r->b, ' ');
	put_value(r->b, v);
}

static void
sep(struct render *r)
{
	if (r->bmc_label)
		gbuf_putc(r->b, ',');
}

/* The class of a sensor, through a small cache: a fleet has few units. */
static uint8_t
class_of(struct render *r, const struct fm_sensor *s)
{
	uint8_t c;

	for (size_t i = 0; i < r->nu; i++)
		if (r->uid[i] == s->units && r->utype[i] == s->type)
			return r->ucls[i];
	c = (uint8_t)sensor_class(fleetmem_str(r->fm, s->units), s->type);
	if (r->nu < sizeof(r->uid) / sizeof(r->uid[0])) {
		r->uid[r->nu] = s->units;
		r->utype[r->nu] = s->type;
		r->ucls[r->nu++] = c;
	}
	return c;
}

static void
render_sensors(struct render *r, const struct fm_host *h)
{
	char id[8];
	size_t idn;

	for (uint32_t i = 0; i < h->ns; i++) {
		const struct fm_sensor *s = &h->s[i];
		enum cls c = (enum cls)r->cls[i];
		double v;

		if (!(r->f->cls & 1u << c))
			continue;
		series_open(r, h);
		sep(r);
		gbuf_puts(r->b, "id=\"");
		idn = put_uint(s->record_id, id);
		gbuf_add(r->b, id, idn);
		gbuf_puts(r->b, "\",name=\"");
		put_label(r->b, fleetmem_str(r->fm, s->name));
		if (c == C_GENERIC) {
			gbuf_puts(r->b, "\",type=\"");
			gbuf_puts(r->b, fi_type_name(s->type));
		}
		gbuf_puts(r->b, "\"} ");
		if (r->f->kind == K_VALUE)
			v = !(s->flags & FM_S_VALUE) ? NAN :
			    c == C_FAN_RATIO ? s->value * 0.01 : s->value;
		else
			v = s->state == FM_NA ? NAN : (double)s->state;
		put_value(r->b, v);
	}
}

static void
render_host(struct render *r, const struct fm_host *h)
{
	char t[24];

	switch (r->f->kind) {
	case K_BMC_INFO:
		if (!(h->have & FM_H_DEVID))
			return;
		series_open(r, h);
		sep(r);
		gbuf_puts(r->b, "firmware_revision=\"");
		gbuf_printf(r->b, "%u.%02u", h->fw_major, h->fw_minor);
		gbuf_puts(r->b, "\",manufacturer_id=\"");
		put_manufacturer(r->b, h->manufacturer);
		gbuf_puts(r->b, "\",system_firmware_version=\"");
		if (h->have & FM_H_SYSFW)
			put_label(r->b, fleetmem_str(r->fm, h->sysfw));
		gbuf_puts(r->b, "\"} 1\n");
		return;
	case K_COOLING_FAULT:
		if (h->have & FM_H_CHASSIS)
			series_plain(r, h, h->chassis_misc & 0x08 ? 0 : 1);
		return;
	case K_DRIVE_FAULT:
		if (h->have & FM_H_CHASSIS)
			series_plain(r, h, h->chassis_misc & 0x04 ? 0 : 1);
		return;
	case K_POWER_STATE:
		if (h->have & FM_H_CHASSIS)
			series_plain(r, h, h->power_on);
		return;
	case K_VALUE:
	case K_STATE:
		render_sensors(r, h);
		return;
	case K_DCMI:
		if (h->have & FM_H_DCMI)
			series_plain(r, h, h->dcmi_watts);
		return;
	case K_DURATION:
		/* the sweep's time with the BMC: our "scrape" of it */
		series_plain(r, h, h->dur_ms / 1000.0);
		return;
	case K_SEL_FREE:
		if (h->have & FM_H_SEL)
			series_plain(r, h, h->sel_free);
		return;
	case K_SEL_COUNT:
		if (h->have & FM_H_SEL)
			series_plain(r, h, h->sel_entries);
		return;
	case K_UP:
		for (size_t c = 0; c < sizeof(collectors) /
		    sizeof(collectors[0]); c++) {
			series_open(r, h);
			sep(r);
			gbuf_puts(r->b, "collector=\"");
			gbuf_puts(r->b, collectors[c].name);
			gbuf_puts(r->b, "\"} ");
			put_uint(h->up && (h->have & collectors[c].have) ?
			    1 : 0, t);
			gbuf_puts(r->b, t);
			gbuf_putc(r->b, '\n');
		}
		return;
	}
}

void
metrics_render_ipmi(struct gbuf *b, const struct fleetmem *fm,
    const struct fm_host *const *hosts, size_t n, int bmc_label)
{
	struct render r;
	size_t *off, total = 0;
	uint8_t *cls;

	memset(&r, 0, sizeof(r));
	r.b = b;
	r.fm = fm;
	r.bmc_label = bmc_label;
	/* each sensor's family, once for all the families' passes */
	if ((off = malloc((n + 1) * sizeof(*off))) == NULL) {
		b->oom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		off[i] = total;
		total += hosts[i]->ns;
	}
	off[n] = total;
	if ((cls = malloc(total ? total : 1)) == NULL) {
		free(off);
		b->oom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		for (uint32_t k = 0; k < hosts[i]->ns; k++)
			cls[off[i] + k] = class_of(&r, &hosts[i]->s[k]);
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		r.f = &families[f];
		r.started = 0;
		for (size_t i = 0; i < n; i++) {
			if (!(hosts[i]->have & FM_H_SWEPT))
				continue;
			r.cls = cls + off[i];
			render_host(&r, hosts[i]);
		}
	}
	free(cls);
	free(off);
}

void
metrics_render_unknown(struct gbuf *b)
{
	gbuf_puts(b, "# HELP ipmi_scrape_duration_seconds Returns how long "
	    "the scrape took to complete in seconds.\n"
	    "# TYPE ipmi_scrape_duration_seconds gauge\n"
	    "ipmi_scrape_duration_seconds 0\n"
	    "# HELP ipmi_up '1' if a scrape of the IPMI device was successful, "
	    "'0' otherwise.\n"
	    "# TYPE ipmi_up gauge\n");
	for (size_t c = 0; c < sizeof(collectors) / sizeof(collectors[0]); c++)
		gbuf_printf(b, "ipmi_up{collector=\"%s\"} 0\n",
		    collectors[c].name);
}

/* --- the daemon's own health ------------------------------------------------- */

static void
head(struct gbuf *b, const char *name, const char *type, const char *help)
{
	gbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
one(struct gbuf *b, const char *name, const char *type, const char *help,
    double v)
{
	head(b, name, type, help);
	gbuf_puts(b, name);
	gbuf_putc(b, ' ');
	put_value(b, v);
}

void
metrics_render_health(struct gbuf *b, const struct metrics_health *m)
{
	one(b, "bmcfleet_sweep_duration_seconds", "gauge",
	    "How long the last whole sweep of the fleet took.",
	    m->sweep_seconds);
	one(b, "bmcfleet_sweep_last_end_timestamp_seconds", "gauge",
	    "When the last whole sweep ended (unix time; 0 none yet).",
	    m->sweep_end_unix);
	one(b, "bmcfleet_sweeps_total", "counter",
	    "Whole sweeps since bmcfleetd started.", (double)m->sweeps);
	one(b, "bmcfleet_sweep_running", "gauge",
	    "1 while a sweep is running.", m->sweeping);
	head(b, "bmcfleet_hosts", "gauge", "Configured BMCs by the result of "
	    "their latest sweep by this daemon (unswept: none yet, or swept "
	    "by another collector).");
	gbuf_printf(b, "bmcfleet_hosts{result=\"ok\"} %zu\n", m->hosts_ok);
	gbuf_printf(b, "bmcfleet_hosts{result=\"failed\"} %zu\n",
	    m->hosts_failed);
	gbuf_printf(b, "bmcfleet_hosts{result=\"unswept\"} %zu\n",
	    m->hosts_configured >= m->hosts_ok + m->hosts_failed ?
	    m->hosts_configured - m->hosts_ok - m->hosts_failed : 0);
	head(b, "bmcfleet_hosts_failed", "gauge",
	    "BMCs whose latest sweep failed, by reason.");
	for (int k = 1; k <= DRV_FAIL_LAST && k < 16; k++) {
		gbuf_puts(b, "bmcfleet_hosts_failed{reason=\"");
		put_label(b, drv_fail_name((enum drv_fail)k));
		gbuf_printf(b, "\"} %zu\n", m->failed_by[k]);
	}
	one(b, "bmcfleet_spool_batches", "gauge",
	    "Batches of rows in the spool, not yet committed.",
	    (double)m->spool_batches);
	one(b, "bmcfleet_spool_bytes", "gauge",
	    "Bytes of the batches in the spool.", (double)m->spool_bytes);
	one(b, "bmcfleet_db_pending_batches", "gauge",
	    "Batches the database writer has not committed yet.",
	    (double)m->db_pending);
	one(b, "bmcfleet_db_up", "gauge",
	    "1 when the database writer is connected.", m->db_up);
	one(b, "bmcfleet_db_committed_batches_total", "counter",
	    "Batches committed since bmcfleetd started.",
	    (double)m->db_committed);
	one(b, "bmcfleet_db_lag_seconds", "gauge",
	    "Age of the oldest batch not yet committed (0: none waits).",
	    m->db_lag_seconds);
	one(b, "bmcfleet_traps_listening", "gauge",
	    "1 when the PET trap listener is bound.", m->traps_listening);
	one(b, "bmcfleet_traps_received_total", "counter",
	    "Datagrams the trap listener received.",
	    (double)m->traps_received);
	one(b, "bmcfleet_traps_accepted_total", "counter",
	    "PET traps accepted from configured BMCs (resends included).",
	    (double)m->traps_accepted);
	head(b, "bmcfleet_traps_dropped_total", "counter",
	    "Datagrams the trap listener dropped, by reason.");
	for (int k = TRAPRX_OK + 1; k < TRAPRX_NVERDICTS && k < 8; k++) {
		if (k == TRAPRX_REPEAT)
			continue;	/* accepted, not dropped */
		gbuf_puts(b, "bmcfleet_traps_dropped_total{reason=\"");
		put_label(b, traprx_verdict_name((enum traprx_verdict)k));
		gbuf_printf(b, "\"} %" PRIu64 "\n", m->traps_by_verdict[k]);
	}
	one(b, "bmcfleet_trap_sel_reads_total", "counter",
	    "SEL reads started by traps.", (double)m->trap_reads);
	one(b, "bmcfleet_sel_light_passes_total", "counter",
	    "Light passes (Get SEL Info of every BMC between sweeps).",
	    (double)m->light_passes);
	one(b, "bmcfleet_http_requests_total", "counter",
	    "HTTP requests answered.", (double)m->http_requests);
	one(b, "bmcfleet_http_errors_total", "counter",
	    "HTTP requests answered with an error.", (double)m->http_errors);
	one(b, "bmcfleet_http_refused_auth_total", "counter",
	    "HTTP requests refused for a missing or wrong bearer token.",
	    (double)m->http_refused_auth);
	one(b, "bmcfleet_fleetmem_bytes", "gauge",
	    "Bytes holding the fleet's latest sweep in memory.",
	    (double)m->fleetmem_bytes);
}

/* --- the handlers ------------------------------------------------------------ */

static void
reply_text(struct httpd_call *call, int status, const char *text)
{
	struct gbuf b = GBUF_INIT;

	gbuf_puts(&b, text);
	httpd_reply(call, status, "text/plain; charset=utf-8", &b);
	gbuf_release(&b);
}

/* Configured BMCs this daemon swept, in config order. */
static const struct fm_host **
swept_hosts(const struct collect *co, size_t *n)
{
	const struct fm_host **v;

	*n = 0;
	if (co->mem == NULL)
		return NULL;
	if ((v = malloc((co->c.nbmcs ? co->c.nbmcs : 1) * sizeof(*v))) ==
	    NULL)
		return NULL;
	for (size_t i = 0; i < co->c.nbmcs; i++) {
		const struct fm_host *h = fleetmem_find(co->mem,
		    co->c.bmcs[i].name);

		if (h != NULL && (h->have & FM_H_SWEPT))
			v[(*n)++] = h;
	}
	return v;
}

static void
health_of(struct serve *srv, const struct fm_host *const *hv, size_t n,
    struct metrics_health *m)
{
	const struct collect *co = srv->co;
	const struct collect_ev_stats *es = collect_events_stats(co);
	const struct traprx_stats *rs = collect_events_rx_stats(co);
	const struct httpd_stats *hs = httpd_stats(srv->h);
	uint64_t now = loop_wall_ms();

	memset(m, 0, sizeof(*m));
	m->sweep_seconds = co->last_sweep_ms / 1000.0;
	m->sweep_end_unix = co->last_sweep_end_ms / 1000.0;
	m->sweeps = co->sweeps;
	m->sweeping = co->sweeping;
	m->hosts_configured = co->c.nbmcs;
	for (size_t i = 0; i < n; i++) {
		if (hv[i]->up)
			m->hosts_ok++;
		else {
			m->hosts_failed++;
			if (hv[i]->reason < 16)
				m->failed_by[hv[i]->reason]++;
		}
	}
	if (co->spool.dir != NULL) {
		uint64_t seq = spool_oldest(&co->spool);

		m->spool_batches = spool_count(&co->spool);
		m->spool_bytes = co->spool.used;
		if (seq != 0) {
			/* the batch file's time: when it was spooled */
			char path[4200];
			struct stat st;

			snprintf(path, sizeof(path), "%s/%016" PRIu64 ".batch",
			    co->spool.dir, seq);
			if (stat(path, &st) == 0) {
				double t = (double)st.st_mtim.tv_sec +
				    st.st_mtim.tv_nsec / 1e9;

				if (now / 1000.0 > t)
					m->db_lag_seconds = now / 1000.0 - t;
			}
		}
	}
	if (co->dbw != NULL) {
		m->db_pending = dbw_pending(co->dbw);
		m->db_up = dbw_up(co->dbw);
		m->db_committed = dbw_stats(co->dbw)->batches;
	}
	if (rs != NULL) {
		m->traps_listening = 1;
		m->traps_received = rs->received;
		m->traps_accepted = rs->accepted;
		for (int k = 0; k < TRAPRX_NVERDICTS && k < 8; k++)
			m->traps_by_verdict[k] = rs->n[k];
	}
	if (es != NULL) {
		m->trap_reads = es->reads;
		m->light_passes = es->passes;
	}
	if (hs != NULL) {
		m->http_requests = hs->requests;
		m->http_errors = hs->errors;
		m->http_refused_auth = hs->refused_auth;
	}
	m->fleetmem_bytes = co->mem != NULL ? fleetmem_bytes(co->mem) : 0;
}

static int
on_metrics(void *arg, struct httpd_call *call)
{
	struct serve *srv = arg;
	struct gbuf b = GBUF_INIT;
	struct metrics_health m;
	const struct fm_host **hv;
	size_t n;

	if (strcmp(httpd_path(call), "/metrics") != 0) {
		reply_text(call, 404, "not found\n");
		return 0;
	}
	hv = swept_hosts(srv->co, &n);
	if (hv == NULL && srv->co->mem != NULL) {
		reply_text(call, 500, "out of memory\n");
		return 0;
	}
	if (n > 0)
		metrics_render_ipmi(&b, srv->co->mem, hv, n, 1);
	health_of(srv, hv, n, &m);
	metrics_render_health(&b, &m);
	free(hv);
	if (gbuf_failed(&b)) {
		gbuf_release(&b);
		reply_text(call, 500, "out of memory\n");
		return 0;
	}
	httpd_reply(call, 200, CONTENT_TYPE, &b);
	gbuf_release(&b);
	return 0;
}

/* The BMC a target names: its configured name, else its address. */
static const struct fm_host *
target_host(const struct collect *co, const char *t)
{
	const struct fm_host *h;

	if (co->mem == NULL)
		return NULL;
	if (config_bmc_find(&co->c, t) >= 0)
		return fleetmem_find(co->mem, t);
	for (size_t i = 0; i < co->c.nbmcs; i++)
		if (co->c.bmcs[i].address != NULL &&
		    strcmp(co->c.bmcs[i].address, t) == 0 &&
		    (h = fleetmem_find(co->mem, co->c.bmcs[i].name)) != NULL)
			return h;
	return NULL;
}

static int
on_ipmi(void *arg, struct httpd_call *call)
{
	struct serve *srv = arg;
	struct gbuf b = GBUF_INIT;
	const struct fm_host *h;
	const char *t = httpd_arg(call, "target");

	/* module= is ipmi_exporter's choice of collectors: all are
	 * answered here, so it is accepted and ignored */
	if (strcmp(httpd_path(call), "/ipmi") != 0) {
		reply_text(call, 404, "not found\n");
		return 0;
	}
	if (t == NULL || t[0] == '\0') {
		/* ipmi_exporter would read its own host's BMC: we have none */
		reply_text(call, 400, "/ipmi needs ?target=BMC (a configured "
		    "name or address)\n");
		return 0;
	}
	/* unknown, or not swept by this daemon: as ipmi_exporter answers
	 * for a BMC it cannot reach */
	if ((h = target_host(srv->co, t)) == NULL || !(h->have & FM_H_SWEPT))
		metrics_render_unknown(&b);
	else
		metrics_render_ipmi(&b, srv->co->mem, &h, 1, 0);
	if (gbuf_failed(&b)) {
		gbuf_release(&b);
		reply_text(call, 500, "out of memory\n");
		return 0;
	}
	httpd_reply(call, 200, CONTENT_TYPE, &b);
	gbuf_release(&b);
	return 0;
}

int
serve_metrics_routes(struct serve *srv)
{
	if (httpd_route(srv->h, "/metrics", on_metrics, srv) != 0 ||
	    httpd_route(srv->h, "/ipmi", on_ipmi, srv) != 0)
		return -1;
	return 0;
}
