/*
 * db: libpq helpers and the schema migration runner (see db.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <libpq-fe.h>

#include "store/db.h"

/*
 * The build sets this to the source tree's schema/ so that a freshly built
 * bmcfleet finds its migrations; make install will set the installed one.
 */
#ifndef BMCFLEET_SCHEMA_DIR
#define BMCFLEET_SCHEMA_DIR	"/usr/local/share/bmcfleet/schema"
#endif

/* pg_advisory_xact_lock key of the migration runner: "bmcfleet" in ASCII */
#define DB_MIGRATE_LOCK	"SELECT pg_advisory_xact_lock(7092434279734797684)"

/* A migration file larger than this is a mistake, not a schema. */
#define DB_MIGRATION_MAX_BYTES	(64L << 20)

static int	db_error(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static int
db_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void	db_log(FILE *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
db_log(FILE *log, const char *fmt, ...)
{
	va_list ap;

	if (log == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(log, fmt, ap);
	va_end(ap);
	fputc('\n', log);
	fflush(log);
}

/*
 * libpq's messages end in a newline and may span lines ("...failed: No
 * such file\n\tIs the server running locally...?\n"): one line for ours.
 */
static void
fold_message(const char *m, char *buf, size_t len)
{
	size_t o = 0;
	int space = 0;

	if (len == 0)
		return;
	for (; m != NULL && *m != '\0' && o + 1 < len; m++) {
		if (*m == '\n' || *m == '\t' || *m == '\r' || *m == ' ') {
			space = 1;
			continue;
		}
		if (space && o > 0 && o + 2 < len)
			buf[o++] = ' ';
		space = 0;
		buf[o++] = *m;
	}
	buf[o] = '\0';
}

/* The server's primary message of a failed result, or libpq's own. */
static void
result_message(PGconn *c, const PGresult *r, char *buf, size_t len)
{
	const char *m = NULL;

	if (r != NULL)
		m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	if (m == NULL && r != NULL && *PQresultErrorMessage(r) != '\0')
		m = PQresultErrorMessage(r);
	if (m == NULL)
		m = PQerrorMessage(c);
	fold_message(m, buf, len);
	if (*buf == '\0')
		snprintf(buf, len, "unknown error");
}

static int
result_ok(const PGresult *r)
{
	if (r == NULL)
		return 0;
	switch (PQresultStatus(r)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		return 1;
	default:
		return 0;
	}
}

/* Run sql, expecting no rows back or rows it does not want. */
static int
exec_simple(PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *r;
	char m[512];

	r = PQexec(c, sql);
	if (!result_ok(r)) {
		result_message(c, r, m, sizeof(m));
		PQclear(r);
		return db_error(err, errlen, "%s: %s", sql, m);
	}
	PQclear(r);
	return 0;
}

static void
rollback(PGconn *c)
{
	PQclear(PQexec(c, "ROLLBACK"));
}

static void
notice_to_log(void *arg, const char *message)
{
	if (arg != NULL) {
		fputs(message, arg);
		fflush(arg);
	}
}

static void
notice_to_stderr(void *arg, const char *message)
{
	(void)arg;
	fputs(message, stderr);
}

/*
 * Defaults before the operator's conninfo (dbname last, expanded: what it
 * says wins).  A service connection (the collector's, on its event loop)
 * also gets TCP keepalives, a TCP user timeout and a statement timeout, so
 * a silent network partition to PostgreSQL is noticed in seconds instead
 * of the kernel's 15 minutes, and no statement holds the loop for long.
 */
static void
conn_params(const char *conninfo, int service, const char **keys,
    const char **vals)
{
	size_t n = 0;

	keys[n] = "connect_timeout";		vals[n++] = "10";
	keys[n] = "client_encoding";		vals[n++] = "UTF8";
	keys[n] = "fallback_application_name";	vals[n++] = "bmcfleet";
	if (service) {
		keys[n] = "keepalives";		vals[n++] = "1";
		keys[n] = "keepalives_idle";	vals[n++] = "10";
		keys[n] = "keepalives_interval";vals[n++] = "5";
		keys[n] = "keepalives_count";	vals[n++] = "3";
		keys[n] = "tcp_user_timeout";	vals[n++] = DB_TCP_USER_TIMEOUT;
		keys[n] = "options";		vals[n++] = DB_SERVICE_OPTIONS;
	}
	keys[n] = "dbname";			vals[n++] = conninfo;
	keys[n] = NULL;				vals[n] = NULL;
}

static int
connect_with(const char *conninfo, int service, PGconn **out, char *err,
    size_t errlen)
{
	const char *keys[16], *vals[16];
	PGconn *c;
	char m[512];

	*out = NULL;
	conn_params(conninfo, service, keys, vals);
	if ((c = PQconnectdbParams(keys, vals, 1)) == NULL)
		return db_error(err, errlen, "out of memory");
	if (PQstatus(c) != CONNECTION_OK) {
		fold_message(PQerrorMessage(c), m, sizeof(m));
		PQfinish(c);
		return db_error(err, errlen, "cannot connect to the database: %s",
		    m);
	}
	*out = c;
	return 0;
}

int
db_connect(const char *conninfo, PGconn **out, char *err, size_t errlen)
{
	return connect_with(conninfo, 0, out, err, errlen);
}

void
db_close(PGconn *c)
{
	if (c != NULL)
		PQfinish(c);
}

int
db_connect_service(const char *conninfo, PGconn **out, char *err,
    size_t errlen)
{
	return connect_with(conninfo, 1, out, err, errlen);
}

PGconn *
db_connect_start(const char *conninfo)
{
	const char *keys[16], *vals[16];

	conn_params(conninfo, 1, keys, vals);
	return PQconnectStartParams(keys, vals, 1);
}

const char *
db_schema_dir(void)
{
	const char *d = getenv("BMCFLEET_SCHEMA_DIR");

	if (d != NULL && *d != '\0')
		return d;
	return BMCFLEET_SCHEMA_DIR;
}

static int
is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* A character of an SQL identifier or keyword (not its first, for '$'). */
static int
sql_ident_char(char ch)
{
	return is_name_char(ch) || ch == '$' || (unsigned char)ch >= 0x80;
}

/* Past the nested slash-star comment at s + i. */
static size_t
sql_skip_block_comment(const char *s, size_t i)
{
	int depth = 0;

	while (s[i] != '\0') {
		if (s[i] == '/' && s[i + 1] == '*') {
			depth++;
			i += 2;
		} else if (s[i] == '*' && s[i + 1] == '/') {
			i += 2;
			if (--depth == 0)
				return i;
		} else {
			i++;
		}
	}
	return i;
}

static size_t
sql_skip_line_comment(const char *s, size_t i)
{
	while (s[i] != '\0' && s[i] != '\n')
		i++;
	return i;
}

/* Past the quoted text opening at s + i; q doubled is a quote inside. */
static size_t
sql_skip_quoted(const char *s, size_t i, char q, int backslash)
{
	for (i++; s[i] != '\0'; i++) {
		if (backslash && s[i] == '\\' && s[i + 1] != '\0') {
			i++;
		} else if (s[i] == q) {
			if (s[i + 1] != q)
				return i + 1;
			i++;
		}
	}
	return i;
}

/* The length of the dollar-quote tag ($$ or $name$) at s, else 0. */
static size_t
sql_dollar_tag(const char *s)
{
	size_t n = 1;

	if (s[1] >= '0' && s[1] <= '9')
		return 0;	/* $1, a parameter */
	while (s[n] != '$') {
		if (s[n] == '\0' || !sql_ident_char(s[n]) || s[n] == '$')
			return 0;
		n++;
	}
	return n + 1;
}

int
db_sql_next(const char *s, size_t *pos, size_t *start, size_t *len)
{
	size_t i = *pos, b, tag;
	const char *end;

	for (;;) {
		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\f' || s[i] == ';')
			i++;
		if (s[i] == '-' && s[i + 1] == '-')
			i = sql_skip_line_comment(s, i);
		else if (s[i] == '/' && s[i + 1] == '*')
			i = sql_skip_block_comment(s, i);
		else
			break;
	}
	if (s[i] == '\0') {
		*pos = i;
		return 0;
	}
	b = i;
	while (s[i] != '\0' && s[i] != ';') {
		if (s[i] == '-' && s[i + 1] == '-') {
			i = sql_skip_line_comment(s, i);
		} else if (s[i] == '/' && s[i + 1] == '*') {
			i = sql_skip_block_comment(s, i);
		} else if (s[i] == '\'') {
			/* E'...' takes backslash escapes; 'E' alone, not xE */
			int e = i > b && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
			    (i - 1 == b || !sql_ident_char(s[i - 2]));

			i = sql_skip_quoted(s, i, '\'', e);
		} else if (s[i] == '"') {
			i = sql_skip_quoted(s, i, '"', 0);
		} else if (s[i] == '$' && (tag = sql_dollar_tag(s + i)) > 0) {
			char t[DB_MIGRATION_NAME_MAX];

			if (tag >= sizeof(t)) {
				i += tag;	/* longer than any sane tag */
				continue;
			}
			memcpy(t, s + i, tag);
			t[tag] = '\0';
			end = strstr(s + i + tag, t);
			i = end != NULL ? (size_t)(end - s) + tag : strlen(s);
		} else if (sql_ident_char(s[i])) {
			while (sql_ident_char(s[i]))
				i++;	/* foo$bar is one word, not a tag */
		} else {
			i++;
		}
	}
	*start = b;
	*len = i - b;
	*pos = s[i] == ';' ? i + 1 : i;
	return 1;
}

int
db_migration_parse_name(const char *file, int *version, char *name,
    size_t namelen)
{
	const char *p = file;
	long v = 0;
	size_t digits = 0, len, i;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 9)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (digits == 0 || v < 1 || *p++ != '_')
		return -1;
	len = strlen(p);
	if (len <= 4 || strcmp(p + len - 4, ".sql") != 0)
		return -1;
	len -= 4;
	for (i = 0; i < len; i++)
		if (!is_name_char(p[i]))
			return -1;
	if (len + 1 > namelen)
		return -1;
	memcpy(name, p, len);
	name[len] = '\0';
	*version = (int)v;
	return 0;
}

static int
migration_cmp(const void *a, const void *b)
{
	const struct db_migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

void
db_migrations_free(struct db_migration *m, size_t n)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < n; i++)
		free(m[i].path);
	free(m);
}

int
db_migrations_scan(const char *dir, struct db_migration **out, size_t *n,
    char *err, size_t errlen)
{
	struct db_migration *m = NULL, *nm;
	size_t len = 0, cap = 0, i;
	struct dirent *de;
	struct stat st;
	DIR *d;
	char name[DB_MIGRATION_NAME_MAX];
	char *path;
	int version, rc = -1;

	*out = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return db_error(err, errlen, "schema directory '%s': %s", dir,
		    strerror(errno));
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (db_migration_parse_name(de->d_name, &version, name,
		    sizeof(name)) == -1)
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) == -1) {
			db_error(err, errlen, "out of memory");
			goto out;
		}
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
			free(path);	/* a dangling link, a directory */
			continue;
		}
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nm = realloc(m, cap * sizeof(*m))) == NULL) {
				free(path);
				db_error(err, errlen, "out of memory");
				goto out;
			}
			m = nm;
		}
		m[len].version = version;
		memcpy(m[len].name, name, sizeof(name));
		m[len].path = path;
		len++;
	}
	if (errno != 0) {
		db_error(err, errlen, "schema directory '%s': %s", dir,
		    strerror(errno));
		goto out;
	}
	if (len == 0) {
		db_error(err, errlen,
		    "schema directory '%s' holds no migrations (NNN_name.sql)",
		    dir);
		goto out;
	}
	qsort(m, len, sizeof(*m), migration_cmp);
	for (i = 1; i < len; i++) {
		if (m[i].version == m[i - 1].version) {
			db_error(err, errlen, "two migrations numbered %d: '%s' "
			    "and '%s'", m[i].version, m[i - 1].path, m[i].path);
			goto out;
		}
	}
	*out = m;
	*n = len;
	m = NULL;
	len = 0;
	rc = 0;
