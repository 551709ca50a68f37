#!/usr/bin/env bash
# make bench-metrics (and the last part of make bench): issue 15's
# Prometheus side, timed.  Timing lives here, never in make check.
#
# (1) CPU to refresh 1,000 BMCs' metrics.  The same bmcsim fleet (mixed
#     models, BENCH_LAT ms + 0-BENCH_JIT ms) is read by
#     (a) Debian's prometheus-ipmi-exporter in multi-target mode with
#         FreeIPMI, its default module's collectors (bmc, ipmi, chassis,
#         dcmi: bmc-info, ipmi-sensors --sdr-cache-recreate, ipmi-chassis,
#         ipmi-dcmi, one process each per target), one scrape of
#         /ipmi?target=ADDR for every BMC, BENCH_MX_CONC at once, as a
#         Prometheus server with that many targets due would; its CPU is
#         the exporter's own plus its FreeIPMI children's (it waits for
#         each, so the kernel adds them to its cutime/cstime:
#         /proc/PID/stat fields 14-17 before the first scrape and after the
#         last, with no child left alive);
#     (b) bmcfleetd: one warm sweep of the same BMCs (the second, on its
#         own schedule: SDR repositories, SEL cursors and FRU already in
#         place, as a collector that runs finds them) plus one /metrics
#         scrape; its user+sys from /proc/PID/stat over the window from
#         the first sweep settled to the scrape answered.  PostgreSQL's CPU
#         over that window is printed apart, and the ratio given with and
#         without it: the headline is with it (the exporter keeps no
#         database; bmcfleetd's /metrics does not need one, but its sweep
#         writes every reading there, and that is the cost of running it).
#     bmcsim's CPU (the fleet) is in neither, and printed.  A run is kept
#     only when every BMC answered: every collector's ipmi_up is 1 for
#     every target of the exporter; bmcfleetd's sweep "N ok" is the fleet
#     and its /metrics has ipmi_up 1 for every BMC.
# (2) /metrics of 10,000 BMCs: bmcfleetd over BENCH_MX_BIG BMCs after one
#     sweep, BENCH_MX_SCRAPES scrapes with curl one after another; median
#     and max wall (curl's time_total), the body's size; the target (<= 200
#     ms) is judged on the median, the max printed against it too.
#
# A missed target prints MISS and does not fail; a figure that could not
# be taken (a tool missing, a BMC that did not answer, a scrape that
# failed) prints n/a and fails the script after the table.
#
#   BENCH_MX_COUNT    BMCs of (1) (1000)
#   BENCH_MX_BIG      BMCs of (2) (10000)
#   BENCH_MX_CONC     exporter scrapes in flight at once (32)
#   BENCH_MX_SCRAPES  scrapes timed in (2) (20)
#   BENCH_MX_INTERVAL bmcfleetd's sweep_interval in (1b), seconds (45): the
#                     cold sweep and its writes must be over within it
#   BENCH_MX_ONLY=exporter|fleetd|big  run only that part (a quick look)
#   BENCH_LAT / BENCH_JIT  bmcsim latency and jitter in ms (2, 1)
#   BENCH_KEEP=1      keep the work directory (configs, logs, bodies)
#
# Addresses: bmcsim on 127.0.100.1 up (250 a /24: 127.0.100-103 for 1,000,
# 127.0.100-139 for 10,000), the exporter on 127.0.149.250:19290 (not
# 9290, where Debian's service listens when it runs), bmcfleetd's HTTP
# listener on 127.0.149.250:9291.
set -euo pipefail
BENCH_NAME=bench-metrics
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
COUNT=${BENCH_MX_COUNT:-1000}
BIG=${BENCH_MX_BIG:-10000}
CONC=${BENCH_MX_CONC:-32}
SCRAPES=${BENCH_MX_SCRAPES:-20}
INTERVAL=${BENCH_MX_INTERVAL:-45}
ONLY=${BENCH_MX_ONLY:-}
PER=250
LADDR=127.0.149.250
EXP_PORT=19290
HTTP_PORT=9291

bench_need python3 curl pgrep prometheus-ipmi-exporter ipmi-sensors
bench_need_bins bmcfleet bmcfleetd bmcsim
[ "$COUNT" -le "$BIG" ] || die "BENCH_MX_COUNT: at most BENCH_MX_BIG"
[ "$BIG" -le $((PER * 40)) ] || die "BENCH_MX_BIG: at most $((PER * 40)) (127.0.100-139.x)"
bench_fd $((BIG + 1024))

