/*
 * rmcp: the RMCP header every IPMI-over-LAN datagram starts with, and ASF
 * presence ping/pong (DMTF ASF 2.0, 3.2.4; IPMI v2.0 rev 1.1, 13.1-13.2).
 */
#ifndef BMCFLEET_IPMI_RMCP_H
#define BMCFLEET_IPMI_RMCP_H

#include <stdint.h>

#include "buf.h"

#define RMCP_VERSION		0x06
#define RMCP_SEQ_NOACK		0xff	/* IPMI traffic never asks for ACKs */
#define RMCP_CLASS_ASF		0x06
#define RMCP_CLASS_IPMI		0x07
#define RMCP_CLASS_ACK		0x80
#define RMCP_HDR_LEN		4

#define ASF_IANA		4542
#define ASF_TYPE_PING		0x80
#define ASF_TYPE_PONG		0x40
#define ASF_ENTITY_IPMI		0x80	/* pong: IPMI supported */

struct rmcp_hdr {
	uint8_t	version;
	uint8_t	seq;
	uint8_t	cls;		/* without the ACK bit */
	int	ack;
};

int	rmcp_encode(struct buf *, uint8_t seq, uint8_t cls);
/* 0, IPMI_E_SHORT, or IPMI_E_MALFORMED for a version other than 6 */
int	rmcp_decode(struct buf *, struct rmcp_hdr *);

struct asf_msg {
	uint32_t	iana;
	uint8_t		type;
	uint8_t		tag;
	/* pong only */
	uint32_t	oem_iana;
	uint32_t	oem_defined;
	uint8_t		entities;
	uint8_t		interactions;
};

/* Whole datagrams, RMCP header included. */
int	asf_encode_ping(struct buf *, uint8_t rmcp_seq, uint8_t tag);
int	asf_encode_pong(struct buf *, uint8_t rmcp_seq, uint8_t tag,
	    uint8_t entities);
/* After rmcp_decode() said RMCP_CLASS_ASF. */
int	asf_decode(struct buf *, struct asf_msg *);

#endif
