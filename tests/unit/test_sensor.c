/*
 * ipmi/sensor: reading codecs, the 36.3 conversion, units, status and
 * health.  Expected values are worked out by hand from the formula.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/sensor.h"

START_TEST(test_reading_codec)
{
	struct ipmi_sensor_reading_rsp r, r2;
	uint8_t out[8];
	struct buf b;

	buf_init_read(&b, "\x28\xc0\x09\x80", 4);
	ck_assert_int_eq(ipmi_sensor_reading_rsp_decode(&b, &r), 0);
	ck_assert_uint_eq(r.raw, 0x28);
	ck_assert_uint_eq(r.flags, 0xc0);
	ck_assert_int_eq(r.has_state, 1);
	ck_assert_int_eq(r.has_state2, 1);
	ck_assert_uint_eq(r.thresh, 0x09);
	ck_assert_uint_eq(r.states, 0x0009);
	ck_assert_int_eq(sensor_reading_na(&r), 0);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_sensor_reading_rsp_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_mem_eq(out, "\x28\xc0\x09\x80", 4);
	/* discrete states 8-14 in byte 4; bit 7 reserved */
	buf_init_read(&b, "\x00\xc0\x00\xff", 4);
	ck_assert_int_eq(ipmi_sensor_reading_rsp_decode(&b, &r2), 0);
	ck_assert_uint_eq(r2.states, 0x7f00);
	/* optional bytes */
	buf_init_read(&b, "\x10\xc0", 2);
	ck_assert_int_eq(ipmi_sensor_reading_rsp_decode(&b, &r), 0);
	ck_assert_int_eq(r.has_state, 0);
	ck_assert_int_eq(sensor_reading_na(&r), 0);
	/* scanning disabled, unavailable, only the reading */
	buf_init_read(&b, "\x10\x80", 2);
	ck_assert_int_eq(ipmi_sensor_reading_rsp_decode(&b, &r), 0);
	ck_assert_int_eq(sensor_reading_na(&r), 1);
	buf_init_read(&b, "\x10\xe0", 2);
	ck_assert_int_eq(ipmi_sensor_reading_rsp_decode(&b, &r), 0);
	ck_assert_int_eq(sensor_reading_na(&r), 1);
	buf_init_read(&b, "\x10", 1);
	ck_assert_int_eq(ipmi_sensor_reading_rsp_decode(&b, &r), 0);
	ck_assert_int_eq(sensor_reading_na(&r), 1);
	buf_init_read(&b, "", 0);
	ck_assert_int_eq(ipmi_sensor_reading_rsp_decode(&b, &r), IPMI_E_SHORT);

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_sensor_req_encode(0x30, &b), 0);
	ck_assert_uint_eq(out[0], 0x30);
}
END_TEST

START_TEST(test_thresh_codec)
{
	struct ipmi_sensor_thresh_rsp t;
	uint8_t out[8];
	struct buf b;

	buf_init_read(&b, "\xdb\x05\x02\x00\x55\x5a\x00", 7);
	ck_assert_int_eq(ipmi_sensor_thresh_rsp_decode(&b, &t), 0);
	ck_assert_uint_eq(t.readable, 0x1b);
	ck_assert_uint_eq(t.raw[SDR_TH_LNC], 0x05);
	ck_assert_uint_eq(t.raw[SDR_TH_LCR], 0x02);
	ck_assert_uint_eq(t.raw[SDR_TH_UNC], 0x55);
	ck_assert_uint_eq(t.raw[SDR_TH_UCR], 0x5a);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_sensor_thresh_rsp_encode(&t, &b), 0);
	ck_assert_mem_eq(out, "\x1b\x05\x02\x00\x55\x5a\x00", 7);
	for (size_t n = 0; n < 7; n++) {
		buf_init_read(&b, "\xdb\x05\x02\x00\x55\x5a\x00", n);
		ck_assert_int_eq(ipmi_sensor_thresh_rsp_decode(&b, &t),
		    IPMI_E_SHORT);
	}
}
END_TEST

