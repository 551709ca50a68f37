/*
 * quirk: names <-> bits.
 */
#include <string.h>

#include "sim/quirk.h"

static const struct {
	const char	*name;
	uint32_t	 bit;
} table[] = {
	{ "authcap", SIM_Q_AUTHCAP },
	{ "ignore-seq-reset", SIM_Q_SEQ_RESET },
	{ "open-session-priv", SIM_Q_OPENSESSPRIV },
	{ "integrity-check-value", SIM_Q_ICV },
	{ "sdr-small-reads", SIM_Q_SDR_SMALL_READS },
	{ "intel20", SIM_Q_INTEL20 },
	{ "supermicro20", SIM_Q_SUPERMICRO20 },
	{ "sun20", SIM_Q_SUN20 },
	{ "no-name-lookup", SIM_Q_NAME_LOOKUP },
	{ "no-dcmi", SIM_Q_NO_DCMI },
};
#define NTABLE	(sizeof(table) / sizeof(table[0]))

uint32_t
sim_quirk_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (strcmp(name, table[i].name) == 0)
			return table[i].bit;
	return 0;
}

const char *
sim_quirk_name(size_t i)
{
	return i < NTABLE ? table[i].name : NULL;
}

const char *
sim_quirk_names(void)
{
	return "authcap, ignore-seq-reset, open-session-priv, "
	    "integrity-check-value, sdr-small-reads, intel20, supermicro20, "
	    "sun20, no-name-lookup, no-dcmi";
}
