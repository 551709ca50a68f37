#!/usr/bin/env python3
"""refnorm.py: turn ipmitool's, FreeIPMI's and bmcfleet's output into one
JSON shape, and compare two such documents field by field.

    refnorm.py ipmitool-sdr-elist  < `ipmitool sdr elist all`
    refnorm.py ipmitool-sensor     < `ipmitool sensor`
    refnorm.py ipmi-sensors        < `ipmi-sensors --no-header-output
                                      --comma-separated-output
                                      --output-sensor-state
                                      --output-sensor-thresholds
                                      --non-abbreviated-units`
        -> {"sensors": [{"name", "reading", "units", "state", "status",
                         "precision", ["thresholds"], ["states"]}]}
    refnorm.py ipmitool-sel-elist  < `ipmitool sel elist`
    refnorm.py ipmi-sel            < `ipmi-sel --no-header-output
                                      --comma-separated-output
                                      --output-event-state -v
                                      --non-abbreviated-units`
        -> {"entries": [{"id", "timestamp", "sensor_type", "sensor",
                         "description", "direction", ["severity"],
                         ["reading", "threshold", "precision"],
                         ["oem_data"]}]}
    refnorm.py ipmitool-fru        < `ipmitool fru print`
    refnorm.py ipmi-fru            < `ipmi-fru`
        -> {"fru": [{"id", "chassis": {...}, "board": {...},
                     "product": {...}, ["multirecords"]}]}
    refnorm.py bmcfleet-sensors|bmcfleet-sel|bmcfleet-fru [--host H]
                                   < `bmcfleet --format json ...`
        -> the same shapes, from bmcfleet's JSON (first host by default)

    refnorm.py compare --what sensors|sel|fru [--names A,B]
                       [--disputed FILE] [--record-disputed FILE]
                       [--report-only] REF.json OURS.json

Run the tools with TZ=UTC: both print local time.

compare matches sensors by name, SEL entries by record ID and FRU devices
by ID, then checks every field present in REF: a reading within
OURS.resolution, or one unit of the last digit either side printed, or
the tolerance the SEL threshold values need; units, states and
descriptions through the equivalence tables below.  Mismatches print as

    sensors: 'CPU Temp': reading 45.0 vs 47.0 (resolution 1.0)

and make the exit status 1.  --report-only always exits 0 (for comparing
the two reference tools with each other); --record-disputed FILE then
writes the "what:key:field" of each mismatch to FILE.  --disputed FILE
(such a list) makes a mismatch on a listed field a note rather than a
failure, unless FOLLOW below says that bmcfleet follows this reference
(named by the second word of --names) for that field.  Fields listed in
ADVISORY are never failures.  docs/DIFFERENTIAL.md explains each table.

Standard library only.
"""

import argparse
import calendar
import json
import re
import sys
import time

# ------------------------------------------------------------ tables

# Units: every spelling, lower case, to one canonical word (ipmitool's).
UNITS = {
    "degrees c": "degrees C", "c": "degrees C",
    "degrees f": "degrees F", "f": "degrees F",
    "volts": "Volts", "v": "Volts",
    "amps": "Amps", "a": "Amps",
    "watts": "Watts", "w": "Watts",
    "rpm": "RPM",
    "percent": "percent", "%": "percent",
    "discrete": "", "n/a": "", "": "", "unspecified": "",
}

# SEL and discrete-state wording: FreeIPMI's phrase (lower case, spaces
# collapsed) -> ipmitool's.  Checked on both sides after lower-casing and
# turning " - " into " ".
WORDING = {
    "power supply failure detected": "failure detected",
    "power supply input lost (ac/dc)": "power supply ac lost",
    "correctable memory error": "correctable ecc",
    "uncorrectable memory error": "uncorrectable ecc",
    "predictive failure": "predictive failure",
}

# Which reference bmcfleet follows when the two disagree on a field.
FOLLOW = {
    ("sensors", "units"): "ipmitool",
    ("sensors", "status"): "ipmitool",
    ("sensors", "state"): "ipmitool",
    ("sel", "description"): "ipmitool",
    ("sel", "severity"): "freeipmi",
    ("sel", "timestamp"): "ipmitool",
    ("fru", "mfg_date"): "ipmitool",
}

