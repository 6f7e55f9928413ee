#!/usr/bin/env bash
# Checks FHIREncoding against HL7's own R4 JSON Schema (in ../shared/fhir-schema beside the repository):
#   1. the committed element definitions are what scripts/generate-fhir-definitions.py makes from the schema;
#   2. our encoder's output of every valid corpus file passes the schema (fastjsonschema, in a venv that
#      scripts/fhir-schema-check.sh makes);
#   3. the schema check itself still rejects every file in known-invalid/.
# Usage: scripts/check-fhir-schema.sh BIN_DIR   (the folder holding the built fhir-tool, e.g. .build/debug)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: scripts/check-fhir-schema.sh BIN_DIR}
corpus=../shared/fhir-corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "generated definitions are up to date"
python3 scripts/generate-fhir-definitions.py --check

echo "encoding every valid corpus file"
"$bin/fhir-tool" roundtrip --lenient --output "$work/encoded" \
    "$corpus/hl7-r4" "$corpus/uk-core" "$corpus/synthea" "$corpus/nhs-bars" | tail -n 1

echo "our encodings against HL7's R4 JSON Schema"
bash scripts/fhir-schema-check.sh "$work/encoded"

echo "the schema check still rejects known-invalid/"
bash scripts/fhir-schema-check.sh --expect-invalid "$corpus/known-invalid"
