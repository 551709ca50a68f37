#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ipmi/sensor.h"
#include "sensorids.h"

/*
 * 32 bytes a sensor: its ID and its BMC's go in one word, the BMC as an
 * index into the map's table of BMC IDs (a fleet has a few thousand BMCs
 * for hundreds of thousands of sensors).  An ID past what the word holds
 * is not learnt: the sensor stays unknown and its readings go by name,
 * as on ENOMEM; nothing is ever filed under a truncated ID.
 */
#define SID_ID_BITS	40
#define SID_BMC_BITS	(64 - SID_ID_BITS)
#define SID_ID_MAX	((1LL << SID_ID_BITS) - 1)
#define SID_BMC_MAX	((1u << SID_BMC_BITS) - 1)

/*
 * The state word: the time of the last reading by ID (unix ms, 42 bits:
 * until 2109) under the state remembered: known (1 bit), NULL discrete
 * bits or not (1), health + 1 (4: 0 no state), the bits (16).
 */
#define ST_TS_BITS	42
#define ST_TS_MASK	((1ULL << ST_TS_BITS) - 1)
#define ST_KNOWN	(1ULL << 63)
#define ST_HAS_BITS	(1ULL << 62)
#define ST_HEALTH_SHIFT	58
#define ST_BITS_SHIFT	ST_TS_BITS
#define ST_STATE_MASK	(~ST_TS_MASK)

struct sid {
	uint64_t	key;		/* 0: empty slot */
	uint64_t	meta;		/* 0: not seen by this process */
	uint64_t	tsst;		/* the state word, above */
	uint64_t	idb;		/* id << SID_BMC_BITS | BMC index */
};

/* A BMC's digest as this process believes the database holds it, and
 * its claim for the batch being filled. */
struct sbmc {
	int64_t		digest;
	int64_t		claim;
	uint32_t	claim_batch;	/* the batch it was taken for */
	uint8_t		known;		/* digest learnt (and kept since) */
	uint8_t		claim_ok;
};

struct sensor_ids {
	struct sid	*v;
	size_t		 cap;		/* a power of 2, or 0 */
	size_t		 n;
	long long	 max_id;
	/* the BMCs' IDs by index, and the index by ID (open addressing,
	 * index + 1, 0 empty) */
	long long	*bmcs;
	struct sbmc	*bst;		/* beside bmcs, by index */
	size_t		 nbmcs, bcap;
	uint32_t	*bslot;
	size_t		 bslots;	/* a power of 2, or 0 */
	uint32_t	 last;		/* the index put last, + 1 (0: none) */
	struct sid	*hit;		/* what sids_get found last */
	uint32_t	 batch;		/* the batch being filled, from 1 */
	uint32_t	*claimed;	/* BMC indexes with its claim */
	size_t		 nclaimed, claimcap;
};

#define FNV_OFF		0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* A string and its end (NULL apart from ""). */
static uint64_t
fnv_str(uint64_t h, const char *s)
{
	static const unsigned char null_mark = 0xff, end = 0;

	if (s == NULL)
		return fnv(h, &null_mark, 1);
	return fnv(fnv(h, s, strlen(s)), &end, 1);
}

static uint64_t
fnv_int(uint64_t h, long long v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)((unsigned long long)v >> (8 * i));
	return fnv(h, b, sizeof(b));
}

/* splitmix64's finalizer: every bit of h moves the slot */
static uint64_t
mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h != 0 ? h : 1;
}

uint64_t
sids_key(const char *bmc, int owner, int number, const char *name)
{
	uint64_t h = fnv_str(FNV_OFF, bmc);

	h = fnv_int(h, owner);
	h = fnv_int(h, number);
	return mix(fnv_str(h, name));
}

struct piece {
	const char	*p;
	size_t		 n;
};

struct pair {
	struct piece	 k, v;
};

/* jsonb's order of keys: shorter first, then bytewise */
static int
pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->k.n != y->k.n)
		return x->k.n < y->k.n ? -1 : 1;
	return memcmp(x->k.p, y->k.p, x->k.n);
}

