#!/usr/bin/env bash
# make bench: bmcfleet against FreeIPMI (ipmi-sensors, ipmipower) and
# ipmitool, and its collector against its own targets (issue 16), measured
# in the same run against the same simulated fleets and a throwaway
# PostgreSQL, printed as one table.  Timing lives here, never in make check.
#
# A target missed is printed as MISS and does not fail make bench (timed
# assertions do not belong in tests); a measurement that could not be
# taken (a tool missing, a command that failed or printed nothing) fails
# it, after the table.  A run is kept only when it exited 0 with every host
# answered; a figure with no kept run prints n/a, never PASS.  Compared
# tools run interleaved, and their ratio is the median of run-for-run
# pairs, both of the same iteration kept.  Beside each wall time, the CPU
# floor of the same run: (bmcfleet + bmcsim + PostgreSQL CPU) / cores.
#
# Issue 16's targets: CPU per BMC command (1k warm, at concurrency 1000
# and 256) <= 8 us, <= 15 us with PostgreSQL's; ingest >= 120,000
# readings/s; the 10k warm sweep at concurrency 256 <= 8 s of wall;
# ipmi-sensors / bmcfleet collect --what sensors >= 4x in wall; one SDR
# repository walk per model on a cold sweep (counted by bmcsim); peak RSS
# of the 10k warm sweep with every BMC in flight <= 100 MiB.
#
#   BENCH_COUNT    BMCs in the main fleet (1000), mixed models, 36-46 sensors
#   BENCH_BIG      BMCs in the large fleet (10000), model openbmc (33 sensors)
#   BENCH_LAT      response latency in ms (2), BENCH_JIT jitter in ms (1)
#   BENCH_REPEAT   runs of each short measurement; the fastest is kept (3)
#   BENCH_SERIAL   hosts ipmitool visits one after another (50)
#   BENCH_INGEST_ROUNDS  readings of every sensor of the large fleet that
#                  the ingest row writes (1)
#   BENCH_PERF=1   one more warm sweep of the main fleet under perf record
#                  (--call-graph dwarf); the top 20 symbols, self and with
#                  children, printed after the table
#   BENCH_IDLE     seconds bmcsim's idle CPU is measured over (5)
#   BENCH_KEEP=1   keep the work directory (configs, outputs, stats,
#                  perf.data)
#   BENCH_DEAD=LIST  BMCs (bmcsim --dead, 1-based) of every bmcsim that never
#                  answer: a planted fault, to see failed runs print n/a
#
# Phases: (A) the main fleet: a cold sweep to warm the SDR cache, SEL
# cursors and FRU, then the measured warm sweeps, ipmi-sensors against a
# sensors-only sweep, ipmipower against power status; (B) the large fleet:
# a cold and a warm sweep; (C) ingest: readings for every sensor the large
# fleet stored, through the collector's own writer (tests/bench/ingest.c);
# (D) direct mode, tests/bench/direct.sh's bench_direct when the file is
# there (the helpers it may use: "rows" below; lib.sh's head).
set -euo pipefail
BENCH_NAME=bench
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
COUNT=${BENCH_COUNT:-1000}
BIG=${BENCH_BIG:-10000}
REPEAT=${BENCH_REPEAT:-3}
SERIAL=${BENCH_SERIAL:-50}
ROUNDS=${BENCH_INGEST_ROUNDS:-1}
PERF=${BENCH_PERF:-0}
IDLE=${BENCH_IDLE:-5}
# the per-BMC counter of bmcsim's --stats that counts SDR repository walks
# (n/a when bmcsim has none)
SIM_STAT_SDR_WALKS=sdr_walks

[ -x /usr/bin/time ] || die "needs GNU time (apt-get install time)"
bench_need ipmi-sensors ipmipower ipmitool python3 cc pkg-config pgrep
if [ "$PERF" = 1 ] && ! command -v perf >/dev/null; then
	die "BENCH_PERF=1 needs perf (apt-get install linux-perf)"
