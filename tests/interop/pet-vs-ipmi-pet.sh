#!/usr/bin/env bash
# ipmi/pet against FreeIPMI's ipmi-pet: the traps of pet-cases.txt (written
# by hand: threshold and discrete sensor types, assertions and
# deassertions, every PET severity, OEM manufacturers, system IDs and
# custom fields, many entities, a specific trap not known) are turned into
# ipmi-pet's input lines by this script, then decoded
#   - by ipmi-pet -vv --comma-separated-output --output-event-severity,
#     which needs an SDR: it reads bmcsim's over the LAN (one BMC on
#     127.0.71.1); no case uses a sensor number that SDR has, so ipmi-pet
#     names every sensor "Sensor #N"
#   - by build/tests/tools/pettool, which wraps each in an SNMPv1
#     Trap-PDU (pet_trap_encode) and decodes the datagram back
#     (pet_datagram_decode, pet_to_sel, sel_describe)
# and compared field by field: date and time, sensor number, sensor type,
# GUID, manufacturer (where our table names it), system ID, severity,
# direction and event.  Texts equal but for case and punctuation agree; a
# manufacturer agrees when our name starts its name ("Lenovo" for "Lenovo
# Enterprise Business Group"), and one our table does not name is not
# compared (counted).  ipmi-pet's event text counts up to its first " | "
# or " ; " (what follows is its reading of event data 2-3 and of OEM
# custom fields, which we keep as bytes).  Any other disagreement fails
# unless pet-disputes.txt lists it (the two texts exactly) with a reason.  ipmi-pet does not print the
# trap's entity (only the SDR's, for sensors it has), so entity, instance
# and sensor number are held to the case file instead.  Fewer lines than
# cases, on either side, fail.
# test-timeout: 60
set -u
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

need_tool ipmi-pet python3
PETTOOL=$O/tests/tools/pettool
[[ -x $PETTOOL ]] || fail "pettool is not built: $PETTOOL"
CASES=$TOP/tests/interop/pet-cases.txt
DISPUTES=$TOP/tests/interop/pet-disputes.txt
export TZ=UTC

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-pet.XXXXXX") || fail "mktemp failed"
_lib_tmpdirs+=("$W")
chmod 700 "$W"
mkdir -m 700 "$W/sdr"

export BMCSIM_PASSWORD=s3cret-pw
start_bmcsim --count 1 --base 127.0.71.1 --port 623 --user admin
# the password reaches FreeIPMI through a 0600 file, not argv
(umask 077 && printf 'username admin\npassword %s\n' "$BMCSIM_PASSWORD" \
    >"$W/freeipmi.conf")

# the cases as ipmi-pet input lines: SPECIFIC 0xNN x 47 and more
python3 - "$CASES" >"$W/traps.txt" <<'EOF' || fail "cannot read $CASES"
import sys
GUID = bytes.fromhex("44454c4c50001059" "8043b2c04f333358")
for line in open(sys.argv[1]):
    f = line.split()
    if not f or f[0].startswith("#"):
        continue
    (name, spec, sev, sensor, entity, inst, ed1, ed2, ed3, mfr, sysid, ts,
     utc, seq, oem) = f
    b = bytearray(GUID)
    b += int(seq).to_bytes(2, "big")
    b += int(ts).to_bytes(4, "big")
    b += (b"\xff\xff" if utc == "-" else
          (int(utc) & 0xffff).to_bytes(2, "big"))    # UTC offset
    b += bytes([0x20, 0x20, int(sev, 16), 0x20, int(sensor, 16),
                int(entity, 16), int(inst, 16)])
    b += bytes([int(ed1, 16), int(ed2, 16), int(ed3, 16)]) + b"\xff" * 5
    b += b"\x19"                           # English
    b += int(mfr).to_bytes(4, "big") + int(sysid, 16).to_bytes(2, "big")
    b += bytes.fromhex(oem)
    s = spec if spec == "NA" else str(int(spec, 16))
    print(s, " ".join("0x%02x" % x for x in b))
EOF
ncases=$(wc -l <"$W/traps.txt")
((ncases >= 20)) || fail "only $ncases cases in $CASES"
msg "$ncases traps"

