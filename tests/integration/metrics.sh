#!/usr/bin/env bash
# bmcfleetd's /metrics and /ipmi (issue 15) against real peers: promtool's
# lint finds nothing in /metrics; a real Prometheus (Debian's) scrapes
# /metrics and, in ipmi_exporter's multi-target form (relabel
# __param_target), /ipmi, and its query API returns one ipmi_up series
# per BMC in each job and the sensor values the BMCs served (read
# independently with ipmitool); bmcfleetd's health families are there.
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool promtool prometheus ipmitool curl

N=10
BASE=127.0.83
HTTP=$BASE.250:9290
PROM=$BASE.251:9090
start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-metrics.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count $N --base $BASE.1 --user admin --password s3cret-pw \
    --seed 83 --power on --quiet
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
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
"$BMCFLEETD" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
_lib_register $! bmcfleetd "$W/d.log" 0

get() { curl -sf --max-time 5 "http://$HTTP$1"; }
swept() { get /metrics | grep -qx "bmcfleet_hosts{result=\"ok\"} $N"; }
poll_until 20 swept || fail "no sweep of $N BMCs on /metrics: $(tail -n 5 "$W/d.log")"
get /metrics >"$W/metrics.txt" || fail "GET /metrics"
msg "/metrics: $(wc -l <"$W/metrics.txt") lines"

# promtool's lint: nothing to say
lint=$(promtool check metrics <"$W/metrics.txt" 2>&1)
rc=$?
[[ $rc == 0 && -z $lint ]] || fail "promtool check metrics (rc $rc): $lint"

# every family of ipmi_exporter's default collectors, for every BMC
for f in ipmi_up ipmi_bmc_info ipmi_chassis_power_state \
    ipmi_temperature_celsius ipmi_voltage_volts ipmi_sensor_state \
    ipmi_sel_logs_count ipmi_sel_free_space_bytes \
    ipmi_dcmi_power_consumption_watts bmcfleet_sweep_duration_seconds \
    bmcfleet_spool_batches bmcfleet_db_lag_seconds \
    bmcfleet_traps_received_total bmcfleet_http_requests_total; do
	grep -q "^$f[{ ]" "$W/metrics.txt" || fail "/metrics has no $f"
done
n=$(grep -c '^ipmi_up{bmc="[^"]*",collector="ipmi"} 1$' "$W/metrics.txt")
expect_eq "$n" "$N" "BMCs up on /metrics"

# /ipmi: one BMC without the bmc label; an unknown one: ipmi_up 0
get "/ipmi?target=$BASE.3&module=default" >"$W/one.txt" || fail "GET /ipmi"
expect_match "$(cat "$W/one.txt")" '^ipmi_up\{collector="ipmi"\} 1$' "/ipmi up"
expect_no_match "$(cat "$W/one.txt")" 'bmc=' "/ipmi's labels"
expect_match "$(get '/ipmi?target=127.0.83.99')" \
    '^ipmi_up\{collector="ipmi"\} 0$' "/ipmi of an unknown target"

# a real Prometheus: /metrics, and /ipmi as an ipmi_exporter job
cat >"$W/prom.yml" <<EOF
global: {scrape_interval: 1s, scrape_timeout: 1s}
scrape_configs:
  - job_name: bmcfleet
    static_configs: [{targets: ["$HTTP"]}]
  - job_name: ipmi
    metrics_path: /ipmi
    params: {module: [default]}
    static_configs: [{targets: [$(seq -s, -f "\"$BASE.%g\"" 1 $N)]}]
    relabel_configs:
      - {source_labels: [__address__], target_label: __param_target}
      - {source_labels: [__param_target], target_label: instance}
      - {target_label: __address__, replacement: "$HTTP"}
EOF
prometheus --config.file="$W/prom.yml" --storage.tsdb.path="$W/tsdb" \
    --web.listen-address="$PROM" >"$W/prom.log" 2>&1 &
_lib_register $! prometheus "$W/prom.log" 0
q() {	# q PROMQL: the first result's value
	curl -sf --max-time 2 -G "http://$PROM/api/v1/query" \
	    --data-urlencode "query=$1" |
	    sed -n 's/.*"value":\[[^,]*,"\([^"]*\)"\].*/\1/p'
}
both() {
	[[ $(q 'count(ipmi_up{job="bmcfleet",collector="ipmi"})') == "$N" &&
	    $(q 'count(ipmi_up{job="ipmi",collector="ipmi"})') == "$N" ]]
}
poll_until 15 both || fail "Prometheus: not $N ipmi_up series per job: \
bmcfleet $(q 'count(ipmi_up{job="bmcfleet",collector="ipmi"})'), \
ipmi $(q 'count(ipmi_up{job="ipmi",collector="ipmi"})'); $(tail -n 3 "$W/prom.log")"

# a sensor value as the BMC serves it (ipmitool, independent of us)
want=$(IPMI_PASSWORD=s3cret-pw ipmitool -I lanplus -H $BASE.3 -U admin \
    -E -C 3 sdr get "Inlet Temp" 2>/dev/null |
    sed -n 's/^ *Sensor Reading *: *\([-0-9.]*\).*/\1/p')
[[ -n $want ]] || fail "ipmitool read no Inlet Temp"
got=$(q "ipmi_temperature_celsius{job=\"bmcfleet\",bmc=\"$BASE.3\",name=\"Inlet Temp\"}")
got2=$(q "ipmi_temperature_celsius{job=\"ipmi\",instance=\"$BASE.3\",name=\"Inlet Temp\"}")
msg "Inlet Temp of $BASE.3: ipmitool $want, Prometheus $got (/metrics), $got2 (/ipmi)"
awk -v a="$want" -v b="$got" -v c="$got2" \
    'BEGIN { exit !(a - b <= 1 && b - a <= 1 && b == c) }' ||
    fail "Inlet Temp: ipmitool $want, Prometheus $got and $got2"
msg "ok"
