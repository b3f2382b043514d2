#!/usr/bin/env bash
# Removes every container staticlet manages on this engine (all static pods, all nodes' names).
set -euo pipefail
ids=$(docker ps -aq --filter label=io.staticlet.managed=true)
[ -z "$ids" ] || docker rm -f $ids >/dev/null
echo "removed $(echo "$ids" | grep -c . || true) containers"
