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

Every document names its parser ("tool").  ipmitool-sdr-elist sets FRU
and MC device locator records aside ("locators"): they are not sensors,
and neither FreeIPMI nor bmcfleet lists them.

    refnorm.py compare --what sensors|sel|fru [--names A,B]
                       [--report-only] REF.json OURS.json
    refnorm.py verify --what sensors|sel|fru --source SOURCE
                      --disputes tests/interop/disputes.txt
                      --counts tests/interop/counts.txt [--expect KIND=N]
                      --ipmitool NAME=FILE [--ipmitool NAME=FILE]
                      --freeipmi NAME=FILE [--ours FILE]

Run the tools with TZ=UTC: both print local time.

compare matches sensors by name, SEL entries by record ID and FRU devices
by ID, then checks every field present in REF: a reading within
OURS.resolution, or one unit of the last digit either side printed, or
the tolerance the SEL threshold values need; units, states and
descriptions through the equivalence tables below.  Mismatches print as

    sensors: 'CPU Temp': reading 45.0 vs 47.0 (resolution 1.0)

and make the exit status 1 (--report-only: 0; for a look by hand).

verify is the test oracle (docs/DIFFERENTIAL.md).  SOURCE names what was
read (bmcsim:MODEL, ipmi_sim:data.emu); it selects lines of both files.
It fails, exit status 1, when

  1. any document (each reference's, bmcfleet's) lists a number of
     sensors, event-only records, SEL entries, FRU devices or FRU fields
     other than the one --counts gives for SOURCE (or --expect), or zero;
  2. ipmitool and FreeIPMI disagree on a field and no line of --disputes
     lists that disagreement, both values exactly;
  3. bmcfleet disagrees with a reference on a field the two references
     agree on (or only one prints), or on a disputed field disagrees with
     the reference the line says bmcfleet follows (either: with both).
     SEL severity is compared with FreeIPMI's, except that a deassertion
     bmcfleet calls info is a note (docs/NOTES.md: every deassertion is
     info).  A reference compared over zero items or fields fails.

PLANT_FAULT (a comma list) plants a fault, to show that verify fails:

    reading          bmcfleet's reading of sensor '12V' (else the first
                     threshold sensor with a reading) becomes 99.0
    empty-ref        the FreeIPMI parsers (ipmi-sensors, ipmi-sel,
                     ipmi-fru) read nothing, as if the tool printed nothing
    empty-ref:MODE   the same for one parser, e.g. empty-ref:ipmitool-sensor
    dispute          in verify, bmcfleet's value of the first disputed
                     field (but 'present') becomes one neither reference has
    ref-reading      FreeIPMI's reading of '12V' (else the first with a
                     reading) grows by 0.5: a disagreement between the
                     references that disputes.txt does not list
    sel-reading      bmcfleet's first SEL trigger reading grows by 7
    severity         bmcfleet's first asserted critical SEL entry says info

e.g. PLANT_FAULT=reading DATA_WHAT=sensors O=build \
        bash tests/interop/data-vs-ipmi_sim.sh      (must fail)

