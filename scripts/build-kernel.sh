#!/bin/bash
# Build one kernel kind (pristine|patched) from tinyconfig + the project's
# config fragments + olddefconfig.  Outputs build/KIND/{bzImage,vmlinux,.config}
# (ARCH=arm64: cross-built, build/arm64/KIND/{Image,vmlinux,.config}).
# Incremental: the config is only regenerated when the fragments change.
#   build-kernel.sh KIND [make target...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=${1:?kind}; shift
src=$(src_of "$kind")
out=$ABUILD/$kind
mkdir -p "$out" "$CCACHE_DIR"
# One kernel build at a time on this machine (2 cores): others wait here.
kbuild_lock
[ -f "$src/Makefile" ] || die "$src: no tree (make tree)"

fragments=("$TOP/configs/$CONFIG_BASE")
for f in ${CONFIG_EXTRA:-}; do fragments+=("$TOP/configs/$f.config"); done
# ARCH and CROSS_COMPILE always on the command line: x86's as well, so an
# ARCH from the environment never leaks into a build.
kmake() {
	make -s -C "$src" -j"$JOBS" ARCH="$KARCH" ${CROSS:+CROSS_COMPILE=$CROSS} \
		CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc" "$@"
}

# Fragment options that this tree's Kconfig knows but .config lacks.  The
# options the series adds are not in the pristine tree's Kconfig: those are
# skipped there, and only there.  Also catches a tree that gained an option
# (a prefix build pushing the patch that adds it).  A later fragment's
# value of an option wins over an earlier one's (configs/modules.config
# makes base.config's =y an =m).
missing_options() {
	cat "${fragments[@]}" | grep -E '^CONFIG_[A-Z0-9_]+=' |
		awk -F= '!($1 in v) { order[++n] = $1 } { v[$1] = $0 } END { for (i = 1; i <= n; i++) print v[order[i]] }' |
		while IFS= read -r line; do
			grep -qxF "$line" "$src/.config" 2>/dev/null && continue
			sym=${line%%=*}; sym=${sym#CONFIG_}
			grep -rqx --include='Kconfig*' "config $sym" "$src" && echo "$line"
		done || true
}

hash=$(cat "${fragments[@]}" | sha256sum | cut -c1-16)
# Kinds that share a tree with other fragments (KIND-m, KIND-pnmi) leave
# their .config behind: the tree records whose it is.
if [ ! -f "$src/.config" ] || [ "$(cat "$out/config.hash" 2>/dev/null)" != "$hash" ] ||
   [ "$(cat "$src/.hwbp-config.hash" 2>/dev/null)" != "$hash" ] ||
   [ -n "$(missing_options)" ]; then
	say "$kind: configuring (tinyconfig + ${fragments[*]##*/})"
	kmake tinyconfig >/dev/null
	(cd "$src" && KCONFIG_CONFIG=.config \
		scripts/kconfig/merge_config.sh -m .config "${fragments[@]}" >/dev/null)
	kmake olddefconfig >/dev/null
	# Fail loudly when a requested option did not survive olddefconfig.
	missing=$(missing_options)
	[ -z "$missing" ] || die "$kind: options not set after olddefconfig: $missing"
	echo "$hash" >"$out/config.hash"
	echo "$hash" >"$src/.hwbp-config.hash"
fi

if [ $# -gt 0 ]; then
	kmake "$@"
	exit 0
fi
image=$(basename "$KIMAGE")
say "$kind: building $HWBP_ARCH $image (-j$JOBS)"
start=$(date +%s)
kmake "$image"
cp "$src/$KIMAGE" "$out/$image"
cp "$src/vmlinux" "$out/vmlinux"
cp "$src/.config" "$out/.config"
# Modules, with CONFIG_EXTRA=modules (make torture-module): build/KIND/modules/*.ko.
rm -rf "$out/modules"
if [[ " ${CONFIG_EXTRA:-} " == *" modules "* ]]; then
	kmake modules
	mkdir -p "$out/modules"
	sed 's/\.o$/.ko/' "$src/modules.order" | while read -r ko; do
		cp "$src/$ko" "$out/modules/"
	done
fi
kmake kernelrelease >"$out/kernelrelease"
say "$kind: built $(cat "$out/kernelrelease") in $(( $(date +%s) - start ))s"
