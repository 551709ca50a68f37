#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/opts.h"
#include "ipmi/ipmi.h"
#include "ipmi/session.h"

/* argv strings must be writable: -P scrubs its argument in place */
#define ARGV(...) \
	char *argv[] = { __VA_ARGS__, NULL }; \
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1

/* writable copies from a static pool: nothing to free, nothing leaked */
static char *
sdup(const char *s)
{
	static char pool[64][128];
	static unsigned next;
	char *p = pool[next++ % 64];

	snprintf(p, sizeof(pool[0]), "%s", s);
	return p;
}

START_TEST(test_defaults_and_verb)
{
	struct opts o;
	char err[128];
	ARGV(sdup("bmcfleet"), sdup("-H"), sdup("n[1-2]"), sdup("-U"), sdup("admin"),
	    sdup("-E"), sdup("power"), sdup("status"), sdup("-v"));

	ck_assert_int_eq(opts_parse(&o, argc, argv, err, sizeof(err)), 0);
	ck_assert_str_eq(o.hosts, "n[1-2]");
	ck_assert_str_eq(o.user, "admin");
	ck_assert_int_eq(o.pw_env, 1);
	ck_assert_int_eq(o.port, 623);
	ck_assert_int_eq(o.iface, IPMI_IFACE_LANPLUS);
	ck_assert_int_eq(o.cipher_suite, IPMI_SUITE_AUTO);
	ck_assert_int_eq(o.auth_type, IPMI_AUTHTYPE_AUTO);
	ck_assert_int_eq(o.priv, IPMI_PRIV_ADMIN);
	ck_assert_int_eq(o.timeout_ms, 1000);
	ck_assert_int_eq(o.retries, 3);
	ck_assert_int_eq(o.fanout, 256);
	ck_assert_int_eq(o.verbose, 1);	/* options after the verb count */
	ck_assert_int_eq(o.argc, 2);
	ck_assert_str_eq(o.argv[0], "power");
	ck_assert_str_eq(o.argv[1], "status");
	opts_release(&o);
}
END_TEST

START_TEST(test_password_scrubbed_from_argv)
{
	struct opts o;
	char err[128];
	uint8_t pw[20];
	const char *warn;
	char *secret = sdup("hunter2");
	ARGV(sdup("bmcfleet"), sdup("-P"), secret, sdup("mc"), sdup("info"));

	ck_assert_int_eq(opts_parse(&o, argc, argv, err, sizeof(err)), 0);
	ck_assert_str_eq(secret, "xxxxxxx");
	ck_assert_int_eq(opts_password(&o, pw, sizeof(pw), &warn, err,
	    sizeof(err)), 7);
	ck_assert_int_eq(memcmp(pw, "hunter2", 7), 0);
	ck_assert_ptr_nonnull(warn);
	opts_release(&o);
}
END_TEST

