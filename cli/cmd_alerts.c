/*
 * cmd_alerts: `bmcfleet alerts history`, and the alert engine's start for
 * bmcfleetd (the config's actions into notify targets).  See cmd_alerts.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd_alerts.h"
#include "cli/config.h"
#include "cli/opts.h"
#include "cli/table.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/when.h"
#include "scheduler/alertd.h"
#include "scheduler/notify.h"
#include "store/alertstore.h"
#include "store/db.h"

#define DEFAULT_CONFIG	"/etc/bmcfleet/bmcfleet.yaml"

/* --- the engine ------------------------------------------------------------ */

struct alerts_engine {
	struct notify		*notify;
	struct notify_target	**targets;
	struct alertd_action	*actions;
	char			**recipients;
	size_t			 n;
	struct alertd		*d;
};

static void
engine_log(void *arg, const char *line)
{
	(void)arg;
	log_msg(LOG_NOTICE, NULL, "%s", line);
}

/* who an action reaches, for the history: never a secret */
static char *
recipient(const struct config_alert_action *a)
{
	char buf[512];
	const char *u, *h, *end;
	size_t n = 0;

	switch (a->kind) {
	case CONFIG_ACTION_WEBHOOK:
	case CONFIG_ACTION_EMAIL:
		if (a->kind == CONFIG_ACTION_EMAIL && a->nto > 0) {
			buf[0] = '\0';
			for (size_t i = 0; i < a->nto && n < sizeof(buf); i++)
				n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				    "%s%s", i ? "," : "", a->to[i]);
			return strdup(buf);
		}
		/* scheme://host[:port], without user info, path or query */
		u = a->url;
		h = strstr(u, "://");
		h = h ? h + 3 : u;
		end = h + strcspn(h, "/?#");
		if (memchr(h, '@', (size_t)(end - h)) != NULL)
			h = (const char *)memchr(h, '@', (size_t)(end - h)) + 1;
		snprintf(buf, sizeof(buf), "%.*s%.*s",
		    (int)(strstr(u, "://") ? strstr(u, "://") - u + 3 : 0), u,
		    (int)(end - h), h);
		return strdup(buf);
	default:
		snprintf(buf, sizeof(buf), "syslog:%s", a->socket);
		return strdup(buf);
	}
}

static int
target_for(struct alerts_engine *e, size_t i, const struct config_alert_action *a,
    char *err, size_t errlen)
{
	struct notify_config nc;
	enum notify_kind k = a->kind == CONFIG_ACTION_WEBHOOK ? NOTIFY_WEBHOOK :
	    a->kind == CONFIG_ACTION_SYSLOG ? NOTIFY_SYSLOG : NOTIFY_EMAIL;
	const char *env;

	notify_config_init(&nc, k);
	nc.name = a->name;
	nc.insecure = a->insecure;
	nc.tls_verify = !a->tls_off;
	nc.ca_file = a->ca_file;
	if (a->timeout_ms != 0)
		nc.timeout_ms = (unsigned)a->timeout_ms;
	if (a->starttls_require)
		nc.starttls = NOTIFY_STARTTLS_REQUIRE;
	switch (a->kind) {
	case CONFIG_ACTION_WEBHOOK:
		nc.url = a->url;
		nc.token_file = a->token_file;
		if (a->token_env != NULL) {
			if ((env = getenv(a->token_env)) == NULL ||
			    *env == '\0') {
				snprintf(err, errlen, "action '%s': token_env: "
				    "$%s is not set", a->name, a->token_env);
				return -1;
			}
			nc.token = env;
		}
		break;
	case CONFIG_ACTION_SYSLOG:
		nc.socket_path = a->socket;
		nc.app_name = a->ident;
		if (notify_facility_parse(a->facility, &nc.facility) != 0) {
			snprintf(err, errlen, "action '%s': facility '%s'",
			    a->name, a->facility);
			return -1;
		}
		break;
	default:
		nc.smtp_url = a->url;
		nc.from = a->from;
		nc.to = a->to;
		nc.nto = a->nto;
		nc.user = a->user;
		nc.password_file = a->password_file;
		break;
	}
	if (notify_config_check(&nc, err, errlen) != 0)
		return -1;
	if ((e->targets[i] = notify_target_new(e->notify, &nc, err,
	    errlen)) == NULL)
		return -1;
	return 0;
}

