#!/usr/bin/env bash
# The corner benchmark on this tree and on an earlier commit, in one run, alternating, so the
# ratio is measured on the same machine state (BENCHMARKS.md, 拐点坐标).
#
# Usage: tools/bench_corners_vs.sh BASE_COMMIT [ROUNDS]
# Builds both in release (separate target dirs under target/bench-vs/), runs the bench of this
# tree against both libraries ROUNDS times (default 3) alternating, prints every run.
set -euo pipefail
base=${1:?usage: tools/bench_corners_vs.sh BASE_COMMIT [ROUNDS]}
rounds=${2:-3}
root=$(git rev-parse --show-toplevel)
wt="$root/target/bench-vs/base"
rm -rf "$wt"
git -C "$root" worktree prune
git -C "$root" worktree add --detach "$wt" "$base" >/dev/null
trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
# The same benchmark source on both sides: only the library differs.
cp "$root/crates/minplan-geo/benches/corners.rs" "$wt/crates/minplan-geo/benches/corners.rs"
(cd "$root" && CARGO_TARGET_DIR="$root/target/bench-vs/head" cargo bench -p minplan-geo --bench corners --no-run 2>/dev/null)
(cd "$wt" && CARGO_TARGET_DIR="$root/target/bench-vs/basetarget" cargo bench -p minplan-geo --bench corners --no-run 2>/dev/null)
for i in $(seq "$rounds"); do
  echo "== round $i: base $base"
  (cd "$wt" && CARGO_TARGET_DIR="$root/target/bench-vs/basetarget" cargo bench -q -p minplan-geo --bench corners 2>&1 | grep -E '^\|.*ms|panicked' || true)
  echo "== round $i: head $(git -C "$root" rev-parse --short HEAD)"
  (cd "$root" && CARGO_TARGET_DIR="$root/target/bench-vs/head" cargo bench -q -p minplan-geo --bench corners 2>&1 | grep -E '^\|.*ms|panicked' || true)
done
