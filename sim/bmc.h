/*
 * bmc: one simulated BMC's IPMI command handlers (its state, struct
 * sim_bmc, is bmcstate.h's), pure: the caller passes the current time (ms,
 * monotonic) and gets a completion code and response data back.  No
 * sockets, no sessions (sess.c), no clock.  Device ID, GUID and the
 * chassis commands are answered here; the rest goes to hostile.c,
 * sensors.c and store.c in turn.
 *
 * Power changes are not instant, as on real hardware: a chassis control
 * schedules up to two transitions (a cycle is off, then on) that take
 * effect when their time has come; sim_bmc_power (bmcstate.h) applies
 * them lazily whenever the state is looked at, so an idle fleet needs no
 * timers.  Powering on takes power_on_delay_ms, off power_off_delay_ms; a
 * soft off (ACPI, 05h) takes the off delay plus soft_off_ms, the host's OS
 * shutting down.  A cycle is off after the off delay, on again after the
 * on delay; a new command replaces whatever is still pending (a hard off
 * ends a slow soft off).
 *
 * Hosts that misbehave, for tests of power scheduling: refuse_power
 * answers every Chassis Control with D5h ("command not supported in
 * present state": a definite refusal, which clients do not retry, unlike
 * C0h "node busy"); ignore_power accepts it (00h) and nothing happens, a
 * stuck host.
 */
#ifndef BMCFLEET_SIM_BMC_H
#define BMCFLEET_SIM_BMC_H

#include <stddef.h>
#include <stdint.h>

#include "bmcstate.h"
#include "ipmi/msg.h"

#define SIM_SOFT_OFF_MS	5000	/* default soft_off_ms: an OS shutdown */

/*
 * A BMC of this model, powered off, its power changes logged in its
 * SEL (power_event).  guid_seed makes the GUID unique.
 * Powering on and off both take power_delay_ms, soft off SIM_SOFT_OFF_MS
 * more; the draw ramps over the model's ramp_ms.  The caller may set the
 * power fields (delays, ramp, refuse/ignore, power_on) afterwards, before
 * the first command.
 */
void	sim_bmc_init(struct sim_bmc *, const struct sim_model *,
	    uint64_t guid_seed, uint32_t power_delay_ms);

/* Free what the BMC allocated on demand (store.c's SEL). */
void	sim_bmc_release(struct sim_bmc *);

/*
 * Handle a request that arrived in a session at privilege priv.  Writes the
 * response data (after the completion code) to out (cap bytes, at least
 * IPMI_MAX_PAYLOAD) and its length to *outlen; returns the completion code.
 * Session commands (Set Session Privilege, Close Session) are sess_cmd.c's.
 */
uint8_t	sim_bmc_handle(struct sim_bmc *, uint64_t now, uint8_t priv,
	    const struct ipmi_msg *req, uint8_t *out, size_t cap,
	    size_t *outlen);

#endif
