# hwbp-sched: build, boot and test a hardware breakpoint scheduler series
# for Linux 6.1 LTS.  See README.md; the two commands are `make demo` and
# `make test`.  Everything generated lands under build/.

TOP      := $(CURDIR)
BUILD    := $(TOP)/build
SCRIPTS  := $(TOP)/scripts

# The kernel version: its queue is patches/$(KVER)/ (quilt series
# patches/$(KVER)/series), pushed onto Debian's linux-source-$(KVER).
# 6.12 is the default; 6.1 (KVER=6.1) keeps build/ itself, another version
# has all of its own under build/$(KVER)/.  `make test` without KVER= runs
# every queue (6.1's run, then 6.12's beside it); with KVER=, that one.
KVER     ?= 6.12
HWBP_KVER := $(KVER)
export HWBP_KVER
ALL_VERSIONS = $(if $(filter file,$(origin KVER)),$(filter x86,$(HWBP_ARCH)))

# The tree the series is pushed onto.  Default: Debian's linux-source-KVER
# extracted under build/src/patched.  KSRC=/path uses the user's tree instead.
KSRC     ?=
export KSRC BUILD TOP

# Target architecture of the kernels and guests: x86 (default) or arm64
# (cross-built with Debian's gcc-aarch64-linux-gnu, booted on QEMU's virt
# machine; trees, kernels, logs and results of its own under build/arm64/).
# The scripts get it as HWBP_ARCH; the kernel's own ARCH is never passed on
# from here (scripts/build-kernel.sh gives it to each kernel make).
ARCH     ?= x86
HWBP_ARCH := $(patsubst x86_64,x86,$(ARCH))
export HWBP_ARCH
unexport ARCH
MAKEOVERRIDES := $(filter-out ARCH=%,$(MAKEOVERRIDES))

# Plans run by `make test` (one QEMU boot each), in this order.
PLANS    := kunit kunit-switch-off sched perf-honest privilege badinput torture record kgdb kgdbts-slots gdb gdb-hotplug \
	gdb-hotplug-late gdb-unregister gdb-switch-off gdb-early gdb-early-1cpu kgdbts perf selftests kselftest \
	fuzz-guest
# The plans that run on arm64 (make test ARCH=arm64); plain make test runs
# the first of them, kunit, after x86's plans.  sched, perf-honest,
# privilege and badinput have arm64 branches of their own
# (tests/guest/hwbp-arm64.c: NT_ARM_HW_BREAK/NT_ARM_HW_WATCH instead of
# DR0-7); kgdbts and kgdbts-slots need no guest program; gdb-arm64 is the
# gdb plan on arm64 (gdb-multiarch, kgdboc on a PCI 16550); gdb-hotplug,
# gdb-hotplug-late and gdb-unregister run as on x86 (kgdboc's ttyS1 is
# ttyS0 there: scripts/run-plan.sh); the others still need their guest
# programs ported (issue 17), and early kgdb has no earlycon on arm64's
# PCI 16550.
PLANS_arm64 := kunit sched perf-honest privilege badinput torture kgdbts-slots kgdbts gdb-arm64 \
	       gdb-hotplug gdb-hotplug-late gdb-unregister \
	       gdb-stepover gdb-stepfault gdb-stepmasked gdb-stepnested \
	       record perf
PLANS_x86 := $(PLANS)
# Gates of `make check` (scripts/check.sh GATE).
GATES    := checkpatch prefix prefix-compile sparse cocci w1 rst series am nohwbp
# Kernel under test for test-<plan>: patched (default) or pristine.
KERNEL   ?= patched
export KERNEL

STAMP_DEPS := $(BUILD)/.deps-ok
# The arm64 guests' busybox (Debian's busybox-static:arm64, unpacked by deps.sh).
ARM64_BUSYBOX := $(BUILD)/arm64/deb/busybox-static/bin/busybox

.PHONY: all deps tree apply unapply build build-pristine build-patched \
	initramfs check selftest sched-harness x86-dr7 fuzz fuzz-guest callgrind model torture torture-module pnmi kdb kcsan kasan kasan-proof test compare bench demo \
	cover-letter branch mbox clean distclean help \
	$(addprefix test-,$(sort $(PLANS) $(PLANS_arm64))) $(addprefix check-,$(GATES))

all: help

help:
	@sed -n 's/^## \(make\| \)/\1/p' README.md

# 1. Debian packages (no-op when present).
deps: $(STAMP_DEPS) $(ARM64_BUSYBOX)
$(STAMP_DEPS) $(ARM64_BUSYBOX): scripts/deps.sh
	@bash $(SCRIPTS)/deps.sh
	@mkdir -p $(BUILD) && touch $(STAMP_DEPS) $(ARM64_BUSYBOX)

