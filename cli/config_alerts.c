/*
 * config's alerts: section: named actions (webhook, syslog, email) and
 * the rules that send to them (scheduler/alert_rule.h).  Walked after the
 * fleet: a rule's targets are resolved here, once, into the names of the
 * BMCs they select, so the engine matches by name.
 *
 *   alerts:
 *     give_up: 24h
 *     poll: 10s
 *     actions:
 *       ops-hook: {kind: webhook, url: https://..., token_env: T,
 *                  rate: 30/min, burst: 10}
 *       local:    {kind: syslog, socket: /dev/log, facility: daemon}
 *       mail:     {kind: email, url: smtp://mx:25, from: a@b, to: [c@d],
 *                  user: u, password_file: f}
 *     rules:
 *       - name: psu
 *         match: {severity: warning, sensor_type: Power Supply,
 *                 text: "*lost*", targets: "@rackA", source: [sel, pet]}
 *         actions: [ops-hook, mail]
 *         dedup: 10m
 *         recovery: true
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "cli/config.h"
#include "cli/config_int.h"

#define MAX_ACTIONS	256
#define MAX_RULES	4096
#define MAX_TO		64

static const char *const kind_names[] = { "webhook", "syslog", "email" };

/* "30/min", "5/s", "100/h", "1000/day": tokens a day and the default
 * burst, 0; -1 */
static int
parse_rate(const char *s, uint64_t *per_day, uint32_t *count)
{
	const char *slash = strchr(s, '/');
	char num[16];
	uint64_t n, per;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(num) || slash == s)
		return -1;
	memcpy(num, s, (size_t)(slash - s));
	num[slash - s] = '\0';
	if (text_parse_uint(num, 1, 1000000, &n) != 0)
		return -1;
	slash++;
	if (!strcmp(slash, "s") || !strcmp(slash, "sec"))
		per = 1;
	else if (!strcmp(slash, "min") || !strcmp(slash, "m"))
		per = 60;
	else if (!strcmp(slash, "h") || !strcmp(slash, "hour"))
		per = 3600;
	else if (!strcmp(slash, "d") || !strcmp(slash, "day"))
		per = 86400;
	else
		return -1;
	/* tokens a day, exact: every period divides a day */
	*per_day = n * (86400 / per);
	/* the burst by default: the count as written (100/h: 100 at once) */
	*count = n > 100000 ? 100000 : (uint32_t)n;
	return 0;
}

/* a string, or a sequence of strings, into an interned array */
static int
y_strings(struct load *l, const yaml_node_t *vn, const char *what,
    size_t max, const char *const **out, size_t *nout)
{
	const char **v;
	yaml_node_item_t *it;
	size_t n = 0;

	if (vn->type == YAML_SCALAR_NODE && !yml_is_null(vn)) {
		if ((v = cfg_arena_alloc(l->p, sizeof(*v))) == NULL ||
		    (v[0] = cfg_intern_str(l->p, yml_str(vn))) == NULL)
			return yerr(l, vn, "out of memory");
		*out = v;
		*nout = 1;
		return 0;
	}
	if (vn->type != YAML_SEQUENCE_NODE)
		return yerr(l, vn, "%s: expected a name or a list of them",
		    what);
	n = (size_t)(vn->data.sequence.items.top -
	    vn->data.sequence.items.start);
	if (n == 0 || n > max)
		return yerr(l, vn, "%s: expected 1 to %zu of them", what, max);
	if ((v = cfg_arena_alloc(l->p, n * sizeof(*v))) == NULL)
		return yerr(l, vn, "out of memory");
	n = 0;
	for (it = vn->data.sequence.items.start;
	    it < vn->data.sequence.items.top; it++) {
		const yaml_node_t *e = node(l, *it);

		if (e == NULL || e->type != YAML_SCALAR_NODE ||
		    yml_str(e) == NULL || *yml_str(e) == '\0')
			return yerr(l, e ? e : vn, "%s: expected a name", what);
		if ((v[n++] = cfg_intern_str(l->p, yml_str(e))) == NULL)
			return yerr(l, e, "out of memory");
	}
	*out = v;
	*nout = n;
	return 0;
}

