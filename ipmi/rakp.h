/*
 * rakp: RMCP+ session establishment (IPMI v2.0 rev 1.1, 13.17-13.32):
 * Open Session Request/Response, RAKP Messages 1-4, and the key material
 * derived from them (SIK, K1, K2).  Codecs for both sides: the client in
 * session.c, the simulated BMC in sim/.
 *
 * Naming follows the spec: "console" is the remote console (SIDm, Rm),
 * "bmc" the managed system (SIDc, Rc, GUIDc).
 */
#ifndef BMCFLEET_IPMI_RAKP_H
#define BMCFLEET_IPMI_RAKP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "rmcpp.h"

/* RAKP and Open Session status codes (table 13-15). */
enum rakp_status {
	RAKP_OK = 0x00,
	RAKP_NO_RESOURCES = 0x01,
	RAKP_INVALID_SESSION_ID = 0x02,
	RAKP_INVALID_PAYLOAD = 0x03,
	RAKP_INVALID_AUTH_ALG = 0x04,
	RAKP_INVALID_INTEG_ALG = 0x05,
	RAKP_NO_MATCHING_AUTH = 0x06,
	RAKP_NO_MATCHING_INTEG = 0x07,
	RAKP_INACTIVE_SESSION = 0x08,
	RAKP_INVALID_ROLE = 0x09,
	RAKP_UNAUTHORIZED_ROLE = 0x0a,
	RAKP_NO_RESOURCES_ROLE = 0x0b,
	RAKP_INVALID_NAME_LEN = 0x0c,
	RAKP_UNAUTHORIZED_NAME = 0x0d,
	RAKP_UNAUTHORIZED_GUID = 0x0e,
	RAKP_INVALID_ICV = 0x0f,
	RAKP_INVALID_CONF_ALG = 0x10,
	RAKP_NO_CIPHER_MATCH = 0x11,
	RAKP_ILLEGAL_PARAM = 0x12,
};
const char	*rakp_status_str(uint8_t);

#define RAKP_ROLE_NAME_ONLY	0x10	/* role bit 4: name-only lookup */

struct rakp_open_req {
	uint8_t		tag;
	uint8_t		priv;		/* requested maximum, 0 = highest */
	uint32_t	console_sid;
	uint8_t		auth, integ, conf;
};
struct rakp_open_rsp {
	uint8_t		tag;
	uint8_t		status;
	uint8_t		priv;
	uint32_t	console_sid;
	uint32_t	bmc_sid;
	uint8_t		auth, integ, conf;
};
struct rakp1 {
	uint8_t		tag;
	uint32_t	bmc_sid;
	uint8_t		rm[16];
	uint8_t		role;
	uint8_t		ulen;
	uint8_t		user[16];
};
struct rakp2 {
	uint8_t		tag;
	uint8_t		status;
	uint32_t	console_sid;
	uint8_t		rc[16];
	uint8_t		guid[16];
	/* one spare byte: some firmware sends a code one byte long (the
	 * supermicro20 and sun20 workarounds in session.c) */
	uint8_t		code[33];
	size_t		code_len;
};
struct rakp3 {
	uint8_t		tag;
	uint8_t		status;
	uint32_t	bmc_sid;
	uint8_t		code[32];
	size_t		code_len;
};
struct rakp4 {
	uint8_t		tag;
	uint8_t		status;
	uint32_t	console_sid;
	uint8_t		icv[32];
	size_t		icv_len;
};

/* Payload codecs (no session wrapper).  0 or a negative enum ipmi_err. */
int	rakp_open_req_encode(const struct rakp_open_req *, struct buf *);
int	rakp_open_req_decode(struct buf *, struct rakp_open_req *);
int	rakp_open_rsp_encode(const struct rakp_open_rsp *, struct buf *);
/* An error status may come with only the first 8 bytes. */
int	rakp_open_rsp_decode(struct buf *, struct rakp_open_rsp *);
int	rakp1_encode(const struct rakp1 *, struct buf *);
int	rakp1_decode(struct buf *, struct rakp1 *);
int	rakp2_encode(const struct rakp2 *, struct buf *);
int	rakp2_decode(struct buf *, struct rakp2 *);
int	rakp3_encode(const struct rakp3 *, struct buf *);
int	rakp3_decode(struct buf *, struct rakp3 *);
int	rakp4_encode(const struct rakp4 *, struct buf *);
int	rakp4_decode(struct buf *, struct rakp4 *);

/* Everything the key exchange hashes; both sides fill it the same way. */
struct rakp_params {
	uint8_t		 auth;		/* enum ipmi_auth_alg */
	uint32_t	 console_sid;	/* SIDm */
	uint32_t	 bmc_sid;	/* SIDc */
	uint8_t		 rm[16];
	uint8_t		 rc[16];
	uint8_t		 guid[16];
	uint8_t		 role;		/* the whole RAKP 1 byte */
	uint8_t		 ulen;
	uint8_t		 user[16];
	const uint8_t	*kuid;		/* password; not owned */
	size_t		 kuid_len;
	const uint8_t	*kg;		/* BMC key, NULL = use kuid */
	size_t		 kg_len;
};

size_t	rakp_code_len(uint8_t auth);	/* RAKP 2/3 code: 0, 20 or 32 */
size_t	rakp_icv_len(uint8_t auth);	/* RAKP 4 ICV: 0, 12 or 16 */
/* Each writes its code_len/icv_len/digest bytes; 0 or IPMI_E_CRYPTO. */
int	rakp2_code(const struct rakp_params *, uint8_t *out);
int	rakp3_code(const struct rakp_params *, uint8_t *out);
int	rakp_sik(const struct rakp_params *, uint8_t *sik);
int	rakp4_icv(const struct rakp_params *, const uint8_t *sik, uint8_t *out);
/* K1 and K2 from the SIK into keys, with the negotiated algorithms. */
int	rakp_keys(uint8_t auth, uint8_t integ, uint8_t conf, const uint8_t *sik,
	    struct rmcpp_keys *);

#endif