static double
conv(int fmt, int lin, int m, int bb, int k1, int k2, uint8_t raw, int *rc)
{
	struct sdr_factors f = { 0 };
	double v;

	f.format = (uint8_t)fmt;
	f.linear = (uint8_t)lin;
	f.m = (int16_t)m;
	f.b = (int16_t)bb;
	f.k1 = (int8_t)k1;
	f.k2 = (int8_t)k2;
	*rc = sensor_convert(&f, raw, &v);
	return v;
}

#define LIN(fmt, lin, m, bb, k1, k2, raw, want) do {			\
	int rc_;							\
	double v_ = conv(fmt, lin, m, bb, k1, k2, raw, &rc_);		\
	ck_assert_int_eq(rc_, 0);					\
	ck_assert_double_eq_tol(v_, want, fabs(want) * 1e-14 + 1e-300); \
} while (0)

START_TEST(test_convert_linear)
{
	int rc;

	LIN(SDR_FMT_UNSIGNED, 0, 1, 0, 0, 0, 200, 200.0);
	LIN(SDR_FMT_UNSIGNED, 0, 2, 5, 2, -1, 10, 52.0);
	/* the full record of test_sdr: M -3, B -512, K1 1, K2 -2 */
	LIN(SDR_FMT_TWOS, 0, -3, -512, 1, -2, 0x28, -52.4);
	LIN(SDR_FMT_TWOS, 0, -3, -512, 1, -2, 0xf6, -50.9);
	/* signed formats */
	LIN(SDR_FMT_TWOS, 0, 1, 0, 0, 0, 0x80, -128.0);
	LIN(SDR_FMT_TWOS, 0, 1, 0, 0, 0, 0xff, -1.0);
	LIN(SDR_FMT_ONES, 0, 1, 0, 0, 0, 0x80, -127.0);
	LIN(SDR_FMT_ONES, 0, 1, 0, 0, 0, 0xfe, -1.0);
	LIN(SDR_FMT_ONES, 0, 1, 0, 0, 0, 0x7f, 127.0);
	LIN(SDR_FMT_UNSIGNED, 0, 1, 0, 0, 0, 0x80, 128.0);
	/* extreme factors: M 511 and -512, K2 7 and -8, B exp -8 */
	LIN(SDR_FMT_UNSIGNED, 0, 511, 0, 0, 7, 255, 511.0 * 255 * 1e7);
	LIN(SDR_FMT_UNSIGNED, 0, -512, 511, -8, -8, 1, (-512 + 511e-8) * 1e-8);
	/* a typical fan: 75 RPM a count */
	LIN(SDR_FMT_UNSIGNED, 0, 75, 0, 0, 0, 40, 3000.0);
	/* a typical voltage: 0.0157 V a count */
	LIN(SDR_FMT_UNSIGNED, 0, 157, 0, 0, -4, 0xc8, 3.14);
	(void)conv(SDR_FMT_NONE, 0, 1, 0, 0, 0, 1, &rc);
	ck_assert_int_eq(rc, IPMI_E_UNSUPPORTED);
}
END_TEST

