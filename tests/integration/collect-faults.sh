#!/usr/bin/env bash
# bmcfleet collect when things go wrong (issue 4's fault tests), against
# bmcsim and a throwaway PostgreSQL:
#
#   1. PostgreSQL stopped mid-sweep (once some but not all BMCs have rows
#      stored; batches then wait in the spool), then started again: the
#      next run writes the spooled rows.  Every reading bmcsim served (its
#      own "readings" counter, over both runs) is in the database, and
#      every SEL entry exactly once.
#   2. the collector killed with SIGKILL mid-sweep (checked after the
#      kill: some but not all BMCs had SEL events stored), then run again
#      after its leases expired: every SEL entry stored exactly once.
#   3. 10% packet loss and 10 dead BMCs of 100: the other 90 complete; the
#      dead are recorded by reason (timeout).
#   4. a "BMC" that answers every datagram with garbage: it fails, is
#      recorded with its error, and the others are swept.
#   5. two bmcfleetd on one database split the fleet: every BMC swept
#      once, by one of them, both doing part; one killed with SIGKILL
#      mid-sweep, the other takes its BMCs over when the leases expire.
#   6. bmcfleetd backs off from dead BMCs: over a few sweeps they are
#      tried less often than the live ones are swept.
#
# The SEL truth is bmcsim's own record of every BMC's log (--sel-dump),
# dumped before and after the last run and compared by selcheck.py (which
# says why two dumps): each entry of each BMC stored exactly once, counts
# printed, no entry compared a failure.
#
# Addresses: 127.0.5.x, 127.0.6.x, 127.0.26.x, 127.0.15.x, 127.0.27.x and
# 127.0.10.x (parts 1-6).  FAULTS_ONLY="1 3" runs some parts only.
#
# Planted faults, to see the oracles fail (the test must then FAIL):
#   PLANT_FAULT=sel-delete  before each SEL check (parts 1 and 2), delete
#                           one stored event from the database: the last
#                           of 127.0.5.17 (part 1) or 127.0.6.17 (part 2)
#   PLANT_FAULT=kill-early  part 2 kills the collector at once, before its
#                           sweep has started
#   PLANT_FAULT=reading-delete  part 1 deletes one stored reading before
#                           it counts them
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
[[ -x $BMCFLEETD ]] || fail "bmcfleetd is not built: $BMCFLEETD"
PLANT_FAULT=${PLANT_FAULT:-}
case $PLANT_FAULT in
'' | sel-delete | kill-early | reading-delete) ;;
*) fail "PLANT_FAULT='$PLANT_FAULT': expected sel-delete, kill-early or reading-delete" ;;
esac
[[ -n $PLANT_FAULT ]] && msg "PLANT_FAULT=$PLANT_FAULT: this run must fail"
start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-faults.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
RUN_TIMEOUT=120
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"

# config NAME HOSTS [extra collector lines]: a fleet.yaml in $W/NAME.yaml
config() {
	local name=$1 hosts=$2
	shift 2
	cat >"$W/$name.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
defaults:
  timeout: 300ms
  retries: 8
groups:
  fleet: {hosts: "$hosts"}
collector:
  spool_dir: $W/spool-$name
  lease: 2s
$(printf '  %s\n' "$@")
EOF
}
# wait_pid PID SECS: wait for a background process, at most SECS
wait_pid() {
	local pid=$1 secs=$2
	poll_until "$secs" eval '! kill -0 '"$pid"' 2>/dev/null' ||
	    { kill -9 "$pid" 2>/dev/null; fail "pid $pid did not exit in $secs s"; }
	wait "$pid" 2>/dev/null
}

# start_sim, sim_dump, sel_check, readings_served
. "$TOP/tests/integration/simtruth.bash"
# stored_hosts LIKE TABLE: BMCs named LIKE with rows in TABLE
stored_hosts() {
	sql "SELECT count(DISTINCT t.bmc_id) FROM $2 t JOIN bmc b
	    ON b.id = t.bmc_id WHERE b.name LIKE '$1'"
}

# FAULTS_ONLY="1 3" runs some parts only (for debugging)
part() { [[ -z ${FAULTS_ONLY:-} || " $FAULTS_ONLY " == *" $1 "* ]]; }

# --- 1. PostgreSQL stopped mid-sweep ------------------------------------
if part 1; then
start_sim --count 200 --base 127.0.5.1 --user admin --password s3cret-pw \
    --power on --seed 21 --sel-epoch 1790000000 --latency-ms 15
config pgdown "127.0.5.[1-200]" "concurrency: 40"
"$BMCFLEET" collect -c "$W/pgdown.yaml" --db-wait 1 \
    >"$W/pgdown-1.out" 2>&1 &
cpid=$!
# mid-sweep: some BMCs' results are in; the rest must wait in the spool
poll_until 60 eval '(( $(stored_hosts "127.0.5.%" collection_result) > 0 ))' ||
    fail "no BMC's result stored within 60 s"
stored=$(stored_hosts "127.0.5.%" collection_result)
"$TOP/deploy/pg.sh" stop "$PG_DIR" >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1 ||
    fail "could not stop PostgreSQL"
