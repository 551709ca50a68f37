#!/usr/bin/env bash
# ipmitool against bmcsim: three simulated BMCs on 127.0.2.1-3, one per
# transport so that each starts powered off:
#   127.0.2.1  -I lan -A MD5         (IPMI 1.5)
#   127.0.2.2  -I lanplus -C 3       (RMCP+, HMAC-SHA1 / HMAC-SHA1-96 / AES)
#   127.0.2.3  -I lanplus -C 17      (RMCP+, HMAC-SHA256 / HMAC-SHA256-128 / AES)
# Each: power status (off), power on, poll until on, mc info, chassis
# identify 5.  Then: the state is the same seen over another transport, a
# wrong password is refused on every transport, and cipher suite 0 is
# refused.
set -u
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

need_tool ipmitool
start_bmcsim --count 3 --base 127.0.2.1 --port 623 \
    --user admin --password s3cret-pw

# args_for T H [PASSWORD [RETRIES]]: set a=(ipmitool arguments) for
# transport T (lan, cs3, cs17) and host H.
args_for() {
	local t=$1 h=$2 p=${3:-s3cret-pw} r=${4:-3}
	case $t in
	lan) a=(-I lan -A MD5) ;;
	cs3) a=(-I lanplus -C 3) ;;
	cs17) a=(-I lanplus -C 17) ;;
	*) fail "args_for: unknown transport $t" ;;
	esac
	a+=(-H "$h" -U admin -P "$p" -N 1 -R "$r")
}

# status_is LOGNAME on|off IPMITOOL-ARGS...: for poll_until
# shellcheck disable=SC2317
status_is() {
	local name=$1 want=$2
	shift 2
	run_to "$name" ipmitool "$@" power status &&
	    [[ $RUN_OUT == "Chassis Power is $want" ]]
}

n=0
for t in lan cs3 cs17; do
	n=$((n + 1))
	h=127.0.2.$n
	args_for "$t" "$h"

	run_to "$t-status" ipmitool "${a[@]}" power status ||
	    fail "$t $h: power status failed"
	expect_eq "$RUN_OUT" "Chassis Power is off" "$t $h: initial power status"

	run_to "$t-on" ipmitool "${a[@]}" power on ||
	    fail "$t $h: power on failed"
	expect_eq "$RUN_OUT" "Chassis Power Control: Up/On" "$t $h: power on"
	poll_until 15 status_is "$t-status" on "${a[@]}" ||
	    fail "$t $h: not on 15 s after power on (last: $RUN_OUT)"

	run_to "$t-mcinfo" ipmitool "${a[@]}" mc info ||
	    fail "$t $h: mc info failed"
	expect_match "$RUN_OUT" '^Manufacturer ID +: [0-9]+$' "$t $h: mc info"
	expect_match "$RUN_OUT" '^Manufacturer Name +: .' "$t $h: mc info"
	expect_match "$RUN_OUT" '^Product ID +: [0-9]+ \(0x[0-9a-f]+\)$' \
	    "$t $h: mc info"
	expect_match "$RUN_OUT" '^Firmware Revision +: [0-9]+\.[0-9]+$' \
	    "$t $h: mc info"
	expect_match "$RUN_OUT" '^IPMI Version +: 2\.0$' "$t $h: mc info"

	run_to "$t-identify" ipmitool "${a[@]}" chassis identify 5 ||
	    fail "$t $h: chassis identify failed"
	expect_eq "$RUN_OUT" "Chassis identify interval: 5 seconds" \
	    "$t $h: chassis identify"
done

# The same BMC seen over another transport: .1 was turned on over v1.5, .2
# and .3 over RMCP+.
for spec in cs3:127.0.2.1 lan:127.0.2.2 lan:127.0.2.3 cs17:127.0.2.1; do
	args_for "${spec%%:*}" "${spec#*:}"
	status_is cross-status on "${a[@]}" ||
	    fail "${spec#*:} over ${spec%%:*}: expected on, got: $RUN_OUT"
done

# Power off over v1.5 on .2 (turned on over RMCP+), seen over RMCP+.
args_for lan 127.0.2.2
run_to lan-off ipmitool "${a[@]}" power off || fail "power off failed"
expect_eq "$RUN_OUT" "Chassis Power Control: Down/Off" "power off"
args_for cs3 127.0.2.2
poll_until 15 status_is cs3-status off "${a[@]}" ||
    fail "127.0.2.2: not off 15 s after power off (last: $RUN_OUT)"

# A wrong password is refused on every transport.
for t in lan cs3 cs17; do
	args_for "$t" 127.0.2.1 wrong-pw 1
	run_to "$t-badpw" ipmitool "${a[@]}" power status &&
	    fail "$t: a wrong password was accepted"
	expect_no_match "$RUN_OUT" '^Chassis Power is' "$t: wrong password"
done
# ...and so is a wrong user name.
run_to lan-baduser ipmitool -I lan -A MD5 -H 127.0.2.1 -U nobody \
    -P s3cret-pw -N 1 -R 1 power status &&
    fail "an unknown user was accepted"

# Cipher suite 0 (no authentication, integrity or confidentiality) must
# be refused.
run_to cs0 ipmitool -I lanplus -C 0 -H 127.0.2.1 -U admin -P s3cret-pw \
    -N 1 -R 1 power status &&
    fail "cipher suite 0 was accepted"
expect_no_match "$RUN_OUT" '^Chassis Power is' "cipher suite 0"

msg "ok"
exit 0
