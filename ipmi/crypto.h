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

/*
 * Kept contexts for the per-packet path: keyed once per session, run per
 * packet with no allocation, no algorithm lookup and no key schedule.  The
 * algorithms behind them are fetched once per process, on first use, and
 * kept for its life (never freed: they stay reachable from static
 * pointers, so the leak checker does not count them).  Like the random
 * buffer below, those caches are not locked: bmcfleet is one thread.
 */
struct crypto_mac;
struct crypto_cbc;

/*
 * An HMAC keyed with key (keylen 0: the empty key).  NULL on failure.  The
 * caller frees it with crypto_mac_free(), which wipes the key state.
 */
struct crypto_mac *crypto_mac_new(enum crypto_hash, const void *key,
	    size_t keylen);
/* As crypto_hmac() with the kept key; the context is ready again after. */
int	crypto_mac_run(struct crypto_mac *, const struct crypto_seg *,
	    size_t n, uint8_t *out);
void	crypto_mac_free(struct crypto_mac *);

/*
 * AES-128-CBC in one direction (encrypt 1 or 0) with key.  It holds the
 * key only (about 40 bytes): the cipher contexts are one per direction
 * for the process (kept for its life, like the algorithms), re-keyed by
 * a run when another crypto_cbc's key is in them (about 50 ns), else
 * only given the run's IV.  NULL on failure; crypto_cbc_free() wipes the
 * key, and the shared context's schedule when its key is the one there.
 */
struct crypto_cbc *crypto_cbc_new(int encrypt, const uint8_t key[16]);
/* As crypto_aes128_cbc() with the kept key and direction. */
int	crypto_cbc_run(struct crypto_cbc *, const uint8_t iv[16],
	    const uint8_t *in, uint8_t *out, size_t len);
void	crypto_cbc_free(struct crypto_cbc *);

/*
 * Cryptographically strong random bytes.  Small draws come from a
 * per-process buffer that RAND_bytes fills 4 KiB at a time; bytes handed
 * out are wiped from it, so none is handed out twice.  The buffer is wiped
 * in a child at fork (MADV_WIPEONFORK, else a pthread_atfork handler): a
 * child never draws its parent's bytes.
 */
int	crypto_random(void *, size_t);

/* Wipe key material so the compiler cannot optimise it away. */
void	crypto_wipe(void *, size_t);

/* Constant-time comparison: 0 when equal. */
int	crypto_memcmp(const void *, const void *, size_t);

#endif
