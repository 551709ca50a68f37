/*
 * rail: direct mode's question before power and sel clear (at most the
 * limit: none; --yes: none; a terminal: asked, anything but y/yes
 * declines and says so; no terminal: refused, naming --yes), where the
 * limit and the database come from, the syslog line, and a database that
 * cannot be reached costing a warning, not the command.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/rail.h"
#include "ckmain.h"

static const char *const hosts[] = { "node1", "node2", "node3", "node4" };

/* rail_confirm with answer on its input; what it said into out. */
static enum rail_answer
ask(size_t n, uint32_t limit, int yes, int tty, const char *answer,
    char *out, size_t outlen)
{
	FILE *in, *o;
	enum rail_answer a;

	in = fmemopen((void *)answer, strlen(answer) + 1, "r");
	ck_assert_ptr_nonnull(in);
	memset(out, 0, outlen);
	o = fmemopen(out, outlen, "w");
	ck_assert_ptr_nonnull(o);
	a = rail_confirm("power off", hosts, n, limit, yes, tty, in, o);
	fclose(o);
	fclose(in);
	return a;
}

START_TEST(confirm_limit)
{
	char out[512];

	/* at most the limit: no question, terminal or not */
	ck_assert_int_eq(ask(4, 4, 0, 0, "", out, sizeof(out)), RAIL_GO);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(ask(1, 4, 0, 1, "n\n", out, sizeof(out)), RAIL_GO);
	ck_assert_str_eq(out, "");
	/* --yes: none either */
	ck_assert_int_eq(ask(4, 1, 1, 0, "", out, sizeof(out)), RAIL_GO);
	ck_assert_str_eq(out, "");
	/* a limit of 0 asks for every host */
	ck_assert_int_eq(ask(1, 0, 0, 0, "", out, sizeof(out)),
	    RAIL_REFUSED);
}
END_TEST

START_TEST(confirm_script)
{
	char out[512];

	ck_assert_int_eq(ask(4, 2, 0, 0, "y\n", out, sizeof(out)),
	    RAIL_REFUSED);
	ck_assert_str_eq(out, "bmcfleet: power off: 4 hosts, more than the "
	    "confirm limit (2): give --yes to go on without a terminal\n");
}
END_TEST

START_TEST(confirm_terminal)
{
	char out[512];

	ck_assert_int_eq(ask(4, 2, 0, 1, "y\n", out, sizeof(out)), RAIL_GO);
	ck_assert_str_eq(out, "power off: 4 hosts (node1, node2, node3, and "
	    "1 more). Go on? [y/N] ");
	ck_assert_int_eq(ask(3, 2, 0, 1, "yes\n", out, sizeof(out)), RAIL_GO);
	ck_assert_str_eq(out, "power off: 3 hosts (node1, node2, node3). "
	    "Go on? [y/N] ");
	ck_assert_int_eq(ask(4, 2, 0, 1, "Y\n", out, sizeof(out)), RAIL_GO);
	/* anything else declines, and says so */
	ck_assert_int_eq(ask(4, 2, 0, 1, "\n", out, sizeof(out)),
	    RAIL_DECLINED);
	ck_assert_ptr_nonnull(strstr(out, "Go on? [y/N] bmcfleet: not "
	    "confirmed: nothing done\n"));
	ck_assert_int_eq(ask(4, 2, 0, 1, "n\n", out, sizeof(out)),
	    RAIL_DECLINED);
	ck_assert_int_eq(ask(4, 2, 0, 1, "yup\n", out, sizeof(out)),
	    RAIL_DECLINED);
	/* end of input: no */
	ck_assert_int_eq(ask(4, 2, 0, 1, "", out, sizeof(out)),
	    RAIL_DECLINED);
}
END_TEST

START_TEST(log_line)
{
	struct rail_result ok = { "node07", 1, NULL };
	struct rail_result bad = { "node08", 0, "timeout: no answer" };
	char buf[128];

	rail_log_line(buf, sizeof(buf), "power off", &ok, "alice");
	ck_assert_str_eq(buf, "power off node07 by alice: ok");
	rail_log_line(buf, sizeof(buf), "sel clear", &bad, "alice");
	ck_assert_str_eq(buf, "sel clear node08 by alice: failed: timeout: "
	    "no answer");
}
END_TEST

