#!/usr/bin/env bash
# Checks the contract every example program keeps: --help exits 0, a normal run exits 0 with output, bad usage
# and bad input exit 2 with one line on stderr that names the file and line at fault.
# Usage: scripts/check-examples.sh BIN_DIR   (the folder holding the built executables, e.g. .build/debug)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: scripts/check-examples.sh BIN_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

expect() {  # expect EXIT_CODE DESCRIPTION -- COMMAND...
    local want=$1 what=$2
    shift 3
    local got=0
    "$@" >"$work/out" 2>"$work/err" || got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $what: exit $got, expected $want"
        sed 's/^/    /' "$work/err" | head -n 5
        failures=$((failures + 1))
    else
        echo "ok:   $what (exit $got)"
    fi
}

one_line() {  # the last run's standard error must be exactly one line
    local lines
    lines=$(wc -l <"$work/err")
    if [ "$lines" -ne 1 ]; then
        echo "FAIL: expected one line on stderr, got $lines"
        failures=$((failures + 1))
    fi
}

expect 0 "care-journey --help" -- "$bin/care-journey" --help
grep -q "USAGE: care-journey" "$work/out" || { echo "FAIL: --help printed no usage"; failures=$((failures + 1)); }

expect 0 "care-journey (built-in journey)" -- "$bin/care-journey"
# Output must not depend on the machine's time zone or locale: run again far from London.
cp "$work/out" "$work/first"
expect 0 "care-journey in another time zone and locale" -- env TZ=Pacific/Kiritimati LC_ALL=tr_TR.UTF-8 "$bin/care-journey"
cmp -s "$work/first" "$work/out" || { echo "FAIL: the output depends on the time zone or locale"; failures=$((failures + 1)); }

expect 2 "care-journey with an unknown option" -- "$bin/care-journey" --frobnicate
one_line
expect 2 "care-journey with a missing file" -- "$bin/care-journey" --csv "$work/absent.csv"
one_line

printf 'id,given,family,birth_date,postcode,channels,no_digital\nx1,Ann,Test,1990-01-01,TR1 3LJ,sms,false\nx2,"Bob,Test,1990-01-01,TR1 3LJ,sms,false\n' >"$work/unterminated.csv"
expect 2 "care-journey with an unterminated quote" -- "$bin/care-journey" --csv "$work/unterminated.csv"
one_line
grep -q "unterminated.csv: line 3" "$work/err" || { echo "FAIL: the error does not name the file and line"; failures=$((failures + 1)); }
if grep -q "Bob" "$work/err"; then echo "FAIL: the error repeats patient data"; failures=$((failures + 1)); fi

printf 'id,given,family,birth_date,postcode,channels,no_digital\nx1,Ann,Test,1990-02-30,TR1 3LJ,sms,false\n' >"$work/baddate.csv"
expect 2 "care-journey with an impossible date of birth" -- "$bin/care-journey" --csv "$work/baddate.csv"
one_line
grep -q "baddate.csv: line 2: date" "$work/err" || { echo "FAIL: the error does not name the line and field"; failures=$((failures + 1)); }
if grep -q "1990" "$work/err"; then echo "FAIL: the error repeats patient data"; failures=$((failures + 1)); fi

printf 'id,given,family,birth_date,postcode,channels,no_digital\nx1,Ann,Test,1990-02,TR1 3LJ,sms,false\n' >"$work/good.csv"
expect 0 "care-journey with a valid file" -- "$bin/care-journey" --csv "$work/good.csv"

expect 0 "Benchmarks --help" -- "$bin/Benchmarks" --help
expect 2 "Benchmarks with an unknown option" -- "$bin/Benchmarks" --frobnicate

if [ "$failures" -ne 0 ]; then
    echo "$failures example check(s) failed"
    exit 1
fi
