/*
 * alert_rule: the alert rules' decisions, pure (no clock, no I/O, no
 * allocation): which rules an event matches, the de-duplication key of a
 * notification, whether a deassertion (or a sensor back to nominal, a BMC
 * answering again) is the recovery of something notified, and the token
 * buckets of per-action rate limits.  The time is always the caller's,
 * in milliseconds.
 *
 * The config (cli/config_alerts.c) fills these structures; the engine
 * (scheduler/alertd.c) feeds events read from the database through them.
 */
#ifndef BMCFLEET_SCHEDULER_ALERT_RULE_H
#define BMCFLEET_SCHEDULER_ALERT_RULE_H

#include <stddef.h>
#include <stdint.h>
#include <strings.h>

/* where an event came from; a rule's sources are a set of these */
enum alert_source {
	ALERT_SRC_SEL = 1 << 0,		/* a SEL entry read by a sweep */
	ALERT_SRC_PET = 1 << 1,		/* a PET trap whose entry never came */
	ALERT_SRC_SENSOR = 1 << 2,	/* a sensor's state changed */
	ALERT_SRC_UNREACHABLE = 1 << 3,	/* N failed sweeps in a row */
	ALERT_SRC_INVENTORY = 1 << 4,	/* an inventory_change row */
};
#define ALERT_SRC_DEFAULT	(ALERT_SRC_SEL | ALERT_SRC_PET)
#define ALERT_SRC_ALL		0x1f

enum alert_severity {
	ALERT_SEV_INFO,
	ALERT_SEV_WARNING,
	ALERT_SEV_CRITICAL,
};

/* "sel" .. "inventory" for one bit; NULL for anything else */
static inline const char *
alert_source_name(unsigned src)
{
	switch (src) {
	case ALERT_SRC_SEL: return "sel";
	case ALERT_SRC_PET: return "pet";
	case ALERT_SRC_SENSOR: return "sensor";
	case ALERT_SRC_UNREACHABLE: return "unreachable";
	case ALERT_SRC_INVENTORY: return "inventory";
	}
	return NULL;
}

/* a source's bit from its name (any case), or 0 */
static inline unsigned
alert_source_parse(const char *s)
{
	for (unsigned b = 1; b <= ALERT_SRC_INVENTORY; b <<= 1)
		if (!strcasecmp(s, alert_source_name(b)))
			return b;
	return 0;
}

static inline const char *
alert_severity_name(int sev)
{
	return sev == ALERT_SEV_CRITICAL ? "critical" :
	    sev == ALERT_SEV_WARNING ? "warning" : "info";
}

/* "info", "warning", "critical" (any case; "ok" and "nominal" are info,
 * "nc" warning, "cr" and "nr" critical: the sensors' status words); -1 */
static inline int
alert_severity_parse(const char *s)
{
	if (!strcasecmp(s, "info") || !strcasecmp(s, "ok") ||
	    !strcasecmp(s, "nominal"))
		return ALERT_SEV_INFO;
	if (!strcasecmp(s, "warning") || !strcasecmp(s, "nc"))
		return ALERT_SEV_WARNING;
	if (!strcasecmp(s, "critical") || !strcasecmp(s, "cr") ||
	    !strcasecmp(s, "nr"))
		return ALERT_SEV_CRITICAL;
	return -1;
}

#define ALERT_DEDUP_DEFAULT_MS	(10 * 60 * 1000)
#define ALERT_MAX_ACTIONS	64	/* per rule */

/*
 * One rule.  Strings and arrays belong to whoever filled it (the config).
 * hosts: the BMCs its targets selected, sorted by strcmp; all_hosts when
 * it gave no targets.
 */
struct alert_rule {
	const char		*name;
	unsigned		 sources;	/* ALERT_SRC_* */
	int			 min_severity;	/* ALERT_SEV_* */
	const char		*sensor_type;	/* NULL: any; any case */
	const char		*text;		/* NULL: any; a glob when it
						   holds * ? or [, else a
						   substring; any case */
	const char *const	*hosts;
	size_t			 nhosts;
	int			 all_hosts;
	uint32_t		 sweeps;	/* unreachable: this many failed
						   sweeps in a row (>= 1) */
	const uint16_t		*actions;	/* indices of the actions */
	size_t			 nactions;
	uint64_t		 dedup_ms;	/* 0: every event notifies */
	int			 recovery;	/* notify when it clears */
};

