#!/usr/bin/env bash
# The firmware workarounds (-W LIST, workarounds:) against bmcsim BMCs with
# the bug each exists for (--quirk, quirks:), on 127.0.24.1-8:
#
#   .1 clean          .2 authcap        .3 ignore-seq-reset
#   .4 no-name-lookup .5 no-dcmi        .6 sdr-small-reads
#   .7 authcap + no-dcmi (the collector's)        .8 clean
#
# For each flag: the quirky BMC fails without it with the error that names
# it, succeeds with it, and then gives the same data (the SDR: every
# sensor's number, name, type, units, thresholds) as the clean BMC of the
# same model; the clean BMC succeeds both ways.  Where FreeIPMI has the
# flag (authcap) it too fails without its -W and succeeds with it: the
# quirk is the bug FreeIPMI knows.  sdr-small-reads is no flag any more
# (the SDR walker never reads more than 16 bytes): ipmitool and FreeIPMI
# fail on that BMC, bmcfleet reads it like the clean one and never
# triggers the quirk (bmcsim's quirk_drops).  The collector takes the
# same names from its config: a sweep fails .7 without them, and with
# `workarounds: [authcap, no-dcmi]` on .7's entry stores its sensors and
# no power reading.  bmcsim's quirk parsing (--quirk and quirks:) is
# checked through --stats, unknown names through its exit status.
set -u
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

need_tool python3 ipmitool ipmipower ipmi-sensors

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-wa.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
export BMCFLEET_PASSWORD=s3cret-pw
RUN_TIMEOUT=40

# --- bmcsim's quirk parsing ----------------------------------------------

run_to badquirk "$BMCSIM" --count 1 --base 127.0.24.1 --quirk nope:1
expect_eq "$RUN_RC" 2 "bmcsim --quirk nope: exit status"
expect_match "$RUN_OUT" "unknown quirk 'nope' \(known: authcap, " \
    "bmcsim --quirk nope"
printf 'bmcs:\n  - {index: 1, quirks: [authcap, nope]}\n' >"$W/bad.yaml"
run_to badquirk-yaml "$BMCSIM" --count 1 --base 127.0.24.1 \
    --config "$W/bad.yaml"
expect_eq "$RUN_RC" 2 "bmcsim quirks: [nope]: exit status"
expect_match "$RUN_OUT" "bad.yaml:2:.*unknown quirk 'nope'" \
    "bmcsim quirks: [nope]"

cat >"$W/sim.yaml" <<EOF
defaults: {model: dell-r640}
bmcs:
  - {index: 4, quirks: [no-name-lookup]}
  - {index: 5, quirks: [no-dcmi]}
  - {index: 6, quirks: [sdr-small-reads]}
  - {index: 7, quirks: [authcap]}
  - {index: "7", quirks: [no-dcmi]}
EOF
start_bmcsim --count 8 --base 127.0.24.1 --user admin --password s3cret-pw \
    --power on --seed 24 --config "$W/sim.yaml" --stats "$W/stats.json" \
    --quirk authcap:2 --quirk ignore-seq-reset:3

# stats FIELD: "bmc field" per line, from a fresh --stats
stats() {
	rm -f "$W/stats.json"
	kill -USR1 "$BMCSIM_PID"
	poll_until 5 test -s "$W/stats.json" || fail "no --stats after SIGUSR1"
	python3 - "$W/stats.json" "$1" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    b = json.loads(line)
    v = b[sys.argv[2]]
    print(b["bmc"], ",".join(v) if isinstance(v, list) else v)
EOF
}
expect_eq "$(stats quirks)" "127.0.24.1 
127.0.24.2 authcap
127.0.24.3 ignore-seq-reset
127.0.24.4 no-name-lookup
127.0.24.5 no-dcmi
127.0.24.6 sdr-small-reads
127.0.24.7 authcap,no-dcmi
127.0.24.8 " "quirks per BMC (--quirk and quirks: add up)"

# --- helpers --------------------------------------------------------------

FAST=(--timeout 300 --retries 1)	# a quirk's silence fails quickly

# bf LOGNAME HOST [ARG...]: bmcfleet direct mode, JSON, no SDR cache
bf() {
	local name=$1 host=$2
	shift 2
	run_to "$name" "$BMCFLEET" -H "$host" -U admin -E --format json \
	    --no-sdr-cache "$@"
}

