/*
 * cmd_alert: `bmcfleet alert setup TARGETS --destination ADDR[:PORT]
 * [--community NAME] [--severity info|warning|critical] [--dry-run]
 * [--yes]` and `bmcfleet alert status [TARGETS] [--format table|json]`:
 * configure the configured BMCs' PEF and LAN alerting to send PET traps
 * to one destination, and show what they hold (collector/task_alert does
 * the IPMI).  Setup asks above scheduler.confirm_limit hosts as power
 * does, and leaves one audit_log row per host (operation 'alert-setup')
 * and a syslog line.
 *
 * Exit status: 0 every host ok, 1 some host failed (or the question was
 * answered no), 2 usage or configuration error (or above the confirm
 * limit without --yes and without a terminal).
 */
#ifndef BMCFLEET_CLI_CMD_ALERT_H
#define BMCFLEET_CLI_CMD_ALERT_H

/* argv[0] is "alert". */
int	fleet_alert_main(int argc, char **argv);

#endif
