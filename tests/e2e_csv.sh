#!/usr/bin/env bash
# End-to-end: CSV registers (docs/workbook.md §5). The Westrom demo with its
# kredieten and afwijkingen in CSV files gives the XML's report; then one case
# per CSV error, each checked for the message naming file:line:column.
# Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
pass=0; fail=0
ok()   { echo "ok: $1"; pass=$((pass+1)); }
bad()  { echo "FAIL: $1"; fail=$((fail+1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
DEMO=../fixtures/westrom-2023
cp "$DEMO/grootboek-2023.xaf" "$tmp/"
D="$tmp/dossier.xml"

# The demo without its kredieten and afwijkingen, which come from CSV files.
# make_dossier REGISTER-ELEMENTS...: writes $D.
make_dossier() {
  python3 - "$DEMO/dossier.xml" "$D" "$@" <<'PY'
import sys, re
src, out, regs = sys.argv[1], sys.argv[2], sys.argv[3:]
x = open(src, encoding="utf-8").read()
x = re.sub(r'\n *<krediet [^>]*/>', '', x)
x = re.sub(r'\n *<afwijkingen>.*?</afwijkingen>', '', x, flags=re.S)
x = x.replace('</dossier>', ''.join('  %s\n' % r for r in regs) + '</dossier>')
open(out, "w", encoding="utf-8").write(x)
PY
}
# The demo's kredieten in Dutch notation with ';' and a UTF-8 BOM, with a
# Controletotaal row; its afwijkingen with ',' in Windows-1252 (the euro sign
# is byte 0x80 there), quoted where a cell holds a comma.
python3 - "$DEMO/dossier.xml" "$tmp" <<'PY'
import sys, re, html
src, tmp = sys.argv[1], sys.argv[2]
x = open(src, encoding="utf-8").read()
def rows(tag):
    return [dict((k, html.unescape(v)) for k, v in re.findall(r'(\w+)="([^"]*)"', m))
            for m in re.findall(r'<%s ([^>]*)/>' % tag, x)]
def nl(a):
    e, c = a.split(".")
    g = "{:,}".format(int(e)).replace(",", ".")
    return g + "," + c
kcols = ["code", "naam", "budget", "realisatie", "categorie", "toelichting"]
lines = [";".join(kcols)]
tb = tr = 0
for r in rows("krediet"):
    lines.append(";".join(nl(r[c]) if c in ("budget", "realisatie") else r.get(c, "") for c in kcols))
    tb += round(float(r["budget"]) * 100); tr += round(float(r["realisatie"]) * 100)
lines.append(";".join(["Controletotaal", "", nl("%d.%02d" % divmod(tb, 100)), nl("%d.%02d" % divmod(tr, 100)), "", ""]))
open(tmp + "/kredieten.csv", "wb").write(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
acols = ["id", "criterium", "soort", "bedrag", "onderwerp", "omschrijving", "status", "bron"]
def q(v):
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v
lines = [",".join(acols)] + [",".join(q(r.get(c, "")) for c in acols) for r in rows("afwijking")]
open(tmp + "/afwijkingen.csv", "wb").write(("\n".join(lines) + "\n").encode("cp1252"))
PY
KREG='<register type="krediet" path="kredieten.csv" getallen="nl"/>'
AREG='<register type="afwijking" path="afwijkingen.csv" codering="windows-1252"/>'

# The text report with what must differ taken out, and nothing else: the places
# records are cited at, the dossier's name and hash, the ledger's folder, and
# the registers' lines in the inputs (the XML has no registers).
norm() { sed -E 's#[^ ]*dossier\.xml:[0-9]+#PLACE#; s#[^ ]*(kredieten|afwijkingen)\.csv:[0-9]+#PLACE#;
                  s#[^ ]*dossier\.xml$#DOSSIER#; s#[^ ]*grootboek-2023\.xaf#LEDGER#
                  /^  dossier  DOSSIER$/{n;s/^( +sha256) [0-9a-f]{64}$/\1 HASH/;}
                  /^  register /{N;d;}'; }
# expect NAME PATTERN: rhv check exits 2 and its stderr matches PATTERN (grep -E).
expect_err() {
  "$RHV" check --format json "$D" >/dev/null 2>"$tmp/err"; rc=$?
  if [ "$rc" -eq 2 ] && grep -Eq -- "$2" "$tmp/err"; then ok "$1"; else bad "$1 (exit $rc: $(head -3 "$tmp/err"))"; fi
}
csv() { printf "$2" >"$tmp/$1"; }

# --- the demo in CSV: the same report -------------------------------------------
make_dossier "$KREG" "$AREG"
"$RHV" check --threads 2 "$DEMO/dossier.xml" 2>/dev/null | norm >"$tmp/xml.text"
"$RHV" check --threads 2 "$D" 2>"$tmp/err" | norm >"$tmp/csv.text"
if diff "$tmp/xml.text" "$tmp/csv.text" >"$tmp/d"; then ok "demo with CSV registers: the XML's report (but places, inputs)"
else bad "demo with CSV registers: reports differ: $(head -20 "$tmp/d")"; fi
[ ! -s "$tmp/err" ] && ok "demo with CSV registers: no messages" || bad "demo CSV: $(head -3 "$tmp/err")"
"$RHV" check "$D" >"$tmp/k.text" 2>/dev/null; grep -q 'Bron: .*kredieten\.csv:2 (krediet K2021-03)' "$tmp/k.text" \
  && ok "a register's record cites file:line" || bad "register record place"
"$RHV" check --threads 2 --format json -o "$tmp/r.json" "$D" 2>/dev/null
jq -e '(.inputs | map(.kind)) == ["dossier","register","register","ledger"] and (.inputs[1].path | endswith("kredieten.csv"))
       and (.inputs[1].sha256 | length) == 64' "$tmp/r.json" >/dev/null \
  && ok "registers are inputs of kind register, hashed" || bad "register inputs: $(jq -c '.inputs' "$tmp/r.json")"
"$RHV" verify "$tmp/r.json" >"$tmp/v" 2>&1 && grep -q identical "$tmp/v" && ok "rhv verify: identical" \
  || bad "rhv verify: $(cat "$tmp/v")"
cp "$tmp/kredieten.csv" "$tmp/k.keep"; sed -i 's/744\.318,20/744.318,21/' "$tmp/kredieten.csv"
"$RHV" verify "$tmp/r.json" >"$tmp/v" 2>&1; rc=$?
[ "$rc" -eq 1 ] && grep -q "changed: register .*kredieten.csv" "$tmp/v" && ok "rhv verify names a changed register" \
  || bad "verify after a change (exit $rc): $(cat "$tmp/v")"
cp "$tmp/k.keep" "$tmp/kredieten.csv"
# Round trips: the register stays a file, in either form.
"$RHV" convert "$D" -o "$tmp/w.xlsx" && "$RHV" convert "$tmp/w.xlsx" -o "$tmp/back.xml" \
  && "$RHV" convert "$D" -o "$tmp/direct.xml" && cmp -s "$tmp/back.xml" "$tmp/direct.xml" \
  && grep -q "^  $KREG\$" "$tmp/back.xml" && ! grep -q '<krediet ' "$tmp/back.xml" \
  && ok "convert keeps the registers as files: xml -> xlsx -> xml" || bad "register round trip"
"$RHV" check --threads 2 "$tmp/w.xlsx" 2>"$tmp/err" | sed -E 's#[^ ]*w\.xlsx\#[^:]*:[0-9]+#PLACE#; s#[^ ]*w\.xlsx$#DOSSIER#' \
  | norm >"$tmp/w.text"
diff -q "$tmp/xml.text" "$tmp/w.text" >/dev/null && [ ! -s "$tmp/err" ] && ok "a workbook naming the registers: the same report" \
  || bad "workbook with registers: $(diff "$tmp/xml.text" "$tmp/w.text" | head -5) $(head -3 "$tmp/err")"

# --- separators, encodings --------------------------------------------------------
make_dossier "$KREG"
csv kredieten.csv 'code;naam,soort;budget;realisatie\nK1;a;1,00;2,00\n'
expect_err "a first line with both ; and , is an error" 'kredieten\.csv:1: error: the first line has both .;. and .,.'
make_dossier '<register type="krediet" path="kredieten.csv" scheiding=";" getallen="nl"/>'
expect_err "scheiding=\";\" stated: the , stays in the header name" 'kredieten\.csv:1:2: error: column "naam,soort" is not a field of krediet'
make_dossier '<register type="krediet" path="kredieten.csv" scheiding=","/>'
csv kredieten.csv 'code,naam,budget,realisatie\nK1,"Pand, oost",1.00,2.00\nK2,Pand west,3,4\n'
"$RHV" check "$D" >/dev/null 2>"$tmp/err" && ok "scheiding=\",\" with a quoted comma reads" || bad "comma CSV: $(head -3 "$tmp/err")"
make_dossier "$AREG"
# A euro sign in an omschrijving: byte 0x80 in Windows-1252, not UTF-8.
python3 - "$tmp/afwijkingen.csv" "$tmp/a.keep" <<'PY'
import sys
x = open(sys.argv[1], encoding="cp1252").read().replace("Voor 14 dienstverbanden", "Voor 14 dienstverbanden (€ 186.400)")
open(sys.argv[2], "w", encoding="cp1252", newline="").write(x)
PY
{ printf '\357\273\277'; cat "$tmp/a.keep"; } >"$tmp/afwijkingen.csv"
expect_err "a UTF-8 BOM in a windows-1252 register is an error" 'afwijkingen\.csv:1: error: the file starts with a UTF-8 byte order mark'
make_dossier '<register type="afwijking" path="afwijkingen.csv"/>'
cp "$tmp/a.keep" "$tmp/afwijkingen.csv"
expect_err "windows-1252 bytes without codering name the cell" 'afwijkingen\.csv:2:6: error: not UTF-8 \(byte 0x80\)'
iconv -f cp1252 -t utf-8 "$tmp/a.keep" >"$tmp/afwijkingen.csv"
"$RHV" check "$D" >"$tmp/u.text" 2>"$tmp/err"; grep -q 'Voor 14 dienstverbanden (€ 186.400)' "$tmp/u.text" && [ ! -s "$tmp/err" ] \
  && ok "the same register in UTF-8 without BOM reads" || bad "utf-8 register: $(head -3 "$tmp/err")"
printf '\377\376c\000' >"$tmp/afwijkingen.csv"
expect_err "a UTF-16 register is refused" 'afwijkingen\.csv:1: error: the file is UTF-16'

# --- numbers ---------------------------------------------------------------------
make_dossier '<register type="krediet" path="kredieten.csv"/>'
cp "$tmp/k.keep" "$tmp/kredieten.csv"
expect_err "Dutch numbers without getallen=\"nl\" are not amounts" \
  'kredieten\.csv:2:3: error: <krediet> attribute budget="850\.000,00" is not an amount'
make_dossier "$KREG"
csv kredieten.csv 'code;naam;budget;realisatie\nK1;a;1.234;5,00\n'
expect_err "1.234 with getallen=\"nl\" is ambiguous" 'kredieten\.csv:2:3: error: budget: "1\.234" is ambiguous'
csv kredieten.csv 'code;naam;budget;realisatie\nK1;a;5,00;1,234\n'
expect_err "1,234 with getallen=\"nl\" is ambiguous" 'kredieten\.csv:2:4: error: realisatie: "1,234" is ambiguous'
csv kredieten.csv 'code;naam;budget;realisatie\nK1;a;12.34,00;5\n'
expect_err "a thousands point in the wrong place" 'kredieten\.csv:2:3: error: budget: "12\.34,00" has a thousands point in the wrong place'
csv kredieten.csv 'code;naam;budget;realisatie\nK1;a;1,234.56;5\n'
expect_err "English notation in a Dutch register" 'kredieten\.csv:2:3: error: budget: "1,234\.56" has a point after the decimal comma'
csv kredieten.csv 'code;naam;budget;realisatie\nK1;a;1.234.567,8;0,125\n'
"$RHV" convert "$D" -o "$tmp/n.xml" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q 'kredieten\.csv:2:4: error: <krediet> attribute realisatie="0.125" is not an amount' "$tmp/err" \
  && ! grep -q budget "$tmp/err" && ok "1.234.567,8 is 1234567.80; 0,125 is three decimals" || bad "nl numbers: $(head -3 "$tmp/err")"

# --- header, totals, keys, references ---------------------------------------------
csv kredieten.csv 'kode;naam;budget;realisatie\nK1;a;1;2\n'
expect_err "an unknown column names the header cell" 'kredieten\.csv:1:1: error: column "kode" is not a field of krediet'
expect_err "a missing required column is named" 'kredieten\.csv:1:5: error: the register has no column code, which krediet requires'
csv kredieten.csv 'code;naam;budget;realisatie\nK1;a;1;2\nK2;b;3;4\nControletotaal;;4,00;6,01\n'
expect_err "a wrong Controletotaal names its cell" \
  'kredieten\.csv:4:4: error: the total of realisatie is 6\.01 but the rows above add up to 6\.00 \(difference 0\.01\)'
csv kredieten.csv 'code;naam;budget;realisatie\nK1;a;1;2\nControletotaal;;1;2\nK2;b;3;4\n'
expect_err "a row below the total row is an error" 'kredieten\.csv:4:1: error: a row below the total row at [^ ]*kredieten\.csv:3:1'
make_dossier '<register type="krediet" path="kredieten.csv" getallen="nl"/>' 
sed -i 's#</exploitatie>#<krediet code="K1" naam="x" budget="1" realisatie="1"/></exploitatie>#' "$D"
csv kredieten.csv 'code;naam;budget;realisatie\nK0;a;1;2\nK1;b;3;4\nK0;c;5;6\n'
expect_err "a duplicate key across XML and CSV names both rows" \
  'kredieten\.csv:3:1: error: <krediet> code="K1" occurs twice \(first at [^ ]*dossier\.xml:[0-9]+\)'
expect_err "a duplicate key within the CSV names both lines" \
  'kredieten\.csv:4:1: error: <krediet> code="K0" occurs twice \(first at [^ ]*kredieten\.csv:2:1\)'
make_dossier "$KREG"
csv kredieten.csv 'code;naam;budget;realisatie;categorie\nK1;a;1;2;onbekend\n'
expect_err "a categorie that points nowhere names the cell" \
  'kredieten\.csv:2:5: error: <krediet> categorie="onbekend" is not declared as a <begrotingscategorie>'
csv kredieten.csv 'code;naam;budget;realisatie\nK1;"a;b\n'
expect_err "a quote never closed names its cell" 'kredieten\.csv:2:2: error: the quote that opens this cell is never closed'
csv kredieten.csv 'code;naam;budget;realisatie\nK1;a "b";1;2\n'
expect_err "a quote inside an unquoted cell" 'kredieten\.csv:2:2: error: a quote inside a cell that does not start with one'

# --- the element --------------------------------------------------------------------
make_dossier '<register type="begrotingscategorie" path="kredieten.csv"/>'
expect_err "a type a register cannot hold" \
  '<register> attribute type="begrotingscategorie" is neither a declared register \(declared: inhuur, subsidie\) nor a record type a register can hold \(regelargument, programma, '
make_dossier '<register type="krediet" path="nergens.csv"/>'
expect_err "a register file that does not exist" '<register path="nergens\.csv">: register file [^ ]*nergens\.csv not found'
make_dossier "$KREG" "$KREG"
csv kredieten.csv 'code;naam;budget;realisatie\nK1;a;1;2\n'
expect_err "a register named twice" 'the same register is already named at line [0-9]+; its rows would count twice'
make_dossier '<register type="krediet" path="kredieten.csv" getallen="NL" scheiding="|"/>'
expect_err "register attributes with a value outside their list" '<register> attribute getallen="NL" is not one of: punt, nl'
make_dossier '<register type="contract" path="contracten.csv"/>'
sed -i 's#<contractregister[^>]*>.*</contractregister>##; /<contractregister/,/<\/contractregister>/d' "$D"
csv contracten.csv 'leverancier,contract_id,procedure,soort,begin,waarde\nS1,C1,europees,werken,2023-01-01,10\n'
"$RHV" convert "$D" -o "$tmp/c.xml" 2>"$tmp/err" && ! grep -q '<contract' "$tmp/c.xml" \
  && { "$RHV" check "$D" >/dev/null 2>"$tmp/err"; [ $? -ne 2 ]; } && [ ! -s "$tmp/err" ] \
  && ok "a contract register in CSV without <contractregister> reads" || bad "contract CSV: $(head -3 "$tmp/err")"

# taakveld, regelargument and the inkoop records as CSV registers: the report of the same rows written out.
# Without an <inkoop> element, the inkooprekening rows give the section with its defaults, as the XML would
# with a bare <inkoop>.
python3 - "$DEMO/dossier.xml" "$tmp" <<'PY'
import sys
src, tmp = sys.argv[1], sys.argv[2]
x = open(src, encoding="utf-8").read()
arg = '    <regelargument regel="xaf.integriteit" naam="max_meldingen" waarde="1"/>\n'
tv = ('    <taakveld programma="1" code="6.4" naam="Begeleide participatie" lasten_begroot="31640000.00" '
      'lasten_realisatie="31952480.15"/>\n')
ink = '  <inkoop>\n    <inkooprekening nr="4110" categorie="3.4.2"/>\n  </inkoop>\n'
out = x.replace("  </organisation>", arg + "  </organisation>", 1).replace("  </exploitatie>", tv + "  </exploitatie>", 1)
open(tmp + "/written.xml", "w", encoding="utf-8").write(out.replace("  <ledger path", ink + "  <ledger path", 1))
regs = ('  <register type="regelargument" path="regels.csv"/>\n  <register type="taakveld" path="taakvelden.csv" '
        'getallen="nl"/>\n  <register type="inkooprekening" path="inkooprekeningen.csv" scheiding=","/>\n')
open(tmp + "/registers.xml", "w", encoding="utf-8").write(x.replace("  <ledger path", regs + "  <ledger path", 1))
open(tmp + "/regels.csv", "w").write("regel;naam;waarde\nxaf.integriteit;max_meldingen;1\n")
open(tmp + "/taakvelden.csv", "w").write("programma;code;naam;lasten_begroot;lasten_realisatie\n"
                                         "1;6.4;Begeleide participatie;31.640.000,00;31.952.480,15\n")
open(tmp + "/inkooprekeningen.csv", "w").write("nr,categorie\n4110,3.4.2\n")
PY
pnorm() { sed -E 's#[^ ]*(written|registers)\.xml:[0-9]+#PLACE#; s#[^ ]*(regels|taakvelden|inkooprekeningen)\.csv:[0-9]+#PLACE#;
                   s#[^ ]*(written|registers)\.xml$#DOSSIER#; /^  dossier  DOSSIER$/{n;d;}; /^  register /{N;d;}; /^  Opdracht: /d'; }
"$RHV" check --threads 2 "$tmp/written.xml" 2>/dev/null | pnorm >"$tmp/w.text"
"$RHV" check --threads 2 "$tmp/registers.xml" 2>"$tmp/err" >"$tmp/r.raw"
pnorm <"$tmp/r.raw" >"$tmp/r.text"
diff -q "$tmp/w.text" "$tmp/r.text" >/dev/null && [ ! -s "$tmp/err" ] \
  && ok "taakveld, regelargument, inkooprekening in CSV: the report of the rows written out" \
  || bad "CSV of taakveld/regelargument/inkooprekening: $(diff "$tmp/w.text" "$tmp/r.text" | head -6; head -3 "$tmp/err")"
grep -q 'max_meldingen=1  (.*/regels\.csv:2)$' "$tmp/r.raw" && ok "a rule argument from a CSV register cites file:line" \
  || bad "rule argument place: $(grep max_meldingen "$tmp/r.raw")"

echo "e2e_csv: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
