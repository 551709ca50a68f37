# shellcheck shell=bash disable=SC2034 # (variables are for the sourcing tests)
# lib.sh: helpers for tests/interop/*.sh and tests/integration/*.sh.
# Source it near the top of a test:
#
#   . "$(dirname "$0")/../interop/lib.sh"
#
# Exit status of a test: 0 pass, 77 skip, anything else fail.
#
# Variables (set here if the caller did not):
#   TOP          repository root (absolute)
#   O            build directory (absolute; default $TOP/build)
#   BMCFLEET     $O/bmcfleet
#   BMCSIM       $O/bmcsim
#   TEST_NAME    basename of the test script without .sh
#   TEST_LOGDIR  $O/test-logs; helpers write $TEST_NAME.<what>.log there
#   RUN_TIMEOUT  seconds run_to gives one command (default 30)
#
# Functions:
#   msg TEXT...               progress line on stdout
#   fail TEXT...              print "FAIL: TEXT" and exit 1
#   skip TEXT...              print "SKIP: TEXT" and exit 77; under CI=true
#                             a failure (exit 1) instead
#   need_tool NAME...         skip when a tool is missing (so: fail in CI)
#   expect_eq ACTUAL EXPECTED [WHAT]
#   expect_match TEXT ERE [WHAT]     some line of TEXT matches ERE (grep -E)
#   expect_no_match TEXT ERE [WHAT]
#   run_to LOGNAME CMD...     run CMD (a program, not a shell function)
#                             under timeout RUN_TIMEOUT; output in
#                             RUN_OUT, status in RUN_RC (also returned); both
#                             appended to $TEST_LOGDIR/$TEST_NAME.LOGNAME.log
#                             and echoed
#   poll_until SECS CMD...    rerun CMD (a command or function) every 0.5 s
#                             until it succeeds; status 1 after SECS seconds
#   start_bmcsim ARGS...      run "$BMCSIM" ARGS in the background, wait up to
#                             BMCSIM_READY_TIMEOUT (10) s for a stdout line
#                             starting "bmcsim: ready"; sets BMCSIM_PID,
#                             BMCSIM_LOG.  bmcsim must fflush(stdout) after
#                             that line: stdout is a file, not a terminal.
#   start_ipmi_sim [ADDR [PORT]]
#                             OpenIPMI ipmi_sim as a reference BMC (config in
#                             tests/interop/ipmi_sim/, default 127.0.9.1 623,
#                             user admin / s3cret-pw); state in a temp dir;
#                             sets IPMI_SIM_PID, IPMI_SIM_DIR (its state: files
#                             power, identify, boot, chassis.log), IPMI_SIM_LOG
#
# Processes started here are stopped on exit (SIGTERM, up to 5 s, then
# SIGKILL, then wait).  bmcsim must stop on SIGTERM with status 0 (or die of
# the signal); another status, or a sanitizer report in its log, fails the
# test.
#
# Loopback addresses, one range per test so that none collide:
#   bmcsim   127.0.1.x .. 127.0.8.x (third octet chosen by the test)
#   ipmi_sim 127.0.9.1
# Port 623, so the tests run as root.

