#!/usr/bin/env bash
# scheduler/notify's transports against real receivers (notify_peers.py,
# Debian's python3 with python3-aiosmtpd), through the test driver
# build/tests/integration/notify_drv, on 127.0.77.1:
#   - webhook: a 503 is reported as the send's failure, not retried (the
#     alert engine retries), the next send gets the 200; the bearer token
#     comes from a 0600 file; JSON body with the message's fields; a
#     refused connection is said so; https verified against a CA file, and
#     refused without it; a server that never answers times out
#   - syslog: the RFC 5424 line on a unix datagram socket, field by field,
#     its structured data escaped
#   - email: the RFC 5322 message (headers, no injected Bcc, two RCPTs);
#     a refused recipient is the send's failure with the server's 550;
#     STARTTLS with a throwaway self-signed certificate given as the CA
#     file, AUTH from a password file; without the CA file the
#     certificate is refused; 'starttls: require' against a server without
#     it fails; a wrong password is the server's 535
#   - no password or token in any output
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool openssl
PY=/usr/bin/python3
[[ -x $PY ]] && $PY -c 'import aiosmtpd' 2>/dev/null ||
    skip "Debian's python3-aiosmtpd is missing (deploy/install-deps.sh)"
DRV=$O/tests/integration/notify_drv
[[ -x $DRV ]] || fail "$DRV is not built (make check builds it)"

ADDR=127.0.77.1
HTTP_PORT=18080 SMTP_PORT=18025 TLS_PORT=18026
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-notify.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$ADDR" \
    -addext "subjectAltName=IP:$ADDR" -keyout "$W/key.pem" \
    -out "$W/cert.pem" >"$W/openssl.log" 2>&1 || fail "openssl req failed"
printf 'm4il-s3cret\n' >"$W/smtp-pw"
printf 'wrong-s3cret\n' >"$W/bad-pw"
printf 'tok-s3cret\n' >"$W/token"
chmod 600 "$W/smtp-pw" "$W/bad-pw" "$W/token"

PEERS_LOG=$TEST_LOGDIR/$TEST_NAME.peers.log
$PY "$TOP/tests/integration/notify_peers.py" "$W" "$ADDR" "$HTTP_PORT" \
    "$SMTP_PORT" "$TLS_PORT" >"$PEERS_LOG" 2>&1 &
_lib_register $! notify_peers "$PEERS_LOG" 0
poll_until 10 grep -q '^ready' "$PEERS_LOG" ||
    fail "notify_peers did not start: $(cat "$PEERS_LOG")"

# drv NAME ARGS...: the driver, output in $W/NAME.out; status in RC
drv() {
	local name=$1
	shift
	printf '+ notify_drv %s\n' "$*"
	timeout -k 5 30 "$DRV" "$@" >"$W/$name.out" 2>&1 </dev/null
	RC=$?
	cat "$W/$name.out" >>"$TEST_LOGDIR/$TEST_NAME.drv.log"
	sed 's/^/  /' "$W/$name.out"
}
# check WHAT PYTHON: an assertion over the peers' records (H: the HTTP
# requests, S: the syslog datagrams, M: the mails, as lists)
check() {
	$PY - "$W" "$2" <<'EOF' || fail "$1"
import email, email.policy, json, os, re, sys
D = sys.argv[1]
def rd(n):
    p = os.path.join(D, n)
    return [json.loads(l) for l in open(p)] if os.path.exists(p) else []
H, S, M = rd("http.jsonl"), rd("syslog.jsonl"), rd("mail.jsonl")
def msg(m):
    return email.message_from_string(m["data"], policy=email.policy.default)
exec(sys.argv[2])
EOF
}

msg "webhook: 503 then 200, one attempt each"
drv hook --kind webhook --url "http://$ADDR:$HTTP_PORT/flaky" \
    --token-file "$W/token" --subject 'PSU 1 failure' --bmc node7 \
    --event sel:42 --severity crit --count 2
