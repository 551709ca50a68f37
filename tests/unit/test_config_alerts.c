/*
 * test_config_alerts: the alerts: section of bmcfleet.yaml: actions of
 * each kind, rules with every key and their defaults, targets resolved to
 * names, and the errors (file:line:col, did you mean).
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/config.h"
#include "tests/unit/ckmain.h"

static char dir[PATH_MAX];
static char path[PATH_MAX + 32];

static void
setup(void)
{
	strcpy(dir, "/tmp/test_config_alerts.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	unsetenv("BMCFLEET_DB");
}

static void
teardown(void)
{
	unlink(path);
	rmdir(dir);
}

#define FLEET								\
	"credentials:\n"						\
	"  default: {user: admin, password_env: PW}\n"			\
	"groups:\n"							\
	"  rackA: {hosts: \"n[1-4]\", labels: {rack: ra}}\n"		\
	"  rackB: {hosts: \"n[5-8]\", labels: {rack: rb}}\n"		\
	"bmcs:\n"							\
	"  - {name: n9, labels: {role: gpu}}\n"				\
	"  - {name: n3, labels: {role: gpu}}\n"

static int
load(struct config *c, const char *text, char *err, size_t len)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/c.yaml", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	memset(c, 0, sizeof(*c));
	return config_load(c, path, err, len);
}

static void
load_ok(struct config *c, const char *text)
{
	char err[CONFIG_ERR_MAX] = "";

	ck_assert_msg(load(c, text, err, sizeof(err)) == 0, "load: %s", err);
}

/* the error must be "PATH:" + want (a prefix of it) */
static void
expect_err(const char *text, const char *want)
{
	struct config c;
	char err[CONFIG_ERR_MAX] = "", head[PATH_MAX + 512];

	ck_assert_msg(load(&c, text, err, sizeof(err)) == -1,
	    "loaded, want '%s'", want);
	snprintf(head, sizeof(head), "%s:%s", path, want);
	ck_assert_msg(strncmp(err, head, strlen(head)) == 0,
	    "error '%s'\n want '%s'", err, head);
	config_release(&c);
}

START_TEST(none)
{
	struct config c;

	load_ok(&c, FLEET);
	ck_assert_uint_eq(c.alerts.nrules, 0);
	ck_assert_uint_eq(c.alerts.nactions, 0);
	ck_assert_uint_eq(c.alerts.give_up_ms, 24 * 3600 * 1000ULL);
	ck_assert_uint_eq(c.alerts.poll_ms, 10000);
	config_release(&c);
}
END_TEST