out:
	closedir(d);
	db_migrations_free(m, len);
	return rc;
}

void
db_text_position(const char *text, int pos, int *line, int *col)
{
	const unsigned char *p = (const unsigned char *)text;
	int l = 1, c = 1, n = 0;

	for (; *p != '\0'; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;	/* a UTF-8 continuation byte */
		if (++n >= pos)
			break;
		if (*p == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* "001_init" of DIR/001_init.sql */
static void
migration_stem(const struct db_migration *m, char *buf, size_t len)
{
	const char *b = strrchr(m->path, '/');
	size_t n;

	b = b ? b + 1 : m->path;
	n = strlen(b);
	if (n > 4)
		n -= 4;
	snprintf(buf, len, "%.*s", (int)n, b);
}

static int
read_text_file(const char *path, char **out, char *err, size_t errlen)
{
	struct stat st;
	FILE *f;
	char *buf;
	size_t got;

	*out = NULL;
	if ((f = fopen(path, "r")) == NULL)
		return db_error(err, errlen, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) == -1) {
		db_error(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	if (st.st_size > DB_MIGRATION_MAX_BYTES) {
		fclose(f);
		return db_error(err, errlen, "%s: larger than %ld bytes", path,
		    DB_MIGRATION_MAX_BYTES);
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		fclose(f);
		return db_error(err, errlen, "out of memory");
	}
	got = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		db_error(err, errlen, "%s: read error", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	buf[got] = '\0';
	if (strlen(buf) != got) {
		free(buf);
		return db_error(err, errlen, "%s: holds a NUL byte", path);
	}
	*out = buf;
	return 0;
}

int
db_schema_version(PGconn *c, int *version, char *err, size_t errlen)
{
	PGresult *r;
	char m[512];
	int exists;

	*version = 0;
	r = PQexec(c, "SELECT to_regclass('schema_migrations') IS NOT NULL");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		result_message(c, r, m, sizeof(m));
		PQclear(r);
		return db_error(err, errlen, "reading the schema version: %s",
		    m);
	}
	exists = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!exists)
		return 0;
	r = PQexec(c, "SELECT coalesce(max(version), 0) FROM schema_migrations");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		result_message(c, r, m, sizeof(m));
		PQclear(r);
		return db_error(err, errlen, "reading the schema version: %s",
		    m);
	}
	*version = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

/* What schema_migrations holds, read once before applying anything. */
struct applied {
	int	*version;
	char	**name;
	size_t	 n;
	int	 max;
};

static void
applied_release(struct applied *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->name[i]);
	free(a->version);
	free(a->name);
	memset(a, 0, sizeof(*a));
}

static int
applied_has(const struct applied *a, int version, const char **name)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		if (a->version[i] == version) {
			if (name != NULL)
				*name = a->name[i];
			return 1;
		}
	}
	return 0;
}

