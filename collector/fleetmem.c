#include <stdlib.h>
#include <string.h>

#include "fleetmem.h"

#define CHUNK		256	/* hosts per allocation: pointers stay put */

/* open addressing, linear probing; slots hold index + 1, 0 empty */
struct fm_index {
	uint32_t	*slot;
	size_t		 cap;		/* a power of 2 */
	size_t		 n;
};

struct fleetmem {
	struct fm_host	**chunks;
	size_t		 nchunks;
	size_t		 n;		/* hosts */
	struct fm_index	 hosts;		/* name -> host index */
	/* interned strings, NUL-terminated back to back; offset 0 is "" */
	char		*arena;
	size_t		 alen, acap;
	struct fm_index	 strs;		/* text -> offset */
	size_t		 name_bytes;	/* host names' */
};

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static struct fm_host *
host_at(const struct fleetmem *fm, size_t i)
{
	return &fm->chunks[i / CHUNK][i % CHUNK];
}

struct fleetmem *
fleetmem_new(void)
{
	struct fleetmem *fm;

	if ((fm = calloc(1, sizeof(*fm))) == NULL)
		return NULL;
	if ((fm->arena = malloc(4096)) == NULL) {
		free(fm);
		return NULL;
	}
	fm->arena[0] = '\0';
	fm->alen = 1;
	fm->acap = 4096;
	return fm;
}

void
fleetmem_free(struct fleetmem *fm)
{
	if (fm == NULL)
		return;
	for (size_t i = 0; i < fm->n; i++) {
		struct fm_host *h = host_at(fm, i);

		free((char *)h->name);
		free(h->s);
		free(h->next);
	}
	for (size_t c = 0; c < fm->nchunks; c++)
		free(fm->chunks[c]);
	free(fm->chunks);
	free(fm->hosts.slot);
	free(fm->strs.slot);
	free(fm->arena);
	free(fm);
}

/* --- the two indexes ----------------------------------------------------- */

static const char *
host_key(const struct fleetmem *fm, uint32_t v)
{
	return host_at(fm, v)->name;
}

static const char *
str_key(const struct fleetmem *fm, uint32_t v)
{
	return fm->arena + v;
}

/* The slot of key, or the empty one where it would go. */
static uint32_t *
index_slot(const struct fleetmem *fm, const struct fm_index *ix,
    const char *key, const char *(*keyof)(const struct fleetmem *, uint32_t))
{
	size_t i, mask = ix->cap - 1;

	for (i = hash_str(key) & mask;; i = (i + 1) & mask) {
		uint32_t *s = &ix->slot[i];

		if (*s == 0 || strcmp(keyof(fm, *s - 1), key) == 0)
			return s;
	}
}

/* Room for one more at a load of 1/2 at most.  -1 on ENOMEM. */
static int
index_grow(const struct fleetmem *fm, struct fm_index *ix,
    const char *(*keyof)(const struct fleetmem *, uint32_t))
{
	struct fm_index nx;

	if ((ix->n + 1) * 2 <= ix->cap)
		return 0;
	nx.cap = ix->cap ? ix->cap * 2 : 64;
	nx.n = ix->n;
	if ((nx.slot = calloc(nx.cap, sizeof(*nx.slot))) == NULL)
		return -1;
	for (size_t i = 0; i < ix->cap; i++)
		if (ix->slot[i] != 0)
			*index_slot(fm, &nx, keyof(fm, ix->slot[i] - 1),
			    keyof) = ix->slot[i];
	free(ix->slot);
	*ix = nx;
	return 0;
}

/* --- strings ------------------------------------------------------------------ */

