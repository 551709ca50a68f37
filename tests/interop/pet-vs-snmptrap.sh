#!/usr/bin/env bash
# ipmi/pet's trap reader against datagrams net-snmp builds: `snmptrap -v 1`
# sends each trap of pet-cases.txt (enterprise 1.3.6.1.4.1.3183.1.1, agent
# address 127.0.71.9, generic 6, the case's specific trap, an uptime, and
# the PET binding as an OCTET STRING given in hex) to a small python UDP
# listener on 127.0.71.2; build/tests/tools/pettool decodes each captured
# datagram (pet_datagram_decode), which must give
#   - the trap fields snmptrap was told: community, enterprise, agent,
#     generic and specific trap, time-stamp, one binding;
#   - the same PET fields, column for column, as pettool's own
#     encode-and-decode of the same binding (`pettool lines`, held to
#     ipmi-pet by pet-vs-ipmi-pet.sh).
# Then the refusals, on datagrams snmptrap builds: another enterprise, a
# generic trap (coldStart), an SNMPv2c trap; each decodes to its reason.
# Zero datagrams compared fails.
set -u
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

need_tool snmptrap python3
PETTOOL=$O/tests/tools/pettool
[[ -x $PETTOOL ]] || fail "pettool is not built: $PETTOOL"
CASES=$TOP/tests/interop/pet-cases.txt
export TZ=UTC MIBS=		# numeric OIDs only: load no MIB
LISTEN=127.0.71.2
PORT=16262
AGENT=127.0.71.9
ENT=1.3.6.1.4.1.3183.1.1

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-petsnmp.XXXXXX") || fail "mktemp failed"
_lib_tmpdirs+=("$W")

# the cases: NAME SPECIFIC HEX (no NA: snmptrap needs a number)
python3 - "$CASES" >"$W/cases" <<'EOF' || fail "cannot read $CASES"
import sys
GUID = bytes.fromhex("44454c4c50001059" "8043b2c04f333358")
for line in open(sys.argv[1]):
    f = line.split()
    if not f or f[0].startswith("#") or f[1] == "NA":
        continue
    (name, spec, sev, sensor, entity, inst, ed1, ed2, ed3, mfr, sysid, ts,
     utc, seq, oem) = f
    b = bytearray(GUID)
    b += int(seq).to_bytes(2, "big") + int(ts).to_bytes(4, "big")
    b += (b"\xff\xff" if utc == "-" else
          (int(utc) & 0xffff).to_bytes(2, "big"))
    b += bytes([0x20, 0x20, int(sev, 16), 0x20, int(sensor, 16),
                int(entity, 16), int(inst, 16)])
    b += bytes([int(ed1, 16), int(ed2, 16), int(ed3, 16)]) + b"\xff" * 5
    b += b"\x19" + int(mfr).to_bytes(4, "big")
    b += int(sysid, 16).to_bytes(2, "big") + bytes.fromhex(oem)
    print(name, int(spec, 16), b.hex())
EOF
ncases=$(wc -l <"$W/cases")
((ncases >= 20)) || fail "only $ncases cases"

# the listener: each datagram into $W/dgram.N, N from 1; "ready" once bound
cat >"$W/listen.py" <<'EOF'
import socket, sys
out, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, port))
open(out + "/ready", "w").close()
n = 0
while True:
    d = s.recv(65536)
    n += 1
    with open("%s/dgram.%d.tmp" % (out, n), "wb") as f:
        f.write(d)
    import os
    os.rename("%s/dgram.%d.tmp" % (out, n), "%s/dgram.%d" % (out, n))
EOF
python3 "$W/listen.py" "$W" "$LISTEN" "$PORT" >"$TEST_LOGDIR/$TEST_NAME.listen.log" 2>&1 &
_lib_register $! listener "$TEST_LOGDIR/$TEST_NAME.listen.log" 0
poll_until 10 test -e "$W/ready" || fail "the UDP listener did not start"

sent=0
# send ARGS...: one snmptrap; wait for its datagram; the file in DGRAM
send() {
	sent=$((sent + 1))
	timeout 10 snmptrap "$@" >>"$TEST_LOGDIR/$TEST_NAME.snmptrap.log" 2>&1 ||
	    fail "snmptrap $* failed"
	DGRAM=$W/dgram.$sent
	poll_until 10 test -e "$DGRAM" || fail "datagram $sent never arrived"
}

compared=0
while read -r name spec hex; do
	spaced=$(sed 's/../& /g' <<<"$hex")
	send -v 1 -c public "udp:$LISTEN:$PORT" "$ENT" "$AGENT" 6 "$spec" \
	    $((4000 + sent)) "$ENT.1" x "$spaced"
	got=$("$PETTOOL" datagram "$DGRAM") ||
	    fail "$name: pettool refused snmptrap's datagram: $got"
	want_trap="trap: community=public enterprise=$ENT agent=$AGENT generic=6 specific=$spec timeticks=$((4000 + sent - 1)) bindings=1"
	expect_eq "$(sed -n 1p <<<"$got")" "$want_trap" "$name: trap fields"
	# the same binding through our own encoder
	line="$spec $(sed 's/../0x& /g' <<<"$hex")"
	want=$("$PETTOOL" lines <<<"$line")
	expect_eq "$(sed -n 2p <<<"$got")" "$want" "$name: PET fields"
	compared=$((compared + 1))
done <"$W/cases"
((compared == ncases && compared > 0)) ||
    fail "$compared of $ncases datagrams compared"
msg "$compared snmptrap datagrams decode as sent"

# refusals
read -r _ spec hex < <(head -1 "$W/cases")
spaced=$(sed 's/../& /g' <<<"$hex")
send -v 1 -c public "udp:$LISTEN:$PORT" 1.3.6.1.4.1.9999.1 "$AGENT" 6 \
    "$spec" 1 "$ENT.1" x "$spaced"
got=$("$PETTOOL" datagram "$DGRAM")
expect_match "$got" '^error: enterprise is not IPMI PET' "another enterprise"
expect_match "$got" 'enterprise=1\.3\.6\.1\.4\.1\.9999\.1 ' "another enterprise"
send -v 1 -c public "udp:$LISTEN:$PORT" "$ENT" "$AGENT" 0 0 1 \
    "$ENT.1" x "$spaced"
got=$("$PETTOOL" datagram "$DGRAM")
expect_match "$got" '^error: generic trap is not enterprise-specific' "coldStart"
send -v 2c -c public "udp:$LISTEN:$PORT" 1 "$ENT.0.$spec" "$ENT.1" x "$spaced"
got=$("$PETTOOL" datagram "$DGRAM")
expect_match "$got" '^error: not SNMPv1$' "SNMPv2c"
msg "ok: $compared traps, 3 refusals"
