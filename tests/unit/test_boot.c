#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/boot.h"
#include "ipmi/ipmi.h"

static void
req_is(const struct ipmi_req *r, const uint8_t *want, size_t n)
{
	ck_assert_uint_eq(r->netfn, IPMI_NETFN_CHASSIS);
	ck_assert_uint_eq(r->cmd, IPMI_CMD_SET_BOOT_OPTIONS);
	ck_assert_uint_eq(r->len, n);
	ck_assert_mem_eq(r->data, want, n);
}

/* The five requests ipmitool's "chassis bootdev pxe options=persistent,
 * efiboot" sends to a BMC that accepts them all. */
START_TEST(test_sequence_pxe)
{
	static const uint8_t s1[] = { 0x00, 0x01 };
	static const uint8_t s2[] = { 0x04, 0x01, 0x01 };
	static const uint8_t s3[] = { 0x05, 0xe0, 0x04, 0x00, 0x00, 0x00 };
	static const uint8_t s4[] = { 0x00, 0x02 };
	static const uint8_t s5[] = { 0x00, 0x00 };
	struct ipmi_req r[8];

	ck_assert_int_eq(boot_set_sequence(BOOT_DEV_PXE, 1, 1, r, 8), 5);
	req_is(&r[0], s1, sizeof(s1));
	req_is(&r[1], s2, sizeof(s2));
	req_is(&r[2], s3, sizeof(s3));
	req_is(&r[3], s4, sizeof(s4));
	req_is(&r[4], s5, sizeof(s5));
	ck_assert_int_eq(boot_set_sequence(BOOT_DEV_PXE, 1, 1, r, 4),
	    IPMI_E_NOSPACE);
}
END_TEST

START_TEST(test_sequence_devices)
{
	static const struct {
		const char	*name;
		int		 persistent, efi;
		uint8_t		 b1, b2;
	} t[] = {
		{ "pxe", 0, 0, 0x80, 0x04 },
		{ "disk", 0, 0, 0x80, 0x08 },
		{ "bios", 0, 0, 0x80, 0x18 },
		{ "cdrom", 0, 0, 0x80, 0x14 },
		{ "disk", 1, 0, 0xc0, 0x08 },
		{ "cdrom", 0, 1, 0xa0, 0x14 },
		{ "none", 0, 0, 0x80, 0x00 },
		{ "safe", 0, 0, 0x80, 0x0c },
		{ "diag", 0, 0, 0x80, 0x10 },
		{ "floppy", 0, 0, 0x80, 0x3c },
	};
	struct ipmi_req r[5];
	size_t i;
	int dev;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		dev = boot_dev_parse(t[i].name);
		ck_assert_int_ge(dev, 0);
		ck_assert_str_eq(boot_dev_name((uint8_t)dev), t[i].name);
		ck_assert_int_eq(boot_set_sequence((uint8_t)dev, t[i].persistent,
		    t[i].efi, r, 5), 5);
		ck_assert_uint_eq(r[2].len, 6);
		ck_assert_uint_eq(r[2].data[0], BOOT_PARAM_FLAGS);
		ck_assert_uint_eq(r[2].data[1], t[i].b1);
		ck_assert_uint_eq(r[2].data[2], t[i].b2);
	}
	ck_assert_int_eq(boot_dev_parse("force_pxe"), BOOT_DEV_PXE);
	ck_assert_int_eq(boot_dev_parse("setup"), BOOT_DEV_BIOS);
	ck_assert_int_eq(boot_dev_parse("usb"), -1);
	ck_assert_int_eq(boot_dev_parse(""), -1);
	ck_assert_str_eq(boot_dev_name(0x30), "unknown");
	ck_assert_str_eq(boot_dev_desc(BOOT_DEV_PXE), "Force PXE");
	ck_assert_str_eq(boot_dev_desc(BOOT_DEV_BIOS),
	    "Force boot into BIOS Setup");
	ck_assert_str_eq(boot_dev_desc(0x30), "Reserved");
}
END_TEST

/* Walk with scripted completion codes; returns the last rc. */
static int
walk(struct boot_set *w, const uint8_t *ccs, size_t nccs, size_t *sent,
    struct ipmi_req *reqs)
{
	struct ipmi_req req;
	int rc;

	*sent = 0;
	while ((rc = boot_set_next(w, &req)) == IPMI_WALK_SEND) {
		ck_assert_uint_lt(*sent, nccs);
		reqs[*sent] = req;
		ck_assert_int_eq(boot_set_feed(w, ccs[*sent], NULL, 0), 0);
		(*sent)++;
	}
	return rc;
}

