#!/usr/bin/env bash
# The tests' set-up, run by Maven (root pom, phase validate) before anything is built: installs the system packages
# the tests use (test-packages, next to this script) that are missing, when it can (root, Debian's apt-get); else
# says in one line what is missing and what the tests do without it. Never fails the build itself: a test that needs
# a missing package fails naming it. Nothing is called when everything is there. -Dtest.packages.skip=true skips it.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

missing=()
without=()
while read -r package file fallback; do
  case "$package" in ''|'#'*) continue ;; esac
  [ -e "$file" ] && continue
  missing+=("$package")
  without+=("$package: $fallback, tests that need $package itself fail naming it")
done < "$here/test-packages"
[ ${#missing[@]} -eq 0 ] && exit 0

# One line: what is missing, why it was not installed, and what the tests do instead.
fallback() {
  local instead
  instead="$(printf '%s; ' "${without[@]}")"
  echo "test packages: ${missing[*]} not installed ($1) - ${instead%; }"
}

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  fallback "installing needs root and apt-get: apt-get install ${missing[*]}"
  exit 0
fi

echo "test packages: installing ${missing[*]}"
if ! apt-get update -qq || ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; then
  fallback "apt-get failed"
  exit 0
fi

# A package may start a system service (Mosquitto listens on 1883): the tests start their own, on free ports, alone.
for package in "${missing[@]}"; do
  if command -v systemctl >/dev/null 2>&1 && systemctl stop "$package" >/dev/null 2>&1; then continue; fi
  command -v service >/dev/null 2>&1 && service "$package" stop >/dev/null 2>&1 || true
  # Without an init system the package's start script may still have started it: stop that daemon, by its pid file.
  for pidfile in "/run/$package/$package.pid" "/run/$package.pid" "/var/run/$package.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
done
echo "test packages: installed ${missing[*]}"
exit 0
