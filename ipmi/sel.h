/*
 * sel: the System Event Log.  The commands that read and clear it (IPMI
 * v2.0 rev 1.1, 31.2 Get SEL Info, 31.4 Reserve SEL, 31.5 Get SEL Entry,
 * 31.9 Clear SEL, 31.10 Get SEL Time), a walker that reads every entry and
 * one that clears the log (ipmi/walk.h), the decoder of the 16-byte
 * entries (32.1-32.3), a severity per entry and a one-line description in
 * the words ipmitool's `sel elist` uses.
 *
 * Pure: no I/O, no allocation.  The walker appends whole raw entries (16
 * bytes each) back to back into a buffer the caller owns; those bytes are
 * what a cache keeps.  sel_decode copies everything it reports into struct
 * sel_entry (raw bytes included), so the buffer may be freed once it
 * returns.
 */
#ifndef BMCFLEET_IPMI_SEL_H
#define BMCFLEET_IPMI_SEL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "sdr.h"
#include "walk.h"

enum {
	IPMI_CMD_GET_SEL_INFO = 0x40,		/* storage netfn */
	IPMI_CMD_RESERVE_SEL = 0x42,
	IPMI_CMD_GET_SEL_ENTRY = 0x43,
	IPMI_CMD_CLEAR_SEL = 0x47,
	IPMI_CMD_GET_SEL_TIME = 0x48,
};

#define SEL_ENTRY_LEN	16		/* every SEL record, whatever its type */
#define SEL_ID_FIRST	0x0000
#define SEL_ID_LAST	0xffff		/* "no next entry" */

/*
 * Codecs.  Decoders return 0, IPMI_E_SHORT or IPMI_E_MALFORMED; encoders
 * 0 or IPMI_E_NOSPACE.  Responses are the data after the completion code.
 */

/* 31.2 Get SEL Info: no request data. */
enum {
	SEL_SUP_ALLOC_INFO = 1 << 0,	/* Get SEL Allocation Info */
	SEL_SUP_RESERVE = 1 << 1,	/* Reserve SEL */
	SEL_SUP_PARTIAL_ADD = 1 << 2,	/* Partial Add SEL Entry */
	SEL_SUP_DELETE = 1 << 3,	/* Delete SEL Entry */
	SEL_SUP_OVERFLOW = 1 << 7,	/* events were dropped: the log is full */
};
#define SEL_TS_UNSPECIFIED	0xffffffffu
struct ipmi_sel_info_rsp {
	uint8_t		version;	/* BCD, 51h for IPMI 1.5 and 2.0 */
	uint16_t	entries;	/* entries in the log */
	uint16_t	free;		/* free bytes; FFFFh: 65535 or more */
	uint32_t	add_ts;		/* most recent addition, seconds */
	uint32_t	erase_ts;	/* most recent erase */
	uint8_t		support;	/* SEL_SUP_* */
};
int	ipmi_sel_info_rsp_encode(const struct ipmi_sel_info_rsp *, struct buf *);
int	ipmi_sel_info_rsp_decode(struct buf *, struct ipmi_sel_info_rsp *);

/* 31.4 Reserve SEL: no request data; the reservation ID. */
int	ipmi_sel_reserve_rsp_encode(uint16_t resv, struct buf *);
int	ipmi_sel_reserve_rsp_decode(struct buf *, uint16_t *resv);

/* 31.5 Get SEL Entry: count FFh means "the whole entry". */
#define SEL_READ_ALL	0xff
struct ipmi_get_sel_req {
	uint16_t	resv;		/* only needed for partial reads; 0 */
	uint16_t	id;		/* 0000h first, FFFFh last */
	uint8_t		offset;
	uint8_t		count;
};
int	ipmi_get_sel_req_encode(const struct ipmi_get_sel_req *, struct buf *);
int	ipmi_get_sel_req_decode(struct buf *, struct ipmi_get_sel_req *);
/*
 * The response: next entry ID, then the entry bytes that arrived.  data
 * points into the buffer decoded from (the caller's); fails with
 * IPMI_E_SHORT when not even the next ID is there.
 */
struct ipmi_get_sel_rsp {
	uint16_t	 next;
	const uint8_t	*data;
	size_t		 len;
};
int	ipmi_get_sel_rsp_encode(const struct ipmi_get_sel_rsp *, struct buf *);
int	ipmi_get_sel_rsp_decode(struct buf *, struct ipmi_get_sel_rsp *);

