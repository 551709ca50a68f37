#!/usr/bin/env python3
"""promcmp: is every series of a reference exporter's scrape in ours?

    promcmp.py DIFFERENCES REF OURS [REF OURS ...]

Each REF/OURS pair is one BMC's page in Prometheus text format (the
reference: prometheus-ipmi-exporter's /ipmi?target=; ours: bmcfleetd's).
For every family the reference has, ours must have it with the same HELP
and TYPE; for every series (name and label set) the reference has, ours
must have that series, with an equal value: NaN for NaN, else within the
tolerance (a sensor drifts by at most one raw count between two reads:
the larger of 1% and an absolute step per family, below).  DIFFERENCES
lists what is deliberate, one per line:

    FAMILY value   WHY     its values are not compared
    FAMILY label LABEL WHY that label's value is not compared

Prints one line per difference not listed, and a summary; exit 1 on any,
or when nothing was compared.
"""
import math
import re
import sys

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')

# one raw count of the coarsest sensor bmcsim's models have, per family
STEP = {
    'ipmi_temperature_celsius': 1.0,
    'ipmi_fan_speed_rpm': 120.0,
    'ipmi_fan_speed_ratio': 0.01,
    'ipmi_voltage_volts': 2.0,
    'ipmi_current_amperes': 0.2,
    'ipmi_power_watts': 10.0,
    'ipmi_sensor_value': 1.0,
    'ipmi_dcmi_power_consumption_watts': 10.0,
}


def parse(path):
    fams, series = {}, {}
    for ln in open(path, encoding='utf-8'):
        ln = ln.rstrip('\n')
        if ln.startswith('# HELP '):
            name, _, text = ln[7:].partition(' ')
            fams.setdefault(name, {})['help'] = text
            continue
        if ln.startswith('# TYPE '):
            name, _, t = ln[7:].partition(' ')
            fams.setdefault(name, {})['type'] = t
            continue
        if not ln or ln.startswith('#'):
            continue
        m = LINE.match(ln)
        if not m:
            raise SystemExit('%s: not a sample: %r' % (path, ln))
        labels = tuple(sorted(LABEL.findall(m.group(3) or '')))
        series[(m.group(1), labels)] = float(m.group(4))
    return fams, series


def main():
    if len(sys.argv) < 4 or len(sys.argv) % 2 != 0:
        raise SystemExit(__doc__)
    value_ok, label_ok = set(), {}
    for ln in open(sys.argv[1], encoding='utf-8'):
        w = ln.split()
        if not w or w[0].startswith('#'):
            continue
        if w[1] == 'value':
            value_ok.add(w[0])
        elif w[1] == 'label':
            label_ok.setdefault(w[0], set()).add(w[2])
        else:
            raise SystemExit('%s: bad line %r' % (sys.argv[1], ln))
    bad = compared = 0
    fams_seen = set()
    for ref_path, our_path in zip(sys.argv[2::2], sys.argv[3::2]):
        rf, rs = parse(ref_path)
        of, os_ = parse(our_path)
        for name, meta in rf.items():
            fams_seen.add(name)
            if name not in of:
                print('%s: family %s missing' % (our_path, name))
                bad += 1
            elif of[name] != meta:
                print('%s: family %s: help/type %r, reference %r' %
                      (our_path, name, of[name], meta))
                bad += 1
        # ours keyed with the labels whose values are not compared blanked
        def key(name, labels):
            skip = label_ok.get(name, ())
            return (name, tuple((k, '' if k in skip else v)
                                for k, v in labels))
        ours = {key(n, l): v for (n, l), v in os_.items()}
        for (name, labels), rv in rs.items():
            k = key(name, labels)
            if k not in ours:
                print('%s: series %s%s missing' %
                      (our_path, name, dict(labels)))
                bad += 1
                continue
            compared += 1
            ov = ours[k]
            if name in value_ok:
                continue
            if math.isnan(rv) or math.isnan(ov):
                if not (math.isnan(rv) and math.isnan(ov)):
                    print('%s: %s%s = %s, reference %s' %
                          (our_path, name, dict(labels), ov, rv))
                    bad += 1
                continue
            tol = max(abs(rv) * 0.01, STEP.get(name, 0.0)) + 1e-9
            if abs(ov - rv) > tol:
                print('%s: %s%s = %s, reference %s' %
                      (our_path, name, dict(labels), ov, rv))
                bad += 1
    print('promcmp: %d pages, %d families, %d series compared, '
          '%d differences' % ((len(sys.argv) - 2) // 2, len(fams_seen),
                              compared, bad))
    if compared == 0:
        print('promcmp: nothing compared')
        return 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
