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

#include "store/reportq.h"

/*
 * Run the report named by argv[0] (inventory, sensors or events; cli/main.c
 * runs sensors here only without -H/--hosts).  Output
 * goes to stdout, errors (and the sensors summary, on a terminal) to
 * stderr.  Returns the exit status: 0 done (also when nothing matched), 1
 * the database failed, 2 usage or configuration error.
 */
int	fleet_report_main(int argc, char **argv);

/*
 * The report of kind (REPORTQ_INVENTORY, _CHANGES, _SENSORS, _EVENTS)
 * from its query's rows res, as `bmcfleet REPORT --format json` prints
 * it, appended to out; for sensors, sdr_rows are the REPORTQ_SDRS rows of
 * the same filter (NULL: discrete states stay unnamed).  The rows are
 * only read.  0, or -1 with errno (ENOMEM; EINVAL for another kind).
 * bmcfleetd's /api/v1/ (cli/serve_api.c) answers with it: one renderer.
 */
struct gbuf;
struct reportq_rows;
int	report_json(enum reportq_kind kind, const struct reportq_rows *res,
	    const struct reportq_rows *sdr_rows, struct gbuf *out);

#endif
