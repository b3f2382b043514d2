#!/usr/bin/env bash
# The staticlet benchmark (issues #6, #14): starts the built agent as a separate process through its
# launcher deploy/bin/staticlet (as installed) against the local Docker engine and a private loopback
# control plane, and measures pod startup (B1, B2, B4), mirror reaction (B3), footprint (B5, next to
# the kubelet's figures), restart (B6), 110 probed pods (B7) and kubelet-API latency (B8) against
# baselines measured in the same run.
# Prints one table; writes bench/target/bench-results.json (and --results FILE). About 10-14 min on
# 2 cores; removes every container and process it started, also on Ctrl-C.
#
#   deploy/bench.sh                                   # everything, the launcher's JVM settings
#   deploy/bench.sh --agent-jvm-opts "-Xmx96m" --agent-cds --results /tmp/r.json  # added to the launcher's
#   deploy/bench.sh --only B1,B3 --runs 10            # a subset
#   deploy/bench.sh --help                            # all options
#
# Env: BENCH_NO_BUILD=1 uses the jars as they are (no Maven); MVN_ARGS adds Maven options (e.g. -o);
# BENCH_NO_RUNTIME=1 runs the agent on the bench's java instead of the bundled runtime image.
# The first run on a fresh machine also builds the control plane's binaries (~9 min, once).
# Read docs/performance.md before comparing figures: measure on a quiet machine.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

for a in "$@"; do
  if [[ $a == -h || $a == --help ]]; then
    exec java -jar bench/target/staticlet-bench.jar --help 2>/dev/null || { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }
  fi
done

"$repo/deploy/setup/ensure-docker.sh"
"$repo/deploy/images/build-images.sh"

stale() { # jar, source dirs...: true when the jar is missing or older than a source file
  local jar=$1
  shift
  [[ ! -f $jar ]] || [[ -n "$(find "$@" \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit 2>/dev/null)" ]]
}
if [[ -z ${BENCH_NO_BUILD:-} ]]; then
  # shellcheck disable=SC2086 # MVN_ARGS is a list of options
  if stale app/target/staticlet.jar core runtime-docker mirror app pom.xml; then
    echo "bench: building the agent (app/target/staticlet.jar)" >&2
    mvn -B -q ${MVN_ARGS:-} -DskipTests -pl app -am package
  fi
  # shellcheck disable=SC2086
  if stale bench/target/staticlet-bench.jar bench testkit pom.xml; then
    echo "bench: building the bench (bench/target/staticlet-bench.jar)" >&2
    mvn -B -q ${MVN_ARGS:-} -DskipTests -pl bench -am package
  fi
fi

# The control plane's binaries: built once per machine (cached in ~/.cache/staticlet); if that
# fails, the bench still runs and reports the cluster rows as n/a.
if [[ -z ${KUBE_BIN_DIR:-} && ! " $* " =~ " --no-cluster " ]]; then
  if kbin=$("$repo/deploy/controlplane/build-kube.sh" | tail -n 1) && [[ -x $kbin/kube-apiserver ]]; then
    export KUBE_BIN_DIR=$kbin
  else
    echo "bench: control plane binaries unavailable; cluster rows will be n/a" >&2
  fi
fi

# The agent as the release installs it (deploy/release.sh: /usr/lib/staticlet/staticlet.jar and the
# bundled runtime with its AOT cache trained for that jar): a copy of the build's jar in
# bench/target/installed (so later builds do not change it mid-run) and a runtime image made by
# deploy/build-runtime.sh for that copy (idempotent: ~1 min the first time, seconds after). Without
# a JDK 25 to jlink from, the agent runs on the bench's java, and the report says which.
installed=( )
if [[ -z ${BENCH_NO_RUNTIME:-} && ! " $* " =~ " --agent-java " ]] \
    && [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/jlink ]]; then
  stage=$repo/bench/target/installed
  mkdir -p "$stage"
  cmp -s app/target/staticlet.jar "$stage/staticlet.jar" || cp -p app/target/staticlet.jar "$stage/staticlet.jar"
  if "$repo/deploy/build-runtime.sh" --out "$stage/runtime" --jar "$stage/staticlet.jar" >&2; then
    installed=(--agent-jar "$stage/staticlet.jar" --agent-java "$stage/runtime/bin/java")
  else
    echo "bench: the runtime image could not be built; the agent runs on $(command -v java)" >&2
  fi
fi

# exec: Ctrl-C reaches the JVM directly, whose shutdown hook removes what it started
exec java -XX:+UseSerialGC -Xmx512m -jar bench/target/staticlet-bench.jar --repo "$repo" "${installed[@]}" "$@"
