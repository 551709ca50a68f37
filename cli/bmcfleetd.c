/* bmcfleetd: the collector daemon (cli/collect.c has it all). */
#include "cli/collect.h"

int
main(int argc, char **argv)
{
	return fleet_daemon_main(argc, argv);
}
