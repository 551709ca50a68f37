/*
 * bmcfleet: the command line.  Direct mode (-H) talks to BMCs without a
 * database; fleet mode's commands read the configuration and PostgreSQL.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_alert.h"
#include "cli/cmd_alerts.h"
#include "cli/cmd_complete.h"
#include "cli/cmd_db.h"
#include "cli/cmd_report.h"
#include "cli/cmd_status.h"
#include "cli/collect.h"
#include "cli/direct.h"
#include "cli/opts.h"
#include "cli/cmd_plan.h"
#include "lib/text.h"

#define BMCFLEET_VERSION	"0.1.0"

/*
 * Fleet mode's commands, as git's cmd_* table: argv[1] names one (power
 * and sensors only without -H, else they are direct mode's verbs), which
 * runs with argv[1..] and whose return is the exit status.  Anything else
 * is direct mode.  Adding a command is adding its entry here.
 */
static const struct cli_command commands[] = {
	{ "db", fleet_db_main, 0,
	    "migrate [--dry-run] | version: the database's schema" },
	{ "collect", fleet_collect_main, 0,
	    "sweep the BMCs into the database (bmcfleetd: every interval)" },
	{ "power", fleet_plan_main, CMD_DIRECT_WITH_HOSTS,
	    "on|off|cycle|reset|status TARGETS (no -H): staged, in batches" },
	{ "plan", fleet_plan_main, 0,
	    "apply FILE | run|resume|status|abort ID | list: power plans" },
	{ "audit", fleet_plan_main, 0,
	    "who did what, when" },
	{ "inventory", fleet_report_main, 0,
	    "model, firmware, serials and part numbers per host" },
	{ "sensors", fleet_report_main, CMD_DIRECT_WITH_HOSTS,
	    "(no -H) the latest stored reading of every sensor" },
	{ "events", fleet_report_main, 0,
	    "SEL history by time and severity; --follow, ack ID..." },
	{ "status", fleet_status_main, 0,
	    "the fleet at a glance: power, health, sweeps, failures, plans" },
	{ "alert", fleet_alert_main, 0,
	    "setup|status TARGETS: BMCs send PET traps (PEF, LAN alerting)" },
	{ "alerts", fleet_alerts_main, 0,
	    "history: every alert notification, to whom, its result" },
};

