#!/usr/bin/env bash
# End-to-end: findings handled across runs (docs/handled.md) on the Westrom
# 2023 demo: fingerprints, a beoordelingen file, --vorige and --als. The
# fingerprints in the fixtures are filled in from a first report, as a
# controller copies them. Run by meson from tests/.
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
W=../fixtures/westrom-2023
F=fixtures/handled

# 1. Fingerprints: on every finding, stable, the same in text and JSON.
"$RHV" check --format json "$W/dossier.xml" >"$tmp/base.json" 2>/dev/null
expect "fingerprint on every finding, RULE:YEAR:12 hex" \
  '[.findings[] | select(.fingerprint | test("^[a-z0-9_.]+:2023:[0-9a-f]{12}$") | not)] | length == 0' "$tmp/base.json"
expect "fingerprints unique" '[.findings[].fingerprint] | length == (unique | length)' "$tmp/base.json"
fp() { jq -r "$1" "$tmp/base.json"; }
LASTEN=$(fp '.findings[] | select(.rule == "begroting.lasten") | .fingerprint')
# The Maasdal Flexwerk opdracht: the fout the dossier below registers once more.
AANB=$(fp '.findings[] | select(.rule == "aanbesteding.eu" and (.subject | test("Maasdal"))) | .fingerprint')
ONZ=$(fp '.findings[] | select(.rule == "afwijkingen.geregistreerd" and .kind == "onzekerheid") | .fingerprint')
"$RHV" check "$W/dossier.xml" >"$tmp/base.txt" 2>/dev/null
grep -q "Vingerafdruk: $LASTEN" "$tmp/base.txt" && ok "text shows the fingerprint" || bad "text fingerprint"
# The same finding keeps its fingerprint when its evidence line moves (a comment added above it).
sed '2i <!-- moved -->' "$W/dossier.xml" | sed "s|path=\"grootboek-2023.xaf\"|path=\"$PWD/$W/grootboek-2023.xaf\"|" \
  >"$tmp/moved.xml"
"$RHV" check --format json "$tmp/moved.xml" >"$tmp/moved.json" 2>/dev/null
[ "$(jq -c '[.findings[].fingerprint]' "$tmp/moved.json")" = "$(jq -c '[.findings[].fingerprint]' "$tmp/base.json")" ] &&
  ok "fingerprints do not depend on file lines" || bad "fingerprints moved with the lines"
# Two findings of one record are two fingerprints: reserve R3 over budget both ways.
sed -e '/<reserve code="R3"/s/toevoeging_realisatie="300000.00"/toevoeging_realisatie="300100.00"/' \
    -e '/<reserve code="R3"/s/onttrekking_realisatie="118750.00"/onttrekking_realisatie="120100.00"/' \
    -e "s|path=\"grootboek-2023.xaf\"|path=\"$PWD/$W/grootboek-2023.xaf\"|" "$W/dossier.xml" >"$tmp/r3.xml"
"$RHV" check --format json "$tmp/r3.xml" >"$tmp/r3.json" 2>/dev/null
expect "a reserve over budget both ways: two findings, two fingerprints" \
  '[.findings[] | select(.rule == "begroting.reserves")] | length == 2 and (map(.fingerprint) | unique | length == 2)' "$tmp/r3.json"
# The demo's ledger is an extract (aansluiting.grootboek says so); the finding is
# named by the file's name, so a copy in another folder is the same finding.
mkdir -p "$tmp/x"
cp "$W/grootboek-2023.xaf" "$tmp/x/"
sed "s|path=\"grootboek-2023.xaf\"|path=\"$tmp/x/grootboek-2023.xaf\"|" "$W/dossier.xml" >"$tmp/x2.xml"
"$RHV" check --format json "$tmp/x2.xml" >"$tmp/x2.json" 2>/dev/null
X1=$(fp '.findings[] | select(.rule == "aansluiting.grootboek") | .fingerprint')
X2=$(jq -r '.findings[] | select(.rule == "aansluiting.grootboek") | .fingerprint' "$tmp/x2.json")
[ -n "$X1" ] && [ "$X1" = "$X2" ] && ok "an extract's fingerprint does not depend on its folder" ||
  bad "extract fingerprint moved with the folder ($X1 / $X2)"