START_TEST(full)
{
	struct config c;
	const struct config_alert_action *a;
	const struct alert_rule *r;

	load_ok(&c, FLEET
	    "alerts:\n"
	    "  give_up: 2h\n"
	    "  poll: 500ms\n"
	    "  actions:\n"
	    "    hook: {kind: webhook, url: \"http://127.0.0.1:9/x\",\n"
	    "           token_env: HOOK_TOKEN, rate: 30/min, burst: 5}\n"
	    "    log: {kind: syslog, socket: sock, facility: local3,\n"
	    "          ident: fleet}\n"
	    "    mail: {kind: email, url: \"smtp://127.0.0.1:2525\",\n"
	    "           from: fleet@example.com, to: [a@example.com,\n"
	    "           b@example.com], user: fleet, password_file: pw,\n"
	    "           rate: 2/s, starttls: require, timeout: 20s,\n"
	    "           ca_file: ca.pem}\n"
	    "  rules:\n"
	    "    - name: psu\n"
	    "      match: {severity: critical, sensor_type: Power Supply,\n"
	    "              text: \"*lost*\", targets: \"@rackA+!n2,role=gpu\",\n"
	    "              source: [sel, pet, sensor]}\n"
	    "      actions: [hook, mail]\n"
	    "      dedup: 0\n"
	    "      recovery: true\n"
	    "    - name: gone\n"
	    "      match: {source: unreachable, sweeps: 3}\n"
	    "      actions: log\n"
	    "    - name: plain\n"
	    "      actions: [log]\n");
	ck_assert_uint_eq(c.alerts.give_up_ms, 2 * 3600 * 1000ULL);
	ck_assert_uint_eq(c.alerts.poll_ms, 500);
	ck_assert_uint_eq(c.alerts.nactions, 3);
	a = &c.alerts.actions[0];
	ck_assert_str_eq(a->name, "hook");
	ck_assert_int_eq(a->kind, CONFIG_ACTION_WEBHOOK);
	ck_assert_str_eq(a->token_env, "HOOK_TOKEN");
	ck_assert_uint_eq(a->rate_per_day, 30 * 1440);	/* 30/min */
	ck_assert_uint_eq(a->burst, 5);
	a = &c.alerts.actions[1];
	ck_assert_int_eq(a->kind, CONFIG_ACTION_SYSLOG);
	ck_assert_str_eq(a->facility, "local3");
	ck_assert_str_eq(a->ident, "fleet");
	ck_assert_ptr_nonnull(strstr(a->socket, dir));	/* relative: the
							   config's dir */
	ck_assert_uint_eq(a->rate_per_day, 0);
	a = &c.alerts.actions[2];
	ck_assert_int_eq(a->kind, CONFIG_ACTION_EMAIL);
	ck_assert_uint_eq(a->nto, 2);
	ck_assert_str_eq(a->to[1], "b@example.com");
	ck_assert_uint_eq(a->rate_per_day, 2 * 86400);	/* 2/s */
	ck_assert_uint_eq(a->burst, 2);		/* the rate's count */
	ck_assert_int_eq(a->starttls_require, 1);
	ck_assert_uint_eq(a->timeout_ms, 20000);
	ck_assert_ptr_nonnull(strstr(a->ca_file, "/ca.pem"));
	ck_assert_int_eq(a->tls_off, 0);

	ck_assert_uint_eq(c.alerts.nrules, 3);
	r = &c.alerts.rules[0];
	ck_assert_str_eq(r->name, "psu");
	ck_assert_int_eq(r->min_severity, ALERT_SEV_CRITICAL);
	ck_assert_str_eq(r->sensor_type, "Power Supply");
	ck_assert_str_eq(r->text, "*lost*");
	ck_assert_uint_eq(r->sources, ALERT_SRC_SEL | ALERT_SRC_PET |
	    ALERT_SRC_SENSOR);
	ck_assert_str_eq(c.alerts.targets[0], "@rackA+!n2,role=gpu");
	/* n1, n3, n4 of rackA but n2, and n3, n9 with role=gpu */
	ck_assert_int_eq(r->all_hosts, 0);
	ck_assert_uint_eq(r->nhosts, 4);
	ck_assert_str_eq(r->hosts[0], "n1");
	ck_assert_str_eq(r->hosts[1], "n3");
	ck_assert_str_eq(r->hosts[2], "n4");
	ck_assert_str_eq(r->hosts[3], "n9");
	ck_assert_uint_eq(r->nactions, 2);
	ck_assert_uint_eq(r->actions[0], 0);
	ck_assert_uint_eq(r->actions[1], 2);
	ck_assert_uint_eq(r->dedup_ms, 0);
	ck_assert_int_eq(r->recovery, 1);
	r = &c.alerts.rules[1];
	ck_assert_uint_eq(r->sources, ALERT_SRC_UNREACHABLE);
	ck_assert_uint_eq(r->sweeps, 3);
	ck_assert_uint_eq(r->nactions, 1);
	ck_assert_uint_eq(r->actions[0], 1);
	r = &c.alerts.rules[2];		/* the defaults */
	ck_assert_uint_eq(r->sources, ALERT_SRC_DEFAULT);
	ck_assert_int_eq(r->min_severity, ALERT_SEV_WARNING);
	ck_assert_int_eq(r->all_hosts, 1);
	ck_assert_ptr_null(c.alerts.targets[2]);
	ck_assert_uint_eq(r->dedup_ms, 600000);
	ck_assert_int_eq(r->recovery, 0);
	config_release(&c);
}
END_TEST

