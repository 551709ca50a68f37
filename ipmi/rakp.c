#include <string.h>

#include "crypto.h"
#include "ipmi.h"
#include "rakp.h"

static const char *const rakp_status_names[] = {
	[RAKP_OK] = "no errors",
	[RAKP_NO_RESOURCES] = "insufficient resources to create a session",
	[RAKP_INVALID_SESSION_ID] = "invalid session ID",
	[RAKP_INVALID_PAYLOAD] = "invalid payload type",
	[RAKP_INVALID_AUTH_ALG] = "invalid authentication algorithm",
	[RAKP_INVALID_INTEG_ALG] = "invalid integrity algorithm",
	[RAKP_NO_MATCHING_AUTH] = "no matching authentication payload",
	[RAKP_NO_MATCHING_INTEG] = "no matching integrity payload",
	[RAKP_INACTIVE_SESSION] = "inactive session ID",
	[RAKP_INVALID_ROLE] = "invalid role",
	[RAKP_UNAUTHORIZED_ROLE] = "unauthorized role or privilege level",
	[RAKP_NO_RESOURCES_ROLE] =
	    "insufficient resources to create a session at the requested role",
	[RAKP_INVALID_NAME_LEN] = "invalid user name length",
	[RAKP_UNAUTHORIZED_NAME] = "unauthorized name",
	[RAKP_UNAUTHORIZED_GUID] = "unauthorized GUID",
	[RAKP_INVALID_ICV] = "invalid integrity check value",
	[RAKP_INVALID_CONF_ALG] = "invalid confidentiality algorithm",
	[RAKP_NO_CIPHER_MATCH] = "no cipher suite match with security algorithms",
	[RAKP_ILLEGAL_PARAM] = "illegal or unrecognized parameter",
};

const char *
rakp_status_str(uint8_t s)
{
	if (s < sizeof(rakp_status_names) / sizeof(rakp_status_names[0]))
		return rakp_status_names[s];
	return "unknown RAKP status";
}

/* 13.17: an 8-byte algorithm payload record */
static int
put_alg(struct buf *b, uint8_t type, uint8_t alg)
{
	if (buf_put_u8(b, type) == -1 || buf_put_zero(b, 2) == -1 ||
	    buf_put_u8(b, 8) == -1 || buf_put_u8(b, alg & 0x3f) == -1 ||
	    buf_put_zero(b, 3) == -1)
		return IPMI_E_NOSPACE;
	return 0;
}

static int
get_alg(struct buf *b, uint8_t type, uint8_t *alg)
{
	uint8_t t, len, a;

	if (buf_get_u8(b, &t) == -1 || buf_skip(b, 2) == -1 ||
	    buf_get_u8(b, &len) == -1 || buf_get_u8(b, &a) == -1 ||
	    buf_skip(b, 3) == -1)
		return IPMI_E_SHORT;
	/* a zero-length record means "any" in a request; we take it as 0 */
	if (t != type || (len != 8 && len != 0))
		return IPMI_E_MALFORMED;
	*alg = a & 0x3f;
	return 0;
}

int
rakp_open_req_encode(const struct rakp_open_req *r, struct buf *b)
{
	int rc;

	if (buf_put_u8(b, r->tag) == -1 || buf_put_u8(b, r->priv & 0x0f) ==
	    -1 || buf_put_zero(b, 2) == -1 || buf_put_le32(b, r->console_sid) ==
	    -1)
		return IPMI_E_NOSPACE;
	if ((rc = put_alg(b, 0x00, r->auth)) != 0 ||
	    (rc = put_alg(b, 0x01, r->integ)) != 0 ||
	    (rc = put_alg(b, 0x02, r->conf)) != 0)
		return rc;
	return 0;
}

int
rakp_open_req_decode(struct buf *b, struct rakp_open_req *r)
{
	uint8_t priv;
	int rc;

	if (buf_get_u8(b, &r->tag) == -1 || buf_get_u8(b, &priv) == -1 ||
	    buf_skip(b, 2) == -1 || buf_get_le32(b, &r->console_sid) == -1)
		return IPMI_E_SHORT;
	r->priv = priv & 0x0f;
	if ((rc = get_alg(b, 0x00, &r->auth)) != 0 ||
	    (rc = get_alg(b, 0x01, &r->integ)) != 0 ||
	    (rc = get_alg(b, 0x02, &r->conf)) != 0)
		return rc;
	return 0;
}

