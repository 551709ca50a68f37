#!/usr/bin/env bash
# bmcfleetd's HTTP listener and /api/v1/ (issue 15, httpd):
#   10 bmcsim BMCs on 127.0.82.[1-10], one sweep, bmcfleetd with http on
#   127.0.82.250:9290 and a token file:
#   - 401 without the token or with a wrong one, 200 with it; 404 on an
#     unknown path; 405 on POST; 400 on a bad argument
#   - /api/v1/inventory, inventory/changes, sensors and events are the
#     bytes `bmcfleet REPORT --format json` prints for the same filter
#     (one renderer); /api/v1/hosts has every BMC
#   - /api/v1/audit is `bmcfleet audit --format json`; plans and a plan's
#     hosts list the plan stored here
#   - events in pages of 20 (the Link header's next) give every event once
#   - TLS on 127.0.82.251:9290 with a certificate made here: curl --cacert
#     works, plain http on that port does not
#   - the database stopped: 503 at once, and the listener still answers
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool curl
need_tool openssl
need_tool python3

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-http.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 10 --base 127.0.82.1 --user admin --password s3cret-pw \
    --power on --seed 82 --sel-epoch 1790000000 --quiet
printf 's3cret-pw\n' >"$W/pw"
printf 'tok-%s\n' "$RANDOM$RANDOM$RANDOM" >"$W/token"
chmod 600 "$W/pw" "$W/token"
TOKEN=$(cat "$W/token")
config() {	# config FILE HTTP-BLOCK
	cat >"$1" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  rackA: {hosts: "127.0.82.[1-5]"}
  rackB: {hosts: "127.0.82.[6-10]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 1h
  traps: {listen: off}
$2
EOF
}
config "$W/fleet.yaml" "http: {listen: \"127.0.82.250:9290\", token_file: $W/token}"
C=(-c "$W/fleet.yaml")
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
run_to sweep "$BMCFLEET" collect "${C[@]}" || fail "sweep failed"

BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
"$BMCFLEETD" "${C[@]}" >"$W/d.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d.log" 0	# stopped below, checked there
URL=http://127.0.82.250:9290
# its first sweep written: the reports stand still from then on
poll_until 20 grep -q 'sweep 1:.*, 0 batch(es) pending' "$W/d.log" ||
    poll_until 10 eval 'curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" $URL/api/v1/hosts' ||
    fail "bmcfleetd did not come up: $(cat "$W/d.log")"

# get NAME PATH [CURL ARGS...]: the body into $W/NAME, the status echoed
get() {
	local name=$1 path=$2
	shift 2
	curl -s -o "$W/$name" -D "$W/$name.hdr" -w '%{http_code}' \
	    --max-time 15 "$@" "$URL$path"
}
auth=(-H "Authorization: Bearer $TOKEN")
expect_eq "$(get none /api/v1/hosts)" 401 "no token"
grep -qi '^WWW-Authenticate: Bearer' "$W/none.hdr" ||
    fail "401 without WWW-Authenticate: $(cat "$W/none.hdr")"
expect_eq "$(get wrong /api/v1/hosts -H "Authorization: Bearer ${TOKEN}x")" \
    401 "a wrong token"
expect_eq "$(get hosts /api/v1/hosts "${auth[@]}")" 200 "hosts"
expect_eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$W/hosts")" \
    10 "/api/v1/hosts: every BMC"
expect_eq "$(get nope /api/v1/nope "${auth[@]}")" 404 "unknown API path"
expect_eq "$(get nope2 /nope "${auth[@]}")" 404 "unknown path"
expect_eq "$(get post /api/v1/hosts "${auth[@]}" -X POST -d x=1)" 405 "POST"
expect_eq "$(get bad '/api/v1/events?since=yesterdayish' "${auth[@]}")" 400 \
    "a bad since"
expect_eq "$(get badt '/api/v1/events?targets=@nosuch' "${auth[@]}")" 400 \
    "an unknown group"
if grep -q -- "$TOKEN" "$W/d.log"; then fail "the token is in the log"; fi

# same PATH ARGS...: the API's body equals the CLI's stdout, byte for byte
same() {	# (EMPTY_OK=1: an empty array is right)
	local path=$1 n
	shift
	n=$((++nsame))
	expect_eq "$(get "api$n" "$path" "${auth[@]}")" 200 "$path"
	timeout -k 5 30 "$BMCFLEET" "$@" "${C[@]}" --format json >"$W/cli$n" \
	    2>"$W/cli$n.err" || fail "bmcfleet $*: $(cat "$W/cli$n.err")"
	cmp -s "$W/api$n" "$W/cli$n" ||
	    fail "$path differs from bmcfleet $*: $(diff "$W/api$n" "$W/cli$n" | head -n 10)"
	((${EMPTY_OK:-0} || $(wc -c <"$W/api$n") > 4)) ||
	    fail "$path: empty ($(cat "$W/api$n"))"
}
nsame=0
same /api/v1/inventory inventory
same '/api/v1/inventory?targets=@rackB&all_frus=true' inventory @rackB --all-frus
EMPTY_OK=1 same /api/v1/inventory/changes inventory --changes
same '/api/v1/sensors?targets=127.0.82.3' sensors 127.0.82.3
same /api/v1/events events
same '/api/v1/events?targets=@rackA&severity=warning,critical&limit=5' \
    events @rackA --severity warning,critical --limit 5
same '/api/v1/events?since=2026-09-10T00:00:00Z&until=2030-01-01T00:00:00Z' \
    events --since 2026-09-10T00:00:00Z --until 2030-01-01T00:00:00Z

# plans and the audit log: a plan stored (due in a day) writes its audit
# row; /api/v1/audit is `bmcfleet audit --format json`
printf 'name: http-api\nstages:\n  - name: b\n    targets: "@rackB"\n    op: off\n' >"$W/plan.yaml"
run_to plan "$BMCFLEET" plan apply "$W/plan.yaml" "${C[@]}" --at 1d --yes ||
    fail "plan apply failed"
pid=$(sql "SELECT id FROM power_plan")
same /api/v1/audit audit
same "/api/v1/audit?plan=$pid&limit=3" audit --plan "$pid" --limit 3
EMPTY_OK=1 same '/api/v1/audit?host=127.0.82.7' audit --host 127.0.82.7
expect_eq "$(get plans /api/v1/plans "${auth[@]}")" 200 "plans"
expect_eq "$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(len(p), p[0]["id"], p[0]["state"])' "$W/plans")" \
    "1 $pid scheduled" "/api/v1/plans"
expect_eq "$(get phosts "/api/v1/plans/$pid/hosts" "${auth[@]}")" 200 "plan hosts"
expect_eq "$(python3 -c 'import json,sys; print(sorted(h["host"] for h in json.load(open(sys.argv[1]))))' "$W/phosts")" \
    "['127.0.82.10', '127.0.82.6', '127.0.82.7', '127.0.82.8', '127.0.82.9']" \
    "/api/v1/plans/ID/hosts: rackB"
expect_eq "$(get pnone /api/v1/plans/x/hosts "${auth[@]}")" 404 "plans/x/hosts"

# pages of 20: every event once, following the Link header
total=$(sql "SELECT count(*) FROM sel_event")
((total > 20)) || fail "only $total events: too few to page"
path='/api/v1/events?limit=20'
: >"$W/ids"
for ((p = 1; p <= 100; p++)); do
	expect_eq "$(get page "$path" "${auth[@]}")" 200 "page $p"
	python3 -c 'import json,sys; [print(e["event_id"]) for e in json.load(open(sys.argv[1]))]' \
	    "$W/page" >>"$W/ids"
	path=$(sed -n 's/^Link: <\([^>]*\)>; rel="next".*/\1/p' "$W/page.hdr" | tr -d '\r')
	[[ -n $path ]] || break
done
expect_eq "$(sort -n "$W/ids" | uniq | wc -l)" "$total" "events paged, distinct"
expect_eq "$(wc -l <"$W/ids")" "$total" "events paged, each once"
msg "$total events in $p pages of 20"

# HEAD answers like GET without a body
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -I "${auth[@]}" "$URL/api/v1/hosts")" 200 HEAD

