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
 * Run the report named by argv[0] (inventory, sensors or events; cli/main.c
 * runs sensors here only without -H/--hosts).  Output
 * goes to stdout, errors (and the sensors summary, on a terminal) to
 * stderr.  Returns the exit status: 0 done (also when nothing matched), 1
 * the database failed, 2 usage or configuration error.
 */
int	fleet_report_main(int argc, char **argv);

#endif