int
rakp_open_rsp_encode(const struct rakp_open_rsp *r, struct buf *b)
{
	int rc;

	if (buf_put_u8(b, r->tag) == -1 || buf_put_u8(b, r->status) == -1 ||
	    buf_put_u8(b, r->priv) == -1 || buf_put_u8(b, 0) == -1 ||
	    buf_put_le32(b, r->console_sid) == -1)
		return IPMI_E_NOSPACE;
	if (r->status != RAKP_OK)
		return 0;
	if (buf_put_le32(b, r->bmc_sid) == -1)
		return IPMI_E_NOSPACE;
	if ((rc = put_alg(b, 0x00, r->auth)) != 0 ||
	    (rc = put_alg(b, 0x01, r->integ)) != 0 ||
	    (rc = put_alg(b, 0x02, r->conf)) != 0)
		return rc;
	return 0;
}

int
rakp_open_rsp_decode(struct buf *b, struct rakp_open_rsp *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if (buf_get_u8(b, &r->tag) == -1 || buf_get_u8(b, &r->status) == -1)
		return IPMI_E_SHORT;
	if (r->status != RAKP_OK) {
		/* the rest is optional on failure; take what is there */
		(void)buf_get_u8(b, &r->priv);
		(void)buf_skip(b, 1);
		(void)buf_get_le32(b, &r->console_sid);
		return 0;
	}
	if (buf_get_u8(b, &r->priv) == -1 || buf_skip(b, 1) == -1 ||
	    buf_get_le32(b, &r->console_sid) == -1 ||
	    buf_get_le32(b, &r->bmc_sid) == -1)
		return IPMI_E_SHORT;
	if ((rc = get_alg(b, 0x00, &r->auth)) != 0 ||
	    (rc = get_alg(b, 0x01, &r->integ)) != 0 ||
	    (rc = get_alg(b, 0x02, &r->conf)) != 0)
		return rc;
	return 0;
}

int
rakp1_encode(const struct rakp1 *r, struct buf *b)
{
	if (r->ulen > 16)
		return IPMI_E_INVAL;
	if (buf_put_u8(b, r->tag) == -1 || buf_put_zero(b, 3) == -1 ||
	    buf_put_le32(b, r->bmc_sid) == -1 ||
	    buf_put_bytes(b, r->rm, 16) == -1 || buf_put_u8(b, r->role) == -1 ||
	    buf_put_zero(b, 2) == -1 || buf_put_u8(b, r->ulen) == -1 ||
	    buf_put_bytes(b, r->user, r->ulen) == -1)
		return IPMI_E_NOSPACE;
	return 0;
}

int
rakp1_decode(struct buf *b, struct rakp1 *r)
{
	memset(r->user, 0, sizeof(r->user));
	if (buf_get_u8(b, &r->tag) == -1 || buf_skip(b, 3) == -1 ||
	    buf_get_le32(b, &r->bmc_sid) == -1 ||
	    buf_get_bytes(b, r->rm, 16) == -1 || buf_get_u8(b, &r->role) == -1 ||
	    buf_skip(b, 2) == -1 || buf_get_u8(b, &r->ulen) == -1)
		return IPMI_E_SHORT;
	if (r->ulen > 16)
		return IPMI_E_MALFORMED;
	if (buf_get_bytes(b, r->user, r->ulen) == -1)
		return IPMI_E_SHORT;
	return 0;
}

/* RAKP 2-4 share a header: tag, status, two reserved bytes, a session ID */
static int
put_rakp_hdr(struct buf *b, uint8_t tag, uint8_t status, uint32_t sid)
{
	if (buf_put_u8(b, tag) == -1 || buf_put_u8(b, status) == -1 ||
	    buf_put_zero(b, 2) == -1 || buf_put_le32(b, sid) == -1)
		return IPMI_E_NOSPACE;
	return 0;
}

static int
get_rakp_hdr(struct buf *b, uint8_t *tag, uint8_t *status, uint32_t *sid)
{
	*sid = 0;
	if (buf_get_u8(b, tag) == -1 || buf_get_u8(b, status) == -1)
		return IPMI_E_SHORT;
	if (*status != RAKP_OK) {
		/* failures may be cut short after the status */
		if (buf_skip(b, 2) == 0)
			(void)buf_get_le32(b, sid);
		return 0;
	}
	if (buf_skip(b, 2) == -1 || buf_get_le32(b, sid) == -1)
		return IPMI_E_SHORT;
	return 0;
}

/* the rest of the payload, up to max bytes: an auth code or ICV */
static int
get_tail(struct buf *b, uint8_t *dst, size_t max, size_t *len)
{
	size_t n = buf_left(b);

	if (n > max)
		return IPMI_E_MALFORMED;
	(void)buf_get_bytes(b, dst, n);
	*len = n;
	return 0;
}

