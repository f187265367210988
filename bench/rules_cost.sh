#!/bin/sh
# bench/rules_cost.sh - what each ledger rule adds to `rhv check` on a ledger:
# the median CPU time (user + sys) and wall time of all default rules against
# all but that rule, in interleaved runs (so that the load of a shared machine
# weighs on every variant alike), and of the reading alone (a selection that
# reads no ledger record: begroting.lasten, skipped without a dossier, so only
# the parse and the hash of the file run).
#
# usage: bench/rules_cost.sh FILE [RUNS] [RULE...]
#        (default 5 runs; rules aanbesteding.eu facturen.dubbel xaf.integriteit,
#        the default rules that read xaf.trLine)
# env:   RHV=path/to/rhv (default: the release build, bench/release.sh)
#
# A rule's cost is "all" minus "all but it": its own work plus what the
# records cost to hand to it (queue, aggregation, hand-over), not the parse.
set -eu
FILE=${1:?usage: rules_cost.sh FILE [RUNS] [RULE...]}
RUNS=${2:-5}
if [ $# -ge 2 ]; then shift 2; else shift 1; fi
[ $# -gt 0 ] || set -- aanbesteding.eu facturen.dubbel xaf.integriteit
HERE=$(cd "$(dirname "$0")" && pwd)
RHV=${RHV:-$("$HERE/release.sh")}
# shellcheck source=bench/stats.sh
. "$HERE/stats.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# one NAME SELECTION: appends "wall cpu" of one run to $T/NAME.
one() {
  /usr/bin/time -f '%e %U %S' -o "$T/t" "$RHV" check --rules "$2" "$FILE" >/dev/null 2>&1 || true
  tail -n 1 "$T/t" | awk '{printf "%s %.2f\n", $1, $2 + $3}' >> "$T/$1"
}
i=0
while [ "$i" -lt "$RUNS" ]; do
  one all '*'
  for r in "$@"; do one "not-$r" "not $r"; done
  one reading begroting.lasten
  i=$((i + 1))
done
wall() { cut -d' ' -f1 "$T/$1" | median; }
cpu() { cut -d' ' -f2 "$T/$1" | median; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $RUNS interleaved runs each; medians"
printf '%-28s %8s %8s\n' "selection" "wall s" "cpu s"
printf '%-28s %8s %8s\n' "all default rules" "$(wall all)" "$(cpu all)"
for r in "$@"; do
  printf '%-28s %8s %8s   %s adds: cpu %s s, wall %s s\n' "all but $r" "$(wall "not-$r")" "$(cpu "not-$r")" "$r" \
    "$(echo "$(cpu all) $(cpu "not-$r")" | awk '{printf "%.2f", $1 - $2}')" \
    "$(echo "$(wall all) $(wall "not-$r")" | awk '{printf "%.2f", $1 - $2}')"
done
printf '%-28s %8s %8s\n' "reading alone" "$(wall reading)" "$(cpu reading)"
