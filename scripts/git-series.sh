#!/bin/bash
# The series as git sees it: `git am` onto a git tree of the pristine source,
# a branch, an mbox for git send-email or b4.
#   git-series.sh base          the git tree of the pristine source, made once:
#                               build/am/linux, one commit tagged "pristine"
#   git-series.sh am [KTAP]     branch "hwbp-sched" = pristine + `git am` of each
#                               patch of series in order; with KTAP, one result
#                               per patch (check.am.PATCH) appended to that file
#   git-series.sh mbox          git format-patch of that branch with our cover
#                               letter (docs/cover-letter.txt) as patch 0:
#                               build/mbox/*.patch and build/mbox/hwbp-sched.mbox
#
# The gate (`git-series.sh am KTAP`, make test) applies onto a base of only
# the files the series touches, build/am/files (made in a second; git am
# reads no other file); make am and make mbox onto the whole tree.
#
# The base is one commit, no history: enough for git am, and made in about a
# minute.  It is Debian's tarball extracted afresh (the very files of
# build/src/pristine, without the objects of in-tree builds), or with KSRC= a
# copy of build/src/pristine after `make mrproper`.  Debian's tarball has a
# top-level .gitignore ending in "/*" (ignore every top-level path: its
# packaging repository tracks only debian/), so a plain `git add .` adds
# nothing: the base is made with `git add -f`.
#
# Dates and identities are fixed, so the same series gives the same commit
# ids (and format-patch output) on any machine.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

REPO=$BUILD/am/linux
# The files the series touches (those it adds or deletes too): the base of
# the gate.
series_files() {
	local p
	for p in $(series_patches); do
		sed -n -e 's|^+++ b/\([^[:space:]]*\).*|\1|p' -e 's|^--- a/\([^[:space:]]*\).*|\1|p' "$QUEUE/$p"
	done | sort -u
}
BRANCH=hwbp-sched
export GIT_AUTHOR_NAME="hwbp-sched developers" GIT_AUTHOR_EMAIL=hwbp-sched@localhost
export GIT_COMMITTER_NAME="hwbp-sched developers" GIT_COMMITTER_EMAIL=hwbp-sched@localhost
g() { git -C "$REPO" -c gc.auto=0 -c core.autocrlf=false "$@"; }

base() {
	local version tmp
	local key f
	version=$(cat "$BUILD/src/VERSION" 2>/dev/null || echo unknown)
	key="$version${KSRC:+ $KSRC}"
	[ -z "$SUBSET" ] || key+=" files $(series_files | sha256sum | cut -c1-16)"
	if g rev-parse -q --verify refs/tags/pristine >/dev/null 2>&1 &&
		[ "$(cat "$REPO.VERSION" 2>/dev/null)" = "$key" ]; then
		return 0
	fi
	[ -f "$SRC_PRISTINE/Makefile" ] || die "no pristine tree (make tree)"
	say "git am base: a git tree of the pristine $version source${SUBSET:+ (the files the series touches)} in ${REPO#"$TOP"/}"
	local t0=$SECONDS
	rm -rf "$REPO" "$REPO.VERSION"
	mkdir -p "$BUILD/am"
	tmp=$(mktemp -d "$BUILD/am/.base.XXXXXX")
	trap "rm -rf '$tmp'" EXIT	# $tmp expanded now: a local, gone at exit
	if [ -n "$SUBSET" ]; then
		while IFS= read -r f; do
			[ -f "$SRC_PRISTINE/$f" ] || continue
			mkdir -p "$tmp/$(dirname "$f")"
			cp "$SRC_PRISTINE/$f" "$tmp/$f"
		done < <(series_files)
	elif [ -z "$KSRC" ] && [ -f "$DEBIAN_TARBALL" ]; then
		tar -C "$tmp" -xf "$DEBIAN_TARBALL" --strip-components=1
	else
		cp -a "$SRC_PRISTINE/." "$tmp/"
		make -s -C "$tmp" mrproper >/dev/null
		rm -rf "$tmp/.git" "$tmp/.pc"
	fi
	git -C "$tmp" init -q
	git -C "$tmp" -c gc.auto=0 add -f .
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git -C "$tmp" commit -q -m "Linux $version (pristine: $( [ -n "$KSRC" ] && echo "KSRC=$KSRC" || basename "$DEBIAN_TARBALL"))"
	git -C "$tmp" tag pristine
	git -C "$tmp" checkout -q -b "$BRANCH"
	mv "$tmp" "$REPO"
	trap - EXIT
	echo "$key" >"$REPO.VERSION"
	say "git am base made in $((SECONDS - t0))s ($(g ls-files | wc -l) files)"
}