fi
bench_need_bins bmcfleet bmcsim

# Open files: one socket per BMC in flight (the large fleet sweeps every
# BMC at once), bmcsim's sockets are per process (one per /24).
NEED_FD=$((BIG + 1024))
bench_fd "$NEED_FD"
BIG_CONC=$BIG
if [ "$(ulimit -n)" -lt "$NEED_FD" ]; then
	BIG_CONC=$(($(ulimit -n) - 1024))
	echo "bench: open files limited to $(ulimit -n): the large sweep runs $BIG_CONC at once"
fi

bench_dirs bench
export BMCFLEET_PASSWORD=$PW

# --- helpers ----------------------------------------------------------------

# start_fleet NAME N PER ARGS...: one bmcsim per /24 from 127.0.20.1, PER
# BMCs in each, with --stats; SIM_PIDS, FLEET_STATS (their --stats files)
start_fleet() {
	local name=$1 n=$2 per=$3 t
	shift 3
	sims_start 20 "$n" "$per" "$name-" --password "$PW" \
	    --stats "$W/stats-$name-%T.json" \
	    ${BENCH_DEAD:+--dead "$BENCH_DEAD"} "$@"
	FLEET_STATS=()
	for t in "${SIM_THIRDS[@]}"; do FLEET_STATS+=("$W/stats-$name-$t.json"); done
}
stop_fleet() { sims_stop; }

# snap FILE: every BMC's counters (bmcsim --stats, on SIGUSR1) into FILE
snap() {
	local i f
	for i in "${!SIM_PIDS[@]}"; do
		rm -f "${FLEET_STATS[$i]}"
		kill -USR1 "${SIM_PIDS[$i]}"
	done
	for f in "${FLEET_STATS[@]}"; do
		for i in $(seq 200); do [ -s "$f" ] && break; sleep 0.025; done
		[ -s "$f" ] || die "bmcsim wrote no --stats to $f"
	done
	cat "${FLEET_STATS[@]}" >"$1"
}

# cmds BEFORE AFTER: "total max walks models": requests the BMCs received
# in between (all, and the most any one BMC received), SDR repository walks
# they counted (SIM_STAT_SDR_WALKS; "-" when bmcsim has no such counter),
# and the models of the fleet
cmds() {
	python3 - "$1" "$2" "$SIM_STAT_SDR_WALKS" <<'EOF'
import json, sys
def load(f):
    return {d["bmc"]: d for d in map(json.loads, open(f))}
a, b, k = load(sys.argv[1]), load(sys.argv[2]), sys.argv[3]
d = [b[h]["rx"] - a.get(h, {}).get("rx", 0) for h in b]
if all(k in v for v in b.values()):
    w = str(sum(b[h][k] - a.get(h, {}).get(k, 0) for h in b))
else:
    w = "-"
print(sum(d), max(d), w, len({v.get("model") for v in b.values()}))
EOF
}

