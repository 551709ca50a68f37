#!/usr/bin/env bash
# A BMC that answers every request just under the timeout (bmcsim latency
# 900 ms against a 1000 ms timeout) must not hold up the others: direct
# mode's --deadline and the collector's host_deadline fail it by reason
# "deadline" on time, and every good BMC is printed / stored.
#
#   1. bmcfleet -H 'good[1-20],slow' --deadline 4s sensors: returns within
#      the deadline plus a few seconds, 20 hosts' sensors printed, the slow
#      one "deadline" in the summary; without --deadline's limit (60 s) the
#      same slow host would take ~40 s (its ~45 commands x 0.9 s).
#   2. bmcfleetd with host_deadline 4s: its first sweep logs the slow one
#      failed, the good ones ok, and the database records reason deadline.
#   2b. collector.host_max_requests 100 against a cold SDR walk: the host
#      is failed by reason deadline at its 100th answer.
#   3. SIGTERM mid-sweep (the slow BMC in flight, host_deadline 2m): the
#      daemon stops within 2 s, the slow BMC's result is "aborted", and it
#      is left due (its lease released, swept_at not moved).
set -u
. "$(dirname "$0")/../interop/lib.sh"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-deadline.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
cat >"$W/sim.yaml" <<'EOF2'
bmcs:
  - {index: 21, latency_ms: 900}
EOF2
start_bmcsim --count 21 --base 127.0.12.1 --user admin --password s3cret-pw \
    --power on --seed 12 --config "$W/sim.yaml" --quiet
export BMCFLEET_PASSWORD=s3cret-pw
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"

# --- 1. direct mode -----------------------------------------------------
RUN_TIMEOUT=60
t0=$(_lib_now_ms)
run_to direct "$BMCFLEET" -H '127.0.12.[1-21]' -U admin -E --timeout 1000 \
    --retries 1 --deadline 4s --no-sdr-cache sensors
t=$(($(_lib_now_ms) - t0))
msg "direct mode: exit $RUN_RC in $t ms"
expect_eq "$RUN_RC" 1 "exit status with the slow host failed"
((t < 4000 + 5000)) || fail "direct mode took $t ms, past the 4 s deadline + 5 s"
expect_match "$RUN_OUT" "1 of 21 hosts failed: 1 deadline" "summary by reason"
good=$(grep -Eo '^127\.0\.12\.([1-9]|1[0-9]|20) ' <<<"$RUN_OUT" | sort -u | wc -l)
expect_eq "$good" 20 "sensors printed for every good host"
expect_match "$RUN_OUT" "127\.0\.12\.21: error: deadline" "the slow host's line"

# the unit is required, and the grammar is the config's
run_to badunit "$BMCFLEET" -H 127.0.12.1 -U admin -E --deadline 60 sensors
expect_eq "$RUN_RC" 2 "--deadline without a unit: usage error"
expect_match "$RUN_OUT" "needs its unit" "--deadline 60 explained"

# --- 2. bmcfleetd ---------------------------------------------------------
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
defaults:
  timeout: 1s
  retries: 1
groups:
  fleet: {hosts: "127.0.12.[1-21]"}
collector:
  spool_dir: $W/spool
  host_deadline: 4s
  sweep_interval: 1h
EOF2
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
t0=$(_lib_now_ms)
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d.log" 0
poll_until 30 grep -q 'bmcfleetd: sweep 1:' "$W/d.log" ||
    fail "bmcfleetd logged no sweep in 30 s: $(tail -n 5 "$W/d.log")"
t=$(($(_lib_now_ms) - t0))
kill -TERM "$dpid"
poll_until 15 eval '! kill -0 '"$dpid"' 2>/dev/null' ||
    fail "bmcfleetd did not stop on SIGTERM"
line=$(grep 'bmcfleetd: sweep 1:' "$W/d.log")
msg "daemon: $line ($t ms after start)"
expect_match "$line" "21 hosts due, swept in [0-9.]+ s: 20 ok, 1 failed" \
    "the daemon's first sweep"