bench_dirs bench-mx
EXP=""		# the exporter
DPID=""		# bmcfleetd
bench_cleanup_hook() {
	[ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null
	[ -n "$EXP" ] && kill -TERM "$EXP" 2>/dev/null
	true
}
kid_ticks() { awk '{ print $16 + $17 }' "/proc/$1/stat"; }	# reaped only
# quiet PID: wait (at most 120 s) until PID and PostgreSQL have used at
# most 2 clock ticks in a second: the sweep's rows merged, so that the
# window after it holds none of its CPU (the daemon waits idle while the
# server merges)
quiet() {
	local a b i
	b=$(( $(ticks_of "$1") + $(pg_ticks) ))
	for i in $(seq 120); do
		sleep 1
		a=$b b=$(( $(ticks_of "$1") + $(pg_ticks) ))
		[ $((b - a)) -le 2 ] && return 0
	done
	return 1
}

# start_fleet N: one bmcsim per /24 from 127.0.100.1, mixed models;
# SIM_PIDS, HOSTS (bmcfleet's host list), $W/targets (one address a line)
start_fleet() {
	local left=$1 third=100 take
	sims_start 100 "$1" "$PER" "" --password-file "$W/pw"
	HOSTS=$SIM_HOSTS
	: >"$W/targets"
	while [ "$left" -gt 0 ]; do
		take=$((left > PER ? PER : left))
		seq 1 "$take" | sed "s/^/127.0.$third./" >>"$W/targets"
		left=$((left - take)) third=$((third + 1))
	done
}
stop_fleet() { sims_stop; }

# up_bmcs FILE: BMCs (label bmc) whose every ipmi_up sample is 1, in a
# /metrics body; "UP SERIES" (BMCs up, sample lines with a bmc label)
up_bmcs() {
	python3 - "$1" <<'EOF'
import re, sys
up, down, series = set(), set(), 0
lab = re.compile(r'bmc="([^"]*)"')
try:
    lines = open(sys.argv[1], errors="replace").readlines()
except OSError:
    lines = []
for l in lines:
    if l.startswith("#"):
        continue
    m = lab.search(l)
    if not m:
        continue
    series += 1
    if l.startswith("ipmi_up{"):
        (up if l.rsplit(None, 1)[-1] in ("1", "1.0") else down).add(m.group(1))
print(len(up - down), series)
EOF
}

# --- the database -------------------------------------------------------------

need_db() {
	[ -d "$PGD/data" ] && return
	pg_start
	pg_db_big
	db_migrate "$CONN" "$CONN_BIG"
}

# fleet_config NAME CONNINFO SWEEP_INTERVAL: $W/NAME.yaml over HOSTS with
# the HTTP listener on $LADDR:$HTTP_PORT, no trap listener, no light pass
fleet_config() {
	fleet_yaml "$W/$1.yaml" "$2" "$HOSTS"
	cat >>"$W/$1.yaml" <<EOF
collector:
  spool_dir: $W/spool-$1
  sweep_interval: $3
  sel_interval: 24h
  traps: {listen: off}
http:
  listen: "$LADDR:$HTTP_PORT"
EOF
}

# start_daemon NAME: bmcfleetd -c $W/NAME.yaml, its stderr in $W/NAME.log;
# DPID, DLOG
start_daemon() {
	DLOG=$W/$1.log
	"$O/bmcfleetd" -c "$W/$1.yaml" 2>"$DLOG" >/dev/null &
	DPID=$!
}
stop_daemon() {
	kill -TERM "$DPID" 2>/dev/null || true
	poll_until 60 eval '! kill -0 '"$DPID"' 2>/dev/null' ||
	    die "bmcfleetd did not stop on SIGTERM"
	wait "$DPID" 2>/dev/null || true
	DPID=""
}
# sweep_line N: bmcfleetd's line for sweep N, once it is there (TIMEOUT s)
sweep_line() {
	poll_until "$2" grep -qs "^bmcfleetd: sweep $1: " "$DLOG" || return 1
	grep -m1 "^bmcfleetd: sweep $1: " "$DLOG"
}
swept_ok() { sed -nE 's/.*swept in [0-9.]+ s: ([0-9]+) ok.*/\1/p' <<<"$1"; }
swept_s() { sed -nE 's/.*swept in ([0-9.]+) s.*/\1/p' <<<"$1"; }
# scrape OUT: GET /metrics into OUT (/dev/null for the timed ones);
# "SECONDS BYTES HTTP_CODE FIRST_BYTE_SECONDS"
scrape() {
	curl -s -o "$1" -w '%{time_total} %{size_download} %{http_code} %{time_starttransfer}\n' \
	    --max-time 60 "http://$LADDR:$HTTP_PORT/metrics" || echo "- 0 000 -"
}
# med FILE / max FILE: of its numbers (seconds), in ms
med() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR)
	printf "%.1f", 1000 * (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
max() { sort -g "$1" | tail -n 1 | awk '{ printf "%.1f", 1000 * $1 }'; }

echo "bench-metrics: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

# --- (1a) prometheus-ipmi-exporter --------------------------------------------

E_CPU="" E_KIDS="" E_WALL="" E_SIM="" E_OK="" E_SERIES=""
if [ -z "$ONLY" ] || [ "$ONLY" = exporter ]; then
	start_fleet "$COUNT"
	echo "bench-metrics: (1a) prometheus-ipmi-exporter, $COUNT BMCs ($(( (COUNT + PER - 1) / PER )) bmcsim), $CONC scrapes at once"
	# its default module's collectors, the password in a 0600 file
	umask 077
	cat >"$W/ipmi_exporter.yml" <<EOF
modules:
  default:
    user: admin
    pass: "$PW"
    driver: LAN_2_0
    privilege: admin
    timeout: 10000
EOF
	umask 022
	prometheus-ipmi-exporter --config.file="$W/ipmi_exporter.yml" \
	    --web.listen-address="$LADDR:$EXP_PORT" >"$W/exporter.log" 2>&1 &
	EXP=$!
	poll_until 20 curl -sf -o /dev/null "http://$LADDR:$EXP_PORT/" ||
	    { cat "$W/exporter.log"; die "prometheus-ipmi-exporter did not start"; }
	# every target once; per target "ADDR UP_COLLECTORS SAMPLES SECONDS"
	cat >"$W/scrape.py" <<'EOF'
import concurrent.futures, sys, time, urllib.request
base, conc, tf, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
want = {"bmc", "ipmi", "chassis", "dcmi"}
def one(a):
    t = time.monotonic()
    try:
        body = urllib.request.urlopen(base + "/ipmi?target=" + a, timeout=300).read().decode()
    except Exception as e:
        return "%s 0 0 %.3f %s" % (a, time.monotonic() - t, type(e).__name__)
    up, n = set(), 0
    for l in body.splitlines():
        if l.startswith("#"):
            continue
        n += 1
        if l.startswith('ipmi_up{collector="') and l.endswith(" 1"):
            up.add(l.split('"')[1])
    return "%s %d %d %.3f" % (a, len(up & want), n, time.monotonic() - t)
targets = open(tf).read().split()
with concurrent.futures.ThreadPoolExecutor(conc) as ex, open(out, "w") as f:
    for r in ex.map(one, targets):
        f.write(r + "\n")
EOF
	s0=$(sim_ticks) e0=$(ticks_of "$EXP") k0=$(kid_ticks "$EXP") t0=$EPOCHREALTIME
	python3 "$W/scrape.py" "http://$LADDR:$EXP_PORT" "$CONC" "$W/targets" "$W/exporter.out" ||
	    missing exporter "the scraper failed"
	E_WALL=$(calc "%.2f" "$EPOCHREALTIME - $t0")
	# every FreeIPMI child waited for, so that its CPU is in the exporter's
	poll_until 30 eval '[ -z "$(pgrep -P '"$EXP"')" ]' ||
	    missing exporter "FreeIPMI children still running after the last scrape"
	e1=$(ticks_of "$EXP") k1=$(kid_ticks "$EXP") s1=$(sim_ticks)
	E_OK=$(awk '$2 == 4' "$W/exporter.out" | wc -l)
	E_SERIES=$(awk '$2 == 4 { s += $3 } END { print s + 0 }' "$W/exporter.out")
	E_SIM=$(tsec $((s1 - s0)))
	if [ "$E_OK" -eq "$COUNT" ]; then
		E_CPU=$(tsec $((e1 - e0))) E_KIDS=$(tsec $((k1 - k0)))
	else
		missing exporter "$E_OK of $COUNT targets with all 4 collectors up: not kept ($(awk '$2 != 4' "$W/exporter.out" | head -n 3 | tr '\n' ' '))"
	fi
	kill -TERM "$EXP"; wait "$EXP" 2>/dev/null || true; EXP=""
	[ "$ONLY" = exporter ] && stop_fleet
fi

# --- (1b) bmcfleetd: one warm sweep and one scrape ------------------------------

F_CPU="" F_PG="" F_CCPU="" F_CPG="" F_SIM="" F_OK="" F_SERIES="" F_SWEEP="" F_COLD="" F_SCRAPE=""
if [ -z "$ONLY" ] || [ "$ONLY" = fleetd ]; then
	[ "${#SIM_PIDS[@]}" -gt 0 ] || start_fleet "$COUNT"
	need_db
	# sweep 1 is cold (SDR, SEL, FRU read); sweep 2, one interval later,
	# is the refresh measured
	fleet_config main "$CONN" "${INTERVAL}s"
	echo "bench-metrics: (1b) bmcfleetd, $COUNT BMCs: a cold sweep, then a warm one ($INTERVAL s later) and a /metrics scrape"
	t0=$EPOCHREALTIME pc=$(pg_ticks)
	start_daemon main
	if ! l1=$(sweep_line 1 120); then
		missing bmcfleetd "no first sweep in 120 s: $(tail -n 3 "$DLOG" | tr '\n' ' ')"
	else
		F_COLD=$(swept_s "$l1")
		quiet "$DPID" || missing bmcfleetd "not quiet after its first sweep"
		s0=$(sim_ticks) p0=$(pg_ticks) f0=$(ticks_of "$DPID")
		[ "${F_COLD:-}" ] && F_CCPU=$(tsec "$f0") F_CPG=$(tsec $((p0 - pc)))
		# the window must hold the second sweep whole
		if awk -v a="$EPOCHREALTIME" -v b="$t0" -v i="$INTERVAL" \
		    'BEGIN { exit !(a - b > i - 1) }' ||
		    grep -q '^bmcfleetd: sweep 2: ' "$DLOG"; then
			missing bmcfleetd "the cold sweep and its writes took longer than BENCH_MX_INTERVAL ($INTERVAL s)"
		elif ! l2=$(sweep_line 2 $((INTERVAL + 120))); then
			missing bmcfleetd "no second sweep in 120 s: $(tail -n 3 "$DLOG" | tr '\n' ' ')"
		else
			F_SWEEP=$(swept_s "$l2") F_OK=$(swept_ok "$l2")
			quiet "$DPID" || missing bmcfleetd "not quiet after its second sweep"
			read -r F_SCRAPE _ code _ < <(scrape "$W/main.metrics")
			f1=$(ticks_of "$DPID") p1=$(pg_ticks) s1=$(sim_ticks)
			read -r up F_SERIES < <(up_bmcs "$W/main.metrics")
			F_SIM=$(tsec $((s1 - s0)))
			if [ "$code" != 200 ]; then
				missing bmcfleetd "/metrics answered $code"
			elif [ "${F_OK:-0}" -ne "$COUNT" ] || [ "$up" -ne "$COUNT" ]; then
				missing bmcfleetd "sweep 2: ${F_OK:-?} of $COUNT ok, /metrics: $up BMCs up: not kept"
			else
				F_CPU=$(tsec $((f1 - f0))) F_PG=$(tsec $((p1 - p0)))
			fi
		fi
	fi
	stop_daemon
	stop_fleet
fi

# --- (2) /metrics of 10,000 BMCs ---------------------------------------------

B_MED="" B_MAX="" B_FIRST="" B_SIZE="" B_UP="" B_SWEEP="" B_N=0
if [ -z "$ONLY" ] || [ "$ONLY" = big ]; then
	[ "${#SIM_PIDS[@]}" -eq 0 ] || stop_fleet
	start_fleet "$BIG"
	need_db
	fleet_config big "$CONN_BIG" 1h
	echo "bench-metrics: (2) bmcfleetd, $BIG BMCs ($(( (BIG + PER - 1) / PER )) bmcsim): one sweep, then $SCRAPES scrapes of /metrics"
	start_daemon big
	if ! l1=$(sweep_line 1 300); then
		missing big "no first sweep in 300 s: $(tail -n 3 "$DLOG" | tr '\n' ' ')"
	else
		B_SWEEP=$(swept_s "$l1")
		quiet "$DPID" || missing big "not quiet after its sweep"
		: >"$W/big.times"; : >"$W/big.first"
		for i in $(seq "$SCRAPES"); do
			read -r t size code first < <(scrape /dev/null)
			if [ "$code" = 200 ]; then
				echo "$t" >>"$W/big.times"; echo "$first" >>"$W/big.first"
				B_SIZE=$size
			else
				missing big "scrape $i answered $code"
			fi
		done
		# one more, untimed, kept to count the BMCs up
		scrape "$W/big.metrics" >/dev/null
		read -r B_UP _ < <(up_bmcs "$W/big.metrics")
		B_N=$(wc -l <"$W/big.times")
		if [ "$B_UP" -ne "$BIG" ]; then
			missing big "/metrics: $B_UP of $BIG BMCs up: not kept"
		elif [ "$B_N" -gt 0 ]; then
			B_MED=$(med "$W/big.times") B_MAX=$(max "$W/big.times")
			B_FIRST=$(med "$W/big.first")
		fi
	fi
	stop_daemon
	stop_fleet
fi

# --- the table -----------------------------------------------------------------

ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a != "" && b > 0) printf "%.1f", a / b; else print "" }'; }
sum() { [ -n "${1:-}" ] && [ -n "${2:-}" ] && calc "%.2f" "$1 + $2" || true; }
LINE='%-52s %-40s %-12s %s\n'
F_ALL=$(sum "$F_CPU" "$F_PG")
R_ALL=$(ratio "$E_CPU" "$F_ALL")
R_SELF=$(ratio "$E_CPU" "$F_CPU")
N1=$COUNT N2=$BIG
echo
printf "bmcfleet bench-metrics: %d and %d BMCs (mixed models), latency %d ms + 0-%d ms jitter, %d CPUs\n" \
    "$COUNT" "$BIG" "$LAT" "$JIT" "$(nproc)"
