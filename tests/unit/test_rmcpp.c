#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/crypto.h"
#include "ipmi/ipmi.h"
#include "ipmi/rmcp.h"
#include "ipmi/rmcpp.h"

/* Get Device ID request, rq_seq 1 (see test_msg.c) */
static const uint8_t msg[] = { 0x20, 0x18, 0xc8, 0x81, 0x04, 0x01, 0x7a };
static const uint8_t iv[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
    0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };

#define SID	0x0a0b0c0du
#define SEQ	0x00000003u

static void
keys_for(struct rmcpp_keys *k, int suite)
{
	const struct ipmi_cipher_suite *cs = ipmi_cipher_suite(suite);
	size_t i;

	ck_assert_ptr_nonnull(cs);
	memset(k, 0, sizeof(*k));
	k->integ = cs->integ;
	k->conf = cs->conf;
	for (i = 0; i < sizeof(k->k1); i++) {
		k->k1[i] = (uint8_t)(0x10 + i);
		k->k2[i] = (uint8_t)(0x80 + i);
	}
}

static size_t
encode(uint8_t *out, size_t cap, uint8_t pt, int enc, int auth,
    const uint8_t *p, size_t len, const struct rmcpp_keys *k)
{
	struct rmcpp_hdr h = { pt, enc, auth, SID, SEQ };
	struct buf b;

	buf_init_write(&b, out, cap);
	ck_assert_int_eq(rmcpp_encode(&b, &h, p, len, k, iv), 0);
	return b.len;
}

/* Decode a whole datagram, RMCP header first. */
static int
decode(const uint8_t *p, size_t n, const struct rmcpp_keys *k,
    struct rmcpp_hdr *h, uint8_t *plain, size_t cap, size_t *plainlen)
{
	struct rmcp_hdr r;
	struct buf b;

	buf_init_read(&b, p, n);
	ck_assert_int_eq(rmcp_decode(&b, &r), 0);
	return rmcpp_decode(&b, h, k, plain, cap, plainlen);
}

/* Append the integrity HMAC over p[4..n) the way 13.28.4 says, by hand. */
static size_t
seal(uint8_t *p, size_t n, const struct rmcpp_keys *k)
{
	uint8_t mac[CRYPTO_MAX_DIGEST];
	struct crypto_seg seg = { p + 4, n - 4 };
	int sha256 = k->integ == IPMI_INTEG_HMAC_SHA256_128;

	ck_assert_int_eq(crypto_hmac(sha256 ? CRYPTO_SHA256 : CRYPTO_SHA1,
	    k->k1, sha256 ? 32 : 20, &seg, 1, mac), 0);
	memcpy(p + n, mac, sha256 ? 16 : 12);
	return n + (sha256 ? 16 : 12);
}

START_TEST(test_suite_table)
{
	static const uint8_t want[20][3] = {
		{ 0, 0, 0 }, { 1, 0, 0 }, { 1, 1, 0 }, { 1, 1, 1 },
		{ 1, 1, 2 }, { 1, 1, 3 }, { 2, 0, 0 }, { 2, 2, 0 },
		{ 2, 2, 1 }, { 2, 2, 2 }, { 2, 2, 3 }, { 2, 3, 0 },
		{ 2, 3, 1 }, { 2, 3, 2 }, { 2, 3, 3 }, { 3, 0, 0 },
		{ 3, 4, 0 }, { 3, 4, 1 }, { 3, 4, 2 }, { 3, 4, 3 },
	};
	const struct ipmi_cipher_suite *cs;
	int id;

	/* IPMI v2.0 rev 1.1, table 22-20 */
	for (id = 0; id < 20; id++) {
		cs = ipmi_cipher_suite(id);
		ck_assert_ptr_nonnull(cs);
		ck_assert_int_eq(cs->id, id);
		ck_assert_int_eq(cs->auth, want[id][0]);
		ck_assert_int_eq(cs->integ, want[id][1]);
		ck_assert_int_eq(cs->conf, want[id][2]);
	}
	ck_assert_ptr_null(ipmi_cipher_suite(-1));
	ck_assert_ptr_null(ipmi_cipher_suite(20));
	ck_assert_ptr_null(ipmi_cipher_suite(0x80));	/* OEM range */
	cs = ipmi_cipher_suite(3);
	ck_assert_int_eq(cs->auth, IPMI_AUTH_ALG_HMAC_SHA1);
	ck_assert_int_eq(cs->integ, IPMI_INTEG_HMAC_SHA1_96);
	ck_assert_int_eq(cs->conf, IPMI_CONF_AES_CBC_128);
	cs = ipmi_cipher_suite(17);
	ck_assert_int_eq(cs->auth, IPMI_AUTH_ALG_HMAC_SHA256);
	ck_assert_int_eq(cs->integ, IPMI_INTEG_HMAC_SHA256_128);
	ck_assert_int_eq(cs->conf, IPMI_CONF_AES_CBC_128);
}
END_TEST

