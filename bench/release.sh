#!/bin/sh
# bench/release.sh - build the rhv binary the benches measure and print its path.
#
# The benches measure rhv as a package ships it: optimised and without debug
# information (meson's release build type: -O3, no -g; Debian's packages strip
# theirs into a -dbgsym package). It matters beyond the optimiser: every run
# hashes its own binary for the report's provenance (core/report_provenance.c),
# and the debug information of the developers' build (build/, debugoptimized)
# makes that binary 2.3 MB instead of 0.65 MB: 63 M instead of about 18 M
# instructions under callgrind (natively, with the SHA instructions, 1 ms).
#
# usage: bench/release.sh   (configures build-release once, then compiles core/rhv)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR="$ROOT/build-release"
if [ ! -f "$DIR/build.ninja" ]; then
  meson setup "$DIR" "$ROOT" --buildtype=release >/dev/null
fi
meson compile -C "$DIR" core/rhv >/dev/null
echo "$DIR/core/rhv"
