/*
 * direct: bmcfleet's direct mode.  The host list is expanded, sessions run
 * concurrently through the collector's driver, and one line per host is
 * printed in host order.  No database, no configuration file.
 */
#ifndef BMCFLEET_CLI_DIRECT_H
#define BMCFLEET_CLI_DIRECT_H

#include "cli/opts.h"

/*
 * Run the verb in o->argv on every host of o->hosts.  Returns the process
 * exit status: 0 all hosts succeeded, 1 some failed, 2 usage error.
 */
int	direct_run(struct opts *);

#endif
