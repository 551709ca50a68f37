#!/usr/bin/env bash
# A cipher suite learned once is not pinned for ever (issue 11, item 14):
# every collector.suite_recheck the BMC's list is read afresh, and a
# renegotiation that ends weaker than before is logged as a downgrade.
#
#   127.0.11.51 offers 3 and 17 but its profile says 3 (learned in a bad
#   moment): after the recheck the collector uses 17 again.
#   127.0.11.52 offers only 3 now but its profile says 17 (the BMC was
#   reconfigured, or the list forged): the pinned 17 fails, the suite goes
#   back to negotiation, 3 is taken, and the log says "17 -> 3: a
#   downgrade".
set -u
. "$(dirname "$0")/../interop/lib.sh"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-suite.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 1 --base 127.0.11.51 --user admin --password s3cret-pw \
    --seed 51 --quiet
start_bmcsim --count 1 --base 127.0.11.52 --user admin --password s3cret-pw \
    --seed 52 --suites 3 --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.11.[51-52]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 1s
  suite_recheck: 3s
EOF2
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
run_to first "$BMCFLEET" collect -c "$W/fleet.yaml" || fail "first collect failed"
# what the sweep negotiated is each BMC's profile, for direct mode too
# (bmcfleet(1) PROFILES; lib.sh's XDG_CACHE_HOME is this test's own)
for h in 51 52; do
	grep -qx 'by collector' \
	    "$XDG_CACHE_HOME/bmcfleet/sdr/profile/127.0.11.$h-623" ||
	    fail "the collector wrote no profile for 127.0.11.$h"
done
suite() {
	sql "SELECT p.cipher_suite FROM bmc_profile p JOIN bmc b
	    ON b.id = p.bmc_id WHERE b.name = '$1'"
}
expect_eq "$(suite 127.0.11.51)" 17 "suite negotiated with .51"
expect_eq "$(suite 127.0.11.52)" 3 "suite negotiated with .52"
# as if learned in a bad moment, and before a reconfiguration
sql "UPDATE bmc_profile p SET cipher_suite = CASE b.name
    WHEN '127.0.11.51' THEN 3 ELSE 17 END FROM bmc b WHERE b.id = p.bmc_id" \
    >/dev/null

BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d.log" 0
# a sweep pinned to the preloaded suite first, then the recheck
poll_until 15 eval '[[ $(suite 127.0.11.51) == 17 ]]' ||
    fail ".51 still on suite $(suite 127.0.11.51) after 15 s: $(cat "$W/d.log")"
poll_until 10 grep -q '127.0.11.52: cipher suite 17 -> 3: a downgrade' \
    "$W/d.log" || fail "no downgrade logged for .52: $(cat "$W/d.log")"
kill -TERM "$dpid"
poll_until 10 eval '! kill -0 '"$dpid"' 2>/dev/null' ||
    fail "bmcfleetd did not stop"
expect_eq "$(grep -c 'a downgrade' "$W/d.log")" 1 "downgrades logged"
expect_no_match "$(cat "$W/d.log")" '127\.0\.11\.51: cipher suite' \
    "an upgrade is not a downgrade"
msg "ok"
