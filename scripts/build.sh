#!/usr/bin/env bash
# Configures and builds spm (Release) into ${BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DSPM_BUILD_TESTS=ON "$@" >/dev/null
cmake --build "$BUILD_DIR" -j"$jobs"