# collect KEY CONFIG EXPECT TIMEOUT [ARGS...]: one bmcfleet sweep, with
# the BMCs' counters, bmcsim's and PostgreSQL's CPU around it
collect_run() {
	local k=$1 cfg=$2 expect=$3 tmo=$4 s0 s1 p0 p1 total max walks models ok db
	shift 4
	snap "$W/$k.s0"
	s0=$(sim_ticks) p0=$(pg_ticks)
	timed "$k" "$tmo" "$O/bmcfleet" collect -c "$cfg" --db-wait 300 "$@"
	p1=$(pg_ticks) s1=$(sim_ticks)
	snap "$W/$k.s1"
	ok=$(sed -n 's/^collect: .* hosts in .*: \([0-9]*\) ok.*/\1/p' "$W/$k.err")
	if [ -z "$T_WALL" ] || [ -z "$ok" ] || [ "$T_RC" -ne 0 ]; then
		missing "$k" "bmcfleet collect failed (exit $T_RC): $(tail -n 3 "$W/$k.err" | tr '\n' ' ')"
		return 1
	fi
	if [ "$ok" -ne "$expect" ]; then
		missing "$k" "only $ok of $expect hosts swept: run not kept"
		return 1
	fi
	read -r total max walks models < <(cmds "$W/$k.s0" "$W/$k.s1")
	if keep "$k"; then
		OK[$k]=$ok
		X[$k.cmds]=$total X[$k.chain]=$max
		X[$k.walks]=$walks X[$k.models]=$models
		X[$k.pg]=$(tsec $((p1 - p0))) X[$k.sim]=$(tsec $((s1 - s0)))
		X[$k.rows]=$(sed -n 's/^collect: database: \([0-9]*\) rows.*/\1/p' "$W/$k.err")
		X[$k.readings]=$(sed -n 's/^collect: \([0-9]*\) readings.*/\1/p' "$W/$k.err")
		X[$k.sdr]=$(sed -n 's/.* \([0-9]*\) SDR repositories read.*/\1/p' "$W/$k.err")
		db=$(sed -n 's/^database: "\(.*\)"$/\1/p' "$cfg")
		X[$k.sweep]=$(sql "$db" "SELECT round(extract(epoch FROM
		    finished_at - started_at), 2) FROM collection_run
		    ORDER BY id DESC LIMIT 1")
		X[$k.chain_ms]=$(sql "$db" "SELECT 'a BMC took ' ||
		    round(avg(duration_ms)) || ' ms (max ' || max(duration_ms) ||
		    ')' FROM collection_result WHERE run_id = (SELECT max(id)
		    FROM collection_run)")
	fi
}

# --- rows ---------------------------------------------------------------------
#
# The table's columns: run, wall s, floor s (the CPU floor: collector +
# simulator + database CPU / cores, the wall no run can beat on this
# machine), cpu s, rss MiB, figure, target, result.  Helpers a part of the
# bench sourced here (tests/bench/direct.sh's bench_direct) may use:
#   row LABEL WALL CPU RSS FIGURE TARGET RESULT [FLOOR]   print a row now
#   defer_row (the same)     print it in the table, after the tools' rows
#   timed NAME TIMEOUT CMD...  T_WALL T_CPU T_RSS T_RC, $W/NAME.out/.err
#   tool KEY PATTERN HOSTS TIMEOUT CMD...  a kept run (see above), by ITER
#   keep KEY, WALL[KEY] CPU[KEY] RSS[KEY] (KiB) OK[KEY] X[KEY.*]
#   ratio_paired WALL|CPU A B, npairs A B, ratio A B, mib KIB, floor_s KEY
#   verdict VALUE OP LIMIT, missing KEY MSG, calc, tsec, ticks_of, pg_ticks
#   sims_start / sims_stop / sim_ticks, REPEAT, LAT, JIT, PW, O, W
# (lib.sh's, but row, defer_row, floor_s and run_row) and, from run.sh: COUNT, BIG, HOSTS (the main fleet's list).  Rows print
# n/a, never PASS, for a figure with no kept run.

LINE='%-44s %7s %7s %7s %8s  %-36s %-12s %s\n'
# shellcheck disable=SC2059
row() { printf "$LINE" "$1" "$2" "${8:-}" "$3" "$4" "$5" "$6" "$7"; }
DEFERRED=()
defer_row() { DEFERRED+=("$(row "$@")"); }
# floor_s KEY: (its CPU + PostgreSQL's + bmcsim's over its kept run) / cores
floor_s() {
	[ -n "${CPU[$1]:-}" ] && [ -n "${X[$1.sim]:-}" ] &&
	    calc "%.2f" "(${CPU[$1]} + ${X[$1.pg]:-0} + ${X[$1.sim]}) / $(nproc)"
}
run_row() {	# run_row LABEL KEY FIGURE [TARGET RESULT]: with KEY's floor
	row "$1" "${WALL[$2]:--}" "${CPU[$2]:--}" "$(mib "${RSS[$2]:-}")" "$3" \
	    "${4:-}" "${5:-}" "$(floor_s "$2" || true)"
}