/*
 * 31.9 Clear SEL: reservation ID, 'C' 'L' 'R', then AAh to start the
 * erase or 00h to ask how far it got.  The decoder fails with
 * IPMI_E_MALFORMED when the three letters or the action are anything else
 * (a BMC answers CCh there).  The response is the erasure progress, [3:0]
 * of one byte: 0 in progress, 1 completed.
 */
enum {
	SEL_CLEAR_STATUS = 0x00,	/* get erasure status */
	SEL_CLEAR_INITIATE = 0xaa,	/* initiate erase */
};
enum {
	SEL_ERASE_IN_PROGRESS = 0,
	SEL_ERASE_COMPLETED = 1,
};
struct ipmi_clear_sel_req {
	uint16_t	resv;
	uint8_t		action;		/* SEL_CLEAR_* */
};
int	ipmi_clear_sel_req_encode(const struct ipmi_clear_sel_req *,
	    struct buf *);
int	ipmi_clear_sel_req_decode(struct buf *, struct ipmi_clear_sel_req *);
int	ipmi_clear_sel_rsp_encode(uint8_t progress, struct buf *);
int	ipmi_clear_sel_rsp_decode(struct buf *, uint8_t *progress);

/* 31.10 Get SEL Time: no request data; seconds (see SEL_TS_PRE_INIT). */
int	ipmi_sel_time_rsp_encode(uint32_t ts, struct buf *);
int	ipmi_sel_time_rsp_decode(struct buf *, uint32_t *ts);

/* --- entries (32.1-32.3) ----------------------------------------------- */

enum sel_kind {
	SEL_KIND_SYSTEM,	/* 02h: system event record */
	SEL_KIND_OEM_TS,	/* C0h-DFh: OEM timestamped */
	SEL_KIND_OEM,		/* E0h-FFh: OEM non-timestamped */
	SEL_KIND_UNKNOWN,	/* 00h, 01h, 03h-BFh: kept raw */
};
#define SEL_TYPE_SYSTEM		0x02
#define SEL_TYPE_OEM_TS		0xc0
#define SEL_TYPE_OEM		0xe0

/*
 * Time stamps 00000000h-20000000h count seconds since the log was
 * initialized, not since the epoch (37.1): a BMC that has not been told
 * the time yet.  They are kept as they are and flagged pre_init.
 * (ipmitool prints "Pre-Init" below 20000000h; the spec includes it.)
 */
#define SEL_TS_PRE_INIT		0x20000000u

/* What event data 2 and 3 hold (event data 1 [7:6] and [5:4], 29.7). */
enum sel_data_use {
	SEL_DATA_UNSPECIFIED = 0,
	SEL_DATA_TRIGGER = 1,	/* threshold: trigger reading in data 2 and
				 * threshold in data 3; discrete: previous
				 * state and severity in data 2 */
	SEL_DATA_OEM = 2,
	SEL_DATA_SENSOR = 3,	/* sensor-specific extension code */
};

struct sel_entry {
	uint16_t	id;		/* record ID */
	uint8_t		type;		/* record type, as on the wire */
	uint8_t		kind;		/* enum sel_kind */
	int		unknown;	/* kind SEL_KIND_UNKNOWN: raw only */
	int		has_timestamp;	/* system and OEM timestamped */
	uint32_t	timestamp;
	int		pre_init;	/* timestamp <= SEL_TS_PRE_INIT */
	/* system event records (02h) */
	uint16_t	generator;	/* bytes 8-9, little-endian, as ipmitool */
	uint8_t		gen_id;		/* byte 8 [7:1]: slave address >> 1 or
					 * software ID >> 1 */
	int		gen_software;	/* byte 8 [0]: a software ID */
	uint8_t		gen_channel;	/* byte 9 [7:4] */
	uint8_t		gen_lun;	/* byte 9 [1:0] */
	uint8_t		evm_rev;	/* 04h for IPMI 1.5 and 2.0 */
	uint8_t		sensor_type;	/* table 42-3 */
	uint8_t		sensor_number;
	uint8_t		direction;	/* 0 assertion, 1 deassertion */
	uint8_t		event_type;	/* event/reading type code, 7 bits */
	uint8_t		data[3];	/* event data 1-3 */
	uint8_t		offset;		/* data 1 [3:0] */
	uint8_t		data2_use;	/* enum sel_data_use, data 1 [7:6] */
	uint8_t		data3_use;	/* enum sel_data_use, data 1 [5:4] */
	/* OEM records */
	uint32_t	manufacturer;	/* C0h-DFh: IANA number, 3 bytes LE */
	uint8_t		oem[13];	/* 6 bytes (C0h-DFh) or 13 (E0h-FFh) */
	size_t		oem_len;
	uint8_t		raw[SEL_ENTRY_LEN];
};

