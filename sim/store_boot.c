/*
 * store_boot: the system boot options of a simulated BMC (store.h): Set
 * and Get System Boot Options.
 */
#include <string.h>

#include "ipmi/ipmi.h"
#include "store_int.h"

#define BOOT_PARAM_VALID_CLEARING	3
#define BOOT_PARAM_ACK			4
#define BOOT_CC_UNSUPPORTED		0x80	/* parameter not supported */

int
store_boot_set(struct sim_bmc *b, uint8_t priv, const struct ipmi_msg *req)
{
	struct boot_set_req q;
	struct sim_store *st;
	struct buf r;

	if (priv < IPMI_PRIV_OPERATOR)
		return IPMI_CC_PRIVILEGE;
	buf_init_read(&r, req->data, req->len);
	if (req->len < 1)
		return IPMI_CC_REQ_LEN;
	if (boot_set_req_decode(&r, &q) != 0)
		return IPMI_CC_REQ_TOO_LONG;
	switch (q.param) {
	case BOOT_PARAM_SET_IN_PROGRESS:
	case BOOT_PARAM_VALID_CLEARING:
		if (q.len != 1)
			return IPMI_CC_REQ_LEN;
		break;
	case BOOT_PARAM_ACK:
		if (q.len != 2)
			return IPMI_CC_REQ_LEN;
		break;
	case BOOT_PARAM_FLAGS:
		if (q.len != BOOT_FLAGS_LEN)
			return IPMI_CC_REQ_LEN;
		break;
	default:
		return BOOT_CC_UNSUPPORTED;
	}
	if (q.param == BOOT_PARAM_SET_IN_PROGRESS && (q.data[0] & 0x03) == 3)
		return IPMI_CC_INVALID_FIELD;
	if ((st = store_get(b)) == NULL)
		return IPMI_CC_OUT_OF_SPACE;
	b->cnt.set_boot++;
	switch (q.param) {
	case BOOT_PARAM_SET_IN_PROGRESS:
		/* commit write (2) changes nothing: writes apply at once */
		if ((q.data[0] & 0x03) != BOOT_COMMIT_WRITE)
			st->boot_progress = q.data[0] & 0x03;
		break;
	case BOOT_PARAM_VALID_CLEARING:
		st->boot_clearing = q.data[0] & 0x1f;
		break;
	case BOOT_PARAM_ACK:
		/* write mask, then the acknowledge bits */
		st->boot_ack = (uint8_t)((st->boot_ack & ~q.data[0]) |
		    (q.data[1] & q.data[0]));
		break;
	default:
		memcpy(st->boot_flags, q.data, BOOT_FLAGS_LEN);
		st->boot_locked = q.invalid;
		break;
	}
	return IPMI_CC_OK;
}

int
store_boot_get(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	static const struct sim_store none;
	const struct sim_store *st = b->store != NULL ? b->store : &none;
	struct boot_get_req q;
	struct boot_get_rsp rsp;
	struct buf r;

	NEED(3);
	buf_init_read(&r, req->data, req->len);
	if (boot_get_req_decode(&r, &q) != 0)
		return IPMI_CC_REQ_LEN;
	memset(&rsp, 0, sizeof(rsp));
	rsp.version = 1;
	rsp.param = q.param;
	switch (q.param) {
	case BOOT_PARAM_SET_IN_PROGRESS:
		rsp.data[0] = st->boot_progress;
		rsp.len = 1;
		break;
	case BOOT_PARAM_VALID_CLEARING:
		rsp.data[0] = st->boot_clearing;
		rsp.len = 1;
		break;
	case BOOT_PARAM_ACK:
		rsp.data[0] = 0x00;
		rsp.data[1] = st->boot_ack;
		rsp.len = 2;
		break;
	case BOOT_PARAM_FLAGS:
		memcpy(rsp.data, st->boot_flags, BOOT_FLAGS_LEN);
		rsp.len = BOOT_FLAGS_LEN;
		rsp.invalid = st->boot_locked;
		break;
	default:
		return BOOT_CC_UNSUPPORTED;
	}
	ENC(boot_get_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}
