/* pef: PEF and LAN alerting codecs; see pef.h. */
#include <string.h>

#include "ipmi.h"
#include "pef.h"

#define PUT(expr)	do { if ((expr) == -1) return IPMI_E_NOSPACE; } while (0)
#define GET(expr)	do { if ((expr) == -1) return IPMI_E_SHORT; } while (0)

static const struct {
	uint8_t		 sev;
	const char	*name;
} sevs[] = {
	{ PEF_SEV_UNSPECIFIED, "unspecified" },
	{ PEF_SEV_MONITOR, "monitor" },
	{ PEF_SEV_INFO, "info" },
	{ PEF_SEV_OK, "ok" },
	{ PEF_SEV_WARNING, "warning" },
	{ PEF_SEV_CRITICAL, "critical" },
	{ PEF_SEV_NONRECOVERABLE, "non-recoverable" },
};
#define NSEVS	(sizeof(sevs) / sizeof(sevs[0]))

const char *
pef_severity_name(uint8_t sev)
{
	size_t i;

	for (i = 0; i < NSEVS; i++)
		if (sevs[i].sev == sev)
			return sevs[i].name;
	return "unknown";
}

int
pef_severity_parse(const char *s)
{
	size_t i;

	if (strcmp(s, "information") == 0)
		return PEF_SEV_INFO;
	if (strcmp(s, "nonrecoverable") == 0)
		return PEF_SEV_NONRECOVERABLE;
	for (i = 0; i < NSEVS; i++)
		if (strcmp(sevs[i].name, s) == 0)
			return sevs[i].sev;
	return -1;
}

/* --- Get PEF Capabilities --------------------------------------------- */

int
pef_caps_rsp_encode(const struct pef_caps_rsp *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->version));
	PUT(buf_put_u8(b, r->actions & 0x3f));
	PUT(buf_put_u8(b, r->nfilters));
	return 0;
}

int
pef_caps_rsp_decode(struct buf *b, struct pef_caps_rsp *r)
{
	uint8_t v, a, n;

	GET(buf_get_u8(b, &v));
	GET(buf_get_u8(b, &a));
	GET(buf_get_u8(b, &n));
	r->version = v;
	r->actions = a & 0x3f;
	r->nfilters = n;
	return 0;
}

/* --- Get/Set PEF Configuration Parameters ----------------------------- */

/* The data after a parameter selector: all of it, or MALFORMED. */
static int
get_rest(struct buf *b, uint8_t *data, size_t cap, size_t *len)
{
	size_t n = buf_left(b);

	if (n > cap)
		return IPMI_E_MALFORMED;
	GET(buf_get_bytes(b, data, n));
	*len = n;
	return 0;
}

/* The data of a Get response: what arrived, cut at cap (a BMC may pad). */
static int
get_upto(struct buf *b, uint8_t *data, size_t cap, size_t *len)
{
	size_t n = buf_left(b);

	if (n > cap)
		n = cap;
	GET(buf_get_bytes(b, data, n));
	*len = n;
	return 0;
}

int
pef_set_req_encode(const struct pef_set_req *r, struct buf *b)
{
	if (r->len > sizeof(r->data))
		return IPMI_E_NOSPACE;
	PUT(buf_put_u8(b, r->param & 0x7f));
	PUT(buf_put_bytes(b, r->data, r->len));
	return 0;
}

int
pef_set_req_decode(struct buf *b, struct pef_set_req *r)
{
	uint8_t p;

	GET(buf_get_u8(b, &p));
	r->param = p & 0x7f;
	return get_rest(b, r->data, sizeof(r->data), &r->len);
}

int
pef_get_req_encode(const struct pef_get_req *r, struct buf *b)
{
	PUT(buf_put_u8(b, (uint8_t)((r->rev_only ? 0x80 : 0) |
	    (r->param & 0x7f))));
	PUT(buf_put_u8(b, r->set));
	PUT(buf_put_u8(b, r->block));
	return 0;
}

int
pef_get_req_decode(struct buf *b, struct pef_get_req *r)
{
	uint8_t p, s, k;

	GET(buf_get_u8(b, &p));
	GET(buf_get_u8(b, &s));
	GET(buf_get_u8(b, &k));
	r->rev_only = (p & 0x80) != 0;
	r->param = p & 0x7f;
	r->set = s;
	r->block = k;
	return 0;
}

