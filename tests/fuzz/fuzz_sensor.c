/*
 * fuzz_sensor: the 36.3 conversion over arbitrary factors and readings,
 * and the reading codecs, units, status and health over arbitrary bytes.
 *
 * Input: 8 bytes of factors [units1][linear][M ls][M ms|tol][B ls]
 * [B ms|acc][acc|dir][K2|K1] (the layout of a full sensor record, bytes
 * 21-30 but units 2/3), then reading responses: each input byte from
 * offset 8 is a raw reading converted, and the rest is decoded as a Get
 * Sensor Reading and a Get Sensor Thresholds answer.  Nothing may crash;
 * a successful conversion is never NaN.  Seeds come from
 * tests/fuzz/gen-sdr-corpus.c.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/sensor.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct sdr_factors f;
	struct sdr_sensor s;
	struct ipmi_sensor_reading_rsp r;
	struct ipmi_sensor_thresh_rsp t;
	struct buf b;
	char out[80];
	double v, res;
	size_t i;
	int rc, bound, h;

	if (n < 8)
		return 0;
	memset(&f, 0, sizeof(f));
	f.format = p[0] >> 6;
	f.linear = p[1] & 0x7f;
	f.m = (int16_t)(((p[3] >> 6) << 8 | p[2]) ^ 0x200) - 0x200;
	f.tolerance = p[3] & 0x3f;
	f.b = (int16_t)(((p[5] >> 6) << 8 | p[4]) ^ 0x200) - 0x200;
	f.accuracy = (uint16_t)((p[5] & 0x3f) | (p[6] >> 4) << 6);
	f.accuracy_exp = (p[6] >> 2) & 3;
	f.k2 = (int8_t)(((p[7] >> 4) ^ 8) - 8);
	f.k1 = (int8_t)(((p[7] & 0xf) ^ 8) - 8);
	for (i = 0; i < 256; i++) {
		rc = sensor_convert(&f, (uint8_t)i, &v);
		CHECK(rc == 0 || rc == IPMI_E_UNSUPPORTED ||
		    rc == IPMI_E_MALFORMED);
		CHECK(rc != 0 || !isnan(v));
		CHECK(rc == 0 || isnan(v));
		res = sensor_resolution(&f, (uint8_t)i);
		CHECK(!isnan(res) && res >= 0);
	}
	CHECK(!isnan(sensor_tolerance(&f)) && !isnan(sensor_accuracy(&f)));

	memset(&s, 0, sizeof(s));
	s.units1 = p[0];
	s.base_unit = p[1];
	s.mod_unit = p[2];
	(void)sensor_units_format(&s, SENSOR_UNITS_LONG, out, sizeof(out));
	CHECK(strlen(out) < sizeof(out));
	(void)sensor_units_format(&s, SENSOR_UNITS_SHORT, out, 5);
	CHECK(strlen(out) < 5);

	buf_init_read(&b, p + 8, n - 8);
	if (ipmi_sensor_reading_rsp_decode(&b, &r) == 0) {
		CHECK(sensor_thresh_status(&r, &bound) <= SENSOR_ST_NA);
		CHECK(bound >= -1 && bound < SDR_TH_COUNT);
		CHECK(sensor_status_name(sensor_thresh_status(&r, NULL)));
		h = sensor_health(p[3], p[4], &r);
		CHECK(h >= SENSOR_NOMINAL && h <= SENSOR_NA);
		CHECK(sensor_health_name(h) != NULL);
		CHECK(!(r.states & 0x8000));
	}
	buf_init_read(&b, p + 8, n - 8);
	if (ipmi_sensor_thresh_rsp_decode(&b, &t) == 0)
		CHECK(t.readable <= 0x3f);
	return 0;
}
