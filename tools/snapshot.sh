#!/usr/bin/env bash
# snapshot.sh RHV OUTDIR - write `rhv check` reports (text and JSON, stdout,
# stderr and exit code) for every fixture and test dossier/ledger into OUTDIR.
# Used to show that a refactoring changes no report: run it before and after,
# then `diff -r` the two folders. Paths are relative to the source root so the
# reports are comparable between checkouts.
set -uo pipefail
RHV=$(realpath "${1:?usage: snapshot.sh RHV OUTDIR}")
OUT=$(realpath -m "${2:?usage: snapshot.sh RHV OUTDIR}")
cd "$(dirname "$0")/.."
mkdir -p "$OUT"
run() { # name, args...
    local name=$1; shift
    for fmt in text json; do
        "$RHV" check --threads 2 --format "$fmt" "$@" >"$OUT/$name.$fmt" 2>"$OUT/$name.$fmt.err"
        echo "exit $?" >>"$OUT/$name.$fmt.err"
    done
}
run westrom fixtures/westrom-2023/dossier.xml
run westrom-ledger-only fixtures/westrom-2023/grootboek-2023.xaf
run westrom-begroting --rules 'begroting.*' fixtures/westrom-2023/dossier.xml
run westrom-e2e-rules --rules-dir tests/fixtures/e2e-rules fixtures/westrom-2023/dossier.xml
run westrom-arg --rule-arg xaf.integriteit.max_meldingen=1 --rule-arg facturen.dubbel.max_meldingen=1 fixtures/westrom-2023/dossier.xml
for f in tests/fixtures/dossiers/*.xml tests/fixtures/dossiers/broken/*.xml tests/fixtures/dossiers/*.xaf \
         tests/fixtures/ledgers/*.xaf; do
    run "$(echo "$f" | tr '/' '_')" "$f"
done
