/*
 * msg: the IPMI message carried inside a LAN session (IPMI v2.0 rev 1.1,
 * 13.8, figure 13-4): addresses, netfn/LUN, two checksums, rq_seq, command,
 * a completion code in responses, and data.
 *
 * The netfn's low bit tells the layout: even is a request (no completion
 * code), odd a response.  Decoding checks both checksums and never copies:
 * data points into the caller's buffer, valid as long as it is.
 */
#ifndef BMCFLEET_IPMI_MSG_H
#define BMCFLEET_IPMI_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct ipmi_msg {
	uint8_t		 rs_addr;	/* responder: the BMC, 0x20 */
	uint8_t		 rs_lun;
	uint8_t		 rq_addr;	/* requester: remote console SWID 0x81 */
	uint8_t		 rq_lun;
	uint8_t		 netfn;		/* odd = response */
	uint8_t		 rq_seq;	/* 0..63 */
	uint8_t		 cmd;
	uint8_t		 cc;		/* responses only */
	const uint8_t	*data;		/* after the completion code */
	size_t		 len;
};

#define IPMI_MSG_OVERHEAD	7	/* header, two checksums; +1 for cc */

/* Two's complement checksum: the byte that makes the sum zero. */
uint8_t	ipmi_checksum(const uint8_t *, size_t);

/* Append the message; returns 0 or IPMI_E_NOSPACE / IPMI_E_INVAL. */
int	ipmi_msg_encode(const struct ipmi_msg *, struct buf *);
/*
 * Decode exactly the bytes left in the buffer (the session layer has already
 * cut the payload).  Returns 0, IPMI_E_SHORT or IPMI_E_CHECKSUM.
 */
int	ipmi_msg_decode(struct buf *, struct ipmi_msg *);

/* A request from the remote console to the BMC, with the usual addresses. */
void	ipmi_msg_request(struct ipmi_msg *, uint8_t netfn, uint8_t cmd,
	    uint8_t rq_seq, const uint8_t *data, size_t len);
/* The response skeleton for a decoded request (addresses swapped). */
void	ipmi_msg_response(struct ipmi_msg *rsp, const struct ipmi_msg *req,
	    uint8_t cc, const uint8_t *data, size_t len);

#endif
