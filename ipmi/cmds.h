/*
 * cmds: codecs for the command data of the IPMI commands this library uses.
 * Request and response, encode and decode, so the simulated BMC and the
 * client share one definition.  Pure: no I/O, no allocation.
 *
 * Responses are decoded from the data after the completion code (a failing
 * completion code carries no data to decode).  Optional trailing fields the
 * spec allows a BMC to omit are flagged with has_*.  Every decoder returns
 * 0, IPMI_E_SHORT or IPMI_E_MALFORMED; every encoder 0 or IPMI_E_NOSPACE.
 */
#ifndef BMCFLEET_IPMI_CMDS_H
#define BMCFLEET_IPMI_CMDS_H

#include <stdint.h>

#include "buf.h"

#define IPMI_CHANNEL_CURRENT	0x0e

/* 22.13 Get Channel Authentication Capabilities */
struct ipmi_auth_caps_req {
	uint8_t	channel;
	int	v2;		/* ask for IPMI v2.0 extended data */
	uint8_t	priv;
};
struct ipmi_auth_caps_rsp {
	uint8_t		channel;
	int		v2_ext;		/* byte 2 bit 7: extended data present */
	uint8_t		auth_types;	/* bit n = auth type n supported */
	int		kg_set;		/* K_g is not the default (all zero) */
	int		per_msg_auth_off;
	int		user_auth_off;
	int		nonnull_users;
	int		null_users;
	int		anonymous;
	int		v15;		/* supports IPMI v1.5 */
	int		v20;		/* supports IPMI v2.0 */
	uint32_t	oem_iana;
	uint8_t		oem_aux;
};
int	ipmi_auth_caps_req_encode(const struct ipmi_auth_caps_req *, struct buf *);
int	ipmi_auth_caps_req_decode(struct buf *, struct ipmi_auth_caps_req *);
int	ipmi_auth_caps_rsp_encode(const struct ipmi_auth_caps_rsp *, struct buf *);
int	ipmi_auth_caps_rsp_decode(struct buf *, struct ipmi_auth_caps_rsp *);

/* 22.16 Get Session Challenge */
struct ipmi_challenge_req {
	uint8_t	auth_type;
	uint8_t	user[16];	/* zero padded */
};
struct ipmi_challenge_rsp {
	uint32_t	temp_sid;
	uint8_t		challenge[16];
};
int	ipmi_challenge_req_encode(const struct ipmi_challenge_req *, struct buf *);
int	ipmi_challenge_req_decode(struct buf *, struct ipmi_challenge_req *);
int	ipmi_challenge_rsp_encode(const struct ipmi_challenge_rsp *, struct buf *);
int	ipmi_challenge_rsp_decode(struct buf *, struct ipmi_challenge_rsp *);

/* 22.17 Activate Session */
struct ipmi_activate_req {
	uint8_t		auth_type;
	uint8_t		priv;
	uint8_t		challenge[16];
	uint32_t	outbound_seq;	/* first seq the BMC uses to us */
};
struct ipmi_activate_rsp {
	uint8_t		auth_type;	/* for the rest of the session */
	uint32_t	sid;
	uint32_t	inbound_seq;	/* first seq we use to the BMC */
	uint8_t		priv;		/* maximum privilege allowed */
};
int	ipmi_activate_req_encode(const struct ipmi_activate_req *, struct buf *);
int	ipmi_activate_req_decode(struct buf *, struct ipmi_activate_req *);
int	ipmi_activate_rsp_encode(const struct ipmi_activate_rsp *, struct buf *);
int	ipmi_activate_rsp_decode(struct buf *, struct ipmi_activate_rsp *);

/* 22.18 Set Session Privilege Level: request and response are one byte */
int	ipmi_priv_encode(uint8_t priv, struct buf *);
int	ipmi_priv_decode(struct buf *, uint8_t *priv);

/* 22.19 Close Session (the v1.5/v2.0 session handle is not supported) */
int	ipmi_close_req_encode(uint32_t sid, struct buf *);
int	ipmi_close_req_decode(struct buf *, uint32_t *sid);

