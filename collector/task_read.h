/*
 * task_read: the BMC task "sensor readings", a small state machine a step
 * function runs inside its own: Get Sensor Reading for each sensor of a
 * list that can be read that way (sensor_desc_polled), one at a time,
 * handing each answer back decoded.  Direct mode's `sensors` and the
 * sweep both read sensors through it; what becomes of a reading (a table
 * line, a row) is theirs.
 *
 * The list comes from task_read_list(): an SDR repository's records, every
 * sensor among them described by ipmi/sensor.h's sensor_desc_from.
 *
 *   struct task_read t;  struct task_reading got;
 *   task_read_init(&t, descs, n);
 *   first:  st = task_read_step(&t, NULL, req, &got);
 *   then:   st = task_read_step(&t, rsp, req, &got);
 *           if (got.answered) ... descs[got.i], got.ok, got.cc, got.rd ...
 *   until st == DRV_STEP_DONE.  While st == DRV_STEP_SEND, t.cur is the
 *   index of the sensor asked.
 */
#ifndef BMCFLEET_COLLECTOR_TASK_READ_H
#define BMCFLEET_COLLECTOR_TASK_READ_H

#include <stddef.h>
#include <stdint.h>

#include "collector/driver.h"
#include "ipmi/sensor.h"

/*
 * Every sensor record of recs[0..len) (shared records expanded), in
 * repository order: *out (malloc'd, the caller frees; NULL when none) and
 * *n.  -1 when out of memory (nothing to free then).
 */
int	task_read_list(const uint8_t *recs, size_t len,
	    struct sensor_desc **out, size_t *n);

struct task_read {
	const struct sensor_desc *s;	/* the caller's, outlives the task */
	size_t		 n;
	size_t		 cur;		/* asked, or next to look at */
};

struct task_reading {
	int		 answered;	/* this step brought an answer */
	size_t		 i;		/* for s[i] */
	uint8_t		 cc;		/* its completion code */
	int		 ok;		/* cc 00h and the reading decoded */
	struct ipmi_sensor_reading_rsp rd;
};

void	task_read_init(struct task_read *, const struct sensor_desc *,
	    size_t n);
/* DRV_STEP_SEND with *req filled, or DRV_STEP_DONE; never fails. */
enum drv_step task_read_step(struct task_read *,
	    const struct ipmi_response *rsp, struct drv_request *req,
	    struct task_reading *got);

#endif
