#!/usr/bin/env bash
# The fuzz targets (fuzz/) build and run: each over its seed corpus and on
# for a few seconds (RHV_FUZZ_SECONDS, default 3), in their own clang build
# under the test build. Exits 77 (skipped) when clang cannot link libFuzzer
# here; `./dev fuzz` installs it. Run by meson.
set -uo pipefail
root=${RHV_HOME:?set by meson}
dir=${RHV_FUZZ_BUILD:?set by meson}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
  >"$tmp/t.c"
if ! command -v clang >/dev/null || ! clang -fsanitize=fuzzer,address,undefined "$tmp/t.c" -o "$tmp/t" 2>"$tmp/err"; then
  echo "SKIP: clang with libFuzzer not available ($(head -1 "$tmp/err" 2>/dev/null)); ./dev fuzz installs it"
  exit 77
fi
# libFuzzer runs the seeds first: a crash on a fixture fails here too.
"$root/tools/fuzz.sh" "$dir" all "${RHV_FUZZ_SECONDS:-3}"
