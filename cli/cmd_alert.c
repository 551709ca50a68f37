/* cmd_alert: `bmcfleet alert setup|status`; see cmd_alert.h. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd_alert.h"
#include "cli/config.h"
#include "cli/opts.h"
#include "cli/progress.h"
#include "cli/rail.h"
#include "cli/sesscfg.h"
#include "collector/driver.h"
#include "collector/task_alert.h"
#include "ipmi/ipmi.h"
#include "ipmi/pef.h"
#include "lib/gbuf.h"
#include "lib/json.h"
#include "lib/loop.h"

#define ALERT_SHOW_REASONS	5	/* reasons the summary names */

struct ahost {
	struct drv_target	 t;	/* first: the driver's pointer is ours */
	struct task_alert	*task;
	const char		*pre;	/* failed before a session: why */
	char			 prebuf[256];
};

struct actx {
	struct config		 c;
	int			 have_c;
	const char		*cfg_path;
	const char		*db;
	const char		*targets;
	int			 setup;
	int			 json;
	int			 format_given;
	int			 yes;
	int			 dry_run;
	struct task_alert_want	 want;
	struct ahost		*hosts;
	size_t			 n;
	struct ipmi_session_cfg	*scfg;
	struct sesscfg_creds	 creds;
	int			 have_creds;
	struct progress		 bar;
};

static void
usage(FILE *f)
{
	fputs(
"usage: bmcfleet alert setup TARGETS --destination ADDR[:PORT]\n"
"                        [--community NAME] [--severity LEVEL] [--dry-run]\n"
"                        [--yes] [-c FILE] [--db CONNINFO]\n"
"       bmcfleet alert status [TARGETS] [--format table|json] [-c FILE]\n"
"\n"
"setup: make every BMC of TARGETS send PET traps (SNMP, UDP) to ADDR when\n"
"an event of LEVEL or worse lands in its SEL: on the BMC's LAN channel\n"
"(found with Get Channel Info), the community, a LAN alert destination\n"
"(the one already pointing at ADDR, else the first unused one), an alert\n"
"policy entry, one event filter per severity from LEVEL up (any sensor),\n"
"PEF and its alert action enabled.  What is already right is not\n"
"written, so a second setup changes nothing.  Everything is read back;\n"
"each host says what changed (old -> new).  A BMC without PEF, without a\n"
"LAN channel or without a free destination, policy entry or filter is\n"
"failed by that reason and left as it was.\n"
"\n"
"status: what each BMC of TARGETS (default @all) holds: LAN channels,\n"
"PEF version and state, community, the destinations, alert policy\n"
"entries and event filters in use.\n"
"\n"
"  --destination ADDR[:PORT]  the trap receiver, an IPv4 address; PORT\n"
"                     other than 162 only where the BMC can send elsewhere\n"
"                     (bmcsim's OEM LAN parameter 0xC0; real BMCs send to\n"
"                     162 and such a host fails by that reason)\n"
"  --community NAME   SNMP community the traps carry (at most 18\n"
"                     characters; default: the BMC's own, public if empty)\n"
"  --severity LEVEL   info, warning (default) or critical: the least\n"
"                     severity that sends a trap\n"
"  --dry-run          read and say what would change; write nothing\n"
"  --yes              do not ask above scheduler.confirm_limit hosts\n"
"                     (without a terminal it is needed there)\n"
"  -c, --config FILE  bmcfleet.yaml (default $BMCFLEET_CONFIG, else\n"
"                     /etc/bmcfleet/bmcfleet.yaml)\n"
"      --db CONNINFO  where setup's audit rows go (default: the config's,\n"
"                     or $BMCFLEET_DB; none: syslog only)\n"
"      --format table|json  status output (table)\n"
"\n"
"Setup leaves one audit_log row per host (operation alert-setup: result\n"
"and what changed) and a syslog line.  Exit status: 0 every host ok, 1 a\n"
"host failed or the question was answered no, 2 usage or configuration\n"
"error.\n", f);
}

