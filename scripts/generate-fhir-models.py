#!/usr/bin/env python3
"""Generate FHIREncoding's typed R4 models from the committed R4 element definitions.

Usage:
    python3 scripts/generate-fhir-models.py [--check]

Reads the compact definitions in `Sources/FHIREncoding/Definitions/R4Definitions+Data.swift` (made by
`scripts/generate-fhir-definitions.py` from HL7's R4 JSON Schema) and writes one Swift file per typed
resource, one for the datatypes and one for the `R4.Resource` enum into
`Sources/FHIREncoding/Models/Generated/`. With `--check` nothing is written; the exit status says whether
the committed files are up to date (CI runs this).

What is generated, for each of the suite's resources and every datatype and backbone element they reach:

- a struct in the `R4` namespace (`R4.Patient`, `R4.HumanName`, backbone elements nested in their
  resource: `R4.Patient.Contact`) with one stored property per element, in the specification's order;
- primitive elements as `R4.Primitive<Value>` (value, id and extensions: the `_birthDate` form), arrays of
  them matched by position; `id` elements, `Extension.url` and `Narrative.div` as plain `String`, since R4
  gives them no `_` form;
- each choice element (`value[x]`) as a nested Swift enum with one case per type;
- required elements (minimum 1) as non-optional properties, repeating elements as arrays;
- `init(validatedJSON:)`, which builds the model from JSON the validator has accepted, and `json`, which
  writes it back with elements in the specification's order and unknown elements (kept by lenient
  decoding) last;
- a memberwise initialiser whose parameters follow the specification's order, required ones first.

Value cycles (`Identifier.assigner` is a `Reference`, whose `identifier` is an `Identifier`) are broken by
holding one property of each cycle in an `R4.Indirect` box; the property itself reads and writes as usual.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "Sources" / "FHIREncoding" / "Definitions" / "R4Definitions+Data.swift"
OUTPUT = ROOT / "Sources" / "FHIREncoding" / "Models" / "Generated"

TYPED_RESOURCES = [
    "Appointment", "AuditEvent", "Bundle", "CarePlan", "CareTeam", "Communication", "Consent", "Encounter",
    "Flag", "Goal", "Observation", "OperationOutcome", "Organization", "Patient", "Practitioner",
    "PractitionerRole", "RiskAssessment", "Schedule", "Slot",
]

SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
    "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
    "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
    "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw",
    "switch", "where", "while", "Any", "as", "false", "is", "nil", "self", "Self", "super", "true", "try",
    "await", "Type", "Protocol",
}

PRIMITIVE_VALUE = {
    "boolean": "Bool", "integer": "Int32", "positiveInt": "Int32", "unsignedInt": "Int32",
    "decimal": "JSONNumber",
}
PRIMITIVES = {
    "base64Binary", "boolean", "canonical", "code", "date", "dateTime", "decimal", "id", "instant",
    "integer", "markdown", "oid", "positiveInt", "string", "time", "unsignedInt", "uri", "url", "uuid",
    "xhtml",
}

# Where the specification defines each datatype, for the doc comments' links.
TYPE_PAGES = {
    "Meta": "resource.html#Meta", "Narrative": "narrative.html#Narrative", "Extension": "extensibility.html",
    "Reference": "references.html#Reference", "Dosage": "dosage.html", "ContactDetail": "metadatatypes.html",
    "Contributor": "metadatatypes.html", "DataRequirement": "metadatatypes.html",
    "ParameterDefinition": "metadatatypes.html", "RelatedArtifact": "metadatatypes.html",
    "TriggerDefinition": "metadatatypes.html", "UsageContext": "metadatatypes.html",
    "Expression": "metadatatypes.html",
}


@dataclass
class Element:
    name: str
    type: str
    is_array: bool = False
    is_required: bool = False
    codes: list[str] | None = None
    choice_base: str | None = None
    choice_required: bool = False


@dataclass
class Definition:
    name: str
    kind: str
    elements: list[Element] = field(default_factory=list)


@dataclass
class Field:
    """One stored property of a generated struct: a plain element or a whole choice element."""
    name: str                    # the JSON name, or the choice's base name
    elements: list[Element]      # one element, or the choice's variants
    is_choice: bool
    boxed: bool = False


def parse_definitions() -> dict[str, Definition]:
    text = DEFINITIONS.read_text(encoding="utf-8")
    body = text.split('#"""\n', 1)[1].split('\n"""#', 1)[0]
    value_sets: dict[str, list[str]] = {}
    definitions: dict[str, Definition] = {}
    current: Definition | None = None
    for line in body.split("\n"):
        if line.startswith("="):
            number, *codes = line[1:].split(" ")
            value_sets[number] = codes
        elif line.startswith(" "):
            name, type_name, *flags = line[1:].split(" ")
            element = Element(name, type_name)
            for flag in flags:
                if flag == "*":
                    element.is_array = True
                elif flag == "!":
                    element.is_required = True
                elif flag.startswith("="):
                    element.codes = value_sets[flag[1:]]
                elif flag.startswith("~"):
                    element.choice_required = flag.endswith("!")
                    element.choice_base = flag[1:].rstrip("!")
            assert current is not None
            current.elements.append(element)
        else:
            kind, name = line.split(" ")
            current = Definition(name, kind)
            definitions[name] = current
    return definitions


def capitalised(name: str) -> str:
    return name[0].upper() + name[1:]


def lower_first(name: str) -> str:
    return name[0].lower() + name[1:]


def identifier(name: str) -> str:
    """A Swift identifier for a declaration or a bare reference."""
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


class Generator:
    def __init__(self, definitions: dict[str, Definition]) -> None:
        self.definitions = definitions
        self.included = self.closure()
        self.check_names()
        self.paths = self.element_paths()
        self.fields = {name: self.make_fields(self.definitions[name]) for name in self.included}
        self.indirect_choices: set[tuple[str, str]] = set()
        self.break_cycles()

    # The types to generate: the typed resources and everything their elements reach.
    def closure(self) -> list[str]:
        seen: list[str] = []
        pending = list(TYPED_RESOURCES)
        while pending:
            name = pending.pop(0)
            if name in seen:
                continue
            seen.append(name)
            for element in self.definitions[name].elements:
                if element.type in self.definitions and element.type not in seen:
                    pending.append(element.type)
        return sorted(seen)

    def element_paths(self) -> dict[str, str]:
        """The FHIRPath of each backbone element (`Patient.contact`), from the first element that uses it."""
        paths: dict[str, str] = {}
        order = [name for name in self.definitions if name in self.included]
        for name in order:
            paths.setdefault(name, name)
            for element in self.definitions[name].elements:
                if self.definitions.get(element.type, Definition("", "")).kind == "B":
                    paths.setdefault(element.type, f"{paths[name]}.{element.name}")
        return paths

    def check_names(self) -> None:
        """The generated `switch` statements match keys with Swift's `==`, which also matches canonically
        equivalent text. Among ASCII characters only `K`, `;` and the backquote have such equivalents
        (U+212A, U+037E, U+1FEF), so no generated name may hold one."""
        for name in self.included:
            for text in [name] + [e.name for e in self.definitions[name].elements]:
                if not text.isascii() or any(c in text for c in "K;`"):
                    raise SystemExit(f"{name}: the name {text!r} could be matched by equivalent Unicode text")

    def make_fields(self, definition: Definition) -> list[Field]:
        reserved = {"json", "jsonMember", "decoding", "encoding", "unknownElements", "found"}
        clashes = reserved & {element.name for element in definition.elements}
        if clashes:
            raise SystemExit(f"{definition.name}: elements clash with generated names: {sorted(clashes)}")
        fields: list[Field] = []
        by_base: dict[str, Field] = {}
        for element in definition.elements:
            if element.choice_base is None:
                fields.append(Field(element.name, [element], False))
            elif element.choice_base in by_base:
                by_base[element.choice_base].elements.append(element)
            else:
                choice = Field(element.choice_base, [element], True)
                by_base[element.choice_base] = choice
                fields.append(choice)
        return fields

    def break_cycles(self) -> None:
        """Boxes one edge of every cycle of types held by value, so every struct has a finite size."""
        while True:
            cycle = self.find_cycle()
            if cycle is None:
                return
            owner, target_field = cycle
            if target_field.is_choice:
                self.indirect_choices.add((owner, target_field.name))
            else:
                target_field.boxed = True

    def inline_edges(self, name: str) -> list[tuple[Field, str]]:
        edges = []
        for f in self.fields[name]:
            if f.boxed or (name, f.name) in self.indirect_choices:
                continue
            for element in f.elements:
                if element.is_array or element.type not in self.definitions:
                    continue
                edges.append((f, element.type))
        return edges

    def find_cycle(self) -> tuple[str, Field] | None:
        state: dict[str, int] = {}

        def visit(name: str) -> tuple[str, Field] | None:
            state[name] = 1
            for f, target in self.inline_edges(name):
                if state.get(target) == 1:
                    return (name, f)
                if target not in state:
                    found = visit(target)
                    if found:
                        return found
            state[name] = 2
            return None

        for name in self.included:
            if name not in state:
                found = visit(name)
                if found:
                    return found
        return None

    # Naming.
    def swift_type(self, definition_name: str) -> str:
        if definition_name == "Resource":
            return "R4.Resource"
        if "_" in definition_name:
            owner, rest = definition_name.split("_", 1)
            nested = capitalised(rest.replace("_", ""))
            if nested in SWIFT_KEYWORDS:
                nested += "Element"
            return f"R4.{owner}.{nested}"
        return f"R4.{definition_name}"

    def short_name(self, definition_name: str) -> str:
        return self.swift_type(definition_name).rsplit(".", 1)[1]

    def is_plain_string(self, definition: Definition, element: Element) -> bool:
        return element.name == "id" or element.type == "xhtml" or (
            definition.name == "Extension" and element.name == "url"
        )

    def value_type(self, definition: Definition, element: Element) -> str:
        """The Swift type of one value of an element (no optional, no array)."""
        if element.type in PRIMITIVES:
            if self.is_plain_string(definition, element):
                return "String"
            return f"R4.Primitive<{PRIMITIVE_VALUE.get(element.type, 'String')}>"
        return self.swift_type(element.type)

    def choice_type(self, definition: Definition, f: Field) -> str:
        return f"{self.swift_type(definition.name)}.{capitalised(f.name)}"

    def field_type(self, definition: Definition, f: Field) -> str:
        if f.is_choice:
            base = self.choice_type(definition, f)
            return base if f.elements[0].choice_required else base + "?"
        element = f.elements[0]
        value = self.value_type(definition, element)
        if element.is_array:
            return f"[{value}]"
        return value if element.is_required else value + "?"

    def case_name(self, f: Field, element: Element) -> str:
        return identifier(lower_first(element.name[len(f.name):]))

    # Documentation.
    def type_link(self, name: str) -> str:
        definition = self.definitions[name]
        if definition.kind == "R":
            return f"https://hl7.org/fhir/R4/{name.lower()}.html"
        if definition.kind == "B":
            owner = name.split("_", 1)[0]
            return f"https://hl7.org/fhir/R4/{owner.lower()}-definitions.html#{self.paths[name]}"
        return "https://hl7.org/fhir/R4/" + TYPE_PAGES.get(name, f"datatypes.html#{name}")

    def cardinality(self, element: Element, required: bool) -> str:
        return ("1" if required else "0") + ".." + ("*" if element.is_array else "1")

    def element_doc(self, definition: Definition, f: Field) -> list[str]:
        path = f"{self.paths[definition.name]}.{f.name}"
        if f.is_choice:
            types = ", ".join(f"`{e.type}`" for e in f.elements)
            required = f.elements[0].choice_required
            lines = [f"/// `{path}[x]` ({'1..1' if required else '0..1'}): one of {types}."]
        else:
            element = f.elements[0]
            lines = [f"/// `{path}` ({self.cardinality(element, element.is_required)}): `{element.type}`."]
            if element.codes:
                lines.append(f"/// Bound with required strength to: {', '.join(element.codes)}.")
        if f.boxed:
            lines.append("/// Held in a box, since the types it holds can hold this one.")
        return lines

    # Code.
    def generate_struct(self, name: str, indent: str, nested: list[str]) -> list[str]:
        definition = self.definitions[name]
        swift = self.swift_type(name)
        short = self.short_name(name)
        fields = self.fields[name]
        kind = {"R": "resource", "C": "datatype", "B": "backbone element"}[definition.kind]
        path = self.paths[name]
        out: list[str] = []
        add = lambda line="": out.append((indent + line) if line else "")  # noqa: E731
        add(f"/// The R4 {kind} `{path}`: <{self.type_link(name)}>.")
        conformances = "R4.ResourceModel" if definition.kind == "R" else "R4.Model"
        add(f"public struct {short}: {conformances} {{")
        inner = indent + "    "
        body: list[str] = []
        put = lambda line="": body.append((inner + line) if line else "")  # noqa: E731
        if definition.kind == "R":
            put(f"/// The resource type, `{name}`.")
            put(f'public static let resourceType = "{name}"')
            put()
        put("/// The definition these models are built from.")
        put(f'public static let definitionName = "{name}"')
        put()
        for f in fields:
            for line in self.element_doc(definition, f):
                put(line)
            type_name = self.field_type(definition, f)
            default = " = []" if type_name.startswith("[") else ""
            if f.boxed:
                put(f"public var {identifier(f.name)}: {type_name} {{")
                put(f"    get {{ _{f.name}?.value }}")
                put(f"    set {{ _{f.name} = newValue.map(R4.Indirect.init) }}")
                put("}")
                put(f"private var _{f.name}: R4.Indirect<{type_name[:-1]}>?")
            else:
                put(f"public var {identifier(f.name)}: {type_name}{default}")
        put("/// Members that no R4 element of this type names, kept by lenient decoding and written last.")
        put("public var unknownElements = JSONObject()")
        put()
        body.extend(self.memberwise_init(definition, fields, inner))
        put()
        body.extend(self.decoding_init(definition, fields, inner))
        put()
        body.extend(self.encoding(definition, fields, inner))
        for f in fields:
            if f.is_choice:
                put()
                body.extend(self.choice_enum(definition, f, inner))
        for child in nested:
            put()
            body.extend(self.generate_struct(child, inner, []))
        out.extend(body)
        add("}")
        return out

    def ordered_parameters(self, fields: list[Field]) -> list[Field]:
        def required(f: Field) -> bool:
            element = f.elements[0]
            return f.elements[0].choice_required if f.is_choice else (element.is_required and not element.is_array)
        return [f for f in fields if required(f)] + [f for f in fields if not required(f)]

    def memberwise_init(self, definition: Definition, fields: list[Field], indent: str) -> list[str]:
        out = [f"{indent}/// Creates the element from its values, in the specification's order with required ones first."]
        parameters = []
        for f in self.ordered_parameters(fields):
            type_name = self.field_type(definition, f)
            default = " = []" if type_name.startswith("[") else (" = nil" if type_name.endswith("?") else "")
            parameters.append(f"{f.name}: {type_name}{default}")
        if not parameters:
            out.append(f"{indent}public init() {{}}")
            return out
        out.append(f"{indent}public init(")
        out.extend(f"{indent}    {p}," for p in parameters[:-1])
        out.append(f"{indent}    {parameters[-1]}")
        out.append(f"{indent}) {{")
        for f in fields:
            out.append(f"{indent}    self.{f.name} = {identifier(f.name)}")
        out.append(f"{indent}}}")
        return out

    def decoding_init(self, definition: Definition, fields: list[Field], indent: str) -> list[str]:
        """Reads each member straight into its stored property; only required elements and choice variants
        go through locals first, checked once every member has been read."""
        out = [
            f"{indent}/// Builds the element from JSON that ``FHIRValidator`` has accepted. It checks JSON kinds and",
            f"{indent}/// required elements, not primitive formats: use ``R4/Model/init(json:mode:)`` to validate too.",
            f"{indent}///",
            f"{indent}/// - Parameter json: The element's JSON object.",
            f"{indent}/// - Throws: ``FHIREncodingError`` naming the element that does not fit.",
            f"{indent}public init(validatedJSON json: JSONObject) throws(FHIREncodingError) {{",
        ]
        i = indent + "    "
        locals_: list[str] = []
        cases: list[str] = []
        finals: list[str] = []
        for f in fields:
            required = (not f.is_choice) and f.elements[0].is_required and not f.elements[0].is_array
            if f.is_choice:
                locals_.append(f"{i}var {identifier(f.name)}: {self.choice_type(definition, f)}?")
            for element in f.elements:
                value = self.value_type(definition, element)
                if f.is_choice and not value.startswith("R4.Primitive"):
                    # A complex variant goes straight into the choice, so no local of its (possibly large)
                    # type is kept in the frame.
                    case = f"{self.choice_type(definition, f)}.{self.case_name(f, element)}"
                    cases.append(
                        f'{i}    case "{element.name}": try decoding.variant(jsonMember, {case}, '
                        f'into: &{identifier(f.name)}, choice: "{f.name}")'
                    )
                    continue
                if f.is_choice or required:
                    target = identifier(element.name)
                    locals_.append(f"{i}var {target}: {value}?")
                elif f.boxed:
                    target = identifier(element.name)
                    locals_.append(f"{i}var {target}: {value}?")
                    finals.append(f"{i}self.{f.name} = {target}")
                else:
                    target = f"self.{identifier(element.name)}"
                json_name = element.name
                if value == "String":
                    method = "strings" if element.is_array else "string"
                    cases.append(f'{i}    case "{json_name}": {target} = try decoding.{method}(jsonMember)')
                elif value.startswith("R4.Primitive"):
                    kind = ("values", "elements") if element.is_array else ("value", "element")
                    cases.append(f'{i}    case "{json_name}": try decoding.{kind[0]}(jsonMember, into: &{target})')
                    cases.append(f'{i}    case "_{json_name}": try decoding.{kind[1]}(jsonMember, into: &{target})')
                else:
                    if value == "R4.Resource":
                        method = "resources" if element.is_array else "resource"
                    else:
                        method = "models" if element.is_array else "model"
                    cases.append(f'{i}    case "{json_name}": {target} = try decoding.{method}(jsonMember)')
            if required:
                finals.append(
                    f'{i}self.{identifier(f.name)} = try decoding.required("{f.name}", {identifier(f.name)})'
                )
            if f.is_choice:
                choice = identifier(f.name)
                for e in f.elements:
                    if not self.value_type(definition, e).startswith("R4.Primitive"):
                        continue
                    case = f"{self.choice_type(definition, f)}.{self.case_name(f, e)}"
                    finals.append(
                        f"{i}if let found = {identifier(e.name)} "
                        f'{{ try decoding.place({case}(found), in: &{choice}, choice: "{f.name}") }}'
                    )
                if f.elements[0].choice_required:
                    finals.append(f'{i}self.{choice} = try decoding.required("{f.name}[x]", {choice})')
                else:
                    finals.append(f"{i}self.{choice} = {choice}")
        out.append(f"{i}var decoding = R4.Decoding()")
        out.extend(locals_)
        out.append(f"{i}for jsonMember in json.members {{")
        out.append(f"{i}    switch jsonMember.key {{")
        if definition.kind == "R":
            out.append(f'{i}    case "resourceType": try decoding.resourceType(jsonMember, is: Self.resourceType)')
        out.extend(cases)
        out.append(f"{i}    default: decoding.unknown(jsonMember)")
        out.append(f"{i}    }}")
        out.append(f"{i}}}")
        out.extend(finals)
        out.append(f"{i}unknownElements = decoding.unknownElements")
        out.append(f"{indent}}}")
        return out

    def encode_line(self, definition: Definition, element: Element, expression: str, indent: str) -> str:
        value = self.value_type(definition, element)
        if value == "String":
            method = "strings" if element.is_array else "string"
        elif value.startswith("R4.Primitive"):
            method = "primitives" if element.is_array else "primitive"
        elif value == "R4.Resource":
            method = "resources" if element.is_array else "resource"
        else:
            method = "models" if element.is_array else "model"
        return f'{indent}encoding.{method}("{element.name}", {expression})'

    def encoding(self, definition: Definition, fields: list[Field], indent: str) -> list[str]:
        out = [
            f"{indent}/// The element as JSON: elements in the specification's order, each `_x` after its `x`, unknown",
            f"{indent}/// elements last.",
            f"{indent}public var json: JSONObject {{",
        ]
        i = indent + "    "
        resource = "Self.resourceType" if definition.kind == "R" else "nil"
        out.append(f"{i}var encoding = R4.Encoding(resourceType: {resource})")
        for f in fields:
            if f.is_choice:
                optional = "" if f.elements[0].choice_required else "?"
                out.append(f"{i}{identifier(f.name)}{optional}.encode(into: &encoding)")
            else:
                out.append(self.encode_line(definition, f.elements[0], identifier(f.name), i))
        out.append(f"{i}return encoding.finish(unknownElements)")
        out.append(f"{indent}}}")
        return out

    def choice_enum(self, definition: Definition, f: Field, indent: str) -> list[str]:
        name = capitalised(f.name)
        indirect = "indirect " if (definition.name, f.name) in self.indirect_choices else ""
        path = f"{self.paths[definition.name]}.{f.name}[x]"
        out = [
            f"{indent}/// The types `{path}` may hold; in JSON each is its own element (`{f.elements[0].name}`).",
            f"{indent}public {indirect}enum {name}: Hashable, Sendable {{",
        ]
        i = indent + "    "
        for element in f.elements:
            # Complex payloads are boxed, so the enum stays small whichever large datatype a case may hold.
            boxed = "" if indirect or element.type in PRIMITIVES else "indirect "
            out.append(f"{i}/// `{element.name}`: type `{element.type}`.")
            out.append(f"{i}{boxed}case {self.case_name(f, element)}({self.value_type(definition, element)})")
        out.append("")
        out.append(f"{i}/// Writes the variant present under its own element name.")
        out.append(f"{i}func encode(into encoding: inout R4.Encoding) {{")
        out.append(f"{i}    switch self {{")
        for element in f.elements:
            out.append(f"{i}    case .{self.case_name(f, element)}(let value):")
            out.append(self.encode_line(definition, element, "value", i + "        "))
        out.append(f"{i}    }}")
        out.append(f"{i}}}")
        out.append(f"{indent}}}")
        return out

    def files(self) -> dict[str, str]:
        header = [
            "// Generated by scripts/generate-fhir-models.py from Sources/FHIREncoding/Definitions/R4Definitions+Data.swift.",
            "// Do not edit: change the script or the definitions and run it again.",
            "// swift-format-ignore-file",
            "",
        ]
        files: dict[str, str] = {}
        backbones: dict[str, list[str]] = {}
        for name in self.included:
            if self.definitions[name].kind == "B":
                backbones.setdefault(name.split("_", 1)[0], []).append(name)
        datatypes: list[str] = []
        for name in self.included:
            definition = self.definitions[name]
            if definition.kind == "B":
                continue
            nested = [self.definitions[n].name for n in backbones.get(name, [])]
            lines = ["extension R4 {"] + self.generate_struct(name, "    ", nested) + ["}"]
            if definition.kind == "R":
                files[f"R4+{name}.swift"] = "\n".join(header + lines) + "\n"
            else:
                datatypes.extend(lines + [""])
        files["R4+Datatypes.swift"] = "\n".join(header + datatypes).rstrip("\n") + "\n"
        files["R4+Resource.swift"] = "\n".join(header + self.resource_enum()) + "\n"
        return files

    def resource_enum(self) -> list[str]:
        out = [
            "extension R4 {",
            "    /// Any R4 resource: one of the suite's typed resources, or any other resource type carried as a",
            "    /// ``FHIRResource``, losslessly. Contained resources and Bundle entries are held this way.",
            "    public indirect enum Resource: R4.Model {",
        ]
        for name in TYPED_RESOURCES:
            out.append(f"        /// A typed `{name}`.")
            out.append(f"        case {lower_first(name)}(R4.{name})")
        out.append("        /// Any other resource type, validated against R4's definitions but not typed.")
        out.append("        case other(FHIRResource)")
        out.append("")
        out.append('        /// Resources are validated as whatever their `resourceType` names.')
        out.append('        public static let definitionName = "Resource"')
        out.append("")
        out.append("        /// Builds the typed resource its `resourceType` names, or ``other(_:)`` for any other type. An")
        out.append("        /// untyped resource is validated leniently first, since a ``FHIRResource`` always holds valid JSON.")
        out.append("        ///")
        out.append("        /// - Parameter json: A resource's JSON object that ``FHIRValidator`` has accepted.")
        out.append("        /// - Throws: ``FHIREncodingError`` naming the element that does not fit.")
        out.append("        public init(validatedJSON json: JSONObject) throws(FHIREncodingError) {")
        out.append("            try self.init(json, trusted: false)")
        out.append("        }")
        out.append("")
        out.append("        /// Builds the typed model when the suite models the resource's type, or returns `nil`.")
        out.append("        init?(typedFrom json: JSONObject) throws(FHIREncodingError) {")
        out.append("            switch try R4.Decoding.resourceType(of: json) {")
        for name in TYPED_RESOURCES:
            out.append(f'            case "{name}": self = try Self.build(json, R4.Resource.{lower_first(name)})')
        out.append("            default: return nil")
        out.append("            }")
        out.append("        }")
        out.append("")
        out.append("        /// Builds one typed resource in this function's own frame, so the switch above does not hold a")
        out.append("        /// model of every type in its frame (Bundles nest resources, so the frame repeats per level).")
        out.append("        @inline(never)")
        out.append("        private static func build<Model: R4.ResourceModel>(")
        out.append("            _ json: JSONObject,")
        out.append("            _ make: (Model) -> R4.Resource")
        out.append("        ) throws(FHIREncodingError) -> R4.Resource {")
        out.append("            make(try Model(validatedJSON: json))")
        out.append("        }")
        out.append("")
        out.append("        /// The resource's JSON.")
        out.append("        public var json: JSONObject {")
        out.append("            switch self {")
        for name in TYPED_RESOURCES:
            out.append(f"            case .{lower_first(name)}(let resource): resource.json")
        out.append("            case .other(let resource): resource.json")
        out.append("            }")
        out.append("        }")
        out.append("")
        out.append("        /// The resource type, such as `Patient`.")
        out.append("        public var resourceType: String {")
        out.append("            switch self {")
        for name in TYPED_RESOURCES:
            out.append(f"            case .{lower_first(name)}: R4.{name}.resourceType")
        out.append("            case .other(let resource): resource.resourceType")
        out.append("            }")
        out.append("        }")
        out.append("    }")
        out.append("}")
        return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed files are stale")
    arguments = parser.parse_args()
    files = Generator(parse_definitions()).files()
    if arguments.check:
        current = {p.name: p.read_text(encoding="utf-8") for p in OUTPUT.glob("*.swift")} if OUTPUT.is_dir() else {}
        if current != files:
            stale = sorted(set(current) ^ set(files) | {n for n in files if current.get(n) != files[n]})
            print(f"error: generated models are stale ({', '.join(stale[:5])}); run scripts/generate-fhir-models.py",
                  file=sys.stderr)
            return 1
        return 0
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for stale in OUTPUT.glob("*.swift"):
        if stale.name not in files:
            stale.unlink()
    total = 0
    for name, text in sorted(files.items()):
        (OUTPUT / name).write_text(text, encoding="utf-8")
        total += text.count("\n")
    print(f"wrote {len(files)} files, {total} lines, to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
