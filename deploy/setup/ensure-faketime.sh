#!/usr/bin/env bash
# Makes sure libfaketime is installed (Debian package faketime): the fault suite runs one agent
# under it to step the agent's wall clock back an hour (ClockStepFaultIT). Idempotent.
set -euo pipefail

LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
if [ -e "$LIB" ]; then
  exit 0
fi
printf 'ensure-faketime: installing faketime from Debian'"'"'s packages\n' >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq faketime >/dev/null
