#!/usr/bin/env bash
# Secure by default (issue 10), against bmcsim; the oracle is bmcsim's own
# counters (--stats: datagrams received, sessions established), not what
# bmcfleet says of itself.
#
#   1. asked for by name (-C 1, -C 15, -C 16, -C 0; -I lan -A none,
#      -A md2), an insecure cipher suite or auth type is refused before
#      any packet: the BMC received nothing.
#   2. a BMC offering only suites 1, 15 and 16: "no secure cipher suite
#      offered"; it saw the auth caps and the suites list, no session.
#   3. a BMC offering only v1.5 auth type none, only MD2, or both: refused
#      after the auth caps answer; no session.
#   4. --insecure lets them through where bmcfleet implements them: suites
#      1, 15, 16 (and 16 chosen by itself), auth type none; one session
#      each on the BMC; -A none too.  MD2 is not implemented: still
#      refused, and the error does not suggest --insecure.
#   4b. the straight password (v1.5): refused when it is all the BMC
#      offers and when asked for by name (-A password), unless --insecure.
#   5. fleet mode: the same BMCs through bmcfleet collect, refused with
#      insecure: false (the default) and collected with insecure: true.
#
# Loopback 127.0.22.1-6 (and the fleet-mode BMCs 127.0.22.11-12).
set -u
. "$(dirname "$0")/../interop/lib.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-secure.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
PW='Sd7-kq!v'
printf '%s\n' "$PW" >"$W/pw"
chmod 600 "$W/pw"
RUN_TIMEOUT=20

declare -A SIM_PID SIM_STATS SIM_ADDR
# sim NAME ADDR ARGS...: one bmcsim BMC at ADDR with its own stats file
sim() {
	local name=$1 addr=$2
	shift 2
	SIM_STATS[$name]=$W/$name.stats
	SIM_ADDR[$name]=$addr
	start_bmcsim --count 1 --base "$addr" --user admin --password "$PW" \
	    --seed 7 --stats "${SIM_STATS[$name]}" "$@"
	SIM_PID[$name]=$BMCSIM_PID
}
sim weak 127.0.22.1 --suites 1,15,16
sim none 127.0.22.2 --v15-auth none
sim md2 127.0.22.3 --v15-auth md2
sim nonemd2 127.0.22.4 --v15-auth none,md2
sim good 127.0.22.5
sim straight 127.0.22.6 --v15-auth straight

