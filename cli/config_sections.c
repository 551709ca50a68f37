/*
 * config's sections of their own: collector:, power: (and its models:),
 * scheduler: (and its webhook:), http:.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cli/config.h"
#include "cli/config_int.h"

/*
 * collector.traps: {listen: ADDR[:PORT] | off, guid_check: BOOL}, for
 * bmcfleetd's PET trap listener (collector/traprx.h parses the address
 * when it binds).
 */
static int
y_traps(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "listen", "guid_check", NULL };
	struct config_collector *k = &l->c->collector;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	int rc, b;

	if ((rc = check_map(l, m, "traps", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = yml_str(vn) ? yml_str(vn) : "";

		if (!strcmp(key, "guid_check")) {
			if (text_parse_bool(v, 0, &b) != 0)
				return yerr(l, vn, "guid_check: expected on or "
				    "off");
			k->trap_guid_check = b;
			continue;
		}
		/* YAML 1.1 reads a bare off as false: both mean off */
		if (text_parse_bool(v, 0, &b) == 0 && !b) {
			k->traps_off = 1;
			k->trap_listen = NULL;
			continue;
		}
		if (*v == '\0' || strlen(v) > 63)
			return yerr(l, vn, "listen: expected ADDR[:PORT], "
			    ":PORT or off");
		k->traps_off = 0;
		if ((k->trap_listen = cfg_intern_str(l->p, v)) == NULL)
			return yerr(l, vn, "out of memory");
	}
	return 0;
}

int
y_collector(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "concurrency", "sweep_interval",
		"sel_interval", "fru_interval", "sdr_interval", "min_gap",
		"spool_dir", "spool_max", "retention_days", "lease",
		"host_deadline", "host_max_requests", "suite_recheck",
		"db_timeout", "traps", NULL };
	struct config_collector *k = &l->c->collector;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	uint64_t u, *dst = NULL;
	int rc;

	if ((rc = check_map(l, m, "collector", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = yml_str(vn) ? yml_str(vn) : "";

		if (!strcmp(key, "traps")) {
			if (y_traps(l, vn) != 0)
				return -1;
			continue;
		}
		if (!strcmp(key, "concurrency")) {
			if (text_parse_uint(v, 1, 65536, &u) != 0)
				return yerr(l, vn, "concurrency: expected a "
				    "number 1..65536");
			k->concurrency = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "retention_days")) {
			if (text_parse_uint(v, 1, 36500, &u) != 0)
				return yerr(l, vn, "retention_days: expected a "
				    "number of days 1..36500");
			k->retention_days = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "spool_dir")) {
			if (*v == '\0')
				return yerr(l, vn, "spool_dir: expected a "
				    "directory");
			if ((k->spool_dir = rel_path(l, v)) == NULL)
				return yerr(l, vn, "out of memory");
			continue;
		}
		if (!strcmp(key, "spool_max")) {
			if (cfg_parse_size(v, 1ULL << 50, &u) != 0 ||
			    u < (1 << 20))
				return yerr(l, vn, "spool_max: expected a size "
				    "like 512MiB, 1GiB or bytes (at least "
				    "1MiB)");
			k->spool_max = u;
			continue;
		}
		if (!strcmp(key, "host_max_requests")) {
			if (text_parse_uint(v, 100, 10000000, &u) != 0)
				return yerr(l, vn, "host_max_requests: expected "
				    "a number 100..10000000");
			k->host_max_requests = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "host_deadline")) {
			if (cfg_duration(l, vn, key, UNITS_SEC, UNITS_DAY,
			    &u) != 0)
				return -1;
			k->host_deadline_ms = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "db_timeout")) {
			if (cfg_duration(l, vn, key, UNITS_SEC,
			    10 * UNITS_MIN, &u) != 0)
				return -1;
			k->db_timeout_ms = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "min_gap")) {
			if (cfg_duration(l, vn, key, 0, UNITS_MIN, &u) != 0)
				return -1;
			k->min_gap_ms = (uint32_t)u;
			continue;
		}
		if (!strcmp(key, "sweep_interval"))
			dst = &k->sweep_interval_ms;
		else if (!strcmp(key, "sel_interval"))
			dst = &k->sel_interval_ms;
		else if (!strcmp(key, "fru_interval"))
			dst = &k->fru_interval_ms;
		else if (!strcmp(key, "sdr_interval"))
			dst = &k->sdr_interval_ms;
		else if (!strcmp(key, "suite_recheck"))
			dst = &k->suite_recheck_ms;
		else
			dst = &k->lease_ms;
		if (cfg_duration(l, vn, key, UNITS_SEC, 365 * UNITS_DAY,
		    &u) != 0)
			return -1;
		*dst = u;
	}
	return 0;
}

