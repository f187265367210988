# handled_inputs.sh - sourced by the format tests: inputs that use every
# part of findings handled across runs (docs/handled.md) on the Westrom 2023
# demo, as tests/e2e_handled.sh makes them. handled_inputs RHV DIR writes
# DIR/dossier.xml (the aanbesteding.eu fout registered once more, and a
# beoordelingen file that registers it, calls begroting.lasten onterecht and
# the registered onzekerheid acceptabel), DIR/prev.json (an earlier report:
# one finding nieuw, one gewijzigd, one vervallen) and DIR/scenario.xml (one
# hypothetical fout, the onzekerheid counted as a fout). Run from tests/.
handled_inputs() { # rhv, dir
    local rhv=$1 dir=$2 w=../fixtures/westrom-2023 f=fixtures/handled
    mkdir -p "$dir"
    "$rhv" check -q --format json "$w/dossier.xml" >"$dir/base.json" 2>/dev/null
    local lasten aanb onz
    lasten=$(jq -r '.findings[] | select(.rule == "begroting.lasten") | .fingerprint' "$dir/base.json")
    aanb=$(jq -r '.findings[] | select(.rule == "aanbesteding.eu" and (.subject | test("Maasdal"))) | .fingerprint' "$dir/base.json")
    onz=$(jq -r '.findings[] | select(.rule == "afwijkingen.geregistreerd" and .kind == "onzekerheid") | .fingerprint' "$dir/base.json")
    sed -e "s|@AANB@|$aanb|; s|@LASTEN@|$lasten|; s|@ONZ@|$onz|" "$f/beoordelingen.xml" >"$dir/beoordelingen.xml"
    sed -e "s|path=\"grootboek-2023.xaf\"|path=\"$PWD/$w/grootboek-2023.xaf\"|" \
        -e 's|  </afwijkingen>|    <afwijking id="A2023-04" criterium="voorwaardencriterium" soort="fout" bedrag="287463.20" onderwerp="Maasdal Flexwerk" omschrijving="Inhuur Maasdal Flexwerk boven de Europese drempel zonder Europese aanbesteding." status="definitief" bron="controller"/>\n  </afwijkingen>|' \
        -e 's|  <afwijkingen>|  <beoordelingen path="beoordelingen.xml"/>\n  <afwijkingen>|' \
        "$w/dossier.xml" >"$dir/dossier.xml"
    jq --arg l "$lasten" --arg a "$aanb" '
      .findings |= (map(select(.fingerprint != $l))
                   | map(if .fingerprint == $a then .amount_cents = 25000000 else . end)
                   | . + [{"rule":"begroting.krediet","kind":"fout","subject":"Krediet K2020-01","amount_cents":500000,
                           "fingerprint":"begroting.krediet:2023:0123456789ab"}])
      | .totals.total_cents = 90000000 | .totals.fouten_cents = 70000000 | .totals.onzekerheden_cents = 20000000
      | .headroom_cents = 54026639' "$dir/base.json" >"$dir/prev.json"
    sed "s|@ONZ@|$onz|" "$f/scenario.xml" >"$dir/scenario.xml"
}
