#!/usr/bin/env bash
# bmcfleet's `dcmi power` and `bootdev` against ipmitool, on two bmcsim
# BMCs (127.0.8.1-2, --power on, models dell-r640 and hpe-dl380):
#
#   dcmi power  (last) ipmitool `dcmi power reading`, then bmcfleet, then
#               ipmitool again.  bmcsim's reading is a function of the
#               second, so bmcfleet's JSON must equal, field by field
#               (current, min, max, average, timestamp, period, state),
#               the ipmitool reading taken in the same second (same IPMI
#               timestamp); when neither was, all three are read again.
#   bootdev     bmcfleet sets each device (pxe, disk, bios, cdrom, none)
#               with a mix of --persistent and --efi, and ipmitool's
#               `chassis bootparam get 5` must show the same device,
#               persistence, boot type and a valid flag, both in its words
#               and in the raw parameter bytes it prints (decoded here by
#               the spec, table 28-14); bmcfleet's own read-back must say
#               the same.  Then the other way: ipmitool's `chassis
#               bootdev` sets each, and `bmcfleet bootdev get` must read
#               it back.
#
# Every check is counted, and the count must be the one expected.
# PLANT_FAULT=dcmi (bmcfleet's current watts off by one) or
# PLANT_FAULT=bootdev (bmcfleet's read-back EFI bit flipped) plants a
# fault in bmcfleet's parsed output, to show the checks fail.
set -u
. "$(dirname "$0")/lib.sh"
need_tool ipmitool python3

HOSTS=(127.0.8.1 127.0.8.2)
export TZ=UTC	# ipmitool prints the DCMI timestamp in local time
start_bmcsim --count ${#HOSTS[@]} --base "${HOSTS[0]}" --power on \
    --seed 5 --user admin --password s3cret-pw
export BMCFLEET_PASSWORD=s3cret-pw
PLANT=,${PLANT_FAULT:-},

# for_host H: IT and BF, ipmitool's and bmcfleet's arguments for H
# (arrays: run_to runs them under timeout, which cannot run a function)
for_host() {
	IT=(ipmitool -I lanplus -C 3 -H "$1" -U admin -P s3cret-pw -N 2 -R 3)
	BF=("$BMCFLEET" -H "$1" -U admin -E -I lanplus -C 3 --timeout 1000)
}

# ipmitool's `dcmi power reading`, as "current min max avg epoch period
# active" (one line)
dcmi_it() {
	python3 -c '
import calendar, re, sys, time
t = sys.stdin.read()
def g(rx):
    m = re.search(rx, t)
    if not m:
        sys.exit("ipmitool dcmi power reading: no %r in:\n%s" % (rx, t))
    return m.group(1)
ts = calendar.timegm(time.strptime(
    g(r"IPMI timestamp:\s+(\d\d/\d\d/\d\d \d\d:\d\d:\d\d)"),
    "%m/%d/%y %H:%M:%S"))
state = g(r"Power reading state is:\s+(\w+)")
print(g(r"Instantaneous power reading:\s+(\d+) Watts"),
      g(r"Minimum during sampling period:\s+(\d+) Watts"),
      g(r"Maximum during sampling period:\s+(\d+) Watts"),
      g(r"Average power reading over sample period:\s+(\d+) Watts"),
      ts, int(g(r"Sampling period:\s+(\d+) Seconds")),
      {"activated": 1, "deactivated": 0}[state])'
}

# bmcfleet's `dcmi power` JSON in the same shape
dcmi_bf() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d) == 1 and d[0]["ok"], d
p = d[0]["power"]
if ",dcmi," in sys.argv[1]:
    p["current_w"] += 1
    sys.stderr.write("PLANT_FAULT: dcmi: current_w off by one\n")
print(p["current_w"], p["min_w"], p["max_w"], p["avg_w"], p["timestamp"],
      p["period_ms"] // 1000 if p["period_ms"] % 1000 == 0
      else p["period_ms"] / 1000, int(p["active"]))' "$PLANT"
}

