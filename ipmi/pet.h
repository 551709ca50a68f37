/*
 * pet: IPMI Platform Event Traps.  The SNMPv1 Trap-PDU that carries them
 * (RFC 1157, 4.1.6; BER as X.690), the PET variable binding (IPMI Platform
 * Event Trap Format 1.0, 3.x: a 47-byte OCTET STRING and OEM fields), the
 * specific-trap number, a PET as a 16-byte SEL system event record so the
 * ipmi/sel describers can name it, and the PET Acknowledge command (IPMI
 * v2.0 rev 1.1, 30.8; netfn S/E, cmd 17h).
 *
 * Pure: no sockets, clock, files or allocation.  Decoders copy everything
 * they report into the caller's struct (nothing points into the datagram),
 * so the datagram may be reused once they return.
 *
 * Decoding a datagram, as bmcfleetd's listener does:
 *
 *   struct pet_trap t;
 *   struct pet p;
 *   struct buf b;
 *
 *   buf_init_read(&b, dgram, len);
 *   if ((rc = pet_trap_decode(&b, &t)) < 0 ||
 *       (rc = pet_trap_check(&t)) < 0 ||
 *       (rc = pet_decode(t.varbind, t.varbind_len, t.specific, &p)) < 0)
 *           ... count and drop: pet_strerror(rc) says why ...
 *
 * pet_datagram_decode() does the three in one call.
 */
#ifndef BMCFLEET_IPMI_PET_H
#define BMCFLEET_IPMI_PET_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "sel.h"

/* Why a datagram is not a PET we take.  Every decoder returns one. */
enum pet_err {
	PET_OK = 0,
	PET_E_SHORT = -1,	/* ends inside a field or a length */
	PET_E_BER = -2,		/* not BER we read: high tag numbers, a
				 * length of more than 4 octets */
	PET_E_INDEFINITE = -3,	/* indefinite length (80h): refused */
	PET_E_TRAILING = -4,	/* bytes after the message or inside a
				 * SEQUENCE after its last element */
	PET_E_TAG = -5,		/* an element of the wrong type */
	PET_E_INTEGER = -6,	/* an INTEGER empty, or out of its range */
	PET_E_VERSION = -7,	/* not SNMPv1 (version 0) */
	PET_E_NOT_TRAP = -8,	/* the PDU is not a v1 Trap-PDU ([4]) */
	PET_E_COMMUNITY = -9,	/* community longer than PET_COMMUNITY_MAX */
	PET_E_OID = -10,	/* an OID malformed, an arc over 32 bits,
				 * or more than PET_OID_MAX arcs */
	PET_E_ADDR = -11,	/* agent-addr not a 4-byte IpAddress */
	PET_E_VARBINDS = -12,	/* more than PET_VARBINDS_MAX bindings */
	PET_E_ENTERPRISE = -13,	/* enterprise is not 1.3.6.1.4.1.3183.1.1 */
	PET_E_GENERIC = -14,	/* generic-trap is not 6 (enterprise
				 * specific) */
	PET_E_NO_PET = -15,	/* no OCTET STRING binding: no PET data */
	PET_E_PET_LEN = -16,	/* PET data shorter than PET_FIXED_LEN or
				 * longer than PET_VARBIND_MAX */
	PET_E_NOSPACE = -17,	/* encoder: the output buffer is full */
	PET_E_INVAL = -18,	/* encoder: a field the format cannot hold */
};
/* "not SNMPv1 (version 2)"-style words for an enum pet_err; never NULL. */
const char	*pet_strerror(int);

#define PET_COMMUNITY_MAX	64	/* bytes; LAN param 16 holds 18 */
#define PET_OID_MAX		32	/* arcs */
#define PET_VARBINDS_MAX	16
#define PET_FIXED_LEN		46	/* GUID .. system ID */
#define PET_OEM_MAX		256	/* OEM custom field bytes kept */
#define PET_VARBIND_MAX		(PET_FIXED_LEN + PET_OEM_MAX)
#define PET_GENERIC_ENTERPRISE	6	/* generic-trap enterpriseSpecific */
#define PET_OEM_END		0xc1	/* OEM custom fields: end of fields */

