/*
 * plan: `bmcfleet power TARGETS` (fleet mode, without -H), `plan ...` and
 * `audit` (see cmd_plan.c), run from cli/main.c's command table.
 * fleet_plan_main takes argv with argv[0] the verb and returns the exit
 * status (0 done, 1 failed, 2 usage or configuration error).
 */
#ifndef BMCFLEET_CLI_CMD_PLAN_H
#define BMCFLEET_CLI_CMD_PLAN_H

int	fleet_plan_main(int argc, char **argv);

/*
 * For bmcfleetd: run the plans whose --at time has come (state
 * 'scheduled'), one after the other.  Returns how many were run, -1 when
 * the config or the database could not be opened, -2 when SIGTERM or
 * SIGINT came while a plan ran (it is paused, resumable; the caller should
 * stop too: the signal was taken).
 */
int	fleet_plan_run_due(const char *cfg_path, const char *db);

#endif
