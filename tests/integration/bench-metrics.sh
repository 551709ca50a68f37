#!/usr/bin/env bash
# make bench-metrics' harness, small: tests/bench/metrics.sh over 4 BMCs
# (the exporter's scrapes, bmcfleetd's two sweeps and scrape) and 8 (the
# timed scrapes), so that the bench does not rot between the runs that
# time it.  Timing is never asserted here: only that every figure was
# taken (the script exits 0 and no row prints ? or n/a where a number
# belongs) and that both sides saw every BMC up.
#
#   bmcsim on 127.0.100.1-8 (the bench's own addresses), the exporter on
#   127.0.149.250:19290, bmcfleetd on 127.0.149.250:9291
# sanitize: no (the bench harness kept from rotting; no timing, no new code path)
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3 curl prometheus-ipmi-exporter

RUN_TIMEOUT=60
run_to bench env BENCH_MX_COUNT=4 BENCH_MX_BIG=8 BENCH_MX_SCRAPES=2 \
    BENCH_MX_INTERVAL=5 "$TOP/tests/bench/metrics.sh"
expect_eq "$RUN_RC" 0 "tests/bench/metrics.sh's exit status"
expect_match "$RUN_OUT" 'targets with bmc,ipmi,chassis,dcmi up +4 of 4, [1-9][0-9]* samples' \
    "every exporter target up"
expect_match "$RUN_OUT" 'prometheus-ipmi-exporter \+ FreeIPMI, 4 scrapes +[0-9.]+ s CPU' \
    "the exporter's CPU"
expect_match "$RUN_OUT" 'bmcfleetd: warm sweep \+ one /metrics scrape +[0-9.]+ s CPU \(sweep [0-9.]+ s' \
    "bmcfleetd's CPU"
expect_match "$RUN_OUT" 'BMCs up in /metrics; scrape wall +4 swept ok, [1-9][0-9]* samples' \
    "every BMC up in bmcfleetd's /metrics"
expect_match "$RUN_OUT" 'PostgreSQL over the same window +[0-9.]+ s CPU' \
    "PostgreSQL's CPU"
expect_match "$RUN_OUT" '/metrics of 8 BMCs, after one sweep +sweep [0-9.]+ s, 8 BMCs up' \
    "the large fleet up"
expect_match "$RUN_OUT" 'scrape wall, median of 2 +[0-9.]+ ms, body [1-9][0-9]* bytes' \
    "the timed scrapes"
expect_no_match "$RUN_OUT" 'not measured' "every figure taken"
msg "ok"
