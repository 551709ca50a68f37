/*
 * config's per-BMC settings at each level (defaults:, groups:, a bmcs
 * entry and its settings:), labels, and the credential and group names
 * they refer to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cli/config.h"
#include "cli/config_int.h"
#include "cli/workaround.h"
#include "ipmi/ipmi.h"
#include "ipmi/rmcpp.h"
#include "ipmi/session.h"

static const char *const setting_keys[] = {
	"credential", "interface", "cipher_suite", "privilege", "timeout",
	"retries", "insecure", "workarounds", "port", NULL,
};

long
cred_find(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ncreds; i++)
		if (!strcmp(c->creds[i].name, name))
			return (long)i;
	return -1;
}

long
group_find(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ngroups; i++)
		if (!strcmp(c->groups[i].name, name))
			return (long)i;
	return -1;
}

/* " (did you mean 'x'?)" for a name among credentials or groups */
void
name_hint(char *buf, size_t len, const char *word, const struct config *c,
    int groups)
{
	const char *cand[64];
	size_t n = 0, i, total = groups ? c->ngroups : c->ncreds;
	const char *best = NULL;

	buf[0] = '\0';
	/* in batches, so a fleet with many groups still gets a hint */
	for (i = 0; i < total; i++) {
		cand[n++] = groups ? c->groups[i].name : c->creds[i].name;
		if (n == 63 || i + 1 == total) {
			const char *s;

			if (best != NULL)
				cand[n++] = best;
			if ((s = text_suggest(word, cand, n)) != NULL)
				best = s;
			n = 0;
		}
	}
	if (best != NULL)
		snprintf(buf, len, " (did you mean '%s'?)", best);
}

/* One setting; 1 if key is not a setting name. */
int
y_setting(struct load *l, const char *key, const yaml_node_t *vn,
    struct config_settings *s, unsigned *set)
{
	const char *v = yml_str(vn);
	char hint[96];
	uint64_t u;
	size_t k;
	int b;

