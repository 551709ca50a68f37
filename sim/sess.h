/*
 * sess: the BMC side of IPMI LAN sessions for one simulated BMC, pure:
 * a datagram, the peer and the time in; the answer (or nothing) out.
 *
 * It speaks ASF ping/pong, session-less Get Channel Authentication
 * Capabilities and Get Channel Cipher Suites, IPMI v1.5 sessions (Get
 * Session Challenge, Activate Session, MD5 or straight password auth codes
 * on every message) and IPMI v2.0 RMCP+ (Open Session, RAKP 1-4, the
 * enabled cipher suites with their integrity and AES confidentiality), then
 * Set Session Privilege Level and Close Session itself; every other command
 * goes to sim_bmc_handle at the session's privilege.
 *
 * Like a real BMC it has a handful of session slots (the limit is per
 * BMC), forgets a session idle for 60 s, and drops packets that fail
 * verification without answering.  Unlike many, it tolerates the lost
 * datagrams of a lossy network: a retransmitted Open Session, RAKP 1, RAKP 3
 * or Activate Session gets the same answer again instead of eating a slot,
 * and a retransmitted Close Session is answered from the closed session.
 *
 * A Chassis Control resent in the same session after its answer was lost
 * (the same rq_seq and control byte as the session's previous request,
 * within SIM_SESS_RESEND_MS; the session sequence number may differ) is
 * answered from the cache, not run again, so it powers the host and counts
 * once (sim_counters.ctl_resent counts the copies).  Other commands are run
 * again: they are reads, or idempotent.  A copy that comes in a new session
 * cannot be told from a new command, by bmcsim as by a real BMC.
 *
 * Hostile quirks (quirk.h): no-slot refuses every session as if every
 * slot were taken (Activate Session 81h, Open Session status 01h);
 * reboot forgets every session, and the SDR reservation, after
 * reboot_after in-session requests, the last of them still answered, or
 * reboot_ms after the last reboot, whichever comes first: later packets
 * of those sessions get no answer, as any unknown session's.
 *
 * Likewise a Get Sensor Reading answered 00h counts once in
 * sim_counters.readings however often a lost answer made the client send
 * it (the copies, in readings_resent, are answered afresh): a client
 * stores one reading per request, and tests hold it to this count.
 */
#ifndef BMCFLEET_SIM_SESS_H
#define BMCFLEET_SIM_SESS_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi/ipmi.h"
#include "ipmi/rmcpp.h"

struct sim_bmc;

struct sim_user {
	char		name[IPMI_MAX_USER + 1];
	uint8_t		ulen;
	uint8_t		pw[IPMI_MAX_PASSWORD];
	uint8_t		pwlen;
	uint8_t		priv;		/* maximum privilege level */
};

/* Who may log in and how; shared by every BMC of a fleet, not copied. */
struct sim_auth {
	const struct sim_user	*users;
	int			 nusers;
	uint8_t			 kg[IPMI_KG_LEN];
	uint8_t			 kglen;		/* 0: K_g is K_uid */
	uint32_t		 suites;	/* bit n: cipher suite n offered */
	uint8_t			 v15_types;	/* bit n: auth type n offered */
};

enum sim_slot_state {
	SIM_SLOT_FREE,
	SIM_SLOT_CHALLENGE,	/* v1.5: challenge sent */
	SIM_SLOT_ACTIVE15,
	SIM_SLOT_OPENED,	/* v2.0: Open Session answered */
	SIM_SLOT_RAKP2,		/* v2.0: RAKP 2 sent */
	SIM_SLOT_ACTIVE20,
	SIM_SLOT_CLOSED,	/* closed; kept to answer a resent close */
};

struct sim_slot {
	uint8_t			 state;
	uint8_t			 v20;		/* RMCP+, not v1.5 */
	uint8_t			 used;		/* an in-session message came */
	uint8_t			 priv;		/* current privilege */
	uint8_t			 max_priv;
	uint64_t		 peer;
	uint64_t		 last;		/* last activity, ms */
	const struct sim_user	*user;
	uint32_t		 bmc_sid;
	uint32_t		 console_sid;
	uint32_t		 in_top;	/* highest sequence seen */
	uint32_t		 out_seq;	/* next sequence we send */
	/* the previous request if it was a Chassis Control: a resend cache */
	uint8_t			 ctl_valid;
	uint8_t			 ctl_rq_seq;
	uint8_t			 ctl_byte;
	uint8_t			 ctl_cc;
	uint64_t		 ctl_at;
	/* the previous request if it was a Get Sensor Reading answered 00h */
	uint8_t			 rd_valid;
	uint8_t			 rd_rq_seq;
	uint8_t			 rd_sensor;
	uint64_t		 rd_at;
	/* v1.5 */
	uint8_t			 auth_type;
	uint8_t			 challenge[16];
	/* v2.0 */
	uint8_t			 tag;
	uint8_t			 auth, integ, conf;
	uint8_t			 role;
	uint8_t			 open_priv;	/* as Open Session asked */
	uint8_t			 rm[16];
	uint8_t			 rc[16];
	struct rmcpp_keys	 keys;
};

/* The BMC's session layer; slots are owned by the caller (sim_sess_slots). */
struct sim_sess {
	struct sim_bmc		*bmc;
	const struct sim_auth	*auth;
	struct sim_slot		*slots;
	int			 nslots;
	int			 limit;		/* open sessions allowed at once */
	uint32_t		 quirks;	/* SIM_Q_* (quirk.h) */
	/* quirk reboot: every session forgotten after reboot_after
	 * in-session requests (0: SIM_REBOOT_AFTER); served counts them.
	 * And, when reboot_ms is not 0, every reboot_ms since the last
	 * reboot (booted, ms; 0 until the first datagram) */
	uint32_t		 reboot_after;
	uint32_t		 served;
	uint32_t		 reboot_ms;
	uint64_t		 booted;
	/* randomness for session IDs, challenges, Rc and IVs */
	void			(*random)(void *arg, void *p, size_t n);
	void			*random_arg;
};

/* Slots to allocate for a session limit: room for pending challenges too. */
#define SIM_SESS_SLOTS(limit)	((limit) + 4)
#define SIM_SESS_IDLE_MS	60000	/* an active session is forgotten */
#define SIM_SESS_HALFOPEN_MS	10000	/* an unfinished handshake is */
#define SIM_SESS_RESEND_MS	10000	/* a Chassis Control resent within
					 * this is answered from the cache */

/*
 * Handle one datagram from peer (an opaque key: address and port).  Writes
 * the answer to out (cap bytes, at least IPMI_MAX_PACKET) and returns its
 * length, or 0 when there is nothing to send (the packet was dropped, as a
 * BMC drops what fails verification); *bad is set when it was malformed or
 * failed verification.
 */
size_t	sim_sess_input(struct sim_sess *, uint64_t peer, const uint8_t *pkt,
	    size_t len, uint64_t now, uint8_t *out, size_t cap, int *bad);

/* Sessions open (active or in a handshake) at now. */
int	sim_sess_count(struct sim_sess *, uint64_t now);

/* Wipe the keys of every slot. */
void	sim_sess_wipe(struct sim_sess *);

#endif
