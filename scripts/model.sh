#!/bin/bash
# make model: check tests/model/nmi_protocol.pml with spin (exhaustive
# safety search), and check that each broken variant of the protocol is
# rejected.  Writes build/results/patched/model.ktap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

res=$RESULTS/patched/model.ktap
work=$BUILD/model
mkdir -p "$work" "$(dirname "$res")"
echo "KTAP version 1" >"$res"
model=$TOP/tests/model/nmi_protocol.pml

run_spin() { # run_spin [-DMUTANT]: pan's output
	rm -rf "$work/run" && mkdir -p "$work/run" && cd "$work/run"
	spin "$@" -a "$model" >/dev/null
	gcc -O2 -w -o pan pan.c
	./pan -m100000 2>&1 || true
}

out=$(run_spin)
states=$(printf '%s\n' "$out" | awk '/states, stored/ { print $1 }')
if printf '%s' "$out" | grep -q "errors: 0"; then
	ktap_line "$res" ok model.nmi-protocol "$states states, no assertion violated, no invalid end state"
else
	printf '%s\n' "$out" >&2
	ktap_line "$res" fail model.nmi-protocol "$(printf '%s' "$out" | grep -m1 -E 'assertion|invalid')"
fi
for m in MUTANT_IGNORE_SEQ MUTANT_NO_RECHECK MUTANT_ONE_PASS; do
	out=$(run_spin "-D$m")
	if printf '%s' "$out" | grep -q "errors: 0"; then
		ktap_line "$res" fail "model.rejects-$m" "spin found nothing wrong"
	else
		ktap_line "$res" ok "model.rejects-$m" "$(printf '%s' "$out" | grep -m1 -oE 'assertion violated.*|invalid end state' || true)"
	fi
done
grep -E '^(not )?ok' "$res" >&2
