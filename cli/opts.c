#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "cli/config.h"
#include "cli/hostlist.h"
#include "cli/opts.h"
#include "cli/workaround.h"
#include "ipmi/crypto.h"
#include "ipmi/ipmi.h"
#include "ipmi/session.h"
#include "lib/text.h"
#include "lib/units.h"

enum {
	OPT_TIMEOUT = 256,
	OPT_RETRIES,
	OPT_FANOUT,
	OPT_FORMAT,
	OPT_INSECURE,
	OPT_VERSION,
	OPT_STATE,
	OPT_PERSISTENT,
	OPT_EFI,
	OPT_SDR_CACHE,
	OPT_NO_SDR_CACHE,
	OPT_DEADLINE,
	OPT_YES,
	OPT_DB,
	OPT_MAX_HOSTS,
};

static const struct option long_opts[] = {
	{ "hosts", required_argument, NULL, 'H' },
	{ "port", required_argument, NULL, 'p' },
	{ "user", required_argument, NULL, 'U' },
	{ "password-env", no_argument, NULL, 'E' },
	{ "password-file", required_argument, NULL, 'f' },
	{ "password", required_argument, NULL, 'P' },
	{ "interface", required_argument, NULL, 'I' },
	{ "cipher-suite", required_argument, NULL, 'C' },
	{ "auth-type", required_argument, NULL, 'A' },
	{ "privilege", required_argument, NULL, 'L' },
	{ "kg", required_argument, NULL, 'k' },
	{ "kg-hex", required_argument, NULL, 'y' },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "fanout", required_argument, NULL, OPT_FANOUT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "workaround", required_argument, NULL, 'W' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "persistent", no_argument, NULL, OPT_PERSISTENT },
	{ "efi", no_argument, NULL, OPT_EFI },
	{ "sdr-cache", required_argument, NULL, OPT_SDR_CACHE },
	{ "no-sdr-cache", no_argument, NULL, OPT_NO_SDR_CACHE },
	{ "deadline", required_argument, NULL, OPT_DEADLINE },
	{ "yes", no_argument, NULL, OPT_YES },
	{ "db", required_argument, NULL, OPT_DB },
	{ "max-hosts", required_argument, NULL, OPT_MAX_HOSTS },
	{ NULL, 0, NULL, 0 },
};

