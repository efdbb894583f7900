#!/usr/bin/env bash
# The fuzz targets of fuzz/ (issue 19), each run for a bounded time with libFuzzer.
#
#   tools/fuzz.sh [SECONDS] [TARGET ...]     (default: 60 s each, every target)
#
# Builds the targets on the default toolchain with the instrumentation cargo-fuzz uses (stable
# rustc takes these -C flags; no nightly, no cargo-fuzz needed), seeds each from the project's
# test data (examples/, the corner notices, the plan bundle, the layer files, fuzz/seeds/), and
# runs it, one target per core at a time (FUZZ_JOBS). The corpus grows in fuzz/corpus/TARGET (not committed); a failure leaves its input
# in fuzz/artifacts/TARGET/ and makes the script exit non-zero. Replay one input with
#   fuzz/target/$(rustc -vV | sed -n 's/host: //p')/release/TARGET fuzz/artifacts/TARGET/crash-…
# The last lines are a table: target, runs, runs per second, corpus entries, result.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
secs=${1:-60}
shift || true
all=(corners corners_region application bundle table layer)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
host=$(rustc -vV | sed -n 's/host: //p')

# cargo-fuzz's instrumentation (its `project.rs`), without a sanitizer. The target triple keeps
# the flags off build scripts and proc-macros.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
(cd fuzz && cargo build --release --locked --target "$host" $(printf -- '--bin %s ' "${targets[@]}"))

# Seeds: files as they are, or behind the selector byte a target reads first.
seeds=$root/fuzz/target/seeds
rm -rf "$seeds"
put() { # put TARGET SELECTOR(hex or -) FILE...
  local t=$1 sel=$2; shift 2
  mkdir -p "$seeds/$t"
  for f in "$@"; do
    [ -f "$f" ] || continue
    local out
    out="$seeds/$t/$(basename "$f")-$sel"
    if [ "$sel" = "-" ]; then cp "$f" "$out"; else { printf "\\x$sel"; cat "$f"; } >"$out"; fi
  done
}
corner_files=(crates/minplan-geo/tests/data/*.txt crates/minplan-geo/tests/data/real/announcements/*.txt crates/minplan-geo/tests/data/fuzz/* examples/*.txt)
put corners - "${corner_files[@]}"
put corners_region - "${corner_files[@]}"
mkdir -p "$seeds/application"
for t in examples/*.toml; do
  c=$(sed -n 's/^file *= *"\(.*\)"/\1/p' "$t" | head -1)
  if [ -n "$c" ] && [ -f "examples/$c" ]; then
    { cat "$t"; printf '\0'; cat "examples/$c"; } >"$seeds/application/$(basename "$t")"
  else
    cp "$t" "$seeds/application/"
  fi
done
i=0
for f in plans/231081-2021-2025/plan.toml plans/231081-2021-2025/text.txt \
  plans/231081-2021-2025/layers/{blocks,county,ecological_red_line,permanent_basic_farmland,urban_development_boundary,visible_corridors}.geojson; do
  put bundle "$(printf %02x $i)" "$f"
  i=$((i + 1))
done
put table 00 fuzz/seeds/table/*.xlsx
put table 01 fuzz/seeds/table/*.xls
put table 02 fuzz/seeds/table/*.csv
mkdir -p "$seeds/layer"
for shp in crates/minplan-io/tests/data/gdal/shp_gbk/hongxian.shp crates/minplan-io/tests/data/gdal/trunc/cut.shp \
  crates/minplan-io/tests/data/real/shapefile-cp1250/codepage.shp; do
  { printf '\x00'; cat "$shp"; printf '\0\0\0\0'; cat "${shp%.shp}.dbf"; } >"$seeds/layer/$(basename "$shp")"
done
put layer 01 crates/minplan-io/tests/data/gdal/*.gpkg
put layer 03 crates/minplan-io/tests/data/gdal/*.kmz
put layer 04 crates/minplan-io/tests/data/gdal/*.dxf
put layer 05 plans/231081-2021-2025/layers/blocks.geojson crates/minplan-domain/tests/data/counties/*/layers/*.geojson

# One libFuzzer process per core at a time (each is single-threaded).
jobs=${FUZZ_JOBS:-$(nproc)}
run_one() { # target → fuzz/target/TARGET.rc
  local t=$1
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  set +e
  MINPLAN_FUZZ_PANICS_ONLY=${MINPLAN_FUZZ_PANICS_ONLY:-} "fuzz/target/$host/release/$t" \
    "fuzz/corpus/$t" "$seeds/$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
    -max_len=262144 -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 >"fuzz/target/$t.log" 2>&1
  echo $? >"fuzz/target/$t.rc"
}
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
  run_one "$t" &
done
wait

status=0
summary=()
for t in "${targets[@]}"; do
  log=fuzz/target/$t.log
  rc=$(cat "fuzz/target/$t.rc")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then result=ok; else result="FAILED (exit $rc; see $log)"; status=1; tail -40 "$log"; fi
  summary+=("$(printf '%-15s %10s runs %7s/s %6s corpus  %s' "$t" "${runs:-?}" "${speed:-?}" "$corpus" "$result")")
done
echo "fuzz: $secs s per target, $jobs at a time on $(nproc) core(s), $(date -u +%F)"
printf '%s\n' "${summary[@]}"
exit $status
