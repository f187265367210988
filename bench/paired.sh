#!/bin/sh
# shellcheck disable=SC2016 # (the awk expressions handed to each_line stay in single quotes)
# bench/paired.sh - `rhv check` against `xmllint --stream --noout` in paired
# runs: each run of rhv right after one of xmllint on the same file, so that
# the load of a shared machine weighs on both alike. Prints the median wall
# time of each, the median of the per-pair ratios, the largest peak RSS and
# the median CPU time (user + sys) of each: rhv runs three threads, and a
# shared machine's speed under such a load varies more than a one-thread
# xmllint's, so the CPU time tells whether rhv's work or the machine moved.
#
# usage: bench/paired.sh FILE [RUNS] [RHV ARGS...]   (default 5 runs)
# env:   RHV=path/to/rhv (default: the release build, bench/release.sh)
set -eu
FILE=${1:?usage: paired.sh FILE [RUNS] [RHV ARGS...]}
RUNS=${2:-5}
[ $# -ge 2 ] && shift 2 || shift 1
HERE=$(cd "$(dirname "$0")" && pwd)
RHV=${RHV:-$("$HERE/release.sh")}
# shellcheck source=bench/stats.sh
. "$HERE/stats.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# one OUT CMD...: appends "seconds kib" of one run to OUT.
one() {
  out=$1; shift
  /usr/bin/time -f '%e %M %U %S' -o "$T/t" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$T/t" >> "$out" # (time writes "Command exited with non-zero status N" first)
}
i=0
while [ "$i" -lt "$RUNS" ]; do
  one "$T/x" xmllint --stream --noout "$FILE"
  one "$T/r" "$RHV" check "$@" "$FILE"
  i=$((i + 1))
done
paste -d' ' "$T/x" "$T/r" > "$T/p" # per pair: xmllint's "s kib user sys", rhv's the same
paired_lines "$T/p" 'xmllint --stream --noout' 'rhv check' 1 2 5 6
printf 'CPU (user + sys) medians  xmllint %.2f s, rhv %.2f s\n' "$(each_line "$T/p" '$3 + $4' | median)" \
  "$(each_line "$T/p" '$7 + $8' | median)"
