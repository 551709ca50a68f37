#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli/config.h"
#include "cli/rail.h"
#include "ipmi/crypto.h"
#include "store/db.h"
#include "store/planstore.h"

void
rail_who(char *who, size_t wholen, char *origin, size_t originlen)
{
	struct passwd *pw = getpwuid(getuid());
	const char *tty = isatty(STDIN_FILENO) ? ttyname(STDIN_FILENO) : NULL;
	char host[64];

	snprintf(who, wholen, "%s", pw != NULL ? pw->pw_name : "unknown");
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	snprintf(origin, originlen, "%s:%ld%s%s", host, (long)getpid(),
	    tty != NULL ? " " : "", tty != NULL ? tty : "");
}

int
rail_setup(struct rail *r, const char *db_opt, FILE *errf)
{
	struct config c;
	struct stat st;
	const char *path, *db = db_opt, *env;
	char err[512];
	int have_c = 0;

	memset(r, 0, sizeof(*r));
	rail_who(r->who, sizeof(r->who), r->origin, sizeof(r->origin));
	r->limit = RAIL_CONFIRM_LIMIT;
	if ((path = getenv("BMCFLEET_CONFIG")) == NULL || *path == '\0')
		path = "/etc/bmcfleet/bmcfleet.yaml";
	if (stat(path, &st) == 0) {
		if (config_load(&c, path, err, sizeof(err)) == 0) {
			have_c = 1;
			r->limit = c.scheduler.confirm_limit;
		} else {
			fprintf(errf, "bmcfleet: warning: %s; confirm limit "
			    "%u, and no database from it\n", err,
			    RAIL_CONFIRM_LIMIT);
		}
	}
	if (db == NULL && have_c)
		db = c.database;
	if (db == NULL && (env = getenv("BMCFLEET_DB")) != NULL && *env != '\0')
		db = env;
	if (db != NULL && (r->db = strdup(db)) == NULL) {
		if (have_c)
			config_release(&c);
		return -1;
	}
	if (have_c)
		config_release(&c);
	return 0;
}

void
rail_release(struct rail *r)
{
	if (r->db != NULL) {
		crypto_wipe(r->db, strlen(r->db));
		free(r->db);
	}
	memset(r, 0, sizeof(*r));
}

enum rail_answer
rail_confirm(const char *action, const char *const *first, size_t n,
    uint32_t limit, int yes, int interactive, FILE *in, FILE *out)
{
	char line[16];
	size_t i, show = n < RAIL_SHOW_HOSTS ? n : RAIL_SHOW_HOSTS;

	if (yes || n <= limit)
		return RAIL_GO;
	if (!interactive) {
		fprintf(out, "bmcfleet: %s: %zu hosts, more than the confirm "
		    "limit (%u): give --yes to go on without a terminal\n",
		    action, n, limit);
		return RAIL_REFUSED;
	}
	fprintf(out, "%s: %zu hosts (", action, n);
	for (i = 0; i < show; i++)
		fprintf(out, "%s%s", i > 0 ? ", " : "", first[i]);
	if (n > show)
		fprintf(out, ", and %zu more", n - show);
	fprintf(out, "). Go on? [y/N] ");
	fflush(out);
	if (fgets(line, sizeof(line), in) != NULL && (line[0] == 'y' ||
	    line[0] == 'Y') && (line[1] == '\n' || line[1] == '\0' ||
	    strcmp(line + 1, "es\n") == 0 || strcmp(line + 1, "ES\n") == 0))
		return RAIL_GO;
	fprintf(out, "bmcfleet: not confirmed: nothing done\n");
	return RAIL_DECLINED;
}

void
rail_log_line(char *buf, size_t len, const char *action,
    const struct rail_result *res, const char *who)
{
	snprintf(buf, len, "%s %s by %s: %s%s%s", action, res->host, who,
	    res->ok ? "ok" : "failed", res->detail != NULL ? ": " : "",
	    res->detail != NULL ? res->detail : "");
}

/* r->db with a short connect timeout: the BMCs already acted */
static char *
short_conninfo(const char *db)
{
	const char *sep;
	char *s;
	size_t len = strlen(db) + 32;

	if ((s = malloc(len)) == NULL)
		return NULL;
	if (strncmp(db, "postgresql://", 13) == 0 ||
	    strncmp(db, "postgres://", 11) == 0)
		sep = strchr(db, '?') != NULL ? "&" : "?";
	else
		sep = *db != '\0' ? " " : "";
	snprintf(s, len, "%s%sconnect_timeout=" RAIL_DB_TIMEOUT, db, sep);
	return s;
}

long
rail_record(const struct rail *r, const char *action, const char *op,
    const struct rail_result *res, size_t n, FILE *errf)
{
	struct pg_conn *pg = NULL;
	char line[512], err[512], *ci;
	long rows = 0;
	size_t i;

	openlog("bmcfleet", LOG_PID, LOG_AUTH);
	for (i = 0; i < n; i++) {
		rail_log_line(line, sizeof(line), action, &res[i], r->who);
		syslog(LOG_NOTICE, "%s", line);
	}
	closelog();
	if (r->db == NULL)
		return 0;
	if ((ci = short_conninfo(r->db)) == NULL) {
		fprintf(errf, "bmcfleet: warning: audit not written: out of "
		    "memory\n");
		return -1;
	}
	if (db_connect(ci, &pg, err, sizeof(err)) != 0) {
		crypto_wipe(ci, strlen(ci));
		free(ci);
		fprintf(errf, "bmcfleet: warning: audit not written: %s\n",
		    err);
		return -1;
	}
	crypto_wipe(ci, strlen(ci));
	free(ci);
	for (i = 0; i < n; i++) {
		struct plan_audit a = {
			.who = r->who, .origin = r->origin, .plan_id = -1,
			.stage = -1, .batch = -1, .host = res[i].host,
			.op = op, .result = res[i].ok ? "ok" : "failed",
			.detail = res[i].detail, .duration_ms = -1,
		};

		if (planstore_audit(pg, &a) != 0) {
			fprintf(errf, "bmcfleet: warning: audit not written "
			    "for %zu of %zu hosts: the database refused the "
			    "row\n", n - i, n);
			break;
		}
		rows++;
	}
	db_close(pg);
	return rows;
}
