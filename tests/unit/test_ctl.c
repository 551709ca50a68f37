/*
 * sim/ctl: the control channel's words, and the SEL entries sel-add makes
 * (store.h, sim_store_sel_add_now) decoded with the library's SEL decoder.
 */
#include <check.h>
#include <string.h>

#include "ipmi/sel.h"
#include "sim/bmc.h"
#include "sim/ctl.h"
#include "sim/model.h"
#include "sim/sensors.h"
#include "sim/store.h"
#include "ckmain.h"

START_TEST(test_parse_sel_add)
{
	struct sim_ctl_cmd c;
	char err[256];

	ck_assert_int_eq(sim_ctl_parse("sel-add 127.0.72.3,127.0.72.4 warning "
	    "deassert\n", &c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.verb, SIM_CTL_SEL_ADD);
	ck_assert_uint_eq(c.naddrs, 2);
	ck_assert_uint_eq(c.addrs[0], 0x7f004803u);
	ck_assert_uint_eq(c.addrs[1], 0x7f004804u);
	ck_assert_int_eq(c.severity, SIM_SEV_WARNING);
	ck_assert_int_eq(c.deassert, 1);
	ck_assert_int_eq(c.all, 0);

	ck_assert_int_eq(sim_ctl_parse("sel-add all", &c, err, sizeof(err)),
	    0);
	ck_assert_int_eq(c.all, 1);
	ck_assert_int_eq(c.severity, SIM_SEV_CRITICAL);
	ck_assert_int_eq(c.deassert, 0);

	ck_assert_int_eq(sim_ctl_parse("sel-rate 120", &c, err, sizeof(err)),
	    0);
	ck_assert_int_eq(c.verb, SIM_CTL_SEL_RATE);
	ck_assert_uint_eq(c.rate, 120);
}
END_TEST

START_TEST(test_parse_errors)
{
	static const char *bad[] = {
		"", "sel-add", "sel-add 127.0.72.x", "sel-add all loud",
		"sel-rate", "sel-rate -1", "sel-rate 5 6", "reboot all",
	};
	struct sim_ctl_cmd c;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(sim_ctl_parse(bad[i], &c, err, sizeof(err)) == -1,
		    "accepted '%s'", bad[i]);
		ck_assert_msg(err[0] != '\0', "no message for '%s'", bad[i]);
	}
}
END_TEST

/* each severity's entry, its sensor from the SDR, asserted and not */
START_TEST(test_sel_add_now)
{
	static const struct {
		int sev, deassert;
		uint8_t stype, snum, etype, off;
	} want[] = {
		{ SIM_SEV_CRITICAL, 0, 0x08, SIM_SENSOR_PS1, 0x6f, 0x01 },
		{ SIM_SEV_CRITICAL, 1, 0x08, SIM_SENSOR_PS1, 0x6f, 0x01 },
		{ SIM_SEV_WARNING, 0, 0x01, SIM_SENSOR_CPU1_TEMP, 0x01, 0x07 },
		{ SIM_SEV_INFO, 0, 0x08, SIM_SENSOR_PS1, 0x6f, 0x00 },
	};
	struct sim_bmc b;
	struct sel_entry e;
	struct sim_sel_view v;
	uint8_t rec[16];
	unsigned seen = 0;
	size_t i;
	int id, prev;

	sim_store_configure(0, 1650000000u);
	sim_store_start(0);
	sim_bmc_init(&b, sim_model_nth(0), 42, 0);
	ck_assert_int_eq(sim_store_sel_new(&b, 1000, &seen, &v), 0);
	ck_assert_uint_gt(v.n, 0);	/* the prehistory */
	prev = (int)seen;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		id = sim_store_sel_add_now(&b, 1000, want[i].sev,
		    want[i].deassert, rec);
		ck_assert_int_eq(id, prev + 1);
		prev = id;
		ck_assert_int_eq(sel_decode(rec, sizeof(rec), &e), 0);
		ck_assert_uint_eq(e.id, (unsigned)id);
		ck_assert_uint_eq(e.sensor_type, want[i].stype);
		ck_assert_uint_eq(e.sensor_number, want[i].snum);
		ck_assert_uint_eq(e.event_type, want[i].etype);
		ck_assert_int_eq(e.direction, want[i].deassert);
		ck_assert_uint_eq(e.data[0] & 0x0f, want[i].off);
		ck_assert_uint_eq(e.timestamp, 1650000001u);
	}
	/* what the PEF sees: exactly the four new ones */
	ck_assert_int_eq(sim_store_sel_new(&b, 1000, &seen, &v), 0);
	ck_assert_uint_eq(v.n, 4);
	ck_assert_int_eq(v.raw[0] | v.raw[1] << 8, prev - 3);
	ck_assert_int_eq(sim_store_sel_new(&b, 1000, &seen, &v), 0);
	ck_assert_uint_eq(v.n, 0);
	sim_bmc_release(&b);
}
END_TEST

/* --sel-rate 60: one entry a second, none of them quiet */
START_TEST(test_sel_rate)
{
	struct sim_bmc b;
	struct sim_sel_view v;
	unsigned seen = 0;

	sim_store_configure(0, 1650000000u);
	sim_store_start(0);
	sim_store_sel_rate(60);
	sim_bmc_init(&b, sim_model_nth(1), 7, 0);
	b.power_on = 1;
	ck_assert_int_eq(sim_store_sel_new(&b, 500, &seen, &v), 0);
	ck_assert_int_eq(sim_store_sel_new(&b, 30500, &seen, &v), 0);
	ck_assert_uint_eq(v.n, 30);
	sim_store_sel_rate(0);
	sim_store_rate_changed(&b, 30500);
	/* the default gap is at least two minutes */
	ck_assert_int_eq(sim_store_sel_new(&b, 30500 + 119000, &seen, &v), 0);
	ck_assert_uint_eq(v.n, 0);
	sim_bmc_release(&b);
}
END_TEST

static Suite *
ctl_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc = tcase_create("ctl");

	tcase_add_test(tc, test_parse_sel_add);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_sel_add_now);
	tcase_add_test(tc, test_sel_rate);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(ctl_suite());
}
