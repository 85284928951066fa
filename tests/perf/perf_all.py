"""`make perf`: every figure of issue 13 beside its reference, measured in the same run.

Runs selfscore_perf.py (which first fills PostgreSQL with 100,000 responses), http_perf.py
(gunicorn under the production settings on that database: chart pages in Chromium, time
to first byte, wrk, concurrent submits), board_report_perf.py and runlog_import_perf.py,
prints one table (figure, reference, ratio, goal, met) and writes perf.json at the
repository root. The rate limits are off in every one of them (one client address).

Usage: .venv/bin/python tests/perf/perf_all.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PERF = Path(__file__).resolve().parent
DB = "postgres://postgres@127.0.0.1:5432/perf13_selfscore"


def run(script: str, *args: str) -> dict:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    env = {**os.environ, "PERF_DATABASE_URL": os.environ.get("PERF_DATABASE_URL", DB)}
    print(f"--- {script} {' '.join(args)}", flush=True)
    subprocess.run(
        [sys.executable, str(PERF / script), *args, "--json", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    figures = json.loads(out.read_text())
    out.unlink()
    return figures


def main() -> None:
    selfscore = run("selfscore_perf.py", "--responses", "100000", "--runs", "300")
    served = run("http_perf.py")
    report = run("board_report_perf.py", "--runs", "5")
    runlog = run("runlog_import_perf.py", "--repeat", "3")

    pages = served["pages"]
    landing = pages.pop("landing")
    chart_pages = {name: page for name, page in pages.items() if page["charts"]}
    heaviest = max(chart_pages.values(), key=lambda p: p["kib_compressed"])
    heaviest_raw = max(chart_pages.values(), key=lambda p: p["kib_raw"])
    dcl = max(chart_pages.items(), key=lambda kv: kv[1]["dcl_ms"])
    drawn = max(chart_pages.items(), key=lambda kv: kv[1]["drawn_ms"])
    ttfb = dict(served["ttfb_ms"])
    ttfb_landing = ttfb.pop("landing")
    slowest = max(ttfb.items(), key=lambda kv: kv[1])
    wrk = served["wrk"]
    submits = served["submits"]

    results = {
        "chart_page_kib_compressed": heaviest["kib_compressed"],
        "chart_page_kib_raw": heaviest_raw["kib_raw"],
        "chart_page_dcl_ratio": max(dcl[1]["dcl_ms"], drawn[1]["drawn_ms"]) / landing["dcl_ms"],
        "max_ttfb_ratio": slowest[1] / ttfb_landing,
        "result_rps_ratio": wrk["result"]["rps"] / wrk["landing"]["rps"],
        "selfscore_p95_ms": selfscore["selfscore_p95_ms"],
        "report_ratio": report["report_ratio"],
        "import_ratio": runlog["import_ratio"],
    }
    rows = [
        (
            "chart page, cold, as served (heaviest)",
            f"landing {landing['kib_compressed']:.0f} KiB",
            f"{heaviest['kib_compressed']:.0f} KiB",
            "<= 600 KiB",
            heaviest["kib_compressed"] <= 600,
        ),
        (
            "chart page, cold, uncompressed (heaviest)",
            f"landing {landing['kib_raw']:.0f} KiB",
            f"{heaviest_raw['kib_raw']:.0f} KiB",
            "<= 1536 KiB",
            heaviest_raw["kib_raw"] <= 1536,
        ),
        (
            f"DOMContentLoaded, slowest chart page ({dcl[0]})",
            f"landing DCL {landing['dcl_ms']:.0f} ms",
            f"{dcl[1]['dcl_ms']:.0f} ms = {dcl[1]['dcl_ms'] / landing['dcl_ms']:.2f}x",
            "<= 2x",
            dcl[1]["dcl_ms"] <= 2 * landing["dcl_ms"],
        ),
        (
            f"every chart drawn, slowest page ({drawn[0]})",
            f"landing DCL {landing['dcl_ms']:.0f} ms",
            f"{drawn[1]['drawn_ms']:.0f} ms = {drawn[1]['drawn_ms'] / landing['dcl_ms']:.2f}x",
            "<= 2x",
            drawn[1]["drawn_ms"] <= 2 * landing["dcl_ms"],
        ),
        (
            f"time to first byte, median of 20, slowest page ({slowest[0]})",
            f"landing {ttfb_landing:.1f} ms",
            f"{slowest[1]:.1f} ms = {results['max_ttfb_ratio']:.2f}x",
            "<= 3x",
            results["max_ttfb_ratio"] <= 3,
        ),
        (
            f"result page under wrk ({served['responses']:,} responses)",
            f"landing {wrk['landing']['rps']:.0f} req/s, p50 {wrk['landing']['p50_ms']:.0f} ms",
            f"{wrk['result']['rps']:.0f} req/s, p50 {wrk['result']['p50_ms']:.0f} ms "
            f"= {results['result_rps_ratio']:.2f}x",
            ">= 0.5x",
            results["result_rps_ratio"] >= 0.5,
        ),
        (
            f"self-score submit + result p95 ({selfscore['responses']:,} responses)",
            f"bare view p95 {selfscore['bare_p95_ms']:.1f} ms",
            f"{selfscore['selfscore_p95_ms']:.1f} ms (p50 {selfscore['selfscore_p50_ms']:.1f})",
            "<= 20 ms",
            selfscore["selfscore_p95_ms"] <= 20,
        ),
        (
            "50 visitors submitting at once, 5 times each",
            "-",
            f"{submits['errors']} errors, {submits['deadlocks']} deadlocks, "
            f"{submits['submits_per_s']:.0f} submits/s, recount "
            f"{'equal' if submits['histograms_equal_recount'] else 'DIFFERS'}",
            "0 errors, recount equal",
            submits["errors"] == 0 and submits["histograms_equal_recount"],
        ),
        (
            "board report, warm worker, empty chart cache",
            f"bare WeasyPrint {report['report_bare_s']:.2f} s",
            f"{report['report_empty_cache_s']:.2f} s = {report['report_ratio']:.2f}x",
            "<= 1.3x",
            report["report_ratio"] <= 1.3,
        ),
        (
            "board report, charts cached (second render)",
            f"bare WeasyPrint {report['report_bare_s']:.2f} s",
            f"{report['report_filled_cache_s']:.2f} s = {report['report_filled_ratio']:.2f}x",
            "(reported)",
            None,
        ),
        (
            "run-log import, 1,000,000 rows: parse + validation",
            f"bare read_csv(pyarrow) {runlog['bare_s']:.3f} s",
            f"{runlog['import_s']:.3f} s = {runlog['import_ratio']:.2f}x",
            "<= 1.5x",
            runlog["import_ratio"] <= 1.5,
        ),
        (
            "run-log import: storing the day aggregates",
            f"the parse {runlog['import_s']:.3f} s",
            f"{runlog['store_s']:.3f} s = {runlog['store_ratio']:.2f}x "
            f"({runlog['day_rows']:,} day rows)",
            "<= parse",
            runlog["store_ratio"] <= 1,
        ),
    ]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"{os.cpu_count()} cores, load average {load} at the end of the run; rate limits off",
        "",
        "| figure | reference (same run) | measured | goal | met |",
        "|---|---|---|---|---|",
    ]
    for name, reference, measured, goal, met in rows:
        verdict = "-" if met is None else ("met" if met else "**not met**")
        lines.append(f"| {name} | {reference} | {measured} | {goal} | {verdict} |")
    lines += [
        "",
        f"Time to first byte, median of 20 loads, each page against the landing page's "
        f"{ttfb_landing:.1f} ms (goal <= 3x):",
        "",
        "| page | ms | x landing | drawn after a write: ms | x landing |",
        "|---|---|---|---|---|",
    ]
    drawn_ttfb = served.get("ttfb_drawn_ms", {})
    for name, ms in sorted(ttfb.items(), key=lambda kv: kv[1]):
        after = drawn_ttfb.get(name)
        tail = f"{after:.1f} | {after / ttfb_landing:.1f}x" if after else "- | -"
        lines.append(f"| {name} | {ms:.1f} | {ms / ttfb_landing:.1f}x | {tail} |")
    print("\n".join(lines))
    (ROOT / "perf.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {ROOT / 'perf.json'}")


if __name__ == "__main__":
    main()