START_TEST(test_convert_nonlinear)
{
	double v;
	int rc;

	LIN(0, SDR_L_LN, 1, 0, 0, 0, 1, 0.0);
	LIN(0, SDR_L_LN, 1, 0, 0, 0, 10, log(10));
	LIN(0, SDR_L_LOG10, 1, 0, 0, 0, 100, 2.0);
	LIN(0, SDR_L_LOG10, 1, 0, 0, 0, 50, log10(50));
	LIN(0, SDR_L_LOG2, 1, 0, 0, 0, 64, 6.0);
	LIN(0, SDR_L_LOG2, 1, 0, 0, 0, 3, log2(3));
	LIN(0, SDR_L_E, 1, 0, 0, 0, 1, exp(1));
	LIN(0, SDR_L_E, 1, 0, 0, -1, 25, exp(2.5));
	LIN(2, SDR_L_E, 1, 0, 0, 0, 0xf0, exp(-16));
	LIN(0, SDR_L_EXP10, 1, 0, 0, 0, 2, 100.0);
	LIN(0, SDR_L_EXP10, 1, 0, 0, -1, 15, pow(10, 1.5));
	/* K2 = 7 puts x far past int: the exact-power shortcut must not
	 * cast it (UB; UBSan's float-cast-overflow caught it under fuzzing) */
	v = conv(0, SDR_L_EXP10, 500, 0, 0, 7, 250, &rc);
	ck_assert(rc != 0 || isinf(v));
	v = conv(0, SDR_L_EXP10, -500, 0, 0, 7, 250, &rc);
	ck_assert(rc != 0 || v == 0.0);
	LIN(0, SDR_L_EXP2, 1, 0, 0, 0, 10, 1024.0);
	LIN(0, SDR_L_EXP2, 1, 0, 0, -1, 5, sqrt(2));
	LIN(0, SDR_L_1_X, 1, 0, 0, 0, 4, 0.25);
	LIN(0, SDR_L_SQR, 1, 0, 0, 0, 12, 144.0);
	LIN(0, SDR_L_CUBE, 1, 0, 0, 0, 3, 27.0);
	LIN(2, SDR_L_CUBE, 1, 0, 0, 0, 0xfd, -27.0);
	LIN(0, SDR_L_SQRT, 1, 0, 0, 0, 144, 12.0);
	LIN(0, SDR_L_SQRT, 1, 0, 0, 0, 2, sqrt(2));
	LIN(0, SDR_L_CUBE_ROOT, 1, 0, 0, 0, 27, 3.0);
	LIN(0, SDR_L_CUBE_ROOT, 1, 0, 0, 0, 10, cbrt(10));
	LIN(2, SDR_L_CUBE_ROOT, 1, 0, 0, 0, 0xf8, -2.0);
	/* every linearization over every raw value agrees with libm */
	for (int l = 1; l <= 11; l++) {
		for (int raw = 0; raw < 256; raw++) {
			double x = ((double)-7 * (int8_t)raw + 3 * 10.0) * 0.1;
			double want = NAN;

			v = conv(2, l, -7, 3, 1, -1, (uint8_t)raw, &rc);
			switch (l) {
			case 1: want = log(x); break;
			case 2: want = log10(x); break;
			case 3: want = log2(x); break;
			case 4: want = exp(x); break;
			case 5: want = pow(10, x); break;
			case 6: want = exp2(x); break;
			case 7: want = 1 / x; break;
			case 8: want = x * x; break;
			case 9: want = x * x * x; break;
			case 10: want = sqrt(x); break;
			case 11: want = cbrt(x); break;
			}
			if (!isfinite(want)) {
				ck_assert_int_ne(rc, 0);
				continue;
			}
			ck_assert_int_eq(rc, 0);
			ck_assert_double_eq_tol(v, want, fabs(want) * 1e-13);
		}
	}
	/* undefined points */
	v = conv(0, SDR_L_LN, 1, 0, 0, 0, 0, &rc);
	ck_assert_int_eq(rc, IPMI_E_MALFORMED);
	ck_assert(isnan(v));
	(void)conv(2, SDR_L_SQRT, 1, 0, 0, 0, 0xff, &rc);
	ck_assert_int_eq(rc, IPMI_E_MALFORMED);
	(void)conv(0, SDR_L_1_X, 1, 0, 0, 0, 0, &rc);
	ck_assert_int_eq(rc, IPMI_E_MALFORMED);
	/* OEM and reserved linearizations */
	v = conv(0, 0x70, 1, 0, 0, 0, 1, &rc);
	ck_assert_int_eq(rc, IPMI_E_UNSUPPORTED);
	ck_assert(isnan(v));
	(void)conv(0, 0x0c, 1, 0, 0, 0, 1, &rc);
	ck_assert_int_eq(rc, IPMI_E_UNSUPPORTED);
}
END_TEST

START_TEST(test_resolution)
{
	struct sdr_factors f = { .format = SDR_FMT_TWOS, .m = -3, .b = -512,
	    .k1 = 1, .k2 = -2, .tolerance = 5, .accuracy = 100,
	    .accuracy_exp = 2 };
	double v1, v2;

	ck_assert_double_eq_tol(sensor_resolution(&f, 0x28), 0.03, 1e-15);
	ck_assert_double_eq_tol(sensor_tolerance(&f), 0.075, 1e-15);
	ck_assert_double_eq_tol(sensor_accuracy(&f), 100.0, 1e-12);
	/* readings one count apart differ by the resolution */
	ck_assert_int_eq(sensor_convert(&f, 0x28, &v1), 0);
	ck_assert_int_eq(sensor_convert(&f, 0x29, &v2), 0);
	ck_assert_double_eq_tol(fabs(v2 - v1), sensor_resolution(&f, 0x28),
	    1e-12);
	f = (struct sdr_factors){ .linear = SDR_L_SQR, .m = 1 };
	ck_assert_double_eq_tol(sensor_resolution(&f, 10), 21.0, 1e-12);
	ck_assert_double_eq_tol(sensor_resolution(&f, 0), 1.0, 1e-12);
	f.linear = 0x70;
	ck_assert_double_eq(sensor_resolution(&f, 10), 0.0);
}
END_TEST

