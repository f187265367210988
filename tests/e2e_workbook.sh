#!/usr/bin/env bash
# End-to-end: the dossier as a workbook (docs/workbook.md). The template, the
# Westrom demo workbook (same report as the XML, lossless round trips), and one
# workbook per error case, each made from the demo by tests/xlsx_edit.py and
# checked for the message naming the cell. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
pass=0; fail=0
ok()   { echo "ok: $1"; pass=$((pass+1)); }
bad()  { echo "FAIL: $1"; fail=$((fail+1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
DEMO=../fixtures/westrom-2023
cp "$DEMO/grootboek-2023.xaf" "$tmp/"
W="$tmp/dossier.xlsx"
edit() { python3 ./xlsx_edit.py "$DEMO/dossier.xlsx" "$W" "$@" || bad "xlsx_edit $*"; }
# expect NAME PATTERN: rhv check $W exits 2 and its stderr matches PATTERN (grep -E).
expect_err() {
  "$RHV" check --format json "$W" >/dev/null 2>"$tmp/err"; rc=$?
  if [ "$rc" -eq 2 ] && grep -Eq -- "$2" "$tmp/err"; then ok "$1"; else bad "$1 (exit $rc: $(head -3 "$tmp/err"))"; fi
}
# The text report with what must differ taken out, and nothing else: the places records
# are cited at (dossier.xml:29, dossier.xlsx#Kredieten:2), the dossier's name (inputs,
# Opdracht) and its hash, and the ledger's folder. Every other line, provenance and the
# other hashes included, must be the same for XML and workbook.
norm() { sed -E 's#[^ ]*dossier\.xml:[0-9]+#PLACE#; s#[^ ]*dossier\.xlsx\#[^:]*:[0-9]+#PLACE#; s#[^ ]*dossier\.(xml|xlsx)$#DOSSIER#;
                  s#[^ ]*grootboek-2023\.xaf#LEDGER#
                  /^  dossier  DOSSIER$/{n;s/^( +sha256) [0-9a-f]{64}$/\1 HASH/;}'; }

# --- the template ------------------------------------------------------------
"$RHV" template "$tmp/t1.xlsx" && "$RHV" template "$tmp/t2.xlsx" || bad "template writes"
cmp -s "$tmp/t1.xlsx" "$tmp/t2.xlsx" && ok "template is deterministic" || bad "template differs between runs"
"$RHV" check "$tmp/t1.xlsx" >/dev/null 2>"$tmp/err"; rc=$?
if [ "$rc" -eq 2 ] && grep -q "t1.xlsx: Organisatie: error: the sheet has no row for the organisation" "$tmp/err"; then
  ok "empty template reads back: only the missing organisation row"
else bad "empty template (exit $rc: $(cat "$tmp/err"))"; fi
[ "$(grep -c error "$tmp/err")" -eq 1 ] && ok "empty template: one message" || bad "empty template: $(cat "$tmp/err")"
python3 - "$tmp/t1.xlsx" <<'PY' && ok "template: sheets, header comments, enum lists, formats" || bad "template contents"
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
names = re.findall(r'<sheet name="([^"]+)"', wb)
assert names[0] == "Organisatie" and "Kredieten" in names and "Contracten" in names and names[-1] == "Uitleg", names
assert "docProps/core.xml" in z.namelist() and "2024-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()
sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
assert '<dataValidation type="list"' in sheets and '"fout,onzekerheid"' in sheets, "no enum list"
assert any(n.startswith("xl/comments") for n in z.namelist()), "no column comments"
styles = z.read("xl/styles.xml").decode()
assert "0.00%" in styles and "dd-mm-yyyy" in styles and "#,##0.00" in styles
PY
if command -v libreoffice >/dev/null 2>&1; then
  (cd "$tmp" && timeout 120 libreoffice --headless --convert-to csv t1.xlsx >/dev/null 2>&1)
  [ -s "$tmp/t1.csv" ] && grep -q "naam,soort,boekjaar" "$tmp/t1.csv" && ok "libreoffice opens the template" \
    || bad "libreoffice could not convert the template"
else
  echo "skip: libreoffice not installed; the template is read back by rhv itself above"
fi

# --- the demo: same report, lossless round trips ------------------------------
"$RHV" template --from "$DEMO/dossier.xml" "$tmp/demo.xlsx" && cmp -s "$tmp/demo.xlsx" "$DEMO/dossier.xlsx" \
  && ok "fixture dossier.xlsx is rhv template --from dossier.xml" || bad "fixture dossier.xlsx is out of date"
"$RHV" check --threads 2 "$DEMO/dossier.xml" 2>/dev/null | norm >"$tmp/xml.text"
"$RHV" check --threads 2 "$DEMO/dossier.xlsx" 2>"$tmp/err" | norm >"$tmp/xlsx.text"
if diff "$tmp/xml.text" "$tmp/xlsx.text" >"$tmp/d"; then ok "demo: workbook report = XML report (but places, hashes)"
else bad "demo: reports differ: $(head -20 "$tmp/d")"; fi
[ ! -s "$tmp/err" ] && ok "demo workbook: no messages" || bad "demo workbook: $(head -3 "$tmp/err")"
"$RHV" check --threads 2 --format json "$DEMO/dossier.xlsx" 2>/dev/null \
  | jq -e '.organisation.fiscal_year == 2023 and (.inputs | map(.kind) == ["dossier","ledger"])' >/dev/null \
  && ok "demo workbook: JSON report names the dossier and its ledger" || bad "demo workbook JSON"
"$RHV" convert "$DEMO/dossier.xlsx" -o "$tmp/back.xml" && "$RHV" convert "$tmp/back.xml" -o "$tmp/again.xlsx" \
  && cmp -s "$tmp/again.xlsx" "$DEMO/dossier.xlsx" && ok "xlsx -> xml -> xlsx is byte-identical" || bad "xlsx round trip"
"$RHV" convert "$DEMO/dossier.xml" -o "$tmp/direct.xml" && cmp -s "$tmp/direct.xml" "$tmp/back.xml" \
  && ok "xml -> xlsx -> xml gives the XML's records" || bad "xml round trip"
grep -q '<ledger path="grootboek-2023.xaf" extract="true"/>' "$tmp/back.xml" \
  && ok "convert keeps the ledger's extract attribute" || bad "extract lost: $(grep '<ledger' "$tmp/back.xml")"
# Every record type and attribute survives both forms: rekeningen (not in the demo) included.
sed 's#</exploitatie>#<rekening nr="4000" programma="1"/><rekening nr="4100" programma="2"/></exploitatie>#' \
  "$DEMO/dossier.xml" >"$tmp/dossier.xml"
"$RHV" convert "$tmp/dossier.xml" -o "$tmp/rek.xlsx" && "$RHV" convert "$tmp/rek.xlsx" -o "$tmp/rek.xml" \
  && "$RHV" convert "$tmp/dossier.xml" -o "$tmp/rek-direct.xml" && cmp -s "$tmp/rek.xml" "$tmp/rek-direct.xml" \
  && grep -q '<rekening nr="4100" programma="2"/>' "$tmp/rek.xml" \
  && python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert "name=\"Rekeningen\"" in z.read("xl/workbook.xml").decode() and "name=\"ledger\"" not in z.read("xl/workbook.xml").decode()' "$tmp/rek.xlsx" \
  && ok "rekeningen: sheet Rekeningen, xml -> xlsx -> xml keeps them" || bad "rekening round trip"
cp "$tmp/back.xml" "$tmp/dossier.xml"
"$RHV" check --threads 2 "$tmp/dossier.xml" 2>/dev/null | norm >"$tmp/back.text"
diff -q "$tmp/xml.text" "$tmp/back.text" >/dev/null && ok "converted XML gives the same report" || bad "converted XML report differs"
"$RHV" convert "$DEMO/dossier.xml" -o "$tmp/x.txt" 2>/dev/null; [ $? -eq 2 ] && ok "convert: unknown output suffix is exit 2" \
  || bad "convert accepted .txt"

# --- numbers as stored ----------------------------------------------------------
edit sheet:Kredieten '<v>863210.55</v>' '<v>863210.55000000005</v>'
"$RHV" check --threads 2 "$W" 2>"$tmp/err" | norm >"$tmp/n.text"
diff -q "$tmp/xml.text" "$tmp/n.text" >/dev/null && [ ! -s "$tmp/err" ] && ok "17-digit double noise is the same cents" \
  || bad "noise: $(head -3 "$tmp/err")"
edit sheet:Kredieten '<v>863210.55</v>' '<v>863210.557</v>'
expect_err "1234.567 is an error naming the cell" \
  'dossier\.xlsx: Kredieten!D2: error: realisatie: 863210\.557 is not a whole number of cents; round'
# The index of a text in the demo workbook's shared strings, so the edits below
# do not depend on how many strings a regenerated fixture holds.
si() {
  python3 - "$DEMO/dossier.xlsx" "$1" <<'PY'
import re, sys, zipfile
xml = zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode()
texts = [re.sub("<[^>]+>", "", x) for x in re.findall(r"<si>(.*?)</si>", xml, re.S)]
print(texts.index(sys.argv[2]))
PY
}
edit sheet:Kredieten '<c r="C2" s="5"><v>850000</v></c>' '<c r="C2" s="1" t="inlineStr"><is><t>850.000,00</t></is></c>'
expect_err "an amount typed as Dutch text names the cell" \
  'Kredieten!C2: error: <krediet> attribute budget="850\.000,00" is not an amount'
edit sheet:Organisatie '<v>0.03</v>' '<v>0.035</v>'
"$RHV" convert "$W" -o "$tmp/p.xml" && grep -q 'grens_percentage="3.50"' "$tmp/p.xml" \
  && ok "a percentage cell 3,5% is read as 3.50" || bad "percentage from a % cell"
edit xl/workbook.xml '<workbookPr' '<workbookPr date1904="1"'
"$RHV" convert "$W" -o "$tmp/d.xml" && grep -q 'grens_besluit="2027-11-17"' "$tmp/d.xml" \
  && ok "date1904: serials count from 1904" || bad "date1904 $(grep -o 'grens_besluit="[^"]*"' "$tmp/d.xml")"
edit sheet:Contracten '(<c r="E2"[^>]*>)<v>[0-9]+</v>' '\1<v>44562.5</v>'
expect_err "a date with a time of day names the cell" 'Contracten!E2: error: begin: 44562\.5 is a number with a time of day'
edit sheet:Kredieten '(<c r="C2")[^>]*><v>850000</v>' '\1 t="e"><v>#DIV/0!</v>'
expect_err "a formula error names the cell" 'Kredieten!C2: error: budget: the cell shows the error #DIV/0!'

# --- rows, columns and sheets ---------------------------------------------------
edit sheet:Kredieten '</row></sheetData>' '<c r="H3" s="1"/></row><row r="4"/><row r="5"><c r="B5" t="inlineStr"><is><t> </t></is></c></row></sheetData>'
"$RHV" check --threads 2 "$W" 2>"$tmp/err" | norm >"$tmp/e.text"
diff -q "$tmp/xml.text" "$tmp/e.text" >/dev/null && [ ! -s "$tmp/err" ] && ok "empty rows and trailing empty cells are ignored" \
  || bad "empty rows: $(head -3 "$tmp/err")"
edit sheet:Kredieten '</row></sheetData>' '<c r="H3" t="inlineStr"><is><t>nb</t></is></c></row></sheetData>'
expect_err "a value in a column without a header names the cell" 'Kredieten!H3: error: a value in a column without a field name'
edit sheet:Kredieten '<c r="C3" s="5"><v>1200000</v></c>' ''
expect_err "an empty required cell names the cell" 'Kredieten!C3: error: <krediet> lacks required attribute budget'
edit sheet:Kredieten '(<c r="A1"[^>]*t=")s("><v>)[0-9]+' '\1inlineStr\2' 
edit sheet:Kredieten '<c r="A1" s="6" t="s"><v>'"$(si code)"'</v></c>' '<c r="A1" s="6" t="inlineStr"><is><t>kode</t></is></c>'
expect_err "an unknown column names the header cell" 'Kredieten!A1: error: column "kode" is not a field of krediet'
expect_err "a missing required column is named" 'Kredieten!G1: error: Kredieten has no column code'
edit xl/workbook.xml 'name="Uitleg"' 'name="Blad1"'
expect_err "an unknown sheet is reported" 'dossier\.xlsx: Blad1: error: not a sheet of a dossier workbook'
edit sheet:Afwijkingen '(<c r="C2"[^>]*)t="s"><v>[0-9]+</v>' '\1t="inlineStr"><is><t>Fout</t></is>'
expect_err "an enum outside the list names the cell" 'Afwijkingen!C2: error: <afwijking> attribute soort="Fout" is not one of: fout, onzekerheid'

# --- keys, references, totals ---------------------------------------------------
edit sheet:Kredieten '<c r="A3" s="1" t="s"><v>'"$(si K2023-01)"'</v></c>' '<c r="A3" s="1" t="s"><v>'"$(si K2021-03)"'</v></c>'
expect_err "a duplicate krediet code names both rows" \
  'Kredieten!A3: error: <krediet> code="K2021-03" occurs twice \(first at Kredieten!A2\)'
edit sheet:Kredieten '<c r="A3" s="1" t="s"><v>'"$(si K2023-01)"'</v></c>' '<c r="A3" s="1" t="s"><v>'"$(si K2021-03)"'</v></c>' \
     sheet:Kredieten '<v>863210.55</v>' '<v>863210.557</v>'
expect_err "a duplicate of a row with a bad cell is still found" 'Kredieten!A3: error: <krediet> code="K2021-03" occurs twice'
edit sheet:Kredieten '(<c r="E2"[^>]*)t="s"><v>[0-9]+</v>' '\1t="inlineStr"><is><t>onbekend</t></is>'
expect_err "a categorie that points nowhere names the cell" \
  'Kredieten!E2: error: <krediet> categorie="onbekend" is not declared as a <begrotingscategorie>'
tot='<row r="4"><c r="A4" t="inlineStr"><is><t>Controletotaal</t></is></c><c r="C4"><v>2050000</v></c><c r="D4"><v>%s</v></c></row></sheetData>'
edit sheet:Kredieten '</sheetData>' "$(printf "$tot" 1607528.75)"
"$RHV" check --threads 2 "$W" 2>"$tmp/err" | norm >"$tmp/t.text"
diff -q "$tmp/xml.text" "$tmp/t.text" >/dev/null && [ ! -s "$tmp/err" ] && ok "a right Controletotaal passes" \
  || bad "right total: $(head -3 "$tmp/err")"
edit sheet:Kredieten '</sheetData>' "$(printf "$tot" 1607528.76)"
expect_err "a wrong Controletotaal is an error naming the cell" \
  'Kredieten!D4: error: the total of realisatie is 1607528.76 but the rows above add up to 1607528.75 \(difference 0.01\)'
edit sheet:Kredieten '</sheetData>' "$(printf "$tot" 1607528.75 | sed 's|</sheetData>||')<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>K9</t></is></c></row></sheetData>"
expect_err "a row below the total row is an error" 'Kredieten!A5: error: a row below the total row at Kredieten!A4'
edit sheet:Organisatie '</sheetData>' '<row r="3"><c r="A3" t="inlineStr"><is><t>Tweede</t></is></c></row></sheetData>'
expect_err "a second organisation row is an error" 'Organisatie!A3: error: a second row in Organisatie'

# --- hostile zips -----------------------------------------------------------------
edit bomb:Cijfers 24 x
expect_err "a zip bomb is refused" 'dossier\.xlsx: Cijfers: error: xl/worksheets/sheet[0-9]+\.xml expands [0-9]+ times \(more than 200\): refused'
edit bigsize:Medewerkers x x
expect_err "a 2 GB sheet is refused before reading" 'is 2147483648 bytes uncompressed, more than the 256 MiB'
printf 'PK\003\004 this is no zip' >"$W"
expect_err "a damaged zip is refused" 'dossier\.xlsx: error: not a readable zip file'
edit sheet:Kredieten '<worksheet' '<!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet'
expect_err "a DTD in a part is refused" 'has a DTD \(<!DOCTYPE>\), which a workbook never has'

# taakveld, regelargument and the inkoop section with each of its records: a sheet each
# (Taakvelden, Regelargumenten, Inkoop, Inkooprekeningen, ...), both ways, the same report.
mkdir -p "$tmp/all" && cp "$DEMO/grootboek-2023.xaf" "$tmp/all/"
python3 - "$DEMO/dossier.xml" "$tmp/all/dossier.xml" <<'PY'
import sys
x = open(sys.argv[1], encoding="utf-8").read()
x = x.replace("  </organisation>", '    <regelargument regel="xaf.integriteit" naam="max_meldingen" waarde="1"/>\n  </organisation>', 1)
x = x.replace("  </exploitatie>", '    <taakveld programma="1" code="6.4" naam="Begeleide participatie" '
              'lasten_begroot="31640000.00" lasten_realisatie="31952480.15"/>\n  </exploitatie>', 1)
x = x.replace("  <ledger path", """  <inkoop telling="eenmalig" formeel="melden">
    <inkooprekening nr="4110" categorie="3.4.2"/>
    <inkoopcategorie code="X1" inkoop="false" reden="arbeid" omschrijving="Eigen personeel"/>
    <uitsluiting leverancier="20165" reden="samenwerking" grond="Aw 2012 art. 2.24b" toelichting="GR"/>
    <inkoopdrempel soort="diensten" bedrag="50000.00" procedure="meervoudig_onderhands"/>
  </inkoop>
  <ledger path""", 1)
open(sys.argv[2], "w", encoding="utf-8").write(x)
PY
A="$tmp/all"
"$RHV" convert "$A/dossier.xml" -o "$A/dossier.xlsx" && "$RHV" convert "$A/dossier.xlsx" -o "$A/back.xml" \
  && "$RHV" convert "$A/dossier.xml" -o "$A/direct.xml" && cmp -s "$A/back.xml" "$A/direct.xml" \
  && [ "$(grep -cE '<(regelargument|taakveld|inkoop|inkooprekening|inkoopcategorie|uitsluiting|inkoopdrempel) ' "$A/back.xml")" -eq 7 ] \
  && ok "taakveld, regelargument, inkoop: xml -> xlsx -> xml keeps every record" || bad "taakveld/regelargument/inkoop round trip"
python3 -c 'import sys,zipfile,re; n=re.findall(r"<sheet name=\"([^\"]+)\"", zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode()); assert all(s in n for s in ["Regelargumenten","Taakvelden","Inkoop","Inkooprekeningen","Inkoopcategorieen","Uitsluitingen","Inkoopdrempels"]), n' "$A/dossier.xlsx" \
  && ok "taakveld, regelargument, inkoop: sheets with Dutch names" || bad "sheet names"
"$RHV" check --threads 2 "$A/dossier.xml" 2>/dev/null | norm >"$A/xml.text"
"$RHV" check --threads 2 "$A/dossier.xlsx" 2>"$A/err" | norm >"$A/xlsx.text"
diff -q "$A/xml.text" "$A/xlsx.text" >/dev/null && [ ! -s "$A/err" ] \
  && grep -q 'xaf.integriteit.max_meldingen=1  PLACE)' "$A/xlsx.text" \
  && ok "taakveld, regelargument, inkoop: the workbook gives the XML's report" || bad "report differs: $(diff "$A/xml.text" "$A/xlsx.text" | head -5)"
"$RHV" check --threads 2 "$A/dossier.xlsx" >"$A/raw.text" 2>/dev/null
grep -q 'max_meldingen=1  (.*/all/dossier\.xlsx#Regelargumenten:2)$' "$A/raw.text" \
  && ok "a rule argument from a sheet cites its sheet and row" || bad "rule argument place"
# Inkooprekeningen rows without an Inkoop row: the section is there, with its defaults, as a bare <inkoop>.
python3 ./xlsx_edit.py "$A/dossier.xlsx" "$W" sheet:Inkoop '<row r="2".*?</row>' ''
"$RHV" convert "$W" -o "$A/bare.xml" && grep -q '^  <inkoop>$' "$A/bare.xml" && grep -q '<inkooprekening nr="4110"' "$A/bare.xml" \
  && ok "inkoop records without an Inkoop row: a bare <inkoop> section" || bad "implicit inkoop: $(grep -n inkoop "$A/bare.xml" | head -3)"
python3 ./xlsx_edit.py "$A/dossier.xlsx" "$W" sheet:Inkoop '</sheetData>' '<row r="3"><c r="A3" t="inlineStr"><is><t>per_jaar</t></is></c></row></sheetData>'
expect_err "a second Inkoop row is an error" 'Inkoop!A3: error: a second row in Inkoop'
# A setting's plausibility warning cites the organisation's row: the record's file must outlive the
# sheet's read (it once pointed into read_sheet's stack and printed garbage).
edit sheet:Organisatie '<c r="D2" s="3"><v>0.03</v></c>' '<c r="D2" s="3"><v>0.035</v></c>'
"$RHV" check "$W" >"$tmp/pl.text" 2>"$tmp/pl.err"; rc=$?
want="$W#Organisatie:2: warning: <organisation> grens_percentage=\"3.50%\" is above 3%"
[ "$rc" -eq 0 ] && grep -qF -- "$want" "$tmp/pl.err" && ok "grens_percentage 3.5 in a workbook: warning at Organisatie:2 on stderr" \
  || bad "plausibility warning on stderr (exit $rc): $(head -c 300 "$tmp/pl.err" | tr -c '[:print:]\n' '?')"
want="$W#Organisatie:2: waarschuwing: <organisation> grens_percentage=\"3.50%\" is above 3%"
sed -n '/^Meldingen bij de invoer$/,$p' "$tmp/pl.text" | head -8 | tr -s ' \n' '  ' | grep -qF -- "$want" \
  && ok "grens_percentage 3.5 in a workbook: warning at Organisatie:2 in the text report" \
  || bad "plausibility warning in the report: $(grep -A3 '^Meldingen bij de invoer' "$tmp/pl.text" | tr -c '[:print:]\n' '?')"
echo "e2e_workbook: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
