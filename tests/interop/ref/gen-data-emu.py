#!/usr/bin/env python3
"""gen-data-emu.py: write tests/interop/ipmi_sim/data.emu, the reference BMC
that the differential tests (tests/interop/data-vs-ipmi_sim.sh) load into
OpenIPMI's ipmi_sim.

    tests/interop/ref/gen-data-emu.py > tests/interop/ipmi_sim/data.emu

Every record is described here field by field; the emitted file repeats the
description as comments above each record, so data.emu reads on its own.
Checksums are computed, never typed.

SEL entries cannot go through ipmi_sim's sel_add: it overwrites the
timestamp of records below E0h with its own monotonic clock.  They are
emitted as "#@sel" comment lines that ipmi_sim ignores and that
data-vs-ipmi_sim.sh turns into ipmi_sim's persisted SEL file (sel.20 in
its state directory), which sel_enable reads back byte for byte.

Standard library only.
"""

import calendar
import sys

OWNER = 0x20  # BMC, LUN 0

# Units type codes, IPMI v2.0 rev 1.1, table 43-15
U_DEGC, U_VOLTS, U_AMPS, U_WATTS, U_RPM = 1, 4, 5, 6, 18

out = []


def emit(line=""):
    out.append(line)


def hexbytes(bs):
    return " ".join("0x%02x" % b for b in bs)


def cmd_with_bytes(prefix, bs, per_line=16):
    """prefix, then the bytes, continued over several lines."""
    lines = []
    for i in range(0, len(bs), per_line):
        lines.append("\t" + hexbytes(bs[i:i + per_line]))
    emit(prefix + " \\")
    for i, l in enumerate(lines):
        emit(l + (" \\" if i < len(lines) - 1 else ""))


def s8(v):
    return v & 0xFF


def id_string(name):
    raw = name.encode("latin-1")
    assert len(raw) <= 16
    return [0xC0 | len(raw)] + list(raw)  # 8-bit ASCII + Latin 1


def thr_masks(t):
    """Event and reading masks for a threshold sensor (43.1, bytes 15-20)."""
    amask = dmask = 0
    lower_rd = upper_rd = 0
    readable = 0
    bitpos = {"lnc": 0, "lcr": 1, "lnr": 2, "unc": 3, "ucr": 4, "unr": 5}
    # assertion / deassertion event offsets we support, per threshold
    ev = {"lnc": 0, "lcr": 2, "lnr": 4, "unc": 7, "ucr": 9, "unr": 11}
    for k, v in t.items():
        if v is None:
            continue
        readable |= 1 << bitpos[k]
        amask |= 1 << ev[k]
        dmask |= 1 << ev[k]
        if k.startswith("l"):
            lower_rd |= 1 << (12 + bitpos[k])
        else:
            upper_rd |= 1 << (12 + bitpos[k] - 3)
    return amask | lower_rd, dmask | upper_rd, readable


