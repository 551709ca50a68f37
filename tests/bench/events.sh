#!/usr/bin/env bash
# make bench-events (and the last part of make bench): issue 14's event
# pipeline end to end, timed.  Timing lives here, never in make check.
#
# A throwaway PostgreSQL, BENCH_EV_COUNT bmcsim BMCs (mixed models) with a
# control channel, bmcfleet alert setup over all of them pointing at
# bmcfleetd's trap listener, and bmcfleetd sweeping with an alerts: rule
# (severity critical -> a webhook to a loopback listener that records each
# POST's arrival in ms and its body).
#
#   (1) PET: once the first sweep is over, a critical SEL entry is added on
#       BENCH_EV_N random BMCs (spread over a few seconds); each must become
#       one stored SEL-confirmed event (sel_event source 'sel' linked to a
#       pet_trap) and one webhook POST.  Latency: bmcsim's at= of the add to
#       the POST's arrival; p50 and p99 (target p99 <= 1 s).
#   (2) polling alone: bmcfleetd restarted with the listener off
#       (traps: {listen: off}) and sweep_interval 10m, so only the
#       sel_interval light pass finds events.  A quiet sel_interval first:
#       bmcfleetd's CPU over it (one light pass, nothing else due) per BMC
#       asked, and that cost for 10,000 BMCs as a fraction of one core.
#       Then BENCH_EV_N entries on other random BMCs, spread over one
#       sel_interval; each must be stored and notified within sel_interval
#       plus one light pass; p50 and p99.
#
# The oracle is independent of the pipeline: which entry was added where
# and when comes from bmcsim's own lines ("bmcsim: sel-add ADDR record=N
# at=MS"), the arrival from the listener's clock; a POST is matched to the
# add by the stored event it names (bmc, record ID).  A missed target
# prints MISS and does not fail; a figure that could not be taken (an event
# never stored or never notified, a tool missing) fails the script after
# the table.
#
#   BENCH_EV_COUNT     BMCs (1000)
#   BENCH_EV_N         events per phase (50)
#   BENCH_EV_SEL_INTERVAL  collector.sel_interval in seconds for phase 2
#                      (60; shorter for a quick run)
#   BENCH_EV_TRAP_PORT the listener's port (162; 10162 is bmcsim's OEM
#                      destination port)
#   BENCH_LAT / BENCH_JIT  bmcsim latency and jitter in ms (2, 1)
#   BENCH_KEEP=1       keep the work directory (logs, the POSTs, configs)
#   BENCH_EV_PLANT=no-trap  a planted fault: the BMCs' alert destination is
#                      a port nobody listens on, so no event of (1) is
#                      SEL-confirmed by a trap and the bench must fail
#
# Addresses: bmcsim on 127.0.90.1 up (250 a /24), the trap listener and
# the webhook on 127.0.99.250.
set -euo pipefail
BENCH_NAME=bench-events
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
COUNT=${BENCH_EV_COUNT:-1000}
N=${BENCH_EV_N:-50}
SELI=${BENCH_EV_SEL_INTERVAL:-60}
PER=250
HOOK_ADDR=127.0.99.250
TRAP_PORT=${BENCH_EV_TRAP_PORT:-162}

bench_need python3 pgrep
bench_need_bins bmcfleet bmcfleetd bmcsim
[ "$COUNT" -le $((PER * 10)) ] || die "BENCH_EV_COUNT: at most $((PER * 10)) (127.0.90-99.x)"
[ "$N" -le "$COUNT" ] || die "BENCH_EV_N: at most BENCH_EV_COUNT"
bench_fd $((COUNT + 1024))

