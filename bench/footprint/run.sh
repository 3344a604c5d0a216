#!/usr/bin/env bash
# Stack start-up (bin/tandem up) and idle memory, see bench/footprint/README.md.
# Usage: bench/footprint/run.sh   (env: BENCH_WARM_RUNS=2 BENCH_OUT=docs/benchmarks.md)
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
require_runner_jars
run_benchmark footprint FootprintBenchmark -Xmx256m -Dbench.warm-runs="${BENCH_WARM_RUNS:-2}"
