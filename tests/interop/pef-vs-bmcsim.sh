#!/usr/bin/env bash
# bmcsim's PEF and LAN alerting against ipmitool, FreeIPMI and net-snmp, on
# two bmcsim BMCs (127.0.72.1 dell-r640, LAN channel 1; 127.0.72.2
# hpe-dl380, LAN channel 2):
#
#   set-up     the LAN channel is found with Get Channel Info (ipmitool
#              raw 06 42 over channels 1-11), then ipmitool configures
#              destination 1 (`lan alert set`: address, PET, ack, timeout,
#              retries), the community (`lan set snmp`), bmcsim's OEM
#              destination port (raw, parameter C0h: 16200), two event
#              filters (5: power supply failure, critical; 6: temperature
#              upper non-critical going high, warning), alert policy 1 and
#              PEF and its alert action (raw Set PEF Configuration
#              Parameters: ipmitool has no setter for them).
#   read-back  `ipmitool pef info|status|filter list|policy list` and `lan
#              alert print` show it; FreeIPMI `ipmi-pef-config --checkout`
#              agrees (PEF, alert action, community, destination, filters,
#              policy and its channel).
#   traps      net-snmp snmptrapd on 127.0.72.250:16200 receives the traps
#              that control-channel sel-adds cause: a critical entry on
#              both BMCs, a warning and an info entry (no filter: no trap)
#              on the first; each from the BMC's own address.  FreeIPMI
#              ipmi-pet decodes each trap's varbind to the same sensor,
#              type, event and direction as FreeIPMI ipmi-sel shows for
#              the SEL record the control channel named, with the filter's
#              severity.
#   ack        127.0.72.2's destination asks for acknowledgement (1 s, 2
#              retries): its first trap is resent twice, then given up
#              (bmcsim --stats); a second one (3 s timeout) is acknowledged
#              by `ipmi-pet --pet-acknowledge`, and is not resent.
#
# Every check is counted, and the count must be the one expected.
# PLANT_FAULT=severity (filter 5 says warning, not critical) plants a
# fault in the set-up, to show the checks fail (ipmi-pef-config's
# read-back catches it first; the PET severity check would next).
set -u
. "$(dirname "$0")/lib.sh"
need_tool ipmitool ipmi-pef-config ipmi-pet ipmi-sel snmptrapd python3

HOSTS=(127.0.72.1 127.0.72.2)
TRAPD=127.0.72.250
TPORT=16200
PW=s3cret-pw
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-pef.XXXXXX") || fail "mktemp failed"
chmod 700 "$WORK"
_lib_tmpdirs+=("$WORK")
CTL=$WORK/ctl.sock
STATS=$WORK/stats.json
DUMP=$WORK/sel.json
checks=0
ok() { checks=$((checks + 1)); }