# am [KTAP]: the branch from pristine, `git am` of the series.  One git am
# for all the patches (4x faster than one per patch: the index of 78k files
# is read once); where it stops tells which patch failed.
am() {
	local ktap=${1:-} p out rc=0 applied i=0 failed=""
	base
	g am --abort >/dev/null 2>&1 || true
	g checkout -q -f -B "$BRANCH" pristine
	mapfile -t patches < <(series_patches)
	# --whitespace=error-all: a maintainer's tree may have
	# apply.whitespace=error; what checkpatch passes must not trip it.
	out=$(g am -q --whitespace=error-all --committer-date-is-author-date \
		"${patches[@]/#/$QUEUE/}" 2>&1) || rc=$?
	applied=$(g rev-list --count pristine..HEAD)
	[ "$rc" = 0 ] || {
		failed=${patches[$applied]:-?}
		printf '%s\n' "$out" | sed "s|^|[git am $failed] |" >&2
		g am --abort >/dev/null 2>&1 || true
	}
	for p in "${patches[@]}"; do
		i=$((i + 1))
		[ -n "$ktap" ] || continue
		if [ "$i" -le "$applied" ]; then
			ktap_line "$ktap" ok "check.am.$p"
		elif [ "$i" = $((applied + 1)) ] && [ -n "$failed" ]; then
			ktap_line "$ktap" fail "check.am.$p" \
				"$(printf '%s' "$out" | grep -m1 -E 'error|fatal|warning' || echo "git am failed")"
		else
			ktap_line "$ktap" skip "check.am.$p" "not reached: $failed does not apply"
		fi
	done
	[ -z "$failed" ] || return 1
	say "git am: ${#patches[@]} patches on pristine, branch $BRANCH in ${REPO#"$TOP"/}"
}

mbox() {
	local out=$BUILD/mbox cover subject mime=""
	am
	# Only the letter must be current: format-patch numbers the mails
	# itself, whatever "[PATCH n/N]" the patch files say.
	local check
	check=$(python3 "$TOP/scripts/cover-letter.py" --check 2>/dev/null || true)
	grep -q '^ok [0-9]* check\.series\.cover-letter$' <<<"$check" ||
		die "docs/cover-letter.txt is stale: run make cover-letter first"
	rm -rf "$out"
	mkdir -p "$out"
	g format-patch -q --cover-letter --no-signature -o "$out" pristine.."$BRANCH"
	cover=$(ls "$out"/0000-*.patch)
	# Keep git's mail header (From, Date), with our Subject; the body is our
	# letter (its own shortlog and diffstat), not git's template.
	subject=$(head -1 "$TOP/docs/cover-letter.txt")
	LC_ALL=C grep -q '[^[:print:][:space:]]' "$TOP/docs/cover-letter.txt" &&
		mime="MIME-Version: 1.0|Content-Type: text/plain; charset=UTF-8|Content-Transfer-Encoding: 8bit"
	awk -v subj="$subject" -v body="$TOP/docs/cover-letter.txt" -v mime="$mime" '
		hdr && /^Subject:/ { print subj; skip = 1; next }
		hdr && skip && /^[ \t]/ { next }
		hdr && /^$/ {
			if (mime != "") { gsub(/\|/, "\n", mime); print mime }
			print; hdr = 0
			while ((getline l < body) > 0) {
				n++
				if (n == 1 || (n == 2 && l == "")) continue	# Subject, blank
				print l
			}
			exit
		}
		{ skip = 0; print }' hdr=1 "$cover" >"$cover.new"
	mv "$cover.new" "$cover"
	cat "$out"/[0-9][0-9][0-9][0-9]-*.patch >"$out/$BRANCH.mbox"
	say "mbox: ${out#"$TOP"/}/$BRANCH.mbox ($(ls "$out"/[0-9][0-9][0-9][0-9]-*.patch | wc -l) mails: cover letter + patches)"
	say "send: git send-email --to=... ${out#"$TOP"/}/0*.patch (or see README, 'Posting')"
}

# One user of build/am at a time (make test and a make mbox by hand).
mkdir -p "$BUILD/am"
exec 9>"$BUILD/am/.lock"
flock 9

SUBSET=
case "${1:-}" in
base) base ;;
am)
	# With a KTAP file: the gate, onto the files the series touches.
	if [ -n "${2:-}" ]; then
		SUBSET=1 REPO=$BUILD/am/files
	fi
	am "${2:-}"
	;;
mbox) mbox ;;
*) die "usage: git-series.sh base | am [KTAP] | mbox" ;;
esac