# must_fail LOGNAME ERE HOST ARG...: fails, and the error matches ERE
must_fail() {
	local name=$1 re=$2
	shift 2
	bf "$name" "$@"
	((RUN_RC == 1)) || fail "$name: expected exit 1, got $RUN_RC"
	expect_match "$RUN_OUT" "$re" "$name"
	msg "$name: failed as expected: $(grep -Eo -- "$re" <<<"$RUN_OUT" |
	    head -n 1)"
}

# must_pass LOGNAME HOST ARG...: succeeds; the JSON kept in $W/LOGNAME.json
must_pass() {
	local name=$1
	shift
	bf "$name" "$@"
	((RUN_RC == 0)) || fail "$name: expected success, got exit $RUN_RC"
	printf '%s\n' "$RUN_OUT" | sed -n '/^\[/,$p' >"$W/$name.json"
	msg "$name: ok"
}

# same_sdr A B: the two sensors runs list the same sensors (not readings:
# each simulated BMC reads its own values)
same_sdr() {
	python3 - "$W/$1.json" "$W/$2.json" <<'EOF' ||
import json, sys
def sdr(path):
    h = json.load(open(path))
    assert len(h) == 1 and h[0]["ok"], path
    return [(s["record_id"], s["number"], s["name"], s["type"], s["kind"],
             s.get("units"), json.dumps(s.get("thresholds"), sort_keys=True))
            for s in h[0]["sensors"]]
a, b = sdr(sys.argv[1]), sdr(sys.argv[2])
if not a or a != b:
    print("%d vs %d sensors; first difference: %s" % (len(a), len(b),
          next(((x, y) for x, y in zip(a, b) if x != y), None)))
    sys.exit(1)
print("%d sensors alike" % len(a))
EOF
	    fail "$1 and $2 differ"
}

# --- authcap -----------------------------------------------------------------

must_pass clean-v20 127.0.24.1 sensors
must_pass clean-v20-W 127.0.24.1 -W authcap sensors
same_sdr clean-v20 clean-v20-W
must_pass clean-v15-W 127.0.24.1 -I lan -W authcap sensors
for i in lan lanplus; do
	must_fail "authcap-$i" "non-null user names disabled \(workaround authcap" \
	    127.0.24.2 -I "$i" sensors
	must_pass "authcap-$i-W" 127.0.24.2 -I "$i" -W authcap sensors
	same_sdr clean-v20 "authcap-$i-W"
done
# the v1.5 report says no auth type at all: with the flag, MD5 and only MD5
bf authcap-lan-v 127.0.24.2 -I lan -W authcap -v mc info
((RUN_RC == 0)) || fail "authcap -v: exit $RUN_RC"
expect_match "$RUN_OUT" "authcap: ignoring the reported capabilities \(auth types 0x00, non-null names 0" \
    "authcap -v"

# FreeIPMI's own -W authcap against the same BMC, both protocols
for d in LAN LAN_2_0; do
	run_to "ipmipower-$d" ipmipower -h 127.0.24.2 -u admin -p s3cret-pw \
	    -D "$d" --stat
	expect_eq "$RUN_OUT" "127.0.24.2: username invalid" \
	    "ipmipower -D $d without -W authcap"
	run_to "ipmipower-$d-W" ipmipower -h 127.0.24.2 -u admin -p s3cret-pw \
	    -D "$d" -W authcap --stat
	expect_eq "$RUN_OUT" "127.0.24.2: on" "ipmipower -D $d -W authcap"
	run_to "ipmipower-$d-clean" ipmipower -h 127.0.24.1 -u admin \
	    -p s3cret-pw -D "$d" --stat
	expect_eq "$RUN_OUT" "127.0.24.1: on" "ipmipower -D $d, clean BMC"
done

# --- ignore-seq-reset --------------------------------------------------------

must_fail seqreset-lan "answers dropped as replays \(sequence reset\? workaround ignore-seq-reset\)" \
    127.0.24.3 -I lan "${FAST[@]}" sensors
must_fail seqreset-lan-sel "answers dropped as replays" \
    127.0.24.3 -I lan "${FAST[@]}" sel list
