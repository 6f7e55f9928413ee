#!/usr/bin/env python3
"""Generate FHIREncoding's R4 element definitions from HL7's FHIR R4 JSON Schema.

Usage:
    python3 scripts/generate-fhir-definitions.py [--schema PATH] [--check]

Reads HL7's published R4 JSON Schema (default: ../shared/fhir-schema/fhir.schema.json beside the
repository) and the supplement `scripts/fhir-definitions/r4-required.tsv`, and writes
`Sources/FHIREncoding/Definitions/R4Definitions+Data.swift`: one Swift raw string literal holding every
complex type, backbone element and resource of R4 in a compact line format that `R4Definitions` parses
once, on first use. With `--check` nothing is written; the exit status says whether the committed file
is up to date (CI runs this).

The line format (documented again in the generated file and in the DocC article):

    =N code code code ...        a required-binding value set, numbered from 0
    R Patient                    a definition: R resource, C complex datatype, B backbone element
     name type flags...          one element, in the specification's order

Element flags: `*` the element repeats (0..*), `!` the element is required (min 1), `=N` codes bound
(required strength) to value set N, `~base` a variant of the choice element `base[x]`, `~base!` a variant
of a required choice element. The type is a primitive name (`string`, `dateTime`, ...), a definition
name, or `Resource` for an element holding any resource (`contained`, `Bundle.entry.resource`).

What the schema does not say, the supplement does: the schema's `required` lists leave out primitive
elements with a minimum of 1 (`Bundle.type`, `Observation.status`, `Extension.url`) and never mark a
choice element as required. `r4-required.tsv` lists those, with its source in its header.

Choice elements are found from the schema's shape: two or more non-repeating properties of one definition
that share a prefix, whose suffixes name their own types (`deceasedBoolean`, `deceasedDateTime`) and
that carry the same description.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = ROOT.parent / "shared" / "fhir-schema" / "fhir.schema.json"
SUPPLEMENT = ROOT / "scripts" / "fhir-definitions" / "r4-required.tsv"
OUTPUT = ROOT / "Sources" / "FHIREncoding" / "Definitions" / "R4Definitions+Data.swift"

PRIMITIVES = [
    "base64Binary", "boolean", "canonical", "code", "date", "dateTime", "decimal", "id", "instant",
    "integer", "markdown", "oid", "positiveInt", "string", "time", "unsignedInt", "uri", "url", "uuid",
    "xhtml",
]


def referenced_type(prop: dict) -> str | None:
    """The definition a property refers to, or None when it is inline."""
    ref = prop.get("$ref")
    if ref is None:
        return None
    name = ref.rsplit("/", 1)[-1]
    return "Resource" if name == "ResourceList" else name


def capitalised(name: str) -> str:
    return name[0].upper() + name[1:]


def choice_groups(definition: dict) -> dict[str, str]:
    """Maps each choice-variant property name to the base name of its choice element."""
    properties = definition.get("properties", {})
    suffixes = {capitalised(t): t for t in PRIMITIVES}
    names = [p for p in properties if not p.startswith("_")]
    candidates: dict[str, list[str]] = {}
    for name in names:
        prop = properties[name]
        if prop.get("type") == "array":
            continue
        for cut in range(1, len(name)):
            if not name[cut].isupper():
                continue
            suffix = name[cut:]
            own = referenced_type(prop)
            if own is not None and own != "Resource" and suffix in (capitalised(own), own):
                candidates.setdefault(name[:cut], []).append(name)
            elif own is None and suffix in suffixes:
                candidates.setdefault(name[:cut], []).append(name)
    groups: dict[str, str] = {}
    for base, variants in candidates.items():
        descriptions = {properties[v].get("description") for v in variants}
        if len(variants) >= 2 and len(descriptions) == 1:
            for variant in variants:
                groups[variant] = base
    return groups


def element_type(name: str, prop: dict, choice_base: str | None) -> str:
    """The FHIR type name of one property."""
    if prop.get("type") == "array":
        prop = prop["items"]
    own = referenced_type(prop)
    if own is not None:
        return own
    if "enum" in prop:
        return "code"
    if choice_base is not None:
        suffix = name[len(choice_base):]
        return suffix[0].lower() + suffix[1:]
    raise SystemExit(f"cannot type property {name}: {json.dumps(prop)[:200]}")


def load_supplement() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    primitives: set[tuple[str, str]] = set()
    choices: set[tuple[str, str]] = set()
    for line in SUPPLEMENT.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        definition, element, kind = line.split("\t")
        (primitives if kind == "primitive" else choices).add((definition, element))
    return primitives, choices


def generate(schema: dict, schema_digest: str) -> str:
    definitions = schema["definitions"]
    resource_names = set(schema["discriminator"]["mapping"])
    required_primitives, required_choices = load_supplement()
    value_sets: dict[tuple[str, ...], int] = {}
    body: list[str] = []
    seen_supplement: set[tuple[str, str]] = set()

    for name, definition in definitions.items():
        if "properties" not in definition:
            continue
        kind = "R" if name in resource_names else ("B" if "_" in name else "C")
        body.append(f"{kind} {name}")
        required = set(definition.get("required", []))
        groups = choice_groups(definition)
        for prop_name, prop in definition["properties"].items():
            if prop_name.startswith("_") or "const" in prop:
                continue
            base = groups.get(prop_name)
            flags: list[str] = []
            if prop.get("type") == "array":
                flags.append("*")
            if prop_name in required or (name, prop_name) in required_primitives:
                flags.append("!")
                seen_supplement.add((name, prop_name))
            codes = prop.get("enum") or prop.get("items", {}).get("enum")
            if codes and any(not code or any(c.isspace() for c in code) for code in codes):
                raise SystemExit(f"{name}.{prop_name}: a bound code is empty or holds whitespace")
            if codes:
                key = tuple(codes)
                flags.append(f"={value_sets.setdefault(key, len(value_sets))}")
            if base is not None:
                flags.append(f"~{base}" + ("!" if (name, base) in required_choices else ""))
                seen_supplement.add((name, base))
            line = f" {prop_name} {element_type(prop_name, prop, base)}"
            body.append(line + ("" if not flags else " " + " ".join(flags)))

    defined = {line.split(" ")[1] for line in body if not line.startswith(" ")}
    unresolved = sorted(
        line.split(" ")[2] for line in body
        if line.startswith(" ") and line.split(" ")[2] not in defined | set(PRIMITIVES) | {"Resource"}
    )
    if unresolved:
        raise SystemExit(f"elements name types the schema does not define: {unresolved[:10]}")
    missing = sorted((required_primitives | required_choices) - seen_supplement)
    if missing:
        raise SystemExit(f"supplement names elements the schema does not have: {missing[:10]}")

    header = [
        "// Generated by scripts/generate-fhir-definitions.py from HL7's FHIR R4 JSON Schema",
        f"// (fhir.schema.json, SHA-256 {schema_digest}) and scripts/fhir-definitions/r4-required.tsv.",
        "// Do not edit: change the script or its inputs and run it again.",
        "// swift-format-ignore-file",
        "",
        "extension R4Definitions {",
        "    /// Every R4 complex type, backbone element and resource, in the compact line format that",
        "    /// `scripts/generate-fhir-definitions.py` documents: `=N codes...` value sets, `R|C|B Name`",
        "    /// definitions, then one ` name type flags` line per element in the specification's order.",
        '    static let compactText = #"""',
    ]
    sets = [f"={index} " + " ".join(codes) for codes, index in value_sets.items()]
    footer = ['"""#', "}", ""]
    return "\n".join(header + sets + body + footer)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema", type=Path, default=DEFAULT_SCHEMA)
    parser.add_argument("--check", action="store_true", help="fail if the committed file is stale")
    arguments = parser.parse_args()
    if not arguments.schema.is_file():
        print(f"error: schema not found: {arguments.schema.name}", file=sys.stderr)
        return 2
    raw = arguments.schema.read_bytes()
    text = generate(json.loads(raw), hashlib.sha256(raw).hexdigest())
    if arguments.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else ""
        if current != text:
            print(f"error: {OUTPUT.relative_to(ROOT)} is stale; run scripts/generate-fhir-definitions.py",
                  file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
