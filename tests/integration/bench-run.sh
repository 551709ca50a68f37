#!/usr/bin/env bash
# make bench's harness, small: tests/bench/run.sh over 20 BMCs (both
# fleets), one run each, BENCH_PERF=1, so that the bench does not rot
# between the runs that time it.  Timing is never asserted here: only
# that every figure was taken (the script exits 0, nothing "not
# measured"), that every row of issue 16's table is printed with its
# target and a verdict, that the SDR walks are counted by bmcsim, and that
# the profile names bmcfleet's own functions.
#
#   bmcsim on 127.0.20.1-20, then 127.0.20.1-1000 for the idle row (the
#   bench's own addresses)
# sanitize: no (the bench harness kept from rotting; no timing, no new code path)
# test-timeout: 120
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool ipmi-sensors ipmipower ipmitool perf python3 cc pkg-config

RUN_TIMEOUT=110
run_to bench env BENCH_COUNT=20 BENCH_BIG=20 BENCH_REPEAT=1 BENCH_SERIAL=1 \
    BENCH_IDLE=1 BENCH_PERF=1 "$TOP/tests/bench/run.sh"
expect_eq "$RUN_RC" 0 "tests/bench/run.sh's exit status"
expect_no_match "$RUN_OUT" 'not measured' "every figure taken"
V='(PASS|MISS)'
F='[0-9]+\.[0-9]+'
expect_match "$RUN_OUT" "^20 full sweep, warm, concurrency 20 \* +$F +$F +$F" \
    "the 1k warm row: wall, floor, cpu"
expect_match "$RUN_OUT" "CPU per BMC command, bmcfleet +[0-9.]+ us \([0-9]+ cmds\) +<= 8 us +$V" \
    "CPU per BMC command"
expect_match "$RUN_OUT" "\.\.\. with PostgreSQL's CPU \([0-9.]+ s\) +[0-9.]+ us +<= 15 us +$V" \
    "... with PostgreSQL's CPU"
expect_match "$RUN_OUT" "^20 full sweep, warm, concurrency 256 \* +$F +$F +$F" \
    "the warm row at 256: wall, floor, cpu"
expect_match "$RUN_OUT" "^20 full sweep, cold, concurrency 20 +$F +$F +$F" \
    "the cold row: wall, floor, cpu"
# bmcsim counts SDR walks (sdr_walks in --stats) once the sdrwalk work is
# in; before, the rows print n/a and no verdict
if grep -q sdr_walks "$BMCSIM"; then
	WK="[0-9]+ \(bmcsim\)" WV=$V
else
	WK="n/a \(bmcsim\)" WV=n/a
fi
expect_match "$RUN_OUT" "SDR repository walks, cold +$WK, 5 model\(s\) +1 per model +$WV" \
    "SDR walks counted by bmcsim (mixed models)"
expect_match "$RUN_OUT" "SDR repository walks, cold +$WK, 1 model\(s\) +1 per model +$WV" \
    "SDR walks counted by bmcsim (openbmc)"
expect_match "$RUN_OUT" "^bmcfleet collect --what sensors \* +$F +$F +$F" \
    "the sensors row: wall, floor, cpu"
expect_match "$RUN_OUT" "ipmi-sensors / bmcfleet, wall +[0-9.]+x \(median of 1 paired runs\) +>= 4x +$V" \
    "ipmi-sensors / bmcfleet"
expect_match "$RUN_OUT" "^20 full sweep, warm, concurrency 20 +$F +$F +$F" \
    "the 10k warm row, every BMC in flight: wall, floor, cpu"
expect_match "$RUN_OUT" "peak RSS, every BMC in flight +[0-9.]+ +<= 100 MiB +$V" \
    "peak RSS"
expect_match "$RUN_OUT" "^20 full sweep, warm, concurrency 256 +$F +$F +$F +[0-9.]+ +[0-9]+ readings/s of wall, .* <= 8 s +$V" \
    "the 10k warm row at 256"
expect_match "$RUN_OUT" "^ingest: collector/dbw -> PostgreSQL +$F +$F +$F .* >= 120000/s +$V" \
    "ingest: wall, floor, cpu"
expect_match "$RUN_OUT" "perf: top 20 symbols, self and children" "the profile"
expect_match "$RUN_OUT" "[0-9.]+% +[0-9.]+% +bmcfleet +\[\.\] collect_sweep" \
    "the profile names bmcfleet's functions"
msg "ok"
