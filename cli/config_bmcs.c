/*
 * config's BMCs while loading: bmcs: entries and groups' hosts expanded
 * into BMCs, each once, with the groups that name it; the index by name.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cli/config.h"
#include "cli/config_int.h"
#include "cli/hostlist.h"

size_t
byname_slot(const struct config *c, const char *name)
{
	const struct config_priv *p = c->priv;
	size_t j;

	for (j = cfg_hash_bytes(name, strlen(name)) & (p->bcap - 1);
	    p->byname[j] != NONE32; j = (j + 1) & (p->bcap - 1))
		if (!strcmp(c->bmcs[p->byname[j]].name, name))
			break;
	return j;
}

int
byname_rebuild(struct config *c, size_t want)
{
	struct config_priv *p = c->priv;
	size_t cap = 64, i;

	while (cap < want * 2)
		cap *= 2;
	free(p->byname);
	if ((p->byname = malloc(cap * sizeof(*p->byname))) == NULL)
		return -1;
	memset(p->byname, 0xff, cap * sizeof(*p->byname));
	p->bcap = cap;
	for (i = 0; i < c->nbmcs; i++)
		p->byname[byname_slot(c, c->bmcs[i].name)] = (uint32_t)i;
	return 0;
}

static int
bt_add_group(struct btmp *b, uint16_t g)
{
	uint16_t i, *v;

	for (i = 0; i < b->ng; i++)
		if (b->g[i] == g)
			return 0;
	if (b->ng == b->gcap) {
		unsigned cap = b->gcap ? b->gcap * 2u : 2u;

		if (cap > MAX_GROUPS)
			cap = MAX_GROUPS;
		if ((v = realloc(b->g, cap * sizeof(*v))) == NULL)
			return -1;
		b->g = v;
		b->gcap = (uint16_t)cap;
	}
	b->g[b->ng++] = g;
	return 0;
}

/* The BMC named name (interned), added if new; *isnew tells. */
static long
bmc_get(struct load *l, const char *name, const yaml_node_t *at, int *isnew)
{
	struct config *c = l->c;
	struct config_bmc *b;
	size_t j;

	if (c->nbmcs >= CONFIG_MAX_BMCS)
		return yerr(l, at, "more than %d BMCs", CONFIG_MAX_BMCS);
	if ((c->nbmcs + 1) * 2 > c->priv->bcap &&
	    byname_rebuild(c, c->nbmcs + 1) != 0)
		return yerr(l, at, "out of memory");
	j = byname_slot(c, name);
	*isnew = c->priv->byname[j] == NONE32;
	if (!*isnew)
		return (long)c->priv->byname[j];
	if (c->nbmcs == l->bcap) {
		size_t cap = l->bcap ? l->bcap * 2 : 64;
		struct btmp *bt;

		if ((b = realloc(c->bmcs, cap * sizeof(*b))) == NULL)
			return yerr(l, at, "out of memory");
		c->bmcs = b;
		if ((bt = realloc(l->bt, cap * sizeof(*bt))) == NULL)
			return yerr(l, at, "out of memory");
		l->bt = bt;
		l->bcap = cap;
	}
	b = &c->bmcs[c->nbmcs];
	memset(b, 0, sizeof(*b));
	memset(&l->bt[c->nbmcs], 0, sizeof(l->bt[0]));
	l->bt[c->nbmcs].entry = NONE32;
	if ((b->name = cfg_intern_str(c->priv, name)) == NULL)
		return yerr(l, at, "out of memory");
	b->address = b->name;
	b->line = (uint32_t)at->start_mark.line + 1;
	b->col = (uint16_t)(at->start_mark.column + 1 > UINT16_MAX ?
	    UINT16_MAX : at->start_mark.column + 1);
	c->priv->byname[j] = (uint32_t)c->nbmcs;
	return (long)c->nbmcs++;
}

