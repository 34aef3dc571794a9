#!/usr/bin/env bash
# The ODS reference runs whose figures docs/performance.md reports, one after another, each on a quiet machine
# (--spawn: own nats-server, fresh databases). Raw output (and JSON where the docs link it) goes to docs/bench/, each
# file starting with the date, the commit and the command. Builds the two services first.
#
#   bash tools/bench/ods-reference.sh            # all runs (~15 min on the 2-core machine)
#   bash tools/bench/ods-reference.sh kill-2x2   # only the runs whose names are given
#
# Nothing else should run meanwhile: every figure is CPU-bound on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false
day=$(date -u +%F)
out=docs/bench
mkdir -p "$out"

NX_SKIP_NX_CACHE=true npx nx run-many -t build -p results-ingest results-distribution --outputStyle=static --skip-nx-cache >/dev/null

declare -A runs=(
  [ingest-200]="tools/bench/ods.ts --spawn --rate 200 --cis 1000 --sse 5000 --seconds 30 --socket-queues"
  [direct-cis-200]="tools/bench/ods.ts --spawn --mode direct --rate 200 --cis 1000 --sse 0 --seconds 30"
  [direct-overload-400]="tools/bench/ods.ts --spawn --mode direct --rate 400 --cis 1000 --sse 5000 --seconds 30 --floor-seconds 0"
  [ingest-only-200]="tools/bench/ods.ts --spawn --rate 200 --cis 0 --sse 0 --seconds 30 --floor-seconds 0"
  [replicas-2x2-kill]="tools/bench/ods.ts --spawn --ingest-replicas 2 --distribution-replicas 2 --kill-distribution-at 15 --rate 200 --cis 1000 --sse 5000 --seconds 30 --floor-seconds 0 --socket-queues"
  [direct-replicas-kill]="tools/bench/ods.ts --spawn --mode direct --distribution-replicas 2 --kill-distribution-at 10 --rate 200 --cis 1000 --sse 5000 --seconds 20 --floor-seconds 0"
  [direct-replicas-kill-100]="tools/bench/ods.ts --spawn --mode direct --distribution-replicas 2 --kill-distribution-at 10 --rate 100 --cis 500 --sse 2000 --seconds 20 --floor-seconds 0"
  [socket-floor]="tools/bench/socket-floor.ts"
  [guard]="tools/bench/ods-guard.ts"
  [guard-no-conflation]="tools/bench/ods-guard.ts"
)
order=(socket-floor ingest-only-200 direct-cis-200 ingest-200 direct-overload-400 direct-replicas-kill-100 direct-replicas-kill replicas-2x2-kill guard guard-no-conflation)
selected=("$@")
[ ${#selected[@]} -eq 0 ] && selected=("${order[@]}")

for name in "${selected[@]}"; do
  command=${runs[$name]:?unknown run $name (one of: ${order[*]})}
  json=""
  env=()
  case $name in
    socket-floor) file="$out/socket-floor-$day.txt" ;;
    guard) file="$out/ods-guard-$day.txt" ;;
    # The guard with the conflation switched off (fan out after every read, validate every message): must FAIL.
    guard-no-conflation) file="$out/ods-guard-no-conflation-$day.txt"; env=(FANOUT_MAX_HOLD_MS=0 FANOUT_BACKLOG_MESSAGES=1 FANOUT_LATE_MS=60000) ;;
    *) file="$out/ods-$name-$day.txt"; json="--json $out/ods-$name-$day.json" ;;
  esac
  echo "== $name -> $file"
  {
    echo "### $(date -u +%FT%TZ) ($(uptime | sed "s/.*load/load/")) commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- apps libs tools || echo ' (with uncommitted changes)'): ${env[*]} npx tsx $command $json"
    # shellcheck disable=SC2086
    env "${env[@]}" npx tsx $command $json 2>&1 || true
  } | tee "$file"
  sleep 5
done