Standard library only.
"""

import argparse
import calendar
import fnmatch
import json
import os
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
    locators = []
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
        elif re.match(r"^(Logical|Physical) FRU @|^(Dynamic|Static) MC @",
                      rest):
            # FRU and MC device locators: records, not sensors; FreeIPMI
            # and bmcfleet do not list them
            locators.append(name)
            continue
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
    return {"tool": "ipmitool-sdr-elist", "sensors": sensors,
            "locators": locators}


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
    return {"tool": "ipmitool-sensor", "sensors": sensors}


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
    return {"tool": "ipmitool-sel-elist", "entries": entries}


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
    return {"tool": "ipmitool-fru", "fru": devs}


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
    return {"tool": "ipmi-sensors", "sensors": sensors}


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
    return {"tool": "ipmi-sel", "entries": entries}


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
    return {"tool": "ipmi-fru", "fru": devs}


def freeipmi_fru_date(v):
    # "03/15/24 - 12:30:00" (local time zone)
    try:
        tm = time.strptime(v, "%m/%d/%y - %H:%M:%S")
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", tm)
    except ValueError:
        return v


# ------------------------------------------------------------ planted faults

def planted(what):
    """The faults PLANT_FAULT asks for (a comma list), see the header."""
    want = [x.strip() for x in os.environ.get("PLANT_FAULT", "").split(",")
            if x.strip()]
    return [x for x in want if x == what or x.startswith(what + ":")]


def plant_note(msg):
    sys.stderr.write("refnorm: PLANT_FAULT: %s\n" % msg)


def plant_empty_ref(mode, text):
    """empty-ref[:MODE]: a reference tool that printed nothing."""
    for p in planted("empty-ref"):
        target = p.split(":", 1)[1] if ":" in p else None
        if target == mode or (target is None and mode.startswith("ipmi-")):
            plant_note("%s: the tool's output replaced by nothing" % mode)
            return ""
    return text


def plant_ref(mode, doc):
    """ref-reading: FreeIPMI disagrees with ipmitool on a reading."""
    if mode == "ipmi-sensors" and planted("ref-reading"):
        cand = [x for x in doc["sensors"] if x.get("reading") is not None]
        for x in [x for x in cand if x["name"] == "12V"] or cand[:1]:
            plant_note("ipmi-sensors: '%s' reading %s -> %s" %
                       (x["name"], x["reading"], x["reading"] + 0.5))
            x["reading"] += 0.5


def plant_bmcfleet(mode, h):
    """reading, sel-reading, severity: one value in bmcfleet's JSON."""
    if mode == "bmcfleet-sensors" and planted("reading"):
        cand = [s for s in h.get("sensors", [])
                if s.get("kind") == "threshold" and
                s.get("reading") is not None]
        pick = [s for s in cand if s.get("name") == "12V"] or cand[:1]
        for s in pick:
            plant_note("'%s' reading %s -> 99.0" % (s["name"], s["reading"]))
            s["reading"] = 99.0
    if mode == "bmcfleet-sel" and planted("sel-reading"):
        for e in h.get("entries", []):
            if e.get("reading") is not None:
                plant_note("entry %d trigger reading %s -> %s" %
                           (e["id"], e["reading"], e["reading"] + 7))
                e["reading"] = e["reading"] + 7
                break
    if mode == "bmcfleet-sel" and planted("severity"):
        for e in h.get("entries", []):
            if e.get("direction") == "asserted" and \
                    e.get("severity") == "critical":
                plant_note("entry %d severity critical -> info" % e["id"])
                e["severity"] = "info"
                break


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


def norm_bmcfleet_sensors(h):
    out = []
    for s in h.get("sensors", []):
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
    return {"tool": "bmcfleet-sensors", "sensors": out}


def norm_bmcfleet_sel(h):
    out = []
    for e in h.get("entries", []):
        n = {"id": e.get("id"), "sensor_type": canon_type(
            e.get("sensor_type")), "sensor": e.get("sensor"),
            "description": canon_words(e.get("description")),
            "direction": e.get("direction"), "severity": e.get("severity")}
        # the trigger reading and threshold, converted through the
        # sensor's SDR (absent when bmcfleet has no full record for it)
        for k in ("reading", "threshold"):
            if e.get(k) is not None:
                n[k] = float(e[k])
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
    return {"tool": "bmcfleet-sel", "entries": out}


def norm_bmcfleet_fru(h):
    out = []
    for d in h.get("fru", []):
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
    return {"tool": "bmcfleet-fru", "fru": out}


# ------------------------------------------------------------ compare

def vstr(v):
    """A compared value as the disputes file spells it."""
    if v is None:
        return "none"
    if isinstance(v, float):
        return repr(v)
    return str(v)


