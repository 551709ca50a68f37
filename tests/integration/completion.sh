#!/usr/bin/env bash
# shellcheck disable=SC2154 # (the completion's lists, from the file sourced)
# deploy/bash-completion/bmcfleet (issue 15, docs): sourced in this bash,
# its function called with COMP_WORDS/COMP_CWORD as bash would; COMPREPLY
# checked for verbs, a verb's options, -c's files, and TARGETS from a test
# config (@groups, labels, names).  And no drift: every verb of `bmcfleet
# --help`, and every option a --help defines (usage lines and option
# lines) is in the completion's list for that verb; bmcfleetd's too.  No
# network, no database.
# sanitize: no (the bash completion script)
set -u
. "$(dirname "$0")/../interop/lib.sh"

cd "$TOP" || fail "cd $TOP"
[[ -x $BMCFLEET ]] || fail "$BMCFLEET is not built"
# shellcheck source=/dev/null
. deploy/bash-completion/bmcfleet || fail "the completion does not source"
[[ $(complete -p bmcfleet) == *_bmcfleet* ]] || fail "no complete -F for bmcfleet"
[[ $(complete -p bmcfleetd) == *_bmcfleetd* ]] || fail "no complete -F for bmcfleetd"

tmp=$(mktemp -d) || fail mktemp
trap 'rm -rf "$tmp"' EXIT
# the programs as the completion calls them: bmcfleet on PATH
PATH=$O:$PATH

comp() {	# comp FUNC WORD...: COMPREPLY for the last word, a line each
	local f=$1
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	"$f"
	printf '%s\n' "${COMPREPLY[@]}" | sort
}
has() {	# has "REPLY" WORD...: each WORD is a line of REPLY
	local r=$1 w
	shift
	for w; do
		grep -qxF -- "$w" <<<"$r" || fail "completion lacks '$w'" \
		    "(${what:-}); it gave: $(tr '\n' ' ' <<<"$r")"
	done
}

# --- behaviour ----------------------------------------------------------
what='bmcfleet <TAB>'
r=$(comp _bmcfleet bmcfleet '')
has "$r" collect db plan events status alert alerts inventory power mc sel
what='bmcfleet co<TAB>'
expect_eq "$(comp _bmcfleet bmcfleet co)" collect "$what"
what='bmcfleet collect --<TAB>'
r=$(comp _bmcfleet bmcfleet collect --)
has "$r" --config --db --spool --what --db-wait --no-lease --retire --format
expect_no_match "$r" '^-H$|^--hosts$' "$what: a direct-mode option"
what='bmcfleet -H h --<TAB> (direct mode)'
r=$(comp _bmcfleet bmcfleet -H node1 --user)
expect_eq "$r" --user "$what"
what='bmcfleet db <TAB>'
expect_eq "$(comp _bmcfleet bmcfleet db '' | tr '\n' ' ')" 'migrate version ' "$what"

# -c completes files
mkdir "$tmp/conf.d" && : >"$tmp/fleet.yaml" && echo "bogus: [" >"$tmp/fleet.yml.bak"
what='bmcfleet -c DIR/fl<TAB>'
r=$(comp _bmcfleet bmcfleet collect -c "$tmp/fl")
expect_eq "$r" "$tmp/fleet.yaml"$'\n'"$tmp/fleet.yml.bak" "$what"
what='bmcfleetd --config DIR/<TAB>'
r=$(comp _bmcfleetd bmcfleetd --config "$tmp/")
has "$r" "$tmp/conf.d" "$tmp/fleet.yaml"

# TARGETS from the config on the line, else $BMCFLEET_CONFIG
cat >"$tmp/t.yaml" <<'EOF'
credentials:
  default: {user: admin, password_env: BMCFLEET_TEST_PW}
groups:
  storage: {hosts: "st[1-2]", labels: {rack: r12}}
  gpu: {labels: {role: train}}
bmcs:
  - {name: gpu7, address: 127.0.81.7, groups: [gpu], labels: {rack: r13}}
  - "cn[01-03]"
