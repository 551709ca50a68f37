#!/usr/bin/env bash
# bmcfleetd's /ipmi against Debian's prometheus-ipmi-exporter (the
# FreeIPMI one) over the same 200 bmcsim BMCs (issue 15): for a sample of
# 20 BMCs spread over bmcsim's five models, every family (with its HELP
# and TYPE) and every series (name and label set) the exporter prints,
# with its collectors ipmi, bmc, chassis, dcmi and sel, bmcfleetd prints
# too, with an equal value within a sensor's drift; what differs on
# purpose is listed in tests/interop/metrics-differences.txt (and
# docs/METRICS.md).  bmcfleetd swept all 200 and answers for each.
# sanitize: no (names and values against the exporter; the renderer runs under the sanitizers in integration/metrics and unit/test_serve_metrics)
set -u
. "$(dirname "$0")/lib.sh"
need_tool prometheus-ipmi-exporter ipmimonitoring python3 curl

N=200
BASE=127.0.84
HTTP=$BASE.250:9290
EXP=$BASE.251:9290
start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-mvse.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
# power on and no ramp: the DCMI reading holds still between two reads;
# readings frozen (--reading-window-ms 0): the exporter reads seconds
# after the sweep, and a sensor with jitter moved by two counts between
# them (Airflow 81 against 72.25 once in a full run)
start_bmcsim --count $N --base $BASE.1 --user admin --password s3cret-pw \
    --seed 84 --power on --power-ramp-ms 1 --reading-window-ms 0 --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "$BASE.[1-$N]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 1h
http: {listen: "$HTTP"}
EOF
# the exporter's own config (0600: it holds the password)
umask 077
cat >"$W/ipmi.yml" <<EOF
modules:
  default:
    user: admin
    pass: s3cret-pw
    driver: LAN_2_0
    privilege: admin
    timeout: 10000
    collectors: [ipmi, bmc, chassis, dcmi, sel]
EOF
umask 022
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
"$(dirname "$BMCFLEET")/bmcfleetd" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
_lib_register $! bmcfleetd "$W/d.log" 0
prometheus-ipmi-exporter --config.file="$W/ipmi.yml" \
    --web.listen-address="$EXP" >"$W/exp.log" 2>&1 &
_lib_register $! ipmi_exporter "$W/exp.log" 0

swept() {
	curl -sf --max-time 5 "http://$HTTP/metrics" |
	    grep -qx "bmcfleet_hosts{result=\"ok\"} $N"
}
poll_until 20 swept ||
    fail "bmcfleetd did not sweep $N BMCs: $(tail -n 5 "$W/d.log")"

# 20 BMCs, four of each model (bmcsim gives BMC i model (i-1) mod 5)
pairs=()
cpids=()
for k in $(seq 0 19); do
	i=$((10 * k + 1 + k % 5))
	t=$BASE.$i
	curl -sf --max-time 30 "http://$EXP/ipmi?target=$t" >"$W/ref.$i" &
	cpids+=($!)
	curl -sf --max-time 5 "http://$HTTP/ipmi?target=$t&module=default" \
	    >"$W/our.$i" || fail "bmcfleetd /ipmi?target=$t"
	pairs+=("$W/ref.$i" "$W/our.$i")
	# a few at a time: every target costs the exporter five FreeIPMI runs
	if (( k % 5 == 4 )); then
		wait "${cpids[@]}"
		cpids=()
	fi
done
for ((j = 0; j < ${#pairs[@]}; j += 2)); do
	grep -q '^ipmi_up{collector="ipmi"} 1$' "${pairs[j]}" ||
	    fail "the exporter could not read ${pairs[j]##*.}: $(tail -n 3 "$W/exp.log")"
done
out=$(python3 "$TOP/tests/interop/promcmp.py" \
    "$TOP/tests/interop/metrics-differences.txt" "${pairs[@]}") ||
    fail "bmcfleetd differs from ipmi_exporter:
$out"
msg "$(tail -n 1 <<<"$out")"
msg "ok"
