#!/usr/bin/env bash
# End-to-end: `rhv check` on the Westrom 2023 demo dossier and on small broken
# dossiers; compares JSON fields and exit codes. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
pass=0; fail=0
ok()   { echo "ok: $1"; pass=$((pass+1)); }
bad()  { echo "FAIL: $1"; fail=$((fail+1)); }
expect() { # description, jq expression (must be true), file
    if jq -e "$2" "$3" >/dev/null 2>&1; then ok "$1"; else bad "$1 ($2)"; fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

W=../fixtures/westrom-2023/dossier.xml
"$RHV" check --format json "$W" >"$tmp/w.json" 2>"$tmp/w.err"; rc=$?
[ "$rc" -eq 0 ] && ok "westrom: exit 0 (binnen)" || { bad "westrom: exit $rc"; cat "$tmp/w.err"; }
expect "westrom: organisation" '.organisation.name == "Westrom" and .organisation.fiscal_year == 2023' "$tmp/w.json"
expect "westrom: grens 3%" '.verantwoordingsgrens.percentage == "3.00"' "$tmp/w.json"
expect "westrom: grens = 3% of basis, half away from zero" \
  '.verantwoordingsgrens.amount_cents == ((.verantwoordingsgrens.basis_cents * 3 + 50) / 100 | floor)' "$tmp/w.json"
expect "westrom: verdict binnen" '.verdict == "binnen"' "$tmp/w.json"
expect "westrom: totals add up" '.totals.total_cents == .totals.fouten_cents + .totals.onzekerheden_cents' "$tmp/w.json"
expect "westrom: every rule ok or skipped" '[.rules[] | select(.status == "error")] | length == 0' "$tmp/w.json"
expect "westrom: begroting.lasten finds the overrun" '[.findings[] | select(.rule == "begroting.lasten" and .kind == "fout")] | length >= 1' "$tmp/w.json"
expect "westrom: personnel tables reconcile (no signalering)" '[.findings[] | select(.rule == "personeel.aansluiting")] | length == 0' "$tmp/w.json"
expect "westrom: registered afwijkingen present" '[.findings[] | select(.rule == "afwijkingen.geregistreerd")] | length >= 1' "$tmp/w.json"
expect "westrom: evidence has file and line" '[.findings[] | .evidence[] | select((.file|type) != "string" or (.line|type) != "number")] | length == 0' "$tmp/w.json"
# The Westrom dossier names an (invented) ledger, grootboek-2023.xaf: the ledger rules run on it.
expect "westrom: every rule ok (none skipped: the dossier has a ledger)" '[.rules[] | select(.status != "ok")] | length == 0' "$tmp/w.json"
expect "westrom: aanbesteding.eu finds two fouten per opdracht, Maasdal Flexwerk (20012) and the schoonmaak opdracht (20035)" \
  '[.findings[] | select(.rule == "aanbesteding.eu")] | length == 2 and all(.kind == "fout") and (map(.subject) | join(" ") | test("EO-2021-019.*20012") and test("OPD-2022-SCHOON.*20035"))' "$tmp/w.json"
expect "westrom: aanbesteding.eu fout is the spend excl. btw, above the EUR 215.000 threshold" \
  '[.findings[] | select(.rule == "aanbesteding.eu")][0].amount_cents | . >= 21500000' "$tmp/w.json"
expect "westrom: facturen.dubbel finds one signalering" \
  '[.findings[] | select(.rule == "facturen.dubbel")] | length == 1 and .[0].kind == "signalering"' "$tmp/w.json"
expect "westrom: xaf.integriteit finds nothing" '[.findings[] | select(.rule == "xaf.integriteit")] | length == 0' "$tmp/w.json"
expect "westrom: both inputs hashed (dossier, ledger)" \
  '[.inputs[].kind] == ["dossier","ledger"] and ([.inputs[] | select(.sha256 | test("^[0-9a-f]{64}$") | not)] | length == 0)' "$tmp/w.json"
expect "westrom: rules hashed" '[.rules[] | select((.sha256 // "") | test("^[0-9a-f]{64}$") | not)] | length == 0' "$tmp/w.json"

"$RHV" check --format json "$W" >"$tmp/w2.json" 2>/dev/null
cmp -s "$tmp/w.json" "$tmp/w2.json" && ok "deterministic: two runs byte-identical" || bad "deterministic"
"$RHV" check "$W" >"$tmp/w.txt" 2>/dev/null
grep -q "Rechtmatigheidsverantwoording" "$tmp/w.txt" && ok "text report has the heading" || bad "text heading"
"$RHV" check "$W" >"$tmp/w2.txt" 2>/dev/null
cmp -s "$tmp/w.txt" "$tmp/w2.txt" && ok "deterministic text" || bad "deterministic text"

# --output writes atomically and leaves no temporary file behind.
echo "oud rapport" >"$tmp/out.json"
"$RHV" check --format json --output "$tmp/out.json" "$W" 2>/dev/null
# The report records its own command line (with --output): compare the rest.
cmp -s <(jq 'del(.invocation.command_line)' "$tmp/out.json") <(jq 'del(.invocation.command_line)' "$tmp/w.json") \
  && ok "--output writes the report" || bad "--output content"
[ "$(ls "$tmp" | grep -c '\.tmp')" -eq 0 ] && ok "--output leaves no temp file" || bad "temp file left"
"$RHV" check --format json --output "$tmp/no/such/dir/out.json" "$W" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] && ok "--output into a missing folder: exit 2" || bad "--output missing folder exit $rc"