START_TEST(test_password_env_and_file)
{
	struct opts o;
	char err[128], path[] = "/tmp/bmcfleet-pw-XXXXXX";
	uint8_t pw[20];
	const char *warn;
	int fd;

	memset(&o, 0, sizeof(o));
	o.pw_env = 1;
	unsetenv("BMCFLEET_PASSWORD");
	setenv("IPMI_PASSWORD", "fromipmi", 1);
	ck_assert_int_eq(opts_password(&o, pw, sizeof(pw), &warn, err,
	    sizeof(err)), 8);
	ck_assert_int_eq(memcmp(pw, "fromipmi", 8), 0);
	setenv("BMCFLEET_PASSWORD", "ours", 1);
	ck_assert_int_eq(opts_password(&o, pw, sizeof(pw), &warn, err,
	    sizeof(err)), 4);
	unsetenv("BMCFLEET_PASSWORD");
	unsetenv("IPMI_PASSWORD");
	ck_assert_int_eq(opts_password(&o, pw, sizeof(pw), &warn, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "BMCFLEET_PASSWORD"));

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "filepw\nsecond line\n", 19), 19);
	close(fd);
	memset(&o, 0, sizeof(o));
	o.pw_file = path;
	chmod(path, 0600);
	ck_assert_int_eq(opts_password(&o, pw, sizeof(pw), &warn, err,
	    sizeof(err)), 6);
	ck_assert_int_eq(memcmp(pw, "filepw", 6), 0);
	ck_assert_ptr_null(warn);
	/* readable by others: refused, as the config's password_file is */
	chmod(path, 0644);
	ck_assert_int_eq(opts_password(&o, pw, sizeof(pw), &warn, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
	chmod(path, 0640);
	ck_assert_int_eq(opts_password(&o, pw, sizeof(pw), &warn, err,
	    sizeof(err)), -1);
	unlink(path);
	ck_assert_int_eq(opts_password(&o, pw, sizeof(pw), &warn, err,
	    sizeof(err)), -1);
}
END_TEST

START_TEST(test_bad_values)
{
	static const char *const bad[][3] = {
		{ "-p", "0", "not a port" },
		{ "-p", "70000", "not a port" },
		{ "-I", "serial", "expected lan" },
		{ "-C", "x", "cipher suite" },
		{ "-A", "rc4", "expected md5, password, md2 or none" },
		{ "-A", "md5", "give -I lan too" },
		{ "-L", "root", "expected user" },
		{ "--timeout", "5", "milliseconds" },
		{ "--fanout", "0", "1-65536" },
		{ "--format", "xml", "table or json" },
		{ "-U", "a-very-long-user-name", "16" },
	};
	char err[128];
	struct opts o;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ARGV(sdup("bmcfleet"), sdup(bad[i][0]), sdup(bad[i][1]));
		ck_assert_int_eq(opts_parse(&o, argc, argv, err, sizeof(err)),
		    -1);
		ck_assert_msg(strstr(err, bad[i][2]) != NULL, "%s: %s",
		    bad[i][0], err);
		opts_release(&o);
	}
}
END_TEST

/*
 * Direct mode's durations: --timeout takes the one grammar (2s was
 * refused: milliseconds only) and keeps a bare number as milliseconds,
 * as documented; --deadline needs its unit.
 */
START_TEST(test_durations)
{
	static const struct {
		const char	*opt, *val;
		unsigned	 ms;		/* 0: refused */
		const char	*err;
	} v[] = {
		{ "--timeout", "2s", 2000, NULL },
		{ "--timeout", "1.5s", 1500, NULL },
		{ "--timeout", "500ms", 500, NULL },
		{ "--timeout", "1500", 1500, NULL },	/* bare: ms */
		{ "--timeout", "10m", 600000, NULL },
		{ "--timeout", "11m", 0, "--timeout '11m': expected 10ms to "
		  "10m; a bare number is milliseconds" },
		{ "--timeout", "5", 0, "--timeout '5': expected 10ms to 10m" },
		{ "--timeout", "2 s", 0, "--timeout '2 s': expected a duration "
		  "like 500ms, 30s, 5m, 1h30m or 2d (10ms to 10m)" },
		{ "--deadline", "2m", 120000, NULL },
		{ "--deadline", "1h30m", 5400000, NULL },
		{ "--deadline", "60", 0, "--deadline '60': a number needs its "
		  "unit (ms, s, m, h, d, w)" },
		{ "--deadline", "0", 0, "--deadline '0': expected 100ms to 1d" },
		{ "--deadline", "2d", 0, "--deadline '2d': expected 100ms to 1d" },
	};
	char err[192];
	struct opts o;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ARGV(sdup("bmcfleet"), sdup(v[i].opt), sdup(v[i].val),
		    sdup("-H"), sdup("n1"), sdup("power"), sdup("status"));
		if (v[i].ms == 0) {
			ck_assert_int_eq(opts_parse(&o, argc, argv, err,
			    sizeof(err)), -1);
			ck_assert_msg(strncmp(err, v[i].err,
			    strlen(v[i].err)) == 0, "%s %s: '%s'", v[i].opt,
			    v[i].val, err);
		} else {
			ck_assert_int_eq(opts_parse(&o, argc, argv, err,
			    sizeof(err)), 0);
			ck_assert_uint_eq(v[i].opt[2] == 't' ? o.timeout_ms :
			    o.deadline_ms, v[i].ms);
		}
		opts_release(&o);
	}
}
END_TEST

