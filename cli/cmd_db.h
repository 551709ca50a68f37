/*
 * cmd_db: `bmcfleet db migrate|version`, the database commands of fleet
 * mode.
 */
#ifndef BMCFLEET_CLI_CMD_DB_H
#define BMCFLEET_CLI_CMD_DB_H

/*
 * argv[0] is "db", argv[1] the subcommand.  Returns the exit status: 0
 * done, 1 failed (a message on stderr), 2 usage error.
 */
int	fleet_db_main(int argc, char **argv);

#endif