# --- the database -------------------------------------------------------------

echo "bench: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; open files $(ulimit -n)"
pg_start
sql() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
pg_db_big
db_migrate "$CONN" "$CONN_BIG"

# config NAME CONNINFO CONCURRENCY: $W/NAME.yaml for the fleet up now
config() {
	fleet_yaml "$W/$1.yaml" "$2" "$SIM_HOSTS"
	cat >>"$W/$1.yaml" <<EOF
collector:
  concurrency: $3
  spool_dir: $W/spool-$1
EOF
}

# --- (A) the main fleet -------------------------------------------------------

PER=254
start_fleet main "$COUNT" "$PER"
HOSTS=$SIM_HOSTS
config main "$CONN" "$COUNT"; CFG=$W/main.yaml
config main256 "$CONN" 256; CFG256=$W/main256.yaml
echo "bench: $COUNT simulated BMCs ($(( (COUNT + PER - 1) / PER )) bmcsim), latency ${LAT} ms + 0-${JIT} ms"

echo "bench: cold sweep (reads every SDR repository, SEL and FRU once)"
collect_run cold "$CFG" "$COUNT" 300 || true
echo "bench: warm sweeps, best of $REPEAT"
for i in $(seq "$REPEAT"); do
	collect_run warm "$CFG" "$COUNT" 300 || true
	collect_run warm256 "$CFG256" "$COUNT" 300 || true
done

# BENCH_PERF=1: one more warm sweep (not timed) under perf; the top
# symbols are printed after the table
if [ "$PERF" = 1 ]; then
	echo "bench: perf record of one more warm sweep (concurrency $COUNT)"
	PERF_OK=0
	if perf record -F 999 --call-graph dwarf,16384 -o "$W/perf.data" -- \
	    "$O/bmcfleet" collect -c "$CFG" --db-wait 300 \
	    >"$W/perf.out" 2>"$W/perf.err" </dev/null &&
	    grep -q "^collect: .* hosts in .*: $COUNT ok" "$W/perf.err"; then
		PERF_OK=1
	else
		missing perf "perf record of the warm sweep failed: $(tail -n 3 "$W/perf.err" | tr '\n' ' ')"
	fi
fi

echo "bench: ipmi-sensors --fanout 1024 (one run to fill its SDR cache, then best of $REPEAT) and collect --what sensors"
FCACHE=$W/freeipmi
mkdir -m 700 "$FCACHE"
IS=(ipmi-sensors -h "$HOSTS" --fanout 1024 -D LAN_2_0 -u admin -p "$PW"
    -l ADMIN --sdr-cache-directory "$FCACHE" --quiet-cache)
RPAT='^127[^:]*: [0-9]+ +\|'
timed is_cold 600 "${IS[@]}"
if [ -z "$T_WALL" ] || ! grep -Eq "$RPAT" "$W/is_cold.out"; then
	missing ipmi_sensors "ipmi-sensors failed: $(head -n 3 "$W/is_cold.err" | tr '\n' ' ')"
fi
for i in $(seq "$REPEAT"); do
	ITER=$i
	tool ipmi_sensors "$RPAT" "$COUNT" 600 "${IS[@]}" || true
	collect_run sensors "$CFG" "$COUNT" 300 --what sensors || true
done
[ -s "$W/ipmi_sensors.best" ] &&
    X[ipmi_sensors.hosts]=$(grep -E "$RPAT" "$W/ipmi_sensors.best" | cut -d: -f1 | sort -u | wc -l)

