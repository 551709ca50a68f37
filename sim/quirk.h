/*
 * quirk: firmware bugs bmcsim can reproduce, per BMC, so that each of
 * bmcfleet's workarounds (-W, `workarounds:`) has a BMC that needs it.  A
 * quirk is named after the workaround that copes with it; docs/bmcsim.1
 * describes what each BMC then does wrong.
 */
#ifndef BMCFLEET_SIM_QUIRK_H
#define BMCFLEET_SIM_QUIRK_H

#include <stddef.h>
#include <stdint.h>

enum {
	SIM_Q_AUTHCAP = 1 << 0,		/* "authcap" */
	SIM_Q_SEQ_RESET = 1 << 1,	/* "ignore-seq-reset" */
	SIM_Q_OPENSESSPRIV = 1 << 2,	/* "open-session-priv" */
	SIM_Q_ICV = 1 << 3,		/* "integrity-check-value" */
	SIM_Q_SDR_SMALL_READS = 1 << 4,	/* "sdr-small-reads" */
	SIM_Q_INTEL20 = 1 << 5,		/* "intel20" */
	SIM_Q_SUPERMICRO20 = 1 << 6,	/* "supermicro20" */
	SIM_Q_SUN20 = 1 << 7,		/* "sun20" */
	SIM_Q_NAME_LOOKUP = 1 << 8,	/* "no-name-lookup" */
	SIM_Q_NO_DCMI = 1 << 9,		/* "no-dcmi" */
	/* Get Channel Cipher Suites never answered (OpenIPMI's ipmi_sim,
	 * older firmware): the client falls back to a suite of its own */
	SIM_Q_NO_CIPHER_SUITES = 1 << 10, /* "no-cipher-suites" */
};

/*
 * Hostile BMCs (issue 11): not firmware bugs a workaround copes with but
 * behaviour a client must survive within its deadline, failing the host
 * by a clear reason or, where the protocol allows, succeeding.  They start
 * at bit 16, apart from the firmware quirks above.  docs/bmcsim.1,
 * "HOSTILE BMCS", says what each does; sim/hostile.h plays them.
 */
enum {
	SIM_Q_SLOW = 1 << 16,		/* "slow": every answer after slow_ms */
	SIM_Q_DRIP = 1 << 17,		/* "drip": SDR, FRU 1 byte a read */
	SIM_Q_CHURN = 1 << 18,		/* "churn": SDR add time moves */
	SIM_Q_ENDLESS_SEL = 1 << 19,	/* "endless-sel" */
	SIM_Q_LIE_SDR_LEN = 1 << 20,	/* "lie-sdr-length" */
	SIM_Q_LIE_FRU_OFFSET = 1 << 21,	/* "lie-fru-offset" */
	SIM_Q_LIE_SEL_COUNT = 1 << 22,	/* "lie-sel-count" */
	SIM_Q_LIE_RMCPP_LEN = 1 << 23,	/* "lie-rmcpp-length" */
	SIM_Q_DUPLICATE = 1 << 24,	/* "duplicate": every answer twice */
	SIM_Q_REORDER = 1 << 25,	/* "reorder": a stale answer after */
	SIM_Q_NO_SLOT = 1 << 26,	/* "no-slot": every session refused */
	SIM_Q_REBOOT = 1 << 27,		/* "reboot": forgets every session */
	SIM_Q_LIE_SDR_KEY = 1 << 28,	/* "lie-sdr-key": another repository
					 * behind its model's key */
};
/* "lie-lengths": the length lies of answers inside a session */
#define SIM_Q_LIES	(SIM_Q_LIE_SDR_LEN | SIM_Q_LIE_FRU_OFFSET | \
			 SIM_Q_LIE_SEL_COUNT)
#define SIM_Q_HOSTILE	0x1fff0000u	/* every hostile bit */

#define SIM_SLOW_MS		900	/* default slow_ms: 90% of bmcfleet's
					 * default 1000 ms timeout */
#define SIM_REBOOT_AFTER	20	/* default reboot_after: in-session
					 * requests between reboots */

/* The bits of a quirk's name (a group name has several), 0 when unknown. */
uint32_t	 sim_quirk_lookup(const char *name);
/* The i-th name (0-based), NULL past the last. */
const char	*sim_quirk_name(size_t i);
/* Every name, comma-separated, for messages. */
const char	*sim_quirk_names(void);
/*
 * A comma list of quirk names ("authcap,intel20"; empty entries pass)
 * into the OR of their bits: 0, or -1 with the unknown entry at *bad,
 * *badlen bytes (lib/text's text_parse_flags over this table).
 */
int		 sim_quirk_parse(const char *list, uint32_t *bits,
		    const char **bad, size_t *badlen);

/*
 * --hostile: the quirks of the k-th BMC (0-based) of a --hostile list.
 * The BMCs of the list take SIM_HOSTILE_KINDS sets in turn: slow, drip,
 * churn, endless-sel, lie-lengths, lie-rmcpp-length, duplicate+reorder,
 * no-slot, reboot; then slow again.
 */
#define SIM_HOSTILE_KINDS	9
uint32_t	 sim_quirk_hostile_nth(uint32_t k);

struct json;

/* The names of bits as a JSON array, single names only (no groups). */
void		 sim_quirk_json(uint32_t bits, struct json *);

#endif
