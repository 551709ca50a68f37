#!/usr/bin/env bash
# make demo: a simulated fleet of 50 BMCs and a tour of bmcfleet against
# it.  Direct mode: power status, a power-on, mc info, sensors, the SEL.
# Fleet mode: a private PostgreSQL under var/pg (deploy/pg.sh), the schema,
# a collection of the fleet, then the inventory, sensor health and recent
# events read back from the database, and last a staged power-on: a
# two-stage plan (storage, then compute in batches under a power budget),
# its progress, its status and its audit trail.  Last, one alert end to
# end: bmcfleet alert setup makes every BMC send PET traps to bmcfleetd,
# a critical SEL entry is added on one BMC (bmcsim's control channel), and
# bmcfleetd stores it and posts it to a webhook (a python3 listener here)
# by an alerts: rule; the stored event, the notification and the time it
# took are printed.  The trap listener is DEMO_TRAP (127.0.0.1:162; a
# port other than 162 goes to bmcsim's OEM destination port).  It ends
# with a few lines of bmcfleetd's /metrics and the address of its status
# page (DEMO_HTTP, 127.0.0.1:9290); on a terminal bmcfleetd serves them
# until Enter is pressed.
# Everything runs on loopback
# (DEMO_BASE, default 127.0.1.1, and the DEMO_COUNT - 1 addresses after
# it, default 50 in all, UDP port 623), so it needs root for the
# privileged port; nothing is left running afterwards (var/pg keeps the
# database, stopped, until the next demo starts afresh: deploy/pg.sh start
# var/pg to look at it).
#
#   make demo DEMO_BASE=127.0.9.1 DEMO_COUNT=20    beside another simulator
#   deploy/demo.sh --print-plan    the addresses and groups only, then exit
set -euo pipefail
cd "$(dirname "$0")/.."
O=${O:-build}
COUNT=${DEMO_COUNT:-50}
BASE=${DEMO_BASE:-127.0.1.1}
# the fleet is BASE and the COUNT - 1 addresses after it, in one /24
NET=${BASE%.*}
FIRST=${BASE##*.}
if ! [[ $NET =~ ^[0-9]+\.[0-9]+\.[0-9]+$ && $FIRST =~ ^[0-9]+$ &&
    $COUNT =~ ^[0-9]+$ ]] || ((COUNT < 11 || FIRST < 1 ||
    FIRST + COUNT - 1 > 254)); then
	echo "demo: DEMO_BASE=$BASE DEMO_COUNT=$COUNT: expected an IPv4" \
	    "address and a count of 11 or more that stay within x.y.z.1-254" >&2
	exit 2
fi
LAST=$((FIRST + COUNT - 1))
HOSTS="$NET.[$FIRST-$LAST]"
# the last ten are storage, the others compute
COMPUTE="$NET.[$FIRST-$((LAST - 10))]"
STORAGE="$NET.[$((LAST - 9))-$LAST]"

if [ "${1:-}" = --print-plan ]; then
	echo "bmcsim --count $COUNT --base $BASE"
	echo "hosts $HOSTS"
	echo "compute $COMPUTE"
	echo "storage $STORAGE"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: port 623 is privileged; run 'sudo make demo'" >&2
	exit 1
fi

TRAP=${DEMO_TRAP:-127.0.0.1:162}
HTTP=${DEMO_HTTP:-127.0.0.1:9290}
log=$(mktemp "${TMPDIR:-/tmp}/bmcsim-demo.XXXXXX")
ctl=$log.ctl	# bmcsim's control channel: add a SEL entry now
"$O/bmcsim" --count "$COUNT" --base "$BASE" --user admin \
    --password demo-pass --latency-ms 2 --jitter-ms 1 --seed 1 \
    --power-delay-ms 1500 --control "$ctl" >"$log" 2>&1 &
sim=$!
PG=var/pg
daemon="" hook=""
cleanup() {
	[ -n "$daemon" ] && kill -TERM $daemon 2>/dev/null
	[ -n "$hook" ] && kill $hook 2>/dev/null
	kill $sim 2>/dev/null
	wait 2>/dev/null
	rm -f "$log" "$ctl"
	deploy/pg.sh stop "$PG" >/dev/null 2>&1 || true
}
trap cleanup EXIT
for _ in $(seq 100); do
	grep -q '^bmcsim: ready' "$log" && break
	kill -0 $sim 2>/dev/null || { cat "$log" >&2; exit 1; }
	sleep 0.1
done
grep -q '^bmcsim: ready' "$log" || { echo "demo: bmcsim did not start" >&2; exit 1; }

export BMCFLEET_PASSWORD=demo-pass
run() {
	printf '\n$ %s\n' "$*"
	local t0=$EPOCHREALTIME rc=0
	"$@" || rc=$?
	awk -v a="$t0" -v b="$EPOCHREALTIME" -v rc="$rc" \
	    'BEGIN { printf "(%.2f s, exit %d)\n", b - a, rc }'
}

echo "== bmcsim: $(head -1 "$log")"
echo "== the password comes from BMCFLEET_PASSWORD (-E), never argv"
run "$O/bmcfleet" -H "$HOSTS" -U admin -E power status
run "$O/bmcfleet" -H "$HOSTS" -U admin -E power on
echo "(a real server takes a moment to power on; so does bmcsim)"
sleep 2
run "$O/bmcfleet" -H "$HOSTS" -U admin -E power status
run "$O/bmcfleet" -H "$HOSTS" -U admin -E mc info
run "$O/bmcfleet" -H "$NET.[$FIRST-$((FIRST + 2))]" -U admin -E --format json power status
echo
echo "== refused by default: cipher suite 0 (no authentication at all)"
run "$O/bmcfleet" -H "$BASE" -U admin -E -C 0 power status || true
echo
echo "== a wrong password says so"
BMCFLEET_PASSWORD=guess run "$O/bmcfleet" -H "$BASE" -U admin -E power status || true

echo
echo "== sensors, decoded as ipmitool and FreeIPMI decode them; an SDR cache"
echo "== on disk makes the second run read no SDR record"
run "$O/bmcfleet" -H "$NET.[$FIRST-$((FIRST + 1))]" -U admin -E sensors
run "$O/bmcfleet" -H "$HOSTS" -U admin -E sensors --state warning,critical
run "$O/bmcfleet" -H "$BASE" -U admin -E sel list

echo
echo "== fleet mode: a private PostgreSQL under $PG (deploy/pg.sh)"
# each demo starts from a fresh database and spool: a previous run's
# stored alert would de-duplicate this run's (same BMC and sensor)
deploy/pg.sh stop "$PG" >/dev/null 2>&1 || true
rm -rf "$PG" var/spool
mkdir -p var
DB=$(deploy/pg.sh start "$PG" 2>var/pg.log) ||
    { cat var/pg.log >&2; exit 1; }
echo "database: $DB"
printf 'demo-pass\n' >var/demo.pw
chmod 600 var/demo.pw
cat >var/demo.yaml <<EOF
# written by deploy/demo.sh: the simulated fleet as an operator would
# describe a rack of servers (see deploy/bmcfleet.example.yaml)
database: "$DB"
credentials:
  default: {user: admin, password_file: $PWD/var/demo.pw}
groups:
  compute: {hosts: "$COMPUTE", labels: {rack: r12, role: compute}}
  storage: {hosts: "$STORAGE", labels: {rack: r12, role: storage}}
collector:
  spool_dir: $PWD/var/spool
EOF
run "$O/bmcfleet" db migrate --db "$DB"
run "$O/bmcfleet" collect -c var/demo.yaml
echo "(a second sweep: the SDRs come from the database's cache, the SEL is"
echo " walked only where it changed, no event is stored twice)"
run "$O/bmcfleet" collect -c var/demo.yaml
run "$O/bmcfleet" inventory -c var/demo.yaml @storage
run "$O/bmcfleet" sensors -c var/demo.yaml --state warning,critical
run "$O/bmcfleet" events -c var/demo.yaml --severity warning,critical --limit 10

echo
echo "== staged power operations: plans stored in the database, resumable,"
echo "== every action audited (bmcfleet audit)"
cat >>var/demo.yaml <<EOF
scheduler:
  confirm_limit: 100
  poll_interval: 500ms
EOF
run "$O/bmcfleet" power off @all -c var/demo.yaml --batch 25
cat >var/demo-plan.yaml <<'EOF'
# storage first, then compute in batches of 10 under a power budget
name: demo rack power-on
stages:
  - name: storage
    targets: "@storage"
    op: on
    batch: 10
  - name: compute
    targets: "@compute"
    op: on
    after: [storage]
    batch: 10
    interval: 2s
    budget: 7000W
EOF
run "$O/bmcfleet" plan apply var/demo-plan.yaml -c var/demo.yaml
id=$("$O/bmcfleet" plan list -c var/demo.yaml | awk 'NR > 1 { id = $1 } END { print id }')
run "$O/bmcfleet" plan run "$id" -c var/demo.yaml
run "$O/bmcfleet" plan status "$id" -c var/demo.yaml
run "$O/bmcfleet" audit -c var/demo.yaml --plan "$id" --limit 12

echo
echo "== alerts, end to end: every BMC sends PET traps to bmcfleetd, which"
echo "== reads the SEL entry a trap announces, stores it and notifies by rule"
# a webhook receiver: each POST's body on its own line, and when it came
cat >var/demo-hook.py <<'EOF'
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        ms = time.time_ns() // 1000000
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        print("POST %s at=%d %s" % (self.path, ms, body.decode()), flush=True)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print("port", s.server_address[1], flush=True)
s.serve_forever()
EOF
python3 var/demo-hook.py >var/demo-hook.log 2>&1 &
hook=$!
for _ in $(seq 50); do grep -q '^port' var/demo-hook.log && break; sleep 0.1; done
hport=$(awk '/^port/ { print $2 }' var/demo-hook.log)
[ -n "$hport" ] || { cat var/demo-hook.log >&2; exit 1; }
cat >var/demo-alert.yaml <<EOF
# written by deploy/demo.sh: the fleet of var/demo.yaml, bmcfleetd's trap
# listener, and a rule: every critical event to a webhook
database: "$DB"
credentials:
  default: {user: admin, password_file: $PWD/var/demo.pw}
groups:
  compute: {hosts: "$COMPUTE", labels: {rack: r12, role: compute}}
  storage: {hosts: "$STORAGE", labels: {rack: r12, role: storage}}
scheduler:
  confirm_limit: 100
collector:
  spool_dir: $PWD/var/spool
  sweep_interval: 10m
  sel_interval: 1m
  traps: {listen: "$TRAP"}
http:
  listen: "$HTTP"
alerts:
  actions:
    ops-hook: {kind: webhook, url: "http://127.0.0.1:$hport/bmcfleet"}
  rules:
    - name: critical
      match: {severity: critical}
      actions: [ops-hook]
EOF
dest=${TRAP%:162}
run "$O/bmcfleet" alert setup "$BASE" --destination "$dest" --severity critical --dry-run -c var/demo-alert.yaml
echo
echo "\$ $O/bmcfleet alert setup @all --destination $dest --severity critical --yes -c var/demo-alert.yaml   (each host's first line, the first 5)"
"$O/bmcfleet" alert setup @all --destination "$dest" --severity critical \
    --yes -c var/demo-alert.yaml >var/demo-alert-setup.out
grep -v '^ ' var/demo-alert-setup.out | sed -n 1,5p
echo "..."
run "$O/bmcfleet" alert status "$BASE" -c var/demo-alert.yaml
# The collections above stored every BMC's SEL history; a BMC's first
# read is history, not news (sel_event.first_read), but entries the
# simulated SELs logged since would be notified too.  Start the engine
# from what is stored, so the one alert shown is the entry added below.
psql "$DB" -XAtq -c "UPDATE alert_cursor SET last_id = CASE source
    WHEN 'sel' THEN (SELECT coalesce(max(id), 0) FROM sel_event)
    WHEN 'sensor' THEN (SELECT coalesce(max(id), 0) FROM sensor_event)
    WHEN 'inventory' THEN (SELECT coalesce(max(id), 0) FROM inventory_change)
    WHEN 'result' THEN (SELECT coalesce(max(seq), 0) FROM collection_result)
    END" >/dev/null
echo "(the alert engine starts from the events stored now: the alert shown"
echo " is the entry added below)"
echo
echo "\$ $O/bmcfleetd -c var/demo-alert.yaml &"
"$O/bmcfleetd" -c var/demo-alert.yaml 2>var/demo-bmcfleetd.log &
daemon=$!
for _ in $(seq 300); do
	grep -q 'bmcfleetd: sweep 1' var/demo-bmcfleetd.log && break
	kill -0 $daemon 2>/dev/null || break
	sleep 0.1
done
grep -E 'traps:|alerts:|sweep 1:' var/demo-bmcfleetd.log | grep -v events || true
sleep 1
run "$O/bmcsim" --ctl "$ctl" "sel-add $BASE critical"
added=$(grep -m1 "^bmcsim: sel-add $BASE record=" "$log" || true)
echo "$added"
for _ in $(seq 150); do
	grep -q '^POST' var/demo-hook.log && break
	sleep 0.1
done
echo "(the webhook received:)"
grep -m1 '^POST' var/demo-hook.log || echo "demo: no webhook POST within 15 s" >&2
at=$(sed -nE 's/.* at=([0-9]+)$/\1/p' <<<"$added")
got=$(sed -nE '0,/^POST/s/^POST [^ ]* at=([0-9]+) .*/\1/p' var/demo-hook.log)
run "$O/bmcfleet" events "$BASE" -c var/demo-alert.yaml --severity critical --limit 3
run "$O/bmcfleet" alerts history -c var/demo-alert.yaml
if [ -n "$at" ] && [ -n "$got" ]; then
	echo "== from the SEL entry's add to the webhook: $((got - at)) ms"
else
	echo "demo: the alert did not arrive" >&2
	exit 1
fi

echo
echo "== bmcfleetd serves what it holds in memory: Prometheus metrics in"
echo "== ipmi_exporter's names (no BMC is asked during a scrape), the JSON"
echo "== API and a status page"
echo "\$ curl -s http://$HTTP/metrics | grep -E 'bmc=\"$BASE\"|^bmcfleet_hosts' | grep -E '^(ipmi_up|ipmi_temperature|ipmi_chassis_power|ipmi_dcmi|bmcfleet_hosts)' | head -n 8"
curl -s "http://$HTTP/metrics" >var/demo-metrics.txt || true
grep -E "bmc=\"$BASE\"|^bmcfleet_hosts" var/demo-metrics.txt |
    grep -E '^(ipmi_up|ipmi_temperature|ipmi_chassis_power|ipmi_dcmi|bmcfleet_hosts)' |
    head -n 8 || true
echo "($(grep -vc '^#' var/demo-metrics.txt) series in all)"
echo
echo "== the status page: http://$HTTP/   (JSON: http://$HTTP/api/v1/hosts)"
if [ -t 0 ] && [ -t 1 ]; then
	echo "(bmcfleetd keeps serving it; press Enter to stop the demo)"
	read -r _ || true
fi
kill -TERM $daemon
wait $daemon 2>/dev/null || true
daemon=""
grep -E 'events at the end' var/demo-bmcfleetd.log | tail -n 1 || true