# `chassis bootparam get 5` as "device persistent efi valid", from the raw
# bytes (IPMI v2.0 table 28-14: data 1 bit 7 valid, bit 6 persistent,
# bit 5 EFI; data 2 bits 5:2 the device) and, separately, from its words;
# the two must agree
BOOT_DECODE='
import re, sys
t = sys.stdin.read()
dev = {0x00: "none", 0x04: "pxe", 0x08: "disk", 0x14: "cdrom", 0x18: "bios"}
m = re.search(r"Boot parameter data: ([0-9a-fA-F]{10})", t)
if not m:
    sys.exit("no parameter data in:\n" + t)
d = bytes.fromhex(m.group(1))
raw = "%s %d %d %d" % (dev.get(d[1] & 0x3c, "0x%02x" % (d[1] & 0x3c)),
                       d[0] >> 6 & 1, d[0] >> 5 & 1, d[0] >> 7 & 1)
words = {"No override": "none", "Force PXE": "pxe",
         "Force Boot from default Hard-Drive": "disk",
         "Force Boot from CD/DVD": "cdrom",
         "Force Boot into BIOS Setup": "bios"}
m = re.search(r"Boot Device Selector : (.*?)\s*$", t, re.M)
w = "%s %d %d %d" % (
    words.get(m.group(1) if m else "", "?"),
    "Options apply to all future boots" in t, "BIOS EFI boot" in t,
    "Boot Flag Valid" in t)
if raw != w:
    sys.exit("ipmitool bootparam: bytes say %r, words %r" % (raw, w))
print(raw)'

# bmcfleet's bootdev JSON read-back in the same shape
BOOT_BF='
import json, sys
d = json.load(sys.stdin)
assert len(d) == 1 and d[0]["ok"], d
h = d[0]
if ",bootdev," in sys.argv[1]:
    h["efi"] = not h["efi"]
    sys.stderr.write("PLANT_FAULT: bootdev: efi flipped\n")
print(h["device"], int(h["persistent"]), int(h["efi"]), int(h["valid"]))'

h=${HOSTS[0]}
for_host "$h"
boot_checks=0
# bmcfleet sets, ipmitool reads: DEVICE PERSISTENT EFI
for spec in "pxe 1 1" "disk 0 0" "bios 1 0" "cdrom 0 1" "none 0 0"; do
	read -r dev pers efi <<<"$spec"
	opts=()
	((pers)) && opts+=(--persistent)
	((efi)) && opts+=(--efi)
	want="$dev $pers $efi 1"
	run_to "boot-bf-set" "${BF[@]}" --format json bootdev "$dev" "${opts[@]}" ||
	    fail "$h: bmcfleet bootdev $dev ${opts[*]} failed"
	got=$(python3 -c "$BOOT_BF" "$PLANT" <<<"$RUN_OUT") ||
	    fail "$h: cannot read bmcfleet's bootdev JSON"
	expect_eq "$got" "$want" "$h: bmcfleet's read-back after bootdev $dev ${opts[*]}"
	run_to "boot-it-get" "${IT[@]}" chassis bootparam get 5 ||
	    fail "$h: ipmitool chassis bootparam get 5 failed"
	got=$(python3 -c "$BOOT_DECODE" <<<"$RUN_OUT") || fail "$h: $got"
	expect_eq "$got" "$want" "$h: ipmitool's bootparam 5 after bmcfleet bootdev $dev ${opts[*]}"
	boot_checks=$((boot_checks + 1))
