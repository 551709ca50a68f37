#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/buf.h"

START_TEST(test_read_le_be)
{
	static const uint8_t in[] = { 0x01, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12,
	    0x12, 0x34, 0x12, 0x34, 0x56, 0x78 };
	struct buf b;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	buf_init_read(&b, in, sizeof(in));
	ck_assert_uint_eq(buf_left(&b), sizeof(in));
	ck_assert_int_eq(buf_get_u8(&b, &u8), 0);
	ck_assert_uint_eq(u8, 0x01);
	ck_assert_int_eq(buf_get_le16(&b, &u16), 0);
	ck_assert_uint_eq(u16, 0x1234);
	ck_assert_int_eq(buf_get_le32(&b, &u32), 0);
	ck_assert_uint_eq(u32, 0x12345678);
	ck_assert_int_eq(buf_get_be16(&b, &u16), 0);
	ck_assert_uint_eq(u16, 0x1234);
	ck_assert_int_eq(buf_get_be32(&b, &u32), 0);
	ck_assert_uint_eq(u32, 0x12345678);
	ck_assert_uint_eq(buf_left(&b), 0);
	ck_assert_ptr_eq(buf_cur(&b), in + sizeof(in));
}
END_TEST

START_TEST(test_high_bits_not_sign_extended)
{
	static const uint8_t in[] = { 0xff, 0xfe, 0xfd, 0xfc, 0x80, 0x00, 0x00,
	    0x00 };
	struct buf b;
	uint32_t u32;
	uint16_t u16;

	buf_init_read(&b, in, sizeof(in));
	ck_assert_int_eq(buf_get_le32(&b, &u32), 0);
	ck_assert_uint_eq(u32, 0xfcfdfeffu);
	ck_assert_int_eq(buf_get_be32(&b, &u32), 0);
	ck_assert_uint_eq(u32, 0x80000000u);
	buf_init_read(&b, in, sizeof(in));
	ck_assert_int_eq(buf_get_be16(&b, &u16), 0);
	ck_assert_uint_eq(u16, 0xfffe);
	ck_assert_int_eq(buf_get_le16(&b, &u16), 0);
	ck_assert_uint_eq(u16, 0xfcfd);
}
END_TEST

