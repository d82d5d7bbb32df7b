# Common paths and helpers for the harness scripts (sourced, not run).
# shellcheck shell=bash
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
KSRC=${KSRC:-}

# The kernel version (make KVER=6.12 exports HWBP_KVER): one queue per
# version, patches/KVER/ with its quilt series patches/KVER/series, pushed
# onto Debian's linux-source-KVER.  6.12 is the default; 6.1 keeps build/ as it
# always was; another version has all of its own under build/KVER/.
HWBP_KVER=${HWBP_KVER:-6.12}
case $HWBP_KVER in
6.1) TESTED_VERSION=6.1.192 ;;		# last validated against
6.12) TESTED_VERSION=6.12.118 ;;
*) printf '[hwbp] error: unknown KVER=%s (6.1|6.12)\n' "$HWBP_KVER" >&2; exit 1 ;;
esac
export HWBP_KVER
DEBIAN_TARBALL=/usr/src/linux-source-$HWBP_KVER.tar.xz
QUEUE=$TOP/patches/$HWBP_KVER
SERIES=$QUEUE/series
# What every version and architecture shares: the compiler cache, the
# packages' stamp, arm64's busybox, the kernel-build lock.
TOPBUILD=$TOP/build
BUILD=${BUILD:-$TOPBUILD}
if [ "$HWBP_KVER" != 6.1 ]; then
	case $BUILD in */"$HWBP_KVER") ;; *) BUILD=$BUILD/$HWBP_KVER ;; esac
fi

# The target architecture (make ARCH=arm64 exports HWBP_ARCH): x86, the
# default, keeps build/ as it always was; another architecture has all of
# its own under build/ARCH/ (trees, kernels, initramfs, logs, results), as
# its kernels are cross-built and must never overwrite x86's.
HWBP_ARCH=${HWBP_ARCH:-x86}
case $HWBP_ARCH in
x86)
	ABUILD=$BUILD
	KARCH=x86 CROSS= KIMAGE=arch/x86/boot/bzImage
	GUEST_CC=gcc GUEST_BUSYBOX=/bin/busybox
	CONFIG_BASE=base.config
	;;
arm64)
	ABUILD=$BUILD/arm64
	KARCH=arm64 CROSS=aarch64-linux-gnu- KIMAGE=arch/arm64/boot/Image
	GUEST_CC=aarch64-linux-gnu-gcc
	# Debian's busybox-static:arm64, unpacked by scripts/deps.sh (the
	# host's own busybox-static stays the x86 one).
	GUEST_BUSYBOX=$TOPBUILD/arm64/deb/busybox-static/bin/busybox
	CONFIG_BASE=arm64.config
	# A user's tree (KSRC=) is x86's, built in place: arm64 always uses
	# Debian's tarball.
	KSRC=
	;;
*) printf '[hwbp] error: unknown ARCH=%s (x86|arm64)\n' "$HWBP_ARCH" >&2; exit 1 ;;
esac
export HWBP_ARCH
# Another architecture's case names start with it (scripts/ktap.py does the
# same for plans).
CASE_PFX=
[ "$HWBP_ARCH" = x86 ] || CASE_PFX=$HWBP_ARCH.

SRC_PRISTINE=$ABUILD/src/pristine
SRC_PATCHED=${KSRC:-$ABUILD/src/patched}
LOGS=$ABUILD/logs
RESULTS=$ABUILD/results
JOBS=${JOBS:-$(nproc)}

export QUILT_PATCHES=$QUEUE
export QUILT_SERIES=$SERIES
export QUILT_PC=.pc
export CCACHE_DIR=${CCACHE_DIR:-$TOPBUILD/ccache}
export CCACHE_BASEDIR=$TOPBUILD
# Depend mode: ccache takes the headers from the compiler's own -MMD output
# instead of running the preprocessor first on a miss.  Measured on 6.12's
# kernel/ and mm/ (222 objects, 2 cores, empty cache): 168 s in ccache's
# default mode, 118 s in depend mode, 117 s without ccache; a second build
# hits in both modes.  Every build of a fresh clone (CI) is a miss.
export CCACHE_DEPEND=${CCACHE_DEPEND:-1}

say() { printf '[hwbp] %s\n' "$*" >&2; }

