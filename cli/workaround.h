/*
 * workaround: the names of the per-BMC firmware workarounds, shared by the
 * config's `workarounds:` list and direct mode's -W LIST, and what each
 * turns on in the session layer (IPMI_SESS_WA_*) or in the tasks above it.
 * The names follow FreeIPMI's -W flags where one exists (docs/bmcfleet.1
 * says which firmware bug each works around).
 */
#ifndef BMCFLEET_CLI_WORKAROUND_H
#define BMCFLEET_CLI_WORKAROUND_H

#include <stddef.h>
#include <stdint.h>

/* bits, as stored in config_settings.workarounds and opts.workarounds */
enum {
	WA_NO_NAME_LOOKUP = 1 << 0,	/* "no-name-lookup" */
	WA_IGNORE_SEQ_RESET = 1 << 1,	/* "ignore-seq-reset" */
	/* 1 << 2 was "open-session-priv", always on now (docs/NOTES.md) */
	WA_AUTHCAP = 1 << 3,		/* "authcap" */
	WA_INTEGRITY_CHECK = 1 << 4,	/* "integrity-check-value" */
	/* 1 << 5 was "sdr-small-reads": removed, the SDR walker never asks
	 * for more than 16 bytes (SDR_CHUNK), so there was nothing to turn on;
	 * the bit stays unused so stored settings keep their meaning */
	WA_NO_DCMI = 1 << 6,		/* "no-dcmi" */
	WA_INTEL20 = 1 << 7,		/* "intel20" */
	WA_SUPERMICRO20 = 1 << 8,	/* "supermicro20" */
	WA_SUN20 = 1 << 9,		/* "sun20" */
};

/* The bit of a name, or 0 when the name is unknown. */
uint32_t	 workaround_lookup(const char *name);
/* The i-th name (0-based), NULL past the last: for suggestions. */
const char	*workaround_name(size_t i);
/* "no-name-lookup, ignore-seq-reset, ...": every name, for messages. */
const char	*workaround_names(void);
/*
 * A comma-separated list ("authcap,intel20") into bits.  Returns 0, or -1
 * with a message naming the unknown entry (and a suggestion) in err.
 */
int		 workaround_parse_list(const char *list, uint32_t *bits,
		    char *err, size_t errlen);
/* The session-layer flags (IPMI_SESS_*) the bits ask for. */
unsigned	 workaround_session_flags(uint32_t bits);

#endif
