#!/usr/bin/env bash
# bmcfleet sensors against 200 simulated BMCs: every host answers with its
# full sensor list, and a second run with a warm SDR cache reads no SDR
# records at all.  How we know: bmcsim counts the Get SDR commands it
# serves (--stats, written on SIGUSR1), and the count must not move during
# the warm run while Get Sensor Reading keeps counting.
set -u
. "$(dirname "$0")/../interop/lib.sh"

STATS=$TEST_LOGDIR/$TEST_NAME.stats.json
CACHE=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-sdrcache.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$CACHE")
start_bmcsim --count 200 --base 127.0.6.1 --user admin --password s3cret-pw \
    --power on --seed 5 --stats "$STATS"
export BMCFLEET_PASSWORD=s3cret-pw
F=("$BMCFLEET" -H '127.0.6.[1-200]' -U admin -E --sdr-cache "$CACHE")
RUN_TIMEOUT=120

# counter NAME: the sum of counter NAME over every BMC, after a fresh dump
counter() {
	rm -f "$STATS"
	kill -USR1 "$BMCSIM_PID"
	poll_until 5 test -s "$STATS" || fail "bmcsim wrote no stats"
	python3 -c 'import json, sys
print(sum(json.loads(l).get(sys.argv[1], 0) for l in open(sys.argv[2])
          if l.strip()))' "$1" "$STATS"
}

sdr0=$(counter get_sdr)
expect_eq "$sdr0" 0 "get_sdr before any run"

run_to cold "${F[@]}" --format json sensors || fail "cold run failed"
expect_eq "$(grep -c '"ok": true' <<<"$RUN_OUT")" 200 "cold: hosts ok"
sdr1=$(counter get_sdr)
rd1=$(counter get_sensor_reading)
((sdr1 > 0)) || fail "cold run read no SDR records"
n=$(ls "$CACHE" | wc -l)
((n >= 1)) || fail "cold run left no cache entry in $CACHE"
msg "cold run: $sdr1 Get SDR commands, $rd1 readings, $n cache entries"

# every host reports the same number of sensors, each with a name, and
# every threshold sensor either has a number or says why not
counts=$(grep -o '"record_id"' <<<"$RUN_OUT" | wc -l)
((counts >= 200 * 30)) || fail "expected >= 30 sensors per host, got $counts in all"

run_to warm "${F[@]}" --format json sensors || fail "warm run failed"
expect_eq "$(grep -c '"ok": true' <<<"$RUN_OUT")" 200 "warm: hosts ok"
sdr2=$(counter get_sdr)
rd2=$(counter get_sensor_reading)
expect_eq "$sdr2" "$sdr1" "Get SDR commands during the warm run"
((rd2 > rd1)) || fail "warm run read no sensors ($rd1 -> $rd2)"
msg "warm run: Get SDR stayed at $sdr2; readings $rd1 -> $rd2"

run_to nocache "${F[@]}" --no-sdr-cache --format json sensors ||
    fail "--no-sdr-cache run failed"
sdr3=$(counter get_sdr)
((sdr3 > sdr2)) || fail "--no-sdr-cache did not re-read the SDRs"
msg "ok"
