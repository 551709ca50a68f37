/*
 * direct: bmcfleet's direct mode.  The host list is expanded, sessions run
 * concurrently through the collector's driver, and one line per host is
 * printed in host order.  No database, no configuration file.
 */
#ifndef BMCFLEET_CLI_DIRECT_H
#define BMCFLEET_CLI_DIRECT_H

#include "cli/opts.h"
#include "collector/driver.h"

struct run;

/*
 * Run the verb in o->argv on every host of o->hosts.  Returns the process
 * exit status: 0 all hosts succeeded, 1 some failed, 2 usage error.
 */
int	direct_run(struct opts *);

/*
 * The i-th first word of direct mode's verbs ("power", "mc", "sensors"),
 * each once, NULL past the last: for "did you mean".
 */
const char *direct_verb_word(size_t i);

/*
 * 0 when argv (the verb and its arguments) names a verb or its first word
 * is no verb's; -1 with "unknown power action 'stauts' (did you mean
 * 'status'?)" or "power: expected one of status, on, ..." in err when the
 * first word is a verb's and the second none of its.
 */
int	direct_verb_check(int argc, char **argv, char *err, size_t len);

struct host;
struct task_sdr;
/*
 * A verb's SDR load (collector/task_sdr.h) for host h: the task's step,
 * and the BMC's Get Device ID answer kept on h as soon as it is in.
 */
enum drv_step direct_sdr_step(struct task_sdr *, struct host *h,
	    const struct ipmi_response *, struct drv_request *);

/*
 * The SDR cache directory the options name (collector/sdrcache.h), or NULL:
 * --no-sdr-cache, none can be named, or an existing one that is not ours
 * (said on stderr).  buf holds it, and must outlive the run: the run
 * prunes that cache once, at its end (sdrcache_prune).
 */
const char *direct_sdr_cache_dir(struct run *, char *buf, size_t len);

#endif
