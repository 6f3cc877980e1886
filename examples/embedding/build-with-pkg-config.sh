#!/usr/bin/env bash
# Builds the orders example without CMake, in this folder, with the flags
# pkg-config gives for the installed package (PKG_CONFIG_PATH=
# PREFIX/lib/pkgconfig when it is installed where pkg-config does not
# look). CXXFLAGS adds flags of your own.
set -euo pipefail
cd "$(dirname "$0")"
CXXFLAGS=${CXXFLAGS:-}

# snippet-begin: pkg-config
c++ -std=c++17 $CXXFLAGS orders.cpp -o orders \
  $(pkg-config --cflags --libs sluice-observability)
# snippet-end