START_TEST(test_suite_properties)
{
	int id;

#define CS(n)	ipmi_cipher_suite(n)
	ck_assert_int_eq(ipmi_cipher_suite_supported(CS(0)), 1);
	ck_assert_int_eq(ipmi_cipher_suite_supported(CS(1)), 1);
	ck_assert_int_eq(ipmi_cipher_suite_supported(CS(2)), 1);
	ck_assert_int_eq(ipmi_cipher_suite_supported(CS(3)), 1);
	ck_assert_int_eq(ipmi_cipher_suite_supported(CS(17)), 1);
	ck_assert_int_eq(ipmi_cipher_suite_secure(CS(0)), 0);
	ck_assert_int_eq(ipmi_cipher_suite_secure(CS(1)), 0);
	ck_assert_int_eq(ipmi_cipher_suite_secure(CS(2)), 0);
	ck_assert_int_eq(ipmi_cipher_suite_secure(CS(3)), 1);
	ck_assert_int_eq(ipmi_cipher_suite_secure(CS(17)), 1);
	ck_assert_int_eq(ipmi_cipher_suite_rank(CS(0)), 0);
	ck_assert_int_eq(ipmi_cipher_suite_rank(CS(1)), 2);
	ck_assert_int_eq(ipmi_cipher_suite_rank(CS(2)), 10);
	ck_assert_int_eq(ipmi_cipher_suite_rank(CS(3)), 26);
	ck_assert_int_eq(ipmi_cipher_suite_rank(CS(17)), 28);
	/* strongest first: 17 > 3 > 16 > 2 > 15 > 1 > 0 */
	ck_assert_int_gt(ipmi_cipher_suite_rank(CS(17)),
	    ipmi_cipher_suite_rank(CS(3)));
	ck_assert_int_gt(ipmi_cipher_suite_rank(CS(3)),
	    ipmi_cipher_suite_rank(CS(16)));
	ck_assert_int_gt(ipmi_cipher_suite_rank(CS(16)),
	    ipmi_cipher_suite_rank(CS(2)));
	ck_assert_int_gt(ipmi_cipher_suite_rank(CS(2)),
	    ipmi_cipher_suite_rank(CS(15)));
	ck_assert_int_gt(ipmi_cipher_suite_rank(CS(15)),
	    ipmi_cipher_suite_rank(CS(1)));
	ck_assert_int_gt(ipmi_cipher_suite_rank(CS(1)),
	    ipmi_cipher_suite_rank(CS(0)));
	/* MD5-based and xRC4 suites: not implemented, never chosen */
	for (id = 4; id <= 14; id++) {
		ck_assert_int_eq(ipmi_cipher_suite_supported(CS(id)), 0);
		ck_assert_int_eq(ipmi_cipher_suite_rank(CS(id)), -1);
	}
	ck_assert_int_eq(ipmi_cipher_suite_supported(CS(18)), 0);
	ck_assert_int_eq(ipmi_cipher_suite_supported(CS(19)), 0);
	ck_assert_int_eq(ipmi_cipher_suite_rank(CS(19)), -1);
	/* secure does not imply supported */
	ck_assert_int_eq(ipmi_cipher_suite_secure(CS(8)), 1);
#undef CS
}
END_TEST

