#!/usr/bin/env bash
# bmcfleetd's PET trap listener (collector/traprx.c, cli/collect_event.c).
#
# 20 bmcsim BMCs, bmcfleetd listening for traps on 127.0.74.250:10162
# (sweep_interval 10m: one sweep, then only traps).  net-snmp's snmptrap
# sends hand-built PETs (the varbind written here from the PET 1.0 layout,
# not by our encoder):
#   - from BMC 127.0.74.3, announcing an entry its SEL holds: accepted, a
#     SEL read of that BMC, the entry linked to the trap (source 'sel');
#   - the same trap again (a resend: same sequence and time): not stored
#     twice;
#   - from 127.0.74.5, announcing an entry that never appears: after the
#     read and its retries, a PET-only event (source 'pet', record ID 0);
#   - from 127.0.75.200 (no BMC): dropped as "unknown source", nothing
#     stored;
#   - from 127.0.74.4 with another GUID than its Get Device GUID: dropped
#     as "GUID mismatch".
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3
need_tool snmptrap

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-traps.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 20 --base 127.0.74.1 --user admin --password s3cret-pw \
    --power on --seed 74 --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.74.[1-20]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 10m
  sel_interval: 1h
  traps: {listen: "127.0.74.250:10162"}
EOF2
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d.log" 0
poll_until 15 grep -q 'bmcfleetd: sweep 1: 20 hosts' "$W/d.log" ||
    fail "no first sweep: $(cat "$W/d.log")"
poll_until 10 eval '[[ $(sql "SELECT count(*) FROM bmc_profile WHERE guid IS NOT NULL") == 20 ]]' ||
    fail "the first sweep was not committed"
expect_match "$(cat "$W/d.log")" "traps: listening on 127.0.74.250:10162" \
    "the listener's line"

# A PET (IPMI PET 1.0: 46 bytes, multi-byte fields MSB first) for a SEL
# entry (its 16 raw bytes in hex), from GUID (Get Device GUID's text).
# Prints "SPECIFIC HEX".
pet_for() {
	python3 - "$@" <<'EOF2'
import sys, time
raw = bytes.fromhex(sys.argv[1]); text = sys.argv[2].replace('-', '')
seq = int(sys.argv[3])
guid = bytes.fromhex(text)[::-1]            # back to wire order
ts = int.from_bytes(raw[3:7], 'little')
ts = ts - 883612800 if ts > 883612800 else 0   # PET counts from 1998
stype, snum, dt = raw[10], raw[11], raw[12]
specific = stype << 16 | (dt & 0x7f) << 8 | (dt & 0x80) | (raw[13] & 0x0f)
b = guid + seq.to_bytes(2, 'big') + ts.to_bytes(4, 'big') + b'\xff\xff'
b += bytes([0x20, 0x20, 0x10, 0x20, snum, 0, 0]) + raw[13:16] + b'\xff' * 5
b += b'\x19' + (0).to_bytes(4, 'big') + (0).to_bytes(2, 'big') + b'\xc1'
print(specific, b.hex())
EOF2
}
# send FROM_ADDR SPECIFIC HEX
send() {
	snmptrap -v 1 -c public --clientaddr="$1" 127.0.74.250:10162 \
	    1.3.6.1.4.1.3183.1.1 "$1" 6 "$2" 0 \
	    1.3.6.1.4.1.3183.1.1.1 x "$3" >/dev/null 2>>"$W/snmptrap.err" ||
	    fail "snmptrap failed: $(cat "$W/snmptrap.err")"
}
dropped_from() { grep -c "trap from $1 dropped: $2" "$W/d.log"; }

guid3=$(sql "SELECT p.guid FROM bmc_profile p JOIN bmc b ON b.id = p.bmc_id WHERE b.name = '127.0.74.3'")
guid4=$(sql "SELECT p.guid FROM bmc_profile p JOIN bmc b ON b.id = p.bmc_id WHERE b.name = '127.0.74.4'")
guid5=$(sql "SELECT p.guid FROM bmc_profile p JOIN bmc b ON b.id = p.bmc_id WHERE b.name = '127.0.74.5'")
# the newest system event (02h) of BMC 3 with a timestamp
raw3=$(sql "SELECT encode(raw, 'hex') FROM sel_event e JOIN bmc b ON b.id = e.bmc_id WHERE b.name = '127.0.74.3' AND record_type = 2 AND ts IS NOT NULL ORDER BY record_id DESC LIMIT 1")
[[ -n $raw3 && -n $guid3 ]] || fail "BMC 3 has no system event or GUID stored"
stored0=$(sql "SELECT count(*) FROM sel_event")