/*
 * Create schema_migrations when missing (unless dry_run) and read it, under
 * the lock so that two first runs do not both create it.
 */
static int
applied_load(PGconn *c, int dry_run, struct applied *a, char *err,
    size_t errlen)
{
	PGresult *r = NULL;
	char m[512];
	int exists, i, rows;

	memset(a, 0, sizeof(*a));
	if (!dry_run && (exec_simple(c, "BEGIN", err, errlen) == -1 ||
	    exec_simple(c, DB_MIGRATE_LOCK, err, errlen) == -1))
		goto fail;
	r = PQexec(c, "SELECT to_regclass('schema_migrations') IS NOT NULL");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		goto fail_result;
	exists = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	r = NULL;
	if (!exists && !dry_run && exec_simple(c,
	    "CREATE TABLE schema_migrations ("
	    "version integer PRIMARY KEY, "
	    "name text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())",
	    err, errlen) == -1)
		goto fail;
	if (exists) {
		r = PQexec(c, "SELECT version, name FROM schema_migrations "
		    "ORDER BY version");
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			goto fail_result;
		rows = PQntuples(r);
		a->version = calloc(rows ? rows : 1, sizeof(*a->version));
		a->name = calloc(rows ? rows : 1, sizeof(*a->name));
		if (a->version == NULL || a->name == NULL) {
			db_error(err, errlen, "out of memory");
			goto fail;
		}
		for (i = 0; i < rows; i++) {
			if ((a->name[i] = strdup(PQgetvalue(r, i, 1))) == NULL) {
				db_error(err, errlen, "out of memory");
				goto fail;
			}
			a->version[i] = atoi(PQgetvalue(r, i, 0));
			a->n++;
			if (a->version[i] > a->max)
				a->max = a->version[i];
		}
		PQclear(r);
		r = NULL;
	}
	if (!dry_run && exec_simple(c, "COMMIT", err, errlen) == -1)
		goto fail;
	return 0;

fail_result:
	result_message(c, r, m, sizeof(m));
	db_error(err, errlen, "reading schema_migrations: %s", m);
fail:
	PQclear(r);
	if (!dry_run)
		rollback(c);
	applied_release(a);
	return -1;
}

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000L +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000L;
}

