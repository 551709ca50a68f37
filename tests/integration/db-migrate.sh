#!/usr/bin/env bash
# bmcfleet db migrate against a throwaway PostgreSQL (deploy/pg.sh): the
# schema applies, a second run applies nothing, a database newer than
# bmcfleet is refused, a broken migration rolls back and is named with its
# line, two migrators at once apply each migration once.
set -u
. "$(dirname "$0")/../interop/lib.sh"

# The server's own psql: /usr/bin/psql is a Perl wrapper, 10x slower to start.
PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -t/ -k5,5 -n |
    tail -n 1)
if [[ -z $PSQL ]] || ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
	skip "no PostgreSQL server (run deploy/install-deps.sh)"
fi
[[ -x $BMCFLEET ]] || fail "bmcfleet is not built: $BMCFLEET"

t_start=$(_lib_now_ms)
PG=$TOP/deploy/pg.sh
PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-pg.XXXXXX") || fail "mktemp failed"
TMPS=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-schema.XXXXXX") || fail "mktemp failed"
_lib_tmpdirs+=("$TMPS")

# Stop the cluster before lib.sh's exit handler reports and cleans up.
_set_rc() { return "$1"; }
_db_on_exit() {
	local rc=$?
	"$PG" stop "$PGDIR" >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1 ||
	    msg "deploy/pg.sh stop failed; see $TEST_LOGDIR/$TEST_NAME.pg.log"
	rm -rf -- "$PGDIR"
	_set_rc "$rc"
	_lib_on_exit
}
trap _db_on_exit EXIT

msg "starting PostgreSQL in $PGDIR"
CONN=$("$PG" start "$PGDIR" --no-fsync 2>>"$TEST_LOGDIR/$TEST_NAME.pg.log") ||
    fail "deploy/pg.sh start failed: $(tail -n 20 "$TEST_LOGDIR/$TEST_NAME.pg.log")"
msg "up in $(($(_lib_now_ms) - t_start)) ms: $CONN"
expect_eq "$("$PG" conninfo "$PGDIR")" "$CONN" "pg.sh conninfo"
again=$("$PG" start "$PGDIR" 2>/dev/null) || fail "a second pg.sh start failed"
expect_eq "$again" "$CONN" "pg.sh start again"
"$PG" status "$PGDIR" >/dev/null || fail "pg.sh status: not running"

export BMCFLEET_DB=$CONN
unset BMCFLEET_SCHEMA_DIR PGHOST PGPORT PGDATABASE PGUSER

sql() {
	"$PSQL" -X -q -t -A -v ON_ERROR_STOP=1 -d "$1" -c "$2" 2>&1 ||
	    fail "psql: $2"
}

