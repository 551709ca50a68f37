#!/usr/bin/env bash
# collector.sel_interval is real: between full sweeps, a light pass asks
# each BMC Get SEL Info and walks the SEL only where it moved.
#
# 20 bmcsim BMCs, sweep_interval 10m (one sweep in this test), sel_interval
# 2s, traps off.  After the sweep, bmcsim's control channel adds a critical
# entry to BMC 127.0.75.7's SEL: it must be stored within a few seconds,
# with no second sweep, and the light passes must say they asked all 20
# and walked only the few whose SEL moved (BMC 7, and any whose seeded
# SEL grew by itself meanwhile).
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-selint.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 20 --base 127.0.75.1 --user admin --password s3cret-pw \
    --power on --seed 75 --control "$W/ctl" --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.75.[1-20]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 10m
  sel_interval: 2s
  traps: {listen: off}
EOF2
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d.log" 0
poll_until 15 grep -q 'bmcfleetd: sweep 1: 20 hosts' "$W/d.log" ||
    fail "no first sweep: $(cat "$W/d.log")"
poll_until 10 eval '[[ $(sql "SELECT count(*) FROM sel_cursor") == 20 ]]' ||
    fail "the first sweep's SEL cursors were not committed"
count7() {
	sql "SELECT count(*) FROM sel_event e JOIN bmc b ON b.id = e.bmc_id
	    WHERE b.name = '127.0.75.7' AND e.severity = 'critical'
	    AND e.seen_at > '$1'"
}
t0=$(sql "SELECT now()")
added=$("$BMCSIM" --ctl "$W/ctl" 'sel-add 127.0.75.7 critical') ||
    fail "bmcsim --ctl: $added"
expect_match "$added" "^ok" "the control channel's answer"
s0=$(_lib_now_ms)
poll_until 8 eval '[[ $(count7 "$t0") -ge 1 ]]' ||
    fail "the entry added on 127.0.75.7 was not stored within 8 s: $(tail -5 "$W/d.log")"
msg "stored $(($(_lib_now_ms) - s0)) ms after the add (sel_interval 2s)"
# the pass that found it says so (the pass's line comes when it ends)
poll_until 3 grep -q 'light pass: 20 BMC(s) asked Get SEL Info, [1-9][0-9]* walked' "$W/d.log" ||
    fail "no light pass walked a SEL: $(tail -5 "$W/d.log")"
line=$(grep -m1 'light pass: 20 BMC(s) asked Get SEL Info, [1-9]' "$W/d.log")
msg "$line"
walked=$(sed -E 's/.* ([0-9]+) walked.*/\1/' <<<"$line")
((walked <= 4)) || fail "$walked of 20 SELs walked: the light pass walks only those that moved"
expect_no_match "$(cat "$W/d.log")" "sweep 2:" "a second full sweep"
kill -TERM "$dpid"
poll_until 15 eval '! kill -0 '"$dpid"' 2>/dev/null' ||
    fail "bmcfleetd did not stop on SIGTERM"
end=$(grep 'events at the end' "$W/d.log")
msg "$end"
expect_match "$end" "light passes: [1-9]" "light passes counted"

# restarted, its BMCs not due for 10m: the light pass still asks them
# (every BMC with a cursor until this process has swept), so an entry
# added now is stored without waiting for the next sweep
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d2.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d2.log" 0
poll_until 15 grep -q 'bmcfleetd: sweep 1: 0 hosts' "$W/d2.log" ||
    fail "the restarted daemon's first sweep: $(cat "$W/d2.log")"
t1=$(sql "SELECT now()")
added=$("$BMCSIM" --ctl "$W/ctl" 'sel-add 127.0.75.7 critical') ||
    fail "bmcsim --ctl: $added"
poll_until 8 eval '[[ $(count7 "$t1") -ge 1 ]]' ||
    fail "after a restart, the entry added on 127.0.75.7 was not stored within 8 s: $(tail -5 "$W/d2.log")"
expect_match "$(cat "$W/d2.log")" 'light pass: 20 BMC\(s\) asked' \
    "the restarted daemon's light pass"
msg "ok"
