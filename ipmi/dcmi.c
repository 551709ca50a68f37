#include <string.h>

#include "dcmi.h"
#include "ipmi.h"

#define PUT(expr)	do { if ((expr) == -1) return IPMI_E_NOSPACE; } while (0)
#define GET(expr)	do { if ((expr) == -1) return IPMI_E_SHORT; } while (0)

/* DCMI 1.5, 6.1: every DCMI message starts with the group ID */
static int
group_get(struct buf *b)
{
	uint8_t g;

	GET(buf_get_u8(b, &g));
	return g == DCMI_GROUP_ID ? 0 : IPMI_E_MALFORMED;
}

int
dcmi_caps_req_encode(uint8_t param, struct buf *b)
{
	PUT(buf_put_u8(b, DCMI_GROUP_ID));
	PUT(buf_put_u8(b, param));
	return 0;
}

int
dcmi_caps_req_decode(struct buf *b, uint8_t *param)
{
	int rc;

	if ((rc = group_get(b)) != 0)
		return rc;
	GET(buf_get_u8(b, param));
	return 0;
}

int
dcmi_caps_rsp_encode(const struct dcmi_caps_rsp *r, struct buf *b)
{
	PUT(buf_put_u8(b, DCMI_GROUP_ID));
	PUT(buf_put_u8(b, r->major));
	PUT(buf_put_u8(b, r->minor));
	PUT(buf_put_u8(b, r->param_rev));
	if (r->rawlen > sizeof(r->raw))
		return IPMI_E_NOSPACE;
	PUT(buf_put_bytes(b, r->raw, r->rawlen));
	return 0;
}

/* The parameter layouts of DCMI 1.5, 6.1.1, tables 6-3 to 6-7. */
static int
caps_param(struct dcmi_caps_rsp *r)
{
	const uint8_t *d = r->raw;
	size_t i;

	switch (r->param) {
	case DCMI_CAP_SUPPORTED:
		/*
		 * Three bytes after the revision, as ipmitool, FreeIPMI and
		 * OpenBMC send and read them (a fourth byte makes FreeIPMI
		 * wait for an answer that never fits).
		 */
		if (r->rawlen < 3)
			return IPMI_E_SHORT;
		r->supported.platform = d[0];
		r->supported.optional = d[1];
		r->supported.access = d[2];
		break;
	case DCMI_CAP_MANDATORY:
		/* SEL attributes (2), identification (1), reserved (1),
		 * then the temperature sampling period: 5 bytes */
		if (r->rawlen < 3)
			return IPMI_E_SHORT;
		r->mandatory.sel_entries = (uint16_t)((d[0] | d[1] << 8) &
		    0x0fff);
		r->mandatory.sel_rollover = (d[1] & 0x80) != 0;
		r->mandatory.sel_flush_all = (d[1] & 0x40) != 0;
		r->mandatory.sel_flush_record = (d[1] & 0x20) != 0;
		r->mandatory.ident = d[2] & 0x07;
		if (r->rawlen >= 5)
			r->mandatory.temp_sample_s = d[4];
		break;
	case DCMI_CAP_OPTIONAL:
		if (r->rawlen < 2)
			return IPMI_E_SHORT;
		r->optional.pm_addr = d[0] >> 1;
		r->optional.pm_channel = d[1] >> 4;
		r->optional.pm_rev = d[1] & 0x0f;
		break;
	case DCMI_CAP_ACCESS:
		if (r->rawlen < 3)
			return IPMI_E_SHORT;
		r->access.primary_lan = d[0];
		r->access.secondary_lan = d[1];
		r->access.serial = d[2];
		break;
	case DCMI_CAP_POWER_STATS:
		if (r->rawlen < 1)
			return IPMI_E_SHORT;
		/* the count is a claim: keep the periods that arrived */
		for (i = 0; i < d[0] && i + 1 < r->rawlen &&
		    i < DCMI_PERIODS_MAX; i++) {
			r->stats.period[i].raw = d[i + 1];
			r->stats.period[i].unit = d[i + 1] >> 6;
			r->stats.period[i].duration = d[i + 1] & 0x3f;
		}
		r->stats.n = (uint8_t)i;
		break;
	default:
		break;
	}
	return 0;
}

