/*
 * sim/bmc: the simulated BMC's command handlers, without sessions.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/cmds.h"
#include "ipmi/ipmi.h"
#include "ipmi/msg.h"
#include "sim/bmc.h"
#include "sim/model.h"

static struct sim_bmc b;
static uint8_t out[IPMI_MAX_PAYLOAD];
static size_t outlen;

static void
setup(void)
{
	sim_bmc_init(&b, sim_model_find("dell-r640"), 42, 1000);
}

static uint8_t
call(uint64_t now, uint8_t priv, uint8_t netfn, uint8_t cmd,
    const uint8_t *data, size_t len)
{
	struct ipmi_msg m;

	ipmi_msg_request(&m, netfn, cmd, 1, data, len);
	return sim_bmc_handle(&b, now, priv, &m, out, sizeof(out), &outlen);
}

static uint8_t
control(uint64_t now, uint8_t ctl)
{
	return call(now, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_CONTROL, &ctl, 1);
}

static int
status_on(uint64_t now)
{
	struct ipmi_chassis_status st;
	struct buf r;

	ck_assert_int_eq(call(now, IPMI_PRIV_USER, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_GET_CHASSIS_STATUS, NULL, 0), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_chassis_status_decode(&r, &st), 0);
	return st.power_on;
}

START_TEST(test_power_on_takes_the_delay)
{
	ck_assert_int_eq(status_on(1000), 0);
	ck_assert_int_eq(control(1000, IPMI_CHASSIS_ON), IPMI_CC_OK);
	ck_assert_int_eq(status_on(1999), 0);
	ck_assert_int_eq(status_on(2000), 1);
	ck_assert_uint_eq(b.power_changed, 2000);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_ON], 1);
}
END_TEST

START_TEST(test_cycle_goes_off_then_on)
{
	b.power_on = 1;
	ck_assert_int_eq(control(0, IPMI_CHASSIS_CYCLE), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 999), 1);
	ck_assert_int_eq(sim_bmc_power(&b, 1000), 0);
	ck_assert_int_eq(sim_bmc_power(&b, 1999), 0);
	ck_assert_int_eq(sim_bmc_power(&b, 2000), 1);
	/* from off, a cycle powers on */
	b.power_on = 0;
	ck_assert_int_eq(control(5000, IPMI_CHASSIS_CYCLE), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 6000), 1);
}
END_TEST

START_TEST(test_new_command_replaces_pending)
{
	ck_assert_int_eq(control(0, IPMI_CHASSIS_ON), IPMI_CC_OK);
	ck_assert_int_eq(control(500, IPMI_CHASSIS_OFF), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 1200), 0);	/* on never landed */
	ck_assert_int_eq(sim_bmc_power(&b, 5000), 0);
	/* soft off, reset and diag leave an off machine off */
	ck_assert_int_eq(control(6000, IPMI_CHASSIS_SOFT), IPMI_CC_OK);
	ck_assert_int_eq(control(6000, IPMI_CHASSIS_RESET), IPMI_CC_OK);
	ck_assert_int_eq(control(6000, IPMI_CHASSIS_DIAG), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 9000), 0);
	ck_assert_int_eq(control(6000, 0x06), IPMI_CC_INVALID_FIELD);
}
END_TEST

START_TEST(test_privilege_enforced)
{
	uint8_t ctl = IPMI_CHASSIS_ON;

	ck_assert_int_eq(call(0, IPMI_PRIV_USER, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_CONTROL, &ctl, 1), IPMI_CC_PRIVILEGE);
	ck_assert_int_eq(outlen, 0);
	ck_assert_int_eq(call(0, IPMI_PRIV_CALLBACK, IPMI_NETFN_APP,
	    IPMI_CMD_GET_DEVICE_ID, NULL, 0), IPMI_CC_PRIVILEGE);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_ON], 0);
	ck_assert_int_eq(sim_bmc_power(&b, 100000), 0);
}
END_TEST

