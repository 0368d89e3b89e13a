"""Benchmarks: prints a table of timings and ratios. Not a test; run by hand.

    python scripts/bench.py [--repeat 5]
    python scripts/bench.py --national DIR [--scale 0.1]

- reading the demo workbooks with python-calamine (what ingest uses) against openpyxl;
- building the demo warehouse end to end (86 files: gate → read → validate → load);
- the metrics behind the pages (computed once per data version, then served from st.cache_data).

--national DIR measures the national set of scripts/make_national_data.py instead (generated into DIR
at --scale when DIR has no manifest.csv): the catalog with its master list, the long-format files and
the 台账 through the pipeline, and `metrics report --level city --year 2025`, each against a baseline
measured in the same run (a bare parse of the same files, scripts/naive_load.py, one bare GROUP BY).
Each item runs in its own process, so its peak memory (ru_maxrss) is its own.
"""
from __future__ import annotations

import argparse
import csv
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

from warehouse import config  # noqa: E402
from warehouse.db import connect  # noqa: E402
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
                     "from warehouse.config import CATALOG_PATH; from ingest.pipeline import examine; "
                     f"cat = read_catalog(CATALOG_PATH.read_bytes())[0]; "
                     f"v, _, _ = examine(open({str(path)!r}, 'rb').read(), 'worst.csv', cat, department='卫健委'); "
                     "assert v.has_errors()")
            seconds, peak = _child(check)
            out.append((f"refuse {what}; peak {peak:,.0f} MB", seconds, bare))
    return out


_TIMED = """
import sys, time, resource
sys.path.insert(0, {root!r}); sys.path.insert(0, {scripts!r})
{setup}
_start = time.perf_counter()
{measured}
_seconds = time.perf_counter() - _start
{after}
print("BENCH", _seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


class ChildFailed(Exception):
    def __init__(self, output: str):
        super().__init__(output)
        self.output = output


def _timed(measured: str, setup: str = "", after: str = "") -> tuple[float, float, str]:
    """Seconds of `measured` (after `setup`, in a fresh Python process), that process's peak memory
    (MB) and what it printed. Raises ChildFailed with the output when the process fails."""
    code = _TIMED.format(root=str(ROOT), scripts=str(ROOT / "scripts"), setup=setup, measured=measured,
                         after=after)
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    last = run.stdout.strip().splitlines()[-1:] if run.stdout.strip() else []
    if run.returncode != 0 or not last or not last[0].startswith("BENCH "):
        raise ChildFailed((run.stdout + run.stderr).strip())
    _, seconds, peak = last[0].split()
    return float(seconds), float(peak), run.stdout


_PARSE = """
import python_calamine as pc
for _path in _paths:
    _wb = pc.CalamineWorkbook.from_path(_path)
    for _name in _wb.sheet_names:
        _wb.get_sheet_by_name(_name).to_python(skip_empty_area=False)
"""

_RECEIVE = """
from pathlib import Path
import datetime as dt
from warehouse.db import connect
from ingest.batch import receive_all   # what python -m ingest load runs: workers inspect, one writer loads
con = connect({db!r})
_results = []
"""
_RECEIVE_LOOP = """
_results = receive_all(con, [Path({root!r}) / _file for _file, _, _ in {files!r}], {archive!r}, received_by="bench",
                       each=[dict(department=_dept, received_at=dt.datetime.fromisoformat(_at))
                             for _, _dept, _at in {files!r}])
"""
_RECEIVE_AFTER = """
con.close()
_bad = [r for r in _results if r.status != "accepted"]
print("LOADED", sum(r.rows for r in _results), len(_results) - len(_bad), len(_bad))
for r in _bad[:3]:
    print("REFUSED", r.file, r.status, "; ".join(f"{{p.sheet}}!{{p.cell}} {{p.message}}" for p in r.errors[:3]))
"""

_REPORT = """
from warehouse.db import connect
from metrics.report import report
con = connect({db!r})   # as `python -m metrics report` opens it
def _best(fn, n={n}):
    times = []
    for _ in range(n):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return min(times)