/* 20.1 Get Device ID */
struct ipmi_device_id {
	uint8_t		device_id;
	uint8_t		device_rev;	/* low 4 bits */
	int		provides_sdrs;
	uint8_t		fw_major;	/* 7 bits */
	int		fw_update;	/* "device available" bit: in update */
	uint8_t		fw_minor;	/* BCD on the wire, decoded to binary */
	uint8_t		ipmi_version;	/* BCD: 0x51, 0x02 */
	uint8_t		support;	/* additional device support bits */
	uint32_t	manufacturer;	/* 20-bit IANA enterprise number */
	uint16_t	product;
	int		has_aux;
	uint8_t		aux[4];
};
int	ipmi_device_id_encode(const struct ipmi_device_id *, struct buf *);
int	ipmi_device_id_decode(struct buf *, struct ipmi_device_id *);

/* 20.8 Get Device GUID: 16 bytes, least significant first on the wire */
int	ipmi_guid_decode(struct buf *, uint8_t guid[16]);
/* "xxxxxxxx-xxxx-..." in RFC 4122 order, as ipmitool prints it; 37 bytes */
void	ipmi_guid_format(const uint8_t guid[16], char out[37]);

/*
 * 22.14b Get System Info Parameters (IPMI v2.0): a parameter, one set
 * (16-byte block) at a time.  Parameter 1, the system firmware (BIOS)
 * version: set 0 holds the encoding, the string's length and its first
 * 14 bytes; sets 1, 2, ... 16 bytes each.
 */
#define IPMI_SYSINFO_FW_VERSION		1
#define IPMI_SYSINFO_BLOCK		16
#define IPMI_SYSINFO_STR_MAX		255	/* a length byte's worth */
struct ipmi_sysinfo_req {
	int	rev_only;	/* the parameter's revision, no data */
	uint8_t	param;
	uint8_t	set;
	uint8_t	block;
};
struct ipmi_sysinfo_rsp {
	uint8_t	revision;	/* of the parameter: 11h */
	int	has_data;	/* 0: revision only */
	uint8_t	set;		/* the set selector echoed */
	uint8_t	data[IPMI_SYSINFO_BLOCK];
	uint8_t	len;		/* bytes of data that arrived, <= 16 */
};
int	ipmi_sysinfo_req_encode(const struct ipmi_sysinfo_req *, struct buf *);
int	ipmi_sysinfo_req_decode(struct buf *, struct ipmi_sysinfo_req *);
int	ipmi_sysinfo_rsp_encode(const struct ipmi_sysinfo_rsp *, struct buf *);
int	ipmi_sysinfo_rsp_decode(struct buf *, struct ipmi_sysinfo_rsp *);

/*
 * A string parameter (the firmware version) put together from its sets,
 * in order: feed set 0's answer, then sets 1, 2, ... while it returns 0.
 */
struct ipmi_sysinfo_str {
	uint8_t	encoding;	/* 0 ASCII+Latin-1, 1 UTF-8, 2 UCS-2 */
	uint8_t	len;		/* the length set 0 claims */
	uint8_t	have;		/* bytes kept so far */
	uint8_t	next;		/* the set to ask for next */
	char	text[IPMI_SYSINFO_STR_MAX + 1];	/* NUL-terminated */
};
void	ipmi_sysinfo_str_init(struct ipmi_sysinfo_str *);
/*
 * Take one set's answer.  Returns 1 when the string is complete (text
 * holds it: bytes outside printable ASCII as '?', trailing NULs and
 * blanks dropped), 0 when set s->next is to be asked for, or
 * IPMI_E_MALFORMED for the wrong set, a UCS-2 string, or no data.
 */
int	ipmi_sysinfo_str_feed(struct ipmi_sysinfo_str *,
	    const struct ipmi_sysinfo_rsp *);
