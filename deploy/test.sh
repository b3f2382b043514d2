#!/usr/bin/env bash
# Runs every test: unit tests, the runtime adapter against the real Docker engine, the mirror module
# against fabric8's mock server, and end-to-end tests that drive the built agent with real files,
# real containers, a real kube-apiserver and real kubectl.
# Sets up what it needs by itself (Docker engine, local images, kube-apiserver built from Debian's
# source package and cached under ~/.cache/staticlet) and stops what it started.
# e2e/.../release/PackageUpgradeIT builds the .deb with deploy/release.sh, installs it on this machine
# with dpkg (refusing a machine where a real staticlet package is installed) and purges it again.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

started_dockerd=false
if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  started_dockerd=true
fi
"$repo/deploy/setup/ensure-docker.sh"
"$repo/deploy/setup/ensure-faketime.sh" # the fault suite steps an agent's wall clock with it
cleanup() {
  # whatever a killed test run left behind: only the test nodes' containers (e2e-*, it-*)
  docker ps -a --filter label=io.staticlet.managed=true --format '{{.ID}} {{.Label "io.staticlet.node"}}' 2>/dev/null \
    | awk '$2 ~ /^(e2e-|it-)/ {print $1}' | xargs -r docker rm -f >/dev/null 2>&1 || true
  if $started_dockerd; then
    pkill -x dockerd >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

"$repo/deploy/images/build-images.sh"
"$repo/deploy/controlplane/build-kube.sh"
"$repo/deploy/images/build-kubeadm-images.sh"

mvn -B -ntp verify "$@"