# counter NAME FIELD: bmcsim NAME's counter FIELD, read now, into CNT (not
# echoed: a failure inside $(...) would not stop the test)
CNT=
counter() {
	local f=${SIM_STATS[$1]} i v
	rm -f "$f"
	kill -USR1 "${SIM_PID[$1]}"
	# bmcsim renames the file into place: there is all of it, or none
	for ((i = 0; i < 250; i++)); do
		[[ -s $f ]] && break
		sleep 0.02
	done
	[[ -s $f ]] || fail "bmcsim $1 wrote no stats in 5 s"
	# one BMC, one line; a field missing or doubled fails
	v=$(grep -o "\"$2\": [0-9]*" "$f")
	[[ $(wc -l <"$f") == 1 && $v =~ ^\"$2\":\ ([0-9]+)$ ]] ||
	    fail "stats of $1: no single $2 in: $(cat "$f")"
	CNT=${BASH_REMATCH[1]}
}

export BMCFLEET_PASSWORD=$PW
checked=0

# try NAME RC RX SESSIONS LINE ARGS...: run bmcfleet ARGS against bmcsim
# NAME; require exit status RC, exactly LINE on stdout, and that the BMC
# received RX more datagrams and established SESSIONS more sessions.
# Sets RUN_OUT (stdout and stderr) and RUN_RC.
try() {
	local name=$1 rc=$2 rx=$3 sessions=$4 line=$5 addr rx0 s0
	shift 5
	addr=${SIM_ADDR[$name]}
	counter "$name" rx
	rx0=$CNT
	counter "$name" sessions
	s0=$CNT
	printf '+ bmcfleet -H %s %s power status\n' "$addr" "$*"
	timeout 20 "$BMCFLEET" -H "$addr" -U admin -E --timeout 2000 \
	    --retries 1 "$@" power status >"$W/out" 2>"$W/err" </dev/null
	RUN_RC=$?
	sed 's/^/  1| /' "$W/out"
	sed 's/^/  2| /' "$W/err"
	RUN_OUT=$(cat "$W/out" "$W/err")
	expect_eq "$RUN_RC" "$rc" "exit status of $* against $name"
	expect_eq "$(cat "$W/out")" "$line" "stdout of $* against $name"
	counter "$name" rx
	expect_eq "$((CNT - rx0))" "$rx" \
	    "datagrams bmcsim $name received for $*"
	counter "$name" sessions
	expect_eq "$((CNT - s0))" "$sessions" \
	    "sessions bmcsim $name established for $*"
	checked=$((checked + 1))
}

SUM_INSECURE='bmcfleet: 1 of 1 host failed: 1 insecure mode refused'
HINT=' (--insecure allows it)'

# --- 1. asked for by number: nothing sent --------------------------------
try weak 1 0 0 "127.0.22.1: error: insecure mode refused: cipher suite 1 refused: it lacks integrity and confidentiality protection$HINT" -C 1
expect_match "$RUN_OUT" "^$SUM_INSECURE\$" "summary of -C 1"
try weak 1 0 0 "127.0.22.1: error: insecure mode refused: cipher suite 15 refused: it lacks integrity and confidentiality protection$HINT" -C 15
try weak 1 0 0 "127.0.22.1: error: insecure mode refused: cipher suite 16 refused: it lacks confidentiality protection$HINT" -C 16
# suite 0 too, and against a BMC that offers it not at all
try good 1 0 0 "127.0.22.5: error: insecure mode refused: cipher suite 0 refused: it lacks authentication, integrity and confidentiality protection$HINT" -C 0
# v1.5 auth types by name, against the BMC that offers both
try nonemd2 1 0 0 "127.0.22.4: error: insecure mode refused: auth type none refused$HINT" -I lan -A none
# MD2: not implemented, so --insecure is no help and not suggested
try nonemd2 1 0 0 "127.0.22.4: error: unsupported: auth type MD2 is not implemented by bmcfleet" -I lan -A md2

# --- 2. only insecure suites offered -------------------------------------
# auth caps, then one page of Get Channel Cipher Suites; no Open Session
try weak 1 2 0 "127.0.22.1: error: insecure mode refused: no secure cipher suite offered (the BMC lists 1, 15, 16)$HINT"
expect_match "$RUN_OUT" "^$SUM_INSECURE\$" "summary, suites 1,15,16"

# --- 3. only v1.5 auth types none / MD2 offered --------------------------
for n in none md2 nonemd2; do
	try "$n" 1 1 0 "${SIM_ADDR[$n]}: error: insecure mode refused: BMC offers only IPMI v1.5 auth types none/MD2$HINT" -I lan
	expect_match "$RUN_OUT" "^$SUM_INSECURE\$" "summary, v1.5 $n"
done

# --- 4. --insecure -------------------------------------------------------
# a session each (auth caps, [suites,] open, RAKP 1, RAKP 3, set priv,
# chassis status, close: the datagram counts are bmcsim's, worked out by
# hand from the handshake in ipmi/session.c and IPMI v2.0 13.14-13.21)
for cs in 1 15 16; do
	try weak 0 7 1 "127.0.22.1: off" -C "$cs" --insecure
done
try weak 0 8 1 "127.0.22.1: off" --insecure
run_to weak-v "$BMCFLEET" -H 127.0.22.1 -U admin -E --insecure -v \
    power status
expect_match "$RUN_OUT" 'cipher suite 16' "-v output: the suite chosen"
# v1.5: auth caps, challenge, activate, set priv, chassis status, close
try none 0 6 1 "127.0.22.2: off" -I lan --insecure
try nonemd2 0 6 1 "127.0.22.4: off" -I lan --insecure
try md2 1 1 0 "127.0.22.3: error: unsupported: BMC offers only IPMI v1.5 auth type MD2, which bmcfleet does not implement" -I lan --insecure
expect_no_match "$RUN_OUT" 'insecure' "MD2 with --insecure"
try nonemd2 0 6 1 "127.0.22.4: off" -I lan -A none --insecure
try nonemd2 1 0 0 "127.0.22.4: error: unsupported: auth type MD2 is not implemented by bmcfleet" -I lan -A md2 --insecure

# the straight password (the password in clear on every packet): refused
# when it is all the BMC offers, and by name, unless --insecure
try straight 1 1 0 "127.0.22.6: error: insecure mode refused: BMC offers no IPMI v1.5 auth type better than the straight password, which sends it in clear$HINT" -I lan
try straight 1 0 0 "127.0.22.6: error: insecure mode refused: auth type straight password refused: it sends the password in clear$HINT" -I lan -A password
try straight 0 6 1 "127.0.22.6: off" -I lan --insecure
try straight 0 6 1 "127.0.22.6: off" -I lan -A password --insecure

# the secure default still works against the same kind of BMC
try good 0 8 1 "127.0.22.5: off"

expect_eq "$checked" 24 "cases checked"
msg "direct mode: $checked cases checked"

# --- 5. fleet mode: insecure in the configuration ------------------------
start_pg
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
sim fweak 127.0.22.11 --suites 1,15,16
sim fnone 127.0.22.12 --v15-auth none
fleet() {
	cat >"$W/$1.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
defaults:
  timeout: 300ms
  retries: 1
  insecure: $2
bmcs:
  - {name: fweak, address: 127.0.22.11}
  - {name: fnone, address: 127.0.22.12, settings: {interface: lan}}
collector:
  spool_dir: $W/spool-$1
EOF
}
fleet strict false
fleet lax true
counter fweak sessions
expect_eq "$CNT" 0 "sessions on fweak before"
counter fnone sessions
expect_eq "$CNT" 0 "sessions on fnone before"
run_to collect-strict "$BMCFLEET" collect -c "$W/strict.yaml" --what sensors
expect_eq "$RUN_RC" 1 "collect exit status, insecure: false"
counter fweak sessions
expect_eq "$CNT" 0 "sessions on fweak with insecure: false"
counter fnone sessions
expect_eq "$CNT" 0 "sessions on fnone with insecure: false"
expect_eq "$(sql "SELECT b.name || ': ' || r.reason || ': ' || r.error
    FROM collection_result r JOIN bmc b ON b.id = r.bmc_id WHERE NOT r.ok
    ORDER BY b.name")" "fnone: insecure mode refused: BMC offers only IPMI v1.5 auth types none/MD2
fweak: insecure mode refused: no secure cipher suite offered (the BMC lists 1, 15, 16)" \
    "refusals recorded"
run_to collect-lax "$BMCFLEET" collect -c "$W/lax.yaml" --what sensors ||
    fail "collect with insecure: true failed"
counter fweak sessions
expect_eq "$CNT" 1 "sessions on fweak, insecure: true"
counter fnone sessions
expect_eq "$CNT" 1 "sessions on fnone, insecure: true"
msg "PASS"