# 2. Pristine and patched source trees (records the kernel version).
tree: deps
	@bash $(SCRIPTS)/tree.sh

# 3. Push / pop the series with quilt.
apply: tree
	@bash $(SCRIPTS)/quilt.sh push
unapply: tree
	@bash $(SCRIPTS)/quilt.sh pop

# 4. Kernels: build/{pristine,patched}/{bzImage,vmlinux}.
build: build-pristine build-patched
build-pristine: tree
	@bash $(SCRIPTS)/build-kernel.sh pristine
build-patched: apply
	@bash $(SCRIPTS)/build-kernel.sh patched

# 5. Guest initramfs for $(KERNEL).
initramfs: tree
	@bash $(SCRIPTS)/mkinitramfs.sh $(KERNEL)

# 6. One plan on one kernel: make test-kunit [KERNEL=pristine] [ARCH=arm64]
$(addprefix test-,$(sort $(PLANS) $(PLANS_arm64))): test-%: tree
	@if [ "$(KERNEL)" = patched ]; then bash $(SCRIPTS)/quilt.sh push; fi
	@bash $(SCRIPTS)/build-kernel.sh $(KERNEL)
	@bash $(SCRIPTS)/mkinitramfs.sh $(KERNEL)
	@bash $(SCRIPTS)/run-plan.sh $(KERNEL) $*
	@python3 $(SCRIPTS)/summary.py --kernel $(KERNEL) --exact plan-$*

# 7. Gates on the series (results under build/results/patched/check-*).
check: $(addprefix check-,$(GATES))
$(addprefix check-,$(GATES)): check-%: tree
	@bash $(SCRIPTS)/check.sh $*

# The scheduler core in user space, against a reference model.
sched-harness: apply
	@bash $(SCRIPTS)/sched-harness.sh
	@python3 $(SCRIPTS)/summary.py --only sched-harness

# The real x86 debug-register code in user space, NMIs at every DR write.
x86-dr7: apply
	@bash $(SCRIPTS)/x86-dr7.sh
	@python3 $(SCRIPTS)/summary.py --only x86-dr7

# The same core and models under libFuzzer (ASan, UBSan); make test runs 40 s.
FUZZ_SECONDS ?= 600
fuzz: apply
	@bash $(SCRIPTS)/fuzz.sh $(FUZZ_SECONDS)
	@python3 $(SCRIPTS)/summary.py --only fuzz

# Instructions per operation of the core under callgrind, against a budget.
callgrind: apply
	@bash $(SCRIPTS)/callgrind.sh
	@python3 $(SCRIPTS)/summary.py --only callgrind

# The debugger's NMI protocol, checked with spin (with broken variants).
model: deps
	@bash $(SCRIPTS)/model.sh
	@python3 $(SCRIPTS)/summary.py --only model

# Quick self-tests of the harness itself (parsers, summary rules).
selftest: deps
	@bash $(SCRIPTS)/selftest.sh

# Everything: self-tests, gates, every plan on the patched kernel, then
# arm64's KUnit plan.  ARCH=arm64: arm64's kernel and its plans only.
test: deps
	@$(if $(ALL_VERSIONS),HWBP_KVER=6.1 HWBP_ALL_VERSIONS=1 )bash $(SCRIPTS)/test-all.sh $(PLANS_$(HWBP_ARCH))

# Every plan on both kernels, one table case by case.
compare: deps
	@bash $(SCRIPTS)/compare.sh $(PLANS_$(HWBP_ARCH))

# The torture plan for DURATION seconds (make test runs it for 60).
DURATION ?= 600
torture: apply
	@bash $(SCRIPTS)/build-kernel.sh patched
	@bash $(SCRIPTS)/mkinitramfs.sh patched
	@HWBP_APPEND="hw_breakpoint_torture.duration=$(DURATION)" \
		HWBP_QEMU_TIMEOUT=$$(( $(DURATION) + 300 )) \
		bash $(SCRIPTS)/run-plan.sh patched torture
	@python3 $(SCRIPTS)/summary.py --kernel patched --only plan-torture

# The torture test and the debugger benchmark built as modules: insmod,
# run, rmmod of each (plan torture-module; not in make test).
torture-module: apply
	@bash $(SCRIPTS)/torture-module.sh patched
	@python3 $(SCRIPTS)/summary.py --kernel patched-m --only plan-torture-module

