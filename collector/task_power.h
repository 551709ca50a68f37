/*
 * task_power: the BMC tasks "power status" (Get Chassis Status) and
 * "chassis control" (power on, off, cycle, reset, soft, diag), for direct
 * mode's power verbs, the power plans' executor and their status checks,
 * and the sweep's power state: one request each, one answer.
 *
 *   struct task_power t;
 *   task_power_init(&t, TASK_POWER_STATUS or IPMI_CHASSIS_*);
 *   first:  st = task_power_step(&t, NULL, req);
 *   then:   st = task_power_step(&t, rsp, req);
 *   DRV_STEP_DONE: t.have_power and t.power_on (status), or the control
 *   was accepted.  DRV_STEP_FAIL: t.err (enum ipmi_err) and t.why, the
 *   operator's words ("get chassis status: Node busy (0xc0)"); the task
 *   does not fail the host itself (the sweep carries on without a power
 *   state): the caller passes t.why to driver_fail() when it should.
 */
#ifndef BMCFLEET_COLLECTOR_TASK_POWER_H
#define BMCFLEET_COLLECTOR_TASK_POWER_H

#include "collector/driver.h"

#define TASK_POWER_STATUS	(-1)

struct task_power {
	int		 ctl;		/* TASK_POWER_STATUS or IPMI_CHASSIS_* */
	int		 have_power;
	int		 power_on;
	int		 err;
	char		 why[96];
};

void	task_power_init(struct task_power *, int ctl);
enum drv_step task_power_step(struct task_power *,
	    const struct ipmi_response *rsp, struct drv_request *req);

#endif
