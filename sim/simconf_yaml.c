/*
 * simconf_yaml: bmcsim's YAML configuration file (--config; simconf.h has
 * its shape): the top level, users, fleet defaults and per-BMC entries,
 * with errors at file:line:column.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "quirk.h"
#include "ipmi/ipmi.h"
#include "lib/text.h"
#include "lib/yml.h"
#include "model.h"
#include "store.h"
#include "simconf_int.h"

struct yctx {
	yaml_document_t	*doc;
	const char	*path;
	char		*err;
	size_t		 errlen;
	struct sim_conf	*conf;		/* for the fleet-wide defaults */
};

/* "PATH:LINE:COL: ..." at node n (lib/yml), -1 */
#define yerr(y, n, ...)	\
	yml_errf((y)->err, (y)->errlen, (y)->path, (n), __VA_ARGS__)

/* One knob "key: value" into k; 1 if key is not a knob. */
static int
y_knob(struct yctx *y, const char *key, const yaml_node_t *v,
    struct sim_knobs *k, unsigned *set)
{
	const char *s = yml_scalar(v);

	if (!strcmp(key, "quirks")) {
		yaml_node_item_t *it;
		uint32_t b;

		if (v->type != YAML_SEQUENCE_NODE)
			return yerr(y, v, "quirks: expected a list like "
			    "[authcap] (known: %s)", sim_quirk_names());
		/* no reset: the fleet's quirks add up with --quirk's, as a
		 * BMC's entries add up (simconf_knobs) */
		for (it = v->data.sequence.items.start;
		    it < v->data.sequence.items.top; it++) {
			const yaml_node_t *e = yaml_document_get_node(y->doc,
			    *it);
			const char *q = yml_scalar(e);

			/* one name per item: "a,b" is a typo, not two */
			if (q == NULL || (b = sim_quirk_lookup(q)) == 0)
				return yerr(y, e, "quirks: unknown quirk '%s' "
				    "(known: %s)", q ? q : "", sim_quirk_names());
			k->quirks |= b;
		}
		*set |= SIM_K_QUIRKS;
		return 0;
	}

