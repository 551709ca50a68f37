/*
 * verbs: the direct-mode verbs that need several commands per host, each
 * in its own file (cli/verb_<name>.c) behind struct verb_ops (cli/run.h).
 */
#ifndef BMCFLEET_CLI_VERBS_H
#define BMCFLEET_CLI_VERBS_H

#include "cli/run.h"
#include "ipmi/walk.h"

extern const struct verb_ops fru_ops;		/* fru */
extern const struct verb_ops dcmi_power_ops;	/* dcmi power */
extern const struct verb_ops bootdev_ops;	/* bootdev DEV */
extern const struct verb_ops sensors_ops;	/* sensors */
extern const struct verb_ops sel_list_ops;	/* sel list */
extern const struct verb_ops sel_info_ops;	/* sel info */
extern const struct verb_ops sel_clear_ops;	/* sel clear */

/* verb_fru.c, for verbs that read FRU devices after other work */
#define VERB_FRU_MAX_DEVS	16
int	verb_fru_prepare(struct host *);	/* host->data; device 0 */
void	verb_fru_add_device(struct host *, uint8_t id, const char *name);
enum drv_step verb_fru_step(struct host *, const struct ipmi_response *,
	    struct drv_request *);
void	verb_fru_json_devs(const struct host *);
void	verb_fru_release(struct host *);

#endif
