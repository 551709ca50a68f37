/*
 * config's resolution: each BMC's settings and labels from defaults, its
 * groups and its bmcs entry, then the checks that need them resolved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

#include "cli/config.h"
#include "cli/config_int.h"
#include "cli/hostlist.h"
#include "ipmi/ipmi.h"
#include "ipmi/rmcpp.h"
#include "ipmi/session.h"

void
cfg_apply(struct config_settings *d, const struct level *lv)
{
	const struct config_settings *s = &lv->s;

	if (lv->set & S_CREDENTIAL)
		d->credential = s->credential;
	if (lv->set & S_IFACE)
		d->iface = s->iface;
	if (lv->set & S_SUITE)
		d->cipher_suite = s->cipher_suite;
	if (lv->set & S_PRIV)
		d->priv = s->priv;
	if (lv->set & S_TIMEOUT)
		d->timeout_ms = s->timeout_ms;
	if (lv->set & S_RETRIES)
		d->retries = s->retries;
	if (lv->set & S_INSECURE)
		d->insecure = s->insecure;
	if (lv->set & S_WORKAROUNDS)
		d->workarounds = s->workarounds;
	if (lv->set & S_PORT)
		d->port = s->port;
}

/* merge lv's labels into l->lbuf[0..*n), later levels winning */
static int
merge_labels(struct load *l, size_t *n, const struct level *lv)
{
	size_t i, j;

	for (i = 0; i < lv->nlabels; i++) {
		/* keys are interned: equal keys are equal pointers */
		for (j = 0; j < *n; j++)
			if (l->lbuf[j].key == lv->labels[i].key)
				break;
		if (j == *n) {
			if (*n == l->lcap) {
				size_t cap = l->lcap ? l->lcap * 2 : 16;
				struct config_label *v;

				if ((v = realloc(l->lbuf, cap * sizeof(*v))) ==
				    NULL)
					return -1;
				l->lbuf = v;
				l->lcap = cap;
			}
			(*n)++;
		}
		l->lbuf[j] = lv->labels[i];
	}
	return 0;
}

static int
u16_cmp(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static int
bmc_cmp(const void *a, const void *b)
{
	return hostlist_cmp(((const struct config_bmc *)a)->name,
	    ((const struct config_bmc *)b)->name);
}

int
cfg_resolve(struct load *l)
{
	struct config *c = l->c;
	const struct level none = { .set = 0 };
	const uint16_t *pg = NULL;
	uint32_t pent = NONE32;
	size_t i, k, nl;
	int first = 1;

	for (i = 0; i < c->nbmcs; i++) {
		struct config_bmc *b = &c->bmcs[i];
		struct btmp *bt = &l->bt[i];
		const struct level *ent = bt->entry == NONE32 ? &none :
		    &l->ent[bt->entry];

		if (bt->ng > 1)
			qsort(bt->g, bt->ng, sizeof(*bt->g), u16_cmp);
		b->ngroups = bt->ng;
		if (bt->ng > 0 && (b->groups = cfg_intern(l->p, bt->g, bt->ng *
		    sizeof(*bt->g))) == NULL)
			return errf(l->err, l->errlen, "out of memory");
		free(bt->g);
		bt->g = NULL;
		for (k = 0; k < bt->ng; k++)
			c->groups[b->groups[k]].nmembers++;
		/* a host range's BMCs share all this: do it once per run */
		if (!first && bt->entry == pent && b->groups == pg) {
			b->s = b[-1].s;
			b->labels = b[-1].labels;
			b->nlabels = b[-1].nlabels;
			continue;
		}
		first = 0;
		pent = bt->entry;
		pg = b->groups;
		b->s = c->defaults;
		nl = 0;
		if (merge_labels(l, &nl, &l->def) != 0)
			return errf(l->err, l->errlen, "out of memory");
		for (k = 0; k < b->ngroups; k++) {
			cfg_apply(&b->s, &l->gdef[b->groups[k]]);
			if (merge_labels(l, &nl, &l->gdef[b->groups[k]]) != 0)
				return errf(l->err, l->errlen,
				    "out of memory");
		}
		cfg_apply(&b->s, ent);
		if (merge_labels(l, &nl, ent) != 0)
			return errf(l->err, l->errlen, "out of memory");
		if (nl > MAX_LABELS)
			return yerr_at(l, b->line, b->col, "too many labels");
		if (nl > 1)
			qsort(l->lbuf, nl, sizeof(*l->lbuf), label_cmp);
		b->nlabels = (uint16_t)nl;
		b->labels = NULL;
		if (nl > 0 && (b->labels = cfg_intern(l->p, l->lbuf, nl *
		    sizeof(*l->lbuf))) == NULL)
			return errf(l->err, l->errlen, "out of memory");
	}
	/* after sharing: one check per BMC, at the place it came from */
	for (i = 0; i < c->nbmcs; i++) {
		const struct config_bmc *b = &c->bmcs[i];
		const struct ipmi_cipher_suite *cs;
		char msg[MSG_MAX];

		if (b->s.credential == CONFIG_NO_CREDENTIAL) {
			snprintf(msg, sizeof(msg), "bmc '%s' has no credential "
			    "(set credential in defaults, its group or its "
			    "entry)", b->name);
			return yerr_at(l, b->line, b->col, "%s", msg);
		}
		if (b->s.insecure)
			continue;
		if (c->creds[b->s.credential].user[0] == '\0') {
			snprintf(msg, sizeof(msg), "bmc '%s': credential '%s' "
			    "is the null user, which needs insecure: true",
			    b->name, c->creds[b->s.credential].name);
			return yerr_at(l, b->line, b->col, "%s", msg);
		}
		if (b->s.iface == IPMI_IFACE_LANPLUS &&
		    b->s.cipher_suite != IPMI_SUITE_AUTO &&
		    (cs = ipmi_cipher_suite(b->s.cipher_suite)) != NULL &&
		    !ipmi_cipher_suite_secure(cs)) {
			snprintf(msg, sizeof(msg), "bmc '%s': cipher_suite %d "
			    "lacks authentication, integrity or encryption, "
			    "which needs insecure: true", b->name,
			    b->s.cipher_suite);
			return yerr_at(l, b->line, b->col, "%s", msg);
		}
	}
	if (c->nbmcs > 1)
		qsort(c->bmcs, c->nbmcs, sizeof(*c->bmcs), bmc_cmp);
	if (byname_rebuild(c, c->nbmcs) != 0)
		return errf(l->err, l->errlen, "out of memory");
	return 0;
}