int
pef_get_rsp_encode(const struct pef_get_rsp *r, struct buf *b)
{
	if (r->len > sizeof(r->data))
		return IPMI_E_NOSPACE;
	PUT(buf_put_u8(b, r->revision));
	PUT(buf_put_bytes(b, r->data, r->len));
	return 0;
}

int
pef_get_rsp_decode(struct buf *b, struct pef_get_rsp *r)
{
	GET(buf_get_u8(b, &r->revision));
	return get_upto(b, r->data, sizeof(r->data), &r->len);
}

/* Table 17-2, the event filter table entry, after the set selector */
int
pef_filter_encode(const struct pef_filter *f, uint8_t *out, size_t cap)
{
	uint8_t *p = out;
	int i, j;

	if (cap < PEF_FILTER_DATA_LEN)
		return IPMI_E_NOSPACE;
	*p++ = f->set & 0x7f;
	*p++ = (uint8_t)((f->enabled ? 0x80 : 0) | ((f->type & 3) << 5));
	*p++ = f->action & 0x7f;
	*p++ = (uint8_t)(((f->group & 7) << 4) | (f->policy & 0x0f));
	*p++ = f->severity;
	*p++ = f->gen1;
	*p++ = f->gen2;
	*p++ = f->sensor_type;
	*p++ = f->sensor_num;
	*p++ = f->trigger;
	*p++ = (uint8_t)(f->offset_mask & 0xff);
	*p++ = (uint8_t)(f->offset_mask >> 8);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			*p++ = f->ed[i][j];
	return 0;
}

int
pef_filter_decode(const uint8_t *p, size_t len, struct pef_filter *f)
{
	int i, j;

	if (len < PEF_FILTER_DATA_LEN)
		return IPMI_E_SHORT;
	memset(f, 0, sizeof(*f));
	f->set = p[0] & 0x7f;
	f->enabled = (p[1] & 0x80) != 0;
	f->type = (p[1] >> 5) & 3;
	f->action = p[2] & 0x7f;
	f->group = (p[3] >> 4) & 7;
	f->policy = p[3] & 0x0f;
	f->severity = p[4];
	f->gen1 = p[5];
	f->gen2 = p[6];
	f->sensor_type = p[7];
	f->sensor_num = p[8];
	f->trigger = p[9];
	f->offset_mask = (uint16_t)(p[10] | (p[11] << 8));
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			f->ed[i][j] = p[12 + i * 3 + j];
	return 0;
}

void
pef_filter_any(struct pef_filter *f, uint8_t set, uint8_t severity,
    uint8_t action, uint8_t policy)
{
	memset(f, 0, sizeof(*f));
	f->set = set;
	f->enabled = 1;
	f->type = PEF_FILTER_SOFTWARE;
	f->action = action;
	f->policy = policy;
	f->severity = severity;
	f->gen1 = PEF_MATCH_ANY;
	f->gen2 = PEF_MATCH_ANY;
	f->sensor_type = PEF_MATCH_ANY;
	f->sensor_num = PEF_MATCH_ANY;
	f->trigger = PEF_MATCH_ANY;
	f->offset_mask = 0xffff;
	/* event data AND masks 0: every event data byte matches */
}

int
pef_filter_is_free(const struct pef_filter *f)
{
	return !f->enabled && f->type == PEF_FILTER_SOFTWARE &&
	    f->action == 0 && f->policy == 0 && f->severity == 0 &&
	    f->sensor_type == 0 && f->trigger == 0;
}

/* The alert policy table entry: policy/enable, channel/destination,
 * alert string info */
int
pef_policy_encode(const struct pef_policy *a, uint8_t *out, size_t cap)
{
	if (cap < PEF_POLICY_DATA_LEN)
		return IPMI_E_NOSPACE;
	out[0] = a->set & 0x7f;
	out[1] = (uint8_t)(((a->number & 0x0f) << 4) |
	    (a->enabled ? 0x08 : 0) | (a->policy & 7));
	out[2] = (uint8_t)(((a->channel & 0x0f) << 4) | (a->dest & 0x0f));
	out[3] = (uint8_t)((a->event_string ? 0x80 : 0) |
	    (a->string_set & 0x7f));
	return 0;
}

