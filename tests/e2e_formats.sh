#!/usr/bin/env bash
# End-to-end: the workbook (xlsx) and the CSV, read back with python3's own
# zipfile, XML and csv modules and compared with the JSON report of the same
# run; the choice of format by extension and the refusals; findings handled
# across runs (fingerprint, beoordeling, --vorige, --als) in both. Run by meson
# from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
. ./lib.sh

W=../fixtures/westrom-2023/dossier.xml
"$RHV" check -o "$tmp/w.xlsx" -o "$tmp/w.csv" -o "$tmp/w.json" "$W" 2>/dev/null; rc=$?
[ "$rc" -eq 0 ] && ok "westrom: xlsx, csv and json in one run, exit 0" || bad "westrom: exit $rc"
# The report records its command line and the (first) output's format: compare the rest.
nocmd='del(.invocation.command_line, .invocation.options.format)'
cmp -s <("$RHV" check -f json "$W" 2>/dev/null | jq "$nocmd") <(jq "$nocmd" "$tmp/w.json") \
    && ok "-o x.json is the JSON report" || bad "-o x.json differs"
jq -e '.invocation.options.format == "xlsx"' "$tmp/w.json" >/dev/null \
    && ok "options.format: the first output's" || bad "options.format is not the first output's"
[ "$(ls "$tmp" | grep -c '\.tmp')" -eq 0 ] && ok "no temporary file left" || bad "temporary file left"

# The same command twice (the Herkomst sheet holds the command line).
"$RHV" check -o "$tmp/d.xlsx" "$W" 2>/dev/null; mv "$tmp/d.xlsx" "$tmp/d1.xlsx"
sleep 1 # a creation time taken from the clock would differ now
"$RHV" check -o "$tmp/d.xlsx" "$W" 2>/dev/null
cmp -s "$tmp/d1.xlsx" "$tmp/d.xlsx" && ok "xlsx deterministic: same inputs, same bytes" || bad "xlsx differs between runs"

# A ledger-only run (no verdict) and a gescheiden, boven dossier must give a workbook too.
"$RHV" check -o "$tmp/l.xlsx" -o "$tmp/l.csv" -o "$tmp/l.json" ../fixtures/westrom-2023/grootboek-2023.xaf 2>/dev/null
sed 's/grens_wijze="gecombineerd"/grens_wijze="gescheiden" grens_fouten_percentage="1.00" grens_onzekerheden_percentage="3.50"/' \
    fixtures/dossiers/mini-boven.xml >"$tmp/g.xml"
"$RHV" check -o "$tmp/g.xlsx" -o "$tmp/g.csv" -o "$tmp/g.json" "$tmp/g.xml" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] && ok "gescheiden boven: exit 1" || bad "gescheiden boven: exit $rc"
# A partial check whose finding lists 3 of its transactions and counts the
# rest; a dossier alone (rules skipped, rules without data, a warning).
"$RHV" check -q --rules 'aanbesteding.*' -a aanbesteding.eu.max_bewijs=3 \
    -o "$tmp/p.xlsx" -o "$tmp/p.csv" -o "$tmp/p.json" "$W"; rc=$?
[ "$rc" -eq 0 ] && jq -e '.scope.complete == false and ([.findings[].evidence_omitted.count] | max) > 0' "$tmp/p.json" >/dev/null \
    && ok "partial run with evidence left off: exit 0" || bad "partial run: exit $rc or not what the test needs"
"$RHV" check -q -o "$tmp/m.xlsx" -o "$tmp/m.csv" -o "$tmp/m.json" fixtures/dossiers/mini-binnen.xml
# Findings handled across runs: a beoordelingen file, --vorige and --als at once.
. ./handled_inputs.sh
handled_inputs "$RHV" "$tmp/hd"
# An '&' in the scenario's name: a page header must double it.
sed -i 's/naam="[^"]*"/naam="Catering \&amp; schoonmaak fout"/' "$tmp/hd/scenario.xml"
"$RHV" check -q --peildatum 2024-03-01 --vorige "$tmp/hd/prev.json" --als "$tmp/hd/scenario.xml" \
    -o "$tmp/h.xlsx" -o "$tmp/h.csv" -o "$tmp/h.json" "$tmp/hd/dossier.xml"
