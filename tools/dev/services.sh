#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432, user postgres) and NATS with JetStream (127.0.0.1:4222) are running.
#   1. Already reachable?            -> use them.
#   2. A Docker engine is reachable? -> start containers (postgres:15, nats:2.10 -js).
#   3. Otherwise (Debian/Ubuntu)     -> install Debian's `postgresql` / `nats-server` when missing and start them.
# Idempotent; safe to run again. Used by `npm start`, `npm test` and .ci/run.
set -euo pipefail

PG_HOST=127.0.0.1 PG_PORT=5432 NATS_PORT=4222
SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"

log() { printf '[services] %s\n' "$*"; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_port() { for _ in $(seq 1 60); do port_open "$1" "$2" && return 0; sleep 0.5; done; return 1; }
docker_ok() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }
apt_install() {
  log "installing $* with apt-get"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if port_open $PG_HOST $PG_PORT; then log "PostgreSQL is up on $PG_HOST:$PG_PORT"; return; fi
  if docker_ok; then
    log "starting PostgreSQL 15 in Docker"
    docker start podium-postgres >/dev/null 2>&1 || docker run -d --name podium-postgres -p $PG_PORT:5432 \
      -e POSTGRES_HOST_AUTH_METHOD=trust postgres:15 >/dev/null
  else
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      apt_install postgresql
      local ver; ver=$(ls /etc/postgresql | sort -n | tail -1)
      # A local development cluster: trust connections from loopback (never do this on a shared host).
      $SUDO sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "/etc/postgresql/$ver/main/pg_hba.conf"
    fi
    local ver; ver=$(ls /etc/postgresql | sort -n | tail -1)
    log "starting PostgreSQL $ver"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
    # In case the package's own start ran before pg_hba.conf was edited.
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main reload >/dev/null 2>&1 || true
  fi
  wait_port $PG_HOST $PG_PORT || { log "PostgreSQL did not come up on $PG_HOST:$PG_PORT"; exit 1; }
  log "PostgreSQL is up"
}

ensure_nats() {
  if port_open 127.0.0.1 $NATS_PORT; then log "NATS is up on 127.0.0.1:$NATS_PORT"; return; fi
  if docker_ok; then
    log "starting NATS with JetStream in Docker"
    docker start podium-nats >/dev/null 2>&1 || docker run -d --name podium-nats -p $NATS_PORT:4222 nats:2.10 -js >/dev/null
  else
    command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || apt_install nats-server
    local bin; bin=$(command -v nats-server || echo /usr/sbin/nats-server)
    $SUDO mkdir -p /var/lib/nats-server
    log "starting nats-server with JetStream"
    $SUDO start-stop-daemon --start --oknodo --background --exec "$bin" -- \
      -a 127.0.0.1 -p $NATS_PORT -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  fi
  wait_port 127.0.0.1 $NATS_PORT || { log "NATS did not come up on 127.0.0.1:$NATS_PORT"; exit 1; }
  log "NATS is up"
}

# Headless Chromium for the widget's browser test (npm test only: `services.sh --browser`).
ensure_chromium() {
  if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then log "Chromium is at ${CHROMIUM_PATH:-/usr/bin/chromium}"; return; fi
  apt_install chromium
  log "Chromium installed"
}

# promtool (`services.sh --promtool`, npm test: the Prometheus rules' checks and unit tests). Debian's `prometheus`
# package ships it; installing the package would also install and start a Prometheus server we do not want, so the
# .deb is downloaded and only its promtool (a Go binary needing libc alone) is copied to /usr/local/bin.
ensure_promtool() {
  if command -v promtool >/dev/null; then log "promtool is at $(command -v promtool)"; return; fi
  log "installing promtool from Debian's prometheus package (the binary only)"
  local tmp; tmp=$(mktemp -d)
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  (cd "$tmp" && apt-get download -qq prometheus 2>/dev/null && dpkg-deb -x prometheus_*.deb root)
  $SUDO install -m 0755 "$tmp/root/usr/bin/promtool" /usr/local/bin/promtool
  rm -rf "$tmp"
  log "promtool installed: $(promtool --version 2>&1 | head -1)"
}

ensure_postgres
ensure_nats
for option in "$@"; do
  case "$option" in
    --browser) ensure_chromium ;;
    --promtool) ensure_promtool ;;
    *) log "unknown option $option (--browser, --promtool)"; exit 2 ;;
  esac
done