# 2. A dossier that registers the aanbesteding.eu fout once more, as afwijking A2023-04.
mkdir -p "$tmp/d"
sed -e "s|path=\"grootboek-2023.xaf\"|path=\"$PWD/$W/grootboek-2023.xaf\"|" \
    -e 's|  </afwijkingen>|    <afwijking id="A2023-04" criterium="voorwaardencriterium" soort="fout" bedrag="287463.20" onderwerp="Maasdal Flexwerk" omschrijving="Inhuur Maasdal Flexwerk boven de Europese drempel zonder Europese aanbesteding." status="definitief" bron="controller"/>\n  </afwijkingen>|' \
    "$W/dossier.xml" >"$tmp/d/twice.xml"
"$RHV" check --format json "$tmp/d/twice.xml" >"$tmp/twice.json" 2>/dev/null
AANB_CENTS=$(fp '.findings[] | select(.fingerprint == "'"$AANB"'") | .amount_cents')
BASE_TOTAL=$(fp '.totals.total_cents')
LASTEN_CENTS=$(fp '.findings[] | select(.rule == "begroting.lasten") | .amount_cents')
ONZ_CENTS=$(fp '.findings[] | select(.fingerprint == "'"$ONZ"'") | .amount_cents')
expect "without a beoordeling the registered finding counts twice (the problem)" \
  ".totals.total_cents == $BASE_TOTAL + $AANB_CENTS" "$tmp/twice.json"

sed -e "s|@AANB@|$AANB|; s|@LASTEN@|$LASTEN|; s|@ONZ@|$ONZ|" "$F/beoordelingen.xml" >"$tmp/d/beoordelingen.xml"
sed 's|  <afwijkingen>|  <beoordelingen path="beoordelingen.xml"/>\n  <afwijkingen>|' "$tmp/d/twice.xml" >"$tmp/d/dossier.xml"
"$RHV" check --format json --peildatum 2024-03-01 "$tmp/d/dossier.xml" >"$tmp/h.json" 2>"$tmp/h.err"; rc=$?
[ "$rc" -eq 0 ] && ok "beoordelingen: exit 0" || { bad "beoordelingen: exit $rc"; cat "$tmp/h.err"; }
expect "geregistreerd: counted once, as the afwijking (the rule's finding drops out)" \
  ".totals.total_cents == $BASE_TOTAL - $LASTEN_CENTS - $ONZ_CENTS" "$tmp/h.json"
expect "geregistreerd: the rule's finding is still listed, with besluit and reden" \
  "[.findings[] | select(.fingerprint == \"$AANB\")][0]"' | .counts == false and .afgehandeld == true and .beoordeling.besluit == "geregistreerd" and .beoordeling.afwijking == "A2023-04" and (.beoordeling.reden | test("A2023-04"))' "$tmp/h.json"
expect "geregistreerd: the afwijking itself counts" \
  '[.findings[] | select(.rule == "afwijkingen.geregistreerd" and (.evidence[0].key == "afwijking A2023-04"))][0].counts == true' "$tmp/h.json"
expect "onterecht: leaves the total but stays listed" \
  '[.findings[] | select(.rule == "begroting.lasten")][0] | .counts == false and .reportable == false and .beoordeling.besluit == "onterecht" and .afgehandeld == true' "$tmp/h.json"
expect "acceptabel: counts in acceptabel, not in the total" \
  ".totals.acceptabel_cents == $(fp '.totals.acceptabel_cents') + $ONZ_CENTS" "$tmp/h.json"
expect "stale entry reported as a warning with file:line" \
  '[.diagnostics[] | select(.level == "warning" and (.file | endswith("beoordelingen.xml")) and .line == 8 and (.message | test("no finding")))] | length == 1' "$tmp/h.json"
expect "beoordelingen summary: 4 entries, 3 applied, the stale one named" \
  '.beoordelingen.entries == 4 and .beoordelingen.toegepast == 3 and (.beoordelingen.niet_gevonden | length == 1 and .[0].line == 8)' "$tmp/h.json"
expect "beoordelingen file listed and hashed as an input" \
  '[.inputs[] | select(.kind == "beoordelingen" and (.sha256 | test("^[0-9a-f]{64}$")))] | length == 1' "$tmp/h.json"
"$RHV" check --peildatum 2024-03-01 "$tmp/d/dossier.xml" >"$tmp/h.txt" 2>/dev/null
grep -q "^Afgehandeld: onterecht of al geregistreerd" "$tmp/h.txt" && grep -q "Beoordeling: onterecht (controller" "$tmp/h.txt" &&
  ok "text: afgehandeld list with besluit and reden" || bad "text afgehandeld"
