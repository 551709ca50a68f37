#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/rakp.h"
#include "ipmi/rmcpp.h"

#include "vectors/rakp_vectors.h"

#define NVEC	(sizeof(rakp_vectors) / sizeof(rakp_vectors[0]))

static void
put(struct buf *b, uint8_t *out, size_t cap)
{
	buf_init_write(b, out, cap);
}

static void
fill(struct rakp_params *p, const struct rakp_vector *v)
{
	memset(p, 0, sizeof(*p));
	p->auth = v->auth;
	p->console_sid = RAKP_VEC_SIDM;
	p->bmc_sid = RAKP_VEC_SIDC;
	memcpy(p->rm, rakp_vec_rm, 16);
	memcpy(p->rc, rakp_vec_rc, 16);
	memcpy(p->guid, rakp_vec_guid, 16);
	p->role = v->role;
	p->ulen = (uint8_t)strlen(v->user);
	memcpy(p->user, v->user, p->ulen);
	/* a null password is no key at all, not a pointer to nothing */
	p->kuid = v->password[0] != '\0' ? (const uint8_t *)v->password : NULL;
	p->kuid_len = strlen(v->password);
	if (v->kg) {
		p->kg = rakp_vec_kg;
		p->kg_len = sizeof(rakp_vec_kg);
	}
}

/* --- codecs: IPMI v2.0 rev 1.1, 13.17-13.23 --------------------------- */

START_TEST(test_open_req)
{
	static const uint8_t want[] = {
		0x01, 0x04, 0x00, 0x00, 0xa3, 0xa2, 0xa1, 0xa0,
		0x00, 0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00,	/* auth */
		0x01, 0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00,	/* integ */
		0x02, 0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00,	/* conf */
	};
	struct rakp_open_req r = { 0x01, 0x04, 0xa0a1a2a3, 1, 1, 1 }, got;
	uint8_t out[64];
	struct buf b;
	size_t n;

	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp_open_req_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	buf_init_read(&b, want, sizeof(want));
	ck_assert_int_eq(rakp_open_req_decode(&b, &got), 0);
	ck_assert_uint_eq(got.tag, 0x01);
	ck_assert_uint_eq(got.priv, IPMI_PRIV_ADMIN);
	ck_assert_uint_eq(got.console_sid, 0xa0a1a2a3);
	ck_assert_uint_eq(got.auth, 1);
	ck_assert_uint_eq(got.integ, 1);
	ck_assert_uint_eq(got.conf, 1);
	ck_assert_uint_eq(buf_left(&b), 0);

	for (n = 0; n < sizeof(want); n++) {
		buf_init_read(&b, want, n);
		ck_assert_int_eq(rakp_open_req_decode(&b, &got), IPMI_E_SHORT);
	}
	/* reserved bits are not sent */
	r.priv = 0xf4;
	r.auth = 0xc3;
	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp_open_req_encode(&r, &b), 0);
	ck_assert_uint_eq(out[1], 0x04);
	ck_assert_uint_eq(out[12], 0x03);
	put(&b, out, sizeof(want) - 1);
	ck_assert_int_eq(rakp_open_req_encode(&r, &b), IPMI_E_NOSPACE);
}
END_TEST

START_TEST(test_open_req_records)
{
	uint8_t p[32];
	struct rakp_open_req got;
	struct buf b;
	static const uint8_t req[] = {
		0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00,
		0x01, 0x00, 0x00, 0x08, 0x04, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00,
	};

	/* a zero-length record means "any": taken as algorithm 0 */
	memcpy(p, req, sizeof(p));
	p[11] = 0x00;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(rakp_open_req_decode(&b, &got), 0);
	ck_assert_uint_eq(got.auth, 3);
	/* records out of order */
	memcpy(p, req, sizeof(p));
	p[8] = 0x01;
	p[16] = 0x00;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(rakp_open_req_decode(&b, &got), IPMI_E_MALFORMED);
	/* a record length other than 0 or 8 */
	memcpy(p, req, sizeof(p));
	p[27] = 0x04;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(rakp_open_req_decode(&b, &got), IPMI_E_MALFORMED);
	/* the untouched request parses as suite 17 */
	buf_init_read(&b, req, sizeof(req));
	ck_assert_int_eq(rakp_open_req_decode(&b, &got), 0);
	ck_assert_uint_eq(got.auth, IPMI_AUTH_ALG_HMAC_SHA256);
	ck_assert_uint_eq(got.integ, IPMI_INTEG_HMAC_SHA256_128);
	ck_assert_uint_eq(got.conf, IPMI_CONF_AES_CBC_128);
	ck_assert_uint_eq(got.priv, IPMI_PRIV_MAX);
}
END_TEST

