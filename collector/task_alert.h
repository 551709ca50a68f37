/*
 * task_alert: the BMC tasks "alert status" (read what a BMC's PEF and LAN
 * alerting hold) and "alert setup" (make it send PET traps to us), for
 * `bmcfleet alert status|setup`.  Sans-I/O, like task_sel: the caller
 * drives it with the answers.
 *
 *   struct task_alert *t = malloc(sizeof(*t));   (~6 KiB)
 *   task_alert_init(t, TASK_ALERT_STATUS, NULL);
 *   or task_alert_init(t, TASK_ALERT_SETUP, &want);
 *   first:  st = task_alert_step(t, NULL, req);
 *   then:   st = task_alert_step(t, rsp, req);
 *   until st != DRV_STEP_SEND.
 *
 * The read (both jobs): Get PEF Capabilities (a refusal: no PEF, and
 * nothing more is asked), Get Channel Info over channels 1..11 (the 802.3
 * LAN ones; the first is the one we use), PEF
 * parameters 1, 2, 5, 8, every event filter (6) and alert policy entry
 * (9), then on the LAN channel: community (16), number of destinations
 * (17), each destination's type (18), address (19) and, where the BMC has
 * it, bmcsim's OEM port (0xC0).  The result is t->st.
 *
 * SETUP then plans (task_alert_plan, pure, also for tests and the dry
 * run): the destination selector (ours if one points at our address,
 * else the first unused, else "no free alert destination (N in use)"),
 * the alert policy entry (ours: enabled, our channel and destination;
 * else a free one with a policy number nobody uses), one event filter per
 * severity at or above the minimum (ours reused, else a free software
 * filter), community, PEF control "enable" and global action "alert".
 * Unless dry_run, it writes what differs (inside set-in-progress where
 * the BMC has it), reads everything back and plans again: anything still
 * to change fails the host ("read back: ... did not take").
 *
 * DRV_STEP_DONE: t->st and t->items[0..nitems) (changed or not; old and
 * new in words).  DRV_STEP_FAIL: t->err and t->why, in words: "no PEF
 * (get PEF capabilities: Invalid command (0xc1))", "no LAN channel
 * (channels 1-11)", "no free alert destination (4 in use)", "this BMC
 * sends alerts to UDP port 162 only", "set LAN parameter 19: ...".
 * The task never fails the host itself: the caller passes t->why on.
 */
#ifndef BMCFLEET_COLLECTOR_TASK_ALERT_H
#define BMCFLEET_COLLECTOR_TASK_ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "collector/driver.h"
#include "ipmi/pef.h"
#include "ipmi/walk.h"

enum task_alert_job {
	TASK_ALERT_STATUS,
	TASK_ALERT_SETUP,
};

#define ALERT_PORT_DEFAULT	162
#define ALERT_TIMEOUT_S		3	/* acknowledge timeout we set */
#define ALERT_RETRIES		3
#define ALERT_COMMUNITY_DEFAULT	"public"	/* a BMC with none */

struct task_alert_want {
	uint8_t		ip[4];
	uint16_t	port;		/* 0 or 162: the standard port */
	char		community[LAN_COMMUNITY_LEN + 1];	/* "": keep the
							   BMC's (public if
							   it has none) */
	uint8_t		min_severity;	/* PEF_SEV_INFO/WARNING/CRITICAL */
	int		dry_run;
};

#define ALERT_MAX_CHAN		IPMI_MAX_CHANNEL
#define ALERT_MAX_FILTERS	127
#define ALERT_MAX_POLICIES	127
#define ALERT_MAX_DEST		16

/* What a BMC holds; have_* says a part was read. */
struct alert_state {
	uint8_t			lan[ALERT_MAX_CHAN];	/* LAN channels */
	unsigned		nlan;
	uint8_t			channel;		/* lan[0] */
	struct pef_caps_rsp	caps;
	uint8_t			control;		/* param 1 */
	uint8_t			actions;		/* param 2 */
	unsigned		nfilters;		/* param 5 */
	unsigned		npolicies;		/* param 8 */
	struct pef_filter	filters[ALERT_MAX_FILTERS];
	struct pef_policy	policies[ALERT_MAX_POLICIES];
	char			community[LAN_COMMUNITY_LEN + 1];
	unsigned		ndest;			/* param 17 */
	/* [1..ndest]; 0 is the volatile destination, not read */
	struct lan_dest_type	dtype[ALERT_MAX_DEST];
	struct lan_dest_addr	daddr[ALERT_MAX_DEST];
	uint16_t		dport[ALERT_MAX_DEST];	/* 162 unless OEM */
	int			have_port;	/* the BMC has param 0xC0 */
};

/* One thing setup looks after, as the operator reads it. */
struct alert_item {
	char		what[40];	/* "destination 1 address" */
	char		old[64];	/* "0.0.0.0" */
	char		new[64];	/* "127.0.0.1:16162" */
	int		changed;
	int		lan;		/* a LAN parameter, else PEF */
	struct ipmi_req	req;		/* the Set that makes it so */
};
#define ALERT_MAX_ITEMS	16

/* The plan's choices, for the report. */
struct alert_plan {
	uint8_t		channel;
	uint8_t		dest;		/* destination selector */
	uint8_t		policy_entry;	/* alert policy table entry */
	uint8_t		policy;		/* policy number */
};

enum alert_phase {
	ALERT_PH_CAPS,
	ALERT_PH_CHAN,
	ALERT_PH_CONTROL,
	ALERT_PH_ACTIONS,
	ALERT_PH_NFILTERS,
	ALERT_PH_NPOLICIES,
	ALERT_PH_FILTER,
	ALERT_PH_POLICY,
	ALERT_PH_COMMUNITY,
	ALERT_PH_NDEST,
	ALERT_PH_DTYPE,
	ALERT_PH_DADDR,
	ALERT_PH_DPORT,
	ALERT_PH_WRITE,
	ALERT_PH_DONE,
};

struct task_alert {
	enum task_alert_job	 job;
	struct task_alert_want	 want;
	enum alert_phase	 ph;
	unsigned		 idx;		/* channel, filter, dest, write */
	int			 verifying;	/* reading back after writes */
	struct alert_state	 st;
	struct alert_plan	 plan;
	struct alert_item	 items[ALERT_MAX_ITEMS];
	size_t			 nitems;
	unsigned		 nchanged;
	/* the write sequence: set-in-progress marks around the items */
	struct ipmi_req		 wr[ALERT_MAX_ITEMS + 4];
	int			 wr_kind[ALERT_MAX_ITEMS + 4];
	size_t			 nwr;
	int			 sip_lan;	/* -1 unknown, 0 no, 1 in use */
	int			 sip_pef;
	int			 wr_err;	/* a write failed: finish, fail */
	int			 err;		/* enum ipmi_err */
	char			 why[160];
};

void	task_alert_init(struct task_alert *, enum task_alert_job,
	    const struct task_alert_want *);
enum drv_step task_alert_step(struct task_alert *,
	    const struct ipmi_response *rsp, struct drv_request *req);

/*
 * The plan for st and want: fills plan and items (changed or not) and
 * returns the number of changes, or -1 with why filled (no free
 * destination, policy entry or filter; no port but 162).  Pure.
 */
int	task_alert_plan(const struct alert_state *,
	    const struct task_alert_want *, struct alert_plan *,
	    struct alert_item *items, size_t *nitems, char *why, size_t whylen);

/* "a.b.c.d" or "a.b.c.d:port" into want; -1 when it is not one. */
int	task_alert_parse_dest(const char *, struct task_alert_want *);

#endif