int
pef_policy_decode(const uint8_t *p, size_t len, struct pef_policy *a)
{
	if (len < PEF_POLICY_DATA_LEN)
		return IPMI_E_SHORT;
	memset(a, 0, sizeof(*a));
	a->set = p[0] & 0x7f;
	a->number = p[1] >> 4;
	a->enabled = (p[1] & 0x08) != 0;
	a->policy = p[1] & 7;
	a->channel = p[2] >> 4;
	a->dest = p[2] & 0x0f;
	a->event_string = (p[3] & 0x80) != 0;
	a->string_set = p[3] & 0x7f;
	return 0;
}

int
pef_policy_is_free(const struct pef_policy *a)
{
	return !a->enabled && a->number == 0;
}

int
pef_guid_encode(const struct pef_guid *g, uint8_t *out, size_t cap)
{
	if (cap < PEF_GUID_DATA_LEN)
		return IPMI_E_NOSPACE;
	out[0] = g->use ? 1 : 0;
	memcpy(out + 1, g->guid, sizeof(g->guid));
	return 0;
}

int
pef_guid_decode(const uint8_t *p, size_t len, struct pef_guid *g)
{
	if (len < PEF_GUID_DATA_LEN)
		return IPMI_E_SHORT;
	g->use = (p[0] & 1) != 0;
	memcpy(g->guid, p + 1, sizeof(g->guid));
	return 0;
}

/* --- Get/Set LAN Configuration Parameters ----------------------------- */

int
lan_set_req_encode(const struct lan_set_req *r, struct buf *b)
{
	if (r->len > sizeof(r->data))
		return IPMI_E_NOSPACE;
	PUT(buf_put_u8(b, r->channel & 0x0f));
	PUT(buf_put_u8(b, r->param));
	PUT(buf_put_bytes(b, r->data, r->len));
	return 0;
}

int
lan_set_req_decode(struct buf *b, struct lan_set_req *r)
{
	uint8_t c, p;

	GET(buf_get_u8(b, &c));
	GET(buf_get_u8(b, &p));
	r->channel = c & 0x0f;
	r->param = p;
	return get_rest(b, r->data, sizeof(r->data), &r->len);
}

int
lan_get_req_encode(const struct lan_get_req *r, struct buf *b)
{
	PUT(buf_put_u8(b, (uint8_t)((r->rev_only ? 0x80 : 0) |
	    (r->channel & 0x0f))));
	PUT(buf_put_u8(b, r->param));
	PUT(buf_put_u8(b, r->set));
	PUT(buf_put_u8(b, r->block));
	return 0;
}

int
lan_get_req_decode(struct buf *b, struct lan_get_req *r)
{
	uint8_t c, p, s, k;

	GET(buf_get_u8(b, &c));
	GET(buf_get_u8(b, &p));
	GET(buf_get_u8(b, &s));
	GET(buf_get_u8(b, &k));
	r->rev_only = (c & 0x80) != 0;
	r->channel = c & 0x0f;
	r->param = p;
	r->set = s;
	r->block = k;
	return 0;
}

int
lan_get_rsp_encode(const struct lan_get_rsp *r, struct buf *b)
{
	if (r->len > sizeof(r->data))
		return IPMI_E_NOSPACE;
	PUT(buf_put_u8(b, r->revision));
	PUT(buf_put_bytes(b, r->data, r->len));
	return 0;
}

int
lan_get_rsp_decode(struct buf *b, struct lan_get_rsp *r)
{
	GET(buf_get_u8(b, &r->revision));
	return get_upto(b, r->data, sizeof(r->data), &r->len);
}

int
lan_community_encode(const char *s, uint8_t out[LAN_COMMUNITY_LEN])
{
	size_t n = strlen(s);

	if (n > LAN_COMMUNITY_LEN)
		return IPMI_E_INVAL;
	memset(out, 0, LAN_COMMUNITY_LEN);
	memcpy(out, s, n);
	return 0;
}

