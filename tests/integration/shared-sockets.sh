#!/usr/bin/env bash
# The driver's shared sockets (issue 16, item 2): many sessions on a few
# unconnected UDP sockets, every answer matched to its session by source
# address and port, then by session ID and integrity check.
#
#   1. 120 BMCs with 5% loss, every answer of 40 of them duplicated and a
#      stale answer after every second one of 40 others, plus three names
#      of one BMC at once (never on one socket together): every host's
#      sensors equal what the same fleet served without loss or quirks
#      (same seed, readings frozen: bmcsim's truth), compared per sensor.
#   2. a host where nothing listens (ICMP port unreachable on loopback)
#      fails by reason "unreachable", not "timeout".
#   3. 1,000 BMCs in flight at once (two bmcsim fleets of 500, one port
#      each, answering slowly): the process holds a handful of sockets
#      (counted in /proc/PID/fd while it runs), and every host is done.
#
# Addresses: 127.0.160.1-255, 127.0.161.0-244 (the unreachable one is
# 127.0.161.251), ports 623, 6230 and 6231.
#
# Planted fault, to see the oracle fail (the test must then FAIL):
#   PLANT_FAULT=truth  the truth of 127.0.160.9 has one reading changed
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

PLANT_FAULT=${PLANT_FAULT:-}
[[ -n $PLANT_FAULT ]] && msg "PLANT_FAULT=$PLANT_FAULT: this run must fail"
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-socks.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
export BMCFLEET_PASSWORD=s3cret-pw
RUN_TIMEOUT=90
N=120
SIM=(--count "$N" --base 127.0.160.1 --user admin --password s3cret-pw
    --power on --seed 16 --reading-window-ms 0 --quiet)
F=("$BMCFLEET" -U admin -E --format json --timeout 300ms --retries 8
    --sdr-cache "$W/cache")
mkdir "$W/cache" || fail "mkdir"

# --- 1. loss, duplicates, reordering, one BMC under three names -----------
start_bmcsim "${SIM[@]}"
timeout 90 "${F[@]}" -H "127.0.160.[1-$N]" sensors >"$W/truth.json" \
    2>"$W/truth.err" || fail "the reference run failed: $(tail -3 "$W/truth.err")"
stop_bmcsim
start_bmcsim "${SIM[@]}" --loss 5 --quirk duplicate:1-40 --quirk reorder:41-80
# 127.0.160.7 three times: dotted, a.b and hexadecimal (inet_aton's forms)
timeout 90 "${F[@]}" \
    -H "127.0.160.[1-$N],127.40967,0x7f00a007,127.0.161.251" sensors \
    >"$W/lossy.json" 2>"$W/lossy.err"
msg "lossy run: $(tail -1 "$W/lossy.err")"
python3 - "$W/truth.json" "$W/lossy.json" "$PLANT_FAULT" <<'PY' ||
import json, sys

def hosts(path):
    return {h['host']: h for h in json.load(open(path))}

truth, got, plant = hosts(sys.argv[1]), hosts(sys.argv[2]), sys.argv[3]
if plant == 'truth':
    s = truth['127.0.160.9']['sensors'][0]
    s['reading'] = (s.get('reading') or 0) + 1
alias = {'127.40967': '127.0.160.7', '0x7f00a007': '127.0.160.7'}
bad = compared = 0
for name, h in sorted(got.items()):
    if name == '127.0.161.251':
        continue
    ref = truth.get(alias.get(name, name))
    if ref is None or not ref.get('ok') or not h.get('ok'):
        print(f'{name}: not ok: {h.get("reason")} {h.get("error")}')
        bad += 1
        continue
    a, b = ref['sensors'], h['sensors']
    if len(a) != len(b) or not a:
        print(f'{name}: {len(b)} sensors, the truth has {len(a)}')
        bad += 1
        continue
    for x, y in zip(a, b):
        compared += 1
        if x != y:
            print(f'{name}: {y} != truth {x}')
            bad += 1
want = 120 + 2
if len(got) != want + 1:
    print(f'{len(got)} hosts in the output, want {want + 1}')
    bad += 1
print(f'{len(got) - 1} hosts, {compared} sensors compared, {bad} wrong')
sys.exit(1 if bad or compared == 0 else 0)
PY
    fail "readings under loss/duplicates/reordering differ from the truth"

# --- 2. nobody listening: unreachable ---------------------------------------
python3 - "$W/lossy.json" <<'PY' ||
import json, sys
for h in json.load(open(sys.argv[1])):
    if h['host'] == '127.0.161.251':
        print(f'127.0.161.251: {h.get("reason")}: {h.get("error")}')
        sys.exit(0 if h.get('reason') == 'unreachable' else 1)
print('127.0.161.251: not in the output')
sys.exit(1)
PY
    fail "a host where nothing listens did not fail 'unreachable'"
stop_bmcsim

# --- 3. 1,000 in flight, a handful of sockets -------------------------------
# (the old driver took one socket per session: 1,000 here)
for port in 6230 6231; do
	start_bmcsim --count 500 --base 127.0.160.1 --port "$port" \
	    --user admin --password s3cret-pw --latency-ms 150 --quiet
done
"${F[@]}" --fanout 1000 \
    -H "127.0.160.[1-255]:6230,127.0.161.[0-244]:6230,127.0.160.[1-255]:6231,127.0.161.[0-244]:6231" \
    mc info >"$W/thousand.json" 2>"$W/thousand.err" &
pid=$!
max=0
deadline=$(($(_lib_now_ms) + 60000))
while _lib_alive "$pid" && (($(_lib_now_ms) < deadline)); do
	n=$(find "/proc/$pid/fd" -lname 'socket:*' 2>/dev/null | wc -l)
	((n > max)) && max=$n
	sleep 0.05
done
_lib_alive "$pid" && kill "$pid"
wait "$pid" || fail "the 1,000-host run failed: $(tail -3 "$W/thousand.err")"
ok=$(grep -c '"ok": true' "$W/thousand.json")
msg "1,000 in flight: $ok hosts ok, at most $max sockets open"
expect_eq "$ok" 1000 "hosts ok"
((max >= 1)) || fail "no socket seen: the sampling missed the run"
((max <= 8)) || fail "$max sockets for 1,000 sessions, want a handful (<= 8)"
msg "PASS"
