#!/usr/bin/env bash
# Direct mode's rail and trail (cli/rail.c), against 5 bmcsim BMCs on
# 127.0.63.[1-5] and a throwaway PostgreSQL; the config sets
# scheduler.confirm_limit 2 and names the database:
#   - power off on 3 hosts from a script without --yes: refused (exit 2,
#     naming --yes), the BMCs still on, no audit row
#   - on a terminal (script(1)) answering n: "not confirmed: nothing
#     done", exit 1, the BMCs still on
#   - with --yes: done, one audit row per host (no plan, the OS user,
#     operation off, result ok), shown by `bmcfleet audit`
#   - sel clear: the same rail (refused: entries kept; --yes: cleared,
#     rows sel-clear)
#   - a host that fails: its row says failed and why
#   - a database that cannot be reached: "audit not written", the command
#     done and its exit status 0
#   - host lists: node[1-999999] refused at once; 127.0.63.1-3 named as a
#     range that needs brackets
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool script

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-rail.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 5 --base 127.0.63.1 --user admin --password rail-pw \
    --power on --power-delay-ms 100 --dead 5 --seed 63 --quiet
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
scheduler:
  confirm_limit: 2
EOF2
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
export BMCFLEET_CONFIG=$W/fleet.yaml BMCFLEET_PASSWORD=rail-pw
unset BMCFLEET_DB
D=(-U admin -E --timeout 200 --retries 1)
ME=$(id -un)

# power states of 127.0.63.[1-3], one word each
states() {
	"$BMCFLEET" -H '127.0.63.[1-3]' "${D[@]}" power status </dev/null |
	    awk '{ printf "%s%s", sep, $2; sep = " " }'
}
rows() { sql "SELECT count(*) FROM audit_log"; }

expect_eq "$(states)" "on on on" "power before"

# a script above the limit without --yes
run_to refused "$BMCFLEET" -H '127.0.63.[1-3]' "${D[@]}" power off
expect_eq "$RUN_RC" 2 "power off without --yes: exit status"
expect_match "$RUN_OUT" "^bmcfleet: power off: 3 hosts, more than the confirm limit \(2\): give --yes" "refusal"
expect_no_match "$RUN_OUT" "127.0.63.1: ok" "refusal"
sleep 0.3
expect_eq "$(states)" "on on on" "power after the refusal"
expect_eq "$(rows)" 0 "audit rows after the refusal"

# a terminal that says no
printf '+ (terminal, answers n) bmcfleet power off\n'
out=$(printf 'n\n' | timeout -k 5 20 script -qec "'$BMCFLEET' -H '127.0.63.[1-3]' -U admin -E power off" /dev/null 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/  | /'
expect_eq "$rc" 1 "declined: exit status"
expect_match "$out" "power off: 3 hosts \(127\.0\.63\.1, 127\.0\.63\.2, 127\.0\.63\.3\)\. Go on\? \[y/N\]" "question"
expect_match "$out" "bmcfleet: not confirmed: nothing done" "declined"
sleep 0.3
expect_eq "$(states)" "on on on" "power after declining"
expect_eq "$(rows)" 0 "audit rows after declining"

# --yes: done and audited
run_to yes "$BMCFLEET" -H '127.0.63.[1-3]' "${D[@]}" power off --yes ||
    fail "power off --yes failed"
expect_eq "$(sql "SELECT string_agg(host || ' ' || operation || ' ' || result || ' ' || who || ' ' || coalesce(plan_id::text, '-'), ',' ORDER BY host) FROM audit_log")" \
    "127.0.63.1 off ok $ME -,127.0.63.2 off ok $ME -,127.0.63.3 off ok $ME -" "audit rows"
poll_until 10 eval '[[ $(states) == "off off off" ]]' ||
    fail "power after --yes: $(states)"
run_to audit "$BMCFLEET" audit -c "$W/fleet.yaml" || fail "bmcfleet audit failed"
expect_eq "$(grep -c '127\.0\.63\.[123] .*off .*ok' <<<"$RUN_OUT")" 3 "bmcfleet audit lines"

# sel clear: the same rail
entries() {
	"$BMCFLEET" -H 127.0.63.2 "${D[@]}" sel info --format json </dev/null |
	    python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["sel"]["entries"])'
}
before=$(entries)
((before > 0)) || fail "sel info: $before entries"
run_to selrefused "$BMCFLEET" -H '127.0.63.[1-3]' "${D[@]}" sel clear
expect_eq "$RUN_RC" 2 "sel clear without --yes: exit status"
expect_match "$RUN_OUT" "^bmcfleet: sel clear: 3 hosts, more than the confirm limit" "sel clear refusal"
expect_eq "$(entries)" "$before" "SEL entries after the refusal"
run_to selyes "$BMCFLEET" -H '127.0.63.[1-3]' "${D[@]}" sel clear --yes ||
    fail "sel clear --yes failed"
(($(entries) < before)) || fail "SEL not cleared: $(entries) entries"
expect_eq "$(sql "SELECT count(*) FROM audit_log WHERE operation = 'sel-clear' AND result = 'ok' AND plan_id IS NULL")" 3 "sel-clear rows"

# a failed host (127.0.63.5 never answers), at the limit: no question
run_to dead "$BMCFLEET" -H '127.0.63.[4-5]' "${D[@]}" --deadline 2s power on
expect_eq "$RUN_RC" 1 "power on a dead host: exit status"
expect_eq "$(sql "SELECT string_agg(host || ' ' || result, ',' ORDER BY host) FROM audit_log WHERE operation = 'on'")" \
    "127.0.63.4 ok,127.0.63.5 failed" "rows of a failed host"
expect_match "$(sql "SELECT detail FROM audit_log WHERE host = '127.0.63.5'")" "." "the failed row's detail"

# no database to be had: said, and the command still done
t0=$(_lib_now_ms)
run_to nodb "$BMCFLEET" -H 127.0.63.1 "${D[@]}" --db "host=$W/nosocket dbname=x" power on ||
    fail "power on with a dead database failed"
expect_match "$RUN_OUT" "^bmcfleet: warning: audit not written: " "no database"
expect_match "$RUN_OUT" "^127\.0\.63\.1: ok" "no database"
(($(_lib_now_ms) - t0 < 10000)) || fail "a dead database held the command"

# host lists
t0=$(_lib_now_ms)
run_to huge "$BMCFLEET" -v -H 'node[1-999999]' "${D[@]}" power status
expect_eq "$RUN_RC" 2 "node[1-999999]: exit status"
expect_match "$RUN_OUT" "expands to 999999 hosts, more than 100000 \(--max-hosts N raises the limit\)" "node[1-999999]"
(($(_lib_now_ms) - t0 < 2000)) || fail "node[1-999999] took $(($(_lib_now_ms) - t0)) ms"
run_to dash "$BMCFLEET" -H '127.0.63.1-3' "${D[@]}" power status
expect_eq "$RUN_RC" 2 "127.0.63.1-3: exit status"
expect_match "$RUN_OUT" "a range needs brackets: did you mean 127\.0\.63\.\[1-3\]\?" "127.0.63.1-3"
run_to count "$BMCFLEET" -v -H '127.0.63.[1-2],127.0.63.1' "${D[@]}" power status ||
    fail "power status -v failed"
expect_match "$RUN_OUT" "^bmcfleet: -H '127\.0\.63\.\[1-2\],127\.0\.63\.1': 2 hosts \(duplicates dropped\)" "-v count"
msg "ok"