/* 1.3.6.1.4.1.3183.1.1: IPMI PET (IANA 3183, Intel's wired-for-mgmt) */
extern const uint32_t pet_enterprise_oid[];
extern const size_t pet_enterprise_oid_len;

/*
 * An SNMPv1 Trap-PDU message, as on the wire.  The PET binding is the
 * first whose value is an OCTET STRING (the spec's OID is
 * 1.3.6.1.4.1.3183.1.1.1; bindings of other types are skipped and
 * counted).
 */
struct pet_trap {
	int32_t		version;		/* 0: SNMPv1 */
	char		community[PET_COMMUNITY_MAX + 1]; /* NUL-terminated */
	size_t		community_len;		/* may hold NULs */
	uint32_t	enterprise[PET_OID_MAX];
	size_t		enterprise_len;		/* arcs */
	uint8_t		agent_addr[4];		/* network order */
	int32_t		generic;		/* 6 for a PET */
	int32_t		specific;		/* see pet_decode */
	uint32_t	timeticks;		/* sysUpTime, 1/100 s */
	unsigned	nvarbinds;		/* bindings in the list */
	uint32_t	varbind_oid[PET_OID_MAX]; /* of the PET binding */
	size_t		varbind_oid_len;	/* 0: no OCTET STRING binding */
	uint8_t		varbind[PET_VARBIND_MAX];
	size_t		varbind_len;
};

/*
 * Decode one datagram, the whole of b: SEQUENCE { version, community,
 * [4] { enterprise, agent-addr, generic, specific, time-stamp, SEQUENCE OF
 * SEQUENCE { OID, value } } }.  Every length is checked against what
 * arrived; long-form lengths of 1-4 octets are read, indefinite ones
 * refused; values of any other type are skipped whole, never descended
 * into, so nesting is bounded by the format.  Any enterprise: see
 * pet_trap_check.  Returns 0 or an enum pet_err (t then holds what was
 * read so far).
 */
int	pet_trap_decode(struct buf *, struct pet_trap *);
/* 0 when t is a PET: enterprise 1.3.6.1.4.1.3183.1.1, generic-trap 6 and
 * an OCTET STRING binding; PET_E_ENTERPRISE, _GENERIC or _NO_PET. */
int	pet_trap_check(const struct pet_trap *);
/*
 * Encode t into b: the enterprise, agent address, generic and specific
 * trap, time-stamp, community and one binding (varbind_oid, or the spec's
 * 1.3.6.1.4.1.3183.1.1.1 when varbind_oid_len is 0) holding
 * varbind[0..varbind_len).  Definite lengths, short form where they fit.
 * Returns 0, PET_E_NOSPACE or PET_E_INVAL (a field BER or SNMP cannot
 * carry: OID first arcs, lengths past the maxima).
 */
int	pet_trap_encode(const struct pet_trap *, struct buf *);

/* PET event severity (PET 1.0, the binding's event severity: a bit
 * each). */
enum {
	PET_SEV_UNSPECIFIED = 0x00,
	PET_SEV_MONITOR = 0x01,
	PET_SEV_INFORMATION = 0x02,
	PET_SEV_OK = 0x04,
	PET_SEV_NON_CRITICAL = 0x08,
	PET_SEV_CRITICAL = 0x10,
	PET_SEV_NON_RECOVERABLE = 0x20,
};