START_TEST(test_integ_len_and_wipe)
{
	struct rmcpp_keys k;
	size_t i;

	ck_assert_uint_eq(rmcpp_integ_len(IPMI_INTEG_NONE), 0);
	ck_assert_uint_eq(rmcpp_integ_len(IPMI_INTEG_HMAC_SHA1_96), 12);
	ck_assert_uint_eq(rmcpp_integ_len(IPMI_INTEG_HMAC_SHA256_128), 16);
	ck_assert_uint_eq(rmcpp_integ_len(IPMI_INTEG_HMAC_MD5_128), 0);
	keys_for(&k, 17);
	rmcpp_keys_wipe(&k);
	for (i = 0; i < sizeof(k.k1); i++)
		ck_assert_uint_eq(k.k1[i] | k.k2[i], 0);
	ck_assert_uint_eq(k.integ, 0);
}
END_TEST

/* An Open Session Request goes out bare: exact bytes. */
START_TEST(test_unauthenticated_exact)
{
	static const uint8_t want[] = {
		0x06, 0x00, 0xff, 0x07,		/* RMCP */
		0x06, 0x10,			/* RMCP+, open session req */
		0x0d, 0x0c, 0x0b, 0x0a,		/* session ID, LE */
		0x03, 0x00, 0x00, 0x00,		/* sequence, LE */
		0x03, 0x00,			/* length 3, LE */
		0xaa, 0xbb, 0xcc,
	};
	uint8_t out[64], plain[64];
	struct rmcpp_hdr h;
	size_t n, plen;

	n = encode(out, sizeof(out), RMCPP_PT_OPEN_REQ, 0, 0,
	    (const uint8_t *)"\xaa\xbb\xcc", 3, NULL);
	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	ck_assert_int_eq(decode(want, sizeof(want), NULL, &h, plain,
	    sizeof(plain), &plen), 0);
	ck_assert_uint_eq(h.payload_type, RMCPP_PT_OPEN_REQ);
	ck_assert_int_eq(h.encrypted, 0);
	ck_assert_int_eq(h.authenticated, 0);
	ck_assert_uint_eq(h.session_id, SID);
	ck_assert_uint_eq(h.seq, SEQ);
	ck_assert_uint_eq(plen, 3);
	ck_assert_mem_eq(plain, "\xaa\xbb\xcc", 3);
}
END_TEST

/*
 * Check an encrypted, authenticated datagram against the spec layout with
 * the crypto primitives directly, then through rmcpp_decode.
 */
static void
check_sealed(int suite, size_t mac_len)
{
	uint8_t out[128], plain[64], mac[CRYPTO_MAX_DIGEST];
	struct crypto_seg seg;
	struct rmcpp_keys k;
	struct rmcpp_hdr h;
	size_t n, plen, body;

	keys_for(&k, suite);
	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 1, 1, msg, sizeof(msg), &k);
	/* 7 bytes + 8 pad + pad length = one AES block, after the IV */
	body = 16 + 16;
	/* 12 header bytes + 32 + 2 trailer bytes = 46: two 0xff pad bytes */
	ck_assert_uint_eq(n, 4 + 12 + body + 2 + 2 + mac_len);
	ck_assert_mem_eq(out, "\x06\x00\xff\x07\x06\xc0", 6);
	ck_assert_mem_eq(out + 6, "\x0d\x0c\x0b\x0a\x03\x00\x00\x00", 8);
	ck_assert_uint_eq(out[14], body);
	ck_assert_uint_eq(out[15], 0);
	ck_assert_mem_eq(out + 16, iv, 16);
	ck_assert_mem_eq(out + 48, "\xff\xff\x02\x07", 4);

	/* 13.29: AES-CBC-128 under K2, pad bytes 1, 2, 3... and their count */
	ck_assert_int_eq(crypto_aes128_cbc(0, k.k2, iv, out + 32, plain, 16),
	    0);
	ck_assert_mem_eq(plain, msg, sizeof(msg));
	ck_assert_mem_eq(plain + 7, "\x01\x02\x03\x04\x05\x06\x07\x08\x08",
	    9);

	/* 13.28.4: HMAC under K1 from the auth type to the next header */
	seg.p = out + 4;
	seg.len = n - 4 - mac_len;
	ck_assert_int_eq(crypto_hmac(mac_len == 12 ? CRYPTO_SHA1 :
	    CRYPTO_SHA256, k.k1, mac_len == 12 ? 20 : 32, &seg, 1, mac), 0);
	ck_assert_mem_eq(out + n - mac_len, mac, mac_len);

	memset(plain, 0, sizeof(plain));
	ck_assert_int_eq(decode(out, n, &k, &h, plain, sizeof(plain), &plen),
	    0);
	ck_assert_uint_eq(h.payload_type, RMCPP_PT_IPMI);
	ck_assert_int_eq(h.encrypted, 1);
	ck_assert_int_eq(h.authenticated, 1);
	ck_assert_uint_eq(h.session_id, SID);
	ck_assert_uint_eq(h.seq, SEQ);
	ck_assert_uint_eq(plen, sizeof(msg));
	ck_assert_mem_eq(plain, msg, sizeof(msg));
}

