/*
 * simconf_args: bmcsim's command line (simconf_parse): --help, --version,
 * then the --config file, then every other option over it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "lib/errf.h"
#include "lib/text.h"
#include "model.h"
#include "store.h"
#include "simconf_int.h"

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
"              [--sel-rate N] [--control PATH]\n"
"       bmcsim --ctl PATH LINE\n"
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
"  --firmware-rev N     a firmware update: the BMC firmware's minor version\n"
"                       and the BIOS version move on by N (0-99; per BMC:\n"
"                       firmware_rev in --config's bmcs:)\n"
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
"                       no-cipher-suites: Get Channel Cipher Suites never\n"
"                       answered, as by ipmi_sim\n"
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
"  --sel-rate N         scheduled SEL events: N per BMC per minute (default:\n"
"                       one every 2-10 minutes by seed, some quiet)\n"
"  --control PATH       a unix datagram socket taking one command a line:\n"
"                       sel-add ADDR[,ADDR...]|all [critical|warning|info]\n"
"                       [deassert] adds an event to those SELs now (each\n"
"                       printed: \"bmcsim: sel-add ADDR record=N at=MS\");\n"
"                       sel-rate N sets --sel-rate (bmcsim(1))\n"
"  --ctl PATH LINE      send LINE to a running bmcsim's --control PATH,\n"
"                       print its answer (\"ok N\" or \"error: ...\")\n"
"  --config FILE        YAML: defaults, users, per-BMC overrides (see\n"
"                       bmcsim(1)); command-line options win\n"
"  --quiet              print only the ready line, --control's sel-add lines\n"
"                       and errors\n";

enum {
	OPT_COUNT = 256, OPT_BASE, OPT_PORT, OPT_USER, OPT_PASSWORD,
	OPT_PASSWORD_FILE, OPT_LATENCY, OPT_JITTER, OPT_LOSS, OPT_SEED,
	OPT_DEAD, OPT_POWER_DELAY, OPT_SESSION_LIMIT, OPT_MODEL, OPT_POWER,
	OPT_SUITES, OPT_V15, OPT_KG, OPT_STATS, OPT_CONFIG, OPT_QUIET,
	OPT_HELP, OPT_VERSION, OPT_SEL_CAPACITY, OPT_SEL_EPOCH,
	OPT_READING_WINDOW, OPT_SEL_DUMP,
	OPT_POWER_OFF_DELAY, OPT_SOFT_OFF, OPT_POWER_RAMP, OPT_REFUSE_POWER,
	OPT_IGNORE_POWER, OPT_QUIRK, OPT_HOSTILE, OPT_SLOW_MS,
	OPT_REBOOT_AFTER, OPT_REBOOT_EVERY, OPT_SEL_RATE, OPT_CONTROL,
	OPT_FW_REV,
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
	{ "firmware-rev", required_argument, NULL, OPT_FW_REV },
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
	{ "sel-rate", required_argument, NULL, OPT_SEL_RATE },
	{ "control", required_argument, NULL, OPT_CONTROL },
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
			if (simconf_parse_u32(optarg, 1, SIM_MAX_COUNT, &c->count))
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
			if (simconf_parse_u32(optarg, 1, 65535, &u32))
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
			if (simconf_read_password_file(optarg, pwbuf, sizeof(pwbuf),
			    err, errlen) != 0)
				return -1;
			pw = pwbuf;
			break;
		case OPT_LATENCY:
			if (simconf_parse_u32(optarg, 0, 600000, &c->def.latency_ms))
				return errf(err, errlen, "--latency-ms: "
				    "expected 0..600000, not '%s'", optarg);
			break;
		case OPT_JITTER:
			if (simconf_parse_u32(optarg, 0, 600000, &c->def.jitter_ms))
				return errf(err, errlen, "--jitter-ms: "
				    "expected 0..600000, not '%s'", optarg);
			break;
		case OPT_LOSS:
			if (simconf_parse_pct(optarg, &c->def.loss_ppm))
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
			if (simconf_parse_u32(optarg, 0, 3600000, &u32))
				return errf(err, errlen, "--power-delay-ms: "
				    "expected 0..3600000, not '%s'", optarg);
			/* both, over the file's; --power-off-delay-ms wins */
			c->def.power_on_delay_ms = u32;
			if (!off_given)
				c->def.power_off_delay_ms = u32;
			break;
		case OPT_POWER_OFF_DELAY:
			if (simconf_parse_u32(optarg, 0, 3600000,
			    &c->def.power_off_delay_ms))
				return errf(err, errlen, "--power-off-delay-ms: "
				    "expected 0..3600000, not '%s'", optarg);
			off_given = 1;
			break;
		case OPT_SOFT_OFF:
			if (simconf_parse_u32(optarg, 0, 3600000, &c->def.soft_off_ms))
				return errf(err, errlen, "--soft-off-ms: "
				    "expected 0..3600000, not '%s'", optarg);
			break;
		case OPT_POWER_RAMP:
			if (simconf_parse_u32(optarg, 0, 3600000,
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
		case OPT_FW_REV:
			if (simconf_parse_u32(optarg, 0, 99, &c->def.fw_rev))
				return errf(err, errlen, "--firmware-rev: "
				    "expected 0..99, not '%s'", optarg);
			break;
		case OPT_SLOW_MS:
			if (simconf_parse_u32(optarg, 0, 600000, &c->def.slow_ms))
				return errf(err, errlen, "--slow-ms: expected "
				    "0..600000, not '%s'", optarg);
			break;
		case OPT_REBOOT_AFTER:
			if (simconf_parse_u32(optarg, 1, 1000000, &c->def.reboot_after))
				return errf(err, errlen, "--reboot-after: "
				    "expected 1..1000000, not '%s'", optarg);
			break;
		case OPT_REBOOT_EVERY:
			if (simconf_parse_u32(optarg, 0, 86400000, &c->def.reboot_ms))
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
			if (simconf_parse_u32(optarg, 1, 64, &c->def.session_limit))
				return errf(err, errlen, "--session-limit: "
				    "expected 1..64, not '%s'", optarg);
			break;
		case OPT_MODEL:
			if (simconf_parse_model(optarg, &c->def.model))
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
			if (simconf_parse_suites(optarg, &c->auth.suites))
				return errf(err, errlen, "--suites: expected "
				    "supported cipher suite IDs like 3,17, not "
				    "'%s'", optarg);
			break;
		case OPT_V15:
			if (simconf_parse_v15(optarg, &c->auth.v15_types))
				return errf(err, errlen, "--v15-auth: expected "
				    "md5, straight, none or md2, not '%s'",
				    optarg);
			break;
		case OPT_KG:
			if (simconf_parse_hex(optarg, c->auth.kg, IPMI_KG_LEN,
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
		case OPT_CONTROL:
			free(c->control_path);
			if ((c->control_path = strdup(optarg)) == NULL)
				return errf(err, errlen, "out of memory");
			break;
		case OPT_SEL_RATE:
			if (simconf_parse_u32(optarg, 0, 60000, &c->sel_rate))
				return errf(err, errlen, "--sel-rate: expected "
				    "0..60000 entries per minute, not '%s'",
				    optarg);
			break;
		case OPT_SEL_CAPACITY:
			if (simconf_parse_u32(optarg, 1, SIM_SEL_CAPACITY_MAX,
			    &c->sel_capacity))
				return errf(err, errlen, "--sel-capacity: "
				    "expected 1..%d, not '%s'",
				    SIM_SEL_CAPACITY_MAX, optarg);
			break;
		case OPT_READING_WINDOW:
			if (simconf_parse_u32(optarg, 0, 86400000,
			    &c->reading_window_ms))
				return errf(err, errlen, "--reading-window-ms: "
				    "expected 0..86400000, not '%s'", optarg);
			break;
		case OPT_SEL_EPOCH:
			if (simconf_parse_u32(optarg, SIM_SEL_EPOCH_MIN, UINT32_MAX,
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
		if ((u = simconf_user_slot(c, user ? user : "admin", err, errlen)) ==
		    NULL)
			return -1;
		u->priv = IPMI_PRIV_ADMIN;
		if (pw != NULL && simconf_set_password(u, pw, err, errlen) != 0)
			return -1;
		memset(pwbuf, 0, sizeof(pwbuf));
	}
	if ((uint64_t)c->base + c->count - 1 > UINT32_MAX)
		return errf(err, errlen, "--count %u from --base runs past "
		    "255.255.255.255", c->count);
	return 0;
}