jq -e '.scenario and .vergelijking.vervallen > 0 and ([.findings[] | select(.afgehandeld)] | length) > 0' "$tmp/h.json" >/dev/null \
    && ok "handled: a scenario, a comparison and findings afgehandeld" || bad "handled: the run lacks what the test needs"
# The beoordelingen alone, judged after the acceptabel one has expired.
"$RHV" check -q --peildatum 2024-07-01 -o "$tmp/v.xlsx" -o "$tmp/v.csv" -o "$tmp/v.json" "$tmp/hd/dossier.xml"
jq -e '([.findings[] | select(.beoordeling.verlopen)] | length) > 0 and .scenario == null' "$tmp/v.json" >/dev/null \
    && ok "handled: a beoordeling verlopen, no scenario" || bad "handled: no beoordeling verlopen"
mv "$tmp/h.xlsx" "$tmp/h1.xlsx"
"$RHV" check -q --peildatum 2024-03-01 --vorige "$tmp/hd/prev.json" --als "$tmp/hd/scenario.xml" \
    -o "$tmp/h.xlsx" -o "$tmp/h.csv" -o "$tmp/h.json" "$tmp/hd/dossier.xml"
cmp -s "$tmp/h1.xlsx" "$tmp/h.xlsx" && ok "handled: xlsx deterministic (banner, page headers, Vervallen)" \
    || bad "handled: xlsx differs between runs"
jq -e '(.scope.no_data | length) > 0 and (.diagnostics | length) > 0' "$tmp/m.json" >/dev/null \
    && ok "dossier alone: rules without data and a warning" || bad "mini-binnen no longer has no_data and a warning"

check_pair() { # name: xlsx, csv and json of one run agree
    python3 - "$tmp/$1.xlsx" "$tmp/$1.csv" "$tmp/$1.json" <<'EOF'
import csv, io, json, re, sys, zipfile
import xml.etree.ElementTree as ET
from decimal import Decimal
xlsx, csvf, jsonf = sys.argv[1:]
j = json.load(open(jsonf))
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
z = zipfile.ZipFile(xlsx)
problems = []
def need(cond, what):
    if not cond:
        problems.append(what)

wb = ET.fromstring(z.read("xl/workbook.xml"))
names = [s.get("name") for s in wb.find("m:sheets", NS)]
gone = j.get("vergelijking")
need(names[:6 + bool(gone)] == ["Samenvatting", "Bevindingen", "Boekingen"] + ["Vervallen"] * bool(gone)
     + ["Regels", "Invoer", "Herkomst"], f"sheets {names}")
# A scenario is on every sheet: the first row, and the header of each printed page.
banner = f'SCENARIO "{j["scenario"]["naam"]}": wat-als-berekening, geen rechtmatigheidsverantwoording' if j.get("scenario") else None
need(("Meldingen" in names) == bool(j["diagnostics"]), f"Meldingen sheet {names} for {len(j['diagnostics'])} diagnostics")

def col(ref):
    return re.match(r"[A-Z]+", ref).group(0)
def sheet(i):
    """rows as {column: (type, raw text)} of sheet i (1-based), and the root."""
    root = ET.fromstring(z.read(f"xl/worksheets/sheet{i}.xml"))
    rows = []
    for row in root.find("m:sheetData", NS):
        cells = {}
        for c in row:
            if c.find("m:f", NS) is not None:
                problems.append(f"formula in sheet{i} {c.get('r')}")
            if c.get("t") == "inlineStr":
                cells[col(c.get("r"))] = ("s", "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t")))
            elif c.find("m:v", NS) is not None:
                cells[col(c.get("r"))] = ("n", c.find("m:v", NS).text, c.get("s"))
        rows.append(cells)
    oh = root.find("m:headerFooter/m:oddHeader", NS)
    # Frozen: the banner, and a list sheet's header row under it; the
    # autofilter starts at the header row.
    pane, af = root.find(".//m:pane[@state='frozen']", NS), root.find("m:autoFilter", NS)
    split = (pane.get("ySplit") if pane is not None else None, af.get("ref").split(":")[0] if af is not None else None)
    if banner:
        need(rows and rows[0].get("A", ("", ""))[1] == banner, f"sheet{i}: no scenario banner on the first row")
        need(oh is not None and banner.replace("&", "&&") in oh.text, f"sheet{i}: no scenario in the page header")
        need(split == (("1", None) if i == 1 else ("2", "A2")), f"sheet{i}: frozen rows and autofilter {split}")
        rows = rows[1:]
    else:
        need(oh is None and not any("SCENARIO" in c[1] for r in rows for c in r.values() if c[0] == "s"),
             f"sheet{i}: a scenario mark without a scenario")
        need(split == ((None, None) if i == 1 else ("1", "A1")), f"sheet{i}: frozen rows and autofilter {split}")
    return rows, root

