#!/usr/bin/env bash
# Builds the Java runtime staticlet ships with, so a node needs no JDK: a jlink image of Temurin 25
# with only the modules the agent uses, plus an AOT cache (JEP 483/514/515: classes loaded and linked,
# method profiles) trained by a short standalone run of the agent. deploy/bin/staticlet uses
# <its dir>/../runtime/bin/java and <that runtime>/lib/staticlet.aot when they exist.
# Why this runtime and these settings: docs/performance.md ("Footprint and start-up session").
#
#   deploy/build-runtime.sh [--out DIR] [--jar JAR] [--jdk JDK_HOME] [--train-pods N] [--no-aot]
#
#   --out DIR    the runtime image (default: deploy/runtime next to this script's bin/, i.e. where the
#                launcher of this checkout looks); DIR/bin/java, DIR/lib/staticlet.aot
#   --jar JAR    the agent jar the AOT cache is trained with and valid for (default app/target/staticlet.jar,
#                built if missing). The cache records the jar's path, size and mtime: train it with the jar
#                at the path it is run from (an installer passes the installed jar), else the JVM ignores it
#   --jdk HOME   the JDK to jlink from (default /usr/lib/jvm/temurin-25-jdk-amd64); needs JDK >= 25
#   --train-pods N  pods in the training run (default 2; 0 starts no container at all)
#   --no-aot     the image only
#   --aot-only   DIR is an existing image (e.g. one staged for a package): only (re)train its AOT cache
#
# Offline and idempotent: the image is rebuilt only when the JDK, the module list or this script
# changed (DIR/release.staticlet records them), the AOT cache only when the jar or the image changed.
# Training needs the Docker engine (the agent checks it at start; the two sandboxes it starts are
# removed) and no cluster.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
OUT="$HERE/runtime" JAR="" JDK=/usr/lib/jvm/temurin-25-jdk-amd64 AOT=1 TRAIN_PODS=2 AOT_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift ;;
    --jar) JAR=$2; shift ;;
    --jdk) JDK=$2; shift ;;
    --train-pods) TRAIN_PODS=$2; shift ;;
    --no-aot) AOT=0 ;;
    --aot-only) AOT_ONLY=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-runtime: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
say() { printf 'build-runtime: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

[ -x "$JDK/bin/jlink" ] || die "no JDK with jlink at $JDK (--jdk)"
feature=$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${feature:-0}" -ge 25 ] || die "$JDK is Java $feature; the AOT cache and compact object headers need 25"

if [ -z "$JAR" ]; then
  JAR="$REPO/app/target/staticlet.jar"
  if [ ! -f "$JAR" ]; then
    say "building $JAR"
    (cd "$REPO" && mvn -o -B -q -DskipTests -pl app -am package)
  fi
fi
JAR="$(readlink -f "$JAR")"
[ -f "$JAR" ] || die "no agent jar at $JAR"
OUT="$(realpath -m "$OUT")"

# The modules: what jdeps finds in the jar (java.desktop: java.beans in snakeyaml/Jackson; java.sql:
# Jackson's date types), plus what is reached only by reflection or service loading, plus jcmd for
# diagnostics on the node (heap, NMT, thread dumps). A fixed list, so the image does not depend on
# which jar trained it; build-runtime checks that jdeps finds nothing outside it.
MODULES="java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.unsupported,jdk.naming.dns,jdk.jcmd,jdk.zipfs"
stamp="jdk=$("$JDK/bin/java" -version 2>&1 | tail -1) modules=$MODULES script=$(sha256sum "$0" | cut -c1-16)"

if [ "$AOT_ONLY" = 1 ]; then
  [ -x "$OUT/bin/java" ] && [ -f "$OUT/release.staticlet" ] || die "--aot-only: $OUT is no image made by $0"
elif [ -x "$OUT/bin/java" ] && [ "$(cat "$OUT/release.staticlet" 2>/dev/null)" = "$stamp" ]; then
  say "image up to date: $OUT"
else
  needed=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$feature" -q "$JAR")
  for m in ${needed//,/ }; do
    case ",$MODULES," in *",$m,"*) ;; *) die "the jar needs module $m, which is not in MODULES of $0" ;; esac
  done
  say "jlink $JDK -> $OUT"
  rm -rf "$OUT.tmp"
  # --compress=zip-0: the modules file stays uncompressed; it is mapped, so uncompressed classes load
  # without inflating (start-up), and the .deb compresses it anyway
  "$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
    --compress=zip-0 --generate-cds-archive --output "$OUT.tmp"
  echo "$stamp" >"$OUT.tmp/release.staticlet"
  rm -rf "$OUT"
  mv "$OUT.tmp" "$OUT"
  rm -f "$OUT/lib/staticlet.aot.stamp"