class Cmp:
    """One pass of REF against OURS: every mismatch is recorded as
    (item, field, ref value, ours value, message); notes are printed."""

    def __init__(self, what, names, report_only):
        self.what = what
        self.ref_name, self.ours_name = names
        self.report_only = report_only
        self.recs = []
        self.notes = []
        self.items = 0		# REF items found in OURS
        self.fields = 0		# fields compared

    def bad(self, key, field, msg, a=None, b=None):
        self.recs.append((key, field, vstr(a), vstr(b), msg))

    def note(self, msg):
        self.notes.append("note: %s" % msg)


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
    c.fields += 1
    if isinstance(a, float) or isinstance(b, float):
        if b is None:
            c.bad(key, field, "%s: %s %s vs missing" % (key, field, a),
                  a, None)
        elif abs(a - b) > (tol or 0) + 1e-9:
            c.bad(key, field, "%s: %s %s vs %s (%s)" %
                  (key, field, a, b, tol_text), a, b)
        return
    if a != b:
        c.bad(key, field, "%s: %s %s vs %s" %
              (key, field, fmtv(a), fmtv(b)), a, b)


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
        key = name
        o = om.get(name)
        if o is None:
            c.bad(key, "present", "'%s': missing in %s" %
                  (key, c.ours_name), r.get("kind") or "listed", "absent")
            continue
        c.items += 1
        key_q = "'%s'" % name
        tol, why = tolerance(r, o)
        if r.get("reading") is not None or o.get("reading") is not None:
            if r.get("reading") is None and c.report_only:
                pass
            elif r.get("reading") is None:
                c.fields += 1
                c.bad(key, "reading", "%s: reading none vs %s" %
                      (key_q, o.get("reading")), None, o.get("reading"))
            else:
                cmp_q(c, key, key_q, "reading", r["reading"],
                      o.get("reading"), tol, why)
        if r.get("kind") == "threshold" or o.get("kind") == "threshold":
            cmp_q(c, key, key_q, "units", r.get("units"), o.get("units"))
        cmp_q(c, key, key_q, "status", r.get("status"), o.get("status"))
        cmp_q(c, key, key_q, "state", r.get("state"), o.get("state"))
        if r.get("states") is not None:
            cmp_q(c, key, key_q, "states", ", ".join(r["states"]),
                  ", ".join(o["states"]) if o.get("states") is not None
                  else None if c.report_only else "")
        for k, v in (r.get("thresholds") or {}).items():
            ov = (o.get("thresholds") or {}).get(k)
            cmp_q(c, key, key_q, "threshold " + k, v, ov, tol, why)


def cmp_q(c, key, key_q, field, a, b, tol=None, tol_text=""):
    """cmp_value with the item quoted in messages ('CPU Temp')."""
    n = len(c.recs)
    cmp_value(c, key_q, field, a, b, tol, tol_text)
    for i in range(n, len(c.recs)):
        k, f, av, bv, m = c.recs[i]
        c.recs[i] = (key, f, av, bv, m)


def compare_sel(c, ref, ours):
    om = {e["id"]: e for e in ours["entries"]}
    for r in ref["entries"]:
        key = "entry %d" % r["id"]
        o = om.get(r["id"])
        if o is None:
            c.bad(key, "present", "%s: missing in %s" % (key, c.ours_name),
                  "listed", "absent")
            continue
        c.items += 1
        for f in ("timestamp", "sensor_type", "sensor", "description",
                  "direction", "oem_data", "severity", "pre_init_seconds"):
            if f == "severity" and not c.report_only and \
                    r.get(f) is not None and \
                    o.get("direction") == "deasserted":
                # docs/NOTES.md: every deassertion is info in bmcfleet;
                # FreeIPMI grades some (a deasserted "Lower Critical
                # going low" is a warning to it)
                c.fields += 1
                if o.get(f) != "info":
                    c.bad(key, f, "%s: severity %s of a deassertion, not "
                          "info (docs/NOTES.md)" % (key, fmtv(o.get(f))),
                          r[f], o.get(f))
                elif r[f] != "info":
                    c.note("%s: severity %s vs info: a deassertion, info "
                           "by design (docs/NOTES.md)" % (key, fmtv(r[f])))
                continue
            if f in r and f in o:
                cmp_value(c, key, f, r[f], o[f])
            elif f in r and r[f] is not None and f not in o and \
                    not c.report_only:
                c.fields += 1
                c.bad(key, f, "%s: %s %s vs missing" % (key, f,
                                                       fmtv(r[f])),
                      r[f], None)
        for f in ("reading", "threshold"):
            if f in r and (f in o or not c.report_only):
                p = max(r.get("precision") or 0, o.get("precision") or 0)
                cmp_value(c, key, f, r[f], o.get(f), p,
                          "last printed digit %s" % p)


