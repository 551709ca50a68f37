#!/usr/bin/env bash
# Every key of the configuration is an entry of bmcfleet.yaml(5), in the
# section of its place, so the page cannot drift (issue 15, docs): no
# network, no database.
#
# The parser's keys: each `keys[]` table that cli/config*.c checks a
# mapping against (check_map), the table's function mapped below to its
# place ("collector.traps"); `setting_keys` is the SETTINGs'.  The page's:
# each .SS names a place, each entry under it (the tag line after .TP)
# starts with its key.  Both ways: a key the parser takes and the page
# lacks fails, and so does a key the page names that the parser does not
# take there.  Then every key of deploy/bmcfleet.example.yaml (its
# commented-out blocks too) must be on the page at its place, and the
# page's EXAMPLE must load.  A new
# table, in a function not listed here, fails until it is mapped.
# sanitize: no (holds the man page to the parser's tables)
set -u
. "$(dirname "$0")/../interop/lib.sh"

cd "$TOP" || fail "cd $TOP"
page=docs/bmcfleet.yaml.5
[[ -f $page ]] || fail "no $page"

# the parser's function -> the page's place
declare -A place=(
	[y_top]='top level' [y_top_keys]='top level'
	[y_credentials]='credentials.NAME'
	[y_defaults]=defaults [y_groups]=groups.NAME [y_bmc]='bmcs[]'
	[setting_keys]=settings
	[y_collector]=collector [y_traps]=collector.traps
	[y_power]=power [y_scheduler]=scheduler [y_webhook]=scheduler.webhook
	[y_alerts]=alerts [y_action]=alerts.actions.NAME
	[y_rule]='alerts.rules[]' [y_match]='alerts.rules[].match'
	[y_http]=http
)
# where a table also takes the SETTINGs (documented once, under settings)
with_settings=' defaults groups.NAME bmcs[] '

# parser: "FUNCTION KEY" for each string of each keys table
parser=$(awk '
	/^[a-z_][a-z0-9_]*\(/ { fn = $0; sub(/\(.*/, "", fn) }
	/^static const char \*const setting_keys\[\] = / { t = 1; fn = "setting_keys" }
	/static const char \*const keys\[\] = / { t = 1 }
	t {
		s = $0
		while (match(s, /"[^"]*"/)) {
			print fn, substr(s, RSTART + 1, RLENGTH - 2)
			s = substr(s, RSTART + RLENGTH)
		}
		if ($0 ~ /;/) { t = 0; if (fn == "setting_keys") fn = "" }
	}' cli/config*.c)
[[ -n $parser ]] || fail "no keys tables found in cli/config*.c"

# page: "PLACE<TAB>KEY" for each .TP entry under each .SS of SECTIONS
doc=$(awk '
	function plain(s) {
		gsub(/\\f[BIRP]/, "", s); gsub(/\\-/, "-", s); gsub(/"/, "", s)
		return s
	}
	/^\.SH / { keys = ($0 ~ /^\.SH "?SECTIONS/); sect = ""; next }
	/^\.SS / { if (keys) sect = plain(substr($0, 5)); next }
	/^\.TP/ { tag = 1; next }
	tag {
		tag = 0
		if (sect == "") next
		s = plain($0); sub(/^\.[A-Z]+ +/, "", s)
		split(s, w, /[ :]/)
		if (w[1] ~ /^[a-z_]+$/) print sect "\t" w[1]
	}' "$page")
declare -A docset=()
while IFS= read -r e; do
	docset["$e"]=1
done <<<"$doc"
documented() {	# documented PLACE KEY
	[[ -n ${docset["$1"$'\t'"$2"]:-} ]]
}

n=0
declare -A taken=()
while read -r fn key; do
	p=${place[$fn]:-}
	[[ -n $p ]] || fail "cli/config*.c: $fn has a keys table; map it to" \
	    "its place in $0 and document its keys in $page"
	taken["$p"$'\t'"$key"]=1
	if documented "$p" "$key"; then
		:
	elif [[ $with_settings == *" $p "* ]] && documented settings "$key"; then
		:
	else
		fail "the parser takes '$key' in $p ($fn); $page has no" \
		    "entry for it under .SS $p"
	fi
	n=$((n + 1))
done <<<"$parser"
((n >= 80)) || fail "only $n keys found in the parser: the scan is broken"

m=0
while IFS=$'\t' read -r p key; do
	[[ -n ${taken["$p"$'\t'"$key"]:-} ]] ||
	    fail "$page documents '$key' under $p; the parser takes no such key there"
	m=$((m + 1))
done <<<"$doc"

# the example, its commented-out blocks (# key: at indent 0 or 2) opened
ex=$(sed -E 's/^( {0,2})# ( *(- )?[a-z_][a-z0-9_-]*:( |$))/\1\2/' \
    deploy/bmcfleet.example.yaml)
exkeys=$(python3 -c '
import sys, yaml
doc = yaml.safe_load(sys.stdin.read())
# mappings whose keys are names the operator chose
names = {"credentials": "credentials.NAME", "groups": "groups.NAME",
         "actions": "alerts.actions.NAME"}
def walk(node, place):
    if isinstance(node, list):
        for e in node:
            walk(e, place + "[]")
        return
    if not isinstance(node, dict):
        return
    for k, v in node.items():
        k = str(k)
        if k in ("labels", "models") or (k == "settings" and place != ""):
            print(place or "top level", k, sep="\t")
            if k == "settings":
                walk(v, "settings")
            continue
        print(place or "top level", k, sep="\t")
        sub = (place + "." if place else "") + k
        if sub in ("credentials", "groups", "alerts.actions"):
            for name, body in (v or {}).items():
                walk(body, names[k])
        else:
            walk(v, sub)
walk(doc, "")
' <<<"$ex") || fail "deploy/bmcfleet.example.yaml (commented blocks opened) does not parse"
k=0
while IFS=$'\t' read -r p key; do
	if documented "$p" "$key"; then
		:
	elif [[ $with_settings == *" $p "* || $p == settings ]] &&
	    documented settings "$key"; then
		:
	else
		fail "deploy/bmcfleet.example.yaml has '$key' in $p; $page" \
		    "has no entry for it under .SS $p"
	fi
	k=$((k + 1))
done <<<"$exkeys"
((k >= 60)) || fail "only $k keys found in the example: the scan is broken"
grep -q '^alerts	rules$' <<<"$exkeys" ||
    fail "the example's commented alerts: block was not read"
# the page's EXAMPLE loads, by the config's own loader (the completion's
# TARGETS verb prints nothing for a file that does not)
[[ -x $BMCFLEET ]] || fail "$BMCFLEET is not built"
tmp=$(mktemp -d) || fail mktemp
trap 'rm -rf "$tmp"' EXIT
sed -n '/^\.SH EXAMPLE/,/^\.SH /p' "$page" | sed -n '/^\.EX/,/^\.EE/p' |
    sed '1d;$d; s/\\-/-/g; s/\\(dq/"/g' >"$tmp/example.yaml"
[[ -s $tmp/example.yaml ]] || fail "$page has no .EX block in EXAMPLE"
got=$("$BMCFLEET" __complete-targets -c "$tmp/example.yaml" | tr '\n' ' ')
expect_match "$got" '@compute @gpu .*rack=r12 .*gpu01 ' \
    "$page's EXAMPLE, loaded by bmcfleet (it must load)"
msg "PASS ($n parser keys, $m page entries, $k example keys, EXAMPLE loads)"
