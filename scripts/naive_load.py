"""The baseline a data analyst would write: read every long-format file with pandas, look the
counties up in a dict, concatenate and insert the frame into DuckDB in one statement. No checks
beyond dropping blank rows, no archive, no history. For scripts/bench.py --national.

    python scripts/naive_load.py DIR [--db naive.duckdb]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd


def naive_load(root: Path, db: str = ":memory:") -> int:
    areas = pd.read_excel(root / "catalog.xlsx", sheet_name="区县", engine="openpyxl", dtype=str)
    lookup = {**dict(zip(areas["名称"], areas["统计代码"])), **dict(zip(areas["统计代码"], areas["统计代码"]))}
    frames = []
    for path in sorted((root / "submissions").glob("*.xlsx")):
        frame = pd.read_excel(path, engine="openpyxl", dtype={"区县": str}).dropna(how="all")
        frame["区县"] = frame["区县"].map(lookup)
        frame["file"] = path.name
        frames.append(frame)
    data = pd.concat(frames, ignore_index=True)
    con = duckdb.connect(db)
    con.execute("CREATE OR REPLACE TABLE observation AS SELECT * FROM data")
    rows = con.execute("SELECT count(*) FROM observation").fetchone()[0]
    con.close()
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--db", default=":memory:")
    args = parser.parse_args()
    start = time.perf_counter()
    n = naive_load(args.dir, args.db)
    print(f"{n:,} rows in {time.perf_counter() - start:.1f} s")
    sys.exit(0)
