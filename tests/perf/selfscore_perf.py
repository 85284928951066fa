"""Self-score submit-to-result server time with 100,000 stored responses.

Budget (issue 13): p95 <= 20 ms. Measured in-process through Django's full
middleware stack with the test Client, so the figure is server time without network.
A bare view through the same stack is measured as the floor.

Usage:  .venv/bin/python tests/perf/selfscore_perf.py [--responses 100000] [--runs 300]
Uses PERF_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/perf13_selfscore
(created if missing); the stored responses are kept between runs and topped up.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class QueryLog:
    """A database execute wrapper that records each SQL statement."""

    def __init__(self, log: list[str]):
        self.log = log

    def __call__(self, execute, sql, params, many, context):
        self.log.append(sql)
        return execute(sql, params, many, context)


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    url = os.environ.get("PERF_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/perf13_selfscore")
    ensure_database(url)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="config.settings.base",
        # Every request here comes from the test Client's one address.
        RATELIMIT_ENABLE="false",
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test Client run without DEBUG
    settings.ROOT_URLCONF = "tests.perf.urls"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)

    from benchmark.models import Response
    from tests.factories import responses_create

    stored = Response.objects.count()
    if stored < args.responses:
        started = time.perf_counter()
        missing = args.responses - stored
        while missing > 0:
            chunk = min(missing, 25_000)
            responses_create(chunk, seed=stored + missing)
            missing -= chunk
        print(
            f"stored {args.responses - stored:,} responses in {time.perf_counter() - started:.1f} s"
        )
    stored = Response.objects.count()

    from benchmark.selectors import definition_get_current

    definition = definition_get_current()
    client = Client()
    profile = {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"}

    submit_ms, result_ms, bare_ms = [], [], []
    queries_result = 0
    for run in range(args.runs + 10):
        client.post("/self-score/", profile)
        client.post("/self-score/1/", {"paid": str(run % 12), "daily": str((run % 12) // 2)})
        for number in range(2, len(definition.questions)):
            client.post(f"/self-score/{number}/", {"answer": str((run + number) % 4)})
        t0 = time.perf_counter()
        submitted = client.post(f"/self-score/{len(definition.questions)}/", {"answer": "2"})
        t1 = time.perf_counter()
        queries: list[str] = []
        with connection.execute_wrapper(QueryLog(queries)):
            page = client.get(submitted["Location"])
        t2 = time.perf_counter()
        client.get("/__bare__/")
        t3 = time.perf_counter()
        assert submitted.status_code == 302 and page.status_code == 200
        if run >= 10:  # warm-up excluded
            submit_ms.append((t1 - t0) * 1000)
            result_ms.append((t2 - t1) * 1000)
            bare_ms.append((t3 - t2) * 1000)
            queries_result = len(queries)

    total = [a + b for a, b in zip(submit_ms, result_ms, strict=True)]
    rows = [
        ("submit (POST last answer)", submit_ms),
        ("result page (GET)", result_ms),
        ("submit + result", total),
        ("bare Django view", bare_ms),
    ]
    print(f"\n{connection.vendor}, {stored:,} stored responses, {args.runs} runs")
    print("rate limits off (RATELIMIT_ENABLE=false): every request comes from one address")
    print(f"{'what':28} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for name, values in rows:
        print(
            f"{name:28} {statistics.median(values):8.1f} {percentile(values, 95):8.1f} "
            f"{statistics.fmean(values):8.1f}"
        )
    print(f"result page SQL queries: {queries_result}")
    budget = percentile(total, 95) <= 20
    print(f"budget p95 <= 20 ms for submit + result: {'met' if budget else 'MISSED'}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "selfscore_p95_ms": percentile(total, 95),
                    "selfscore_p50_ms": statistics.median(total),
                    "bare_p95_ms": percentile(bare_ms, 95),
                    "responses": stored,
                }
            )
        )


if __name__ == "__main__":
    main()
