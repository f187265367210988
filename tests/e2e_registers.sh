#!/usr/bin/env bash
# End-to-end: registers declared in Lua (registers/<name>.lua, docs/registers.md).
# A declared register filled in a dossier is read by its rule; a bad row and a
# bad declaration are errors naming file and line or field; `rhv test` checks
# case records against the declaration; the same register from a CSV file
# gives the same findings. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
HOME_DIR=${RHV_HOME:?set by meson}
cd "$(dirname "$0")"
. ./lib.sh

D=fixtures/registers/dossier.xml

# 1. The shipped registers, filled in a dossier, read by their rules.
R=(--rules-dir "$HOME_DIR/registers/rules")
"$RHV" check -q --format json "${R[@]}" "$D" >"$tmp/o.json"; rc=$?
[ "$rc" -eq 1 ] && ok "registers dossier: a report, boven (exit 1)" || bad "registers dossier: exit $rc"
expect "subsidie S2 (EUR 150.000, not vastgesteld) is an onzekerheid" \
  '[.findings[] | select(.rule == "subsidies.verantwoording")] | length == 1 and .[0].kind == "onzekerheid"
   and .[0].amount_cents == 15000000 and .[0].subject == "Subsidie S2 Sportclub De Pijl"' "$tmp/o.json"
expect "its evidence is the row's own line" \
  '[.findings[] | select(.rule == "subsidies.verantwoording")][0].evidence[0].line == 24' "$tmp/o.json"
expect "inhuur I2 without a contract is an onzekerheid; I1 with one is not" \
  '[.findings[] | select(.rule == "inhuur.contract")] | length == 1 and .[0].amount_cents == 6000000' "$tmp/o.json"
expect "no diagnostics" '[.diagnostics[]] | length == 0' "$tmp/o.json"

# A rule reading a register the dossier does not fill runs and finds nothing.
"$RHV" check -q --format json "${R[@]}" fixtures/dossiers/mini-binnen.xml >"$tmp/o.json"
expect "without registers: no register finding" \
  '[.findings[] | select(.rule == "subsidies.verantwoording" or .rule == "inhuur.contract")] | length == 0' "$tmp/o.json"

# 2. A bad row: each an error at its own line, judged as strictly as a built-in record.
row_err() { # name, sed expression, regex of the one error on stderr
  sed "$2" "$D" >"$tmp/d.xml"
  "$RHV" check "${R[@]}" "$tmp/d.xml" >/dev/null 2>"$tmp/err"; rc=$?
  [ "$rc" -eq 2 ] && ok "$1: exit 2" || bad "$1: exit $rc"
  grep -qE "$3" "$tmp/err" && ok "$1: $3" || { bad "$1: message"; cat "$tmp/err"; }
}
row_err "an amount in cents with a comma" 's/bedrag="150000.00"/bedrag="150.000,00"/' \
  'd.xml:24: error: <subsidie> attribute bedrag="150.000,00" is not an amount'
row_err "a negative amount (non_negative)" 's/bedrag="12000.00"/bedrag="-12000.00"/' \
  'd.xml:26: error: <subsidie> attribute bedrag="-12000.00" must not be negative'
row_err "an enum value not declared" 's/soort="structureel"/soort="jaarlijks"/' \
  'd.xml:22: error: <subsidie> attribute soort="jaarlijks" is not one of: incidenteel, structureel'
row_err "not a calendar date" 's/verleend="2023-05-01"/verleend="2023-02-30"/' \
  'd.xml:26: error: <subsidie> attribute verleend="2023-02-30" is not a calendar date'
row_err "a duplicate key" 's/id="S3"/id="S1"/' \
  'd.xml:26: error: <subsidie> id="S1" occurs twice \(first at line 22\)'
row_err "a missing required field" 's/ ontvanger="Buurthuis Oost"//' \
  'd.xml:26: error: <subsidie> lacks required attribute ontvanger'
row_err "an undeclared field" 's/programma="2"/programma="2" kostenplaats="7"/' \
  'd.xml:23: error: <subsidie> has no attribute kostenplaats'
row_err "einde before begin" 's/einde="2023-06-30"/einde="2022-06-30"/' \
  'd.xml:29: error: <inhuur> einde 2022-06-30 is before begin 2023-01-01'
