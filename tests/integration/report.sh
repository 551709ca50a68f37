#!/usr/bin/env bash
# bmcfleet inventory, sensors (without -H) and events: reports from the
# fleet database, checked against the database itself.
#
#   20 bmcsim BMCs on 127.0.14.[1-20], one sweep into a throwaway
#   PostgreSQL, then each report in table, json and csv:
#   - inventory: one row per host whose serials and part numbers are those
#     of the latest FRU snapshot; --all-frus one per device; a PSU swap
#     (SIGUSR2) and a sweep make one --changes row per host
#   - sensors: the latest reading per sensor; two readings written here
#     (warning, critical) are newer, so --state critical shows exactly one
#   - events: --severity, --since/--until and --limit against SQL counts
#   - @group and label targets narrow the reports; BMCs dropped from the
#     config (retired) show only with --retired
#   - errors: an unknown group, a database that does not answer, TARGETS
#     without a config; direct mode's `-H ... sensors` is unchanged
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-report.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 20 --base 127.0.14.1 --user admin --password s3cret-pw \
    --power on --seed 14 --sel-epoch 1790000000 --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
fleet() {	# fleet FILE HOSTS: a config, group rackB holding HOSTS
	cat >"$1" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  rackA: {hosts: "127.0.14.[1-8]", labels: {rack: ra}}
  rackB: {hosts: "$2", labels: {rack: rb}}
collector:
  spool_dir: $W/spool
  fru_interval: 1s
EOF
}
fleet "$W/fleet.yaml" "127.0.14.[9-20]"
C=(-c "$W/fleet.yaml")
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
run_to sweep1 "$BMCFLEET" collect "${C[@]}" || fail "sweep failed"

# rep NAME ARGS...: a report into $W/NAME (stdout only); it must succeed
rep() {
	local name=$1
	shift
	printf '+ bmcfleet %s\n' "$*"
	timeout -k 5 30 "$BMCFLEET" "$@" >"$W/$name" 2>"$W/$name.err" \
	    </dev/null || fail "bmcfleet $* failed: $(cat "$W/$name.err")"
	! grep -Eq "$_lib_sanitizer_re" "$W/$name.err" ||
	    fail "bmcfleet $*: $(cat "$W/$name.err")"
}
# check NAME EXPR EXPECTED WHAT: a Python expression over the report in
# $W/NAME, to equal EXPECTED (as str()); run_checks evaluates them all in
# one python3, which is slow to start.  EXPR sees J (the file as JSON), R
# (as CSV: a dict per row) and F(NAME) (another report's J or R).
: >"$W/checks"
check() {
	printf '%s\0%s\0%s\0%s\0' "$1" "$2" "$3" "$4" >>"$W/checks"
}
cat >"$W/checks.py" <<'EOF'
import csv, json, os, sys
w = sys.argv[1]
cache = {}
def F(name):
    if name not in cache:
        text = open(os.path.join(w, name), newline="").read()
        try:
            cache[name] = json.loads(text)
        except ValueError:
            cache[name] = list(csv.DictReader(text.splitlines()))
    return cache[name]
f = open(os.path.join(w, "checks"), newline="").read().split("\0")
bad = n = 0
for i in range(0, len(f) - 1, 4):
    name, expr, want, what = f[i:i + 4]
    J = R = F(name)
    try:
        got = str(eval("(" + expr + ")"))
    except Exception as e:
        got = "%s: %s" % (type(e).__name__, e)
    n += 1
    if got != want:
        bad += 1
        print("FAIL: %s (%s):\n  expected %r\n  got      %r" % (what, name,
              want, got))
print("%d checks, %d failed" % (n, bad))
sys.exit(1 if bad else 0)
EOF
run_checks() {
	python3 "$W/checks.py" "$W" | sed "s/^/$TEST_NAME: /"
	((PIPESTATUS[0] == 0)) || fail "report checks failed"
	: >"$W/checks"
}
# serials of the latest FRU snapshots, as the CSV and JSON checks print them
latest_fru() {
	sql "SELECT DISTINCT ON (f.bmc_id, f.fru_id) b.name, f.fru_id,
	    coalesce(f.fields ->> 'product.serial', ''),
	    coalesce(f.fields ->> 'board.serial', ''),
	    coalesce(f.fields ->> 'product.part_number', ''),
	    coalesce(f.fields ->> 'chassis.serial', '')
	    FROM fru_snapshot f JOIN bmc b ON b.id = f.bmc_id ${1:-}
	    ORDER BY f.bmc_id, f.fru_id, f.taken_at DESC, f.id DESC" | sort
}
SERIALS='"\n".join(sorted("|".join([r["host"], str(r["fru_id"])] +
    [r[k] or "" for k in ("product_serial", "board_serial",
    "product_part_number", "chassis_serial")]) for r in R))'