uint32_t
fleetmem_intern(struct fleetmem *fm, const char *s)
{
	size_t len = strlen(s);
	uint32_t *slot;

	if (len == 0)
		return 0;
	if (fm->strs.cap > 0 && *(slot = index_slot(fm, &fm->strs, s,
	    str_key)) != 0)
		return *slot - 1;
	if (fm->alen + len + 1 > UINT32_MAX - 1 ||
	    index_grow(fm, &fm->strs, str_key) != 0)
		return 0;
	if (fm->alen + len + 1 > fm->acap) {
		size_t cap = fm->acap * 2;
		char *a;

		while (cap < fm->alen + len + 1)
			cap *= 2;
		if ((a = realloc(fm->arena, cap)) == NULL)
			return 0;
		fm->arena = a;
		fm->acap = cap;
	}
	memcpy(fm->arena + fm->alen, s, len + 1);
	slot = index_slot(fm, &fm->strs, s, str_key);
	*slot = (uint32_t)fm->alen + 1;
	fm->strs.n++;
	fm->alen += len + 1;
	return *slot - 1;
}

const char *
fleetmem_str(const struct fleetmem *fm, uint32_t id)
{
	return id < fm->alen ? fm->arena + id : "";
}

/* --- hosts ---------------------------------------------------------------------- */

struct fm_host *
fleetmem_host(struct fleetmem *fm, const char *name)
{
	struct fm_host *h;
	uint32_t *slot;

	if (fm->hosts.cap > 0 && *(slot = index_slot(fm, &fm->hosts, name,
	    host_key)) != 0)
		return host_at(fm, *slot - 1);
	if (fm->n >= UINT32_MAX - 1 ||
	    index_grow(fm, &fm->hosts, host_key) != 0)
		return NULL;
	if (fm->n == fm->nchunks * CHUNK) {
		struct fm_host **c, *one;

		if ((one = calloc(CHUNK, sizeof(*one))) == NULL)
			return NULL;
		if ((c = realloc(fm->chunks, (fm->nchunks + 1) *
		    sizeof(*c))) == NULL) {
			free(one);
			return NULL;
		}
		c[fm->nchunks++] = one;
		fm->chunks = c;
	}
	h = host_at(fm, fm->n);
	memset(h, 0, sizeof(*h));
	if ((h->name = strdup(name)) == NULL)
		return NULL;
	fm->name_bytes += strlen(name) + 1;
	slot = index_slot(fm, &fm->hosts, name, host_key);
	*slot = (uint32_t)fm->n + 1;
	fm->hosts.n++;
	fm->n++;
	return h;
}

const struct fm_host *
fleetmem_find(const struct fleetmem *fm, const char *name)
{
	uint32_t *slot;

	if (fm->hosts.cap == 0 ||
	    *(slot = index_slot(fm, &fm->hosts, name, host_key)) == 0)
		return NULL;
	return host_at(fm, *slot - 1);
}

size_t
fleetmem_count(const struct fleetmem *fm)
{
	return fm->n;
}

const struct fm_host *
fleetmem_at(const struct fleetmem *fm, size_t i)
{
	return i < fm->n ? host_at(fm, i) : NULL;
}

size_t
fleetmem_bytes(const struct fleetmem *fm)
{
	size_t b = sizeof(*fm) + fm->nchunks * (CHUNK * sizeof(struct fm_host)
	    + sizeof(struct fm_host *)) + fm->acap + fm->name_bytes +
	    (fm->hosts.cap + fm->strs.cap) * sizeof(uint32_t);

	for (size_t i = 0; i < fm->n; i++) {
		const struct fm_host *h = host_at(fm, i);

		b += h->ns * sizeof(*h->s) + h->capnext * sizeof(*h->next);
	}
	return b;
}

/* --- one host's sweep ------------------------------------------------------- */

void
fm_begin(struct fm_host *h)
{
	h->got = 0;
}

void
fm_devid(struct fm_host *h, uint32_t manufacturer, uint16_t product,
    uint8_t fw_major, uint8_t fw_minor, uint8_t ipmi_version)
{
	h->manufacturer = manufacturer;
	h->product = product;
	h->fw_major = fw_major;
	h->fw_minor = fw_minor;
	h->ipmi_version = ipmi_version;
	h->have |= FM_H_DEVID;
	h->got |= FM_H_DEVID;
}

