/*
 * traprx: bmcfleetd's PET trap listener.  One UDP socket on the loop;
 * each datagram is decoded by ipmi/pet (SNMPv1 Trap-PDU, enterprise
 * 1.3.6.1.4.1.3183.1.1, the PET variable binding), then judged:
 *
 *   the source address is a configured BMC's (the map, built from the
 *   config at load and reload)  -> else "unknown source"
 *   it decodes as SNMPv1          -> else "bad BER"
 *   enterprise 3183.1.1           -> else "wrong enterprise"
 *   a PET variable binding        -> else "not a PET"
 *   the PET's GUID is the BMC's, where the BMC's is known
 *                                 -> else "GUID mismatch"
 *   a resend (same BMC, sequence and timestamp within a minute) is
 *   "repeat": handed on (it is acknowledged again) but marked, so it is
 *   not processed twice.
 *
 * A dropped trap is counted by reason and never handed on; at most one
 * log line per reason per minute.  The judgement is pure
 * (traprx_judge), so the unit tests hold it without sockets.
 */
#ifndef BMCFLEET_COLLECTOR_TRAPRX_H
#define BMCFLEET_COLLECTOR_TRAPRX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct loop;

enum traprx_verdict {
	TRAPRX_OK = 0,
	TRAPRX_UNKNOWN_SOURCE,
	TRAPRX_BAD_BER,
	TRAPRX_WRONG_ENTERPRISE,
	TRAPRX_NOT_PET,
	TRAPRX_GUID_MISMATCH,
	TRAPRX_REPEAT,		/* accepted, a resend of one seen */
	TRAPRX_NVERDICTS
};
/* "unknown source", "bad BER", ... */
const char *traprx_verdict_name(enum traprx_verdict);

/* What bmcfleetd uses of a PET (ipmi/pet decodes it). */
struct traprx_pet {
	uint8_t		 guid[16];
	uint16_t	 sequence;
	uint32_t	 local_ts;	/* unix seconds; 0 unspecified */
	uint32_t	 raw_ts;	/* as the PET has it (for the ack) */
	uint8_t		 source_type;	/* event source type */
	uint8_t		 sensor_device;
	uint8_t		 sensor_number;
	uint8_t		 sensor_type;	/* from the specific trap */
	uint8_t		 event_type;	/* event/reading type */
	uint8_t		 offset;	/* event offset (specific trap) */
	int		 deassert;
	uint8_t		 event_data[8];
	uint32_t	 specific_trap;
	const char	*severity;	/* our severity word (static) */
	/* the PET as a 16-byte SEL-style entry, record ID 0000h (no real
	 * entry has it), for a PET-only event and its description */
	uint8_t		 sel[16];
};

/*
 * Decode a datagram into *pet: TRAPRX_OK, or the reason it is not a PET
 * (bad BER, wrong enterprise, not a PET).  Pure.
 */
enum traprx_verdict traprx_decode(const uint8_t *dgram, size_t len,
	    struct traprx_pet *pet);

/* Source addresses of configured BMCs, to their config index. */
struct traprx_addr {
	uint8_t		 family;	/* AF_INET, AF_INET6 */
	uint8_t		 a[16];
	size_t		 bmc;
};
struct traprx_map {
	struct traprx_addr *v;		/* sorted by traprx_map_sort */
	size_t		 n, cap;
};
/* Add an address (numeric or a name, resolved now: blocking, so only at
 * load): 0, or -1 when it does not resolve or on ENOMEM. */
int	traprx_map_add(struct traprx_map *, const char *host, size_t bmc);
void	traprx_map_sort(struct traprx_map *);
/* The BMC of an address: 0 and *bmc, or -1. */
int	traprx_map_find(const struct traprx_map *, const struct sockaddr *,
	    size_t *bmc);
void	traprx_map_release(struct traprx_map *);

/*
 * The verdict on a datagram from `from`, decoded with `decoded` (the
 * traprx_decode result) into pet: the BMC in *bmc when TRAPRX_OK.
 * known_guid is the BMC's GUID or NULL when unknown (asked only once the
 * source is known); a GUID matches as sent or byte-reversed (the spec's
 * revisions disagree on GUID byte order).  Pure.
 */
enum traprx_verdict traprx_judge(const struct traprx_map *,
	    const struct sockaddr *from, enum traprx_verdict decoded,
	    const struct traprx_pet *pet,
	    const uint8_t *(*known_guid)(void *arg, size_t bmc), void *arg,
	    size_t *bmc);

struct traprx_stats {
	uint64_t	 received;
	uint64_t	 accepted;	/* repeats included */
	uint64_t	 n[TRAPRX_NVERDICTS];	/* by verdict */
};

struct traprx_trap {
	size_t		 bmc;		/* config index */
	struct traprx_pet pet;
	int		 repeat;	/* a resend of one handed on already */
	uint64_t	 received_ms;	/* wall clock */
	char		 from[64];	/* source address, text */
	const uint8_t	*dgram;		/* valid during the call */
	size_t		 len;
};

struct traprx_cfg {
	/* an accepted trap */
	void		(*on_trap)(void *arg, const struct traprx_trap *);
	const uint8_t	*(*known_guid)(void *arg, size_t bmc);
	void		(*log)(void *arg, const char *line);
	void		*arg;
};

#define TRAPRX_PORT		162
#define TRAPRX_FALLBACK_PORT	10162

struct traprx;
/*
 * Listen on `listen`: "ADDR:PORT", "ADDR", ":PORT" or "[V6]:PORT"; NULL
 * is every address, port 162.  Port 162 refused (EACCES: no privilege)
 * falls back to TRAPRX_FALLBACK_PORT, said through log.  NULL with err
 * on failure.  cfg is copied.
 */
struct traprx *traprx_open(struct loop *, const char *listen,
	    const struct traprx_cfg *, char *err, size_t errlen);
/* The map of sources, replacing (and freeing) the one before: taken. */
void	traprx_set_map(struct traprx *, struct traprx_map *);
/* "0.0.0.0:10162": where it listens. */
const char *traprx_where(const struct traprx *);
const struct traprx_stats *traprx_stats(const struct traprx *);
/* "12 received, 10 accepted, 2 dropped (unknown source 2)" */
void	traprx_stats_words(const struct traprx_stats *, char *, size_t);
void	traprx_close(struct traprx *);

/*
 * The new SEL entry a trap announced, among n entries (16 bytes each)
 * read after it: same sensor type and number, event type, direction,
 * offset and event data 1-3 (else the offset alone), the closest in time to the PET's timestamp (within 5
 * minutes; either timestamp unknown: the last such entry); entries whose
 * `taken` byte is set are skipped (linked to another trap already).
 * The index, or -1.  Pure.
 */
long	traprx_match(const struct traprx_pet *, const uint8_t *entries,
	    size_t n, const uint8_t *taken);

#endif