START_TEST(test_suite3_round_trip)
{
	check_sealed(3, 12);
}
END_TEST

START_TEST(test_suite17_round_trip)
{
	check_sealed(17, 16);
}
END_TEST

/* payload sizes around the AES block and integrity pad boundaries */
START_TEST(test_round_trip_lengths)
{
	uint8_t p[80], out[256], plain[96];
	struct rmcpp_keys k;
	struct rmcpp_hdr h;
	size_t len, n, plen;
	int i;

	for (i = 0; i < (int)sizeof(p); i++)
		p[i] = (uint8_t)(i * 7);
	for (len = 0; len <= sizeof(p); len++) {
		keys_for(&k, len % 2 ? 3 : 17);
		n = encode(out, sizeof(out), RMCPP_PT_IPMI, 1, 1, p, len, &k);
		/* whole AES blocks, and a 4-aligned integrity range */
		ck_assert_uint_eq((out[14] | out[15] << 8) % 16, 0);
		ck_assert_uint_eq((n - 4 - rmcpp_integ_len(k.integ)) % 4, 0);
		ck_assert_int_eq(decode(out, n, &k, &h, plain, sizeof(plain),
		    &plen), 0);
		ck_assert_uint_eq(plen, len);
		ck_assert_mem_eq(plain, p, len);
		/* authenticated only, with an integrity-only suite */
		keys_for(&k, len % 2 ? 2 : 16);
		n = encode(out, sizeof(out), RMCPP_PT_IPMI, 0, 1, p, len, &k);
		ck_assert_uint_eq((n - 4 - rmcpp_integ_len(k.integ)) % 4, 0);
		ck_assert_int_eq(decode(out, n, &k, &h, plain, sizeof(plain),
		    &plen), 0);
		ck_assert_uint_eq(plen, len);
		ck_assert_mem_eq(plain, p, len);
	}
}
END_TEST

START_TEST(test_tampered)
{
	uint8_t out[128], p[128], plain[64];
	struct rmcpp_keys k, other;
	struct rmcpp_hdr h;
	size_t n, i, plen;
	int suite;

	for (suite = 3; suite <= 17; suite += 14) {
		keys_for(&k, suite);
		n = encode(out, sizeof(out), RMCPP_PT_IPMI, 1, 1, msg,
		    sizeof(msg), &k);
		/* any byte from the payload type to the auth code */
		for (i = 5; i < n; i++) {
			if (i >= 14 && i < 16)
				continue;	/* length: covered below */
			if (i >= 48 && i < 52)
				continue;	/* trailer: MALFORMED first */
			memcpy(p, out, n);
			p[i] ^= 0x01;
			ck_assert_int_eq(decode(p, n, &k, &h, plain,
			    sizeof(plain), &plen), IPMI_E_AUTHCODE);
		}
		/* the right packet under someone else's K1 */
		other = k;
		other.k1[0] ^= 0x80;
		ck_assert_int_eq(decode(out, n, &other, &h, plain,
		    sizeof(plain), &plen), IPMI_E_AUTHCODE);
		ck_assert_int_eq(decode(out, n, &k, &h, plain, sizeof(plain),
		    &plen), 0);
	}
}
END_TEST

