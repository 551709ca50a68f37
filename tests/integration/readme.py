#!/usr/bin/env python3
"""readme.py README WORKDIR: run README.md's fleet-mode walk-through.

The walk-through is the block between the lines "<!-- walkthrough -->" and
"<!-- /walkthrough -->".  Its code lines are indented four spaces; a line
"$ CMD" is a command (run word for word, in order, by one bash in WORKDIR,
so exports and background jobs carry on), and the lines after it up to the
next command are output the README says the command prints: each must be
in the command's output (stdout and stderr), in that order, where "..."
stands for any text.  A command must exit 0.  Prints what failed, exits 1.
"""
import re
import subprocess
import sys

def block(readme):
    text = open(readme, encoding="utf-8").read()
    m = re.search(r"^<!-- walkthrough -->\n(.*?)^<!-- /walkthrough -->",
                  text, re.S | re.M)
    if not m:
        sys.exit("readme.py: no <!-- walkthrough --> block in " + readme)
    steps = []
    for line in m.group(1).splitlines():
        if not line.startswith("    "):
            continue
        line = line[4:]
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps and line.strip():
            steps[-1][1].append(line.rstrip())
    return steps

def pattern(shown):
    parts = [re.escape(p) for p in shown.strip().split("...")]
    return re.compile(".*".join(parts))

def main():
    readme, work = sys.argv[1], sys.argv[2]
    steps = block(readme)
    if not steps:
        sys.exit("readme.py: the walk-through has no commands")
    script = ["set -u"]
    for i, (cmd, _) in enumerate(steps):
        script.append("printf '\\n@@@ begin %d\\n'" % i)
        script.append("{ %s\n} 2>&1" % cmd)
        script.append("printf '\\n@@@ end %d %%d\\n' $?" % i)
    out = subprocess.run(["bash", "-c", "\n".join(script)], cwd=work,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=600).stdout
    out = out.decode("utf-8", "replace")
    bad = 0
    for i, (cmd, shown) in enumerate(steps):
        m = re.search(r"^@@@ begin %d\n(.*?)^@@@ end %d (\d+)$" % (i, i),
                      out, re.S | re.M)
        print("$ " + cmd)
        if not m:
            print("  FAIL: did not run")
            bad += 1
            continue
        got, rc = m.group(1), int(m.group(2))
        sys.stdout.write("".join("  | " + l + "\n"
                                 for l in got.splitlines()[:40]))
        if rc != 0:
            print("  FAIL: exit status %d" % rc)
            bad += 1
        lines, at = got.splitlines(), 0
        for s in shown:
            p = pattern(s)
            while at < len(lines) and not p.fullmatch(lines[at].strip()):
                at += 1
            if at == len(lines):
                print("  FAIL: the README shows %r; not in the output "
                      "(in order)" % s.strip())
                bad += 1
                break
            at += 1
    print("%d commands, %d failed" % (len(steps), bad))
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main())
