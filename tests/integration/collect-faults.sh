#!/usr/bin/env bash
# bmcfleet collect when things go wrong (issue 4's fault tests), against
# bmcsim and a throwaway PostgreSQL:
#
#   1. PostgreSQL stopped mid-sweep, then started again: the rows wait in
#      the spool and the next run writes them; every reading both runs
#      read is in the database, every SEL event exactly once.
#   2. the collector killed with SIGKILL mid-sweep, then run again after
#      its leases expired: no SEL event lost or stored twice.
#   3. 10% packet loss and 20 dead BMCs: the other 180 complete; the dead
#      are recorded by reason (timeout).
#   4. a "BMC" that answers every datagram with garbage: it fails, is
#      recorded with its error, and the others are swept.
#   5. two bmcfleetd on one database split the fleet: every BMC swept
#      once, by one of them, both doing part; one killed with SIGKILL
#      mid-sweep, the other takes its BMCs over when the leases expire.
#   6. bmcfleetd backs off from dead BMCs: over a few sweeps they are
#      tried less often than the live ones are swept.
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
[[ -x $BMCFLEETD ]] || fail "bmcfleetd is not built: $BMCFLEETD"
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
# summary_readings FILE: the "N readings" a collect run reported
summary_readings() {
	sed -n 's/^collect: \([0-9]*\) readings.*/\1/p' "$1" | tail -n 1
}
# wait_pid PID SECS: wait for a background process, at most SECS
wait_pid() {
	local pid=$1 secs=$2
	poll_until "$secs" eval '! kill -0 '"$pid"' 2>/dev/null' ||
	    { kill -9 "$pid" 2>/dev/null; fail "pid $pid did not exit in $secs s"; }
	wait "$pid" 2>/dev/null
}
export BMCFLEET_PASSWORD=s3cret-pw

# SEL truth: every entry of every BMC (direct mode) vs the database
sel_check() {	# sel_check RANGE WHAT
	local range=$1 what=$2
	run_to "truth-$what" "$BMCFLEET" -H "$range" -U admin -E --format json \
	    --timeout 300 --retries 8 sel list || fail "$what: sel list failed"
	printf '%s\n' "$RUN_OUT" >"$W/sel.json"
	sql "SELECT b.name, encode(e.raw, 'hex') FROM sel_event e
	    JOIN bmc b ON b.id = e.bmc_id" >"$W/db-sel.txt"
	python3 - "$W" "$what" <<'EOF' || fail "$what: SEL events lost or doubled"
import json, sys
w, what = sys.argv[1], sys.argv[2]
db = {}
for line in open(w + "/db-sel.txt"):
    host, raw = line.rstrip("\n").split("|")
    db.setdefault(host, []).append(raw)
bad, n = [], 0
for h in json.load(open(w + "/sel.json")):
    got = db.get(h["host"], [])
    want = [e["raw"] for e in h.get("entries", [])]
    n += len(want)
    if len(got) != len(set(got)):
        bad.append("%s: an event stored twice" % h["host"])
    top = max([int(r[2:4] + r[:2], 16) for r in got] or [0])
    for e in h.get("entries", []):
        if e["raw"] not in got and e["id"] <= top:
            bad.append("%s: event %d lost" % (h["host"], e["id"]))
    for raw in got:
        if raw not in want:
            bad.append("%s: stored event not on the BMC" % h["host"])
for b in bad[:10]:
    print("  " + b)
print("%s: %d SEL events on the BMCs, %d problems" % (what, n, len(bad)))
sys.exit(1 if bad else 0)
EOF
}

# FAULTS_ONLY="1 3" runs some parts only (for debugging)
part() { [[ -z ${FAULTS_ONLY:-} || " $FAULTS_ONLY " == *" $1 "* ]]; }

# --- 1. PostgreSQL stopped mid-sweep ------------------------------------
if part 1; then
start_bmcsim --count 200 --base 127.0.5.1 --user admin --password s3cret-pw \
    --power on --seed 21 --sel-epoch 1790000000 --latency-ms 15
config pgdown "127.0.5.[1-200]" "concurrency: 40"
"$BMCFLEET" collect -c "$W/pgdown.yaml" --db-wait 1 \
    >"$W/pgdown-1.out" 2>&1 &
cpid=$!
sleep 1.5
"$TOP/deploy/pg.sh" stop "$PG_DIR" >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1 ||
    fail "could not stop PostgreSQL"
