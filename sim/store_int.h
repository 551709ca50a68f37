/*
 * store_int: what the files of bmcsim's store (store.h) share, and nothing
 * else includes.
 *
 *   store.c       the fleet-wide settings, the per-BMC state (allocated
 *                 on first need) and the dispatch of the store's commands
 *   store_sel.c   the SEL: its records, the prehistory, the events that
 *                 come as time goes by and with power changes, the SEL
 *                 commands, and bmcsim's own view of the log
 *   store_fru.c   the FRU devices: each model's look, the images, Get FRU
 *                 Inventory Area Info and Read FRU Data
 *   store_dcmi.c  DCMI: capabilities, the power draw over time, Get Power
 *                 Reading
 *   store_boot.c  the system boot options
 *
 * Each command handler takes the request and returns its completion code
 * with the response data in w (NEED and ENC below), as sim_store_handle
 * returns it.
 */
#ifndef BMCFLEET_SIM_STORE_INT_H
#define BMCFLEET_SIM_STORE_INT_H

#include <stdint.h>

#include "bmcstate.h"
#include "ipmi/boot.h"
#include "ipmi/buf.h"
#include "ipmi/msg.h"
#include "ipmi/sel.h"
#include "store.h"

/* Fleet-wide: sim_store_configure and sim_store_start (store.c). */
extern unsigned	store_cfg_capacity;	/* SEL entries */
extern uint32_t	store_cfg_epoch;	/* SEL time at the start, s since 1970 */
extern uint64_t	store_cfg_start;	/* the simulator clock at the start, ms */
extern uint32_t	store_cfg_gap_ms;	/* --sel-rate's gap; 0: by seed */

struct sim_store {
	/* SEL: sel[i] is the entry with record ID i + 1 */
	uint8_t		(*sel)[SEL_ENTRY_LEN];
	unsigned	 nsel;
	unsigned	 nalloc;
	int		 sel_ready;	/* prehistory made */
	int		 overflow;	/* an event was dropped: log full */
	uint16_t	 resv;		/* last reservation; 0 none yet */
	uint32_t	 add_ts;
	uint32_t	 erase_ts;
	int64_t		 time_offset;	/* Set SEL Time, seconds */
	uint64_t	 sched_k;	/* next scheduled event */
	uint64_t	 sched_at;	/* its time, ms after the start */
	int		 temp_high;	/* CPU1 Temp over UNC (scheduled) */
	int		 ps1_lost;	/* PS1 AC lost (scheduled) */
	int		 ps2_failed;	/* PS2 failure (scheduled) */
	/* FRU */
	uint8_t		 fru_rev[2];	/* sim_store_fru_swap count */
	/* boot options */
	uint8_t		 boot_progress;	/* parameter 0 */
	uint8_t		 boot_clearing;	/* parameter 3 */
	uint8_t		 boot_ack;	/* parameter 4 */
	uint8_t		 boot_flags[BOOT_FLAGS_LEN]; /* parameter 5 */
	int		 boot_locked;	/* parameter 5 marked invalid/locked */
};

/* b->store, allocated if need be; NULL out of memory. */
struct sim_store *store_get(struct sim_bmc *);

/* --- deterministic numbers ---------------------------------------------- */

enum {
	TAG_PREHISTORY = 1, TAG_GAP, TAG_KIND, TAG_DATA, TAG_SERIAL,
	TAG_BOARD, TAG_PSU, TAG_MFG, TAG_WATTS, TAG_NOISE,
};

static inline uint64_t
fin64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number from the BMC's seed, a purpose and an index. */
static inline uint64_t
hash(const struct sim_bmc *b, unsigned tag, uint64_t i)
{
	return fin64(b->seed ^ fin64(((uint64_t)tag << 48 ^ i) +
	    0x9e3779b97f4a7c15ULL));
}

#define NEED(n)	do { if (req->len != (n)) return IPMI_CC_REQ_LEN; } while (0)
#define ENC(expr) \
	do { if ((expr) != 0) return IPMI_CC_UNSPECIFIED; } while (0)

/* store_sel.c */
/* The SEL clock at ms (st may be NULL: no Set SEL Time yet). */
uint32_t store_sel_time(const struct sim_store *st, uint64_t ms);
int	store_sel_info(struct sim_bmc *, uint64_t now, const struct ipmi_msg *,
	    struct buf *);
int	store_sel_alloc(struct sim_bmc *, uint64_t now, const struct ipmi_msg *,
	    struct buf *);
int	store_sel_reserve(struct sim_bmc *, uint64_t now, const struct ipmi_msg *,
	    struct buf *);
int	store_sel_entry(struct sim_bmc *, uint64_t now, const struct ipmi_msg *,
	    struct buf *);
int	store_sel_clear(struct sim_bmc *, uint64_t now, uint8_t priv,
	    const struct ipmi_msg *, struct buf *);
int	store_sel_get_time(struct sim_bmc *, uint64_t now, const struct ipmi_msg *,
	    struct buf *);
int	store_sel_set_time(struct sim_bmc *, uint64_t now, uint8_t priv,
	    const struct ipmi_msg *);

/* store_fru.c */
int	store_fru_info(struct sim_bmc *, const struct ipmi_msg *, struct buf *);
int	store_fru_read(struct sim_bmc *, const struct ipmi_msg *, struct buf *);

/* store_dcmi.c: the group extension netfn; -1 when not DCMI's */
int	store_dcmi_handle(struct sim_bmc *, uint64_t now, const struct ipmi_msg *,
	    struct buf *);

/* store_boot.c */
int	store_boot_set(struct sim_bmc *, uint8_t priv, const struct ipmi_msg *);
int	store_boot_get(struct sim_bmc *, const struct ipmi_msg *, struct buf *);

#endif
