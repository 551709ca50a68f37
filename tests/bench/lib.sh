# tests/bench/lib.sh: what make bench's scripts share (run.sh, events.sh,
# metrics.sh, and direct.sh through run.sh).  Sourced, never run; the
# sourcing script sets BENCH_NAME first (the prefix of its messages:
# "bench", "bench-events", "bench-metrics").
#
# On sourcing: cd to the top of the tree; TOP, O (absolute), PW, LAT, JIT
# (BENCH_LAT, BENCH_JIT), HZ, PSQL, T_START; LC_ALL=C exported, /usr/sbin
# on PATH; fails unless root, with a PostgreSQL server and psql.
#
# Checks
#   bench_need TOOL...       die unless every TOOL is on PATH
#   bench_need_bins BIN...   die unless $O/BIN is built
#   bench_fd N               raise the open-files limit to N if it may
# The work directories
#   bench_dirs TAG           W (work) and PGD (PostgreSQL's, reachable by
#                            its user) under $TMPDIR, $W/pw (0600, PW); on
#                            exit: bench_cleanup_hook if the script defines
#                            it (stop its daemons first), then every pid in
#                            BG_PIDS killed, PostgreSQL stopped, W removed
#                            (kept and named with BENCH_KEEP=1), PGD removed
#   BG_PIDS+=($!)            what the script starts, stopped on exit
#   bg_forget PID...         once the script has stopped and waited for it
# PostgreSQL
#   pg_start                 "NAME: PostgreSQL (throwaway, fsync off) in
#                            PGD"; CONN, the conninfo of database bmcfleet
#   pg_db_big                a second database bench_big; CONN_BIG
#   db_migrate CONN...       bmcfleet db migrate on each
#   pg_ticks                 the server's CPU so far in clock ticks (the
#                            postmaster, its reaped and its live children)
# The simulated fleet
#   sims_start THIRD N PER TAG [ARG...]
#                            one bmcsim per /24 from 127.0.THIRD.1, PER
#                            BMCs each (the last fewer), admin/PW's user,
#                            LAT/JIT, seed = the third octet, 8 sessions,
#                            power on, --quiet, and ARGs, where %T becomes
#                            the /24's third octet; log $W/sim-TAG%T.log;
#                            returns once each printed "bmcsim: ready".
#                            SIM_PIDS, SIM_THIRDS, SIM_HOSTS (bmcfleet's
#                            host list: "127.0.20.[1-254],127.0.21.[1-4]")
#   sims_stop                SIGTERM to SIM_PIDS, waited for; SIM_PIDS=()
#   sim_ticks                SIM_PIDS' CPU so far, clock ticks
# CPU and time
#   ticks_of PID...          user+sys plus reaped children's, clock ticks
#   ticks_self PID           user+sys of PID alone, clock ticks
#   tsec TICKS               in seconds, "%.2f"
#   calc FMT EXPR            awk's printf of EXPR
#   now_ms                   the wall clock in ms
#   poll_until SECONDS CMD...  true once CMD is, false at the deadline
# Results
#   missing KEY MSG          a figure not taken: MISSING+=, said on stderr;
#                            bench_missing_exit fails the script after the
#                            table when any
#   verdict VALUE OP LIMIT   PASS / MISS (OP <=, >= or ==), n/a if no VALUE
#   row ARG...               printf "$LINE" ARG... (LINE: the script's)
#   fleet_yaml FILE CONN HOSTS  a config's database, credentials (admin,
#                            $W/pw) and group fleet; the script appends its
#                            collector: section
# Kept runs (run.sh, direct.sh; REPEAT set by the script)
#   timed NAME TIMEOUT CMD...  one run under /usr/bin/time: T_WALL T_CPU (s)
#                            T_RSS (KiB) T_RC; $W/NAME.out, $W/NAME.err
#   keep KEY                 the last timed run is KEY's if the fastest;
#                            WALL CPU RSS OK X PWALL PCPU, by ITER
#   tool KEY PATTERN HOSTS TIMEOUT CMD...  a run kept only if it exited 0
#                            and answered for HOSTS hosts
#   ratio A B, ratio_paired WALL|CPU A B, npairs A B, mib KIB
# shellcheck shell=bash

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
TOP=$PWD
O=${O:-build}
case $O in /*) ;; *) O=$TOP/$O ;; esac
LAT=${BENCH_LAT:-2}
JIT=${BENCH_JIT:-1}
PW=bench-pw
export LC_ALL=C
PATH=$PATH:/usr/sbin:/sbin
T_START=$EPOCHREALTIME
MISSING=()
BG_PIDS=()
SIM_PIDS=()

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (bmcsim on port 623)"
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ||
    die "needs a PostgreSQL server (deploy/install-deps.sh)"
PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql | sort -t/ -k5,5 -n | tail -n 1)
HZ=$(getconf CLK_TCK)

bench_need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null || die "needs $t (deploy/install-deps.sh)"
	done
}
bench_need_bins() {
	local b
	for b in "$@"; do
		[ -x "$O/$b" ] || die "build first: make O=$O"
	done
}
bench_fd() {
	if [ "$(ulimit -n)" -lt "$1" ]; then
		ulimit -Hn "$1" 2>/dev/null || true
		ulimit -n "$1" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
	fi
}

calc() { awk "BEGIN { printf \"$1\", $2 }"; }
now_ms() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )); }
poll_until() {
	local end=$(( $(now_ms) + $1 * 1000 ))
	shift
	while ! "$@"; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.1
	done
}
ticks_of() {
	local p
	for p in "$@"; do
		awk '{ print $14 + $15 + $16 + $17 }' "/proc/$p/stat" 2>/dev/null || true
	done | awk '{ s += $1 } END { print s + 0 }'
}
ticks_self() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
tsec() { calc "%.2f" "$1 / $HZ"; }

missing() { MISSING+=("$1: $2"); echo "$BENCH_NAME: $1: $2" >&2; }
bench_missing_exit() {
	if [ "${#MISSING[@]}" -gt 0 ]; then
		printf "$BENCH_NAME: not measured: %s\n" "${MISSING[@]}" >&2
		exit 1
	fi
}
verdict() {
	[ -n "$1" ] || { echo "n/a"; return; }
	awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
	    ok = (op == "<=") ? v <= l : (op == "==") ? v == l : v >= l
	    print ok ? "PASS" : "MISS" }'
}
# shellcheck disable=SC2059
row() { printf "$LINE" "$@"; }

# --- the work directories -----------------------------------------------------

# bg_forget PID...: waited for, so no longer BG_PIDS' (a pid is reused)
bg_forget() {
	local p q keep=()
	for p in "${BG_PIDS[@]}"; do
		for q in "$@"; do [ "$p" = "$q" ] && continue 2; done
		keep+=("$p")
	done
	BG_PIDS=("${keep[@]}")
}
bench_cleanup() {
	local p
	declare -F bench_cleanup_hook >/dev/null && bench_cleanup_hook
	for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -d "$PGD/data" ] && { "$TOP/deploy/pg.sh" stop "$PGD" >/dev/null 2>&1 || true; }
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "$BENCH_NAME: work directory kept: $W"
	else
		rm -rf "$W"
	fi
	rm -rf "$PGD"
}
bench_dirs() {
	W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-$1.XXXXXX")
	# the server runs as another user, who must reach its directory
	PGD=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-$1-pg.XXXXXX")
	trap bench_cleanup EXIT
	printf '%s\n' "$PW" >"$W/pw"
	chmod 600 "$W/pw"
}

# --- PostgreSQL ---------------------------------------------------------------

pg_start() {
	echo "$BENCH_NAME: PostgreSQL (throwaway, fsync off) in $PGD"
	CONN=$("$TOP/deploy/pg.sh" start "$PGD" --no-fsync 2>"$W/pg-start.log") ||
	    { cat "$W/pg-start.log"; die "deploy/pg.sh start failed"; }
}
pg_db_big() {
	"$PSQL" -X -q -At -v ON_ERROR_STOP=1 -d "$CONN" \
	    -c "CREATE DATABASE bench_big" >/dev/null
	CONN_BIG=${CONN/dbname=bmcfleet/dbname=bench_big}
}
db_migrate() {
	local c
	for c in "$@"; do
		"$O/bmcfleet" db migrate --db "$c" >"$W/migrate.log" 2>&1 ||
		    { cat "$W/migrate.log"; die "bmcfleet db migrate failed"; }
	done
}
pg_ticks() {
	local pm
	pm=$(head -n 1 "$PGD/data/postmaster.pid")
	# shellcheck disable=SC2046
	ticks_of "$pm" $(pgrep -P "$pm")
}

# --- the simulated fleet ------------------------------------------------------

sims_start() {
	local third=$1 left=$2 per=$3 tag=$4 take t a args
	shift 4
	SIM_PIDS=() SIM_THIRDS=() SIM_HOSTS=""
	while [ "$left" -gt 0 ]; do
		take=$((left > per ? per : left))
		args=()
		for a in "$@"; do args+=("${a//%T/$third}"); done
		"$O/bmcsim" --count "$take" --base "127.0.$third.1" --user admin \
		    --latency-ms "$LAT" --jitter-ms "$JIT" --seed "$third" \
		    --session-limit 8 --power on --quiet "${args[@]}" \
		    >"$W/sim-$tag$third.log" 2>&1 &
		SIM_PIDS+=($!) BG_PIDS+=($!) SIM_THIRDS+=("$third")
		SIM_HOSTS+="${SIM_HOSTS:+,}127.0.$third.[1-$take]"
		left=$((left - take)) third=$((third + 1))
	done
	for t in "${SIM_THIRDS[@]}"; do
		poll_until 30 grep -qs '^bmcsim: ready' "$W/sim-$tag$t.log" ||
		    { cat "$W/sim-$tag$t.log"; die "bmcsim did not start"; }
	done
}
sims_stop() {
	local p
	for p in "${SIM_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${SIM_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	bg_forget "${SIM_PIDS[@]}"
	SIM_PIDS=()
}
sim_ticks() { ticks_of "${SIM_PIDS[@]}"; }

fleet_yaml() {
	cat >"$1" <<EOF
database: "$2"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "$3"}
EOF
}

# --- kept runs (run.sh, direct.sh) -------------------------------------------

# timed NAME TIMEOUT CMD...: one run; T_WALL T_CPU (s) T_RSS (KiB), T_RC,
# output in $W/NAME.out and $W/NAME.err
timed() {
	local name=$1 tmo=$2 tf=$W/$1.time
	shift 2
	rm -f "$tf"
	T_RC=0
	/usr/bin/time -f '%e %U %S %M' -o "$tf" timeout -k 10 "$tmo" "$@" \
	    >"$W/$name.out" 2>"$W/$name.err" </dev/null || T_RC=$?
	if [ ! -s "$tf" ] || ! tail -n 1 "$tf" | grep -Eq '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$'; then
		T_WALL="" T_CPU="" T_RSS=""
		return
	fi
	read -r T_WALL u s T_RSS < <(tail -n 1 "$tf")
	T_CPU=$(calc "%.2f" "$u + $s")
}

# Results: per row key, wall cpu rss (KiB) ok and free-form extras.
# Only a run that exited 0 with every host answered is kept anywhere: a
# figure (and so a PASS) never comes from a run that failed a host.
# PWALL/PCPU["KEY.ITER"]: each kept run by iteration, so that compared tools
# are paired run for run (ratio_paired), not best against best.
declare -A WALL CPU RSS OK X PWALL PCPU
ITER=0
keep() {	# keep KEY: the last timed run becomes KEY's if it is faster
	local k=$1
	PWALL[$k.$ITER]=$T_WALL PCPU[$k.$ITER]=$T_CPU
	if [ -z "${WALL[$k]:-}" ] || awk -v a="$T_WALL" -v b="${WALL[$k]}" \
	    'BEGIN { exit !(a < b) }'; then
		WALL[$k]=$T_WALL CPU[$k]=$T_CPU RSS[$k]=$T_RSS
		return 0
	fi
	return 1
}

# tool KEY PATTERN HOSTS TIMEOUT CMD...: one run, kept if it exited 0 and
# its lines matching PATTERN (grep -E) name HOSTS distinct hosts (the
# 127.x.y.z a line starts with), and then if the fastest of KEY's; OK = the
# matching lines.  Callers interleave the runs of the tools they compare,
# so that both see the same machine, and pair them by ITER.
tool() {
	local k=$1 pat=$2 want=$3 tmo=$4 n h s0 s1
	shift 4
	s0=$(sim_ticks)
	timed "$k" "$tmo" "$@"
	s1=$(sim_ticks)
	if [ -z "$T_WALL" ]; then
		missing "$k" "$1 did not run: $(head -n 3 "$W/$k.err" | tr '\n' ' ')"
		return 1
	fi
	if [ "$T_RC" -ne 0 ]; then
		missing "$k" "$1 exited $T_RC: run not kept: $(head -n 3 "$W/$k.err" | tr '\n' ' ')"
		return 1
	fi
	n=$(grep -Ec "$pat" "$W/$k.out" || true)
	h=$(grep -E "$pat" "$W/$k.out" | grep -Eo '^127\.[0-9]+\.[0-9]+\.[0-9]+' | sort -u | wc -l)
	if [ "$n" -eq 0 ] || [ "$h" -ne "$want" ]; then
		missing "$k" "$1 answered for $h of $want hosts: run not kept: $(head -n 3 "$W/$k.err" | tr '\n' ' ')"
		return 1
	fi
	if keep "$k"; then
		OK[$k]=$n X[$k.sim]=$(tsec $((s1 - s0)))
		cp "$W/$k.out" "$W/$k.best"
	fi
	return 0
}

mib() { [ -n "${1:-}" ] && calc "%.1f" "$1 / 1024" || echo "-"; }
ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "" }'; }
# ratio_paired WALL|CPU A B: the median over iterations of A's run / B's run
# of the same iteration, both kept; empty (so n/a) when no pair was kept
ratio_paired() {
	local what=$1 a=$2 b=$3 i va vb out=""
	for i in $(seq "$REPEAT"); do
		if [ "$what" = WALL ]; then
			va=${PWALL[$a.$i]:-} vb=${PWALL[$b.$i]:-}
		else
			va=${PCPU[$a.$i]:-} vb=${PCPU[$b.$i]:-}
		fi
		[ -n "$va" ] && [ -n "$vb" ] && out+="$(ratio "$va" "$vb") "
	done
	[ -n "$out" ] || return 0
	# shellcheck disable=SC2086
	printf '%s\n' $out | sort -g | awk '{ v[NR] = $1 } END {
	    printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
npairs() {	# npairs A B: iterations where both runs were kept
	local i n=0
	for i in $(seq "$REPEAT"); do
		[ -n "${PWALL[$1.$i]:-}" ] && [ -n "${PWALL[$2.$i]:-}" ] && n=$((n + 1))
	done
	echo "$n"
}