void
alerts_engine_stop(struct alerts_engine *e)
{
	if (e == NULL)
		return;
	/* the targets first: their sends in flight end "cancelled" and
	 * their rows stay queued for the next start */
	for (size_t i = 0; i < e->n; i++)
		notify_target_free(e->targets != NULL ? e->targets[i] : NULL);
	alertd_free(e->d);
	notify_free(e->notify);
	for (size_t i = 0; e->recipients != NULL && i < e->n; i++)
		free(e->recipients[i]);
	free(e->recipients);
	free(e->targets);
	free(e->actions);
	free(e);
}

struct alerts_engine *
alerts_engine_start(struct loop *l, const struct config *c, const char *db)
{
	const struct config_alerts *al = &c->alerts;
	struct alerts_engine *e;
	struct alertd_conf dc;
	char err[512];
	size_t i;

	if (al->nrules == 0)
		return NULL;
	if (db == NULL) {
		log_msg(LOG_WARNING, NULL, "alerts: no database: alerts off");
		return NULL;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->targets = calloc(al->nactions + 1, sizeof(*e->targets))) ==
	    NULL || (e->actions = calloc(al->nactions + 1,
	    sizeof(*e->actions))) == NULL || (e->recipients = calloc(
	    al->nactions + 1, sizeof(*e->recipients))) == NULL ||
	    (e->notify = notify_new(l, engine_log, NULL)) == NULL) {
		log_msg(LOG_ERR, NULL, "alerts: %s: alerts off",
		    strerror(errno ? errno : ENOMEM));
		alerts_engine_stop(e);
		return NULL;
	}
	e->n = al->nactions;
	for (i = 0; i < al->nactions; i++) {
		const struct config_alert_action *a = &al->actions[i];

		if (target_for(e, i, a, err, sizeof(err)) != 0) {
			log_msg(LOG_ERR, NULL, "alerts: %s: alerts off", err);
			alerts_engine_stop(e);
			return NULL;
		}
		if ((e->recipients[i] = recipient(a)) == NULL) {
			alerts_engine_stop(e);
			return NULL;
		}
		e->actions[i].name = a->name;
		e->actions[i].recipient = e->recipients[i];
		e->actions[i].target = e->targets[i];
		e->actions[i].webhook = a->kind == CONFIG_ACTION_WEBHOOK;
		e->actions[i].rate_per_day = a->rate_per_day;
		e->actions[i].burst = a->burst;
	}
	memset(&dc, 0, sizeof(dc));
	dc.rules = al->rules;
	dc.nrules = al->nrules;
	dc.actions = e->actions;
	dc.nactions = e->n;
	dc.give_up_ms = al->give_up_ms;
	dc.poll_ms = al->poll_ms;
	dc.log = engine_log;
	if ((e->d = alertd_new(l, db, &dc)) == NULL) {
		log_msg(LOG_ERR, NULL, "alerts: out of memory: alerts off");
		alerts_engine_stop(e);
		return NULL;
	}
	return e;
}

/* --- alerts history ------------------------------------------------------- */