	static const char *const knobs[] = { "model", "latency_ms",
	    "jitter_ms", "loss", "power_delay_ms", "power_off_delay_ms",
	    "soft_off_ms", "power_ramp_ms", "session_limit", "power", "dead",
	    "refuse_power", "ignore_power", "slow_ms", "reboot_after",
	    "reboot_every_ms", "firmware_rev" };
	size_t i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (!strcmp(key, knobs[i]))
			break;
	if (i == sizeof(knobs) / sizeof(knobs[0]))
		return 1;
	if (s == NULL)
		return yerr(y, v, "'%s': expected a scalar value", key);
	if (!strcmp(key, "model")) {
		if (simconf_parse_model(s, &k->model) != 0)
			return yerr(y, v, "unknown model '%s' (known: %s)", s,
			    sim_model_names());
		*set |= SIM_K_MODEL;
	} else if (!strcmp(key, "latency_ms")) {
		if (simconf_parse_u32(s, 0, 600000, &k->latency_ms) != 0)
			return yerr(y, v, "latency_ms: expected 0..600000");
		*set |= SIM_K_LATENCY;
	} else if (!strcmp(key, "jitter_ms")) {
		if (simconf_parse_u32(s, 0, 600000, &k->jitter_ms) != 0)
			return yerr(y, v, "jitter_ms: expected 0..600000");
		*set |= SIM_K_JITTER;
	} else if (!strcmp(key, "loss")) {
		if (simconf_parse_pct(s, &k->loss_ppm) != 0)
			return yerr(y, v, "loss: expected a percentage 0..100");
		*set |= SIM_K_LOSS;
	} else if (!strcmp(key, "power_delay_ms")) {
		uint32_t ms;

		if (simconf_parse_u32(s, 0, 3600000, &ms) != 0)
			return yerr(y, v, "power_delay_ms: expected 0..3600000");
		/* both delays, but not over a power_off_delay_ms given */
		k->power_on_delay_ms = ms;
		if (!(*set & SIM_K_POWER_OFF_DELAY))
			k->power_off_delay_ms = ms;
		*set |= SIM_K_POWER_DELAY;
	} else if (!strcmp(key, "power_off_delay_ms")) {
		if (simconf_parse_u32(s, 0, 3600000, &k->power_off_delay_ms) != 0)
			return yerr(y, v, "power_off_delay_ms: expected "
			    "0..3600000");
		*set |= SIM_K_POWER_OFF_DELAY;
	} else if (!strcmp(key, "soft_off_ms")) {
		if (simconf_parse_u32(s, 0, 3600000, &k->soft_off_ms) != 0)
			return yerr(y, v, "soft_off_ms: expected 0..3600000");
		*set |= SIM_K_SOFT_OFF;
	} else if (!strcmp(key, "power_ramp_ms")) {
		if (simconf_parse_u32(s, 0, 3600000, &k->power_ramp_ms) != 0)
			return yerr(y, v, "power_ramp_ms: expected 0..3600000");
		*set |= SIM_K_POWER_RAMP;
	} else if (!strcmp(key, "refuse_power")) {
		if (text_parse_bool(s, TEXT_BOOL_DIGITS,
		    &k->refuse_power) != 0)
			return yerr(y, v, "refuse_power: expected true or "
			    "false");
		*set |= SIM_K_REFUSE_POWER;
	} else if (!strcmp(key, "ignore_power")) {
		if (text_parse_bool(s, TEXT_BOOL_DIGITS,
		    &k->ignore_power) != 0)
			return yerr(y, v, "ignore_power: expected true or "
			    "false");
		*set |= SIM_K_IGNORE_POWER;
	} else if (!strcmp(key, "firmware_rev")) {
		if (simconf_parse_u32(s, 0, 99, &k->fw_rev) != 0)
			return yerr(y, v, "firmware_rev: expected 0..99");
		*set |= SIM_K_FW_REV;
	} else if (!strcmp(key, "slow_ms")) {
		if (simconf_parse_u32(s, 0, 600000, &k->slow_ms) != 0)
			return yerr(y, v, "slow_ms: expected 0..600000");
		*set |= SIM_K_SLOW_MS;
	} else if (!strcmp(key, "reboot_every_ms")) {
		if (simconf_parse_u32(s, 0, 86400000, &k->reboot_ms) != 0)
			return yerr(y, v, "reboot_every_ms: expected "
			    "0..86400000");
		*set |= SIM_K_REBOOT_MS;
	} else if (!strcmp(key, "reboot_after")) {
		if (simconf_parse_u32(s, 1, 1000000, &k->reboot_after) != 0)
			return yerr(y, v, "reboot_after: expected 1..1000000");
		*set |= SIM_K_REBOOT_AFTER;
	} else if (!strcmp(key, "session_limit")) {
		if (simconf_parse_u32(s, 1, 64, &k->session_limit) != 0)
			return yerr(y, v, "session_limit: expected 1..64");
		*set |= SIM_K_SESSION_LIMIT;
	} else if (!strcmp(key, "power")) {
		if (text_parse_bool(s, TEXT_BOOL_DIGITS,
		    &k->power_on) != 0)
			return yerr(y, v, "power: expected on or off");
		*set |= SIM_K_POWER;
	} else {
		if (text_parse_bool(s, TEXT_BOOL_DIGITS,
		    &k->dead) != 0)
			return yerr(y, v, "dead: expected true or false");
		*set |= SIM_K_DEAD;
	}
	return 0;
}

/* sel_capacity, sel_epoch: the same for every BMC, so only in defaults */
static int
y_fleet_knob(struct yctx *y, const char *key, const yaml_node_t *v,
    int per_bmc)
{
	const char *s = yml_scalar(v);

	if (per_bmc)
		return yerr(y, v, "'%s' is fleet-wide: set it in defaults",
		    key);
	if (s == NULL)
		return yerr(y, v, "'%s': expected a scalar value", key);
	if (!strcmp(key, "sel_capacity")) {
		if (simconf_parse_u32(s, 1, SIM_SEL_CAPACITY_MAX,
		    &y->conf->sel_capacity) != 0)
			return yerr(y, v, "sel_capacity: expected 1..%d",
			    SIM_SEL_CAPACITY_MAX);
	} else if (simconf_parse_u32(s, SIM_SEL_EPOCH_MIN, UINT32_MAX,
	    &y->conf->sel_epoch) != 0)
		return yerr(y, v, "sel_epoch: expected seconds since 1970, "
		    "%u..%u", SIM_SEL_EPOCH_MIN, UINT32_MAX);
	return 0;
}

