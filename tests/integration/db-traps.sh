#!/usr/bin/env bash
# Data-safety traps a new user falls into (issue 11, item 16):
#   1. collect against a database never migrated: refused before any BMC
#      is asked (bmcsim's session count stays 0), exit 1, "run bmcfleet db
#      migrate"; nothing is spooled, nothing moved to spool/failed.
#   2. a batch the server refuses because a table is missing is kept in
#      the spool (not failed/), and lands once the table is back.
#   3. a 3-host config against a 20-BMC database does not retire the 17
#      others: they are kept and named; --retire retires them; a config
#      missing one BMC of twenty retires it, loudly.
#   4. labels and groups longer than any fixed buffer, with multi-byte
#      UTF-8 and quotes: the fleet batch is taken whole (they used to be
#      cut mid-character or lose their ']', and every batch was refused).
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-traps.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 20 --base 127.0.13.1 --user admin --password s3cret-pw \
    --power on --seed 13 --stats "$W/stats.json" --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
config() {	# config NAME HOSTS
	cat >"$W/$1.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "$2"}
collector:
  spool_dir: $W/spool
EOF2
}
sessions() {	# bmcsim's count of sessions opened, all BMCs
	rm -f "$W/stats.json"
	kill -USR1 "$BMCSIM_PID"
	poll_until 10 test -s "$W/stats.json" || fail "bmcsim wrote no --stats"
	sleep 0.2
	python3 -c 'import json, sys
print(sum(json.loads(l)["sessions"] for l in open(sys.argv[1])))' "$W/stats.json"
}
batches() { find "$W/spool" -maxdepth 1 -type f -name '*.batch' 2>/dev/null | wc -l; }
failed() { find "$W/spool/failed" -type f 2>/dev/null | wc -l; }
config all "127.0.13.[1-20]"
RUN_TIMEOUT=90

# --- 1. never migrated --------------------------------------------------
run_to unmigrated "$BMCFLEET" collect -c "$W/all.yaml" --db-wait 3
expect_eq "$RUN_RC" 1 "collect against an unmigrated database: exit status"
expect_match "$RUN_OUT" "no bmcfleet schema: run .bmcfleet db migrate." \
    "the message names the fix"
expect_no_match "$RUN_OUT" "ERROR:|relation .* does not exist" \
    "no raw SQL errors"
expect_eq "$(sessions)" 0 "BMCs asked before the refusal"
expect_eq "$(failed)" 0 "batches moved to spool/failed"

# --- 2. a missing table keeps the batch -------------------------------------
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
sql "ALTER TABLE sel_event RENAME TO sel_event_away" >/dev/null
run_to missing "$BMCFLEET" collect -c "$W/all.yaml" --db-wait 3
expect_eq "$RUN_RC" 1 "collect with a table missing: exit status"
expect_match "$RUN_OUT" "lacks bmcfleet's schema .*run .bmcfleet db migrate.*waits in the spool" \
    "the writer says the batch waits"
expect_eq "$(failed)" 0 "batches moved to spool/failed with a table missing"
kept=$(batches)
((kept > 0)) || fail "no batch kept in the spool"
msg "$kept batch(es) kept in the spool"
sql "ALTER TABLE sel_event_away RENAME TO sel_event" >/dev/null
run_to back "$BMCFLEET" collect -c "$W/all.yaml" --db-wait 20
expect_eq "$RUN_RC" 0 "collect once the table is back"
expect_eq "$(batches)" 0 "batches left in the spool"
n=$(sql "SELECT count(DISTINCT bmc_id) FROM sel_event")
expect_eq "$n" 20 "BMCs with SEL events stored, the kept batches included"

# --- 3. retiring ---------------------------------------------------------
config three "127.0.13.[1-3]"
run_to three "$BMCFLEET" collect -c "$W/three.yaml"
expect_eq "$RUN_RC" 0 "collect with a 3-host config"
expect_match "$RUN_OUT" "17 of the database's 20 BMCs are not in this config and were kept \(127\.0\.13\.10, " \
    "the kept BMCs are said and named"
expect_eq "$(sql "SELECT count(*) FROM bmc WHERE retired_at IS NOT NULL")" 0 \
    "BMCs retired without --retire"
run_to nineteen_ok "$BMCFLEET" collect -c "$W/all.yaml" '127.0.13.1'
config nineteen "127.0.13.[1-19]"
run_to nineteen "$BMCFLEET" collect -c "$W/nineteen.yaml" '127.0.13.1'
expect_match "$RUN_OUT" "retiring 1 BMC\(s\) no longer in the config: 127\.0\.13\.20" \
    "one BMC of twenty: retired, loudly"
expect_eq "$(sql "SELECT string_agg(name, ',') FROM bmc WHERE retired_at IS NOT NULL")" \
    "127.0.13.20" "the one retired"
run_to retire "$BMCFLEET" collect -c "$W/three.yaml" --retire '127.0.13.1'
expect_match "$RUN_OUT" "retiring 16 BMC\(s\) no longer in the config" \
    "--retire: said"
expect_eq "$(sql "SELECT count(*) FROM bmc WHERE retired_at IS NULL")" 3 \
    "BMCs left after --retire"

# --- 4. long labels and many groups ------------------------------------------
python3 - "$W" "$PG_CONN" <<'PY'
import sys
w, conn = sys.argv[1], sys.argv[2]
note = "d\u00e9j\u00e0\"vu-" * 330   # 2,640 characters, 660 of them 2 bytes
groups = "\n".join('  g%03d-%s: {hosts: "127.0.13.[1-3]"}' % (i, "x" * 40)
    for i in range(60))
open(w + "/long.yaml", "w").write(f'''database: "{conn}"
credentials:
  default: {{user: admin, password_file: {w}/pw}}
groups:
{groups}
bmcs:
  - {{name: 127.0.13.1, labels: {{note: '{note.replace("'", "''")}'}}}}
collector:
  spool_dir: {w}/spool
''')
PY
run_to long "$BMCFLEET" collect -c "$W/long.yaml" --db-wait 20 '127.0.13.1'
expect_eq "$RUN_RC" 0 "collect with long labels and 60 groups"
expect_eq "$(failed)" 0 "batches moved to spool/failed"
expect_eq "$(sql "SELECT char_length(labels ->> 'note') FROM bmc
    WHERE name = '127.0.13.1'")" 2640 "the long label, stored whole"
expect_eq "$(sql "SELECT count(*) FROM bmc_group_member m JOIN bmc b
    ON b.id = m.bmc_id WHERE b.name = '127.0.13.2'")" 60 \
    "groups of a BMC in 60 groups"
msg "ok"
