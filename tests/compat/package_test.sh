#!/usr/bin/env bash
# The installed package, as a service author uses it (ctest: installed_package).
#
#   tests/compat/package_test.sh BUILD_DIR
#
# 1. `cmake --install BUILD_DIR --prefix <tmp>`; checks the layout, that
#    libspm.so does not link ICU, and the installed tools.
# 2. Builds examples/ and tests/compat/programs/ against <tmp> with
#    find_package(spm), and again with pkg-config (g++ $(pkg-config ... spm)).
# 3. Builds the compatibility programs against the reference's
#    libsentencepiece-dev (pkg-config sentencepiece), unchanged.
# 4. Runs every build of every program on the same models and texts; all
#    outputs must be identical (nothing is compared with typed-in text).
#    examples/encode_service must answer what the installed spm_encode and
#    the reference's spm_encode print.
#
# Exit status: 0 all equal; 1 a failure; 77 our builds all agree but the
# reference (libsentencepiece-dev) is not installed, so step 3 was skipped.
# Environment: SPM_KEEP_WORK=1 keeps the temporary directory.
set -euo pipefail

build=$(realpath "${1:?usage: package_test.sh BUILD_DIR}")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
if [ "${SPM_KEEP_WORK:-0}" = 1 ]; then echo "work dir: $work"; else trap 'rm -rf "$work"' EXIT; fi
prefix=$work/prefix
jobs=2
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

# ---------------------------------------------------------------- 1. install
step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" > "$work/install.log" || fail "install (see $work/install.log)"
pc_file=$(find "$prefix" -name spm.pc -path '*pkgconfig*' | head -1)
[ -n "$pc_file" ] || fail "no spm.pc installed"
libdir=$(dirname "$(dirname "$pc_file")")
for f in "$libdir/libspm.so" "$prefix/include/spm/sentencepiece_processor.h" \
         "$prefix/include/spm/sentencepiece_status.h" "$prefix/include/spm/sentencepiece.pb.h" \
         "$prefix/include/spm/sentencepiece_model.pb.h" "$libdir/cmake/spm/spmConfig.cmake" \
         "$prefix/bin/spm_encode" "$prefix/bin/spm_decode"; do
  [ -e "$f" ] || fail "not installed: $f"
done
if readelf -d "$libdir/libspm.so" | grep -q 'NEEDED.*libicu'; then fail "libspm.so links ICU"; fi
have_trainer=0
if [ -e "$libdir/libspm_train.so" ]; then
  have_trainer=1
  [ -e "$prefix/include/spm/sentencepiece_trainer.h" ] || fail "no sentencepiece_trainer.h"
  [ -e "$libdir/pkgconfig/spm_train.pc" ] || fail "no spm_train.pc"
fi
echo "installed: $(cd "$prefix" && find . -type f | wc -l) files; trainer: $have_trainer"

programs="compat_encode compat_sampling compat_status"
[ $have_trainer = 1 ] && programs="$programs compat_trainer"

# ---------------------------------------------------------------- 2. our builds
step "find_package(spm): examples/ and tests/compat/programs/"
for project in examples tests/compat/programs; do
  dir=$work/cmake/$(basename "$project")
  mkdir -p "$work/cmake"
  cmake -S "$src/$project" -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" > "$dir.log" 2>&1 || { cat "$dir.log"; fail "configure $project"; }
  cmake --build "$dir" -j$jobs >> "$dir.log" 2>&1 || { cat "$dir.log"; fail "build $project"; }
done

