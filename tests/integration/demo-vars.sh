#!/usr/bin/env bash
# make demo takes its addresses from DEMO_BASE and DEMO_COUNT (issue 13,
# part cli), so it can run beside another simulator: the make variables
# reach deploy/demo.sh, whose --print-plan shows the fleet it would start
# and exits (no root, no network, no database).  A full demo takes a
# minute and port 623: it is not run here.
# sanitize: no (make -n and a shell script's --print-plan: no program of ours runs)
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool make

# the recipe: make -n prints it without building or running anything
out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -n -C "$TOP" O="$O" \
    demo DEMO_BASE=127.0.68.1 DEMO_COUNT=20 2>&1)
expect_match "$out" 'DEMO_BASE=127\.0\.68\.1 DEMO_COUNT=20 deploy/demo\.sh' \
    "make -n demo DEMO_BASE=127.0.68.1 DEMO_COUNT=20"
out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -n -C "$TOP" O="$O" \
    demo 2>&1)
expect_match "$out" 'DEMO_BASE=127\.0\.1\.1 DEMO_COUNT=50 deploy/demo\.sh' \
    "make -n demo (the defaults)"

# the script: the fleet, its groups, from the variables
run_to plan env DEMO_BASE=127.0.68.5 DEMO_COUNT=20 \
    "$TOP/deploy/demo.sh" --print-plan
expect_eq "$RUN_RC" 0 "demo.sh --print-plan exit status"
expect_eq "$RUN_OUT" "bmcsim --count 20 --base 127.0.68.5
hosts 127.0.68.[5-24]
compute 127.0.68.[5-14]
storage 127.0.68.[15-24]" "demo.sh --print-plan with DEMO_BASE=127.0.68.5"
run_to plan env -u DEMO_BASE -u DEMO_COUNT "$TOP/deploy/demo.sh" --print-plan
expect_match "$RUN_OUT" '^bmcsim --count 50 --base 127\.0\.1\.1$' \
    "demo.sh --print-plan (defaults)"
# past the /24, or not an address: refused before anything starts
run_to plan env DEMO_BASE=127.0.68.250 "$TOP/deploy/demo.sh" --print-plan
expect_eq "$RUN_RC" 2 "demo.sh with DEMO_BASE=127.0.68.250"
run_to plan env DEMO_BASE=localhost "$TOP/deploy/demo.sh" --print-plan
expect_eq "$RUN_RC" 2 "demo.sh with DEMO_BASE=localhost"
# no address of the fleet is written into the script any more
expect_no_match "$(grep -v '^#' "$TOP/deploy/demo.sh" | grep -v 'DEMO_BASE:-')" \
    '127\.0\.1\.' "deploy/demo.sh outside its default"
msg "PASS"