/* Event source and trap source types (PET 1.0: the class of sender). */
enum {
	PET_SRC_FIRMWARE = 0x00,	/* 00h-07h platform firmware (BIOS) */
	PET_SRC_SMI = 0x08,		/* 08h-0Fh SMI handler */
	PET_SRC_ISV = 0x10,		/* 10h-17h ISV system management sw */
	PET_SRC_ALERT_ASIC = 0x18,	/* 18h-1Fh alert ASIC */
	PET_SRC_IPMI = 0x20,		/* 20h-27h IPMI */
	PET_SRC_BIOS_VENDOR = 0x28,	/* 28h-2Fh BIOS vendor */
	PET_SRC_BOARD_VENDOR = 0x30,	/* 30h-37h system board set vendor */
	PET_SRC_SYSTEM_VENDOR = 0x38,	/* 38h-3Fh system integrator */
	PET_SRC_ADDIN = 0x40,		/* 40h-47h third-party add-in card */
	PET_SRC_OSVENDOR = 0x48,	/* 48h-4Fh OSV */
	PET_SRC_NIC = 0x50,		/* 50h-57h NIC */
	PET_SRC_SYSTEM_MGMT = 0x58,	/* 58h-5Fh system management card */
};

#define PET_TS_UNSPECIFIED	0u	/* local timestamp: no time known */
#define PET_UTC_UNSPECIFIED	0xffffu	/* UTC offset: unknown */
/* PET time stamps count seconds from 1998-01-01 00:00:00; this many
 * seconds after the Unix epoch. */
#define PET_EPOCH_UNIX		883612800u

/*
 * A PET: the binding's fields (all multi-byte fields are most
 * significant byte first on the wire) and the specific-trap number's.
 *
 * The specific trap (PET 1.0): [23:16] sensor type, [15:8] event/reading
 * type, [7] 1 for a deassertion, [3:0] the event offset; [31:24] and
 * [6:4] reserved.  A specific trap of -1 (PET_SPECIFIC_NA) means "not
 * known" (ipmi-pet's NA): those fields are then 0 and has_specific is 0.
 */
#define PET_SPECIFIC_NA		(-1)
struct pet {
	uint8_t		guid[16];		/* as on the wire: see
						 * pet_guid_match */
	uint16_t	sequence;		/* sequence number / cookie */
	uint32_t	timestamp;		/* local, since 1998; 0 unknown */
	uint16_t	utc_offset;		/* minutes to add for UTC, signed;
						 * FFFFh unknown */
	uint8_t		trap_source;		/* PET_SRC_* */
	uint8_t		event_source;		/* PET_SRC_* */
	uint8_t		severity;		/* PET_SEV_* */
	uint8_t		sensor_device;		/* I2C slave address (20h BMC) */
	uint8_t		sensor_number;		/* FFh unspecified */
	uint8_t		entity;			/* entity ID, table 43-13 */
	uint8_t		entity_instance;
	uint8_t		event_data[8];		/* event data 1-8 */
	uint8_t		language;		/* 19h English */
	uint32_t	manufacturer;		/* IANA enterprise number */
	uint16_t	system_id;		/* product ID */
	uint8_t		oem[PET_OEM_MAX];	/* after system ID, as is */
	size_t		oem_len;		/* C1h "end of fields" included */
	/* from the specific trap */
	int		has_specific;
	uint32_t	specific;
	uint8_t		sensor_type;
	uint8_t		event_type;
	uint8_t		direction;		/* 0 assertion, 1 deassertion */
	uint8_t		offset;			/* 0-15 */
};

/*
 * Decode PET data (len bytes, the binding's OCTET STRING) and the
 * specific trap.  Returns 0 or PET_E_PET_LEN (shorter than PET_FIXED_LEN,
 * or OEM fields past PET_OEM_MAX).
 */
int	pet_decode(const uint8_t *, size_t, int32_t specific, struct pet *);
/* Encode p's binding data into b: the 46 fixed bytes and p->oem.
 * Returns 0, PET_E_NOSPACE or PET_E_INVAL (oem_len too long). */
int	pet_encode(const struct pet *, struct buf *);
/* The specific-trap number of p's sensor type, event type, direction and
 * offset. */
int32_t	pet_specific(const struct pet *);

