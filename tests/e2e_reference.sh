#!/usr/bin/env bash
# End-to-end: `rhv check` on the five real XAF exports in ../shared/reference
# (docs/testing.md). Without them the test exits 77: meson counts it as
# skipped, never as passed. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
REF=${RHV_SHARED:-${RHV_SHARED_DEFAULT:-../../shared}}/reference
if [ ! -d "$REF" ]; then
  echo "SKIP: $REF not found (a clone without ../shared): the reference ledgers are not checked"
  exit 77
fi
. ./lib.sh

# name | company | fiscal year
while IFS='|' read -r file company year; do
  f="$REF/$file"
  "$RHV" check -q --format json "$f" >"$tmp/o.json"; rc=$?
  [ "$rc" -eq 0 ] && ok "$file: exit 0" || bad "$file: exit $rc"
  expect "$file: organisation from the header" \
    ".organisation.name == \"$company\" and .organisation.fiscal_year == $year" "$tmp/o.json"
  expect "$file: no verdict without a dossier" '.verdict == null' "$tmp/o.json"
  expect "$file: dossier rules skipped with a reason" \
    '[.rules[] | select(.id == "begroting.lasten")][0] | .status == "skipped" and (.message | test("dossier"))' "$tmp/o.json"
  expect "$file: ledger rules ran" \
    '[.rules[] | select(.id == "xaf.integriteit")][0].status == "ok"' "$tmp/o.json"
done <<'LIST'
xaf32_official_test.xml|Voorbeeldbedrijf|2016
xaf32_banana_2018.xaf|Banana.ch SA|2018
xaf32_exactonline_2016.xaf|Toro Rosso BV|2016
xaf32_multivers_2017_latin1.xaf|Demonstratiebedrijf Homegarden|2017
xaf31_twinfield_2016.xaf|Analys.io|2016
LIST
"$RHV" check -q --format json "$REF/xaf32_exactonline_2016.xaf" >"$tmp/e.json"
expect "exact: negative qntity is a signalering, not silent" \
  '[.findings[] | select(.kind == "signalering" and (.message | test("qntity|hoeveelheid")))] | length >= 1' "$tmp/e.json"
expect "exact: negative qntity also a warning with file:line" \
  '[.diagnostics[] | select(.level == "warning" and (.message | test("qntity")) and .line > 0)] | length >= 1' "$tmp/e.json"

finish
