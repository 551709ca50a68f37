/*
 * fru: FRU inventory.  The two IPMI commands that read a FRU device
 * (IPMI v2.0 rev 1.1, 34.1 and 34.2), a walker that reads a whole FRU
 * device in chunks (ipmi/walk.h), and a decoder of the bytes as laid out by
 * the Platform Management FRU Information Storage Definition v1.0 rev 1.3
 * (called "FRU spec" below): common header, chassis, board and product info
 * areas, and the multirecord area.
 *
 * Pure: no I/O, no allocation.  The walker reads into a buffer the caller
 * owns; the decoder copies everything it reports into struct fru (strings in
 * fixed-size fields), so the image may be freed once fru_decode returns.
 */
#ifndef BMCFLEET_IPMI_FRU_H
#define BMCFLEET_IPMI_FRU_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "walk.h"

enum {
	IPMI_CMD_GET_FRU_INFO = 0x10,	/* storage netfn */
	IPMI_CMD_READ_FRU = 0x11,
};

/* FRU-specific completion code of Read FRU Data (34.2) */
#define IPMI_CC_FRU_BUSY	0x81

/*
 * Codecs.  Decoders return 0, IPMI_E_SHORT or IPMI_E_MALFORMED; encoders
 * 0 or IPMI_E_NOSPACE.
 */

/* 34.1 Get FRU Inventory Area Info: request is the FRU device ID */
int	ipmi_fru_info_req_encode(uint8_t dev_id, struct buf *);
int	ipmi_fru_info_req_decode(struct buf *, uint8_t *dev_id);
struct ipmi_fru_info_rsp {
	uint16_t	size;	/* area size in bytes */
	int		words;	/* device is accessed by words (16 bits) */
};
int	ipmi_fru_info_rsp_encode(const struct ipmi_fru_info_rsp *, struct buf *);
int	ipmi_fru_info_rsp_decode(struct buf *, struct ipmi_fru_info_rsp *);

/* 34.2 Read FRU Data: offset and count in words on a word device */
struct ipmi_fru_read_req {
	uint8_t		dev_id;
	uint16_t	offset;
	uint8_t		count;
};
int	ipmi_fru_read_req_encode(const struct ipmi_fru_read_req *, struct buf *);
int	ipmi_fru_read_req_decode(struct buf *, struct ipmi_fru_read_req *);
/*
 * The response: the count the BMC claims and the data that arrived.  data
 * points into the buffer decoded from (the caller's); len is what arrived,
 * which may differ from count: trust len.  Decoding fails with
 * IPMI_E_SHORT when not even the count byte is there.
 */
struct ipmi_fru_read_rsp {
	uint8_t		 count;
	const uint8_t	*data;
	size_t		 len;
};
int	ipmi_fru_read_rsp_encode(const struct ipmi_fru_read_rsp *, struct buf *);
int	ipmi_fru_read_rsp_decode(struct buf *, struct ipmi_fru_read_rsp *);

/*
 * The reader: Get FRU Inventory Area Info, then Read FRU Data from offset 0
 * to the end of the area, into the caller's buffer.
 *
 *   uint8_t img[FRU_IMAGE_MAX];
 *   fru_read_init(&r, dev_id, img, sizeof(img));
 *   while ((rc = fru_read_next(&r, &req)) == IPMI_WALK_SEND)
 *           ... send, then fru_read_feed(&r, cc, data, len) ...
 *   // rc == IPMI_WALK_DONE: r.len bytes in img; r.truncated if the area
 *   // was larger than the buffer
 *
 * Chunks start at FRU_READ_CHUNK bytes.  Completion codes C7h, C8h, CAh
 * and FFh (what BMCs answer when a message would be too long) make the
 * chunk smaller; an answer shorter than asked makes the next chunks that
 * size; 81h (FRU busy) and C0h (node busy) repeat the request.  These
 * retries share one budget of FRU_READ_RETRIES per read.  An answer with no
 * data is IPMI_E_MALFORMED (a BMC that keeps answering nothing must not keep
 * us busy).  Any other completion code fails the read with IPMI_E_CC and the
 * code in r.cc.  A device with an area size of 0 reads as DONE with len 0.
 * After a failure the r.len bytes that did arrive stay in buf: some BMCs
 * report an area size larger than what they return (ipmitool then parses
 * what it got), so a caller may still decode them, saying they are partial.
 *
 * The walker holds a pointer to buf and writes only buf[0..cap); the caller
 * owns buf and keeps it alive until the walk ends.
 */