def compare_fru(c, ref, ours):
    om = {d["id"]: d for d in ours["fru"]}
    for r in ref["fru"]:
        key = "fru %s" % r["id"]
        o = om.get(r["id"])
        if o is None:
            c.bad(key, "present", "%s: missing in %s" % (key, c.ours_name),
                  "listed", "absent")
            continue
        c.items += 1
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
                    c.fields += 1
                    c.bad(key, fk, "%s: %s %r vs missing" % (key, fk, v),
                          v, None)
                else:
                    cmp_value(c, key, fk, v, oa[f])
        rm, omr = r.get("multirecords"), o.get("multirecords")
        if rm is not None and (omr is not None or not c.report_only):
            cmp_value(c, key, "multirecords", json.dumps(rm, sort_keys=True),
                      json.dumps(omr, sort_keys=True))


COMPARE = {"sensors": compare_sensors, "sel": compare_sel,
           "fru": compare_fru}


def load_json(path):
    with open(path) as f:
        return json.load(f)


def cmd_compare(a):
    """Two documents, every difference printed (exit 1 on any unless
    --report-only)."""
    ref, ours = load_json(a.ref), load_json(a.ours)
    names = (a.names.split(",") + ["ref", "ours"])[:2]
    c = Cmp(a.what, names, a.report_only)
    COMPARE[a.what](c, ref, ours)
    for r in c.recs:
        print("%s: %s" % (a.what, r[4]))
    for n in c.notes:
        print(n)
    print("%s: %s vs %s: %d item(s), %d field(s) compared, %d "
          "difference(s)" % (a.what, names[0], names[1], c.items, c.fields,
                             len(c.recs)))
    return 0 if a.report_only or not c.recs else 1


# ------------------------------------------------------------ verify

def read_table(path, nfields, what):
    """Lines of NFIELDS '|'-separated fields; '#' starts a comment line."""
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            v = [x.strip() for x in line.rstrip("\n").split("|")]
            if len(v) != nfields or not all(v):
                raise SystemExit("refnorm: %s:%d: expected %d non-empty "
                                 "fields separated by '|' (%s)" %
                                 (path, n, nfields, what))
            rows.append((n, v))
    return rows


def load_disputes(path):
    rules = []
    for n, v in read_table(path, 8, "source | what | item | field | "
                           "ipmitool | freeipmi | follow | reason"):
        if v[6] not in ("ipmitool", "freeipmi", "either"):
            raise SystemExit("refnorm: %s:%d: follow must be ipmitool, "
                             "freeipmi or either" % (path, n))
        rules.append({"line": n, "source": v[0], "what": v[1],
                      "item": v[2], "field": v[3], "ipmitool": v[4],
                      "freeipmi": v[5], "follow": v[6], "reason": v[7]})
    return rules


def load_counts(path, source, overrides):
    exp = {}
    for n, v in read_table(path, 4, "source | kind | count | how"):
        if fnmatch.fnmatchcase(source, v[0]) and v[1] not in exp:
            exp[v[1]] = v[2]
    for o in overrides or []:
        k, _, n = o.partition("=")
        exp[k] = n
    return exp


# what each normalized document is counted by: kind -> items of it
def count_kinds(what, doc):
    tool = doc.get("tool", "")
    if what == "sensors":
        ss = doc["sensors"]
        out = {"sensors": sum(1 for s in ss if s.get("kind") in
                              ("threshold", "discrete"))}
        if tool in ("ipmitool-sdr-elist", "bmcfleet-sensors"):
            out["event-only"] = sum(1 for s in ss
                                    if s.get("kind") == "event-only")
        return out
    if what == "sel":
        return {"sel": len(doc["entries"])}
    # fru: the devices, and the fields both references print (the FRU
    # file ID and multirecords are FreeIPMI's only)
    nf = 0
    for d in doc["fru"]:
        for area in ("chassis", "board", "product"):
            for k, v in (d.get(area) or {}).items():
                if k == "custom":
                    nf += len(v)
                elif k != "fru_file_id":
                    nf += 1
    return {"fru-devices": len(doc["fru"]), "fru-fields": nf}


