/*
 * store: what a simulated BMC keeps beyond power: its SEL (filling over
 * time with power transitions, threshold crossings and the odd ECC or PSU
 * event), its FRU devices (serial numbers unique per BMC), DCMI power
 * that follows the power state, and the system boot options.  Pure like
 * bmc.c; the SEL is allocated on first need (sim_bmc.store) so an idle
 * fleet stays small.  Deterministic under the BMC's seed.
 *
 * SEL (storage netfn, IPMI v2.0 31): Get SEL Info, Get SEL Allocation
 * Info, Reserve SEL, Get SEL Entry, Clear SEL (operator), Get SEL Time,
 * Set SEL Time (operator; moves the clock of later events).  The log is
 * made the first time it is looked at:
 *   - a prehistory of 10..40 entries dated before the simulator started:
 *     first a PS1 "presence detected" with the pre-init time stamp 12h
 *     (the BMC did not know the time yet), then CPU1 Temp threshold
 *     crossings with their deassertions (data 2 the reading, data 3 the
 *     threshold), PS1/PS2 AC lost or failure and back, correctable ECC
 *     (data 3 the DIMM), Power Unit off/on, one OEM timestamped record
 *     (C0h, the model's IANA number) and one OEM non-timestamped (E0h);
 *     the last power transition agrees with the power state the BMC
 *     started in;
 *   - one scheduled event every 2..10 minutes of simulator time, a
 *     function of the seed, appended once its time has passed;
 *   - Power Unit "power off/down" asserted when the chassis goes off and
 *     deasserted when it comes on (sim_store_power_event).  Transitions
 *     before the log was made are summed up by the last one
 *     (sim_bmc.power_changed), so a BMC nobody reads costs nothing.
 * Record IDs are 1..n (IDs restart at 1 after a clear, which logs one
 * "log area reset/cleared" event, sensor type 10h, on
 * SIM_SENSOR_EVENT_LOG).  A full log drops new events and sets the
 * overflow bit of Get SEL Info.  Time stamps are the epoch plus the
 * simulator seconds since sim_store_start.
 *
 * FRU (storage netfn, IPMI v2.0 34): device 0 (the board: chassis, board
 * and product areas) and device 1 (PS1: product area and a multirecord
 * area with power supply information and DC output records).  Read FRU
 * Data answers at most SIM_FRU_READ_MAX bytes, and on hpe-dl380 refuses a
 * count over 32 with CAh, as some real BMCs do.
 *
 * DCMI (netfn 2Ch, group DCh): Get DCMI Capabilities Info (parameters
 * 1-5) and Get Power Reading (modes 01h and 02h over the advertised
 * rolling periods): a few watts of standby when off; after a power-on a
 * ramp from standby to the BMC's peak (sim_store_peak_watts) over its
 * ramp_ms, then down over half that again to a steady 150..450 W by seed
 * that drifts slowly, below the peak.  Minimum and maximum cover the whole
 * window (a ramp's top between two samples too); the average is over up
 * to 60 samples.
 *
 * Boot options (chassis netfn, IPMI v2.0 28.12-28.13): parameters 0 (set
 * in progress), 3 (boot flag valid bit clearing), 4 (boot info
 * acknowledge), 5 (boot flags); others 80h.  Setting needs operator.
 */
#ifndef BMCFLEET_SIM_STORE_H
#define BMCFLEET_SIM_STORE_H

#include <stdint.h>

#include "ipmi/buf.h"
#include "ipmi/msg.h"

struct sim_bmc;

#define SIM_SEL_CAPACITY	512	/* entries, by default */
#define SIM_SEL_CAPACITY_MAX	65534	/* IDs 0000h and FFFFh are taken */
#define SIM_SEL_EPOCH		1700000000u /* when sim_store_configure
					 * was not called: tests */
#define SIM_SEL_EPOCH_MIN	946684800u /* 2000-01-01: the prehistory
					    * must stay past pre-init */
#define SIM_SENSOR_EVENT_LOG	0x7f	/* the "SEL cleared" event's sensor */
#define SIM_FRU_READ_MAX	254	/* Read FRU Data: the message's room */

/*
 * Fleet-wide settings, before any BMC is used: the SEL capacity in
 * entries (0: SIM_SEL_CAPACITY; at most SIM_SEL_CAPACITY_MAX) and the SEL
 * time at the simulator's start, in seconds since 1970 (0: SIM_SEL_EPOCH).
 */
