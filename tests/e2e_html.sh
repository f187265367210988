#!/usr/bin/env bash
# End-to-end: the HTML report in a real browser (Debian's chromium, headless).
# Checks that the page renders the text report's words and figures, that it
# makes no network request (net-log of the page's own requests, with a
# control page that does make them, so the check is shown able to fail),
# that it has no reference to fetch at all, that a toelichting with markup
# stays text, that printing gives A4 pages, and that findings handled across
# runs and a scenario show as in the text (the scenario on every printed
# page, its name escaped there too). Run by meson from tests/; exit 77
# (skipped) when chromium is absent.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "skip: chromium is not installed (apt-get install chromium; ./dev installs it)"
    exit 77
fi
. ./lib.sh

# One headless run with a profile of its own; no name is resolved, so even a
# request that slipped through could not leave the machine.
browse() { # out-file, args...
    local out=$1; shift
    local profile; profile=$(mktemp -d "$tmp/profile.XXXXXX")
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$profile" "$@" >"$out" 2>"$out.err"
    local rc=$?
    rm -rf "$profile"
    return $rc
}

W=../fixtures/westrom-2023/dossier.xml
"$RHV" check -o "$tmp/w.html" -o "$tmp/w.txt" -o "$tmp/w.json" "$W" 2>/dev/null; rc=$?
[ "$rc" -eq 0 ] && ok "westrom: html, text and json in one run, exit 0" || bad "westrom: exit $rc"
# The report records its own command line: compare the rest.
cmp -s <("$RHV" check "$W" 2>/dev/null | grep -v '^  Opdracht:') <(grep -v '^  Opdracht:' "$tmp/w.txt") \
    && ok "-o x.txt is the text report" || bad "-o x.txt differs from stdout"

browse "$tmp/w.dom" --log-net-log="$tmp/w.netlog" --dump-dom "file://$tmp/w.html" &&
    ok "chromium renders the report" || { bad "chromium failed"; cat "$tmp/w.dom.err"; }

# The page's own requests: URL requests whose network isolation key is the
# file:// page (the browser's background requests have none).
page_requests() { # netlog
    python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
start = d["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
for e in d["events"]:
    p = e.get("params", {})
    if e["type"] == start and "file://" in p.get("network_isolation_key", "") \
            and not p.get("url", "").startswith("file:"):
        print(p["url"])
EOF
}
cat >"$tmp/control.html" <<'EOF'
<!DOCTYPE html><html><head><link rel="stylesheet" href="https://rhv-control.invalid/s.css"></head>
<body><p>control</p><img src="http://rhv-control.invalid/x.png"></body></html>
EOF
browse "$tmp/c.dom" --log-net-log="$tmp/c.netlog" --dump-dom "file://$tmp/control.html"
n=$(page_requests "$tmp/c.netlog" | grep -c rhv-control.invalid)
[ "$n" -ge 2 ] && ok "control page: its 2 requests are seen in the net-log" || bad "control page: $n requests seen"
reqs=$(page_requests "$tmp/w.netlog")
[ -z "$reqs" ] && ok "report page: no network request" || bad "report page made requests: $reqs"

# Nothing to fetch in the file itself: no attribute that loads, no url() or
# @import in the style, the CSP that forbids every fetch.
python3 - "$tmp/w.html" <<'EOF' && ok "no reference to fetch; CSP default-src 'none'" || bad "the HTML refers to something"
import sys
from html.parser import HTMLParser
LOADING = {"src", "href", "srcset", "poster", "data", "action", "formaction", "background", "xlink:href"}
bad = []
class P(HTMLParser):
    in_style = False
    csp = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "link", "iframe", "object", "embed", "img", "base"):
            bad.append(tag)
        bad.extend(k for k in a if k in LOADING or k.startswith("on"))
        if "url(" in (a.get("style") or ""):
            bad.append("style url(")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = a.get("content", "").startswith("default-src 'none'")
        self.in_style = tag == "style"
    def handle_endtag(self, tag):
        self.in_style = False
    def handle_data(self, d):
        if self.in_style and ("url(" in d or "@import" in d):
            bad.append("css url/import")
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
if bad or not p.csp:
    print("found:", bad, "csp:", p.csp)
    sys.exit(1)
