/*
 * cmd_db: bmcfleet db migrate [--dry-run] | db version.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd_db.h"
#include "cli/config.h"
#include "store/db.h"
#include "lib/text.h"

#define DEFAULT_CONFIG	"/etc/bmcfleet/bmcfleet.yaml"

static void
db_usage(FILE *f)
{
	fprintf(f,
"usage: bmcfleet db migrate [--dry-run] [-c FILE] [--db CONNINFO]\n"
"                           [--schema-dir DIR]\n"
"       bmcfleet db version [-c FILE] [--db CONNINFO] [--schema-dir DIR]\n"
"\n"
"  migrate            apply the schema migrations the database lacks, in\n"
"                     order, each in its own transaction\n"
"      --dry-run      only list what would be applied\n"
"  version            the database's schema version against this bmcfleet's\n"
"  --db CONNINFO      libpq conninfo or postgresql:// URI (default\n"
"                     $BMCFLEET_DB, else database: in the config)\n"
"  -c, --config FILE  bmcfleet.yaml, read for its database: when neither\n"
"                     --db nor $BMCFLEET_DB gives one (default\n"
"                     $BMCFLEET_CONFIG, else " DEFAULT_CONFIG ")\n"
"  --schema-dir DIR   the migrations (default $BMCFLEET_SCHEMA_DIR, else\n"
"                     %s)\n"
"\n"
"Exit status: 0 done, 1 failed, 2 usage error.\n",
	    db_schema_dir());
}

static int	db_usage_error(const char *, ...)
		    __attribute__((format(printf, 1, 2)));

static int
db_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("bmcfleet: db: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'bmcfleet db --help'.\n", stderr);
	return 2;
}

/*
 * The database as every fleet command finds it, first found wins: --db,
 * $BMCFLEET_DB, then the config's database: key.  The config is -c FILE,
 * else $BMCFLEET_CONFIG, else DEFAULT_CONFIG; one named by either is
 * read (and must load), the default only when it exists and nothing else
 * gave a database.  Returns 0 with *conninfo (malloc'd; NULL: none found
 * and no config read), or an exit status with the message said.
 */
static int
fleet_db_conninfo(const char *opt, const char *cfg_path, char **conninfo)
{
	const char *e = getenv("BMCFLEET_DB");
	int given = cfg_path != NULL;
	struct config c;
	char err[512];

	*conninfo = NULL;
	if (e != NULL && *e == '\0')
		e = NULL;
	if (!given && (cfg_path = getenv("BMCFLEET_CONFIG")) != NULL &&
	    *cfg_path != '\0')
		given = 1;
	if (!given)
		cfg_path = DEFAULT_CONFIG;
	if (opt == NULL && e == NULL && (given || access(cfg_path, F_OK) ==
	    0)) {
		memset(&c, 0, sizeof(c));
		if (config_load(&c, cfg_path, err, sizeof(err)) != 0) {
			fprintf(stderr, "bmcfleet: %s\n", err);
			return 2;
		}
		if (c.database == NULL) {
			config_release(&c);
			fprintf(stderr, "bmcfleet: no database: give --db "
			    "CONNINFO, set BMCFLEET_DB, or database: in %s\n",
			    cfg_path);
			return 1;
		}
		*conninfo = strdup(c.database);
		config_release(&c);
		if (*conninfo == NULL) {
			fprintf(stderr, "bmcfleet: out of memory\n");
			return 1;
		}
		return 0;
	}
	if ((opt != NULL || e != NULL) &&
	    (*conninfo = strdup(opt != NULL ? opt : e)) == NULL) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		return 1;
	}
	return 0;
}