styles = ET.fromstring(z.read("xl/styles.xml"))
euro_fmts = {nf.get("numFmtId") for nf in styles.iter(f"{{{NS['m']}}}numFmt") if "€" in nf.get("formatCode")}
xfs = list(styles.find("m:cellXfs", NS))
euro_styles = {str(i) for i, xf in enumerate(xfs) if xf.get("numFmtId") in euro_fmts}

# Bevindingen: one row per finding; amounts exact decimals in a euro format.
rows, root = sheet(2)
head = [rows[0][k][1] for k in sorted(rows[0], key=lambda c: (len(c), c))]
need(head == ["Nummer", "Onderdeel", "Regel", "Criterium", "Soort", "Bedrag", "Telt mee", "Onderwerp",
              "Melding", "Toelichting", "Bron", "Vingerafdruk", "Beoordeling", "Reden", "Vorige", "Vorig bedrag",
              "Scenario"], f"Bevindingen header {head}")
need(root.find(".//m:pane[@state='frozen']", NS) is not None, "Bevindingen: header not frozen")
need(root.find("m:autoFilter", NS) is not None, "Bevindingen: no autofilter")
body = rows[1:]
need(len(body) == len(j["findings"]), f"{len(body)} rows for {len(j['findings'])} findings")
sums = {"fout": Decimal(0), "onzekerheid": Decimal(0), "acceptabel": Decimal(0)}
for r in body:
    t, v, s = r["F"]
    need(re.fullmatch(r"-?\d+(\.\d{1,2})?", v) is not None, f"Bedrag not an exact decimal: {v}")
    need(s in euro_styles, f"Bedrag {v} not in a euro format")
    kind, counts = r["E"][1], r["G"][1]
    if kind in ("fout", "onzekerheid"):
        if r["B"][1] != "afgehandeld":  # dropped by a beoordeling: in no total
            sums[kind if counts == "ja" else "acceptabel"] += Decimal(v)
t = j["totals"]
need(sums["fout"] * 100 == t["fouten_cents"], f"xlsx fouten {sums['fout']} vs {t['fouten_cents']}")
need(sums["onzekerheid"] * 100 == t["onzekerheden_cents"], f"xlsx onzekerheden {sums['onzekerheid']}")
need(sums["acceptabel"] * 100 == t["acceptabel_cents"], f"xlsx acceptabel {sums['acceptabel']}")
numbers = {int(r["A"][1]) for r in body}
need(numbers == set(range(1, len(body) + 1)), "Nummer is not 1..n")
amount_of = {int(r["A"][1]): Decimal(r["F"][1]) for r in body}
# The CSV and the JSON list the same findings; which nummer is which JSON
# finding: by its fingerprint.
by_fp = {f["fingerprint"]: f for f in j["findings"]}
finding_of = {int(r["A"][1]): by_fp.get(r.get("L", ("", ""))[1]) for r in body}
need(all(finding_of.values()) and len({f["fingerprint"] for f in finding_of.values() if f}) == len(body),
     "Bevindingen: a row that is no JSON finding")
# What is said beside each finding, as the JSON has it. A figure that rhv
# computed (a difference, a ruimte) may be stored to 16 digits, e.g.
# 935411.1899999999: taken to the cent.
def wcents(v):
    return int((Decimal(v) * 100).quantize(Decimal(1)))
change = {None: None, "toegevoegd": "hypothetische afwijking", "onzekerheid_wordt_fout": "onzekerheid als fout gerekend"}
def handled_cols(f):
    """Beoordeling, Reden, Vorige, Vorig bedrag (cents or None), Scenario of a JSON finding."""
    b, v = f.get("beoordeling"), f.get("vorige")
    return (b and b["besluit"] + (" (verlopen)" if b["verlopen"] else ""), b and b["reden"],
            v and v["status"], v and v["amount_cents"], change[f.get("scenario")])
