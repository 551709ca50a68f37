# shellcheck shell=bash
# direct.sh: the bench row of issue 16 item 7: direct-mode `sensors` over
# 200 BMCs that never answer Get Channel Cipher Suites (bmcsim quirk
# no-cipher-suites, 127.0.170.1-200), bmcfleet's first run (no profiles:
# each BMC asked the list, 0.3 s of probe) and its second (the profiles
# written by the first: nothing asked), against `ipmi-sensors -W
# opensesspriv` on the same BMCs with its SDR cache warm.  Target: the
# second run no slower than ipmi-sensors (wall ratio >= 1x).
#
# Sourced by tests/bench/run.sh, which calls bench_direct after its other
# phases (and before its table) and then bench_direct_rows where the
# table is printed.  It uses lib.sh's O, W, PW, LAT, JIT, BG_PIDS (what
# is killed on exit), ITER, the results WALL CPU RSS OK X, and its
# helpers timed, tool, missing, row, ratio, ratio_paired, npairs,
# verdict; and the script's REPEAT and run_row.  bmcfleet's SDR cache is warmed once
# (as ipmi-sensors' is): only the profiles differ between its two runs;
# the Get Channel Cipher Suites each run sent are counted by bmcsim
# (--stats cipher_suites) and printed beside the row.
#
# Standalone, for trying it (as root, port 623; under
# flock /tmp/bmcfleet-bench.lock on a shared machine):
#   bash tests/bench/direct.sh        (BENCH_REPEAT, BENCH_LAT, BENCH_JIT,
#                                      BENCH_DIRECT_N: 200, O: build)

DIRECT_NET=127.0.170
DIRECT_N=${BENCH_DIRECT_N:-200}

# direct_suites: Get Channel Cipher Suites the direct fleet received so far
direct_suites() {
	local f=$W/stats-direct.json i
	rm -f "$f"
	kill -USR1 "$DIRECT_PID" 2>/dev/null || { echo ""; return; }
	for i in $(seq 200); do [ -s "$f" ] && break; sleep 0.025; done
	python3 -c 'import json, sys
print(sum(json.loads(l)["cipher_suites"] for l in open(sys.argv[1])))' "$f" 2>/dev/null
}

bench_direct() {
	local hosts="$DIRECT_NET.[1-$DIRECT_N]" log=$W/sim-direct.log i s0 s1
	local dc=$W/direct-cache fc=$W/freeipmi-direct spat
	"$O/bmcsim" --count "$DIRECT_N" --base "$DIRECT_NET.1" --user admin \
	    --password "$PW" --latency-ms "$LAT" --jitter-ms "$JIT" --seed 170 \
	    --session-limit 8 --power on --quirk no-cipher-suites \
	    --stats "$W/stats-direct.json" --quiet >"$log" 2>&1 &
	DIRECT_PID=$!
	BG_PIDS+=("$DIRECT_PID")
	for i in $(seq 200); do
		grep -qs '^bmcsim: ready' "$log" && break
		sleep 0.05
	done
	if ! grep -q '^bmcsim: ready' "$log"; then
		missing direct "bmcsim did not start: $(tail -n 2 "$log" | tr '\n' ' ')"
		return 1
	fi
	echo "bench: direct sensors, $DIRECT_N BMCs without a cipher suite list: bmcfleet 1st and 2nd run, ipmi-sensors; best of $REPEAT"
	local B=("$O/bmcfleet" -H "$hosts" -U admin -E --fanout 1024
	    --sdr-cache "$dc" sensors)
	local IS=(ipmi-sensors -h "$hosts" --fanout 1024 -D LAN_2_0 -u admin
	    -p "$PW" -l ADMIN -W opensesspriv --sdr-cache-directory "$fc"
	    --quiet-cache)
	spat='^127\.[0-9.]+ +.* [0-9A-F]{2}h +'
	mkdir -m 700 "$fc" "$dc"
	# both SDR caches warm, so that the runs differ by the profiles only
	timed direct_warm 300 "${B[@]}"
	timed direct_is_warm 300 "${IS[@]}"
	X[direct.suites1]="" X[direct.suites2]=""
	for i in $(seq "$REPEAT"); do
		ITER=$i
		rm -rf "$dc/profile"
		s0=$(direct_suites)
		tool direct_first "$spat" "$DIRECT_N" 300 "${B[@]}" || true
		s1=$(direct_suites)
		[ -n "$s0" ] && [ -n "$s1" ] && X[direct.suites1]=$((s1 - s0))
		tool direct_second "$spat" "$DIRECT_N" 300 "${B[@]}" || true
		s0=$(direct_suites)
		[ -n "$s0" ] && [ -n "$s1" ] && X[direct.suites2]=$((s0 - s1))
		tool direct_is '^127[^:]*: [0-9]+ +\|' "$DIRECT_N" 300 "${IS[@]}" || true
	done
	# the two runs print the same readings (bmcsim's are steady)
	if [ -s "$W/direct_first.best" ] && [ -s "$W/direct_second.best" ] &&
	    ! cmp -s "$W/direct_first.best" "$W/direct_second.best"; then
		X[direct.same]=no
	else
		X[direct.same]=yes
	fi
	kill "$DIRECT_PID" 2>/dev/null || true
	wait "$DIRECT_PID" 2>/dev/null || true
	bg_forget "$DIRECT_PID"
}

bench_direct_rows() {
	local rw rc rw1 np
	run_row "direct sensors x$DIRECT_N, no suite list, 1st run *" direct_first \
	    "${OK[direct_first]:-?} rows; ${X[direct.suites1]:-?} Get Ch. Cipher Suites" "" ""
	run_row "  2nd run, from the profiles *" direct_second \
	    "${X[direct.suites2]:-?} Get Ch. Cipher Suites; same ${X[direct.same]:-?}" "" ""
	run_row "ipmi-sensors -W opensesspriv, same BMCs *" direct_is \
	    "${OK[direct_is]:-?} readings, SDR cached" "" ""
	rw=$(ratio_paired WALL direct_is direct_second)
	rc=$(ratio_paired CPU direct_is direct_second)
	rw1=$(ratio_paired WALL direct_is direct_first)
	np=$(npairs direct_is direct_second)
	row "  ipmi-sensors / bmcfleet 2nd run, wall" "" "" "" "${rw:-?}x (cpu ${rc:-?}x; $np pairs)" ">= 1x" "$(verdict "$rw" '>=' 1)"
	row "  ipmi-sensors / bmcfleet 1st run, wall" "" "" "" "${rw1:-?}x" "" ""
}

# --- standalone ---------------------------------------------------------------
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	BENCH_NAME=bench
	. "$(dirname "$0")/lib.sh"
	REPEAT=${BENCH_REPEAT:-3}
	bench_need ipmi-sensors
	bench_need_bins bmcfleet bmcsim
	export BMCFLEET_PASSWORD=$PW
	bench_dirs bench-direct
	LINE='%-44s %7s %7s %8s  %-36s %-12s %s\n'
	run_row() {
		row "$1" "${WALL[$2]:--}" "${CPU[$2]:--}" "$(mib "${RSS[$2]:-}")" "$3" "${4:-}" "${5:-}"
	}
	bench_direct || true
	echo
	row "run" "wall s" "cpu s" "rss MiB" "figure" "target" "result"
	bench_direct_rows
	bench_missing_exit
fi