# --- inventory --------------------------------------------------------------
rep inv.txt inventory "${C[@]}"
rep inv.json inventory "${C[@]}" --format json
rep inv.csv inventory "${C[@]}" --format csv
expect_eq "$(wc -l <"$W/inv.txt")" 21 "inventory table lines (header + 20)"
expect_match "$(head -n 1 "$W/inv.txt")" \
    '^HOST +MANUFACTURER +PRODUCT +FIRMWARE +IPMI +MODEL +SERIAL ' \
    "inventory table header"
check inv.json 'len(J)' 20 "inventory json rows"
check inv.csv 'len(R)' 20 "inventory csv rows"
want=$(latest_fru "WHERE f.fru_id = 0")
check inv.csv "$SERIALS" "$want" "inventory csv serials vs SQL"
check inv.json "$SERIALS" "$want" "inventory json serials vs SQL"
check inv.json 'all(r["fields"]["product.serial"] == r["product_serial"] and
    r["manufacturer_id"] is not None and r["firmware"] for r in J)' True \
    "inventory json: fields, manufacturer and firmware"
check inv.csv '[r["host"] for r in R][:3]' \
    "['127.0.14.1', '127.0.14.2', '127.0.14.3']" "inventory: natural host order"
# the GUID the sweep stored is the one `mc info` reads from each BMC
export BMCFLEET_PASSWORD=s3cret-pw
run_to mcinfo "$BMCFLEET" -H '127.0.14.[1-20]' -U admin -E --format json \
    mc info || fail "direct mode mc info failed"
printf '%s\n' "$RUN_OUT" >"$W/mcinfo.json"
GUIDS='sorted((r["host"], r["guid"]) for r in J)'
want=$(python3 -c 'import json, sys
print(sorted((r["host"], r["guid"]) for r in json.load(open(sys.argv[1]))))' \
    "$W/mcinfo.json")
[[ $want == *"', '"*-*-* ]] || fail "mc info printed no GUIDs: $want"
check inv.json "$GUIDS" "$want" "inventory GUIDs vs mc info"
s5=$(sql "SELECT f.fields ->> 'product.serial' FROM fru_snapshot f
    JOIN bmc b ON b.id = f.bmc_id WHERE b.name = '127.0.14.5' AND f.fru_id = 0")
expect_match "$(cat "$W/inv.txt")" "^127\.0\.14\.5 .* $s5 " "inventory table row"

rep frus.csv inventory "${C[@]}" --all-frus --format csv
check frus.csv 'len(R)' \
    "$(sql "SELECT count(DISTINCT (bmc_id, fru_id)) FROM fru_snapshot")" \
    "inventory --all-frus rows"
check frus.csv "$SERIALS" "$(latest_fru)" "inventory --all-frus serials vs SQL"
rep invA.csv inventory "${C[@]}" @rackA --format csv
check invA.csv '[r["host"] for r in R]' \
    "[$(printf "'127.0.14.%d', " {1..7})'127.0.14.8']" \
    "inventory @rackA"

# --- sensors ------------------------------------------------------------------
# two readings newer than the sweep's: one warning, one critical
sql "SELECT bmcfleet_reading_partition(current_date)" >/dev/null
sql "INSERT INTO sensor_reading (sensor_id, bmc_id, ts, value, raw, status,
    state) SELECT s.id, s.bmc_id, now() + interval '1 s', v, v, st, h
    FROM sensor s JOIN bmc b ON b.id = s.bmc_id,
    (VALUES ('127.0.14.5', 99, 'cr', 'critical'),
            ('127.0.14.12', 87, 'nc', 'warning')) AS x(host, v, st, h)
    WHERE b.name = x.host AND s.name = 'CPU1 Temp'" >/dev/null ||
    fail "could not add readings"
# the oracle: DISTINCT ON over the readings (the report steps down the
# index instead); bmcsim's CPUs may run hot on their own, so other
# warnings are the database's to say
latest_sensors() {
	sql "SELECT b.name, s.name, coalesce(r.value::text, ''), r.state
	    FROM (SELECT DISTINCT ON (sensor_id) * FROM sensor_reading
	    WHERE ts > now() - interval '1 day' ORDER BY sensor_id, ts DESC) r
	    JOIN sensor s ON s.id = r.sensor_id JOIN bmc b ON b.id = r.bmc_id
	    ${1:-}" | sort
}
SENSORS='"\n".join(sorted("|".join([r["host"], r["sensor"], r["value"],
    r["state"]]) for r in R))'