EOF

# The page says what the text report says: every paragraph and heading of
# it, each finding's first line and every source with its amount (the page
# lists them all: "Bron (N)" counts the text's five and "en nog"), every rule
# with its status, the Reikwijdte, the Herkomst and the Meldingen word for
# word, each Lua file's role, name, path and sha256. Given the rendered DOM,
# or the file itself (it has no script: the same text).
same_words() { # html, txt
    python3 - "$1" "$2" <<'EOF'
import re, sys
from html.parser import HTMLParser
class T(HTMLParser):
    def __init__(self):
        super().__init__(); self.parts = []; self.skip = 0
    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title"): self.skip += 1
        self.parts.append(" ")
    def handle_endtag(self, tag):
        if tag in ("style", "title"): self.skip -= 1
        self.parts.append(" ")
    def handle_data(self, d):
        if not self.skip: self.parts.append(d)
t = T(); t.feed(open(sys.argv[1], encoding="utf-8").read()); t.close()
norm = lambda s: " ".join(s.split())
page = norm("".join(t.parts))
text = open(sys.argv[2], encoding="utf-8").read()
missing = []
section = None
blocks = [b for b in text.split("\n\n") if b.strip()]
for b in blocks:
    lines = b.split("\n")
    if len(lines) >= 2 and set(lines[1]) <= set("=-") and lines[1]:
        want = [lines[0]]                      # a heading
        section = lines[0]
    elif section in ("Reikwijdte", "Meldingen bij de invoer"):
        want = [" ".join(lines)]               # word for word, lists and all
    elif section == "Herkomst":
        lua = lines.index("  Lua-bestanden:")
        want = [" ".join(lines[:lua + 1])]
        for l in lines[lua + 1:]:
            m = re.match(r"\s+(\S+) (\S+): (.*)$", l) or re.match(r"\s+sha256 (\S+)$", l)
            want += list(m.groups()) if m else [l]
    elif section == "Regels":
        want = [" ".join(m.groups()) for l in lines
                if (m := re.match(r"  (ok|mislukt|overgeslagen|geen gegevens) +(\S+)", l))]
    elif not b.startswith(" "):
        want = [" ".join(lines)]               # a paragraph
    elif re.match(r"\s+\d+\. ", lines[0]):     # a finding: first line, kind line, each source
        want = [lines[0].strip(), lines[1].strip()]
        shown, more = 0, 0
        for l in lines:
            m = re.match(r"\s*Bron: (\S+:\d+)(?: \((.*?)\))?(?:: (€ \S+))?$", l)
            if m:
                shown += 1
                want += [x for x in m.groups() if x]
            m = re.match(r"\s*en nog (\d+) boeking(en)?$", l)
            if m:
                more = int(m.group(1))
        if shown:
            want.append(f"Bron ({shown + more})")
    else:
        continue
    missing += [w for w in want if norm(w) not in page]
if missing:
    print("missing from the page:", *missing[:10], sep="\n  ")
    sys.exit(1)
EOF
}
same_words "$tmp/w.dom" "$tmp/w.txt" && ok "rendered text holds every paragraph, heading, finding, source, rule, Reikwijdte, Herkomst of the text report" \
    || bad "rendered text differs from the text report"
python3 - "$tmp/w.dom" "$tmp/w.json" <<'EOF' && ok "rendered page has the key figures (from the JSON of the same run)" || bad "key figures missing"
import json, sys
page = " ".join(open(sys.argv[1], encoding="utf-8").read().replace("&nbsp;", " ").replace("\xa0", " ").split())
j = json.load(open(sys.argv[2]))
def eur(c):
    s = "-" if c < 0 else ""
    e, ct = divmod(abs(c), 100)
    return f"€ {s}{e:,}".replace(",", ".") + f",{ct:02d}"
