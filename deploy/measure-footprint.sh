#!/usr/bin/env bash
# Measures what the agent costs the node, as deploy/bin/staticlet launches it: N busybox `sleep` pods,
# in cluster mode (a private control plane) or standalone. Prints one block of figures per phase:
#
#   fresh    start with N new manifests: exec -> /healthz ok, -> every pod Running+ready in /pods,
#            -> every mirror Running+ready with the same container ids (cluster mode)
#   steady   after --settle s: VmRSS, PSS (smaps_rollup), threads, heap (GC.heap_info), loaded
#            classes (VM.classloader_stats), CPU over --window s; NMT summary with --nmt
#   restart  SIGKILL + start again with the N pods running (adopted), --restarts times:
#            exec -> /healthz ok, -> /pods and every mirror consistent (same container ids as before)
#
# Usage (as root, on the machine's Docker engine; heavy: run under the shared lock):
#   flock /work/locks/heavy.lock deploy/measure-footprint.sh [options]
# Options:
#   --mode cluster|standalone   (default cluster)
#   --pods N                    (default 100)
#   --java PATH                 JAVA for the launcher (default: the launcher's own choice)
#   --opts "JVM OPTS"           STATICLET_JAVA_OPTS (appended to the launcher's settings)
#   --launcher PATH             (default deploy/bin/staticlet of this checkout)
#   --settle S --window S       (default 20 and 60: the window covers the 1-min resync)
#   --restarts N                (default 3)
#   --nmt                       add -XX:NativeMemoryTracking=summary and print the NMT summary
#   --label TEXT                printed with the figures
#   --out FILE                  append the figures as one JSON line
#   --node NAME                 node name (default fp-<hostname>); containers carry io.staticlet.node=NAME
# Everything it started (agent, the node's containers, the control plane) is removed at the end,
# on error and on Ctrl-C. Needs curl, jq, jcmd of the runtime (or PATH's) and python3 (free ports).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
MODE=cluster PODS=100 JAVA_BIN="" OPTS="" LAUNCHER="$HERE/bin/staticlet" SETTLE=20 WINDOW=60 RESTARTS=3
NMT=0 LABEL="" OUT="" NODE="fp-$(hostname | tr 'A-Z_.' 'a-z--' | cut -c1-30)"
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) MODE=$2; shift ;;
    --pods) PODS=$2; shift ;;
    --java) JAVA_BIN=$2; shift ;;
    --opts) OPTS=$2; shift ;;
    --launcher) LAUNCHER=$2; shift ;;
    --settle) SETTLE=$2; shift ;;
    --window) WINDOW=$2; shift ;;
    --restarts) RESTARTS=$2; shift ;;
    --nmt) NMT=1 ;;
    --label) LABEL=$2; shift ;;
    --out) OUT=$2; shift ;;
    --node) NODE=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "measure-footprint: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ "$NMT" = 1 ] && OPTS="$OPTS -XX:NativeMemoryTracking=summary"

