#!/usr/bin/env bash
# Builds the release an operator installs on a Debian node: one .deb, made with dpkg-deb, holding the
# agent, a Java runtime of its own (the node needs no JDK), the systemd unit, the sample configuration
# and the kubelet-compatible entry point (README: "Installing a release"; docs/release.md).
#
#   /usr/lib/staticlet/bin/staticlet        the launcher (deploy/bin/staticlet: the JVM settings)
#   /usr/lib/staticlet/bin/kubelet          -> staticlet: the kubelet-compatible entry point
#   /usr/lib/staticlet/staticlet.jar        the agent, its manifest stamped with the package version
#   /usr/lib/staticlet/runtime/             the Java runtime image (bin/java)
#   /usr/bin/staticlet                      -> ../lib/staticlet/bin/staticlet
#   /usr/sbin/staticlet-install-as-kubelet  deploy/install-as-kubelet.sh: makes it the node's kubelet, and undoes it
#   /usr/share/staticlet/systemd/           kubelet.service and kubeadm's drop-in, for that script
#   /lib/systemd/system/staticlet.service   the unit (not enabled by the package)
#   /etc/staticlet/config.yaml              conffile: the sample KubeletConfiguration
#   /etc/default/staticlet                  conffile: STATICLET_ARGS and STATICLET_JAVA_OPTS for the unit
#   /usr/share/doc/staticlet/               README, copyright, changelog, examples/ (deploy/examples)
#
# The version is the Maven project version; a -SNAPSHOT becomes <version>~git<commits>.g<sha> (dirty
# trees: .dirty<UTC time>), so later builds compare higher (dpkg --compare-versions) and the final
# <version> higher than them all. Offline and idempotent: the same tree gives the same file, the
# runtime image is built once per JDK and module list and reused from target/release-cache.
#
# The AOT cache (/usr/lib/staticlet/runtime/lib/staticlet.aot) is trained for the installed paths:
# the staged jar and runtime are bind-mounted at /usr/lib/staticlet in a private mount namespace for the
# training run (a real /usr/lib/staticlet is never touched), and the jar's mtime is the one dpkg installs
# (SOURCE_DATE_EPOCH). It is trained once per staged jar and runtime and kept in target/release-cache.
#
# Usage: deploy/release.sh [--version V] [--out DIR] [--jar FILE] [--jdk DIR] [--online] [--no-lintian]
#                          [--no-aot] [--train-pods N]
#   --version V    the package version (Debian syntax, e.g. 0.1.0~rc1, 0.1.0+build7)
#   --out DIR      where staticlet_<version>_amd64.deb goes (default: target/release)
#   --jar FILE     package this agent jar (default: app/target/staticlet.jar, built with mvn -o when stale)
#   --jdk DIR      the JDK whose jlink makes the runtime (default: Temurin 25 when installed, else the default JDK)
#   --online       let Maven download what it lacks (default: -o, offline)
#   --no-lintian   skip lintian (it runs when installed; its findings are printed, never fatal)
#   --no-aot       ship no AOT cache (the agent starts ~2x slower; training needs root and the engine)
#   --train-pods N pods in the AOT training run (default 2: sandboxes on the local engine, removed after)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
version=
out=$repo/target/release
jar=
jdk=
offline=-o
lintian=true
aot=true
train_pods=2
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --jdk) jdk=$2; shift 2 ;;
    --online) offline=; shift ;;
    --no-lintian) lintian=false; shift ;;
    --no-aot) aot=false; shift ;;
    --train-pods) train_pods=$2; shift 2 ;;
    -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
    *) echo "release: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
log() { printf 'release: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Debian's tools, from Debian's archive when missing
need=()
command -v dpkg-deb >/dev/null || need+=(dpkg)
command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; }
fi