START_TEST(test_walker_no_progress)
{
	/* set-in-progress refused: no more parameter 0 writes */
	static const uint8_t ccs[] = { 0x80, 0x00, 0x00 };
	struct ipmi_req r[8];
	struct boot_set w;
	size_t n;

	boot_set_init(&w, BOOT_DEV_DISK, 0, 0);
	ck_assert_int_eq(walk(&w, ccs, sizeof(ccs), &n, r), IPMI_WALK_DONE);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(r[1].data[0], BOOT_PARAM_INFO_ACK);
	ck_assert_uint_eq(r[2].data[0], BOOT_PARAM_FLAGS);
	ck_assert_uint_eq(r[2].data[2], 0x08);
	ck_assert_int_eq(w.use_progress, 0);
	ck_assert_int_eq(boot_set_next(&w, r), IPMI_WALK_DONE);
}
END_TEST

START_TEST(test_walker_refusals)
{
	/* the acknowledge refused: go on, as ipmitool does */
	static const uint8_t ack_no[] = { 0x00, 0xcc, 0x00, 0x00, 0x00 };
	/* commit write refused: the flags are set anyway */
	static const uint8_t commit_no[] = { 0x00, 0x00, 0x00, 0xcc, 0x00 };
	/* the flags refused: set complete, then the failure */
	static const uint8_t flags_no[] = { 0x00, 0x00, 0xd4, 0x00 };
	static const uint8_t flags_no2[] = { 0x81, 0x00, 0xc9 };
	struct ipmi_req r[8];
	struct boot_set w;
	size_t n;

	boot_set_init(&w, BOOT_DEV_BIOS, 0, 1);
	ck_assert_int_eq(walk(&w, ack_no, sizeof(ack_no), &n, r),
	    IPMI_WALK_DONE);
	ck_assert_uint_eq(n, 5);
	boot_set_init(&w, BOOT_DEV_BIOS, 0, 1);
	ck_assert_int_eq(walk(&w, commit_no, sizeof(commit_no), &n, r),
	    IPMI_WALK_DONE);
	ck_assert_uint_eq(n, 5);
	boot_set_init(&w, BOOT_DEV_BIOS, 0, 1);
	ck_assert_int_eq(walk(&w, flags_no, sizeof(flags_no), &n, r),
	    IPMI_E_CC);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(w.cc, IPMI_CC_PRIVILEGE);
	ck_assert_uint_eq(r[3].data[0], BOOT_PARAM_SET_IN_PROGRESS);
	ck_assert_uint_eq(r[3].data[1], BOOT_SET_COMPLETE);
	ck_assert_int_eq(boot_set_next(&w, r), IPMI_E_CC);
	ck_assert_int_eq(boot_set_feed(&w, 0, NULL, 0), IPMI_E_CC);
	boot_set_init(&w, BOOT_DEV_BIOS, 0, 1);
	ck_assert_int_eq(walk(&w, flags_no2, sizeof(flags_no2), &n, r),
	    IPMI_E_CC);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(w.cc, IPMI_CC_PARAM_RANGE);
}
END_TEST

START_TEST(test_walker_misuse)
{
	struct ipmi_req r;
	struct boot_set w;

	boot_set_init(&w, BOOT_DEV_PXE, 0, 0);
	ck_assert_int_eq(boot_set_feed(&w, 0, NULL, 0), IPMI_E_INVAL);
	boot_set_init(&w, BOOT_DEV_PXE, 0, 0);
	ck_assert_int_eq(boot_set_next(&w, &r), IPMI_WALK_SEND);
	ck_assert_int_eq(boot_set_next(&w, &r), IPMI_E_INVAL);
}
END_TEST

