#!/bin/bash
# Gates on the series; each writes build/results/patched/check-GATE.ktap.
#   check.sh checkpatch   checkpatch.pl --strict: no errors, warnings or checks
#   check.sh prefix       every prefix of the series builds (bzImage) and
#                         passes the KUnit suites it has (plan kunit-prefix)
#   check.sh prefix-compile  (make test) every prefix compiles, with no
#                         warning, the files of this configuration that it
#                         changes and the series' files that include a
#                         header it changes; out of tree, in a copy of the
#                         pristine tree; no link, no boot
#   check.sh sparse       C=2 on the .c files the series touches: nothing new
#   check.sh cocci        coccicheck (report) on those files: nothing on the
#                         lines the series adds.  Per-file coccicheck is
#                         M=FILE: C=2 CHECK=scripts/coccicheck passes spatch
#                         the wrong argument in 6.1 and silently checks nothing.
#   check.sh w1           W=1 on those files: no new warnings
#   check.sh rst          the .rst files it touches parse without warnings
#   check.sh nohwbp       (ARCH=arm64) where the architecture has no
#                         hardware breakpoints (PERF_EVENTS=n:
#                         HAVE_HW_BREAKPOINT=n) a kernel with kgdb, kdb and
#                         kgdbts links, and W=1 says nothing new on the
#                         files the series touches
#   check.sh series       every patch's subject says "[PATCH n/N]" (n = its
#                         place in series, N = the patches in series), and
#                         docs/cover-letter.txt is what `make cover-letter`
#                         writes now (scripts/cover-letter.py --check: all
#                         but the results table; why, in that script)
#   check.sh am           the series applies with `git am` onto a git tree
#                         of the pristine source (scripts/git-series.sh; the
#                         tree is made once under build/am), to the same
#                         files as quilt, with the cover letter's diffstat
# "New" means not reported for the same file on the pristine tree, with line
# numbers taken out of the comparison.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

gate=${1:?gate}
res=$RESULTS/patched/check-$gate.ktap
work=$BUILD/check/$gate
mkdir -p "$(dirname "$res")" "$work"
echo "KTAP version 1" >"$res"
mapfile -t patches < <(series_patches)

# patch_files PATCH: the files PATCH changes, one per line.
patch_files() {
	sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$QUEUE/$1"
}

# .c files of the kernel the series touches (from the patches themselves);
# not tools/, user-space programs that kbuild does not build (the
# selftest's own Makefile does, with -Wall, in the kselftest plan), nor
# another architecture's (make test's arm64 stage checks arm64's).
touched_c() {
	for p in "${patches[@]}"; do
		patch_files "$p"
	done | grep '\.c$' | grep -v '^tools/' | grep -E "^arch/$KARCH/|^[^a]|^a[^r]" | sort -u
}

# messages KIND GATE FILE...: the gate's messages for the FILEs in KIND's
# tree, each as "FILE:message" with line and column numbers taken out; one
# kbuild run for all of them (-j: the files check or compile in parallel;
# -k: one that fails does not stop the others).
messages() {
	local kind=$1 gate=$2 src f
	local -a files=() objs=()
	shift 2
	src=$(src_of "$kind")
	for f in "$@"; do
		[ -f "$src/$f" ] || continue
		files+=("$f")
		objs+=("${f%.c}.o")
	done
	[ ${#objs[@]} -gt 0 ] || return 0
	case "$gate" in
	sparse) set -- -k C=2 "${objs[@]}" ;;	# checks without recompiling
	w1) (cd "$src" && rm -f "${objs[@]}")	# must recompile to warn
		set -- -k W=1 "${objs[@]}" ;;
	esac
	bash "$TOP/scripts/build-kernel.sh" "$kind" "$@" 2>&1 |
		sed -E 's|^\./||' |
		awk -v list="${files[*]}" 'BEGIN { n = split(list, f, " "); for (i = 1; i <= n; i++) want[f[i]] = 1 }
			{ split($0, a, ":") } (a[1] in want) && a[2] ~ /^[0-9]+$/' |
		sed -E 's/^([^:]+):[0-9]+(:[0-9]+(-[0-9]+)?)?:/\1:/' | sort || true
}