	/* setting_keys[k] is the setting with the bit 1 << k */
	for (k = 0; setting_keys[k] != NULL; k++)
		if (!strcmp(setting_keys[k], key))
			break;
	if (setting_keys[k] == NULL)
		return 1;
	if (*set & 1U << k)
		return yerr(l, vn, "%s: given twice (directly and under "
		    "settings:)", key);
	if (!strcmp(key, "workarounds")) {
		yaml_node_item_t *it;
		size_t i;

		s->workarounds = 0;
		*set |= S_WORKAROUNDS;
		if (yml_is_null(vn))
			return 0;
		if (vn->type != YAML_SEQUENCE_NODE)
			return yerr(l, vn, "workarounds: expected a list of "
			    "names like [no-name-lookup] (known: %s)",
			    workaround_names());
		for (it = vn->data.sequence.items.start;
		    it < vn->data.sequence.items.top; it++) {
			const yaml_node_t *e = node(l, *it);
			const char *w = yml_str(e), *cand[16];
			uint32_t bit;

			if (w == NULL)
				return yerr(l, e, "workarounds: expected a "
				    "name (known: %s)", workaround_names());
			if ((bit = workaround_lookup(w)) == 0) {
				for (i = 0; i < 15 &&
				    (cand[i] = workaround_name(i)) != NULL; i++)
					;
				cand[i] = NULL;
				(void)text_did_you_mean(hint, sizeof(hint), w,
				    cand, i);
				if (hint[0] != '\0')
					return yerr(l, e, "unknown workaround "
					    "'%s'%s", w, hint);
				return yerr(l, e, "unknown workaround '%s' "
				    "(known: %s)", w, workaround_names());
			}
			s->workarounds |= bit;
		}
		return 0;
	}
	if (v == NULL)
		v = "";	/* each check below then explains itself */
	if (!strcmp(key, "credential")) {
		long i;

		if ((i = cred_find(l->c, v)) < 0) {
			if (vn->type != YAML_SCALAR_NODE || *v == '\0')
				return yerr(l, vn, "credential: expected the "
				    "name of an entry in credentials");
			name_hint(hint, sizeof(hint), v, l->c, 0);
			return yerr(l, vn, "unknown credential '%s'%s", v,
			    hint[0] ? hint : " (not in credentials)");
		}
		s->credential = (uint16_t)i;
		*set |= S_CREDENTIAL;
	} else if (!strcmp(key, "interface")) {
		if (!strcmp(v, "lan"))
			s->iface = IPMI_IFACE_LAN;
		else if (!strcmp(v, "lanplus"))
			s->iface = IPMI_IFACE_LANPLUS;
		else
			return yerr(l, vn, "interface: expected lan (IPMI "
			    "v1.5) or lanplus (IPMI v2.0)");
		*set |= S_IFACE;
	} else if (!strcmp(key, "cipher_suite")) {
		const struct ipmi_cipher_suite *cs;

		if (!strcmp(v, "auto"))
			s->cipher_suite = IPMI_SUITE_AUTO;
		else if (text_parse_uint(v, 0, 19, &u) != 0)
			return yerr(l, vn, "cipher_suite: expected auto or a "
			    "number 0..19");
		else if ((cs = ipmi_cipher_suite((int)u)) == NULL ||
		    !ipmi_cipher_suite_supported(cs))
			return yerr(l, vn, "cipher_suite: suite %u is not "
			    "supported (expected auto, 0-3, 6-8, 11-12 or "
			    "15-17)", (unsigned)u);
		else
			s->cipher_suite = (int8_t)u;
		*set |= S_SUITE;
	} else if (!strcmp(key, "privilege")) {
		if (!strcmp(v, "user"))
			s->priv = IPMI_PRIV_USER;
		else if (!strcmp(v, "operator"))
			s->priv = IPMI_PRIV_OPERATOR;
		else if (!strcmp(v, "admin"))
			s->priv = IPMI_PRIV_ADMIN;
		else
			return yerr(l, vn, "privilege: expected user, "
			    "operator or admin");
		*set |= S_PRIV;
	} else if (!strcmp(key, "timeout")) {
		if (cfg_duration(l, vn, key, 10, 10 * UNITS_MIN, &u) != 0)
			return -1;
		s->timeout_ms = (uint32_t)u;
		*set |= S_TIMEOUT;
	} else if (!strcmp(key, "retries")) {
		if (text_parse_uint(v, 0, 20, &u) != 0)
			return yerr(l, vn, "retries: expected a number 0..20");
		s->retries = (uint8_t)u;
		*set |= S_RETRIES;
	} else if (!strcmp(key, "insecure")) {
		if (text_parse_bool(v, 0, &b) != 0)
			return yerr(l, vn, "insecure: expected true or false");
		s->insecure = (uint8_t)b;
		*set |= S_INSECURE;
	} else {
		if (text_parse_uint(v, 1, 65535, &u) != 0)
			return yerr(l, vn, "port: expected a UDP port "
			    "1..65535");
		s->port = (uint16_t)u;
		*set |= S_PORT;
	}
	return 0;
}