must_pass seqreset-lan-W 127.0.24.3 -I lan -W ignore-seq-reset sensors
same_sdr clean-v20 seqreset-lan-W
must_pass seqreset-lan-W-sel 127.0.24.3 -I lan -W ignore-seq-reset sel list
must_pass seqreset-lanplus 127.0.24.3 sensors	# a v1.5 bug only
must_pass clean-lan-Wseq 127.0.24.1 -I lan -W ignore-seq-reset sensors
same_sdr clean-v20 clean-lan-Wseq

# --- no-name-lookup ----------------------------------------------------------

must_fail namelookup "invalid role \(a BMC without name-only lookup\? workaround no-name-lookup\)" \
    127.0.24.4 mc info
must_pass namelookup-W 127.0.24.4 -W no-name-lookup sensors
same_sdr clean-v20 namelookup-W
must_pass clean-Wname 127.0.24.1 -W no-name-lookup mc info
# ipmitool always sets the bit: it fails there, not on the clean BMC
run_to ipmitool-namelookup ipmitool -I lanplus -H 127.0.24.4 -U admin \
    -P s3cret-pw -N 1 -R 1 mc info
((RUN_RC != 0)) || fail "ipmitool logged in to the no-name-lookup BMC"
run_to ipmitool-clean ipmitool -I lanplus -H 127.0.24.1 -U admin \
    -P s3cret-pw mc info
((RUN_RC == 0)) || fail "ipmitool failed on the clean BMC"

# --- no-dcmi (direct mode; the collector below) ------------------------------

must_fail nodcmi "no response from BMC \(timed out\) \(command 0x2c/0x02\)" \
    127.0.24.5 "${FAST[@]}" dcmi power
must_pass clean-dcmi 127.0.24.1 dcmi power
bf nodcmi-W 127.0.24.5 -W no-dcmi dcmi power
expect_eq "$RUN_RC" 2 "dcmi power -W no-dcmi: exit status"
expect_match "$RUN_OUT" "dcmi power: -W no-dcmi says not to send DCMI" \
    "dcmi power -W no-dcmi"
must_pass nodcmi-sensors-W 127.0.24.5 -W no-dcmi sensors
same_sdr clean-v20 nodcmi-sensors-W

# --- sdr-small-reads: no flag, and none needed -------------------------------

bf sdrsmall-flag 127.0.24.6 -W sdr-small-reads sensors
expect_eq "$RUN_RC" 2 "-W sdr-small-reads (removed): exit status"
expect_match "$RUN_OUT" "unknown workaround 'sdr-small-reads'" \
    "-W sdr-small-reads"
drops0=$(stats quirk_drops | awk '$1 == "127.0.24.6" { print $2 }')
must_pass sdrsmall 127.0.24.6 sensors
same_sdr clean-v20 sdrsmall
must_pass sdrsmall-lan 127.0.24.6 -I lan sensors
same_sdr clean-v20 sdrsmall-lan
drops1=$(stats quirk_drops | awk '$1 == "127.0.24.6" { print $2 }')
expect_eq "$drops1" "$drops0" "Get SDR reads over 16 bytes from bmcfleet"
# the quirk is real: ipmitool asks for whole records, hears nothing and
# falls back to smaller reads (its own cure); FreeIPMI gives up.  Only the
# drops are the point: ipmitool steps its read size down one timeout (-N,
# 1 s at least) at a time, 16 s for the first record, so it is stopped
# after 3 s, its first large reads long dropped; FreeIPMI is given a 2 s
# session (its default, 20 s, only delays the same failure)
RUN_TIMEOUT=3
run_to ipmitool-sdrsmall ipmitool -I lanplus -H 127.0.24.6 -U admin \
    -P s3cret-pw -N 1 -R 1 sdr list
RUN_TIMEOUT=60
drops2=$(stats quirk_drops | awk '$1 == "127.0.24.6" { print $2 }')
((drops2 > drops1)) || fail "ipmitool's large SDR reads were not dropped"
msg "sdr-small-reads: ipmitool's large reads left unanswered in 3 s:" \
    "$((drops2 - drops1)) (exit $RUN_RC; it falls back to smaller reads)"
