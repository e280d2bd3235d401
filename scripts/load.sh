#!/usr/bin/env bash
# End-to-end load benchmark: builds the gateway, starts it in its default mode (simulators, H2 file)
# and drives POST /api/orders at fixed rates and at the maximum rate; or, with "fills", measures
# fills reconciliation. Arguments go to com.oddsgate.bench.LoadDriver, e.g.
#   scripts/load.sh --rates 100,250,500,1000,2000 --seconds 20 --max-seconds 20 --concurrency 32 --warmup-seconds 60
#   scripts/load.sh fills --count 100000
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" != "fills" ]]; then
  mvn -q -B -DskipTests package
fi
mvn -q -B -Pbench -DskipTests compile exec:exec -Dbench.main=com.oddsgate.bench.LoadDriver -Dbench.args="$*"
