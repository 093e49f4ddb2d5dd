#!/usr/bin/env bash
# Builds the libFuzzer targets with coverage instrumentation and AddressSanitizer.
# Usage: scripts/fuzz/build.sh [target...]   (targets: dot, csv, config; default all)
# Output: .build-fuzz/<target>-fuzzer
# The MMM targets (csv, config) link the MMM module and its dependencies (Inference, CausalGraph,
# swift-numerics' RealModule, Yams) built by SwiftPM with the same instrumentation into
# .build-fuzz-spm (release; the first build takes a few minutes, later ones are incremental).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh
out=.build-fuzz
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -I "$out" -I Sources/CGraphviz)

build_module() { # name sources...
  local name=$1; shift
  swiftc "${flags[@]}" -module-name "$name" -wmo -emit-module -emit-module-path "$out/$name.swiftmodule" \
    -c "$@" -o "$out/$name.o"
}

targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(dot csv config)

spm=.build-fuzz-spm
build_mmm() { # once per run: SwiftPM builds MMM and its dependencies instrumented
  [ -n "${mmm_built:-}" ] && return
  nice swift build -c release --target MMM -Xswiftc -sanitize=fuzzer,address --scratch-path "$spm" >&2
  mmm_built=1
}
mmm_fuzzer() { # name source
  build_mmm
  local release=$spm/release
  local objects=()
  for module in MMM Inference CausalGraph Yams RealModule _NumericsShims; do
    objects+=("$release/$module.build/"*.o)
  done
  objects+=($(find "$release/CYaml.build" -name '*.o'))
  swiftc "${flags[@]}" -module-name "$1Fuzz" -I "$release/Modules" \
    -Xcc -fmodule-map-file="$spm/checkouts/swift-numerics/Sources/_NumericsShims/include/module.modulemap" \
    -Xcc -fmodule-map-file="$spm/checkouts/Yams/Sources/CYaml/include/module.modulemap" \
    "scripts/fuzz/$2" "${objects[@]}" -o "$out/$1-fuzzer" 2> >(grep -v "Cannot export local symbol" >&2)
}

for target in "${targets[@]}"; do
  case "$target" in
    csv) mmm_fuzzer csv CSVFuzzTarget.swift ;;
    config) mmm_fuzzer config ConfigFuzzTarget.swift ;;
    dot)
      build_module CausalGraph Sources/CausalGraph/*.swift
      build_module GraphvizIO Sources/GraphvizIO/*.swift
      swiftc "${flags[@]}" -module-name DOTFuzz scripts/fuzz/DOTFuzzTarget.swift \
        "$out/CausalGraph.o" "$out/GraphvizIO.o" -lcgraph -lgvc -lcdt -o "$out/dot-fuzzer" 2> >(grep -v "Cannot export local symbol" >&2)
      ;;
    *) echo "unknown fuzz target $target" >&2; exit 1 ;;
  esac
  echo "built $out/$target-fuzzer"
done