msg "PostgreSQL stopped mid-sweep"
wait_pid "$cpid" 90
cat "$W/pgdown-1.out" >>"$TEST_LOGDIR/$TEST_NAME.log"
n1=$(summary_readings "$W/pgdown-1.out")
spooled=$(ls "$W/spool-pgdown" | grep -c '\.batch$')
((spooled > 0)) || fail "no batch waited in the spool"
msg "run 1: $n1 readings, $spooled batch(es) in the spool"
"$TOP/deploy/pg.sh" start "$PG_DIR" --no-fsync \
    >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1 || fail "could not restart PostgreSQL"
run_to pgdown-2 "$BMCFLEET" collect -c "$W/pgdown.yaml" ||
    fail "run 2 after the restart failed"
n2=$(summary_readings <(printf '%s\n' "$RUN_OUT"))
expect_eq "$(ls "$W/spool-pgdown" | grep -c '\.batch$')" 0 "batches left"
expect_eq "$(sql "SELECT count(*) FROM sensor_reading")" "$((n1 + n2))" \
    "readings stored (run 1 + run 2)"
sel_check "127.0.5.[1-200]" "PostgreSQL restart"
stop_bmcsim
fi

# --- 2. SIGKILL mid-sweep ---------------------------------------------
if part 2; then
sql "TRUNCATE sel_event, sel_cursor, collector_lease" >/dev/null
start_bmcsim --count 200 --base 127.0.6.1 --user admin --password s3cret-pw \
    --power on --seed 22 --sel-epoch 1790000000 --latency-ms 15
config kill "127.0.6.[1-200]" "concurrency: 40"
"$BMCFLEET" collect -c "$W/kill.yaml" >"$W/kill-1.out" 2>&1 &
cpid=$!
sleep 1.5
kill -9 "$cpid"
wait "$cpid" 2>/dev/null
msg "collector killed mid-sweep: $(sql "SELECT count(*) FROM sel_event") events stored"
sleep 2.2	# its leases expire
run_to kill-2 "$BMCFLEET" collect -c "$W/kill.yaml" || fail "rerun failed"
sel_check "127.0.6.[1-200]" "SIGKILL and rerun"
stop_bmcsim
fi

# --- 3. 10% loss, 20 dead -----------------------------------------------
if part 3; then
start_bmcsim --count 200 --base 127.0.7.1 --user admin --password s3cret-pw \
    --power on --seed 23 --loss 10 --dead 1-20
config lossy "127.0.7.[1-200]" "concurrency: 100"
run_to lossy "$BMCFLEET" collect -c "$W/lossy.yaml" --what sensors
grep -q '180 ok, 20 failed (20 timeout)' <<<"$RUN_OUT" ||
    fail "expected 180 ok and 20 timeouts in the summary"
expect_eq "$(sql "SELECT count(*) FROM collection_result r JOIN bmc b
    ON b.id = r.bmc_id WHERE NOT r.ok AND r.reason = 'timeout'
    AND b.name LIKE '127.0.7.%'")" 20 "dead BMCs recorded as timeouts"
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
start_bmcsim --count 200 --base 127.0.9.1 --user admin --password s3cret-pw \
    --power on --seed 25 --latency-ms 10
config two "127.0.9.[1-200]" "concurrency: 10" "sweep_interval: 1h"
# each daemon its own spool (one collector per spool)
"$BMCFLEETD" -c "$W/two.yaml" --spool "$W/spool-a" >"$W/a.log" 2>&1 &
apid=$!
"$BMCFLEETD" -c "$W/two.yaml" --spool "$W/spool-b" >"$W/b.log" 2>&1 &
bpid=$!
_lib_register "$apid" bmcfleetd-a "$W/a.log" 0
_lib_register "$bpid" bmcfleetd-b "$W/b.log" 0
swept() {
	sql "SELECT count(DISTINCT r.bmc_id) FROM collection_result r
	    JOIN bmc b ON b.id = r.bmc_id WHERE b.name LIKE '127.0.9.%'"
}
# A dies once it has done part of the work (and B has too)
poll_until 30 eval '[[ $(sql "SELECT count(DISTINCT split_part(c.key, '"':'"', 2))
    FROM collection_result r JOIN collection_run c ON c.id = r.run_id") == 2 ]]' ||
    fail "the two collectors did not both sweep within 30 s"
kill -9 "$apid"
msg "collector A killed mid-sweep: $(swept) BMCs swept so far"
poll_until 60 eval '[[ $(swept) == 200 ]]' ||
    fail "only $(swept) of 200 BMCs swept after A died"
expect_eq "$(sql "SELECT count(*) FROM (SELECT r.bmc_id FROM
    collection_result r JOIN bmc b ON b.id = r.bmc_id
    WHERE b.name LIKE '127.0.9.%' GROUP BY r.bmc_id
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