START_TEST(test_open_rsp)
{
	static const uint8_t want[] = {
		0x01, 0x00, 0x04, 0x00, 0xa3, 0xa2, 0xa1, 0xa0,
		0x78, 0x56, 0x34, 0x12,
		0x00, 0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00,
		0x01, 0x00, 0x00, 0x08, 0x04, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00,
	};
	struct rakp_open_rsp r = { 0x01, RAKP_OK, 0x04, 0xa0a1a2a3, 0x12345678,
	    3, 4, 1 }, got;
	uint8_t out[64];
	struct buf b;
	size_t n;

	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp_open_rsp_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	buf_init_read(&b, want, sizeof(want));
	ck_assert_int_eq(rakp_open_rsp_decode(&b, &got), 0);
	ck_assert_uint_eq(got.status, RAKP_OK);
	ck_assert_uint_eq(got.priv, 4);
	ck_assert_uint_eq(got.console_sid, 0xa0a1a2a3);
	ck_assert_uint_eq(got.bmc_sid, 0x12345678);
	ck_assert_uint_eq(got.auth, 3);
	ck_assert_uint_eq(got.integ, 4);
	ck_assert_uint_eq(got.conf, 1);
	for (n = 0; n < sizeof(want); n++) {
		buf_init_read(&b, want, n);
		ck_assert_int_eq(rakp_open_rsp_decode(&b, &got),
		    IPMI_E_SHORT);
	}
}
END_TEST

/* an error status comes with 8 bytes, or fewer from some BMCs */
START_TEST(test_open_rsp_error)
{
	static const uint8_t want[] = { 0x07, 0x11, 0x00, 0x00, 0xa3, 0xa2,
	    0xa1, 0xa0 };
	struct rakp_open_rsp r = { 0x07, RAKP_NO_CIPHER_MATCH, 0, 0xa0a1a2a3,
	    0x99, 1, 1, 1 }, got;
	uint8_t out[64];
	struct buf b;

	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp_open_rsp_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	buf_init_read(&b, want, sizeof(want));
	ck_assert_int_eq(rakp_open_rsp_decode(&b, &got), 0);
	ck_assert_uint_eq(got.tag, 0x07);
	ck_assert_uint_eq(got.status, RAKP_NO_CIPHER_MATCH);
	ck_assert_uint_eq(got.console_sid, 0xa0a1a2a3);
	ck_assert_uint_eq(got.bmc_sid, 0);
	ck_assert_uint_eq(got.auth, 0);
	/* cut right after the status */
	buf_init_read(&b, want, 2);
	ck_assert_int_eq(rakp_open_rsp_decode(&b, &got), 0);
	ck_assert_uint_eq(got.status, RAKP_NO_CIPHER_MATCH);
	ck_assert_uint_eq(got.console_sid, 0);
	buf_init_read(&b, want, 1);
	ck_assert_int_eq(rakp_open_rsp_decode(&b, &got), IPMI_E_SHORT);
}
END_TEST

