#!/usr/bin/env bash
# Installs what CausalMMM needs on a Debian machine, only when it is missing.
# Idempotent: a second run does nothing but check. Uses sudo only when not root.
set -euo pipefail

need=()
for pkg in libgraphviz-dev pkg-config graphviz; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    need+=("$pkg")
  fi
done

if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  echo "setup: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: error: swift is not on PATH; install the Swift 6 toolchain first" >&2
  exit 1
fi

# gvc finds its layout and render plugins through a config file written by `dot -c`.
# A fresh libgraphviz install sometimes lacks it; gvLayout then fails with -1.
if command -v dot >/dev/null 2>&1; then
  plugin_dir=$(dirname "$(ls /usr/lib/*/graphviz/config* /usr/lib/graphviz/config* 2>/dev/null | head -n1)" 2>/dev/null || true)
  if [ -z "$plugin_dir" ] || [ "$plugin_dir" = "." ]; then
    if [ "$(id -u)" -eq 0 ]; then dot -c; else sudo dot -c; fi
  fi
fi
