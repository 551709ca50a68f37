#include <sys/mman.h>

#include <pthread.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "crypto.h"

static const char *
md_name(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_SHA1:
		return "SHA1";
	case CRYPTO_SHA256:
		return "SHA256";
	case CRYPTO_MD5:
		return "MD5";
	}
	return NULL;
}

/*
 * Algorithms are fetched once per process, on first use, and kept for its
 * life: a fetch (a lookup by name under the library's locks) costs more
 * than hashing a whole IPMI packet.  Never freed; they stay reachable from
 * these static pointers.
 */
static EVP_MD *
md(enum crypto_hash h)
{
	static EVP_MD *mds[3];

	if (md_name(h) == NULL)
		return NULL;
	if (mds[h] == NULL)
		mds[h] = EVP_MD_fetch(NULL, md_name(h), NULL);
	return mds[h];
}

static EVP_CIPHER *
aes128_cbc(void)
{
	static EVP_CIPHER *c;

	if (c == NULL)
		c = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
	return c;
}

static EVP_MAC *
hmac_impl(void)
{
	static EVP_MAC *mac;

	if (mac == NULL)
		mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	return mac;
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
	if (EVP_DigestInit_ex2(ctx, md(h), NULL) != 1)
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

/* A new HMAC context keyed with key, or NULL. */
static EVP_MAC_CTX *
hmac_new(enum crypto_hash h, const void *key, size_t keylen)
{
	EVP_MAC_CTX *ctx;
	OSSL_PARAM params[2];
	const char *name;

	if ((name = md_name(h)) == NULL || hmac_impl() == NULL ||
	    (ctx = EVP_MAC_CTX_new(hmac_impl())) == NULL)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)(uintptr_t)name, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* an empty key is legal in IPMI (null password) but not to OpenSSL */
	if (EVP_MAC_init(ctx, keylen > 0 ? key : (const void *)"", keylen > 0 ?
	    keylen : 0, params) != 1) {
		EVP_MAC_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* MAC the segments into out; the context keeps its key. */
static int
hmac_run(EVP_MAC_CTX *ctx, const struct crypto_seg *seg, size_t n,
    uint8_t *out)
{
	size_t i, olen;

	for (i = 0; i < n; i++)
		if (seg[i].len > 0 &&
		    EVP_MAC_update(ctx, seg[i].p, seg[i].len) != 1)
			return -1;
	if (EVP_MAC_final(ctx, out, &olen, CRYPTO_MAX_DIGEST) != 1)
		return -1;
	return 0;
}

int
crypto_hmac(enum crypto_hash h, const void *key, size_t keylen,
    const struct crypto_seg *seg, size_t n, uint8_t *out)
{
	EVP_MAC_CTX *ctx;
	int rc;

	if ((ctx = hmac_new(h, key, keylen)) == NULL)
		return -1;
	rc = hmac_run(ctx, seg, n, out);
	EVP_MAC_CTX_free(ctx);
	return rc;
}

struct crypto_mac {
	EVP_MAC_CTX	*ctx;
	int		 fresh;		/* keyed and not run yet */
};

struct crypto_mac *
crypto_mac_new(enum crypto_hash h, const void *key, size_t keylen)
{
	struct crypto_mac *m;

	if ((m = OPENSSL_zalloc(sizeof(*m))) == NULL)
		return NULL;
	if ((m->ctx = hmac_new(h, key, keylen)) == NULL) {
		OPENSSL_free(m);
		return NULL;
	}
	m->fresh = 1;
	return m;
}

int
crypto_mac_run(struct crypto_mac *m, const struct crypto_seg *seg, size_t n,
    uint8_t *out)
{
	/*
	 * HMAC initialised again without a key restarts from the kept inner
	 * and outer pad states: no allocation, no key hashing; cheaper than
	 * EVP_MAC_CTX_dup of a keyed template, which allocates the HMAC and
	 * three digest contexts every packet.  A failed run leaves the
	 * context mid-message: the next run re-inits it all the same.
	 */
	if (!m->fresh && EVP_MAC_init(m->ctx, NULL, 0, NULL) != 1)
		return -1;
	m->fresh = 0;
	return hmac_run(m->ctx, seg, n, out);
}

void
crypto_mac_free(struct crypto_mac *m)
{
	if (m == NULL)
		return;
	EVP_MAC_CTX_free(m->ctx);	/* cleanses the keyed pad states */
	OPENSSL_free(m);
}

/* An AES-128-CBC context keyed for one direction, no padding, or NULL. */
static EVP_CIPHER_CTX *
cbc_new(int encrypt, const uint8_t key[16], const uint8_t iv[16])
{
	EVP_CIPHER_CTX *ctx;

	if (aes128_cbc() == NULL || (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return NULL;
	if (EVP_CipherInit_ex2(ctx, aes128_cbc(), key, iv, encrypt, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static int
cbc_run(EVP_CIPHER_CTX *ctx, const uint8_t *in, uint8_t *out, size_t len)
{
	int olen;

	if (EVP_CipherUpdate(ctx, out, &olen, in, (int)len) != 1 ||
	    (size_t)olen != len)
		return -1;
	return 0;
}

int
crypto_aes128_cbc(int encrypt, const uint8_t key[16], const uint8_t iv[16],
    const uint8_t *in, uint8_t *out, size_t len)
{
	EVP_CIPHER_CTX *ctx;
	int rc;

	if (len % CRYPTO_AES_BLOCK != 0 || len > 0x7fffffff)
		return -1;
	if ((ctx = cbc_new(encrypt ? 1 : 0, key, iv)) == NULL)
		return -1;
	rc = cbc_run(ctx, in, out, len);
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

/*
 * One AES context per direction for the whole process, not two per
 * session: a provider's AES context with its EVP wrapper is about 630
 * bytes, 1.3 KB a session, 13 MB of the 10,000-BMC sweep's peak with
 * every session armed.  Each session keeps only its key; a run re-keys
 * the shared context when another session's key is in it (the key
 * schedule, about 50 ns with AES-NI, next to the 150 ns of a run) and
 * else only restarts the IV.  Not locked, like the caches above: one
 * thread.
 */
struct cbc_shared {
	EVP_CIPHER_CTX	*ctx;
	uint64_t	 gen;		/* whose key is in it; 0: none */
};
static struct cbc_shared cbc_dir[2];	/* [0] decrypt, [1] encrypt */
static uint64_t cbc_gen;

struct crypto_cbc {
	uint8_t		 key[16];
	uint64_t	 gen;		/* unique to this context, never 0 */
	int		 encrypt;
};

struct crypto_cbc *
crypto_cbc_new(int encrypt, const uint8_t key[16])
{
	struct crypto_cbc *c;

	/*
	 * One direction per context: the decryption key schedule is not the
	 * encryption one, and an IV-only re-init keeps whichever was built.
	 */
	encrypt = encrypt ? 1 : 0;
	if (cbc_dir[encrypt].ctx == NULL) {
		static const uint8_t zero[16];

		if ((cbc_dir[encrypt].ctx = cbc_new(encrypt, zero, zero)) ==
		    NULL)
			return NULL;
	}
	if ((c = OPENSSL_zalloc(sizeof(*c))) == NULL)
		return NULL;
	memcpy(c->key, key, sizeof(c->key));
	c->gen = ++cbc_gen;
	c->encrypt = encrypt;
	return c;
}

int
crypto_cbc_run(struct crypto_cbc *c, const uint8_t iv[16], const uint8_t *in,
    uint8_t *out, size_t len)
{
	struct cbc_shared *d = &cbc_dir[c->encrypt];
	const uint8_t *key = NULL;

	if (len % CRYPTO_AES_BLOCK != 0 || len > 0x7fffffff)
		return -1;
	/* another key in it: its schedule is built again (a failure leaves
	 * no one's key known to be there) */
	if (d->gen != c->gen) {
		key = c->key;
		d->gen = 0;
	}
	/* the IV (and so the chaining) starts over */
	if (EVP_CipherInit_ex2(d->ctx, NULL, key, iv, c->encrypt, NULL) != 1)
		return -1;
	d->gen = c->gen;
	return cbc_run(d->ctx, in, out, len);
}

void
crypto_cbc_free(struct crypto_cbc *c)
{
	static const uint8_t zero[16];
	struct cbc_shared *d;

	if (c == NULL)
		return;
	/* its key schedule does not outlive it in the shared context */
	d = &cbc_dir[c->encrypt];
	if (d->gen == c->gen) {
		(void)EVP_CipherInit_ex2(d->ctx, NULL, zero, zero, c->encrypt,
		    NULL);
		d->gen = 0;
	}
	OPENSSL_clear_free(c, sizeof(*c));	/* wipes the key */
}

/*
 * The random buffer: one page holding its own count of unused bytes, so a
 * page the kernel zeroed in a fork child (MADV_WIPEONFORK) reads as empty.
 * Where the kernel lacks that, a pthread_atfork handler empties it in the
 * child instead.  Bytes are taken from the end and wiped as they go: none
 * is handed out twice.  Process-wide like the fetched algorithms: the one
 * random source every session shares.
 */
#define RND_PAGE	4096
struct rnd_pool {
	size_t	left;
	uint8_t	pad[8];
	uint8_t	bytes[RND_PAGE - 16];
};

static struct rnd_pool *rnd_pool;
static int rnd_tried;

static void
rnd_child(void)
{
	if (rnd_pool != NULL) {
		OPENSSL_cleanse(rnd_pool->bytes, sizeof(rnd_pool->bytes));
		rnd_pool->left = 0;
	}
}

static void
rnd_setup(void)
{
	void *p;

	rnd_tried = 1;
	p = mmap(NULL, RND_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return;
#ifdef MADV_WIPEONFORK
	if (madvise(p, RND_PAGE, MADV_WIPEONFORK) == 0) {
		rnd_pool = p;
		return;
	}
#endif
	if (pthread_atfork(NULL, NULL, rnd_child) != 0) {
		munmap(p, RND_PAGE);
		return;
	}
	rnd_pool = p;
}

int
crypto_random(void *p, size_t n)
{
	struct rnd_pool *r;
	uint8_t *src;

	if (n > 0x7fffffff)
		return -1;
	if (!rnd_tried)
		rnd_setup();
	/* no buffer (mmap refused), or a draw too big to be worth it */
	if ((r = rnd_pool) == NULL || n > sizeof(r->bytes) / 4)
		return RAND_bytes(p, (int)n) == 1 ? 0 : -1;
	if (n > r->left || r->left > sizeof(r->bytes)) {
		OPENSSL_cleanse(r->bytes, sizeof(r->bytes));
		r->left = 0;
		if (RAND_bytes(r->bytes, (int)sizeof(r->bytes)) != 1)
			return -1;
		r->left = sizeof(r->bytes);
	}
	src = r->bytes + r->left - n;
	memcpy(p, src, n);
	OPENSSL_cleanse(src, n);
	r->left -= n;
	return 0;
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