EOF
what='collect -c FILE @<TAB>'
r=$(comp _bmcfleet bmcfleet collect -c "$tmp/t.yaml" @)
expect_eq "$(tr '\n' ' ' <<<"$r")" '@all @gpu @storage ' "$what"
what='collect -c FILE ra<TAB>'
r=$(comp _bmcfleet bmcfleet collect -c "$tmp/t.yaml" ra)
expect_eq "$(tr '\n' ' ' <<<"$r")" 'rack=r12 rack=r13 ' "$what"
what='power off @storage+ro<TAB> with $BMCFLEET_CONFIG'
r=$(BMCFLEET_CONFIG=$tmp/t.yaml comp _bmcfleet bmcfleet power off '@storage+ro')
expect_eq "$r" '@storage+role=train' "$what"
what='inventory --config=FILE @all,!cn0<TAB>'
r=$(comp _bmcfleet bmcfleet inventory "--config=$tmp/t.yaml" '@all,!cn0')
expect_eq "$(tr '\n' ' ' <<<"$r")" '@all,!cn01 @all,!cn02 @all,!cn03 ' "$what"
what='a config that does not load'
r=$(comp _bmcfleet bmcfleet collect -c "$tmp/fleet.yml.bak" @)
expect_eq "$r" '' "$what"

# --- no drift from the --help texts --------------------------------------
opts_of() {	# the options a --help text defines: usage and option lines
	awk '
	/^usage:/ { u = 1 }
	/^$/ { u = 0 }
	{
		s = $0
		if (!u) {
			if (!match(s, /^ +(-[A-Za-z0-9](,| |$)[ ,]*)?(-[A-Za-z0-9]|--[a-z][a-z0-9-]*)/))
				next
			s = substr(s, 1, RLENGTH)
		}
		while (match(s, /(^|[[ |(,])--?[A-Za-z][A-Za-z0-9-]*/)) {
			w = substr(s, RSTART, RLENGTH); sub(/^[^-]/, "", w)
			print w; s = substr(s, RSTART + RLENGTH)
		}
	}' | sort -u
}
verbs_of() {	# the verbs of bmcfleet --help: its two command lists
	awk '/^Commands:/ { d = 1; next } /^Fleet mode/ { f = 1; d = 0; next }
	    /^$/ { if (f) exit; d = 0 }
	    (d || f) && /^  [a-z]/ { print $1 }' | sort -u
}
list_has() {	# list_has LIST WORD: WORD is a word of LIST
	local l=" ${1//[$'\t\n']/ } "
	[[ $l == *" $2 "* ]]
}

n=0
help=$("$BMCFLEET" --help) || fail "bmcfleet --help failed"
for v in $(verbs_of <<<"$help"); do
	list_has "$_bmcfleet_direct_verbs $_bmcfleet_fleet_verbs" "$v" ||
	    fail "bmcfleet --help has the verb '$v'; the completion does not"
	n=$((n + 1))
done
((n >= 15)) || fail "only $n verbs found in bmcfleet --help: the scan is broken"
for o in $(opts_of <<<"$help"); do
	list_has "$_bmcfleet_direct_opts" "$o" ||
	    fail "bmcfleet --help defines $o; _bmcfleet_direct_opts lacks it"
	n=$((n + 1))
done
for v in $_bmcfleet_fleet_verbs; do
	h=$("$BMCFLEET" "$v" --help) || fail "bmcfleet $v --help failed"
	m=0
	for o in $(opts_of <<<"$h"); do
		list_has "${_bmcfleet_verb_opts[$v]:-}" "$o" ||
		    fail "bmcfleet $v --help defines $o; the completion's" \
		        "list for $v lacks it"
		m=$((m + 1))
	done
	((m >= 3)) || fail "only $m options in bmcfleet $v --help: the scan is broken"
	n=$((n + m))
done
h=$("$O/bmcfleetd" --help) || fail "bmcfleetd --help failed"
for o in $(opts_of <<<"$h"); do
	list_has "$_bmcfleetd_opts" "$o" ||
	    fail "bmcfleetd --help defines $o; _bmcfleetd_opts lacks it"
	n=$((n + 1))
done
msg "PASS (behaviour, and $n verbs and options of the --help texts)"
