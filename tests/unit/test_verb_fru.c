/*
 * cli/verb_fru: what "bmcfleet fru" prints for a host, the verb driven
 * by hand against canned BMC answers (no sockets, no session).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/run.h"
#include "cli/verbs.h"
#include "collector/driver.h"
#include "ipmi/fru.h"
#include "ipmi/ipmi.h"

/* FRU device 0: a common header with no areas (checksum FFh) */
static const uint8_t fru0[8] = { 0x01, 0, 0, 0, 0, 0, 0, 0xff };

/*
 * A BMC whose SDR repository cannot be read (every command but the FRU
 * ones answered C1h), as bmcfleet meets one that lies in its SDR
 * headers (bmcsim lie-sdr-length) or has none.
 */
static void
answer(const struct drv_request *q, struct ipmi_response *r)
{
	memset(r, 0, sizeof(*r));
	r->netfn = q->netfn;
	r->cmd = q->cmd;
	if (q->netfn != IPMI_NETFN_STORAGE) {
		r->cc = IPMI_CC_INVALID_CMD;
	} else if (q->cmd == IPMI_CMD_GET_FRU_INFO) {
		r->data[0] = sizeof(fru0);
		r->data[1] = 0;
		r->data[2] = 0;		/* byte access */
		r->len = 3;
	} else if (q->cmd == IPMI_CMD_READ_FRU && q->len == 4) {
		size_t off = q->data[1] | q->data[2] << 8, n = q->data[3];

		if (off >= sizeof(fru0)) {
			r->cc = IPMI_CC_PARAM_RANGE;
			return;
		}
		if (n > sizeof(fru0) - off)
			n = sizeof(fru0) - off;
		r->data[0] = (uint8_t)n;
		memcpy(r->data + 1, fru0 + off, n);
		r->len = 1 + n;
	} else {
		r->cc = IPMI_CC_INVALID_CMD;
	}
}

/* What fn printed on stdout. */
static char *
captured(void (*fn)(const struct run *, const struct host *),
    const struct run *r, const struct host *h)
{
	static char text[4096];
	FILE *f = tmpfile();
	int saved;
	size_t n;

	ck_assert_ptr_nonnull(f);
	fflush(stdout);
	saved = dup(1);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(fileno(f), 1), 1);
	fn(r, h);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static void
do_table(const struct run *r, const struct host *h)
{
	(void)h;
	fru_ops.table(r);
}

static void
do_json(const struct run *r, const struct host *h)
{
	fru_ops.json(r, h);
}

START_TEST(test_sdr_failure_is_said)
{
	struct run r;
	struct host h;
	struct drv_request q;
	struct ipmi_response a;
	enum drv_step st;
	const char *out;
	int guard = 0;

	memset(&r, 0, sizeof(r));
	memset(&h, 0, sizeof(h));
	h.t.name = "bmc1";
	r.hosts = &h;
	r.n = 1;
	memset(&q, 0, sizeof(q));
	st = fru_ops.step(&r, &h, NULL, &q);
	while (st == DRV_STEP_SEND) {
		ck_assert_int_lt(guard++, 100);
		answer(&q, &a);
		st = fru_ops.step(&r, &h, &a, &q);
	}
	ck_assert_int_eq(st, DRV_STEP_DONE);

	/* device 0 is printed, and the missing others are explained
	 * rather than left out without a word */
	out = captured(do_table, &r, &h);
	ck_assert_ptr_nonnull(strstr(out, "bmc1: FRU Device Description : "
	    "Builtin FRU Device (ID 0)\n"));
	ck_assert_msg(strstr(out, "bmc1: FRU devices beyond ID 0 not read: "
	    "get device id: ") != NULL, "%s", out);
	out = captured(do_json, &r, &h);
	ck_assert_msg(strstr(out, "\"fru_sdr_error\": \"get device id: ") !=
	    NULL, "%s", out);
	fru_ops.release(&r, &h);
}
END_TEST

static Suite *
verb_fru_suite(void)
{
	Suite *s = suite_create("verb_fru");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sdr_failure_is_said);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(verb_fru_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
