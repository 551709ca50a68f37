#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "ipmi.h"
#include "rmcpp.h"

#define PUT(expr)	do { if ((expr) == -1) return IPMI_E_NOSPACE; } while (0)
#define GET(expr)	do { if ((expr) == -1) return IPMI_E_SHORT; } while (0)

int
ipmi_auth_caps_req_encode(const struct ipmi_auth_caps_req *r, struct buf *b)
{
	PUT(buf_put_u8(b, (uint8_t)((r->v2 ? 0x80 : 0) | (r->channel & 0x0f))));
	PUT(buf_put_u8(b, r->priv & 0x0f));
	return 0;
}

int
ipmi_auth_caps_req_decode(struct buf *b, struct ipmi_auth_caps_req *r)
{
	uint8_t c, p;

	GET(buf_get_u8(b, &c));
	GET(buf_get_u8(b, &p));
	r->v2 = (c & 0x80) != 0;
	r->channel = c & 0x0f;
	r->priv = p & 0x0f;
	return 0;
}

int
ipmi_auth_caps_rsp_encode(const struct ipmi_auth_caps_rsp *r, struct buf *b)
{
	uint8_t b3;

	b3 = (uint8_t)((r->kg_set ? 0x20 : 0) | (r->per_msg_auth_off ? 0x10 : 0) |
	    (r->user_auth_off ? 0x08 : 0) | (r->nonnull_users ? 0x04 : 0) |
	    (r->null_users ? 0x02 : 0) | (r->anonymous ? 0x01 : 0));
	PUT(buf_put_u8(b, r->channel));
	PUT(buf_put_u8(b, (uint8_t)((r->v2_ext ? 0x80 : 0) |
	    (r->auth_types & 0x3f))));
	PUT(buf_put_u8(b, b3));
	PUT(buf_put_u8(b, (uint8_t)((r->v20 ? 0x02 : 0) | (r->v15 ? 0x01 : 0))));
	PUT(buf_put_u8(b, r->oem_iana & 0xff));
	PUT(buf_put_u8(b, (r->oem_iana >> 8) & 0xff));
	PUT(buf_put_u8(b, (r->oem_iana >> 16) & 0xff));
	PUT(buf_put_u8(b, r->oem_aux));
	return 0;
}

int
ipmi_auth_caps_rsp_decode(struct buf *b, struct ipmi_auth_caps_rsp *r)
{
	uint8_t v[8];

	GET(buf_get_bytes(b, v, 8));
	r->channel = v[0];
	r->v2_ext = (v[1] & 0x80) != 0;
	r->auth_types = v[1] & 0x3f;
	r->kg_set = (v[2] & 0x20) != 0;
	r->per_msg_auth_off = (v[2] & 0x10) != 0;
	r->user_auth_off = (v[2] & 0x08) != 0;
	r->nonnull_users = (v[2] & 0x04) != 0;
	r->null_users = (v[2] & 0x02) != 0;
	r->anonymous = (v[2] & 0x01) != 0;
	/* without the extended bit, byte 4 is reserved: v1.5 only */
	r->v15 = r->v2_ext ? (v[3] & 0x01) != 0 : 1;
	r->v20 = r->v2_ext ? (v[3] & 0x02) != 0 : 0;
	r->oem_iana = (uint32_t)v[4] | (uint32_t)v[5] << 8 |
	    (uint32_t)v[6] << 16;
	r->oem_aux = v[7];
	return 0;
}

int
ipmi_challenge_req_encode(const struct ipmi_challenge_req *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->auth_type));
	PUT(buf_put_bytes(b, r->user, 16));
	return 0;
}

int
ipmi_challenge_req_decode(struct buf *b, struct ipmi_challenge_req *r)
{
	GET(buf_get_u8(b, &r->auth_type));
	GET(buf_get_bytes(b, r->user, 16));
	return 0;
}

int
ipmi_challenge_rsp_encode(const struct ipmi_challenge_rsp *r, struct buf *b)
{
	PUT(buf_put_le32(b, r->temp_sid));
	PUT(buf_put_bytes(b, r->challenge, 16));
	return 0;
}

int
ipmi_challenge_rsp_decode(struct buf *b, struct ipmi_challenge_rsp *r)
{
	GET(buf_get_le32(b, &r->temp_sid));
	GET(buf_get_bytes(b, r->challenge, 16));
	return 0;
}

