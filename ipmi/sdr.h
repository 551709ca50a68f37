/*
 * sdr: the Sensor Data Record repository.  The three commands that read it
 * (IPMI v2.0 rev 1.1, 33.9 Get SDR Repository Info, 33.11 Reserve SDR
 * Repository, 33.12 Get SDR), a walker that reads every record
 * (ipmi/walk.h), an iterator over the records it read, and decoders of the
 * record types a sensor listing needs (43.1-43.3, 43.8, 43.9).
 *
 * Pure: no I/O, no allocation.  The walker appends whole raw records
 * (5-byte header + body) back to back into a buffer the caller owns; those
 * bytes are what a cache keeps.  sdr_decode copies everything it reports into
 * struct sdr_record (raw bytes included), so the buffer may be freed once it
 * returns.
 */
#ifndef BMCFLEET_IPMI_SDR_H
#define BMCFLEET_IPMI_SDR_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "walk.h"

enum {
	IPMI_CMD_GET_SDR_REPO_INFO = 0x20,	/* storage netfn */
	IPMI_CMD_RESERVE_SDR_REPO = 0x22,
	IPMI_CMD_GET_SDR = 0x23,
};

#define SDR_HDR_LEN	5
#define SDR_RECORD_MAX	(SDR_HDR_LEN + 255)	/* the length byte is 8 bits */
#define SDR_ID_FIRST	0x0000
#define SDR_ID_LAST	0xffff			/* "no next record" */

/*
 * Codecs.  Decoders return 0, IPMI_E_SHORT or IPMI_E_MALFORMED; encoders
 * 0 or IPMI_E_NOSPACE.  Responses are the data after the completion code.
 */

/* 33.9 Get SDR Repository Info: no request data. */
enum {
	SDR_SUP_ALLOC_INFO = 1 << 0,	/* Get SDR Repository Allocation Info */
	SDR_SUP_RESERVE = 1 << 1,	/* Reserve SDR Repository */
	SDR_SUP_PARTIAL_ADD = 1 << 2,
	SDR_SUP_DELETE = 1 << 3,
	SDR_SUP_OVERFLOW = 1 << 7,	/* an add failed for lack of space */
};
#define SDR_SUP_UPDATE(flags)	(((flags) >> 5) & 3) /* 0 unspec., 1 non-modal,
						      * 2 modal, 3 both */
#define SDR_TS_UNSPECIFIED	0xffffffffu
struct ipmi_sdr_info_rsp {
	uint8_t		version;	/* BCD, 51h for IPMI 1.5 and 2.0 */
	uint16_t	count;		/* records in the repository */
	uint16_t	free;		/* free bytes; FFFFh: unspecified */
	uint32_t	add_ts;		/* most recent addition, seconds */
	uint32_t	erase_ts;	/* most recent erase */
	uint8_t		support;	/* SDR_SUP_* and SDR_SUP_UPDATE() */
};
int	ipmi_sdr_info_rsp_encode(const struct ipmi_sdr_info_rsp *, struct buf *);
int	ipmi_sdr_info_rsp_decode(struct buf *, struct ipmi_sdr_info_rsp *);

/* 33.11 Reserve SDR Repository: no request data; the reservation ID. */
int	ipmi_sdr_reserve_rsp_encode(uint16_t resv, struct buf *);
int	ipmi_sdr_reserve_rsp_decode(struct buf *, uint16_t *resv);

/* 33.12 Get SDR: count FFh means "the whole record". */
#define SDR_READ_ALL	0xff
struct ipmi_get_sdr_req {
	uint16_t	resv;		/* 0 allowed when offset is 0 */
	uint16_t	id;
	uint8_t		offset;
	uint8_t		count;
};
int	ipmi_get_sdr_req_encode(const struct ipmi_get_sdr_req *, struct buf *);
int	ipmi_get_sdr_req_decode(struct buf *, struct ipmi_get_sdr_req *);
/*
 * The response: next record ID, then the record bytes that arrived.  data
 * points into the buffer decoded from (the caller's); fails with
 * IPMI_E_SHORT when not even the next ID is there.
 */
struct ipmi_get_sdr_rsp {
	uint16_t	 next;
	const uint8_t	*data;
	size_t		 len;
};
int	ipmi_get_sdr_rsp_encode(const struct ipmi_get_sdr_rsp *, struct buf *);
int	ipmi_get_sdr_rsp_decode(struct buf *, struct ipmi_get_sdr_rsp *);

