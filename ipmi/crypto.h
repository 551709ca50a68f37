/*
 * crypto: the one facade over OpenSSL.  No other file includes <openssl/...>.
 *
 * All functions return 0 on success and -1 on failure (an OpenSSL error, or
 * an argument out of range); outputs are written only on success.
 */
#ifndef BMCFLEET_IPMI_CRYPTO_H
#define BMCFLEET_IPMI_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

enum crypto_hash {
	CRYPTO_SHA1,	/* 20-byte digest */
	CRYPTO_SHA256,	/* 32-byte digest */
	CRYPTO_MD5,	/* 16-byte digest */
};

#define CRYPTO_MAX_DIGEST	32
#define CRYPTO_AES_BLOCK	16

size_t	crypto_hash_len(enum crypto_hash);

/* Plain digest of the concatenation of up to n segments. */
struct crypto_seg {
	const void	*p;
	size_t		 len;
};
int	crypto_digest(enum crypto_hash, const struct crypto_seg *, size_t n,
	    uint8_t *out);
/* HMAC over the concatenation of n segments; out gets crypto_hash_len bytes. */
int	crypto_hmac(enum crypto_hash, const void *key, size_t keylen,
	    const struct crypto_seg *, size_t n, uint8_t *out);

/*
 * AES-128-CBC without padding (IPMI does its own): len must be a multiple
 * of 16.  in and out may be the same buffer.
 */
int	crypto_aes128_cbc(int encrypt, const uint8_t key[16],
	    const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);

/* Cryptographically strong random bytes. */
int	crypto_random(void *, size_t);

/* Wipe key material so the compiler cannot optimise it away. */
void	crypto_wipe(void *, size_t);

/* Constant-time comparison: 0 when equal. */
int	crypto_memcmp(const void *, const void *, size_t);

#endif