step "pkg-config spm: the same sources"
export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
mkdir -p "$work/pc" "$work/ref"
pcbuild() {  # pcbuild NAME SOURCE PACKAGE
  # shellcheck disable=SC2046
  g++ -std=c++17 -Wall -Wextra -Werror "$2" -o "$work/pc/$1" $(pkg-config --cflags --libs "$3") \
      -Wl,-rpath,"$(pkg-config --variable=libdir "$3")"
}
pids=()
pcbuild encode_service "$src/examples/encode_service.cc" spm & pids+=($!)
for p in $programs; do
  pkg=spm; [ $p = compat_trainer ] && pkg=spm_train
  pcbuild $p "$src/tests/compat/programs/$p.cc" $pkg & pids+=($!)
  if [ ${#pids[@]} -ge $jobs ]; then wait "${pids[0]}" || fail "pkg-config build"; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid" || fail "pkg-config build"; done

# ---------------------------------------------------------------- 3. reference builds
have_ref=0
if pkg-config --exists sentencepiece && [ -e /usr/include/sentencepiece_processor.h ]; then
  have_ref=1
  step "pkg-config sentencepiece (the reference 0.1.97): the compatibility programs, unchanged"
  pids=()
  for p in $programs; do
    # shellcheck disable=SC2046
    g++ -std=c++17 "$src/tests/compat/programs/$p.cc" -o "$work/ref/$p" \
        $(pkg-config --cflags --libs sentencepiece) & pids+=($!)
    if [ ${#pids[@]} -ge $jobs ]; then wait "${pids[0]}" || fail "reference build"; pids=("${pids[@]:1}"); fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || fail "reference build"; done
else
  echo "reference libsentencepiece-dev not installed: comparing our builds only"
fi

# ---------------------------------------------------------------- 4. run and compare
models=$src/testdata/models
text=$src/testdata/text
builds="cmake/programs pc"
[ $have_ref = 1 ] && builds="$builds ref"
runs=0
# compare NAME ARGS...: runs program NAME of every build with ARGS; stdout must match.
compare() {
  local name=$1; shift
  local first="" out
  for b in $builds; do
    out=$work/out.$(echo "$b" | tr / _).$runs
    "$work/$b/$name" "$@" > "$out" 2> "$out.err" || { cat "$out.err"; fail "$b/$name $*"; }
    if [ -z "$first" ]; then first=$out
    elif ! cmp -s "$first" "$out"; then
      diff "$first" "$out" | head -20
      fail "$name $* differs: $first vs $out"
    fi
  done
  runs=$((runs + 1))
}
step "compat programs: $builds"
for m in spm_test_model llama2 bpe_bytefb unigram_bytefb word_en char_mixed bpe_metaids unigram_rules; do
  compare compat_encode "$models/$m.model" "$text/edge_short.txt"
done
for m in spm_test_model xlnet_spiece unigram_bytefb llama2; do
  compare compat_sampling "$models/$m.model" "$text/golden_mix.txt" 40
done
compare compat_status "$models/spm_test_model.model" "$models/llama2.model"
if [ $have_trainer = 1 ]; then
  head -n 400 "$text/sample/en_botchan.txt" > "$work/train.txt"
  for b in $builds; do mkdir -p "$work/train/$(echo "$b" | tr / _)"; done
  # Each build trains into its own directory (the argument differs), so the
  # output (which does not print it) is compared as usual.
  first=""
  for b in $builds; do
    d=$work/train/$(echo "$b" | tr / _)
    "$work/$b/compat_trainer" "$work/train.txt" "$d" > "$d.out" 2> "$d.err" || { cat "$d.err"; fail "$b/compat_trainer"; }
    if [ -z "$first" ]; then first=$d.out
    elif ! cmp -s "$first" "$d.out"; then diff "$first" "$d.out" | head -20; fail "compat_trainer differs: $first vs $d.out"; fi
  done
  runs=$((runs + 1))
fi
echo "$runs program runs, identical across builds"

step "encode_service (find_package and pkg-config builds) vs spm_encode"
in=$work/service_in.txt
cat "$text/edge_short.txt" "$text/golden_mix.txt" > "$in"
for m in llama2 spm_test_model; do
  "$prefix/bin/spm_encode" --model="$models/$m.model" --output_format=id < "$in" > "$work/want_ids"
  "$prefix/bin/spm_encode" --model="$models/$m.model" --output_format=piece < "$in" > "$work/want_pieces"
  if [ $have_ref = 1 ] && command -v spm_encode > /dev/null && [ "$(command -v spm_encode)" != "$prefix/bin/spm_encode" ]; then
    spm_encode --model="$models/$m.model" --output_format=id < "$in" > "$work/ref_ids"
    cmp -s "$work/want_ids" "$work/ref_ids" || fail "installed spm_encode differs from the reference on $m"
  fi
  for b in cmake/examples pc; do
    for threads in 1 2; do
      "$work/$b/encode_service" --model="$models/$m.model" --threads=$threads < "$in" > "$work/got_ids"
      cmp -s "$work/want_ids" "$work/got_ids" || fail "$b/encode_service ids ($m, $threads threads)"
      "$work/$b/encode_service" --model="$models/$m.model" --threads=$threads --format=pieces \
          < "$in" > "$work/got_pieces"
      cmp -s "$work/want_pieces" "$work/got_pieces" || fail "$b/encode_service pieces ($m)"
    done
  done
done
echo "encode_service answers = spm_encode"

if [ $have_ref = 0 ]; then exit 77; fi
echo "PASS"
