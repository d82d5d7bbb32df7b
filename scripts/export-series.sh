#!/bin/bash
# Developer tool: regenerate patches/ and series from a git branch of a
# kernel tree (one commit per patch, on top of BASE).
#   export-series.sh GIT_TREE BASE
# Writes patches/NNNN-subject.patch (git format-patch, zero commit ids so
# that a regeneration only shows real changes) and rewrites the patch lines
# of series, keeping its '#' topic comments where the names still match.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
tree=${1:?git tree} base=${2:?base commit}
rm -f "$TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch
git -C "$tree" format-patch -q --zero-commit --no-signature -o "$TOP/patches" "$base"..HEAD
ls "$TOP/patches" | grep -E '^[0-9]{4}-.*\.patch$' >"$BUILD/series.new"
say "exported $(wc -l <"$BUILD/series.new") patches; update the topic comments in series"
