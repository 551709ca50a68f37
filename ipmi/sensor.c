#include <math.h>	/* NAN, HUGE_VAL, isnan: macros, no libm */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "evtab.h"
#include "ipmi.h"
#include "sensor.h"

#define PUT(expr)	do { if ((expr) == -1) return IPMI_E_NOSPACE; } while (0)
#define GET(expr)	do { if ((expr) == -1) return IPMI_E_SHORT; } while (0)

/* --- 35.9, 35.14 ------------------------------------------------------ */

int
ipmi_sensor_req_encode(uint8_t number, struct buf *b)
{
	PUT(buf_put_u8(b, number));
	return 0;
}

int
ipmi_sensor_req_decode(struct buf *b, uint8_t *number)
{
	GET(buf_get_u8(b, number));
	return 0;
}

int
ipmi_sensor_reading_rsp_encode(const struct ipmi_sensor_reading_rsp *r,
    struct buf *b)
{
	PUT(buf_put_u8(b, r->raw));
	PUT(buf_put_u8(b, r->flags));
	if (!r->has_state)
		return 0;
	/* byte 3 carries either comparison bits or states 0-7 */
	PUT(buf_put_u8(b, (uint8_t)(r->thresh | (r->states & 0xff))));
	if (r->has_state2)
		PUT(buf_put_u8(b, (uint8_t)(0x80 | (r->states >> 8))));
	return 0;
}

int
ipmi_sensor_reading_rsp_decode(struct buf *b, struct ipmi_sensor_reading_rsp *r)
{
	uint8_t b3, b4;

	memset(r, 0, sizeof(*r));
	GET(buf_get_u8(b, &r->raw));
	if (buf_get_u8(b, &r->flags) == -1) {
		/* only the reading byte: nothing says it is valid */
		r->flags = SENSOR_RD_UNAVAILABLE;
		return 0;
	}
	if (buf_get_u8(b, &b3) == -1)
		return 0;
	r->has_state = 1;
	r->thresh = b3 & 0x3f;
	r->states = b3;
	if (buf_get_u8(b, &b4) == -1)
		return 0;
	r->has_state2 = 1;
	/* bit 7 of byte 4 is reserved (spec: write as 1) */
	r->states |= (uint16_t)((b4 & 0x7f) << 8);
	return 0;
}

int
sensor_reading_na(const struct ipmi_sensor_reading_rsp *r)
{
	return (r->flags & SENSOR_RD_UNAVAILABLE) ||
	    !(r->flags & SENSOR_RD_SCANNING);
}

int
ipmi_sensor_thresh_rsp_encode(const struct ipmi_sensor_thresh_rsp *r,
    struct buf *b)
{
	int i;

	PUT(buf_put_u8(b, r->readable & 0x3f));
	for (i = 0; i < SDR_TH_COUNT; i++)
		PUT(buf_put_u8(b, r->raw[i]));
	return 0;
}

int
ipmi_sensor_thresh_rsp_decode(struct buf *b, struct ipmi_sensor_thresh_rsp *r)
{
	uint8_t m;
	int i;

	memset(r, 0, sizeof(*r));
	GET(buf_get_u8(b, &m));
	r->readable = m & 0x3f;
	/* 35.9: LNC, LCR, LNR, UNC, UCR, UNR: the order of SDR_TH_* */
	for (i = 0; i < SDR_TH_COUNT; i++)
		GET(buf_get_u8(b, &r->raw[i]));
	return 0;
}

/* --- arithmetic without libm ------------------------------------------ */

/* fdlibm's split of ln 2: k * LN2_HI is exact for |k| < 2^11 */
#define LN2_HI	6.93147180369123816490e-01
#define LN2_LO	1.90821492927058770002e-10
#define LN2	0.69314718055994530942
#define LN10	2.30258509299404568402
#define LOG2E	1.44269504088896340736

static const double exact10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* 10^k for |k| <= 22, correctly rounded (as pow(10, k) is). */
static double
pow10i(int k)
{
	if (k >= 0)
		return exact10[k > 22 ? 22 : k];
	return 1.0 / exact10[-k > 22 ? 22 : -k];
}

