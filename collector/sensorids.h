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
 * 32 bytes a sensor (plus the table's slack, and 8 bytes a BMC).
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
/* The highest sensor ID learnt (the next load asks for those above). */
long long sids_max_id(const struct sensor_ids *);
size_t	sids_count(const struct sensor_ids *);

#endif
