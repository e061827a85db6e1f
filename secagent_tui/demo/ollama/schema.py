"""Structured output: a small JSON-schema checker, example generator and conformer.

Ollama's ``format`` takes a JSON schema and the model's answer must satisfy it; the demo
model builds what it means to say and then conforms it to the schema it was given, so it
only ever uses the schema's own property names and enum values. This covers the subset of
JSON Schema pydantic emits (``$ref``, ``anyOf``/``oneOf``/``allOf``, types, enums, bounds),
with no dependency.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["conform", "example", "is_valid", "resolve"]

Schema = dict[str, Any]
Root = Mapping[str, Any]


def resolve(schema: Any, root: Root) -> Schema:
    """Follow local ``$ref`` (``#/$defs/X``, ``#/definitions/X``) until a concrete schema."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 32:
        ref = str(schema["$ref"])
        target: Any = root
        for part in ref.lstrip("#").strip("/").split("/"):
            if not part:
                continue
            target = target.get(part) if isinstance(target, dict) else None
        merged = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**(target or {}), **merged}
        seen += 1
    return schema if isinstance(schema, dict) else {}


def _root_of(schema: Any, root: Root | None) -> Root:
    """The schema ``$ref`` resolves against: the given root, else the schema itself."""
    if root is not None:
        return root
    return schema if isinstance(schema, dict) else {}


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _any_type(_: Any) -> bool:
    return True


# -- the checks of is_valid, each one keyword family, tried in this order ---------------------


def _const_and_enum(value: Any, s: Schema, root: Root) -> bool:
    if "const" in s and value != s["const"]:
        return False
    return not ("enum" in s and value not in s["enum"])


def _combinators(value: Any, s: Schema, root: Root) -> bool:
    for key in ("anyOf", "oneOf"):
        if key in s and not any(is_valid(value, b, root) for b in s[key]):
            return False
    return not ("allOf" in s and not all(is_valid(value, b, root) for b in s["allOf"]))


def _type(value: Any, s: Schema, root: Root) -> bool:
    types = s.get("type")
    if types is None:
        return True
    names = types if isinstance(types, list) else [types]
    return any(_TYPES.get(t, _any_type)(value) for t in names)


def _string_length(value: Any, s: Schema, root: Root) -> bool:
    if not isinstance(value, str):
        return True
    return s.get("minLength", 0) <= len(value) <= s.get("maxLength", len(value))


def _number_bounds(value: Any, s: Schema, root: Root) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return True
    if "minimum" in s and value < s["minimum"]:
        return False
    return not ("maximum" in s and value > s["maximum"])


def _array_items(value: Any, s: Schema, root: Root) -> bool:
    if not isinstance(value, list):
        return True
    if len(value) < s.get("minItems", 0) or len(value) > s.get("maxItems", len(value)):
        return False
    return not ("items" in s and not all(is_valid(v, s["items"], root) for v in value))


def _object_properties(value: Any, s: Schema, root: Root) -> bool:
    if not isinstance(value, dict):
        return True
    props = s.get("properties") or {}
    if any(r not in value for r in s.get("required") or []):
        return False
    if s.get("additionalProperties") is False and any(k not in props for k in value):
        return False
    return all(is_valid(v, props[k], root) for k, v in value.items() if k in props)


_CHECKS: tuple[Callable[[Any, Schema, Root], bool], ...] = (
    _const_and_enum,
    _combinators,
    _type,
    _string_length,
    _number_bounds,
    _array_items,
    _object_properties,
)


def is_valid(value: Any, schema: Any, root: Root | None = None) -> bool:
    """Whether ``value`` satisfies the subset of JSON Schema pydantic emits."""
    root = _root_of(schema, root)
    s = resolve(schema, root)
    return all(check(value, s, root) for check in _CHECKS)


# -- generating and conforming ---------------------------------------------------------------


def example(schema: Any, root: Root | None = None) -> Any:
    """A deterministic value valid against ``schema`` (first enum/branch, empty/zero values)."""
    root = _root_of(schema, root)
    s = resolve(schema, root)
    if "const" in s:
        return s["const"]
    if s.get("enum"):
        return s["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if s.get(key):
            return example(s[key][0], root)
    return _example_of_type(s, root)


def _kind(s: Schema) -> str:
    """The schema's (first) type; untyped: ``object`` with properties, else ``string``."""
    types = s.get("type")
    kind = (types[0] if types else None) if isinstance(types, list) else types
    if kind is None:
        kind = "object" if "properties" in s else "string"
    return kind


def _example_of_type(s: Schema, root: Root) -> Any:
    kind = _kind(s)
    if kind == "string":
        return "x" * s.get("minLength", 0) if s.get("minLength") else "demo"
    if kind in ("integer", "number"):
        return s.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    if kind == "array":
        return [example(s.get("items") or {}, root) for _ in range(s.get("minItems", 0))]
    props = s.get("properties") or {}
    return {k: example(props[k], root) for k in s.get("required") or [] if k in props}


_NOTHING: Any = object()


def conform(value: Any, schema: Any, root: Root | None = None) -> Any:
    """``value`` made valid against ``schema``: keep what is valid, truncate strings that are
    too long, drop keys the schema does not declare, generate what is missing or wrong."""
    root = _root_of(schema, root)
    s = resolve(schema, root)
    for repair in (_conform_object, _keep_valid, _truncate, _conform_items, _conform_branch):
        candidate = repair(value, s, root)
        if candidate is not _NOTHING:
            return candidate
    return example(s, root)


def _conform_object(value: Any, s: Schema, root: Root) -> Any:
    """A dict with the declared keys only, each conformed, missing required ones made."""
    if not (isinstance(value, dict) and ("properties" in s or s.get("type") == "object")):
        return _NOTHING
    props: dict[str, Any] = s.get("properties") or {}
    out = {k: conform(v, props[k], root) for k, v in value.items() if k in props}
    for name in s.get("required") or []:
        if name not in out and name in props:
            out[name] = example(props[name], root)
    return out if is_valid(out, s, root) else _NOTHING


def _keep_valid(value: Any, s: Schema, root: Root) -> Any:
    return value if is_valid(value, s, root) else _NOTHING


def _truncate(value: Any, s: Schema, root: Root) -> Any:
    if isinstance(value, str) and "maxLength" in s and is_valid(value[: s["maxLength"]], s, root):
        return value[: s["maxLength"]]
    return _NOTHING


def _conform_items(value: Any, s: Schema, root: Root) -> Any:
    if not (isinstance(value, list) and "items" in s):
        return _NOTHING
    items = [conform(v, s["items"], root) for v in value][: s.get("maxItems", len(value))]
    return items if is_valid(items, s, root) else _NOTHING


def _conform_branch(value: Any, s: Schema, root: Root) -> Any:
    """The value conformed to the first ``anyOf``/``oneOf`` branch that makes it valid."""
    for branch in (s.get("anyOf") or s.get("oneOf") or []) if value is not None else []:
        candidate = conform(value, branch, root)
        if is_valid(candidate, s, root):
            return candidate
    return _NOTHING