#define FRU_IMAGE_MAX	65536	/* the area size is 16 bits: all of it */
#define FRU_READ_CHUNK	32
#define FRU_READ_RETRIES 16

enum fru_read_state {
	FRU_READ_INFO,		/* Get FRU Inventory Area Info to send */
	FRU_READ_INFO_WAIT,
	FRU_READ_DATA,		/* Read FRU Data to send */
	FRU_READ_DATA_WAIT,
	FRU_READ_DONE,
	FRU_READ_FAILED,
};

struct fru_read {
	uint8_t		 dev_id;
	uint8_t		*buf;		/* the caller's */
	size_t		 cap;
	size_t		 len;		/* bytes read into buf */
	size_t		 want;		/* min(area size, cap) */
	uint16_t	 area_size;	/* from Get FRU Inventory Area Info */
	int		 words;		/* word-access device */
	int		 truncated;	/* area larger than cap */
	size_t		 chunk;		/* bytes per Read FRU Data */
	size_t		 asked;		/* bytes asked by the outstanding request */
	unsigned	 retries;	/* spent from FRU_READ_RETRIES */
	unsigned	 requests;	/* sent, for statistics */
	enum fru_read_state state;
	int		 err;		/* enum ipmi_err when FAILED */
	uint8_t		 cc;		/* failing completion code, or 0 */
};

void	fru_read_init(struct fru_read *, uint8_t dev_id, uint8_t *buf,
	    size_t cap);
int	fru_read_next(struct fru_read *, struct ipmi_req *);
int	fru_read_feed(struct fru_read *, uint8_t cc, const uint8_t *data,
	    size_t len);

/*
 * The decoder.  Strings are UTF-8 in fixed fields of FRU_TEXT_MAX bytes:
 * a field holds at most 63 bytes (FRU spec 13), which is at most 126 bytes
 * once in hex or UTF-8, so nothing is ever cut; truncated stays for safety.
 *
 *   binary (00b)     lowercase hex, no separators, as ipmitool prints it
 *   BCD plus (01b)   two characters a byte, high nibble first: 0-9, space,
 *                    '-', '.'; the reserved codes Dh-Fh as '?'.  As the
 *                    current ipmitool reads it; FreeIPMI (and ipmitool
 *                    1.8.x) read one character a byte, so the tools
 *                    disagree on any BCD plus field.
 *   6-bit ASCII (10b) 4 characters in 3 bytes, least significant bits first;
 *                    len * 8 / 6 characters (FreeIPMI agrees; ipmitool
 *                    pads a partial group to 4)
 *   8-bit (11b)      Latin-1 to UTF-8.  The FRU spec says 2-byte Unicode for
 *                    languages other than English; ipmitool and FreeIPMI
 *                    read Latin-1 there too, and so do we.  A NUL ends the
 *                    text (as both tools print it); other control
 *                    characters become '?'.
 */
#define FRU_TEXT_MAX	128
#define FRU_CUSTOM_MAX	16	/* custom fields kept per area */
#define FRU_MR_MAX	32	/* multirecords kept */
#define FRU_PROBLEM_MAX	32

enum fru_enc {
	FRU_ENC_BINARY = 0,
	FRU_ENC_BCDPLUS = 1,
	FRU_ENC_ASCII6 = 2,
	FRU_ENC_LATIN1 = 3,
};

struct fru_field {
	int	present;		/* the field was in the area */
	uint8_t	enc;			/* enum fru_enc */
	uint8_t	len;			/* data bytes on the wire */
	int	truncated;		/* text cut to fit */
	char	text[FRU_TEXT_MAX];	/* NUL-terminated UTF-8 */
};

