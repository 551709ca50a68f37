/*
 * alertd: bmcfleetd's alert engine, on the loop, never blocking it.
 *
 * Reads new rows of its sources from the database by cursor (SEL events,
 * PET-only events, sensor state changes, inventory changes, collection
 * results for "unreachable for N sweeps"), woken by NOTIFY on
 * bmcfleet_event and bmcfleet_alert and by a slow poll besides; matches
 * them against the rules (scheduler/alert_rule.h); writes one
 * alert_notification row per rule and action, queued or suppressed
 * (dedup, rate), in the same transaction that moves the cursors; then
 * sends the queued rows through scheduler/notify, oldest first and one
 * at a time per action, marking each sent or scheduling its next try
 * (1 s doubling to 5 min; failed for good past give_up).  A crash loses
 * nothing: rows wait in the database; a row sent but not yet marked is
 * sent again (at least once).
 *
 * Only one engine per database sends: the others stand by (an advisory
 * lock, tried every 5 s).
 */
#ifndef BMCFLEET_SCHEDULER_ALERTD_H
#define BMCFLEET_SCHEDULER_ALERTD_H

#include <stddef.h>
#include <stdint.h>

#include "scheduler/alert_rule.h"

struct loop;
struct alertd;
struct notify_target;
struct gbuf;

struct alertd_action {
	const char		*name;
	const char		*recipient;	/* for the history: URL host,
						   addresses, socket */
	struct notify_target	*target;	/* the caller's; outlives the
						   engine */
	int			 webhook;	/* send the JSON body */
	uint64_t		 rate_per_day;	/* 0: no limit */
	uint32_t		 burst;
};

typedef void	alertd_log_fn(void *arg, const char *line);

/* Everything here is the caller's and must outlive the engine. */
struct alertd_conf {
	const struct alert_rule		*rules;
	size_t				 nrules;
	const struct alertd_action	*actions;	/* rules' indices */
	size_t				 nactions;
	uint64_t			 give_up_ms;
	uint64_t			 poll_ms;
	alertd_log_fn			*log;		/* may be NULL */
	void				*log_arg;
};

struct alertd_stats {
	uint64_t	 events;	/* source rows read */
	uint64_t	 queued;
	uint64_t	 suppressed;
	uint64_t	 sent;
	uint64_t	 retried;	/* attempts that failed */
};

/* An engine on l for the database conninfo; it connects at once.  NULL
 * when out of memory. */
struct alertd *alertd_new(struct loop *l, const char *conninfo,
	    const struct alertd_conf *conf);
/* Sends in flight are cancelled (their rows stay queued). NULL: no-op. */
void	alertd_free(struct alertd *);
struct alertd_stats alertd_get_stats(const struct alertd *);

/*
 * The notification's texts for event e matched by rule r (pure): the
 * subject line, a text body (lines) and the JSON body a webhook gets,
 * into the caller's buffers (NUL-terminated, cut short when small).
 */
void	alertd_render(const struct alert_rule *r, const struct alert_event *e,
	    int64_t event_id, uint64_t event_ms, char *subject, size_t slen,
	    struct gbuf *text, struct gbuf *json);

#endif