row_err "a register type nobody declared" 's/<register type="inhuur">/<register type="leasing">/' \
  'd.xml:28: error: <register> attribute type="leasing" is neither a declared register \(declared: inhuur, subsidie\) nor a record type a register can hold \(regelargument, programma, reserve, krediet, taakveld'
row_err "a row of another type" 's/<inhuur id="I2"/<subsidie id="I2"/; s/bedrag="60000.00"\/>/bedrag="60000.00"\/>/' \
  'error: unknown element <subsidie> in <register type="inhuur">; expected <inhuur>'
row_err "a register row outside <register>" 's|</exploitatie>|<subsidie id="X"/></exploitatie>|' \
  'error: unknown element <subsidie> in <exploitatie>'

# 2b. The same register from a CSV file: <register type="subsidie" path="..."/> gives the same findings,
# its rows cite file and line, the file is a hashed input; one element never holds both.
python3 - "$D" "$tmp/c.xml" "$tmp/subsidies.csv" <<'PY'
import sys, re
src, out, csvf = sys.argv[1:]
x = open(src, encoding="utf-8").read()
m = re.search(r'\n *<register type="subsidie">.*?</register>', x, flags=re.S)
rows = [dict(re.findall(r'(\w+)="([^"]*)"', r)) for r in re.findall(r'<subsidie ([^>]*)/>', m.group(0))]
cols = ["id", "ontvanger", "soort", "bedrag", "verleend", "vastgesteld", "verantwoording_ontvangen", "programma"]
def nl(v):  # 150000.00 -> 150.000,00
    e, c = v.split(".")
    return "{:,}".format(int(e)).replace(",", ".") + "," + c
lines = [";".join(cols)] + [";".join(nl(r[c]) if c == "bedrag" else r.get(c, "") for c in cols) for r in rows]
open(csvf, "w", encoding="utf-8").write("\n".join(lines) + "\n")
open(out, "w", encoding="utf-8").write(
    x[:m.start()] + '\n  <register type="subsidie" path="subsidies.csv" getallen="nl"/>' + x[m.end():])
PY
C="$tmp/c.xml"
"$RHV" check -q --format json "${R[@]}" "$C" >"$tmp/c.json" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && [ ! -s "$tmp/err" ] && ok "subsidie from CSV: a report, boven (exit 1), no messages" \
  || { bad "subsidie from CSV: exit $rc"; cat "$tmp/err"; }
expect "subsidie from CSV: the same finding for S2" \
  '[.findings[] | select(.rule == "subsidies.verantwoording")] | length == 1 and .[0].amount_cents == 15000000
   and .[0].subject == "Subsidie S2 Sportclub De Pijl"' "$tmp/c.json"
expect "its evidence cites the CSV file and line" \
  '[.findings[] | select(.rule == "subsidies.verantwoording")][0].evidence[0] | (.file | endswith("subsidies.csv")) and .line == 3' \
  "$tmp/c.json"
expect "the CSV file is an input of kind register, hashed" \
  '[.inputs[] | select(.kind == "register")] | length == 1 and (.[0].path | endswith("subsidies.csv")) and (.[0].sha256 | length) == 64' \
  "$tmp/c.json"
"$RHV" check -q --format json -o "$tmp/v.json" "${R[@]}" "$C" 2>/dev/null
"$RHV" verify "$tmp/v.json" >"$tmp/v" 2>&1 && grep -q identical "$tmp/v" && ok "subsidie from CSV: rhv verify identical" \
  || bad "subsidie from CSV: verify: $(cat "$tmp/v")"
c_err() { # name, regex of an error on stderr (exit 2)
  "$RHV" check "${R[@]}" "$C" >/dev/null 2>"$tmp/err"; rc=$?
  [ "$rc" -eq 2 ] && grep -qE "$2" "$tmp/err" && ok "$1" || { bad "$1: exit $rc"; cat "$tmp/err"; }
}
cp "$tmp/subsidies.csv" "$tmp/s.keep"
sed -i 's/^S3;/S1;/' "$tmp/subsidies.csv"
c_err "a duplicate key within the CSV names both lines" \
  'subsidies\.csv:4:1: error: <subsidie> id="S1" occurs twice \(first at [^ ]*subsidies\.csv:2:1\)'