/* FRU spec 10: chassis info area */
struct fru_chassis {
	int			present;	/* decoded, maybe in part */
	uint8_t			type;		/* SMBIOS enclosure type */
	struct fru_field	part;
	struct fru_field	serial;
	struct fru_field	custom[FRU_CUSTOM_MAX];
	size_t			ncustom;
};

/* FRU spec 11: board info area */
struct fru_board {
	int			present;
	uint8_t			lang;
	int			has_mfg_time;	/* 0 on the wire: unspecified */
	uint32_t		mfg_minutes;	/* since 1996-01-01 00:00 UTC */
	time_t			mfg_time;	/* the same as a time_t */
	struct fru_field	mfr;
	struct fru_field	product;
	struct fru_field	serial;
	struct fru_field	part;
	struct fru_field	file_id;
	struct fru_field	custom[FRU_CUSTOM_MAX];
	size_t			ncustom;
};

/* FRU spec 12: product info area */
struct fru_product {
	int			present;
	uint8_t			lang;
	struct fru_field	mfr;
	struct fru_field	name;
	struct fru_field	part;		/* part/model number */
	struct fru_field	version;
	struct fru_field	serial;
	struct fru_field	asset_tag;
	struct fru_field	file_id;
	struct fru_field	custom[FRU_CUSTOM_MAX];
	size_t			ncustom;
};

/* FRU spec 18.1: power supply information (record type 00h) */
enum {
	FRU_PSU_PREDICTIVE_PIN = 1 << 0,
	FRU_PSU_PFC = 1 << 1,		/* power factor correction */
	FRU_PSU_AUTOSWITCH = 1 << 2,
	FRU_PSU_HOT_SWAP = 1 << 3,
	FRU_PSU_TACH_PULSES = 1 << 4,	/* predictive fail: tach lower limit */
};
struct fru_psu {
	uint16_t	capacity_w;	/* overall capacity, 12 bits */
	uint16_t	peak_va;	/* FFFFh: not specified */
	uint8_t		inrush_a;	/* FFh: not specified */
	uint8_t		inrush_ms;
	uint16_t	low1_10mv;	/* input voltage range 1, 10 mV units */
	uint16_t	high1_10mv;
	uint16_t	low2_10mv;	/* range 2: 0 when single range */
	uint16_t	high2_10mv;
	uint8_t		low_hz;
	uint8_t		high_hz;
	uint8_t		dropout_ms;	/* A/C dropout tolerance */
	uint8_t		flags;		/* FRU_PSU_* */
	uint8_t		holdup_s;	/* peak wattage bits 15:12 */
	uint16_t	peak_w;		/* peak wattage bits 11:0 */
	uint8_t		combined_v1;	/* 0 12 V, 1 -12 V, 2 5 V, 3 3.3 V */
	uint8_t		combined_v2;
	uint16_t	combined_w;
	uint8_t		tach_rps;	/* predictive fail tach lower limit */
};

/* FRU spec 18.2: DC output (record type 01h) */
struct fru_dcout {
	uint8_t		output;		/* output number, 4 bits */
	int		standby;	/* output on standby */
	int16_t		nominal_10mv;
	int16_t		neg_dev_10mv;	/* maximum negative deviation */
	int16_t		pos_dev_10mv;	/* maximum positive deviation */
	uint16_t	ripple_mv;	/* peak to peak, 10 Hz to 30 MHz */
	uint16_t	min_ma;
	uint16_t	max_ma;
};

enum {
	FRU_MR_POWER_SUPPLY = 0x00,
	FRU_MR_DC_OUTPUT = 0x01,
	FRU_MR_DC_LOAD = 0x02,
	FRU_MR_MGMT_ACCESS = 0x03,
	FRU_MR_BASE_COMPAT = 0x04,
	FRU_MR_EXT_COMPAT = 0x05,
	FRU_MR_OEM_FIRST = 0xc0,
};

