/*
 * lan15: the IPMI v1.5 session wrapper (IPMI v2.0 rev 1.1, 13.6 and 22.17):
 * auth type, session sequence number, session ID, a 16-byte auth code when
 * the auth type is not none, a one-byte payload length and the message.
 *
 * The auth code (22.17.1): straight password is the password itself; MD5 is
 * MD5(password, session ID, message, sequence number, password), the
 * password zero-padded to 16 bytes.  MD2 and OEM are not implemented.
 */
#ifndef BMCFLEET_IPMI_LAN15_H
#define BMCFLEET_IPMI_LAN15_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct lan15_hdr {
	uint8_t		 auth_type;
	uint32_t	 seq;
	uint32_t	 session_id;
	uint8_t		 auth_code[16];
	const uint8_t	*msg;		/* into the decoded buffer */
	size_t		 len;
};

/*
 * Write a whole datagram (RMCP header included) carrying msg.  pw is the
 * 16-byte zero-padded password; unused for IPMI_AUTH_NONE.  Returns 0,
 * IPMI_E_NOSPACE, IPMI_E_UNSUPPORTED (MD2/OEM) or IPMI_E_CRYPTO.
 */
int	lan15_encode(struct buf *, uint8_t auth_type, uint32_t seq,
	    uint32_t session_id, const uint8_t pw[16], const uint8_t *msg,
	    size_t len);
/*
 * Decode the session wrapper after the RMCP header.  h->msg points at the
 * message (length h->len) inside the buffer.  Trailing bytes past the
 * declared payload (the legacy pad) are ignored.
 */
int	lan15_decode(struct buf *, struct lan15_hdr *);
/* 0 when the auth code matches, IPMI_E_AUTHCODE otherwise. */
int	lan15_check_auth(const struct lan15_hdr *, const uint8_t pw[16]);
/* Compute the auth code for a message into out[16]. */
int	lan15_auth_code(uint8_t auth_type, uint32_t seq, uint32_t session_id,
	    const uint8_t pw[16], const uint8_t *msg, size_t len,
	    uint8_t out[16]);

#endif
