#include "ipmi.h"
#include "rmcp.h"

int
rmcp_encode(struct buf *b, uint8_t seq, uint8_t cls)
{
	if (buf_put_u8(b, RMCP_VERSION) == -1 || buf_put_u8(b, 0) == -1 ||
	    buf_put_u8(b, seq) == -1 || buf_put_u8(b, cls) == -1)
		return IPMI_E_NOSPACE;
	return 0;
}

int
rmcp_decode(struct buf *b, struct rmcp_hdr *h)
{
	uint8_t rsvd, cls;

	if (buf_get_u8(b, &h->version) == -1 || buf_get_u8(b, &rsvd) == -1 ||
	    buf_get_u8(b, &h->seq) == -1 || buf_get_u8(b, &cls) == -1)
		return IPMI_E_SHORT;
	if (h->version != RMCP_VERSION)
		return IPMI_E_MALFORMED;
	h->ack = (cls & RMCP_CLASS_ACK) != 0;
	h->cls = cls & 0x0f;
	return 0;
}

static int
asf_header(struct buf *b, uint8_t seq, uint8_t type, uint8_t tag, uint8_t len)
{
	if (rmcp_encode(b, seq, RMCP_CLASS_ASF) != 0 ||
	    buf_put_be32(b, ASF_IANA) == -1 || buf_put_u8(b, type) == -1 ||
	    buf_put_u8(b, tag) == -1 || buf_put_u8(b, 0) == -1 ||
	    buf_put_u8(b, len) == -1)
		return IPMI_E_NOSPACE;
	return 0;
}

int
asf_encode_ping(struct buf *b, uint8_t seq, uint8_t tag)
{
	return asf_header(b, seq, ASF_TYPE_PING, tag, 0);
}

int
asf_encode_pong(struct buf *b, uint8_t seq, uint8_t tag, uint8_t entities)
{
	if (asf_header(b, seq, ASF_TYPE_PONG, tag, 16) != 0 ||
	    buf_put_be32(b, ASF_IANA) == -1 || buf_put_be32(b, 0) == -1 ||
	    buf_put_u8(b, entities) == -1 || buf_put_u8(b, 0) == -1 ||
	    buf_put_zero(b, 6) == -1)
		return IPMI_E_NOSPACE;
	return 0;
}

int
asf_decode(struct buf *b, struct asf_msg *m)
{
	uint8_t rsvd, len;

	if (buf_get_be32(b, &m->iana) == -1 || buf_get_u8(b, &m->type) == -1 ||
	    buf_get_u8(b, &m->tag) == -1 || buf_get_u8(b, &rsvd) == -1 ||
	    buf_get_u8(b, &len) == -1)
		return IPMI_E_SHORT;
	if (m->iana != ASF_IANA)
		return IPMI_E_MALFORMED;
	m->oem_iana = m->oem_defined = 0;
	m->entities = m->interactions = 0;
	if (m->type == ASF_TYPE_PONG) {
		if (len < 16 || buf_left(b) < 16)
			return IPMI_E_SHORT;
		(void)buf_get_be32(b, &m->oem_iana);
		(void)buf_get_be32(b, &m->oem_defined);
		(void)buf_get_u8(b, &m->entities);
		(void)buf_get_u8(b, &m->interactions);
		(void)buf_skip(b, 6);
	} else if (len > buf_left(b))
		return IPMI_E_SHORT;
	return 0;
}
