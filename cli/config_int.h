/*
 * config_int: what the files of the config loader (cli/config*.c) share,
 * and nothing else includes.  The public API is cli/config.h.
 *
 *   config.c           config_load (the file, the top-level walk), release,
 *                      queries; the arena and intern table, rel_path
 *   config_values.c    wipe, the config's readings of lib/units' grammar
 *   config_settings.c  SETTINGs at each level, labels, credential and group
 *                      names
 *   config_bmcs.c      bmcs: entries and groups' hosts into BMCs
 *   config_sections.c  collector:, power:, scheduler:
 *   config_secrets.c   credentials:, database:, password and token files
 *   config_resolve.c   defaults < groups < bmcs entry, per BMC
 *   config_targets.c   TARGETS selection
 *   config_alerts.c    alerts: (actions and rules)
 *
 * Messages, numbers, booleans, names and "did you mean" are lib/'s
 * (errf, text_*), as every loader's.  Helpers whose names any module
 * could use carry cfg_ (cfg_wipe, cfg_parse_size...), so they cannot
 * clash with another library's; the y_* section walkers and the YAML
 * helpers keep their names.
 */
#ifndef BMCFLEET_CLI_CONFIG_INT_H
#define BMCFLEET_CLI_CONFIG_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <yaml.h>

#include "cli/config.h"
#include "lib/errf.h"
#include "lib/gbuf.h"
#include "lib/text.h"
#include "lib/units.h"
#include "lib/yml.h"

#define NONE32		UINT32_MAX
#define MAX_GROUPS	(UINT16_MAX - 1)
#define MAX_LABELS	UINT16_MAX
#define MSG_MAX		512

/* settings given at one level (defaults, a group, a bmcs entry), in the
 * order of setting_keys */
enum {
	S_CREDENTIAL = 1 << 0,
	S_IFACE = 1 << 1,
	S_SUITE = 1 << 2,
	S_PRIV = 1 << 3,
	S_TIMEOUT = 1 << 4,
	S_RETRIES = 1 << 5,
	S_INSECURE = 1 << 6,
	S_WORKAROUNDS = 1 << 7,
	S_PORT = 1 << 8,
};

/* the arena and the intern table (config.c) */
struct chunk;
struct ient;

struct config_priv {
	struct chunk	*arena;
	struct ient	*itab;		/* open addressing */
	size_t		 icap, in;
	uint32_t	*byname;	/* BMC index by name; NONE32 empty */
	size_t		 bcap;
};

/* --- loading ------------------------------------------------------------ */

struct btmp {
	uint32_t	 entry;		/* bmcs entry, or NONE32 */
	uint16_t	*g;		/* groups, unsorted until resolved */
	uint16_t	 ng, gcap;
};

struct level {
	struct config_settings		 s;
	unsigned			 set;	/* S_* */
	const struct config_label	*labels;
	uint16_t			 nlabels;
};

struct load {
	yaml_document_t		*doc;
	struct config		*c;
	struct config_priv	*p;
	const char		*path;
	char			*dir;		/* path's, with '/', or "" */
	char			*err;
	size_t			 errlen;
	int			 file_private;	/* mode & 077 == 0 */
	unsigned		 file_mode;
	struct level		 def;
	struct level		*gdef;		/* per group */
	yaml_node_t		**ghosts;	/* per group: hosts node */
	struct level		*ent;		/* per bmcs entry */
	size_t			 nent;
	struct btmp		*bt;		/* per BMC */
	size_t			 bcap;
	struct config_label	*lbuf;		/* merge scratch */
	size_t			 lcap;
	struct gbuf		 errs;		/* the errors so far, a line
						   each (config.c) */
	size_t			 nerr;		/* all of them, kept or not */
	unsigned long		*alert_at;	/* per rule: line, column of
						   its targets (config_alerts) */
};

/*
 * The document's nodes, and the YAML helpers: lib/yml's, with the load's
 * document, path and error buffer.  yerr and yerr_at return -1 with
 * "PATH:LINE:COL: MSG" in l->err.
 */
static inline yaml_node_t *
node(struct load *l, int id)
{
	return yaml_document_get_node(l->doc, id);
}

#define yerr(l, n, ...)							\
	yml_errf((l)->err, (l)->errlen, (l)->path, (n), __VA_ARGS__)
#define yerr_at(l, line, col, ...)					\
	yml_errf_at((l)->err, (l)->errlen, (l)->path, (line), (col),	\
	    __VA_ARGS__)

