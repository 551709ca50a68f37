/*
 * cmd_complete: `bmcfleet __complete-targets [-c FILE]`, a hidden command
 * for deploy/bash-completion/bmcfleet: the words a TARGETS list can hold,
 * read from the config by the config's own loader (so the completion
 * needs no YAML parser of its own).
 */
#ifndef BMCFLEET_CLI_CMD_COMPLETE_H
#define BMCFLEET_CLI_CMD_COMPLETE_H

#define COMPLETE_TARGETS_CMD	"__complete-targets"

/*
 * argv[0] is COMPLETE_TARGETS_CMD.  Prints @all, each @GROUP, each
 * distinct LABEL=VALUE and each BMC name, a line each, on stdout.  The
 * config is -c FILE, else $BMCFLEET_CONFIG, else the default; one that
 * does not load prints nothing (a completion has no one to tell).
 * Returns 0, or 2 on a usage error.
 */
int	fleet_complete_targets_main(int argc, char **argv);

#endif