# Compared and reported, never a failure.
ADVISORY = {("sel", "severity")}

IPMITOOL_SENSOR_TYPES = [
    "Temperature", "Voltage", "Current", "Fan", "Physical Security",
    "Platform Security", "Processor", "Power Supply", "Power Unit",
    "Cooling Device", "Other", "Memory", "Drive Slot / Bay",
    "POST Memory Resize", "System Firmwares", "System Firmware Progress",
    "Event Logging Disabled", "Watchdog1", "Watchdog", "System Event",
    "Critical Interrupt", "Button", "Module / Board", "Microcontroller",
    "Add-in Card", "Chassis", "Chip Set", "Other FRU",
    "Cable / Interconnect", "Terminator", "System Boot Initiated",
    "Boot Error", "OS Boot", "OS Critical Stop", "Slot / Connector",
    "System ACPI Power State", "Watchdog2", "Platform Alert",
    "Entity Presence", "Monitor ASIC", "LAN",
    "Management Subsystem Health", "Battery", "Session Audit",
    "Version Change", "FRU State",
]

# Sensor type names: FreeIPMI's spelling -> ipmitool's, lower case.
SENSOR_TYPES = {
    "other units based sensor": "other",
    "system firmware progress": "system firmwares",
    "drive slot": "drive slot / bay",
    "cable/interconnect": "cable / interconnect",
    "module/board": "module / board",
}


def canon_units(u):
    if u is None:
        return ""
    k = " ".join(u.strip().split()).lower()
    return UNITS.get(k, u.strip())


def canon_words(s):
    if s is None:
        return None
    k = " ".join(s.replace(" - ", " ").split()).lower()
    return WORDING.get(k, k)


def canon_type(s):
    if s is None:
        return None
    k = " ".join(s.split()).lower()
    return SENSOR_TYPES.get(k, k)


def precision_of(text):
    """One unit of the last digit of a printed number."""
    m = re.match(r"^-?\d+(?:\.(\d+))?$", text.strip())
    if not m:
        return None
    return 10.0 ** -len(m.group(1) or "")


