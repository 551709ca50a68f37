/*
 * config's TARGETS selection (config_select): @group, key=value, host
 * lists, patterns, '+' intersections and !exclusions.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cli/config.h"
#include "cli/config_int.h"
#include "cli/hostlist.h"

/*
 * The distinct label names of the fleet (key NULL) or the distinct values
 * of label key, up to max, into cand; how many.  BMCs of one range share
 * their labels array, so most are skipped at a glance.
 */
static size_t
label_words(const struct config *c, const char *key, const char **cand,
    size_t max)
{
	const struct config_label *last = NULL;
	size_t i, k, j, n = 0;

	for (i = 0; i < c->nbmcs && n < max; i++) {
		const struct config_bmc *b = &c->bmcs[i];

		if (b->labels == last)
			continue;
		last = b->labels;
		for (k = 0; k < b->nlabels && n < max; k++) {
			const char *w = key == NULL ? b->labels[k].key :
			    strcmp(b->labels[k].key, key) == 0 ?
			    b->labels[k].value : NULL;

			for (j = 0; w != NULL && j < n; j++)
				if (strcmp(cand[j], w) == 0)
					w = NULL;
			if (w != NULL)
				cand[n++] = w;
		}
	}
	return n;
}

/*
 * A key=value part that matched nothing: a label no BMC has is an error
 * with the closest name; a value with a close one is an error with it;
 * else 0 (the caller says it matches no BMC).
 */
static long
label_miss(const struct config *c, const char *it, const char *key,
    const struct hostlist *hl, char *err, size_t errlen)
{
	const char *cand[256], *s;
	char hint[96];
	size_t n;

	n = label_words(c, NULL, cand, 256);
	for (size_t i = 0; i < n; i++)
		if (strcmp(cand[i], key) == 0) {
			n = label_words(c, key, cand, 256);
			if (hl->n != 1 ||
			    (s = text_suggest(hl->hosts[0], cand, n)) == NULL)
				return 0;
			return errf(err, errlen, "target '%s' matches no BMC "
			    "(did you mean '%s=%s'?)", it, key, s);
		}
	return errf(err, errlen, "target '%s': no BMC has a label '%s'%s", it,
	    key, text_did_you_mean(hint, sizeof(hint), key, cand, n));
}

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
		if (n == 0)
			n = label_miss(c, it, key, &hl, err, errlen);
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

/*
 * The end of the part of s that starts at s, at the first sep outside
 * brackets (host[1-3,7] is one part) or the NUL; *b and *e bound it without
 * blanks.
 */
static const char *
part_end(const char *s, int sep, const char **b, const char **e)
{
	const char *p;
	int depth = 0;

	for (p = s; *p != '\0' && (*p != sep || depth > 0); p++)
		depth += (*p == '[') - (*p == ']');
	for (*b = s; *b < p && (**b == ' ' || **b == '\t'); (*b)++)
		;
	for (*e = p; *e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'); (*e)--)
		;
	return p;
}

/*
 * Mark the BMCs one item selects: its '+'-joined parts intersected, its
 * !parts taken out.  mark, acc and neg are c->nbmcs long scratch; mark
 * is cleared here.  How many, or -1 with err set.  An item that is one
 * !part alone is an exclusion of the whole TARGETS (config_select's to
 * apply): *is_excl is set and mark holds what it excludes.
 */
static long
select_and(const struct config *c, const char *item, unsigned char *mark,
    unsigned char *acc, unsigned char *neg, int *is_excl, char *err,
    size_t errlen)
{
	const char *p = item, *b, *e, *end;
	char *part = NULL;
	int nparts = 0, npos = 0;
	long got, n = 0, both = 0;
	size_t i;

	*is_excl = 0;
	memset(mark, 0, c->nbmcs);
	memset(neg, 0, c->nbmcs);
	for (;;) {
		int excl;

		end = part_end(p, '+', &b, &e);
		free(part);
		if ((part = strndup(b, (size_t)(e - b))) == NULL) {
			errf(err, errlen, "out of memory");
			goto fail;
		}
		excl = part[0] == '!';
		if (part[excl] == '\0') {
			errf(err, errlen, "target '%s': empty part (expected "
			    "@group, host[1-10], key=value or !exclusion "
			    "on each side of '+')", item);
			goto fail;
		}
		memset(acc, 0, c->nbmcs);
		if ((got = select_item(c, part + excl, acc, err, errlen)) < 0)
			goto fail;
		if (got == 0) {
			if (end == item + strlen(item) && nparts == 0)
				errf(err, errlen, "target '%s' matches no BMC",
				    part);
			else
				errf(err, errlen, "target '%s' (in '%s') "
				    "matches no BMC", part, item);
			goto fail;
		}
		for (i = 0; i < c->nbmcs; i++) {
			if (excl)
				neg[i] |= acc[i];
			else
				mark[i] = npos == 0 ? acc[i] : mark[i] & acc[i];
		}
		npos += !excl;
		nparts++;
		if (*end == '\0')
			break;
		p = end + 1;	/* the '+' */
	}
	free(part);
	part = NULL;
	if (npos == 0) {
		if (nparts > 1) {
			errf(err, errlen, "target '%s' only excludes: start "
			    "it from something, e.g. '@all+%s'", item, item);
			return -1;
		}
		memcpy(mark, neg, c->nbmcs);
		*is_excl = 1;
		return 1;
	}
	for (i = 0; i < c->nbmcs; i++) {
		both += mark[i];
		n += (mark[i] &= !neg[i]);
	}
	if (n == 0)
		return errf(err, errlen, "target '%s' matches no BMC: %s",
		    item, both == 0 ? "no BMC is in all of its parts" :
		    "its !parts take out every BMC the others select");
	return n;
fail:
	free(part);
	return -1;
}

int
config_select(const struct config *c, const char *targets, size_t **idx,
    size_t *n, char *err, size_t errlen)
{
	unsigned char *in = NULL, *out = NULL, *one = NULL, *acc = NULL;
	unsigned char *neg = NULL;
	const char *p = targets, *b, *e, *end;
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
	    (one = calloc(c->nbmcs, 1)) == NULL ||
	    (acc = calloc(c->nbmcs, 1)) == NULL ||
	    (neg = calloc(c->nbmcs, 1)) == NULL) {
		errf(err, errlen, "out of memory");
		goto done;
	}
	for (;;) {
		int excl;

		end = part_end(p, ',', &b, &e);
		free(item);
		if ((item = strndup(b, (size_t)(e - b))) == NULL) {
			errf(err, errlen, "out of memory");
			goto done;
		}
		if (item[item[0] == '!'] == '\0') {
			errf(err, errlen, "targets '%s': empty item "
			    "(expected @group, host[1-10], key=value or "
			    "!exclusion)", targets);
			goto done;
		}
		if (select_and(c, item, one, acc, neg, &excl, err,
		    errlen) < 0)
			goto done;
		for (i = 0; i < c->nbmcs; i++)
			(excl ? out : in)[i] |= one[i];
		have_in |= !excl;
		if (*end == '\0')
			break;
		p = end + 1;	/* the comma */
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
	free(acc);
	free(neg);
	return rc;
}
