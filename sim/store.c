#include <stdlib.h>

#include "bmc.h"
#include "store.h"

/* Placeholder until the SEL, FRU and boot options land. */
int
sim_store_handle(struct sim_bmc *b, uint64_t now, uint8_t priv,
    const struct ipmi_msg *req, struct buf *w)
{
	(void)b;
	(void)now;
	(void)priv;
	(void)req;
	(void)w;
	return -1;
}

void
sim_store_power_event(struct sim_bmc *b, uint64_t when, int on)
{
	(void)b;
	(void)when;
	(void)on;
}

void
sim_store_free(struct sim_bmc *b)
{
	free(b->store);
	b->store = NULL;
}
