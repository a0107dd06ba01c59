#!/usr/bin/env bash
# The whole test suite: installs what is missing (the reference SentencePiece
# included, as the test oracle), builds, and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest -j"$(nproc 2>/dev/null || echo 2)" --output-on-failure --timeout 1200