static void
units(uint8_t u1, uint8_t base, uint8_t mod, const char *lng,
    const char *sht)
{
	struct sdr_sensor s;
	char out[64];
	size_t n;

	memset(&s, 0, sizeof(s));
	s.units1 = u1;
	s.base_unit = base;
	s.mod_unit = mod;
	n = sensor_units_format(&s, SENSOR_UNITS_LONG, out, sizeof(out));
	ck_assert_str_eq(out, lng);
	ck_assert_uint_eq(n, strlen(lng));
	(void)sensor_units_format(&s, SENSOR_UNITS_SHORT, out, sizeof(out));
	ck_assert_str_eq(out, sht);
}

START_TEST(test_units)
{
	char small[4];
	struct sdr_sensor s = { .base_unit = 1 };

	units(0x80, 1, 0, "degrees C", "C");
	units(0x00, 4, 0, "Volts", "V");
	units(0x00, 5, 0, "Amps", "A");
	units(0x00, 6, 0, "Watts", "W");
	units(0x00, 18, 0, "RPM", "RPM");
	units(0x00, 0, 0, "unspecified", "unspecified");
	units(0x01, 0, 0, "percent", "%");
	units(0x01, 6, 0, "% Watts", "% W");
	units(0x02, 4, 5, "Volts/Amps", "V/A");
	units(0x04, 7, 22, "Joules*second", "J*s");
	units(0x18, 5, 0, "Amps per second", "A/s");
	units(0x20, 18, 0, "RPM per minute", "RPM/min");
	units(0x00, 82, 0, "overrun / overflow", "overrun / overflow");
	units(0x00, 92, 0, "grams", "g");
	units(0x00, 93, 0, "unknown", "unknown");
	ck_assert_str_eq(sensor_unit_name(65), "color temp deg K");
	ck_assert_str_eq(sensor_unit_short(2), "F");
	ck_assert_str_eq(sensor_rate_name(7, SENSOR_UNITS_LONG), "");
	/* cut to fit, the length needed returned */
	ck_assert_uint_eq(sensor_units_format(&s, SENSOR_UNITS_LONG, small,
	    sizeof(small)), 9);
	ck_assert_str_eq(small, "deg");
}
END_TEST

static struct ipmi_sensor_reading_rsp
rd(uint8_t flags, int has, uint16_t bits)
{
	struct ipmi_sensor_reading_rsp r;

	memset(&r, 0, sizeof(r));
	r.flags = flags;
	r.has_state = has;
	r.thresh = (uint8_t)(bits & 0x3f);
	r.states = bits;
	return r;
}

START_TEST(test_status)
{
	struct ipmi_sensor_reading_rsp r;
	int bound;

	r = rd(0xc0, 1, 0);
	ck_assert_int_eq(sensor_thresh_status(&r, &bound), SENSOR_ST_OK);
	ck_assert_int_eq(bound, -1);
	r = rd(0xc0, 1, 0x08);
	ck_assert_int_eq(sensor_thresh_status(&r, &bound), SENSOR_ST_NC);
	ck_assert_str_eq(sensor_thresh_name(bound), "unc");
	r = rd(0xc0, 1, 0x18);
	ck_assert_int_eq(sensor_thresh_status(&r, &bound), SENSOR_ST_CR);
	ck_assert_str_eq(sensor_thresh_name(bound), "ucr");
	r = rd(0xc0, 1, 0x03);
	ck_assert_int_eq(sensor_thresh_status(&r, &bound), SENSOR_ST_CR);
	ck_assert_str_eq(sensor_thresh_name(bound), "lcr");
	r = rd(0xc0, 1, 0x24);
	ck_assert_int_eq(sensor_thresh_status(&r, &bound), SENSOR_ST_NR);
	ck_assert_str_eq(sensor_thresh_name(bound), "unr");
	ck_assert_str_eq(sensor_status_name(SENSOR_ST_NR), "nr");
	r = rd(0x80, 1, 0x24);
	ck_assert_int_eq(sensor_thresh_status(&r, NULL), SENSOR_ST_NA);
	ck_assert_str_eq(sensor_status_name(SENSOR_ST_NA), "na");
	r = rd(0xe0, 1, 0);
	ck_assert_int_eq(sensor_thresh_status(&r, NULL), SENSOR_ST_NA);
	r = rd(0xc0, 0, 0);
	ck_assert_int_eq(sensor_thresh_status(&r, NULL), SENSOR_ST_OK);
}
END_TEST