/*
 * The walker: Get SDR Repository Info, Reserve SDR Repository, then for
 * each record Get SDR of the 5-byte header at offset 0 and of the body in
 * chunks, following next-record IDs from 0000h until FFFFh.
 *
 *   sdr_walk_init(&w, buf, cap, 0);
 *   while ((rc = sdr_walk_next(&w, &req)) == IPMI_WALK_SEND)
 *           ... send, then sdr_walk_feed(&w, cc, data, len) ...
 *   // rc == IPMI_WALK_DONE: w.len bytes of records in buf, w.nrecords
 *   for (off = 0; sdr_next_record(buf, w.len, &off, &rec, &rlen) == 1; )
 *           sdr_decode(rec, rlen, &r);
 *
 * With SDR_WALK_INFO_ONLY the walk is DONE once the repository info is in
 * w.info (count and timestamps, the key of a cache).  w.have_info is set
 * as soon as it is known, so a caller may also stop feeding at any point
 * after it; the walker holds nothing that needs releasing.
 *
 * Bounds and retries:
 *   - chunks start at SDR_CHUNK bytes; completion codes C7h, C8h, CAh and
 *     FFh halve the chunk (down to 1 byte, then the walk fails); an answer
 *     shorter than asked is kept and the rest asked for; an answer with no
 *     record bytes is IPMI_E_MALFORMED.
 *   - C5h (reservation cancelled) reserves again and restarts the record,
 *     at most SDR_RESERVE_RETRIES times per walk.
 *   - C1h to Reserve SDR Repository (not supported) goes on with
 *     reservation 0, which reads from offset 0 still accept.
 *   - a repository count of 0, or CBh to the first Get SDR, is DONE with no
 *     records.
 *   - a record ID asked twice (the chain loops), or more records than
 *     count + SDR_EXTRA_RECORDS (at most SDR_MAX_RECORDS), fails with
 *     IPMI_E_MALFORMED: never a loop.
 *   - buf too small for the next record fails with IPMI_E_NOSPACE;
 *     SDR_BUF_MAX always suffices.
 *   - any other completion code fails with IPMI_E_CC and the code in w.cc.
 * After a failure w.len bytes of whole records stay in buf (the record
 * being read is not among them).
 *
 * The walker holds a pointer to buf and writes only buf[0..cap); the caller
 * owns buf and keeps it alive until the walk ends.  struct sdr_walk is
 * about 8.5 KiB (a bitmap of the record IDs seen).
 */
#define SDR_CHUNK		16
#define SDR_RESERVE_RETRIES	5
#define SDR_EXTRA_RECORDS	16
#define SDR_MAX_RECORDS		4096
#define SDR_BUF_MAX		((size_t)SDR_MAX_RECORDS * SDR_RECORD_MAX)

enum { SDR_WALK_INFO_ONLY = 1 << 0 };

enum sdr_walk_state {
	SDR_WALK_INFO,		/* Get SDR Repository Info to send */
	SDR_WALK_INFO_WAIT,
	SDR_WALK_RESERVE,	/* Reserve SDR Repository to send */
	SDR_WALK_RESERVE_WAIT,
	SDR_WALK_READ,		/* Get SDR to send */
	SDR_WALK_READ_WAIT,
	SDR_WALK_DONE,
	SDR_WALK_FAILED,
};

struct sdr_walk {
	uint8_t			*buf;		/* the caller's */
	size_t			 cap;
	size_t			 len;		/* bytes of whole records */
	int			 flags;		/* SDR_WALK_* */
	int			 have_info;
	struct ipmi_sdr_info_rsp info;
	uint16_t		 resv;		/* reservation ID */
	uint16_t		 id;		/* record being read */
	uint16_t		 next;		/* next record ID, as answered */
	size_t			 got;		/* bytes of it in buf[len..] */
	size_t			 want;		/* 5, then 5 + the claimed length */
	size_t			 chunk;		/* bytes per Get SDR */
	size_t			 asked;		/* by the outstanding request */
	unsigned		 reserves;	/* re-reservations spent */
	unsigned		 nrecords;	/* whole records in buf */
	unsigned		 limit;		/* most records we accept */
	unsigned		 requests;	/* sent, for statistics */
	enum sdr_walk_state	 state;
	int			 err;		/* enum ipmi_err when FAILED */
	uint8_t			 cc;		/* failing completion code, or 0 */
	/* FAILED on what the BMC said, IPMI_E_MALFORMED: what was wrong
	 * with record id, a static string for messages; NULL otherwise */
	const char		*why;
	uint8_t			 seen[65536 / 8]; /* record IDs asked */
};

