/*
 * status: `bmcfleet status`, the fleet at a glance from the database
 * (cli/cmd_status.c).  argv[0] is "status".  Returns the exit status: 0
 * the database was read, 1 it was not (or, with --check, some host's
 * last sweep failed or is stale), 2 usage or configuration error.
 */
#ifndef BMCFLEET_CLI_CMD_STATUS_H
#define BMCFLEET_CLI_CMD_STATUS_H

int	fleet_status_main(int argc, char **argv);

/*
 * The STATUSQ_HOSTS rows as `bmcfleet status --format json` prints its
 * per_host array (stale past two sweep intervals), appended to out: 0,
 * or -1 out of memory.  bmcfleetd's /api/v1/hosts answers with it.
 */
#include <stdint.h>
struct gbuf;
struct reportq_rows;
int	status_hosts_json(const struct reportq_rows *hosts,
	    uint64_t interval_ms, struct gbuf *out);

#endif
