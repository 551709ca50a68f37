#!/usr/bin/env bash
# bmcfleetd on SIGHUP (issue 11, item 13): the config is reloaded, the
# database it now names is used (the writer and the lease connection
# reconnect), and the daemon goes on sweeping; a broken config is refused
# and the running one kept.  Before, the daemon kept a pointer into the
# freed old config for its conninfo.
set -u
. "$(dirname "$0")/../interop/lib.sh"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-reload.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 5 --base 127.0.11.61 --user admin --password s3cret-pw \
    --seed 61 --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
sql "CREATE DATABASE other" >/dev/null
OTHER=${PG_CONN/dbname=bmcfleet/dbname=other}
config() {	# config CONNINFO
	cat >"$W/fleet.yaml" <<EOF2
database: "$1"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.11.[61-65]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 1s
EOF2
}
for c in "$PG_CONN" "$OTHER"; do
	run_to migrate "$BMCFLEET" db migrate --db "$c" || fail "db migrate failed"
done
results() {	# results CONNINFO: collection results stored there
	"$PSQL" -X -q -At -d "$1" -c "SELECT count(*) FROM collection_result"
}
config "$PG_CONN"
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d.log" 0
poll_until 20 eval '(( $(results "$PG_CONN") >= 5 ))' ||
    fail "no sweep stored in the first database: $(cat "$W/d.log")"

# a broken config: refused, the fleet kept, sweeps go on
printf 'collector: [\n' >"$W/fleet.yaml"
kill -HUP "$dpid"
poll_until 10 grep -q 'reload of .* refused' "$W/d.log" ||
    fail "the broken config was not refused: $(cat "$W/d.log")"
n=$(results "$PG_CONN")
poll_until 10 eval '(( $(results "$PG_CONN") > '"$n"' ))' ||
    fail "sweeps stopped after a refused reload"

# the database moves: the next sweeps land in the other one
config "$OTHER"
kill -HUP "$dpid"
poll_until 10 grep -q 'database changed: reconnecting' "$W/d.log" ||
    fail "no reconnect said: $(cat "$W/d.log")"
poll_until 20 eval '(( $(results "$OTHER") >= 5 ))' ||
    fail "no sweep stored in the new database: $(cat "$W/d.log")"
kill -TERM "$dpid"
poll_until 10 eval '! kill -0 '"$dpid"' 2>/dev/null' ||
    fail "bmcfleetd did not stop"
grep 'bmcfleetd:' "$W/d.log" | sed "s/^/$TEST_NAME: /" | tail -n 6
msg "ok"
