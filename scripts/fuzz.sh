#!/bin/bash
# Fuzz the scheduler core in user space (tests/sched-harness/fuzz.c) with
# libFuzzer, ASan and UBSan: x86's single pool, then split instruction/data
# pools, half the time each.  Writes build/results/patched/fuzz.ktap: one
# line with executions and coverage, or "not ok" with the crashing input
# (kept under build/fuzz/, printed as hex).
#   fuzz.sh [SECONDS]   (default 40; `make fuzz FUZZ_SECONDS=600` runs longer)
# HWBP_FUZZ_SEED: libFuzzer's -seed (make test gives 1, so that a CI run
# can be replayed; unset or 0: a random one, printed in the result).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

secs=${1:-40}
seed=${HWBP_FUZZ_SEED:-0}
[[ $seed =~ ^[0-9]+$ ]] || die "HWBP_FUZZ_SEED must be a number, got '$seed'"
[ "$seed" != 0 ] || seed=$(( (RANDOM << 15 | RANDOM) + 1 ))
if ! [[ $secs =~ ^[0-9]+$ ]] || [ "$secs" -lt 2 ]; then
	die "usage: fuzz.sh [SECONDS >= 2]"
fi
core=$SRC_PATCHED/kernel/events/hw_breakpoint_sched.c
dir=$TOP/tests/sched-harness
out=$BUILD/fuzz
res=$RESULTS/patched/fuzz.ktap
mkdir -p "$out" "$(dirname "$res")"
echo "KTAP version 1" >"$res"
[ -f "$core" ] || { ktap_line "$res" fail fuzz "no $core: series not applied?"; exit 0; }

