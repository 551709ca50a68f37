/* sdrmem: the collector's SDR repositories in memory; see sdrmem.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/sdrmem.h"
#include "collector/task_read.h"
#include "ipmi/crypto.h"
#include "lib/gbuf.h"
#include "lib/json.h"

#define DIGEST_LEN	32	/* SHA-256 of a repository's records */
#define DIGEST_HEX	16	/* its hex digits in a key */

static int
sdr_digest(const uint8_t *recs, size_t len, uint8_t out[DIGEST_LEN])
{
	struct crypto_seg seg = { recs, len };

	return crypto_digest(CRYPTO_SHA256, &seg, 1, out);
}

/* base (blen bytes) ":" the digest's first DIGEST_HEX hex digits */
static int
key_bind(const char *base, size_t blen, const uint8_t digest[DIGEST_LEN],
    char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	char *p = out;

	if (blen + 1 + DIGEST_HEX >= outlen)
		return -1;
	memmove(p, base, blen);
	p += blen;
	*p++ = ':';
	for (int i = 0; i < DIGEST_HEX / 2; i++) {
		*p++ = hex[digest[i] >> 4];
		*p++ = hex[digest[i] & 0xf];
	}
	*p = '\0';
	return 0;
}

int
sdrmem_bind(const char *base, const uint8_t *recs, size_t len, char *out,
    size_t outlen)
{
	uint8_t d[DIGEST_LEN];

	if (sdr_digest(recs, len, d) != 0)
		return -1;
	return key_bind(base, strlen(base), d, out, outlen);
}

static uint64_t
digest_id(const uint8_t d[DIGEST_LEN])
{
	uint64_t v = 0;

	for (int i = 0; i < DIGEST_HEX / 2; i++)
		v = v << 8 | d[i];
	return v != 0 ? v : 1;
}

uint64_t
sdrmem_key_id(const char *key)
{
	const char *p = strrchr(key, ':');
	uint64_t v = 0;

	if (p == NULL || strlen(++p) != DIGEST_HEX)
		return 0;
	for (; *p; p++) {
		int x = *p >= '0' && *p <= '9' ? *p - '0' :
		    *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;

		if (x < 0)
			return 0;
		v = v << 4 | (uint64_t)x;
	}
	return v != 0 ? v : 1;
}

static void
thresholds_json(const struct sensor_desc *s, struct sdrmem_thr *t)
{
	static const char *const names[SDR_TH_COUNT] = { "lnc", "lcr", "lnr",
	    "unc", "ucr", "unr" };
	struct gbuf b = GBUF_INIT;
	struct json j;
	char v[40];
	int n = 0;

	t->json[0] = '\0';
	if (s->kind != SENSOR_KIND_THRESHOLD || !s->analog)
		return;
	json_init(&j, &b, JSON_SPACED);
	json_obj(&j);
	for (int k = 0; k < SDR_TH_COUNT; k++) {
		double x;

		if (!(s->readable_th >> k & 1) ||
		    sensor_convert(&s->f, s->th_raw[k], &x) != 0 ||
		    !isfinite(x))
			continue;
		json_key(&j, names[k]);
		snprintf(v, sizeof(v), "%.10g", x);
		json_raw(&j, v);
		n++;
	}
	json_end(&j);
	/* none readable: no object at all */
	if (json_into(&j, t->json, sizeof(t->json)) == 0 || n == 0)
		t->json[0] = '\0';
}

/* Decode a repository into a model; NULL on ENOMEM. */
struct sdr_model *
sdrmem_model_new(const char *key, const uint8_t *recs, size_t len)
{
	struct sdr_model *m;
	struct sdr_iter *it;
	struct sdr_record rec;
	const uint8_t *raw;
	size_t off = 0, rlen;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((it = malloc(sizeof(*it))) == NULL) {
		free(m);
		return NULL;
	}
	snprintf(m->key, sizeof(m->key), "%s", key);
	if (sdr_next_record(recs, len, &off, &raw, &rlen) == 1 &&
	    rlen <= sizeof(m->first)) {
		memcpy(m->first, raw, rlen);
		m->first_len = rlen;
	}
	sdr_iter_init(it, recs, len);
	while (sdr_iter_next(it, &rec)) {
		if (rec.type == SDR_TYPE_FRU_LOCATOR) {
			/* logical FRU devices behind the BMC itself */
			if (rec.u.fru.logical &&
			    (rec.u.fru.access_addr & 0xfe) == SENSOR_OWNER_BMC &&
			    rec.u.fru.fru_id != 0 && m->nfru < SDRMEM_FRUS) {
				m->fru_ids[m->nfru] = rec.u.fru.fru_id;
				snprintf(m->fru_names[m->nfru],
				    sizeof(m->fru_names[0]), "%s",
				    rec.u.fru.id.text);
				m->nfru++;
			}
			continue;
		}
	}
	free(it);
	if (task_read_list(recs, len, &m->s, &m->n) != 0 ||
	    (m->n > 0 && (m->thr = malloc(m->n * sizeof(*m->thr))) == NULL)) {
		free(m->s);
		free(m);
		return NULL;
	}
	for (size_t i = 0; i < m->n; i++)
		thresholds_json(&m->s[i], &m->thr[i]);
	return m;
}