int
label_cmp(const void *a, const void *b)
{
	const struct config_label *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* labels: {key: value, ...} -> interned array in *out, sorted by key */
int
y_labels(struct load *l, const yaml_node_t *m, const struct config_label **out,
    uint16_t *nout)
{
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	struct config_label *v;
	size_t n = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((rc = check_map(l, m, "labels", NULL)) != 0)
		return rc < 0 ? -1 : 0;
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (n > MAX_LABELS)
		return yerr(l, m, "labels: more than %d", MAX_LABELS);
	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		return yerr(l, m, "out of memory");
	n = 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *val = yml_str(vn);

		if (!text_is_ident(key)) {
			free(v);
			return yerr(l, kn, "label name '%s': expected letters, "
			    "digits, '_', '-' or '.'", key);
		}
		/* ',' and '+' join TARGETS (config_select) */
		if (val == NULL || *val == '\0' || strpbrk(val, ",+") !=
		    NULL || cfg_bad_host(val, 0) != NULL) {
			free(v);
			return yerr(l, vn, "label '%s': expected a value "
			    "without spaces, commas or '+', like r12", key);
		}
		if ((v[n].key = cfg_intern_str(l->p, key)) == NULL ||
		    (v[n].value = cfg_intern_str(l->p, val)) == NULL) {
			free(v);
			return yerr(l, vn, "out of memory");
		}
		n++;
	}
	qsort(v, n, sizeof(*v), label_cmp);
	*out = n ? cfg_intern(l->p, v, n * sizeof(*v)) : NULL;
	free(v);
	if (n > 0 && *out == NULL)
		return yerr(l, m, "out of memory");
	*nout = (uint16_t)n;
	return 0;
}

int
y_defaults(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "credential", "interface",
		"cipher_suite", "privilege", "timeout", "retries", "insecure",
		"workarounds", "port", "labels", NULL };
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	int rc;

	if ((rc = check_map(l, m, "defaults", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		if (!strcmp(key, "labels")) {
			if (y_labels(l, vn, &l->def.labels, &l->def.nlabels))
				return -1;
		} else if (y_setting(l, key, vn, &l->def.s, &l->def.set) != 0)
			return -1;
	}
	return 0;
}

/* settings: {...} inside a group or a bmcs entry */
int
y_settings(struct load *l, const yaml_node_t *m, struct level *lv)
{
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	int rc;

	if ((rc = check_map(l, m, "settings", setting_keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key)
		if (y_setting(l, key, vn, &lv->s, &lv->set) != 0)
			return -1;
	return 0;
}

int
y_groups(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "hosts", "labels", "settings",
		"credential", "interface", "cipher_suite", "privilege",
		"timeout", "retries", "insecure", "workarounds", "port", NULL };
	struct config *c = l->c;
	yaml_node_pair_t *pr, *q;
	yaml_node_t *kn, *vn, *gk, *gv;
	const char *name, *gkey;
	size_t n;
	int rc;

	if ((rc = check_map(l, m, "groups", NULL)) != 0)
		return rc < 0 ? -1 : 0;
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (n > MAX_GROUPS)
		return yerr(l, m, "groups: more than %d", MAX_GROUPS);
	if ((c->groups = calloc(n, sizeof(*c->groups))) == NULL ||
	    (l->gdef = calloc(n, sizeof(*l->gdef))) == NULL ||
	    (l->ghosts = calloc(n, sizeof(*l->ghosts))) == NULL)
		return yerr(l, m, "out of memory");
	FOR_PAIRS(l, m, pr, kn, vn, name) {
		struct level *lv = &l->gdef[c->ngroups];

		if (!text_is_ident(name) || !strcmp(name, "all"))
			return yerr(l, kn, "group name '%s': expected letters, "
			    "digits, '_', '-' or '.' (and not 'all')", name);
		if ((rc = check_map(l, vn, "a group", keys)) < 0)
			return -1;
		c->groups[c->ngroups].name = cfg_intern_str(l->p, name);
		c->ngroups++;
		if (rc == 1)
			continue;
		FOR_PAIRS(l, vn, q, gk, gv, gkey) {
			if (!strcmp(gkey, "hosts")) {
				l->ghosts[c->ngroups - 1] = gv;
			} else if (!strcmp(gkey, "labels")) {
				if (y_labels(l, gv, &lv->labels, &lv->nlabels))
					return -1;
			} else if (!strcmp(gkey, "settings")) {
				if (y_settings(l, gv, lv) != 0)
					return -1;
			} else if (y_setting(l, gkey, gv, &lv->s, &lv->set))
				return -1;
		}
		c->groups[c->ngroups - 1].labels = lv->labels;
		c->groups[c->ngroups - 1].nlabels = lv->nlabels;
	}
	return 0;
}
