#!/usr/bin/env bash
# Summaries that name names: collect names its failed hosts, `bmcfleet
# status` shows the fleet from the database, bmcfleetd says why a sweep
# touched no host.
#
#   5 bmcsim BMCs on 127.0.65.[1-5], .2 dead (timeout: it fails last),
#   and 9 addresses nobody answers on, 127.0.66.[2-10] (unreachable), one
#   collect:
#   - stderr: the counts, the first 5 failed hosts by name in natural
#     order (65.2, then 66.2 .. 66.5) with their reason, "... and 5 more"
#   - --format json: every failed host, in natural order (66.10 last),
#     with its reason; the counts
#   - the database: each failed host's collection_result has its reason;
#     the run's summary counts them by reason
#   - status (table and json): 14 hosts, 4 on, 10 unknown; 10 failed by
#     reason, named; a running plan with its progress; a batch
#     waiting in the spool; --check exits 1, plain status 0
#   - bmcfleetd with a 1h interval right after: "0 hosts due: not due:
#     next in ..."; with every lease held by another collector: "leased
#     by another collector, otherhost:77", and collect says the same of
#     the hosts it did not sweep
# The oracle: bmcsim's addresses (the config) and SQL counts.
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-status.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 5 --base 127.0.65.1 --user admin --password s3cret-pw \
    --power on --seed 65 --dead 2 --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  live: {hosts: "127.0.65.[1-5]"}
  dead: {hosts: "127.0.66.[2-10]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 1h
defaults:
  timeout: 200ms
  retries: 1
EOF2
C=(-c "$W/fleet.yaml")
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"

# --- collect: the terminal summary ---------------------------------------
run_to collect1 "$BMCFLEET" collect "${C[@]}"
expect_eq "$RUN_RC" 1 "collect's exit status with failed hosts"
expect_match "$RUN_OUT" 'collect: 14 hosts in [0-9.]+ s: 4 ok, 10 failed \(9 unreachable, 1 timeout\)' \
    "the counts"
named=$(grep '^collect: failed ' <<<"$RUN_OUT" | sed 's/^collect: failed \([^:]*\): \([a-z]*\).*/\1 \2/' |
    tr '\n' ' ')
expect_eq "$named" "127.0.65.2 timeout 127.0.66.2 unreachable 127.0.66.3 unreachable 127.0.66.4 unreachable 127.0.66.5 unreachable " \
    "the first five failed hosts, natural order, with their reason"
expect_match "$RUN_OUT" 'collect: \.\.\. and 5 more' "the count of the rest"

# --- collect --format json: every failed host -----------------------------
timeout -k 5 30 "$BMCFLEET" collect "${C[@]}" --format json \
    >"$W/collect.json" 2>"$W/collect.err" </dev/null
expect_eq "$?" 1 "collect --format json's exit status"
grep -q '^collect: failed' "$W/collect.err" &&
    fail "collect --format json also wrote the terminal summary"
got=$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
f = j["failures"]
print(j["hosts"], j["swept"], j["ok"], j["failed"], j["by_reason"],
    len(f), ",".join(x["host"][6:] for x in f),
    all(x["error"] for x in f),
    j["database"]["committed"])' "$W/collect.json") ||
    fail "collect --format json: $(cat "$W/collect.json")"
expect_eq "$got" "14 14 4 10 {'unreachable': 9, 'timeout': 1} 10 65.2,66.2,66.3,66.4,66.5,66.6,66.7,66.8,66.9,66.10 True True" \
    "collect --format json"

# --- the database: every failure with its reason ------------------------------
last_run="(SELECT max(id) FROM collection_run)"
expect_eq "$(sql "SELECT count(*) FILTER (WHERE reason = 'unreachable'
    AND error <> ''), count(*) FILTER (WHERE reason = 'timeout'
    AND error <> ''), count(*) FILTER (WHERE ok) FROM collection_result
    WHERE run_id = $last_run")" "9|1|4" "the last run's results and reasons"
expect_eq "$(sql "SELECT summary -> 'by_reason' ->> 'unreachable',
    summary -> 'by_reason' ->> 'timeout', failed
    FROM collection_run WHERE id = $last_run")" "9|1|10" \
    "the run's summary by reason"

# --- status --------------------------------------------------------------------
# a running plan: 3 hosts, one confirmed, one skipped
pid=$(sql "INSERT INTO power_plan (name, spec, state, created_by,
    created_from, stage, started_at) VALUES ('storage-first',
    '{\"stages\": [{}, {}]}', 'running', 'op', 'h:1', 0, now())
    RETURNING id") || fail "plan insert"
sql "INSERT INTO power_plan_host (plan_id, stage, name, batch, state)
    VALUES ($pid, 0, '127.0.65.1', 0, 'confirmed'),
    ($pid, 0, '127.0.65.2', 0, 'skipped'),
    ($pid, 1, '127.0.65.3', 0, 'pending')" >/dev/null || fail "plan hosts"
# two readings newer than the sweep's: 65.1 critical, 65.4 warning (bmcsim's
# CPUs may run warm on their own: those two are what is known)
sql "SELECT bmcfleet_reading_partition(current_date)" >/dev/null
sql "INSERT INTO sensor_reading (sensor_id, bmc_id, ts, value, raw, status,
    state) SELECT s.id, s.bmc_id, now() + interval '1 s', v, v, st, h
    FROM sensor s JOIN bmc b ON b.id = s.bmc_id,
    (VALUES ('127.0.65.1', 99, 'cr', 'critical'),
            ('127.0.65.4', 87, 'nc', 'warning')) AS x(host, v, st, h)
    WHERE b.name = x.host AND s.name = 'CPU1 Temp'" >/dev/null ||
    fail "could not add readings"
