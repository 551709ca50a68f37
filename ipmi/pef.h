/*
 * pef: Platform Event Filtering and LAN alerting, the wire codecs
 * (IPMI v2.0 rev 1.1, chapter 17 for the tables, 30 for the commands, 23.1
 * and 23.2 for the LAN configuration parameters, 22.24 Get Channel Info).
 * Both directions of every command: the manager (collector/task_alert)
 * encodes requests and decodes responses, bmcsim does the opposite.
 *
 * Two layers:
 *   - the commands: Get PEF Capabilities; Get/Set PEF Configuration
 *     Parameters; Get/Set LAN Configuration Parameters; Get Channel Info.
 *     The parameter data travels as bytes (data, len), like boot.h's.
 *   - the parameters, typed: PEF control (1), action global control (2),
 *     number of event filters (5), event filter entry (6), number of alert
 *     policy entries (8), alert policy entry (9), system GUID (10); LAN
 *     community (16), number of destinations (17), destination type (18),
 *     destination address (19) and bmcsim's OEM destination port (0xC0).
 *     For the set-selected ones (6, 9, 18, 19, 0xC0) the set selector is
 *     the first data byte and is part of the struct.
 *
 * Pure: no I/O, no allocation, no printing.  Decoders return 0,
 * IPMI_E_SHORT (fewer bytes than the format) or IPMI_E_MALFORMED;
 * encoders 0 or IPMI_E_NOSPACE.  Bytes beyond a fixed format are ignored
 * (a BMC may append); a length byte is never trusted past what arrived.
 */
#ifndef BMCFLEET_IPMI_PEF_H
#define BMCFLEET_IPMI_PEF_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "walk.h"

enum {
	/* sensor/event netfn (30.1) */
	IPMI_CMD_GET_PEF_CAPS = 0x10,
	IPMI_CMD_SET_PEF_CONFIG = 0x12,
	IPMI_CMD_GET_PEF_CONFIG = 0x13,
	/* transport netfn (23.1, 23.2) */
	IPMI_CMD_SET_LAN_CONFIG = 0x01,
	IPMI_CMD_GET_LAN_CONFIG = 0x02,
	/* app netfn (22.24) */
	IPMI_CMD_GET_CHANNEL_INFO = 0x42,
};

/* Completion codes of the configuration parameter commands (30.3, 23.1) */
enum {
	IPMI_CC_PARAM_UNSUPPORTED = 0x80,	/* parameter not supported */
	IPMI_CC_SET_IN_PROGRESS = 0x81,		/* someone else's set */
	IPMI_CC_READ_ONLY = 0x82,		/* write to a read-only param */
};

/* PEF configuration parameter selectors (table 30-6) */
enum {
	PEF_PARAM_SET_IN_PROGRESS = 0,
	PEF_PARAM_CONTROL = 1,
	PEF_PARAM_ACTION_CONTROL = 2,
	PEF_PARAM_STARTUP_DELAY = 3,
	PEF_PARAM_ALERT_STARTUP_DELAY = 4,
	PEF_PARAM_NUM_FILTERS = 5,
	PEF_PARAM_FILTER = 6,
	PEF_PARAM_FILTER_DATA1 = 7,
	PEF_PARAM_NUM_POLICIES = 8,
	PEF_PARAM_POLICY = 9,
	PEF_PARAM_GUID = 10,
};

/* LAN configuration parameter selectors (table 23-4), and bmcsim's OEM
 * one: the UDP port of a destination (real BMCs send to 162 and answer
 * 0x80 here) */
enum {
	LAN_PARAM_SET_IN_PROGRESS = 0,
	LAN_PARAM_COMMUNITY = 16,
	LAN_PARAM_NUM_DEST = 17,
	LAN_PARAM_DEST_TYPE = 18,
	LAN_PARAM_DEST_ADDR = 19,
	LAN_PARAM_OEM_DEST_PORT = 0xc0,
};

/* Parameter 0 of both (PEF and LAN), data byte 1 bits 1:0 */
enum {
	PARAM_SET_COMPLETE = 0,
	PARAM_SET_IN_PROGRESS = 1,
	PARAM_COMMIT_WRITE = 2,
};

/* PEF parameter 1, PEF control (table 30-6) */
enum {
	PEF_CTL_ENABLE = 1 << 0,
	PEF_CTL_EVENT_MSGS = 1 << 1,	/* event messages for PEF actions */
	PEF_CTL_STARTUP_DELAY = 1 << 2,
	PEF_CTL_ALERT_STARTUP_DELAY = 1 << 3,
};