/* trailers with a valid HMAC but a broken layout */
START_TEST(test_bad_trailer)
{
	uint8_t p[64], plain[64];
	struct rmcpp_keys k;
	struct rmcpp_hdr h;
	size_t n, plen;

	keys_for(&k, 2);
	/* header + 7 bytes = 19, + 3 pad + 2 = 24 */
	memcpy(p, "\x06\x00\xff\x07\x06\x40\x0d\x0c\x0b\x0a\x03\x00\x00\x00"
	    "\x07\x00", 16);
	memcpy(p + 16, msg, 7);
	memcpy(p + 23, "\xff\xff\xff\x03\x07", 5);
	n = seal(p, 28, &k);
	ck_assert_int_eq(decode(p, n, &k, &h, plain, sizeof(plain), &plen), 0);
	ck_assert_uint_eq(plen, 7);

	/* next header other than 07h */
	p[27] = 0x08;
	n = seal(p, 28, &k);
	ck_assert_int_eq(decode(p, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_MALFORMED);
	p[27] = 0x07;
	/* a pad byte other than FFh */
	p[24] = 0x00;
	n = seal(p, 28, &k);
	ck_assert_int_eq(decode(p, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_MALFORMED);
	p[24] = 0xff;
	/* pad length that disagrees with the bytes present */
	p[26] = 0x02;
	n = seal(p, 28, &k);
	ck_assert_int_eq(decode(p, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_MALFORMED);
	/* pad length beyond 3 */
	p[26] = 0x07;
	n = seal(p, 28, &k);
	ck_assert_int_eq(decode(p, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_MALFORMED);
	/* consistent but not 4-aligned: drop one pad byte */
	memcpy(p + 23, "\xff\xff\x02\x07", 4);
	n = seal(p, 27, &k);
	ck_assert_int_eq(decode(p, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_MALFORMED);
	/* no room for pad length, next header and the auth code */
	ck_assert_int_eq(decode(p, 16 + 7 + 12 + 1, &k, &h, plain,
	    sizeof(plain), &plen), IPMI_E_SHORT);
}
END_TEST

/* the confidentiality pad must read 1, 2, 3... and its count must fit */
START_TEST(test_bad_conf_pad)
{
	uint8_t p[96], blk[16], plain[64];
	struct rmcpp_keys k;
	struct rmcpp_hdr h;
	size_t n, plen;
	int which;

	keys_for(&k, 3);
	for (which = 0; which < 3; which++) {
		memcpy(blk, msg, 7);
		memcpy(blk + 7, "\x01\x02\x03\x04\x05\x06\x07\x08\x08", 9);
		if (which == 0)
			blk[9] = 0x09;		/* pad byte out of order */
		else if (which == 1)
			blk[15] = 0x10;		/* count past the block */
		else
			blk[15] = 0x0f;		/* count larger than the pad */
		memcpy(p, "\x06\x00\xff\x07\x06\xc0\x0d\x0c\x0b\x0a\x03\x00"
		    "\x00\x00\x20\x00", 16);
		memcpy(p + 16, iv, 16);
		ck_assert_int_eq(crypto_aes128_cbc(1, k.k2, iv, blk, p + 32,
		    16), 0);
		memcpy(p + 48, "\xff\xff\x02\x07", 4);
		n = seal(p, 52, &k);
		ck_assert_int_eq(decode(p, n, &k, &h, plain, sizeof(plain),
		    &plen), IPMI_E_MALFORMED);
	}
}
END_TEST

/* an encrypted payload that is not whole blocks after the IV */
START_TEST(test_bad_cipher_length)
{
	uint8_t p[96], plain[64];
	struct rmcpp_keys k;
	struct rmcpp_hdr h;
	size_t n, plen;

	keys_for(&k, 3);
	memset(p, 0, sizeof(p));
	/* 16 bytes: an IV and nothing to decrypt */
	memcpy(p, "\x06\x00\xff\x07\x06\xc0\x0d\x0c\x0b\x0a\x03\x00\x00\x00"
	    "\x10\x00", 16);
	memcpy(p + 32, "\xff\xff\x02\x07", 4);
	n = seal(p, 36, &k);
	ck_assert_int_eq(decode(p, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_MALFORMED);
	/* 36 bytes: IV + 20 */
	p[14] = 0x24;
	memcpy(p + 52, "\xff\xff\x02\x07", 4);
	n = seal(p, 56, &k);
	ck_assert_int_eq(decode(p, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_MALFORMED);
}
END_TEST

START_TEST(test_refused_without_integrity)
{
	uint8_t out[128], plain[64];
	struct rmcpp_keys k, none;
	struct rmcpp_hdr h;
	size_t n, plen;

	/* a bare IPMI message inside a session that negotiated integrity */
	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 0, 0, msg, sizeof(msg),
	    NULL);
	keys_for(&k, 3);
	ck_assert_int_eq(decode(out, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_AUTHCODE);
	keys_for(&k, 2);
	ck_assert_int_eq(decode(out, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_AUTHCODE);
	/* with no keys or suite 0 it is fine */
	ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain), &plen),
	    0);
	keys_for(&none, 0);
	ck_assert_int_eq(decode(out, n, &none, &h, plain, sizeof(plain),
	    &plen), 0);

	/* authenticated but not encrypted inside a confidential session */
	keys_for(&k, 3);
	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 0, 1, msg, sizeof(msg),
	    &k);
	ck_assert_int_eq(decode(out, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_AUTHCODE);
}
END_TEST

/* a packet claiming integrity or confidentiality we cannot check */
START_TEST(test_refused_without_keys)
{
	uint8_t out[128], plain[64];
	struct rmcpp_keys k, none;
	struct rmcpp_hdr h;
	size_t n, plen;

	keys_for(&k, 3);
	keys_for(&none, 0);
	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 1, 1, msg, sizeof(msg),
	    &k);
	ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain), &plen),
	    IPMI_E_AUTHCODE);
	ck_assert_int_eq(decode(out, n, &none, &h, plain, sizeof(plain),
	    &plen), IPMI_E_AUTHCODE);
	/* the authenticated bit alone */
	keys_for(&k, 2);
	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 0, 1, msg, sizeof(msg),
	    &k);
	ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain), &plen),
	    IPMI_E_AUTHCODE);
	/* the encrypted bit alone, on a bare packet */
	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 0, 0, msg, sizeof(msg),
	    NULL);
	out[5] |= RMCPP_PT_ENCRYPTED;
	ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain), &plen),
	    IPMI_E_AUTHCODE);
	/* encrypted under suite 0, which has no confidentiality */
	ck_assert_int_eq(decode(out, n, &none, &h, plain, sizeof(plain),
	    &plen), IPMI_E_AUTHCODE);
}
END_TEST

