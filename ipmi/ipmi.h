/*
 * ipmi: constants shared by every layer of the protocol library, and the
 * library's error codes.
 *
 * Library functions return 0 (or a length) on success and a negative
 * enum ipmi_err on failure; IPMI completion codes travel separately, as the
 * uint8_t the BMC sent.  ipmi_strerror() and ipmi_ccstr() turn both into
 * words an operator understands.
 */
#ifndef BMCFLEET_IPMI_IPMI_H
#define BMCFLEET_IPMI_IPMI_H

#include <stdint.h>

enum ipmi_err {
	IPMI_OK = 0,
	IPMI_E_SHORT = -1,	/* packet shorter than its headers claim */
	IPMI_E_MALFORMED = -2,	/* a field out of range, bad padding */
	IPMI_E_CHECKSUM = -3,	/* IPMI message checksum mismatch */
	IPMI_E_AUTHCODE = -4,	/* v1.5 auth code or v2.0 HMAC mismatch */
	IPMI_E_SESSION_ID = -5,	/* packet for another session */
	IPMI_E_SEQ = -6,	/* replayed or out-of-window sequence number */
	IPMI_E_UNEXPECTED = -7,	/* wrong netfn/cmd/rq_seq/payload type */
	IPMI_E_NOSPACE = -8,	/* output buffer too small */
	IPMI_E_CRYPTO = -9,	/* OpenSSL failed */
	IPMI_E_TIMEOUT = -10,	/* no answer after all retries */
	IPMI_E_PASSWORD = -11,	/* BMC rejected the password (RAKP/activate) */
	IPMI_E_USER = -12,	/* BMC does not know the user name */
	IPMI_E_INSECURE = -13,	/* would need an insecure mode not allowed */
	IPMI_E_UNSUPPORTED = -14, /* BMC lacks what we need (suite, v2.0) */
	IPMI_E_PRIVILEGE = -15,	/* privilege level refused */
	IPMI_E_CC = -16,	/* the BMC answered with a failing completion code */
	IPMI_E_BMC_KEY = -17,	/* RAKP 4 check failed: wrong K_g */
	IPMI_E_NOSLOT = -18,	/* BMC has no free session slot */
	IPMI_E_CLOSED = -19,	/* session closed or failed */
	IPMI_E_BUSY = -20,	/* a request is already outstanding */
	IPMI_E_INVAL = -21,	/* bad argument from the caller */
	IPMI_E_RAKP = -22,	/* RAKP status code not covered above */
};

const char	*ipmi_strerror(int);
/* Completion code in words, e.g. "insufficient privilege level". */
const char	*ipmi_ccstr(uint8_t);

/* Network functions (requests; responses are netfn | 1). */
enum {
	IPMI_NETFN_CHASSIS = 0x00,
	IPMI_NETFN_BRIDGE = 0x02,
	IPMI_NETFN_SENSOR = 0x04,
	IPMI_NETFN_APP = 0x06,
	IPMI_NETFN_FIRMWARE = 0x08,
	IPMI_NETFN_STORAGE = 0x0a,
	IPMI_NETFN_TRANSPORT = 0x0c,
	IPMI_NETFN_GROUP = 0x2c,
};

/* Commands used in this library. */
enum {
	/* chassis */
	IPMI_CMD_GET_CHASSIS_STATUS = 0x01,
	IPMI_CMD_CHASSIS_CONTROL = 0x02,
	IPMI_CMD_CHASSIS_IDENTIFY = 0x04,
	/* app */
	IPMI_CMD_GET_DEVICE_ID = 0x01,
	IPMI_CMD_GET_DEVICE_GUID = 0x08,
	IPMI_CMD_GET_CHANNEL_AUTH_CAPS = 0x38,
	IPMI_CMD_GET_SESSION_CHALLENGE = 0x39,
	IPMI_CMD_ACTIVATE_SESSION = 0x3a,
	IPMI_CMD_SET_SESSION_PRIV = 0x3b,
	IPMI_CMD_CLOSE_SESSION = 0x3c,
	IPMI_CMD_GET_CHANNEL_CIPHER_SUITES = 0x54,
	IPMI_CMD_GET_SYSTEM_INFO = 0x59,
};