START_TEST(test_rakp1)
{
	static const uint8_t want[] = {
		0x02, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12,
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
		0x14, 0x00, 0x00, 0x05, 'a', 'd', 'm', 'i', 'n',
	};
	struct rakp1 r, got;
	uint8_t out[64], p[sizeof(want)];
	struct buf b;
	size_t n;

	memset(&r, 0, sizeof(r));
	r.tag = 0x02;
	r.bmc_sid = 0x12345678;
	memcpy(r.rm, rakp_vec_rm, 16);
	r.role = IPMI_PRIV_ADMIN | RAKP_ROLE_NAME_ONLY;
	r.ulen = 5;
	memcpy(r.user, "admin", 5);
	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp1_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));

	memset(&got, 0xa5, sizeof(got));
	buf_init_read(&b, want, sizeof(want));
	ck_assert_int_eq(rakp1_decode(&b, &got), 0);
	ck_assert_uint_eq(got.tag, 0x02);
	ck_assert_uint_eq(got.bmc_sid, 0x12345678);
	ck_assert_mem_eq(got.rm, rakp_vec_rm, 16);
	ck_assert_uint_eq(got.role, 0x14);
	ck_assert_uint_eq(got.ulen, 5);
	/* the name is zero padded to 16 */
	ck_assert_mem_eq(got.user, "admin\0\0\0\0\0\0\0\0\0\0\0", 16);

	for (n = 0; n < sizeof(want); n++) {
		buf_init_read(&b, want, n);
		ck_assert_int_eq(rakp1_decode(&b, &got), IPMI_E_SHORT);
	}
	memcpy(p, want, sizeof(p));
	p[27] = 17;
	buf_init_read(&b, p, sizeof(p));
	ck_assert_int_eq(rakp1_decode(&b, &got), IPMI_E_MALFORMED);
	r.ulen = 17;
	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp1_encode(&r, &b), IPMI_E_INVAL);
	ck_assert_uint_eq(b.len, 0);
	/* a null user name: 28 bytes */
	r.ulen = 0;
	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp1_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, 28);
	ck_assert_uint_eq(out[27], 0);
}
END_TEST

START_TEST(test_rakp2)
{
	const struct rakp_vector *v = &rakp_vectors[0];
	struct rakp2 r, got;
	uint8_t out[96], want[72];
	struct buf b;
	size_t n;

	memcpy(want, "\x02\x00\x00\x00\xa3\xa2\xa1\xa0", 8);
	memcpy(want + 8, rakp_vec_rc, 16);
	memcpy(want + 24, rakp_vec_guid, 16);
	memcpy(want + 40, v->rakp2, 20);

	memset(&r, 0, sizeof(r));
	r.tag = 0x02;
	r.console_sid = RAKP_VEC_SIDM;
	memcpy(r.rc, rakp_vec_rc, 16);
	memcpy(r.guid, rakp_vec_guid, 16);
	memcpy(r.code, v->rakp2, 20);
	r.code_len = 20;
	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp2_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, 60);
	ck_assert_mem_eq(out, want, 60);

	buf_init_read(&b, want, 60);
	ck_assert_int_eq(rakp2_decode(&b, &got), 0);
	ck_assert_uint_eq(got.tag, 0x02);
	ck_assert_uint_eq(got.status, RAKP_OK);
	ck_assert_uint_eq(got.console_sid, RAKP_VEC_SIDM);
	ck_assert_mem_eq(got.rc, rakp_vec_rc, 16);
	ck_assert_mem_eq(got.guid, rakp_vec_guid, 16);
	ck_assert_uint_eq(got.code_len, 20);
	ck_assert_mem_eq(got.code, v->rakp2, 20);
	/* a SHA256 code is 32 bytes, the most a code may be */
	memset(want + 40, 0x5e, 32);
	buf_init_read(&b, want, 72);
	ck_assert_int_eq(rakp2_decode(&b, &got), 0);
	ck_assert_uint_eq(got.code_len, 32);
	/* RAKP-none: no code at all */
	buf_init_read(&b, want, 40);
	ck_assert_int_eq(rakp2_decode(&b, &got), 0);
	ck_assert_uint_eq(got.code_len, 0);
	for (n = 0; n < 40; n++) {
		buf_init_read(&b, want, n);
		ck_assert_int_eq(rakp2_decode(&b, &got), IPMI_E_SHORT);
	}
	/* a SHA256 code and one spare byte (supermicro20's firmware) is
	 * kept whole for the session to judge; one more is not a RAKP 2 */
	memcpy(out, want, 72);
	out[72] = 0;
	out[73] = 0;
	buf_init_read(&b, out, 73);
	ck_assert_int_eq(rakp2_decode(&b, &got), 0);
	ck_assert_uint_eq(got.code_len, 33);
	buf_init_read(&b, out, 74);
	ck_assert_int_eq(rakp2_decode(&b, &got), IPMI_E_MALFORMED);
	/* the encoder refuses a length past its buffer */
	got.code_len = sizeof(got.code) + 1;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(rakp2_encode(&got, &b), IPMI_E_INVAL);
}
END_TEST

