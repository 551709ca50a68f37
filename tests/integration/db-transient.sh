#!/usr/bin/env bash
# A batch the server refuses for a reason of the moment (SQLSTATE class
# 40: a deadlock, a serialization failure) is kept and written again, not
# set aside as bad (the fault matrix saw the lease renewal and the
# writer's merge deadlock; the writer then moved the batch, readings and
# all, to spool/failed).  One that keeps failing so (its first try and 5
# retries, 6 times in a row) is set aside, so that it cannot hold up the batches behind it for ever.
# The failures are real server errors: a trigger on collection_result
# raises 40P01 for its first N rows (a sequence counts them: it is not
# rolled back with the transaction).
set -u
. "$(dirname "$0")/../interop/lib.sh"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-transient.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 5 --base 127.0.29.50 --user admin --password s3cret-pw \
    --seed 50 --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.29.[50-54]"}
collector:
  spool_dir: $W/spool
EOF2
plant() {	# plant N: the next N result rows raise a deadlock
	sql "SET client_min_messages = warning;
	    DROP TRIGGER IF EXISTS planted ON collection_result;
	    DROP SEQUENCE IF EXISTS planted_n;
	    CREATE SEQUENCE planted_n;
	    CREATE OR REPLACE FUNCTION planted() RETURNS trigger AS \$\$
	    BEGIN
	      IF nextval('planted_n') <= $1 THEN
	        RAISE EXCEPTION 'planted deadlock' USING ERRCODE = '40P01';
	      END IF;
	      RETURN NEW;
	    END \$\$ LANGUAGE plpgsql;
	    CREATE TRIGGER planted BEFORE INSERT ON collection_result
	    FOR EACH ROW EXECUTE FUNCTION planted()" >/dev/null ||
	    fail "cannot plant the trigger"
}
failed_batches() { find "$W/spool/failed" -name '*.batch' 2>/dev/null | wc -l; }

# 1. twice: the batch waits, is written again, lands whole
plant 2
run_to c1 "$BMCFLEET" collect -c "$W/fleet.yaml" ||
    fail "collect did not write every row after two deadlocks"
grep -q 'not written this time (SQLSTATE 40P01' <<<"$RUN_OUT" ||
    fail "the deadlock was not said"
expect_eq "$(failed_batches)" 0 "batches set aside after two deadlocks"
expect_eq "$(sql "SELECT count(*) FROM collection_result")" 5 \
    "results stored after two deadlocks"

# 2. for ever: set aside after 5 tries, said; the next run is not held up
plant 1000000
"$BMCFLEET" collect -c "$W/fleet.yaml" --db-wait 20 >"$W/c2.out" 2>&1
grep -q 'moved to .*/failed' "$W/c2.out" ||
    fail "a batch failing for ever was not set aside: $(tail -n 5 "$W/c2.out")"
n=$(grep -c 'not written this time' "$W/c2.out")
((n >= 5)) || fail "set aside after $n tries, not 5"
(( $(failed_batches) > 0 )) || fail "nothing in spool/failed"
msg "failing for ever: $n tries, then $(failed_batches) batch(es) set aside"
sql "DROP TRIGGER planted ON collection_result" >/dev/null
run_to c3 "$BMCFLEET" collect -c "$W/fleet.yaml" ||
    fail "the run after the set-aside batch did not write its rows"
msg "ok"