START_TEST(test_length_past_end)
{
	uint8_t out[128], plain[64];
	struct rmcpp_keys k;
	struct rmcpp_hdr h;
	size_t n, plen;

	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 0, 0, msg, sizeof(msg),
	    NULL);
	out[14] = 0x08;
	ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain), &plen),
	    IPMI_E_SHORT);
	out[14] = 0x07;
	out[15] = 0x01;
	ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain), &plen),
	    IPMI_E_SHORT);
	out[15] = 0x00;
	/* shorter than claimed by bytes that happen to be there: no */
	out[14] = 0x06;
	ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain), &plen),
	    IPMI_E_MALFORMED);
	/* truncated in the session header */
	for (n = 4; n < 16; n++)
		ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain),
		    &plen), IPMI_E_SHORT);

	/* authenticated: a length reaching into the trailer */
	keys_for(&k, 17);
	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 1, 1, msg, sizeof(msg),
	    &k);
	out[14] = 0xff;
	ck_assert_int_eq(decode(out, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_SHORT);
	out[14] = 0x30;
	ck_assert_int_ne(decode(out, n, &k, &h, plain, sizeof(plain), &plen),
	    0);
}
END_TEST

START_TEST(test_oversized)
{
	static uint8_t big[IPMI_MAX_PACKET + 1], out[2 * IPMI_MAX_PACKET];
	uint8_t plain[16];
	struct rmcpp_keys k;
	struct rmcpp_hdr h = { RMCPP_PT_IPMI, 0, 0, SID, SEQ };
	struct buf b;
	size_t n, plen;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(rmcpp_encode(&b, &h, big, sizeof(big), NULL, iv),
	    IPMI_E_INVAL);
	ck_assert_uint_eq(b.len, 0);
	/* more payload than the caller's buffer holds */
	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 0, 0, big, 17, NULL);
	ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain), &plen),
	    IPMI_E_NOSPACE);
	ck_assert_int_eq(decode(out, n - 1, NULL, &h, plain, sizeof(plain),
	    &plen), IPMI_E_SHORT);
	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 0, 0, big, 16, NULL);
	ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain), &plen),
	    0);
	keys_for(&k, 3);
	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 1, 1, big, 16, &k);
	ck_assert_int_eq(decode(out, n, &k, &h, plain, sizeof(plain), &plen),
	    IPMI_E_NOSPACE);
	/* the encoder runs out of room cleanly */
	buf_init_write(&b, out, 40);
	h.encrypted = h.authenticated = 1;
	ck_assert_int_eq(rmcpp_encode(&b, &h, msg, sizeof(msg), &k, iv),
	    IPMI_E_NOSPACE);
}
END_TEST