static int
y_action(struct load *l, const yaml_node_t *kn, const yaml_node_t *m,
    struct config_alert_action *a)
{
	static const char *const keys[] = { "kind", "url", "token_file",
		"token_env", "insecure", "socket", "facility", "ident", "from",
		"to", "user", "password_file", "rate", "burst", "timeout",
		"ca_file", "tls_verify", "starttls", NULL };
	/* which keys each kind takes, beyond kind, rate and burst */
	static const char *const per_kind[] = {
		" url token_file token_env insecure ca_file tls_verify ",
		" socket facility ident ",
		" url from to user password_file starttls insecure ca_file "
		    "tls_verify ",
	};
	static const char *const per_kind_words[] = {
		"url, token_file, token_env, insecure, ca_file, tls_verify",
		"socket, facility, ident",
		"url, from, to, user, password_file, starttls, insecure, "
		    "ca_file, tls_verify",
	};
	const yaml_node_t *kind = NULL, *burst = NULL, *tls = NULL;
	yaml_node_pair_t *pr;
	yaml_node_t *k2, *vn;
	const char *key, *name = yml_scalar(kn);
	char hint[128], pad[40];
	uint64_t u;
	size_t i;
	int rc;

	memset(a, 0, sizeof(*a));
	if (!text_is_ident(name))
		return yerr(l, kn, "actions: '%s': expected a name of letters, "
		    "digits, '-' and '_'", name);
	if ((a->name = cfg_intern_str(l->p, name)) == NULL)
		return yerr(l, kn, "out of memory");
	if ((rc = check_map(l, m, "an action", keys)) != 0)
		return rc < 0 ? -1 : yerr(l, kn, "actions: '%s': missing kind "
		    "(webhook, syslog or email)", name);
	FOR_PAIRS(l, m, pr, k2, vn, key)
		if (!strcmp(key, "kind"))
			kind = vn;
	if (kind == NULL)
		return yerr(l, kn, "actions: '%s': missing kind (webhook, "
		    "syslog or email)", name);
	for (i = 0; i < 3; i++)
		if (yml_str(kind) && !strcmp(yml_str(kind), kind_names[i]))
			break;
	if (i == 3)
		return yerr(l, kind, "actions: '%s': kind: expected webhook, "
		    "syslog or email%s", name, text_did_you_mean(hint,
		    sizeof(hint), yml_str(kind) ? yml_str(kind) : "",
		    kind_names, 3));
	a->kind = (int)i;
	a->socket = "/dev/log";
	a->facility = "daemon";
	a->ident = "bmcfleetd";
	FOR_PAIRS(l, m, pr, k2, vn, key) {
		const char *v = yml_str(vn) ? yml_str(vn) : "";

		if (!strcmp(key, "kind"))
			continue;
		snprintf(pad, sizeof(pad), " %s ", key);
		if (strcmp(key, "rate") && strcmp(key, "burst") &&
		    strcmp(key, "timeout") &&
		    strstr(per_kind[a->kind], pad) == NULL)
			return yerr(l, k2, "actions: '%s': %s is not a key of a "
			    "%s action (it takes %s, rate, burst, timeout)", name,
			    key, kind_names[a->kind],
			    per_kind_words[a->kind]);
		if (!strcmp(key, "rate")) {
			if (parse_rate(v, &a->rate_per_day, &a->burst) != 0)
				return yerr(l, vn, "actions: '%s': rate: "
				    "expected a count per time like 30/min, "
				    "5/s, 100/h or 1000/day", name);
		} else if (!strcmp(key, "burst")) {
			if (text_parse_uint(v, 1, 100000, &u) != 0)
				return yerr(l, vn, "actions: '%s': burst: "
				    "expected a number 1..100000", name);
			burst = vn;
			a->burst = (uint32_t)u;
		} else if (!strcmp(key, "insecure")) {
			if (text_parse_bool(v, 0, &a->insecure) != 0)
				return yerr(l, vn, "actions: '%s': insecure: "
				    "expected true or false", name);
		} else if (!strcmp(key, "tls_verify")) {
			int on;

			if (text_parse_bool(v, 0, &on) != 0)
				return yerr(l, vn, "actions: '%s': tls_verify: "
				    "expected true or false", name);
			a->tls_off = !on;
			tls = vn;
		} else if (!strcmp(key, "starttls")) {
			if (strcmp(v, "try") && strcmp(v, "require"))
				return yerr(l, vn, "actions: '%s': starttls: "
				    "expected try or require", name);
			a->starttls_require = !strcmp(v, "require");
		} else if (!strcmp(key, "timeout")) {
			if (cfg_duration(l, vn, key, 100, 10 * UNITS_MIN,
			    &a->timeout_ms) != 0)
				return -1;
		} else if (!strcmp(key, "url")) {
			int ok = a->kind == CONFIG_ACTION_WEBHOOK ?
			    cfg_valid_url(v) : (!strncmp(v, "smtp://", 7) ||
			    !strncmp(v, "smtps://", 8)) &&
			    strchr(v, '/')[2] != '\0' &&
			    strchr(v, '/')[2] != ':' &&
			    strpbrk(v, " \t\r\n") == NULL;

			if (!ok)
				return yerr(l, vn, "actions: '%s': url: "
				    "expected %s", name, a->kind ==
				    CONFIG_ACTION_WEBHOOK ? "an http:// or "
				    "https:// URL without spaces" :
				    "smtp://HOST[:PORT] or smtps://HOST[:PORT]");
			if ((a->url = cfg_intern_str(l->p, v)) == NULL)
				return yerr(l, vn, "out of memory");
		} else if (!strcmp(key, "token_file") ||
		    !strcmp(key, "password_file") || !strcmp(key, "socket") ||
		    !strcmp(key, "ca_file")) {
			const char *p;

			if (*v == '\0')
				return yerr(l, vn, "actions: '%s': %s: "
				    "expected a path", name, key);
			if ((p = rel_path(l, v)) == NULL)
				return yerr(l, vn, "out of memory");
			if (!strcmp(key, "socket"))
				a->socket = p;
			else if (!strcmp(key, "ca_file"))
				a->ca_file = p;
			else if (!strcmp(key, "token_file"))
				a->token_file = p;
			else
				a->password_file = p;
		} else if (!strcmp(key, "token_env")) {
			if (!text_is_env_name(v))
				return yerr(l, vn, "actions: '%s': %s: expected "
				    "a variable name like BMCFLEET_TOKEN", name,
				    key);
			a->token_env = cfg_intern_str(l->p, v);
		} else if (!strcmp(key, "to")) {
			if (y_strings(l, vn, "to", MAX_TO, &a->to, &a->nto) != 0)
				return -1;
			for (i = 0; i < a->nto; i++)
				if (strchr(a->to[i], '@') == NULL ||
				    strpbrk(a->to[i], " \t\r\n<>,") != NULL)
					return yerr(l, vn, "actions: '%s': to: "
					    "'%s': expected an address like "
					    "ops@example.com", name, a->to[i]);
		} else if (!strcmp(key, "from")) {
			if (strchr(v, '@') == NULL ||
			    strpbrk(v, " \t\r\n<>,") != NULL)
				return yerr(l, vn, "actions: '%s': from: "
				    "expected an address like "
				    "bmcfleet@example.com", name);
			a->from = cfg_intern_str(l->p, v);
		} else if (!strcmp(key, "facility")) {
			static const char *const fac[] = { "kern", "user",
				"mail", "daemon", "auth", "syslog", "lpr",
				"news", "uucp", "cron", "authpriv", "ftp",
				"local0", "local1", "local2", "local3",
				"local4", "local5", "local6", "local7" };

			for (i = 0; i < sizeof(fac) / sizeof(fac[0]); i++)
				if (!strcmp(v, fac[i]))
					break;
			if (i == sizeof(fac) / sizeof(fac[0]))
				return yerr(l, vn, "actions: '%s': facility: "
				    "expected daemon, local0..local7 or "
				    "another syslog facility%s", name,
				    text_did_you_mean(hint, sizeof(hint), v,
				    fac, sizeof(fac) / sizeof(fac[0])));
			a->facility = fac[i];
		} else {	/* ident, user */
			if (*v == '\0' || strpbrk(v, " \t\r\n") != NULL)
				return yerr(l, vn, "actions: '%s': %s: expected "
				    "a word without spaces", name, key);
			if (!strcmp(key, "ident"))
				a->ident = cfg_intern_str(l->p, v);
			else
				a->user = cfg_intern_str(l->p, v);
		}
	}
	if (tls != NULL && a->tls_off && !a->insecure)
		return yerr(l, tls, "actions: '%s': tls_verify: false needs "
		    "insecure: true", name);
	if (a->kind == CONFIG_ACTION_EMAIL && a->user != NULL &&
	    !a->starttls_require && a->url != NULL &&
	    strncmp(a->url, "smtps://", 8) != 0)
		return yerr(l, kn, "actions: '%s': a password over SMTP needs "
		    "starttls: require (or an smtps:// URL)", name);
	if (burst != NULL && a->rate_per_day == 0)
		return yerr(l, burst, "actions: '%s': burst needs a rate",
		    name);
	if (a->kind != CONFIG_ACTION_SYSLOG && a->url == NULL)
		return yerr(l, kn, "actions: '%s': missing url", name);
	if (a->kind == CONFIG_ACTION_EMAIL && (a->from == NULL || a->nto == 0))
		return yerr(l, kn, "actions: '%s': an email action needs from "
		    "and to", name);
	if (a->kind == CONFIG_ACTION_EMAIL && a->password_file && !a->user)
		return yerr(l, kn, "actions: '%s': password_file needs user",
		    name);
	if (a->token_file && a->token_env)
		return yerr(l, kn, "actions: '%s': give a file or a variable "
		    "for the secret, not both", name);
	if (a->kind == CONFIG_ACTION_WEBHOOK && (a->token_file ||
	    a->token_env) && !strncmp(a->url, "http://", 7) && !a->insecure &&
	    !cfg_loopback_url(a->url + 7))
		return yerr(l, kn, "actions: '%s': a token over http:// travels "
		    "in clear; use an https:// URL (or set insecure: true)",
		    name);
	return 0;
}

