/*
 * collector/task_sel: the SEL since a cursor, driven against a log held
 * here (three entries, IDs 1, 2, 3), answering what the task asks.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "collector/task_sel.h"
#include "ipmi/buf.h"
#include "ipmi/ipmi.h"
#include "tests/unit/ckmain.h"

#define NENT	3
static const struct ipmi_sel_info_rsp info = { 0x51, NENT, 1000, 1700000000u,
    1600000000u, SEL_SUP_RESERVE };
static unsigned asked[256];

static void
answer(const struct drv_request *q, struct ipmi_response *a)
{
	struct buf w, r;

	memset(a, 0, sizeof(*a));
	a->netfn = q->netfn;
	a->cmd = q->cmd;
	buf_init_write(&w, a->data, sizeof(a->data));
	asked[q->cmd]++;
	switch (q->cmd) {
	case IPMI_CMD_GET_SEL_INFO:
		ck_assert_int_eq(ipmi_sel_info_rsp_encode(&info, &w), 0);
		break;
	case IPMI_CMD_RESERVE_SEL:
		ck_assert_int_eq(ipmi_sel_reserve_rsp_encode(0x1234, &w), 0);
		break;
	case IPMI_CMD_GET_SEL_ENTRY: {
		struct ipmi_get_sel_req g;
		struct ipmi_get_sel_rsp s;
		uint8_t e[SEL_ENTRY_LEN] = { 0 };
		uint16_t id;

		buf_init_read(&r, q->data, q->len);
		ck_assert_int_eq(ipmi_get_sel_req_decode(&r, &g), 0);
		id = g.id == 0 ? 1 : g.id;
		ck_assert_uint_le(id, NENT);
		e[0] = (uint8_t)id;
		e[2] = 0x02;		/* system event */
		s.next = id == NENT ? 0xffff : (uint16_t)(id + 1);
		s.data = e;
		s.len = sizeof(e);
		ck_assert_int_eq(ipmi_get_sel_rsp_encode(&s, &w), 0);
		break;
	}
	default:
		a->cc = IPMI_CC_INVALID_CMD;
	}
	a->len = w.len;
}

static enum drv_step
run(struct task_sel *t)
{
	struct drv_request q;
	struct ipmi_response *a = malloc(sizeof(*a));
	enum drv_step st;
	int n = 0;

	ck_assert_ptr_nonnull(a);
	memset(asked, 0, sizeof(asked));
	st = task_sel_step(t, NULL, &q);
	while (st == DRV_STEP_SEND && n++ < 50) {
		answer(&q, a);
		st = task_sel_step(t, a, &q);
	}
	free(a);
	return st;
}

START_TEST(test_whole_log)
{
	struct task_sel t;

	task_sel_init(&t, NULL);
	ck_assert_int_eq(run(&t), DRV_STEP_DONE);
	ck_assert(!t.unchanged);
	ck_assert_uint_eq(t.w->nrecords, NENT);
	for (unsigned i = 0; i < NENT; i++)
		ck_assert_uint_eq(t.buf[i * SEL_ENTRY_LEN], i + 1);
	ck_assert_uint_eq(t.w->info.add_ts, info.add_ts);
	ck_assert_uint_eq(asked[IPMI_CMD_GET_SEL_ENTRY], NENT);
	task_sel_release(&t);
	ck_assert_ptr_null(t.w);
}
END_TEST

START_TEST(test_cursor)
{
	struct task_sel t;
	struct task_sel_cursor same = { NENT, info.add_ts, info.erase_ts };
	struct task_sel_cursor moved = { NENT - 1, info.add_ts - 5,
	    info.erase_ts };

	/* the log is as the cursor says: one Get SEL Info, nothing read */
	task_sel_init(&t, &same);
	ck_assert_int_eq(run(&t), DRV_STEP_DONE);
	ck_assert(t.unchanged);
	ck_assert_uint_eq(asked[IPMI_CMD_GET_SEL_INFO], 1);
	ck_assert_uint_eq(asked[IPMI_CMD_GET_SEL_ENTRY], 0);
	/* and never needed the 8 KiB walker (peak RSS, issue 16) */
	ck_assert_ptr_null(t.w);
	ck_assert(t.have_info);
	ck_assert_uint_eq(t.info.entries, NENT);
	task_sel_release(&t);

	/* it moved: the whole walk */
	task_sel_init(&t, &moved);
	ck_assert_int_eq(run(&t), DRV_STEP_DONE);
	ck_assert(!t.unchanged);
	ck_assert_uint_eq(t.w->nrecords, NENT);
	task_sel_release(&t);
}
END_TEST

START_TEST(test_refused)
{
	struct task_sel t;
	struct drv_request q;
	struct ipmi_response a;

	task_sel_init(&t, NULL);
	ck_assert_int_eq(task_sel_step(&t, NULL, &q), DRV_STEP_SEND);
	ck_assert_uint_eq(q.cmd, IPMI_CMD_GET_SEL_INFO);
	memset(&a, 0, sizeof(a));
	a.cc = 0xd5;			/* not supported in present state */
	ck_assert_int_eq(task_sel_step(&t, &a, &q), DRV_STEP_FAIL);
	ck_assert_int_eq(t.err, IPMI_E_CC);
	ck_assert_uint_eq(t.w->cc, 0xd5);
	task_sel_release(&t);
}
END_TEST

static Suite *
task_sel_suite(void)
{
	Suite *s = suite_create("task_sel");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_whole_log);
	tcase_add_test(tc, test_cursor);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(task_sel_suite());
}