def natural(kv):
    """Sort key: "entry 9" before "entry 10"."""
    (k, f) = kv[0]
    return ([int(x) if x.isdigit() else x for x in re.split(r"(\d+)", k)],
            f)


def find_rule(rules, source, what, item, field, iv, fv):
    for r in rules:
        if r["what"] == what and r["ipmitool"] == iv and \
                r["freeipmi"] == fv and \
                fnmatch.fnmatchcase(source, r["source"]) and \
                fnmatch.fnmatchcase(item, r["item"]) and \
                fnmatch.fnmatchcase(field, r["field"]):
            return r
    return None


def plant_dispute(what, ours, disputes):
    """PLANT_FAULT=dispute: bmcfleet agrees with neither reference on the
    first disputed field (not 'present')."""
    for (item, field), _ in sorted(disputes.items(), key=natural):
        if field == "present":
            continue
        bad = "planted-neither"
        if what == "sensors":
            for s in ours["sensors"]:
                if s["name"] == item:
                    if field == "states":
                        s["states"] = [bad]
                    elif field.startswith("threshold "):
                        s.setdefault("thresholds", {})[field[10:]] = -999.0
                    elif field == "reading":
                        s["reading"] = -999.0
                    else:
                        s[field] = bad
                    break
            else:
                continue
        elif what == "sel":
            e = [x for x in ours["entries"] if "entry %d" % x["id"] == item]
            if not e:
                continue
            e[0][field] = -999.0 if field in ("reading", "threshold") \
                else bad
        else:
            d = [x for x in ours["fru"] if "fru %s" % x["id"] == item]
            if not d or "." not in field:
                continue
            area, f = field.split(".", 1)
            d[0].setdefault(area, {})[f] = [bad] if f == "custom" else bad
        plant_note("bmcfleet's %s of %s set to a value neither reference "
                   "has" % (field, item))
        return