/* hosts: "spec" or ["spec", ...] expanded into hl */
static int
y_hosts(struct load *l, const yaml_node_t *vn, struct hostlist *hl)
{
	char msg[256];
	const yaml_node_t *e;
	yaml_node_item_t *it;
	size_t i;

	if (vn->type == YAML_SEQUENCE_NODE) {
		for (it = vn->data.sequence.items.start;
		    it < vn->data.sequence.items.top; it++) {
			e = node(l, *it);
			if (yml_str(e) == NULL)
				return yerr(l, e, "hosts: expected a host list "
				    "like \"node[001-120]\"");
			if (hostlist_expand(hl, yml_str(e), msg, sizeof(msg)))
				return yerr(l, e, "%s", msg);
		}
	} else if (yml_str(vn) == NULL) {
		return yerr(l, vn, "hosts: expected a host list like "
		    "\"node[001-120]\" or a list of them");
	} else if (hostlist_expand(hl, yml_str(vn), msg, sizeof(msg)) != 0)
		return yerr(l, vn, "%s", msg);
	for (i = 0; i < hl->n; i++) {
		const char *why = cfg_bad_host(hl->hosts[i], 1);

		if (why != NULL)
			return yerr(l, vn, "host name '%s' %s", hl->hosts[i],
			    why);
	}
	return 0;
}

static int
y_bmc(struct load *l, const yaml_node_t *m, uint32_t ent)
{
	static const char *const keys[] = { "name", "address", "hosts",
		"groups", "labels", "settings", "credential", "interface",
		"cipher_suite", "privilege", "timeout", "retries", "insecure",
		"workarounds", "port", NULL };
	struct config *c = l->c;
	struct level *lv = &l->ent[ent];
	struct hostlist hl = { 0 };
	const yaml_node_t *name = NULL, *hosts = NULL, *addr = NULL;
	const yaml_node_t *groups = NULL;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key, *why, *address = NULL;
	uint16_t gidx[64];
	size_t ng = 0, i, k;
	int isnew;
	long bi;

	if (yml_str(m) != NULL) {
		hosts = m;	/* "- node[1-4]" is short for {hosts: ...} */
	} else {
		if (check_map(l, m, "a bmcs entry", keys) != 0)
			return yml_is_null(m) ? yerr(l, m, "a bmcs entry: "
			    "expected {name: ..., address: ...} or "
			    "{hosts: ...}") : -1;
		FOR_PAIRS(l, m, pr, kn, vn, key) {
			if (!strcmp(key, "name"))
				name = vn;
			else if (!strcmp(key, "hosts"))
				hosts = vn;
			else if (!strcmp(key, "address"))
				addr = vn;
			else if (!strcmp(key, "groups"))
				groups = vn;
			else if (!strcmp(key, "labels")) {
				if (y_labels(l, vn, &lv->labels, &lv->nlabels))
					return -1;
			} else if (!strcmp(key, "settings")) {
				if (y_settings(l, vn, lv) != 0)
					return -1;
			} else if (y_setting(l, key, vn, &lv->s, &lv->set))
				return -1;
		}
	}
	if ((name == NULL) == (hosts == NULL))
		return yerr(l, m, "a bmcs entry needs either name (one BMC) or "
		    "hosts (a host list), not %s", name ? "both" : "neither");
	if (addr != NULL) {
		if (name == NULL)
			return yerr(l, addr, "address: only with name (a host "
			    "list's names are their addresses)");
		if ((address = yml_str(addr)) == NULL ||
		    (why = cfg_bad_host(address, 0)) != NULL)
			return yerr(l, addr, "address: expected a host name or "
			    "IP address");
	}
	if (groups != NULL && !yml_is_null(groups)) {
		const yaml_node_t *one[1] = { groups }, *const *e = one;
		size_t cnt = 1;

		if (groups->type == YAML_SEQUENCE_NODE) {
			e = NULL;
			cnt = (size_t)(groups->data.sequence.items.top -
			    groups->data.sequence.items.start);
		} else if (yml_str(groups) == NULL)
			return yerr(l, groups, "groups: expected a list of "
			    "group names");
		if (cnt > sizeof(gidx) / sizeof(gidx[0]))
			return yerr(l, groups, "groups: more than %zu",
			    sizeof(gidx) / sizeof(gidx[0]));
		for (k = 0; k < cnt; k++) {
			const yaml_node_t *gn = e ? e[k] :
			    node(l, groups->data.sequence.items.start[k]);
			const char *g = yml_str(gn);
			char hint[96];
			long gi;

			if (g == NULL)
				return yerr(l, gn, "groups: expected a group "
				    "name");
			if ((gi = group_find(c, g)) < 0) {
				name_hint(hint, sizeof(hint), g, c, 1);
				return yerr(l, gn, "unknown group '%s'%s", g,
				    hint[0] ? hint : " (not in groups)");
			}
			gidx[ng++] = (uint16_t)gi;
		}
	}
	if (name != NULL) {
		const char *s = yml_str(name);

		if (s == NULL)
			return yerr(l, name, "name: expected a BMC name");
		if ((why = cfg_bad_host(s, 1)) != NULL)
			return yerr(l, name, "name '%s' %s", s, why);
		if ((hl.hosts = malloc(sizeof(*hl.hosts))) == NULL ||
		    (hl.hosts[0] = strdup(s)) == NULL) {
			hostlist_release(&hl);
			return yerr(l, name, "out of memory");
		}
		hl.n = 1;
	} else if (y_hosts(l, hosts, &hl) != 0) {
		hostlist_release(&hl);
		return -1;
	}
	for (i = 0; i < hl.n; i++) {
		struct btmp *bt;

		if ((bi = bmc_get(l, hl.hosts[i], m, &isnew)) < 0)
			goto fail;
		bt = &l->bt[bi];
		if (!isnew) {
			const struct config_bmc *b = &c->bmcs[bi];

			if (bt->entry == ent)
				yerr(l, m, "bmc '%s' is listed twice in this "
				    "entry", b->name);
			else
				yerr(l, m, "bmc '%s' is already defined at "
				    "%s:%lu:%lu", b->name, l->path,
				    (unsigned long)b->line,
				    (unsigned long)b->col);
			goto fail;
		}
		bt->entry = ent;
		if (address != NULL && (c->bmcs[bi].address =
		    cfg_intern_str(l->p, address)) == NULL) {
			yerr(l, m, "out of memory");
			goto fail;
		}
		for (k = 0; k < ng; k++)
			if (bt_add_group(bt, gidx[k]) != 0) {
				yerr(l, m, "out of memory");
				goto fail;
			}
	}
	hostlist_release(&hl);
	return 0;
fail:
	hostlist_release(&hl);
	return -1;
}

