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
. ./lib.sh
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
# rhv convert keeps a prior ledger's boekjaar: in the workbook's Bestanden sheet and back, with the same findings.
"$RHV" convert "$tmp/dossier.xml" -o "$tmp/two.xlsx" && "$RHV" convert "$tmp/two.xlsx" -o "$tmp/two-back.xml" \
  && grep -q '<ledger path="grootboek-2022.xaf" extract="true" boekjaar="2022"/>' "$tmp/two-back.xml" \
  && ok "convert keeps the prior ledger's boekjaar both ways" || bad "convert lost boekjaar: $(grep '<ledger' "$tmp/two-back.xml")"
"$RHV" check -q --format json "$tmp/two.xlsx" >"$tmp/two-w.json"
[ "$(jq -c '[.findings[] | [.rule, .kind, .amount_cents]]' "$tmp/two.json")" = \
  "$(jq -c '[.findings[] | [.rule, .kind, .amount_cents]]' "$tmp/two-w.json")" ] \
  && ok "two years from the workbook: the same findings" || bad "two years workbook: findings differ"
expect "two years: the spend per year is shown" \
  "[.findings[] | $AE | select(.subject | test(\"EO-2021-019\"))][0].toelichting | test(\"2022: € 287.463,20; 2023: € 287.463,20\")" "$tmp/two.json"
# Suppliers without an opdracht whose spend reaches EUR 215.000 over 2022 and 2023 together (in 2023
# alone each is below it): an onzekerheid of 2023's spend each.
expect "two years: three suppliers without opdracht reach the threshold over two years: onzekerheden of 2023's spend" \
  "[.findings[] | $AE | select(.kind == \"onzekerheid\") | [(.subject | split(\" \")[1]), .amount_cents]] == [[\"20058\", 11327540], [\"20071\", 16290885], [\"20104\", 13876550]]" "$tmp/two.json"
expect "two years: binnen, the onzekerheden counted" '.verdict == "binnen" and .totals.total_cents == 141868510' "$tmp/two.json"

# Two earlier years (2021 and 2022 beside 2023): with --read-ahead each is parsed on a thread of its own
# (core/cmd_check_readahead.h); the report is the one of a read in one thread (--threads 0), byte for
# byte but for the invocation (which names the options), and so are the messages of a broken prior
# ledger. The default (no read-ahead on two CPUs) gives the same report too.
sed -e 's/2023-/2021-/g' -e 's|<fiscalYear>2023</fiscalYear>|<fiscalYear>2021</fiscalYear>|' \
  "$W/grootboek-2023.xaf" >"$tmp/grootboek-2021.xaf"
sed 's|<ledger path="grootboek-2022.xaf"|<ledger path="grootboek-2021.xaf" boekjaar="2021" extract="true"/>\n  &|' \
  "$tmp/dossier.xml" >"$tmp/three.xml"
for t in 0 ahead default; do
  args=(); [ "$t" = 0 ] && args=(--threads 0); [ "$t" = ahead ] && args=(--read-ahead 3)
  "$RHV" check "${args[@]}" --format json "$tmp/three.xml" >"$tmp/three-$t.json" 2>"$tmp/three-$t.err"
  echo "exit $?" >>"$tmp/three-$t.err"
  "$RHV" check "${args[@]}" --format text "$tmp/three.xml" | grep -v -e '^  Opdracht: ' -e '^  Opties: ' >"$tmp/three-$t.txt"
done
expect "three years: three ledgers are inputs" '[.inputs[] | select(.kind == "ledger")] | length == 3' "$tmp/three-0.json"
for t in ahead default; do
  cmp -s <(jq 'del(.invocation)' "$tmp/three-0.json") <(jq 'del(.invocation)' "$tmp/three-$t.json") \
    && cmp -s "$tmp/three-0.txt" "$tmp/three-$t.txt" && cmp -s "$tmp/three-0.err" "$tmp/three-$t.err" \
    && ok "three years: the same report with --threads 0 and $t" \
    || bad "three years: reports differ between --threads 0 and $t"
done
expect "three years: the spend per year is shown (2021 from the term's start, 1 March)" \
  "[.findings[] | $AE | select(.subject | test(\"EO-2021-019\"))][0].toelichting | test(\"2021: € 240.360,81; 2022: € 287.463,20; 2023: € 287.463,20\")" "$tmp/three-default.json"