WORK=/tmp/staticlet-footprint-$NODE
CP=$WORK/controlplane
rm -rf "$WORK/manifests" "$WORK/root"
mkdir -p "$WORK/manifests" "$WORK/root"
AGENT_PID=""
say() { printf 'measure-footprint: %s\n' "$*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

cleanup() {
  set +e
  [ -n "$AGENT_PID" ] && kill -9 "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
  ids=$(docker ps -aq --filter "label=io.staticlet.node=$NODE")
  # in parallel batches: a busy engine removes ~1 container per second one at a time
  [ -n "$ids" ] && echo "$ids" | xargs -n 20 -P 4 docker rm -f >/dev/null
  [ "$MODE" = cluster ] && [ -d "$CP" ] && "$REPO/deploy/controlplane/controlplane.sh" down "$CP" >/dev/null 2>&1
  say "cleaned up: agent, $(echo "$ids" | grep -c .) containers of node $NODE, control plane ($MODE)"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r HEALTHZ RO KPORT < <(python3 -c '
import socket
s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')

KUBECONFIG_ARGS=()
if [ "$MODE" = cluster ]; then
  say "control plane up ($CP)"
  CONTROLPLANE_OWNER_PID=$$ "$REPO/deploy/controlplane/controlplane.sh" up "$CP" >/dev/null
  NODE_KC=$("$REPO/deploy/controlplane/controlplane.sh" node-kubeconfig "$NODE" "$CP" | tail -1)
  KUBECONFIG_ARGS=(--kubeconfig "$NODE_KC")
  # shellcheck disable=SC1091
  . "$CP/ports.env"
  API_PORT=$(sed -n 's/.*server: https:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$CP/kubeconfigs/admin.kubeconfig" | head -1)
fi

for i in $(seq -w 1 "$PODS"); do
  cat >"$WORK/manifests/sleep-$i.yaml" <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: sleep-$i
  namespace: default
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: staticlet/busybox:1.36
    command: ["sleep", "86400"]
EOF
done

start_agent() {
  T0=$(now_ms)
  # shellcheck disable=SC2086
  env ${JAVA_BIN:+JAVA=$JAVA_BIN} STATICLET_JAVA_OPTS="$OPTS" "$LAUNCHER" \
    --pod-manifest-path "$WORK/manifests" --hostname-override "$NODE" --root-dir "$WORK/root" \
    --read-only-port "$RO" --healthz-port "$HEALTHZ" --address 127.0.0.1 --port "$KPORT" --node-ip 127.0.0.1 \
    --file-check-frequency 20s "${KUBECONFIG_ARGS[@]}" >>"$WORK/agent.log" 2>&1 &
  AGENT_PID=$!
}

# the sorted container ids of the Running+ready pods of a PodList on stdin, and their count
ready_ids() {
  jq -r '[(.items // [])[] | select(.status.phase=="Running")
          | select(any(.status.conditions[]?; .type=="Ready" and .status=="True"))
          | [.status.containerStatuses[]? | .containerID] | sort | join(",")] | sort | "\(length) \(join(";"))"'
}
local_ids() { curl -sf --max-time 2 "http://127.0.0.1:$RO/pods" | ready_ids; }
mirror_ids() {
  curl -sf --max-time 2 --cacert "$CP/pki/ca.crt" --cert "$CP/pki/admin.crt" --key "$CP/pki/admin.key" \
    "https://127.0.0.1:$API_PORT/api/v1/pods?fieldSelector=spec.nodeName%3D$NODE" | ready_ids
}

# waits (polling every 50 ms, up to $2 s) for `$1` to succeed; prints ms since T0
wait_for() {
  local deadline=$(( $(now_ms) + $2 * 1000 ))
  until eval "$1" >/dev/null 2>&1; do
    [ "$(now_ms)" -gt "$deadline" ] && { echo "timeout"; return 0; }
    kill -0 "$AGENT_PID" 2>/dev/null || { echo "agent-died"; return 0; }
    sleep 0.05
  done
  echo $(( $(now_ms) - T0 ))
}
healthz_ok() { [ "$(curl -sf --max-time 1 "http://127.0.0.1:$HEALTHZ/healthz")" = ok ]; }
all_local() { local r; r=$(local_ids) && [ "${r%% *}" = "$PODS" ] && { [ -z "${1:-}" ] || [ "$r" = "$1" ]; }; }
all_mirrors() { local r; r=$(mirror_ids) && [ "${r%% *}" = "$PODS" ] && { [ -z "${1:-}" ] || [ "$r" = "$1" ]; }; }

JAVA_PID=""
java_pid() { # the launcher execs java: the launcher's pid is the JVM's
  JAVA_PID=$AGENT_PID
}
jcmd_bin() {
  local j; j=$(readlink -f "/proc/$JAVA_PID/exe"); local d; d=$(dirname "$j")
  if [ -x "$d/jcmd" ]; then echo "$d/jcmd"; else echo jcmd; fi
}

sample() { # prints the steady-state figures as key=value lines
  local pid=$JAVA_PID jc; jc=$(jcmd_bin)
  echo "rss_kb=$(awk '/^VmRSS/{print $2}' /proc/$pid/status)"
  echo "pss_kb=$(awk '/^Pss:/{print $2}' /proc/$pid/smaps_rollup)"
  echo "pss_anon_kb=$(awk '/^Pss_Anon:/{print $2}' /proc/$pid/smaps_rollup)"
  echo "pss_file_kb=$(awk '/^Pss_File:/{print $2}' /proc/$pid/smaps_rollup)"
  echo "threads=$(awk '/^Threads/{print $2}' /proc/$pid/status)"
  if [ -x "$jc" ] || command -v "$jc" >/dev/null; then
    "$jc" "$pid" GC.heap_info 2>/dev/null | grep -E 'generation|Metaspace|class space' | sed 's/^/heapinfo: /'
    echo "classes=$("$jc" "$pid" VM.classloader_stats 2>/dev/null | awk '/^Total = /{print $4; exit}')"
    echo "classes_line=$("$jc" "$pid" VM.classloader_stats 2>/dev/null | grep '^Total = ' | tr -s ' ')"
    if [ "$NMT" = 1 ]; then
      "$jc" "$pid" VM.native_memory summary 2>/dev/null | grep -E '^(Total|-| +\(mmap|.*\(malloc)' | grep -E 'Total|^-' | sed 's/^/nmt: /'
      "$jc" "$pid" GC.class_histogram 2>/dev/null | sed -n '1,18p;$p' | sed 's/^/histo: /'
      "$jc" "$pid" Thread.print 2>/dev/null | sed -n 's/^"\([^"]*\)".*/\1/p' | sed 's/[-#]*[0-9][0-9]*$//; s/[0-9]*$//' | sort | uniq -c | sort -rn | tr -s ' ' | paste -sd, | sed 's/^/thread-names: /'
    fi
  fi
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$JAVA_PID/stat"; }

# ---------------------------------------------------------------------------------------------
say "agent: $LAUNCHER ${JAVA_BIN:+JAVA=$JAVA_BIN} opts='$OPTS' mode=$MODE pods=$PODS node=$NODE"
: >"$WORK/agent.log"
start_agent; java_pid
FRESH_HEALTHZ=$(wait_for healthz_ok 60)
FRESH_LOCAL=$(wait_for all_local 240)
FRESH_MIRRORS=n/a
[ "$MODE" = cluster ] && FRESH_MIRRORS=$(wait_for all_mirrors 120)
say "fresh: healthz=${FRESH_HEALTHZ}ms pods=${FRESH_LOCAL}ms mirrors=${FRESH_MIRRORS}ms"
sleep "$SETTLE"
STEADY=$(sample)
c0=$(cpu_ticks); sleep "$WINDOW"; c1=$(cpu_ticks)
CPU_PCT=$(awk -v d=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v w="$WINDOW" 'BEGIN{printf "%.2f", 100*d/hz/w}')
RSS_AFTER_WINDOW=$(awk '/^VmRSS/{print $2}' /proc/$JAVA_PID/status)
EXPECT=$(local_ids)

RESTART_HEALTHZ=() RESTART_CONSISTENT=()
for r in $(seq 1 "$RESTARTS"); do
  kill -9 "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true
  echo "---- restart $r (SIGKILL before) ----" >>"$WORK/agent.log"
  start_agent; java_pid
  h=$(wait_for healthz_ok 60)
  if [ "$MODE" = cluster ]; then
    c=$(wait_for "all_local '$EXPECT' && all_mirrors '$EXPECT'" 60)
  else
    c=$(wait_for "all_local '$EXPECT'" 60)
  fi
  RESTART_HEALTHZ+=("$h") RESTART_CONSISTENT+=("$c")
  say "restart $r: healthz=${h}ms consistent=${c}ms"
done
sleep "$SETTLE"
ADOPTED=$(sample)
RESTARTED_CONTAINERS=$(docker ps -a --filter "label=io.staticlet.node=$NODE" --format '{{.Status}}' | grep -vc '^Up' || true)

{
  echo "== ${LABEL:-run} mode=$MODE pods=$PODS java=$(readlink -f /proc/$JAVA_PID/exe) opts='$OPTS'"
  echo "fresh_healthz_ms=$FRESH_HEALTHZ fresh_pods_ms=$FRESH_LOCAL fresh_mirrors_ms=$FRESH_MIRRORS"
  echo "-- steady after fresh start (+${SETTLE}s)"; echo "$STEADY"
  echo "cpu_pct=$CPU_PCT (window ${WINDOW}s) rss_after_window_kb=$RSS_AFTER_WINDOW"
  echo "restart_healthz_ms=${RESTART_HEALTHZ[*]} restart_consistent_ms=${RESTART_CONSISTENT[*]}"
  echo "-- after the last restart (adopted, +${SETTLE}s)"; echo "$ADOPTED"
  echo "containers_not_up=$RESTARTED_CONTAINERS"
  echo "agent_log=$WORK/agent.log"
} | tee "$WORK/result.txt"
if [ -n "$OUT" ]; then
  jq -cn --arg lbl "$LABEL" --arg mode "$MODE" --arg opts "$OPTS" --arg java "$(readlink -f /proc/$JAVA_PID/exe)" \
    --arg fh "$FRESH_HEALTHZ" --arg fp "$FRESH_LOCAL" --arg fm "$FRESH_MIRRORS" --arg cpu "$CPU_PCT" \
    --arg steady "$STEADY" --arg adopted "$ADOPTED" --arg rh "${RESTART_HEALTHZ[*]}" --arg rc "${RESTART_CONSISTENT[*]}" \
    --arg time "$(date -u +%FT%TZ)" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
    '{time:$time,load:$load,label:$lbl,mode:$mode,java:$java,opts:$opts,fresh_healthz_ms:$fh,fresh_pods_ms:$fp,
      fresh_mirrors_ms:$fm,cpu_pct:$cpu,steady:$steady,restart_healthz_ms:$rh,restart_consistent_ms:$rc,adopted:$adopted}' >>"$OUT"
fi
