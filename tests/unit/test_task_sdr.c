/*
 * collector/task_sdr: a host's SDR repository from the cache or the BMC, driven
 * against a scripted BMC with three records (one longer than a chunk).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/task_sdr.h"
#include "ipmi/cmds.h"
#include "ipmi/ipmi.h"

static char dir[256];

/* The scripted BMC. */
static uint8_t repo[3][64];
static size_t replen[3];
static uint32_t add_ts = 0x60000000;
static uint8_t info_cc;		/* Get SDR Repository Info answers this */
static unsigned n_get_sdr;	/* Get SDR commands served */

static void
mkrec(int i, uint16_t id, size_t body)
{
	uint8_t *r = repo[i];

	r[0] = (uint8_t)id;
	r[1] = (uint8_t)(id >> 8);
	r[2] = 0x51;
	r[3] = 0xc0;		/* OEM: kept raw */
	r[4] = (uint8_t)body;
	for (size_t k = 0; k < body; k++)
		r[5 + k] = (uint8_t)(i * 16 + k);
	replen[i] = 5 + body;
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/bmcfleet-sdrload-test.%ld",
	    (long)getpid());
	mkrec(0, 0x0010, 3);
	mkrec(1, 0x0020, 40);
	mkrec(2, 0x0030, 11);
	info_cc = 0;
	n_get_sdr = 0;
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
answer(const struct drv_request *q, struct ipmi_response *a)
{
	struct buf w, r;

	memset(a, 0, sizeof(*a));
	a->netfn = q->netfn;
	a->cmd = q->cmd;
	buf_init_write(&w, a->data, sizeof(a->data));
	buf_init_read(&r, q->data, q->len);
	if (q->netfn == IPMI_NETFN_APP && q->cmd == IPMI_CMD_GET_DEVICE_ID) {
		struct ipmi_device_id d = { .device_id = 0x20,
		    .provides_sdrs = 1, .fw_major = 2, .fw_minor = 14,
		    .ipmi_version = 0x02, .support = 0x8f,
		    .manufacturer = 49622, .product = 1 };

		ck_assert_int_eq(ipmi_device_id_encode(&d, &w), 0);
	} else if (q->cmd == IPMI_CMD_GET_SDR_REPO_INFO) {
		struct ipmi_sdr_info_rsp in = { 0x51, 3, 0xffff, add_ts, 0,
		    SDR_SUP_RESERVE };

		a->cc = info_cc;
		if (info_cc == 0)
			ck_assert_int_eq(ipmi_sdr_info_rsp_encode(&in, &w), 0);
	} else if (q->cmd == IPMI_CMD_RESERVE_SDR_REPO) {
		ck_assert_int_eq(ipmi_sdr_reserve_rsp_encode(7, &w), 0);
	} else if (q->cmd == IPMI_CMD_GET_SDR) {
		struct ipmi_get_sdr_req g;
		struct ipmi_get_sdr_rsp s;
		int i;

		n_get_sdr++;
		ck_assert_int_eq(ipmi_get_sdr_req_decode(&r, &g), 0);
		i = g.id == 0 ? 0 : g.id / 0x10 - 1;
		ck_assert(i >= 0 && i < 3);
		ck_assert(g.offset < replen[i]);
		s.next = i == 2 ? 0xffff : (uint16_t)((i + 2) * 0x10);
		s.data = repo[i] + g.offset;
		s.len = replen[i] - g.offset;
		if (g.count != 0xff && s.len > g.count)
			s.len = g.count;
		ck_assert_int_eq(ipmi_get_sdr_rsp_encode(&s, &w), 0);
	} else
		a->cc = IPMI_CC_INVALID_CMD;
	a->len = w.len;
}

/* Run a load to its end; the step it ended with. */
static enum drv_step
run_load(struct task_sdr *l, struct drv_target *h)
{
	struct drv_request q;
	struct ipmi_response *a = malloc(sizeof(*a));
	enum drv_step st;
	int n = 0;

	ck_assert_ptr_nonnull(a);
	st = task_sdr_step(l, h, NULL, &q);
	while (st == DRV_STEP_SEND && n++ < 200) {
		answer(&q, a);
		st = task_sdr_step(l, h, a, &q);
	}
	free(a);
	ck_assert_int_ne(st, DRV_STEP_SEND);
	return st;
}

static void
host_init(struct drv_target *h)
{
	memset(h, 0, sizeof(*h));
	h->name = "bmc1";
}

