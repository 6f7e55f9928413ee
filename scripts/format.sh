#!/usr/bin/env bash
# Formats the Swift sources in place with the checked-in .swift-format, then lints them strictly.
# With --lint it only lints (what CI does): exit 1 on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests Examples Benchmarks Integrations/PostgresStore/Package.swift Integrations/PostgresStore/Sources Integrations/PostgresStore/Tests Integrations/PostgresStore/Benchmarks Fuzz/Package.swift Fuzz/Sources)
if [ "${1:-}" != "--lint" ]; then
    swift format format --in-place --recursive --parallel "${paths[@]}"
fi
swift format lint --strict --recursive --parallel "${paths[@]}"
