/*
 * config: the fleet configuration file, bmcfleet.yaml, parsed and resolved
 * into a flat list of BMCs.  Pure: no network, no database; the file is the
 * only thing read at load time (password files are read on demand by
 * config_password).  deploy/bmcfleet.example.yaml shows every key.
 *
 *   database: "host=... dbname=bmcfleet"   # BMCFLEET_DB overrides it
 *   credentials: {NAME: {user, password_file | password_env | password}}
 *   defaults: {SETTING: value, ..., labels: {k: v}}
 *   groups:  {NAME: {hosts, labels, settings: {...}, SETTING: value}}
 *   bmcs:    [{name, address} | {hosts} | "hostlist", + groups, labels,
 *             settings: {...}, SETTING: value]
 *   collector: {concurrency, sweep_interval, ...}
 *   power:   {default_watts, inrush, models: {"MFR:PRODUCT": watts}}
 *   scheduler: {confirm_limit, poll_interval,
 *             webhook: {url, token_file | token_env}}
 *   alerts:  {actions: {NAME: {kind, ...}}, rules: [{name, match,
 *             actions, dedup, recovery}], give_up, poll}
 *
 * SETTINGs: credential, interface, cipher_suite, privilege, timeout,
 * retries, insecure, workarounds, port.  A BMC's settings are the
 * defaults, then each of its groups in the order the groups are written
 * in the file, then its own bmcs entry (a workarounds list replaces the
 * one below it).  Labels merge the same way.  A host listed in a group's
 * hosts is a BMC of that group; a bmcs entry may name it again to give
 * its address or overrides (naming it in two bmcs entries is an error).
 * Relative paths (password_file, spool_dir, token_file) are taken from the
 * directory of the configuration file.
 *
 * Errors are one line, "FILE:LINE:COL: what, and what was expected";
 * no error ever quotes a password or the database conninfo.
 */
#ifndef BMCFLEET_CLI_CONFIG_H
#define BMCFLEET_CLI_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "scheduler/alert_rule.h"

#define CONFIG_NO_CREDENTIAL	UINT16_MAX
#define CONFIG_MAX_BMCS		1000000


/* Every per-BMC setting, resolved: 20 bytes. */
struct config_settings {
	uint32_t	 timeout_ms;	/* per attempt */
	uint32_t	 workarounds;	/* WA_* (cli/workaround.h) */
	uint16_t	 port;
	uint16_t	 credential;	/* index into config.creds; never
					   CONFIG_NO_CREDENTIAL on a BMC */
	uint8_t		 retries;
	int8_t		 cipher_suite;	/* IPMI_SUITE_AUTO (-1) or 0..19 */
	uint8_t		 iface;		/* IPMI_IFACE_LAN, _LANPLUS */
	uint8_t		 priv;		/* IPMI_PRIV_USER, _OPERATOR, _ADMIN */
	uint8_t		 insecure;	/* suite 0, auth none, null users */
};

struct config_label {
	const char	*key;
	const char	*value;
};

/*
 * One BMC, 64 bytes.  Every string and array is owned by the config and
 * shared (interned): BMCs from one host range share their labels and
 * groups arrays, and equal strings are stored once.
 */
struct config_bmc {
	const char			*name;
	const char			*address;	/* name if not given */
	const struct config_label	*labels;	/* sorted by key */
	const uint16_t			*groups;	/* config.groups
							   indices, ascending
							   (file order) */
	uint32_t			 line;		/* where it was */
	uint16_t			 col;		/* defined */
	uint16_t			 nlabels;
	uint16_t			 ngroups;
	struct config_settings		 s;
};

struct config_credential {
	const char	*name;
	const char	*user;
	const char	*password_file;	/* or NULL; the path only */
	const char	*password_env;	/* or NULL; the variable's name */
	char		*password;	/* inline, or NULL; wiped on release */
};

struct config_group {
	const char			*name;
	const struct config_label	*labels;
	uint16_t			 nlabels;
	uint32_t			 nmembers;
};

struct config_collector {
	uint32_t	 concurrency;		/* default 256 */
	uint64_t	 sweep_interval_ms;	/* 5m */
	uint64_t	 sel_interval_ms;	/* 1m */
	uint64_t	 fru_interval_ms;	/* 24h */
	uint64_t	 sdr_interval_ms;	/* 24h */
	uint64_t	 suite_recheck_ms;	/* 24h: a cipher suite learned
						   is negotiated afresh */
	uint32_t	 min_gap_ms;		/* 0 */
	const char	*spool_dir;		/* /var/lib/bmcfleet/spool */
	uint64_t	 spool_max;		/* bytes, 1GiB */
	uint32_t	 retention_days;	/* 30 */
	uint64_t	 lease_ms;		/* 10m */
	uint32_t	 host_deadline_ms;	/* 2m: a host's sweep */
	uint32_t	 db_timeout_ms;		/* 30s: a database operation
						   without an answer */
	uint32_t	 host_max_requests;	/* 100000 per host per sweep */
	/* traps: bmcfleetd's PET listener (collector/traprx.h) */
	const char	*trap_listen;		/* ADDR[:PORT]; NULL: every
						   address, port 162 */
	int		 traps_off;		/* listen: off */
	int		 trap_guid_check;	/* 1: a known GUID must match */
};

