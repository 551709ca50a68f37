/*
 * sdrmem: the collector's SDR repositories in memory, one per key, shared
 * by every BMC whose repository it is (a model).  A model holds what the
 * sweep needs of a repository: its sensors (ipmi/sensor.h's sensor_desc,
 * with their thresholds as JSON), its logical FRU devices, and its first
 * record, which a host's own is held to before it may use the model.
 *
 * Keys are ipmi/sdr.h's sdr_repo_key (what a BMC says about its
 * repository) ":" 16 hex digits of the SHA-256 of the records
 * (sdrmem_bind), so one key names one set of bytes: a walk never replaces
 * bytes other hosts use, and a BMC that lies about its repository gets its
 * own private model (sdrmem_model_new, priv), never another's.
 *
 * The memory is bounded: past SDRMEM_MODELS_MAX models or SDRMEM_BYTES_MAX
 * bytes the least recently used model no host holds goes, so a BMC whose
 * repository timestamps move on every request cannot grow it for ever.
 */
#ifndef BMCFLEET_COLLECTOR_SDRMEM_H
#define BMCFLEET_COLLECTOR_SDRMEM_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi/sdr.h"
#include "ipmi/sensor.h"

#define SDRMEM_KEY_MAX		128
#define SDRMEM_FRUS		16	/* logical FRU devices kept per model */
#define SDRMEM_MODELS_MAX	512
#define SDRMEM_BYTES_MAX	(64u << 20)

/* A sensor's threshold values as JSON ("" when none), beside its
 * description: decoded once per model, stored with every reading. */
struct sdrmem_thr {
	char		json[160];
};

/*
 * An SDR repository as every BMC with its key shares it.  The key binds
 * the bytes (sdrmem_bind); what a host can confirm cheaply is the
 * first record, kept whole to be compared with the host's own.
 */
struct sdr_model {
	char		 key[SDRMEM_KEY_MAX];
	size_t		 baselen;	/* key[0..baselen): sdr_repo_key's */
	uint8_t		 digest[32];	/* SHA-256 of the records */
	uint8_t		 first[SDR_RECORD_MAX];
	size_t		 first_len;	/* 0: no records */
	int		 priv;		/* one host's, in no list: freed by
					 * sdrmem_drop */
	struct sensor_desc *s;
	struct sdrmem_thr *thr;		/* s[i]'s thresholds */
	size_t		 n;
	uint8_t		 fru_ids[SDRMEM_FRUS];
	char		 fru_names[SDRMEM_FRUS][SDR_NAME_MAX];
	size_t		 nfru;
	size_t		 bytes;		/* what it holds, for the bound */
	uint64_t	 used;		/* the memory's tick when last handed out */
	unsigned	 refs;		/* hosts in flight that hold it */
	struct sdr_model *next;
};

struct sdrmem {
	struct sdr_model *models;
	size_t		 n;		/* models in the list */
	size_t		 bytes;		/* what they hold */
	uint64_t	 tick;
};

/*
 * base ":" the first 16 hex digits of the SHA-256 of recs[0..len): the key
 * a repository is kept under (here, in sdr_cache, in bmc_profile).  0, or
 * -1 when out does not hold it or the digest fails.
 */
int	sdrmem_bind(const char *base, const uint8_t *recs, size_t len,
	    char *out, size_t outlen);
/* A key's digest part as a number (what a host remembers); 0 if none. */
uint64_t sdrmem_key_id(const char *key);
/* The same of a model; never 0. */
uint64_t sdrmem_id(const struct sdr_model *);

/* Decode a repository into a model in no list; NULL when out of memory. */
struct sdr_model *sdrmem_model_new(const char *key, const uint8_t *recs,
	    size_t len);
struct sdr_model *sdrmem_lookup(const struct sdrmem *, const char *key);
/*
 * recs into the memory under key, which must be bound to them
 * (sdrmem_bind): 0 with *out the model (new, or held already with the
 * same digest), 1 when the key does not name these bytes or is held with
 * others (those stay), -1 when out of memory.
 */
int	sdrmem_add(struct sdrmem *, const char *key, const uint8_t *recs,
	    size_t len, struct sdr_model **out);
/* Hold m for a host until sdrmem_drop (a held model is never evicted);
 * a private model is freed by its last drop. */
const struct sdr_model *sdrmem_hold(struct sdrmem *, struct sdr_model *);
void	sdrmem_drop(const struct sdr_model *);
/* Whether m is held under base (blen bytes of sdr_repo_key's). */
int	sdrmem_of(const struct sdr_model *, const char *base, size_t blen);
/*
 * Whether m's first record starts with the len bytes a BMC gave for its
 * own: the header at least, all of it when it came whole; len 0 is a BMC
 * without a first record.
 */
int	sdrmem_first_is(const struct sdr_model *, const uint8_t *p,
	    size_t len);
/* Free every model. */
void	sdrmem_free(struct sdrmem *);

#endif