def full_sensor(rec, num, name, stype, ent, inst, units, m=1, b=0, k1=0,
                k2=0, fmt=0, tol=0, thr=None, nominal=None, smax=0xFF,
                smin=0x00, raw=None, state_bits=None, evtype=0x01,
                discrete_mask=0):
    thr = thr or {}
    t = {k: thr.get(k) for k in ("lnc", "lcr", "lnr", "unc", "ucr", "unr")}
    body = []
    comments = []

    def f(desc, *bs):
        comments.append("%-5s %-18s %s" % (len(body) + 6, " ".join(
            "%02x" % x for x in bs), desc))
        body.extend(bs)

    f("sensor owner ID: BMC (IPMB 20h)", OWNER)
    f("sensor owner LUN 0", 0x00)
    f("sensor number %d" % num, num)
    f("entity ID %02xh" % ent, ent)
    f("entity instance %d (physical)" % inst, inst)
    f("init: scanning, events, thresholds, hysteresis, type; "
      "events and scanning enabled", 0x7F)
    if evtype == 0x01:
        # auto re-arm, hysteresis readable, thresholds readable and
        # settable, per-threshold event control
        f("capabilities: auto re-arm, hysteresis readable, thresholds "
          "readable+settable, per-threshold events", 0x58)
    else:
        f("capabilities: auto re-arm, no hysteresis, no thresholds, "
          "per-state events", 0x40)
    f("sensor type %02xh" % stype, stype)
    f("event/reading type %02xh" % evtype, evtype)
    if evtype == 0x01:
        a, d, r = thr_masks(t)
        f("assertion event mask / lower threshold reading mask",
          a & 0xFF, a >> 8)
        f("deassertion event mask / upper threshold reading mask",
          d & 0xFF, d >> 8)
        f("readable threshold mask, settable threshold mask", r, r)
    else:
        f("assertion event mask", discrete_mask & 0xFF, discrete_mask >> 8)
        f("deassertion event mask", discrete_mask & 0xFF,
          discrete_mask >> 8)
        f("discrete reading mask", discrete_mask & 0xFF, discrete_mask >> 8)
    fmtname = {0: "unsigned", 1: "1's complement", 2: "2's complement"}[fmt]
    f("units 1: analog data format %s, no rate, no modifier" % fmtname,
      fmt << 6)
    f("units 2: base unit %d" % units, units)
    f("units 3: modifier unit none", 0x00)
    f("linearization: linear", 0x00)
    mm = m & 0x3FF
    f("M = %d (10 bits, 2's complement), tolerance %d" % (m, tol),
      mm & 0xFF, ((mm >> 8) << 6) | (tol & 0x3F))
    bb = b & 0x3FF
    f("B = %d (10 bits, 2's complement), accuracy 0" % b, bb & 0xFF,
      (bb >> 8) << 6)
    f("accuracy 0, accuracy exp 0, sensor direction unspecified", 0x00)
    f("R (K2) exponent %d, B (K1) exponent %d" % (k2, k1),
      ((k2 & 0xF) << 4) | (k1 & 0xF))
    f("analog characteristics: nominal reading specified" if nominal
      is not None else "analog characteristics: none",
      0x01 if nominal is not None else 0x00)
    f("nominal reading (raw)", nominal if nominal is not None else 0)
    f("normal maximum (raw, unused)", 0x00)
    f("normal minimum (raw, unused)", 0x00)
    f("sensor maximum reading (raw)", smax)
    f("sensor minimum reading (raw)", smin)
    for k, label in (("unr", "upper non-recoverable"),
                     ("ucr", "upper critical"),
                     ("unc", "upper non-critical"),
                     ("lnr", "lower non-recoverable"),
                     ("lcr", "lower critical"),
                     ("lnc", "lower non-critical")):
        v = t[k]
        f("%s threshold (raw)%s" % (label, "" if v is not None
                                    else ": unused"), s8(v or 0))
    f("positive-going hysteresis (raw)", 0x00)
    f("negative-going hysteresis (raw)", 0x00)
    f("reserved", 0x00, 0x00)
    f("OEM", 0x00)
    ids = id_string(name)
    f("ID string type/length: 8-bit ASCII, %d bytes" % (len(ids) - 1),
      ids[0])
    f("ID string '%s'" % name, *ids[1:])
    hdr = [0x00, 0x00, 0x51, 0x01, len(body)]
    emit("# SDR %d: full sensor record (01h) '%s'" % (rec, name))
    emit("#   byte  value              field (IPMI v2.0 rev 1.1, 43.1)")
    emit("#   1-2   %02x %02x              record ID (ipmi_sim assigns %d)"
         % (0, 0, rec))
    emit("#   3     51                 SDR version 1.5")
    emit("#   4     01                 record type: full sensor")
    emit("#   5     %02x                 record length %d" %
         (len(body), len(body)))
    for c in comments:
        emit("#   " + c)
    cmd_with_bytes("main_sdr_add 0x20", hdr + body)
    emit()
    sensor_cmds(num, stype, evtype, t, raw, state_bits)