/*
 * Decode one entry from len bytes.  Returns 0, or IPMI_E_SHORT when len is
 * under 16.  Bytes past 16 are ignored.  Every record type decodes: the
 * unknown ones keep the ID, the type and the raw bytes.
 */
int	sel_decode(const uint8_t *rec, size_t len, struct sel_entry *);

/* "System Event", "OEM timestamped", "OEM non-timestamped", "Unknown". */
const char *sel_kind_name(int kind);

/*
 * Severity of one entry, in the spirit of FreeIPMI's SEL interpretation.
 * Every deassertion event, OEM and unknown record, and anything not in
 * this table is info.  Assertions:
 *
 *   threshold (event type 01h), by offset:
 *     0 lower non-critical going low, 7 upper non-critical going high,
 *     3 lower critical going high, 8 upper critical going low      warning
 *     2 lower critical going low, 9 upper critical going high,
 *     4, 5, 10, 11 (non-recoverable, either way)                   critical
 *     1 lower non-critical going high, 6 upper non-critical going
 *     low (back inside the bounds)                                 info
 *   sensor-specific (6Fh), by sensor type and offset:
 *     05h physical security: 0 chassis intrusion                   warning
 *     07h processor: 0 IERR, 1 thermal trip, 2-4 FRB1-3 failure,
 *         5 configuration error, 6 uncorrectable CPU-complex error,
 *         0Bh uncorrectable machine check                          critical
 *         0Ah throttled, 0Ch correctable machine check             warning
 *     08h power supply: 1 failure detected, 3 AC lost, 4 AC lost or
 *         out of range                                             critical
 *         2 predictive failure, 5 out of range but present,
 *         6 configuration error                                    warning
 *     09h power unit: 4 AC lost, 5 soft power control failure,
 *         6 power unit failure                                     critical
 *         2 240VA power down, 3 interlock power down,
 *         7 predictive failure                                     warning
 *         0 power off, 1 power cycle                               info
 *     0Ch memory: 1 uncorrectable ECC, 2 parity, 3 scrub failed,
 *         0Ah critical overtemperature                             critical
 *         0 correctable ECC, 4 device disabled, 5 correctable ECC
 *         logging limit reached, 7 configuration error,
 *         9 throttled                                              warning
 *     0Dh drive slot: 1 drive fault, 5 in critical array,
 *         6 in failed array                                        critical
 *         2 predictive failure, 8 rebuild aborted                  warning
 *     0Fh system firmware progress: 0 error, 1 hang                warning
 *     10h event logging disabled: 4 SEL full                       warning
 *         2 log area reset/cleared                                 info
 *     13h critical interrupt: 2 I/O channel check NMI, 4 PCI PERR,
 *         5 PCI SERR, 8 bus uncorrectable, 9 fatal NMI, 0Ah bus
 *         fatal                                                    critical
 *         0 front panel NMI, 1 bus timeout, 7 bus correctable,
 *         0Bh bus degraded                                         warning
 *     20h OS stop: 0 critical stop during load, 1 run-time
 *         critical stop                                            critical
 *     presence detected (any sensor type)                          info
 *   generic discrete:
 *     04h predictive failure: 1 asserted                           warning
 *     05h limit: 1 exceeded                                        critical
 *     06h performance: 1 lags                                      warning
 *     07h severity: 1 and 4 (non-critical)                         warning
 *                   2, 3, 5, 6 (critical, non-recoverable)         critical
 *     0Ah availability: 6 degraded, 8 install error                warning
 *     0Bh redundancy: 1 lost, 2 degraded, 3 and 4 non-redundant
 *         sufficient, 6 and 7 degraded                             warning
 *         5 non-redundant, insufficient resources                  critical
 */
enum sel_severity {
	SEL_SEV_INFO,
	SEL_SEV_WARNING,
	SEL_SEV_CRITICAL,
};
int	sel_severity(const struct sel_entry *);
const char *sel_severity_name(int);		/* "info", "warning", ... */
/* "info" etc. (any case) to the enum; -1 when none. */
int	sel_severity_parse(const char *);