static const struct option alert_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "db", required_argument, NULL, 'D' },
	{ "destination", required_argument, NULL, 'd' },
	{ "community", required_argument, NULL, 'C' },
	{ "severity", required_argument, NULL, 's' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "yes", no_argument, NULL, 'y' },
	{ "format", required_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* -1: go on; else the exit status */
static int
parse_args(struct actx *x, int argc, char **argv)
{
	const char *dest = NULL, *community = "", *sev = "warning";
	int ch, v, community_given = 0;

	x->cfg_path = getenv("BMCFLEET_CONFIG");
	if (x->cfg_path == NULL)
		x->cfg_path = "/etc/bmcfleet/bmcfleet.yaml";
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		printf("\n%s", opts_targets_help);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "setup") != 0 &&
	    strcmp(argv[1], "status") != 0)) {
		fprintf(stderr, "bmcfleet: alert: expected setup or status\n");
		usage(stderr);
		return 2;
	}
	x->setup = strcmp(argv[1], "setup") == 0;
	argc--;
	argv++;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", alert_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			x->cfg_path = optarg;
			break;
		case 'D':
			x->db = optarg;
			break;
		case 'd':
			dest = optarg;
			break;
		case 'C':
			community = optarg;
			community_given = 1;
			break;
		case 's':
			sev = optarg;
			break;
		case 'n':
			x->dry_run = 1;
			break;
		case 'y':
			x->yes = 1;
			break;
		case 'F':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "table") != 0) {
				fprintf(stderr, "bmcfleet: alert: --format: "
				    "expected table or json\n");
				return 2;
			}
			x->json = strcmp(optarg, "json") == 0;
			x->format_given = 1;
			break;
		case 'h':
			usage(stdout);
			printf("\n%s", opts_targets_help);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		x->targets = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "bmcfleet: alert: unexpected argument '%s'\n",
		    argv[optind]);
		return 2;
	}
	if (!x->setup) {
		if (dest != NULL || x->dry_run || x->yes) {
			fprintf(stderr, "bmcfleet: alert status: --destination, "
			    "--dry-run and --yes are setup's\n");
			return 2;
		}
		if (x->targets == NULL)
			x->targets = "@all";
		return -1;
	}
	if (x->format_given) {
		fprintf(stderr, "bmcfleet: alert setup: --format is status's; "
		    "setup prints lines\n");
		return 2;
	}
	if (x->targets == NULL) {
		fprintf(stderr, "bmcfleet: alert setup: which BMCs? give "
		    "TARGETS (@all for every one)\n");
		return 2;
	}
	if (dest == NULL) {
		fprintf(stderr, "bmcfleet: alert setup: --destination "
		    "ADDR[:PORT] is needed\n");
		return 2;
	}
	if (task_alert_parse_dest(dest, &x->want) != 0) {
		fprintf(stderr, "bmcfleet: alert setup: --destination '%s': "
		    "expected an IPv4 address, with :PORT (1-65535) or not\n",
		    dest);
		return 2;
	}
	if (strlen(community) > LAN_COMMUNITY_LEN || (*community == '\0' &&
	    community_given)) {
		fprintf(stderr, "bmcfleet: alert setup: --community: 1 to %d "
		    "characters\n", LAN_COMMUNITY_LEN);
		return 2;
	}
	for (const char *p = community; *p != '\0'; p++)
		if (*p < 0x21 || *p > 0x7e) {
			fprintf(stderr, "bmcfleet: alert setup: --community: "
			    "printable ASCII without spaces\n");
			return 2;
		}
	snprintf(x->want.community, sizeof(x->want.community), "%s",
	    community);
	v = pef_severity_parse(sev);
	if (v != PEF_SEV_INFO && v != PEF_SEV_WARNING &&
	    v != PEF_SEV_CRITICAL) {
		fprintf(stderr, "bmcfleet: alert setup: --severity '%s': "
		    "expected info, warning or critical\n", sev);
		return 2;
	}
	x->want.min_severity = (uint8_t)v;
	x->want.dry_run = x->dry_run;
	return -1;
}

static enum drv_step
alert_step(void *arg, struct drv_target *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct ahost *h = (struct ahost *)t;
	enum drv_step st;

	(void)arg;
	st = task_alert_step(h->task, rsp, req);
	if (st == DRV_STEP_FAIL)
		driver_fail(t, h->task->err, "%s", h->task->why);
	return st;
}

