#include <string.h>

#include "crypto.h"
#include "ipmi.h"
#include "rmcp.h"
#include "rmcpp.h"

/* IPMI v2.0 rev 1.1, table 22-20: the standard cipher suites. */
static const struct ipmi_cipher_suite suites[] = {
	{ 0, IPMI_AUTH_ALG_NONE, IPMI_INTEG_NONE, IPMI_CONF_NONE },
	{ 1, IPMI_AUTH_ALG_HMAC_SHA1, IPMI_INTEG_NONE, IPMI_CONF_NONE },
	{ 2, IPMI_AUTH_ALG_HMAC_SHA1, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_NONE },
	{ 3, IPMI_AUTH_ALG_HMAC_SHA1, IPMI_INTEG_HMAC_SHA1_96,
	    IPMI_CONF_AES_CBC_128 },
	{ 4, IPMI_AUTH_ALG_HMAC_SHA1, IPMI_INTEG_HMAC_SHA1_96,
	    IPMI_CONF_XRC4_128 },
	{ 5, IPMI_AUTH_ALG_HMAC_SHA1, IPMI_INTEG_HMAC_SHA1_96,
	    IPMI_CONF_XRC4_40 },
	{ 6, IPMI_AUTH_ALG_HMAC_MD5, IPMI_INTEG_NONE, IPMI_CONF_NONE },
	{ 7, IPMI_AUTH_ALG_HMAC_MD5, IPMI_INTEG_HMAC_MD5_128, IPMI_CONF_NONE },
	{ 8, IPMI_AUTH_ALG_HMAC_MD5, IPMI_INTEG_HMAC_MD5_128,
	    IPMI_CONF_AES_CBC_128 },
	{ 9, IPMI_AUTH_ALG_HMAC_MD5, IPMI_INTEG_HMAC_MD5_128,
	    IPMI_CONF_XRC4_128 },
	{ 10, IPMI_AUTH_ALG_HMAC_MD5, IPMI_INTEG_HMAC_MD5_128,
	    IPMI_CONF_XRC4_40 },
	{ 11, IPMI_AUTH_ALG_HMAC_MD5, IPMI_INTEG_MD5_128, IPMI_CONF_NONE },
	{ 12, IPMI_AUTH_ALG_HMAC_MD5, IPMI_INTEG_MD5_128,
	    IPMI_CONF_AES_CBC_128 },
	{ 13, IPMI_AUTH_ALG_HMAC_MD5, IPMI_INTEG_MD5_128, IPMI_CONF_XRC4_128 },
	{ 14, IPMI_AUTH_ALG_HMAC_MD5, IPMI_INTEG_MD5_128, IPMI_CONF_XRC4_40 },
	{ 15, IPMI_AUTH_ALG_HMAC_SHA256, IPMI_INTEG_NONE, IPMI_CONF_NONE },
	{ 16, IPMI_AUTH_ALG_HMAC_SHA256, IPMI_INTEG_HMAC_SHA256_128,
	    IPMI_CONF_NONE },
	{ 17, IPMI_AUTH_ALG_HMAC_SHA256, IPMI_INTEG_HMAC_SHA256_128,
	    IPMI_CONF_AES_CBC_128 },
	{ 18, IPMI_AUTH_ALG_HMAC_SHA256, IPMI_INTEG_HMAC_SHA256_128,
	    IPMI_CONF_XRC4_128 },
	{ 19, IPMI_AUTH_ALG_HMAC_SHA256, IPMI_INTEG_HMAC_SHA256_128,
	    IPMI_CONF_XRC4_40 },
};

const struct ipmi_cipher_suite *
ipmi_cipher_suite(int id)
{
	if (id < 0 || (size_t)id >= sizeof(suites) / sizeof(suites[0]))
		return NULL;
	return &suites[id];
}

int
ipmi_cipher_suite_supported(const struct ipmi_cipher_suite *cs)
{
	return (cs->auth == IPMI_AUTH_ALG_NONE ||
	    cs->auth == IPMI_AUTH_ALG_HMAC_SHA1 ||
	    cs->auth == IPMI_AUTH_ALG_HMAC_SHA256) &&
	    (cs->integ == IPMI_INTEG_NONE ||
	    cs->integ == IPMI_INTEG_HMAC_SHA1_96 ||
	    cs->integ == IPMI_INTEG_HMAC_SHA256_128) &&
	    (cs->conf == IPMI_CONF_NONE || cs->conf == IPMI_CONF_AES_CBC_128);
}

int
ipmi_cipher_suite_secure(const struct ipmi_cipher_suite *cs)
{
	return cs->auth != IPMI_AUTH_ALG_NONE &&
	    cs->integ != IPMI_INTEG_NONE && cs->conf != IPMI_CONF_NONE;
}

int
ipmi_cipher_suite_rank(const struct ipmi_cipher_suite *cs)
{
	int r = 0;

	if (!ipmi_cipher_suite_supported(cs))
		return -1;
	if (cs->auth == IPMI_AUTH_ALG_HMAC_SHA256)
		r += 4;
	else if (cs->auth != IPMI_AUTH_ALG_NONE)
		r += 2;
	if (cs->integ != IPMI_INTEG_NONE)
		r += 8;
	if (cs->conf != IPMI_CONF_NONE)
		r += 16;
	return r;
}

