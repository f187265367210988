#!/usr/bin/env bash
# End-to-end: hostile rules (tests/fixtures/rules/hostile/, issue 8) are
# contained. `rhv check` on the Westrom dossier with the default rules plus
# every hostile rule: each hostile rule has status error with the message of
# the limit it hit, the other rules have the statuses and findings of a run
# without them, the exit code is 2, and the run is bounded in time, memory
# and output. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
. ./lib.sh

W=../fixtures/westrom-2023/dossier.xml
H=fixtures/rules/hostile

"$RHV" check --format json "$W" >"$tmp/base.json" 2>"$tmp/base.err"; rc=$?
[ "$rc" -eq 0 ] && ok "baseline: exit 0" || { bad "baseline: exit $rc"; cat "$tmp/base.err"; }

start=$(date +%s%N)
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o "$tmp/rss" "$RHV" check --format json --rules-dir "$H" "$W" >"$tmp/h.json" 2>"$tmp/h.err"
else
    "$RHV" check --format json --rules-dir "$H" "$W" >"$tmp/h.json" 2>"$tmp/h.err"
fi
rc=$?
secs=$(( ($(date +%s%N) - start) / 1000000000 ))
[ "$rc" -eq 2 ] && ok "hostile: exit 2 (incomplete report)" || bad "hostile: exit $rc"

status() { # id, message fragment: the rule is an error with that message
    if jq -e --arg id "$1" --arg m "$2" \
        '[.rules[] | select(.id == $id and .status == "error" and (.message | contains($m)))] | length == 1' \
        "$tmp/h.json" >/dev/null; then
        ok "$1: error '$2'"
    else
        bad "$1: not an error with '$2': $(jq -c --arg id "$1" '.rules[] | select(.id == $id) | {status, message}' "$tmp/h.json")"
    fi
}
# §2: the xpcall handler and the __close run no more once the budget is spent.
status hostile.handler_lus "hostile.handler_lus.lua:16: instruction budget of 50000000 exceeded"
# §2: time inside a C function: the wall-clock limit per call.
status hostile.c_tijd "hostile.c_tijd.lua:16: time limit of 5000 ms exceeded (in 'sort')"
# §3: unbounded work in the library.
status hostile.patroon "hostile.patroon.lua:21: string.find: the pattern takes more than 50000000 steps"
status hostile.tabel "hostile.tabel.lua:14: table.move: more than 50000000 elements in one call"
# §5: unbounded output.
status hostile.uitvoer "output limit of 1048576 bytes exceeded"

same() { # description, jq expression applied to both reports
    if [ "$(jq -S "$2" "$tmp/base.json")" = "$(jq -S "$2" "$tmp/h.json")" ]; then ok "$1"; else bad "$1"; fi
}
same "the other rules: same statuses" '[.rules[] | select(.id | startswith("hostile.") | not) | {id, status}]'
same "the other rules: same findings" '.findings'
same "same totals and verdict" '{totals, verdict}'

[ "$secs" -le 30 ] && ok "bounded in time (${secs} s)" || bad "took ${secs} s"
if [ -f "$tmp/rss" ]; then
    kb=$(tail -n 1 "$tmp/rss")
    [ "$kb" -le 1048576 ] && ok "bounded in memory ($((kb / 1024)) MiB peak)" || bad "peak ${kb} KiB"
fi
bytes=$(wc -c <"$tmp/h.err")
[ "$bytes" -le 1200000 ] && ok "bounded output (${bytes} bytes on stderr)" || bad "stderr ${bytes} bytes"
grep -q '^\[hostile.uitvoer\] output limit of 1048576 bytes reached' "$tmp/h.err" && ok "output: the notice is written" \
    || bad "output: no notice"

finish
