#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock: installs docker.io from Debian's
# packages when dockerd is missing and starts dockerd in the background when nothing answers.
# Idempotent; safe to call from every script and test run.
set -euo pipefail

log() { printf 'ensure-docker: %s\n' "$*" >&2; }

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# kubectl port-forward enters the pod's network namespace with nsenter (util-linux) and relays with
# socat, as dockershim did; install socat when it is missing
if ! command -v socat >/dev/null 2>&1; then
  log "no socat found: installing it from Debian's packages (kubectl port-forward needs it)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq socat >/dev/null
fi

if engine_answers; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "no dockerd found: installing docker.io from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker.io >/dev/null
fi

log "starting dockerd in the background (log: /var/log/staticlet-dockerd.log)"
nohup dockerd --storage-driver=overlay2 >/var/log/staticlet-dockerd.log 2>&1 &

for _ in $(seq 1 150); do
  if engine_answers; then
    log "engine $(docker version --format '{{.Server.Version}}') is up"
    exit 0
  fi
  sleep 0.2
done
log "dockerd did not answer within 30 s; last lines of its log:"
tail -n 20 /var/log/staticlet-dockerd.log >&2 || true
exit 1