struct sdr_model *
sdrmem_lookup(const struct sdrmem *mem, const char *key)
{
	for (struct sdr_model *m = mem->models; m != NULL; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

/* Hold m for a host (refs) until work_free. */
const struct sdr_model *
sdrmem_hold(struct sdrmem *mem, struct sdr_model *m)
{
	if (m != NULL) {
		m->used = ++mem->tick;
		m->refs++;
	}
	return m;
}

static void
model_free(struct sdr_model *m)
{
	free(m->s);
	free(m->thr);
	free(m);
}

void
sdrmem_drop(const struct sdr_model *cm)
{
	struct sdr_model *m = (struct sdr_model *)cm;

	if (m != NULL && m->refs > 0)
		m->refs--;
	if (m != NULL && m->priv && m->refs == 0)
		model_free(m);
}

/* Evict least recently used models no host holds, down to the bounds. */
static void
trim(struct sdrmem *mem, const struct sdr_model *keep)
{
	while (mem->n > SDRMEM_MODELS_MAX ||
	    mem->bytes > SDRMEM_BYTES_MAX) {
		struct sdr_model **pp, **victim = NULL;

		for (pp = &mem->models; *pp != NULL; pp = &(*pp)->next)
			if ((*pp)->refs == 0 && *pp != keep &&
			    (victim == NULL || (*pp)->used < (*victim)->used))
				victim = pp;
		if (victim == NULL)
			return;		/* every model is in use */
		{
			struct sdr_model *m = *victim;

			*victim = m->next;
			mem->n--;
			mem->bytes -= m->bytes;
			model_free(m);
		}
	}
}

/*
 * A repository into the memory under key, which must be bound to its
 * bytes (sdrmem_bind): 0 with *out the model (new, or held already
 * with the same digest), 1 when the key does not name these bytes or is
 * held with others (those stay: a walk never replaces what other hosts
 * use), -1 on ENOMEM.
 */
int
sdrmem_add(struct sdrmem *mem, const char *key, const uint8_t *recs, size_t len,
    struct sdr_model **out)
{
	struct sdr_model *m;
	uint8_t d[DIGEST_LEN];
	char want[SDRMEM_KEY_MAX];
	const char *colon = strrchr(key, ':');
	size_t baselen;

	if (colon == NULL || sdr_digest(recs, len, d) != 0)
		return 1;
	baselen = (size_t)(colon - key);
	if (key_bind(key, baselen, d, want, sizeof(want)) != 0 ||
	    strcmp(want, key) != 0)
		return 1;
	if ((m = sdrmem_lookup(mem, key)) != NULL) {
		if (memcmp(m->digest, d, sizeof(d)) != 0)
			return 1;
		*out = m;
		return 0;
	}
	if ((m = sdrmem_model_new(key, recs, len)) == NULL)
		return -1;
	m->baselen = baselen;
	memcpy(m->digest, d, sizeof(d));
	m->bytes = sizeof(*m) + m->n * (sizeof(*m->s) + sizeof(*m->thr));
	m->used = ++mem->tick;
	m->next = mem->models;
	mem->models = m;
	mem->n++;
	mem->bytes += m->bytes;
	trim(mem, m);
	*out = m;
	return 0;
}

/* Whether m is held under base, what a BMC says about its repository. */
int
sdrmem_of(const struct sdr_model *m, const char *base, size_t blen)
{
	return m->baselen == blen && memcmp(m->key, base, blen) == 0;
}

/*
 * Whether m's first record starts with the len bytes a BMC gave for its
 * own: the header at least (record ID, type and length), all of it when
 * it came whole; len 0 is a BMC that has no first record (CBh).
 */
int
sdrmem_first_is(const struct sdr_model *m, const uint8_t *p, size_t len)
{
	if (len == 0)
		return m->first_len == 0;
	return len >= SDR_HDR_LEN && len <= m->first_len &&
	    memcmp(m->first, p, len) == 0;
}


uint64_t
sdrmem_id(const struct sdr_model *m)
{
	return digest_id(m->digest);
}

void
sdrmem_free(struct sdrmem *mem)
{
	struct sdr_model *m, *next;

	for (m = mem->models; m != NULL; m = next) {
		next = m->next;
		model_free(m);
	}
	memset(mem, 0, sizeof(*mem));
}