for r in body:
    f = finding_of[int(r["A"][1])]
    if not f:
        continue
    cells = r.get("P")
    got = (r.get("M", (0, None))[1], r.get("N", (0, None))[1], r.get("O", (0, None))[1],
           wcents(cells[1]) if cells else None, r.get("Q", (0, None))[1])
    need(got == handled_cols(f), f"Bevindingen {r['A'][1]}: {got} for {handled_cols(f)}")
    need(cells is None or cells[2] in euro_styles, f"Bevindingen {r['A'][1]}: Vorig bedrag not in a euro format")
    need(r["G"][1] == ("ja" if f["counts"] else "nee"), f"Bevindingen {r['A'][1]}: Telt mee")
    need((r["B"][1] == "afgehandeld") == bool(f.get("afgehandeld")), f"Bevindingen {r['A'][1]}: Onderdeel")

# Boekingen: every evidence record and one row for the records left off,
# with an existing nummer; where the records carry amounts, a finding's
# rows add up to its amount.
rows, root = sheet(3)
head = [rows[0][k][1] for k in sorted(rows[0], key=lambda c: (len(c), c))]
need(head == ["Nummer", "Regel", "Onderwerp", "Bestand", "Regel in bestand", "Sleutel", "Bedrag"],
     f"Boekingen header {head}")
need(len(rows) - 1 == sum(len(f["evidence"]) + (f["evidence_omitted"]["count"] > 0) for f in j["findings"]),
     "Boekingen: not one row per record plus one per finding with records left off")
need(all(int(r["A"][1]) in numbers for r in rows[1:]), "Boekingen: unknown nummer")
need(root.find(".//m:pane[@state='frozen']", NS) is not None and root.find("m:autoFilter", NS) is not None,
     "Boekingen: no frozen header or autofilter")
sums, added_up = {}, 0
for r in rows[1:]:
    no = int(r["A"][1])
    if "G" in r:
        need(r["G"][2] in euro_styles, "Boekingen: Bedrag not in a euro format")
        sums[no] = sums.get(no, Decimal(0)) + Decimal(r["G"][1])
    if r.get("D", ("", ""))[1].startswith("en nog "):
        om = finding_of[no]["evidence_omitted"]
        need(r["D"][1] == f"en nog {om['count']} boeking" + ("en" if om["count"] != 1 else ""),
             f"Boekingen: {r['D'][1]} for {om}")
for no, f in finding_of.items():
    if any(e.get("amount_cents") is not None for e in f["evidence"]):
        need(sums.get(no) == amount_of[no], f"Boekingen of finding {no} add up to {sums.get(no)}, not {amount_of[no]}")
        added_up += 1
need(added_up > 0 or not any(e.get("amount_cents") is not None for f in j["findings"] for e in f["evidence"]),
     "Boekingen: no finding's amounts checked")

# Vervallen: the earlier report's findings that are gone, in its order.
if gone:
    rows, root = sheet(names.index("Vervallen") + 1)
    head = [rows[0][k][1] for k in sorted(rows[0], key=lambda c: (len(c), c))]
    need(head == ["Nummer", "Regel", "Soort", "Onderwerp", "Bedrag in de vorige rapportage", "Vingerafdruk"],
         f"Vervallen header {head}")
    need([(r["A"][1], r["B"][1], r["C"][1], r["D"][1], wcents(r["E"][1]), r["F"][1]) for r in rows[1:]]
         == [(str(i + 1), v["rule"], v["kind"], v["subject"], v["amount_cents"], v["fingerprint"])
             for i, v in enumerate(gone["vervallen_findings"])], "Vervallen: not the earlier report's gone findings")
    need(all(r["E"][2] in euro_styles for r in rows[1:]), "Vervallen: Bedrag not in a euro format")

# Regels: the status in Dutch, the origin.
rows, _ = sheet(names.index("Regels") + 1)
need(len(rows) - 1 == len(j["rules"]), "Regels: not one row per rule")
nl = {"ok": "ok", "error": "mislukt", "skipped": "overgeslagen", "no_data": "geen gegevens"}
for r, rule in zip(rows[1:], j["rules"]):
    need(r["A"][1] == rule["id"] and r["D"][1] == nl[rule["status"]] and r["H"][1] == rule["origin"],
         f"Regels: {r} for {rule['id']} {rule['status']} {rule['origin']}")