/*
 * power: what a host draws, for plan budgets (scheduler/plan.h).  A
 * model is keyed as bmc_profile stores it: the IANA manufacturer ID and
 * the product ID, both decimal, "674:256" in the file.
 */
struct config_power_model {
	uint32_t	 manufacturer;	/* 0..0xFFFFF */
	uint32_t	 watts;		/* 1..100000 */
	uint16_t	 product;
};

struct config_power {
	uint32_t			 default_watts;	/* 500 */
	uint32_t			 inrush_pct;	/* 30 */
	const struct config_power_model	*models;	/* by manufacturer,
							   then product */
	size_t				 nmodels;
};

/* Plan notifications (scheduler/webhook.h); the token is read on demand
 * by config_webhook_token, never at load time. */
struct config_webhook {
	const char	*url;		/* NULL: no webhook */
	const char	*token_file;	/* or NULL; the path only */
	const char	*token_env;	/* or NULL; the variable's name */
	int		 insecure;	/* a token may go to an http:// URL */
};

struct config_scheduler {
	uint32_t		 confirm_limit;	/* 50: a plan or command
						   touching more hosts asks
						   on a terminal or needs
						   --yes; 0 always asks */
	uint32_t		 poll_interval_ms; /* verification, 2s */
	struct config_webhook	 webhook;
};

/*
 * alerts: (cli/config_alerts.c): named actions and the rules that use
 * them.  A webhook's token, an email password are read on demand, never
 * at load time.
 */
enum config_action_kind {
	CONFIG_ACTION_WEBHOOK,
	CONFIG_ACTION_SYSLOG,
	CONFIG_ACTION_EMAIL,
};

struct config_alert_action {
	const char	*name;
	int		 kind;		/* CONFIG_ACTION_* */
	const char	*url;		/* webhook: http(s)://; email:
					   smtp://HOST[:PORT] or smtps:// */
	const char	*token_file;	/* webhook bearer token, or NULL */
	const char	*token_env;
	int		 insecure;	/* a token over http, tls_verify off */
	int		 tls_off;	/* tls_verify: false (needs insecure) */
	const char	*ca_file;	/* PEM CAs instead of the system's */
	int		 starttls_require; /* email: starttls: require */
	uint64_t	 timeout_ms;	/* one attempt; 0: notify's default */
	const char	*socket;	/* syslog: /dev/log */
	const char	*facility;	/* syslog: "daemon" */
	const char	*ident;		/* syslog APP-NAME: "bmcfleetd" */
	const char	*from;		/* email */
	const char *const *to;		/* email: one or more addresses */
	size_t		 nto;
	const char	*user;		/* email: SMTP AUTH user, or NULL */
	const char	*password_file;	/* email: its password */
	uint64_t	 rate_per_day;	/* 0: no limit */
	uint32_t	 burst;
};

struct config_alerts {
	const struct config_alert_action *actions;	/* file order */
	size_t				 nactions;
	const struct alert_rule		*rules;		/* file order; hosts
							   resolved from
							   targets */
	const char *const		*targets;	/* per rule: as
							   written, or NULL */
	size_t				 nrules;
	uint64_t			 give_up_ms;	/* 24h: a notification
							   failing this long is
							   failed for good */
	uint64_t			 poll_ms;	/* 10s: the engine
							   looks without a
							   NOTIFY too */
};

/* http: bmcfleetd's HTTP listener (collector/httpd.h, cli/serve.c); the
 * token is read by config_http_token at start and on SIGHUP, never at
 * load time. */
struct config_http {
	const char	*listen;	/* ADDR:PORT; NULL: no listener */
	const char	*tls_cert;	/* PEM paths: both or neither */
	const char	*tls_key;
	const char	*token_file;	/* NULL: no token asked */
};

struct config_priv;

struct config {
	char				*path;	/* as given to load */
	char				*database; /* NULL: neither the file
						      nor BMCFLEET_DB has
						      one */
	int				 database_from_env;
	struct config_credential	*creds;
	size_t				 ncreds;
	struct config_group		*groups;	/* file order */
	size_t				 ngroups;
	struct config_settings		 defaults;
	struct config_collector		 collector;
	struct config_power		 power;
	struct config_scheduler		 scheduler;
	struct config_alerts		 alerts;
	struct config_http		 http;
	struct config_bmc		*bmcs;	/* hostlist_cmp order */
	size_t				 nbmcs;
	struct config_priv		*priv;
};