/*
 * Actions: the bits of Get PEF Capabilities' action support, of parameter
 * 2 (action global control) and of an event filter's action byte (17-2,
 * byte 2) are the same; group control is only in a filter.
 */
enum {
	PEF_ACT_ALERT = 1 << 0,
	PEF_ACT_POWER_OFF = 1 << 1,
	PEF_ACT_RESET = 1 << 2,
	PEF_ACT_POWER_CYCLE = 1 << 3,
	PEF_ACT_OEM = 1 << 4,
	PEF_ACT_DIAG_INTR = 1 << 5,
	PEF_ACT_GROUP_CONTROL = 1 << 6,
};

/* Event severity of a filter (table 17-2, byte 4): one bit each */
enum {
	PEF_SEV_UNSPECIFIED = 0x00,
	PEF_SEV_MONITOR = 0x01,
	PEF_SEV_INFO = 0x02,
	PEF_SEV_OK = 0x04,
	PEF_SEV_WARNING = 0x08,		/* non-critical condition */
	PEF_SEV_CRITICAL = 0x10,
	PEF_SEV_NONRECOVERABLE = 0x20,
};
/* "info", "warning", "critical", ...; "0xNN" is not returned: "unknown". */
const char	*pef_severity_name(uint8_t);
/* "info"/"information", "warning", "critical", "non-recoverable",
 * "monitor", "ok" -> the bit, or -1. */
int		 pef_severity_parse(const char *);

/* --- Get PEF Capabilities (30.2) ------------------------------------- */

struct pef_caps_rsp {
	uint8_t	version;	/* BCD, 0x51 for PEF 1.5 */
	uint8_t	actions;	/* PEF_ACT_* supported */
	uint8_t	nfilters;	/* event filter table entries */
};
int	pef_caps_rsp_encode(const struct pef_caps_rsp *, struct buf *);
int	pef_caps_rsp_decode(struct buf *, struct pef_caps_rsp *);

/* --- Get/Set PEF Configuration Parameters (30.3, 30.4) ---------------- */

#define PEF_PARAM_MAX	24	/* the largest data: a filter, 1 + 20 */

struct pef_set_req {
	uint8_t	param;		/* 7 bits */
	uint8_t	data[PEF_PARAM_MAX];
	size_t	len;
};
int	pef_set_req_encode(const struct pef_set_req *, struct buf *);
/* More data than PEF_PARAM_MAX: IPMI_E_MALFORMED. */
int	pef_set_req_decode(struct buf *, struct pef_set_req *);

struct pef_get_req {
	int	rev_only;	/* bit 7: the parameter revision only */
	uint8_t	param;
	uint8_t	set;
	uint8_t	block;
};
int	pef_get_req_encode(const struct pef_get_req *, struct buf *);
int	pef_get_req_decode(struct buf *, struct pef_get_req *);

/* The response: the revision (11h), then the data as for Set. */
struct pef_get_rsp {
	uint8_t	revision;
	uint8_t	data[PEF_PARAM_MAX];
	size_t	len;		/* what arrived, up to sizeof(data) */
};
int	pef_get_rsp_encode(const struct pef_get_rsp *, struct buf *);
int	pef_get_rsp_decode(struct buf *, struct pef_get_rsp *);

#define PEF_PARAM_REVISION	0x11

/* Parameter 6, one event filter table entry (table 17-2, 20 bytes) */
#define PEF_FILTER_LEN	20
enum {
	PEF_FILTER_SOFTWARE = 0,	/* type 00b: software configurable */
	PEF_FILTER_MANUFACTURER = 2,	/* type 10b: pre-configured */
};
#define PEF_MATCH_ANY	0xff		/* generator, sensor type/number,
					 * event trigger */
struct pef_filter {
	uint8_t		set;		/* filter number, 1-based (7 bits) */
	int		enabled;	/* byte 1 bit 7 */
	uint8_t		type;		/* byte 1 bits 6:5 */
	uint8_t		action;		/* PEF_ACT_* */
	uint8_t		policy;		/* byte 3 bits 3:0 */
	uint8_t		group;		/* byte 3 bits 6:4, group control */
	uint8_t		severity;	/* PEF_SEV_* */
	uint8_t		gen1;		/* generator ID byte 1 */
	uint8_t		gen2;
	uint8_t		sensor_type;
	uint8_t		sensor_num;
	uint8_t		trigger;	/* event/reading type */
	uint16_t	offset_mask;	/* event data 1 offset mask */
	/* event data 1, 2 and 3: AND mask, compare 1, compare 2 */
	uint8_t		ed[3][3];
};
#define PEF_FILTER_DATA_LEN	(1 + PEF_FILTER_LEN)
/* Set selector and entry, PEF_FILTER_DATA_LEN bytes into out. */
int	pef_filter_encode(const struct pef_filter *, uint8_t *out,
	    size_t cap);