def half_away(n, d):
    return (2 * n + d) // (2 * d)
t, g = j["totals"], j["verantwoordingsgrens"]["amount_cents"]
pm = half_away(half_away(t["total_cents"] * 10000, g), 10)
figures = [eur(t["total_cents"]), eur(g), eur(j["headroom_cents"]), eur(t["fouten_cents"]),
           eur(t["onzekerheden_cents"]), eur(t["acceptabel_cents"]), f"{pm // 10},{pm % 10}%"]
missing = [f for f in figures if f not in page]
print(*missing)
sys.exit(1 if missing else 0)
EOF

# A partial check: the notice first, the figure and the Uitkomst over the
# checked part, the rules not run; a finding whose rule listed 3 of its
# transactions: "en nog N boekingen" with the rest's amount, adding up.
"$RHV" check -q --rules 'aanbesteding.*' -a aanbesteding.eu.max_bewijs=3 -o "$tmp/p.html" -o "$tmp/p.txt" \
    -o "$tmp/p.json" "$W"
same_words "$tmp/p.html" "$tmp/p.txt" && ok "partial: the page holds the text report" || bad "partial: page and text differ"
python3 - "$tmp/p.html" "$tmp/p.json" <<'EOF' && ok "partial: notice first, figure labelled, en nog N boekingen, amounts add up" || bad "partial: notice, figure or evidence wrong"
import json, re, sys
h = open(sys.argv[1], encoding="utf-8").read().replace("&nbsp;", " ")
j = json.load(open(sys.argv[2]))
bad = []
first_p = re.search(r"<h1>.*?</h1>\n<p[^>]*>(.*?)</p>", h, re.S)
if not (first_p and first_p.group(0).count('class="warn"') == 1 and first_p.group(1).startswith("LET OP: deze controle is onvolledig")):
    bad.append("notice not first")
if "Alleen het gecontroleerde deel" not in re.search(r"<figcaption>(.*?)</figcaption>", h, re.S).group(1):
    bad.append("figure not labelled")
cents = lambda s: int(s.replace("€", "").replace(".", "").replace(",", "").strip())
f = next(f for f in j["findings"] if f["evidence_omitted"]["count"] > 0)
sec = next(s for s in h.split('<section class="bevinding"') if f["subject"] in s.split("</h3>")[0])
sec = sec.split("</section>")[0]
amounts = [cents(a) for a in re.findall(r'<td class="num">(€ [\d.,-]+)</td>', sec)]
om = f["evidence_omitted"]
if f"en nog {om['count']} boekingen" not in sec:
    bad.append("no en nog")
if sum(amounts) != f["amount_cents"]:
    bad.append(f"sources add up to {sum(amounts)}, not {f['amount_cents']}")
print(*bad)
sys.exit(1 if bad else 0)
EOF

# Findings handled across runs (docs/handled.md): a beoordelingen file, --vorige
# and --als in one run. The page holds the text's words, each finding's
# fingerprint and what is said beside it, the Afgehandeld list, the
# Vergelijking's figures and the vervallen finding; the scenario banner
# comes first, and printed it stands on every page.
. ./handled_inputs.sh
handled_inputs "$RHV" "$tmp/hd"
"$RHV" check -q --peildatum 2024-03-01 --vorige "$tmp/hd/prev.json" --als "$tmp/hd/scenario.xml" \
    -o "$tmp/h.html" -o "$tmp/h.txt" -o "$tmp/h.json" "$tmp/hd/dossier.xml"