int
y_bmcs(struct load *l, const yaml_node_t *s)
{
	yaml_node_item_t *it;
	size_t n;

	if (yml_is_null(s))
		return 0;
	if (s->type != YAML_SEQUENCE_NODE)
		return yerr(l, s, "bmcs: expected a list of {name: ...} or "
		    "{hosts: ...} entries");
	n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
	if ((l->ent = calloc(n ? n : 1, sizeof(*l->ent))) == NULL)
		return yerr(l, s, "out of memory");
	for (it = s->data.sequence.items.start; it < s->data.sequence.items.top;
	    it++) {
		l->nent++;
		if (y_bmc(l, node(l, *it), (uint32_t)(l->nent - 1)) != 0)
			return -1;
	}
	return 0;
}

/* Each group's hosts: members, added as BMCs when no bmcs entry has them. */
int
y_group_hosts(struct load *l)
{
	struct config *c = l->c;
	struct hostlist hl = { 0 };
	size_t g, i;
	int isnew;
	long bi;

	for (g = 0; g < c->ngroups; g++) {
		if (l->ghosts[g] == NULL || yml_is_null(l->ghosts[g]))
			continue;
		if (y_hosts(l, l->ghosts[g], &hl) != 0)
			goto fail;
		for (i = 0; i < hl.n; i++) {
			if ((bi = bmc_get(l, hl.hosts[i], l->ghosts[g],
			    &isnew)) < 0)
				goto fail;
			if (bt_add_group(&l->bt[bi], (uint16_t)g) != 0) {
				yerr(l, l->ghosts[g], "out of memory");
				goto fail;
			}
		}
		hostlist_release(&hl);
	}
	return 0;
fail:
	hostlist_release(&hl);
	return -1;
}