START_TEST(test_rakp2_error)
{
	static const uint8_t want[] = { 0x02, 0x0d, 0x00, 0x00, 0xa3, 0xa2,
	    0xa1, 0xa0 };
	struct rakp2 r, got;
	uint8_t out[96];
	struct buf b;

	memset(&r, 0, sizeof(r));
	r.tag = 0x02;
	r.status = RAKP_UNAUTHORIZED_NAME;
	r.console_sid = RAKP_VEC_SIDM;
	r.code_len = 20;
	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp2_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	buf_init_read(&b, want, sizeof(want));
	ck_assert_int_eq(rakp2_decode(&b, &got), 0);
	ck_assert_uint_eq(got.status, RAKP_UNAUTHORIZED_NAME);
	ck_assert_uint_eq(got.console_sid, RAKP_VEC_SIDM);
	ck_assert_uint_eq(got.code_len, 0);
	/* cut after the status, or in the session ID */
	buf_init_read(&b, want, 2);
	ck_assert_int_eq(rakp2_decode(&b, &got), 0);
	ck_assert_uint_eq(got.status, RAKP_UNAUTHORIZED_NAME);
	ck_assert_uint_eq(got.console_sid, 0);
	buf_init_read(&b, want, 6);
	ck_assert_int_eq(rakp2_decode(&b, &got), 0);
	ck_assert_uint_eq(got.console_sid, 0);
}
END_TEST

START_TEST(test_rakp3)
{
	const struct rakp_vector *v = &rakp_vectors[0];
	struct rakp3 r, got;
	uint8_t out[64], want[28];
	struct buf b;
	size_t n;

	memcpy(want, "\x03\x00\x00\x00\x78\x56\x34\x12", 8);
	memcpy(want + 8, v->rakp3, 20);
	memset(&r, 0, sizeof(r));
	r.tag = 0x03;
	r.bmc_sid = RAKP_VEC_SIDC;
	memcpy(r.code, v->rakp3, 20);
	r.code_len = 20;
	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp3_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	buf_init_read(&b, want, sizeof(want));
	ck_assert_int_eq(rakp3_decode(&b, &got), 0);
	ck_assert_uint_eq(got.tag, 0x03);
	ck_assert_uint_eq(got.status, RAKP_OK);
	ck_assert_uint_eq(got.bmc_sid, RAKP_VEC_SIDC);
	ck_assert_uint_eq(got.code_len, 20);
	ck_assert_mem_eq(got.code, v->rakp3, 20);
	for (n = 0; n < 8; n++) {
		buf_init_read(&b, want, n);
		ck_assert_int_eq(rakp3_decode(&b, &got), IPMI_E_SHORT);
	}

	/* the console reports a bad RAKP 2 with a bare RAKP 3 */
	r.status = RAKP_INVALID_ICV;
	r.code_len = 0;
	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp3_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_mem_eq(out, "\x03\x0f\x00\x00\x78\x56\x34\x12", 8);
	buf_init_read(&b, out, 8);
	ck_assert_int_eq(rakp3_decode(&b, &got), 0);
	ck_assert_uint_eq(got.status, RAKP_INVALID_ICV);
	ck_assert_uint_eq(got.code_len, 0);
	put(&b, out, 7);
	ck_assert_int_eq(rakp3_encode(&r, &b), IPMI_E_NOSPACE);
}
END_TEST

