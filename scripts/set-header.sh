#!/bin/bash
# Developer tool: replace the header (changelog) of a patch of the series
# with the text of a file, keeping its diff.
#   set-header.sh PATCH HEADER_FILE
set -euo pipefail
patch=${1:?patch} hdr=${2:?header file}
tmp=$(mktemp)
cat "$hdr" >"$tmp"
# The diff starts at the diffstat (" file | n +-") or at the first "---/diff" line.
awk 'f { print; next } /^ [^ ].*\|/ || /^diff --git / || /^--- a\// || /^Index: / { f = 1; print }' "$patch" >>"$tmp"
mv "$tmp" "$patch"
