#!/usr/bin/env bash
# make demo: a simulated fleet of 50 BMCs and a tour of bmcfleet against
# it.  Direct mode: power status, a power-on, mc info, sensors, the SEL.
# Fleet mode: a private PostgreSQL under var/pg (deploy/pg.sh), the schema,
# a collection of the fleet, then the inventory, sensor health and recent
# events read back from the database, and last a staged power-on: a
# two-stage plan (storage, then compute in batches under a power budget),
# its progress, its status and its audit trail.  Everything runs on loopback
# (DEMO_BASE, default 127.0.1.1, and the DEMO_COUNT - 1 addresses after
# it, default 50 in all, UDP port 623), so it needs root for the
# privileged port; nothing is left running afterwards (var/pg keeps the
# database, stopped: deploy/pg.sh start var/pg to look at it).
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

log=$(mktemp "${TMPDIR:-/tmp}/bmcsim-demo.XXXXXX")
"$O/bmcsim" --count "$COUNT" --base "$BASE" --user admin \
    --password demo-pass --latency-ms 2 --jitter-ms 1 --seed 1 \
    --power-delay-ms 1500 >"$log" 2>&1 &
sim=$!
PG=var/pg
cleanup() {
	kill $sim 2>/dev/null
	wait $sim 2>/dev/null
	rm -f "$log"
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
