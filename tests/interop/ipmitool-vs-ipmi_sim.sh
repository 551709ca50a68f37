#!/usr/bin/env bash
# ipmitool (and FreeIPMI's ipmipower) against OpenIPMI's ipmi_sim: a sanity
# check of the reference BMC set up in tests/interop/ipmi_sim/ (127.0.9.1:623,
# admin / s3cret-pw).  If this fails, the ipmi_sim configuration or the
# installed tools are broken, not bmcfleet.
#
# ipmi_sim quirks this pins down (so that we notice when OpenIPMI changes):
#  - v1.5: only the auth types in lan.conf (MD5 here) are accepted.
#  - RMCP+: suites 0-3 and 6-8 work with ipmitool (4-5, 9-10 are xRC4, which
#    ipmitool lacks; 11 is MD5-128 integrity); 12-17 are not offered.  Suite
#    0 (no authentication) is accepted: a real BMC should refuse it.
#  - FreeIPMI over RMCP+ needs -W opensesspriv: FreeIPMI asks for "highest
#    privilege" (0) in the Open Session Request and ipmi_sim answers with
#    maximum privilege 0, which FreeIPMI rejects ("privilege level cannot be
#    obtained for this user").  bmcsim must answer with the real level.
# sanitize: no (ipmitool and FreeIPMI against ipmi_sim: no program of ours runs)
set -u
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

need_tool ipmitool ipmipower ipmi_sim
start_ipmi_sim 127.0.9.1 623

H=127.0.9.1
common=(-H "$H" -U admin -P s3cret-pw -N 1 -R 3)
lan=(ipmitool -I lan -A MD5 "${common[@]}")
lanplus=(ipmitool -I lanplus -C 3 "${common[@]}")

# status_is LOGNAME on|off IPMITOOL-ARGS...: for poll_until
# shellcheck disable=SC2317
status_is() {
	local want=$2 name=$1
	shift 2
	run_to "$name" "$@" power status &&
	    [[ $RUN_OUT == "Chassis Power is $want" ]]
}

# --- initial state: off, seen alike over v1.5 and v2.0 ----------------
run_to lan-status "${lan[@]}" power status ||
    fail "ipmitool -I lan -A MD5 power status failed"
expect_eq "$RUN_OUT" "Chassis Power is off" "v1.5 power status"
run_to lanplus-status "${lanplus[@]}" power status ||
    fail "ipmitool -I lanplus -C 3 power status failed"
expect_eq "$RUN_OUT" "Chassis Power is off" "v2.0 power status"

# --- power on over RMCP+, seen over v1.5 ------------------------------
run_to lanplus-on "${lanplus[@]}" power on || fail "power on failed"
expect_eq "$RUN_OUT" "Chassis Power Control: Up/On" "power on"
poll_until 10 status_is lan-status on "${lan[@]}" ||
    fail "power did not turn on"
expect_eq "$(cat "$IPMI_SIM_DIR/power")" 1 "chassis-control power state"

# --- mc info (Get Device ID) over both --------------------------------
for v in lan lanplus; do
	declare -n cmd=$v
	run_to "$v-mcinfo" "${cmd[@]}" mc info || fail "$v: mc info failed"
	expect_match "$RUN_OUT" '^Manufacturer ID +: 4753$' "$v: mc info"
	expect_match "$RUN_OUT" '^Product ID +: 3842 \(0x0f02\)$' "$v: mc info"
	expect_match "$RUN_OUT" '^Firmware Revision +: 9\.08$' "$v: mc info"
	expect_match "$RUN_OUT" '^IPMI Version +: 2\.0$' "$v: mc info"
	unset -n cmd
done

# --- chassis identify --------------------------------------------------
run_to lanplus-identify "${lanplus[@]}" chassis identify 5 ||
    fail "chassis identify failed"
expect_match "$RUN_OUT" 'identify interval: 5 seconds' "chassis identify"
expect_eq "$(cat "$IPMI_SIM_DIR/identify")" "5 0" "chassis-control identify"

# --- power off over v1.5, seen over v2.0 ------------------------------
run_to lan-off "${lan[@]}" power off || fail "power off failed"
expect_eq "$RUN_OUT" "Chassis Power Control: Down/Off" "power off"
poll_until 10 status_is lanplus-status off "${lanplus[@]}" ||
    fail "power did not turn off"

# --- what must be refused ----------------------------------------------
bad=(-H "$H" -U admin -P wrong-pw -N 1 -R 1)
run_to lan-badpw ipmitool -I lan -A MD5 "${bad[@]}" power status &&
    fail "v1.5 session with a wrong password was accepted"
run_to lanplus-badpw ipmitool -I lanplus -C 3 "${bad[@]}" power status &&
    fail "v2.0 session with a wrong password was accepted"
run_to lan-straight ipmitool -I lan -A PASSWORD "${common[@]}" power status &&
    fail "v1.5 straight-password session accepted; only MD5 is configured"
# ipmi_sim has no SHA-256 cipher suites (15-17).
run_to lanplus-c17 ipmitool -I lanplus -C 17 "${common[@]}" power status &&
    fail "cipher suite 17 accepted; ipmi_sim was not expected to offer it"

# --- FreeIPMI ipmipower ---------------------------------------------------
pw=(ipmipower -h "$H" -u admin -p s3cret-pw)
v15=("${pw[@]}" -D LAN)
v20=("${pw[@]}" -D LAN_2_0 -W opensesspriv)

# ipmipower exits 0 even for some per-host errors: judge by its output.
expect_line() { # expect_line LOGNAME "host: state" CMD...
	local name=$1 want=$2
	shift 2
	run_to "$name" "$@" || fail "$name: ipmipower failed"
	expect_eq "$RUN_OUT" "$want" "$name"
}

expect_line ipmipower-v15-stat "$H: off" "${v15[@]}" --stat
expect_line ipmipower-v20-stat "$H: off" "${v20[@]}" --stat
expect_line ipmipower-v20-stat "$H: off" "${v20[@]}" -I 3 --stat
expect_line ipmipower-v15-on "$H: ok" "${v15[@]}" --on
expect_line ipmipower-v20-stat "$H: on" "${v20[@]}" --stat
expect_line ipmipower-v20-off "$H: ok" "${v20[@]}" --off
expect_line ipmipower-v15-stat "$H: off" "${v15[@]}" --stat

run_to ipmipower-v20-noworkaround "${pw[@]}" -D LAN_2_0 --stat
expect_eq "$RUN_OUT" "$H: privilege level cannot be obtained for this user" \
    "ipmi_sim without -W opensesspriv (fixed in OpenIPMI? then drop -W)"
run_to ipmipower-v20-badpw ipmipower -h "$H" -u admin -p wrong-pw \
    -D LAN_2_0 -W opensesspriv --stat
expect_eq "$RUN_OUT" "$H: password invalid" "ipmipower, wrong password"

msg "ok"
exit 0