/* Completion codes (IPMI v2.0 rev 1.1, table 5-2) we act on. */
enum {
	IPMI_CC_OK = 0x00,
	IPMI_CC_NODE_BUSY = 0xc0,
	IPMI_CC_INVALID_CMD = 0xc1,
	IPMI_CC_TIMEOUT = 0xc3,
	IPMI_CC_OUT_OF_SPACE = 0xc4,
	IPMI_CC_RESERVATION = 0xc5,
	IPMI_CC_TRUNCATED = 0xc6,
	IPMI_CC_REQ_LEN = 0xc7,
	IPMI_CC_REQ_TOO_LONG = 0xc8,
	IPMI_CC_PARAM_RANGE = 0xc9,
	IPMI_CC_CANT_RETURN = 0xca,
	IPMI_CC_NOT_PRESENT = 0xcb,
	IPMI_CC_INVALID_FIELD = 0xcc,
	IPMI_CC_ILLEGAL = 0xcd,
	IPMI_CC_NO_RESPONSE = 0xce,
	IPMI_CC_DUPLICATE = 0xcf,
	IPMI_CC_SDR_UPDATE = 0xd0,
	IPMI_CC_FW_UPDATE = 0xd1,
	IPMI_CC_INIT = 0xd2,
	IPMI_CC_DEST_UNAVAIL = 0xd3,
	IPMI_CC_PRIVILEGE = 0xd4,
	IPMI_CC_NOT_NOW = 0xd5,
	IPMI_CC_SUBFN_DISABLED = 0xd6,
	IPMI_CC_UNSPECIFIED = 0xff,
	/* Activate Session / Get Session Challenge specific (22.15, 22.16) */
	IPMI_CC_INVALID_USER = 0x81,	/* challenge: invalid user name */
	IPMI_CC_NULL_USER = 0x82,	/* challenge: null user not enabled */
	IPMI_CC_NO_SESSION_SLOT = 0x81,	/* activate: no slot available */
	IPMI_CC_NO_SLOT_USER = 0x82,	/* activate: no slot for this user */
	IPMI_CC_PRIV_EXCEEDED = 0x84,	/* activate: max priv exceeded */
	IPMI_CC_INVALID_SESSION_ID = 0x87, /* close session */
};

/* Privilege levels. */
enum ipmi_priv {
	IPMI_PRIV_MAX = 0x00,	/* "highest available" in Open Session */
	IPMI_PRIV_CALLBACK = 0x01,
	IPMI_PRIV_USER = 0x02,
	IPMI_PRIV_OPERATOR = 0x03,
	IPMI_PRIV_ADMIN = 0x04,
	IPMI_PRIV_OEM = 0x05,
};
const char	*ipmi_priv_name(int);
/* "user", "operator", "admin" (and common abbreviations) -> level; -1. */
int		 ipmi_priv_parse(const char *);

/* v1.5 authentication types (session header byte 0). */
enum ipmi_authtype {
	IPMI_AUTH_NONE = 0x00,
	IPMI_AUTH_MD2 = 0x01,
	IPMI_AUTH_MD5 = 0x02,
	IPMI_AUTH_STRAIGHT = 0x04,
	IPMI_AUTH_OEM = 0x05,
	IPMI_AUTH_RMCPP = 0x06,	/* marks a v2.0 RMCP+ session header */
};

/* BMC and software IDs on the IPMB (we are remote console software 0x81). */
#define IPMI_BMC_ADDR		0x20
#define IPMI_REMOTE_SWID	0x81

#define IPMI_PORT		623
#define IPMI_MAX_USER		16
#define IPMI_MAX_PASSWORD	20
#define IPMI_V15_PASSWORD	16
#define IPMI_KG_LEN		20
#define IPMI_MAX_PAYLOAD	255	/* one IPMI message's data bytes */
#define IPMI_MAX_PACKET		512	/* a whole UDP datagram we build/accept */

#endif
