/*
 * db: PostgreSQL plumbing: a blocking connection for one-shot commands
 * (bmcfleet db migrate) and the schema migration runner.
 *
 * Migrations are the files schema/NNN_name.sql, applied in numeric order,
 * statement by statement (so that an error names its line), each file in
 * its own transaction together with its row in
 *
 *	schema_migrations(version integer primary key, name text not null,
 *	    applied_at timestamptz not null default now())
 *
 * which the runner creates when it is missing.  A migration file must not
 * hold transaction control (BEGIN, COMMIT, ROLLBACK) nor statements that
 * refuse a transaction block (CREATE INDEX CONCURRENTLY, VACUUM).
 *
 * Functions here return 0 on success and -1 on failure with a message in
 * err (lowercase, no trailing period, at most errlen - 1 bytes); they never
 * print except to the log stream the caller hands db_migrate().
 */
#ifndef BMCFLEET_STORE_DB_H
#define BMCFLEET_STORE_DB_H

#include <stddef.h>
#include <stdio.h>

struct pg_conn;		/* libpq's PGconn */

/*
 * Connect, blocking, with application_name "bmcfleet" and client encoding
 * UTF8 unless conninfo (key=value or a postgresql:// URI) says otherwise,
 * and a 10 s connect timeout.  On success *out is the caller's, to be
 * closed with db_close(); on failure *out is NULL.
 */
int	db_connect(const char *conninfo, struct pg_conn **out, char *err,
	    size_t errlen);
/* Close a connection of db_connect (PQfinish); NULL does nothing. */
void	db_close(struct pg_conn *);

/*
 * The same for the collector's connections, which its event loop waits
 * on: TCP keepalives (10 s idle, 5 s apart, 3 lost), tcp_user_timeout
 * DB_TCP_USER_TIMEOUT ms and the server options DB_SERVICE_OPTIONS
 * (statement_timeout), each overridable in conninfo.  db_connect_start
 * begins such a connection without blocking (PQconnectStartParams: NULL
 * when out of memory, else poll it).
 */
#define DB_TCP_USER_TIMEOUT	"20000"
#define DB_SERVICE_OPTIONS	"-c statement_timeout=60000"
int	db_connect_service(const char *conninfo, struct pg_conn **out,
	    char *err, size_t errlen);
struct pg_conn *db_connect_start(const char *conninfo);

/*
 * The schema directory: $BMCFLEET_SCHEMA_DIR when set and not empty, else
 * the compile-time BMCFLEET_SCHEMA_DIR.  A static string or the
 * environment's: do not free.
 */
const char *db_schema_dir(void);

/* Longest migration name kept, NUL included ("init" of 001_init.sql). */
#define DB_MIGRATION_NAME_MAX	64

struct db_migration {
	int	 version;			/* 1 for 001_init.sql */
	char	 name[DB_MIGRATION_NAME_MAX];	/* "init" */
	char	*path;				/* DIR/001_init.sql, owned */
};

/*
 * Parse a file name (no directory part): NNN_name.sql, where NNN is one to
 * nine decimal digits with a value of at least 1 and name is one or more
 * of [A-Za-z0-9_-].  Returns 0 and fills *version and name (namelen bytes,
 * NUL-terminated), or -1 when the name does not match or name does not fit
 * (the caller then ignores the file: README, 001_init.sql~, .orig).
 */
int	db_migration_parse_name(const char *file, int *version, char *name,
	    size_t namelen);

/*
 * The migrations of dir in version order.  Files whose names do not parse
 * are ignored; two files with one version are an error, and so is a
 * directory without migrations.  On success *out is an array of *n
 * entries for db_migrations_free().
 */
int	db_migrations_scan(const char *dir, struct db_migration **out,
	    size_t *n, char *err, size_t errlen);
void	db_migrations_free(struct db_migration *, size_t n);

/*
 * The 1-based line and column (in characters) of the 1-based character
 * position pos in UTF-8 text, as PostgreSQL's error position counts.
 * A position past the end gives the end.
 */
void	db_text_position(const char *text, int pos, int *line, int *col);

/*
 * The next statement of SQL text, from byte *pos on: whitespace, comments
 * and empty statements before it are skipped; semicolons inside quotes
 * ('...', E'...', "..."), dollar quotes ($$...$$, $tag$...$tag$) and
 * comments (--, nested slash-star) do not end it.  Returns 1 with the
 * statement at text + *start, *len bytes (without its semicolon) and *pos
 * moved past it, or 0 when only whitespace and comments remain.  An
 * unterminated quote or comment runs to the end of the text (the server
 * then says what is wrong).
 */
int	db_sql_next(const char *text, size_t *pos, size_t *start,
	    size_t *len);

/*
 * The highest version in schema_migrations; 0 when the table does not
 * exist (a database never migrated).
 */
int	db_schema_version(struct pg_conn *, int *version, char *err,
	    size_t errlen);

/*
 * Bring the database to the newest migration of schema_dir.  Progress goes
 * to log (when not NULL): "applied 001_init (12 ms)", then "up to date at
 * version N" or "at version N".  With dry_run, nothing is changed and the
 * lines say "would apply".
 *
 * A database whose version is higher than the newest file is refused
 * before anything is applied.  A failing migration is rolled back and
 * named in err with the server's message and, when the server gives a
 * position, the line; the migrations before it stay applied.  Concurrent
 * runners serialize on an advisory lock: the second finds the work done.
 * The connection's notice processor prints to log while this runs and to
 * stderr (libpq's default) afterwards.
 */
int	db_migrate(struct pg_conn *, const char *schema_dir, int dry_run,
	    FILE *log, char *err, size_t errlen);

#endif
