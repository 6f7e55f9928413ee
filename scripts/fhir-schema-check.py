#!/usr/bin/env python3
"""Check FHIR R4 JSON files against HL7's published JSON Schema (fhir.schema.json).

Usage: fhir-schema-check.py [--schema PATH] [--expect-invalid] PATH...

Each PATH is a file or a folder searched recursively for *.json and *.ndjson files. A .json file is one
unit; in a .ndjson file every non-blank line is one unit. Units are checked in path order, and each one
that fails gets a line `FAIL <path>[:<line>] <first error>`. The last line is `N passed, N failed`.
With --expect-invalid every unit must be rejected by the schema; one that is accepted is reported as
`UNEXPECTED PASS <path>` and counts as failed. A unit that is not valid JSON always counts as failed.
Exit status: 0 if nothing failed, 1 if something did, 2 for bad usage, a missing path or an unusable schema.
Timings go to standard error.

The schema is validated with fastjsonschema, after two changes made in memory:

1. `"type": "object"` is added to every definition that has `properties`. The published schema leaves it
   out, and JSON Schema applies `properties` and `additionalProperties` only to objects, so without it an
   array or a string where, say, a CodeableConcept belongs is accepted.

2. The `oneOf` over all 146 resource types, at the root and in `definitions.ResourceList` (used by
   Bundle.entry.resource, contained resources and so on), is replaced by dispatch on `resourceType`. A
   `oneOf` must try every branch to prove that exactly one matches, which makes validation about 8 times
   slower (5 s rather than 0.6 s for the development corpus), and its error says only that no branch
   matched. The replacement requires an object whose `resourceType` is one of the known names, then picks
   the one matching definition through draft-07 `if`/`then`/`else`, nested as a balanced binary search
   over the names (8 tests per resource rather than 146). Each resource definition still pins `resourceType` with `const` and forbids unknown
   properties, so the check is as strict as before: an unknown or missing resourceType fails.
   Because `if`/`then` is draft-07, `$schema` is changed to draft-07 (draft-06 keywords mean the same).

The schema names itself with draft-06 `"id"`; fastjsonschema reads that as the base URI, so
`"$ref": "#/definitions/..."` stays inside this document. Fetching any remote schema is refused.
Before compiling, the schema is also made compact (descriptions dropped, references to complex types routed
through one-line aliases); this changes no result, only how much code fastjsonschema generates. See
make_compact.

fastjsonschema reports unknown properties as a Python set, whose order depends on string hashing, so the
script runs itself with PYTHONHASHSEED=0 to keep its output the same from run to run.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import fastjsonschema

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = REPO_ROOT.parent / "shared" / "fhir-schema" / "fhir.schema.json"
MESSAGE_LIMIT = 200
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
REF_PREFIX = "#/definitions/"


class UsageError(Exception):
    """A problem with the command line or its inputs; exit status 2."""


# ---------------------------------------------------------------------------------------------------------
# Schema


def without_descriptions(node: Any) -> Any:
    """Return a copy of a schema without `description` annotations.

    Only string values are dropped, so a property that is itself named "description" (its value is a
    schema, an object) is kept.
    """
    if isinstance(node, list):
        return [without_descriptions(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: without_descriptions(value)
        for key, value in node.items()
        if not (key == "description" and isinstance(value, str))
    }


def resource_names(schema: dict[str, Any]) -> list[str]:
    """The resource types listed by the root `oneOf` of the published schema, in schema order."""
    names = []
    for branch in schema["oneOf"]:
        ref = branch.get("$ref", "")
        if not ref.startswith(REF_PREFIX):
            raise ValueError(f"unexpected branch in the root oneOf: {branch!r}")
        names.append(ref[len(REF_PREFIX):])
    return names


def dispatch_tree(names: list[str]) -> dict[str, Any]:
    """Pick the definition named by `resourceType`: a balanced if/then/else search over `names`."""
    if len(names) == 1:
        return {"$ref": REF_PREFIX + names[0]}
    half = len(names) // 2
    first, rest = names[:half], names[half:]
    return {
        "if": {"properties": {"resourceType": {"enum": first}}},
        "then": dispatch_tree(first),
        "else": dispatch_tree(rest),
    }


def resource_dispatch(names: list[str]) -> dict[str, Any]:
    """A strict replacement for `{"oneOf": [{"$ref": ...} for every resource type]}`."""
    guard = {
        "type": "object",
        "required": ["resourceType"],
        "properties": {"resourceType": {"enum": names}},
    }
    # allOf checks in order, so a bad or missing resourceType is reported as such, before the search.
    return {"allOf": [guard, dispatch_tree(names)]}


def patch_schema(published: dict[str, Any]) -> dict[str, Any]:
    """Apply the two fixes described in the module docstring; returns a new schema."""
    schema = copy.deepcopy(published)
    definitions = schema["definitions"]
    names = resource_names(schema)
    for name in names:
        if name not in definitions:
            raise ValueError(f"the root oneOf names {name}, which has no definition")

    # Fix 1: complex types are objects.
    for definition in definitions.values():
        if "properties" in definition:
            definition.setdefault("type", "object")

    # Fix 2: dispatch on resourceType instead of a 146-way oneOf.
    if not isinstance(definitions.get("ResourceList"), dict) or "oneOf" not in definitions["ResourceList"]:
        raise ValueError("definitions.ResourceList is not the expected oneOf")
    definitions["ResourceList"] = resource_dispatch(names)
    for keyword in ("oneOf", "discriminator"):
        schema.pop(keyword, None)
    # Not the dispatch itself: see make_compact.
    schema["allOf"] = [{"$ref": REF_PREFIX + "ResourceList"}]
    schema["$schema"] = DRAFT_07
    return schema


def make_compact(schema: dict[str, Any]) -> dict[str, Any]:
    """Return an equivalent schema for which fastjsonschema generates far less code.

    For every error it can raise, fastjsonschema writes into the generated code a copy of the schema object
    being checked, with each `$ref` in it replaced by its target. For FHIR that is over 60 MB of Python
    (about 15 s to compile) instead of about 10 MB (about 3 s). Three changes keep the copies small:
    descriptions are dropped; each reference to a complex type or ResourceList goes through a one-line alias
    (`"X.ref": {"$ref": "#/definitions/X"}`), so the copy holds the alias rather than all of X; and the
    root holds no checks of its own, because its copy would include every definition.
    """
    compact = without_descriptions(schema)
    definitions = compact["definitions"]
    # Primitive types (string, number, boolean) are small and referenced most often: no alias for them.
    aliases = {
        name: f"{name}.ref"
        for name, definition in definitions.items()
        if definition.get("type") in (None, "object")
    }
    clashes = sorted(set(aliases.values()) & definitions.keys())
    if clashes:
        raise ValueError(f"alias names already used by the schema: {clashes}")

    def redirect(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                redirect(item)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(REF_PREFIX) and ref[len(REF_PREFIX):] in aliases:
                node["$ref"] = REF_PREFIX + aliases[ref[len(REF_PREFIX):]]
            for value in node.values():
                redirect(value)

    redirect(compact)
    for name, alias in aliases.items():
        definitions[alias] = {"$ref": REF_PREFIX + name}
    return compact


def refuse_remote(uri: str) -> Any:
    raise fastjsonschema.JsonSchemaDefinitionException(f"refusing to fetch remote schema {uri}")


def compile_schema(path: Path) -> Callable[[Any], Any]:
    with path.open("rb") as file:
        published = json.load(file)
    schema = make_compact(patch_schema(published))
    handlers = {"http": refuse_remote, "https": refuse_remote}
    return fastjsonschema.compile(schema, handlers=handlers, use_default=False)


# ---------------------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class Unit:
    """One JSON document to check: a whole .json file, or one line of a .ndjson file."""

    display: str  # path relative to the current directory
    line: int | None  # 1-based line number, for .ndjson
    text: str | bytes

    @property
    def label(self) -> str:
        return self.display if self.line is None else f"{self.display}:{self.line}"


def display_path(path: str) -> str:
    """Relative to the current directory; falls back to the path as given (e.g. another Windows drive)."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def find_files(arguments: list[str]) -> list[tuple[str, str]]:
    """(display path, real path) of every input file, without duplicates, sorted by display path."""
    found: dict[str, str] = {}
    for argument in arguments:
        if os.path.isfile(argument):
            candidates = [argument]
        elif os.path.isdir(argument):
            candidates = [
                os.path.join(folder, name)
                for folder, _, names in os.walk(argument)
                for name in names
                if name.endswith((".json", ".ndjson"))
            ]
        else:
            raise UsageError(f"no such file or folder: {argument}")
        for candidate in candidates:
            found.setdefault(os.path.abspath(candidate), candidate)
    files = [(display_path(given), real) for real, given in found.items()]
    return sorted(files)