((stored < 200)) ||
    fail "PostgreSQL stopped after the sweep: $stored of 200 BMCs stored"
msg "PostgreSQL stopped mid-sweep: $stored of 200 BMCs' results stored"
wait_pid "$cpid" 90
cat "$W/pgdown-1.out" >>"$TEST_LOGDIR/$TEST_NAME.log"
spooled=$(ls "$W/spool-pgdown" | grep -c '\.batch$')
((spooled > 0)) || fail "no batch waited in the spool"
msg "run 1: $spooled batch(es) in the spool"
"$TOP/deploy/pg.sh" start "$PG_DIR" --no-fsync \
    >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1 || fail "could not restart PostgreSQL"
sim_dump pgdown-before
run_to pgdown-2 "$BMCFLEET" collect -c "$W/pgdown.yaml" ||
    fail "run 2 after the restart failed"
sim_dump pgdown-after
expect_eq "$(ls "$W/spool-pgdown" | grep -c '\.batch$')" 0 "batches left"
# every reading bmcsim answered in either run is stored: bmcsim's count,
# not the collector's summary, is the truth
served=$(readings_served pgdown-after)
if [[ $PLANT_FAULT == reading-delete ]]; then
	msg "PLANT_FAULT=reading-delete: deleted $(sql "DELETE FROM sensor_reading
	    WHERE (sensor_id, ts) = (SELECT sensor_id, ts FROM sensor_reading
	    ORDER BY sensor_id, ts LIMIT 1) RETURNING 1" | wc -l) stored reading"
fi
((served > 0)) || fail "bmcsim served no readings"
expect_eq "$(sql "SELECT count(*) FROM sensor_reading")" "$served" \
    "readings stored (bmcsim served $served in runs 1 and 2)"
msg "readings: bmcsim served $served in runs 1 and 2, all stored"
sel_check "PostgreSQL restart" 127.0.5.17 pgdown-before pgdown-after
stop_bmcsim
fi

# --- 2. SIGKILL mid-sweep ---------------------------------------------
if part 2; then
sql "TRUNCATE sel_event, sel_cursor, collector_lease" >/dev/null
start_sim --count 200 --base 127.0.6.1 --user admin --password s3cret-pw \
    --power on --seed 22 --sel-epoch 1790000000 --latency-ms 15
config kill "127.0.6.[1-200]" "concurrency: 40"
"$BMCFLEET" collect -c "$W/kill.yaml" >"$W/kill-1.out" 2>&1 &
cpid=$!
if [[ $PLANT_FAULT == kill-early ]]; then
	msg "PLANT_FAULT=kill-early: killing the collector before its sweep"
else
	poll_until 60 eval '(( $(stored_hosts "127.0.6.%" sel_event) > 0 ))' ||
	    fail "no BMC's SEL events stored within 60 s"
fi
kill -9 "$cpid"
wait "$cpid" 2>/dev/null
# whatever the poll saw: did the kill land mid-sweep?
killed_at=$(stored_hosts "127.0.6.%" sel_event)
((killed_at > 0 && killed_at < 200)) ||
    fail "the kill did not land mid-sweep: $killed_at of 200 BMCs had SEL events stored when the collector died"
msg "collector killed mid-sweep: $killed_at of 200 BMCs had SEL events stored ($(sql "SELECT count(*) FROM sel_event") events)"
sleep 2.2	# its leases expire
sim_dump kill-before
run_to kill-2 "$BMCFLEET" collect -c "$W/kill.yaml" || fail "rerun failed"
sim_dump kill-after
sel_check "SIGKILL and rerun" 127.0.6.17 kill-before kill-after
stop_bmcsim
fi

# --- 3. 10% loss, 10 dead -----------------------------------------------
# (100 BMCs, two rounds of concurrency: the point is each lost datagram
# resent and each dead BMC's reason, not the fleet's size)
if part 3; then
start_bmcsim --count 100 --base 127.0.26.1 --user admin --password s3cret-pw \
    --power on --seed 23 --loss 10 --dead 1-10
config lossy "127.0.26.[1-100]" "concurrency: 50"
run_to lossy "$BMCFLEET" collect -c "$W/lossy.yaml" --what sensors
grep -q '90 ok, 10 failed (10 timeout)' <<<"$RUN_OUT" ||
    fail "expected 90 ok and 10 timeouts in the summary"
expect_eq "$(sql "SELECT count(*) FROM collection_result r JOIN bmc b
    ON b.id = r.bmc_id WHERE NOT r.ok AND r.reason = 'timeout'
    AND b.name LIKE '127.0.26.%'")" 10 "dead BMCs recorded as timeouts"
stop_bmcsim
fi

# --- 4. a BMC that answers garbage ---------------------------------------
if part 4; then
start_bmcsim --count 10 --base 127.0.15.1 --user admin --password s3cret-pw \
    --power on --seed 24
python3 - 127.0.15.50 623 >"$W/garbage.log" 2>&1 <<'EOF' &
import os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(1)
end = time.time() + 60
while time.time() < end:
    try:
        data, peer = s.recvfrom(4096)
    except socket.timeout:
        continue
    # RMCP-looking garbage, then plain noise, of every length
    s.sendto(b"\x06\x00\xff\x07" + os.urandom(len(data)), peer)
    s.sendto(os.urandom(1 + data[0] % 90), peer)
