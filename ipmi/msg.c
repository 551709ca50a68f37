#include "ipmi.h"
#include "msg.h"

uint8_t
ipmi_checksum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	while (n-- > 0)
		sum += *p++;
	return (uint8_t)-sum;
}

int
ipmi_msg_encode(const struct ipmi_msg *m, struct buf *b)
{
	int rsp = m->netfn & 1;
	size_t need = IPMI_MSG_OVERHEAD + m->len + (rsp ? 1 : 0);
	uint8_t *p, *q;

	if (m->netfn > 0x3f || m->rq_seq > 0x3f || m->rs_lun > 3 ||
	    m->rq_lun > 3 || m->len > IPMI_MAX_PAYLOAD)
		return IPMI_E_INVAL;
	if ((p = buf_reserve(b, need)) == NULL)
		return IPMI_E_NOSPACE;
	q = p;
	/* the target's address comes first, so requests and responses swap */
	if (!rsp) {
		*q++ = m->rs_addr;
		*q++ = (uint8_t)(m->netfn << 2 | m->rs_lun);
		*q++ = ipmi_checksum(p, 2);
		*q++ = m->rq_addr;
		*q++ = (uint8_t)(m->rq_seq << 2 | m->rq_lun);
	} else {
		*q++ = m->rq_addr;
		*q++ = (uint8_t)(m->netfn << 2 | m->rq_lun);
		*q++ = ipmi_checksum(p, 2);
		*q++ = m->rs_addr;
		*q++ = (uint8_t)(m->rq_seq << 2 | m->rs_lun);
	}
	*q++ = m->cmd;
	if (rsp)
		*q++ = m->cc;
	for (size_t i = 0; i < m->len; i++)
		*q++ = m->data[i];
	*q = ipmi_checksum(p + 3, (size_t)(q - (p + 3)));
	return 0;
}

int
ipmi_msg_decode(struct buf *b, struct ipmi_msg *m)
{
	const uint8_t *p;
	size_t n = buf_left(b);
	int rsp;

	if (n < IPMI_MSG_OVERHEAD)
		return IPMI_E_SHORT;
	p = buf_cur(b);
	if (ipmi_checksum(p, 2) != p[2] || ipmi_checksum(p + 3, n - 4) !=
	    p[n - 1])
		return IPMI_E_CHECKSUM;
	m->netfn = p[1] >> 2;
	rsp = m->netfn & 1;
	if (rsp && n < IPMI_MSG_OVERHEAD + 1)
		return IPMI_E_SHORT;
	if (!rsp) {
		m->rs_addr = p[0];
		m->rs_lun = p[1] & 3;
		m->rq_addr = p[3];
		m->rq_lun = p[4] & 3;
	} else {
		m->rq_addr = p[0];
		m->rq_lun = p[1] & 3;
		m->rs_addr = p[3];
		m->rs_lun = p[4] & 3;
	}
	m->rq_seq = p[4] >> 2;
	m->cmd = p[5];
	m->cc = rsp ? p[6] : 0;
	m->data = p + 6 + rsp;
	m->len = n - IPMI_MSG_OVERHEAD - (size_t)rsp;
	b->pos += n;
	return 0;
}

void
ipmi_msg_request(struct ipmi_msg *m, uint8_t netfn, uint8_t cmd,
    uint8_t rq_seq, const uint8_t *data, size_t len)
{
	m->rs_addr = IPMI_BMC_ADDR;
	m->rs_lun = 0;
	m->rq_addr = IPMI_REMOTE_SWID;
	m->rq_lun = 0;
	m->netfn = netfn & ~1;
	m->rq_seq = rq_seq & 0x3f;
	m->cmd = cmd;
	m->cc = 0;
	m->data = data;
	m->len = len;
}

void
ipmi_msg_response(struct ipmi_msg *rsp, const struct ipmi_msg *req,
    uint8_t cc, const uint8_t *data, size_t len)
{
	*rsp = *req;
	rsp->netfn = req->netfn | 1;
	rsp->cc = cc;
	rsp->data = data;
	rsp->len = len;
}