rows, _ = sheet(names.index("Invoer") + 1)
hashes = {r["C"][1] for r in rows[1:] if "C" in r}
need(all(i["sha256"] in hashes for i in j["inputs"]), "Invoer: an input hash is missing")
need(all(p["sha256"] in hashes for p in j["parameters"]), "Invoer: a parameter hash is missing")

# Herkomst: the binary, the command line, every Lua file with its hash.
rows, _ = sheet(names.index("Herkomst") + 1)
val = {r["A"][1]: r for r in rows[1:]}
need(val["programma"]["C"][1] == j["build"]["binary_sha256"], "Herkomst: binary sha256")
need(val["opdracht"]["B"][1] == " ".join(j["invocation"]["command_line"]), "Herkomst: command line")
need(val["map"]["B"][1] == j["invocation"]["working_directory"], "Herkomst: folder")
for l in j["lua_files"]:
    r = val.get(f"lua {l['role']} {l['name']}")
    need(r is not None and r["B"][1] == l["path"] and r["C"][1] == l["sha256"], f"Herkomst: {l['name']}")

# Meldingen: one row per diagnostic.
if j["diagnostics"]:
    rows, _ = sheet(names.index("Meldingen") + 1)
    need([r["D"][1] for r in rows[1:]] == [d["message"] for d in j["diagnostics"]], "Meldingen: not the diagnostics")

# Samenvatting: the totals of the table, and the grens.
rows, _ = sheet(1)
def row_of(label):
    return next((r for r in rows if r.get("A", ("", ""))[1] == label), None)
tot = row_of("Totaal")
sc = j["scope"]
rk = row_of("Reikwijdte")
need(rk is not None and rk["B"][1] == ("volledig" if sc["complete"] else "onvolledig"), "Samenvatting: Reikwijdte")
need([r["B"][1] for r in rows if r.get("A", ("", ""))[1] == "Niet uitgevoerd"] == [n["id"] for n in sc["not_run"]],
     "Samenvatting: the rules not run")
need([r["C"][1] for r in rows if r.get("A", ("", ""))[1] == "Niet uitgevoerd"] == [n["reason"] for n in sc["not_run"]],
     "Samenvatting: why a rule did not run")
need([r["B"][1] for r in rows if r.get("A", ("", ""))[1] == "Uitgevoerd zonder gegevens"] == sc["no_data"],
     "Samenvatting: the rules without data")
notice = [r for r in rows if r.get("A", ("", ""))[1] == "LET OP" and "onvolledig" in r["B"][1] and "zonder gegevens" in r["B"][1]]
need(len(notice) == (0 if sc["complete"] else 1), "Samenvatting: LET OP for a partial check")
if j["verantwoordingsgrens"] and not sc["complete"]:
    need(row_of("Uitkomst")["C"][1] == "alleen over het gecontroleerde deel", "Samenvatting: Uitkomst of a partial check")
need(tot is not None and Decimal(tot["D"][1]) * 100 == t["total_cents"], "Samenvatting: Totaal")
if j["verantwoordingsgrens"] and j["verantwoordingsgrens"]["mode"] == "gecombineerd":
    g = row_of("Verantwoordingsgrens")
    need(g is not None and Decimal(g["B"][1]) * 100 == j["verantwoordingsgrens"]["amount_cents"], "Samenvatting: grens")
def at(label, c):
    """The raw text of column c in the row labelled label; None when either is missing."""
    r = row_of(label)
    return r[c][1] if r and c in r else None
def euro_at(label, c):
    r = row_of(label)
    need(r is None or c not in r or r[c][2] in euro_styles, f"Samenvatting: {label} {c} not in a euro format")
    return wcents(r[c][1]) if r and c in r else None
# Findings handled across runs: the scenario, the beoordelingen, the
# Vergelijking, as the JSON has them (and without them, no such row).
s_ = j.get("scenario")
side = {"binnen": "binnen de grens", "boven": "boven de grens"}
got = (at("Scenario (--als)", "B"), at("Scenariobestand", "B"), euro_at("Ruimte in dit scenario", "B"),
       at("Ruimte in dit scenario", "C"), euro_at("Ruimte zonder scenario", "B"), at("Ruimte zonder scenario", "C"),
       at("Toegevoegde afwijkingen", "B"), at("Onzekerheden als fout gerekend", "B"))