s=$(wc -c <"$tmp/grootboek-2022.xaf")
head -c $((s / 2)) "$tmp/grootboek-2022.xaf" >"$tmp/half-2022.xaf"
sed 's|"grootboek-2022.xaf"|"half-2022.xaf"|' "$tmp/three.xml" >"$tmp/half.xml"
"$RHV" check --threads 0 --format json "$tmp/half.xml" >"$tmp/half-0.json" 2>"$tmp/half-0.err"; rc0=$?
"$RHV" check --read-ahead 3 --format json "$tmp/half.xml" >"$tmp/half-d.json" 2>"$tmp/half-d.err"; rcd=$?
[ "$rc0" -eq 2 ] && [ "$rcd" -eq 2 ] && grep -q 'half-2022.xaf:[0-9]*: error: malformed XML' "$tmp/half-d.err" \
  && cmp -s "$tmp/half-0.err" "$tmp/half-d.err" \
  && cmp -s <(jq 'del(.invocation)' "$tmp/half-0.json") <(jq 'del(.invocation)' "$tmp/half-d.json") \
  && ok "a broken prior ledger read ahead: the same error and report as read in one thread" \
  || { bad "broken prior: exit $rc0/$rcd"; diff "$tmp/half-0.err" "$tmp/half-d.err"; }

sed 's/boekjaar="2022"/boekjaar="2021"/' "$tmp/dossier.xml" >"$tmp/wrongyear.xml"
"$RHV" check --format json "$tmp/wrongyear.xml" >/dev/null 2>"$tmp/err1"; rc=$?
[ "$rc" -eq 2 ] && grep -q "fiscal year 2022, the dossier names it with boekjaar 2021" "$tmp/err1" \
  && ok "a prior ledger for another year: an error" || { bad "wrong year: exit $rc"; cat "$tmp/err1"; }
sed 's/boekjaar="2022"/boekjaar="2024"/' "$tmp/dossier.xml" >"$tmp/later.xml"
"$RHV" check --format json "$tmp/later.xml" >/dev/null 2>"$tmp/err2"; rc=$?
[ "$rc" -eq 2 ] && grep -q 'boekjaar="2024": a ledger is for the dossier' "$tmp/err2" \
  && ok "a later ledger: an error at the dossier line" || { bad "later: exit $rc"; cat "$tmp/err2"; }

# Evidence entries (plugins/lib/inkoop_bewijs.lua): 20 invoices of one supplier, each with two cost lines
# (EUR 6.000 and 5.000) besides btw and creditor: one entry a transaction, at its first cost line, with the
# amount of both (more than one batch of 16 entries: packed and open ones); with max_bewijs 5 the other 15
# transactions are counted once each, not once a line; with max_bewijs 16 one full batch, not yet packed.
{
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<auditfile xmlns="http://www.auditfiles.nl/XAF/3.2">\n'
  printf '<header><fiscalYear>2023</fiscalYear><startDate>2023-01-01</startDate><endDate>2023-12-31</endDate>'
  printf '<curCode>EUR</curCode><dateCreated>2024-02-15</dateCreated><softwareDesc>test</softwareDesc>'
  printf '<softwareVersion>1</softwareVersion></header>\n<company><companyName>Test</companyName>'
  printf '<taxRegistrationCountry>NL</taxRegistrationCountry><taxRegIdent>NL000000000B01</taxRegIdent>\n'
  printf '<customersSuppliers><customerSupplier><custSupID>S1</custSupID><custSupName>Bouw B.V.</custSupName>'
  printf '<custSupTp>S</custSupTp></customerSupplier></customersSuppliers>\n<generalLedger>\n'
  for a in 1520:B 1600:B 4000:P 4001:P; do
    printf '<ledgerAccount><accID>%s</accID><accDesc>R %s</accDesc><accTp>%s</accTp></ledgerAccount>\n' \
      "${a%:*}" "${a%:*}" "${a#*:}"
  done
  printf '</generalLedger>\n<transactions><linesCount>80</linesCount><totalDebit>266200.00</totalDebit>'
  printf '<totalCredit>266200.00</totalCredit>\n<journal><jrnID>70</jrnID><desc>Inkoop</desc><jrnTp>P</jrnTp>\n'
  for t in $(seq 1 20); do
    printf '<transaction><nr>%d</nr><desc>F %d</desc><periodNumber>1</periodNumber><trDt>2023-01-10</trDt>\n' "$t" "$t"
    for l in 1:4000:6000.00:D 2:4001:5000.00:D 3:1520:2310.00:D 4:1600:13310.00:C; do
      IFS=: read -r nr acc amt tp <<<"$l"
      printf '<trLine><nr>%s</nr><accID>%s</accID><docRef>I%d</docRef><effDate>2023-01-10</effDate>' "$nr" "$acc" "$t"
      printf '<amnt>%s</amnt><amntTp>%s</amntTp><custSupID>S1</custSupID></trLine>\n' "$amt" "$tp"
    done
    printf '</transaction>\n'
  done
  printf '</journal></transactions></company></auditfile>\n'
} >"$tmp/ev.xaf"
F='[.findings[] | select(.rule == "aanbesteding.eu")][0]'
"$RHV" check -q --rules aanbesteding.eu --format json "$tmp/ev.xaf" >"$tmp/ev.json"
expect "evidence: 20 entries of EUR 11.000, the spend of both cost lines, none omitted" \
  "$F | .amount_cents == 22000000 and ([.evidence[] | select(.amount_cents != null) | .amount_cents] | length == 20 and all(. == 1100000)) and .evidence_omitted.count == 0" \
  "$tmp/ev.json"