# kbuild_lock: hold the kernel-build lock for the rest of this process and
# its children: one kernel build at a time on this machine (2 cores).  A
# build started under one that holds it (HWBP_KBUILD_LOCKED) does not wait
# for itself.  Clones of the project on one machine share a lock by naming
# it in HWBP_KBUILD_LOCK.
kbuild_lock() {
	[ -z "${HWBP_KBUILD_LOCKED:-}" ] || return 0
	mkdir -p "$TOP/build"
	exec 9>"${HWBP_KBUILD_LOCK:-$TOP/build/.kbuild.lock}"
	flock 9
	export HWBP_KBUILD_LOCKED=1
}
die() { printf '[hwbp] error: %s\n' "$*" >&2; exit 1; }

# src_of KIND: the source tree of a kernel kind.
src_of() {
	case "$1" in
	pristine) echo "$SRC_PRISTINE" ;;
	patched) echo "$SRC_PATCHED" ;;
	kcsan) echo "$BUILD/src/kcsan" ;;	# patched, built with KCSAN (make kcsan)
	kasan) echo "$BUILD/src/kasan" ;;	# patched, built with KASAN (make kasan)
	kasan-unfix) echo "$BUILD/src/kasan-unfix" ;;	# kasan minus a fix (make kasan-proof)
	torture) echo "$BUILD/src/torture" ;;	# a helper's tree (build/src/torture -> its git tree)
	*-m) src_of "${1%-m}" ;;	# KIND built with modules (make torture-module)
	*-pnmi) src_of "${1%-pnmi}" ;;	# KIND with pseudo-NMIs (make pnmi ARCH=arm64)
	*-kdb) src_of "${1%-kdb}" ;;	# KIND with kdb (make kdb ARCH=arm64)
	before|variant) echo "$SRC_PATCHED" ;;	# copies of a patched build (a bug before its fix)
	*) die "unknown kernel kind '$1' (pristine|patched|kcsan|kasan|kasan-unfix)" ;;
	esac
}

# Patches named in the series file, in order (comments and blanks skipped).
series_patches() {
	sed -e 's/#.*//' -e 's/[[:space:]].*//' "$SERIES" | grep -v '^$' || true
}

# ktap_line FILE OK NAME [DIAG]: append one flat KTAP result.
ktap_line() {
	local file=$1 ok=$2 name=$3 diag=${4:-}
	local n
	n=$(grep -c '^\(not \)\?ok ' "$file" 2>/dev/null || true)
	n=$((n + 1))
	if [ "$ok" = ok ]; then
		echo "ok $n $name${diag:+ # $diag}" >>"$file"
	elif [ "$ok" = skip ]; then
		echo "ok $n $name # SKIP $diag" >>"$file"
	else
		echo "not ok $n $name${diag:+ # $diag}" >>"$file"
	fi
}

# sched_core_features HEADER: -D flags for what the scheduler core under
# test provides.  The user-space harness follows the core whose debugger
# says what it wants (patch 0014, HAVE_DBG_WANT) and stops with an #error
# on an older one: the request queue before it needs the harness of its
# time (its models replayed requests in order).
sched_core_features() {
	local h=$1
	grep -q 'struct hw_bp_sched_dbg_want' "$h" && echo -DHAVE_DBG_WANT
	# Newcomers wait for perf's try only behind their class (issue 13).
	grep -q 'waiting_cls;' "$h" && echo -DHAVE_WAITING_CLS
	true
}

# series_tree DIR [DIFF...]: DIR is Debian's tarball with the whole series
# applied by patch(1), then each DIFF (a file, applied with -p1), e.g. the
# reverse of a fix (make kasan-proof).  A tree of its own, never quilt's;
# extracted again only when the series, a patch or a DIFF changed (stamp
# DIR/.series-applied).  Used by make kcsan and make kasan.
series_tree() {
	local dir=$1; shift
	local name stamp p d
	name=$(basename "$dir")
	stamp=$(cat "$SERIES" "$QUEUE"/*.patch "$@" | sha256sum | cut -c1-16)
	[ "$(cat "$dir/.series-applied" 2>/dev/null)" = "$stamp" ] && return 0
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	say "$name: extracting $DEBIAN_TARBALL"
	tar -C "$dir.tmp" -xf "$DEBIAN_TARBALL" --strip-components=1
	for p in $(series_patches); do
		patch -d "$dir.tmp" -p1 -s <"$QUEUE/$p" || die "$name: $p does not apply"
	done
	for d in "$@"; do
		say "$name: applying ${d#"$TOP"/}"
		patch -d "$dir.tmp" -p1 -s <"$d" || die "$name: ${d#"$TOP"/} does not apply"
	done
	echo "$stamp" >"$dir.tmp/.series-applied"
	mv "$dir.tmp" "$dir"
}
