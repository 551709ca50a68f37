#include <check.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/config.h"
#include "cli/workaround.h"
#include "ipmi/ipmi.h"
#include "ipmi/session.h"
#include "scheduler/plan.h"

static char dir[PATH_MAX];

static void
setup(void)
{
	strcpy(dir, "/tmp/test_config.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	unsetenv("BMCFLEET_DB");
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

static void
teardown(void)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write text to dir/name with mode; returns the path (static buffer). */
static const char *
put(const char *name, const char *text, mode_t mode)
{
	static char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

static void
load_ok(struct config *c, const char *text)
{
	char err[512] = "";
	const char *p = put("ok.yaml", text, 0644);

	ck_assert_msg(config_load(c, p, err, sizeof(err)) == 0, "load: %s",
	    err);
}

/*
 * Load text and expect "PATH:" followed by want, exactly, at the start of
 * the error (want holds "LINE:COL: message" or a prefix of it).
 */
static void
expect_err_mode(const char *text, mode_t mode, const char *want)
{
	struct config c;
	char err[512] = "", head[PATH_MAX + 80];
	const char *p = put("bad.yaml", text, mode);

	ck_assert_msg(config_load(&c, p, err, sizeof(err)) == -1,
	    "loaded, want error '%s'", want);
	snprintf(head, sizeof(head), "%s:%s", p, want);
	ck_assert_msg(strncmp(err, head, strlen(head)) == 0,
	    "error '%s', want '%s'", err, head);
	/* a failed load leaves nothing behind, and release is harmless */
	ck_assert_ptr_null(c.bmcs);
	ck_assert_ptr_null(c.priv);
	config_release(&c);
}

static void
expect_err(const char *text, const char *want)
{
	expect_err_mode(text, 0644, want);
}

static const struct config_bmc *
bmc(const struct config *c, const char *name)
{
	long i = config_bmc_find(c, name);

	ck_assert_msg(i >= 0, "no bmc '%s'", name);
	return &c->bmcs[i];
}

/* "g1,g2" of b's groups */
static const char *
groups_of(const struct config *c, const struct config_bmc *b)
{
	static char buf[256];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < b->ngroups; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
		    i ? "," : "", c->groups[b->groups[i]].name);
	return buf;
}

/* "k=v,k=v" of b's labels */
static const char *
labels_of(const struct config_bmc *b)
{
	static char buf[256];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < b->nlabels; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s=%s",
		    i ? "," : "", b->labels[i].key, b->labels[i].value);
	return buf;
}

/* The spec's example, with the inline credential; written 0600. */
static const char spec_yaml[] =
"database: \"host=/var/lib/bmcfleet/pg dbname=bmcfleet\"\n"
"credentials:\n"
"  default: {user: admin, password_file: /etc/bmcfleet/admin.pw}\n"
"  lab:     {user: ops, password_env: LAB_BMC_PASSWORD}\n"
"  inline:  {user: x, password: \"s3cret-inline\"}\n"
"defaults:\n"
"  credential: default\n"
"  interface: lanplus\n"
"  cipher_suite: auto\n"
"  privilege: admin\n"
"  timeout: 1s\n"
"  retries: 3\n"
"  insecure: false\n"
"  workarounds: []\n"
"  port: 623\n"
"groups:\n"
"  compute: {hosts: \"node[001-120]\", labels: {rack: r12, role: compute},"
" settings: {privilege: operator}}\n"
"  storage: {hosts: [\"stor01\", \"stor02\"], credential: lab}\n"
"bmcs:\n"
"  - {name: node001, address: 10.1.0.1}\n"
"  - {hosts: \"10.1.2.[1-40]\", groups: [compute], labels: {rack: r13}}\n"
"collector:\n"
"  concurrency: 256\n"
"  sweep_interval: 5m\n"
"  sel_interval: 1m\n"
"  fru_interval: 24h\n"
"  sdr_interval: 24h\n"
"  min_gap: 0ms\n"
"  spool_dir: /var/lib/bmcfleet/spool\n"
"  spool_max: 1GiB\n"
"  retention_days: 30\n"
"  lease: 10m\n";

START_TEST(load_spec_example)
{
	struct config c;
	const struct config_bmc *b;
	char err[512] = "";
	const char *p = put("spec.yaml", spec_yaml, 0600);
	size_t n;

	ck_assert_msg(config_load(&c, p, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.path, p);
	ck_assert_str_eq(c.database,
	    "host=/var/lib/bmcfleet/pg dbname=bmcfleet");
	ck_assert_int_eq(c.database_from_env, 0);
	ck_assert_uint_eq(c.ncreds, 3);
	ck_assert_uint_eq(c.ngroups, 2);
	/* 120 compute nodes, 2 storage, 40 by address; node001 only once */
	ck_assert_uint_eq(c.nbmcs, 162);
	ck_assert_ptr_eq(config_bmcs(&c, &n), c.bmcs);
	ck_assert_uint_eq(n, 162);
	ck_assert_uint_eq(c.groups[0].nmembers, 160);
	ck_assert_uint_eq(c.groups[1].nmembers, 2);

	b = bmc(&c, "node001");
	ck_assert_str_eq(b->address, "10.1.0.1");
	ck_assert_str_eq(groups_of(&c, b), "compute");
	ck_assert_str_eq(labels_of(b), "rack=r12,role=compute");
	ck_assert_uint_eq(b->s.priv, IPMI_PRIV_OPERATOR);
	ck_assert_str_eq(config_bmc_credential(&c, b)->name, "default");
	ck_assert_uint_eq(b->line, 20);
	ck_assert_uint_eq(b->col, 5);

	b = bmc(&c, "node120");
	ck_assert_str_eq(b->address, "node120");
	ck_assert_uint_eq(b->line, 17);
	ck_assert_uint_eq(b->col, 20);

	b = bmc(&c, "10.1.2.40");
	ck_assert_str_eq(b->address, "10.1.2.40");
	ck_assert_str_eq(labels_of(b), "rack=r13,role=compute");
	ck_assert_str_eq(config_bmc_label(b, "rack"), "r13");
	ck_assert_ptr_null(config_bmc_label(b, "row"));
	ck_assert_uint_eq(b->s.priv, IPMI_PRIV_OPERATOR);
	ck_assert_uint_eq(b->s.iface, IPMI_IFACE_LANPLUS);
	ck_assert_int_eq(b->s.cipher_suite, IPMI_SUITE_AUTO);
	ck_assert_uint_eq(b->s.timeout_ms, 1000);
	ck_assert_uint_eq(b->s.retries, 3);
	ck_assert_uint_eq(b->s.port, 623);
	ck_assert_uint_eq(b->s.insecure, 0);
	ck_assert_uint_eq(b->s.workarounds, 0);

	b = bmc(&c, "stor02");
	ck_assert_str_eq(config_bmc_credential(&c, b)->name, "lab");
	ck_assert_str_eq(config_bmc_credential(&c, b)->user, "ops");
	ck_assert_str_eq(config_bmc_credential(&c, b)->password_env,
	    "LAB_BMC_PASSWORD");
	ck_assert_uint_eq(b->s.priv, IPMI_PRIV_ADMIN);
	ck_assert_uint_eq(b->nlabels, 0);

	/* natural order: addresses, then node001 < node002 < node120 */
	ck_assert_str_eq(c.bmcs[0].name, "10.1.2.1");
	ck_assert_str_eq(c.bmcs[1].name, "10.1.2.2");
	ck_assert_str_eq(c.bmcs[40].name, "node001");
	ck_assert_str_eq(c.bmcs[161].name, "stor02");

	ck_assert_uint_eq(c.collector.concurrency, 256);
	ck_assert_uint_eq(c.collector.sweep_interval_ms, 300000);
	ck_assert_uint_eq(c.collector.sel_interval_ms, 60000);
	ck_assert_uint_eq(c.collector.fru_interval_ms, 86400000);
	ck_assert_uint_eq(c.collector.sdr_interval_ms, 86400000);
	ck_assert_uint_eq(c.collector.min_gap_ms, 0);
	ck_assert_str_eq(c.collector.spool_dir, "/var/lib/bmcfleet/spool");
	ck_assert_uint_eq(c.collector.spool_max, 1ULL << 30);
	ck_assert_uint_eq(c.collector.retention_days, 30);
	ck_assert_uint_eq(c.collector.lease_ms, 600000);

	/* the password file is only a path until it is needed */
	ck_assert_str_eq(c.creds[0].password_file, "/etc/bmcfleet/admin.pw");
	ck_assert_ptr_null(c.creds[0].password);
	config_release(&c);
	ck_assert_ptr_null(c.bmcs);
	config_release(&c);
}
END_TEST

START_TEST(load_defaults_and_empty)
{
	struct config c;

	load_ok(&c, "");
	ck_assert_uint_eq(c.nbmcs, 0);
	ck_assert_ptr_null(c.database);
	ck_assert_uint_eq(c.defaults.port, 623);
	ck_assert_uint_eq(c.defaults.timeout_ms, 1000);
	ck_assert_uint_eq(c.defaults.retries, 3);
	ck_assert_uint_eq(c.defaults.priv, IPMI_PRIV_ADMIN);
	ck_assert_uint_eq(c.defaults.iface, IPMI_IFACE_LANPLUS);
	ck_assert_int_eq(c.defaults.cipher_suite, IPMI_SUITE_AUTO);
	ck_assert_uint_eq(c.defaults.credential, CONFIG_NO_CREDENTIAL);
	ck_assert_uint_eq(c.collector.concurrency, 256);
	ck_assert_uint_eq(c.collector.spool_max, 1ULL << 30);
	ck_assert_str_eq(c.collector.spool_dir, "/var/lib/bmcfleet/spool");
	ck_assert_uint_eq(c.power.default_watts, 500);
	ck_assert_uint_eq(c.power.inrush_pct, 30);
	ck_assert_uint_eq(c.power.nmodels, 0);
	ck_assert_uint_eq(config_model_watts(&c, 674, 256), 0);
	ck_assert_uint_eq(c.scheduler.confirm_limit, 50);
	ck_assert_uint_eq(c.scheduler.poll_interval_ms, 2000);
	ck_assert_ptr_null(c.scheduler.webhook.url);
	ck_assert_ptr_null(c.scheduler.webhook.token_file);
	ck_assert_ptr_null(c.scheduler.webhook.token_env);
	config_release(&c);

	/* empty sections are fine; "default" is the default credential */
	load_ok(&c, "credentials:\n"
	    "  default: {user: a, password_env: X}\n"
	    "defaults:\ngroups:\nbmcs:\ncollector:\npower:\nscheduler:\n");
	ck_assert_uint_eq(c.power.default_watts, 500);
	ck_assert_uint_eq(c.scheduler.confirm_limit, 50);
	ck_assert_uint_eq(c.defaults.credential, 0);
	ck_assert_uint_eq(c.nbmcs, 0);
	config_release(&c);
}
END_TEST

START_TEST(load_env_database)
{
	struct config c;

	setenv("BMCFLEET_DB", "dbname=other", 1);
	load_ok(&c, "database: dbname=fleet\n");
	ck_assert_str_eq(c.database, "dbname=other");
	ck_assert_int_eq(c.database_from_env, 1);
	config_release(&c);
	load_ok(&c, "bmcs: []\n");
	ck_assert_str_eq(c.database, "dbname=other");
	config_release(&c);
	unsetenv("BMCFLEET_DB");
	load_ok(&c, "database: dbname=fleet\n");
	ck_assert_str_eq(c.database, "dbname=fleet");
	ck_assert_int_eq(c.database_from_env, 0);
	config_release(&c);
}
END_TEST

START_TEST(load_values)
{
	struct config c;
	const struct config_bmc *b;

	load_ok(&c, "credentials: {default: {user: a, password_env: X}}\n"
	    "defaults:\n"
	    "  timeout: 2s\n"
	    "  workarounds: [no-name-lookup, ignore-seq-reset, sun20]\n"
	    "  cipher_suite: 17\n"
	    "  interface: lan\n"
	    "  insecure: yes\n"
	    "bmcs: [h1]\n"
	    "collector:\n"
	    "  sweep_interval: 1h30m\n"
	    "  sel_interval: 1.5s\n"
	    "  fru_interval: 7d\n"
	    "  sdr_interval: 90s\n"
	    "  min_gap: 20ms\n"
	    "  spool_max: 512MiB\n"
	    "  lease: 1m\n"
	    "  concurrency: 1\n"
	    "  retention_days: 365\n");
	b = bmc(&c, "h1");
	ck_assert_uint_eq(b->s.timeout_ms, 2000);
	ck_assert_uint_eq(b->s.workarounds, WA_NO_NAME_LOOKUP |
	    WA_IGNORE_SEQ_RESET | WA_SUN20);
	ck_assert_int_eq(b->s.cipher_suite, 17);
	ck_assert_uint_eq(b->s.iface, IPMI_IFACE_LAN);
	ck_assert_uint_eq(b->s.insecure, 1);
	ck_assert_uint_eq(c.collector.sweep_interval_ms, 5400000);
	ck_assert_uint_eq(c.collector.sel_interval_ms, 1500);
	ck_assert_uint_eq(c.collector.fru_interval_ms, 7 * 86400000ULL);
	ck_assert_uint_eq(c.collector.sdr_interval_ms, 90000);
	ck_assert_uint_eq(c.collector.min_gap_ms, 20);
	ck_assert_uint_eq(c.collector.spool_max, 512ULL << 20);
	ck_assert_uint_eq(c.collector.lease_ms, 60000);
	ck_assert_uint_eq(c.collector.concurrency, 1);
	ck_assert_uint_eq(c.collector.retention_days, 365);
	config_release(&c);

	load_ok(&c, "collector: {spool_max: 2000000000, min_gap: 500ms}\n");
	ck_assert_uint_eq(c.collector.spool_max, 2000000000ULL);
	ck_assert_uint_eq(c.collector.min_gap_ms, 500);
	config_release(&c);
	/* the trap listener: default, an address, off */
	load_ok(&c, "collector: {concurrency: 2}\n");
	ck_assert_ptr_null(c.collector.trap_listen);
	ck_assert_int_eq(c.collector.traps_off, 0);
	ck_assert_int_eq(c.collector.trap_guid_check, 1);
	config_release(&c);
	load_ok(&c, "collector:\n  traps: {listen: \"127.0.0.1:10162\", "
	    "guid_check: off}\n");
	ck_assert_str_eq(c.collector.trap_listen, "127.0.0.1:10162");
	ck_assert_int_eq(c.collector.traps_off, 0);
	ck_assert_int_eq(c.collector.trap_guid_check, 0);
	config_release(&c);
	load_ok(&c, "collector:\n  traps: {listen: off}\n");
	ck_assert_int_eq(c.collector.traps_off, 1);
	config_release(&c);
	load_ok(&c, "collector: {spool_max: 10GB}\n");
	ck_assert_uint_eq(c.collector.spool_max, 10000000000ULL);
	config_release(&c);
	/* zero is zero in every unit: the one bare number taken */
	load_ok(&c, "collector: {min_gap: 0}\n");
	ck_assert_uint_eq(c.collector.min_gap_ms, 0);
	config_release(&c);
}
END_TEST

/* defaults < each group in file order < the entry, for settings and labels */
START_TEST(merge_precedence)
{
	struct config c;
	const struct config_bmc *b;

	load_ok(&c,
	    "credentials:\n"
	    "  default: {user: a, password_env: A}\n"
	    "  g1cred: {user: b, password_env: B}\n"
	    "  own: {user: c, password_env: C}\n"
	    "defaults:\n"
	    "  timeout: 5s\n"
	    "  retries: 1\n"
	    "  port: 1000\n"
	    "  workarounds: [authcap]\n"
	    "  labels: {site: s1, rack: r0, row: w0}\n"
	    "groups:\n"
	    "  first:\n"
	    "    labels: {rack: r1, tier: t1}\n"
	    "    settings: {retries: 2, port: 2000, credential: g1cred}\n"
	    "  second:\n"
	    "    labels: {rack: r2}\n"
	    "    retries: 4\n"
	    "    workarounds: [no-dcmi]\n"
	    "bmcs:\n"
	    "  - {name: both, groups: [second, first], labels: {row: w9}}\n"
	    "  - {name: own, groups: [second, first], port: 3000,\n"
	    "     settings: {credential: own, workarounds: []},\n"
	    "     labels: {rack: r9}}\n"
	    "  - {name: none}\n"
	    "  - {name: one, groups: first}\n");
	b = bmc(&c, "both");
	/* second is written after first, so it wins whatever the entry says */
	ck_assert_str_eq(groups_of(&c, b), "first,second");
	ck_assert_uint_eq(b->s.retries, 4);
	ck_assert_uint_eq(b->s.port, 2000);
	ck_assert_uint_eq(b->s.timeout_ms, 5000);
	ck_assert_uint_eq(b->s.workarounds, WA_NO_DCMI);
	ck_assert_str_eq(config_bmc_credential(&c, b)->name, "g1cred");
	ck_assert_str_eq(labels_of(b), "rack=r2,row=w9,site=s1,tier=t1");

	b = bmc(&c, "own");
	ck_assert_uint_eq(b->s.port, 3000);
	ck_assert_uint_eq(b->s.retries, 4);
	ck_assert_uint_eq(b->s.workarounds, 0);
	ck_assert_str_eq(config_bmc_credential(&c, b)->name, "own");
	ck_assert_str_eq(labels_of(b), "rack=r9,row=w0,site=s1,tier=t1");

	b = bmc(&c, "none");
	ck_assert_uint_eq(b->ngroups, 0);
	ck_assert_uint_eq(b->s.port, 1000);
	ck_assert_uint_eq(b->s.retries, 1);
	ck_assert_uint_eq(b->s.workarounds, WA_AUTHCAP);
	ck_assert_str_eq(config_bmc_credential(&c, b)->name, "default");
	ck_assert_str_eq(labels_of(b), "rack=r0,row=w0,site=s1");

	b = bmc(&c, "one");
	ck_assert_str_eq(groups_of(&c, b), "first");
	ck_assert_uint_eq(b->s.retries, 2);
	ck_assert_str_eq(labels_of(b), "rack=r1,row=w0,site=s1,tier=t1");
	ck_assert_uint_eq(c.groups[0].nmembers, 3);
	ck_assert_uint_eq(c.groups[1].nmembers, 2);
	config_release(&c);
}
END_TEST

START_TEST(host_ranges)
{
	struct config c;
	const struct config_bmc *b;

	load_ok(&c,
	    "credentials: {default: {user: a, password_env: A}}\n"
	    "groups:\n"
	    "  g: {hosts: [\"r[1-2]n[01-02]\", \"x1\"], labels: {k: v}}\n"
	    "  h: {hosts: \"r1n01,x[1-2]\"}\n"
	    "bmcs:\n"
	    "  - r2n02\n"
	    "  - {hosts: [\"y[8-10]\", \"z\"], labels: {k: w}}\n"
	    "  - {name: x2, address: \"fe80::2\", groups: [g]}\n");
	/* r1n01 r1n02 r2n01 r2n02 x1 x2 y8 y9 y10 z */
	ck_assert_uint_eq(c.nbmcs, 10);
	ck_assert_str_eq(c.bmcs[0].name, "r1n01");
	ck_assert_str_eq(c.bmcs[6].name, "y8");
	ck_assert_str_eq(c.bmcs[8].name, "y10");
	ck_assert_str_eq(groups_of(&c, bmc(&c, "r1n01")), "g,h");
	ck_assert_str_eq(groups_of(&c, bmc(&c, "x1")), "g,h");
	b = bmc(&c, "x2");
	ck_assert_str_eq(groups_of(&c, b), "g,h");
	ck_assert_str_eq(b->address, "fe80::2");
	ck_assert_str_eq(labels_of(b), "k=v");
	/* the entry for r2n02 adds it to nothing, and keeps g's labels */
	ck_assert_str_eq(groups_of(&c, bmc(&c, "r2n02")), "g");
	ck_assert_str_eq(labels_of(bmc(&c, "y9")), "k=w");
	ck_assert_uint_eq(bmc(&c, "z")->ngroups, 0);
	ck_assert_int_eq(config_bmc_find(&c, "y11"), -1);
	ck_assert_int_eq(config_group_find(&c, "h"), 1);
	ck_assert_int_eq(config_group_find(&c, "all"), -1);
	ck_assert_int_eq(config_credential_find(&c, "default"), 0);
	config_release(&c);
}
END_TEST

START_TEST(power_and_scheduler)
{
	struct config c;
	char want[PATH_MAX + 64];

	load_ok(&c,
	    "power:\n"
	    "  default_watts: 1.2kW\n"
	    "  inrush: 45%\n"
	    "  models:\n"
	    "    \"674:256\": 350\n"
	    "    \"674:255\": 300W\n"
	    "    \"10876:2\": 1.5kW\n"
	    "    \"0:0\": 1\n"
	    "    \"1048575:65535\": 100kW\n"
	    "    \"343:4\": 200\n"
	    "scheduler:\n"
	    "  confirm_limit: 0\n"
	    "  poll_interval: 500ms\n"
	    "  webhook:\n"
	    "    url: \"https://hooks.example.net/bmcfleet?x=1\"\n"
	    "    token_file: secrets/hook.token\n");
	ck_assert_uint_eq(c.power.default_watts, 1200);
	ck_assert_uint_eq(c.power.inrush_pct, 45);
	ck_assert_uint_eq(c.power.nmodels, 6);
	/* sorted by manufacturer, then product */
	ck_assert_uint_eq(c.power.models[0].manufacturer, 0);
	ck_assert_uint_eq(c.power.models[1].manufacturer, 343);
	ck_assert_uint_eq(c.power.models[2].product, 255);
	ck_assert_uint_eq(c.power.models[3].product, 256);
	ck_assert_uint_eq(config_model_watts(&c, 674, 256), 350);
	ck_assert_uint_eq(config_model_watts(&c, 674, 255), 300);
	ck_assert_uint_eq(config_model_watts(&c, 10876, 2), 1500);
	ck_assert_uint_eq(config_model_watts(&c, 0, 0), 1);
	ck_assert_uint_eq(config_model_watts(&c, 1048575, 65535), 100000);
	ck_assert_uint_eq(config_model_watts(&c, 343, 4), 200);
	/* unknown models, and neighbours of known ones */
	ck_assert_uint_eq(config_model_watts(&c, 674, 257), 0);
	ck_assert_uint_eq(config_model_watts(&c, 675, 256), 0);
	ck_assert_uint_eq(config_model_watts(&c, 343, 0), 0);
	ck_assert_uint_eq(config_model_watts(&c, 2000000, 1), 0);
	ck_assert_uint_eq(c.scheduler.confirm_limit, 0);
	ck_assert_uint_eq(c.scheduler.poll_interval_ms, 500);
	ck_assert_str_eq(c.scheduler.webhook.url,
	    "https://hooks.example.net/bmcfleet?x=1");
	/* relative to the config file's directory */
	snprintf(want, sizeof(want), "%s/secrets/hook.token", dir);
	ck_assert_str_eq(c.scheduler.webhook.token_file, want);
	ck_assert_ptr_null(c.scheduler.webhook.token_env);
	config_release(&c);

	load_ok(&c, "power: {default_watts: 750W, inrush: 0, models: {}}\n"
	    "scheduler:\n"
	    "  confirm_limit: 1000000\n"
	    "  poll_interval: 1m\n"
	    "  webhook: {url: \"http://127.0.0.1:8080/\", token_env: "
	    "HOOK_TOKEN}\n");
	ck_assert_uint_eq(c.power.default_watts, 750);
	ck_assert_uint_eq(c.power.inrush_pct, 0);
	ck_assert_uint_eq(c.power.nmodels, 0);
	ck_assert_uint_eq(c.scheduler.confirm_limit, 1000000);
	ck_assert_uint_eq(c.scheduler.poll_interval_ms, 60000);
	ck_assert_str_eq(c.scheduler.webhook.url, "http://127.0.0.1:8080/");
	ck_assert_str_eq(c.scheduler.webhook.token_env, "HOOK_TOKEN");
	ck_assert_ptr_null(c.scheduler.webhook.token_file);
	config_release(&c);

	/* a webhook without a token; webhook: null is none */
	load_ok(&c, "scheduler: {webhook: {url: \"https://h/\"}}\n");
	ck_assert_str_eq(c.scheduler.webhook.url, "https://h/");
	ck_assert_ptr_null(c.scheduler.webhook.token_file);
	config_release(&c);
	load_ok(&c, "scheduler: {webhook: }\n");
	ck_assert_ptr_null(c.scheduler.webhook.url);
	config_release(&c);
}
END_TEST

/* http: the listener's address, TLS files both or neither, a 0600 token */
START_TEST(http_section)
{
	struct config c;
	char err[512] = "", tok[64], want[PATH_MAX + 200];

	load_ok(&c, "database: \"dbname=x\"\n");
	ck_assert_ptr_null(c.http.listen);
	ck_assert_int_eq(config_http_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), 0);
	config_release(&c);

	put("http.token", "s3cret-token\n", 0600);
	put("loose-http.token", "s3cret-token\n", 0644);
	load_ok(&c, "http:\n"
	    "  listen: \"[::1]:9290\"\n"
	    "  tls_cert: tls/cert.pem\n"
	    "  tls_key: /etc/bmcfleet/key.pem\n"
	    "  token_file: http.token\n");
	ck_assert_str_eq(c.http.listen, "[::1]:9290");
	snprintf(want, sizeof(want), "%s/tls/cert.pem", dir);
	ck_assert_str_eq(c.http.tls_cert, want);
	ck_assert_str_eq(c.http.tls_key, "/etc/bmcfleet/key.pem");
	ck_assert_int_eq(config_http_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), 12);
	ck_assert_str_eq(tok, "s3cret-token");
	config_release(&c);

	load_ok(&c, "http: {listen: \"127.0.0.1:9290\", token_file: "
	    "loose-http.token}\n");
	ck_assert_str_eq(c.http.listen, "127.0.0.1:9290");
	ck_assert_ptr_null(c.http.tls_cert);
	ck_assert_int_eq(config_http_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
	config_release(&c);

	expect_err("http: {listen: 127.0.0.1}\n", "1:16: http: listen: "
	    "expected ADDR:PORT");
	expect_err("http: {listen: \"127.0.0.1:70000\"}\n", "1:16: http: "
	    "listen: expected ADDR:PORT");
	expect_err("http: {listen: \"h:9290\", tls_cert: c.pem}\n",
	    "1:36: http: give both tls_cert and tls_key");
	expect_err("http: {listen: \"h:9290\", token: abc}\n", "1:");
}
END_TEST

START_TEST(webhook_token)
{
	struct config c;
	char err[512] = "", tok[16], want[PATH_MAX + 200];

	put("hook.token", "t0ken\nsecond line\n", 0600);
	put("loose.token", "loosetoken\n", 0640);
	put("exact.token", "fifteen-bytes-x", 0400);
	put("long.token", "sixteen-bytes-xx\n", 0600);

	load_ok(&c, "scheduler: {webhook: {url: \"https://h/\", token_file: "
	    "hook.token}}\n");
	ck_assert_int_eq(config_webhook_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), 5);
	ck_assert_str_eq(tok, "t0ken");
	config_release(&c);

	load_ok(&c, "scheduler: {webhook: {url: \"https://h/\", token_file: "
	    "exact.token}}\n");
	ck_assert_int_eq(config_webhook_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), 15);
	ck_assert_str_eq(tok, "fifteen-bytes-x");
	config_release(&c);

	load_ok(&c, "scheduler: {webhook: {url: \"https://h/\", token_file: "
	    "long.token}}\n");
	ck_assert_int_eq(config_webhook_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), -1);
	snprintf(want, sizeof(want), "webhook: token_file %s/long.token: "
	    "first line longer than 15 bytes", dir);
	ck_assert_str_eq(err, want);
	config_release(&c);

	load_ok(&c, "scheduler: {webhook: {url: \"https://h/\", token_file: "
	    "loose.token}}\n");
	ck_assert_int_eq(config_webhook_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), -1);
	snprintf(want, sizeof(want), "webhook: token_file %s/loose.token is "
	    "mode 0640, readable or writable by group or others; chmod 600 "
	    "it", dir);
	ck_assert_str_eq(err, want);
	ck_assert_str_eq(tok, "");
	config_release(&c);

	load_ok(&c, "scheduler: {webhook: {url: \"https://h/\", token_file: "
	    "/nonexistent/token}}\n");
	ck_assert_int_eq(config_webhook_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "webhook: token_file /nonexistent/token: No "
	    "such file or directory");
	config_release(&c);

	load_ok(&c, "scheduler: {webhook: {url: \"https://h/\", token_env: "
	    "TEST_CONFIG_TOKEN}}\n");
	unsetenv("TEST_CONFIG_TOKEN");
	ck_assert_int_eq(config_webhook_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "webhook: environment variable "
	    "TEST_CONFIG_TOKEN is not set");
	setenv("TEST_CONFIG_TOKEN", "envtoken", 1);
	ck_assert_int_eq(config_webhook_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), 8);
	ck_assert_str_eq(tok, "envtoken");
	setenv("TEST_CONFIG_TOKEN", "a-token-too-long-for-16", 1);
	ck_assert_int_eq(config_webhook_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "webhook: the token in TEST_CONFIG_TOKEN is "
	    "longer than 15 bytes");
	unsetenv("TEST_CONFIG_TOKEN");
	config_release(&c);

	/* no token configured: an empty one */
	load_ok(&c, "scheduler: {webhook: {url: \"https://h/\"}}\n");
	strcpy(tok, "x");
	ck_assert_int_eq(config_webhook_token(&c, tok, sizeof(tok), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(tok, "");
	config_release(&c);
}
END_TEST

struct bad {
	const char	*yaml;
	const char	*want;	/* "LINE:COL: message" */
};

#define CRED	"credentials: {default: {user: a, password_env: A}}\n"

static const struct bad bad[] = {
	/* syntax */
	{ "bmcs: [a\n", "2:1: did not find expected ',' or ']' (while "
	  "parsing a flow sequence at line 1, column 7)" },
	{ "a: 1\n\tb: 2\n", "2:1: a tab is not allowed in YAML indentation; "
	  "use spaces" },
	{ "collector:\n\tconcurrency: 2\n", "2:1: a tab is not allowed in "
	  "YAML indentation; use spaces" },
	{ "- a\n- b\n", "1:1: the top level: expected a mapping (key: value)" },
	/* unknown keys, close and not */
	{ "bmc: []\n", "1:1: unknown key 'bmc' (did you mean 'bmcs'?)" },
	{ "defaults:\n  cipher: 3\n",
	  "2:3: unknown key 'cipher' (did you mean 'cipher_suite'?)" },
	{ "defaults:\n  privlege: user\n",
	  "2:3: unknown key 'privlege' (did you mean 'privilege'?)" },
	{ "collector: {sweep: 5m}\n",
	  "1:13: unknown key 'sweep' (did you mean 'sweep_interval'?)" },
	{ "collector: {zzz: 1}\n",
	  "1:13: unknown key 'zzz' in collector (expected concurrency, "
	  "sweep_interval," },
	{ CRED "groups: {g: {host: x}}\n",
	  "2:14: unknown key 'host' (did you mean 'hosts'?)" },
	{ CRED "bmcs:\n  - {nmae: x}\n",
	  "3:6: unknown key 'nmae' (did you mean 'name'?)" },
	{ CRED "bmcs:\n  - {name: x, settings: {timeout: 1s, prt: 1}}\n",
	  "3:39: unknown key 'prt' (did you mean 'port'?)" },
	{ "credentials: {a: {user: u, passwd_file: f}}\n",
	  "1:28: unknown key 'passwd_file' (did you mean 'password_file'?)" },
	{ CRED "groups:\n  g: {retries: 1, settings: {retries: 2}}\n",
	  "3:39: retries: given twice (directly and under settings:)" },
	{ CRED "bmcs:\n  - {name: a, settings: {port: 1}, port: 2}\n",
	  "3:42: port: given twice (directly and under settings:)" },
	{ "defaults:\n  port: 1\n  port: 2\n",
	  "3:3: duplicate key 'port' (first at line 2, column 3)" },
	/* types and values */
	{ "defaults: {timeout: fast}\n",
	  "1:21: timeout: 'fast': expected a duration like 500ms, 30s, 5m, "
	  "1h30m or 2d (10ms to 10m)" },
	{ "defaults: {timeout: 5x}\n",
	  "1:21: timeout: '5x': expected a duration like 500ms, 30s" },
	{ "defaults: {timeout: 11m}\n",
	  "1:21: timeout: '11m': expected 10ms to 10m" },
	/* a bare number was seconds, silently: now it needs its unit */
	{ "defaults: {timeout: 500}\n",
	  "1:21: timeout: '500': a number needs its unit (ms, s, m, h, d, w), "
	  "like 500ms, 30s, 5m, 1h30m or 2d (10ms to 10m)" },
	{ "collector:\n  sweep_interval: soon\n",
	  "2:19: sweep_interval: 'soon': expected a duration like 500ms" },
	{ "collector:\n  sweep_interval: 300\n",
	  "2:19: sweep_interval: '300': a number needs its unit" },
	{ "collector:\n  traps: {guid_check: maybe}\n",
	  "2:23: guid_check: expected on or off" },
	{ "collector:\n  traps: {lisen: 1.2.3.4}\n",
	  "2:11: unknown key 'lisen' (did you mean 'listen'?)" },
	{ "collector:\n  sel_interval: 60\n",
	  "2:17: sel_interval: '60': a number needs its unit" },
	{ "collector:\n  fru_interval: 86400\n",
	  "2:17: fru_interval: '86400': a number needs its unit" },
	{ "collector:\n  sdr_interval: 1\n",
	  "2:17: sdr_interval: '1': a number needs its unit" },
	{ "collector:\n  suite_recheck: 3600\n",
	  "2:18: suite_recheck: '3600': a number needs its unit" },
	{ "collector:\n  host_deadline: 60\n",
	  "2:18: host_deadline: '60': a number needs its unit" },
	{ "collector:\n  db_timeout: 30\n",
	  "2:15: db_timeout: '30': a number needs its unit" },
	{ "collector:\n  min_gap: 20\n",
	  "2:12: min_gap: '20': a number needs its unit (ms, s, m, h, d, w), "
	  "like 500ms, 30s, 5m, 1h30m or 2d (0s to 1m)" },
	{ "collector:\n  lease: 5mm\n",
	  "2:10: lease: '5mm': expected a duration like 500ms" },
	{ "collector:\n  lease: 300\n",
	  "2:10: lease: '300': a number needs its unit" },
	{ "collector:\n  min_gap: [1]\n",
	  "2:12: min_gap: expected a duration like 500ms, 30s, 5m, 1h30m or "
	  "2d (0s to 1m)" },
	{ "scheduler:\n  poll_interval: 500\n",
	  "2:18: poll_interval: '500': a number needs its unit" },
	{ "collector:\n  spool_max: lots\n",
	  "2:14: spool_max: expected a size like 512MiB, 1GiB or bytes" },
	{ "collector:\n  spool_max: 1KiB\n",
	  "2:14: spool_max: expected a size like 512MiB" },
	{ "collector:\n  concurrency: 0\n",
	  "2:16: concurrency: expected a number 1..65536" },
	{ "collector:\n  retention_days: -1\n",
	  "2:19: retention_days: expected a number of days" },
	{ "defaults: {privilege: root}\n",
	  "1:23: privilege: expected user, operator or admin" },
	{ "defaults: {interface: lan2}\n",
	  "1:23: interface: expected lan (IPMI v1.5) or lanplus" },
	{ "defaults: {cipher_suite: 42}\n",
	  "1:26: cipher_suite: expected auto or a number 0..19" },
	{ "defaults: {cipher_suite: 4}\n",
	  "1:26: cipher_suite: suite 4 is not supported" },
	{ "defaults: {port: 70000}\n",
	  "1:18: port: expected a UDP port 1..65535" },
	{ "defaults: {retries: many}\n",
	  "1:21: retries: expected a number 0..20" },
	{ "defaults: {insecure: maybe}\n",
	  "1:22: insecure: expected true or false" },
	{ "defaults: {workarounds: no-dcmi}\n",
	  "1:25: workarounds: expected a list of names" },
	{ "defaults: {workarounds: [no-name-lookups]}\n",
	  "1:26: unknown workaround 'no-name-lookups' (did you mean "
	  "'no-name-lookup'?)" },
	{ "defaults: {workarounds: [frobnicate]}\n",
	  "1:26: unknown workaround 'frobnicate' (known: no-name-lookup," },
	{ "defaults: {labels: {rack: r 12}}\n",
	  "1:27: label 'rack': expected a value without spaces, commas or "
	  "'+'" },
	/* '+' joins TARGETS: no label value or BMC name may hold one */
	{ "defaults: {labels: {rack: r1+r2}}\n",
	  "1:27: label 'rack': expected a value without spaces, commas or "
	  "'+'" },
	{ "defaults: {labels: {\"ra ck\": r12}}\n",
	  "1:21: label name 'ra ck': expected letters" },
	{ "database: {host: x}\n",
	  "1:11: database: expected a libpq conninfo string" },
	{ "defaults: []\n", "1:11: defaults: expected a mapping" },
	/* references */
	{ "credentials:\n  lab: {user: a, password_env: A}\n"
	  "defaults: {credential: labb}\n",
	  "3:24: unknown credential 'labb' (did you mean 'lab'?)" },
	{ "credentials:\n  lab: {user: a, password_env: A}\n"
	  "groups: {g: {credential: nope}}\n",
	  "3:26: unknown credential 'nope' (not in credentials)" },
	{ CRED "groups: {compute: {}}\nbmcs:\n  - {name: a, groups: "
	  "[comptue]}\n",
	  "4:24: unknown group 'comptue' (did you mean 'compute'?)" },
	{ CRED "bmcs:\n  - {name: a, groups: [nope]}\n",
	  "3:24: unknown group 'nope' (not in groups)" },
	{ "bmcs:\n  - {name: a}\n",
	  "2:5: bmc 'a' has no credential" },
	/* BMCs */
	{ CRED "bmcs:\n  - {hosts: \"n[1-9]\"}\n  - {name: n5}\n",
	  "4:5: bmc 'n5' is already defined at " },
	{ CRED "bmcs:\n  - \"n[1-3],n2\"\n",
	  "3:5: bmc 'n2' is listed twice in this entry" },
	{ CRED "bmcs:\n  - {address: 1.2.3.4}\n",
	  "3:5: a bmcs entry needs either name (one BMC) or hosts (a host "
	  "list), not neither" },
	{ CRED "bmcs:\n  - {name: a, hosts: b}\n",
	  "3:5: a bmcs entry needs either name (one BMC) or hosts (a host "
	  "list), not both" },
	{ CRED "bmcs:\n  - {hosts: \"a[1-2]\", address: 1.2.3.4}\n",
	  "3:32: address: only with name" },
	{ CRED "bmcs:\n  - {hosts: \"node[3-1]\"}\n",
	  "3:13: hostlist 'node[3-1]': range end before start" },
	{ CRED "groups:\n  g: {hosts: \"a[1-\"}\n",
	  "3:14: hostlist 'a[1-'" },
	{ CRED "bmcs:\n  - {name: \"host:623\"}\n",
	  "3:12: name 'host:623' holds a port: give it with 'port:'" },
	{ CRED "bmcs:\n  - {name: \"@x\"}\n",
	  "3:12: name '@x' may not hold" },
	{ CRED "bmcs:\n  - {name: \"a+b\"}\n",
	  "3:12: name 'a+b' may not hold , = * ? [ ] + or start with @ or !" },
	{ CRED "bmcs: {a: 1}\n", "2:7: bmcs: expected a list" },
	{ CRED "bmcs:\n  -\n", "3:4: a bmcs entry: expected" },
	{ CRED "groups:\n  all: {}\n", "3:3: group name 'all': expected" },
	/* credentials */
	{ "credentials:\n  a: {user: u}\n",
	  "2:6: credential 'a': missing a password: give password_file or "
	  "password_env" },
	{ "credentials:\n  a: {password_env: X}\n",
	  "2:6: credential 'a': missing user" },
	{ "credentials:\n  a: {user: u, password_env: X, password_file: f}\n",
	  "2:33: credential 'a': give one of password_file, password_env or "
	  "password, not two" },
	{ "credentials:\n  a: {user: u, password_env: \"1X\"}\n",
	  "2:30: credential 'a': password_env: expected a variable name" },
	{ "credentials:\n  a: {user: seventeen-chars-xx, password_env: X}\n",
	  "2:13: credential 'a': user: longer than 16 bytes" },
	{ "credentials:\n  a: u\n",
	  "2:6: credential 'a': expected {user, password_file or "
	  "password_env}" },
	/* security */
	{ "credentials:\n  default: {user: \"\", password_env: X}\n"
	  "bmcs: [a]\n",
	  "3:8: bmc 'a': credential 'default' is the null user, which needs "
	  "insecure: true" },
	{ CRED "defaults: {cipher_suite: 0}\nbmcs: [a]\n",
	  "3:8: bmc 'a': cipher_suite 0 lacks authentication, integrity or "
	  "encryption, which needs insecure: true" },
	/* power */
	{ "power:\n  default_wats: 400\n",
	  "2:3: unknown key 'default_wats' (did you mean 'default_watts'?)" },
	{ "power:\n  inrsh: 30%\n",
	  "2:3: unknown key 'inrsh' (did you mean 'inrush'?)" },
	{ "power: {zzz: 1}\n",
	  "1:9: unknown key 'zzz' in power (expected default_watts, inrush, "
	  "models)" },
	{ "power: []\n", "1:8: power: expected a mapping (key: value)" },
	{ "power:\n  default_watts: lots\n",
	  "2:18: default_watts: expected watts like 500 or 500W (1W to "
	  "100kW)" },
	{ "power:\n  default_watts: 0\n",
	  "2:18: default_watts: expected watts like 500 or 500W (1W to "
	  "100kW)" },
	{ "power:\n  default_watts: 101kW\n",
	  "2:18: default_watts: expected watts like 500 or 500W (1W to "
	  "100kW)" },
	{ "power:\n  default_watts: 5 MW\n",
	  "2:18: default_watts: expected watts like 500 or 500W" },
	{ "power:\n  inrush: -5%\n",
	  "2:11: inrush: expected a percentage like 30% (0% to 1000%)" },
	{ "power:\n  inrush: 1001%\n",
	  "2:11: inrush: expected a percentage like 30% (0% to 1000%)" },
	{ "power:\n  inrush: 2.5%\n",
	  "2:11: inrush: expected a percentage like 30% (0% to 1000%)" },
	{ "power:\n  inrush: \"%\"\n",
	  "2:11: inrush: expected a percentage like 30% (0% to 1000%)" },
	{ "power:\n  models: [1]\n",
	  "2:11: models: expected a mapping (key: value)" },
	{ "power:\n  models:\n    \"674-256\": 350\n",
	  "3:5: models: '674-256': expected \"MANUFACTURER_ID:PRODUCT_ID\" in "
	  "decimal, as bmc_profile has them, like \"674:256\"" },
	{ "power:\n  models:\n    \"674:65536\": 350\n",
	  "3:5: models: '674:65536': expected \"MANUFACTURER_ID:PRODUCT_ID\"" },
	{ "power:\n  models:\n    \"1048576:1\": 350\n",
	  "3:5: models: '1048576:1': expected \"MANUFACTURER_ID:PRODUCT_ID\"" },
	{ "power:\n  models:\n    \"0x2a2:256\": 350\n",
	  "3:5: models: '0x2a2:256': expected \"MANUFACTURER_ID:PRODUCT_ID\"" },
	{ "power:\n  models:\n    \"674:\": 350\n",
	  "3:5: models: '674:': expected \"MANUFACTURER_ID:PRODUCT_ID\"" },
	{ "power:\n  models:\n    \"674:256\": hot\n",
	  "3:16: models: '674:256': expected watts like 350 or 350W (1W to "
	  "100kW)" },
	{ "power:\n  models:\n    \"674:256\": {w: 1}\n",
	  "3:16: models: '674:256': expected watts like 350 or 350W" },
	{ "power:\n  models:\n    \"674:256\": 350\n    \"674:256\": 360\n",
	  "4:5: duplicate key '674:256' (first at line 3, column 5)" },
	{ "power:\n  models:\n    \"674:256\": 350\n    \"0674:0256\": 360\n",
	  "4:5: models: '0674:0256' is the model of '674:256' (line 3, column "
	  "5) again" },
	/* scheduler */
	{ "scheduler:\n  confirm: 10\n",
	  "2:3: unknown key 'confirm' (did you mean 'confirm_limit'?)" },
	{ "scheduler:\n  webhok: {}\n",
	  "2:3: unknown key 'webhok' (did you mean 'webhook'?)" },
	{ "scheduler: {zzz: 1}\n",
	  "1:13: unknown key 'zzz' in scheduler (expected confirm_limit, "
	  "webhook, poll_interval)" },
	{ "scheduler:\n  confirm_limit: -1\n",
	  "2:18: confirm_limit: expected a number of hosts 0..1000000 (0: "
	  "always ask)" },
	{ "scheduler:\n  confirm_limit: many\n",
	  "2:18: confirm_limit: expected a number of hosts 0..1000000" },
	{ "scheduler:\n  poll_interval: 50ms\n",
	  "2:18: poll_interval: '50ms': expected 100ms to 1m" },
	{ "scheduler:\n  poll_interval: 2m\n",
	  "2:18: poll_interval: '2m': expected 100ms to 1m" },
	{ "scheduler:\n  webhook: \"https://h/\"\n",
	  "2:12: webhook: expected a mapping (key: value)" },
	{ "scheduler:\n  webhook: {}\n",
	  "2:12: webhook: missing url (an http:// or https:// URL)" },
	{ "scheduler:\n  webhook: {token_env: X}\n",
	  "2:12: webhook: missing url (an http:// or https:// URL)" },
	{ "scheduler:\n  webhook: {ur: x}\n",
	  "2:13: unknown key 'ur' (did you mean 'url'?)" },
	{ "scheduler:\n  webhook: {token: x}\n",
	  "2:13: unknown key 'token' (did you mean 'token_env'?)" },
	{ "scheduler:\n  webhook: {url: \"ftp://h/\"}\n",
	  "2:18: webhook: url: expected an http:// or https:// URL without "
	  "spaces" },
	{ "scheduler:\n  webhook: {url: \"https://\"}\n",
	  "2:18: webhook: url: expected an http:// or https:// URL" },
	{ "scheduler:\n  webhook: {url: \"https://h/a b\"}\n",
	  "2:18: webhook: url: expected an http:// or https:// URL" },
	{ "scheduler:\n  webhook: {url: [x]}\n",
	  "2:18: webhook: url: expected an http:// or https:// URL" },
	{ "scheduler:\n  webhook: {url: \"https://h/\", token_file: f, "
	  "token_env: X}\n",
	  "2:47: webhook: give token_file or token_env, not both" },
	{ "scheduler:\n  webhook: {url: \"https://h/\", token_env: \"1X\"}\n",
	  "2:43: webhook: token_env: expected a variable name like "
	  "BMCFLEET_WEBHOOK_TOKEN" },
	{ "scheduler:\n  webhook: {url: \"https://h/\", token_file: \"\"}\n",
	  "2:44: webhook: token_file: expected a path" },
};

START_TEST(errors)
{
	expect_err(bad[_i].yaml, bad[_i].want);
}
END_TEST

START_TEST(errors_duplicate_names_both_places)
{
	struct config c;
	char err[512], want[PATH_MAX + 128];
	const char *p = put("dup.yaml", CRED
	    "bmcs:\n"
	    "  - {hosts: \"n[1-9]\"}\n"
	    "  - {name: m}\n"
	    "  - {name: n5}\n", 0644);

	ck_assert_int_eq(config_load(&c, p, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:5:5: bmc 'n5' is already defined at "
	    "%s:3:5", p, p);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(errors_io)
{
	struct config c;
	char err[512], want[PATH_MAX + 64];

	snprintf(want, sizeof(want), "%s/missing.yaml", dir);
	ck_assert_int_eq(config_load(&c, want, err, sizeof(err)), -1);
	strcat(want, ": No such file or directory");
	ck_assert_str_eq(err, want);
	config_release(&c);
	/* a tiny error buffer is never overrun */
	ck_assert_int_eq(config_load(&c, put("x.yaml", "bmc: 1\n", 0644), err,
	    8), -1);
	ck_assert_uint_eq(strlen(err), 7);
	ck_assert_int_eq(config_load(&c, put("x.yaml", "bmc: 1\n", 0644), NULL,
	    0), -1);
}
END_TEST

START_TEST(inline_password_0600)
{
	static const char text[] =
	    "credentials:\n"
	    "  inline: {user: x, password: \"s3cret-inline\"}\n"
	    "defaults: {credential: inline}\n"
	    "bmcs: [a]\n";
	struct config c;
	char err[512] = "", pw[32], want[PATH_MAX + 128];
	const char *p;

	/* readable by the group: refused, naming the file and the place */
	p = put("inline.yaml", text, 0640);
	ck_assert_int_eq(config_load(&c, p, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2:31: credential 'inline': an inline "
	    "password needs %s to be mode 0600, not 0640", p, p);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
	ck_assert_ptr_null(strstr(err, "s3cret"));
	expect_err_mode(text, 0644, "2:31: credential 'inline': an inline");
	expect_err_mode(text, 0604, "2:31: credential 'inline': an inline");

	/* 0600 and 0400 are fine */
	p = put("inline.yaml", text, 0600);
	ck_assert_msg(config_load(&c, p, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(config_password(&c, "inline", pw, sizeof(pw), err,
	    sizeof(err)), 13);
	ck_assert_str_eq(pw, "s3cret-inline");
	/* too small a buffer: an error, and no piece of the password */
	ck_assert_int_eq(config_password(&c, "inline", pw, 5, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "credential 'inline': password longer than 4 "
	    "bytes");
	config_release(&c);
	p = put("inline.yaml", text, 0400);
	ck_assert_msg(config_load(&c, p, err, sizeof(err)) == 0, "%s", err);
	config_release(&c);

	/* too long for IPMI: the error does not quote it */
	expect_err_mode("credentials:\n  i: {user: x, password: "
	    "\"123456789012345678901\"}\n", 0600,
	    "2:26: credential 'i': password: longer than 20 bytes");
}
END_TEST

START_TEST(password_sources)
{
	struct config c;
	char err[512] = "", pw[64], want[PATH_MAX + 200];
	const char *p;

	put("pw", "filepass\nsecond line\n", 0600);
	put("loose.pw", "loosepass\n", 0644);
	put("crlf.pw", "crlfpass\r\n", 0400);
	put("empty.pw", "", 0600);
	memset(want, 'x', 300);
	want[300] = '\0';
	put("long.pw", want, 0600);
	load_ok(&c,
	    "credentials:\n"
	    "  rel: {user: a, password_file: pw}\n"
	    "  loose: {user: a, password_file: loose.pw}\n"
	    "  crlf: {user: a, password_file: crlf.pw}\n"
	    "  empty: {user: a, password_file: empty.pw}\n"
	    "  long: {user: a, password_file: long.pw}\n"
	    "  missing: {user: a, password_file: /nonexistent/pw}\n"
	    "  env: {user: a, password_env: TEST_CONFIG_PW}\n");
	/* relative to the config file's directory, not the cwd */
	snprintf(want, sizeof(want), "%s/pw", dir);
	ck_assert_str_eq(c.creds[0].password_file, want);

	ck_assert_int_eq(config_password(&c, "rel", pw, sizeof(pw), err,
	    sizeof(err)), 8);
	ck_assert_str_eq(pw, "filepass");
	ck_assert_int_eq(config_password(&c, "crlf", pw, sizeof(pw), err,
	    sizeof(err)), 8);
	ck_assert_str_eq(pw, "crlfpass");
	ck_assert_int_eq(config_password(&c, "empty", pw, sizeof(pw), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(pw, "");

	ck_assert_int_eq(config_password(&c, "long", pw, sizeof(pw), err,
	    sizeof(err)), -1);
	snprintf(want, sizeof(want), "credential 'long': password file "
	    "%s/long.pw: first line longer than 254 bytes", dir);
	ck_assert_str_eq(err, want);

	ck_assert_int_eq(config_password(&c, "loose", pw, sizeof(pw), err,
	    sizeof(err)), -1);
	snprintf(want, sizeof(want), "credential 'loose': password file "
	    "%s/loose.pw is mode 0644, readable or writable by group or "
	    "others; chmod 600 it", dir);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(strstr(err, "loosepass"));
	ck_assert_str_eq(pw, "");

	ck_assert_int_eq(config_password(&c, "missing", pw, sizeof(pw), err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "credential 'missing': password file "
	    "/nonexistent/pw: No such file or directory");

	unsetenv("TEST_CONFIG_PW");
	ck_assert_int_eq(config_password(&c, "env", pw, sizeof(pw), err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "credential 'env': environment variable "
	    "TEST_CONFIG_PW is not set");
	setenv("TEST_CONFIG_PW", "envpass", 1);
	ck_assert_int_eq(config_password(&c, "env", pw, sizeof(pw), err,
	    sizeof(err)), 7);
	ck_assert_str_eq(pw, "envpass");
	unsetenv("TEST_CONFIG_PW");

	ck_assert_int_eq(config_password(&c, "nope", pw, sizeof(pw), err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "unknown credential 'nope'");
	config_release(&c);

	/* the file is not read, or even looked at, while loading */
	p = put("later.yaml", "credentials:\n  d: {user: a, password_file: "
	    "/nonexistent/pw}\n", 0644);
	ck_assert_int_eq(config_load(&c, p, err, sizeof(err)), 0);
	config_release(&c);
}
END_TEST

static const char select_yaml[] =
    CRED
    "groups:\n"
    "  compute: {hosts: \"node[1-10]\", labels: {rack: r12}}\n"
    "  storage: {hosts: \"stor[1-2]\", labels: {rack: r13}}\n"
    "  empty: {}\n"
    "bmcs:\n"
    "  - {hosts: \"gpu[1-3]\", labels: {rack: r14, kind: gpu}}\n";

/* Select targets and compare the names with want, space-separated. */
static void
expect_sel(const struct config *c, const char *targets, const char *want)
{
	char err[512] = "", got[2048];
	size_t *idx, n, i, off = 0;

	ck_assert_msg(config_select(c, targets, &idx, &n, err, sizeof(err)) ==
	    0, "'%s': %s", targets, err);
	got[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			ck_assert_uint_gt(idx[i], idx[i - 1]);
		off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%s",
		    i ? " " : "", c->bmcs[idx[i]].name);
	}
	free(idx);
	ck_assert_msg(strcmp(got, want) == 0, "'%s': got '%s', want '%s'",
	    targets, got, want);
}

static void
expect_sel_err(const struct config *c, const char *targets, const char *want)
{
	char err[512] = "";
	size_t *idx = (size_t *)1, n = 7;

	ck_assert_msg(config_select(c, targets, &idx, &n, err, sizeof(err)) ==
	    -1, "'%s' selected", targets);
	ck_assert_ptr_null(idx);
	ck_assert_uint_eq(n, 0);
	ck_assert_msg(strcmp(err, want) == 0, "'%s': error '%s', want '%s'",
	    targets, err, want);
}

START_TEST(select_targets)
{
	struct config c;
	char want[PATH_MAX + 100];

	load_ok(&c, select_yaml);
	expect_sel(&c, "@all", "gpu1 gpu2 gpu3 node1 node2 node3 node4 node5 "
	    "node6 node7 node8 node9 node10 stor1 stor2");
	expect_sel(&c, "@storage", "stor1 stor2");
	expect_sel(&c, "rack=r12,!node[2-10]", "node1");
	expect_sel(&c, "rack=r1[3-4]", "gpu1 gpu2 gpu3 stor1 stor2");
	expect_sel(&c, "kind=gpu", "gpu1 gpu2 gpu3");
	expect_sel(&c, "node[1-3,5]", "node1 node2 node3 node5");
	expect_sel(&c, " stor1 , gpu2 ", "gpu2 stor1");
	expect_sel(&c, "@compute,@storage,!node[1-9],!@storage", "node10");
	/* exclusions apply after the union, wherever they are written */
	expect_sel(&c, "!node2,@compute", "node1 node3 node4 node5 node6 "
	    "node7 node8 node9 node10");
	expect_sel(&c, "@all,!@compute,!rack=r14", "stor1 stor2");
	expect_sel(&c, "gpu*,stor?", "gpu1 gpu2 gpu3 stor1 stor2");
	expect_sel(&c, "node1,node1,@storage,stor1", "node1 stor1 stor2");

	expect_sel_err(&c, "@comptue", "unknown group 'comptue' (did you mean "
	    "'compute'?)");
	expect_sel_err(&c, "@nope", "unknown group 'nope'");
	expect_sel_err(&c, "@empty", "target '@empty' matches no BMC");
	expect_sel_err(&c, "rack=r99", "target 'rack=r99' matches no BMC");
	expect_sel_err(&c, "@all,!row=1", "target 'row=1': no BMC has a "
	    "label 'row'");
	/* a label name or value with a close one says it */
	expect_sel_err(&c, "rakc=r12", "target 'rakc=r12': no BMC has a "
	    "label 'rakc' (did you mean 'rack'?)");
	expect_sel_err(&c, "@compute+rack=r21", "target 'rack=r21' matches no "
	    "BMC (did you mean 'rack=r12'?)");
	expect_sel_err(&c, "kind=gpus", "target 'kind=gpus' matches no BMC "
	    "(did you mean 'kind=gpu'?)");
	expect_sel_err(&c, "x*", "target 'x*' matches no BMC");
	snprintf(want, sizeof(want), "target 'node[9-11]': no BMC named "
	    "'node11' in %s/ok.yaml", dir);
	expect_sel_err(&c, "node[9-11]", want);
	expect_sel_err(&c, "node[2-1]", "target 'node[2-1]': hostlist "
	    "'node[2-1]': range end before start");
	expect_sel_err(&c, "!node1", "targets '!node1' only exclude: start "
	    "from something, e.g. '@all,!node1'");
	expect_sel_err(&c, "@storage,!stor[1-2]", "targets '@storage,"
	    "!stor[1-2]' leave no BMC after exclusions");
	expect_sel_err(&c, "", "no targets (give @all for every BMC)");
	expect_sel_err(&c, "node1,,node2", "targets 'node1,,node2': empty "
	    "item (expected @group, host[1-10], key=value or !exclusion)");
	expect_sel_err(&c, "node1,!", "targets 'node1,!': empty item "
	    "(expected @group, host[1-10], key=value or !exclusion)");
	expect_sel_err(&c, "=r1", "target '=r1': expected a label like "
	    "rack=r12");
	config_release(&c);

	load_ok(&c, "");
	snprintf(want, sizeof(want), "no BMCs in %s/ok.yaml", dir);
	expect_sel_err(&c, "@all", want);
	config_release(&c);
}
END_TEST

/* '+' intersects, ',' unites (looser), '!' binds to one part */
START_TEST(select_intersect)
{
	struct config c;
	char want[PATH_MAX + 100];

	load_ok(&c, select_yaml);
	/* a union would give all of rack r12 and every storage host */
	expect_sel(&c, "@compute+node[3-5]", "node3 node4 node5");
	expect_sel(&c, "rack=r1[3-4]+kind=gpu", "gpu1 gpu2 gpu3");
	expect_sel(&c, " @compute + node2 ", "node2");
	/* precedence: (@storage and stor1) or gpu2, never @storage and
	   (stor1 or gpu2) */
	expect_sel(&c, "@storage+stor1,gpu2", "gpu2 stor1");
	expect_sel(&c, "gpu2,@storage+stor1", "gpu2 stor1");
	expect_sel(&c, "@all+rack=r13,@all+kind=gpu+gpu[2-3]",
	    "gpu2 gpu3 stor1 stor2");
	/* brackets keep their commas and are not split at '+' */
	expect_sel(&c, "@compute+node[1-2,9],stor2", "node1 node2 node9 "
	    "stor2");
	/* a !part inside an intersection takes out of that item only */
	expect_sel(&c, "@compute+!node[2-10],node5", "node1 node5");
	expect_sel(&c, "!node[2-10]+@compute", "node1");
	expect_sel(&c, "@all+!@compute+!rack=r14", "stor1 stor2");
	/* a !item alone excludes from the whole union, wherever written */
	expect_sel(&c, "@compute+node[1-3],node5,!node2", "node1 node3 "
	    "node5");
	expect_sel(&c, "!node2,@compute+node[1-3],node2", "node1 node3");
	expect_sel(&c, "rack=r12+node[1-2],rack=r13,!stor1", "node1 node2 "
	    "stor2");
	/* ...but a leading '!' in an intersection is that part's only:
	   stor1 and not @storage, which is nothing */
	expect_sel_err(&c, "rack=r13,!@storage+stor1", "target '!@storage+"
	    "stor1' matches no BMC: its !parts take out every BMC the others "
	    "select");

	/* empty intersections name the item */
	expect_sel_err(&c, "@storage+@compute", "target '@storage+@compute' "
	    "matches no BMC: no BMC is in all of its parts");
	expect_sel_err(&c, "@storage+!stor[1-2]", "target '@storage+"
	    "!stor[1-2]' matches no BMC: its !parts take out every BMC the "
	    "others select");
	expect_sel_err(&c, "node1,@storage+kind=gpu", "target '@storage+"
	    "kind=gpu' matches no BMC: no BMC is in all of its parts");
	/* a part that matches nothing, or is unknown, is named */
	expect_sel_err(&c, "@storage+rack=r99", "target 'rack=r99' (in "
	    "'@storage+rack=r99') matches no BMC");
	expect_sel_err(&c, "@storage+!rack=r99", "target '!rack=r99' (in "
	    "'@storage+!rack=r99') matches no BMC");
	expect_sel_err(&c, "rack=r12+@stroage", "unknown group 'stroage' "
	    "(did you mean 'storage'?)");
	snprintf(want, sizeof(want), "target 'nope': no BMC named 'nope' in "
	    "%s/ok.yaml", dir);
	expect_sel_err(&c, "@storage+nope", want);
	expect_sel_err(&c, "@storage+", "target '@storage+': empty part "
	    "(expected @group, host[1-10], key=value or !exclusion on each "
	    "side of '+')");
	expect_sel_err(&c, "+@storage", "target '+@storage': empty part "
	    "(expected @group, host[1-10], key=value or !exclusion on each "
	    "side of '+')");
	expect_sel_err(&c, "@storage+!", "target '@storage+!': empty part "
	    "(expected @group, host[1-10], key=value or !exclusion on each "
	    "side of '+')");
	expect_sel_err(&c, "@all,!node1+!node2", "target '!node1+!node2' "
	    "only excludes: start it from something, e.g. "
	    "'@all+!node1+!node2'");
	config_release(&c);
}
END_TEST

/* Find deploy/ from the cwd (make check runs at the top) or the binary. */
static const char *
example_path(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;

	if (access("deploy/bmcfleet.example.yaml", R_OK) == 0)
		return "deploy/bmcfleet.example.yaml";
	/* $O/tests/unit/test_config -> $O/../deploy */
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
		return "deploy/bmcfleet.example.yaml";
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s/../../../deploy/"
	    "bmcfleet.example.yaml", dirname(exe));
	return path;
}

/* The example's commented-out webhook, uncommented, loads as shown. */
static void
example_webhook(void)
{
	static const char *const edits[][2] = {
		{ "  # webhook:\n", "  webhook:\n" },
		{ "  #   url: ", "    url: " },
		{ "  #   token_env: ", "    token_env: " },
	};
	struct config c;
	char *text, *at;
	size_t n, i;
	FILE *f;

	ck_assert_ptr_nonnull(f = fopen(example_path(), "r"));
	ck_assert_ptr_nonnull(text = calloc(1, 1 << 16));
	n = fread(text, 1, (1 << 16) - 1, f);
	fclose(f);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		size_t a = strlen(edits[i][0]), b = strlen(edits[i][1]);

		ck_assert_msg((at = strstr(text, edits[i][0])) != NULL,
		    "'%s' not in the example", edits[i][0]);
		memmove(at + b, at + a, strlen(at + a) + 1);
		memcpy(at, edits[i][1], b);
	}
	load_ok(&c, text);
	free(text);
	ck_assert_str_eq(c.scheduler.webhook.url,
	    "https://hooks.example.net/bmcfleet");
	ck_assert_str_eq(c.scheduler.webhook.token_env,
	    "BMCFLEET_WEBHOOK_TOKEN");
	ck_assert_ptr_null(c.scheduler.webhook.token_file);
	config_release(&c);
}

START_TEST(example_config)
{
	struct config c;
	const struct config_bmc *b;
	char err[512] = "";
	size_t *idx, n, i;

	ck_assert_msg(config_load(&c, example_path(), err, sizeof(err)) == 0,
	    "%s", err);
	/* what its header says: 167 BMCs in these groups */
	ck_assert_uint_eq(c.nbmcs, 167);
	ck_assert_uint_eq(c.ngroups, 3);
	ck_assert_uint_eq(c.groups[0].nmembers, 160);
	ck_assert_uint_eq(c.groups[1].nmembers, 2);
	ck_assert_uint_eq(c.groups[2].nmembers, 4);
	for (i = 1; i <= 120; i++) {
		char name[16];

		snprintf(name, sizeof(name), "node%03zu", i);
		ck_assert_str_eq(groups_of(&c, bmc(&c, name)), "compute");
	}
	for (i = 1; i <= 40; i++) {
		char name[16];

		snprintf(name, sizeof(name), "10.1.2.%zu", i);
		ck_assert_str_eq(groups_of(&c, bmc(&c, name)), "compute");
	}
	ck_assert_str_eq(c.database,
	    "host=/var/run/postgresql dbname=bmcfleet");
	ck_assert_uint_eq(c.ncreds, 2);
	ck_assert_str_eq(c.creds[0].name, "default");

	b = bmc(&c, "node001");
	ck_assert_str_eq(b->address, "10.1.0.1");
	ck_assert_uint_eq(b->s.priv, IPMI_PRIV_OPERATOR);
	ck_assert_str_eq(labels_of(b), "rack=r12,role=compute,site=ams1");
	ck_assert_str_eq(labels_of(bmc(&c, "10.1.2.7")),
	    "rack=r13,role=compute,site=ams1");
	b = bmc(&c, "stor01");
	ck_assert_str_eq(config_bmc_credential(&c, b)->name, "lab");
	ck_assert_str_eq(groups_of(&c, b), "storage");
	b = bmc(&c, "gpu01");
	ck_assert_str_eq(b->address, "10.1.3.1");
	ck_assert_int_eq(b->s.cipher_suite, 17);
	ck_assert_uint_eq(b->s.timeout_ms, 3000);
	ck_assert_uint_eq(b->s.retries, 3);
	ck_assert_uint_eq(b->s.workarounds, WA_NO_NAME_LOOKUP);
	ck_assert_str_eq(labels_of(b), "rack=r14,role=gpu,site=ams1");
	b = bmc(&c, "gpu04");
	ck_assert_str_eq(b->address, "gpu04");
	ck_assert_uint_eq(b->s.retries, 5);
	b = bmc(&c, "old-mgmt");
	ck_assert_str_eq(b->address, "10.1.9.9");
	ck_assert_uint_eq(b->s.iface, IPMI_IFACE_LAN);
	ck_assert_uint_eq(b->s.priv, IPMI_PRIV_USER);
	ck_assert_uint_eq(b->s.port, 6230);
	ck_assert_uint_eq(b->ngroups, 0);
	ck_assert_uint_eq(c.collector.concurrency, 256);
	ck_assert_uint_eq(c.collector.lease_ms, 600000);
	ck_assert_uint_eq(c.power.default_watts, 500);
	ck_assert_uint_eq(c.power.inrush_pct, 30);
	ck_assert_uint_eq(c.power.nmodels, 3);
	ck_assert_uint_eq(config_model_watts(&c, 674, 256), 350);
	ck_assert_uint_eq(config_model_watts(&c, 10876, 2), 420);
	ck_assert_uint_eq(config_model_watts(&c, 343, 4), 1200);
	ck_assert_uint_eq(config_model_watts(&c, 674, 1), 0);
	ck_assert_uint_eq(c.scheduler.confirm_limit, 50);
	ck_assert_uint_eq(c.scheduler.poll_interval_ms, 2000);
	/* shown, but commented out: a copied example posts nowhere */
	ck_assert_ptr_null(c.scheduler.webhook.url);
	example_webhook();

	ck_assert_int_eq(config_select(&c, "@all", &idx, &n, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(n, 167);
	free(idx);
	ck_assert_int_eq(config_select(&c, "rack=r14,!gpu04", &idx, &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(n, 3);
	free(idx);
	config_release(&c);
}
END_TEST

/* The names TARGETS select as a 0/1 per BMC; 0 when it is refused. */
static int
sel_mask(const struct config *c, const char *targets, unsigned char *m)
{
	char err[512];
	size_t *idx, n;

	memset(m, 0, c->nbmcs);
	if (config_select(c, targets, &idx, &n, err, sizeof(err)) != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		m[idx[i]] = 1;
	free(idx);
	return 1;
}

/*
 * Every pair of these parts, against set operations on what each selects
 * alone: A+B is the intersection (refused when empty), A,B the union,
 * A+!B and A,!B the difference.
 */
START_TEST(select_algebra)
{
	static const char *const part[] = {
		"@all", "@compute", "@storage", "rack=r12", "rack=r1[3-4]",
		"kind=gpu", "node[2-4]", "node1*", "stor1", "node[1-3,9]",
	};
	enum { NP = sizeof(part) / sizeof(part[0]) };
	struct config c;
	unsigned char a[32], b[32], got[32];
	char t[128];
	size_t checked = 0;

	load_ok(&c, select_yaml);
	ck_assert_uint_le(c.nbmcs, sizeof(a));
	for (size_t i = 0; i < NP; i++)
		for (size_t j = 0; j < NP; j++) {
			size_t both = 0, diff = 0, k;
			int ok;

			ck_assert(sel_mask(&c, part[i], a));
			ck_assert(sel_mask(&c, part[j], b));
			for (k = 0; k < c.nbmcs; k++) {
				both += a[k] && b[k];
				diff += a[k] && !b[k];
			}
			snprintf(t, sizeof(t), "%s+%s", part[i], part[j]);
			ok = sel_mask(&c, t, got);
			ck_assert_msg(ok == (both > 0), "'%s'", t);
			for (k = 0; k < c.nbmcs; k++)
				ck_assert_msg(got[k] == (a[k] && b[k]),
				    "'%s': %s", t, c.bmcs[k].name);
			snprintf(t, sizeof(t), "%s,%s", part[i], part[j]);
			ck_assert(sel_mask(&c, t, got));
			for (k = 0; k < c.nbmcs; k++)
				ck_assert_msg(got[k] == (a[k] || b[k]),
				    "'%s': %s", t, c.bmcs[k].name);
			snprintf(t, sizeof(t), "%s+!%s", part[i], part[j]);
			ok = sel_mask(&c, t, got);
			ck_assert_msg(ok == (diff > 0), "'%s'", t);
			for (k = 0; k < c.nbmcs; k++)
				ck_assert_msg(got[k] == (a[k] && !b[k]),
				    "'%s': %s", t, c.bmcs[k].name);
			/* the same difference as a list-wide exclusion */
			snprintf(t, sizeof(t), "!%s,%s", part[j], part[i]);
			ck_assert_int_eq(sel_mask(&c, t, b), ok);
			ck_assert(memcmp(b, got, c.nbmcs) == 0);
			checked++;
		}
	ck_assert_uint_eq(checked, NP * NP);
	config_release(&c);
}
END_TEST

/*
 * deploy/plan.example.yaml against deploy/bmcfleet.example.yaml: each
 * stage selects what its comment says (with ',' for '+', the storage
 * stage took 122 hosts and compute 159), and no host is in both.
 */
START_TEST(example_plan_targets)
{
	struct config c;
	struct plan p;
	char err[512] = "", path[PATH_MAX], *slash;
	size_t *idx[2], n[2], first;

	ck_assert_msg(config_load(&c, example_path(), err, sizeof(err)) == 0,
	    "%s", err);
	snprintf(path, sizeof(path), "%s", example_path());
	slash = strrchr(path, '/');
	snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 - path),
	    "plan.example.yaml");
	ck_assert_msg(plan_load(&p, path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(p.nstages, 2);
	for (size_t k = 0; k < 2; k++)
		ck_assert_msg(config_select(&c, p.stages[k].targets, &idx[k],
		    &n[k], err, sizeof(err)) == 0, "stage %s: %s",
		    p.stages[k].name, err);
	/* storage first: the storage server in rack r12 */
	ck_assert_str_eq(p.stages[0].name, "storage");
	ck_assert_uint_eq(n[0], 1);
	ck_assert_str_eq(c.bmcs[idx[0][0]].name, "stor01");
	/* then rack r12's compute nodes, node013 left down */
	ck_assert_str_eq(p.stages[1].name, "compute");
	ck_assert_uint_eq(n[1], 119);
	for (size_t i = 0; i < n[1]; i++) {
		const struct config_bmc *b = &c.bmcs[idx[1][i]];

		ck_assert_str_eq(config_bmc_label(b, "rack"), "r12");
		ck_assert_str_eq(groups_of(&c, b), "compute");
		ck_assert_str_ne(b->name, "node013");
	}
	ck_assert_uint_eq(plan_overlap(idx[0], n[0], idx[1], n[1], &first, 1),
	    0);
	free(idx[0]);
	free(idx[1]);
	plan_release(&p);
	config_release(&c);
}
END_TEST

/* 20,000 BMCs: quick, and one range's BMCs share their arrays */
START_TEST(scale)
{
	struct config c;
	const struct config_bmc *a, *b;
	struct timespec t0, t1;
	size_t *idx, n;
	char err[512];
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	load_ok(&c, CRED
	    "groups:\n"
	    "  big: {hosts: \"r[01-100]n[001-100]\", labels: {dc: x}}\n"
	    "  odd: {labels: {parity: odd}}\n"
	    "bmcs:\n"
	    "  - {hosts: \"10.2.[0-39].[1-250]\", groups: [odd]}\n");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	ck_assert_uint_eq(c.nbmcs, 20000);
	ck_assert_msg(ms < 2000, "20,000 BMCs took %.0f ms", ms);
	ck_assert_uint_eq(sizeof(struct config_bmc), 64);
	a = bmc(&c, "r01n001");
	b = bmc(&c, "r99n042");
	ck_assert_ptr_eq(a->labels, b->labels);
	ck_assert_ptr_eq(a->groups, b->groups);
	a = bmc(&c, "10.2.0.1");
	b = bmc(&c, "10.2.39.250");
	ck_assert_ptr_eq(a->labels, b->labels);
	ck_assert_ptr_eq(a->name, a->address);
	ck_assert_int_eq(config_select(&c, "@big,!r[01-50]n[001-100]", &idx,
	    &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 5000);
	free(idx);
	config_release(&c);
}
END_TEST

START_TEST(test_secrets_in_clear)
{
	struct config c;

	/* a conninfo password needs the same 0600 as an inline password */
	expect_err("database: \"host=db dbname=f password=hunter2\"\n",
	    "1:11: database: the conninfo holds a password");
	expect_err("database: \"dbname=f password = hunter2\"\n",
	    "1:11: database: the conninfo holds a password");
	expect_err("database: \"postgresql://fleet:hunter2@db/f\"\n",
	    "1:11: database: the conninfo holds a password");
	load_ok(&c, "database: \"host=db dbname=f passwordless=1\"\n");
	config_release(&c);
	load_ok(&c, "database: \"postgresql://fleet@db/f\"\n");
	config_release(&c);
	ck_assert_ptr_nonnull(put("p.yaml", "database: \"dbname=f "
	    "password=hunter2\"\n", 0600));
	{
		char err[512] = "";
		char path[PATH_MAX + 16];

		snprintf(path, sizeof(path), "%s/p.yaml", dir);
		ck_assert_msg(config_load(&c, path, err, sizeof(err)) == 0,
		    "%s", err);
		config_release(&c);
	}
	/* a bearer token never goes over plain http unless asked */
	expect_err("scheduler:\n  webhook:\n    url: \"http://hooks/x\"\n"
	    "    token_env: HOOK_TOKEN\n",
	    "4:5: webhook: a token over http:// travels in clear");
	load_ok(&c, "scheduler:\n  webhook:\n    url: \"http://hooks/x\"\n"
	    "    token_env: HOOK_TOKEN\n    insecure: true\n");
	ck_assert_int_eq(c.scheduler.webhook.insecure, 1);
	config_release(&c);
	load_ok(&c, "scheduler:\n  webhook:\n    url: \"https://hooks/x\"\n"
	    "    token_env: HOOK_TOKEN\n");
	config_release(&c);
	load_ok(&c, "scheduler:\n  webhook:\n    url: \"http://hooks/x\"\n");
	config_release(&c);
	/* a relay on this machine: no hop to read it on */
	load_ok(&c, "scheduler:\n  webhook:\n    url: \"http://127.0.0.1:9/\"\n"
	    "    token_env: HOOK_TOKEN\n");
	config_release(&c);
	expect_err("scheduler:\n  webhook:\n    url: \"http://127.0.0.1.evil/\"\n"
	    "    token_env: HOOK_TOKEN\n",
	    "4:5: webhook: a token over http:// travels in clear");
}
END_TEST

/*
 * Load text, expect failure with exactly these errors (NULL-terminated,
 * "LINE:COL: message" prefixes), one a line, each after "PATH:".
 */
static void
expect_errs(const char *text, ...)
{
	struct config c;
	static char err[CONFIG_ERR_MAX];
	char head[PATH_MAX + 80], *line, *save = NULL;
	const char *p = put("bad.yaml", text, 0644), *want;
	size_t n = 0;
	va_list ap;

	ck_assert_int_eq(config_load(&c, p, err, sizeof(err)), -1);
	va_start(ap, text);
	for (line = strtok_r(err, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		want = va_arg(ap, const char *);
		ck_assert_msg(want != NULL, "error %zu too many: '%s'", n, line);
		snprintf(head, sizeof(head), "%s:%s", p, want);
		ck_assert_msg(strncmp(line, head, strlen(head)) == 0,
		    "error %zu: '%s', want '%s'", n, line, head);
		n++;
	}
	want = va_arg(ap, const char *);
	ck_assert_msg(want == NULL, "error %zu missing: '%s'", n, want);
	va_end(ap);
	config_release(&c);
}

START_TEST(errors_all_told)
{
	/* three independent errors in three sections: all three, in the
	 * file's order (the sections are walked in another) */
	expect_errs(
	    "collector:\n"
	    "  concurrency: 0\n"
	    "credentials:\n"
	    "  default: {user: admin, password_env: X}\n"
	    "colector: {}\n"
	    "defaults:\n"
	    "  retries: lots\n",
	    "2:16: concurrency: expected a number 1..65536",
	    "5:1: unknown key 'colector' (did you mean 'collector'?)",
	    "7:12: retries: expected a number 0..20", NULL);
	/* several in one mapping: an unknown key, a repeated one, bad values;
	 * the good keys between them are still read */
	expect_errs(
	    "scheduler:\n"
	    "  confirm_limit: 10\n"
	    "  confirm_limit: 11\n"
	    "collector:\n"
	    "  concurrency: 0\n"
	    "  sweep_interval: 30s\n"
	    "  bogus: 1\n"
	    "  lease: never\n",
	    "3:3: duplicate key 'confirm_limit' (first at line 2, column 3)",
	    "5:16: concurrency: expected a number 1..65536",
	    "7:3: unknown key 'bogus' in collector",
	    "8:10: lease: 'never': expected a duration", NULL);
	/* a broken credentials section: the BMCs that name a credential are
	 * not walked, so no "unknown credential" follows from it */
	expect_errs(
	    "credentials:\n"
	    "  lab: {user: admin, password_env: 1X}\n"
	    "groups:\n"
	    "  web: {hosts: \"h[1-2]\", credential: lab}\n"
	    "power:\n"
	    "  inrush: lots\n",
	    "2:", "6:", NULL);
	/* a syntax error stops the walk: one error */
	expect_errs(
	    "collector:\n"
	    "  concurrency: 0\n"
	    "bmcs: [\n",
	    "4:1: ", NULL);
}
END_TEST

START_TEST(errors_capped)
{
	static char err[CONFIG_ERR_MAX];
	char text[2048] = "collector:\n", more[PATH_MAX + 32];
	struct config c;
	const char *p, *last;
	size_t n = 0;

	for (int i = 0; i < 27; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
		    "  key%d: 1\n", i);
	p = put("bad.yaml", text, 0644);
	ck_assert_int_eq(config_load(&c, p, err, sizeof(err)), -1);
	for (const char *q = err; (q = strchr(q, '\n')) != NULL; q++)
		n++;
	ck_assert_uint_eq(n, 20);	/* 20 errors and the count */
	ck_assert_ptr_nonnull(strstr(err, ":21:3: unknown key 'key19'"));
	ck_assert_ptr_null(strstr(err, "'key20'"));
	last = strrchr(err, '\n') + 1;
	snprintf(more, sizeof(more), "%s: and 7 more", p);
	ck_assert_str_eq(last, more);
	/* a small buffer holds the first ones, whole */
	ck_assert_int_eq(config_load(&c, p, err, 64), -1);
	ck_assert_uint_lt(strlen(err), 64);
	config_release(&c);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, load_spec_example);
	tcase_add_test(tc, load_defaults_and_empty);
	tcase_add_test(tc, load_env_database);
	tcase_add_test(tc, load_values);
	tcase_add_test(tc, merge_precedence);
	tcase_add_test(tc, host_ranges);
	tcase_add_test(tc, example_config);
	tcase_add_test(tc, example_plan_targets);
	tcase_add_test(tc, power_and_scheduler);
	tcase_add_test(tc, http_section);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, errors, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, errors_duplicate_names_both_places);
	tcase_add_test(tc, errors_io);
	tcase_add_test(tc, errors_all_told);
	tcase_add_test(tc, errors_capped);
	suite_add_tcase(s, tc);

	tc = tcase_create("passwords");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, inline_password_0600);
	tcase_add_test(tc, password_sources);
	tcase_add_test(tc, webhook_token);
	suite_add_tcase(s, tc);

	tc = tcase_create("select");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, select_targets);
	tcase_add_test(tc, select_intersect);
	tcase_add_test(tc, select_algebra);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, scale);
	tcase_add_test(tc, test_secrets_in_clear);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nfail;

	sr = srunner_create(config_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