/*
 * The sets of a string parameter, for a BMC: set `set` of text (ASCII)
 * into r.  Returns 0, or IPMI_E_MALFORMED past the last set.
 */
int	ipmi_sysinfo_str_set(const char *text, uint8_t set,
	    struct ipmi_sysinfo_rsp *r);

/* 28.2 Get Chassis Status */
struct ipmi_chassis_status {
	int	power_on;
	int	overload;
	int	interlock;
	int	power_fault;
	int	control_fault;
	uint8_t	restore_policy;	/* 0 off, 1 restore, 2 on, 3 unknown */
	uint8_t	last_event;	/* byte 2 bits */
	uint8_t	misc;		/* byte 3 */
	int	identify_supported;	/* misc bit 6 */
	uint8_t	identify_state;	/* 0 off, 1 timed on, 2 indefinite on */
	int	has_front_panel;
	uint8_t	front_panel;
};
int	ipmi_chassis_status_encode(const struct ipmi_chassis_status *,
	    struct buf *);
int	ipmi_chassis_status_decode(struct buf *, struct ipmi_chassis_status *);

/* 28.3 Chassis Control */
enum ipmi_chassis_ctl {
	IPMI_CHASSIS_OFF = 0x00,
	IPMI_CHASSIS_ON = 0x01,
	IPMI_CHASSIS_CYCLE = 0x02,
	IPMI_CHASSIS_RESET = 0x03,
	IPMI_CHASSIS_DIAG = 0x04,	/* pulse diagnostic interrupt (NMI) */
	IPMI_CHASSIS_SOFT = 0x05,	/* ACPI soft shutdown */
};
const char	*ipmi_chassis_ctl_name(uint8_t);
int	ipmi_chassis_ctl_encode(uint8_t ctl, struct buf *);
int	ipmi_chassis_ctl_decode(struct buf *, uint8_t *ctl);

/* 28.5 Chassis Identify: seconds (0 = off), force = on until told off */
struct ipmi_identify_req {
	uint8_t	seconds;
	int	force;
	int	has_seconds;
	int	has_force;
};
int	ipmi_identify_encode(const struct ipmi_identify_req *, struct buf *);
int	ipmi_identify_decode(struct buf *, struct ipmi_identify_req *);

/* 22.15 Get Channel Cipher Suites */
struct ipmi_cipher_suites_req {
	uint8_t	channel;
	uint8_t	payload_type;
	uint8_t	index;		/* 0..63, list by algorithm bit set by us */
};
int	ipmi_cipher_suites_req_encode(const struct ipmi_cipher_suites_req *,
	    struct buf *);
int	ipmi_cipher_suites_req_decode(struct buf *,
	    struct ipmi_cipher_suites_req *);
/* Response: the channel number, then up to 16 bytes of record data. */
struct ipmi_cipher_suites_rsp {
	uint8_t	channel;
	uint8_t	data[16];
	uint8_t	len;
};
int	ipmi_cipher_suites_rsp_encode(const struct ipmi_cipher_suites_rsp *,
	    struct buf *);
int	ipmi_cipher_suites_rsp_decode(struct buf *,
	    struct ipmi_cipher_suites_rsp *);
/*
 * Parse concatenated record data (all pages) into suite IDs with their
 * algorithms.  Returns the number of suites found (at most max), or
 * IPMI_E_MALFORMED for records that do not parse.
 */
struct ipmi_cipher_suite;
int	ipmi_cipher_suites_parse(const uint8_t *, size_t,
	    struct ipmi_cipher_suite *, int max);
/*
 * The same for firmware whose later records carry wrong tag bits (Sun
 * ILOM, the sun20 workaround): records are read by their fixed layout
 * (22.15: C0h, ID, then one algorithm byte each tagged 00b, 01b, 10b; C1h
 * adds a 3-byte IANA) and parsing stops, without error, at the first one
 * that does not fit.  Returns the number of suites before it.
 */
int	ipmi_cipher_suites_parse_prefix(const uint8_t *, size_t,
	    struct ipmi_cipher_suite *, int max);

#endif
