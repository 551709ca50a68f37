#!/usr/bin/env bash
# Every man page in docs/ renders without a warning (issue 15, docs):
# groff's full warning set (-ww) and man-db's (man --warnings, which
# also runs the page through its preprocessors), as lintian will check
# them in the package.  Each page names the pages it cites in SEE ALSO
# and those of ours exist.  No network, no database.
# sanitize: no (renders the man pages)
set -u
. "$(dirname "$0")/../interop/lib.sh"

cd "$TOP" || fail "cd $TOP"
need_tool groff man
pages=(docs/*.[1-8])
((${#pages[@]} >= 4)) || fail "only ${#pages[@]} man pages in docs/: expected" \
    "bmcfleet.1, bmcsim.1, bmcfleetd.8 and bmcfleet.yaml.5"
for p in docs/bmcfleet.1 docs/bmcsim.1 docs/bmcfleetd.8 docs/bmcfleet.yaml.5; do
	[[ -f $p ]] || fail "no $p"
done
for p in "${pages[@]}"; do
	out=$(groff -man -Tutf8 -ww -z "$p" 2>&1) ||
	    fail "$p: groff failed: $out"
	[[ -z $out ]] || fail "$p: groff -ww warns: $out"
	out=$(MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null) ||
	    fail "$p: man failed: $out"
	[[ -z $out ]] || fail "$p: man --warnings warns: $out"
	# the .TH's section is the file's
	sec=${p##*.}
	th=$(awk '/^\.TH / { print $3; exit }' "$p")
	expect_eq "$th" "$sec" "$p: .TH section"
	# our pages cited in SEE ALSO exist
	for ref in $(sed -n '/^\.SH SEE ALSO/,/^\.SH /p' "$p" |
	    grep -oE '^\.BR (bmcfleet|bmcfleetd|bmcsim|bmcfleet\.yaml) \([1-8]\)' |
	    sed -E 's/^\.BR ([^ ]+) \(([1-8])\)/\1.\2/'); do
		[[ -f docs/$ref ]] || fail "$p: SEE ALSO cites $ref, which docs/ lacks"
	done
done
msg "PASS (${#pages[@]} pages: ${pages[*]})"
