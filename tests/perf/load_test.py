"""Load test: gunicorn with the production settings on PostgreSQL, 50 concurrent virtual
users for 60 s over a realistic mix, loopback only. Reports requests per second,
p50/p95/p99 and errors (budget: 0 errors, p95 <= 200 ms).

With ``--during-import`` a Celery worker runs beside gunicorn on the machine's Redis, and as
the load starts a 1,000,000-row run log is uploaded and a board report asked for; the
script reports how long each took under the load (budget: still 0 errors).

Usage: .venv/bin/python tests/perf/load_test.py [--users 50] [--seconds 60] [--during-import]
Uses PERF_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/benchmark_load, and
PERF_BROKER_URL, default redis://127.0.0.1:6379/2 (only with --during-import).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests import stack  # noqa: E402
from tests.perf.runlog_import_perf import write_run_log  # noqa: E402

PORT = 8765
ORG = stack.DEMO_ORG


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class BackgroundWork(threading.Thread):
    """Upload a 1,000,000-row run log and ask for a board report, then follow both to the
    end through the pages a user would poll; records seconds from the request to done."""

    def __init__(self, session: dict[str, str], workflow: str, csv: Path) -> None:
        super().__init__(daemon=True)
        self.session, self.workflow, self.csv = session, workflow, csv
        self.results: dict[str, str] = {}

    def _client(self) -> stack.HttpClient:
        client = stack.HttpClient(PORT, timeout=120)
        client.cookies.update(self.session)
        return client

    def _follow(self, name: str, path: str, started: float, done: str, failed: str) -> None:
        client = self._client()
        while time.monotonic() - started < 600:
            _, page, _ = client.get(path)
            if done in page or failed in page:
                outcome = "done" if done in page else "FAILED"
                self.results[name] = f"{outcome} in {time.monotonic() - started:.1f} s"
                return
            time.sleep(1)
        self.results[name] = "not finished after 600 s"

    def run(self) -> None:
        client = self._client()
        started = time.monotonic()
        import_id = stack.upload_run_log(
            client, self.workflow, self.csv.read_bytes(), "runs-1m.csv"
        )
        if import_id is None:
            self.results["import"] = "upload refused"
        else:
            self.results["upload"] = f"accepted in {time.monotonic() - started:.1f} s"
            report = threading.Thread(target=self._report, daemon=True)
            report.start()
            self._follow(
                "import",
                f"/orgs/{ORG}/workflows/{self.workflow}/data/{import_id}/",
                started,
                ">Imported<",
                "Not imported",
            )
            report.join()

    def _report(self) -> None:
        client = self._client()
        started = time.monotonic()
        report_id = stack.request_board_report(client)
        self._follow(
            "board report",
            f"/orgs/{ORG}/reports/{report_id}/",
            started,
            "Ready:",
            "The report failed",
        )


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
    parser.add_argument(
        "--during-import",
        action="store_true",
        help="upload a 1,000,000-row run log and ask for a board report as the load starts",
    )
    args = parser.parse_args()
    db = os.environ.get("PERF_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchmark_load")
    broker = ""  # eager: no background work in the plain run
    if args.during_import:
        broker = os.environ.get("PERF_BROKER_URL", "redis://127.0.0.1:6379/2")
    import psycopg

    name = db.rsplit("/", 1)[1]
    with psycopg.connect(db.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    scratch = Path(tempfile.mkdtemp(prefix="load-test-"))
    env = stack.app_env(
        database_url=db,
        broker_url=broker,
        media_root=scratch / "media",
        static_root=scratch / "static",
    )
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo"]):
        stack.manage(env, *command)
    services = [stack.gunicorn(env, PORT, scratch / "web.log", workers=args.workers)]
    if args.during_import:
        services.append(stack.celery_worker(env, scratch / "worker.log", concurrency=2))
        write_run_log(scratch / "runs-1m.csv", 1_000_000)
    with stack.running(*services):
        stack.wait_for_port(PORT)
        setup = stack.HttpClient(PORT)
        setup.login("vp@demo.example")
        workflow, result = stack.demo_links(setup)
        session = dict(setup.cookies)
        mix = [
            ("landing", "/", False),
            ("result page", result, False),
            ("self-score question", "/self-score/3/", False),
            ("dashboard", f"/orgs/{ORG}/", True),
            ("map editor", f"/orgs/{ORG}/workflows/{workflow}/map/current/", True),
            ("review page", f"/orgs/{ORG}/workflows/{workflow}/reviews/60/", True),
        ]
        timings: dict[str, list[float]] = {name: [] for name, _, _ in mix}
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds

        def user(seed: int) -> None:
            rng = random.Random(seed)
            client = stack.HttpClient(PORT)
            client.cookies.update(session)
            client.post(
                "/self-score/",
                {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"},
            )
            while time.monotonic() < stop_at:
                name, path, _ = rng.choice(mix)
                started = time.perf_counter()
                try:
                    status, _, _ = client.get(path)
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
        background = None
        if args.during_import:
            background = BackgroundWork(session, workflow, scratch / "runs-1m.csv")
            background.start()
        wall = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - wall
        if background is not None:
            background.join(timeout=600)
    every = [t for values in timings.values() for t in values]
    print(stack.RATE_LIMITS_NOTE)
    print(
        f"{args.users} users, {args.seconds} s, think time {args.think} s on average, "
        f"gunicorn {args.workers} sync workers, production settings, PostgreSQL"
        + (", during a 1,000,000-row import and a board report" if args.during_import else "")
    )
    print(f"requests: {len(every):,} ok, {len(errors)} errors, {len(every) / wall:.0f} req/s")
    print(f"{'page':22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, values in [*timings.items(), ("all", every)]:
        if values:
            ms = [v * 1000 for v in values]
            print(
                f"{name:22} {len(ms):6} {statistics.median(ms):8.1f} "
                f"{percentile(ms, 95):8.1f} {percentile(ms, 99):8.1f}"
            )
    if errors:
        print("errors (first 5):", errors[:5])
    if background is not None:
        for name, outcome in background.results.items():
            print(f"during the load, {name}: {outcome}")
    p95 = percentile([v * 1000 for v in every], 95) if every else float("inf")
    print(f"budget 0 errors and p95 <= 200 ms: {'met' if not errors and p95 <= 200 else 'MISSED'}")


if __name__ == "__main__":
    main()