echo "bench: power status, best of $REPEAT"
for i in $(seq "$REPEAT"); do
	ITER=$i
	tool fleet_lanplus ': on$|: off$' "$COUNT" 300 "$O/bmcfleet" -H "$HOSTS" -U admin -E --fanout 1024 power status || true
	tool ipmipower_lanplus ': (on|off)$' "$COUNT" 300 ipmipower -h "$HOSTS" -u admin -p "$PW" -D LAN_2_0 --stat || true
	tool fleet_lan ': on$|: off$' "$COUNT" 300 "$O/bmcfleet" -H "$HOSTS" -U admin -E -I lan --fanout 1024 power status || true
	tool ipmipower_lan ': (on|off)$' "$COUNT" 300 ipmipower -h "$HOSTS" -u admin -p "$PW" --stat || true
	tool fleet_mcinfo '^127' "$COUNT" 300 "$O/bmcfleet" -H "$HOSTS" -U admin -E --fanout 1024 mc info || true
done

# ipmitool visits one host per process: time SERIAL of them in a row
timed ipmitool 600 bash -c '
	ok=0
	for i in $(seq 1 '"$SERIAL"'); do
		IPMI_PASSWORD='"$PW"' ipmitool -I lanplus -C 17 \
		    -H 127.0.20.$i -U admin -E power status \
		    >/dev/null 2>&1 && ok=$((ok + 1))
	done
	echo $ok'
if [ -n "$T_WALL" ] && [ "$T_RC" -eq 0 ] && [ "$(cat "$W/ipmitool.out")" = "$SERIAL" ]; then
	keep ipmitool; OK[ipmitool]=$(cat "$W/ipmitool.out")
else
	missing ipmitool "the ipmitool loop: $(cat "$W/ipmitool.out" 2>/dev/null || echo 0) of $SERIAL hosts answered: not kept"
fi
stop_fleet

# bmcsim itself: 1000 BMCs in one process must start in under a second and
# idle at near zero CPU (issue 2).
simlog=$W/sim-idle.log
t0=$EPOCHREALTIME
"$O/bmcsim" --count 1000 --base 127.0.20.1 --user admin --password "$PW" \
    >"$simlog" 2>&1 &
simpid=$!
BG_PIDS+=($simpid)
for _ in $(seq 400); do grep -q '^bmcsim: ready' "$simlog" && break; sleep 0.005; done
SIM_START=$(calc "%.3f" "$EPOCHREALTIME - $t0")
grep -q '^bmcsim: ready' "$simlog" || { cat "$simlog"; die "bmcsim did not start"; }
c0=$(ticks_of "$simpid"); sleep "$IDLE"; c1=$(ticks_of "$simpid")
SIM_IDLE=$(calc "%.2f" "($c1 - $c0) / $HZ / $IDLE * 100")
SIM_RSS=$(awk '/VmRSS/ { print $2 }' "/proc/$simpid/status")
kill "$simpid"; wait "$simpid" 2>/dev/null || true
bg_forget "$simpid"

# --- (B) the large fleet ------------------------------------------------------

BPER=250
start_fleet big "$BIG" "$BPER" --model openbmc
config big "$CONN_BIG" "$BIG_CONC"; CFGB=$W/big.yaml
config big256 "$CONN_BIG" 256; CFGB256=$W/big256.yaml
echo "bench: $BIG simulated BMCs ($(( (BIG + BPER - 1) / BPER )) bmcsim, model openbmc): cold sweep, then warm"
# the cold sweep at the default concurrency, as a collector on a schedule
# runs: one walk of the model's SDR repository is the target
collect_run bigcold "$CFGB256" "$BIG" 600 || true
collect_run big "$CFGB" "$BIG" 600 || true
collect_run big256 "$CFGB256" "$BIG" 600 || true
stop_fleet

# --- (C) ingest ---------------------------------------------------------------

