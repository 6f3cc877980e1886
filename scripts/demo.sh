#!/usr/bin/env bash
# Installs what is needed, builds, and runs the word count demo on text it
# generates.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
# The demo runs one program: building the tests and benchmarks too would
# take most of the time.
"$root/scripts/build.sh" wordcount
build=${SLUICE_BUILD_DIR:-$root/build}
input="$build/demo-words.txt"
"$build/examples/wordcount" --generate "${DEMO_WORDS:-5000000}" "$input"
