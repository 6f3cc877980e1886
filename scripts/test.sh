#!/usr/bin/env bash
# Installs what is needed, builds, and runs the whole test suite. CTest's
# summary is the last thing printed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${SLUICE_BUILD_DIR:-$root/build}
cd "$build"
exec ctest --output-on-failure --timeout 900
