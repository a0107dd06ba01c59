#!/bin/sh
# Regenerates testdata/ from the reference SentencePiece 0.1.97 (Debian
# sentencepiece + python3-sentencepiece) and ../shared/data (see
# testdata/README.md):
#   generate.sh                 text samples, models and golden files
#   generate.sh --golden-only   only testdata/golden/ (keeps text and models)
set -eu
cd "$(dirname "$0")"
PY=/usr/bin/python3
if [ "${1:-}" != "--golden-only" ]; then
  $PY make_text.py
  $PY make_models.py
fi
$PY generate.py
