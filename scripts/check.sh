#!/usr/bin/env bash
# The one check that CI runs and that you run before pushing, in the order DESIGN.md gives:
#   1. format lint;
#   2. one debug build of every target, test and example with warnings as errors (it also emits the symbol
#      graphs the docs build reads, so nothing is compiled twice);
#   3. the tests on that build;
#   4. the example programs' contract (--help, exit codes);
#   5. the docs build, with warnings as errors.
# It needs nothing beyond the Swift toolchain and the system time-zone database.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
started=$SECONDS

step "1/5 format lint"
bash scripts/format.sh --lint

step "2/5 debug build of every target and test, warnings as errors"
# Graphs are only written when a module compiles, so earlier ones are kept: they match unchanged modules.
mkdir -p .build/symbol-graphs/all
swift build --build-tests \
    -Xswiftc -warnings-as-errors \
    --explicit-target-dependency-import-check error \
    -Xswiftc -emit-symbol-graph \
    -Xswiftc -emit-symbol-graph-dir -Xswiftc .build/symbol-graphs/all

step "3/5 tests"
swift test --skip-build

step "4/5 example programs"
bash scripts/check-examples.sh .build/debug

step "5/5 documentation"
bash scripts/build-docs.sh --skip-build

printf '\nAll checks passed in %d s.\n' $((SECONDS - started))
