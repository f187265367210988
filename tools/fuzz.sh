#!/usr/bin/env bash
# tools/fuzz.sh BUILD_DIR [TARGET|all] [SECONDS] - build the libFuzzer targets
# (fuzz/) with clang, ASan and UBSan in BUILD_DIR and run them.
#   TARGET   dossier, xaf, money, date, rule, xlsx, csv, vorige, handled, or all (default)
#   SECONDS  per target (default 60); 0 runs the seed corpus only
# Seeds come from fixtures/, tests/fixtures, fuzz/regress/TARGET (inputs that once
# failed) and, when present, ../shared/reference (RHV_SHARED overrides). New inputs collect in BUILD_DIR/fuzz-corpus/TARGET,
# crashes in BUILD_DIR/fuzz-crashes/. Exit 1 when a target finds a crash.
# Called by `./dev fuzz` and by the test fuzz.smoke (docs/testing.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: tools/fuzz.sh BUILD_DIR [TARGET|all] [SECONDS]}
want=${2:-all}
secs=${3:-60}
all=(dossier xaf money date rule xlsx csv vorige handled)
case " ${all[*]} all " in *" $want "*) ;; *) echo "fuzz: unknown target '$want' (${all[*]} or all)" >&2; exit 2;; esac
[ "$want" = all ] && targets=("${all[@]}") || targets=("$want")

if [ ! -f "$dir/build.ninja" ]; then
  CC=clang meson setup "$dir" "$root" -Dfuzz=true -Dtests=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debugoptimized >/dev/null
fi
meson compile -C "$dir" >/dev/null

shared=${RHV_SHARED:-${RHV_SHARED_DEFAULT:-$root/../shared}}/reference
seeds() { # target -> seed dir, rebuilt on every run from the fixtures
  local t=$1 s="$dir/fuzz-seeds/$1"
  rm -rf "$s"; mkdir -p "$s"
  case $t in
  dossier)
    find "$root/fixtures" "$root/tests/fixtures/dossiers" -name '*.xml' -exec cp -t "$s" {} + ;;
  xaf)
    find "$root/fixtures" "$root/tests/fixtures" -name '*.xaf' -exec cp -t "$s" {} +
    [ -d "$shared" ] && find "$shared" \( -name '*.xaf' -o -name '*.xml' -o -name '*.xas' \) -exec cp -t "$s" {} +
    ;;
  money|date)
    # Every amount or date written in the fixtures, one per file.
    local re='-?[0-9][0-9.,]*'
    [ "$t" = date ] && re='[0-9]{4}-[0-9]{2}-[0-9]{2}([+-][0-9]{2}:[0-9]{2}|Z)?'
    { find "$root/fixtures" "$root/tests/fixtures" \( -name '*.xml' -o -name '*.xaf' \) -print0
      [ -d "$shared" ] && find "$shared" -name '*.xaf' -print0; } |
      xargs -0 grep -ohE "(\"|>)$re(\"|<)" | tr -d '"<>' | sort -u | head -2000 |
      awk -v d="$s" '{ f = sprintf("%s/%05d", d, NR); printf "%s", $0 > f; close(f) }'
    ;;
  rule)
    find "$root/rules" "$root/tests/fixtures" -name '*.lua' ! -name '*_test.lua' -exec cp --backup=numbered -t "$s" {} + ;;
  xlsx)
    # The fixtures' workbooks, the empty template and small dossiers converted to workbooks.
    find "$root/fixtures" "$root/tests/fixtures" -name '*.xlsx' -exec cp --backup=numbered -t "$s" {} +
    "$dir/core/rhv" template "$s/template.xlsx" >/dev/null 2>&1 || true
    for x in "$root"/tests/fixtures/dossiers/mini-*.xml "$root/tests/fixtures/dossiers/valid.xml"; do
      "$dir/core/rhv" convert "$x" -o "$s/$(basename "$x" .xml).xlsx" >/dev/null 2>&1 || true
    done
    # Each also as its list of parts (fuzz_xlsx.c), which mutations can change inside.
    python3 - "$s" <<'PY'
