#!/usr/bin/env python3
"""A small DNS server for tests/integration/dns.sh (python3 stdlib only).

    dnsd.py ADDR ZONEFILE LOG

Answers UDP queries on ADDR port 53.  ZONEFILE has one name a line:
"NAME IPV4 [DELAY_S]" (answered A, after DELAY_S seconds if given, AAAA
with no data after the same delay); any other name is NXDOMAIN.  Every
query is appended to LOG as "NAME TYPE" as it arrives, so the test counts
them.  Prints "dnsd: ready" once bound.  Delayed answers are sent from a
timer thread: a slow name never holds the answers to the others.
"""
import socket
import struct
import sys
import threading

QTYPES = {1: "A", 28: "AAAA"}


def parse_query(pkt):
    qid, flags, qd = struct.unpack("!HHH", pkt[:6])
    labels, i = [], 12
    while pkt[i] != 0:
        n = pkt[i]
        labels.append(pkt[i + 1:i + 1 + n].decode("ascii").lower())
        i += 1 + n
    qtype, qclass = struct.unpack("!HH", pkt[i + 1:i + 5])
    question = pkt[12:i + 5]
    return qid, flags, ".".join(labels), qtype, question


def answer(qid, flags, question, rcode, rdata, qtype):
    rd = flags & 0x0100
    hdr = struct.pack("!HHHHHH", qid, 0x8000 | 0x0400 | rd | 0x0080 | rcode,
                      1, 1 if rdata else 0, 0, 0)
    out = hdr + question
    if rdata:
        out += struct.pack("!HHHIH", 0xC00C, qtype, 1, 60, len(rdata)) + rdata
    return out


def main():
    addr, zonefile, logpath = sys.argv[1:4]
    zone = {}
    with open(zonefile) as f:
        for line in f:
            w = line.split()
            if len(w) >= 2:
                zone[w[0].lower().rstrip(".")] = (
                    socket.inet_aton(w[1]), float(w[2]) if len(w) > 2 else 0)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    log = open(logpath, "a", buffering=1)
    lock = threading.Lock()
    print("dnsd: ready", flush=True)
    while True:
        pkt, peer = s.recvfrom(4096)
        try:
            qid, flags, name, qtype, question = parse_query(pkt)
        except (IndexError, struct.error, UnicodeDecodeError):
            continue
        with lock:
            log.write("%s %s\n" % (name, QTYPES.get(qtype, str(qtype))))
        if name in zone:
            a, delay = zone[name]
            out = answer(qid, flags, question, 0, a if qtype == 1 else b"",
                         qtype)
        else:
            delay = 0
            out = answer(qid, flags, question, 3, b"", qtype)
        if delay > 0:
            threading.Timer(delay, s.sendto, (out, peer)).start()
        else:
            s.sendto(out, peer)


if __name__ == "__main__":
    main()