int	pef_filter_decode(const uint8_t *, size_t, struct pef_filter *);
/* A filter that matches every event of the severity: any generator,
 * sensor, trigger and offset, all event data. */
void	pef_filter_any(struct pef_filter *, uint8_t set, uint8_t severity,
	    uint8_t action, uint8_t policy);
/* Unused: disabled and all zero after byte 1 (a factory-fresh entry). */
int	pef_filter_is_free(const struct pef_filter *);

/* Parameter 9, one alert policy table entry (chapter 17, 3 bytes) */
#define PEF_POLICY_LEN	3
enum {
	PEF_POLICY_ALWAYS = 0,		/* always alert to this destination */
	PEF_POLICY_NEXT = 1,		/* on success go to the next entry */
	PEF_POLICY_STOP = 2,		/* on success stop */
	PEF_POLICY_NEXT_CHANNEL = 3,
	PEF_POLICY_NEXT_TYPE = 4,
};
struct pef_policy {
	uint8_t	set;		/* entry number, 1-based (7 bits) */
	uint8_t	number;		/* byte 1 bits 7:4, the policy number */
	int	enabled;	/* bit 3 */
	uint8_t	policy;		/* bits 2:0, PEF_POLICY_* */
	uint8_t	channel;	/* byte 2 bits 7:4 */
	uint8_t	dest;		/* bits 3:0, destination selector */
	int	event_string;	/* byte 3 bit 7: string key from the filter */
	uint8_t	string_set;	/* bits 6:0, alert string set */
};
#define PEF_POLICY_DATA_LEN	(1 + PEF_POLICY_LEN)
int	pef_policy_encode(const struct pef_policy *, uint8_t *out,
	    size_t cap);
int	pef_policy_decode(const uint8_t *, size_t, struct pef_policy *);
int	pef_policy_is_free(const struct pef_policy *);

/* Parameter 10, system GUID: whether alerts use this GUID, and it */
struct pef_guid {
	int	use;		/* byte 1 bit 0 */
	uint8_t	guid[16];
};
#define PEF_GUID_DATA_LEN	17
int	pef_guid_encode(const struct pef_guid *, uint8_t *out, size_t cap);
int	pef_guid_decode(const uint8_t *, size_t, struct pef_guid *);

/* Parameters 1, 2, 5 and 8 are one byte; 5 and 8 use bits 6:0. */
#define PEF_COUNT_MASK	0x7f

/* --- Get/Set LAN Configuration Parameters (23.1, 23.2) ---------------- */

#define LAN_PARAM_MAX	24	/* the largest data here: a community, 18 */

struct lan_set_req {
	uint8_t	channel;	/* 4 bits */
	uint8_t	param;
	uint8_t	data[LAN_PARAM_MAX];
	size_t	len;
};
int	lan_set_req_encode(const struct lan_set_req *, struct buf *);
/* More data than LAN_PARAM_MAX: IPMI_E_MALFORMED. */
int	lan_set_req_decode(struct buf *, struct lan_set_req *);

struct lan_get_req {
	int	rev_only;	/* byte 1 bit 7 */
	uint8_t	channel;	/* byte 1 bits 3:0 */
	uint8_t	param;
	uint8_t	set;
	uint8_t	block;
};
int	lan_get_req_encode(const struct lan_get_req *, struct buf *);
int	lan_get_req_decode(struct buf *, struct lan_get_req *);

struct lan_get_rsp {
	uint8_t	revision;	/* 11h */
	uint8_t	data[LAN_PARAM_MAX];
	size_t	len;		/* what arrived, up to sizeof(data) */
};
int	lan_get_rsp_encode(const struct lan_get_rsp *, struct buf *);
int	lan_get_rsp_decode(struct buf *, struct lan_get_rsp *);

/* Parameter 16, community string: 18 bytes, NUL-padded */
#define LAN_COMMUNITY_LEN	18
/* s (at most 18 characters, else IPMI_E_INVAL) into 18 bytes. */
int	lan_community_encode(const char *s, uint8_t out[LAN_COMMUNITY_LEN]);
/* The printable prefix up to the first NUL; out has 19 bytes.  Short
 * data: IPMI_E_SHORT. */