int
opts_parse(struct opts *o, int argc, char **argv, char *err, size_t errlen)
{
	uint64_t v;
	int c, nkg = 0;

	memset(o, 0, sizeof(*o));
	o->port = IPMI_PORT;
	o->iface = IPMI_IFACE_LANPLUS;
	o->cipher_suite = IPMI_SUITE_AUTO;
	o->auth_type = IPMI_AUTHTYPE_AUTO;
	o->priv = IPMI_PRIV_ADMIN;
	o->timeout_ms = 1000;
	o->retries = 3;
	o->fanout = 256;
	o->deadline_ms = 60 * 1000;
	o->format = OUT_TABLE;
	o->max_hosts = OPTS_MAX_HOSTS;

	optind = 1;
	opterr = 0;
	/* '+' would stop at the verb; GNU permutation lets options follow */
	while ((c = getopt_long(argc, argv, ":H:p:U:Ef:P:I:C:A:L:k:y:W:vh",
	    long_opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			o->hosts = optarg;
			break;
		case OPT_STATE:
			o->state = optarg;
			break;
		case OPT_PERSISTENT:
			o->persistent = 1;
			break;
		case OPT_EFI:
			o->efi = 1;
			break;
		case OPT_SDR_CACHE:
			o->sdr_cache = optarg;
			break;
		case OPT_NO_SDR_CACHE:
			o->no_sdr_cache = 1;
			break;
		case OPT_DEADLINE: {
			uint64_t ms;
			char why[128];

			/* a unit is required: "60" could mean ms or s */
			if (units_duration_why(optarg, UNITS_BARE_NONE, 100,
			    UNITS_DAY, &ms, why, sizeof(why)) != 0) {
				snprintf(err, errlen, "--deadline '%s': %s",
				    optarg, why);
				return -1;
			}
			o->deadline_ms = (uint32_t)ms;
			break;
		}
		case OPT_YES:
			o->yes = 1;
			break;
		case OPT_DB:
			o->db = optarg;
			break;
		case OPT_MAX_HOSTS:
			if (text_parse_uint(optarg, 1, HOSTLIST_MAX, &v) ==
			    -1) {
				snprintf(err, errlen, "--max-hosts '%s': "
				    "expected a number of hosts, 1-%d", optarg,
				    HOSTLIST_MAX);
				return -1;
			}
			o->max_hosts = v;
			break;
		case 'p':
			if (text_parse_uint(optarg, 1, 65535, &v) == -1) {
				snprintf(err, errlen, "-p '%s': not a port "
				    "number (1-65535)", optarg);
				return -1;
			}
			o->port = (uint16_t)v;
			break;
		case 'U':
			if (strlen(optarg) > IPMI_MAX_USER) {
				snprintf(err, errlen, "-U: user names are at "
				    "most %d characters in IPMI", IPMI_MAX_USER);
				return -1;
			}
			o->user = optarg;
			break;
		case 'E':
			o->pw_env = 1;
			break;
		case 'f':
			o->pw_file = optarg;
			break;
		case 'P':
			free(o->pw_arg);
			if ((o->pw_arg = strdup(optarg)) == NULL) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			/* keep the password out of ps(1) and /proc */
			memset(optarg, 'x', strlen(optarg));
			break;
		case 'I':
			if (strcmp(optarg, "lan") == 0)
				o->iface = IPMI_IFACE_LAN;
			else if (strcmp(optarg, "lanplus") == 0)
				o->iface = IPMI_IFACE_LANPLUS;
			else {
				snprintf(err, errlen, "-I '%s': expected lan "
				    "(IPMI v1.5) or lanplus (IPMI v2.0)",
				    optarg);
				return -1;
			}
			break;
		case 'C':
			if (text_parse_uint(optarg, 0, 255, &v) == -1) {
				snprintf(err, errlen, "-C '%s': expected a "
				    "cipher suite number", optarg);
				return -1;
			}
			o->cipher_suite = (int)v;
			break;
		case 'A':
			/* IPMI v2.0 22.13: the v1.5 authentication types */
			if (strcasecmp(optarg, "none") == 0)
				o->auth_type = IPMI_AUTH_NONE;
			else if (strcasecmp(optarg, "md2") == 0)
				o->auth_type = IPMI_AUTH_MD2;
			else if (strcasecmp(optarg, "md5") == 0)
				o->auth_type = IPMI_AUTH_MD5;
			else if (strcasecmp(optarg, "password") == 0 ||
			    strcasecmp(optarg, "straight") == 0)
				o->auth_type = IPMI_AUTH_STRAIGHT;
			else {
				snprintf(err, errlen, "-A '%s': expected md5, "
				    "password, md2 or none", optarg);
				return -1;
			}
			break;
		case 'L':
			if ((o->priv = ipmi_priv_parse(optarg)) == -1) {
				snprintf(err, errlen, "-L '%s': expected user, "
				    "operator or admin", optarg);
				return -1;
			}
			break;
		case 'k':
		case 'y':
			nkg |= c == 'k' ? 1 : 2;
			/* K_g is a secret like the password: scrub it too */
			if (o->kg_buf != NULL) {
				crypto_wipe(o->kg_buf, strlen(o->kg_buf));
				free(o->kg_buf);
			}
			if ((o->kg_buf = strdup(optarg)) == NULL) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			memset(optarg, 'x', strlen(optarg));
			if (c == 'k') {
				o->kg = o->kg_buf;
				o->kg_hex = NULL;
			} else {
				o->kg_hex = o->kg_buf;
				o->kg = NULL;
			}
			break;
		case OPT_TIMEOUT: {
			uint64_t ms;
			char why[128];

			/* a bare number stays milliseconds, as it always
			 * was and the man page says: scripts that give
			 * --timeout 1500 keep their meaning */
			if (units_duration_why(optarg, UNITS_BARE_MS, 10,
			    10 * UNITS_MIN, &ms, why, sizeof(why)) != 0) {
				snprintf(err, errlen, "--timeout '%s': %s; a bare "
				    "number is milliseconds", optarg, why);
				return -1;
			}
			o->timeout_ms = (unsigned)ms;
			break;
		}
		case OPT_RETRIES:
			if (text_parse_uint(optarg, 0, 20, &v) == -1) {
				snprintf(err, errlen, "--retries '%s': expected "
				    "0-20", optarg);
				return -1;
			}
			o->retries = (unsigned)v;
			break;
		case OPT_FANOUT:
			if (text_parse_uint(optarg, 1, 65536, &v) == -1) {
				snprintf(err, errlen, "--fanout '%s': expected "
				    "1-65536", optarg);
				return -1;
			}
			o->fanout = (unsigned)v;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "table") == 0)
				o->format = OUT_TABLE;
			else if (strcmp(optarg, "json") == 0)
				o->format = OUT_JSON;
			else {
				snprintf(err, errlen, "--format '%s': expected "
				    "table or json", optarg);
				return -1;
			}
			break;
		case OPT_INSECURE:
			o->insecure = 1;
			break;
		case 'W': {
			uint32_t bits;

			if (workaround_parse_list(optarg, &bits, err,
			    errlen) == -1)
				return -1;
			o->workarounds |= bits;
			break;
		}
		case 'v':
			o->verbose++;
			break;
		case 'h':
			o->help = 1;
			break;
		case OPT_VERSION:
			o->version = 1;
			break;
		case ':':
			snprintf(err, errlen, "option '%s' needs an argument",
			    argv[optind - 1]);
			return -1;
		default:
			snprintf(err, errlen, "unknown option '%s'",
			    argv[optind - 1]);
			return -1;
		}
	}
	o->argv = argv + optind;
	o->argc = argc - optind;
	if ((o->pw_env != 0) + (o->pw_file != NULL) + (o->pw_arg != NULL) > 1) {
		snprintf(err, errlen, "-E, -f and -P are alternatives: give one");
		return -1;
	}
	if (o->auth_type != IPMI_AUTHTYPE_AUTO && o->iface != IPMI_IFACE_LAN) {
		snprintf(err, errlen, "-A: auth types are IPMI v1.5's; give "
		    "-I lan too");
		return -1;
	}
	if (nkg == 3) {
		snprintf(err, errlen, "-k and -y are alternatives: give one");
		return -1;
	}
	return 0;
}

