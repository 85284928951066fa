"""Run-log import time for 1,000,000 rows against a bare pandas read of the same file.

Budget (ARCHITECTURE.md): importing a 1,000,000-row run log takes at most 2x the time of a
bare ``pandas.read_csv(path, engine="pyarrow")``. The import is the whole user-facing path
from the uploaded bytes: ``parse_run_log(read_upload(raw))`` (decode, read, check every row,
type, aggregate by day). Both are timed best of N after a warm-up; the script measures and
reports, it does not assert, and exits 0 either way.

Usage:  .venv/bin/python tests/perf/runlog_import_perf.py [--rows 1000000] [--repeat 3]
The CSV (about 126 MB, deterministic) is written to a temporary directory and removed.
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

from workflows.data.imports import RUN_LOG_COLUMNS, parse_run_log, read_upload  # noqa: E402

BUDGET_RATIO = 1.5
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

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "run_log.csv"
        started = time.perf_counter()
        write_run_log(path, args.rows)
        raw = path.read_bytes()
        print(
            f"run log: {args.rows:,} rows, {len(raw) / 1e6:.1f} MB "
            f"(written in {time.perf_counter() - started:.1f} s)"
        )
        # read_upload's default cap (50 MB) would refuse this file: the caller raises it for
        # run logs this big.
        limit = max(len(raw), 50_000_000)

        def bare() -> None:
            pd.read_csv(path, engine="pyarrow")

        def full_import() -> None:
            result = parse_run_log(read_upload(raw, max_bytes=limit), as_of=AS_OF)
            if result.row_count != args.rows:
                raise SystemExit(f"imported {result.row_count:,} runs, expected {args.rows:,}")

        bare(), full_import()  # warm-up
        # Alternate, so both see the same machine load.
        bare_times, import_times = [], []
        for _ in range(args.repeat):
            bare_times.append(timed(bare))
            import_times.append(timed(full_import))
        bare_best, import_best = min(bare_times), min(import_times)

    ratio = import_best / bare_best
    verdict = "within" if ratio <= BUDGET_RATIO else "OVER"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f'bare pandas.read_csv(engine="pyarrow"): {bare_best:.3f} s (best of {args.repeat})')
    print(f"parse_run_log(read_upload(bytes)):      {import_best:.3f} s (best of {args.repeat})")
    print(f"ratio {ratio:.2f}x, budget <= {BUDGET_RATIO:.1f}x: {verdict} budget")
    print(f"({os.cpu_count()} cores, load average {load})")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"import_s": import_best, "bare_s": bare_best, "import_ratio": ratio})
        )


if __name__ == "__main__":
    main()
