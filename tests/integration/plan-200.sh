#!/usr/bin/env bash
# Staged power plans against bmcsim and a throwaway PostgreSQL (issue 5):
#
#   1. a two-stage plan over 200 BMCs (storage, then compute after it),
#      batches of 20 an interval apart under a power budget: every host
#      receives exactly one power-on (bmcsim's own count), stage 2 starts
#      only after stage 1 is verified on, the audit rows show the order and
#      the spacing, and no batch's estimated draw exceeds the budget.
#   2. hosts already on are skipped, not commanded.
#   3. a host that accepts the command but never powers on (bmcsim
#      --ignore-power) is reported failed after the verify timeout, and
#      crossing the failure threshold pauses the plan.
#   4. the executor killed with SIGKILL mid-plan, then `plan resume`: the
#      plan finishes and every host received its power-off exactly once.
#   5. a dry run changes nothing: no plan stored, no command sent.
#   6. the webhook: plan-start and plan-done reach a listener the test
#      runs on loopback.
#   7. bmcfleetd runs a plan applied --at a time when the time comes.
#   8. a soft-off that outlasts its timeout gets a hard off, verified.
# sanitize: no (scale: 200 BMCs through the code paths the smaller tests run under the sanitizers)
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-plan.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
RUN_TIMEOUT=180
STATS=$W/stats.json

