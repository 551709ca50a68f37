/*
 * cmd_collect: `bmcfleet collect [TARGETS]`: one sweep of the configured
 * fleet into PostgreSQL (cli/collect.c does the sweep), a summary, and
 * the wait for the writer.  The options both it and bmcfleetd take, and
 * the start both make (collect_getopts, collect_start), are here too.
 *
 * Exit status: 0 every host swept and every row committed; 1 some host
 * failed, or rows are still in the spool; 2 usage or configuration error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/collect.h"
#include "cli/collect_int.h"
#include "cli/opts.h"
#include "lib/text.h"
#include "lib/units.h"

/* --what: empty entries pass, as they always did ("sel,,fru") */
static const struct text_flag what_names[] = {
	{ "sensors", SWEEP_SENSORS },
	{ "sel", SWEEP_SEL },
	{ "fru", SWEEP_FRU },
	{ "dcmi", SWEEP_DCMI },
	{ "all", SWEEP_ALL },
};

static unsigned
parse_what(const char *s)
{
	const char *bad;
	uint32_t w;
	size_t n;

	if (text_parse_flags(s, what_names, sizeof(what_names) /
	    sizeof(what_names[0]), TEXT_FLAGS_SKIP_EMPTY, &w, &bad, &n) != 0)
		return 0;
	return w;
}

static int
collect_parse_opt(int ch, struct collect_opts *o, const char *prog)
{
	char why[128];

	switch (ch) {
	case 'c':
		o->cfg_path = optarg;
		return 0;
	case 'D':
		o->db = optarg;
		return 0;
	case 'S':
		o->spool_dir = optarg;
		return 0;
	case 'w':
		if ((o->what = parse_what(optarg)) == 0) {
			fprintf(stderr, "%s: --what: expected a list of "
			    "sensors, sel, fru, dcmi\n", prog);
			return 2;
		}
		return 0;
	case 'W':
		/* a bare number stays seconds, as it was documented */
		if (units_duration_why(optarg, UNITS_BARE_SEC, 0, UNITS_DAY,
		    &o->wait_ms, why, sizeof(why)) != 0) {
			fprintf(stderr, "%s: --db-wait '%s': %s; a bare "
			    "number is seconds\n", prog, optarg, why);
			return 2;
		}
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	case 'L':
		o->lease = 0;
		return 0;
	case 'R':
		o->retire = 1;
		return 0;
	case 'F':
		if (strcmp(optarg, "json") != 0 && strcmp(optarg, "table") != 0) {
			fprintf(stderr, "%s: --format: expected table or json\n",
			    prog);
			return 2;
		}
		o->json = strcmp(optarg, "json") == 0;
		return 0;
	default:
		return -1;
	}
}

static const struct option collect_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "db", required_argument, NULL, 'D' },
	{ "spool", required_argument, NULL, 'S' },
	{ "what", required_argument, NULL, 'w' },
	{ "db-wait", required_argument, NULL, 'W' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "no-lease", no_argument, NULL, 'L' },
	{ "retire", no_argument, NULL, 'R' },
	{ "format", required_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
collect_opts_defaults(struct collect_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cfg_path = getenv("BMCFLEET_CONFIG");
	if (o->cfg_path == NULL)
		o->cfg_path = "/etc/bmcfleet/bmcfleet.yaml";
	o->targets = "@all";
	o->what = SWEEP_ALL;
	o->wait_ms = 30 * UNITS_SEC;
	o->lease = 1;
}

int
collect_getopts(int argc, char **argv, struct collect_opts *o,
    const char *prog, int targets, void (*usage)(FILE *))
{
	int ch, rc;

	collect_opts_defaults(o);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+c:qh", collect_options,
	    NULL)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			if (targets)
				printf("\n%s", opts_targets_help);
			return 0;
		}
		if ((rc = collect_parse_opt(ch, o, prog)) != 0) {
			/* a bad value has said so in a line; an unknown
			 * option gets the usage */
			if (rc < 0)
				usage(stderr);
			return 2;
		}
	}
	if (targets && optind < argc)
		o->targets = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog,
		    argv[optind]);
		return 2;
	}
	return -1;
}

