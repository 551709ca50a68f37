#!/usr/bin/env bash
# tests/layers/selftest.sh: check.sh shown to fail on wrong trees and to
# pass a clean one.  Each case builds a throwaway tree in a temp directory
# and holds check.sh's exit status and words to what it must say.  The
# folder rules are the real ones (allowed.txt less its known cycles, which
# name files of the real tree).
# sanitize: no (check.sh on throwaway trees: no program of ours runs)

set -uo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CHECK=$HERE/check.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/layers-selftest.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

grep -v '^known' "$HERE/allowed.txt" >"$T/rules"
export LAYERS_RULES=$T/rules
unset O		# check.sh reads objects from $O, which run-checks.sh exports

nfail=0
ncase=0

# put PATH TEXT: a file of the tree under test
put() {
	mkdir -p "$TREE/$(dirname "$1")"
	printf '%s\n' "$2" >"$TREE/$1"
}

# a clean tree in every layer: lib <- ipmi, collector <- scheduler <- cli,
# sim on ipmi and lib, tests/ free to include anything
fresh() {
	TREE=$T/tree$((ncase + 1))
	rm -rf "$TREE"
	put lib/a.h 'int a_fn(void);'
	put lib/a.c '#include "lib/a.h"
int a_fn(void) { return 1; }'
	put ipmi/x.h 'int x_fn(void);'
	put ipmi/x.c '#include "x.h"
int x_fn(void) { return 2; }'
	put collector/y.h '#include "ipmi/x.h"
int y_fn(void);'
	put collector/y.c '#include "collector/y.h"
#include "lib/a.h"
int y_fn(void) { return x_fn() + a_fn(); }'
	put scheduler/s.c '#include "collector/y.h"
int s_fn(void) { return y_fn(); }'
	put cli/c.c '#include "collector/y.h"
#include "lib/a.h"
int c_fn(void) { return y_fn(); }'
	put sim/b.c '#include "ipmi/x.h"
#include "lib/a.h"
int b_fn(void) { return x_fn(); }'
	put tests/t.c '#include "cli/c.h"
#include "sim/b.h"'
}

# expect RC WORDS CHECK_ARGS...: check.sh exits RC and, unless WORDS is
# empty, prints a line containing WORDS
expect() {
	local rc=$1 words=$2 got out
	shift 2
	ncase=$((ncase + 1))
	out=$("$CHECK" "$@" 2>&1)
	got=$?
	if [[ $got != "$rc" ]] || { [[ -n $words ]] && ! grep -qF -- "$words" <<<"$out"; }; then
		echo "not ok $ncase - $CASE: exit $got (want $rc), want a line with: $words"
		sed 's/^/#   /' <<<"$out"
		nfail=$((nfail + 1))
	else
		echo "ok $ncase - $CASE"
	fi
}

CASE="a clean tree passes"
fresh
expect 0 ": ok" "$TREE"

CASE="ipmi including a collector header fails, naming file:line and edge"
fresh
put ipmi/x.c '#include "x.h"
#include "collector/y.h"
int x_fn(void) { return 2; }'
expect 1 'ipmi/x.c:2: ipmi -> collector is not allowed: "collector/y.h"' "$TREE"

CASE="sim including a collector header fails"
fresh
put sim/b.c '#include "ipmi/x.h"
#  include "collector/y.h"
int b_fn(void) { return x_fn(); }'
expect 1 'sim/b.c:2: sim -> collector is not allowed' "$TREE"

CASE="lib including anything of the others fails"
fresh
put lib/a.h '#include "ipmi/x.h"
int a_fn(void);'
expect 1 'lib/a.h:1: lib -> ipmi is not allowed' "$TREE"

CASE="a header including upward fails too (collector -> scheduler)"
fresh
put collector/y.h '#include "ipmi/x.h"
#include "scheduler/s.h"
int y_fn(void);'
expect 1 'collector/y.h:2: collector -> scheduler is not allowed' "$TREE"

CASE="a folder with no line in the rules fails"
fresh
put extra/z.c '#include "lib/a.h"'
expect 1 'folder extra/ has no line' "$TREE"

CASE="an include cycle inside a folder fails"
fresh
put collector/p.h '#include "q.h"'
put collector/q.c '#include "collector/p.h"'
expect 1 'cycle in collector/: collector/' "$TREE"

CASE="a cycle through .c files (a.c -> b.h, b.c -> a.h) fails"
fresh
put sim/b.c '#include "ipmi/x.h"
#include "sim/d.h"
int b_fn(void) { return x_fn(); }'
put sim/b.h 'int b_fn(void);'
put sim/d.h 'int d_fn(void);'
put sim/d.c '#include "b.h"'
expect 1 'sim/b.c:2 includes "sim/d.h"' "$TREE"

CASE="a private header (k_int.h) is its module's: k.c and k_int.h may meet"
fresh
put cli/k.h 'int k_fn(void);'
put cli/k_int.h '#include "cli/k.h"
int k_part(void);'
put cli/k.c '#include "cli/k.h"
#include "cli/k_int.h"
int k_fn(void) { return k_part(); }'
put cli/k_part.c '#include "cli/k_int.h"
int k_part(void) { return 1; }'
expect 0 ": ok" "$TREE"

CASE="... but a circle through a private header and another module fails"
put cli/k_int.h '#include "cli/k.h"
#include "cli/m.h"
int k_part(void);'
put cli/m.h 'int m_fn(void);'
put cli/m.c '#include "cli/m.h"
#include "cli/k.h"'
expect 1 'cycle in cli/' "$TREE"

CASE="a cycle excused as known passes"
fresh
put collector/p.h '#include "q.h"'
put collector/q.c '#include "collector/p.h"'
cp "$T/rules" "$T/rules.known"
echo 'known collector/q -> collector/p' >>"$T/rules.known"
LAYERS_RULES=$T/rules.known expect 0 ": ok" "$TREE"

CASE="a known edge that no longer exists fails"
fresh
LAYERS_RULES=$T/rules.known expect 1 'known collector/q -> collector/p no longer exists' "$TREE"

CASE="link: an upward call declared by hand, without the header, fails"
fresh
put ipmi/x.c 'int y_fn(void);
int x_fn(void) { return y_fn(); }'
mkdir -p "$TREE/obj/ipmi" "$TREE/obj/collector" "$TREE/obj/lib"
ok=1
for f in ipmi/x collector/y lib/a; do
	${CC:-cc} -c -I"$TREE" -o "$TREE/obj/$f.o" "$TREE/$f.c" || ok=0
done
if ((ok)); then
	expect 0 ": ok" "$TREE"	# the includes alone are clean
	CASE="link: ... and the objects say it"
	expect 1 'obj/ipmi/x.o: ipmi -> collector is not allowed: uses y_fn' \
	    "$TREE" obj
else
	ncase=$((ncase + 1))
	echo "not ok $ncase - $CASE: the tree did not compile"
	nfail=$((nfail + 1))
fi

CASE="link: the clean tree's objects pass"
fresh
mkdir -p "$TREE/obj/ipmi" "$TREE/obj/collector" "$TREE/obj/lib"
for f in ipmi/x collector/y lib/a; do
	${CC:-cc} -c -I"$TREE" -o "$TREE/obj/$f.o" "$TREE/$f.c"
done
expect 0 "3 objects): ok" "$TREE" obj

echo "layers selftest: $ncase cases, $nfail failed"
((nfail == 0))