# 1: from BMC 3, for an entry its SEL holds, sent twice (a resend)
read -r spec hex < <(pet_for "$raw3" "$guid3" 41)
send 127.0.74.3 "$spec" "$hex"
send 127.0.74.3 "$spec" "$hex"
# 2: from BMC 5, for an entry that is nowhere (sensor 0xEE, now)
fake=$(python3 -c 'import time; t = int(time.time()).to_bytes(4, "little").hex()
print("0000" + "02" + t + "2000" + "04" + "01" + "ee" + "6f" + "01ffff")')
read -r spec5 hex5 < <(pet_for "$fake" "$guid5" 42)
send 127.0.74.5 "$spec5" "$hex5"
# 3: from no BMC
send 127.0.75.200 "$spec" "$hex"
# 4: from BMC 4 with BMC 3's GUID
read -r spec4 hex4 < <(pet_for "$raw3" "$guid3" 43)
send 127.0.74.4 "$spec4" "$hex4"

poll_until 10 eval '[[ $(sql "SELECT count(*) FROM sel_event e JOIN pet_trap t ON t.id = e.pet_trap_id WHERE e.source = '"'sel'"'") == 1 ]]' ||
    fail "BMC 3's trap was not linked to its SEL entry: $(tail -5 "$W/d.log")"
linked=$(sql "SELECT encode(e.raw, 'hex') FROM sel_event e WHERE e.pet_trap_id IS NOT NULL AND e.source = 'sel'")
expect_eq "$linked" "$raw3" "the entry BMC 3's trap was linked to"
poll_until 15 eval '[[ $(sql "SELECT count(*) FROM sel_event WHERE source = '"'pet'"'") == 1 ]]' ||
    fail "BMC 5's trap did not become a PET-only event: $(tail -5 "$W/d.log")"
expect_eq "$(sql "SELECT b.name || ' ' || e.record_id || ' ' || e.sensor_number || ' ' || t.pet_only FROM sel_event e JOIN bmc b ON b.id = e.bmc_id JOIN pet_trap t ON t.id = e.pet_trap_id WHERE e.source = 'pet'")" \
    "127.0.74.5 0 238 true" "the PET-only event (BMC, record ID, sensor, trap)"
# the events report marks it
rep=$("$BMCFLEET" events 127.0.74.5 --db "$PG_CONN" -c "$W/fleet.yaml") ||
    fail "events: $rep"
expect_match "$rep" "\[PET only\] " "the PET-only event in bmcfleet events"
repj=$("$BMCFLEET" events 127.0.74.5 --db "$PG_CONN" -c "$W/fleet.yaml" --format json) ||
    fail "events --format json: $repj"
expect_match "$repj" '"source": ?"pet"' "its source in JSON"
# stored: the two accepted traps (the resend is not a third), one new
# event (the PET-only one), nothing from the stranger or the wrong GUID
expect_eq "$(sql "SELECT count(*) FROM pet_trap")" 2 "traps stored"
expect_eq "$(sql "SELECT count(*) FROM pet_trap t JOIN bmc b ON b.id = t.bmc_id WHERE b.name = '127.0.74.4'")" 0 \
    "traps stored for BMC 4 (GUID mismatch)"
expect_eq "$(sql "SELECT count(*) FROM sel_event")" "$((stored0 + 1))" \
    "events stored (the PET-only one new)"
expect_eq "$(dropped_from 127.0.75.200 'unknown source')" 1 \
    "drop lines for 127.0.75.200"
expect_eq "$(dropped_from 127.0.74.4 'GUID mismatch')" 1 \
    "drop lines for BMC 4"

kill -TERM "$dpid"
poll_until 15 eval '! kill -0 '"$dpid"' 2>/dev/null' ||
    fail "bmcfleetd did not stop on SIGTERM"
end=$(grep 'events at the end' "$W/d.log")
msg "$end"
expect_match "$end" "5 received, 3 accepted \(1 repeats\), 2 dropped \(unknown source 1, GUID mismatch 1\)" \
    "the counters"
expect_match "$end" " 1 confirmed, 1 PET-only" "confirmed and PET-only"
msg "ok"
