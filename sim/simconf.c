/*
 * simconf: bmcsim's configuration itself (simconf.h): the defaults, the
 * per-BMC overrides (--dead, --quirk, --hostile, --refuse-power,
 * --ignore-power, a file's bmcs:) and what they come to for each BMC, the
 * users, and the grammar of the values that the YAML file
 * (simconf_yaml.c) and the command line (simconf_args.c) share.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmc.h"
#include "quirk.h"
#include "ipmi/ipmi.h"
#include "lib/errf.h"
#include "lib/text.h"
#include "model.h"
#include "simconf_int.h"

void
simconf_init(struct sim_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->count = 1;
	c->base = 0x7f000101;	/* 127.0.1.1 */
	c->port = IPMI_PORT;
	c->seed = 1;
	c->def.power_on_delay_ms = SIM_KNOB_MODEL;
	c->def.power_off_delay_ms = SIM_KNOB_MODEL;
	c->def.soft_off_ms = SIM_SOFT_OFF_MS;
	c->def.power_ramp_ms = SIM_KNOB_MODEL;
	c->def.session_limit = 4;
	c->def.slow_ms = SIM_SLOW_MS;
	c->def.reboot_after = SIM_REBOOT_AFTER;
	c->reading_window_ms = 30000;
	strcpy(c->users[0].name, "admin");
	c->users[0].ulen = 5;
	memcpy(c->users[0].pw, "admin", 5);
	c->users[0].pwlen = 5;
	c->users[0].priv = IPMI_PRIV_ADMIN;
	c->auth.users = c->users;
	c->auth.nusers = 1;
	c->auth.suites = 1U << 3 | 1U << 17;
	c->auth.v15_types = 1U << IPMI_AUTH_MD5 | 1U << IPMI_AUTH_STRAIGHT;
}

void
simconf_release(struct sim_conf *c)
{
	free(c->ov);
	free(c->stats_path);
	free(c->sel_dump_path);
	free(c->control_path);
	c->control_path = NULL;
	memset(c->users, 0, sizeof(c->users));
	memset(c->auth.kg, 0, sizeof(c->auth.kg));
	c->ov = NULL;
	c->stats_path = NULL;
	c->sel_dump_path = NULL;
}

void
simconf_knobs(const struct sim_conf *c, uint32_t index, struct sim_knobs *k)
{
	size_t i;

	*k = c->def;
	for (i = 0; i < c->nov; i++) {
		const struct sim_override *o = &c->ov[i];

		if (index + 1 < o->first || index + 1 > o->last)
			continue;
		if (o->set & SIM_K_MODEL)
			k->model = o->k.model;
		if (o->set & SIM_K_LATENCY)
			k->latency_ms = o->k.latency_ms;
		if (o->set & SIM_K_JITTER)
			k->jitter_ms = o->k.jitter_ms;
		if (o->set & SIM_K_LOSS)
			k->loss_ppm = o->k.loss_ppm;
		/* o->k.power_off_delay_ms is power_delay_ms unless given */
		if (o->set & SIM_K_POWER_DELAY) {
			k->power_on_delay_ms = o->k.power_on_delay_ms;
			k->power_off_delay_ms = o->k.power_off_delay_ms;
		}
		if (o->set & SIM_K_POWER_OFF_DELAY)
			k->power_off_delay_ms = o->k.power_off_delay_ms;
		if (o->set & SIM_K_SOFT_OFF)
			k->soft_off_ms = o->k.soft_off_ms;
		if (o->set & SIM_K_POWER_RAMP)
			k->power_ramp_ms = o->k.power_ramp_ms;
		if (o->set & SIM_K_REFUSE_POWER)
			k->refuse_power = o->k.refuse_power;
		if (o->set & SIM_K_IGNORE_POWER)
			k->ignore_power = o->k.ignore_power;
		if (o->set & SIM_K_QUIRKS)
			k->quirks |= o->k.quirks;
		if (o->set & SIM_K_HOSTILE)
			k->quirks |= sim_quirk_hostile_nth(o->hostile_k0 +
			    (index + 1 - o->first));
		if (o->set & SIM_K_SLOW_MS)
			k->slow_ms = o->k.slow_ms;
		if (o->set & SIM_K_FW_REV)
			k->fw_rev = o->k.fw_rev;
		if (o->set & SIM_K_REBOOT_AFTER)
			k->reboot_after = o->k.reboot_after;
		if (o->set & SIM_K_REBOOT_MS)
			k->reboot_ms = o->k.reboot_ms;
		if (o->set & SIM_K_SESSION_LIMIT)
			k->session_limit = o->k.session_limit;
		if (o->set & SIM_K_POWER)
			k->power_on = o->k.power_on;
		if (o->set & SIM_K_DEAD)
			k->dead = o->k.dead;
	}
}

