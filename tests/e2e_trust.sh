#!/usr/bin/env bash
# End-to-end: a report that is never silently wrong and that an auditor can
# reproduce from itself (scope, provenance, rhv verify, evidence for totals).
# Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
SRC=$(cd .. && pwd)
pass=0; fail=0
ok()   { echo "ok: $1"; pass=$((pass+1)); }
bad()  { echo "FAIL: $1"; fail=$((fail+1)); }
expect() { # description, jq expression (must be true), file (a report: not empty)
    if [ -s "$3" ] && jq -e "$2" "$3" >/dev/null 2>&1; then ok "$1"; else bad "$1 ($2)"; fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
W=../fixtures/westrom-2023/dossier.xml
sha() { sha256sum "$1" | cut -d' ' -f1; }

# ---- 2. a partial check reads as a partial check ---------------------------
"$RHV" check -q -f json "$W" >"$tmp/full.json"; rc=$?
[ "$rc" -eq 0 ] && ok "full: exit 0" || bad "full: exit $rc"
expect "full: scope complete, verdict over all" \
  '.scope.complete == true and .scope.verdict_covers == "all" and .scope.not_run == [] and .scope.no_data == []' "$tmp/full.json"
"$RHV" check -q "$W" >"$tmp/full.txt"
grep -q "onvolledig" "$tmp/full.txt" && bad "full: text says onvolledig" || ok "full: text has no partial notice"
grep -q "verklaart dat de in de jaarrekening 2023" "$tmp/full.txt" && ok "full: the Bevinding makes the statement" \
  || bad "full: statement missing"

"$RHV" check -q -f json --rules 'begroting.*' "$W" >"$tmp/sel.json"; rc=$?
[ "$rc" -eq 0 ] && ok "--rules begroting.*: exit code unchanged (0)" || bad "--rules: exit $rc"
expect "--rules: not complete, verdict labelled over the checked part" \
  '.scope.complete == false and .scope.verdict_covers == "checked_part" and .verdict == "binnen"' "$tmp/sel.json"
expect "--rules: selection as given" \
  '.scope.selection == {"rules": "begroting.*", "default_rules": true, "rules_dirs": []}' "$tmp/sel.json"
expect "--rules: every deselected standard rule named, with the reason" \
  '[.scope.not_run[] | select(.reason | test("niet geselecteerd"))] | map(.id) == ["aanbesteding.eu","aansluiting.grootboek","afwijkingen.geregistreerd","facturen.dubbel","personeel.aansluiting","wnt.bezoldiging","xaf.integriteit"]' "$tmp/sel.json"
"$RHV" check -q --rules 'begroting.*' "$W" >"$tmp/sel.txt"
head -6 "$tmp/sel.txt" | grep -q "LET OP: deze controle is onvolledig" && ok "--rules: text opens with the notice" \
  || bad "--rules: no notice at the top"
grep -q "verklaart dat" "$tmp/sel.txt" && bad "--rules: the Bevinding still declares everything rechtmatig" \
  || ok "--rules: no statement about the whole jaarrekening"
grep -q "Uitkomst over het gecontroleerde deel: binnen" "$tmp/sel.txt" && ok "--rules: outcome over the checked part" \
  || bad "--rules: outcome not labelled"
grep -q "aanbesteding.eu: niet geselecteerd" "$tmp/sel.txt" && ok "--rules: text lists what did not run" \
  || bad "--rules: not-run list missing in text"

"$RHV" check -q -f json --no-default-rules --rules-dir fixtures/e2e-rules "$W" >"$tmp/nodef.json"; rc=$?
[ "$rc" -eq 2 ] && ok "--no-default-rules with a failing rule: exit 2 as before" || bad "--no-default-rules: exit $rc"
nstd=$(ls ../rules/*.lua | grep -vc '_test\.lua$')   # the bundled rules, however many there are now
expect "--no-default-rules: every standard rule not run ($nstd), the failing rule too" \
  '.scope.complete == false and ([.scope.not_run[] | select(.reason | test("no-default-rules"))] | length == '"$nstd"') and ([.scope.not_run[] | select(.id == "e2e.breekt" and (.reason | test("^fout")))] | length == 1)' "$tmp/nodef.json"
"$RHV" check -q -f json --rules-dir fixtures/e2e-rules "$W" >"$tmp/err.json"
expect "a rule in error: not complete" '.scope.complete == false' "$tmp/err.json"
expect "rules say where they came from" \
  '([.rules[] | select(.id == "e2e.breekt")][0].origin == "rules_dir") and ([.rules[] | select(.id == "begroting.lasten")][0].origin == "bundled")' "$tmp/err.json"

"$RHV" check -q -f json ../fixtures/westrom-2023/grootboek-2023.xaf >"$tmp/led.json"
expect "ledger alone: dossier rules skipped for lack of data, not complete" \
  '.scope.complete == false and ([.scope.not_run[] | select(.id == "begroting.lasten" and (.reason | test("overgeslagen")))] | length == 1)' "$tmp/led.json"

"$RHV" check -q -f json fixtures/dossiers/mini-binnen.xml >"$tmp/mini.json"; rc=$?
[ "$rc" -eq 0 ] && ok "no_data: exit code unchanged (0)" || bad "no_data: exit $rc"
expect "a rule that ran on nothing has status no_data, not ok" \
  '[.rules[] | select(.id == "wnt.bezoldiging")][0].status == "no_data" and (.scope.no_data | index("wnt.bezoldiging")) != null and .scope.complete == false' "$tmp/mini.json"
"$RHV" check -q fixtures/dossiers/mini-binnen.xml >"$tmp/mini.txt"
grep -qE "geen gegevens +wnt.bezoldiging" "$tmp/mini.txt" && ok "no_data in the text: geen gegevens" \
  || bad "no_data: text status"

# ---- 5. the report pins down what produced it ------------------------------
expect "build: version and the binary's sha256" \
  ".build.version == \"$("$RHV" --version | cut -d' ' -f2)\" and .build.binary_sha256 == \"$(sha "$RHV")\"" "$tmp/full.json"
if head=$(git -C "$SRC" rev-parse HEAD 2>/dev/null); then
  expect "build: the git commit of the checkout" ".build.commit | startswith(\"$head\")" "$tmp/full.json"
fi
expect "lua_files: the helper library with its sha256" \
  ".lua_files[] | select(.role == \"library\") | .path == \"$SRC/plugins/lib/rhv.lua\" and .sha256 == \"$(sha "$SRC/plugins/lib/rhv.lua")\"" "$tmp/full.json"
expect "lua_files: every rule and parameter table, absolute, hashed" \
  "([.lua_files[] | select(.role == \"rule\")] | length) == (.rules | length) and ([.lua_files[] | select(.role == \"parameters\") | .name] == [\"eu_drempels\", \"inkoop_categorieen\", \"wnt_maximum\"]) and ([.lua_files[] | select((.path | startswith(\"/\") | not) or (.sha256 | test(\"^[0-9a-f]{64}$\") | not))] | length == 0)" "$tmp/full.json"
"$RHV" check -q -f json --threads 3 --mem-limit 32 --rules 'begroting.* or aanbesteding.eu' \
  --rule-arg aanbesteding.eu.max_bewijs=7 --rules-dir fixtures/e2e-rules "$W" >"$tmp/opts.json"
expect "invocation: command line, folders and every option" \
  ".invocation.command_line[1:] == [\"check\",\"-q\",\"-f\",\"json\",\"--threads\",\"3\",\"--mem-limit\",\"32\",\"--rules\",\"begroting.* or aanbesteding.eu\",\"--rule-arg\",\"aanbesteding.eu.max_bewijs=7\",\"--rules-dir\",\"fixtures/e2e-rules\",\"$W\"] and .invocation.working_directory == \"$(pwd)\" and .invocation.rule_dirs == [{\"path\": \"$SRC/rules\", \"origin\": \"bundled\"}, {\"path\": \"$(pwd)/fixtures/e2e-rules\", \"origin\": \"rules_dir\"}] and .invocation.options.threads == 3 and .invocation.options.mem_limit_mib == 32 and .invocation.options.rule_args == [\"aanbesteding.eu.max_bewijs=7\"] and .invocation.files == [\"$W\"]" "$tmp/opts.json"
expect "invocation: where rhv's home came from" \
  ".invocation.home.path == \"$SRC\" and (.invocation.home.origin | IN(\"RHV_HOME\", \"source tree\"))" "$tmp/full.json"
expect "threads not given: recorded as null (the default), not the CPU count" '.invocation.options | has("threads") and .threads == null' "$tmp/full.json"

# Determinism: byte-identical with the same options; with other --threads only
# the invocation's record of them differs.
"$RHV" check -q -f json --threads 0 "$W" >"$tmp/t0.json"
"$RHV" check -q -f json --threads 0 "$W" >"$tmp/t0b.json"
cmp -s "$tmp/t0.json" "$tmp/t0b.json" && ok "same options: byte-identical" || bad "same options differ"
"$RHV" check -q -f json --threads 4 "$W" >"$tmp/t4.json"
cmp -s <(jq 'del(.invocation.command_line, .invocation.options.threads)' "$tmp/t0.json") \
       <(jq 'del(.invocation.command_line, .invocation.options.threads)' "$tmp/t4.json") \
  && ok "--threads 0 and 4: identical but for the recorded --threads" || bad "--threads changes the report"

# A private copy of rhv's home, so files can be changed.
H=$tmp/home
mkdir -p "$H" && cp -r "$SRC/rules" "$SRC/plugins" "$SRC/params" "$SRC/fixtures" "$H/"
cd "$H"
export RHV_HOME=$H
D=fixtures/westrom-2023/dossier.xml
"$RHV" check -q -f json "$D" >"$tmp/a.json"
sed -i 's/^local rhv = {}$/local rhv = {} -- one line changed/' plugins/lib/rhv.lua
"$RHV" check -q -f json "$D" >"$tmp/b.json"
expect "an edit of plugins/lib/rhv.lua changes the report" \
  "[.lua_files[] | select(.role == \"library\")][0].sha256 == \"$(sha plugins/lib/rhv.lua)\"" "$tmp/b.json"
cmp -s "$tmp/a.json" "$tmp/b.json" && bad "rhv.lua edited: report unchanged" || ok "rhv.lua edited: report differs"
cp "$SRC/plugins/lib/rhv.lua" plugins/lib/rhv.lua

# ---- 6. rhv verify -----------------------------------------------------------
"$RHV" check -q -f json -o "$tmp/r.json" "$D"
"$RHV" verify "$tmp/r.json" >"$tmp/v.out"; rc=$?
[ "$rc" -eq 0 ] && grep -qx identical "$tmp/v.out" && ok "verify the demo report: identical, exit 0" \
  || { bad "verify demo: exit $rc"; cat "$tmp/v.out"; }
flip() { # change the last byte of a file (a newline becomes a blank)
  printf ' ' | dd of="$1" bs=1 seek=$(( $(stat -c %s "$1") - 1 )) conv=notrunc status=none
}
for f in "$D" fixtures/westrom-2023/grootboek-2023.xaf rules/aanbesteding.eu.lua plugins/lib/rhv.lua \
         params/eu_drempels.lua; do
  cp "$f" "$tmp/orig"
  flip "$f"
  "$RHV" verify "$tmp/r.json" >"$tmp/v.out"; rc=$?
  [ "$rc" -eq 1 ] && grep -q "changed: .*$f" "$tmp/v.out" && grep -qx different "$tmp/v.out" \
    && ok "verify: one byte of $f changed: named, exit 1" || { bad "verify $f: exit $rc"; cat "$tmp/v.out"; }
  cp "$tmp/orig" "$f"
done
"$RHV" verify "$tmp/r.json" >/dev/null && ok "verify: identical again after restoring" || bad "verify after restore"

# A changed amount: the finding and the totals that move are named.
L=fixtures/westrom-2023/grootboek-2023.xaf
cp "$L" "$tmp/orig"
line=$(jq -r '[.findings[] | select(.rule == "aanbesteding.eu")][0].evidence[] | select(.amount_cents != null) | .line' "$tmp/r.json" | head -1)
awk -v from="$line" 'NR >= from && !done && /<amnt>/ { sub(/<amnt>[0-9]/, "<amnt>9"); done = 1 } { print }' "$tmp/orig" >"$L"
"$RHV" verify "$tmp/r.json" >"$tmp/v.out"; rc=$?
[ "$rc" -eq 1 ] && ok "verify: changed ledger amount, exit 1" || bad "verify amount: exit $rc"
grep -q "finding removed: aanbesteding.eu" "$tmp/v.out" && grep -q "finding added: aanbesteding.eu" "$tmp/v.out" \
  && ok "verify: names the finding removed and added" || { bad "verify: findings not named"; cat "$tmp/v.out"; }
grep -q "total total_cents" "$tmp/v.out" && ok "verify: names the total that moved" || bad "verify: total not named"
cp "$tmp/orig" "$L"

mv rules/wnt.bezoldiging.lua "$tmp/wnt.lua"
"$RHV" verify "$tmp/r.json" >"$tmp/v.out"; rc=$?
[ "$rc" -eq 2 ] && grep -q "missing: .*rules/wnt.bezoldiging.lua" "$tmp/v.out" \
  && ok "verify: a missing rule file: exit 2, named" || { bad "verify missing: exit $rc"; cat "$tmp/v.out"; }
mv "$tmp/wnt.lua" rules/wnt.bezoldiging.lua
jq 'del(.invocation, .lua_files)' "$tmp/r.json" >"$tmp/old.json"
"$RHV" verify "$tmp/old.json" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok "verify: a report without provenance: exit 2" || bad "verify old report: exit $rc"
"$RHV" verify "$tmp/nope.json" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok "verify: no such report: exit 2" || bad "verify no report: exit $rc"
"$RHV" check -q -f json -o "$tmp/r2.json" --rules 'begroting.* or aanbesteding.eu' \
  --rule-arg aanbesteding.eu.max_bewijs=2 --threads 0 "$D"
"$RHV" verify "$tmp/r2.json" >"$tmp/v.out"; rc=$?
[ "$rc" -eq 0 ] && ok "verify: a selection with rule arguments re-runs identically" \
  || { bad "verify selection: exit $rc"; cat "$tmp/v.out"; }
cd - >/dev/null
unset RHV_HOME

# ---- 7. evidence for a total names every record behind it -------------------
F='[.findings[] | select(.rule == "aanbesteding.eu")][0]'
expect "aanbesteding.eu: every transaction listed, amounts add up to the finding" \
  "$F | ([.evidence[] | select(.amount_cents != null)] | length) >= 10 and ([.evidence[].amount_cents // 0] | add) + .evidence_omitted.amount_cents == .amount_cents and .evidence_omitted.count == 0" "$tmp/full.json"
"$RHV" check -q -f json --rule-arg aanbesteding.eu.max_bewijs=3 "$W" >"$tmp/cap.json"
expect "capped list: 3 listed, the rest counted, still adds up" \
  "$F | ([.evidence[] | select(.amount_cents != null)] | length) == 3 and .evidence_omitted.count >= 7 and ([.evidence[].amount_cents // 0] | add) + .evidence_omitted.amount_cents == .amount_cents" "$tmp/cap.json"
n=$(jq "$F | (.evidence | length) - 5" "$tmp/full.json")
awk '/Opdracht EO-2021-019/,/^$/' "$tmp/full.txt" >"$tmp/ev.txt"
[ "$(grep -c 'Bron:' "$tmp/ev.txt")" -eq 5 ] && grep -q "en nog $n boekingen" "$tmp/ev.txt" \
  && ok "text: the first five sources and 'en nog $n boekingen'" || { bad "text evidence"; cat "$tmp/ev.txt"; }

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
