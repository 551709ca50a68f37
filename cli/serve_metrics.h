/*
 * serve_metrics: bmcfleetd's /metrics and /ipmi, rendered from the
 * fleet's latest sweep in memory (collector/fleetmem.h): a scrape asks
 * no BMC and no database.
 *
 *   /metrics              every BMC this daemon swept, with
 *                         prometheus-community/ipmi_exporter's metric
 *                         names, help, labels and units plus a bmc label
 *                         (the configured name), then the daemon's own
 *                         health (bmcfleet_*)
 *   /ipmi?target=HOST     one BMC in ipmi_exporter's multi-target form,
 *                         without the bmc label; HOST is the configured
 *                         name or address; module= is accepted and
 *                         ignored (every collector is always answered)
 *
 * Prometheus text format 0.0.4.  Deliberate differences from
 * ipmi_exporter: docs/METRICS.md and tests/interop/metrics-differences.txt.
 */
#ifndef BMCFLEET_CLI_SERVE_METRICS_H
#define BMCFLEET_CLI_SERVE_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct fleetmem;
struct fm_host;
struct gbuf;
struct serve;

/* The routes on srv's listener: 0, or -1 with errno. */
int	serve_metrics_routes(struct serve *srv);

/*
 * The renderers, pure (for the unit tests and the bench).  hosts: n
 * hosts of fm; bmc_label: add bmc="NAME" to every series (/metrics) or
 * not (/ipmi).  A host never swept contributes nothing.  Families are in
 * ipmi_exporter's (alphabetical) order; with bmc_label the sel count is
 * TYPE untyped, so promtool's lint accepts the exporter's "_count" name.
 */
void	metrics_render_ipmi(struct gbuf *, const struct fleetmem *fm,
	    const struct fm_host *const *hosts, size_t n, int bmc_label);
/* /ipmi for a target nobody knows: what ipmi_exporter answers for a
 * BMC it cannot reach (every collector's ipmi_up 0). */
void	metrics_render_unknown(struct gbuf *);

/* The daemon's own figures, rendered by metrics_render_health. */
struct metrics_health {
	double		 sweep_seconds;		/* the last whole sweep */
	double		 sweep_end_unix;	/* 0: none yet */
	uint64_t	 sweeps;
	int		 sweeping;
	size_t		 hosts_configured;
	size_t		 hosts_ok, hosts_failed;	/* latest sweep */
	size_t		 failed_by[16];		/* enum drv_fail */
	size_t		 spool_batches;
	uint64_t	 spool_bytes;
	size_t		 db_pending;
	int		 db_up;
	uint64_t	 db_committed;
	double		 db_lag_seconds;	/* oldest batch not committed */
	int		 traps_listening;
	uint64_t	 traps_received, traps_accepted;
	uint64_t	 traps_by_verdict[8];	/* enum traprx_verdict */
	uint64_t	 trap_reads, light_passes;
	uint64_t	 http_requests, http_errors, http_refused_auth;
	size_t		 fleetmem_bytes;
};
void	metrics_render_health(struct gbuf *, const struct metrics_health *);

/* A value as Prometheus reads it ("NaN" for NaN), into out (>= 32). */
size_t	metrics_format_value(double v, char *out);

#endif
