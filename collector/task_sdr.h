/*
 * task_sdr: the BMC task "SDR repository (cached)": a host's SDR
 * repository from the on-disk cache (collector/sdrcache.h) when the
 * repository is unchanged, else read from the BMC and stored.  Direct
 * mode's sensors, sel and fru verbs run it inside their step functions
 * (the sweep keeps its repositories in memory and in the database:
 * collector/sweep.c):
 *
 *   Get Device ID -> Get SDR Repository Info -> cache hit: done
 *                                             -> miss: Reserve, Get SDR...
 *                                                -> store in the cache
 *
 * The walk's buffer is sized from the repository's record count once the
 * info is in, so a host with 40 sensors holds about 40 x 260 bytes while
 * its walk runs, and only the records' own bytes after it.
 */
#ifndef BMCFLEET_COLLECTOR_TASK_SDR_H
#define BMCFLEET_COLLECTOR_TASK_SDR_H

#include <stddef.h>
#include <stdint.h>

#include "collector/driver.h"
#include "ipmi/cmds.h"
#include "ipmi/sdr.h"

struct task_sdr {
	int		 phase;
	const char	*cache_dir;	/* NULL: no cache */
	struct sdr_walk	*w;		/* while walking */
	uint8_t		*buf;		/* records, malloc'd */
	size_t		 len;
	size_t		 cap;
	int		 from_cache;	/* 1: no Get SDR was sent */
	int		 stored;	/* the walk went into the cache */
	unsigned	 requests;	/* SDR commands sent */
	int		 last;		/* what the last request was */
	int		 soft;		/* a failure ends the load, not the host */
	int		 failed;	/* soft failure: err says why */
	char		 err[160];
	struct ipmi_device_id devid;
	int		 have_devid;	/* devid is in */
};

/*
 * Set up; cache_dir NULL disables the cache.  Never fails.  Set l->soft
 * for a verb that can do without the SDRs (fru): a failed load then ends
 * with DRV_STEP_DONE, l->failed and l->err instead of failing the host.
 */
void	task_sdr_init(struct task_sdr *, const char *cache_dir);
/*
 * Drive the load: rsp NULL on the first call, then each answer.  Returns
 * DRV_STEP_SEND with *req filled, DRV_STEP_DONE with the records in
 * l->buf[0..len) (none when a soft load failed), or DRV_STEP_FAIL after
 * driver_fail() on the host.
 */
enum drv_step task_sdr_step(struct task_sdr *, struct drv_target *,
	    const struct ipmi_response *, struct drv_request *);
/*
 * What names a repository (ipmi/sdr.h's sdr_repo_id) from the BMC's Get
 * Device ID and Get SDR Repository Info answers: the one way direct
 * mode's cache and the sweep's memory key it.
 */
void	task_sdr_repo_id(const struct ipmi_device_id *,
	    const struct ipmi_sdr_info_rsp *, struct sdr_repo_id *);

/* Free the buffers (the records too). */
void	task_sdr_release(struct task_sdr *);

#endif