start_bmcsim --count ${#HOSTS[@]} --base "${HOSTS[0]}" --model mix \
    --seed 9 --user admin --password "$PW" --control "$CTL" \
    --stats "$STATS" --sel-dump "$DUMP"

# snmptrapd: no MIBs (numeric OIDs), any community, one record per trap
cat >"$WORK/snmptrapd.conf" <<EOF
disableAuthorization yes
EOF
TRAPLOG=$TEST_LOGDIR/$TEST_NAME.snmptrapd.log
: >"$TRAPLOG"
MIBS= MIBDIRS=/nonexistent snmptrapd -f -Lo -C -c "$WORK/snmptrapd.conf" -On \
    -F 'TRAP %b|%a|%q|%v\nEND\n' "udp:$TRAPD:$TPORT" </dev/null \
    >"$TRAPLOG" 2>&1 &
_lib_register $! snmptrapd "$TRAPLOG" 0
trapd_up() { grep -q 'NET-SNMP version' "$TRAPLOG"; }
poll_until 10 trapd_up || fail "snmptrapd did not start; see $TRAPLOG"

it() {
	IT=(ipmitool -I lanplus -C 3 -H "$1" -U admin -P "$PW" -N 1 -R 3)
}
fi_args() {
	FI=(-D LAN_2_0 -h "$1" -u admin -p "$PW" --sdr-cache-directory="$WORK/sdr")
}
mkdir -m 700 "$WORK/sdr"

# --- set-up ------------------------------------------------------------
declare -A CH
sev5=0x10
[[ ${PLANT_FAULT:-} == severity ]] && sev5=0x08
for h in "${HOSTS[@]}"; do
	it "$h"
	# the LAN channel: medium type 04h in Get Channel Info's byte 2
	for c in $(seq 1 11); do
		run_to "chaninfo-$h" "${IT[@]}" raw 0x06 0x42 "$c" || continue
		read -r -a b <<<"$RUN_OUT"
		[[ ${b[1]:-} == 04 ]] && { CH[$h]=$c; break; }
	done
	[[ -n ${CH[$h]:-} ]] || fail "$h: no LAN channel in Get Channel Info"
	msg "$h: LAN channel ${CH[$h]}"
	c=${CH[$h]}
	ack=off
	[[ $h == "${HOSTS[1]}" ]] && ack=on
	for a in "ipaddr $TRAPD" "type pet" "ack $ack" "time 1" "retry 2"; do
		# shellcheck disable=SC2086
		run_to "alertset-$h" "${IT[@]}" lan alert set "$c" 1 $a ||
		    fail "$h: lan alert set $a failed"
	done
	run_to "snmp-$h" "${IT[@]}" lan set "$c" snmp fleet ||
	    fail "$h: lan set snmp failed"
	# bmcsim's OEM parameter C0h: destination 1's UDP port, LS first
	run_to "port-$h" "${IT[@]}" raw 0x0c 0x01 "$c" 0xc0 0x01 \
	    $((TPORT & 255)) $((TPORT >> 8)) || fail "$h: OEM port failed"
	# filter 5: enabled, software; alert, policy 1; power supply (08h),
	# sensor-specific, offset 01h (failure detected)
	run_to "filter5-$h" "${IT[@]}" raw 0x04 0x12 0x06 0x05 0x80 0x01 0x01 \
	    $sev5 0xff 0xff 0x08 0xff 0x6f 0x02 0x00 0 0 0 0 0 0 0 0 0 ||
	    fail "$h: filter 5 failed"
	# filter 6: temperature (01h), threshold, offset 07h (UNC going high)
	run_to "filter6-$h" "${IT[@]}" raw 0x04 0x12 0x06 0x06 0x80 0x01 0x01 \
	    0x08 0xff 0xff 0x01 0xff 0x01 0x80 0x00 0 0 0 0 0 0 0 0 0 ||
	    fail "$h: filter 6 failed"
	# policy entry 1: policy 1, enabled, always; LAN channel, destination 1
	run_to "policy-$h" "${IT[@]}" raw 0x04 0x12 0x09 0x01 0x18 \
	    $((c << 4 | 1)) 0x00 || fail "$h: policy failed"
	run_to "pefon-$h" "${IT[@]}" raw 0x04 0x12 0x01 0x01 ||
	    fail "$h: PEF control failed"
	run_to "alerton-$h" "${IT[@]}" raw 0x04 0x12 0x02 0x01 ||
	    fail "$h: PEF action control failed"
done

# --- read-back -----------------------------------------------------------
for h in "${HOSTS[@]}"; do
	it "$h"
	c=${CH[$h]}
	ack=Unacknowledged
	[[ $h == "${HOSTS[1]}" ]] && ack=Acknowledged
	run_to "pefinfo-$h" "${IT[@]}" pef info || fail "$h: pef info failed"
	expect_match "$RUN_OUT" '0x51' "$h: pef info: version 51h"; ok
	expect_match "$RUN_OUT" '\| *16 *\|' "$h: pef info: 16 filters"; ok
	run_to "pefstatus-$h" "${IT[@]}" -v pef status ||
	    fail "$h: pef status failed"
	expect_match "$RUN_OUT" '^ *PEF.*: *enabled' "$h: pef status: PEF enabled"; ok
	expect_match "$RUN_OUT" '^ *Alert.*: *active' "$h: pef status: alert action"; ok
	run_to "peffilter-$h" "${IT[@]}" pef filter list ||
	    fail "$h: pef filter list failed"
	expect_match "$RUN_OUT" '^ *5 \| enabled, configurable' "$h: filter 5 enabled"; ok
	expect_match "$RUN_OUT" '^ *6 \| enabled, configurable' "$h: filter 6 enabled"; ok
	expect_match "$RUN_OUT" '^ *1 \| disabled, pre-configured' "$h: factory filter 1"; ok
	run_to "pefpolicy-$h" "${IT[@]}" pef policy list ||
	    fail "$h: pef policy list failed"
	expect_match "$RUN_OUT" "^ *1 \| 1 \| enabled \| Match-always \| $c \| 802.3 LAN \| PET \| fleet \| 1 \| 2 \| $TRAPD " \
	    "$h: policy 1 to destination 1 on channel $c"; ok
	run_to "alertprint-$h" "${IT[@]}" lan alert print "$c" 1 ||
	    fail "$h: lan alert print failed"
	expect_match "$RUN_OUT" "^Alert IP Address +: $TRAPD\$" "$h: alert address"; ok
	expect_match "$RUN_OUT" "^Alert Acknowledge +: $ack\$" "$h: alert ack"; ok
	expect_match "$RUN_OUT" '^Destination Type +: PET Trap$' "$h: alert type"; ok

	fi_args "$h"
	run_to "pefconfig-$h" ipmi-pef-config "${FI[@]}" --checkout ||
	    fail "$h: ipmi-pef-config --checkout failed"
	conf=$(sed 's/^[[:space:]]*//; /^##/d' <<<"$RUN_OUT")
	sect() {	# sect NAME: the lines of section NAME
		awk -v s="Section $1" '$0 == s {p = 1; next} /^EndSection/ {p = 0} p' <<<"$conf"
	}
	expect_match "$(sect PEF_Conf)" '^Enable_PEF +Yes$' "$h: Enable_PEF"; ok
	expect_match "$(sect PEF_Conf)" '^Enable_Alert_Action +Yes$' "$h: Enable_Alert_Action"; ok
	expect_match "$(sect Community_String)" '^Community_String +fleet$' "$h: community"; ok
	d1=$(sect Lan_Alert_Destination_1)
	expect_match "$d1" "^Alert_IP_Address +$TRAPD\$" "$h: destination 1 address"; ok
	expect_match "$d1" '^Alert_Retries +2$' "$h: destination 1 retries"; ok
	f5=$(sect Event_Filter_5)
	expect_match "$f5" '^Enable_Filter +Yes$' "$h: filter 5 enabled"; ok
	expect_match "$f5" '^Sensor_Type +Power_Supply$' "$h: filter 5 sensor type"; ok
	expect_match "$f5" '^Event_Severity +Critical$' "$h: filter 5 severity"; ok
	p1=$(sect Alert_Policy_1)
	expect_match "$p1" '^Policy_Enabled +Yes$' "$h: policy 1 enabled"; ok
	expect_match "$p1" "^Channel_Number +$c\$" "$h: policy 1 channel"; ok
done
readback=$checks

# --- traps ---------------------------------------------------------------
# ctl LINE: send it, keep the record IDs bmcsim printed for it
declare -A REC
ctl() {
	local before after line a id
	before=$(grep -c '^bmcsim: sel-add ' "$BMCSIM_LOG")
	run_to "ctl" "$BMCSIM" --ctl "$CTL" "$1" || fail "--ctl '$1' failed"
	after=$(grep -c '^bmcsim: sel-add ' "$BMCSIM_LOG")
	while read -r line; do
		[[ $line =~ ^bmcsim:\ sel-add\ ([0-9.]+)\ record=([0-9]+)\ at=[0-9]+$ ]] ||
		    fail "bad sel-add line: $line"
		a=${BASH_REMATCH[1]}
		id=${BASH_REMATCH[2]}
		REC[$a:$2]=$id
	done < <(grep '^bmcsim: sel-add ' "$BMCSIM_LOG" | sed -n "$((before + 1)),${after}p")
}
ctl "sel-add ${HOSTS[0]},${HOSTS[1]} critical" critical
ctl "sel-add ${HOSTS[0]} warning" warning
ctl "sel-add ${HOSTS[0]} info" info
# the acknowledged destination: 1 s, 2 retries, then gave up
sleep 3.5

# the traps snmptrapd logged, one per line: source|agent|specific|hex
traps() {
	python3 - "$TRAPLOG" <<'EOF'
import re, sys
recs = open(sys.argv[1]).read().split("TRAP ")[1:]
for r in recs:
    r = r.split("\nEND")[0]
    src, agent, spec, vb = r.split("|", 3)
    m = re.search(r"Hex-STRING: ([0-9A-Fa-f \n]+)", vb)
    hexs = " ".join(m.group(1).split()) if m else ""
    print("%s|%s|%s|%s" % (src.strip(), agent.strip(), spec.strip().lstrip("."), hexs))
EOF
}
T=$(traps)
msg "traps: $(wc -l <<<"$T")"
printf '%s\n' "$T" >"$TEST_LOGDIR/$TEST_NAME.traps.log"
expect_eq "$(grep -c . <<<"$T")" 5 "datagrams: 2 from ${HOSTS[0]}, 1 + 2 resends from ${HOSTS[1]}"; ok

# the SEL records, bmcsim's own view, for the record IDs
kill -USR1 "$BMCSIM_PID"
poll_until 5 test -s "$DUMP" || fail "no --sel-dump"

decoded=0
for key in "${HOSTS[0]}:critical" "${HOSTS[1]}:critical" "${HOSTS[0]}:warning"; do
	h=${key%%:*}
	kind=${key#*:}
	id=${REC[$key]:-}
	[[ -n $id ]] || fail "$key: no sel-add line"
	# the first datagram from h with this event: the source address is
	# the BMC's, and so is the agent address
	case $kind in
	critical) want_spec=552705 want_sev=Critical ;;	# 08 6F 01
	warning) want_spec=65799 want_sev=Non-critical ;;	# 01 01 07
	esac
	line=$(grep -m1 -F "[$h]:" <<<"$T" | grep -F "|$want_spec|" ||
	    grep -F "[$h]:" <<<"$T" | grep -m1 -F "|$want_spec|")
	[[ -n $line ]] || fail "$key: no trap with specific $want_spec from $h"
	IFS='|' read -r src agent spec hex <<<"$line"
	expect_match "$src" "\\[$h\\]:623->\\[$TRAPD\\]:$TPORT" "$key: datagram source"; ok
	expect_eq "$agent" "$h" "$key: agent address"; ok
	fi_args "$h"
	# shellcheck disable=SC2086
	run_to "pet-$key" ipmi-pet "${FI[@]}" -v --comma-separated-output \
	    --no-header-output "$spec" $hex ||
	    fail "$key: ipmi-pet failed"
	pet=$(tail -n1 <<<"$RUN_OUT")
	run_to "sel-$key" ipmi-sel "${FI[@]}" -v --comma-separated-output \
	    --no-header-output --display="$id" || fail "$key: ipmi-sel failed"
	sel=$(tail -n1 <<<"$RUN_OUT")
	msg "$key: ipmi-pet [$pet]"
	msg "$key: ipmi-sel [$sel]"
	# -v: ipmi-pet: date,time,name,type,severity (the PET's),direction,
	# event; ipmi-sel: id,date,time,name,type,direction,event.  ipmi-pet
	# joins the event's details with " | ", ipmi-sel with " ; "
	IFS=, read -r _ _ pname ptype psev pdir pevent <<<"$pet"
	IFS=, read -r _ _ _ sname stype sdir sevent <<<"$sel"
	pevent=${pevent// | / ; }
	expect_eq "$pname|$ptype|$pdir|$pevent" "$sname|$stype|$sdir|$sevent" \
	    "$key: ipmi-pet's trap vs ipmi-sel's record $id (name, type, direction, event)"; ok
	expect_match "$psev" "^$want_sev" "$key: PET severity, the filter's"; ok
	decoded=$((decoded + 1))
done
expect_eq "$decoded" 3 "traps decoded"

# --- ack -------------------------------------------------------------------
stat_of() {	# stat_of HOST FIELD
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d["bmc"] == sys.argv[2]:
        print(d[sys.argv[3]])' "$STATS" "$1" "$2"
}
expect_eq "$(stat_of "${HOSTS[0]}" pet_sent)/$(stat_of "${HOSTS[0]}" pet_resent)" \
    2/0 "${HOSTS[0]}: traps sent/resent"; ok
expect_eq "$(stat_of "${HOSTS[1]}" pet_sent)/$(stat_of "${HOSTS[1]}" pet_resent)/$(stat_of "${HOSTS[1]}" pet_gave_up)" \
    1/2/1 "${HOSTS[1]}: traps sent/resent/gave up"; ok

# a second critical on the acknowledged destination, acknowledged at once;
# 3 s before a resend, so the ack is sure to come first
h=${HOSTS[1]}
it "$h"
run_to "alerttime-$h" "${IT[@]}" lan alert set "${CH[$h]}" 1 time 3 ||
    fail "$h: lan alert set time 3 failed"
n0=$(grep -c . <<<"$T")
ctl "sel-add $h critical" critical2
ack_sent() { [[ $(traps | grep -c .) -gt $n0 ]]; }
poll_until 5 ack_sent || fail "$h: no trap for the second critical entry"
IFS='|' read -r _ _ spec hex <<<"$(traps | tail -n1)"
fi_args "$h"
# shellcheck disable=SC2086
run_to "petack" ipmi-pet "${FI[@]}" --pet-acknowledge "$spec" $hex ||
    fail "$h: ipmi-pet --pet-acknowledge failed"
sleep 3.5
rm -f "$STATS"
kill -USR1 "$BMCSIM_PID"
poll_until 5 test -s "$STATS" || fail "no --stats"
expect_eq "$(stat_of "$h" pet_acked)/$(stat_of "$h" pet_resent)/$(stat_of "$h" pet_gave_up)" \
    1/2/1 "$h: acknowledged by ipmi-pet, no more resends"; ok
expect_eq "$(traps | grep -c .)" $((n0 + 1)) "datagrams after the ack"; ok

expect_eq "$checks" $((2 * 21 + 1 + 3 * 4 + 2 + 2)) "checks"
msg "ok: $readback read-back checks, $decoded traps decoded, ack and resends counted ($checks checks)"
