#!/usr/bin/env bash
# Puts staticlet in place as the node's kubelet, so that kubeadm and kubeadm's systemd drop-in
# drive it unchanged (README: "Replacing the kubelet on a kubeadm node"):
#
#   /opt/staticlet/bin/staticlet, /opt/staticlet/staticlet.jar   the launcher (JVM settings) and the agent
#   /usr/bin/kubelet -> /opt/staticlet/bin/staticlet             the command kubeadm and the unit run
#   /etc/systemd/system/kubelet.service                          deploy/systemd/kubelet.service
#   /etc/systemd/system/kubelet.service.d/10-kubeadm.conf        kubeadm's drop-in, only if the node has none
#
# Whatever was at those paths is kept under /var/lib/staticlet-install/backup and put back by
# --uninstall, which also removes what this script added. With systemd running, a kubelet that was
# active is stopped before the swap and started again after it (daemon-reload in between).
#
# Installed by the .deb as /usr/sbin/staticlet-install-as-kubelet (deploy/release.sh), it copies
# nothing: /usr/bin/kubelet -> /usr/lib/staticlet/bin/kubelet, the unit files from
# /usr/share/staticlet/systemd; removing the package undoes it.
#
# Usage: install-as-kubelet.sh [--jar FILE] [--root DIR] [--uninstall]
#   --jar FILE   the agent jar (default: app/target/staticlet.jar of this checkout)
#   --root DIR   install into DIR instead of / (tests, image builds); systemd is then left alone
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
jar=$repo/app/target/staticlet.jar
units=$repo/deploy/systemd
# the package's copy (/usr/sbin): the agent is in /usr/lib/staticlet already
packaged=false
if [ ! -d "$repo/deploy" ] && [ -d "$repo/lib/staticlet/bin" ]; then
  packaged=true
  units=$repo/share/staticlet/systemd
fi
root=/
uninstall=false
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=$2; packaged=false; shift 2 ;;
    --root) root=$2; shift 2 ;;
    --uninstall) uninstall=true; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "install-as-kubelet: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
root=${root%/}
state=$root/var/lib/staticlet-install
backup=$state/backup
added=$state/added.list
prefix=/opt/staticlet

log() { printf 'install-as-kubelet: %s\n' "$*" >&2; }

systemd_here() { [ -z "$root" ] && [ "$(ps -p 1 -o comm= 2>/dev/null)" = systemd ]; }

kubelet_was_active=false
stop_kubelet() {
  if systemd_here && systemctl is-active --quiet kubelet; then
    kubelet_was_active=true
    log "stopping kubelet.service"
    systemctl stop kubelet
  fi
}
reload_and_restart() {
  if systemd_here; then
    systemctl daemon-reload
    if $kubelet_was_active; then
      log "starting kubelet.service"
      systemctl start kubelet
    fi
  fi
}

# put_file SOURCE TARGET MODE | put_link LINK_TARGET TARGET: back up what is there, remember what we add
keep() {
  local target=$1
  # a path this script added already (a second install) holds our own file: nothing to keep
  if ! grep -qxF "$target" "$added" 2>/dev/null && { [ -e "$root$target" ] || [ -L "$root$target" ]; }; then
    if [ ! -e "$backup$target" ] && [ ! -L "$backup$target" ]; then
      mkdir -p "$(dirname "$backup$target")"
      cp -a "$root$target" "$backup$target"
      log "kept the previous $target in $backup"
    fi
  fi
  grep -qxF "$target" "$added" 2>/dev/null || echo "$target" >> "$added"
  mkdir -p "$(dirname "$root$target")"
}
put_file() { keep "$2"; rm -f "$root$2"; install -m "$3" "$1" "$root$2"; }
put_link() { keep "$2"; rm -f "$root$2"; ln -s "$1" "$root$2"; }

if $uninstall; then
  [ -f "$added" ] || { log "nothing to undo: $added does not exist"; exit 0; }
  stop_kubelet
  # newest first, so directories we created empty out before we try to remove them
  tac "$added" | while read -r target; do
    rm -f "$root$target"
    if [ -e "$backup$target" ] || [ -L "$backup$target" ]; then
      cp -a "$backup$target" "$root$target"
      log "restored $target"
    else
      log "removed $target"
    fi
    rmdir -p "$(dirname "$root$target")" 2>/dev/null || true
  done
  rm -rf "$state"
  reload_and_restart
  log "uninstalled"
  exit 0
fi

$packaged || [ -f "$jar" ] || { log "ERROR: $jar does not exist (build it: mvn -B -DskipTests package -pl app -am)"; exit 1; }
mkdir -p "$state" "$backup"
touch "$added"
stop_kubelet
if $packaged; then
  put_link ../lib/staticlet/bin/kubelet /usr/bin/kubelet # relative: also right under --root
else
  put_file "$jar" "$prefix/staticlet.jar" 0644
  put_file "$repo/deploy/bin/staticlet" "$prefix/bin/staticlet" 0755
  [ -f "$repo/README.md" ] && put_file "$repo/README.md" "$prefix/README.md" 0644
  put_link "../..$prefix/bin/staticlet" /usr/bin/kubelet # relative: also right under --root
fi
put_file "$units/kubelet.service" /etc/systemd/system/kubelet.service 0644
dropin=
for d in /etc/systemd/system/kubelet.service.d /usr/lib/systemd/system/kubelet.service.d /lib/systemd/system/kubelet.service.d; do
  [ -f "$root$d/10-kubeadm.conf" ] && dropin=$d/10-kubeadm.conf && break
done
if [ -n "$dropin" ] && ! grep -qxF "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf" "$added"; then
  log "keeping kubeadm's drop-in $dropin"
else
  put_file "$units/10-kubeadm.conf" /etc/systemd/system/kubelet.service.d/10-kubeadm.conf 0644
fi
reload_and_restart
if $packaged; then
  # under --root the link points into DIR, where the package may not be: ask the installed agent
  log "installed: $(/usr/lib/staticlet/bin/kubelet --version) as $root/usr/bin/kubelet"
else
  log "installed: $("$root$prefix/bin/staticlet" --version) as $root/usr/bin/kubelet"
fi
systemd_here && ! $kubelet_was_active && log "enable and start it with: systemctl enable --now kubelet"
exit 0