EOF
gpid=$!
_lib_register "$gpid" garbage "$W/garbage.log" 0
poll_until 10 _lib_udp_bound 127.0.15.50 623 ||
    fail "the garbage responder did not bind 127.0.15.50:623"

config garbage "127.0.15.[1-10],127.0.15.50"
run_to garbage "$BMCFLEET" collect -c "$W/garbage.yaml" --what sensors
grep -q '10 ok, 1 failed' <<<"$RUN_OUT" ||
    fail "expected 10 ok and the garbage BMC failed"
err=$(sql "SELECT reason || ': ' || error FROM collection_result r JOIN bmc b
    ON b.id = r.bmc_id WHERE b.name = '127.0.15.50' ORDER BY finished_at DESC
    LIMIT 1")
[[ -n $err ]] || fail "the garbage BMC has no recorded error"
msg "garbage BMC recorded as: $err"
stop_bmcsim
fi

# --- 5. two collectors ---------------------------------------------------
if part 5; then
sql "TRUNCATE collection_result, collector_lease" >/dev/null
# 100 BMCs, 10 at a time in each: a sweep lasts seconds, both take part
start_bmcsim --count 100 --base 127.0.27.1 --user admin --password s3cret-pw \
    --power on --seed 25 --latency-ms 10
config two "127.0.27.[1-100]" "concurrency: 10" "sweep_interval: 1h"
# each daemon its own spool (one collector per spool)
"$BMCFLEETD" -c "$W/two.yaml" --spool "$W/spool-a" >"$W/a.log" 2>&1 &
apid=$!
"$BMCFLEETD" -c "$W/two.yaml" --spool "$W/spool-b" >"$W/b.log" 2>&1 &
bpid=$!
_lib_register "$apid" bmcfleetd-a "$W/a.log" 0
_lib_register "$bpid" bmcfleetd-b "$W/b.log" 0
swept() {
	sql "SELECT count(DISTINCT r.bmc_id) FROM collection_result r
	    JOIN bmc b ON b.id = r.bmc_id WHERE b.name LIKE '127.0.27.%'"
}
# A dies once it has done part of the work (and B has too)
poll_until 30 eval '[[ $(sql "SELECT count(DISTINCT split_part(c.key, '"':'"', 2))
    FROM collection_result r JOIN collection_run c ON c.id = r.run_id") == 2 ]]' ||
    fail "the two collectors did not both sweep within 30 s"
kill -9 "$apid"
msg "collector A killed mid-sweep: $(swept) BMCs swept so far"
poll_until 60 eval '[[ $(swept) == 100 ]]' ||
    fail "only $(swept) of 100 BMCs swept after A died"
expect_eq "$(sql "SELECT count(*) FROM (SELECT r.bmc_id FROM
    collection_result r JOIN bmc b ON b.id = r.bmc_id
    WHERE b.name LIKE '127.0.27.%' GROUP BY r.bmc_id
    HAVING count(*) > 1) x")" 0 "BMCs swept twice"
per=$(sql "SELECT split_part(c.key, ':', 2), count(*) FROM collection_result r
    JOIN collection_run c ON c.id = r.run_id GROUP BY 1 ORDER BY 1")
msg "sweeps per collector (pid|BMCs): $(tr '\n' ' ' <<<"$per")"
expect_eq "$(wc -l <<<"$per")" 2 "collectors that swept"
grep -q "^$apid|" <<<"$per" || fail "A swept nothing before it died"
grep -q "^$bpid|" <<<"$per" || fail "B swept nothing"
kill "$bpid"
wait_pid "$bpid" 30
grep -q 'bmcfleetd: stopping' "$W/b.log" || fail "B did not stop cleanly"
stop_bmcsim
fi

# --- 6. the daemon backs off from dead BMCs --------------------------------
if part 6; then
start_bmcsim --count 10 --base 127.0.10.1 --user admin --password s3cret-pw \
    --power on --seed 26 --dead 9-10
config back "127.0.10.[1-10]" "sweep_interval: 1s"
sed -i 's/^  retries: 8$/  retries: 0/' "$W/back.yaml"
"$BMCFLEETD" -c "$W/back.yaml" --what sensors >"$W/back.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd-back "$W/back.log" 0
results() {	# results LIKE: result rows of the matching BMCs
	sql "SELECT count(*) FROM collection_result r JOIN bmc b
	    ON b.id = r.bmc_id WHERE b.name LIKE '$1'"
}
poll_until 40 eval '(( $(results "127.0.10.1") >= 8 ))' ||
    fail "the daemon did not sweep 8 times in 40 s"
kill "$dpid"
wait_pid "$dpid" 30
live=$(results "127.0.10.1")
dead=$(results "127.0.10.9")
msg "8 sweeps or more: a live BMC $live results, a dead one $dead"
((dead >= 2 && dead * 3 <= live * 2)) ||
    fail "dead BMC tried $dead times in $live sweeps: no backoff"
fi
msg "ok"
