#!/usr/bin/env bash
# workbook.sh [CONTRACTS] [KREDIETEN] [RUNS] - how long rhv takes to read a dossier workbook.
# Builds a dossier from the Westrom demo with CONTRACTS contracts (default 5000) and KREDIETEN
# kredieten (default 150), writes it as a workbook with `rhv template --from`, and reports the
# median wall time of `rhv convert big.xlsx -o big.xml` (reading the workbook with every check,
# plus writing the XML) and of the whole `rhv check big.xlsx` (reading, rules and report).
# Uses ./build/core/rhv; not a timed test.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}; K=${2:-150}; RUNS=${3:-5}
RHV=./build/core/rhv
DIR=${BENCH_DIR:-/tmp/rhv-bench-workbook}
mkdir -p "$DIR"
python3 - "$N" "$K" fixtures/westrom-2023/dossier.xml "$DIR/big.xml" <<'PY'
import re, sys
n, k, src, dst = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
x = open(src, encoding="utf-8").read()
x = re.sub(r'\s*<ledger\b[^>]*/>', "", x)  # the demo's ledger: not part of the workbook
kred = "".join('\n    <krediet code="KB-%04d" naam="Krediet %d" budget="%d.00" realisatie="%d.50"/>'
               % (i, i, 100000 + i * 1000, 90000 + i * 900) for i in range(k))
x = x.replace("</exploitatie>", kred + "\n  </exploitatie>")
con = "".join('\n    <contract leverancier="%05d" contract_id="CB-%05d" procedure="nationaal" soort="werken" '
              'begin="2022-01-01" einde="2025-12-31" waarde="%d.%02d"/>' % (20000 + i % 300, i, 1000 + i * 37, i % 100)
              for i in range(n))
x = x.replace("</contractregister>", con + "\n  </contractregister>")
open(dst, "w", encoding="utf-8").write(x)
PY
$RHV template --from "$DIR/big.xml" "$DIR/big.xlsx"
echo "workbook: $(stat -c %s "$DIR/big.xlsx") bytes, $N contracts, $K kredieten (+ the demo's rows)"
# shellcheck source=bench/stats.sh
. bench/stats.sh
time_of() { # command... -> median seconds over RUNS
  for _ in $(seq "$RUNS"); do
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    echo "$e - $s" | bc -l
  done | median
}
printf 'read (rhv convert big.xlsx -o big.xml): %.3f s\n' "$(time_of $RHV convert "$DIR/big.xlsx" -o "$DIR/out.xml")"
printf 'rhv check big.xlsx (rules, report):    %.3f s\n' "$(time_of $RHV check --threads 2 "$DIR/big.xlsx")"
printf 'rhv check big.xml  (same, from XML):   %.3f s\n' "$(time_of $RHV check --threads 2 "$DIR/big.xml")"
