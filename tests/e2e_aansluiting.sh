#!/usr/bin/env bash
# End-to-end: rule aansluiting.grootboek (issue 9.4). The Westrom ledger is
# an extract: not reconciled, and the report says so, with the same verdict
# and figures. The same ledger as a whole ledger is reconciled: the
# difference with the dossier's lasten, in total and, with <rekening>, per
# programma. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
pass=0; fail=0
ok()   { echo "ok: $1"; pass=$((pass+1)); }
bad()  { echo "FAIL: $1"; fail=$((fail+1)); }
expect() { if jq -e "$2" "$3" >/dev/null 2>&1; then ok "$1"; else bad "$1 ($2)"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
W=../fixtures/westrom-2023
RULE='select(.rule == "aansluiting.grootboek")'

"$RHV" check -q --format json "$W/dossier.xml" >"$tmp/w.json"; rc=$?
[ "$rc" -eq 0 ] && ok "westrom: exit 0" || bad "westrom: exit $rc"
expect "westrom: binnen, EUR 1.003.735,35 of EUR 1.440.266,39" \
  '.verdict == "binnen" and .totals.total_cents == 100373535 and .verantwoordingsgrens.amount_cents == 144026639' "$tmp/w.json"
expect "westrom: the rule ran" '[.rules[] | select(.id == "aansluiting.grootboek")][0].status == "ok"' "$tmp/w.json"
expect "westrom: the extract is said, not reconciled" \
  "[.findings[] | $RULE] | length == 1 and .[0].kind == \"signalering\" and .[0].amount_cents == 0 and (.[0].message | test(\"extract\")) and (.[0].evidence[0].file | endswith(\"dossier.xml\"))" "$tmp/w.json"

# The same ledger, not marked as an extract: its purchase lasten fall far short of the exploitatie.
cp "$W/grootboek-2023.xaf" "$tmp/"
sed 's/ extract="true"//' "$W/dossier.xml" >"$tmp/dossier.xml"
"$RHV" check -q --format json "$tmp/dossier.xml" >"$tmp/h.json"
expect "whole ledger: a total difference with both sources" \
  "[.findings[] | $RULE] | length == 1 and .[0].subject == \"Totale lasten\" and .[0].amount_cents > 0 and .[0].counts == false and ([.[0].evidence[].file | split(\"/\")[-1]] | sort) == [\"dossier.xml\", \"grootboek-2023.xaf\"]" "$tmp/h.json"
expect "whole ledger: the verdict's total is the same (a signalering)" '.totals.total_cents == 100373535' "$tmp/h.json"

# With every lasten account of the ledger assigned to programma 4: one difference per programma.
accs=$(grep -o '<accID>4[0-9]*</accID><accDesc>[^<]*</accDesc><accTp>P</accTp>' "$W/grootboek-2023.xaf" | sed 's|<accID>\([0-9]*\)</accID>.*|\1|')
rek=$(for a in $accs; do printf '<rekening nr="%s" programma="4"/>' "$a"; done)
sed "s|</exploitatie>|$rek</exploitatie>|" "$tmp/dossier.xml" >"$tmp/dossier2.xml"
"$RHV" check -q --format json "$tmp/dossier2.xml" >"$tmp/p.json"; rc=$?
[ "$rc" -eq 0 ] && ok "per programma: exit 0" || bad "per programma: exit $rc"
expect "per programma: programma's 1-4 and the total differ" \
  "[.findings[] | $RULE | .subject] | sort == [\"Programma 1 Sociaal werkbedrijf (Wsw)\", \"Programma 2 Participatiewet en beschut werk\", \"Programma 3 Re-integratie en dienstverlening\", \"Programma 4 Bedrijfsvoering en overhead\", \"Totale lasten\"]" "$tmp/p.json"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
