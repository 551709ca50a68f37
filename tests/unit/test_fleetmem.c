/* test_fleetmem: the latest sweep per BMC, interned names, what a sweep
 * that did not get a part leaves, and the bytes per BMC of a big fleet. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/fleetmem.h"

START_TEST(test_host_and_strings)
{
	struct fleetmem *fm = fleetmem_new();
	struct fm_host *a, *b;
	uint32_t x, y;

	ck_assert_ptr_nonnull(fm);
	a = fleetmem_host(fm, "node-1");
	b = fleetmem_host(fm, "node-2");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_ne(a, b);
	ck_assert_ptr_eq(fleetmem_host(fm, "node-1"), a);
	ck_assert_ptr_eq(fleetmem_find(fm, "node-2"), b);
	ck_assert_ptr_null(fleetmem_find(fm, "node-3"));
	ck_assert_uint_eq(fleetmem_count(fm), 2);
	ck_assert_ptr_eq(fleetmem_at(fm, 1), b);
	x = fleetmem_intern(fm, "CPU1 Temp");
	y = fleetmem_intern(fm, "CPU1 Temp");
	ck_assert_uint_ne(x, 0);
	ck_assert_uint_eq(x, y);
	ck_assert_str_eq(fleetmem_str(fm, x), "CPU1 Temp");
	ck_assert_uint_eq(fleetmem_intern(fm, ""), 0);
	ck_assert_str_eq(fleetmem_str(fm, 0), "");
	/* pointers stay put past a chunk and an index growth */
	for (int i = 0; i < 1000; i++) {
		char n[32];

		snprintf(n, sizeof(n), "bmc-%d", i);
		ck_assert_ptr_nonnull(fleetmem_host(fm, n));
	}
	ck_assert_ptr_eq(fleetmem_find(fm, "node-1"), a);
	ck_assert_str_eq(a->name, "node-1");
	fleetmem_free(fm);
}
END_TEST

static void
sweep_one(struct fleetmem *fm, struct fm_host *h, int sensors, int sel,
    double t)
{
	fm_begin(h);
	fm_devid(h, 674, 0x100, 4, 40, 0x02);
	fm_chassis(h, 1, 0x04);
	if (sensors) {
		ck_assert_int_eq(fm_sensors_begin(h, 2), 0);
		ck_assert_int_eq(fm_sensor(fm, h, 1, 0x30, 0x01, "CPU1 Temp",
		    "degrees C", 1, 1, t, FM_NOMINAL), 0);
		ck_assert_int_eq(fm_sensor(fm, h, 26, 0x60, 0x08, "PS1 Status",
		    NULL, 0, 0, 0, FM_CRITICAL), 0);
		fm_sensors_end(h);
	}
	if (sel)
		fm_sel(h, 17, 7920);
	fm_end(h, 1, 0, 1000, 250);
}

START_TEST(test_latest_sweep)
{
	struct fleetmem *fm = fleetmem_new();
	struct fm_host *h = fleetmem_host(fm, "n1");

	sweep_one(fm, h, 1, 1, 41.5);
	ck_assert_uint_eq(h->ns, 2);
	ck_assert(h->s[0].value == 41.5);
	ck_assert(h->s[0].flags & FM_S_VALUE);
	ck_assert(!(h->s[1].flags & FM_S_VALUE));
	ck_assert_uint_eq(h->s[1].state, FM_CRITICAL);
	ck_assert_str_eq(fleetmem_str(fm, h->s[1].name), "PS1 Status");
	ck_assert_str_eq(fleetmem_str(fm, h->s[0].units), "degrees C");
	ck_assert(h->have & FM_H_SEL);
	ck_assert_uint_eq(h->sel_free, 7920);
	ck_assert_uint_eq(h->chassis_misc, 0x04);

	/* readings begun while a scrape reads the last ones: not seen
	 * until the phase ends */
	fm_begin(h);
	ck_assert_int_eq(fm_sensors_begin(h, 2), 0);
	ck_assert_int_eq(fm_sensor(fm, h, 1, 0x30, 0x01, "CPU1 Temp",
	    "degrees C", 1, 1, 50, FM_NOMINAL), 0);
	ck_assert(h->s[0].value == 41.5);
	/* the host fails mid-way: what it did not get is gone */
	fm_end(h, 0, 3, 2000, 10);
	ck_assert_uint_eq(h->ns, 0);
	ck_assert(!(h->have & (FM_H_SENSORS | FM_H_SEL | FM_H_DEVID)));
	ck_assert(h->have & FM_H_SWEPT);
	ck_assert_uint_eq(h->up, 0);
	ck_assert_uint_eq(h->reason, 3);

	/* a sweep without the SEL: sensors back, SEL still absent */
	sweep_one(fm, h, 1, 0, 42);
	ck_assert_uint_eq(h->ns, 2);
	ck_assert(h->s[0].value == 42);
	ck_assert(!(h->have & FM_H_SEL));
	ck_assert_uint_eq(h->up, 1);
	/* the BIOS version outlives sweeps that did not ask it */
	fm_begin(h);
	fm_sysfw(fm, h, "2.17.1");
	fm_end(h, 1, 0, 3000, 10);
	sweep_one(fm, h, 1, 1, 43);
	ck_assert(h->have & FM_H_SYSFW);
	ck_assert_str_eq(fleetmem_str(fm, h->sysfw), "2.17.1");
	fleetmem_free(fm);
}
END_TEST

/* 10,000 BMCs of 5 models, 40 sensors each: the bytes per BMC */
START_TEST(test_bytes_per_bmc)
{
	struct fleetmem *fm = fleetmem_new();
	size_t n = 10000, bytes;

	for (size_t i = 0; i < n; i++) {
		char name[32], sn[32];
		struct fm_host *h;

		snprintf(name, sizeof(name), "rack%02zu-node%03zu", i / 100,
		    i % 100);
		h = fleetmem_host(fm, name);
		ck_assert_ptr_nonnull(h);
		fm_begin(h);
		fm_devid(h, 674, 0x100, 4, 40, 0x02);
		ck_assert_int_eq(fm_sensors_begin(h, 40), 0);
		for (int k = 0; k < 40; k++) {
			snprintf(sn, sizeof(sn), "M%zu Sensor %d", i % 5, k);
			ck_assert_int_eq(fm_sensor(fm, h, (uint16_t)k,
			    (uint8_t)k, 0x01, sn, "degrees C", 1, 1, k,
			    FM_NOMINAL), 0);
		}
		fm_sensors_end(h);
		fm_sel(h, 10, 8000);
		fm_end(h, 1, 0, 1, 1);
	}
	bytes = fleetmem_bytes(fm);
	printf("fleetmem: %zu BMCs x 40 sensors: %zu bytes, %zu per BMC "
	    "(struct fm_host %zu, struct fm_sensor %zu)\n", n, bytes,
	    bytes / n, sizeof(struct fm_host), sizeof(struct fm_sensor));
	/* 40 sensors of 24 bytes and one host record, names shared */
	ck_assert_uint_eq(sizeof(struct fm_sensor), 24);
	ck_assert_uint_le(bytes / n, 40 * 24 + 200);
	fleetmem_free(fm);
}
END_TEST

static Suite *
fleetmem_suite(void)
{
	Suite *s = suite_create("fleetmem");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_host_and_strings);
	tcase_add_test(tc, test_latest_sweep);
	tcase_add_test(tc, test_bytes_per_bmc);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fleetmem_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