int
rakp2_encode(const struct rakp2 *r, struct buf *b)
{
	int rc;

	if ((rc = put_rakp_hdr(b, r->tag, r->status, r->console_sid)) != 0)
		return rc;
	if (r->status != RAKP_OK)
		return 0;
	if (r->code_len > sizeof(r->code))
		return IPMI_E_INVAL;
	if (buf_put_bytes(b, r->rc, 16) == -1 ||
	    buf_put_bytes(b, r->guid, 16) == -1 ||
	    buf_put_bytes(b, r->code, r->code_len) == -1)
		return IPMI_E_NOSPACE;
	return 0;
}

int
rakp2_decode(struct buf *b, struct rakp2 *r)
{
	int rc;

	r->code_len = 0;
	if ((rc = get_rakp_hdr(b, &r->tag, &r->status, &r->console_sid)) != 0)
		return rc;
	if (r->status != RAKP_OK)
		return 0;
	if (buf_get_bytes(b, r->rc, 16) == -1 ||
	    buf_get_bytes(b, r->guid, 16) == -1)
		return IPMI_E_SHORT;
	return get_tail(b, r->code, sizeof(r->code), &r->code_len);
}

int
rakp3_encode(const struct rakp3 *r, struct buf *b)
{
	int rc;

	if ((rc = put_rakp_hdr(b, r->tag, r->status, r->bmc_sid)) != 0)
		return rc;
	if (r->code_len > sizeof(r->code))
		return IPMI_E_INVAL;
	if (buf_put_bytes(b, r->code, r->code_len) == -1)
		return IPMI_E_NOSPACE;
	return 0;
}

int
rakp3_decode(struct buf *b, struct rakp3 *r)
{
	int rc;

	r->code_len = 0;
	if ((rc = get_rakp_hdr(b, &r->tag, &r->status, &r->bmc_sid)) != 0)
		return rc;
	return get_tail(b, r->code, sizeof(r->code), &r->code_len);
}

int
rakp4_encode(const struct rakp4 *r, struct buf *b)
{
	int rc;

	if ((rc = put_rakp_hdr(b, r->tag, r->status, r->console_sid)) != 0)
		return rc;
	if (r->status != RAKP_OK)
		return 0;
	if (r->icv_len > sizeof(r->icv))
		return IPMI_E_INVAL;
	if (buf_put_bytes(b, r->icv, r->icv_len) == -1)
		return IPMI_E_NOSPACE;
	return 0;
}

int
rakp4_decode(struct buf *b, struct rakp4 *r)
{
	int rc;

	r->icv_len = 0;
	if ((rc = get_rakp_hdr(b, &r->tag, &r->status, &r->console_sid)) != 0)
		return rc;
	if (r->status != RAKP_OK)
		return 0;
	return get_tail(b, r->icv, sizeof(r->icv), &r->icv_len);
}

size_t
rakp_code_len(uint8_t auth)
{
	switch (auth) {
	case IPMI_AUTH_ALG_HMAC_SHA1:
		return 20;
	case IPMI_AUTH_ALG_HMAC_SHA256:
		return 32;
	default:
		return 0;
	}
}

size_t
rakp_icv_len(uint8_t auth)
{
	switch (auth) {
	case IPMI_AUTH_ALG_HMAC_SHA1:
		return 12;
	case IPMI_AUTH_ALG_HMAC_SHA256:
		return 16;
	default:
		return 0;
	}
}

static int
hash_of(uint8_t auth, enum crypto_hash *h)
{
	switch (auth) {
	case IPMI_AUTH_ALG_HMAC_SHA1:
		*h = CRYPTO_SHA1;
		return 0;
	case IPMI_AUTH_ALG_HMAC_SHA256:
		*h = CRYPTO_SHA256;
		return 0;
	default:
		return -1;
	}
}

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

/* 13.31: HMAC_Kuid(SIDm, SIDc, Rm, Rc, GUIDc, ROLEm, ULENGTHm, UNAMEm) */
int
rakp2_code(const struct rakp_params *p, uint8_t *out)
{
	uint8_t sidm[4], sidc[4];
	enum crypto_hash h;
	struct crypto_seg seg[8];

	if (hash_of(p->auth, &h) == -1)
		return 0;	/* RAKP-none: no code */
	le32(sidm, p->console_sid);
	le32(sidc, p->bmc_sid);
	seg[0] = (struct crypto_seg){ sidm, 4 };
	seg[1] = (struct crypto_seg){ sidc, 4 };
	seg[2] = (struct crypto_seg){ p->rm, 16 };
	seg[3] = (struct crypto_seg){ p->rc, 16 };
	seg[4] = (struct crypto_seg){ p->guid, 16 };
	seg[5] = (struct crypto_seg){ &p->role, 1 };
	seg[6] = (struct crypto_seg){ &p->ulen, 1 };
	seg[7] = (struct crypto_seg){ p->user, p->ulen };
	return crypto_hmac(h, p->kuid, p->kuid_len, seg, 8, out) == 0 ? 0 :
	    IPMI_E_CRYPTO;
}

