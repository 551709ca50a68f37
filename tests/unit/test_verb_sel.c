/*
 * cli/verb_sel: what "bmcfleet sel list" prints, the verb driven by hand
 * against canned BMC answers (no sockets, no session).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/opts.h"
#include "cli/run.h"
#include "cli/verbs.h"
#include "collector/driver.h"
#include "ipmi/ipmi.h"
#include "ipmi/sel.h"

#define NREC	3

/* Record id: a CPU1 Temp (01h) upper critical going high, asserted */
static void
record(uint16_t id, uint8_t *r)
{
	static const uint8_t tail[] = { 0x00, 0x00, 0x00, 0x6a, 0x20, 0x00,
	    0x04, 0x01, 0x01, 0x01, 0x59, 0x5b, 0x5a };

	r[0] = (uint8_t)id;
	r[1] = (uint8_t)(id >> 8);
	r[2] = 0x02;
	memcpy(r + 3, tail, sizeof(tail));
}

/*
 * A BMC with NREC SEL entries and no readable SDR repository (every
 * command but the SEL's answered C1h): sel list prints the entries and a
 * note, on stderr, that the sensors have no names.
 */
static void
answer(const struct drv_request *q, struct ipmi_response *a)
{
	struct buf w;

	memset(a, 0, sizeof(*a));
	a->netfn = q->netfn;
	a->cmd = q->cmd;
	buf_init_write(&w, a->data, sizeof(a->data));
	if (q->netfn == IPMI_NETFN_STORAGE && q->cmd == IPMI_CMD_GET_SEL_INFO) {
		struct ipmi_sel_info_rsp i = { 0x51, NREC, 1000, 0x6a000000,
		    0, SEL_SUP_RESERVE };

		ck_assert_int_eq(ipmi_sel_info_rsp_encode(&i, &w), 0);
	} else if (q->netfn == IPMI_NETFN_STORAGE &&
	    q->cmd == IPMI_CMD_RESERVE_SEL) {
		ck_assert_int_eq(ipmi_sel_reserve_rsp_encode(7, &w), 0);
	} else if (q->netfn == IPMI_NETFN_STORAGE &&
	    q->cmd == IPMI_CMD_GET_SEL_ENTRY && q->len == 6) {
		uint16_t id = (uint16_t)(q->data[2] | q->data[3] << 8);
		struct ipmi_get_sel_rsp r;
		uint8_t rec[SEL_ENTRY_LEN];

		if (id == SEL_ID_FIRST)
			id = 1;
		if (id > NREC) {
			a->cc = IPMI_CC_NOT_PRESENT;
			return;
		}
		record(id, rec);
		r.next = id < NREC ? (uint16_t)(id + 1) : SEL_ID_LAST;
		r.data = rec;
		r.len = SEL_ENTRY_LEN;
		ck_assert_int_eq(ipmi_get_sel_rsp_encode(&r, &w), 0);
	} else {
		a->cc = IPMI_CC_INVALID_CMD;
	}
	a->len = w.len;
}

START_TEST(test_notes_after_the_table)
{
	static char text[8192];
	struct opts o;
	struct run r;
	struct host h;
	struct drv_request q;
	struct ipmi_response a;
	enum drv_step st;
	char err[256];
	const char *last, *note;
	int guard = 0, s1, s2;
	FILE *f;
	size_t n;

	/* stdout to a file is fully buffered, as in `bmcfleet ... 2>&1 >f` */
	setvbuf(stdout, NULL, _IOFBF, BUFSIZ);
	memset(&o, 0, sizeof(o));
	o.no_sdr_cache = 1;
	memset(&r, 0, sizeof(r));
	memset(&h, 0, sizeof(h));
	r.o = &o;
	h.t.name = "bmc1";
	r.hosts = &h;
	r.n = 1;
	ck_assert_int_eq(sel_list_ops.parse(&r, 0, NULL, err, sizeof(err)), 0);
	memset(&q, 0, sizeof(q));
	st = sel_list_ops.step(&r, &h, NULL, &q);
	while (st == DRV_STEP_SEND) {
		ck_assert_int_lt(guard++, 100);
		answer(&q, &a);
		st = sel_list_ops.step(&r, &h, &a, &q);
	}
	ck_assert_int_eq(st, DRV_STEP_DONE);

	/* stdout and stderr into one file, as a shell's 2>&1 does */
	ck_assert_ptr_nonnull(f = tmpfile());
	fflush(stdout);
	fflush(stderr);
	s1 = dup(1);
	s2 = dup(2);
	ck_assert_int_eq(dup2(fileno(f), 1), 1);
	ck_assert_int_eq(dup2(fileno(f), 2), 2);
	sel_list_ops.table(&r);
	fflush(stdout);
	dup2(s1, 1);
	dup2(s2, 2);
	close(s1);
	close(s2);
	rewind(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);

	/* every entry on a line of its own, the note after the last one */
	ck_assert_msg((last = strstr(text, "\n     3  ")) != NULL, "%s", text);
	ck_assert_msg((note = strstr(text, "bmcfleet: bmc1: no sensor names: "
	    "get device id: ")) != NULL, "%s", text);
	ck_assert_msg(note > last, "the note came before the table:\n%s",
	    text);
	ck_assert_msg(note[-1] == '\n', "the note spliced into a line:\n%s",
	    text);
	sel_list_ops.release(&r, &h);
}
END_TEST

static Suite *
verb_sel_suite(void)
{
	Suite *s = suite_create("verb_sel");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_notes_after_the_table);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(verb_sel_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
