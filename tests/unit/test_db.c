/*
 * The database module's pure parts: migration file names, the directory
 * scan and its order, error positions, and the statement splitter that
 * lets a failed migration name its line.  Nothing here needs a server;
 * tests/integration/db-migrate.sh covers the rest.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store/db.h"

static void
expect_name(const char *file, int version, const char *name)
{
	char got[DB_MIGRATION_NAME_MAX];
	int v = -1;

	ck_assert_msg(db_migration_parse_name(file, &v, got, sizeof(got)) == 0,
	    "'%s' did not parse", file);
	ck_assert_int_eq(v, version);
	ck_assert_str_eq(got, name);
}

static void
expect_no_name(const char *file)
{
	char got[DB_MIGRATION_NAME_MAX];
	int v;

	ck_assert_msg(db_migration_parse_name(file, &v, got, sizeof(got))
	    == -1, "'%s' parsed", file);
}

START_TEST(parse_name)
{
	expect_name("001_init.sql", 1, "init");
	expect_name("1_init.sql", 1, "init");
	expect_name("010_sel-dedup_v2.sql", 10, "sel-dedup_v2");
	expect_name("999999999_last.sql", 999999999, "last");
}
END_TEST

START_TEST(parse_name_rejects)
{
	char small[5];
	int v;

	expect_no_name("init.sql");
	expect_no_name("_init.sql");
	expect_no_name("000_zero.sql");
	expect_no_name("001init.sql");
	expect_no_name("001_.sql");
	expect_no_name("001_init.sql~");
	expect_no_name("001_init.sql.orig");
	expect_no_name("001_init.SQL");
	expect_no_name("001_in it.sql");
	expect_no_name("001_a.b.sql");
	expect_no_name("1000000000_too_big.sql");
	expect_no_name("-01_neg.sql");
	expect_no_name(".001_hidden.sql");
	expect_no_name("README");
	expect_no_name("");
	/* a name that does not fit is refused, not cut */
	ck_assert_int_eq(db_migration_parse_name("001_abcde.sql", &v, small,
	    sizeof(small)), -1);
	ck_assert_int_eq(db_migration_parse_name("001_abcd.sql", &v, small,
	    sizeof(small)), 0);
	ck_assert_str_eq(small, "abcd");
}
END_TEST

static char tmpdir[64];

static void
touch(const char *name)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("SELECT 1;\n", f);
	fclose(f);
}

