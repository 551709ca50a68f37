#!/usr/bin/env bash
# bmcfleetd while its database goes silent (issue 11, item 8): every
# database call the loop makes is awaited on the loop with a deadline
# (collector.db_timeout), so a partition to PostgreSQL costs no BMC
# session.  PostgreSQL sits behind pgproxy.py; SIGUSR1 makes the proxy a
# blackhole (it reads nothing and sends nothing, while the kernel still
# acknowledges, so keepalives and tcp_user_timeout see nothing wrong).
#
#   1. sweeps go on while the database is silent: every BMC swept, the
#      loop never stalls past STALL_MS, the silence said ("no answer in")
#   2. SIGTERM during the silence, with a long db_timeout (the writer, or
#      the next sweep's lease query, still waiting): the daemon is gone
#      within 2 s (it stops at once, and waits no longer for a writer
#      that has committed nothing for 1 s; before, it waited --db-wait)
#   3. the proxy heals, a new daemon starts: the rows spooled during the
#      silence land, and sweeps are stored again
#
# Before, the lease claim and the memory's queries were blocking PQexec
# calls: with the proxy silent the daemon froze in one for good, logged
# no sweep, and ignored SIGTERM.
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

STALL_MS=${STALL_MS:-1000}
start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-silent.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 20 --base 127.0.19.1 --user admin --password s3cret-pw \
    --seed 19 --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"

# the proxy, to PostgreSQL's Unix socket
sockdir=$(sed -n 's/.*host=\([^ ]*\).*/\1/p' <<<"$PG_CONN")
pgport=$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"$PG_CONN")
python3 "$TOP/tests/integration/pgproxy.py" 0 "$sockdir/.s.PGSQL.$pgport" \
    >"$W/proxy.out" 2>&1 &
ppid=$!
_lib_register "$ppid" pgproxy "$W/proxy.out" 0
poll_until 10 grep -q '^ready' "$W/proxy.out" || fail "pgproxy did not start"
pport=$(awk '/^ready/ {print $2}' "$W/proxy.out")
VIA="host=127.0.0.1 port=$pport dbname=bmcfleet user=$(id -un)"

config() {	# config DB_TIMEOUT
	DBT=$1
	cat >"$W/fleet.yaml" <<EOF2
database: "$VIA"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.19.[1-20]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 2s
  db_timeout: $DBT
EOF2
}
config 2s
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
results() { sql "SELECT count(*) FROM collection_result"; }
sweeps() { grep -c 'bmcfleetd: sweep [0-9]*:' "$1"; }

"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d1.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d1.log" 0
poll_until 30 eval '(( $(results) >= 20 ))' ||
    fail "no sweep stored through the proxy: $(cat "$W/d1.log")"

# 1. silence
[[ ${PLANT_FAULT:-} == no-blackhole ]] || kill -USR1 "$ppid"
silent_from=$(results)
n0=$(sweeps "$W/d1.log")
poll_until 30 eval '(( $(sweeps "$W/d1.log") >= n0 + 3 ))' ||
    fail "sweeps stopped while the database was silent: $(tail -n 20 "$W/d1.log")"
grep -q 'no answer in' "$W/d1.log" ||
    fail "the silence was not said: $(tail -n 20 "$W/d1.log")"
# the sweeps that began after the silence: all 20 BMCs, each time
tail -n +1 "$W/d1.log" | grep 'bmcfleetd: sweep [0-9]*:' | tail -n 2 >"$W/last"
while read -r line; do
	[[ $line =~ ([0-9]+)\ ok,\ 0\ failed ]] && ((BASH_REMATCH[1] == 20)) ||
	    fail "a sweep during the silence missed BMCs: $line"
	[[ $line =~ longest\ loop\ stall\ ([0-9]+)\ ms ]] ||
	    fail "no loop stall in: $line"
	((BASH_REMATCH[1] <= STALL_MS)) ||
	    fail "the loop stalled ${BASH_REMATCH[1]} ms (bound $STALL_MS): $line"
	msg "silent: $line"
done <"$W/last"
expect_eq "$(results)" "$silent_from" "results stored while silent"

kill -TERM "$dpid"
poll_until 10 eval '! kill -0 '"$dpid"' 2>/dev/null' ||
    fail "bmcfleetd did not stop while the database was silent"
grep -q 'rows wait in the spool' "$W/d1.log" ||
    fail "the stop did not say rows wait: $(tail -n 5 "$W/d1.log")"
(( $(find "$W/spool" -maxdepth 1 -name '[0-9]*' | wc -l) > 0 )) ||
    fail "nothing waits in the spool after the silence"

# 2. SIGTERM while silent, the writer still connected: a daemon with a
# long db_timeout, connected while the proxy is healthy
kill -USR2 "$ppid"
config 60s
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d2.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d2.log" 0
poll_until 30 eval '(( $(results) > silent_from ))' ||
    fail "no sweep stored after healing: $(cat "$W/d2.log")"
silent_from=$(results)
kill -USR1 "$ppid"
# whatever waits on the database now (the writer with a batch, or a lease
# query of the next sweep) waits for 60 s unless SIGTERM ends it
sleep 1.5
t0=$(_lib_now_ms)
kill -TERM "$dpid"
# finer than poll_until's half second
while _lib_alive "$dpid" && (($(_lib_now_ms) - t0 < 10000)); do
	sleep 0.05
done
took=$(($(_lib_now_ms) - t0))
! _lib_alive "$dpid" || fail "bmcfleetd did not stop while the database was silent"
msg "SIGTERM while silent: gone in $took ms"
((took <= 2000)) || fail "bmcfleetd took $took ms to stop (bound 2000): $(tail -n 3 "$W/d2.log")"
msg "$(tail -n 1 "$W/d2.log")"
spooled=$(find "$W/spool" -maxdepth 1 -name '[0-9]*' | wc -l)

# 3. heal: the spool lands, sweeps are stored again
kill -USR2 "$ppid"
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d3.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d3.log" 0
poll_until 30 eval '(( $(find "$W/spool" -maxdepth 1 -name "[0-9]*" | wc -l) == 0 ))' ||
    fail "the spool did not drain after healing: $(tail -n 10 "$W/d3.log")"
after=$(results)
((after >= silent_from + 20)) ||
    fail "the sweeps made during the silence did not land: $silent_from then $after"
kill -TERM "$dpid"
poll_until 10 eval '! kill -0 '"$dpid"' 2>/dev/null' || fail "bmcfleetd did not stop"
msg "$spooled batch(es) spooled during the silence landed: results $silent_from -> $after"
msg "ok"
