#!/usr/bin/env bash
# Differential test of the IPMI data verbs (issue 3) on bmcsim: five
# simulated BMCs (127.0.7.1-5, --power on --seed 5 --sel-epoch fixed, one
# per model: dell-r640, hpe-dl380, supermicro-x11, lenovo-sr650, openbmc)
# are read by ipmitool, by FreeIPMI and by bmcfleet, and
# `refnorm.py verify` checks, per BMC and per verb (docs/DIFFERENTIAL.md):
#
#   1. counts: every tool lists the expected number of sensors (and
#      event-only records), SEL entries, FRU devices and FRU fields, and
#      none lists zero.  Sensors and FRU: tests/interop/counts.txt, per
#      model; SEL entries: bmcsim's own count (--stats sel_entries),
#      taken while the tools read it.
#   2. ipmitool vs FreeIPMI: a disagreement not listed, values and all,
#      in tests/interop/disputes.txt is a failure.
#   3. bmcfleet vs each reference: where they agree it must agree with
#      both; on a listed dispute with the one the list says it follows
#      (or either).  SEL severity strictly with FreeIPMI, but for
#      deassertions, info by design (docs/NOTES.md).
#
# DATA_WHAT="sensors sel fru" (default) limits what is compared;
# DATA_REFS_ONLY=1 runs steps 1 and 2 for the references only.
# PLANT_FAULT (refnorm.py's header: reading, empty-ref[:MODE], dispute,
# ref-reading, sel-reading, severity) plants a fault to show that the
# check fails; docs/DIFFERENTIAL.md lists the commands.
set -u
. "$(dirname "$0")/lib.sh"
need_tool ipmitool ipmi-sensors ipmi-sel ipmi-fru python3

BASE=127.0.7.1
HOSTS=(127.0.7.1 127.0.7.2 127.0.7.3 127.0.7.4 127.0.7.5)
WHAT=${DATA_WHAT:-sensors sel fru}
REFNORM=$TOP/tests/interop/refnorm.py
DISPUTES=$TOP/tests/interop/disputes.txt
COUNTS=$TOP/tests/interop/counts.txt
export TZ=UTC	# ipmitool and FreeIPMI print local time

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-data.XXXXXX") || fail "mktemp failed"
_lib_tmpdirs+=("$W")
STATS=$W/stats.json

