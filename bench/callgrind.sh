#!/bin/sh
# bench/callgrind.sh - instructions of `rhv check --threads 0` (all default
# rules, one thread) against `xmllint --stream --noout` on the same generated
# ledger, counted by callgrind (repeatable, unlike wall time on a shared machine).
#
# usage: bench/callgrind.sh [LINES] [SHAPE]   (defaults: 100000 lines, short)
#        SHAPE: short (one trLine per text line, ~227 bytes a line) or long
#        (gen_xaf's indented layout, ~350 bytes a line)
# env:   RHV=path/to/rhv (default: the release build, bench/release.sh), BENCH_DIR (default /tmp/rhv-bench)
#
# Valgrind does not emulate the SHA extensions: under callgrind libcrypto takes
# its plain x86-64 SHA-256, so the count includes about 30 instructions a byte
# of hashing that the native run does with the CPU's SHA instructions.
set -eu
LINES=${1:-100000}
SHAPE=${2:-short}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BENCH_DIR=${BENCH_DIR:-/tmp/rhv-bench}
RHV=${RHV:-$("$HERE/release.sh")}
mkdir -p "$BENCH_DIR"
command -v valgrind >/dev/null 2>&1 || { echo "bench: valgrind is needed" >&2; exit 2; }
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -o "$BENCH_DIR/gen_xaf" "$HERE/gen_xaf.c"
FILE="$BENCH_DIR/ledger-$SHAPE-$LINES.xaf"
if [ ! -s "$FILE" ]; then
  "$BENCH_DIR/gen_xaf" "$LINES" 3000 "$SHAPE" > "$FILE.tmp"
  mv "$FILE.tmp" "$FILE"
fi
# count NAME CMD...: the total instructions callgrind reports.
count() {
  name=$1; shift
  valgrind --tool=callgrind --callgrind-out-file="$BENCH_DIR/callgrind.$name.out" "$@" \
    >/dev/null 2>"$BENCH_DIR/callgrind.$name.log" || true
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$BENCH_DIR/callgrind.$name.log"
}
x=$(count xmllint xmllint --stream --noout "$FILE")
r=$(count rhv "$RHV" check --threads 0 "$FILE")
bytes=$(wc -c < "$FILE")
# The hashing of the input file (core/hash.c), inclusive: under valgrind it is
# libcrypto's software SHA-256. Natively the same libcrypto takes its SHA-NI
# loop, 170 instructions per 64-byte block (counted in the disassembly of
# Debian 12's libcrypto.so.3, sha256_block_data_order_shaext): shown as a
# second, derived figure, never instead of the measured one.
h=$(callgrind_annotate --inclusive=yes --auto=no "$BENCH_DIR/callgrind.rhv.out" 2>/dev/null |
    awk '/:sha256_stream_add( \[.*)?$/ {gsub(",", "", $1); s += $1} END {print s + 0}')
echo "file: $FILE ($bytes bytes)"
awk -v x="$x" -v r="$r" -v h="$h" -v b="$bytes" 'BEGIN {
  printf "xmllint --stream --noout   %6.3f G instructions\n", x / 1e9
  printf "rhv check --threads 0      %6.3f G instructions  %.3fx xmllint\n", r / 1e9, r / x
  n = int((b + 63) / 64) * 170
  printf "  of which SHA-256         %6.2f G (software path: valgrind has no SHA extensions)\n", h / 1e9
  printf "  with SHA-NI (%.2f G)      %6.2f G instructions  %.2fx xmllint (derived: measured - software hash + 170/block)\n", n / 1e9, (r - h + n) / 1e9, (r - h + n) / x }'
echo "profiles: $BENCH_DIR/callgrind.{xmllint,rhv}.out (callgrind_annotate)"
