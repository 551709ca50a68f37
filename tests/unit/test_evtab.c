/*
 * test_evtab: the spec's names, spot-checked where a typo would show in
 * a differential test, and the edges (OEM, unassigned, offsets past 15).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/evtab.h"

START_TEST(test_sensor_types)
{
	ck_assert_str_eq(ipmi_sensor_type_name(0x01), "Temperature");
	ck_assert_str_eq(ipmi_sensor_type_name(0x04), "Fan");
	ck_assert_str_eq(ipmi_sensor_type_name(0x08), "Power Supply");
	ck_assert_str_eq(ipmi_sensor_type_name(0x0c), "Memory");
	ck_assert_str_eq(ipmi_sensor_type_name(0x0d), "Drive Slot / Bay");
	ck_assert_str_eq(ipmi_sensor_type_name(0x0f), "System Firmwares");
	ck_assert_str_eq(ipmi_sensor_type_name(0x11), "Watchdog1");
	ck_assert_str_eq(ipmi_sensor_type_name(0x23), "Watchdog2");
	ck_assert_str_eq(ipmi_sensor_type_name(0x2c), "FRU State");
	ck_assert_str_eq(ipmi_sensor_type_name(0x00), "Unknown");
	ck_assert_str_eq(ipmi_sensor_type_name(0x2d), "Unknown");
	ck_assert_str_eq(ipmi_sensor_type_name(0xbf), "Unknown");
	ck_assert_str_eq(ipmi_sensor_type_name(0xc0), "OEM reserved");
	ck_assert_str_eq(ipmi_sensor_type_name(0xff), "OEM reserved");
}
END_TEST

START_TEST(test_every_code_named)
{
	unsigned i;

	/* never NULL, whatever the byte */
	for (i = 0; i < 256; i++) {
		ck_assert_ptr_nonnull(ipmi_sensor_type_name((uint8_t)i));
		ck_assert_ptr_nonnull(ipmi_event_type_name((uint8_t)i));
	}
	for (i = 0x01; i <= 0x2c; i++)
		ck_assert_str_ne(ipmi_sensor_type_name((uint8_t)i), "Unknown");
}
END_TEST

START_TEST(test_event_types)
{
	ck_assert_str_eq(ipmi_event_type_name(0x01), "Threshold");
	ck_assert_str_eq(ipmi_event_type_name(0x03), "Discrete");
	ck_assert_str_eq(ipmi_event_type_name(0x0c), "Discrete");
	ck_assert_str_eq(ipmi_event_type_name(0x6f), "Sensor-specific");
	ck_assert_str_eq(ipmi_event_type_name(0x70), "OEM");
	ck_assert_str_eq(ipmi_event_type_name(0x7f), "OEM");
	ck_assert_str_eq(ipmi_event_type_name(0x0d), "Unknown");
}
END_TEST

START_TEST(test_threshold_offsets)
{
	ck_assert_str_eq(ipmi_event_string(0x01, 0x01, 0x00),
	    "Lower Non-critical going low");
	ck_assert_str_eq(ipmi_event_string(0x01, 0x01, 0x07),
	    "Upper Non-critical going high");
	ck_assert_str_eq(ipmi_event_string(0x01, 0x04, 0x09),
	    "Upper Critical going high");
	ck_assert_str_eq(ipmi_event_string(0x01, 0x02, 0x0b),
	    "Upper Non-recoverable going high");
	/* the sensor type does not matter for generic tables */
	ck_assert_str_eq(ipmi_event_string(0x01, 0xc5, 0x02),
	    "Lower Critical going low");
	ck_assert_ptr_null(ipmi_event_string(0x01, 0x01, 0x0c));
	ck_assert_ptr_null(ipmi_event_string(0x01, 0x01, 0x0f));
	ck_assert_ptr_null(ipmi_event_string(0x01, 0x01, 0x10));
	ck_assert_ptr_null(ipmi_event_string(0x01, 0x01, 0xff));
	/* a direction bit left in the event type is ignored */
	ck_assert_str_eq(ipmi_event_string(0x81, 0x01, 0x09),
	    "Upper Critical going high");
}
END_TEST

START_TEST(test_generic_offsets)
{
	ck_assert_str_eq(ipmi_event_string(0x03, 0, 1), "State Asserted");
	ck_assert_str_eq(ipmi_event_string(0x04, 0, 1),
	    "Predictive Failure Asserted");
	ck_assert_str_eq(ipmi_event_string(0x07, 0, 8), "Informational");
	ck_assert_str_eq(ipmi_event_string(0x08, 0, 1), "Device Present");
	ck_assert_str_eq(ipmi_event_string(0x0b, 0, 1), "Redundancy Lost");
	ck_assert_str_eq(ipmi_event_string(0x0c, 0, 3), "D3 Power State");
	ck_assert_ptr_null(ipmi_event_string(0x03, 0, 2));
	ck_assert_ptr_null(ipmi_event_string(0x00, 0, 0));
	ck_assert_ptr_null(ipmi_event_string(0x0d, 0, 0));
	ck_assert_ptr_null(ipmi_event_string(0x70, 0x01, 0));
}
END_TEST

START_TEST(test_specific_offsets)
{
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x07, 7), "Presence detected");
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x08, 0), "Presence detected");
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x08, 1), "Failure detected");
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x08, 3),
	    "Power Supply AC lost");
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x09, 0), "Power off/down");
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x0c, 0), "Correctable ECC");
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x0c, 1),
	    "Uncorrectable ECC");
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x0c, 2), "Parity");
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x0d, 8), "Rebuild Aborted");
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x10, 2),
	    "Log area reset/cleared");
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x22, 14), "Unknown");
	ck_assert_str_eq(ipmi_event_string(0x6f, 0x2c, 7),
	    "Communication lost");
	/* gaps and types without a table */
	ck_assert_ptr_null(ipmi_event_string(0x6f, 0x22, 13));
	ck_assert_ptr_null(ipmi_event_string(0x6f, 0x23, 4));
	ck_assert_ptr_null(ipmi_event_string(0x6f, 0x01, 0));
	ck_assert_ptr_null(ipmi_event_string(0x6f, 0x08, 8));
	ck_assert_ptr_null(ipmi_event_string(0x6f, 0x2d, 0));
	ck_assert_ptr_null(ipmi_event_string(0x6f, 0xc0, 0));
	ck_assert_ptr_null(ipmi_event_string(0x6f, 0xff, 0xff));
}
END_TEST

static Suite *
evtab_suite(void)
{
	Suite *s = suite_create("evtab");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sensor_types);
	tcase_add_test(tc, test_every_code_named);
	tcase_add_test(tc, test_event_types);
	tcase_add_test(tc, test_threshold_offsets);
	tcase_add_test(tc, test_generic_offsets);
	tcase_add_test(tc, test_specific_offsets);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(evtab_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
