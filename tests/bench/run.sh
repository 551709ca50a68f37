#!/usr/bin/env bash
# make bench: bmcfleet against FreeIPMI's ipmipower and ipmitool, measured
# in the same run against the same simulated fleet, with one table of
# figures and ratios.  Timing lives here, never in make check.
#
#   BENCH_COUNT   BMCs in the fleet (1000)
#   BENCH_LAT     response latency in ms (2), BENCH_JIT jitter in ms (1)
#   BENCH_SERIAL  hosts ipmitool visits one after another (50)
set -euo pipefail
cd "$(dirname "$0")/../.."
O=${O:-build}
COUNT=${BENCH_COUNT:-1000}
LAT=${BENCH_LAT:-2}
JIT=${BENCH_JIT:-1}
SERIAL=${BENCH_SERIAL:-50}
BASE=127.0.20.1
hosts_range() {	# 127.0.20.1 .. upward, as FreeIPMI/bmcfleet ranges
	local n=$1 out="" i=0 third=20
	while [ "$n" -gt 0 ]; do
		local take=$((n > 254 ? 254 : n))
		out+="${out:+,}127.0.$third.[1-$take]"
		n=$((n - take)); third=$((third + 1)); i=$((i + 1))
	done
	echo "$out"
}
[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (port 623)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n 8192 2>/dev/null || true

# bmcsim addresses carry across octets; ours use .1-.254 of each /24, so
# start one simulator per /24 block.
sims=()
cleanup() { for p in "${sims[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
left=$COUNT third=20
while [ "$left" -gt 0 ]; do
	take=$((left > 254 ? 254 : left))
	log=$(mktemp)
	"$O/bmcsim" --count "$take" --base "127.0.$third.1" --user admin \
	    --password bench-pw --latency-ms "$LAT" --jitter-ms "$JIT" \
	    --seed 1 --session-limit 8 >"$log" 2>&1 &
	sims+=($!)
	for _ in $(seq 100); do grep -q '^bmcsim: ready' "$log" && break; sleep 0.05; done
	grep -q '^bmcsim: ready' "$log" || { cat "$log"; exit 1; }
	rm -f "$log"
	left=$((left - take)); third=$((third + 1))
done
HOSTS=$(hosts_range "$COUNT")
export BMCFLEET_PASSWORD=bench-pw

# measure NAME OKPATTERN CMD...: wall s, user+sys CPU s, peak RSS KiB, ok
declare -A WALL CPU RSS OK
measure() {
	local name=$1 pat=$2 out tf
	shift 2
	out=$(mktemp); tf=$(mktemp)
	/usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >"$out" 2>&1 || true
	read -r w u s m <"$tf"
	WALL[$name]=$w
	CPU[$name]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	RSS[$name]=$m
	OK[$name]=$(grep -Ec "$pat" "$out" || true)
	rm -f "$out" "$tf"
}

echo "bench: $COUNT simulated BMCs, latency ${LAT} ms +/- ${JIT} ms"
measure fleet_lanplus ': on$|: off$' "$O/bmcfleet" -H "$HOSTS" -U admin -E --fanout 1024 power status
measure ipmipower_lanplus ': (on|off)$' ipmipower -h "$HOSTS" -u admin -p bench-pw -D LAN_2_0 --stat
measure fleet_lan ': on$|: off$' "$O/bmcfleet" -H "$HOSTS" -U admin -E -I lan --fanout 1024 power status
measure ipmipower_lan ': (on|off)$' ipmipower -h "$HOSTS" -u admin -p bench-pw --stat
measure fleet_mcinfo '^127' "$O/bmcfleet" -H "$HOSTS" -U admin -E --fanout 1024 mc info

# ipmitool visits one host per process: time SERIAL of them in a row
t0=$EPOCHREALTIME
tf=$(mktemp)
/usr/bin/time -f '%e %U %S %M' -o "$tf" bash -c '
	ok=0
	for i in $(seq 1 '"$SERIAL"'); do
		IPMI_PASSWORD=bench-pw ipmitool -I lanplus -C 17 \
		    -H 127.0.20.$i -U admin -E power status \
		    >/dev/null 2>&1 && ok=$((ok + 1))
	done
	echo $ok >'"$tf"'.ok'
read -r w u s m <"$tf"
WALL[ipmitool]=$w; CPU[ipmitool]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
RSS[ipmitool]=$m; OK[ipmitool]=$(cat "$tf.ok"); rm -f "$tf" "$tf.ok"

# bmcsim itself: 1000 BMCs in one process must start in under a second and
# idle at near zero CPU (issue 2).  Addresses 127.0.40.1 upward.
simlog=$(mktemp)
t0=$EPOCHREALTIME
"$O/bmcsim" --count 1000 --base 127.0.40.1 --user admin --password bench-pw \
    >"$simlog" 2>&1 &
simpid=$!
sims+=($simpid)
for _ in $(seq 400); do grep -q '^bmcsim: ready' "$simlog" && break; sleep 0.005; done
SIM_START=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
grep -q '^bmcsim: ready' "$simlog" || { cat "$simlog"; exit 1; }
ticks() { awk '{ print $14 + $15 }' "/proc/$simpid/stat"; }
c0=$(ticks); sleep 5; c1=$(ticks)
SIM_IDLE=$(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f", (b - a) / hz / 5 * 100 }')
SIM_RSS=$(awk '/VmRSS/ { print $2 }' "/proc/$simpid/status")
kill "$simpid"; wait "$simpid" 2>/dev/null || true
rm -f "$simlog"

# the critical path: round trips one BMC must answer in turn, times latency
# lanplus power status: auth caps, cipher suites x2 pages, open session,
# RAKP 1, RAKP 3, set privilege, chassis status, close = 9
# lan: auth caps, challenge, activate, set privilege, chassis status, close = 6
bound() { awk -v n="$1" -v l="$LAT" 'BEGIN { printf "%.3f", n * l / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }

printf '\n%-34s %8s %8s %9s %7s\n' "run ($COUNT BMCs)" "wall s" "cpu s" "rss KiB" "ok"
for k in fleet_lanplus ipmipower_lanplus fleet_lan ipmipower_lan fleet_mcinfo; do
	printf '%-34s %8s %8s %9s %7s\n' "$k" "${WALL[$k]}" "${CPU[$k]}" "${RSS[$k]}" "${OK[$k]}"
done
printf '%-34s %8s %8s %9s %7s\n' "ipmitool x$SERIAL hosts, serial" "${WALL[ipmitool]}" "${CPU[ipmitool]}" "${RSS[ipmitool]}" "${OK[ipmitool]}"
echo
echo "critical path bound, lanplus: $(bound 9) s; bmcfleet wall/bound $(ratio "${WALL[fleet_lanplus]}" "$(bound 9)")"
echo "critical path bound, lan:     $(bound 6) s; bmcfleet wall/bound $(ratio "${WALL[fleet_lan]}" "$(bound 6)")"
echo "ipmipower/bmcfleet, lanplus:  wall $(ratio "${WALL[ipmipower_lanplus]}" "${WALL[fleet_lanplus]}"), cpu $(ratio "${CPU[ipmipower_lanplus]}" "${CPU[fleet_lanplus]}")"
echo "ipmipower/bmcfleet, lan:      wall $(ratio "${WALL[ipmipower_lan]}" "${WALL[fleet_lan]}"), cpu $(ratio "${CPU[ipmipower_lan]}" "${CPU[fleet_lan]}")"
per=$(awk -v w="${WALL[ipmitool]}" -v n="$SERIAL" 'BEGIN { printf "%.4f", w / n }')
est=$(awk -v p="$per" -v n="$COUNT" 'BEGIN { printf "%.1f", p * n }')
echo "ipmitool: ${per} s per host measured over $SERIAL; $COUNT hosts one by one would take ~${est} s (extrapolated), $(ratio "$est" "${WALL[fleet_lanplus]}") bmcfleet's wall"
echo "bmcsim, 1000 BMCs in one process: ready in ${SIM_START} s, idle CPU ${SIM_IDLE}% over 5 s, RSS ${SIM_RSS} KiB"