need(got == ((s_["naam"], s_["file"], s_["headroom_cents"], side[s_["verdict"]], s_["headroom_zonder_scenario_cents"],
              side[s_["verdict_zonder_scenario"]], str(s_["toegevoegd"]), str(s_["wordt_fout"])) if s_ else (None,) * 8),
     f"Samenvatting: scenario {got}")
bo = j.get("beoordelingen")
dropped = [f for f in j["findings"] if f.get("afgehandeld") and f["kind"] != "signalering"]
label = "Afgehandeld (onterecht of al geregistreerd)"
got = (at("Beoordelingen", "B"), at("Beoordelingen in het bestand", "B"), at("Toegepast", "B"), at(label, "B"),
       euro_at(label, "C"), at(label, "D"))
need(got == ((bo["file"], str(bo["entries"]), str(bo["toegepast"]), str(len(dropped)),
              sum(f["amount_cents"] for f in dropped), "telt niet mee") if bo else (None,) * 6),
     f"Samenvatting: beoordelingen {got}")
need(not bo or dropped, "Samenvatting: the run has no finding afgehandeld to check")
got = (at("Vorige rapportage (--vorige)", "B"), at("Vorige rapportage (--vorige)", "C"))
need(got == ((gone["file"], str(gone["fiscal_year"]) if gone["fiscal_year"] else None) if gone else (None, None)),
     f"Samenvatting: vorige rapportage {got}")
if gone:
    for label, key in (("Nieuw", "nieuw"), ("Ongewijzigd", "ongewijzigd"), ("Gewijzigd", "gewijzigd"),
                       ("Vervallen", "vervallen")):
        need(at(label, "B") == str(gone[key]), f"Samenvatting: {label}")
    need([(row_of("Vergelijking met de vorige rapportage") or {}).get(c, ("", ""))[1] for c in "ABCD"]
         == ["Vergelijking met de vorige rapportage", "Vorige rapportage", "Nu", "Verschil"],
         "Samenvatting: the Vergelijking's header")
    now = dict(t, headroom_cents=j["headroom_cents"])
    for label, key in (("Fouten", "fouten_cents"), ("Onzekerheden", "onzekerheden_cents"),
                       ("Totaal dat meetelt", "total_cents"), ("Ruimte", "headroom_cents")):
        got = tuple(euro_at(label, c) for c in "BCD")
        need(got == (gone["vorige"][key], now[key], gone["verschil"][key]), f"Samenvatting: Vergelijking {label} {got}")
else:
    need(row_of("Vergelijking met de vorige rapportage") is None, "Samenvatting: a Vergelijking without --vorige")

# CSV: BOM, CRLF, ';', decimal comma; the same totals.
raw = open(csvf, "rb").read()
need(raw.startswith(b"\xef\xbb\xbf"), "CSV: no BOM")
records = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=";"))
need(raw.count(b"\r\n") >= len(records), "CSV: records not ended by CRLF")
need(records[0] == ["Nummer", "Onderdeel", "Regel", "Criterium", "Soort", "Bedrag", "Telt mee", "Onderwerp",
                   "Melding", "Toelichting", "Bron", "Vingerafdruk", "Beoordeling", "Reden", "Vorige",
                   "Vorig bedrag", "Scenario", "Scenariowijziging"], "CSV header")
# Beside each finding, as in the workbook; the scenario's name on every row.
for r in records[1:]:
    f = finding_of.get(int(r[0]))
    need(f is not None and r[11] == f["fingerprint"], f"CSV {r[0]}: not the workbook's finding")
    if f:
        got = (r[12] or None, r[13] or None, r[14] or None,
               int(Decimal(r[15].replace(",", ".")) * 100) if r[15] else None, r[17] or None)
        need(got == handled_cols(f), f"CSV {r[0]}: {got} for {handled_cols(f)}")
    need(r[16] == (j["scenario"]["naam"] if j.get("scenario") else ""), f"CSV {r[0]}: Scenario column")
need(len(records) - 1 == len(j["findings"]), "CSV: not one row per finding")
csum = {"fout": Decimal(0), "onzekerheid": Decimal(0)}
for r in records[1:]:
    need(re.fullmatch(r"-?\d+(,\d{2})?", r[5]) is not None, f"CSV Bedrag {r[5]}")
    if r[4] in csum and r[6] == "ja":
        csum[r[4]] += Decimal(r[5].replace(",", "."))
