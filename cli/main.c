/*
 * bmcfleet: the command line.  Direct mode (-H) talks to BMCs without a
 * database; fleet mode (configuration and PostgreSQL) comes later.
 */
#include <stdio.h>
#include <string.h>

#include "cli/direct.h"
#include "cli/collect.h"
#include "cli/cmd_db.h"
#include "cli/plan.h"
#include "cli/opts.h"
#include "cli/cmd_report.h"

#define BMCFLEET_VERSION	"0.1.0"

static void
usage(FILE *f)
{
	fputs(
"usage: bmcfleet -H HOSTLIST -U USER (-E | -f FILE | -P PASS) [options] COMMAND\n"
"       bmcfleet db migrate [--dry-run] | db version   [--db CONNINFO]\n"
"       bmcfleet collect|inventory|sensors|events|power|plan|audit ...\n"
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
"  sel list|info|clear       the System Event Log: entries decoded, its\n"
"                            size and times, or erase it; sel list\n"
"                            --state warning,critical filters by severity\n"
"  fru                       FRU inventory of every FRU device the SDRs\n"
"                            locate: chassis, board, product, multirecords\n"
"  dcmi power                DCMI power reading: current, min, max, average\n"
"  bootdev pxe|disk|bios|cdrom|none [--persistent] [--efi]\n"
"                            boot device override for the next boot (or\n"
"                            every boot with --persistent), read back\n"
"  bootdev get               read the boot device override only\n"
"\n"
"Fleet mode (PostgreSQL; --db CONNINFO, else $BMCFLEET_DB):\n"
"  db migrate [--dry-run]    apply the schema migrations the database lacks\n"
"  db version                the database's schema version\n"
"  collect [TARGETS]         sweep the configured BMCs into the database\n"
"                            (-c FILE: bmcfleet.yaml; see collect --help);\n"
"                            bmcfleetd does it every sweep interval\n"
"  power on|off|cycle|reset|status TARGETS   (no -H) staged: --batch N,\n"
"                            --interval D, --budget W, --soft, --dry-run\n"
"  plan apply FILE [--at TIME] [--dry-run], plan run|resume|status|abort\n"
"                            ID, plan list: stored, resumable power plans\n"
"  audit [--since TIME] [--host H] [--plan ID]   who did what, when\n"
"  inventory [TARGETS]       model, firmware, serials and part numbers per\n"
"                            host; --all-frus, --changes [--since TIME]\n"
"  sensors [TARGETS]         (no -H) the latest reading of every sensor;\n"
"                            --state warning,critical, --since TIME\n"
"  events [TARGETS]          SEL history: --since/--until TIME, --severity\n"
"                            LIST, --limit N  (each: --format table|json|\n"
"                            csv; see bmcfleet inventory --help)\n"
"\n"
"Hosts:\n"
"  -H, --hosts HOSTLIST      comma list with ranges: node[01-20],\n"
"                            10.0.1.[1-50], host:port, [v6addr]:port\n"
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
"      --timeout MS          wait per attempt before resending (1000)\n"
"      --retries N           resends per message (3)\n"
"      --fanout N            sessions in flight at once (256)\n"
"      --deadline DURATION   a host not done by then is failed by reason\n"
"                            \"deadline\" and the others go on (60s)\n"
"SDR cache (sensors, fru):\n"
"      --sdr-cache DIR       where SDR repositories are cached (default\n"
"                            $BMCFLEET_SDR_CACHE, else ~/.cache/bmcfleet/sdr);\n"
"                            keyed by model, firmware and the repository's\n"
"                            timestamps, so a second run reads no SDRs\n"
"      --no-sdr-cache        always read the SDR repository\n"
"Output:\n"
"      --format table|json   output format (table)\n"
"  -v, --verbose             log each session's steps to stderr\n"
"  -h, --help                this text;  --version  the version\n"
"\n"
"Exit status: 0 all hosts succeeded, 1 any host failed, 2 usage error.\n",
	    f);
}

int
main(int argc, char **argv)
{
	struct opts o;
	char err[256];
	int rc;

	if (argc > 1 && strcmp(argv[1], "db") == 0)
		return fleet_db_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "collect") == 0)
		return fleet_collect_main(argc - 1, argv + 1);
	/* power without -H, plan, audit: staged operations */
	if (fleet_plan_wants(argc, argv))
		return fleet_plan_main(argc - 1, argv + 1);
	/* inventory, events, and sensors without -H: from the database */
	if (fleet_report_wants(argc, argv))
		return fleet_report_main(argc - 1, argv + 1);
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
	rc = direct_run(&o);
	opts_release(&o);
	return rc;
}
