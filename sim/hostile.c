#include <string.h>

#include "bmcstate.h"
#include "hostile.h"
#include "ipmi/fru.h"
#include "ipmi/rmcpp.h"
#include "ipmi/sdr.h"
#include "ipmi/sel.h"
#include "quirk.h"
#include "store.h"

/* RMCP (4 bytes), then IPMI v2.0 rev 1.1, 13.6: the session header */
#define DG_AUTH_TYPE	4
#define DG_PAYLOAD_TYPE	5
#define DG_SID		6
#define DG_LEN		14	/* payload length, LSB first */

/*
 * endless-sel: Get SEL Entry walks 0001h..FFFEh and then 0001h again, each
 * ID a copy of a real entry (its record ID changed), so every answer is a
 * well-formed record and only the chain is endless.  Get SEL Info is the
 * store's: the log's true count.  Reservations are not checked.
 */
static int
endless_sel(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	struct ipmi_get_sel_req q;
	struct ipmi_get_sel_rsp rsp;
	struct sim_sel_view v;
	uint8_t rec[SEL_ENTRY_LEN];
	struct buf r;
	unsigned id, n;

	b->cnt.get_sel_entry++;
	if (req->len != 6)
		return IPMI_CC_REQ_LEN;
	buf_init_read(&r, req->data, req->len);
	if (ipmi_get_sel_req_decode(&r, &q) != 0)
		return IPMI_CC_REQ_LEN;
	if (sim_store_sel_view(b, now, &v) != 0)
		return IPMI_CC_OUT_OF_SPACE;
	if (v.n == 0)
		return IPMI_CC_NOT_PRESENT;
	if (q.id == SEL_ID_FIRST)
		id = 1;
	else if (q.id == SEL_ID_LAST)
		id = SIM_ENDLESS_SEL_IDS;
	else
		id = q.id;
	memcpy(rec, v.raw + (size_t)((id - 1) % v.n) * SEL_ENTRY_LEN,
	    SEL_ENTRY_LEN);
	rec[0] = (uint8_t)id;
	rec[1] = (uint8_t)(id >> 8);
	if (q.offset >= SEL_ENTRY_LEN)
		return IPMI_CC_PARAM_RANGE;
	n = SEL_ENTRY_LEN - q.offset;
	if (q.count != SEL_READ_ALL) {
		if (q.count > n)
			return IPMI_CC_CANT_RETURN;
		n = q.count;
	}
	rsp.next = (uint16_t)(id == SIM_ENDLESS_SEL_IDS ? 1 : id + 1);
	rsp.data = rec + q.offset;
	rsp.len = n;
	if (ipmi_get_sel_rsp_encode(&rsp, w) != 0)
		return IPMI_CC_UNSPECIFIED;
	return IPMI_CC_OK;
}

int
sim_hostile_handle(struct sim_bmc *b, uint64_t now, uint8_t priv,
    const struct ipmi_msg *req, struct buf *w)
{
	(void)priv;
	if ((b->quirks & SIM_Q_ENDLESS_SEL) &&
	    req->netfn == IPMI_NETFN_STORAGE &&
	    req->cmd == IPMI_CMD_GET_SEL_ENTRY)
		return endless_sel(b, now, req, w);
	return -1;
}

/*
 * lie-sdr-length: every record's header (33.2: ID, version, type, then
 * the length of what follows the 5-byte header) claims SIM_LIE_SDR_EXTRA
 * bytes more than the record has; reads past the true end get no data,
 * as from a good BMC.  out: next record ID, then record bytes from the
 * request's offset.
 */
static void
lie_sdr(const struct ipmi_msg *req, uint8_t *out, size_t outlen)
{
	size_t off, at;
	unsigned v;

	if (req->len != 6 || outlen <= 2)
		return;
	off = req->data[4];
	if (off > 4 || 4 - off >= outlen - 2)
		return;
	at = 2 + (4 - off);
	v = out[at] + SIM_LIE_SDR_EXTRA;
	out[at] = (uint8_t)(v > 0xff ? 0xff : v);
}

/*
 * lie-fru-offset: the common header (FRU spec 1.3, 8) puts the product
 * area (byte 4, in 8-byte units) SIM_LIE_FRU_PAST bytes past the end of
 * the area Get FRU Inventory Area Info reports, its checksum (byte 7)
 * made good so that only the offset lies.  Patched into whatever part of
 * the header a read returns.
 */
static void
lie_fru(struct sim_bmc *b, uint64_t now, uint8_t priv,
    const struct ipmi_msg *req, uint8_t *out, size_t outlen)
{
	uint8_t d[4], hdr[IPMI_MAX_PAYLOAD], info[8], sum = 0;
	struct ipmi_msg m;
	struct buf w;
	size_t off, i, size;
	unsigned units;
	int cc;

	if (req->len != 4 || outlen < 2)
		return;
	off = (size_t)req->data[1] | (size_t)req->data[2] << 8;
	if (off >= 8)
		return;
	/* the true header and size, as a client would read them */
	d[0] = req->data[0];
	ipmi_msg_request(&m, IPMI_NETFN_STORAGE, IPMI_CMD_GET_FRU_INFO, 0, d,
	    1);
	buf_init_write(&w, info, sizeof(info));
	if (sim_store_handle(b, now, priv, &m, &w) != IPMI_CC_OK || w.len < 2)
		return;
	size = (size_t)info[0] | (size_t)info[1] << 8;
	d[1] = d[2] = 0;
	d[3] = 8;
	ipmi_msg_request(&m, IPMI_NETFN_STORAGE, IPMI_CMD_READ_FRU, 0, d, 4);
	buf_init_write(&w, hdr, sizeof(hdr));
	cc = sim_store_handle(b, now, priv, &m, &w);
	b->cnt.read_fru--;	/* ours, not the client's */
	if (cc != IPMI_CC_OK || w.len != 9)
		return;
	/* hdr[0] is the count: the header is hdr[1..8] */
	units = (unsigned)((size + SIM_LIE_FRU_PAST + 7) / 8);
	hdr[1 + 4] = (uint8_t)(units > 0xff ? 0xff : units);
	for (i = 0; i < 7; i++)
		sum = (uint8_t)(sum + hdr[1 + i]);
	hdr[1 + 7] = (uint8_t)-sum;
	for (i = off; i < 8 && 1 + i - off < outlen; i++)
		out[1 + i - off] = hdr[1 + i];
}

