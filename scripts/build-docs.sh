#!/usr/bin/env bash
# Builds the DocC documentation of every library module with the toolchain's own docc (no plugin), with
# warnings as errors and parameter validation, then merges the archives into one.
# Output: .build/docs/IntegratedCareKit.doccarchive
# With --skip-build it reads the symbol graphs that scripts/check.sh's build left in .build/symbol-graphs/all.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=(CareCore PatientIdentity Appointments CarePlans ConsentAccess TriageScoring FHIREncoding CareStore CareStoreConformance)
graphs=.build/symbol-graphs

if [ "${1:-}" != "--skip-build" ]; then
    # Graphs are only written when a module compiles; keep earlier ones, which match unchanged modules.
    mkdir -p "$graphs/all"
    swift build -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$graphs/all"
fi

rm -rf .build/docs
mkdir -p .build/docs
archives=()
for module in "${modules[@]}"; do
    rm -rf "${graphs:?}/$module"
    mkdir -p "$graphs/$module"
    # A module's own graph, plus the graphs of its extensions to other modules' types (Module@Other).
    if [ -f "$graphs/all/$module.symbols.json" ]; then
        cp "$graphs/all/$module.symbols.json" "$graphs/$module/"
    fi
    cp "$graphs/all/$module"@*.symbols.json "$graphs/$module/" 2>/dev/null || true
    docc convert "Sources/$module/$module.docc" \
        --additional-symbol-graph-dir "$graphs/$module" \
        --output-dir ".build/docs/$module.doccarchive" \
        --fallback-display-name "$module" \
        --fallback-bundle-identifier "org.integratedcarekit.$module" \
        --enable-parameters-and-returns-validation \
        --warnings-as-errors
    archives+=(".build/docs/$module.doccarchive")
done
# The suite's own pages (a start-here overview and articles), with no symbols of their own.
docc convert Documentation/IntegratedCareKit.docc \
    --output-dir .build/docs/Suite.doccarchive \
    --fallback-display-name "IntegratedCareKit: start here" \
    --fallback-bundle-identifier org.integratedcarekit.suite \
    --warnings-as-errors
archives=(".build/docs/Suite.doccarchive" "${archives[@]}")
docc merge "${archives[@]}" \
    --output-path .build/docs/IntegratedCareKit.doccarchive \
    --synthesized-landing-page-name IntegratedCareKit
echo "Documentation: .build/docs/IntegratedCareKit.doccarchive"