def sensor_cmds(num, stype, evtype, t, raw, state_bits):
    emit("sensor_add 0x20 0 %d 0x%02x 0x%02x" % (num, stype, evtype))
    if evtype == 0x01:
        # enabled bits: leftmost is UNR (5), rightmost LNC (0)
        order = ("unr", "ucr", "unc", "lnr", "lcr", "lnc")
        en = "".join("1" if t[k] is not None else "0" for k in order)
        vals = " ".join("0x%02x" % s8(t[k] or 0) for k in order)
        emit("sensor_set_threshold 0x20 0 %d 2 %s %s" %
             (num, en, vals))
        emit("sensor_set_hysteresis 0x20 0 %d 1 0 0" % num)
        # threshold comparison status follows from this value
        emit("sensor_set_value 0x20 0 %d 0x%02x 0" % (num, s8(raw)))
    else:
        for bit in state_bits or ():
            emit("sensor_set_bit 0x20 0 %d %d 1 0" % (num, bit))
    emit()


def compact_sensor(rec, num, name, stype, ent, inst, mask, state_bits):
    body = []
    comments = []

    def f(desc, *bs):
        comments.append("%-5s %-18s %s" % (len(body) + 6, " ".join(
            "%02x" % x for x in bs), desc))
        body.extend(bs)

    f("sensor owner ID: BMC (IPMB 20h)", OWNER)
    f("sensor owner LUN 0", 0x00)
    f("sensor number %d" % num, num)
    f("entity ID %02xh" % ent, ent)
    f("entity instance %d (physical)" % inst, inst)
    f("init: scanning, events, type; events and scanning enabled", 0x67)
    f("capabilities: auto re-arm, no hysteresis, no thresholds, "
      "per-state events", 0x40)
    f("sensor type %02xh" % stype, stype)
    f("event/reading type 6Fh (sensor-specific)", 0x6F)
    f("assertion event mask", mask & 0xFF, mask >> 8)
    f("deassertion event mask", mask & 0xFF, mask >> 8)
    f("discrete reading mask", mask & 0xFF, mask >> 8)
    f("units 1: no analog reading", 0xC0)
    f("units 2: base unit unspecified", 0x00)
    f("units 3: none", 0x00)
    f("record sharing: count 1", 0x01)
    f("record sharing: instance modifier", 0x00)
    f("positive-going hysteresis", 0x00)
    f("negative-going hysteresis", 0x00)
    f("reserved", 0x00, 0x00, 0x00)
    f("OEM", 0x00)
    ids = id_string(name)
    f("ID string type/length: 8-bit ASCII, %d bytes" % (len(ids) - 1),
      ids[0])
    f("ID string '%s'" % name, *ids[1:])
    hdr = [0x00, 0x00, 0x51, 0x02, len(body)]
    emit("# SDR %d: compact sensor record (02h) '%s'" % (rec, name))
    emit("#   byte  value              field (IPMI v2.0 rev 1.1, 43.2)")
    emit("#   1-2   00 00              record ID (ipmi_sim assigns %d)" %
         rec)
    emit("#   3     51                 SDR version 1.5")
    emit("#   4     02                 record type: compact sensor")
    emit("#   5     %02x                 record length %d" %
         (len(body), len(body)))
    for c in comments:
        emit("#   " + c)
    cmd_with_bytes("main_sdr_add 0x20", hdr + body)
    emit()
    sensor_cmds(num, stype, 0x6F, None, None, state_bits)