/*
 * The description column of `ipmitool sel elist` into out (always
 * terminated when len > 0); returns the length it needed, as snprintf.
 *   system events: the spec's words for the event (ipmi_event_string):
 *     "Upper Critical going high", "Power Supply AC lost",
 *     "Correctable ECC"; nothing for an offset the tables do not define
 *     and for OEM event types (ipmitool prints an empty column there).
 *     Without the sensor's SDR ipmitool appends nothing to threshold
 *     events; sel_threshold_values gives what it would.
 *   OEM records: "OEM record c1", as ipmitool.
 *   unknown record types: "Unknown record type 0x05".
 */
size_t	sel_describe(const struct sel_entry *, char *out, size_t len);

/*
 * The trigger reading (event data 2) and threshold (data 3) of a threshold
 * event, when data 1 says they are there (SEL_DATA_TRIGGER).
 * sel_threshold_raw: returns the SEL_TV_* bits of what it set, or
 * IPMI_E_INVAL when the entry is not a threshold system event.
 * sel_threshold_values: the same, converted with the sensor's factors
 * (sensor_convert); with factors NULL the raw bytes as numbers.  A value
 * the conversion fails on is left unset and its bit clear.  Either pointer
 * may be NULL.
 */
enum {
	SEL_TV_READING = 1 << 0,
	SEL_TV_THRESHOLD = 1 << 1,
};
int	sel_threshold_raw(const struct sel_entry *, uint8_t *reading,
	    uint8_t *threshold);
int	sel_threshold_values(const struct sel_entry *,
	    const struct sdr_factors *, double *reading, double *threshold);
/*
 * How the trigger reading compares with the threshold, '>' or '<': a
 * "going high" offset (odd) asserted means above, and its deassertion
 * means back below; "going low" the other way round.
 */
char	sel_threshold_cmp(const struct sel_entry *);

/* --- the walker -------------------------------------------------------- */

/*
 * Get SEL Info, Reserve SEL when the info says it is supported, then Get
 * SEL Entry of whole entries (offset 0, count FFh) following next-entry IDs
 * from 0000h until FFFFh.
 *
 *   sel_walk_init(&w, buf, cap, 0);
 *   while ((rc = sel_walk_next(&w, &req)) == IPMI_WALK_SEND)
 *           ... send, then sel_walk_feed(&w, cc, data, len) ...
 *   // rc == IPMI_WALK_DONE: w.nrecords entries of 16 bytes in buf
 *   for (i = 0; i < w.nrecords; i++)
 *           sel_decode(buf + i * SEL_ENTRY_LEN, SEL_ENTRY_LEN, &e);
 *
 * With SEL_WALK_INFO_ONLY the walk is DONE once the log info is in w.info
 * (entries and timestamps, the key of a cache).  w.have_info is set as
 * soon as it is known.
 *
 * Bounds and retries:
 *   - entries 0 in the info (whatever the free space says), or CBh to the
 *     first Get SEL Entry, is DONE with no entries.
 *   - C1h to Reserve SEL (not supported) goes on with reservation 0, which
 *     whole-entry reads accept.
 *   - C5h (reservation cancelled: the log changed) reserves again and asks
 *     for the same entry, at most SEL_RESERVE_RETRIES times per walk.
 *   - C7h, C8h, CAh or FFh to a count of FFh asks for 16 bytes instead,
 *     once per walk.
 *   - an answer with more than 16 entry bytes keeps the first 16; one with
 *     fewer fails with IPMI_E_MALFORMED.
 *   - a next-record ID among the first SEL_SEEN_IDS entry IDs the walk
 *     met (asked or answered: a chain that loops back to its start, as
 *     the ID space wrapping does), or more entries than entries +
 *     SEL_EXTRA_RECORDS (at most SEL_MAX_RECORDS), fails with
 *     IPMI_E_MALFORMED: never a loop.  A chain looping back further in
 *     ends at that bound (the IDs of a whole log, 8 KiB a walker, cost
 *     too much memory with every BMC of a fleet in flight).
 *   - buf full while the chain goes on is DONE with w.truncated set and
 *     the entry not read in w.next: the oldest entries are kept.
 *     SEL_BUF_MAX always suffices.
 *   - any other completion code fails with IPMI_E_CC and the code in w.cc.
 * After a failure the w.nrecords entries read so far stay in buf.
 *
 * The walker holds a pointer to buf and writes only buf[0..cap); the caller
 * owns buf and keeps it alive until the walk ends.  struct sel_walk is
 * about 200 bytes.
 */
#define SEL_SEEN_IDS		64
#define SEL_RESERVE_RETRIES	5
#define SEL_EXTRA_RECORDS	16	/* events logged while we read */
#define SEL_MAX_RECORDS		65535
#define SEL_BUF_MAX		((size_t)SEL_MAX_RECORDS * SEL_ENTRY_LEN)