same_words "$tmp/h.html" "$tmp/h.txt" && ok "handled: the page holds the text report" || bad "handled: page and text differ"
python3 - "$tmp/h.html" "$tmp/h.txt" "$tmp/h.json" <<'EOF2' && ok "handled: banner first, notes beside each finding, Afgehandeld, Vergelijking" || bad "handled: the page lacks what the text says"
import json, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
page = " ".join(re.sub(r"<[^>]+>", " ", h).replace("&nbsp;", " ").replace("&quot;", '"').split())
text = open(sys.argv[2], encoding="utf-8").read()
j = json.load(open(sys.argv[3]))
bad = []
first = re.search(r"<h1>.*?</h1>\n<p class=\"([^\"]*)\">SCENARIO ", h)
if not (first and first.group(1) == "scenario"):
    bad.append("banner not first")
# Each note line of the text (a wrapped Beoordeling joined), word for word.
notes, cur = [], None
for l in text.split("\n"):
    m = re.match(r" {7}((Vingerafdruk|Beoordeling|Vorige rapportage|SCENARIO): .*)$", l)
    if m:
        cur = [m.group(1)]; notes.append(cur)
    elif cur is not None and re.match(r" {7}\S", l) and cur[0].startswith("Beoordeling"):
        cur.append(l.strip())
    else:
        cur = None
want = [" ".join(n) for n in notes]
nfp = len([w for w in want if w.startswith("Vingerafdruk")])
if nfp != len(j["findings"]) + len(j["vergelijking"]["vervallen_findings"]):
    bad.append(f"{nfp} fingerprints in the text for {len(j['findings'])} findings")
for f in j["findings"]:
    if f'data-vingerafdruk="{f["fingerprint"]}"' not in h:
        bad.append("no section for " + f["fingerprint"])
gone = {"Vingerafdruk: " + v["fingerprint"] for v in j["vergelijking"]["vervallen_findings"]}
want = [w for w in want if w not in gone]  # a table row in the page, checked by fingerprint below
want += ["Afgehandeld: onterecht of al geregistreerd (telt niet mee)", "Vergelijking met de vorige rapportage",
         j["vergelijking"]["vervallen_findings"][0]["fingerprint"]]
def eur(c):
    s = "-" if c < 0 else ""
    e, ct = divmod(abs(c), 100)
    return f"€ {s}{e:,}".replace(",", ".") + f",{ct:02d}"