export LC_ALL=C

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
O=${O:-build}
case $O in
/*) ;;
*) O=$TOP/$O ;;
esac
BMCFLEET=${BMCFLEET:-$O/bmcfleet}
BMCSIM=${BMCSIM:-$O/bmcsim}
export O BMCFLEET BMCSIM
TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}
TEST_LOGDIR=$O/test-logs
mkdir -p "$TEST_LOGDIR"
rm -f -- "$TEST_LOGDIR/$TEST_NAME".*.log	# from an earlier run
RUN_TIMEOUT=${RUN_TIMEOUT:-30}
IPMI_SIM_CONFDIR=$TOP/tests/interop/ipmi_sim

RUN_OUT=
RUN_RC=0
BMCSIM_PID=
BMCSIM_LOG=
IPMI_SIM_PID=
IPMI_SIM_DIR=
IPMI_SIM_LOG=

_lib_pids=()		# background processes to stop at exit
_lib_what=()		# their names, for messages
_lib_logs=()		# their logs
_lib_strict=()		# 1: exit status and sanitizer reports are checked
_lib_tmpdirs=()
# every test its own cache (SDR entries, BMC profiles): nothing an earlier
# test or run learned changes what this one sees
unset BMCFLEET_SDR_CACHE
XDG_CACHE_HOME=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-cache.XXXXXX") || exit 1
export XDG_CACHE_HOME
_lib_tmpdirs+=("$XDG_CACHE_HOME")

msg() { printf '%s: %s\n' "$TEST_NAME" "$*"; }

fail() {
	printf '%s: FAIL: %s\n' "$TEST_NAME" "$*"
	exit 1
}

# In CI (CI=true, exported by .ci/run) a skip is a failure: a missing peer
# tool or privilege there means the claim was never checked.
skip() {
	if [[ ${CI:-} == true ]]; then
		printf '%s: FAIL: would skip under CI=true: %s\n' "$TEST_NAME" "$*"
		exit 1
	fi
	printf '%s: SKIP: %s\n' "$TEST_NAME" "$*"
	exit 77
}

need_tool() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 && continue
		[[ -x /usr/sbin/$t ]] && { PATH=$PATH:/usr/sbin; continue; }
		skip "$t not installed (run deploy/install-deps.sh)"
	done
}

expect_eq() {
	local actual=$1 expected=$2 what=${3:-value}
	[[ $actual == "$expected" ]] ||
	    fail "$what: expected '$expected', got '$actual'"
}

expect_match() {
	local text=$1 re=$2 what=${3:-output}
	grep -Eq -- "$re" <<<"$text" ||
	    fail "$what: no line matches /$re/ in:"$'\n'"$text"
}

expect_no_match() {
	local text=$1 re=$2 what=${3:-output}
	! grep -Eq -- "$re" <<<"$text" ||
	    fail "$what: a line matches /$re/ in:"$'\n'"$text"
}

run_to() {
	local name=$1 log
	shift
	log=$TEST_LOGDIR/$TEST_NAME.$name.log
	printf '+ %s\n' "$*"
	RUN_OUT=$(timeout -k 5 "$RUN_TIMEOUT" "$@" 2>&1 </dev/null)
	RUN_RC=$?
	if ((RUN_RC == 124)); then
		RUN_OUT+=$'\n'"(timed out after ${RUN_TIMEOUT}s)"
	fi
	[[ -n $RUN_OUT ]] && printf '%s\n' "$RUN_OUT" | sed 's/^/  | /'
	((RUN_RC == 0)) || printf '  [exit %d]\n' "$RUN_RC"
	{
		printf '+ %s\n' "$*"
		[[ -n $RUN_OUT ]] && printf '%s\n' "$RUN_OUT"
		printf '[exit %d]\n' "$RUN_RC"
	} >>"$log"
	return "$RUN_RC"
}

_lib_now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((t / 1000))
}

poll_until() {
	local secs=$1 deadline
	shift
	deadline=$(($(_lib_now_ms) + secs * 1000))
	while :; do
		"$@" && return 0
		(($(_lib_now_ms) < deadline)) || return 1
		sleep 0.5
	done
}

# True while PID is a live (not zombie) process.
_lib_alive() {
	local st
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	st=${st##*) }
	[[ ${st:0:1} != [ZX] ]]
}

# Skip when PORT needs privileges this user lacks.
_lib_need_port() {
	local port=$1 start=1024
	[[ -r /proc/sys/net/ipv4/ip_unprivileged_port_start ]] &&
	    start=$(</proc/sys/net/ipv4/ip_unprivileged_port_start)
	if ((port < start)) && (($(id -u) != 0)); then
		skip "binding UDP port $port needs root"
	fi
}

# True when something has a UDP socket bound to ADDR:PORT (IPv4).
_lib_udp_bound() {
	local a b c d hex
	IFS=. read -r a b c d <<<"$1"
	hex=$(printf '%02X%02X%02X%02X:%04X' "$d" "$c" "$b" "$a" "$2")
	awk -v h="$hex" 'NR > 1 && $2 == h { f = 1 } END { exit !f }' \
	    /proc/net/udp
}

_lib_register() {
	_lib_pids+=("$1")
	_lib_what+=("$2")
	_lib_logs+=("$3")
	_lib_strict+=("$4")
}

_lib_sanitizer_re='ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer|AddressSanitizer:DEADLYSIGNAL'

# Stop process number I; status 1 if it misbehaved.
_lib_stop() {
	local i=$1 pid=${_lib_pids[$1]} what=${_lib_what[$1]}
	local log=${_lib_logs[$1]} strict=${_lib_strict[$1]} n st bad=0
	local early=0
	if _lib_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		for ((n = 0; n < 50; n++)); do
			_lib_alive "$pid" || break
			sleep 0.1
		done
		if _lib_alive "$pid"; then
			msg "$what (pid $pid) ignored SIGTERM for 5 s; killing"
			kill -KILL "$pid" 2>/dev/null
			bad=1
		fi
	else
		early=1
	fi
	wait "$pid" 2>/dev/null
	st=$?
	_lib_pids[i]=
	((strict)) || return 0
	if ((early && _lib_signalled)); then
		:	# the signal that stopped the test reached it too
	elif ((early)); then
		msg "$what (pid $pid) had already exited, status $st"
		bad=1
	elif ((st != 0 && st != 143)); then
		msg "$what (pid $pid) exited with status $st after SIGTERM"
		bad=1
	fi
	if grep -Eq "$_lib_sanitizer_re" "$log" 2>/dev/null; then
		msg "$what: sanitizer report in $log"
		bad=1
	fi
	return "$bad"
}

_lib_on_exit() {
	local rc=$? i
	set +e
	for ((i = ${#_lib_pids[@]} - 1; i >= 0; i--)); do
		[[ -n ${_lib_pids[i]} ]] || continue
		if ! _lib_stop "$i"; then
			((rc == 0 || rc == 77)) && rc=1
		fi
	done
	if ((rc != 0 && rc != 77)); then
		for ((i = 0; i < ${#_lib_logs[@]}; i++)); do
			[[ -s ${_lib_logs[i]} ]] || continue
			echo "---- last 25 lines of ${_lib_logs[i]} ----"
			tail -n 25 "${_lib_logs[i]}"
		done
	fi
	for i in "${_lib_tmpdirs[@]}"; do
		rm -rf -- "$i"
	done
	exit "$rc"
}
trap _lib_on_exit EXIT
_lib_signalled=0
trap '_lib_signalled=1; exit 129' HUP
trap '_lib_signalled=1; exit 130' INT
trap '_lib_signalled=1; exit 143' TERM

start_bmcsim() {
	local port=623 prev='' a log deadline st
	for a in "$@"; do
		[[ $prev == --port ]] && port=$a
		[[ $a == --port=* ]] && port=${a#--port=}
		prev=$a
	done
	[[ -x $BMCSIM ]] || fail "bmcsim is not built: $BMCSIM"
	_lib_need_port "$port"

	log=$TEST_LOGDIR/$TEST_NAME.bmcsim.log
	[[ -n $BMCSIM_PID ]] && log=$TEST_LOGDIR/$TEST_NAME.bmcsim-${#_lib_pids[@]}.log
	msg "starting: bmcsim $*"
	: >"$log"
	"$BMCSIM" "$@" </dev/null >"$log" 2>&1 &
	BMCSIM_PID=$!
	BMCSIM_LOG=$log
	_lib_register "$BMCSIM_PID" bmcsim "$log" 1

	deadline=$(($(_lib_now_ms) + ${BMCSIM_READY_TIMEOUT:-10} * 1000))
	while ! grep -q '^bmcsim: ready' "$log"; do
		if ! _lib_alive "$BMCSIM_PID"; then
			wait "$BMCSIM_PID"
			st=$?
			_lib_pids[${#_lib_pids[@]} - 1]=
			fail "bmcsim exited with status $st before it was ready; see $log"
		fi
		(($(_lib_now_ms) < deadline)) ||
		    fail "bmcsim printed no 'bmcsim: ready' line within ${BMCSIM_READY_TIMEOUT:-10} s; see $log"
		sleep 0.1
	done
	msg "bmcsim ready (pid $BMCSIM_PID): $(grep -m1 '^bmcsim: ready' "$log")"
}

start_ipmi_sim() {
	local addr=${1:-127.0.9.1} port=${2:-623} d log deadline st
	need_tool ipmi_sim
	_lib_need_port "$port"
	if _lib_udp_bound "$addr" "$port"; then
		fail "UDP $addr:$port is already in use (a stale simulator?)"
	fi

	d=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-ipmi_sim.XXXXXX") ||
	    fail "mktemp failed"
	_lib_tmpdirs+=("$d")
	mkdir "$d/state"
	sed "s/^\([[:space:]]*\)addr .*/\1addr $addr $port/" \
	    "$IPMI_SIM_CONFDIR/lan.conf" >"$d/lan.conf"
	grep -Eq "^[[:space:]]*addr $addr $port\$" "$d/lan.conf" ||
	    fail "could not set the address in $d/lan.conf"

	log=$TEST_LOGDIR/$TEST_NAME.ipmi_sim.log
	msg "starting: ipmi_sim on $addr:$port (state in $d)"
	: >"$log"
	env IPMI_SIM_CONFDIR="$IPMI_SIM_CONFDIR" IPMI_SIM_STATEDIR="$d" \
	    ipmi_sim -n -c "$d/lan.conf" -f "$IPMI_SIM_CONFDIR/bmc.emu" \
	    -s "$d/state" </dev/null >"$log" 2>&1 &
	IPMI_SIM_PID=$!
	IPMI_SIM_DIR=$d
	IPMI_SIM_LOG=$log
	_lib_register "$IPMI_SIM_PID" ipmi_sim "$log" 0

	# ipmi_sim prints nothing when it is up; wait for its UDP socket.  It
	# reads bmc.emu before it handles any packet, so bound means ready.
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
	msg "ipmi_sim ready (pid $IPMI_SIM_PID)"
}

