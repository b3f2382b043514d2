#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager v1.20.2 from Debian's `kubernetes` source
# package with Debian's golang-go, into a per-machine cache OUTSIDE the clone:
#
#   ${STATICLET_CACHE:-~/.cache/staticlet}/kubernetes-v1.20.2/bin/{kube-apiserver,kube-controller-manager}
#
# Idempotent: when both binaries exist and report v1.20.2 it prints their directory and exits.
# A lock file keeps two runs from building at once (the second waits, then reuses the result).
# Safe unattended (root, DEBIAN_FRONTEND=noninteractive): installs missing build dependencies,
# adds a deb-src entry for the configured Debian mirror only if none is present.
#
# Steps: apt-get source kubernetes -> replace vendored github.com/modern-go/reflect2 (v1.0.1
# crashes under Go >= 1.18 with "fatal error: fault" in mapiternext) by Debian's 1.0.2 ->
# GOPATH mode (GO111MODULE=off, tree linked as $GOPATH/src/k8s.io/kubernetes) ->
# make generated_files -> go build with the version stamped via -ldflags -X.
#
# Output: the last line on stdout is the bin directory. Progress goes to stderr.
# Env: STATICLET_CACHE (default ~/.cache/staticlet), KUBE_BUILD_FORCE=1 to rebuild.
set -euo pipefail
# The whole script is one compound command, parsed before it runs: editing this file (git pull)
# during a 20-minute build cannot derail the running copy.
{

KUBE_VERSION=v1.20.2
KUBE_MAJOR=1
KUBE_MINOR=20
CACHE="${STATICLET_CACHE:-${HOME}/.cache/staticlet}"
KDIR="${CACHE}/kubernetes-${KUBE_VERSION}"
BIN="${KDIR}/bin"
SRC_PARENT="${CACHE}/src"
GOPATH_DIR="${KDIR}/gopath"
REFLECT2_DEBIAN=/usr/share/gocode/src/github.com/modern-go/reflect2
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubeadm)

export DEBIAN_FRONTEND=noninteractive

