# Sourced by the benchmarks' run.sh: checks the built modules, finds the classpath, compiles and runs a
# benchmark's Java sources (bench/common plus its own directory). Not part of ./mvnw verify.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

require_runner_jars() {
  local m
  for m in gitlab-sim webhook-ingest trigger-matcher identity-service pipeline-launcher result-publisher; do
    if [[ ! -f "$m/target/quarkus-app/quarkus-run.jar" ]]; then
      echo "$m/target/quarkus-app/quarkus-run.jar is missing: run ./mvnw -B -o package -DskipTests first" >&2
      exit 1
    fi
  done
}

# run_benchmark <dir under bench/> <main class> [java options...]
run_benchmark() {
  local dir=$1 main=$2
  shift 2
  local cp_file="bench/target/bench.classpath" classes="bench/target/$dir-classes"
  if [[ ! -f "$cp_file" ]]; then
    mkdir -p bench/target
    # e2e-tests' test classpath: test-support (broker, PostgreSQL, free ports), gitlab4j-api, Jackson, Vert.x.
    # With the modules it needs (-am) and a phase, so that they come from this tree: a new clone has none of
    # them in the local repository. Each module writes the file; e2e-tests, last, writes it last.
    ./mvnw -B -o -q test-compile dependency:build-classpath -pl e2e-tests -am -Dmdep.includeScope=test \
      -Dmdep.outputFile="$root/$cp_file"
  fi
  rm -rf "$classes"
  javac -nowarn -d "$classes" -cp "$(cat "$cp_file")" bench/common/*.java "bench/$dir"/*.java 2>&1 \
    | { grep -v '^Note:' || true; }
  java -Djava.awt.headless=true -cp "$classes:$(cat "$cp_file")" -Dtandem.root="$root" \
    -Dbench.out="${BENCH_OUT:-docs/benchmarks.md}" "$@" "$main"
}