static int
y_knobs(struct yctx *y, const yaml_node_t *m, struct sim_knobs *k,
    unsigned *set, int with_index, uint32_t *first, uint32_t *last)
{
	yaml_node_pair_t *p;
	int have_index = 0, rc;

	if (m->type != YAML_MAPPING_NODE)
		return yerr(y, m, "expected a mapping of settings");
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	    p++) {
		yaml_node_t *kn = yaml_document_get_node(y->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(y->doc, p->value);
		const char *key = yml_scalar(kn), *s;

		if (key == NULL)
			return yerr(y, kn, "expected a setting name");
		if (with_index && !strcmp(key, "index")) {
			if ((s = yml_scalar(vn)) == NULL ||
			    simconf_parse_range(s, first, last) != 0)
				return yerr(y, vn, "index: expected a 1-based "
				    "BMC number or range like \"10-19\"");
			have_index = 1;
			continue;
		}
		if (!strcmp(key, "sel_capacity") ||
		    !strcmp(key, "sel_epoch")) {
			if ((rc = y_fleet_knob(y, key, vn, with_index)) < 0)
				return -1;
			continue;
		}
		if ((rc = y_knob(y, key, vn, k, set)) < 0)
			return -1;
		if (rc == 1)
			return yerr(y, kn, "unknown setting '%s' (expected "
			    "%smodel, latency_ms, jitter_ms, loss, "
			    "power_delay_ms, power_off_delay_ms, soft_off_ms, "
			    "power_ramp_ms, session_limit, power, dead, "
			    "refuse_power, ignore_power, quirks, slow_ms, "
			    "reboot_after, reboot_every_ms, firmware_rev%s)",
			    key, with_index ? "index, " : "",
			    with_index ? "" : ", sel_capacity, sel_epoch");
	}
	if (with_index && !have_index)
		return yerr(y, m, "a bmcs entry needs an index");
	return 0;
}

static int
y_user(struct yctx *y, struct sim_conf *c, const yaml_node_t *m)
{
	const char *name = NULL, *pw = NULL, *pwfile = NULL, *priv = NULL;
	const yaml_node_t *at = m;
	yaml_node_pair_t *p;
	struct sim_user *u;
	char buf[64];
	int lvl = IPMI_PRIV_ADMIN;

	if (m->type != YAML_MAPPING_NODE)
		return yerr(y, m, "a user: expected {name, password, "
		    "privilege}");
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	    p++) {
		yaml_node_t *kn = yaml_document_get_node(y->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(y->doc, p->value);
		const char *key = yml_scalar(kn), *s = yml_scalar(vn);

		if (key == NULL || s == NULL)
			return yerr(y, kn, "a user: expected key: value");
		if (!strcmp(key, "name"))
			name = s;
		else if (!strcmp(key, "password"))
			pw = s;
		else if (!strcmp(key, "password_file"))
			pwfile = s;
		else if (!strcmp(key, "privilege")) {
			priv = s;
			at = vn;
		} else
			return yerr(y, kn, "unknown user setting '%s' (expected"
			    " name, password, password_file, privilege)", key);
	}
	if (name == NULL)
		return yerr(y, m, "a user needs a name (\"\" for the null "
		    "user)");
	if (priv != NULL && (lvl = ipmi_priv_parse(priv)) < 0)
		return yerr(y, at, "privilege: expected user, operator or "
		    "admin");
	if ((u = simconf_user_slot(c, name, y->err, y->errlen)) == NULL)
		return yerr(y, m, "%s", y->err);
	u->priv = (uint8_t)lvl;
	if (pwfile != NULL) {
		if (simconf_read_password_file(pwfile, buf, sizeof(buf), y->err,
		    y->errlen) != 0)
			return yerr(y, m, "%s", y->err);
		pw = buf;
	}
	if (pw != NULL && simconf_set_password(u, pw, y->err, y->errlen) != 0)
		return yerr(y, m, "%s", y->err);
	memset(buf, 0, sizeof(buf));
	return 0;
}

