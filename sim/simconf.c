#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "bmc.h"
#include "quirk.h"
#include "ipmi/ipmi.h"
#include "lib/errf.h"
#include "lib/text.h"
#include "lib/yml.h"
#include "model.h"
#include "simconf.h"
#include "store.h"

#define VERSION	"0.1.0"

static const char usage[] =
"usage: bmcsim --count N [--base ADDR] [--port PORT]\n"
"              [--user NAME --password PASS | --password-file FILE]\n"
"              [--latency-ms MS] [--jitter-ms MS] [--loss PCT] [--seed S]\n"
"              [--dead LIST] [--power-delay-ms MS] [--power-off-delay-ms MS]\n"
"              [--soft-off-ms MS] [--power-ramp-ms MS] [--refuse-power LIST]\n"
"              [--ignore-power LIST] [--quirk NAMES[:LIST]] [--session-limit N]\n"
"              [--hostile LIST] [--slow-ms MS] [--reboot-after N]\n"
"              [--reboot-every-ms MS]\n"
"              [--model NAME] [--power on|off] [--suites LIST]\n"
"              [--v15-auth LIST] [--kg HEX] [--stats FILE] [--config FILE]\n"
"              [--sel-capacity N] [--sel-epoch SECONDS] [--sel-dump FILE]\n"
"\n"
"A simulated fleet of IPMI BMCs: N BMCs on consecutive addresses from ADDR\n"
"(default 127.0.1.1), each answering IPMI v1.5 and v2.0/RMCP+ on UDP PORT\n"
"(default 623).  Prints \"bmcsim: ready: ...\" once every socket is bound;\n"
"SIGTERM or SIGINT stops it, SIGUSR1 writes --stats and --sel-dump.\n"
"\n"
"  --count N            BMCs to simulate (1-65536)\n"
"  --base ADDR          IPv4 address of the first BMC\n"
"  --port PORT          UDP port of every BMC\n"
"  --user NAME          the login every BMC accepts (default admin)\n"
"  --password PASS      its password (default admin; or BMCSIM_PASSWORD)\n"
"  --password-file FILE read the password from the first line of FILE\n"
"  --latency-ms MS      delay every answer by MS\n"
"  --jitter-ms MS       ...plus a uniform random 0..MS\n"
"  --loss PCT           drop PCT percent of requests (0-100, fractions ok)\n"
"  --seed S             seed for loss, jitter, GUIDs and session IDs\n"
"  --dead LIST          BMCs that never answer: 1-based \"3,7,10-12\"\n"
"  --power-delay-ms MS  time a power change takes, on and off (default: the\n"
"                       model's, 1000-2500 on, 500-1000 off)\n"
"  --power-off-delay-ms MS  ...powering off only\n"
"  --soft-off-ms MS     soft off takes the off delay plus MS, the OS\n"
"                       shutting down (default 5000)\n"
"  --power-ramp-ms MS   DCMI power draw rising to its peak after power on\n"
"                       (default: the model's, 20000-45000)\n"
"  --refuse-power LIST  BMCs answering Chassis Control with D5h (not now)\n"
"  --ignore-power LIST  BMCs accepting Chassis Control, power never changes\n"
"  --quirk NAMES[:LIST] firmware bugs, on the BMCs of LIST or on all:\n"
"                       each named after the bmcfleet -W workaround that\n"
"                       copes with it (bmcsim(1)); repeatable, they add up\n"
"                       Hostile BMCs, as quirks too (bmcsim(1), HOSTILE\n"
"                       BMCS): slow (every answer after --slow-ms), drip\n"
"                       (SDR and FRU reads 1 byte each), churn (the SDR\n"
"                       add time moves on every request), endless-sel (a\n"
"                       SEL chain that never ends), lie-sdr-length,\n"
"                       lie-fru-offset, lie-sel-count (lie-lengths: all\n"
"                       three), lie-rmcpp-length (length fields claiming\n"
"                       more than was sent), duplicate (every answer\n"
"                       twice), reorder (a stale answer after every\n"
"                       second one), no-slot (every session refused for\n"
"                       want of a slot), reboot (every session forgotten\n"
"                       after --reboot-after requests), lie-sdr-key (its\n"
"                       model's Device ID and SDR repository info, other\n"
"                       records: every SDR name lower-cased)\n"
"  --hostile LIST       the BMCs of LIST hostile, one way each, in turn:\n"
"                       slow, drip, churn, endless-sel, lie-lengths,\n"
"                       lie-rmcpp-length, duplicate+reorder, no-slot,\n"
"                       reboot, then slow again\n"
"  --slow-ms MS         quirk slow: every answer's delay (default 900, 90%\n"
"                       of bmcfleet's default 1000 ms timeout)\n"
"  --reboot-after N     quirk reboot: in-session requests between reboots\n"
"                       (default 20)\n"
"  --reboot-every-ms MS quirk reboot: also this long after the last reboot\n"
"                       (default 0: by requests only)\n"
"  --session-limit N    sessions a BMC allows at once (default 4)\n"
"  --model NAME         dell-r640, hpe-dl380, supermicro-x11, lenovo-sr650,\n"
"                       openbmc, or mix (default: by index)\n"
"  --power on|off       initial chassis power (default off)\n"
"  --suites LIST        RMCP+ cipher suites offered (default 3,17; empty:\n"
"                       IPMI v1.5 only)\n"
"  --v15-auth LIST      v1.5 auth types offered: md5,straight,none,md2\n"
"                       (md2 is advertised only: no session uses it)\n"
"  --kg HEX             BMC key K_g (up to 20 bytes in hex)\n"
"  --sel-capacity N     SEL entries each BMC holds (1-65534, default 512);\n"
"                       a full SEL drops new events and says overflow\n"
"  --sel-epoch SECONDS  SEL time at start, seconds since 1970 (default:\n"
"                       the clock); fixed, SEL contents repeat run to run\n"
"  --reading-window-ms MS  readings move at most one count per window\n"
"                       (default 30000); 0 freezes them (for tests that\n"
"                       compare tools reading seconds apart)\n"
"  --stats FILE         per-BMC counters as JSON lines, on SIGUSR1 and exit\n"
"  --sel-dump FILE      every BMC's SEL (record IDs, raw entries in hex) as\n"
"                       JSON lines, on SIGUSR1 and exit: the truth for tests\n"
"  --config FILE        YAML: defaults, users, per-BMC overrides (see\n"
"                       bmcsim(1)); command-line options win\n"
"  --quiet              print only the ready line and errors\n";

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

