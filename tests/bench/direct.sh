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
# table is printed.  From run.sh it uses: O, W, PW, LAT, JIT, REPEAT, the
# array sims (bmcsim pids it kills on exit), ITER, the results WALL CPU
# RSS OK X, and the helpers timed, tool, missing, row, run_row, ratio,
# ratio_paired, npairs, verdict.  bmcfleet's SDR cache is warmed once
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
	sims+=("$DIRECT_PID")
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
	TOP=$(cd "$(dirname "$0")/../.." && pwd)
	O=${O:-$TOP/build}
	LAT=${BENCH_LAT:-2} JIT=${BENCH_JIT:-1} REPEAT=${BENCH_REPEAT:-3}
	PW=bench-pw ITER=0
	export LC_ALL=C BMCFLEET_PASSWORD=$PW
	[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (port 623)" >&2; exit 1; }
	command -v ipmi-sensors >/dev/null || { echo "bench: needs ipmi-sensors" >&2; exit 1; }
	W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-bench-direct.XXXXXX")
	sims=()
	trap 'for p in "${sims[@]}"; do kill "$p" 2>/dev/null; done; wait; rm -rf "$W"' EXIT
	declare -A WALL CPU RSS OK X PWALL PCPU
	MISSING=()
	calc() { awk "BEGIN { printf \"$1\", $2 }"; }
	missing() { MISSING+=("$1: $2"); echo "bench: $1: $2" >&2; }
	# the same as run.sh's (kept in step by hand)
	timed() {
		local name=$1 tmo=$2 tf=$W/$1.time u s
		shift 2
		rm -f "$tf"
		T_RC=0
		/usr/bin/time -f '%e %U %S %M' -o "$tf" timeout -k 10 "$tmo" "$@" \
		    >"$W/$name.out" 2>"$W/$name.err" </dev/null || T_RC=$?
		if [ ! -s "$tf" ] || ! tail -n 1 "$tf" | grep -Eq '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$'; then
			T_WALL="" T_CPU="" T_RSS=""
			return
		fi
		read -r T_WALL u s T_RSS < <(tail -n 1 "$tf")
		T_CPU=$(calc "%.2f" "$u + $s")
	}
	keep() {
		local k=$1
		PWALL[$k.$ITER]=$T_WALL PCPU[$k.$ITER]=$T_CPU
		if [ -z "${WALL[$k]:-}" ] || awk -v a="$T_WALL" -v b="${WALL[$k]}" \
		    'BEGIN { exit !(a < b) }'; then
			WALL[$k]=$T_WALL CPU[$k]=$T_CPU RSS[$k]=$T_RSS
			return 0
		fi
		return 1
	}
	tool() {
		local k=$1 pat=$2 want=$3 tmo=$4 n h
		shift 4
		timed "$k" "$tmo" "$@"
		if [ -z "$T_WALL" ] || [ "$T_RC" -ne 0 ]; then
			missing "$k" "$1 failed (exit ${T_RC:-?}): $(head -n 3 "$W/$k.err" | tr '\n' ' ')"
			return 1
		fi
		n=$(grep -Ec "$pat" "$W/$k.out" || true)
		h=$(grep -E "$pat" "$W/$k.out" | grep -Eo '^127\.[0-9]+\.[0-9]+\.[0-9]+' | sort -u | wc -l)
		if [ "$n" -eq 0 ] || [ "$h" -ne "$want" ]; then
			missing "$k" "$1 answered for $h of $want hosts: run not kept"
			return 1
		fi
		if keep "$k"; then
			OK[$k]=$n
			cp "$W/$k.out" "$W/$k.best"
		fi
	}
	mib() { [ -n "${1:-}" ] && calc "%.1f" "$1 / 1024" || echo "-"; }
	ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "" }'; }
	ratio_paired() {
		local what=$1 a=$2 b=$3 i va vb out=""
		for i in $(seq "$REPEAT"); do
			if [ "$what" = WALL ]; then
				va=${PWALL[$a.$i]:-} vb=${PWALL[$b.$i]:-}
			else
				va=${PCPU[$a.$i]:-} vb=${PCPU[$b.$i]:-}
			fi
			[ -n "$va" ] && [ -n "$vb" ] && out+="$(ratio "$va" "$vb") "
		done
		[ -n "$out" ] || return 0
		printf '%s\n' $out | sort -g | awk '{ v[NR] = $1 } END {
		    printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
	}
	npairs() {
		local i n=0
		for i in $(seq "$REPEAT"); do
			[ -n "${PWALL[$1.$i]:-}" ] && [ -n "${PWALL[$2.$i]:-}" ] && n=$((n + 1))
		done
		echo "$n"
	}
	verdict() {
		[ -n "$1" ] || { echo "n/a"; return; }
		awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
		    ok = (op == "<=") ? v <= l : v >= l; print ok ? "PASS" : "MISS" }'
	}
	LINE='%-44s %7s %7s %8s  %-36s %-12s %s\n'
	row() { printf "$LINE" "$@"; }
	run_row() {
		row "$1" "${WALL[$2]:--}" "${CPU[$2]:--}" "$(mib "${RSS[$2]:-}")" "$3" "${4:-}" "${5:-}"
	}
	bench_direct || true
	echo
	row "run" "wall s" "cpu s" "rss MiB" "figure" "target" "result"
	bench_direct_rows
	if [ "${#MISSING[@]}" -gt 0 ]; then
		printf 'bench: not measured: %s\n' "${MISSING[@]}" >&2
		exit 1
	fi
fi
