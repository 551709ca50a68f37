#!/usr/bin/env bash
# bmcfleetd's status page, "/", in a real browser (Debian's chromium,
# headless): it loads, and the host counts it shows equal the database's.
#
#   10 bmcsim BMCs on 127.0.85.[1-10], 3 and 7 dead; bmcfleetd with
#   http.listen 127.0.85.250:9290, one sweep (10m interval), sel_interval
#   1s.  After the sweep: a critical SEL entry added on 127.0.85.1
#   (bmcsim's control channel), stored by the light pass; then, through
#   SQL, a hostile BMC (a <script> in its name, an <img onerror> in its
#   failure's words, a <script> in an event's text), a BMC never swept, a
#   retired one and a running plan.
#   - chromium --dump-dom: the page loads; hosts-ok/failed/unknown/
#     retired/total equal 8/3/1/1/12 (bmcsim's truth plus the rows added)
#     and the same counts SELECTed here (not through statusq); no
#     <script> or <img> element in the DOM: every hostile text escaped
#   - curl: both dead BMCs listed failing with reason timeout, the
#     hostile one with auth; the critical event on 127.0.85.1; the plan
#   - the database stopped: still 200, with the "database unavailable"
#     banner and the hosts from bmcfleetd's memory of its sweep (8 ok,
#     2 failed, none retired known)
# sanitize: no (the peer is the browser; the page renderer runs under the sanitizers in unit/test_page)
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool curl
CHROMIUM=
for c in chromium chromium-browser; do
	command -v "$c" >/dev/null 2>&1 && { CHROMIUM=$c; break; }
done
[[ -n $CHROMIUM ]] || skip "chromium not installed (run deploy/install-deps.sh)"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-page.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 10 --base 127.0.85.1 --user admin --password s3cret-pw \
    --power on --seed 85 --dead 3,7 --control "$W/ctl" --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
URL=http://127.0.85.250:9290/
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.85.[1-10]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 10m
  sel_interval: 1s
  traps: {listen: off}
defaults:
  timeout: 200ms
  retries: 1
http: {listen: "127.0.85.250:9290"}
EOF2
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
D_LOG=$TEST_LOGDIR/$TEST_NAME.bmcfleetd.log
"$BMCFLEETD" -c "$W/fleet.yaml" >"$D_LOG" 2>&1 &
dpid=$!
# strict: its exit status after SIGTERM and sanitizer reports are checked
_lib_register "$dpid" bmcfleetd "$D_LOG" 1
poll_until 15 grep -q 'bmcfleetd: sweep 1: 10 hosts' "$D_LOG" ||
    fail "no first sweep: $(cat "$D_LOG")"
poll_until 10 eval '[[ $(sql "SELECT count(*) FROM collection_result") == 10 ]]' ||
    fail "the first sweep's results were not committed"

# a critical entry on 127.0.85.1, stored by the light pass
added=$("$BMCSIM" --ctl "$W/ctl" 'sel-add 127.0.85.1 critical') ||
    fail "bmcsim --ctl: $added"
crit() {
	sql "SELECT count(*) FROM sel_event e JOIN bmc b ON b.id = e.bmc_id
	    WHERE b.name = '127.0.85.1' AND e.severity = 'critical'
	    AND NOT e.first_read"
}
poll_until 8 eval '(( $(crit) >= 1 ))' ||
    fail "the critical entry was not stored: $(tail -5 "$D_LOG")"

# hostile text, a host never swept, a retired one, a plan running
sql "INSERT INTO bmc (name, address) VALUES
    ('evil<script>alert(1)</script>', '127.0.85.99'),
    ('127.0.85.98', '127.0.85.98');
    INSERT INTO bmc (name, address, retired_at)
    VALUES ('127.0.85.97', '127.0.85.97', now());
    INSERT INTO collection_run (key, collector) VALUES ('page-test', 'x:1');
    INSERT INTO collection_result (run_id, bmc_id, ok, reason, error)
    SELECT r.id, b.id, false, 'auth', '<img src=x onerror=alert(2)>'
    FROM collection_run r, bmc b
    WHERE r.key = 'page-test' AND b.name LIKE 'evil%';
    INSERT INTO sel_event (bmc_id, record_id, raw, record_type, ts,
    sensor, description, severity)
    SELECT id, 65000, decode(repeat('cd', 16), 'hex'), 2, now(),
    '<b>PSU</b>', '<script>alert(3)</script>', 'warning'
    FROM bmc WHERE name LIKE 'evil%';
    INSERT INTO power_plan (name, spec, state, created_by, created_from,
    stage, started_at) VALUES ('rack-85', '{\"stages\": [{}, {}]}',
    'running', 'op', 'h:1', 0, now())" >/dev/null ||
    fail "could not add the rows"

