#!/usr/bin/env bash
# Builds, without any registry, the images `kubeadm init --kubernetes-version v1.20.2` runs as
# static pods (its defaults, cmd/kubeadm/app/images/images.go):
#   k8s.gcr.io/kube-apiserver:v1.20.2, k8s.gcr.io/kube-controller-manager:v1.20.2,
#   k8s.gcr.io/kube-scheduler:v1.20.2  – the static binaries deploy/controlplane/build-kube.sh built
#   k8s.gcr.io/etcd:3.4.13-0           – Debian's etcd-server binary (3.4.x) and the libraries ldd names
#   k8s.gcr.io/pause:3.2               – the project's pause binary (deploy/images/build-images.sh)
# Each is a tarred rootfs loaded with `docker import`. Also installs conntrack, which kubeadm's
# preflight requires on the node. Idempotent and quick: an image that already
# exists is skipped unless --force. Env: KUBE_BIN (default: build-kube.sh's cache directory).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
force=false
[ "${1:-}" = "--force" ] && force=true

log() { printf 'build-kubeadm-images: %s\n' "$*" >&2; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

KUBE_VERSION=v1.20.2
ETCD_IMAGE=k8s.gcr.io/etcd:3.4.13-0
PAUSE_IMAGE=k8s.gcr.io/pause:3.2
components=(kube-apiserver kube-controller-manager kube-scheduler)

# kubeadm's preflight refuses a node without conntrack on PATH (FileExisting-conntrack, mandatory)
if ! command -v conntrack >/dev/null 2>&1; then
  log "installing conntrack from Debian's packages (kubeadm's preflight requires it)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq conntrack >/dev/null \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq conntrack >/dev/null; }
fi

missing=()
for c in "${components[@]}"; do
  $force || ! have_image "k8s.gcr.io/$c:$KUBE_VERSION" || continue
  missing+=("$c")
done
$force || ! have_image "$ETCD_IMAGE" || etcd_ok=1
$force || ! have_image "$PAUSE_IMAGE" || pause_ok=1
if [ ${#missing[@]} -eq 0 ] && [ -n "${etcd_ok:-}" ] && [ -n "${pause_ok:-}" ]; then
  log "all images present"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# a minimal root: the binary in /usr/local/bin, a writable /tmp, the mount points the manifests use
rootfs() {
  local root=$1
  mkdir -p "$root/usr/local/bin" "$root/tmp" "$root/etc/ssl/certs" "$root/etc/kubernetes" "$root/var/lib" \
    "$root/dev" "$root/proc" "$root/sys"
  chmod 1777 "$root/tmp"
  echo 'root:x:0:0:root:/root:/bin/false' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  echo 'hosts: files dns' > "$root/etc/nsswitch.conf"
}

import() { # root image
  tar -C "$1" -c . | docker import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - "$2" >/dev/null
  log "imported $2"
}

if [ ${#missing[@]} -gt 0 ]; then
  bin=${KUBE_BIN:-$("$here/../controlplane/build-kube.sh" | tail -n 1)}
  for c in "${missing[@]}"; do
    [ -x "$bin/$c" ] || { log "ERROR: $bin/$c missing (run deploy/controlplane/build-kube.sh)"; exit 1; }
    root="$work/$c"
    rootfs "$root"
    cp "$bin/$c" "$root/usr/local/bin/$c"
    import "$root" "k8s.gcr.io/$c:$KUBE_VERSION"
  done
fi

if [ -z "${etcd_ok:-}" ]; then
  if ! dpkg -s etcd-server >/dev/null 2>&1; then
    log "installing etcd-server from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null \
      || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null; }
  fi
  root="$work/etcd"
  rootfs "$root"
  cp /usr/bin/etcd "$root/usr/local/bin/etcd"
  # the dynamic loader and every library it resolves, at the same paths
  for lib in $(ldd /usr/bin/etcd | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  mkdir -p "$root/var/lib/etcd"
  import "$root" "$ETCD_IMAGE"
fi

if [ -z "${pause_ok:-}" ]; then
  "$here/build-images.sh"
  docker tag "${PAUSE_SOURCE_IMAGE:-registry.k8s.io/pause:3.10}" "$PAUSE_IMAGE"
  log "tagged $PAUSE_IMAGE"
fi