echo "bench: ingest: $ROUNDS reading(s) of every sensor the large fleet stored, through collector/dbw"
mkdir -p "$O/tests/bench"
# shellcheck disable=SC2046
cc -std=c11 -D_GNU_SOURCE -O2 -g -I"$TOP" $(pkg-config --cflags libpq) \
    -o "$O/tests/bench/ingest" "$TOP/tests/bench/ingest.c" \
    "$O/libcollector.a" "$O/libstore.a" "$O/libipmi.a" "$O/libbase.a" \
    $(pkg-config --libs libpq openssl) ||
    die "tests/bench/ingest.c did not build"
p0=$(pg_ticks)
timed ingest 600 "$O/tests/bench/ingest" "$CONN_BIG" "$W/spool-ingest" "$ROUNDS"
p1=$(pg_ticks)
if [ -n "$T_WALL" ] && [ "$T_RC" -eq 0 ] && grep -q '^ingest: readings' "$W/ingest.out"; then
	keep ingest
	read -r _ _ n _ ns _ nb _ iw _ ib _ ic _ rw _ rb < "$W/ingest.out"
	X[ingest.readings]=$n X[ingest.sensors]=$ns X[ingest.batches]=$nb
	X[ingest.rate]=$rw X[ingest.rate_busy]=$rb X[ingest.pg]=$(tsec $((p1 - p0)))
	X[ingest.sim]=0
else
	missing ingest "$(cat "$W/ingest.err" "$W/ingest.out" | tail -n 3 | tr '\n' ' ')"
fi

# --- (D) direct mode (tests/bench/direct.sh, when there) ----------------------

if [ -f "$TOP/tests/bench/direct.sh" ]; then
	# shellcheck source=/dev/null
	. "$TOP/tests/bench/direct.sh"
	bench_direct || missing direct "bench_direct failed"
fi

# --- the table ----------------------------------------------------------------

short() { [ $(($1 % 1000)) -eq 0 ] && echo "$(($1 / 1000))k" || echo "$1"; }
N1=$(short "$COUNT") N2=$(short "$BIG")
bound() { calc "%.3f" "$1 * $LAT / 1000"; }
per_cmd() { [ -n "${CPU[$1]:-}" ] && [ -n "${X[$1.cmds]:-}" ] && calc "%.1f" "${CPU[$1]} * 1e6 / ${X[$1.cmds]}"; }
per_cmd_pg() { [ -n "${CPU[$1]:-}" ] && [ -n "${X[$1.cmds]:-}" ] && calc "%.1f" "(${CPU[$1]} + ${X[$1.pg]}) * 1e6 / ${X[$1.cmds]}"; }
rss_mib() { local r; r=$(mib "${RSS[$1]:-}"); [ "$r" = - ] || echo "$r"; }
# walks_row KEY: SDR repository walks counted by bmcsim against the
# fleet's models; n/a when bmcsim counts none
walks_row() {
	local w=${X[$1.walks]:-} m=${X[$1.models]:-} v=n/a
	[ "$w" = - ] && w=""
	[ -n "$w" ] && [ -n "$m" ] && v=$(verdict "$w" '==' "$m")
	row "  SDR repository walks, cold" "" "" "" \
	    "${w:-n/a} (bmcsim), ${m:-?} model(s)" "1 per model" "$v"
}
# perf_top FLAGS...: the top 20 lines of perf report over $W/perf.data
perf_top() {
	perf report -i "$W/perf.data" --stdio --sort dso,symbol -g none \
	    --percent-limit 0.1 "$@" >"$W/perf.report" 2>/dev/null || true
	grep -E '^ +[0-9.]+%' "$W/perf.report" | sed -E 's/( +-)+ *$//' |
	    head -n 20 || true
}

echo
printf "bmcfleet bench: %d BMCs (mixed models) and %d (openbmc), latency %d ms + 0-%d ms jitter, %d CPUs; fastest of %d runs where marked *\n" \
    "$COUNT" "$BIG" "$LAT" "$JIT" "$(nproc)" "$REPEAT"