static void
rm_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(scan_order)
{
	struct db_migration *m;
	char err[256] = "", path[256];
	size_t n;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_db.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(db_migrations_scan(tmpdir, &m, &n, err, sizeof(err)),
	    -1);
	ck_assert_msg(strstr(err, "holds no migrations") != NULL, "%s", err);

	touch("010_ten.sql");
	touch("2_two.sql");
	touch("003_three.sql");
	touch("README");
	touch("003_three.sql~");
	touch(".004_hidden.sql");
	snprintf(path, sizeof(path), "%s/005_dir.sql", tmpdir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(db_migrations_scan(tmpdir, &m, &n, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(n, 3);
	/* numeric order, not the names' */
	ck_assert_int_eq(m[0].version, 2);
	ck_assert_str_eq(m[0].name, "two");
	ck_assert_int_eq(m[1].version, 3);
	ck_assert_int_eq(m[2].version, 10);
	ck_assert_str_eq(m[2].name, "ten");
	snprintf(path, sizeof(path), "%s/010_ten.sql", tmpdir);
	ck_assert_str_eq(m[2].path, path);
	db_migrations_free(m, n);

	touch("02_also-two.sql");
	ck_assert_int_eq(db_migrations_scan(tmpdir, &m, &n, err, sizeof(err)),
	    -1);
	ck_assert_msg(strstr(err, "two migrations numbered 2") != NULL, "%s",
	    err);
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(n, 0);
	rm_tmpdir();

	ck_assert_int_eq(db_migrations_scan("/nonexistent/schema", &m, &n, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'/nonexistent/schema'") != NULL, "%s", err);
}
END_TEST

START_TEST(text_position)
{
	int line, col;

	db_text_position("SELECT 1", 1, &line, &col);
	ck_assert_int_eq(line, 1);
	ck_assert_int_eq(col, 1);
	db_text_position("SELECT 1;\nSELEC 2", 11, &line, &col);
	ck_assert_int_eq(line, 2);
	ck_assert_int_eq(col, 1);
	/* characters, not bytes: the server counts "é" as one */
	db_text_position("-- \xc3\xa9\nSELEC", 6, &line, &col);
	ck_assert_int_eq(line, 2);
	ck_assert_int_eq(col, 1);
	db_text_position("a\nb", 99, &line, &col);
	ck_assert_int_eq(line, 2);
	ck_assert_int_eq(col, 2);
}
END_TEST

/* Split text, statements joined with "|". */
static void
expect_split(const char *text, const char *want)
{
	char got[1024];
	size_t pos = 0, start, len, off = 0;

	got[0] = '\0';
	while (db_sql_next(text, &pos, &start, &len) == 1) {
		ck_assert_uint_le(start + len, strlen(text));
		off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%.*s",
		    off > 0 ? "|" : "", (int)len, text + start);
		ck_assert_uint_lt(off, sizeof(got));
	}
	ck_assert_uint_eq(pos, strlen(text));
	ck_assert_msg(strcmp(got, want) == 0, "split '%s': got '%s', want '%s'",
	    text, got, want);
}

START_TEST(split_plain)
{
	expect_split("", "");
	expect_split("  \n\t", "");
	expect_split(";;", "");
	expect_split("-- only a comment\n", "");
	expect_split("/* only */ -- comments", "");
	expect_split("SELECT 1", "SELECT 1");
	expect_split("SELECT 1;", "SELECT 1");
	expect_split("SELECT 1; SELECT 2;\n", "SELECT 1|SELECT 2");
	expect_split("-- lead\n  SELECT 1 ;;\n\nSELECT 2", "SELECT 1 |SELECT 2");
	expect_split("SELECT 1 -- a; b\n, 2;", "SELECT 1 -- a; b\n, 2");
}
END_TEST

START_TEST(split_quotes)
{
	expect_split("SELECT 'a;b'; SELECT 2", "SELECT 'a;b'|SELECT 2");
	expect_split("SELECT 'it''s;'; SELECT 2", "SELECT 'it''s;'|SELECT 2");
	expect_split("SELECT E'a\\';b'; SELECT 2", "SELECT E'a\\';b'|SELECT 2");
	expect_split("SELECT e'\\\\'; SELECT 2", "SELECT e'\\\\'|SELECT 2");
	/* a backslash ends nothing in a standard string */
	expect_split("SELECT 'a\\'; SELECT 2", "SELECT 'a\\'|SELECT 2");
	/* ...nor after a word ending in E */
	expect_split("SELECT somE'\\'; SELECT 2", "SELECT somE'\\'|SELECT 2");
	expect_split("SELECT \"a;\"\"b\"; SELECT 2", "SELECT \"a;\"\"b\"|SELECT 2");
	expect_split("SELECT 1 /* a; /* nested; */ still; */; SELECT 2",
	    "SELECT 1 /* a; /* nested; */ still; */|SELECT 2");
}
END_TEST

START_TEST(split_dollar)
{
	expect_split("DO $$ BEGIN PERFORM 1; END $$; SELECT 2",
	    "DO $$ BEGIN PERFORM 1; END $$|SELECT 2");
	expect_split("DO $body$ a; $$ b; $x$ $body$; SELECT 2",
	    "DO $body$ a; $$ b; $x$ $body$|SELECT 2");
	expect_split("PREPARE p AS SELECT $1; SELECT 2",
	    "PREPARE p AS SELECT $1|SELECT 2");
	/* foo$bar is one identifier, not a dollar quote */
	expect_split("SELECT foo$bar$; SELECT 2", "SELECT foo$bar$|SELECT 2");
	expect_split("CREATE FUNCTION f() RETURNS int AS $f$\n"
	    "BEGIN\n  RETURN 1; -- '\nEND $f$ LANGUAGE plpgsql;\nSELECT f()",
	    "CREATE FUNCTION f() RETURNS int AS $f$\n"
	    "BEGIN\n  RETURN 1; -- '\nEND $f$ LANGUAGE plpgsql|SELECT f()");
}
END_TEST

START_TEST(split_unterminated)
{
	/* to the end: the server says what is wrong */
	expect_split("SELECT 1; SELECT 'a;", "SELECT 1|SELECT 'a;");
	expect_split("SELECT $$ a; b", "SELECT $$ a; b");
	expect_split("SELECT 1 /* a; b", "SELECT 1 /* a; b");
	expect_split("SELECT \"a;", "SELECT \"a;");
}
END_TEST

/* Every statement of the real migrations starts with a keyword. */
START_TEST(split_schema)
{
	struct db_migration *m;
	char err[256] = "", *text;
	size_t n, i, pos, start, len, stmts;
	FILE *f;
	long size;

	ck_assert_msg(db_migrations_scan(db_schema_dir(), &m, &n, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(m[0].version, 1);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(f = fopen(m[i].path, "r"));
		ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
		size = ftell(f);
		rewind(f);
		ck_assert_ptr_nonnull(text = calloc(1, (size_t)size + 1));
		ck_assert_uint_eq(fread(text, 1, (size_t)size, f), (size_t)size);
		fclose(f);
		stmts = 0;
		for (pos = 0; db_sql_next(text, &pos, &start, &len) == 1;
		    stmts++)
			ck_assert_msg(text[start] >= 'A' && text[start] <= 'Z',
			    "%s: a statement starts with '%.20s'", m[i].path,
			    text + start);
		ck_assert_msg(stmts > 0, "%s: no statement", m[i].path);
		free(text);
	}
	db_migrations_free(m, n);
}
END_TEST

static const char *
opt(PQconninfoOption *o, const char *key)
{
	for (; o->keyword != NULL; o++)
		if (strcmp(o->keyword, key) == 0)
			return o->val;
	return NULL;
}

/* the collector's connections: keepalives, a TCP user timeout and a
 * statement timeout by default, and the operator's conninfo wins */
START_TEST(service_defaults)
{
	PGconn *c = db_connect_start("host=/nonexistent/bmcfleet dbname=f");
	PQconninfoOption *o;

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(o = PQconninfo(c));
	ck_assert_str_eq(opt(o, "keepalives"), "1");
	ck_assert_str_eq(opt(o, "tcp_user_timeout"), DB_TCP_USER_TIMEOUT);
	ck_assert_str_eq(opt(o, "options"), DB_SERVICE_OPTIONS);
	ck_assert_str_eq(opt(o, "dbname"), "f");
	PQconninfoFree(o);
	PQfinish(c);

	c = db_connect_start("host=/nonexistent/bmcfleet dbname=f "
	    "tcp_user_timeout=1000 options='-c statement_timeout=5s'");
	ck_assert_ptr_nonnull(o = PQconninfo(c));
	ck_assert_str_eq(opt(o, "tcp_user_timeout"), "1000");
	ck_assert_str_eq(opt(o, "options"), "-c statement_timeout=5s");
	PQconninfoFree(o);
	PQfinish(c);
}
END_TEST

static Suite *
db_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("db");
	tc = tcase_create("migrations");
	tcase_add_test(tc, parse_name);
	tcase_add_test(tc, parse_name_rejects);
	tcase_add_test(tc, scan_order);
	suite_add_tcase(s, tc);
	tc = tcase_create("sql");
	tcase_add_test(tc, text_position);
	tcase_add_test(tc, split_plain);
	tcase_add_test(tc, split_quotes);
	tcase_add_test(tc, split_dollar);
	tcase_add_test(tc, split_unterminated);
	tcase_add_test(tc, split_schema);
	tcase_add_test(tc, service_defaults);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 nfail;

	sr = srunner_create(db_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
