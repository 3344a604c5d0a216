#!/usr/bin/env bash
# Intake benchmark of webhook-ingest, see bench/intake/README.md. Not part of ./mvnw verify.
# Usage: bench/intake/run.sh   (env: BENCH_LEVELS=1,4,16,64 BENCH_SECONDS=15 BENCH_WARMUP=5 BENCH_JIT_WARMUP=30
#                               BENCH_OUT=docs/benchmarks.md)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cp_file="webhook-ingest/target/bench.classpath"
if [[ ! -f webhook-ingest/target/quarkus-app/quarkus-run.jar || ! -f "$cp_file" ]]; then
  # one invocation with the modules webhook-ingest needs (-am): a new clone has none of them in the local
  # repository. Each module writes the classpath file; webhook-ingest, last, writes it last.
  ./mvnw -B -o -q package dependency:build-classpath -DskipTests -pl webhook-ingest -am \
    -Dmdep.includeScope=test -Dmdep.outputFile="$root/$cp_file"
fi
exec java -Xmx512m -cp "$(cat "$cp_file")" \
  -Dtandem.root="$root" -Dbench.source="$root/bench/intake/IntakeBenchmark.java" \
  -Dbench.levels="${BENCH_LEVELS:-1,4,16,64}" -Dbench.seconds="${BENCH_SECONDS:-15}" \
  -Dbench.warmup="${BENCH_WARMUP:-5}" -Dbench.jit-warmup="${BENCH_JIT_WARMUP:-30}" \
  -Dbench.out="${BENCH_OUT:-docs/benchmarks.md}" \
  bench/intake/IntakeBenchmark.java
