#!/usr/bin/env bash
# Every environment variable the programs read is in the ENVIRONMENT
# section of their man page, as an entry of its own (a tag line after
# .TP), so the two cannot drift (issue 13, part cli): no network, no
# database.
#
# The variables: each getenv("NAME") in the sources, and each string
# literal "BMCFLEET_..."/"BMCSIM_..."/"IPMI_..." (a name kept in a
# variable first, as -E's two).  sim/ is bmcsim's, in bmcsim(1); the rest
# bmcfleet's and bmcfleetd's, in bmcfleet(1).  A getenv whose argument is
# not a literal must be listed below with the man page's word for it; a
# new one fails until it is documented and listed.  libpq's PG* and
# libcurl's proxies are read by those libraries: checked by name too.
# sanitize: no (reads the sources and man pages; runs no program of ours)
set -u
. "$(dirname "$0")/../interop/lib.sh"

cd "$TOP" || fail "cd $TOP"
section() {	# section PAGE: its ENVIRONMENT section, roff source
	sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$1"
}
tags() {	# tags PAGE: the tag lines of that section (the line after .TP)
	section "$1" | awk '/^\.TP/ { if (getline > 0) print }'
}
fleet_all=$(section docs/bmcfleet.1)
fleet_env=$(tags docs/bmcfleet.1)
sim_env=$(tags docs/bmcsim.1)
[[ -n $fleet_env ]] || fail "docs/bmcfleet.1 has no ENVIRONMENT section"
[[ -n $sim_env ]] || fail "docs/bmcsim.1 has no ENVIRONMENT section"

# the non-literal getenv calls: FILE:ARGUMENT and the word the page uses
declare -A indirect=(
	["cli/opts.c:what"]=IPMI_PASSWORD
	["cli/config_secrets.c:cr->password_env"]=password_env
	["cli/config_secrets.c:w->token_env"]=token_env
	["cli/cmd_alerts.c:a->token_env"]=token_env
)

srcs=$(find cli collector store scheduler lib sim ipmi -name '*.[ch]' | sort)
n=0
# shellcheck disable=SC2086 # (file names without spaces)
while IFS=: read -r file name; do
	case $file in
	sim/*) env=$sim_env page=bmcsim.1 ;;
	*) env=$fleet_env page=bmcfleet.1 ;;
	esac
	grep -qw -- "$name" <<<"$env" ||
	    fail "$file reads $name, which docs/$page's ENVIRONMENT does not list"
	n=$((n + 1))
done < <(grep -oE 'getenv\("[A-Za-z_][A-Za-z0-9_]*"\)|"(BMCFLEET|BMCSIM|IPMI)_[A-Z0-9_]+"' \
    $srcs /dev/null | sed -E 's/getenv\("([^"]*)"\)/\1/; s/"//g' | sort -u)
((n >= 8)) || fail "only $n variables found in the sources: the scan is broken"

# shellcheck disable=SC2086
while IFS= read -r hit; do
	file=${hit%%:*}
	arg=$(sed -E 's/.*getenv\(([^)]*)\).*/\1/' <<<"$hit")
	word=${indirect["$file:$arg"]:-}
	[[ -n $word ]] || fail "$file: getenv($arg): a variable named at run" \
	    "time; document it in ENVIRONMENT and list it in $0"
	grep -qw -- "$word" <<<"$fleet_all" ||
	    fail "$file: getenv($arg): '$word' is not in bmcfleet.1's ENVIRONMENT"
done < <(grep -E 'getenv\([^")]' $srcs /dev/null)

# the libraries' own
for name in PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD PGPASSFILE \
    http_proxy https_proxy no_proxy; do
	grep -qw -- "$name" <<<"$fleet_env" ||
	    fail "bmcfleet.1's ENVIRONMENT does not name $name"
done
msg "PASS ($n file:variable pairs by name, ${#indirect[@]} named at run time)"
