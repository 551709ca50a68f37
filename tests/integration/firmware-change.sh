#!/usr/bin/env bash
# A firmware update is an inventory change (schema 003's trigger on
# bmc_profile): two bmcsim BMCs on 127.0.78.[11-12] swept, bmcsim
# restarted with BMC 1 updated (firmware_rev: 2 in its config: Get Device
# ID's minor version and the BIOS version of Get System Info Parameters
# move on), swept again:
#   - bmc_profile holds the firmware and BIOS versions ipmitool reads from
#     the same BMC (mc info; raw Get System Info Parameters, decoded here)
#   - inventory --changes shows exactly two rows, both BMC 1's, FRU -1:
#     bmc.firmware and system.firmware, old -> new as ipmitool read them
#     before and after; BMC 2, not updated, has none
#   - inventory shows the BIOS version (table BIOS, json system_firmware)
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool ipmitool
need_tool python3

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-fwchange.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
export BMCSIM_PASSWORD=fw-s3cret
printf '%s\n' "$BMCSIM_PASSWORD" >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  lab: {hosts: "127.0.78.[11-12]"}
collector:
  spool_dir: $W/spool
  fru_interval: 1s
EOF
C=(-c "$W/fleet.yaml")
cat >"$W/sim-updated.yaml" <<EOF
bmcs:
  - {index: 1, firmware_rev: 2}
EOF

# versions VAR HOST: "FIRMWARE|BIOS" as ipmitool reads them
versions() {
	local fw bios hex s
	fw=$(ipmitool -I lanplus -H "$2" -U admin -E mc info 2>&1 |
	    sed -n 's/^Firmware Revision *: //p') || true
	hex=
	for s in 0 1 2; do
		hex+=" $(ipmitool -I lanplus -H "$2" -U admin -E raw 0x06 0x59 0x00 0x01 $s 0x00 2>/dev/null)" ||
		    break
	done
	# parameter 1 by hand (IPMI v2.0 22.14b): revision, set, then set 0:
	# encoding, length, 14 bytes; later sets 16 bytes
	bios=$(python3 -c 'import sys
b = [int(x, 16) for x in sys.argv[1].split()]
sets = [b[i:i + 18] for i in range(0, len(b), 18)]
n = sets[0][3]
s = bytes(sets[0][4:18] + sum([x[2:18] for x in sets[1:]], []))[:n]
print(s.decode())' "$hex")
	printf -v "$1" '%s|%s' "$fw" "$bios"
}

export IPMI_PASSWORD=$BMCSIM_PASSWORD
start_bmcsim --count 2 --base 127.0.78.11 --user admin --seed 78 --quiet
versions v1_before 127.0.78.11
versions v2_before 127.0.78.12
msg "before: BMC 1 $v1_before, BMC 2 $v2_before"
[[ $v1_before == [0-9]*.[0-9]*\|?*BIOS* ]] || fail "ipmitool read no versions: '$v1_before'"

run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
run_to sweep1 "$BMCFLEET" collect "${C[@]}" || fail "sweep 1 failed"
expect_eq "$(sql "SELECT string_agg(b.name || '=' || p.firmware || '|' || p.system_firmware, ' '
    ORDER BY b.name) FROM bmc b JOIN bmc_profile p ON p.bmc_id = b.id")" \
    "127.0.78.11=$v1_before 127.0.78.12=$v2_before" "versions stored by sweep 1"
run_to changes0 "$BMCFLEET" inventory "${C[@]}" --changes --format csv
expect_eq "$RUN_OUT" "changed_at,host,retired,fru_id,field,old,new" "no change after one sweep"

# the update: BMC 1 only
stop_bmcsim
start_bmcsim --count 2 --base 127.0.78.11 --user admin --seed 78 --quiet \
    --config "$W/sim-updated.yaml"
versions v1_after 127.0.78.11
versions v2_after 127.0.78.12
msg "after: BMC 1 $v1_after, BMC 2 $v2_after"
[[ ${v1_after%%|*} != "${v1_before%%|*}" && ${v1_after#*|} != "${v1_before#*|}" ]] ||
    fail "bmcsim's update changed nothing: '$v1_before' -> '$v1_after'"
expect_eq "$v2_after" "$v2_before" "BMC 2 not updated"
sleep 1.1	# the FRU interval (1s): the BIOS version is due again
run_to sweep2 "$BMCFLEET" collect "${C[@]}" || fail "sweep 2 failed"

run_to changes "$BMCFLEET" inventory "${C[@]}" --changes --format csv
expect_eq "$(printf '%s\n' "$RUN_OUT" | tail -n +2 | cut -d, -f2- | sort)" \
    "$(printf '127.0.78.11,false,-1,bmc.firmware,%s,%s\n127.0.78.11,false,-1,system.firmware,%s,%s' \
    "${v1_before%%|*}" "${v1_after%%|*}" "${v1_before#*|}" "${v1_after#*|}")" \
    "inventory --changes: BMC 1's firmware and BIOS, old -> new"
run_to changes-t "$BMCFLEET" inventory "${C[@]}" --changes
expect_match "$RUN_OUT" "127\.0\.78\.11 +-1 +bmc\.firmware +${v1_before%%|*} -> ${v1_after%%|*}" \
    "inventory --changes table"
run_to inv "$BMCFLEET" inventory "${C[@]}" --format json
expect_eq "$(printf '%s' "$RUN_OUT" | python3 -c 'import json,sys
print(" ".join("%s|%s" % (h["firmware"], h["system_firmware"]) for h in json.load(sys.stdin)))')" \
    "$v1_after $v2_after" "inventory json: firmware and system_firmware"
run_to inv-t "$BMCFLEET" inventory "${C[@]}"
expect_match "$RUN_OUT" "BIOS" "inventory table: a BIOS column"
msg "ok: ${v1_before} -> ${v1_after}"