#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	size_t i;

	fputs(
"usage: bmcfleet -H HOSTLIST -U USER (-E | -f FILE | -P PASS) [options] COMMAND\n"
"       bmcfleet [-c FILE] [--db CONNINFO] FLEET-COMMAND [TARGETS] [options]\n"
"\n"
"Run an IPMI command on every host of HOSTLIST at once, one line per host.\n"
"\n"
"Commands:\n"
"  power status              chassis power state (on/off)\n"
"  power on|off|cycle|reset  chassis control: power up, hard power down,\n"
"                            off then on, hard reset\n"
"  power soft                ask the OS for an ACPI shutdown\n"
"  power diag                pulse a diagnostic interrupt (NMI)\n"
"  mc info                   BMC manufacturer, product, firmware, GUID\n"
"  identify [SECS|force]     blink the chassis identify light (default\n"
"                            15 s; 0 turns it off; force keeps it on)\n"
"  sensors [--state LIST]    every sensor: reading, units, threshold status\n"
"                            and health (nominal, warning, critical, na);\n"
"                            --state warning,critical shows only those\n"
"                            (none: said on stderr)\n"
"  sel list|info|clear       the System Event Log: entries decoded, its\n"
"                            size and times, or erase it; sel list\n"
"                            --state warning,critical filters by severity\n"
"  fru                       FRU inventory of every FRU device the SDRs\n"
"                            locate: chassis, board, product, multirecords\n"
"  dcmi power                DCMI power reading: current, min, max, average\n"
"  bootdev pxe|disk|bios|cdrom|none [--persistent] [--efi]\n"
"                            boot device override for the next boot (or\n"
"                            every boot with --persistent), read back\n"
"  bootdev [get]             read the boot device override only\n"
"\n"
"Fleet mode (PostgreSQL; --db CONNINFO, else $BMCFLEET_DB; details in\n"
"FLEET-COMMAND --help):\n",
	    f);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-12s%s\n", commands[i].name,
		    commands[i].summary);
	fputs("\n", f);
	fputs(opts_targets_help, f);
	fputs(
"\n"
"Hosts:\n"
"  -H, --hosts HOSTLIST      comma list with ranges: node[01-20],\n"
"                            10.0.1.[1-50], host:port, [v6addr]:port (a\n"
"                            range needs brackets: not 10.0.1.1-50)\n"
"      --max-hosts N         refuse a HOSTLIST of more hosts (100000)\n"
"  -p, --port PORT           default UDP port (623)\n"
"Credentials (the password never goes into logs):\n"
"  -U, --user USER           BMC user name\n"
"  -E, --password-env        password from BMCFLEET_PASSWORD, else\n"
"                            IPMI_PASSWORD (as ipmitool -E)\n"
"  -f, --password-file FILE  password from the first line of FILE (0600)\n"
"  -P, --password PASS       password on the command line (visible to\n"
"                            other users; prefer -E or -f)\n"
"  -k, --kg KEY / -y, --kg-hex HEX   BMC key K_g for RMCP+\n"
"Session:\n"
"  -I, --interface lan|lanplus  IPMI v1.5 or v2.0/RMCP+ (default lanplus)\n"
"  -C, --cipher-suite N      RMCP+ cipher suite (default: the strongest the\n"
"                            BMC offers; 3 if it does not list them)\n"
"  -A, --auth-type TYPE      with -I lan: md5 or password (default: md5 if\n"
"                            offered); none and md2 are refused\n"
"  -L, --privilege LEVEL     user, operator or admin (default admin)\n"
"      --insecure            allow cipher suites without integrity or\n"
"                            encryption (0, 1, 2, 15, 16), v1.5 auth types\n"
"                            none and straight password, v1.5 answers\n"
"                            without auth code, and null user names\n"
"  -W, --workaround LIST     firmware workarounds, comma-separated: authcap,\n"
"                            ignore-seq-reset,\n"
"                            integrity-check-value, intel20, supermicro20,\n"
"                            sun20, no-name-lookup,\n"
"                            no-dcmi (bmcfleet(1) says which bug each is for)\n"
"      --timeout DURATION    wait per attempt before resending (2s, 500ms;\n"
"                            a bare number is ms; default 1s)\n"
"      --retries N           resends per message (3)\n"
"      --fanout N            sessions in flight at once (256)\n"
"      --deadline DURATION   a host not done by then is failed by reason\n"
"                            \"deadline\" and the others go on (60s)\n"
"SDR cache (sensors, fru):\n"
"      --sdr-cache DIR       where SDR repositories are cached (default\n"
"                            $BMCFLEET_SDR_CACHE, else ~/.cache/bmcfleet/sdr);\n"
"                            keyed by model, firmware and the repository's\n"
"                            timestamps, so a second run reads no SDRs\n"
"                            (pruned: unused 30 days, 512 entries, 64 MiB)\n"
"      --no-sdr-cache        always read the SDR repository\n"
"Confirmation and audit (power on|off|cycle|reset|soft|diag, sel clear):\n"
"      --yes                 do not ask above the confirm limit (the config's\n"
"                            scheduler.confirm_limit, else 50); without a\n"
"                            terminal it is needed there\n"
"      --db CONNINFO         audit rows go there (default $BMCFLEET_DB,\n"
"                            else the config's database); syslog always\n"
"Output:\n"
"      --format table|json   output format (table)\n"
"  -v, --verbose             log each session's steps to stderr\n"
"  -h, --help                this text;  --version  the version\n"
"\n"
"Exit status: 0 all hosts succeeded, 1 any host failed or the question\n"
"was answered no, 2 usage error (or above the confirm limit without --yes).\n",
	    f);
}

