#!/usr/bin/env bash
# bmcfleet collect: 200 simulated BMCs into a throwaway PostgreSQL.
#
#   1. a sweep stores exactly what the BMCs hold: every SEL entry (raw 16
#      bytes) exactly once, every FRU device's fields, every sensor's
#      reading (within one resolution step: readings drift between reads).
#      The SEL truth is bmcsim's own record of each BMC's log
#      (--sel-dump, before and after the sweep, compared by selcheck.py,
#      which says why two dumps), independent of bmcfleet.  The FRU and
#      sensor truth is read from the same BMCs in direct mode (`fru`,
#      `sensors`), whose decoders make check holds to ipmitool and
#      FreeIPMI field by field.  Three hosts are also checked against
#      ipmitool itself (SEL entry count, PSU serial).
#   2. a second sweep adds readings and no event twice, and stores the
#      events logged since the first (20 hosts power-cycled in between):
#      every SEL entry stored exactly once.
#   3. a PSU swap in the simulator (SIGUSR2) shows up as one
#      inventory_change row per BMC, old serial -> new.
#   4. collector.min_gap spaces a BMC's commands.
#
# Addresses: 127.0.5.x.  PLANT_FAULT=sel-delete deletes the last stored
# event of 127.0.5.17 before the first SEL check: the test must then fail,
# naming that host and entry.
# sanitize: no (scale: 200 BMCs through the code paths the smaller tests run under the sanitizers)
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3 ipmitool

PLANT_FAULT=${PLANT_FAULT:-}
case $PLANT_FAULT in
'' | sel-delete) ;;
*) fail "PLANT_FAULT='$PLANT_FAULT': expected sel-delete" ;;
esac
[[ -n $PLANT_FAULT ]] && msg "PLANT_FAULT=$PLANT_FAULT: this run must fail"
start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-collect.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
# start_sim, sim_dump, sel_check
. "$TOP/tests/integration/simtruth.bash"
start_sim --count 200 --base 127.0.5.1 --user admin --password s3cret-pw \
    --power on --seed 11 --sel-epoch 1790000000
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  rack1: {hosts: "127.0.5.[1-100]", labels: {rack: r1}}
  rack2: {hosts: "127.0.5.[101-200]", labels: {rack: r2}}
collector:
  spool_dir: $W/spool
  fru_interval: 1s
EOF
RUN_TIMEOUT=120
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
sim_dump sweep1-before
run_to sweep1 "$BMCFLEET" collect -c "$W/fleet.yaml" || fail "first sweep failed"
sim_dump sweep1-after
expect_eq "$(sql "SELECT count(*) FROM bmc WHERE retired_at IS NULL")" 200 \
    "BMCs in the database"
expect_eq "$(sql "SELECT count(*) FROM collection_result WHERE ok")" 200 \
    "hosts swept ok"
expect_eq "$(sql "SELECT count(*) FROM bmc_group_member m JOIN bmc_group g
    ON g.id = m.group_id WHERE g.name = 'rack2'")" 100 "rack2 members"
expect_eq "$(ls "$W/spool" | grep -c batch)" 0 "batches left in the spool"

export BMCFLEET_PASSWORD=s3cret-pw
D=("$BMCFLEET" -H '127.0.5.[1-200]' -U admin -E --format json
    --sdr-cache "$W/sdrcache")
truth() {	# truth NAME VERB...: direct mode's JSON into $W/NAME.json
	local name=$1
	shift
	run_to "truth-$name" "${D[@]}" "$@" || fail "bmcfleet $* failed"
	printf '%s\n' "$RUN_OUT" >"$W/$name.json"
}
dump() {	# the database's view into $W/db-*.txt
	sql "SELECT DISTINCT ON (f.bmc_id, f.fru_id) b.name, f.fru_id, f.fields
	    FROM fru_snapshot f JOIN bmc b ON b.id = f.bmc_id
	    ORDER BY f.bmc_id, f.fru_id, f.taken_at DESC, f.id DESC" \
	    >"$W/db-fru.txt"
	sql "SELECT DISTINCT ON (s.id) b.name, s.name, r.value, r.raw
	    FROM sensor_reading r JOIN sensor s ON s.id = r.sensor_id
	    JOIN bmc b ON b.id = s.bmc_id ORDER BY s.id, r.ts DESC" \
	    >"$W/db-sensors.txt"
}
truth fru fru
truth sensors sensors
dump