START_TEST(test_encode_refusals)
{
	struct rmcpp_hdr h = { RMCPP_PT_IPMI, 1, 0, SID, SEQ };
	struct rmcpp_keys k;
	uint8_t out[128];
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(rmcpp_encode(&b, &h, msg, sizeof(msg), NULL, iv),
	    IPMI_E_INVAL);
	keys_for(&k, 2);		/* no confidentiality */
	ck_assert_int_eq(rmcpp_encode(&b, &h, msg, sizeof(msg), &k, iv),
	    IPMI_E_INVAL);
	h.encrypted = 0;
	h.authenticated = 1;
	ck_assert_int_eq(rmcpp_encode(&b, &h, msg, sizeof(msg), NULL, iv),
	    IPMI_E_INVAL);
	keys_for(&k, 1);		/* no integrity */
	ck_assert_int_eq(rmcpp_encode(&b, &h, msg, sizeof(msg), &k, iv),
	    IPMI_E_INVAL);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(test_bad_header)
{
	uint8_t out[64], plain[64];
	struct rmcpp_hdr h;
	size_t n, plen;

	n = encode(out, sizeof(out), RMCPP_PT_IPMI, 0, 0, msg, sizeof(msg),
	    NULL);
	out[4] = IPMI_AUTH_MD5;		/* a v1.5 header is not RMCP+ */
	ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain), &plen),
	    IPMI_E_MALFORMED);
	out[4] = IPMI_AUTH_RMCPP;
	out[5] = RMCPP_PT_OEM;		/* OEM explicit: not supported */
	ck_assert_int_eq(decode(out, n, NULL, &h, plain, sizeof(plain), &plen),
	    IPMI_E_UNSUPPORTED);
}
END_TEST

/*
 * Armed keys (the kept contexts a session uses per packet) write the very
 * bytes unarmed keys (the one-shot functions) write, and each decodes the
 * other's packets, packet after packet; a tampered packet is still
 * refused; wiping frees the contexts and leaves zeros.
 */