START_TEST(test_rakp4)
{
	const struct rakp_vector *v = &rakp_vectors[0];
	struct rakp4 r, got;
	uint8_t out[64], want[20];
	struct buf b;
	size_t n;

	memcpy(want, "\x04\x00\x00\x00\xa3\xa2\xa1\xa0", 8);
	memcpy(want + 8, v->icv, 12);
	memset(&r, 0, sizeof(r));
	r.tag = 0x04;
	r.console_sid = RAKP_VEC_SIDM;
	memcpy(r.icv, v->icv, 12);
	r.icv_len = 12;
	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp4_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	buf_init_read(&b, want, sizeof(want));
	ck_assert_int_eq(rakp4_decode(&b, &got), 0);
	ck_assert_uint_eq(got.tag, 0x04);
	ck_assert_uint_eq(got.console_sid, RAKP_VEC_SIDM);
	ck_assert_uint_eq(got.icv_len, 12);
	ck_assert_mem_eq(got.icv, v->icv, 12);
	for (n = 0; n < 8; n++) {
		buf_init_read(&b, want, n);
		ck_assert_int_eq(rakp4_decode(&b, &got), IPMI_E_SHORT);
	}

	/* an error status carries no ICV even if the caller set one */
	r.status = RAKP_INVALID_INTEG_ALG;
	put(&b, out, sizeof(out));
	ck_assert_int_eq(rakp4_encode(&r, &b), 0);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_mem_eq(out, "\x04\x05\x00\x00\xa3\xa2\xa1\xa0", 8);
	buf_init_read(&b, out, 2);
	ck_assert_int_eq(rakp4_decode(&b, &got), 0);
	ck_assert_uint_eq(got.status, RAKP_INVALID_INTEG_ALG);
	ck_assert_uint_eq(got.icv_len, 0);
}
END_TEST

/* --- key exchange vs the OpenSSL command line (rakp_vectors.h) -------- */

START_TEST(test_lengths)
{
	ck_assert_uint_eq(rakp_code_len(IPMI_AUTH_ALG_NONE), 0);
	ck_assert_uint_eq(rakp_code_len(IPMI_AUTH_ALG_HMAC_SHA1), 20);
	ck_assert_uint_eq(rakp_code_len(IPMI_AUTH_ALG_HMAC_MD5), 0);
	ck_assert_uint_eq(rakp_code_len(IPMI_AUTH_ALG_HMAC_SHA256), 32);
	ck_assert_uint_eq(rakp_icv_len(IPMI_AUTH_ALG_NONE), 0);
	ck_assert_uint_eq(rakp_icv_len(IPMI_AUTH_ALG_HMAC_SHA1), 12);
	ck_assert_uint_eq(rakp_icv_len(IPMI_AUTH_ALG_HMAC_SHA256), 16);
}
END_TEST

START_TEST(test_vector_rakp2_code)
{
	const struct rakp_vector *v = &rakp_vectors[_i];
	struct rakp_params p;
	uint8_t out[32];

	fill(&p, v);
	memset(out, 0, sizeof(out));
	ck_assert_msg(rakp2_code(&p, out) == 0, "%s", v->name);
	ck_assert_msg(memcmp(out, v->rakp2, rakp_code_len(v->auth)) == 0,
	    "RAKP 2 code: %s", v->name);
}
END_TEST

START_TEST(test_vector_rakp3_code)
{
	const struct rakp_vector *v = &rakp_vectors[_i];
	struct rakp_params p;
	uint8_t out[32];

	fill(&p, v);
	memset(out, 0, sizeof(out));
	ck_assert_msg(rakp3_code(&p, out) == 0, "%s", v->name);
	ck_assert_msg(memcmp(out, v->rakp3, rakp_code_len(v->auth)) == 0,
	    "RAKP 3 code: %s", v->name);
}
END_TEST

START_TEST(test_vector_sik)
{
	const struct rakp_vector *v = &rakp_vectors[_i];
	struct rakp_params p;
	uint8_t sik[32];

	fill(&p, v);
	memset(sik, 0, sizeof(sik));
	ck_assert_msg(rakp_sik(&p, sik) == 0, "%s", v->name);
	ck_assert_msg(memcmp(sik, v->sik, rakp_code_len(v->auth)) == 0,
	    "SIK: %s", v->name);
}
END_TEST