static int
y_actions(struct load *l, const yaml_node_t *m)
{
	struct config_alerts *al = &l->c->alerts;
	struct config_alert_action *v;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	size_t n;
	int rc;

	if ((rc = check_map(l, m, "actions", NULL)) != 0)
		return rc < 0 ? -1 : 0;
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (n > MAX_ACTIONS)
		return yerr(l, m, "actions: at most %d of them", MAX_ACTIONS);
	if (n == 0)
		return 0;
	if ((v = cfg_arena_alloc(l->p, n * sizeof(*v))) == NULL)
		return yerr(l, m, "out of memory");
	n = 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		(void)key;
		if (y_action(l, kn, vn, &v[n]) != 0)
			return -1;
		n++;
	}
	al->actions = v;
	al->nactions = n;
	return 0;
}

static long
action_find(const struct config_alerts *al, const char *name)
{
	for (size_t i = 0; i < al->nactions; i++)
		if (!strcmp(al->actions[i].name, name))
			return (long)i;
	return -1;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* each rule's targets into its hosts: names, sorted by strcmp */
int
cfg_alerts_resolve(struct load *l)
{
	struct config_alerts *al = &l->c->alerts;
	struct alert_rule *rules = (struct alert_rule *)al->rules;
	char msg[MSG_MAX];
	const char **h;
	size_t *idx, n, i, k;

	for (k = 0; k < al->nrules; k++) {
		if (al->targets[k] == NULL)
			continue;
		idx = NULL;
		n = 0;
		if (config_select(l->c, al->targets[k], &idx, &n, msg,
		    sizeof(msg)) != 0)
			return yerr_at(l, l->alert_at[2 * k],
			    l->alert_at[2 * k + 1], "targets: %s", msg);
		if ((h = cfg_arena_alloc(l->p, n * sizeof(*h))) == NULL) {
			free(idx);
			return errf(l->err, l->errlen, "out of memory");
		}
		for (i = 0; i < n; i++)
			h[i] = l->c->bmcs[idx[i]].name;
		free(idx);
		qsort(h, n, sizeof(*h), str_cmp);
		rules[k].hosts = h;
		rules[k].nhosts = n;
		rules[k].all_hosts = 0;
	}
	return 0;
}

static int
y_match(struct load *l, const yaml_node_t *m, struct alert_rule *r,
    const char **targets, const yaml_node_t **at, const yaml_node_t **sweeps)
{
	static const char *const keys[] = { "severity", "sensor_type", "text",
		"targets", "source", "sweeps", NULL };
	static const char *const sev[] = { "info", "warning", "critical" };
	static const char *const src[] = { "sel", "pet", "sensor",
		"unreachable", "inventory" };
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	char hint[128];
	uint64_t u;
	int rc, s;

	if ((rc = check_map(l, m, "match", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = yml_str(vn) ? yml_str(vn) : "";

		if (!strcmp(key, "severity")) {
			if ((s = alert_severity_parse(v)) < 0 ||
			    strcasecmp(v, sev[s]) != 0)
				return yerr(l, vn, "match: severity: expected "
				    "info, warning or critical (the least that "
				    "matches)%s", text_did_you_mean(hint,
				    sizeof(hint), v, sev, 3));
			r->min_severity = s;
		} else if (!strcmp(key, "sensor_type") ||
		    !strcmp(key, "text")) {
			if (*v == '\0')
				return yerr(l, vn, "match: %s: expected %s", key,
				    *key == 's' ? "a sensor type like \"Power "
				    "Supply\"" : "words, or a glob like "
				    "\"*lost*\"");
			if (*key == 's')
				r->sensor_type = cfg_intern_str(l->p, v);
			else
				r->text = cfg_intern_str(l->p, v);
		} else if (!strcmp(key, "targets")) {
			if (*v == '\0')
				return yerr(l, vn, "match: targets: expected "
				    "TARGETS like \"@rackA,rack=r1\"");
			/* selected once the BMCs are resolved */
			*targets = cfg_intern_str(l->p, v);
			*at = vn;
		} else if (!strcmp(key, "sweeps")) {
			if (text_parse_uint(v, 1, 10000, &u) != 0)
				return yerr(l, vn, "match: sweeps: expected a "
				    "number of failed sweeps in a row, "
				    "1..10000");
			r->sweeps = (uint32_t)u;
			*sweeps = vn;
		} else {
			const char *const *names;
			size_t n, i;
			unsigned b;

			if (y_strings(l, vn, "match: source", 5, &names,
			    &n) != 0)
				return -1;
			r->sources = 0;
			for (i = 0; i < n; i++) {
				if ((b = alert_source_parse(names[i])) == 0)
					return yerr(l, vn, "match: source: "
					    "'%s': expected sel, pet, sensor, "
					    "unreachable or inventory%s",
					    names[i], text_did_you_mean(hint,
					    sizeof(hint), names[i], src, 5));
				r->sources |= b;
			}
		}
	}
	return 0;
}

static int
y_rule(struct load *l, const yaml_node_t *m, struct alert_rule *r,
    const char **targets, unsigned long *tat, size_t at)
{
	static const char *const keys[] = { "name", "match", "actions",
		"dedup", "recovery", NULL };
	const struct config_alerts *al = &l->c->alerts;
	const yaml_node_t *sweeps = NULL, *acts = NULL, *tn = NULL;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	char hint[128];
	uint64_t u;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	r->sources = ALERT_SRC_DEFAULT;
	r->min_severity = ALERT_SEV_WARNING;
	r->all_hosts = 1;
	r->dedup_ms = ALERT_DEDUP_DEFAULT_MS;
	*targets = NULL;
	if (m->type != YAML_MAPPING_NODE || yml_is_null(m))
		return yerr(l, m, "rules: expected a rule: {name, match, "
		    "actions}");
	if ((rc = check_map(l, m, "a rule", keys)) != 0)
		return -1;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = yml_str(vn) ? yml_str(vn) : "";

		if (!strcmp(key, "name")) {
			if (!text_is_ident(v))
				return yerr(l, vn, "rules: name: expected a name "
				    "of letters, digits, '-' and '_'");
			r->name = cfg_intern_str(l->p, v);
		} else if (!strcmp(key, "match")) {
			if (y_match(l, vn, r, targets, &tn, &sweeps) != 0)
				return -1;
			if (tn != NULL) {
				tat[0] = tn->start_mark.line + 1;
				tat[1] = tn->start_mark.column + 1;
			}
		} else if (!strcmp(key, "actions")) {
			const char *const *names;
			uint16_t *ix;
			size_t n;
			const char **cand;
			long a;

			if (y_strings(l, vn, "actions", ALERT_MAX_ACTIONS,
			    &names, &n) != 0)
				return -1;
			if ((ix = cfg_arena_alloc(l->p, n * sizeof(*ix))) ==
			    NULL)
				return yerr(l, vn, "out of memory");
			for (i = 0; i < n; i++) {
				if ((a = action_find(al, names[i])) >= 0) {
					ix[i] = (uint16_t)a;
					continue;
				}
				hint[0] = '\0';
				if (al->nactions > 0 && (cand = calloc(
				    al->nactions, sizeof(*cand))) != NULL) {
					for (size_t j = 0; j < al->nactions; j++)
						cand[j] = al->actions[j].name;
					text_did_you_mean(hint, sizeof(hint),
					    names[i], cand, al->nactions);
					free(cand);
				}
				return yerr(l, vn, "actions: '%s' is not an "
				    "action of alerts.actions%s", names[i],
				    hint);
			}
			r->actions = ix;
			r->nactions = n;
			acts = vn;
		} else if (!strcmp(key, "dedup")) {
			if (cfg_duration(l, vn, key, 0, 30 * UNITS_DAY,
			    &u) != 0)
				return -1;
			r->dedup_ms = u;
		} else {
			if (text_parse_bool(v, 0, &r->recovery) != 0)
				return yerr(l, vn, "recovery: expected true or "
				    "false");
		}
	}
	if (r->name == NULL)
		return yerr(l, m, "rules: rule %zu: missing name", at + 1);
	if (acts == NULL)
		return yerr(l, m, "rules: '%s': missing actions (names from "
		    "alerts.actions)", r->name);
	if (sweeps != NULL && !(r->sources & ALERT_SRC_UNREACHABLE))
		return yerr(l, sweeps, "rules: '%s': sweeps is for source "
		    "unreachable", r->name);
	if ((r->sources & ALERT_SRC_UNREACHABLE) && r->sweeps == 0)
		r->sweeps = 1;
	return 0;
}

static int
y_rules(struct load *l, const yaml_node_t *s)
{
	struct config_alerts *al = &l->c->alerts;
	struct alert_rule *v;
	const char **t;
	yaml_node_item_t *it;
	size_t n, i, j;

	if (yml_is_null(s))
		return 0;
	if (s->type != YAML_SEQUENCE_NODE)
		return yerr(l, s, "rules: expected a list of rules");
	n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
	if (n > MAX_RULES)
		return yerr(l, s, "rules: at most %d of them", MAX_RULES);
	if (n == 0)
		return 0;
	if ((v = cfg_arena_alloc(l->p, n * sizeof(*v))) == NULL ||
	    (t = cfg_arena_alloc(l->p, n * sizeof(*t))) == NULL ||
	    (l->alert_at = cfg_arena_alloc(l->p, 2 * n *
	    sizeof(*l->alert_at))) == NULL)
		return yerr(l, s, "out of memory");
	i = 0;
	for (it = s->data.sequence.items.start; it < s->data.sequence.items.top;
	    it++, i++) {
		const yaml_node_t *e = node(l, *it);

		if (e == NULL || y_rule(l, e, &v[i], &t[i], &l->alert_at[2 * i],
		    i) != 0)
			return e == NULL ? yerr(l, s, "rules: bad node") : -1;
		for (j = 0; j < i; j++)
			if (!strcmp(v[j].name, v[i].name))
				return yerr(l, e, "rules: '%s' is the name of "
				    "rule %zu already", v[i].name, j + 1);
	}
	al->rules = v;
	al->targets = t;
	al->nrules = n;
	return 0;
}

int
y_alerts(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "actions", "rules", "give_up",
		"poll", NULL };
	struct config_alerts *al = &l->c->alerts;
	const yaml_node_t *rules = NULL;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	int rc;

	/* walked again after a fault (config.c's y_each_fault) */
	al->actions = NULL;
	al->nactions = 0;
	al->rules = NULL;
	al->targets = NULL;
	al->nrules = 0;
	if ((rc = check_map(l, m, "alerts", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		if (!strcmp(key, "actions")) {
			if (y_actions(l, vn) != 0)
				return -1;
		} else if (!strcmp(key, "rules"))
			rules = vn;	/* after the actions they name */
		else if (!strcmp(key, "give_up")) {
			if (cfg_duration(l, vn, key, UNITS_MIN,
			    365 * UNITS_DAY, &al->give_up_ms) != 0)
				return -1;
		} else if (cfg_duration(l, vn, key, 100, UNITS_HOUR,
		    &al->poll_ms) != 0)
			return -1;
	}
	return rules != NULL ? y_rules(l, rules) : 0;
}
