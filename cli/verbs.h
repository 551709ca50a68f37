/*
 * verbs: the direct-mode verbs that need several commands per host, each
 * in its own file (cli/verb_<name>.c) behind struct verb_ops (cli/run.h).
 */
#ifndef BMCFLEET_CLI_VERBS_H
#define BMCFLEET_CLI_VERBS_H

#include "cli/run.h"

#endif
