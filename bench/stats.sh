# shellcheck shell=sh
# bench/stats.sh - sourced by the bench scripts, so that every figure they call
# a median is the same median, and the paired benches print alike.
#
# median: the median of the numbers on standard input, one a line (an even
# count: the mean of the two middle ones); nothing for no input.
# each_line FILE EXPR: EXPR, an awk expression over a line's fields ($1, $2, ...),
# for each line of FILE, one a line (to pipe into median).
# largest FILE N: the largest value of field N of FILE.
# paired_lines FILE XLABEL RLABEL XT XK RT RK: the three lines of a paired
# bench (paired.sh, years.sh) from FILE, a line a pair, whose fields XT and XK
# are xmllint's seconds and peak KiB and RT and RK rhv's: each median wall time
# with the largest peak, and the median of the per-pair ratios; the labels
# padded to XLABEL's width.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
each_line() { awk "{ print $2 }" "$1"; }
largest() { awk -v f="$2" '$f > m { m = $f } END { print m + 0 }' "$1"; }
paired_lines() {
  w=$((${#2} + 2))
  printf "%-${w}smedian %.2f s  peak %.1f MiB\n" "$2" "$(each_line "$1" "\$$4" | median)" \
    "$(echo "$(largest "$1" "$5") / 1024" | bc -l)"
  printf "%-${w}smedian %.2f s  peak %.1f MiB\n" "$3" "$(each_line "$1" "\$$6" | median)" \
    "$(echo "$(largest "$1" "$7") / 1024" | bc -l)"
  printf "%-${w}smedian of %d pairs %.2fx\n" "ratio rhv/xmllint" "$(wc -l < "$1")" \
    "$(each_line "$1" "\$$6 / \$$4" | median)"
}
