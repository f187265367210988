#!/usr/bin/env bash
# End-to-end: rule personeel.aansluiting on the Westrom demo (docs/aansluiting.md,
# "Personnel tables"). Every published cell reconciles, table 3.4 (Wsw by age,
# percentages made to sum to 100 by largest remainder) included; the same table
# said to be rounded half up, or a percentage off by more than its rounding, is a
# signalering; a bad geboortejaar or a largest-remainder amount is a reader
# error at its line. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
. ./lib.sh
W=../fixtures/westrom-2023
RULE='.findings[] | select(.rule == "personeel.aansluiting")'
cp "$W/grootboek-2023.xaf" "$tmp/"

"$RHV" check -q --format json "$W/dossier.xml" >"$tmp/w.json"; rc=$?
[ "$rc" -eq 0 ] && ok "westrom: exit 0" || bad "westrom: exit $rc"
expect "westrom: the rule ran and every cell reconciles" \
  "([.rules[] | select(.id == \"personeel.aansluiting\")][0].status == \"ok\") and ([$RULE] | length == 0)" "$tmp/w.json"
n=$(grep -c '<cijfer tabel="3.4" ' "$W/dossier.xml")
[ "$n" -eq 16 ] && ok "westrom: table 3.4 has 16 cells (8 rows, personen and percentage)" || bad "table 3.4: $n cells"

# Table 3.4 said to be rounded half up: 21 of 685 is 3,07% half up, published 3,06.
sed 's/afronding="grootste_rest"/afronding="half_up"/' "$W/dossier.xml" >"$tmp/dossier.xml"
"$RHV" check -q --format json "$tmp/dossier.xml" >"$tmp/h.json"; rc=$?
[ "$rc" -eq 0 ] && ok "half_up: exit 0 (a signalering)" || bad "half_up: exit $rc"
expect "half_up: only the 27-34 row differs, by its rounding" \
  "[$RULE] | length == 1 and .[0].subject == \"tabel 3.4 27-34 Wsw percentage\" and .[0].kind == \"signalering\" and .[0].amount_cents == 0 and .[0].message == \"Gepubliceerd 3,06%, berekend 3,07% uit 21 medewerkers op 2023-12-31.\"" "$tmp/h.json"
expect "half_up: the verdict is the demo's" '.verdict == "binnen" and .totals.total_cents == 100373535' "$tmp/h.json"

# Off by more than the rounding: 3,05 where largest remainder gives 3,06.
sed 's/waarde="3.06"/waarde="3.05"/' "$W/dossier.xml" >"$tmp/dossier.xml"
"$RHV" check -q --format json "$tmp/dossier.xml" >"$tmp/o.json"
expect "3,05: a signalering for the 27-34 row" \
  "[$RULE] | length == 1 and .[0].subject == \"tabel 3.4 27-34 Wsw percentage\" and (.[0].toelichting | test(\"grootste_rest\"))" "$tmp/o.json"

# One Wsw employee of 27-34 made a year older (35-44): persons and percentages of both bands.
line=$(grep -n 'categorie="Wsw".*geboortejaar="1989"' "$W/dossier.xml" | head -1 | cut -d: -f1)
sed "${line}s/geboortejaar=\"1989\"/geboortejaar=\"1988\"/" "$W/dossier.xml" >"$tmp/dossier.xml"
"$RHV" check -q --format json "$tmp/dossier.xml" >"$tmp/a.json"
expect "a birth year moved: both bands, persons and percentages" \
  "[$RULE | .subject] | sort == [\"tabel 3.4 27-34 Wsw percentage\", \"tabel 3.4 27-34 Wsw personen\", \"tabel 3.4 35-44 Wsw percentage\", \"tabel 3.4 35-44 Wsw personen\"]" "$tmp/a.json"

# The reader: a geboortejaar must be a plausible year, at its line.
reader_err() { # name, sed expression, message (grep -E)
  sed "$2" "$W/dossier.xml" >"$tmp/dossier.xml"
  "$RHV" check "$tmp/dossier.xml" >/dev/null 2>"$tmp/err"; rc=$?
  if [ "$rc" -eq 2 ] && grep -Eq -- "$3" "$tmp/err"; then ok "$1"; else bad "$1 (exit $rc: $(head -2 "$tmp/err"))"; fi
}
line=$(grep -n 'geboortejaar=' "$W/dossier.xml" | head -1 | cut -d: -f1)
reader_err "geboortejaar 1850: implausible, file:line" "${line}s/geboortejaar=\"[0-9]*\"/geboortejaar=\"1850\"/" \
  "dossier\.xml:$line: error: <medewerker> attribute geboortejaar=\"1850\" is not a plausible year of birth \(1900-2099\)"
reader_err "geboortejaar 19x0: not a number, file:line" "${line}s/geboortejaar=\"[0-9]*\"/geboortejaar=\"19x0\"/" \
  "dossier\.xml:$line: error: <medewerker> attribute geboortejaar=\"19x0\" is not a whole number"
line=$(grep -n '<cijfer tabel="3.6" rij="Leudal" kolom="Beschut" maat="plaatsen"' "$W/dossier.xml" | cut -d: -f1)
reader_err "grootste_rest on places: a reader error" "${line}s/afronding=\"half_up\"/afronding=\"grootste_rest\"/" \
  "dossier\.xml:$line: error: <cijfer> afronding=\"grootste_rest\" is for a column of percentages \(maat=\"percentage\"\), not maat=\"plaatsen\""

finish
