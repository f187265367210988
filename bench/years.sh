#!/bin/sh
# bench/years.sh - issue 12's bench: four fiscal years checked together.
# gen_xaf writes one ledger per year (YEAR-3 .. YEAR, LINES lines each, the
# same 3,000 suppliers), a dossier for YEAR names them (the three earlier
# ones with boekjaar, docs/procurement.md section 3), and `rhv check DOSSIER`
# runs in paired runs against `xmllint --stream --noout` over the same four
# files (each rhv run right after an xmllint run, as bench/paired.sh). Prints
# the load average before the runs, the medians, the median ratio and the
# largest peak RSS; then the peak RSS of one year alone (its own dossier, the
# same rules) to show whether memory grows with the years read.
#
# usage: bench/years.sh [LINES] [RUNS] [RHV ARGS...]  (defaults: 1000000 lines a year, 5 runs)
# env:   RHV=path/to/rhv (default: the release build, bench/release.sh), BENCH_DIR (default /tmp/rhv-bench), YEAR (2023),
#        SHAPE=short|long (gen_xaf's layout, default short: ~227 bytes a line; long: ~368)
set -eu
LINES=${1:-1000000}
RUNS=${2:-5}
[ $# -ge 2 ] && shift 2 || { [ $# -ge 1 ] && shift 1 || true; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BENCH_DIR=${BENCH_DIR:-/tmp/rhv-bench}
RHV=${RHV:-$("$HERE/release.sh")}
YEAR=${YEAR:-2023}
SHAPE=${SHAPE:-short}
mkdir -p "$BENCH_DIR"
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -o "$BENCH_DIR/gen_xaf" "$HERE/gen_xaf.c"
DIR="$BENCH_DIR/years-$SHAPE-$LINES"
mkdir -p "$DIR"
FILES=""
LEDGERS=""
for y in $((YEAR - 3)) $((YEAR - 2)) $((YEAR - 1)) "$YEAR"; do
  f="$DIR/grootboek-$y.xaf"
  if [ ! -s "$f" ]; then
    "$BENCH_DIR/gen_xaf" "$LINES" 3000 "$SHAPE" "$y" > "$f.tmp"
    mv "$f.tmp" "$f"
  fi
  FILES="$FILES $f"
  if [ "$y" = "$YEAR" ]; then
    LEDGERS="$LEDGERS  <ledger path=\"grootboek-$y.xaf\" extract=\"true\"/>
"
  else
    LEDGERS="$LEDGERS  <ledger path=\"grootboek-$y.xaf\" boekjaar=\"$y\" extract=\"true\"/>
"
  fi
done
# dossier FILE LEDGERS: a small dossier for YEAR that names the ledgers.
dossier() {
  cat > "$1" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<dossier xmlns="urn:rhv:dossier:1">
  <organisation naam="GR Benchmark" soort="gemeenschappelijke regeling" boekjaar="$YEAR"
                grens_percentage="1.00" grens_wijze="gecombineerd" grens_basis="realisatie"
                grens_besluit="$YEAR-01-15" rapportagegrens="10000.00" normenkader_datum="$YEAR-01-15"/>
  <exploitatie>
    <programma code="1" naam="Bedrijfsvoering" lasten_primitief="200000000.00" lasten_begroot="200000000.00"
               lasten_realisatie="200000000.00" baten_primitief="0.00" baten_begroot="0.00"
               baten_realisatie="0.00"/>
  </exploitatie>
$2</dossier>
EOF
}
dossier "$DIR/dossier-4.xml" "$LEDGERS"
dossier "$DIR/dossier-1.xml" "  <ledger path=\"grootboek-$YEAR.xaf\" extract=\"true\"/>
"
# shellcheck source=bench/stats.sh
. "$HERE/stats.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# one OUT CMD...: appends "seconds kib" of one run to OUT.
one() {
  out=$1; shift
  /usr/bin/time -f '%e %M' -o "$T/t" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$T/t" >> "$out" # (time writes "Command exited with non-zero status N" first)
}
echo "files: $FILES ($(cat $FILES | wc -c) bytes)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
while [ "$i" -lt "$RUNS" ]; do
  # shellcheck disable=SC2086
  one "$T/x" xmllint --stream --noout $FILES
  one "$T/r" "$RHV" check "$@" "$DIR/dossier-4.xml"
  i=$((i + 1))
done
one "$T/one" "$RHV" check "$@" "$DIR/dossier-1.xml"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
paste -d' ' "$T/x" "$T/r" > "$T/p" # per pair: xmllint's "s kib", rhv's the same
paired_lines "$T/p" 'xmllint --stream --noout (4 files)' 'rhv check (4 years)' 1 2 3 4
printf 'rhv check (1 year, same rules)      peak %.1f MiB\n' "$(echo "$(cut -d' ' -f2 "$T/one") / 1024" | bc -l)"
