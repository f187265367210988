#!/usr/bin/env bash
# End-to-end: the jaarrekening's own figures (<cijfer maat="bedrag">,
# docs/aansluiting.md) against what rhv computed. The RHV table (tabel rhv) is
# compared by the host after the verdict (core/reconcile.c), the lasten
# (tabel lasten) and the taakvelden by rule verantwoording.aansluiting; both
# are listed under that rule, as signaleringen that leave the verdict alone.
# Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
pass=0; fail=0
ok()   { echo "ok: $1"; pass=$((pass+1)); }
bad()  { echo "FAIL: $1"; fail=$((fail+1)); }
expect() { if jq -e "$2" "$3" >/dev/null 2>&1; then ok "$1"; else bad "$1 ($2)"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# mini-boven: programma 2 is EUR 60.000 over (a counted fout, begrotingscriterium); lasten 410.000 +
# 560.000, toevoeging 60.000: grens 3% of 1.030.000 = EUR 30.900.
B=fixtures/dossiers/mini-boven.xml
with_cijfers() { # the cijfer elements, inserted before </dossier>; writes $tmp/d.xml
  { sed '/<\/dossier>/d' "$B"; echo "  <cijfers>"; cat; echo "  </cijfers>"; echo "</dossier>"; } >"$tmp/d.xml"
}
cel() { # tabel rij kolom waarde [decimalen [afronding]]
  echo "    <cijfer tabel=\"$1\" rij=\"$2\" kolom=\"$3\" maat=\"bedrag\" peildatum=\"2023-12-31\" waarde=\"$4\"" \
       "decimalen=\"${5:-2}\" afronding=\"${6:-half_up}\"/>"
}
RULE='[.findings[] | select(.rule == "verantwoording.aansluiting")]'

"$RHV" check -q --format json "$B" >"$tmp/base.json"; base_rc=$?

# 1. The table as computed: silent, verdict unchanged.
{ cel rhv begrotingscriterium fouten 60000; cel rhv begrotingscriterium totaal 60000
  cel rhv voorwaardencriterium onzekerheden 0; cel rhv Totaal fouten 60000; cel rhv Totaal totaal 60000
  cel rhv verantwoordingsgrens totaal 30900 0; cel lasten Totaal realisatie 970000; cel lasten 2 begroot 500000
  cel lasten Totaal overschrijding 60000 0; } | with_cijfers
"$RHV" check -q --format json "$tmp/d.xml" >"$tmp/o.json"; rc=$?
[ "$rc" -eq "$base_rc" ] && ok "equal figures: exit $rc as without them" || bad "equal figures: exit $rc, base $base_rc"
expect "equal figures: no finding of verantwoording.aansluiting" "$RULE | length == 0" "$tmp/o.json"
expect "equal figures: the rule ran" \
  '.rules[] | select(.id == "verantwoording.aansluiting") | .status == "ok"' "$tmp/o.json"
expect "the base has a verdict to compare" '.verantwoordingsgrens.amount_cents == 3090000 and .verdict == "boven"' "$tmp/base.json"
if jq -e --slurpfile b "$tmp/base.json" '.verdict == $b[0].verdict and .totals == $b[0].totals and .verantwoordingsgrens == $b[0].verantwoordingsgrens' "$tmp/o.json" \
   >/dev/null; then ok "equal figures: verdict and totals as without them"; else bad "equal figures: verdict changed"; fi

# 2. A reported total that differs: one signalering per cell, with the difference.
{ cel rhv begrotingscriterium fouten 65000; cel rhv Totaal totaal 60000; cel rhv verantwoordingsgrens totaal 31000
  cel lasten Totaal realisatie 969999.99; } | with_cijfers
"$RHV" check -q --format json "$tmp/d.xml" >"$tmp/o.json"; rc=$?
[ "$rc" -eq "$base_rc" ] && ok "differing figures: exit $rc, the verdict stands" || bad "differing figures: exit $rc"
expect "begrotingscriterium fouten EUR 65.000 typed, EUR 60.000 computed: EUR 5.000" \
  "$RULE | map(select(.subject == \"Tabel rhv, begrotingscriterium, fouten\")) | length == 1
   and .[0].kind == \"signalering\" and .[0].amount_cents == 500000 and .[0].criterion == \"geen\"" "$tmp/o.json"
expect "the grens EUR 31.000 typed, EUR 30.900 computed: EUR 100" \
  "$RULE | map(select(.subject == \"Tabel rhv, verantwoordingsgrens, totaal\")) | .[0].amount_cents == 10000" \
  "$tmp/o.json"
expect "the evidence is the cijfer's line" \
  "$RULE | map(select(.subject == \"Tabel rhv, verantwoordingsgrens, totaal\")) | .[0].evidence[0].line > 20" \
  "$tmp/o.json"
expect "totale lasten one cent off: the rule says so" \
  "$RULE | map(select(.subject == \"Tabel lasten, Totaal, realisatie\")) | .[0].amount_cents == 1" "$tmp/o.json"
expect "the equal cell (Totaal totaal) says nothing; three signaleringen in all" "$RULE | length == 3" "$tmp/o.json"
expect "the rule's findings are sorted by subject, host and rule together" \
  "$RULE | map(.subject) == [\"Tabel lasten, Totaal, realisatie\", \"Tabel rhv, begrotingscriterium, fouten\",
   \"Tabel rhv, verantwoordingsgrens, totaal\"]" "$tmp/o.json"
if jq -e --slurpfile b "$tmp/base.json" '.verdict == $b[0].verdict and .totals == $b[0].totals and .verantwoordingsgrens == $b[0].verantwoordingsgrens' "$tmp/o.json" \
   >/dev/null; then ok "differing figures: verdict and totals unchanged"; else bad "differing figures: verdict changed"; fi
"$RHV" check -q "$tmp/d.xml" >"$tmp/o.txt"
grep -q "Gepubliceerd € 65.000,00, berekend € 60.000,00: verschil € 5.000,00." "$tmp/o.txt" \
  && ok "text report: the difference in words" || bad "text report: no difference line"

# 3. Cells that name nothing, and the grens cells of the other wijze.
{ cel rhv verantwoordingsgrens fouten 100; cel rhv Subtotaal fouten 1; cel rhv Totaal bedrag 1; } | with_cijfers
"$RHV" check -q --format json "$tmp/d.xml" >"$tmp/o.json"
expect "unknown rij, kolom, and a fouten grens with a gecombineerde grens: three signaleringen of 0" \
  "$RULE | length == 3 and all(.amount_cents == 0)" "$tmp/o.json"

# 4. The boundary: one cent off is a difference; whole euros compare after rounding.
{ cel rhv verantwoordingsgrens totaal 30900.01; cel rhv Totaal fouten 60000 0 down; } | with_cijfers
"$RHV" check -q --format json "$tmp/d.xml" >"$tmp/o.json"
expect "the grens one cent off: a signalering of EUR 0,01; the equal cell in whole euros: none" \
  "$RULE | length == 1 and .[0].amount_cents == 1" "$tmp/o.json"

# 5. Without the rule (deselected) the host compares nothing either.
{ cel rhv Totaal totaal 1; } | with_cijfers
"$RHV" check -q --format json --rules 'not verantwoording.aansluiting' "$tmp/d.xml" >"$tmp/o.json"
expect "rule not selected: no verantwoording.aansluiting finding" "$RULE | length == 0" "$tmp/o.json"

# 6. The published case (Best 2023): taakvelden over by EUR 5.733.000 together, EUR 5.813.000 stated.
T="$tmp/best.xml"
sed -e 's|<programma code="1"|&|' "$B" | python3 -c '
import sys
s = sys.stdin.read()
rows = [("2",2711,2979),("3",1361,1657),("4",3054,3193),("5",7874,8484),("6",37719,37828),("7",9229,9476),("8",8280,12344)]
b = sum(r[1] for r in rows) * 1000; r_ = sum(r[2] for r in rows) * 1000
tv = "".join("    <taakveld programma=\"3\" code=\"%s\" lasten_begroot=\"%d.00\" lasten_realisatie=\"%d.00\"/>\n"
             % (c, x * 1000, y * 1000) for c, x, y in rows)
prog = ("    <programma code=\"3\" naam=\"Taakvelden Best\" lasten_primitief=\"%d.00\" lasten_begroot=\"%d.00\" "
        "lasten_realisatie=\"%d.00\" baten_primitief=\"0\" baten_begroot=\"0\" baten_realisatie=\"0\" "
        "categorie=\"open_einde\"/>\n" % (b, b, r_))
s = s.replace("  </exploitatie>", prog + tv + "  </exploitatie>")
s = s.replace("</dossier>", "  <cijfers>\n    <cijfer tabel=\"lasten\" rij=\"3\" kolom=\"overschrijding\" maat=\"bedrag\" "
              "peildatum=\"2023-12-31\" waarde=\"5813000\" decimalen=\"0\" afronding=\"half_up\"/>\n  </cijfers>\n</dossier>")
sys.stdout.write(s)' >"$T"
"$RHV" check -q --format json "$T" >"$tmp/o.json"
expect "Best 2023: EUR 5.813.000 stated, EUR 5.733.000 over per taakveld: the EUR 80.000 gap shows" \
  "$RULE | map(select(.subject == \"Tabel lasten, 3, overschrijding\")) | length == 1 and .[0].amount_cents == 8000000" \
  "$tmp/o.json"
expect "Best 2023: the taakvelden add up to their programma" \
  "$RULE | map(select(.subject | test(\"taakvelden\"))) | length == 0" "$tmp/o.json"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
