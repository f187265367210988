# lib.sh - what every tests/e2e_*.sh shares. Sourced (`. ./lib.sh`) after the
# script has changed to tests/, so relative fixture paths keep working.
#
# ok and bad print one line per check ("ok: ..." / "FAIL: ...") and count it;
# expect DESCRIPTION JQ-EXPRESSION FILE is ok when the expression is true on
# the file. $tmp is a fresh temporary folder, removed when the script exits.
# finish prints the tally and is the script's last command: its status is the
# test's (0 only when no check failed).
pass=0; fail=0
ok()   { echo "ok: $1"; pass=$((pass+1)); }
bad()  { echo "FAIL: $1"; fail=$((fail+1)); }
expect() { if jq -e "$2" "$3" >/dev/null 2>&1; then ok "$1"; else bad "$1 ($2)"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; }
