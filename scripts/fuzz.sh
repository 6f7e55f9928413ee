#!/usr/bin/env bash
# Runs the libFuzzer targets in Fuzz/ for a fixed time each and prints what they did.
#
#   scripts/fuzz.sh                      every target for 30 seconds
#   scripts/fuzz.sh --seconds 600        every target for ten minutes (the long run)
#   scripts/fuzz.sh --seconds 60 FuzzCSVReader FuzzPostcode
#
# Each target is built with -sanitize=fuzzer,address in release mode, in .build-fuzz. It starts from its seeds
# (Fuzz/Seeds/<target>, plus, for the JSON and FHIR targets, every file of ../shared/fhir-corpus up to 64 KiB)
# and from what earlier runs found (.fuzz/corpus/<target>, kept between runs and never committed). A crash,
# a sanitizer report, a broken round trip, a timeout (10 s for one input) or a memory blow-up (2 GiB) is a
# finding: libFuzzer writes the input to .fuzz/findings/<target>/ and the script exits 1. Replay one with
# `.build-fuzz/release/<target> <file>`. Linux only: the build relies on GNU ld's --allow-multiple-definition.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds)
            [ $# -ge 2 ] && [ "$2" -gt 0 ] 2>/dev/null || { echo "fuzz.sh: --seconds needs a number above 0" >&2; exit 2; }
            seconds="$2"; shift 2 ;;
        --help|-h) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
all_targets=(FuzzJSONReader FuzzFHIRDecoder FuzzCSVReader FuzzTriageEvents FuzzNHSNumber FuzzPostcode)
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

printf '==> building the fuzz targets (release, -sanitize=fuzzer,address)\n'
# The fuzzer's runtime brings a main of its own, as does every SwiftPM executable; both hand over to the same
# driver with the same callback (see Fuzz/Sources/CFuzzing), so the linker may keep either.
swift build -c release --package-path Fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -warnings-as-errors -Xlinker --allow-multiple-definition

corpus_seeds=.fuzz/seeds/fhir-corpus
rm -rf "$corpus_seeds"
if [ -d ../shared/fhir-corpus ]; then
    mkdir -p "$corpus_seeds"
    find ../shared/fhir-corpus -name '*.json' -size -65k | sort | while read -r file; do
        cp "$file" "$corpus_seeds/$(printf '%s' "$file" | cksum | cut -d' ' -f1).json"
    done
fi

failed=0
summary=()
for target in "${targets[@]}"; do
    case "$target" in
        FuzzJSONReader|FuzzFHIRDecoder) max_len=65536; extra=(); [ -d "$corpus_seeds" ] && extra=("$corpus_seeds") ;;
        FuzzCSVReader|FuzzTriageEvents) max_len=8192; extra=() ;;
        FuzzNHSNumber|FuzzPostcode) max_len=64; extra=() ;;
        *) echo "fuzz.sh: no target named $target" >&2; exit 2 ;;
    esac
    corpus=".fuzz/corpus/$target"
    findings=".fuzz/findings/$target"
    mkdir -p "$corpus" "$findings"
    log=".fuzz/$target.log"
    started=".fuzz/$target.started"
    touch "$started"
    printf '\n==> %s for %s s\n' "$target" "$seconds"
    status=0
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 ".build-fuzz/release/$target" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$findings/" \
        "$corpus" "Fuzz/Seeds/$target" ${extra[@]+"${extra[@]}"} >"$log" 2>&1 || status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    coverage=$({ grep -o 'cov: [0-9]*' "$log" || true; } | tail -1 | cut -d' ' -f2)
    units=$(find "$corpus" -type f | wc -l | tr -d ' ')
    found=$(find "$findings" -type f -newer "$started" | wc -l | tr -d ' ')
    if [ "$status" -ne 0 ]; then
        failed=1
        grep -E 'ERROR|Fatal error|Precondition failed|SUMMARY|Test unit written' "$log" | head -20 || true
    fi
    summary+=("$(printf '%-18s %12s %10s %8s %8s %8s %s' "$target" "${executions:-?}" "${per_second:-?}" \
        "${coverage:-?}" "$units" "$found" "$([ "$status" -eq 0 ] && echo ok || echo FINDING)")")
done

printf '\n%-18s %12s %10s %8s %8s %8s %s\n' target executions 'exec/s' coverage corpus findings result
printf '%s\n' "${summary[@]}"
exit "$failed"