/*
 * The buffer a whole walk needs for a repository whose info claims count
 * records: room for them and the SDR_EXTRA_RECORDS slack the walker
 * allows, at most SDR_MAX_RECORDS, of SDR_RECORD_MAX bytes each.
 */
size_t	sdr_walk_bytes(uint16_t count);
void	sdr_walk_init(struct sdr_walk *, uint8_t *buf, size_t cap, int flags);
int	sdr_walk_next(struct sdr_walk *, struct ipmi_req *);
int	sdr_walk_feed(struct sdr_walk *, uint8_t cc, const uint8_t *data,
	    size_t len);
const char *sdr_walk_state_name(int);

/*
 * Iterate over records laid back to back in buf[0..len).  At *off: returns
 * 1 with *rec pointing at the record (header included, into buf) and
 * *reclen its size, and moves *off past it; 0 at the end; IPMI_E_SHORT when
 * the bytes left are fewer than a header or than the length it claims (a
 * truncated cache file).
 */
int	sdr_next_record(const uint8_t *buf, size_t len, size_t *off,
	    const uint8_t **rec, size_t *reclen);

/* --- records ---------------------------------------------------------- */

enum sdr_type {
	SDR_TYPE_FULL = 0x01,
	SDR_TYPE_COMPACT = 0x02,
	SDR_TYPE_EVENT_ONLY = 0x03,
	SDR_TYPE_ENTITY_ASSOC = 0x08,
	SDR_TYPE_DEV_ENTITY_ASSOC = 0x09,
	SDR_TYPE_GENERIC_LOCATOR = 0x10,
	SDR_TYPE_FRU_LOCATOR = 0x11,
	SDR_TYPE_MC_LOCATOR = 0x12,
	SDR_TYPE_MC_CONFIRM = 0x13,
	SDR_TYPE_BMC_CHANNEL = 0x14,
	SDR_TYPE_OEM = 0xc0,
};

/*
 * 43.15 ID string type/length byte: [7:6] type, [4:0] length in bytes.
 * The text is UTF-8:
 *   unicode (00b)   no BMC seen uses it; read as Latin-1, as ipmitool does
 *   BCD plus (01b)  two characters a byte, high nibble first: 0-9, space,
 *                   '-', '.'; Dh-Fh as '?'
 *   6-bit (10b)     4 characters in 3 bytes, least significant bits first
 *   8-bit (11b)     Latin-1 to UTF-8; a NUL ends the text, other control
 *                   characters become '?'
 * Trailing spaces are kept (shared sensor names rely on them).
 */
#define SDR_ID_LEN_MAX	16	/* ID string bytes the records hold */
#define SDR_NAME_MAX	64	/* 16 Latin-1 bytes are 32 UTF-8, plus suffix */
enum sdr_id_enc {
	SDR_ID_UNICODE = 0,
	SDR_ID_BCDPLUS = 1,
	SDR_ID_ASCII6 = 2,
	SDR_ID_LATIN1 = 3,
};
struct sdr_id {
	uint8_t		typelen;	/* as on the wire */
	uint8_t		enc;		/* enum sdr_id_enc */
	uint8_t		len;		/* bytes that arrived (<= claimed) */
	int		truncated;	/* claimed more than the record holds */
	char		text[SDR_NAME_MAX]; /* NUL-terminated UTF-8 */
};

/* Analog data format, units 1 [7:6] (43.1 byte 21). */
enum sdr_format {
	SDR_FMT_UNSIGNED = 0,
	SDR_FMT_ONES = 1,	/* 1's complement */
	SDR_FMT_TWOS = 2,	/* 2's complement */
	SDR_FMT_NONE = 3,	/* no analog reading */
};

/* Linearization (43.1 byte 24); 70h-7Fh non-linear OEM. */
enum sdr_linear {
	SDR_L_LINEAR = 0,
	SDR_L_LN, SDR_L_LOG10, SDR_L_LOG2, SDR_L_E, SDR_L_EXP10, SDR_L_EXP2,
	SDR_L_1_X, SDR_L_SQR, SDR_L_CUBE, SDR_L_SQRT, SDR_L_CUBE_ROOT,
	SDR_L_NONLINEAR = 0x70,
};

/* The conversion factors of a full sensor record (43.1 bytes 24-30; 36.3). */
struct sdr_factors {
	uint8_t		format;		/* enum sdr_format */
	uint8_t		linear;		/* enum sdr_linear, 7 bits */
	int16_t		m;		/* 10-bit signed */
	int16_t		b;		/* 10-bit signed */
	int8_t		k1;		/* B exponent, 4-bit signed */
	int8_t		k2;		/* result (R) exponent, 4-bit signed */
	uint8_t		tolerance;	/* 6 bits, in +/- half raw counts */
	uint16_t	accuracy;	/* 10 bits, in 1/100 percent ... */
	uint8_t		accuracy_exp;	/* ... times 10^accuracy_exp */
};