int
ipmi_activate_req_encode(const struct ipmi_activate_req *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->auth_type));
	PUT(buf_put_u8(b, r->priv));
	PUT(buf_put_bytes(b, r->challenge, 16));
	PUT(buf_put_le32(b, r->outbound_seq));
	return 0;
}

int
ipmi_activate_req_decode(struct buf *b, struct ipmi_activate_req *r)
{
	GET(buf_get_u8(b, &r->auth_type));
	GET(buf_get_u8(b, &r->priv));
	GET(buf_get_bytes(b, r->challenge, 16));
	GET(buf_get_le32(b, &r->outbound_seq));
	r->auth_type &= 0x0f;
	r->priv &= 0x0f;
	return 0;
}

int
ipmi_activate_rsp_encode(const struct ipmi_activate_rsp *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->auth_type));
	PUT(buf_put_le32(b, r->sid));
	PUT(buf_put_le32(b, r->inbound_seq));
	PUT(buf_put_u8(b, r->priv));
	return 0;
}

int
ipmi_activate_rsp_decode(struct buf *b, struct ipmi_activate_rsp *r)
{
	GET(buf_get_u8(b, &r->auth_type));
	GET(buf_get_le32(b, &r->sid));
	GET(buf_get_le32(b, &r->inbound_seq));
	GET(buf_get_u8(b, &r->priv));
	r->auth_type &= 0x0f;
	r->priv &= 0x0f;
	return 0;
}

int
ipmi_priv_encode(uint8_t priv, struct buf *b)
{
	PUT(buf_put_u8(b, priv & 0x0f));
	return 0;
}

int
ipmi_priv_decode(struct buf *b, uint8_t *priv)
{
	GET(buf_get_u8(b, priv));
	*priv &= 0x0f;
	return 0;
}

int
ipmi_close_req_encode(uint32_t sid, struct buf *b)
{
	PUT(buf_put_le32(b, sid));
	return 0;
}

int
ipmi_close_req_decode(struct buf *b, uint32_t *sid)
{
	GET(buf_get_le32(b, sid));
	return 0;
}

static uint8_t
bcd_to_bin(uint8_t v)
{
	return (uint8_t)((v >> 4) * 10 + (v & 0x0f));
}

static uint8_t
bin_to_bcd(uint8_t v)
{
	return (uint8_t)(((v / 10) % 10) << 4 | v % 10);
}

int
ipmi_device_id_encode(const struct ipmi_device_id *d, struct buf *b)
{
	PUT(buf_put_u8(b, d->device_id));
	PUT(buf_put_u8(b, (uint8_t)((d->provides_sdrs ? 0x80 : 0) |
	    (d->device_rev & 0x0f))));
	PUT(buf_put_u8(b, (uint8_t)((d->fw_update ? 0x80 : 0) |
	    (d->fw_major & 0x7f))));
	PUT(buf_put_u8(b, bin_to_bcd(d->fw_minor)));
	PUT(buf_put_u8(b, d->ipmi_version));
	PUT(buf_put_u8(b, d->support));
	PUT(buf_put_u8(b, d->manufacturer & 0xff));
	PUT(buf_put_u8(b, (d->manufacturer >> 8) & 0xff));
	PUT(buf_put_u8(b, (d->manufacturer >> 16) & 0x0f));
	PUT(buf_put_le16(b, d->product));
	if (d->has_aux)
		PUT(buf_put_bytes(b, d->aux, 4));
	return 0;
}

int
ipmi_device_id_decode(struct buf *b, struct ipmi_device_id *d)
{
	uint8_t v[11];

	GET(buf_get_bytes(b, v, 11));
	d->device_id = v[0];
	d->provides_sdrs = (v[1] & 0x80) != 0;
	d->device_rev = v[1] & 0x0f;
	d->fw_update = (v[2] & 0x80) != 0;
	d->fw_major = v[2] & 0x7f;
	d->fw_minor = bcd_to_bin(v[3]);
	d->ipmi_version = v[4];
	d->support = v[5];
	d->manufacturer = ((uint32_t)v[6] | (uint32_t)v[7] << 8 |
	    (uint32_t)v[8] << 16) & 0xfffff;
	d->product = (uint16_t)(v[9] | v[10] << 8);
	/* the aux revision is optional; some BMCs send a partial one */
	d->has_aux = buf_get_bytes(b, d->aux, 4) == 0;
	if (!d->has_aux)
		memset(d->aux, 0, 4);
	return 0;
}