cp "$tmp/s.keep" "$tmp/subsidies.csv"
sed -i 's/^S2;\(.*\);150\.000,00;/S2;\1;150.000,007;/; s/^S3;/S2;/' "$tmp/subsidies.csv"
c_err "a row with a bad cell still holds its key" \
  'subsidies\.csv:4:1: error: <subsidie> id="S2" occurs twice \(first at [^ ]*subsidies\.csv:3:1\)'
cp "$tmp/s.keep" "$tmp/subsidies.csv"
sed -i 's|<register type="inhuur">|<register type="subsidie"><subsidie id="S3" ontvanger="x" soort="incidenteel" bedrag="1.00" verleend="2023-01-01"/></register>&|' "$C"
c_err "a key in the dossier and in the CSV names both places" \
  'subsidies\.csv:4:1: error: <subsidie> id="S3" occurs twice \(first at [^ ]*c\.xml:[0-9]+\)'
sed "s|<register type=\"subsidie\" path=\"subsidies.csv\" getallen=\"nl\"/>|<register type=\"subsidie\" path=\"subsidies.csv\"><subsidie id=\"S9\" ontvanger=\"x\" soort=\"incidenteel\" bedrag=\"1.00\" verleend=\"2023-01-01\"/></register>|" \
  "$tmp/c.xml" >"$tmp/d.xml"; C="$tmp/d.xml"
c_err "a register with a path and rows of its own" \
  'error: <register> with a path holds no rows of its own \(found <subsidie>\); its rows are in the file'
C="$tmp/c.xml"
sed -i 's|<register type="subsidie" path="subsidies.csv" getallen="nl"/>|<register type="subsidie" getallen="nl"/>|' "$C"
c_err "a CSV attribute without path" 'error: <register> attribute getallen is for a CSV file; without path the rows are the element.s children'
sed -i 's|<register type="subsidie" getallen="nl"/>|<register type="krediet"><krediet code="K1" naam="x" budget="1" realisatie="1"/></register>|' "$C"
c_err "a built-in type written out in <register>" \
  'error: <register type="krediet"> lacks required attribute path: a register of a built-in type is a CSV file; krediet rows written out stand in <exploitatie>'

# 2c. In the workbook form a declared register is a sheet named after it: rhv template writes it,
# convert keeps its rows both ways, and the workbook gives the same findings, citing sheet and row.
"$RHV" template "$tmp/t.xlsx" && python3 -c 'import sys,zipfile; w=zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode(); assert "name=\"subsidie\"" in w and "name=\"inhuur\"" in w' "$tmp/t.xlsx" \
  && ok "rhv template: a sheet per declared register" || bad "template without register sheets"
cp "$D" "$tmp/r.xml"
"$RHV" convert "$tmp/r.xml" -o "$tmp/r.xlsx" && "$RHV" convert "$tmp/r.xlsx" -o "$tmp/r-back.xml" \
  && "$RHV" convert "$tmp/r.xml" -o "$tmp/r-direct.xml" && cmp -s "$tmp/r-back.xml" "$tmp/r-direct.xml" \
  && grep -q '^  <register type="subsidie">$' "$tmp/r-back.xml" && [ "$(grep -c '<subsidie ' "$tmp/r-back.xml")" -eq 3 ] \
  && ok "convert: xml -> xlsx -> xml keeps the register's rows" || bad "register round trip"
"$RHV" check -q --format json "${R[@]}" "$tmp/r.xlsx" >"$tmp/w.json" 2>"$tmp/err"
expect "the workbook: the same finding for S2, citing sheet subsidie row 3" \
  '[.findings[] | select(.rule == "subsidies.verantwoording")] | length == 1 and .[0].amount_cents == 15000000
   and (.[0].evidence[0].file | endswith("r.xlsx#subsidie")) and .[0].evidence[0].line == 3' "$tmp/w.json"
[ ! -s "$tmp/err" ] && ok "the workbook: no messages" || { bad "the workbook: messages"; cat "$tmp/err"; }

