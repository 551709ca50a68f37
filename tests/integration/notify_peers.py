#!/usr/bin/python3
"""notify_peers: the receivers tests/integration/notify.sh sends to, in one
process (Debian's python3, for python3-aiosmtpd):

  HTTP   ADDR:HTTP_PORT   /flaky answers 503 then 200, /ok 200; each request
                          a JSON line in DIR/http.jsonl
  syslog DIR/log          a unix datagram socket; each datagram a JSON
                          string line in DIR/syslog.jsonl
  SMTP   ADDR:SMTP_PORT   plain, no STARTTLS; RCPT refuse@... gets 550
  SMTP   ADDR:TLS_PORT    STARTTLS required (DIR/cert.pem, DIR/key.pem),
                          AUTH alerts / the first line of DIR/smtp-pw
  each message a JSON line in DIR/mail.jsonl: port, from, to, tls, login,
  data
  HTTPS  ADDR:HTTP_PORT+1 as HTTP, with DIR/cert.pem
  mute   ADDR:HTTP_PORT+2 accepts connections and never says a word
  Prints "ready" once all listen; runs until SIGTERM.

usage: notify_peers.py DIR ADDR HTTP_PORT SMTP_PORT TLS_PORT
"""
import http.server
import json
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

D, ADDR = sys.argv[1], sys.argv[2]
HTTP_PORT, SMTP_PORT, TLS_PORT = (int(x) for x in sys.argv[3:6])
lock = threading.Lock()


def record(name, obj):
    with lock, open(os.path.join(D, name), "a") as f:
        f.write(json.dumps(obj) + "\n")


class Hook(http.server.BaseHTTPRequestHandler):
    flaky_seen = 0

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8", "replace")
        record("http.jsonl", {"path": self.path,
                              "auth": self.headers.get("Authorization"),
                              "ctype": self.headers.get("Content-Type"),
                              "body": body})
        code = 200
        if self.path == "/flaky":
            Hook.flaky_seen += 1
            code = 503 if Hook.flaky_seen == 1 else 200
        self.send_response(code)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class Mail:
    def __init__(self, port):
        self.port = port

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        if address.startswith("refuse@"):
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        login = None
        if session.authenticated:
            login = getattr(session.auth_data, "login", session.auth_data)
            if isinstance(login, bytes):
                login = login.decode()
        record("mail.jsonl", {"port": self.port,
                              "from": envelope.mail_from,
                              "to": envelope.rcpt_tos,
                              "tls": session.ssl is not None,
                              "login": login,
                              "data": envelope.original_content.decode(
                                  "utf-8", "replace")})
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    with open(os.path.join(D, "smtp-pw")) as f:
        want = f.readline().rstrip("\n").encode()
    ok = auth_data.login == b"alerts" and auth_data.password == want
    # handled=False: aiosmtpd answers 535 itself (else it answers nothing)
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


def syslog_reader(sock):
    while True:
        data = sock.recv(65536)
        record("syslog.jsonl", data.decode("utf-8", "replace"))


def main():
    httpd = http.server.ThreadingHTTPServer((ADDR, HTTP_PORT), Hook)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()

    httpsd = http.server.ThreadingHTTPServer((ADDR, HTTP_PORT + 1), Hook)
    sctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    sctx.load_cert_chain(os.path.join(D, "cert.pem"),
                         os.path.join(D, "key.pem"))
    httpsd.socket = sctx.wrap_socket(httpsd.socket, server_side=True)
    threading.Thread(target=httpsd.serve_forever, daemon=True).start()

    mute = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    mute.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    mute.bind((ADDR, HTTP_PORT + 2))
    mute.listen(16)     # the kernel accepts; nobody ever answers

    path = os.path.join(D, "log")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    threading.Thread(target=syslog_reader, args=(s,), daemon=True).start()

    plain = Controller(Mail(SMTP_PORT), hostname=ADDR, port=SMTP_PORT)
    plain.start()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(os.path.join(D, "cert.pem"),
                        os.path.join(D, "key.pem"))
    tls = Controller(Mail(TLS_PORT), hostname=ADDR, port=TLS_PORT,
                     tls_context=ctx, require_starttls=True,
                     authenticator=authenticator, auth_require_tls=True)
    tls.start()
    print("ready", flush=True)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    plain.stop()
    tls.stop()
    httpd.shutdown()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
    main()
