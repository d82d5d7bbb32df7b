#!/bin/bash
# Extract Debian's linux-source-KVER twice under build/src (build/ARCH/src for
# another architecture): a pristine tree and a tree for the series (or use
# KSRC as the latter, x86 only).  Records the version.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

extract() { # extract DEST
	local dest=$1 tmp
	[ -f "$dest/Makefile" ] && return 0
	[ -f "$DEBIAN_TARBALL" ] || die "$DEBIAN_TARBALL missing (make deps)"
	say "extracting $DEBIAN_TARBALL into $dest"
	tmp=$(mktemp -d "$ABUILD/src/.x.XXXXXX")
	tar -C "$tmp" -xf "$DEBIAN_TARBALL"
	mv "$tmp"/linux-source-"$HWBP_KVER" "$dest"
	rmdir "$tmp"
}

mkdir -p "$ABUILD/src"
if [ -n "$KSRC" ]; then
	[ -f "$KSRC/Makefile" ] || die "KSRC=$KSRC is not a kernel tree"
	if [ ! -f "$SRC_PRISTINE/Makefile" ]; then
		[ -d "$KSRC/.pc" ] && die "KSRC has quilt patches applied; pop them first"
		say "copying $KSRC as the pristine tree"
		cp -a "$KSRC" "$SRC_PRISTINE.tmp" && mv "$SRC_PRISTINE.tmp" "$SRC_PRISTINE"
	fi
else
	extract "$SRC_PRISTINE"
	extract "$SRC_PATCHED"
fi

version=$(make -s -C "$SRC_PRISTINE" kernelversion)
echo "$version" >"$ABUILD/src/VERSION"
if [ "$version" != "$TESTED_VERSION" ]; then
	say "NOTE: base tree is Linux $version; the series was validated on $TESTED_VERSION"
fi
