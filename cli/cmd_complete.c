/* cmd_complete: the TARGETS words of a config, for the bash completion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_complete.h"
#include "cli/config.h"

#define DEFAULT_CONFIG	"/etc/bmcfleet/bmcfleet.yaml"

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* each distinct LABEL=VALUE of the BMCs, sorted; -1 out of memory */
static int
print_labels(const struct config *c)
{
	const struct config_label *lb, *prev = NULL;
	char **v = NULL, **nv;
	size_t n = 0, cap = 0, i, j;
	int rc = -1;

	for (i = 0; i < c->nbmcs; i++) {
		/* BMCs of one host range share one labels array */
		if (c->bmcs[i].labels == prev)
			continue;
		prev = c->bmcs[i].labels;
		for (j = 0; j < c->bmcs[i].nlabels; j++) {
			lb = &c->bmcs[i].labels[j];
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
					goto out;
				v = nv;
			}
			if (asprintf(&v[n], "%s=%s", lb->key, lb->value) < 0)
				goto out;
			n++;
		}
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), str_cmp);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
			printf("%s\n", v[i]);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return rc;
}

int
fleet_complete_targets_main(int argc, char **argv)
{
	const char *path = getenv("BMCFLEET_CONFIG");
	struct config c = { 0 };
	char err[256];
	size_t i;

	if (argc == 3 && (!strcmp(argv[1], "-c") ||
	    !strcmp(argv[1], "--config")))
		path = argv[2];
	else if (argc != 1) {
		fprintf(stderr, "usage: bmcfleet %s [-c FILE]\n",
		    COMPLETE_TARGETS_CMD);
		return 2;
	}
	if (path == NULL || *path == '\0')
		path = DEFAULT_CONFIG;
	if (config_load(&c, path, err, sizeof(err)) != 0)
		return 0;
	printf("@all\n");
	for (i = 0; i < c.ngroups; i++)
		printf("@%s\n", c.groups[i].name);
	(void)print_labels(&c);
	for (i = 0; i < c.nbmcs; i++)
		printf("%s\n", c.bmcs[i].name);
	config_release(&c);
	return 0;
}
