/*
 * workaround: names <-> bits (a lib/text flag table), and the session
 * flags each bit asks for.
 */
#include "cli/workaround.h"
#include "ipmi/session.h"
#include "lib/errf.h"
#include "lib/text.h"

static const struct text_flag names[] = {
	{ "no-name-lookup", WA_NO_NAME_LOOKUP },
	{ "ignore-seq-reset", WA_IGNORE_SEQ_RESET },
	{ "authcap", WA_AUTHCAP },
	{ "integrity-check-value", WA_INTEGRITY_CHECK },
	{ "no-dcmi", WA_NO_DCMI },
	{ "intel20", WA_INTEL20 },
	{ "supermicro20", WA_SUPERMICRO20 },
	{ "sun20", WA_SUN20 },
};
#define NNAMES	(sizeof(names) / sizeof(names[0]))

/* the IPMI_SESS_* each bit turns on (no-dcmi: none, the tasks see it) */
static const struct {
	uint32_t	 bit;
	unsigned	 sess;
} sess_of[] = {
	{ WA_NO_NAME_LOOKUP, IPMI_SESS_NO_NAME_ONLY },
	{ WA_IGNORE_SEQ_RESET, IPMI_SESS_WA_SEQ_RESET },
	{ WA_AUTHCAP, IPMI_SESS_WA_AUTHCAP },
	{ WA_INTEGRITY_CHECK, IPMI_SESS_WA_ICV },
	{ WA_INTEL20, IPMI_SESS_WA_INTEL20 },
	{ WA_SUPERMICRO20, IPMI_SESS_WA_SUPERMICRO20 },
	{ WA_SUN20, IPMI_SESS_WA_SUN20 },
};

uint32_t
workaround_lookup(const char *name)
{
	return text_flag_bits(names, NNAMES, name);
}

const char *
workaround_name(size_t i)
{
	return text_flag_name(names, NNAMES, i);
}

const char *
workaround_names(void)
{
	return "no-name-lookup, ignore-seq-reset, "
	    "authcap, integrity-check-value, no-dcmi, "
	    "intel20, supermicro20, sun20";
}

int
workaround_parse_list(const char *list, uint32_t *bits, char *err,
    size_t errlen)
{
	const char *bad;
	size_t n;

	if (text_parse_flags(list, names, NNAMES, 0, bits, &bad, &n) == 0)
		return 0;
	if (n == 0)
		return errf(err, errlen, "workaround list '%s': empty name "
		    "(known: %s)", list, workaround_names());
	return errf(err, errlen, "unknown workaround '%.*s' (known: %s)",
	    (int)n, bad, workaround_names());
}

unsigned
workaround_session_flags(uint32_t bits)
{
	unsigned f = 0;
	size_t i;

	for (i = 0; i < sizeof(sess_of) / sizeof(sess_of[0]); i++)
		if (bits & sess_of[i].bit)
			f |= sess_of[i].sess;
	return f;
}