void
opts_release(struct opts *o)
{
	if (o->kg_buf != NULL) {
		crypto_wipe(o->kg_buf, strlen(o->kg_buf));
		free(o->kg_buf);
		o->kg_buf = NULL;
		o->kg = o->kg_hex = NULL;
	}
	if (o->pw_arg != NULL) {
		crypto_wipe(o->pw_arg, strlen(o->pw_arg));
		free(o->pw_arg);
		o->pw_arg = NULL;
	}
}

const char opts_targets_help[] =
"TARGETS: which BMCs of the configuration (-c FILE), a comma list of:\n"
"  @all              every BMC\n"
"  @GROUP            the BMCs of a group (@storage)\n"
"  LABEL=VALUE       the BMCs whose label has that value (rack=r12,\n"
"                    rack=r[10-12])\n"
"  NAME, node[1-10]  BMCs by name; a range is in brackets, and * and ?\n"
"                    match any characters (node0*)\n"
"  A+B               the BMCs in both A and B (@storage+rack=r12)\n"
"  !X                leave X out: of its item when joined by + (@gpu+!gpu3),\n"
"                    else of the whole list (@all,!node13)\n"
"  A,B               the BMCs in either (@storage,rack=r12 is storage\n"
"                    or rack r12)\n";

/* Direct mode's short options that take a value. */
static const char direct_arg_opts[] = "HpUfPICLky";

int
opts_has_hosts(int argc, char **argv, int from)
{
	for (int i = from; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			break;
		/* --hosts, --hosts=..., and what getopt_long takes for it */
		if (a[0] == '-' && a[1] == '-' && strcspn(a + 2, "=") >= 2 &&
		    strncmp(a + 2, "hosts", strcspn(a + 2, "=")) == 0)
			return 1;
		if (a[0] != '-' || a[1] == '-' || a[1] == '\0')
			continue;
		/* a cluster such as -vH node1: H, or a value that hides it */
		for (const char *p = a + 1; *p != '\0'; p++) {
			if (*p == 'H')
				return 1;
			if (strchr(direct_arg_opts, *p) != NULL)
				break;
		}
	}
	return 0;
}

/*
 * The options fleet commands share, which may come before the command's
 * name: how many words of argv[i..] the one at i takes (1 or 2), 0 when
 * it is not one of them.
 */
static int
lead_opt_words(int argc, char **argv, int i)
{
	static const char *const with_value[] = { "--config", "--db",
	    "--format" };
	static const char *const flags[] = { "--verbose", "--quiet",
	    "--help" };
	const char *a = argv[i];
	size_t k, len;

	if (a[0] != '-' || a[1] == '\0')
		return 0;
	if (a[1] != '-') {
		/* -c FILE, -cFILE; -v, -q, -h and their clusters (-vv) */
		if (a[1] == 'c')
			return a[2] != '\0' ? 1 : i + 1 < argc ? 2 : 0;
		return strspn(a + 1, "vqh") == strlen(a + 1) ? 1 : 0;
	}
	for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++) {
		len = strlen(with_value[k]);
		if (strncmp(a, with_value[k], len) != 0)
			continue;
		if (a[len] == '=')
			return 1;
		if (a[len] == '\0')
			return i + 1 < argc ? 2 : 0;
	}
	for (k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
		if (strcmp(a, flags[k]) == 0)
			return 1;
	return 0;
}