def event_only(rec, num, name, stype, ent, inst):
    body = []
    comments = []

    def f(desc, *bs):
        comments.append("%-5s %-18s %s" % (len(body) + 6, " ".join(
            "%02x" % x for x in bs), desc))
        body.extend(bs)

    f("sensor owner ID: BMC (IPMB 20h)", OWNER)
    f("sensor owner LUN 0", 0x00)
    f("sensor number %d" % num, num)
    f("entity ID %02xh" % ent, ent)
    f("entity instance %d (physical)" % inst, inst)
    f("sensor type %02xh" % stype, stype)
    f("event/reading type 6Fh (sensor-specific)", 0x6F)
    f("record sharing: count 1", 0x01)
    f("record sharing: instance modifier", 0x00)
    f("reserved", 0x00)
    f("OEM", 0x00)
    ids = id_string(name)
    f("ID string type/length: 8-bit ASCII, %d bytes" % (len(ids) - 1),
      ids[0])
    f("ID string '%s'" % name, *ids[1:])
    hdr = [0x00, 0x00, 0x51, 0x03, len(body)]
    emit("# SDR %d: event-only record (03h) '%s': no sensor to read; it" %
         (rec, name))
    emit("# names the sensor number of the memory SEL events")
    emit("#   byte  value              field (IPMI v2.0 rev 1.1, 43.3)")
    emit("#   1-2   00 00              record ID (ipmi_sim assigns %d)" %
         rec)
    emit("#   3     51                 SDR version 1.5")
    emit("#   4     03                 record type: event-only")
    emit("#   5     %02x                 record length %d" %
         (len(body), len(body)))
    for c in comments:
        emit("#   " + c)
    cmd_with_bytes("main_sdr_add 0x20", hdr + body)
    emit()


# ---------------------------------------------------------------- SEL
T0 = 1732450000  # 2024-11-24 12:06:40 UTC


def sel(recid, rtype, bs, what, fields):
    rec = [recid & 0xFF, recid >> 8, rtype] + bs
    assert len(rec) == 16, what
    emit("# SEL %d: %s" % (recid, what))
    for c in fields:
        emit("#   " + c)
    emit("#@sel " + " ".join("%02x" % b for b in rec))
    emit()


def sel_std(recid, ts, stype, snum, evdir, evtype, d1, d2, d3, what,
            extra=()):
    bs = [ts & 0xFF, (ts >> 8) & 0xFF, (ts >> 16) & 0xFF, ts >> 24,
          OWNER, 0x00, 0x04, stype, snum, (evdir << 7) | evtype, d1, d2, d3]
    fields = [
        "1-2  record ID %d; 3  record type 02h (system event)" % recid,
        "4-7  timestamp %d (%s)" % (ts, "pre-init: seconds since BMC init"
                                   if ts < 0x20000000 else
                                   _iso(ts)),
        "8-9  generator ID 0020h (BMC, LUN 0); 10  EvM revision 04h",
        "11   sensor type %02xh; 12  sensor number %d" % (stype, snum),
        "13   %s, event/reading type %02xh" %
        ("deassertion" if evdir else "assertion", evtype),
        "14-16 event data %02x %02x %02x" % (d1, d2, d3),
    ] + list(extra)
    sel(recid, 0x02, bs[:13], what, fields)


def _iso(ts):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


# ---------------------------------------------------------------- FRU
def tl(s, enc="8bit"):
    """Type/length byte and bytes for a FRU field (FRU spec 13)."""
    if enc == "8bit":
        raw = s.encode("latin-1")
        return [0xC0 | len(raw)] + list(raw)
    if enc == "6bit":
        # 6-bit packed ASCII: 20h..5Fh minus 20h, 4 chars in 3 bytes,
        # least significant bits first (FRU spec 13.1)
        assert len(s) % 4 == 0
        out6 = []
        for i in range(0, len(s), 4):
            v = 0
            for j, ch in enumerate(s[i:i + 4]):
                c = ord(ch) - 0x20
                assert 0 <= c < 64
                v |= c << (6 * j)
            out6 += [v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF]
        return [0x80 | len(out6)] + out6
    raise ValueError(enc)


def zsum(bs):
    return (-sum(bs)) & 0xFF


