#!/usr/bin/env bash
# Configures and builds Sluice in build/ (or $SLUICE_BUILD_DIR): the whole
# tree, or only the targets given (and what they need).
#   SLUICE_SANITIZERS=address,undefined scripts/build.sh   for a sanitizer build
#   scripts/build.sh protocol_tests state_tests            for two test suites
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${SLUICE_BUILD_DIR:-$root/build}
args=(-G Ninja -DCMAKE_BUILD_TYPE="${SLUICE_BUILD_TYPE:-RelWithDebInfo}")
if [ -n "${SLUICE_SANITIZERS:-}" ]; then
  args+=(-DSLUICE_SANITIZERS="$SLUICE_SANITIZERS")
fi
if [ "${CI:-}" = "true" ]; then
  args+=(-DSLUICE_WARNINGS_AS_ERRORS=ON)
fi
targets=()
if [ $# -gt 0 ]; then
  targets=(--target "$@")
fi
cmake -S "$root" -B "$build" "${args[@]}" > /dev/null
cmake --build "$build" "${targets[@]}" -- -j"$(nproc)"