START_TEST(test_get_flags)
{
	/* valid, next boot only, legacy, default hard drive */
	static const uint8_t disk[] = { 0x01, 0x05, 0x80, 0x08, 0x00, 0x00,
	    0x00 };
	/* valid, persistent, EFI, PXE, locked; CMOS clear; instance 3 */
	static const uint8_t pxe[] = { 0x01, 0x85, 0xe0, 0x84, 0x00, 0x00,
	    0x03 };
	static const uint8_t other[] = { 0x01, 0x03, 0x00, 0x00 };
	struct boot_flags f;
	struct ipmi_req req;
	uint8_t out[5];
	struct buf b;
	size_t i;
	int inv;

	boot_get_flags_req(&req);
	ck_assert_uint_eq(req.netfn, IPMI_NETFN_CHASSIS);
	ck_assert_uint_eq(req.cmd, IPMI_CMD_GET_BOOT_OPTIONS);
	ck_assert_uint_eq(req.len, 3);
	ck_assert_mem_eq(req.data, "\x05\x00\x00", 3);

	buf_init_read(&b, disk, sizeof(disk));
	ck_assert_int_eq(boot_flags_rsp_decode(&b, &f, &inv), 0);
	ck_assert_int_eq(inv, 0);
	ck_assert_int_eq(f.valid, 1);
	ck_assert_int_eq(f.persistent, 0);
	ck_assert_int_eq(f.efi, 0);
	ck_assert_uint_eq(f.device, BOOT_DEV_DISK);
	ck_assert_str_eq(boot_dev_name(f.device), "disk");
	boot_flags_encode(&f, out);
	ck_assert_mem_eq(out, disk + 2, 5);

	buf_init_read(&b, pxe, sizeof(pxe));
	ck_assert_int_eq(boot_flags_rsp_decode(&b, &f, &inv), 0);
	ck_assert_int_eq(inv, 1);
	ck_assert_int_eq(f.persistent, 1);
	ck_assert_int_eq(f.efi, 1);
	ck_assert_uint_eq(f.device, BOOT_DEV_PXE);
	ck_assert_uint_eq(f.byte2, 0x80);
	ck_assert_uint_eq(f.instance, 3);
	boot_flags_encode(&f, out);
	ck_assert_mem_eq(out, pxe + 2, 5);

	buf_init_read(&b, other, sizeof(other));
	ck_assert_int_eq(boot_flags_rsp_decode(&b, &f, NULL),
	    IPMI_E_MALFORMED);
	for (i = 0; i < sizeof(disk); i++) {
		buf_init_read(&b, disk, i);
		ck_assert_int_eq(boot_flags_rsp_decode(&b, &f, NULL),
		    IPMI_E_SHORT);
	}
}
END_TEST

START_TEST(test_codecs)
{
	static const uint8_t set[] = { 0x85, 0x01, 0x02 };
	static const uint8_t get[] = { 0x05, 0x00, 0x00 };
	static const uint8_t rsp[] = { 0x01, 0x80, 0x01 };
	struct boot_set_req sq, gsq;
	struct boot_get_req gq;
	struct boot_get_rsp gr;
	uint8_t out[32], big[40];
	struct buf b;

	memset(&sq, 0, sizeof(sq));
	sq.param = 5;
	sq.invalid = 1;
	sq.data[0] = 1;
	sq.data[1] = 2;
	sq.len = 2;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(boot_set_req_encode(&sq, &b), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_mem_eq(out, set, 3);
	buf_init_read(&b, set, 3);
	ck_assert_int_eq(boot_set_req_decode(&b, &gsq), 0);
	ck_assert_uint_eq(gsq.param, 5);
	ck_assert_int_eq(gsq.invalid, 1);
	ck_assert_uint_eq(gsq.len, 2);
	buf_init_read(&b, set, 0);
	ck_assert_int_eq(boot_set_req_decode(&b, &gsq), IPMI_E_SHORT);
	memset(big, 0, sizeof(big));
	buf_init_read(&b, big, sizeof(big));
	ck_assert_int_eq(boot_set_req_decode(&b, &gsq), IPMI_E_MALFORMED);
	sq.len = 100;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(boot_set_req_encode(&sq, &b), IPMI_E_NOSPACE);

	buf_init_read(&b, get, 3);
	ck_assert_int_eq(boot_get_req_decode(&b, &gq), 0);
	ck_assert_uint_eq(gq.param, 5);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(boot_get_req_encode(&gq, &b), 0);
	ck_assert_mem_eq(out, get, 3);
	buf_init_read(&b, get, 2);
	ck_assert_int_eq(boot_get_req_decode(&b, &gq), IPMI_E_SHORT);

	buf_init_read(&b, rsp, 3);
	ck_assert_int_eq(boot_get_rsp_decode(&b, &gr), 0);
	ck_assert_uint_eq(gr.version, 1);
	ck_assert_uint_eq(gr.param, 0);
	ck_assert_int_eq(gr.invalid, 1);
	ck_assert_uint_eq(gr.len, 1);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(boot_get_rsp_encode(&gr, &b), 0);
	ck_assert_mem_eq(out, rsp, 3);
	/* a long answer: the first bytes are kept */
	buf_init_read(&b, big, sizeof(big));
	ck_assert_int_eq(boot_get_rsp_decode(&b, &gr), 0);
	ck_assert_uint_eq(gr.len, sizeof(gr.data));
}
END_TEST

static Suite *
boot_suite(void)
{
	Suite *s = suite_create("boot");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sequence_pxe);
	tcase_add_test(tc, test_sequence_devices);
	tcase_add_test(tc, test_walker_no_progress);
	tcase_add_test(tc, test_walker_refusals);
	tcase_add_test(tc, test_walker_misuse);
	tcase_add_test(tc, test_get_flags);
	tcase_add_test(tc, test_codecs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(boot_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