# start_pg: a throwaway PostgreSQL (deploy/pg.sh, fsync off) for this test,
# stopped and removed when the test exits.  Sets PG_DIR, PG_CONN (libpq
# conninfo) and PSQL (the server's own psql, much faster to start than
# Debian's wrapper).  Skips the test without a server, fails under CI.
# With BMCFLEET_PG_TEMPLATE (tests/run-checks.sh sets it: a directory of
# its own per run), the first start_pg leaves there a stopped cluster,
# made by deploy/pg.sh with its database; each one after copies it rather
# than run initdb and CREATE DATABASE again (most of a start's second).
PG_DIR= PG_CONN= PSQL=
# _lib_pg_template DIR: the template's cluster copied into the empty DIR
_lib_pg_template() {
	local t=${BMCFLEET_PG_TEMPLATE:-} c
	[[ -n $t && -d $t ]] || return 1
	(
		flock 8 || exit 1
		[[ -e $t/ready ]] && exit 0
		rm -rf -- "$t/c"
		"$TOP/deploy/pg.sh" start "$t/c" --no-fsync >/dev/null &&
		    "$TOP/deploy/pg.sh" stop "$t/c" &&
		    : >"$t/ready"
	) 8>>"$t/lock" >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1
	[[ -e $t/ready ]] || return 1
	c=$(readlink -f -- "$t/c")
	cp -a -- "$c/data" "$c/cluster.env" "$1/" 2>>"$TEST_LOGDIR/$TEST_NAME.pg.log" ||
	    { rm -rf -- "${1:?}"/*; return 1; }
}
_lib_pg_stop() {
	[[ -n $PG_DIR ]] || return 0
	"$TOP/deploy/pg.sh" stop "$PG_DIR" >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1 ||
	    msg "deploy/pg.sh stop failed; see $TEST_LOGDIR/$TEST_NAME.pg.log"
	rm -rf -- "$PG_DIR"
	PG_DIR=
}
_lib_pg_on_exit() {
	local rc=$?
	_lib_pg_stop
	(exit "$rc")
	_lib_on_exit
}
start_pg() {
	local t0
	# once per script: a second call would start a second server that
	# the exit trap never stops (it knows only the last PG_DIR)
	if [[ -n ${PG_CONN:-} ]]; then
		return 0
	fi
	PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null |
	    sort -t/ -k5,5 -n | tail -n 1)
	if [[ -z $PSQL ]] ||
	    ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
		skip "no PostgreSQL server (run deploy/install-deps.sh)"
	fi
	t0=$(_lib_now_ms)
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-pg.XXXXXX") ||
	    fail "mktemp failed"
	_lib_pg_template "$PG_DIR" && msg "PostgreSQL: a copy of the run's template cluster"
	trap _lib_pg_on_exit EXIT
	PG_CONN=$("$TOP/deploy/pg.sh" start "$PG_DIR" --no-fsync \
	    2>>"$TEST_LOGDIR/$TEST_NAME.pg.log") ||
	    fail "deploy/pg.sh start failed: $(tail -n 20 "$TEST_LOGDIR/$TEST_NAME.pg.log")"
	msg "PostgreSQL up in $(($(_lib_now_ms) - t0)) ms: $PG_CONN"
}

# unit_against_pg NAME: run the Check suite $O/tests/unit/NAME (unforked)
# with BMCFLEET_TEST_PG naming a throwaway PostgreSQL (start_pg), for the
# cases a unit test keeps for a real server; fail with its output
unit_against_pg() {
	local t=$O/tests/unit/$1 out
	start_pg
	[[ -x $t ]] || fail "$t is not built"
	out=$(CK_FORK=no BMCFLEET_TEST_PG="$PG_CONN" "$t" 2>&1) ||
	    fail "$1 against PostgreSQL: $out"
	msg "$out"
	msg "ok"
}

# sql QUERY: one value per line, fields separated by |
sql() {
	"$PSQL" -X -q -At -v ON_ERROR_STOP=1 -d "$PG_CONN" -c "$1"
}

# stop_bmcsim: stop the bmcsim started last (SIGTERM, checked like at exit)
stop_bmcsim() {
	local i
	for ((i = ${#_lib_pids[@]} - 1; i >= 0; i--)); do
		if [[ ${_lib_pids[i]} == "$BMCSIM_PID" ]]; then
			_lib_stop "$i" || fail "bmcsim misbehaved when stopped"
			return 0
		fi
	done
}
