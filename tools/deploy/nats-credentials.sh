#!/usr/bin/env bash
# Creates (or completes) the Secret holding one NATS password per user of charts/podium/files/nats-permissions.json:
# every service, `jetstream-admin`, the admin of each service account of its own (`jetstream-admin-results-distribution`)
# and `helm-test`, plus one per partner named in PARTNERS (the chart's default key of
# a partner of messaging.partners: PARTNER_<NAME>). Existing keys are kept (no silent rotation); missing ones get a
# random password. Passwords are a letter then 48 hex digits: the NATS server parses the environment variable it reads
# a password from as a config value, so a password like `1e5...` or `true` would break it.
#
#   bash tools/deploy/nats-credentials.sh <namespace> [secret-name]     (default secret: podium-nats-credentials)
#   PARTNERS="acme-tv wire-agency" bash tools/deploy/nats-credentials.sh og2024
#   KUBECTL=".tools/bin/kubectl --context prod" bash tools/deploy/nats-credentials.sh og2024
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
NAMESPACE="${1:?usage: nats-credentials.sh <namespace> [secret-name]}"
SECRET="${2:-podium-nats-credentials}"
KUBECTL="${KUBECTL:-kubectl}"

keys="$(node -e '
  const d = require(process.argv[1]);
  const users = [...Object.values(d.services), d.admin, d.helmTest, ...d.accounts.isolated.map((a) => a.admin)];
  const partners = (process.env.PARTNERS || "").split(/\s+/).filter(Boolean);
  for (const p of partners) if (!/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/.test(p)) throw new Error(`partner name ${p}: lowercase letters, digits and -`);
  const keys = [...users.map((u) => u.secretKey), ...partners.map((p) => `PARTNER_${p.toUpperCase().replace(/-/g, "_")}`)];
  console.log(keys.join(" "));
' "$ROOT/charts/podium/files/nats-permissions.json")"

existing="$($KUBECTL -n "$NAMESPACE" get secret "$SECRET" -o jsonpath='{.data}' 2>/dev/null || true)"
# The new passwords go through a private temporary file, never the command line.
umask 077
envfile="$(mktemp)"
trap 'rm -f "$envfile"' EXIT
args=(--from-env-file="$envfile")
added=()
for key in $keys; do
  if [[ "$existing" == *"\"$key\""* ]]; then continue; fi
  echo "$key=p$(node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("hex"))')" >> "$envfile"
  added+=("$key")
done

if [[ ${#added[@]} -eq 0 ]]; then
  echo "secret $NAMESPACE/$SECRET already has every key: $keys"
  exit 0
fi

if [[ -z "$existing" ]]; then
  $KUBECTL -n "$NAMESPACE" create secret generic "$SECRET" "${args[@]}" >/dev/null
else
  # Merge the new keys into the existing Secret without printing any value.
  patch="$($KUBECTL -n "$NAMESPACE" create secret generic "$SECRET" "${args[@]}" --dry-run=client -o json \
    | node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>console.log(JSON.stringify({data:JSON.parse(s).data})))')"
  $KUBECTL -n "$NAMESPACE" patch secret "$SECRET" --type merge -p "$patch" >/dev/null
fi
echo "secret $NAMESPACE/$SECRET: added ${added[*]}"
echo "the NATS server reads the passwords at start: restart it after adding a user (kubectl -n $NAMESPACE rollout restart statefulset -l app.kubernetes.io/name=nats)"