cat >"$W/compare.py" <<'EOF'
import json, sys
w = sys.argv[1]
bad = []

def hosts(name):
    return {h["host"]: h for h in json.load(open("%s/%s.json" % (w, name)))}

# (the SEL is sel_check's, against bmcsim's own record)

# FRU: the fields a person reads, device by device
keys = {"chassis": ["serial", "part_number"],
        "board": ["manufacturer", "product", "serial", "part_number"],
        "product": ["manufacturer", "name", "part_number", "version",
                    "serial", "asset_tag"]}
dbf = {}
for line in open(w + "/db-fru.txt"):
    host, fid, fields = line.rstrip("\n").split("|", 2)
    dbf[(host, int(fid))] = json.loads(fields)
nfru = 0
for host, h in hosts("fru").items():
    for dev in h.get("fru", []):
        got = dbf.get((host, dev["id"]))
        if got is None:
            bad.append("%s: FRU %d not stored" % (host, dev["id"]))
            continue
        nfru += 1
        for area, ks in keys.items():
            for k in ks:
                want = (dev.get(area) or {}).get(k)
                if want and got.get("%s.%s" % (area, k)) != want:
                    bad.append("%s: FRU %d %s.%s %r vs %r" % (host,
                        dev["id"], area, k, got.get(area + "." + k), want))

# sensors: the latest stored reading within one resolution step
dbs = {}
for line in open(w + "/db-sensors.txt"):
    host, name, value, raw = line.rstrip("\n").split("|")
    dbs[(host, name)] = (float(value) if value else None, raw)
nsens = 0
for host, h in hosts("sensors").items():
    for s in h.get("sensors", []):
        if s["kind"] == "event-only":
            continue
        got = dbs.get((host, s["name"]))
        if got is None:
            bad.append("%s: sensor %r not stored" % (host, s["name"]))
            continue
        nsens += 1
        if s["reading"] is None or got[0] is None:
            if (s["reading"] is None) != (got[0] is None):
                bad.append("%s: %r: %r vs %r" % (host, s["name"], got[0],
                                                 s["reading"]))
            continue
        tol = (s["resolution"] or 0) * 1.0001 + 1e-9
        if abs(got[0] - s["reading"]) > tol:
            bad.append("%s: %r: stored %r, BMC says %r (resolution %r)" %
                       (host, s["name"], got[0], s["reading"],
                        s["resolution"]))
for b in bad[:20]:
    print("  " + b)
print("compared %d FRU devices, %d sensors: %d mismatches" %
      (nfru, nsens, len(bad)))
sys.exit(1 if bad or nfru == 0 or nsens == 0 else 0)
EOF
sel_check "sweep 1" 127.0.5.17 sweep1-before sweep1-after
python3 "$W/compare.py" "$W" || fail "the database does not hold what the BMCs do"
msg "sweep 1: $(python3 "$W/compare.py" "$W" | tail -n 1)"

# an oracle we did not write: ipmitool on three hosts
for host in 127.0.5.1 127.0.5.77 127.0.5.200; do
	IT=(ipmitool -I lanplus -C 3 -H "$host" -U admin -P s3cret-pw)
	"${IT[@]}" sel elist >"$W/it-sel.txt" 2>"$W/it.err" ||
	    fail "$host: ipmitool sel elist failed: $(cat "$W/it.err")"
	n=$(grep -c '|' "$W/it-sel.txt")
	((n > 0)) || fail "$host: ipmitool listed no SEL entry"
	expect_eq "$(sql "SELECT count(*) FROM sel_event e JOIN bmc b
	    ON b.id = e.bmc_id WHERE b.name = '$host'")" "$n" \
	    "$host: SEL entries, database vs ipmitool"
	"${IT[@]}" fru print 1 >"$W/it-fru.txt" 2>"$W/it.err" ||
	    fail "$host: ipmitool fru print 1 failed: $(cat "$W/it.err")"
	serial=$(sed -n 's/^ *Product Serial *: //p' "$W/it-fru.txt")
	[[ -n $serial ]] || fail "$host: ipmitool printed no product serial"
	expect_eq "$(sql "SELECT fields ->> 'product.serial' FROM fru_snapshot f
	    JOIN bmc b ON b.id = f.bmc_id WHERE b.name = '$host' AND fru_id = 1
	    ORDER BY taken_at DESC LIMIT 1")" "$serial" \
	    "$host: PSU serial, database vs ipmitool"
