"""What a file would change, before it is loaded."""
from __future__ import annotations

from typing import Callable

import duckdb
import pandas as pd

from warehouse.db import bump_data_version

from .progress import staging
from .values import city_values, indicator_meta


def effect_of(con: duckdb.DuckDBPyConnection, stage: Callable[[duckdb.DuckDBPyConnection], None],
              indicators: list[str] | None = None) -> pd.DataFrame:
    """City figures before and after `stage(con)`, which runs inside a transaction that is always
    rolled back. Returns the (indicator, year) rows whose city value or coverage would change.
    `indicators`: the only ones the staged rows can change (a file's own), so only theirs are computed."""
    before = city_values(con, indicators=indicators)
    con.execute("BEGIN TRANSACTION")
    try:
        with staging(con):
            stage(con)
            bump_data_version(con)   # the staged rows are a data version of their own (and part of what is current)
            after = city_values(con, indicators=indicators)
    finally:
        con.execute("ROLLBACK")
    keys = ["indicator", "year"]
    both = after[keys + ["value", "districts_reported"]].merge(
        before[keys + ["value", "districts_reported"]], on=keys, how="left", suffixes=("_after", "_before"))
    changed = (both["value_after"].sub(both["value_before"]).abs() > 1e-9) | both["value_before"].isna() | (
        both["districts_reported_after"] != both["districts_reported_before"])
    meta = indicator_meta(con)[["code", "name", "unit"]]
    return both[changed].merge(meta, left_on="indicator", right_on="code").drop(columns="code").reset_index(drop=True)