# the webhook listener: every POST body, one per line, into $W/hooks
python3 - "$W/hooks" "$W/hook.port" >"$W/hook.log" 2>&1 <<'EOF' &
import http.server, sys
out, portfile = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n).decode()
        with open(out, "a") as f:
            f.write(body.replace("\n", " ") + "\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(portfile, "w").write(str(s.server_address[1]))
s.timeout = 1
import time
end = time.time() + 600
while time.time() < end:
    s.handle_request()
EOF
hpid=$!
_lib_register "$hpid" webhook-listener "$W/hook.log" 0
poll_until 10 test -s "$W/hook.port" || fail "the webhook listener did not start"
HOOK_PORT=$(cat "$W/hook.port")

start_bmcsim --count 200 --base 127.0.16.1 --user admin --password s3cret-pw \
    --seed 31 --power-delay-ms 300 --stats "$STATS"
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
defaults:
  timeout: 500ms
  retries: 4
groups:
  storage: {hosts: "127.0.16.[1-40]"}
  compute: {hosts: "127.0.16.[41-200]"}
collector:
  spool_dir: $W/spool
power:
  default_watts: 500
  inrush: 30%
scheduler:
  confirm_limit: 1000
  poll_interval: 300ms
  webhook: {url: "http://127.0.0.1:$HOOK_PORT/hook"}
EOF
C=(-c "$W/fleet.yaml")
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
run_to collect "$BMCFLEET" collect "${C[@]}" --what dcmi ||
    fail "collect failed"

# counter NAME: the sum of bmcsim's counter NAME over every BMC
counter() {
	rm -f "$STATS"
	kill -USR1 "$BMCSIM_PID"
	poll_until 5 test -s "$STATS" || fail "bmcsim wrote no stats"
	python3 -c 'import json, sys
print(sum(json.loads(l).get(sys.argv[1], 0) for l in open(sys.argv[2])
          if l.strip()))' "$1" "$STATS"
}
# per_host_max NAME: the most any one BMC counted of NAME
per_host_max() {
	python3 -c 'import json, sys
print(max(json.loads(l).get(sys.argv[1], 0) for l in open(sys.argv[2])
          if l.strip()))' "$1" "$STATS"
}
# plan apply says "plan N stored, ...", power "plan N started (...)"
plan_id() { sed -n 's/^plan \([0-9]*\) \(stored\|started\).*/\1/p' <<<"$1" | head -n 1; }

# --- 1. two stages, batches, budget ----------------------------------------
cat >"$W/up.yaml" <<'EOF'
name: rack power-on
stages:
  - name: storage
    targets: "@storage"
    op: on
    batch: 20
    interval: 2s
    budget: 13000W
  - name: compute
    targets: "@compute"
    op: on
    after: [storage]
    batch: 20
    interval: 1s
    budget: 13000W
EOF
run_to apply "$BMCFLEET" plan apply "$W/up.yaml" "${C[@]}" ||
    fail "plan apply failed"
grep -q 'stage compute: on 160 host(s) in 8 batch(es), 1s apart' \
    <<<"$RUN_OUT" || fail "the schedule does not show compute's 8 batches"
UP=$(plan_id "$RUN_OUT")
[[ -n $UP ]] || fail "plan apply printed no plan ID"
run_to run "$BMCFLEET" plan run "$UP" "${C[@]}" || fail "plan run failed"
expect_eq "$(sql "SELECT state FROM power_plan WHERE id = $UP")" done \
    "plan state"
expect_eq "$(counter on)" 200 "power-on commands bmcsim received"
expect_eq "$(per_host_max on)" 1 "power-ons received by any one BMC"
expect_eq "$(sql "SELECT count(*) FROM power_plan_host WHERE plan_id = $UP
    AND state = 'confirmed'")" 200 "hosts confirmed on"
# stage 2's first command after stage 1's last confirmation
expect_eq "$(sql "SELECT (SELECT max(at) FROM audit_log WHERE plan_id = $UP
    AND stage = 0 AND operation = 'verify') < (SELECT min(at) FROM audit_log
    WHERE plan_id = $UP AND stage = 1 AND operation = 'on')")" t \
    "compute started after storage was verified"
# batches start an interval apart (the audit's batch-start rows), and
# every power command of a batch comes after its start
expect_eq "$(sql "SELECT count(*) FROM (SELECT stage, batch, at,
    lag(at) OVER (PARTITION BY stage ORDER BY batch) AS prev
    FROM audit_log WHERE plan_id = $UP AND operation = 'batch-start') b
    WHERE prev IS NOT NULL AND at - prev <
    CASE WHEN stage = 0 THEN interval '1.95 s' ELSE interval '0.95 s' END")" \
    0 "batches closer than their interval"
expect_eq "$(sql "SELECT count(*) FROM audit_log a JOIN audit_log s
    ON s.plan_id = a.plan_id AND s.stage = a.stage AND s.batch = a.batch
    AND s.operation = 'batch-start' WHERE a.plan_id = $UP
    AND a.operation = 'on' AND a.at < s.at")" 0 \
    "commands before their batch started"
expect_eq "$(sql "SELECT count(DISTINCT (stage, batch)) FROM audit_log
    WHERE plan_id = $UP AND operation = 'on'")" 10 "batches in the audit"
expect_eq "$(sql "SELECT count(*) FROM (SELECT stage, batch,
    sum(est_watts) * 130 / 100 AS w FROM power_plan_host WHERE plan_id = $UP
    GROUP BY stage, batch) b WHERE w > 13000")" 0 "batches over budget"
msg "two stages: 200 hosts on, one command each, 10 batches in order"

# --- 2. already on: skipped ---------------------------------------------
run_to again "$BMCFLEET" power on @all "${C[@]}" --batch 50 ||
    fail "power on of an all-on fleet failed"
expect_eq "$(counter on)" 200 "power-ons after asking again (none sent)"
AG=$(plan_id "$RUN_OUT")
expect_eq "$(sql "SELECT count(*) FROM audit_log WHERE plan_id = $AG
    AND operation = 'on' AND result = 'skipped'
    AND detail = 'already on'")" 200 "skips recorded"

# --- 5. dry run: nothing anywhere -----------------------------------------
plans=$(sql "SELECT count(*) FROM power_plan")
offs=$(counter off)
run_to dry1 "$BMCFLEET" power off @all "${C[@]}" --batch 20 --dry-run ||
    fail "power off --dry-run failed"
run_to dry2 "$BMCFLEET" plan apply "$W/up.yaml" "${C[@]}" --dry-run ||
    fail "plan apply --dry-run failed"
grep -q 'dry run: nothing stored, nothing sent' <<<"$RUN_OUT" ||
    fail "no dry-run notice"
expect_eq "$(sql "SELECT count(*) FROM power_plan")" "$plans" \
    "plans after dry runs"
expect_eq "$(counter off)" "$offs" "power-offs after dry runs"

# --- 4. SIGKILL mid-plan, resume ------------------------------------------
cat >"$W/down.yaml" <<'EOF'
stages:
  - {name: all-off, targets: "@all", op: off, batch: 20, interval: 2s}
EOF
run_to down-apply "$BMCFLEET" plan apply "$W/down.yaml" "${C[@]}" ||
    fail "apply of the power-off plan failed"
DOWN=$(plan_id "$RUN_OUT")
"$BMCFLEET" plan run "$DOWN" "${C[@]}" >"$W/down-run.log" 2>&1 &
epid=$!
poll_until 30 eval '(( $(counter off) >= 50 ))' ||
    fail "the power-off plan did not get going"
kill -9 "$epid"
wait "$epid" 2>/dev/null
killed_at=$(counter off)
msg "executor killed after $killed_at power-offs"
((killed_at < 200)) || fail "the plan finished before the kill"
run_to resume "$BMCFLEET" plan resume "$DOWN" "${C[@]}" ||
    fail "plan resume failed"
expect_eq "$(sql "SELECT state FROM power_plan WHERE id = $DOWN")" done \
    "resumed plan state"
expect_eq "$(counter off)" 200 "power-offs received in all"
expect_eq "$(per_host_max off)" 1 "power-offs received by any one BMC"

# --- 3. a host that never powers on; the threshold pauses ----------------
start_bmcsim --count 10 --base 127.0.17.1 --user admin --password s3cret-pw \
    --seed 32 --power-delay-ms 300 --ignore-power 3
sed -i 's/^  compute: {hosts: "127.0.16.\[41-200\]"}$/&\n  spare: {hosts: "127.0.17.[1-10]"}/' \
    "$W/fleet.yaml"
grep -q '^  spare:' "$W/fleet.yaml" || fail "could not add the spare group"
run_to stuck "$BMCFLEET" power on @spare "${C[@]}" --batch 5 --timeout 3s &&
    fail "a plan with a stuck host reported success"
ST=$(plan_id "$RUN_OUT")
expect_eq "$(sql "SELECT state FROM power_plan WHERE id = $ST")" paused \
    "plan with a failure over the threshold"
expect_eq "$(sql "SELECT state || ' ' || error FROM power_plan_host
    WHERE plan_id = $ST AND name = '127.0.17.3'")" \
    "failed not on after 3 s (power off)" "the stuck host"
expect_eq "$(sql "SELECT count(*) FROM power_plan_host WHERE plan_id = $ST
    AND state = 'confirmed'")" 4 "hosts of the batch that did come on"
expect_eq "$(sql "SELECT count(*) FROM power_plan_host WHERE plan_id = $ST
    AND batch = 1 AND state = 'pending'")" 5 "hosts of the next batch untouched"

# --- 6. the webhook ---------------------------------------------------------
poll_until 10 eval 'grep -q "\"plan\": $UP, \"state\": \"done\"" "$W/hooks"' ||
    fail "no plan-done notification for plan $UP"
grep -q "\"event\": \"plan-start\", \"plan\": $UP" "$W/hooks" ||
    fail "no plan-start notification for plan $UP"
grep -q "\"event\": \"plan-pause\", \"plan\": $ST" "$W/hooks" ||
    fail "no plan-pause notification for plan $ST"
msg "webhook: $(wc -l <"$W/hooks") notifications received"

# --- 8. soft-off that takes too long: a hard off after the timeout --------
run_to soft "$BMCFLEET" power off "127.0.17.[4-5]" "${C[@]}" --soft \
    --timeout 1s || fail "soft power off failed"
SO=$(plan_id "$RUN_OUT")
expect_eq "$(sql "SELECT count(*) FROM audit_log WHERE plan_id = $SO
    AND operation = 'off' AND detail = 'soft-off timed out: hard off'")" 2 \
    "hard offs after the soft-off timeout"
expect_eq "$(sql "SELECT count(*) FROM power_plan_host WHERE plan_id = $SO
    AND state = 'confirmed' AND power_after = 'off'")" 2 \
    "hosts confirmed off"

# --- 7. bmcfleetd runs a plan applied --at a time ----------------------
cat >"$W/later.yaml" <<'EOF'
stages:
  - {name: two-off, targets: "127.0.17.[1-2]", op: off}
EOF
run_to later "$BMCFLEET" plan apply "$W/later.yaml" "${C[@]}" --at 2s ||
    fail "plan apply --at failed"
LATER=$(plan_id "$RUN_OUT")
expect_eq "$(sql "SELECT state FROM power_plan WHERE id = $LATER")" scheduled \
    "a plan applied --at"
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
"$BMCFLEETD" "${C[@]}" --what dcmi >"$W/daemon.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/daemon.log" 0
poll_until 60 eval '[[ $(sql "SELECT state FROM power_plan WHERE id = $LATER") == done ]]' ||
    fail "bmcfleetd did not run plan $LATER: $(tail -n 5 "$W/daemon.log")"
kill "$dpid"
grep -q "plan $LATER is due" "$W/daemon.log" || fail "the daemon did not say"
msg "bmcfleetd ran plan $LATER when it was due"

run_to audit "$BMCFLEET" audit "${C[@]}" --plan "$ST" || fail "audit failed"
grep -q '127.0.17.3 ' <<<"$RUN_OUT" || fail "audit does not show the stuck host"
msg "ok"