# arm64 with pseudo-NMIs on a GICv3 (configs/pnmi.config, plans pnmi-roundup,
# kgdbts-pnmi and pnmi-step; not in make test): make pnmi ARCH=arm64 [KERNEL=pristine]
pnmi: tree
	@if [ "$(KERNEL)" = patched ]; then bash $(SCRIPTS)/quilt.sh push; fi
	@bash $(SCRIPTS)/pnmi.sh $(KERNEL)
	@python3 $(SCRIPTS)/summary.py --kernel $(KERNEL)-pnmi

# arm64 with kdb (configs/kdb.config, plan kdb: bph, ss, go, bc typed on
# kgdboc while perf holds every slot; plan kdb-unregister: bph typed in a
# session stopped inside kgdboc's unregister; not in make test):
# make kdb ARCH=arm64 [KERNEL=pristine]
kdb: tree
	@if [ "$(KERNEL)" = patched ]; then bash $(SCRIPTS)/quilt.sh push; fi
	@bash $(SCRIPTS)/kdb.sh $(KERNEL)
	@python3 $(SCRIPTS)/summary.py --kernel $(KERNEL)-kdb

# The guest fuzzer (plan fuzz-guest) for longer: DURATION/2 seconds alongside the
# torture test, then DURATION/2 alone; SEED: the first seed (default: the time).
SEED ?= $(shell date +%s)
fuzz-guest: apply
	@bash $(SCRIPTS)/build-kernel.sh patched
	@bash $(SCRIPTS)/mkinitramfs.sh patched
	@HWBP_APPEND="hw_breakpoint_torture.duration=$$(( $(DURATION) / 2 + 30 )) hwbp_fuzz_seed=$(SEED) hwbp_fuzz_duration=$$(( $(DURATION) / 2 )) hwbp_fuzz_seqs=1000000" \
		HWBP_QEMU_TIMEOUT=$$(( $(DURATION) + 400 )) \
		bash $(SCRIPTS)/run-plan.sh patched fuzz-guest
	@python3 $(SCRIPTS)/summary.py --kernel patched --only plan-fuzz-guest

# The torture and fuzz-guest plans on a strict KCSAN build of the patched
# kernel (not in make test): DURATION seconds of torture, the fuzzer beside
# DURATION + 60 s of it and DURATION/2 s alone, from SEED (default 1 here);
# any KCSAN report but the upstream ones tests/known-splats.txt lists fails
# it (scripts/kcsan.sh; KCSAN_DIFFS=, KCSAN_APPEND=, KCSAN_FUZZ_SEQS= there).
kcsan: tree
	@bash $(SCRIPTS)/kcsan.sh $(DURATION) $(if $(filter command line environment,$(origin SEED)),$(SEED),1)
	@python3 $(SCRIPTS)/summary.py --kernel kcsan --only plan-torture --only plan-fuzz-guest --only kcsan

# The patched kernel with KASAN, SLUB_DEBUG (slub_debug=FZPU), lockdep and
# DEBUG_ATOMIC_SLEEP: the kgdb, gdb, badinput, record, torture, fuzz-guest
# and trinity plans; any KASAN or SLUB report fails (scripts/kasan.sh; not
# in make test).  kasan-proof: the same kernel without the fix of kgdb's
# unregister, where KASAN must report the use-after-free.
kasan: deps
	@bash $(SCRIPTS)/kasan.sh
	@python3 $(SCRIPTS)/summary.py --kernel kasan
kasan-proof: deps
	@bash $(SCRIPTS)/kasan.sh proof
	@python3 $(SCRIPTS)/summary.py --kernel kasan-unfix --only kasan-unfix

# Pristine vs patched (and the switch), medians and ratios: docs/performance.md.
bench: deps
	@bash $(SCRIPTS)/bench.sh

# The demo plan on the patched kernel, then the same steps on pristine (what
# its kernel said when kgdb got no slot), then both side by side.
demo: apply
	@bash $(SCRIPTS)/demo.sh

# docs/cover-letter.txt from docs/cover-letter.in, series, the patches, the
# latest make compare (else README's table); make test checks it is current.
cover-letter: tree
	@python3 $(SCRIPTS)/cover-letter.py

# The series as git commits: branch hwbp-sched on a git tree of the pristine
# source (build/am/linux); mbox: git format-patch of it with our cover letter.
branch: tree
	@bash $(SCRIPTS)/git-series.sh am
mbox: tree
	@bash $(SCRIPTS)/git-series.sh mbox

# This version's build directory (what lib.sh calls BUILD).
VBUILD   := $(BUILD)$(if $(filter-out 6.1,$(KVER)),/$(KVER))
clean:
	rm -rf $(VBUILD)/pristine $(VBUILD)/patched $(VBUILD)/logs $(VBUILD)/results

distclean:
	rm -rf $(BUILD)
