#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/units.h"
#include "lib/yml.h"
#include "tests/unit/ckmain.h"

static const char *const keys[] = { "name", "targets", "batch", "verify",
	"verify_timeout", NULL };

/* s loaded as "t.yaml", its root checked against ks; 0 or -1 with err */
static int
check_with(const char *s, const char *const *ks, char *err, size_t len)
{
	yaml_document_t doc;
	yaml_node_t *root;
	int rc;

	if (yml_load_string(&doc, s, strlen(s), "t.yaml", err, len) != 0)
		return -1;
	ck_assert_ptr_nonnull(root = yaml_document_get_root_node(&doc));
	rc = yml_check_keys(&doc, root, "a stage", ks, "t.yaml", err, len);
	yaml_document_delete(&doc);
	return rc;
}

static int
check(const char *s, char *err, size_t len)
{
	return check_with(s, keys, err, len);
}

START_TEST(keys_checked)
{
	char err[512];

	ck_assert_int_eq(check("name: a\nbatch: 5\n", err, sizeof(err)), 0);
	ck_assert_int_eq(check("name: a\nbacth: 5\n", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.yaml:2:1: unknown key 'bacth' (did you mean "
	    "'batch'?)");
	ck_assert_int_eq(check("name: a\n  \nzzz: 5\n", err, sizeof(err)),
	    -1);
	ck_assert_str_eq(err, "t.yaml:3:1: unknown key 'zzz' in a stage "
	    "(expected name, targets, batch, verify, verify_timeout)");
	ck_assert_int_eq(check("name: a\nbatch: 1\n name: b\n", err,
	    sizeof(err)), -1);	/* a syntax error: the parser's words */
	ck_assert_int_eq(strncmp(err, "t.yaml:3:", 9), 0);
	ck_assert_int_eq(check("name: a\nbatch: 1\nname: b\n", err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "t.yaml:3:1: duplicate key 'name' (first at "
	    "line 1, column 1)");
	ck_assert_int_eq(check("[1, 2]\n", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.yaml:1:1: a stage: expected a mapping (key: "
	    "value)");
	ck_assert_int_eq(check("~: 1\n", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.yaml:1:1: a stage: expected a key name");
}
END_TEST

START_TEST(parser_errors)
{
	yaml_document_t doc;
	char err[512];

	ck_assert_int_eq(yml_load_string(&doc, "a: [1\n", 6, "x.yaml", err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "x.yaml:2:1: did not find expected ',' or ']' "
	    "(while parsing a flow sequence at line 1, column 4)");
	ck_assert_int_eq(yml_load_file(&doc, "/nonexistent/x.yaml", err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "/nonexistent/x.yaml: No such file or "
	    "directory");
}
END_TEST

/* s loaded from a string and from a file: the error, the same in both */
static void
expect_load_err(const char *s, const char *want)
{
	char path[] = "/tmp/test_yml.XXXXXX", err[512], head[64];
	yaml_document_t doc;
	size_t n = strlen(s);
	int fd;

	ck_assert_int_eq(yml_load_string(&doc, s, n, "t.yaml", err,
	    sizeof(err)), -1);
	ck_assert_msg(strcmp(err, want) == 0, "string: '%s', want '%s'", err,
	    want);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(write(fd, s, n), (ssize_t)n);
	close(fd);
	ck_assert_int_eq(yml_load_file(&doc, path, err, sizeof(err)), -1);
	unlink(path);
	snprintf(head, sizeof(head), "%s:", path);
	ck_assert_int_eq(strncmp(err, head, strlen(head)), 0);
	ck_assert_msg(strcmp(err + strlen(path), want + strlen("t.yaml")) == 0,
	    "file: '%s', want '%s'", err, want);
}

START_TEST(tab_told)
{
	static const char indent[] = "a tab is not allowed in YAML "
	    "indentation; use spaces";
	char want[128], big[16384];

	/* libyaml: "found character that cannot start any token" */
	snprintf(want, sizeof(want), "t.yaml:2:1: %s", indent);
	expect_load_err("a:\n\tb: 1\n", want);
	/* "found a tab character that violates indentation" */
	snprintf(want, sizeof(want), "t.yaml:3:1: %s", indent);
	expect_load_err("a:\n  b: 1\n\tc: 2\n", want);
	snprintf(want, sizeof(want), "t.yaml:3:3: %s", indent);
	expect_load_err("a:\n    b: 1\n  \t  c: 2\n", want);
	/* a block scalar's, and a sequence's */
	snprintf(want, sizeof(want), "t.yaml:3:1: %s", indent);
	expect_load_err("a: |\n  x\n\ty\n", want);
	expect_load_err("a:\n  - x\n\t- y\n", want);
	/* columns count characters: an accented name before it */
	snprintf(want, sizeof(want), "t.yaml:3:3: %s", indent);
	expect_load_err("\"\xc3\xa9t\xc3\xa9\":\n    b: 1\n  \t  c: 2\n",
	    want);
	/* past the first 4096 bytes of a file (it is read in pieces) */
	memset(big, 0, sizeof(big));
	strcpy(big, "a:\n");
	for (int i = 0; i < 800; i++)
		strcat(big, "  k: 123456\n");
	strcat(big, "\tb: 1\n");
	snprintf(want, sizeof(want), "t.yaml:802:1: %s", indent);
	expect_load_err(big, want);
	/* a tab where YAML allows it is not an error; other faults keep
	 * libyaml's words */
	{
		yaml_document_t doc;
		char err[256];

		ck_assert_int_eq(yml_load_string(&doc, "a:\tb\n", 5, "t.yaml",
		    err, sizeof(err)), 0);
		yaml_document_delete(&doc);
	}
	expect_load_err("a: [1\n", "t.yaml:2:1: did not find expected ',' or "
	    "']' (while parsing a flow sequence at line 1, column 4)");
}
END_TEST

START_TEST(load_file)
{
	char path[] = "/tmp/test_yml.XXXXXX", err[256];
	yaml_document_t doc;
	yaml_node_t *root, *v;
	int fd;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(write(fd, "k: v\n", 5), 5);
	close(fd);
	ck_assert_int_eq(yml_load_file(&doc, path, err, sizeof(err)), 0);
	unlink(path);
	ck_assert_ptr_nonnull(root = yaml_document_get_root_node(&doc));
	v = yaml_document_get_node(&doc,
	    root->data.mapping.pairs.start->value);
	ck_assert_str_eq(yml_str(v), "v");
	ck_assert_int_eq(yml_errf(err, sizeof(err), "f", v, "bad %s", "v"),
	    -1);
	ck_assert_str_eq(err, "f:1:4: bad v");
	yaml_document_delete(&doc);
}
END_TEST

START_TEST(scalars_and_nulls)
{
	static const char *const nulls[] = { "k:\n", "k: ~\n", "k: null\n",
		"k: Null\n", "k: NULL\n" };
	static const char *const texts[] = { "k: 'null'\n", "k: \"~\"\n",
		"k: nil\n", "k: ''\n" };
	yaml_document_t doc;
	yaml_node_t *root, *v;
	char err[256];
	size_t i;

	for (i = 0; i < 9; i++) {
		const char *s = i < 5 ? nulls[i] : texts[i - 5];

		ck_assert_int_eq(yml_load_string(&doc, s, strlen(s), "t", err,
		    sizeof(err)), 0);
		root = yaml_document_get_root_node(&doc);
		v = yaml_document_get_node(&doc,
		    root->data.mapping.pairs.start->value);
		ck_assert_msg(yml_is_null(v) == (i < 5), "%s", s);
		ck_assert_ptr_nonnull(yml_scalar(v));
		ck_assert_msg((yml_str(v) == NULL) == (i < 5), "%s", s);
		/* a mapping is not a scalar */
		ck_assert_ptr_null(yml_scalar(root));
		ck_assert_ptr_null(yml_str(root));
		ck_assert_int_eq(yml_is_null(root), 0);
		yaml_document_delete(&doc);
	}
}
END_TEST

/* keys NULL: any name, still no null key and none twice */
START_TEST(any_key_names)
{
	char err[512];

	ck_assert_int_eq(check_with("zzz: 1\nrack1: 2\n", NULL, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(check_with("a: 1\nb: 2\nc: 3\nb: 4\n", NULL, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "t.yaml:4:1: duplicate key 'b' (first at "
	    "line 2, column 1)");
	ck_assert_int_eq(check_with("a: 1\n~: 2\n", NULL, err, sizeof(err)),
	    -1);
	ck_assert_str_eq(err, "t.yaml:2:1: a stage: expected a key name");
	ck_assert_int_eq(check_with("{}\n", NULL, err, sizeof(err)), 0);
}
END_TEST

/* several faults: the first in the document is told */
START_TEST(first_fault_told)
{
	char err[512];

	/* the second 'name' (line 3) comes before 'bacth' (line 4) */
	ck_assert_int_eq(check_with("name: a\nbatch: 1\nname: b\nbacth: 2\n",
	    keys, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.yaml:3:1: duplicate key 'name' (first at "
	    "line 1, column 1)");
	ck_assert_int_eq(check_with("name: a\nbacth: 1\nname: b\n", keys,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.yaml:2:1: unknown key 'bacth' (did you mean "
	    "'batch'?)");
	/* of two keys given twice, the one whose second comes first; the
	 * first of three is named */
	ck_assert_int_eq(check_with("b: 1\na: 1\nb: 2\nb: 3\na: 2\n", NULL,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.yaml:3:1: duplicate key 'b' (first at "
	    "line 1, column 1)");
	ck_assert_int_eq(check_with("b: 1\na: 1\na: 2\nb: 2\n", NULL, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "t.yaml:3:1: duplicate key 'a' (first at "
	    "line 2, column 1)");
}
END_TEST

/* a fleet-sized mapping: every key once, then one given again at the end */
START_TEST(large_mapping)
{
	size_t n = 20000, i, off = 0, cap = n * 16 + 32;
	char *s = malloc(cap), err[256];

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, cap - off, "h%zu: 1\n",
		    (i * 7919) % n);
	s[off] = '\0';
	ck_assert_int_eq(check_with(s, NULL, err, sizeof(err)), 0);
	snprintf(s + off, cap - off, "h0: 2\n");
	ck_assert_int_eq(check_with(s, NULL, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.yaml:20001:1: duplicate key 'h0' (first at "
	    "line 1, column 1)");
	free(s);
}
END_TEST

/* YML_FOR_PAIRS: each pair of a mapping, none of a scalar */
START_TEST(for_pairs)
{
	static const char s[] = "a: 1\nb: [x]\nc: 3\n";
	yaml_document_t doc;
	yaml_node_pair_t *pr;
	yaml_node_t *root, *kn, *vn, *sc;
	const char *key;
	char err[256], seen[8] = "";

	ck_assert_int_eq(yml_load_string(&doc, s, strlen(s), "t", err,
	    sizeof(err)), 0);
	root = yaml_document_get_root_node(&doc);
	YML_FOR_PAIRS(&doc, root, pr, kn, vn, key) {
		strcat(seen, key);
		strcat(seen, vn->type == YAML_SCALAR_NODE ? "s" : "q");
	}
	ck_assert_str_eq(seen, "asbqcs");
	sc = yaml_document_get_node(&doc,
	    root->data.mapping.pairs.start->value);
	YML_FOR_PAIRS(&doc, sc, pr, kn, vn, key)
		ck_abort_msg("a scalar has no pairs");
	yaml_document_delete(&doc);
}
END_TEST

START_TEST(errf_at)
{
	char err[64];

	ck_assert_int_eq(yml_errf_at(err, sizeof(err), "c.yaml", 12, 5,
	    "too many %s", "labels"), -1);
	ck_assert_str_eq(err, "c.yaml:12:5: too many labels");
	ck_assert_int_eq(yml_errf_at(NULL, 0, "c.yaml", 1, 1, "x"), -1);
}
END_TEST

START_TEST(durations)
{
	static const char s[] = "a: 1h30m\nb: 500\nc: [1s]\nd: 0\ne: 2d\n";
	yaml_document_t doc;
	yaml_node_pair_t *pr;
	yaml_node_t *root, *kn, *vn;
	const char *key;
	char err[256], msg[256];
	uint64_t ms = 7;

	ck_assert_int_eq(yml_load_string(&doc, s, strlen(s), "t", err,
	    sizeof(err)), 0);
	root = yaml_document_get_root_node(&doc);
	YML_FOR_PAIRS(&doc, root, pr, kn, vn, key) {
		int rc = yml_duration(vn, 0, UNITS_DAY, &ms, msg, sizeof(msg));

		if (!strcmp(key, "a")) {
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(ms, 90 * UNITS_MIN);
		} else if (!strcmp(key, "d")) {
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(ms, 0);
		} else {
			ck_assert_int_eq(rc, -1);
			/* a scalar is quoted, then why; a list is why alone */
			if (!strcmp(key, "b"))
				ck_assert_msg(!strncmp(msg, "'500': ", 7) &&
				    strstr(msg, "unit") != NULL, "%s", msg);
			else if (!strcmp(key, "c"))
				ck_assert_msg(msg[0] != '\'', "%s", msg);
			else
				ck_assert_msg(!strncmp(msg, "'2d': ", 6), "%s",
				    msg);
		}
	}
	yaml_document_delete(&doc);
}
END_TEST

static Suite *
yml_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("yml");
	tc = tcase_create("yml");
	tcase_add_test(tc, keys_checked);
	tcase_add_test(tc, durations);
	tcase_add_test(tc, parser_errors);
	tcase_add_test(tc, tab_told);
	tcase_add_test(tc, load_file);
	tcase_add_test(tc, scalars_and_nulls);
	tcase_add_test(tc, any_key_names);
	tcase_add_test(tc, first_fault_told);
	tcase_add_test(tc, large_mapping);
	tcase_add_test(tc, for_pairs);
	tcase_add_test(tc, errf_at);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(yml_suite());
}
