#!/usr/bin/env bash
# Builds the libFuzzer targets with coverage instrumentation and AddressSanitizer.
# Usage: scripts/fuzz/build.sh [target...]   (targets: dot; default all)
# Output: .build-fuzz/<target>-fuzzer
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

build_module CausalGraph Sources/CausalGraph/*.swift
build_module GraphvizIO Sources/GraphvizIO/*.swift

targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(dot)
for target in "${targets[@]}"; do
  case "$target" in
    dot)
      swiftc "${flags[@]}" -module-name DOTFuzz scripts/fuzz/DOTFuzzTarget.swift \
        "$out/CausalGraph.o" "$out/GraphvizIO.o" -lcgraph -lgvc -lcdt -o "$out/dot-fuzzer" 2> >(grep -v "Cannot export local symbol" >&2)
      ;;
    *) echo "unknown fuzz target $target" >&2; exit 1 ;;
  esac
  echo "built $out/$target-fuzzer"
done