START_TEST(test_alternatives_conflict)
{
	struct opts o;
	char err[128];
	ARGV(sdup("bmcfleet"), sdup("-E"), sdup("-f"), sdup("/x"));

	ck_assert_int_eq(opts_parse(&o, argc, argv, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "alternatives"));
	opts_release(&o);
}
END_TEST

START_TEST(test_auth_type)
{
	static const struct {
		const char	*arg;
		int		 type;
	} ok[] = {
		{ "none", IPMI_AUTH_NONE }, { "MD2", IPMI_AUTH_MD2 },
		{ "md5", IPMI_AUTH_MD5 }, { "password", IPMI_AUTH_STRAIGHT },
		{ "straight", IPMI_AUTH_STRAIGHT },
	};
	struct opts o;
	char err[128];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ARGV(sdup("bmcfleet"), sdup("-A"), sdup(ok[i].arg), sdup("-I"),
		    sdup("lan"), sdup("power"), sdup("status"));

		ck_assert_int_eq(opts_parse(&o, argc, argv, err, sizeof(err)),
		    0);
		ck_assert_int_eq(o.auth_type, ok[i].type);
		opts_release(&o);
	}
}
END_TEST

START_TEST(test_kg)
{
	struct opts o;
	uint8_t kg[IPMI_KG_LEN];
	char err[128];

	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(opts_kg(&o, kg, err, sizeof(err)), 0);
	o.kg_hex = "0x0102ff";
	ck_assert_int_eq(opts_kg(&o, kg, err, sizeof(err)), IPMI_KG_LEN);
	ck_assert_int_eq(kg[0], 1);
	ck_assert_int_eq(kg[2], 0xff);
	ck_assert_int_eq(kg[3], 0);
	o.kg_hex = "0g";
	ck_assert_int_eq(opts_kg(&o, kg, err, sizeof(err)), -1);
	o.kg_hex = NULL;
	o.kg = "secretkey";
	ck_assert_int_eq(opts_kg(&o, kg, err, sizeof(err)), IPMI_KG_LEN);
	ck_assert_int_eq(memcmp(kg, "secretkey\0", 10), 0);
}
END_TEST

/* K_g is as secret as the password: -k and -y are scrubbed from argv */
START_TEST(test_kg_scrubbed_from_argv)
{
	struct opts o;
	uint8_t kg[IPMI_KG_LEN];
	char err[128];

	{
		ARGV(sdup("bmcfleet"), sdup("-k"), sdup("Walrus-kg-9"),
		    sdup("-E"), sdup("--kg-hex"), sdup("0a0b"));

		/* both: refused, and neither left readable in argv */
		ck_assert_int_eq(opts_parse(&o, argc, argv, err, sizeof(err)),
		    -1);
		ck_assert_ptr_nonnull(strstr(err, "alternatives"));
		ck_assert_str_eq(argv[2], "xxxxxxxxxxx");
		ck_assert_str_eq(argv[5], "xxxx");
		opts_release(&o);
	}
	{
		ARGV(sdup("bmcfleet"), sdup("-k"), sdup("Walrus-kg-9"),
		    sdup("-E"), sdup("power"), sdup("status"));

		ck_assert_int_eq(opts_parse(&o, argc, argv, err, sizeof(err)),
		    0);
		ck_assert_str_eq(argv[2], "xxxxxxxxxxx");
		ck_assert_int_eq(opts_kg(&o, kg, err, sizeof(err)),
		    IPMI_KG_LEN);
		ck_assert_int_eq(memcmp(kg, "Walrus-kg-9\0", 12), 0);
		opts_release(&o);
		ck_assert_ptr_null(o.kg);
	}
	{
		ARGV(sdup("bmcfleet"), sdup("-y"), sdup("0x0102ff"), sdup("-E"),
		    sdup("power"), sdup("status"));

		ck_assert_int_eq(opts_parse(&o, argc, argv, err, sizeof(err)),
		    0);
		ck_assert_str_eq(argv[2], "xxxxxxxx");
		ck_assert_int_eq(opts_kg(&o, kg, err, sizeof(err)),
		    IPMI_KG_LEN);
		ck_assert_int_eq(kg[2], 0xff);
		opts_release(&o);
	}
	{
		ARGV(sdup("bmcfleet"), sdup("-y"), sdup("0a0bzz"), sdup("-E"),
		    sdup("power"), sdup("status"));

		ck_assert_int_eq(opts_parse(&o, argc, argv, err, sizeof(err)),
		    0);
		ck_assert_int_eq(opts_kg(&o, kg, err, sizeof(err)), -1);
		/* a mistyped key is nearly the key: not echoed */
		ck_assert_ptr_null(strstr(err, "0a0b"));
		opts_release(&o);
	}
}
END_TEST