/* "; what: field" of a failed result, folded and cut short, or "". */
static void
error_field(const PGresult *r, int field, const char *what, char *buf,
    size_t len)
{
	const char *f;
	char folded[200];

	buf[0] = '\0';
	if (r == NULL || (f = PQresultErrorField(r, field)) == NULL)
		return;
	fold_message(f, folded, sizeof(folded));
	snprintf(buf, len, "; %s: %s", what, folded);
}

/*
 * The error of a failed migration: the file; the line (the statement's
 * first, or where the server points in it); the server's message, detail
 * and hint; and the context when a function body failed ("PL/pgSQL
 * function f() line 3").
 */
static void
migration_error(PGconn *c, const PGresult *r, const struct db_migration *mg,
    const char *stmt, int line, int at_version, char *err, size_t errlen)
{
	char msg[512], detail[256], hint[256], context[256], where[32] = "";
	const char *pos;
	int l, col;

	result_message(c, r, msg, sizeof(msg));
	if (line > 0) {
		if (r != NULL && stmt != NULL && (pos = PQresultErrorField(r,
		    PG_DIAG_STATEMENT_POSITION)) != NULL) {
			db_text_position(stmt, atoi(pos), &l, &col);
			line += l - 1;
		}
		snprintf(where, sizeof(where), " at line %d", line);
	}
	error_field(r, PG_DIAG_MESSAGE_DETAIL, "detail", detail,
	    sizeof(detail));
	error_field(r, PG_DIAG_MESSAGE_HINT, "hint", hint, sizeof(hint));
	error_field(r, PG_DIAG_CONTEXT, "context", context, sizeof(context));
	db_error(err, errlen, "migration %s failed%s: %s%s%s%s (rolled back; "
	    "the database stays at version %d)", mg->path, where, msg, detail,
	    hint, context, at_version);
}

