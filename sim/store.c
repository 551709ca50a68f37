/*
 * store: the state a simulated BMC keeps beyond power, its fleet-wide
 * settings, and the dispatch of the store's commands to the SEL, FRU,
 * DCMI and boot option files (store_int.h).  See store.h for what each
 * command does; the choices that are ours, not the spec's, are commented
 * where they are made.
 */
#include <stdlib.h>

#include "ipmi/fru.h"
#include "ipmi/ipmi.h"
#include "store_int.h"

/* --- configuration ------------------------------------------------------ */

unsigned	store_cfg_capacity = SIM_SEL_CAPACITY;
uint32_t	store_cfg_epoch = SIM_SEL_EPOCH;
uint64_t	store_cfg_start;
uint32_t	store_cfg_gap_ms;	/* --sel-rate; 0: by seed */

void
sim_store_sel_rate(unsigned per_min)
{
	store_cfg_gap_ms = per_min ? 60000u / per_min : 0;
	if (per_min && store_cfg_gap_ms == 0)
		store_cfg_gap_ms = 1;
}

void
sim_store_configure(unsigned capacity, uint32_t epoch)
{
	if (capacity == 0)
		capacity = SIM_SEL_CAPACITY;
	if (capacity > SIM_SEL_CAPACITY_MAX)
		capacity = SIM_SEL_CAPACITY_MAX;
	store_cfg_capacity = capacity;
	store_cfg_epoch = epoch ? epoch : SIM_SEL_EPOCH;
}

void
sim_store_start(uint64_t now)
{
	store_cfg_start = now;
}

/* --- per-BMC state ------------------------------------------------------- */

struct sim_store *
store_get(struct sim_bmc *b)
{
	if (b->store == NULL)
		b->store = calloc(1, sizeof(*b->store));
	return b->store;
}

void
sim_store_free(struct sim_bmc *b)
{
	if (b->store != NULL)
		free(b->store->sel);
	free(b->store);
	b->store = NULL;
}

/* --- dispatch ----------------------------------------------------------- */

enum {
	CMD_GET_SEL_ALLOC = 0x41,
	CMD_SET_SEL_TIME = 0x49,
};

int
sim_store_handle(struct sim_bmc *b, uint64_t now, uint8_t priv,
    const struct ipmi_msg *req, struct buf *w)
{
	switch (req->netfn) {
	case IPMI_NETFN_STORAGE:
		switch (req->cmd) {
		case IPMI_CMD_GET_FRU_INFO:
			return store_fru_info(b, req, w);
		case IPMI_CMD_READ_FRU:
			return store_fru_read(b, req, w);
		case IPMI_CMD_GET_SEL_INFO:
			return store_sel_info(b, now, req, w);
		case CMD_GET_SEL_ALLOC:
			return store_sel_alloc(b, now, req, w);
		case IPMI_CMD_RESERVE_SEL:
			return store_sel_reserve(b, now, req, w);
		case IPMI_CMD_GET_SEL_ENTRY:
			return store_sel_entry(b, now, req, w);
		case IPMI_CMD_CLEAR_SEL:
			return store_sel_clear(b, now, priv, req, w);
		case IPMI_CMD_GET_SEL_TIME:
			return store_sel_get_time(b, now, req, w);
		case CMD_SET_SEL_TIME:
			return store_sel_set_time(b, now, priv, req);
		}
		break;
	case IPMI_NETFN_GROUP:
		return store_dcmi_handle(b, now, req, w);
	case IPMI_NETFN_CHASSIS:
		switch (req->cmd) {
		case IPMI_CMD_SET_BOOT_OPTIONS:
			return store_boot_set(b, priv, req);
		case IPMI_CMD_GET_BOOT_OPTIONS:
			return store_boot_get(b, req, w);
		}
		break;
	}
	return -1;
}
