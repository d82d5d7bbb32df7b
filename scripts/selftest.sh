#!/bin/bash
# Quick self-tests of the harness (parser, summary rules, shell syntax).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
res=$RESULTS/patched/selftest.ktap
mkdir -p "$(dirname "$res")"
python3 "$TOP/tests/harness/test_harness.py" >"$res" || true
for f in "$TOP"/scripts/*.sh "$TOP"/tests/plans/*.sh "$TOP"/.ci/run; do
	if bash -n "$f"; then
		ktap_line "$res" ok "selftest.syntax.${f#"$TOP"/}"
	else
		ktap_line "$res" fail "selftest.syntax.${f#"$TOP"/}"
	fi
done
python3 "$TOP/scripts/summary.py" --only selftest | tail -1
# the exit status is the summary's
