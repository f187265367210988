#!/usr/bin/env bash
# End-to-end: the HTML report in a real browser (Debian's chromium, headless).
# Checks that the page renders the text report's words and figures, that it
# makes no network request (net-log of the page's own requests, with a
# control page that does make them, so the check is shown able to fail),
# that it has no reference to fetch at all, that a toelichting with markup
# stays text, and that printing gives A4 pages. Run by meson from tests/;
# exit 77 (skipped) when chromium is absent.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "skip: chromium is not installed (apt-get install chromium; ./dev installs it)"
    exit 77
fi
pass=0; fail=0
ok()   { echo "ok: $1"; pass=$((pass+1)); }
bad()  { echo "FAIL: $1"; fail=$((fail+1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

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

# The rendered page says what the text report says: every paragraph and
# heading of it, each finding's first line and every source, the key figures.
python3 - "$tmp/w.dom" "$tmp/w.txt" <<'EOF' && ok "rendered text holds every paragraph, heading, finding and source of the text report" || bad "rendered text differs from the text report"
import html, re, sys
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
t = T(); t.feed(open(sys.argv[1], encoding="utf-8").read())
norm = lambda s: " ".join(s.split())
page = norm("".join(t.parts))
text = open(sys.argv[2], encoding="utf-8").read()
missing = []
blocks = [b for b in text.split("\n\n") if b.strip()]
for b in blocks:
    lines = b.split("\n")
    if len(lines) >= 2 and set(lines[1]) <= set("=-") and lines[1]:
        want = [lines[0]]                      # a heading
    elif not b.startswith(" "):
        want = [" ".join(lines)]               # a paragraph
    elif re.match(r"\s+\d+\. ", lines[0]):     # a finding: first line, kind line, each source
        want = [lines[0].strip(), lines[1].strip()]
        for l in lines:
            m = re.match(r"\s*Bron: (\S+:\d+)(?: \((.*)\))?$", l)
            if m:
                want += [x for x in m.groups() if x]
    else:
        continue
    missing += [w for w in want if norm(w) not in page]
for fig in ["€ 1.048.211,75", "€ 1.440.266,39", "€ 392.054,64", "€ 861.811,75", "€ 186.400,00", "€ 13.210,55", "72,8%"]:
    if norm(fig) not in page:
        missing.append(fig)
if missing:
    print("missing from the rendered page:", *missing[:10], sep="\n  ")
    sys.exit(1)
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

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
