/*
 * bmcstate: the power state of a simulated BMC, brought up to date when it
 * is looked at (bmcstate.h).
 */
#include <stddef.h>

#include "bmcstate.h"

int
sim_bmc_power(struct sim_bmc *b, uint64_t now)
{
	int i;

	for (i = 0; i < 2; i++) {
		struct sim_power_step *p = &b->pending[i];

		if (p->when == 0 || p->when > now)
			continue;
		if (b->power_on != p->on) {
			b->power_changed = p->when;
			if (p->on)
				b->power_on_at = p->when;
			else
				b->power_off_at = p->when;
			if (b->power_event != NULL)
				b->power_event(b, p->when, p->on);
		}
		b->power_on = p->on;
		p->when = 0;
	}
	return b->power_on;
}