/*
 * A flat object of numbers as the collector writes it and as jsonb gives
 * it back (keys sorted, its own spacing) hashes the same: its pairs are
 * hashed in jsonb's key order, spaces left out.  Anything else (a nested
 * value, a string with a comma) is hashed as it is: at worst the sensor
 * goes by name once more.
 */
static uint64_t
fnv_thresholds(uint64_t h, const char *s)
{
	struct pair v[16];
	size_t n = 0;
	const char *p;

	if (s == NULL || *s != '{')
		return fnv_str(h, s);
	for (p = s + 1; *p != '\0' && *p != '}'; ) {
		const char *e;

		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '}')
			break;
		if (*p != '"' || (e = strchr(p + 1, '"')) == NULL ||
		    n == sizeof(v) / sizeof(v[0]))
			return fnv_str(h, s);
		v[n].k.p = p + 1;
		v[n].k.n = (size_t)(e - p - 1);
		p = e + 1;
		while (*p == ' ' || *p == ':')
			p++;
		v[n].v.p = p;
		while (*p != '\0' && *p != ',' && *p != '}' && *p != ' ')
			p++;
		v[n].v.n = (size_t)(p - v[n].v.p);
		if (v[n].v.n == 0 || memchr(v[n].v.p, '"', v[n].v.n) ||
		    memchr(v[n].v.p, '{', v[n].v.n) ||
		    memchr(v[n].v.p, '[', v[n].v.n))
			return fnv_str(h, s);
		n++;
		while (*p == ' ')
			p++;
	}
	if (*p != '}' || p[1] != '\0')
		return fnv_str(h, s);
	qsort(v, n, sizeof(v[0]), pair_cmp);
	h = fnv(h, "{", 1);
	for (size_t i = 0; i < n; i++) {
		h = fnv(fnv(h, v[i].k.p, v[i].k.n), ":", 1);
		h = fnv(fnv(h, v[i].v.p, v[i].v.n), ",", 1);
	}
	return h;
}

uint64_t
sids_meta(int record_id, const char *type, const char *kind,
    const char *units, const char *thresholds)
{
	uint64_t h = fnv_int(FNV_OFF, record_id);

	h = fnv_str(h, type);
	h = fnv_str(h, kind);
	h = fnv_str(h, units);
	return mix(fnv_thresholds(h, thresholds));
}

struct sensor_ids *
sids_new(void)
{
	struct sensor_ids *m = calloc(1, sizeof(struct sensor_ids));

	if (m != NULL)
		m->batch = 1;
	return m;
}

void
sids_free(struct sensor_ids *m)
{
	if (m == NULL)
		return;
	free(m->v);
	free(m->bmcs);
	free(m->bst);
	free(m->bslot);
	free(m->claimed);
	free(m);
}

static struct sid *
slot(const struct sensor_ids *m, uint64_t key)
{
	size_t i = (size_t)key & (m->cap - 1);

	while (m->v[i].key != 0 && m->v[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return &m->v[i];
}

static int
grow(struct sensor_ids *m)
{
	struct sensor_ids t = *m;

	t.cap = m->cap ? m->cap * 2 : 1024;
	if ((t.v = calloc(t.cap, sizeof(*t.v))) == NULL)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].key != 0)
			*slot(&t, m->v[i].key) = m->v[i];
	free(m->v);
	*m = t;
	return 0;
}

static size_t
bmc_slot(const struct sensor_ids *m, long long bmc_id)
{
	size_t i = (size_t)mix((uint64_t)bmc_id) & (m->bslots - 1);

	while (m->bslot[i] != 0 && m->bmcs[m->bslot[i] - 1] != bmc_id)
		i = (i + 1) & (m->bslots - 1);
	return i;
}

/* bmc_id's index in m->bmcs, added if new; -1 on ENOMEM or when the
 * index would not fit its bits */
