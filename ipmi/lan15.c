#include <string.h>

#include "crypto.h"
#include "ipmi.h"
#include "lan15.h"
#include "rmcp.h"

int
lan15_auth_code(uint8_t auth_type, uint32_t seq, uint32_t session_id,
    const uint8_t pw[16], const uint8_t *msg, size_t len, uint8_t out[16])
{
	uint8_t sid[4], sq[4];
	struct crypto_seg seg[5];

	switch (auth_type) {
	case IPMI_AUTH_NONE:
		memset(out, 0, 16);
		return 0;
	case IPMI_AUTH_STRAIGHT:
		memcpy(out, pw, 16);
		return 0;
	case IPMI_AUTH_MD5:
		break;
	default:
		return IPMI_E_UNSUPPORTED;
	}
	sid[0] = session_id & 0xff;
	sid[1] = (session_id >> 8) & 0xff;
	sid[2] = (session_id >> 16) & 0xff;
	sid[3] = session_id >> 24;
	sq[0] = seq & 0xff;
	sq[1] = (seq >> 8) & 0xff;
	sq[2] = (seq >> 16) & 0xff;
	sq[3] = seq >> 24;
	seg[0] = (struct crypto_seg){ pw, 16 };
	seg[1] = (struct crypto_seg){ sid, 4 };
	seg[2] = (struct crypto_seg){ msg, len };
	seg[3] = (struct crypto_seg){ sq, 4 };
	seg[4] = (struct crypto_seg){ pw, 16 };
	return crypto_digest(CRYPTO_MD5, seg, 5, out) == 0 ? 0 : IPMI_E_CRYPTO;
}

int
lan15_encode(struct buf *b, uint8_t auth_type, uint32_t seq,
    uint32_t session_id, const uint8_t pw[16], const uint8_t *msg, size_t len)
{
	uint8_t code[16];
	size_t start = b->len;
	int rc;

	if (len > 255)
		return IPMI_E_INVAL;
	if ((rc = rmcp_encode(b, RMCP_SEQ_NOACK, RMCP_CLASS_IPMI)) != 0)
		return rc;
	if (buf_put_u8(b, auth_type) == -1 || buf_put_le32(b, seq) == -1 ||
	    buf_put_le32(b, session_id) == -1)
		return IPMI_E_NOSPACE;
	if (auth_type != IPMI_AUTH_NONE) {
		if ((rc = lan15_auth_code(auth_type, seq, session_id, pw, msg,
		    len, code)) != 0)
			return rc;
		if (buf_put_bytes(b, code, 16) == -1)
			return IPMI_E_NOSPACE;
	}
	if (buf_put_u8(b, (uint8_t)len) == -1 || buf_put_bytes(b, msg, len) ==
	    -1)
		return IPMI_E_NOSPACE;
	/*
	 * Some early LAN controllers drop frames of these lengths; the
	 * spec's legacy pad byte (13.6, note) avoids them.
	 */
	switch (b->len - start) {
	case 56: case 84: case 112: case 128: case 156:
		if (buf_put_u8(b, 0) == -1)
			return IPMI_E_NOSPACE;
	}
	return 0;
}

int
lan15_decode(struct buf *b, struct lan15_hdr *h)
{
	uint8_t len;

	if (buf_get_u8(b, &h->auth_type) == -1 ||
	    buf_get_le32(b, &h->seq) == -1 ||
	    buf_get_le32(b, &h->session_id) == -1)
		return IPMI_E_SHORT;
	switch (h->auth_type) {
	case IPMI_AUTH_NONE:
		memset(h->auth_code, 0, 16);
		break;
	case IPMI_AUTH_MD2:
	case IPMI_AUTH_MD5:
	case IPMI_AUTH_STRAIGHT:
	case IPMI_AUTH_OEM:
		if (buf_get_bytes(b, h->auth_code, 16) == -1)
			return IPMI_E_SHORT;
		break;
	default:
		return IPMI_E_MALFORMED;
	}
	if (buf_get_u8(b, &len) == -1)
		return IPMI_E_SHORT;
	if (buf_get_ref(b, &h->msg, len) == -1)
		return IPMI_E_SHORT;
	h->len = len;
	/* the legacy pad, or junk: not part of the authenticated message */
	b->pos = b->len;
	return 0;
}

int
lan15_check_auth(const struct lan15_hdr *h, const uint8_t pw[16])
{
	uint8_t code[16];
	int rc;

	if (h->auth_type == IPMI_AUTH_NONE)
		return 0;
	if ((rc = lan15_auth_code(h->auth_type, h->seq, h->session_id, pw,
	    h->msg, h->len, code)) != 0)
		return rc;
	return crypto_memcmp(code, h->auth_code, 16) == 0 ? 0 :
	    IPMI_E_AUTHCODE;
}
