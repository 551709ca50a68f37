#!/usr/bin/env bash
# test-timeout: 600
# The fault matrix (issue 11): one bmcfleetd sweeping 200 bmcsim BMCs
# into PostgreSQL every SWEEP_S seconds, while the faults below are done
# to it one after the other, each followed by a recovery; then one table.
#
#   127.0.30.1-170    clean
#   127.0.30.171-180  --hostile: slow, drip, churn, endless-sel,
#                     lie-lengths, lie-rmcpp-length, duplicate+reorder,
#                     no-slot, reboot, slow
#   127.0.30.181-195  10% of requests lost, every answer duplicated, a
#                     stale answer after every second one (bmcsim's
#                     duplicate and reorder quirks)
#   127.0.30.196-200  the same, and each BMC reboots (forgets its
#                     sessions) every REBOOT_MS: BMC reboot mid-session
#
# The daemon's database is PostgreSQL behind tests/integration/pgproxy.py
# (a TCP proxy that can turn into a blackhole), with collector.db_timeout
# DB_TIMEOUT; the spool is on a small tmpfs where `mount` works.  Faults,
# in the order done:
#
#   baseline     none: the healthy BMCs' sweep time every other row is
#                compared with
#   blackhole    the proxy drops everything both ways (no RST, no FIN:
#                the kernel still ACKs) for BLACKHOLE_SWEEPS sweep(s):
#                the sweep during it ends within interval + db_timeout +
#                host_deadline + 2 s with every BMC ok, the loop never
#                stalls past STALL_BOUND_MS, rows wait in the spool and
#                land once the proxy heals, without a restart
#   spool-full   the spool's filesystem filled just after a sweep began
#                (tmpfs; without one, the daemon restarted with spool_max
#                1MiB and the database silent): rows refused,
#                said with their count, sweeps go on, stored again once
#                there is room
#   sigterm-sweep  SIGTERM mid-sweep: gone within 2 s, exit 0, the hosts
#                in flight "aborted"; restarted
#   pg-stopped   PostgreSQL stopped (the daemon restarted after the
#                SIGTERM with spool_max SPOOL_SMALL): the spool fills, rows
#                are refused
#                loudly, sweeps go on; PostgreSQL started again: stored
#                again by the same daemon, no restart
#   sigkill-sweep  SIGKILL mid-sweep; restarted, the dead one's leases
#                expire, its spooled batches land
#   sigkill-plan a power-off plan of 20 BMCs (applied --at, so the daemon
#                runs it), SIGKILL in its second batch; `plan resume`
#                finishes it: every BMC powered off exactly once (bmcsim's
#                count), every one audited
#   sigterm-plan the power-on plan back, SIGTERM in its second batch: gone
#                within 2 s, the plan paused "stopped by a signal";
#                `plan resume` finishes it, each BMC powered on once
#   reboot+loss  not a phase: the lossy and rebooting BMCs above, through
#                the whole run (bmcsim's reboot count, their failures)
#   hostile      not a phase: every result of the 10 hostile BMCs through
#                the whole run, each failed by its reason (or done, where
#                the protocol allows) within host_deadline; every other
#                BMC swept ok after each fault
#
# After each fault, "settle": bmcsim's SEL dumped between two sweeps,
# then sweeps until every BMC that must recover (all but the hostile ones
# that always fail and the rebooting ones) has a result ok from a run that
# started after the dump, the spool empty, the database's SEL read, and
# bmcsim's SEL dumped again: selcheck.py then holds the database to every
# BMC's own SEL (each entry on it before that run stored exactly once;
# the BMCs compared are those with a result ok after the first dump).
# That second dump is also the phase's end.
#
# Readings: bmcsim's --stats are taken at each phase's ends, between two
# sweeps, and its "readings" counter (each Get Sensor Reading answered,
# resends once) is held per BMC to the readings stored with a time inside
# the phase, once everything has drained (faultacct.py explains the
# arithmetic): what is missing must be refused loudly (each refusal of the
# spool now says how many readings it cost), in flight when the host was
# failed (at most one per failed host: one request is outstanding at a
# time), or, after SIGKILL, not yet handed to the spool (the daemon hands
# rows over at least once a second; counted as "unspooled", separately);
# anything else is lost, and must be 0.  A reading stored that bmcsim
# never served fails too.
#
# Crashes: the daemon dying other than by our signal, an exit status
# other than 0 after SIGTERM, a sanitizer report or a core file.  The
# loop stall: the largest "longest loop stall" of the sweep lines logged
# in the phase, bound STALL_BOUND_MS (1000, 3000 for a sanitizer build).
# Healthy sweep: per run, from its start to the last clean BMC's result,
# the runs in which all 170 were ok; the phase's longest against the
# baseline's longest, bound HEALTHY_BOUND_S.
#
# It takes 3 to 4 minutes with the normal build on 2 cores; with the
# sanitizers it runs the phases SAN_PHASES below names (all of them, 5 to
# 6 minutes, with PHASES=all): "test-timeout" above gives it 600 s under
# make check.
# The table goes to stdout and $O/test-logs/faults.table.log;
# docs/RELIABILITY.md shows one as measured.  Alone:
#   make DEVELOPER=1 && O=build tests/integration/faults.sh
# PHASES="baseline pg-stopped" runs some faults only (the baseline always),
# PHASES=all every one (the default but under the sanitizers).
#
# Planted faults, to see the checks fail (the test must then FAIL, with
# the table showing where):
#   PLANT_FAULT=sel-delete      one stored SEL event deleted before the
#                               baseline's SEL check
#   PLANT_FAULT=reading-delete  one stored reading of the baseline deleted
#                               before the readings are counted
#   PLANT_FAULT=refused-miscount  the script reads half the readings the
#                               daemon's refusal lines say (fewer would
#                               hide among the ones in flight: in those
#                               phases only the sum is checked)
#   PLANT_FAULT=no-db-timeout   the blackhole with collector.db_timeout at
#                               its default (30 s): the sweeps during it
#                               begin too late
#   PLANT_FAULT=command-twice   one BMC of the power-off plan sent a
#                               second power off (bmcfleet -H) before
#                               the counts are checked
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
[[ -x $BMCFLEETD ]] || fail "bmcfleetd is not built: $BMCFLEETD"
PLANT_FAULT=${PLANT_FAULT:-}
case $PLANT_FAULT in
'' | sel-delete | reading-delete | refused-miscount | no-db-timeout | command-twice) ;;
*) fail "PLANT_FAULT='$PLANT_FAULT': see the header for the names" ;;
esac
[[ -n $PLANT_FAULT ]] && msg "PLANT_FAULT=$PLANT_FAULT: this run must fail"
FACCT=$TOP/tests/integration/faultacct.py
python3 "$FACCT" --self-test || fail "faultacct.py failed its self-test"

SAN=0
if ldd "$BMCFLEETD" 2>/dev/null | grep -q libasan; then
	SAN=1