START_TEST(test_health)
{
	struct ipmi_sensor_reading_rsp r;

	/* threshold sensors */
	r = rd(0xc0, 1, 0);
	ck_assert_int_eq(sensor_health(0x01, 0x01, &r), SENSOR_NOMINAL);
	r = rd(0xc0, 1, 0x01);
	ck_assert_int_eq(sensor_health(0x01, 0x01, &r), SENSOR_WARNING);
	r = rd(0xc0, 1, 0x12);
	ck_assert_int_eq(sensor_health(0x01, 0x01, &r), SENSOR_CRITICAL);
	r = rd(0xc0, 1, 0x04);
	ck_assert_int_eq(sensor_health(0x01, 0x01, &r), SENSOR_CRITICAL);
	r = rd(0x80, 1, 0x04);
	ck_assert_int_eq(sensor_health(0x01, 0x01, &r), SENSOR_NA);
	ck_assert_int_eq(sensor_health(0x6f, 0x08, NULL), SENSOR_NA);
	/* power supply: presence nominal, failure / AC lost critical */
	r = rd(0xc0, 1, 0x0001);
	ck_assert_int_eq(sensor_health(0x6f, 0x08, &r), SENSOR_NOMINAL);
	r = rd(0xc0, 1, 0x0003);
	ck_assert_int_eq(sensor_health(0x6f, 0x08, &r), SENSOR_CRITICAL);
	r = rd(0xc0, 1, 0x0009);
	ck_assert_int_eq(sensor_health(0x6f, 0x08, &r), SENSOR_CRITICAL);
	r = rd(0xc0, 1, 0x0005);
	ck_assert_int_eq(sensor_health(0x6f, 0x08, &r), SENSOR_WARNING);
	/* processor: IERR, thermal trip critical; presence (7) nominal */
	r = rd(0xc0, 1, 0x0080);
	ck_assert_int_eq(sensor_health(0x6f, 0x07, &r), SENSOR_NOMINAL);
	r = rd(0xc0, 1, 0x0082);
	ck_assert_int_eq(sensor_health(0x6f, 0x07, &r), SENSOR_CRITICAL);
	/* memory: correctable warning, uncorrectable critical */
	r = rd(0xc0, 1, 0x0001);
	ck_assert_int_eq(sensor_health(0x6f, 0x0c, &r), SENSOR_WARNING);
	r = rd(0xc0, 1, 0x0002);
	ck_assert_int_eq(sensor_health(0x6f, 0x0c, &r), SENSOR_CRITICAL);
	/* the same bits of another sensor type mean nothing bad */
	r = rd(0xc0, 1, 0x0003);
	ck_assert_int_eq(sensor_health(0x6f, 0x25, &r), SENSOR_NOMINAL);
	/* generic: predictive failure asserted */
	r = rd(0xc0, 1, 0x0002);
	ck_assert_int_eq(sensor_health(0x04, 0x08, &r), SENSOR_WARNING);
	ck_assert_int_eq(sensor_health(0x03, 0x08, &r), SENSOR_NOMINAL);
	ck_assert_int_eq(sensor_state_health(0x07, 0, 3), SENSOR_CRITICAL);
	ck_assert_int_eq(sensor_state_health(0x6f, 0x08, 15), SENSOR_NOMINAL);
	/* no state bytes at all */
	r = rd(0xc0, 0, 0);
	ck_assert_int_eq(sensor_health(0x6f, 0x08, &r), SENSOR_NOMINAL);
	ck_assert_str_eq(sensor_health_name(SENSOR_CRITICAL), "critical");
	ck_assert_int_eq(sensor_health_parse("Warning"), SENSOR_WARNING);
	ck_assert_int_eq(sensor_health_parse("na"), SENSOR_NA);
	ck_assert_int_eq(sensor_health_parse("bogus"), -1);
}
END_TEST