static void
usage(FILE *f)
{
	fputs(
"usage: bmcfleet alerts history [TARGETS] [-c FILE] [--db CONNINFO]\n"
"                [--since TIME] [--rule NAME] [--limit N]\n"
"                [--format table|json|csv]\n"
"\n"
"Every notification bmcfleetd's alert engine made (the config's alerts:\n"
"rules), oldest first: when it was made, the rule, the action and whom\n"
"it reaches (a webhook's host, e-mail addresses, the syslog socket), the\n"
"event (source and id, the BMC, the subject line), and the result: sent\n"
"(with when), queued (waiting for its next try: tries and the last error\n"
"say why), failed (given up after alerts.give_up), or suppressed, with\n"
"the reason: dedup (the same BMC, sensor and rule within the rule's\n"
"window) or rate (over the action's rate limit).\n"
"\n"
"Options:\n"
"  -c, --config FILE   the fleet's config (default $BMCFLEET_CONFIG, else\n"
"                      " DEFAULT_CONFIG "); needed for TARGETS\n"
"      --db CONNINFO   the database (default: --db, $BMCFLEET_DB, then the\n"
"                      config's database:)\n"
"      --since TIME    only notifications made since TIME (an age like 2h\n"
"                      or 7d, an ISO date or time, today, yesterday)\n"
"      --rule NAME     only this rule's\n"
"      --limit N       only the newest N (default 1000; 0: all)\n"
"      --format table|json|csv   output format (table)\n"
"\n"
"Exit status: 0 listed, 1 database error, 2 usage or configuration error.\n",
	    f);
	fputs(opts_targets_help, f);
}

static const struct col hist_cols[] = {
	{ "id", "ID", T_NUM, COL_ALL | COL_RIGHT, 0 },
	{ "created", "CREATED", T_STR, COL_ALL, 1 },
	{ "rule", "RULE", T_STR, COL_ALL, 2 },
	{ "action", "ACTION", T_STR, COL_ALL, 3 },
	{ "recipient", "TO", T_STR, COL_ALL, 4 },
	{ "kind", "KIND", T_STR, COL_ALL, 5 },
	{ "source", "SOURCE", T_STR, COL_DATA, 6 },
	{ "source_id", "EVENT", T_NUM, COL_DATA, 7 },
	{ "bmc", "BMC", T_STR, COL_ALL, 8 },
	{ "severity", "SEVERITY", T_STR, COL_ALL, 9 },
	{ "state", "RESULT", T_STR, COL_ALL, 10 },
	{ "reason", "REASON", T_STR, COL_ALL, 11 },
	{ "tries", "TRIES", T_NUM, COL_ALL | COL_RIGHT, 12 },
	{ "last_error", "LAST ERROR", T_STR, COL_ALL, 13 },
	{ "sent", "SENT", T_STR, COL_DATA, 14 },
	{ "subject", "SUBJECT", T_STR, COL_DATA, 15 },
};
#define NHIST	(sizeof(hist_cols) / sizeof(hist_cols[0]))

static void
hist_row(void *arg, const char *const *cols)
{
	struct table *t = arg;

	for (size_t k = 0; k < NHIST; k++)
		cells_add(&t->c, cols[hist_cols[k].src]);
}

