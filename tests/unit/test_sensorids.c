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
#include <string.h>

#include "collector/sensorids.h"
#include "ipmi/sensor.h"

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

/* The claims a batch ended with: "bmc:digest" or "bmc:-", joined. */
struct claims {
	char	text[256];
};

static void
claim_seen(void *arg, long long bmc_id, int ok, int64_t digest)
{
	struct claims *c = arg;
	size_t k = strlen(c->text);

	if (ok)
		snprintf(c->text + k, sizeof(c->text) - k, "%s%lld:%lld",
		    k ? " " : "", bmc_id, (long long)digest);
	else
		snprintf(c->text + k, sizeof(c->text) - k, "%s%lld:-",
		    k ? " " : "", bmc_id);
}

static const char *
end_batch(struct sensor_ids *m, struct claims *c)
{
	c->text[0] = '\0';
	sids_claims(m, claim_seen, c);
	return c->text;
}

/* sids_get, then sids_same: 1 same, 0 moved, -1 not by ID */
static int
same(struct sensor_ids *m, uint64_t key, uint64_t ts, int health,
    int has_states, unsigned states)
{
	long long id, bmc_id;

	if (sids_get(m, key, 1, ts, &id, &bmc_id) != 1)
		return -1;
	return sids_same(m, health, has_states, states);
}

/*
 * The hash is schema 008's bmcfleet_state_hash (values PostgreSQL gave).
 * A reading repeating the remembered state is the same; one that moves
 * is not, is remembered, and moves the BMC's digest as the trigger does;
 * 'na' is always the same; a batch's claim is the digest before its
 * first reading of the BMC; a state or digest not learnt makes nothing
 * the same, and a sensor whose old state is unknown leaves its BMC's
 * digest unknown until learnt again; learning mid-batch withdraws the
 * batch's claim; a sensor made again under its key forgets its state.
 */
START_TEST(states_and_claims)
{
	struct sensor_ids *m;
	struct claims c;
	uint64_t a = sids_key("b1", 32, 1, "A"), b = sids_key("b1", 32, 2,
	    "B"), x = sids_key("b2", 32, 1, "X");
	int64_t d = 1000, d2;

	ck_assert_int_eq(sids_state_hash(12345, "warning", 0, 0),
	    -6359504402606452029LL);
	ck_assert_int_eq(sids_state_hash(7, "nominal", 1, 16),
	    383472157250526635LL);
	ck_assert_int_eq(sids_state_hash(7, NULL, 1, 16), 0);

	ck_assert_ptr_nonnull(m = sids_new());
	ck_assert_int_eq(sids_put(m, a, 1, 11, 1), 0);
	ck_assert_int_eq(sids_put(m, b, 1, 12, 1), 0);
	ck_assert_int_eq(sids_put(m, x, 1, 21, 2), 0);
	ck_assert_int_eq(sids_learn_state(m, a, "nominal", 0, 0), 0);
	ck_assert_int_eq(sids_learn_state(m, b, "warning", 1, 4), 0);
	ck_assert_int_eq(sids_learn_state(m, x, "nominal", 0, 0), 0);
	ck_assert_int_eq(sids_learn_state(m, x, "Nominal", 0, 0), -1);
	ck_assert_int_eq(sids_learn_state(m, sids_key("b9", 1, 1, "?"),
	    "nominal", 0, 0), -1);
	ck_assert_int_eq(sids_learn_state(m, x, "nominal", 0, 0), 0);
	sids_learn_digest(m, 1, d);
	/* b2's digest not learnt: nothing of it is the same */

	ck_assert_int_eq(same(m, a, 100, SENSOR_NOMINAL, 0, 0), 1);
	ck_assert_int_eq(same(m, b, 100, SENSOR_WARNING, 1, 4), 1);
	ck_assert_int_eq(same(m, x, 100, SENSOR_NOMINAL, 0, 0), 0);
	ck_assert_str_eq(end_batch(m, &c), "1:1000 2:-");

	/* a moves (then repeats its new state), b's bits move, 'na' */
	ck_assert_int_eq(same(m, a, 200, SENSOR_CRITICAL, 0, 0), 0);
	ck_assert_int_eq(same(m, a, 201, SENSOR_CRITICAL, 0, 0), 1);
	ck_assert_int_eq(same(m, b, 200, SENSOR_WARNING, 1, 5), 0);
	ck_assert_int_eq(same(m, b, 201, SENSOR_NA, 0, 0), 1);
	ck_assert_str_eq(end_batch(m, &c), "1:1000");
	d2 = d ^ sids_state_hash(11, "nominal", 0, 0) ^
	    sids_state_hash(11, "critical", 0, 0) ^
	    sids_state_hash(12, "warning", 1, 4) ^
	    sids_state_hash(12, "warning", 1, 5);
	ck_assert_int_eq(same(m, a, 300, SENSOR_CRITICAL, 0, 0), 1);
	snprintf(c.text, sizeof(c.text), "1:%lld", (long long)d2);
	{
		char want[256];

		snprintf(want, sizeof(want), "%s", c.text);
		ck_assert_str_eq(end_batch(m, &c), want);
	}

	/* learnt again mid-batch: that batch's claim withdrawn, the next
	 * one's the digest learnt */
	ck_assert_int_eq(same(m, a, 400, SENSOR_CRITICAL, 0, 0), 1);
	sids_learn_digest(m, 1, 77);
	ck_assert_int_eq(same(m, a, 401, SENSOR_CRITICAL, 0, 0), 1);
	ck_assert_str_eq(end_batch(m, &c), "1:-");
	ck_assert_int_eq(same(m, a, 500, SENSOR_CRITICAL, 0, 0), 1);
	ck_assert_str_eq(end_batch(m, &c), "1:77");

	/* a sensor made again (another ID): its state unknown, so it
	 * moves, and its BMC's digest is unknown after it */
	ck_assert_int_eq(sids_put(m, b, 1, 13, 1), 0);
	ck_assert_int_eq(same(m, a, 600, SENSOR_CRITICAL, 0, 0), 1);
	ck_assert_int_eq(same(m, b, 600, SENSOR_WARNING, 1, 5), 0);
	ck_assert_int_eq(same(m, a, 601, SENSOR_CRITICAL, 0, 0), 0);
	ck_assert_str_eq(end_batch(m, &c), "1:77");
	ck_assert_int_eq(same(m, a, 700, SENSOR_CRITICAL, 0, 0), 0);
	ck_assert_str_eq(end_batch(m, &c), "1:-");
	/* the database's answer: the same again */
	sids_learn_digest(m, 1, 78);
	ck_assert_int_eq(same(m, b, 800, SENSOR_WARNING, 1, 5), 1);
	ck_assert_str_eq(end_batch(m, &c), "1:78");
	/* by name: no state asked */
	ck_assert_int_eq(same(m, sids_key("b1", 32, 9, "new"), 900,
	    SENSOR_NOMINAL, 0, 0), -1);
	ck_assert_str_eq(end_batch(m, &c), "");
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
	tcase_add_test(tc, states_and_claims);
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