/*
 * One event as the engine reads it.  kind says whether it raises a
 * condition (ALERT_RAISE: an assertion, a sensor leaving nominal, the
 * BMC failing, an inventory change) or clears one (ALERT_CLEAR: the
 * deassertion, back to nominal, answering again).  key names the
 * condition, so a clear finds what it clears: for SEL and PET events
 * "SENSOR_NUMBER/OFFSET", for sensors the sensor's name, for
 * unreachable "", for inventory the field.
 */
enum alert_kind { ALERT_RAISE, ALERT_CLEAR };

struct alert_event {
	unsigned	 source;	/* one ALERT_SRC_* bit */
	const char	*bmc;
	int		 severity;	/* ALERT_SEV_* (of the raise, for a
					   clear) */
	const char	*sensor_type;	/* may be NULL */
	const char	*sensor;	/* may be NULL */
	const char	*text;		/* the event's words; may be NULL */
	const char	*key;		/* see above; may be NULL ("") */
	int		 kind;		/* ALERT_RAISE, ALERT_CLEAR */
	uint32_t	 failures;	/* unreachable: failed sweeps in a row
					   (0 for ALERT_CLEAR) */
};

/*
 * Whether rule r matches event e: its source is one of the rule's, the
 * BMC one of its hosts, and for a raise the severity at least the rule's,
 * the sensor type and text as the rule says; an unreachable raise matches
 * only when failures equals the rule's sweeps exactly, so N failures in a
 * row notify once, not at every failed sweep after.  A clear matches a
 * rule with recovery on the same terms but severity and text (the clear's
 * own words are seldom the raise's).  1 or 0.
 */
int	alert_rule_match(const struct alert_rule *r, const struct alert_event *e);

/*
 * The indices of the rules of rules[0..n) that e matches, ascending, into
 * out (cap entries at most); the number that match (which may exceed
 * cap: only cap are written).
 */
size_t	alert_rules_match(const struct alert_rule *rules, size_t n,
	    const struct alert_event *e, size_t *out, size_t cap);

/*
 * The de-duplication key of what r notifies about e:
 * "RULE\x1fBMC\x1fSOURCE\x1fKEY".  A raise and its clear have the same
 * key: the clear finds the raise by it.  Written NUL-terminated into
 * buf; returns the length it needs (as snprintf), so a result >= len
 * means it was cut short.
 */
size_t	alert_dedup_key(const struct alert_rule *r, const struct alert_event *e,
	    char *buf, size_t len);

/*
 * What becomes of one matched event, given the last notification of its
 * key (last_kind, -1 when none or it is older than the window) and when
 * that one was made (last_ms):
 *   ALERT_NOTIFY    queue it
 *   ALERT_DEDUP     a raise whose key was raised within dedup_ms
 *   ALERT_NO_RAISE  a clear with nothing raised to clear (or cleared
 *                   already): nothing to say
 */
enum alert_verdict { ALERT_NOTIFY, ALERT_DEDUP, ALERT_NO_RAISE };
int	alert_decide(const struct alert_rule *r, int kind, int last_kind,
	    uint64_t last_ms, uint64_t now_ms);
const char *alert_verdict_name(int v);	/* "notify", "dedup", "no-raise" */

/*
 * A token bucket: rate_per_day tokens a day (so 1/h, 1/day are exact:
 * every rate the config reads is a whole number a day), at most burst
 * of them; full at first.  rate_per_day 0: no limit.
 */
struct alert_bucket {
	uint64_t	 rate_per_day;
	uint32_t	 burst;
	uint64_t	 milli_tokens;	/* tokens * 1000 */
	uint64_t	 last_ms;
	int		 started;
};

void	alert_bucket_init(struct alert_bucket *, uint64_t rate_per_day,
	    uint32_t burst);
/* Take a token at now_ms: 1 (go ahead), or 0 (over the limit). */
int	alert_bucket_take(struct alert_bucket *, uint64_t now_ms);

/*
 * The wait before try number tries + 1 of a notification that failed
 * tries times (tries >= 1): 1 s, doubled each time, at most 5 min.
 */
uint64_t alert_backoff_ms(uint32_t tries);

/* Whether text matches pattern as a rule's text does (see above). */
int	alert_text_match(const char *pattern, const char *text);

#endif
