/* task_power: power status and chassis control; see task_power.h. */
#include <stdio.h>
#include <string.h>

#include "collector/task_power.h"
#include "ipmi/buf.h"
#include "ipmi/cmds.h"
#include "ipmi/ipmi.h"

void
task_power_init(struct task_power *t, int ctl)
{
	memset(t, 0, sizeof(*t));
	t->ctl = ctl;
}

static enum drv_step
tfail(struct task_power *t, int err, const struct ipmi_response *rsp)
{
	char what[40];

	if (t->ctl == TASK_POWER_STATUS)
		snprintf(what, sizeof(what), "get chassis status");
	else
		snprintf(what, sizeof(what), "chassis control %s",
		    ipmi_chassis_ctl_name((uint8_t)t->ctl));
	t->err = err;
	if (err == IPMI_E_CC)
		snprintf(t->why, sizeof(t->why), "%s: %s (0x%02x)", what,
		    ipmi_ccstr(rsp->cc), rsp->cc);
	else
		snprintf(t->why, sizeof(t->why), "%s: short response "
		    "(%zu bytes)", what, rsp->len);
	return DRV_STEP_FAIL;
}

enum drv_step
task_power_step(struct task_power *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct buf b;

	if (rsp == NULL) {
		req->netfn = IPMI_NETFN_CHASSIS;
		req->len = 0;
		if (t->ctl == TASK_POWER_STATUS) {
			req->cmd = IPMI_CMD_GET_CHASSIS_STATUS;
		} else {
			req->cmd = IPMI_CMD_CHASSIS_CONTROL;
			buf_init_write(&b, req->data, sizeof(req->data));
			(void)ipmi_chassis_ctl_encode((uint8_t)t->ctl, &b);
			req->len = b.len;
		}
		return DRV_STEP_SEND;
	}
	if (rsp->cc != IPMI_CC_OK)
		return tfail(t, IPMI_E_CC, rsp);
	if (t->ctl == TASK_POWER_STATUS) {
		struct ipmi_chassis_status cs;

		buf_init_read(&b, rsp->data, rsp->len);
		if (ipmi_chassis_status_decode(&b, &cs) != 0)
			return tfail(t, IPMI_E_SHORT, rsp);
		t->have_power = 1;
		t->power_on = cs.power_on;
	}
	return DRV_STEP_DONE;
}