START_TEST(test_lengths_and_unknown_commands)
{
	uint8_t two[2] = { 1, 1 }, three[3] = { 0 };

	ck_assert_int_eq(call(0, IPMI_PRIV_ADMIN, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_CONTROL, NULL, 0), IPMI_CC_REQ_LEN);
	ck_assert_int_eq(call(0, IPMI_PRIV_ADMIN, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_CONTROL, two, 2), IPMI_CC_REQ_LEN);
	ck_assert_int_eq(call(0, IPMI_PRIV_ADMIN, IPMI_NETFN_APP,
	    IPMI_CMD_GET_DEVICE_ID, two, 1), IPMI_CC_REQ_LEN);
	ck_assert_int_eq(call(0, IPMI_PRIV_ADMIN, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_IDENTIFY, three, 3), IPMI_CC_REQ_TOO_LONG);
	/* Set Auxiliary Log Status: nobody here implements it */
	ck_assert_int_eq(call(0, IPMI_PRIV_ADMIN, IPMI_NETFN_STORAGE, 0x5b,
	    NULL, 0), IPMI_CC_INVALID_CMD);
}
END_TEST

START_TEST(test_device_id_from_model)
{
	struct ipmi_device_id d;
	struct buf r;

	ck_assert_int_eq(call(0, IPMI_PRIV_USER, IPMI_NETFN_APP,
	    IPMI_CMD_GET_DEVICE_ID, NULL, 0), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_device_id_decode(&r, &d), 0);
	ck_assert_uint_eq(d.manufacturer, 674);
	ck_assert_uint_eq(d.product, 0x0100);
	ck_assert_uint_eq(d.fw_major, 4);
	ck_assert_uint_eq(d.fw_minor, 40);
	ck_assert_uint_eq(d.ipmi_version, 0x02);
	ck_assert_int_eq(d.has_aux, 1);
	ck_assert_ptr_null(sim_model_find("no-such-model"));
	ck_assert_ptr_nonnull(sim_model_nth(1000));
}
END_TEST

START_TEST(test_guid_unique_and_v4)
{
	struct sim_bmc other;
	uint8_t guid[16];

	ck_assert_int_eq(call(0, IPMI_PRIV_USER, IPMI_NETFN_APP,
	    IPMI_CMD_GET_DEVICE_GUID, NULL, 0), IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 16);
	memcpy(guid, out, 16);
	ck_assert_mem_eq(guid, b.guid, 16);
	ck_assert_uint_eq(guid[9] >> 4, 4);	/* version nibble */
	sim_bmc_init(&other, b.model, 43, 1000);
	ck_assert_int_ne(memcmp(other.guid, b.guid, 16), 0);
	sim_bmc_init(&other, b.model, 42, 1000);
	ck_assert_mem_eq(other.guid, b.guid, 16);
}
END_TEST

static uint8_t
identify_state(uint64_t now)
{
	struct ipmi_chassis_status st;
	struct buf r;

	call(now, IPMI_PRIV_USER, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_GET_CHASSIS_STATUS, NULL, 0);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_chassis_status_decode(&r, &st), 0);
	ck_assert_int_eq(st.identify_supported, 1);
	return st.identify_state;
}

START_TEST(test_identify)
{
	uint8_t five = 5, force[2] = { 0, 1 }, zero = 0;

	/* no data: the spec's 15 s default */
	ck_assert_int_eq(call(0, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_IDENTIFY, NULL, 0), IPMI_CC_OK);
	ck_assert_int_eq(identify_state(14999), 1);
	ck_assert_int_eq(identify_state(15000), 0);
	ck_assert_int_eq(call(20000, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_IDENTIFY, &five, 1), IPMI_CC_OK);
	ck_assert_int_eq(identify_state(24999), 1);
	ck_assert_int_eq(identify_state(25000), 0);
	ck_assert_int_eq(call(30000, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_IDENTIFY, force, 2), IPMI_CC_OK);
	ck_assert_int_eq(identify_state(999999999), 2);
	ck_assert_int_eq(call(30000, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_IDENTIFY, &zero, 1), IPMI_CC_OK);
	ck_assert_int_eq(identify_state(30001), 0);
	ck_assert_uint_eq(b.cnt.identify, 4);
}
END_TEST

static Suite *
bmc_suite(void)
{
	Suite *s = suite_create("bmc");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_power_on_takes_the_delay);
	tcase_add_test(tc, test_cycle_goes_off_then_on);
	tcase_add_test(tc, test_new_command_replaces_pending);
	tcase_add_test(tc, test_privilege_enforced);
	tcase_add_test(tc, test_lengths_and_unknown_commands);
	tcase_add_test(tc, test_device_id_from_model);
	tcase_add_test(tc, test_guid_unique_and_v4);
	tcase_add_test(tc, test_identify);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(bmc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
