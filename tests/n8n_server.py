"""A real n8n on loopback for the tests (issue 16, "Tested against a real n8n").

The npm package ``n8n`` at the version tools/n8n/package.json pins, installed by ``make n8n``
(tools/n8n/install.sh) into a cache folder outside the repository keyed by the lock's hash.
``N8n`` runs ``n8n start`` on 127.0.0.1 on a free port with its user folder (SQLite database,
settings, encryption key) in a scratch folder, and runs n8n's CLI (``import:workflow``,
``execute``, ``export:workflow``) against the same folder while the server runs: n8n's
SQLite database takes both, and the server lists the CLI's runs. Seen working here with
n8n 1.123.81: one import, then two exports at once and three executions at once, while
the server answered, and never a "database is locked".

Nothing reaches outside this machine: the settings below turn off what n8n calls home for
(diagnostics, version notifications, templates, personalization, community packages,
banners, license renewal), and every n8n process preloads tools/n8n/loopback-only.cjs,
which refuses any connection or DNS lookup that is not loopback and writes it down, so a
test can assert none was tried (``outside_attempts``).

Nothing here imports Django (like tests/stack.py); the fixture is tests/n8n/conftest.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tests.proc_net import listening_sockets
from tests.stack import free_port

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools" / "n8n"
LOCK = TOOLS / "package-lock.json"
LOOPBACK_ONLY = TOOLS / "loopback-only.cjs"
OWNER_EMAIL = "owner@example.com"
OWNER_PASSWORD = "Benchmark-n8n-2026"  # n8n asks for 8+ characters, a digit and a capital
# What the API key may do: list and read runs, read workflows (the pull needs no more).
API_KEY_SCOPES = ("execution:list", "execution:read", "workflow:read")
T = TypeVar("T")
START_TIMEOUT = 240.0  # seconds; the first start migrates a new database (~12 s CPU)
CLI_TIMEOUT = 180.0

# n8n's settings for the tests (names from @n8n/config and packages/cli in n8n 1.123).
SETTINGS = {
    "N8N_LISTEN_ADDRESS": "127.0.0.1",
    "N8N_HOST": "127.0.0.1",
    "N8N_PROTOCOL": "http",
    "N8N_SECURE_COOKIE": "false",  # plain http on loopback
    # Nothing that calls home.
    "N8N_DIAGNOSTICS_ENABLED": "false",
    "N8N_VERSION_NOTIFICATIONS_ENABLED": "false",
    "N8N_TEMPLATES_ENABLED": "false",
    "N8N_PERSONALIZATION_ENABLED": "false",
    "N8N_COMMUNITY_PACKAGES_ENABLED": "false",
    "N8N_HIRING_BANNER_ENABLED": "false",
    "N8N_DYNAMIC_BANNERS_ENABLED": "false",
    "N8N_LICENSE_AUTO_RENEW_ENABLED": "false",
    "N8N_AI_ENABLED": "false",
    # Task runners off (n8n 1.123's default, said out loud): in internal mode each n8n
    # process would listen on the fixed broker port 5679, so the server and the CLI clash.
    "N8N_RUNNERS_ENABLED": "false",
    # The legacy expression engine: with the default "vm" engine (isolated-vm 5.0.4 on
    # Node 20) 4 of 8 `n8n execute` runs seen here crashed on exit (SIGSEGV, SIGTRAP)
    # after saving the run; with "legacy" none of 12 did. Expressions evaluate the same.
    "N8N_EXPRESSION_ENGINE": "legacy",
    # The test workflows read $env to decide whether a run fails.
    "N8N_BLOCK_ENV_ACCESS_IN_NODE": "false",
    # The app's push snippet signs in a Code node with require('crypto'), which the Code
    # node refuses unless this names it (workflows/ingest/n8n_snippet.py).
    "NODE_FUNCTION_ALLOW_BUILTIN": "crypto",
    "N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS": "true",
    "N8N_GIT_NODE_DISABLE_BARE_REPOS": "true",
    "N8N_GRACEFUL_SHUTDOWN_TIMEOUT": "5",
    "GENERIC_TIMEZONE": "UTC",
    "DB_TYPE": "sqlite",
    # Write-ahead logging: the server and the CLI commands share one SQLite file, and in
    # WAL mode a reader never blocks a writer (writers wait on node-sqlite3's 1 s busy
    # timeout for each other; n8n's own pooled SQLite mode turns WAL on too).
    "DB_SQLITE_ENABLE_WAL": "true",
}


def together(*calls: Callable[[], T]) -> list[T]:
    """Run ``calls`` at once, each in a thread, and return their results in order (the first
    exception is raised). Each n8n CLI command spends seconds loading n8n; commands that
    do not depend on each other take the time of the slowest instead of the sum."""
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [future.result() for future in [pool.submit(call) for call in calls]]


def n8n_install_dir() -> Path:
    """Where ``make n8n`` installs the locked n8n: ``$BENCHMARK_N8N_CACHE``, else
    ``$XDG_CACHE_HOME/benchmark-n8n`` (``~/.cache`` by default), then the first 16 hex
    digits of the lock's SHA-256 (the same folder tools/n8n/install.sh computes)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    root = Path(os.environ.get("BENCHMARK_N8N_CACHE") or Path(cache) / "benchmark-n8n")
    return root / hashlib.sha256(LOCK.read_bytes()).hexdigest()[:16]