/* every reader fails with EBADMSG and leaves the cursor and output alone */
START_TEST(test_read_past_end)
{
	static const uint8_t in[] = { 0xaa, 0xbb, 0xcc };
	struct buf b;
	uint8_t u8 = 0x5a, out[4] = { 0x11, 0x22, 0x33, 0x44 };
	uint16_t u16 = 0x5a5a;
	uint32_t u32 = 0x5a5a5a5a;
	const uint8_t *ref = NULL;

	buf_init_read(&b, in, sizeof(in));
	ck_assert_int_eq(buf_get_u8(&b, &u8), 0);
	ck_assert_uint_eq(u8, 0xaa);
	ck_assert_uint_eq(b.pos, 1);

	errno = 0;
	ck_assert_int_eq(buf_get_le32(&b, &u32), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_uint_eq(u32, 0x5a5a5a5a);
	ck_assert_uint_eq(b.pos, 1);
	errno = 0;
	ck_assert_int_eq(buf_get_be32(&b, &u32), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_uint_eq(b.pos, 1);
	errno = 0;
	ck_assert_int_eq(buf_get_bytes(&b, out, 3), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_uint_eq(out[0], 0x11);
	ck_assert_uint_eq(b.pos, 1);
	errno = 0;
	ck_assert_int_eq(buf_skip(&b, 3), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_uint_eq(b.pos, 1);
	errno = 0;
	ck_assert_int_eq(buf_get_ref(&b, &ref, 3), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_ptr_null(ref);
	ck_assert_uint_eq(b.pos, 1);

	/* exactly what is left still works */
	ck_assert_int_eq(buf_get_be16(&b, &u16), 0);
	ck_assert_uint_eq(u16, 0xbbcc);
	errno = 0;
	ck_assert_int_eq(buf_get_u8(&b, &u8), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_int_eq(buf_get_le16(&b, &u16), -1);
	ck_assert_uint_eq(u16, 0xbbcc);
	ck_assert_uint_eq(b.pos, 3);
	/* zero-length reads at the end succeed and do nothing */
	ck_assert_int_eq(buf_get_bytes(&b, out, 0), 0);
	ck_assert_int_eq(buf_skip(&b, 0), 0);
	ck_assert_uint_eq(b.pos, 3);
}
END_TEST

START_TEST(test_empty_reader)
{
	struct buf b;
	uint8_t u8;
	uint16_t u16;

	buf_init_read(&b, NULL, 0);
	ck_assert_uint_eq(buf_left(&b), 0);
	ck_assert_int_eq(buf_get_u8(&b, &u8), -1);
	ck_assert_int_eq(buf_get_le16(&b, &u16), -1);
	ck_assert_int_eq(buf_skip(&b, 1), -1);
	ck_assert_uint_eq(b.pos, 0);
}
END_TEST

/* a huge n must not wrap the bounds check */
START_TEST(test_huge_length_refused)
{
	static const uint8_t in[] = { 1, 2, 3, 4 };
	uint8_t store[4];
	struct buf b;
	const uint8_t *ref;

	buf_init_read(&b, in, sizeof(in));
	ck_assert_int_eq(buf_skip(&b, 2), 0);
	ck_assert_int_eq(buf_skip(&b, SIZE_MAX), -1);
	ck_assert_int_eq(buf_get_ref(&b, &ref, SIZE_MAX - 1), -1);
	ck_assert_uint_eq(b.pos, 2);

	buf_init_write(&b, store, sizeof(store));
	ck_assert_int_eq(buf_put_u8(&b, 9), 0);
	errno = 0;
	ck_assert_ptr_null(buf_reserve(&b, SIZE_MAX));
	ck_assert_int_eq(errno, ENOBUFS);
	ck_assert_uint_eq(b.len, 1);
}
END_TEST

START_TEST(test_get_ref)
{
	static const uint8_t in[] = { 0x10, 0x20, 0x30, 0x40, 0x50 };
	struct buf b;
	const uint8_t *p;
	uint8_t u8;

	buf_init_read(&b, in, sizeof(in));
	ck_assert_int_eq(buf_skip(&b, 1), 0);
	ck_assert_int_eq(buf_get_ref(&b, &p, 3), 0);
	/* a reference into the caller's bytes, not a copy */
	ck_assert_ptr_eq(p, in + 1);
	ck_assert_uint_eq(p[0], 0x20);
	ck_assert_uint_eq(p[2], 0x40);
	ck_assert_uint_eq(b.pos, 4);
	ck_assert_int_eq(buf_get_u8(&b, &u8), 0);
	ck_assert_uint_eq(u8, 0x50);
	ck_assert_int_eq(buf_get_ref(&b, &p, 0), 0);
	ck_assert_ptr_eq(p, in + 5);
}
END_TEST

START_TEST(test_write_le_be)
{
	static const uint8_t want[] = { 0xab, 0x34, 0x12, 0x78, 0x56, 0x34,
	    0x12, 0x12, 0x34, 0x12, 0x34, 0x56, 0x78, 0xde, 0xad, 0x00, 0x00,
	    0x00 };
	uint8_t out[32];
	struct buf b;

	memset(out, 0xee, sizeof(out));
	buf_init_write(&b, out, sizeof(out));
	ck_assert_uint_eq(b.len, 0);
	ck_assert_int_eq(buf_put_u8(&b, 0xab), 0);
	ck_assert_int_eq(buf_put_le16(&b, 0x1234), 0);
	ck_assert_int_eq(buf_put_le32(&b, 0x12345678), 0);
	ck_assert_int_eq(buf_put_be16(&b, 0x1234), 0);
	ck_assert_int_eq(buf_put_be32(&b, 0x12345678), 0);
	ck_assert_int_eq(buf_put_bytes(&b, "\xde\xad", 2), 0);
	ck_assert_int_eq(buf_put_zero(&b, 3), 0);
	ck_assert_int_eq(buf_put_bytes(&b, NULL, 0), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	/* nothing written past len */
	ck_assert_uint_eq(out[sizeof(want)], 0xee);
}
END_TEST

/* a full writer fails with ENOBUFS and writes nothing, not even part */
START_TEST(test_write_overflow)
{
	uint8_t out[8];
	struct buf b;

	memset(out, 0xee, sizeof(out));
	buf_init_write(&b, out, 3);
	ck_assert_int_eq(buf_put_le16(&b, 0x0102), 0);
	errno = 0;
	ck_assert_int_eq(buf_put_le32(&b, 0xa1a2a3a4), -1);
	ck_assert_int_eq(errno, ENOBUFS);
	errno = 0;
	ck_assert_int_eq(buf_put_be32(&b, 0xa1a2a3a4), -1);
	ck_assert_int_eq(errno, ENOBUFS);
	errno = 0;
	ck_assert_int_eq(buf_put_be16(&b, 0xa1a2), -1);
	ck_assert_int_eq(errno, ENOBUFS);
	ck_assert_int_eq(buf_put_le16(&b, 0xa1a2), -1);
	ck_assert_int_eq(buf_put_bytes(&b, "xy", 2), -1);
	ck_assert_int_eq(buf_put_zero(&b, 2), -1);
	ck_assert_uint_eq(b.len, 2);
	ck_assert_uint_eq(out[2], 0xee);
	/* the last byte still fits */
	ck_assert_int_eq(buf_put_u8(&b, 0x03), 0);
	ck_assert_uint_eq(b.len, 3);
	errno = 0;
	ck_assert_int_eq(buf_put_u8(&b, 0x04), -1);
	ck_assert_int_eq(errno, ENOBUFS);
	ck_assert_uint_eq(out[0], 0x02);
	ck_assert_uint_eq(out[1], 0x01);
	ck_assert_uint_eq(out[2], 0x03);
	ck_assert_uint_eq(out[3], 0xee);
}
END_TEST

START_TEST(test_reserve)
{
	uint8_t out[6];
	uint8_t *p, *q;
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(buf_put_u8(&b, 0x01), 0);
	p = buf_reserve(&b, 2);
	ck_assert_ptr_eq(p, out + 1);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(buf_put_u8(&b, 0x04), 0);
	/* fill the hole later, as length fields are */
	p[0] = 0x02;
	p[1] = 0x03;
	q = buf_reserve(&b, 2);
	ck_assert_ptr_eq(q, out + 4);
	ck_assert_uint_eq(b.len, 6);
	errno = 0;
	ck_assert_ptr_null(buf_reserve(&b, 1));
	ck_assert_int_eq(errno, ENOBUFS);
	ck_assert_uint_eq(b.len, 6);
	/* zero bytes fit even in a full buffer */
	ck_assert_ptr_eq(buf_reserve(&b, 0), out + 6);
	ck_assert_mem_eq(out, "\x01\x02\x03\x04", 4);
}
END_TEST

/* a reader never writes: cap == len, so the writers refuse */
START_TEST(test_reader_refuses_writes)
{
	static const uint8_t in[] = { 1, 2 };
	struct buf b;

	buf_init_read(&b, in, sizeof(in));
	ck_assert_ptr_null(buf_reserve(&b, 1));
	ck_assert_int_eq(buf_put_u8(&b, 0), -1);
	ck_assert_uint_eq(b.len, 2);
	ck_assert_uint_eq(in[0], 1);
}
END_TEST

/* what one side writes the other reads back */
START_TEST(test_round_trip)
{
	uint8_t store[16];
	struct buf w, r;
	uint16_t a, c;
	uint32_t d, e;
	uint8_t f[3];

	buf_init_write(&w, store, sizeof(store));
	ck_assert_int_eq(buf_put_le16(&w, 0xbeef), 0);
	ck_assert_int_eq(buf_put_be16(&w, 0xcafe), 0);
	ck_assert_int_eq(buf_put_le32(&w, 0xdeadbeef), 0);
	ck_assert_int_eq(buf_put_be32(&w, 0x01020304), 0);
	ck_assert_int_eq(buf_put_bytes(&w, "xyz", 3), 0);
	buf_init_read(&r, store, w.len);
	ck_assert_int_eq(buf_get_le16(&r, &a), 0);
	ck_assert_int_eq(buf_get_be16(&r, &c), 0);
	ck_assert_int_eq(buf_get_le32(&r, &d), 0);
	ck_assert_int_eq(buf_get_be32(&r, &e), 0);
	ck_assert_int_eq(buf_get_bytes(&r, f, 3), 0);
	ck_assert_uint_eq(a, 0xbeef);
	ck_assert_uint_eq(c, 0xcafe);
	ck_assert_uint_eq(d, 0xdeadbeef);
	ck_assert_uint_eq(e, 0x01020304);
	ck_assert_mem_eq(f, "xyz", 3);
	ck_assert_uint_eq(buf_left(&r), 0);
}
END_TEST

static Suite *
buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_read_le_be);
	tcase_add_test(tc, test_high_bits_not_sign_extended);
	tcase_add_test(tc, test_read_past_end);
	tcase_add_test(tc, test_empty_reader);
	tcase_add_test(tc, test_huge_length_refused);
	tcase_add_test(tc, test_get_ref);
	tcase_add_test(tc, test_write_le_be);
	tcase_add_test(tc, test_write_overflow);
	tcase_add_test(tc, test_reserve);
	tcase_add_test(tc, test_reader_refuses_writes);
	tcase_add_test(tc, test_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(buf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
