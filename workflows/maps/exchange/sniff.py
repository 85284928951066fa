"""What an uploaded JSON file looks like, shared by every JSON import, so a file given to
the wrong import is refused with a message that names what it is.

Pure module: standard library only. The shapes recognised:

- our map export: ``{"format": "ai-maturity-workflow-map", ...}`` (``json_format``);
- an n8n workflow export: ``{"nodes": [...], "connections": {...}}`` (n8n's
  ``IWorkflowBase``, packages/workflow/src/interfaces.ts in github.com/n8n-io/n8n);
- a Make scenario blueprint: ``{"name", "flow": [{"id", "module": "app:Module", ...}],
  "metadata": {...}}`` (Make's scenario blueprint, as its "Export Blueprint" writes it);
- a Zapier export: ``{"zaps": [...]}``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from .common import MapImportError, json_kind

MAP_FORMAT = "ai-maturity-workflow-map"  # json_format.FORMAT, kept here to avoid a cycle
MAX_KEYS_SHOWN = 5


class JsonKind(StrEnum):
    """The kinds of JSON file the map imports tell apart."""

    MAP = "map"
    N8N = "n8n"
    MAKE = "make"
    ZAPIER = "zapier"
    OTHER = "other"


KIND_WORDS = {
    JsonKind.MAP: "a workflow map exported from here",
    JsonKind.N8N: "an n8n workflow export",
    JsonKind.MAKE: "a Make scenario blueprint",
    JsonKind.ZAPIER: "a Zapier export",
}


def sniff_json(data: object) -> JsonKind:
    """The kind of JSON file ``data`` (a parsed JSON value) looks like; OTHER when none."""
    if not isinstance(data, dict):
        return JsonKind.OTHER
    if data.get("format") == MAP_FORMAT:
        return JsonKind.MAP
    if "nodes" in data or "connections" in data:
        return JsonKind.N8N
    if _looks_like_make(data):
        return JsonKind.MAKE
    if "zaps" in data:
        return JsonKind.ZAPIER
    return JsonKind.OTHER


def describe_json(data: object) -> str:
    """What ``data`` looks like, as a phrase: "a Make scenario blueprint", "an n8n workflow
    export", "a JSON list", "a JSON object with the keys "a", "b"", "an empty JSON object"."""
    kind = sniff_json(data)
    if kind != JsonKind.OTHER:
        return KIND_WORDS[kind]
    if not isinstance(data, dict):
        kind_words = json_kind(data)
        return f"a JSON {kind_words[2:]}" if kind_words.startswith("a ") else f"JSON {kind_words}"
    if not data:
        return "an empty JSON object"
    keys = [f'"{key}"' for key in list(data)[:MAX_KEYS_SHOWN]]
    more = " ..." if len(data) > MAX_KEYS_SHOWN else ""
    return f"a JSON object with the keys {', '.join(keys)}{more}"


def refuse_unless(data: object, expected: JsonKind, message: str) -> None:
    """Raise unless ``data`` looks like ``expected``.

    Raises:
        MapImportError: ``message`` (what the import needed) followed by "It looks like
            <what it is>.", e.g. "This is not a Make scenario blueprint: it has no flow of
            modules. It looks like an n8n workflow export."
    """
    if sniff_json(data) != expected:
        raise MapImportError([f"{message} It looks like {describe_json(data)}."])


def _looks_like_make(data: dict[str, Any]) -> bool:
    flow = data.get("flow")
    if not isinstance(flow, list):
        return False
    return not flow or any(isinstance(m, dict) and "module" in m for m in flow)
