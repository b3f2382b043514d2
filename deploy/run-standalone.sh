#!/usr/bin/env bash
# Runs staticlet on this machine in standalone mode with the example manifests
# (deploy/examples copied to a scratch manifest directory, so you can edit them freely).
# Sets up what it needs: a Docker engine, the local images, and the agent jar.
# Stop with Ctrl-C: the pods keep running; `deploy/cleanup-pods.sh` removes them.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

"$repo/deploy/setup/ensure-docker.sh"
"$repo/deploy/images/build-images.sh"
if [ ! -f app/target/staticlet.jar ] || [ -n "$(find core runtime-docker mirror app -name '*.java' -newer app/target/staticlet.jar -print -quit)" ]; then
  mvn -B -q -DskipTests package -pl app -am
fi

manifests=${STATICLET_MANIFESTS:-/tmp/staticlet-manifests}
mkdir -p "$manifests"
cp -n "$repo"/deploy/examples/*.yaml "$manifests"/ 2>/dev/null || true
echo "staticlet: manifests in $manifests; try: curl -s localhost:10255/pods | head; curl localhost:8080/" >&2
exec "$repo/deploy/bin/staticlet" \
  --pod-manifest-path "$manifests" \
  --root-dir "${STATICLET_ROOT_DIR:-/var/lib/staticlet}" \
  --hostname-override "${STATICLET_NODE:-$(hostname)}" "$@"
