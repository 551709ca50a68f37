#!/usr/bin/env bash
# A collector whose memory of the sensors' states is stale never loses a
# state change (schema 008, collector/sensorids.h: readings that repeat
# the remembered state go under a per-BMC claim the trigger checks).
#
#   4 bmcsim BMCs on 127.0.168.[1-4], readings frozen (--reading-window-ms
#   0: every sweep reads the same states); bmcfleetd sweeping every 1 s,
#   one process throughout, so its memory outlives the sweeps.  Two probe
#   triggers on sensor_reading, named to fire before and after the state
#   trigger (PostgreSQL fires them by name), note per statement the claims
#   the writer set and the BMCs the state trigger sent to resync.
#   - steady sweeps: a statement whose claims name all 4 BMCs leaves no BMC
#     to resync (the claims held: the lookups were skipped), and no
#     sensor_event is written (nothing moved)
#   - another writer: readings inserted in SQL, dated now, move a threshold
#     and a discrete sensor of .1 and .3 off what their BMC serves (through
#     the trigger's whole path: last_state, sensor_event, the digest).
#     bmcfleetd's memory still holds the old states.
#   - once each of those sensors has a reading dated after that write
#     committed: its last_state (and last_states) is what the BMC serves
#     again, with a sensor_event for the change back; every BMC's
#     bmc_state_digest is the one recomputed from sensor; every sensor's
#     last_state is its newest reading's; the claims of .1 and .3 failed
#     (resync: exactly those two) while those of .2 and .4 held; and a
#     later sweep's claims hold for all 4 again (the resync learnt)
#
# Then two other writers at once: both move a nominal threshold sensor of
# .2 to critical, the second waiting on the first's row lock; the next
# reading after both must move it back, and the digest must stay its
# sensors' states'.  It failed before schema 008 locked the sensors it
# moves (each writer's trigger XORed the same change into the digest,
# which was then as before while the sensor was critical: the claims
# held, the change back was skipped for good).  STATE_CLAIMS_RACE=0
# leaves it out.
#
# Planted faults, each of which must make the test fail:
#   PLANT_FAULT=trust-claims     the trigger skips every reading sent under
#                                claims, holding or not: the change back
#                                is lost
#   PLANT_FAULT=distrust-claims  the trigger fails every claim: nothing is
#                                lost, but no sweep takes the claims path
set -u
. "$(dirname "$0")/../interop/lib.sh"

BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
[[ -x $BMCFLEETD ]] || fail "bmcfleetd is not built: $BMCFLEETD"
PLANT_FAULT=${PLANT_FAULT:-}
case $PLANT_FAULT in
'' | trust-claims | distrust-claims) ;;
*) fail "PLANT_FAULT='$PLANT_FAULT': expected trust-claims or distrust-claims" ;;
esac
[[ -n $PLANT_FAULT ]] && msg "PLANT_FAULT=$PLANT_FAULT: this run must fail"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-claims.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 4 --base 127.0.168.1 --user admin --password s3cret-pw \
    --power on --seed 168 --reading-window-ms 0 --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.168.[1-4]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 1s
  traps: {listen: off}
EOF
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" ||
    fail "db migrate failed"

# the probes: one row per statement inserting readings, before the state
# trigger (the claims as the writer set them) and after it (the BMCs sent
# to resync: claims that did not hold, or could not)
sql "CREATE TABLE claims_probe (
	id	bigserial PRIMARY KEY,
	at	timestamptz NOT NULL DEFAULT clock_timestamp(),
	xid	bigint NOT NULL DEFAULT txid_current(),
	phase	text NOT NULL,
	claims	text,
	resync	text,
	n	bigint NOT NULL
);
CREATE FUNCTION claims_probe() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
	INSERT INTO claims_probe (phase, claims, resync, n)
	SELECT TG_ARGV[0], current_setting('bmcfleet.claims', true),
	    current_setting('bmcfleet.resync', true), count(*) FROM probe_rows;
	RETURN NULL;
END \$\$;
CREATE TRIGGER sensor_reading_probe_before AFTER INSERT ON sensor_reading
    REFERENCING NEW TABLE AS probe_rows FOR EACH STATEMENT
    EXECUTE FUNCTION claims_probe('before');