lines=$(jq -r "$F | .evidence[] | select(.amount_cents != null) | .line" "$tmp/ev.json" | tr '\n' ' ')
want=$(grep -n '<trLine><nr>1</nr><accID>4000</accID>' "$tmp/ev.xaf" | cut -d: -f1 | tr '\n' ' ')
[ -n "$want" ] && [ "$lines" = "$want" ] && ok "evidence: each entry at its transaction's first cost line, in order" \
  || bad "evidence lines: $lines (want $want)"
"$RHV" check -q --rules aanbesteding.eu -a aanbesteding.eu.max_bewijs=5 --format json "$tmp/ev.xaf" >"$tmp/ev5.json"
expect "evidence: with max_bewijs 5, 5 entries and 15 transactions omitted with the rest of the amount" \
  "$F | ([.evidence[] | select(.amount_cents != null)] | length == 5) and .evidence_omitted.count == 15 and .evidence_omitted.amount_cents == 16500000" \
  "$tmp/ev5.json"
"$RHV" check -q --rules aanbesteding.eu -a aanbesteding.eu.max_bewijs=16 --format json "$tmp/ev.xaf" >"$tmp/ev16.json"
expect "evidence: with max_bewijs 16, 16 entries and 4 transactions omitted" \
  "$F | ([.evidence[] | select(.amount_cents != null)] | length == 16) and .evidence_omitted.count == 4 and .evidence_omitted.amount_cents == 4400000" \
  "$tmp/ev16.json"

# The rule's library modules (field uses, plugins/lib): in the provenance after the helper library, each with
# the digest of its file, in the text report's Herkomst too; a rule naming a module without a file is an error
# that names the rule and the module file.
expect "modules: every module aanbesteding.eu uses is listed, by name, after the library" \
  '[.lua_files[] | .role] | .[0] == "library" and .[1:7] == ["module","module","module","module","module","module"]' \
  "$tmp/one.json"
mods=$(jq -r '.lua_files[] | select(.role == "module") | "\(.sha256)  \(.path)"' "$tmp/one.json")
[ "$(echo "$mods" | wc -l)" -eq 6 ] && echo "$mods" | sha256sum -c --quiet - \
  && echo "$mods" | grep -q '/plugins/lib/inkoop_leverancier.lua$' \
  && ok "modules: each digest is its file's" || bad "module digests: $mods"
"$RHV" check -q --format text "$W/dossier.xml" >"$tmp/one.txt"
grep -A1 '^    module inkoop_opdracht: .*/plugins/lib/inkoop_opdracht.lua$' "$tmp/one.txt" \
  | grep -q "sha256 $(sha256sum ../plugins/lib/inkoop_opdracht.lua | cut -c1-64)" \
  && ok "modules: the text report's Herkomst lists them" || bad "modules: not in the text Herkomst"
mkdir -p "$tmp/mrules"
cat >"$tmp/mrules/fx.ontbrekend.lua" <<'LUA'
return { id = "fx.ontbrekend", title = "Fixture", criterion = "geen", years = { from = 2020 },
  legal_basis = { text = "-", source = "-" }, reads = { "programma" }, uses = { "bestaat_niet" } }
LUA
"$RHV" check -q --rules-dir "$tmp/mrules" --rules 'fx.*' --format json "$W/dossier.xml" >"$tmp/m.json" 2>/dev/null; rc=$?
expect "modules: a missing module is the rule's load error naming both files" \
  '.rules[] | select(.id == "fx.ontbrekend") | .status == "error" and (.message | test("fx.ontbrekend.lua: field .uses.1..: rhv.lib.bestaat_niet: cannot read the module file .*/plugins/lib/bestaat_niet.lua"))' \
  "$tmp/m.json"
[ "$rc" -ne 0 ] && ok "modules: a missing module fails the run (exit $rc)" || bad "missing module: exit 0"

finish