fi

[ "$AOT" = 1 ] || { say "done (no AOT cache): $OUT/bin/java"; exit 0; }

aot_stamp="jar=$JAR $(stat -c '%s %Y' "$JAR") image=$(cat "$OUT/release.staticlet")"
if [ -f "$OUT/lib/staticlet.aot" ] && [ "$(cat "$OUT/lib/staticlet.aot.stamp" 2>/dev/null)" = "$aot_stamp" ]; then
  say "AOT cache up to date: $OUT/lib/staticlet.aot"
  exit 0
fi

# Training: the agent with two manifests whose app image does not exist (never pulled:
# imagePullPolicy Never; their sandboxes start and are removed afterwards), long enough to load what a
# start with pods loads, stopped with SIGTERM; the JVM writes the cache at exit (-XX:AOTCacheOutput,
# JDK 25's one-step workflow).
train=$(mktemp -d /tmp/staticlet-aot-train.XXXXXX)
mkdir -p "$train/manifests" "$train/root"
for n in $(seq 1 "$TRAIN_PODS"); do
  cat >"$train/manifests/train-$n.yaml" <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: train-$n
spec:
  containers:
  - name: app
    image: staticlet.invalid/aot-training:never
    imagePullPolicy: Never
    command: ["true"]
    readinessProbe:
      httpGet: {port: 1, path: /}
EOF
done
read -r p1 p2 p3 p4 < <(python3 -c '
import socket
s=[socket.socket() for _ in range(4)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
# cluster mode against an API server that is not there (a closed port): the API client, the JDK
# HttpClient and the Node/Lease/Pod model are built and used, and everything retries in the background
cat >"$train/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: none
  cluster: {server: "https://127.0.0.1:$p4", insecure-skip-tls-verify: true}
users:
- name: none
  user: {token: aot-training}
contexts:
- name: none
  context: {cluster: none, user: none}
current-context: none
EOF
node=aot-training-$$
cleanup_containers() {
  if command -v docker >/dev/null; then
    docker ps -aq --filter "label=io.staticlet.node=$node" | xargs -r docker rm -f >/dev/null 2>&1 || true
  fi
}
trap 'cleanup_containers; rm -rf "$train"' EXIT
say "training the AOT cache (~15 s)"
# the same JVM settings as the launcher, or the cache is refused at run time (GC, heap size, headers)
JAVA="$OUT/bin/java" STATICLET_AOT=off STATICLET_JAVA_OPTS="-XX:AOTCacheOutput=$OUT/lib/staticlet.aot.tmp" \
  STATICLET_JAR="$JAR" "$HERE/bin/staticlet" \
  --pod-manifest-path "$train/manifests" --root-dir "$train/root" --hostname-override "$node" --kubeconfig "$train/kubeconfig" \
  --read-only-port "$p1" --healthz-port "$p2" --port "$p3" --address 127.0.0.1 >"$train/agent.log" 2>&1 &
pid=$!
ok=0
for _ in $(seq 1 300); do
  if curl -sf --max-time 1 "http://127.0.0.1:$p1/pods" >/dev/null 2>&1 \
      && curl -sf --max-time 1 "http://127.0.0.1:$p2/healthz" >/dev/null 2>&1 \
      && curl -sf --max-time 1 "http://127.0.0.1:$p1/metrics" >/dev/null 2>&1; then
    ok=1
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[ "$ok" = 1 ] && sleep 5 # the first re-list, the sync workers' first passes, the engine ping
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
if [ "$ok" != 1 ] || [ ! -s "$OUT/lib/staticlet.aot.tmp" ]; then
  tail -20 "$train/agent.log" >&2
  die "training failed (log above); the image works without the cache: rerun with --no-aot"
fi
mv "$OUT/lib/staticlet.aot.tmp" "$OUT/lib/staticlet.aot"
echo "$aot_stamp" >"$OUT/lib/staticlet.aot.stamp"
say "done: $OUT/bin/java, AOT cache $OUT/lib/staticlet.aot ($(du -h "$OUT/lib/staticlet.aot" | cut -f1)), image $(du -sh "$OUT" | cut -f1)"
