"""Real processes for the fault and load tests.

A private PostgreSQL cluster and a private Redis server, each on a free loopback port, so a
test can stop and restart them without touching the machine's own services (which the rest
of the suite is using); the app under gunicorn with the production settings; a Celery
worker; and a small HTTP client with a cookie jar. Nothing here imports Django: the app
runs in its own processes, as it does in production, and the tests look at the database
with psycopg.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.html_forms import form_values

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BIN = Path(PY).parent
PG_BIN = Path("/usr/lib/postgresql")
DEMO_PASSWORD = "demo-benchmark-2026"  # core/demo.py
DEMO_ORG = "northwind-demo"  # core/demo.py: mapped, live first workflow, a self-score


def free_port() -> int:
    """A TCP port nothing listens on right now (loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    """Block until something accepts connections on ``port``; ``TimeoutError`` if not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing answered on port {port} within {timeout} s")


def pg_bin() -> Path | None:
    """The newest PostgreSQL server binaries on this machine (Debian layout), or None."""
    versions = sorted(PG_BIN.glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else None


def services_available() -> str | None:
    """None when a private PostgreSQL and Redis can be started here, else the reason not."""
    if pg_bin() is None:
        return "no PostgreSQL server binaries under /usr/lib/postgresql"
    if shutil.which("redis-server") is None:
        return "no redis-server on PATH"
    return None


class PrivatePostgres:
    """A throw-away PostgreSQL cluster in ``root`` on ``port``, trust auth, fsync off.

    initdb refuses to run as root, so as root the server runs as the ``postgres`` user.
    """

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root = root
        self.port = port or free_port()
        self.data = root / "data"
        self.log = root / "postgres.log"
        self.bin = pg_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL server binaries not found")

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *args], check=check, capture_output=True, timeout=60)

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
        )

    @property
    def running(self) -> bool:
        status = self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "status", check=False)
        return status.returncode == 0

    def stop(self, mode: str = "fast") -> None:
        """``fast`` aborts the transactions in flight, as a restart for an upgrade does."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


class PrivateRedis:
    """A redis-server on ``port`` that keeps nothing on disk, started and stopped at will."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        """Kill the server outright (SIGKILL): whatever it held in memory is gone."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None


# Printed by whoever starts the app through app_env, so the figures say it.
RATE_LIMITS_NOTE = (
    "rate limits off (RATELIMIT_ENABLE=false): all this traffic comes from one loopback "
    "address, which production would throttle as one client"
)


def app_env(
    *,
    database_url: str,
    broker_url: str,
    media_root: Path,
    static_root: Path,
    cache_url: str = "",
) -> dict[str, str]:
    """The environment of a production deployment on loopback (HTTPS assumed at a proxy).

    The rate limits are off (``RATE_LIMITS_NOTE``); their counts would live in
    ``cache_url``, by default database 1 of the broker's Redis (the machine's when tasks run
    eagerly): production settings refuse a per-process cache.
    """
    if not cache_url:
        cache_url = (broker_url or "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/1"
    print(f"app under test: {RATE_LIMITS_NOTE}", file=sys.stderr)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "fault-and-load-tests-only-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CACHE_URL": cache_url,
        "RATELIMIT_ENABLE": "false",
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """Run ``manage.py`` with ``env``; its stdout. ``CalledProcessError`` on failure."""
    done = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.stdout


class Service:
    """A long-running child process in its own process group, stopped with its children."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.argv, self.env, self.log = argv, env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def children(self) -> list[int]:
        """Process ids of the direct children (a prefork pool's workers, say)."""
        assert self.process is not None
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def kill(self) -> None:
        """SIGKILL the whole process group: no clean shutdown, nothing acknowledged."""
        if self.process is not None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        """SIGTERM the process group, then SIGKILL what is left after 20 s."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None


def gunicorn(env: dict[str, str], port: int, log: Path, workers: int = 2) -> Service:
    """gunicorn serving ``config.wsgi`` with sync workers on loopback ``port``."""
    return Service(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        env,
        log,
    )


def celery_worker(env: dict[str, str], log: Path, concurrency: int = 1) -> Service:
    """A Celery worker with a prefork pool, as deployed (``celery -A config worker``)."""
    return Service(
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env,
        log,
    )


@contextmanager
def running(*services: Service) -> Iterator[None]:
    """Start ``services`` and stop them on the way out, whatever happened."""
    try:
        for service in services:
            service.start()
        yield
    finally:
        for service in services:
            service.stop()


class HttpClient:
    """A small HTTP/1.1 client with a cookie jar for one user on loopback.

    The production cookies are Secure and the app expects HTTPS at a proxy, so every request
    says ``X-Forwarded-Proto: https`` and the jar sends the cookies back over plain HTTP.
    """

    def __init__(self, port: int, timeout: float = 30) -> None:
        self.port, self.timeout = port, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        *,
        raw: bytes | None = None,
        content_type: str = "",
    ) -> tuple[int, str, dict[str, str]]:
        """(status, body text, headers) for a form ``body`` or ``raw`` bytes of
        ``content_type``; raises ``OSError``/``HTTPException`` on a dropped connection,
        after which the next call opens a new one."""
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data: bytes | str | None = raw
        if body is not None:
            data = urlencode(body)
            content_type = "application/x-www-form-urlencoded"
        if data is not None:
            headers["Content-Type"] = content_type
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, text, dict(response.headers)

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        return self.request("GET", path)

    def post(self, path: str, body: dict | None = None) -> tuple[int, str, dict[str, str]]:
        return self.request("POST", path, body or {})

    def post_file(
        self, path: str, fields: dict[str, str], *, name: str, filename: str, content: bytes
    ) -> tuple[int, str, dict[str, str]]:
        """POST ``fields`` and one file as multipart/form-data (a browser's file upload)."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            for key, value in fields.items()
        ]
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
        )
        raw = "".join([*parts, head]).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.request(
            "POST", path, raw=raw, content_type=f"multipart/form-data; boundary={boundary}"
        )

    def login(self, email: str, password: str = DEMO_PASSWORD) -> None:
        """Sign in through the form; ``AssertionError`` if the app does not redirect."""
        self.get("/accounts/login/")
        status, _, _ = self.post("/accounts/login/", {"username": email, "password": password})
        assert status == 302, f"sign-in as {email} answered {status}"


def demo_links(client: HttpClient) -> tuple[str, str]:
    """(first workflow id, a result page path) of the demo organization, as a signed-in
    member finds them on its pages."""
    _, page, _ = client.get(f"/orgs/{DEMO_ORG}/workflows/")
    workflow = re.search(rf"/orgs/{DEMO_ORG}/workflows/(\d+)/map/current/", page).group(1)
    _, dashboard, _ = client.get(f"/orgs/{DEMO_ORG}/")
    result = re.search(r'href="(/results/[0-9a-f-]+/)"', dashboard).group(1)
    return workflow, result


def request_board_report(client: HttpClient) -> int:
    """Ask for the demo organization's board report; its id. ``AssertionError`` unless the
    app redirects to the report's page."""
    status, _, headers = client.post(f"/orgs/{DEMO_ORG}/reports/")
    assert status == 302, f"asking for a report answered {status}"
    return int(re.search(r"/reports/(\d+)/$", headers["Location"]).group(1))


def upload_run_log(
    client: HttpClient, workflow: str, content: bytes, filename: str = "runs.csv"
) -> int | None:
    """Upload a run log to the demo workflow's data page and confirm its column mapping as
    the screen suggests it; the import's id, or None when the upload is refused."""
    status, _, headers = client.post_file(
        f"/orgs/{DEMO_ORG}/workflows/{workflow}/data/",
        {"kind": "runs"},
        name="file",
        filename=filename,
        content=content,
    )
    if status != 302:
        return None
    mapping = headers["Location"]
    found = re.search(r"/data/(\d+)/mapping/$", mapping)
    if found is None:  # refused at once (not a readable CSV): the data page shows why
        return None
    _, page, _ = client.get(mapping)
    status, _, headers = client.post(mapping, {**form_values(page, mapping), "action": "confirm"})
    if status != 302:
        return None
    return int(found.group(1))