def area(kind_fields, first, lines):
    """An info area: version, length, first bytes, fields, C1h, pad, sum."""
    bs = [0x01, 0x00] + first
    lines.append("  +0    01      format version 1")
    lines.append("  +1    LL      area length in multiples of 8 bytes")
    for label, enc, val in kind_fields:
        t = tl(val, enc)
        lines.append("  +%-4d %02x      %s: %s %r" %
                     (len(bs), t[0], label,
                      "6-bit packed ASCII" if enc == "6bit" else
                      "8-bit Latin-1", val))
        bs += t
    lines.append("  +%-4d c1      end of fields" % len(bs))
    bs.append(0xC1)
    while (len(bs) + 1) % 8:
        bs.append(0x00)
    bs[1] = (len(bs) + 1) // 8
    bs.append(zsum(bs))
    lines.append("  then zero padding and a zero checksum: %d bytes, "
                 "LL=%02x" % (len(bs), bs[1]))
    return bs


def main():
    emit("# data.emu: the reference BMC of the differential tests")
    emit("# (tests/interop/data-vs-ipmi_sim.sh, docs/DIFFERENTIAL.md).")
    emit("# GENERATED by tests/interop/ref/gen-data-emu.py; edit that, then")
    emit("#   tests/interop/ref/gen-data-emu.py > tests/interop/ipmi_sim/data.emu")
    emit("#")
    emit("# One BMC at IPMB 20h (same identity as bmc.emu) with 12 SDRs, the")
    emit("# sensors behind them, 11 SEL entries and FRU device 0.  ipmi_sim")
    emit("# numbers SDRs from 1 in the order they are added; raw readings and")
    emit("# thresholds are set with sensor_set_* below, and ipmi_sim derives")
    emit("# the threshold comparison bits of Get Sensor Reading from them")
    emit("# (comparing raw bytes, so the 2's-complement sensor has only lower")
    emit("# thresholds, both below its negative reading).")
    emit("# Lines starting '#@sel' are SEL records for data-vs-ipmi_sim.sh.")
    emit()
    emit("mc_setbmc 0x20")
    emit()
    emit("#      ipmb devid sdrs           rev  fw-major fw-minor support "
         "manuf  product")
    emit("mc_add 0x20 0     no-device-sdrs 0x23 9        8        0x9f    "
         "0x1291 0xf02")
    emit()
    emit("# SEL: 50 entries, flags 0ah (reserve and delete supported); the")
    emit("# entries are read from the persisted SEL (see the #@sel lines).")
    emit("sel_enable 0x20 50 0x0a")
    emit()
    emit("# ------------------------------------------------------------ SDRs")
    emit("# Expected readings: value = (M * raw + B * 10^K1) * 10^K2.")
    emit()
    # 1: plain unsigned temperature, nominal
    full_sensor(1, 1, "CPU Temp", 0x01, 0x03, 1, U_DEGC, raw=45,
                thr={"unc": 80, "ucr": 90, "unr": 100}, nominal=40)
    emit("# expected: 45 degrees C, ok")
    emit()
    # 2: above upper non-critical
    full_sensor(2, 2, "PCH Temp", 0x01, 0x07, 1, U_DEGC, raw=72,
                thr={"unc": 70, "ucr": 85, "unr": 95})
    emit("# expected: 72 degrees C, above UNC 70: nc / warning")
    emit()
    # 3: above upper critical
    full_sensor(3, 3, "VRM Temp", 0x01, 0x14, 1, U_DEGC, raw=96,
                thr={"unc": 85, "ucr": 95, "unr": 105})
    emit("# expected: 96 degrees C, above UCR 95: cr / critical")
    emit()
    # 4: 12 V, M=63, K2=-3 -> 0.063 V per count
    full_sensor(4, 4, "12V", 0x02, 0x07, 1, U_VOLTS, m=63, k2=-3, raw=190,
                thr={"lcr": 171, "lnc": 181, "unc": 200, "ucr": 210},
                nominal=190)
    emit("# expected: 190 * 0.063 = 11.970 V; thresholds LCR 10.773,")
    emit("# LNC 11.403, UNC 12.600, UCR 13.230 V")
    emit()
    # 5: 3.3 V with M=17, K2=-3 and tolerance
    full_sensor(5, 5, "3.3V", 0x02, 0x07, 1, U_VOLTS, m=17, k2=-3, tol=2,
                raw=194, thr={"lcr": 175, "ucr": 213})
    emit("# expected: 194 * 0.017 = 3.298 V; LCR 2.975, UCR 3.621 V")
    emit()
    # 6: fan, M=100
    full_sensor(6, 6, "FAN1", 0x04, 0x1D, 1, U_RPM, m=100, raw=54,
                thr={"lcr": 5, "lnc": 10})
    emit("# expected: 5400 RPM; LCR 500, LNC 1000 RPM")
    emit()
    # 7: 2's complement temperature, negative reading
    full_sensor(7, 7, "Ambient Temp", 0x01, 0x37, 1, U_DEGC, fmt=2,
                raw=-10, smax=0x7F, smin=0x80,
                thr={"lnc": -20, "lcr": -30})
    emit("# expected: raw F6h = -10 degrees C; LNC -20, LCR -30: ok")
    emit()
    # 8: current with B offset and K1: (5*raw - 25*10) / 100
    full_sensor(8, 8, "PSU1 Current", 0x03, 0x0A, 1, U_AMPS, m=5, b=-25,
                k1=1, k2=-2, raw=150, thr={"unc": 210, "ucr": 250})
    emit("# expected: (5*150 - 250) / 100 = 5.00 A; UNC 8.00, UCR 10.00 A;")
    emit("# resolution 0.05 A")
    emit()
    # 9: power, M=2 (resolution 2 W)
    full_sensor(9, 9, "Sys Power", 0x0B, 0x15, 1,
                U_WATTS, m=2, raw=107, thr={"unc": 200, "ucr": 230})
    emit("# expected: 214 W; UNC 400, UCR 460 W")
    emit()
    # 10, 11: discrete power supply sensors (08h / 6Fh), compact records
    compact_sensor(10, 10, "PSU1 Status", 0x08, 0x0A, 1, 0x000F, [0])
    emit("# expected: Presence detected")
    emit()
    compact_sensor(11, 11, "PSU2 Status", 0x08, 0x0A, 2, 0x000F, [0, 1])
    emit("# expected: Presence detected, Power Supply Failure detected")
    emit()
    # 12: event-only memory sensor
    event_only(12, 12, "DIMM ECC", 0x0C, 0x20, 1)

    emit("# ------------------------------------------------------------ SEL")
    emit("# 16 bytes each (IPMI v2.0 rev 1.1, 32.1 and 29.7); timestamps")
    emit("# are seconds since 1970 UTC, little endian.")
    emit()
    sel_std(1, T0, 0x01, 3, 0, 0x01, 0x59, 96, 95,
            "VRM Temp: Upper Critical going high, reading 96 > threshold 95",
            ["   data 1 59h: trigger reading in 2, threshold in 3, "
             "offset 9 (UCR going high)"])
    sel_std(2, T0 + 60, 0x01, 2, 0, 0x01, 0x57, 72, 70,
            "PCH Temp: Upper Non-critical going high, 72 > 70",
            ["   data 1 57h: offset 7 (UNC going high)"])
    sel_std(3, T0 + 120, 0x02, 4, 0, 0x01, 0x52, 165, 171,
            "12V: Lower Critical going low, 10.395 V < 10.773 V",
            ["   data 1 52h: offset 2 (LCR going low)"])
    sel_std(4, T0 + 180, 0x04, 6, 1, 0x01, 0x52, 6, 5,
            "FAN1: Lower Critical going low, deasserted, 600 RPM, 500 RPM",
            ["   data 1 52h: offset 2 (LCR going low)"])
    sel_std(5, T0 + 240, 0x08, 11, 0, 0x6F, 0x01, 0xFF, 0xFF,
            "PSU2 Status: Power Supply Failure detected",
            ["   data 1 01h: offset 1, data 2 and 3 unspecified"])
    sel_std(6, T0 + 300, 0x08, 10, 0, 0x6F, 0x03, 0xFF, 0xFF,
            "PSU1 Status: Power Supply input lost (AC/DC)",
            ["   data 1 03h: offset 3"])
    sel_std(7, T0 + 360, 0x0C, 12, 0, 0x6F, 0x00, 0xFF, 0xFF,
            "DIMM ECC: Correctable ECC",
            ["   data 1 00h: offset 0, data 2 and 3 unspecified"])
    sel_std(8, T0 + 420, 0x0C, 12, 0, 0x6F, 0xA1, 0x00, 0x03,
            "DIMM ECC: Uncorrectable ECC, memory module 3",
            ["   data 1 a1h: OEM code in data 2, sensor-specific code in "
             "data 3 (10b/10b), offset 1"])
    sel_std(9, 300, 0x08, 10, 0, 0x6F, 0x00, 0xFF, 0xFF,
            "PSU1 Status: Presence detected, logged 300 s after BMC init "
            "(pre-init timestamp)",
            ["   data 1 00h: offset 0"])
    # OEM timestamped C0h: timestamp, manufacturer ID, 6 bytes OEM
    ts = T0 + 480
    sel(10, 0xC0, [ts & 0xFF, (ts >> 8) & 0xFF, (ts >> 16) & 0xFF, ts >> 24,
                   0x57, 0x01, 0x00,
                   0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02],
        "OEM timestamped record (C0h)",
        ["1-2  record ID 10; 3  record type C0h",
         "4-7  timestamp %d (%s)" % (ts, _iso(ts)),
         "8-10 manufacturer ID 000157h (343, Intel), little endian",
         "11-16 OEM defined: de ad be ef 01 02"])
    sel(11, 0xE0, [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90,
                   0xA0, 0xB0, 0xC0, 0xD0],
        "OEM non-timestamped record (E0h)",
        ["1-2  record ID 11; 3  record type E0h",
         "4-16 OEM defined: 10 20 ... d0"])

    # ---------------------------------------------------------- FRU
    emit("# ------------------------------------------------------------ FRU")
    emit("# FRU device 0 (Platform Management FRU Information Storage")
    emit("# Definition v1.0 rev 1.3): common header, chassis, board and")
    emit("# product info areas, and a multirecord area with one power supply")
    emit("# information record.")
    mfg = calendar.timegm((2024, 3, 15, 12, 30, 0, 0, 0, 0))
    minutes = (mfg - calendar.timegm((1996, 1, 1, 0, 0, 0, 0, 0, 0))) // 60
    c_lines, b_lines, p_lines = [], [], []
    chassis = area([("part number", "8bit", "CH-0042-01"),
                    ("serial number", "8bit", "CHS123456"),
                    ("custom", "8bit", "Rev A")],
                   [0x17], c_lines)
    c_lines.insert(2, "  +2    17      chassis type 17h (Rack Mount Chassis)")
    board = area([("manufacturer", "8bit", "Acme Servers"),
                  ("product name", "8bit", "X11-ACME"),
                  ("serial number", "6bit", "BRD00012"),
                  ("part number", "8bit", "PN-B-77"),
                  ("FRU file ID", "8bit", "fru-v1"),
                  ("custom", "8bit", "ECO 12"),
                  ("custom", "8bit", "LOT 7")],
                 [0x19, minutes & 0xFF, (minutes >> 8) & 0xFF,
                  minutes >> 16], b_lines)
    b_lines.insert(2, "  +2    19      language code 25 (English)")
    b_lines.insert(3, "  +3    %02x %02x %02x manufacturing date: %d minutes "
                   "since 1996-01-01 = 2024-03-15T12:30:00Z" %
                   (minutes & 0xFF, (minutes >> 8) & 0xFF, minutes >> 16,
                    minutes))
    product = area([("manufacturer", "8bit", "Acme Servers"),
                    ("product name", "8bit", "Acme R100"),
                    ("part/model number", "8bit", "R100-A"),
                    ("version", "8bit", "1.2"),
                    ("serial number", "8bit", "SN-0001"),
                    ("asset tag", "8bit", "ASSET-7"),
                    ("FRU file ID", "8bit", ""),
                    ("custom", "8bit", "Made in test")],
                   [0x19], p_lines)
    p_lines.insert(2, "  +2    19      language code 25 (English)")
    # power supply information record (FRU spec 18.1), 24 bytes
    ps = []
    psl = []

    def psf(desc, *bs):
        psl.append("  +%-4d %-14s %s" % (len(ps), " ".join(
            "%02x" % x for x in bs), desc))
        ps.extend(bs)

    psf("overall capacity 800 W", 800 & 0xFF, 800 >> 8)
    psf("peak VA 900", 900 & 0xFF, 900 >> 8)
    psf("inrush current 30 A", 30)
    psf("inrush interval 10 ms", 10)
    psf("low end input voltage range 1: 90.00 V (10 mV units)",
        9000 & 0xFF, 9000 >> 8)
    psf("high end input voltage range 1: 140.00 V", 14000 & 0xFF,
        14000 >> 8)
    psf("low end input voltage range 2: 180.00 V", 18000 & 0xFF,
        18000 >> 8)
    psf("high end input voltage range 2: 264.00 V", 26400 & 0xFF,
        26400 >> 8)
    psf("low end input frequency 47 Hz", 47)
    psf("high end input frequency 63 Hz", 63)
    psf("A/C dropout tolerance 20 ms", 20)
    psf("flags: hot swap, autoswitch (bits 4, 3)", 0x18)
    pk = (1 << 12) | 880
    psf("peak wattage: hold-up 1 s, 880 W", pk & 0xFF, pk >> 8)
    psf("combined wattage: none", 0x00, 0x00, 0x00)
    psf("predictive fail tachometer lower threshold: none", 0x00)
    assert len(ps) == 24
    mr_hdr = [0x00, 0x82, len(ps), zsum(ps)]
    mr_hdr.append(zsum(mr_hdr))
    multirec = mr_hdr + ps

    off = 8
    hdr = [0x01, 0x00]
    offs = []
    for a in (chassis, board, product, multirec):
        offs.append(off // 8)
        off += len(a)
        while off % 8:
            off += 1
    hdr += offs + [0x00]
    hdr.append(zsum(hdr))
    image = list(hdr)
    for a in (chassis, board, product, multirec):
        while len(image) % 8:
            image.append(0)
        image += a
    emit("# common header (offsets in multiples of 8 bytes)")
    emit("#   0  01 format version; 1  00 no internal use area")
    emit("#   2  %02x chassis; 3  %02x board; 4  %02x product; "
         "5  %02x multirecord" % tuple(offs))
    emit("#   6  00 pad; 7  %02x checksum" % hdr[7])
    for title, lines, a, o in (("chassis info area", c_lines, chassis,
                                offs[0]),
                               ("board info area", b_lines, board, offs[1]),
                               ("product info area", p_lines, product,
                                offs[2])):
        emit("# %s at byte %d, %d bytes:" % (title, o * 8, len(a)))
        for l in lines:
            emit("# " + l)
    emit("# multirecord area at byte %d: header 00 (power supply "
         "information)" % (offs[3] * 8))
    emit("#   82 (end of list, format 2), length %d, record checksum %02x, "
         "header checksum %02x; then:" % (len(ps), mr_hdr[3], mr_hdr[4]))
    for l in psl:
        emit("# " + l)
    emit("# mc_add_fru_data MC DEVID SIZE data BYTES (sizes in hex)")
    cmd_with_bytes("mc_add_fru_data 0x20 0 0x%x data" % 256, image)
    emit()
    emit("mc_enable 0x20")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