# the JDK: jdeps, jlink, jar
if [ -z "$jdk" ]; then
  if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/jlink ]; then
    jdk=/usr/lib/jvm/temurin-25-jdk-amd64
  elif command -v jlink >/dev/null; then
    jdk=$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")
  else
    log "installing openjdk-17-jdk-headless (jlink)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openjdk-17-jdk-headless >/dev/null
    jdk=/usr/lib/jvm/java-17-openjdk-amd64
  fi
fi
[ -x "$jdk/bin/jlink" ] || die "$jdk has no bin/jlink (--jdk DIR: a JDK)"
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
# before JDK 24, jlink links from jmods only; Debian ships them apart
if [ ! -d "$jdk/jmods" ] && [ "$feature" -lt 24 ]; then
  log "installing openjdk-$feature-jmods (jlink)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "openjdk-$feature-jmods" >/dev/null
fi

# the version
base=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$repo/pom.xml" | head -1)
[ -n "$base" ] || die "no <version> in $repo/pom.xml"
if [ -z "$version" ]; then
  version=${base%-SNAPSHOT}
  if [ "$version" != "$base" ]; then
    if git -C "$repo" rev-parse HEAD >/dev/null 2>&1; then
      version="$version~git$(git -C "$repo" rev-list --count HEAD).g$(git -C "$repo" rev-parse --short=7 HEAD)"
      git -C "$repo" diff --quiet HEAD -- 2>/dev/null || version="$version.dirty$(date -u +%Y%m%d%H%M%S)"
    else
      version="$version~dev$(date -u +%Y%m%d%H%M%S)"
    fi
  fi
fi
dpkg --validate-version "$version" 2>/dev/null || die "'$version' is not a Debian version"
# the agent reports it as semver build metadata (Kubernetes v1.20.2+staticlet-<version>): no ~ or +
agent_version=$(printf '%s' "$version" | tr '~+:' '-..')

# the jar
if [ -z "$jar" ]; then
  jar=$repo/app/target/staticlet.jar
  if [ ! -f "$jar" ] || [ -n "$(find "$repo"/core "$repo"/runtime-docker "$repo"/mirror "$repo"/app \
      \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
    log "building $jar"
    (cd "$repo" && mvn $offline -B -q -ntp -DskipTests package -pl app -am) || die "mvn package failed (offline? try --online)"
  fi
fi
[ -f "$jar" ] || die "$jar does not exist"
jar=$(readlink -f "$jar")

mkdir -p "$out"
out=$(cd "$out" && pwd)
deb=$out/staticlet_${version}_amd64.deb
stage=$out/.staticlet_${version}_amd64
cache=$repo/target/release-cache
mkdir -p "$cache"
rm -rf "$stage"
trap 'rm -rf "$stage"' EXIT
epoch=$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$epoch}

# The runtime image. deploy/build-runtime.sh makes it when present (the tuned one, docs/performance.md);
# else the modules jdeps finds, plus those loaded only by name (EC keys, process metrics, zip file system).
builder=$repo/deploy/build-runtime.sh
jar_sha=$(sha256sum < "$jar" | cut -c1-16)
if [ -x "$builder" ]; then
  key=$( { cat "$jdk/release"; readlink -f "$jdk"; echo "$jar_sha"; sha256sum < "$builder"; } | sha256sum | cut -c1-16)
else
  # the modules the jar needs (jdeps takes ~10 s: remembered per jar); the image only changes with them
  if [ ! -s "$cache/modules-$jar_sha" ]; then
    modules=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$feature" "$jar")
    for extra in jdk.crypto.ec jdk.management jdk.unsupported jdk.zipfs; do
      "$jdk/bin/java" --list-modules | grep -q "^$extra@" && modules="$modules,$extra"
    done
    echo "$modules" > "$cache/modules-$jar_sha"
  fi
  modules=$(cat "$cache/modules-$jar_sha")
  key=$( { cat "$jdk/release"; readlink -f "$jdk"; echo "$modules"; echo fallback-1; } | sha256sum | cut -c1-16)