import os, re, sys, zipfile
d = sys.argv[1]
skip = ("comments", "vmlDrawing", "docProps", "theme", "Content_Types", "worksheets/_rels")
for f in sorted(os.listdir(d)):
    z = zipfile.ZipFile(os.path.join(d, f))
    parts = {i.filename: z.read(i) for i in z.infolist() if not any(k in i.filename for k in skip)}
    with open(os.path.join(d, f + ".parts"), "wb") as out:
        for name, body in parts.items():
            out.write(b"\n@@ " + name.encode() + b"\n" + body)
    # And a small one: the first sheet only (the organisation), so mutations are cheap.
    wb = parts["xl/workbook.xml"].decode()
    first = re.search(r"<sheet [^>]*/>", wb)
    if not first:
        continue
    parts["xl/workbook.xml"] = re.sub(r"<sheet [^>]*/>", "", wb).replace("<sheets>", "<sheets>" + first.group(0)).encode()
    with open(os.path.join(d, f + ".one.parts"), "wb") as out:
        for name, body in parts.items():
            if name.startswith("xl/worksheets/") and name != "xl/worksheets/sheet1.xml":
                continue
            out.write(b"\n@@ " + name.encode() + b"\n" + body)
PY
    ;;
  csv)
    # Each register type's rows from the fixtures' dossiers, as CSV under a few options (fuzz_csv.c).
    python3 "$root/fuzz/csv_seeds.py" "$root/core/dossier_schema.c" "$s" \
      $(find "$root/fixtures" "$root/tests/fixtures/dossiers" -name '*.xml') ;;
  handled)
    # The beoordelingen and scenario files of the tests, and the fixtures' ones.
    find "$root/fixtures" "$root/tests/fixtures" \( -name 'beoordelingen*.xml' -o -name 'scenario*.xml' \) \
      -exec cp --backup=numbered -t "$s" {} + ;;
  vorige)
    # JSON reports of the fixtures' dossiers, and one without findings.
    printf '{"report_format": 1, "findings": []}' >"$s/empty.json"
    for x in "$root"/fixtures/*/dossier.xml "$root"/tests/fixtures/dossiers/mini-*.xml; do
      "$dir/core/rhv" check --format json "$x" >"$s/$(basename "$(dirname "$x")")-$(basename "$x" .xml).json" \
        2>/dev/null || true
    done
    ;;
  esac
  # Inputs that once failed (fuzz/regress/TARGET): each fix's regression seed.
  if [ -d "$root/fuzz/regress/$t" ]; then cp "$root/fuzz/regress/$t"/* "$s"/; fi
  echo "$s"
}

# The targets that read a file write their input into a folder under TMPDIR (fuzz/fuzz_file.h); one a
# crash leaves behind stays in the build.
export TMPDIR="$dir/fuzz-tmp"
mkdir -p "$TMPDIR"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=0
for t in "${targets[@]}"; do
  s=$(seeds "$t")
  corpus="$dir/fuzz-corpus/$t"; crashes="$dir/fuzz-crashes"
  mkdir -p "$corpus" "$crashes"
  args=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/$t-")
  case $t in
  dossier|xaf|handled) args+=(-dict="$root/fuzz/xml.dict" -max_len=16384) ;;
  xlsx) args+=(-dict="$root/fuzz/xlsx.dict" -max_len=131072) ;;
  csv|vorige) args+=(-max_len=16384) ;;
  esac
  if [ "$secs" -eq 0 ]; then args+=(-runs=0); else args+=(-max_total_time="$secs"); fi
  log="$dir/fuzz-$t.log"
  rc=0
  "$dir/fuzz/fuzz_$t" "${args[@]}" "$corpus" "$s" >"$log" 2>&1 || rc=$?
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -E 's/^#([0-9]+)[[:space:]]+[A-Z]+[[:space:]]+/execs \1 /' || true)
  if [ "$rc" -eq 0 ]; then
    echo "fuzz $t: ok ($last; $(ls "$s" | wc -l) seeds, corpus $(ls "$corpus" | wc -l); ${secs}s)"
  else
    echo "fuzz $t: FAILED (exit $rc): log $log, inputs in $crashes/"
    grep -E 'ERROR|fuzz check|SUMMARY|runtime error' "$log" | head -5 || true
    failed=1
  fi
done
exit $failed