bench_dirs bench-ev
DPID=""
bench_cleanup_hook() { [ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null; true; }

# --- the database, the fleet, the webhook -------------------------------------

pg_start
sql() { "$PSQL" "$CONN" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
db_migrate "$CONN"

# one bmcsim per /24 from 127.0.90.1, each with its control socket
sims_start 90 "$COUNT" "$PER" "" --password "$PW" --control "$W/ctl-%T"
SIMS=("${SIM_THIRDS[@]}") HOSTS=$SIM_HOSTS

# the webhook: one JSON line per POST, {"ms": arrival, "body": ...}
cat >"$W/hook.py" <<'EOF'
import http.server, json, sys, time
out = open(sys.argv[3], "a", buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        ms = time.time_ns() // 1000000
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        out.write(json.dumps({"ms": ms, "body": body}) + "\n")
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), H)
print("listening", flush=True)
s.serve_forever()
EOF
HOOK_PORT=18090
python3 "$W/hook.py" "$HOOK_ADDR" "$HOOK_PORT" "$W/posts.jsonl" >"$W/hook.log" 2>&1 &
BG_PIDS+=($!)
poll_until 10 grep -qs '^listening' "$W/hook.log" ||
    { cat "$W/hook.log"; die "the webhook listener did not start"; }

# fleet.yaml LISTEN SWEEP_INTERVAL SEL_INTERVAL [noalerts]
config() {
	fleet_yaml "$W/fleet.yaml" "$CONN" "$HOSTS"
	cat >>"$W/fleet.yaml" <<EOF
scheduler:
  confirm_limit: $((COUNT + 1))
collector:
  spool_dir: $W/spool
  sweep_interval: $2
  sel_interval: $3
  traps: {listen: $1}
EOF
	[ "${4:-}" = noalerts ] && return
	cat >>"$W/fleet.yaml" <<EOF
alerts:
  actions:
    hook: {kind: webhook, url: "http://$HOOK_ADDR:$HOOK_PORT/alert"}
  rules:
    - name: critical
      match: {severity: critical, source: [sel, pet]}
      actions: [hook]
      dedup: 0
EOF
}

# bmcfleetd with each stderr line stamped (ms) into $W/NAME.log; DPID
start_daemon() {
	local log=$W/$1.log
	"$O/bmcfleetd" -c "$W/fleet.yaml" 2> >(while IFS= read -r l; do
		t=$EPOCHREALTIME
		printf '%d %s\n' $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )) "$l"
	done >"$log") >/dev/null &
	DPID=$!
	DLOG=$log
}
stop_daemon() {
	kill -TERM "$DPID" 2>/dev/null || true
	poll_until 20 eval '! kill -0 '"$DPID"' 2>/dev/null' ||
	    die "bmcfleetd did not stop on SIGTERM"
	wait "$DPID" 2>/dev/null || true
	DPID=""
	sleep 0.2	# the stamper's last lines
}

# --- alert setup -------------------------------------------------------------

config "\"$HOOK_ADDR:$TRAP_PORT\"" 1m 1m
dest=$HOOK_ADDR; [ "$TRAP_PORT" = 162 ] || dest=$HOOK_ADDR:$TRAP_PORT
[ "${BENCH_EV_PLANT:-}" = no-trap ] && dest=$HOOK_ADDR:$((TRAP_PORT + 1))
echo "bench-events: $COUNT BMCs (${#SIMS[@]} bmcsim), alert setup --destination $dest"
t0=$EPOCHREALTIME
"$O/bmcfleet" alert setup @all --destination "$dest" --severity critical \
    --yes -c "$W/fleet.yaml" >"$W/setup.out" 2>"$W/setup.err" ||
    { tail -5 "$W/setup.out" "$W/setup.err"; die "bmcfleet alert setup failed"; }
SETUP_S=$(calc "%.1f" "$EPOCHREALTIME - $t0")
SETUP_CHANGED=$(grep -c 'changed' "$W/setup.out" || true)
echo "bench-events: alert setup: $(tail -n 1 "$W/setup.err") ($SETUP_S s)"

# --- (1) PET ------------------------------------------------------------------