int
collect_start(struct collect *co, const struct collect_opts *o, int daemon)
{
	int rc;

	memset(co, 0, sizeof(*co));
	rows_init(&co->rows);
	/* the daemon has no progress bar: its summary is logged */
	co->quiet = daemon || o->quiet;
	co->daemon = daemon;
	co->lease = o->lease;
	co->retire = o->retire;
	if ((rc = collect_fleet_load(co, o)) != 0)
		return rc;
	return collect_open(co, o);
}

static void
usage(FILE *f)
{
	fputs(
"usage: bmcfleet collect [TARGETS] [-c FILE] [--db CONNINFO] [--spool DIR]\n"
"                        [--what LIST] [--db-wait DURATION] [--no-lease]\n"
"                        [--retire] [--format table|json] [-q]\n"
"\n"
"Sweep the configured BMCs once into PostgreSQL: identity, power, FRU\n"
"inventory (when due), sensor readings, new SEL events, DCMI power.\n"
"\n"
"  TARGETS            @all (default), @group, rack=r12, host[1-10], !host5;\n"
"                     '+' for hosts in both (@storage+rack=r12), ',' for\n"
"                     either\n"
"  -c, --config FILE  bmcfleet.yaml (default $BMCFLEET_CONFIG, else\n"
"                     /etc/bmcfleet/bmcfleet.yaml)\n"
"      --db CONNINFO  PostgreSQL (default: the config's, or $BMCFLEET_DB)\n"
"      --spool DIR    where batches wait for the database (default: the\n"
"                     config's collector.spool_dir)\n"
"      --what LIST    sensors,sel,fru,dcmi (default all)\n"
"      --db-wait DURATION  how long to wait for the database at the end\n"
"                     (30s, 2m, up to 1d; a bare number is seconds;\n"
"                     default 30s); rows not written by then stay in the\n"
"                     spool for the next run\n"
"      --no-lease     sweep every target even if another collector holds\n"
"                     its lease (default: share the fleet through leases)\n"
"      --retire       retire every BMC of the database that is not in the\n"
"                     config; without it only a few (at most 3, and at most\n"
"                     a tenth of the fleet) are, the rest kept and named\n"
"      --format table|json  the summary: table (default) is lines on\n"
"                     stderr naming the first 5 failed hosts with their\n"
"                     reason (and why hosts were not swept); json is one\n"
"                     object on stdout: hosts, swept, ok, failed, seconds,\n"
"                     by_reason, failures (every failed host: host,\n"
"                     address, reason, error), not_swept, readings,\n"
"                     sel_entries, fru_devices, sdr_reads, database\n"
"                     (committed, status, rows, batches, pending, spool)\n"
"  -q, --quiet        no progress and no summary, errors only (the json\n"
"                     summary is still printed)\n", f);
}

int
fleet_collect_main(int argc, char **argv)
{
	struct collect_opts o;
	struct collect co;
	int rc, drained;
	uint64_t t0;

	if ((rc = collect_getopts(argc, argv, &o, "bmcfleet: collect", 1,
	    usage)) != -1)
		return rc;
	if ((rc = collect_start(&co, &o, 0)) != 0)
		goto out;
	co.progress = !co.quiet && isatty(STDERR_FILENO);
	t0 = wall_ms();
	rc = 1;
	if ((rc = collect_sweep(&co, wall_ms())) != 0) {
		if (rc == -1)
			fprintf(stderr, "bmcfleet: %s\n", strerror(errno));
		rc = 1;
		goto out;
	}
	drained = collect_drain(&co, o.wait_ms);
	co.json = o.json;
	if (!co.quiet || co.json)
		collect_summary(&co, wall_ms() - t0, drained);
	rc = !co.spool_failed && drained &&
	    sweep_stats(co.sweep)->failed == 0 ? 0 : 1;
out:
	collect_close(&co);
	return rc;
}