int
lan_community_decode(const uint8_t *p, size_t len,
    char out[LAN_COMMUNITY_LEN + 1])
{
	size_t i;

	if (len < LAN_COMMUNITY_LEN)
		return IPMI_E_SHORT;
	for (i = 0; i < LAN_COMMUNITY_LEN && p[i] != 0; i++) {
		/* a community is printable ASCII; anything else ends it */
		if (p[i] < 0x20 || p[i] > 0x7e)
			break;
		out[i] = (char)p[i];
	}
	out[i] = '\0';
	return 0;
}

int
lan_dest_type_encode(const struct lan_dest_type *d, uint8_t *out, size_t cap)
{
	if (cap < LAN_DEST_TYPE_DATA_LEN)
		return IPMI_E_NOSPACE;
	out[0] = d->set & 0x0f;
	out[1] = (uint8_t)((d->ack ? 0x80 : 0) | (d->type & 7));
	out[2] = d->timeout;
	out[3] = d->retries & 7;
	return 0;
}

int
lan_dest_type_decode(const uint8_t *p, size_t len, struct lan_dest_type *d)
{
	if (len < LAN_DEST_TYPE_DATA_LEN)
		return IPMI_E_SHORT;
	d->set = p[0] & 0x0f;
	d->ack = (p[1] & 0x80) != 0;
	d->type = p[1] & 7;
	d->timeout = p[2];
	d->retries = p[3] & 7;
	return 0;
}

int
lan_dest_addr_encode(const struct lan_dest_addr *d, uint8_t *out, size_t cap)
{
	if (cap < LAN_DEST_ADDR_DATA_LEN)
		return IPMI_E_NOSPACE;
	out[0] = d->set & 0x0f;
	out[1] = (uint8_t)((d->format & 0x0f) << 4);
	out[2] = d->backup_gw ? 1 : 0;
	memcpy(out + 3, d->ip, 4);
	memcpy(out + 7, d->mac, 6);
	return 0;
}

int
lan_dest_addr_decode(const uint8_t *p, size_t len, struct lan_dest_addr *d)
{
	if (len < LAN_DEST_ADDR_DATA_LEN)
		return IPMI_E_SHORT;
	d->set = p[0] & 0x0f;
	d->format = p[1] >> 4;
	if (d->format != LAN_ADDR_IPV4)
		return IPMI_E_MALFORMED;
	d->backup_gw = (p[2] & 1) != 0;
	memcpy(d->ip, p + 3, 4);
	memcpy(d->mac, p + 7, 6);
	return 0;
}

int
lan_dest_port_encode(const struct lan_dest_port *d, uint8_t *out, size_t cap)
{
	if (cap < LAN_DEST_PORT_DATA_LEN)
		return IPMI_E_NOSPACE;
	out[0] = d->set & 0x0f;
	out[1] = (uint8_t)(d->port & 0xff);
	out[2] = (uint8_t)(d->port >> 8);
	return 0;
}

int
lan_dest_port_decode(const uint8_t *p, size_t len, struct lan_dest_port *d)
{
	if (len < LAN_DEST_PORT_DATA_LEN)
		return IPMI_E_SHORT;
	d->set = p[0] & 0x0f;
	d->port = (uint16_t)(p[1] | (p[2] << 8));
	return 0;
}

/* --- Get Channel Info ------------------------------------------------- */

int
chan_info_req_encode(const struct chan_info_req *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->channel & 0x0f));
	return 0;
}

int
chan_info_req_decode(struct buf *b, struct chan_info_req *r)
{
	uint8_t c;

	GET(buf_get_u8(b, &c));
	r->channel = c & 0x0f;
	return 0;
}

int
chan_info_rsp_encode(const struct chan_info_rsp *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->channel & 0x0f));
	PUT(buf_put_u8(b, r->medium & 0x7f));
	PUT(buf_put_u8(b, r->protocol & 0x1f));
	PUT(buf_put_u8(b, (uint8_t)(((r->sessions & 3) << 6) |
	    (r->active & 0x3f))));
	PUT(buf_put_u8(b, (uint8_t)(r->iana & 0xff)));
	PUT(buf_put_u8(b, (uint8_t)((r->iana >> 8) & 0xff)));
	PUT(buf_put_u8(b, (uint8_t)((r->iana >> 16) & 0xff)));
	PUT(buf_put_bytes(b, r->aux, 2));
	return 0;
}

