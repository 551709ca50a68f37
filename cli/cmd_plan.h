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

/*
 * For bmcfleetd's /api/v1/ (cli/serve_api.c), appended to out; 0, or -1
 * out of memory.  audit_json: the audit rows (planstore_listing's
 * PLANSTORE_AUDIT) as `bmcfleet audit --format json` prints them.
 * plan_table_json: any listing, one object a row, its columns' names as
 * keys and its cells as strings (null: SQL NULL); `plan list` and `plan
 * status` print only tables.
 */
struct gbuf;
struct plan_table;
int	audit_json(const struct plan_table *t, struct gbuf *out);
int	plan_table_json(const struct plan_table *t, struct gbuf *out);

#endif
