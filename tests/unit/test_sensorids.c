/*
 * sensorids: a sensor learnt from the database, its metadata as the
 * database gives it back (thresholds' keys in jsonb's order), goes by ID;
 * a change of metadata goes by name once, then by ID; an unknown sensor
 * always by name; one sensor twice at one time by ID once; thousands of
 * sensors all found after the table grows.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "collector/sensorids.h"

START_TEST(by_name_once_then_by_id)
{
	struct sensor_ids *m;
	uint64_t k = sids_key("b1", 32, 7, "Temp");
	uint64_t a = sids_meta(12, "Temperature", "threshold", "degrees C",
	    "{\"unc\": 85, \"lcr\": 2.5}");
	uint64_t b = sids_meta(12, "Temperature", "threshold", "degrees F",
	    "{\"unc\": 85, \"lcr\": 2.5}");
	long long id = 0, bmc_id = 0;

	ck_assert_ptr_nonnull(m = sids_new());
	ck_assert_int_eq(sids_get(m, k, a, 0, &id, &bmc_id), 0);
	/* as the database gives it back: keys sorted, by ID at once */
	ck_assert_int_eq(sids_put(m, k, sids_meta(12, "Temperature",
	    "threshold", "degrees C", "{\"lcr\": 2.5, \"unc\": 85}"), 41, 3),
	    0);
	ck_assert_int_eq(sids_get(m, k, a, 0, &id, &bmc_id), 1);
	ck_assert_int_eq(id, 41);
	ck_assert_int_eq(bmc_id, 3);
	/* the units change: by name once, then by ID */
	ck_assert_int_eq(sids_get(m, k, b, 0, &id, &bmc_id), 0);
	ck_assert_int_eq(sids_get(m, k, b, 0, &id, &bmc_id), 1);
	/* learnt again (the sensor made again): its ID and metadata */
	ck_assert_int_eq(sids_put(m, k, a, 90, 3), 0);
	ck_assert_int_eq(sids_get(m, k, b, 0, &id, &bmc_id), 0);
	ck_assert_int_eq(sids_get(m, k, b, 0, &id, &bmc_id), 1);
	ck_assert_int_eq(id, 90);
	ck_assert_int_eq(sids_max_id(m), 90);
	ck_assert_uint_eq(sids_count(m), 1);
	/* keys and metadata tell their fields apart */
	ck_assert(sids_key("b1", 32, 7, "Temp") != sids_key("b1", 32, 8,
	    "Temp"));
	ck_assert(sids_key("b1", 32, 7, "Temp") != sids_key("b2", 32, 7,
	    "Temp"));
	ck_assert(sids_meta(1, "a", NULL, "", NULL) !=
	    sids_meta(1, "a", "", NULL, NULL));
	ck_assert(sids_meta(1, "a", "b", "c", "{\"unc\": 85}") !=
	    sids_meta(1, "a", "b", "c", "{\"unc\": 86}"));
	ck_assert(sids_meta(1, "a", "b", "c", "{\"unc\": 85}") !=
	    sids_meta(1, "a", "b", "c", "{\"ucr\": 85}"));
	ck_assert(sids_meta(1, "a", "b", "c", "{\"unc\": 85}") ==
	    sids_meta(1, "a", "b", "c", "{\"unc\":85}"));
	sids_free(m);
}
END_TEST

START_TEST(many_sensors)
{
	struct sensor_ids *m;
	char bmc[32];
	long long id, bmc_id;

	ck_assert_ptr_nonnull(m = sids_new());
	for (int i = 0; i < 20000; i++) {
		snprintf(bmc, sizeof(bmc), "node%05d", i / 33);
		ck_assert_int_eq(sids_put(m, sids_key(bmc, 32, i % 33, "S"),
		    0, i + 1, i / 33 + 1), 0);
	}
	ck_assert_uint_eq(sids_count(m), 20000);
	ck_assert_int_eq(sids_max_id(m), 20000);
	for (int i = 0; i < 20000; i++) {
		snprintf(bmc, sizeof(bmc), "node%05d", i / 33);
		ck_assert_int_eq(sids_get(m, sids_key(bmc, 32, i % 33, "S"), 5,
		    1000, &id, &bmc_id), 0);
		ck_assert_int_eq(sids_get(m, sids_key(bmc, 32, i % 33, "S"), 5,
		    1000, &id, &bmc_id), 1);
		/* the same sensor again at the same time: left out */
		ck_assert_int_eq(sids_get(m, sids_key(bmc, 32, i % 33, "S"), 5,
		    1000, &id, &bmc_id), 2);
		ck_assert_int_eq(sids_get(m, sids_key(bmc, 32, i % 33, "S"), 5,
		    2000, &id, &bmc_id), 1);
		ck_assert_int_eq(id, i + 1);
		ck_assert_int_eq(bmc_id, i / 33 + 1);
	}
	ck_assert_int_eq(sids_get(m, sids_key("node99999", 32, 0, "S"), 5,
	    1000, &id, &bmc_id), 0);
	sids_free(m);
}
END_TEST

START_TEST(packed_ids_exact)
{
	struct sensor_ids *m;
	long long id, bmc_id;
	const long long top = (1LL << 40) - 1;
	/* BMC IDs far apart and interleaved: the index table, not order */
	const long long bmcs[] = { 7, 1LL << 50, 3, 9000000000LL, 7 };

	ck_assert_ptr_nonnull(m = sids_new());
	for (int i = 0; i < 5000; i++)
		ck_assert_int_eq(sids_put(m, sids_key("b", 32, i, "S"), 0,
		    top - i, bmcs[i % 5]), 0);
	for (int i = 0; i < 5000; i++) {
		ck_assert_int_eq(sids_get(m, sids_key("b", 32, i, "S"), 5,
		    100, &id, &bmc_id), 0);
		ck_assert_int_eq(sids_get(m, sids_key("b", 32, i, "S"), 5,
		    100, &id, &bmc_id), 1);
		ck_assert_int_eq(id, top - i);
		ck_assert_int_eq(bmc_id, bmcs[i % 5]);
	}
	/* an ID the packed word cannot hold is not learnt (never filed
	 * under a truncated one): the sensor goes by name */
	ck_assert_int_eq(sids_put(m, sids_key("b", 33, 1, "S"), 0, top + 1,
	    7), -1);
	ck_assert_int_eq(sids_get(m, sids_key("b", 33, 1, "S"), 5, 100, &id,
	    &bmc_id), 0);
	ck_assert_int_eq(sids_get(m, sids_key("b", 33, 1, "S"), 5, 200, &id,
	    &bmc_id), 0);
	ck_assert_int_eq(sids_max_id(m), top);
	ck_assert_uint_eq(sids_count(m), 5000);
	sids_free(m);
}
END_TEST

static Suite *
sensorids_suite(void)
{
	Suite *s = suite_create("sensorids");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, by_name_once_then_by_id);
	tcase_add_test(tc, many_sensors);
	tcase_add_test(tc, packed_ids_exact);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sensorids_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
