#!/usr/bin/env bash
# A host given up on mid-request still gets Close Session (found by the
# fault matrix, faults.sh): the driver used to send it only when no
# request was out, so every host failed by deadline while waiting for an
# answer, and every session in flight when the daemon was stopped (the
# spool refusing rows, SIGTERM), stayed open on its BMC until the BMC's
# idle timeout (bmcsim: 60 s).  BMCs have a handful of slots (bmcsim 4):
# after PostgreSQL was away for two sweeps (two sweeps stopped by the
# spool) and one SIGTERM, lossy BMCs refused every session for 40 s.
#
# bmcsim's own count of the sessions each BMC holds open (--stats "open")
# is the oracle; every answer is 400 ms late, so a request is always out
# (127.0.31.1-10 for part 1, 11-20 for part 2):
#   1. bmcfleet --deadline 2s sensors: every host failed "deadline", then
#      no BMC holds a session
#   2. bmcfleetd stopped by SIGTERM mid-sweep: every host "aborted", then
#      no BMC holds a session
# PLANT_FAULT=kill9 leaves a session open the way no client can avoid
# (bmcfleet killed with SIGKILL mid-session) before part 1 counts: the
# check must then fail.
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-leak.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
STATS=$W/stats.json
start_bmcsim --count 10 --base 127.0.31.1 --user admin --password s3cret-pw \
    --power on --seed 31 --latency-ms 400 --stats "$STATS" --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
export BMCFLEET_PASSWORD=s3cret-pw

# open: the sessions the 10 BMCs hold open, summed, after the closes have
# had time to arrive (each is answered 400 ms late, but acted on at once)
open() {
	sleep 1
	rm -f "$STATS"
	kill -USR1 "$BMCSIM_PID"
	poll_until 10 test -s "$STATS" || fail "bmcsim wrote no --stats"
	python3 -c 'import json, sys
print(sum(json.loads(l)["open"] for l in open(sys.argv[1])))' "$STATS"
}

# --- 1. deadline ---------------------------------------------------------
run_to deadline "$BMCFLEET" -H '127.0.31.[1-10]' -U admin -E --timeout 1000 \
    --deadline 4s --no-sdr-cache sensors
expect_match "$RUN_OUT" "10 of 10 hosts failed: 10 deadline" "the summary"
if [[ ${PLANT_FAULT:-} == kill9 ]]; then
	"$BMCFLEET" -H 127.0.31.1 -U admin -E --no-sdr-cache sensors \
	    >/dev/null 2>&1 &
	sleep 3
	kill -9 $!
	msg "PLANT_FAULT=kill9: a bmcfleet killed mid-session"
fi
n=$(open)
msg "after 10 hosts failed by deadline mid-request: $n sessions open"
expect_eq "$n" 0 "sessions left open by hosts failed by deadline"

# --- 2. SIGTERM ------------------------------------------------------------
# other BMCs: none of part 1's sessions on them
STATS=$W/stats2.json
start_bmcsim --count 10 --base 127.0.31.11 --user admin --password s3cret-pw \
    --power on --seed 32 --latency-ms 400 --stats "$STATS" --quiet
start_pg
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.31.[11-20]"}
collector:
  spool_dir: $W/spool
EOF
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d.log" 0
# mid-sweep: every BMC holds a session and the SDR repository is being
# walked.  A cold sweep walks the one repository of these 10 identical
# BMCs once: one host walks it, the nine others wait for that walk with
# their sessions active (they started together and got through the same
# handshake first).  A session still in its handshake is not open on the
# BMC yet, or only half: bmcsim forgets those after 10 s.
poll_until 30 eval '[ "$(python3 -c "import json, sys
b = [json.loads(l) for l in open(sys.argv[1])]
print(sum(x[\"open\"] > 0 for x in b), sum(x[\"get_sdr\"] > 0 for x in b) > 0)" \
    "$STATS" 2>/dev/null)" = "10 True" ] || { kill -USR1 $BMCSIM_PID; false; }' ||
    fail "the daemon's sessions did not get to the SDR walk: $(cat "$W/d.log")"
kill -TERM "$dpid"
poll_until 10 eval '! kill -0 '"$dpid"' 2>/dev/null' || fail "bmcfleetd did not stop"
expect_match "$(cat "$W/d.log")" "sweep 1: 10 hosts due, .*: 0 ok, 10 failed" \
    "the sweep stopped"
n=$(open)
msg "after bmcfleetd stopped mid-sweep: $n sessions open"
expect_eq "$n" 0 "sessions left open by hosts aborted"
msg "ok"
