/*
 * rmcpp: the IPMI v2.0 RMCP+ session wrapper (IPMI v2.0 rev 1.1, 13.6,
 * 13.28.4 and 13.29): payload type with encrypted/authenticated bits,
 * session ID, sequence number, a 16-bit payload length, the payload
 * (AES-CBC-128 encrypted when asked), then the integrity trailer: 0xff
 * padding to a 4-byte boundary, pad length, next header 07h and the
 * truncated HMAC.  Also the cipher suite table (22.15.2, table 22-19).
 */
#ifndef BMCFLEET_IPMI_RMCPP_H
#define BMCFLEET_IPMI_RMCPP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum rmcpp_payload {
	RMCPP_PT_IPMI = 0x00,
	RMCPP_PT_SOL = 0x01,
	RMCPP_PT_OEM = 0x02,
	RMCPP_PT_OPEN_REQ = 0x10,
	RMCPP_PT_OPEN_RSP = 0x11,
	RMCPP_PT_RAKP1 = 0x12,
	RMCPP_PT_RAKP2 = 0x13,
	RMCPP_PT_RAKP3 = 0x14,
	RMCPP_PT_RAKP4 = 0x15,
};
#define RMCPP_PT_ENCRYPTED	0x80
#define RMCPP_PT_AUTHENTICATED	0x40

enum ipmi_auth_alg {
	IPMI_AUTH_ALG_NONE = 0x00,
	IPMI_AUTH_ALG_HMAC_SHA1 = 0x01,
	IPMI_AUTH_ALG_HMAC_MD5 = 0x02,
	IPMI_AUTH_ALG_HMAC_SHA256 = 0x03,
};
enum ipmi_integ_alg {
	IPMI_INTEG_NONE = 0x00,
	IPMI_INTEG_HMAC_SHA1_96 = 0x01,
	IPMI_INTEG_HMAC_MD5_128 = 0x02,
	IPMI_INTEG_MD5_128 = 0x03,
	IPMI_INTEG_HMAC_SHA256_128 = 0x04,
};
enum ipmi_conf_alg {
	IPMI_CONF_NONE = 0x00,
	IPMI_CONF_AES_CBC_128 = 0x01,
	IPMI_CONF_XRC4_128 = 0x02,
	IPMI_CONF_XRC4_40 = 0x03,
};

struct ipmi_cipher_suite {
	uint8_t	id;
	uint8_t	auth;
	uint8_t	integ;
	uint8_t	conf;
};

/* The standard suite with this ID, or NULL. */
const struct ipmi_cipher_suite *ipmi_cipher_suite(int id);
/* Whether we implement every algorithm of the suite. */
int	ipmi_cipher_suite_supported(const struct ipmi_cipher_suite *);
/* Secure: authenticated key exchange, integrity and confidentiality. */
int	ipmi_cipher_suite_secure(const struct ipmi_cipher_suite *);
/* Rank for choosing among offered suites; higher is stronger. */
int	ipmi_cipher_suite_rank(const struct ipmi_cipher_suite *);

struct crypto_mac;
struct crypto_cbc;

/*
 * Negotiated session keys.  A session arms them with rmcpp_keys_arm() once
 * K1 and K2 are derived: the integrity MAC keyed with K1 and the AES
 * contexts keyed with K2 are then set up once, not per packet.  Keys that
 * are not armed (tests, corpus tools) go through the one-shot functions,
 * with the same result.  Whoever arms them frees them with
 * rmcpp_keys_wipe(), which also wipes the key bytes; so must any rewrite
 * of armed keys (rakp_keys() clears the struct without freeing).
 */
struct rmcpp_keys {
	uint8_t	integ;		/* enum ipmi_integ_alg */
	uint8_t	conf;		/* enum ipmi_conf_alg */
	uint8_t	k1[32];
	uint8_t	k2[32];		/* AES uses the first 16 bytes */
	struct crypto_mac *mac;	/* K1's HMAC, or NULL */
	struct crypto_cbc *enc;	/* AES-CBC with K2, encrypting, or NULL */
	struct crypto_cbc *dec;	/* ... decrypting, or NULL */
};
/* Set up the kept contexts for integ and conf (again if armed already).
 * Returns 0, or IPMI_E_CRYPTO with nothing armed. */
int	rmcpp_keys_arm(struct rmcpp_keys *);
/* Free the kept contexts and wipe the keys; the struct reads as zeros. */
void	rmcpp_keys_wipe(struct rmcpp_keys *);
size_t	rmcpp_integ_len(uint8_t integ);		/* auth code bytes: 0/12/16 */

struct rmcpp_hdr {
	uint8_t		payload_type;	/* low 6 bits */
	int		encrypted;
	int		authenticated;
	uint32_t	session_id;
	uint32_t	seq;
};

/*
 * Write a whole datagram (RMCP header included).  When h->authenticated or
 * h->encrypted is set, keys must say how; iv supplies 16 random bytes for
 * AES.  Returns 0, IPMI_E_NOSPACE, IPMI_E_INVAL or IPMI_E_CRYPTO.
 */
int	rmcpp_encode(struct buf *, const struct rmcpp_hdr *,
	    const uint8_t *payload, size_t len, const struct rmcpp_keys *,
	    const uint8_t iv[16]);
/*
 * Decode after the RMCP header.  Checks the integrity trailer (padding,
 * next header, HMAC) and decrypts into plain (cap bytes); *plainlen gets
 * the payload length.  A packet that claims to be authenticated or
 * encrypted when keys is NULL or says "none" is refused (IPMI_E_AUTHCODE),
 * and so is one that is not authenticated when keys->integ is not none.
 * Returns 0 or a negative enum ipmi_err.  Session ID and sequence checks
 * are the caller's.
 */
int	rmcpp_decode(struct buf *, struct rmcpp_hdr *,
	    const struct rmcpp_keys *, uint8_t *plain, size_t cap,
	    size_t *plainlen);

#endif
