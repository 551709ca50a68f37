/*
 * opts: the command line of bmcfleet's direct mode, parsed into a struct,
 * and the password sources (-E, -f, -P); which fleet command of
 * cli/main.c's table, if any, main's argv names.  No I/O beyond reading
 * the password file and the environment; errors come back as messages.
 */
#ifndef BMCFLEET_CLI_OPTS_H
#define BMCFLEET_CLI_OPTS_H

#include <stddef.h>
#include <stdint.h>

/* most hosts -H may name unless --max-hosts says more */
#define OPTS_MAX_HOSTS	100000

enum out_format {
	OUT_TABLE,
	OUT_JSON,
};

struct opts {
	const char	*hosts;		/* -H */
	uint16_t	 port;		/* -p, default 623 */
	const char	*user;		/* -U */
	int		 pw_env;	/* -E */
	const char	*pw_file;	/* -f */
	char		*pw_arg;	/* -P (scrubbed from argv) */
	int		 iface;		/* IPMI_IFACE_LAN / _LANPLUS */
	int		 cipher_suite;	/* -C, IPMI_SUITE_AUTO */
	int		 auth_type;	/* -A, IPMI_AUTHTYPE_AUTO or IPMI_AUTH_* */
	int		 priv;		/* -L */
	const char	*kg;		/* -k, text (kg_buf) */
	const char	*kg_hex;	/* -y, hex (kg_buf) */
	char		*kg_buf;	/* -k/-y copied, scrubbed from argv */
	int		 insecure;	/* --insecure */
	uint32_t	 workarounds;	/* -W LIST: WA_* (cli/workaround.h) */
	unsigned	 timeout_ms;	/* --timeout */
	unsigned	 retries;	/* --retries */
	unsigned	 fanout;	/* --fanout */
	uint32_t	 deadline_ms;	/* --deadline, per host; 60 s */
	enum out_format	 format;	/* --format */
	int		 yes;		/* --yes: no question (cli/rail.h) */
	const char	*db;		/* --db: where the audit rows go */
	uint64_t	 max_hosts;	/* --max-hosts, OPTS_MAX_HOSTS */
	int		 verbose;	/* -v */
	/* verb options */
	const char	*state;		/* --state: sensors health filter */
	int		 persistent;	/* bootdev --persistent */
	int		 efi;		/* bootdev --efi */
	const char	*sdr_cache;	/* --sdr-cache DIR */
	int		 no_sdr_cache;	/* --no-sdr-cache */
	int		 help;
	int		 version;
	/* the verb and its arguments */
	char		**argv;
	int		 argc;
};

/*
 * Parse argv (options may precede and follow the verb).  Returns 0, or -1
 * with a message in err.  argv strings stay owned by the caller; -P's,
 * -k's and -y's arguments are copied and the originals overwritten so `ps`
 * does not show them.  opts_release wipes and frees the copies.
 */
int	opts_parse(struct opts *, int argc, char **argv, char *err, size_t);
void	opts_release(struct opts *);

/*
 * The password from -E (BMCFLEET_PASSWORD, else IPMI_PASSWORD), -f FILE
 * (first line; the file should be mode 0600) or -P.  Returns its length
 * (0 allowed: an empty password), or -1 with a message in err.  *warn is
 * set to a warning for the operator, or NULL.
 */
int	opts_password(const struct opts *, uint8_t *pw, size_t cap,
	    const char **warn, char *err, size_t errlen);
/* K_g from -k or -y into kg[20]; returns its length, 0 for none, -1. */
int	opts_kg(const struct opts *, uint8_t *kg, char *err, size_t errlen);

/* Whether -H/--hosts (direct mode) appears in argv[from..argc). */
int	opts_has_hosts(int argc, char **argv, int from);

/* A fleet command's entry in cli/main.c's table. */
struct cli_command {
	const char	*name;
	int		(*run)(int argc, char **argv);	/* argv[0]: name; returns
							   the exit status */
	unsigned	 flags;		/* CMD_* */
	const char	*summary;	/* one line, for the usage text */
};

enum {
	/* the name is also a direct-mode verb, meant when -H/--hosts
	 * follows it (power, sensors) */
	CMD_DIRECT_WITH_HOSTS = 1 << 0,
};

/*
 * The command among tab[0..n) that main's argv names (argv[1], exactly),
 * or NULL: then argv is direct mode's.
 */
const struct cli_command *opts_find_command(const struct cli_command *tab,
	    size_t n, int argc, char **argv);

#endif
