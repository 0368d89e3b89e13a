"""Benchmarks: prints a table of timings and ratios. Not a test; run by hand.

    python scripts/bench.py [--repeat 5]

- reading the demo workbooks with python-calamine (what ingest uses) against openpyxl;
- building the demo warehouse end to end (86 files: gate → read → validate → load);
- the metrics behind the pages (computed once per data version, then served from st.cache_data).
"""
from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
import python_calamine as pc  # noqa: E402

from ingest import config  # noqa: E402
from ingest.db import connect  # noqa: E402
from ingest.demo import build_demo  # noqa: E402
from metrics.board import submission_board  # noqa: E402
from metrics.progress import progress_table  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _child(code: str) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of `code` run in a fresh Python process."""
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", code + "\nimport resource; print(resource.getrusage("
                          "resource.RUSAGE_SELF).ru_maxrss)"], cwd=ROOT, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    return seconds, int(run.stdout.split()[-1]) / 1024


def hostile_rows() -> list[tuple]:
    """The worst files at the size limit: refused in seconds, within 500 MB, against a bare csv parse
    of the same bytes. Each runs in its own process so its peak memory is its own."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "19 MB CSV, 660,000 repeated rows (cell limit)": "PS-08,德城区,2025,900,1000,\n" * 660_000,
            "19 MB CSV, 160,000 wide duplicate rows (error limit)":
                ("PS-08,德城区,2025,900,1000," + "x" * 95 + "\n") * 160_000,
        }
        for what, body in cases.items():
            path = Path(tmp) / "worst.csv"
            path.write_text("指标编码,区县,年度,分子,分母,数值\n" + body, encoding="utf-8")
            bare, _ = _child(f"import csv; list(csv.reader(open({str(path)!r}, encoding='utf-8')))")
            check = ("import sys; sys.path.insert(0, '.'); from ingest.catalog import read_catalog; "
                     "from ingest.config import CATALOG_PATH; from ingest.pipeline import examine; "
                     f"cat = read_catalog(CATALOG_PATH.read_bytes())[0]; "
                     f"v, _, _ = examine(open({str(path)!r}, 'rb').read(), 'worst.csv', cat, department='卫健委'); "
                     "assert v.has_errors()")
            seconds, peak = _child(check)
            out.append((f"refuse {what}; peak {peak:,.0f} MB", seconds, bare))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    files = [p.read_bytes() for p in sorted(config.DEMO_DIR.glob("*.xlsx"))]

    def read_calamine():
        for data in files:
            wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python(skip_empty_area=False)

    def read_openpyxl():
        for data in files:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            for ws in wb.worksheets:
                list(ws.iter_rows(values_only=True))

    rows = []
    calamine = best(read_calamine, repeat)
    rows.append((f"read {len(files)} demo workbooks: openpyxl", best(read_openpyxl, repeat), calamine))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "w.duckdb"
        build = best(lambda: build_demo(db), max(1, repeat // 2))
        rows.append(("build demo warehouse (86 files)", build, None))
        con = connect(db, read_only=False)
        bare = best(lambda: con.execute("SELECT * FROM current_observation()").df(), repeat)
        overview = best(lambda: progress_table(con), repeat)
        rows.append(("progress_table, every indicator × area × year (all rules)", overview, bare))
        rows.append(("submission_board", best(lambda: submission_board(con), repeat), None))
        con.close()

    rows += hostile_rows()

    print(f"{'what':62} {'seconds':>9} {'ratio':>8}  baseline")
    for what, seconds, base in rows:
        ratio = f"{seconds / base:,.1f}×" if base else ""
        against = "" if not base else ("python-calamine" if base == calamine else
                                       "bare query" if base == bare else "bare csv parse")
        print(f"{what:62} {seconds:9.4f} {ratio:>8}  {against}")
    print(f"{'baseline: read the same with python-calamine':62} {calamine:9.4f}")
    print(f"{'baseline: bare query, the current figures (current_observation)':62} {bare:9.4f}")


if __name__ == "__main__":
    main()
