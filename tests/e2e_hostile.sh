#!/usr/bin/env bash
# End-to-end: hostile rules (tests/fixtures/rules/hostile/, issue 8) next to the
# real rules on the Westrom dossier. Each must end with status error and a
# clear message, while the real rules give exactly their usual findings; rhv
# exits 2, within bounded time and memory. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
. ./lib.sh
W=../fixtures/westrom-2023/dossier.xml
others='[.findings[] | select(.rule | startswith("hostile.") | not)]'
statuses='[.rules[] | select(.id | startswith("hostile.") | not) | {id, status}]'

"$RHV" check --format json --rules-dir ../rules "$W" >"$tmp/base.json" 2>/dev/null
jq -S "$others" "$tmp/base.json" >"$tmp/base.findings"
jq -S "$statuses" "$tmp/base.json" >"$tmp/base.status"
[ -s "$tmp/base.findings" ] && ok "baseline run" || bad "baseline run"

# file, expected message part
check_one() {
    local f=$1 needle=$2 d="$tmp/rules-${1%.lua}"
    mkdir -p "$d"
    cp ../rules/*.lua "$d/"
    cp "fixtures/rules/hostile/$f" "$d/"
    local start=$SECONDS
    /usr/bin/time -f "%M" -o "$tmp/rss" timeout 120 "$RHV" check --format json --rules-dir "$d" "$W" \
        >"$tmp/out.json" 2>"$tmp/err"
    local rc=$? secs=$((SECONDS - start)) rss
    rss=$(tail -1 "$tmp/rss")
    [ "$rc" -eq 2 ] && ok "$f: exit 2" || { bad "$f: exit $rc"; head -5 "$tmp/err"; return; }
    [ "$secs" -le 60 ] && ok "$f: done in ${secs}s" || bad "$f: took ${secs}s"
    [ "${rss:-0}" -le 1572864 ] && ok "$f: max RSS ${rss} KiB" || bad "$f: max RSS ${rss} KiB"
    if jq -e --arg n "$needle" '[.rules[] | select(.id | startswith("hostile."))] | length == 1 and
            .[0].status == "error" and (.[0].message | contains($n))' "$tmp/out.json" >/dev/null; then
        ok "$f: status error, '$needle'"
    else
        bad "$f: want error with '$needle', got: $(jq -c '[.rules[] | select(.id | startswith("hostile.")) | {status, message}]' "$tmp/out.json")"
    fi
    jq -S "$others" "$tmp/out.json" | cmp -s - "$tmp/base.findings" && ok "$f: other rules' findings unchanged" \
        || bad "$f: other rules' findings differ"
    jq -S "$statuses" "$tmp/out.json" | cmp -s - "$tmp/base.status" && ok "$f: other rules' status unchanged" \
        || bad "$f: other rules' status differs"
}

check_one index_subject.lua "rhv.finding: subject must be a non-empty string"
check_one index_evidence.lua "rhv.finding: evidence[1].file must be a string"
check_one index_legal.lua "field 'legal_basis.text': missing"
check_one len_reads.lua "field 'reads': missing"
check_one long_requires.lua "field 'requires': more than 1000 entries"
check_one findings_flood.lua "the findings of this rule take more than 67108864 bytes"
check_one params_path.lua "'../params/eu_drempels' is not a parameter table name"
check_one forged_line.lua "rhv.finding: subject must be one line"
check_one escape_message.lua "rhv.finding: message has a control character (byte 27 at offset 0)"
check_one escape_title.lua "field 'title': has a control character (byte 27 at offset 16)"

finish