CREATE TRIGGER sensor_reading_state_probe_after AFTER INSERT
    ON sensor_reading REFERENCING NEW TABLE AS probe_rows FOR EACH STATEMENT
    EXECUTE FUNCTION claims_probe('after');" >/dev/null ||
    fail "cannot make the probe triggers"
# claimed [SINCE]: per statement that carried claims (after SINCE), "the
# BMC IDs claimed|the BMC IDs sent to resync|readings", ascending IDs
claimed() {
	sql "SELECT (SELECT string_agg(x, ',' ORDER BY x::bigint) FROM
	    unnest(string_to_array(b.claims, ',')) c,
	    split_part(c, ':', 1) x) || '|' ||
	    coalesce((SELECT string_agg(DISTINCT x, ',') FROM
	    unnest(string_to_array(nullif(a.resync, ''), ',')) x), '') || '|' ||
	    a.n
	    FROM claims_probe a JOIN LATERAL (SELECT claims FROM claims_probe
		WHERE xid = a.xid AND id < a.id AND phase = 'before'
		ORDER BY id DESC LIMIT 1) b ON true
	    WHERE a.phase = 'after' AND b.claims <> ''
	    AND a.at > ${1:-'-infinity'}::timestamptz ORDER BY a.id"
}
# held_all [SINCE]: a statement whose claims named every BMC held them all
held_all() {
	local all
	all=$(sql "SELECT string_agg(id::text, ',' ORDER BY id) FROM bmc")
	claimed "${1:-}" | grep -q "^$all||[1-9]"
}

# plant FROM TO: the state trigger with its text FROM replaced by TO
plant() {
	sql "DO \$\$ DECLARE f text := pg_get_functiondef(
	    'bmcfleet_sensor_state'::regproc); BEGIN
	    IF strpos(f, '$1') = 0 THEN
		RAISE 'no claims check to plant the fault in';
	    END IF;
	    EXECUTE replace(f, '$1', '$2');
	    END \$\$" || fail "cannot plant the fault"
}
case $PLANT_FAULT in
trust-claims)
	plant 'IF cardinality(stale) = 0 THEN' 'IF true THEN'
	msg "PLANT_FAULT=trust-claims: every reading under claims skipped" ;;
distrust-claims)
	plant 'WHERE c.digest IS NULL OR' 'WHERE true OR'
	msg "PLANT_FAULT=distrust-claims: every claim fails" ;;
esac

"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
DPID=$!
_lib_register "$DPID" bmcfleetd "$W/d.log" 0
# the first sweep stores the sensors (readings by name), the next ones go
# by ID: repeated states under claims, which hold
poll_until 20 held_all ||
    fail "no sweep's claims held for all 4 BMCs in 20 s: $(claimed | tail -n 5)
$(tail -n 5 "$W/d.log")"
msg "a sweep's claims held for every BMC (BMC IDs|resync|readings): $(claimed | tail -n 1)"
expect_eq "$(sql "SELECT count(*) FROM bmc")" 4 "BMCs stored"
expect_eq "$(sql "SELECT count(*) FROM sensor_event")" 0 \
    "sensor events while every BMC served the same states"

# another writer: for .1 and .3, a threshold sensor that is nominal and a
# discrete one with state bits, moved away from what their BMCs serve
sql "CREATE TABLE foreign_write AS
    SELECT DISTINCT ON (s.bmc_id, s.kind) s.id, s.bmc_id, s.kind,
	s.last_state AS served, s.last_states AS served_states,
	CASE s.kind WHEN 'threshold' THEN 'critical' ELSE 'warning' END AS state,
	CASE s.kind WHEN 'threshold' THEN NULL ELSE s.last_states # 1 END
	    AS states
    FROM sensor s JOIN bmc b ON b.id = s.bmc_id
    WHERE b.name IN ('127.0.168.1', '127.0.168.3')
	AND ((s.kind = 'threshold' AND s.last_state = 'nominal') OR
	(s.kind = 'discrete' AND s.last_states IS NOT NULL))
    ORDER BY s.bmc_id, s.kind, s.id" >/dev/null ||
    fail "cannot choose the sensors"
expect_eq "$(sql "SELECT count(*) FROM foreign_write")" 4 \
    "sensors chosen (a threshold and a discrete one on each of 2 BMCs)"
