/*
 * config's values: cfg_wipe, and the config's readings of lib/units'
 * grammar (durations with bare seconds, sizes, watts from 1, whole
 * percentages) and of a BMC name or address.  Numbers, booleans, names
 * and suggestions are lib/text's.
 */
#include <string.h>

#include "cli/config.h"
#include "cli/config_int.h"
#include "ipmi/crypto.h"
#include "lib/text.h"
#include "lib/units.h"

/* Secrets out of memory the compiler may not skip (OPENSSL_cleanse). */
void
cfg_wipe(void *p, size_t n)
{
	crypto_wipe(p, n);
}

/*
 * "500ms", "2s", "5m", "1h", "1d", "1h30m", "1.5s" (lib/units' grammar);
 * a bare number is refused (was it seconds or ms?), but 0.  In
 * milliseconds; -1 on anything else or past max.
 */
int
config_parse_duration(const char *s, uint64_t max, uint64_t *ms)
{
	return units_duration(s, UNITS_BARE_NONE, max, ms) == 0 ? 0 : -1;
}

/*
 * Key's duration at vn, min to max ms, into *out; or -1 with the error
 * at vn naming the key, the value and why ("timeout: '500': a number
 * needs its unit (ms, s, ...)").
 */
int
cfg_duration(struct load *l, const yaml_node_t *vn, const char *key,
    uint64_t min, uint64_t max, uint64_t *out)
{
	char msg[256];

	if (yml_duration(vn, min, max, out, msg, sizeof(msg)) == 0)
		return 0;
	return yerr(l, vn, "%s: %s", key, msg);
}

/* "512MiB", "1GiB", "10GB", "4096" (bytes); -1 past max. */
int
cfg_parse_size(const char *s, uint64_t max, uint64_t *out)
{
	return units_size(s, max, out) == 0 ? 0 : -1;
}

/* "350", "350W", "1.2kW": watts, 1 to max; -1 otherwise. */
int
cfg_parse_watts(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (units_watts(s, max, &v) != 0 || v < 1)
		return -1;
	*out = v;
	return 0;
}

/* "30%" or "30": a whole percentage up to max. */
int
cfg_parse_percent(const char *s, uint64_t max, uint64_t *out)
{
	char buf[24];
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '%')
		n--;
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return text_parse_uint(buf, 0, max, out);
}

/* Why a BMC name or address cannot be used, or NULL. */
const char *
cfg_bad_host(const char *s, int is_name)
{
	const char *c;

	if (*s == '\0')
		return "is empty";
	for (c = s; *c != '\0'; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return "holds a space or control character";
	if (!is_name)
		return NULL;
	/* the characters of TARGETS (config_select) */
	if (strpbrk(s, ",=*?[]+") != NULL || *s == '@' || *s == '!')
		return "may not hold , = * ? [ ] + or start with @ or !";
	if ((c = strchr(s, ':')) != NULL && strchr(c + 1, ':') == NULL)
		return "holds a port: give it with 'port:'";
	return NULL;
}