#define A	FLEET "alerts:\n"
#define HOOK	"  actions:\n    hook: {kind: webhook, url: \"http://h/x\"}\n"

START_TEST(errors)
{
	expect_err(A "  rule: []\n", "10:3: unknown key 'rule' (did you mean 'rules'?)");
	expect_err(A "  actions:\n    hook: {kind: webhok, url: \"http://h\"}\n",
	    "11:18: actions: 'hook': kind: expected webhook, syslog or email "
	    "(did you mean 'webhook'?)");
	expect_err(A "  actions:\n    hook: {url: \"http://h\"}\n",
	    "11:5: actions: 'hook': missing kind (webhook, syslog or email)");
	expect_err(A "  actions:\n    hook: {kind: webhook}\n",
	    "11:5: actions: 'hook': missing url");
	expect_err(A "  actions:\n    hook: {kind: webhook, url: \"ftp://h\"}\n",
	    "11:32: actions: 'hook': url: expected an http:// or https://");
	expect_err(A "  actions:\n    hook: {kind: syslog, url: \"http://h\"}\n",
	    "11:26: actions: 'hook': url is not a key of a syslog action (it "
	    "takes socket, facility, ident, rate, burst, timeout)");
	expect_err(A "  actions:\n    hook: {kind: syslog, rate: 30}\n",
	    "11:32: actions: 'hook': rate: expected a count per time like "
	    "30/min, 5/s, 100/h or 1000/day");
	expect_err(A "  actions:\n    hook: {kind: syslog, burst: 3}\n",
	    "11:33: actions: 'hook': burst needs a rate");
	expect_err(A "  actions:\n    m: {kind: email, url: \"smtp://\"}\n",
	    "11:27: actions: 'm': url: expected smtp://HOST[:PORT] or "
	    "smtps://HOST[:PORT]");
	expect_err(A "  actions:\n    m: {kind: email, url: \"smtp://h\"}\n",
	    "11:5: actions: 'm': an email action needs from and to");
	expect_err(A "  actions:\n    hook: {kind: webhook, url: "
	    "\"http://h.example/x\", token_env: T}\n",
	    "11:5: actions: 'hook': a token over http:// travels in clear");
	expect_err(A "  actions:\n    m: {kind: email, url: \"smtp://h\", from: "
	    "a@b, to: c@d, user: u, password_file: pw}\n",
	    "11:5: actions: 'm': a password over SMTP needs starttls: require");
	expect_err(A "  actions:\n    hook: {kind: webhook, url: "
	    "\"https://h.example/x\", tls_verify: false}\n",
	    "11:67: actions: 'hook': tls_verify: false needs insecure: true");
	expect_err(A "  actions:\n    l: {kind: syslog, starttls: require}\n",
	    "11:23: actions: 'l': starttls is not a key of a syslog action");
	expect_err(A "  actions:\n    hook: {kind: webhook, url: \"http://h\", "
	    "timeout: 5}\n", "11:53: timeout: '5': a number needs its unit");
	expect_err(A "  actions:\n    l: {kind: syslog, facility: locl0}\n",
	    "11:33: actions: 'l': facility: expected daemon, local0..local7 or "
	    "another syslog facility (did you mean 'local0'?)");
	expect_err(A HOOK "  rules:\n    - {name: r, actions: [hok]}\n",
	    "13:26: actions: 'hok' is not an action of alerts.actions (did you "
	    "mean 'hook'?)");
	expect_err(A HOOK "  rules:\n    - {name: r}\n",
	    "13:7: rules: 'r': missing actions (names from alerts.actions)");
	expect_err(A HOOK "  rules:\n    - {actions: [hook]}\n",
	    "13:7: rules: rule 1: missing name");
	expect_err(A HOOK "  rules:\n    - {name: r, actions: hook}\n"
	    "    - {name: r, actions: hook}\n",
	    "14:7: rules: 'r' is the name of rule 1 already");
	expect_err(A HOOK "  rules:\n    - {name: r, actions: hook, match: "
	    "{severity: critcal}}\n",
	    "13:50: match: severity: expected info, warning or critical (the "
	    "least that matches) (did you mean 'critical'?)");
	expect_err(A HOOK "  rules:\n    - {name: r, actions: hook, match: "
	    "{source: [sel, pets]}}\n",
	    "13:48: match: source: 'pets': expected sel, pet, sensor, "
	    "unreachable or inventory (did you mean 'pet'?)");
	expect_err(A HOOK "  rules:\n    - {name: r, actions: hook, match: "
	    "{sweeps: 3}}\n",
	    "13:48: rules: 'r': sweeps is for source unreachable");
	expect_err(A HOOK "  rules:\n    - {name: r, actions: hook, match: "
	    "{targets: \"@rackC\"}}\n",
	    "13:49: targets: unknown group 'rackC' (did you mean 'rackA'?)");
	expect_err(A HOOK "  rules:\n    - {name: r, actions: hook, match: "
	    "{sevrity: warning}}\n",
	    "13:40: unknown key 'sevrity' (did you mean 'severity'?)");
	expect_err(A HOOK "  rules:\n    - {name: r, actions: hook, dedup: 5}\n",
	    "13:39: dedup: '5': a number needs its unit");
	expect_err(A HOOK "  rules:\n    - {name: r, actions: hook, "
	    "recovery: maybe}\n", "13:42: recovery: expected true or false");
}
END_TEST

