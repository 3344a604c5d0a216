#!/usr/bin/env bash
# AI gateway benchmark, see bench/gateway/README.md. Not part of ./mvnw verify.
# Usage: bench/gateway/run.sh   (env: BENCH_EVENTS=200 BENCH_ROUNDS=500 BENCH_WARMUP=200 BENCH_SECONDS=10
#        BENCH_LEVELS=1,4,16 BENCH_OUT=docs/benchmarks.md)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="${BENCH_OUT:-docs/benchmarks.md}"
[[ "$out" = /* ]] || out="$root/$out"
log="$root/bench/target/gateway.log"
mkdir -p "$root/bench/target"
# A test-scope class of ai-gateway (real Kafka and PostgreSQL from test-support, the stand-in providers).
if ! ./mvnw -B -o test -pl ai-gateway -Dtest=GatewayStreamingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.events="${BENCH_EVENTS:-200}" -Dbench.rounds="${BENCH_ROUNDS:-500}" -Dbench.warmup="${BENCH_WARMUP:-200}" \
  -Dbench.seconds="${BENCH_SECONDS:-10}" -Dbench.levels="${BENCH_LEVELS:-1,4,16}" -Dbench.out="$out" >"$log" 2>&1; then
  tail -50 "$log" >&2
  echo "the gateway benchmark failed; its log: $log" >&2
  exit 1
fi
sed -n '/^BENCH$/,/Load average at the end/p' "$log"
