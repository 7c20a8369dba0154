#!/usr/bin/env bash
# test.sh: every default test — unit tests (meson), ABI checks, integration
# tests against real servers on 127.0.0.1 — and one closing line
# "N passed, N failed, N skipped" for all of them.
# Builds first (scripts/build.sh --no-demo) so it works on a fresh clone.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
BUILD_DIR="$build" "$top/scripts/build.sh" --no-demo || {
  echo "build failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

passed=0; failed=0; skipped=0
echo "== meson tests (unit, abi)"
meson test -C "$build" --print-errorlogs > "$build/meson-test.out" 2>&1
cat "$build/meson-test.out" | grep -E '^ *[0-9]+/[0-9]+ ' || true
ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$build/meson-test.out" | tail -n 1)
fl=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$build/meson-test.out" | tail -n 1)
to=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$build/meson-test.out" | tail -n 1)
sk=$(sed -n 's/^Skipped: *\([0-9]*\).*/\1/p' "$build/meson-test.out" | tail -n 1)
passed=$((passed + ${ok:-0})); failed=$((failed + ${fl:-0} + ${to:-0}))
skipped=$((skipped + ${sk:-0}))
[ -n "$ok" ] || failed=$((failed + 1))

echo "== integration tests"
python3 "$top/tests/integration/run.py" --build-dir "$build" > "$build/integration.out" 2>&1
cat "$build/integration.out"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$build/integration.out" | tail -n 1)
if [ -n "$line" ]; then
  p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
  s=$(echo "$line" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
else
  failed=$((failed + 1))
fi

echo "== curl's own test suite (curl-tests-runner, HTTP-only selection)"
# Counts: tests that passed, unexpected results (a failure not listed in
# curl-tests-runner/expected-failures, or a listed test that passes), and
# everything else (listed failures, skips) as skipped.
python3 "$top/curl-tests-runner/run.py" --build-dir "$build" > "$build/curl-tests.out" 2>&1
tail -n 30 "$build/curl-tests.out"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$build/curl-tests.out" | tail -n 1)
if [ -n "$line" ]; then
  p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
  s=$(echo "$line" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
else
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
