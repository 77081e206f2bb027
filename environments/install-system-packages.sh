#!/usr/bin/env bash
# Installs the Debian packages the graders need, only those missing. Idempotent.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else
  echo "error: missing Debian packages (${missing[*]}); install them as root" >&2; exit 3
fi
export DEBIAN_FRONTEND=noninteractive
# Installing postgresql must not start a system cluster: graders start their own when needed.
if [ ! -e /usr/sbin/policy-rc.d ] && [ "$(id -u)" -eq 0 ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
# CDA_APT_ARCHIVES: a folder that keeps the downloaded .deb files (a CI cache), so that the next run
# installs them without downloading (docs/ci-lab.md).
archives=()
if [ -n "${CDA_APT_ARCHIVES:-}" ]; then
  mkdir -p "$CDA_APT_ARCHIVES/partial" && archives=(-o "Dir::Cache::archives=$CDA_APT_ARCHIVES")
fi
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${archives[@]}" "${missing[@]}"