static int
run_db(int argc, char **argv)
{
	return argc > 0 && strcmp(argv[0], "db") == 0 ? 10 : -1;
}

static int
run_report(int argc, char **argv)
{
	return argc > 0 && argv[0] != NULL ? 20 : -1;
}

/* shaped as cli/main.c's table */
static const struct cli_command tab[] = {
	{ "db", run_db, 0, "database" },
	{ "power", run_report, CMD_DIRECT_WITH_HOSTS, "staged power" },
	{ "sensors", run_report, CMD_DIRECT_WITH_HOSTS, "stored readings" },
	{ "events", run_report, 0, "SEL history" },
};

/* the name of the command argv (NULL-terminated, after "bmcfleet") names */
static const char *
find(const char *a1, ...)
{
	char *argv[16];
	const char *s;
	const struct cli_command *c;
	int argc = 0;
	va_list ap;

	argv[argc++] = sdup("bmcfleet");
	va_start(ap, a1);
	for (s = a1; s != NULL && argc < 15; s = va_arg(ap, const char *))
		argv[argc++] = sdup(s);
	va_end(ap);
	argv[argc] = NULL;
	c = opts_find_command(tab, sizeof(tab) / sizeof(tab[0]), argc, argv);
	return c ? c->name : NULL;
}

START_TEST(test_find_command)
{
	const struct cli_command *c;
	ARGV(sdup("bmcfleet"), sdup("db"), sdup("migrate"));

	c = opts_find_command(tab, 4, argc, argv);
	ck_assert_ptr_eq(c, &tab[0]);
	ck_assert_int_eq(c->run(argc - 1, argv + 1), 10);
	ck_assert_ptr_null(opts_find_command(tab, 4, 1, argv));

	ck_assert_ptr_null(find(NULL, NULL));
	ck_assert_str_eq(find("events", "@all", NULL), "events");
	ck_assert_str_eq(find("power", NULL), "power");
	ck_assert_str_eq(find("power", "on", "@rack1", "--batch", "4", NULL),
	    "power");
	/* exactly the name: no prefixes, no case folding, no guessing */
	ck_assert_ptr_null(find("pow", "on", NULL));
	ck_assert_ptr_null(find("Power", "on", NULL));
	ck_assert_ptr_null(find("dbx", NULL));
	/* a first word that is an option or a direct verb: direct mode */
	ck_assert_ptr_null(find("-H", "n1", "power", "status", NULL));
	ck_assert_ptr_null(find("mc", "info", "-H", "n1", NULL));
	/* power and sensors with -H anywhere after them: direct mode */
	ck_assert_ptr_null(find("power", "status", "-H", "n[1-4]", NULL));
	ck_assert_ptr_null(find("sensors", "--hosts", "n1", NULL));
	ck_assert_ptr_null(find("sensors", "--hosts=n1", NULL));
	ck_assert_ptr_null(find("sensors", "--ho", "n1", NULL));
	ck_assert_ptr_null(find("sensors", "-vH", "n1", NULL));
	ck_assert_ptr_null(find("sensors", "-Hn1", NULL));
	/* an H that is an option's value, or after --, is not -H */
	ck_assert_str_eq(find("sensors", "-UH", NULL), "sensors");
	ck_assert_str_eq(find("sensors", "-pH", NULL), "sensors");
	ck_assert_str_eq(find("sensors", "-U", "H", NULL), "sensors");
	ck_assert_str_eq(find("sensors", "--", "-H", NULL), "sensors");
	ck_assert_str_eq(find("sensors", "--h", NULL), "sensors");
	ck_assert_str_eq(find("sensors", "--state", "warning", NULL),
	    "sensors");
	/* the others take -H as theirs to refuse */
	ck_assert_str_eq(find("events", "-H", "n1", NULL), "events");
	ck_assert_str_eq(find("db", "-H", "n1", NULL), "db");
}
END_TEST