/*
 * Read and resolve the file at path into c (whose previous contents are
 * ignored: zero it or release it first).  Returns 0, or -1 with a message
 * in err, "PATH:LINE:COL: ..." when the problem is in the file; on failure
 * c is released (config_release on it again is harmless).  Every error of
 * the file is told, a line each in the file's order (the first 20, then
 * "PATH: and N more"), as far as err holds them: CONFIG_ERR_MAX bytes
 * hold all.  The walk goes on past an unknown or repeated key and a bad
 * value, and past a section that failed, unless a later one names what
 * it defines (credentials, groups); a YAML syntax error stops it.
 */
#define CONFIG_ERR_MAX	8192
int	config_load(struct config *c, const char *path, char *err,
	    size_t errlen);
/* Free everything, wipe inline passwords and the conninfo, zero c;
 * harmless on a zeroed or released config. */
void	config_release(struct config *c);

/* The resolved BMCs (same as c->bmcs and c->nbmcs). */
const struct config_bmc *config_bmcs(const struct config *c, size_t *n);
/* Index of the BMC named name, or -1. */
long	config_bmc_find(const struct config *c, const char *name);
/* Index of the group or credential named name, or -1. */
long	config_group_find(const struct config *c, const char *name);
long	config_credential_find(const struct config *c, const char *name);
/* A label's value on b, or NULL. */
const char *config_bmc_label(const struct config_bmc *b, const char *key);
/* The credential b uses. */
const struct config_credential *config_bmc_credential(const struct config *c,
	    const struct config_bmc *b);
/* "no-name-lookup, ignore-seq-reset, ..." (static storage). */

/*
 * The password of the credential named credential, into out (NUL
 * terminated; cap includes the NUL).  A password_file is read now: its
 * first line, without the newline; the file must not be readable or
 * writable by group or others.  Returns the password's length, or -1 with
 * a message in err that names the credential and the file or variable,
 * never the password.
 */
int	config_password(const struct config *c, const char *credential,
	    char *out, size_t cap, char *err, size_t errlen);

/*
 * The figure power.models gives for this model, in watts; 0 when the
 * model is not listed (plan_estimate_watts then takes the default).
 */
uint32_t config_model_watts(const struct config *c, uint32_t manufacturer,
	    uint16_t product);

/*
 * http.token_file's first line into out (NUL terminated; cap includes
 * the NUL): its length, 0 when no token_file is set, or -1 with err (the
 * file missing, not 0600, or too long).
 */
int	config_http_token(const struct config *c, char *out, size_t cap,
	    char *err, size_t errlen);

/*
 * The webhook's bearer token into out (NUL terminated; cap includes the
 * NUL): the first line of scheduler.webhook.token_file, read now and
 * refused unless the file is mode 0600 or 0400, or the variable named by
 * token_env.  Returns its length (0 and "" when no token is configured),
 * or -1 with a message in err that names the file or variable, never the
 * token.
 */
int	config_webhook_token(const struct config *c, char *out, size_t cap,
	    char *err, size_t errlen);

/*
 * Select BMCs by TARGETS: comma-separated items, a union; each item one
 * or more parts joined by '+', an intersection; each part one of
 *	@all		every BMC
 *	@group		the members of a group
 *	key=value	BMCs with that label (value may be a host range,
 *			rack=r[12-14])
 *	node[1-10]	BMCs by name (a host list; every name must exist)
 *	node*		BMCs by name, fnmatch(3) pattern
 * and any part may be prefixed with '!'.  '!' binds tightest, then '+',
 * then ',': "@a+rack=r1,@b" is (@a and rack=r1) or @b.  Inside an
 * intersection a !part takes its BMCs out of that item only
 * ("@a+!node3"); an item that is a !part alone is an exclusion of the
 * whole TARGETS, applied after the union of the other items wherever it is
 * written ("@a,@b,!node3").  Commas inside brackets belong to the host
 * list.  Every part must match some BMC, and so must every item.
 * Returns 0 with *idx (malloc'd, caller frees) holding *n >= 1 indices
 * into c->bmcs in ascending order, or -1 with a message in err naming the
 * item or part: an unknown group or label (with "did you mean"), a part
 * or an item that matches no BMC, only exclusions, or nothing left.
 */
int	config_select(const struct config *c, const char *targets,
	    size_t **idx, size_t *n, char *err, size_t errlen);

/*
 * A duration as the config writes it: "500ms", "2s", "5m", "1h", "1d",
 * "1h30m", "1.5s"; a bare number is seconds.  In milliseconds, rounded;
 * -1 on anything else or past max.
 */
int	config_parse_duration(const char *s, uint64_t max, uint64_t *ms);

#endif
