#!/usr/bin/env bash
# Checks FHIREncoding against HL7's own R4 JSON Schema (in ../shared/fhir-schema beside the repository):
#   1. the committed element definitions and typed models are what scripts/generate-fhir-definitions.py and
#      scripts/generate-fhir-models.py make;
#   2. our encoder's output of every valid corpus file passes the schema (fastjsonschema, in a venv that
#      scripts/fhir-schema-check.sh makes);
#   3. the schema check itself still rejects every file in known-invalid/;
#   4. every resource the mapping tests emit passes the schema.
# Usage: scripts/check-fhir-schema.sh BIN_DIR   (the folder holding the built fhir-tool, e.g. .build/debug)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: scripts/check-fhir-schema.sh BIN_DIR}
corpus=../shared/fhir-corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "generated definitions and typed models are up to date"
python3 scripts/generate-fhir-definitions.py --check
python3 scripts/generate-fhir-models.py --check

echo "encoding every valid corpus file through the typed models"
# One file fails the round trip on purpose: nhs-bars/document_reference/GET-success-empty.json has
# "entry": [], which lenient mode lets through and the typed Bundle drops; its encoding is still written.
status=0
"$bin/fhir-tool" roundtrip --lenient --output "$work/encoded" \
    "$corpus/hl7-r4" "$corpus/uk-core" "$corpus/synthea" "$corpus/nhs-bars" >"$work/roundtrip.out" || status=$?
tail -n 1 "$work/roundtrip.out"
if [ "$status" -ne 1 ] || [ "$(tail -n 1 "$work/roundtrip.out")" != "303 passed, 1 failed" ] \
    || ! grep -q "^FAIL .*GET-success-empty.json: the round trip changed the JSON" "$work/roundtrip.out"; then
    echo "FAIL: expected every corpus file but GET-success-empty.json to round-trip through the typed models"
    cat "$work/roundtrip.out"
    exit 1
fi

echo "our encodings against HL7's R4 JSON Schema"
bash scripts/fhir-schema-check.sh "$work/encoded"

echo "the schema check still rejects known-invalid/"
bash scripts/fhir-schema-check.sh --expect-invalid "$corpus/known-invalid"

echo "resources the mapping tests emit, against HL7's R4 JSON Schema"
# The mapping tests write what they emit when FHIR_EMIT_DIR is set (Tests/FHIREncodingTests/Emitted.swift);
# the count guards against a check that passes because nothing was written.
if ! FHIR_EMIT_DIR="$work/emitted" swift test --skip-build --filter 'FHIREncodingTests\..*Mapping' \
    >"$work/emitted.out" 2>&1; then
    echo "FAIL: the mapping tests failed while emitting"
    tail -n 40 "$work/emitted.out"
    exit 1
fi
emitted=$(find "$work/emitted" -name '*.json' | wc -l)
echo "$emitted resources emitted"
if [ "$emitted" -lt 300 ]; then
    echo "FAIL: expected at least 300 emitted resources, found $emitted"
    exit 1
fi
bash scripts/fhir-schema-check.sh "$work/emitted"

echo "the Bundles care-journey writes, against HL7's R4 JSON Schema"
"$bin/care-journey" --store "$work/journey-store" --output "$work/journeys" >"$work/journeys.out" 2>&1 || {
    echo "FAIL: care-journey failed"
    tail -n 20 "$work/journeys.out"
    exit 1
}
bash scripts/fhir-schema-check.sh "$work/journeys"