static void
progress_text(void *arg, char *buf, size_t len)
{
	struct actx *x = arg;
	size_t done = 0, bad = 0, busy = 0;

	for (size_t i = 0; i < x->n; i++) {
		const struct drv_target *t = &x->hosts[i].t;

		if (progress_in_flight(t))
			busy++;
		else if (t->end_ms != 0) {
			done++;
			bad += t->fail != DRV_OK;
		}
	}
	snprintf(buf, len, "%zu/%zu hosts done, %zu failed, %zu in flight",
	    done, x->n, bad, busy);
}

/* Targets, sessions and tasks; 0 or an exit status. */
static int
build_hosts(struct actx *x)
{
	char err[CONFIG_ERR_MAX];
	size_t *idx = NULL, n = 0;

	if (config_select(&x->c, x->targets, &idx, &n, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: alert: %s\n", err);
		return 2;
	}
	x->hosts = calloc(n, sizeof(*x->hosts));
	x->scfg = calloc(n, sizeof(*x->scfg));
	if (x->hosts == NULL || x->scfg == NULL ||
	    sesscfg_init(&x->creds, &x->c) != 0) {
		free(idx);
		fprintf(stderr, "bmcfleet: alert: out of memory\n");
		return 1;
	}
	x->have_creds = 1;
	x->n = n;
	for (size_t i = 0; i < n; i++) {
		const struct config_bmc *b = &x->c.bmcs[idx[i]];
		struct ahost *h = &x->hosts[i];

		h->t.name = b->name;
		h->t.host = b->address;
		h->t.port = b->s.port;
		h->t.session = &x->scfg[i];
		if (sesscfg_fill(&x->c, b, &x->creds, &x->scfg[i], h->prebuf,
		    sizeof(h->prebuf)) != 0)
			h->pre = h->prebuf;
		if ((h->task = malloc(sizeof(*h->task))) == NULL) {
			free(idx);
			fprintf(stderr, "bmcfleet: alert: out of memory\n");
			return 1;
		}
		task_alert_init(h->task, x->setup ? TASK_ALERT_SETUP :
		    TASK_ALERT_STATUS, &x->want);
	}
	free(idx);
	return 0;
}

static int
run_hosts(struct actx *x)
{
	struct drv_target **tv;
	struct driver_cfg dc;
	struct loop *loop;
	size_t k = 0;

	if ((tv = calloc(x->n, sizeof(*tv))) == NULL ||
	    (loop = loop_new()) == NULL) {
		free(tv);
		fprintf(stderr, "bmcfleet: alert: %s\n", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < x->n; i++)
		if (x->hosts[i].pre == NULL)
			tv[k++] = &x->hosts[i].t;
	memset(&dc, 0, sizeof(dc));
	dc.fanout = x->c.collector.concurrency;
	dc.host_deadline_ms = x->c.collector.host_deadline_ms;
	dc.step = alert_step;
	dc.arg = x;
	if (isatty(STDERR_FILENO))
		(void)progress_start(&x->bar, loop, stderr, progress_text, x);
	(void)driver_run(loop, &dc, tv, k);
	progress_stop(&x->bar);
	loop_free(loop);
	free(tv);
	return 0;
}

static int
host_ok(const struct ahost *h)
{
	return h->pre == NULL && h->t.fail == DRV_OK;
}

static const char *
host_why(const struct ahost *h)
{
	return h->pre != NULL ? h->pre : h->t.errmsg;
}

/* --- setup ---------------------------------------------------------------- */

/* "destination 1, policy 1 (entry 1), 3 event filters" */
static void
plan_words(const struct task_alert *t, char *buf, size_t len)
{
	unsigned nf = 0;

	for (size_t i = 0; i < t->nitems; i++)
		if (strncmp(t->items[i].what, "event filter ", 13) == 0)
			nf++;
	snprintf(buf, len, "channel %u, destination %u, alert policy %u "
	    "(entry %u), %u event filters", t->plan.channel, t->plan.dest,
	    t->plan.policy, t->plan.policy_entry, nf);
}

/* The audit detail: what changed, old -> new, or "unchanged". */
static void
change_words(const struct task_alert *t, struct gbuf *g)
{
	int first = 1;

	if (t->nchanged == 0) {
		gbuf_puts(g, "unchanged");
		return;
	}
	gbuf_printf(g, "changed %u: ", t->nchanged);
	for (size_t i = 0; i < t->nitems; i++) {
		const struct alert_item *it = &t->items[i];

		if (!it->changed)
			continue;
		gbuf_printf(g, "%s%s %s -> %s", first ? "" : "; ", it->what,
		    it->old, it->new);
		first = 0;
	}
}

/* Failures grouped by reason, the most frequent first. */
static void
print_reasons(const struct actx *x)
{
	const char *why[ALERT_SHOW_REASONS];
	size_t cnt[ALERT_SHOW_REASONS], nr = 0, other = 0;

	for (size_t i = 0; i < x->n; i++) {
		const struct ahost *h = &x->hosts[i];
		size_t r;

		if (host_ok(h))
			continue;
		for (r = 0; r < nr; r++)
			if (strcmp(why[r], host_why(h)) == 0)
				break;
		if (r < nr)
			cnt[r]++;
		else if (nr < ALERT_SHOW_REASONS) {
			why[nr] = host_why(h);
			cnt[nr++] = 1;
		} else
			other++;
	}
	for (size_t r = 0; r < nr; r++)
		fprintf(stderr, "  %zu: %s\n", cnt[r], why[r]);
	if (other > 0)
		fprintf(stderr, "  %zu: other reasons\n", other);
}

static int
setup_report(struct actx *x, struct rail *rl)
{
	struct rail_result *res;
	struct gbuf *det;
	size_t changed = 0, same = 0, bad = 0;
	char words[128], dest[32];

	res = calloc(x->n, sizeof(*res));
	det = calloc(x->n, sizeof(*det));
	if (res == NULL || det == NULL) {
		free(res);
		free(det);
		fprintf(stderr, "bmcfleet: alert: out of memory\n");
		return 1;
	}
	snprintf(dest, sizeof(dest), "%u.%u.%u.%u:%u", x->want.ip[0],
	    x->want.ip[1], x->want.ip[2], x->want.ip[3],
	    x->want.port ? x->want.port : ALERT_PORT_DEFAULT);
	for (size_t i = 0; i < x->n; i++) {
		struct ahost *h = &x->hosts[i];
		const struct task_alert *t = h->task;

		gbuf_init(&det[i]);
		res[i].host = h->t.name;
		if (!host_ok(h)) {
			printf("%s: failed: %s\n", h->t.name, host_why(h));
			bad++;
			res[i].detail = host_why(h);
			continue;
		}
		res[i].ok = 1;
		plan_words(t, words, sizeof(words));
		if (t->nchanged == 0) {
			printf("%s: unchanged (%s)\n", h->t.name, words);
			same++;
		} else {
			printf("%s: %s %u (%s)\n", h->t.name, x->dry_run ?
			    "would change" : "changed", t->nchanged, words);
			changed++;
		}
		for (size_t k = 0; k < t->nitems; k++) {
			const struct alert_item *it = &t->items[k];

			if (it->changed)
				printf("  %s: %s -> %s\n", it->what, it->old,
				    it->new);
		}
		change_words(t, &det[i]);
		res[i].detail = gbuf_failed(&det[i]) ? "changed" :
		    gbuf_str(&det[i]);
	}
	fflush(stdout);
	fprintf(stderr, "alert setup%s to %s: %zu %s, %zu unchanged, %zu "
	    "failed\n", x->dry_run ? " (dry run)" : "", dest, changed,
	    x->dry_run ? "would change" : "changed", same, bad);
	print_reasons(x);
	if (!x->dry_run)
		(void)rail_record(rl, "alert setup", "alert-setup", res, x->n,
		    stderr);
	for (size_t i = 0; i < x->n; i++)
		gbuf_release(&det[i]);
	free(det);
	free(res);
	return bad == 0 ? 0 : 1;
}

/* --- status --------------------------------------------------------------- */

static void
ip_words(const uint8_t ip[4], char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
}

static const char *
dtype_word(uint8_t type)
{
	return type == LAN_DEST_PET ? "pet" : type == LAN_DEST_OEM1 ? "oem1" :
	    type == LAN_DEST_OEM2 ? "oem2" : "reserved";
}

static void
status_table(const struct ahost *h)
{
	const struct alert_state *s = &h->task->st;
	char ip[16], lans[48] = "";
	size_t o = 0;

	if (!host_ok(h)) {
		printf("%s: failed: %s\n", h->t.name, host_why(h));
		return;
	}
	for (unsigned i = 0; i < s->nlan && o < sizeof(lans) - 4; i++)
		o += (size_t)snprintf(lans + o, sizeof(lans) - o, "%s%u",
		    i ? "," : "", s->lan[i]);
	/* the PEF version is BCD, minor digit in the high nibble: 51h is
	 * 1.5 (30.2) */
	printf("%s: LAN channel %s, PEF %u.%u %s, alert action %s, "
	    "community \"%s\"\n", h->t.name, lans, s->caps.version & 0x0f,
	    s->caps.version >> 4,
	    (s->control & PEF_CTL_ENABLE) ? "enabled" : "disabled",
	    (s->actions & PEF_ACT_ALERT) ? "enabled" : "disabled",
	    s->community);
	for (unsigned d = 1; d <= s->ndest; d++) {
		if (s->daddr[d].format == LAN_ADDR_IPV4 &&
		    memcmp(s->daddr[d].ip, "\0\0\0\0", 4) == 0)
			continue;
		ip_words(s->daddr[d].ip, ip, sizeof(ip));
		printf("  destination %u: %s %s:%u%s, %u s, %u retries\n", d,
		    dtype_word(s->dtype[d].type), ip, s->dport[d],
		    s->dtype[d].ack ? " acknowledged" : "",
		    s->dtype[d].timeout, s->dtype[d].retries);
	}
	for (unsigned e = 0; e < s->npolicies; e++) {
		const struct pef_policy *a = &s->policies[e];

		if (pef_policy_is_free(a))
			continue;
		printf("  policy entry %u: policy %u %s, channel %u, "
		    "destination %u\n", e + 1, a->number,
		    a->enabled ? "enabled" : "disabled", a->channel, a->dest);
	}
	for (unsigned e = 0; e < s->nfilters; e++) {
		const struct pef_filter *f = &s->filters[e];

		if (pef_filter_is_free(f))
			continue;
		printf("  filter %u: %s%s, %s, %s policy %u\n", e + 1,
		    f->enabled ? "enabled" : "disabled",
		    f->type == PEF_FILTER_MANUFACTURER ? " (factory)" : "",
		    pef_severity_name(f->severity),
		    (f->action & PEF_ACT_ALERT) ? "alert to" : "no alert,",
		    f->policy);
	}
}

static void
status_json(struct json *j, const struct ahost *h)
{
	const struct alert_state *s = &h->task->st;
	char ip[16];

	json_obj(j);
	json_key_str(j, "host", h->t.name);
	json_key_bool(j, "ok", host_ok(h));
	if (!host_ok(h)) {
		json_key_str(j, "error", host_why(h));
		json_end(j);
		return;
	}
	json_key(j, "lan_channels");
	json_arr(j);
	for (unsigned i = 0; i < s->nlan; i++)
		json_u64(j, s->lan[i]);
	json_end(j);
	json_key_u64(j, "pef_version", s->caps.version);
	json_key_bool(j, "pef_enabled", (s->control & PEF_CTL_ENABLE) != 0);
	json_key_bool(j, "alert_action", (s->actions & PEF_ACT_ALERT) != 0);
	json_key_str(j, "community", s->community);
	json_key(j, "destinations");
	json_arr(j);
	for (unsigned d = 1; d <= s->ndest; d++) {
		ip_words(s->daddr[d].ip, ip, sizeof(ip));
		json_obj(j);
		json_key_u64(j, "selector", d);
		json_key_str(j, "type", dtype_word(s->dtype[d].type));
		json_key_bool(j, "acknowledge", s->dtype[d].ack);
		json_key_u64(j, "timeout", s->dtype[d].timeout);
		json_key_u64(j, "retries", s->dtype[d].retries);
		json_key_str(j, "address", ip);
		json_key_u64(j, "port", s->dport[d]);
		json_end(j);
	}
	json_end(j);
	json_key(j, "policies");
	json_arr(j);
	for (unsigned e = 0; e < s->npolicies; e++) {
		const struct pef_policy *a = &s->policies[e];

		if (pef_policy_is_free(a))
			continue;
		json_obj(j);
		json_key_u64(j, "entry", e + 1);
		json_key_u64(j, "policy", a->number);
		json_key_bool(j, "enabled", a->enabled);
		json_key_u64(j, "channel", a->channel);
		json_key_u64(j, "destination", a->dest);
		json_end(j);
	}
	json_end(j);
	json_key(j, "filters");
	json_arr(j);
	for (unsigned e = 0; e < s->nfilters; e++) {
		const struct pef_filter *f = &s->filters[e];

		if (pef_filter_is_free(f))
			continue;
		json_obj(j);
		json_key_u64(j, "filter", e + 1);
		json_key_bool(j, "enabled", f->enabled);
		json_key_bool(j, "factory", f->type == PEF_FILTER_MANUFACTURER);
		json_key_str(j, "severity", pef_severity_name(f->severity));
		json_key_bool(j, "alert", (f->action & PEF_ACT_ALERT) != 0);
		json_key_u64(j, "policy", f->policy);
		json_end(j);
	}
	json_end(j);
	json_end(j);
}

static int
status_report(struct actx *x)
{
	size_t bad = 0;

	if (x->json) {
		struct gbuf g = GBUF_INIT;
		struct json j;

		json_init(&j, &g, JSON_SPACED);
		json_arr(&j);
		for (size_t i = 0; i < x->n; i++)
			status_json(&j, &x->hosts[i]);
		json_end(&j);
		if (json_failed(&j)) {
			gbuf_release(&g);
			fprintf(stderr, "bmcfleet: alert: out of memory\n");
			return 1;
		}
		printf("%s\n", gbuf_str(&g));
		gbuf_release(&g);
	} else
		for (size_t i = 0; i < x->n; i++)
			status_table(&x->hosts[i]);
	fflush(stdout);
	for (size_t i = 0; i < x->n; i++)
		bad += !host_ok(&x->hosts[i]);
	fprintf(stderr, "alert status: %zu ok, %zu failed\n", x->n - bad, bad);
	print_reasons(x);
	return bad == 0 ? 0 : 1;
}

/* --- main ----------------------------------------------------------------- */

static void
actx_release(struct actx *x)
{
	if (x->hosts != NULL)
		for (size_t i = 0; i < x->n; i++)
			free(x->hosts[i].task);
	free(x->hosts);
	free(x->scfg);
	if (x->have_creds)
		sesscfg_release(&x->creds);
	if (x->have_c)
		config_release(&x->c);
}

/* The rail's question, above the confirm limit: 0 go, else the exit. */
static int
ask(struct actx *x, struct rail *rl)
{
	const char *first[RAIL_SHOW_HOSTS];
	size_t k;

	for (k = 0; k < x->n && k < RAIL_SHOW_HOSTS; k++)
		first[k] = x->hosts[k].t.name;
	switch (rail_confirm("alert setup", first, x->n, rl->limit, x->yes,
	    isatty(STDIN_FILENO), stdin, stderr)) {
	case RAIL_GO:
		return 0;
	case RAIL_DECLINED:
		return 1;
	default:
		return 2;
	}
}

int
fleet_alert_main(int argc, char **argv)
{
	struct actx x;
	struct rail rl;
	char err[CONFIG_ERR_MAX];
	int rc;

	memset(&x, 0, sizeof(x));
	memset(&rl, 0, sizeof(rl));
	if ((rc = parse_args(&x, argc, argv)) != -1)
		return rc;
	if (config_load(&x.c, x.cfg_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcfleet: %s\n", err);
		return 2;
	}
	x.have_c = 1;
	if ((rc = build_hosts(&x)) != 0)
		goto out;
	if (x.setup) {
		rail_who(rl.who, sizeof(rl.who), rl.origin, sizeof(rl.origin));
		rl.limit = x.c.scheduler.confirm_limit;
		if (x.db == NULL)
			x.db = x.c.database;	/* $BMCFLEET_DB is in it */
		if (x.db != NULL && (rl.db = strdup(x.db)) == NULL) {
			rc = 1;
			goto out;
		}
		if (!x.dry_run && (rc = ask(&x, &rl)) != 0)
			goto out;
	}
	if (run_hosts(&x) != 0) {
		rc = 1;
		goto out;
	}
	rc = x.setup ? setup_report(&x, &rl) : status_report(&x);
out:
	rail_release(&rl);
	actx_release(&x);
	return rc;
}
