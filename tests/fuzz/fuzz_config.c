/*
 * fuzz_config: cli/config.c's loader (config_load) over arbitrary bytes,
 * taken as the text of bmcfleet.yaml.  config_load reads a path and
 * checks the file's mode, so each input is written to one file in a
 * private temporary directory and loaded twice: mode 0644, then 0600.
 * Loading reads nothing but that file (password and token files are
 * read on demand, by functions this target does not call), and nothing
 * here writes outside the directory, which is removed at exit.
 *
 * What must hold: a file that loads at 0644 loads at 0600 to the same
 * BMCs (a private file only allows more: inline passwords, a conninfo
 * with a password); every loaded BMC has a credential, ascending unique
 * group indices and labels sorted by key; the BMCs are in hostlist_cmp
 * order, each found by its own name; "@all" selects them all.
 * Seeds: tests/fuzz/corpus/config/ (deploy/bmcfleet.example.yaml and the
 * configurations of tests/unit/test_config.c).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/config.h"
#include "cli/hostlist.h"
#include "tests/fuzz/fuzz_tmp.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)
#define FUZZ_MAX_INPUT	65536

static char path[PATH_MAX + 32];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_tmp_init("fuzz_config");
	snprintf(path, sizeof(path), "%s/bmcfleet.yaml", fuzz_tmp_dir);
	/* the conninfo must come from the input, not the environment */
	unsetenv("BMCFLEET_DB");
	return 0;
}

static void
put(const uint8_t *data, size_t size, mode_t mode)
{
	CHECK(fuzz_tmp_put(path, data, size, mode) == 0);
}

/* field by field: the struct has padding */
static int
settings_eq(const struct config_settings *a, const struct config_settings *b)
{
	return a->timeout_ms == b->timeout_ms &&
	    a->workarounds == b->workarounds && a->port == b->port &&
	    a->credential == b->credential && a->retries == b->retries &&
	    a->cipher_suite == b->cipher_suite && a->iface == b->iface &&
	    a->priv == b->priv && a->insecure == b->insecure;
}

static void
check_loaded(const struct config *c)
{
	size_t i, k, n, *idx = NULL;
	char err[512];

	CHECK(c->nbmcs <= CONFIG_MAX_BMCS);
	for (i = 0; i < c->nbmcs; i++) {
		const struct config_bmc *b = &c->bmcs[i];

		CHECK(b->name != NULL && b->address != NULL);
		CHECK(config_bmc_credential(c, b) != NULL);
		CHECK(config_bmc_find(c, b->name) == (long)i);
		CHECK(i == 0 || hostlist_cmp(b[-1].name, b->name) < 0);
		for (k = 0; k < b->ngroups; k++) {
			CHECK(b->groups[k] < c->ngroups);
			CHECK(k == 0 || b->groups[k - 1] < b->groups[k]);
		}
		for (k = 1; k < b->nlabels; k++)
			CHECK(strcmp(b->labels[k - 1].key,
			    b->labels[k].key) < 0);
		for (k = 0; k < b->nlabels; k++)
			CHECK(config_bmc_label(b, b->labels[k].key) ==
			    b->labels[k].value);
	}
	for (i = 0; i < c->ngroups; i++)
		CHECK(config_group_find(c, c->groups[i].name) == (long)i);
	for (i = 0; i < c->ncreds; i++)
		CHECK(config_credential_find(c, c->creds[i].name) == (long)i);
	if (c->nbmcs == 0)
		return;
	CHECK(config_select(c, "@all", &idx, &n, err, sizeof(err)) == 0);
	CHECK(n == c->nbmcs);
	for (i = 0; i < n; i++)
		CHECK(idx[i] == i);
	free(idx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config open_c, priv_c;
	char err[512];
	int open_rc, priv_rc;
	size_t i;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	put(data, size, 0644);
	open_rc = config_load(&open_c, path, err, sizeof(err));
	CHECK(open_rc == 0 || (open_c.bmcs == NULL && open_c.priv == NULL));
	put(data, size, 0600);
	priv_rc = config_load(&priv_c, path, err, sizeof(err));
	if (open_rc == 0) {
		CHECK(priv_rc == 0);
		check_loaded(&open_c);
		CHECK(priv_c.nbmcs == open_c.nbmcs);
		for (i = 0; i < open_c.nbmcs; i++) {
			CHECK(strcmp(priv_c.bmcs[i].name,
			    open_c.bmcs[i].name) == 0);
			CHECK(settings_eq(&priv_c.bmcs[i].s,
			    &open_c.bmcs[i].s));
		}
	} else if (priv_rc == 0)
		check_loaded(&priv_c);
	config_release(&open_c);
	config_release(&priv_c);
	config_release(&priv_c);	/* harmless twice */
	return 0;
}