int
ipmi_guid_decode(struct buf *b, uint8_t guid[16])
{
	GET(buf_get_bytes(b, guid, 16));
	return 0;
}

void
ipmi_guid_format(const uint8_t g[16], char out[37])
{
	/* wire order is least significant byte first (SMBIOS/RFC 4122 LE) */
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", g[15], g[14], g[13], g[12], g[11], g[10],
	    g[9], g[8], g[7], g[6], g[5], g[4], g[3], g[2], g[1], g[0]);
}

int
ipmi_chassis_status_encode(const struct ipmi_chassis_status *s, struct buf *b)
{
	uint8_t misc = s->misc & 0x0f;

	if (s->identify_supported)
		misc |= (uint8_t)(0x40 | (s->identify_state & 3) << 4);
	PUT(buf_put_u8(b, (uint8_t)((s->power_on ? 0x01 : 0) |
	    (s->overload ? 0x02 : 0) | (s->interlock ? 0x04 : 0) |
	    (s->power_fault ? 0x08 : 0) | (s->control_fault ? 0x10 : 0) |
	    (s->restore_policy & 3) << 5)));
	PUT(buf_put_u8(b, s->last_event));
	PUT(buf_put_u8(b, misc));
	if (s->has_front_panel)
		PUT(buf_put_u8(b, s->front_panel));
	return 0;
}

int
ipmi_chassis_status_decode(struct buf *b, struct ipmi_chassis_status *s)
{
	uint8_t v[3];

	GET(buf_get_bytes(b, v, 3));
	s->power_on = v[0] & 0x01;
	s->overload = (v[0] & 0x02) != 0;
	s->interlock = (v[0] & 0x04) != 0;
	s->power_fault = (v[0] & 0x08) != 0;
	s->control_fault = (v[0] & 0x10) != 0;
	s->restore_policy = (v[0] >> 5) & 3;
	s->last_event = v[1];
	s->misc = v[2];
	s->identify_supported = (v[2] & 0x40) != 0;
	s->identify_state = (v[2] >> 4) & 3;
	s->has_front_panel = buf_get_u8(b, &s->front_panel) == 0;
	return 0;
}

const char *
ipmi_chassis_ctl_name(uint8_t c)
{
	switch (c) {
	case IPMI_CHASSIS_OFF:
		return "off";
	case IPMI_CHASSIS_ON:
		return "on";
	case IPMI_CHASSIS_CYCLE:
		return "cycle";
	case IPMI_CHASSIS_RESET:
		return "reset";
	case IPMI_CHASSIS_DIAG:
		return "diag";
	case IPMI_CHASSIS_SOFT:
		return "soft";
	}
	return "unknown";
}

int
ipmi_chassis_ctl_encode(uint8_t ctl, struct buf *b)
{
	PUT(buf_put_u8(b, ctl & 0x0f));
	return 0;
}

int
ipmi_chassis_ctl_decode(struct buf *b, uint8_t *ctl)
{
	GET(buf_get_u8(b, ctl));
	*ctl &= 0x0f;
	if (*ctl > IPMI_CHASSIS_SOFT)
		return IPMI_E_MALFORMED;
	return 0;
}

int
ipmi_identify_encode(const struct ipmi_identify_req *r, struct buf *b)
{
	if (r->has_seconds || r->has_force)
		PUT(buf_put_u8(b, r->seconds));
	if (r->has_force)
		PUT(buf_put_u8(b, r->force ? 1 : 0));
	return 0;
}

int
ipmi_identify_decode(struct buf *b, struct ipmi_identify_req *r)
{
	uint8_t f;

	r->seconds = 15;	/* 28.5: the default interval */
	r->force = 0;
	r->has_seconds = buf_get_u8(b, &r->seconds) == 0;
	r->has_force = buf_get_u8(b, &f) == 0;
	if (r->has_force)
		r->force = f & 1;
	return 0;
}

