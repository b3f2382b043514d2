#!/usr/bin/env bash
# A real Kubernetes v1.20.2 control plane on loopback for staticlet's end-to-end tests and for
# developers: etcd (Debian's etcd-server), kube-apiserver and kube-controller-manager (built from
# Debian's kubernetes source package by build-kube.sh), with openssl-made certificates.
#
#   controlplane.sh up   [STATE_DIR]     start (or reuse) everything; prints the admin kubeconfig path
#   controlplane.sh down [STATE_DIR]     stop what `up` started (by pidfile); idempotent; keeps logs
#   controlplane.sh node-kubeconfig NODE [STATE_DIR]
#                                        prints a kubeconfig for system:node:NODE (certs on demand)
#   controlplane.sh env  [STATE_DIR]     prints `export KUBECONFIG=...` etc. (use with eval)
#   controlplane.sh status [STATE_DIR]   shows processes, ports and health
#   controlplane.sh stop-apiserver  [STATE_DIR]   stops only kube-apiserver (API outage tests)
#   controlplane.sh start-apiserver [STATE_DIR]   starts it again with the same flags and port
#
# STATE_DIR defaults to $STATICLET_CONTROLPLANE_DIR or /tmp/staticlet-controlplane. It holds
# pki/, kubeconfigs/, logs/, pids/, etcd-data/, ports.env and run-<component>.sh (the exact
# command lines). Ports are picked free at the first `up` and reused by later `up`s of the same
# STATE_DIR, so kubeconfigs stay valid.
#
# Env: KUBE_BIN_DIR (use these binaries instead of build-kube.sh's cache),
#      APISERVER_EXTRA_ARGS, KCM_EXTRA_ARGS (appended, space separated),
#      CONTROLPLANE_START_TIMEOUT (seconds per component, default 90),
#      CONTROLPLANE_OWNER_PID (with `up`: a watchdog runs `down` as soon as that process is gone,
#      so even a SIGKILLed test JVM leaves nothing running).
set -euo pipefail
{

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEFAULT_STATE="${STATICLET_CONTROLPLANE_DIR:-/tmp/staticlet-controlplane}"
START_TIMEOUT="${CONTROLPLANE_START_TIMEOUT:-90}"
COMPONENTS=(etcd kube-apiserver kube-controller-manager)

log() { printf 'controlplane: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

# ------------------------------------------------------------------------------------------
# state dir helpers
set_state() {
  S="$(realpath -m "${1:-${DEFAULT_STATE}}")"
  PKI="${S}/pki"
  KC="${S}/kubeconfigs"
  LOGS="${S}/logs"
  PIDS="${S}/pids"
}

lock_state() {
  mkdir -p "${S}"
  exec 8>"${S}/.lock"
  flock -w 600 8 || die "could not lock ${S}/.lock"
}

load_ports() {
  [[ -f "${S}/ports.env" ]] || die "${S} has no ports.env: run '$0 up ${S}' first"
  # shellcheck disable=SC1091
  . "${S}/ports.env"
}

# ------------------------------------------------------------------------------------------
# processes
pid_of() { # component -> pid if alive and really that binary, else nothing
  local f="${PIDS}/$1.pid" pid exe
  [[ -f $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -d /proc/$pid ]] || return 1
  exe=$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null || true)
  [[ $exe == *"$1"* ]] || return 1 # pid recycled by something else
  echo "${pid}"
}

start_component() { # component: runs ${S}/run-<component>.sh detached, logs appended
  local c=$1
  if pid_of "$c" >/dev/null; then
    log "$c already running (pid $(pid_of "$c"))"
    return 0
  fi
  mkdir -p "${LOGS}" "${PIDS}"
  printf '\n===== %s start %s =====\n' "$c" "$(date -u +%FT%TZ)" >>"${LOGS}/$c.log"
  # New session, no terminal, stdin/stdout/stderr detached from the caller (a JVM waiting for
  # our stdout must see EOF). The wrapper writes its own pid, then execs the binary in place.
  # shellcheck disable=SC2016 # $$ and $1 are for the inner bash
  setsid bash -c 'echo $$ >"$1"; exec bash "$2"' _ "${PIDS}/$c.pid" "${S}/run-$c.sh" \
    </dev/null >>"${LOGS}/$c.log" 2>&1 8>&- 9>&- &
  local i
  for i in $(seq 1 50); do
    [[ -s "${PIDS}/$c.pid" ]] && break
    sleep 0.1
  done
}

# component: SIGTERM, then SIGKILL after a grace period (etcd 15 s, others 5 s: a kube-apiserver
# with open watches can take a minute to drain, and a test of an API outage wants it gone); idempotent
stop_component() {
  local c=$1 pid i grace=50
  [[ $c == etcd ]] && grace=150
  if pid=$(pid_of "$c"); then
    log "stopping $c (pid ${pid})"
    # the pid leads its own process group (setsid): signal the group, so that children of a
    # wrapper (the kube-controller-manager supervisor, the watchdog's sleep) go too
    kill -TERM -- "-${pid}" 2>/dev/null || kill -TERM "${pid}" 2>/dev/null || true
    for i in $(seq 1 "${grace}"); do
      [[ -d /proc/${pid} ]] || break
      sleep 0.1
    done
    if [[ -d /proc/${pid} ]]; then
      log "$c did not stop within $((grace / 10)) s: SIGKILL"
      kill -KILL -- "-${pid}" 2>/dev/null || kill -KILL "${pid}" 2>/dev/null || true
      for i in $(seq 1 50); do [[ -d /proc/${pid} ]] || break; sleep 0.1; done
    fi
  fi
  rm -f "${PIDS}/$c.pid"
}

log_tail() { # component [lines]
  local f="${LOGS}/$1.log"
  [[ -f $f ]] || return 0
  log "----- last ${2:-30} lines of $f -----"
  tail -n "${2:-30}" "$f" >&2 || true
}

# wait_for component "description" command...: polls until the command succeeds
wait_for() {
  local c=$1 what=$2 deadline
  shift 2
  deadline=$(($(date +%s) + START_TIMEOUT))
  while ! "$@" >/dev/null 2>&1; do
    if ! pid_of "$c" >/dev/null; then
      log_tail "$c" 40
      die "$c exited before ${what} (log: ${LOGS}/$c.log)"
    fi
    if (($(date +%s) > deadline)); then
      log_tail "$c" 40
      die "$c: no ${what} within ${START_TIMEOUT} s (log: ${LOGS}/$c.log)"
    fi
    sleep 0.2
  done
}

# ------------------------------------------------------------------------------------------
# ports
port_in_use() {
  ss -Htln "sport = :$1" 2>/dev/null | grep -q . && return 0
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  return 1
}

pick_port() { # prints a free port in 20000-32767 (below Linux's ephemeral range), not in "$@"
  local p i taken
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 12768))
    taken=0
    for q in "$@"; do [[ $q == "$p" ]] && taken=1; done
    ((taken)) && continue
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free port found"
}