done
# ipmitool sets, bmcfleet reads
for spec in "cdrom 1 1" "pxe 0 0" "disk 1 0" "bios 0 1" "none 0 0"; do
	read -r dev pers efi <<<"$spec"
	o=()
	((pers)) && o+=(persistent)
	((efi)) && o+=(efiboot)
	args=("$dev")
	((${#o[@]})) && args+=("options=$(IFS=,; echo "${o[*]}")")
	want="$dev $pers $efi 1"
	run_to "boot-it-set" "${IT[@]}" chassis bootdev "${args[@]}" ||
	    fail "$h: ipmitool chassis bootdev ${args[*]} failed"
	run_to "boot-it-get" "${IT[@]}" chassis bootparam get 5 ||
	    fail "$h: ipmitool chassis bootparam get 5 failed"
	got=$(python3 -c "$BOOT_DECODE" <<<"$RUN_OUT") || fail "$h: $got"
	expect_eq "$got" "$want" "$h: ipmitool's own bootparam 5 after chassis bootdev ${args[*]}"
	run_to "boot-bf-get" "${BF[@]}" --format json bootdev get ||
	    fail "$h: bmcfleet bootdev get failed"
	got=$(python3 -c "$BOOT_BF" "$PLANT" <<<"$RUN_OUT") ||
	    fail "$h: cannot read bmcfleet's bootdev get JSON"
	expect_eq "$got" "$want" "$h: bmcfleet bootdev get after ipmitool chassis bootdev ${args[*]}"
	boot_checks=$((boot_checks + 1))
done
# the table form of the last one
run_to "boot-bf-table" "${BF[@]}" bootdev get || fail "$h: bmcfleet bootdev get failed"
expect_eq "$RUN_OUT" "$h: none, next boot only, legacy" "$h: bootdev get table"
expect_eq "$boot_checks" 10 "bootdev comparisons"
# DCMI last: the longer bmcsim has run, the more its statistics (min,
# max, average over the time since it started) differ from the reading
dcmi_checks=0
for h in "${HOSTS[@]}"; do
	for_host "$h"
	matched=0
	for try in 1 2 3 4 5; do
		# back to back, parsed afterwards: each tool takes well under
		# a second here
		run_to "dcmi-it1" "${IT[@]}" dcmi power reading ||
		    fail "$h: ipmitool dcmi power reading failed"
		ra=$RUN_OUT
		run_to "dcmi-bf" "${BF[@]}" --format json dcmi power ||
		    fail "$h: bmcfleet dcmi power failed"
		rb=$RUN_OUT
		run_to "dcmi-it2" "${IT[@]}" dcmi power reading ||
		    fail "$h: ipmitool dcmi power reading failed"
		rc=$RUN_OUT
		a=$(dcmi_it <<<"$ra") || fail "$h: $a"
		b=$(dcmi_bf <<<"$rb") || fail "$h: cannot read bmcfleet's JSON"
		c=$(dcmi_it <<<"$rc") || fail "$h: $c"
		msg "$h: ipmitool [$a], bmcfleet [$b], ipmitool [$c] (current min max avg time period active)"
		read -r -a A <<<"$a"
		read -r -a B <<<"$b"
		read -r -a C <<<"$c"
		ref=
		[[ ${A[4]} == "${B[4]}" ]] && ref=$a
		[[ -z $ref && ${C[4]} == "${B[4]}" ]] && ref=$c
		if [[ -z $ref ]]; then
			msg "$h: no ipmitool reading in bmcfleet's second (try $try)"
			continue
		fi
		expect_eq "$b" "$ref" "$h: dcmi power, bmcfleet vs ipmitool in the same second (current min max avg time period active)"
		matched=1
		dcmi_checks=$((dcmi_checks + 1))
		break
	done
	((matched)) || fail "$h: five tries, no ipmitool reading in bmcfleet's second"
	# the table says the same as the JSON (its own reading, so only the
	# shape and the state)
	run_to "dcmi-table" "${BF[@]}" dcmi power || fail "$h: bmcfleet dcmi power failed"
	expect_match "$RUN_OUT" "^$h +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+ +active\$" \
	    "$h: dcmi power table"
done
expect_eq "$dcmi_checks" ${#HOSTS[@]} "dcmi power comparisons"

msg "ok: $dcmi_checks dcmi power and $boot_checks bootdev comparisons"
