#!/usr/bin/env bash
# Starts the gateway with README.md's start command (default profile, built-in simulators) in a
# scratch directory and runs README.md's curl example against it. Loopback only; stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${SMOKE_PORT:-18080}
sim_port=${SMOKE_SIM_PORT:-18081}
log="$work/gateway.log"
export ODDSGATE_PORT=$port ODDSGATE_SIM_PORT=$sim_port ODDSGATE_DATA_DIR="$work/data" \
       ODDSGATE_INBOX="$work/inbox" ODDSGATE_OUTBOX="$work/outbox"
start=$(sed -n '/^## Quick start/,/^## /p' README.md | grep -m1 '^mvn spring-boot:run' | sed 's/ *#.*//')
[ -n "$start" ] || { echo "README.md has no start command"; exit 1; }
# Own process group, so that Maven and the JVM it forks stop together.
setsid $start -B -q > "$log" 2>&1 &
pid=$!
trap 'kill -- -$pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$log"; echo "gateway did not start"; exit 1; }
  sleep 1
done
example=$(sed -n '/<!-- example:place-order -->/,/^```$/p' README.md | sed '1,2d;$d' | tr -d '\\\n' | sed "s#localhost:8080#127.0.0.1:$port#")
answer=$(eval "${example/curl -s/curl -s -w ' HTTP%{http_code}'}")
echo "$answer"
case "$answer" in
  *'"state":"LIVE"'*'HTTP201') echo "readme-smoke: OK (README start command and curl example)" ;;
  *) tail -40 "$log"; echo "readme-smoke: FAILED"; exit 1 ;;
esac
