/*
 * report: fleet mode's reports, read from PostgreSQL (what `bmcfleet
 * collect` stored), never from the BMCs:
 *
 *	bmcfleet inventory [TARGETS] [--all-frus] | --changes [--since TIME]
 *	bmcfleet sensors [TARGETS] [--state LIST] [--since TIME]
 *	bmcfleet events [TARGETS] [--since TIME] [--until TIME]
 *	    [--severity LIST] [--limit N]
 *
 * each with --format table|json|csv, -c FILE, --db CONNINFO, --retired.
 * `sensors` with -H is direct mode (cli/verb_sensors.c), not this.
 */
#ifndef BMCFLEET_CLI_CMD_REPORT_H
#define BMCFLEET_CLI_CMD_REPORT_H

/*
 * Whether argv (main's, argv[1] the verb) is a fleet report: inventory and
 * events always, sensors when no -H/--hosts appears anywhere in argv.
 */
int	fleet_report_wants(int argc, char **argv);

/* Whether -H/--hosts (direct mode) appears in argv[from..argc). */
int	cli_has_hosts(int argc, char **argv, int from);

/*
 * Run the report named by argv[0] (inventory, sensors or events).  Output
 * goes to stdout, errors (and the sensors summary, on a terminal) to
 * stderr.  Returns the exit status: 0 done (also when nothing matched), 1
 * the database failed, 2 usage or configuration error.
 */
int	fleet_report_main(int argc, char **argv);

#endif