int
fleet_alerts_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'F' },
		{ "since", required_argument, NULL, 'S' },
		{ "rule", required_argument, NULL, 'R' },
		{ "limit", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cfg = getenv("BMCFLEET_CONFIG"), *db = NULL, *targets =
	    NULL, *e;
	int cfg_given = cfg != NULL && *cfg != '\0', ch, rc = 2, loaded = 0;
	enum table_format fmt = F_TABLE;
	struct alertstore_filter f;
	struct config c;
	struct pg_conn *pg = NULL;
	struct table t;
	struct col cols[NHIST];
	size_t *idx = NULL, n = 0;
	const char **names = NULL;
	char err[1024];
	char *end;

	memset(&f, 0, sizeof(f));
	memset(&c, 0, sizeof(c));
	memset(&t, 0, sizeof(t));
	f.since_ms = -1;
	f.limit = 1000;
	if (!cfg_given)
		cfg = DEFAULT_CONFIG;
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (!strcmp(argv[1], "-h") ||
		    !strcmp(argv[1], "--help"))) {
			usage(stdout);
			return 0;
		}
		fprintf(stderr, "bmcfleet: alerts: expected 'history'\n"
		    "Try 'bmcfleet alerts --help'.\n");
		return 2;
	}
	if (strcmp(argv[1], "history") != 0) {
		fprintf(stderr, "bmcfleet: alerts: '%s': expected 'history'\n"
		    "Try 'bmcfleet alerts --help'.\n", argv[1]);
		return 2;
	}
	argc--;
	argv++;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:h", lo, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cfg = optarg;
			cfg_given = 1;
			break;
		case 'D':
			db = optarg;
			break;
		case 'F':
			if (!strcmp(optarg, "json"))
				fmt = F_JSON;
			else if (!strcmp(optarg, "csv"))
				fmt = F_CSV;
			else if (strcmp(optarg, "table") != 0) {
				fprintf(stderr, "bmcfleet: alerts: --format "
				    "'%s': expected table, json or csv\n",
				    optarg);
				return 2;
			}
			break;
		case 'S': {
			int64_t ms;

			if (when_parse(optarg, (int64_t)time(NULL) * 1000,
			    WHEN_AGO, &ms) != 0) {
				fprintf(stderr, "bmcfleet: alerts: --since "
				    "'%s': expected an age like 2h or 7d, an "
				    "ISO date or time, today or yesterday\n",
				    optarg);
				return 2;
			}
			f.since_ms = ms;
			break;
		}
		case 'R':
			f.rule = optarg;
			break;
		case 'L': {
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || v > 10000000 ||
			    optarg[0] == '-') {
				fprintf(stderr, "bmcfleet: alerts: --limit '%s': "
				    "expected a number 0..10000000\n", optarg);
				return 2;
			}
			f.limit = (unsigned)v;
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "bmcfleet: alerts: unknown option '%s'\n"
			    "Try 'bmcfleet alerts --help'.\n",
			    argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc)
		targets = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "bmcfleet: alerts: unexpected argument '%s'\n",
		    argv[optind]);
		return 2;
	}
	if (cfg_given || access(cfg, F_OK) == 0 || (targets != NULL &&
	    strcmp(targets, "@all") != 0)) {
		if (config_load(&c, cfg, err, sizeof(err)) != 0) {
			fprintf(stderr, "bmcfleet: %s\n", err);
			return 2;
		}
		loaded = 1;
	}
	if (targets != NULL && strcmp(targets, "@all") != 0) {
		if (config_select(&c, targets, &idx, &n, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "bmcfleet: alerts: %s\n", err);
			goto out;
		}
		if ((names = calloc(n + 1, sizeof(*names))) == NULL)
			goto oom;
		for (size_t i = 0; i < n; i++)
			names[i] = c.bmcs[idx[i]].name;
		f.bmcs = names;
		f.nbmcs = n;
	}
	if (db == NULL && loaded)
		db = c.database;
	if (db == NULL && (e = getenv("BMCFLEET_DB")) != NULL && *e != '\0')
		db = e;
	if (db == NULL) {
		fprintf(stderr, "bmcfleet: alerts: no database: give --db "
		    "CONNINFO, set $BMCFLEET_DB, or database: in the config "
		    "(-c FILE)\n");
		goto out;
	}
	rc = 1;
	if (db_connect(db, &pg, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: alerts: %s\n", err);
		goto out;
	}
	memcpy(cols, hist_cols, sizeof(cols));
	t.cols = cols;
	t.ncols = NHIST;
	if (alertstore_history(pg, &f, hist_row, &t, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: alerts: %s\n", strstr(err,
		    "alert_notification") ? "the database has no alert "
		    "tables: run `bmcfleet db migrate`" : err);
		goto out;
	}
	rc = table_put(&t, fmt);
	goto out;
oom:
	fprintf(stderr, "bmcfleet: out of memory\n");
	rc = 1;
out:
	db_close(pg);
	cells_release(&t.c);
	free(names);
	free(idx);
	if (loaded)
		config_release(&c);
	return rc;
}
