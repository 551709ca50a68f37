#!/usr/bin/env bash
# A power plan stops within 2 s of SIGTERM (issue 11, item 13): the
# commands in flight are abandoned, the plan is paused with the reason,
# and `plan resume` finishes it with each host powered on exactly once
# (bmcsim's own count of power-on commands).
#
# 20 bmcsim BMCs on 127.0.18.1-20 that take 2 s to power on; one stage of
# 4 batches of 5, 3 s apart: SIGTERM lands in the second batch.
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-plansig.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
STATS=$W/stats.json
start_bmcsim --count 20 --base 127.0.18.1 --user admin --password s3cret-pw \
    --seed 18 --power-delay-ms 2000 --stats "$STATS" --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
defaults:
  timeout: 500ms
  retries: 4
groups:
  all20: {hosts: "127.0.18.[1-20]"}
collector:
  spool_dir: $W/spool
power:
  default_watts: 500
scheduler:
  confirm_limit: 1000
  poll_interval: 300ms
EOF2
C=(-c "$W/fleet.yaml")
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
counter() {	# the sum of bmcsim's counter $1, and the most of one BMC
	rm -f "$STATS"
	kill -USR1 "$BMCSIM_PID"
	poll_until 5 test -s "$STATS" || fail "bmcsim wrote no stats"
	python3 -c 'import json, sys
v = [json.loads(l).get(sys.argv[1], 0) for l in open(sys.argv[2]) if l.strip()]
print(sum(v), max(v))' "$1" "$STATS"
}
cat >"$W/up.yaml" <<'EOF2'
stages:
  - {name: up, targets: "@all20", op: on, batch: 5, interval: 3s}
EOF2
run_to apply "$BMCFLEET" plan apply "$W/up.yaml" "${C[@]}" ||
    fail "plan apply failed"
ID=$(sed -n 's/^plan \([0-9]*\) stored.*/\1/p' <<<"$RUN_OUT" | head -n 1)
[[ -n $ID ]] || fail "plan apply printed no plan ID"
"$BMCFLEET" plan run "$ID" "${C[@]}" >"$W/run.log" 2>&1 &
epid=$!
_lib_register "$epid" "plan run" "$W/run.log" 0
# mid-plan: the second batch started
poll_until 30 eval '(( $(sql "SELECT count(*) FROM audit_log WHERE
    plan_id = '"$ID"' AND operation = '"'"'batch-start'"'"'") >= 2 ))' ||
    fail "the plan's second batch did not start: $(cat "$W/run.log")"
t0=$(_lib_now_ms)
kill -TERM "$epid"
poll_until 10 eval '! kill -0 '"$epid"' 2>/dev/null' ||
    fail "plan run did not stop within 10 s of SIGTERM"
t=$(($(_lib_now_ms) - t0))
wait "$epid"
rc=$?
msg "SIGTERM mid-plan: plan run gone in $t ms, exit $rc"
((t <= 2000)) || fail "plan run took $t ms to stop (bound 2 s)"
expect_eq "$(sql "SELECT state FROM power_plan WHERE id = $ID")" paused \
    "plan state after SIGTERM"
expect_match "$(sql "SELECT reason FROM power_plan WHERE id = $ID")" \
    "stopped by a signal" "the reason stored"
read -r ons most < <(counter on)
msg "power-ons before the resume: $ons"
((ons < 20)) || fail "the plan finished before the signal"
run_to resume "$BMCFLEET" plan resume "$ID" "${C[@]}" ||
    fail "plan resume failed"
expect_eq "$(sql "SELECT state FROM power_plan WHERE id = $ID")" done \
    "resumed plan state"
read -r ons most < <(counter on)
expect_eq "$ons" 20 "power-on commands bmcsim received in all"
expect_eq "$most" 1 "power-ons received by any one BMC"
msg "ok"