void
sim_hostile_rewrite(struct sim_bmc *b, uint64_t now, uint8_t priv,
    const struct ipmi_msg *req, uint8_t cc, uint8_t *out, size_t *outlen)
{
	uint32_t q = b->quirks & SIM_Q_HOSTILE;
	unsigned v;

	if (q == 0 || cc != IPMI_CC_OK || req->netfn != IPMI_NETFN_STORAGE)
		return;
	switch (req->cmd) {
	case IPMI_CMD_GET_SDR:
		if (q & SIM_Q_LIE_SDR_LEN)
			lie_sdr(req, out, *outlen);
		/* drip: the next record ID and one byte, 00h */
		if ((q & SIM_Q_DRIP) && *outlen > 3)
			*outlen = 3;
		break;
	case IPMI_CMD_READ_FRU:
		if (q & SIM_Q_LIE_FRU_OFFSET)
			lie_fru(b, now, priv, req, out, *outlen);
		/* drip: "1 byte read" and that byte */
		if ((q & SIM_Q_DRIP) && *outlen > 2) {
			out[0] = 1;
			*outlen = 2;
		}
		break;
	case IPMI_CMD_GET_SDR_REPO_INFO:
		/* 33.9: version, count, free, then the addition time stamp */
		if ((q & SIM_Q_CHURN) && *outlen >= 9) {
			uint32_t ts = (uint32_t)out[5] | (uint32_t)out[6] << 8 |
			    (uint32_t)out[7] << 16 | (uint32_t)out[8] << 24;

			ts += ++b->churn;
			out[5] = (uint8_t)ts;
			out[6] = (uint8_t)(ts >> 8);
			out[7] = (uint8_t)(ts >> 16);
			out[8] = (uint8_t)(ts >> 24);
		}
		break;
	case IPMI_CMD_GET_SEL_INFO:
		/* 31.2: version, then the entries count */
		if ((q & SIM_Q_LIE_SEL_COUNT) && *outlen >= 3) {
			v = (unsigned)out[1] | (unsigned)out[2] << 8;
			v += SIM_LIE_SEL_EXTRA;
			if (v > 0xfffe)
				v = 0xfffe;
			out[1] = (uint8_t)v;
			out[2] = (uint8_t)(v >> 8);
		}
		break;
	}
}

void
sim_hostile_datagram(uint32_t quirks, uint8_t *pkt, size_t len)
{
	unsigned v;

	/* the handshake's and session-less payloads carry no integrity
	 * code: the claim can change and the datagram stays acceptable */
	if (!(quirks & SIM_Q_LIE_RMCPP_LEN) || len < DG_LEN + 2 ||
	    pkt[DG_AUTH_TYPE] != IPMI_AUTH_RMCPP ||
	    (pkt[DG_PAYLOAD_TYPE] & 0x3f) == RMCPP_PT_OEM ||
	    (pkt[DG_SID] | pkt[DG_SID + 1] | pkt[DG_SID + 2] |
	    pkt[DG_SID + 3]) != 0)
		return;
	v = (unsigned)pkt[DG_LEN] | (unsigned)pkt[DG_LEN + 1] << 8;
	v += SIM_LIE_RMCPP_EXTRA;
	pkt[DG_LEN] = (uint8_t)v;
	pkt[DG_LEN + 1] = (uint8_t)(v >> 8);
}

int
sim_hostile_sends(uint32_t quirks, struct sim_echo *e, uint64_t peer,
    const uint8_t *p, size_t len, struct sim_send out[SIM_SENDS_MAX])
{
	int n = 0, cur;

	if (e == NULL || !(quirks & (SIM_Q_DUPLICATE | SIM_Q_REORDER)) ||
	    len > sizeof(e->buf[0])) {
		out[0].p = p;
		out[0].len = len;
		out[0].peer = peer;
		return 1;
	}
	cur = e->last ^ 1;
	memcpy(e->buf[cur], p, len);
	e->len[cur] = len;
	e->peer[cur] = peer;
	out[n].p = e->buf[cur];
	out[n].len = len;
	out[n++].peer = peer;
	if (quirks & SIM_Q_DUPLICATE)
		out[n++] = out[0];
	if ((quirks & SIM_Q_REORDER) && e->answers % 2 == 1 &&
	    e->len[e->last] > 0) {
		out[n].p = e->buf[e->last];
		out[n].len = e->len[e->last];
		out[n++].peer = e->peer[e->last];
	}
	e->answers++;
	e->last = cur;
	return n;
}