# Symbolized sanitizer reports even without the llvm metapackage's link.
if ! command -v llvm-symbolizer >/dev/null && [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
	export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
mapfile -t feat < <(sched_core_features "${core%.c}.h")
COMMON=(-Wall -Werror -DSHIM_SEQ_HOOKS "${feat[@]}" -I"$dir/shim" -I"$(dirname "$core")")
SRCS=("$dir/fuzz.c" "$dir/model.c" "$core")
variants=(x86 split)
declare -A vflags=([x86]="" [split]="-DSHIM_SPLIT_TYPES")

# A few seeds so that a fresh clone starts beyond the trivial inputs:
# slots config byte, then steps (see fuzz.c for the encoding).
seed() { # seed VARIANT NAME BYTES...
	local d=$out/seeds-$1 name=$2; shift 2
	mkdir -p "$d"
	printf '%b' "$(printf '\\x%s' "$@")" >"$d/$name"
}
for v in "${variants[@]}"; do
	seed "$v" fill-evict-restore 0f 00 00 00 00 08 08 02 02 03 0a
	seed "$v" debugger 0f 00 00 08 00 04 38 04 00 00 04 01 04 02 04 03 02
	seed "$v" nmi 0f 00 00 00 2d 00 00 05 01 08 15 02 02 05 1c 0a
	seed "$v" replant-nmi 0f 00 00 04 38 00 0d 26 00 15 22 02 1d 2e 08
	seed "$v" preempt-off 1f 00 00 00 00 08 0e 08 0a 02 06 04 04 00
	seed "$v" hotplug 0f 00 00 04 38 07 04 00 0d 26 07 02
	seed "$v" snapshot-nmi 0f 00 04 38 0d 26 0b 15 22 0b 1d 03 0b 0d 00 0b
done

diag=()
status=ok
for v in "${variants[@]}"; do
	bin=$out/fuzz-$v
	# shellcheck disable=SC2086
	if ! clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		${vflags[$v]} "${COMMON[@]}" -o "$bin" "${SRCS[@]}" 2>"$out/build-$v.log"; then
		cat "$out/build-$v.log" >&2
		ktap_line "$res" fail fuzz "$v: build failed (build/fuzz/build-$v.log)"
		exit 0
	fi
	t=$((secs / 2))
	[ "$v" = split ] && t=$((secs - secs / 2))
	mkdir -p "$out/corpus-$v"
	# Inputs found by earlier runs stay; this run's are newer than the stamp.
	touch "$out/.stamp-$v"
	say "fuzz $v for ${t}s (-seed=$seed)"
	log=$out/$v.log
	rc=0
	dirs=("corpus-$v" "seeds-$v")
	[ -d "$dir/regressions/$v" ] && dirs+=("$dir/regressions/$v")
	(cd "$out" && "$bin" -seed="$seed" -max_total_time="$t" -max_len=256 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/$v-" "${dirs[@]}") \
		>"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)
	crash=$(find "$out" -maxdepth 1 -newer "$out/.stamp-$v" -type f \
		-regex ".*/$v-\(crash\|leak\|timeout\|oom\)-.*" | head -1)
	if [ "$rc" != 0 ] || [ -n "$crash" ]; then
		status=fail
		why=$(grep -m1 -E '^MISMATCH|ERROR: (AddressSanitizer|libFuzzer)|runtime error' "$log" || echo "exit $rc")
		say "fuzz $v: $why"
		grep -m1 '^trace:' "$log" >&2 || true
		if [ -n "$crash" ]; then
			hex=$(od -An -tx1 -v "$crash" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
			say "input ${crash#"$TOP"/}: $hex"
			say "replay: $bin $crash"
			diag+=("$v: $why (-seed=$seed), input ${crash#"$TOP"/}: $hex")
		else
			diag+=("$v: $why (build/fuzz/$v.log)")
		fi
		continue
	fi
	ncorp=$(find "$out/corpus-$v" -type f | wc -l)
	diag+=("$v ${execs:-?} execs (${rate:-?}/s, -seed=$seed), ${cov:-cov ?}, corpus $ncorp")
done

# Line coverage of the core by the corpora: replay them, gcov, union.
cov_dir=$out/gcov
rm -rf "$cov_dir"
covered=
for v in "${variants[@]}"; do
	mkdir -p "$cov_dir/$v"
	cp "$core" "$cov_dir/$v/hw_breakpoint_sched.c"
	# shellcheck disable=SC2086
	gcc -O0 --coverage -DFUZZ_REPLAY ${vflags[$v]} "${COMMON[@]}" -o "$cov_dir/$v/replay" \
		"$dir/fuzz.c" "$dir/model.c" "$cov_dir/$v/hw_breakpoint_sched.c"
	find "$out/corpus-$v" "$out/seeds-$v" -type f -print0 |
		(cd "$cov_dir/$v" && xargs -0 -r ./replay 2>/dev/null) || true
	(cd "$cov_dir/$v" && gcov -t replay-hw_breakpoint_sched.gcda 2>/dev/null) \
		>"$cov_dir/$v.gcov" || true
done
# gcov -t: "COUNT: LINE: SOURCE" per source file (the shim headers' too);
# "#####" never ran, "-" is no code.
covered=$(awk -F: '$2 + 0 == 0 && $3 == "Source" { core = $4 ~ /hw_breakpoint_sched\.c$/ }
	core && $1 ~ /#####|[0-9]/ { l = $2 + 0; if (!(l in seen)) seen[l] = 0;
		if ($1 !~ /#/) seen[l] = 1 }
	END { n = c = 0; u = ""; for (l in seen) { n++; if (seen[l]) c++; else u = u " " l }
		if (n) printf "%d/%d lines (%.1f%%) of hw_breakpoint_sched.c;%s\n", c, n, 100 * c / n, u }' \
	"$cov_dir"/*.gcov)
if [ -n "$covered" ]; then
	say "never run:$(echo "${covered#*;}" | tr ' ' '\n' | sort -n | tr '\n' ' ')"
	diag+=("${covered%%;*}")
fi

line=$(printf '%s; ' "${diag[@]}")
ktap_line "$res" "$status" fuzz "${line%; }"
grep -E '^(not )?ok' "$res" >&2