nsens=$(sql "SELECT count(DISTINCT sensor_id) FROM sensor_reading
    WHERE ts > now() - interval '1 day'")
rep sens.txt sensors "${C[@]}"
rep sens.json sensors "${C[@]}" --format json
rep sens.csv sensors --db "$PG_CONN" --format csv
expect_eq "$(($(wc -l <"$W/sens.txt") - 1))" "$nsens" "sensors table rows"
check sens.json 'len(J)' "$nsens" "sensors json rows"
check sens.csv "$SENSORS" "$(latest_sensors)" \
    "sensors csv (--db, no config) vs SQL"
check sens.json '[(r["host"], r["value"], r["status"]) for r in J
    if r["host"] in ("127.0.14.5", "127.0.14.12") and
    r["sensor"] == "CPU1 Temp"]' \
    "[('127.0.14.5', 99, 'cr'), ('127.0.14.12', 87, 'nc')]" \
    "sensors: the latest reading wins"
check sens.json 'sorted(set(r["asserted"] for r in J if r["sensor"] == "PS1 Status"))' \
    "['Presence detected']" "sensors: discrete states named from the SDRs"
rep crit.json sensors "${C[@]}" --state critical --format json
check crit.json '("127.0.14.5", "CPU1 Temp") in [(r["host"], r["sensor"])
    for r in J] and set(r["state"] for r in J)' "{'critical'}" \
    "sensors --state critical"
check crit.json 'len(J)' "$(latest_sensors "WHERE r.state = 'critical'" |
    wc -l)" "sensors --state critical rows"
rep crit.txt sensors "${C[@]}" --state critical
expect_eq "$(sed 1d "$W/crit.txt" | grep -vc ' critical ')" 0 \
    "sensors --state critical, table: only critical"
expect_match "$(cat "$W/crit.txt")" \
    '^127\.0\.14\.5 +CPU1 Temp +[0-9A-F]{2}h +Temperature +99 degrees C +cr +critical ' \
    "sensors --state critical, table"
rep warn.csv sensors "${C[@]}" --state warning,critical --format csv
check warn.csv "$SENSORS" \
    "$(latest_sensors "WHERE r.state IN ('warning', 'critical')")" \
    "sensors --state warning,critical vs SQL"
rep sensB.json sensors "${C[@]}" rack=rb --format json
check sensB.json 'sorted(set(int(r["host"].split(".")[3]) for r in J))' \
    "[$(seq -s ', ' 9 20)]" "sensors rack=rb: hosts"
check sensB.json 'len(J)' "$(sql "SELECT count(DISTINCT r.sensor_id)
    FROM sensor_reading r JOIN bmc b ON b.id = r.bmc_id
    WHERE b.labels ->> 'rack' = 'rb' AND r.ts > now() - interval '1 day'")" \
    "sensors rack=rb rows"
rep none.csv sensors "${C[@]}" --since 2099-01-01 --format csv
expect_eq "$(wc -l <"$W/none.csv")" 1 "sensors from the future: a header"

# --- events --------------------------------------------------------------------
nev=$(sql "SELECT count(*) FROM sel_event")
ncrit=$(sql "SELECT count(*) FROM sel_event WHERE severity = 'critical'")
((ncrit > 0)) || fail "bmcsim logged no critical event; pick another seed"
rep ev.txt events "${C[@]}"
rep ev.json events "${C[@]}" --format json
rep ev.csv events "${C[@]}" --format csv
expect_eq "$(($(wc -l <"$W/ev.txt") - 1))" "$nev" "events table rows"
expect_match "$(cat "$W/ev.txt")" '^pre-init \+[0-9]+s +127\.0\.14\.' \
    "a pre-init event in the table"
check ev.json 'len(J)' "$nev" "events json rows"
check ev.csv 'len(R)' "$nev" "events csv rows"
check ev.csv '[(r["host"], r["raw"]) for r in R] ==
    [(r["host"], r["raw"]) for r in F("ev.json")]' True "events csv vs json"
check ev.json 'all((a["time"] or a["seen_at"]) <= (b["time"] or b["seen_at"])
    for a, b in zip(J, J[1:]))' True "events in time order"
rep crit.csv events "${C[@]}" --severity critical --format csv
check crit.csv 'len(R)' "$ncrit" "events --severity critical"
check crit.csv 'set(r["severity"] for r in R)' "{'critical'}" \
    "events --severity critical: severities"
rep critB.json events "${C[@]}" @rackB --severity critical --format json
check critB.json 'len(J)' "$(sql "SELECT count(*) FROM sel_event e
    JOIN bmc_group_member m ON m.bmc_id = e.bmc_id
    JOIN bmc_group g ON g.id = m.group_id
    WHERE g.name = 'rackB' AND e.severity = 'critical'")" \
    "events @rackB --severity critical"
# a window in the SEL's past (--sel-epoch)
rep win.csv events "${C[@]}" --since 2026-09-10T00:00Z \
    --until 2026-09-20T12:00:00Z \
    --format csv
