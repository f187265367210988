#!/usr/bin/env bash
# End-to-end: settings that look mistyped are warnings with file:line, on
# stderr and in the report's diagnostics (issue 9.3): a grens below 0.5% or
# above 3%, a rapportagegrens above the grens, a begroting basis more than 1%
# from the realisatie, a boekjaar no input confirms. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
. ./lib.sh

M=fixtures/dossiers/mini-binnen.xml
# mini-binnen with a dated record in 2023, so only the setting under test warns.
sed 's|</exploitatie>|</exploitatie><afwijkingen/><contractregister peildatum="2023-12-31"/>|' "$M" >"$tmp/base.xml"

warns() { # name, sed expression, regex the one warning must match
  sed "$2" "$tmp/base.xml" >"$tmp/d.xml"
  "$RHV" check --format json "$tmp/d.xml" >"$tmp/o.json" 2>"$tmp/err"; rc=$?
  [ "$rc" -le 1 ] && ok "$1: a report, no error (exit $rc)" || bad "$1: exit $rc"
  expect "$1: a warning at the organisation's line" \
    "[.diagnostics[] | select(.level == \"warning\" and .line == 6 and (.message | test(\"$3\")))] | length == 1" "$tmp/o.json"
  expect "$1: only warnings" '[.diagnostics[] | select(.level != "warning")] | length == 0' "$tmp/o.json"
  grep -qE "d.xml:6: warning: .*$3" "$tmp/err" && ok "$1: on stderr with file:line" || bad "$1: on stderr with file:line"
}

"$RHV" check -q --format json "$tmp/base.xml" >"$tmp/o.json"
expect "plausible settings: no warning" '[.diagnostics[]] | length == 0' "$tmp/o.json"

warns "0.01 typed for 1%" 's/grens_percentage="3.00"/grens_percentage="0.01"/' 'grens_percentage=.0[.]01%. is below 0[.]5%'
warns "0.49%" 's/grens_percentage="3.00"/grens_percentage="0.49"/' 'below 0.5%'
warns "3.01%" 's/grens_percentage="3.00"/grens_percentage="3.01"/' 'grens_percentage=.3[.]01%. is above 3%'
warns "gescheiden, fouten 0.2%" \
  's/grens_percentage="3.00" grens_wijze="gecombineerd"/grens_percentage="3.00" grens_wijze="gescheiden" grens_fouten_percentage="0.2" grens_onzekerheden_percentage="3"/' \
  'grens_fouten_percentage=.0[.]20%. is below'
warns "rapportagegrens above the grens" 's/rapportagegrens="10000.00"/rapportagegrens="29400.01"/' \
  'rapportagegrens € 29.400,01 is above the verantwoordingsgrens € 29.400,00'
warns "begroting basis 2% from the realisatie" \
  's/grens_basis="realisatie"/grens_basis="begroting"/; s/lasten_begroot="420000.00"/lasten_begroot="380000.00"/' \
  'basis .* differs by more than 1% from the realisatie'
warns "boekjaar no input confirms" 's/boekjaar="2023"/boekjaar="2024"/' 'boekjaar=.2024.: no input confirms it'

# The boundaries do not warn: 0.5%, 3%, a rapportagegrens equal to the grens, 1% off.
for e in 's/grens_percentage="3.00"/grens_percentage="0.50"/; s/rapportagegrens="10000.00"/rapportagegrens="4900.00"/' \
         's/rapportagegrens="10000.00"/rapportagegrens="29400.00"/' \
         's/grens_basis="realisatie"/grens_basis="begroting"/; s/lasten_begroot="420000.00"/lasten_begroot="410200.00"/'; do
  sed "$e" "$tmp/base.xml" >"$tmp/d.xml"
  "$RHV" check -q --format json "$tmp/d.xml" >"$tmp/o.json"
  expect "boundary ($e): no warning" '[.diagnostics[]] | length == 0' "$tmp/o.json"
done

# Too high a percentage also sets pct_warning and the text report's LET OP (one range for both).
sed 's/grens_percentage="3.00"/grens_percentage="0.01"/' "$tmp/base.xml" >"$tmp/d.xml"
"$RHV" check -q --format json "$tmp/d.xml" >"$tmp/o.json"
expect "0.01%: pct_warning" '.verantwoordingsgrens.pct_warning == true' "$tmp/o.json"
"$RHV" check -q "$tmp/d.xml" >"$tmp/o.txt"   # boven: a grens of EUR 98
tr '\n' ' ' <"$tmp/o.txt" | grep -q "LET OP: een percentage van de verantwoordingsgrens ligt buiten 0,5% tot 3%" \
  && ok "0.01%: LET OP in the text report" || bad "0.01%: LET OP in the text report"

# The Westrom demo: its ledger confirms 2023, its settings are plausible.
"$RHV" check -q --format json ../fixtures/westrom-2023/dossier.xml >"$tmp/w.json"
expect "westrom: no warning" '[.diagnostics[]] | length == 0' "$tmp/w.json"

# grens_percentage is needed with a gecombineerde grens only; with gescheiden grenzen it may be left out.
sed 's/grens_percentage="3.00" grens_wijze="gecombineerd"/grens_wijze="gescheiden" grens_fouten_percentage="2.00" grens_onzekerheden_percentage="3.00"/' \
  "$tmp/base.xml" >"$tmp/d.xml"
grep -q 'grens_percentage="3.00"' "$tmp/d.xml" && bad "gescheiden fixture still has grens_percentage"
"$RHV" check -q --format json "$tmp/d.xml" >"$tmp/o.json"; rc=$?
[ "$rc" -le 1 ] && ok "gescheiden without grens_percentage: a report (exit $rc)" || bad "gescheiden without grens_percentage: exit $rc"
expect "... with both grenzen and no diagnostic" \
  '.verantwoordingsgrens.mode == "gescheiden" and ([.diagnostics[]] | length == 0)' "$tmp/o.json"
sed 's/grens_percentage="3.00" //' "$tmp/base.xml" >"$tmp/d.xml"
"$RHV" check "$tmp/d.xml" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q 'd.xml:6: error: <organisation> with grens_wijze="gecombineerd" needs attribute grens_percentage' \
  "$tmp/err" && ok "gecombineerd without grens_percentage: an error at the line" || { bad "gecombineerd without: exit $rc"; cat "$tmp/err"; }

# An afwijking's categorie must be declared, like a programma's; a declared one with telt_mee="false"
# makes the registered afwijking acceptabel.
afw() { sed "s|<afwijkingen/>|<afwijkingen><afwijking id=\"A1\" criterium=\"begrotingscriterium\" soort=\"fout\" bedrag=\"5000.00\" onderwerp=\"Jeugdzorg\" omschrijving=\"Overschrijding\" status=\"definitief\" categorie=\"$1\"/></afwijkingen>|" "$tmp/base.xml" >"$tmp/d.xml"; }
afw open_einde
"$RHV" check -q --format json "$tmp/d.xml" >"$tmp/o.json"
expect "afwijking in an acceptabel category: listed, not counted" \
  '[.findings[] | select(.rule == "afwijkingen.geregistreerd")] | length == 1 and .[0].counts == false' "$tmp/o.json"
afw onbekend
"$RHV" check "$tmp/d.xml" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q 'error: <afwijking> categorie="onbekend" is not declared as a <begrotingscategorie>' "$tmp/err" \
  && ok "afwijking with an undeclared categorie: an error" || { bad "afwijking undeclared categorie: exit $rc"; cat "$tmp/err"; }

finish