expect_eq "$RC" 1 "webhook status (one send failed)"
expect_eq "$(cat "$W/hook.out")" $'send 1: fail HTTP 503\nsend 2: ok HTTP 200' \
    "webhook outcomes"
check "webhook requests" '
assert len(H) == 2, H
for h in H:
    assert h["path"] == "/flaky" and h["auth"] == "Bearer tok-s3cret", h
    assert h["ctype"] == "application/json", h
    b = json.loads(h["body"])
    assert b["bmc"] == "node7" and b["severity"] == "crit", b
    assert b["subject"] == "PSU 1 failure" and b["event_key"] == "sel:42", b
'
drv hook-raw --kind webhook --url "http://$ADDR:$HTTP_PORT/ok" \
    --json '{"rule":"psu","n":1}'
expect_eq "$RC" 0 "webhook with a given JSON body"
check "the JSON body as given" 'assert H[2]["body"] == "{\"rule\":\"psu\",\"n\":1}", H[2]'
drv hook-refused --kind webhook --url "http://$ADDR:18089/x"
expect_eq "$(cat "$W/hook-refused.out")" "send 1: fail connection refused" \
    "webhook to a closed port"

msg "webhook: https with the CA file, refused without; a mute server"
drv hook-tls --kind webhook --url "https://$ADDR:$((HTTP_PORT + 1))/ok" \
    --token-file "$W/token" --ca-file "$W/cert.pem"
expect_eq "$(cat "$W/hook-tls.out")" "send 1: ok HTTP 200" "https webhook"
check "the https request" 'assert H[-1]["auth"] == "Bearer tok-s3cret", H[-1]'
drv hook-noca --kind webhook --url "https://$ADDR:$((HTTP_PORT + 1))/ok"
expect_eq "$RC" 1 "a self-signed certificate without its CA file"
expect_match "$(cat "$W/hook-noca.out")" '^send 1: fail .*[Cc]ertificate' \
    "the certificate is named"
t0=$(_lib_now_ms)
drv hook-mute --kind webhook --url "http://$ADDR:$((HTTP_PORT + 2))/x" \
    --timeout 500
expect_eq "$(cat "$W/hook-mute.out")" "send 1: fail timed out" \
    "a webhook that never answers"
drv mail-mute --kind email --smtp "smtp://$ADDR:$((HTTP_PORT + 2))" \
    --from bmcfleet@example.org --to ops@example.org --timeout 500
expect_eq "$(cat "$W/mail-mute.out")" "send 1: fail timed out" \
    "an SMTP server that never answers"
(($(_lib_now_ms) - t0 < 5000)) || fail "two 500 ms timeouts took over 5 s"
check "nothing more reached the HTTP servers" 'assert len(H) == 4, len(H)'

msg "syslog: RFC 5424 on a unix datagram socket"
drv syslog --kind syslog --socket "$W/log" --facility local0 \
    --severity err --bmc 'no"de]1\x' --event 'sensor:7:3' \
    --subject $'Fan 3\r\nlower critical' --text 'going low'
expect_eq "$(cat "$W/syslog.out")" "send 1: ok sent" "syslog outcome"
poll_until 5 test -s "$W/syslog.jsonl" || fail "no syslog datagram"
check "the syslog line" '
assert len(S) == 1, S
m = re.fullmatch(r"<(\d+)>1 (\S+) (\S+) (\S+) (\d+) (\S+) (\[.*\]) \ufeff(.*)",
    S[0], re.S)
assert m, repr(S[0])
pri, ts, host, app, pid, msgid, sd, text = m.groups()
assert pri == "131", pri            # local0 (16) * 8 + err (3)
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", ts), ts
assert host == os.uname().nodename, host
assert app == "bmcfleetd" and msgid == "alert", (app, msgid)
assert sd == r"""[bmcfleet@32473 severity="err" bmc="no\"de\]1\\x" event="sensor:7:3"]""", sd
assert text == "Fan 3  lower critical: going low", repr(text)
'

