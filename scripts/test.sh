#!/usr/bin/env bash
# Runs the whole test suite; installs what is missing first (scripts/setup.sh, idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The house format (.swift-format; tests may force-unwrap: Tests/.swift-format), checked strictly.
swift format lint --strict --recursive Sources Tests
swift build --build-tests
swift test --skip-build