/*
 * The GUID.  Get Device GUID (IPMI v2.0 20.8) answers least significant
 * byte first; a PET carries it most significant first (ipmi-pet prints
 * the 16 bytes in wire order: 44454c4c-5000-...).  BMCs differ: some send
 * the Get Device GUID bytes as they are, some the SMBIOS order (the first
 * three fields little-endian).
 *
 * pet_guid_from_device: the PET bytes for a Get Device GUID answer (the
 *   reverse), as bmcsim sends them.
 * pet_guid_match: 1 when a PET's GUID is the device's in any of the three
 *   orders, else 0.
 * pet_guid_format: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" of the PET
 *   bytes in wire order, as ipmi-pet prints it; out is 37 bytes.
 */
void	pet_guid_from_device(const uint8_t device[16], uint8_t pet[16]);
int	pet_guid_match(const uint8_t pet[16], const uint8_t device[16]);
void	pet_guid_format(const uint8_t pet[16], char out[37]);

/* pet_trap_decode, pet_trap_check and pet_decode in one: 0 or why not. */
int	pet_datagram_decode(const uint8_t *, size_t, struct pet_trap *,
	    struct pet *);

/*
 * A PET as the SEL system event record (type 02h, IPMI v2.0 32.1) it
 * reports: record ID 0, the time stamp moved to the Unix epoch and, when
 * the UTC offset is known, the offset's minutes added (ipmi-pet's reading
 * of "offset to UTC"; kept 0 when the time is unknown, held within
 * 1..FFFFFFFEh otherwise), generator ID the sensor device (byte 8) on LUN 0,
 * channel 0, EvM revision 04h, the sensor type, sensor number, direction
 * and event type of the specific trap, and event data 1-3, with data 1's
 * offset [3:0] taken from the specific trap as ipmi-pet does.  out is
 * SEL_ENTRY_LEN bytes; sel_decode reads it.
 */
void	pet_to_sel(const struct pet *, uint8_t out[SEL_ENTRY_LEN]);

/*
 * Our severity (enum sel_severity) of a PET: the PET severity byte when it
 * says one (monitor, information, OK: info; non-critical: warning;
 * critical, non-recoverable: critical), else the SEL rules (sel_severity)
 * of pet_to_sel's record.
 */
int	pet_severity(const struct pet *);
/* The severity byte in ipmi-pet's words: "Critical condition",
 * "Non-critical condition", "Ok", "Information", "Monitor",
 * "Non-recoverable condition"; 00h "Unspecified" (ipmi-pet: N/A), and a
 * byte that is none of these (two bits set) "Unknown" (ipmi-pet:
 * Unspecified). */
const char	*pet_severity_name(uint8_t);
/* "IPMI", "Platform Firmware", ... for a PET_SRC_* byte; "OEM" or
 * "Unknown" outside the table. */
const char	*pet_source_name(uint8_t);

/*
 * PET Acknowledge (IPMI v2.0 rev 1.1, 30.8; netfn S/E 04h, cmd 17h): the
 * receiver echoes the trap's sequence number, local time stamp, event
 * source type, sensor device, sensor number and event data 1-3.
 * Little-endian on the IPMI wire, unlike in the PET.  The response is the
 * completion code alone.
 */
#define IPMI_CMD_PET_ACK	0x17		/* sensor/event netfn */
#define PET_ACK_REQ_LEN		12
struct ipmi_pet_ack_req {
	uint16_t	sequence;
	uint32_t	timestamp;
	uint8_t		event_source;
	uint8_t		sensor_device;
	uint8_t		sensor_number;
	uint8_t		event_data[3];
};
int	ipmi_pet_ack_req_encode(const struct ipmi_pet_ack_req *, struct buf *);
/* IPMI_E_SHORT when fewer than 12 bytes; bytes past 12 are left in b. */
int	ipmi_pet_ack_req_decode(struct buf *, struct ipmi_pet_ack_req *);
/* The acknowledgement of p. */
void	pet_ack_from(const struct pet *, struct ipmi_pet_ack_req *);

#endif
