#!/usr/bin/env bash
# tests/layers/check.sh: hold the tree to tests/layers/allowed.txt.
#
#   tests/layers/check.sh [ROOT [OBJDIR]]
#
# ROOT (default: this repository) is searched for */*.c and */*.h outside
# tests/.  Each #include "..." is an edge from the including module to the
# included one: "dir/x.h" names folder dir, a bare "x.h" the includer's own
# folder.  With OBJDIR (default: $O when set; relative to ROOT), every
# OBJDIR/<folder>/<name>.o whose <folder>/<name>.c exists is read with nm,
# and each symbol it takes from another such object is an edge too, so a
# call declared by hand, without the header, is seen as well.
#
# Fails (exit 1), naming file:line and the edge, when
#   - a folder uses one allowed.txt does not let it use,
#   - a folder with C files has no line in allowed.txt,
#   - modules of one folder (a .c and its .h are one module, and so is a
#     private NAME_int.h that the files of module NAME share) use each
#     other in a circle, other than through the edges allowed.txt calls
#     known.
# A known edge that no longer exists is reported too.  Exit 2: bad usage.
# LAYERS_RULES names another rules file (the self-test uses it).
# sanitize: no (reads the sources and the objects' symbol tables: no program of ours runs)

set -uo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${1:-$HERE/../..}
OBJ=${2-${O:-}}
RULES=${LAYERS_RULES:-$HERE/allowed.txt}