START_TEST(test_armed_equals_oneshot)
{
	static const int suites[] = { 1, 2, 3, 16, 17 };
	struct rmcpp_keys plain_k, armed, zero;
	uint8_t a[512], b[512], pl[300], out[512];
	struct rmcpp_hdr h;
	size_t na, nb, len, i, n;
	int s;

	memset(&zero, 0, sizeof(zero));
	for (i = 0; i < sizeof(pl); i++)
		pl[i] = (uint8_t)(i * 31 + 7);
	for (s = 0; s < 5; s++) {
		keys_for(&plain_k, suites[s]);
		keys_for(&armed, suites[s]);
		ck_assert_int_eq(rmcpp_keys_arm(&armed), 0);
		ck_assert(rmcpp_integ_len(armed.integ) == 0 ||
		    armed.mac != NULL);
		ck_assert(armed.conf == IPMI_CONF_NONE ||
		    (armed.enc != NULL && armed.dec != NULL));
		for (len = 0; len <= 250; len += 5) {
			int enc = armed.conf != IPMI_CONF_NONE;
			int auth = armed.integ != IPMI_INTEG_NONE;

			na = encode(a, sizeof(a), RMCPP_PT_IPMI, enc, auth, pl,
			    len, &armed);
			nb = encode(b, sizeof(b), RMCPP_PT_IPMI, enc, auth, pl,
			    len, &plain_k);
			ck_assert_uint_eq(na, nb);
			ck_assert_mem_eq(a, b, na);
			ck_assert_int_eq(decode(a, na, &plain_k, &h, out,
			    sizeof(out), &n), 0);
			ck_assert_uint_eq(n, len);
			ck_assert_mem_eq(out, pl, len);
			ck_assert_int_eq(decode(b, nb, &armed, &h, out,
			    sizeof(out), &n), 0);
			ck_assert_uint_eq(n, len);
			ck_assert_mem_eq(out, pl, len);
			if (auth) {
				a[na / 2] ^= 0x01;
				ck_assert_int_ne(decode(a, na, &armed, &h, out,
				    sizeof(out), &n), 0);
			}
		}
		/* arming again replaces the contexts, no leak, same bytes */
		ck_assert_int_eq(rmcpp_keys_arm(&armed), 0);
		na = encode(a, sizeof(a), RMCPP_PT_IPMI,
		    armed.conf != IPMI_CONF_NONE,
		    armed.integ != IPMI_INTEG_NONE, pl, 33, &armed);
		nb = encode(b, sizeof(b), RMCPP_PT_IPMI,
		    armed.conf != IPMI_CONF_NONE,
		    armed.integ != IPMI_INTEG_NONE, pl, 33, &plain_k);
		ck_assert_mem_eq(a, b, na);
		rmcpp_keys_wipe(&armed);
		ck_assert_mem_eq(&armed, &zero, sizeof(zero));
		rmcpp_keys_wipe(&armed);	/* twice is harmless */
	}
}
END_TEST

static Suite *
rmcpp_suite(void)
{
	Suite *s = suite_create("rmcpp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_suite_table);
	tcase_add_test(tc, test_suite_properties);
	tcase_add_test(tc, test_integ_len_and_wipe);
	tcase_add_test(tc, test_unauthenticated_exact);
	tcase_add_test(tc, test_suite3_round_trip);
	tcase_add_test(tc, test_suite17_round_trip);
	tcase_add_test(tc, test_round_trip_lengths);
	tcase_add_test(tc, test_tampered);
	tcase_add_test(tc, test_bad_trailer);
	tcase_add_test(tc, test_bad_conf_pad);
	tcase_add_test(tc, test_bad_cipher_length);
	tcase_add_test(tc, test_refused_without_integrity);
	tcase_add_test(tc, test_refused_without_keys);
	tcase_add_test(tc, test_length_past_end);
	tcase_add_test(tc, test_oversized);
	tcase_add_test(tc, test_encode_refusals);
	tcase_add_test(tc, test_bad_header);
	tcase_add_test(tc, test_armed_equals_oneshot);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rmcpp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
