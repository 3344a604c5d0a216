#!/usr/bin/env bash
# Tandem's benchmarks (issue 6), one after the other, each writing its section of docs/benchmarks.md.
# Usage: bench/run.sh [intake|e2e|footprint|gateway ...]   (no argument: all of them; see bench/README.md)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
all=(intake e2e footprint gateway)
chosen=("$@")
[[ ${#chosen[@]} -eq 0 ]] && chosen=("${all[@]}")
for b in "${chosen[@]}"; do
  if [[ ! -x "$here/$b/run.sh" ]]; then
    echo "unknown benchmark: $b (one of: ${all[*]})" >&2
    exit 2
  fi
done
for b in "${chosen[@]}"; do
  echo "===== $b ($(date -u +%H:%M:%S) UTC)"
  started=$SECONDS
  "$here/$b/run.sh"
  echo "===== $b done in $((SECONDS - started)) s"
done
