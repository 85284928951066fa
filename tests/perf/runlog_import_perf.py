"""Run-log import time for 1,000,000 rows against a bare pandas read of the same file, and
the time to store the day aggregates the import produces.

Budget (issue 13, goal 5): the parse and validation of a 1,000,000-row run log take at most
1.5x the time of a bare ``pandas.read_csv(path, engine="pyarrow")``; storing its day
aggregates (``run_days_store``, what the background import does next) takes no longer than
the parse. The parse is the whole user-facing path from the uploaded bytes, as
``workflows.data.processing`` runs it: ``parse_run_log(read_upload_utf8(raw))`` (check the
bytes, read, check every row, type, aggregate by day). The store replaces the CSV rows of
the file's days for one workflow, as a re-upload does (the first, warm-up store inserts
them). Each is timed best of N after a warm-up, the three alternated so they see the same
machine load; the script measures and reports, it does not assert, and exits 0 either way.

Usage:  .venv/bin/python tests/perf/runlog_import_perf.py [--rows 1000000] [--repeat 3]
The CSV (about 126 MB, deterministic) is written to a temporary directory and removed.
The store uses PERF_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/perf13_runlog
(created and migrated if missing), and an organization and workflow of its own, deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from tests.perf.selfscore_perf import ensure_database  # noqa: E402
from workflows.data.imports import RUN_LOG_COLUMNS, parse_run_log, read_upload_utf8  # noqa: E402

BUDGET_RATIO = 1.5
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/perf13_runlog"
AS_OF = date(2026, 4, 1)
STEPS = ("Enrich lead", "Draft SMS", "Send SMS", "Parse reply", "Route to human", "Book call")


def write_run_log(path: Path, rows: int, seed: int = 20260304) -> None:
    """A realistic run log: UUID run ids, millisecond UTC times over about two months, 25% of
    runs orchestrated, 85% succeeded, 13% failed at a named step, 2% still running."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, tzinfo=UTC)
    spacing = (AS_OF - start.date()).total_seconds() / rows * 0.9
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(RUN_LOG_COLUMNS) + "\n")
        lines: list[str] = []
        for index in range(rows):
            started = start + timedelta(seconds=index * spacing + rng.random())
            orchestrated = rng.random() < 0.25
            arm = "orchestrated" if orchestrated else "baseline"
            draw = rng.random()
            stopped = ""
            if draw < 0.85:
                status, succeeded = "succeeded", 6
            elif draw < 0.98:
                status, succeeded = "failed", rng.randrange(0, 6)
                stopped = STEPS[succeeded]
            else:
                status, succeeded = "running", rng.randrange(0, 6)
            ended = ""
            if status != "running":
                ended = _iso(started + timedelta(seconds=rng.uniform(5, 3000)))
            run_id = f"{rng.getrandbits(64):016x}{rng.getrandbits(64):016x}"
            run_id = f"{run_id[:8]}-{run_id[8:12]}-4{run_id[13:16]}-{run_id[16:20]}-{run_id[20:]}"
            ai_steps = min(3, succeeded + 1) if orchestrated else 0
            lines.append(
                f"{run_id},{_iso(started)},{ended},{status},{arm},6,{succeeded},{ai_steps},"
                f"{stopped}\n"
            )
            if len(lines) == 50_000:
                out.write("".join(lines))
                lines.clear()
        out.write("".join(lines))


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def setup_django() -> None:
    """Django on PERF_DATABASE_URL (created if missing, migrated), as selfscore_perf does."""
    url = os.environ.get("PERF_DATABASE_URL", DATABASE_URL)
    ensure_database(url)
    os.environ.update(
        DATABASE_URL=url, DJANGO_DEBUG="false", DJANGO_SETTINGS_MODULE="config.settings.base"
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    setup_django()
    from core.models import Organization
    from workflows.data.processing import run_days_store
    from workflows.models import CandidateWorkflow, RunDay

    organization, _ = Organization.objects.get_or_create(
        slug="runlog-import-perf", defaults={"name": "Run-log import perf"}
    )
    workflow = CandidateWorkflow.objects.create(organization=organization, name="Run-log perf")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "run_log.csv"
        started = time.perf_counter()
        write_run_log(path, args.rows)
        raw = path.read_bytes()
        print(
            f"run log: {args.rows:,} rows, {len(raw) / 1e6:.1f} MB "
            f"(written in {time.perf_counter() - started:.1f} s)"
        )
        # read_upload_utf8's default cap (50 MB) would refuse this file: the caller raises it
        # for run logs this big.
        limit = max(len(raw), 50_000_000)
        daily: list[pd.DataFrame] = []

        def bare() -> None:
            pd.read_csv(path, engine="pyarrow")

        def full_import() -> None:
            result = parse_run_log(read_upload_utf8(raw, max_bytes=limit), as_of=AS_OF)
            if result.row_count != args.rows:
                raise SystemExit(f"imported {result.row_count:,} runs, expected {args.rows:,}")
            daily[:] = [result.daily]

        def store() -> None:
            run_days_store(workflow=workflow, daily=daily[0])

        try:
            bare(), full_import(), store()  # warm-up; the first store inserts the days
            # Alternate, so all three see the same machine load.
            bare_times, import_times, store_times = [], [], []
            for _ in range(args.repeat):
                bare_times.append(timed(bare))
                import_times.append(timed(full_import))
                store_times.append(timed(store))
            stored = RunDay.objects.filter(workflow=workflow).count()
        finally:
            organization.delete()  # and its workflow and day rows
        if stored != len(daily[0]):
            raise SystemExit(f"stored {stored:,} day rows, expected {len(daily[0]):,}")
        bare_best, import_best = min(bare_times), min(import_times)
        store_best = min(store_times)

    ratio = import_best / bare_best
    store_ratio = store_best / import_best
    verdict = "within" if ratio <= BUDGET_RATIO else "OVER"
    store_verdict = "within" if store_ratio <= 1 else "OVER"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f'bare pandas.read_csv(engine="pyarrow"):  {bare_best:.3f} s (best of {args.repeat})')
    print(f"parse_run_log(read_upload_utf8(bytes)): {import_best:.3f} s (best of {args.repeat})")
    print(f"ratio {ratio:.2f}x, budget <= {BUDGET_RATIO:.1f}x: {verdict} budget")
    print(
        f"run_days_store ({stored:,} day rows):      {store_best:.3f} s (best of {args.repeat}) "
        f"= {store_ratio:.2f}x the parse, budget <= the parse: {store_verdict} budget"
    )
    print(f"({os.cpu_count()} cores, load average {load})")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "import_s": import_best,
                    "bare_s": bare_best,
                    "import_ratio": ratio,
                    "store_s": store_best,
                    "store_ratio": store_ratio,
                    "day_rows": stored,
                }
            )
        )


if __name__ == "__main__":
    main()