# The migrations this tree holds; the build reads them from $TOP/schema.
latest=0
nfiles=0
for f in "$TOP"/schema/[0-9]*_*.sql; do
	v=${f##*/}
	v=$((10#${v%%_*}))
	((v > latest)) && latest=$v
	nfiles=$((nfiles + 1))
done
((latest >= 1)) || fail "no migrations in $TOP/schema"

# --- a new database -----------------------------------------------------
run_to version0 "$BMCFLEET" db version
expect_eq "$RUN_RC" 0 "db version on a new database"
expect_match "$RUN_OUT" "^schema version 0, $nfiles migrations? pending" \
    "db version on a new database"

run_to dry "$BMCFLEET" db migrate --dry-run
expect_eq "$RUN_RC" 0 "migrate --dry-run"
expect_match "$RUN_OUT" '^would apply 001_init$' "migrate --dry-run"
expect_eq "$(sql "$CONN" "SELECT to_regclass('schema_migrations')")" "" \
    "--dry-run created nothing"

run_to migrate "$BMCFLEET" db migrate
expect_eq "$RUN_RC" 0 "migrate"
expect_match "$RUN_OUT" '^applied 001_init \([0-9]+ ms\)$' "migrate"
expect_match "$RUN_OUT" "^at version $latest\$" "migrate"

run_to again "$BMCFLEET" db migrate
expect_eq "$RUN_RC" 0 "migrate again"
expect_eq "$RUN_OUT" "up to date at version $latest" "migrate again"

run_to version "$BMCFLEET" db version
expect_eq "$RUN_OUT" "schema version $latest (up to date)" "db version"

expect_eq "$(sql "$CONN" "SELECT version || ' ' || name FROM schema_migrations WHERE version = 1")" \
    "1 init" "schema_migrations row"
expect_eq "$(sql "$CONN" "SELECT count(*) FROM schema_migrations")" \
    "$nfiles" "one row per migration"
for t in bmc bmc_group bmc_profile sdr_cache sensor sensor_reading \
    sel_event sel_cursor fru_snapshot inventory_change power_state \
    power_reading collection_run collection_result collector_lease; do
	expect_eq "$(sql "$CONN" "SELECT to_regclass('$t') IS NOT NULL")" t \
	    "table $t"
done

# --- a database newer than bmcfleet ---------------------------------------
future=$((latest + 1))
sql "$CONN" "INSERT INTO schema_migrations (version, name) VALUES ($future, 'future')" >/dev/null
for mode in "" --dry-run; do
	run_to "newer$mode" "$BMCFLEET" db migrate $mode
	expect_eq "$RUN_RC" 1 "migrate $mode on a newer database"
	expect_match "$RUN_OUT" "database is at version $future, this bmcfleet knows up to $latest: upgrade bmcfleet" \
	    "migrate $mode on a newer database"
	expect_no_match "$RUN_OUT" '^applied' "migrate $mode on a newer database"
done
run_to version-newer "$BMCFLEET" db version
expect_match "$RUN_OUT" "^schema version $future, newer than this bmcfleet" \
    "db version on a newer database"
expect_eq "$(sql "$CONN" "SELECT count(*) FROM schema_migrations")" \
    "$((nfiles + 1))" "nothing applied to a newer database"
sql "$CONN" "DELETE FROM schema_migrations WHERE version = $future" >/dev/null

# --- a broken migration ---------------------------------------------------
cp "$TOP"/schema/[0-9]*_*.sql "$TMPS"/
ok=$(printf '%03d_ok' "$((latest + 1))")
broken=$(printf '%03d_broken' "$((latest + 2))")
cat >"$TMPS/$ok.sql" <<'EOF'
-- a good migration before the bad one: it stays applied
CREATE TABLE mig_ok (a integer);
EOF
cat >"$TMPS/$broken.sql" <<'EOF'
-- rolled back as a whole
CREATE TABLE mig_broken (a integer);
INSERT INTO mig_broken VALUES (1);

CREATE INDEX mig_broken_idx
    ON no_such_table (a);
EOF
export BMCFLEET_SCHEMA_DIR=$TMPS
run_to broken "$BMCFLEET" db migrate
expect_eq "$RUN_RC" 1 "broken migration"
expect_match "$RUN_OUT" "^applied $ok \\([0-9]+ ms\\)\$" "broken migration"
expect_match "$RUN_OUT" "migration $TMPS/$broken.sql failed at line 5: relation \"no_such_table\" does not exist \\(rolled back; the database stays at version $((latest + 1))\\)" \
    "broken migration"
expect_eq "$(sql "$CONN" "SELECT to_regclass('mig_ok') IS NOT NULL, to_regclass('mig_broken') IS NULL")" \
    "t|t" "broken migration rolled back, the one before kept"
expect_eq "$(sql "$CONN" "SELECT max(version) FROM schema_migrations")" \
    "$((latest + 1))" "version after the broken migration"

# a syntax error: the server's position gives the line
printf 'CREATE TABLE mig_broken (a integer);\nSELECT 1;\nSELEC 2;\n' \
    >"$TMPS/$broken.sql"
run_to syntax "$BMCFLEET" db migrate
expect_eq "$RUN_RC" 1 "syntax error"
expect_match "$RUN_OUT" "migration $TMPS/$broken.sql failed at line 3: syntax error at or near \"SELEC\"" \
    "syntax error"

# fixed, it applies
printf 'CREATE TABLE mig_broken (a integer);\n' >"$TMPS/$broken.sql"
run_to fixed "$BMCFLEET" db migrate
expect_eq "$RUN_RC" 0 "fixed migration"
expect_match "$RUN_OUT" "^applied $broken " "fixed migration"
expect_match "$RUN_OUT" "^at version $((latest + 2))\$" "fixed migration"
unset BMCFLEET_SCHEMA_DIR

# --- two migrators at once ------------------------------------------------
sql "$CONN" "CREATE DATABASE race" >/dev/null
RACE=${CONN/dbname=bmcfleet/dbname=race}
[[ $RACE != "$CONN" ]] || fail "cannot derive a conninfo for database race"
pids=()
for i in 1 2 3; do
	timeout -k 5 30 "$BMCFLEET" db migrate --db "$RACE" \
	    >"$TMPS/race$i.out" 2>&1 &
	pids[i]=$!
done
for i in 1 2 3; do
	wait "${pids[i]}"
	rc=$?
	sed 's/^/  | /' "$TMPS/race$i.out"
	expect_eq "$rc" 0 "concurrent migrator $i"
done
expect_eq "$(cat "$TMPS"/race*.out | grep -c '^applied 001_init ')" 1 \
    "001_init applied by exactly one migrator"
expect_eq "$(sql "$RACE" "SELECT count(*) FROM schema_migrations")" \
    "$nfiles" "concurrent migrators: one row per migration"

# --- errors ---------------------------------------------------------------
run_to noconn "$BMCFLEET" db migrate --db "host=$PGDIR/none dbname=bmcfleet connect_timeout=2"
expect_eq "$RUN_RC" 1 "no server"
expect_match "$RUN_OUT" '^bmcfleet: cannot connect to the database: ' "no server"
run_to nodb env -u BMCFLEET_DB "$BMCFLEET" db migrate
expect_eq "$RUN_RC" 1 "no database given"
expect_match "$RUN_OUT" 'no database: give --db CONNINFO, set BMCFLEET_DB, or database: in the config' \
    "no database given"
run_to usage "$BMCFLEET" db frobnicate
expect_eq "$RUN_RC" 2 "unknown db command"

# --- stop -----------------------------------------------------------------
"$PG" stop "$PGDIR" 2>>"$TEST_LOGDIR/$TEST_NAME.pg.log" || fail "pg.sh stop failed"
"$PG" status "$PGDIR" >/dev/null
expect_eq "$?" 3 "pg.sh status after stop"
msg "ok in $(($(_lib_now_ms) - t_start)) ms"