static struct sim_override *
add_override(struct sim_conf *c)
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

static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (text_parse_uint(s, min, max, &v) != 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* "5", "0.5", "100": percent -> parts per million */
static int
parse_pct(const char *s, uint32_t *ppm)
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

static int
parse_model(const char *s, const struct sim_model **m)
{
	if (!strcmp(s, "mix")) {
		*m = NULL;
		return 0;
	}
	return (*m = sim_model_find(s)) != NULL ? 0 : -1;
}

static int
parse_range(const char *s, uint32_t *first, uint32_t *last)
{
	char a[16];
	const char *dash = strchr(s, '-');
	size_t n;

	if (dash == NULL) {
		if (parse_u32(s, 1, SIM_MAX_COUNT, first) != 0)
			return -1;
		*last = *first;
		return 0;
	}
	n = (size_t)(dash - s);
	if (n == 0 || n >= sizeof(a))
		return -1;
	memcpy(a, s, n);
	a[n] = '\0';
	if (parse_u32(a, 1, SIM_MAX_COUNT, first) != 0 ||
	    parse_u32(dash + 1, 1, SIM_MAX_COUNT, last) != 0 || *last < *first)
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
		if (parse_range(tok, &a, &b) != 0) {
			errf(err, errlen, "%s: '%s' is not an index or "
			    "range like 3 or 10-12 (1-based)", opt, tok);
			free(copy);
			return -1;
		}
		if ((o = add_override(c)) == NULL) {
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
	char buf[256], *tok, *save = NULL;
	uint32_t b;

	if (strlen(list) >= sizeof(buf))
		return errf(err, errlen, "--quirk: list too long");
	strcpy(buf, list);
	*bits = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((b = sim_quirk_lookup(tok)) == 0)
			return errf(err, errlen, "unknown quirk '%s' (known: "
			    "%s)", tok, sim_quirk_names());
		*bits |= b;
	}
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

static int
parse_suites(const char *s, uint32_t *mask)
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

		if (parse_u32(tok, 0, 31, &id) != 0 ||
		    (cs = ipmi_cipher_suite((int)id)) == NULL ||
		    !ipmi_cipher_suite_supported(cs))
			return -1;
		*mask |= 1U << id;
	}
	return 0;
}