int
ipmi_cipher_suites_req_encode(const struct ipmi_cipher_suites_req *r,
    struct buf *b)
{
	PUT(buf_put_u8(b, r->channel & 0x0f));
	PUT(buf_put_u8(b, r->payload_type & 0x3f));
	PUT(buf_put_u8(b, (uint8_t)(0x80 | (r->index & 0x3f))));
	return 0;
}

int
ipmi_cipher_suites_req_decode(struct buf *b, struct ipmi_cipher_suites_req *r)
{
	uint8_t c, p, i;

	GET(buf_get_u8(b, &c));
	GET(buf_get_u8(b, &p));
	GET(buf_get_u8(b, &i));
	r->channel = c & 0x0f;
	r->payload_type = p & 0x3f;
	r->index = i & 0x3f;
	return 0;
}

int
ipmi_cipher_suites_rsp_encode(const struct ipmi_cipher_suites_rsp *r,
    struct buf *b)
{
	PUT(buf_put_u8(b, r->channel));
	PUT(buf_put_bytes(b, r->data, r->len > 16 ? 16 : r->len));
	return 0;
}

int
ipmi_cipher_suites_rsp_decode(struct buf *b, struct ipmi_cipher_suites_rsp *r)
{
	size_t n;

	GET(buf_get_u8(b, &r->channel));
	n = buf_left(b);
	if (n > 16)
		return IPMI_E_MALFORMED;
	(void)buf_get_bytes(b, r->data, n);
	r->len = (uint8_t)n;
	return 0;
}

int
ipmi_cipher_suites_parse(const uint8_t *p, size_t n,
    struct ipmi_cipher_suite *out, int max)
{
	size_t i = 0;
	int count = 0;

	while (i < n) {
		struct ipmi_cipher_suite cs = { 0, 0xff, 0xff, 0xff };
		uint8_t start = p[i];

		if (start != 0xc0 && start != 0xc1)
			return IPMI_E_MALFORMED;
		if (i + 2 > n)
			return IPMI_E_MALFORMED;
		cs.id = p[i + 1];
		i += 2;
		if (start == 0xc1) {	/* OEM suite: IANA follows */
			if (i + 3 > n)
				return IPMI_E_MALFORMED;
			i += 3;
		}
		/* algorithm bytes until the next record start */
		while (i < n && p[i] != 0xc0 && p[i] != 0xc1) {
			switch (p[i] & 0xc0) {
			case 0x00:
				cs.auth = p[i] & 0x3f;
				break;
			case 0x40:
				cs.integ = p[i] & 0x3f;
				break;
			case 0x80:
				cs.conf = p[i] & 0x3f;
				break;
			}
			i++;
		}
		if (start == 0xc0 && cs.auth != 0xff && cs.integ != 0xff &&
		    cs.conf != 0xff && count < max)
			out[count++] = cs;
	}
	return count;
}

int
ipmi_cipher_suites_parse_prefix(const uint8_t *p, size_t n,
    struct ipmi_cipher_suite *out, int max)
{
	size_t i = 0, alg;
	int count = 0;

	while (i < n && count < max) {
		if (p[i] == 0xc0)
			alg = i + 2;
		else if (p[i] == 0xc1)
			alg = i + 5;
		else
			break;		/* a wrong tag: the good ones are read */
		if (alg + 3 > n || (p[alg] & 0xc0) != 0x00 ||
		    (p[alg + 1] & 0xc0) != 0x40 || (p[alg + 2] & 0xc0) != 0x80)
			break;
		if (p[i] == 0xc0) {
			out[count].id = p[i + 1];
			out[count].auth = p[alg] & 0x3f;
			out[count].integ = p[alg + 1] & 0x3f;
			out[count].conf = p[alg + 2] & 0x3f;
			count++;
		}
		i = alg + 3;
	}
	return count;
}

/* --- 22.14b Get System Info Parameters ---------------------------------- */

int
ipmi_sysinfo_req_encode(const struct ipmi_sysinfo_req *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->rev_only ? 0x80 : 0x00));
	PUT(buf_put_u8(b, r->param));
	PUT(buf_put_u8(b, r->set));
	PUT(buf_put_u8(b, r->block));
	return 0;
}