def read_units(display: str, real: str) -> Iterator[Unit]:
    if real.endswith(".ndjson"):
        with open(real, encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                if line.strip():
                    yield Unit(display, number, line)
    else:
        with open(real, "rb") as file:
            yield Unit(display, None, file.read())


# ---------------------------------------------------------------------------------------------------------
# Checking


def one_line(message: str) -> str:
    message = " ".join(message.split())
    if len(message) > MESSAGE_LIMIT:
        message = message[: MESSAGE_LIMIT - 3] + "..."
    return message


@dataclass
class Timings:
    parse: float = 0.0
    validate: float = 0.0


def schema_error(validate: Callable[[Any], Any], unit: Unit, timings: Timings) -> str | None:
    """None if the unit is valid, else its first error (raises ValueError for text that is not JSON)."""
    started = time.perf_counter()
    document = json.loads(unit.text)
    parsed = time.perf_counter()
    timings.parse += parsed - started
    try:
        validate(document)
        return None
    except fastjsonschema.JsonSchemaValueException as error:
        return error.message
    finally:
        timings.validate += time.perf_counter() - parsed


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="fhir-schema-check.py",
        description="Check FHIR R4 JSON (.json, .ndjson) against HL7's JSON Schema.",
    )
    parser.add_argument(
        "--schema",
        default=str(DEFAULT_SCHEMA),
        help="fhir.schema.json to use (default: ../shared/fhir-schema/fhir.schema.json beside the repository)",
    )
    parser.add_argument(
        "--expect-invalid",
        action="store_true",
        help="every unit must be rejected by the schema; one that passes counts as failed",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, or folder searched for *.json and *.ndjson")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    try:
        files = find_files(arguments.paths)
        if not files:
            raise UsageError("no *.json or *.ndjson files in the given paths")
        schema_path = Path(arguments.schema)
        if not schema_path.is_file():
            raise UsageError(f"schema not found: {display_path(arguments.schema)}")
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    started = time.perf_counter()
    try:
        validate = compile_schema(schema_path)
    except (OSError, ValueError, KeyError, fastjsonschema.JsonSchemaDefinitionException) as error:
        print(f"error: cannot use schema {display_path(arguments.schema)}: {error}", file=sys.stderr)
        return 2
    compile_seconds = time.perf_counter() - started

    timings = Timings()
    passed = failed = 0
    for display, real in files:
        try:
            units = list(read_units(display, real))
        except (OSError, UnicodeDecodeError) as unreadable:
            print(f"FAIL {display} cannot read: {one_line(str(unreadable))}")
            failed += 1
            continue
        for unit in units:
            try:
                problem = schema_error(validate, unit, timings)
            except ValueError as bad_json:  # json.JSONDecodeError and UnicodeDecodeError
                print(f"FAIL {unit.label} invalid JSON: {one_line(str(bad_json))}")
                failed += 1
                continue
            if arguments.expect_invalid:
                ok = problem is not None
                if not ok:
                    print(f"UNEXPECTED PASS {unit.label}")
            else:
                ok = problem is None
                if not ok:
                    print(f"FAIL {unit.label} {one_line(problem)}")
            if ok:
                passed += 1
            else:
                failed += 1

    print(
        f"schema compile {compile_seconds:.2f} s; {passed + failed} units from {len(files)} files: "
        f"parse {timings.parse:.2f} s, validate {timings.validate:.2f} s",
        file=sys.stderr,
    )
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])
    sys.exit(main(sys.argv[1:]))