void
simconf_power(const struct sim_knobs *k, const struct sim_model *m,
    uint32_t *on_ms, uint32_t *off_ms, uint32_t *ramp_ms)
{
	*on_ms = k->power_on_delay_ms != SIM_KNOB_MODEL ?
	    k->power_on_delay_ms : m->power_on_ms;
	*off_ms = k->power_off_delay_ms != SIM_KNOB_MODEL ?
	    k->power_off_delay_ms : m->power_off_ms;
	*ramp_ms = k->power_ramp_ms != SIM_KNOB_MODEL ?
	    k->power_ramp_ms : m->ramp_ms;
}

struct sim_override *
simconf_add_override(struct sim_conf *c)
{
	struct sim_override *ov;

	if ((ov = realloc(c->ov, (c->nov + 1) * sizeof(*ov))) == NULL)
		return NULL;
	c->ov = ov;
	ov = &c->ov[c->nov++];
	memset(ov, 0, sizeof(*ov));
	return ov;
}

/* --- value parsers: 0 or -1 with *why set ------------------------------- */

int
simconf_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (text_parse_uint(s, min, max, &v) != 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* "5", "0.5", "100": percent -> parts per million */
int
simconf_parse_pct(const char *s, uint32_t *ppm)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end != '\0' || !(v >= 0 && v <= 100))
		return -1;
	*ppm = (uint32_t)(v * 10000 + 0.5);
	return 0;
}

int
simconf_parse_model(const char *s, const struct sim_model **m)
{
	if (!strcmp(s, "mix")) {
		*m = NULL;
		return 0;
	}
	return (*m = sim_model_find(s)) != NULL ? 0 : -1;
}

int
simconf_parse_range(const char *s, uint32_t *first, uint32_t *last)
{
	char a[16];
	const char *dash = strchr(s, '-');
	size_t n;

	if (dash == NULL) {
		if (simconf_parse_u32(s, 1, SIM_MAX_COUNT, first) != 0)
			return -1;
		*last = *first;
		return 0;
	}
	n = (size_t)(dash - s);
	if (n == 0 || n >= sizeof(a))
		return -1;
	memcpy(a, s, n);
	a[n] = '\0';
	if (simconf_parse_u32(a, 1, SIM_MAX_COUNT, first) != 0 ||
	    simconf_parse_u32(dash + 1, 1, SIM_MAX_COUNT, last) != 0 || *last < *first)
		return -1;
	return 0;
}

/* "3,7,10-12" -> an override per range setting the knob flag to 1 */
static int
add_list(struct sim_conf *c, const char *list, unsigned flag,
    const char *opt, char *err, size_t errlen)
{
	char *copy, *tok, *save = NULL;
	struct sim_override *o;
	uint32_t a, b;

	if ((copy = strdup(list)) == NULL)
		return errf(err, errlen, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (simconf_parse_range(tok, &a, &b) != 0) {
			errf(err, errlen, "%s: '%s' is not an index or "
			    "range like 3 or 10-12 (1-based)", opt, tok);
			free(copy);
			return -1;
		}
		if ((o = simconf_add_override(c)) == NULL) {
			free(copy);
			return errf(err, errlen, "out of memory");
		}
		o->first = a;
		o->last = b;
		o->set = flag;
		o->k.dead = o->k.refuse_power = o->k.ignore_power = 1;
	}
	free(copy);
	return 0;
}

int
simconf_add_dead(struct sim_conf *c, const char *list, char *err,
    size_t errlen)
{
	return add_list(c, list, SIM_K_DEAD, "--dead", err, errlen);
}

int
simconf_add_misbehaving(struct sim_conf *c, const char *list, int ignore,
    char *err, size_t errlen)
{
	return add_list(c, list, ignore ? SIM_K_IGNORE_POWER :
	    SIM_K_REFUSE_POWER, ignore ? "--ignore-power" : "--refuse-power",
	    err, errlen);
}

/* "authcap,intel20" -> bits; -1 with the unknown name in err */
static int
parse_quirks(const char *list, uint32_t *bits, char *err, size_t errlen)
{
	const char *bad;
	size_t badlen;

	if (sim_quirk_parse(list, bits, &bad, &badlen) != 0)
		return errf(err, errlen, "unknown quirk '%.*s' (known: %s)",
		    (int)badlen, bad, sim_quirk_names());
	if (*bits == 0)
		return errf(err, errlen, "--quirk: no quirk named");
	return 0;
}

