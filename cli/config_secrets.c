/*
 * config's secrets: credentials: (a password file, a variable, or inline
 * only in a 0600 file), a password in the database conninfo (0600 too),
 * and the password and webhook token files read on demand, refused
 * unless only their owner may read them.  No message quotes a secret.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "cli/config.h"
#include "cli/config_int.h"
#include "ipmi/ipmi.h"

/*
 * A password in a libpq conninfo: the password keyword ("password=...",
 * spaces allowed around '=') or a URI's "user:secret@".
 */
static int
conninfo_has_password(const char *v)
{
	const char *p, *at, *colon;
	size_t n;

	if (!strncmp(v, "postgresql://", 13) || !strncmp(v, "postgres://", 11)) {
		p = strstr(v, "://") + 3;
		n = strcspn(p, "/?");
		at = memchr(p, '@', n);
		colon = memchr(p, ':', n);
		if ((at != NULL && colon != NULL && colon < at) ||
		    strstr(v, "password=") != NULL)
			return 1;
		return 0;
	}
	for (p = v; (p = strstr(p, "password")) != NULL; p += 8) {
		const char *q = p + 8;

		if (p != v && !isspace((unsigned char)p[-1]))
			continue;
		while (isspace((unsigned char)*q))
			q++;
		if (*q == '=')
			return 1;
	}
	return 0;
}

int
y_database(struct load *l, const yaml_node_t *vn)
{
	const char *v = yml_str(vn);

	if (v == NULL || *v == '\0')
		return yerr(l, vn, "database: expected a libpq conninfo string "
		    "like \"host=/run/postgresql dbname=bmcfleet\"");
	/* as an inline BMC password: never quote it in the message */
	if (!l->file_private && conninfo_has_password(v))
		return yerr(l, vn, "database: the conninfo holds a password, "
		    "so %s must be mode 0600, not %04o (chmod 600 it, or "
		    "use a ~/.pgpass file or PGPASSWORD)", l->path,
		    l->file_mode & 07777);
	free(l->c->database);
	if ((l->c->database = strdup(v)) == NULL)
		return yerr(l, vn, "out of memory");
	return 0;
}

int
y_credentials(struct load *l, const yaml_node_t *m)
{
	static const char *const keys[] = { "user", "password_file",
		"password_env", "password", NULL };
	struct config *c = l->c;
	yaml_node_pair_t *pr, *q;
	yaml_node_t *kn, *vn, *ck, *cv;
	const char *name, *ckey;
	size_t n;
	int rc;

	if ((rc = check_map(l, m, "credentials", NULL)) != 0)
		return rc < 0 ? -1 : 0;
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (n >= CONFIG_NO_CREDENTIAL)
		return yerr(l, m, "credentials: too many");
	if ((c->creds = calloc(n, sizeof(*c->creds))) == NULL)
		return yerr(l, m, "out of memory");
	FOR_PAIRS(l, m, pr, kn, vn, name) {
		struct config_credential *cr = &c->creds[c->ncreds];
		const yaml_node_t *src = NULL;

		if (!text_is_ident(name))
			return yerr(l, kn, "credential name '%s': expected "
			    "letters, digits, '_', '-' or '.'", name);
		if (vn->type != YAML_MAPPING_NODE)
			return yerr(l, vn, "credential '%s': expected {user, "
			    "password_file or password_env}", name);
		if (check_map(l, vn, "a credential", keys) != 0)
			return -1;
		cr->name = cfg_intern_str(l->p, name);
		c->ncreds++;
		FOR_PAIRS(l, vn, q, ck, cv, ckey) {
			const char *v = yml_scalar(cv);

			if (v == NULL)
				return yerr(l, cv, "credential '%s': %s: "
				    "expected a string", name, ckey);
			if (strcmp(ckey, "user") != 0 && src != NULL)
				return yerr(l, ck, "credential '%s': give one "
				    "of password_file, password_env or "
				    "password, not two", name);
			if (!strcmp(ckey, "user")) {
				if (strlen(v) > IPMI_MAX_USER)
					return yerr(l, cv, "credential '%s': "
					    "user: longer than %d bytes", name,
					    IPMI_MAX_USER);
				cr->user = cfg_intern_str(l->p, v);
				continue;
			}
			src = cv;
			if (!strcmp(ckey, "password_file")) {
				if (*v == '\0')
					return yerr(l, cv, "credential '%s': "
					    "password_file: expected a path",
					    name);
				cr->password_file = rel_path(l, v);
			} else if (!strcmp(ckey, "password_env")) {
				if (!text_is_env_name(v))
					return yerr(l, cv, "credential '%s': "
					    "password_env: expected a variable "
					    "name like LAB_BMC_PASSWORD", name);
				cr->password_env = cfg_intern_str(l->p, v);
			} else {
				/* never quote it: the value is a secret */
				if (!l->file_private)
					return yerr(l, cv, "credential '%s': "
					    "an inline password needs %s to be "
					    "mode 0600, not %04o (chmod 600 "
					    "it, or use password_file or "
					    "password_env)", name, l->path,
					    l->file_mode & 07777);
				if (strlen(v) > IPMI_MAX_PASSWORD)
					return yerr(l, cv, "credential '%s': "
					    "password: longer than %d bytes",
					    name, IPMI_MAX_PASSWORD);
				if ((cr->password = strdup(v)) == NULL)
					return yerr(l, cv, "out of memory");
			}
		}
		if (cr->user == NULL)
			return yerr(l, vn, "credential '%s': missing user "
			    "(\"\" for the null user)", name);
		if (src == NULL)
			return yerr(l, vn, "credential '%s': missing a "
			    "password: give password_file or password_env",
			    name);
	}
	return 0;
}

