#!/usr/bin/env bash
# bmcfleet as the client of OpenIPMI's ipmi_sim, a BMC nobody here wrote:
# IPMI v1.5 with MD5 and v2.0 with cipher suite 3 (ipmi_sim has no Get
# Channel Cipher Suites, so the automatic choice must fall back to 3, and
# only the first contact asks it: the BMC's profile keeps suite 3).
# power status, power on/off, mc info; wrong password and -C 0 refused.
set -u
. "$(dirname "$0")/lib.sh"
need_tool ipmi_sim

ADDR=${IPMI_SIM_ADDR:-127.0.9.1}
start_ipmi_sim "$ADDR" 623
export BMCFLEET_PASSWORD=s3cret-pw
F=("$BMCFLEET" -H "$ADDR" -U admin -E --timeout 500)

for mode in "-I lan" "-I lanplus" "-I lanplus -C 3"; do
	# shellcheck disable=SC2086
	run_to status "${F[@]}" $mode power status
	expect_eq "$RUN_RC" 0 "power status ($mode) exit status"
	expect_match "$RUN_OUT" "^$ADDR: (on|off)$" "power status ($mode)"

	# shellcheck disable=SC2086
	run_to mcinfo "${F[@]}" $mode mc info
	expect_eq "$RUN_RC" 0 "mc info ($mode) exit status"
	# bmc.emu: firmware 9.08, IPMI 2.0, manufacturer 4753, product 0x0f02
	expect_match "$RUN_OUT" "^$ADDR +unknown \(4753\) +0x0f02 +9\.08 +2\.0" \
	    "mc info ($mode)"
done

run_to json "${F[@]}" --format json mc info
expect_match "$RUN_OUT" '"cipher_suite": 3' "automatic suite falls back to 3"
expect_match "$RUN_OUT" '"product_id": 3842' "json product id"

# the lanplus runs above wrote the BMC's profile (suite 3, the fallback):
# later runs ask suite 3 at once, never Get Channel Cipher Suites, which
# ipmi_sim leaves unanswered (bmcfleet(1) PROFILES)
run_to profile "${F[@]}" -v power status
expect_eq "$RUN_RC" 0 "power status from the profile: exit status"
expect_match "$RUN_OUT" "profile used: cipher suite 3 \(fallback, it lists none" \
    "the profile is used against ipmi_sim"
expect_no_match "$RUN_OUT" "get-channel-cipher-suites" \
    "no Get Channel Cipher Suites to ipmi_sim from the profile"

# power on then off, verified through the chassis-control program's state
run_to on "${F[@]}" -I lan power on
expect_eq "$RUN_RC" 0 "power on exit status"
expect_match "$RUN_OUT" "^$ADDR: ok$" "power on"
poll_until 5 grep -qx 1 "$IPMI_SIM_DIR/power" || fail "ipmi_sim power not on"
run_to status-on "${F[@]}" power status
expect_match "$RUN_OUT" "^$ADDR: on$" "power status after on"
run_to off "${F[@]}" power off
expect_eq "$RUN_RC" 0 "power off exit status"
poll_until 5 grep -qx 0 "$IPMI_SIM_DIR/power" || fail "ipmi_sim power not off"

# a wrong password is reported as such, on both interfaces
for mode in "-I lan" "-I lanplus"; do
	# shellcheck disable=SC2086
	BMCFLEET_PASSWORD=not-the-password run_to badpw "${F[@]}" --retries 1 \
	    $mode power status
	expect_eq "$RUN_RC" 1 "wrong password ($mode) exit status"
	expect_match "$RUN_OUT" "wrong password" "wrong password ($mode)"
done

# cipher suite 0 is refused before any packet unless --insecure
run_to c0 "${F[@]}" -C 0 power status
expect_eq "$RUN_RC" 1 "-C 0 exit status"
expect_match "$RUN_OUT" "cipher suite 0 refused" "-C 0 message"
run_to c0-insecure "${F[@]}" -C 0 --insecure power status
expect_eq "$RUN_RC" 0 "-C 0 --insecure exit status"
msg "ok"
