#!/usr/bin/env bash
# bmcfleet db migrate and db version find the database as every fleet
# command does: --db, else $BMCFLEET_DB, else database: in the config
# (-c FILE, else $BMCFLEET_CONFIG, else /etc/bmcfleet/bmcfleet.yaml).
#   - a config naming the database: `db migrate -c FILE` with no --db and
#     no BMCFLEET_DB migrates it; --config=FILE and $BMCFLEET_CONFIG too
#   - --db and $BMCFLEET_DB win over the config's database
#   - a config without database:, a broken one, a missing one: said
set -u
. "$(dirname "$0")/../interop/lib.sh"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-dbconfig.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
unset BMCFLEET_DB BMCFLEET_CONFIG BMCFLEET_SCHEMA_DIR PGHOST PGPORT PGDATABASE PGUSER
nfiles=$(ls "$TOP"/schema/[0-9]*_*.sql | wc -l)
((nfiles >= 1)) || fail "no migrations in $TOP/schema"

for d in other third; do
	sql "CREATE DATABASE $d" >/dev/null || fail "CREATE DATABASE $d"
done
OTHER=${PG_CONN/dbname=bmcfleet/dbname=other}
THIRD=${PG_CONN/dbname=bmcfleet/dbname=third}
[[ $OTHER != "$PG_CONN" ]] || fail "cannot derive a conninfo for database other"
# version DBNAME: how many migrations that database holds (0: none)
version() {
	"$PSQL" -X -q -At -d "${PG_CONN/dbname=bmcfleet/dbname=$1}" -c \
	    "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE (SELECT count(*) FROM schema_migrations) END" ||
	    fail "psql on $1"
}

printf 'database: "%s"\n' "$PG_CONN" >"$W/fleet.yaml"
printf 'database: "host=%s/nowhere dbname=nope connect_timeout=2"\n' \
    "$PG_DIR" >"$W/elsewhere.yaml"
printf 'collector: {concurrency: 4}\n' >"$W/nodb.yaml"
printf 'database: "%s"\ncollector: {concurency: 4}\n' "$PG_CONN" >"$W/broken.yaml"

# --- the config's database ----------------------------------------------------
run_to migrate "$BMCFLEET" db migrate -c "$W/fleet.yaml"
expect_eq "$RUN_RC" 0 "db migrate -c FILE"
expect_match "$RUN_OUT" '^applied 001_init \([0-9]+ ms\)$' "db migrate -c FILE"
expect_eq "$(version bmcfleet)" "$nfiles" "db migrate -c FILE: migrations applied"
run_to version1 "$BMCFLEET" db version --config="$W/fleet.yaml"
expect_eq "$RUN_RC" 0 "db version --config=FILE"
expect_match "$RUN_OUT" '^schema version [0-9]+ \(up to date\)$' "db version --config=FILE"
run_to version2 env BMCFLEET_CONFIG="$W/fleet.yaml" "$BMCFLEET" db version
expect_eq "$RUN_RC" 0 "db version with \$BMCFLEET_CONFIG"
expect_match "$RUN_OUT" '^schema version [0-9]+ \(up to date\)$' \
    "db version with \$BMCFLEET_CONFIG"
# the option may come before the command
run_to version3 "$BMCFLEET" db --config "$W/fleet.yaml" version
expect_eq "$RUN_RC" 0 "db --config FILE version"

# --- --db and $BMCFLEET_DB win -------------------------------------------------
run_to over-db "$BMCFLEET" db migrate -c "$W/elsewhere.yaml" --db "$OTHER"
expect_eq "$RUN_RC" 0 "--db over the config's"
expect_eq "$(version other)" "$nfiles" "--db over the config's: migrated"
run_to over-env env BMCFLEET_DB="$THIRD" "$BMCFLEET" db migrate -c "$W/fleet.yaml"
expect_eq "$RUN_RC" 0 "\$BMCFLEET_DB over the config's"
expect_match "$RUN_OUT" '^applied 001_init ' "\$BMCFLEET_DB over the config's"
expect_eq "$(version third)" "$nfiles" "\$BMCFLEET_DB over the config's: migrated"
run_to cfg-over-env env BMCFLEET_CONFIG="$W/elsewhere.yaml" "$BMCFLEET" db version -c "$W/fleet.yaml"
expect_eq "$RUN_RC" 0 "-c over \$BMCFLEET_CONFIG"

# --- what is missing is said -------------------------------------------------------
run_to nodb "$BMCFLEET" db migrate -c "$W/nodb.yaml"
expect_eq "$RUN_RC" 1 "a config without database:"
expect_eq "$RUN_OUT" "bmcfleet: no database: give --db CONNINFO, set BMCFLEET_DB, or database: in $W/nodb.yaml" \
    "a config without database:"
# no config at all (none given, none at /etc/bmcfleet/bmcfleet.yaml)
if [[ ! -e /etc/bmcfleet/bmcfleet.yaml ]]; then
	run_to noconfig "$BMCFLEET" db migrate
	expect_eq "$RUN_RC" 1 "no config"
	expect_eq "$RUN_OUT" "bmcfleet: no database: give --db CONNINFO, set BMCFLEET_DB, or database: in the config (-c FILE)" \
	    "no config"
fi
run_to broken "$BMCFLEET" db migrate -c "$W/broken.yaml"
expect_eq "$RUN_RC" 2 "a broken config"
expect_match "$RUN_OUT" "^bmcfleet: $W/broken.yaml:2:[0-9]+: .*concurency" "a broken config"
run_to missing "$BMCFLEET" db version -c "$W/none.yaml"
expect_eq "$RUN_RC" 2 "a missing config"
expect_match "$RUN_OUT" "$W/none.yaml" "a missing config"
run_to unreachable "$BMCFLEET" db version -c "$W/elsewhere.yaml"
expect_eq "$RUN_RC" 1 "the config's database not reachable"
expect_match "$RUN_OUT" '^bmcfleet: cannot connect to the database: ' \
    "the config's database not reachable"
msg "ok"