void
fm_sysfw(struct fleetmem *fm, struct fm_host *h, const char *version)
{
	if ((h->sysfw = fleetmem_intern(fm, version)) == 0)
		return;
	h->have |= FM_H_SYSFW;
	h->got |= FM_H_SYSFW;
}

void
fm_chassis(struct fm_host *h, int power_on, uint8_t misc)
{
	h->power_on = power_on != 0;
	h->chassis_misc = misc;
	h->have |= FM_H_CHASSIS;
	h->got |= FM_H_CHASSIS;
}

int
fm_sensors_begin(struct fm_host *h, size_t expect)
{
	h->nnext = 0;
	if (expect > h->capnext && expect < UINT32_MAX) {
		struct fm_sensor *s;

		if ((s = realloc(h->next, expect * sizeof(*s))) == NULL)
			return -1;
		h->next = s;
		h->capnext = (uint32_t)expect;
	}
	return 0;
}

int
fm_sensor(struct fleetmem *fm, struct fm_host *h, uint16_t record_id,
    uint8_t number, uint8_t type, const char *name, const char *units,
    int threshold, int have_value, double value, int state)
{
	struct fm_sensor *s;

	if (h->nnext == h->capnext) {
		uint32_t cap = h->capnext ? h->capnext * 2 : 16;

		if ((s = realloc(h->next, cap * sizeof(*s))) == NULL)
			return -1;
		h->next = s;
		h->capnext = cap;
	}
	s = &h->next[h->nnext];
	s->value = have_value ? value : 0;
	s->flags = (uint8_t)((have_value ? FM_S_VALUE : 0) |
	    (threshold ? FM_S_THRESHOLD : 0));
	s->name = fleetmem_intern(fm, name);
	s->units = fleetmem_intern(fm, units != NULL ? units : "");
	s->record_id = record_id;
	s->number = number;
	s->type = type;
	s->state = (uint8_t)(state >= FM_NOMINAL && state <= FM_NA ? state :
	    FM_NA);
	h->nnext++;
	return 0;
}

void
fm_sensors_end(struct fm_host *h)
{
	struct fm_sensor *t;

	/* between sweeps a host holds one array, just long enough */
	free(h->s);
	h->s = h->next;
	h->ns = h->nnext;
	if (h->nnext < h->capnext && h->nnext > 0 && (t = realloc(h->s,
	    h->nnext * sizeof(*t))) != NULL)
		h->s = t;
	h->next = NULL;
	h->nnext = h->capnext = 0;
	h->have |= FM_H_SENSORS;
	h->got |= FM_H_SENSORS;
}

void
fm_sel(struct fm_host *h, uint16_t entries, uint16_t free_bytes)
{
	h->sel_entries = entries;
	h->sel_free = free_bytes;
	h->have |= FM_H_SEL;
	h->got |= FM_H_SEL;
}

void
fm_dcmi(struct fm_host *h, uint16_t watts)
{
	h->dcmi_watts = watts;
	h->have |= FM_H_DCMI;
	h->got |= FM_H_DCMI;
}

void
fm_end(struct fm_host *h, int up, int reason, uint64_t when_ms,
    uint32_t dur_ms)
{
	/* what this sweep did not get is no longer known, but for the BIOS
	 * version: the sweep asks it on the FRU interval only */
	h->have = (uint8_t)(h->got | FM_H_SWEPT | (h->have & FM_H_SYSFW));
	if (!(h->got & FM_H_SENSORS)) {
		free(h->s);
		h->s = NULL;
		h->ns = 0;
	}
	/* readings begun and not ended (the host failed mid-way) */
	free(h->next);
	h->next = NULL;
	h->nnext = h->capnext = 0;
	h->up = up != 0;
	h->reason = (uint8_t)(up ? 0 : reason);
	h->when_ms = when_ms;
	h->dur_ms = dur_ms;
	h->got = 0;
}
