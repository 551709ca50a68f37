/* task_sel: the SEL since a cursor; see task_sel.h. */
#include <stdlib.h>
#include <string.h>

#include "collector/task_sel.h"
#include "ipmi/buf.h"
#include "ipmi/ipmi.h"

void
task_sel_init(struct task_sel *t, const struct task_sel_cursor *since)
{
	memset(t, 0, sizeof(*t));
	if (since != NULL) {
		t->since = *since;
		t->have_since = 1;
	}
}

static enum drv_step
tfail(struct task_sel *t, int err)
{
	t->err = err;
	return DRV_STEP_FAIL;
}

/* The info is in: stop when the cursor says nothing moved, else size the
 * buffer before the walker looks at it.  1 to stop, 0 to go on, -1. */
static int
on_info(struct task_sel *t, const struct ipmi_response *rsp)
{
	struct ipmi_sel_info_rsp in;
	struct buf b;
	size_t cap;

	buf_init_read(&b, rsp->data, rsp->len);
	if (ipmi_sel_info_rsp_decode(&b, &in) != 0)
		return 0;		/* the walker says what is wrong */
	t->info = in;
	t->have_info = 1;
	if (t->have_since && in.entries == t->since.entries &&
	    in.add_ts == t->since.add_ts && in.erase_ts == t->since.erase_ts)
		return 1;
	if (in.entries == 0)
		return 0;
	cap = ((size_t)in.entries + SEL_EXTRA_RECORDS) * SEL_ENTRY_LEN;
	if (cap > SEL_BUF_MAX)
		cap = SEL_BUF_MAX;
	if ((t->buf = malloc(cap)) == NULL)
		return -1;
	t->w->buf = t->buf;
	t->w->cap = cap;
	return 0;
}

enum drv_step
task_sel_step(struct task_sel *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct ipmi_req ir;
	int rc;

	if (t->w == NULL) {
		/*
		 * Get SEL Info (IPMI v2.0 31.2) without the walker: most
		 * sweeps find the log unchanged and never need it.
		 * Otherwise the walker is made now and fed this answer.
		 */
		if (rsp == NULL) {
			req->netfn = IPMI_NETFN_STORAGE;
			req->cmd = IPMI_CMD_GET_SEL_INFO;
			req->len = 0;
			return DRV_STEP_SEND;
		}
		if (rsp->cc == IPMI_CC_OK && t->have_since) {
			struct ipmi_sel_info_rsp in;
			struct buf b;

			buf_init_read(&b, rsp->data, rsp->len);
			if (ipmi_sel_info_rsp_decode(&b, &in) == 0 &&
			    in.entries == t->since.entries &&
			    in.add_ts == t->since.add_ts &&
			    in.erase_ts == t->since.erase_ts) {
				t->info = in;
				t->have_info = 1;
				t->unchanged = 1;
				return DRV_STEP_DONE;
			}
		}
		if ((t->w = malloc(sizeof(*t->w))) == NULL)
			return tfail(t, IPMI_E_NOSPACE);
		sel_walk_init(t->w, NULL, 0, 0);
		/* its first request is the Get SEL Info answered above */
		if (sel_walk_next(t->w, &ir) != IPMI_WALK_SEND ||
		    t->w->state != SEL_WALK_INFO_WAIT)
			return tfail(t, IPMI_E_INVAL);
	}
	if (rsp != NULL) {
		if (t->w->state == SEL_WALK_INFO_WAIT &&
		    rsp->cc == IPMI_CC_OK && t->buf == NULL) {
			if ((rc = on_info(t, rsp)) < 0)
				return tfail(t, IPMI_E_NOSPACE);
			if (rc == 1) {
				t->unchanged = 1;
				return DRV_STEP_DONE;
			}
		}
		if ((rc = sel_walk_feed(t->w, rsp->cc, rsp->data,
		    rsp->len)) < 0)
			return tfail(t, rc);
	}
	rc = sel_walk_next(t->w, &ir);
	if (rc == IPMI_WALK_SEND) {
		drv_req_from(req, &ir);
		return DRV_STEP_SEND;
	}
	if (rc < 0)
		return tfail(t, rc);
	return DRV_STEP_DONE;
}

void
task_sel_release(struct task_sel *t)
{
	free(t->w);
	free(t->buf);
	t->w = NULL;
	t->buf = NULL;
}
