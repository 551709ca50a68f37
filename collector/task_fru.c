/* task_fru: one FRU device's inventory area; see task_fru.h. */
#include <stdlib.h>
#include <string.h>

#include "collector/task_fru.h"
#include "ipmi/buf.h"
#include "ipmi/ipmi.h"

void
task_fru_init(struct task_fru *t, uint8_t dev_id)
{
	memset(t, 0, sizeof(*t));
	fru_read_init(&t->rd, dev_id, NULL, 0);
}

enum drv_step
task_fru_step(struct task_fru *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct ipmi_req ir;
	int rc;

	if (rsp != NULL) {
		if (t->rd.state == FRU_READ_INFO_WAIT &&
		    rsp->cc == IPMI_CC_OK && t->buf == NULL) {
			struct ipmi_fru_info_rsp in;
			struct buf b;

			/* size the buffer before the reader looks at it */
			buf_init_read(&b, rsp->data, rsp->len);
			if (ipmi_fru_info_rsp_decode(&b, &in) == 0 &&
			    in.size > 0) {
				if ((t->buf = malloc(in.size)) == NULL) {
					t->rc = IPMI_E_NOSPACE;
					t->oom = 1;
					return DRV_STEP_DONE;
				}
				t->rd.buf = t->buf;
				t->rd.cap = in.size;
			}
		}
		if ((rc = fru_read_feed(&t->rd, rsp->cc, rsp->data,
		    rsp->len)) < 0) {
			t->rc = rc;
			return DRV_STEP_DONE;
		}
	}
	rc = fru_read_next(&t->rd, &ir);
	if (rc == IPMI_WALK_SEND) {
		drv_req_from(req, &ir);
		return DRV_STEP_SEND;
	}
	t->rc = rc;
	return DRV_STEP_DONE;
}

void
task_fru_release(struct task_fru *t)
{
	free(t->buf);
	t->buf = NULL;
}