fi
runtime=$cache/runtime-$key
if [ ! -x "$runtime/bin/java" ]; then
  rm -rf "$runtime" "$runtime.tmp"
  if [ -x "$builder" ]; then
    log "building the runtime image with $builder"
    # --no-aot: an AOT cache is valid only for the jar path, size and mtime it was trained with; it is
    # trained below, on the staged jar at its installed path
    JAVA_HOME=$jdk "$builder" --out "$runtime.tmp" --no-aot >&2
  else
    log "building the runtime image with $jdk/bin/jlink: $modules"
    "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
      --generate-cds-archive --output "$runtime.tmp" >&2
  fi
  [ -x "$runtime.tmp/bin/java" ] || die "the runtime image has no bin/java"
  mv "$runtime.tmp" "$runtime"
fi
# old images and module lists go; the newest stay (this build's and the one before)
{ ls -1dt "$cache"/runtime-* 2>/dev/null || true; } | tail -n +3 | xargs -r rm -rf
{ ls -1t "$cache"/modules-* 2>/dev/null || true; } | tail -n +5 | xargs -r rm -f

log "staging $version"
lib=$stage/usr/lib/staticlet
doc=$stage/usr/share/doc/staticlet
install -d -m 0755 "$lib/bin" "$stage/usr/bin" "$stage/usr/sbin" "$stage/lib/systemd/system" \
  "$stage/etc/staticlet" "$stage/etc/default" "$doc/examples" "$stage/usr/share/staticlet/systemd" "$stage/DEBIAN"
install -m 0755 "$repo/deploy/bin/staticlet" "$lib/bin/staticlet"
ln -s staticlet "$lib/bin/kubelet"
ln -s ../lib/staticlet/bin/staticlet "$stage/usr/bin/staticlet"
install -m 0755 "$repo/deploy/install-as-kubelet.sh" "$stage/usr/sbin/staticlet-install-as-kubelet"
install -m 0644 "$jar" "$lib/staticlet.jar"
printf 'Implementation-Version: %s\n' "$agent_version" > "$stage/manifest.add"
# (jar warns that the attribute was there already: it is replaced, which is the point)
# (--date, JDK 19 and later: the manifest entry gets the commit's time, so the same tree gives the same file)
jar_date=()
"$jdk/bin/jar" --help 2>&1 | grep -q -- --date && jar_date=(--date "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)")
jar_out=$("$jdk/bin/jar" --update "${jar_date[@]}" --file "$lib/staticlet.jar" --manifest "$stage/manifest.add" 2>&1) \
  || die "stamping the version into the jar failed: $jar_out"
rm "$stage/manifest.add"
cp -a "$runtime" "$lib/runtime"
# headless, as Debian's -headless JREs: without the X11, sound and splash-screen libraries (never
# loaded by the agent; they would make the package depend on libx11 and libasound)
rm -f "$lib/runtime/lib/libawt_xawt.so" "$lib/runtime/lib/libjsound.so" "$lib/runtime/lib/libsplashscreen.so"
chmod -R u+w,go-w,a+rX "$lib/runtime"
# stripped, as dh_strip does for Debian's JDK packages
find "$lib/runtime" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jexec -o -name jspawnhelper \) \
  -exec sh -c 'head -c4 "$1" | grep -q ELF' _ {} \; -exec strip --strip-unneeded --remove-section=.comment --remove-section=.note {} +