need(csum["fout"] * 100 == t["fouten_cents"] and csum["onzekerheid"] * 100 == t["onzekerheden_cents"],
     f"CSV totals {csum}")
# Bron: every record with its amount as the text says it, and the records left off.
for r in records[1:]:
    f = finding_of[int(r[0])]
    lines = r[10].split("\n") if r[10] else []
    om = f["evidence_omitted"]
    need(len(lines) == len(f["evidence"]) + (om["count"] > 0), f"CSV Bron of {r[0]}: {len(lines)} lines")
    for line, e in zip(lines, f["evidence"]):
        need(line.startswith(f"{e['file']}:{e['line']}") and (e.get("amount_cents") is None or line.endswith(
            "€ " + f"{e['amount_cents'] // 100:,}".replace(",", ".") + f",{e['amount_cents'] % 100:02d}")),
            f"CSV Bron line {line!r}")
    if om["count"] > 0:
        need(lines[-1].startswith(f"en nog {om['count']} boeking"), f"CSV Bron: {lines[-1]!r}")
for p in problems:
    print("  ", p)
sys.exit(1 if problems else 0)
EOF
}
for n in w l g p m h v; do
    check_pair "$n" && ok "$n: workbook and CSV agree with the JSON (rows, totals, hashes, exact amounts)" \
        || bad "$n: workbook or CSV disagree with the JSON"
done

# Text from the input never becomes a formula: a string cell in the
# workbook, an apostrophe before it in the CSV.
mkdir -p "$tmp/evil"
cp ../fixtures/westrom-2023/grootboek-2023.xaf "$tmp/evil/"
sed 's|omschrijving="Inhuur gestart[^"]*"|omschrijving="=HYPERLINK(\&quot;x\&quot;;\&quot;klik\&quot;)"|' "$W" >"$tmp/evil/dossier.xml"
"$RHV" check -q -o "$tmp/evil/r.xlsx" -o "$tmp/evil/r.csv" "$tmp/evil/dossier.xml"
grep -q "\"'=HYPERLINK(\"\"x\"\";\"\"klik\"\")" "$tmp/evil/r.csv" && ok "CSV: a text starting with = gets an apostrophe" \
    || bad "CSV: formula-like text not guarded"
python3 - "$tmp/evil/r.xlsx" <<'EOF' && ok "xlsx: formula-like text is a string cell" || bad "xlsx: formula in the workbook"
import sys, zipfile
x = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet2.xml").decode()
sys.exit(0 if "=HYPERLINK" in x and "<f>" not in x else 1)
EOF

# Refusals and choices.
"$RHV" check -f xlsx "$W" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "not written to stdout" "$tmp/err" \
    && ok "xlsx to stdout: refused with a message, exit 2" || bad "xlsx to stdout: exit $rc"
"$RHV" check -f xlsx -o - "$W" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && ok "xlsx to -o -: refused" || bad "xlsx to -o -: exit $rc"
"$RHV" check -o "$tmp/a.json" -o "$tmp/a.noext" "$W" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "cannot tell the format" "$tmp/err" && ok "several -o: one without extension refused" \
    || bad "unknown extension: exit $rc"
"$RHV" check -o "$tmp/x.json" -o "$tmp/x.json" "$W" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok "the same output twice: refused" || bad "same output twice: exit $rc"
"$RHV" check -f json -o "$tmp/single.txt" "$W" 2>/dev/null
cmp -s <(jq "$nocmd" "$tmp/single.txt") <(jq "$nocmd" "$tmp/w.json") && jq -e '.invocation.options.format == "json"' "$tmp/single.txt" >/dev/null \
    && ok "-f wins for a single -o (as before)" || bad "-f with one -o"
"$RHV" check -f csv -o "$tmp/b.html" -o "$tmp/b.noext" "$W" 2>/dev/null
head -c 3 "$tmp/b.noext" | od -An -tx1 | grep -q "ef bb bf" && grep -q "<!DOCTYPE html>" "$tmp/b.html" \
    && ok "-f serves the -o without extension, the others by extension" || bad "-f with several -o"
"$RHV" check -o "$tmp/no/such/dir/r.xlsx" -o "$tmp/ok.html" "$W" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] && [ -s "$tmp/ok.html" ] && ok "one output fails: exit 2, the others still written" \
    || bad "failing output: exit $rc"

finish
