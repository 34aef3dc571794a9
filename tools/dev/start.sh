#!/usr/bin/env bash
# `npm start`: starts PostgreSQL + NATS if needed, builds every service, migrates each service's database,
# starts every service on its port (local development: PODIUM_LOCAL_DEV=true, dev auth with tokens from `npm run token`,
# results-ingest's demo key), loads the demo data and waits.
# Ctrl-C stops the services (PostgreSQL and NATS keep running).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true
log() { printf '[start] %s\n' "$*"; }

# Every app in apps/ with its port, from the one service list (libs/contracts/src/services.json); an app missing from
# the list stops here with where to add it, instead of being skipped.
declare -A PORTS=()
while read -r svc port; do PORTS[$svc]=$port; done < <(node -e '
  for (const s of require("./libs/contracts/src/services.json").services) console.log(s.name, s.port);')
SERVICES=()
for dir in apps/*/; do
  svc=$(basename "$dir"); [ -f "$dir/project.json" ] || continue
  grep -q '"projectType": *"application"' "$dir/project.json" || continue
  [ -n "${PORTS[$svc]:-}" ] || { log "apps/$svc is not in libs/contracts/src/services.json: add it there (name, port, family, purpose)"; exit 1; }
  SERVICES+=("$svc")
done

bash tools/dev/services.sh
node tools/db/cli.mjs generate all
log "building ${SERVICES[*]}"
npx nx run-many -t build -p "${SERVICES[@]}" --outputStyle=static >/dev/null

# The one explicit opt-in to the local-only conveniences (dev auth below, results-ingest's demo key): the services
# accept PODIUM_LOCAL_DEV=true only with NODE_ENV=development or test, and refuse AUTH_MODE=dev without it (docs/auth.md).
export NODE_ENV=development PODIUM_LOCAL_DEV=true
# Local development auth: an explicit dev-mode HS256 key, the same the token tool uses by default.
export AUTH_MODE=dev
# The explicit local dev key, the one `npm run token` signs with (libs/auth/src/dev-defaults.ts).
AUTH_DEV_SECRET="${AUTH_DEV_SECRET:-$(npx tsx -e "import { LOCAL_DEV_SECRET } from '@podium/auth'; process.stdout.write(LOCAL_DEV_SECRET)")}"
export AUTH_DEV_SECRET
export LOG_LEVEL="${LOG_LEVEL:-info}"
# Services that follow the schedule (entries, results) also read its snapshot at boot.
export SCHEDULES_URL="http://127.0.0.1:${PORTS[schedules]}"
mkdir -p tmp/logs
PIDS=()
cleanup() { log "stopping services"; for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait || true; }
trap cleanup EXIT INT TERM

start_service() {
  local svc=$1 db="podium_${1//-/_}"
  local url="postgres://postgres@127.0.0.1:5432/${db}"
  if [ -d "apps/$svc/prisma" ]; then
    log "migrating $db"
    DATABASE_URL="$url" node "dist/apps/$svc/main.js" migrate
  fi
  log "starting $svc on port ${PORTS[$svc]} (logs: tmp/logs/$svc.log)"
  DATABASE_URL="$url" PORT="${PORTS[$svc]}" SERVICE_NAME="$svc" node "dist/apps/$svc/main.js" >"tmp/logs/$svc.log" 2>&1 &
  PIDS+=($!)
}

wait_ready() {
  local svc=$1
  for i in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:${PORTS[$svc]}/health/ready" >/dev/null 2>&1 && break
    [ "$i" = 60 ] && { log "$svc did not become ready; see tmp/logs/$svc.log"; exit 1; }
    sleep 0.5
  done
  log "$svc ready: http://localhost:${PORTS[$svc]}/docs"
}

# The schedule first, with its demo data: the other services read it (snapshot at boot, then its events).
start_service schedules
wait_ready schedules
log "loading the demo data pack"
PODIUM_TOKEN="$(npm run -s token -- --sub demo-loader --roles schedule-manager)" \
  npx tsx tools/schedules/import-pack.ts apps/schedules/data/demo-og2024.json --url "http://127.0.0.1:${PORTS[schedules]}"

for svc in "${SERVICES[@]}"; do [ "$svc" = schedules ] || start_service "$svc"; done
for svc in "${SERVICES[@]}"; do [ "$svc" = schedules ] || wait_ready "$svc"; done

if [ -n "${PORTS[entries]:-}" ] && [[ " ${SERVICES[*]} " == *" entries "* ]]; then
  log "loading the entries demo (rules pack, athletes, entries)"
  PODIUM_TOKEN="$(npm run -s token -- --sub demo-loader --roles oc-admin)" \
    npx tsx tools/entries/load-demo.ts --url "http://127.0.0.1:${PORTS[entries]}"
fi

if [[ " ${SERVICES[*]} " == *" accreditation "* ]]; then
  log "loading the accreditation demo (reference data, athletes from entries, a few hundred people, active cards)"
  PODIUM_TOKEN="$(npm run -s token -- --sub demo-loader --roles oc-admin)" \
    npx tsx tools/accreditation/load-demo.ts --url "http://127.0.0.1:${PORTS[accreditation]}"
fi

if [[ " ${SERVICES[*]} " == *" volunteers "* ]]; then
  log "loading the volunteers demo (campaign, 3,000 applicants across the pipeline's stages, confirmations handed over)"
  PODIUM_TOKEN="$(npm run -s token -- --sub demo-loader --roles oc-admin)" \
    npx tsx tools/volunteers/load-demo.ts --url "http://127.0.0.1:${PORTS[volunteers]}"
fi

if [[ " ${SERVICES[*]} " == *" workforce "* ]]; then
  # After accreditation's and volunteers' demos: the staff's and volunteers' applications that accreditation makes from
  # the workforce and volunteers events are taken to active cards by this loader (docs/workforce-on-the-day.md#demo).
  log "loading the workforce demo (venues, 300 staff and contractors and their cards, shifts for 3 days, auto-roster plans, check-ins)"
  PODIUM_TOKEN="$(npm run -s token -- --sub demo-loader --roles oc-admin)" \
    npx tsx tools/workforce/load-demo.ts --url "http://127.0.0.1:${PORTS[workforce]}" --accreditation-url "http://127.0.0.1:${PORTS[accreditation]}"
fi

log "running; a token for changes: npm run -s token -- --sub me --roles schedule-manager"
log "Ctrl-C to stop"
wait