/* Thresholds, indexed as the readable/settable masks number them (35.9). */
enum sdr_thresh {
	SDR_TH_LNC = 0,
	SDR_TH_LCR = 1,
	SDR_TH_LNR = 2,
	SDR_TH_UNC = 3,
	SDR_TH_UCR = 4,
	SDR_TH_UNR = 5,
	SDR_TH_COUNT = 6,
};

/* Analog characteristic flags (43.1 byte 31). */
enum {
	SDR_AC_NOMINAL = 1 << 0,
	SDR_AC_NORMAL_MAX = 1 << 1,
	SDR_AC_NORMAL_MIN = 1 << 2,
};

/* ID string instance modifier type (43.2 byte 24 [5:4]). */
enum { SDR_MOD_NUMERIC = 0, SDR_MOD_ALPHA = 1 };

/*
 * The fields full, compact and event-only records share (43.1-43.3).
 * Masks not in an event-only record are 0; share fields not in a full
 * record mean "one sensor".
 */
struct sdr_sensor {
	uint8_t		owner_id;	/* [7:1] slave addr or SW ID, [0] SW */
	uint8_t		owner_lun;	/* [1:0] of byte 7 */
	uint8_t		channel;	/* [7:4] of byte 7 */
	uint8_t		number;
	uint8_t		entity_id;
	uint8_t		entity_instance; /* 7 bits */
	int		entity_logical;	/* bit 7: logical container entity */
	uint8_t		init;		/* sensor initialization byte */
	uint8_t		caps;		/* sensor capabilities byte */
	uint8_t		sensor_type;	/* table 42-3 */
	uint8_t		event_type;	/* event/reading type code, 42-1 */
	uint16_t	assert_mask;	/* or lower threshold reading mask */
	uint16_t	deassert_mask;	/* or upper threshold reading mask */
	uint16_t	reading_mask;	/* discrete, or [5:0] readable and
					 * [13:8] settable thresholds */
	uint8_t		units1;		/* format, rate, modifier, percent */
	uint8_t		base_unit;	/* units 2, table 43-15 */
	uint8_t		mod_unit;	/* units 3 */
	uint8_t		direction;	/* 0 unspecified, 1 input, 2 output */
	uint8_t		share_count;	/* sensors sharing the record, >= 1 */
	uint8_t		mod_type;	/* SDR_MOD_* */
	uint8_t		mod_offset;	/* 7 bits */
	int		entity_shared;	/* entity instance increments */
	uint8_t		hyst_pos;
	uint8_t		hyst_neg;
	uint8_t		oem;
	struct sdr_id	id;
	/* full sensor record only (has_analog) */
	int		has_analog;
	struct sdr_factors factors;
	uint8_t		ac_flags;	/* SDR_AC_* */
	uint8_t		nominal;	/* raw readings */
	uint8_t		normal_max;
	uint8_t		normal_min;
	uint8_t		sensor_max;
	uint8_t		sensor_min;
	uint8_t		thresh[SDR_TH_COUNT]; /* raw, indexed by SDR_TH_* */
};

#define SDR_UNITS_FORMAT(u1)	(((u1) >> 6) & 3)
#define SDR_UNITS_RATE(u1)	(((u1) >> 3) & 7)
#define SDR_UNITS_MOD(u1)	(((u1) >> 1) & 3) /* 0 none, 1 x/y, 2 x*y */
#define SDR_UNITS_PERCENT(u1)	((u1) & 1)
#define SDR_READABLE(s)		((s)->reading_mask & 0x3f)
#define SDR_SETTABLE(s)		(((s)->reading_mask >> 8) & 0x3f)

/* 43.8 FRU device locator record. */
struct sdr_fru_locator {
	uint8_t		access_addr;	/* [7:1] slave address of the controller */
	uint8_t		fru_id;		/* FRU device ID, or [7:1] slave address */
	int		logical;	/* logical FRU device (ID is fru_id) */
	uint8_t		access_lun;
	uint8_t		bus;		/* private bus ID */
	uint8_t		channel;
	uint8_t		dev_type;	/* table 43-12 */
	uint8_t		dev_type_mod;
	uint8_t		entity_id;
	uint8_t		entity_instance;
	uint8_t		oem;
	struct sdr_id	id;
};

