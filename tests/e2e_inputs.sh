#!/usr/bin/env bash
# End-to-end: one file is one input (issue 9.1). The Westrom ledger given
# again on the command line, or a copy of it, is read once with a warning;
# two different ledgers that share a transaction are an error naming both;
# one file named by the dossier as an extract and as a whole ledger is an
# error. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
pass=0; fail=0
ok()   { echo "ok: $1"; pass=$((pass+1)); }
bad()  { echo "FAIL: $1"; fail=$((fail+1)); }
expect() { if jq -e "$2" "$3" >/dev/null 2>&1; then ok "$1"; else bad "$1 ($2)"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

W=../fixtures/westrom-2023
TOTAL=100373535   # EUR 1.003.735,35, the demo's counted total

"$RHV" check -q --format json "$W/dossier.xml" >"$tmp/alone.json"
expect "demo alone: binnen, EUR 1.003.735,35" ".verdict == \"binnen\" and .totals.total_cents == $TOTAL" "$tmp/alone.json"

same_as_alone() { # name, json
  "$RHV" check -q --format json "$W/dossier.xml" "$2" >"$tmp/s.json"; rc=$?
  [ "$rc" -eq 0 ] && ok "$1: exit 0" || bad "$1: exit $rc"
  expect "$1: still binnen with the same total" ".verdict == \"binnen\" and .totals.total_cents == $TOTAL" "$tmp/s.json"
  expect "$1: each sha256 listed once" '[.inputs[].sha256] | length == 2 and (unique | length) == 2' "$tmp/s.json"
  expect "$1: findings as without it" "[.findings[] | .subject] == $(jq -c '[.findings[] | .subject]' "$tmp/alone.json")" "$tmp/s.json"
  expect "$1: said once, as a warning" \
    '[.diagnostics[] | select(.message | test("same file"))] | length == 1 and .[0].level == "warning"' "$tmp/s.json"
}
same_as_alone "ledger named by the dossier and given again" "$W/grootboek-2023.xaf"
cp "$W/grootboek-2023.xaf" "$tmp/kopie.xaf"
same_as_alone "a copy under another name" "$tmp/kopie.xaf"
"$RHV" check --format json "$W/dossier.xml" "$tmp/kopie.xaf" 2>"$tmp/err" >/dev/null
grep -q "kopie.xaf: warning: the same file as .*grootboek-2023.xaf" "$tmp/err" \
  && ok "the warning is on stderr too" || bad "the warning is on stderr too"

# Two different files (another export date) with the same transactions.
sed 's|<dateCreated>[^<]*</dateCreated>|<dateCreated>2024-03-01</dateCreated>|' "$W/grootboek-2023.xaf" >"$tmp/export2.xaf"
cmp -s "$W/grootboek-2023.xaf" "$tmp/export2.xaf" && bad "export2 differs from the ledger (test setup)"
for setup in "with the dossier" "ledgers only"; do
  if [ "$setup" = "ledgers only" ]; then args=("$W/grootboek-2023.xaf" "$tmp/export2.xaf"); else args=("$W/dossier.xml" "$tmp/export2.xaf"); fi
  "$RHV" check -q --format json "${args[@]}" >"$tmp/o.json"; rc=$?
  [ "$rc" -eq 2 ] && ok "overlap $setup: exit 2" || bad "overlap $setup: exit $rc"
  expect "overlap $setup: an error naming both files and a transaction" \
    '[.diagnostics[] | select(.level == "error" and (.file | endswith("export2.xaf")) and .line > 0 and (.message | test("overlaps .*grootboek-2023.xaf: transaction [^ ]+ of journal")))] | length == 1' "$tmp/o.json"
done

# The dossier names one file as an extract and its copy as a whole ledger.
D=fixtures/dossiers
cp "$D/valid-ledger.xaf" "$tmp/a.xaf"; cp "$D/valid-ledger.xaf" "$tmp/b.xaf"
sed 's|<ledger path="valid-ledger.xaf"/>|<ledger path="a.xaf" extract="true"/><ledger path="b.xaf"/>|' "$D/valid.xml" >"$tmp/d.xml"
"$RHV" check --format json "$tmp/d.xml" >"$tmp/c.json" 2>"$tmp/c.err"; rc=$?
[ "$rc" -eq 2 ] && ok "conflicting roles: exit 2" || bad "conflicting roles: exit $rc"
grep -q "b.xaf: error: the same file as .*a.xaf.*extract" "$tmp/c.err" \
  && ok "conflicting roles: an error naming both" || bad "conflicting roles: an error naming both"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
