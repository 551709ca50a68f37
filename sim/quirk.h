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
};

/* The bit of a quirk's name, or 0 when unknown. */
uint32_t	 sim_quirk_lookup(const char *name);
/* The i-th name (0-based), NULL past the last. */
const char	*sim_quirk_name(size_t i);
/* Every name, comma-separated, for messages. */
const char	*sim_quirk_names(void);

#endif
