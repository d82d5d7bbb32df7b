#!/bin/bash
# Push (all of, or up to PATCH) / pop the series on the patched tree with
# quilt.  QUILT_PATCHES/QUILT_SERIES point into the project, so the tree gets
# no copies of the patches.  A reject stops with the patch and the hunk.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$SRC_PATCHED"
# quilt keeps where the patches were (.pc/.quilt_patches, .quilt_series)
# and prefers that to the environment: point it at this queue, which may
# have moved (patches/ became patches/KVER/).
if [ -d .pc ]; then
	printf '%s\n' "$QUILT_PATCHES" >.pc/.quilt_patches
	printf '%s\n' "$QUILT_SERIES" >.pc/.quilt_series
fi

# A patch edited since quilt applied it: pop back to just before it, so the
# push below applies the new version (quilt's own backups restore the files).
repush_stale() {
	local p prev=""
	# A patch renamed or dropped from series: quilt wants everything popped.
	if [ -s .pc/applied-patches ] && ! quilt applied >/dev/null 2>&1; then
		say "series no longer matches the applied patches: popping all"
		quilt pop -a -f -q >/dev/null
		return
	fi
	for p in $(quilt applied 2>/dev/null | sed 's|.*/||'); do
		if [ "$QUILT_PATCHES/$p" -nt ".pc/$p/.timestamp" ]; then
			say "$p changed since it was applied: re-pushing from there"
			# -f: restore from the backups, the patch file no longer matches
			if [ -n "$prev" ]; then quilt pop -f -q "$prev" >/dev/null; else quilt pop -a -f -q >/dev/null; fi
			return
		fi
		prev=$p
	done
}

case "${1:-push}" in
push)
	target=${2:-}
	repush_stale
	[ -n "$(series_patches)" ] || { say "series is empty: nothing to push"; exit 0; }
	# Already at the requested point?
	top=$(quilt top 2>/dev/null || true)
	top=${top#"$QUILT_PATCHES"/}
	if [ -z "$target" ]; then
		quilt unapplied >/dev/null 2>&1 || exit 0
		set -- quilt push -a --fuzz=0
	else
		[ "$top" = "$target" ] && exit 0
		if quilt applied 2>/dev/null | sed "s|.*/||" | grep -qx "$target"; then
			quilt pop -q "$target" >/dev/null
			exit 0
		fi
		set -- quilt push --fuzz=0 "$target"
	fi
	if ! out=$("$@" 2>&1); then
		printf '%s\n' "$out" | tail -20 >&2
		die "quilt push failed at $(quilt next 2>/dev/null || echo '?') (see hunk above)"
	fi
	say "series applied up to $(quilt top | sed 's|.*/||')"
	;;
pop)
	# Whatever is applied, even if the series no longer names it (a patch
	# inserted or renamed since): quilt pops by its own records.
	if [ -s .pc/applied-patches ]; then
		# -f: restore from quilt's backups even if a patch file changed
		# since it was applied.
		quilt pop -a -f -q >/dev/null
		say "series popped"
	fi
	;;
*) die "usage: quilt.sh push [PATCH] | pop" ;;
esac