static long long
bmc_index(struct sensor_ids *m, long long bmc_id)
{
	size_t i;

	/* the preload gives a BMC's sensors together */
	if (m->last != 0 && m->bmcs[m->last - 1] == bmc_id)
		return m->last - 1;
	if ((m->nbmcs + 1) * 2 > m->bslots) {
		size_t nb = m->bslots ? m->bslots * 2 : 256;
		uint32_t *ns, *os = m->bslot;

		if ((ns = calloc(nb, sizeof(*ns))) == NULL)
			return -1;
		m->bslot = ns;
		m->bslots = nb;
		for (size_t k = 0; k < m->nbmcs; k++)
			ns[bmc_slot(m, m->bmcs[k])] = (uint32_t)k + 1;
		free(os);
	}
	i = bmc_slot(m, bmc_id);
	if (m->bslot[i] == 0) {
		if (m->nbmcs >= SID_BMC_MAX)
			return -1;
		if (m->nbmcs == m->bcap) {
			size_t nc = m->bcap ? m->bcap * 2 : 256;
			long long *nv;
			struct sbmc *ns;

			if ((nv = realloc(m->bmcs, nc * sizeof(*nv))) == NULL)
				return -1;
			m->bmcs = nv;
			if ((ns = realloc(m->bst, nc * sizeof(*ns))) == NULL)
				return -1;
			m->bst = ns;
			m->bcap = nc;
		}
		m->bmcs[m->nbmcs] = bmc_id;
		memset(&m->bst[m->nbmcs], 0, sizeof(m->bst[0]));
		m->bslot[i] = (uint32_t)++m->nbmcs;
	}
	m->last = m->bslot[i];
	return m->last - 1;
}

int
sids_put(struct sensor_ids *m, uint64_t key, uint64_t meta, long long id,
    long long bmc_id)
{
	struct sid *s;
	long long b;

	if (id < 0 || id > SID_ID_MAX)
		return -1;
	/* at most 3/4 full: 330,000 sensors in 16.8 MB, not 33.6 (with the
	 * table it replaces, the run's peak while it grows) */
	if ((m->n + 1) * 4 > m->cap * 3 && grow(m) != 0)
		return -1;
	if ((b = bmc_index(m, bmc_id)) < 0)
		return -1;
	s = slot(m, key);
	if (s->key == 0)
		m->n++;
	s->key = key;
	s->meta = meta;
	/* another sensor under the key (made again): its state unknown */
	if (s->idb != ((uint64_t)id << SID_BMC_BITS | (uint64_t)b))
		s->tsst &= ST_TS_MASK;
	s->idb = (uint64_t)id << SID_BMC_BITS | (uint64_t)b;
	if (id > m->max_id)
		m->max_id = id;
	return 0;
}

int
sids_get(struct sensor_ids *m, uint64_t key, uint64_t meta, uint64_t ts,
    long long *id, long long *bmc_id)
{
	struct sid *s;

	if (m == NULL || m->n == 0)
		return 0;
	m->hit = NULL;
	s = slot(m, key);
	if (s->key == 0)
		return 0;
	if (s->meta != meta) {
		s->meta = meta;
		return 0;
	}
	ts &= ST_TS_MASK;
	if ((s->tsst & ST_TS_MASK) == ts && ts != 0)
		return 2;
	s->tsst = (s->tsst & ST_STATE_MASK) | ts;
	*id = (long long)(s->idb >> SID_BMC_BITS);
	*bmc_id = m->bmcs[s->idb & SID_BMC_MAX];
	m->hit = s;
	return 1;
}

/* The state word's state part; health -1: none */
static uint64_t
st_word(int health, int has_states, unsigned states)
{
	uint64_t w = ST_KNOWN;

	if (health >= 0)
		w |= (uint64_t)(health + 1) << ST_HEALTH_SHIFT;
	if (has_states)
		w |= ST_HAS_BITS | (uint64_t)(states & 0xffff) << ST_BITS_SHIFT;
	return w;
}