/*
 * Apply one migration in its own transaction.  Returns 1 when applied, 0
 * when another runner applied it first, -1 on failure (rolled back).
 */
static int
migration_apply(PGconn *c, const struct db_migration *mg, int known,
    int *db_version, char *err, size_t errlen)
{
	const char *params[2];
	char vbuf[16], m[512], save;
	PGresult *r = NULL;
	char *sql = NULL;
	size_t pos, start, len, lpos;
	int max, done, line;

	if (read_text_file(mg->path, &sql, err, errlen) == -1)
		return -1;
	if (exec_simple(c, "BEGIN", err, errlen) == -1 ||
	    exec_simple(c, DB_MIGRATE_LOCK, err, errlen) == -1)
		goto fail;

	/* Under the lock, again: another runner may have moved on. */
	snprintf(vbuf, sizeof(vbuf), "%d", mg->version);
	params[0] = vbuf;
	r = PQexecParams(c, "SELECT coalesce(max(version), 0), "
	    "coalesce(bool_or(version = $1::integer), false) "
	    "FROM schema_migrations", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		result_message(c, r, m, sizeof(m));
		db_error(err, errlen, "reading schema_migrations: %s", m);
		goto fail;
	}
	max = atoi(PQgetvalue(r, 0, 0));
	done = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
	PQclear(r);
	r = NULL;
	if (max > *db_version)
		*db_version = max;
	if (max > known) {
		db_error(err, errlen, "database is at version %d, this bmcfleet "
		    "knows up to %d: upgrade bmcfleet", max, known);
		goto fail;
	}
	if (done) {
		rollback(c);
		free(sql);
		return 0;
	}

	/*
	 * One statement at a time, so that an error without a position (a
	 * missing table, a violated constraint) still names its line.
	 */
	pos = 0;
	if (db_sql_next(sql, &pos, &start, &len) == 0) {
		/* recorded, it would never run once someone fills it in */
		db_error(err, errlen, "migration %s holds no statement",
		    mg->path);
		goto fail;
	}
	for (pos = 0, line = 1, lpos = 0;
	    db_sql_next(sql, &pos, &start, &len) == 1;) {
		for (; lpos < start; lpos++)
			if (sql[lpos] == '\n')
				line++;
		save = sql[start + len];
		sql[start + len] = '\0';
		r = PQexec(c, sql + start);
		if (!result_ok(r)) {
			migration_error(c, r, mg, sql + start, line, *db_version,
			    err, errlen);
			goto fail;
		}
		sql[start + len] = save;
		PQclear(r);
		r = NULL;
		if (PQtransactionStatus(c) != PQTRANS_INTRANS) {
			db_error(err, errlen, "migration %s ends the transaction "
			    "at line %d (COMMIT or ROLLBACK in a migration): what "
			    "came before may be committed, and is not recorded; "
			    "check the database by hand", mg->path, line);
			goto fail;
		}
	}

	params[1] = mg->name;
	r = PQexecParams(c, "INSERT INTO schema_migrations (version, name) "
	    "VALUES ($1::integer, $2)", 2, NULL, params, NULL, NULL, 0);
	if (!result_ok(r)) {
		result_message(c, r, m, sizeof(m));
		db_error(err, errlen, "recording migration %s: %s", mg->path, m);
		goto fail;
	}
	PQclear(r);
	r = PQexec(c, "COMMIT");
	if (!result_ok(r)) {
		/* deferred constraints are checked here */
		migration_error(c, r, mg, NULL, 0, *db_version, err, errlen);
		goto fail;
	}
	PQclear(r);
	free(sql);
	if (mg->version > *db_version)
		*db_version = mg->version;
	return 1;

fail:
	PQclear(r);
	rollback(c);
	free(sql);
	return -1;
}

