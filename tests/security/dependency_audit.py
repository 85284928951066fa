"""Known-vulnerability check of the locked dependencies (``requirements.lock``) with pip-audit.

Two sources, in this order:

1. A local advisory snapshot, when ``DEPENDENCY_ADVISORIES`` (or ``--advisories``) names a
   folder of OSV JSON advisories, such as the PyPI export of the OSV database unzipped. This
   script serves it on loopback with the one endpoint pip-audit uses (``POST /v1/query``)
   and points pip-audit there with ``--osv-url``, so the check needs no network.
2. Otherwise the public OSV service, which pip-audit asks directly.

If neither answers (this workplace's network reaches only package registries, and the
registry mirror carries no vulnerability data), the script prints that no check was
performed and exits 0: CI cannot make the network reach one, and a silent pass would
mislead. A vulnerability found exits 1 unless ``audit-ignore.txt`` beside this file names
its id with a reason.

Usage: .venv/bin/python tests/security/dependency_audit.py [--advisories DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[2]
IGNORE = Path(__file__).with_name("audit-ignore.txt")
UNREACHABLE = ("ConnectionError", "NameResolutionError", "Could not connect")


def affects(advisory: dict[str, Any], name: str, version: str) -> bool:
    """True when the OSV ``advisory`` lists PyPI package ``name`` at ``version``: in its
    ``versions``, or inside an ``ECOSYSTEM``/``SEMVER`` range (introduced <= v < fixed, or
    <= last_affected). Withdrawn advisories affect nothing. Source: the OSV schema 1.x."""
    if advisory.get("withdrawn"):
        return False
    try:
        wanted = Version(version)
    except InvalidVersion:
        return False
    for affected in advisory.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem") != "PyPI" or canonicalize_name(
            package.get("name", "")
        ) != canonicalize_name(name):
            continue
        if version in affected.get("versions", []):
            return True
        for span in affected.get("ranges", []):
            if span.get("type") in ("ECOSYSTEM", "SEMVER") and _in_range(
                span.get("events", []), wanted
            ):
                return True
    return False


def _in_range(events: Iterable[dict[str, str]], wanted: Version) -> bool:
    inside = False
    for event in events:  # OSV lists events in version order
        for kind, value in event.items():
            bound = _version(value)
            if bound is None:
                continue
            if kind == "introduced" and wanted >= bound:
                inside = True
            elif (kind == "fixed" and wanted >= bound) or (
                kind == "last_affected" and wanted > bound
            ):
                inside = False
    return inside


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def load_advisories(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """OSV JSON advisories under ``folder`` by canonical PyPI package name."""
    index: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(folder.rglob("*.json")):
        advisory = json.loads(path.read_text(encoding="utf-8"))
        for affected in advisory.get("affected", []):
            package = affected.get("package", {})
            if package.get("ecosystem") == "PyPI":
                index.setdefault(canonicalize_name(package["name"]), []).append(advisory)
    return index


def serve(index: dict[str, list[dict[str, Any]]]) -> ThreadingHTTPServer:
    """A loopback server answering OSV's ``POST /v1/query`` from ``index``; started."""

    class Query(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            asked = json.loads(self.rfile.read(length) or b"{}")
            name = canonicalize_name(asked.get("package", {}).get("name", ""))
            version = asked.get("version", "")
            vulns = [a for a in index.get(name, []) if affects(a, name, version)]
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Query)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def ignored() -> dict[str, str]:
    """Advisory ids we accept, each with its reason (``ID  reason`` lines, # comments)."""
    if not IGNORE.exists():
        return {}
    entries = {}
    for line in IGNORE.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            advisory, _, reason = line.partition(" ")
            entries[advisory] = reason.strip()
    return entries


def pip_audit(lock: Path, osv_url: str | None) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).parent / "pip-audit"),
        "--requirement", str(lock), "--no-deps", "--disable-pip",
        "--vulnerability-service", "osv", "--timeout", "10",
        "--progress-spinner", "off", "--format", "json",
    ]  # fmt: skip
    if osv_url:
        command += ["--osv-url", osv_url]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)


def main(argv: list[str] | None = None) -> int:
    """0 when no unexplained vulnerability was found (or no check could run), else 1."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--advisories", type=Path, default=os.environ.get("DEPENDENCY_ADVISORIES"))
    args = parser.parse_args(argv)

    server = None
    if args.advisories:
        index = load_advisories(args.advisories)
        server = serve(index)
        source = f"local snapshot {args.advisories} ({sum(map(len, index.values()))} advisories)"
        osv_url = f"http://127.0.0.1:{server.server_port}/v1/query"
    else:
        source, osv_url = "the OSV service", None
    try:
        done = pip_audit(args.lock, osv_url)
    finally:
        if server is not None:
            server.shutdown()
    if any(marker in done.stderr for marker in UNREACHABLE) and not done.stdout.strip():
        print(
            f"dependency audit NOT PERFORMED: {source} is not reachable from this network "
            "and no local snapshot was given (DEPENDENCY_ADVISORIES)."
        )
        return 0
    if not done.stdout.strip():
        print(done.stderr, file=sys.stderr)
        print("dependency audit FAILED to run (see above)")
        return 1
    report = json.loads(done.stdout)
    accepted = ignored()
    found = [
        (dependency["name"], dependency["version"], vuln["id"])
        for dependency in report["dependencies"]
        for vuln in dependency.get("vulns", [])
    ]
    checked = sum(1 for d in report["dependencies"] if "skip_reason" not in d)
    unexplained = [item for item in found if item[2] not in accepted]
    for name, version, advisory in found:
        note = f"accepted: {accepted[advisory]}" if advisory in accepted else "UNEXPLAINED"
        print(f"{name} {version}: {advisory} ({note})")
    print(
        f"dependency audit against {source}: {checked} locked packages checked, "
        f"{len(found)} advisories found, {len(unexplained)} unexplained"
    )
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
