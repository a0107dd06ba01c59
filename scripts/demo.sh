#!/usr/bin/env bash
# The main job on bundled data: installs what is missing, builds, trains a
# small BPE model on bundled text, then encodes and decodes a sample with it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh
bin=${BUILD_DIR:-build}/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat testdata/text/sample/*.txt > "$work/train.txt"
echo "== training an 8000-piece BPE model on $(wc -c < "$work/train.txt") bytes of bundled text"
"$bin"/spm_train --input="$work/train.txt" --model_prefix="$work/demo" --vocab_size=8000 \
  --model_type=bpe --minloglevel=1
model=$work/demo.model
sample=$work/sample.txt
head -n 5 testdata/text/sample/en_botchan.txt > "$sample"
echo "== input ($sample)"; cat "$sample"
echo "== pieces"; "$bin"/spm_encode --model="$model" "$sample" | tee "$sample.pieces"
echo "== ids"; "$bin"/spm_encode --model="$model" --output_format=id "$sample" | tee "$sample.ids"
echo "== decoded from ids"; "$bin"/spm_decode --model="$model" --input_format=id "$sample.ids" | tee "$sample.out"
cmp -s "$sample" "$sample.out" && echo "== round trip: identical"
echo "== the same sample with a published model (llama2)"
"$bin"/spm_encode --model=testdata/models/llama2.model "$sample"