# add_events PHASE SPREAD_MS BMC...: a critical entry on each BMC, spread
# evenly over SPREAD_MS; the adds are in the bmcsim logs
add_events() {
	local phase=$1 spread=$2 gap k=0 a third
	shift 2
	gap=$((spread / $#))
	for a in "$@"; do
		third=$(cut -d. -f3 <<<"$a")
		"$O/bmcsim" --ctl "$W/ctl-$third" "sel-add $a critical" \
		    >>"$W/ctl-$phase.out" 2>&1 ||
		    missing "sel-add $a" "$(tail -n 1 "$W/ctl-$phase.out")"
		k=$((k + 1))
		[ "$k" -lt $# ] && sleep "$(calc "%.3f" "$gap / 1000")"
	done
	true
}
# adds PHASE: "ADDR RECORD AT_MS" of this phase's adds (bmcsim's lines)
adds() {
	local a
	cat "$W"/sim-*.log | grep '^bmcsim: sel-add .* record=' |
	    sed -E 's/^bmcsim: sel-add ([0-9.]+) record=([0-9]+) at=([0-9]+)/\1 \2 \3/' |
	    while read -r a r t; do
		grep -qx "$a" "$W/bmcs-$1" && echo "$a $r $t"
	    done
}
# pick PHASE: N random BMC addresses not picked before
pick() {
	python3 - "$COUNT" "$N" "$PER" "$W" "$1" <<'EOF'
import glob, random, sys
count, n, per, w, phase = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
used = set()
for f in glob.glob(w + "/bmcs-*"):
    used |= set(open(f).read().split())
all_ = ["127.0.%d.%d" % (90 + i // per, 1 + i % per) for i in range(count)]
free = [a for a in all_ if a not in used] or all_
for a in random.sample(free, min(n, len(free))):
    print(a)
EOF
}
# stored PHASE: events stored for this phase's adds, "ADDR RECORD SOURCE
# LINKED EVENT_ID"
stored() {
	adds "$1" >"$W/adds-$1"
	python3 - "$W/adds-$1" <<'EOF' >"$W/q-$1.sql"
import sys
rows = [l.split() for l in open(sys.argv[1])]
vals = ",".join("('%s',%d)" % (a, int(r)) for a, r, t in rows) or "('',0)"
print("SELECT b.name, e.record_id, e.source, e.pet_trap_id IS NOT NULL, e.id "
      "FROM sel_event e JOIN bmc b ON b.id = e.bmc_id "
      "JOIN (VALUES %s) v(name, rec) ON v.name = b.name AND v.rec = e.record_id "
      "ORDER BY 1, 2" % vals)
EOF
	"$PSQL" "$CONN" -XAtq -F ' ' -v ON_ERROR_STOP=1 -f "$W/q-$1.sql"
}
n_stored() { stored "$1" | wc -l; }
# results PHASE: per add "ADDR RECORD AT_MS POST_MS|-", from the POSTs
results() {
	stored "$1" >"$W/stored-$1"
	python3 - "$W/adds-$1" "$W/stored-$1" "$W/posts.jsonl" <<'EOF'
import json, sys
adds = [l.split() for l in open(sys.argv[1])]
ev = {}
for l in open(sys.argv[2]):
    a, r, src, linked, eid = l.split()
    ev[int(eid)] = (a, int(r))
post = {}
try:
    lines = open(sys.argv[3]).read().splitlines()
except FileNotFoundError:
    lines = []
for l in lines:
    p = json.loads(l)
    try:
        b = json.loads(p["body"])
    except ValueError:
        continue
    k = ev.get(b.get("event_id"))
    if k is not None and b.get("status") == "problem":
        post.setdefault(k, []).append(p["ms"])
for a, r, t in adds:
    ms = post.get((a, int(r)), [])
    print(a, r, t, min(ms) if ms else "-", len(ms))
EOF
}
n_notified() { results "$1" | awk '$4 != "-"' | wc -l; }
# pct FILE P: the P-th percentile (nearest rank) of FILE's numbers
pct() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END {
	if (NR == 0) exit; k = int(p / 100 * NR + 0.999999); if (k < 1) k = 1; print v[k] }'; }

start_daemon pet
poll_until 90 grep -qs 'bmcfleetd: sweep 1: ' "$DLOG" ||
    { tail -5 "$DLOG"; die "no first sweep in 90 s"; }
SWEEP1=$(grep -m1 'bmcfleetd: sweep 1: ' "$DLOG" | sed -E 's/.*swept in ([0-9.]+) s.*/\1/')
grep -q "traps: listening on $HOOK_ADDR:$TRAP_PORT" "$DLOG" ||
    die "bmcfleetd is not listening for traps: $(grep -m3 traps "$DLOG")"
poll_until 30 eval '[ "$(sql "SELECT count(*) FROM sel_cursor")" -ge '"$COUNT"' ]' ||
    die "the first sweep's SEL cursors were not committed"
grep -q 'alerts: engine up: 1 rules' "$DLOG" ||
    die "no alert engine: $(grep alerts "$DLOG" | tail -3)"
# The first sweep stored every BMC's SEL history (some 26,000 entries,
# 4,600 of them critical, for 1,000 BMCs): a first read is history, not
# news (sel_event.first_read), so the engine, running from the start,
# must have notified none of it.
sleep 2
HIST_POSTS=$(wc -l <"$W/posts.jsonl" 2>/dev/null || echo 0)
HIST_FIRST=$(sql "SELECT count(*) FROM sel_event WHERE first_read")
[ "$HIST_POSTS" -eq 0 ] || missing "history not notified" \
    "$HIST_POSTS POST(s) for the first sweep's SEL history"
sleep 1
pick 1 >"$W/bmcs-1"
echo "bench-events: (1) PET: first sweep of $COUNT in $SWEEP1 s; $N critical entries over 5 s"
add_events 1 5000 $(cat "$W/bmcs-1")
poll_until 30 eval '[ "$(n_notified 1)" -ge '"$N"' ]' ||
    echo "bench-events: (1) $(n_notified 1) of $N notified within 30 s" >&2
sleep 2		# a second POST for one event would show now
results 1 >"$W/res-1"
P1_ADDS=$(wc -l <"$W/adds-1")
P1_STORED=$(wc -l <"$W/stored-1")
P1_CONF=$(awk '$3 == "sel" && $4 == "t"' "$W/stored-1" | wc -l)
P1_NOTI=$(awk '$4 != "-"' "$W/res-1" | wc -l)
P1_DUP=$(awk '$5 > 1' "$W/res-1" | wc -l)
awk '$4 != "-" { print $4 - $3 }' "$W/res-1" >"$W/lat-1"
P1_P50=$(pct "$W/lat-1" 50) P1_P99=$(pct "$W/lat-1" 99) P1_MAX=$(pct "$W/lat-1" 100)
P1_POSTS=$(wc -l <"$W/posts.jsonl" 2>/dev/null || echo 0)
[ "$P1_ADDS" -eq "$N" ] || missing "PET adds" "$P1_ADDS of $N added"
[ "$P1_CONF" -eq "$N" ] || missing "PET confirmed" "$P1_CONF of $N stored SEL-confirmed ($P1_STORED stored)"
[ "$P1_NOTI" -eq "$N" ] || missing "PET notified" "$P1_NOTI of $N notified"
[ "$P1_DUP" -eq 0 ] || missing "PET notified once" "$P1_DUP event(s) notified more than once"
stop_daemon
P1_END=$(grep 'events at the end' "$DLOG" | sed 's/^[0-9]* bmcfleetd: //' || true)

# where the time goes, per event: from the add to the trap's arrival
# (pet_trap.received_at), to the entry's commit (sel_event.seen_at, the
# writer's transaction), to the POST; medians and maxima
sql "SELECT b.name, e.record_id, (extract(epoch FROM t.received_at) * 1000)::bigint,
    (extract(epoch FROM e.seen_at) * 1000)::bigint
    FROM sel_event e JOIN bmc b ON b.id = e.bmc_id
    JOIN pet_trap t ON t.id = e.pet_trap_id" | tr '|' ' ' >"$W/seen-1" || true
P1_WHERE=$(python3 - "$W/res-1" "$W/seen-1" <<'EOF'
import statistics, sys
seen = {}
for l in open(sys.argv[2]):
    a, r, trap, stored = l.split()
    seen[(a, r)] = (int(trap), int(stored))
d = {"trap": [], "stored": [], "post": []}
for l in open(sys.argv[1]):
    a, r, at, post, n = l.split()
    if (a, r) not in seen or post == "-":
        continue
    trap, stored = seen[(a, r)]
    d["trap"].append(trap - int(at)); d["stored"].append(stored - int(at))
    d["post"].append(int(post) - int(at))
if d["post"]:
    print(", ".join("%s %d/%d" % (k, statistics.median(v), max(v)) for k, v in d.items()))
EOF
)

# --- (2) polling alone ---------------------------------------------------------

# a new collector with the listener off: the old one's leases are
# forgotten, so it sweeps at once and its light passes then ask what it
# swept (before a first sweep a restarted bmcfleetd's light pass asks
# every BMC with a cursor: sel-interval.sh holds that)
sql "DELETE FROM collector_lease" >/dev/null
config off 10m "${SELI}s"
start_daemon poll
poll_until 90 grep -qs 'bmcfleetd: sweep 1: ' "$DLOG" ||
    { tail -5 "$DLOG"; die "no first sweep in 90 s (polling)"; }
grep -q 'traps: listening' "$DLOG" && die "the trap listener is still on"
sleep 1
# a quiet sel_interval: one light pass and nothing else due
t0=$EPOCHREALTIME c0=$(ticks_self "$DPID")
echo "bench-events: (2) polling alone, sel_interval ${SELI}s: a quiet interval for the light pass's CPU"
sleep "$SELI"
c1=$(ticks_self "$DPID")
QUIET_S=$(calc "%.1f" "$EPOCHREALTIME - $t0")
QUIET_CPU=$(calc "%.3f" "($c1 - $c0) / $HZ")
pick 2 >"$W/bmcs-2"
echo "bench-events: (2) $N critical entries over ${SELI} s"
add_events 2 $((SELI * 1000)) $(cat "$W/bmcs-2")
poll_until $((SELI + 20)) eval '[ "$(n_notified 2)" -ge '"$N"' ]' ||
    echo "bench-events: (2) $(n_notified 2) of $N notified within $((SELI + 20)) s of the last add" >&2
sleep 1
results 2 >"$W/res-2"
P2_ADDS=$(wc -l <"$W/adds-2")
P2_STORED=$(wc -l <"$W/stored-2")
P2_NOTI=$(awk '$4 != "-"' "$W/res-2" | wc -l)
P2_DUP=$(awk '$5 > 1' "$W/res-2" | wc -l)
awk '$4 != "-" { print $4 - $3 }' "$W/res-2" >"$W/lat-2"
P2_P50=$(pct "$W/lat-2" 50) P2_P99=$(pct "$W/lat-2" 99) P2_MAX=$(pct "$W/lat-2" 100)
[ "$P2_ADDS" -eq "$N" ] || missing "polling adds" "$P2_ADDS of $N added"
[ "$P2_STORED" -eq "$N" ] || missing "polling stored" "$P2_STORED of $N stored"
[ "$P2_NOTI" -eq "$N" ] || missing "polling notified" "$P2_NOTI of $N notified"
[ "$P2_DUP" -eq 0 ] || missing "polling notified once" "$P2_DUP event(s) notified more than once"
stop_daemon
P2_END=$(grep 'events at the end' "$DLOG" | sed 's/^[0-9]* bmcfleetd: //' || true)
# light passes: how many, BMCs asked (the end line's counters)
PASSES=$(sed -nE 's/.*light passes: ([0-9]+), ([0-9]+) BMCs asked.*/\1/p' <<<"$P2_END")
ASKED=$(sed -nE 's/.*light passes: ([0-9]+), ([0-9]+) BMCs asked.*/\2/p' <<<"$P2_END")
PER_PASS=""
[ -n "$PASSES" ] && [ "$PASSES" -gt 0 ] && PER_PASS=$((ASKED / PASSES))
US_BMC="" CORE10K=""
if [ -n "$PER_PASS" ] && [ "$PER_PASS" -gt 0 ]; then
	US_BMC=$(calc "%.0f" "$QUIET_CPU * 1e6 / $PER_PASS")
	CORE10K=$(calc "%.4f" "$US_BMC * 10000 / 1e6 / $SELI")
else
	missing "light pass" "no light pass counted: ${P2_END:-no end line}"
fi

# --- the table -----------------------------------------------------------------

ok_if() { [ "$1" -eq "$2" ] && echo PASS || echo MISS; }
LINE='%-52s %-38s %-14s %s\n'
echo
printf "bmcfleet bench-events: %d BMCs (mixed models), latency %d ms + 0-%d ms jitter, %d events a phase, %d CPUs\n" \
    "$COUNT" "$LAT" "$JIT" "$N" "$(nproc)"
row "figure" "value" "target" "result"
row "----------------------------------------------------" "--------------------------------------" "--------------" "------"
row "alert setup, $COUNT BMCs" "$SETUP_S s, $SETUP_CHANGED changed" "" ""
row "(1) PET to $HOOK_ADDR:$TRAP_PORT, sweeps 1m" "first sweep $SWEEP1 s, alerts on from the start" "" ""
row "  first sweep's SEL history notified" "$HIST_POSTS POSTs ($HIST_FIRST entries first_read)" "0" "$(ok_if "$HIST_POSTS" 0)"
row "  stored, SEL-confirmed (source sel, linked trap)" "$P1_CONF of $N ($P1_STORED stored)" "$N" "$(ok_if "$P1_CONF" "$N")"
row "  webhook notifications, one per event" "$P1_NOTI of $N ($P1_DUP twice)" "$N" "$(ok_if "$P1_NOTI" "$N")"
row "  SEL add -> webhook, p50" "${P1_P50:-?} ms" "" ""
row "  SEL add -> webhook, p99" "${P1_P99:-?} ms (max ${P1_MAX:-?})" "<= 1000 ms" "$(verdict "$P1_P99" '<=' 1000)"
row "  from the add, ms p50/max" "${P1_WHERE:-?}" "" ""
row "(2) polling alone, sel_interval ${SELI}s" "traps off, sweeps 10m" "" ""
row "  stored" "$P2_STORED of $N" "$N" "$(ok_if "$P2_STORED" "$N")"
row "  webhook notifications, one per event" "$P2_NOTI of $N ($P2_DUP twice)" "$N" "$(ok_if "$P2_NOTI" "$N")"
row "  SEL add -> webhook, p50" "${P2_P50:-?} ms" "" ""
row "  SEL add -> webhook, p99" "${P2_P99:-?} ms (max ${P2_MAX:-?})" "<= $((SELI + 5))000 ms" "$(verdict "$P2_MAX" '<=' $(((SELI + 5) * 1000)))"
row "  light pass CPU (bmcfleetd, a quiet interval)" "$QUIET_CPU s in $QUIET_S s, ${PER_PASS:-?} asked" "" ""
row "  ... per BMC asked" "${US_BMC:-?} us" "" ""
row "  ... 10,000 BMCs every ${SELI}s" "${CORE10K:-?} of one core" "<= 0.1" "$(verdict "$CORE10K" '<=' 0.1)"
echo
echo "bench-events: (1) $P1_END"
echo "bench-events: (2) $P2_END"
echo "bench-events: done in $(calc "%.0f" "$EPOCHREALTIME - $T_START") s"
bench_missing_exit