int
simconf_add_quirks(struct sim_conf *c, const char *arg, char *err,
    size_t errlen)
{
	char names[256];
	const char *colon = strchr(arg, ':');
	size_t n = colon != NULL ? (size_t)(colon - arg) : strlen(arg);
	struct sim_override *o;
	uint32_t bits;
	size_t i, first;

	if (n >= sizeof(names))
		return errf(err, errlen, "--quirk: list too long");
	memcpy(names, arg, n);
	names[n] = '\0';
	if (parse_quirks(names, &bits, err, errlen) != 0)
		return -1;
	if (colon == NULL) {
		c->def.quirks |= bits;
		return 0;
	}
	first = c->nov;
	if (add_list(c, colon + 1, SIM_K_QUIRKS, "--quirk", err, errlen) != 0)
		return -1;
	for (i = first; i < c->nov; i++) {
		o = &c->ov[i];
		o->k.dead = o->k.refuse_power = o->k.ignore_power = 0;
		o->k.quirks = bits;
	}
	return 0;
}

int
simconf_add_hostile(struct sim_conf *c, const char *list, char *err,
    size_t errlen)
{
	size_t i, first = c->nov;
	uint32_t k = 0;

	if (add_list(c, list, SIM_K_HOSTILE, "--hostile", err, errlen) != 0)
		return -1;
	/* the list's BMCs in its order take the hostile ways in turn */
	for (i = first; i < c->nov; i++) {
		struct sim_override *o = &c->ov[i];

		o->k.dead = o->k.refuse_power = o->k.ignore_power = 0;
		o->hostile_k0 = k;
		k += o->last - o->first + 1;
	}
	return 0;
}

int
simconf_parse_suites(const char *s, uint32_t *mask)
{
	char buf[128], *tok, *save = NULL;
	uint32_t id;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	*mask = 0;
	for (tok = strtok_r(buf, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		const struct ipmi_cipher_suite *cs;

		if (simconf_parse_u32(tok, 0, 31, &id) != 0 ||
		    (cs = ipmi_cipher_suite((int)id)) == NULL ||
		    !ipmi_cipher_suite_supported(cs))
			return -1;
		*mask |= 1U << id;
	}
	return 0;
}

int
simconf_auth_type_bit(const char *s, uint8_t *bits)
{
	if (!strcasecmp(s, "md5"))
		*bits |= 1U << IPMI_AUTH_MD5;
	else if (!strcasecmp(s, "straight") || !strcasecmp(s, "password"))
		*bits |= 1U << IPMI_AUTH_STRAIGHT;
	else if (!strcasecmp(s, "none"))
		*bits |= 1U << IPMI_AUTH_NONE;
	else if (!strcasecmp(s, "md2"))
		/* advertised only: clients must refuse it (sess_v15.c) */
		*bits |= 1U << IPMI_AUTH_MD2;
	else
		return -1;
	return 0;
}

int
simconf_parse_v15(const char *s, uint8_t *bits)
{
	char buf[64], *tok, *save = NULL;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	*bits = 0;
	for (tok = strtok_r(buf, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save))
		if (simconf_auth_type_bit(tok, bits) != 0)
			return -1;
	return 0;
}

int
simconf_parse_hex(const char *s, uint8_t *out, size_t max, uint8_t *len)
{
	size_t n = strlen(s), i;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	*len = (uint8_t)(n / 2);
	return 0;
}

int
simconf_set_password(struct sim_user *u, const char *pw, char *err, size_t errlen)
{
	size_t n = strlen(pw);

	if (n > IPMI_MAX_PASSWORD)
		return errf(err, errlen, "password longer than %d bytes",
		    IPMI_MAX_PASSWORD);
	memset(u->pw, 0, sizeof(u->pw));
	memcpy(u->pw, pw, n);
	u->pwlen = (uint8_t)n;
	return 0;
}

int
simconf_read_password_file(const char *path, char *pw, size_t len, char *err,
    size_t errlen)
{
	FILE *f;
	size_t n;

	if ((f = fopen(path, "r")) == NULL)
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	if (fgets(pw, (int)len, f) == NULL) {
		fclose(f);
		return errf(err, errlen, "%s: empty password file", path);
	}
	fclose(f);
	n = strcspn(pw, "\r\n");
	pw[n] = '\0';
	return 0;
}

/* The user named name, created (with the default password) if new. */
struct sim_user *
simconf_user_slot(struct sim_conf *c, const char *name, char *err, size_t errlen)
{
	size_t n = strlen(name);
	int i;

	if (n > IPMI_MAX_USER) {
		errf(err, errlen, "user name '%s' longer than %d bytes", name,
		    IPMI_MAX_USER);
		return NULL;
	}
	for (i = 0; i < c->auth.nusers; i++)
		if (!strcmp(c->users[i].name, name))
			return &c->users[i];
	if (c->auth.nusers == SIM_MAX_USERS) {
		errf(err, errlen, "more than %d users", SIM_MAX_USERS);
		return NULL;
	}
	i = c->auth.nusers++;
	memset(&c->users[i], 0, sizeof(c->users[i]));
	memcpy(c->users[i].name, name, n);
	c->users[i].ulen = (uint8_t)n;
	c->users[i].priv = IPMI_PRIV_ADMIN;
	return &c->users[i];
}
