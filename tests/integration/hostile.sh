#!/usr/bin/env bash
# bmcfleet against bmcsim's hostile BMCs (bmcsim(1), HOSTILE BMCS): one
# BMC per hostile way plus clean ones, all of one model (dell-r640), so
# that the SDR repository is the same on every BMC and any host that
# succeeds must list exactly the clean hosts' sensors.
#
#   127.0.28.1-2    clean
#   127.0.28.3-11   --hostile 3-11: slow, drip, churn, endless-sel,
#                   lie-lengths, lie-rmcpp-length, duplicate+reorder,
#                   no-slot, reboot (in that order: bmcsim's --stats
#                   says which BMC got which)
#   127.0.28.12-16  --quirk: lie-sdr-length, lie-fru-offset,
#                   lie-sel-count, duplicate, reorder
#
# `bmcfleet -H ... -U admin -E --timeout 1000 --deadline 7s` runs
# sensors (over RMCP+, then IPMI v1.5), sel list and fru on all 16 at once.  Each run must end within
# the deadline plus a few seconds (so no host hangs past it); the clean
# hosts succeed; each hostile host fails by the reason written below, or
# succeeds where the protocol allows it (1-byte reads, duplicates, a
# changing SDR time stamp, lies a reader can see through).  Oracles:
# bmcsim's own --sel-dump (the entries each SEL holds) and --stats (the
# quirks each BMC plays; the Get SDR requests served), and the clean hosts'
# sensor list.  The last lines are a table of what happened per quirk
# (also in $O/test-logs/hostile.table.log).
set -u
. "$(dirname "$0")/../interop/lib.sh"

# the slow BMC runs into it every run; the slowest of the others to fail
# by its own reason, lie-rmcpp-length (its session's retries), is done in
# 5 s, the reboot one's timeout in 4 s
DEADLINE=7
SLACK=5
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-hostile.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
NET=127.0.28

start_bmcsim --count 16 --base $NET.1 --user admin --password s3cret-pw \
    --power on --seed 28 --model dell-r640 --sel-epoch 1790000000 \
    --hostile 3-11 --quirk lie-sdr-length:12 --quirk lie-fru-offset:13 \
    --quirk lie-sel-count:14 --quirk duplicate:15 --quirk reorder:16 \
    --stats "$W/stats.json" --sel-dump "$W/sel.json" --quiet
export BMCFLEET_PASSWORD=s3cret-pw

# snapshot NAME: bmcsim's --stats and --sel-dump now, as NAME.stats/.sel
snapshot() {
	rm -f "$W/stats.json" "$W/sel.json"
	kill -USR1 "$BMCSIM_PID" || fail "bmcsim is gone"
	# --sel-dump is written after --stats, each renamed into place
	poll_until 10 test -s "$W/sel.json" || fail "no --sel-dump on SIGUSR1"
	cp "$W/stats.json" "$W/$1.stats"
	cp "$W/sel.json" "$W/$1.sel"
}

# field FILE HOST KEY: a BMC's value of KEY in a JSON lines snapshot
field() {
	python3 - "$@" <<'EOF'
import json, sys
path, host, key = sys.argv[1:4]
for line in open(path):
    d = json.loads(line)
    if d["bmc"] == host:
        v = d[key]
        print(",".join(v) if isinstance(v, list) else v)
EOF
}

# --- which BMC is hostile how: bmcsim's word, not ours ---------------------
snapshot start
declare -A QUIRK=([1]=clean [2]=clean [3]=slow [4]=drip [5]=churn
    [6]=endless-sel [7]="lie-sdr-length,lie-fru-offset,lie-sel-count"
    [8]=lie-rmcpp-length [9]="duplicate,reorder" [10]=no-slot [11]=reboot
    [12]=lie-sdr-length [13]=lie-fru-offset [14]=lie-sel-count
    [15]=duplicate [16]=reorder)
for i in $(seq 1 16); do
	q=$(field "$W/start.stats" "$NET.$i" quirks)
	expect_eq "${q:-clean}" "${QUIRK[$i]}" "bmcsim's quirks of $NET.$i"
done
# the table's names: --hostile's groups by their own
QUIRK[7]=lie-lengths
QUIRK[9]=duplicate+reorder
expect_eq "$(field "$W/start.stats" "$NET.3" slow_ms)" 900 "slow_ms default"
expect_eq "$(field "$W/start.stats" "$NET.11" reboot_after)" 20 \
    "reboot_after default"

