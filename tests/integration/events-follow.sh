#!/usr/bin/env bash
# bmcfleet events --follow and events ack, against a throwaway PostgreSQL
# (schema 003: sel_event's INSERT trigger announces each event's id on
# bmcfleet_event):
#   - db version says the schema holds 003, with event_ack and the trigger
#   - the tail: the last 10 events, then nothing until a new one
#   - an event committed here shows on a follower's stdout within 1 s
#     (measured from before the INSERT to the line), json lines
#   - a second follower with TARGETS (@rackB) and --severity critical
#     prints exactly the one event that matches of three
#   - the server restarted mid-follow: it says so, reconnects, and prints
#     the event stored while it was away
#   - SIGTERM ends a follower with exit 0
#   - events ack: event_ack and audit_log rows (operation event-ack, the
#     unix user); an unknown ID is refused (exit 2, named), nothing
#     written; the report shows who acked, --unacked hides it
# Events are inserted by SQL: what the collector's merge does to
# sel_event, minus the BMCs.
set -u
. "$(dirname "$0")/../interop/lib.sh"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-follow.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  rackA: {hosts: "127.0.78.[1-2]", labels: {rack: ra}}
  rackB: {hosts: "127.0.78.[3-4]", labels: {rack: rb}}
EOF
printf 'unused\n' >"$W/pw"
chmod 600 "$W/pw"
C=(-c "$W/fleet.yaml")
export BMCFLEET_DB=$PG_CONN