def n8n_binary() -> Path:
    """The installed ``n8n`` command (it may not exist: see ``n8n_unavailable``)."""
    return n8n_install_dir() / "node_modules" / ".bin" / "n8n"


def n8n_unavailable() -> str | None:
    """Why a real n8n cannot run here, or None when it can: Node.js missing, or the locked
    n8n not installed (``make n8n`` installs it; ``make test`` does when Node is present)."""
    if shutil.which("node") is None:
        return "Node.js is not installed, so no real n8n runs: the real-n8n tests are skipped"
    if not os.access(n8n_binary(), os.X_OK):
        return f"n8n is not installed at {n8n_install_dir()}: run `make n8n` (about 10 minutes)"
    return None


@dataclass(frozen=True)
class CliRun:
    """One finished n8n CLI command: its arguments, exit code and output."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        return (
            f"n8n {' '.join(self.args)} exited {self.returncode}\n"
            f"--- stdout (end) ---\n{self.stdout[-3000:]}\n--- stderr (end) ---\n"
            f"{self.stderr[-3000:]}"
        )


class N8nError(RuntimeError):
    """n8n did not start, a CLI command failed, or an HTTP call was refused."""


class N8n:
    """One n8n: the server (``start``/``stop``) and its CLI on the same user folder.

    ``folder`` is a scratch folder the caller owns (n8n keeps its ``.n8n`` folder there).
    After ``start``, ``base_url`` is ``http://127.0.0.1:<port>`` and ``api_key`` a public
    API key of the instance owner with API_KEY_SCOPES.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.outside_log = folder / "outside-attempts.jsonl"
        self.log_path = folder / "n8n-start.log"
        self.api_key = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._cookie = ""
        self._browser_id = "benchmark-tests"
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # --- processes ------------------------------------------------------------------------

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The environment of every n8n process: this machine's, SETTINGS, this instance's
        folder and port, the loopback guard, and ``extra``."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("N8N_", "DB_"))}
        env.update(SETTINGS)
        env.update(
            N8N_USER_FOLDER=str(self.folder),
            N8N_PORT=str(self.port),
            N8N_OUTSIDE_LOG=str(self.outside_log),
            NODE_OPTIONS=f"--require {LOOPBACK_ONLY}",
        )
        env.update(extra or {})
        return env

    def start(self) -> None:
        """Start ``n8n start`` and wait until its REST API answers, then set up the owner
        and an API key. Raises N8nError (with the log's end) if it exits or times out."""
        log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            [str(n8n_binary()), "start"],
            env=self.env(),
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped whole in stop()
        )
        log.close()
        try:
            self._wait_until_ready(self._process)
            self.api_key = self._set_up_owner()
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self, process: subprocess.Popen[bytes]) -> None:
        # /healthz answers before the migrations end, and every path answers 200 "n8n is
        # starting up" while they run; the REST routes, answering JSON, come last.
        deadline = time.monotonic() + START_TIMEOUT
        while not self._ready():
            if process.poll() is not None:
                raise N8nError(f"n8n start exited {process.returncode}\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise N8nError(f"n8n did not answer in {START_TIMEOUT:.0f} s\n{self.log_tail()}")
            time.sleep(0.5)

    def stop(self) -> None:
        """Stop the server and every process it started (SIGTERM, then SIGKILL after 20 s)."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def log_tail(self, chars: int = 4000) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-chars:]

    def cli(self, *args: str, env: dict[str, str] | None = None) -> CliRun:
        """Run ``n8n <args>`` on this instance's user folder and database and wait for it."""
        done = subprocess.run(
            [str(n8n_binary()), *args],
            env=self.env(env),
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT,
            check=False,
        )
        return CliRun(tuple(args), done.returncode, done.stdout, done.stderr)

    def import_workflows(self, workflows: list[dict[str, Any]]) -> None:
        """``n8n import:workflow`` of n8n-format workflows (each with its ``id``), in one
        command. Raises N8nError when n8n does not say it imported them all."""
        path = self.folder / f"import-{time.monotonic_ns()}.json"
        path.write_text(json.dumps(workflows))
        run = self.cli("import:workflow", f"--input={path}")
        said = f"Successfully imported {len(workflows)} workflow"
        if run.returncode != 0 or said not in run.stdout + run.stderr:
            raise N8nError(run.describe())

    def execute(self, workflow_id: str, env: dict[str, str] | None = None) -> CliRun:
        """``n8n execute --id`` once, with ``env`` added to the environment (the test
        workflows read ``$env``). n8n saves the run before it exits; it exits 1 when the
        run failed, so the caller reads the outcome from the result or from the API."""
        return self.cli("execute", f"--id={workflow_id}", "--rawOutput", env=env)

    def export(self, workflow_id: str = "") -> Path:
        """The file ``n8n export:workflow --id=<workflow_id> --output=<file>`` writes (every
        workflow with ``--all`` when ``workflow_id`` is ""): a JSON list of workflows, the
        same objects ``--separate`` writes one to a file. Raises N8nError on failure."""
        out = self.folder / f"export-{workflow_id or 'all'}-{time.monotonic_ns()}.json"
        selector = f"--id={workflow_id}" if workflow_id else "--all"
        run = self.cli("export:workflow", selector, "--pretty", f"--output={out}")
        if run.returncode != 0 or not out.exists():
            raise N8nError(run.describe())
        return out

    def outside_attempts(self) -> list[dict[str, Any]]:
        """Every connection or DNS lookup an n8n process tried to a non-loopback address
        (refused), one dict each: ``{"kind": "connect"|"lookup", "target", "pid", "at"}``."""
        if not self.outside_log.exists():
            return []
        lines = self.outside_log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def listening(self) -> set[tuple[str, int]]:
        """The (address, port) pairs the server's processes listen on for TCP."""
        return listening_sockets(self._process.pid) if self._process is not None else set()

    # --- HTTP -----------------------------------------------------------------------------

    def api_get(self, path: str, **params: str | int) -> dict[str, Any]:
        """GET n8n's public API (``/api/v1`` + ``path``) with the API key; the JSON body.
        Raises N8nError on any status but 200."""
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        status, body = self.request(
            "GET", f"/api/v1{path}{query}", headers={"X-N8N-API-KEY": self.api_key}
        )
        if status != 200:
            raise N8nError(f"GET /api/v1{path}{query}: {status} {body}")
        return body

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        """One HTTP call to this n8n: (status, JSON body or text). The REST session cookie
        n8n sets is kept and sent back, with the browser id n8n binds it to."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310  (http://127.0.0.1 only)
            self.base_url + path, data=data, method=method
        )
        request.add_header("browser-id", self._browser_id)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self._cookie:
            request.add_header("Cookie", self._cookie)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with self._opener.open(request, timeout=30) as response:
                status, raw, set_cookies = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, set_cookies = error.code, error.read(), error.headers
        for header in set_cookies.get_all("Set-Cookie") or []:
            pair = header.split(";", 1)[0]
            if pair.startswith("n8n-auth="):
                self._cookie = pair
        text = raw.decode(errors="replace")
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def _ready(self) -> bool:
        try:
            status, body = self.request("GET", "/rest/settings")
        except OSError:
            return False
        return status == 200 and isinstance(body, dict)

    def _set_up_owner(self) -> str:
        """The owner account, a signed-in session and an API key, through n8n's own REST
        calls: POST /rest/owner/setup, POST /rest/login, POST /rest/api-keys."""
        calls: list[tuple[str, dict[str, Any]]] = [
            (
                "/rest/owner/setup",
                {
                    "email": OWNER_EMAIL,
                    "firstName": "Benchmark",
                    "lastName": "Tests",
                    "password": OWNER_PASSWORD,
                },
            ),
            ("/rest/login", {"emailOrLdapLoginId": OWNER_EMAIL, "password": OWNER_PASSWORD}),
            (
                "/rest/api-keys",
                {"label": "benchmark tests", "scopes": list(API_KEY_SCOPES), "expiresAt": None},
            ),
        ]
        body: Any = None
        for path, payload in calls:
            status, body = self.request("POST", path, payload)
            if status != 200:
                raise N8nError(f"POST {path}: {status} {body}")
        return str(body["data"]["rawApiKey"])