# cocci_new FILE: coccicheck reports on the patched FILE that fall on lines
# the series added or changed.  (A pristine coccicheck of kernel/events/core.c
# alone takes minutes; reports on untouched lines cannot be new.)
cocci_new() {
	local file=$1 ranges
	ranges=$(diff -U0 "$SRC_PRISTINE/$file" "$SRC_PATCHED/$file" 2>/dev/null |
		sed -n 's/^@@ -[0-9,]* +\([0-9]*\)\(,\([0-9]*\)\)\? @@.*/\1 \3/p' || true)
	[ -f "$SRC_PRISTINE/$file" ] || ranges="1 1000000"
	bash "$TOP/scripts/build-kernel.sh" patched coccicheck MODE=report J=1 M="$file" 2>&1 |
		sed -E 's|^\./||' | grep -E "^$file:[0-9]+" |
		while IFS= read -r line; do
			n=$(echo "$line" | cut -d: -f2)
			while read -r start count; do
				[ -n "$start" ] || continue
				count=${count:-1}
				if [ "$n" -ge "$start" ] && [ "$n" -lt $((start + count)) ]; then
					echo "$line"
					break
				fi
			done <<<"$ranges"
		done || true
}

# copy_tree SRC DIR: DIR/src, a copy of the tree SRC in hard links, to be
# built out of tree in DIR/obj (omake), so SRC's own .config, objects and
# timestamps stay as they are: quilt and patch write new files, and the
# copy's mrproper only unlinks (kbuild refuses O= on a configured tree).
copy_tree() {
	rm -rf "$2" && mkdir -p "$2/obj"
	cp -al "$1" "$2/src"
	rm -rf "$2/src/.pc"
	make -s -C "$2/src" ARCH="$KARCH" mrproper >/dev/null
}

# omake DIR ARG...: make in copy_tree's DIR/src, out of tree in DIR/obj.
omake() {
	local d=$1
	shift
	make -s -C "$d/src" O="$d/obj" -j"$JOBS" ARCH="$KARCH" \
		${CROSS:+CROSS_COMPILE=$CROSS} CC="ccache ${CROSS}gcc" \
		HOSTCC="ccache gcc" "$@"
}

# built_objects: the objects the patched tree's configuration builds (one
# per line, after building it): vmlinux.a, the lib-y archives and
# modules.order, of a build of this very configuration (the tree may hold
# another kind's: patched-kdb, patched-m).  Empty if there is no vmlinux.a.
built_objects() {
	local a
	bash "$TOP/scripts/build-kernel.sh" patched >/dev/null
	[ -f "$SRC_PATCHED/vmlinux.a" ] || return 0
	(cd "$SRC_PATCHED" &&
		for a in vmlinux.a lib/lib.a "arch/$KARCH/lib/lib.a"; do
			[ -f "$a" ] && ar t "$a"
		done
		sed 's/\.ko$/.o/' modules.order 2>/dev/null || true)
}

# Eviction may be on by default only once perf takes an evicted breakpoint
# off (perf_pmu_sched_out_lost()), ptrace evicts only within its tracer's
# reach (bp_reach) and kgdb claims its slots through the scheduler
# (dbg_reserve_bp_slot() gone): before all three, a bisected kernel must
# keep mainline's semantics.  preempt_default_allowed TREE prints "N" then
# (the switch must be off), else "any".
preempt_default_allowed() {
	local hb=$1/kernel/events/hw_breakpoint.c
	grep -q hw_bp_sched_preempt "$hb" || { echo any; return; }
	if grep -q perf_pmu_sched_out_lost "$hb" &&
		grep -q bp_reach "$1/include/linux/perf_event.h" &&
		! grep -q dbg_reserve_bp_slot "$1/arch/x86/kernel/kgdb.c"; then
		echo any
	else
		echo N
	fi
}

