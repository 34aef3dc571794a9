#!/usr/bin/env bash
# The cost of tracing (docs/tracing.md#cost): the same short runs of the existing benchmarks with tracing off, on with
# every trace kept (OTEL_TRACES_SAMPLER_ARG=1) and on with one in ten (0.1), one after another per benchmark, the spans
# sent to tools/bench/otlp-sink.ts (an OTLP/HTTP endpoint that drops them, a process of its own). Raw output goes to
# docs/bench/tracing-<run>-<mode>-<day>.txt, each file starting with the date, the load average, the commit and the
# command. Builds the services the benchmarks start first.
#
#   bash tools/bench/tracing-cost.sh                  # ods (through results-ingest) and http (cached and db reads)
#   bash tools/bench/tracing-cost.sh ods              # only the runs whose names are given
#   TAG=r2 bash tools/bench/tracing-cost.sh           # files named ...-<day>-r2.txt (a second round)
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false
day=$(date -u +%F)
out=docs/bench
mkdir -p "$out" tmp/bench
sink_port=14318

npx nx run-many -t build -p schedules entries results-ingest results-distribution --outputStyle=static >/dev/null

declare -A runs=(
  [ods]="tools/bench/ods.ts --spawn --rate 100 --cis 500 --sse 1000 --seconds 20 --floor-seconds 0"
  [http]="tools/bench/http.ts --spawn --seconds 5 --warmup 2"
)
order=(ods http)
selected=("$@")
[ ${#selected[@]} -eq 0 ] && selected=("${order[@]}")

# A process group of its own (npx -> tsx -> node): stopped as a whole at the end.
setsid npx tsx tools/bench/otlp-sink.ts --port "$sink_port" >tmp/bench/otlp-sink.log 2>&1 &
sink=$!
trap 'kill -- "-$sink" 2>/dev/null || true' EXIT

for name in "${selected[@]}"; do
  command=${runs[$name]:?unknown run $name (one of: ${order[*]})}
  for mode in off on-1.0 on-0.1; do
    env=()
    case $mode in
      on-*) env=(OTEL_TRACES_ENABLED=true "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$sink_port" OTEL_TRACES_SAMPLER=parentbased_traceidratio "OTEL_TRACES_SAMPLER_ARG=${mode#on-}") ;;
    esac
    file="$out/tracing-$name-$mode-$day${TAG:+-$TAG}.txt"
    {
      echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- libs apps || echo ' (dirty)')"
      echo "# ${env[*]:-tracing off} npx tsx $command"
    } >"$file"
    env "${env[@]}" npx tsx $command >>"$file" 2>&1
    echo "$file: $(tail -n 1 tmp/bench/otlp-sink.log)"
  done
done