static int
auth_type_bit(const char *s, uint8_t *bits)
{
	if (!strcasecmp(s, "md5"))
		*bits |= 1U << IPMI_AUTH_MD5;
	else if (!strcasecmp(s, "straight") || !strcasecmp(s, "password"))
		*bits |= 1U << IPMI_AUTH_STRAIGHT;
	else if (!strcasecmp(s, "none"))
		*bits |= 1U << IPMI_AUTH_NONE;
	else if (!strcasecmp(s, "md2"))
		/* advertised only: clients must refuse it (sess.c) */
		*bits |= 1U << IPMI_AUTH_MD2;
	else
		return -1;
	return 0;
}

static int
parse_v15(const char *s, uint8_t *bits)
{
	char buf[64], *tok, *save = NULL;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	*bits = 0;
	for (tok = strtok_r(buf, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save))
		if (auth_type_bit(tok, bits) != 0)
			return -1;
	return 0;
}

static int
parse_hex(const char *s, uint8_t *out, size_t max, uint8_t *len)
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

static int
set_password(struct sim_user *u, const char *pw, char *err, size_t errlen)
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

static int
read_password_file(const char *path, char *pw, size_t len, char *err,
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
static struct sim_user *
user_slot(struct sim_conf *c, const char *name, char *err, size_t errlen)
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

/* --- YAML ----------------------------------------------------------------- */

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
	    "reboot_every_ms" };
	size_t i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (!strcmp(key, knobs[i]))
			break;
	if (i == sizeof(knobs) / sizeof(knobs[0]))
		return 1;
	if (s == NULL)
		return yerr(y, v, "'%s': expected a scalar value", key);
	if (!strcmp(key, "model")) {
		if (parse_model(s, &k->model) != 0)
			return yerr(y, v, "unknown model '%s' (known: %s)", s,
			    sim_model_names());
		*set |= SIM_K_MODEL;
	} else if (!strcmp(key, "latency_ms")) {
		if (parse_u32(s, 0, 600000, &k->latency_ms) != 0)
			return yerr(y, v, "latency_ms: expected 0..600000");
		*set |= SIM_K_LATENCY;
	} else if (!strcmp(key, "jitter_ms")) {
		if (parse_u32(s, 0, 600000, &k->jitter_ms) != 0)
			return yerr(y, v, "jitter_ms: expected 0..600000");
		*set |= SIM_K_JITTER;
	} else if (!strcmp(key, "loss")) {
		if (parse_pct(s, &k->loss_ppm) != 0)
			return yerr(y, v, "loss: expected a percentage 0..100");
		*set |= SIM_K_LOSS;
	} else if (!strcmp(key, "power_delay_ms")) {
		uint32_t ms;

		if (parse_u32(s, 0, 3600000, &ms) != 0)
			return yerr(y, v, "power_delay_ms: expected 0..3600000");
		/* both delays, but not over a power_off_delay_ms given */
		k->power_on_delay_ms = ms;
		if (!(*set & SIM_K_POWER_OFF_DELAY))
			k->power_off_delay_ms = ms;
		*set |= SIM_K_POWER_DELAY;
	} else if (!strcmp(key, "power_off_delay_ms")) {
		if (parse_u32(s, 0, 3600000, &k->power_off_delay_ms) != 0)
			return yerr(y, v, "power_off_delay_ms: expected "
			    "0..3600000");
		*set |= SIM_K_POWER_OFF_DELAY;
	} else if (!strcmp(key, "soft_off_ms")) {
		if (parse_u32(s, 0, 3600000, &k->soft_off_ms) != 0)
			return yerr(y, v, "soft_off_ms: expected 0..3600000");
		*set |= SIM_K_SOFT_OFF;
	} else if (!strcmp(key, "power_ramp_ms")) {
		if (parse_u32(s, 0, 3600000, &k->power_ramp_ms) != 0)
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
	} else if (!strcmp(key, "slow_ms")) {
		if (parse_u32(s, 0, 600000, &k->slow_ms) != 0)
			return yerr(y, v, "slow_ms: expected 0..600000");
		*set |= SIM_K_SLOW_MS;
	} else if (!strcmp(key, "reboot_every_ms")) {
		if (parse_u32(s, 0, 86400000, &k->reboot_ms) != 0)
			return yerr(y, v, "reboot_every_ms: expected "
			    "0..86400000");
		*set |= SIM_K_REBOOT_MS;
	} else if (!strcmp(key, "reboot_after")) {
		if (parse_u32(s, 1, 1000000, &k->reboot_after) != 0)
			return yerr(y, v, "reboot_after: expected 1..1000000");
		*set |= SIM_K_REBOOT_AFTER;
	} else if (!strcmp(key, "session_limit")) {
		if (parse_u32(s, 1, 64, &k->session_limit) != 0)
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
		if (parse_u32(s, 1, SIM_SEL_CAPACITY_MAX,
		    &y->conf->sel_capacity) != 0)
			return yerr(y, v, "sel_capacity: expected 1..%d",
			    SIM_SEL_CAPACITY_MAX);
	} else if (parse_u32(s, SIM_SEL_EPOCH_MIN, UINT32_MAX,
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
			    parse_range(s, first, last) != 0)
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
			    "reboot_after, reboot_every_ms%s)",
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
	if ((u = user_slot(c, name, y->err, y->errlen)) == NULL)
		return yerr(y, m, "%s", y->err);
	u->priv = (uint8_t)lvl;
	if (pwfile != NULL) {
		if (read_password_file(pwfile, buf, sizeof(buf), y->err,
		    y->errlen) != 0)
			return yerr(y, m, "%s", y->err);
		pw = buf;
	}
	if (pw != NULL && set_password(u, pw, y->err, y->errlen) != 0)
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
			if (s == NULL || parse_u32(s, 1, SIM_MAX_COUNT,
			    &c->count) != 0)
				return yerr(y, vn, "count: expected 1..%d",
				    SIM_MAX_COUNT);
		} else if (!strcmp(key, "base")) {
			if (s == NULL || inet_pton(AF_INET, s, &ia) != 1)
				return yerr(y, vn, "base: expected an IPv4 "
				    "address");
			c->base = ntohl(ia.s_addr);
		} else if (!strcmp(key, "port")) {
			if (s == NULL || parse_u32(s, 1, 65535, &u32) != 0)
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
			if (s == NULL || parse_hex(s, c->auth.kg, IPMI_KG_LEN,
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
					if (parse_suites(es, &m) != 0)
						return yerr(y, e, "suites: '%s' "
						    "is not a supported cipher "
						    "suite", es);
					c->auth.suites |= m;
				} else if (auth_type_bit(es,
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

				if ((o = add_override(c)) == NULL)
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

/* --- command line --------------------------------------------------------- */

enum {
	OPT_COUNT = 256, OPT_BASE, OPT_PORT, OPT_USER, OPT_PASSWORD,
	OPT_PASSWORD_FILE, OPT_LATENCY, OPT_JITTER, OPT_LOSS, OPT_SEED,
	OPT_DEAD, OPT_POWER_DELAY, OPT_SESSION_LIMIT, OPT_MODEL, OPT_POWER,
	OPT_SUITES, OPT_V15, OPT_KG, OPT_STATS, OPT_CONFIG, OPT_QUIET,
	OPT_HELP, OPT_VERSION, OPT_SEL_CAPACITY, OPT_SEL_EPOCH,
	OPT_READING_WINDOW, OPT_SEL_DUMP,
	OPT_POWER_OFF_DELAY, OPT_SOFT_OFF, OPT_POWER_RAMP, OPT_REFUSE_POWER,
	OPT_IGNORE_POWER, OPT_QUIRK, OPT_HOSTILE, OPT_SLOW_MS,
	OPT_REBOOT_AFTER, OPT_REBOOT_EVERY,
};

static const struct option longopts[] = {
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "user", required_argument, NULL, OPT_USER },
	{ "password", required_argument, NULL, OPT_PASSWORD },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "latency-ms", required_argument, NULL, OPT_LATENCY },
	{ "jitter-ms", required_argument, NULL, OPT_JITTER },
	{ "loss", required_argument, NULL, OPT_LOSS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "dead", required_argument, NULL, OPT_DEAD },
	{ "power-delay-ms", required_argument, NULL, OPT_POWER_DELAY },
	{ "power-off-delay-ms", required_argument, NULL, OPT_POWER_OFF_DELAY },
	{ "soft-off-ms", required_argument, NULL, OPT_SOFT_OFF },
	{ "power-ramp-ms", required_argument, NULL, OPT_POWER_RAMP },
	{ "refuse-power", required_argument, NULL, OPT_REFUSE_POWER },
	{ "ignore-power", required_argument, NULL, OPT_IGNORE_POWER },
	{ "quirk", required_argument, NULL, OPT_QUIRK },
	{ "hostile", required_argument, NULL, OPT_HOSTILE },
	{ "slow-ms", required_argument, NULL, OPT_SLOW_MS },
	{ "reboot-after", required_argument, NULL, OPT_REBOOT_AFTER },
	{ "reboot-every-ms", required_argument, NULL, OPT_REBOOT_EVERY },
	{ "session-limit", required_argument, NULL, OPT_SESSION_LIMIT },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "power", required_argument, NULL, OPT_POWER },
	{ "suites", required_argument, NULL, OPT_SUITES },
	{ "v15-auth", required_argument, NULL, OPT_V15 },
	{ "kg", required_argument, NULL, OPT_KG },
	{ "stats", required_argument, NULL, OPT_STATS },
	{ "sel-dump", required_argument, NULL, OPT_SEL_DUMP },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "sel-capacity", required_argument, NULL, OPT_SEL_CAPACITY },
	{ "sel-epoch", required_argument, NULL, OPT_SEL_EPOCH },
	{ "reading-window-ms", required_argument, NULL, OPT_READING_WINDOW },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

int
simconf_parse(struct sim_conf *c, int argc, char **argv, char *err,
    size_t errlen)
{
	const char *user = NULL, *cfg = NULL;
	char pwbuf[64];
	const char *pw = NULL;
	struct in_addr ia;
	uint32_t u32;
	int ch, b, off_given = 0;

	/* pass 1: --config, --help, --version; the file goes under argv */
	opterr = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == OPT_HELP) {
			fputs(usage, stdout);
			return 1;
		}
		if (ch == OPT_VERSION) {
			printf("bmcsim %s\n", VERSION);
			return 1;
		}
		if (ch == OPT_CONFIG)
			cfg = optarg;
		if (ch == '?')
			return errf(err, errlen, "unknown or incomplete option "
			    "'%s' (see bmcsim --help)", argv[optind - 1]);
	}
	if (optind < argc)
		return errf(err, errlen, "unexpected argument '%s' (see bmcsim "
		    "--help)", argv[optind]);
	if (cfg != NULL && simconf_load(c, cfg, err, errlen) != 0)
		return -1;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_COUNT:
			if (parse_u32(optarg, 1, SIM_MAX_COUNT, &c->count))
				return errf(err, errlen, "--count: expected "
				    "1..%d, not '%s'", SIM_MAX_COUNT, optarg);
			break;
		case OPT_BASE:
			if (inet_pton(AF_INET, optarg, &ia) != 1)
				return errf(err, errlen, "--base: '%s' is not "
				    "an IPv4 address", optarg);
			c->base = ntohl(ia.s_addr);
			break;
		case OPT_PORT:
			if (parse_u32(optarg, 1, 65535, &u32))
				return errf(err, errlen, "--port: expected "
				    "1..65535, not '%s'", optarg);
			c->port = (uint16_t)u32;
			break;
		case OPT_USER:
			user = optarg;
			break;
		case OPT_PASSWORD:
			if (strlen(optarg) >= sizeof(pwbuf))
				return errf(err, errlen, "--password: longer "
				    "than %d bytes", IPMI_MAX_PASSWORD);
			strcpy(pwbuf, optarg);
			pw = pwbuf;
			/* keep it out of ps(1) */
			memset(optarg, 'x', strlen(optarg));
			break;
		case OPT_PASSWORD_FILE:
			if (read_password_file(optarg, pwbuf, sizeof(pwbuf),
			    err, errlen) != 0)
				return -1;
			pw = pwbuf;
			break;
		case OPT_LATENCY:
			if (parse_u32(optarg, 0, 600000, &c->def.latency_ms))
				return errf(err, errlen, "--latency-ms: "
				    "expected 0..600000, not '%s'", optarg);
			break;
		case OPT_JITTER:
			if (parse_u32(optarg, 0, 600000, &c->def.jitter_ms))
				return errf(err, errlen, "--jitter-ms: "
				    "expected 0..600000, not '%s'", optarg);
			break;
		case OPT_LOSS:
			if (parse_pct(optarg, &c->def.loss_ppm))
				return errf(err, errlen, "--loss: expected a "
				    "percentage 0..100, not '%s'", optarg);
			break;
		case OPT_SEED: {
			char *end;

			errno = 0;
			c->seed = strtoull(optarg, &end, 0);
			if (errno || *end || !*optarg)
				return errf(err, errlen, "--seed: expected a "
				    "number, not '%s'", optarg);
			break;
		}
		case OPT_DEAD:
			if (simconf_add_dead(c, optarg, err, errlen) != 0)
				return -1;
			break;
		case OPT_POWER_DELAY:
			if (parse_u32(optarg, 0, 3600000, &u32))
				return errf(err, errlen, "--power-delay-ms: "
				    "expected 0..3600000, not '%s'", optarg);
			/* both, over the file's; --power-off-delay-ms wins */
			c->def.power_on_delay_ms = u32;
			if (!off_given)
				c->def.power_off_delay_ms = u32;
			break;
		case OPT_POWER_OFF_DELAY:
			if (parse_u32(optarg, 0, 3600000,
			    &c->def.power_off_delay_ms))
				return errf(err, errlen, "--power-off-delay-ms: "
				    "expected 0..3600000, not '%s'", optarg);
			off_given = 1;
			break;
		case OPT_SOFT_OFF:
			if (parse_u32(optarg, 0, 3600000, &c->def.soft_off_ms))
				return errf(err, errlen, "--soft-off-ms: "
				    "expected 0..3600000, not '%s'", optarg);
			break;
		case OPT_POWER_RAMP:
			if (parse_u32(optarg, 0, 3600000,
			    &c->def.power_ramp_ms))
				return errf(err, errlen, "--power-ramp-ms: "
				    "expected 0..3600000, not '%s'", optarg);
			break;
		case OPT_QUIRK:
			if (simconf_add_quirks(c, optarg, err, errlen) != 0)
				return -1;
			break;
		case OPT_HOSTILE:
			if (simconf_add_hostile(c, optarg, err, errlen) != 0)
				return -1;
			break;
		case OPT_SLOW_MS:
			if (parse_u32(optarg, 0, 600000, &c->def.slow_ms))
				return errf(err, errlen, "--slow-ms: expected "
				    "0..600000, not '%s'", optarg);
			break;
		case OPT_REBOOT_AFTER:
			if (parse_u32(optarg, 1, 1000000, &c->def.reboot_after))
				return errf(err, errlen, "--reboot-after: "
				    "expected 1..1000000, not '%s'", optarg);
			break;
		case OPT_REBOOT_EVERY:
			if (parse_u32(optarg, 0, 86400000, &c->def.reboot_ms))
				return errf(err, errlen, "--reboot-every-ms: "
				    "expected 0..86400000, not '%s'", optarg);
			break;
		case OPT_REFUSE_POWER:
		case OPT_IGNORE_POWER:
			if (simconf_add_misbehaving(c, optarg,
			    ch == OPT_IGNORE_POWER, err, errlen) != 0)
				return -1;
			break;
		case OPT_SESSION_LIMIT:
			if (parse_u32(optarg, 1, 64, &c->def.session_limit))
				return errf(err, errlen, "--session-limit: "
				    "expected 1..64, not '%s'", optarg);
			break;
		case OPT_MODEL:
			if (parse_model(optarg, &c->def.model))
				return errf(err, errlen, "--model: unknown "
				    "model '%s' (known: %s)", optarg,
				    sim_model_names());
			break;
		case OPT_POWER:
			if (text_parse_bool(optarg, TEXT_BOOL_DIGITS, &b))
				return errf(err, errlen, "--power: expected on "
				    "or off, not '%s'", optarg);
			c->def.power_on = b;
			break;
		case OPT_SUITES:
			if (parse_suites(optarg, &c->auth.suites))
				return errf(err, errlen, "--suites: expected "
				    "supported cipher suite IDs like 3,17, not "
				    "'%s'", optarg);
			break;
		case OPT_V15:
			if (parse_v15(optarg, &c->auth.v15_types))
				return errf(err, errlen, "--v15-auth: expected "
				    "md5, straight, none or md2, not '%s'",
				    optarg);
			break;
		case OPT_KG:
			if (parse_hex(optarg, c->auth.kg, IPMI_KG_LEN,
			    &c->auth.kglen))
				return errf(err, errlen, "--kg: expected up to "
				    "20 bytes in hex");
			memset(optarg, 'x', strlen(optarg));
			break;
		case OPT_STATS:
			free(c->stats_path);
			if ((c->stats_path = strdup(optarg)) == NULL)
				return errf(err, errlen, "out of memory");
			break;
		case OPT_SEL_DUMP:
			free(c->sel_dump_path);
			if ((c->sel_dump_path = strdup(optarg)) == NULL)
				return errf(err, errlen, "out of memory");
			break;
		case OPT_QUIET:
			c->quiet = 1;
			break;
		case OPT_SEL_CAPACITY:
			if (parse_u32(optarg, 1, SIM_SEL_CAPACITY_MAX,
			    &c->sel_capacity))
				return errf(err, errlen, "--sel-capacity: "
				    "expected 1..%d, not '%s'",
				    SIM_SEL_CAPACITY_MAX, optarg);
			break;
		case OPT_READING_WINDOW:
			if (parse_u32(optarg, 0, 86400000,
			    &c->reading_window_ms))
				return errf(err, errlen, "--reading-window-ms: "
				    "expected 0..86400000, not '%s'", optarg);
			break;
		case OPT_SEL_EPOCH:
			if (parse_u32(optarg, SIM_SEL_EPOCH_MIN, UINT32_MAX,
			    &c->sel_epoch))
				return errf(err, errlen, "--sel-epoch: expected "
				    "seconds since 1970 (%u..%u), not '%s'",
				    SIM_SEL_EPOCH_MIN, UINT32_MAX, optarg);
			break;
		default:
			break;
		}
	}
	if (pw == NULL && user != NULL && getenv("BMCSIM_PASSWORD") != NULL) {
		if (strlen(getenv("BMCSIM_PASSWORD")) >= sizeof(pwbuf))
			return errf(err, errlen, "BMCSIM_PASSWORD: too long");
		strcpy(pwbuf, getenv("BMCSIM_PASSWORD"));
		pw = pwbuf;
	}
	if (user != NULL || pw != NULL) {
		struct sim_user *u;

		/* the command line's user comes first and is an admin */
		if ((u = user_slot(c, user ? user : "admin", err, errlen)) ==
		    NULL)
			return -1;
		u->priv = IPMI_PRIV_ADMIN;
		if (pw != NULL && set_password(u, pw, err, errlen) != 0)
			return -1;
		memset(pwbuf, 0, sizeof(pwbuf));
	}
	if ((uint64_t)c->base + c->count - 1 > UINT32_MAX)
		return errf(err, errlen, "--count %u from --base runs past "
		    "255.255.255.255", c->count);
	return 0;
}
