/* collector/task_power: power status and chassis control, one exchange. */
#include <check.h>
#include <string.h>

#include "collector/task_power.h"
#include "ipmi/buf.h"
#include "ipmi/cmds.h"
#include "ipmi/ipmi.h"
#include "tests/unit/ckmain.h"

START_TEST(test_status)
{
	struct task_power t;
	struct drv_request q;
	struct ipmi_response a;
	struct ipmi_chassis_status cs = { 0 };
	struct buf w;

	task_power_init(&t, TASK_POWER_STATUS);
	ck_assert_int_eq(task_power_step(&t, NULL, &q), DRV_STEP_SEND);
	ck_assert_uint_eq(q.netfn, IPMI_NETFN_CHASSIS);
	ck_assert_uint_eq(q.cmd, IPMI_CMD_GET_CHASSIS_STATUS);
	ck_assert_uint_eq(q.len, 0);
	memset(&a, 0, sizeof(a));
	cs.power_on = 1;
	buf_init_write(&w, a.data, sizeof(a.data));
	ck_assert_int_eq(ipmi_chassis_status_encode(&cs, &w), 0);
	a.len = w.len;
	ck_assert_int_eq(task_power_step(&t, &a, &q), DRV_STEP_DONE);
	ck_assert(t.have_power);
	ck_assert(t.power_on);

	/* refused, then too short: failed, in words */
	task_power_init(&t, TASK_POWER_STATUS);
	a.cc = 0xc0;
	ck_assert_int_eq(task_power_step(&t, &a, &q), DRV_STEP_FAIL);
	ck_assert_int_eq(t.err, IPMI_E_CC);
	ck_assert(!t.have_power);
	ck_assert_ptr_nonnull(strstr(t.why, "get chassis status: "));
	ck_assert_ptr_nonnull(strstr(t.why, "(0xc0)"));
	a.cc = 0;
	a.len = 0;
	ck_assert_int_eq(task_power_step(&t, &a, &q), DRV_STEP_FAIL);
	ck_assert_int_eq(t.err, IPMI_E_SHORT);
	ck_assert_str_eq(t.why, "get chassis status: short response (0 bytes)");
}
END_TEST

START_TEST(test_control)
{
	struct task_power t;
	struct drv_request q;
	struct ipmi_response a;
	struct buf r;
	uint8_t ctl;

	task_power_init(&t, IPMI_CHASSIS_CYCLE);
	ck_assert_int_eq(task_power_step(&t, NULL, &q), DRV_STEP_SEND);
	ck_assert_uint_eq(q.cmd, IPMI_CMD_CHASSIS_CONTROL);
	buf_init_read(&r, q.data, q.len);
	ck_assert_int_eq(ipmi_chassis_ctl_decode(&r, &ctl), 0);
	ck_assert_uint_eq(ctl, IPMI_CHASSIS_CYCLE);
	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(task_power_step(&t, &a, &q), DRV_STEP_DONE);
	ck_assert(!t.have_power);
	a.cc = 0xd5;
	ck_assert_int_eq(task_power_step(&t, &a, &q), DRV_STEP_FAIL);
	ck_assert_ptr_nonnull(strstr(t.why, "chassis control "));
	ck_assert_ptr_nonnull(strstr(t.why, "(0xd5)"));
}
END_TEST

static Suite *
task_power_suite(void)
{
	Suite *s = suite_create("task_power");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_status);
	tcase_add_test(tc, test_control);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(task_power_suite());
}
