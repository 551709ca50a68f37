/*
 * collect: `bmcfleet collect [TARGETS]`, one sweep of the configured
 * fleet into PostgreSQL (see collect.c for the flow).  argv[0] is
 * "collect".  Returns the exit status: 0 all swept and committed, 1 some
 * host failed or rows wait in the spool, 2 usage or configuration error.
 */
#ifndef BMCFLEET_CLI_COLLECT_H
#define BMCFLEET_CLI_COLLECT_H

int	fleet_collect_main(int argc, char **argv);
/* bmcfleetd: periodic sweeps until SIGTERM; 0, 1 error, 2 usage. */
int	fleet_daemon_main(int argc, char **argv);

#endif
