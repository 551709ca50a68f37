#!/usr/bin/env bash
# make demo: a simulated fleet of 50 BMCs and a tour of bmcfleet's direct
# mode against it: power status, a power-on, and mc info across all of them.
# Everything runs on loopback (127.0.1.1 .. 127.0.1.50, UDP port 623), so it
# needs root for the privileged port; nothing is left running afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
O=${O:-build}
COUNT=${DEMO_COUNT:-50}
BASE=127.0.1.1
HOSTS="127.0.1.[1-$COUNT]"

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: port 623 is privileged; run 'sudo make demo'" >&2
	exit 1
fi

log=$(mktemp "${TMPDIR:-/tmp}/bmcsim-demo.XXXXXX")
"$O/bmcsim" --count "$COUNT" --base "$BASE" --user admin \
    --password demo-pass --latency-ms 2 --jitter-ms 1 --seed 1 \
    --power-delay-ms 1500 >"$log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do
	grep -q '^bmcsim: ready' "$log" && break
	kill -0 $sim 2>/dev/null || { cat "$log" >&2; exit 1; }
	sleep 0.1
done
grep -q '^bmcsim: ready' "$log" || { echo "demo: bmcsim did not start" >&2; exit 1; }

export BMCFLEET_PASSWORD=demo-pass
run() {
	printf '\n$ %s\n' "$*"
	local t0=$EPOCHREALTIME rc=0
	"$@" || rc=$?
	awk -v a="$t0" -v b="$EPOCHREALTIME" -v rc="$rc" \
	    'BEGIN { printf "(%.2f s, exit %d)\n", b - a, rc }'
}

echo "== bmcsim: $(head -1 "$log")"
echo "== the password comes from BMCFLEET_PASSWORD (-E), never argv"
run "$O/bmcfleet" -H "$HOSTS" -U admin -E power status
run "$O/bmcfleet" -H "$HOSTS" -U admin -E power on
echo "(a real server takes a moment to power on; so does bmcsim)"
sleep 2
run "$O/bmcfleet" -H "$HOSTS" -U admin -E power status
run "$O/bmcfleet" -H "$HOSTS" -U admin -E mc info
run "$O/bmcfleet" -H "127.0.1.[1-3]" -U admin -E --format json power status
echo
echo "== refused by default: cipher suite 0 (no authentication at all)"
run "$O/bmcfleet" -H 127.0.1.1 -U admin -E -C 0 power status || true
echo
echo "== a wrong password says so"
BMCFLEET_PASSWORD=guess run "$O/bmcfleet" -H 127.0.1.1 -U admin -E power status || true