int	lan_community_decode(const uint8_t *, size_t,
	    char out[LAN_COMMUNITY_LEN + 1]);

/* Parameter 17: bits 3:0, the destinations besides the volatile 0 */
#define LAN_NUM_DEST_MASK	0x0f

/* Parameter 18, destination type (table 23-4) */
enum {
	LAN_DEST_PET = 0,		/* PET trap destination */
	LAN_DEST_OEM1 = 6,
	LAN_DEST_OEM2 = 7,
};
struct lan_dest_type {
	uint8_t	set;		/* destination selector, bits 3:0 */
	int	ack;		/* byte 2 bit 7: acknowledged alert */
	uint8_t	type;		/* bits 2:0, LAN_DEST_* */
	uint8_t	timeout;	/* seconds, ack timeout / retry interval */
	uint8_t	retries;	/* bits 2:0 */
};
#define LAN_DEST_TYPE_DATA_LEN	4
int	lan_dest_type_encode(const struct lan_dest_type *, uint8_t *out,
	    size_t cap);
int	lan_dest_type_decode(const uint8_t *, size_t, struct lan_dest_type *);

/* Parameter 19, destination addresses: IPv4 and MAC, both MS byte first */
enum {
	LAN_ADDR_IPV4 = 0,		/* byte 2 bits 7:4 */
};
struct lan_dest_addr {
	uint8_t	set;		/* bits 3:0 */
	uint8_t	format;		/* LAN_ADDR_IPV4 */
	int	backup_gw;	/* byte 3 bit 0: use the backup gateway */
	uint8_t	ip[4];
	uint8_t	mac[6];
};
#define LAN_DEST_ADDR_DATA_LEN	13
int	lan_dest_addr_encode(const struct lan_dest_addr *, uint8_t *out,
	    size_t cap);
/* A format other than IPv4: IPMI_E_MALFORMED (IPv6 is parameter 58). */
int	lan_dest_addr_decode(const uint8_t *, size_t, struct lan_dest_addr *);

/* Parameter 0xC0 (bmcsim OEM): set selector, UDP port LS byte first */
struct lan_dest_port {
	uint8_t		set;
	uint16_t	port;
};
#define LAN_DEST_PORT_DATA_LEN	3
int	lan_dest_port_encode(const struct lan_dest_port *, uint8_t *out,
	    size_t cap);
int	lan_dest_port_decode(const uint8_t *, size_t, struct lan_dest_port *);

/* --- Get Channel Info (22.24) ----------------------------------------- */

enum {
	CHAN_MEDIUM_IPMB = 0x01,
	CHAN_MEDIUM_LAN = 0x04,		/* 802.3 LAN */
	CHAN_MEDIUM_SYSTEM = 0x0c,	/* system interface (KCS, ...) */
};
#define IPMI_MAX_CHANNEL	11	/* 1..11 are the numbered channels */

struct chan_info_req {
	uint8_t	channel;	/* bits 3:0, 0Eh: this one */
};
int	chan_info_req_encode(const struct chan_info_req *, struct buf *);
int	chan_info_req_decode(struct buf *, struct chan_info_req *);

struct chan_info_rsp {
	uint8_t		channel;	/* bits 3:0 */
	uint8_t		medium;		/* bits 6:0, CHAN_MEDIUM_* */
	uint8_t		protocol;	/* bits 4:0 */
	uint8_t		sessions;	/* bits 7:6, session support */
	uint8_t		active;		/* bits 5:0, active sessions */
	uint32_t	iana;		/* 3 bytes, LS first */
	uint8_t		aux[2];
};
int	chan_info_rsp_encode(const struct chan_info_rsp *, struct buf *);
int	chan_info_rsp_decode(struct buf *, struct chan_info_rsp *);

/* --- requests ready to send (netfn, cmd, data) ------------------------ */

void	pef_req_caps(struct ipmi_req *);
void	pef_req_get(struct ipmi_req *, uint8_t param, uint8_t set);
/* data, len: the parameter data (with its set selector). len larger
 * than PEF_PARAM_MAX is cut: the callers pass the *_DATA_LEN sizes. */
void	pef_req_set(struct ipmi_req *, uint8_t param, const uint8_t *data,
	    size_t len);
void	lan_req_get(struct ipmi_req *, uint8_t channel, uint8_t param,
	    uint8_t set);
void	lan_req_set(struct ipmi_req *, uint8_t channel, uint8_t param,
	    const uint8_t *data, size_t len);
void	chan_req_info(struct ipmi_req *, uint8_t channel);

#endif
