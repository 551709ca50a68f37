#!/usr/bin/env bash
# Differential test of the IPMI data verbs (issue 3) on bmcsim: three
# simulated BMCs (127.0.7.1-3, --power on --seed 5, one model each) are
# read by ipmitool, by FreeIPMI and by bmcfleet; refnorm.py compares them
# field by field, as data-vs-ipmi_sim.sh does for ipmi_sim:
#
#   1. ipmitool vs FreeIPMI: differences printed, never a failure; each
#      becomes a "disputed" field (docs/DIFFERENTIAL.md).
#   2. bmcfleet vs each reference: any mismatch fails, except on a
#      disputed field where bmcfleet follows the other reference.
#
# The references run before bmcfleet on each BMC, so a SEL that grew in
# between only gives bmcfleet extra entries (not compared).
# DATA_WHAT="sensors sel fru" (default) limits what is compared;
# DATA_REFS_ONLY=1 runs step 1 only.
set -u
. "$(dirname "$0")/lib.sh"
need_tool ipmitool ipmi-sensors ipmi-sel ipmi-fru python3

BASE=127.0.7.1
HOSTS=(127.0.7.1 127.0.7.2 127.0.7.3)
WHAT=${DATA_WHAT:-sensors sel fru}
REFNORM=$TOP/tests/interop/refnorm.py
export TZ=UTC	# ipmitool and FreeIPMI print local time

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-data.XXXXXX") || fail "mktemp failed"
_lib_tmpdirs+=("$W")

# readings frozen: the three tools read seconds apart (a minute or more
# under sanitizers), and a reading that moves is not a decoding difference
start_bmcsim --count ${#HOSTS[@]} --base "$BASE" --power on --seed 5 \
    --user admin --password s3cret-pw --reading-window-ms 0

export BMCFLEET_PASSWORD=s3cret-pw

# ref NAME MODE CMD...: run a tool, normalize its output to $W/NAME.json
ref() {
	local name=$1 mode=$2
	shift 2
	run_to "$name" "$@" || fail "$name: $1 failed"
	printf '%s\n' "$RUN_OUT" | python3 "$REFNORM" "$mode" >"$W/$name.json" ||
	    fail "$name: refnorm.py $mode could not read the output"
}

# disagree WHAT A B: ipmitool vs FreeIPMI, both ways, never fatal
disagree() {
	local what=$1 a=$2 b=$3
	python3 "$REFNORM" compare --what "$what" --report-only \
	    --names "$a,$b" --record-disputed "$W/disputed" \
	    "$W/$a.json" "$W/$b.json" | sed 's/^/  | /'
	python3 "$REFNORM" compare --what "$what" --report-only \
	    --names "$b,$a" --record-disputed "$W/disputed" \
	    "$W/$b.json" "$W/$a.json" | sed 's/^/  | /'
}

# ours HOST WHAT VERB...: bmcfleet's JSON, normalized
ours() {
	local host=$1 what=$2
	shift 2
	run_to "bmcfleet-$what" "$BMCFLEET" -H "$host" -U admin -E \
	    -I lanplus -C 3 --timeout 1000 --sdr-cache "$W/bcache" \
	    --format json "$@" || fail "bmcfleet $* on $host failed"
	printf '%s\n' "$RUN_OUT" |
	    python3 "$REFNORM" "bmcfleet-$what" --host "$host" \
	    >"$W/bmcfleet-$what.json" ||
	    fail "refnorm.py could not read bmcfleet $* --format json"
}

# check WHAT REF: bmcfleet against one reference
bad=0
check() {
	local what=$1 ref=$2 follow
	case $ref in
	ipmitool-*) follow=ipmitool ;;
	*) follow=freeipmi ;;
	esac
	if ! python3 "$REFNORM" compare --what "$what" \
	    --names "$follow,bmcfleet" --disputed "$W/disputed" \
	    "$W/$ref.json" "$W/bmcfleet-$what.json" >"$W/out" 2>&1; then
		bad=1
	fi
	sed "s/^/  [$ref] /" "$W/out"
}

for host in "${HOSTS[@]}"; do
	IT=(ipmitool -I lanplus -C 3 -H "$host" -U admin -P s3cret-pw -N 2
	    -R 3)
	FI=(-D LAN_2_0 -I 3 -h "$host" -u admin -p s3cret-pw -l ADMIN
	    --sdr-cache-directory="$W/fcache" --quiet-cache)
	: >"$W/disputed"
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
			msg "$host: sensors: where ipmitool and FreeIPMI disagree (not a failure; see docs/DIFFERENTIAL.md):"
			disagree sensors ipmitool-sdr freeipmi-sensors
			disagree sensors ipmitool-sensor freeipmi-sensors
			;;
		sel)
			ref ipmitool-sel ipmitool-sel-elist "${IT[@]}" sel elist
			ref freeipmi-sel ipmi-sel ipmi-sel "${FI[@]}" \
			    --no-header-output --comma-separated-output \
			    --output-event-state -v --non-abbreviated-units
			msg "$host: sel: where ipmitool and FreeIPMI disagree (not a failure; see docs/DIFFERENTIAL.md):"
			disagree sel ipmitool-sel freeipmi-sel
			;;
		fru)
			ref ipmitool-fru ipmitool-fru "${IT[@]}" fru print
			ref freeipmi-fru ipmi-fru ipmi-fru "${FI[@]}"
			msg "$host: fru: where ipmitool and FreeIPMI disagree (not a failure; see docs/DIFFERENTIAL.md):"
			disagree fru ipmitool-fru freeipmi-fru
			;;
		*) fail "DATA_WHAT: unknown '$what'" ;;
		esac
	done
	[[ ${DATA_REFS_ONLY:-0} == 1 ]] && continue

	for what in $WHAT; do
		case $what in
		sensors)
			ours "$host" sensors sensors
			check sensors ipmitool-sdr
			check sensors ipmitool-sensor
			check sensors freeipmi-sensors
			;;
		sel)
			ours "$host" sel sel list
			check sel ipmitool-sel
			check sel freeipmi-sel
			;;
		fru)
			ours "$host" fru fru
			check fru ipmitool-fru
			check fru freeipmi-fru
			;;
		esac
	done
done
((bad == 0)) || fail "bmcfleet disagrees with a reference tool (above)"

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
