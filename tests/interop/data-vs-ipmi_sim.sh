#!/usr/bin/env bash
# Differential test of the IPMI data verbs (issue 3): OpenIPMI's ipmi_sim
# loaded with tests/interop/ipmi_sim/data.emu (12 SDRs, 11 SEL records,
# FRU 0) is read by ipmitool, by FreeIPMI and by bmcfleet; refnorm.py puts
# the three into one shape and `refnorm.py verify` checks, per verb
# (docs/DIFFERENTIAL.md):
#
#   1. counts: every tool lists the number of sensors, SEL entries and
#      FRU fields that tests/interop/counts.txt works out from the
#      fixture, and none lists zero.
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
# ipmi_sim listens on 127.0.9.2.
set -u
. "$(dirname "$0")/lib.sh"
need_tool ipmi_sim ipmitool ipmi-sensors ipmi-sel ipmi-fru python3

ADDR=${IPMI_SIM_DATA_ADDR:-127.0.9.2}
WHAT=${DATA_WHAT:-sensors sel fru}
REFNORM=$TOP/tests/interop/refnorm.py
DISPUTES=$TOP/tests/interop/disputes.txt
COUNTS=$TOP/tests/interop/counts.txt
SOURCE=ipmi_sim:data.emu
EMU=$IPMI_SIM_CONFDIR/data.emu
export TZ=UTC	# ipmitool and FreeIPMI print local time

