"""The figures of issue 13 that need a served app: gunicorn under the production settings on
PostgreSQL, loopback only, each figure beside its reference measured in the same run.

- chart pages: a fresh Chromium context per page (Playwright, /usr/bin/chromium): bytes
  transferred (as served, compressed) and raw, DOMContentLoaded, and the time until every
  chart on the page is drawn, against the landing page's DOMContentLoaded;
- time to first byte: the median of 20 loads of each page, against the landing page's;
- wrk (installed with apt-get where missing): the result page's requests/s against the
  landing page's, 50 connections, 15 s each;
- concurrent submits: 50 visitors finishing the self-score at once, 5 times each; errors,
  submits/s, and whether the histograms equal a recount afterwards.

The rate limits are off (stack.RATE_LIMITS_NOTE): every request comes from one address.

Usage: .venv/bin/python tests/perf/http_perf.py [--json out.json] [--only wrk ...]
Uses PERF_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/perf13_selfscore, the
database tests/perf/selfscore_perf.py fills with 100,000 responses), and PERF_CACHE_URL for
the cache (default database 1 of the machine's Redis).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests import stack  # noqa: E402
from tests.perf.chart_pages import chart_pages  # noqa: E402

ORG = stack.DEMO_ORG
# What --only picks from: chart pages in Chromium, time to first byte, wrk, concurrent submits.
FIGURES = ["pages", "ttfb", "wrk", "submits"]
PROFILE = {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"}


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# Records, in the page, the moment each chart (.chart) first holds an <svg>: while the HTML
# is parsed for a chart drawn on the server, later for one a script draws.
DRAWN_WATCH = """
(() => {
  const seen = new Map();
  const look = () => {
    document.querySelectorAll(".chart").forEach((chart) => {
      if (!seen.has(chart) && chart.querySelector("svg")) seen.set(chart, performance.now());
    });
  };
  new MutationObserver(look).observe(document, { childList: true, subtree: true });
  window.__chartsDrawn = () => {
    look();
    const charts = document.querySelectorAll(".chart");
    if (!charts.length) return null;
    return Math.max(...Array.from(charts, (chart) => seen.get(chart) ?? performance.now()));
  };
})();
"""


def chart_page_figures(port: int, session: dict[str, str], pages: list[tuple[str, str]]) -> dict:
    """Per page: KiB compressed and raw, DCL ms and charts-drawn ms; a fresh context each."""
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    out = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
        )
        for name, path in [("landing", "/"), *pages]:
            runs = []
            for _ in range(3):
                context = browser.new_context(
                    extra_http_headers={"X-Forwarded-Proto": "https"},
                    viewport={"width": 1280, "height": 900},
                )
                context.add_cookies(
                    [{"name": k, "value": v, "url": base} for k, v in session.items()]
                )
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                responses = []
                page.on("response", lambda response, seen=responses: seen.append(response))
                page.add_init_script(DRAWN_WATCH)
                page.goto(base + path, wait_until="load")
                charts = page.locator(".chart")
                for index in range(charts.count()):
                    charts.nth(index).locator("svg").first.wait_for(state="attached")
                # When the last chart's picture entered the page (recorded in the page, so
                # Playwright's round trips do not count).
                drawn = page.evaluate("window.__chartsDrawn()")
                dcl = page.evaluate(
                    "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                )
                compressed = raw = 0
                for response in responses:
                    sizes = response.request.sizes()
                    compressed += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                    with contextlib.suppress(Exception):  # a redirect has no body
                        raw += len(response.body())
                runs.append((compressed / 1024, raw / 1024, dcl, drawn, charts.count(), errors))
                context.close()
            median = sorted(runs, key=lambda r: r[2])[1]
            out[name] = {
                "kib_compressed": median[0],
                "kib_raw": median[1],
                "dcl_ms": statistics.median(r[2] for r in runs),
                "drawn_ms": statistics.median(r[3] for r in runs) if median[4] else None,
                "charts": median[4],
                "errors": median[5],
            }
        browser.close()
    return out


def ttfb_ms(
    client: stack.HttpClient, path: str, loads: int = 20, before: Callable[[], object] = list
) -> float:
    """Median time to first byte over ``loads`` GETs by ``client`` (signed in or with a
    self-score under way); on loopback the pages' bodies follow within a fraction of it.
    ``before()`` runs before each GET, untimed."""
    times = []
    for _ in range(loads + 2):
        before()
        started = time.perf_counter()
        status, _, _ = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, f"{path}: {status}"
    return statistics.median(times[2:])


def wrk(port: int, path: str, seconds: int = 15, connections: int = 50) -> dict:
    done = subprocess.run(
        [
            shutil.which("wrk") or "/usr/bin/wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            "X-Forwarded-Proto: https",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", done).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", done)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done)
    socket = re.search(r"Socket errors: (.*)", done)
    return {
        "rps": rps,
        "p50_ms": float(p50.group(1)) * scale,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket.group(1) if socket else "",
    }


def concurrent_submits(port: int, visitors: int = 50, rounds: int = 5) -> dict:
    """``visitors`` threads answer the self-score and submit the last answer at the same
    moment, ``rounds`` times; errors and submits per second."""
    barrier = threading.Barrier(visitors)
    errors: list[str] = []
    submit_seconds: list[float] = []
    lock = threading.Lock()

    def visitor(index: int) -> None:
        client = stack.HttpClient(port, timeout=120)
        client.get("/self-score/")  # the CSRF cookie
        for round_ in range(rounds):
            try:
                client.post("/self-score/", PROFILE)
                client.post("/self-score/1/", {"paid": str(index % 12), "daily": "3"})
                for number in range(2, 15):
                    client.post(f"/self-score/{number}/", {"answer": str((index + number) % 4)})
            except Exception as exc:
                with lock:
                    errors.append(f"answering: {exc!r}")
            barrier.wait()
            started = time.perf_counter()
            try:
                status, _, _ = client.post("/self-score/15/", {"answer": str(round_ % 4)})
                if status != 302:
                    with lock:
                        errors.append(f"submit answered {status}")
            except Exception as exc:
                with lock:
                    errors.append(f"submit: {exc!r}")
            with lock:
                submit_seconds.append(time.perf_counter() - started)
            barrier.wait()

    threads = [threading.Thread(target=visitor, args=(i,)) for i in range(visitors)]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    # Submits per second while submitting: each round's slowest submit bounds that round.
    per_round = [max(submit_seconds[r * visitors : (r + 1) * visitors]) for r in range(rounds)]
    return {
        "submits": visitors * rounds,
        "errors": len(errors),
        "first_errors": errors[:3],
        "deadlocks": sum("deadlock" in e for e in errors),
        "submits_per_s": visitors * rounds / sum(per_round),
        "wall_s": wall,
    }


def histograms(url: str) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT pool, segment, metric, value, count FROM benchmark_peerbucket WHERE count > 0"
        ).fetchall()
    return {tuple(r[:4]): r[4] for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--wrk-seconds", type=int, default=15)
    parser.add_argument(
        "--only", choices=FIGURES, action="append", help="these figures only (repeatable)"
    )
    args = parser.parse_args()
    wanted = set(args.only or FIGURES)
    if not shutil.which("wrk"):
        print("installing wrk (apt-get install -y wrk)", file=sys.stderr)
        subprocess.run(
            ["/usr/bin/apt-get", "install", "-y", "wrk"], check=True, capture_output=True
        )
    db = os.environ.get("PERF_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/perf13_selfscore")
    ensure_database(db)
    scratch = Path(tempfile.mkdtemp(prefix="http-perf-"))
    env = stack.app_env(
        database_url=db,
        broker_url="",
        media_root=scratch / "media",
        static_root=scratch / "static",
        cache_url=os.environ.get("PERF_CACHE_URL", ""),
    )
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo"]):
        stack.manage(env, *command)
    import psycopg

    # Planner statistics for the 100,000 responses filled in bulk, as autovacuum would have
    # gathered them in production. Without them (a server with autovacuum off, or a run
    # right after the fill) PostgreSQL guesses a thousand responses for the demo
    # organization and plans the dashboard's three-row read as a parallel scan: ~6 ms.
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("ANALYZE")
    with psycopg.connect(db) as conn:
        responses = conn.execute("SELECT count(*) FROM benchmark_response").fetchone()[0]
        public = conn.execute(
            "SELECT public_id FROM benchmark_response WHERE NOT is_demo LIMIT 1"
        ).fetchone()
    port = stack.free_port()
    figures: dict = {"responses": responses}
    with stack.running(stack.gunicorn(env, port, scratch / "web.log", workers=2)):
        stack.wait_for_port(port)
        vp = stack.HttpClient(port)
        vp.login("vp@demo.example")
        consultant = stack.HttpClient(port)
        consultant.login("consultant@demo.example")
        anonymous = stack.HttpClient(port)
        anonymous.get("/self-score/")  # the CSRF cookie
        anonymous.post("/self-score/", PROFILE)
        anonymous.post("/self-score/1/", {"paid": "5", "daily": "5"})
        anonymous.post("/self-score/2/", {"answer": "2"})
        pages = chart_pages(lambda p: vp.get(p)[1])
        workflow = re.search(r"/workflows/(\d+)/", dict(pages)["map swimlane (shapes)"]).group(1)
        _, audits, _ = vp.get(f"/orgs/{ORG}/audits/")
        audit = re.search(rf"/orgs/{ORG}/audits/(\d+)/", audits).group(1)

        if "pages" in wanted:
            figures["pages"] = chart_page_figures(port, vp.cookies, pages)

        ttfb_pages = [
            ("landing", "/", anonymous),
            ("self-score question", "/self-score/3/", anonymous),
            *[(name, path, vp) for name, path in pages],
            ("intake", f"/orgs/{ORG}/audits/{audit}/", vp),
            ("candidates", f"/orgs/{ORG}/workflows/", vp),
            ("plan", f"/orgs/{ORG}/workflows/{workflow}/plan/", vp),
            ("data", f"/orgs/{ORG}/workflows/{workflow}/data/", vp),
            ("pipeline", "/consultant/audits/", consultant),
        ]
        if "ttfb" in wanted:
            figures["ttfb_ms"] = {name: ttfb_ms(client, path) for name, path, client in ttfb_pages}
            # The same pages right after a write: a transaction that commits with an id and
            # no row moves the WAL position, so every kept page (core.page_cache) is drawn.
            with psycopg.connect(db, autocommit=True) as conn:

                def commit_a_write() -> None:
                    conn.execute("SELECT txid_current()")

                figures["ttfb_drawn_ms"] = {
                    name: ttfb_ms(client, path, before=commit_a_write)
                    for name, path, client in ttfb_pages
                }

        result = f"/results/{public[0]}/" if public else dict(pages)["result radar (scatterpolar)"]
        if "wrk" in wanted:
            figures["wrk"] = {
                "landing": wrk(port, "/", args.wrk_seconds),
                "result": wrk(port, result, args.wrk_seconds),
            }

        if "submits" in wanted:
            figures["submits"] = concurrent_submits(port)
    if "submits" in wanted:
        before = histograms(db)
        stack.manage(env, "rebuild_peer_buckets")
        figures["submits"]["histograms_equal_recount"] = before == histograms(db)

    print(stack.RATE_LIMITS_NOTE)
    print(json.dumps(figures, indent=1, default=str))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, default=str))


if __name__ == "__main__":
    main()