static int
db_cmd_version(struct pg_conn *c, const char *schema_dir)
{
	struct db_migration *m;
	char err[1024];
	size_t n, pending = 0, i;
	int version, known;

	if (db_schema_version(c, &version, err, sizeof(err)) == -1) {
		fprintf(stderr, "bmcfleet: %s\n", err);
		return 1;
	}
	if (db_migrations_scan(schema_dir, &m, &n, err, sizeof(err)) == -1) {
		printf("schema version %d\n", version);
		fprintf(stderr, "bmcfleet: %s\n", err);
		return 1;
	}
	known = m[n - 1].version;
	/* gaps below the database's version are db migrate's to report */
	for (i = 0; i < n; i++)
		if (m[i].version > version)
			pending++;
	db_migrations_free(m, n);
	if (version > known)
		printf("schema version %d, newer than this bmcfleet (it knows "
		    "up to %d): upgrade bmcfleet\n", version, known);
	else if (pending > 0)
		printf("schema version %d, %zu migration%s pending (up to %d): "
		    "run 'bmcfleet db migrate'\n", version, pending,
		    pending == 1 ? "" : "s", known);
	else
		printf("schema version %d (up to date)\n", version);
	return 0;
}

int
fleet_db_main(int argc, char **argv)
{
	const char *cmd = NULL, *db = NULL, *schema_dir = NULL, *cfg = NULL;
	char err[1024], *conninfo;
	struct pg_conn *c;
	int i, dry_run = 0, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			db_usage(stdout);
			return 0;
		} else if (strcmp(a, "--dry-run") == 0) {
			dry_run = 1;
		} else if (strcmp(a, "--db") == 0 ||
		    strcmp(a, "--schema-dir") == 0 || strcmp(a, "-c") == 0 ||
		    strcmp(a, "--config") == 0) {
			const char **to = strcmp(a, "--db") == 0 ? &db :
			    strcmp(a, "--schema-dir") == 0 ? &schema_dir : &cfg;

			if (i + 1 >= argc)
				return db_usage_error("%s needs a value", a);
			*to = argv[++i];
		} else if (strncmp(a, "--config=", 9) == 0) {
			cfg = a + 9;
		} else if (strncmp(a, "--db=", 5) == 0) {
			db = a + 5;
		} else if (strncmp(a, "--schema-dir=", 13) == 0) {
			schema_dir = a + 13;
		} else if (a[0] == '-') {
			return db_usage_error("unknown option '%s'", a);
		} else if (cmd == NULL) {
			cmd = a;
		} else {
			return db_usage_error("unexpected argument '%s'", a);
		}
	}
	if (cmd == NULL) {
		db_usage(stderr);
		return 2;
	}
	if (strcmp(cmd, "migrate") != 0 && strcmp(cmd, "version") != 0) {
		static const char *const words[] = { "migrate", "version" };
		char hint[64];

		return db_usage_error("unknown command '%s'%s", cmd,
		    text_did_you_mean(hint, sizeof(hint), cmd, words, 2));
	}
	if (dry_run && strcmp(cmd, "migrate") != 0)
		return db_usage_error("--dry-run is for db migrate");
	if ((rc = fleet_db_conninfo(db, cfg, &conninfo)) != 0)
		return rc;
	if (conninfo == NULL) {
		fprintf(stderr, "bmcfleet: no database: give --db CONNINFO, "
		    "set BMCFLEET_DB, or database: in the config (-c FILE)\n");
		return 1;
	}
	if (schema_dir == NULL)
		schema_dir = db_schema_dir();

	rc = db_connect(conninfo, &c, err, sizeof(err));
	/* it may hold a password (a 0600 config's) */
	explicit_bzero(conninfo, strlen(conninfo));
	free(conninfo);
	if (rc == -1) {
		fprintf(stderr, "bmcfleet: %s\n", err);
		return 1;
	}
	if (strcmp(cmd, "version") == 0) {
		rc = db_cmd_version(c, schema_dir);
	} else if (db_migrate(c, schema_dir, dry_run, stdout, err,
	    sizeof(err)) == -1) {
		fflush(stdout);
		fprintf(stderr, "bmcfleet: %s\n", err);
		rc = 1;
	} else {
		rc = 0;
	}
	db_close(c);
	return rc;
}
