#!/bin/bash
# make kcsan: a third tree (build/src/kcsan: Debian's tarball with the
# series applied by patch(1)), built with configs/base.config +
# configs/kcsan.config, then the torture plan on it for DURATION seconds.
# Every KCSAN report in the log is listed in build/results/kcsan/kcsan.txt.
# Not part of make test: a KCSAN kernel is a full cold build (~10 min here).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dur=${1:-60}
src=$(src_of kcsan)
# Re-extracted whenever the series changed.
stamp=$(cat "$TOP/series" "$TOP"/patches/*.patch | sha256sum | cut -c1-16)
if [ "$(cat "$src/.series-applied" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	say "kcsan: extracting $DEBIAN_TARBALL"
	tar -C "$src.tmp" -xf "$DEBIAN_TARBALL" --strip-components=1
	series_patches | while read -r p; do
		patch -d "$src.tmp" -p1 -s <"$TOP/patches/$p" || die "kcsan: $p does not apply"
	done
	echo "$stamp" >"$src.tmp/.series-applied"
	mv "$src.tmp" "$src"
fi
CONFIG_EXTRA=kcsan bash "$TOP/scripts/build-kernel.sh" kcsan
grep -q '^CONFIG_KCSAN=y' "$BUILD/kcsan/.config" || die "kcsan: CONFIG_KCSAN did not stick"
bash "$TOP/scripts/mkinitramfs.sh" kcsan
HWBP_APPEND="hw_breakpoint_torture.duration=$dur" HWBP_QEMU_TIMEOUT=$((dur + 600)) \
	bash "$TOP/scripts/run-plan.sh" kcsan torture || true
mkdir -p "$RESULTS/kcsan"
log=$LOGS/kcsan/torture.log
# One line per report: the racing functions (KCSAN's title line).
grep -a 'BUG: KCSAN:' "$log" | sed 's/^\[[^]]*\] //' | sort | uniq -c | sort -rn \
	>"$RESULTS/kcsan/kcsan.txt" || true
say "kcsan: $(wc -l <"$RESULTS/kcsan/kcsan.txt") distinct KCSAN reports (build/results/kcsan/kcsan.txt)"
grep -a 'hw_breakpoint_torture: End of test' "$log" | sed 's/^\[[^]]*\] //' >&2 || true