# start_ipmi_sim from lib.sh always loads bmc.emu; this variant loads
# data.emu and first writes the SEL that ipmi_sim reads back at
# sel_enable (its persisted sel.20), because sel_add would overwrite the
# timestamps that the fixture needs.
start_ipmi_sim_data() {
	local addr=$1 port=623 d log deadline st persist
	_lib_need_port "$port"
	if _lib_udp_bound "$addr" "$port"; then
		fail "UDP $addr:$port is already in use (a stale simulator?)"
	fi
	d=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-ipmi_sim.XXXXXX") ||
	    fail "mktemp failed"
	_lib_tmpdirs+=("$d")
	# <state>/ipmi_sim/<name in lan.conf>/sel.<IPMB address>
	persist=$d/state/ipmi_sim/bmcfleet-ref
	mkdir -p "$persist"
	sel_persist "$EMU" >"$persist/sel.20" || fail "cannot write the SEL"
	sed "s/^\([[:space:]]*\)addr .*/\1addr $addr $port/" \
	    "$IPMI_SIM_CONFDIR/lan.conf" >"$d/lan.conf"
	grep -Eq "^[[:space:]]*addr $addr $port\$" "$d/lan.conf" ||
	    fail "could not set the address in $d/lan.conf"

	log=$TEST_LOGDIR/$TEST_NAME.ipmi_sim.log
	msg "starting: ipmi_sim with data.emu on $addr:$port (state in $d)"
	: >"$log"
	env IPMI_SIM_CONFDIR="$IPMI_SIM_CONFDIR" IPMI_SIM_STATEDIR="$d" \
	    ipmi_sim -n -c "$d/lan.conf" -f "$EMU" -s "$d/state" \
	    </dev/null >"$log" 2>&1 &
	IPMI_SIM_PID=$!
	_lib_register "$IPMI_SIM_PID" ipmi_sim "$log" 0
	deadline=$(($(_lib_now_ms) + 10000))
	until _lib_udp_bound "$addr" "$port"; do
		if ! _lib_alive "$IPMI_SIM_PID"; then
			wait "$IPMI_SIM_PID"
			st=$?
			_lib_pids[${#_lib_pids[@]} - 1]=
			fail "ipmi_sim exited with status $st: $(cat "$log")"
		fi
		(($(_lib_now_ms) < deadline)) ||
		    fail "ipmi_sim did not bind $addr:$port within 10 s"
		sleep 0.1
	done
	grep -q '^\*\*' "$log" && fail "ipmi_sim refused data.emu: $(grep '^\*\*' "$log")"
	msg "ipmi_sim ready (pid $IPMI_SIM_PID)"
}

# The "#@sel" lines of data.emu in ipmi_sim's persist format: one
# "RECID:d:\XX..." line per record, last record first (ipmi_sim reads
# the file back to front), every byte escaped in upper-case hex.
sel_persist() {
	local tag lo hi rest b line out=()
	while read -r tag lo hi rest; do
		[[ $tag == '#@sel' ]] || continue
		line="$((16#$hi$lo)):d:"
		# shellcheck disable=SC2086 # the bytes are words on purpose
		for b in $lo $hi $rest; do
			line+="\\${b^^}"
		done
		out=("$line" "${out[@]}")
	done <"$1"
	((${#out[@]} > 0)) || return 1
	printf 'last_add_time:i:0\nlast_erase_time:i:0\n'
	printf '%s\n' "${out[@]}"
}

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-data.XXXXXX") || fail "mktemp failed"
_lib_tmpdirs+=("$W")

start_ipmi_sim_data "$ADDR"

IT=(ipmitool -I lanplus -C 3 -H "$ADDR" -U admin -P s3cret-pw -N 2 -R 3)
# ipmi_sim answers an RMCP+ Open Session with maximum privilege 0 when
# asked for the highest: FreeIPMI needs its "opensesspriv" workaround
FI=(-D LAN_2_0 -I 3 -W opensesspriv -h "$ADDR" -u admin -p s3cret-pw
    -l ADMIN --sdr-cache-directory="$W/fcache" --quiet-cache)
export BMCFLEET_PASSWORD=s3cret-pw
BF=("$BMCFLEET" -H "$ADDR" -U admin -E -I lanplus -C 3 --timeout 1000
    --sdr-cache "$W/bcache" --format json)

# ref NAME MODE CMD...: run a tool, normalize its output to $W/NAME.json
ref() {
	local name=$1 mode=$2
	shift 2
	run_to "$name" "$@" || fail "$name: $1 failed"
	printf '%s\n' "$RUN_OUT" | python3 "$REFNORM" "$mode" >"$W/$name.json" ||
	    fail "$name: refnorm.py $mode could not read the output"
}

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
		expect_match "$RUN_OUT" '^3,VRM Temp,Temperature,Critical,96\.00,degrees C' \
		    "ipmi-sensors reads data.emu"
		;;
	sel)
		ref ipmitool-sel ipmitool-sel-elist "${IT[@]}" sel elist
		ref freeipmi-sel ipmi-sel ipmi-sel "${FI[@]}" \
		    --no-header-output --comma-separated-output \
		    --output-event-state -v --non-abbreviated-units
		expect_match "$RUN_OUT" '^11,' "ipmi-sel reads all 11 records"
		;;
	fru)
		ref ipmitool-fru ipmitool-fru "${IT[@]}" fru print
		ref freeipmi-fru ipmi-fru ipmi-fru "${FI[@]}"
		;;
	*) fail "DATA_WHAT: unknown '$what'" ;;
	esac
done

# ours WHAT VERB... : bmcfleet's JSON, normalized to $W/bmcfleet-WHAT.json
ours() {
	local what=$1
	shift
	[[ ${DATA_REFS_ONLY:-0} == 1 ]] && return 0
	run_to "bmcfleet-$what" "${BF[@]}" "$@" ||
	    fail "bmcfleet $* failed"
	printf '%s\n' "$RUN_OUT" |
	    python3 "$REFNORM" "bmcfleet-$what" --host "$ADDR" \
	    >"$W/bmcfleet-$what.json" ||
	    fail "refnorm.py could not read bmcfleet $* --format json"
}

# verify WHAT FREEIPMI IPMITOOL...: refnorm.py verify
bad=0
verify() {
	local what=$1 fref=$2 r args=() o=()
	shift 2
	for r in "$@"; do
		args+=(--ipmitool "$r=$W/$r.json")
	done
	[[ ${DATA_REFS_ONLY:-0} == 1 ]] || o=(--ours "$W/bmcfleet-$what.json")
	msg "$SOURCE: $what:"
	if ! python3 "$REFNORM" verify --what "$what" --source "$SOURCE" \
	    --disputes "$DISPUTES" --counts "$COUNTS" "${args[@]}" \
	    --freeipmi "$fref=$W/$fref.json" "${o[@]}" >"$W/out" 2>&1; then
		bad=1
	fi
	sed 's/^/  /' "$W/out"
}

for what in $WHAT; do
	case $what in
	sensors)
		ours sensors sensors
		verify sensors freeipmi-sensors ipmitool-sdr ipmitool-sensor
		;;
	sel)
		ours sel sel list
		verify sel freeipmi-sel ipmitool-sel
		;;
	fru)
		ours fru fru
		verify fru freeipmi-fru ipmitool-fru
		;;
	esac
done
((bad == 0)) || fail "the references or bmcfleet failed a check (above)"
msg "ok"