# preempt_default_built ELF: the switch's boot value as built (Y or N),
# read from vmlinux or hw_breakpoint.o, however the source spells it.
preempt_default_built() {
	local v
	v=$(gdb -batch -nx -ex 'print/d (unsigned char) hw_bp_sched_preempt' \
		"$1" 2>/dev/null | sed -n 's/^\$1 = //p')
	[ "${v:-0}" = 0 ] && echo N || echo Y
}

compare_tool() { # compare_tool GATE
	local name=$1
	local f new
	mapfile -t files < <(touched_c)
	if [ ${#files[@]} -eq 0 ]; then
		ktap_line "$res" skip "${CASE_PFX}check.$name" "series touches no .c file"
		return
	fi
	bash "$TOP/scripts/quilt.sh" push
	# The objects this configuration builds: vmlinux.a, the lib-y
	# archives and modules.order, of a build of this very configuration
	# (the tree may hold another kind's: patched-kdb, patched-m).  A file
	# it does not build (kdb's without KGDB_KDB) would be compiled alone,
	# against headers that leave its types out, and report that.
	local built
	built=$(built_objects)
	local -a checked=()
	if [ "$name" = cocci ]; then
		# One spatch per file (J=1: coccicheck gives a single file one
		# job anyway), $JOBS files at a time, under one hold of the
		# kernel-build lock; the results in order below.
		kbuild_lock
		export -f cocci_new
		export TOP SRC_PRISTINE SRC_PATCHED
		rm -f "$work"/cocci.*
		printf '%s\n' "${files[@]}" | xargs -P "$JOBS" -I{} \
			bash -c 'cocci_new "$1" >"$2/cocci.$(printf %s "$1" | tr / _)"' cocci {} "$work"
	fi
	for f in "${files[@]}"; do
		if [ "$name" != cocci ] && [ -n "$built" ] && ! grep -qxF "${f%.c}.o" <<<"$built"; then
			ktap_line "$res" skip "${CASE_PFX}check.$name.$f" "not built in this configuration"
			continue
		fi
		if [ "$name" = cocci ]; then
			new=$(cat "$work/cocci.$(printf %s "$f" | tr / _)")
			if [ -z "$new" ]; then
				ktap_line "$res" ok "${CASE_PFX}check.$name.$f"
			else
				printf '%s\n' "$new" | sed "s/^/[$name] new: /" >&2
				ktap_line "$res" fail "${CASE_PFX}check.$name.$f" "$(printf '%s' "$new" | head -3 | tr '\n' ' ')"
			fi
			continue
		fi
		checked+=("$f")
	done
	[ ${#checked[@]} -gt 0 ] || return 0
	messages patched "$name" "${checked[@]}" >"$work/patched.txt"
	# The pristine tree only for the files with messages on the patched
	# one: where there are none, nothing can be new.
	: >"$work/pristine.txt"
	mapfile -t noisy < <(cut -d: -f1 "$work/patched.txt" | sort -u)
	if [ ${#noisy[@]} -gt 0 ]; then
		messages pristine "$name" "${noisy[@]}" >"$work/pristine.txt"
	fi
	for f in "${checked[@]}"; do
		new=$(comm -13 <(awk -F: -v f="$f" '$1 == f' "$work/pristine.txt") \
			<(awk -F: -v f="$f" '$1 == f' "$work/patched.txt"))
		if [ -z "$new" ]; then
			ktap_line "$res" ok "${CASE_PFX}check.$name.$f"
		else
			printf '%s\n' "$new" | sed "s/^/[$name] new: /" >&2
			ktap_line "$res" fail "${CASE_PFX}check.$name.$f" "$(printf '%s' "$new" | head -3 | tr '\n' ' ')"
		fi
	done
}

case "$gate" in
checkpatch)
	[ ${#patches[@]} -gt 0 ] || ktap_line "$res" skip check.checkpatch "empty series"
	# The base is a Debian tarball without git history, so checkpatch
	# cannot look up the upstream commit ids that Fixes: tags cite.
	# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") is checked
	# for real below: every file a patch adds must have a maintainer.
	# One checkpatch per core at a time.
	printf '%s\n' "${patches[@]}" | (cd "$SRC_PRISTINE" && xargs -P "$JOBS" -I{} \
		sh -c 'perl scripts/checkpatch.pl --strict --no-color \
			--ignore UNKNOWN_COMMIT_ID,FILE_PATH_CHANGES "$1/$2" >"$3/$2.out" 2>&1 || true' \
		checkpatch "$QUEUE" {} "$work")
	for p in "${patches[@]}"; do
		out=$(cat "$work/$p.out")
		for f in $(patch_files "$p"); do
			grep -q "^--- /dev/null" "$QUEUE/$p" || break
			[ -f "$SRC_PRISTINE/$f" ] && continue	# not a new file
			# A one-line patch adding just $f: who would maintain it?
			printf -- '--- /dev/null\n+++ b/%s\n@@ -0,0 +1 @@\n+x\n' "$f" >"$work/new.patch"
			(cd "$SRC_PRISTINE" && perl scripts/get_maintainer.pl --no-git \
				--no-git-fallback "$work/new.patch" 2>/dev/null | grep -Eq '\((maintainer|supporter|odd fixer)') ||
				out+=$'\n'"WARNING: $f is added but no MAINTAINERS entry covers it"
		done
		summary=$(printf '%s\n' "$out" | grep -E '^total:' || echo "total: ? errors")
		nmaint=$(printf '%s\n' "$out" | grep -c '^WARNING: .* no MAINTAINERS entry' || true)
		[ "$nmaint" = 0 ] || summary="$summary; $nmaint new file(s) without maintainer"
		# --strict's checks count too, except in trace event headers, whose
		# TRACE_EVENT() layout is the tracing subsystem's own (every upstream
		# header gets the same "Lines should not end with a '('").
		nchecks=$(printf '%s\n' "$out" | awk '/^CHECK:/ { c = 1; next }
			c && /FILE:/ { if ($0 !~ /FILE: include\/trace\/events\//) n++; c = 0 }
			END { print n + 0 }')
		[ "$nchecks" = 0 ] || summary="$summary; $nchecks check(s) outside trace headers"
		# <asm/nmi.h> is how code outside arch/ gets x86's
		# register_nmi_handler() (hpwdt.c, ipmi_watchdog.c, igen6_edac.c):
		# <linux/nmi.h>, which checkpatch asks for, includes it only with
		# ACPI APEI.  Accepted in the torture test and the debugger
		# benchmark only (their NMI handlers); every other warning counts.
		nasmnmi=$(printf '%s\n' "$out" | awk '/^WARNING: Use #include <linux\/nmi.h> instead of <asm\/nmi.h>/ { w = 1; next }
			w && /FILE: kernel\/events\/hw_breakpoint_(torture|bench)\.c:/ { n++ } { w = 0 } END { print n + 0 }')
		nwarn=$(( $(printf '%s\n' "$out" | grep '^WARNING:' | grep -vc 'no MAINTAINERS entry' || true) - nasmnmi ))
		[ "$nasmnmi" = 0 ] || summary="$summary; <asm/nmi.h> for register_nmi_handler() accepted"
		if printf '%s' "$summary" | grep -q 'total: 0 errors, ' && [ "$nwarn" = 0 ] &&
			[ "$nmaint" = 0 ] && [ "$nchecks" = 0 ]; then
			ktap_line "$res" ok "check.checkpatch.$p" "$summary"
		else
			printf '%s\n' "$out" | grep -E '^(ERROR|WARNING|CHECK)' | sed "s|^|[$p] |" >&2
			ktap_line "$res" fail "check.checkpatch.$p" "$summary"
		fi
	done
	;;
prefix)
	[ ${#patches[@]} -gt 0 ] || ktap_line "$res" skip check.prefix "empty series"
	bash "$TOP/scripts/quilt.sh" pop
	# The guest's KUnit plan needs an initramfs (made from the tree as it
	# is now; the initramfs stage makes the full series' one later).
	bash "$TOP/scripts/mkinitramfs.sh" patched
	# Each prefix's KUnit boot runs on a copy of its kernel (kind "prefix",
	# build/prefix/) while the next prefix builds: a small build leaves a
	# core idle through its link steps.
	kdir=$ABUILD/prefix
	kres=$RESULTS/prefix/plan-kunit-prefix.ktap
	mkdir -p "$kdir"
	cp "$ABUILD/patched/initramfs.cpio.gz" "$kdir/"
	kpid= kp=
	# kunit_result: wait for prefix $kp's boot, record its results.
	kunit_result() {
		[ -n "$kpid" ] || return 0
		wait "$kpid" || true
		npass=$(grep -c '^ok ' "$kres" 2>/dev/null || true)
		bad=$(grep '^not ok ' "$kres" 2>/dev/null | sed 's/^not ok [0-9]* //; s/ #.*//' | tr '\n' ' ' || true)
		if [ -s "$kres" ] && [ -z "$bad" ] && [ "${npass:-0}" -gt 0 ]; then
			ktap_line "$res" ok "check.prefix-kunit.$kp" "$npass passed"
		else
			ktap_line "$res" fail "check.prefix-kunit.$kp" "failed: ${bad:-no results} (log build/check/prefix/$kp.kunit.log)"
		fi
		cp "$LOGS/prefix/kunit-prefix.log" "$work/$kp.kunit.log" 2>/dev/null || true
		# Not a plan of make test: its results live in this gate only.
		rm -f "$kres"
		kpid= kp=
	}
	# A patch that changes only another architecture's files, the
	# documentation or tools/ leaves this prefix's kernel the same as the
	# one before it: no build or boot (arm64's are built in its stage).
	same_kernel() {
		! patch_files "$1" | grep -qvE "^(arch/[^/]+/|Documentation/|tools/)" &&
		! patch_files "$1" | grep -qE "^arch/$KARCH/"
	}
	for p in "${patches[@]}"; do
		# HWBP_PREFIXES="0006 0022": only those (a developer's quick look).
		bash "$TOP/scripts/quilt.sh" push "$p"
		if [ -n "${HWBP_PREFIXES:-}" ] && [[ " $HWBP_PREFIXES " != *" ${p:0:4} "* ]]; then
			ktap_line "$res" skip "check.prefix.$p" "not in HWBP_PREFIXES=\"$HWBP_PREFIXES\""
			continue
		fi
		if same_kernel "$p"; then
			ktap_line "$res" ok "check.prefix.$p" \
				"changes no file of $KARCH's build: the kernel of the prefix before"
			continue
		fi
		t0=$SECONDS
		if ! bash "$TOP/scripts/build-kernel.sh" patched >"$work/$p.log" 2>&1; then
			tail -20 "$work/$p.log" >&2
			ktap_line "$res" fail "check.prefix.$p" "see build/check/prefix/$p.log"
			continue
		fi
		ktap_line "$res" ok "check.prefix.$p" "built in $((SECONDS - t0))s"
		allowed=$(preempt_default_allowed "$SRC_PATCHED")
		if [ "$allowed" = N ] && [ "$(preempt_default_built "$BUILD/patched/vmlinux")" = Y ]; then
			ktap_line "$res" fail "check.prefix-preempt.$p" \
				"eviction on by default before perf, ptrace and kgdb are ready for it"
		elif [ "$allowed" = N ]; then
			ktap_line "$res" ok "check.prefix-preempt.$p" "eviction off by default"
		fi
		# Every prefix passes the KUnit suites it has (bisectable).
		expect=0
		[ -f "$SRC_PATCHED/kernel/events/hw_breakpoint_sched_test.c" ] && expect=1
		kunit_result
		cp "$ABUILD/patched/$(basename "$KIMAGE")" "$kdir/"
		HWBP_APPEND="hwbp_expect_sched=$expect hwbp_expect_preempt=$allowed" \
			bash "$TOP/scripts/run-plan.sh" prefix kunit-prefix >"$work/$p.kunit-run.log" 2>&1 &
		kpid=$! kp=$p
	done
	kunit_result
	;;
prefix-compile)
	# make test's form of the prefix gate.  Building and booting every
	# prefix (check.sh prefix) takes 23-33 minutes cold on 2 cores, as
	# five patches change perf_event.h, which 200 objects include: more
	# than half of CI's 60 minutes.  This compiles what each prefix can
	# break: the files it changes and the series' files that include a
	# header it changes, as this configuration builds them.
	[ ${#patches[@]} -gt 0 ] || { ktap_line "$res" skip "${CASE_PFX}check.prefix-compile" "empty series"; exit 0; }
	bash "$TOP/scripts/quilt.sh" push
	built=$(built_objects)
	[ -n "$built" ] || die "prefix-compile: no build of the patched tree"
	# The series' .c files this configuration builds, and the headers
	# each includes (from kbuild's dependency files of that build).
	mapfile -t series_objs < <(touched_c | sed 's/\.c$/.o/' | grep -xF -f <(printf '%s\n' "$built") || true)
	includes() { # includes OBJ HEADER: OBJ's build read HEADER
		grep -qF "$2" "$SRC_PATCHED/$(dirname "$1")/.$(basename "$1").cmd" 2>/dev/null
	}
	prefix_objects() { # prefix_objects PATCH: what it can break, one per line
		local f o
		for f in $(patch_files "$1"); do
			case $f in
			*.c) grep -qxF "${f%.c}.o" <<<"$built" && echo "${f%.c}.o" ;;
			*.h) for o in "${series_objs[@]}"; do
					# not yet added at this prefix
					[ -f "$d/src/${o%.o}.c" ] || continue
					includes "$o" "$f" && echo "$o"
				done ;;
			esac
		done | sort -u
	}
	kbuild_lock
	# A copy of the pristine tree in hard links, built out of tree, so the
	# patched tree's objects and timestamps stay as they are (quilt and
	# patch write new files; mrproper only unlinks).
	d=$work/tree
	copy_tree "$SRC_PRISTINE" "$d"
	# The patched build's configuration; again where a prefix changes a
	# Kconfig (olddefconfig dropped what the tree did not know yet).
	config() {
		cp "$ABUILD/patched/.config" "$d/obj/.config"
		omake "$d" olddefconfig >/dev/null
	}
	config
	for p in "${patches[@]}"; do
		t0=$SECONDS
		if ! (cd "$d/src" && quilt push -q --fuzz=0 "$p" >/dev/null); then
			ktap_line "$res" fail "${CASE_PFX}check.prefix-compile.$p" "does not apply"
			break
		fi
		patch_files "$p" | grep -q 'Kconfig' && config
		mapfile -t objs < <(prefix_objects "$p")
		allowed=$(preempt_default_allowed "$d/src")
		[ "$allowed" = N ] && objs+=(kernel/events/hw_breakpoint.o)
		if [ ${#objs[@]} -eq 0 ]; then
			ktap_line "$res" ok "${CASE_PFX}check.prefix-compile.$p" "changes nothing this configuration builds"
			continue
		fi
		mapfile -t objs < <(printf '%s\n' "${objs[@]}" | sort -u)
		if ! omake "$d" "${objs[@]}" >"$work/$p.log" 2>&1; then
			grep -m5 -E 'error' "$work/$p.log" >&2 || true
			ktap_line "$res" fail "${CASE_PFX}check.prefix-compile.$p" \
				"$(grep -m1 -E 'error' "$work/$p.log" || echo "see build/check/prefix-compile/$p.log")"
			continue
		fi
		if grep -q 'warning:' "$work/$p.log"; then
			grep -m5 'warning:' "$work/$p.log" >&2
			ktap_line "$res" fail "${CASE_PFX}check.prefix-compile.$p" "$(grep -m1 'warning:' "$work/$p.log")"
			continue
		fi
		ktap_line "$res" ok "${CASE_PFX}check.prefix-compile.$p" "${#objs[@]} objects in $((SECONDS - t0))s: ${objs[*]}"
		if [ "$allowed" = N ] && [ "$(preempt_default_built "$d/obj/kernel/events/hw_breakpoint.o")" = Y ]; then
			ktap_line "$res" fail "${CASE_PFX}check.prefix-preempt.$p" \
				"eviction on by default before perf, ptrace and kgdb are ready for it"
		elif [ "$allowed" = N ]; then
			ktap_line "$res" ok "${CASE_PFX}check.prefix-preempt.$p" "eviction off by default"
		fi
	done
	rm -rf "$d"
	;;
sparse | w1 | cocci)
	compare_tool "$gate"
	;;
nohwbp)
	if [ "$HWBP_ARCH" = x86 ]; then
		ktap_line "$res" skip check.nohwbp "x86 always has hardware breakpoints: make check-nohwbp ARCH=arm64"
		exit 0
	fi
	bash "$TOP/scripts/quilt.sh" push
	cat >"$work/nohwbp.config" <<-'EOF'
	CONFIG_64BIT=y
	CONFIG_SMP=y
	CONFIG_PRINTK=y
	CONFIG_TTY=y
	CONFIG_SERIAL_AMBA_PL011=y
	CONFIG_DEBUG_KERNEL=y
	CONFIG_KALLSYMS=y
	CONFIG_KGDB=y
	CONFIG_KGDB_TESTS=y
	CONFIG_KGDB_KDB=y
	CONFIG_PERF_EVENTS=n
	EOF
	mapfile -t files < <(touched_c)
	kbuild_lock
	# nohwbp_build KIND [vmlinux]: build KIND's tree in that
	# configuration (with vmlinux: linked, the gate's verdict on the
	# build); its W=1 messages on the files the series touches, line
	# numbers out.  The tree is copied in hard links and built out of
	# tree, so its own .config and objects stay as they are: the copy's
	# mrproper only unlinks (kbuild refuses O= on a configured tree).
	nohwbp_build() {
		local kind=$1 link=${2:-} ksrc d=$work/$1 f line sym
		ksrc=$(src_of "$kind")
		copy_tree "$ksrc" "$d"
		omake "$d" tinyconfig >/dev/null
		(cd "$d/obj" && KCONFIG_CONFIG=.config \
			"$d/src/scripts/kconfig/merge_config.sh" -m .config "$work/nohwbp.config" >/dev/null)
		omake "$d" olddefconfig >/dev/null
		# Every option of the fragment as asked, and no breakpoints.
		while IFS= read -r line; do
			sym=${line%%=*}
			case "$line" in
			*=n) grep -qx "# $sym is not set" "$d/obj/.config" || echo "$line" ;;
			*) grep -qx "$line" "$d/obj/.config" || echo "$line" ;;
			esac
		done < <(grep '^CONFIG_' "$work/nohwbp.config") >"$d/config-error"
		grep -x 'CONFIG_HAVE_HW_BREAKPOINT=y' "$d/obj/.config" >>"$d/config-error" || true
		[ -s "$d/config-error" ] || rm -f "$d/config-error"
		# Linked: a call to what only hw_breakpoint.o defines fails here.
		if [ -n "$link" ] && ! omake "$d" vmlinux >"$d/link.log" 2>&1; then
			echo "$kind: vmlinux does not link" >"$d/build-error"
			cat "$d/link.log" >>"$d/build.log"
		fi
		# W=1 (recompiled) where the series' files are: kgdb, kdb,
		# kgdbts and the arch code (kernel/events is not built here).
		omake "$d" -k W=1 drivers/misc/kgdbts.o kernel/debug/ "arch/$KARCH/kernel/" \
			>>"$d/build.log" 2>&1 || echo "$kind: build failed" >>"$d/build-error"
		for f in "${files[@]}"; do
			grep -F "/src/$f:" "$d/build.log" | sed -E "s|^.*/src/$f:[0-9]+(:[0-9]+)?:|$f:|"
		done | sort || true
		rm -rf "$d/src"
	}
	nohwbp_build patched vmlinux >"$work/patched.txt"
	if [ -f "$work/patched/config-error" ] || [ -f "$work/patched/build-error" ]; then
		grep -m5 -E 'error' "$work/patched/build.log" >&2 || true
		ktap_line "$res" fail check.nohwbp.build \
			"$(cat "$work"/patched/*-error | tr '\n' ' ') $(grep -m1 -E 'error' "$work/patched/build.log" || true)"
	else
		ktap_line "$res" ok check.nohwbp.build
	fi
	: >"$work/pristine.txt"
	[ -s "$work/patched.txt" ] && nohwbp_build pristine >"$work/pristine.txt"
	new=$(comm -13 "$work/pristine.txt" "$work/patched.txt")
	if [ -z "$new" ]; then
		ktap_line "$res" ok check.nohwbp.w1
	else
		printf '%s\n' "$new" | sed 's/^/[nohwbp] new: /' >&2
		ktap_line "$res" fail check.nohwbp.w1 "$(printf '%s' "$new" | head -1)"
	fi
	;;
rst)
	# Every .rst the series touches parses with docutils and warns about
	# nothing the pristine file does not (Sphinx-only directives such as
	# toctree are "unknown" to docutils in both); a full `make htmldocs`
	# needs Sphinx and takes far longer.  Debian's python3 has docutils.
	bash "$TOP/scripts/quilt.sh" push
	mapfile -t docs < <(for p in "${patches[@]}"; do patch_files "$p"; done |
		grep '\.rst$' | sort -u)
	[ ${#docs[@]} -gt 0 ] || ktap_line "$res" skip check.rst "series touches no .rst file"
	rst_warnings() { # rst_warnings FILE: docutils messages, line numbers out
		[ -f "$1" ] || return 0
		/usr/bin/python3 - "$1" <<'PY' | sed -E 's/^<string>:[0-9]+: //' | sort
import io, sys, docutils.core
err = io.StringIO()
docutils.core.publish_doctree(open(sys.argv[1]).read(), settings_overrides={
    "warning_stream": err, "report_level": 2, "halt_level": 5})
print("\n".join(l for l in err.getvalue().splitlines() if l.startswith("<string>:")))
PY
	}
	for f in "${docs[@]}"; do
		new=$(comm -13 <(rst_warnings "$SRC_PRISTINE/$f") <(rst_warnings "$SRC_PATCHED/$f") | grep . || true)
		if [ -z "$new" ]; then
			ktap_line "$res" ok "check.rst.$f"
		else
			printf '%s\n' "$new" >&2
			ktap_line "$res" fail "check.rst.$f" "$(printf '%s' "$new" | head -1)"
		fi
	done
	;;
series)
	# The script writes the KTAP (header included) and says on stderr
	# what is stale; its exit status is the gate's verdict, kept in there.
	python3 "$TOP/scripts/cover-letter.py" --check >"$res" || true
	;;
am)
	# The gate's repository (git-series.sh am KTAP): the files the series touches.
	amrepo=$BUILD/am/files
	if bash "$TOP/scripts/git-series.sh" am "$res"; then
		# The same files as patch(1) --fuzz=0 (what quilt runs) gives,
		# applied by the cover-letter generator to copies of the files
		# the series touches (build/check/series/applied).
		letter=$(python3 "$TOP/scripts/cover-letter.py" --stdout)
		applied=$BUILD/check/series/applied
		diffs=""
		while IFS= read -r f; do
			if [ -f "$applied/$f" ]; then
				git -C "$amrepo" show "HEAD:$f" 2>/dev/null | cmp -s - "$applied/$f" ||
					diffs+="$f "
			elif git -C "$amrepo" cat-file -e "HEAD:$f" 2>/dev/null; then
				diffs+="$f "
			fi
		done < <(cd "$applied" && find . -type f | sed 's|^\./||'; git -C "$amrepo" diff --name-only pristine HEAD)
		if [ -z "$diffs" ]; then
			ktap_line "$res" ok check.am.same-files-as-quilt
		else
			ktap_line "$res" fail check.am.same-files-as-quilt "differ: $diffs"
		fi
		# The cover letter's diffstat total against git's own.
		mine=$(printf '%s\n' "$letter" | tail -1 | sed 's/^ *//')
		git_says=$(git -C "$amrepo" diff --shortstat pristine HEAD | sed 's/^ *//')
		if [ "$mine" = "$git_says" ]; then
			ktap_line "$res" ok check.am.diffstat "$git_says"
		else
			ktap_line "$res" fail check.am.diffstat "cover letter: $mine; git: $git_says"
		fi
	fi
	;;
*)
	die "unknown gate $gate"
	;;
esac
exit 0
