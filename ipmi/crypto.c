#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "crypto.h"

static const EVP_MD *
md(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_SHA1:
		return EVP_sha1();
	case CRYPTO_SHA256:
		return EVP_sha256();
	case CRYPTO_MD5:
		return EVP_md5();
	}
	return NULL;
}

size_t
crypto_hash_len(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_SHA1:
		return 20;
	case CRYPTO_SHA256:
		return 32;
	case CRYPTO_MD5:
		return 16;
	}
	return 0;
}

int
crypto_digest(enum crypto_hash h, const struct crypto_seg *seg, size_t n,
    uint8_t *out)
{
	EVP_MD_CTX *ctx;
	unsigned int olen;
	size_t i;
	int rc = -1;

	if (md(h) == NULL || (ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex(ctx, md(h), NULL) != 1)
		goto out;
	for (i = 0; i < n; i++)
		if (seg[i].len > 0 &&
		    EVP_DigestUpdate(ctx, seg[i].p, seg[i].len) != 1)
			goto out;
	if (EVP_DigestFinal_ex(ctx, out, &olen) != 1)
		goto out;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

/*
 * The HMAC implementation is fetched once and kept for the life of the
 * process: fetching costs more than a whole IPMI integrity check.
 */
static EVP_MAC *
hmac_impl(void)
{
	static EVP_MAC *mac;

	if (mac == NULL)
		mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	return mac;
}

int
crypto_hmac(enum crypto_hash h, const void *key, size_t keylen,
    const struct crypto_seg *seg, size_t n, uint8_t *out)
{
	EVP_MAC_CTX *ctx;
	OSSL_PARAM params[2];
	const char *name;
	size_t i, olen;
	int rc = -1;

	switch (h) {
	case CRYPTO_SHA1:
		name = "SHA1";
		break;
	case CRYPTO_SHA256:
		name = "SHA256";
		break;
	case CRYPTO_MD5:
		name = "MD5";
		break;
	default:
		return -1;
	}
	if (hmac_impl() == NULL || (ctx = EVP_MAC_CTX_new(hmac_impl())) == NULL)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)(uintptr_t)name, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* an empty key is legal in IPMI (null password) but not to OpenSSL */
	if (EVP_MAC_init(ctx, keylen > 0 ? key : (const void *)"", keylen > 0 ?
	    keylen : 0, params) != 1)
		goto out;
	for (i = 0; i < n; i++)
		if (seg[i].len > 0 &&
		    EVP_MAC_update(ctx, seg[i].p, seg[i].len) != 1)
			goto out;
	if (EVP_MAC_final(ctx, out, &olen, CRYPTO_MAX_DIGEST) != 1)
		goto out;
	rc = 0;
out:
	EVP_MAC_CTX_free(ctx);
	return rc;
}

int
crypto_aes128_cbc(int encrypt, const uint8_t key[16], const uint8_t iv[16],
    const uint8_t *in, uint8_t *out, size_t len)
{
	EVP_CIPHER_CTX *ctx;
	int olen, rc = -1;

	if (len % CRYPTO_AES_BLOCK != 0 || len > 0x7fffffff)
		return -1;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	if (EVP_CipherInit_ex(ctx, EVP_aes_128_cbc(), NULL, key, iv,
	    encrypt ? 1 : 0) != 1)
		goto out;
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	if (EVP_CipherUpdate(ctx, out, &olen, in, (int)len) != 1 ||
	    (size_t)olen != len)
		goto out;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

int
crypto_random(void *p, size_t n)
{
	if (n > 0x7fffffff)
		return -1;
	return RAND_bytes(p, (int)n) == 1 ? 0 : -1;
}

void
crypto_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}

int
crypto_memcmp(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0 ? 0 : 1;
}
