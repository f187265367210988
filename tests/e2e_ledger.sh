#!/usr/bin/env bash
# End-to-end: `rhv check` on small XAF ledgers alone, on broken ledgers, and
# on a dossier that names its ledger. The real exports in ../shared/reference
# are checked by e2e_reference.sh. Run by meson from tests/.
set -uo pipefail
RHV=${RHV:?set by meson}
cd "$(dirname "$0")"
. ./lib.sh

L=fixtures/ledgers
check_broken() { # file, regex the first error must match
  "$RHV" check -q --format json "$L/$1" >"$tmp/b.json"; rc=$?
  [ "$rc" -eq 2 ] && ok "$1: exit 2" || bad "$1: exit $rc"
  expect "$1: error names file:line and cause" \
    "[.diagnostics[] | select(.level == \"error\" and .line > 0 and (.file | endswith(\"$1\")) and (.message | test(\"$2\")))] | length >= 1" "$tmp/b.json"
}
check_broken bad_amount.xaf 'amount'
check_broken bad_date.xaf 'date'
check_broken malformed.xaf 'malformed'
check_broken missing_accid.xaf 'accID'
check_broken wrong_namespace.xaf 'example.org/XAF/9.9'
check_broken xaf40.xaf '4.0.*not supported'

"$RHV" check -q --format json "$L/mini_ok.xaf" >"$tmp/m.json"; rc=$?
[ "$rc" -eq 0 ] && ok "mini_ok: exit 0" || bad "mini_ok: exit $rc"

# A dossier naming its ledger: both hashed, the ledger rules run next to the dossier rules.
D=fixtures/dossiers
"$RHV" check -q --format json "$D/valid.xml" >"$tmp/d.json"; rc=$?
[ "$rc" -le 1 ] && ok "dossier with ledger: report made" || bad "dossier with ledger: exit $rc"
expect "dossier with ledger: both inputs hashed" '[.inputs[] | .kind] == ["dossier", "ledger"]' "$tmp/d.json"
expect "dossier with ledger: all rules ran" '[.rules[] | select(.status != "ok")] | length == 0' "$tmp/d.json"

finish
