/*
 * hostile: the hostile BMCs of quirk.h's SIM_Q_SLOW..SIM_Q_REBOOT, played
 * around the well-behaved BMC rather than inside it, so bmc.c, sensors.c,
 * store.c and sess.c stay as a good BMC is and each hostile trait is found
 * here (docs/bmcsim.1, "HOSTILE BMCS"):
 *
 *   sim_hostile_handle   before the BMC's handlers: endless-sel answers
 *                        Get SEL Entry itself
 *   sim_hostile_rewrite  after them: drip, churn and the length lies
 *                        (lie-sdr-length, lie-fru-offset, lie-sel-count)
 *                        alter the answer in place
 *   sim_hostile_datagram a datagram on its way out: lie-rmcpp-length
 *   sim_hostile_sends    what goes out for one answer: duplicate, reorder
 *
 * slow is fleet.c's (the delay), no-slot and reboot the session layer's
 * (sess.h: they are about sessions).  Pure, like bmc.c: no sockets, no clock.
 */
#ifndef BMCFLEET_SIM_HOSTILE_H
#define BMCFLEET_SIM_HOSTILE_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi/buf.h"
#include "ipmi/ipmi.h"
#include "ipmi/msg.h"

struct sim_bmc;

/* lie-sdr-length: what each record header's length byte claims beyond */
#define SIM_LIE_SDR_EXTRA	32
/* lie-fru-offset: the product area starts this far past the FRU's end */
#define SIM_LIE_FRU_PAST	16
/* lie-sel-count: Get SEL Info's entries beyond the log's */
#define SIM_LIE_SEL_EXTRA	1000
/* lie-rmcpp-length: a session-less RMCP+ payload length beyond the data */
#define SIM_LIE_RMCPP_EXTRA	32
/* endless-sel: IDs 0001h..FFFEh, then 0001h again; never FFFFh */
#define SIM_ENDLESS_SEL_IDS	0xfffe

/*
 * A request the hostile BMC answers its own way: -1 when not (the BMC's
 * handlers answer it), else the completion code with the data in w.
 */
int	sim_hostile_handle(struct sim_bmc *, uint64_t now, uint8_t priv,
	    const struct ipmi_msg *req, struct buf *w);

/*
 * The BMC answered req with cc and out[0..*outlen): alter the answer as
 * the BMC's hostile quirks say, never lengthening it.  Nothing changes
 * for a BMC without them, or when cc is not 00h.
 */
void	sim_hostile_rewrite(struct sim_bmc *, uint64_t now, uint8_t priv,
	    const struct ipmi_msg *req, uint8_t cc, uint8_t *out,
	    size_t *outlen);

/* A datagram (RMCP header on) about to be sent: lie-rmcpp-length. */
void	sim_hostile_datagram(uint32_t quirks, uint8_t *pkt, size_t len);

/*
 * duplicate and reorder: a BMC's memory of its previous answer.  Zeroed
 * is ready.  About 1 KiB, so fleet.c allocates one only for the BMCs
 * with either quirk.
 */
struct sim_echo {
	uint32_t	answers;	/* answers sent so far */
	int		last;		/* buf[last]: the previous answer */
	size_t		len[2];
	uint64_t	peer[2];
	uint8_t		buf[2][IPMI_MAX_PACKET];
};

struct sim_send {
	const uint8_t	*p;
	size_t		 len;
	uint64_t	 peer;		/* as sim_sess_input's: addr << 16 | port */
};

#define SIM_SENDS_MAX	3

/*
 * The datagrams to send, in order, for answer p (len bytes, at most
 * IPMI_MAX_PACKET) to peer: the answer; with duplicate, the answer again;
 * with reorder, on every second answer, the previous answer again (to
 * whom it went), arriving after the current one.  Fills out[] and returns
 * how many; the pointers are valid until the next call with e.
 */
int	sim_hostile_sends(uint32_t quirks, struct sim_echo *e, uint64_t peer,
	    const uint8_t *p, size_t len, struct sim_send out[SIM_SENDS_MAX]);

#endif