/* 2^e for e in [-1022, 1023], built from its bits. */
static double
twopow(int e)
{
	uint64_t bits = (uint64_t)(e + 1023) << 52;
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

static double
scale2(double y, int k)
{
	while (k > 1000) {
		y *= twopow(1000);
		k -= 1000;
	}
	while (k < -1000) {
		y *= twopow(-1000);
		k += 1000;
	}
	return y * twopow(k);
}

static double
m_exp(double x)
{
	double r, t, sum;
	int k, i;

	if (isnan(x))
		return x;
	if (x > 709.8)
		return HUGE_VAL;
	if (x < -745.2)
		return 0.0;
	k = (int)(x * LOG2E + (x >= 0 ? 0.5 : -0.5));
	r = (x - k * LN2_HI) - k * LN2_LO;	/* |r| <= ln2 / 2 */
	sum = 1.0;
	t = 1.0;
	for (i = 1; i <= 20; i++) {
		t *= r / i;
		sum += t;
	}
	return scale2(sum, k);
}

/* x = m * 2^e with m in [sqrt(1/2), sqrt(2)); x finite and > 0. */
static double
split2(double x, int *e)
{
	uint64_t bits;
	int adj = 0;

	if (x < 2.2250738585072014e-308) {	/* subnormal */
		x *= 18014398509481984.0;	/* 2^54 */
		adj = -54;
	}
	memcpy(&bits, &x, sizeof(bits));
	*e = (int)((bits >> 52) & 0x7ff) - 1023 + adj;
	bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
	memcpy(&x, &bits, sizeof(x));
	if (x > 1.41421356237309504880) {
		x /= 2;
		(*e)++;
	}
	return x;
}

/* ln of m in [sqrt(1/2), sqrt(2)): 2 atanh((m - 1) / (m + 1)). */
static double
ln_m(double m)
{
	double s = (m - 1) / (m + 1), s2 = s * s, t = s, sum = 0;
	int i;

	for (i = 1; i <= 41; i += 2) {
		sum += t / i;
		t *= s2;
	}
	return 2 * sum;
}

static double
m_ln(double x)
{
	int e;

	if (isnan(x) || x < 0)
		return NAN;
	if (x == 0)
		return -HUGE_VAL;
	if (isinf(x))
		return x;
	x = split2(x, &e);
	return e * LN2_HI + (ln_m(x) + e * LN2_LO);
}

static double
m_log2(double x)
{
	int e;

	if (isnan(x) || x < 0)
		return NAN;
	if (x == 0)
		return -HUGE_VAL;
	if (isinf(x))
		return x;
	x = split2(x, &e);
	return e + ln_m(x) / LN2;	/* exact for powers of two */
}

static double
m_log10(double x)
{
	double l;
	int i;

	/* exact for the powers of ten a BMC would use */
	for (i = 0; i <= 22; i++)
		if (x == exact10[i])
			return i;
	l = m_ln(x);
	return l / LN10;
}

static double
m_exp10(double x)
{
	/* range first: casting a double outside int's range is UB, and
	 * K2 = 7 with a large M x raw gets there */
	if (x >= -22 && x <= 22 && x == (int)x)
		return pow10i((int)x);
	return m_exp(x * LN10);
}

static double
m_exp2(double x)
{
	int n;

	if (isnan(x))
		return x;
	if (x > 1100)
		return HUGE_VAL;
	if (x < -1100)
		return 0.0;
	/* the integer part exactly; only the fraction goes through exp */
	n = (int)x;
	return scale2(m_exp((x - n) * LN2), n);
}

static double
m_sqrt(double x)
{
	double y;
	int e, i;

	if (isnan(x) || x < 0)
		return NAN;
	if (x == 0 || isinf(x))
		return x;
	(void)split2(x, &e);
	y = scale2(1.0, e / 2);
	for (i = 0; i < 60; i++) {
		double n = 0.5 * (y + x / y);

		if (n == y)
			break;
		y = n;
	}
	/* an exact square gives its exact root */
	if (y < 1e15) {
		double r = (double)(long long)(y + 0.5);

		if (r * r == x)
			y = r;
	}
	return y;
}

static double
m_cbrt(double x)
{
	double y, a;
	int e, i, neg = x < 0;

	if (isnan(x) || x == 0 || isinf(x))
		return x;
	a = neg ? -x : x;
	(void)split2(a, &e);
	y = scale2(1.0, e / 3);
	for (i = 0; i < 60; i++) {
		double n = y - (y * y * y - a) / (3 * y * y);

		if (n == y)
			break;
		y = n;
	}
	/* an exact cube gives its exact root */
	if (y < 1e15) {
		double r = (double)(long long)(y + 0.5);

		if (r * r * r == a)
			y = r;
	}
	return neg ? -y : y;
}

/* --- 36.3 conversion -------------------------------------------------- */

int
sensor_raw_int(const struct sdr_factors *f, uint8_t raw)
{
	switch (f->format) {
	case SDR_FMT_ONES:
		/* 1's complement: FFh is -0 */
		return raw & 0x80 ? (int)raw - 0xff : raw;
	case SDR_FMT_TWOS:
		return (int8_t)raw;
	default:
		return raw;
	}
}

static int
linearize(uint8_t l, double v, double *out)
{
	double y;

	switch (l) {
	case SDR_L_LINEAR:	y = v; break;
	case SDR_L_LN:		y = m_ln(v); break;
	case SDR_L_LOG10:	y = m_log10(v); break;
	case SDR_L_LOG2:	y = m_log2(v); break;
	case SDR_L_E:		y = m_exp(v); break;
	case SDR_L_EXP10:	y = m_exp10(v); break;
	case SDR_L_EXP2:	y = m_exp2(v); break;
	case SDR_L_1_X:		y = v == 0 ? NAN : 1.0 / v; break;
	case SDR_L_SQR:		y = v * v; break;
	case SDR_L_CUBE:	y = v * v * v; break;
	case SDR_L_SQRT:	y = m_sqrt(v); break;
	case SDR_L_CUBE_ROOT:	y = m_cbrt(v); break;
	default:
		*out = NAN;
		return IPMI_E_UNSUPPORTED;
	}
	if (isnan(y) || (l != SDR_L_LINEAR && isinf(y) && y < 0)) {
		*out = NAN;	/* ln 0 is -inf: undefined all the same */
		return IPMI_E_MALFORMED;
	}
	*out = y;
	return 0;
}

int
sensor_convert(const struct sdr_factors *f, uint8_t raw, double *value)
{
	double v;

	*value = NAN;
	if (f->format == SDR_FMT_NONE)
		return IPMI_E_UNSUPPORTED;
	v = ((double)f->m * sensor_raw_int(f, raw) +
	    (double)f->b * pow10i(f->k1)) * pow10i(f->k2);
	return linearize(f->linear & 0x7f, v, value);
}

double
sensor_resolution(const struct sdr_factors *f, uint8_t raw)
{
	double y, lo, hi, d = 0;
	int x;

	if ((f->linear & 0x7f) == SDR_L_LINEAR) {
		y = (double)f->m * pow10i(f->k2);
		return y < 0 ? -y : y;
	}
	if (sensor_convert(f, raw, &y) != 0)
		return 0;
	x = sensor_raw_int(f, raw);
	/* neighbours in the raw domain, as the format orders them */
	if ((f->format == SDR_FMT_UNSIGNED && raw > 0) ||
	    (f->format != SDR_FMT_UNSIGNED && x > -127)) {
		if (sensor_convert(f, (uint8_t)(raw - 1), &lo) == 0)
			d = lo > y ? lo - y : y - lo;
	}
	if ((f->format == SDR_FMT_UNSIGNED && raw < 0xff) ||
	    (f->format != SDR_FMT_UNSIGNED && x < 127)) {
		if (sensor_convert(f, (uint8_t)(raw + 1), &hi) == 0 &&
		    (hi > y ? hi - y : y - hi) > d)
			d = hi > y ? hi - y : y - hi;
	}
	return isfinite(d) ? d : 0;
}

double
sensor_tolerance(const struct sdr_factors *f)
{
	double m = f->m < 0 ? -f->m : f->m;

	return f->tolerance / 2.0 * m * pow10i(f->k2);
}

double
sensor_accuracy(const struct sdr_factors *f)
{
	return f->accuracy * pow10i(f->accuracy_exp) / 100.0;
}

/* --- units (table 43-15) ---------------------------------------------- */

static const char *const unit_long[] = {
	"unspecified", "degrees C", "degrees F", "degrees K", "Volts",
	"Amps", "Watts", "Joules", "Coulombs", "VA", "Nits", "lumen", "lux",
	"Candela", "kPa", "PSI", "Newton", "CFM", "RPM", "Hz", "microsecond",
	"millisecond", "second", "minute", "hour", "day", "week", "mil",
	"inches", "feet", "cu in", "cu feet", "mm", "cm", "m", "cu cm",
	"cu m", "liters", "fluid ounce", "radians", "steradians",
	"revolutions", "cycles", "gravities", "ounce", "pound", "ft-lb",
	"oz-in", "gauss", "gilberts", "henry", "millihenry", "farad",
	"microfarad", "ohms", "siemens", "mole", "becquerel", "PPM",
	"reserved", "Decibels", "DbA", "DbC", "gray", "sievert",
	"color temp deg K", "bit", "kilobit", "megabit", "gigabit", "byte",
	"kilobyte", "megabyte", "gigabyte", "word", "dword", "qword", "line",
	"hit", "miss", "retry", "reset", "overrun / overflow", "underrun",
	"collision", "packets", "messages", "characters", "error",
	"correctable error", "uncorrectable error", "fatal error", "grams",
};

/* NULL where the long name is also the short one */
static const char *const unit_short[] = {
	[1] = "C", [2] = "F", [3] = "K", [4] = "V", [5] = "A", [6] = "W",
	[7] = "J", [8] = "C", [10] = "nits", [11] = "lm", [12] = "lx",
	[13] = "cd", [16] = "N", [20] = "us", [21] = "ms", [22] = "s",
	[23] = "min", [24] = "hr", [25] = "d", [26] = "wk", [28] = "in",
	[29] = "ft", [31] = "cu ft", [37] = "L", [38] = "fl oz",
	[39] = "rad", [40] = "sr", [41] = "rev", [42] = "cyc", [44] = "oz",
	[45] = "lb", [50] = "H", [51] = "mH", [52] = "F", [53] = "uF",
	[55] = "S", [56] = "mol", [57] = "Bq", [60] = "dB", [61] = "dBA",
	[62] = "dBC", [63] = "Gy", [64] = "Sv", [66] = "b", [67] = "Kb",
	[68] = "Mb", [69] = "Gb", [70] = "B", [71] = "KB", [72] = "MB",
	[73] = "GB", [92] = "g",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const char *
sensor_unit_name(uint8_t u)
{
	return u < NELEM(unit_long) ? unit_long[u] : "unknown";
}

const char *
sensor_unit_short(uint8_t u)
{
	if (u < NELEM(unit_short) && unit_short[u] != NULL)
		return unit_short[u];
	return sensor_unit_name(u);
}

const char *
sensor_rate_name(uint8_t rate, int style)
{
	static const char *const lng[] = { "", "microsecond", "millisecond",
	    "second", "minute", "hour", "day", "" };
	static const char *const sht[] = { "", "us", "ms", "s", "min", "hr",
	    "d", "" };

	rate &= 7;
	return style == SENSOR_UNITS_SHORT ? sht[rate] : lng[rate];
}

size_t
sensor_units_format(const struct sdr_sensor *s, int style, char *out,
    size_t len)
{
	const char *(*name)(uint8_t) = style == SENSOR_UNITS_SHORT ?
	    sensor_unit_short : sensor_unit_name;
	int pct = SDR_UNITS_PERCENT(s->units1);
	const char *rate = sensor_rate_name(SDR_UNITS_RATE(s->units1), style);
	const char *pfx = pct ? "% " : "";
	char base[64];
	int n;

	switch (SDR_UNITS_MOD(s->units1)) {
	case 1:
		(void)snprintf(base, sizeof(base), "%s%s/%s", pfx,
		    name(s->base_unit), name(s->mod_unit));
		break;
	case 2:
		(void)snprintf(base, sizeof(base), "%s%s*%s", pfx,
		    name(s->base_unit), name(s->mod_unit));
		break;
	default:
		if (pct && s->base_unit == 0)
			(void)snprintf(base, sizeof(base), "%s",
			    style == SENSOR_UNITS_SHORT ? "%" : "percent");
		else
			(void)snprintf(base, sizeof(base), "%s%s", pfx,
			    name(s->base_unit));
		break;
	}
	if (*rate == '\0')
		n = snprintf(out, len, "%s", base);
	else
		n = snprintf(out, len, "%s%s%s", base,
		    style == SENSOR_UNITS_SHORT ? "/" : " per ", rate);
	return n < 0 ? 0 : (size_t)n;
}

/* --- status and health ------------------------------------------------ */

int
sensor_thresh_status(const struct ipmi_sensor_reading_rsp *r, int *bound)
{
	static const struct { int th, st; } order[] = {
		{ SDR_TH_UNR, SENSOR_ST_NR }, { SDR_TH_LNR, SENSOR_ST_NR },
		{ SDR_TH_UCR, SENSOR_ST_CR }, { SDR_TH_LCR, SENSOR_ST_CR },
		{ SDR_TH_UNC, SENSOR_ST_NC }, { SDR_TH_LNC, SENSOR_ST_NC },
	};
	size_t i;

	if (bound != NULL)
		*bound = -1;
	if (sensor_reading_na(r))
		return SENSOR_ST_NA;
	if (!r->has_state)
		return SENSOR_ST_OK;
	for (i = 0; i < NELEM(order); i++) {
		if (r->thresh & (1 << order[i].th)) {
			if (bound != NULL)
				*bound = order[i].th;
			return order[i].st;
		}
	}
	return SENSOR_ST_OK;
}

const char *
sensor_status_name(int st)
{
	static const char *const n[] = { "ok", "nc", "cr", "nr", "na" };

	return st >= 0 && (size_t)st < NELEM(n) ? n[st] : "na";
}

const char *
sensor_thresh_name(int th)
{
	static const char *const n[] = { "lnc", "lcr", "lnr", "unc", "ucr",
	    "unr" };

	return th >= 0 && (size_t)th < NELEM(n) ? n[th] : "none";
}

#define W	SENSOR_WARNING
#define C	SENSOR_CRITICAL

/* The documented table in sensor.h; 0 (nominal) everywhere else. */
static const struct {
	uint8_t	event_type;	/* 6Fh: sensor-specific, by sensor_type */
	uint8_t	sensor_type;
	uint8_t	health[15];
} health_table[] = {
	{ 0x6f, 0x07, { C, C, C, C, C, C } },		/* processor */
	{ 0x6f, 0x08, { 0, C, W, C, C, W, W } },	/* power supply */
	{ 0x6f, 0x0c, { W, C, C, C, C, W, 0, C, 0, W, C } }, /* memory */
	{ 0x6f, 0x0d, { 0, C, W } },			/* drive slot */
	{ 0x04, 0, { 0, W } },				/* predictive failure */
	{ 0x05, 0, { 0, C } },				/* limit exceeded */
	{ 0x07, 0, { 0, W, C, C, W, C, C } },		/* severity */
};

#undef W
#undef C

int
sensor_state_health(uint8_t event_type, uint8_t sensor_type, unsigned off)
{
	size_t i;

	if (off >= 15)
		return SENSOR_NOMINAL;
	for (i = 0; i < NELEM(health_table); i++) {
		if (health_table[i].event_type != event_type)
			continue;
		if (event_type == IPMI_EVT_SENSOR_SPECIFIC &&
		    health_table[i].sensor_type != sensor_type)
			continue;
		return health_table[i].health[off];
	}
	return SENSOR_NOMINAL;
}

int
sensor_health(uint8_t event_type, uint8_t sensor_type,
    const struct ipmi_sensor_reading_rsp *r)
{
	unsigned off;
	int h, worst = SENSOR_NOMINAL;

	if (r == NULL || sensor_reading_na(r))
		return SENSOR_NA;
	if (event_type == IPMI_EVT_THRESHOLD) {
		switch (sensor_thresh_status(r, NULL)) {
		case SENSOR_ST_NC:
			return SENSOR_WARNING;
		case SENSOR_ST_CR:
		case SENSOR_ST_NR:
			return SENSOR_CRITICAL;
		default:
			return SENSOR_NOMINAL;
		}
	}
	if (!r->has_state)
		return SENSOR_NOMINAL;
	for (off = 0; off < 15; off++) {
		if (!(r->states & (1u << off)))
			continue;
		h = sensor_state_health(event_type, sensor_type, off);
		if (h > worst)
			worst = h;
	}
	return worst;
}

static const char *const health_names[] = {
	"nominal", "warning", "critical", "na",
};

const char *
sensor_health_name(int h)
{
	return h >= 0 && (size_t)h < NELEM(health_names) ?
	    health_names[h] : "na";
}

int
sensor_health_parse(const char *s)
{
	size_t i;

	for (i = 0; i < NELEM(health_names); i++)
		if (strcasecmp(s, health_names[i]) == 0)
			return (int)i;
	return -1;
}

/* --- a sensor's description ------------------------------------------------ */

void
sensor_desc_from(const struct sdr_record *rec, struct sensor_desc *d)
{
	const struct sdr_sensor *ss = &rec->u.sensor;

	memset(d, 0, sizeof(*d));
	d->record_id = rec->id;
	d->rtype = rec->type;
	d->owner = ss->owner_id;
	d->number = ss->number;
	d->sensor_type = ss->sensor_type;
	d->event_type = ss->event_type;
	snprintf(d->name, sizeof(d->name), "%s", ss->id.text);
	/* trailing spaces are kept in records, not in names people read */
	for (size_t k = strlen(d->name); k > 0 && d->name[k - 1] == ' '; k--)
		d->name[k - 1] = '\0';
	if (rec->type == SDR_TYPE_EVENT_ONLY)
		d->kind = SENSOR_KIND_EVENT_ONLY;
	else if (ss->event_type == IPMI_EVT_THRESHOLD)
		d->kind = SENSOR_KIND_THRESHOLD;
	else
		d->kind = SENSOR_KIND_DISCRETE;
	if (ss->has_analog && SDR_UNITS_FORMAT(ss->units1) != SDR_FMT_NONE) {
		d->analog = 1;
		d->f = ss->factors;
		d->readable_th = SDR_READABLE(ss);
		memcpy(d->th_raw, ss->thresh, sizeof(d->th_raw));
	}
	sensor_units_format(ss, SENSOR_UNITS_LONG, d->units, sizeof(d->units));
}

const char *
sensor_kind_name(int kind)
{
	switch (kind) {
	case SENSOR_KIND_THRESHOLD:	return "threshold";
	case SENSOR_KIND_DISCRETE:	return "discrete";
	case SENSOR_KIND_EVENT_ONLY:	return "event-only";
	default:			return "unknown";
	}
}

int
sensor_desc_polled(const struct sensor_desc *d)
{
	return d->kind != SENSOR_KIND_EVENT_ONLY && d->owner == SENSOR_OWNER_BMC;
}

const struct sensor_desc *
sensor_desc_match(const struct sensor_desc *d, size_t n, uint8_t owner,
    uint8_t number, uint8_t sensor_type)
{
	const struct sensor_desc *loose = NULL;

	for (size_t i = 0; i < n; i++) {
		if (d[i].number != number || d[i].sensor_type != sensor_type)
			continue;
		if (d[i].owner == owner)
			return &d[i];
		if (loose == NULL)
			loose = &d[i];
	}
	return loose;
}