log() { printf 'build-kube: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

binaries_ok() {
  local b
  for b in "${BINARIES[@]}"; do
    [[ -x "${BIN}/${b}" ]] || return 1
    if [[ ${b} == kubeadm ]]; then
      # kubeadm has no --version flag: `kubeadm version -o short` prints the bare version
      [[ "$("${BIN}/${b}" version -o short 2>/dev/null)" == "${KUBE_VERSION}" ]] || return 1
    else
      "${BIN}/${b}" --version 2>/dev/null | grep -q "Kubernetes ${KUBE_VERSION}\$" || return 1
    fi
  done
}

if [[ "${KUBE_BUILD_FORCE:-0}" != 1 ]] && binaries_ok; then
  log "cached binaries are up to date in ${BIN}"
  echo "${BIN}"
  exit 0
fi

mkdir -p "${KDIR}" "${SRC_PARENT}"
exec 9>"${KDIR}/build.lock"
if ! flock -n 9; then
  log "another build holds ${KDIR}/build.lock; waiting for it"
  flock 9
fi
# The other build may have finished while we waited.
if [[ "${KUBE_BUILD_FORCE:-0}" != 1 ]] && binaries_ok; then
  log "binaries were built by another run: ${BIN}"
  echo "${BIN}"
  exit 0
fi

START=$(date +%s)

# --- 1. build dependencies ------------------------------------------------------------------
APT=(apt-get -y -q -o DPkg::Lock::Timeout=900)
need=()
for pkg in golang-go rsync jq dpkg-dev etcd-server golang-github-modern-go-reflect2-dev openssl make; do
  dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null | grep -q 'install ok installed' || need+=("${pkg}")
done
if ((${#need[@]})); then
  [[ $(id -u) == 0 ]] || die "missing packages ${need[*]}; install them as root"
  log "installing missing packages: ${need[*]}"
  "${APT[@]}" install "${need[@]}" >&2 || { "${APT[@]}" update >&2; "${APT[@]}" install "${need[@]}" >&2; }
fi

# --- 2. source package --------------------------------------------------------------------
find_tree() {
  local d
  for d in "${SRC_PARENT}"/kubernetes-*/; do
    [[ -f "${d}cmd/kube-apiserver/apiserver.go" ]] && { echo "${d%/}"; return 0; }
  done
  return 1
}

# Prints "URI" of the configured Debian mirror serving the release codename (not -security).
debian_mirror() {
  local codename=$1
  {
    # deb822 .sources files
    for f in /etc/apt/sources.list.d/*.sources; do
      [[ -f $f ]] || continue
      awk -v cn="${codename}" '
        BEGIN { RS=""; FS="\n" }
        {
          types=""; uris=""; suites="";
          for (i = 1; i <= NF; i++) {
            if ($i ~ /^Types:/)  { types = substr($i, 7) }
            if ($i ~ /^URIs:/)   { uris = substr($i, 6) }
            if ($i ~ /^Suites:/) { suites = substr($i, 8) }
          }
          n = split(suites, s, /[ \t]+/)
          for (j = 1; j <= n; j++) if (s[j] == cn && types ~ /(^|[ \t])deb([ \t]|$)/) {
            split(uris, u, /[ \t]+/); for (k in u) if (u[k] != "") { print u[k]; exit }
          }
        }' "$f"
    done
    # one-line format
    { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true; } \
      | awk -v cn="${codename}" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                                               if ($(i+1) == cn) print $i }'
  } | awk 'NR == 1'
}

TREE=$(find_tree || true)
if [[ -z "${TREE}" ]]; then
  if ! apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Version:'; then
    [[ $(id -u) == 0 ]] || die "no deb-src entry for kubernetes; add one as root"
    # shellcheck disable=SC1091
    CODENAME=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    MIRROR=$(debian_mirror "${CODENAME}")
    [[ -n "${MIRROR}" ]] || MIRROR=http://deb.debian.org/debian
    LIST=/etc/apt/sources.list.d/staticlet-src.sources
    if [[ ! -f ${LIST} ]]; then
      log "adding deb-src ${MIRROR} ${CODENAME} in ${LIST}"
      cat >"${LIST}" <<EOF
# Added by staticlet deploy/controlplane/build-kube.sh to fetch the kubernetes source package.
Types: deb-src
URIs: ${MIRROR}
Suites: ${CODENAME}
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    fi
    log "apt-get update (once, for the new deb-src entry)"
    "${APT[@]}" update >&2
  fi
  log "apt-get source kubernetes into ${SRC_PARENT}"
  ( cd "${SRC_PARENT}" && apt-get source -q kubernetes >&2 )
  TREE=$(find_tree) || die "apt-get source kubernetes produced no source tree in ${SRC_PARENT}"
fi
log "source tree: ${TREE}"

# --- 3. replace vendored reflect2 ---------------------------------------------------------
VR="${TREE}/vendor/github.com/modern-go/reflect2"
[[ -d "${REFLECT2_DEBIAN}" ]] || die "${REFLECT2_DEBIAN} missing (golang-github-modern-go-reflect2-dev)"
if ! cmp -s "${REFLECT2_DEBIAN}/reflect2.go" "${VR}/reflect2.go"; then
  log "replacing vendored modern-go/reflect2 (v1.0.1, crashes under Go >= 1.18) with Debian's $(dpkg-query -W -f='${Version}' golang-github-modern-go-reflect2-dev)"
  rm -rf "${VR}"
  mkdir -p "${VR}"
  # only the package's Go sources (no tests, no sub-directories such as test/)
  find "${REFLECT2_DEBIAN}" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' -o -name LICENSE \) \
    ! -name '*_test.go' -exec cp -L {} "${VR}/" \;
  # vendor/modules.txt records the version; keep it truthful (not used in GOPATH mode)
  sed -i 's|github.com/modern-go/reflect2 v1.0.1|github.com/modern-go/reflect2 v1.0.2|g' \
    "${TREE}/vendor/modules.txt" 2>/dev/null || true
fi

# --- 4. GOPATH mode -----------------------------------------------------------------------
mkdir -p "${GOPATH_DIR}/src/k8s.io"
LINK="${GOPATH_DIR}/src/k8s.io/kubernetes"
if [[ "$(readlink "${LINK}" 2>/dev/null)" != "${TREE}" ]]; then
  rm -f "${LINK}"
  ln -s "${TREE}" "${LINK}"
fi
export GOPATH="${GOPATH_DIR}"
export GO111MODULE=off
export GOCACHE="${KDIR}/gocache"
export GOFLAGS=
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOPROXY=off
export PATH="${GOPATH}/bin:${PATH}"
cd -L "${LINK}"
export PWD="${LINK}"
log "go: $(go version); GOPATH=${GOPATH}"

# --- 5. generated files -------------------------------------------------------------------
if [[ ! -f "${TREE}/.staticlet-generated-files.done" ]]; then
  log "make generated_files (first time only)"
  T0=$(date +%s)
  make generated_files >&2
  touch "${TREE}/.staticlet-generated-files.done"
  log "make generated_files took $(( $(date +%s) - T0 )) s"
fi

# --- 6. build -----------------------------------------------------------------------------
BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS=""
for pkg in k8s.io/kubernetes/vendor/k8s.io/component-base/version \
           k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
  # gitTreeState=dirty: the vendored reflect2 was replaced (step 3); there is no git commit.
  LDFLAGS+=" -X ${pkg}.gitVersion=${KUBE_VERSION} -X ${pkg}.gitMajor=${KUBE_MAJOR}"
  LDFLAGS+=" -X ${pkg}.gitMinor=${KUBE_MINOR} -X ${pkg}.gitTreeState=dirty -X ${pkg}.buildDate=${BUILD_DATE}"
done
TMPBIN="${KDIR}/bin.tmp"
rm -rf "${TMPBIN}"
mkdir -p "${TMPBIN}"
for b in "${BINARIES[@]}"; do
  log "go build ./cmd/${b}"
  T0=$(date +%s)
  go build -ldflags "-s -w ${LDFLAGS}" -o "${TMPBIN}/${b}" "./cmd/${b}"
  log "go build ./cmd/${b} took $(( $(date +%s) - T0 )) s"
done
rm -rf "${BIN}"
mv "${TMPBIN}" "${BIN}"
binaries_ok || die "built binaries do not report ${KUBE_VERSION}: $("${BIN}/kube-apiserver" --version 2>&1)"

ELAPSED=$(( $(date +%s) - START ))
printf '%s build of %s took %d s (%dm%02ds) on %s cores\n' "$(date -u +%FT%TZ)" "${KUBE_VERSION}" \
  "${ELAPSED}" $((ELAPSED / 60)) $((ELAPSED % 60)) "$(nproc)" >>"${KDIR}/build-times.log"
log "built ${BINARIES[*]} in ${BIN}: elapsed ${ELAPSED} s ($((ELAPSED / 60))m$((ELAPSED % 60))s)"
echo "${BIN}"
exit 0
}
