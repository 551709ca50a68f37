/*
 * pefsim: a simulated BMC's Platform Event Filtering and LAN alerting
 * (IPMI v2.0 rev 1.1, chapters 17 and 30; LAN parameters 23.2; Get
 * Channel Info 22.24), pure like bmc.c: state, command handlers, the
 * filter matcher, and the traps to send.  The sockets and the clock are
 * fleet.c's; the wire formats are ipmi/pef.h's and ipmi/pet.h's.
 *
 * Commands (sim_pef_handle):
 *   sensor/event netfn 04h: Get PEF Capabilities (version 51h, alert
 *   action only, 16 event filters), Arm PEF Postpone Timer, Set/Get PEF
 *   Configuration Parameters 0-13 (others 80h), Set/Get Last Processed
 *   Event ID, PET Acknowledge (also outside a session, sess_cmd.c);
 *   transport netfn 0Ch: Set/Get LAN Configuration Parameters 0-6, 12,
 *   16-19 and bmcsim's OEM C0h (a destination's UDP port, default 162;
 *   real BMCs have no such field, it lets tests use an unprivileged port);
 *   app netfn 06h: Get Channel Info, Get/Set Channel Access of the LAN
 *   channel (access mode always available, admin limit; the "PEF
 *   alerting disabled" bit, volatile, stops traps as on a real BMC).
 *   Setting needs admin.
 *
 * The LAN channel is 1, but 2 on hpe-dl380 (model.h): clients must find
 * it with Get Channel Info.  Channel 0 is IPMB, 0Fh the system interface.
 *
 * Factory defaults, as a typical BMC ships: PEF disabled (control 00h),
 * no global action enabled, no startup delays; event filters 1-4
 * manufacturer pre-configured but disabled (temperature critical,
 * temperature non-critical, power supply failure or AC lost, uncorrectable
 * ECC; action alert, policy 1), 5-16 free; alert policy 1 (disabled: LAN
 * channel, destination 1), 2-16 free; community "public"; 4 non-volatile
 * destinations (1-4, and the volatile 0), all PET without acknowledge at
 * 0.0.0.0.
 *
 * Alerting: when the SEL gains an entry (sim_pef_take), each enabled
 * filter that matches it (sim_pef_filter_match) names a policy number;
 * each enabled entry of that policy on the LAN channel names a
 * destination; each distinct destination with an address gets one PET
 * (sim_pef_alert) with the filter's severity.  Policy types other than
 * "always" (1-4) are treated like it: the sim does not see whether a trap
 * arrived.  A destination of type "acknowledged" keeps the trap pending
 * and resends it every timeout seconds, up to its retries, until a PET
 * Acknowledge with its sequence number and time stamp arrives.
 */
#ifndef BMCFLEET_SIM_PEFSIM_H
#define BMCFLEET_SIM_PEFSIM_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi/buf.h"
#include "ipmi/msg.h"
#include "ipmi/pef.h"
#include "ipmi/pet.h"

struct sim_bmc;

#define SIM_PEF_FILTERS		16
#define SIM_PEF_POLICIES	16
#define SIM_LAN_DESTS		4	/* non-volatile; 0 is the volatile */
#define SIM_PEF_STRINGS		2	/* alert strings 0 (volatile) and 1 */
#define SIM_PEF_STRING_LEN	64	/* 4 blocks of 16 */
#define SIM_PEF_PENDING		8	/* unacknowledged traps kept */
#define SIM_PET_PORT		162

struct sim_lan_dest {
	uint8_t		type;		/* param 18 byte 2: [7] ack, [2:0] */
	uint8_t		timeout;	/* seconds */
	uint8_t		retries;
	uint8_t		addr_format;	/* param 19 byte 2 */
	uint8_t		gateway;	/* byte 3 */
	uint8_t		ip[4];
	uint8_t		mac[6];
	uint16_t	port;		/* OEM C0h */
};

/* One trap to send, and to resend until acknowledged. */
struct sim_alert {
	uint8_t		dest;		/* destination selector */
	uint8_t		ip[4];		/* network order */
	uint16_t	port;
	struct pet	pet;
};

