#!/bin/bash
# Developer tool: number the patches in the order of the series file.
# Renames patches/NNNN-subject.patch to the position each has in series,
# rewrites series with the new names (comments kept), and sets each
# patch's subject to "[PATCH n/N]".  Pop the series first (make unapply):
# quilt tracks applied patches by name.
#   renumber-series.sh --tags   only the "[PATCH n/N]" tags, no file renamed
#                               (a patch added or dropped where the numbers
#                               have a gap, as 6.12's 0002); applied or not
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# set_tag FILE N TOTAL: the subject's "[PATCH ...]" tag, to stdout.
set_tag() {
	sed -E "1,/^Subject:/ s#^Subject: \[PATCH[^]]*\]#Subject: [PATCH $2/$3]#" "$1"
}

if [ "${1:-}" = --tags ]; then
	mapfile -t names < <(series_patches)
	for i in "${!names[@]}"; do
		f=$QUEUE/${names[$i]}
		set_tag "$f" $((i + 1)) ${#names[@]} >"$f.tag"
		if cmp -s "$f" "$f.tag"; then rm -f "$f.tag"; else mv "$f.tag" "$f"; say "tagged ${names[$i]}"; fi
	done
	exit 0
fi

if [ -d "$SRC_PATCHED/.pc" ] && [ -s "$SRC_PATCHED/.pc/applied-patches" ]; then
	die "the series is applied on $SRC_PATCHED: make unapply first"
fi
mapfile -t names < <(series_patches)
total=${#names[@]}
tmp=$(mktemp -d "$QUEUE/.renumber.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sed_args=()
for i in "${!names[@]}"; do
	old=${names[$i]}
	n=$((i + 1))
	new=$(printf '%04d-%s' "$n" "${old#[0-9][0-9][0-9][0-9]-}")
	[ -f "$QUEUE/$old" ] || die "series names $old: no such patch"
	# The subject's "[PATCH ...]" tag: n of total.
	set_tag "$QUEUE/$old" "$n" "$total" >"$tmp/$new"
	sed_args+=(-e "s|^$old\$|$new|")
done
for old in "${names[@]}"; do
	rm -f "$QUEUE/$old"
done
mv "$tmp"/*.patch "$QUEUE/"
sed -i "${sed_args[@]}" "$SERIES"
say "numbered $total patches in series order"