((t < 4000 + 8000)) || fail "the sweep took $t ms, past the 4 s deadline + 8 s"
reason=$(sql "SELECT r.reason FROM collection_result r JOIN bmc b
    ON b.id = r.bmc_id WHERE b.name = '127.0.12.21'")
expect_match "$reason" "^deadline" "the slow host's stored reason"
ok=$(sql "SELECT count(*) FROM collection_result r JOIN bmc b
    ON b.id = r.bmc_id WHERE r.ok AND b.name <> '127.0.12.21'")
expect_eq "$ok" 20 "good hosts stored ok"

# --- 2b. the request cap ------------------------------------------------------
# a cold SDR walk is a few hundred requests: host_max_requests 100 stops
# a good host at its 100th answer, by reason deadline
sed 's/host_deadline: 4s/host_deadline: 2m\n  host_max_requests: 100/' \
    "$W/fleet.yaml" >"$W/cap.yaml"
sql "DELETE FROM sdr_cache; UPDATE bmc_profile SET sdr_key = NULL" >/dev/null
run_to cap "$BMCFLEET" collect -c "$W/cap.yaml" --no-lease '127.0.12.1'
expect_eq "$RUN_RC" 1 "collect with host_max_requests 100: exit status"
expect_match "$RUN_OUT" "1 failed \(1 deadline\)" "the capped host's reason"
expect_match "$(sql "SELECT r.error FROM collection_result r JOIN bmc b
    ON b.id = r.bmc_id WHERE b.name = '127.0.12.1'
    ORDER BY r.finished_at DESC LIMIT 1")" "^100 requests answered" \
    "the capped host's stored error"

# --- 3. SIGTERM mid-sweep ---------------------------------------------------
sed -i 's/host_deadline: 4s/host_deadline: 2m/' "$W/fleet.yaml"
# every BMC due again, as an hour later
sql "UPDATE collector_lease SET swept_at = now() - interval '2 hours'" >/dev/null
before=$(sql "SELECT coalesce(extract(epoch FROM l.swept_at), 0)
    FROM collector_lease l JOIN bmc b ON b.id = l.bmc_id
    WHERE b.name = '127.0.12.21'")
"$BMCFLEETD" -c "$W/fleet.yaml" --retire >"$W/d2.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d2.log" 0
# mid-sweep: the good ones done (their results committed), the slow one not
poll_until 20 eval '(( $(sql "SELECT count(*) FROM collection_result
    WHERE finished_at > now() - interval '"'"'30 s'"'"' AND ok") >= 40 ))' ||
    fail "the second daemon's good hosts were not stored in 20 s: $(cat "$W/d2.log")"
t0=$(_lib_now_ms)
kill -TERM "$dpid"
poll_until 10 eval '! kill -0 '"$dpid"' 2>/dev/null' ||
    fail "bmcfleetd did not stop within 10 s of SIGTERM"
t=$(($(_lib_now_ms) - t0))
msg "SIGTERM mid-sweep: bmcfleetd gone in $t ms"
((t <= 2000)) || fail "bmcfleetd took $t ms to stop after SIGTERM (bound 2 s)"
last=$(sql "SELECT r.reason FROM collection_result r JOIN bmc b
    ON b.id = r.bmc_id WHERE b.name = '127.0.12.21'
    ORDER BY r.finished_at DESC LIMIT 1")
expect_eq "$last" "aborted" "the slow BMC's result after SIGTERM"
after=$(sql "SELECT coalesce(extract(epoch FROM l.swept_at), 0)
    FROM collector_lease l JOIN bmc b ON b.id = l.bmc_id
    WHERE b.name = '127.0.12.21'")
expect_eq "$after" "$before" "the aborted BMC's swept_at (left due)"
expect_eq "$(sql "SELECT count(*) FROM collector_lease
    WHERE expires_at > now()")" 0 "leases still held after SIGTERM"
msg "ok"