/* 22.24: channel, medium, protocol, sessions, IANA (3), aux (2) */
int
chan_info_rsp_decode(struct buf *b, struct chan_info_rsp *r)
{
	uint8_t c, m, p, s, i[3];

	GET(buf_get_u8(b, &c));
	GET(buf_get_u8(b, &m));
	GET(buf_get_u8(b, &p));
	GET(buf_get_u8(b, &s));
	GET(buf_get_bytes(b, i, 3));
	memset(r, 0, sizeof(*r));
	r->channel = c & 0x0f;
	r->medium = m & 0x7f;
	r->protocol = p & 0x1f;
	r->sessions = s >> 6;
	r->active = s & 0x3f;
	r->iana = (uint32_t)i[0] | ((uint32_t)i[1] << 8) |
	    ((uint32_t)i[2] << 16);
	/* the auxiliary bytes are for channel F and OEM: optional */
	if (buf_left(b) >= 2)
		(void)buf_get_bytes(b, r->aux, 2);
	return 0;
}

/* --- requests ready to send ------------------------------------------- */

static void
req_init(struct ipmi_req *req, uint8_t netfn, uint8_t cmd, struct buf *b)
{
	memset(req, 0, sizeof(*req));
	req->netfn = netfn;
	req->cmd = cmd;
	buf_init_write(b, req->data, sizeof(req->data));
}

void
pef_req_caps(struct ipmi_req *req)
{
	struct buf b;

	req_init(req, IPMI_NETFN_SENSOR, IPMI_CMD_GET_PEF_CAPS, &b);
}

void
pef_req_get(struct ipmi_req *req, uint8_t param, uint8_t set)
{
	struct pef_get_req r = { 0, param, set, 0 };
	struct buf b;

	req_init(req, IPMI_NETFN_SENSOR, IPMI_CMD_GET_PEF_CONFIG, &b);
	(void)pef_get_req_encode(&r, &b);
	req->len = b.len;
}

void
pef_req_set(struct ipmi_req *req, uint8_t param, const uint8_t *data,
    size_t len)
{
	struct pef_set_req r;
	struct buf b;

	memset(&r, 0, sizeof(r));
	r.param = param;
	r.len = len < sizeof(r.data) ? len : sizeof(r.data);
	memcpy(r.data, data, r.len);
	req_init(req, IPMI_NETFN_SENSOR, IPMI_CMD_SET_PEF_CONFIG, &b);
	(void)pef_set_req_encode(&r, &b);
	req->len = b.len;
}

void
lan_req_get(struct ipmi_req *req, uint8_t channel, uint8_t param,
    uint8_t set)
{
	struct lan_get_req r = { 0, channel, param, set, 0 };
	struct buf b;

	req_init(req, IPMI_NETFN_TRANSPORT, IPMI_CMD_GET_LAN_CONFIG, &b);
	(void)lan_get_req_encode(&r, &b);
	req->len = b.len;
}

void
lan_req_set(struct ipmi_req *req, uint8_t channel, uint8_t param,
    const uint8_t *data, size_t len)
{
	struct lan_set_req r;
	struct buf b;

	memset(&r, 0, sizeof(r));
	r.channel = channel;
	r.param = param;
	r.len = len < sizeof(r.data) ? len : sizeof(r.data);
	memcpy(r.data, data, r.len);
	req_init(req, IPMI_NETFN_TRANSPORT, IPMI_CMD_SET_LAN_CONFIG, &b);
	(void)lan_set_req_encode(&r, &b);
	req->len = b.len;
}

void
chan_req_info(struct ipmi_req *req, uint8_t channel)
{
	struct chan_info_req r = { channel };
	struct buf b;

	req_init(req, IPMI_NETFN_APP, IPMI_CMD_GET_CHANNEL_INFO, &b);
	(void)chan_info_req_encode(&r, &b);
	req->len = b.len;
}
