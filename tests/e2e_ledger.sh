#!/usr/bin/env bash
# End-to-end: `rhv check` on XAF ledgers alone (the five real exports in
# ../shared/reference, skipped with a reason when absent), on broken ledgers,
# and on a dossier that names its ledger. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
pass=0; fail=0
ok()   { echo "ok: $1"; pass=$((pass+1)); }
bad()  { echo "FAIL: $1"; fail=$((fail+1)); }
expect() { if jq -e "$2" "$3" >/dev/null 2>&1; then ok "$1"; else bad "$1 ($2)"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

REF=${RHV_SHARED:-../../shared}/reference
if [ -d "$REF" ]; then
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
else
  echo "SKIP: $REF not found (a clone without ../shared): the reference ledgers are not checked"
fi

L=fixtures/ledgers
check_broken() { # file, regex the first error must match
  "$RHV" check -q --format json "$L/$1" >"$tmp/b.json"; rc=$?
  [ "$rc" -eq 2 ] && ok "$1: exit 2" || bad "$1: exit $rc"
  expect "$1: error names file:line and cause" \
    "[.diagnostics[] | select(.level == \"error\" and .line > 0 and (.file | endswith(\"$1\")) and (.message | test(\"$2\")))] | length >= 1" "$tmp/b.json"
}
check_broken bad_amount.xaf 'amount'
check_broken bad_date.xaf 'date'
check_broken malformed.xaf 'malformed'
check_broken missing_accid.xaf 'accID'
check_broken wrong_namespace.xaf 'example.org/XAF/9.9'
check_broken xaf40.xaf '4.0.*not supported'

"$RHV" check -q --format json "$L/mini_ok.xaf" >"$tmp/m.json"; rc=$?
[ "$rc" -eq 0 ] && ok "mini_ok: exit 0" || bad "mini_ok: exit $rc"

# A dossier naming its ledger: both hashed, the ledger rules run next to the dossier rules.
D=fixtures/dossiers
"$RHV" check -q --format json "$D/valid.xml" >"$tmp/d.json"; rc=$?
[ "$rc" -le 1 ] && ok "dossier with ledger: report made" || bad "dossier with ledger: exit $rc"
expect "dossier with ledger: both inputs hashed" '[.inputs[] | .kind] == ["dossier", "ledger"]' "$tmp/d.json"
expect "dossier with ledger: all rules ran" '[.rules[] | select(.status != "ok")] | length == 0' "$tmp/d.json"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
