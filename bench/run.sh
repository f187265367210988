#!/bin/sh
# bench/run.sh - wall time and peak memory of rhv on a generated XAF ledger,
# side by side with `xmllint --stream --noout` on the same file.
#
# usage: bench/run.sh [LINES] [RUNS]          (defaults: 1000000 lines, 3 runs)
# env:   RHV=path/to/rhv   (default: the first of build-*/core/rhv that runs)
#        BUILD=meson build dir (default: the first build-* with core/librhvcore.a)
#        BENCH_DIR=dir     (generated files and helper binaries; default /tmp/rhv-bench)
#        RHV_ARGS="..."    (extra arguments for rhv check)
#
# Measured per command: the median wall time over RUNS and the largest peak
# RSS, both from /usr/bin/time -v. Rows:
#   xmllint   xmllint --stream --noout FILE (the yardstick)
#   reader    bench/xaf_drive FILE: xaf_read with a counting sink, no rules
#   rules     bench/rules_drive FILE: reader + every rule of rules/ through the
#             engine (what rhv check does for a ledger, minus the report);
#             needs a meson build dir with core/librhvcore.a
#   rules-jN  the same with N = nproc engine worker threads (rules beside the reader)
#   rhv       rhv check FILE with the default rules (skipped when rhv is absent
#             or cannot check a ledger yet)
# The generator is deterministic, so a file of N lines is generated once per
# BENCH_DIR and reused.
set -eu

LINES=${1:-1000000}
RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BENCH_DIR=${BENCH_DIR:-/tmp/rhv-bench}
mkdir -p "$BENCH_DIR"

for tool in /usr/bin/time xmllint cc pkg-config; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is needed" >&2; exit 2; }
done

# Helpers are built here, with the same flags meson uses for the debugoptimized build.
CFLAGS="-O2 -g -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror"
cc $CFLAGS -o "$BENCH_DIR/gen_xaf" "$HERE/gen_xaf.c"
if [ -z "${BUILD:-}" ]; then
  for b in "$ROOT"/build "$ROOT"/build-*; do
    if [ -f "$b/core/librhvcore.a" ] && [ -f "$b/rhv_config.h" ]; then BUILD=$b; break; fi
  done
fi
if [ -z "${BUILD:-}" ] || [ ! -f "$BUILD/rhv_config.h" ]; then
  echo "bench: build rhvcore in a meson build dir first (meson setup build-x && meson compile -C build-x rhvcore)" >&2
  exit 2
fi
cc $CFLAGS -I"$ROOT/core" -I"$BUILD" $(pkg-config --cflags libxml-2.0) \
  -o "$BENCH_DIR/xaf_drive" "$HERE/xaf_drive.c" "$ROOT/core/xaf.c" "$ROOT/core/xml_stream.c" \
  "$ROOT/core/money.c" "$ROOT/core/diag.c" "$ROOT/core/record_types.c" $(pkg-config --libs libxml-2.0)
HAVE_RULES=0
if [ -f "$BUILD/core/librhvcore.a" ]; then
  cc $CFLAGS -I"$ROOT/core" -I"$BUILD" $(pkg-config --cflags libxml-2.0 lua5.4) \
    -o "$BENCH_DIR/rules_drive" "$HERE/rules_drive.c" "$BUILD/core/librhvcore.a" \
    $(pkg-config --libs libxml-2.0 lua5.4 jansson libcrypto) -lm -lpthread && HAVE_RULES=1
fi

FILE="$BENCH_DIR/ledger-$LINES.xaf"
if [ ! -s "$FILE" ]; then
  "$BENCH_DIR/gen_xaf" "$LINES" > "$FILE.tmp"
  mv "$FILE.tmp" "$FILE"
fi

if [ -z "${RHV:-}" ]; then
  for c in "$ROOT"/build/core/rhv "$ROOT"/build-*/core/rhv; do
    if [ -x "$c" ]; then RHV=$c; break; fi
  done
fi

# measure NAME CMD...: prints "NAME seconds kib exitcode" using the median of RUNS.
measure() {
  name=$1; shift
  times=""; peak=0; code=0
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    set +e
    /usr/bin/time -v -o "$BENCH_DIR/time.out" "$@" >"$BENCH_DIR/$name.stdout" 2>"$BENCH_DIR/$name.stderr"
    code=$?
    set -e
    w=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
          for (k = 1; k <= n; k++) s = s * 60 + p[k]; printf "%.3f", s }' "$BENCH_DIR/time.out")
    r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$BENCH_DIR/time.out")
    times="$times $w"
    [ "$r" -gt "$peak" ] && peak=$r
    i=$((i + 1))
  done
  med=$(printf '%s\n' $times | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  echo "$name $med $peak $code"
}

echo "file:    $FILE ($(du -m "$FILE" | cut -f1) MB, $LINES lines requested)"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "runs:    $RUNS (median wall time, largest peak RSS)"
echo

RESULTS="$BENCH_DIR/results.txt"
: > "$RESULTS"
measure xmllint xmllint --stream --noout "$FILE" >> "$RESULTS"
measure reader "$BENCH_DIR/xaf_drive" "$FILE" >> "$RESULTS"
if [ "$HAVE_RULES" = 1 ]; then
  measure rules "$BENCH_DIR/rules_drive" "$FILE" >> "$RESULTS"
  measure "rules-j$(nproc)" "$BENCH_DIR/rules_drive" -j "$(nproc)" "$FILE" >> "$RESULTS"
fi
if [ -n "${RHV:-}" ]; then
  # shellcheck disable=SC2086
  measure rhv "$RHV" check ${RHV_ARGS:-} "$FILE" >> "$RESULTS"
fi

awk '
  NR == 1 { base = $2 }
  { printf "%-8s %8.2f s %9.1f MiB  %5.2fx xmllint  exit %d\n", $1, $2, $3 / 1024, (base > 0 ? $2 / base : 0), $4 }
' "$RESULTS"
[ -n "${RHV:-}" ] || echo "rhv      no rhv executable found (set RHV=...): row skipped"
for row in rules "rules-j$(nproc)" rhv; do
  if grep -q "^$row " "$RESULTS" && [ "$(awk -v r=$row '$1 == r { print $4 }' "$RESULTS")" -ge 2 ]; then
    echo
    echo "$row exited 2 (input or rule errors); its stderr (first lines):"
    head -n 5 "$BENCH_DIR/$row.stderr"
  fi
done
[ "$HAVE_RULES" = 1 ] && { echo; echo "rules_drive output:"; cat "$BENCH_DIR/rules.stdout" | head -n 8; }
exit 0
