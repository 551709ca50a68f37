/*
 * The sweep's SDR memory: bounded in models, least recently used first
 * out (a BMC whose repository timestamps move on every request must not
 * grow it for ever).  The sweep's traffic is covered by the integration
 * tests against bmcsim.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "collector/rows.h"
#include "collector/sweep.h"

START_TEST(test_models_bounded)
{
	struct sweep_cfg cfg = { .run_key = "t", .what = SWEEP_ALL };
	struct rows r;
	struct sweep *sw;
	char key[64];
	size_t bytes;

	rows_init(&r);
	ck_assert_ptr_nonnull(sw = sweep_new(&cfg, &r));
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "674:256:4.40:0:40:%d:0", i);
		ck_assert_int_eq(sweep_add_sdr(sw, key, NULL, 0), 0);
	}
	ck_assert_uint_eq(sweep_models(sw, &bytes), 512);
	ck_assert_uint_gt(bytes, 0);
	/* the newest stay, the oldest went */
	ck_assert_int_eq(sweep_has_sdr(sw, "674:256:4.40:0:40:1999:0"), 1);
	ck_assert_int_eq(sweep_has_sdr(sw, "674:256:4.40:0:40:1488:0"), 1);
	ck_assert_int_eq(sweep_has_sdr(sw, "674:256:4.40:0:40:1487:0"), 0);
	ck_assert_int_eq(sweep_has_sdr(sw, "674:256:4.40:0:40:0:0"), 0);
	/* adding a key held already changes nothing */
	ck_assert_int_eq(sweep_add_sdr(sw, "674:256:4.40:0:40:1999:0", NULL,
	    0), 0);
	ck_assert_uint_eq(sweep_models(sw, NULL), 512);
	sweep_free(sw);
	rows_release(&r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sweep");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_models_bounded);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
