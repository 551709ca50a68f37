#!/usr/bin/env bash
# bmcfleetd sweeps each BMC once per sweep_interval, not every other one.
# A BMC's swept_at is when its results were committed, during the previous
# sweep; claiming only BMCs swept before "now - interval" skipped all of
# them, and the log alternated "20 hosts" and "0 hosts" sweeps.
#
# 20 bmcsim BMCs, sweep_interval 2s, bmcfleetd until its fifth sweep line
# (~9 s): every BMC must have been swept (bmcsim's own count of sessions
# opened) at least 4 times, where every other interval gives 3, and no
# sweep may find 0 hosts due.
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-cadence.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 20 --base 127.0.11.1 --user admin --password s3cret-pw \
    --power on --seed 11 --stats "$W/stats.json" --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.11.[1-20]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 2s
EOF2
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d.log" 0
# five sweep lines (the fifth begins 8 s in): every BMC is then swept 5
# times, 3 where every other sweep finds none due
poll_until 20 grep -q 'bmcfleetd: sweep 5:' "$W/d.log" ||
    fail "no fifth sweep line in 20 s: $(tail -n 3 "$W/d.log")"
kill -TERM "$dpid"
poll_until 15 eval '! kill -0 '"$dpid"' 2>/dev/null' ||
    fail "bmcfleetd did not stop on SIGTERM"
grep 'bmcfleetd: sweep' "$W/d.log" | sed "s/^/$TEST_NAME: /"
kill -USR1 "$BMCSIM_PID"
poll_until 10 test -s "$W/stats.json" || fail "bmcsim wrote no --stats"
sleep 0.2
read -r lo hi < <(python3 -c 'import json, sys
s = [json.loads(l)["sessions"] for l in open(sys.argv[1])]
assert len(s) == 20, len(s)
print(min(s), max(s))' "$W/stats.json") || fail "bad --stats"
msg "sessions per BMC (bmcsim's count): $lo to $hi"
((lo >= 4)) || fail "a BMC was swept only $lo times in 5 sweeps at a 2 s interval"
zero=$(grep -c 'bmcfleetd: sweep [0-9]*: 0 hosts due' "$W/d.log")
expect_eq "$zero" 0 "sweeps that found no BMC due"
expect_match "$(cat "$W/d.log")" "sweep 2: 20 hosts due" "the second sweep"
msg "ok"