/*
 * n must be a mapping (or null, for an empty one: returns 1) with scalar
 * keys, none twice; with keys != NULL, each key one of those.
 */
static inline int
check_map(struct load *l, const yaml_node_t *n, const char *what,
    const char *const *keys)
{
	if (yml_is_null(n))
		return 1;
	return yml_check_keys(l->doc, n, what, keys, l->path, l->err,
	    l->errlen);
}

/* each pair of mapping m whose key check_map has vetted as a scalar */
#define FOR_PAIRS(l, m, pr, kn, vn, kstr)				\
	YML_FOR_PAIRS((l)->doc, (m), pr, kn, vn, kstr)

/* config.c: memory owned by the config, freed by config_release */
void	*cfg_arena_alloc(struct config_priv *p, size_t n);
uint32_t cfg_hash_bytes(const void *v, size_t n);
/* One stored copy of these bytes; NULL when out of memory. */
const void *cfg_intern(struct config_priv *p, const void *v, size_t n);
const char *cfg_intern_str(struct config_priv *p, const char *s);
/* A path relative to the config file's directory, interned. */
const char *rel_path(struct load *l, const char *s);

/* config_values.c */
void	cfg_wipe(void *p, size_t n);
/* "512MiB", "1GiB", "10GB", "4096" (bytes); -1 past max. */
int	cfg_parse_size(const char *s, uint64_t max, uint64_t *out);
/* "350", "350W", "1.2kW": watts, 1 to max; -1 otherwise. */
int	cfg_parse_watts(const char *s, uint64_t max, uint64_t *out);
/* "30%" or "30": a whole percentage up to max. */
int	cfg_parse_percent(const char *s, uint64_t max, uint64_t *out);
/*
 * Key's duration (lib/units; a bare number but 0 refused) at vn, min to
 * max ms; -1 with "KEY: 'VALUE': why" at vn.
 */
int	cfg_duration(struct load *l, const yaml_node_t *vn, const char *key,
	    uint64_t min, uint64_t max, uint64_t *out);
/* Why a BMC name or address cannot be used, or NULL. */
const char *cfg_bad_host(const char *s, int is_name);

/* config_settings.c */
long	cred_find(const struct config *c, const char *name);
long	group_find(const struct config *c, const char *name);
/* " (did you mean 'x'?)" for a name among credentials or groups */
void	name_hint(char *buf, size_t len, const char *word,
	    const struct config *c, int groups);
/* One setting; 1 if key is not a setting name. */
int	y_setting(struct load *l, const char *key, const yaml_node_t *vn,
	    struct config_settings *s, unsigned *set);
int	label_cmp(const void *a, const void *b);
/* labels: {key: value, ...} -> interned array in *out, sorted by key */
int	y_labels(struct load *l, const yaml_node_t *m,
	    const struct config_label **out, uint16_t *nout);
/* settings: {...} inside a group or a bmcs entry */
int	y_settings(struct load *l, const yaml_node_t *m, struct level *lv);
int	y_defaults(struct load *l, const yaml_node_t *m);
int	y_groups(struct load *l, const yaml_node_t *m);

/* config_bmcs.c */
size_t	byname_slot(const struct config *c, const char *name);
int	byname_rebuild(struct config *c, size_t want);
int	y_bmcs(struct load *l, const yaml_node_t *s);
/* Each group's hosts: members, added as BMCs when no bmcs entry has them. */
int	y_group_hosts(struct load *l);

/* config_sections.c */
int	y_collector(struct load *l, const yaml_node_t *m);
int	y_power(struct load *l, const yaml_node_t *m);
int	y_scheduler(struct load *l, const yaml_node_t *m);
int	y_http(struct load *l, const yaml_node_t *m);
/* An http:// or https:// URL with a host and no spaces: 1 or 0. */
int	cfg_valid_url(const char *s);
/* host[:port][/...] names this machine (127/8, localhost, [::1]): 1 or 0 */
int	cfg_loopback_url(const char *h);

/* config_alerts.c: after the fleet, whose BMCs rules' targets select */
int	y_alerts(struct load *l, const yaml_node_t *m);
/* Each rule's targets into the names of its BMCs, once the BMCs are
 * resolved; -1 with "PATH:LINE:COL: targets: ..." in l->err. */
int	cfg_alerts_resolve(struct load *l);

/* config_secrets.c */
int	y_database(struct load *l, const yaml_node_t *vn);
int	y_credentials(struct load *l, const yaml_node_t *m);

/* config_resolve.c */
void	cfg_apply(struct config_settings *d, const struct level *lv);
int	cfg_resolve(struct load *l);

#endif