msg "email: plain SMTP, two recipients, an injected header refused"
drv mail --kind email --smtp "smtp://$ADDR:$SMTP_PORT" \
    --from bmcfleet@example.org --to ops@example.org --to pager@example.org \
    --subject $'PSU 1 failure\r\nBcc: evil@example.com' \
    --text $'Power Supply PS1\nfailure detected' --severity crit
expect_eq "$(cat "$W/mail.out")" "send 1: ok SMTP 250" "email outcome"
check "the message" '
assert len(M) == 1, M
m = M[0]
assert m["port"] == '"$SMTP_PORT"' and not m["tls"], m
assert m["from"] == "bmcfleet@example.org", m
assert m["to"] == ["ops@example.org", "pager@example.org"], m
e = msg(m)
assert e["Bcc"] is None, e["Bcc"]
assert str(e["Subject"]) == "PSU 1 failure  Bcc: evil@example.com", e["Subject"]
assert e.get_content_type() == "text/plain", e.get_content_type()
assert e.get_content_charset() == "utf-8"
for h in ("Date", "Message-ID", "MIME-Version", "From", "To"):
    assert e[h] is not None, h
body = e.get_content().replace("\r\n", "\n")
assert body == "Power Supply PS1\nfailure detected\n", repr(body)
'
drv mail-refused --kind email --smtp "smtp://$ADDR:$SMTP_PORT" \
    --from bmcfleet@example.org --to refuse@example.org
expect_eq "$RC" 1 "a refused recipient fails the send"
expect_match "$(cat "$W/mail-refused.out")" '^send 1: fail SMTP 550' \
    "the refusal, with the server's code"
drv mail-notls --kind email --smtp "smtp://$ADDR:$SMTP_PORT" \
    --from bmcfleet@example.org --to ops@example.org --starttls require
expect_eq "$(cat "$W/mail-notls.out")" \
    "send 1: fail STARTTLS required, not offered" \
    "starttls: require against a server without it"

msg "email: STARTTLS and AUTH"
drv mail-tls --kind email --smtp "smtp://$ADDR:$TLS_PORT" \
    --from bmcfleet@example.org --to ops@example.org --starttls require \
    --ca-file "$W/cert.pem" --user alerts --password-file "$W/smtp-pw" \
    --subject 'Temp élevée'
expect_eq "$(cat "$W/mail-tls.out")" "send 1: ok SMTP 250" \
    "STARTTLS + AUTH outcome"
check "over TLS, logged in" '
m = M[-1]
assert m["port"] == '"$TLS_PORT"' and m["tls"] and m["login"] == "alerts", m
assert str(msg(m)["Subject"]) == "Temp élevée", msg(m)["Subject"]
'
drv mail-try --kind email --smtp "smtp://$ADDR:$TLS_PORT" \
    --from bmcfleet@example.org --to ops@example.org \
    --ca-file "$W/cert.pem"
expect_eq "$(cat "$W/mail-try.out")" "send 1: ok SMTP 250" \
    "STARTTLS used when offered ('try')"
check "try took TLS" 'assert M[-1]["tls"] and M[-1]["login"] is None, M[-1]'
drv mail-noca --kind email --smtp "smtp://$ADDR:$TLS_PORT" \
    --from bmcfleet@example.org --to ops@example.org --starttls require
expect_eq "$RC" 1 "a self-signed certificate without its CA file"
expect_match "$(cat "$W/mail-noca.out")" '^send 1: fail .*[Cc]ertificate' \
    "the certificate is named"
drv mail-badpw --kind email --smtp "smtp://$ADDR:$TLS_PORT" \
    --from bmcfleet@example.org --to ops@example.org --starttls require \
    --ca-file "$W/cert.pem" --user alerts --password-file "$W/bad-pw"
expect_eq "$RC" 1 "a wrong password"
expect_match "$(cat "$W/mail-badpw.out")" '^send 1: fail SMTP 535' \
    "the server's 535"
check "nothing more delivered" 'assert len(M) == 3, len(M)'

expect_no_match "$(cat "$TEST_LOGDIR/$TEST_NAME.drv.log")" 's3cret' \
    "a secret in the driver's output"
msg "PASS"