/*
 * The first line of the secret file at path into line (cap bytes, NUL
 * terminated), refused unless only its owner may read it.  Messages start
 * with what ("credential 'x': password file") and the path.  Its length,
 * or -1.
 */
static int
read_secret_file(const char *what, const char *path, char *line, size_t cap,
    char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	size_t len;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return errf(err, errlen, "%s %s: %s", what, path,
		    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return errf(err, errlen, "%s %s: not a regular file", what,
		    path);
	}
	if ((st.st_mode & 077) != 0) {
		close(fd);
		return errf(err, errlen, "%s %s is mode %04o, readable or "
		    "writable by group or others; chmod 600 it", what, path,
		    (unsigned)st.st_mode & 07777);
	}
	n = read(fd, line, cap - 1);
	close(fd);
	if (n < 0)
		return errf(err, errlen, "%s %s: %s", what, path,
		    strerror(errno));
	line[n] = '\0';
	len = strcspn(line, "\r\n");
	if (len == cap - 1) {
		cfg_wipe(line, cap);
		return errf(err, errlen, "%s %s: first line longer than "
		    "%zu bytes", what, path, cap - 2);
	}
	line[len] = '\0';
	return (int)len;
}

int
config_password(const struct config *c, const char *credential, char *out,
    size_t cap, char *err, size_t errlen)
{
	const struct config_credential *cr;
	char line[256], what[128];
	const char *src;
	size_t len;
	long i;

	if (cap == 0)
		return errf(err, errlen, "no room for a password");
	out[0] = '\0';
	line[0] = '\0';
	if ((i = cred_find(c, credential)) < 0)
		return errf(err, errlen, "unknown credential '%s'",
		    credential);
	cr = &c->creds[i];
	if (cr->password != NULL) {
		src = cr->password;
	} else if (cr->password_env != NULL) {
		if ((src = getenv(cr->password_env)) == NULL)
			return errf(err, errlen, "credential '%s': "
			    "environment variable %s is not set", cr->name,
			    cr->password_env);
	} else {
		snprintf(what, sizeof(what), "credential '%s': password file",
		    cr->name);
		if (read_secret_file(what, cr->password_file, line,
		    sizeof(line), err, errlen) < 0)
			return -1;
		src = line;
	}
	if ((len = strlen(src)) >= cap) {
		cfg_wipe(line, sizeof(line));
		return errf(err, errlen, "credential '%s': password longer "
		    "than %zu bytes", cr->name, cap - 1);
	}
	memcpy(out, src, len + 1);
	cfg_wipe(line, sizeof(line));
	return (int)len;
}

int
config_webhook_token(const struct config *c, char *out, size_t cap,
    char *err, size_t errlen)
{
	const struct config_webhook *w = &c->scheduler.webhook;
	const char *src;
	char *line;
	size_t len;
	int n;

	if (cap == 0)
		return errf(err, errlen, "no room for a token");
	out[0] = '\0';
	if (w->token_env != NULL) {
		if ((src = getenv(w->token_env)) == NULL)
			return errf(err, errlen, "webhook: environment "
			    "variable %s is not set", w->token_env);
		if ((len = strlen(src)) >= cap)
			return errf(err, errlen, "webhook: the token in %s "
			    "is longer than %zu bytes", w->token_env, cap - 1);
		memcpy(out, src, len + 1);
		return (int)len;
	}
	if (w->token_file == NULL)
		return 0;
	/* one byte more than out holds, to tell a long line from a fit */
	if ((line = malloc(cap + 1)) == NULL)
		return errf(err, errlen, "out of memory");
	if ((n = read_secret_file("webhook: token_file", w->token_file, line,
	    cap + 1, err, errlen)) < 0) {
		free(line);
		return -1;
	}
	memcpy(out, line, (size_t)n + 1);
	cfg_wipe(line, cap + 1);
	free(line);
	return n;
}

int
config_http_token(const struct config *c, char *out, size_t cap, char *err,
    size_t errlen)
{
	char *line;
	int n;

	if (cap == 0)
		return errf(err, errlen, "no room for a token");
	out[0] = '\0';
	if (c->http.token_file == NULL)
		return 0;
	if ((line = malloc(cap + 1)) == NULL)
		return errf(err, errlen, "out of memory");
	if ((n = read_secret_file("http: token_file", c->http.token_file,
	    line, cap + 1, err, errlen)) < 0) {
		free(line);
		return -1;
	}
	memcpy(out, line, (size_t)n + 1);
	cfg_wipe(line, cap + 1);
	free(line);
	return n;
}
