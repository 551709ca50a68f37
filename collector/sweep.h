/*
 * sweep: the per-BMC collection pipeline, as a step function for the
 * driver (collector/driver.h), writing what it learns as rows
 * (collector/rows.h):
 *
 *   Get Device ID -> Get Chassis Status -> Get SDR Repository Info
 *     -> the SDR repository from memory (shared by every BMC of one
 *        model, firmware and repository timestamps whose own first
 *        record matches it: one Get SDR) or walked
 *   -> FRU devices, when due (fru_interval since the last read)
 *   -> one Get Sensor Reading per sensor the BMC owns
 *   -> Get SEL Info; the SEL walked only when its info changed since the
 *      cursor (entries, add and erase timestamps)
 *   -> DCMI power reading, unless the BMC said it has none
 *   -> done: profile, power state and the BMC's result row
 *
 * A host that fails mid-way keeps the rows it produced (a reading is a
 * reading) and gets a result row with the reason.  SEL cursor rows follow
 * their events, so a batch never holds a cursor ahead of its events.
 *
 * Memory: struct sweep_host is the caller's and lives across sweeps (the
 * SEL cursor, FRU and DCMI memory are in it); the work of one host in
 * flight (about 10 KiB plus its SEL and FRU bytes) is allocated when its
 * session opens and freed when it ends.
 */
#ifndef BMCFLEET_COLLECTOR_SWEEP_H
#define BMCFLEET_COLLECTOR_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "collector/driver.h"
#include "collector/rows.h"

struct fleetmem;
struct sweep;
struct sweep_work;

enum {
	SWEEP_SENSORS = 1 << 0,
	SWEEP_SEL = 1 << 1,
	SWEEP_FRU = 1 << 2,
	SWEEP_DCMI = 1 << 3,
	SWEEP_ALL = 0x0f,
};

struct sweep_cfg {
	const char	*run_key;	/* copied */
	unsigned	 what;		/* SWEEP_* */
	uint64_t	 fru_interval_ms; /* 0: every sweep */
	/* called after a step or a host's end, when rows hold >= flush_bytes */
	size_t		 flush_bytes;
	void		(*flush)(void *arg);
	void		*flush_arg;
	/* wall clock, unix ms: row times; NULL = the real clock */
	uint64_t	(*clock)(void *arg);
	void		*clock_arg;
	/* the latest sweep of each host, kept for bmcfleetd's /metrics
	 * (collector/fleetmem.h); NULL: none kept */
	struct fleetmem	*mem;
	/* the database IDs of the sensors known (collector/sensorids.h):
	 * their readings go by ID; NULL: every reading by name */
	struct sensor_ids *ids;
};

struct sweep_host {
	struct drv_target t;		/* first: the driver's view */
	/* kept across sweeps */
	int		 have_cursor;
	uint16_t	 sel_entries;
	uint32_t	 sel_add_ts;
	uint32_t	 sel_erase_ts;
	uint16_t	 sel_last_id;
	uint64_t	 fru_read_ms;	/* unix ms of the last FRU read, 0 never */
	int		 no_dcmi;	/* the BMC refused DCMI: ask no more */
	int		 no_sysfw;	/* ...Get System Info Parameters */
	/* the SDR probe (its first record, read to confirm a repository
	 * in memory is its own) */
	uint8_t		 sdr_probe_max;	/* bytes one Get SDR may ask, 0 any */
	uint8_t		 sdr_probe_resv; /* it wants a reservation first */
	uint64_t	 sdr_used;	/* the repository it used last: its
					 * digest's first 8 bytes, 0 none */
	uint8_t		 guid[16];	/* Get Device GUID, wire order */
	int		 have_guid;
	/* this sweep */
	struct sweep_work *w;
	unsigned	 readings;
	unsigned	 events;	/* SEL entries read */
	unsigned	 frus;
	uint64_t	 started_ms;
};

struct sweep_stats {
	size_t		 ok, failed;
	size_t		 by_reason[DRV_FAIL_LAST + 1];
	size_t		 readings, events, frus;
	size_t		 sdr_walks;	/* repositories read from BMCs */
	size_t		 sdr_hits;	/* hosts served from memory */
	/* hosts that waited for another's walk of their repository */
	size_t		 sdr_waits;
	/*
	 * hosts whose key the memory holds for other repositories only
	 * (their first record matched none, or several): they walked
	 * their own, kept under its own key
	 */
	size_t		 sdr_conflicts;
};

/* NULL on ENOMEM.  rows is the caller's; the sweep appends to it. */
struct sweep *sweep_new(const struct sweep_cfg *, struct rows *);
/*
 * A new run on the same sweep (a daemon's next interval): the run key
 * replaced, the statistics zeroed, the SDR memory kept.  -1 on ENOMEM.
 */
int	sweep_begin(struct sweep *, const char *run_key);
void	sweep_free(struct sweep *);

/*
 * Prime the SDR memory with a repository (records back to back) under
 * its key (sweep_sdr_bind), as the database's sdr_cache holds it.
 * Returns 0 when it is held (added, or held already with these bytes),
 * 1 when refused: the key does not name these records (another scheme's
 * key, or bytes that are not what the key's digest says) or the memory
 * holds the key with other bytes, which stay; -1 on ENOMEM.
 */
int	sweep_add_sdr(struct sweep *, const char *key, const uint8_t *recs,
	    size_t len);
/* Whether the SDR memory holds key. */
int	sweep_has_sdr(const struct sweep *, const char *key);
/*
 * Models in the SDR memory, and their bytes in *bytes (may be NULL).
 * Bounded (512 models, 64 MiB): past either, the least recently used one
 * no host in flight holds is dropped.
 */
size_t	sweep_models(const struct sweep *, size_t *bytes);

/* For struct driver_cfg: arg is the struct sweep, targets sweep_hosts. */
enum drv_step sweep_step(void *arg, struct drv_target *,
	    const struct ipmi_response *, struct drv_request *);
void	sweep_done(void *arg, struct drv_target *);

const struct sweep_stats *sweep_stats(const struct sweep *);
/* Free a host's work left by a sweep cut short (NULL work is fine). */
void	sweep_host_release(struct sweep_host *);

/*
 * A SEL entry (16 bytes) and the cursor after a read, as rows, for reads
 * outside a sweep (bmcfleetd's trap-triggered reads and light passes):
 * the same rows the sweep's SEL phase writes.  Sensor names come from
 * the repository of a host in a sweep only (h->w), else NULL.
 */
struct ipmi_sel_info_rsp;
void	sweep_emit_sel(struct sweep *, struct sweep_host *,
	    const uint8_t *rec);
void	sweep_emit_sel_cursor(struct sweep *, struct sweep_host *,
	    const struct ipmi_sel_info_rsp *, uint16_t last);

/* FRU fields as a flat JSON object ("board.serial": "...") into out. */
struct fru;
size_t	sweep_fru_json(const struct fru *, char *out, size_t cap);

#endif