/* FRU spec 16: one multirecord (header 16.1, then data) */
struct fru_mr {
	uint8_t		type;
	int		eol;		/* end-of-list bit */
	uint8_t		version;	/* record format version, 2 */
	uint8_t		len;		/* data length the header claims */
	uint16_t	offset;		/* of the header in the image */
	int		hdr_ok;		/* header checksum */
	int		data_ok;	/* record data checksum */
	uint8_t		data[255];	/* what arrived of the data */
	size_t		dlen;		/* <= len; < len when truncated */
	int		typed;		/* psu or dcout below is filled */
	union {
		struct fru_psu		psu;
		struct fru_dcout	dcout;
	} u;
};

enum fru_area {
	FRU_AREA_HEADER,
	FRU_AREA_INTERNAL,
	FRU_AREA_CHASSIS,
	FRU_AREA_BOARD,
	FRU_AREA_PRODUCT,
	FRU_AREA_MULTIRECORD,
};

enum fru_problem_kind {
	FRU_PROB_CHECKSUM = 1,	/* area or common header checksum */
	FRU_PROB_VERSION,	/* format version is not 1 (record: not 2) */
	FRU_PROB_OFFSET,	/* area starts past the end of the data */
	FRU_PROB_LENGTH,	/* area length 0 */
	FRU_PROB_TRUNCATED,	/* area runs past the end of the data */
	FRU_PROB_FIELD,		/* a field runs past the end of its area */
	FRU_PROB_NO_END,	/* area without the C1h end-of-fields mark */
	FRU_PROB_TOO_MANY,	/* more custom fields or records than kept */
	FRU_PROB_RECORD_HDR,	/* multirecord header checksum */
	FRU_PROB_RECORD,	/* multirecord data checksum */
	FRU_PROB_RECORD_LEN,	/* record data runs past the end */
	FRU_PROB_RECORD_SHORT,	/* typed record shorter than its layout */
	FRU_PROB_NO_EOL,	/* multirecord area without end-of-list */
};

struct fru_problem {
	uint8_t		area;		/* enum fru_area */
	uint8_t		kind;		/* enum fru_problem_kind */
	uint16_t	offset;		/* in the image, where it was noticed */
};

/*
 * Everything decoded from one image.  About 20 KiB: allocate it, or keep
 * one per host, rather than many on the stack.
 */
struct fru {
	uint8_t			version;	/* common header format version */
	uint16_t		off_internal;	/* area offsets in bytes, */
	uint16_t		off_chassis;	/* 0 when absent */
	uint16_t		off_board;
	uint16_t		off_product;
	uint16_t		off_mr;
	struct fru_chassis	chassis;
	struct fru_board	board;
	struct fru_product	product;
	struct fru_mr		mr[FRU_MR_MAX];
	size_t			nmr;
	struct fru_problem	problems[FRU_PROBLEM_MAX];
	size_t			nproblems;
	size_t			problems_dropped;
};

/*
 * Decode len bytes of FRU data.  Returns 0 when the common header is
 * usable (version 1), with every readable field filled in and what was
 * wrong in f->problems (a bad checksum does not hide the fields);
 * IPMI_E_SHORT for fewer than 8 bytes; IPMI_E_MALFORMED when the header
 * is not version 1 (blank or erased EEPROMs: all FFh or all 00h).  Never
 * reads outside img[0..len); bytes past FRU_IMAGE_MAX are ignored.
 */
int		 fru_decode(const uint8_t *img, size_t len, struct fru *);

/* "Rack Mount Chassis" etc. (SMBIOS 7.4.1); "Unknown" past the table. */
const char	*fru_chassis_type_name(uint8_t);
/* "Power Supply Information", "DC Output", ...; "OEM" for C0h-FFh. */
const char	*fru_mr_type_name(uint8_t);
const char	*fru_area_name(int area);
/* "checksum mismatch", "field runs past the end of the area", ... */
const char	*fru_problem_str(int kind);
/* Boolean: the language code means English (0 or 25, FRU spec 15). */
int		 fru_lang_english(uint8_t);

#endif