_bare = _best(lambda: con.execute(
    "SELECT indicator_code, sum(numerator) / nullif(sum(denominator), 0) AS ratio, count(*) AS n "
    "FROM observation WHERE year = 2025 AND denominator IS NOT NULL GROUP BY indicator_code").fetchall())
"""


_PAGES = """
import os
os.environ["CFC_DB"] = {db!r}
import streamlit as st
from streamlit.testing.v1 import AppTest
_at = AppTest.from_file({app!r}, default_timeout=1200)
_at.run()
from ui import data as _data
for _page in {pages!r}:
    st.cache_data.clear()            # the first open after a data change computes everything again,
    _data.cursor().execute("DELETE FROM meta WHERE key = 'progress_cache'")   # without a kept progress table
    _t = time.perf_counter()
    _at.switch_page(_page).run()
    _first = time.perf_counter() - _t
    _t = time.perf_counter()
    _at.run()                        # a rerun: a click on the page, every figure from the cache
    _rerun = time.perf_counter() - _t
    print("PAGE", _page, _first, _rerun, len(_at.exception))
"""
PAGES = ["pages/overview.py", "pages/indicator.py", "pages/districts.py", "pages/meeting.py", "pages/submissions.py",
         "pages/tasks.py", "pages/upload.py", "pages/quality.py", "pages/catalog.py"]


def page_times(db: str) -> tuple[dict[str, tuple[float, float, int]], float]:
    """Per page: seconds of the first open after a data change and of a rerun, and exceptions shown; and the
    peak memory of the process serving them (AppTest runs the app as the server would)."""
    _, peak, out = _timed(_PAGES.format(db=db, app=str(ROOT / "app.py"), pages=PAGES))
    times = {}
    for line in out.splitlines():
        if line.startswith("PAGE "):
            _, page, first, rerun, errors = line.split()
            times[page] = (float(first), float(rerun), int(errors))
    return times, peak


def _loaded(output: str) -> tuple[int, int, int, list[str]]:
    """Rows loaded, files accepted, files refused, and the first refusals, from a receive child."""
    loaded = next(line for line in output.splitlines() if line.startswith("LOADED "))
    rows, accepted, refused = (int(v) for v in loaded.split()[1:])
    return rows, accepted, refused, [line for line in output.splitlines() if line.startswith("REFUSED ")]


def national(root: Path, scale: float, repeat: int) -> None:
    """The national set: our pipeline against baselines measured in the same run; one table."""
    if not (root / "manifest.csv").exists():
        from make_national_data import generate
        print(f"{root} 中没有数据，按 --scale {scale:g} 生成 …")
        generate(scale, root)
    with (root / "manifest.csv").open(encoding="utf-8") as f:
        manifest = [(r["file"], r["department"], r["received_at"]) for r in csv.DictReader(f)]
    long_files = [m for m in manifest if m[0].startswith("submissions/")]
    registers = [m for m in manifest if m[0].startswith("registers/")]
    catalog, communities = str(root / "catalog.xlsx"), str(root / "communities.csv")
    paths = lambda files: [str(root / f) for f, _, _ in files]  # noqa: E731
    rows = []   # what, seconds, peak, baseline, baseline seconds, baseline peak
    with tempfile.TemporaryDirectory() as tmp:
        db, archive = str(Path(tmp) / "w.duckdb"), str(Path(tmp) / "archive")

        # (d) the catalog with its master list, through the command line
        try:
            seconds, peak, _ = _timed(
                f"_rc = main(['catalog', {catalog!r}, '--communities', {communities!r}, '--db', {db!r}])\n"
                "if _rc: sys.exit(_rc)", setup="from ingest.__main__ import main")
        except ChildFailed as e:
            lines = e.output.splitlines()
            print(f"全国数据集的指标体系未被接收（{catalog}），前几条问题：")
            print("\n".join("  " + line for line in lines[:12]))
            return
        bare, bare_peak, _ = _timed(_PARSE + f"list(csv.reader(open({communities!r}, encoding='utf-8')))",
                                    setup=f"import csv\n_paths = [{catalog!r}]")
        with open(communities, encoding="utf-8") as f:
            n_units = sum(1 for _ in f) - 1
        rows.append((f"catalog + {n_units:,} communities (ingest catalog --communities)", seconds, peak,
                     "bare parse: calamine + csv.reader", bare, bare_peak))

        # (a) the long-format files, then (b) the registers, into the same warehouse
        for label, files in (("long-format", long_files), ("register (台账)", registers)):
            seconds, peak, out = _timed(_RECEIVE_LOOP.format(files=files, root=str(root), archive=archive),
                                        setup=_RECEIVE.format(db=db), after=_RECEIVE_AFTER)
            loaded, accepted, refused, first = _loaded(out)
            if refused:
                print(f"注意：{label} 文件有 {refused} 个未被接收：")
                print("\n".join("  " + line for line in first))
            what = f"receive {accepted}/{len(files)} {label} files, {loaded:,} rows"
            bare, bare_peak, _ = _timed(_PARSE, setup=f"_paths = {paths(files)!r}")
            if label == "long-format":
                naive, naive_peak, _ = _timed(f"naive_load(Path({str(root)!r}), {str(Path(tmp) / 'naive.duckdb')!r})",
                                              setup="from pathlib import Path\nfrom naive_load import naive_load")
                rows.append((what, seconds, peak, "scripts/naive_load.py (pandas + openpyxl)", naive, naive_peak))
            rows.append((what, seconds, peak, "bare parse: calamine", bare, bare_peak))

        # (c) metrics report --level city --year 2025, and one bare GROUP BY, in the same process
        # (a few milliseconds each: best of 30, where a best of 3 moved the ratio by 2×)
        n = 30
        _, peak, out = _timed("_first = time.perf_counter(); report(con, 2025, None, 'city'); "
                              "_first = time.perf_counter() - _first\n"
                              "_report = _best(lambda: report(con, 2025, None, 'city'))",
                              setup=_REPORT.format(db=db, n=n), after="print('TIMES', _first, _report, _bare)")
        first, report, bare = (float(v) for v in next(
            x for x in out.splitlines() if x.startswith("TIMES ")).split()[1:])
        rows.append(("metrics report --level city --year 2025, first after the load", first, peak,
                     "bare GROUP BY Σnum/Σden per indicator", bare, None))
        rows.append((f"metrics report --level city --year 2025, then (best of {n})", report, peak,
                     "bare GROUP BY Σnum/Σden per indicator", bare, None))

        # (e) every page on this warehouse against the same page on the demo city, in the same run
        from ingest.demo import build_demo
        demo = str(Path(tmp) / "demo" / "w.duckdb")
        build_demo(Path(demo))
        wide, wide_peak = page_times(db)
        city, city_peak = page_times(demo)
        for page in PAGES:
            name = page.removeprefix("pages/").removesuffix(".py")
            (first, rerun, errors), (city_first, city_rerun, _) = wide[page], city[page]
            note = f"（{errors} 个异常）" if errors else ""
            rows.append((f"page {name}: first open after a data change{note}", first, wide_peak,
                         "the same page, demo city", city_first, city_peak))
            rows.append((f"page {name}: rerun", rerun, wide_peak, "the same page, demo city", city_rerun, city_peak))

    print(f"\n全国规模 {root}: {len(long_files)} long-format files, {len(registers)} register files")
    print(f"{'what':58} {'seconds':>9}  {'baseline':42} {'baseline s':>10} {'ratio':>8}  peak MB (ours / baseline)")
    for what, seconds, peak, base, base_seconds, base_peak in rows:
        peaks = f"{peak:,.0f} / {base_peak:,.0f}" if base_peak else f"{peak:,.0f} (same process)"
        print(f"{what:58} {seconds:9.3f}  {base:42} {base_seconds:10.3f} {seconds / base_seconds:7.1f}×  {peaks}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--national", type=Path, metavar="DIR",
                        help="measure the national set in DIR instead (scripts/make_national_data.py)")
    parser.add_argument("--scale", type=float, default=0.1, help="scale of the national set when DIR is empty")
    args = parser.parse_args()
    repeat = args.repeat
    if args.national:
        sys.path.insert(0, str(ROOT / "scripts"))
        national(args.national, args.scale, repeat)
        return
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
