"""BPMN 2.0 XML: the namespaces, the app's own extension namespace, and reading an uploaded
file safely.

Pure module: the standard library and defusedxml. Namespaces are those of the OMG BPMN 2.0
specification (formal/2011-01-03, section 8 and 12) and the XSDs it publishes.

Reading (``parse_bpmn_bytes``) follows SECURITY.md's rule for XML: a size cap before
parsing; defusedxml with DTDs, entities and external references forbidden, so neither an
external entity (XXE) nor an entity expansion ("billion laughs") is ever resolved, and
nothing is fetched from the network; then a cap on element count and depth, walked with an
explicit stack (never recursion).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # nosec B405 - namespaces and ParseError; defusedxml parses
from xml.etree.ElementTree import Element  # nosec B405 - the type only

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from .common import MAX_BYTES, MapImportError

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# The app's own namespace for what BPMN has no place for (a step's tool, contracts, times,
# failure route details; the map's owner, KPI, notes). A URN: nothing to fetch.
APP = "urn:x-ai-maturity-benchmark:workflow-map:bpmn:1"

MAX_ELEMENTS = 20_000
MAX_DEPTH = 64

BPMN_HOSTILE = (
    "The file declares a DTD or entities, which a BPMN file never needs: it is refused, as "
    "such a file can expand to gigabytes or read files on the server."
)

for _prefix, _uri in (("bpmn", BPMN), ("bpmndi", BPMNDI), ("dc", DC), ("di", DI), ("wm", APP)):
    ET.register_namespace(_prefix, _uri)


def q(namespace: str, tag: str) -> str:
    """The qualified name ElementTree uses: ``{namespace}tag``."""
    return f"{{{namespace}}}{tag}"


def parse_bpmn_bytes(raw: bytes, *, max_bytes: int = MAX_BYTES) -> Element:
    """Parse an uploaded BPMN file into its root element, refusing anything unsafe.

    Raises:
        MapImportError: the file is larger than ``max_bytes``; looks like JSON; declares a
            DTD or entities (BPMN_HOSTILE: XXE, billion laughs); is not well-formed XML;
            has more than MAX_ELEMENTS elements or nests deeper than MAX_DEPTH.
    """
    if len(raw) > max_bytes:
        raise MapImportError(
            [f"The file is too large: {len(raw):,} bytes; the limit is {max_bytes:,} bytes."]
        )
    start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"["):
        raise MapImportError(
            ["This is not a BPMN file: it looks like JSON. Choose the JSON, n8n or Make import."]
        )
    try:
        root: Element = defused_fromstring(
            raw, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise MapImportError([BPMN_HOSTILE]) from None
    except ET.ParseError as error:
        line, column = error.position
        raise MapImportError(
            [f"The file is not well-formed XML (line {line}, column {column + 1})."]
        ) from None
    _check_size(root)
    return root


def _check_size(root: Element) -> None:
    count = 0
    stack: list[tuple[Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if count > MAX_ELEMENTS:
            raise MapImportError(
                [f"The file has more than {MAX_ELEMENTS:,} XML elements; a process map is smaller."]
            )
        if depth > MAX_DEPTH:
            raise MapImportError([f"The file nests more than {MAX_DEPTH} elements deep."])
        stack.extend((child, depth + 1) for child in element)