run_to migrate "$BMCFLEET" db migrate || fail "db migrate failed"
latest=0
for f in "$TOP"/schema/[0-9]*_*.sql; do
	v=${f##*/}
	v=$((10#${v%%_*}))
	((v > latest)) && latest=$v
done
((latest >= 3)) || fail "no migration 003 in $TOP/schema"
run_to version "$BMCFLEET" db version
expect_eq "$RUN_OUT" "schema version $latest (up to date)" "db version"
expect_eq "$(sql "SELECT count(*) FROM schema_migrations WHERE version = 3")" 1 \
    "migration 003 applied"
expect_eq "$(sql "SELECT to_regclass('event_ack') IS NOT NULL")" t "event_ack exists"

sql "INSERT INTO bmc (name, address) SELECT '127.0.78.' || i, '127.0.78.' || i
    FROM generate_series(1, 4) i" >/dev/null || fail "insert bmc"
# ev HOST SEVERITY SEQ: one SEL event; prints its id
ev() {
	sql "INSERT INTO sel_event (bmc_id, record_id, raw, record_type, bmc_ts,
	    ts, sensor_type, sensor_number, sensor, direction, description,
	    severity) SELECT id, $3, decode(lpad(to_hex($3), 32, '0'), 'hex'),
	    2, 1790000000 + $3, now(), 'Power Supply', 7, 'PSU$3',
	    'asserted', 'Power Supply AC lost #$3', '$2'
	    FROM bmc WHERE name = '$1' RETURNING id"
}
for i in $(seq 1 12); do
	ev 127.0.78.$((i % 4 + 1)) info "$i" >/dev/null || fail "insert event $i"
done

# follow NAME ARGS...: a follower in the background, its pid in FPID[NAME]
declare -A FPID
follow() {
	local name=$1
	shift
	msg "+ bmcfleet events --follow $*"
	"$BMCFLEET" events --follow "$@" >"$W/$name.out" 2>"$W/$name.err" </dev/null &
	FPID[$name]=$!
	_lib_register "${FPID[$name]}" "follow-$name" "$W/$name.err" 0
}
lines() { [[ -f $1 ]] && wc -l <"$1" || echo 0; }
# wait_lines FILE N SECS: until FILE has N lines, 10 ms steps (bounded)
wait_lines() {
	local i
	for ((i = 0; i < $3 * 100; i++)); do
		(($(lines "$1") >= $2)) && return 0
		sleep 0.01
	done
	return 1
}

follow all "${C[@]}" --format json
follow crit "${C[@]}" @rackB --severity critical
wait_lines "$W/all.out" 10 10 || fail "no tail of 10 from the follower: $(cat "$W/all.err")"
wait_lines "$W/crit.out" 1 10 || fail "no header from the filtered follower: $(cat "$W/crit.err")"
sleep 0.3
expect_eq "$(lines "$W/all.out")" 10 "the tail: the last 10 events"
expect_eq "$(python3 -c 'import json,sys
print(",".join(str(json.loads(l)["record_id"]) for l in open(sys.argv[1])))' "$W/all.out")" \
    "3,4,5,6,7,8,9,10,11,12" "the tail, oldest first"
expect_eq "$(lines "$W/crit.out")" 1 "filtered follower: a header, no event yet"

# one event: on stdout within 1 s of the INSERT's start (psql included)
t0=$(_lib_now_ms)
id13=$(ev 127.0.78.1 warning 13) || fail "insert event 13"
wait_lines "$W/all.out" 11 5 || fail "event $id13 did not show within 5 s"
dt=$(($(_lib_now_ms) - t0))
msg "event $id13: committed to printed in <= $dt ms"
((dt <= 1000)) || fail "event $id13 took $dt ms to show (limit 1000)"
expect_match "$(tail -n 1 "$W/all.out")" "\"event_id\": $id13," "the new event's line"

# filters: of three, only rackB's critical event reaches the second follower
ev 127.0.78.1 critical 14 >/dev/null
ev 127.0.78.3 warning 15 >/dev/null
id16=$(ev 127.0.78.4 critical 16)
wait_lines "$W/all.out" 14 5 || fail "events 14-16 did not reach the follower"
wait_lines "$W/crit.out" 2 5 || fail "event $id16 did not reach the filtered follower"
sleep 0.3
expect_eq "$(lines "$W/crit.out")" 2 "filtered follower: one event of three"
expect_match "$(tail -n 1 "$W/crit.out")" "^[0-9T:Z-]+ +127\.0\.78\.4 +$id16 .* critical .*#16\$" \
    "filtered follower: rackB's critical event"

# a burst: 3000 events in one transaction, each printed once (the
# announcements are read in pieces, after the fetch that printed them)
t0=$(_lib_now_ms)
sql "INSERT INTO sel_event (bmc_id, record_id, raw, record_type, severity,
    description) SELECT b.id, 100 + i, decode(lpad(to_hex(100 + i), 32, '0'),
    'hex'), 2, 'info', 'burst' FROM bmc b, generate_series(1, 3000) i
    WHERE b.name = '127.0.78.2'" >/dev/null || fail "insert the burst"
wait_lines "$W/all.out" 3014 10 || fail "the burst did not reach the follower: $(lines "$W/all.out") lines"
msg "3000 events in one transaction: printed $(($(_lib_now_ms) - t0)) ms after the INSERT began"
sleep 0.5
expect_eq "$(lines "$W/all.out")" 3014 "the burst: 3000 lines"
expect_eq "$(python3 -c 'import json,sys
ids = [json.loads(l)["event_id"] for l in open(sys.argv[1])]
print(len(ids) - len(set(ids)))' "$W/all.out")" 0 "the burst: no event printed twice"
expect_eq "$(lines "$W/crit.out")" 2 "filtered follower: none of the burst"

# the server restarts under the followers: they reconnect and catch up
lastid=$(sql "SELECT max(id) FROM sel_event")
msg "restarting PostgreSQL"
"$TOP/deploy/pg.sh" stop "$PG_DIR" >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1 ||
    fail "pg.sh stop failed"
"$TOP/deploy/pg.sh" start "$PG_DIR" --no-fsync >/dev/null \
    2>>"$TEST_LOGDIR/$TEST_NAME.pg.log" || fail "pg.sh start failed"
id17=$(ev 127.0.78.2 critical 17) || fail "insert event 17"
wait_lines "$W/all.out" 3015 15 || fail "no catch-up after the restart: $(cat "$W/all.err")"
expect_match "$(tail -n 1 "$W/all.out")" "\"event_id\": $id17," "caught up after the restart"
expect_match "$(cat "$W/all.err")" "connection lost" "the loss said"
expect_match "$(cat "$W/all.err")" "reconnected; catching up from event $lastid" "the reconnection said"
id18=$(ev 127.0.78.3 critical 18)
wait_lines "$W/crit.out" 3 10 || fail "event $id18 did not reach the filtered follower after the restart"
expect_match "$(tail -n 1 "$W/crit.out")" "^[0-9T:Z-]+ +127\.0\.78\.3 +$id18 " "filtered follower after the restart"

# SIGTERM: exit 0
for n in all crit; do
	kill -TERM "${FPID[$n]}"
	wait "${FPID[$n]}"
	expect_eq "$?" 0 "follower $n: exit status after SIGTERM"
	for i in "${!_lib_pids[@]}"; do
		[[ ${_lib_pids[i]} == "${FPID[$n]}" ]] && _lib_pids[i]=
	done
done

# events ack
me=$(id -un)
run_to ack "$BMCFLEET" events ack "$id16" "$id17" --note "PSU swapped"
expect_eq "$RUN_RC" 0 "events ack"
expect_eq "$RUN_OUT" "acknowledged 2 events as $me" "events ack says"
expect_eq "$(sql "SELECT string_agg(event_id || ':' || who || ':' || note, ' '
    ORDER BY event_id) FROM event_ack")" "$id16:$me:PSU swapped $id17:$me:PSU swapped" \
    "event_ack rows"
expect_eq "$(sql "SELECT string_agg(host || ':' || who || ':' || result || ':' || detail, ' '
    ORDER BY id) FROM audit_log WHERE operation = 'event-ack'")" \
    "127.0.78.4:$me:ok:event $id16: PSU swapped 127.0.78.2:$me:ok:event $id17: PSU swapped" \
    "audit_log rows"
run_to ack-unknown "$BMCFLEET" events ack "$id13" 999999 999998 --note x
expect_eq "$RUN_RC" 2 "events ack with unknown IDs"
expect_match "$RUN_OUT" "no such event: 999998, 999999 \(nothing acknowledged\)" \
    "unknown IDs named"
expect_eq "$(sql "SELECT count(*) FROM event_ack")" 2 "nothing written for an unknown ID"
expect_eq "$(sql "SELECT count(*) FROM audit_log")" 2 "no audit row for an unknown ID"
run_to ack-bad "$BMCFLEET" events ack 12x
expect_eq "$RUN_RC" 2 "events ack 12x"
run_to ev-acked "$BMCFLEET" events --severity critical --format json
expect_eq "$RUN_RC" 0 "events --format json"
expect_eq "$(printf '%s' "$RUN_OUT" | python3 -c 'import json,sys
print(" ".join("%s:%s" % (e["event_id"], e["acked_by"]) for e in json.load(sys.stdin)))')" \
    "$((id13 + 1)):None $id16:$me $id17:$me $id18:None" "events: acked_by"
run_to ev-table "$BMCFLEET" events --severity critical
expect_match "$RUN_OUT" "^[0-9T:Z-]+ +127\.0\.78\.4 +$id16 .* critical +$me [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z +Power Supply AC lost #16\$" "events table: ACKED column"
run_to ev-unacked "$BMCFLEET" events --severity critical --unacked --format csv
expect_eq "$(printf '%s\n' "$RUN_OUT" | python3 -c 'import csv,sys
print("".join(r["event_id"] + " " for r in csv.DictReader(sys.stdin)))')" \
    "$((id13 + 1)) $id18 " "events --unacked"
msg "ok: follow latency ${dt} ms"