int
ipmi_sysinfo_req_decode(struct buf *b, struct ipmi_sysinfo_req *r)
{
	uint8_t c;

	GET(buf_get_u8(b, &c));
	GET(buf_get_u8(b, &r->param));
	GET(buf_get_u8(b, &r->set));
	GET(buf_get_u8(b, &r->block));
	r->rev_only = (c & 0x80) != 0;
	return 0;
}

int
ipmi_sysinfo_rsp_encode(const struct ipmi_sysinfo_rsp *r, struct buf *b)
{
	if (r->len > IPMI_SYSINFO_BLOCK)
		return IPMI_E_MALFORMED;
	PUT(buf_put_u8(b, r->revision));
	if (!r->has_data)
		return 0;
	PUT(buf_put_u8(b, r->set));
	PUT(buf_put_bytes(b, r->data, r->len));
	return 0;
}

int
ipmi_sysinfo_rsp_decode(struct buf *b, struct ipmi_sysinfo_rsp *r)
{
	size_t n;

	memset(r, 0, sizeof(*r));
	GET(buf_get_u8(b, &r->revision));
	if (buf_left(b) == 0)
		return 0;
	r->has_data = 1;
	GET(buf_get_u8(b, &r->set));
	/* a BMC may send less than a block, or more: keep what fits */
	n = buf_left(b) < IPMI_SYSINFO_BLOCK ? buf_left(b) : IPMI_SYSINFO_BLOCK;
	GET(buf_get_bytes(b, r->data, n));
	r->len = (uint8_t)n;
	return 0;
}

void
ipmi_sysinfo_str_init(struct ipmi_sysinfo_str *s)
{
	memset(s, 0, sizeof(*s));
}

/* The text so far, blanks and NULs at its end dropped. */
static void
sysinfo_str_trim(struct ipmi_sysinfo_str *s)
{
	size_t n = s->have;

	while (n > 0 && (s->text[n - 1] == ' ' || s->text[n - 1] == '\0'))
		n--;
	s->text[n] = '\0';
}

int
ipmi_sysinfo_str_feed(struct ipmi_sysinfo_str *s,
    const struct ipmi_sysinfo_rsp *r)
{
	const uint8_t *p = r->data;
	size_t n = r->len;

	if (!r->has_data || r->set != s->next)
		return IPMI_E_MALFORMED;
	if (s->next == 0) {
		/* set 0: encoding (bits 3:0), length, then the string */
		if (n < 2 || (p[0] & 0x0f) > 1)
			return IPMI_E_MALFORMED;
		s->encoding = p[0] & 0x0f;
		s->len = p[1];
		p += 2;
		n -= 2;
	}
	/* the length is a claim: copy only what arrived, up to it */
	for (size_t i = 0; i < n && s->have < s->len; i++) {
		uint8_t c = p[i];

		s->text[s->have++] = c == 0 || (c >= 0x20 && c < 0x7f) ?
		    (char)c : '?';
	}
	s->text[s->have] = '\0';
	if (s->have >= s->len || n < (s->next == 0 ? IPMI_SYSINFO_BLOCK - 2 :
	    IPMI_SYSINFO_BLOCK)) {
		/* complete, or a short block: nothing more will come */
		sysinfo_str_trim(s);
		return 1;
	}
	if (s->next == 255)
		return IPMI_E_MALFORMED;
	s->next++;
	return 0;
}

int
ipmi_sysinfo_str_set(const char *text, uint8_t set,
    struct ipmi_sysinfo_rsp *r)
{
	size_t len = strlen(text), off, n;

	if (len > IPMI_SYSINFO_STR_MAX)
		len = IPMI_SYSINFO_STR_MAX;
	memset(r, 0, sizeof(*r));
	r->revision = 0x11;
	r->has_data = 1;
	r->set = set;
	r->len = IPMI_SYSINFO_BLOCK;
	if (set == 0) {
		r->data[0] = 0;		/* ASCII */
		r->data[1] = (uint8_t)len;
		memcpy(r->data + 2, text, len < 14 ? len : 14);
		return 0;
	}
	off = 14 + (size_t)(set - 1) * IPMI_SYSINFO_BLOCK;
	if (off >= len)
		return IPMI_E_MALFORMED;
	n = len - off < IPMI_SYSINFO_BLOCK ? len - off : IPMI_SYSINFO_BLOCK;
	memcpy(r->data, text + off, n);
	return 0;
}
