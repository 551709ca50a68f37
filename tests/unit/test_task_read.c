/*
 * collector/task_read: Get Sensor Reading for each sensor that can be read
 * that way, answers handed back by index.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "collector/task_read.h"
#include "ipmi/buf.h"
#include "ipmi/ipmi.h"
#include "tests/unit/ckmain.h"

START_TEST(test_polled_only)
{
	struct sensor_desc d[4];
	struct task_read t;
	struct task_reading got;
	struct drv_request q;
	struct ipmi_response a;
	uint8_t asked[4];
	unsigned nasked = 0, nok = 0;
	enum drv_step st;

	memset(d, 0, sizeof(d));
	for (int i = 0; i < 4; i++) {
		d[i].owner = SENSOR_OWNER_BMC;
		d[i].number = (uint8_t)(0x10 + i);
		d[i].kind = SENSOR_KIND_THRESHOLD;
	}
	d[1].kind = SENSOR_KIND_EVENT_ONLY;	/* nothing to read */
	d[2].owner = 0x2c;			/* behind a bridge */
	task_read_init(&t, d, 4);
	st = task_read_step(&t, NULL, &q, &got);
	ck_assert(!got.answered);
	while (st == DRV_STEP_SEND) {
		struct ipmi_sensor_reading_rsp rd = { 0 };
		struct buf b, w;
		uint8_t num;

		ck_assert_uint_eq(q.netfn, IPMI_NETFN_SENSOR);
		ck_assert_uint_eq(q.cmd, IPMI_CMD_GET_SENSOR_READING);
		buf_init_read(&b, q.data, q.len);
		ck_assert_int_eq(ipmi_sensor_req_decode(&b, &num), 0);
		ck_assert_uint_eq(num, d[t.cur].number);
		ck_assert_uint_lt(nasked, 4);
		asked[nasked++] = num;
		memset(&a, 0, sizeof(a));
		rd.raw = num;
		rd.flags = SENSOR_RD_SCANNING;
		if (num == 0x13)
			a.cc = 0xcb;		/* not present */
		else {
			buf_init_write(&w, a.data, sizeof(a.data));
			ck_assert_int_eq(
			    ipmi_sensor_reading_rsp_encode(&rd, &w), 0);
			a.len = w.len;
		}
		st = task_read_step(&t, &a, &q, &got);
		ck_assert(got.answered);
		ck_assert_uint_eq(d[got.i].number, num);
		ck_assert_uint_eq(got.cc, a.cc);
		if (got.ok) {
			ck_assert_uint_eq(got.rd.raw, num);
			nok++;
		}
	}
	ck_assert_int_eq(st, DRV_STEP_DONE);
	ck_assert_uint_eq(nasked, 2);
	ck_assert_uint_eq(asked[0], 0x10);
	ck_assert_uint_eq(asked[1], 0x13);
	ck_assert_uint_eq(nok, 1);
}
END_TEST

START_TEST(test_empty)
{
	struct task_read t;
	struct task_reading got;
	struct drv_request q;
	struct sensor_desc *d;
	size_t n;

	task_read_init(&t, NULL, 0);
	ck_assert_int_eq(task_read_step(&t, NULL, &q, &got), DRV_STEP_DONE);
	/* no records: no sensors, nothing allocated */
	ck_assert_int_eq(task_read_list(NULL, 0, &d, &n), 0);
	ck_assert_ptr_null(d);
	ck_assert_uint_eq(n, 0);
}
END_TEST

static Suite *
task_read_suite(void)
{
	Suite *s = suite_create("task_read");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_polled_only);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(task_read_suite());
}