ROOT=$(cd "$ROOT" && pwd) || exit 2
[[ -r $RULES ]] || { echo "layers: cannot read $RULES" >&2; exit 2; }
if [[ -n $OBJ && $OBJ != /* ]]; then
	OBJ=$ROOT/$OBJ
fi
cd "$ROOT" || exit 2

W=$(mktemp -d "${TMPDIR:-/tmp}/layers.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT

shopt -s nullglob
files=()
for f in */*.c */*.h; do
	[[ $f == tests/* ]] && continue
	files+=("$f")
done
if ((${#files[@]} == 0)); then
	echo "layers: no */*.c or */*.h under $ROOT" >&2
	exit 2
fi

# "inc FROM_MODULE TO_MODULE WHERE WHAT", one line an include
awk '
/^[ \t]*#[ \t]*include[ \t]*"/ {
	t = $0
	sub(/^[^"]*"/, "", t)
	sub(/".*$/, "", t)
	dir = FILENAME; sub(/\/.*$/, "", dir)
	from = FILENAME; sub(/\.[ch]$/, "", from)
	to = t; sub(/\.[ch]$/, "", to)
	# NAME_int.h: the private declarations of module NAME, part of it
	if (FILENAME ~ /_int\.h$/)
		sub(/_int$/, "", from)
	if (t ~ /_int\.h$/)
		sub(/_int$/, "", to)
	if (to !~ /\//)
		to = dir "/" to
	printf "inc\t%s\t%s\t%s:%d\t\"%s\"\n", from, to, FILENAME, FNR, t
}' "${files[@]}" >"$W/edges" || exit 2

nobj=0
if [[ -n $OBJ ]]; then
	if [[ ! -d $OBJ ]]; then
		echo "layers: no object directory $OBJ" >&2
		exit 2
	fi
	# "def MODULE SYMBOL" and "use MODULE SYMBOL" per object whose source
	# is still in the tree (a build directory keeps objects of moved files)
	objs=()
	for f in "${files[@]}"; do
		[[ $f == *.c && -f $OBJ/${f%.c}.o ]] && objs+=("$OBJ/${f%.c}.o")
	done
	nobj=${#objs[@]}
	: >"$W/syms"
	if ((nobj)); then
		# "OBJ: SYMBOL TYPE ..." per symbol, one nm for all
		nm -A -P -g "${objs[@]}" >"$W/nm" || exit 2
		awk -v obj="$OBJ/" '
		{
			m = $1
			sub(/:$/, "", m)
			m = substr(m, length(obj) + 1)
			sub(/\.o$/, "", m)
		}
		$3 == "U" { print "use\t" m "\t" $2; next }
		$3 ~ /^[A-TV-Z]$/ { print "def\t" m "\t" $2 }' "$W/nm" >"$W/syms"
	fi
	awk -F'\t' -v objrel="${OBJ#"$ROOT"/}" '
	NR == FNR { if ($1 == "def") { n[$3]++; def[$3] = $2 }; next }
	$1 == "use" && n[$3] == 1 && def[$3] != $2 {
		printf "link\t%s\t%s\t%s/%s.o\tuses %s\n", $2, def[$3], objrel, $2, $3
	}' "$W/syms" "$W/syms" | sort -u >>"$W/edges"
fi

awk -F'\t' -v RULESFILE="$RULES" -v rules="${RULES#"$ROOT"/}" -v nfiles="${#files[@]}" \
    -v nobj="$nobj" '
function folder(m,   d) { d = m; sub(/\/.*$/, "", d); return d }
BEGIN {
	while ((getline line < RULESFILE) > 0) {
		ln++
		sub(/#.*$/, "", line)
		if (line ~ /^[ \t]*$/)
			continue
		if (line ~ /^[ \t]*known[ \t]/) {
			n = split(line, w, /[ \t]+/)
			k = 0
			for (i = 1; i <= n; i++)
				if (w[i] != "")
					v[++k] = w[i]
			if (k != 4 || v[3] != "->") {
				printf "%s:%d: expected \"known A -> B\"\n", rules, ln
				bad = 1
				continue
			}
			known[v[2], v[4]] = 1
			knownln[v[2], v[4]] = ln
			continue
		}
		if (line !~ /^[ \t]*[A-Za-z0-9_.-]+:/) {
			printf "%s:%d: expected \"FOLDER: FOLDERS\"\n", rules, ln
			bad = 1
			continue
		}
		f = line
		sub(/^[ \t]*/, "", f)
		sub(/:.*$/, "", f)
		rest = line
		sub(/^[^:]*:/, "", rest)
		ruled[f] = 1
		desc[f] = ""
		n = split(rest, w, /[ \t]+/)
		for (i = 1; i <= n; i++)
			if (w[i] != "") {
				allowed[f, w[i]] = 1
				desc[f] = desc[f] " " w[i]
			}
		if (desc[f] == "")
			desc[f] = " nothing else"
	}
	if (ln == 0) {
		printf "%s: empty or unreadable\n", rules
		bad = 1
	}
}
{
	kind = $1; from = $2; to = $3; where = $4; what = $5
	if (kind == "inc")
		ninc++
	else
		nlink++
	ff = folder(from)
	tf = folder(to)
	if (ff == tf) {
		# a circle is judged on includes: the linker also sees a table
		# of commands and the commands using its helpers, which is fine
		if (from == to || kind != "inc")
			next
		seen[from, to] = 1
		if ((from, to) in known)
			next
		if (!((from, to) in adj)) {
			adj[from, to] = 1
			how[from, to] = where " includes " what
			nodes[from] = 1
			nodes[to] = 1
		}
		next
	}
	if (!(ff in ruled)) {
		if (!(ff in unruled))
			printf "%s: folder %s/ has no line in %s\n", where, ff, rules
		unruled[ff] = 1
		bad = 1
		next
	}
	if (!((ff, tf) in allowed)) {
		printf "%s: %s -> %s is not allowed: %s (%s lets %s use%s)\n", \
		    where, ff, tf, what, rules, ff, desc[ff]
		bad = 1
	}
}
END {
	# cycles: the transitive closure per folder, then one shortest circle
	# for each strongly connected set of modules
	for (a in nodes) {
		f = folder(a)
		members[f] = members[f] SUBSEP a
	}
	for (f in members) {
		nm = split(substr(members[f], 2), m, SUBSEP)
		for (i = 1; i <= nm; i++)
			for (j = 1; j <= nm; j++)
				if ((m[i], m[j]) in adj)
					reach[m[i], m[j]] = 1
		for (k = 1; k <= nm; k++)
			for (i = 1; i <= nm; i++) {
				if (!((m[i], m[k]) in reach))
					continue
				for (j = 1; j <= nm; j++)
					if ((m[k], m[j]) in reach)
						reach[m[i], m[j]] = 1
			}
	}
	ncyc = 0
	for (a in nodes) {
		if (!((a, a) in reach) || (a in done))
			continue
		# members, and a breadth-first path from a back to a among them
		for (b in nodes)
			if ((a, b) in reach && (b, a) in reach)
				done[b] = a
		delete prev
		qh = 1; qt = 0
		for (b in nodes)
			if ((a, b) in adj && (b, a) in reach) {
				q[++qt] = b
				prev[b] = a
			}
		found = (a in prev)
		while (!found && qh <= qt) {
			u = q[qh++]
			for (b in nodes) {
				if (!((u, b) in adj) || (b in prev) || !((b, a) in reach))
					continue
				prev[b] = u
				if (b == a) {
					found = 1
					break
				}
				q[++qt] = b
			}
		}
		# walk back from a to a
		n = 0
		c = a
		do {
			path[++n] = c
			c = prev[c]
		} while (c != a && n < 1000)
		path[++n] = a
		s = ""
		for (i = n; i >= 1; i--)
			s = s (i < n ? " -> " : "") path[i]
		printf "cycle in %s/: %s\n", folder(a), s
		s = ""
		for (b in done)
			if (done[b] == a)
				s = s " " b
		printf "  (all in that circle:%s)\n", s
		for (i = n; i > 1; i--)
			printf "  %s\n", how[path[i], path[i - 1]]
		ncyc++
		bad = 1
	}
	for (e in known) {
		split(e, p, SUBSEP)
		if (!(e in seen)) {
			printf "%s:%d: known %s -> %s no longer exists: remove the line\n", \
			    rules, knownln[e], p[1], p[2]
			stale = 1
		}
	}
	if (stale)
		bad = 1
	printf "layers: %d files, %d include and %d link edges (%d objects): %s\n", \
	    nfiles, ninc, nlink, nobj, bad ? "FAIL" : "ok"
	exit bad
}' "$W/edges"