# --- TLS ---------------------------------------------------------------------
kill -TERM "$dpid"
poll_until 10 eval '! kill -0 '"$dpid"' 2>/dev/null' || fail "bmcfleetd did not stop"
wait "$dpid"
expect_eq "$?" 0 "bmcfleetd's status after SIGTERM"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.82.251 \
    -addext subjectAltName=IP:127.0.82.251 -keyout "$W/key.pem" \
    -out "$W/cert.pem" 2>"$W/openssl.err" || fail "openssl: $(cat "$W/openssl.err")"
chmod 600 "$W/key.pem"
config "$W/tls.yaml" "http: {listen: \"127.0.82.251:9290\", tls_cert: $W/cert.pem, tls_key: $W/key.pem}"
"$BMCFLEETD" -c "$W/tls.yaml" >"$W/t.log" 2>&1 &
tpid=$!
_lib_register "$tpid" bmcfleetd-tls "$W/t.log" 1
URL=https://127.0.82.251:9290
poll_until 10 eval 'curl -s -o /dev/null --cacert $W/cert.pem $URL/api/v1/hosts' ||
    fail "https did not come up: $(cat "$W/t.log")"
expect_eq "$(get tls /api/v1/hosts --cacert "$W/cert.pem")" 200 "https with --cacert"
expect_eq "$(get tlsv /api/v1/hosts)" 000 "https without the CA: refused"
URL=http://127.0.82.251:9290
code=$(get plain /api/v1/hosts) || true
[[ $code != 200 ]] || fail "plain http answered 200 on the TLS port"

# --- the database away ---------------------------------------------------------
URL=https://127.0.82.251:9290
_lib_pg_stop
t0=$(_lib_now_ms)
expect_eq "$(get down /api/v1/hosts --cacert "$W/cert.pem")" 503 "database down"
grep -q '"error"' "$W/down" || fail "503 without an error: $(cat "$W/down")"
expect_eq "$(get down2 /api/v1/events --cacert "$W/cert.pem")" 503 "database down, again"
dt=$(($(_lib_now_ms) - t0))
((dt < 5000)) || fail "503s took $dt ms"
msg "two 503s with the database down in $dt ms"
kill -0 "$tpid" || fail "bmcfleetd died: $(cat "$W/t.log")"
grep 'bmcfleetd: http' "$W/d.log" "$W/t.log" | sed "s/^/$TEST_NAME: /"
msg "ok"
