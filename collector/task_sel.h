/*
 * task_sel: the BMC task "SEL since a cursor": Get SEL Info, and when the
 * log is not what the cursor says it was (entries and the add and erase
 * timestamps), the whole walk (ipmi/sel.h's walker: Reserve SEL, Get SEL
 * Entry along the chain) into a buffer sized from the info.  Direct mode's
 * `sel list` (no cursor) and the sweep (the host's cursor) read the log
 * through it; what becomes of an entry is theirs.
 *
 *   struct task_sel t;
 *   task_sel_init(&t, cursor or NULL);
 *   first:  st = task_sel_step(&t, NULL, req);
 *   then:   st = task_sel_step(&t, rsp, req);
 *   until st != DRV_STEP_SEND.  DRV_STEP_DONE: t.unchanged (nothing read:
 *   the log is as the cursor says), or t.w->nrecords entries of
 *   SEL_ENTRY_LEN bytes in t.buf and the log's info in t.w->info.
 *   DRV_STEP_FAIL: t.err (enum ipmi_err), and when the walker knows,
 *   t.w->cc and t.w->why; the entries read before the failure stay.
 *   The task does not fail the host itself: the caller says why it
 *   stopped, in its own words.  task_sel_release frees it all.
 */
#ifndef BMCFLEET_COLLECTOR_TASK_SEL_H
#define BMCFLEET_COLLECTOR_TASK_SEL_H

#include <stddef.h>
#include <stdint.h>

#include "collector/driver.h"
#include "ipmi/sel.h"

/* What a host's log looked like when it was last read whole. */
struct task_sel_cursor {
	uint16_t	entries;
	uint32_t	add_ts;
	uint32_t	erase_ts;
};

struct task_sel {
	struct task_sel_cursor since;
	int		 have_since;
	struct sel_walk	*w;		/* from Get SEL Info's answer on,
					 * unless the log is unchanged */
	uint8_t		*buf;		/* the entries, malloc'd */
	int		 unchanged;
	/* Get SEL Info's answer, when it came (unchanged or not) */
	struct ipmi_sel_info_rsp info;
	int		 have_info;
	int		 err;		/* enum ipmi_err on DRV_STEP_FAIL */
};

/* since NULL: read the whole log whatever it looks like. */
void	task_sel_init(struct task_sel *, const struct task_sel_cursor *since);
enum drv_step task_sel_step(struct task_sel *,
	    const struct ipmi_response *rsp, struct drv_request *req);
void	task_sel_release(struct task_sel *);

#endif
