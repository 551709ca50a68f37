/*
 * config's TARGETS selection (config_select): @group, key=value, host
 * lists, patterns and !exclusions.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cli/config.h"
#include "cli/config_int.h"
#include "cli/hostlist.h"

/* Mark the BMCs one item selects; how many, or -1 with err set. */
static long
select_item(const struct config *c, const char *it, unsigned char *mark,
    char *err, size_t errlen)
{
	struct hostlist hl = { 0 };
	const char *eq;
	char msg[256], hint[96];
	size_t i, k;
	long n = 0, g;

	if (!strcmp(it, "@all")) {
		memset(mark, 1, c->nbmcs);
		return (long)c->nbmcs;
	}
	if (it[0] == '@') {
		if ((g = group_find(c, it + 1)) < 0) {
			name_hint(hint, sizeof(hint), it + 1, c, 1);
			return errf(err, errlen, "unknown group '%s'%s",
			    it + 1, hint);
		}
		for (i = 0; i < c->nbmcs; i++)
			for (k = 0; k < c->bmcs[i].ngroups; k++)
				if (c->bmcs[i].groups[k] == g) {
					mark[i] = 1;
					n++;
				}
		return n;
	}
	if ((eq = strchr(it, '=')) != NULL) {
		char *key = strndup(it, (size_t)(eq - it));

		if (key == NULL)
			return errf(err, errlen, "out of memory");
		if (!text_is_ident(key) || hostlist_expand(&hl, eq + 1, msg,
		    sizeof(msg)) != 0) {
			free(key);
			hostlist_release(&hl);
			return errf(err, errlen, "target '%s': expected a "
			    "label like rack=r12", it);
		}
		for (i = 0; i < c->nbmcs; i++) {
			const char *v = config_bmc_label(&c->bmcs[i], key);

			for (k = 0; v != NULL && k < hl.n; k++)
				if (!strcmp(v, hl.hosts[k])) {
					mark[i] = 1;
					n++;
					break;
				}
		}
		free(key);
		hostlist_release(&hl);
		return n;
	}
	if (strpbrk(it, "*?") != NULL) {
		for (i = 0; i < c->nbmcs; i++)
			if (fnmatch(it, c->bmcs[i].name, 0) == 0) {
				mark[i] = 1;
				n++;
			}
		return n;
	}
	if (hostlist_expand(&hl, it, msg, sizeof(msg)) != 0)
		return errf(err, errlen, "target '%s': %s", it, msg);
	for (k = 0; k < hl.n; k++) {
		long bi = config_bmc_find(c, hl.hosts[k]);

		if (bi < 0) {
			errf(err, errlen, "target '%s': no BMC named '%s' "
			    "in %s", it, hl.hosts[k], c->path);
			hostlist_release(&hl);
			return -1;
		}
		n += !mark[bi];
		mark[bi] = 1;
	}
	hostlist_release(&hl);
	return n;
}

int
config_select(const struct config *c, const char *targets, size_t **idx,
    size_t *n, char *err, size_t errlen)
{
	unsigned char *in = NULL, *out = NULL, *one = NULL;
	const char *p = targets, *s, *e;
	char *item = NULL;
	int have_in = 0, rc = -1;
	size_t i, k;

	*idx = NULL;
	*n = 0;
	if (targets[strspn(targets, " \t")] == '\0')
		return errf(err, errlen, "no targets (give @all for every "
		    "BMC)");
	if (c->nbmcs == 0)
		return errf(err, errlen, "no BMCs in %s", c->path ?
		    c->path : "the configuration");
	if ((in = calloc(c->nbmcs, 1)) == NULL ||
	    (out = calloc(c->nbmcs, 1)) == NULL ||
	    (one = calloc(c->nbmcs, 1)) == NULL) {
		errf(err, errlen, "out of memory");
		goto done;
	}
	for (;;) {
		int depth = 0, excl;
		long got;

		/* split at commas outside brackets: host[1-3,7] is one */
		for (e = p; *e != '\0' && (*e != ',' || depth > 0); e++)
			depth += (*e == '[') - (*e == ']');
		for (s = p; s < e && (*s == ' ' || *s == '\t'); s++)
			;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		free(item);
		if ((item = strndup(s, (size_t)(e - s))) == NULL) {
			errf(err, errlen, "out of memory");
			goto done;
		}
		excl = item[0] == '!';
		if (item[excl] == '\0') {
			errf(err, errlen, "targets '%s': empty item "
			    "(expected @group, host[1-10], key=value or "
			    "!exclusion)", targets);
			goto done;
		}
		memset(one, 0, c->nbmcs);
		if ((got = select_item(c, item + excl, one, err, errlen)) < 0)
			goto done;
		if (got == 0) {
			errf(err, errlen, "target '%s' matches no BMC",
			    item);
			goto done;
		}
		for (i = 0; i < c->nbmcs; i++)
			(excl ? out : in)[i] |= one[i];
		have_in |= !excl;
		for (p = s + strlen(item); *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0')
			break;
		p++;		/* the comma */
	}
	if (!have_in) {
		errf(err, errlen, "targets '%s' only exclude: start from "
		    "something, e.g. '@all,%s'", targets, targets);
		goto done;
	}
	for (i = 0, k = 0; i < c->nbmcs; i++)
		k += in[i] && !out[i];
	if (k == 0) {
		errf(err, errlen, "targets '%s' leave no BMC after "
		    "exclusions", targets);
		goto done;
	}
	if ((*idx = malloc(k * sizeof(**idx))) == NULL) {
		errf(err, errlen, "out of memory");
		goto done;
	}
	for (i = 0; i < c->nbmcs; i++)
		if (in[i] && !out[i])
			(*idx)[(*n)++] = i;
	rc = 0;
done:
	free(item);
	free(in);
	free(out);
	free(one);
	return rc;
}