int
dcmi_caps_rsp_decode(struct buf *b, uint8_t param, struct dcmi_caps_rsp *r)
{
	size_t n;
	int rc;

	memset(r, 0, sizeof(*r));
	r->param = param;
	if ((rc = group_get(b)) != 0)
		return rc;
	GET(buf_get_u8(b, &r->major));
	GET(buf_get_u8(b, &r->minor));
	GET(buf_get_u8(b, &r->param_rev));
	n = buf_left(b);
	if (n > sizeof(r->raw))
		n = sizeof(r->raw);
	GET(buf_get_bytes(b, r->raw, n));
	r->rawlen = n;
	return caps_param(r);
}

int
dcmi_power_req_encode(const struct dcmi_power_req *r, struct buf *b)
{
	PUT(buf_put_u8(b, DCMI_GROUP_ID));
	PUT(buf_put_u8(b, r->mode));
	PUT(buf_put_u8(b, r->attr));
	PUT(buf_put_u8(b, 0x00));	/* reserved */
	return 0;
}

int
dcmi_power_req_decode(struct buf *b, struct dcmi_power_req *r)
{
	uint8_t rsvd;
	int rc;

	if ((rc = group_get(b)) != 0)
		return rc;
	GET(buf_get_u8(b, &r->mode));
	GET(buf_get_u8(b, &r->attr));
	GET(buf_get_u8(b, &rsvd));
	return 0;
}

int
dcmi_power_rsp_encode(const struct dcmi_power_rsp *r, struct buf *b)
{
	PUT(buf_put_u8(b, DCMI_GROUP_ID));
	PUT(buf_put_le16(b, r->current_w));
	PUT(buf_put_le16(b, r->min_w));
	PUT(buf_put_le16(b, r->max_w));
	PUT(buf_put_le16(b, r->avg_w));
	PUT(buf_put_le32(b, r->timestamp));
	PUT(buf_put_le32(b, r->period_ms));
	PUT(buf_put_u8(b, (uint8_t)((r->state & ~0x40) |
	    (r->active ? 0x40 : 0))));
	return 0;
}

/* DCMI 1.5, table 6-16: every field is little-endian */
int
dcmi_power_rsp_decode(struct buf *b, struct dcmi_power_rsp *r)
{
	int rc;

	if ((rc = group_get(b)) != 0)
		return rc;
	GET(buf_get_le16(b, &r->current_w));
	GET(buf_get_le16(b, &r->min_w));
	GET(buf_get_le16(b, &r->max_w));
	GET(buf_get_le16(b, &r->avg_w));
	GET(buf_get_le32(b, &r->timestamp));
	GET(buf_get_le32(b, &r->period_ms));
	GET(buf_get_u8(b, &r->state));
	r->active = (r->state & 0x40) != 0;
	return 0;
}

const char *
dcmi_cap_name(int which, int bit)
{
	static const char *const plat[] = {
		"Identification support available",
		"SEL logging available",
		"Chassis power available",
		"Temperature monitor available",
	};
	static const char *const opt[] = {
		"Power management available",
	};
	static const char *const acc[] = {
		"In-band KCS channel available",
		"Out-of-band serial TMODE available",
		"Out-of-band secondary LAN channel available",
		"Out-of-band primary LAN channel available",
		"SOL enabled",
		"VLAN capable",
	};

	if (bit < 0)
		return NULL;
	switch (which) {
	case 0:
		return (size_t)bit < sizeof(plat) / sizeof(plat[0]) ?
		    plat[bit] : NULL;
	case 1:
		return (size_t)bit < sizeof(opt) / sizeof(opt[0]) ?
		    opt[bit] : NULL;
	case 2:
		return (size_t)bit < sizeof(acc) / sizeof(acc[0]) ?
		    acc[bit] : NULL;
	default:
		return NULL;
	}
}

void
dcmi_caps_req(struct ipmi_req *req, uint8_t param)
{
	struct buf b;

	memset(req, 0, sizeof(*req));
	req->netfn = IPMI_NETFN_GROUP;
	req->cmd = DCMI_CMD_GET_CAPABILITIES;
	buf_init_write(&b, req->data, sizeof(req->data));
	(void)dcmi_caps_req_encode(param, &b);
	req->len = b.len;
}

void
dcmi_power_req(struct ipmi_req *req, uint8_t mode, uint8_t attr)
{
	struct dcmi_power_req r = { mode, attr };
	struct buf b;

	memset(req, 0, sizeof(*req));
	req->netfn = IPMI_NETFN_GROUP;
	req->cmd = DCMI_CMD_GET_POWER_READING;
	buf_init_write(&b, req->data, sizeof(req->data));
	(void)dcmi_power_req_encode(&r, &b);
	req->len = b.len;
}
