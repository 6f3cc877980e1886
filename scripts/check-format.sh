#!/usr/bin/env bash
# Fails, listing the places, when a tracked C++ file differs from what
# clang-format makes of it with the project's .clang-format.
#   scripts/check-format.sh --fix   reformats them instead
set -euo pipefail

cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "check-format: the files above are not formatted;" \
    "scripts/check-format.sh --fix formats them" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
