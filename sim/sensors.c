#include "bmc.h"
#include "sensors.h"

/* Placeholder until the SDR repository lands: no sensor commands. */
int
sim_sensors_handle(struct sim_bmc *b, uint64_t now,
    const struct ipmi_msg *req, struct buf *w)
{
	(void)b;
	(void)now;
	(void)req;
	(void)w;
	return -1;
}
