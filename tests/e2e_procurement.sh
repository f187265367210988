#!/usr/bin/env bash
# End-to-end: procurement over several years (issue 12). The Westrom dossier
# with a prior ledger (<ledger boekjaar="2022">, made here from the 2023
# ledger with its dates a year earlier): only rule aanbesteding.eu sees it
# (as xaf.prior.*), the fiscal year's own findings of the other rules do not
# change, spend over two years reaches the threshold for a supplier without
# an opdracht, and the opdracht fouten count only 2023's spend. A prior
# ledger for another year than the dossier says, or a later one, is an
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
AE='select(.rule == "aanbesteding.eu")'

"$RHV" check -q --format json "$W/dossier.xml" >"$tmp/one.json"
cp "$W/grootboek-2023.xaf" "$tmp/"
sed -e 's/2023-/2022-/g' -e 's|<fiscalYear>2023</fiscalYear>|<fiscalYear>2022</fiscalYear>|' \
  "$W/grootboek-2023.xaf" >"$tmp/grootboek-2022.xaf"
sed 's|<ledger path="grootboek-2023.xaf"|<ledger path="grootboek-2022.xaf" boekjaar="2022" extract="true"/>\n  &|' \
  "$W/dossier.xml" >"$tmp/dossier.xml"
"$RHV" check -q --format json "$tmp/dossier.xml" >"$tmp/two.json"; rc=$?
[ "$rc" -eq 0 ] && ok "two years: exit 0" || bad "two years: exit $rc"
expect "two years: both ledgers are inputs" '[.inputs[] | select(.kind == "ledger")] | length == 2' "$tmp/two.json"
# (the subject of aansluiting.grootboek names the ledger's path, which differs)
a=$(jq -c '[.findings[] | select(.rule != "aanbesteding.eu") | [.rule, .kind, .amount_cents]]' "$tmp/one.json")
b=$(jq -c '[.findings[] | select(.rule != "aanbesteding.eu") | [.rule, .kind, .amount_cents]]' "$tmp/two.json")
[ "$a" = "$b" ] && ok "two years: the other rules do not see the prior ledger" || bad "other rules changed: $b"
expect "two years: the opdracht fouten count 2023's spend only" \
  "[.findings[] | $AE | select(.kind == \"fout\") | .amount_cents] | sort == [19864200, 28746320]" "$tmp/two.json"
expect "two years: the spend per year is shown" \
  "[.findings[] | $AE | select(.subject | test(\"EO-2021-019\"))][0].toelichting | test(\"2022: € 287.463,20; 2023: € 287.463,20\")" "$tmp/two.json"
# Suppliers without an opdracht whose spend reaches EUR 215.000 over 2022 and 2023 together (in 2023
# alone each is below it): an onzekerheid of 2023's spend each.
expect "two years: three suppliers without opdracht reach the threshold over two years: onzekerheden of 2023's spend" \
  "[.findings[] | $AE | select(.kind == \"onzekerheid\") | [(.subject | split(\" \")[1]), .amount_cents]] == [[\"20058\", 11327540], [\"20071\", 16290885], [\"20104\", 13876550]]" "$tmp/two.json"
expect "two years: binnen, the onzekerheden counted" '.verdict == "binnen" and .totals.total_cents == 141868510' "$tmp/two.json"

sed 's/boekjaar="2022"/boekjaar="2021"/' "$tmp/dossier.xml" >"$tmp/wrongyear.xml"
"$RHV" check --format json "$tmp/wrongyear.xml" >/dev/null 2>"$tmp/err1"; rc=$?
[ "$rc" -eq 2 ] && grep -q "fiscal year 2022, the dossier names it with boekjaar 2021" "$tmp/err1" \
  && ok "a prior ledger for another year: an error" || { bad "wrong year: exit $rc"; cat "$tmp/err1"; }
sed 's/boekjaar="2022"/boekjaar="2024"/' "$tmp/dossier.xml" >"$tmp/later.xml"
"$RHV" check --format json "$tmp/later.xml" >/dev/null 2>"$tmp/err2"; rc=$?
[ "$rc" -eq 2 ] && grep -q 'boekjaar="2024": a ledger is for the dossier' "$tmp/err2" \
  && ok "a later ledger: an error at the dossier line" || { bad "later: exit $rc"; cat "$tmp/err2"; }

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