# a batch waiting in the spool (the writer had none left)
head -c 100 /dev/zero >"$W/spool/0000000000000099.batch"

# a critical event after 127.0.65.1's first SEL read (its history counts
# for nothing), and a notification sent and one queued
sql "INSERT INTO sel_event (bmc_id, record_id, raw, record_type, severity)
    SELECT id, 65535, decode(repeat('ab', 16), 'hex'), 2, 'critical'
    FROM bmc WHERE name = '127.0.65.1'" >/dev/null || fail "event insert"
sql "INSERT INTO alert_notification (rule, action, kind, source, source_id,
    dedup_key, severity, state, subject, text, body) VALUES
    ('r', 'a', 'problem', 'sel', 1, 'k1', 'critical', 'sent', 's', 't', '{}'),
    ('r', 'a', 'problem', 'sel', 2, 'k2', 'critical', 'queued', 's', 't', '{}')" \
    >/dev/null || fail "notification insert"
run_to status "$BMCFLEET" status "${C[@]}" || fail "status failed"
expect_match "$RUN_OUT" '^events: +[1-9][0-9]* in the last day \([1-9][0-9]* critical, [1-9][0-9]* of them not acknowledged\); PET traps: 0, 0 PET-only$' \
    "status: events"
expect_match "$RUN_OUT" '^alerts: +1 sent, 0 failed, 0 suppressed in the last day; 1 queued now$' \
    "status: alerts"
expect_match "$RUN_OUT" '^hosts: +14 \(4 on, 0 off, 10 unknown\)' "status: hosts"
expect_match "$RUN_OUT" 'sweeps: +14 of 14 swept in the last 2h .*: 4 ok, 10 failed' \
    "status: sweeps"
expect_match "$RUN_OUT" 'failures: +1 timeout: 127\.0\.65\.2$' "status: the timeout named"
expect_match "$RUN_OUT" '^ +9 unreachable: 127\.0\.66\.2, 127\.0\.66\.3, 127\.0\.66\.4, 127\.0\.66\.5, 127\.0\.66\.6, \.\.\. and 4 more' \
    "status: failures named, natural order"
expect_match "$RUN_OUT" "plans: +$pid 'storage-first' running, stage 1 of 2: 2 of 3 hosts done \\(1 confirmed, 1 skipped\\), 0 failed" \
    "status: the plan"
expect_match "$RUN_OUT" 'spool: +1 batch\(es\), 100 bytes waiting' "status: spool"
expect_match "$RUN_OUT" 'database: +newest reading [0-9]+(ms|s) ago, newest sweep result [0-9]+(ms|s) ago' \
    "status: database lag"

timeout -k 5 30 "$BMCFLEET" status "${C[@]}" --format json >"$W/status.json" \
    2>"$W/status.err" </dev/null || fail "status --format json: $(cat "$W/status.err")"
