#!/usr/bin/env bash
# The whole test suite: installs what is missing (the reference SentencePiece
# included, as the test oracle), builds, runs every test with ctest, then
# runs the suite again under ASan+UBSan and the concurrency tests under TSan
# (scripts/sanitize.sh; SPM_SKIP_SANITIZERS=1 leaves that part out for a
# quick local run).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/install_deps.sh
bash scripts/build.sh
(cd "${BUILD_DIR:-build}" &&
  ctest -j"$(nproc 2>/dev/null || echo 2)" --output-on-failure --timeout 1200)
echo "== test suite passed in $(( $(date +%s) - start )) s"
if [ "${SPM_SKIP_SANITIZERS:-0}" != 1 ]; then
  bash scripts/sanitize.sh
fi
echo "== all tests passed in $(( $(date +%s) - start )) s"
