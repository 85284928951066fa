"""Exchange formats for a workflow map: our JSON export, a Mermaid flowchart, BPMN 2.0 both
ways, and imports from n8n and Make.

Pure package: standard library only, no clock. Shapes are ``workflows.maps.shapes``.

- ``json_format``: ``map_to_json`` / ``map_from_json``, a versioned JSON format of ours
  (``{"format": FORMAT, "version": VERSION, ...}``); ``map_import_from_json`` adds what the
  file carries and a report.
- ``mermaid``: ``map_to_mermaid``, a ``flowchart LR`` with one lane (subgraph) per team.
- ``n8n`` (with ``n8n_graph``, the checked graph, and ``n8n_settings``, the workflow
  settings and sticky notes): ``map_from_n8n``, an n8n workflow export read as a map from
  its trigger, with a report of what was imported, approximated and dropped.
- ``make``: ``map_from_make``, a Make scenario blueprint read as a map, with the same report.
- ``bpmn_export`` / ``bpmn_import`` (with ``bpmn_xml``, the namespaces and the safe parser):
  ``map_to_bpmn`` writes BPMN 2.0 XML with diagram interchange; ``parse_bpmn_bytes`` and
  ``map_from_bpmn`` read a BPMN process back, with the same report.
- ``sniff``: ``describe_json``, what a JSON file looks like, so every JSON import refuses a
  foreign file by naming what it is.
- ``common``: ``parse_json_bytes`` turns an uploaded file into the object the readers take;
  ``MapImport`` / ``ImportReport`` are what an import returns.

Every import problem raises ``MapImportError``, a ValueError whose ``problems`` are plain
sentences a user can act on; step problems name the step by its position ("step 3: ...").
An import that raises changes nothing; one that succeeds carries only the map-level values
its file gives (``MapImport.carries``), so the stored map keeps the others.
"""

from .bpmn_export import map_to_bpmn
from .bpmn_import import BPMN_NO_PROCESS, BPMN_NO_START, BPMN_NOT_A_PROCESS, map_from_bpmn
from .bpmn_xml import BPMN_HOSTILE, parse_bpmn_bytes
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
from .make import MAKE_NO_TRIGGER, MAKE_NOT_A_BLUEPRINT, map_from_make
from .mermaid import MANUAL_CLASS, map_to_mermaid, mermaid_text
from .n8n import N8N_NO_TRIGGER, map_from_n8n
from .n8n_graph import N8N_NOT_AN_EXPORT, N8N_STICKY, N8N_TOOLS
from .sniff import JsonKind, describe_json, sniff_json

__all__ = [
    "BPMN_HOSTILE",
    "BPMN_NOT_A_PROCESS",
    "BPMN_NO_PROCESS",
    "BPMN_NO_START",
    "FORMAT",
    "MAKE_NOT_A_BLUEPRINT",
    "MAKE_NO_TRIGGER",
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
    "JsonKind",
    "MapImport",
    "MapImportError",
    "describe_json",
    "map_from_bpmn",
    "map_from_json",
    "map_from_make",
    "map_from_n8n",
    "map_import_from_json",
    "map_to_bpmn",
    "map_to_json",
    "map_to_mermaid",
    "mermaid_text",
    "parse_bpmn_bytes",
    "parse_json_bytes",
    "sniff_json",
]