fi
SWEEP_S=${SWEEP_S:-$((SAN ? 5 : 4))}
DEADLINE_MS=${DEADLINE_MS:-$((SAN ? 3500 : 2500))}
DB_TIMEOUT_S=3
DB_TIMEOUT=${DB_TIMEOUT_S}s
REBOOT_MS=1500
SPOOL_SMALL=1MiB
BLACKHOLE_SWEEPS=1
STALL_BOUND_MS=${STALL_BOUND_MS:-$((SAN ? 3000 : 1000))}
# the healthy BMCs are done well within a sweep; a fault may delay a
# run's start by a database wait (db_timeout), not the BMCs' sessions
HEALTHY_BOUND_S=${HEALTHY_BOUND_S:-$((SAN ? 6 : 4))}
NET=127.0.30
ALL_PHASES="baseline blackhole spool-full sigterm-sweep pg-stopped sigkill-sweep sigkill-plan sigterm-plan"
# Under the sanitizers (make SANITIZE=1 check, after the plain build ran
# all of them) only the faults whose daemon code no smaller test runs
# under ASan and UBSan: the spool refusing rows (its filesystem full, or
# spool_max with PostgreSQL gone) and the reconnect after PostgreSQL's
# return.  The others have their sanitized test: the blackhole in
# db-silent, SIGTERM mid-sweep in db-silent and session-leak, SIGKILL
# mid-sweep and the leases taken over in collect-faults (parts 2 and 5),
# a plan stopped and resumed in plan-sigterm.  The whole matrix under the
# sanitizers: PHASES=all.  (The reboot+loss row's "some BMC rebooted"
# and "some reboot cut a session" are asked of the whole matrix only.)
SAN_PHASES="baseline spool-full pg-stopped"
PHASES=${PHASES:-$( ((SAN)) && echo "$SAN_PHASES" || echo all)}
[[ $PHASES == all ]] && PHASES=$ALL_PHASES
((SAN)) && msg "sanitizer build: phases $PHASES"
want() { [[ $1 == baseline || " $PHASES " == *" $1 "* ]]; }

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-faultmx.XXXXXX") || fail "mktemp"
# KEEP_W=1 keeps the scratch directory (dumps, logs) for a look
[[ ${KEEP_W:-} == 1 ]] || _lib_tmpdirs+=("$W")
cd "$W" || fail "cd $W"
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
RUN_TIMEOUT=60
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"

# --- the spool's filesystem --------------------------------------------------
SPOOLFS=$W/spoolfs
mkdir -p "$SPOOLFS"
if mount -t tmpfs -o size=32m,mode=0700 tmpfs "$SPOOLFS" 2>/dev/null; then
	SPOOL_KIND=tmpfs
else
	SPOOL_KIND=spool_max
fi
SPOOL=$SPOOLFS/spool
msg "spool: $SPOOL (${SPOOL_KIND/spool_max/no tmpfs: spool_max})"

DPID=		# the daemon running now
DPID_SIGNALLED=	# it was sent a signal on purpose
CRASHES=0
CRASH_NOTES=()
_faults_on_exit() {
	local rc=$?
	if [[ -n $DPID ]] && _lib_alive "$DPID"; then
		kill -TERM "$DPID" 2>/dev/null
		poll_until 10 eval '! _lib_alive '"$DPID" || kill -KILL "$DPID"
	fi
	if [[ $SPOOL_KIND == tmpfs ]]; then
		umount "$SPOOLFS" 2>/dev/null || umount -l "$SPOOLFS" 2>/dev/null
	fi
	(exit "$rc")
	_lib_pg_on_exit
}
trap _faults_on_exit EXIT

# --- PostgreSQL behind the proxy ----------------------------------------------
sockdir=$(sed -n 's/.*host=\([^ ]*\).*/\1/p' <<<"$PG_CONN")
pgport=$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"$PG_CONN")
pguser=$(sed -n 's/.*user=\([^ ]*\).*/\1/p' <<<"$PG_CONN")
python3 "$TOP/tests/integration/pgproxy.py" 0 "$sockdir/.s.PGSQL.$pgport" \
    >"$W/proxy.out" 2>&1 &
PXPID=$!
_lib_register "$PXPID" pgproxy "$W/proxy.out" 0
poll_until 10 grep -q '^ready' "$W/proxy.out" || fail "pgproxy did not start"
VIA="host=127.0.0.1 port=$(awk '/^ready/ {print $2}' "$W/proxy.out") dbname=bmcfleet user=$pguser"

# --- the fleet ----------------------------------------------------------------
cat >"$W/sim.yaml" <<EOF
bmcs:
  - {index: "181-195", loss: 10, quirks: [duplicate, reorder]}
  - {index: "196-200", loss: 10, quirks: [duplicate, reorder, reboot],
     reboot_after: 1000000, reboot_every_ms: $REBOOT_MS}
EOF
# start_sim, sim_dump (SIGUSR1: $W/sel-NAME.jsonl, $W/stats-NAME.jsonl)
. "$TOP/tests/integration/simtruth.bash"
start_sim --count 200 --base $NET.1 --user admin --password s3cret-pw \
    --power on --seed 30 --sel-epoch 1790000000 --hostile 171-180 \
    --config "$W/sim.yaml" --power-delay-ms 600 --quiet

names() {	# names FIRST LAST: the BMCs' names, one a line
	local i
	for ((i = $1; i <= $2; i++)); do echo "$NET.$i"; done
}
# must be ok after every fault: the clean, the lossy that do not reboot,
# and the hostile one the protocol lets through (duplicate+reorder)
REQUIRED=$( (names 1 170; echo $NET.177; names 181 195) | sort)
NREQ=$(wc -l <<<"$REQUIRED")
REQ_ARRAY="{$(tr '\n' ',' <<<"$REQUIRED" | sed 's/,$//')}"
CLEAN_ARRAY="{$(names 1 170 | tr '\n' ',' | sed 's/,$//')}"

# config NAME SPOOL_MAX [DB_TIMEOUT]
config() {
	cat >"$W/$1.yaml" <<EOF
database: "$VIA"
credentials:
  default: {user: admin, password_file: $W/pw}
defaults:
  timeout: 1s
  retries: 2
groups:
  clean: {hosts: "$NET.[1-170]"}
  hostile: {hosts: "$NET.[171-180]"}
  lossy:
    hosts: "$NET.[181-200]"
    settings: {timeout: 100ms, retries: 12}
collector:
  spool_dir: $SPOOL
  spool_max: $2
  sweep_interval: ${SWEEP_S}s
  host_deadline: ${DEADLINE_MS}ms
  lease: 3s
${3:+  db_timeout: $3}
power:
  default_watts: 300
scheduler:
  poll_interval: 300ms
EOF
}
config normal 64MiB $DB_TIMEOUT
config small $SPOOL_SMALL $DB_TIMEOUT
config nodbt 64MiB			# PLANT_FAULT=no-db-timeout