def cmd_verify(a):
    what, source = a.what, a.source
    rules = load_disputes(a.disputes)
    counts = load_counts(a.counts, source, a.expect)
    irefs = []
    for x in a.ipmitool:
        name, _, path = x.partition("=")
        irefs.append((name, load_json(path)))
    fname, _, fpath = a.freeipmi.partition("=")
    fref = load_json(fpath)
    ours = load_json(a.ours) if a.ours else None
    fails = []

    def fail(msg):
        fails.append(msg)
        print("FAIL: %s" % msg)

    # 1. counts: every document has the expected number of items, and
    # that number is not zero
    docs = irefs + [(fname, fref)]
    if ours is not None:
        docs.append(("bmcfleet", ours))
    for name, doc in docs:
        for kind, n in sorted(count_kinds(what, doc).items()):
            exp = counts.get(kind)
            if exp is None:
                fail("%s: %s: no expected count for %s in %s" %
                     (source, name, kind, os.path.basename(a.counts)))
            elif not exp.isdigit():
                fail("%s: expected count for %s is %r, not a number" %
                     (source, kind, exp))
            elif n != int(exp) or n == 0:
                fail("%s: %s: %d %s, expected %s%s" %
                     (source, name, n, kind, exp,
                      " (zero is never a pass)" if n == 0 else ""))
            else:
                print("%s: count: %s: %d %s, as expected" %
                      (what, name, n, kind))

    # 2. ipmitool against FreeIPMI: a disagreement is a failure unless
    # the disputes file lists it, values and all
    disputes = {}
    key = {"sensors": "sensors", "sel": "entries", "fru": "fru"}[what]
    for iname, idoc in irefs:
        empty = [n for n, d in ((iname, idoc), (fname, fref)) if not d[key]]
        if empty:
            # the counts above have failed; a list of every item as
            # "missing" would say nothing more
            fail("%s: %s vs %s: %s listed nothing, nothing to compare" %
                 (source, iname, fname, " and ".join(empty)))
            continue
        c1 = Cmp(what, (iname, fname), True)
        COMPARE[what](c1, idoc, fref)
        c2 = Cmp(what, (fname, iname), True)
        COMPARE[what](c2, fref, idoc)
        recs = {}
        for k, f, av, bv, m in c2.recs:
            recs[(k, f)] = (bv, av, m)
        for k, f, av, bv, m in c1.recs:
            recs[(k, f)] = (av, bv, m)
        for (k, f), (iv, fv, m) in sorted(recs.items(), key=natural):
            r = find_rule(rules, source, what, k, f, iv, fv)
            if r is None:
                fail("%s: %s vs %s: %s [not in %s: %s | %s | %s | %s | "
                     "%s | %s]" % (source, iname, fname, m,
                                   os.path.basename(a.disputes),
                                   source, what, k, f, iv, fv))
                continue
            disputes[(k, f)] = r
            print("dispute (%s:%d, bmcfleet follows %s): %s" %
                  (os.path.basename(a.disputes), r["line"], r["follow"], m))
        if c1.items == 0 and c2.items == 0:
            fail("%s: %s and %s have no item in common" %
                 (source, iname, fname))
    if ours is None:
        print("%s: %s: %d failure(s), references only" %
              (what, source, len(fails)))
        return 1 if fails else 0
    if planted("dispute"):
        plant_dispute(what, ours, disputes)

    # 3. bmcfleet against each reference: where they agree, with both;
    # where they dispute, with the one followed (or either)
    per = {}
    for name, doc in irefs + [(fname, fref)]:
        tool = "freeipmi" if doc is fref else "ipmitool"
        c = Cmp(what, (name, "bmcfleet"), False)
        COMPARE[what](c, doc, ours)
        for n in c.notes:
            print("  [%s] %s" % (name, n))
        for k, f, av, bv, m in c.recs:
            per.setdefault((k, f), []).append((tool, name, m))
        print("%s: %s vs bmcfleet: %d item(s), %d field(s) compared, "
              "%d mismatch(es)" % (what, name, c.items, c.fields,
                                   len(c.recs)))
        if c.items == 0 or c.fields == 0:
            fail("%s: %s vs bmcfleet: nothing compared" % (source, name))
    for (k, f), lst in sorted(per.items(), key=natural):
        r = disputes.get((k, f))
        tools = {t for t, _, _ in lst}
        if r is not None and (
                (r["follow"] == "either" and tools != {"ipmitool",
                                                       "freeipmi"}) or
                (r["follow"] != "either" and r["follow"] not in tools)):
            for _, name, m in lst:
                print("  [%s] note: %s (disputed, %s:%d: bmcfleet "
                      "follows %s)" % (name, m, os.path.basename(
                          a.disputes), r["line"], r["follow"]))
            continue
        for _, name, m in lst:
            if r is None:
                fail("%s: [%s] %s" % (source, name, m))
            else:
                fail("%s: [%s] %s (disputed field, %s:%d: bmcfleet must "
                     "agree with %s)" %
                     (source, name, m, os.path.basename(a.disputes),
                      r["line"],
                      "at least one reference" if r["follow"] == "either"
                      else r["follow"]))
    print("%s: %s: %d failure(s), %d reviewed dispute(s) seen" %
          (what, source, len(fails), len(disputes)))
    return 1 if fails else 0


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
    p.add_argument("--names", default="ref,ours")
    p.add_argument("--report-only", action="store_true")
    p.add_argument("ref")
    p.add_argument("ours")
    p = sub.add_parser("verify")
    p.add_argument("--what", choices=("sensors", "sel", "fru"),
                   required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--disputes", required=True)
    p.add_argument("--counts", required=True)
    p.add_argument("--expect", action="append", metavar="KIND=N")
    p.add_argument("--ipmitool", action="append", required=True,
                   metavar="NAME=FILE")
    p.add_argument("--freeipmi", required=True, metavar="NAME=FILE")
    p.add_argument("--ours", help="bmcfleet's document (none: check "
                   "the references only)")
    a = ap.parse_args(argv)
    if a.mode == "compare":
        return cmd_compare(a)
    if a.mode == "verify":
        return cmd_verify(a)
    text = sys.stdin.read()
    if a.mode in PARSERS:
        doc = PARSERS[a.mode](plant_empty_ref(a.mode, text))
        plant_ref(a.mode, doc)
    else:
        h = pick_host(json.loads(text), a.host)
        plant_bmcfleet(a.mode, h)
        doc = BMCFLEET[a.mode](h)
    json.dump(doc, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