enum { SEL_WALK_INFO_ONLY = 1 << 0 };

enum sel_walk_state {
	SEL_WALK_INFO,		/* Get SEL Info to send */
	SEL_WALK_INFO_WAIT,
	SEL_WALK_RESERVE,	/* Reserve SEL to send */
	SEL_WALK_RESERVE_WAIT,
	SEL_WALK_READ,		/* Get SEL Entry to send */
	SEL_WALK_READ_WAIT,
	SEL_WALK_DONE,
	SEL_WALK_FAILED,
};

struct sel_walk {
	uint8_t			*buf;		/* the caller's */
	size_t			 cap;		/* bytes */
	size_t			 len;		/* nrecords * 16 */
	int			 flags;		/* SEL_WALK_* */
	int			 have_info;
	struct ipmi_sel_info_rsp info;
	uint16_t		 resv;		/* reservation ID */
	uint16_t		 id;		/* entry being read */
	uint16_t		 next;		/* next entry ID, as answered */
	uint8_t			 count;		/* FFh, or 16 after a refusal */
	unsigned		 reserves;	/* re-reservations spent */
	unsigned		 nrecords;	/* whole entries in buf */
	unsigned		 limit;		/* most entries we accept */
	unsigned		 requests;	/* sent, for statistics */
	int			 truncated;	/* buf filled before the end */
	enum sel_walk_state	 state;
	int			 err;		/* enum ipmi_err when FAILED */
	uint8_t			 cc;		/* failing completion code, or 0 */
	/* FAILED on what the BMC said, IPMI_E_MALFORMED: what was wrong
	 * ("the next-record chain loops back"...), a static string for
	 * messages; NULL otherwise */
	const char		*why;
	uint16_t		 seen[SEL_SEEN_IDS]; /* the first entry IDs */
	unsigned		 nseen;
};

void	sel_walk_init(struct sel_walk *, uint8_t *buf, size_t cap, int flags);
int	sel_walk_next(struct sel_walk *, struct ipmi_req *);
int	sel_walk_feed(struct sel_walk *, uint8_t cc, const uint8_t *data,
	    size_t len);
const char *sel_walk_state_name(int);

/*
 * Clearing the log: Reserve SEL, Clear SEL with AAh (initiate), then Clear
 * SEL with 00h (get status) until the erase is completed.
 *
 *   sel_clear_init(&c);
 *   while ((rc = sel_clear_next(&c, &req)) == IPMI_WALK_SEND)
 *           ... send (wait a little first when c.state is
 *               SEL_CLEAR_STATUS_WAIT: an erase takes a while), then
 *               sel_clear_feed(&c, cc, data, len) ...
 *   // rc == IPMI_WALK_DONE: the log is empty
 *
 *   - C1h to Reserve SEL goes on with reservation 0.
 *   - C5h reserves again and repeats the Clear SEL, at most
 *     SEL_RESERVE_RETRIES times.
 *   - an initiate answered without the progress byte counts as in
 *     progress; a status answer without it fails with IPMI_E_SHORT.
 *   - the SEL_CLEAR_POLLS-th status answer "in progress" fails with
 *     IPMI_E_TIMEOUT; c.initiated then says the erase did start.
 *   - any other completion code fails with IPMI_E_CC and the code in c.cc.
 */
#define SEL_CLEAR_POLLS		10

enum sel_clear_state {
	SEL_CLEAR_RESERVE,	/* Reserve SEL to send */
	SEL_CLEAR_RESERVE_WAIT,
	SEL_CLEAR_ERASE,	/* Clear SEL, initiate, to send */
	SEL_CLEAR_ERASE_WAIT,
	SEL_CLEAR_POLL,		/* Clear SEL, get status, to send */
	SEL_CLEAR_STATUS_WAIT,
	SEL_CLEAR_DONE,
	SEL_CLEAR_FAILED,
};

struct sel_clear {
	uint16_t		 resv;
	unsigned		 reserves;	/* re-reservations spent */
	unsigned		 polls;		/* status answers in progress */
	unsigned		 requests;	/* sent, for statistics */
	int			 initiated;	/* the BMC accepted the erase */
	enum sel_clear_state	 state;
	int			 err;
	uint8_t			 cc;
};

void	sel_clear_init(struct sel_clear *);
int	sel_clear_next(struct sel_clear *, struct ipmi_req *);
int	sel_clear_feed(struct sel_clear *, uint8_t cc, const uint8_t *data,
	    size_t len);
const char *sel_clear_state_name(int);

#endif
