#!/usr/bin/env bash
# Builds the two images staticlet needs without any registry:
#   registry.k8s.io/pause:3.10  – the pod sandbox (a static pause binary, see pause/pause.c)
#   staticlet/busybox:1.36      – a rootfs with /bin/busybox from Debian's busybox-static
# Both are loaded with `docker import`. Skips an image that already exists unless --force.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
force=false
[ "${1:-}" = "--force" ] && force=true

PAUSE_IMAGE=${PAUSE_IMAGE:-registry.k8s.io/pause:3.10}
BUSYBOX_IMAGE=${BUSYBOX_IMAGE:-staticlet/busybox:1.36}

log() { printf 'build-images: %s\n' "$*" >&2; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

need_pkg() {
  if ! dpkg -s "$1" >/dev/null 2>&1; then
    log "installing $1 from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null \
      || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null; }
  fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if $force || ! have_image "$PAUSE_IMAGE"; then
  need_pkg gcc
  need_pkg libc6-dev
  mkdir -p "$work/pause"
  gcc -Os -static -o "$work/pause/pause" "$here/pause/pause.c"
  strip "$work/pause/pause" 2>/dev/null || true
  tar -C "$work/pause" -c . | docker import \
    --change 'ENTRYPOINT ["/pause"]' - "$PAUSE_IMAGE" >/dev/null
  log "imported $PAUSE_IMAGE"
fi

if $force || ! have_image "$BUSYBOX_IMAGE"; then
  need_pkg busybox-static
  root="$work/busybox"
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/var/www" "$root/dev" "$root/proc" "$root/sys"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'nobody:x:65534:65534:nobody:/:/bin/false' >> "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  echo 'nogroup:x:65534:' >> "$root/etc/group"
  chmod 1777 "$root/tmp"
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/bin' --change 'CMD ["sh"]' - "$BUSYBOX_IMAGE" >/dev/null
  log "imported $BUSYBOX_IMAGE"
fi
