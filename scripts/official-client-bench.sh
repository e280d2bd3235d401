#!/usr/bin/env bash
# Polymarket's official TypeScript client doing what SigningBenchmarks.orderToSignedAuthenticatedRequest
# does (build + sign a V2 order, JSON body, L2 HMAC headers), for a side-by-side figure in
# BENCHMARKS.md. Needs node >= 20.10 and npm (the registry); installs into a temporary directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$here/bench/official-client.mjs" "$dir/"
(cd "$dir" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent @polymarket/clob-client-v2@1.1.0 @ethersproject/wallet@5 >/dev/null)
node "$dir/official-client.mjs" "${1:-5}"
