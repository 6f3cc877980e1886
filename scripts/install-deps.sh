#!/usr/bin/env bash
# Installs the Debian packages Sluice needs to build and test; skips
# `apt-get` entirely when everything is present. Run as root.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config clang-format
  libcaf-dev libcereal-dev libsqlite3-dev libboost-test-dev
  # The metrics server and `sluice status`.
  libcpp-httplib-dev nlohmann-json3-dev
  # Tests: the dashboard in a headless browser, the metrics page linted.
  chromium fonts-dejavu-core prometheus
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
