/*
 * workaround: names <-> bits, and the session flags each bit asks for.
 */
#include <stdio.h>
#include <string.h>

#include "cli/workaround.h"
#include "ipmi/session.h"

static const struct {
	const char	*name;
	uint32_t	 bit;
	unsigned	 sess;		/* IPMI_SESS_* it turns on, if any */
} table[] = {
	{ "no-name-lookup", WA_NO_NAME_LOOKUP, IPMI_SESS_NO_NAME_ONLY },
	{ "ignore-seq-reset", WA_IGNORE_SEQ_RESET, IPMI_SESS_WA_SEQ_RESET },
	{ "authcap", WA_AUTHCAP, IPMI_SESS_WA_AUTHCAP },
	{ "integrity-check-value", WA_INTEGRITY_CHECK, IPMI_SESS_WA_ICV },
	{ "no-dcmi", WA_NO_DCMI, 0 },
	{ "intel20", WA_INTEL20, IPMI_SESS_WA_INTEL20 },
	{ "supermicro20", WA_SUPERMICRO20, IPMI_SESS_WA_SUPERMICRO20 },
	{ "sun20", WA_SUN20, IPMI_SESS_WA_SUN20 },
};
#define NTABLE	(sizeof(table) / sizeof(table[0]))

uint32_t
workaround_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (strcmp(name, table[i].name) == 0)
			return table[i].bit;
	return 0;
}

const char *
workaround_name(size_t i)
{
	return i < NTABLE ? table[i].name : NULL;
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
	const char *p = list, *e;
	char name[64];
	uint32_t bit;
	size_t n;

	*bits = 0;
	for (;;) {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 0 || n >= sizeof(name)) {
			snprintf(err, errlen, "workaround list '%s': %s "
			    "(known: %s)", list, n == 0 ? "empty name" :
			    "name too long", workaround_names());
			return -1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if ((bit = workaround_lookup(name)) == 0) {
			snprintf(err, errlen, "unknown workaround '%s' "
			    "(known: %s)", name, workaround_names());
			return -1;
		}
		*bits |= bit;
		if (e == NULL)
			return 0;
		p = e + 1;
	}
}

unsigned
workaround_session_flags(uint32_t bits)
{
	unsigned f = 0;
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (bits & table[i].bit)
			f |= table[i].sess;
	return f;
}