# --- the daemon ------------------------------------------------------------------
DLOG=$W/daemon.log
: >"$DLOG"
# each line of the daemon's stderr with the time it was read
stamp() {
	local l
	while IFS= read -r l; do
		printf '%s %s\n' "$EPOCHREALTIME" "$l"
	done
}
start_daemon() {	# start_daemon CONFIG
	printf '%s === bmcfleetd -c %s\n' "$EPOCHREALTIME" "$1" >>"$DLOG"
	"$BMCFLEETD" -c "$W/$1.yaml" </dev/null >/dev/null 2> >(stamp >>"$DLOG") &
	DPID=$!
	DPID_SIGNALLED=
	_lib_register "$DPID" bmcfleetd "$DLOG" 0
	msg "bmcfleetd started (pid $DPID, $1.yaml)"
}
# the daemon is gone without our signal: a crash, and nothing after it
# can be trusted
crashed() {
	wait "$DPID" 2>/dev/null
	local st=$?
	CRASHES=$((CRASHES + 1))
	CRASH_NOTES+=("bmcfleetd (pid $DPID) died by itself, status $st, in $CUR")
	tail -n 30 "$DLOG"
	finish "bmcfleetd (pid $DPID) died by itself (status $st) during $CUR"
}
alive() { _lib_alive "$DPID" || crashed; }
sweeps() { grep -c 'bmcfleetd: sweep [0-9]*:' "$DLOG"; }
# wait_sweeps N SECS: N more sweep lines than now, within SECS
wait_sweeps() {
	local want=$(($(sweeps) + $1)) end=$(($(_lib_now_ms) + $2 * 1000))
	while (($(sweeps) < want)); do
		alive
		(($(_lib_now_ms) < end)) ||
		    finish "$CUR: no sweep line in $2 s: $(tail -n 3 "$DLOG")"
		sleep 0.1
	done
}
# stop_daemon SIG: send it, wait for the exit; STOP_MS, STOP_RC
stop_daemon() {
	local t0
	DPID_SIGNALLED=$1
	t0=$(_lib_now_ms)
	kill "-$1" "$DPID"
	poll_until 20 eval '! _lib_alive '"$DPID" ||
	    finish "$CUR: bmcfleetd still running 20 s after SIG$1"
	STOP_MS=$(($(_lib_now_ms) - t0))
	wait "$DPID" 2>/dev/null
	STOP_RC=$?
	local i
	for ((i = 0; i < ${#_lib_pids[@]}; i++)); do
		[[ ${_lib_pids[i]} == "$DPID" ]] && _lib_pids[i]=
	done
	printf '%s === pid %s ended by SIG%s: status %s after %s ms\n' \
	    "$EPOCHREALTIME" "$DPID" "$1" "$STOP_RC" "$STOP_MS" >>"$DLOG"
	if [[ $1 == TERM ]] && ((STOP_RC != 0)); then
		CRASHES=$((CRASHES + 1))
		CRASH_NOTES+=("exit status $STOP_RC after SIGTERM in $CUR")
		PH_CRASH[$CUR]=$((${PH_CRASH[$CUR]:-0} + 1))
	fi
}
spool_batches() { find "$SPOOL" -maxdepth 1 -name '[0-9]*.batch' 2>/dev/null | wc -l; }
now() { echo "$EPOCHREALTIME"; }

# --- phases -----------------------------------------------------------------------
declare -A PH_A PH_B PH_SA PH_SB PH_MODE PH_KILLED PH_SEL PH_SELOK PH_NOTE \
    PH_CRASH PH_BAD
PH_ORDER=()
FAILS=()
CUR=setup
# bad WHAT: a check of this phase failed; the run fails at the end
bad() {
	msg "FAIL ($CUR): $*"
	FAILS+=("$CUR: $*")
	PH_BAD[$CUR]+="$* "
}
LAST_NAME=
LAST_T=
# begin NAME MODE: the phase starts where the last one ended
begin() {
	CUR=$1
	PH_ORDER+=("$1")
	PH_MODE[$1]=$2
	PH_A[$1]=$LAST_T
	PH_SA[$1]=$LAST_NAME
	PH_NOTE[$1]=
	PH_CRASH[$1]=0
	msg "--- $1 (at $SECONDS s)"
}
note() { PH_NOTE[$CUR]+="${PH_NOTE[$CUR]:+; }$*"; }
# boundary NAME: bmcsim's stats and SEL now (between two sweeps)
boundary() {
	LAST_T=$(now)
	LAST_NAME=$1
	sim_dump "$1"
}
# ok_since T: REQUIRED BMCs with a result ok from a run begun after T
ok_since() {
	sql "SELECT count(DISTINCT b.name) FROM collection_result r
	    JOIN bmc b ON b.id = r.bmc_id JOIN collection_run c ON c.id = r.run_id
	    WHERE r.ok AND c.started_at > to_timestamp($1)
	    AND b.name = ANY('$REQ_ARRAY')"
}
# settle: the SEL check of the phase, and its end (see the header)
settle() {
	local x t n k got
	wait_sweeps 1 $((SWEEP_S * 4 + 30))
	boundary "$CUR-selb"
	x=$LAST_T
	for ((k = 0; ; k++)); do
		wait_sweeps 1 $((SWEEP_S * 3 + 30))
		got=$(ok_since "$x")
		((got == NREQ)) && break
		((k < 6)) || {
			bad "only $got of the $NREQ BMCs that must recover were swept ok within $k sweeps"
			break
		}
	done
	t=$(_lib_now_ms)
	while (($(spool_batches) > 0)); do
		(($(_lib_now_ms) - t < 10000)) || {
			bad "the spool did not drain after the recovery sweep"
			break
		}
		alive
		sleep 0.05
	done
	# the BMCs judged: a result ok after the first dump (the rebooting
	# and hostile ones when they made it; every REQUIRED one must have)
	sql "SELECT DISTINCT b.name FROM collection_result r
	    JOIN bmc b ON b.id = r.bmc_id JOIN collection_run c ON c.id = r.run_id
	    WHERE r.ok AND c.started_at > to_timestamp($x)" >"$W/judged-$CUR"
	if [[ $PLANT_FAULT == sel-delete && $CUR == baseline ]]; then
		msg "PLANT_FAULT=sel-delete: deleted $(sql "DELETE FROM sel_event
		    WHERE id = (SELECT e.id FROM sel_event e JOIN bmc b
		    ON b.id = e.bmc_id WHERE b.name = '$NET.17'
		    ORDER BY e.id DESC LIMIT 1) RETURNING encode(raw, 'hex')")"
	fi
	sql "SELECT b.name, encode(e.raw, 'hex') FROM sel_event e
	    JOIN bmc b ON b.id = e.bmc_id" >"$W/db-sel-$CUR.txt"
	boundary "$CUR-end"
	PH_B[$CUR]=$LAST_T
	PH_SB[$CUR]=$LAST_NAME
	note "$(awk -v a="${PH_A[$CUR]}" -v b="$LAST_T" 'BEGIN { printf "%.0f", b - a }') s in all, runs began up to $(lines_in "${PH_A[$CUR]}" "$LAST_T" |
	    max_field '.*the latest ([0-9]+)\.[0-9] s late.*') s late"
	# what the BMCs that must recover went through meanwhile
	note "their failures: $(sql "SELECT coalesce(string_agg(w || ' x' || n,
	    ', ' ORDER BY n DESC), 'none') FROM (SELECT r.reason || ' (' ||
	    left(regexp_replace(coalesce(r.error, ''), '[0-9]+', 'N', 'g'), 60)
	    || ')' AS w, count(*) AS n FROM collection_result r
	    JOIN bmc b ON b.id = r.bmc_id WHERE NOT r.ok
	    AND b.name = ANY('$REQ_ARRAY')
	    AND r.finished_at >= to_timestamp(${PH_A[$CUR]})
	    AND r.finished_at < to_timestamp($LAST_T) GROUP BY 1) x")"
	# the SEL oracle over the BMCs judged
	python3 "$FACCT" filter "$W/sel-$CUR-selb.jsonl" "$W/selb-$CUR.f" \
	    "$W/judged-$CUR" >/dev/null &&
	    python3 "$FACCT" filter "$W/sel-$CUR-end.jsonl" "$W/sele-$CUR.f" \
	    "$W/judged-$CUR" >/dev/null || fail "filtering the SEL dumps"
	n=$(wc -l <"$W/judged-$CUR")
	if python3 "$SELCHECK" "$CUR" "$W/selb-$CUR.f" "$W/sele-$CUR.f" \
	    "$W/db-sel-$CUR.txt" >"$W/selcheck-$CUR.out"; then
		PH_SELOK[$CUR]=1
	else
		PH_SELOK[$CUR]=0
		bad "SEL: $(grep -v "^$CUR: " "$W/selcheck-$CUR.out" | head -n 3 | tr '\n' ' ')"
	fi
	PH_SEL[$CUR]=$(sed -n "s/^$CUR: .*stored, \([0-9]*\) lost, \([0-9]*\) doubled.*/\1 \2/p" \
	    "$W/selcheck-$CUR.out")
	[[ -n ${PH_SEL[$CUR]} ]] || PH_SEL[$CUR]="? ?"
	msg "SEL: $(tail -n 1 "$W/selcheck-$CUR.out") ($n BMCs judged)"
}

# the daemon's lines stamped in [A, B)
lines_in() {
	awk -v a="$1" -v b="$2" '$1 >= a && $1 < b' "$DLOG"
}

# --- the table ----------------------------------------------------------------------
# sum_field ERE: the sum of the first number captured by sed ERE over stdin
sum_field() { sed -En "s/$1/\\1/p" | awk '{ s += $1 } END { print s + 0 }'; }
max_field() { sed -En "s/$1/\\1/p" | awk 'BEGIN { m = 0 } $1 > m { m = $1 } END { print m }'; }
# healthy_s A B: the longest run begun in [A, B) from its start to the
# last clean BMC's result, over the runs in which all 170 were ok
healthy_s() {
	sql "SELECT coalesce(to_char(max(t), 'FM990.0'), 'n/a') FROM (SELECT
	    extract(epoch FROM max(r.finished_at) - min(r.finished_at -
	    r.duration_ms * interval '1 ms')) AS t
	    FROM collection_run c JOIN collection_result r ON r.run_id = c.id
	    JOIN bmc b ON b.id = r.bmc_id WHERE r.ok
	    AND b.name = ANY('$CLEAN_ARRAY')
	    AND c.started_at >= to_timestamp($1) AND c.started_at < to_timestamp($2)
	    GROUP BY c.id HAVING count(*) = 170) x"
}
# account PHASE [FILTER]: faultacct.py's readings line for the phase
# (FILTER: a file of BMC names to count only those)
account() {
	local p=$1 a=${PH_A[$1]} b=${PH_B[$1]} f=${2:-} ref fl sa sb
	sa=$W/stats-${PH_SA[$p]}.jsonl
	sb=$W/stats-${PH_SB[$p]}.jsonl
	if [[ -n $f ]]; then	# after the whole phase's count: its files
		python3 "$FACCT" filter "$sa" "$sa.$p.f" "$f" >/dev/null
		python3 "$FACCT" filter "$sb" "$sb.$p.f" "$f" >/dev/null
		grep -F -f <(sed 's/$/|/' "$f") "$W/stored-$p" >"$W/stored-$p.f"
		grep -F -f <(sed 's/$/|/' "$f") "$W/fails-$p" >"$W/fails-$p.f"
		python3 "$FACCT" readings "${PH_MODE[$p]}" "$sa.$p.f" "$sb.$p.f" \
		    "$W/stored-$p.f" "$W/fails-$p.f" 0 0 "$W/killed-$p"
		return
	fi
	sql "SELECT b.name || '|' || count(*) FROM sensor_reading r
	    JOIN bmc b ON b.id = r.bmc_id WHERE r.ts >= to_timestamp($a)
	    AND r.ts < to_timestamp($b) GROUP BY b.name" >"$W/stored-$p"
	sql "SELECT b.name || '|' || count(*) FROM collection_result r
	    JOIN bmc b ON b.id = r.bmc_id WHERE NOT r.ok
	    AND r.finished_at >= to_timestamp($a)
	    AND r.finished_at < to_timestamp($b) GROUP BY b.name" >"$W/fails-$p"
	ref=$(lines_in "$a" "$b" | sum_field '.*rows refused \(([0-9]+) readings.*')
	if [[ $PLANT_FAULT == refused-miscount ]] && ((ref > 0)); then
		msg "PLANT_FAULT=refused-miscount: $p's refusals read as $((ref / 2)) readings, not $ref" >&2
		ref=$((ref / 2))
	fi
	fl=$(lines_in "$a" "$b" | sum_field '.*bmcfleetd: sweep [0-9]+: .* ([0-9]+) failed;.*')
	: >"$W/killed-$p"
	if [[ -n ${PH_KILLED[$p]:-} ]]; then
		sql "SELECT b.name FROM collection_result r
		    JOIN bmc b ON b.id = r.bmc_id
		    WHERE r.run_id = $(last_run "${PH_KILLED[$p]%% *}")" \
		    >"$W/killed-$p"
	fi
	python3 "$FACCT" readings "${PH_MODE[$p]}" "$sa" "$sb" "$W/stored-$p" \
	    "$W/fails-$p" "$ref" "$fl" "$W/killed-$p"
}
# finish [WHY]: count, print the table, pass or fail
FINISHED=0
finish() {
	local p why=${1:-} acc r t line base hs ratio stall san cores
	((FINISHED)) && return
	FINISHED=1
	[[ -n $why ]] && { FAILS+=("$why"); msg "FAIL: $why"; }
	msg "--- counting (at $SECONDS s)"
	if [[ -n $DPID ]] && _lib_alive "$DPID"; then
		CUR=end
		stop_daemon TERM
	fi
	if ! "$TOP/deploy/pg.sh" status "$PG_DIR" >/dev/null 2>&1; then
		"$TOP/deploy/pg.sh" start "$PG_DIR" --no-fsync \
		    >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1
	fi
	if [[ $PLANT_FAULT == reading-delete && -n ${PH_B[baseline]:-} ]]; then
		msg "PLANT_FAULT=reading-delete: deleted $(sql "DELETE FROM sensor_reading
		    WHERE (sensor_id, ts) = (SELECT sensor_id, ts FROM sensor_reading
		    WHERE ts >= to_timestamp(${PH_A[baseline]}) AND ts <
		    to_timestamp(${PH_B[baseline]}) ORDER BY ts LIMIT 1)
		    RETURNING 1" | wc -l) reading of the baseline"
	fi
	base=n/a
	[[ -n ${PH_B[baseline]:-} ]] &&
	    base=$(healthy_s "${PH_A[baseline]}" "${PH_B[baseline]}")
	TABLE=()
	row() {
		TABLE+=("$(printf '%-14s %4s %4s %7s %8s %6s %7s %5s %7s %13s  %s' "$@")")
	}
	row FAULT "SEL" "SEL" READINGS REFUSED "IN" "UN-" CRASH "STALL" "HEALTHY S" ""
	row "" lost dbl lost "(SAID)" FLIGHT SPOOLED "" "MS" "(X BASELINE)" VERDICT
	for p in "${PH_ORDER[@]}"; do
		if [[ -z ${PH_B[$p]:-} ]]; then
			row "$p" - - - - - - "${PH_CRASH[$p]:-0}" - - "FAIL (not finished)"
			continue
		fi
		acc=$(account "$p")
		r=$?
		msg "$p readings: $acc"
		read -r _ served _ stored _ refused _ infl _ unsp _ lost _ extra <<<"$acc"
		((r == 0)) || PH_BAD[$p]+="readings "
		stall=$(lines_in "${PH_A[$p]}" "${PH_B[$p]}" |
		    max_field '.*longest loop stall ([0-9]+) ms.*')
		if ((stall > STALL_BOUND_MS)); then
			PH_BAD[$p]+="stall "
			FAILS+=("$p: the loop stalled $stall ms (bound $STALL_BOUND_MS)")
		fi
		san=$(lines_in "${PH_A[$p]}" "${PH_B[$p]}" | grep -cE "$_lib_sanitizer_re")
		((san == 0)) || { PH_CRASH[$p]=$((PH_CRASH[$p] + 1));
		    FAILS+=("$p: sanitizer report in the daemon's log"); }
		hs=$(healthy_s "${PH_A[$p]}" "${PH_B[$p]}")
		ratio=$(awk -v a="$hs" -v b="$base" 'BEGIN {
		    if (a == "n/a" || b == "n/a" || b == 0) print "n/a";
		    else printf "%.2f", a / b }')
		if [[ $hs == n/a ]] || awk -v a="$hs" -v m="$HEALTHY_BOUND_S" \
		    'BEGIN { exit !(a > m) }'; then
			PH_BAD[$p]+="healthy-sweep "
			FAILS+=("$p: healthy sweep time $hs s (bound $HEALTHY_BOUND_S s)")
		fi
		read -r sl sd <<<"${PH_SEL[$p]:-? ?}"
		if ((lost > 0 || extra > 0)); then
			FAILS+=("$p: readings $acc")
		fi
		row "$p" "$sl" "$sd" "$((lost + extra))" "$refused" "$infl" "$unsp" \
		    "${PH_CRASH[$p]}" "$stall" "$hs (x$ratio)" \
		    "$([[ -z ${PH_BAD[$p]:-} ]] && echo ok || echo "FAIL: ${PH_BAD[$p]}")"
	done
	# the whole run: the lossy/rebooting BMCs and the hostile ones
	if [[ -n $LAST_T && ${#PH_ORDER[@]} -gt 0 && -n ${PH_B[${PH_ORDER[0]}]:-} ]]; then
		local t0=${PH_A[${PH_ORDER[0]}]} t1=$LAST_T lossy sum_l=0 sum_i=0 \
		    sum_s=0 reb drop lf hnote hbad=0 i want got maxd
		names 181 200 >"$W/lossy-names"
		for p in "${PH_ORDER[@]}"; do
			[[ -n ${PH_B[$p]:-} && ${PH_MODE[$p]} != refusal ]] || continue
			read -r _ s _ _ _ _ _ i _ u _ l _ x <<<"$(account "$p" "$W/lossy-names")"
			sum_s=$((sum_s + s))
			sum_l=$((sum_l + l + x))
			sum_i=$((sum_i + i))
		done
		reb=$(python3 -c 'import json, sys
print(sum(d["reboots"] for d in map(json.loads, open(sys.argv[1]))))' \
		    "$W/stats-$LAST_NAME.jsonl")
		drop=$(python3 -c 'import json, sys
print(sum(d["dropped"] for d in map(json.loads, open(sys.argv[1]))
          if int(d["bmc"].rsplit(".", 1)[1]) > 180))' "$W/stats-$LAST_NAME.jsonl")
		lf=$(sql "SELECT coalesce(string_agg(reason || ' ' || n, ', '), 'none')
		    FROM (SELECT r.reason, count(*) AS n FROM collection_result r
		    JOIN bmc b ON b.id = r.bmc_id WHERE NOT r.ok
		    AND b.name = ANY('{$(names 196 200 | tr '\n' ',' | sed 's/,$//')}')
		    AND r.finished_at >= to_timestamp($t0) GROUP BY 1) x")
		reb=$((reb - $(python3 -c 'import json, sys
print(sum(d["reboots"] for d in map(json.loads, open(sys.argv[1]))))' \
		    "$W/stats-warm.jsonl")))
		PH_NOTE[reboot+loss]="hosts 181-200, plain and kill phases: $sum_s readings served, $sum_i in flight at a failure; $drop requests dropped by bmcsim; 196-200 rebooted $reb times, their failures: $lf; SEL: judged in each phase's check whenever swept ok"
		local rbad=
		((sum_l == 0)) || { rbad="readings "; FAILS+=("reboot+loss: $sum_l readings lost"); }
		# over the whole matrix (3 minutes) reboots every 1.5 s cut
		# sessions; a few phases alone may see none
		if [[ $PHASES == "$ALL_PHASES" ]]; then
			((reb > 0)) || { rbad+="no-reboot "; FAILS+=("reboot+loss: no BMC rebooted"); }
			[[ $lf != none ]] || { rbad+="no-failure "; FAILS+=("reboot+loss: no reboot cut a session"); }
		fi
		row reboot+loss "(rows)" "" "$sum_l" - "$sum_i" - - - - \
		    "$([[ -z $rbad ]] && echo ok || echo "FAIL: $rbad")"

		# hostile: each result's reason, within its deadline
		declare -A HW=([171]="deadline" [172]="ok|deadline" [173]="ok|deadline"
		    [174]="command failed|deadline" [175]="ok|command failed|deadline"
		    [176]="session error|deadline" [177]="ok|deadline"
		    [178]="session error" [179]="timeout|deadline|command failed" [180]="deadline")
		declare -A HK=([171]=slow [172]=drip [173]=churn [174]=endless-sel
		    [175]=lie-lengths [176]=lie-rmcpp-length [177]=duplicate+reorder
		    [178]=no-slot [179]=reboot [180]=slow)
		hnote=
		for i in $(seq 171 180); do
			got=$(sql "SELECT coalesce(r.reason, 'ok'), count(*),
			    max(r.duration_ms) FROM collection_result r
			    JOIN bmc b ON b.id = r.bmc_id WHERE b.name = '$NET.$i'
			    AND r.finished_at >= to_timestamp($t0)
			    AND coalesce(r.reason, '') <> 'aborted'
			    GROUP BY 1 ORDER BY 1")
			local summary= n=0
			maxd=0
			while IFS='|' read -r reason cnt d; do
				[[ -n $reason ]] || continue
				summary+="${summary:+, }$reason x$cnt"
				n=$((n + cnt))
				((d > maxd)) && maxd=$d
				if [[ "|${HW[$i]}|" != *"|$reason|"* ]]; then
					hbad=1
					FAILS+=("hostile $NET.$i (${HK[$i]}): $cnt results '$reason', expected ${HW[$i]}")
				fi
			done <<<"$got"
			if ((maxd > DEADLINE_MS + 250)); then
				hbad=1
				FAILS+=("hostile $NET.$i (${HK[$i]}): a result took $maxd ms (host_deadline $DEADLINE_MS ms)")
			fi
			((n >= 3)) || { hbad=1; FAILS+=("hostile $NET.$i (${HK[$i]}): only $n results"); }
			hnote+="${hnote:+; }.$i ${HK[$i]}: $summary (<= $maxd ms)"
		done
		maxd=$(sql "SELECT max(r.duration_ms) FROM collection_result r
		    JOIN bmc b ON b.id = r.bmc_id WHERE r.ok AND b.name = ANY('$CLEAN_ARRAY')
		    AND r.finished_at >= to_timestamp($t0)")
		PH_NOTE[hostile]="$hnote; the longest ok clean BMC took $maxd ms"
		row hostile - - - - - - - - - "$( ((hbad == 0)) && echo ok || echo FAIL)"
	fi
	# a batch the database refused is set aside in failed/: its rows are
	# not stored, whatever the readings say
	r=$(grep -c 'refused: .*moved to' "$DLOG")
	((r == 0)) || FAILS+=("$r batch(es) moved to the spool's failed/: $(grep -m1 'refused: .*moved to' "$DLOG")")
	# the lease renewal and the writer's merge can deadlock (issue 11
	# report); the renewal is then the victim and says so
	r=$(grep -c 'deadlock detected' "$DLOG")
	((r == 0)) || PH_NOTE[hostile]+="; 'deadlock detected' said $r time(s)"
	# every phase's ends were taken between two sweeps: the sweep logged
	# first after each began after it (its line's time less its length,
	# given to 0.1 s); else the readings of a sweep were split
	for p in "${PH_ORDER[@]}"; do
		for t in ${PH_A[$p]:-} ${PH_B[$p]:-}; do
			r=$(awk -v t="$t" '/bmcfleetd: sweep [0-9]+:/ && $1 > t {
			    for (i = 1; i < NF; i++) if ($i == "in" && $(i - 1) == "swept")
				print ($1 - $(i + 1) < t - 0.1) ? "inside" : "ok";
			    exit }' "$DLOG")
			[[ $r != inside ]] ||
			    FAILS+=("$p: a phase boundary ($t) fell inside a sweep (the script's timing)")
		done
	done
	cores=$(find "$W" -maxdepth 1 -name 'core*' | wc -l)
	san=$(grep -cE "$_lib_sanitizer_re" "$DLOG")
	{
		printf 'Fault matrix, %s, %s (%s CPUs), %s build%s\n' \
		    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(uname -sm)" "$(nproc)" \
		    "$( ((SAN)) && echo sanitizer || echo normal)" \
		    "${PLANT_FAULT:+, PLANT_FAULT=$PLANT_FAULT}"
		printf '200 BMCs (10 hostile, 20 lossy of which 5 reboot every %s ms), a sweep every %s s, host_deadline %s ms, db_timeout %s, spool: %s; bounds: stall %s ms, healthy sweep %s s\n' \
		    "$REBOOT_MS" "$SWEEP_S" "$DEADLINE_MS" "$DB_TIMEOUT" \
		    "$SPOOL_KIND" "$STALL_BOUND_MS" "$HEALTHY_BOUND_S"
		printf '%s\n' "${TABLE[@]}"
		for p in "${PH_ORDER[@]}" reboot+loss hostile; do
			[[ -n ${PH_NOTE[$p]:-} ]] && printf '  %s: %s\n' "$p" "${PH_NOTE[$p]}"
		done
		printf 'crashes in all: %d (signals: %s; sanitizer reports %d, core files %d)\n' \
		    "$((CRASHES + san + cores))" "${CRASH_NOTES[*]:-none}" "$san" "$cores"
	} | tee "$TEST_LOGDIR/$TEST_NAME.table.log"
	cp "$DLOG" "$TEST_LOGDIR/$TEST_NAME.daemon.log"
	((san + cores == 0)) || FAILS+=("sanitizer reports $san, core files $cores")
	if ((${#FAILS[@]} > 0)); then
		printf '%s: FAIL: %s\n' "$TEST_NAME" "${FAILS[@]}"
		exit 1
	fi
	msg "pass (in $SECONDS s)"
	exit 0
}

# mid_sweep SECS: wait for a sweep line, then until SECS into the next
mid_sweep() {
	local l st sw start
	wait_sweeps 1 $((SWEEP_S * 3 + 30))
	l=$(grep 'bmcfleetd: sweep [0-9]*:' "$DLOG" | tail -n 1)
	st=${l%% *}
	sw=$(sed -n 's/.*swept in \([0-9.]*\) s.*/\1/p' <<<"$l")
	start=$(awk -v s="$st" -v w="$sw" -v i="$SWEEP_S" -v d="$1" \
	    'BEGIN { printf "%.3f", s - w + i + d }')
	while awk -v n="$(now)" -v t="$start" 'BEGIN { exit !(n < t) }'; do
		alive
		sleep 0.05
	done
}
# --- warm-up ------------------------------------------------------------------------
# A cold fleet's first sweep walks the SDR repositories and reads every
# FRU device: more than host_deadline on a busy machine, and every host
# failed by it leaves nothing learned.  One collect with time enough does
# it for the clean and lossy BMCs (the hostile ones would hold it to its
# deadline) and leaves what it learned in the database for the daemon.
CUR=warm-up
msg "--- warm-up (at $SECONDS s)"
sed "s/^  host_deadline: .*/  host_deadline: 60s/" "$W/normal.yaml" >"$W/warm.yaml"
run_to warm "$BMCFLEET" collect -c "$W/warm.yaml" --no-lease '@clean,@lossy' ||
    msg "the warm-up collect did not sweep every BMC (the daemon goes on)"
start_daemon normal
# the baseline starts once a sweep had every BMC that must be ok ok
k=0
until [[ $(grep 'bmcfleetd: sweep [0-9]*:' "$DLOG" | tail -n 1) =~ :\ ([0-9]+)\ ok, ]] &&
    ((BASH_REMATCH[1] >= NREQ)); do
	((k++ < 8)) || finish "no sweep had the $NREQ BMCs ok within 8 sweeps of the start"
	wait_sweeps 1 $((SWEEP_S * 3 + 30))
done
boundary warm

# --- baseline -------------------------------------------------------------------------
begin baseline plain
settle

# --- the blackhole --------------------------------------------------------------------
if want blackhole; then
	begin blackhole plain
	if [[ $PLANT_FAULT == no-db-timeout ]]; then
		msg "PLANT_FAULT=no-db-timeout: restarting without collector.db_timeout"
		stop_daemon TERM
		start_daemon nodbt
		wait_sweeps 1 30
	fi
	n0=$(sweeps)
	t0=$(now)
	kill -USR1 "$PXPID"
	wait_sweeps "$BLACKHOLE_SWEEPS" $((SWEEP_S * BLACKHOLE_SWEEPS + 60))
	pend=$(spool_batches)
	t1=$(now)
	kill -USR2 "$PXPID"
	hole=$(lines_in "$t0" "$t1" | grep 'bmcfleetd: sweep [0-9]*:')
	okmin=$(sed -n 's/.*: \([0-9]*\) ok, .*/\1/p' <<<"$hole" | sort -n | head -n 1)
	# the sweeps go on: one waits for the silent database db_timeout at
	# most before its BMCs are asked, so the first sweep line comes
	# within an interval, db_timeout and host_deadline (and 2 s)
	late=$(awk -v a="$t0" 'NR == 1 { printf "%.1f", $1 - a }' <<<"$hole")
	awk -v l="$late" -v b=$((SWEEP_S + DB_TIMEOUT_S + DEADLINE_MS / 1000 + 2)) \
	    'BEGIN { exit !(l <= b) }' ||
	    bad "the first sweep of the blackhole ended $late s after it began (bound interval + db_timeout + host_deadline + 2 s)"
	note "the first sweep line $late s into it; silent $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s, $(wc -l <<<"$hole") sweeps (the fewest ok $okmin), $pend batches waiting"
	((pend > 0)) || bad "no batch waited in the spool during the blackhole"
	((okmin >= NREQ)) || bad "a sweep during the blackhole had only $okmin BMCs ok"
	grep -q 'no answer in' <(lines_in "$t0" "$(now)") ||
	    bad "the silence was not said ('no answer in')"
	# the batches land without a restart
	t=$(_lib_now_ms)
	poll_until 60 eval '(( $(spool_batches) == 0 ))' ||
	    bad "the spool did not drain within 60 s of the heal"
	note "drained $(( ($(_lib_now_ms) - t) / 1000 )) s after the heal"
	settle
fi

# --- the spool's filesystem full -----------------------------------------------------
if want spool-full; then
	begin spool-full refusal
	# full when a sweep has just begun: the BMCs in flight then
	mid_sweep 0.2
	t0=$(now)
	if [[ $SPOOL_KIND == tmpfs ]]; then
		dd if=/dev/zero of="$SPOOLFS/filler" bs=64k 2>/dev/null
		note "tmpfs filled ($(du -k "$SPOOLFS/filler" | cut -f1) KiB of filler)"
		# The writer deletes a batch file once committed: the space
		# that frees can hold the next batch, and then nothing is
		# refused.  A full disk stays full, so top the filler up while
		# waiting, as the other writers of a real one would.
		spool_topup() {
			local i
			for i in 1 2 3 4 5; do
				dd if=/dev/zero of="$SPOOLFS/filler" bs=4k \
				    oflag=append conv=notrunc 2>/dev/null
				sleep 0.1
			done
			lines_in "$t0" "$(now)" | grep -q "rows refused"
		}
	else
		# spool_max is 1MiB at least: it fills while the database
		# does not take the rows
		stop_daemon TERM
		start_daemon small
		kill -USR1 "$PXPID"
		note "no tmpfs here: restarted with spool_max $SPOOL_SMALL, the database silent"
	fi
	if [[ $SPOOL_KIND == tmpfs ]]; then
		poll_until 30 spool_topup
	else
		poll_until 30 eval 'lines_in "$t0" "$(now)" | grep -q "rows refused"'
	fi || bad "no refusal said within 30 s"
	wait_sweeps 1 $((SWEEP_S + 30))
	t1=$(now)
	nref=$(lines_in "$t0" "$t1" | grep -c 'rows refused')
	note "$nref refusals said, $(lines_in "$t0" "$t1" | grep -c 'bmcfleetd: sweep [0-9]*:') sweeps went on"
	if [[ $SPOOL_KIND == tmpfs ]]; then
		rm -f "$SPOOLFS/filler"
	else
		kill -USR2 "$PXPID"
		stop_daemon TERM
		start_daemon normal
	fi
	settle
fi

# --- SIGTERM mid-sweep -----------------------------------------------------------------
# last_run PID: the collection_run id of that daemon's last run
last_run() {
	sql "SELECT id FROM collection_run WHERE key LIKE '%:$1:%'
	    ORDER BY started_at DESC LIMIT 1"
}
# killed_run PID: results stored of that daemon's last run: all, ok,
# aborted
killed_run() {
	sql "SELECT count(*), count(*) FILTER (WHERE r.ok),
	    count(*) FILTER (WHERE r.reason = 'aborted')
	    FROM collection_result r WHERE r.run_id = $(last_run "$1")"
}
if want sigterm-sweep; then
	begin sigterm-sweep plain
	mid_sweep 0.3
	pid=$DPID
	t0=$(now)
	stop_daemon TERM
	note "gone in $STOP_MS ms, status $STOP_RC"
	((STOP_MS <= 2000)) || bad "bmcfleetd took $STOP_MS ms to stop after SIGTERM (bound 2000)"
	grep -q "bmcfleetd: stopping" <(lines_in "$t0" "$(now)") ||
	    bad "no 'stopping' line after SIGTERM"
	# pg-stopped, next, needs a small spool
	start_daemon "$(want pg-stopped && echo small || echo normal)"
	settle
	IFS='|' read -r nres nok nab <<<"$(killed_run "$pid")"
	note "the run stopped: $nres results stored ($nok ok, $nab aborted)"
	((nab > 0)) || bad "SIGTERM did not land mid-sweep: no host aborted ($nres results)"
fi

# --- PostgreSQL stopped past spool_max ------------------------------------------------------
if want pg-stopped; then
	begin pg-stopped refusal
	if ! grep -q "bmcfleetd -c small\$" <(tail -n 40 "$DLOG"); then
		stop_daemon TERM
		start_daemon small
		wait_sweeps 1 60
	fi
	pid=$DPID
	t0=$(now)
	"$TOP/deploy/pg.sh" stop "$PG_DIR" >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1 ||
	    fail "could not stop PostgreSQL"
	poll_until 30 eval 'lines_in "$t0" "$(now)" | grep -q "rows refused"' ||
	    bad "no refusal said within 30 s of PostgreSQL stopping"
	wait_sweeps 1 $((SWEEP_S + 40))
	t1=$(now)
	nref=$(lines_in "$t0" "$t1" | grep -c 'rows refused')
	nsw=$(lines_in "$t0" "$t1" | grep -c 'bmcfleetd: sweep [0-9]*:')
	"$TOP/deploy/pg.sh" start "$PG_DIR" --no-fsync \
	    >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1 || fail "could not restart PostgreSQL"
	t2=$(_lib_now_ms)
	poll_until 60 eval '(( $(spool_batches) == 0 ))' ||
	    bad "the spool did not drain within 60 s of PostgreSQL's return"
	note "down $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s: $nsw sweeps went on, $nref refusals said; spool drained $(( ($(_lib_now_ms) - t2) / 1000 )) s after the restart"
	[[ $DPID == "$pid" ]] && alive
	settle
fi

# --- SIGKILL mid-sweep --------------------------------------------------------------------
if want sigkill-sweep; then
	begin sigkill-sweep kill
	mid_sweep 0.6
	pid=$DPID
	t0=$(now)
	stop_daemon KILL
	PH_KILLED[$CUR]="$pid $t0"
	start_daemon normal
	settle
	IFS='|' read -r nres nok nab <<<"$(killed_run "$pid")"
	# a run that ends stores its finish time: this one must not have
	unfinished=$(sql "SELECT count(*) FROM collection_run
	    WHERE id = $(last_run "$pid") AND finished_at IS NULL")
	note "killed with $nres results of its last run stored"
	((unfinished == 1)) || bad "SIGKILL did not land mid-sweep: its last run finished"
fi

# --- plans ------------------------------------------------------------------------------------
counter() {	# counter NAME: bmcsim's count of NAME for BMCs 1-20: total max
	rm -f "$W/stats.jsonl"
	kill -USR1 "$BMCSIM_PID"
	poll_until 10 test -s "$W/stats.jsonl" || fail "bmcsim wrote no stats"
	poll_until 10 test -s "$W/sel.jsonl" || fail "bmcsim wrote no SEL dump"
	python3 -c 'import json, sys
v = [d.get(sys.argv[1], 0) for d in map(json.loads, open(sys.argv[2]))
     if int(d["bmc"].rsplit(".", 1)[1]) <= 20]
print(sum(v), max(v), min(v))' "$1" "$W/stats.jsonl"
}
# plan_fault NAME SIG OP: a plan of OP on BMCs 1-20 that the daemon runs,
# SIG in its second batch, `plan resume`, each BMC commanded once
plan_fault() {
	local op=$3 id pid t0 total most least st
	read -r total0 _ _ < <(counter "$op")
	cat >"$W/$1.plan" <<EOF
stages:
  - {name: $op-20, targets: "$NET.[1-20]", op: $op, batch: 5, interval: 1s}
EOF
	run_to "$1-apply" "$BMCFLEET" plan apply "$W/$1.plan" -c "$W/normal.yaml" \
	    --db "$PG_CONN" --at 1s || fail "$1: plan apply failed"
	id=$(sed -n 's/^plan \([0-9]*\) stored.*/\1/p' <<<"$RUN_OUT" | head -n 1)
	[[ -n $id ]] || fail "$1: plan apply printed no plan ID"
	poll_until 60 eval '(( $(sql "SELECT count(*) FROM audit_log WHERE
	    plan_id = '"$id"' AND operation = '"'"'batch-start'"'"'") >= 2 ))' ||
	    finish "$1: the daemon did not start the plan's second batch within 60 s"
	grep -q "plan $id is due" "$DLOG" || bad "the daemon did not say it ran plan $id"
	pid=$DPID
	t0=$(now)
	stop_daemon "$2"
	st=$(sql "SELECT state || ' ' || coalesce(reason, '') FROM power_plan WHERE id = $id")
	read -r total most least < <(counter "$op")
	note "plan $id ($op x20) killed by SIG$2 after $((total - total0)) commands: $st"
	if [[ $2 == TERM ]]; then
		note "gone in $STOP_MS ms"
		((STOP_MS <= 2000)) || bad "bmcfleetd took $STOP_MS ms to stop mid-plan (bound 2000)"
		[[ $st == paused*"stopped by a signal"* ]] || bad "plan $id after SIGTERM: '$st'"
	fi
	((total - total0 < 20)) || bad "the plan was done before SIG$2"
	run_to "$1-resume" "$BMCFLEET" plan resume "$id" -c "$W/normal.yaml" \
	    --db "$PG_CONN" || bad "plan resume $id failed"
	if [[ $PLANT_FAULT == command-twice && $2 == KILL ]]; then
		msg "PLANT_FAULT=command-twice: $NET.3 powered off once more"
		BMCFLEET_PASSWORD=s3cret-pw run_to "$1-twice" "$BMCFLEET" \
		    -H $NET.3 -U admin -E power off
	fi
	st=$(sql "SELECT state FROM power_plan WHERE id = $id")
	read -r total most least < <(counter "$op")
	note "resumed: $st, $((total - total0)) $op commands in all (per BMC $least..$most)"
	[[ $st == done ]] || bad "plan $id resumed: state $st"
	((total - total0 == 20)) || bad "bmcsim got $((total - total0)) $op commands for 20 BMCs"
	((most == least)) || bad "$op commands per BMC from $least to $most"
	local audited
	audited=$(sql "SELECT count(DISTINCT host) FROM audit_log
	    WHERE plan_id = $id AND operation = '$op' AND host IS NOT NULL")
	local done_hosts
	done_hosts=$(sql "SELECT count(*) FROM power_plan_host
	    WHERE plan_id = $id AND state = 'confirmed'")
	note "$done_hosts hosts confirmed, $audited audited"
	((audited == 20)) || bad "$audited of 20 BMCs have an audit row for $op"
	((done_hosts == 20)) || bad "$done_hosts of 20 plan hosts confirmed"
	if [[ $2 == KILL ]]; then
		PH_KILLED[$CUR]="$pid $t0"
	fi
	start_daemon normal
	settle
}
if want sigkill-plan; then
	begin sigkill-plan kill
	plan_fault sigkill-plan KILL off
fi
if want sigterm-plan; then
	begin sigterm-plan plain
	plan_fault sigterm-plan TERM on
fi

# --- the end: stop, drain, count ---------------------------------------------------------------
CUR=end
stop_daemon TERM
grep -q 'bmcfleetd: stopping: every row written' <(tail -n 3 "$DLOG") ||
    bad "the last stop did not write every row: $(tail -n 2 "$DLOG")"
expect_eq "$(spool_batches)" 0 "batches left in the spool"
finish