# the oracle: the counts as SQL reads them here, not through statusq
want=$(sql "WITH last AS (SELECT DISTINCT ON (bmc_id) bmc_id, ok
    FROM collection_result ORDER BY bmc_id, finished_at DESC, run_id DESC)
    SELECT count(*) FILTER (WHERE b.retired_at IS NULL AND l.ok),
    count(*) FILTER (WHERE b.retired_at IS NULL AND NOT l.ok),
    count(*) FILTER (WHERE b.retired_at IS NULL AND l.bmc_id IS NULL),
    count(*) FILTER (WHERE b.retired_at IS NOT NULL),
    count(*) FILTER (WHERE b.retired_at IS NULL)
    FROM bmc b LEFT JOIN last l ON l.bmc_id = b.id")
expect_eq "$want" "8|3|1|1|12" "the database's counts (bmcsim: 8 live, 2 dead)"

# --- the page in the browser -------------------------------------------------
t0=$(_lib_now_ms)
timeout -k 5 30 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
    --disable-dev-shm-usage --no-first-run --user-data-dir="$W/chromium" \
    --virtual-time-budget=2000 --dump-dom "$URL" \
    >"$W/dom.html" 2>"$W/chromium.err" </dev/null ||
    fail "chromium could not load $URL: $(tail -5 "$W/chromium.err")"
msg "chromium loaded the page in $(($(_lib_now_ms) - t0)) ms"
dom=$(cat "$W/dom.html")
expect_match "$dom" '<title>bmcfleet status</title>' "the DOM's title"
count() {
	sed -n 's/.*<span id="'"$1"'">\([0-9?]*\)<\/span>.*/\1/p' \
	    "$W/dom.html" | head -n 1
}
got="$(count hosts-ok)|$(count hosts-failed)|$(count hosts-unknown)|$(count hosts-retired)|$(count hosts-total)"
expect_eq "$got" "$want" "the counts the browser shows"
expect_no_match "$dom" '<script|<img|<b>' "an element from a BMC's text"
expect_match "$dom" 'evil&lt;script&gt;alert\(1\)&lt;/script&gt;' \
    "the hostile name, as text"
expect_match "$dom" '&lt;img src=x onerror=alert\(2\)&gt;' \
    "the hostile error, as text"

# --- the rest, by curl -------------------------------------------------------
page=$(curl -sS --max-time 5 -o - -w '\n%{http_code} %{content_type}' "$URL") ||
    fail "curl $URL"
expect_match "$page" '^200 text/html; charset=utf-8$' "status and type"
expect_match "$page" '<tr class="failing" data-host="127\.0\.85\.3" data-reason="timeout">' \
    "dead BMC 3 failing with its reason"
expect_match "$page" '<tr class="failing" data-host="127\.0\.85\.7" data-reason="timeout">' \
    "dead BMC 7 failing with its reason"
expect_match "$page" 'data-host="evil&lt;script&gt;alert\(1\)&lt;/script&gt;" data-reason="auth"' \
    "the hostile BMC failing with its reason"
expect_match "$page" '<span id="failing-count">3</span>' "failing hosts"
expect_match "$page" '<tr class="event critical" data-severity="critical" data-host="127\.0\.85\.1">' \
    "the critical event on 127.0.85.1"
expect_match "$page" '<td>&lt;script&gt;alert\(3\)&lt;/script&gt;</td>' \
    "the hostile event text, escaped"
expect_match "$page" "<td>rack-85</td><td>running</td><td>1 of 2</td>" \
    "the running plan"
expect_no_match "$page" 'db-unavailable' "a banner while the database is up"

# --- the database away: 200, the banner, the hosts from memory ------------------
_lib_pg_stop
page=$(curl -sS --max-time 15 -o - -w '\n%{http_code}' "$URL") ||
    fail "curl $URL with the database stopped"
expect_match "$page" '^200$' "the status with the database away"
expect_match "$page" '<div class="banner" id="db-unavailable"><strong>database unavailable</strong>.*the hosts below are from this collector' \
    "the banner"
got=$(for id in hosts-ok hosts-failed hosts-unknown hosts-retired hosts-total; do
	sed -n 's/.*<span id="'"$id"'">\([0-9?]*\)<\/span>.*/\1/p' <<<"$page"
done | tr '\n' '|')
expect_eq "$got" "8|2|0|?|10|" "the counts from memory (its own 10 BMCs)"
expect_match "$page" '<tr class="failing" data-host="127\.0\.85\.3" data-reason="timeout">' \
    "dead BMC 3 failing, from memory"
msg "ok"