static int
y_top(struct yctx *y, struct sim_conf *c, const yaml_node_t *root)
{
	yaml_node_pair_t *p;
	yaml_node_item_t *it;
	int first_user = 1;

	if (root->type != YAML_MAPPING_NODE)
		return yerr(y, root, "expected a mapping at the top level");
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(y->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(y->doc, p->value);
		const char *key = yml_scalar(kn), *s = yml_scalar(vn);
		uint32_t u32;
		struct in_addr ia;

		if (key == NULL)
			return yerr(y, kn, "expected a setting name");
		if (!strcmp(key, "count")) {
			if (s == NULL || simconf_parse_u32(s, 1, SIM_MAX_COUNT,
			    &c->count) != 0)
				return yerr(y, vn, "count: expected 1..%d",
				    SIM_MAX_COUNT);
		} else if (!strcmp(key, "base")) {
			if (s == NULL || inet_pton(AF_INET, s, &ia) != 1)
				return yerr(y, vn, "base: expected an IPv4 "
				    "address");
			c->base = ntohl(ia.s_addr);
		} else if (!strcmp(key, "port")) {
			if (s == NULL || simconf_parse_u32(s, 1, 65535, &u32) != 0)
				return yerr(y, vn, "port: expected 1..65535");
			c->port = (uint16_t)u32;
		} else if (!strcmp(key, "seed")) {
			char *end;

			if (s == NULL)
				return yerr(y, vn, "seed: expected a number");
			errno = 0;
			c->seed = strtoull(s, &end, 0);
			if (errno || *end)
				return yerr(y, vn, "seed: expected a number");
		} else if (!strcmp(key, "stats")) {
			if (s == NULL)
				return yerr(y, vn, "stats: expected a path");
			free(c->stats_path);
			if ((c->stats_path = strdup(s)) == NULL)
				return yerr(y, vn, "out of memory");
		} else if (!strcmp(key, "sel_dump")) {
			if (s == NULL)
				return yerr(y, vn, "sel_dump: expected a path");
			free(c->sel_dump_path);
			if ((c->sel_dump_path = strdup(s)) == NULL)
				return yerr(y, vn, "out of memory");
		} else if (!strcmp(key, "kg")) {
			if (s == NULL || simconf_parse_hex(s, c->auth.kg, IPMI_KG_LEN,
			    &c->auth.kglen) != 0)
				return yerr(y, vn, "kg: expected up to 20 bytes "
				    "in hex");
		} else if (!strcmp(key, "suites") || !strcmp(key, "v15_auth")) {
			int suites = !strcmp(key, "suites");

			if (vn->type != YAML_SEQUENCE_NODE)
				return yerr(y, vn, "%s: expected a list", key);
			if (suites)
				c->auth.suites = 0;
			else
				c->auth.v15_types = 0;
			for (it = vn->data.sequence.items.start;
			    it < vn->data.sequence.items.top; it++) {
				yaml_node_t *e = yaml_document_get_node(y->doc,
				    *it);
				const char *es = yml_scalar(e);
				uint32_t m;

				if (es == NULL)
					return yerr(y, e, "%s: expected a "
					    "scalar", key);
				if (suites) {
					if (simconf_parse_suites(es, &m) != 0)
						return yerr(y, e, "suites: '%s' "
						    "is not a supported cipher "
						    "suite", es);
					c->auth.suites |= m;
				} else if (simconf_auth_type_bit(es,
				    &c->auth.v15_types) != 0)
					return yerr(y, e, "v15_auth: expected "
					    "md5, straight, none or md2");
			}
		} else if (!strcmp(key, "users")) {
			if (vn->type != YAML_SEQUENCE_NODE)
				return yerr(y, vn, "users: expected a list");
			for (it = vn->data.sequence.items.start;
			    it < vn->data.sequence.items.top; it++) {
				if (first_user) {
					/* the file's users replace admin/admin */
					c->auth.nusers = 0;
					first_user = 0;
				}
				if (y_user(y, c, yaml_document_get_node(y->doc,
				    *it)) != 0)
					return -1;
			}
		} else if (!strcmp(key, "defaults")) {
			unsigned set = 0;

			if (y_knobs(y, vn, &c->def, &set, 0, NULL, NULL) != 0)
				return -1;
		} else if (!strcmp(key, "bmcs")) {
			if (vn->type != YAML_SEQUENCE_NODE)
				return yerr(y, vn, "bmcs: expected a list");
			for (it = vn->data.sequence.items.start;
			    it < vn->data.sequence.items.top; it++) {
				struct sim_override *o;

				if ((o = simconf_add_override(c)) == NULL)
					return yerr(y, vn, "out of memory");
				if (y_knobs(y, yaml_document_get_node(y->doc,
				    *it), &o->k, &o->set, 1, &o->first,
				    &o->last) != 0)
					return -1;
			}
		} else
			return yerr(y, kn, "unknown setting '%s' (expected "
			    "count, base, port, seed, suites, v15_auth, kg, "
			    "users, defaults, bmcs, stats, sel_dump)", key);
	}
	return 0;
}

int
simconf_load(struct sim_conf *c, const char *path, char *err, size_t errlen)
{
	yaml_document_t doc;
	yaml_node_t *root;
	struct yctx y = { &doc, path, err, errlen, c };
	int rc = 0;

	if (yml_load_file(&doc, path, err, errlen) != 0)
		return -1;
	if ((root = yaml_document_get_root_node(&doc)) != NULL)
		rc = y_top(&y, c, root);
	yaml_document_delete(&doc);
	return rc;
}
