#!/usr/bin/env bash
# npm's pretest step: makes sure the real servers that the integration tests talk to are installed.
#
# The tests start Debian's own binaries on 127.0.0.1 (Prometheus, Pushgateway, VictoriaMetrics, vmagent,
# node_exporter, process-exporter), make bcrypt hashes with htpasswd and certificates with openssl, create
# containers with runc and load the status page in a headless chromium. On a Debian host as root, what is
# missing is installed with apt-get, with a policy-rc.d that exits 101 so that no package starts its own
# service. Anywhere else the script stops at once with one line that names the packages to install, instead of
# letting tests wait for a binary that is not there.
#
# Environment: RXPORTER_SKIP_TEST_DEPS=1 skips the check (the integration tests then fail fast on their own).
set -euo pipefail

[ "${RXPORTER_SKIP_TEST_DEPS:-}" = 1 ] && exit 0

# binary -> Debian package
declare -A pkg_of=(
  [prometheus]=prometheus
  [promtool]=prometheus
  [prometheus-pushgateway]=prometheus-pushgateway
  [victoria-metrics]=victoria-metrics
  [vmagent]=victoria-metrics
  [prometheus-node-exporter]=prometheus-node-exporter
  [prometheus-process-exporter]=prometheus-process-exporter
  [htpasswd]=apache2-utils
  [openssl]=openssl
  [runc]=runc
  [chromium]=chromium
)

missing=()
for bin in "${!pkg_of[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("${pkg_of[$bin]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test needs these Debian packages (or their binaries on PATH): ${missing[*]}; install them as root with: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "pretest: installing ${missing[*]} (no service is started)" >&2
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
  own_policy=1
fi
trap 'if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi' EXIT
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; update only when the install cannot find a package.
if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
for bin in "${!pkg_of[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || { echo "pretest: $bin still missing after installing ${pkg_of[$bin]}" >&2; exit 1; }
done