/* argv after opts_find_command, joined by spaces, or "direct" for NULL */
static const char *
lead(const char *a1, ...)
{
	static char out[256];
	char *argv[16];
	const char *s;
	int argc = 0;
	va_list ap;

	argv[argc++] = sdup("bmcfleet");
	va_start(ap, a1);
	for (s = a1; s != NULL && argc < 15; s = va_arg(ap, const char *))
		argv[argc++] = sdup(s);
	va_end(ap);
	argv[argc] = NULL;
	if (opts_find_command(tab, sizeof(tab) / sizeof(tab[0]), argc,
	    argv) == NULL)
		return "direct";
	out[0] = '\0';
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			strcat(out, " ");
		strcat(out, argv[i]);
	}
	return out;
}

START_TEST(test_find_command_after_options)
{
	/* the shared options before the name follow it, in their order */
	ck_assert_str_eq(lead("-c", "f.yaml", "events", NULL),
	    "events -c f.yaml");
	ck_assert_str_eq(lead("-cf.yaml", "--db", "x", "events", "@all",
	    NULL), "events -cf.yaml --db x @all");
	ck_assert_str_eq(lead("--config=f.yaml", "--db=x", "-v", "db",
	    "migrate", NULL), "db --config=f.yaml --db=x -v migrate");
	ck_assert_str_eq(lead("--format", "json", "-q", "--verbose",
	    "sensors", "@all", NULL), "sensors --format json -q --verbose "
	    "@all");
	ck_assert_str_eq(lead("--help", "events", NULL), "events --help");
	/* a value that is a command's name is the option's */
	ck_assert_str_eq(lead("-c", "events", "db", NULL), "db -c events");
	/* nothing before: unchanged */
	ck_assert_str_eq(lead("events", "-c", "f", NULL), "events -c f");
	/* direct mode: -H first, a direct verb, or power with -H after */
	ck_assert_str_eq(lead("-v", "-H", "n1", "power", "status", NULL),
	    "direct");
	ck_assert_str_eq(lead("-v", "mc", "info", "-H", "n1", NULL),
	    "direct");
	ck_assert_str_eq(lead("-v", "power", "status", "-H", "n1", NULL),
	    "direct");
	ck_assert_str_eq(lead("--format", "json", "sensors", "-Hn1", NULL),
	    "direct");
	/* an option fleet commands do not share, or one missing its value */
	ck_assert_str_eq(lead("-U", "x", "events", NULL), "direct");
	ck_assert_str_eq(lead("-vH", "events", NULL), "direct");
	ck_assert_str_eq(lead("-c", NULL), "direct");
	ck_assert_str_eq(lead("--dbx", "y", "events", NULL), "direct");
}
END_TEST

static Suite *
opts_suite(void)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults_and_verb);
	tcase_add_test(tc, test_password_scrubbed_from_argv);
	tcase_add_test(tc, test_password_env_and_file);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_durations);
	tcase_add_test(tc, test_alternatives_conflict);
	tcase_add_test(tc, test_auth_type);
	tcase_add_test(tc, test_kg);
	tcase_add_test(tc, test_kg_scrubbed_from_argv);
	tcase_add_test(tc, test_find_command);
	tcase_add_test(tc, test_find_command_after_options);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(opts_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
