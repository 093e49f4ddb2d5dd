#!/usr/bin/env bash
# Runs the whole test suite; installs what is missing first (scripts/setup.sh, idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
