/*
 * simconf_int: what the files of bmcsim's configuration (simconf.h)
 * share, and nothing else includes.
 *
 *   simconf.c       defaults, overrides and each BMC's knobs; users; the
 *                   value parsers below
 *   simconf_yaml.c  the YAML file (simconf_load)
 *   simconf_args.c  the command line (simconf_parse)
 *
 * The parsers return 0, or -1 on a bad value; the ones with err and
 * errlen fill them (lib/errf).
 */
#ifndef BMCFLEET_SIM_SIMCONF_INT_H
#define BMCFLEET_SIM_SIMCONF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "simconf.h"

/* A new override, zeroed, at the end of c->ov; NULL out of memory. */
struct sim_override *simconf_add_override(struct sim_conf *);

int	simconf_parse_u32(const char *, uint32_t min, uint32_t max, uint32_t *);
/* "5", "0.5", "100": percent -> parts per million */
int	simconf_parse_pct(const char *, uint32_t *ppm);
/* A model's name, or "mix" (NULL: by index) */
int	simconf_parse_model(const char *, const struct sim_model **);
/* "3" or "10-12": 1-based BMC numbers */
int	simconf_parse_range(const char *, uint32_t *first, uint32_t *last);
/* "3,17": cipher suite IDs, each one we support, as a bit mask */
int	simconf_parse_suites(const char *, uint32_t *mask);
/* "md5", "straight" (or "password"), "none", "md2": its bit into *bits */
int	simconf_auth_type_bit(const char *, uint8_t *bits);
/* "md5,straight": the v1.5 auth types' bits */
int	simconf_parse_v15(const char *, uint8_t *bits);
/* up to max bytes in hex into out, their number in *len */
int	simconf_parse_hex(const char *, uint8_t *out, size_t max, uint8_t *len);

int	simconf_set_password(struct sim_user *, const char *pw, char *err,
	    size_t errlen);
/* The first line of path into pw (len bytes), without its newline. */
int	simconf_read_password_file(const char *path, char *pw, size_t len, char *err,
	    size_t errlen);
/* The user named name, created (with the default password) if new. */
struct sim_user *simconf_user_slot(struct sim_conf *, const char *name, char *err,
	    size_t errlen);

#endif