got=$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
f = j["failures"]
p = j["plans"][0]
print(j["hosts"], j["power"], sum(j["health"].values()),
    j["health"]["unknown"] >= 10, j["sweeps"]["fresh"], j["sweeps"]["ok"],
    j["sweeps"]["failed"], j["by_reason"],
    ",".join(x["host"][6:] for x in f),
    p["name"], p["state"], p["hosts"], p["confirmed"], p["skipped"],
    j["spool"]["batches"], j["spool"]["bytes"],
    j["database"]["newest_result_age_s"] < 60,
    [h["host"] for h in j["per_host"]][-2:], j["stale_hosts"],
    {h["host"]: h["health"] for h in j["per_host"]}["127.0.65.1"],
    {h["host"]: h["health"] for h in j["per_host"]}["127.0.65.4"] in
    ("warning", "critical"), j["health"]["critical"] >= 1,
    j["sensors"]["critical"] >= 1, j["sensors"]["warning"] >= 1,
    j["events"]["critical_unacked"] >= 1, j["events"]["alerts_sent"],
    j["events"]["alerts_queued"])' \
    "$W/status.json") || fail "status --format json: $(cat "$W/status.json")"
expect_eq "$got" "14 {'on': 4, 'off': 0, 'unknown': 10} 14 True 14 4 10 {'timeout': 1, 'unreachable': 9} 65.2,66.2,66.3,66.4,66.5,66.6,66.7,66.8,66.9,66.10 storage-first running 3 1 1 1 100 True ['127.0.66.9', '127.0.66.10'] [] critical True True True True True 1 1" \
    "status --format json"
run_to check "$BMCFLEET" status "${C[@]}" --check >/dev/null
expect_eq "$RUN_RC" 1 "status --check with failed hosts"
rm -f "$W/spool/0000000000000099.batch"

# --- bmcfleetd: why a sweep touched no host -----------------------------------
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
daemon_once() {	# daemon_once NAME: bmcfleetd until its first sweep line
	"$BMCFLEETD" "${C[@]}" >"$W/$1.log" 2>&1 &
	dpid=$!
	_lib_register "$dpid" bmcfleetd "$W/$1.log" 0
	poll_until 20 grep -q 'bmcfleetd: sweep 1:' "$W/$1.log" ||
	    fail "bmcfleetd logged no sweep: $(cat "$W/$1.log")"
	kill -TERM "$dpid"
	poll_until 15 eval '! kill -0 '"$dpid"' 2>/dev/null' ||
	    fail "bmcfleetd did not stop on SIGTERM"
	grep 'bmcfleetd: sweep 1:' "$W/$1.log" | sed "s/^/$TEST_NAME: /"
}
# every host was swept a moment ago, the interval is an hour
daemon_once notdue
expect_match "$(cat "$W/notdue.log")" 'sweep 1: 0 hosts due: not due: next in (59m|1h)[0-9ms]* \(14 hosts swept this interval\)' \
    "bmcfleetd: not due"
# nobody swept them, but another collector holds every lease
sql "UPDATE collector_lease SET swept_at = NULL, holder = 'otherhost:77:123',
    expires_at = now() + interval '1 hour'" >/dev/null || fail "lease update"
daemon_once leased
expect_match "$(cat "$W/leased.log")" 'sweep 1: 0 hosts due: leased by another collector, otherhost:77 \(14 hosts\)' \
    "bmcfleetd: leased elsewhere"
# collect says so too, with --format json in not_swept
run_to collect3 "$BMCFLEET" collect "${C[@]}"
expect_match "$RUN_OUT" '^collect: 14 of 14 hosts not swept: leased by another collector, otherhost:77 \(14 hosts\)' \
    "collect: hosts left to another collector"
got=$(timeout -k 5 30 "$BMCFLEET" collect "${C[@]}" --format json 2>/dev/null |
    python3 -c 'import json, sys; j = json.load(sys.stdin)
print(j["swept"], j["not_swept"])') || fail "collect --format json"
expect_eq "$got" "0 leased by another collector, otherhost:77 (14 hosts)" \
    "collect --format json: not_swept"
# what was not read through run_to: no sanitizer report either
for f in "$W/collect.err" "$W/status.err" "$W/notdue.log" "$W/leased.log"; do
	! grep -Eq "$_lib_sanitizer_re" "$f" || fail "$f: $(cat "$f")"
done
msg "ok"