def num(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


STATUS_STATE = {"ok": "nominal", "nc": "warning", "cr": "critical",
                "nr": "critical", "na": "na"}


def ipmitool_status(s):
    s = s.strip().lower()
    if s in ("ok",):
        return "ok"
    if s in ("unc", "lnc", "nc"):
        return "nc"
    if s in ("ucr", "lcr", "cr"):
        return "cr"
    if s in ("unr", "lnr", "nr"):
        return "nr"
    return "na"  # ns, na, disabled


# ------------------------------------------------------------ ipmitool

def parse_ipmitool_sdr_elist(text):
    sensors = []
    for line in text.splitlines():
        f = [x.strip() for x in line.split("|")]
        if len(f) < 5:
            continue
        name, _num, st, _ent, rest = f[:5]
        s = {"name": name, "reading": None, "units": "", "state": None,
             "status": ipmitool_status(st), "precision": None}
        m = re.match(r"^(-?\d+(?:\.\d+)?)\s*(.*)$", rest)
        if m and st.lower() not in ("ns",):
            s["reading"] = float(m.group(1))
            s["precision"] = precision_of(m.group(1))
            s["units"] = canon_units(m.group(2))
            s["state"] = STATUS_STATE[s["status"]]
            s["kind"] = "threshold"
        elif rest in ("Event-Only",):
            s["kind"] = "event-only"
            s["status"] = "na"
            s["state"] = "na"
        elif rest == "" and st.lower() == "ok":
            # discrete, nothing asserted
            s["kind"] = "discrete"
            s["states"] = []
            s["status"] = None
        elif rest in ("No Reading", "Disabled", "Not Readable", ""):
            s["status"] = "na"
            s["state"] = "na"
        else:
            # discrete: ipmitool lists the asserted states and says "ok"
            # whatever they are, so it has no opinion on health
            s["kind"] = "discrete"
            s["states"] = sorted(canon_words(x) for x in rest.split(", "))
            s["status"] = None
        sensors.append(s)
    return {"sensors": sensors}


THR_KEYS = ("lnr", "lcr", "lnc", "unc", "ucr", "unr")


def parse_ipmitool_sensor(text):
    sensors = []
    for line in text.splitlines():
        f = [x.strip() for x in line.split("|")]
        if len(f) < 4:
            continue
        name, val, units, st = f[:4]
        s = {"name": name, "reading": None, "units": "", "state": None,
             "status": None, "precision": None}
        if units == "discrete":
            s["kind"] = "discrete"
        else:
            s["kind"] = "threshold"
            s["status"] = ipmitool_status(st)
            s["state"] = STATUS_STATE[s["status"]]
            v = num(val)
            if v is not None and s["status"] != "na":
                s["reading"] = v
                s["precision"] = precision_of(val)
            s["units"] = canon_units(units)
            thr = {}
            for k, t in zip(THR_KEYS, f[4:10]):
                if num(t) is not None:
                    thr[k] = float(t)
            s["thresholds"] = thr
        sensors.append(s)
    return {"sensors": sensors}


def parse_ipmitool_sel_elist(text):
    entries = []
    for line in text.splitlines():
        f = [x.strip() for x in line.split("|")]
        if len(f) < 2 or not re.match(r"^[0-9a-fA-F]+$", f[0]):
            continue
        e = {"id": int(f[0], 16), "timestamp": None, "sensor_type": None,
             "sensor": None, "description": None, "direction": None}
        if f[1].startswith("OEM record"):
            # "OEM record e0 | 1020..." or "OEM record c0 | MFG | DATA"
            e["oem_data"] = f[-1].lower()
            entries.append(e)
            continue
        rest = f[1:]
        if rest[0] == "Pre-Init":
            e["timestamp"] = "pre-init"
            e["pre_init_seconds"] = int(rest[1])
            rest = rest[2:]
        elif re.match(r"^\d\d/\d\d/\d\d(\d\d)?$", rest[0]):
            if rest[1].startswith("OEM record"):
                e["timestamp"] = ipmitool_time(rest[0], rest[1])
                e["oem_data"] = f[-1].lower()
                entries.append(e)
                continue
            e["timestamp"] = ipmitool_time(rest[0], rest[1])
            rest = rest[2:]
        if rest and rest[0].startswith("OEM record"):
            e["oem_data"] = f[-1].lower()
            entries.append(e)
            continue
        if len(rest) >= 3:
            e["sensor_type"], e["sensor"] = split_type_name(rest[0])
            e["sensor_type"] = canon_type(e["sensor_type"])
            # ipmitool appends an OEM suffix for some manufacturers
            # (Supermicro): "Failure detected ()" when it has nothing to
            # add.  An empty suffix says nothing; drop it.
            d = rest[1]
            if d.endswith(" ()"):
                d = d[:-3]
            e["description"] = canon_words(d)
            e["direction"] = rest[2].lower()
            if len(rest) > 3:
                m = re.match(r"^Reading (-?[\d.]+) [<>] Threshold "
                             r"(-?[\d.]+)", rest[3])
                if m:
                    e["reading"] = float(m.group(1))
                    e["threshold"] = float(m.group(2))
                    e["precision"] = max(precision_of(m.group(1)),
                                         precision_of(m.group(2)))
        entries.append(e)
    return {"entries": entries}


def ipmitool_time(d, t):
    t = t.replace(" UTC", "").strip()
    for fmt in ("%m/%d/%y %H:%M:%S", "%m/%d/%Y %H:%M:%S"):
        try:
            tm = time.strptime(d + " " + t, fmt)
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", tm)
        except ValueError:
            pass
    return d + " " + t


def split_type_name(s):
    """'Power Supply PSU1 Status' -> ('Power Supply', 'PSU1 Status')."""
    for t in sorted(IPMITOOL_SENSOR_TYPES, key=len, reverse=True):
        if s == t:
            return t, None
        if s.startswith(t + " "):
            name = s[len(t) + 1:]
            if name.startswith("#0x"):
                return t, None
            return t, name
    return None, s


def parse_ipmitool_fru(text):
    devs = []
    cur = None
    keys = {
        "Chassis Type": ("chassis", "type"),
        "Chassis Part Number": ("chassis", "part_number"),
        "Chassis Serial": ("chassis", "serial"),
        "Chassis Extra": ("chassis", "custom"),
        "Board Mfg Date": ("board", "mfg_date"),
        "Board Mfg": ("board", "manufacturer"),
        "Board Product": ("board", "product"),
        "Board Serial": ("board", "serial"),
        "Board Part Number": ("board", "part_number"),
        "Board FRU ID": ("board", "fru_file_id"),
        "Board Extra": ("board", "custom"),
        "Product Manufacturer": ("product", "manufacturer"),
        "Product Name": ("product", "name"),
        "Product Part Number": ("product", "part_number"),
        "Product Version": ("product", "version"),
        "Product Serial": ("product", "serial"),
        "Product Asset Tag": ("product", "asset_tag"),
        "Product FRU ID": ("product", "fru_file_id"),
        "Product Extra": ("product", "custom"),
    }
    for line in text.splitlines():
        if ":" not in line:
            continue
        k, v = line.split(":", 1)
        k, v = k.strip(), v.strip()
        if k == "FRU Device Description":
            m = re.search(r"\(ID (\d+)\)", v)
            cur = {"id": int(m.group(1)) if m else None, "chassis": {},
                   "board": {}, "product": {}}
            devs.append(cur)
            continue
        if cur is None or k not in keys:
            continue
        area, field = keys[k]
        if field == "mfg_date":
            v = ipmitool_fru_date(v)
        put_field(cur[area], field, v)
    return {"fru": devs}


def put_field(area, field, v):
    if field == "custom":
        area.setdefault("custom", []).append(v)
    elif v != "":
        area[field] = v


def ipmitool_fru_date(v):
    # "Fri Mar 15 12:30:00 2024 UTC" (ipmitool 1.8.19: local time zone)
    v = v.replace(" UTC", "").strip()
    try:
        tm = time.strptime(v, "%a %b %d %H:%M:%S %Y")
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", tm)
    except ValueError:
        return v


# ------------------------------------------------------------ FreeIPMI

def csv_fields(line):
    # FreeIPMI's CSV has no quoting; the last column (the event) may
    # itself hold commas only in OEM text, so split at most n times.
    return [x.strip() for x in line.split(",")]


FREEIPMI_EVENT_STATUS = [
    ("non-recoverable", "nr"), ("non-critical", "nc"), ("critical", "cr"),
]


def parse_ipmi_sensors(text):
    sensors = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("ID,"):
            continue
        f = csv_fields(line)
        if len(f) >= 13:
            sid, name, stype, state, reading, units = f[:6]
            thr = f[6:12]
            event = ",".join(f[12:])
        elif len(f) >= 7:
            sid, name, stype, state, reading, units = f[:6]
            thr = None
            event = ",".join(f[6:])
        else:
            continue
        s = {"name": name, "reading": None, "units": "",
             "state": state.lower() if state != "N/A" else "na",
             "status": None, "precision": None}
        events = re.findall(r"'([^']*)'", event)
        if reading != "N/A":
            s["kind"] = "threshold"
            s["reading"] = float(reading)
            s["precision"] = precision_of(reading)
            s["units"] = canon_units(units)
            st = "ok"
            for ev in events:
                evl = ev.lower()
                for word, code in FREEIPMI_EVENT_STATUS:
                    if word in evl:
                        if rank(code) > rank(st):
                            st = code
                        break
            s["status"] = st
            if thr is not None:
                s["thresholds"] = {k: float(t) for k, t in
                                   zip(THR_KEYS, thr) if num(t) is not None}
        elif units == "N/A" and state != "N/A" and \
                not any("threshold" in e.lower() for e in events):
            s["kind"] = "discrete"
            s["states"] = sorted(canon_words(x) for x in events
                                 if x != "OK")
        else:
            s["status"] = "na"
            s["state"] = "na"
        sensors.append(s)
    return {"sensors": sensors}


def rank(code):
    return {"ok": 0, "nc": 1, "cr": 2, "nr": 3}.get(code, -1)


FREEIPMI_SEVERITY = {"nominal": "info", "warning": "warning",
                     "critical": "critical"}


def parse_ipmi_sel(text):
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("ID,"):
            continue
        f = csv_fields(line)
        if len(f) < 8 or not f[0].isdigit():
            continue
        rid, date, tod, name, stype, state, direction = f[:7]
        event = ",".join(f[7:])
        e = {"id": int(rid), "timestamp": None, "sensor_type": None,
             "sensor": None, "description": None, "direction": None}
        if date == "PostInit":
            e["timestamp"] = "pre-init"
        elif date != "N/A":
            try:
                tm = time.strptime(date + " " + tod, "%b-%d-%Y %H:%M:%S")
                e["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", tm)
            except ValueError:
                e["timestamp"] = date + " " + tod
        if event.startswith("OEM defined = "):
            e["oem_data"] = "".join(
                b[:2] for b in event[len("OEM defined = "):].split()).lower()
            entries.append(e)
            continue
        e["sensor"] = None if name == "N/A" else name
        e["sensor_type"] = canon_type(stype) if stype != "N/A" else None
        if state != "N/A":
            e["severity"] = FREEIPMI_SEVERITY.get(state.lower(),
                                                  state.lower())
        e["direction"] = {"assertion event": "asserted",
                          "deassertion event": "deasserted"}.get(
                              direction.lower(), direction.lower())
        parts = [p.strip() for p in event.split(" ; ")]
        e["description"] = canon_words(parts[0])
        for p in parts[1:]:
            m = re.match(r"^Sensor Reading = (-?[\d.]+)", p)
            if m:
                e["reading"] = float(m.group(1))
                e["precision"] = precision_of(m.group(1))
            m = re.match(r"^Threshold = (-?[\d.]+)", p)
            if m:
                e["threshold"] = float(m.group(1))
        entries.append(e)
    return {"entries": entries}


def parse_ipmi_fru(text):
    devs = []
    cur = None
    area_of_file_id = None
    keys = {
        "FRU Chassis Type": ("chassis", "type"),
        "FRU Chassis Part Number": ("chassis", "part_number"),
        "FRU Chassis Serial Number": ("chassis", "serial"),
        "FRU Chassis Custom Info": ("chassis", "custom"),
        "FRU Board Manufacturing Date/Time": ("board", "mfg_date"),
        "FRU Board Manufacturer": ("board", "manufacturer"),
        "FRU Board Product Name": ("board", "product"),
        "FRU Board Serial Number": ("board", "serial"),
        "FRU Board Part Number": ("board", "part_number"),
        "FRU Board Custom Info": ("board", "custom"),
        "FRU Product Manufacturer Name": ("product", "manufacturer"),
        "FRU Product Name": ("product", "name"),
        "FRU Product Part/Model Number": ("product", "part_number"),
        "FRU Product Version": ("product", "version"),
        "FRU Product Serial Number": ("product", "serial"),
        "FRU Product Asset Tag": ("product", "asset_tag"),
        "FRU Product Custom Info": ("product", "custom"),
    }
    for line in text.splitlines():
        if ":" not in line:
            continue
        k, v = line.split(":", 1)
        k, v = k.strip(), v.strip()
        if k == "FRU Inventory Device":
            m = re.search(r"\(ID ([0-9A-Fa-f]+)h\)", v)
            cur = {"id": int(m.group(1), 16) if m else None, "chassis": {},
                   "board": {}, "product": {}}
            devs.append(cur)
            continue
        if cur is None:
            continue
        if k in keys:
            area, field = keys[k]
            area_of_file_id = area
            if field == "mfg_date":
                v = freeipmi_fru_date(v)
            put_field(cur[area], field, v)
        elif k == "FRU FRU File ID" and area_of_file_id in ("board",
                                                            "product"):
            put_field(cur[area_of_file_id], "fru_file_id", v)
        elif k == "FRU Power Supply Overall Capacity":
            cur.setdefault("multirecords", []).append(
                {"type": 0, "capacity_w": int(v.split()[0])})
        elif k == "FRU Power Supply Peak Capacity" and \
                cur.get("multirecords"):
            cur["multirecords"][-1]["peak_w"] = int(v.split()[0])
    return {"fru": devs}


def freeipmi_fru_date(v):
    # "03/15/24 - 12:30:00" (local time zone)
    try:
        tm = time.strptime(v, "%m/%d/%y - %H:%M:%S")
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", tm)
    except ValueError:
        return v


# ------------------------------------------------------------ bmcfleet

def pick_host(doc, host):
    if isinstance(doc, dict):
        doc = [doc]
    for h in doc:
        if host is None or h.get("host") == host:
            if not h.get("ok", True):
                raise SystemExit("refnorm: host %r not ok: %s" %
                                 (h.get("host"), h.get("error")))
            return h
    raise SystemExit("refnorm: host %r not in bmcfleet output" % host)


def norm_bmcfleet_sensors(doc, host):
    out = []
    for s in pick_host(doc, host).get("sensors", []):
        n = {"name": s.get("name"), "reading": s.get("reading"),
             "units": canon_units(s.get("units")),
             "state": s.get("state"), "status": s.get("status"),
             "resolution": s.get("resolution"),
             "kind": s.get("kind")}
        if s.get("thresholds") is not None:
            n["thresholds"] = {k: v for k, v in s["thresholds"].items()
                               if v is not None}
        if s.get("states") is not None:
            n["states"] = sorted(canon_words(x) for x in s["states"])
        out.append(n)
    return {"sensors": out}


def norm_bmcfleet_sel(doc, host):
    out = []
    for e in pick_host(doc, host).get("entries", []):
        n = {"id": e.get("id"), "sensor_type": canon_type(
            e.get("sensor_type")), "sensor": e.get("sensor"),
            "description": canon_words(e.get("description")),
            "direction": e.get("direction"), "severity": e.get("severity")}
        ts = e.get("timestamp")
        if e.get("pre_init"):
            n["timestamp"] = "pre-init"
            n["pre_init_seconds"] = ts
        elif ts is not None:
            n["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                           time.gmtime(ts))
        else:
            n["timestamp"] = None
        rt = e.get("record_type", 2)
        raw = (e.get("raw") or "").lower()
        if rt >= 0xC0 and len(raw) == 32:
            # C0h-DFh: 6 OEM bytes after timestamp and manufacturer ID;
            # E0h-FFh: 13 OEM bytes after the record type
            n["oem_data"] = raw[20:] if rt < 0xE0 else raw[6:]
            for k in ("sensor_type", "sensor", "description",
                      "direction", "severity"):
                n[k] = None
        out.append(n)
    return {"entries": out}


def norm_bmcfleet_fru(doc, host):
    out = []
    for d in pick_host(doc, host).get("fru", []):
        n = {"id": d.get("id")}
        for area in ("chassis", "board", "product"):
            a = d.get(area) or {}
            n[area] = {k: v for k, v in a.items()
                       if v is not None and v != "" and
                       (k != "custom" or v)}
        mrs = []
        for m in d.get("multirecords") or []:
            if m.get("type") == 0:
                mrs.append({k: m[k] for k in ("type", "capacity_w",
                                              "peak_w") if k in m})
        if mrs:
            n["multirecords"] = mrs
        out.append(n)
    return {"fru": out}


# ------------------------------------------------------------ compare

class Cmp:
    def __init__(self, what, names, disputed, report_only):
        self.what = what
        self.ref_name, self.ours_name = names
        self.disputed = disputed
        self.report_only = report_only
        self.failures = 0
        self.notes = 0
        self.keys = []

    def bad(self, key, field, msg):
        fkey = "%s:%s:%s" % (self.what, key, field)
        self.keys.append(fkey)
        pol = FOLLOW.get((self.what, field))
        if self.report_only:
            print("%s: %s" % (self.what, msg))
            return
        if (self.what, field) in ADVISORY:
            print("%s: note: %s (advisory field)" % (self.what, msg))
            self.notes += 1
        elif fkey in self.disputed and pol != self.ref_name:
            print("%s: note: %s (ipmitool and FreeIPMI disagree here; "
                  "see docs/DIFFERENTIAL.md)" % (self.what, msg))
            self.notes += 1
        else:
            print("%s: %s" % (self.what, msg))
            self.failures += 1


def fmtv(v):
    return repr(v) if isinstance(v, str) else str(v)


def cmp_value(c, key, field, a, b, tol=None, tol_text=""):
    """a: reference value, b: ours."""
    if a is None:
        return
    if b is None and c.report_only:
        # comparing two references: a field one of them does not print
        # is not a disagreement
        return
    if isinstance(a, float) or isinstance(b, float):
        if b is None:
            c.bad(key, field, "%s: %s %s vs missing" % (key, field, a))
        elif abs(a - b) > (tol or 0) + 1e-9:
            c.bad(key, field, "%s: %s %s vs %s (%s)" %
                  (key, field, a, b, tol_text))
        return
    if a != b:
        c.bad(key, field, "%s: %s %s vs %s" %
              (key, field, fmtv(a), fmtv(b)))


def tolerance(ref, ours):
    """How far apart two printings of one reading may be.

    A printed value is off by up to half its last digit from the true one,
    and a reading taken a moment later may differ by one raw count (one
    resolution step: bmcsim's readings drift by at most one count between
    30 s windows, and real sensors move too).  So: one resolution step
    plus half the coarser printed digit.
    """
    res = abs(ours.get("resolution") or 0)
    p = max(ref.get("precision") or 0, ours.get("precision") or 0)
    if not res and not p:
        return 0.0, "exact"
    why = []
    if res:
        why.append("resolution %s" % res)
    if p:
        why.append("half of last printed digit %s" % p)
    return res + p / 2 + 1e-9, " + ".join(why)


def compare_sensors(c, ref, ours):
    om = {s["name"]: s for s in ours["sensors"]}
    for r in ref["sensors"]:
        name = r["name"]
        key = "'%s'" % name
        o = om.get(name)
        if o is None:
            c.bad(key, "present", "%s: missing in %s" % (key, c.ours_name))
            continue
        tol, why = tolerance(r, o)
        if r.get("reading") is not None or o.get("reading") is not None:
            if r.get("reading") is None and c.report_only:
                pass
            elif r.get("reading") is None:
                c.bad(key, "reading", "%s: reading none vs %s" %
                      (key, o.get("reading")))
            else:
                cmp_value(c, key, "reading", r["reading"], o.get("reading"),
                          tol, why)
        if r.get("kind") == "threshold" or o.get("kind") == "threshold":
            cmp_value(c, key, "units", r.get("units"), o.get("units"))
        cmp_value(c, key, "status", r.get("status"), o.get("status"))
        cmp_value(c, key, "state", r.get("state"), o.get("state"))
        if r.get("states") is not None:
            cmp_value(c, key, "states", ", ".join(r["states"]),
                      ", ".join(o["states"]) if o.get("states") is not None
                      else None if c.report_only else "")
        for k, v in (r.get("thresholds") or {}).items():
            ov = (o.get("thresholds") or {}).get(k)
            cmp_value(c, key, "threshold " + k, v, ov, tol, why)


def compare_sel(c, ref, ours):
    om = {e["id"]: e for e in ours["entries"]}
    for r in ref["entries"]:
        key = "entry %d" % r["id"]
        o = om.get(r["id"])
        if o is None:
            c.bad(key, "present", "%s: missing in %s" % (key, c.ours_name))
            continue
        for f in ("timestamp", "sensor_type", "sensor", "description",
                  "direction", "oem_data", "severity", "pre_init_seconds"):
            if f in r and f in o:
                cmp_value(c, key, f, r[f], o[f])
            elif f in r and r[f] is not None and f not in o and \
                    not c.report_only:
                c.bad(key, f, "%s: %s %s vs missing" % (key, f,
                                                       fmtv(r[f])))
        for f in ("reading", "threshold"):
            if f in r and f in o:
                p = max(r.get("precision") or 0, o.get("precision") or 0)
                cmp_value(c, key, f, r[f], o[f], p,
                          "last printed digit %s" % p)


def compare_fru(c, ref, ours):
    om = {d["id"]: d for d in ours["fru"]}
    for r in ref["fru"]:
        key = "fru %s" % r["id"]
        o = om.get(r["id"])
        if o is None:
            c.bad(key, "present", "%s: missing in %s" % (key, c.ours_name))
            continue
        for area in ("chassis", "board", "product"):
            ra, oa = r.get(area) or {}, o.get(area) or {}
            for f, v in ra.items():
                fk = "%s.%s" % (area, f)
                if f == "custom":
                    cmp_value(c, key, fk, json.dumps(v),
                              json.dumps(oa.get(f, [])))
                elif f not in oa and c.report_only:
                    continue
                elif f not in oa:
                    c.bad(key, f if f == "mfg_date" else fk,
                          "%s: %s %r vs missing" % (key, fk, v))
                else:
                    cmp_value(c, key, f if f == "mfg_date" else fk, v,
                              oa[f])
        rm, omr = r.get("multirecords"), o.get("multirecords")
        if rm is not None and (omr is not None or not c.report_only):
            cmp_value(c, key, "multirecords", json.dumps(rm, sort_keys=True),
                      json.dumps(omr, sort_keys=True))


def cmd_compare(a):
    with open(a.ref) as f:
        ref = json.load(f)
    with open(a.ours) as f:
        ours = json.load(f)
    disputed = set()
    if a.disputed:
        with open(a.disputed) as f:
            disputed = {l.strip() for l in f if l.strip()}
    names = (a.names.split(",") + ["ref", "ours"])[:2]
    c = Cmp(a.what, names, disputed, a.report_only)
    {"sensors": compare_sensors, "sel": compare_sel,
     "fru": compare_fru}[a.what](c, ref, ours)
    if a.record_disputed:
        with open(a.record_disputed, "a") as f:
            for k in c.keys:
                f.write(k + "\n")
    if a.report_only:
        print("%s: %s vs %s: %d difference(s)" %
              (a.what, names[0], names[1], len(c.keys)))
        return 0
    print("%s: %s vs %s: %d mismatch(es), %d note(s)" %
          (a.what, names[0], names[1], c.failures, c.notes))
    return 1 if c.failures else 0


PARSERS = {
    "ipmitool-sdr-elist": parse_ipmitool_sdr_elist,
    "ipmitool-sensor": parse_ipmitool_sensor,
    "ipmi-sensors": parse_ipmi_sensors,
    "ipmitool-sel-elist": parse_ipmitool_sel_elist,
    "ipmi-sel": parse_ipmi_sel,
    "ipmitool-fru": parse_ipmitool_fru,
    "ipmi-fru": parse_ipmi_fru,
}

BMCFLEET = {
    "bmcfleet-sensors": norm_bmcfleet_sensors,
    "bmcfleet-sel": norm_bmcfleet_sel,
    "bmcfleet-fru": norm_bmcfleet_fru,
}


def main(argv):
    ap = argparse.ArgumentParser(prog="refnorm.py")
    sub = ap.add_subparsers(dest="mode", required=True)
    for m in PARSERS:
        sub.add_parser(m)
    for m in BMCFLEET:
        p = sub.add_parser(m)
        p.add_argument("--host")
    p = sub.add_parser("compare")
    p.add_argument("--what", choices=("sensors", "sel", "fru"),
                   required=True)
    p.add_argument("--names", default="ref,ours",
                   help="REF,OURS names for messages and FOLLOW: ipmitool, "
                   "freeipmi, bmcfleet")
    p.add_argument("--disputed")
    p.add_argument("--record-disputed")
    p.add_argument("--report-only", action="store_true")
    p.add_argument("ref")
    p.add_argument("ours")
    a = ap.parse_args(argv)
    if a.mode == "compare":
        return cmd_compare(a)
    text = sys.stdin.read()
    if a.mode in PARSERS:
        doc = PARSERS[a.mode](text)
    else:
        doc = BMCFLEET[a.mode](json.loads(text), a.host)
    json.dump(doc, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