#define MAX_HOST_WATTS	100000
#define MAX_MANUFACTURER 0xFFFFF	/* IPMI v2.0, 20.1: 20 bits */

struct modelref {
	struct config_power_model	 m;
	const yaml_node_t		*kn;
};

static int
model_cmp(const void *a, const void *b)
{
	const struct modelref *x = a, *y = b;

	if (x->m.manufacturer != y->m.manufacturer)
		return x->m.manufacturer < y->m.manufacturer ? -1 : 1;
	if (x->m.product != y->m.product)
		return x->m.product < y->m.product ? -1 : 1;
	/* equal models: the one written first first */
	return x->kn->start_mark.index < y->kn->start_mark.index ? -1 : 1;
}

/* "674:256": the manufacturer and product IDs, decimal. */
static int
parse_model(const char *key, uint64_t *mfr, uint64_t *product)
{
	const char *colon = strchr(key, ':');
	char buf[16];

	if (colon == NULL || (size_t)(colon - key) >= sizeof(buf))
		return -1;
	memcpy(buf, key, (size_t)(colon - key));
	buf[colon - key] = '\0';
	return text_parse_uint(buf, 0, MAX_MANUFACTURER, mfr) != 0 ||
	    text_parse_uint(colon + 1, 0, UINT16_MAX, product) != 0 ? -1 : 0;
}

/* models: {"674:256": 350, ...} */
static int
y_models(struct load *l, const yaml_node_t *m)
{
	struct config_power *pw = &l->c->power;
	struct config_power_model *out;
	struct modelref *v;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	size_t n, i;
	int rc;

	if ((rc = check_map(l, m, "models", NULL)) != 0)
		return rc < 0 ? -1 : 0;
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		return yerr(l, m, "out of memory");
	n = 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		uint64_t a, b, w;

		if (parse_model(key, &a, &b) != 0) {
			free(v);
			return yerr(l, kn, "models: '%s': expected "
			    "\"MANUFACTURER_ID:PRODUCT_ID\" in decimal, as "
			    "bmc_profile has them, like \"674:256\"", key);
		}
		if (yml_str(vn) == NULL || cfg_parse_watts(yml_str(vn),
		    MAX_HOST_WATTS, &w) != 0) {
			free(v);
			return yerr(l, vn, "models: '%s': expected watts "
			    "like 350 or 350W (1W to 100kW)", key);
		}
		v[n].m.manufacturer = (uint32_t)a;
		v[n].m.product = (uint16_t)b;
		v[n].m.watts = (uint32_t)w;
		v[n].kn = kn;
		n++;
	}
	qsort(v, n, sizeof(*v), model_cmp);
	for (i = 1; i < n; i++)
		if (v[i].m.manufacturer == v[i - 1].m.manufacturer &&
		    v[i].m.product == v[i - 1].m.product) {
			const yaml_node_t *a = v[i - 1].kn, *b = v[i].kn;

			free(v);
			return yerr(l, b, "models: '%s' is the model of '%s' "
			    "(line %lu, column %lu) again", yml_scalar(b),
			    yml_scalar(a), (unsigned long)a->start_mark.line + 1,
			    (unsigned long)a->start_mark.column + 1);
		}
	if (n > 0 && (out = cfg_arena_alloc(l->p, n * sizeof(*out))) == NULL) {
		free(v);
		return yerr(l, m, "out of memory");
	}
	for (i = 0; i < n; i++)
		out[i] = v[i].m;
	free(v);
	pw->models = n > 0 ? out : NULL;
	pw->nmodels = n;
	return 0;
}

