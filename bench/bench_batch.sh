#!/usr/bin/env bash
# Batch encoding speed on 1 and 2 threads (bench/bench_batch.cc): 100k lines,
# >= 20 MB, built from the shared corpora. Not a test.
#
#   bench/bench_batch.sh [BUILD_DIR] [bench_batch flags...]
#
# BUILD_DIR (default: build) must have built the `spm` target (libspm.so);
# the benchmark is compiled against it and the source headers.
# Environment: MODEL (default testdata/models/llama2.model),
#              CORPORA (default ../shared/data/corpora).
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
shift || true
model=${MODEL:-testdata/models/llama2.model}
corpora=${CORPORA:-../shared/data/corpora}
[ -e "$build/lib/libspm.so" ] || cmake --build "$build" --target spm
bin=$build/bench/bench_batch
mkdir -p "$(dirname "$bin")"
if [ ! -x "$bin" ] || [ bench/bench_batch.cc -nt "$bin" ] || [ "$build/lib/libspm.so" -nt "$bin" ]; then
  g++ -std=c++17 -O2 -Wall -Wextra bench/bench_batch.cc -o "$bin" -Isrc -I"$build/proto" \
      -L"$build/lib" -lspm -lprotobuf -Wl,-rpath,"$build/lib"
fi
exec "$bin" --model="$model" --corpora="$corpora" "$@"