START_TEST(test_vector_rakp4_icv)
{
	const struct rakp_vector *v = &rakp_vectors[_i];
	struct rakp_params p;
	uint8_t icv[32];

	fill(&p, v);
	memset(icv, 0xee, sizeof(icv));
	/* from the expected SIK, so an ICV bug is not masked by a SIK bug */
	ck_assert_msg(rakp4_icv(&p, v->sik, icv) == 0, "%s", v->name);
	ck_assert_msg(memcmp(icv, v->icv, rakp_icv_len(v->auth)) == 0,
	    "RAKP 4 ICV: %s", v->name);
	/* truncated: nothing written past the ICV */
	ck_assert_uint_eq(icv[rakp_icv_len(v->auth)], 0xee);
}
END_TEST

START_TEST(test_vector_keys)
{
	const struct rakp_vector *v = &rakp_vectors[_i];
	const struct ipmi_cipher_suite *cs;
	struct rmcpp_keys k;
	size_t n = rakp_code_len(v->auth);

	cs = ipmi_cipher_suite(v->auth == IPMI_AUTH_ALG_HMAC_SHA1 ? 3 : 17);
	memset(&k, 0xee, sizeof(k));
	ck_assert_msg(rakp_keys(cs->auth, cs->integ, cs->conf, v->sik, &k) ==
	    0, "%s", v->name);
	ck_assert_uint_eq(k.integ, cs->integ);
	ck_assert_uint_eq(k.conf, cs->conf);
	ck_assert_msg(memcmp(k.k1, v->k1, n) == 0, "K1: %s", v->name);
	ck_assert_msg(memcmp(k.k2, v->k2, n) == 0, "K2: %s", v->name);
	if (n < sizeof(k.k1))
		ck_assert_uint_eq(k.k1[n], 0);	/* cleared, not left over */
}
END_TEST

/* The spec's structure, seen through the vectors. */
START_TEST(test_vector_properties)
{
	size_t i, j;

	for (i = 0; i < NVEC; i++)
		for (j = 0; j < NVEC; j++) {
			const struct rakp_vector *a = &rakp_vectors[i];
			const struct rakp_vector *b = &rakp_vectors[j];
			int same_user = a->auth == b->auth &&
			    a->role == b->role && strcmp(a->user, b->user) == 0;

			if (i == j)
				continue;
			/* K_g keys only the SIK: RAKP 2/3 codes do not see it */
			if (same_user && a->kg != b->kg) {
				ck_assert_mem_eq(a->rakp2, b->rakp2, 32);
				ck_assert_mem_eq(a->rakp3, b->rakp3, 32);
				ck_assert_int_ne(memcmp(a->sik, b->sik, 32), 0);
			}
			/* the role byte, name-only bit included, is hashed */
			if (a->auth == b->auth && a->kg == b->kg &&
			    strcmp(a->user, b->user) == 0 && a->role != b->role) {
				ck_assert_int_ne(memcmp(a->rakp2, b->rakp2, 32),
				    0);
				ck_assert_int_ne(memcmp(a->rakp3, b->rakp3, 32),
				    0);
				ck_assert_int_ne(memcmp(a->sik, b->sik, 32), 0);
			}
		}
}
END_TEST

/* Whatever the BMC computes for RAKP 2, the console recomputes. */
START_TEST(test_both_sides_agree)
{
	struct rakp_params bmc, con;
	uint8_t a[32], b[32];

	fill(&bmc, &rakp_vectors[3]);
	fill(&con, &rakp_vectors[3]);
	ck_assert_int_eq(rakp2_code(&bmc, a), 0);
	ck_assert_int_eq(rakp2_code(&con, b), 0);
	ck_assert_mem_eq(a, b, 20);
	/* a wrong password on one side is caught */
	con.kuid = (const uint8_t *)"PASSW0RE";
	ck_assert_int_eq(rakp2_code(&con, b), 0);
	ck_assert_int_ne(memcmp(a, b, 20), 0);
	/* and so is a different name-only bit */
	fill(&con, &rakp_vectors[3]);
	con.role ^= RAKP_ROLE_NAME_ONLY;
	ck_assert_int_eq(rakp3_code(&con, b), 0);
	ck_assert_int_eq(rakp3_code(&bmc, a), 0);
	ck_assert_int_ne(memcmp(a, b, 20), 0);
}
END_TEST