grep -q "beoordelingen.xml:8: waarschuwing: beoordeling of" "$tmp/h.txt" && ok "text: stale entry at file:line" || bad "text stale"

# An expired geldig_tot is reported and no longer applies.
"$RHV" check --format json --peildatum 2024-07-01 "$tmp/d/dossier.xml" >"$tmp/exp.json" 2>/dev/null
expect "verlopen: warned at its line, counts again" \
  "([.diagnostics[] | select(.line == 10 and (.message | test(\"geldig_tot 2024-06-30 has passed\")))] | length == 1) and .totals.acceptabel_cents == $(fp '.totals.acceptabel_cents') and ([.findings[] | select(.fingerprint == \"$ONZ\")][0].beoordeling.verlopen == true)" "$tmp/exp.json"

# geregistreerd naming an afwijking the dossier does not have: an error.
sed 's|afwijking="A2023-04"|afwijking="A2023-99"|' "$tmp/d/beoordelingen.xml" >"$tmp/d/b2.xml"
sed 's|path="beoordelingen.xml"|path="b2.xml"|' "$tmp/d/dossier.xml" >"$tmp/d/dossier2.xml"
"$RHV" check --format json "$tmp/d/dossier2.xml" >"$tmp/e.json" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] && ok "unknown afwijking: exit 2" || bad "unknown afwijking: exit $rc"
expect "unknown afwijking: error at the entry's line" \
  '[.diagnostics[] | select(.level == "error" and .line == 4 and (.message | test("A2023-99")))] | length == 1' "$tmp/e.json"

# 3. --vorige: an earlier report where one finding was not yet found (nieuw), one had
# another amount (gewijzigd), one is gone since (vervallen); the rest ongewijzigd.
jq --arg l "$LASTEN" --arg a "$AANB" '
  .findings |= (map(select(.fingerprint != $l))
               | map(if .fingerprint == $a then .amount_cents = 25000000 else . end)
               | . + [{"rule":"begroting.krediet","kind":"fout","subject":"Krediet K2020-01","amount_cents":500000,
                       "fingerprint":"begroting.krediet:2023:0123456789ab"}])
  | .totals.total_cents = 90000000 | .totals.fouten_cents = 70000000 | .totals.onzekerheden_cents = 20000000
  | .headroom_cents = 54026639' "$tmp/base.json" >"$tmp/prev.json"
"$RHV" check --format json --vorige "$tmp/prev.json" "$W/dossier.xml" >"$tmp/v.json" 2>/dev/null; rc=$?
[ "$rc" -eq 0 ] && ok "--vorige: exit 0" || bad "--vorige: exit $rc"
expect "--vorige: nieuw" "[.findings[] | select(.fingerprint == \"$LASTEN\")][0].vorige == {\"status\":\"nieuw\",\"amount_cents\":null}" "$tmp/v.json"
expect "--vorige: gewijzigd with the old amount" "[.findings[] | select(.fingerprint == \"$AANB\")][0].vorige == {\"status\":\"gewijzigd\",\"amount_cents\":25000000}" "$tmp/v.json"
expect "--vorige: ongewijzigd" "[.findings[] | select(.fingerprint == \"$ONZ\")][0].vorige.status == \"ongewijzigd\"" "$tmp/v.json"
expect "--vorige: vervallen listed" \
  '.vergelijking.vervallen == 1 and .vergelijking.vervallen_findings[0].fingerprint == "begroting.krediet:2023:0123456789ab"' "$tmp/v.json"
expect "--vorige: counts of all four" \
  '.vergelijking.nieuw == 1 and .vergelijking.gewijzigd == 1 and .vergelijking.ongewijzigd == (.findings | length) - 2' "$tmp/v.json"
expect "--vorige: the totals' change" \
  ".vergelijking.verschil.total_cents == $BASE_TOTAL - 90000000 and .vergelijking.verschil.headroom_cents == .headroom_cents - 54026639" "$tmp/v.json"
"$RHV" check --vorige "$tmp/prev.json" "$W/dossier.xml" >"$tmp/v.txt" 2>/dev/null
grep -q "Vorige rapportage: gewijzigd, was € 250.000,00" "$tmp/v.txt" && grep -q "^Vergelijking met de vorige rapportage" "$tmp/v.txt" &&
  grep -q "Krediet K2020-01" "$tmp/v.txt" && ok "--vorige: text shows the states and the vervallen one" || bad "--vorige text"