/* 43.9 Management controller device locator record. */
struct sdr_mc_locator {
	uint8_t		addr;		/* [7:1] slave address */
	uint8_t		channel;
	uint8_t		power_flags;	/* byte 8: ACPI notify, init agent */
	uint8_t		caps;		/* device capabilities byte */
	uint8_t		entity_id;
	uint8_t		entity_instance;
	uint8_t		oem;
	struct sdr_id	id;
};

struct sdr_record {
	uint16_t	id;		/* record ID */
	uint8_t		version;	/* SDR version, 51h */
	uint8_t		type;		/* enum sdr_type, or any other */
	uint8_t		len;		/* body length the header claims */
	int		decoded;	/* one of the members of u is filled */
	union {
		struct sdr_sensor	sensor;	/* full, compact, event-only */
		struct sdr_fru_locator	fru;
		struct sdr_mc_locator	mc;
	} u;
	uint8_t		raw[SDR_RECORD_MAX]; /* header + body */
	size_t		rawlen;
};

/*
 * Decode one record of len bytes (header included).  Returns 0 with the
 * record decoded, or kept raw (decoded 0) when its type is none of the
 * above; IPMI_E_SHORT when len is under 5 or under what the header
 * claims, or the body is shorter than the fixed part of its type (an ID
 * string longer than what arrived is cut and flagged, not an error);
 * IPMI_E_MALFORMED for an ID string type/length of 1Fh (reserved).
 * Bytes past 5 + the claimed length are ignored.
 */
int	sdr_decode(const uint8_t *rec, size_t len, struct sdr_record *);

/* "Full Sensor", "Compact Sensor", "FRU Device Locator", ..., "OEM". */
const char *sdr_type_name(uint8_t type);

/*
 * A sensor of a shared record (43.2 bytes 24-25): i in [0, share_count)
 * gives sensor number + i, the entity instance + i if entity_shared, and
 * the name with the instance modifier offset + i appended: in decimal for
 * numeric modifiers ("DIMM Temp " -> "DIMM Temp 1"), as letters A-Z, AA...
 * for alpha ones.  *out is a copy of *in with those changes and share_count
 * 1.  Returns 0, or IPMI_E_INVAL when in is not a sensor record or i is out
 * of range.
 */
int	sdr_expand(const struct sdr_record *in, unsigned i,
	    struct sdr_record *out);

/*
 * A repository's records as its readers want them: every record that
 * decodes, in order, with a shared sensor record (share_count > 1) turned
 * into one record per sensor by sdr_expand; a record of one sensor keeps
 * its name as it is.  Records that do not decode, and bytes after a
 * truncated one, are skipped.  Direct mode, the collector and the reports
 * all list a BMC's sensors through this one iterator.
 *
 *   struct sdr_iter it;
 *   struct sdr_record r;
 *
 *   sdr_iter_init(&it, buf, len);
 *   while (sdr_iter_next(&it, &r))
 *           ... r.type, r.u.sensor / r.u.fru ...
 */
struct sdr_iter {
	const uint8_t	*buf;
	size_t		 len;
	size_t		 off;
	struct sdr_record rec;	/* the record in hand, as decoded */
	unsigned	 next;	/* its next sensor, when shared */
};

void	sdr_iter_init(struct sdr_iter *, const uint8_t *buf, size_t len);
/* A full, compact or event-only sensor record. */
int	sdr_is_sensor(const struct sdr_record *);
/* The next record into *out: 1, or 0 at the end. */
int	sdr_iter_next(struct sdr_iter *, struct sdr_record *out);

/*
 * What names an SDR repository's content, as cheaply as a BMC can be
 * asked: who made the BMC and its firmware (Get Device ID) and the
 * repository's record count and last addition and erase (Get SDR
 * Repository Info).  Hosts of one model and firmware with untouched
 * repositories share it.  sdr_repo_key writes it as the one key every
 * SDR cache uses (direct mode's files, the collector's memory and
 * sdr_cache table), "manufacturer:product:fw.minor:aux:count:add:erase"
 * in decimal but the aux bytes (8 hex digits); SDR_REPO_KEY_MAX holds any.
 */
struct sdr_repo_id {
	uint32_t	manufacturer;
	uint16_t	product;
	uint8_t		fw_major;
	uint8_t		fw_minor;
	uint8_t		aux[4];
	uint16_t	count;
	uint32_t	add_ts;
	uint32_t	erase_ts;
};
#define SDR_REPO_KEY_MAX	80
void	sdr_repo_key(const struct sdr_repo_id *, char *out, size_t len);

#endif
