#!/usr/bin/env bash
# What a power plan tells the operator (issue 13, "Plans"), against 12
# bmcsim BMCs on 127.0.67.[1-12] and a throwaway PostgreSQL:
#
#   1. plan apply stores and says that the plan is not running and how to
#      start it; the preview gives the rule a batch starts by (when the
#      batch before is verified, no sooner than the interval), not "+2s".
#   2. plan run says the plan started (stages, hosts) and how to follow
#      it; progress is in words (no plan-start, batch-done); the end is a
#      tally: turned on, skipped, failed; plan status shows the same tally.
#   3. a batch whose hosts are all on already does not wait its interval:
#      power on over 4 batches 6 s apart, only the first with hosts off,
#      ends in well under one interval.
#   4. failed hosts are named, with the reason, in the tally.
#   5. status, run, resume and abort of a plan that does not exist say
#      "no plan 99" and exit 1; abort of a finished plan says it is done.
#   6. audit --format json and csv keep the event names (plan-start) and
#      the table says them in words; --format rejects other words.
#   7. hosts in natural order (.7 .. .12, not .10 .11 .12 .7) in plan
#      status --hosts and in the audit (the order a batch is run in).
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-planmsg.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
RUN_TIMEOUT=60

start_bmcsim --count 12 --base 127.0.67.1 --user admin --password s3cret-pw \
    --seed 67 --power off --power-delay-ms 200 --quiet
# 127.0.67.50: configured, nobody answers there
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
defaults:
  timeout: 300ms
  retries: 1
groups:
  low: {hosts: "127.0.67.[1-6]"}
  high: {hosts: "127.0.67.[7-12]"}
  dead: {hosts: "127.0.67.50"}
collector:
  spool_dir: $W/spool
power:
  default_watts: 400
scheduler:
  confirm_limit: 100
  poll_interval: 200ms
EOF
C=(-c "$W/fleet.yaml")
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"

# --- 1. apply: stored, not running; the preview's rule ---------------------
cat >"$W/up.yaml" <<'EOF'
name: up
stages:
  - {name: low, targets: "@low", op: on, batch: 3, interval: 1s}
  - {name: high, targets: "@high", op: on, after: [low], batch: 6}
EOF
run_to apply "$BMCFLEET" plan apply "$W/up.yaml" "${C[@]}" ||
    fail "plan apply failed"
OUT=$RUN_OUT
UP=$(sed -n 's/^plan \([0-9]*\) stored, not running: start it with bmcfleet plan run \1$/\1/p' <<<"$OUT")
[[ -n $UP ]] || fail "plan apply did not say the plan is stored, not running"
expect_match "$OUT" '^  batch 1: 3 host\(s\), est\. [0-9]+ W with inrush, starts first$' \
    "stage low's first batch"
expect_match "$OUT" '^  batch 2: 3 host\(s\), .*, starts when batch 1 is verified, no sooner than 1s after it started$' \
    "stage low's second batch"
expect_match "$OUT" '^  batch 1: 6 host\(s\), .*, starts when stage low is over$' \
    "stage high's batch"
expect_no_match "$OUT" 'starts at \+' "the preview"
expect_eq "$(sql "SELECT state FROM power_plan WHERE id = $UP")" stored \
    "the applied plan's state"

# --- 2. run: started, words, the tally ----------------------------------
run_to run "$BMCFLEET" plan run "$UP" "${C[@]}" || fail "plan run failed"
OUT=$RUN_OUT
expect_eq "$(head -n 1 <<<"$OUT")" \
    "plan $UP started (2 stages, 12 hosts); follow it: bmcfleet plan status $UP" \
    "the first line of plan run"
expect_match "$OUT" '^stage low: batch 2/2 verified: 3 turned on, 0 skipped, 0 failed$' \
    "a batch's end"
expect_no_match "$OUT" 'plan-|batch-(start|done)' "plan run's output"
expect_eq "$(tail -n 1 <<<"$OUT")" \
    "plan $UP done: 12 turned on, 0 skipped, 0 failed" "the tally"
run_to status "$BMCFLEET" plan status "$UP" "${C[@]}" ||
    fail "plan status failed"
expect_match "$RUN_OUT" "^tally: 12 turned on, 0 skipped, 0 failed$" \
    "plan status's tally"

# --- 7. natural order: status --hosts and the audit -----------------------
run_to hosts "$BMCFLEET" plan status "$UP" --hosts "${C[@]}" ||
    fail "plan status --hosts failed"
expect_eq "$(awk '$1 == "1" && $2 == "1" { printf "%s ", $3 }' <<<"$RUN_OUT")" \
    "127.0.67.7 127.0.67.8 127.0.67.9 127.0.67.10 127.0.67.11 127.0.67.12 " \
    "stage high's hosts in plan status --hosts"
run_to audit-csv "$BMCFLEET" audit --plan "$UP" --format csv "${C[@]}" ||
    fail "audit --format csv failed"
expect_eq "$(head -n 1 <<<"$RUN_OUT")" \
    "at,who,origin,plan,stage,batch,host,operation,result,duration_ms,before,after,detail,id" \
    "audit csv header"