int64_t
sids_state_hash(long long id, const char *state, int has_states,
    unsigned states)
{
	char text[96];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	uint64_t h = 0;
	int n;

	if (state == NULL)
		return 0;
	if (has_states)
		n = snprintf(text, sizeof(text), "%lld:%s:%u", id, state,
		    states);
	else
		n = snprintf(text, sizeof(text), "%lld:%s:", id, state);
	if (n < 0 || (size_t)n >= sizeof(text) ||
	    EVP_Digest(text, (size_t)n, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen < 8)
		return 0;
	for (int i = 0; i < 8; i++)
		h = h << 8 | md[i];
	return (int64_t)h;
}

/* The hash of a sensor's remembered state (word w) */
static int64_t
st_hash(const struct sid *s, uint64_t w)
{
	int health = (int)((w >> ST_HEALTH_SHIFT) & 15) - 1;

	if (health < 0)
		return 0;
	return sids_state_hash((long long)(s->idb >> SID_BMC_BITS),
	    sensor_health_name(health), (w & ST_HAS_BITS) != 0,
	    (unsigned)((w >> ST_BITS_SHIFT) & 0xffff));
}

int
sids_learn_state(struct sensor_ids *m, uint64_t key, const char *state,
    int has_states, unsigned states)
{
	struct sid *s;
	int health = -1;

	if (m == NULL || m->n == 0)
		return -1;
	s = slot(m, key);
	if (s->key == 0)
		return -1;
	if (state != NULL && ((health = sensor_health_parse(state)) < 0 ||
	    strcmp(state, sensor_health_name(health)) != 0 ||
	    states > 0xffff)) {
		s->tsst &= ST_TS_MASK;	/* not one of ours: unknown */
		return -1;
	}
	s->tsst = (s->tsst & ST_TS_MASK) | st_word(health, has_states, states);
	return 0;
}

/* The BMC index's claim for the batch being filled, taken if not yet */
static void
take_claim(struct sensor_ids *m, size_t b)
{
	struct sbmc *t = &m->bst[b];

	if (t->claim_batch == m->batch)
		return;
	if (m->nclaimed == m->claimcap) {
		size_t nc = m->claimcap ? m->claimcap * 2 : 256;
		uint32_t *nv = realloc(m->claimed, nc * sizeof(*nv));

		if (nv == NULL) {
			/* no room to say it: no claim, and the BMC's
			 * digest unknown until the database says it again
			 * (its same readings, if any, would lack one) */
			t->known = 0;
			return;
		}
		m->claimed = nv;
		m->claimcap = nc;
	}
	m->claimed[m->nclaimed++] = (uint32_t)b;
	t->claim_batch = m->batch;
	t->claim = t->digest;
	t->claim_ok = t->known;
}

void
sids_learn_digest(struct sensor_ids *m, long long bmc_id, int64_t digest)
{
	long long b;

	if (m == NULL || (b = bmc_index(m, bmc_id)) < 0)
		return;
	m->bst[b].digest = digest;
	m->bst[b].known = 1;
	if (m->bst[b].claim_batch == m->batch)
		m->bst[b].claim_ok = 0;
}

int
sids_same(struct sensor_ids *m, int health, int has_states, unsigned states)
{
	struct sid *s = m->hit;
	struct sbmc *t;
	uint64_t now;
	size_t b;

	if (s == NULL)
		return 0;
	m->hit = NULL;
	b = (size_t)(s->idb & SID_BMC_MAX);
	t = &m->bst[b];
	take_claim(m, b);
	if (t->claim_batch != m->batch || !t->known)
		return 0;
	/* no reading: never a state change (the trigger skips them) */
	if (health == SENSOR_NA)
		return 1;
	now = st_word(health, has_states, states);
	if ((s->tsst & ST_KNOWN) && (s->tsst & ST_STATE_MASK) == now)
		return 1;
	if (s->tsst & ST_KNOWN)
		t->digest ^= st_hash(s, s->tsst) ^ st_hash(s, now);
	else
		t->known = 0;	/* its old state unknown: so is the digest */
	s->tsst = (s->tsst & ST_TS_MASK) | now;
	return 0;
}

void
sids_claims(struct sensor_ids *m, void (*each)(void *, long long, int,
    int64_t), void *arg)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->nclaimed; i++) {
		const struct sbmc *t = &m->bst[m->claimed[i]];

		each(arg, m->bmcs[m->claimed[i]], t->claim_ok, t->claim);
	}
	m->nclaimed = 0;
	if (++m->batch == 0)
		m->batch = 1;
}

long long
sids_max_id(const struct sensor_ids *m)
{
	return m->max_id;
}

size_t
sids_count(const struct sensor_ids *m)
{
	return m->n;
}
