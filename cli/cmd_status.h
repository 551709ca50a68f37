/*
 * status: `bmcfleet status`, the fleet at a glance from the database
 * (cli/cmd_status.c).  argv[0] is "status".  Returns the exit status: 0
 * the database was read, 1 it was not (or, with --check, some host's
 * last sweep failed or is stale), 2 usage or configuration error.
 */
#ifndef BMCFLEET_CLI_CMD_STATUS_H
#define BMCFLEET_CLI_CMD_STATUS_H

int	fleet_status_main(int argc, char **argv);

#endif