struct sim_pef_pending {
	int		 used;
	uint8_t		 tries_left;
	uint64_t	 next_ms;
	struct sim_alert a;
};

struct sim_pef {
	/* PEF parameters */
	uint8_t		 set_in_progress;
	uint8_t		 control;
	uint8_t		 action;
	uint8_t		 startup_delay;
	uint8_t		 alert_startup_delay;
	uint8_t		 filter[SIM_PEF_FILTERS][PEF_FILTER_LEN];
	uint8_t		 policy[SIM_PEF_POLICIES][PEF_POLICY_LEN];
	uint8_t		 guid_use;
	uint8_t		 guid[16];
	uint8_t		 string_key[SIM_PEF_STRINGS][2];
	uint8_t		 string[SIM_PEF_STRINGS][SIM_PEF_STRING_LEN];
	uint16_t	 last_sw_id;
	uint16_t	 last_bmc_id;
	uint8_t		 postpone;
	/* LAN parameters */
	uint8_t		 lan_set_in_progress;
	uint8_t		 ip_source;
	uint8_t		 chan_access[2];	/* Set/Get Channel Access byte
						 * 1: non-volatile, volatile */
	uint8_t		 community[LAN_COMMUNITY_LEN];
	struct sim_lan_dest dest[SIM_LAN_DESTS + 1];
	/* alerting */
	unsigned	 sel_seen;	/* SEL entries already alerted on */
	int		 alerting;	/* PEF and alert action enabled */
	uint16_t	 sequence;	/* the next PET's */
	struct sim_pef_pending pending[SIM_PEF_PENDING];
};

/* The BMC's PEF state, made with the factory defaults on first need;
 * NULL out of memory.  Freed by sim_pef_free (sim_bmc_release). */
struct sim_pef	*sim_pef_get(struct sim_bmc *);
void	sim_pef_free(struct sim_bmc *);

/* The BMC's LAN channel number (1, or the model's). */
uint8_t	sim_pef_lan_channel(const struct sim_bmc *);

/*
 * The commands above.  Returns -1 when req is not one of them, else the
 * completion code with the response data in w.
 */
int	sim_pef_handle(struct sim_bmc *, uint64_t now, uint8_t priv,
	    const struct ipmi_msg *req, struct buf *w);

/* Whether a SEL record (16 bytes, as Get SEL Entry returns it) matches
 * the filter's generator, sensor type and number, event trigger, offset
 * mask and event data masks (table 17-2).  Enabled or not is the
 * caller's question. */
int	sim_pef_filter_match(const struct pef_filter *, const uint8_t rec[16]);

/*
 * The traps the SEL record asks for (none while PEF or its alert action
 * is disabled): up to max into out, one per destination; returns how
 * many.  Each has its PET filled (a new sequence number each), see the
 * PET 1.0 fields in pefsim.c.  now is for nothing but the pending table:
 * a destination asking for acknowledgement keeps the trap pending.
 */
unsigned sim_pef_alert(struct sim_bmc *, uint64_t now, const uint8_t rec[16],
	    struct sim_alert *out, unsigned max);

/*
 * New SEL entries since the last call, each through sim_pef_alert: for
 * the caller to send.  When alerting was just turned on, the entries
 * already in the log are skipped (a BMC alerts on what comes after).
 */
unsigned sim_pef_take(struct sim_bmc *, uint64_t now, struct sim_alert *out,
	    unsigned max);

/* A pending trap due for a resend at now, into *out (1), or 0 when none;
 * one whose retries are spent is dropped and counted (gave_up). */
int	sim_pef_resend(struct sim_bmc *, uint64_t now, struct sim_alert *out);

/*
 * The SNMPv1 Trap-PDU of a, from the BMC's address agent (network
 * order), with the LAN community, sysUpTime uptime_cs (1/100 s), into w.
 * Returns 0 or a pet_err.
 */
int	sim_pef_trap_encode(struct sim_bmc *, const struct sim_alert *,
	    const uint8_t agent[4], uint32_t uptime_cs, struct buf *w);

#endif