FI=(-D LAN_2_0 -I 3 -l ADMIN -h 127.0.71.1 --config-file="$W/freeipmi.conf"
    --sdr-cache-directory="$W/sdr" --quiet-cache)
RUN_TIMEOUT=40
run_to ipmi-pet ipmi-pet "${FI[@]}" -vv --comma-separated-output \
    --no-header-output --output-event-severity --file="$W/traps.txt" ||
    fail "ipmi-pet failed"
printf '%s\n' "$RUN_OUT" >"$W/ref.csv"
"$PETTOOL" lines <"$W/traps.txt" >"$W/ours.csv" ||
    fail "pettool failed: $(cat "$W/ours.csv")"

python3 - "$CASES" "$W/ref.csv" "$W/ours.csv" "$DISPUTES" <<'EOF'
import re, sys

cases = [l.split() for l in open(sys.argv[1])
         if l.strip() and not l.startswith("#")]
ref = [l.rstrip("\n") for l in open(sys.argv[2]) if l.strip()]
ours = [l.rstrip("\n") for l in open(sys.argv[3]) if l.strip()]
disputes = set()
for l in open(sys.argv[4]):
    if l.strip() and not l.startswith("#"):
        f = [x.strip() for x in l.split("|")]
        disputes.add((f[0], f[1], f[2]))

SEV = ("N/A|Monitor|Information|Ok|Non-critical condition|"
       "Critical condition|Non-recoverable condition|Unspecified")
LINE = re.compile(r"^([^,]*),([^,]*),(Sensor #[0-9]+|[^,]*),([^,]*),"
                  r"([0-9a-f-]{36}),(.*),([0-9]+),(" + SEV + r"),"
                  r"(Assertion Event|Deassertion Event|N/A),(.*)$")

def norm(s):
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()

if len(ref) != len(cases) or len(ours) != len(cases):
    print("FAIL: %d cases, %d ipmi-pet lines, %d of ours" %
          (len(cases), len(ref), len(ours)))
    sys.exit(1)
names = ["date", "time", "sensor", "type", "guid", "manufacturer",
         "system id", "severity", "direction", "event"]
bad = compared = disputed = skipped = 0
used = set()
for c, r, o in zip(cases, ref, ours):
    # a manufacturer's name or an event text may hold commas
    m = LINE.match(r)
    rf = list(m.groups()) if m else []
    of = o.split(",")
    of = of[:9] + [",".join(of[9:-5])] + of[-5:]
    if len(rf) != 10 or len(of) != 15:
        print("FAIL: %s: cannot split\n  ipmi-pet: %s\n  ours:     %s"
              % (c[0], r, o))
        bad += 1
        continue
    # ipmi-pet's reading of event data 2-3 follows " | ", of OEM
    # custom fields " ; "
    rf[9] = rf[9].split(" | ")[0].split(" ; ")[0]
    for i, field in enumerate(names):
        a, b = rf[i], of[i]
        if field == "manufacturer" and b == "?":
            skipped += 1            # our table does not name it
            continue
        compared += 1
        if a == b or norm(a) == norm(b):
            continue
        # "Super Micro Computer" for "Super Micro Computer Inc."
        if field == "manufacturer" and norm(a).startswith(norm(b) + " "):
            continue
        if (field, a, b) in disputes:
            disputed += 1
            used.add((field, a, b))
            continue
        print("DIFF %s %s: ipmi-pet '%s', ours '%s'" % (c[0], field, a, b))
        bad += 1
    # what ipmi-pet does not print: held to the case file
    want = [str(int(c[4], 16)), str(int(c[5], 16)), str(int(c[3], 16)),
            str(int(c[9]))]
    if of[10:14] != want:
        print("DIFF %s entity,instance,sensor,manufacturer: case %s, ours %s"
              % (c[0], want, of[10:14]))
        bad += 1
    compared += 1
for d in sorted(disputes - used):
    print("note: dispute not seen: %s" % " | ".join(d))
print("%d traps, %d fields compared, %d disputed (reviewed), %d not "
      "compared (manufacturer not in our table), %d differences" %
      (len(cases), compared, disputed, skipped, bad))
sys.exit(1 if bad or compared == 0 else 0)
EOF
rc=$?
((rc == 0)) || fail "ipmi-pet and ipmi/pet disagree (see above)"
msg "ok"
