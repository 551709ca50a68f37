/*
 * task_fru: the BMC task "FRU inventory" of one FRU device: Get FRU
 * Inventory Area Info, then Read FRU Data to the end of the area (ipmi/
 * fru.h's reader: chunks that shrink on refusal, busy retries), into a
 * buffer sized from the area info, so a 512-byte FRU costs 512 bytes.
 * Direct mode's `fru` and the sweep read every device through it; the
 * list of devices (0, then what the SDR's locator records name) and what
 * becomes of the image are theirs.
 *
 *   struct task_fru t;
 *   task_fru_init(&t, dev_id);
 *   first:  st = task_fru_step(&t, NULL, req);
 *   then:   st = task_fru_step(&t, rsp, req);
 *   until st == DRV_STEP_DONE (never FAIL: a device that cannot be read
 *   is an answer about that device, not the host).  Then t.rc is
 *   IPMI_WALK_DONE with t.rd.len bytes in t.buf (0: an empty device), or
 *   the walker's error (enum ipmi_err) with the completion code in
 *   t.rd.cc and what did arrive in t.buf.  task_fru_release frees it.
 */
#ifndef BMCFLEET_COLLECTOR_TASK_FRU_H
#define BMCFLEET_COLLECTOR_TASK_FRU_H

#include <stdint.h>

#include "collector/driver.h"
#include "ipmi/fru.h"

struct task_fru {
	struct fru_read	 rd;
	uint8_t		*buf;		/* the image, malloc'd */
	int		 rc;		/* when done: IPMI_WALK_DONE or < 0 */
	int		 oom;		/* rc is ours: no memory for the image */
};

void	task_fru_init(struct task_fru *, uint8_t dev_id);
enum drv_step task_fru_step(struct task_fru *,
	    const struct ipmi_response *rsp, struct drv_request *req);
void	task_fru_release(struct task_fru *);

#endif
