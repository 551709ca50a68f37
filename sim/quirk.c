/*
 * quirk: names <-> bits (a lib/text flag table, as bmcfleet's workarounds).
 */
#include "lib/json.h"
#include "lib/text.h"
#include "sim/quirk.h"

static const struct text_flag table[] = {
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
	/* hostile BMCs */
	{ "slow", SIM_Q_SLOW },
	{ "drip", SIM_Q_DRIP },
	{ "churn", SIM_Q_CHURN },
	{ "endless-sel", SIM_Q_ENDLESS_SEL },
	{ "lie-sdr-length", SIM_Q_LIE_SDR_LEN },
	{ "lie-fru-offset", SIM_Q_LIE_FRU_OFFSET },
	{ "lie-sel-count", SIM_Q_LIE_SEL_COUNT },
	{ "lie-rmcpp-length", SIM_Q_LIE_RMCPP_LEN },
	{ "duplicate", SIM_Q_DUPLICATE },
	{ "reorder", SIM_Q_REORDER },
	{ "no-slot", SIM_Q_NO_SLOT },
	{ "reboot", SIM_Q_REBOOT },
	{ "lie-sdr-key", SIM_Q_LIE_SDR_KEY },
	{ "no-cipher-suites", SIM_Q_NO_CIPHER_SUITES },
	/* groups: after the single names, so sim_quirk_json never picks one */
	{ "lie-lengths", SIM_Q_LIES },
};
#define NTABLE	(sizeof(table) / sizeof(table[0]))

uint32_t
sim_quirk_lookup(const char *name)
{
	return text_flag_bits(table, NTABLE, name);
}

const char *
sim_quirk_name(size_t i)
{
	return text_flag_name(table, NTABLE, i);
}

const char *
sim_quirk_names(void)
{
	return "authcap, ignore-seq-reset, open-session-priv, "
	    "integrity-check-value, sdr-small-reads, intel20, supermicro20, "
	    "sun20, no-name-lookup, no-dcmi; hostile: slow, drip, churn, "
	    "endless-sel, lie-sdr-length, lie-fru-offset, lie-sel-count, "
	    "lie-lengths, lie-rmcpp-length, duplicate, reorder, no-slot, "
	    "reboot, lie-sdr-key; no-cipher-suites";
}

uint32_t
sim_quirk_hostile_nth(uint32_t k)
{
	static const uint32_t kinds[SIM_HOSTILE_KINDS] = {
		SIM_Q_SLOW, SIM_Q_DRIP, SIM_Q_CHURN, SIM_Q_ENDLESS_SEL,
		SIM_Q_LIES, SIM_Q_LIE_RMCPP_LEN,
		SIM_Q_DUPLICATE | SIM_Q_REORDER, SIM_Q_NO_SLOT, SIM_Q_REBOOT,
	};

	return kinds[k % SIM_HOSTILE_KINDS];
}

void
sim_quirk_json(uint32_t bits, struct json *j)
{
	size_t i;

	json_arr(j);
	for (i = 0; i < NTABLE && bits != 0; i++) {
		/* one bit each: a group's bits are named one by one */
		if ((table[i].bits & (table[i].bits - 1)) != 0 ||
		    !(bits & table[i].bits))
			continue;
		bits &= ~table[i].bits;
		json_str(j, table[i].name);
	}
	json_end(j);
}

int
sim_quirk_parse(const char *list, uint32_t *bits, const char **bad,
    size_t *badlen)
{
	return text_parse_flags(list, table, NTABLE, TEXT_FLAGS_SKIP_EMPTY,
	    bits, bad, badlen);
}