bad += ["missing: " + w for w in want if " ".join(w.split()) not in page]
# The Vergelijking as tables: each total then, now and the difference (as the
# JSON of the same run); each vervallen finding's row with its fingerprint.
cell = lambda s: " ".join(re.sub(r"<[^>]+>", " ", s).replace("&nbsp;", " ").split())
tab = re.search(r'<table class="vergelijking">(.*?)</table>', h, re.S)
rows = {cell(m.group(1)): [cell(x) for x in re.findall(r"<td[^>]*>(.*?)</td>", m.group(2))]
        for m in re.finditer(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', tab.group(1) if tab else "")}
v = j["vergelijking"]
now = dict(j["totals"], headroom_cents=j["headroom_cents"])
for label, k in (("Fouten", "fouten_cents"), ("Onzekerheden", "onzekerheden_cents"),
                 ("Totaal dat meetelt", "total_cents"), ("Ruimte", "headroom_cents")):
    if rows.get(label) != [eur(v["vorige"][k]), eur(now[k]), eur(v["verschil"][k])]:
        bad.append(f"Vergelijking row {label}: {rows.get(label)}")
vt = re.search(r'<table class="vervallen">(.*?)</table>', h, re.S)
for p in v["vervallen_findings"]:
    if not vt or f'<td class="hash">{p["fingerprint"]}</td>' not in vt.group(1):
        bad.append("vervallen row for " + p["fingerprint"])
# A finding a beoordeling dropped is marked so, and only those.
dropped = set(re.findall(r'<section class="bevinding afgehandeld" data-vingerafdruk="([^"]*)"', h))
if dropped != {f["fingerprint"] for f in j["findings"] if f["afgehandeld"]} or not dropped:
    bad.append(f"afgehandeld sections: {sorted(dropped)}")
print(*bad, sep="\n")
sys.exit(1 if bad else 0)
EOF2
if command -v pdftotext >/dev/null; then
    browse "$tmp/hp.out" --no-pdf-header-footer --print-to-pdf="$tmp/h.pdf" "file://$tmp/h.html"
    pages=$(pdfinfo "$tmp/h.pdf" | sed -n 's/^Pages: *//p')
    marked=$(pdftotext "$tmp/h.pdf" - | grep -c 'SCENARIO "Aanbesteding catering fout": wat-als-berekening, geen rechtmatigheidsverantwoording')
    [ "${pages:-0}" -ge 2 ] && [ "$marked" = "$pages" ] && ok "handled: printed, the scenario is marked on each of $pages pages" \
        || bad "handled: the scenario is on $marked of ${pages:-?} printed pages"
    browse "$tmp/wp.out" --no-pdf-header-footer --print-to-pdf="$tmp/w2.pdf" "file://$tmp/w.html"
    pdftotext "$tmp/w2.pdf" - | grep -q 'SCENARIO' && bad "no scenario, yet a page says SCENARIO" \
        || ok "no scenario: no page says SCENARIO"
fi
# A scenario name that would end the CSS string, the <style> and start an
# element stays text: in the banner on the page and in every page's margin.
sed 's|naam="[^"]*"|naam="Q\&quot;}\&lt;/style\&gt;\&lt;b\&gt;\&amp;\\ x"|' "$tmp/hd/scenario.xml" >"$tmp/hd/evil.xml"
"$RHV" check -q --peildatum 2024-03-01 --als "$tmp/hd/evil.xml" -o "$tmp/e.html" "$tmp/hd/dossier.xml"
browse "$tmp/e.dom" --dump-dom "file://$tmp/e.html"
grep -q '<p class="scenario">SCENARIO "Q"}&lt;/style&gt;&lt;b&gt;&amp;\\ x" (' "$tmp/e.dom" && ! grep -q '<b>' "$tmp/e.dom" \
    && ok "a scenario name with markup stays text in the banner" || bad "a scenario name with markup was not escaped"
if command -v pdftotext >/dev/null; then
    browse "$tmp/ep.out" --no-pdf-header-footer --print-to-pdf="$tmp/e.pdf" "file://$tmp/e.html"
    pages=$(pdfinfo "$tmp/e.pdf" | sed -n 's/^Pages: *//p')
    marked=$(pdftotext "$tmp/e.pdf" - | grep -cF 'SCENARIO "Q"}</style><b>&\ x": wat-als-berekening, geen rechtmatigheidsverantwoording')
    [ "${pages:-0}" -ge 2 ] && [ "$marked" = "$pages" ] && ok "a scenario name with markup: printed as text on each of $pages pages" \
        || bad "a scenario name with markup: on $marked of ${pages:-?} printed pages"
fi

# A dossier alone: rules skipped and without data ("geen gegevens", marked),
# and a plausibility warning in the Meldingen.
"$RHV" check -q -o "$tmp/m.html" -o "$tmp/m.txt" fixtures/dossiers/mini-binnen.xml
same_words "$tmp/m.html" "$tmp/m.txt" && grep -q '<td class="status-geen-gegevens">geen gegevens</td><td>wnt.bezoldiging</td>' "$tmp/m.html" \
    && grep -q '<h2>Meldingen bij de invoer</h2>' "$tmp/m.html" && ok "no data: geen gegevens, Reikwijdte and Meldingen as in the text" \
    || bad "no data: page and text differ"
# A grens outside 0,5% to 3%: the LET OP as a warning, the warning listed.
sed 's/grens_percentage="3.00"/grens_percentage="5.00"/' fixtures/dossiers/mini-binnen.xml >"$tmp/pct.xml"
"$RHV" check -q -o "$tmp/pct.html" -o "$tmp/pct.txt" "$tmp/pct.xml"
same_words "$tmp/pct.html" "$tmp/pct.txt" && grep -q '<p class="warn">LET OP: een percentage van de verantwoordingsgrens ligt buiten 0,5% tot 3%' "$tmp/pct.html" \
    && grep -q 'grens_percentage=&quot;5.00%&quot; is above 3%' "$tmp/pct.html" && ok "implausible grens: LET OP and the warning" \
    || bad "implausible grens: LET OP or warning missing"
# Herkomst: the digests are those of the binary and of the Lua files.
python3 - "$tmp/w.html" "$(realpath "$RHV")" <<'EOF' && ok "Herkomst: binary and Lua files with their own sha256" || bad "Herkomst: a digest is wrong"
import hashlib, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
ok = f"<li>programma sha256 {sha(sys.argv[2])}</li>" in h
rows = re.findall(r'<tr><td>(library|rule|parameters)</td><td>[^<]*</td><td>([^<]*)</td><td class="hash">([0-9a-f]{64})</td></tr>', h)
ok = ok and len(rows) >= 10 and all(sha(p) == d for _, p, d in rows)
print(len(rows), "Lua files")
sys.exit(0 if ok else 1)
EOF

# A toelichting with markup stays text: no script runs, no element is made.
mkdir -p "$tmp/evil"
cp ../fixtures/westrom-2023/grootboek-2023.xaf "$tmp/evil/"
sed 's|omschrijving="Inhuur gestart[^"]*"|omschrijving="\&lt;script\&gt;document.title=\&quot;PWNED\&quot;\&lt;/script\&gt;\&lt;img src=x onerror=alert(1)\&gt; \&amp; klaar"|; s|onderwerp="Inhuur projectleider"|onderwerp="\&lt;b\&gt;Vet\&lt;/b\&gt; projectleider"|' \
    ../fixtures/westrom-2023/dossier.xml >"$tmp/evil/dossier.xml"
grep -q '&lt;script&gt;' "$tmp/evil/dossier.xml" && ok "evil dossier made" || bad "evil dossier not made"
"$RHV" check -q -o "$tmp/evil/r.html" "$tmp/evil/dossier.xml"
browse "$tmp/evil.dom" --dump-dom "file://$tmp/evil/r.html"
if grep -q '&lt;script&gt;document.title' "$tmp/evil.dom" && ! grep -qi '<script' "$tmp/evil.dom" \
   && ! grep -qi '<img' "$tmp/evil.dom" && ! grep -q '<b>' "$tmp/evil.dom" \
   && grep -q '&lt;b&gt;Vet&lt;/b&gt; projectleider' "$tmp/evil.dom" && ! grep -q 'PWNED</title>' "$tmp/evil.dom"; then
    ok "a <script> toelichting and a <b> onderwerp stay text"
else
    bad "markup from the input was not escaped"
fi

# Print: A4 pages, the folded sources printed too.
browse "$tmp/p.out" --no-pdf-header-footer --print-to-pdf="$tmp/w.pdf" "file://$tmp/w.html"
python3 - "$tmp/w.pdf" <<'EOF' && ok "print to PDF: A4 pages" || bad "print to PDF is not A4"
import re, sys
pdf = open(sys.argv[1], "rb").read()
boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
ok = boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)
print("pages:", len(boxes), boxes[:1])
sys.exit(0 if ok and len(boxes) >= 2 else 1)
EOF
if command -v pdftotext >/dev/null; then
    pdftotext "$tmp/w.pdf" "$tmp/w.pdf.txt"
    grep -q "grootboek-2023.xaf:628" "$tmp/w.pdf.txt" && grep -q "Bijlage: afwijkingen onder de rapportagegrens" "$tmp/w.pdf.txt" \
        && ok "print to PDF: sources unfolded, bijlage present" || bad "print to PDF lacks the sources"
fi

browse "$tmp/s.out" --window-size=1100,1400 --hide-scrollbars --screenshot="$tmp/w.png" "file://$tmp/w.html"
[ "$(head -c 8 "$tmp/w.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] && ok "screenshot is a PNG" || bad "no screenshot"

finish
