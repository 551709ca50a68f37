/*
 * namelist: comma lists of option words (see namelist.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/namelist.h"
#include "ipmi/sel.h"
#include "ipmi/sensor.h"

#define WORD_MAX	32	/* longer is no word of ours */

const struct namelist namelist_health = {
	"state", "nominal, warning, critical, na", sensor_health_parse,
	sensor_health_name,
};

const struct namelist namelist_severity = {
	"severity", "info, warning, critical", sel_severity_parse,
	sel_severity_name,
};

int
namelist_mask(const struct namelist *l, const char *opt, const char *list,
    unsigned *mask, char *err, size_t errlen)
{
	const char *p, *e;
	char word[WORD_MAX];
	unsigned m = 0;

	for (p = list; ; p = e + 1) {
		size_t n;
		int k;

		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (n == 0 || n >= sizeof(word)) {
			snprintf(err, errlen, "%s '%s': expected a list of %s",
			    opt, list, l->choices);
			return -1;
		}
		memcpy(word, p, n);
		word[n] = '\0';
		if ((k = l->parse(word)) < 0 || k > 31) {
			snprintf(err, errlen, "%s: unknown %s '%s' (%s)", opt,
			    l->what, word, l->choices);
			return -1;
		}
		m |= 1u << k;
		if (*e == '\0')
			break;
	}
	*mask = m;
	return 0;
}

size_t
namelist_words(const struct namelist *l, unsigned mask, const char **out,
    size_t cap)
{
	size_t n = 0;

	for (int k = 0; k < 32 && n < cap; k++)
		if (mask >> k & 1)
			out[n++] = l->name(k);
	return n;
}

char *
namelist_join(const struct namelist *l, unsigned mask, const char *conj,
    char *out, size_t len)
{
	const char *w[32];
	size_t n = namelist_words(l, mask, w, 32), at = 0;

	if (len == 0)
		return out;
	out[0] = '\0';
	for (size_t i = 0; i < n && at < len; i++) {
		const char *sep = i == 0 ? "" : i + 1 < n ? ", " : " ";

		at += (size_t)snprintf(out + at, len - at, "%s%s%s%s", sep,
		    i > 0 && i + 1 == n ? conj : "", i > 0 && i + 1 == n ?
		    " " : "", w[i]);
	}
	return out;
}