# Year over year: the same findings a year later are matched despite the year in the fingerprint.
sed 's/:2023:/:2022:/g' "$tmp/base.json" >"$tmp/prev2022.json"
"$RHV" check --format json --vorige "$tmp/prev2022.json" "$W/dossier.xml" >"$tmp/y.json" 2>/dev/null
expect "--vorige across years: all ongewijzigd" '.vergelijking.ongewijzigd == (.findings | length) and .vergelijking.vervallen == 0' "$tmp/y.json"
# An earlier report without findings: every finding is nieuw, nothing vervallen (its empty list
# once went to qsort as NULL; ./dev asan runs this under UBSan).
jq '.findings = [] | .totals.total_cents = 0 | .totals.fouten_cents = 0 | .totals.onzekerheden_cents = 0' \
  "$tmp/base.json" >"$tmp/prev0.json"
"$RHV" check --format json --vorige "$tmp/prev0.json" "$W/dossier.xml" >"$tmp/z.json" 2>"$tmp/z.err"; rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$tmp/z.err" ] && ok "--vorige without findings: exit 0, no message" \
  || bad "--vorige without findings: exit $rc: $(head -3 "$tmp/z.err")"
expect "--vorige without findings: every finding nieuw" \
  '(.findings | length) > 0 and ([.findings[] | select(.vorige == {"status":"nieuw","amount_cents":null})] | length) == (.findings | length)
   and .vergelijking.nieuw == (.findings | length) and .vergelijking.gewijzigd == 0 and .vergelijking.ongewijzigd == 0
   and .vergelijking.vervallen == 0 and .vergelijking.vervallen_findings == []' "$tmp/z.json"
echo '{"report_format": 1, "findings": [{"amount_cents": 1}]}' >"$tmp/old.json"
"$RHV" check --format json --vorige "$tmp/old.json" "$W/dossier.xml" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok "--vorige without fingerprints: exit 2" || bad "--vorige old report: exit $rc"

# 4. --als: a scenario changes the ruimte and says so.
sed "s|@ONZ@|$ONZ|" "$F/scenario.xml" >"$tmp/scenario.xml"
"$RHV" check --format json --als "$tmp/scenario.xml" "$W/dossier.xml" >"$tmp/s.json" 2>"$tmp/s.err"; rc=$?
[ "$rc" -eq 1 ] && ok "scenario: exit 1 (the scenario is boven)" || { bad "scenario: exit $rc"; cat "$tmp/s.err"; }
BASE_HEAD=$(fp '.headroom_cents')
expect "scenario: marked, ruimte with and without" \
  ".scenario.naam == \"Aanbesteding catering fout\" and .scenario.headroom_zonder_scenario_cents == $BASE_HEAD and .scenario.headroom_cents == $BASE_HEAD - 50000000 and .headroom_cents == .scenario.headroom_cents and .scenario.verdict == \"boven\" and .scenario.verdict_zonder_scenario == \"binnen\"" "$tmp/s.json"
expect "scenario: the onzekerheid counts as a fout" \
  ".totals.onzekerheden_cents == $(fp '.totals.onzekerheden_cents') - $ONZ_CENTS and ([.findings[] | select(.fingerprint == \"$ONZ\")][0] | .kind == \"fout\" and .scenario == \"onzekerheid_wordt_fout\")" "$tmp/s.json"
expect "scenario: the scope says the verdict is the scenario's" \
  '.scope.scenario == true and .scope.verdict_covers == "scenario" and .scope.complete == true' "$tmp/s.json"
expect "no scenario: the verdict covers all" '.scope.scenario == false and .scope.verdict_covers == "all"' "$tmp/base.json"
expect "scenario: the hypothetical afwijking is listed as such" \
  '[.findings[] | select(.rule == "scenario")][0] | .scenario == "toegevoegd" and .amount_cents == 50000000 and (.fingerprint | startswith("scenario:2023:"))' "$tmp/s.json"
"$RHV" check --als "$tmp/scenario.xml" "$W/dossier.xml" >"$tmp/s.txt" 2>/dev/null
head -4 "$tmp/s.txt" | grep -q '^SCENARIO "Aanbesteding catering fout"' && ok "scenario: banner at the top" || bad "scenario banner"
sed -n '/^Bevinding/,/^Geconstateerde/p' "$tmp/s.txt" | grep -q '^SCENARIO ' && ok "scenario: marked in the Bevinding" || bad "scenario in Bevinding"
sed -n '/^Bevinding/,/^Geconstateerde/p' "$tmp/s.txt" | grep -q 'verklaart' && bad "scenario: the Bevinding makes a verklaring" ||
  ok "scenario: no verklaring in the Bevinding"
