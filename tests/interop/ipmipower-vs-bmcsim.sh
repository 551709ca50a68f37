#!/usr/bin/env bash
# FreeIPMI's ipmipower against bmcsim: twenty simulated BMCs on
# 127.0.3.1-20 driven as one host range.
#   IPMI 1.5: --stat (all off), --on (all ok), poll --stat until all on,
#             --off, poll until all off
#   IPMI 2.0: --stat with the default cipher suite (3) and with -I 17;
#             --on over 2.0, seen over 2.0/-I 17; --off, seen over 1.5;
#             a wrong password gives "password invalid"
# No -W workarounds: a correct BMC needs none (ipmi_sim needs opensesspriv).
# Every output line must be "127.0.3.N: STATE", each N in 1..20 exactly
# once; ipmipower's exit status alone proves little.
set -u
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

need_tool ipmipower
start_bmcsim --count 20 --base 127.0.3.1 --port 623 \
    --user admin --password s3cret-pw

NHOSTS=20
RUN_TIMEOUT=60
v15=(ipmipower -h '127.0.3.[1-20]' -u admin -p s3cret-pw -D LAN)
v20=(ipmipower -h '127.0.3.[1-20]' -u admin -p s3cret-pw -D LAN_2_0)

# all_are WANT [COUNT]: RUN_OUT has exactly one "127.0.3.N: WANT" line for
# each N in 1..COUNT and nothing else.  Sets PARSE_GOOD and PARSE_BAD.
all_are() {
	local want=$1 count=${2:-$NHOSTS} line n
	local -A seen=()
	PARSE_GOOD=0
	PARSE_BAD=()
	while IFS= read -r line; do
		[[ -n $line ]] || continue
		if [[ $line =~ ^127\.0\.3\.([0-9]{1,3}):\ (.*)$ ]]; then
			n=$((10#${BASH_REMATCH[1]}))
			if ((n >= 1 && n <= count)) && [[ -z ${seen[$n]:-} ]] &&
			    [[ ${BASH_REMATCH[2]} == "$want" ]]; then
				seen[$n]=1
				PARSE_GOOD=$((PARSE_GOOD + 1))
				continue
			fi
		fi
		PARSE_BAD+=("$line")
	done <<<"$RUN_OUT"
	((PARSE_GOOD == count && ${#PARSE_BAD[@]} == 0))
}

# why_not WANT [COUNT]: after all_are failed, say what was wrong.
why_not() {
	local want=$1 count=${2:-$NHOSTS} nbad=${#PARSE_BAD[@]} i s
	s="$PARSE_GOOD of $count hosts said '$want'"
	if ((nbad)); then
		s+="; $nbad unexpected lines:"
		for ((i = 0; i < nbad && i < 3; i++)); do
			s+=" [${PARSE_BAD[i]}]"
		done
		((nbad > 3)) && s+=" ..."
	fi
	echo "$s"
}

# expect_all LOGNAME WANT CMD...: run once; all hosts must answer WANT.
expect_all() {
	local name=$1 want=$2
	shift 2
	run_to "$name" "$@"
	all_are "$want" || fail "$name: $(why_not "$want")"
	((RUN_RC == 0)) || fail "$name: ipmipower exited $RUN_RC"
}

# poll_all SECS LOGNAME WANT CMD...: rerun until all hosts answer WANT.
# shellcheck disable=SC2317
poll_once() {
	local name=$1 want=$2
	shift 2
	run_to "$name" "$@"
	all_are "$want"
}
poll_all() {
	local secs=$1 name=$2 want=$3
	shift 3
	poll_until "$secs" poll_once "$name" "$want" "$@" ||
	    fail "$name: not all '$want' after ${secs}s: $(why_not "$want")"
}

# --- IPMI 1.5 -------------------------------------------------------------
expect_all v15-stat off "${v15[@]}" --stat
expect_all v15-on ok "${v15[@]}" --on
poll_all 20 v15-stat on "${v15[@]}" --stat
expect_all v15-off ok "${v15[@]}" --off
poll_all 20 v15-stat off "${v15[@]}" --stat

# --- IPMI 2.0 / RMCP+ -----------------------------------------------------
expect_all v20-stat off "${v20[@]}" --stat
expect_all v20-stat-cs3 off "${v20[@]}" -I 3 --stat
expect_all v20-stat-cs17 off "${v20[@]}" -I 17 --stat
expect_all v20-on ok "${v20[@]}" --on
poll_all 20 v20-stat-cs17 on "${v20[@]}" -I 17 --stat
expect_all v20-off ok "${v20[@]}" -I 17 --off
poll_all 20 v15-stat off "${v15[@]}" --stat

# A wrong password: FreeIPMI sees the bad RAKP 2 HMAC itself.
run_to v20-badpw ipmipower -h '127.0.3.[1-3]' -u admin -p wrong-pw \
    -D LAN_2_0 --stat
all_are "password invalid" 3 ||
    fail "wrong password: $(why_not "password invalid" 3)"

msg "ok"
exit 0