# readings frozen: the three tools read seconds apart (a minute or more
# under sanitizers), and a reading that moves is not a decoding
# difference; the SEL history fixed (the same entries run to run, which
# the reviewed disputes name by record ID)
start_bmcsim --count ${#HOSTS[@]} --base "$BASE" --power on --seed 5 \
    --user admin --password s3cret-pw --reading-window-ms 0 \
    --sel-epoch 1796428800 --stats "$STATS"

export BMCFLEET_PASSWORD=s3cret-pw

# sim_stat HOST KEY: KEY of HOST's line in a fresh bmcsim --stats dump
sim_stat() {
	rm -f "$STATS"
	kill -USR1 "$BMCSIM_PID"
	poll_until 5 test -s "$STATS" || fail "bmcsim wrote no stats"
	python3 -c 'import json, sys
for l in open(sys.argv[3]):
    d = json.loads(l)
    if d["bmc"] == sys.argv[1]:
        print(d[sys.argv[2]])' "$1" "$2" "$STATS"
}

# ref NAME MODE CMD...: run a tool, normalize its output to $W/NAME.json
ref() {
	local name=$1 mode=$2
	shift 2
	run_to "$name" "$@" || fail "$name: $1 failed"
	printf '%s\n' "$RUN_OUT" | python3 "$REFNORM" "$mode" >"$W/$name.json" ||
	    fail "$name: refnorm.py $mode could not read the output"
}

# ours HOST WHAT VERB...: bmcfleet's JSON, normalized
ours() {
	local host=$1 what=$2
	shift 2
	[[ ${DATA_REFS_ONLY:-0} == 1 ]] && return 0
	run_to "bmcfleet-$what" "$BMCFLEET" -H "$host" -U admin -E \
	    -I lanplus -C 3 --timeout 1000 --sdr-cache "$W/bcache" \
	    --format json "$@" || fail "bmcfleet $* on $host failed"
	printf '%s\n' "$RUN_OUT" |
	    python3 "$REFNORM" "bmcfleet-$what" --host "$host" \
	    >"$W/bmcfleet-$what.json" ||
	    fail "refnorm.py could not read bmcfleet $* --format json"
}

# verify WHAT FREEIPMI IPMITOOL... [-- KIND=N...]: refnorm.py verify
bad=0
verify() {
	local what=$1 fref=$2 r args=() o=()
	shift 2
	while (($#)) && [[ $1 != -- ]]; do
		args+=(--ipmitool "$1=$W/$1.json")
		shift
	done
	(($#)) && shift
	for r in "$@"; do
		args+=(--expect "$r")
	done
	[[ ${DATA_REFS_ONLY:-0} == 1 ]] || o=(--ours "$W/bmcfleet-$what.json")
	msg "$host ($SOURCE): $what:"
	if ! python3 "$REFNORM" verify --what "$what" --source "$SOURCE" \
	    --disputes "$DISPUTES" --counts "$COUNTS" "${args[@]}" \
	    --freeipmi "$fref=$W/$fref.json" "${o[@]}" >"$W/out" 2>&1; then
		bad=1
	fi
	sed 's/^/  /' "$W/out"
}

for host in "${HOSTS[@]}"; do
	IT=(ipmitool -I lanplus -C 3 -H "$host" -U admin -P s3cret-pw -N 2
	    -R 3)
	FI=(-D LAN_2_0 -I 3 -h "$host" -u admin -p s3cret-pw -l ADMIN
	    --sdr-cache-directory="$W/fcache" --quiet-cache)
	SOURCE=bmcsim:$(sim_stat "$host" model)
	rm -rf "$W/fcache" "$W/bcache"
	mkdir -p "$W/fcache" "$W/bcache"
	for what in $WHAT; do
		case $what in
		sensors)
			ref ipmitool-sdr ipmitool-sdr-elist "${IT[@]}" sdr elist all
			ref ipmitool-sensor ipmitool-sensor "${IT[@]}" sensor
			ref freeipmi-sensors ipmi-sensors ipmi-sensors "${FI[@]}" \
			    --no-header-output --comma-separated-output \
			    --output-sensor-state --output-sensor-thresholds \
			    --non-abbreviated-units
			ours "$host" sensors sensors
			verify sensors freeipmi-sensors ipmitool-sdr ipmitool-sensor
			;;
		sel)
			# bmcsim logs a new event every 2-10 min: when one lands
			# while the tools read, read again
			for try in 1 2; do
				ref ipmitool-sel ipmitool-sel-elist "${IT[@]}" sel elist
				n0=$(sim_stat "$host" sel_entries)
				ref freeipmi-sel ipmi-sel ipmi-sel "${FI[@]}" \
				    --no-header-output --comma-separated-output \
				    --output-event-state -v --non-abbreviated-units
				ours "$host" sel sel list
				n1=$(sim_stat "$host" sel_entries)
				[[ $n0 == "$n1" ]] && break
				msg "$host: the SEL grew from $n0 to $n1 entries while the tools read it (try $try)"
			done
			[[ $n0 == "$n1" && $n1 =~ ^[0-9]+$ ]] ||
			    fail "$host: bmcsim's SEL count moved: $n0, then $n1"
			verify sel freeipmi-sel ipmitool-sel -- "sel=$n1"
			;;
		fru)
			ref ipmitool-fru ipmitool-fru "${IT[@]}" fru print
			ref freeipmi-fru ipmi-fru ipmi-fru "${FI[@]}"
			ours "$host" fru fru
			verify fru freeipmi-fru ipmitool-fru
			;;
		*) fail "DATA_WHAT: unknown '$what'" ;;
		esac
	done
done
((bad == 0)) || fail "the references or bmcfleet failed a check (above)"

# sel clear: bmcfleet erases, ipmitool and bmcfleet then see the one
# "Log area reset/cleared" entry the BMC logs after an erase; at user
# privilege the BMC refuses and bmcfleet says so
if [[ " $WHAT " == *" sel "* && ${DATA_REFS_ONLY:-0} != 1 ]]; then
	host=${HOSTS[0]}
	run_to clear-user "$BMCFLEET" -H "$host" -U admin -E -L user sel clear &&
	    fail "sel clear at user privilege succeeded"
	grep -q 'insufficient privilege' <<<"$RUN_OUT" ||
	    fail "sel clear at user privilege: no privilege error"
	run_to clear "$BMCFLEET" -H "$host" -U admin -E sel clear ||
	    fail "sel clear failed"
	grep -q "$host: SEL cleared" <<<"$RUN_OUT" || fail "sel clear: no confirmation"
	run_to after ipmitool -I lanplus -C 3 -H "$host" -U admin -P s3cret-pw \
	    sel elist || fail "ipmitool sel elist after clear failed"
	expect_eq "$(grep -c '|' <<<"$RUN_OUT")" 1 "ipmitool entries after clear"
	grep -q 'Log area reset/cleared' <<<"$RUN_OUT" ||
	    fail "no 'Log area reset/cleared' entry after clear"
	run_to after-ours "$BMCFLEET" -H "$host" -U admin -E --format json \
	    sel list || fail "bmcfleet sel list after clear failed"
	expect_eq "$(grep -o '"record_type"' <<<"$RUN_OUT" | wc -l)" 1 \
	    "bmcfleet entries after clear"
fi
msg "ok"