void	sim_store_configure(unsigned capacity, uint32_t epoch);
/* The simulator clock (ms, as passed to the handlers) at start; 0 by
 * default.  SEL time = epoch + (now - start) / 1000. */
void	sim_store_start(uint64_t now);

/*
 * SEL, FRU, DCMI and boot option commands.  Returns -1 when req is not
 * one of these, else the completion code with the response data in w.
 * priv is the session's privilege (Clear SEL, Set SEL Time and Set System
 * Boot Options need operator).
 */
int	sim_store_handle(struct sim_bmc *, uint64_t now, uint8_t priv,
	    const struct ipmi_msg *req, struct buf *w);

/*
 * The SEL as a client reading it at now finds it: made and brought up to
 * date first, as by any SEL command (so on a BMC nobody has read this
 * makes its log).  For bmcsim's own record of it (--sel-dump), which
 * tests hold a collector to.  raw holds n entries of SEL_ENTRY_LEN (16)
 * bytes, the one with record ID i + 1 at raw + 16 * i (NULL when n is 0);
 * it belongs to the store and is valid until the next call on the BMC.
 * overflow: an event was dropped since the last clear, the log being
 * full (no wrap: the oldest stay); time: the SEL clock at now.  Returns
 * -1 out of memory (v zeroed).
 */
struct sim_sel_view {
	const uint8_t	*raw;
	unsigned	 n;
	int		 overflow;
	uint32_t	 time;
};
int	sim_store_sel_view(struct sim_bmc *, uint64_t now,
	    struct sim_sel_view *);

/*
 * --sel-rate: scheduled events come every 60000 / per_min ms on every BMC
 * (each slot an entry: no quiet spells) instead of every 2..10 minutes
 * by seed; 0 restores that default.  Fleet-wide; call
 * sim_store_rate_changed on each BMC afterwards so a BMC whose log is
 * made catches up at the old rate and goes on at the new one from now.
 */
void	sim_store_sel_rate(unsigned per_min);
void	sim_store_rate_changed(struct sim_bmc *, uint64_t now);

/*
 * Add an event to the SEL now, as a test asks (bmcsim's control channel):
 *   SIM_SEV_CRITICAL  PS1 "power supply failure detected" (08h, offset 01h)
 *   SIM_SEV_WARNING   CPU1 Temp going high over upper non-critical (07h)
 *   SIM_SEV_INFO      PS1 "presence detected" (offset 00h)
 * deassert: the same event going away (the recovery).  The sensor numbers
 * are the SDR's, so names resolve.  Returns the new record ID, or -1 when
 * the log is full (overflow set) or out of memory.  The entry's 16 bytes
 * are copied to rec when it is not NULL.
 */
enum { SIM_SEV_INFO, SIM_SEV_WARNING, SIM_SEV_CRITICAL };
int	sim_store_sel_add_now(struct sim_bmc *, uint64_t now, int severity,
	    int deassert, uint8_t rec[16]);

/*
 * The entries added since *seen (a count of entries the caller already
 * looked at; 0 at first), made and brought up to date at now: first,
 * count and the raw records as in sim_sel_view; *seen moves to the end.
 * After a clear the count restarts: everything is new.  For the PEF
 * (pefsim.h), which alerts on every entry added.  Returns -1 out of
 * memory.
 */
int	sim_store_sel_new(struct sim_bmc *, uint64_t now, unsigned *seen,
	    struct sim_sel_view *);

/* The chassis power changed at when (ms): log it in the SEL. */
void	sim_store_power_event(struct sim_bmc *, uint64_t when, int on);

/*
 * FRU device dev (0 or 1) was replaced: its serial numbers change (a
 * revision counter in the store, so the same swaps give the same serials
 * on every run).  For scenarios such as a PSU swap.
 */
void	sim_store_fru_swap(struct sim_bmc *, uint8_t dev);

/*
 * The most the BMC's host draws, at the top of the ramp after a power-on
 * (watts, by seed: 168..535); and what it draws at now.
 */
unsigned sim_store_peak_watts(const struct sim_bmc *);
unsigned sim_store_watts(struct sim_bmc *, uint64_t now);

/*
 * The entries in the BMC's SEL at now (events due by then logged), or -1
 * while nothing has read the SEL yet: it is made on first use, and a
 * count must not make it (power changes before then are summed up).
 */
long	sim_store_sel_count(struct sim_bmc *, uint64_t now);

/* Free b->store (NULL is fine). */
void	sim_store_free(struct sim_bmc *);

#endif