int
db_migrate(PGconn *c, const char *schema_dir, int dry_run, FILE *log,
    char *err, size_t errlen)
{
	struct db_migration *mg = NULL;
	struct applied a;
	struct timespec t0;
	const char *dbname;
	char stem[DB_MIGRATION_NAME_MAX + 16];
	size_t n = 0, i, pending = 0, applied = 0;
	int known, db_version, rc = -1, r;

	if (db_migrations_scan(schema_dir, &mg, &n, err, errlen) == -1)
		return -1;
	known = mg[n - 1].version;
	PQsetNoticeProcessor(c, notice_to_log, log);
	if (applied_load(c, dry_run, &a, err, errlen) == -1)
		goto out;
	db_version = a.max;
	if (a.max > known) {
		db_error(err, errlen, "database is at version %d, this bmcfleet "
		    "knows up to %d: upgrade bmcfleet", a.max, known);
		goto out;
	}
	for (i = 0; i < a.n; i++) {
		struct db_migration key = { .version = a.version[i] };

		if (bsearch(&key, mg, n, sizeof(*mg), migration_cmp) == NULL)
			db_log(log, "warning: the database has migration %d (%s), "
			    "which %s lacks", a.version[i], a.name[i],
			    schema_dir);
	}
	for (i = 0; i < n; i++) {
		migration_stem(&mg[i], stem, sizeof(stem));
		if (applied_has(&a, mg[i].version, &dbname)) {
			if (strcmp(dbname, mg[i].name) != 0)
				db_log(log, "warning: migration %d is recorded as "
				    "'%s', the file is %s", mg[i].version, dbname,
				    mg[i].path);
			continue;
		}
		pending++;
		if (dry_run) {
			db_log(log, "would apply %s", stem);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = migration_apply(c, &mg[i], known, &db_version, err, errlen);
		if (r == -1)
			goto out;
		if (r == 0)
			db_log(log, "%s: already applied by another bmcfleet",
			    stem);
		else {
			applied++;
			db_log(log, "applied %s (%ld ms)", stem, elapsed_ms(&t0));
		}
	}
	if (dry_run && pending > 0)
		db_log(log, "would apply %zu migration%s; the database is at "
		    "version %d", pending, pending == 1 ? "" : "s", db_version);
	else if (applied == 0)
		db_log(log, "up to date at version %d", db_version);
	else
		db_log(log, "at version %d", db_version);
	rc = 0;
out:
	PQsetNoticeProcessor(c, notice_to_stderr, NULL);
	applied_release(&a);
	db_migrations_free(mg, n);
	return rc;
}