echo "floor s: the CPU floor, (bmcfleet + bmcsim + PostgreSQL CPU) / $(nproc) cores, of the same run"
row "run" "wall s" "cpu s" "rss MiB" "figure" "target" "result" "floor s"
row "--------------------------------------------" "-------" "-------" "--------" "------------------------------------" "------------" "------" "-------"

B1=""; [ -n "${X[warm.chain]:-}" ] && B1=$(bound "${X[warm.chain]}")
WB1=$(ratio "${WALL[warm]:-}" "$B1")
run_row "$N1 full sweep, warm, concurrency $COUNT *" warm "wall/bound ${WB1:-?}x"
row "  critical-path bound" "$B1" "" "" "${X[warm.chain]:-?} cmds x $LAT ms (longest BMC)" "" ""
row "  sweep alone (run start to last result)" "${X[warm.sweep]:-}" "" "" "${X[warm.chain_ms]:-}" "" ""
PC=$(per_cmd warm || true); PCP=$(per_cmd_pg warm || true)
row "  CPU per BMC command, bmcfleet" "" "" "" "${PC:-?} us (${X[warm.cmds]:-?} cmds)" "<= 8 us" "$(verdict "$PC" '<=' 8)"
row "  ... with PostgreSQL's CPU (${X[warm.pg]:-?} s)" "" "" "" "${PCP:-?} us" "<= 15 us" "$(verdict "$PCP" '<=' 15)"
row "  rows written" "" "" "" "${X[warm.rows]:-?} (${X[warm.readings]:-?} readings)" "" ""
row "  bmcsim's and PostgreSQL's CPU" "" "" "" "bmcsim ${X[warm.sim]:-?} s, PostgreSQL ${X[warm.pg]:-?} s" "" ""
PC2=$(per_cmd warm256 || true); PCP2=$(per_cmd_pg warm256 || true)
run_row "$N1 full sweep, warm, concurrency 256 *" warm256 \
    "rows ${X[warm256.rows]:-?}, PostgreSQL ${X[warm256.pg]:-?} s"
row "  CPU per BMC command, bmcfleet" "" "" "" "${PC2:-?} us (${X[warm256.cmds]:-?} cmds)" "<= 8 us" "$(verdict "$PC2" '<=' 8)"
row "  ... with PostgreSQL's CPU" "" "" "" "${PCP2:-?} us" "<= 15 us" "$(verdict "$PCP2" '<=' 15)"
run_row "$N1 full sweep, cold, concurrency $COUNT" cold \
    "$(per_cmd cold || echo '?') us/cmd, ${X[cold.sdr]:-?} SDR read"
walks_row cold
run_row "ipmi-sensors --fanout 1024, SDR cached *" ipmi_sensors \
    "${OK[ipmi_sensors]:-?} readings, ${X[ipmi_sensors.hosts]:-?} hosts"
run_row "bmcfleet collect --what sensors *" sensors \
    "${X[sensors.readings]:-?} readings, ${X[sensors.cmds]:-?} cmds"
RW=$(ratio_paired WALL ipmi_sensors sensors)
RC=$(ratio_paired CPU ipmi_sensors sensors)
NP=$(npairs ipmi_sensors sensors)
row "  ipmi-sensors / bmcfleet, wall" "" "" "" "${RW:-?}x (median of $NP paired runs)" ">= 4x" "$(verdict "$RW" '>=' 4)"
row "  ipmi-sensors / bmcfleet, CPU" "" "" "" "${RC:-?}x" "" ""
for i in lanplus lan; do
	run_row "ipmipower --stat, $i *" ipmipower_$i "${OK[ipmipower_$i]:-?} hosts"
	run_row "bmcfleet power status, $i *" fleet_$i "${OK[fleet_$i]:-?} hosts"
	R=$(ratio_paired WALL ipmipower_$i fleet_$i)
	RCP=$(ratio_paired CPU ipmipower_$i fleet_$i)
	row "  ipmipower / bmcfleet, wall ($i)" "" "" "" "${R:-?}x (cpu ${RCP:-?}x; $(npairs ipmipower_$i fleet_$i) pairs)" "" ""