expect_eq "$(python3 -c 'import csv, sys
print(" ".join(r["host"] for r in csv.DictReader(sys.stdin)
               if r["stage"] == "1" and r["operation"] == "on"))' <<<"$RUN_OUT")" \
    "127.0.67.7 127.0.67.8 127.0.67.9 127.0.67.10 127.0.67.11 127.0.67.12" \
    "stage high's commands in the audit"
expect_match "$RUN_OUT" ',plan-start,' "audit csv: the event's name"

# --- 6. audit --format json; the table in words ---------------------------
run_to audit-json "$BMCFLEET" audit --plan "$UP" --format json "${C[@]}" ||
    fail "audit --format json failed"
expect_eq "$(python3 -c 'import json, sys
rows = json.load(sys.stdin)
ops = [r["operation"] for r in rows]
print(len(rows), ops[0], ops[-1], sum(o == "verify" for o in ops),
      type(rows[0]["plan"]).__name__)' <<<"$RUN_OUT")" \
    "$(sql "SELECT count(*) FROM audit_log WHERE plan_id = $UP") plan-apply plan-done 12 int" \
    "audit json: rows, first and last operation, verifications, plan type"
run_to audit-table "$BMCFLEET" audit --plan "$UP" "${C[@]}" ||
    fail "audit failed"
expect_match "$RUN_OUT" ' plan started ' "audit table: plan started"
expect_match "$RUN_OUT" ' batch started ' "audit table: batch started"
expect_no_match "$RUN_OUT" 'plan-|batch-start' "audit table"
run_to audit-bad "$BMCFLEET" audit --format xml "${C[@]}" &&
    fail "audit --format xml succeeded"
expect_eq "$RUN_RC" 2 "audit --format xml's exit status"
expect_match "$RUN_OUT" "^bmcfleet: --format 'xml': expected table, json or csv$"
run_to audit-empty "$BMCFLEET" audit --plan 999 --format json "${C[@]}" ||
    fail "audit of no rows failed"
expect_eq "$RUN_OUT" "[]" "audit json of no rows"

# --- 3. batches of hosts already on do not wait ---------------------------
run_to off3 "$BMCFLEET" power off "127.0.67.[1-3]" "${C[@]}" ||
    fail "power off of 3 hosts failed"
expect_match "$RUN_OUT" '^plan [0-9]+ started \(1 stage, 3 hosts\); follow it: bmcfleet plan status [0-9]+$'
expect_match "$RUN_OUT" '^plan [0-9]+ done: 3 turned off, 0 skipped, 0 failed$'
expect_no_match "$RUN_OUT" 'stored' "power's output"
t0=$(_lib_now_ms)
run_to skipwait "$BMCFLEET" power on @low,@high "${C[@]}" --batch 3 \
    --interval 6s || fail "power on over 4 batches failed"
elapsed=$(($(_lib_now_ms) - t0))
msg "power on, 4 batches 6 s apart, 3 of them already on: $elapsed ms"
expect_match "$RUN_OUT" '^plan [0-9]+ done: 3 turned on, 9 skipped \(already on\), 0 failed$'
expect_match "$RUN_OUT" '^stage on: batch 4/4 verified: 0 turned on, 3 skipped \(already on\), 0 failed$'
((elapsed < 5000)) ||
    fail "batches with nothing to send waited their interval ($elapsed ms)"

# --- 4. failed hosts named --------------------------------------------------
run_to dead "$BMCFLEET" power off "@dead,127.0.67.1" "${C[@]}" --retries 0
expect_eq "$RUN_RC" 1 "exit status of a plan with a failed host"
expect_match "$RUN_OUT" '^plan [0-9]+ (done|so far): 1 turned off, 0 skipped, 1 failed: 127\.0\.67\.50 \(.+\)$' \
    "the tally names the failed host"
DEAD=$(sed -n 's/^plan \([0-9]*\) started.*/\1/p' <<<"$RUN_OUT")
[[ -n $DEAD ]] || fail "power off printed no plan ID"

# --- 5. plans that do not exist, and a finished one -------------------------
for verb in status run resume abort; do
	run_to "missing-$verb" "$BMCFLEET" plan "$verb" 99 "${C[@]}" &&
	    fail "plan $verb 99 succeeded"
	expect_eq "$RUN_RC" 1 "plan $verb 99's exit status"
	expect_match "$RUN_OUT" '^bmcfleet: no plan 99( |$)' "plan $verb 99"
	expect_no_match "$RUN_OUT" '^(ID|STAGE)' "plan $verb 99"
done
run_to abort-done "$BMCFLEET" plan abort "$UP" "${C[@]}" &&
    fail "abort of a finished plan succeeded"
expect_eq "$RUN_OUT" "bmcfleet: plan $UP is done: nothing to abort"
run_to run-done "$BMCFLEET" plan run "$UP" "${C[@]}" &&
    fail "run of a finished plan succeeded"
expect_eq "$RUN_OUT" "bmcfleet: plan $UP is done: nothing to run"
msg "ok"