digest_before=$(sql "SELECT string_agg(digest::text, ',' ORDER BY bmc_id)
    FROM bmc_state_digest")
TC=$(sql "SELECT bmcfleet_reading_partition((now() AT TIME ZONE 'UTC')::date);
    INSERT INTO sensor_reading (sensor_id, bmc_id, ts, state, states)
    SELECT id, bmc_id, now(), state, states FROM foreign_write" >/dev/null &&
    sql "SELECT clock_timestamp()") || fail "the foreign write failed"
msg "foreign write committed at $TC: $(sql "SELECT string_agg(b.name || ' '
    || f.kind || ' ' || f.id || ' ' || served || coalesce('/' ||
    served_states, '') || ' -> ' || state || coalesce('/' || states, ''),
    ', ' ORDER BY f.id) FROM foreign_write f JOIN bmc b ON b.id = f.bmc_id")"
# it went the whole way: moved, told, digested
expect_eq "$(sql "SELECT count(*) FROM foreign_write f JOIN sensor s
    ON s.id = f.id WHERE (s.last_state, s.last_states) IS NOT DISTINCT FROM
    (f.state, f.states)")" 4 "sensors moved by the foreign write"
expect_eq "$(sql "SELECT count(*) FROM sensor_event")" 4 \
    "sensor events of the foreign write"
[[ $(sql "SELECT string_agg(digest::text, ',' ORDER BY bmc_id)
    FROM bmc_state_digest") != "$digest_before" ]] ||
    fail "the foreign write left every digest as it was"

# the collector's next readings of those sensors, read after the write
# committed (so stored after it too): each must move its sensor back
readings_after() {
	[[ $(sql "SELECT count(DISTINCT r.sensor_id) FROM sensor_reading r
	    JOIN foreign_write f ON f.id = r.sensor_id
	    WHERE r.ts > '$TC'") == 4 ]]
}
poll_until 15 readings_after ||
    fail "no reading after the foreign write for some of its sensors in 15 s: $(tail -n 3 "$W/d.log")"
# 1. the state the BMC serves, again, and its newest reading says so
lost=$(sql "SELECT string_agg(f.id || ': ' || s.last_state ||
    coalesce('/' || s.last_states, '') || ', served ' || f.served ||
    coalesce('/' || f.served_states, '') || ', newest reading ' ||
    r.state || coalesce('/' || r.states, ''), '; ' ORDER BY f.id)
    FROM foreign_write f JOIN sensor s ON s.id = f.id
    JOIN LATERAL (SELECT state, states FROM sensor_reading
	WHERE sensor_id = f.id ORDER BY ts DESC LIMIT 1) r ON true
    WHERE (s.last_state, s.last_states, r.state, r.states) IS DISTINCT FROM
	(f.served, f.served_states, f.served, f.served_states)")
[[ -z $lost ]] || fail "a state change lost: sensor $lost"
# 2. the change back, told
expect_eq "$(sql "SELECT count(*) FROM foreign_write f JOIN sensor_event e
    ON e.sensor_id = f.id AND e.at > '$TC' AND e.old_state = f.state
    AND e.old_states IS NOT DISTINCT FROM f.states AND e.new_state = f.served
    AND e.new_states IS NOT DISTINCT FROM f.served_states")" 4 \
    "sensor events for the changes back"
expect_eq "$(sql "SELECT count(*) FROM sensor_event")" 8 \
    "sensor events in all (4 away, 4 back)"
# 3. every BMC's digest is its sensors' states' (a BMC missing on either
# side counts as a mismatch; none compared is a failure)
digests_check() {
	local ndig nbad
	read -r ndig nbad < <(sql "SELECT count(*), count(*) FILTER (WHERE
	    g.digest IS DISTINCT FROM c.digest) FROM bmc_state_digest g
	    FULL JOIN (SELECT bmc_id, bmcfleet_xor(bmcfleet_state_hash(id,
		last_state, last_states)) AS digest FROM sensor
		WHERE last_state IS NOT NULL GROUP BY bmc_id) c
	    ON c.bmc_id = g.bmc_id" | tr '|' ' ')
	expect_eq "$ndig" 4 "BMCs with a digest"
	expect_eq "$nbad" 0 "digests that are not their sensors' states'"
}
digests_check
# 4. every sensor's state is its newest reading's (none 'na')
read -r nsens nbad < <(sql "SELECT count(*), count(*) FILTER (WHERE
    (s.last_state, s.last_states) IS DISTINCT FROM (r.state, r.states))
    FROM sensor s JOIN LATERAL (SELECT state, states FROM sensor_reading
	WHERE sensor_id = s.id AND state <> 'na' ORDER BY ts DESC LIMIT 1) r
    ON true" | tr '|' ' ')
((nsens > 0)) || fail "no sensor with a reading"
expect_eq "$nbad" 0 "sensors whose state is not their newest reading's (of $nsens)"
msg "$nsens sensors' states and 4 digests as their readings say"
# 5. the claims of the BMCs written to failed, the others' held
after=$(claimed "'$TC'")
msg "claims since the foreign write (BMC IDs|resync|readings): $(tr '\n' ' ' <<<"$after")"
[[ -n $after ]] || fail "no reading under claims since the foreign write"
expect_eq "$(cut -d'|' -f2 <<<"$after" | tr ',' '\n' | sed '/^$/d' |
    sort -n -u | paste -sd,)" \
    "$(sql "SELECT string_agg(DISTINCT bmc_id::text, ',') FROM foreign_write")" \
    "BMCs whose claims did not hold since the foreign write"
# 6. learnt again: a later sweep's claims hold for every BMC
t2=$(sql "SELECT clock_timestamp()")
poll_until 10 held_all "'$t2'" ||
    fail "no sweep's claims held for all 4 BMCs after the resync: $(claimed "'$t2'")"

# the race: A moves the sensor and holds its
# transaction open (an advisory lock says when it has), B does the same
# and waits on A's row lock, A commits, then B
if [[ ${STATE_CLAIMS_RACE:-1} == 1 ]]; then
	X=$(sql "SELECT s.id || ' ' || s.bmc_id FROM sensor s
	    JOIN bmc b ON b.id = s.bmc_id WHERE b.name = '127.0.168.2'
	    AND s.kind = 'threshold' AND s.last_state = 'nominal'
	    ORDER BY s.id LIMIT 1")
	[[ -n $X ]] || fail "race: no nominal threshold sensor on 127.0.168.2"
	read -r XID XBMC <<<"$X"
	ins="INSERT INTO sensor_reading (sensor_id, bmc_id, ts, state)
	    VALUES ($XID, $XBMC, now(), 'critical')"
	"$PSQL" -X -q -At -v ON_ERROR_STOP=1 -d "$PG_CONN" -c "BEGIN" \
	    -c "$ins" -c "SELECT pg_advisory_xact_lock(168)" \
	    -c "SELECT pg_sleep(3)" -c "COMMIT" >"$W/race-a.out" 2>&1 &
	apid=$!
	_lib_register "$apid" "psql A" "$W/race-a.out" 0
	a_waits() {
		(($(sql "SELECT count(*) FROM pg_locks WHERE
		    locktype = 'advisory' AND granted") > 0))
	}
	poll_until 5 a_waits || fail "race: writer A took no advisory lock"
	t0=$(_lib_now_ms)
	sql "$ins" || fail "race: writer B failed"
	waited=$(($(_lib_now_ms) - t0))
	wait "$apid" || fail "race: writer A failed: $(cat "$W/race-a.out")"
	((waited >= 1000)) ||
	    fail "race: B did not wait for A ($waited ms): no race to test"
	TC=$(sql "SELECT clock_timestamp()")
	msg "race: sensor $XID moved to critical by two writers at once (B waited $waited ms): $(sql "SELECT last_state FROM sensor WHERE id = $XID")"
	read_since() {
		(($(sql "SELECT count(*) FROM sensor_reading
		    WHERE sensor_id = $XID AND ts > '$TC'") > 0))
	}
	poll_until 15 read_since ||
	    fail "race: no reading of sensor $XID after the writers in 15 s"
	expect_eq "$(sql "SELECT last_state FROM sensor WHERE id = $XID")" \
	    nominal "race: sensor $XID's state after its next reading (nominal, served again; events: $(sql "SELECT string_agg(old_state || ' -> ' || new_state, ', ' ORDER BY id) FROM sensor_event WHERE sensor_id = $XID"))"
	digests_check
fi

kill -TERM "$DPID"
poll_until 15 eval '! kill -0 '"$DPID"' 2>/dev/null' ||
    fail "bmcfleetd did not stop on SIGTERM"
wait "$DPID"
expect_eq "$?" 0 "bmcfleetd's exit status"
grep -c 'bmcfleetd: sweep [0-9]*:' "$W/d.log" | sed "s/^/$TEST_NAME: sweeps: /"
msg "ok"