/* 13.31: HMAC_Kuid(Rc, SIDm, ROLEm, ULENGTHm, UNAMEm) */
int
rakp3_code(const struct rakp_params *p, uint8_t *out)
{
	uint8_t sidm[4];
	enum crypto_hash h;
	struct crypto_seg seg[5];

	if (hash_of(p->auth, &h) == -1)
		return 0;
	le32(sidm, p->console_sid);
	seg[0] = (struct crypto_seg){ p->rc, 16 };
	seg[1] = (struct crypto_seg){ sidm, 4 };
	seg[2] = (struct crypto_seg){ &p->role, 1 };
	seg[3] = (struct crypto_seg){ &p->ulen, 1 };
	seg[4] = (struct crypto_seg){ p->user, p->ulen };
	return crypto_hmac(h, p->kuid, p->kuid_len, seg, 5, out) == 0 ? 0 :
	    IPMI_E_CRYPTO;
}

/* 13.32: SIK = HMAC_KG(Rm, Rc, ROLEm, ULENGTHm, UNAMEm); KG defaults to Kuid */
int
rakp_sik(const struct rakp_params *p, uint8_t *sik)
{
	enum crypto_hash h;
	struct crypto_seg seg[5];
	const uint8_t *key = p->kg != NULL ? p->kg : p->kuid;
	size_t keylen = p->kg != NULL ? p->kg_len : p->kuid_len;

	if (hash_of(p->auth, &h) == -1)
		return 0;
	seg[0] = (struct crypto_seg){ p->rm, 16 };
	seg[1] = (struct crypto_seg){ p->rc, 16 };
	seg[2] = (struct crypto_seg){ &p->role, 1 };
	seg[3] = (struct crypto_seg){ &p->ulen, 1 };
	seg[4] = (struct crypto_seg){ p->user, p->ulen };
	return crypto_hmac(h, key, keylen, seg, 5, sik) == 0 ? 0 :
	    IPMI_E_CRYPTO;
}

/* 13.28: RAKP 4 ICV = HMAC_SIK(Rm, SIDc, GUIDc), truncated */
int
rakp4_icv(const struct rakp_params *p, const uint8_t *sik, uint8_t *out)
{
	uint8_t sidc[4], mac[CRYPTO_MAX_DIGEST];
	enum crypto_hash h;
	struct crypto_seg seg[3];

	if (hash_of(p->auth, &h) == -1)
		return 0;
	le32(sidc, p->bmc_sid);
	seg[0] = (struct crypto_seg){ p->rm, 16 };
	seg[1] = (struct crypto_seg){ sidc, 4 };
	seg[2] = (struct crypto_seg){ p->guid, 16 };
	if (crypto_hmac(h, sik, crypto_hash_len(h), seg, 3, mac) == -1)
		return IPMI_E_CRYPTO;
	memcpy(out, mac, rakp_icv_len(p->auth));
	crypto_wipe(mac, sizeof(mac));
	return 0;
}

/* 13.32: K_n = HMAC_SIK(constant n repeated over the digest length) */
int
rakp_keys(uint8_t auth, uint8_t integ, uint8_t conf, const uint8_t *sik,
    struct rmcpp_keys *k)
{
	uint8_t c[CRYPTO_MAX_DIGEST];
	enum crypto_hash h;
	struct crypto_seg seg = { c, 0 };

	memset(k, 0, sizeof(*k));
	k->integ = integ;
	k->conf = conf;
	if (hash_of(auth, &h) == -1)
		return 0;
	/*
	 * 13.32: Const 1 and Const 2 are 20 bytes of 01h and 02h whatever
	 * the hash; HMAC-SHA256 suites hash the same 20 bytes (ipmitool and
	 * BMCs agree), keyed by the whole SIK.
	 */
	seg.len = 20;
	memset(c, 0x01, seg.len);
	if (crypto_hmac(h, sik, crypto_hash_len(h), &seg, 1, k->k1) == -1)
		return IPMI_E_CRYPTO;
	memset(c, 0x02, seg.len);
	if (crypto_hmac(h, sik, crypto_hash_len(h), &seg, 1, k->k2) == -1)
		return IPMI_E_CRYPTO;
	return 0;
}
