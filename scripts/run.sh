#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh - the README's two commands.
#   scripts/run.sh demo          install what is missing, build (release), run `kcore demo`
#   scripts/run.sh test [PRESET] install what is missing, build PRESET (dev), run the suite
# The suite ends with a plain "N passed, N failed" line.
set -eu
cd "$(dirname "$0")/.."
what=${1:-demo}
sh scripts/deps.sh

case "$what" in
demo)
	cmake --preset release >/dev/null
	cmake --build --preset release
	exec ./build/release/tools/kcore/kcore demo
	;;
test)
	preset=${2:-dev}
	cmake --preset "$preset" >/dev/null
	cmake --build --preset "$preset"
	log=build/$preset/ctest-summary.log
	set +e
	ctest --preset "$preset" ${KCORE_CTEST_ARGS:-} 2>&1 | tee "$log"
	rc=$?
	set -e
	# ctest's "NN% tests passed, F tests failed out of T" becomes the plain line.
	line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "run.sh: ctest printed no summary" >&2
		echo "0 passed, 1 failed"
		exit 1
	fi
	failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
	total=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/')
	echo "$((total - failed)) passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
	;;
*)
	echo "usage: scripts/run.sh demo | test [dev|asan|tsan|release]" >&2
	exit 2
	;;
esac