# run [-I lan] CMD...: bmcfleet CMD on all 16, timed; RUN_OUT, RUN_RC,
# ELAPSED (ms)
run() {
	local t0 name=${*// /-}
	name=${name#-}
	RUN_TIMEOUT=$((DEADLINE + 30))
	t0=$(_lib_now_ms)
	run_to "$name" "$BMCFLEET" -H "$NET.[1-16]" -U admin -E \
	    --timeout 1000 --deadline ${DEADLINE}s --no-sdr-cache "$@"
	ELAPSED=$(($(_lib_now_ms) - t0))
	msg "$*: exit $RUN_RC in $ELAPSED ms"
	((ELAPSED < (DEADLINE + SLACK) * 1000)) ||
	    fail "$*: took $ELAPSED ms, past the ${DEADLINE} s deadline + ${SLACK} s"
	expect_eq "$RUN_RC" 1 "$*: exit status (some hosts fail)"
	expect_no_match "$RUN_OUT" "$_lib_sanitizer_re" "$*: sanitizer"
}

TABLE=()
# note QUIRK CMD RESULT: a row of the final table
note() { TABLE+=("$(printf '%-34s %-9s %s' "$1" "$2" "$3")"); }

# lines HOST: the output lines of HOST ("HOST ..." or "HOST: ...")
lines() { grep -E "^$NET\\.$1(:| )" <<<"$RUN_OUT"; }
# the error line of a failed host, or nothing
errline() { grep -E "^$NET\\.$1: error: " <<<"$RUN_OUT"; }

# expect_fail HOST ERE CMD: HOST failed with a line matching ERE
expect_fail() {
	local e
	e=$(errline "$1")
	[[ -n $e ]] || fail "$3: $NET.$1 (${QUIRK[$1]}) did not fail:"$'\n'"$(lines "$1")"
	expect_match "$e" "$2" "$3: $NET.$1 (${QUIRK[$1]})"
	note "${QUIRK[$1]}" "$3" "failed: ${e#*: error: }"
}

# expect_ok HOST CMD [WHAT]: HOST printed lines and no error
expect_ok() {
	[[ -z $(errline "$1") ]] || fail "$2: $NET.$1 (${QUIRK[$1]}) failed: $(errline "$1")"
	[[ -n $(lines "$1") ]] || fail "$2: $NET.$1 printed nothing"
	note "${QUIRK[$1]}" "$2" "ok${3:+: $3}"
}

# --- sensors ---------------------------------------------------------------
snapshot before-sensors
run sensors
# "HOST  NAME  NUMh  ..." -> "NAME|NUM", the repository as the host saw it
sensor_list() {
	lines "$1" | sed -E "s/^$NET\\.$1 +//; s/^(.*[^ ]) +([0-9A-F]{2}h) .*/\\1|\\2/"
}
clean=$(sensor_list 1)
nclean=$(wc -l <<<"$clean")
((nclean >= 20)) || fail "sensors: clean host printed only $nclean sensors"
expect_eq "$(sensor_list 2)" "$clean" "sensors: the two clean hosts' lists"
for i in 4 5 6 9 13 14 15 16; do
	expect_eq "$(sensor_list $i)" "$clean" \
	    "sensors: $NET.$i (${QUIRK[$i]}) sensor list, once each"
done
snapshot after-sensors
sdr() {
	echo $(($(field "$W/after-sensors.stats" "$NET.$1" get_sdr) -
	    $(field "$W/before-sensors.stats" "$NET.$1" get_sdr)))
}
sdr1=$(sdr 1)
sdr4=$(sdr 4)
# drip: every byte of every record a request of its own, and yet the
# right list; a clean walk takes a couple of reads per record
((sdr4 > 5 * sdr1)) || fail "sensors: the drip BMC served $sdr4 Get SDRs, the clean one $sdr1"
expect_ok 1 sensors "$nclean sensors, $sdr1 Get SDR"
expect_ok 2 sensors "$nclean sensors"
expect_fail 3 "error: deadline: not done after $DEADLINE\\.[0-9]+ s \\([1-9][0-9]* requests answered\\)" sensors
expect_ok 4 sensors "$nclean sensors, the clean list, in $sdr4 1-byte Get SDRs"
expect_ok 5 sensors "$nclean sensors, the clean list"
expect_ok 6 sensors "$nclean sensors (no SEL read)"
expect_fail 7 "error: command failed: sdr repository: record 0001h: no data where its header claims more \\([0-9]+ of [0-9]+ bytes read; after 0 records\\)" sensors
expect_fail 8 "error: session error: [0-9]+ answers during open-session malformed or shorter than their length fields claim, none usable" sensors
expect_ok 9 sensors "$nclean sensors, the clean list, once each"
expect_fail 10 "error: session error: BMC has no free session slot" sensors
expect_fail 11 "error: command failed: no response from BMC \\(timed out\\)" sensors
expect_fail 12 "error: command failed: sdr repository: record 0001h: no data where its header claims more \\([0-9]+ of [0-9]+ bytes read; after 0 records\\)" sensors
# the lie is exactly bmcsim's: 32 bytes more than the record has
got12=$(errline 12 | sed -E 's/.*\(([0-9]+) of ([0-9]+) bytes read.*/\2-\1/')
expect_eq "$((got12))" 32 "sensors: lie-sdr-length, bytes claimed past the record"
expect_ok 13 sensors "$nclean sensors"
expect_ok 14 sensors "$nclean sensors"
expect_ok 15 sensors "$nclean sensors, the clean list, once each"
expect_ok 16 sensors "$nclean sensors, the clean list, once each"
expect_match "$RUN_OUT" "bmcfleet: 6 of 16 hosts failed" "sensors: summary"
expect_eq "$(field "$W/after-sensors.stats" "$NET.11" reboots)" 1 \
    "sensors: the rebooting BMC rebooted once"

# --- sensors over IPMI v1.5 (-I lan) ---------------------------------------
# The v1.5 session has its own sequence window and its own handshake
# answers to be copied; lie-rmcpp-length does not touch it.
run -I lan sensors
for i in 1 4 5 6 8 9 13 14 15 16; do
	expect_eq "$(sensor_list $i)" "$clean" \
	    "sensors -I lan: $NET.$i (${QUIRK[$i]}) sensor list, once each"
done
expect_fail 3 "error: deadline" "-I lan"
expect_ok 8 "-I lan" "$nclean sensors (no RMCP+: nothing to lie in)"
expect_ok 9 "-I lan" "$nclean sensors, the clean list, once each"
expect_fail 10 "error: session error: BMC has no free session slot \\(completion code 0x81\\)" "-I lan"
expect_fail 11 "error: command failed: no response from BMC \\(timed out\\)" "-I lan"
expect_fail 12 "error: command failed: sdr repository: record 0001h: no data where its header claims more" "-I lan"
expect_ok 15 "-I lan" "$nclean sensors, the clean list, once each"
expect_ok 16 "-I lan" "$nclean sensors, the clean list, once each"
expect_match "$RUN_OUT" "bmcfleet: 5 of 16 hosts failed" "sensors -I lan: summary"

# --- sel list: held to bmcsim's own SEL ------------------------------------
snapshot before-sel
run sel list
snapshot after-sel
# ids HOST: the record IDs printed for HOST, one a line, in order
ids() { lines "$1" | awk '{ print $2 }'; }
# a host that succeeds lists every entry of its SEL once, in chain order:
# as many as bmcsim held before the run, or after (an event may be logged
# while we read), and no ID twice
sel_ok() {
	local i=$1 n b a
	n=$(ids "$i" | wc -l)
	b=$(field "$W/before-sel.sel" "$NET.$i" count)
	a=$(field "$W/after-sel.sel" "$NET.$i" count)
	((n >= b && n <= a)) ||
	    fail "sel list: $NET.$i (${QUIRK[$i]}) printed $n entries, bmcsim held $b..$a"
	[[ -z $(ids "$i" | sort | uniq -d) ]] ||
	    fail "sel list: $NET.$i (${QUIRK[$i]}) printed an entry twice"
	expect_ok "$i" "sel list" "all $n entries of bmcsim's SEL${2:+, $2}"
}
sel_ok 1
sel_ok 2
expect_fail 3 "error: deadline" "sel list"
sel_ok 4
sel_ok 5
# endless-sel: the chain is held to Get SEL Info's count (plus slack) and
# the host is failed well within the deadline
expect_fail 6 "error: command failed: reading the SEL: the next-record chain runs past the entries Get SEL Info gave \\([0-9]+ entries read, Get SEL Info said [0-9]+\\)" "sel list"
said=$(errline 6 | sed -E 's/.*Get SEL Info said ([0-9]+)\)$/\1/')
read6=$(errline 6 | sed -E 's/.*\(([0-9]+) entries read.*/\1/')
b6=$(field "$W/before-sel.sel" "$NET.6" count)
a6=$(field "$W/after-sel.sel" "$NET.6" count)
((said >= b6 && said <= a6)) ||
    fail "sel list: the endless SEL's count $said, bmcsim's $b6..$a6"
expect_eq "$read6" $((said + 16)) "sel list: entries read of the endless SEL"
gse=$(($(field "$W/after-sel.stats" "$NET.6" get_sel_entry) -
    $(field "$W/before-sel.stats" "$NET.6" get_sel_entry)))
expect_eq "$gse" "$read6" "sel list: Get SEL Entry asked of the endless SEL"
sel_ok 7 "not the 1000 more Get SEL Info claims"
expect_fail 8 "error: session error: [0-9]+ answers during open-session malformed" "sel list"
sel_ok 9 "once each"
expect_fail 10 "error: session error: BMC has no free session slot" "sel list"
expect_fail 11 "error: command failed: no response from BMC \\(timed out\\)" "sel list"
sel_ok 12
sel_ok 13
sel_ok 14 "not the 1000 more Get SEL Info claims"
sel_ok 15 "once each"
sel_ok 16 "once each"

# --- fru -------------------------------------------------------------------
run fru
for i in 1 2 4 5 6 9 14 15 16; do
	expect_match "$(lines $i)" "^$NET\\.$i: FRU Device Description : PS1 FRU \\(ID 1\\)" \
	    "fru: $NET.$i (${QUIRK[$i]}) the PSU's FRU"
	expect_no_match "$(lines $i)" "Problem|not read" "fru: $NET.$i"
	expect_eq "$(lines $i | wc -l)" "$(lines 1 | wc -l)" \
	    "fru: $NET.$i (${QUIRK[$i]}) lines, as many as the clean host's"
done
expect_ok 1 fru "2 devices"
expect_ok 2 fru "2 devices"
expect_fail 3 "error: deadline" fru
expect_ok 4 fru "2 devices, in 1-byte reads"
expect_ok 5 fru "2 devices"
expect_ok 6 fru "2 devices"
# the lies: the product area past the end is named, device 1 (located by
# the unreadable SDRs) is said to be missing, not left out silently
expect_match "$(lines 7)" "^$NET\\.7:  Problem +: product info area: starts past the end of the data" \
    "fru: lie-lengths, the FRU offset"
expect_match "$(lines 7)" "^$NET\\.7: FRU devices beyond ID 0 not read: sdr repository: record 0001h: no data where its header claims more" \
    "fru: lie-lengths, the SDR"
expect_ok 7 fru "device 0 with 'product info area: starts past the end', 'FRU devices beyond ID 0 not read: sdr repository: record 0001h: no data where its header claims more'"
expect_fail 8 "error: session error: [0-9]+ answers during open-session malformed" fru
expect_ok 9 fru "2 devices"
expect_fail 10 "error: session error: BMC has no free session slot" fru
expect_fail 11 "error: command failed: no response from BMC \\(timed out\\)" fru
expect_match "$(lines 12)" "^$NET\\.12: FRU devices beyond ID 0 not read: sdr repository: record 0001h: no data where its header claims more \\([0-9]+ of [0-9]+ bytes read; after 0 records\\)" \
    "fru: lie-sdr-length"
expect_ok 12 fru "device 0, and 'FRU devices beyond ID 0 not read: sdr repository: record 0001h: no data where its header claims more'"
np=$(lines 13 | grep -c "Problem *: product info area: starts past the end of the data")
expect_eq "$np" 2 "fru: lie-fru-offset, the problem on both devices"
expect_ok 13 fru "both devices with 'product info area: starts past the end of the data'"
expect_ok 14 fru "2 devices"
expect_ok 15 fru "2 devices"
expect_ok 16 fru "2 devices"

# --- churn and the SDR cache ------------------------------------------------
# A clean BMC's SDRs come from the cache on a second run; the churning
# one's time stamp moved, so every run walks again and files another
# entry, until the prune at the end of a run (30 days unused, then least
# recently used down to 512 entries and 64 MiB: test_sdrcache holds it)
# drops the oldest.
snapshot before-cache
for k in 1 2 3; do
	run_to cache$k "$BMCFLEET" -H "$NET.1,$NET.5" -U admin -E \
	    --timeout 1000 --deadline ${DEADLINE}s --sdr-cache "$W/cache" \
	    sensors >/dev/null || fail "sensors with the SDR cache, run $k"
done
snapshot after-cache
d1=$(($(field "$W/after-cache.stats" "$NET.1" get_sdr) -
    $(field "$W/before-cache.stats" "$NET.1" get_sdr)))
d5=$(($(field "$W/after-cache.stats" "$NET.5" get_sdr) -
    $(field "$W/before-cache.stats" "$NET.5" get_sdr)))
files=$(find "$W/cache" -type f | wc -l)
((d1 > 0 && d5 >= 3 * d1)) ||
    fail "churn: 3 cached runs served $d5 Get SDRs (churn), $d1 (clean)"
note churn "sensors" "3 runs with --sdr-cache: $d5 Get SDR (clean BMC: $d1, one walk); $files cache files (pruned past 512 entries or 64 MiB)"

# --- what happened ---------------------------------------------------------
{
	printf '%-34s %-9s %s\n' QUIRK COMMAND "WHAT BMCFLEET DID (--timeout 1000 --deadline ${DEADLINE}s)"
	printf '%s\n' "${TABLE[@]}"
} | tee "$TEST_LOGDIR/hostile.table.log"
msg "pass"
