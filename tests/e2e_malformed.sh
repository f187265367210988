#!/usr/bin/env bash
# End-to-end: a file that is not well-formed XML (tests/fixtures/malformed/)
# gets exactly one message, in rhv's words, at the line where the mistake is
# noticed, saying how to fix it; `rhv check` exits 2. Well-formed escapes in
# an attribute read as their characters. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
. ./lib.sh
M=fixtures/malformed

# file | line | the one message (jq regex)
while IFS='|' read -r file line re; do
  "$RHV" check -q --format json "$M/$file" >"$tmp/o.json" 2>"$tmp/o.err"; rc=$?
  [ "$rc" -eq 2 ] && ok "$file: exit 2" || bad "$file: exit $rc"
  n=$(jq '[.diagnostics[]] | length' "$tmp/o.json" 2>/dev/null)
  [ "$n" = 1 ] && ok "$file: one message" || { bad "$file: $n messages"; jq -c '.diagnostics' "$tmp/o.json"; }
  if jq -e --arg re "$re" --argjson line "$line" \
       '.diagnostics[0] | .level == "error" and .line == $line and (.message | test($re))' "$tmp/o.json" >/dev/null; then
    ok "$file: line $line, '$re'"
  else
    bad "$file: want line $line '$re', got $(jq -c '.diagnostics[0] | [.line, .message]' "$tmp/o.json")"
  fi
  # The same single line on stderr when not quiet.
  "$RHV" check --format json "$M/$file" 2>"$tmp/e.err" >/dev/null
  [ "$(wc -l <"$tmp/e.err")" -eq 1 ] && ok "$file: one line on stderr" || bad "$file: stderr $(cat "$tmp/e.err")"
done <<'LIST'
latin1-as-utf8.xml|12|^the file is not UTF-8 at line 12, byte 0xEB \(ë in Latin-1\?\): save it as UTF-8 or declare encoding="ISO-8859-1"$
bare-ampersand.xml|12|write & as &amp;
unclosed-programma.xml|20|element <programma> opened at line 12 is not closed
unclosed-vat.xaf|54|element <vat> opened at line 53 is not closed
no-end-tag.xml|21|element <dossier> opened at line 5 is not closed \(the file ends\)
LIST

# UTF-16: refused before any parse, on the command line and as a dossier's ledger.
"$RHV" check "$M/utf16.xml" >/dev/null 2>"$tmp/u.err"; rc=$?
[ "$rc" -eq 2 ] && ok "utf16: exit 2" || bad "utf16: exit $rc"
if [ "$(cat "$tmp/u.err")" = "$M/utf16.xml: error: UTF-16 is not supported: save as UTF-8" ]; then
  ok "utf16: one message"
else
  bad "utf16: $(cat "$tmp/u.err")"
fi
"$RHV" check -q --format json "$M/dossier-utf16-ledger.xml" >"$tmp/l.json"; rc=$?
[ "$rc" -eq 2 ] && ok "utf16 ledger: exit 2" || bad "utf16 ledger: exit $rc"
if jq -e '[.diagnostics[] | select(.file | endswith("utf16-ledger.xaf"))] | length == 1 and .[0].message == "UTF-16 is not supported: save as UTF-8"' "$tmp/l.json" >/dev/null; then
  ok "utf16 ledger: one message"
else
  bad "utf16 ledger: $(jq -c '.diagnostics' "$tmp/l.json")"
fi

# Well-formed escapes in an attribute read as the characters they stand for
# (libxml2 hands "&amp;" on as "&#38;" unless told to replace entities).
mkdir -p "$tmp/amp"
cp ../fixtures/westrom-2023/grootboek-2023.xaf "$tmp/amp/"
sed 's|onderwerp="Inhuur projectleider"|onderwerp="A \&amp; B \&#38; C \&lt;x\&gt; \&quot;q\&quot; \&apos;"|' \
  ../fixtures/westrom-2023/dossier.xml >"$tmp/amp/dossier.xml"
"$RHV" check -q --format json "$tmp/amp/dossier.xml" >"$tmp/amp.json"
if jq -e '[.findings[] | select(.subject == "A & B & C <x> \"q\" '"'"'")] | length == 1' "$tmp/amp.json" >/dev/null; then
  ok "escapes in an attribute: &amp; &#38; &lt; &gt; &quot; &apos; read as & & < > \" '"
else
  bad "escapes in an attribute: $(jq -c '[.findings[].subject]' "$tmp/amp.json")"
fi

finish
