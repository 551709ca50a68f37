#!/usr/bin/env bash
# bmcfleetd's events, measured (not a test: timing lives in benches).
#
#   (1) the sel_interval light pass: N bmcsim BMCs (BENCH_EV_COUNT, 500),
#       sweep_interval 10m, sel_interval 3s, traps off: bmcfleetd's CPU
#       (utime + stime, /proc) over the light passes after the first
#       sweep, per BMC asked.  Each BMC asked costs a session (RMCP+
#       handshake, Get SEL Info, Close Session).
#   (2) trap -> stored: on BENCH_EV_TRAPS BMCs (20) one after another,
#       bmcsim's control channel adds a critical entry, then snmptrap sends
#       a PET from that BMC's address; the time from the trap's send until
#       the entry is in sel_event (polled every 20 ms), p50 and max.
#
# Run under the integration lock, as the tests are:
#   flock /tmp/bmcfleet-integ.lock tests/bench/events-trapd.sh
# BMC addresses: 127.0.74.1 on (trapd's octets 74 and 75: 500 fit).
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3
need_tool snmptrap
N=${BENCH_EV_COUNT:-500}
K=${BENCH_EV_TRAPS:-20}
((N <= 508)) || fail "BENCH_EV_COUNT: at most 508 (127.0.74.1-127.0.75.254)"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-evbench.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count "$N" --base 127.0.74.1 --user admin --password s3cret-pw \
    --power on --seed 74 --control "$W/ctl" --stats "$W/stats.json" --quiet
hosts=$(python3 -c 'import sys
n = int(sys.argv[1]); a = min(n, 254)
print("127.0.74.[1-%d]" % a + (",127.0.75.[1-%d]" % (n - a) if n > a else ""))' "$N")
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
# conf SEL_INTERVAL TRAPS: the fleet file
conf() {
	cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "$hosts"}
collector:
  spool_dir: $W/spool
  sweep_interval: 10m
  sel_interval: $1
  traps: $2
EOF2
}
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
daemon() {
	"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d$1.log" 2>&1 &
	dpid=$!
	_lib_register "$dpid" bmcfleetd "$W/d$1.log" 0
	poll_until 60 grep -q "bmcfleetd: sweep 1: " "$W/d$1.log" ||
	    fail "no first sweep: $(tail -5 "$W/d$1.log")"
}
stop() {
	kill -TERM "$dpid"
	poll_until 30 eval '! kill -0 '"$dpid"' 2>/dev/null' ||
	    fail "bmcfleetd did not stop"
	msg "$(grep 'events at the end' "$W/d$1.log")"
}
cpu() { awk '{ print $14 + $15 }' "/proc/$dpid/stat"; }
tck=$(getconf CLK_TCK)
# bmcsim's sessions opened, all BMCs (its --stats, on SIGUSR1)
sessions() {
	rm -f "$W/stats.json"
	kill -USR1 "$BMCSIM_PID"
	poll_until 10 eval '[[ -s "$W/stats.json" && $(wc -l <"$W/stats.json") -ge '"$N"' ]]' ||
	    fail "bmcsim wrote no --stats"
	sleep 0.2
	tail -n "$N" "$W/stats.json" | python3 -c 'import json, sys
print(sum(json.loads(l)["sessions"] for l in sys.stdin))'
}
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"

# (1) light passes, traps off
conf "${BENCH_EV_SEL_INTERVAL:-3s}" "{listen: off}"
daemon 1
poll_until 30 eval '[[ $(sql "SELECT count(*) FROM collection_result") -ge '"$N"' ]]' ||
    fail "the first sweep was not committed"
msg "$(grep 'sweep 1:' "$W/d1.log")"
sleep 1
s0=$(sessions 1)
c0=$(cpu)
sleep 12
c1=$(cpu)
s1=$(sessions 2)
stop 1
grep 'light pass' "$W/d1.log" | head -3 | sed "s/^/$TEST_NAME: /"

# (2) trap -> stored, no light pass
conf 1h '{listen: "127.0.75.253:10162", guid_check: off}'
daemon 2
lat=()
for ((i = 1; i <= K; i++)); do
	a=$(python3 -c 'import random, sys
random.seed(int(sys.argv[2]))
k = random.randrange(int(sys.argv[1]))
print("127.0.74.%d" % (k + 1) if k < 254 else "127.0.75.%d" % (k - 253))' "$N" "$i")
	t0=$(sql "SELECT now()")
	"$BMCSIM" --ctl "$W/ctl" "sel-add $a critical" >/dev/null ||
	    fail "sel-add $a"
	s=$(_lib_now_ms)
	snmptrap -v 1 -c public --clientaddr="$a" 127.0.75.253:10162 \
	    1.3.6.1.4.1.3183.1.1 "$a" 6 $((0x08 << 16 | 0x6f << 8 | 1)) 0 \
	    1.3.6.1.4.1.3183.1.1.1 x "$(printf '00%.0s' {1..16})0001$(printf '%08x' 0)ffff2020102031000001ffffffffffffff1900000000000001c1" \
	    >/dev/null 2>&1 || fail "snmptrap"
	poll_until 5 eval '[[ $(sql "SELECT count(*) FROM sel_event e JOIN bmc b ON b.id = e.bmc_id WHERE b.name = '"'$a'"' AND e.severity = '"'critical'"' AND e.seen_at > '"'$t0'"'") -ge 1 ]]' ||
	    fail "the entry added on $a was not stored within 5 s"
	lat+=($(($(_lib_now_ms) - s)))
done
stop 2
python3 - "$c0" "$c1" "$tck" "$s0" "$s1" "${lat[@]}" <<'EOF2'
import sys
c0, c1, tck, s0, s1 = (int(x) for x in sys.argv[1:6])
lat = sorted(int(x) for x in sys.argv[6:])
cpu = (c1 - c0) / tck
nask = s1 - s0
print("events-bench: light passes: %d sessions in ~12 s (bmcsim's count)" % nask)
if nask:
    print("events-bench: bmcfleetd CPU: %.2f s, %.0f us per BMC asked (a "
          "session + Get SEL Info + Close)" % (cpu, cpu * 1e6 / nask))
    print("events-bench: 10,000 BMCs every 1m would take %.3f of one core"
          % (cpu / nask * 10000 / 60))
if lat:
    print("events-bench: trap -> entry stored, %d traps: p50 %d ms, max %d ms"
          % (len(lat), lat[len(lat) // 2], lat[-1]))
EOF2
