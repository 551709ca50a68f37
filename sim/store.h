/*
 * store: what a simulated BMC keeps beyond power: its SEL (filling over
 * time with power transitions, threshold crossings and the odd ECC or PSU
 * event), its FRU devices (serial numbers unique per BMC), DCMI power
 * that follows the power state, and the system boot options.  Pure like
 * bmc.c; the SEL is allocated on first need (sim_bmc.store) so an idle
 * fleet stays small.  Deterministic under the BMC's seed.
 */
#ifndef BMCFLEET_SIM_STORE_H
#define BMCFLEET_SIM_STORE_H

#include <stdint.h>

#include "ipmi/buf.h"
#include "ipmi/msg.h"

struct sim_bmc;

/*
 * SEL, FRU, DCMI and boot option commands.  Returns -1 when req is not
 * one of these, else the completion code with the response data in w.
 * priv is the session's privilege (Clear SEL and Set System Boot Options
 * need operator).
 */
int	sim_store_handle(struct sim_bmc *, uint64_t now, uint8_t priv,
	    const struct ipmi_msg *req, struct buf *w);

/* The chassis power changed at when (ms): log it in the SEL. */
void	sim_store_power_event(struct sim_bmc *, uint64_t when, int on);

/* Free b->store (NULL is fine). */
void	sim_store_free(struct sim_bmc *);

#endif