# 3. A bad declaration: file and field named; rhv refuses to run.
mkdir -p "$tmp/home/registers"
for d in rules plugins params; do ln -s "$HOME_DIR/$d" "$tmp/home/$d"; done
cp "$HOME_DIR/registers/subsidie.lua" "$HOME_DIR/registers/inhuur.lua" "$tmp/home/registers/"
decl_err() { # name, file content, regex
  printf '%s\n' "$2" >"$tmp/home/registers/zz.lua"
  RHV_HOME="$tmp/home" "$RHV" check -q "$D" >/dev/null 2>"$tmp/err"; rc=$?
  [ "$rc" -eq 2 ] && ok "declaration $1: exit 2" || bad "declaration $1: exit $rc"
  grep -qE "$3" "$tmp/err" && ok "declaration $1: $3" || { bad "declaration $1: message"; cat "$tmp/err"; }
}
F='{ name = "id", kind = "string", required = true, doc = "id" }'
decl_err "an unknown kind" "return { name = \"zz\", description = \"d\", key = \"id\", fields = { $F,
  { name = \"b\", kind = \"amout\", doc = \"b\" } } }" \
  "registers/zz.lua: error: fields\[2\] \(b\)\.kind: 'amout' is not a kind \(string, enum, amount"
decl_err "an unknown field" "return { name = \"zz\", description = \"d\", key = \"id\", fields = { $F,
  { name = \"b\", kind = \"amount\", doc = \"b\", requird = true } } }" \
  "registers/zz.lua: error: fields\[2\]: unknown field 'requird'"
decl_err "an enum without values" "return { name = \"zz\", description = \"d\", key = \"id\", fields = { $F,
  { name = \"b\", kind = \"enum\", doc = \"b\" } } }" \
  "registers/zz.lua: error: fields\[2\] \(b\)\.values: missing"
decl_err "a key that is no field" "return { name = \"zz\", description = \"d\", key = \"nr\", fields = { $F } }" \
  "registers/zz.lua: error: key: 'nr' is not one of its fields"
decl_err "an optional key" "return { name = \"zz\", description = \"d\", key = \"id\", fields = {
  { name = \"id\", kind = \"string\", doc = \"id\" } } }" \
  "registers/zz.lua: error: key: field 'id' must be required"
decl_err "a name that is not the file's" "return { name = \"yy\", description = \"d\", key = \"id\", fields = { $F } }" \
  "registers/zz.lua: error: name: must be the string \"zz\""
decl_err "a field declared twice" "return { name = \"zz\", description = \"d\", key = \"id\", fields = { $F, $F } }" \
  "registers/zz.lua: error: fields\[2\] \(id\)\.name: declared twice"
decl_err "an option of another kind" "return { name = \"zz\", description = \"d\", key = \"id\", fields = { $F,
  { name = \"b\", kind = \"date\", doc = \"b\", non_negative = true } } }" \
  "registers/zz.lua: error: fields\[2\] \(b\)\.non_negative: only a field of kind amount has it"
decl_err "code, not data" "return { name = \"zz\", description = \"d\", key = \"id\", fields = { $F }, x = os.time() }" \
  "registers/zz.lua.*os"
printf 'return { name = "programma", description = "d", key = "id", fields = { %s } }\n' "$F" \
  >"$tmp/home/registers/programma.lua"
rm -f "$tmp/home/registers/zz.lua"
RHV_HOME="$tmp/home" "$RHV" check -q "$D" >/dev/null 2>"$tmp/err"
grep -q "registers/programma.lua: error: name: 'programma' is a record type already" "$tmp/err" \
  && ok "a built-in type's name is refused" || { bad "a built-in type's name"; cat "$tmp/err"; }
rm -f "$tmp/home/registers/programma.lua"

# A register whose name is longer than an Excel sheet's 31 characters: no sheet; convert says so.
L=subsidie_verstrekt_aan_verbonden_partijen
sed "s/\"subsidie\"/\"$L\"/" "$HOME_DIR/registers/subsidie.lua" >"$tmp/home/registers/$L.lua"
sed "s/\"subsidie\"/\"$L\"/; s/<subsidie /<$L /g" "$D" >"$tmp/long.xml"
RHV_HOME="$tmp/home" "$RHV" template "$tmp/long-t.xlsx" 2>"$tmp/err" && [ ! -s "$tmp/err" ] \
  && ok "template: a register with a long name has no sheet" || { bad "template with a long register name"; cat "$tmp/err"; }
RHV_HOME="$tmp/home" "$RHV" convert "$tmp/long.xml" -o "$tmp/long.xlsx" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "register $L has no sheet: its name is longer than the 31 characters" "$tmp/err" \
  && ok "convert to a workbook refuses a register without a sheet" || { bad "convert long register: exit $rc"; cat "$tmp/err"; }
rm -f "$tmp/home/registers/$L.lua"

# 4. rhv test checks case records against the declaration.
mkdir -p "$tmp/rules"
cp "$HOME_DIR/registers/rules/subsidies.verantwoording.lua" "$tmp/rules/"
cat >"$tmp/rules/subsidies.verantwoording_test.lua" <<'LUA'
return {
  { name = "negatief", class = "fail",
    records = { { _type = "subsidie", id = "S1", ontvanger = "X", soort = "incidenteel", bedrag = -1,
                  verleend = "2023-01-01" } },
    expect = {} },
  { name = "onbekende_soort", class = "fail",
    records = { { _type = "subsidie", id = "S1", ontvanger = "X", soort = "jaarlijks", bedrag = 1,
                  verleend = "2023-01-01" } },
    expect = {} },
}
LUA
"$RHV" test --rules-dir "$tmp/rules" >"$tmp/out" 2>&1; rc=$?
[ "$rc" -ne 0 ] && ok "rhv test: records against the declaration fail" || bad "rhv test: exit $rc"
grep -q "bedrag.*negative" "$tmp/out" && ok "rhv test: a negative bedrag named" || { bad "rhv test negative"; cat "$tmp/out"; }
grep -q "soort.*jaarlijks\|jaarlijks.*soort" "$tmp/out" && ok "rhv test: an undeclared enum value named" \
  || { bad "rhv test enum"; cat "$tmp/out"; }

# 5. docs/records.md lists the declared registers (generated).
grep -q '^## `subsidie`' "$HOME_DIR/docs/records.md" && grep -q '^## `inhuur`' "$HOME_DIR/docs/records.md" \
  && ok "docs/records.md lists the registers" || bad "docs/records.md lists the registers"

# 6. Rule arguments in the dossier (<regelargument> in <organisation>), typed by the rule's declaration:
# drempel is rhv.arg.amount, written in euros. The command line overrides the dossier, and says so.
with_arg() { # the regelargument elements, after <begrotingscategorie>; writes $tmp/a.xml
  awk -v add="$1" '{print} /<begrotingscategorie/ {print add}' "$D" >"$tmp/a.xml"
}
SUB='[.findings[] | select(.rule == "subsidies.verantwoording")]'
with_arg '    <regelargument regel="subsidies.verantwoording" naam="drempel" waarde="200000.00"/>'
"$RHV" check -q --format json "${R[@]}" "$tmp/a.xml" >"$tmp/o.json"; rc=$?
expect "dossier drempel EUR 200.000: S2 (EUR 150.000) is below it" "$SUB | length == 0" "$tmp/o.json"
expect "the override is shown with its dossier line" \
  '.overrides == ["subsidies.verantwoording.drempel=200000.00"] and (.override_origins[0] | test("a.xml:10$"))' \
  "$tmp/o.json"
"$RHV" check -q "${R[@]}" "$tmp/a.xml" >"$tmp/o.txt"
grep -qE '^    subsidies.verantwoording.drempel=200000.00  \(.*a.xml:10\)$' "$tmp/o.txt" \
  && ok "text report: the override and its origin" || bad "text report: override origin"
"$RHV" check -q --format json "${R[@]}" -a subsidies.verantwoording.drempel=140000.00 "$tmp/a.xml" >"$tmp/o.json"
expect "the command line (EUR 140.000) overrides the dossier: S2 is an onzekerheid again" \
  "$SUB | length == 1 and .[0].amount_cents == 15000000" "$tmp/o.json"
expect "... and the report says which value it replaced" \
  '.overrides == ["subsidies.verantwoording.drempel=140000.00"]
   and (.override_origins[0] | test("^opdrachtregel, vervangt 200000.00 uit .*a.xml:10$"))' "$tmp/o.json"
"$RHV" check -q --format json "${R[@]}" -a subsidies.verantwoording.drempel=140000.00 "$D" >"$tmp/o.json"
expect "only the command line: no origins listed (as before)" 'has("override_origins") | not' "$tmp/o.json"
"$RHV" check -q --format json "${R[@]}" -a subsidies.verantwoording.drempel=14000000 "$D" >"$tmp/o.json"
expect "an amount argument on the command line is in euros too (EUR 14.000.000: nothing above it)" \
  "$SUB | length == 0" "$tmp/o.json"
arg_err() { # name, element, regex of the error
  with_arg "$2"
  "$RHV" check "${R[@]}" "$tmp/a.xml" >/dev/null 2>"$tmp/err"; rc=$?
  [ "$rc" -eq 2 ] && ok "$1: exit 2" || bad "$1: exit $rc"
  grep -qE "$3" "$tmp/err" && ok "$1: $3" || { bad "$1: message"; cat "$tmp/err"; }
}
arg_err "an amount in cents with a comma" \
  '    <regelargument regel="subsidies.verantwoording" naam="drempel" waarde="125.000,00"/>' \
  "a.xml:10: error: 'subsidies.verantwoording.drempel=125.000,00': '125.000,00' is not an amount"
arg_err "an argument the rule does not have" \
  '    <regelargument regel="subsidies.verantwoording" naam="drempl" waarde="1.00"/>' \
  "a.xml:10: error: .*has no argument 'drempl' \(it has: drempel\)"
arg_err "the same argument twice" \
  '    <regelargument regel="inhuur.contract" naam="drempel" waarde="1.00"/>
    <regelargument regel="inhuur.contract" naam="drempel" waarde="2.00"/>' \
  "a.xml:11: error: <regelargument> inhuur.contract.drempel occurs twice \(first at line 10\)"
with_arg '    <regelargument regel="subsidies.verantwoording" naam="drempel" waarde="200000.00"/>'
"$RHV" check "$tmp/a.xml" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 0 ] && grep -q "a.xml:10: warning: <regelargument> for rule 'subsidies.verantwoording', which is not loaded" \
  "$tmp/err" && ok "a rule not loaded in this run: a warning, exit 0" || { bad "rule not loaded: exit $rc"; cat "$tmp/err"; }

# rhv.arg.list and rhv.arg.amount in a rule of its own: a list is a list in ctx.args, an amount is euros.
mkdir -p "$tmp/lr"
cat >"$tmp/lr/x.lijst.lua" <<'LUA'
local rule = { id = "x.lijst", title = "t", criterion = "geen", legal_basis = { text = "t", source = "s" },
  years = { from = 2023 }, reads = { "programma" },
  args = { g = rhv.arg.list{ "A", "B" }, d = rhv.arg.amount(100) } }
function rule.finish(ctx)
  rhv.finding{ kind = "signalering", amount = ctx.args.d, message = "m",
               subject = #ctx.args.g .. ":" .. table.concat(ctx.args.g, "|") }
end
return rule
LUA
"$RHV" check -q --format json --no-default-rules -d "$tmp/lr" fixtures/dossiers/mini-binnen.xml >"$tmp/o.json"
expect "list and amount defaults: a list of two, 100 cents" \
  '.findings[0].subject == "2:A|B" and .findings[0].amount_cents == 100' "$tmp/o.json"
"$RHV" check -q --format json --no-default-rules -d "$tmp/lr" -a 'x.lijst.g= P , Q,,R' -a x.lijst.d=2.50 \
  fixtures/dossiers/mini-binnen.xml >"$tmp/o.json"
expect "a list 'P , Q,,R' is three trimmed items; an amount 2.50 is 250 cents" \
  '.findings[0].subject == "3:P|Q|R" and .findings[0].amount_cents == 250 and .overrides == ["x.lijst.g= P , Q,,R", "x.lijst.d=2.50"]' \
  "$tmp/o.json"

finish