/* The one description of a sensor record every reader uses. */
START_TEST(test_desc)
{
	struct sdr_record rec;
	struct sensor_desc d[3];
	struct sdr_sensor *ss = &rec.u.sensor;

	memset(&rec, 0, sizeof(rec));
	rec.id = 7;
	rec.type = SDR_TYPE_FULL;
	ss->owner_id = 0x20;
	ss->number = 0x30;
	ss->sensor_type = 0x01;		/* temperature */
	ss->event_type = 0x01;		/* threshold */
	ss->units1 = 0;			/* unsigned */
	ss->base_unit = 1;		/* degrees C */
	ss->has_analog = 1;
	ss->factors.m = 1;
	ss->reading_mask = 1u << 8 | 1u << 11;	/* lnc, unc readable */
	ss->thresh[SDR_TH_UNC] = 80;
	snprintf(ss->id.text, sizeof(ss->id.text), "CPU Temp  ");
	sensor_desc_from(&rec, &d[0]);
	ck_assert_uint_eq(d[0].record_id, 7);
	ck_assert_str_eq(d[0].name, "CPU Temp");	/* trailing spaces go */
	ck_assert_int_eq(d[0].kind, SENSOR_KIND_THRESHOLD);
	ck_assert_str_eq(sensor_kind_name(d[0].kind), "threshold");
	ck_assert(d[0].analog);
	ck_assert_uint_eq(d[0].th_raw[SDR_TH_UNC], 80);
	ck_assert_uint_eq(d[0].readable_th, SDR_READABLE(ss));
	ck_assert_str_eq(d[0].units, "degrees C");
	ck_assert(sensor_desc_polled(&d[0]));

	/* discrete, owned elsewhere: described, not polled */
	ss->event_type = 0x6f;
	ss->owner_id = 0x2c;
	ss->has_analog = 0;
	sensor_desc_from(&rec, &d[1]);
	ck_assert_int_eq(d[1].kind, SENSOR_KIND_DISCRETE);
	ck_assert(!d[1].analog);
	ck_assert_uint_eq(d[1].readable_th, 0);
	ck_assert(!sensor_desc_polled(&d[1]));

	/* event-only: never polled */
	rec.type = SDR_TYPE_EVENT_ONLY;
	ss->owner_id = 0x20;
	ss->number = 0x31;
	sensor_desc_from(&rec, &d[2]);
	ck_assert_int_eq(d[2].kind, SENSOR_KIND_EVENT_ONLY);
	ck_assert(!sensor_desc_polled(&d[2]));

	/* an event's sensor: owner and type first, else type alone */
	ck_assert_ptr_eq(sensor_desc_match(d, 3, 0x2c, 0x30, 0x01), &d[1]);
	ck_assert_ptr_eq(sensor_desc_match(d, 3, 0x20, 0x30, 0x01), &d[0]);
	ck_assert_ptr_eq(sensor_desc_match(d, 3, 0x42, 0x30, 0x01), &d[0]);
	ck_assert_ptr_null(sensor_desc_match(d, 3, 0x20, 0x30, 0x02));
	ck_assert_ptr_null(sensor_desc_match(d, 3, 0x20, 0x99, 0x01));
}
END_TEST

static Suite *
sensor_suite(void)
{
	Suite *s = suite_create("sensor");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_reading_codec);
	tcase_add_test(tc, test_thresh_codec);
	tcase_add_test(tc, test_convert_linear);
	tcase_add_test(tc, test_convert_nonlinear);
	tcase_add_test(tc, test_resolution);
	tcase_add_test(tc, test_units);
	tcase_add_test(tc, test_status);
	tcase_add_test(tc, test_health);
	tcase_add_test(tc, test_desc);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sensor_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
