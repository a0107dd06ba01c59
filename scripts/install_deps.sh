#!/usr/bin/env bash
# Installs what spm needs on Debian 12: the build toolchain and libraries, and
# the reference SentencePiece 0.1.97 (only used as a test oracle: golden files,
# differential tests, benchmarks; never linked).
set -euo pipefail
pkgs=(
  build-essential cmake pkg-config
  libprotobuf-dev protobuf-compiler libabsl-dev libicu-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-protobuf
  sentencepiece libsentencepiece-dev python3-sentencepiece
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
