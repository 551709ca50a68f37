/*
 * fleet: the I/O side of bmcsim.  One non-blocking UDP socket per
 * simulated BMC, bound to its own address, all on one event loop; loss,
 * dead BMCs and delayed answers (latency, jitter) are applied here, the
 * protocol is sess.h's and the BMC bmc.h's.
 *
 * An idle fleet arms no timers: power changes and session expiry are
 * evaluated when a packet asks.  Memory per BMC: the sim_node below plus
 * its session slots, about 1 KiB with the default limit of 4.
 */
#ifndef BMCFLEET_SIM_FLEET_H
#define BMCFLEET_SIM_FLEET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct loop;
struct sim_conf;
struct sim_fleet;

/*
 * Bind every BMC's socket and register it with the loop.  Returns NULL
 * with err filled (e.g. "127.0.1.7:623: Address already in use").  The
 * configuration must outlive the fleet.
 */
struct sim_fleet *sim_fleet_new(struct loop *, const struct sim_conf *,
	    char *err, size_t errlen);
/* Close the sockets, drop undelivered delayed answers, wipe keys. */
void	sim_fleet_free(struct sim_fleet *);

/* BMCs in the fleet, and how many of them are dead. */
uint32_t sim_fleet_count(const struct sim_fleet *);
uint32_t sim_fleet_dead(const struct sim_fleet *);

/*
 * Per-BMC counters as JSON lines:
 *   {"bmc": "127.0.1.1", "model": "dell-r640", "power": "on",
 *    "sessions": 3, "open": 0, "on": 1, "off": 0, "cycle": 0, ...,
 *    "readings": 1200, "readings_resent": 0, ..., "ctl_refused": 0,
 *    "ctl_resent": 1, "power_on_ms": 1790000001500, "power_off_ms": 0,
 *    ..., "peak_w": 342, "watts": 180}
 * on/off/cycle/reset/diag/soft count Chassis Controls executed, each once
 * however often a lost answer made the client resend it (ctl_resent);
 * ctl_refused those refused (refuse_power).  readings counts Get Sensor
 * Readings answered 00h, each request once (a copy resent after a lost
 * answer goes to readings_resent); get_sensor_reading counts every
 * request, errors too.  power_on_ms and power_off_ms are when the chassis
 * last came on and went off, in ms since 1970 (0: never);
 * power_changed_ms is the later of the two on the simulator's monotonic
 * clock.  The power timing and misbehaviour knobs in effect, the peak
 * draw after a power-on and the draw now (W) follow; then the BMC's
 * quirks by name ("quirks": ["slow"], quirk.h), its hostile knobs
 * (slow_ms, reboot_after) and the reboots a rebooting BMC made.
 */
int	sim_fleet_stats(struct sim_fleet *, FILE *);

/*
 * Every BMC's SEL as a client reading it now would find it
 * (sim_store_sel_view), as JSON lines, in address order:
 *   {"bmc": "127.0.1.1", "dead": false, "sel_time": 1790000042,
 *    "overflow": false, "clear_sel": 0, "count": 23,
 *    "entries": [{"id": 1, "raw": "0100020000000020..."}, ...]}
 * raw is the entry's 16 bytes in hex, as Get SEL Entry returns them
 * (the record ID first, little-endian); sel_time is the SEL clock now,
 * clear_sel the Clear SELs executed (record IDs restart at 1 after one),
 * overflow that events were dropped for want of room.  This is bmcsim's
 * own record, for tests: it makes the SEL of every BMC nobody has read
 * yet (a dead one too).  Returns -1 on a write error or out of memory.
 */
int	sim_fleet_sel_dump(struct sim_fleet *, FILE *);

/*
 * bmcsim --ctl PATH LINE: send LINE to the --control socket at PATH, print
 * the answer to out.  Returns the exit status: 0 for "ok ...", 1 for an
 * error answer or none within 5 s, 2 for a bad path.
 */
int	sim_fleet_ctl_client(const char *path, const char *line, FILE *out);

/* A PSU swap on every BMC (SIGUSR2): FRU device 1 gets a new serial. */
void	sim_fleet_fru_swap(struct sim_fleet *);

/* Deterministic randomness (xoshiro256**) seeded by --seed. */
uint64_t sim_fleet_random64(struct sim_fleet *);

#endif
