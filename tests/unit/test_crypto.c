#include <sys/wait.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipmi/crypto.h"

/* Decode a hex string into out; returns the byte count. */
static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s[0] != '\0' && s[1] != '\0') {
		unsigned int v;

		ck_assert_uint_lt(n, cap);
		ck_assert_int_eq(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	ck_assert_int_eq(s[0], '\0');
	return n;
}

static void
check_hex(const uint8_t *got, const char *want)
{
	uint8_t w[256];
	size_t n = unhex(want, w, sizeof(w));

	ck_assert_mem_eq(got, w, n);
}

static void
check_digest(enum crypto_hash h, const void *p, size_t len, const char *want)
{
	uint8_t out[CRYPTO_MAX_DIGEST];
	struct crypto_seg seg = { p, len };

	memset(out, 0, sizeof(out));
	ck_assert_int_eq(crypto_digest(h, &seg, 1, out), 0);
	ck_assert_uint_eq(strlen(want) / 2, crypto_hash_len(h));
	check_hex(out, want);
}

static void
check_hmac(enum crypto_hash h, const void *key, size_t keylen, const void *p,
    size_t len, const char *want)
{
	uint8_t out[CRYPTO_MAX_DIGEST];
	struct crypto_seg seg = { p, len };

	memset(out, 0, sizeof(out));
	ck_assert_int_eq(crypto_hmac(h, key, keylen, &seg, 1, out), 0);
	check_hex(out, want);
}

START_TEST(test_hash_len)
{
	ck_assert_uint_eq(crypto_hash_len(CRYPTO_SHA1), 20);
	ck_assert_uint_eq(crypto_hash_len(CRYPTO_SHA256), 32);
	ck_assert_uint_eq(crypto_hash_len(CRYPTO_MD5), 16);
	ck_assert_uint_eq(crypto_hash_len((enum crypto_hash)42), 0);
}
END_TEST

/* FIPS 180-2 appendix A and RFC 1321 A.5 */
START_TEST(test_digests)
{
	static const char two_block[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	check_digest(CRYPTO_SHA1, "abc", 3,
	    "a9993e364706816aba3e25717850c26c9cd0d89d");
	check_digest(CRYPTO_SHA1, two_block, strlen(two_block),
	    "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	check_digest(CRYPTO_SHA256, "abc", 3,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_digest(CRYPTO_SHA256, two_block, strlen(two_block),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check_digest(CRYPTO_MD5, "abc", 3, "900150983cd24fb0d6963f7d28e17f72");
	check_digest(CRYPTO_MD5, "", 0, "d41d8cd98f00b204e9800998ecf8427e");
}
END_TEST

/* segments hash as their concatenation; empty segments are skipped */
START_TEST(test_digest_segments)
{
	uint8_t out[CRYPTO_MAX_DIGEST];
	struct crypto_seg seg[4] = { { "a", 1 }, { NULL, 0 }, { "b", 1 },
	    { "c", 1 } };

	ck_assert_int_eq(crypto_digest(CRYPTO_SHA1, seg, 4, out), 0);
	check_hex(out, "a9993e364706816aba3e25717850c26c9cd0d89d");
	ck_assert_int_eq(crypto_digest(CRYPTO_MD5, seg, 4, out), 0);
	check_hex(out, "900150983cd24fb0d6963f7d28e17f72");
	/* no segments at all is the empty message */
	ck_assert_int_eq(crypto_digest(CRYPTO_MD5, seg, 0, out), 0);
	check_hex(out, "d41d8cd98f00b204e9800998ecf8427e");
	ck_assert_int_eq(crypto_hmac(CRYPTO_SHA256, "Jefe", 4, (struct
	    crypto_seg[]){ { "what do ya ", 11 }, { "want ", 5 },
	    { "for nothing?", 12 } }, 3, out), 0);
	check_hex(out,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}
END_TEST

/* RFC 2202, test cases 1-3 for HMAC-SHA1 and 1-2 for HMAC-MD5 */
START_TEST(test_hmac_rfc2202)
{
	uint8_t k[20], d[50];

	memset(k, 0x0b, sizeof(k));
	check_hmac(CRYPTO_SHA1, k, 20, "Hi There", 8,
	    "b617318655057264e28bc0b6fb378c8ef146be00");
	check_hmac(CRYPTO_SHA1, "Jefe", 4, "what do ya want for nothing?", 28,
	    "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	memset(k, 0xaa, sizeof(k));
	memset(d, 0xdd, sizeof(d));
	check_hmac(CRYPTO_SHA1, k, 20, d, 50,
	    "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
	memset(k, 0x0b, sizeof(k));
	check_hmac(CRYPTO_MD5, k, 16, "Hi There", 8,
	    "9294727a3638bb1c13f48ef8158bfc9d");
	check_hmac(CRYPTO_MD5, "Jefe", 4, "what do ya want for nothing?", 28,
	    "750c783e6ab0b503eaa86e310a5db738");
}
END_TEST

/* RFC 4231, test cases 1, 2 and 6 (a key longer than the block) */
START_TEST(test_hmac_rfc4231)
{
	uint8_t k[131];

	memset(k, 0x0b, 20);
	check_hmac(CRYPTO_SHA256, k, 20, "Hi There", 8,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	check_hmac(CRYPTO_SHA256, "Jefe", 4, "what do ya want for nothing?", 28,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(k, 0xaa, sizeof(k));
	check_hmac(CRYPTO_SHA256, k, sizeof(k),
	    "Test Using Larger Than Block-Size Key - Hash Key First", 54,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

/*
 * An IPMI null password is an empty key; HMAC pads keys with zeros, so it
 * must equal a key of twenty zero bytes (value from openssl mac, hexkey 00*20).
 */
START_TEST(test_hmac_empty_key)
{
	uint8_t zero[20], a[CRYPTO_MAX_DIGEST], b[CRYPTO_MAX_DIGEST];
	struct crypto_seg seg = { "x", 1 };

	memset(zero, 0, sizeof(zero));
	ck_assert_int_eq(crypto_hmac(CRYPTO_SHA1, NULL, 0, &seg, 1, a), 0);
	ck_assert_int_eq(crypto_hmac(CRYPTO_SHA1, zero, 20, &seg, 1, b), 0);
	ck_assert_mem_eq(a, b, 20);
	check_hex(a, "6244e66451a1c8695db9731ce2c4fd5de25ccf87");
}
END_TEST

START_TEST(test_bad_hash_refused)
{
	uint8_t out[CRYPTO_MAX_DIGEST];
	struct crypto_seg seg = { "x", 1 };

	memset(out, 0x77, sizeof(out));
	ck_assert_int_eq(crypto_digest((enum crypto_hash)42, &seg, 1, out), -1);
	ck_assert_int_eq(crypto_hmac((enum crypto_hash)42, "k", 1, &seg, 1,
	    out), -1);
	ck_assert_uint_eq(out[0], 0x77);
}
END_TEST

/* NIST SP 800-38A, F.2.1 CBC-AES128.Encrypt and F.2.2 Decrypt */
START_TEST(test_aes_cbc_sp800_38a)
{
	uint8_t key[16], iv[16], pt[64], ct[64], out[64];

	unhex("2b7e151628aed2a6abf7158809cf4f3c", key, sizeof(key));
	unhex("000102030405060708090a0b0c0d0e0f", iv, sizeof(iv));
	unhex("6bc1bee22e409f96e93d7e117393172a"
	    "ae2d8a571e03ac9c9eb76fac45af8e51"
	    "30c81c46a35ce411e5fbc1191a0a52ef"
	    "f69f2445df4f9b17ad2b417be66c3710", pt, sizeof(pt));
	unhex("7649abac8119b246cee98e9b12e9197d"
	    "5086cb9b507219ee95db113a917678b2"
	    "73bed6b8e3c1743b7116e69e22229516"
	    "3ff1caa1681fac09120eca307586e1a7", ct, sizeof(ct));

	ck_assert_int_eq(crypto_aes128_cbc(1, key, iv, pt, out, 64), 0);
	ck_assert_mem_eq(out, ct, 64);
	ck_assert_int_eq(crypto_aes128_cbc(0, key, iv, ct, out, 64), 0);
	ck_assert_mem_eq(out, pt, 64);
	/* the first block alone: CBC has no state across calls */
	ck_assert_int_eq(crypto_aes128_cbc(1, key, iv, pt, out, 16), 0);
	ck_assert_mem_eq(out, ct, 16);
	/* in place, as the RMCP+ encoder uses it */
	memcpy(out, pt, 64);
	ck_assert_int_eq(crypto_aes128_cbc(1, key, iv, out, out, 64), 0);
	ck_assert_mem_eq(out, ct, 64);
	ck_assert_int_eq(crypto_aes128_cbc(0, key, iv, out, out, 64), 0);
	ck_assert_mem_eq(out, pt, 64);
}
END_TEST

/* no padding is added, so partial blocks are refused and nothing written */
START_TEST(test_aes_partial_block_refused)
{
	uint8_t key[16] = { 0 }, iv[16] = { 0 }, in[32] = { 0 }, out[32];

	memset(out, 0x5c, sizeof(out));
	ck_assert_int_eq(crypto_aes128_cbc(1, key, iv, in, out, 15), -1);
	ck_assert_int_eq(crypto_aes128_cbc(0, key, iv, in, out, 17), -1);
	ck_assert_int_eq(crypto_aes128_cbc(1, key, iv, in, out, 31), -1);
	ck_assert_uint_eq(out[0], 0x5c);
	ck_assert_uint_eq(out[16], 0x5c);
}
END_TEST

START_TEST(test_memcmp)
{
	uint8_t a[20], b[20];

	memset(a, 0x42, sizeof(a));
	memset(b, 0x42, sizeof(b));
	ck_assert_int_eq(crypto_memcmp(a, b, 20), 0);
	b[19] ^= 0x01;
	ck_assert_int_ne(crypto_memcmp(a, b, 20), 0);
	/* only n bytes count */
	ck_assert_int_eq(crypto_memcmp(a, b, 19), 0);
	ck_assert_int_eq(crypto_memcmp(a, b, 0), 0);
	b[19] = 0x42;
	b[0] = 0x00;
	ck_assert_int_ne(crypto_memcmp(a, b, 20), 0);
	ck_assert_int_ne(crypto_memcmp(b, a, 20), 0);
}
END_TEST

START_TEST(test_random_and_wipe)
{
	uint8_t a[32], b[32], z[32];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(z, 0, sizeof(z));
	ck_assert_int_eq(crypto_random(a, sizeof(a)), 0);
	ck_assert_int_eq(crypto_random(b, sizeof(b)), 0);
	/* 2^-256 chance of a false failure */
	ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
	ck_assert_int_ne(memcmp(a, z, sizeof(a)), 0);
	crypto_wipe(a, sizeof(a));
	ck_assert_mem_eq(a, z, sizeof(z));
}
END_TEST

/*
 * Kept contexts: one context keyed once gives, packet after packet, what
 * the one-shot function gives (RFC 2202 / 4231 vectors, then messages of
 * every length from 0 to 300 bytes, split in segments).
 */
static void
check_mac_kept(enum crypto_hash h, const void *key, size_t keylen,
    const void *p, size_t len, const char *want)
{
	struct crypto_mac *m;
	struct crypto_seg seg = { p, len };
	uint8_t out[CRYPTO_MAX_DIGEST];
	int i;

	ck_assert_ptr_nonnull(m = crypto_mac_new(h, key, keylen));
	for (i = 0; i < 5; i++) {
		memset(out, 0, sizeof(out));
		ck_assert_int_eq(crypto_mac_run(m, &seg, 1, out), 0);
		check_hex(out, want);
	}
	crypto_mac_free(m);
}

START_TEST(test_mac_kept_vectors)
{
	uint8_t k[131], d[50];

	memset(k, 0x0b, 20);
	check_mac_kept(CRYPTO_SHA1, k, 20, "Hi There", 8,
	    "b617318655057264e28bc0b6fb378c8ef146be00");
	check_mac_kept(CRYPTO_SHA1, "Jefe", 4, "what do ya want for nothing?",
	    28, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	check_mac_kept(CRYPTO_MD5, k, 16, "Hi There", 8,
	    "9294727a3638bb1c13f48ef8158bfc9d");
	check_mac_kept(CRYPTO_MD5, "Jefe", 4, "what do ya want for nothing?",
	    28, "750c783e6ab0b503eaa86e310a5db738");
	check_mac_kept(CRYPTO_SHA256, k, 20, "Hi There", 8,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	check_mac_kept(CRYPTO_SHA256, "Jefe", 4,
	    "what do ya want for nothing?", 28,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(k, 0xaa, sizeof(k));
	memset(d, 0xdd, sizeof(d));
	check_mac_kept(CRYPTO_SHA1, k, 20, d, 50,
	    "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
	check_mac_kept(CRYPTO_SHA256, k, sizeof(k),
	    "Test Using Larger Than Block-Size Key - Hash Key First", 54,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	/* the null password: an empty key */
	check_mac_kept(CRYPTO_SHA1, NULL, 0, "x", 1,
	    "6244e66451a1c8695db9731ce2c4fd5de25ccf87");
}
END_TEST

START_TEST(test_mac_kept_stream)
{
	static const enum crypto_hash hs[] = { CRYPTO_SHA1, CRYPTO_SHA256,
	    CRYPTO_MD5 };
	uint8_t key[32], msg[300], a[CRYPTO_MAX_DIGEST], b[CRYPTO_MAX_DIGEST];
	struct crypto_mac *m;
	struct crypto_seg seg[2];
	size_t i, len;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0x40 + i);
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	for (i = 0; i < 3; i++) {
		ck_assert_ptr_nonnull(m = crypto_mac_new(hs[i], key,
		    crypto_hash_len(hs[i])));
		for (len = 0; len <= sizeof(msg); len++) {
			/* packets differ in length and split point */
			seg[0] = (struct crypto_seg){ msg, len / 3 };
			seg[1] = (struct crypto_seg){ msg + len / 3,
			    len - len / 3 };
			memset(a, 0, sizeof(a));
			memset(b, 0x5a, sizeof(b));
			ck_assert_int_eq(crypto_mac_run(m, seg, 2, a), 0);
			ck_assert_int_eq(crypto_hmac(hs[i], key,
			    crypto_hash_len(hs[i]), seg, 2, b), 0);
			ck_assert_mem_eq(a, b, crypto_hash_len(hs[i]));
		}
		crypto_mac_free(m);
	}
	ck_assert_ptr_null(crypto_mac_new((enum crypto_hash)42, key, 20));
	crypto_mac_free(NULL);
}
END_TEST

static void
sp800_38a(uint8_t key[16], uint8_t iv[16], uint8_t pt[64], uint8_t ct[64])
{
	unhex("2b7e151628aed2a6abf7158809cf4f3c", key, 16);
	unhex("000102030405060708090a0b0c0d0e0f", iv, 16);
	unhex("6bc1bee22e409f96e93d7e117393172a"
	    "ae2d8a571e03ac9c9eb76fac45af8e51"
	    "30c81c46a35ce411e5fbc1191a0a52ef"
	    "f69f2445df4f9b17ad2b417be66c3710", pt, 64);
	unhex("7649abac8119b246cee98e9b12e9197d"
	    "5086cb9b507219ee95db113a917678b2"
	    "73bed6b8e3c1743b7116e69e22229516"
	    "3ff1caa1681fac09120eca307586e1a7", ct, 64);
}

/* NIST SP 800-38A F.2.1 and F.2.2 through kept contexts, many times over */
START_TEST(test_cbc_kept_vectors)
{
	uint8_t key[16], iv[16], pt[64], ct[64], out[64];
	struct crypto_cbc *e, *d;
	int i;

	sp800_38a(key, iv, pt, ct);
	ck_assert_ptr_nonnull(e = crypto_cbc_new(1, key));
	ck_assert_ptr_nonnull(d = crypto_cbc_new(0, key));
	for (i = 0; i < 5; i++) {
		/* no chaining from one run to the next */
		ck_assert_int_eq(crypto_cbc_run(e, iv, pt, out, 64), 0);
		ck_assert_mem_eq(out, ct, 64);
		ck_assert_int_eq(crypto_cbc_run(d, iv, ct, out, 64), 0);
		ck_assert_mem_eq(out, pt, 64);
		ck_assert_int_eq(crypto_cbc_run(e, iv, pt, out, 16), 0);
		ck_assert_mem_eq(out, ct, 16);
		memcpy(out, pt, 64);
		ck_assert_int_eq(crypto_cbc_run(e, iv, out, out, 64), 0);
		ck_assert_mem_eq(out, ct, 64);
		ck_assert_int_eq(crypto_cbc_run(d, iv, out, out, 64), 0);
		ck_assert_mem_eq(out, pt, 64);
	}
	/* partial blocks refused, nothing written */
	memset(out, 0x5c, sizeof(out));
	ck_assert_int_eq(crypto_cbc_run(e, iv, pt, out, 15), -1);
	ck_assert_int_eq(crypto_cbc_run(d, iv, ct, out, 17), -1);
	ck_assert_uint_eq(out[0], 0x5c);
	/* and the contexts still work after a refusal */
	ck_assert_int_eq(crypto_cbc_run(d, iv, ct, out, 64), 0);
	ck_assert_mem_eq(out, pt, 64);
	crypto_cbc_free(e);
	crypto_cbc_free(d);
	crypto_cbc_free(NULL);
}
END_TEST

/* IV per packet, lengths up to 256: kept == one-shot, both directions */
START_TEST(test_cbc_kept_stream)
{
	uint8_t key[16], iv[16], pt[256], a[256], b[256];
	struct crypto_cbc *e, *d;
	size_t len, i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0xa0 ^ i);
	for (i = 0; i < sizeof(pt); i++)
		pt[i] = (uint8_t)(i * 13 + 1);
	ck_assert_ptr_nonnull(e = crypto_cbc_new(1, key));
	ck_assert_ptr_nonnull(d = crypto_cbc_new(0, key));
	for (len = 16; len <= sizeof(pt); len += 16) {
		for (i = 0; i < sizeof(iv); i++)
			iv[i] = (uint8_t)(len + i);
		ck_assert_int_eq(crypto_cbc_run(e, iv, pt, a, len), 0);
		ck_assert_int_eq(crypto_aes128_cbc(1, key, iv, pt, b, len), 0);
		ck_assert_mem_eq(a, b, len);
		ck_assert_int_ne(memcmp(a, pt, len), 0);
		ck_assert_int_eq(crypto_cbc_run(d, iv, a, b, len), 0);
		ck_assert_mem_eq(b, pt, len);
		ck_assert_int_eq(crypto_aes128_cbc(0, key, iv, a, b, len), 0);
		ck_assert_mem_eq(b, pt, len);
	}
	crypto_cbc_free(e);
	crypto_cbc_free(d);
}
END_TEST

/*
 * Many sessions' contexts used in turn (the shared per-direction context
 * re-keyed run by run), some freed on the way: every run is the one-shot
 * cipher with that context's own key, never with the key used before.
 */
START_TEST(test_cbc_kept_interleaved)
{
	enum { N = 7 };
	uint8_t key[N][16], iv[16], pt[48], a[48], b[48];
	struct crypto_cbc *e[N], *d[N];
	size_t i, k, r;

	for (k = 0; k < N; k++) {
		for (i = 0; i < 16; i++)
			key[k][i] = (uint8_t)(k * 31 + i);
		ck_assert_ptr_nonnull(e[k] = crypto_cbc_new(1, key[k]));
		ck_assert_ptr_nonnull(d[k] = crypto_cbc_new(0, key[k]));
	}
	for (i = 0; i < sizeof(pt); i++)
		pt[i] = (uint8_t)(i ^ 0x5a);
	for (r = 0; r < 60; r++) {
		k = (r * 5) % N;
		if (r == 30) {		/* the one whose key is in: freed */
			crypto_cbc_free(e[k]);
			crypto_cbc_free(d[k]);
			ck_assert_ptr_nonnull(e[k] = crypto_cbc_new(1, key[k]));
			ck_assert_ptr_nonnull(d[k] = crypto_cbc_new(0, key[k]));
		}
		for (i = 0; i < sizeof(iv); i++)
			iv[i] = (uint8_t)(r + i);
		ck_assert_int_eq(crypto_cbc_run(e[k], iv, pt, a, 48), 0);
		ck_assert_int_eq(crypto_aes128_cbc(1, key[k], iv, pt, b, 48), 0);
		ck_assert_mem_eq(a, b, 48);
		/* a run of another key in between, both directions */
		ck_assert_int_eq(crypto_cbc_run(e[(k + 1) % N], iv, pt, b, 48),
		    0);
		ck_assert_int_ne(memcmp(a, b, 48), 0);
		ck_assert_int_eq(crypto_cbc_run(d[(k + 2) % N], iv, a, b, 48),
		    0);
		ck_assert_int_ne(memcmp(b, pt, 48), 0);
		ck_assert_int_eq(crypto_cbc_run(d[k], iv, a, b, 48), 0);
		ck_assert_mem_eq(b, pt, 48);
	}
	for (k = 0; k < N; k++) {
		crypto_cbc_free(e[k]);
		crypto_cbc_free(d[k]);
	}
}
END_TEST

static int
cmp16(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/* 3,000 IV-sized draws (the buffer refilled ten times over): all differ */
START_TEST(test_random_draws_differ)
{
	enum { N = 3000 };
	static uint8_t iv[N][16];
	uint8_t big[5000], zero[16];
	int i;

	memset(zero, 0, sizeof(zero));
	for (i = 0; i < N; i++) {
		ck_assert_int_eq(crypto_random(iv[i], 16), 0);
		ck_assert_int_ne(memcmp(iv[i], zero, 16), 0);
		if (i % 97 == 0)	/* odd sizes shift the boundaries */
			ck_assert_int_eq(crypto_random(big, 1 + i % 13), 0);
	}
	/* a draw bigger than the buffer still works */
	ck_assert_int_eq(crypto_random(big, sizeof(big)), 0);
	qsort(iv, N, 16, cmp16);
	for (i = 1; i < N; i++)
		ck_assert_int_ne(memcmp(iv[i - 1], iv[i], 16), 0);
}
END_TEST

/*
 * A child after fork() draws other bytes than the parent's next ones: the
 * buffer the parent filled before the fork is never served in the child.
 */
START_TEST(test_random_fork)
{
	uint8_t mine[64], theirs[64];
	int fd[2], status, round;
	pid_t pid;

	for (round = 0; round < 3; round++) {
		/* fill the buffer, leave most of it unused */
		ck_assert_int_eq(crypto_random(mine, 16), 0);
		ck_assert_int_eq(pipe(fd), 0);
		ck_assert_int_ne(pid = fork(), -1);
		if (pid == 0) {
			close(fd[0]);
			if (crypto_random(theirs, sizeof(theirs)) != 0 ||
			    write(fd[1], theirs, sizeof(theirs)) !=
			    (ssize_t)sizeof(theirs))
				_exit(1);
			_exit(0);
		}
		close(fd[1]);
		ck_assert_int_eq(crypto_random(mine, sizeof(mine)), 0);
		ck_assert_int_eq(read(fd[0], theirs, sizeof(theirs)),
		    (ssize_t)sizeof(theirs));
		close(fd[0]);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		ck_assert_int_ne(memcmp(mine, theirs, sizeof(mine)), 0);
		/* nor any 16-byte piece of it (an IV's worth) */
		for (int i = 0; i < 4; i++)
			for (int j = 0; j < 4; j++)
				ck_assert_int_ne(memcmp(mine + 16 * i,
				    theirs + 16 * j, 16), 0);
	}
}
END_TEST

static Suite *
crypto_suite(void)
{
	Suite *s = suite_create("crypto");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_hash_len);
	tcase_add_test(tc, test_digests);
	tcase_add_test(tc, test_digest_segments);
	tcase_add_test(tc, test_hmac_rfc2202);
	tcase_add_test(tc, test_hmac_rfc4231);
	tcase_add_test(tc, test_hmac_empty_key);
	tcase_add_test(tc, test_bad_hash_refused);
	tcase_add_test(tc, test_aes_cbc_sp800_38a);
	tcase_add_test(tc, test_aes_partial_block_refused);
	tcase_add_test(tc, test_memcmp);
	tcase_add_test(tc, test_random_and_wipe);
	tcase_add_test(tc, test_mac_kept_vectors);
	tcase_add_test(tc, test_mac_kept_stream);
	tcase_add_test(tc, test_cbc_kept_vectors);
	tcase_add_test(tc, test_cbc_kept_stream);
	tcase_add_test(tc, test_cbc_kept_interleaved);
	tcase_add_test(tc, test_random_draws_differ);
	tcase_add_test(tc, test_random_fork);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(crypto_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
