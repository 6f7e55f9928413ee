#!/usr/bin/env bash
# Check FHIR R4 JSON files against HL7's JSON Schema; see scripts/fhir-schema-check.py for what it does.
#   bash scripts/fhir-schema-check.sh [--schema PATH] [--expect-invalid] PATH...
# Runs the checker in a private venv at .build/fhir-schema-venv (made on first use), so nothing is
# installed system-wide. The only dependency is fastjsonschema, pinned below.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.build/fhir-schema-venv"
pin="fastjsonschema==2.22.3"
python="$venv/bin/python"

if ! command -v python3 >/dev/null 2>&1; then
    echo "error: python3 not found; install Python 3.11 or newer" >&2
    exit 2
fi

# A venv that exists but has no pip is what a failed `python3 -m venv` leaves behind: make it again.
if [[ ! -x "$python" ]] || ! "$python" -m pip --version >/dev/null 2>&1; then
    rm -rf "$venv"
    mkdir -p "$root/.build"
    if ! python3 -c 'import ensurepip' >/dev/null 2>&1 || ! python3 -m venv "$venv" >&2; then
        rm -rf "$venv"
        echo "error: could not create a Python venv at .build/fhir-schema-venv, probably because ensurepip is missing." >&2
        echo "On Debian or Ubuntu install the python3-venv package (sudo apt-get install python3-venv) and run again." >&2
        exit 2
    fi
fi

if [[ "$("$python" -c 'import importlib.metadata as m; print(m.version("fastjsonschema"))' 2>/dev/null || true)" \
    != "${pin#*==}" ]]; then
    echo "installing $pin into $venv" >&2
    "$python" -m pip install --quiet --disable-pip-version-check "$pin" >&2
fi

exec "$python" "$root/scripts/fhir-schema-check.py" "$@"