static const struct cli_command *
find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

/* -H given to a fleet command (no fleet command has -H of its own) */
static int
fleet_given_hosts(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strncmp(argv[i], "-H", 2) == 0 ||
		    strncmp(argv[i], "--hosts=", 8) == 0)
			return 1;
	return 0;
}

static int
fleet_only_error(const char *name)
{
	fprintf(stderr, "bmcfleet: '%s' is a fleet command: it reads the "
	    "configuration and the database, not BMCs; drop -H and the "
	    "credentials\nTry 'bmcfleet %s --help'.\n", name, name);
	return 2;
}

/*
 * A first word that is neither a direct verb nor a fleet command: said,
 * with the nearest of both.
 */
static int
unknown_command(const char *word)
{
	const char *cand[NCOMMANDS + 16];
	const char *w;
	char hint[96];
	size_t n = 0;

	for (size_t i = 0; (w = direct_verb_word(i)) != NULL && i < 16; i++)
		cand[n++] = w;
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!(commands[i].flags & CMD_DIRECT_WITH_HOSTS))
			cand[n++] = commands[i].name;
	fprintf(stderr, "bmcfleet: unknown command '%s'%s\nTry 'bmcfleet "
	    "--help'.\n", word, text_did_you_mean(hint, sizeof(hint), word,
	    cand, n));
	return 2;
}

int
main(int argc, char **argv)
{
	const struct cli_command *cmd;
	struct opts o;
	char err[256];
	int rc;

	/* hidden: the bash completion's TARGETS words */
	if (argc > 1 && strcmp(argv[1], COMPLETE_TARGETS_CMD) == 0)
		return fleet_complete_targets_main(argc - 1, argv + 1);
	if ((cmd = opts_find_command(commands, NCOMMANDS, argc, argv)) != NULL) {
		if (!(cmd->flags & CMD_DIRECT_WITH_HOSTS) &&
		    fleet_given_hosts(argc - 1, argv + 1))
			return fleet_only_error(cmd->name);
		return cmd->run(argc - 1, argv + 1);
	}
	if (opts_parse(&o, argc, argv, err, sizeof(err)) == -1) {
		fprintf(stderr, "bmcfleet: %s\nTry 'bmcfleet --help'.\n", err);
		opts_release(&o);
		return 2;
	}
	if (o.help) {
		usage(stdout);
		opts_release(&o);
		return 0;
	}
	if (o.version) {
		printf("bmcfleet %s\n", BMCFLEET_VERSION);
		opts_release(&o);
		return 0;
	}
	if (o.argc == 0 && o.hosts == NULL) {
		usage(stderr);
		opts_release(&o);
		return 2;
	}
	if (o.argc > 0 && (cmd = find_command(o.argv[0])) != NULL &&
	    !(cmd->flags & CMD_DIRECT_WITH_HOSTS)) {
		opts_release(&o);
		return fleet_only_error(cmd->name);
	}
	if (o.argc > 0) {
		const char *w;
		size_t i;

		for (i = 0; (w = direct_verb_word(i)) != NULL; i++)
			if (strcmp(w, o.argv[0]) == 0)
				break;
		if (w == NULL) {
			rc = unknown_command(o.argv[0]);
			opts_release(&o);
			return rc;
		}
		/* power stauts: the nearest action of that verb */
		if (direct_verb_check(o.argc, o.argv, err, sizeof(err)) != 0) {
			fprintf(stderr, "bmcfleet: %s\nTry 'bmcfleet --help'.\n",
			    err);
			opts_release(&o);
			return 2;
		}
	}
	rc = direct_run(&o);
	opts_release(&o);
	return rc;
}
