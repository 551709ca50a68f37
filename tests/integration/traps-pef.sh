#!/usr/bin/env bash
# End to end: bmcsim's PEF sends a PET to bmcfleetd when a SEL entry is
# added; bmcfleetd acknowledges it, reads that BMC's SEL at once and
# stores the entry linked to the trap.
#
# 3 bmcsim BMCs (127.0.74.1-3), configured with ipmitool as in
# tests/interop/pef-vs-bmcsim.sh (alert destination 1: PET to
# 127.0.74.250, acknowledge on, 3 s timeout, 2 retries; bmcsim's OEM
# parameter C0h for port 10162; a filter for any event; policy 1; PEF and
# its alert action on).  bmcfleetd: sweep_interval 10m, sel_interval 1h
# (no light pass: only the trap can bring the entry in).  A critical
# sel-add on each BMC (bmcsim's control channel) must give, within 3 s,
# the very entry bmcsim added (its record ID) stored with source 'sel' and
# linked to a stored trap; bmcsim's own counters must show each trap
# acknowledged and not resent.
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3
need_tool ipmitool

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-trapspef.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
PW=s3cret-pw
HOSTS=(127.0.74.1 127.0.74.2 127.0.74.3)
start_bmcsim --count 3 --base 127.0.74.1 --user admin --password "$PW" \
    --power on --seed 741 --control "$W/ctl" --stats "$W/stats.json"
printf '%s\n' "$PW" >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.74.[1-3]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 10m
  sel_interval: 1h
  traps: {listen: "127.0.74.250:10162"}
EOF2

# --- PEF set-up with ipmitool --------------------------------------------
for h in "${HOSTS[@]}"; do
	IT=(ipmitool -I lanplus -C 3 -H "$h" -U admin -P "$PW" -N 1 -R 3)
	c=
	for ch in $(seq 1 11); do
		run_to "chaninfo-$h" "${IT[@]}" raw 0x06 0x42 "$ch" || continue
		read -r -a b <<<"$RUN_OUT"
		[[ ${b[1]:-} == 04 ]] && { c=$ch; break; }
	done
	[[ -n $c ]] || fail "$h: no LAN channel in Get Channel Info"
	for a in "ipaddr 127.0.74.250" "type pet" "ack on" "time 3" "retry 2"; do
		# shellcheck disable=SC2086
		run_to "alertset-$h" "${IT[@]}" lan alert set "$c" 1 $a ||
		    fail "$h: lan alert set $a failed"
	done
	run_to "port-$h" "${IT[@]}" raw 0x0c 0x01 "$c" 0xc0 0x01 \
	    $((10162 & 255)) $((10162 >> 8)) || fail "$h: OEM port failed"
	# filter 5: enabled, alert, policy 1, critical; any sensor, any
	# event, every offset
	run_to "filter-$h" "${IT[@]}" raw 0x04 0x12 0x06 0x05 0x80 0x01 0x01 \
	    0x10 0xff 0xff 0xff 0xff 0xff 0xff 0xff 0 0 0 0 0 0 0 0 0 ||
	    fail "$h: filter failed"
	run_to "policy-$h" "${IT[@]}" raw 0x04 0x12 0x09 0x01 0x18 \
	    $((c << 4 | 1)) 0x00 || fail "$h: policy failed"
	run_to "pefon-$h" "${IT[@]}" raw 0x04 0x12 0x01 0x01 ||
	    fail "$h: PEF control failed"
	run_to "alerton-$h" "${IT[@]}" raw 0x04 0x12 0x02 0x01 ||
	    fail "$h: PEF action control failed"
done

run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d.log" 0
poll_until 15 grep -q 'bmcfleetd: sweep 1: 3 hosts' "$W/d.log" ||
    fail "no first sweep: $(cat "$W/d.log")"
poll_until 10 eval '[[ $(sql "SELECT count(*) FROM sel_cursor") == 3 ]]' ||
    fail "the first sweep was not committed"

before=$(grep -c '^bmcsim: sel-add ' "$BMCSIM_LOG")
run_to ctl "$BMCSIM" --ctl "$W/ctl" "sel-add 127.0.74.1,127.0.74.2,127.0.74.3 critical" ||
    fail "--ctl failed"
declare -A REC
while read -r line; do
	[[ $line =~ ^bmcsim:\ sel-add\ ([0-9.]+)\ record=([0-9]+)\ at=[0-9]+$ ]] ||
	    fail "bad sel-add line: $line"
	REC[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
done < <(grep '^bmcsim: sel-add ' "$BMCSIM_LOG" | sed -n "$((before + 1)),\$p")
expect_eq "${#REC[@]}" 3 "entries bmcsim added"
linked() {
	sql "SELECT b.name || ' ' || e.record_id FROM sel_event e
	    JOIN bmc b ON b.id = e.bmc_id JOIN pet_trap t ON t.id = e.pet_trap_id
	    WHERE e.source = 'sel' ORDER BY b.name"
}
poll_until 3 eval '[[ $(linked | wc -l) -ge 3 ]]' ||
    fail "the added entries were not stored linked to their traps in 3 s: $(linked); $(tail -5 "$W/d.log")"
want=$(for h in "${HOSTS[@]}"; do echo "$h ${REC[$h]}"; done)
expect_eq "$(linked)" "$want" "entries linked to their traps (BMC, record ID)"
expect_eq "$(sql "SELECT count(*) FROM sel_event WHERE source = 'pet'")" 0 \
    "PET-only events"
# the destination's timeout is 3 s: a trap not acknowledged by then would
# be resent; give it the time, then hold bmcsim's counters
sleep 3.5
kill -USR1 "$BMCSIM_PID"
poll_until 10 eval '[[ $(wc -l <"$W/stats.json") -ge 3 ]]' || fail "no --stats"
sleep 0.2
got=$(python3 -c 'import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    print(d["bmc"], d["pet_sent"], d["pet_acked"], d["pet_resent"])' "$W/stats.json" | sort)
want=$(for h in "${HOSTS[@]}"; do echo "$h 1 1 0"; done)
expect_eq "$got" "$want" "per BMC: traps sent, acknowledged, resent (bmcsim's count)"
kill -TERM "$dpid"
poll_until 15 eval '! kill -0 '"$dpid"' 2>/dev/null' ||
    fail "bmcfleetd did not stop on SIGTERM"
end=$(grep 'events at the end' "$W/d.log")
msg "$end"
expect_match "$end" "3 received, 3 accepted \(0 repeats\), 0 dropped" "traps"
expect_match "$end" " 3 confirmed, 0 PET-only" "confirmed"
msg "ok"