/* A config file in a fresh directory holding text; its path in path. */
static void
write_config(char *path, size_t len, const char *text)
{
	const char *tmp = getenv("TMPDIR");
	char dir[200];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/test_rail.XXXXXX", tmp != NULL &&
	    *tmp != '\0' ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, len, "%s/bmcfleet.yaml", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

START_TEST(setup_sources)
{
	struct rail r;
	char path[256], warn[512];
	FILE *w;

	/* no config: the default limit; the database from the environment */
	setenv("BMCFLEET_CONFIG", "/nonexistent/bmcfleet.yaml", 1);
	unsetenv("BMCFLEET_DB");
	ck_assert_int_eq(rail_setup(&r, NULL, stderr), 0);
	ck_assert_uint_eq(r.limit, RAIL_CONFIRM_LIMIT);
	ck_assert_ptr_null(r.db);
	ck_assert_str_ne(r.who, "");
	ck_assert_ptr_nonnull(strchr(r.origin, ':'));
	rail_release(&r);
	setenv("BMCFLEET_DB", "dbname=fromenv", 1);
	ck_assert_int_eq(rail_setup(&r, NULL, stderr), 0);
	ck_assert_str_eq(r.db, "dbname=fromenv");
	rail_release(&r);
	/* --db wins */
	ck_assert_int_eq(rail_setup(&r, "dbname=opt", stderr), 0);
	ck_assert_str_eq(r.db, "dbname=opt");
	rail_release(&r);

	/* a config: its limit and its database */
	unsetenv("BMCFLEET_DB");
	write_config(path, sizeof(path), "database: \"dbname=fromcfg\"\n"
	    "scheduler:\n  confirm_limit: 7\n");
	setenv("BMCFLEET_CONFIG", path, 1);
	ck_assert_int_eq(rail_setup(&r, NULL, stderr), 0);
	ck_assert_uint_eq(r.limit, 7);
	ck_assert_str_eq(r.db, "dbname=fromcfg");
	rail_release(&r);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);

	/* a config that does not load: said, and the default */
	write_config(path, sizeof(path), "scheduler:\n  confirm_limit: many\n");
	setenv("BMCFLEET_CONFIG", path, 1);
	memset(warn, 0, sizeof(warn));
	ck_assert_ptr_nonnull(w = fmemopen(warn, sizeof(warn), "w"));
	ck_assert_int_eq(rail_setup(&r, NULL, w), 0);
	fclose(w);
	ck_assert_uint_eq(r.limit, RAIL_CONFIRM_LIMIT);
	ck_assert_msg(strstr(warn, "bmcfleet: warning: ") == warn &&
	    strstr(warn, "confirm limit 50") != NULL, "warning '%s'", warn);
	rail_release(&r);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	unsetenv("BMCFLEET_CONFIG");
}
END_TEST

START_TEST(record_no_database)
{
	struct rail r;
	struct rail_result res[2] = { { "node1", 1, NULL },
	    { "node2", 0, "timeout: no answer" } };
	char warn[512];
	FILE *w;

	memset(&r, 0, sizeof(r));
	snprintf(r.who, sizeof(r.who), "alice");
	/* no database: syslog only, nothing said */
	memset(warn, 0, sizeof(warn));
	ck_assert_ptr_nonnull(w = fmemopen(warn, sizeof(warn), "w"));
	ck_assert_int_eq(rail_record(&r, "power off", "off", res, 2, w), 0);
	fclose(w);
	ck_assert_str_eq(warn, "");
	/* one that cannot be reached: said once, the command goes on */
	r.db = strdup("host=/nonexistent/socket/dir dbname=x");
	memset(warn, 0, sizeof(warn));
	ck_assert_ptr_nonnull(w = fmemopen(warn, sizeof(warn), "w"));
	ck_assert_int_eq(rail_record(&r, "power off", "off", res, 2, w), -1);
	fclose(w);
	ck_assert_msg(strncmp(warn, "bmcfleet: warning: audit not written: ",
	    38) == 0 && strchr(warn, '\n') == warn + strlen(warn) - 1,
	    "warning '%s'", warn);
	rail_release(&r);
}
END_TEST

static Suite *
rail_suite(void)
{
	Suite *s = suite_create("rail");
	TCase *tc = tcase_create("rail");

	tcase_add_test(tc, confirm_limit);
	tcase_add_test(tc, confirm_script);
	tcase_add_test(tc, confirm_terminal);
	tcase_add_test(tc, log_line);
	tcase_add_test(tc, setup_sources);
	tcase_add_test(tc, record_no_database);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(rail_suite());
}