grep -q '^Uitkomst in dit scenario: ' "$tmp/s.txt" && ok "scenario: the Uitkomst is the scenario's" || bad "scenario Uitkomst"
tr "\n" " " <"$tmp/s.txt" | grep -q "Ruimte in dit scenario: € -63.468,96 (boven de grens); zonder scenario: € 436.531,04" && ok "scenario: text shows the resulting ruimte" || bad "scenario ruimte text"
sed 's|fingerprint="[^"]*"|fingerprint="begroting.lasten:2023:000000000000"|' "$tmp/scenario.xml" >"$tmp/s-bad.xml"
"$RHV" check --format json --als "$tmp/s-bad.xml" "$W/dossier.xml" >"$tmp/sb.json" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] && ok "scenario naming no finding: exit 2" || bad "scenario bad fingerprint: exit $rc"
expect "scenario naming no finding: error at file:line" \
  '[.diagnostics[] | select(.level == "error" and .line == 8 and (.file | endswith("s-bad.xml")))] | length == 1' "$tmp/sb.json"

# 5. rhv verify re-runs a run with a beoordelingen file, --als, --vorige and
# --peildatum: the options are recorded, the three files hashed as inputs.
mkdir -p "$tmp/vf"
cp "$tmp/d/dossier.xml" "$tmp/d/beoordelingen.xml" "$tmp/vf/"
cp "$tmp/scenario.xml" "$tmp/vf/s.xml"
cp "$tmp/prev.json" "$tmp/vf/prev.json"
(cd "$tmp/vf" && "$RHV" check --format json --peildatum 2024-03-01 --als s.xml --vorige prev.json \
   -o r.json dossier.xml 2>/dev/null)
expect "verify: the options and the peildatum are recorded" \
  '.invocation.options.als == "s.xml" and .invocation.options.vorige == "prev.json" and .invocation.options.peildatum == "2024-03-01"' "$tmp/vf/r.json"
expect "verify: beoordelingen, scenario and vorige are hashed inputs" \
  '[.inputs[] | select((.kind == "beoordelingen" or .kind == "scenario" or .kind == "vorige") and (.sha256 | test("^[0-9a-f]{64}$")))] | length == 3' "$tmp/vf/r.json"
# 2024-03-01 keeps the acceptabel beoordeling in force; a re-run judged on the
# day of the verify would find it expired and differ.
"$RHV" verify "$tmp/vf/r.json" >"$tmp/vf/out" 2>&1; rc=$?
[ "$rc" -eq 0 ] && grep -q '^identical$' "$tmp/vf/out" && ok "verify: identical, judged with the recorded peildatum" ||
  { bad "verify of a handled run: exit $rc"; cat "$tmp/vf/out"; }
# Without --peildatum the day of the run is used and recorded; verify uses that day.
(cd "$tmp/vf" && "$RHV" check --format json -o today.json dossier.xml 2>/dev/null)
expect "verify: the day of the run is recorded as the peildatum" \
  '.invocation.options.peildatum | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")' "$tmp/vf/today.json"
jq '.invocation.options.peildatum = "2024-03-01"' "$tmp/vf/today.json" >"$tmp/vf/other-day.json"
"$RHV" verify "$tmp/vf/other-day.json" >"$tmp/vf/out2" 2>&1; rc=$?
[ "$rc" -eq 1 ] && ok "verify: another recorded peildatum gives another report" || { bad "verify other day: exit $rc"; cat "$tmp/vf/out2"; }
# No beoordelingen file, no --peildatum: the date plays no role and is not recorded.
expect "no beoordelingen file: no peildatum in the report" '.invocation.options.peildatum == null' "$tmp/base.json"
for f in beoordelingen.xml s.xml prev.json; do
  cp "$tmp/vf/$f" "$tmp/vf/$f.orig"
  echo '<!-- edited -->' >>"$tmp/vf/$f"
  "$RHV" verify "$tmp/vf/r.json" >"$tmp/vf/out" 2>&1; rc=$?
  [ "$rc" -eq 1 ] && grep -q "changed: .* $f " "$tmp/vf/out" && ok "verify: a changed $f is named" ||
    { bad "verify: changed $f: exit $rc"; cat "$tmp/vf/out"; }
  mv "$tmp/vf/$f.orig" "$tmp/vf/$f"
done

echo "passed $pass, failed $fail"
[ "$fail" -eq 0 ]