static void
expect_records(const struct task_sdr *l)
{
	size_t off = 0, rlen;
	const uint8_t *rec;
	int i = 0;

	while (sdr_next_record(l->buf, l->len, &off, &rec, &rlen) == 1) {
		ck_assert_int_lt(i, 3);
		ck_assert_uint_eq(rlen, replen[i]);
		ck_assert_mem_eq(rec, repo[i], rlen);
		i++;
	}
	ck_assert_int_eq(i, 3);
	ck_assert_uint_eq(off, l->len);
}

START_TEST(test_walk_then_cache)
{
	struct task_sdr l;
	struct drv_target h;
	unsigned cold;

	host_init(&h);
	task_sdr_init(&l, dir);
	ck_assert_int_eq(run_load(&l, &h), DRV_STEP_DONE);
	expect_records(&l);
	ck_assert_int_eq(l.from_cache, 0);
	ck_assert_int_eq(l.stored, 1);
	ck_assert(l.have_devid);
	ck_assert_uint_eq(l.devid.manufacturer, 49622);
	cold = n_get_sdr;
	/* 3 headers and 1 + 3 + 1 body chunks of 16 bytes */
	ck_assert_uint_eq(cold, 8);
	task_sdr_release(&l);

	/* warm: the same key, no Get SDR at all */
	host_init(&h);
	task_sdr_init(&l, dir);
	ck_assert_int_eq(run_load(&l, &h), DRV_STEP_DONE);
	expect_records(&l);
	ck_assert_int_eq(l.from_cache, 1);
	ck_assert_uint_eq(n_get_sdr, cold);
	ck_assert_uint_eq(l.requests, 1);	/* the repository info */
	task_sdr_release(&l);

	/* the repository changed: a new key, read again */
	add_ts++;
	host_init(&h);
	task_sdr_init(&l, dir);
	ck_assert_int_eq(run_load(&l, &h), DRV_STEP_DONE);
	ck_assert_int_eq(l.from_cache, 0);
	ck_assert_uint_eq(n_get_sdr, 2 * cold);
	task_sdr_release(&l);
	add_ts--;
}
END_TEST

START_TEST(test_no_cache)
{
	struct task_sdr l;
	struct drv_target h;

	host_init(&h);
	task_sdr_init(&l, NULL);
	ck_assert_int_eq(run_load(&l, &h), DRV_STEP_DONE);
	expect_records(&l);
	ck_assert_int_eq(l.stored, 0);
	ck_assert_int_eq(access(dir, F_OK), -1);
	task_sdr_release(&l);
}
END_TEST

START_TEST(test_failures)
{
	struct task_sdr l;
	struct drv_target h;

	/* hard: the host fails with the command named */
	info_cc = IPMI_CC_INVALID_CMD;
	host_init(&h);
	task_sdr_init(&l, dir);
	ck_assert_int_eq(run_load(&l, &h), DRV_STEP_FAIL);
	ck_assert_ptr_nonnull(strstr(h.errmsg, "get sdr repository info"));
	ck_assert_ptr_null(l.buf);
	task_sdr_release(&l);

	/* soft: done, no records, the reason kept */
	host_init(&h);
	task_sdr_init(&l, dir);
	l.soft = 1;
	ck_assert_int_eq(run_load(&l, &h), DRV_STEP_DONE);
	ck_assert_int_eq(l.failed, 1);
	ck_assert_uint_eq(l.len, 0);
	ck_assert_ptr_nonnull(strstr(l.err, "0xc1"));
	ck_assert_int_eq(h.errmsg[0], '\0');
	task_sdr_release(&l);
}
END_TEST

START_TEST(test_damaged_cache_entry)
{
	struct task_sdr l;
	struct drv_target h;
	char cmd[600];

	host_init(&h);
	task_sdr_init(&l, dir);
	ck_assert_int_eq(run_load(&l, &h), DRV_STEP_DONE);
	task_sdr_release(&l);
	/* flip a byte in every entry: the CRC catches it, the walk reruns */
	snprintf(cmd, sizeof(cmd), "for f in '%s'/*.sdr; do printf 'X' | "
	    "dd of=\"$f\" bs=1 seek=40 conv=notrunc 2>/dev/null; done", dir);
	ck_assert_int_eq(system(cmd), 0);
	n_get_sdr = 0;
	host_init(&h);
	task_sdr_init(&l, dir);
	ck_assert_int_eq(run_load(&l, &h), DRV_STEP_DONE);
	ck_assert_int_eq(l.from_cache, 0);
	ck_assert_uint_gt(n_get_sdr, 0);
	expect_records(&l);
	task_sdr_release(&l);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("task_sdr");
	TCase *tc = tcase_create("task_sdr");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_walk_then_cache);
	tcase_add_test(tc, test_no_cache);
	tcase_add_test(tc, test_failures);
	tcase_add_test(tc, test_damaged_cache_entry);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