done
run_row "bmcfleet mc info *" fleet_mcinfo "${OK[fleet_mcinfo]:-?} hosts"
EST=""; [ -n "${WALL[ipmitool]:-}" ] && EST=$(calc "%.0f" "${WALL[ipmitool]} / $SERIAL * $COUNT")
row "ipmitool x$SERIAL hosts, one after another" "${WALL[ipmitool]:--}" \
    "${CPU[ipmitool]:--}" "$(mib "${RSS[ipmitool]:-}")" \
    "${OK[ipmitool]:-?} ok; ${COUNT} hosts ~${EST:-?} s" "" ""
[ "${#DEFERRED[@]}" -eq 0 ] || printf '%s\n' "${DEFERRED[@]}"
# direct mode's rows (tests/bench/direct.sh), measured in phase (D)
! declare -F bench_direct_rows >/dev/null || bench_direct_rows
B2=""; [ -n "${X[big.chain]:-}" ] && B2=$(bound "${X[big.chain]}")
WB2=$(ratio "${WALL[big]:-}" "$B2")
R3=$(rss_mib big)
run_row "$N2 full sweep, warm, concurrency $BIG_CONC" big \
    "wall/bound ${WB2:-?}x, $(per_cmd big || echo '?') us/cmd"
row "  peak RSS, every BMC in flight" "" "" "${R3:--}" "" "<= 100 MiB" "$(verdict "$R3" '<=' 100)"
row "  sweep alone (run start to last result)" "${X[big.sweep]:-}" "" "" "${X[big.chain_ms]:-}" "" ""
row "  rows written" "" "" "" "${X[big.rows]:-?} (${X[big.readings]:-?} readings)" "" ""
row "  bmcsim's and PostgreSQL's CPU" "" "" "" "bmcsim ${X[big.sim]:-?} s, PostgreSQL ${X[big.pg]:-?} s" "" ""
E2E=$(ratio "${X[big256.readings]:-}" "${WALL[big256]:-}")
run_row "$N2 full sweep, warm, concurrency 256" big256 \
    "${E2E:+${E2E%.*} readings/s of wall, }$(per_cmd big256 || echo '?') us/cmd" \
    "<= 8 s" "$(verdict "${WALL[big256]:-}" '<=' 8)"
run_row "$N2 full sweep, cold, concurrency 256" bigcold \
    "$(per_cmd bigcold || echo '?') us/cmd, ${X[bigcold.sdr]:-?} SDR read"
walks_row bigcold
IR=${X[ingest.rate]:-}
run_row "ingest: collector/dbw -> PostgreSQL" ingest \
    "${IR:-?} readings/s (${X[ingest.readings]:-?})" ">= 120000/s" "$(verdict "$IR" '>=' 120000)"
row "  per busy second; PostgreSQL's CPU" "" "${X[ingest.pg]:-}" "" "${X[ingest.rate_busy]:-?}/s, ${X[ingest.batches]:-?} batches" "" ""
row "bmcsim: 1000 BMCs, start; idle $IDLE s" "$SIM_START" "" "$(mib "$SIM_RSS")" "idle CPU ${SIM_IDLE}%" "" ""

if [ "$PERF" = 1 ] && [ "${PERF_OK:-0}" = 1 ]; then
	echo
	echo "bench: perf, bmcfleet collect, $N1 warm sweep at concurrency $COUNT (perf record -F 999 --call-graph dwarf): top 20 symbols, self"
	perf_top --no-children
	echo "bench: perf: top 20 symbols, self and children (sorted by children)"
	perf_top --children
fi
echo
echo "bench: done in $(calc "%.0f" "$EPOCHREALTIME - $T_START") s; load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
bench_missing_exit