static void
keys_disarm(struct rmcpp_keys *k)
{
	crypto_mac_free(k->mac);
	crypto_cbc_free(k->enc);
	crypto_cbc_free(k->dec);
	k->mac = NULL;
	k->enc = NULL;
	k->dec = NULL;
}

int
rmcpp_keys_arm(struct rmcpp_keys *k)
{
	keys_disarm(k);
	switch (k->integ) {
	case IPMI_INTEG_HMAC_SHA1_96:
		k->mac = crypto_mac_new(CRYPTO_SHA1, k->k1, 20);
		break;
	case IPMI_INTEG_HMAC_SHA256_128:
		k->mac = crypto_mac_new(CRYPTO_SHA256, k->k1, 32);
		break;
	default:
		break;
	}
	if (rmcpp_integ_len(k->integ) > 0 && k->mac == NULL)
		goto fail;
	if (k->conf == IPMI_CONF_AES_CBC_128 &&
	    ((k->enc = crypto_cbc_new(1, k->k2)) == NULL ||
	    (k->dec = crypto_cbc_new(0, k->k2)) == NULL))
		goto fail;
	return 0;
fail:
	keys_disarm(k);
	return IPMI_E_CRYPTO;
}

void
rmcpp_keys_wipe(struct rmcpp_keys *k)
{
	keys_disarm(k);
	crypto_wipe(k, sizeof(*k));
}

size_t
rmcpp_integ_len(uint8_t integ)
{
	switch (integ) {
	case IPMI_INTEG_HMAC_SHA1_96:
		return 12;
	case IPMI_INTEG_HMAC_SHA256_128:
		return 16;
	default:
		return 0;
	}
}

static int
integ_hmac(const struct rmcpp_keys *k, const uint8_t *p, size_t n,
    uint8_t *out)
{
	struct crypto_seg seg = { p, n };

	if (k->mac != NULL)
		return crypto_mac_run(k->mac, &seg, 1, out);
	switch (k->integ) {
	case IPMI_INTEG_HMAC_SHA1_96:
		return crypto_hmac(CRYPTO_SHA1, k->k1, 20, &seg, 1, out);
	case IPMI_INTEG_HMAC_SHA256_128:
		return crypto_hmac(CRYPTO_SHA256, k->k1, 32, &seg, 1, out);
	default:
		return -1;
	}
}

int
rmcpp_encode(struct buf *b, const struct rmcpp_hdr *h, const uint8_t *payload,
    size_t len, const struct rmcpp_keys *k, const uint8_t iv[16])
{
	uint8_t pt = h->payload_type & 0x3f, mac[CRYPTO_MAX_DIGEST], *lenp, *p;
	size_t start, body, ilen, pad, i;
	int rc;

	if ((h->encrypted || h->authenticated) && k == NULL)
		return IPMI_E_INVAL;
	if (h->encrypted && k->conf != IPMI_CONF_AES_CBC_128)
		return IPMI_E_INVAL;
	if (h->authenticated && rmcpp_integ_len(k->integ) == 0)
		return IPMI_E_INVAL;
	if (len > IPMI_MAX_PACKET)
		return IPMI_E_INVAL;
	if ((rc = rmcp_encode(b, RMCP_SEQ_NOACK, RMCP_CLASS_IPMI)) != 0)
		return rc;
	start = b->len;
	if (h->encrypted)
		pt |= RMCPP_PT_ENCRYPTED;
	if (h->authenticated)
		pt |= RMCPP_PT_AUTHENTICATED;
	if (buf_put_u8(b, IPMI_AUTH_RMCPP) == -1 || buf_put_u8(b, pt) == -1 ||
	    buf_put_le32(b, h->session_id) == -1 ||
	    buf_put_le32(b, h->seq) == -1 ||
	    (lenp = buf_reserve(b, 2)) == NULL)
		return IPMI_E_NOSPACE;
	body = b->len;
	if (h->encrypted) {
		/* 13.29: data, pad bytes 1, 2, 3..., pad length; 16-aligned */
		pad = (16 - (len + 1) % 16) % 16;
		if ((p = buf_reserve(b, 16 + len + pad + 1)) == NULL)
			return IPMI_E_NOSPACE;
		memcpy(p, iv, 16);
		memcpy(p + 16, payload, len);
		for (i = 0; i < pad; i++)
			p[16 + len + i] = (uint8_t)(i + 1);
		p[16 + len + pad] = (uint8_t)pad;
		if ((k->enc != NULL ? crypto_cbc_run(k->enc, iv, p + 16,
		    p + 16, len + pad + 1) : crypto_aes128_cbc(1, k->k2, iv,
		    p + 16, p + 16, len + pad + 1)) == -1)
			return IPMI_E_CRYPTO;
	} else if (buf_put_bytes(b, payload, len) == -1)
		return IPMI_E_NOSPACE;
	if (b->len - body > 0xffff)
		return IPMI_E_INVAL;
	lenp[0] = (b->len - body) & 0xff;
	lenp[1] = (uint8_t)((b->len - body) >> 8);
	if (!h->authenticated)
		return 0;
	/* 13.28.4: pad so auth type through next header is 4-aligned */
	pad = (4 - (b->len - start + 2) % 4) % 4;
	for (i = 0; i < pad; i++)
		if (buf_put_u8(b, 0xff) == -1)
			return IPMI_E_NOSPACE;
	if (buf_put_u8(b, (uint8_t)pad) == -1 || buf_put_u8(b, 0x07) == -1)
		return IPMI_E_NOSPACE;
	ilen = rmcpp_integ_len(k->integ);
	if (integ_hmac(k, b->data + start, b->len - start, mac) == -1)
		return IPMI_E_CRYPTO;
	if (buf_put_bytes(b, mac, ilen) == -1)
		return IPMI_E_NOSPACE;
	return 0;
}