int
y_power(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "default_watts", "inrush",
		"models", NULL };
	struct config_power *pw = &l->c->power;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	uint64_t u;
	int rc;

	if ((rc = check_map(l, m, "power", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = yml_str(vn) ? yml_str(vn) : "";

		if (!strcmp(key, "default_watts")) {
			if (cfg_parse_watts(v, MAX_HOST_WATTS, &u) != 0)
				return yerr(l, vn, "default_watts: expected "
				    "watts like 500 or 500W (1W to 100kW)");
			pw->default_watts = (uint32_t)u;
		} else if (!strcmp(key, "inrush")) {
			if (cfg_parse_percent(v, 1000, &u) != 0)
				return yerr(l, vn, "inrush: expected a "
				    "percentage like 30%% (0%% to 1000%%)");
			pw->inrush_pct = (uint32_t)u;
		} else if (y_models(l, vn) != 0)
			return -1;
	}
	return 0;
}

/* An http:// or https:// URL with a host, no spaces; never quoted back:
 * it may carry a secret. */
int
cfg_valid_url(const char *s)
{
	const char *h;

	if (!strncmp(s, "https://", 8))
		h = s + 8;
	else if (!strncmp(s, "http://", 7))
		h = s + 7;
	else
		return 0;
	if (*h == '\0' || *h == '/' || *h == '?' || *h == '#' || *h == ':')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return 0;
	return 1;
}

/* host[:port][/...] names this machine: 127.0.0.0/8, localhost, [::1] */
int
cfg_loopback_url(const char *h)
{
	size_t n = strcspn(h, ":/?#");

	if (!strncmp(h, "[::1]", 5))
		return 1;
	if (n == 9 && !strncmp(h, "localhost", 9))
		return 1;
	if (strncmp(h, "127.", 4) != 0)
		return 0;
	for (size_t i = 4; i < n; i++)
		if (!isdigit((unsigned char)h[i]) && h[i] != '.')
			return 0;
	return 1;
}

static int
y_webhook(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "url", "token_file", "token_env",
		"insecure", NULL };
	struct config_webhook *w = &l->c->scheduler.webhook;
	const yaml_node_t *token = NULL;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	int rc;

	if ((rc = check_map(l, m, "webhook", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = yml_str(vn) ? yml_str(vn) : "";

		if (!strcmp(key, "insecure")) {
			if (text_parse_bool(v, 0, &w->insecure) != 0)
				return yerr(l, vn, "webhook: insecure: expected "
				    "true or false");
			continue;
		}
		if (!strcmp(key, "url")) {
			if (!cfg_valid_url(v))
				return yerr(l, vn, "webhook: url: expected an "
				    "http:// or https:// URL without spaces");
			if ((w->url = cfg_intern_str(l->p, v)) == NULL)
				return yerr(l, vn, "out of memory");
			continue;
		}
		if (token != NULL)
			return yerr(l, kn, "webhook: give token_file or "
			    "token_env, not both");
		token = kn;
		if (!strcmp(key, "token_file")) {
			if (*v == '\0')
				return yerr(l, vn, "webhook: token_file: "
				    "expected a path");
			if ((w->token_file = rel_path(l, v)) == NULL)
				return yerr(l, vn, "out of memory");
		} else {
			if (!text_is_env_name(v))
				return yerr(l, vn, "webhook: token_env: "
				    "expected a variable name like "
				    "BMCFLEET_WEBHOOK_TOKEN");
			if ((w->token_env = cfg_intern_str(l->p, v)) == NULL)
				return yerr(l, vn, "out of memory");
		}
	}
	if (w->url == NULL)
		return yerr(l, m, "webhook: missing url (an http:// or "
		    "https:// URL)");
	/* a bearer token over plain http is readable on every hop; a
	 * loopback URL (a local relay) has none */
	if (token != NULL && !strncmp(w->url, "http://", 7) && !w->insecure &&
	    !cfg_loopback_url(w->url + 7))
		return yerr(l, token, "webhook: a token over http:// travels "
		    "in clear; use an https:// URL (or set insecure: true)");
	return 0;
}

int
y_scheduler(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "confirm_limit", "webhook",
		"poll_interval", NULL };
	struct config_scheduler *k = &l->c->scheduler;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	uint64_t u;
	int rc;

	if ((rc = check_map(l, m, "scheduler", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = yml_str(vn) ? yml_str(vn) : "";

		if (!strcmp(key, "confirm_limit")) {
			if (text_parse_uint(v, 0, CONFIG_MAX_BMCS, &u) != 0)
				return yerr(l, vn, "confirm_limit: expected a "
				    "number of hosts 0..%d (0: always ask)",
				    CONFIG_MAX_BMCS);
			k->confirm_limit = (uint32_t)u;
		} else if (!strcmp(key, "poll_interval")) {
			if (cfg_duration(l, vn, key, 100, UNITS_MIN, &u) != 0)
				return -1;
			k->poll_interval_ms = (uint32_t)u;
		} else if (y_webhook(l, vn) != 0)
			return -1;
	}
	return 0;
}

/*
 * http: {listen: ADDR:PORT, tls_cert: PATH, tls_key: PATH, token_file:
 * PATH}: bmcfleetd's HTTP listener, off without listen.  The files are
 * read when bmcfleetd starts (the token again on SIGHUP), not here.
 */
int
y_http(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "listen", "tls_cert", "tls_key",
		"token_file", NULL };
	struct config_http *h = &l->c->http;
	const yaml_node_t *cert = NULL, *key_n = NULL;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	int rc;

	if ((rc = check_map(l, m, "http", keys)) != 0)
		return rc < 0 ? -1 : 0;
	FOR_PAIRS(l, m, pr, kn, vn, key) {
		const char *v = yml_str(vn) ? yml_str(vn) : "";
		const char *colon = strrchr(v, ':');

		if (!strcmp(key, "listen")) {
			/* the port is required: there is no well-known one */
			if (colon == NULL || colon == v || colon[1] == '\0' ||
			    strlen(v) > 63 || strspn(colon + 1, "0123456789") !=
			    strlen(colon + 1) || atoi(colon + 1) < 1 ||
			    atoi(colon + 1) > 65535)
				return yerr(l, vn, "http: listen: expected "
				    "ADDR:PORT, like 127.0.0.1:9290 or "
				    "[::1]:9290");
			if ((h->listen = cfg_intern_str(l->p, v)) == NULL)
				return yerr(l, vn, "out of memory");
			continue;
		}
		if (*v == '\0')
			return yerr(l, vn, "http: %s: expected a path", key);
		if (!strcmp(key, "tls_cert")) {
			cert = vn;
			h->tls_cert = rel_path(l, v);
		} else if (!strcmp(key, "tls_key")) {
			key_n = vn;
			h->tls_key = rel_path(l, v);
		} else
			h->token_file = rel_path(l, v);
		if ((cert == vn && h->tls_cert == NULL) ||
		    (key_n == vn && h->tls_key == NULL) ||
		    (!strcmp(key, "token_file") && h->token_file == NULL))
			return yerr(l, vn, "out of memory");
	}
	if ((cert == NULL) != (key_n == NULL))
		return yerr(l, cert != NULL ? cert : key_n, "http: give both "
		    "tls_cert and tls_key, or neither");
	return 0;
}
