/*
 * cmd_alerts: `bmcfleet alerts history` (every notification the alert
 * engine made, from the database), and the engine's start and stop for
 * bmcfleetd: the config's alerts: section turned into notify targets and
 * scheduler/alertd's configuration.
 */
#ifndef BMCFLEET_CLI_CMD_ALERTS_H
#define BMCFLEET_CLI_CMD_ALERTS_H

struct config;
struct loop;
struct alerts_engine;

/* argv[0] is "alerts".  0, 1 (database error), 2 (usage, config). */
int	fleet_alerts_main(int argc, char **argv);

/*
 * The engine for c's alerts: on loop l, over the database db; NULL when
 * the config has no rules (nothing to do) or on an error (told on
 * stderr, and bmcfleetd goes on sweeping without alerts).  c must
 * outlive it: stop it before a reload releases the config.
 */
struct alerts_engine *alerts_engine_start(struct loop *l,
	    const struct config *c, const char *db);
void	alerts_engine_stop(struct alerts_engine *);

#endif