# A rule that fails: status error with file:line, the others still run, exit 2.
"$RHV" check --format json --rules-dir fixtures/e2e-rules "$W" >"$tmp/b.json" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] && ok "failing rule: exit 2" || bad "failing rule: exit $rc"
expect "failing rule: status error with file:line" \
  '.rules[] | select(.id == "e2e.breekt") | .status == "error" and (.message | test("e2e.breekt.lua:[0-9]+"))' "$tmp/b.json"
expect "failing rule: other rules still ok" '[.rules[] | select(.id == "begroting.lasten" and .status == "ok")] | length == 1' "$tmp/b.json"

# Small dossiers: within, above, broken.
D=fixtures/dossiers
if [ -f "$D/mini-boven.xml" ]; then
  "$RHV" check --format json "$D/mini-boven.xml" >"$tmp/m.json" 2>/dev/null; rc=$?
  [ "$rc" -eq 1 ] && ok "mini-boven: exit 1" || bad "mini-boven: exit $rc"
  expect "mini-boven: verdict boven, headroom negative" '.verdict == "boven" and .headroom_cents < 0' "$tmp/m.json"
fi
if [ -f "$D/mini-binnen.xml" ]; then
  "$RHV" check --format json "$D/mini-binnen.xml" >"$tmp/m.json" 2>/dev/null; rc=$?
  [ "$rc" -eq 0 ] && ok "mini-binnen: exit 0" || bad "mini-binnen: exit $rc"
  expect "mini-binnen: aanbesteding.eu skipped without a ledger, not a silent pass" \
    '.rules[] | select(.id == "aanbesteding.eu") | .status == "skipped" and (.message | test("grootboek"))' "$tmp/m.json"
fi
for f in "$D"/broken/*.xml; do
  [ -e "$f" ] || continue
  "$RHV" check --format json "$f" >"$tmp/x.json" 2>"$tmp/x.err"; rc=$?
  [ "$rc" -eq 2 ] && ok "$(basename "$f"): exit 2" || bad "$(basename "$f"): exit $rc"
  grep -qE "$(basename "$f"):[0-9]+: error" "$tmp/x.err" && ok "$(basename "$f"): message names file:line" \
    || { bad "$(basename "$f"): no file:line in: $(head -2 "$tmp/x.err")"; }
done

# Usage errors.
"$RHV" check >/dev/null 2>&1; rc=$?; [ "$rc" -eq 2 ] && ok "no input: exit 2" || bad "no input: exit $rc"
"$RHV" check --format xml "$W" >/dev/null 2>&1; rc=$?; [ "$rc" -eq 2 ] && ok "bad format: exit 2" || bad "bad format: $rc"
"$RHV" --version | grep -qE '^rhv [0-9]+\.[0-9]+\.[0-9]+' && ok "--version" || bad "--version"
"$RHV" check --help | grep -q -- '--rule-arg' && ok "check --help" || bad "check --help"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