# ------------------------------------------------------------------------------------------
# certificates and kubeconfigs
ssl() { # openssl quietly; its messages only on failure
  local out
  out=$(openssl "$@" 2>&1 >/dev/null) || { printf '%s\n' "${out}" >&2; die "openssl $* failed"; }
}

write_ext() {
  cat >"${PKI}/ext.cnf" <<'EOF'
[req]
distinguished_name = dn
[dn]

[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash

[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost, IP:10.0.0.1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local
authorityKeyIdentifier = keyid

[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
EOF
}

# issue NAME SUBJECT EXTSECTION: ${PKI}/NAME.{key,crt} signed by the CA (skipped if present)
issue() {
  local name=$1 subj=$2 ext=$3 dir
  dir=$(dirname "${PKI}/${name}")
  mkdir -p "${dir}"
  [[ -s "${PKI}/${name}.crt" && -s "${PKI}/${name}.key" ]] && return 0
  ssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "${PKI}/${name}.key.tmp"
  ssl req -new -key "${PKI}/${name}.key.tmp" -subj "${subj}" -out "${PKI}/${name}.csr"
  ssl x509 -req -in "${PKI}/${name}.csr" -CA "${PKI}/ca.crt" -CAkey "${PKI}/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 3650 -sha256 \
    -extfile "${PKI}/ext.cnf" -extensions "${ext}" -out "${PKI}/${name}.crt.tmp"
  chmod 600 "${PKI}/${name}.key.tmp"
  mv "${PKI}/${name}.key.tmp" "${PKI}/${name}.key"
  mv "${PKI}/${name}.crt.tmp" "${PKI}/${name}.crt"
  rm -f "${PKI}/${name}.csr"
}

make_pki() {
  mkdir -p "${PKI}"
  chmod 700 "${PKI}"
  write_ext
  if [[ ! -s "${PKI}/ca.crt" || ! -s "${PKI}/ca.key" ]]; then
    log "creating CA, serving, service-account and admin certificates in ${PKI}"
    ssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "${PKI}/ca.key"
    chmod 600 "${PKI}/ca.key"
    ssl req -x509 -new -key "${PKI}/ca.key" -subj "/CN=staticlet-controlplane-ca" -days 3650 \
      -sha256 -config "${PKI}/ext.cnf" -extensions ca -out "${PKI}/ca.crt"
  fi
  issue apiserver "/CN=kube-apiserver" server
  issue admin "/O=system:masters/CN=admin" client
  # what kube-apiserver presents to kubelets (logs, exec, proxy), as kubeadm's apiserver-kubelet-client
  issue apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" client
  if [[ ! -s "${PKI}/sa.key" ]]; then
    ssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "${PKI}/sa.key"
    chmod 600 "${PKI}/sa.key"
    ssl pkey -in "${PKI}/sa.key" -pubout -out "${PKI}/sa.pub"
  fi
}

b64() { base64 -w0 <"$1"; }

# kubeconfig FILE USER CERTNAME
write_kubeconfig() {
  local file=$1 user=$2 cert=$3
  mkdir -p "$(dirname "${file}")"
  cat >"${file}.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: staticlet
  cluster:
    server: https://127.0.0.1:${APISERVER_PORT}
    certificate-authority-data: $(b64 "${PKI}/ca.crt")
users:
- name: ${user}
  user:
    client-certificate-data: $(b64 "${PKI}/${cert}.crt")
    client-key-data: $(b64 "${PKI}/${cert}.key")
contexts:
- name: ${user}@staticlet
  context:
    cluster: staticlet
    user: ${user}
current-context: ${user}@staticlet
EOF
  chmod 600 "${file}.tmp"
  mv "${file}.tmp" "${file}"
}

# ------------------------------------------------------------------------------------------
# binaries and run scripts
ensure_tools() {
  local need=() p
  command -v etcd >/dev/null || need+=(etcd-server)
  command -v openssl >/dev/null || need+=(openssl)
  command -v curl >/dev/null || need+=(curl)
  command -v ss >/dev/null || need+=(iproute2)
  if ((${#need[@]})); then
    [[ $(id -u) == 0 ]] || die "missing ${need[*]}: install them (apt-get install ${need[*]})"
    log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=900 install "${need[@]}" >&2
  fi
  if [[ -n "${KUBE_BIN_DIR:-}" ]]; then
    KBIN="${KUBE_BIN_DIR}"
  else
    KBIN=$("${HERE}/build-kube.sh" | tail -n 1)
  fi
  for p in kube-apiserver kube-controller-manager; do
    [[ -x "${KBIN}/$p" ]] || die "${KBIN}/$p missing"
  done
}

q() { printf '%q' "$1"; } # shell-quote for run scripts

write_run_scripts() {
  cat >"${S}/run-etcd.sh" <<EOF
#!/usr/bin/env bash
# written by controlplane.sh up; exec'd by it (pid in pids/etcd.pid)
exec $(q "$(command -v etcd)") \\
  --name=staticlet \\
  --data-dir=$(q "${S}/etcd-data") \\
  --listen-client-urls=http://127.0.0.1:${ETCD_CLIENT_PORT} \\
  --advertise-client-urls=http://127.0.0.1:${ETCD_CLIENT_PORT} \\
  --listen-peer-urls=http://127.0.0.1:${ETCD_PEER_PORT} \\
  --initial-advertise-peer-urls=http://127.0.0.1:${ETCD_PEER_PORT} \\
  --initial-cluster=staticlet=http://127.0.0.1:${ETCD_PEER_PORT} \\
  --initial-cluster-state=new \\
  --quota-backend-bytes=2147483648 \\
  --log-level=warn --logger=zap
EOF

  # --endpoint-reconciler-type=none: the apiserver would otherwise try to publish 127.0.0.1 as the
  # endpoint of service/kubernetes, which validation refuses (loopback), and log that forever.
  cat >"${S}/run-kube-apiserver.sh" <<EOF
#!/usr/bin/env bash
# written by controlplane.sh up; exec'd by it (pid in pids/kube-apiserver.pid)
exec $(q "${KBIN}/kube-apiserver") \\
  --etcd-servers=http://127.0.0.1:${ETCD_CLIENT_PORT} \\
  --bind-address=127.0.0.1 \\
  --advertise-address=127.0.0.1 \\
  --secure-port=${APISERVER_PORT} \\
  --insecure-port=0 \\
  --cert-dir=$(q "${S}/apiserver-certs") \\
  --tls-cert-file=$(q "${PKI}/apiserver.crt") \\
  --tls-private-key-file=$(q "${PKI}/apiserver.key") \\
  --client-ca-file=$(q "${PKI}/ca.crt") \\
  --kubelet-client-certificate=$(q "${PKI}/apiserver-kubelet-client.crt") \\
  --kubelet-client-key=$(q "${PKI}/apiserver-kubelet-client.key") \\
  --kubelet-preferred-address-types=InternalIP,Hostname \\
  --authorization-mode=Node,RBAC \\
  --enable-admission-plugins=NodeRestriction \\
  --enable-bootstrap-token-auth=true \\
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \\
  --service-account-key-file=$(q "${PKI}/sa.pub") \\
  --service-account-signing-key-file=$(q "${PKI}/sa.key") \\
  --service-cluster-ip-range=10.0.0.0/24 \\
  --endpoint-reconciler-type=none \\
  --allow-privileged=true \\
  --profiling=false \\
  --v=1 ${APISERVER_EXTRA_ARGS:-}
EOF

  # Supervised like a static pod with restartPolicy Always: kube-controller-manager v1.20 exits
  # (klog.Fatal in the namespace controller) when the API server is unreachable while its
  # controllers start, e.g. when a test stops kube-apiserver right after `up`. The pid in
  # pids/kube-controller-manager.pid is this loop; `down` signals its whole process group.
  cat >"${S}/run-kube-controller-manager.sh" <<EOF
#!/usr/bin/env bash
# written by controlplane.sh up; run by it (pid in pids/kube-controller-manager.pid)
child=
trap 'trap - TERM INT; [[ -n \${child} ]] && kill -TERM \${child} 2>/dev/null; wait; exit 0' TERM INT
while true; do
  $(q "${KBIN}/kube-controller-manager") \\
  --kubeconfig=$(q "${KC}/admin.kubeconfig") \\
  --authentication-kubeconfig=$(q "${KC}/admin.kubeconfig") \\
  --authorization-kubeconfig=$(q "${KC}/admin.kubeconfig") \\
  --bind-address=127.0.0.1 \\
  --secure-port=${KCM_PORT} \\
  --port=0 \\
  --cert-dir=$(q "${S}/kcm-certs") \\
  --leader-elect=false \\
  --use-service-account-credentials=false \\
  --service-account-private-key-file=$(q "${PKI}/sa.key") \\
  --root-ca-file=$(q "${PKI}/ca.crt") \\
  --cluster-signing-cert-file=$(q "${PKI}/ca.crt") \\
  --cluster-signing-key-file=$(q "${PKI}/ca.key") \\
  --service-cluster-ip-range=10.0.0.0/24 \\
  --controllers=*,bootstrapsigner,tokencleaner,-service,-route,-cloud-node-lifecycle \\
  --profiling=false \\
  --v=1 ${KCM_EXTRA_ARGS:-} &
  child=\$!
  wait "\${child}" && rc=0 || rc=\$?
  echo "===== kube-controller-manager exited with \${rc} at \$(date -u +%FT%TZ); restarting in 2 s ====="
  child=
  sleep 2 &
  wait \$!
done
EOF
  chmod +x "${S}"/run-*.sh
}

# ------------------------------------------------------------------------------------------
# health
etcd_healthy() { curl -fs --max-time 2 "http://127.0.0.1:${ETCD_CLIENT_PORT}/health" | grep -q '"health":"true"'; }
admin_curl() {
  curl -fs --max-time 3 --cacert "${PKI}/ca.crt" --cert "${PKI}/admin.crt" --key "${PKI}/admin.key" \
    "https://127.0.0.1:${APISERVER_PORT}$1"
}
apiserver_ready() { [[ "$(admin_curl /readyz)" == ok ]]; }
kcm_healthy() { [[ "$(curl -ks --max-time 2 "https://127.0.0.1:${KCM_PORT}/healthz")" == ok ]]; }

start_apiserver() {
  start_component kube-apiserver
  wait_for kube-apiserver "/readyz ok" apiserver_ready
  log "kube-apiserver ready at https://127.0.0.1:${APISERVER_PORT} (pid $(pid_of kube-apiserver))"
}

# ------------------------------------------------------------------------------------------
# commands
cmd_up() {
  set_state "${1:-}"
  local t0=${SECONDS}
  ensure_tools # may build for many minutes: not under the state lock
  lock_state
  # a failed or interrupted `up` stops what it started (logs stay in ${LOGS}); `up` may be retried
  trap 'exit 143' TERM INT HUP
  trap 'rc=$?; if ((rc)); then log "up failed: stopping what it started"; stop_all; fi; exit ${rc}' EXIT
  mkdir -p "${LOGS}" "${PIDS}" "${KC}" "${S}/etcd-data"
  chmod 700 "${S}/etcd-data"
  if [[ ! -f "${S}/ports.env" ]]; then
    local e c a
    e=$(pick_port); c=$(pick_port "$e"); a=$(pick_port "$e" "$c")
    cat >"${S}/ports.env" <<EOF
ETCD_CLIENT_PORT=${e}
ETCD_PEER_PORT=${c}
APISERVER_PORT=${a}
KCM_PORT=$(pick_port "$e" "$c" "$a")
EOF
  fi
  load_ports
  make_pki
  write_kubeconfig "${KC}/admin.kubeconfig" admin admin
  write_run_scripts

  local c
  for c in etcd kube-apiserver kube-controller-manager; do
    if ! pid_of "$c" >/dev/null; then
      case $c in
        etcd | kube-apiserver)
          port_in_use "$([[ $c == etcd ]] && echo "${ETCD_CLIENT_PORT}" || echo "${APISERVER_PORT}")" &&
            die "port for $c is taken by another process (see ${S}/ports.env); use another STATE_DIR" ;;
      esac
    fi
  done

  start_component etcd
  wait_for etcd "/health" etcd_healthy
  log "etcd healthy on 127.0.0.1:${ETCD_CLIENT_PORT} (pid $(pid_of etcd))"
  start_apiserver
  start_component kube-controller-manager
  wait_for kube-controller-manager "/healthz ok" kcm_healthy
  log "kube-controller-manager healthy on 127.0.0.1:${KCM_PORT} (pid $(pid_of kube-controller-manager))"
  start_watchdog
  write_env
  log "control plane up in $((SECONDS - t0)) s; state in ${S}"
  trap - EXIT
  echo "${KC}/admin.kubeconfig"
}

# Runs `down` when CONTROLPLANE_OWNER_PID exits (the JUnit extension passes the JVM's pid).
start_watchdog() {
  local owner=${CONTROLPLANE_OWNER_PID:-}
  [[ -n ${owner} ]] || return 0
  [[ ${owner} =~ ^[0-9]+$ ]] || die "CONTROLPLANE_OWNER_PID=${owner} is not a pid"
  stop_component watchdog
  # shellcheck disable=SC2016 # expanded by the inner bash
  setsid bash -c 'echo $$ >"$1"; while kill -0 "$2" 2>/dev/null; do sleep 1; done
                  echo "owner pid $2 is gone: stopping the control plane" >&2
                  exec bash "$3" down "$4"' controlplane-watchdog \
    "${PIDS}/watchdog.pid" "${owner}" "${HERE}/controlplane.sh" "${S}" \
    </dev/null >>"${LOGS}/watchdog.log" 2>&1 8>&- 9>&- &
  log "watchdog runs '${HERE}/controlplane.sh down ${S}' when pid ${owner} exits"
}

stop_all() {
  local i
  # the watchdog first (unless this is the watchdog itself running `down`)
  if [[ "$(pid_of watchdog || true)" != "$$" ]]; then
    stop_component watchdog
  fi
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    stop_component "${COMPONENTS[i]}"
  done
}

cmd_down() {
  set_state "${1:-}"
  if [[ ! -d "${S}" ]]; then
    log "nothing to stop: ${S} does not exist"
    return 0
  fi
  lock_state
  stop_all
  log "control plane in ${S} stopped (logs kept in ${LOGS})"
}

cmd_node_kubeconfig() {
  local node=${1:-}
  [[ -n ${node} ]] || die "usage: $0 node-kubeconfig NODE [STATE_DIR]"
  [[ ${node} =~ ^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$ ]] || die "'${node}' is not a valid node name"
  set_state "${2:-}"
  [[ -s "${PKI}/ca.key" ]] || die "no CA in ${PKI}: run '$0 up ${S}' first"
  lock_state
  load_ports
  local file="${KC}/node-${node}.kubeconfig"
  if [[ ! -s ${file} ]]; then
    write_ext
    issue "nodes/${node}" "/O=system:nodes/CN=system:node:${node}" client
    write_kubeconfig "${file}" "system:node:${node}" "nodes/${node}"
  fi
  echo "${file}"
}

write_env() {
  cat >"${S}/env" <<EOF
export KUBECONFIG=${KC}/admin.kubeconfig
export STATICLET_CONTROLPLANE_DIR=${S}
export KUBE_APISERVER_URL=https://127.0.0.1:${APISERVER_PORT}
export KUBE_CA_FILE=${PKI}/ca.crt
export ETCD_ENDPOINT=http://127.0.0.1:${ETCD_CLIENT_PORT}
EOF
}

cmd_env() {
  set_state "${1:-}"
  load_ports
  write_env
  cat "${S}/env"
}

cmd_status() {
  set_state "${1:-}"
  load_ports
  local c rc=0
  for c in "${COMPONENTS[@]}"; do
    if pid_of "$c" >/dev/null; then printf '%-24s running pid %s\n' "$c" "$(pid_of "$c")"
    else printf '%-24s stopped\n' "$c"; rc=1; fi
  done
  printf 'etcd       http://127.0.0.1:%s  %s\n' "${ETCD_CLIENT_PORT}" "$(etcd_healthy && echo healthy || echo unhealthy)"
  printf 'apiserver  https://127.0.0.1:%s %s\n' "${APISERVER_PORT}" "$(apiserver_ready && echo ready || echo 'not ready')"
  printf 'kcm        https://127.0.0.1:%s %s\n' "${KCM_PORT}" "$(kcm_healthy && echo healthy || echo unhealthy)"
  printf 'admin kubeconfig: %s\n' "${KC}/admin.kubeconfig"
  return ${rc}
}

cmd_stop_apiserver() {
  set_state "${1:-}"
  lock_state
  stop_component kube-apiserver
}

cmd_start_apiserver() {
  set_state "${1:-}"
  lock_state
  load_ports
  [[ -f "${S}/run-kube-apiserver.sh" ]] || die "no run script: run '$0 up ${S}' first"
  start_apiserver
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case ${cmd} in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  node-kubeconfig) cmd_node_kubeconfig "$@" ;;
  env) cmd_env "$@" ;;
  status) cmd_status "$@" ;;
  stop-apiserver) cmd_stop_apiserver "$@" ;;
  start-apiserver) cmd_start_apiserver "$@" ;;
  -h | --help | help | '') usage ;;
  *) log "unknown command '${cmd}'"; usage ;;
esac
exit $?
}
