/* task_read: Get Sensor Reading over a sensor list; see task_read.h. */
#include <stdlib.h>
#include <string.h>

#include "collector/task_read.h"
#include "ipmi/buf.h"
#include "ipmi/ipmi.h"
#include "ipmi/sdr.h"

int
task_read_list(const uint8_t *recs, size_t len, struct sensor_desc **out,
    size_t *n)
{
	struct sdr_iter it;
	struct sdr_record rec;
	struct sensor_desc *d = NULL;
	size_t k = 0;

	sdr_iter_init(&it, recs, len);
	while (sdr_iter_next(&it, &rec)) {
		if (!sdr_is_sensor(&rec))
			continue;
		if (k % 32 == 0) {
			void *p = realloc(d, (k + 32) * sizeof(*d));

			if (p == NULL) {
				free(d);
				*out = NULL;
				*n = 0;
				return -1;
			}
			d = p;
		}
		sensor_desc_from(&rec, &d[k++]);
	}
	*out = d;
	*n = k;
	return 0;
}

void
task_read_init(struct task_read *t, const struct sensor_desc *s, size_t n)
{
	t->s = s;
	t->n = n;
	t->cur = 0;
}

enum drv_step
task_read_step(struct task_read *t, const struct ipmi_response *rsp,
    struct drv_request *req, struct task_reading *got)
{
	struct buf b;

	memset(got, 0, sizeof(*got));
	if (rsp != NULL && t->cur < t->n) {
		got->answered = 1;
		got->i = t->cur;
		got->cc = rsp->cc;
		if (rsp->cc == IPMI_CC_OK) {
			buf_init_read(&b, rsp->data, rsp->len);
			got->ok = ipmi_sensor_reading_rsp_decode(&b, &got->rd) ==
			    0;
		}
		t->cur++;
	}
	while (t->cur < t->n) {
		if (!sensor_desc_polled(&t->s[t->cur])) {
			t->cur++;
			continue;
		}
		req->netfn = IPMI_NETFN_SENSOR;
		req->cmd = IPMI_CMD_GET_SENSOR_READING;
		buf_init_write(&b, req->data, sizeof(req->data));
		(void)ipmi_sensor_req_encode(t->s[t->cur].number, &b);
		req->len = b.len;
		return DRV_STEP_SEND;
	}
	return DRV_STEP_DONE;
}
