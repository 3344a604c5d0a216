#!/usr/bin/env bash
# End-to-end benchmark of the whole stack, see bench/e2e/README.md.
# Usage: bench/e2e/run.sh   (env: BENCH_RATES=10,25,50 BENCH_SECONDS=30 BENCH_WARMUP=15 BENCH_BURST=200
#                            BENCH_DRAIN=120 BENCH_OUT=docs/benchmarks.md
#                            BENCH_SERVICE_JVM="<options>" instead of bin/jvm/*.options)
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
require_runner_jars
run_benchmark e2e E2eBenchmark -Xmx1g -Dbench.rates="${BENCH_RATES:-10,25,50}" \
  -Dbench.seconds="${BENCH_SECONDS:-30}" -Dbench.warmup="${BENCH_WARMUP:-15}" -Dbench.burst="${BENCH_BURST:-200}" \
  -Dbench.drain="${BENCH_DRAIN:-120}" -Dbench.service-jvm="${BENCH_SERVICE_JVM:-}"
