/*
 * sensorids: the database IDs of the sensors the collector has seen, so
 * that a reading of a sensor the database already holds is written by
 * its IDs (RT_READING_ID: COPYed into sensor_reading, no name looked up)
 * and its metadata only when it is new or changed.  Pure: memory only.
 *
 * The IDs come from the database (collect's preload, each run: the
 * sensors created since the last load); a sensor is known by the hash of
 * (BMC name, owner, number, name), 64 bits, and its metadata by another
 * hash (of what the database holds, when learnt from it).  A reading
 * whose metadata differs from the hash goes by name, with the metadata
 * (the merge upserts it), and the next ones by ID while the metadata
 * stays the same.
 *
 * Each sensor's state as the database holds it, as far as this process
 * knows, and each BMC's digest of them (schema/008_state_claims.sql): a
 * reading by ID whose state repeats the remembered one goes with the
 * readings the database need not look at (RT_READING_SAME), under a claim
 * for its BMC (the digest as it stood before the batch's first reading
 * of that BMC); the database checks the claim, and a claim that does not
 * hold costs the lookups, never a state change.  Memory is updated as
 * readings are emitted, not as batches commit: a batch lost or set aside
 * leaves it wrong, its next claim fails, and the database's answer
 * (sids_learn_state and sids_learn_digest, from the writer's resync)
 * puts it right.
 *
 * 32 bytes a sensor (plus the table's slack), 32 a BMC.
 */
#ifndef BMCFLEET_COLLECTOR_SENSORIDS_H
#define BMCFLEET_COLLECTOR_SENSORIDS_H

#include <stddef.h>
#include <stdint.h>

struct sensor_ids;

struct sensor_ids *sids_new(void);
void	sids_free(struct sensor_ids *);

uint64_t sids_key(const char *bmc, int owner, int number, const char *name);
/* The metadata as emitted, or as the database holds it (NULL fields
 * allowed; thresholds hash the same whatever the order of their keys). */
uint64_t sids_meta(int record_id, const char *type, const char *kind,
	    const char *units, const char *thresholds);

/* Learnt from the database, with its metadata's hash: 0, or -1 on
 * ENOMEM, or for an id past 2^40 - 1 or a BMC past the 2^24 - 1st that
 * the entry's packed word cannot hold (the sensor stays unknown: its
 * readings go by name). */
int	sids_put(struct sensor_ids *, uint64_t key, uint64_t meta,
	    long long id, long long bmc_id);
/*
 * A reading of the sensor key with metadata meta at ts (unix ms): 1 with
 * its IDs when it can go by ID; 0 when it must go by name (unknown, or
 * its metadata differs from what was learnt, which is remembered: the
 * next one goes by ID); 2 when the sensor had a reading by ID at this ts
 * already (a BMC whose SDR lists one sensor twice): leave it out, as the
 * merge by name would (one reading per sensor and time; a batch of
 * readings by ID holding two is refused whole).
 */
int	sids_get(struct sensor_ids *, uint64_t key, uint64_t meta,
	    uint64_t ts, long long *id, long long *bmc_id);
/*
 * What the database holds of the sensor key: its state ("nominal", ...,
 * NULL for none yet) and discrete state bits (has_states 0: NULL).  0,
 * or -1 when the sensor is unknown or the state is not one this process
 * writes (the sensor's state stays unknown: its readings go the whole
 * way).
 */
int	sids_learn_state(struct sensor_ids *, uint64_t key, const char *state,
	    int has_states, unsigned states);
/*
 * What the database holds as bmc_id's digest, learnt together with the
 * states of all its sensors (in one snapshot): its claims can hold from
 * now.  A claim already taken for the batch being filled is withdrawn
 * (its readings were split by what was remembered before).
 */
void	sids_learn_digest(struct sensor_ids *, long long bmc_id,
	    int64_t digest);
/*
 * After sids_get returned 1: whether the reading (health as
 * sensor_health_name numbers it, has_states/states as written) repeats
 * the state remembered, so that it can go as RT_READING_SAME (1); 0 when
 * it must go the whole way, remembered as the sensor's state from now.
 * Takes the claim of the sensor's BMC for the batch being filled at its
 * first reading.
 */
int	sids_same(struct sensor_ids *, int health, int has_states,
	    unsigned states);
/*
 * The claims of the batch being filled, each(arg, bmc_id, ok, digest) (ok
 * 0: withdrawn, or the BMC's digest unknown: the claim cannot hold), then
 * a new batch begins.  Called once per batch, before it is handed over.
 */
void	sids_claims(struct sensor_ids *, void (*each)(void *, long long,
	    int, int64_t), void *arg);
/* A state's hash as bmcfleet_state_hash computes it (state NULL: 0). */
int64_t	sids_state_hash(long long id, const char *state, int has_states,
	    unsigned states);

/* The highest sensor ID learnt (the next load asks for those above). */
long long sids_max_id(const struct sensor_ids *);
size_t	sids_count(const struct sensor_ids *);

#endif