mkdir -m 700 "$W/fisdr"
run_to ipmi-sensors-sdrsmall ipmi-sensors -D LAN_2_0 -h 127.0.24.6 -u admin \
    -p s3cret-pw --sdr-cache-directory "$W/fisdr" \
    --session-timeout 2000 --retransmission-timeout 500
((RUN_RC != 0)) || fail "ipmi-sensors read the sdr-small-reads BMC"
drops3=$(stats quirk_drops | awk '$1 == "127.0.24.6" { print $2 }')
((drops3 > drops2)) || fail "FreeIPMI's large SDR reads were not dropped"
msg "sdr-small-reads: FreeIPMI failed: $(tail -n 1 <<<"$RUN_OUT")"
run_to ipmi-sensors-clean ipmi-sensors -D LAN_2_0 -h 127.0.24.1 -u admin \
    -p s3cret-pw --sdr-cache-directory "$W/fisdr"
((RUN_RC == 0)) || fail "ipmi-sensors failed on the clean BMC"
RUN_TIMEOUT=40

# --- the collector: workarounds: from bmcfleet.yaml --------------------------

start_pg
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
# collect.yaml WORKAROUNDS-OF-.7
collect_yaml() {
	cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
defaults: {timeout: 300ms, retries: 1}
bmcs:
  - {name: clean, address: 127.0.24.8}
  - {name: quirky, address: 127.0.24.7, workarounds: [$1]}
collector:
  spool_dir: $W/spool
EOF
}
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate"

results() {	# the last run's "name ok reason" per BMC
	sql "SELECT b.name, r.ok, coalesce(r.reason, '-') FROM collection_result r
	    JOIN bmc b ON b.id = r.bmc_id WHERE r.run_id =
	    (SELECT max(run_id) FROM collection_result) ORDER BY b.name" |
	    tr '|' ' '
}

collect_yaml ""
run_to collect-none "$BMCFLEET" collect -c "$W/fleet.yaml"
expect_eq "$(results)" "clean t -
quirky f authentication" "sweep without workarounds"
msg "collect without workarounds: quirky failed: $(sql "SELECT error FROM
    collection_result r JOIN bmc b ON b.id = r.bmc_id WHERE b.name = 'quirky'
    ORDER BY finished_at DESC LIMIT 1")"

collect_yaml "authcap"
run_to collect-authcap "$BMCFLEET" collect -c "$W/fleet.yaml"
expect_eq "$(results)" "clean t -
quirky f command failed" "sweep with authcap only: DCMI's silence"
msg "collect with [authcap]: quirky failed: $(sql "SELECT error FROM
    collection_result r JOIN bmc b ON b.id = r.bmc_id WHERE b.name = 'quirky'
    ORDER BY finished_at DESC LIMIT 1")"

collect_yaml "authcap, no-dcmi"
sql "TRUNCATE sensor_reading, power_reading"
run_to collect-both "$BMCFLEET" collect -c "$W/fleet.yaml" ||
    fail "collect with workarounds failed"
expect_eq "$(results)" "clean t -
quirky t -" "sweep with [authcap, no-dcmi]"
per_bmc() {	# per_bmc TABLE: "name count" for both BMCs
	sql "SELECT b.name, count(x.bmc_id) FROM bmc b LEFT JOIN $1 x
	    ON x.bmc_id = b.id GROUP BY b.name ORDER BY b.name" | tr '|' ' '
}
expect_eq "$(per_bmc power_reading)" "clean 1
quirky 0" "power readings stored"
nsens=$(sql "SELECT count(*) FROM sensor_reading r JOIN sensor s
    ON s.id = r.sensor_id JOIN bmc b ON b.id = s.bmc_id
    WHERE b.name = 'quirky'")
nclean=$(sql "SELECT count(*) FROM sensor_reading r JOIN sensor s
    ON s.id = r.sensor_id JOIN bmc b ON b.id = s.bmc_id
    WHERE b.name = 'clean'")
((nclean > 0)) || fail "no readings stored for the clean BMC"
expect_eq "$nsens" "$nclean" "readings stored for quirky (as for clean)"
msg "collect with [authcap, no-dcmi]: both ok, $nsens readings each," \
    "no power reading from quirky"
msg "PASS"
