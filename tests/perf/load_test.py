"""Load test: gunicorn with the production settings on PostgreSQL, 50 concurrent virtual
users for 60 s over a realistic mix, loopback only. Reports requests per second,
p50/p95/p99 and errors (budget: 0 errors, p95 <= 200 ms).

Usage: .venv/bin/python tests/perf/load_test.py [--users 50] [--seconds 60]
Uses PERF_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/benchmark_load.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
PORT = 8765


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Client:
    """A tiny HTTP client with a cookie jar (the production cookies are Secure; we are
    the only client on loopback, so we send them anyway)."""

    def __init__(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, dict]:
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            raise
        text = response.read().decode(errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, text, dict(response.headers)


def env_for(db: str, static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "load-test-only-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": db,
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean seconds a user waits between pages (uniform 0..2x); 0 for a saturation run",
    )
    args = parser.parse_args()
    db = os.environ.get("PERF_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchmark_load")
    import psycopg

    name = db.rsplit("/", 1)[1]
    with psycopg.connect(db.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    static_root = tempfile.mkdtemp(prefix="load-static-")
    env = env_for(db, static_root)
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run(
            [PY, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        time.sleep(3)
        setup = Client()
        setup.request("GET", "/accounts/login/")
        status, _, _headers = setup.request(
            "POST",
            "/accounts/login/",
            {"username": "vp@demo.example", "password": "demo-benchmark-2026"},
        )
        assert status == 302, f"login failed: {status}"
        _, page, _ = setup.request("GET", "/orgs/northwind-demo/workflows/")
        workflow = re.search(r"/orgs/northwind-demo/workflows/(\d+)/map/current/", page).group(1)
        _, dashboard, _ = setup.request("GET", "/orgs/northwind-demo/")
        result = re.search(r'href="(/results/[0-9a-f-]+/)"', dashboard).group(1)
        session = dict(setup.cookies)
        mix = [
            ("landing", "/", False),
            ("result page", result, False),
            ("self-score question", "/self-score/3/", False),
            ("dashboard", "/orgs/northwind-demo/", True),
            ("map editor", f"/orgs/northwind-demo/workflows/{workflow}/map/current/", True),
            ("review page", f"/orgs/northwind-demo/workflows/{workflow}/reviews/60/", True),
        ]
        timings: dict[str, list[float]] = {name: [] for name, _, _ in mix}
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds

        def user(seed: int) -> None:
            rng = random.Random(seed)
            client = Client()
            client.cookies.update(session)
            client.request(
                "POST",
                "/self-score/",
                {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"},
            )
            while time.monotonic() < stop_at:
                name, path, _ = rng.choice(mix)
                started = time.perf_counter()
                try:
                    status, _, _ = client.request("GET", path)
                except Exception as exc:
                    status = f"{type(exc).__name__}"
                elapsed = time.perf_counter() - started
                with lock:
                    if status == 200:
                        timings[name].append(elapsed)
                    else:
                        errors.append(f"{name}: {status}")
                if args.think:
                    time.sleep(rng.uniform(0, 2 * args.think))

        threads = [threading.Thread(target=user, args=(i,)) for i in range(args.users)]
        wall = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - wall
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    every = [t for values in timings.values() for t in values]
    print(
        f"{args.users} users, {args.seconds} s, think time {args.think} s on average, "
        f"gunicorn {args.workers} sync workers, production settings, PostgreSQL"
    )
    print(f"requests: {len(every):,} ok, {len(errors)} errors, {len(every) / wall:.0f} req/s")
    print(f"{'page':22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, values in [*timings.items(), ("all", every)]:
        if values:
            ms = [v * 1000 for v in values]
            print(
                f"{name:22} {len(ms):6} {statistics.median(ms):8.1f} {percentile(ms, 95):8.1f} {percentile(ms, 99):8.1f}"
            )
    if errors:
        print("errors (first 5):", errors[:5])
    p95 = percentile([v * 1000 for v in every], 95) if every else float("inf")
    print(f"budget 0 errors and p95 <= 200 ms: {'met' if not errors and p95 <= 200 else 'MISSED'}")


if __name__ == "__main__":
    main()