int
rmcpp_decode(struct buf *b, struct rmcpp_hdr *h, const struct rmcpp_keys *k,
    uint8_t *plain, size_t cap, size_t *plainlen)
{
	uint8_t auth_type, pt, mac[CRYPTO_MAX_DIGEST], padlen;
	const uint8_t *payload, *trailer;
	size_t start = b->pos, ilen, end, i, n;
	uint16_t len;
	uint8_t iv[16];

	if (buf_get_u8(b, &auth_type) == -1 || buf_get_u8(b, &pt) == -1)
		return IPMI_E_SHORT;
	if (auth_type != IPMI_AUTH_RMCPP)
		return IPMI_E_MALFORMED;
	h->payload_type = pt & 0x3f;
	h->encrypted = (pt & RMCPP_PT_ENCRYPTED) != 0;
	h->authenticated = (pt & RMCPP_PT_AUTHENTICATED) != 0;
	if (h->payload_type == RMCPP_PT_OEM)
		return IPMI_E_UNSUPPORTED;
	if (buf_get_le32(b, &h->session_id) == -1 ||
	    buf_get_le32(b, &h->seq) == -1 || buf_get_le16(b, &len) == -1 ||
	    buf_get_ref(b, &payload, len) == -1)
		return IPMI_E_SHORT;

	if (h->authenticated) {
		if (k == NULL || (ilen = rmcpp_integ_len(k->integ)) == 0)
			return IPMI_E_AUTHCODE;
		/* trailer: pad, pad length, next header, auth code */
		if (buf_left(b) < ilen + 2)
			return IPMI_E_SHORT;
		end = b->len - ilen;		/* auth code starts here */
		trailer = b->data + end;
		padlen = trailer[-2];
		if (trailer[-1] != 0x07 || padlen > 3 ||
		    end - b->pos != (size_t)padlen + 2)
			return IPMI_E_MALFORMED;
		for (i = 0; i < padlen; i++)
			if (b->data[b->pos + i] != 0xff)
				return IPMI_E_MALFORMED;
		if ((end - start) % 4 != 0)
			return IPMI_E_MALFORMED;
		if (integ_hmac(k, b->data + start, end - start, mac) == -1)
			return IPMI_E_CRYPTO;
		if (crypto_memcmp(mac, trailer, ilen) != 0)
			return IPMI_E_AUTHCODE;
		b->pos = b->len;
	} else {
		/* an established session with integrity never goes bare */
		if (k != NULL && k->integ != IPMI_INTEG_NONE)
			return IPMI_E_AUTHCODE;
		if (buf_left(b) != 0)
			return IPMI_E_MALFORMED;
	}

	if (h->encrypted) {
		if (k == NULL || k->conf != IPMI_CONF_AES_CBC_128)
			return IPMI_E_AUTHCODE;
		if (len < 32 || len % 16 != 0)
			return IPMI_E_MALFORMED;
		n = (size_t)len - 16;
		if (n > cap)
			return IPMI_E_NOSPACE;
		memcpy(iv, payload, 16);
		if ((k->dec != NULL ? crypto_cbc_run(k->dec, iv, payload + 16,
		    plain, n) : crypto_aes128_cbc(0, k->k2, iv, payload + 16,
		    plain, n)) == -1)
			return IPMI_E_CRYPTO;
		padlen = plain[n - 1];
		if ((size_t)padlen + 1 > n || padlen > 15)
			return IPMI_E_MALFORMED;
		for (i = 0; i < padlen; i++)
			if (plain[n - 1 - padlen + i] != i + 1)
				return IPMI_E_MALFORMED;
		*plainlen = n - 1 - padlen;
	} else {
		if (k != NULL && k->conf != IPMI_CONF_NONE &&
		    h->payload_type == RMCPP_PT_IPMI)
			return IPMI_E_AUTHCODE;
		if (len > cap)
			return IPMI_E_NOSPACE;
		memcpy(plain, payload, len);
		*plainlen = len;
	}
	return 0;
}