/* deploy/bmcfleet.example.yaml's alerts: section, uncommented, loads */
START_TEST(example)
{
	char ex[PATH_MAX], line[512], *text;
	size_t len = 0, cap = 1 << 16;
	struct config c;
	FILE *f;
	int in = 0;

	snprintf(ex, sizeof(ex), "%s/deploy/bmcfleet.example.yaml",
	    getenv("TOP") ? getenv("TOP") : ".");
	ck_assert_ptr_nonnull(f = fopen(ex, "r"));
	ck_assert_ptr_nonnull(text = calloc(1, cap));
	len += (size_t)snprintf(text, cap,
	    "credentials:\n  default: {user: a, password_env: PW}\n"
	    "groups:\n  rack-a: {hosts: \"n[1-2]\"}\n"
	    "bmcs:\n  - {name: n3, labels: {role: db}}\n");
	while (fgets(line, sizeof(line), f) != NULL) {
		if (!strncmp(line, "# alerts:", 9))
			in = 1;
		if (!in || strncmp(line, "# ", 2) != 0)
			continue;
		ck_assert_uint_lt(len + strlen(line), cap);
		strcpy(text + len, line + 2);
		len += strlen(line + 2);
	}
	fclose(f);
	ck_assert_int_eq(in, 1);
	load_ok(&c, text);
	ck_assert_uint_eq(c.alerts.nactions, 3);
	ck_assert_uint_eq(c.alerts.nrules, 3);
	ck_assert_uint_eq(c.alerts.rules[0].nhosts, 3);
	ck_assert_uint_eq(c.alerts.rules[1].sweeps, 3);
	ck_assert_uint_eq(c.alerts.rules[2].sources, ALERT_SRC_INVENTORY);
	config_release(&c);
	free(text);
}
END_TEST

static Suite *
config_alerts_suite(void)
{
	Suite *s = suite_create("config_alerts");
	TCase *tc = tcase_create("alerts");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, none);
	tcase_add_test(tc, full);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, example);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(config_alerts_suite());
}
