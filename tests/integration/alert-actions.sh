#!/usr/bin/env bash
# The alert engine's email and syslog actions end to end (issue 14): a
# rule in bmcfleetd's alerts: section sends one event by email, through
# STARTTLS with AUTH (Debian's python3-aiosmtpd, a throwaway certificate
# given as ca_file), and as an RFC 5424 line on a unix socket; `alerts
# history` lists both as sent.  The transports' own cases (refusals, bad
# certificates, injection) are tests/integration/notify.sh's.
#
#   2 bmcsim BMCs on 127.0.76.[21-22]; the peers (notify_peers.py) on
#   127.0.76.20
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool openssl
PY=/usr/bin/python3
[[ -x $PY ]] && $PY -c 'import aiosmtpd' 2>/dev/null ||
    skip "Debian's python3-aiosmtpd is missing (deploy/install-deps.sh)"

start_pg
ADDR=127.0.76.20
HTTP_PORT=18180 SMTP_PORT=18125 TLS_PORT=18126
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-alertact.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 2 --base 127.0.76.21 --user admin --password s3cret-pw \
    --seed 21 --quiet
printf 's3cret-pw\n' >"$W/pw"
printf 'm4il-s3cret\n' >"$W/smtp-pw"
chmod 600 "$W/pw" "$W/smtp-pw"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$ADDR" \
    -addext "subjectAltName=IP:$ADDR" -keyout "$W/key.pem" \
    -out "$W/cert.pem" >"$W/openssl.log" 2>&1 || fail "openssl req failed"
PEERS_LOG=$TEST_LOGDIR/$TEST_NAME.peers.log
$PY "$TOP/tests/integration/notify_peers.py" "$W" "$ADDR" "$HTTP_PORT" \
    "$SMTP_PORT" "$TLS_PORT" >"$PEERS_LOG" 2>&1 &
_lib_register $! notify_peers "$PEERS_LOG" 0
poll_until 10 grep -q '^ready' "$PEERS_LOG" ||
    fail "notify_peers did not start: $(cat "$PEERS_LOG")"

cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
bmcs:
  - {hosts: "127.0.76.[21-22]"}
collector:
  spool_dir: $W/spool
  sweep_interval: 1s
  traps: {listen: off}
alerts:
  poll: 500ms
  actions:
    mail:
      kind: email
      url: "smtp://$ADDR:$TLS_PORT"
      starttls: require
      ca_file: $W/cert.pem
      from: bmcfleet@example.net
      to: [oncall@example.net]
      user: alerts
      password_file: $W/smtp-pw
      timeout: 5s
    log: {kind: syslog, socket: $W/log, facility: local3, ident: fleetd}
  rules:
    - name: crit
      match: {severity: critical, text: "xtest*"}
      actions: [mail, log]
    - name: inv
      match: {source: inventory}
      actions: [log]
EOF
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" ||
    fail "db migrate failed"
"$(dirname "$BMCFLEET")/bmcfleetd" -c "$W/fleet.yaml" >"$W/d.log" 2>&1 &
_lib_register $! bmcfleetd "$W/d.log" 0
poll_until 15 grep -q 'alerts: engine up' "$W/d.log" ||
    fail "the alert engine did not start: $(tail -n 5 "$W/d.log")"
# after each BMC's first SEL read (its history notifies nobody)
poll_until 15 eval '[[ $(sql "SELECT count(*) FROM sel_cursor") == 2 ]]' ||
    fail "the first sweep stored no SEL cursors"
sql "INSERT INTO sel_event (bmc_id, record_id, raw, record_type,
    sensor_type, sensor_number, sensor, event_type, event_offset,
    direction, description, severity, ts)
    SELECT id, 4242, decode(lpad(to_hex(4242), 32, '0'), 'hex'), 2,
    'Power Supply', 81, 'PS2 Status', 111, 1, 'asserted',
    'xtest Power Supply AC lost', 'critical', now()
    FROM bmc WHERE name = '127.0.76.22'" >/dev/null ||
    fail "the event insert failed"
poll_until 15 eval '[[ -s $W/mail.jsonl && -s $W/syslog.jsonl ]]' ||
    fail "no mail or syslog line: $(tail -n 5 "$W/d.log")"
sleep 1	# a second copy would show now

expect_eq "$(wc -l <"$W/mail.jsonl")" 1 "mails"
expect_eq "$($PY -c '
import json, sys
m = json.loads(open(sys.argv[1]).readline())
d = m["data"]
print(m["port"], m["tls"], m["login"], m["from"], ",".join(m["to"]),
      "Subject:" in d and "127.0.76.22" in d and "AC lost" in d)
' "$W/mail.jsonl")" "$TLS_PORT True alerts bmcfleet@example.net oncall@example.net True" \
    "the mail (port, STARTTLS, login, from, to, subject and text)"
expect_eq "$(wc -l <"$W/syslog.jsonl")" 1 "syslog lines"
line=$($PY -c 'import json, sys; print(json.loads(open(sys.argv[1]).readline()))' "$W/syslog.jsonl")
# <PRI>1 TIME HOST APP PROCID MSGID [SD] MSG: local3 (19) * 8 + crit (2)
expect_match "$line" '^<154>1 [0-9T:.-]+Z [^ ]+ fleetd [0-9]+ [^ ]+ \[bmcfleet@32473 [^]]*bmc="127\.0\.76\.22"' \
    "the RFC 5424 line's header and structured data"
expect_match "$line" 'AC lost' "the syslog line's message"
# a firmware update is an inventory change (schema 003's trigger on
# bmc_profile), and a rule on source inventory tells it
sql "UPDATE bmc_profile SET firmware = '9.99' WHERE bmc_id =
    (SELECT id FROM bmc WHERE name = '127.0.76.21')" >/dev/null ||
    fail "the firmware update failed"
poll_until 15 eval '[[ $(wc -l <"$W/syslog.jsonl") -ge 2 ]]' ||
    fail "no syslog line for the firmware change: $(tail -n 5 "$W/d.log")"
line=$($PY -c 'import json, sys; print(json.loads(open(sys.argv[1]).readlines()[1]))' "$W/syslog.jsonl")
expect_match "$line" 'bmc="127\.0\.76\.21".*bmc\.firmware: [^ ]+ -> 9\.99' \
    "the firmware change's syslog line"
run_to history "$BMCFLEET" alerts history -c "$W/fleet.yaml" --format csv ||
    fail "alerts history failed"
expect_eq "$(grep -c ',critical,sent,' <<<"$RUN_OUT")" 2 "history: both sent"
expect_match "$RUN_OUT" 'oncall@example.net' "history names the mail's recipient"
expect_match "$RUN_OUT" "$W/log" "history names the syslog socket"
# each notification sent is in the audit trail too
run_to audit "$BMCFLEET" audit -c "$W/fleet.yaml" --format csv ||
    fail "bmcfleet audit failed"
expect_eq "$(grep -c ',127.0.76.22,alert,sent,' <<<"$RUN_OUT")" 2 \
    "audit: the two notifications of the PSU event"
expect_match "$RUN_OUT" ',127.0.76.21,alert,sent,.*inv -> log' \
    "audit: the firmware change's notification"
msg "ok"