# The AOT cache, for /usr/lib/staticlet/staticlet.jar with the size and mtime dpkg installs it with
# (dpkg keeps the archive's mtimes: SOURCE_DATE_EPOCH, set on every staged file below) and for the
# runtime at /usr/lib/staticlet/runtime: the JVM refuses a cache trained for another jar path, size or
# mtime, or for another runtime. Trained once per staged jar, runtime and settings (target/release-cache).
find "$lib/staticlet.jar" "$lib/runtime" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
if $aot && [ -x "$builder" ]; then
  aot_key=$( { sha256sum < "$lib/staticlet.jar"; echo "$key $SOURCE_DATE_EPOCH $train_pods"; \
    sha256sum < "$builder"; sha256sum < "$repo/deploy/bin/staticlet"; } | sha256sum | cut -c1-16)
  aot_cached=$cache/aot-$aot_key
  if [ ! -s "$aot_cached/staticlet.aot" ] || [ ! -s "$aot_cached/staticlet.aot.stamp" ]; then
    log "training the AOT cache for /usr/lib/staticlet (private mount namespace)"
    rm -rf "$aot_cached" "$aot_cached.tmp"
    # the mount point is made (and removed afterwards) only when the node has no /usr/lib/staticlet;
    # the bind mount exists only inside the namespace
    if unshare --mount --propagation private sh -euc '
        made=
        [ -e /usr/lib/staticlet ] || { mkdir /usr/lib/staticlet; made=1; }
        trap "umount /usr/lib/staticlet 2>/dev/null || true; [ -z \"\$made\" ] || rmdir /usr/lib/staticlet" EXIT
        mount --bind "$1" /usr/lib/staticlet
        "$2" --aot-only --out /usr/lib/staticlet/runtime --jar /usr/lib/staticlet/staticlet.jar \
          --jdk "$3" --train-pods "$4"' sh "$lib" "$builder" "$jdk" "$train_pods" >&2 \
        && [ -s "$lib/runtime/lib/staticlet.aot" ]; then
      mkdir -p "$aot_cached.tmp"
      cp "$lib/runtime/lib/staticlet.aot" "$lib/runtime/lib/staticlet.aot.stamp" "$aot_cached.tmp/"
      mv "$aot_cached.tmp" "$aot_cached"
    else
      log "WARNING: AOT training failed (root, unshare and the engine are needed; --no-aot skips it):"
      log "the package ships without the cache and the agent starts slower"
      rm -f "$lib/runtime/lib/staticlet.aot" "$lib/runtime/lib/staticlet.aot.tmp" "$lib/runtime/lib/staticlet.aot.stamp"
    fi
  else
    log "AOT cache up to date: $aot_cached"
  fi
  if [ -s "$aot_cached/staticlet.aot" ]; then
    install -m 0644 "$aot_cached/staticlet.aot" "$aot_cached/staticlet.aot.stamp" "$lib/runtime/lib/"
  fi
  ls -1dt "$cache"/aot-* 2>/dev/null | tail -n +5 | xargs -r rm -rf || true # this build's, and three before