/* RAKP-none: no codes, no SIK, keys cleared but algorithms recorded */
START_TEST(test_rakp_none)
{
	struct rakp_params p;
	struct rmcpp_keys k;
	uint8_t out[32], sik[32], zero[32];

	fill(&p, &rakp_vectors[0]);
	p.auth = IPMI_AUTH_ALG_NONE;
	memset(out, 0xee, sizeof(out));
	memset(zero, 0, sizeof(zero));
	ck_assert_int_eq(rakp2_code(&p, out), 0);
	ck_assert_int_eq(rakp3_code(&p, out), 0);
	ck_assert_int_eq(rakp_sik(&p, out), 0);
	ck_assert_int_eq(rakp4_icv(&p, out, out), 0);
	ck_assert_uint_eq(out[0], 0xee);
	memset(sik, 0x11, sizeof(sik));
	memset(&k, 0xee, sizeof(k));
	ck_assert_int_eq(rakp_keys(IPMI_AUTH_ALG_NONE, IPMI_INTEG_NONE,
	    IPMI_CONF_NONE, sik, &k), 0);
	ck_assert_uint_eq(k.integ, IPMI_INTEG_NONE);
	ck_assert_uint_eq(k.conf, IPMI_CONF_NONE);
	ck_assert_mem_eq(k.k1, zero, 32);
	ck_assert_mem_eq(k.k2, zero, 32);
}
END_TEST

START_TEST(test_status_str)
{
	ck_assert_str_eq(rakp_status_str(RAKP_OK), "no errors");
	ck_assert_str_eq(rakp_status_str(RAKP_UNAUTHORIZED_NAME),
	    "unauthorized name");
	ck_assert_str_eq(rakp_status_str(RAKP_INVALID_ICV),
	    "invalid integrity check value");
	ck_assert_str_eq(rakp_status_str(RAKP_ILLEGAL_PARAM),
	    "illegal or unrecognized parameter");
	ck_assert_str_eq(rakp_status_str(0x13), "unknown RAKP status");
	ck_assert_str_eq(rakp_status_str(0xff), "unknown RAKP status");
}
END_TEST

static Suite *
rakp_suite(void)
{
	Suite *s = suite_create("rakp");
	TCase *tc = tcase_create("codecs");
	TCase *kx = tcase_create("key exchange");

	tcase_add_test(tc, test_open_req);
	tcase_add_test(tc, test_open_req_records);
	tcase_add_test(tc, test_open_rsp);
	tcase_add_test(tc, test_open_rsp_error);
	tcase_add_test(tc, test_rakp1);
	tcase_add_test(tc, test_rakp2);
	tcase_add_test(tc, test_rakp2_error);
	tcase_add_test(tc, test_rakp3);
	tcase_add_test(tc, test_rakp4);
	tcase_add_test(tc, test_status_str);
	suite_add_tcase(s, tc);

	tcase_add_test(kx, test_lengths);
	tcase_add_loop_test(kx, test_vector_rakp2_code, 0, (int)NVEC);
	tcase_add_loop_test(kx, test_vector_rakp3_code, 0, (int)NVEC);
	tcase_add_loop_test(kx, test_vector_sik, 0, (int)NVEC);
	tcase_add_loop_test(kx, test_vector_rakp4_icv, 0, (int)NVEC);
	tcase_add_loop_test(kx, test_vector_keys, 0, (int)NVEC);
	tcase_add_test(kx, test_vector_properties);
	tcase_add_test(kx, test_both_sides_agree);
	tcase_add_test(kx, test_rakp_none);
	suite_add_tcase(s, kx);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rakp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
