/*
 * dcmi: the DCMI 1.5 commands bmcfleet uses.  DCMI commands travel in the
 * group extension network function (2Ch) with the DCMI group ID DCh as the
 * first byte of every request and response (DCMI 1.5, 6.1).
 *
 * Pure codecs, no I/O, no allocation.  Decoders take the data after the
 * completion code and return 0, IPMI_E_SHORT or IPMI_E_MALFORMED (a group
 * ID other than DCh, a parameter the decoder does not know); encoders 0 or
 * IPMI_E_NOSPACE.
 */
#ifndef BMCFLEET_IPMI_DCMI_H
#define BMCFLEET_IPMI_DCMI_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "walk.h"

#define DCMI_GROUP_ID	0xdc

enum {
	DCMI_CMD_GET_CAPABILITIES = 0x01,	/* netfn 2Ch */
	DCMI_CMD_GET_POWER_READING = 0x02,
};

/* DCMI 1.5, 6.1.1 Get DCMI Capabilities Info: parameter selectors */
enum {
	DCMI_CAP_SUPPORTED = 1,		/* supported DCMI capabilities */
	DCMI_CAP_MANDATORY = 2,		/* mandatory platform attributes */
	DCMI_CAP_OPTIONAL = 3,		/* optional platform attributes */
	DCMI_CAP_ACCESS = 4,		/* manageability access attributes */
	DCMI_CAP_POWER_STATS = 5,	/* enhanced power statistics attrs */
};

/* Request: DCh, parameter selector */
int	dcmi_caps_req_encode(uint8_t param, struct buf *);
int	dcmi_caps_req_decode(struct buf *, uint8_t *param);

/* Parameter 1 (table 6-3): bits of bytes 2, 3, 4 of the parameter data */
enum {
	/* mandatory platform capabilities */
	DCMI_PLAT_IDENTIFICATION = 1 << 0,
	DCMI_PLAT_SEL_LOGGING = 1 << 1,
	DCMI_PLAT_CHASSIS_POWER = 1 << 2,
	DCMI_PLAT_TEMPERATURE = 1 << 3,
	/* optional platform capabilities */
	DCMI_OPT_POWER_MGMT = 1 << 0,
	/* manageability access capabilities */
	DCMI_ACC_KCS = 1 << 0,
	DCMI_ACC_SERIAL_TMODE = 1 << 1,
	DCMI_ACC_SECONDARY_LAN = 1 << 2,
	DCMI_ACC_PRIMARY_LAN = 1 << 3,
	DCMI_ACC_SOL = 1 << 4,
	DCMI_ACC_VLAN = 1 << 5,
};
struct dcmi_supported {
	uint8_t	platform;	/* DCMI_PLAT_* */
	uint8_t	optional;	/* DCMI_OPT_* */
	uint8_t	access;		/* DCMI_ACC_* */
};

/* Parameter 2 (table 6-4) */
struct dcmi_mandatory {
	uint16_t	sel_entries;	/* maximum number of SEL entries */
	int		sel_rollover;	/* automatic rollover enabled */
	int		sel_flush_all;	/* entire SEL flushed upon rollover */
	int		sel_flush_record; /* record-level flush upon rollover */
	uint8_t		ident;		/* bit 0 asset tag, 1 DHCP name, 2 GUID
					   (DCMI 1.0; reserved since 1.1) */
	uint8_t		temp_sample_s;	/* temperature sampling period, s */
};

/* Parameter 3 (table 6-5) */
struct dcmi_optional {
	uint8_t	pm_addr;	/* power management controller slave addr */
	uint8_t	pm_channel;	/* its channel number */
	uint8_t	pm_rev;		/* its device revision */
};

/* Parameter 4 (table 6-6): channel numbers, FFh when not supported */
struct dcmi_access {
	uint8_t	primary_lan;
	uint8_t	secondary_lan;
	uint8_t	serial;
};

/* Parameter 5 (table 6-7): rolling average periods */
enum { DCMI_UNIT_S = 0, DCMI_UNIT_MIN = 1, DCMI_UNIT_H = 2, DCMI_UNIT_DAY = 3 };
#define DCMI_PERIODS_MAX	16
struct dcmi_power_stats {
	uint8_t	n;			/* periods kept */
	struct {
		uint8_t	unit;		/* DCMI_UNIT_* */
		uint8_t	duration;	/* 6 bits */
		uint8_t	raw;		/* the byte, as Get Power Reading
					   mode 02h takes it */
	} period[DCMI_PERIODS_MAX];
};

/*
 * Response: DCh, conformance major/minor (1.5: 01h 05h), parameter
 * revision, parameter data.  The decoder needs the selector the request
 * carried (the response does not repeat it); param 1-5 are decoded into
 * the member of that name, and the raw parameter data is always kept.  An
 * unknown selector decodes the raw data only.  Trailing bytes a BMC adds
 * are ignored; a parameter shorter than its layout is IPMI_E_SHORT.
 */
struct dcmi_caps_rsp {
	uint8_t		param;		/* the selector, from the caller */
	uint8_t		major;
	uint8_t		minor;
	uint8_t		param_rev;
	uint8_t		raw[32];
	size_t		rawlen;
	struct dcmi_supported	supported;	/* param 1 */
	struct dcmi_mandatory	mandatory;	/* param 2 */
	struct dcmi_optional	optional;	/* param 3 */
	struct dcmi_access	access;		/* param 4 */
	struct dcmi_power_stats	stats;		/* param 5 */
};
int	dcmi_caps_rsp_encode(const struct dcmi_caps_rsp *, struct buf *);
int	dcmi_caps_rsp_decode(struct buf *, uint8_t param,
	    struct dcmi_caps_rsp *);

/* DCMI 1.5, 6.6.1 Get Power Reading */
enum {
	DCMI_POWER_SYSTEM = 0x01,	/* system power statistics */
	DCMI_POWER_ENHANCED = 0x02,	/* over a rolling average period */
};
struct dcmi_power_req {
	uint8_t	mode;		/* DCMI_POWER_* */
	uint8_t	attr;		/* mode 02h: the period byte; else 0 */
};
int	dcmi_power_req_encode(const struct dcmi_power_req *, struct buf *);
int	dcmi_power_req_decode(struct buf *, struct dcmi_power_req *);

struct dcmi_power_rsp {
	uint16_t	current_w;
	uint16_t	min_w;		/* over the sampling period */
	uint16_t	max_w;
	uint16_t	avg_w;
	uint32_t	timestamp;	/* IPMI time: seconds since 1970 */
	uint32_t	period_ms;	/* statistics reporting time period */
	uint8_t		state;		/* the raw state byte */
	int		active;		/* state bit 6: measurement active */
};
int	dcmi_power_rsp_encode(const struct dcmi_power_rsp *, struct buf *);
int	dcmi_power_rsp_decode(struct buf *, struct dcmi_power_rsp *);

/* Requests ready to send (netfn 2Ch), for callers that drive a session. */
void	dcmi_caps_req(struct ipmi_req *, uint8_t param);
void	dcmi_power_req(struct ipmi_req *, uint8_t mode, uint8_t attr);

/* "Identification support available" ... for bit n of a param 1 byte
 * (which: 0 platform, 1 optional, 2 access); NULL for a reserved bit. */
const char	*dcmi_cap_name(int which, int bit);

#endif