fi
install -m 0644 "$repo/deploy/systemd/staticlet.service" "$stage/lib/systemd/system/staticlet.service"
install -m 0644 "$repo/deploy/systemd/kubelet.service" "$repo/deploy/systemd/10-kubeadm.conf" "$stage/usr/share/staticlet/systemd/"
install -m 0644 "$repo/deploy/config.yaml" "$stage/etc/staticlet/config.yaml"
cat > "$stage/etc/default/staticlet" <<'EOF'
# Read by staticlet.service (EnvironmentFile). Kept across upgrades.
#
# Flags added to `staticlet --config /etc/staticlet/config.yaml`; they override the file's fields.
# e.g. STATICLET_ARGS="--kubeconfig /etc/staticlet/node.kubeconfig --hostname-override node-1"
STATICLET_ARGS=""
#
# JVM options appended to the launcher's settings (they win), e.g. a bigger heap for many pods:
# STATICLET_JAVA_OPTS="-Xmx128m"
EOF
chmod 0644 "$stage/etc/default/staticlet"
install -m 0644 "$repo"/deploy/examples/*.yaml "$repo/deploy/examples/README.md" "$doc/examples/"
gzip -9n < "$repo/README.md" > "$doc/README.md.gz"
[ -f "$repo/docs/release.md" ] && gzip -9n < "$repo/docs/release.md" > "$doc/release.md.gz"
chmod 0644 "$doc"/*.gz
cat > "$doc/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: staticlet
Comment: staticlet's own code is built from this repository. The package bundles, under
 /usr/lib/staticlet, the third-party Java libraries shaded into staticlet.jar (their licences
 are in the jar's META-INF) and a Java runtime image made with jlink from $(sed -n 's/^IMPLEMENTOR="\(.*\)"/\1/p' "$jdk/release") $(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$jdk/release")
 (GPL-2 with the Classpath exception; its notices are in /usr/lib/staticlet/runtime/legal).

Files: *
Copyright: 2026 staticlet developers
License: unspecified
 The repository states no licence.

Files: usr/lib/staticlet/runtime/*
Copyright: 1995-2026 Oracle and/or its affiliates, and the OpenJDK contributors
License: GPL-2 with Classpath exception
 See /usr/lib/staticlet/runtime/legal and /usr/share/common-licenses/GPL-2.
EOF
chmod 0644 "$doc/copyright"
printf 'staticlet (%s) unstable; urgency=medium\n\n  * Built from %s.\n\n -- staticlet developers <dev@staticlet.io>  %s\n' \
  "$version" "$(git -C "$repo" describe --always --dirty 2>/dev/null || echo 'a source tree')" \
  "$(date -u -R -d "@$SOURCE_DATE_EPOCH")" | gzip -9n > "$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"

install -d -m 0755 "$stage/usr/share/man/man8" "$stage/usr/share/lintian/overrides"
manpage() { # name, summary, synopsis, description
  printf '.TH %s 8 "" "staticlet %s" "System Administration"\n.SH NAME\n%s \\- %s\n.SH SYNOPSIS\n%b\n.SH DESCRIPTION\n%s\n.SH SEE ALSO\n/usr/share/doc/staticlet/README.md.gz\n' \
    "$1" "$version" "$1" "$2" "$3" "$4" | gzip -9n > "$stage/usr/share/man/man8/$1.8.gz"
}
manpage staticlet "run Kubernetes static pods on Docker, as the kubelet does" \
  '.B staticlet\n[\\fIkubelet flags\\fR]' \
  'Runs every Pod manifest of the manifest directory as a pod on the Docker engine and, with
.BR \-\-kubeconfig ,
publishes them as mirror pods. It takes the kubelet 1.20 flags and KubeletConfiguration file
.RB ( \-\-config );
.B staticlet \-\-help
lists them. staticlet.service runs it with /etc/staticlet/config.yaml and the
STATICLET_ARGS of /etc/default/staticlet.'
manpage staticlet-install-as-kubelet "make staticlet the node's kubelet, or undo it" \
  '.B staticlet-install-as-kubelet\n[\\-\\-root \\fIDIR\\fR] [\\-\\-uninstall]' \
  'Links /usr/bin/kubelet to staticlet and installs kubelet.service with the kubeadm drop-in
10-kubeadm.conf (unless the node has one), keeping whatever was there in
/var/lib/staticlet-install/backup.
.B \-\-uninstall
puts it back; removing the package does so too.'
chmod 0644 "$stage"/usr/share/man/man8/*.gz
cat > "$stage/usr/share/lintian/overrides/staticlet" <<'EOF'
# the bundled Java runtime (a jlink image) carries the libraries the JDK builds in; it is private
# to the agent, so that the node needs no JDK
staticlet: embedded-library * [usr/lib/staticlet/runtime/lib/*]
# the agent's jar is private to it, run by its launcher: not a library for other packages
staticlet: jar-not-in-usr-share [usr/lib/staticlet/*]
EOF
chmod 0644 "$stage/usr/share/lintian/overrides/staticlet"

# control: Depends from the runtime's shared libraries (dpkg-shlibdeps); the engine is Recommended
shlib=$stage/.shlibdeps
mkdir -p "$shlib/debian"
printf 'Source: staticlet\n\nPackage: staticlet\nArchitecture: amd64\n' > "$shlib/debian/control"
mapfile -t elfs < <(find "$lib/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec sh -c 'head -c4 "$1" | grep -q ELF && echo "$1"' _ {} \;)
depends=$(cd "$shlib" && dpkg-shlibdeps -O --ignore-missing-info -l"$lib/runtime/lib" -l"$lib/runtime/lib/server" "${elfs[@]}" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p')
rm -rf "$shlib"
[ -n "$depends" ] || depends="libc6"
depends="$depends, init-system-helpers (>= 1.52)" # deb-systemd-invoke in the maintainer scripts
cat > "$stage/DEBIAN/control" <<EOF
Package: staticlet
Version: $version
Architecture: amd64
Maintainer: staticlet developers <dev@staticlet.io>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Recommends: docker.io | docker-ce, socat
Section: admin
Priority: optional
Description: node agent that runs Kubernetes static pods on Docker
 staticlet does the kubelet's static-pod job: it runs every Pod manifest of a
 directory as a pod on the local Docker engine, restarts its containers, runs
 its probes and, given a kubeconfig, registers the Node and publishes each pod
 as a read-only mirror pod. It takes the kubelet's flags and configuration
 file, so kubeadm can use it as the node's kubelet
 (staticlet-install-as-kubelet).
 .
 The package bundles its own Java runtime. Stopping or upgrading the agent
 leaves the pods running: the new agent adopts them.
EOF
printf '/etc/staticlet/config.yaml\n/etc/default/staticlet\n' > "$stage/DEBIAN/conffiles"

cat > "$stage/DEBIAN/postinst" <<'EOF'
#!/bin/sh
# An upgrade restarts a running agent on the new version; its pods keep running (KillMode=process)
# and the new agent adopts them (pod UIDs come from the manifests, not from the agent's version).
set -e
if [ "$1" = configure ] && [ -d /run/systemd/system ]; then
  systemctl --system daemon-reload >/dev/null || true
  deb-systemd-invoke try-restart staticlet.service || true
  # staticlet is the node's kubelet (staticlet-install-as-kubelet): that unit runs it too
  if [ "$(readlink -f /usr/bin/kubelet 2>/dev/null)" = /usr/lib/staticlet/bin/staticlet ]; then
    deb-systemd-invoke try-restart kubelet.service || true
  fi
fi
exit 0
EOF
cat > "$stage/DEBIAN/prerm" <<'EOF'
#!/bin/sh
# Removal stops the agent (its pods keep running, as when the kubelet stops) and puts back the
# kubelet that staticlet-install-as-kubelet replaced. An upgrade stops nothing: postinst restarts.
set -e
case "$1" in
  remove|deconfigure)
    if [ "$(readlink -f /usr/bin/kubelet 2>/dev/null)" = /usr/lib/staticlet/bin/staticlet ]; then
      staticlet-install-as-kubelet --uninstall || true
    fi
    if [ -d /run/systemd/system ]; then
      deb-systemd-invoke stop staticlet.service || true
    fi
    ;;
esac
exit 0
EOF
cat > "$stage/DEBIAN/postrm" <<'EOF'
#!/bin/sh
# purge removes the conffiles (dpkg does). It never removes /var/lib/staticlet (the volumes of pods
# that may still be running, the serving certificate) nor the manifest directory: they are the node's.
set -e
case "$1" in
  remove|purge)
    if [ -d /run/systemd/system ]; then
      systemctl --system daemon-reload >/dev/null || true
    fi
    if [ "$1" = purge ] && [ -d /var/lib/staticlet ]; then
      echo "staticlet: left /var/lib/staticlet (pod volumes, certificates); remove the pods, then it" >&2
    fi
    ;;
esac
exit 0
EOF
chmod 0755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm" "$stage/DEBIAN/postrm"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) \
  > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles" "$stage/DEBIAN/md5sums"
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

rm -f "$deb"
dpkg-deb --root-owner-group -Zgzip -z9 --build "$stage" "$deb" >/dev/null
log "built $deb ($(du -h "$deb" | cut -f1), Kubernetes v1.20.2+staticlet-$agent_version)"
if $lintian && command -v lintian >/dev/null; then
  log "lintian:"
  lintian --tag-display-limit 0 "$deb" >&2 || true
fi
echo "$deb"
