# shellcheck shell=sh
# bench/median.sh - sourced by the bench scripts, so that every figure they call
# a median is the same median.
#
# median: the median of the numbers on standard input, one a line (an even
# count: the mean of the two middle ones); nothing for no input.
# each_line FILE EXPR: EXPR, an awk expression over a line's fields ($1, $2, ...),
# for each line of FILE, one a line (to pipe into median).
# largest FILE N: the largest value of field N of FILE.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
each_line() { awk "{ print $2 }" "$1"; }
largest() { awk -v f="$2" '$f > m { m = $f } END { print m + 0 }' "$1"; }
