#!/usr/bin/env bash
# Events commit in the order of their ids (schema 005): two transactions
# adding SEL events, as two bmcfleetd writers would, the first holding its
# transaction open: the second waits for it, and its row's id is the
# higher.  Without this, a reader by id (the alert engine's cursors,
# events --follow) that had seen the second could never see the first.
set -u
. "$(dirname "$0")/../interop/lib.sh"

start_pg
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" ||
    fail "db migrate failed"
sql "INSERT INTO bmc (name, address) VALUES ('order-1', '127.0.0.1')" ||
    fail "bmc insert failed"
# ev N: a SEL event row for order-1 (its raw bytes from N)
ev() {
	printf "INSERT INTO sel_event (bmc_id, record_id, raw, record_type,
	    severity) SELECT id, %d, decode(lpad(to_hex(%d), 32, '0'), 'hex'),
	    2, 'critical' FROM bmc WHERE name = 'order-1' RETURNING id" "$1" "$1"
}
# A: its event inserted, then 2 s before its commit
"$PSQL" -X -q -At -v ON_ERROR_STOP=1 -d "$PG_CONN" \
    -c "BEGIN" -c "$(ev 1)" -c "SELECT pg_sleep(2)" -c "COMMIT" \
    >"$TEST_LOGDIR/$TEST_NAME.a.out" 2>&1 &
apid=$!
_lib_register "$apid" "psql A" "$TEST_LOGDIR/$TEST_NAME.a.out" 0
poll_until 5 eval '[[ $(sql "SELECT count(*) FROM pg_locks WHERE locktype = '"'advisory'"' AND granted") -ge 1 ]]' ||
    fail "transaction A took no advisory lock"
t0=$(_lib_now_ms)
b_id=$(sql "$(ev 2)") || fail "B's insert failed"
waited=$(($(_lib_now_ms) - t0))
wait "$apid" || fail "transaction A failed: $(cat "$TEST_LOGDIR/$TEST_NAME.a.out")"
a_id=$(sed -n 1p "$TEST_LOGDIR/$TEST_NAME.a.out")
msg "A: id $a_id; B: id $b_id, waited $waited ms for A's commit"
((waited >= 1000)) || fail "B did not wait for A ($waited ms)"
((b_id > a_id)) || fail "B's id $b_id is not above A's $a_id"
msg "ok"