done

# 2. again: more readings, the same events and the new ones; a reading
# partition past retention (30 days by default) is dropped at the end of
# the sweep.  New events between the sweeps: 20 hosts power-cycled log a
# power-off and a power-on event each, which only this sweep can store.
run_to cycle "$BMCFLEET" -H '127.0.5.[1-20]' -U admin -E power cycle ||
    fail "power cycle failed"
cycled() {	# all 20 came back on (bmcsim's record)
	sim_dump cycle
	python3 - "$W/stats-cycle.jsonl" <<'EOF'
import json, sys
n = 0
for line in open(sys.argv[1]):
    h = json.loads(line)
    n += h["cycle"] == 1 and h["power_on_ms"] > h["power_off_ms"] > 0
sys.exit(0 if n == 20 else 1)
EOF
}
poll_until 30 cycled || fail "20 hosts not power-cycled within 30 s"
r1=$(sql "SELECT count(*) FROM sensor_reading")
# the cold sweep knew no sensor's ID: every reading by name, no batch key
expect_eq "$(sql "SELECT count(*) FROM reading_batch")" 0 "batch keys, cold"
old=$(sql "SELECT bmcfleet_reading_partition(current_date - 45)")
sim_dump sweep2-before
run_to sweep2 "$BMCFLEET" collect -c "$W/fleet.yaml" || fail "second sweep failed"
sim_dump sweep2-after
r2=$(sql "SELECT count(*) FROM sensor_reading")
((r2 > r1)) || fail "second sweep added no readings ($r1 -> $r2)"
# its sensors known: readings by ID, stored once per batch key
(($(sql "SELECT count(*) FROM reading_batch") > 0)) ||
    fail "second sweep wrote no reading by sensor ID"
expect_eq "$(sql "SELECT count(*) FROM pg_tables WHERE tablename = '$old'")" 0 \
    "reading partition past retention"
expect_eq "$(sql "SELECT count(*) FROM pg_tables
    WHERE tablename LIKE 'sensor_reading_2%' AND
    to_date(right(tablename, 8), 'YYYYMMDD') < current_date - 30")" 0 \
    "reading partitions older than 30 days"
sel_check "sweep 2" 127.0.5.17 sweep2-before sweep2-after
dump
python3 "$W/compare.py" "$W" || fail "after the second sweep"
msg "sweep 2: readings $r1 -> $r2; $(python3 "$W/compare.py" "$W" | tail -n 1)"

# 3. a PSU swap is an inventory change
sleep 1.1	# past fru_interval
kill -USR2 "$BMCSIM_PID"
sim_dump sweep3-before
run_to sweep3 "$BMCFLEET" collect -c "$W/fleet.yaml" || fail "third sweep failed"
sim_dump sweep3-after
expect_eq "$(sql "SELECT count(*) FROM inventory_change
    WHERE fru_id = 1 AND field = 'product.serial'
    AND old_value IS DISTINCT FROM new_value")" 200 \
    "PSU serial changes recorded"
expect_eq "$(sql "SELECT count(*) FROM inventory_change
    WHERE field <> 'product.serial'")" 0 "other inventory changes"
truth fru fru
dump
python3 "$W/compare.py" "$W" || fail "after the PSU swap"
sel_check "sweep 3" 127.0.5.17 sweep3-before sweep3-after

# 4. collector.min_gap spaces a BMC's commands: every host's sweep lasts
# at least its commands times the gap
sed 's/^collector:$/collector:\n  min_gap: 30ms/' "$W/fleet.yaml" >"$W/gap.yaml"
run_to gap "$BMCFLEET" collect -c "$W/gap.yaml" --what sensors \
    '127.0.5.[1-5]' || fail "sweep with min_gap failed"
expect_eq "$(sql "SELECT count(*) FROM collection_result r
    JOIN collection_run c ON c.id = r.run_id
    WHERE c.id = (SELECT max(id) FROM collection_run)
    AND r.ok AND r.commands > 30 AND r.duration_ms >= (r.commands - 1) * 30")" 5 \
    "hosts whose commands were spaced by min_gap"
msg "ok"
