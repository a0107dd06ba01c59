#!/usr/bin/env bash
# The main job on bundled data: installs what is missing, builds, then
# encodes and decodes a sample text with a bundled model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh
bin=${BUILD_DIR:-build}/bin
model=testdata/models/llama2.model
sample=$(mktemp)
trap 'rm -f "$sample" "$sample".*' EXIT
head -n 5 testdata/text/sample/en_botchan.txt > "$sample"
echo "== input ($sample)"; cat "$sample"
echo "== pieces"; "$bin"/spm_encode --model="$model" "$sample" | tee "$sample.pieces"
echo "== ids"; "$bin"/spm_encode --model="$model" --output_format=id "$sample" | tee "$sample.ids"
echo "== decoded from ids"; "$bin"/spm_decode --model="$model" --input_format=id "$sample.ids" | tee "$sample.out"
cmp -s "$sample" "$sample.out" && echo "== round trip: identical"