const struct cli_command *
opts_find_command(const struct cli_command *tab, size_t n, int argc,
    char **argv)
{
	char *name;
	size_t i;
	int at, w;

	/* the shared options may come first: bmcfleet -c f.yaml collect */
	for (at = 1; at < argc && (w = lead_opt_words(argc, argv, at)) > 0;
	    at += w)
		;
	if (at >= argc)
		return NULL;
	for (i = 0; i < n; i++)
		if (strcmp(argv[at], tab[i].name) == 0)
			break;
	if (i == n)
		return NULL;
	if ((tab[i].flags & CMD_DIRECT_WITH_HOSTS) &&
	    opts_has_hosts(argc, argv, at + 1))
		return NULL;
	/* the name first, the options it was given before it after it */
	name = argv[at];
	memmove(argv + 2, argv + 1, (size_t)(at - 1) * sizeof(*argv));
	argv[1] = name;
	return &tab[i];
}

static int
read_pw_file(const char *path, uint8_t *pw, size_t cap, char *err,
    size_t errlen)
{
	char line[256];
	struct stat st;
	ssize_t n;
	size_t len;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "password file '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	/* as the config's password_file: a secret others can read is
	 * refused, not merely warned about */
	if (fstat(fd, &st) == -1 || (st.st_mode & 077) != 0) {
		close(fd);
		snprintf(err, errlen, "password file '%s': readable by group "
		    "or others (mode %03o); chmod 600 it", path,
		    (unsigned)(st.st_mode & 0777));
		return -1;
	}
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "password file '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	line[n] = '\0';
	len = strcspn(line, "\r\n");
	if (len > cap) {
		crypto_wipe(line, sizeof(line));
		snprintf(err, errlen, "password file '%s': password longer "
		    "than %zu bytes", path, cap);
		return -1;
	}
	memcpy(pw, line, len);
	crypto_wipe(line, sizeof(line));
	return (int)len;
}

int
opts_password(const struct opts *o, uint8_t *pw, size_t cap,
    const char **warn, char *err, size_t errlen)
{
	const char *src = NULL, *what = NULL;
	size_t len;

	*warn = NULL;
	if (o->pw_file != NULL)
		return read_pw_file(o->pw_file, pw, cap, err, errlen);
	if (o->pw_env) {
		what = "BMCFLEET_PASSWORD";
		if ((src = getenv(what)) == NULL) {
			what = "IPMI_PASSWORD";
			src = getenv(what);
		}
		if (src == NULL) {
			snprintf(err, errlen, "-E: neither BMCFLEET_PASSWORD "
			    "nor IPMI_PASSWORD is set");
			return -1;
		}
	} else if (o->pw_arg != NULL) {
		src = o->pw_arg;
		what = "-P";
		*warn = "a password given with -P can be seen by other users "
		    "while bmcfleet starts; prefer -E or -f";
	} else {
		snprintf(err, errlen, "no password: give -E (environment), "
		    "-f FILE or -P PASSWORD");
		return -1;
	}
	if ((len = strlen(src)) > cap) {
		snprintf(err, errlen, "%s: password longer than %zu bytes",
		    what, cap);
		return -1;
	}
	memcpy(pw, src, len);
	return (int)len;
}

static int
hexval(int c)
{
	if (isdigit(c))
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
opts_kg(const struct opts *o, uint8_t *kg, char *err, size_t errlen)
{
	const char *h = o->kg_hex;
	size_t n;

	memset(kg, 0, IPMI_KG_LEN);
	if (o->kg != NULL) {
		if ((n = strlen(o->kg)) > IPMI_KG_LEN) {
			snprintf(err, errlen, "-k: K_g is at most %d bytes",
			    IPMI_KG_LEN);
			return -1;
		}
		memcpy(kg, o->kg, n);
		return n > 0 ? IPMI_KG_LEN : 0;
	}
	if (h == NULL)
		return 0;
	if (h[0] == '0' && (h[1] == 'x' || h[1] == 'X'))
		h += 2;
	n = strlen(h);
	if (n == 0 || n % 2 != 0 || n > 2 * IPMI_KG_LEN) {
		snprintf(err, errlen, "-y: expected up to 40 hex digits");
		return -1;
	}
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval((unsigned char)h[2 * i]);
		int lo = hexval((unsigned char)h[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			/* not echoed: a typo of the key is nearly the key */
			snprintf(err, errlen, "-y: the K_g is not hexadecimal");
			return -1;
		}
		kg[i] = (uint8_t)(hi << 4 | lo);
	}
	return IPMI_KG_LEN;
}
