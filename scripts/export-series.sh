#!/bin/bash
# Developer tool: regenerate patches/ from a git branch of a kernel tree
# (one commit per patch, on top of BASE).
#   export-series.sh GIT_TREE BASE
# Writes patches/NNNN-subject.patch with git format-patch (zero commit ids,
# no signature), replacing only the files whose content changed, so that
# `make apply` re-pushes exactly the patches that changed.  The list of
# names lands in build/series.new; the '#' topic comments of series are
# kept by hand.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
tree=${1:?git tree} base=${2:?base commit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$tree" format-patch -q --zero-commit --no-signature -o "$tmp" "$base"..HEAD
for f in "$QUEUE"/[0-9][0-9][0-9][0-9]-*.patch; do
	[ -e "$f" ] && [ ! -e "$tmp/$(basename "$f")" ] && rm -f "$f"
done
for f in "$tmp"/*.patch; do
	cmp -s "$f" "$QUEUE/$(basename "$f")" || cp "$f" "$QUEUE/"
done
mkdir -p "$BUILD"
ls "$tmp" >"$BUILD/series.new"
say "exported $(wc -l <"$BUILD/series.new") patches; update the topic comments in series"