row "figure" "value" "target" "result"
row "----------------------------------------------------" "----------------------------------------" "------------" "------"
row "(1) refresh $N1 BMCs' metrics, CPU" "" "" ""
row "  prometheus-ipmi-exporter + FreeIPMI, $N1 scrapes" "${E_CPU:-?} s CPU, ${E_WALL:-?} s wall, $CONC at once" "" ""
row "    of which its FreeIPMI children" "${E_KIDS:-?} s" "" ""
row "    targets with bmc,ipmi,chassis,dcmi up" "${E_OK:-?} of $N1, ${E_SERIES:-?} samples" "" ""
row "  bmcfleetd: warm sweep + one /metrics scrape" "${F_CPU:-?} s CPU (sweep ${F_SWEEP:-?} s, cold ${F_COLD:-?} s)" "" ""
row "    PostgreSQL over the same window" "${F_PG:-?} s CPU" "" ""
row "    BMCs up in /metrics; scrape wall" "${F_OK:-?} swept ok, ${F_SERIES:-?} samples; ${F_SCRAPE:-?} s" "" ""
row "  exporter / (bmcfleetd + PostgreSQL), CPU" "${R_ALL:-?}x (${E_CPU:-?} / ${F_ALL:-?} s)" ">= 10x" "$(verdict "$R_ALL" '>=' 10)"
row "  exporter / bmcfleetd alone, CPU" "${R_SELF:-?}x" ">= 10x" "$(verdict "$R_SELF" '>=' 10)"
RC_ALL=$(ratio "$E_CPU" "$(sum "$F_CCPU" "$F_CPG")")
row "  bmcfleetd's cold sweep, start-up included" "${F_CCPU:-?} s CPU, PostgreSQL ${F_CPG:-?} s" "" ""
row "  exporter / (cold bmcfleetd + PostgreSQL), CPU" "${RC_ALL:-?}x" "" ""
row "  bmcsim, in neither: under exporter, bmcfleetd" "${E_SIM:-?} s, ${F_SIM:-?} s" "" ""
row "(2) /metrics of $N2 BMCs, after one sweep" "sweep ${B_SWEEP:-?} s, ${B_UP:-?} BMCs up" "" ""
row "  scrape wall, median of $B_N" "${B_MED:-?} ms, body ${B_SIZE:-?} bytes" "<= 200 ms" "$(verdict "$B_MED" '<=' 200)"
row "  scrape wall, max" "${B_MAX:-?} ms" "<= 200 ms" "$(verdict "$B_MAX" '<=' 200)"
row "  first byte, median (the rest is the transfer)" "${B_FIRST:-?} ms" "" ""
echo
echo "bench-metrics: done in $(calc "%.0f" "$EPOCHREALTIME - $T_START") s; load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
bench_missing_exit