check win.csv 'len(R)' "$(sql "SELECT count(*) FROM sel_event
    WHERE ts >= '2026-09-10Z' AND ts < '2026-09-20T12:00:00Z'")" \
    "events --since --until"
check win.csv 'all("2026-09-10" <= r["time"] < "2026-09-20T12" for r in R)' \
    True "events --since --until: times"
rep last.json events "${C[@]}" --limit 5 --format json
check last.json 'J == F("ev.json")[-5:]' True "events --limit 5: the 5 latest"
rep recent.csv events "${C[@]}" --since 1h --format csv
check recent.csv 'len(R)' "$(sql "SELECT count(*) FROM sel_event
    WHERE coalesce(ts, seen_at) >= now() - interval '1 hour'")" \
    "events --since 1h"
run_checks

# --- inventory --changes: a PSU swap -------------------------------------------
sleep 1.1	# past fru_interval
kill -USR2 "$BMCSIM_PID"
run_to sweep2 "$BMCFLEET" collect "${C[@]}" -q || fail "second sweep failed"
rep chg.json inventory "${C[@]}" --changes --format json
check chg.json 'len(J)' 20 "inventory --changes rows"
check chg.json 'sorted(set((r["fru_id"], r["field"]) for r in J))' \
    "[(1, 'product.serial')]" "inventory --changes: the PSU serials"
check chg.json '"\n".join(sorted("%s|%s|%s" % (r["host"], r["old"], r["new"])
    for r in J))' "$(sql "SELECT b.name, c.old_value, c.new_value
    FROM inventory_change c JOIN bmc b ON b.id = c.bmc_id" | sort)" \
    "inventory --changes: old -> new"
rep chg.txt inventory "${C[@]}" --changes @rackA
expect_eq "$(($(wc -l <"$W/chg.txt") - 1))" 8 "inventory --changes @rackA"
expect_match "$(cat "$W/chg.txt")" \
    '^[0-9TZ:-]+ +127\.0\.14\.1 +1 +product\.serial +[^ ]+ -> [^ ]+$' \
    "inventory --changes table"
rep chg0.csv inventory "${C[@]}" --changes --since 2099-01-01T00:00Z \
    --format csv
expect_eq "$(wc -l <"$W/chg0.csv")" 1 "inventory --changes --since later"
rep frus2.csv inventory "${C[@]}" --all-frus --format csv
check frus2.csv "$SERIALS" "$(latest_fru)" "inventory after the swap"

# --- retired BMCs ----------------------------------------------------------------
fleet "$W/small.yaml" "127.0.14.[9-18]"
run_to sweep3 "$BMCFLEET" collect -c "$W/small.yaml" -q || fail "third sweep failed"
rep ret.csv inventory "${C[@]}" --format csv
check ret.csv 'len(R)' 18 "inventory without retired BMCs"
rep ret2.csv inventory -c "$W/small.yaml" --retired --format csv
check ret2.csv '[r["host"] for r in R if r["retired"] == "true"]' \
    "['127.0.14.19', '127.0.14.20']" "inventory --retired"
check ret2.csv 'len(R)' 20 "inventory --retired rows"
run_checks

# --- errors, and direct mode ------------------------------------------------------
run_to nogroup "$BMCFLEET" events "${C[@]}" @rackC
expect_eq "$RUN_RC" 2 "unknown group: exit status"
expect_match "$RUN_OUT" "unknown group 'rackC'" "unknown group: message"
run_to nodb "$BMCFLEET" inventory --db "host=$W/nowhere dbname=x"
expect_eq "$RUN_RC" 1 "no database: exit status"
expect_match "$RUN_OUT" '^bmcfleet: inventory: database not reachable: ' \
    "no database: message"
if [[ ! -e /etc/bmcfleet/bmcfleet.yaml ]]; then
	run_to nocfg env -u BMCFLEET_CONFIG "$BMCFLEET" sensors --db "$PG_CONN" \
	    @rackA
	expect_eq "$RUN_RC" 2 "TARGETS without a config: exit status"
fi
run_to badtime "$BMCFLEET" events "${C[@]}" --since 2026-09-31
expect_eq "$RUN_RC" 2 "a bad TIME: exit status"
export BMCFLEET_PASSWORD=s3cret-pw
run_to direct1 "$BMCFLEET" -H 127.0.14.5 -U admin -E sensors --state critical
expect_eq "$RUN_RC" 0 "direct mode: -H first: exit status"
expect_match "$RUN_OUT" '^SENSOR +NUM +READING +STATUS +STATE$' \
    "direct mode: -H first"
run_to direct2 "$BMCFLEET" sensors -H 127.0.14.5 -U admin -E --format json \
    --state critical
expect_match "$RUN_OUT" '"sdr_cached": (true|false), "sensors": \[\]' \
    "direct mode: sensors -H"
msg "ok: $nsens sensors, $nev events ($ncrit critical)"
