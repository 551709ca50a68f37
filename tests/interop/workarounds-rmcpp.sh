#!/usr/bin/env bash
# workarounds-rmcpp: the RMCP+ handshake workarounds against bmcsim BMCs
# that have the firmware bug each one is for (bmcsim --quirk), through
# bmcfleet's direct mode and through FreeIPMI's ipmipower, whose -W flag
# of the same name is the reference: a quirk that FreeIPMI's workaround
# does not cure, or that FreeIPMI survives without it, is not the bug.
#
#   127.0.25.1   correct BMC
#   127.0.25.2   open-session-priv      (keys hash the Open Session priv)
#   127.0.25.3   integrity-check-value  (suite 0: RAKP 4 ICV not empty)
#   127.0.25.4   intel20                (user name padded in the hashes)
#   127.0.25.5   supermicro20           (RAKP 2 code one byte long)
#   127.0.25.6   sun20                  (long HMAC-SHA1 code, Open Session
#                                        priv hashed, bad suite records)
#   127.0.25.11  sun20, listing suite 17 only (then its bad record)
#
# For each: bmcfleet fails with the expected words without -W and works
# with it; ipmipower likewise without and with its -W.
set -u
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

need_tool ipmipower
# FreeIPMI gives up on a handshake without telling the BMC: its failed
# attempts hold slots until they idle out, hence the generous limit
start_bmcsim --count 6 --base 127.0.25.1 --port 623 --user admin \
    --password s3cret-pw --suites 0,3,17 --session-limit 64 \
    --quirk open-session-priv:2 --quirk integrity-check-value:3 \
    --quirk intel20:4 --quirk supermicro20:5 --quirk sun20:6
start_bmcsim --count 1 --base 127.0.25.11 --port 623 --user admin \
    --password s3cret-pw --suites 17 --session-limit 64 --quirk sun20

export BMCFLEET_PASSWORD=s3cret-pw
F=("$BMCFLEET" -U admin -E --timeout 300 --retries 1)
P=(ipmipower -u admin -p s3cret-pw -D LAN_2_0 --session-timeout 5000)
NOK=0
NBAD=0

# works HOST [ARGS...]: bmcfleet mc info answers for HOST
works() {
	local h=$1
	shift
	run_to bmcfleet "${F[@]}" -H "$h" "$@" mc info
	expect_eq "$RUN_RC" 0 "$h $*: exit status"
	expect_match "$RUN_OUT" "^${h//./\\.} +[A-Z]" "$h $*: mc info line"
	NOK=$((NOK + 1))
}

# fails HOST ERE [ARGS...]: bmcfleet fails on HOST with ERE in its output
fails() {
	local h=$1 re=$2
	shift 2
	run_to bmcfleet "${F[@]}" -H "$h" "$@" mc info
	expect_eq "$RUN_RC" 1 "$h $*: exit status"
	expect_match "$RUN_OUT" "^${h//./\\.} +error: .*$re" "$h $*: error"
	NBAD=$((NBAD + 1))
}

# ipmipower_says HOST WORDS [ARGS...]: ipmipower --stat prints "HOST: WORDS"
ipmipower_says() {
	local h=$1 want=$2
	shift 2
	run_to ipmipower "${P[@]}" -h "$h" "$@" --stat
	expect_eq "$RUN_OUT" "$h: $want" "ipmipower $h $*"
}

# --- a correct BMC: no workaround needed, the harmless ones do no harm -----
works 127.0.25.1
works 127.0.25.1 -C 3 -W supermicro20,sun20
works 127.0.25.1 --insecure -C 0 -W integrity-check-value
# intel20 pads the name, which a correct BMC must refuse (as FreeIPMI's)
fails 127.0.25.1 'unauthorized name' -W intel20
ipmipower_says 127.0.25.1 off
ipmipower_says 127.0.25.1 'username invalid' -W intel20

# --- open-session-priv: removed, our Open Session names the privilege -----
run_to removed "${F[@]}" -H 127.0.25.2 -W open-session-priv mc info
expect_eq "$RUN_RC" 2 "-W open-session-priv: exit status"
expect_match "$RUN_OUT" "unknown workaround 'open-session-priv'" \
    "-W open-session-priv refused"
works 127.0.25.2
works 127.0.25.2 -C 3
# FreeIPMI asks Open Session for "highest" unless told otherwise
ipmipower_says 127.0.25.2 'password invalid'
ipmipower_says 127.0.25.2 off -W opensesspriv

# --- integrity-check-value: suite 0 only, and only with --insecure --------
works 127.0.25.3		# the strongest suite, 17, has no such bug
fails 127.0.25.3 'RAKP 4 integrity check value is 12 bytes, cipher suite 0.s is 0' \
    --insecure -C 0
works 127.0.25.3 --insecure -C 0 -W integrity-check-value
fails 127.0.25.3 'cipher suite 0 refused' -C 0 -W integrity-check-value
ipmipower_says 127.0.25.3 'k_g invalid' -I 0
ipmipower_says 127.0.25.3 off -I 0 -W integritycheckvalue

# --- intel20 -------------------------------------------------------------
fails 127.0.25.4 'RAKP 2 key exchange code mismatch'
fails 127.0.25.4 'RAKP 2 key exchange code mismatch' -C 3
works 127.0.25.4 -W intel20
works 127.0.25.4 -C 3 -W intel20
ipmipower_says 127.0.25.4 'password invalid'
ipmipower_says 127.0.25.4 off -W intel20

# --- supermicro20 ----------------------------------------------------------
fails 127.0.25.5 'RAKP 2 key exchange code is 33 bytes, cipher suite 17.s is 32'
fails 127.0.25.5 'RAKP 2 key exchange code is 21 bytes, cipher suite 3.s is 20' \
    -C 3
works 127.0.25.5 -W supermicro20
works 127.0.25.5 -C 3 -W supermicro20
ipmipower_says 127.0.25.5 'password invalid'
ipmipower_says 127.0.25.5 off -W supermicro20

# --- sun20 -----------------------------------------------------------------
# without it the bad record spoils suite 17's: suite 3 and its long code
fails 127.0.25.6 'RAKP 2 key exchange code is 21 bytes, cipher suite 3.s is 20'
works 127.0.25.6 -W sun20
run_to json "${F[@]}" -H 127.0.25.6 -W sun20 --format json mc info
expect_match "$RUN_OUT" '"cipher_suite": 17' "sun20: the records read"
works 127.0.25.6 -C 3 -W sun20
# a BMC listing 17 and then a bad record: nothing usable is left
fails 127.0.25.11 'only insecure authentication; 1 suite records unlike their IDs. algorithms \(see workaround sun20\)'
fails 127.0.25.11 'insecure' -W supermicro20
works 127.0.25.11 -W sun20
ipmipower_says 127.0.25.6 'password invalid'
# the long code alone is not the whole bug: the Open Session priv is too
ipmipower_says 127.0.25.6 'password invalid' -W supermicro20
ipmipower_says 127.0.25.6 off -W sun20

msg "ok: $NOK sessions with workarounds, $NBAD expected failures"
exit 0
