"""Exchange formats for a workflow map: our JSON export, a Mermaid flowchart, an n8n import.

Pure package: standard library only, no clock. Shapes are ``workflows.maps.shapes``.

- ``json_format``: ``map_to_json`` / ``map_from_json``, a versioned JSON format of ours
  (``{"format": FORMAT, "version": VERSION, ...}``); ``map_import_from_json`` adds what the
  file carries and a report.
- ``mermaid``: ``map_to_mermaid``, a ``flowchart LR`` with one lane (subgraph) per team.
- ``n8n`` (with ``n8n_graph``, the checked graph, and ``n8n_settings``, the workflow
  settings and sticky notes): ``map_from_n8n``, an n8n workflow export read as a map from
  its trigger, with a report of what was imported, approximated and dropped.
- ``common``: ``parse_json_bytes`` turns an uploaded file into the object the readers take;
  ``MapImport`` / ``ImportReport`` are what an import returns.

Every import problem raises ``MapImportError``, a ValueError whose ``problems`` are plain
sentences a user can act on; step problems name the step by its position ("step 3: ...").
An import that raises changes nothing; one that succeeds carries only the map-level values
its file gives (``MapImport.carries``), so the stored map keeps the others.
"""

from .common import (
    MAX_BYTES,
    MAX_PROBLEMS_IN_MESSAGE,
    MAX_STEPS,
    ImportReport,
    MapImport,
    MapImportError,
    parse_json_bytes,
)
from .json_format import (
    FORMAT,
    MAX_NAME_CHARS,
    READ_VERSIONS,
    VERSION,
    map_from_json,
    map_import_from_json,
    map_to_json,
)
from .mermaid import MANUAL_CLASS, map_to_mermaid, mermaid_text
from .n8n import N8N_NO_TRIGGER, map_from_n8n
from .n8n_graph import N8N_NOT_AN_EXPORT, N8N_STICKY, N8N_TOOLS

__all__ = [
    "FORMAT",
    "MANUAL_CLASS",
    "MAX_BYTES",
    "MAX_NAME_CHARS",
    "MAX_PROBLEMS_IN_MESSAGE",
    "MAX_STEPS",
    "N8N_NOT_AN_EXPORT",
    "N8N_NO_TRIGGER",
    "N8N_STICKY",
    "N8N_TOOLS",
    "READ_VERSIONS",
    "VERSION",
    "ImportReport",
    "MapImport",
    "MapImportError",
    "map_from_json",
    "map_from_n8n",
    "map_import_from_json",
    "map_to_json",
    "map_to_mermaid",
    "mermaid_text",
    "parse_json_bytes",
]
